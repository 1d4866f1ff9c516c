/* test_harden.c - unit tests of issue 7 ("Hardening, second pass"): margin
 * options that are not numbers, files written together, the signal
 * cleanup of temporary files, invisible characters, errno in words. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctx.h"
#include "text.h"

static const char plan[] =
    "<van-ban loai=\"ke-hoach\" the-thuc=\"nd30\">\n"
    "  <co-quan><ten>Ủy ban nhân dân xã Phúc Thành</ten>"
    "<ky-hieu>UBND</ky-hieu></co-quan>\n"
    "  <so>5</so><dia-danh>Phúc Thành</dia-danh><ngay>2024-02-05</ngay>\n"
    "  <trich-yeu>Xây dựng mô hình năm 2024</trich-yeu>\n"
    "  <noi-dung>Nội dung./.</noi-dung>\n"
    "  <noi-nhan><noi>Ban Dân vận</noi><luu>VT</luu></noi-nhan>\n"
    "  <nguoi-ky><quyen-han>TM. Ủy ban nhân dân</quyen-han>"
    "<chuc-vu>Chủ tịch</chuc-vu><ho-ten>Nguyễn Văn An</ho-ten></nguoi-ky>\n"
    "</van-ban>\n";

static vb_status compose_with(double top, double bottom, double left,
                              double right) {
  vb_options opt;
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  vb_status st;
  memset(&opt, 0, sizeof(opt));
  opt.margin_top = top;
  opt.margin_bottom = bottom;
  opt.margin_left = left;
  opt.margin_right = right;
  ctx = vb_ctx_new(&opt);
  assert_non_null(ctx);
  st = vb_doc_parse(ctx, "m.xml", plan, sizeof(plan) - 1, &doc);
  assert_true(st != VB_OK || doc);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  return st;
}

/* A NaN passed every range check and was then converted to int. */
static void margins_not_numbers_are_refused(void **state) {
  (void)state;
  assert_int_equal(compose_with(NAN, 20, 30, 15), VB_EUSAGE);
  assert_int_equal(compose_with(20, 20, 30, INFINITY), VB_EUSAGE);
  assert_int_equal(compose_with(20, -INFINITY, 30, 15), VB_EUSAGE);
  /* finite values, however odd, are clamped into the legal ranges */
  assert_int_equal(compose_with(1e300, -1e300, 5e-324, 0), VB_OK);
  assert_int_equal(compose_with(25, 20, 35, 20), VB_OK);
}

static char dir[64];

static int count_entries(void) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  assert_non_null(d);
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  closedir(d);
  return n;
}

static void put(const char *name, const char *text) {
  char p[128];
  FILE *fp;
  snprintf(p, sizeof(p), "%s/%s", dir, name);
  fp = fopen(p, "wb");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

static int holds(const char *name, const char *text) {
  char p[128], got[64] = {0};
  FILE *fp;
  snprintf(p, sizeof(p), "%s/%s", dir, name);
  fp = fopen(p, "rb");
  if (!fp)
    return 0;
  if (!fgets(got, sizeof(got), fp))
    got[0] = '\0';
  fclose(fp);
  return !strcmp(got, text);
}

/* Two files together: the second fails, the first stays as it was, and
 * no temporary file is left; then both succeed together. */
static void outputs_all_or_nothing(void **state) {
  char a[128], b[128];
  vb_outputs *s;
  int err = 0;
  (void)state;
  snprintf(dir, sizeof(dir), "/tmp/vb-harden-XXXXXX");
  assert_non_null(mkdtemp(dir));
  put("a.pdf", "old a");
  snprintf(a, sizeof(a), "%s/a.pdf", dir);
  snprintf(b, sizeof(b), "%s/b.docx", dir);
  assert_int_equal(mkdir(b, 0700), 0); /* b cannot be written */
  s = vb_outputs_new();
  assert_non_null(s);
  assert_int_equal(vb_outputs_add(s, a, (const unsigned char *)"new a", 5),
                   VB_OK);
  assert_int_equal(count_entries(), 3); /* a.pdf, b.docx, a temporary */
  assert_int_equal(vb_outputs_add(s, b, (const unsigned char *)"new b", 5),
                   VB_EIO);
  assert_string_equal(vb_outputs_failed(s, &err), b);
  assert_int_equal(err, EISDIR);
  assert_int_equal(vb_outputs_commit(s), VB_EUSAGE);
  vb_outputs_free(s);
  assert_true(holds("a.pdf", "old a"));
  assert_int_equal(count_entries(), 2);
  assert_int_equal(rmdir(b), 0);
  s = vb_outputs_new();
  assert_int_equal(vb_outputs_add(s, a, (const unsigned char *)"new a", 5),
                   VB_OK);
  assert_int_equal(vb_outputs_add(s, b, (const unsigned char *)"new b", 5),
                   VB_OK);
  assert_true(holds("a.pdf", "old a")); /* nothing moves before commit */
  assert_int_equal(vb_outputs_commit(s), VB_OK);
  vb_outputs_free(s);
  assert_true(holds("a.pdf", "new a") && holds("b.docx", "new b"));
  assert_int_equal(count_entries(), 2);
  assert_int_equal(vb_outputs_add(NULL, a, NULL, 0), VB_EUSAGE);
  s = vb_outputs_new();
  assert_int_equal(vb_outputs_add(s, "", NULL, 0), VB_EUSAGE);
  assert_int_equal(vb_outputs_add(s, "-", NULL, 0), VB_EUSAGE);
  vb_outputs_free(s);
  unlink(a);
  unlink(b);
  rmdir(dir);
}

/* What a signal handler calls: every temporary file in progress goes. */
static void temp_cleanup_unlinks(void **state) {
  char a[128];
  vb_outputs *s;
  (void)state;
  snprintf(dir, sizeof(dir), "/tmp/vb-harden-XXXXXX");
  assert_non_null(mkdtemp(dir));
  snprintf(a, sizeof(a), "%s/a.pdf", dir);
  s = vb_outputs_new();
  assert_int_equal(vb_outputs_add(s, a, (const unsigned char *)"x", 1),
                   VB_OK);
  assert_int_equal(count_entries(), 1);
  vb_temp_cleanup();
  assert_int_equal(count_entries(), 0);
  vb_outputs_free(s);
  rmdir(dir);
}

static void invisible_characters(void **state) {
  static const uint32_t bidi[] = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                  0x2066, 0x2067, 0x2068, 0x2069, 0x200E,
                                  0x200F, 0x061C};
  static const uint32_t format[] = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,
                                    0x00AD, 0x2028, 0x2029, 0xFE0F, 0x034F,
                                    0xE0041, 0x3164};
  static const uint32_t fine[] = {'a', 0xA0, 0x1EC7, 0x0110, 0x201C, 0x2013,
                                  0x2026, 0x0300, 0x20AB};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++)
    assert_int_equal(vb_text_invisible(bidi[i]), VB_INVISIBLE_BIDI);
  for (i = 0; i < sizeof(format) / sizeof(format[0]); i++)
    assert_int_equal(vb_text_invisible(format[i]), VB_INVISIBLE_FORMAT);
  for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
    assert_int_equal(vb_text_invisible(fine[i]), VB_INVISIBLE_NONE);
}

static void errno_in_words(void **state) {
  (void)state;
  assert_string_equal(vb_errno_str(ENOENT, VB_LANG_VI),
                      "không có tệp hay thư mục này");
  assert_string_equal(vb_errno_str(ENAMETOOLONG, VB_LANG_EN),
                      "file name too long");
  assert_string_equal(vb_errno_str(0, VB_LANG_VI), "lỗi hệ thống");
}

/* A long path fails with its errno (it was "Success"). */
static void write_file_errno(void **state) {
  char *p = malloc(8200);
  size_t i;
  (void)state;
  assert_non_null(p);
  for (i = 0; i + 2 < 8190; i += 2)
    memcpy(p + i, "d/", 2);
  memcpy(p + i, "x", 2);
  errno = 0;
  assert_int_equal(vb_write_file(p, (const unsigned char *)"x", 1), VB_EIO);
  assert_int_equal(errno, ENAMETOOLONG);
  free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(margins_not_numbers_are_refused),
      cmocka_unit_test(outputs_all_or_nothing),
      cmocka_unit_test(temp_cleanup_unlinks),
      cmocka_unit_test(invisible_characters),
      cmocka_unit_test(errno_in_words),
      cmocka_unit_test(write_file_errno),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
