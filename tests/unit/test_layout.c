/* test_layout.c - unit tests of the PDF typesetter (layout.c) and of the
 * libharu renderer (render_pdf.c), on small trees built by hand. Run from
 * the repository root (fonts/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "font.h"
#include "layout.h"
#include "mem.h"
#include "node.h"
#include "render.h"

/* ---- building trees ---- */

static struct vb_tree T;
static struct vb_fonts *F;

static void tree_init(void) {
  struct vb_page_setup a4 = {11906, 16838, 1134, 1134, 1701, 850,
                             567,   28,    2,    0};
  memset(&T, 0, sizeof(T));
  vb_arena_init(&T.arena, &vb_mem_default);
  T.root = vb_node_new(&T.arena, VB_NODE_DOCUMENT);
  T.page = a4;
  T.title = "Kế hoạch thử";
}

static struct vb_node *add(struct vb_node *parent, enum vb_node_type ty) {
  struct vb_node *n = vb_node_new(&T.arena, ty);
  assert_non_null(n);
  assert_true(vb_node_append(parent, n));
  return n;
}

static struct vb_node *para(struct vb_node *parent, enum vb_align al) {
  struct vb_node *p = add(parent, VB_NODE_PARAGRAPH);
  p->as.para.align = al;
  p->as.para.size = 28;
  p->as.para.line = 240;
  return p;
}

static struct vb_node *body(struct vb_node *parent) {
  struct vb_node *p = para(parent, VB_ALIGN_JUSTIFY);
  p->as.para.first_indent = 567;
  p->as.para.space_after = 120;
  p->as.para.widow = 1;
  return p;
}

static struct vb_node *run(struct vb_node *p, const char *s, unsigned flags) {
  struct vb_node *r = add(p, VB_NODE_TEXT);
  r->as.text.text = vb_arena_strdup(&T.arena, s);
  r->as.text.len = strlen(s);
  r->as.text.flags = flags;
  return r;
}

static struct vb_node *table2(int w1, int w2, unsigned flags) {
  struct vb_node *t = add(T.root, VB_NODE_TABLE);
  int *w = vb_arena_alloc(&T.arena, 2 * sizeof(int));
  w[0] = w1;
  w[1] = w2;
  t->as.table.ncols = 2;
  t->as.table.widths = w;
  t->as.table.flags = flags;
  return t;
}

/* The Nơi nhận + signature block: one row, keep-together. */
static void signature(void) {
  struct vb_node *t = table2(3685, 5669, VB_TABLE_KEEP_TOGETHER), *row, *c;
  int i;
  row = add(t, VB_NODE_ROW);
  c = add(row, VB_NODE_CELL);
  run(para(c, VB_ALIGN_LEFT), "Nơi nhận:", VB_RUN_BOLD | VB_RUN_ITALIC);
  for (i = 0; i < 4; i++)
    run(para(c, VB_ALIGN_LEFT), "- Như trên;", 0);
  c = add(row, VB_NODE_CELL);
  run(para(c, VB_ALIGN_CENTER), "SIGNATURE-FIRST", VB_RUN_BOLD);
  run(para(c, VB_ALIGN_CENTER), "CHỦ TỊCH", VB_RUN_BOLD);
  para(c, VB_ALIGN_CENTER)->as.para.space_before = 1700;
  run(para(c, VB_ALIGN_CENTER), "Nguyễn Văn A", VB_RUN_BOLD);
}

static const char *const LOREM =
    "Thực hiện Nghị quyết số 25-NQ/TW ngày 12/01/2017 của Ban Chấp hành "
    "Trung ương, Kế hoạch Số: 05/KH-UBND và Quyết định số 217-QĐ/TW ngày "
    "12/12/2013 của Bộ Chính trị về công tác dân vận trong tình hình mới, "
    "Ủy ban nhân dân xã xây dựng Kế hoạch thực hiện mô hình “Dân vận khéo”.";

/* ---- collecting the layout ---- */

#define MAX_ROWS 4096

struct row {
  int page, rule;
  double x, y, end, size;
  char text[512];
};

static struct row rows[MAX_ROWS];
static int nrows, npages;
static int with_numbers; /* else page numbers are not collected */

static vb_status c_begin(void *u, int page, double w, double h) {
  npages = page;
  return VB_OK;
}

static vb_status c_end(void *u, int page) { return VB_OK; }

static vb_status c_line(void *u, const struct vb_pline *l) {
  struct row *r;
  size_t k, n = 0;
  if (nrows == MAX_ROWS || (!with_numbers && l->y > 790))
    return VB_OK;
  r = &rows[nrows++];
  memset(r, 0, sizeof(*r));
  r->page = l->page;
  r->x = l->x;
  r->y = l->y;
  r->size = l->size;
  r->end = l->x;
  for (k = 0; k < l->nseg; k++) {
    if (!l->seg[k].blank)
      r->end = l->seg[k].x + l->seg[k].w;
    if (n + l->seg[k].len < sizeof(r->text)) {
      memcpy(r->text + n, l->seg[k].s, l->seg[k].len);
      n += l->seg[k].len;
    }
  }
  return VB_OK;
}

static vb_status c_rule(void *u, int page, double x1, double y, double x2,
                        double th) {
  if (nrows < MAX_ROWS) {
    memset(&rows[nrows], 0, sizeof(rows[0]));
    rows[nrows].page = page;
    rows[nrows].rule = 1;
    rows[nrows].x = x1;
    rows[nrows].end = x2;
    rows[nrows++].y = y;
  }
  return VB_OK;
}

static vb_status collect(void) {
  struct vb_layout_sink s = {NULL, c_begin, c_line, c_rule, c_end, NULL};
  nrows = npages = 0;
  return vb_layout_run(&T, F, &vb_mem_default, &s);
}

static int find(const char *prefix) {
  int i;
  for (i = 0; i < nrows; i++)
    if (!rows[i].rule && !strncmp(rows[i].text, prefix, strlen(prefix)))
      return i;
  return -1;
}

static const double LEFT = 1701 / 20.0, RIGHT = (11906 - 850) / 20.0;

static int setup(void **state) {
  (void)state;
  with_numbers = 0;
  tree_init();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  vb_arena_release(&T.arena);
  return 0;
}

/* ---- tests ---- */

static int is_body_word(const char *w, size_t n) {
  const char *p = LOREM;
  size_t len = strlen(LOREM);
  while (p < LOREM + len) {
    const char *e = strchr(p, ' ');
    if (!e)
      e = LOREM + len;
    if ((size_t)(e - p) == n && !memcmp(p, w, n))
      return 1;
    p = e + 1;
  }
  return 0;
}

static void breaks_only_at_spaces(void **state) {
  int i, p, lines = 0;
  (void)state;
  /* several widths, so that the tokens fall at many line ends */
  for (p = 0; p < 12; p++) {
    struct vb_node *n = body(T.root);
    n->as.para.indent_right = p * 397;
    run(n, LOREM, 0);
  }
  assert_int_equal(collect(), VB_OK);
  for (i = 0; i < nrows; i++) {
    char *s = rows[i].text, *e;
    if (rows[i].rule)
      continue;
    lines++;
    while (*s) {
      e = strchr(s, ' ');
      if (!e)
        e = s + strlen(s);
      if (!is_body_word(s, (size_t)(e - s)))
        fail_msg("line %d broke inside a word: |%s|", i, rows[i].text);
      s = *e ? e + 1 : e;
    }
  }
  assert_true(lines > 30);
}

static void justified_lines_end_at_margin(void **state) {
  struct vb_node *p = body(T.root);
  int i, first, last;
  (void)state;
  run(p, LOREM, 0);
  run(p, " gạch chân", VB_RUN_UNDERLINE);
  run(p, " và đậm", VB_RUN_BOLD);
  run(p, " ", 0);
  run(p, LOREM, 0);
  assert_int_equal(collect(), VB_OK);
  first = find("Thực");
  assert_true(first >= 0);
  last = nrows - 1;
  assert_true(last - first >= 4);
  /* first line: indented by 1 cm (567 twips) */
  assert_float_equal(rows[first].x, LEFT + 567 / 20.0, 0.001);
  for (i = first; i < last; i++) {
    assert_float_equal(rows[i].end, RIGHT, 0.01);
    if (i > first)
      assert_float_equal(rows[i].x, LEFT, 0.001);
  }
  assert_true(rows[last].end < RIGHT - 1);
  assert_float_equal(rows[last].x, LEFT, 0.001);
}

static void forced_break_line_is_not_stretched(void **state) {
  struct vb_node *p = body(T.root);
  int a, b;
  (void)state;
  run(p, "Dòng một ngắn", 0);
  add(p, VB_NODE_LINE_BREAK);
  run(p, "dòng hai", 0);
  assert_int_equal(collect(), VB_OK);
  a = find("Dòng một");
  b = find("dòng hai");
  assert_true(a >= 0 && b == a + 1);
  assert_true(rows[a].end < RIGHT - 100);
  assert_float_equal(rows[b].x, LEFT, 0.001);
  assert_true(rows[b].y < rows[a].y);
}

static void center_and_right_alignment(void **state) {
  int c, r;
  (void)state;
  run(para(T.root, VB_ALIGN_CENTER), "KẾ HOẠCH", VB_RUN_BOLD);
  run(para(T.root, VB_ALIGN_RIGHT), "Bên phải", 0);
  assert_int_equal(collect(), VB_OK);
  c = find("KẾ HOẠCH");
  r = find("Bên phải");
  assert_float_equal((rows[c].x + rows[c].end) / 2, (LEFT + RIGHT) / 2,
                     0.01);
  assert_float_equal(rows[r].end, RIGHT, 0.01);
}

static void nbsp_binds_and_draws_as_space(void **state) {
  struct vb_node *p = para(T.root, VB_ALIGN_LEFT);
  int i, found = 0;
  (void)state;
  p->as.para.indent_right = 6000;
  for (i = 0; i < 20; i++)
    run(p, "Điều\xC2\xA0" "15 và\xE2\x80\x91 ", 0);
  assert_int_equal(collect(), VB_OK);
  for (i = 0; i < nrows; i++) {
    const char *s = rows[i].text;
    assert_null(strstr(s, "\xC2\xA0"));
    assert_null(strstr(s, "\xE2\x80\x91"));
    assert_true(strncmp(s, "15", 2) != 0); /* never split from Điều */
    if (strstr(s, "Điều 15 và\xE2\x80\x90"))
      found = 1;
  }
  assert_true(found);
}

/* Fillers of one line push the heading to every position near the page
 * bottom, the last one included. */
static void heading_with_keep_next_never_ends_a_page(void **state) {
  int n, i, hits = 0, bottom = 0;
  (void)state;
  for (n = 30; n < 52; n++) {
    struct vb_node *h;
    int k;
    teardown(state);
    tree_init();
    for (k = 0; k < n; k++)
      run(para(T.root, VB_ALIGN_LEFT), "Một dòng.", 0);
    h = para(T.root, VB_ALIGN_LEFT);
    h->as.para.keep_next = 1;
    h->as.para.space_before = 240;
    run(h, "HEADING", VB_RUN_BOLD);
    run(body(T.root), LOREM, 0);
    assert_int_equal(collect(), VB_OK);
    i = find("HEADING");
    assert_true(i >= 0 && i + 1 < nrows);
    assert_int_equal(rows[i + 1].page, rows[i].page);
    hits++;
    if (rows[i].page == 2 && rows[i - 1].page == 1 &&
        !strcmp(rows[i - 1].text, "Một dòng."))
      bottom = 1; /* it would have fitted at the bottom of page 1 */
  }
  assert_int_equal(hits, 22);
  assert_true(bottom);
}

static void widows_and_orphans(void **state) {
  int n, i, split = 0;
  (void)state;
  for (n = 30; n < 52; n++) {
    int k, first, last;
    teardown(state);
    tree_init();
    for (k = 0; k < n; k++)
      run(para(T.root, VB_ALIGN_LEFT), "Một dòng.", 0);
    run(body(T.root), LOREM, 0);
    run(body(T.root), "Hết.", 0);
    assert_int_equal(collect(), VB_OK);
    first = find("Thực");
    last = find("Hết.") - 1;
    assert_true(last - first >= 3);
    for (i = first + 1; i <= last; i++) {
      if (rows[i].page == rows[i - 1].page)
        continue;
      split = 1;
      assert_true(i - first >= 2); /* no single first line left behind */
      assert_true(last - i >= 1);  /* no single last line carried over */
    }
  }
  assert_true(split);
}

/* The last body paragraph has keep_next (as compose sets it): however
 * the page falls, the signature table is never alone at a page top. */
static void keep_together_table_takes_kept_lines(void **state) {
  int n, moved = 0;
  (void)state;
  for (n = 1; n <= 22; n++) {
    int k, sig, prev, last;
    teardown(state);
    tree_init();
    for (k = 0; k < n; k++) {
      struct vb_node *p = body(T.root);
      run(p, LOREM, 0);
      if (k == n - 1)
        p->as.para.keep_next = 1;
    }
    signature();
    assert_int_equal(collect(), VB_OK);
    sig = find("SIGNATURE-FIRST");
    assert_true(sig >= 0);
    /* the row keeps together: the name is on the same page */
    assert_int_equal(rows[find("Nguyễn Văn A")].page, rows[sig].page);
    assert_int_equal(rows[find("Nơi nhận:")].page, rows[sig].page);
    /* the line drawn just before the table, in order */
    prev = find("Nơi nhận:") - 1;
    assert_int_equal(rows[prev].page, rows[sig].page);
    /* the table would not fit on page 1, and the paragraph kept with it
     * went along to page 2 whole (keep-next keeps its lines, as
     * LibreOffice does), the paragraph before it staying on page 1 */
    for (last = prev; last > 0 && strncmp(rows[last].text, "Thực", 5); last--)
      ;
    if (rows[sig].page == 2 && rows[last].page == 2 && last > 0 &&
        rows[last - 1].page == 1 && rows[find("Thực")].page == 1)
      moved = 1;
  }
  assert_true(moved);
}

static void page_numbers_from_page_two(void **state) {
  int k, i, seen[8] = {0};
  (void)state;
  with_numbers = 1;
  for (k = 0; k < 30; k++)
    run(body(T.root), LOREM, 0);
  assert_int_equal(collect(), VB_OK);
  assert_true(npages >= 3 && npages < 8);
  for (i = 0; i < nrows; i++) {
    char num[8];
    if (rows[i].y < 790)
      continue;
    snprintf(num, sizeof(num), "%d", rows[i].page);
    assert_string_equal(rows[i].text, num);
    assert_float_equal((rows[i].x + rows[i].end) / 2, (LEFT + RIGHT) / 2,
                       0.01);
    assert_float_equal(rows[i].size, 14, 0.001);
    seen[rows[i].page]++;
  }
  assert_int_equal(seen[1], 0);
  for (k = 2; k <= npages; k++)
    assert_int_equal(seen[k], 1);
  /* and none at all when the size is 0 */
  T.page.page_number_size = 0;
  assert_int_equal(collect(), VB_OK);
  for (i = 0; i < nrows; i++)
    assert_true(rows[i].y < 790);
}

static void huge_word_terminates(void **state) {
  size_t n = 100000, i, total = 0;
  char *w = malloc(n + 1);
  struct vb_node *p = para(T.root, VB_ALIGN_JUSTIFY);
  int r;
  (void)state;
  assert_non_null(w);
  for (i = 0; i < n; i++)
    w[i] = (char)('a' + i % 26);
  w[n] = '\0';
  run(p, "Mở đầu ", 0);
  run(p, w, 0);
  run(p, " kết thúc", 0);
  free(w);
  assert_int_equal(collect(), VB_OK);
  assert_true(npages > 10);
  for (r = 0; r < nrows; r++) {
    assert_true(rows[r].end <= RIGHT + 0.01);
    total += strlen(rows[r].text);
  }
  assert_int_equal(total, n + strlen("Mở đầu") + strlen(" kết thúc"));
  assert_string_equal(rows[find("Mở")].text, "Mở đầu");
}

static void many_paragraphs_terminate(void **state) {
  int k;
  struct vb_buf out;
  (void)state;
  for (k = 0; k < 100000; k++)
    run(para(T.root, VB_ALIGN_LEFT), "x", 0);
  vb_buf_init(&out, &vb_mem_default, (size_t)1 << 30);
  assert_int_equal(vb_render_layout(&T, F, &vb_mem_default, &out), VB_OK);
  assert_true(out.len > 100000);
  vb_buf_release(&out);
}

static void too_many_pages_is_a_limit(void **state) {
  struct vb_buf out;
  int k;
  (void)state;
  for (k = 0; k < VB_LAYOUT_MAX_PAGES; k++) {
    run(para(T.root, VB_ALIGN_LEFT), "x", 0);
    add(T.root, VB_NODE_PAGE_BREAK);
  }
  vb_buf_init(&out, &vb_mem_default, (size_t)1 << 30);
  assert_int_equal(vb_render_layout(&T, F, &vb_mem_default, &out),
                   VB_ELIMIT);
  vb_buf_release(&out);
  /* one page fewer fits */
  teardown(state);
  tree_init();
  for (k = 0; k < VB_LAYOUT_MAX_PAGES - 1; k++)
    add(T.root, VB_NODE_PAGE_BREAK);
  assert_int_equal(collect(), VB_OK);
  assert_int_equal(npages, VB_LAYOUT_MAX_PAGES);
}

static void header_table_and_rules(void **state) {
  struct vb_node *t = table2(3685, 5669, 0), *row, *c, *r;
  int q, rl = -1, i;
  (void)state;
  t->as.table.indent = -113;
  row = add(t, VB_NODE_ROW);
  c = add(row, VB_NODE_CELL);
  run(para(c, VB_ALIGN_CENTER), "ỦY BAN", 0);
  c = add(row, VB_NODE_CELL);
  run(para(c, VB_ALIGN_CENTER), "CỘNG HÒA", VB_RUN_BOLD);
  r = add(c, VB_NODE_RULE);
  r->as.rule.length = 3400;
  r->as.rule.thickness = 10;
  r->as.rule.align = VB_ALIGN_CENTER;
  r->as.rule.space_before = 20;
  assert_int_equal(collect(), VB_OK);
  q = find("CỘNG HÒA");
  for (i = 0; i < nrows; i++)
    if (rows[i].rule)
      rl = i;
  assert_true(q >= 0 && rl >= 0);
  /* both cells start at the same top: same baseline for the same size */
  assert_float_equal(rows[find("ỦY BAN")].y, rows[q].y, 0.001);
  /* the right cell is centred in its column */
  assert_float_equal((rows[q].x + rows[q].end) / 2,
                     LEFT - 113 / 20.0 + (3685 + 5669 / 2.0) / 20.0, 0.01);
  assert_float_equal(rows[rl].end - rows[rl].x, 3400 / 20.0, 0.001);
  assert_float_equal((rows[rl].x + rows[rl].end) / 2,
                     (rows[q].x + rows[q].end) / 2, 0.01);
  assert_true(rows[rl].y < rows[q].y);
}

/* A bordered table of `n` body rows under one header row; body row `tall`
 * (1-based, 0 none) holds `lines` paragraphs. */
static void long_table(int n, int tall, int lines) {
  struct vb_node *t = table2(2000, 7356, VB_TABLE_BORDERS), *row, *c;
  char buf[64];
  int i, k;
  row = add(t, VB_NODE_ROW);
  row->as.row.header = 1;
  row->as.row.cant_split = 1;
  run(para(add(row, VB_NODE_CELL), VB_ALIGN_CENTER), "HEAD-TT", VB_RUN_BOLD);
  run(para(add(row, VB_NODE_CELL), VB_ALIGN_CENTER), "HEAD-NAME",
      VB_RUN_BOLD);
  for (i = 1; i <= n; i++) {
    row = add(t, VB_NODE_ROW);
    row->as.row.cant_split = 1;
    snprintf(buf, sizeof(buf), "ROW-%d", i);
    run(para(add(row, VB_NODE_CELL), VB_ALIGN_LEFT), buf, 0);
    c = add(row, VB_NODE_CELL);
    snprintf(buf, sizeof(buf), "NAME-%d-A", i);
    run(para(c, VB_ALIGN_LEFT), buf, 0);
    for (k = 0; i == tall && k < lines; k++)
      run(para(c, VB_ALIGN_LEFT), "thêm một dòng", 0);
    snprintf(buf, sizeof(buf), "NAME-%d-Z", i);
    run(para(c, VB_ALIGN_LEFT), buf, 0);
  }
}

static int page_of(const char *text) {
  int i = find(text);
  return i < 0 ? -1 : rows[i].page;
}

/* The header row is drawn first on every page the table runs over, once;
 * every row is on one page, in order; borders are vertical lines too. */
static void header_row_repeats(void **state) {
  int i, p, heads[64] = {0}, last = 1;
  char a[32], z[32];
  (void)state;
  run(body(T.root), LOREM, 0);
  long_table(150, 0, 0);
  assert_int_equal(collect(), VB_OK);
  assert_true(npages > 3 && npages < 64);
  for (i = 0; i < nrows; i++)
    if (!rows[i].rule && !strcmp(rows[i].text, "HEAD-NAME"))
      heads[rows[i].page]++;
  for (p = 1; p <= npages; p++)
    assert_int_equal(heads[p], 1);
  /* the header is the first line of the table on each page after the
   * first: the line above its rule is the top rule of the header */
  for (i = 1; i <= 150; i++) {
    snprintf(a, sizeof(a), "NAME-%d-A", i);
    snprintf(z, sizeof(z), "NAME-%d-Z", i);
    assert_int_equal(page_of(a), page_of(z));
    assert_true(page_of(a) >= last);
    last = page_of(a);
  }
}

/* A row taller than what a page leaves under the repeated header still
 * moves on: the layout ends, and every line of the table is drawn. */
static void tall_row_under_header_terminates(void **state) {
  (void)state;
  long_table(5, 3, 150);
  assert_int_equal(collect(), VB_OK);
  assert_true(npages >= 2 && npages < 10);
  assert_true(find("NAME-3-Z") >= 0 && find("NAME-5-Z") >= 0);
  {
    int i;
    for (i = 0; i < nrows; i++) /* nothing below the bottom margin */
      assert_true(rows[i].rule || rows[i].y > 1134 / 20.0);
  }
}

/* Without the flag nothing repeats: the tables of the header and the
 * signature stay as they were. */
static void no_header_no_repeat(void **state) {
  int i, n = 0;
  (void)state;
  long_table(150, 0, 0);
  T.root->first->first->as.row.header = 0;
  assert_int_equal(collect(), VB_OK);
  for (i = 0; i < nrows; i++)
    n += !rows[i].rule && !strcmp(rows[i].text, "HEAD-NAME");
  assert_true(npages > 3);
  assert_int_equal(n, 1);
}

static void pdf_is_deterministic(void **state) {
  struct vb_buf a, b;
  int k;
  (void)state;
  run(para(T.root, VB_ALIGN_CENTER), "KẾ HOẠCH", VB_RUN_BOLD);
  for (k = 0; k < 30; k++)
    run(body(T.root), LOREM, k == 3 ? VB_RUN_UNDERLINE : 0);
  signature();
  vb_buf_init(&a, &vb_mem_default, (size_t)1 << 30);
  vb_buf_init(&b, &vb_mem_default, (size_t)1 << 30);
  assert_int_equal(vb_render_pdf(&T, F, &vb_mem_default, &a), VB_OK);
  assert_int_equal(vb_render_pdf(&T, F, &vb_mem_default, &b), VB_OK);
  assert_true(a.len > 1000);
  assert_memory_equal(a.ptr, "%PDF-", 5);
  assert_int_equal(a.len, b.len);
  assert_memory_equal(a.ptr, b.ptr, a.len);
  vb_buf_release(&a);
  vb_buf_release(&b);
}

static int fail_after;
static void *failing_malloc(size_t n, void *u) {
  return fail_after-- > 0 ? malloc(n) : NULL;
}
static void *failing_realloc(void *p, size_t n, void *u) {
  return fail_after-- > 0 ? realloc(p, n) : NULL;
}
static void plain_free(void *p, void *u) { free(p); }

/* Failing the i-th allocation gives a clean VB_ENOMEM (or VB_EPDF, when
 * libharu reports it otherwise) until the render succeeds. */
static void pdf_allocation_failures(void **state) {
  vb_mem m = {failing_malloc, failing_realloc, plain_free, NULL};
  struct vb_buf out;
  vb_status st;
  int i, k;
  (void)state;
  for (k = 0; k < 3; k++)
    run(body(T.root), LOREM, 0);
  for (i = 0; i < 100000; i += 1 + i / 8) {
    fail_after = i;
    vb_buf_init(&out, &vb_mem_default, (size_t)1 << 30);
    st = vb_render_pdf(&T, F, &m, &out);
    vb_buf_release(&out);
    if (st == VB_OK)
      break;
    assert_true(st == VB_ENOMEM || st == VB_EPDF);
  }
  assert_int_equal(st, VB_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(breaks_only_at_spaces, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(justified_lines_end_at_margin, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(forced_break_line_is_not_stretched,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(center_and_right_alignment, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(nbsp_binds_and_draws_as_space, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          heading_with_keep_next_never_ends_a_page, setup, teardown),
      cmocka_unit_test_setup_teardown(widows_and_orphans, setup, teardown),
      cmocka_unit_test_setup_teardown(keep_together_table_takes_kept_lines,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(page_numbers_from_page_two, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(huge_word_terminates, setup, teardown),
      cmocka_unit_test_setup_teardown(many_paragraphs_terminate, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(too_many_pages_is_a_limit, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(header_table_and_rules, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(header_row_repeats, setup, teardown),
      cmocka_unit_test_setup_teardown(tall_row_under_header_terminates, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(no_header_no_repeat, setup, teardown),
      cmocka_unit_test_setup_teardown(pdf_is_deterministic, setup, teardown),
      cmocka_unit_test_setup_teardown(pdf_allocation_failures, setup,
                                      teardown),
  };
  int rc;
  if (vb_fonts_open(&vb_mem_default, "fonts", &F) != VB_OK) {
    fprintf(stderr, "test_layout: run from the repository root (fonts/)\n");
    return 1;
  }
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  vb_fonts_free(F);
  return rc;
}
