/* test_register.c - the register's API through vanban.h: a number given
 * back when an issue is freed, one issue at a time, usage errors, open
 * errors as diagnostics, and allocation failure at every step of taking a
 * number (nothing recorded, nothing leaked). */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vanban.h"
#include "counting_alloc.h"

static const char doc_tpl[] =
    "<van-ban loai=\"ke-hoach\" the-thuc=\"nd30\" ma=\"%s\">"
    "<co-quan><chu-quan>UBND HUYỆN YÊN THÀNH</chu-quan>"
    "<ten>UBND XÃ YÊN PHÚ</ten><ky-hieu>UBND</ky-hieu></co-quan>"
    "<dia-danh>Yên Phú</dia-danh><ngay>2024-03-01</ngay>"
    "<trich-yeu>Tổ chức phong trào thi đua năm 2024</trich-yeu>"
    "<noi-dung>Nội dung.</noi-dung>"
    "<noi-nhan><noi>UBND huyện</noi><luu>VT</luu></noi-nhan>"
    "<nguoi-ky><quyen-han>TM. ỦY BAN NHÂN DÂN</quyen-han>"
    "<chuc-vu>CHỦ TỊCH</chuc-vu><ho-ten>Nguyễn Văn An</ho-ten></nguoi-ky>"
    "</van-ban>";

static char dir[64], db[128];

static int setup(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_register *reg = NULL;
  vb_register_init init = {0, "UBND xã Yên Phú", "UBND", "nd30", NULL};
  (void)state;
  snprintf(dir, sizeof(dir), "/tmp/vanban-reg-XXXXXX");
  if (!mkdtemp(dir))
    return -1;
  snprintf(db, sizeof(db), "%s/so.db", dir);
  unlink(db);
  if (vb_register_create(ctx, db, &init, &reg) != VB_OK)
    return -1;
  vb_register_close(reg);
  vb_ctx_free(ctx);
  return 0;
}

static int teardown(void **state) {
  char cmd[160];
  (void)state;
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static vb_doc *read_doc(vb_ctx *ctx, const char *ma, char *buf, size_t cap,
                        size_t *len) {
  vb_doc *doc = NULL;
  int n = snprintf(buf, cap, doc_tpl, ma);
  *len = (size_t)n;
  if (vb_doc_read(ctx, ma, buf, *len, &doc) != VB_OK)
    return NULL;
  return doc;
}

static size_t count_docs(vb_ctx *ctx) {
  vb_register *reg;
  vb_register_iter *it;
  const vb_entry *e;
  size_t n = 0;
  if (vb_register_open(ctx, db, &reg) != VB_OK)
    return (size_t)-1;
  if (vb_register_list(reg, NULL, &it) == VB_OK) {
    while (vb_register_next(it, &e) == VB_OK && e)
      n++;
    vb_register_iter_free(it);
  }
  vb_register_close(reg);
  return n;
}

/* Takes a number for `ma`; commits when `commit`. Returns the number. */
static long take(vb_ctx *ctx, vb_register *reg, const char *ma, int commit) {
  char buf[2048];
  size_t len;
  vb_doc *doc = read_doc(ctx, ma, buf, sizeof(buf), &len);
  vb_issue *is = NULL;
  vb_issue_info in = {0};
  assert_non_null(doc);
  assert_int_equal(vb_register_take(reg, doc, buf, len, 0, &is), VB_OK);
  assert_int_equal(vb_issue_get_info(is, &in), VB_OK);
  if (commit)
    assert_int_equal(vb_issue_commit(is), VB_OK);
  vb_issue_free(is);
  vb_doc_free(doc);
  return in.number;
}

static void freed_issue_gives_its_number_back(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_register *reg = NULL;
  (void)state;
  assert_int_equal(vb_register_open(ctx, db, &reg), VB_OK);
  assert_int_equal(take(ctx, reg, "A", 0), 1);
  assert_int_equal(take(ctx, reg, "B", 1), 1);
  assert_int_equal(take(ctx, reg, "A", 1), 2);
  assert_int_equal(take(ctx, reg, "B", 1), 1); /* again: same number */
  vb_register_close(reg);
  assert_int_equal(count_docs(ctx), 2);
  vb_ctx_free(ctx);
}

static void one_issue_at_a_time(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_register *reg = NULL;
  vb_issue *is = NULL, *is2 = NULL;
  vb_doc *doc, *doc2, *composed = NULL;
  char buf[2048], buf2[2048];
  size_t len, len2;
  (void)state;
  assert_int_equal(vb_register_open(ctx, db, &reg), VB_OK);
  doc = read_doc(ctx, "C", buf, sizeof(buf), &len);
  doc2 = read_doc(ctx, "D", buf2, sizeof(buf2), &len2);
  assert_int_equal(vb_register_take(reg, doc, buf, len, 0, &is), VB_OK);
  assert_int_equal(vb_register_take(reg, doc2, buf2, len2, 0, &is2),
                   VB_EUSAGE);
  assert_null(is2);
  assert_int_equal(vb_register_add_term(reg, "2020-01-01:2020-12-31"),
                   VB_EUSAGE);
  /* closing with an issue open abandons it; the issue can still be freed */
  vb_register_close(reg);
  assert_int_equal(vb_issue_commit(is), VB_EUSAGE);
  vb_issue_free(is);
  /* a composed document can no longer be numbered */
  assert_int_equal(vb_register_open(ctx, db, &reg), VB_OK);
  assert_int_equal(vb_doc_parse(ctx, "-", buf2, len2, &composed), VB_OK);
  assert_int_equal(vb_register_take(reg, composed, buf2, len2, 0, &is2),
                   VB_EUSAGE);
  vb_register_close(reg);
  vb_doc_free(composed);
  vb_doc_free(doc);
  vb_doc_free(doc2);
  vb_register_close(NULL);
  vb_issue_free(NULL);
  vb_register_iter_free(NULL);
  vb_ctx_free(ctx);
}

static void open_errors_are_diagnostics(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_register *reg = (vb_register *)1;
  char missing[160];
  (void)state;
  snprintf(missing, sizeof(missing), "%s/khong-co.db", dir);
  assert_int_equal(vb_register_open(ctx, missing, &reg), VB_EREGISTER);
  assert_null(reg);
  assert_int_equal(vb_diag_count(ctx), 1);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_REG_OPEN);
  assert_string_equal(vb_code_id(VB_C_REG_OPEN), "R012");
  assert_string_equal(vb_diag_at(ctx, 0)->file, missing);
  assert_int_equal(access(missing, F_OK), -1); /* nothing created */
  assert_int_equal(vb_register_open(ctx, NULL, &reg), VB_EUSAGE);
  vb_ctx_free(ctx);
}

/* A counting allocator that fails the i-th allocation. */
static void allocation_failure_records_nothing(void **state) {
  struct counter c = {0, 0, 0, 1, 0}; /* armed */
  vb_mem mem = {c_malloc, c_realloc, c_free, &c};
  vb_options opt = {0};
  vb_ctx *plain = vb_ctx_new(NULL);
  size_t before = count_docs(plain);
  long i;
  (void)state;
  opt.mem = &mem;
  for (i = 1; i < 100000; i++) {
    vb_ctx *ctx;
    vb_register *reg = NULL;
    vb_issue *is = NULL;
    vb_doc *doc = NULL;
    char buf[2048];
    size_t len;
    vb_status st;
    c.n = 0;
    c.fail_at = i;
    c.live = 0;
    ctx = vb_ctx_new(&opt);
    if (!ctx) {
      assert_int_equal(c.live, 0);
      continue;
    }
    st = vb_register_open(ctx, db, &reg);
    if (st == VB_OK) {
      len = (size_t)snprintf(buf, sizeof(buf), doc_tpl, "alloc");
      st = vb_doc_read(ctx, "-", buf, len, &doc);
    }
    if (st == VB_OK)
      st = vb_register_take(reg, doc, buf, len, 0, &is);
    if (st == VB_OK)
      st = vb_issue_add_output(is, "x.pdf", (const unsigned char *)"x", 1);
    if (st == VB_OK)
      st = vb_issue_commit(is);
    vb_issue_free(is);
    vb_doc_free(doc);
    vb_register_close(reg);
    vb_ctx_free(ctx);
    assert_int_equal(c.live, 0);
    if (st == VB_OK)
      break;
    /* a failure is clean and takes nothing */
    assert_int_equal(st, VB_ENOMEM);
    assert_int_equal(count_docs(plain), before);
  }
  fprintf(stderr, "allocation failure: %ld allocations\n", i);
  assert_true(i > 1 && i < 100000);
  assert_int_equal(count_docs(plain), before + 1);
  vb_ctx_free(plain);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(freed_issue_gives_its_number_back),
      cmocka_unit_test(one_issue_at_a_time),
      cmocka_unit_test(open_errors_are_diagnostics),
      cmocka_unit_test(allocation_failure_records_nothing),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
