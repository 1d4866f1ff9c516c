/* render_docx.c - the DOCX writer: maps the document tree one to one onto
 * WordprocessingML (10 parts, written straight into buffers) and packs them
 * into a deflated, byte-reproducible zip built in memory with libzip. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <zip.h>

#include "layout.h"
#include "render.h"
#include "text.h"

/* The package: every part, in the order it is added to the archive.
 * [Content_Types].xml comes first, as readers expect. */
#define PART_COUNT 11

/* Every entry gets the same DOS timestamp (1980-01-01 00:00) so that the
 * same tree always gives the same bytes. */
#define DOS_TIME 0
#define DOS_DATE ((0 << 9) | (1 << 5) | 1)
/* zlib level: 9 costs little on documents this size. */
#define DEFLATE_LEVEL 9
/* Bytes read at a time when copying the finished archive out. */
#define READ_CHUNK 16384

/* The body paragraph of the decree, used for docDefaults/Normal when the
 * tree has no body paragraph: 14 pt, justified, first line 1 cm, 6 pt
 * after, single spacing. */
#define BODY_SIZE 28
#define BODY_FIRST 567
#define BODY_AFTER 120
#define BODY_LINE 240
#define TAB_STOP 720
/* Word's own cell padding, kept in TableNormal for tables a user adds;
 * vanban's tables set theirs to 0. */
#define WORD_CELL_MARGIN 108
/* A style id is the role name in CamelCase ("trich-yeu" -> "TrichYeu"). */
#define STYLE_ID_MAX 32

/* A rule is an empty paragraph whose top border is the line (tech notes
 * §2): its own line box is VB_RULE_LINE twips high, exactly, with a tiny
 * mark. */
#define RULE_MARK_SIZE 4
/* w:sz of a border is in eighths of a point, 2..96. */
#define BORDER_MIN 2
#define BORDER_MAX 96
#define TABLE_BORDER 4
/* The page-break paragraph and the paragraph Word needs after a final
 * table are kept as small as Word allows. */
#define TINY_LINE 20
#define TINY_MARK_SIZE 2
/* Times New Roman's PANOSE, as Word writes it in fontTable.xml. */
#define FONT_NAME "Times New Roman"
#define FONT_PANOSE "02020603050405020304"

#define XML_DECL \
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R \
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL \
  "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_DOC NS_R "/"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

/* What a style (or a paragraph) says: paragraph formatting plus the run
 * flags every run of it carries. */
struct pfmt {
  struct vb_pstyle p;
  unsigned runs; /* VB_RUN_* */
};

/* Elements open at once: a table cell's field's paragraph's run is about
 * ten deep; WordprocessingML as vanban writes it never nests further. */
#define MAX_OPEN 48

struct docx {
  const struct vb_tree *t;
  struct vb_buf *out;   /* the part being written */
  const char *open[MAX_OPEN]; /* names of the open elements (static) */
  int nopen;
  int pending;          /* the last start tag awaits ">" or "/>" */
  int err; /* sticky: some writer call failed */
  /* Style of each role that occurs, from its first paragraph. Slot 0
   * (VB_ROLE_NONE) is Normal, which matches the body paragraph. */
  int used[VB_ROLE_COUNT];
  struct pfmt style[VB_ROLE_COUNT];
  int text_width; /* twips between the margins */
  int has_fields;  /* the tree is a form: PlaceholderText style needed */
  long sdt_id;     /* w:id of the last content control written */
  struct vb_fonts *fonts; /* for the balanced breaks of centred lines */
};

/* ---- writer helpers: each is a no-op once a call has failed ----
 *
 * The XML of a part is written here, straight into a vb_buf, rather than
 * with libxml2's xmlTextWriter: under memory pressure that one leaks and,
 * worse, can drop an element from its stack without a word (it ignores
 * the result of xmlListPushFront in xmlTextWriterStartElement), so that a
 * part comes out malformed with every call reporting success. What is
 * needed is small: element names are static strings of this file, values
 * are escaped below, and the buffer's sticky error reports any failure. */

static void close_tag(struct docx *d) {
  if (d->pending) {
    vb_buf_putc(d->out, '>');
    d->pending = 0;
  }
}

static void x_start(struct docx *d, const char *name) {
  if (d->err)
    return;
  if (d->nopen == MAX_OPEN) {
    d->err = 1;
    return;
  }
  close_tag(d);
  vb_buf_putc(d->out, '<');
  vb_buf_puts(d->out, name);
  d->open[d->nopen++] = name;
  d->pending = 1;
}

static void x_end(struct docx *d) {
  if (d->err)
    return;
  if (!d->nopen) {
    d->err = 1;
    return;
  }
  d->nopen--;
  if (d->pending) {
    vb_buf_puts(d->out, "/>");
    d->pending = 0;
  } else {
    vb_buf_puts(d->out, "</");
    vb_buf_puts(d->out, d->open[d->nopen]);
    vb_buf_putc(d->out, '>');
  }
}

/* An attribute value: markup characters and white space other than the
 * space as character references (XML 1.0, 3.3.3: they would be
 * normalised away otherwise). */
static void x_attr(struct docx *d, const char *name, const char *val) {
  const char *v;
  if (d->err)
    return;
  if (!d->pending) {
    d->err = 1; /* an attribute after content: a bug of this file */
    return;
  }
  vb_buf_putc(d->out, ' ');
  vb_buf_puts(d->out, name);
  vb_buf_puts(d->out, "=\"");
  for (v = val; *v; v++) {
    switch (*v) {
    case '&': vb_buf_puts(d->out, "&amp;"); break;
    case '<': vb_buf_puts(d->out, "&lt;"); break;
    case '>': vb_buf_puts(d->out, "&gt;"); break;
    case '"': vb_buf_puts(d->out, "&quot;"); break;
    case '\t': vb_buf_puts(d->out, "&#9;"); break;
    case '\n': vb_buf_puts(d->out, "&#10;"); break;
    case '\r': vb_buf_puts(d->out, "&#13;"); break;
    default: vb_buf_putc(d->out, *v); break;
    }
  }
  vb_buf_putc(d->out, '"');
}

static void x_attr_int(struct docx *d, const char *name, long v) {
  char num[24];
  snprintf(num, sizeof(num), "%ld", v);
  x_attr(d, name, num);
}

static void x_raw(struct docx *d, const char *s, size_t len) {
  if (d->err || !len)
    return;
  close_tag(d);
  vb_buf_put(d->out, s, len);
}

/* Character data, escaped. */
static void x_text(struct docx *d, const char *s) {
  const char *run = s;
  const char *ent;
  for (; *s; s++) {
    switch (*s) {
    case '&':
      ent = "&amp;";
      break;
    case '<':
      ent = "&lt;";
      break;
    case '>':
      ent = "&gt;";
      break;
    case '\r':
      ent = "&#13;";
      break;
    default:
      continue;
    }
    x_raw(d, run, (size_t)(s - run));
    x_raw(d, ent, strlen(ent));
    run = s + 1;
  }
  x_raw(d, run, (size_t)(s - run));
}

/* <name/> */
static void x_empty(struct docx *d, const char *name) {
  x_start(d, name);
  x_end(d);
}

/* <name w:val="val"/> */
static void x_val(struct docx *d, const char *name, const char *val) {
  x_start(d, name);
  x_attr(d, "w:val", val);
  x_end(d);
}

static void x_val_int(struct docx *d, const char *name, long v) {
  x_start(d, name);
  x_attr_int(d, "w:val", v);
  x_end(d);
}

/* An on/off property: <name/> when on, <name w:val="0"/> when off. */
static void x_onoff(struct docx *d, const char *name, int on) {
  if (on)
    x_empty(d, name);
  else
    x_val(d, name, "0");
}

/* <name w:w="v" w:type="dxa"/> */
static void x_dxa(struct docx *d, const char *name, long v) {
  x_start(d, name);
  x_attr_int(d, "w:w", v);
  x_attr(d, "w:type", "dxa");
  x_end(d);
}

static void x_size(struct docx *d, int size) {
  x_val_int(d, "w:sz", size);
  x_val_int(d, "w:szCs", size);
}

/* ---- the styles the tree uses ---- */

static int para_size(const struct vb_pstyle *p) {
  return p->size > 0 ? p->size : BODY_SIZE;
}

static const char *jc_name(enum vb_align a) {
  switch (a) {
  case VB_ALIGN_CENTER:
    return "center";
  case VB_ALIGN_RIGHT:
    return "right";
  case VB_ALIGN_JUSTIFY:
    return "both";
  default:
    return "left";
  }
}

static void style_id(enum vb_role r, char *id, size_t cap) {
  const char *s = vb_role_name(r);
  size_t n = 0;
  int up = 1;
  for (; *s && n + 1 < cap; s++) {
    if (*s == '-') {
      up = 1;
      continue;
    }
    id[n++] = up && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
    up = 0;
  }
  id[n] = '\0';
}

static const struct pfmt *style_of(const struct docx *d, enum vb_role r) {
  if ((unsigned)r >= VB_ROLE_COUNT || !d->used[r])
    r = VB_ROLE_NONE;
  return &d->style[r];
}

/* Word keeps a paragraph with what follows only through keepNext: a
 * paragraph followed by its rule keeps with it, and so does every
 * paragraph of a keep-together table outside its last row. */
static struct vb_pstyle effective(const struct vb_node *n, int force_keep) {
  struct vb_pstyle p = n->as.para;
  if (force_keep || (n->next && n->next->type == VB_NODE_RULE))
    p.keep_next = 1;
  /* LibreOffice moves a whole paragraph kept with the next one (the last
   * lines of the body before the signature); keepLines makes Word do the
   * same, and the PDF's layout does it too. */
  if (p.keep_next)
    p.keep_lines = 1;
  return p;
}

static int in_kept_row(const struct vb_node *n) {
  const struct vb_node *row;
  if (!n->parent || n->parent->type != VB_NODE_CELL)
    return 0;
  row = n->parent->parent;
  return row && row->next && row->parent &&
         (row->parent->as.table.flags & VB_TABLE_KEEP_TOGETHER);
}

static void collect_styles(struct docx *d) {
  struct vb_iter it;
  const struct vb_node *n, *c;
  struct pfmt *s;
  unsigned runs;
  int any;
  vb_iter_init(&it, d->t->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    n = vb_iter_node(&it);
    if (it.ev != VB_EVENT_ENTER || n->type != VB_NODE_PARAGRAPH ||
        (unsigned)n->as.para.role >= VB_ROLE_COUNT ||
        n->as.para.role == VB_ROLE_NONE || d->used[n->as.para.role])
      continue;
    s = &d->style[n->as.para.role];
    s->p = effective(n, in_kept_row(n));
    s->p.size = para_size(&s->p);
    runs = VB_RUN_BOLD | VB_RUN_ITALIC | VB_RUN_UNDERLINE;
    any = 0;
    for (c = n->first; c; c = c->next)
      if (c->type == VB_NODE_TEXT && c->as.text.len) {
        runs &= c->as.text.flags;
        any = 1;
      }
    s->runs = any ? runs : 0;
    d->used[n->as.para.role] = 1;
  }
  /* Normal is the body paragraph, so a paragraph a user types is one. */
  if (d->used[VB_ROLE_BODY]) {
    d->style[VB_ROLE_NONE] = d->style[VB_ROLE_BODY];
    d->style[VB_ROLE_NONE].runs = 0;
    d->style[VB_ROLE_NONE].p.role = VB_ROLE_NONE;
  } else {
    static const struct pfmt zero;
    d->style[VB_ROLE_NONE] = zero;
    d->style[VB_ROLE_NONE].p.align = VB_ALIGN_JUSTIFY;
    d->style[VB_ROLE_NONE].p.size = BODY_SIZE;
    d->style[VB_ROLE_NONE].p.first_indent = BODY_FIRST;
    d->style[VB_ROLE_NONE].p.space_after = BODY_AFTER;
    d->style[VB_ROLE_NONE].p.line = BODY_LINE;
    d->style[VB_ROLE_NONE].p.widow = 1;
  }
  d->used[VB_ROLE_NONE] = 1;
}

/* ---- paragraph and run properties ---- */

static void spacing(struct docx *d, int before, int after, int line,
                    const char *rule) {
  x_start(d, "w:spacing");
  x_attr_int(d, "w:before", before);
  x_attr_int(d, "w:after", after);
  x_attr_int(d, "w:line", line);
  x_attr(d, "w:lineRule", rule);
  x_end(d);
}

static void indent(struct docx *d, int left, int right, int first) {
  x_start(d, "w:ind");
  x_attr_int(d, "w:left", left);
  x_attr_int(d, "w:right", right);
  if (first >= 0)
    x_attr_int(d, "w:firstLine", first);
  else
    x_attr_int(d, "w:hanging", -(long)first);
  x_end(d);
}

/* The pPr children after pStyle, in schema order, for what differs from
 * base: a paragraph against its style, a role style against Normal. Normal
 * itself has no base and says everything (off switches go without saying,
 * except widow control, whose default differs between applications).
 * outline >= 0 adds w:outlineLvl (headings, for the navigation pane). */
static void ppr_body(struct docx *d, const struct vb_pstyle *p,
                     const struct vb_pstyle *base, int outline) {
  int line = p->line > 0 ? p->line : BODY_LINE;
  if (base ? p->keep_next != base->keep_next : p->keep_next)
    x_onoff(d, "w:keepNext", p->keep_next);
  if (base ? p->keep_lines != base->keep_lines : p->keep_lines)
    x_onoff(d, "w:keepLines", p->keep_lines);
  if (!base || p->widow != base->widow)
    x_onoff(d, "w:widowControl", p->widow);
  if (!base || p->space_before != base->space_before ||
      p->space_after != base->space_after ||
      line != (base->line > 0 ? base->line : BODY_LINE))
    spacing(d, p->space_before, p->space_after, line, "auto");
  if (!base || p->indent_left != base->indent_left ||
      p->indent_right != base->indent_right ||
      p->first_indent != base->first_indent)
    indent(d, p->indent_left, p->indent_right, p->first_indent);
  if (!base || p->align != base->align)
    x_val(d, "w:jc", jc_name(p->align));
  if (outline >= 0)
    x_val_int(d, "w:outlineLvl", outline);
}

/* The rPr children of a run (or a style) in schema order, against the
 * flags and size of base. Returns nothing; writes only differences. */
static void rpr_body(struct docx *d, unsigned flags, int size,
                     unsigned base_flags, int base_size) {
  if ((flags ^ base_flags) & VB_RUN_BOLD)
    x_onoff(d, "w:b", flags & VB_RUN_BOLD);
  if ((flags ^ base_flags) & VB_RUN_ITALIC)
    x_onoff(d, "w:i", flags & VB_RUN_ITALIC);
  if (size != base_size)
    x_size(d, size);
  if ((flags ^ base_flags) & VB_RUN_UNDERLINE)
    x_val(d, "w:u", flags & VB_RUN_UNDERLINE ? "single" : "none");
}

static int rpr_differs(unsigned flags, int size, unsigned base_flags,
                       int base_size) {
  return ((flags ^ base_flags) &
          (VB_RUN_BOLD | VB_RUN_ITALIC | VB_RUN_UNDERLINE)) ||
         size != base_size;
}

/* Text with leading, trailing or doubled spaces needs xml:space. */
static int needs_preserve(const char *s, size_t len) {
  size_t i;
  if (!len)
    return 0;
  if (s[0] == ' ' || s[len - 1] == ' ')
    return 1;
  for (i = 1; i < len; i++)
    if (s[i] == ' ' && s[i - 1] == ' ')
      return 1;
  return 0;
}

/* One w:t holding s[from..to) of a run's text s[0..len), escaped, with
 * the spaces inside a protected token (text.h) written as no-break spaces,
 * Word's own way of keeping the token on one line. */
static void text_element(struct docx *d, const char *s, size_t len,
                         size_t from, size_t to) {
  size_t i = from, k = from;
  x_start(d, "w:t");
  if (needs_preserve(s + from, to - from))
    x_attr(d, "xml:space", "preserve");
  while (i < to) {
    const char *e = NULL;
    size_t j = i + 1, n;
    switch (s[i]) {
    case '&':
      e = "&amp;";
      break;
    case '<':
      e = "&lt;";
      break;
    case '>':
      e = "&gt;";
      break;
    case '\r':
      e = "&#13;";
      break;
    case ' ':
      while (j < to && s[j] == ' ')
        j++;
      if (!vb_text_glued_space(s, len, i, j)) {
        i = j;
        continue;
      }
      break;
    default:
      i++;
      continue;
    }
    x_raw(d, s + k, i - k);
    if (e)
      x_raw(d, e, strlen(e));
    else
      for (n = i; n < j; n++)
        x_raw(d, "\xc2\xa0", 2);
    i = k = j;
  }
  x_raw(d, s + k, to - k);
  x_end(d);
}

/* s[from..to) of a run's text s[0..len): a hyphen joining two letters
 * or digits ("08-NQ/HU", "2017-2020") is a w:noBreakHyphen, which Word and
 * LibreOffice never break after and draw (and give back in a PDF's text)
 * as "-". */
static void run_pieces(struct docx *d, const char *s, size_t len,
                       size_t from, size_t to) {
  size_t i, k = from;
  for (i = from; i < to; i++) {
    if (s[i] != '-' || !vb_text_hard_hyphen(s, len, i))
      continue;
    if (i > k)
      text_element(d, s, len, k, i);
    x_empty(d, "w:noBreakHyphen");
    k = i + 1;
  }
  if (to > k)
    text_element(d, s, len, k, to);
}

/* A run; br[0..nbr) are the balanced breaks of its paragraph (layout.h),
 * each a w:br in place of the spaces there. */
static void run_text(struct docx *d, const struct vb_node *r,
                     const struct pfmt *st, int para_sz, const size_t *br,
                     size_t nbr) {
  int size = r->as.text.size > 0 ? r->as.text.size : para_sz;
  const char *s = r->as.text.text;
  size_t len = r->as.text.len, k = 0, i;
  if (!len)
    return;
  x_start(d, "w:r");
  if (rpr_differs(r->as.text.flags, size, st->runs, st->p.size)) {
    x_start(d, "w:rPr");
    rpr_body(d, r->as.text.flags, size, st->runs, st->p.size);
    x_end(d);
  }
  for (i = 0; i < nbr && br[i] < len; i++) {
    run_pieces(d, s, len, k, br[i]);
    x_empty(d, "w:br");
    for (k = br[i]; k < len && s[k] == ' '; k++)
      ;
  }
  run_pieces(d, s, len, k, len);
  x_end(d);
}

/* ---- blocks ---- */

static void field_run(struct docx *d, const struct vb_node *f,
                      const struct pfmt *st, int para_sz);
static void field_block(struct docx *d, const struct vb_node *f,
                        int container);

/* container: the width in twips the paragraph is laid out in (the text
 * width, or its cell's). */
static void paragraph(struct docx *d, const struct vb_node *n,
                      int force_keep, int container) {
  size_t br[VB_LAYOUT_MAX_BALANCED];
  size_t nbr = d->fonts ? vb_layout_balance(n, d->fonts, container / 20.0, br,
                                            VB_LAYOUT_MAX_BALANCED, NULL)
                        : 0;
  struct vb_pstyle p = effective(n, force_keep);
  const struct pfmt *st = style_of(d, p.role);
  const struct vb_node *c;
  char id[STYLE_ID_MAX];
  int size = para_size(&p);
  x_start(d, "w:p");
  x_start(d, "w:pPr");
  if (st != &d->style[VB_ROLE_NONE]) {
    style_id(p.role, id, sizeof(id));
    x_val(d, "w:pStyle", id);
  }
  ppr_body(d, &p, &st->p, -1);
  if (size != st->p.size) {
    x_start(d, "w:rPr");
    x_size(d, size);
    x_end(d);
  }
  x_end(d); /* pPr */
  for (c = n->first; c; c = c->next) {
    if (c->type == VB_NODE_TEXT) {
      run_text(d, c, st, size, br, nbr);
    } else if (c->type == VB_NODE_LINE_BREAK) {
      x_start(d, "w:r");
      x_empty(d, "w:br");
      x_end(d);
    } else if (c->type == VB_NODE_FIELD) {
      field_run(d, c, st, size);
    }
  }
  x_end(d); /* p */
}

static int border_size(int thickness_twips) {
  int s = (thickness_twips * 2 + 2) / 5; /* twips -> eighths of a point */
  return s < BORDER_MIN ? BORDER_MIN : s > BORDER_MAX ? BORDER_MAX : s;
}

/* A horizontal line of exactly rule.length inside a container `width`
 * twips wide: the indents take up the rest (tech notes §2). */
static void rule(struct docx *d, const struct vb_node *n, int width,
                 int force_keep) {
  int len = n->as.rule.length, left, right, slack;
  if (len <= 0 || len > width)
    len = width;
  slack = width - len;
  switch (n->as.rule.align) {
  case VB_ALIGN_LEFT:
    left = 0;
    break;
  case VB_ALIGN_RIGHT:
    left = slack;
    break;
  default:
    left = slack / 2;
    break;
  }
  right = slack - left;
  x_start(d, "w:p");
  x_start(d, "w:pPr");
  if (force_keep)
    x_empty(d, "w:keepNext");
  x_start(d, "w:pBdr");
  x_start(d, "w:top");
  x_attr(d, "w:val", "single");
  x_attr_int(d, "w:sz", border_size(n->as.rule.thickness));
  x_attr(d, "w:space", "0");
  x_attr(d, "w:color", "auto");
  x_end(d);
  x_end(d); /* pBdr */
  spacing(d, n->as.rule.space_before, n->as.rule.space_after, VB_RULE_LINE,
          "exact");
  indent(d, left, right, 0);
  x_val(d, "w:jc", "center");
  x_start(d, "w:rPr");
  x_size(d, RULE_MARK_SIZE);
  x_end(d);
  x_end(d); /* pPr */
  x_end(d); /* p */
}

/* An empty paragraph with a line box as small as Word allows; `page`
 * puts a page break in it. */
static void tiny_paragraph(struct docx *d, int page) {
  x_start(d, "w:p");
  x_start(d, "w:pPr");
  spacing(d, 0, 0, TINY_LINE, "exact");
  indent(d, 0, 0, 0);
  x_start(d, "w:rPr");
  x_size(d, TINY_MARK_SIZE);
  x_end(d);
  x_end(d); /* pPr */
  if (page) {
    x_start(d, "w:r");
    x_start(d, "w:br");
    x_attr(d, "w:type", "page");
    x_end(d);
    x_end(d);
  }
  x_end(d);
}

static void table_borders(struct docx *d, int on) {
  static const char *const sides[] = {"w:top",    "w:left",    "w:bottom",
                                      "w:right",  "w:insideH", "w:insideV"};
  size_t i;
  x_start(d, "w:tblBorders");
  for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
    x_start(d, sides[i]);
    x_attr(d, "w:val", on ? "single" : "nil");
    if (on) {
      x_attr_int(d, "w:sz", TABLE_BORDER);
      x_attr(d, "w:space", "0");
      x_attr(d, "w:color", "auto");
    }
    x_end(d);
  }
  x_end(d);
}

static void table(struct docx *d, const struct vb_node *n) {
  const struct vb_node *row, *cell, *c;
  int i, keep = (n->as.table.flags & VB_TABLE_KEEP_TOGETHER) != 0;
  int pad = (n->as.table.flags & VB_TABLE_BORDERS) ? VB_TABLE_PAD_X : 0;
  long total = 0;
  for (i = 0; i < n->as.table.ncols; i++)
    total += n->as.table.widths[i];
  x_start(d, "w:tbl");
  x_start(d, "w:tblPr");
  x_dxa(d, "w:tblW", total);
  x_dxa(d, "w:tblInd", n->as.table.indent);
  table_borders(d, (n->as.table.flags & VB_TABLE_BORDERS) != 0);
  x_start(d, "w:tblLayout");
  x_attr(d, "w:type", "fixed");
  x_end(d);
  x_start(d, "w:tblCellMar");
  x_dxa(d, "w:top", 0);
  x_dxa(d, "w:left", pad);
  x_dxa(d, "w:bottom", 0);
  x_dxa(d, "w:right", pad);
  x_end(d);
  x_end(d); /* tblPr */
  x_start(d, "w:tblGrid");
  for (i = 0; i < n->as.table.ncols; i++) {
    x_start(d, "w:gridCol");
    x_attr_int(d, "w:w", n->as.table.widths[i]);
    x_end(d);
  }
  x_end(d);
  for (row = n->first; row; row = row->next) {
    x_start(d, "w:tr");
    if (keep || row->as.row.cant_split || row->as.row.header) {
      x_start(d, "w:trPr");
      if (keep || row->as.row.cant_split)
        x_empty(d, "w:cantSplit");
      if (row->as.row.header)
        x_empty(d, "w:tblHeader");
      x_end(d);
    }
    for (cell = row->first, i = 0; cell; cell = cell->next, i++) {
      int width = i < n->as.table.ncols ? n->as.table.widths[i] : 0;
      /* keepNext outside the last row chains the rows (the Word trick). */
      int kept = keep && row->next;
      x_start(d, "w:tc");
      x_start(d, "w:tcPr");
      x_dxa(d, "w:tcW", width);
      if (cell->as.cell.valign_bottom)
        x_val(d, "w:vAlign", "bottom");
      x_end(d);
      for (c = cell->first; c; c = c->next) {
        if (c->type == VB_NODE_PARAGRAPH)
          paragraph(d, c, kept, width - 2 * pad);
        else if (c->type == VB_NODE_RULE)
          rule(d, c, width - 2 * pad, kept);
        else if (c->type == VB_NODE_FIELD_BLOCK)
          field_block(d, c, width - 2 * pad);
      }
      /* A cell must end with a paragraph; rules are paragraphs too. */
      if (!cell->first)
        x_empty(d, "w:p");
      else if (cell->last->type == VB_NODE_FIELD_BLOCK)
        tiny_paragraph(d, 0);
      x_end(d); /* tc */
    }
    x_end(d); /* tr */
  }
  x_end(d); /* tbl */
}

/* ---- form fields: content controls (docs/word-forms.md) ---- */

/* What a blank control shows when its field has no guidance. */
#define BLANK_PLACEHOLDER "\xE2\x80\xA6\xE2\x80\xA6\xE2\x80\xA6" /* "………" */
#define PLACEHOLDER_STYLE "PlaceholderText"
#define PLACEHOLDER_COLOR "808080"

/* w:sdtPr: title, tag, a stable id, a lock that keeps the control (and
 * so its tag) when a user deletes its text, the placeholder state, and
 * the kind of control. */
static void field_pr(struct docx *d, const struct vb_node *f, int size) {
  size_t i;
  x_start(d, "w:sdtPr");
  if (f->as.field.flags) {
    x_start(d, "w:rPr");
    rpr_body(d, f->as.field.flags, size, 0, size);
    x_end(d);
  }
  if (f->as.field.label)
    x_val(d, "w:alias", f->as.field.label);
  x_val(d, "w:tag", f->as.field.tag);
  x_val_int(d, "w:id", ++d->sdt_id);
  x_val(d, "w:lock", "sdtLocked");
  if (!f->first)
    x_empty(d, "w:showingPlcHdr");
  switch (f->as.field.kind) {
  case VB_FIELD_DATE:
    x_start(d, "w:date");
    x_val(d, "w:dateFormat", "dd/MM/yyyy");
    x_val(d, "w:lid", "vi-VN");
    x_val(d, "w:storeMappedDataAs", "dateTime");
    x_val(d, "w:calendar", "gregorian");
    x_end(d);
    break;
  case VB_FIELD_CHOICE:
    x_start(d, "w:dropDownList");
    for (i = 0; i < f->as.field.nchoices; i++) {
      x_start(d, "w:listItem");
      x_attr(d, "w:displayText", f->as.field.choices[i]);
      x_attr(d, "w:value", f->as.field.choices[i]);
      x_end(d);
    }
    x_end(d);
    break;
  case VB_FIELD_MULTILINE:
    x_empty(d, "w:richText");
    break;
  default:
    x_empty(d, "w:text");
    break;
  }
  x_end(d); /* sdtPr */
}

/* The greyed guidance run of a blank control. */
static void placeholder_run(struct docx *d, const struct vb_node *f,
                            unsigned base_flags, int size, int base_size) {
  const char *hint = f->as.field.hint && *f->as.field.hint
                         ? f->as.field.hint
                         : BLANK_PLACEHOLDER;
  x_start(d, "w:r");
  x_start(d, "w:rPr");
  x_val(d, "w:rStyle", PLACEHOLDER_STYLE);
  rpr_body(d, f->as.field.flags, size, base_flags, base_size);
  x_end(d);
  x_start(d, "w:t");
  if (needs_preserve(hint, strlen(hint)))
    x_attr(d, "xml:space", "preserve");
  x_text(d, hint);
  x_end(d);
  x_end(d);
}

/* A one-line field: a run-level w:sdt holding the value's runs (with the
 * field's own flags added) or the placeholder. */
static void field_run(struct docx *d, const struct vb_node *f,
                      const struct pfmt *st, int para_sz) {
  const struct vb_node *c;
  x_start(d, "w:sdt");
  field_pr(d, f, para_sz);
  x_start(d, "w:sdtContent");
  if (!f->first)
    placeholder_run(d, f, st->runs, para_sz, st->p.size);
  for (c = f->first; c; c = c->next) {
    if (c->type == VB_NODE_TEXT) {
      struct vb_node r = *c;
      r.as.text.flags |= f->as.field.flags;
      run_text(d, &r, st, para_sz, NULL, 0);
    } else if (c->type == VB_NODE_LINE_BREAK) {
      x_start(d, "w:r");
      x_empty(d, "w:br");
      x_end(d);
    }
  }
  x_end(d); /* sdtContent */
  x_end(d); /* sdt */
}

/* A multi-paragraph field: a block-level rich-text w:sdt around its
 * paragraphs, or around one Normal paragraph holding the placeholder. */
static void field_block(struct docx *d, const struct vb_node *f,
                        int container) {
  const struct pfmt *normal = &d->style[VB_ROLE_NONE];
  const struct vb_node *c;
  x_start(d, "w:sdt");
  field_pr(d, f, normal->p.size);
  x_start(d, "w:sdtContent");
  if (!f->first) {
    x_start(d, "w:p");
    placeholder_run(d, f, normal->runs, normal->p.size, normal->p.size);
    x_end(d);
  }
  for (c = f->first; c; c = c->next)
    if (c->type == VB_NODE_PARAGRAPH)
      paragraph(d, c, 0, container);
  x_end(d); /* sdtContent */
  x_end(d); /* sdt */
}

/* The character style Word itself gives placeholder text. */
static void placeholder_style(struct docx *d) {
  x_start(d, "w:style");
  x_attr(d, "w:type", "character");
  x_attr(d, "w:customStyle", "1");
  x_attr(d, "w:styleId", PLACEHOLDER_STYLE);
  x_val(d, "w:name", "Placeholder Text");
  x_empty(d, "w:semiHidden");
  x_start(d, "w:rPr");
  x_val(d, "w:color", PLACEHOLDER_COLOR);
  x_end(d);
  x_end(d);
}

static int tree_has_fields(const struct vb_tree *t) {
  struct vb_iter it;
  vb_iter_init(&it, t->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    enum vb_node_type ty = vb_iter_node(&it)->type;
    if (ty == VB_NODE_FIELD || ty == VB_NODE_FIELD_BLOCK)
      return 1;
  }
  return 0;
}

/* docProps/custom.xml: which form this is, for `vanban extract`. */
#define NS_CUSTOM \
  "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
#define NS_VT \
  "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
#define CT_CUSTOM \
  "application/vnd.openxmlformats-officedocument.custom-properties+xml"
#define REL_CUSTOM REL_DOC "custom-properties"
/* The format id every user-defined property carries (ECMA-376 Part 1
 * §22.3.2.2); pids start at 2. */
#define FMTID_USER "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

static void custom_property(struct docx *d, long pid, const char *name,
                            const char *value) {
  x_start(d, "property");
  x_attr(d, "fmtid", FMTID_USER);
  x_attr_int(d, "pid", pid);
  x_attr(d, "name", name);
  x_start(d, "vt:lpwstr");
  x_text(d, value);
  x_end(d);
  x_end(d);
}

/* Every field's tag (hints = 0) or placeholder text (hints = 1), in
 * document order: vanban-truong, tags separated by spaces, a
 * multi-paragraph field marked with "+"; vanban-goi-y, placeholders one a
 * line. Editors that drop w:tag and the placeholder state (LibreOffice)
 * keep the controls in order, and extract matches them by position. */
static void field_list(struct docx *d, long pid, int hints) {
  struct vb_iter it;
  const struct vb_node *n;
  const char *h;
  int first = 1;
  if (!d->has_fields)
    return;
  x_start(d, "property");
  x_attr(d, "fmtid", FMTID_USER);
  x_attr_int(d, "pid", pid);
  x_attr(d, "name", hints ? "vanban-goi-y" : "vanban-truong");
  x_start(d, "vt:lpwstr");
  vb_iter_init(&it, d->t->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    n = vb_iter_node(&it);
    if (it.ev != VB_EVENT_ENTER ||
        (n->type != VB_NODE_FIELD && n->type != VB_NODE_FIELD_BLOCK))
      continue;
    if (!first)
      x_raw(d, hints ? "\n" : " ", 1);
    first = 0;
    if (!hints) {
      x_text(d, n->as.field.tag);
      if (n->type == VB_NODE_FIELD_BLOCK)
        x_raw(d, "+", 1);
      continue;
    }
    h = n->as.field.hint && *n->as.field.hint ? n->as.field.hint
                                               : BLANK_PLACEHOLDER;
    for (; *h; h++) /* one line per field */
      if (*h == '\n' || *h == '\r')
        x_raw(d, " ", 1);
      else if (*h == '&' || *h == '<' || *h == '>')
        x_raw(d, *h == '&' ? "&amp;" : *h == '<' ? "&lt;" : "&gt;",
              *h == '&' ? 5 : 4);
      else
        x_raw(d, h, 1);
  }
  x_end(d);
  x_end(d);
}

static void part_custom(struct docx *d) {
  x_start(d, "Properties");
  x_attr(d, "xmlns", NS_CUSTOM);
  x_attr(d, "xmlns:vt", NS_VT);
  custom_property(d, 2, "vanban-mau", d->t->form);
  if (d->t->form_profile)
    custom_property(d, 3, "vanban-the-thuc", d->t->form_profile);
  field_list(d, 4, 0);
  field_list(d, 5, 1);
  x_end(d);
}

/* ---- the parts ---- */

static void root_w(struct docx *d, const char *name) {
  x_start(d, name);
  x_attr(d, "xmlns:w", NS_W);
  x_attr(d, "xmlns:r", NS_R);
}

/* A certificate's frame as Word's page border (the PDF draws the same
 * double frame): measured from the page edge, in points (at most 31). */
static void page_borders(struct docx *d, const struct vb_page_setup *pg) {
  static const char *const sides[] = {"w:top", "w:left", "w:bottom",
                                      "w:right"};
  int space = pg->border / 20, i;
  if (space > 31)
    space = 31;
  x_start(d, "w:pgBorders");
  x_attr(d, "w:offsetFrom", "page");
  for (i = 0; i < 4; i++) {
    x_start(d, sides[i]);
    x_attr(d, "w:val", "thickThinSmallGap");
    x_attr_int(d, "w:sz", 24);
    x_attr_int(d, "w:space", space);
    x_attr(d, "w:color", "auto");
    x_end(d);
  }
  x_end(d);
}

static void part_document(struct docx *d) {
  const struct vb_page_setup *pg = &d->t->page;
  const struct vb_node *n;
  root_w(d, "w:document");
  x_start(d, "w:body");
  for (n = d->t->root->first; n; n = n->next) {
    switch (n->type) {
    case VB_NODE_PARAGRAPH:
      paragraph(d, n, 0, d->text_width);
      break;
    case VB_NODE_RULE:
      rule(d, n, d->text_width, 0);
      break;
    case VB_NODE_TABLE:
      table(d, n);
      break;
    case VB_NODE_PAGE_BREAK:
      tiny_paragraph(d, 1);
      break;
    case VB_NODE_FIELD_BLOCK:
      field_block(d, n, d->text_width);
      break;
    default:
      break;
    }
  }
  /* Word ends a body with a paragraph; make the one after a final table
   * too small to push anything onto a new page. */
  if (d->t->root->last && d->t->root->last->type == VB_NODE_TABLE)
    tiny_paragraph(d, 0);
  x_start(d, "w:sectPr");
  x_start(d, "w:headerReference");
  x_attr(d, "w:type", "default");
  x_attr(d, "r:id", "rIdHeader1");
  x_end(d);
  if (pg->page_number_from > 1) {
    x_start(d, "w:headerReference");
    x_attr(d, "w:type", "first");
    x_attr(d, "r:id", "rIdHeader2");
    x_end(d);
  }
  x_start(d, "w:pgSz");
  x_attr_int(d, "w:w", pg->width);
  x_attr_int(d, "w:h", pg->height);
  if (pg->width > pg->height)
    x_attr(d, "w:orient", "landscape");
  x_end(d);
  x_start(d, "w:pgMar");
  x_attr_int(d, "w:top", pg->margin_top);
  x_attr_int(d, "w:right", pg->margin_right);
  x_attr_int(d, "w:bottom", pg->margin_bottom);
  x_attr_int(d, "w:left", pg->margin_left);
  x_attr_int(d, "w:header", pg->header_distance);
  x_attr_int(d, "w:footer", pg->header_distance);
  x_attr_int(d, "w:gutter", 0);
  x_end(d);
  if (pg->border)
    page_borders(d, pg);
  if (pg->page_number_from > 1)
    x_empty(d, "w:titlePg");
  x_end(d); /* sectPr */
  x_end(d); /* body */
  x_end(d); /* document */
}

/* is_default: 1 for Word's defaults (Normal, TableNormal), 0 for ours. */
static void style_begin(struct docx *d, const char *type, const char *id,
                        const char *name, int is_default) {
  x_start(d, "w:style");
  x_attr(d, "w:type", type);
  x_attr(d, is_default ? "w:default" : "w:customStyle", "1");
  x_attr(d, "w:styleId", id);
  x_val(d, "w:name", name);
}

static void part_styles(struct docx *d) {
  const struct pfmt *normal = &d->style[VB_ROLE_NONE];
  const char *lang = d->t->lang ? d->t->lang : "vi-VN";
  char id[STYLE_ID_MAX];
  int r;
  root_w(d, "w:styles");
  x_start(d, "w:docDefaults");
  x_start(d, "w:rPrDefault");
  x_start(d, "w:rPr");
  x_start(d, "w:rFonts");
  x_attr(d, "w:ascii", FONT_NAME);
  x_attr(d, "w:hAnsi", FONT_NAME);
  x_attr(d, "w:eastAsia", FONT_NAME);
  x_attr(d, "w:cs", FONT_NAME);
  x_end(d);
  x_size(d, normal->p.size);
  x_start(d, "w:lang");
  x_attr(d, "w:val", lang);
  x_attr(d, "w:eastAsia", lang);
  x_end(d);
  x_end(d); /* rPr */
  x_end(d); /* rPrDefault */
  x_start(d, "w:pPrDefault");
  x_start(d, "w:pPr");
  spacing(d, normal->p.space_before, normal->p.space_after,
          normal->p.line > 0 ? normal->p.line : BODY_LINE, "auto");
  x_end(d);
  x_end(d); /* pPrDefault */
  x_end(d); /* docDefaults */

  style_begin(d, "paragraph", "Normal", "Normal", 1);
  x_empty(d, "w:qFormat");
  x_start(d, "w:pPr");
  ppr_body(d, &normal->p, NULL, -1);
  x_end(d);
  x_end(d); /* style */

  for (r = VB_ROLE_NONE + 1; r < VB_ROLE_COUNT; r++) {
    const struct pfmt *s = &d->style[r];
    if (!d->used[r])
      continue;
    style_id((enum vb_role)r, id, sizeof(id));
    style_begin(d, "paragraph", id, vb_role_name((enum vb_role)r), 0);
    x_val(d, "w:basedOn", "Normal");
    if (r == VB_ROLE_TEN_LOAI || r == VB_ROLE_TRICH_YEU ||
        (r >= VB_ROLE_HEADING1 && r <= VB_ROLE_HEADING3))
      x_val(d, "w:next", "Normal");
    x_empty(d, "w:qFormat");
    x_start(d, "w:pPr");
    ppr_body(d, &s->p, &normal->p,
             r >= VB_ROLE_HEADING1 && r <= VB_ROLE_HEADING3
                 ? r - VB_ROLE_HEADING1
                 : -1);
    x_end(d);
    if (rpr_differs(s->runs, s->p.size, 0, normal->p.size)) {
      x_start(d, "w:rPr");
      rpr_body(d, s->runs, s->p.size, 0, normal->p.size);
      x_end(d);
    }
    x_end(d); /* style */
  }

  style_begin(d, "table", "TableNormal", "Normal Table", 1);
  x_empty(d, "w:semiHidden");
  x_empty(d, "w:unhideWhenUsed");
  x_start(d, "w:tblPr");
  x_dxa(d, "w:tblInd", 0);
  x_start(d, "w:tblCellMar");
  x_dxa(d, "w:top", 0);
  x_dxa(d, "w:left", WORD_CELL_MARGIN);
  x_dxa(d, "w:bottom", 0);
  x_dxa(d, "w:right", WORD_CELL_MARGIN);
  x_end(d);
  x_end(d); /* tblPr */
  x_end(d); /* style */
  if (d->has_fields)
    placeholder_style(d);
  x_end(d); /* styles */
}

static void part_settings(struct docx *d) {
  root_w(d, "w:settings");
  x_val_int(d, "w:defaultTabStop", TAB_STOP);
  x_val(d, "w:characterSpacingControl", "doNotCompress");
  x_start(d, "w:compat");
  x_start(d, "w:compatSetting");
  x_attr(d, "w:name", "compatibilityMode");
  x_attr(d, "w:uri", "http://schemas.microsoft.com/office/word");
  x_attr(d, "w:val", "15");
  x_end(d);
  x_end(d); /* compat */
  x_start(d, "w:themeFontLang");
  x_attr(d, "w:val", d->t->lang ? d->t->lang : "vi-VN");
  x_end(d);
  x_end(d);
}

static void part_font_table(struct docx *d) {
  root_w(d, "w:fonts");
  x_start(d, "w:font");
  x_attr(d, "w:name", FONT_NAME);
  x_val(d, "w:panose1", FONT_PANOSE);
  x_val(d, "w:charset", "00");
  x_val(d, "w:family", "roman");
  x_val(d, "w:pitch", "variable");
  x_end(d);
  x_end(d);
}

/* header1: the page number, centred; header2: the empty first page. */
static void header(struct docx *d, int number) {
  int size = d->t->page.page_number_size;
  root_w(d, "w:hdr");
  x_start(d, "w:p");
  x_start(d, "w:pPr");
  spacing(d, 0, 0, BODY_LINE, "auto");
  indent(d, 0, 0, 0);
  x_val(d, "w:jc", "center");
  if (number && size > 0) {
    x_start(d, "w:rPr");
    x_size(d, size);
    x_end(d);
  }
  x_end(d); /* pPr */
  if (number && size > 0) {
    x_start(d, "w:fldSimple");
    x_attr(d, "w:instr", " PAGE ");
    x_start(d, "w:r");
    x_start(d, "w:rPr");
    x_size(d, size);
    x_end(d);
    x_start(d, "w:t");
    x_text(d, "1");
    x_end(d);
    x_end(d); /* r */
    x_end(d); /* fldSimple */
  }
  x_end(d); /* p */
  x_end(d); /* hdr */
}

static void part_header1(struct docx *d) { header(d, 1); }
static void part_header2(struct docx *d) { header(d, 0); }

static void content_type(struct docx *d, const char *part, const char *ct) {
  x_start(d, "Override");
  x_attr(d, "PartName", part);
  x_attr(d, "ContentType", ct);
  x_end(d);
}

static void part_content_types(struct docx *d) {
  x_start(d, "Types");
  x_attr(d, "xmlns",
         "http://schemas.openxmlformats.org/package/2006/content-types");
  x_start(d, "Default");
  x_attr(d, "Extension", "rels");
  x_attr(d, "ContentType",
         "application/vnd.openxmlformats-package.relationships+xml");
  x_end(d);
  x_start(d, "Default");
  x_attr(d, "Extension", "xml");
  x_attr(d, "ContentType", "application/xml");
  x_end(d);
  content_type(d, "/word/document.xml", CT_WML "document.main+xml");
  content_type(d, "/word/styles.xml", CT_WML "styles+xml");
  content_type(d, "/word/settings.xml", CT_WML "settings+xml");
  content_type(d, "/word/fontTable.xml", CT_WML "fontTable+xml");
  content_type(d, "/word/header1.xml", CT_WML "header+xml");
  content_type(d, "/word/header2.xml", CT_WML "header+xml");
  content_type(d, "/docProps/core.xml",
               "application/vnd.openxmlformats-package.core-properties+xml");
  if (d->t->form)
    content_type(d, "/docProps/custom.xml", CT_CUSTOM);
  x_end(d);
}

static void relationship(struct docx *d, const char *id, const char *type,
                         const char *target) {
  x_start(d, "Relationship");
  x_attr(d, "Id", id);
  x_attr(d, "Type", type);
  x_attr(d, "Target", target);
  x_end(d);
}

static void part_package_rels(struct docx *d) {
  x_start(d, "Relationships");
  x_attr(d, "xmlns", NS_PKG_REL);
  relationship(d, "rId1", REL_DOC "officeDocument", "word/document.xml");
  relationship(d, "rId2",
               "http://schemas.openxmlformats.org/package/2006/"
               "relationships/metadata/core-properties",
               "docProps/core.xml");
  if (d->t->form)
    relationship(d, "rId3", REL_CUSTOM, "docProps/custom.xml");
  x_end(d);
}

static void part_document_rels(struct docx *d) {
  x_start(d, "Relationships");
  x_attr(d, "xmlns", NS_PKG_REL);
  relationship(d, "rIdStyles", REL_DOC "styles", "styles.xml");
  relationship(d, "rIdSettings", REL_DOC "settings", "settings.xml");
  relationship(d, "rIdFontTable", REL_DOC "fontTable", "fontTable.xml");
  relationship(d, "rIdHeader1", REL_DOC "header", "header1.xml");
  relationship(d, "rIdHeader2", REL_DOC "header", "header2.xml");
  x_end(d);
}

/* Core properties: title, subject and language; no dates, so the bytes
 * never depend on the clock. */
static void part_core(struct docx *d) {
  x_start(d, "cp:coreProperties");
  x_attr(d, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/"
                        "metadata/core-properties");
  x_attr(d, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  x_attr(d, "xmlns:dcterms", "http://purl.org/dc/terms/");
  if (d->t->title) {
    x_start(d, "dc:title");
    x_text(d, d->t->title);
    x_end(d);
  }
  if (d->t->subject) {
    x_start(d, "dc:subject");
    x_text(d, d->t->subject);
    x_end(d);
  }
  if (d->t->lang) {
    x_start(d, "dc:language");
    x_text(d, d->t->lang);
    x_end(d);
  }
  x_end(d);
}

static const struct {
  const char *name;
  void (*write)(struct docx *d);
} parts[PART_COUNT] = {
    {"[Content_Types].xml", part_content_types},
    {"_rels/.rels", part_package_rels},
    {"word/document.xml", part_document},
    {"word/_rels/document.xml.rels", part_document_rels},
    {"word/styles.xml", part_styles},
    {"word/settings.xml", part_settings},
    {"word/fontTable.xml", part_font_table},
    {"word/header1.xml", part_header1},
    {"word/header2.xml", part_header2},
    {"docProps/core.xml", part_core},
    {"docProps/custom.xml", part_custom}, /* forms only */
};

/* Parts a tree does without: custom.xml belongs to forms. */
static int part_skipped(const struct docx *d, size_t i) {
  return parts[i].write == part_custom && !d->t->form;
}

/* Writes part i into buf. Returns VB_OK, or VB_ENOMEM / VB_ELIMIT when the
 * buffer fails, VB_EDOCX when the part's elements do not close. */
static vb_status write_part(struct docx *d, size_t i, struct vb_buf *buf) {
  vb_status st;
  d->out = buf;
  d->nopen = 0;
  d->pending = 0;
  d->err = 0;
  x_raw(d, XML_DECL, strlen(XML_DECL));
  parts[i].write(d);
  if (!d->err && d->nopen)
    d->err = 1;
  d->out = NULL;
  st = vb_buf_err(buf);
  if (st == VB_OK && d->err)
    st = VB_EDOCX;
  return st;
}

/* Parts smaller than this are stored, not deflated: zlib clears about
 * 200 KB of state for every entry it deflates, which costs more than the
 * few hundred bytes it would save (a certificate's DOCX has ten parts). */
#define STORE_BELOW 1024

/* Adds one finished part; the archive borrows the bytes until zip_close. */
static int add_part(zip_t *z, const char *name, const struct vb_buf *buf) {
  zip_source_t *s;
  zip_int64_t idx;
  s = zip_source_buffer(z, buf->ptr, (zip_uint64_t)buf->len, 0);
  if (!s)
    return 0;
  idx = zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (idx < 0) {
    zip_source_free(s);
    return 0;
  }
  return zip_set_file_compression(
             z, (zip_uint64_t)idx,
             buf->len < STORE_BELOW ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
             buf->len < STORE_BELOW ? 0 : DEFLATE_LEVEL) == 0 &&
         zip_file_set_dostime(z, (zip_uint64_t)idx, DOS_TIME, DOS_DATE,
                              0) == 0;
}

/* Copies the archive held by `src` to the end of `out`. */
static vb_status read_back(zip_source_t *src, struct vb_buf *out) {
  char chunk[READ_CHUNK];
  zip_int64_t n;
  vb_status st = VB_OK;
  if (zip_source_open(src) < 0)
    return VB_EDOCX;
  while ((n = zip_source_read(src, chunk, sizeof(chunk))) > 0) {
    vb_buf_put(out, chunk, (size_t)n);
    if (vb_buf_err(out)) {
      st = vb_buf_err(out);
      break;
    }
  }
  if (n < 0)
    st = VB_EDOCX;
  zip_source_close(src);
  return st;
}

vb_status vb_render_docx(const struct vb_tree *t, struct vb_fonts *fonts,
                         const vb_mem *mem, struct vb_buf *out) {
  struct docx *d = NULL;
  struct vb_buf bufs[PART_COUNT];
  zip_source_t *src = NULL;
  zip_t *z = NULL;
  zip_error_t zerr;
  vb_status st = VB_OK;
  size_t i;

  if (!t || !t->root || !out || !mem)
    return VB_EUSAGE;
  d = vb_calloc(mem, 1, sizeof(*d));
  if (!d)
    return VB_ENOMEM;
  d->t = t;
  d->fonts = fonts;
  d->text_width = t->page.width - t->page.margin_left - t->page.margin_right;
  d->has_fields = tree_has_fields(t);
  collect_styles(d);
  for (i = 0; i < PART_COUNT; i++)
    vb_buf_init(&bufs[i], mem, out->limit);

  for (i = 0; i < PART_COUNT; i++) {
    if (part_skipped(d, i))
      continue;
    st = write_part(d, i, &bufs[i]);
    if (st != VB_OK)
      goto out;
  }

  zip_error_init(&zerr);
  src = zip_source_buffer_create(NULL, 0, 0, &zerr);
  zip_error_fini(&zerr);
  if (!src) {
    st = VB_ENOMEM;
    goto out;
  }
  zip_error_init(&zerr);
  z = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
  zip_error_fini(&zerr);
  if (!z) {
    st = VB_EDOCX;
    goto out;
  }
  /* Keep the source alive past zip_close, which writes the archive into
   * it and drops the archive's reference. */
  zip_source_keep(src);
  for (i = 0; i < PART_COUNT; i++) {
    if (part_skipped(d, i))
      continue;
    if (!add_part(z, parts[i].name, &bufs[i])) {
      st = VB_EDOCX;
      goto out;
    }
  }
  if (zip_close(z) < 0) {
    st = VB_EDOCX;
    goto out;
  }
  z = NULL;
  st = read_back(src, out);

out:
  if (z)
    zip_discard(z); /* also drops its reference to src */
  if (src)
    zip_source_free(src);
  for (i = 0; i < PART_COUNT; i++)
    vb_buf_release(&bufs[i]);
  vb_mfree(mem, d);
  return st;
}
