/* extract.c - `vanban extract filled.docx [-o dang-ky.xml]`: a filled Word
 * form back to the XML input format, on standard output by default. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_extract(int argc, char **argv) {
  const char *input = NULL, *output = "-";
  vb_options lib;
  vb_ctx *ctx = NULL;
  char *data = NULL, *xml = NULL;
  size_t len = 0, xml_len = 0;
  int i, rc = EXIT_INPUT, quiet = 0;
  vb_status st;
  memset(&lib, 0, sizeof(lib));
  lib.lang = cli_lang(argc, argv);
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      quiet = 1;
    } else if (a[0] != '-' || !a[1]) {
      if (input) {
        cli_extra_arg(lib.lang, "extract", a, "một tệp .docx",
                      "one .docx file");
        return EXIT_USAGE;
      }
      input = a;
    } else if (strcmp(a, "--lang") && strcmp(a, "-o")) {
      cli_unknown_option(lib.lang, "extract", a);
      return EXIT_USAGE;
    } else if (!v) {
      if (!strcmp(a, "--lang"))
        cli_missing_value(lib.lang, a, "vi hoặc en", "vi or en");
      else
        cli_missing_value(lib.lang, a, "tên tệp, - là đầu ra chuẩn",
                          "a file name, - for standard output");
      return EXIT_USAGE;
    } else if (!strcmp(a, "--lang")) {
      if (strcmp(v, "vi") && strcmp(v, "en")) {
        cli_bad_arg(lib.lang, a, v, "dùng vi hoặc en", "use vi or en");
        return EXIT_USAGE;
      }
      lib.lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
      i++;
    } else {
      if (!*v) {
        cli_bad_arg(lib.lang, a, v, "tên tệp trống", "empty file name");
        return EXIT_USAGE;
      }
      output = v;
      i++;
    }
  }
  if (!input) {
    cli_missing_arg(lib.lang, "extract", "tệp Word đã điền (.docx)",
                    "the filled Word file (.docx)");
    return EXIT_USAGE;
  }
  data = cli_read_input(input, &len);
  if (!data) {
    cli_read_error(lib.lang, input, errno);
    return EXIT_INPUT;
  }
  ctx = vb_ctx_new(&lib);
  if (!ctx) {
    fprintf(stderr, "vanban: %s\n", vb_status_str(VB_ENOMEM, lib.lang));
    goto out;
  }
  st = vb_extract_docx(ctx, input, data, len, &xml, &xml_len);
  cli_print_diags(ctx, lib.lang, NULL, NULL, 0);
  if (st != VB_OK) {
    if (!vb_diag_count(ctx))
      fprintf(stderr, "vanban: %s\n", vb_status_str(st, lib.lang));
    goto out;
  }
  if (vb_write_file(output, (const unsigned char *)xml, xml_len) != VB_OK) {
    cli_write_error(lib.lang, output, errno);
    goto out;
  }
  if (!quiet)
    cli_written(lib.lang, &output, NULL, 1);
  rc = 0;
out:
  vb_free(ctx, xml);
  vb_ctx_free(ctx);
  free(data);
  return rc;
}
