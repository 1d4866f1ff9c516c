/* test_core.c - unit tests of the engine's core modules: buffer, tree,
 * text, dates, diagnostics table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "ctx.h"
#include "node.h"
#include "plan.h"
#include "text.h"

/* The last code of the table: the codes are appended, never renumbered,
 * and an unknown code has the ID of VB_C_NONE. */
static int last_code(void) {
  int c = 1;
  while (strcmp(vb_code_id((vb_code)(c + 1)), "-"))
    c++;
  return c;
}

static void buf_grows_and_stays_terminated(void **state) {
  struct vb_buf b;
  int i;
  (void)state;
  vb_buf_init(&b, &vb_mem_default, 1 << 20);
  assert_string_equal(b.ptr, "");
  for (i = 0; i < 1000; i++)
    vb_buf_printf(&b, "%d,", i);
  assert_int_equal(vb_buf_err(&b), VB_OK);
  assert_int_equal(b.ptr[b.len], '\0');
  assert_true(!strncmp(b.ptr, "0,1,2,", 6));
  vb_buf_release(&b);
}

static void buf_limit_is_sticky(void **state) {
  struct vb_buf b;
  char *p;
  (void)state;
  vb_buf_init(&b, &vb_mem_default, 8);
  vb_buf_puts(&b, "12345");
  vb_buf_puts(&b, "67890");
  assert_int_equal(vb_buf_err(&b), VB_ELIMIT);
  vb_buf_puts(&b, "x"); /* silently refused after the error */
  assert_int_equal(b.len, 5);
  p = vb_buf_detach(&b, NULL);
  assert_null(p);
  vb_buf_release(&b);
}

static void node_shape_is_enforced(void **state) {
  struct vb_arena a;
  struct vb_node *doc, *p, *t, *row, *cell, *txt;
  static const int widths[2] = {100, 200};
  (void)state;
  vb_arena_init(&a, &vb_mem_default);
  doc = vb_node_new(&a, VB_NODE_DOCUMENT);
  p = vb_node_new(&a, VB_NODE_PARAGRAPH);
  txt = vb_node_new(&a, VB_NODE_TEXT);
  txt->as.text.text = "Độc lập";
  txt->as.text.len = strlen("Độc lập");
  assert_false(vb_node_append(doc, txt)); /* text outside a paragraph */
  assert_true(vb_node_append(p, txt));
  assert_true(vb_node_append(doc, p));
  assert_false(vb_node_append(doc, p)); /* already has a parent */
  t = vb_node_new(&a, VB_NODE_TABLE);
  t->as.table.ncols = 2;
  t->as.table.widths = widths;
  row = vb_node_new(&a, VB_NODE_ROW);
  cell = vb_node_new(&a, VB_NODE_CELL);
  assert_false(vb_node_append(t, cell)); /* a cell belongs in a row */
  assert_true(vb_node_append(t, row));
  assert_true(vb_node_append(row, cell));
  assert_true(vb_node_append(doc, t));
  /* a row with one cell in a two-column table fails the check */
  assert_false(vb_node_check(doc));
  assert_true(vb_node_append(row, vb_node_new(&a, VB_NODE_CELL)));
  assert_true(vb_node_check(doc));
  vb_arena_release(&a);
}

static void iterator_enters_and_exits(void **state) {
  struct vb_arena a;
  struct vb_node *doc, *p1, *p2;
  struct vb_iter it;
  char trace[64] = "";
  enum vb_event ev;
  (void)state;
  vb_arena_init(&a, &vb_mem_default);
  doc = vb_node_new(&a, VB_NODE_DOCUMENT);
  p1 = vb_node_new(&a, VB_NODE_PARAGRAPH);
  p2 = vb_node_new(&a, VB_NODE_PARAGRAPH);
  vb_node_append(doc, p1);
  vb_node_append(doc, p2);
  vb_node_append(p1, vb_node_new(&a, VB_NODE_LINE_BREAK));
  vb_iter_init(&it, doc);
  while ((ev = vb_iter_next(&it)) != VB_EVENT_DONE) {
    const struct vb_node *n = vb_iter_node(&it);
    char c = n->type == VB_NODE_DOCUMENT ? 'D'
             : n->type == VB_NODE_PARAGRAPH ? 'P' : 'B';
    size_t len = strlen(trace);
    trace[len] = ev == VB_EVENT_ENTER ? c : (char)(c + 32);
    trace[len + 1] = '\0';
  }
  assert_string_equal(trace, "DPBbpPpd");
  vb_arena_release(&a);
}

static void text_nfc_composes_vietnamese(void **state) {
  struct vb_buf b;
  /* "Việt" typed as e + dot below + circumflex (non-canonical order) */
  static const char nfd[] = "Vi\x65\xcc\xa3\xcc\x82t";
  (void)state;
  vb_buf_init(&b, &vb_mem_default, 1 << 10);
  assert_int_equal(vb_text_nfc(nfd, strlen(nfd), &b), VB_OK);
  assert_string_equal(b.ptr, "Việt");
  vb_buf_release(&b);
}

static void text_upper_is_vietnamese(void **state) {
  struct vb_buf b;
  static const char s[] = "ủy ban nhân dân xã ơ ư đ ỳ ỷ ỹ ỵ";
  (void)state;
  vb_buf_init(&b, &vb_mem_default, 1 << 10);
  assert_int_equal(vb_text_upper(s, strlen(s), &b), VB_OK);
  assert_string_equal(b.ptr, "ỦY BAN NHÂN DÂN XÃ Ơ Ư Đ Ỳ Ỷ Ỹ Ỵ");
  vb_buf_release(&b);
}

static void text_utf8_validation(void **state) {
  (void)state;
  assert_true(vb_utf8_valid("Hạnh phúc", strlen("Hạnh phúc")));
  assert_false(vb_utf8_valid("\xc0\xaf", 2));     /* overlong */
  assert_false(vb_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
  assert_false(vb_utf8_valid("\xe1\xba", 2));     /* truncated */
  assert_false(vb_utf8_valid("\xf5\x80\x80\x80", 4));
}

static void text_breaks_inside_symbols(void **state) {
  size_t offs[8];
  long n;
  (void)state;
  /* ICU breaks "25-NQ/TW" after "25-" and "NQ/": layout uses this only
   * for a word longer than the line */
  n = vb_text_breaks("25-NQ/TW", 8, offs, 8);
  assert_true(n >= 1);
  assert_int_equal(offs[0], 3);
}

static void dates_parse_and_format(void **state) {
  int y, m, d, real;
  char buf[64];
  (void)state;
  assert_true(vb_parse_date("2024-02-05", &y, &m, &d, &real));
  assert_true(real);
  vb_format_date(buf, sizeof(buf), y, m, d);
  assert_string_equal(buf, "ngày 05 tháng 02 năm 2024");
  assert_true(vb_parse_date("29/6/2017", &y, &m, &d, &real));
  assert_true(real);
  vb_format_date(buf, sizeof(buf), y, m, d);
  assert_string_equal(buf, "ngày 29 tháng 6 năm 2017");
  vb_format_date(buf, sizeof(buf), 2020, 12, 1);
  assert_string_equal(buf, "ngày 01 tháng 12 năm 2020");
  assert_true(vb_parse_date("31/02/2023", &y, &m, &d, &real));
  assert_false(real);
  assert_true(vb_parse_date("29/02/2024", &y, &m, &d, &real));
  assert_true(real);
  assert_true(vb_parse_date("29/02/1900", &y, &m, &d, &real));
  assert_false(real);
  assert_true(vb_parse_date("29/02/2000", &y, &m, &d, &real));
  assert_true(real); /* 2000 is a leap year (divisible by 400) */
  assert_true(vb_parse_date("01/01/1900", &y, &m, &d, &real));
  assert_false(real); /* before 1945: no document of this state */
  assert_false(vb_parse_date("2024-2-5", &y, &m, &d, &real));
  assert_false(vb_parse_date("5 tháng 2", &y, &m, &d, &real));
}

/* Both message columns must use the same conversions in the same order,
 * and only %s. */
static void messages_have_matching_conversions(void **state) {
  int code;
  (void)state;
  for (code = VB_C_NONE; code <= last_code(); code++) {
    const char *vi = vb_code_format((vb_code)code, VB_LANG_VI);
    const char *en = vb_code_format((vb_code)code, VB_LANG_EN);
    int nvi = 0, nen = 0;
    const char *p;
    for (p = vi; (p = strchr(p, '%')); p += 2) {
      assert_int_equal(p[1], 's');
      nvi++;
    }
    for (p = en; (p = strchr(p, '%')); p += 2) {
      assert_int_equal(p[1], 's');
      nen++;
    }
    assert_int_equal(nvi, nen);
    assert_true(nvi <= 2);
    assert_true(vb_utf8_valid(vi, strlen(vi)));
    if (code != VB_C_NONE)
      assert_int_equal(strlen(vb_code_id((vb_code)code)), 4);
  }
}

static void rule_ids_are_unique(void **state) {
  int a, b;
  (void)state;
  for (a = 1; a <= last_code(); a++)
    for (b = a + 1; b <= last_code(); b++)
      assert_string_not_equal(vb_code_id((vb_code)a), vb_code_id((vb_code)b));
}

static void diag_format_positions(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_diag d = {VB_C_DATE, VB_SEV_ERROR, "ke-hoach.xml", 12, 3,
               {"31/02/2023", "x"}, NULL};
  char *s;
  (void)state;
  s = vb_diag_format(ctx, &d, VB_LANG_VI);
  assert_string_equal(s, "ke-hoach.xml:12:3: lỗi[V010]: ngày \"31/02/2023\" "
                         "không có trong lịch (x)");
  vb_free(ctx, s);
  d.line = 0;
  s = vb_diag_format(ctx, &d, VB_LANG_EN);
  assert_string_equal(s, "ke-hoach.xml: error[V010]: \"31/02/2023\" is not "
                         "a real calendar date (x)");
  vb_free(ctx, s);
  vb_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(buf_grows_and_stays_terminated),
      cmocka_unit_test(buf_limit_is_sticky),
      cmocka_unit_test(node_shape_is_enforced),
      cmocka_unit_test(iterator_enters_and_exits),
      cmocka_unit_test(text_nfc_composes_vietnamese),
      cmocka_unit_test(text_upper_is_vietnamese),
      cmocka_unit_test(text_utf8_validation),
      cmocka_unit_test(text_breaks_inside_symbols),
      cmocka_unit_test(dates_parse_and_format),
      cmocka_unit_test(messages_have_matching_conversions),
      cmocka_unit_test(rule_ids_are_unique),
      cmocka_unit_test(diag_format_positions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
