/* rahdari: one-time initialisation of the libraries rahdari uses, and its undoing.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_INIT_H
#define RAHDARI_INIT_H

#include <rahdari/common.h>

RD_BEGIN_DECL

/**
 * Initialise rahdari and the libraries it uses, once for the process: libxml2's parser,
 * OpenSSL's default library context, and libxmlsec1 with its OpenSSL back end (each only
 * if the host program has not done it already), and rahdari's libxmlsec1 error callback
 * (doc/api.md, "Global state"). Calling it is optional: every function that needs a
 * library initialises it on first use. A host calls it to do this work at a time of its
 * choosing, to learn early whether licence signatures can be verified, or before it
 * installs its own libxmlsec1 error callback.
 *
 * Thread-safe and idempotent: any number of threads may call it, any number of times;
 * the work is done once.
 *
 * @return RD_OK, or RD_ERROR when libxmlsec1 cannot be initialised (the rest of rahdari
 *         works; signed licences cannot be verified or signed)
 */
RD_EXTERN(int) rd_init(void) RD_WARN_UNUSED;

/**
 * Undo what rd_init() (or the first use) did to libxmlsec1: restore libxmlsec1's default
 * error callback, and shut libxmlsec1 and its back end down when rahdari initialised them
 * (not when the host had). libxml2 and OpenSSL, which the host may still use, are left as
 * they are. Call it at most from one thread, when no other rahdari call runs; a later
 * rahdari call initialises again. Without rd_init() or any use first, it does nothing.
 */
RD_EXTERN(void) rd_shutdown(void);

RD_END_DECL

#endif /* RAHDARI_INIT_H */
