/* so.c - the sổ đăng ký văn bản đi printed (NĐ 30 Điều 16.2.b: a register
 * kept by system is printed and bound): a cover and a first page, then the
 * ten columns of Phụ lục IV I.2 on A4 landscape, both header rows repeated
 * on every page and no row split. The tree is built here from the
 * register's rows, not from a template: the sổ is not an input document,
 * and its values come already checked from the register. PDF and DOCX go
 * through the renderers every document uses. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "node.h"
#include "register.h"
#include "render.h"
#include "text.h"

#define PT(x) ((int)((x)*20))
#define MM(x) ((int)((x)*56.6929 + 0.5))

/* A4 landscape, in twips: the portrait page's sides swapped. */
#define SO_W 16838
#define SO_H 11906
/* Text of the table, and of its header (Phụ lục IV prints it small). */
#define SZ_CELL 22 /* half-points: 11 pt */
#define SZ_COVER_NAME 28
#define SZ_COVER_TITLE 48
#define SZ_COVER_LINE 28

/* The ten columns (Phụ lục IV I.2), their widths in per cent of the text
 * width: the trích yếu and Nơi nhận take the room, the columns the văn thư
 * fills by hand keep enough for a date or a signature. */
static const char *const so_heads[10] = {
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
};
static const int so_widths[10] = {12, 9, 22, 10, 13, 10, 6, 7, 6, 5};

struct so {
  vb_ctx *ctx;
  struct vb_tree *t;
  struct vb_arena *a;
  vb_status st;
};

static struct vb_node *node(struct so *s, struct vb_node *parent,
                            enum vb_node_type type) {
  struct vb_node *n = s->st == VB_OK ? vb_node_new(s->a, type) : NULL;
  if (!n) {
    if (s->st == VB_OK)
      s->st = VB_ENOMEM;
    return NULL;
  }
  if (parent && !vb_node_append(parent, n)) {
    s->st = VB_EINVALID; /* a shape the tree does not allow: a bug */
    return NULL;
  }
  return n;
}

static struct vb_node *para(struct so *s, struct vb_node *parent,
                            enum vb_align align, int size, unsigned flags,
                            const char *text, int before, int after) {
  struct vb_node *p = node(s, parent, VB_NODE_PARAGRAPH);
  if (!p)
    return NULL;
  p->as.para.align = align;
  p->as.para.size = size;
  p->as.para.line = 240;
  p->as.para.space_before = before;
  p->as.para.space_after = after;
  if (*text && !vb_add_run(s->a, p, text, strlen(text), flags, 0))
    s->st = VB_ENOMEM;
  return p;
}

static struct vb_node *row(struct so *s, struct vb_node *table,
                           const char *const v[10], unsigned flags,
                           int header) {
  struct vb_node *r = node(s, table, VB_NODE_ROW);
  int k;
  if (!r)
    return NULL;
  r->as.row.cant_split = 1;
  r->as.row.header = header;
  for (k = 0; k < 10; k++) {
    struct vb_node *c = node(s, r, VB_NODE_CELL);
    if (!c)
      return NULL;
    para(s, c, header || k >= 6 ? VB_ALIGN_CENTER : VB_ALIGN_LEFT, SZ_CELL,
         flags, v[k], PT(2), PT(2));
  }
  return r;
}

/* Column (3): "KẾ HOẠCH phát động ..."; column (10): secrecy, version (as
 * the export writes them). */
static void entry_cells(struct so *s, const vb_entry *e, const char *v[10]) {
  struct vb_buf b;
  vb_buf_init(&b, &s->ctx->mem, 1 << 20);
  vb_buf_printf(&b, "%s %s", e->type_name, e->summary);
  v[2] = vb_buf_err(&b) ? NULL : vb_arena_strdup(s->a, b.ptr);
  vb_buf_truncate(&b, 0);
  if (!strcmp(e->secret, "mat"))
    vb_buf_puts(&b, "Mật");
  else if (!strcmp(e->secret, "toi-mat"))
    vb_buf_puts(&b, "Tối mật");
  else if (!strcmp(e->secret, "tuyet-mat"))
    vb_buf_puts(&b, "Tuyệt mật");
  if (e->version > 1)
    vb_buf_printf(&b, "%sĐính chính, bản %d", b.len ? "; " : "", e->version);
  v[9] = vb_buf_err(&b) ? NULL : vb_arena_strdup(s->a, b.ptr);
  vb_buf_release(&b);
  v[0] = e->symbol;
  v[1] = e->date;
  v[3] = e->signer;
  v[4] = e->recipients;
  v[5] = e->kept_by;
  v[6] = v[7] = v[8] = "";
  if (!v[2] || !v[9])
    s->st = VB_ENOMEM;
}

/* The cover, and the first page like it (Phụ lục IV I.1): the body, the
 * title, the year, the dates and numbers it holds, the volume. */
static void cover(struct so *s, const char *body, int year, const char *from,
                  const char *to, long lo, long hi) {
  struct vb_node *root = s->t->root;
  char line[160];
  int page;
  for (page = 0; page < 2 && s->st == VB_OK; page++) {
    struct vb_node *p;
    if (page)
      node(s, root, VB_NODE_PAGE_BREAK);
    p = para(s, root, VB_ALIGN_CENTER, SZ_COVER_NAME, VB_RUN_BOLD, body, 0, 0);
    if (p) { /* the body's name, in capitals as a header prints it */
      struct vb_buf up;
      vb_buf_init(&up, &s->ctx->mem, 1 << 16);
      if (p->first && vb_text_upper(p->first->as.text.text,
                                    p->first->as.text.len, &up) == VB_OK) {
        const char *u = vb_arena_strdup(s->a, up.ptr);
        if (!u)
          s->st = VB_ENOMEM;
        else {
          p->first->as.text.text = u;
          p->first->as.text.len = up.len;
        }
      }
      vb_buf_release(&up);
    }
    para(s, root, VB_ALIGN_CENTER, SZ_COVER_TITLE, VB_RUN_BOLD,
         "SỔ ĐĂNG KÝ VĂN BẢN ĐI", PT(120), PT(36));
    if (year)
      snprintf(line, sizeof(line), "Năm: %d", year);
    else
      snprintf(line, sizeof(line), "Năm: .....");
    para(s, root, VB_ALIGN_CENTER, SZ_COVER_LINE, 0, line, 0, PT(12));
    snprintf(line, sizeof(line), "Từ ngày %s đến ngày %s",
             *from ? from : ".....", *to ? to : ".....");
    para(s, root, VB_ALIGN_CENTER, SZ_COVER_LINE, 0, line, 0, PT(12));
    if (hi > 0)
      snprintf(line, sizeof(line), "Từ số %02ld đến số %02ld", lo, hi);
    else
      snprintf(line, sizeof(line), "Từ số ..... đến số .....");
    para(s, root, VB_ALIGN_CENTER, SZ_COVER_LINE, 0, line, 0, PT(12));
    para(s, root, VB_ALIGN_CENTER, SZ_COVER_LINE, 0, "Quyển số: .....", 0, 0);
  }
  node(s, root, VB_NODE_PAGE_BREAK);
}

static vb_status build(struct so *s, vb_register *reg,
                       const vb_register_filter *filter) {
  vb_register_iter *it = NULL;
  const vb_entry *e;
  struct vb_page_setup *pg = &s->t->page;
  struct vb_node *table;
  const char *body, *profile, *v[10];
  char from[16] = "", to[16] = "";
  static const char *const nums[10] = {"(1)", "(2)", "(3)", "(4)", "(5)",
                                       "(6)", "(7)", "(8)", "(9)", "(10)"};
  int *w, k, used = 0, text_width;
  long lo = 0, hi = 0;
  vb_status st;
  pg->width = SO_W;
  pg->height = SO_H;
  pg->margin_top = MM(20);
  pg->margin_bottom = MM(20);
  pg->margin_left = MM(30);
  pg->margin_right = MM(15);
  pg->header_distance = MM(10);
  pg->page_number_size = 28;
  pg->page_number_from = 2; /* not on the cover (the DOCX can say no more) */
  text_width = pg->width - pg->margin_left - pg->margin_right;
  s->t->title = "Sổ đăng ký văn bản đi";
  s->t->lang = "vi-VN";
  if ((st = vb_register_main_body(reg, s->a, &body, &profile)) != VB_OK)
    return st;
  if (!(s->t->root = node(s, NULL, VB_NODE_DOCUMENT)) ||
      !(table = node(s, NULL, VB_NODE_TABLE)) ||
      !(w = vb_arena_alloc(s->a, 10 * sizeof(int))))
    return VB_ENOMEM;
  for (k = 0; k < 10; k++) {
    w[k] = k < 9 ? text_width * so_widths[k] / 100 : text_width - used;
    used += w[k];
  }
  table->as.table.ncols = 10;
  table->as.table.widths = w;
  table->as.table.flags = VB_TABLE_BORDERS;
  row(s, table, so_heads, VB_RUN_BOLD, 1);
  row(s, table, nums, 0, 1);
  if ((st = vb_register_list(reg, filter, &it)) != VB_OK)
    return st;
  while (s->st == VB_OK && (st = vb_register_next(it, &e)) == VB_OK && e) {
    entry_cells(s, e, v);
    if (s->st == VB_OK)
      row(s, table, v, 0, 0);
    if (!*from)
      snprintf(from, sizeof(from), "%.10s", e->date);
    snprintf(to, sizeof(to), "%.10s", e->date);
    if (!lo || e->number < lo)
      lo = e->number;
    if (e->number > hi)
      hi = e->number;
  }
  vb_register_iter_free(it);
  if (st != VB_OK)
    return st;
  if (s->st != VB_OK)
    return s->st;
  cover(s, body, filter ? filter->year : 0, from, to, lo, hi);
  if (s->st == VB_OK && !vb_node_append(s->t->root, table))
    s->st = VB_EINVALID;
  return s->st != VB_OK ? s->st : s->a->failed ? VB_ENOMEM : VB_OK;
}

vb_status vb_so_print(vb_register *reg, const vb_register_filter *filter,
                      int format, struct vb_buf *out) {
  struct so s;
  struct vb_tree t;
  struct vb_fonts *fonts;
  vb_status st;
  memset(&s, 0, sizeof(s));
  memset(&t, 0, sizeof(t));
  s.ctx = vb_register_ctx(reg);
  s.t = &t;
  s.a = &t.arena;
  vb_arena_init(&t.arena, &s.ctx->mem);
  st = build(&s, reg, filter);
  if (st == VB_OK)
    st = vb_ctx_fonts(s.ctx, &fonts);
  if (st == VB_OK)
    st = format == VB_TABLE_PDF ? vb_render_pdf(&t, fonts, &s.ctx->mem, out)
                                : vb_render_docx(&t, fonts, &s.ctx->mem, out);
  vb_arena_release(&t.arena);
  return st;
}
