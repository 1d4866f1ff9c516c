/* common.c - what the subcommands of `vanban` share: messages in the
 * chosen language, reading an input, printing diagnostics. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_tr(vb_lang lang, const char *vi, const char *en) {
  return lang == VB_LANG_EN ? en : vi;
}

void cli_usage(FILE *fp, vb_lang lang) {
  fputs(cli_tr(lang,
           "Cách dùng:\n"
           "  vanban check TỆP.xml [--lang vi|en]\n"
           "  vanban render TỆP.xml [-o TỆP_RA] [--format pdf,docx]\n"
           "                [--out-dir THƯ_MỤC] [--lang vi|en]\n"
           "                [--margins TRÊN,DƯỚI,TRÁI,PHẢI]\n"
           "  vanban extract MẪU_ĐÃ_ĐIỀN.docx [-o TỆP.xml] [--lang vi|en]\n"
           "                [--register SỔ.db [--dinh-chinh]]\n"
           "  vanban register init SỔ.db --co-quan TÊN --ky-hieu KÝ_HIỆU\n"
           "                --profile nd30|mttq|hd36 [--nhiem-ky TỪ:ĐẾN]\n"
           "  vanban register nhiem-ky SỔ.db YYYY-MM-DD:YYYY-MM-DD\n"
           "  vanban register add-body SỔ.db --co-quan TÊN --ky-hieu KÝ_HIỆU\n"
           "  vanban register list SỔ.db [--year NĂM] [--type KH]\n"
           "  vanban register export SỔ.db -o TỆP.csv|TỆP.xlsx [--year NĂM]\n"
           "                [--type KH]\n"
           "  vanban register print SỔ.db -o SỔ.pdf|SỔ.docx [--year NĂM]\n"
           "                [--type KH]\n"
           "  vanban --version\n"
           "TỆP là \"-\" để đọc từ đầu vào chuẩn; -o - ghi ra đầu ra chuẩn.\n"
           "Định dạng: pdf, docx, tree (cây văn bản), layout (vị trí từng "
           "dòng).\n",
           "Usage:\n"
           "  vanban check FILE.xml [--lang vi|en]\n"
           "  vanban render FILE.xml [-o OUT] [--format pdf,docx]\n"
           "                [--out-dir DIR] [--lang vi|en]\n"
           "                [--margins TOP,BOTTOM,LEFT,RIGHT]\n"
           "  vanban extract FILLED.docx [-o FILE.xml] [--lang vi|en]\n"
           "                [--register BOOK.db [--dinh-chinh]]\n"
           "  vanban register init BOOK.db --co-quan NAME --ky-hieu SYMBOL\n"
           "                --profile nd30|mttq|hd36 [--nhiem-ky FROM:TO]\n"
           "  vanban register nhiem-ky BOOK.db YYYY-MM-DD:YYYY-MM-DD\n"
           "  vanban register add-body BOOK.db --co-quan NAME --ky-hieu SYMBOL\n"
           "  vanban register list BOOK.db [--year YEAR] [--type KH]\n"
           "  vanban register export BOOK.db -o FILE.csv|FILE.xlsx\n"
           "                [--year YEAR] [--type KH]\n"
           "  vanban register print BOOK.db -o BOOK.pdf|BOOK.docx\n"
           "                [--year YEAR] [--type KH]\n"
           "  vanban --version\n"
           "FILE \"-\" reads standard input; -o - writes standard output.\n"
           "Formats: pdf, docx, tree (document tree), layout (placed "
           "lines).\n"),
        fp);
}

char *cli_read_input(const char *path, size_t *len) {
  FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  char *data = NULL, *p;
  size_t cap = 0, n = 0, got;
  if (!fp)
    return NULL;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      if (cap > MAX_READ + 1 || !(p = realloc(data, cap))) {
        free(data);
        data = NULL;
        errno = EFBIG;
        break;
      }
      data = p;
    }
    got = fread(data + n, 1, cap - n, fp);
    n += got;
    if (got == 0)
      break;
  }
  if (data && ferror(fp)) {
    free(data);
    data = NULL;
  }
  if (fp != stdin)
    fclose(fp);
  *len = n;
  return data;
}

/* Prints the source line of a diagnostic with a caret under its column
 * (jq locfile_locate). */
static void show_line(const char *data, size_t len, unsigned line,
                      unsigned col) {
  size_t i = 0, start;
  unsigned l = 1, c;
  if (!line || !col)
    return;
  while (i < len && l < line)
    if (data[i++] == '\n')
      l++;
  if (l != line || i >= len)
    return;
  start = i;
  while (i < len && data[i] != '\n' && i - start < 200)
    i++;
  fprintf(stderr, "  %.*s\n  ", (int)(i - start), data + start);
  for (c = 1, i = start; c < col && i < len && data[i] != '\n'; c++) {
    /* advance one character (UTF-8) */
    fputc(data[i] == '\t' ? '\t' : ' ', stderr);
    i++;
    while (i < len && ((unsigned char)data[i] & 0xC0) == 0x80)
      i++;
  }
  fputs("^\n", stderr);
}

void cli_print_diags(vb_ctx *ctx, vb_lang lang, const char *data,
                     size_t len) {
  size_t i, n = vb_diag_count(ctx), errs = 0, warns = 0;
  for (i = 0; i < n; i++) {
    const vb_diag *d = vb_diag_at(ctx, i);
    char *msg = vb_diag_format(ctx, d, lang);
    if (!msg)
      continue;
    fprintf(stderr, "%s\n", msg);
    vb_free(ctx, msg);
    if (data && !d->table) /* a list's row is no line of `data` */
      show_line(data, len, d->line, d->col);
    if (d->severity == VB_SEV_ERROR)
      errs++;
    else
      warns++;
  }
  if (vb_error_count(ctx) > errs)
    errs = vb_error_count(ctx);
  if (errs || warns)
    fprintf(stderr, cli_tr(lang, "%zu lỗi, %zu cảnh báo.\n",
                       "%zu error(s), %zu warning(s).\n"),
            errs, warns);
}

