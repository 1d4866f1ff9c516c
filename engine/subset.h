/* subset.h - per-document font subsets for the PDF: only the glyphs a
 * document draws are embedded. HarfBuzz only in subset.c. */
#ifndef VB_SUBSET_H
#define VB_SUBSET_H

#include <stddef.h>
#include <stdint.h>
#include "vanban.h"

/* A subset font held in an anonymous file that libharu can open by path. */
struct vb_subset {
  int fd;             /* -1 when not open */
  char path[64];      /* "/proc/self/fd/N", or a temporary file's path */
};

/* Makes a subset of the TrueType font at `font_path` holding the code
 * points cps[0..n) (plus .notdef), without hinting. On VB_OK `out->path`
 * can be given to HPDF_LoadTTFontFromFile; call vb_subset_close() after
 * the PDF is saved (libharu reads the file again when it saves).
 * VB_EFONT: the font could not be read or subset; the caller may embed
 * the whole font instead. */
vb_status vb_subset_make(const char *font_path, const uint32_t *cps,
                         size_t n, struct vb_subset *out);
void vb_subset_close(struct vb_subset *s);

#endif
