/* render.h - internal entry points of the renderers. Each one reads a
 * finished document tree and appends its output to `out`; none of them
 * prints or keeps state between calls. */
#ifndef VB_RENDER_H
#define VB_RENDER_H

#include "buf.h"
#include "font.h"
#include "node.h"

/* A rule is drawn as the top border of an empty paragraph whose line is
 * exactly VB_RULE_LINE twips (render_docx.c); Word and LibreOffice stack
 * the border and that line, so the PDF's rule takes the same height. */
#define VB_RULE_LINE 40

/* Lays the tree out on A4 pages and draws it with libharu (fonts embedded,
 * ToUnicode fixed, deterministic bytes). layout.c + render_pdf.c. */
vb_status vb_render_pdf(const struct vb_tree *t, struct vb_fonts *fonts,
                        const vb_mem *mem, struct vb_buf *out);
/* The same layout as text, one placed line per row:
 *   page x y face size |text|
 * for golden tests. layout.c. */
vb_status vb_render_layout(const struct vb_tree *t, struct vb_fonts *fonts,
                           const vb_mem *mem, struct vb_buf *out);
/* WordprocessingML package, deflated, deterministic. render_docx.c. */
vb_status vb_render_docx(const struct vb_tree *t, struct vb_fonts *fonts,
                         const vb_mem *mem, struct vb_buf *out);
/* Indented text dump of the tree (cmark xml.c). render_tree.c. */
vb_status vb_render_tree(const struct vb_tree *t, struct vb_buf *out);

#endif
