/* compose.c - builds the document tree of a "văn bản có tên loại" (Mẫu 1.4
 * of NĐ 30; the Party form of HD 36) from a validated plan: the two-column
 * header, title block, căn cứ, the Markdown body, and Nơi nhận beside the
 * signature block. Sizes and strings come from the profile. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "compose.h"
#include "layout.h"

#define MM(x) ((int)((x) * 56.6929 + 0.5))
#define PT(x) ((int)((x) * 20))

/* A4 portrait, in twips. */
#define A4_W 11906
#define A4_H 16838


static struct vb_node *para(struct composer *c, struct vb_node *parent,
                            enum vb_role role, enum vb_align align, int size,
                            const struct vb_elem *src) {
  struct vb_node *n = vb_node_new(c->a, VB_NODE_PARAGRAPH);
  if (!n) {
    c->st = VB_ENOMEM;
    return NULL;
  }
  n->as.para.role = role;
  n->as.para.align = align;
  n->as.para.size = size;
  n->as.para.line = 240;
  if (src) {
    n->line = src->line;
    n->col = src->col;
  }
  if (!vb_node_append(parent, n)) {
    c->st = VB_EINVALID; /* a shape the tree does not allow: a bug */
    return NULL;
  }
  return n;
}

/* A paragraph holding one run. */
static struct vb_node *line(struct composer *c, struct vb_node *parent,
                            enum vb_role role, enum vb_align align, int size,
                            unsigned flags, const char *text,
                            const struct vb_elem *src) {
  struct vb_node *n = para(c, parent, role, align, size, src);
  if (n && !vb_add_run(c->a, n, text, strlen(text), flags, 0))
    c->st = VB_ENOMEM;
  return n;
}

static void rule(struct composer *c, struct vb_node *parent, int length,
                 int before, int after) {
  struct vb_node *n = vb_node_new(c->a, VB_NODE_RULE);
  if (!n) {
    c->st = VB_ENOMEM;
    return;
  }
  n->as.rule.length = length;
  n->as.rule.thickness = 10; /* 0.5 pt */
  n->as.rule.align = VB_ALIGN_CENTER;
  n->as.rule.space_before = before;
  n->as.rule.space_after = after;
  if (!vb_node_append(parent, n))
    c->st = VB_EINVALID;
}

/* Width in twips of text in a face and size. */
static int width(struct composer *c, unsigned flags, int size,
                 const char *s) {
  return (int)(vb_font_width(c->fonts, vb_face_for(flags), size, s,
                             strlen(s)) *
                   20 +
               0.5);
}

static struct vb_node *table(struct composer *c, int left, int right,
                             unsigned flags, struct vb_node **cells,
                             int rows) {
  struct vb_node *t = vb_node_new(c->a, VB_NODE_TABLE);
  int *w = vb_arena_alloc(c->a, 2 * sizeof(int));
  int r, k;
  if (!t || !w) {
    c->st = VB_ENOMEM;
    return NULL;
  }
  w[0] = left;
  w[1] = right;
  t->as.table.ncols = 2;
  t->as.table.widths = w;
  t->as.table.flags = flags;
  for (r = 0; r < rows; r++) {
    struct vb_node *row = vb_node_new(c->a, VB_NODE_ROW);
    if (!row) {
      c->st = VB_ENOMEM;
      return NULL;
    }
    row->as.row.cant_split = 1;
    if (!vb_node_append(t, row)) {
      c->st = VB_EINVALID;
      return NULL;
    }
    for (k = 0; k < 2; k++) {
      struct vb_node *cell = vb_node_new(c->a, VB_NODE_CELL);
      if (!cell) {
        c->st = VB_ENOMEM;
        return NULL;
      }
      if (!vb_node_append(row, cell)) {
        c->st = VB_EINVALID;
        return NULL;
      }
      cells[r * 2 + k] = cell;
    }
  }
  if (!vb_node_append(c->t->root, t)) {
    c->st = VB_EINVALID;
    return NULL;
  }
  return t;
}

/* V061: a header line wider than its column wraps; say so. */
static void fits(struct composer *c, const char *s, unsigned flags, int size,
                 int col, const struct vb_elem *src) {
  if (width(c, flags, size, s) > col) {
    char mm[32];
    snprintf(mm, sizeof(mm), "%d mm", (int)(col / 56.6929 + 0.5));
    if (!vb_diag_add(c->ctx, VB_C_LONG_LINE, c->p->file, src ? src->line : 0,
                     src ? src->col : 0, s, mm))
      c->st = VB_ENOMEM;
  }
}

/* V062: a name of the header wider than its column is broken where the
 * sense breaks ("ỦY BAN NHÂN DÂN / TỈNH NGHỆ AN", layout.h: the same
 * breaks in the PDF and the DOCX). Where no such break fits the column
 * ("ĐẢNG ỦY KHỐI CÁC CƠ / QUAN TỈNH" was the greedy one), say where it
 * was broken, so that the clerk can write the lines as elements. */
static void name_fits(struct composer *c, const struct vb_node *n, int col,
                      const struct vb_elem *src) {
  size_t br[VB_LAYOUT_MAX_BALANCED], k, i, from = 0;
  const struct vb_node *r = n ? n->first : NULL;
  struct vb_buf hint;
  int sensible = 0;
  if (!r || r->type != VB_NODE_TEXT ||
      !(k = vb_layout_balance(n, c->fonts, col / 20.0, br,
                              VB_LAYOUT_MAX_BALANCED, &sensible)) ||
      sensible)
    return;
  vb_buf_init(&hint, c->a->mem, 4 * r->as.text.len + 64);
  for (i = 0; i <= k; i++) {
    size_t to = i < k ? br[i] : r->as.text.len;
    vb_buf_put(&hint, r->as.text.text + from, to - from);
    if (i < k)
      vb_buf_puts(&hint, " / ");
    for (from = to; from < r->as.text.len && r->as.text.text[from] == ' ';
         from++)
      ;
  }
  if (vb_buf_err(&hint))
    c->st = vb_buf_err(&hint);
  else if (!vb_diag_add(c->ctx, VB_C_NAME_SPLIT, c->p->file,
                        src ? src->line : 0, src ? src->col : 0,
                        r->as.text.text, hint.ptr))
    c->st = VB_ENOMEM;
  vb_buf_release(&hint);
}

/* Width in twips of the widest line the name n prints as in a column col
 * twips wide: the whole name, or its widest balanced line. */
static int name_width(struct composer *c, const struct vb_node *n, int col,
                      const char *s) {
  size_t br[VB_LAYOUT_MAX_BALANCED], k, i, from = 0, len = strlen(s);
  int w = 0, x;
  unsigned flags = n && n->first ? n->first->as.text.flags : 0;
  int size = n ? n->as.para.size : 0;
  k = n ? vb_layout_balance(n, c->fonts, col / 20.0, br,
                            VB_LAYOUT_MAX_BALANCED, NULL)
        : 0;
  if (!k)
    return width(c, flags, size, s);
  for (i = 0; i <= k; i++) {
    size_t to = i < k ? br[i] : len;
    x = (int)(vb_font_width(c->fonts, vb_face_for(flags), size, s + from,
                            to - from) *
                  20 +
              0.5);
    if (x > w)
      w = x;
    for (from = to; from < len && s[from] == ' '; from++)
      ;
  }
  return w;
}

/* The number line: "Số: 05/KH-UBND" (state) or "Số 05-KH/BDVHU" (Party).
 * Numbers below 10 get a leading zero (NĐ 30 Phụ lục I, II.3.c; HD 36
 * 1.3.1.a "từ số 01"). Without a number, a blank for the register or the
 * pen. Appended to b, whole: the symbol is as long as the input allows. */
void vb_compose_number(struct composer *c, struct vb_buf *b) {
  const struct vb_plan *p = c->p;
  const char *sep = c->pr->party ? "-" : "/";
  const char *sep2 = c->pr->party ? "/" : "-";
  if (!p->type) /* a kind without a number */
    return;
  if (p->so)
    vb_buf_printf(b, "%02ld", p->so);
  else
    vb_buf_puts(b, "\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0");
  vb_buf_puts(b, sep);
  vb_buf_puts(b, p->type->code);
  vb_buf_puts(b, sep2);
  vb_buf_puts(b, p->ky_hieu ? p->ky_hieu : "");
}

static void number_line(struct composer *c, struct vb_buf *b) {
  vb_buf_puts(b, c->pr->party ? "Số " : "Số: ");
  vb_compose_number(c, b);
}

/* Longest text a composed line may reach: every field of the input in one
 * line still fits (NFC never grows UTF-8 text more than 3x). */
#define LINE_LIMIT ((size_t)VB_MAX_INPUT_BYTES * 4)

/* Room for vb_format_date() with any int day, month and year: the words
 * and three numbers of up to 11 characters each. */
#define DATE_CAP (sizeof("ngày  tháng 0 năm ") + (size_t)3 * 11)

/* The text of b as a line of cell, or a failure recorded in c->st. */
static struct vb_node *buf_line(struct composer *c, struct vb_node *cell,
                                enum vb_role role, enum vb_align align,
                                int size, unsigned flags, struct vb_buf *b,
                                const struct vb_elem *src) {
  if (vb_buf_err(b)) {
    c->st = vb_buf_err(b);
    return NULL;
  }
  return line(c, cell, role, align, size, flags, b->ptr, src);
}

/* The header: ô 1 and 2, then (numbered) ô 3 and 4 on one line. A
 * document attached to another (a plan issued by a decision) has no number
 * and no date of its own: its heading names the decision's. */
static void header(struct composer *c, int numbered) {
  const struct vb_plan *p = c->p;
  const struct vb_profile *pr = c->pr;
  struct vb_node *cell[4];
  int right = pr->header_right, left = c->text_width - pr->header_right;
  size_t i;
  int widest = 0, w;
  struct vb_buf buf;
  char *date;
  struct vb_node *n;
  if (left < MM(50)) {
    left = MM(50);
    right = c->text_width - left;
  }
  if (!table(c, left, right, VB_TABLE_KEEP_TOGETHER, cell, numbered ? 2 : 1))
    return;
  /* ô 2: parent body, issuer */
  for (i = 0; i < p->chu_quan.n; i++) {
    /* long names wrap inside the column, as NĐ 30 allows */
    n = line(c, cell[0], VB_ROLE_CHU_QUAN, VB_ALIGN_CENTER, pr->sz_chu_quan,
             0, p->chu_quan.v[i], p->chu_quan.src[i]);
    name_fits(c, n, left, p->chu_quan.src[i]);
  }
  for (i = 0; i < p->ten.n; i++) {
    n = line(c, cell[0], VB_ROLE_CO_QUAN, VB_ALIGN_CENTER, pr->sz_co_quan,
             VB_RUN_BOLD, p->ten.v[i], p->ten.src[i]);
    name_fits(c, n, left, p->ten.src[i]);
    w = n ? name_width(c, n, left, n->first ? n->first->as.text.text : "")
          : 0;
    if (w > widest)
      widest = w;
  }
  if (pr->party) {
    /* HD 36: a centred asterisk under the issuer */
    line(c, cell[0], VB_ROLE_SAO, VB_ALIGN_CENTER, pr->sz_co_quan, 0, "*",
         p->header_src);
  } else {
    /* NĐ 30: a line 1/3 to 1/2 as long as the issuer's name */
    rule(c, cell[0], (widest < left ? widest : left) * 2 / 5, PT(3), 0);
  }
  /* ô 1: Quốc hiệu and Tiêu ngữ, or the Party heading */
  if (pr->party) {
    static const char dcs[] = "ĐẢNG CỘNG SẢN VIỆT NAM";
    line(c, cell[1], VB_ROLE_QUOC_HIEU, VB_ALIGN_CENTER, pr->sz_quoc_hieu,
         VB_RUN_BOLD, dcs, NULL);
    rule(c, cell[1], width(c, VB_RUN_BOLD, pr->sz_quoc_hieu, dcs), PT(3), 0);
  } else {
    static const char qh[] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    static const char tn[] = "Độc lập - Tự do - Hạnh phúc";
    line(c, cell[1], VB_ROLE_QUOC_HIEU, VB_ALIGN_CENTER, pr->sz_quoc_hieu,
         VB_RUN_BOLD, qh, NULL);
    line(c, cell[1], VB_ROLE_TIEU_NGU, VB_ALIGN_CENTER, pr->sz_tieu_ngu,
         VB_RUN_BOLD, tn, NULL);
    /* a solid line exactly as long as the motto */
    rule(c, cell[1], width(c, VB_RUN_BOLD, pr->sz_tieu_ngu, tn), PT(3), 0);
  }
  if (!numbered)
    return;
  /* ô 3 and ô 4 on one line */
  vb_buf_init(&buf, &c->ctx->mem, LINE_LIMIT);
  number_line(c, &buf);
  n = buf_line(c, cell[2], VB_ROLE_SO_KY_HIEU, VB_ALIGN_CENTER, pr->sz_so, 0,
               &buf, p->header_src);
  if (n)
    n->as.para.space_before = PT(6);
  vb_buf_truncate(&buf, 0);
  date = vb_arena_alloc(c->a, DATE_CAP);
  if (!date) {
    c->st = VB_ENOMEM;
    vb_buf_release(&buf);
    return;
  }
  vb_format_date(date, DATE_CAP, p->year, p->month, p->day);
  vb_buf_puts(&buf, p->dia_danh ? p->dia_danh : "");
  vb_buf_puts(&buf, ", ");
  vb_buf_puts(&buf, date);
  if (!vb_buf_err(&buf))
    fits(c, buf.ptr, VB_RUN_ITALIC, pr->sz_dia_danh, right, p->header_src);
  n = buf_line(c, cell[3], VB_ROLE_DIA_DANH, VB_ALIGN_CENTER,
               pr->sz_dia_danh, VB_RUN_ITALIC, &buf, NULL);
  if (n)
    n->as.para.space_before = PT(6);
  vb_buf_release(&buf);
}

static void title(struct composer *c) {
  const struct vb_plan *p = c->p;
  const struct vb_profile *pr = c->pr;
  struct vb_node *n;
  int w;
  n = line(c, c->t->root, VB_ROLE_TEN_LOAI, VB_ALIGN_CENTER, pr->sz_ten_loai,
           VB_RUN_BOLD, p->type->name, NULL);
  if (!n)
    return;
  n->as.para.space_before = PT(22);
  n->as.para.keep_next = 1;
  n = line(c, c->t->root, VB_ROLE_TRICH_YEU, VB_ALIGN_CENTER,
           pr->sz_trich_yeu, VB_RUN_BOLD, p->trich_yeu, p->trich_yeu_src);
  if (!n)
    return;
  n->as.para.keep_next = 1;
  if (pr->party) {
    /* HD 36 leaves the separator open; practice is a short dash line */
    n = line(c, c->t->root, VB_ROLE_NONE, VB_ALIGN_CENTER, pr->sz_trich_yeu,
             0, "-----", NULL);
    if (n) {
      n->as.para.keep_next = 1;
      n->as.para.space_after = PT(12);
    }
  } else {
    /* NĐ 30: a line 1/3 to 1/2 as long as the text line, centred */
    w = width(c, VB_RUN_BOLD, pr->sz_trich_yeu, p->trich_yeu);
    if (w > c->text_width)
      w = c->text_width;
    rule(c, c->t->root, w * 2 / 5 > MM(25) ? w * 2 / 5 : MM(25), PT(4),
         PT(14));
  }
}

static void can_cu(struct composer *c) {
  const struct vb_plan *p = c->p;
  size_t i;
  for (i = 0; i < p->can_cu.n; i++) {
    struct vb_node *n = para(c, c->t->root, VB_ROLE_CAN_CU, VB_ALIGN_JUSTIFY,
                             c->pr->sz_body, p->can_cu.src[i]);
    if (!n)
      return;
    vb_body_style(c->pr, VB_ROLE_CAN_CU, &n->as.para);
    if (!vb_add_run(c->a, n, p->can_cu.v[i], strlen(p->can_cu.v[i]),
                    VB_RUN_ITALIC, 0))
      c->st = VB_ENOMEM;
  }
}

static void signature(struct composer *c) {
  const struct vb_plan *p = c->p;
  const struct vb_profile *pr = c->pr;
  struct vb_node *cell[2], *n, *last;
  const struct vb_nn *it;
  struct vb_buf buf;
  int first = 1;
  size_t i;
  /* the signature block never stands alone: it keeps the last lines of
   * the body with it */
  last = c->t->root->last;
  if (last && last->type == VB_NODE_PARAGRAPH)
    last->as.para.keep_next = 1;
  if (!table(c, c->text_width - pr->sign_right, pr->sign_right,
             VB_TABLE_KEEP_TOGETHER, cell, 1))
    return;
  /* ô 9b: Nơi nhận */
  n = line(c, cell[0], VB_ROLE_NOI_NHAN_LABEL, VB_ALIGN_LEFT,
           pr->sz_noi_nhan_label, pr->noi_nhan_label_flags, "Nơi nhận:",
           NULL);
  if (n)
    n->as.para.space_before = PT(12);
  vb_buf_init(&buf, &c->ctx->mem, LINE_LIMIT);
  for (it = p->noi_nhan; it && c->st == VB_OK; it = it->next) {
    const char *end = it->next ? pr->noi_nhan_sep : ".";
    vb_buf_truncate(&buf, 0);
    if (it->kind == VB_NN_GROUP) {
      vb_buf_puts(&buf, it->text);
      vb_buf_puts(&buf, ":");
      buf_line(c, cell[0], VB_ROLE_NOI_NHAN_GROUP, VB_ALIGN_LEFT,
               pr->sz_noi_nhan_item, VB_RUN_ITALIC, &buf, it->src);
      continue;
    }
    vb_buf_puts(&buf, "- ");
    if (it->kind == VB_NN_LUU)
      vb_buf_puts(&buf, pr->luu);
    vb_buf_puts(&buf, it->text);
    vb_buf_puts(&buf, end);
    buf_line(c, cell[0], VB_ROLE_NOI_NHAN_ITEM, VB_ALIGN_LEFT,
             pr->sz_noi_nhan_item, 0, &buf, it->src);
  }
  vb_buf_release(&buf);
  /* ô 7a, 7c, 7b */
  for (i = 0; i < p->quyen_han.n; i++) {
    n = line(c, cell[1], VB_ROLE_QUYEN_HAN, VB_ALIGN_CENTER, pr->sz_chuc_vu,
             VB_RUN_BOLD, p->quyen_han.v[i], p->quyen_han.src[i]);
    if (n && first)
      n->as.para.space_before = PT(12);
    first = 0;
  }
  n = line(c, cell[1], VB_ROLE_CHUC_VU, VB_ALIGN_CENTER, pr->sz_chuc_vu,
           VB_RUN_BOLD, p->chuc_vu, p->nguoi_ky_src);
  if (n && first)
    n->as.para.space_before = PT(12);
  n = line(c, cell[1], VB_ROLE_HO_TEN, VB_ALIGN_CENTER, pr->sz_ho_ten,
           VB_RUN_BOLD, p->ho_ten, p->nguoi_ky_src);
  if (n)
    n->as.para.space_before = pr->sign_space;
}

/* Margins in mm, clamped to the legal ranges of NĐ 30 Phụ lục I, I.5; a
 * margin asked for outside its range is a warning naming the range and
 * the margin used (V150). 0 when out of memory. */
static int margin(struct composer *c, const char *side_vi,
                  const char *side_en, double mm, double def, double lo,
                  double hi, int *out) {
  char used[96], side[64];
  double v = mm <= 0 ? def : mm < lo ? lo : mm > hi ? hi : mm;
  *out = MM(v);
  if (mm <= 0 || (mm >= lo && mm <= hi))
    return 1;
  snprintf(used, sizeof(used),
           vb_tr(c->ctx, "%g mm (khoảng cho phép %g–%g mm, NĐ 30)",
                 "%g mm (allowed %g–%g mm, NĐ 30)"),
           v, lo, hi);
  snprintf(side, sizeof(side),
           vb_tr(c->ctx, "lề %s %g mm", "%s margin of %g mm"),
           vb_tr(c->ctx, side_vi, side_en), mm);
  return vb_diag_add(c->ctx, VB_C_MARGIN_RANGE, c->p->file, 0, 0, side,
                     used);
}

/* V060: every character must have a glyph in the face it is drawn in. */
static void check_glyphs(struct composer *c) {
  struct vb_iter it;
  const struct vb_node *n;
  vb_iter_init(&it, c->t->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    uint32_t cp;
    n = vb_iter_node(&it);
    if (it.ev != VB_EVENT_ENTER || n->type != VB_NODE_TEXT)
      continue;
    cp = vb_font_missing(c->fonts, vb_face_for(n->as.text.flags),
                         n->as.text.text, n->as.text.len);
    if (cp && cp != 0x2011 && cp != 0xA0) {
      char hex[16];
      const struct vb_node *para = n->parent;
      /* text in a form field: the role is the paragraph's around it */
      while (para && para->type != VB_NODE_PARAGRAPH)
        para = para->parent;
      snprintf(hex, sizeof(hex), "U+%04X", (unsigned)cp);
      if (!vb_diag_add(c->ctx, VB_C_GLYPH, c->p->file, n->line, n->col, hex,
                       para ? vb_role_name(para->as.para.role) : ""))
        c->st = VB_ENOMEM;
    }
  }
}

/* The C parts a template's layout names (<phan ten="...">). */
int vb_compose_part(struct composer *c, const char *name) {
  if (!strcmp(name, "tieu-de"))
    header(c, 1);
  else if (!strcmp(name, "tieu-de-kem-theo"))
    header(c, 0);
  else if (!strcmp(name, "ten-loai"))
    title(c);
  else if (!strcmp(name, "can-cu"))
    can_cu(c);
  else if (!strcmp(name, "chu-ky"))
    signature(c);
  else
    return 0;
  return 1;
}

struct vb_node *vb_compose_para(struct composer *c, struct vb_node *parent,
                                enum vb_role role, enum vb_align align,
                                int size, const struct vb_elem *src) {
  return para(c, parent, role, align, size, src);
}

void vb_compose_rule(struct composer *c, struct vb_node *parent, int length,
                     int before, int after) {
  rule(c, parent, length, before, after);
}

int vb_compose_width(struct composer *c, unsigned flags, int size,
                     const char *s) {
  return width(c, flags, size, s);
}

/* A kind with its own <trang> (a certificate): its paper, margins and
 * border, no page numbers. */
static void template_page(const struct vb_template *t,
                          struct vb_page_setup *pg) {
  pg->width = t->page.width;
  pg->height = t->page.height;
  pg->margin_top = t->page.margin_top;
  pg->margin_bottom = t->page.margin_bottom;
  pg->margin_left = t->page.margin_left;
  pg->margin_right = t->page.margin_right;
  pg->border = t->page.border;
  pg->page_number_size = 0;
}

/* Lines a paragraph's text takes at `size` half-points in `avail` points,
 * filled greedily word by word as the layout fills them; a word wider than
 * a line counts as too many. Runs keep their faces; a run boundary inside
 * a word (a quote mark, then the value) does not break it. */
static int fit_lines(struct composer *c, const struct vb_node *p, int size,
                     double avail, int most) {
  const struct vb_node *r;
  double line = 0, word = 0, space = 0;
  int lines = 1, in_word = 0;
  for (r = p->first; r; r = r->next) {
    const char *s;
    size_t i = 0, n, start;
    enum vb_face f;
    if (r->type == VB_NODE_LINE_BREAK) {
      if (in_word)
        line += space + word;
      if (line > avail)
        return most + 1;
      lines++;
      line = word = space = 0;
      in_word = 0;
      continue;
    }
    if (r->type != VB_NODE_TEXT)
      continue;
    s = r->as.text.text;
    n = r->as.text.len;
    f = vb_face_for(r->as.text.flags);
    while (i < n) {
      start = i;
      while (i < n && s[i] != ' ')
        i++;
      if (i > start) {
        word += vb_font_fit_width(c->fonts, f, size, s + start, i - start);
        in_word = 1;
      }
      if (i < n) { /* a space ends the word */
        if (in_word) {
          if (word > avail)
            return most + 1;
          if (line > 0 && line + space + word > avail) {
            lines++;
            line = word;
          } else {
            line += (line > 0 ? space : 0) + word;
          }
        }
        space = vb_font_fit_width(c->fonts, f, size, " ", 1);
        word = 0;
        in_word = 0;
        i++;
      }
    }
  }
  if (in_word) {
    if (word > avail)
      return most + 1;
    if (line > 0 && line + space + word > avail)
      lines++;
  }
  return lines;
}

/* The first value a paragraph's layout prints: what V130 names. */
static const struct vb_value *first_value(const struct vb_lnode *n,
                                          const struct vb_value *scope) {
  for (; n; n = n->next) {
    const struct vb_value *v;
    if (n->type == VB_L_VALUE && (v = vb_value_path(scope, n->name)))
      return v;
    if ((n->type == VB_L_SPAN || n->type == VB_L_IF) &&
        (v = first_value(n->first, scope)))
      return v;
  }
  return NULL;
}

/* The layout breaks lines a little before the measured end (rounding,
 * the italic overhang): keep this much room. */
#define FIT_SLACK 0.98

void vb_compose_fit(struct composer *c, struct vb_node *p,
                    const struct vb_lnode *n, const struct vb_value *scope,
                    int width) {
  struct vb_node *r;
  int size = p->as.para.size;
  double avail = (width - p->as.para.indent_left - p->as.para.indent_right) /
                 20.0 * FIT_SLACK;
  while (size > n->fit_min &&
         fit_lines(c, p, size, avail, n->fit_lines) > n->fit_lines)
    size--;
  if (fit_lines(c, p, size, avail, n->fit_lines) > n->fit_lines) {
    const struct vb_value *v = first_value(n->first, scope);
    char pt[16];
    snprintf(pt, sizeof(pt), "%g", n->fit_min / 2.0);
    if (!vb_diag_add_field(c->ctx, VB_C_FIT, c->p->file,
                           v && v->src ? v->src->line : n->line,
                           v && v->src ? v->src->col : n->col,
                           v ? v->f->name : NULL,
                           v && v->text ? v->text : "", pt))
      c->st = VB_ENOMEM;
    return;
  }
  p->as.para.size = size;
  for (r = p->first; r; r = r->next)
    if (r->type == VB_NODE_TEXT)
      r->as.text.size = size;
}

/* Whether a layout names a part written in C, at any depth. */
static int has_part(const struct vb_lnode *n) {
  for (; n; n = n->next)
    if (n->type == VB_L_PART || has_part(n->first))
      return 1;
  return 0;
}

static vb_status compose(vb_ctx *ctx, const struct vb_checked *chk,
                         struct vb_fonts *fonts, struct vb_tree *t,
                         int form) {
  struct composer c;
  struct vb_page_setup *pg = &t->page;
  const struct vb_plan *p = &chk->plan;
  size_t errors = vb_error_count(ctx);
  vb_status st;
  memset(&c, 0, sizeof(c));
  c.ctx = ctx;
  c.p = p;
  c.pr = chk->profile;
  c.chk = chk;
  c.fonts = fonts;
  c.t = t;
  c.a = &t->arena;
  c.form = form;
  c.st = VB_OK;
  if (!c.pr) {
    /* a draft naming no profile for a kind that has none by default */
    if (!vb_diag_add(ctx, VB_C_REQUIRED, p->file, 0, 0, "van-ban the-thuc",
                     vb_tr(ctx, "thể thức", "profile")))
      return VB_ENOMEM;
    return VB_EINVALID;
  }
  pg->width = A4_W;
  pg->height = A4_H;
  if (!margin(&c, "trên", "top", ctx->opt.margin_top, 20, 20, 25,
              &pg->margin_top) ||
      !margin(&c, "dưới", "bottom", ctx->opt.margin_bottom, 20, 20, 25,
              &pg->margin_bottom) ||
      !margin(&c, "trái", "left", ctx->opt.margin_left, 30, 30, 35,
              &pg->margin_left) ||
      !margin(&c, "phải", "right", ctx->opt.margin_right, 15, 15, 20,
              &pg->margin_right))
    return VB_ENOMEM;
  pg->header_distance = MM(10);
  pg->page_number_size = c.pr ? c.pr->sz_page_number : 28;
  pg->page_number_from = 2;
  if (chk->t->page.set)
    template_page(chk->t, pg);
  c.text_width = pg->width - pg->margin_left - pg->margin_right;
  /* the plan's strings live in the input arena: the tree keeps its own
   * copy (found by tests/fuzz: use after free in render_pdf.c save()) */
  t->title = p->trich_yeu ? vb_arena_strdup(c.a, p->trich_yeu)
                          : vb_arena_strdup(c.a, chk->t->title_vi);
  t->lang = "vi-VN";
  t->root = vb_node_new(c.a, VB_NODE_DOCUMENT);
  if (!t->root || !t->title)
    return VB_ENOMEM;
  if (form) {
    t->form = vb_arena_strdup(c.a, chk->t->name);
    t->form_profile = vb_arena_strdup(c.a, c.pr->name);
    if (!t->form || !t->form_profile)
      return VB_ENOMEM;
  }
  if (form && !chk->t->form_layout && has_part(chk->t->layout)) {
    /* V112: the C parts print a validated document's values, which a
     * draft does not have (found: vanban form ke-hoach crashed) */
    if (!vb_diag_add(ctx, VB_C_NO_FORM, p->file, 0, 0, chk->t->name, NULL))
      return VB_ENOMEM;
    return VB_EINVALID;
  }
  st = vb_template_expand(&c, form && chk->t->form_layout
                                  ? chk->t->form_layout
                                  : chk->t->layout);
  if (st != VB_OK)
    return st;
  if (c.st != VB_OK || c.a->failed)
    return c.st != VB_OK ? c.st : VB_ENOMEM;
  check_glyphs(&c);
  if (c.st != VB_OK)
    return c.st;
  return vb_error_count(ctx) > errors ? VB_EINVALID : VB_OK;
}

vb_status vb_compose(vb_ctx *ctx, const struct vb_checked *chk,
                     struct vb_fonts *fonts, struct vb_tree *t) {
  return compose(ctx, chk, fonts, t, 0);
}

vb_status vb_compose_form(vb_ctx *ctx, const struct vb_checked *chk,
                          struct vb_fonts *fonts, struct vb_tree *t) {
  return compose(ctx, chk, fonts, t, 1);
}
