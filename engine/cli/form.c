/* form.c - `vanban form KIND [-o OUT] [--from DRAFT.xml] [--format
 * docx|pdf]`: a blank form for Word (every field a content control), or a
 * printable blank PDF with dotted lines, prefilled from a draft. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_form(int argc, char **argv) {
  const char *kind = NULL, *output = NULL, *draft = NULL;
  int format = VB_FORMAT_DOCX, i, rc = EXIT_INPUT;
  vb_options lib;
  vb_ctx *ctx = NULL;
  vb_doc *doc = NULL;
  char *data = NULL, *path = NULL;
  unsigned char *bytes = NULL;
  size_t len = 0, n = 0;
  vb_status st;
  memset(&lib, 0, sizeof(lib));
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--lang") && v && (!strcmp(v, "vi") || !strcmp(v, "en"))) {
      lib.lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
      i++;
    } else if (!strcmp(a, "-o") && v && *v) {
      output = v;
      i++;
    } else if (!strcmp(a, "--from") && v && *v) {
      draft = v;
      i++;
    } else if (!strcmp(a, "--format") && v &&
               (!strcmp(v, "docx") || !strcmp(v, "pdf"))) {
      format = !strcmp(v, "pdf") ? VB_FORMAT_PDF : VB_FORMAT_DOCX;
      i++;
    } else if (a[0] != '-' && !kind) {
      kind = a;
    } else {
      fprintf(stderr, "vanban form: %s: %s\n",
              cli_tr(lib.lang, "đối số không hợp lệ", "invalid argument"), a);
      cli_usage(stderr, lib.lang);
      return EXIT_USAGE;
    }
  }
  if (!kind) {
    cli_usage(stderr, lib.lang);
    return EXIT_USAGE;
  }
  if (draft && !(data = cli_read_input(draft, &len))) {
    fprintf(stderr, "%s: %s[X005]: %s: %s\n", draft,
            cli_tr(lib.lang, "lỗi", "error"),
            cli_tr(lib.lang, "không đọc được tệp", "cannot read the file"),
            strerror(errno));
    return EXIT_INPUT;
  }
  ctx = vb_ctx_new(&lib);
  if (!ctx) {
    fputs(cli_tr(lib.lang, "vanban: hết bộ nhớ\n", "vanban: out of memory\n"),
          stderr);
    goto out;
  }
  st = vb_form_new(ctx, kind, draft, data, len, &doc);
  cli_print_diags(ctx, lib.lang, draft, data, len);
  if (st == VB_OK)
    st = vb_render(ctx, doc, format, &bytes, &n);
  if (st != VB_OK) {
    if (st != VB_EINVALID || !vb_diag_count(ctx))
      fprintf(stderr, "vanban: %s\n", vb_status_str(st, lib.lang));
    goto out;
  }
  if (!output) {
    /* KIND.docx in the current folder; KIND is a checked name */
    size_t m = strlen(kind) + 6;
    path = malloc(m);
    if (!path)
      goto out;
    snprintf(path, m, "%s%s", kind,
             format == VB_FORMAT_PDF ? ".pdf" : ".docx");
    output = path;
  }
  if (vb_write_file(output, bytes, n) != VB_OK) {
    fprintf(stderr, "vanban: %s: %s: %s\n", output,
            cli_tr(lib.lang, "không ghi được tệp", "cannot write the file"),
            strerror(errno));
    goto out;
  }
  rc = 0;
out:
  vb_free(ctx, bytes);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  free(data);
  free(path);
  return rc;
}
