/* rahdari: the differences between the libxml2 versions rahdari builds with, in one place.
 *
 * Private to the library and the tool; nothing here is part of the public API.
 * SPDX-License-Identifier: MIT */
#ifndef RD_XMLCOMPAT_H
#define RD_XMLCOMPAT_H

#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

/* The error a structured-error callback (xmlStructuredErrorFunc) is given. libxml2 2.12
 * made it const, and a callback declared with the other type no longer converts to
 * xmlStructuredErrorFunc (an error by default since GCC 14): every such callback takes
 * an rd_xml_error, and only reads it. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *rd_xml_error;
#else
typedef xmlErrorPtr rd_xml_error;
#endif

#endif /* RD_XMLCOMPAT_H */
