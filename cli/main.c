/* rahdari command-line tool: entry point and subcommand dispatch.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *progname = "rahdari";

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s COMMAND [OPTIONS] [ARGS]\n"
	        "\n"
	        "rahdari checks travel-agency work (licences, bookings and itineraries, visa and\n"
	        "passport paperwork) against regulatory rule files (ISO Schematron).\n"
	        "\n"
	        "Commands:\n"
	        "  check     check XML documents against rules (default: the embedded pack)\n"
	        "  audit     check a large submission record by record, in parallel, with a report\n"
	        "  mrz       read and validate machine-readable zones (passports, ID cards, visas)\n"
	        "  cnic      check Pakistani CNIC numbers\n"
	        "  rules     list, lint, test, sign and verify rule packs\n"
	        "  licence   sign licences, and verify their signatures against a trust store\n"
	        "  version   show versions of rahdari, its libraries and the default rules\n"
	        "  help      show this help, or a command's help: %s help check\n"
	        "\n"
	        "Exit status (every command): 0 no finding at or above --fail-on, 1 such a\n"
	        "finding (licence verify: a licence that does not verify), 2 usage error, 3 an\n"
	        "input or the rules could not be processed.\n"
	        "\n"
	        "Run '%s COMMAND --help' for a command's options.\n",
	        progname, progname, progname);
}

int main(int argc, char **argv)
{
	const char *cmd;

	/* A closed pipe must show up as a write error, not kill the process mid-output. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(cmd, "help") == 0) {
		if (argc > 2) {
			char help[] = "--help";
			char *args[] = { argv[2], help, NULL };

			if (strcmp(argv[2], "check") == 0)
				return cmd_check(2, args);
			if (strcmp(argv[2], "audit") == 0)
				return cmd_audit(2, args);
			if (strcmp(argv[2], "version") == 0)
				return cmd_version(2, args);
			if (strcmp(argv[2], "mrz") == 0)
				return cmd_mrz(2, args);
			if (strcmp(argv[2], "cnic") == 0)
				return cmd_cnic(2, args);
			if (strcmp(argv[2], "rules") == 0)
				return cmd_rules(2, args);
			if (strcmp(argv[2], "licence") == 0 || strcmp(argv[2], "license") == 0)
				return cmd_licence(2, args);
			cli_error("unknown command '%s'", argv[2]);
			return EXIT_USAGE;
		}
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0)
		return cmd_version(1, argv + 1);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0)
		return cmd_version(argc - 1, argv + 1);
	if (strcmp(cmd, "mrz") == 0)
		return cmd_mrz(argc - 1, argv + 1);
	if (strcmp(cmd, "cnic") == 0)
		return cmd_cnic(argc - 1, argv + 1);
	if (strcmp(cmd, "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	if (strcmp(cmd, "licence") == 0 || strcmp(cmd, "license") == 0)
		return cmd_licence(argc - 1, argv + 1);
	cli_error("unknown command '%s'", cmd);
	fprintf(stderr, "Try '%s --help' for the list of commands.\n", progname);
	return EXIT_USAGE;
}
