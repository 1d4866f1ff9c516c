/* number.c - what a document register does: read and validate, look at
 * the document (vb_doc_get_info), give it a number, then compose and
 * render. The number replaces any <so> of the input.
 *
 *   number INPUT.xml NUMBER OUTPUT.pdf
 *
 * Prints "kind profile type-code symbol number". Exit status: 0 written,
 * 1 the input has errors or a step failed, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <vanban.h>

/* Reads a whole file of at most VB_MAX_INPUT_BYTES into malloc'd memory. */
static vb_status read_file(const char *path, char **out, size_t *len) {
  FILE *fp = fopen(path, "rb");
  char *p;
  size_t n;
  if (!fp)
    return VB_EIO;
  p = malloc((size_t)VB_MAX_INPUT_BYTES + 1);
  n = p ? fread(p, 1, (size_t)VB_MAX_INPUT_BYTES + 1, fp) : 0;
  if (fclose(fp) != 0 || !p || n > VB_MAX_INPUT_BYTES) {
    free(p);
    return !p ? VB_ENOMEM : n > VB_MAX_INPUT_BYTES ? VB_ELIMIT : VB_EIO;
  }
  *out = p;
  *len = n;
  return VB_OK;
}

int main(int argc, char **argv) {
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  vb_doc_info info;
  unsigned char *pdf = NULL;
  size_t len = 0, i;
  char *end, *data = NULL;
  size_t n = 0;
  long number;
  vb_status st;

  if (argc != 4 || (number = strtol(argv[2], &end, 10), *end)) {
    fprintf(stderr, "usage: %s INPUT.xml NUMBER OUTPUT.pdf\n", argv[0]);
    return 2;
  }
  ctx = vb_ctx_new(NULL);   /* default options: Vietnamese messages */
  if (!ctx) {
    fprintf(stderr, "%s\n", vb_status_str(VB_ENOMEM, VB_LANG_VI));
    return 1;
  }
  /* vb_doc_read() takes the bytes: vb_doc_parse_file() would compose */
  st = read_file(argv[1], &data, &n);
  if (st == VB_OK)
    st = vb_doc_read(ctx, argv[1], data, n, &doc);
  /* a register looks at the type and the issuer to pick the number */
  if (st == VB_OK)
    st = vb_doc_get_info(doc, &info);
  if (st == VB_OK)
    st = vb_doc_set_number(doc, number);
  if (st == VB_OK)
    st = vb_doc_compose(ctx, doc);
  if (st == VB_OK)
    st = vb_doc_get_info(doc, &info);
  if (st == VB_OK)
    st = vb_render(ctx, doc, VB_FORMAT_PDF, &pdf, &len);
  if (st == VB_OK)
    st = vb_write_file(argv[3], pdf, len);
  if (st == VB_OK)
    printf("%s %s %s %s %ld\n", info.kind, info.profile,
           info.type_code ? info.type_code : "-", info.symbol, info.number);
  for (i = 0; i < vb_diag_count(ctx); i++) {
    char *msg = vb_diag_format(ctx, vb_diag_at(ctx, i), VB_LANG_VI);
    if (!msg) {
      st = VB_ENOMEM;
      break;
    }
    fprintf(stderr, "%s\n", msg);
    vb_free(ctx, msg);
  }
  if (st != VB_OK)
    fprintf(stderr, "%s: %s\n", argv[1], vb_status_str(st, VB_LANG_VI));
  vb_free(ctx, pdf);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  free(data);
  return st == VB_OK ? 0 : 1;
}
