/* render_pdf.c - draws the pages of layout.c with libharu: faces embedded
 * lazily, one TextOut per word on justified lines, a valid ToUnicode CMap,
 * and deterministic bytes saved to memory. The only file using libharu. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "layout.h"
#include "mem.h"
#include "render.h"
#include "subset.h"

/* Underline below the baseline and its thickness, in em; close to
 * Liberation Serif's post table (-217 and 100 of 2048 units). */
#define UNDER_POS 0.106
#define UNDER_THICK 0.049
/* A ToUnicode bfchar block may hold at most 100 entries (PDF 1.7, 9.10.3
 * and the CMap spec). */
#define BFCHAR_BLOCK 100
/* Bytes copied from libharu's output stream per read. */
#define READ_CHUNK 16384
#define BMP 65536
/* libharu's allocation callbacks take no user pointer: the allocator of
 * the call in progress, per thread. Every block libharu holds is linked
 * in a list, so that what its own error paths forget to free (when an
 * allocation fails during save) is freed after HPDF_Free. A header of 32
 * bytes keeps the blocks aligned for any type. (libharu's own memory
 * pool would do the same but hands out misaligned blocks.) */
struct hblock {
  struct hblock *prev, *next;
  _Alignas(16) unsigned char data[];
};

static _Thread_local const vb_mem *hpdf_mem;
static _Thread_local struct hblock *hpdf_live;

static void *HPDF_STDCALL hpdf_alloc(HPDF_UINT size) {
  struct hblock *b = vb_malloc(hpdf_mem, sizeof(*b) + size);
  if (!b)
    return NULL;
  b->prev = NULL;
  b->next = hpdf_live;
  if (hpdf_live)
    hpdf_live->prev = b;
  hpdf_live = b;
  return b->data;
}

static void HPDF_STDCALL hpdf_free(void *p) {
  struct hblock *b;
  if (!p)
    return;
  b = (struct hblock *)((unsigned char *)p - offsetof(struct hblock, data));
  if (b->prev)
    b->prev->next = b->next;
  else
    hpdf_live = b->next;
  if (b->next)
    b->next->prev = b->prev;
  vb_mfree(hpdf_mem, b);
}

struct pdf {
  HPDF_Doc doc;
  HPDF_Page page;
  struct vb_fonts *fonts;
  const vb_mem *mem;
  HPDF_Font font[VB_FACE_COUNT];
  struct vb_subset sub[VB_FACE_COUNT]; /* the glyphs this document draws */
  unsigned char *used[VB_FACE_COUNT]; /* bitmap of the code points drawn */
  HPDF_Font cur_font;                 /* the page's current Tf */
  double cur_size;
  char *tmp;                          /* NUL-terminated copy for TextOut */
  size_t ctmp;
  HPDF_STATUS error, detail;
};

static void HPDF_STDCALL on_error(HPDF_STATUS error_no,
                                  HPDF_STATUS detail_no, void *user) {
  struct pdf *p = user;
  if (!p->error) {
    p->error = error_no;
    p->detail = detail_no;
  }
}

static vb_status failed(const struct pdf *p) {
  if (!p->error)
    return VB_OK;
  return p->error == HPDF_FAILD_TO_ALLOC_MEM ? VB_ENOMEM : VB_EPDF;
}

/* Loads and embeds a face the first time it is drawn: each face fetched
 * costs about 40 KB in the file (tech-notes 1b). */
static HPDF_Font get_font(struct pdf *p, enum vb_face f) {
  const char *name;
  if (p->font[f])
    return p->font[f];
  p->used[f] = vb_calloc(p->mem, BMP / 8, 1);
  if (!p->used[f])
    return NULL;
  name = HPDF_LoadTTFontFromFile(p->doc, p->sub[f].fd >= 0
                                             ? p->sub[f].path
                                             : vb_fonts_path(p->fonts, f),
                                 HPDF_TRUE);
  if (!name)
    return NULL;
  p->font[f] = HPDF_GetFont(p->doc, name, "UTF-8");
  return p->font[f];
}

static vb_status pdf_page_begin(void *user, int page, double w, double h) {
  struct pdf *p = user;
  if (failed(p))
    return failed(p);
  p->page = HPDF_AddPage(p->doc);
  if (!p->page)
    return failed(p) ? failed(p) : VB_EPDF;
  HPDF_Page_SetWidth(p->page, (HPDF_REAL)w);
  HPDF_Page_SetHeight(p->page, (HPDF_REAL)h);
  p->cur_font = NULL;
  p->cur_size = 0;
  return failed(p);
}

static vb_status pdf_page_end(void *user, int page) {
  return failed(user);
}

/* Copies a segment with a NUL for TextOut and records its code points. */
static const char *seg_text(struct pdf *p, const struct vb_seg *g) {
  unsigned char *used = p->used[g->face];
  size_t i = 0;
  if (g->len + 1 > p->ctmp) {
    size_t n = g->len + 1 > 2 * p->ctmp ? g->len + 1 : 2 * p->ctmp;
    char *t = vb_realloc(p->mem, p->tmp, n);
    if (!t)
      return NULL;
    p->tmp = t;
    p->ctmp = n;
  }
  memcpy(p->tmp, g->s, g->len);
  p->tmp[g->len] = '\0';
  while (i < g->len) {
    uint32_t cp = vb_utf8_next(g->s, g->len, &i);
    if (cp < BMP)
      used[cp >> 3] |= (unsigned char)(1u << (cp & 7));
  }
  return p->tmp;
}

static vb_status pdf_line(void *user, const struct vb_pline *l) {
  struct pdf *p = user;
  size_t k;
  int text = 0;
  /* after a libharu failure its objects may be half made: call no more */
  if (failed(p))
    return failed(p);
  for (k = 0; k < l->nseg; k++) {
    const struct vb_seg *g = &l->seg[k];
    HPDF_Font font;
    const char *s;
    if (g->blank)
      continue;
    if (!(font = get_font(p, g->face)))
      return failed(p) ? failed(p) : VB_ENOMEM;
    if (!text) {
      HPDF_Page_BeginText(p->page);
      text = 1;
    }
    if (font != p->cur_font || g->size != p->cur_size) {
      HPDF_Page_SetFontAndSize(p->page, font, (HPDF_REAL)g->size);
      p->cur_font = font;
      p->cur_size = g->size;
    }
    if (!(s = seg_text(p, g)))
      return VB_ENOMEM;
    HPDF_Page_TextOut(p->page, (HPDF_REAL)g->x, (HPDF_REAL)l->y, s);
  }
  if (text)
    HPDF_Page_EndText(p->page);
  /* underlines after ET: path operators are invalid inside BT/ET; touching
   * underlined segments (words and stretched spaces) make one stroke */
  for (k = 0; k < l->nseg; k++) {
    const struct vb_seg *g = &l->seg[k];
    double x2;
    if (!g->underline)
      continue;
    x2 = g->x + g->w;
    while (k + 1 < l->nseg && l->seg[k + 1].underline &&
           l->seg[k + 1].size == g->size && l->seg[k + 1].x - x2 < 0.01) {
      k++;
      x2 = l->seg[k].x + l->seg[k].w;
    }
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)(g->size * UNDER_THICK));
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)g->x,
                     (HPDF_REAL)(l->y - g->size * UNDER_POS));
    HPDF_Page_LineTo(p->page, (HPDF_REAL)x2,
                     (HPDF_REAL)(l->y - g->size * UNDER_POS));
    HPDF_Page_Stroke(p->page);
  }
  return failed(p);
}

static vb_status pdf_rule(void *user, int page, double x1, double y,
                          double x2, double th) {
  struct pdf *p = user;
  if (failed(p))
    return failed(p);
  HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)th);
  HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)y);
  HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)y);
  HPDF_Page_Stroke(p->page);
  return failed(p);
}

static vb_status pdf_vrule(void *user, int page, double x, double y1,
                           double y2, double th) {
  struct pdf *p = user;
  if (failed(p))
    return failed(p);
  HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)th);
  HPDF_Page_MoveTo(p->page, (HPDF_REAL)x, (HPDF_REAL)y1);
  HPDF_Page_LineTo(p->page, (HPDF_REAL)x, (HPDF_REAL)y2);
  HPDF_Page_Stroke(p->page);
  return failed(p);
}

/* libharu 2.3 writes its encoding CMap (one cidrange over everything) as
 * the ToUnicode stream, which poppler rejects. Replace it with bfchar
 * entries for exactly the code points drawn; with the UTF-8 encoder the
 * CID is the code point (tech-notes 1a). bfrange is avoided: Ghostscript
 * decodes it wrongly. */
static vb_status fix_tounicode(struct pdf *p, HPDF_Font font,
                               const unsigned char *used) {
  static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo",
                                     "WMode"};
  HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
  HPDF_Stream s;
  char line[32];
  size_t i;
  uint32_t cp, n = 0, block;
  if (!tu || !tu->stream)
    return VB_EPDF;
  s = tu->stream;
  HPDF_MemStream_FreeData(s);
  /* returns HPDF_DICT_ITEM_NOT_FOUND, without raising, when absent */
  for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
    HPDF_Dict_RemoveElement(tu, drop[i]);
  HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n"
                          "12 dict begin\nbegincmap\n"
                          "/CIDSystemInfo << /Registry (Adobe) /Ordering "
                          "(UCS) /Supplement 0 >> def\n"
                          "/CMapName /Adobe-Identity-UCS def\n"
                          "/CMapType 2 def\n1 begincodespacerange\n"
                          "<0000> <FFFF>\nendcodespacerange\n");
  for (cp = 0; cp < BMP; cp++)
    n += (used[cp >> 3] >> (cp & 7)) & 1;
  for (cp = 0; n > 0;) {
    block = n < BFCHAR_BLOCK ? n : BFCHAR_BLOCK;
    snprintf(line, sizeof(line), "%u beginbfchar\n", (unsigned)block);
    HPDF_Stream_WriteStr(s, line);
    n -= block;
    for (; block > 0; cp++) {
      if (!((used[cp >> 3] >> (cp & 7)) & 1))
        continue;
      snprintf(line, sizeof(line), "<%04X> <%04X>\n", (unsigned)cp,
               (unsigned)cp);
      HPDF_Stream_WriteStr(s, line);
      block--;
    }
    HPDF_Stream_WriteStr(s, "endbfchar\n");
  }
  HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap "
                          "defineresource pop\nend\nend\n");
  return failed(p);
}

static vb_status save(struct pdf *p, const struct vb_tree *t,
                      struct vb_buf *out) {
  HPDF_BYTE chunk[READ_CHUNK];
  HPDF_UINT32 left, n;
  HPDF_STATUS rc;
  vb_status err;
  int f;
  if ((err = failed(p)))
    return err;
  for (f = 0; f < VB_FACE_COUNT; f++)
    if (p->font[f] && (err = fix_tounicode(p, p->font[f], p->used[f])))
      return err;
  if (t->title && t->title[0])
    HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, t->title);
  if (t->subject && t->subject[0])
    HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, t->subject);
  HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "vanban");
  if ((err = failed(p)))
    return err;
  if (HPDF_SaveToStream(p->doc) != HPDF_OK)
    return failed(p) ? failed(p) : VB_EPDF;
  left = HPDF_GetStreamSize(p->doc);
  while (left > 0) {
    n = left < READ_CHUNK ? left : READ_CHUNK;
    rc = HPDF_ReadFromStream(p->doc, chunk, &n);
    if (rc != HPDF_OK && rc != HPDF_STREAM_EOF)
      return failed(p) ? failed(p) : VB_EPDF;
    if (n == 0)
      break;
    vb_buf_put(out, chunk, n);
    left -= n;
  }
  if (left > 0)
    return VB_EPDF;
  return vb_buf_err(out);
}

struct cpset {
  unsigned char seen[BMP / 8];
  uint32_t *v;
  size_t n, cap;
  int failed;
};

static void add_cp(const vb_mem *mem, struct cpset *c, uint32_t cp) {
  if (cp >= BMP || (c->seen[cp >> 3] & (1u << (cp & 7))))
    return;
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 512;
    uint32_t *v = vb_realloc(mem, c->v, cap * sizeof(*v));
    if (!v) {
      c->failed = 1;
      return;
    }
    c->v = v;
    c->cap = cap;
  }
  c->seen[cp >> 3] |= (unsigned char)(1u << (cp & 7));
  c->v[c->n++] = cp;
}

/* Subsets each face to the characters the tree draws in it: a face costs
 * ~3 KB instead of ~40 KB, and libharu parses it in a fraction of the time
 * (tech-notes §5). Layout draws only the tree's text, with U+2011 as
 * U+2010 and NBSP as a space, plus page numbers in the regular face. A
 * face whose subset fails is embedded whole. */
static vb_status make_subsets(struct pdf *p, const struct vb_tree *t) {
  struct vb_iter it;
  const struct vb_node *n;
  struct cpset *cs;
  vb_status err = VB_OK;
  const char *digits = "0123456789";
  int f;
  cs = vb_calloc(p->mem, VB_FACE_COUNT, sizeof(*cs));
  if (!cs)
    return VB_ENOMEM;
  for (; *digits; digits++)
    add_cp(p->mem, &cs[VB_FACE_REGULAR], (uint32_t)*digits);
  vb_iter_init(&it, t->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    size_t i = 0;
    n = vb_iter_node(&it);
    if (it.ev == VB_EVENT_ENTER && !n->first &&
        (n->type == VB_NODE_FIELD || n->type == VB_NODE_FIELD_BLOCK))
      add_cp(p->mem, &cs[vb_face_for(n->as.field.flags)], '.'); /* dots */
    if (it.ev != VB_EVENT_ENTER || n->type != VB_NODE_TEXT)
      continue;
    f = vb_face_for(n->as.text.flags);
    while (i < n->as.text.len) {
      uint32_t cp = vb_utf8_next(n->as.text.text, n->as.text.len, &i);
      add_cp(p->mem, &cs[f], cp == 0x2011 ? 0x2010 : cp);
    }
  }
  for (f = 0; f < VB_FACE_COUNT; f++)
    if (cs[f].n) /* NBSP is drawn as a space */
      add_cp(p->mem, &cs[f], ' ');
  for (f = 0; f < VB_FACE_COUNT; f++) {
    if (cs[f].failed) {
      err = VB_ENOMEM;
      break;
    }
    if (cs[f].n)
      vb_subset_make(vb_fonts_path(p->fonts, (enum vb_face)f), cs[f].v,
                     cs[f].n, &p->sub[f]);
  }
  for (f = 0; f < VB_FACE_COUNT; f++)
    vb_mfree(p->mem, cs[f].v);
  vb_mfree(p->mem, cs);
  return err;
}

vb_status vb_render_pdf(const struct vb_tree *t, struct vb_fonts *fonts,
                        const vb_mem *mem, struct vb_buf *out) {
  struct pdf p;
  struct vb_layout_sink sink = {NULL,     pdf_page_begin, pdf_line,
                                pdf_rule, pdf_page_end,   pdf_vrule};
  const vb_mem *saved = hpdf_mem;
  struct hblock *saved_live = hpdf_live;
  vb_status err;
  int f;
  memset(&p, 0, sizeof(p));
  p.fonts = fonts;
  p.mem = mem;
  for (f = 0; f < VB_FACE_COUNT; f++)
    p.sub[f].fd = -1;
  sink.user = &p;
  hpdf_mem = mem;
  hpdf_live = NULL;
  p.doc = HPDF_NewEx(on_error, hpdf_alloc, hpdf_free, 0, &p);
  if (!p.doc) {
    err = VB_ENOMEM;
    goto out;
  }
  HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(p.doc);
  HPDF_SetCurrentEncoder(p.doc, "UTF-8");
  if ((err = failed(&p)))
    goto out;
  if ((err = make_subsets(&p, t)))
    goto out;
  if ((err = vb_layout_run(t, fonts, mem, &sink)))
    goto out;
  err = save(&p, t, out);
  /* the stream-reading loop may end on HPDF_STREAM_EOF */
  if (!err && p.error == HPDF_STREAM_EOF)
    p.error = 0;
out:
  if (p.doc)
    HPDF_Free(p.doc);
  while (hpdf_live) /* what libharu's error paths left behind */
    hpdf_free(hpdf_live->data);
  for (f = 0; f < VB_FACE_COUNT; f++) {
    vb_mfree(mem, p.used[f]);
    vb_subset_close(&p.sub[f]);
  }
  vb_mfree(mem, p.tmp);
  hpdf_mem = saved;
  hpdf_live = saved_live;
  return err;
}
