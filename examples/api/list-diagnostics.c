/* list-diagnostics.c - validates several documents on one context and
 * lists each one's diagnostics field by field: rule ID, severity, position,
 * then the formatted message. The context is cleared between documents, so
 * each list holds only that document's diagnostics.
 *
 *   list-diagnostics vi|en FILE.xml...
 *
 * Exit status: 0 every document valid (warnings allowed), 1 otherwise,
 * 2 usage. */
#include <stdio.h>
#include <string.h>
#include <vanban.h>

static int list(vb_ctx *ctx, vb_lang lang) {
  size_t i;
  for (i = 0; i < vb_diag_count(ctx); i++) {
    const vb_diag *d = vb_diag_at(ctx, i);
    char *msg = d ? vb_diag_format(ctx, d, lang) : NULL;
    if (!msg)
      return 0;
    printf("%s\t%s\t%u\t%u\t%s\n", vb_code_id(d->code),
           d->severity == VB_SEV_ERROR ? "error" : "warning", d->line,
           d->col, msg);
    vb_free(ctx, msg);
  }
  return 1;
}

int main(int argc, char **argv) {
  vb_options opt = {0};
  vb_ctx *ctx;
  int i, bad = 0;

  if (argc < 3 || (strcmp(argv[1], "vi") && strcmp(argv[1], "en"))) {
    fprintf(stderr, "usage: %s vi|en FILE.xml...\n", argv[0]);
    return 2;
  }
  opt.lang = strcmp(argv[1], "en") ? VB_LANG_VI : VB_LANG_EN;
  ctx = vb_ctx_new(&opt);
  if (!ctx) {
    fprintf(stderr, "%s\n", vb_status_str(VB_ENOMEM, opt.lang));
    return 1;
  }
  for (i = 2; i < argc; i++) {
    vb_doc *doc = NULL;
    /* read, validate and compose (composing adds V060, missing glyphs) */
    vb_status st = vb_doc_parse_file(ctx, argv[i], &doc);
    printf("== %s: %s, %zu\n", argv[i], vb_status_str(st, opt.lang),
           vb_error_count(ctx));
    if (!list(ctx, opt.lang)) {
      fprintf(stderr, "%s\n", vb_status_str(VB_ENOMEM, opt.lang));
      bad = 1;
    }
    if (st != VB_OK)
      bad = 1;
    vb_doc_free(doc);   /* NULL after a failure: a no-op */
    vb_ctx_clear(ctx);  /* the next document starts with no diagnostics */
  }
  vb_ctx_free(ctx);
  return bad;
}
