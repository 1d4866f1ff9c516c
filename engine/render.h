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
/* Many documents in one PDF, or many PDFs that share their font subsets
 * (a batch of certificates). The characters of every tree to be drawn are
 * added to a vb_pdf_chars first; its subsets are made once, then each
 * book embeds the same small faces. render_pdf.c. */
struct vb_pdf_chars;
vb_status vb_pdf_chars_new(const vb_mem *mem, struct vb_pdf_chars **out);
/* Records what t draws. Call before vb_pdf_chars_subset(). */
void vb_pdf_chars_add(struct vb_pdf_chars *c, const struct vb_tree *t);
/* Makes the subsets (once; later calls do nothing). VB_ENOMEM. */
vb_status vb_pdf_chars_subset(struct vb_pdf_chars *c, struct vb_fonts *fonts);
void vb_pdf_chars_free(struct vb_pdf_chars *c);

/* Drawing options of a book: `overlay` draws only VB_RUN_VALUE runs and
 * no border, shifted by dx, dy points (right, down). */
struct vb_pdf_look {
  int overlay;
  double dx, dy;
};
struct vb_pdf_book;
/* chars: subsets made by vb_pdf_chars_subset(), borrowed, outliving the
 * book; NULL embeds whole faces. */
vb_status vb_pdf_book_new(const vb_mem *mem, struct vb_fonts *fonts,
                          const struct vb_pdf_chars *chars,
                          const struct vb_pdf_look *look,
                          struct vb_pdf_book **out);
/* Lays t out and draws its pages after the pages already drawn; *pages
 * (may be NULL) gets how many it took. VB_ELIMIT past VB_MAX_PAGES in
 * all. After a failure only vb_pdf_book_free() is left. */
vb_status vb_pdf_book_add(struct vb_pdf_book *b, const struct vb_tree *t,
                          int *pages);
/* Saves the PDF, /Title `title`, appending it to out. */
vb_status vb_pdf_book_save(struct vb_pdf_book *b, const char *title,
                           struct vb_buf *out);
/* The same straight into the file at `path` (no copy in memory): what a
 * 10,000-page book needs. VB_EIO when it cannot be written. */
vb_status vb_pdf_book_save_file(struct vb_pdf_book *b, const char *title,
                                const char *path);
void vb_pdf_book_free(struct vb_pdf_book *b);
/* Pages t takes, from its layout alone (nothing drawn). */
vb_status vb_pdf_count_pages(const struct vb_tree *t, struct vb_fonts *fonts,
                             const vb_mem *mem, int *pages);

/* WordprocessingML package, deflated, deterministic. render_docx.c. */
vb_status vb_render_docx(const struct vb_tree *t, struct vb_fonts *fonts,
                         const vb_mem *mem, struct vb_buf *out);
/* Indented text dump of the tree (cmark xml.c). render_tree.c. */
vb_status vb_render_tree(const struct vb_tree *t, struct vb_buf *out);

#endif
