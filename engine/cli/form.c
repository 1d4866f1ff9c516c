/* form.c - `vanban form KIND [-o OUT] [--from DRAFT.xml] [--format
 * docx|pdf]`: a blank form for Word (every field a content control), or a
 * printable blank PDF with dotted lines, prefilled from a draft. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_form(int argc, char **argv) {
  const char *kind = NULL, *output = NULL, *draft = NULL;
  int format = VB_FORMAT_DOCX, i, rc = EXIT_INPUT, quiet = 0;
  vb_options lib;
  vb_ctx *ctx = NULL;
  vb_doc *doc = NULL;
  char *data = NULL, *path = NULL;
  unsigned char *bytes = NULL;
  size_t len = 0, n = 0;
  vb_status st;
  memset(&lib, 0, sizeof(lib));
  lib.lang = cli_lang(argc, argv);
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      quiet = 1;
      continue;
    }
    if (a[0] != '-') {
      if (kind) {
        cli_extra_arg(lib.lang, "form", a, "một TÊN_MẪU", "one KIND");
        return EXIT_USAGE;
      }
      kind = a;
      continue;
    }
    if (strcmp(a, "--lang") && strcmp(a, "-o") && strcmp(a, "--from") &&
        strcmp(a, "--format")) {
      cli_unknown_option(lib.lang, "form", a);
      return EXIT_USAGE;
    }
    if (!v) {
      if (!strcmp(a, "--lang"))
        cli_missing_value(lib.lang, a, "vi hoặc en", "vi or en");
      else if (!strcmp(a, "--format"))
        cli_missing_value(lib.lang, a, "docx hoặc pdf", "docx or pdf");
      else
        cli_missing_value(lib.lang, a, "tên tệp", "a file name");
      return EXIT_USAGE;
    }
    i++;
    if (!strcmp(a, "--lang")) {
      if (strcmp(v, "vi") && strcmp(v, "en")) {
        cli_bad_arg(lib.lang, a, v, "dùng vi hoặc en", "use vi or en");
        return EXIT_USAGE;
      }
      lib.lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
    } else if (!strcmp(a, "--format")) {
      if (strcmp(v, "docx") && strcmp(v, "pdf")) {
        cli_bad_arg(lib.lang, a, v, "dùng docx hoặc pdf", "use docx or pdf");
        return EXIT_USAGE;
      }
      format = !strcmp(v, "pdf") ? VB_FORMAT_PDF : VB_FORMAT_DOCX;
    } else if (!*v) {
      cli_bad_arg(lib.lang, a, v, "tên tệp trống", "empty file name");
      return EXIT_USAGE;
    } else if (!strcmp(a, "-o")) {
      output = v;
    } else {
      draft = v;
    }
  }
  if (!kind) {
    cli_missing_arg(lib.lang, "form", "TÊN_MẪU (xem vanban templates)",
                    "the KIND (see vanban templates)");
    return EXIT_USAGE;
  }
  if (draft && !(data = cli_read_input(draft, &len))) {
    cli_read_error(lib.lang, draft, errno);
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
    cli_write_error(lib.lang, output, errno);
    goto out;
  }
  if (!quiet)
    cli_written(lib.lang, &output, NULL, 1);
  rc = 0;
out:
  vb_free(ctx, bytes);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  free(data);
  free(path);
  return rc;
}
