/* layout.h - the PDF typesetter's output, shared by layout.c and
 * render_pdf.c: the tree is broken into lines and pages and handed to a
 * sink one page at a time. Lengths are points; y grows upwards (PDF). */
#ifndef VB_LAYOUT_H
#define VB_LAYOUT_H

#include "font.h"
#include "node.h"

/* libharu keeps every page's content stream in memory until the file is
 * saved (about 22 KB a page, tech-notes 1f): 10,000 pages is about 220 MB,
 * far beyond any real document and still inside a small machine. */
#define VB_LAYOUT_MAX_PAGES VB_MAX_PAGES

/* A piece of one line drawn with one face and size: one TextOut. `s` is
 * borrowed for the duration of the callback and is not NUL-terminated. */
struct vb_seg {
  const char *s;
  size_t len;
  double x, w;       /* left edge and advance width */
  enum vb_face face;
  double size;       /* points */
  int underline;
  int blank;         /* only spaces: not drawn, part of the line's text */
};

/* One placed line: baseline y, segments left to right. A line with no
 * segments (an empty paragraph) still occupies its height. */
struct vb_pline {
  int page;          /* 1-based */
  double x, y;       /* x of the first glyph, y of the baseline */
  enum vb_face face; /* of the first run (or the paragraph's) */
  double size;       /* points, of the first run */
  const struct vb_seg *seg;
  size_t nseg;
};

/* Receives the pages in order. Every callback returns VB_OK to go on;
 * any other status stops the layout, which returns it. */
struct vb_layout_sink {
  void *user;
  vb_status (*page_begin)(void *user, int page, double width, double height);
  vb_status (*line)(void *user, const struct vb_pline *l);
  /* a horizontal line from x1 to x2, centred on y, `thickness` thick */
  vb_status (*rule)(void *user, int page, double x1, double y, double x2,
                    double thickness);
  vb_status (*page_end)(void *user, int page);
  /* a vertical line from y1 down to y2 at x (cell borders); may be NULL */
  vb_status (*vrule)(void *user, int page, double x, double y1, double y2,
                     double thickness);
};

/* The lines of a bordered table, points: render_docx's single border of
 * w:sz 4 (eighths of a point). */
#define VB_TABLE_BORDER_PT 0.5

/* Most explicit breaks a balanced line gets (text.h: 4 lines at most). */
#define VB_LAYOUT_MAX_BALANCED 3

/* The balanced breaks of a centred trích yếu or header name p laid out
 * in a container cw points wide: byte offsets into its one run's text of
 * the spaces where lines break (the spaces are dropped). Both renderers
 * ask this, so that Word shows the lines the PDF shows. Returns how many
 * (at most cap); 0 for a paragraph that fits or is not balanced.
 * *sensible as for vb_text_balance (text.h); may be NULL. */
size_t vb_layout_balance(const struct vb_node *p, struct vb_fonts *fonts,
                         double cw, size_t *breaks, size_t cap,
                         int *sensible);

/* Lays the whole tree out and calls the sink for every page. Returns
 * VB_OK, VB_ENOMEM, VB_ELIMIT (more than VB_LAYOUT_MAX_PAGES pages) or
 * whatever a callback returned. Memory: about one page of placed lines
 * plus the block being broken, whatever the document's length. */
vb_status vb_layout_run(const struct vb_tree *t, struct vb_fonts *fonts,
                        const vb_mem *mem, const struct vb_layout_sink *sink);

#endif
