/* render_pdf.c - draws the pages of layout.c with libharu: faces embedded
 * lazily, one TextOut per word on justified lines, a valid ToUnicode CMap,
 * and deterministic bytes saved to memory. The only file using libharu. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
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
  const struct vb_page_setup *pg;     /* the page of the tree drawn */
  int overlay;                        /* values only: no border */
  double dx, dy;                      /* overlay shift, points */
  const struct vb_tree *tree;         /* the tree being drawn */
  int pages;                          /* drawn so far (a book) */
  int compact;                        /* deflate each page when drawn */
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

/* The decorative frame of a certificate (vb_page_setup.border): a thick
 * outer line, a thin inner one FRAME_GAP inside it, and a small square in
 * each corner between them. Vector lines only: a few hundred bytes. */
#define FRAME_OUTER 2.2
#define FRAME_INNER 0.7
#define FRAME_GAP 5.0
static void draw_border(struct pdf *p, double w, double h) {
  double b = p->pg->border / 20.0, g = FRAME_GAP, q = b + g;
  int k;
  HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)FRAME_OUTER);
  HPDF_Page_Rectangle(p->page, (HPDF_REAL)b, (HPDF_REAL)b,
                      (HPDF_REAL)(w - 2 * b), (HPDF_REAL)(h - 2 * b));
  HPDF_Page_Stroke(p->page);
  HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)FRAME_INNER);
  HPDF_Page_Rectangle(p->page, (HPDF_REAL)q, (HPDF_REAL)q,
                      (HPDF_REAL)(w - 2 * q), (HPDF_REAL)(h - 2 * q));
  for (k = 0; k < 4; k++) {
    double x = k & 1 ? w - q - 2 * g : q + g, y = k & 2 ? h - q - 2 * g : q + g;
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)g,
                        (HPDF_REAL)g);
  }
  HPDF_Page_Stroke(p->page);
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
  p->pages++;
  if (p->pg && p->pg->border && !p->overlay)
    draw_border(p, w, h);
  return failed(p);
}

/* The compressed content of a page fits in about this much. */
#define PAGE_CHUNK 1024

/* libharu keeps each page's content stream raw, in 4 KB chunks, until the
 * file is saved: 10,000 certificates would hold 80 MB. A book deflates
 * each page as soon as it is drawn (the same bytes libharu would write)
 * and keeps only that: about 1 KB a page. */
/* libharu drops a /Filter entry of a stream whose filter it does not
 * apply itself; the entry is written with the dictionary instead. */
static HPDF_STATUS HPDF_STDCALL write_flate(HPDF_Dict obj, HPDF_Stream out) {
  (void)obj;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

static vb_status compact_page(struct pdf *p) {
  HPDF_PageAttr attr = (HPDF_PageAttr)p->page->attr;
  HPDF_Dict contents = attr->contents;
  HPDF_Stream packed;
  if (!contents || !contents->stream ||
      !(contents->filter & HPDF_STREAM_FILTER_FLATE_DECODE))
    return failed(p);
  packed = HPDF_MemStream_New(p->doc->mmgr, PAGE_CHUNK);
  if (!packed)
    return failed(p) ? failed(p) : VB_ENOMEM;
  if (contents->write_fn ||
      HPDF_Stream_WriteToStream(contents->stream, packed,
                                HPDF_STREAM_FILTER_FLATE_DECODE,
                                NULL) != HPDF_OK) {
    HPDF_Stream_Free(packed);
    return failed(p) ? failed(p) : VB_EPDF;
  }
  HPDF_Stream_Free(contents->stream);
  contents->stream = packed;
  attr->stream = packed;
  contents->filter = HPDF_STREAM_FILTER_NONE;
  contents->write_fn = write_flate;
  return failed(p);
}

static vb_status pdf_page_end(void *user, int page) {
  struct pdf *p = user;
  (void)page;
  if (!failed(p) && p->compact)
    return compact_page(p);
  return failed(p);
}

/* Whether a segment is (part of) a value's run: segments point into the
 * text of the tree's runs. Only overlays ask, a few runs a page. */
static int is_value(const struct pdf *p, const struct vb_seg *g) {
  struct vb_iter it;
  const struct vb_node *n;
  vb_iter_init(&it, p->tree->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    n = vb_iter_node(&it);
    if (it.ev == VB_EVENT_ENTER && n->type == VB_NODE_TEXT &&
        g->s >= n->as.text.text &&
        g->s < n->as.text.text + n->as.text.len)
      return (n->as.text.flags & VB_RUN_VALUE) != 0;
  }
  return 0;
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
    if (g->blank || (p->overlay && !is_value(p, g)))
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
    HPDF_Page_TextOut(p->page, (HPDF_REAL)(g->x + p->dx),
                      (HPDF_REAL)(l->y - p->dy), s);
  }
  if (text)
    HPDF_Page_EndText(p->page);
  /* underlines after ET: path operators are invalid inside BT/ET; touching
   * underlined segments (words and stretched spaces) make one stroke */
  for (k = 0; k < l->nseg; k++) {
    const struct vb_seg *g = &l->seg[k];
    double x2;
    if (!g->underline || p->overlay)
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
  if (failed(p) || p->overlay) /* rules are the form's, not values */
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

/* What is written last: the ToUnicode maps of the faces drawn, the
 * document information. */
static vb_status finish(struct pdf *p, const struct vb_tree *t) {
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
  return failed(p);
}

static vb_status save(struct pdf *p, const struct vb_tree *t,
                      struct vb_buf *out) {
  HPDF_BYTE chunk[READ_CHUNK];
  HPDF_UINT32 left, n;
  HPDF_STATUS rc;
  vb_status err;
  if ((err = finish(p, t)))
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

/* Adds the characters tree t draws, per face, to cs[VB_FACE_COUNT].
 * Layout draws only the tree's text, with U+2011 as U+2010 and NBSP as a
 * space, plus page numbers in the regular face and dots for blank form
 * fields. */
static void collect_chars(const vb_mem *mem, struct cpset *cs,
                          const struct vb_tree *t) {
  struct vb_iter it;
  const struct vb_node *n;
  const char *digits = "0123456789";
  int f;
  for (; *digits; digits++)
    add_cp(mem, &cs[VB_FACE_REGULAR], (uint32_t)*digits);
  vb_iter_init(&it, t->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    size_t i = 0;
    n = vb_iter_node(&it);
    if (it.ev == VB_EVENT_ENTER && !n->first &&
        (n->type == VB_NODE_FIELD || n->type == VB_NODE_FIELD_BLOCK))
      add_cp(mem, &cs[vb_face_for(n->as.field.flags)], '.'); /* dots */
    if (it.ev != VB_EVENT_ENTER || n->type != VB_NODE_TEXT)
      continue;
    f = vb_face_for(n->as.text.flags);
    while (i < n->as.text.len) {
      uint32_t cp = vb_utf8_next(n->as.text.text, n->as.text.len, &i);
      add_cp(mem, &cs[f], cp == 0x2011 ? 0x2010 : cp);
    }
  }
  for (f = 0; f < VB_FACE_COUNT; f++)
    if (cs[f].n) /* NBSP is drawn as a space */
      add_cp(mem, &cs[f], ' ');
}

/* Subsets the faces to the characters of cs; a face whose subset fails
 * is embedded whole. */
static vb_status subset_faces(struct vb_fonts *fonts, struct cpset *cs,
                              struct vb_subset *sub) {
  int f;
  for (f = 0; f < VB_FACE_COUNT; f++)
    if (cs[f].failed)
      return VB_ENOMEM;
  for (f = 0; f < VB_FACE_COUNT; f++)
    if (cs[f].n)
      vb_subset_make(vb_fonts_path(fonts, (enum vb_face)f), cs[f].v, cs[f].n,
                     &sub[f]);
  return VB_OK;
}

/* Subsets each face to the characters the tree draws in it: a face costs
 * ~3 KB instead of ~40 KB, and libharu parses it in a fraction of the time
 * (tech-notes §5). */
static vb_status make_subsets(struct pdf *p, const struct vb_tree *t) {
  struct cpset *cs;
  vb_status err;
  int f;
  cs = vb_calloc(p->mem, VB_FACE_COUNT, sizeof(*cs));
  if (!cs)
    return VB_ENOMEM;
  collect_chars(p->mem, cs, t);
  err = subset_faces(p->fonts, cs, p->sub);
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
  p.pg = &t->page;
  p.tree = t;
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

/* --- books: many trees in one PDF, subsets shared ------------------------ */

struct vb_pdf_chars {
  const vb_mem *mem;
  struct cpset cs[VB_FACE_COUNT];
  struct vb_subset sub[VB_FACE_COUNT];
  int made;
};

vb_status vb_pdf_chars_new(const vb_mem *mem, struct vb_pdf_chars **out) {
  struct vb_pdf_chars *c = vb_calloc(mem, 1, sizeof(*c));
  int f;
  *out = NULL;
  if (!c)
    return VB_ENOMEM;
  c->mem = mem;
  for (f = 0; f < VB_FACE_COUNT; f++)
    c->sub[f].fd = -1;
  *out = c;
  return VB_OK;
}

void vb_pdf_chars_add(struct vb_pdf_chars *c, const struct vb_tree *t) {
  if (!c->made)
    collect_chars(c->mem, c->cs, t);
}

static int cmp_cp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* libharu looks every one of the 65,536 CIDs up in the face's cmap when it
 * embeds it, scanning the cmap's segments one by one: each segment costs
 * about 30 µs a face a file (tech-notes §5). A subset of exactly the
 * characters drawn has one segment per run of consecutive code points,
 * dozens for Vietnamese; filling gaps of up to CMAP_GAP code points
 * between them makes a few segments, for a few more glyphs. */
#define CMAP_GAP 64
static void close_gaps(const vb_mem *mem, struct cpset *cs) {
  size_t i, n = cs->n;
  if (n < 2)
    return;
  qsort(cs->v, n, sizeof(*cs->v), cmp_cp);
  for (i = 0; i + 1 < n; i++) {
    uint32_t a = cs->v[i], b = cs->v[i + 1], cp;
    if (b - a > 1 && b - a <= CMAP_GAP)
      for (cp = a + 1; cp < b; cp++)
        add_cp(mem, cs, cp);
  }
}

vb_status vb_pdf_chars_subset(struct vb_pdf_chars *c,
                              struct vb_fonts *fonts) {
  int f;
  if (c->made)
    return VB_OK;
  c->made = 1;
  for (f = 0; f < VB_FACE_COUNT; f++)
    close_gaps(c->mem, &c->cs[f]);
  return subset_faces(fonts, c->cs, c->sub);
}

void vb_pdf_chars_free(struct vb_pdf_chars *c) {
  int f;
  if (!c)
    return;
  for (f = 0; f < VB_FACE_COUNT; f++) {
    vb_mfree(c->mem, c->cs[f].v);
    vb_subset_close(&c->sub[f]);
  }
  vb_mfree(c->mem, c);
}

struct vb_pdf_book {
  struct pdf p;
  struct hblock *live; /* libharu's blocks, between calls */
  int broken;
};

/* libharu's allocator state is per call (thread-local): a book swaps its
 * own in on entry and out on exit. */
struct hstate {
  const vb_mem *mem;
  struct hblock *live;
};
static void book_enter(struct vb_pdf_book *b, struct hstate *saved) {
  saved->mem = hpdf_mem;
  saved->live = hpdf_live;
  hpdf_mem = b->p.mem;
  hpdf_live = b->live;
}
static void book_leave(struct vb_pdf_book *b, const struct hstate *saved) {
  b->live = hpdf_live;
  hpdf_mem = saved->mem;
  hpdf_live = saved->live;
}

vb_status vb_pdf_book_new(const vb_mem *mem, struct vb_fonts *fonts,
                          const struct vb_pdf_chars *chars,
                          const struct vb_pdf_look *look,
                          struct vb_pdf_book **out) {
  struct vb_pdf_book *b = vb_calloc(mem, 1, sizeof(*b));
  struct hstate saved;
  vb_status err;
  int f;
  *out = NULL;
  if (!b)
    return VB_ENOMEM;
  b->p.fonts = fonts;
  b->p.mem = mem;
  for (f = 0; f < VB_FACE_COUNT; f++) {
    /* a shared subset, borrowed: the book never closes it */
    b->p.sub[f].fd = -1;
    if (chars && chars->made && chars->sub[f].fd >= 0)
      b->p.sub[f] = chars->sub[f];
  }
  b->p.compact = 1;
  if (look) {
    b->p.overlay = look->overlay;
    b->p.dx = look->dx;
    b->p.dy = look->dy;
  }
  book_enter(b, &saved);
  b->p.doc = HPDF_NewEx(on_error, hpdf_alloc, hpdf_free, 0, &b->p);
  if (b->p.doc) {
    HPDF_SetCompressionMode(b->p.doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(b->p.doc);
    HPDF_SetCurrentEncoder(b->p.doc, "UTF-8");
  }
  err = b->p.doc ? failed(&b->p) : VB_ENOMEM;
  book_leave(b, &saved);
  if (err) {
    vb_pdf_book_free(b);
    return err;
  }
  *out = b;
  return VB_OK;
}

vb_status vb_pdf_book_add(struct vb_pdf_book *b, const struct vb_tree *t,
                          int *pages) {
  struct vb_layout_sink sink = {NULL,     pdf_page_begin, pdf_line,
                                pdf_rule, pdf_page_end,   pdf_vrule};
  struct hstate saved;
  int before = b->p.pages;
  vb_status err;
  if (b->broken)
    return VB_EUSAGE;
  sink.user = &b->p;
  b->p.pg = &t->page;
  b->p.tree = t;
  book_enter(b, &saved);
  err = vb_layout_run(t, b->p.fonts, b->p.mem, &sink);
  book_leave(b, &saved);
  b->p.tree = NULL;
  b->p.pg = NULL;
  if (!err && b->p.pages > VB_MAX_PAGES)
    err = VB_ELIMIT;
  if (err)
    b->broken = 1;
  if (pages)
    *pages = b->p.pages - before;
  return err;
}

vb_status vb_pdf_book_save(struct vb_pdf_book *b, const char *title,
                           struct vb_buf *out) {
  struct vb_tree meta;
  struct hstate saved;
  vb_status err;
  if (b->broken)
    return VB_EUSAGE;
  memset(&meta, 0, sizeof(meta));
  meta.title = title;
  book_enter(b, &saved);
  err = save(&b->p, &meta, out);
  if (!err && b->p.error == HPDF_STREAM_EOF)
    b->p.error = 0;
  book_leave(b, &saved);
  b->broken = 1; /* saved once */
  return err;
}

vb_status vb_pdf_book_save_file(struct vb_pdf_book *b, const char *title,
                                const char *path) {
  struct vb_tree meta;
  struct hstate saved;
  vb_status err;
  if (b->broken)
    return VB_EUSAGE;
  memset(&meta, 0, sizeof(meta));
  meta.title = title;
  book_enter(b, &saved);
  err = finish(&b->p, &meta);
  if (!err && HPDF_SaveToFile(b->p.doc, path) != HPDF_OK)
    err = failed(&b->p) ? failed(&b->p) : VB_EIO;
  if (err == VB_EPDF && (b->p.error == HPDF_FILE_IO_ERROR ||
                         b->p.error == HPDF_FILE_OPEN_ERROR))
    err = VB_EIO;
  book_leave(b, &saved);
  b->broken = 1;
  return err;
}

void vb_pdf_book_free(struct vb_pdf_book *b) {
  struct hstate saved;
  int f;
  if (!b)
    return;
  book_enter(b, &saved);
  if (b->p.doc)
    HPDF_Free(b->p.doc);
  while (hpdf_live) /* what libharu's error paths left behind */
    hpdf_free(hpdf_live->data);
  book_leave(b, &saved);
  for (f = 0; f < VB_FACE_COUNT; f++)
    vb_mfree(b->p.mem, b->p.used[f]);
  vb_mfree(b->p.mem, b->p.tmp);
  vb_mfree(b->p.mem, b);
}

static vb_status count_page(void *user, int page, double w, double h) {
  (void)w;
  (void)h;
  *(int *)user = page;
  return VB_OK;
}
static vb_status count_line(void *user, const struct vb_pline *l) {
  (void)user;
  (void)l;
  return VB_OK;
}
static vb_status count_rule(void *user, int page, double x1, double y,
                            double x2, double th) {
  (void)user;
  (void)page;
  (void)x1;
  (void)y;
  (void)x2;
  (void)th;
  return VB_OK;
}
static vb_status count_end(void *user, int page) {
  (void)user;
  (void)page;
  return VB_OK;
}

vb_status vb_pdf_count_pages(const struct vb_tree *t, struct vb_fonts *fonts,
                             const vb_mem *mem, int *pages) {
  struct vb_layout_sink sink = {NULL,       count_page, count_line,
                                count_rule, count_end,  NULL};
  *pages = 0;
  sink.user = pages;
  return vb_layout_run(t, fonts, mem, &sink);
}
