/* make_form.c - developer tool, not a user command: writes the sample
 * form of sample_form.h as DOCX (and PDF, tree dump) so that the wordform
 * tests and the fuzz seeds have a form before templates produce them.
 *   make_form [--filled] [--fonts DIR] OUT.docx [OUT.pdf [OUT.tree]] */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "sample_form.h"

static int save(const char *path, const struct vb_buf *b) {
  FILE *fp = fopen(path, "wb");
  int ok = fp && fwrite(b->ptr, 1, b->len, fp) == b->len;
  if (fp && fclose(fp) != 0)
    ok = 0;
  return ok;
}

int main(int argc, char **argv) {
  struct vb_tree t;
  struct vb_fonts *fonts = NULL;
  const char *dir = "fonts", *out[3] = {NULL, NULL, NULL};
  int filled = 0, i, n = 0, rc = 1;
  memset(&t, 0, sizeof(t));
  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--filled"))
      filled = 1;
    else if (!strcmp(argv[i], "--fonts") && i + 1 < argc)
      dir = argv[++i];
    else if (n < 3)
      out[n++] = argv[i];
  }
  if (!out[0]) {
    fputs("usage: make_form [--filled] [--fonts DIR] OUT.docx [OUT.pdf "
          "[OUT.tree]]\n", stderr);
    return 2;
  }
  vb_arena_init(&t.arena, &vb_mem_default);
  if (!sample_form(&t, filled)) {
    fputs("make_form: the sample tree is malformed\n", stderr);
    goto out;
  }
  if (vb_fonts_open(&vb_mem_default, dir, &fonts) != VB_OK) {
    fprintf(stderr, "make_form: no fonts in %s\n", dir);
    goto out;
  }
  for (i = 0; i < n; i++) {
    struct vb_buf b;
    vb_status st;
    vb_buf_init(&b, &vb_mem_default, (size_t)64 << 20);
    st = i == 0   ? vb_render_docx(&t, fonts, &vb_mem_default, &b)
         : i == 1 ? vb_render_pdf(&t, fonts, &vb_mem_default, &b)
                  : vb_render_tree(&t, &b);
    if (st != VB_OK || !save(out[i], &b)) {
      fprintf(stderr, "make_form: %s failed (%d)\n", out[i], (int)st);
      vb_buf_release(&b);
      goto out;
    }
    vb_buf_release(&b);
  }
  rc = 0;
out:
  vb_fonts_free(fonts);
  vb_arena_release(&t.arena);
  return rc;
}
