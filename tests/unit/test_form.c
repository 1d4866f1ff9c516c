/* test_form.c - form fields in the document tree: shape rules, the tree
 * dump, the DOCX content controls and custom properties, the PDF's dotted
 * lines, and vb_extract_docx reading the DOCX back. Run from the
 * repository root (fonts/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctx.h"
#include "render.h"
#include "counting_alloc.h"
#include "sample_form.h"

static struct vb_fonts *F;

static void field_shape_rules(void **state) {
  struct vb_arena a;
  struct vb_node *doc, *p, *f, *t, *fb, *inner;
  (void)state;
  vb_arena_init(&a, &vb_mem_default);
  doc = vb_node_new(&a, VB_NODE_DOCUMENT);
  p = vb_node_new(&a, VB_NODE_PARAGRAPH);
  f = vb_node_new(&a, VB_NODE_FIELD);
  t = vb_node_new(&a, VB_NODE_TEXT);
  fb = vb_node_new(&a, VB_NODE_FIELD_BLOCK);
  inner = vb_node_new(&a, VB_NODE_FIELD);
  t->as.text.text = "Lý Thị Hoa";
  t->as.text.len = strlen(t->as.text.text);
  assert_false(vb_node_append(doc, f)); /* a field is inline */
  assert_true(vb_node_append(p, f));
  assert_true(vb_node_append(f, t));
  assert_false(vb_node_append(f, inner)); /* fields do not nest */
  assert_true(vb_node_append(doc, p));
  assert_false(vb_node_append(p, fb)); /* a block field is a block */
  assert_true(vb_node_append(doc, fb));
  assert_false(vb_node_check(doc)); /* no tags yet */
  f->as.field.tag = "nguoi-ky/ho-ten";
  fb->as.field.tag = "thuc-trang";
  fb->as.field.kind = VB_FIELD_MULTILINE;
  assert_true(vb_node_check(doc));
  f->as.field.kind = VB_FIELD_CHOICE; /* a choice without choices */
  assert_false(vb_node_check(doc));
  f->as.field.kind = VB_FIELD_MULTILINE; /* only for a block */
  assert_false(vb_node_check(doc));
  f->as.field.kind = VB_FIELD_DATE;
  assert_true(vb_node_check(doc));
  {
    char buf[64];
    size_t n = vb_node_text(p, buf, sizeof(buf));
    assert_int_equal(n, strlen("Lý Thị Hoa"));
    assert_string_equal(buf, "Lý Thị Hoa");
  }
  vb_arena_release(&a);
}

static int render(struct vb_tree *t, int fmt, struct vb_buf *b) {
  vb_buf_init(b, &vb_mem_default, (size_t)64 << 20);
  if (fmt == 0)
    return vb_render_tree(t, b);
  if (fmt == 1)
    return vb_render_docx(t, F, &vb_mem_default, b);
  if (fmt == 2)
    return vb_render_layout(t, F, &vb_mem_default, b);
  return vb_render_pdf(t, F, &vb_mem_default, b);
}

static void dump_names_fields(void **state) {
  struct vb_tree t;
  struct vb_buf b;
  (void)state;
  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  assert_true(sample_form(&t, 0));
  assert_int_equal(render(&t, 0, &b), VB_OK);
  assert_non_null(strstr(b.ptr, "form mau-01b profile hd36\n"));
  assert_non_null(strstr(
      b.ptr, "    field tag=\"kinh-gui\" kind=choice width=4000 blank\n"));
  assert_non_null(strstr(
      b.ptr, "  field-block tag=\"thuc-trang\" kind=multiline lines=3 blank\n"));
  vb_buf_release(&b);
  vb_arena_release(&t.arena);
  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  assert_true(sample_form(&t, 1));
  assert_int_equal(render(&t, 0, &b), VB_OK);
  assert_non_null(strstr(b.ptr, "    field tag=\"don-vi\" kind=text\n"
                                "      text \"Chi bộ thôn Nà Hin\"\n"));
  vb_buf_release(&b);
  vb_arena_release(&t.arena);
}

/* The layout dump shows the dots of every blank field, and the values of
 * a filled one in their place. */
static void pdf_dots_and_values(void **state) {
  struct vb_tree t;
  struct vb_buf b;
  (void)state;
  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  assert_true(sample_form(&t, 0));
  assert_int_equal(render(&t, 2, &b), VB_OK);
  assert_non_null(strstr(b.ptr, "|ĐƠN VỊ: ......"));
  assert_non_null(strstr(b.ptr, "......; hoàn thành: ......"));
  assert_null(strstr(b.ptr, "Chi bộ"));
  vb_buf_release(&b);
  assert_int_equal(render(&t, 3, &b), VB_OK);
  assert_true(b.len > 1000 && !memcmp(b.ptr, "%PDF-", 5));
  vb_buf_release(&b);
  vb_arena_release(&t.arena);
  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  assert_true(sample_form(&t, 1));
  assert_int_equal(render(&t, 2, &b), VB_OK);
  assert_non_null(strstr(b.ptr, "|ĐƠN VỊ: Chi bộ thôn Nà Hin|"));
  assert_non_null(strstr(b.ptr, "|Nhân dân đồng thuận hiến đất.|"));
  assert_null(strstr(b.ptr, "..."));
  vb_buf_release(&b);
  vb_arena_release(&t.arena);
}

static char *extract(vb_ctx *ctx, const struct vb_buf *docx) {
  char *xml = NULL;
  size_t len = 0;
  vb_status st = vb_extract_docx(ctx, "mau.docx", docx->ptr, docx->len,
                                 &xml, &len);
  assert_int_equal(st, VB_OK);
  assert_int_equal(strlen(xml), len);
  return xml;
}

/* DOCX with content controls; the filled one extracts to every value,
 * nested and repeated; the blank one to an empty <van-ban>. */
static void docx_round_trip(void **state) {
  struct vb_tree t;
  struct vb_buf b;
  vb_ctx *ctx = vb_ctx_new(NULL);
  char *xml;
  size_t i;
  (void)state;
  assert_non_null(ctx);
  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  assert_true(sample_form(&t, 1));
  assert_int_equal(render(&t, 1, &b), VB_OK);
  xml = extract(ctx, &b);
  assert_non_null(strstr(xml, "<van-ban mau=\"mau-01b\" the-thuc=\"hd36\">\n"
                              "  <don-vi>Chi bộ thôn Nà Hin</don-vi>\n"));
  assert_non_null(strstr(xml, "  <thoi-gian>\n    <bat-dau>01/03/2023"
                              "</bat-dau>\n    <hoan-thanh>30/11/2023"));
  assert_non_null(strstr(xml, "<thuc-trang>Đường vào thôn lầy lội &amp; "
                              "hẹp &lt;3 m&gt;.\n\nNhân dân"));
  assert_non_null(strstr(xml, "  <thanh-vien>\n    <ho-ten>Lý Thị Hoa"));
  for (i = 0; i < SAMPLE_NVALUES; i++) {
    const char *leaf = strrchr(sample_values[i][0], '/');
    leaf = leaf ? leaf + 1 : sample_values[i][0];
    assert_non_null(strstr(xml, leaf));
  }
  assert_int_equal(vb_diag_count(ctx), 0);
  vb_free(ctx, xml);
  vb_buf_release(&b);
  vb_arena_release(&t.arena);

  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  assert_true(sample_form(&t, 0));
  assert_int_equal(render(&t, 1, &b), VB_OK);
  xml = extract(ctx, &b);
  assert_string_equal(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<van-ban mau=\"mau-01b\" the-thuc=\"hd36\">\n"
                           "</van-ban>\n");
  vb_free(ctx, xml);
  vb_buf_release(&b);
  vb_arena_release(&t.arena);
  vb_ctx_free(ctx);
}

/* A document without fields is no form: W009, nothing returned. */
static void extract_refuses_plain_docx(void **state) {
  struct vb_tree t;
  struct vb_buf b;
  struct vb_node *p;
  struct sample s;
  vb_ctx *ctx = vb_ctx_new(NULL);
  char *xml = (char *)1;
  size_t len = 1;
  (void)state;
  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  s.a = &t.arena;
  s.ok = 1;
  s.filled = 0;
  t.page.width = 11906;
  t.page.height = 16838;
  t.root = sample_node(&s, VB_NODE_DOCUMENT, NULL);
  p = sample_para(&s, t.root, VB_ALIGN_LEFT, 0, "KẾ HOẠCH");
  assert_non_null(p);
  assert_int_equal(render(&t, 1, &b), VB_OK);
  assert_int_equal(vb_extract_docx(ctx, "kh.docx", b.ptr, b.len, &xml, &len),
                   VB_EINVALID);
  assert_null(xml);
  assert_int_equal(len, 0);
  assert_int_equal(vb_diag_count(ctx), 1);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_FORM_NONE);
  assert_string_equal(vb_code_id(vb_diag_at(ctx, 0)->code), "W009");
  vb_buf_release(&b);
  vb_arena_release(&t.arena);
  vb_ctx_free(ctx);
}

/* ---- allocation failure: every allocation of extract fails in turn ---- */

/* Runs extract with allocation `fail_at` failing (0: none). Returns the
 * status; *out gets a malloc'd copy of the XML or the first diagnostic's
 * code id. */
static vb_status extract_failing(const char *data, size_t len, long fail_at,
                                 char **out, long *attempts) {
  struct counter c = {0, 0, 0, 0, 0};
  vb_mem mem = {c_malloc, c_realloc, c_free, NULL};
  vb_options opt;
  vb_ctx *ctx;
  char *xml = NULL;
  size_t n = 0;
  vb_status st;
  mem.user = &c;
  memset(&opt, 0, sizeof(opt));
  opt.mem = &mem;
  ctx = vb_ctx_new(&opt);
  assert_non_null(ctx);
  c.fail_at = fail_at;
  c.armed = 1;
  st = vb_extract_docx(ctx, "mau.docx", data, len, &xml, &n);
  c.armed = 0;
  *out = NULL;
  if (st == VB_OK) {
    assert_non_null(xml);
    *out = strdup(xml);
  } else {
    assert_null(xml);
    if (vb_diag_count(ctx))
      *out = strdup(vb_code_id(vb_diag_at(ctx, 0)->code));
  }
  vb_free(ctx, xml);
  vb_ctx_free(ctx);
  assert_int_equal(c.live, 0); /* nothing leaked */
  *attempts = c.n;
  return st;
}

static void extract_survives_allocation_failure(void **state) {
  struct vb_tree t;
  struct vb_buf b;
  const char notzip[] = "not a zip";
  const char *inputs[2];
  size_t lens[2];
  int k;
  (void)state;
  memset(&t, 0, sizeof(t));
  vb_arena_init(&t.arena, &vb_mem_default);
  assert_true(sample_form(&t, 1));
  assert_int_equal(render(&t, 1, &b), VB_OK);
  inputs[0] = b.ptr;
  lens[0] = b.len;
  inputs[1] = notzip;
  lens[1] = strlen(notzip);
  for (k = 0; k < 2; k++) {
    char *want, *got;
    long total, i, ignored;
    vb_status st0 = extract_failing(inputs[k], lens[k], 0, &want, &total);
    assert_int_equal(st0, k == 0 ? VB_OK : VB_EINVALID);
    assert_non_null(want);
    assert_true(total > 0);
    printf("  extract input %d: %ld allocations, each failed in turn\n", k,
           total);
    for (i = 1; i <= total; i++) {
      vb_status st = extract_failing(inputs[k], lens[k], i, &got, &ignored);
      /* a clean VB_ENOMEM, or the very same result: never a partial one */
      if (st != VB_ENOMEM) {
        assert_int_equal(st, st0);
        assert_non_null(got);
        assert_string_equal(got, want);
      }
      free(got);
    }
    free(want);
  }
  vb_buf_release(&b);
  vb_arena_release(&t.arena);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(field_shape_rules),
      cmocka_unit_test(dump_names_fields),
      cmocka_unit_test(pdf_dots_and_values),
      cmocka_unit_test(docx_round_trip),
      cmocka_unit_test(extract_refuses_plain_docx),
      cmocka_unit_test(extract_survives_allocation_failure),
  };
  int rc;
  if (vb_fonts_open(&vb_mem_default, "fonts", &F) != VB_OK) {
    fprintf(stderr, "test_form: run from the repository root (fonts/)\n");
    return 1;
  }
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  vb_fonts_free(F);
  return rc;
}
