/* inproc.c - the library's own cost: parse + render one document N times
 * in a warm process, as a batch or a server would; prints ms per document.
 * Usage: inproc FILE.xml [N] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vanban.h"

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  int n = argc > 2 ? atoi(argv[2]) : 50, i, f;
  static const int formats[] = {0, VB_FORMAT_PDF, VB_FORMAT_DOCX};
  static const char *const names[] = {"parse", "parse+PDF", "parse+DOCX"};
  vb_ctx *ctx;
  if (argc < 2 || n <= 0) {
    fprintf(stderr, "usage: inproc FILE.xml [N]\n");
    return 2;
  }
  ctx = vb_ctx_new(NULL);
  for (f = 0; f < 3; f++) {
    double t0 = 0;
    size_t bytes = 0;
    for (i = -2; i < n; i++) { /* two warm-up rounds */
      vb_doc *doc;
      unsigned char *out;
      size_t len;
      if (i == 0)
        t0 = now_ms();
      if (vb_doc_parse_file(ctx, argv[1], &doc) != VB_OK)
        return 1;
      if (formats[f]) {
        if (vb_render(ctx, doc, formats[f], &out, &len) != VB_OK)
          return 1;
        bytes = len;
        vb_free(ctx, out);
      }
      vb_doc_free(doc);
      vb_ctx_clear(ctx);
    }
    printf("  %-11s %7.2f ms per document", names[f], (now_ms() - t0) / n);
    if (bytes)
      printf(", %zu bytes", bytes);
    printf("\n");
  }
  vb_ctx_free(ctx);
  return 0;
}
