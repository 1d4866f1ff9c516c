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
  int i, rc = EXIT_INPUT;
  vb_status st;
  memset(&lib, 0, sizeof(lib));
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--lang") && v && (!strcmp(v, "vi") || !strcmp(v, "en"))) {
      lib.lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
      i++;
    } else if (!strcmp(a, "-o") && v) {
      output = v;
      i++;
    } else if (a[0] == '-' && a[1]) {
      input = NULL;
      break;
    } else if (!input) {
      input = a;
    } else {
      input = NULL;
      break;
    }
  }
  if (!input || i < argc) {
    cli_usage(stderr, lib.lang);
    return EXIT_USAGE;
  }
  data = cli_read_input(input, &len);
  if (!data) {
    fprintf(stderr, "%s: %s[X005]: %s: %s\n", input,
            cli_tr(lib.lang, "lỗi", "error"),
            cli_tr(lib.lang, "không đọc được tệp", "cannot read the file"),
            strerror(errno));
    return EXIT_INPUT;
  }
  ctx = vb_ctx_new(&lib);
  if (!ctx) {
    fputs("vanban: out of memory\n", stderr);
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
    fprintf(stderr, "vanban: %s: %s: %s\n", output,
            cli_tr(lib.lang, "không ghi được tệp", "cannot write the file"),
            strerror(errno));
    goto out;
  }
  rc = 0;
out:
  vb_free(ctx, xml);
  vb_ctx_free(ctx);
  free(data);
  return rc;
}
