/* fuzz_table.c - libFuzzer target: the list reader (engine/table.c) on
 * arbitrary bytes, as CSV or, when they start as a ZIP archive, as XLSX.
 *
 * The first byte chooses options (cmark-fuzz.c style), the rest is the
 * file:
 *   bit 0   messages in English (formats every diagnostic in that language)
 *   bit 1   max_errors = 1 instead of the default
 *   bit 2   header labels given (matched case- and diacritic-insensitively)
 *   bit 3   a sheet asked for by name
 * On success every cell must be NUL-terminated at its length, valid UTF-8
 * and NFC-sized (no longer than the cell limit allows). Built and run by
 * tests/fuzz/run.py. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "table.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const struct vb_table_label labels[] = {
      {"Tên mô hình", "ten-mo-hinh"},
      {"Đơn vị", "don-vi"},
      {"Ngày", "ngay"},
  };
  struct vb_table_opts to;
  struct vb_table *t = NULL;
  vb_options opt;
  vb_ctx *ctx;
  unsigned flags;
  size_t i, j;
  if (size < 1)
    return 0;
  flags = data[0];
  memset(&opt, 0, sizeof(opt));
  memset(&to, 0, sizeof(to));
  opt.lang = (flags & 1) ? VB_LANG_EN : VB_LANG_VI;
  opt.max_errors = (flags & 2) ? 1 : 0;
  if (flags & 4) {
    to.labels = labels;
    to.nlabels = sizeof(labels) / sizeof(labels[0]);
  }
  if (flags & 8)
    to.sheet = "Danh sách";
  ctx = vb_ctx_new(&opt);
  if (!ctx)
    return 0;
  if (vb_table_read(ctx, "fuzz", (const char *)data + 1, size - 1, &to, &t) ==
      VB_OK) {
    if (!t || !t->ncols)
      __builtin_trap(); /* VB_OK hands out a list with its header */
    for (i = 0; i < t->nrows; i++)
      for (j = 0; j < t->ncols; j++) {
        const struct vb_table_cell *c = &t->rows[i].cells[j];
        if (c->s[c->len] != '\0' || !vb_utf8_valid(c->s, c->len) ||
            c->len > 4 * VB_TABLE_MAX_CELL)
          __builtin_trap();
      }
  } else if (t) {
    __builtin_trap(); /* a failure hands out nothing */
  }
  for (i = 0; i < vb_diag_count(ctx); i++) {
    const vb_diag *d = vb_diag_at(ctx, i);
    vb_free(ctx, vb_diag_format(ctx, d, VB_LANG_VI));
    vb_free(ctx, vb_diag_format(ctx, d, VB_LANG_EN));
  }
  vb_table_free(t);
  vb_ctx_free(ctx);
  return 0;
}
