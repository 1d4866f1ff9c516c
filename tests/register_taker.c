/* register_taker.c - takes numbers from a register in a loop, through the
 * public API only: what tests/run.py (section register) starts 8 times at
 * once, kills with SIGKILL, and what make bench times.
 *
 *   register-taker SO.db TEMPLATE.xml COUNT PREFIX [--hold] [--tree]
 *
 * Each round reads TEMPLATE.xml with "@ID@" replaced by PREFIX-i (the
 * document's ma), takes its number, composes it and renders the tree
 * (--tree), records it and prints the number. --hold takes one number,
 * prints "held N" and waits with the register locked, to be killed. */
#define _DEFAULT_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vanban.h"

static char *read_all(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  char *p;
  long n;
  if (!fp || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
      fseek(fp, 0, SEEK_SET) != 0) {
    if (fp)
      fclose(fp);
    return NULL;
  }
  p = malloc((size_t)n + 1);
  if (p && fread(p, 1, (size_t)n, fp) != (size_t)n) {
    free(p);
    p = NULL;
  }
  fclose(fp);
  if (p)
    p[n] = '\0';
  *len = (size_t)n;
  return p;
}

/* The template with its first "@ID@" replaced by id. */
static char *with_id(const char *tpl, const char *id, size_t *len) {
  const char *at = strstr(tpl, "@ID@");
  size_t n = strlen(tpl), m = strlen(id), head;
  char *p;
  if (!at)
    return NULL;
  head = (size_t)(at - tpl);
  p = malloc(n - 4 + m + 1);
  if (!p)
    return NULL;
  memcpy(p, tpl, head);
  memcpy(p + head, id, m);
  memcpy(p + head + m, at + 4, n - head - 4 + 1);
  *len = n - 4 + m;
  return p;
}

static void print_diags(vb_ctx *ctx, vb_status st) {
  size_t i;
  for (i = 0; i < vb_diag_count(ctx); i++) {
    char *m = vb_diag_format(ctx, vb_diag_at(ctx, i), VB_LANG_VI);
    if (m)
      fprintf(stderr, "%s\n", m);
    vb_free(ctx, m);
  }
  fprintf(stderr, "register-taker: %s\n", vb_status_str(st, VB_LANG_VI));
}

/* One round: read, take, (compose, render), record. */
static vb_status one(vb_ctx *ctx, vb_register *reg, const char *data,
                     size_t len, const char *out, int hold, int tree,
                     long *number) {
  vb_doc *doc = NULL;
  vb_issue *is = NULL;
  vb_issue_info in;
  unsigned char *bytes = NULL;
  size_t n = 0;
  vb_status st = vb_doc_read(ctx, out, data, len, &doc);
  if (st == VB_OK)
    st = vb_register_take(reg, doc, data, len, 0, &is);
  if (st == VB_OK && hold) {
    vb_issue_get_info(is, &in);
    printf("held %ld\n", in.number);
    fflush(stdout);
    for (;;)
      pause();
  }
  if (st == VB_OK && tree) {
    st = vb_doc_compose(ctx, doc);
    if (st == VB_OK)
      st = vb_render(ctx, doc, VB_FORMAT_TREE, &bytes, &n);
  }
  if (st == VB_OK)
    st = vb_issue_add_output(is, out, bytes, n);
  if (st == VB_OK)
    st = vb_issue_commit(is);
  if (st == VB_OK && vb_issue_get_info(is, &in) == VB_OK)
    *number = in.number;
  vb_free(ctx, bytes);
  vb_issue_free(is);
  vb_doc_free(doc);
  return st;
}

int main(int argc, char **argv) {
  vb_ctx *ctx;
  vb_register *reg = NULL;
  char *tpl, id[256];
  size_t len;
  long count, i;
  int hold = 0, tree = 0, k, rc = 0;
  vb_status st;
  for (k = 5; k < argc; k++) {
    if (!strcmp(argv[k], "--hold"))
      hold = 1;
    else if (!strcmp(argv[k], "--tree"))
      tree = 1;
  }
  if (argc < 5 || (count = strtol(argv[3], NULL, 10)) < 1) {
    fputs("usage: register-taker SO.db TEMPLATE.xml COUNT PREFIX [--hold] "
          "[--tree]\n",
          stderr);
    return 2;
  }
  tpl = read_all(argv[2], &len);
  ctx = vb_ctx_new(NULL);
  if (!tpl || !ctx) {
    fprintf(stderr, "register-taker: cannot read %s\n", argv[2]);
    return 2;
  }
  st = vb_register_open(ctx, argv[1], &reg);
  if (st == VB_OK)
    vb_register_set_timeout(reg, 120000);
  for (i = 0; st == VB_OK && i < count; i++) {
    char *data;
    long number = 0;
    snprintf(id, sizeof(id), "%s-%ld", argv[4], i);
    data = with_id(tpl, id, &len);
    if (!data) {
      fputs("register-taker: the template has no @ID@\n", stderr);
      rc = 2;
      break;
    }
    st = one(ctx, reg, data, len, id, hold, tree, &number);
    free(data);
    if (st == VB_OK) {
      printf("%ld\n", number);
      fflush(stdout);
    }
    vb_ctx_clear(ctx);
  }
  if (st != VB_OK) {
    print_diags(ctx, st);
    rc = 1;
  }
  vb_register_close(reg);
  vb_ctx_free(ctx);
  free(tpl);
  return rc;
}
