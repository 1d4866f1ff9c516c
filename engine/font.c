/* font.c - advance widths and coverage of the shipped TrueType fonts,
 * read with FreeType; used by compose (rule lengths) and layout. */
#include <stdio.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H

#include "ctx.h"
#include "font.h"
#include "mem.h"

static const char *const face_files[VB_FACE_COUNT] = {
    "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"};

/* Widths are cached in pages of 256 code points, made on first use. */
#define PAGE_BITS 8
#define NPAGES (0x110000 >> PAGE_BITS)
#define UNKNOWN (-3)

struct face_state {
  FT_Face face;
  int tried;
  int upm;
  int ascent, descent, gap;
  short *pages[NPAGES];
};

struct vb_fonts {
  const vb_mem *mem;
  FT_Library lib;
  char path[VB_FACE_COUNT][4096];
  struct face_state st[VB_FACE_COUNT];
};

const char *vb_fonts_missing(const char *dir) {
  char path[4096];
  int i, n;
  for (i = 0; i < VB_FACE_COUNT; i++) {
    n = snprintf(path, sizeof(path), "%s/%s", dir, face_files[i]);
    if (n < 0 || (size_t)n >= sizeof(path) || !vb_file_is_regular(path))
      return face_files[i];
  }
  return NULL;
}

vb_status vb_fonts_open(const vb_mem *mem, const char *dir,
                        struct vb_fonts **out) {
  struct vb_fonts *f;
  int i;
  *out = NULL;
  f = vb_calloc(mem, 1, sizeof(*f));
  if (!f)
    return VB_ENOMEM;
  f->mem = mem;
  for (i = 0; i < VB_FACE_COUNT; i++) {
    int n = snprintf(f->path[i], sizeof(f->path[i]), "%s/%s", dir,
                     face_files[i]);
    /* a FIFO or a device in place of a font would hang FreeType, HarfBuzz
     * and libharu, which open the file by name: only regular files */
    if (n < 0 || (size_t)n >= sizeof(f->path[i]) ||
        !vb_file_is_regular(f->path[i])) {
      vb_mfree(mem, f);
      return VB_EFONT;
    }
  }
  if (FT_Init_FreeType(&f->lib)) {
    vb_mfree(mem, f);
    return VB_ENOMEM;
  }
  *out = f;
  return VB_OK;
}

void vb_fonts_free(struct vb_fonts *f) {
  int i, p;
  if (!f)
    return;
  for (i = 0; i < VB_FACE_COUNT; i++) {
    for (p = 0; p < NPAGES; p++)
      vb_mfree(f->mem, f->st[i].pages[p]);
    if (f->st[i].face)
      FT_Done_Face(f->st[i].face);
  }
  FT_Done_FreeType(f->lib);
  vb_mfree(f->mem, f);
}

const char *vb_fonts_path(const struct vb_fonts *f, enum vb_face face) {
  return f->path[face];
}

enum vb_face vb_face_for(unsigned run_flags) {
  return (enum vb_face)(run_flags & 3u); /* BOLD=1, ITALIC=2 */
}

static struct face_state *load(struct vb_fonts *f, enum vb_face face) {
  struct face_state *s = &f->st[face];
  if (!s->tried) {
    s->tried = 1;
    if (FT_New_Face(f->lib, f->path[face], 0, &s->face)) {
      s->face = NULL;
    } else {
      s->upm = s->face->units_per_EM ? s->face->units_per_EM : 1000;
      s->ascent = s->face->ascender * 1000 / s->upm;
      s->descent = -s->face->descender * 1000 / s->upm;
      s->gap = (s->face->height - s->face->ascender + s->face->descender) *
               1000 / s->upm;
    }
  }
  return s->face ? s : NULL;
}

int vb_font_advance(struct vb_fonts *f, enum vb_face face, uint32_t cp) {
  struct face_state *s = load(f, face);
  short *page;
  FT_UInt gid;
  FT_Fixed adv;
  int w, i;
  if (!s)
    return -2;
  if (cp >= 0x110000)
    return -1;
  page = s->pages[cp >> PAGE_BITS];
  if (!page) {
    /* the cache is only a speed-up: without memory for a page, measure
     * uncached rather than report the glyph missing (found by
     * tests/unit/test_alloc.c: a failed allocation became a V060) */
    page = vb_malloc(f->mem, sizeof(short) << PAGE_BITS);
    if (page) {
      for (i = 0; i < 1 << PAGE_BITS; i++)
        page[i] = UNKNOWN;
      s->pages[cp >> PAGE_BITS] = page;
    }
  }
  w = page ? page[cp & ((1 << PAGE_BITS) - 1)] : UNKNOWN;
  if (w != UNKNOWN)
    return w;
  gid = FT_Get_Char_Index(s->face, cp);
  if (!gid) {
    w = -1;
  } else if (FT_Get_Advance(s->face, gid, FT_LOAD_NO_SCALE, &adv)) {
    w = -1;
  } else {
    /* libharu: (advance * 1000) / units_per_em, integer division */
    w = (int)(adv * 1000 / s->upm);
  }
  if (page)
    page[cp & ((1 << PAGE_BITS) - 1)] = (short)w;
  return w;
}


double vb_font_width(struct vb_fonts *f, enum vb_face face, int size_hp,
                     const char *s, size_t len) {
  size_t i = 0;
  long total = 0;
  int w, notdef = -1;
  while (i < len) {
    w = vb_font_advance(f, face, vb_utf8_next(s, len, &i));
    if (w < 0) {
      if (notdef < 0) {
        struct face_state *st = load(f, face);
        FT_Fixed adv = 0;
        notdef = st && !FT_Get_Advance(st->face, 0, FT_LOAD_NO_SCALE, &adv)
                     ? (int)(adv * 1000 / st->upm)
                     : 0;
      }
      w = notdef;
    }
    total += w;
  }
  return (double)total * size_hp / 2000.0;
}

double vb_font_fit_width(struct vb_fonts *f, enum vb_face face, int size_hp,
                         const char *s, size_t len) {
  struct face_state *st = load(f, face);
  size_t i = 0;
  long total = 0;
  FT_Fixed adv;
  if (!st)
    return vb_font_width(f, face, size_hp, s, len);
  while (i < len) {
    FT_UInt gid = FT_Get_Char_Index(st->face, vb_utf8_next(s, len, &i));
    if (FT_Get_Advance(st->face, gid, FT_LOAD_NO_SCALE, &adv))
      adv = 0;
    total += (long)adv;
  }
  return (double)total * size_hp / (2.0 * st->upm);
}

void vb_font_vmetrics(struct vb_fonts *f, enum vb_face face, int *ascent,
                      int *descent, int *gap) {
  struct face_state *s = load(f, face);
  *ascent = s ? s->ascent : 891;
  *descent = s ? s->descent : 216;
  *gap = s ? s->gap : 42;
}

uint32_t vb_font_missing(struct vb_fonts *f, enum vb_face face,
                         const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint32_t cp = vb_utf8_next(s, len, &i);
    if (cp >= 0x20 && vb_font_advance(f, face, cp) < 0)
      return cp;
  }
  return 0;
}
