/** @file
 * @brief rahdari: checks travel-agency work against the law.
 *
 * Umbrella header: include this one.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_H
#define RAHDARI_H

#include <rahdari/common.h>
#include <rahdari/version.h>
#include <rahdari/errors.h>
#include <rahdari/init.h>
#include <rahdari/types.h>
#include <rahdari/document.h>
#include <rahdari/rules.h>
#include <rahdari/check.h>
#include <rahdari/report.h>
#include <rahdari/mrz.h>
#include <rahdari/identity.h>
#include <rahdari/audit.h>
#include <rahdari/trust.h>
#include <rahdari/packsig.h>

#endif /* RAHDARI_H */
