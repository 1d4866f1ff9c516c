/* test_kinds.c - the public API as a program sees it (vanban.h only): many
 * documents on one context, numbering between validation and composing,
 * what a register reads of a document, the document kinds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vanban.h"

static const char plan[] =
    "<van-ban the-thuc=\"nd30\" ma=\"kh-dvk-2024\">\n"
    "  <co-quan><ten>Ủy ban nhân dân xã Phúc Thành</ten>"
    "<ky-hieu>UBND</ky-hieu></co-quan>\n"
    "  <dia-danh>Phúc Thành</dia-danh>\n"
    "  <ngay>2024-02-05</ngay>\n"
    "  <trich-yeu>Xây dựng mô hình “Dân vận khéo” năm 2024</trich-yeu>\n"
    "  <noi-dung>Nội dung kế hoạch./.</noi-dung>\n"
    "  <noi-nhan><noi>Ban Dân vận Huyện ủy</noi><luu>VT, VP</luu></noi-nhan>\n"
    "  <nguoi-ky><quyen-han>TM. Ủy ban nhân dân</quyen-han>"
    "<chuc-vu>Chủ tịch</chuc-vu><ho-ten>Nguyễn Văn An</ho-ten></nguoi-ky>\n"
    "</van-ban>\n";

/* The same plan with a date that does not exist. */
static char *broken(void) {
  char *s = strdup(plan), *d = strstr(s, "2024-02-05");
  memcpy(d, "2024-02-30", 10);
  return s;
}

static int tree_has(vb_ctx *ctx, vb_doc *doc, const char *needle) {
  unsigned char *out = NULL;
  size_t len = 0;
  int found;
  assert_int_equal(vb_render(ctx, doc, VB_FORMAT_TREE, &out, &len), VB_OK);
  found = strstr((const char *)out, needle) != NULL;
  vb_free(ctx, out);
  return found;
}

/* After one invalid document, valid ones on the same context still pass
 * (state is per call, not per context). */
static void errors_do_not_leak_between_documents(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  char *bad = broken();
  int i;
  (void)state;
  for (i = 0; i < 20; i++) {
    vb_doc *doc = NULL;
    vb_status st = vb_doc_parse(ctx, i % 3 ? "ok.xml" : "bad.xml",
                                i % 3 ? plan : bad,
                                strlen(i % 3 ? plan : bad), &doc);
    if (i % 3) {
      assert_int_equal(st, VB_OK);
      assert_non_null(doc);
    } else {
      assert_int_equal(st, VB_EINVALID);
      assert_null(doc);
    }
    vb_doc_free(doc);
  }
  /* seven invalid documents, one V010 each, all kept */
  assert_int_equal(vb_error_count(ctx), 7);
  free(bad);
  vb_ctx_free(ctx);
}

static void number_between_validation_and_composing(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_doc *doc = NULL;
  vb_doc_info info;
  (void)state;
  assert_int_equal(vb_doc_read(ctx, "kh.xml", plan, strlen(plan), &doc),
                   VB_OK);
  assert_int_equal(vb_doc_get_info(doc, &info), VB_OK);
  assert_string_equal(info.kind, "ke-hoach");
  assert_string_equal(info.profile, "nd30");
  assert_string_equal(info.type_code, "KH");
  assert_string_equal(info.symbol, "UBND");
  assert_string_equal(info.id, "kh-dvk-2024");
  assert_int_equal(info.year, 2024);
  assert_int_equal(info.number, 0);
  assert_false(info.composed);
  /* not composed yet: nothing to render */
  {
    unsigned char *out = NULL;
    size_t len = 0;
    assert_int_equal(vb_render(ctx, doc, VB_FORMAT_TREE, &out, &len),
                     VB_EUSAGE);
    assert_null(out);
  }
  assert_int_equal(vb_doc_set_number(doc, 0), VB_EUSAGE);
  assert_int_equal(vb_doc_set_number(doc, VB_MAX_NUMBER + 1), VB_EUSAGE);
  assert_int_equal(vb_doc_set_number(doc, 7), VB_OK);
  assert_int_equal(vb_doc_compose(ctx, doc), VB_OK);
  assert_true(tree_has(ctx, doc, "\"Số: 07/KH-UBND\""));
  /* composed: the number is fixed */
  assert_int_equal(vb_doc_set_number(doc, 8), VB_EUSAGE);
  assert_int_equal(vb_doc_get_info(doc, &info), VB_OK);
  assert_int_equal(info.number, 7);
  assert_true(info.composed);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
}

static void forms_take_no_number(void **state) {
  static const char form[] =
      "<van-ban mau=\"mau-01b\"><cap>xa</cap>"
      "<nguoi-dang-ky><doi-tuong>cá nhân</doi-tuong><ten>Trần Văn Bình</ten>"
      "<chuc-vu>Trưởng thôn</chuc-vu><nghe-nghiep>nông dân</nghe-nghiep>"
      "<don-vi>Thôn Yên Phú</don-vi><dia-phuong>xã Phúc Thành</dia-phuong>"
      "</nguoi-dang-ky><ten-mo-hinh>Tổ tự quản</ten-mo-hinh>"
      "<linh-vuc>QP-AN</linh-vuc><thuc-trang>Thực trạng.</thuc-trang>"
      "<hieu-qua>Hiệu quả.</hieu-qua>"
      "<thoi-gian-hoan-thanh>31/12/2023</thoi-gian-hoan-thanh>"
      "<ngay>15/02/2023</ngay></van-ban>";
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_doc *doc = NULL;
  vb_doc_info info;
  (void)state;
  assert_int_equal(vb_doc_read(ctx, "01b.xml", form, strlen(form), &doc),
                   VB_OK);
  assert_int_equal(vb_doc_get_info(doc, &info), VB_OK);
  assert_string_equal(info.kind, "mau-01b");
  assert_string_equal(info.profile, "hd36");
  assert_null(info.type_code);
  assert_int_equal(vb_doc_set_number(doc, 3), VB_EUSAGE);
  assert_int_equal(vb_doc_compose(ctx, doc), VB_OK);
  assert_true(tree_has(ctx, doc, "\"Quốc phòng - an ninh\""));
  assert_true(tree_has(ctx, doc, "Kính gửi: Khối Dân vận xã"));
  vb_doc_free(doc);
  vb_ctx_free(ctx);
}

static void kinds_are_listed(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  char *text = NULL;
  (void)state;
  assert_int_equal(vb_template_list(ctx, &text), VB_OK);
  assert_non_null(strstr(text, "mau-01a\t"));
  assert_non_null(strstr(text, "mau-01b\tBản đăng ký"));
  assert_non_null(strstr(text, "ke-hoach\t"));
  vb_free(ctx, text);
  assert_int_equal(vb_template_fields(ctx, "mau-01b", &text), VB_OK);
  assert_non_null(strstr(text, "nguoi-dang-ky/dia-chi\tđịa chỉ cụ thể\tdong\t"
                               "khi nguoi-dang-ky/doi-tuong=tap-the\t"));
  assert_non_null(strstr(text, "linh-vuc\tlĩnh vực\tlua-chon\tco\t"));
  vb_free(ctx, text);
  assert_int_equal(vb_template_fields(ctx, "../profiles/nd30", &text),
                   VB_EINVALID);
  assert_null(text);
  assert_int_equal(vb_diag_at(ctx, vb_diag_count(ctx) - 1)->code,
                   VB_C_TEMPLATE);
  vb_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(errors_do_not_leak_between_documents),
      cmocka_unit_test(number_between_validation_and_composing),
      cmocka_unit_test(forms_take_no_number),
      cmocka_unit_test(kinds_are_listed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
