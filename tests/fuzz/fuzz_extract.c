/* fuzz_extract.c - libFuzzer target: vb_extract_docx on arbitrary bytes
 * (the hostile package reader, package.c, and extract.c). The first byte
 * chooses the message language; the rest is the DOCX. Seeds are the
 * sample forms of tests/unit/make_form. Built and run by tests/fuzz/run.py. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vanban.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  vb_options opt;
  vb_ctx *ctx;
  char *xml = NULL;
  size_t len = 0, i;
  if (size < 1)
    return 0;
  memset(&opt, 0, sizeof(opt));
  opt.lang = (data[0] & 1) ? VB_LANG_EN : VB_LANG_VI;
  ctx = vb_ctx_new(&opt);
  if (!ctx)
    return 0;
  if (vb_extract_docx(ctx, "fuzz.docx", (const char *)data + 1, size - 1,
                      &xml, &len) == VB_OK &&
      (!xml || strlen(xml) != len))
    __builtin_trap(); /* the output is one NUL-terminated string */
  for (i = 0; i < vb_diag_count(ctx); i++)
    vb_free(ctx, vb_diag_format(ctx, vb_diag_at(ctx, i), opt.lang));
  vb_free(ctx, xml);
  vb_ctx_free(ctx);
  return 0;
}
