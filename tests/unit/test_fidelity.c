/* test_fidelity.c - unit tests of what keeps the PDF and the DOCX alike:
 * protected tokens (text.c), balanced breaks of centred lines (text.c,
 * layout.c) and the fill of a line against LibreOffice's (layout.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "font.h"
#include "layout.h"
#include "mem.h"
#include "text.h"

static struct vb_fonts *F;

/* 1 when the first run of spaces after `before` in s is glued. */
static int glued_after(const char *s, const char *before) {
  const char *p = strstr(s, before);
  size_t at, end;
  if (!p)
    return -1;
  at = (size_t)(p - s) + strlen(before);
  for (end = at; s[end] == ' '; end++)
    ;
  return vb_text_glued_space(s, strlen(s), at, end);
}

static void ranges_and_symbols_are_glued(void **state) {
  (void)state;
  /* year ranges, however the dash is spaced */
  assert_int_equal(glued_after("giai đoạn 2016- 2020 và", "2016-"), 1);
  assert_int_equal(glued_after("giai đoạn 2016 - 2020 và", "2016"), 1);
  assert_int_equal(glued_after("giai đoạn 2016 - 2020 và", "2016 -"), 1);
  assert_int_equal(glued_after("giai đoạn 2016 -2020 và", "2016"), 1);
  assert_int_equal(glued_after("năm 2016 \xe2\x80\x93 2020 và", "2016"), 1);
  /* date ranges in brackets */
  assert_int_equal(
      glued_after("Đảng (15/10/1930 - 15/10/2020), 90", "1930"), 1);
  assert_int_equal(
      glued_after("Đảng (15/10/1930 - 15/10/2020), 90", "1930 -"), 1);
  /* a hyphen left hanging on its symbol, "Số:" and its number */
  assert_int_equal(glued_after("Hướng dẫn số 245- HD/BDVTU, ngày", "245-"),
                   1);
  assert_int_equal(glued_after("Số: 05/KH-UBND", "Số:"), 1);
  /* ordinary spaces stay break opportunities */
  assert_int_equal(glued_after("giai đoạn 2016 - 2020 và", "đoạn"), 0);
  assert_int_equal(glued_after("giai đoạn 2016 - 2020 và", "2020"), 0);
  assert_int_equal(glued_after("kinh tế - xã hội", "tế"), 0);
  assert_int_equal(glued_after("kinh tế - xã hội", "tế -"), 0);
  assert_int_equal(glued_after("Nghị quyết số 25-NQ/TW", "số"), 0);
  assert_int_equal(glued_after("- Lưu: VT", "-"), 0);
}

static void hyphens_inside_tokens_are_hard(void **state) {
  const char *s = "số 08-NQ/HU, 2017-2020, KH-UBND; kinh tế - xã hội; -x";
  size_t n = strlen(s), i, hard = 0;
  (void)state;
  for (i = 0; i < n; i++)
    if (s[i] == '-')
      hard += (size_t)vb_text_hard_hyphen(s, n, i);
  /* 08-NQ, 2017-2020, KH-UBND; not the spaced dash, not "-x" */
  assert_int_equal(hard, 3);
  assert_int_equal(vb_text_hard_hyphen(s, n, (size_t)(strchr(s, '-') - s)),
                   1);
  assert_int_equal(vb_text_hard_hyphen("Xô-viết", 8, 3), 1);
  assert_int_equal(vb_text_hard_hyphen("- a", 3, 0), 0);
  assert_int_equal(vb_text_hard_hyphen("a -", 3, 2), 0);
}

/* one unit per byte: lengths in bytes */
static double bytes(void *user, const char *s, size_t n) {
  (void)user;
  (void)s;
  return (double)n;
}

static void balanced_breaks_fall_where_the_sense_breaks(void **state) {
  size_t br[4], k;
  int sensible = -1;
  const char *t = "Thực hiện phong trào thi đua giai đoạn 2017- 2020 và xây "
                  "dựng mô hình, điển hình “Dân vận khéo”";
  (void)state;
  /* fits: no break */
  assert_int_equal(vb_text_balance(t, strlen(t), 1000, bytes, NULL, br, 4,
                                   &sensible),
                   0);
  /* two lines: before "và", never inside "xây dựng" or the range */
  k = vb_text_balance(t, strlen(t), 80, bytes, NULL, br, 4, &sensible);
  assert_int_equal(k, 1);
  assert_true(!strncmp(t + br[0], " và xây", 7));
  assert_int_equal(sensible, 1);
  /* a name: before the unit word */
  t = "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN";
  k = vb_text_balance(t, strlen(t), 25, bytes, NULL, br, 4, &sensible);
  assert_int_equal(k, 1);
  assert_true(!strncmp(t + br[0], " TỈNH", 6));
  assert_int_equal(sensible, 1);
  /* no sense break fits: broken anyway, and said so */
  t = "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG THỦY LỢI 4";
  k = vb_text_balance(t, strlen(t), 40, bytes, NULL, br, 4, &sensible);
  assert_int_equal(k, 1);
  assert_int_equal(sensible, 0);
  assert_true(strncmp(t + br[0], " TƯ", 4) != 0); /* not "ĐẦU | TƯ" */
  /* a word wider than the line is left to the layout */
  assert_int_equal(vb_text_balance("a bbbbbbbbbbbbbbbbbbbb c", 24, 10, bytes,
                                   NULL, br, 4, NULL),
                   0);
}

static void balanced_title_in_the_layout(void **state) {
  struct vb_arena a;
  struct vb_node *p, *r;
  const char *t = "Thực hiện phong trào thi đua “Dân vận khéo” giai đoạn "
                  "2017- 2020 và xây dựng mô hình, điển hình “Dân vận khéo”";
  size_t br[VB_LAYOUT_MAX_BALANCED], k;
  (void)state;
  vb_arena_init(&a, &vb_mem_default);
  p = vb_node_new(&a, VB_NODE_PARAGRAPH);
  r = vb_node_new(&a, VB_NODE_TEXT);
  assert_non_null(p);
  assert_non_null(r);
  p->as.para.role = VB_ROLE_TRICH_YEU;
  p->as.para.align = VB_ALIGN_CENTER;
  p->as.para.size = 28;
  r->as.text.text = t;
  r->as.text.len = strlen(t);
  r->as.text.flags = VB_RUN_BOLD;
  assert_true(vb_node_append(p, r));
  /* 165 mm of text width: two lines, the second starting with "và" */
  k = vb_layout_balance(p, F, 467.75, br, VB_LAYOUT_MAX_BALANCED, NULL);
  assert_int_equal(k, 1);
  assert_true(!strncmp(t + br[0], " và xây", 7));
  /* a body paragraph is never balanced */
  p->as.para.role = VB_ROLE_BODY;
  assert_int_equal(
      vb_layout_balance(p, F, 467.75, br, VB_LAYOUT_MAX_BALANCED, NULL), 0);
  vb_arena_release(&a);
}

static void fit_width_is_untruncated(void **state) {
  const char *s = "trong triển khai thực hiện các tiêu chí";
  double w = vb_font_width(F, VB_FACE_REGULAR, 28, s, strlen(s));
  double fw = vb_font_fit_width(F, VB_FACE_REGULAR, 28, s, strlen(s));
  (void)state;
  /* libharu's widths are truncated to 1/1000 em: at most 1/1000 em a
   * character less, never more */
  assert_true(fw >= w);
  assert_true(fw - w <= 14.0 * strlen(s) / 1000.0);
  assert_true(fw - w > 0.01);
}

/* ---- the fill of a line, against LibreOffice's ---- */

static int first_line_words; /* words on the first placed line */
static int lines_seen;

static vb_status f_begin(void *u, int page, double w, double h) {
  return VB_OK;
}
static vb_status f_end(void *u, int page) { return VB_OK; }
static vb_status f_rule(void *u, int page, double x1, double y, double x2,
                        double th) {
  return VB_OK;
}
static vb_status f_line(void *u, const struct vb_pline *l) {
  size_t k;
  int words = 0;
  if (lines_seen++ > 0)
    return VB_OK;
  for (k = 0; k < l->nseg; k++)
    words += !l->seg[k].blank;
  first_line_words = words;
  return VB_OK;
}

/* Words on the first line of one justified body paragraph (14 pt, first
 * line indented 1 cm, 165 mm of text width). */
static int first_line(const char *text, unsigned flags) {
  struct vb_page_setup a4 = {11906, 16838, 1134, 1134, 1701, 850, 567, 0, 2, 0};
  struct vb_layout_sink sink = {NULL, f_begin, f_line, f_rule, f_end, NULL};
  struct vb_tree t;
  struct vb_node *p, *r;
  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  t.root = vb_node_new(&t.arena, VB_NODE_DOCUMENT);
  t.page = a4;
  p = vb_node_new(&t.arena, VB_NODE_PARAGRAPH);
  r = vb_node_new(&t.arena, VB_NODE_TEXT);
  assert_non_null(t.root);
  assert_non_null(p);
  assert_non_null(r);
  p->as.para.align = VB_ALIGN_JUSTIFY;
  p->as.para.size = 28;
  p->as.para.line = 240;
  p->as.para.first_indent = 567;
  r->as.text.text = text;
  r->as.text.len = strlen(text);
  r->as.text.flags = flags;
  assert_true(vb_node_append(p, r));
  assert_true(vb_node_append(t.root, p));
  lines_seen = first_line_words = 0;
  assert_int_equal(vb_layout_run(&t, F, &vb_mem_default, &sink), VB_OK);
  vb_arena_release(&t.arena);
  return first_line_words;
}

static void lines_fill_as_libreoffice_fills_them(void **state) {
  (void)state;
  /* measured with LibreOffice 7.4: an italic line 1.18 pt short of the
   * margin moves its last word down (the overhang of italic), one 1.32
   * pt short keeps it */
  assert_int_equal(first_line("00000 00000 00000 00000 00000 00000 00000 "
                              "00000 00000 00000 000amơư 00000 00000",
                              VB_RUN_ITALIC),
                   10);
  assert_int_equal(first_line("00000 00000 00000 00000 00000 00000 00000 "
                              "00000 00000 00000 000wơưư 00000 00000",
                              VB_RUN_ITALIC),
                   11);
  /* upright, 1.18 pt short is room enough */
  assert_int_equal(first_line("00000 00000 00000 00000 00000 00000 00000 "
                              "00000 00000 00000 000amơư 00000 00000",
                              0),
                   11);
  /* a range stays whole: "2016 - 2020" is one word to the line fill */
  assert_int_equal(first_line("00000 00000 00000 00000 00000 00000 00000 "
                              "00000 00000 00000 2016 - 2020 00000",
                              0),
                   10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ranges_and_symbols_are_glued),
      cmocka_unit_test(hyphens_inside_tokens_are_hard),
      cmocka_unit_test(balanced_breaks_fall_where_the_sense_breaks),
      cmocka_unit_test(balanced_title_in_the_layout),
      cmocka_unit_test(fit_width_is_untruncated),
      cmocka_unit_test(lines_fill_as_libreoffice_fills_them),
  };
  int rc;
  if (vb_fonts_open(&vb_mem_default, "fonts", &F) != VB_OK)
    return 2;
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  vb_fonts_free(F);
  return rc;
}
