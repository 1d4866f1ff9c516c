/* layout.c - the PDF typesetter: breaks paragraphs into lines at spaces,
 * stacks lines, rules and table rows into pages under Word's keep rules,
 * and hands every finished page to a sink (render_pdf.c, or the dump). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "mem.h"
#include "render.h"
#include "text.h"

#define TW 20.0  /* twips per point */
#define EPS 1e-6 /* slack when a sum of widths is compared with a measure */
/* A line is full when its untruncated width comes within this of the
 * measure: LibreOffice moves the last word down there (measured on the
 * examples: lines 0.049 pt short of the margin broke earlier in
 * LibreOffice, lines 0.062 pt short did not), and a DOCX whose lines break
 * where the PDF's do is the point. */
#define FIT_SLACK 0.055
/* The DOCX writes the hyphen of a protected token as w:noBreakHyphen
 * (text.h). LibreOffice measures that one in italic 0.092 em wider than
 * the font's hyphen (measured: 20 of them at 14 pt, 25.8 pt more), and
 * fills the line accordingly; upright it is the hyphen's own width. */
#define HARD_HYPHEN_ITALIC_EM 0.092
/* LibreOffice keeps room for the overhang of an italic word ending a
 * line: 1/12 of its size (measured at 14 pt: italic lines 1.18 pt short
 * of the margin broke earlier there, lines 1.32 pt short did not, upright
 * ones 0.06 pt short did not). */
#define ITALIC_OVERHANG (1.0 / 12)
/* Half-points for text whose run and paragraph both leave the size unset:
 * the body size of the decree (14 pt). */
#define DEFAULT_SIZE 28
/* Underline geometry in em, close to Liberation Serif's post table. */
#define UNDER_POS 0.106
#define UNDER_THICK 0.049

enum { T_WORD, T_SPACE, T_BREAK };
enum { END_WRAP, END_BREAK, END_PARA };
enum { B_LINE, B_RULE, B_ROW };

/* A word piece, a run of spaces or a forced break. Input tokens belong
 * to the paragraph being broken; output tokens are the content of lines. */
struct tok {
  const char *s;
  size_t len;
  double w;            /* advance width in points, as drawn */
  double fw;           /* untruncated width, for filling lines */
  int size;            /* half-points */
  unsigned char kind;
  unsigned char face;
  unsigned char under;
  unsigned char join;  /* input: continues the previous word (next run) */
  unsigned char inner; /* output: spaces between words, stretched */
  unsigned char leader; /* dots of a blank form field (L_*) */
};

/* A blank form field prints as dots in the text face, so that pdftotext
 * shows where a value goes: L_FIXED of the field's blank_width, L_FILL to
 * the end of the line (at least LEADER_MIN dots; fewer room wraps). */
enum { L_NONE, L_FIXED, L_FILL };
#define LEADER_MIN 3
/* A blank multi-paragraph field: its dotted lines are 1.5 lines apart,
 * room to write by hand. */
#define BLANK_BLOCK_LINE 360
static const char leader_dots[] =
    "................................................................"
    "................................................................"
    "................................................................"
    "................................................................";
#define LEADER_MAX (sizeof(leader_dots) - 1)

struct line {
  size_t first, end; /* tokens in store->toks */
  double x;          /* left of the line box from the container's left */
  double avail, w, h, ascent;
  size_t nspaces;    /* inner space characters */
  unsigned char align, just, face;
  int size;          /* half-points; for an empty line */
};

struct item {        /* a line or rule in a cell, y from the cell top */
  int rule;
  double y;
  size_t line;
  double x1, x2, th;
};

struct cell {
  double x, w, h;
  double bx, bw;     /* the cell's box, padding included (borders) */
  int bottom;
  size_t item0, nitem;
};

/* Everything one top-level block needs until its last box is drawn;
 * freed when the last box referring to it has been drawn. */
struct store {
  int refs;
  struct vb_arena arena; /* mapped copies of text */
  struct tok *toks;
  size_t ntoks, ctoks;
  struct line *lines;
  size_t nlines, clines;
  struct item *items;
  size_t nitems, citems;
  struct cell *cells;
  size_t ncells, ccells;
  /* a table: its border width (0: none), and the boxes of its header
   * rows, put again at the top of every page its rows run over */
  double border;
  struct box *heads;
  size_t nheads, cheads;
};

/* One unit of pagination: a line, a rule or a table row. */
struct box {
  struct store *st;
  double gap, h;   /* gap above it is dropped at the top of a page */
  unsigned char kind, nobreak; /* nobreak: no page break before it */
  unsigned char head; /* a header row of its table */
  size_t idx, n;   /* line index; or first cell and count */
  double x1, x2, th; /* line: x1 = container x; rule geometry */
  double from, to; /* row: the slice of the row drawn (to = 0: whole) */
};

struct lay {
  const struct vb_tree *t;
  struct vb_fonts *fonts;
  const vb_mem *mem;
  const struct vb_layout_sink *sink;
  double pw, ph, top, left, width, area;
  double asc[VB_FACE_COUNT], lh[VB_FACE_COUNT]; /* em */
  struct tok *in;
  size_t nin, cin;
  size_t *brk;   /* ICU break offsets of input token brk_tok */
  size_t nbrk, cbrk, brk_tok;
  int brk_ok;
  struct vb_seg *seg;
  size_t cseg;
  struct box *q; /* the current page's boxes, then the unplaced ones */
  size_t nq, cq;
  double used;   /* height taken on the current page */
  int page;      /* pages emitted so far */
  size_t forced; /* boxes at the front of q placed whatever their height:
                    repeated header rows and the row after them */
};

static int grow(const vb_mem *m, void *pp, size_t *cap, size_t need,
                size_t size) {
  void **p = pp;
  size_t n = *cap ? *cap : 16;
  void *np;
  if (need <= *cap)
    return 1;
  while (n < need) {
    if (n > SIZE_MAX / 2)
      return 0;
    n *= 2;
  }
  if (n > SIZE_MAX / size)
    return 0;
  np = vb_realloc(m, *p, n * size);
  if (!np)
    return 0;
  *p = np;
  *cap = n;
  return 1;
}

static struct store *store_new(const vb_mem *m) {
  struct store *st = vb_calloc(m, 1, sizeof(*st));
  if (st) {
    st->refs = 1;
    vb_arena_init(&st->arena, m);
  }
  return st;
}

static void store_release(const vb_mem *m, struct store *st) {
  if (!st || --st->refs > 0)
    return;
  vb_arena_release(&st->arena);
  vb_mfree(m, st->toks);
  vb_mfree(m, st->lines);
  vb_mfree(m, st->items);
  vb_mfree(m, st->cells);
  vb_mfree(m, st->heads);
  vb_mfree(m, st);
}

/* U+2011 (not in Liberation Serif) draws as U+2010; U+00A0 as a space. */
static int needs_map(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k;
  for (k = 0; k + 1 < len; k++) {
    if (u[k] == 0xC2 && u[k + 1] == 0xA0)
      return 1;
    if (u[k] == 0xE2 && k + 2 < len && u[k + 1] == 0x80 && u[k + 2] == 0x91)
      return 1;
  }
  return 0;
}

static char *map_copy(struct vb_arena *a, const char *s, size_t len,
                      size_t *out) {
  const unsigned char *u = (const unsigned char *)s;
  char *d = vb_arena_alloc(a, len + 1);
  size_t k = 0, n = 0;
  if (!d)
    return NULL;
  while (k < len) {
    if (k + 1 < len && u[k] == 0xC2 && u[k + 1] == 0xA0) {
      d[n++] = ' ';
      k += 2;
    } else if (k + 2 < len && u[k] == 0xE2 && u[k + 1] == 0x80 &&
               u[k + 2] == 0x91) {
      d[n++] = (char)0xE2;
      d[n++] = (char)0x80;
      d[n++] = (char)0x90;
      k += 3;
    } else {
      d[n++] = s[k++];
    }
  }
  *out = n;
  return d;
}

static int push_in(struct lay *L, const struct tok *t) {
  if (!grow(L->mem, &L->in, &L->cin, L->nin + 1, sizeof(*t)))
    return 0;
  L->in[L->nin++] = *t;
  return 1;
}

static int para_size(const struct vb_pstyle *ps) {
  return ps->size > 0 ? ps->size : DEFAULT_SIZE;
}

/* The next inline of a paragraph in reading order: into a field's value,
 * and out of it again. */
static const struct vb_node *next_inline(const struct vb_node *p,
                                         const struct vb_node *c) {
  if (c->type == VB_NODE_FIELD && c->first)
    return c->first;
  while (!c->next && c->parent && c->parent != p)
    c = c->parent;
  return c->next;
}

/* The dots token of a blank field. */
static void leader_tok(struct lay *L, const struct vb_node *f, int psize,
                       struct tok *t) {
  double dw;
  size_t n = LEADER_MIN;
  memset(t, 0, sizeof(*t));
  t->kind = T_WORD;
  t->face = (unsigned char)vb_face_for(f->as.field.flags);
  t->size = psize;
  t->under = (f->as.field.flags & VB_RUN_UNDERLINE) != 0;
  dw = vb_font_width(L->fonts, t->face, t->size, ".", 1);
  t->leader = f->as.field.blank_width > 0 ? L_FIXED : L_FILL;
  if (t->leader == L_FIXED && dw > 0) {
    n = (size_t)(f->as.field.blank_width / TW / dw);
    n = n < LEADER_MIN ? LEADER_MIN : n > LEADER_MAX ? LEADER_MAX : n;
  }
  t->s = leader_dots;
  t->len = n;
  t->w = dw * (double)n;
  t->fw = t->w; /* dots fill a line as they are drawn */
}

/* Stretches a filling leader over `room` points. */
static void fit_leader(struct tok *t, double room) {
  double dw = t->w / (double)t->len;
  size_t n = dw > 0 && room > 0 ? (size_t)(room / dw + EPS) : 0;
  n = n < LEADER_MIN ? LEADER_MIN : n > LEADER_MAX ? LEADER_MAX : n;
  t->len = n;
  t->w = dw * (double)n;
  t->fw = t->w;
}

/* The room LibreOffice keeps after t when it ends a line. */
static double overhang(const struct tok *t) {
  return t->face & VB_FACE_ITALIC ? ITALIC_OVERHANG * t->size / 2.0 : 0;
}

/* What Word's non-breaking hyphens of word t (at byte `at` of its run
 * s[0..len)) add to its width as LibreOffice fills a line. */
static double hard_hyphen_extra(const struct tok *t, const char *s,
                                size_t len, size_t at) {
  size_t k, n = 0;
  if (!(t->face & VB_FACE_ITALIC) || t->s != s + at)
    return 0; /* upright; or a mapped copy, which has no hyphen to keep */
  for (k = 0; k < t->len; k++)
    n += t->s[k] == '-' && vb_text_hard_hyphen(s, len, at + k);
  return (double)n * HARD_HYPHEN_ITALIC_EM * t->size / 2.0;
}

/* Splits a paragraph's runs into words at U+0020 and measures each piece
 * once. */
static vb_status tokenize(struct lay *L, struct store *st,
                          const struct vb_node *p) {
  const struct vb_node *c;
  int psize = para_size(&p->as.para);
  L->nin = 0;
  L->brk_ok = 0;
  for (c = p->first; c; c = next_inline(p, c)) {
    struct tok t;
    const char *s;
    size_t len, k = 0, j;
    double spw, fspw;
    memset(&t, 0, sizeof(t));
    if (c->type == VB_NODE_FIELD) {
      if (c->first)
        continue; /* its value: the runs inside */
      leader_tok(L, c, psize, &t);
      if (!push_in(L, &t))
        return VB_ENOMEM;
      continue;
    }
    if (c->type == VB_NODE_LINE_BREAK) {
      t.kind = T_BREAK;
      if (!push_in(L, &t))
        return VB_ENOMEM;
      continue;
    }
    if (c->type != VB_NODE_TEXT || !c->as.text.text)
      continue;
    s = c->as.text.text;
    len = c->as.text.len;
    t.face = (unsigned char)vb_face_for(c->as.text.flags);
    t.size = c->as.text.size > 0 ? c->as.text.size : psize;
    t.under = (c->as.text.flags & VB_RUN_UNDERLINE) != 0;
    spw = vb_font_width(L->fonts, t.face, t.size, " ", 1);
    fspw = vb_font_fit_width(L->fonts, t.face, t.size, " ", 1);
    while (k < len) {
      j = k;
      if (s[k] == ' ') {
        while (j < len && s[j] == ' ')
          j++;
        t.kind = T_SPACE;
        t.s = s + k;
        t.len = j - k;
        t.w = spw * (double)(j - k);
        t.fw = fspw * (double)(j - k);
        t.join = 0;
        /* inside a protected token the spaces are part of the word */
        if (vb_text_glued_space(s, len, k, j)) {
          t.kind = T_WORD;
          t.join = L->nin > 0 && L->in[L->nin - 1].kind == T_WORD;
        }
      } else {
        while (j < len && s[j] != ' ')
          j++;
        t.kind = T_WORD;
        t.s = s + k;
        t.len = j - k;
        if (needs_map(t.s, t.len) &&
            !(t.s = map_copy(&st->arena, s + k, j - k, &t.len)))
          return VB_ENOMEM;
        t.w = vb_font_width(L->fonts, t.face, t.size, t.s, t.len);
        t.fw = vb_font_fit_width(L->fonts, t.face, t.size, t.s, t.len) +
               hard_hyphen_extra(&t, s, len, (size_t)(t.s - s));
        t.join = L->nin > 0 && L->in[L->nin - 1].kind == T_WORD &&
                 !L->in[L->nin - 1].leader;
      }
      if (!push_in(L, &t))
        return VB_ENOMEM;
      k = j;
    }
  }
  return VB_OK;
}

/* ---- balanced centred lines ---- */

struct measure {
  struct vb_fonts *fonts;
  enum vb_face face;
  int size;
};

static double measure_fit(void *user, const char *s, size_t len) {
  const struct measure *m = user;
  return vb_font_fit_width(m->fonts, m->face, m->size, s, len);
}

/* The trích yếu and the names of the header, when longer than a line, are
 * broken where a clerk would break them (text.h), in the PDF and, as
 * explicit breaks, in the DOCX. Only a paragraph of one run is balanced. */
static int balanced_role(const struct vb_node *p) {
  const struct vb_pstyle *ps = &p->as.para;
  return ps->align == VB_ALIGN_CENTER && p->first && p->first == p->last &&
         p->first->type == VB_NODE_TEXT &&
         (ps->role == VB_ROLE_TRICH_YEU || ps->role == VB_ROLE_CHU_QUAN ||
          ps->role == VB_ROLE_CO_QUAN);
}

size_t vb_layout_balance(const struct vb_node *p, struct vb_fonts *fonts,
                         double cw, size_t *breaks, size_t cap,
                         int *sensible) {
  const struct vb_pstyle *ps = &p->as.para;
  const struct vb_node *r = p->first;
  struct measure m;
  double avail;
  if (!balanced_role(p) || !r->as.text.text)
    return 0;
  m.fonts = fonts;
  m.face = vb_face_for(r->as.text.flags);
  m.size = r->as.text.size > 0 ? r->as.text.size : para_size(ps);
  avail = cw - (ps->indent_left + ps->first_indent + ps->indent_right) / TW -
          FIT_SLACK -
          ((m.face & VB_FACE_ITALIC) ? ITALIC_OVERHANG * m.size / 2.0 : 0);
  return vb_text_balance(r->as.text.text, r->as.text.len, avail, measure_fit,
                         &m, breaks, cap, sensible);
}

/* Turns the spaces at the balanced breaks of p into forced breaks. */
static void balance(struct lay *L, const struct vb_node *p, double cw) {
  size_t br[VB_LAYOUT_MAX_BALANCED], n, i, k;
  n = vb_layout_balance(p, L->fonts, cw, br, VB_LAYOUT_MAX_BALANCED, NULL);
  for (i = 0, k = 0; i < L->nin && k < n; i++) {
    struct tok *t = &L->in[i];
    if (t->kind == T_SPACE && t->s == p->first->as.text.text + br[k]) {
      t->kind = T_BREAK;
      k++;
    }
  }
}

static int push_out(struct lay *L, struct store *st, const struct tok *t) {
  if (!grow(L->mem, &st->toks, &st->ctoks, st->ntoks + 1, sizeof(*t)))
    return 0;
  st->toks[st->ntoks++] = *t;
  return 1;
}

/* Largest ICU break opportunity o of input token i with lo < o <= hi, or
 * 0. The offsets are computed once per token: a long word is split over
 * many lines. */
static size_t icu_break(struct lay *L, size_t i, size_t lo, size_t hi) {
  const struct tok *t = &L->in[i];
  size_t a = 0, b;
  if (!L->brk_ok || L->brk_tok != i) {
    long n = vb_text_breaks(t->s, t->len, NULL, 0);
    L->nbrk = 0;
    if (n > 0 && grow(L->mem, &L->brk, &L->cbrk, (size_t)n, sizeof(size_t))) {
      n = vb_text_breaks(t->s, t->len, L->brk, (size_t)n);
      L->nbrk = n > 0 && (size_t)n <= L->cbrk ? (size_t)n : 0;
    }
    L->brk_ok = 1;
    L->brk_tok = i;
  }
  b = L->nbrk;
  while (a < b) { /* first offset > hi */
    size_t mid = a + (b - a) / 2;
    if (L->brk[mid] <= hi)
      a = mid + 1;
    else
      b = mid;
  }
  return a > 0 && L->brk[a - 1] > lo ? L->brk[a - 1] : 0;
}

/* Puts as much of the word at input token *pi (from byte *poff, whose
 * remaining width is *premw) as fits in `room` on the line: whole tokens,
 * then a piece cut at an ICU opportunity, else at a character boundary;
 * never less than one character on an otherwise empty line. */
static vb_status split_word(struct lay *L, struct store *st, size_t *pi,
                            size_t *poff, double *premw, double room,
                            double *width) {
  size_t i = *pi, off = *poff;
  double acc = 0;
  for (;;) {
    const struct tok *t = &L->in[i];
    double tw = off ? *premw : t->w, cw = 0, pw;
    int more = i + 1 < L->nin && L->in[i + 1].kind == T_WORD &&
               L->in[i + 1].join;
    size_t k = off, fit = off, cut;
    struct tok o = *t;
    if (acc + tw <= room + EPS) {
      o.s = t->s + off;
      o.len = t->len - off;
      o.w = tw;
      if (!push_out(L, st, &o))
        return VB_ENOMEM;
      acc += tw;
      i++;
      off = 0;
      if (more)
        continue;
      break;
    }
    while (k < t->len) {
      size_t k2 = k;
      double w;
      vb_utf8_next(t->s, t->len, &k2);
      w = vb_font_width(L->fonts, t->face, t->size, t->s + k, k2 - k);
      if (acc + cw + w > room + EPS)
        break;
      cw += w;
      k = k2;
      fit = k;
    }
    cut = icu_break(L, i, off, fit);
    if (!cut)
      cut = fit;
    if (cut == off) {
      if (acc > 0)
        break; /* the line already holds the start of the word */
      vb_utf8_next(t->s, t->len, &cut);
    }
    pw = cut == fit && cut != off ? cw
         : vb_font_width(L->fonts, t->face, t->size, t->s + off, cut - off);
    o.s = t->s + off;
    o.len = cut - off;
    o.w = pw;
    if (!push_out(L, st, &o))
      return VB_ENOMEM;
    acc += pw;
    if (cut >= t->len) {
      i++;
      off = 0;
    } else {
      off = cut;
      *premw = tw - pw;
    }
    break;
  }
  *pi = i;
  *poff = off;
  *width = acc;
  return VB_OK;
}

/* Moves the pending spaces in[from..to) into the line. */
static vb_status flush_spaces(struct lay *L, struct store *st, size_t from,
                              size_t to, int inner, size_t *nspaces) {
  for (; from < to; from++) {
    struct tok o = L->in[from];
    o.inner = (unsigned char)inner;
    if (inner)
      *nspaces += o.len;
    if (!push_out(L, st, &o))
      return VB_ENOMEM;
  }
  return VB_OK;
}

static void line_metrics(struct lay *L, struct store *st, struct line *ln,
                         const struct vb_pstyle *ps) {
  double h = 0, a = 0, scale = (ps->line > 0 ? ps->line : 240) / 240.0;
  size_t k;
  for (k = ln->first; k < ln->end; k++) {
    const struct tok *t = &st->toks[k];
    double sz = t->size / 2.0;
    if (sz * L->lh[t->face] > h)
      h = sz * L->lh[t->face];
    if (sz * L->asc[t->face] > a)
      a = sz * L->asc[t->face];
  }
  if (ln->first == ln->end) {
    h = ln->size / 2.0 * L->lh[VB_FACE_REGULAR];
    a = ln->size / 2.0 * L->asc[VB_FACE_REGULAR];
  }
  /* Word and LibreOffice lay out in whole twips: a 14 pt line is 322
   * twips (16.1 pt), not 16.086 pt, and over a page that is a line. */
  ln->h = floor(h * scale * TW + 0.5) / TW;
  ln->ascent = a * scale;
}

/* Greedy line fill of the tokenized paragraph in a container cw points
 * wide. Lines break only at U+0020 and forced breaks, and inside a word
 * only when the word alone is longer than the line. */
static vb_status break_para(struct lay *L, struct store *st,
                            const struct vb_pstyle *ps, double cw,
                            size_t *first_line, size_t *nlines) {
  size_t i = 0, off = 0;
  double remw = 0;
  int first = 1, ended;
  vb_status err;
  *first_line = st->nlines;
  do {
    struct line ln;
    double left = (ps->indent_left + (first ? ps->first_indent : 0)) / TW;
    double avail = cw - left - ps->indent_right / TW;
    double w = 0, pw = 0, fw = 0, fpw = 0;
    size_t p0 = 0, p1 = 0, nwords = 0;
    memset(&ln, 0, sizeof(ln));
    ln.first = st->ntoks;
    for (;;) {
      const struct tok *t;
      double ww, fww;
      size_t j;
      if (i == L->nin) {
        ended = END_PARA;
        break;
      }
      t = &L->in[i];
      if (t->kind == T_BREAK) {
        i++;
        ended = END_BREAK;
        break;
      }
      if (t->kind == T_SPACE) {
        if (p1 != i)
          p0 = i;
        p1 = i + 1;
        pw += t->w;
        fpw += t->fw;
        i++;
        continue;
      }
      if (t->leader == L_FILL && !off)
        fit_leader(&L->in[i], avail - w - pw);
      ww = off ? remw : t->w;
      fww = off ? (t->w > 0 ? remw * t->fw / t->w : remw) : t->fw;
      for (j = i + 1; j < L->nin && L->in[j].kind == T_WORD && L->in[j].join;
           j++) {
        ww += L->in[j].w;
        fww += L->in[j].fw;
      }
      if (fw + fpw + fww + overhang(&L->in[j - 1]) <=
          avail - FIT_SLACK + EPS) {
        if ((err = flush_spaces(L, st, p0, p1, nwords > 0, &ln.nspaces)))
          return err;
        for (; i < j; i++, off = 0) {
          struct tok o = L->in[i];
          if (off) {
            o.s += off;
            o.len -= off;
            o.w = remw;
          }
          if (!push_out(L, st, &o))
            return VB_ENOMEM;
        }
        w += pw + ww;
        fw += fpw + fww;
        pw = fpw = 0;
        p0 = p1 = 0;
        nwords++;
        continue;
      }
      if (nwords > 0) {
        ended = END_WRAP;
        break;
      }
      if ((err = flush_spaces(L, st, p0, p1, 0, &ln.nspaces)))
        return err;
      w += pw;
      if ((err = split_word(L, st, &i, &off, &remw, avail - w, &ww)))
        return err;
      w += ww;
      ended = END_WRAP;
      break;
    }
    ln.end = st->ntoks;
    ln.x = left;
    ln.avail = avail;
    ln.w = w;
    ln.align = (unsigned char)ps->align;
    ln.just = ended == END_WRAP && ps->align == VB_ALIGN_JUSTIFY &&
              ln.nspaces > 0;
    ln.size = para_size(ps);
    ln.face = VB_FACE_REGULAR;
    line_metrics(L, st, &ln, ps);
    if (!grow(L->mem, &st->lines, &st->clines, st->nlines + 1, sizeof(ln)))
      return VB_ENOMEM;
    st->lines[st->nlines++] = ln;
    first = 0;
  } while (ended != END_PARA);
  *nlines = st->nlines - *first_line;
  return VB_OK;
}

static void rule_x(const struct vb_node *r, double cx, double cw, double *x1,
                   double *x2) {
  double len = r->as.rule.length / TW;
  switch (r->as.rule.align) {
  case VB_ALIGN_CENTER:
    *x1 = cx + (cw - len) / 2;
    break;
  case VB_ALIGN_RIGHT:
    *x1 = cx + cw - len;
    break;
  default:
    *x1 = cx;
  }
  *x2 = *x1 + len;
}

/* ---- drawing a page ---- */

static vb_status draw_line(struct lay *L, int page, struct store *st,
                           size_t idx, double cx, double top) {
  const struct line *ln = &st->lines[idx];
  double extra = ln->avail - ln->w, x = cx + ln->x, add = 0;
  size_t k, nseg = 0;
  struct vb_pline pl;
  if (ln->align == VB_ALIGN_CENTER)
    x += extra / 2;
  else if (ln->align == VB_ALIGN_RIGHT)
    x += extra;
  else if (ln->just)
    add = extra / (double)ln->nspaces;
  if (!grow(L->mem, &L->seg, &L->cseg, ln->end - ln->first + 1,
            sizeof(*L->seg)))
    return VB_ENOMEM;
  pl.x = x;
  for (k = ln->first; k < ln->end; k++) {
    const struct tok *t = &st->toks[k];
    struct vb_seg *g = nseg ? &L->seg[nseg - 1] : NULL;
    double w = t->w;
    int blank = t->kind == T_SPACE;
    if (blank && t->inner && ln->just)
      w += add * (double)t->len;
    if (g && !ln->just && g->s + g->len == t->s && g->face == t->face &&
        g->size == t->size / 2.0 && g->underline == t->under) {
      g->len += t->len;
      g->w += w;
      g->blank = g->blank && blank;
    } else {
      g = &L->seg[nseg++];
      g->s = t->s;
      g->len = t->len;
      g->x = x;
      g->w = w;
      g->face = (enum vb_face)t->face;
      g->size = t->size / 2.0;
      g->underline = t->under;
      g->blank = blank;
    }
    x += w;
  }
  pl.page = page;
  pl.y = L->ph - (top + ln->ascent);
  pl.seg = L->seg;
  pl.nseg = nseg;
  pl.face = nseg ? L->seg[0].face : (enum vb_face)ln->face;
  pl.size = nseg ? L->seg[0].size : ln->size / 2.0;
  return L->sink->line(L->sink->user, &pl);
}

static vb_status draw_rule(struct lay *L, int page, double x1, double x2,
                           double th, double top) {
  return L->sink->rule(L->sink->user, page, x1, L->ph - (top + th / 2), x2,
                       th);
}

/* The lines around each cell of a bordered row (or of its slice), centred
 * on the cell's edges, as Word draws single borders. */
static vb_status draw_cell_borders(struct lay *L, int page,
                                   const struct box *b, double top) {
  const struct store *st = b->st;
  double th = st->border, y1 = L->ph - top, y2 = L->ph - (top + b->h);
  double x1, x2;
  size_t c;
  vb_status err = VB_OK;
  if (!b->n)
    return VB_OK;
  x1 = st->cells[b->idx].bx;
  x2 = st->cells[b->idx + b->n - 1].bx + st->cells[b->idx + b->n - 1].bw;
  if ((err = L->sink->rule(L->sink->user, page, x1 - th / 2, y1, x2 + th / 2,
                           th)) ||
      (err = L->sink->rule(L->sink->user, page, x1 - th / 2, y2, x2 + th / 2,
                           th)))
    return err;
  if (!L->sink->vrule)
    return VB_OK;
  for (c = b->idx; c < b->idx + b->n && !err; c++)
    err = L->sink->vrule(L->sink->user, page, st->cells[c].bx, y1, y2, th);
  if (!err)
    err = L->sink->vrule(L->sink->user, page, x2, y1, y2, th);
  return err;
}

static vb_status draw_box(struct lay *L, int page, const struct box *b,
                          double top) {
  size_t c, k;
  vb_status err = VB_OK;
  if (b->kind == B_LINE)
    return draw_line(L, page, b->st, b->idx, b->x1, top);
  if (b->kind == B_RULE)
    return draw_rule(L, page, b->x1, b->x2, b->th, top);
  if (b->st->border > 0 && (err = draw_cell_borders(L, page, b, top)))
    return err;
  for (c = b->idx; c < b->idx + b->n && !err; c++) {
    const struct cell *ce = &b->st->cells[c];
    double y0 = top + (ce->bottom && !b->to ? b->h - ce->h : 0) - b->from;
    for (k = ce->item0; k < ce->item0 + ce->nitem && !err; k++) {
      const struct item *it = &b->st->items[k];
      if (b->to && (it->y < b->from - EPS || it->y >= b->to - EPS))
        continue; /* another slice of a row taller than a page */
      err = it->rule ? draw_rule(L, page, it->x1, it->x2, it->th, y0 + it->y)
                     : draw_line(L, page, b->st, it->line, ce->x, y0 + it->y);
    }
  }
  return err;
}

static vb_status draw_page_number(struct lay *L, int page) {
  const struct vb_page_setup *ps = &L->t->page;
  char num[24];
  int n;
  struct vb_seg g;
  struct vb_pline pl;
  if (ps->page_number_size <= 0 || page < ps->page_number_from)
    return VB_OK;
  n = snprintf(num, sizeof(num), "%d", page);
  memset(&g, 0, sizeof(g));
  g.s = num;
  g.len = (size_t)n;
  g.face = VB_FACE_REGULAR;
  g.size = ps->page_number_size / 2.0;
  g.w = vb_font_width(L->fonts, VB_FACE_REGULAR, ps->page_number_size, num,
                      g.len);
  g.x = L->left + (L->width - g.w) / 2;
  pl.page = page;
  pl.x = g.x;
  pl.y = L->ph - (ps->header_distance / TW +
                  L->asc[VB_FACE_REGULAR] * g.size);
  pl.face = VB_FACE_REGULAR;
  pl.size = g.size;
  pl.seg = &g;
  pl.nseg = 1;
  return L->sink->line(L->sink->user, &pl);
}

/* A table's rows go on over a page break: its header rows go first on the
 * new page (Word's w:tblHeader), and the page takes them and the next row
 * whatever their height, so that a page always moves the table on. */
static vb_status repeat_heads(struct lay *L) {
  struct store *st;
  size_t k, n;
  if (!L->nq || L->q[0].kind != B_ROW || L->q[0].head ||
      !(st = L->q[0].st)->nheads)
    return VB_OK;
  n = st->nheads;
  if (!grow(L->mem, &L->q, &L->cq, L->nq + n, sizeof(*L->q)))
    return VB_ENOMEM;
  memmove(L->q + n, L->q, L->nq * sizeof(*L->q));
  for (k = 0; k < n; k++) {
    L->q[k] = st->heads[k];
    L->q[k].gap = 0;
    L->q[k].nobreak = k > 0;
    st->refs++;
  }
  L->q[n].nobreak = 1;
  L->nq += n;
  L->forced = n + 1;
  return VB_OK;
}

/* Draws q[0..j) as the next page and drops those boxes. */
static vb_status emit_page(struct lay *L, size_t j) {
  int page = L->page + 1;
  double y = L->top;
  size_t k;
  vb_status err;
  if (page > VB_LAYOUT_MAX_PAGES)
    return VB_ELIMIT;
  if ((err = L->sink->page_begin(L->sink->user, page, L->pw, L->ph)) ||
      (err = draw_page_number(L, page)))
    return err;
  for (k = 0; k < j; k++) {
    if (k)
      y += L->q[k].gap;
    if ((err = draw_box(L, page, &L->q[k], y)))
      return err;
    y += L->q[k].h;
  }
  if ((err = L->sink->page_end(L->sink->user, page)))
    return err;
  for (k = 0; k < j; k++)
    store_release(L->mem, L->q[k].st);
  if (j < L->nq)
    memmove(L->q, L->q + j, (L->nq - j) * sizeof(*L->q));
  L->nq -= j;
  L->page = page;
  L->used = 0;
  L->forced = 0;
  return repeat_heads(L);
}

/* Places q[k..] on the current page; when a box overflows, the page ends
 * at the last break allowed by the keep rules (or, if the page has none,
 * right before the box) and the rest starts the next page. Every page
 * takes at least one box, so this always ends. */
static vb_status settle(struct lay *L, size_t k) {
  vb_status err;
  while (k < L->nq) {
    const struct box *b = &L->q[k];
    double gap = k ? b->gap : 0;
    size_t j;
    if (k == 0 || k < L->forced || L->used + gap + b->h <= L->area + EPS) {
      L->used += gap + b->h;
      k++;
      continue;
    }
    for (j = k; j > 0 && L->q[j].nobreak; j--)
      ;
    if (j == 0)
      j = k;
    if ((err = emit_page(L, j)))
      return err;
    k = 0;
  }
  return VB_OK;
}

static vb_status push_box(struct lay *L, const struct box *b) {
  if (!grow(L->mem, &L->q, &L->cq, L->nq + 1, sizeof(*b)))
    return VB_ENOMEM;
  L->q[L->nq++] = *b;
  if (b->st)
    b->st->refs++;
  return settle(L, L->nq - 1);
}

/* ---- blocks ---- */

struct flow {
  double after; /* space_after of the previous block */
  int keep;     /* the previous block has keep_next */
};

static vb_status do_para(struct lay *L, const struct vb_node *p,
                         struct flow *f) {
  const struct vb_pstyle *ps = &p->as.para;
  struct store *st = store_new(L->mem);
  size_t l0, n, k;
  vb_status err;
  if (!st)
    return VB_ENOMEM;
  if ((err = tokenize(L, st, p)))
    goto out;
  balance(L, p, L->width);
  if ((err = break_para(L, st, ps, L->width, &l0, &n)))
    goto out;
  for (k = 0; k < n; k++) {
    struct box b;
    memset(&b, 0, sizeof(b));
    b.st = st;
    b.kind = B_LINE;
    b.idx = l0 + k;
    b.x1 = L->left;
    b.h = st->lines[l0 + k].h;
    b.gap = k ? 0 : f->after + ps->space_before / TW;
    b.nobreak = k == 0 ? f->keep
                : ps->keep_lines || ps->keep_next || (ps->widow && k == 1) ||
                      (ps->widow && n >= 3 && k == n - 1);
    if ((err = push_box(L, &b)))
      goto out;
  }
  f->after = ps->space_after / TW;
  f->keep = ps->keep_next;
out:
  store_release(L->mem, st);
  return err;
}

/* One dotted line of a blank multi-paragraph field: a paragraph holding
 * one blank field that fills the line. */
static void blank_line(const struct vb_node *fb, struct vb_node *para,
                       struct vb_node *fld) {
  memset(para, 0, sizeof(*para));
  memset(fld, 0, sizeof(*fld));
  para->type = VB_NODE_PARAGRAPH;
  para->as.para.align = VB_ALIGN_LEFT;
  para->as.para.size = DEFAULT_SIZE;
  para->as.para.line = BLANK_BLOCK_LINE;
  para->first = para->last = fld;
  fld->type = VB_NODE_FIELD;
  fld->parent = para;
  fld->as.field = fb->as.field;
  fld->as.field.kind = VB_FIELD_TEXT;
  fld->as.field.blank_width = 0;
}

/* A multi-paragraph field: its paragraphs, or blank_lines dotted lines. */
static vb_status do_field_block(struct lay *L, const struct vb_node *fb,
                                struct flow *f) {
  const struct vb_node *c;
  struct vb_node para, fld;
  vb_status err = VB_OK;
  int i;
  for (c = fb->first; c && !err; c = c->next)
    if (c->type == VB_NODE_PARAGRAPH)
      err = do_para(L, c, f);
  for (i = 0; !fb->first && i < fb->as.field.blank_lines && !err; i++) {
    blank_line(fb, &para, &fld);
    err = do_para(L, &para, f);
  }
  return err;
}

static vb_status do_rule(struct lay *L, const struct vb_node *r,
                         struct flow *f) {
  struct box b;
  memset(&b, 0, sizeof(b));
  b.kind = B_RULE;
  b.th = r->as.rule.thickness / TW;
  b.h = b.th + VB_RULE_LINE / TW;
  b.gap = r->as.rule.space_before / TW;
  b.nobreak = f->keep;
  rule_x(r, L->left, L->width, &b.x1, &b.x2);
  f->after = r->as.rule.space_after / TW;
  f->keep = 0;
  return push_box(L, &b);
}

static vb_status add_item(struct lay *L, struct store *st,
                          const struct item *it) {
  if (!grow(L->mem, &st->items, &st->citems, st->nitems + 1, sizeof(*it)))
    return VB_ENOMEM;
  st->items[st->nitems++] = *it;
  return VB_OK;
}

/* A paragraph stacked in a cell at *y. */
static vb_status cell_para(struct lay *L, struct store *st,
                           const struct vb_node *b, double w, double *y,
                           double *after) {
  const struct vb_pstyle *ps = &b->as.para;
  struct item it;
  size_t l0, n, k;
  vb_status err;
  memset(&it, 0, sizeof(it));
  if ((err = tokenize(L, st, b)) || (err = break_para(L, st, ps, w, &l0, &n)))
    return err;
  for (k = 0; k < n; k++) {
    it.line = l0 + k;
    it.y = *y + (k ? 0 : *after + ps->space_before / TW);
    if ((err = add_item(L, st, &it)))
      return err;
    *y = it.y + st->lines[l0 + k].h;
  }
  *after = ps->space_after / TW;
  return VB_OK;
}

/* A multi-paragraph field stacked in a cell: as do_field_block. */
static vb_status cell_field_block(struct lay *L, struct store *st,
                                  const struct vb_node *fb, double w,
                                  double *y, double *after) {
  const struct vb_node *c;
  struct vb_node para, fld;
  vb_status err = VB_OK;
  int i;
  for (c = fb->first; c && !err; c = c->next)
    if (c->type == VB_NODE_PARAGRAPH)
      err = cell_para(L, st, c, w, y, after);
  for (i = 0; !fb->first && i < fb->as.field.blank_lines && !err; i++) {
    blank_line(fb, &para, &fld);
    err = cell_para(L, st, &para, w, y, after);
  }
  return err;
}

/* Stacks a cell's blocks from its top, without pagination. */
static vb_status do_cell(struct lay *L, struct store *st,
                         const struct vb_node *cell, double x, double w,
                         double *h) {
  const struct vb_node *b;
  struct cell ce;
  double y = 0, after = 0;
  size_t l0, n, k;
  vb_status err;
  memset(&ce, 0, sizeof(ce));
  ce.x = x;
  ce.w = w;
  ce.bottom = cell->as.cell.valign_bottom != 0;
  ce.item0 = st->nitems;
  for (b = cell->first; b; b = b->next) {
    struct item it;
    memset(&it, 0, sizeof(it));
    if (b->type == VB_NODE_PARAGRAPH) {
      const struct vb_pstyle *ps = &b->as.para;
      if ((err = tokenize(L, st, b)))
        return err;
      balance(L, b, w);
      if ((err = break_para(L, st, ps, w, &l0, &n)))
        return err;
      for (k = 0; k < n; k++) {
        it.line = l0 + k;
        it.y = y + (k ? 0 : after + ps->space_before / TW);
        if ((err = add_item(L, st, &it)))
          return err;
        y = it.y + st->lines[l0 + k].h;
      }
      after = ps->space_after / TW;
    } else if (b->type == VB_NODE_RULE) {
      it.rule = 1;
      it.th = b->as.rule.thickness / TW;
      it.y = y + b->as.rule.space_before / TW;
      rule_x(b, x, w, &it.x1, &it.x2);
      if ((err = add_item(L, st, &it)))
        return err;
      y = it.y + it.th + VB_RULE_LINE / TW;
      after = b->as.rule.space_after / TW;
    } else if (b->type == VB_NODE_FIELD_BLOCK) {
      if ((err = cell_field_block(L, st, b, w, &y, &after)))
        return err;
    }
  }
  ce.h = y + after;
  ce.nitem = st->nitems - ce.item0;
  if (!grow(L->mem, &st->cells, &st->ccells, st->ncells + 1, sizeof(ce)))
    return VB_ENOMEM;
  st->cells[st->ncells++] = ce;
  *h = ce.h;
  return VB_OK;
}

static double item_bottom(const struct store *st, const struct item *it) {
  return it->y + (it->rule ? it->th : st->lines[it->line].h);
}

static int by_top(const void *a, const void *b) {
  double x = ((const struct item *)a)->y, y = ((const struct item *)b)->y;
  return x < y ? -1 : x > y;
}

/* A row taller than a page (a Nơi nhận list of hundreds of lines) cannot
 * keep together: it is cut between lines into slices of at most a page,
 * each a box of its own, rather than drawn past the bottom margin. */
static vb_status push_row_slices(struct lay *L, struct box *b) {
  struct store *st = b->st;
  struct item *its;
  size_t n = 0, c, k, i;
  double from = 0;
  /* the first slice takes what is left of the current page */
  double room = L->area - L->used - (L->nq ? b->gap : 0);
  /* the next pages start with the table's repeated header rows */
  double full = L->area, hh = 0;
  vb_status err = VB_OK;
  for (k = 0; !b->head && k < st->nheads; k++)
    hh += st->heads[k].h;
  if (hh < L->area / 2)
    full -= hh;
  for (c = b->idx; c < b->idx + b->n; c++)
    n += st->cells[c].nitem;
  its = vb_malloc(L->mem, (n ? n : 1) * sizeof(*its));
  if (!its)
    return VB_ENOMEM;
  for (n = 0, c = b->idx; c < b->idx + b->n; c++)
    for (k = 0; k < st->cells[c].nitem; k++)
      its[n++] = st->items[st->cells[c].item0 + k];
  qsort(its, n, sizeof(*its), by_top);
  for (i = 0; i <= n && !err; i++) {
    /* cut before item i when the items above it end within the page but
     * item i itself does not */
    int last = i == n;
    double cap = from == 0 && room > 0 ? room : full;
    if (!last && (item_bottom(st, &its[i]) <= from + cap + EPS ||
                  its[i].y <= from + EPS))
      continue;
    {
      struct box s = *b;
      double to = last ? b->h : its[i].y;
      s.from = from;
      s.to = last ? b->h + 1 : to;
      s.h = (last ? b->h : to) - from;
      if (from > 0) {
        s.gap = 0;
        s.nobreak = 0;
      }
      err = push_box(L, &s);
      from = to;
    }
  }
  vb_mfree(L->mem, its);
  return err;
}

/* Each row is one box: rows never split, unless taller than a page. Rows
 * of a keep-together table allow no page break between them. */
static vb_status do_table(struct lay *L, const struct vb_node *tb,
                          struct flow *f) {
  const struct vb_node *row, *cell;
  int ncols = tb->as.table.ncols, first = 1;
  int keep = (tb->as.table.flags & VB_TABLE_KEEP_TOGETHER) != 0;
  int heads = 1; /* still in the leading header rows */
  size_t body = 0; /* rows after them */
  double pad = 0;
  struct store *st = store_new(L->mem);
  vb_status err = VB_OK;
  if (!st)
    return VB_ENOMEM;
  if (tb->as.table.flags & VB_TABLE_BORDERS) {
    st->border = VB_TABLE_BORDER_PT;
    pad = VB_TABLE_PAD_X / TW;
  }
  for (row = tb->first; row; row = row->next) {
    struct box b;
    double x = L->left + tb->as.table.indent / TW;
    int ci = 0;
    if (row->type != VB_NODE_ROW)
      continue;
    memset(&b, 0, sizeof(b));
    b.kind = B_ROW;
    b.st = st;
    b.idx = st->ncells;
    heads = heads && row->as.row.header;
    for (cell = row->first; cell; cell = cell->next, ci++) {
      double w, h;
      if (cell->type != VB_NODE_CELL)
        continue;
      if (ncols > 0 && tb->as.table.widths)
        w = tb->as.table.widths[ci < ncols ? ci : ncols - 1] / TW;
      else
        w = L->width;
      if ((err = do_cell(L, st, cell, x + pad, w - 2 * pad, &h)))
        goto out;
      st->cells[st->ncells - 1].bx = x;
      st->cells[st->ncells - 1].bw = w;
      if (h > b.h)
        b.h = h;
      x += w;
    }
    b.h += st->border;
    b.n = st->ncells - b.idx;
    b.gap = first ? f->after : 0;
    /* a header row keeps with the row after it */
    b.nobreak = first ? f->keep : keep || heads || (st->nheads && !body);
    b.head = (unsigned char)heads;
    first = 0;
    body += !heads;
    if (heads) {
      if (!grow(L->mem, &st->heads, &st->cheads, st->nheads + 1,
                sizeof(b))) {
        err = VB_ENOMEM;
        goto out;
      }
      st->heads[st->nheads++] = b;
    }
    if ((err = b.h > L->area + EPS ? push_row_slices(L, &b)
                                   : push_box(L, &b)))
      goto out;
  }
  f->after = 0;
  f->keep = 0;
out:
  store_release(L->mem, st);
  return err;
}

vb_status vb_layout_run(const struct vb_tree *t, struct vb_fonts *fonts,
                        const vb_mem *mem, const struct vb_layout_sink *sink) {
  struct lay L;
  struct flow f = {0, 0};
  const struct vb_node *b;
  const struct vb_page_setup *ps = &t->page;
  vb_status err = VB_OK;
  int i, broke = 0;
  size_t k;
  memset(&L, 0, sizeof(L));
  L.t = t;
  L.fonts = fonts;
  L.mem = mem;
  L.sink = sink;
  L.pw = ps->width / TW;
  L.ph = ps->height / TW;
  L.top = ps->margin_top / TW;
  L.left = ps->margin_left / TW;
  L.width = (ps->width - ps->margin_left - ps->margin_right) / TW;
  L.area = (ps->height - ps->margin_top - ps->margin_bottom) / TW;
  for (i = 0; i < VB_FACE_COUNT; i++) {
    int a, d, g;
    vb_font_vmetrics(fonts, (enum vb_face)i, &a, &d, &g);
    L.asc[i] = a / 1000.0;
    L.lh[i] = (a + d + g) / 1000.0;
  }
  for (b = t->root ? t->root->first : NULL; b && !err; b = b->next) {
    broke = 0;
    switch (b->type) {
    case VB_NODE_PARAGRAPH:
      err = do_para(&L, b, &f);
      break;
    case VB_NODE_RULE:
      err = do_rule(&L, b, &f);
      break;
    case VB_NODE_TABLE:
      err = do_table(&L, b, &f);
      break;
    case VB_NODE_FIELD_BLOCK:
      err = do_field_block(&L, b, &f);
      break;
    case VB_NODE_PAGE_BREAK:
      err = emit_page(&L, L.nq);
      f.after = 0;
      f.keep = 0;
      broke = 1;
      break;
    default:
      break;
    }
  }
  if (!err && (L.nq > 0 || L.page == 0 || broke))
    err = emit_page(&L, L.nq);
  for (k = 0; k < L.nq; k++)
    store_release(mem, L.q[k].st);
  vb_mfree(mem, L.q);
  vb_mfree(mem, L.in);
  vb_mfree(mem, L.brk);
  vb_mfree(mem, L.seg);
  return err;
}

/* ---- the layout dump ---- */

static const char *const face_names[VB_FACE_COUNT] = {"R", "B", "I", "BI"};

static vb_status dump_page_begin(void *user, int page, double w, double h) {
  return VB_OK;
}

static vb_status dump_page_end(void *user, int page) { return VB_OK; }

static vb_status dump_line(void *user, const struct vb_pline *l) {
  struct vb_buf *out = user;
  size_t k;
  vb_buf_printf(out, "%d %.2f %.2f %s %g |", l->page, l->x + 0.0,
                l->y + 0.0, face_names[l->face], l->size);
  for (k = 0; k < l->nseg; k++)
    vb_buf_put(out, l->seg[k].s, l->seg[k].len);
  vb_buf_puts(out, "|\n");
  return vb_buf_err(out);
}

static vb_status dump_rule(void *user, int page, double x1, double y,
                           double x2, double th) {
  struct vb_buf *out = user;
  vb_buf_printf(out, "%d rule %.2f %.2f %.2f %.2f\n", page, x1 + 0.0,
                y + 0.0, x2 + 0.0, th);
  return vb_buf_err(out);
}

static vb_status dump_vrule(void *user, int page, double x, double y1,
                            double y2, double th) {
  struct vb_buf *out = user;
  vb_buf_printf(out, "%d vrule %.2f %.2f %.2f %.2f\n", page, x + 0.0,
                y1 + 0.0, y2 + 0.0, th);
  return vb_buf_err(out);
}

vb_status vb_render_layout(const struct vb_tree *t, struct vb_fonts *fonts,
                           const vb_mem *mem, struct vb_buf *out) {
  struct vb_layout_sink s = {NULL,          dump_page_begin, dump_line,
                             dump_rule,     dump_page_end,   dump_vrule};
  vb_status err;
  s.user = out;
  err = vb_layout_run(t, fonts, mem, &s);
  return err ? err : vb_buf_err(out);
}
