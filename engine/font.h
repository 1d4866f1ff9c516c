/* font.h - the shipped fonts: files, advance widths and coverage.
 *
 * Widths are integers in 1/1000 em, truncated from the font's units exactly
 * as libharu computes the widths it writes into the PDF, so that a line
 * measured here ends where the drawn line ends. FreeType only here. */
#ifndef VB_FONT_H
#define VB_FONT_H

#include <stdint.h>
#include "text.h"
#include "vanban.h"

enum vb_face {
  VB_FACE_REGULAR = 0,
  VB_FACE_BOLD,
  VB_FACE_ITALIC,
  VB_FACE_BOLD_ITALIC,
  VB_FACE_COUNT
};

struct vb_fonts;

/* Opens the fonts of `dir` (the fonts/ folder) lazily: a face is read the
 * first time it is measured. Fails with VB_EFONT when a file is missing. */
/* The first face file ("LiberationSerif-Bold.ttf") that is not a
 * regular file in dir, or NULL when all are. */
const char *vb_fonts_missing(const char *dir);
vb_status vb_fonts_open(const vb_mem *mem, const char *dir,
                        struct vb_fonts **out);
void vb_fonts_free(struct vb_fonts *f);
/* Path of a face's file; borrowed. */
const char *vb_fonts_path(const struct vb_fonts *f, enum vb_face face);
/* Face for a run's flags (VB_RUN_BOLD | VB_RUN_ITALIC). */
enum vb_face vb_face_for(unsigned run_flags);

/* Advance of one code point in 1/1000 em; -1 when the face has no glyph
 * for it (it would draw .notdef), -2 when the face cannot be loaded. */
int vb_font_advance(struct vb_fonts *f, enum vb_face face, uint32_t cp);
/* Width in points of UTF-8 text at `size_hp` half-points. Characters the
 * face lacks count with the .notdef width. */
double vb_font_width(struct vb_fonts *f, enum vb_face face, int size_hp,
                     const char *s, size_t len);
/* The same width from the font's own units, untruncated: what Word and
 * LibreOffice measure when they fill a line (the DOCX is laid out by them,
 * and the PDF's lines must break where theirs do). */
double vb_font_fit_width(struct vb_fonts *f, enum vb_face face, int size_hp,
                         const char *s, size_t len);
/* Vertical metrics in 1/1000 em (hhea): ascent > 0, descent > 0, gap. */
void vb_font_vmetrics(struct vb_fonts *f, enum vb_face face, int *ascent,
                      int *descent, int *gap);
/* Returns the first code point of s[0..len) that the face cannot draw, or 0
 * when every character is covered. */
uint32_t vb_font_missing(struct vb_fonts *f, enum vb_face face,
                         const char *s, size_t len);

#endif
