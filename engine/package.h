/* package.h - reading an OOXML package (DOCX, later XLSX) that may be
 * hostile: a zip archive in memory with its entry count and sizes limited,
 * entries looked up by fixed part names and never used as paths, and XML
 * parts parsed without network, DTD or entities. libzip's reading side
 * lives here only. Problems are W0xx diagnostics naming the file. */
#ifndef VB_PACKAGE_H
#define VB_PACKAGE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "buf.h"
#include "ctx.h"

/* A package is opened from memory: the command reads at most this much
 * (a filled form is tens of KB; images can make a DOCX a few MB). */
#define VB_PKG_MAX_BYTES ((size_t)64 << 20)
/* Word writes about 15 parts, with media a few hundred; 10,000 entries
 * is no document, only a central directory made to exhaust memory. */
#define VB_PKG_MAX_ENTRIES 10000
/* An XML part of a 1,000-page document is a few MB unpacked. */
#define VB_PKG_MAX_PART ((size_t)32 << 20)
/* All entries together, as their headers declare them unpacked. */
#define VB_PKG_MAX_TOTAL ((unsigned long long)256 << 20)

struct vb_pkg;

/* Opens the zip archive `data` (borrowed until vb_pkg_close()). `name`
 * is the file name used in diagnostics. Refuses, with one diagnostic and
 * VB_EINVALID or VB_ELIMIT: not a zip (a PDF is named as such), more than
 * VB_PKG_MAX_ENTRIES entries, an entry declaring more than
 * VB_PKG_MAX_PART bytes or all more than VB_PKG_MAX_TOTAL, an entry name
 * that would be unsafe as a path (absolute, "..", backslash, drive). */
vb_status vb_pkg_open(vb_ctx *ctx, const char *name, const char *data,
                      size_t len, struct vb_pkg **out);
/* Closes the package; NULL is a no-op. */
void vb_pkg_close(struct vb_pkg *p);
/* 1 when the package holds entry `part` ("word/document.xml"). */
int vb_pkg_has(const struct vb_pkg *p, const char *part);
/* Unpacks `part` into out (appended), reading at most VB_PKG_MAX_PART
 * bytes whatever its header says. VB_OK; VB_EINVALID with a diagnostic
 * when the part is missing (only when `required`) or corrupt; VB_ELIMIT
 * past the limit; VB_ENOMEM. A missing optional part gives VB_EINVALID
 * and no diagnostic. */
vb_status vb_pkg_read(struct vb_pkg *p, const char *part, int required,
                      struct vb_buf *out);
/* Unpacks and parses an XML part: no network, no DTD (a DOCTYPE is
 * refused), no entity substitution, libxml2's size limits. On VB_OK *doc
 * is the tree; the caller frees it with xmlFreeDoc(). Errors as for
 * vb_pkg_read(), plus malformed XML or a DTD (VB_EINVALID, diagnosed). */
vb_status vb_pkg_read_xml(struct vb_pkg *p, const char *part, int required,
                          xmlDocPtr *doc);

#endif
