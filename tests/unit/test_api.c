/* test_api.c - the promises of vanban.h, through the public header only:
 * out-parameters after a failure, the order of freeing, diagnostics
 * between documents, the public limits, one context per thread. Runs from
 * the checkout (tests/run.py sets the working folder). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vanban.h"

#define EXAMPLE "examples/ke-hoach-bac-kan-2017.xml"

/* An allocator that overwrites every block it frees, so that a use after
 * free reads garbage (a poisoned vb_mem) instead of the old values, and
 * counts the live blocks. */
struct poison {
  long live;
};

static void *p_malloc(size_t n, void *user) {
  size_t *b = malloc(sizeof(size_t) * 2 + n);
  if (!b)
    return NULL;
  b[0] = n;
  ((struct poison *)user)->live++;
  return b + 2;
}

static void p_free(void *ptr, void *user) {
  size_t *b;
  if (!ptr)
    return;
  b = (size_t *)ptr - 2;
  memset(ptr, 0xA5, b[0]);
  ((struct poison *)user)->live--;
  free(b);
}

static void *p_realloc(void *ptr, size_t n, void *user) {
  void *q;
  if (!ptr)
    return p_malloc(n, user);
  q = p_malloc(n, user);
  if (!q)
    return NULL;
  memcpy(q, ptr, ((size_t *)ptr - 2)[0] < n ? ((size_t *)ptr - 2)[0] : n);
  p_free(ptr, user);
  return q;
}

static char *bad_date(size_t *len) {
  FILE *fp = fopen(EXAMPLE, "rb");
  static char buf[1 << 16];
  char *at;
  size_t n;
  assert_non_null(fp);
  n = fread(buf, 1, sizeof(buf) - 1, fp);
  assert_int_equal(fclose(fp), 0);
  buf[n] = '\0';
  at = strstr(buf, "<ngay>");
  assert_non_null(at);
  assert_int_equal(strncmp(at + 16, "</ngay>", 7), 0); /* YYYY-MM-DD */
  memcpy(at + 6, "2023-02-31", 10);                  /* no such day */
  *len = n;
  return buf;
}

static void doc_freed_after_its_context_is_harmless(void **state) {
  struct poison pz = {0};
  vb_mem mem = {p_malloc, p_realloc, p_free, NULL};
  vb_options opt = {0};
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  (void)state;
  mem.user = &pz;
  opt.mem = &mem;
  ctx = vb_ctx_new(&opt);
  assert_non_null(ctx);
  assert_int_equal(vb_doc_parse_file(ctx, EXAMPLE, &doc), VB_OK);
  assert_non_null(doc);
  vb_ctx_free(ctx); /* the wrong order: the context first */
  vb_doc_free(doc); /* reads nothing of the freed (poisoned) context */
  assert_int_equal(pz.live, 0);
}

static void out_parameters_after_failure(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL), *other = vb_ctx_new(NULL);
  vb_doc *doc = (vb_doc *)&doc, *read = NULL;
  unsigned char *out = (unsigned char *)&out;
  size_t n = 7, len;
  const char *bad = bad_date(&len);
  (void)state;
  assert_non_null(ctx);
  assert_non_null(other);
  assert_int_equal(vb_doc_parse(ctx, "bad.xml", bad, len, &doc),
                   VB_EINVALID);
  assert_null(doc);
  doc = (vb_doc *)&doc;
  assert_int_equal(vb_doc_parse_file(ctx, "khong-co.xml", &doc), VB_EIO);
  assert_null(doc);
  /* VB_EUSAGE clears the out-parameters too */
  doc = (vb_doc *)&doc;
  assert_int_equal(vb_doc_read(NULL, "x", "", 0, &doc), VB_EUSAGE);
  assert_null(doc);
  doc = (vb_doc *)&doc;
  assert_int_equal(vb_doc_parse_file(ctx, NULL, &doc), VB_EUSAGE);
  assert_null(doc);
  assert_int_equal(vb_render(ctx, NULL, VB_FORMAT_PDF, &out, &n), VB_EUSAGE);
  assert_null(out);
  assert_int_equal(n, 0);
  out = (unsigned char *)&out;
  n = 7;
  /* read but not composed: nothing to render */
  assert_int_equal(vb_doc_parse_file(ctx, EXAMPLE, &doc), VB_OK);
  vb_doc_free(doc);
  {
    FILE *fp = fopen(EXAMPLE, "rb");
    static char good[1 << 16];
    size_t gl;
    assert_non_null(fp);
    gl = fread(good, 1, sizeof(good), fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(vb_doc_read(ctx, EXAMPLE, good, gl, &read), VB_OK);
  }
  assert_int_equal(vb_render(ctx, read, VB_FORMAT_PDF, &out, &n), VB_EUSAGE);
  assert_null(out);
  assert_int_equal(n, 0);
  /* another context's document */
  assert_int_equal(vb_doc_compose(other, read), VB_EUSAGE);
  assert_int_equal(vb_doc_compose(ctx, read), VB_OK);
  out = (unsigned char *)&out;
  n = 7;
  assert_int_equal(vb_render(other, read, VB_FORMAT_TREE, &out, &n),
                   VB_EUSAGE);
  assert_null(out);
  assert_int_equal(n, 0);
  /* not one format bit */
  assert_int_equal(vb_render(ctx, read, VB_FORMAT_PDF | VB_FORMAT_DOCX, &out,
                             &n),
                   VB_EUSAGE);
  assert_null(out);
  assert_int_equal(vb_doc_set_number(read, 5), VB_EUSAGE); /* composed */
  assert_int_equal(vb_render(ctx, read, VB_FORMAT_TREE, &out, &n), VB_OK);
  assert_non_null(out);
  assert_true(n > 0);
  vb_free(ctx, out);
  vb_doc_free(read);
  vb_ctx_free(other);
  vb_ctx_free(ctx);
}

static void diagnostics_between_documents(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_doc *doc = NULL;
  size_t len;
  const char *bad = bad_date(&len);
  const vb_diag *d;
  (void)state;
  assert_non_null(ctx);
  assert_int_equal(vb_doc_parse(ctx, "bad.xml", bad, len, &doc),
                   VB_EINVALID);
  assert_int_equal(vb_diag_count(ctx), 1);
  d = vb_diag_at(ctx, 0);
  assert_non_null(d);
  assert_string_equal(vb_code_id(d->code), "V010");
  assert_string_equal(d->file, "bad.xml");
  assert_null(vb_diag_at(ctx, 1));
  /* an uncleared earlier error does not fail the next document */
  assert_int_equal(vb_doc_parse_file(ctx, EXAMPLE, &doc), VB_OK);
  vb_doc_free(doc);
  assert_int_equal(vb_error_count(ctx), 1);
  vb_ctx_clear(ctx);
  assert_int_equal(vb_diag_count(ctx), 0);
  assert_int_equal(vb_error_count(ctx), 0);
  assert_null(vb_diag_at(ctx, 0));
  assert_int_equal(vb_doc_parse_file(ctx, EXAMPLE, &doc), VB_OK);
  assert_int_equal(vb_diag_count(ctx), 0);
  vb_doc_free(doc);
  assert_int_equal(vb_diag_count(NULL), 0);
  assert_null(vb_diag_at(NULL, 0));
  vb_ctx_free(ctx);
}

static void max_errors_keeps_counting(void **state) {
  vb_options opt = {0};
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  size_t len;
  const char *bad = bad_date(&len);
  int i;
  (void)state;
  opt.max_errors = 2;
  ctx = vb_ctx_new(&opt);
  assert_non_null(ctx);
  for (i = 0; i < 3; i++)
    assert_int_equal(vb_doc_parse(ctx, "bad.xml", bad, len, &doc),
                     VB_EINVALID);
  assert_int_equal(vb_diag_count(ctx), 2);
  assert_int_equal(vb_error_count(ctx), 3);
  vb_ctx_free(ctx);
}

static void limits_are_the_public_constants(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_doc *doc = (vb_doc *)&doc;
  size_t n = (size_t)VB_MAX_INPUT_BYTES + 1, i;
  char *big = malloc(n);
  const char *open = "<a>", *close = "</a>";
  char *deep, *p;
  (void)state;
  assert_non_null(ctx);
  assert_non_null(big);
  memset(big, ' ', n);
  assert_int_equal(vb_doc_read(ctx, "big.xml", big, n, &doc), VB_ELIMIT);
  assert_null(doc);
  free(big);
  assert_string_equal(vb_code_id(vb_diag_at(ctx, 0)->code), "X009");
  vb_ctx_clear(ctx);
  /* one element deeper than VB_MAX_DEPTH */
  deep = malloc((VB_MAX_DEPTH + 2) * 7 + 1);
  assert_non_null(deep);
  p = deep;
  for (i = 0; i < VB_MAX_DEPTH + 2; i++, p += 3)
    memcpy(p, open, 3);
  for (i = 0; i < VB_MAX_DEPTH + 2; i++, p += 4)
    memcpy(p, close, 4);
  *p = '\0';
  assert_int_equal(vb_doc_read(ctx, "deep.xml", deep, strlen(deep), &doc),
                   VB_ELIMIT);
  free(deep);
  assert_string_equal(vb_code_id(vb_diag_at(ctx, 0)->code), "X009");
  assert_true(strstr(vb_diag_at(ctx, 0)->arg[1], "64") != NULL);
  assert_int_equal(VB_MAX_DEPTH, 64);
  vb_ctx_free(ctx);
}

/* One context per thread: each renders the example; all bytes equal. */
struct job {
  unsigned char *pdf;
  size_t len;
  vb_status st;
};

static void *render_job(void *arg) {
  struct job *j = arg;
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_doc *doc = NULL;
  unsigned char *out = NULL;
  j->st = ctx ? vb_doc_parse_file(ctx, EXAMPLE, &doc) : VB_ENOMEM;
  if (j->st == VB_OK)
    j->st = vb_render(ctx, doc, VB_FORMAT_PDF, &out, &j->len);
  if (j->st == VB_OK) {
    j->pdf = malloc(j->len);
    if (j->pdf)
      memcpy(j->pdf, out, j->len);
    else
      j->st = VB_ENOMEM;
  }
  vb_free(ctx, out);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  return NULL;
}

static void one_context_per_thread(void **state) {
  struct job first = {0}, jobs[3];
  pthread_t t[3];
  int i;
  (void)state;
  render_job(&first); /* first use on one thread (libxml2 2.9) */
  assert_int_equal(first.st, VB_OK);
  memset(jobs, 0, sizeof(jobs));
  for (i = 0; i < 3; i++)
    assert_int_equal(pthread_create(&t[i], NULL, render_job, &jobs[i]), 0);
  for (i = 0; i < 3; i++)
    assert_int_equal(pthread_join(t[i], NULL), 0);
  for (i = 0; i < 3; i++) {
    assert_int_equal(jobs[i].st, VB_OK);
    assert_int_equal(jobs[i].len, first.len);
    assert_memory_equal(jobs[i].pdf, first.pdf, first.len);
    free(jobs[i].pdf);
  }
  free(first.pdf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(doc_freed_after_its_context_is_harmless),
      cmocka_unit_test(out_parameters_after_failure),
      cmocka_unit_test(diagnostics_between_documents),
      cmocka_unit_test(max_errors_keeps_counting),
      cmocka_unit_test(limits_are_the_public_constants),
      cmocka_unit_test(one_context_per_thread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
