/* fuzz_input.c - libFuzzer target: the whole library on arbitrary bytes.
 *
 * The first byte chooses options (cmark-fuzz.c style), the rest is the
 * input XML: parse + validate, then, when the document is valid, render
 * every format (PDF, DOCX, tree, layout). Built and run by tests/fuzz/run.py.
 *
 *   bit 0   messages in English (formats every diagnostic in that language)
 *   bit 1   max_errors = 1 instead of the default
 *   bit 2-3 margin option: none, all at the legal minimum, out of range
 *           (clamped), or read from the input: the next 32 bytes are the
 *           four doubles (top, bottom, left, right) as they lie in memory,
 *           so that the fuzzer reaches NaN, infinities, denormals and
 *           huge values (issue 7: a NaN margin was converted to int)
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vanban.h"

#ifndef VB_FUZZ_DATADIR
#define VB_FUZZ_DATADIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int formats[] = {VB_FORMAT_PDF, VB_FORMAT_DOCX, VB_FORMAT_TREE,
                                VB_FORMAT_LAYOUT};
  vb_options opt;
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  unsigned flags;
  size_t i;
  vb_status st;
  if (size < 1)
    return 0;
  flags = data[0];
  memset(&opt, 0, sizeof(opt));
  opt.data_dir = VB_FUZZ_DATADIR;
  opt.lang = (flags & 1) ? VB_LANG_EN : VB_LANG_VI;
  opt.max_errors = (flags & 2) ? 1 : 0;
  switch ((flags >> 2) & 3) {
  case 1:
    opt.margin_top = 20, opt.margin_bottom = 20, opt.margin_left = 30,
    opt.margin_right = 15;
    break;
  case 2:
    opt.margin_top = 1, opt.margin_bottom = 99, opt.margin_left = 5,
    opt.margin_right = 80;
    break;
  case 3: {
    double m[4];
    if (size < 1 + sizeof(m))
      return 0;
    memcpy(m, data + 1, sizeof(m));
    opt.margin_top = m[0], opt.margin_bottom = m[1], opt.margin_left = m[2],
    opt.margin_right = m[3];
    data += sizeof(m);
    size -= sizeof(m);
    break;
  }
  default:
    break;
  }
  ctx = vb_ctx_new(&opt);
  if (!ctx)
    return 0;
  st = vb_doc_parse(ctx, "fuzz.xml", (const char *)data + 1, size - 1, &doc);
  /* a margin that is not a finite number is refused with the call */
  if (st == VB_OK && (!isfinite(opt.margin_top) ||
                      !isfinite(opt.margin_bottom) ||
                      !isfinite(opt.margin_left) ||
                      !isfinite(opt.margin_right)))
    __builtin_trap();
  if (st == VB_OK) {
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
      unsigned char *out = NULL;
      size_t len = 0;
      if (vb_render(ctx, doc, formats[i], &out, &len) == VB_OK && !out)
        __builtin_trap(); /* VB_OK must hand out the bytes */
      vb_free(ctx, out);
    }
  }
  /* every diagnostic must format, in both languages */
  for (i = 0; i < vb_diag_count(ctx); i++) {
    const vb_diag *d = vb_diag_at(ctx, i);
    vb_free(ctx, vb_diag_format(ctx, d, VB_LANG_VI));
    vb_free(ctx, vb_diag_format(ctx, d, VB_LANG_EN));
  }
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  return 0;
}
