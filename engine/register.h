/* register.h - what the register (register.c) shares inside the library:
 * export.c reads it through the public vb_register_list() and needs only
 * its context. */
#ifndef VB_REGISTER_H
#define VB_REGISTER_H

#include "buf.h"
#include "ctx.h"

/* The context the register was opened with (allocator, diagnostics). */
vb_ctx *vb_register_ctx(const vb_register *reg);
/* The register's own issuing body (the one given at init) and its
 * profile, copied into `a`. */
vb_status vb_register_main_body(vb_register *reg, struct vb_arena *a,
                                const char **name, const char **profile);
/* The sổ printed (so.c): the documents `filter` selects, as NĐ 30 Phụ lục
 * IV prints the register, in PDF (format VB_TABLE_PDF) or DOCX
 * (VB_TABLE_DOCX), appended to `out`. */
vb_status vb_so_print(vb_register *reg, const vb_register_filter *filter,
                      int format, struct vb_buf *out);

#endif
