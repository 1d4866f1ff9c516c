/* json.c - diagnostics as JSON for programs (`vanban check --errors
 * json`): one array, one object per diagnostic, in input order. */
#include <string.h>

#include "cli.h"

/* A JSON string: quotes, backslashes and control characters escaped;
 * UTF-8 passes through. */
static void string(FILE *fp, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  fputc('"', fp);
  for (; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(fp, "\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", fp);
    else if (*p == '\t')
      fputs("\\t", fp);
    else if (*p < 0x20 || *p == 0x7F)
      fprintf(fp, "\\u%04x", *p);
    else
      fputc(*p, fp);
  }
  fputc('"', fp);
}

/* The message without its "file:line:col: lỗi[ID]: " head. */
static const char *message(const char *formatted) {
  const char *p = strstr(formatted, "]: ");
  return p ? p + 3 : formatted;
}

void cli_print_diags_json(vb_ctx *ctx, vb_lang lang, FILE *fp) {
  size_t i, n = vb_diag_count(ctx);
  fputs("[", fp);
  for (i = 0; i < n; i++) {
    const vb_diag *d = vb_diag_at(ctx, i);
    char *msg = vb_diag_format(ctx, d, lang);
    fputs(i ? ",\n {" : "\n {", fp);
    fputs("\"file\": ", fp);
    string(fp, d->file);
    fprintf(fp, ", \"line\": %u, \"column\": %u, \"severity\": \"%s\", ",
            d->line, d->col, d->severity == VB_SEV_ERROR ? "error" : "warning");
    fputs("\"rule\": ", fp);
    string(fp, vb_code_id(d->code));
    fputs(", \"message\": ", fp);
    string(fp, msg ? message(msg) : "");
    fputs(", \"field\": ", fp);
    if (d->field)
      string(fp, d->field);
    else
      fputs("null", fp);
    fputs("}", fp);
    vb_free(ctx, msg);
  }
  fputs(n ? "\n]\n" : "]\n", fp);
}
