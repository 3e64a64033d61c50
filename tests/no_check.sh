#!/bin/sh
# rahdari tests: stands for the C test suites (tests/check_*) when configure did not find
# Check, the unit-test library they are written with: they are not built, and this SKIP
# says so in the summary of `make check` (they never pass unseen).
# SPDX-License-Identifier: MIT
echo "SKIP: Check was not found by configure (Debian: apt-get install check, then run" \
	"configure again): the C test suites were not built or run"
exit 77
