/* render-pdf.c - libvanban's smallest complete program: one document to
 * PDF. README.md shows its main(); tests/run.py (section api) builds it
 * with the README's link line and against an installed copy (install).
 *
 *   render-pdf INPUT.xml OUTPUT.pdf
 *
 * Exit status: 0 written, 1 the input has errors or a step failed, 2 usage. */
#include <stdio.h>
#include <vanban.h>

int main(int argc, char **argv) {
  vb_options opt = {0};
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  unsigned char *pdf = NULL;
  size_t len = 0, i;
  vb_status st;

  if (argc != 3) {
    fprintf(stderr, "usage: %s INPUT.xml OUTPUT.pdf\n", argv[0]);
    return 2;
  }
  opt.lang = VB_LANG_VI;
  ctx = vb_ctx_new(&opt);
  if (!ctx) {
    fprintf(stderr, "%s\n", vb_status_str(VB_ENOMEM, opt.lang));
    return 1;
  }
  st = vb_doc_parse_file(ctx, argv[1], &doc);   /* read, validate, compose */
  if (st == VB_OK)
    st = vb_render(ctx, doc, VB_FORMAT_PDF, &pdf, &len);
  if (st == VB_OK)
    st = vb_write_file(argv[2], pdf, len);      /* atomic */
  for (i = 0; i < vb_diag_count(ctx); i++) {    /* errors and warnings */
    char *msg = vb_diag_format(ctx, vb_diag_at(ctx, i), opt.lang);
    if (!msg) {
      st = VB_ENOMEM;
      break;
    }
    fprintf(stderr, "%s\n", msg);
    vb_free(ctx, msg);
  }
  if (st != VB_OK)
    fprintf(stderr, "%s: %s\n", argv[1], vb_status_str(st, opt.lang));
  vb_free(ctx, pdf);
  vb_doc_free(doc);   /* every document before its context */
  vb_ctx_free(ctx);
  return st == VB_OK ? 0 : 1;
}
