/* common.c - what the subcommands of `vanban` share: messages in the
 * chosen language, reading an input, printing diagnostics with every
 * control character escaped. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
           "  vanban --version\n"
           "FILE \"-\" reads standard input; -o - writes standard output.\n"
           "Formats: pdf, docx, tree (document tree), layout (placed "
           "lines).\n"),
        fp);
}

char *cli_read_file(const char *path, size_t *len, int regular_only,
                    struct stat *st) {
  char *data = NULL, *p;
  size_t cap = 0, n = 0;
  ssize_t got;
  int fd, err = 0;
  *len = 0;
  if (!strcmp(path, "-")) {
    fd = STDIN_FILENO;
  } else {
    /* non-blocking, so that opening a FIFO does not wait for a writer;
     * reads block again below when the FIFO is the user's own input */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
      return NULL;
  }
  if (fstat(fd, st) != 0) {
    err = errno;
  } else if (S_ISDIR(st->st_mode)) {
    err = EISDIR;
  } else if (regular_only && !S_ISREG(st->st_mode)) {
    err = EINVAL;
  } else if (fd != STDIN_FILENO) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
      err = errno;
  }
  while (!err) {
    if (n == cap) {
      /* one byte past MAX_READ is enough for the library to say the file
       * is over its limit (X009) */
      if (cap > MAX_READ) {
        break;
      }
      cap = cap ? cap * 2 : 65536;
      if (cap > MAX_READ + 1)
        cap = MAX_READ + 1;
      if (!(p = realloc(data, cap))) {
        err = ENOMEM;
        break;
      }
      data = p;
    }
    got = read(fd, data + n, cap - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      err = errno;
      break;
    }
    if (got == 0)
      break;
    n += (size_t)got;
  }
  if (fd != STDIN_FILENO)
    close(fd);
  if (!err && !data && !(data = malloc(1)))
    err = ENOMEM;
  if (err) {
    free(data);
    errno = err;
    return NULL;
  }
  *len = n;
  return data;
}

char *cli_read_input(const char *path, size_t *len) {
  struct stat st;
  return cli_read_file(path, len, 0, &st);
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp) {
  size_t k, need;
  unsigned c = s[0], min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF)
    need = 1, c &= 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF)
    need = 2, c &= 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4)
    need = 3, c &= 0x07, min = 0x10000;
  else
    return 0;
  if (n <= need)
    return 0;
  for (k = 1; k <= need; k++) {
    if ((s[k] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[k] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return need + 1;
}

/* Characters a terminal must not receive raw: C0 and C1 controls, DEL
 * (an ESC sequence can rewrite the screen), and the controls that reorder
 * text on terminals that do bidirectional layout. */
static int unsafe(unsigned cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0x2028 ||
         cp == 0x2029;
}

/* Writes the character at s[*i] to fp (fp NULL: only measures), escaped
 * when unsafe ("\x1B" for a byte, "\u202E" for a code point; a tab stays
 * a tab when keep_tab); advances *i and returns the columns it takes. */
static size_t put_char(FILE *fp, const char *s, size_t n, size_t *i,
                       int keep_tab) {
  const unsigned char *u = (const unsigned char *)s + *i;
  unsigned cp = 0;
  size_t k = utf8_len(u, n - *i, &cp);
  if (!k) {
    if (fp)
      fprintf(fp, "\\x%02X", u[0]); /* not UTF-8: one byte */
    *i += 1;
    return 4;
  }
  *i += k;
  if (cp == '\t' && keep_tab) {
    if (fp)
      fputc('\t', fp);
    return 1;
  }
  if (unsafe(cp)) {
    if (fp)
      fprintf(fp, cp < 0x80 ? "\\x%02X" : "\\u%04X", cp);
    return cp < 0x80 ? 4 : 6;
  }
  if (fp)
    fwrite(u, 1, k, fp);
  return 1;
}

void cli_put(FILE *fp, const char *s) {
  size_t i = 0, n = strlen(s);
  while (i < n)
    put_char(fp, s, n, &i, 0);
}

/* Longest part of a source line shown, in bytes: a window around the
 * column in a longer line. */
#define SHOW_MAX 200

/* Prints the source line of a diagnostic with a caret under its column
 * (jq locfile_locate), escaped, cut at character boundaries to a window
 * that holds the column. */
static void show_line(const char *data, size_t len, unsigned line,
                      unsigned col) {
  size_t i = 0, start, end, at, k;
  unsigned l = 1, c;
  if (!line || !col)
    return;
  while (i < len && l < line)
    if (data[i++] == '\n')
      l++;
  if (l != line || i >= len)
    return;
  start = i;
  /* the byte offset of the column */
  for (c = 1, at = start; c < col && at < len && data[at] != '\n'; c++) {
    at++;
    while (at < len && ((unsigned char)data[at] & 0xC0) == 0x80)
      at++;
  }
  if (at - start > SHOW_MAX / 2) {
    start = at - SHOW_MAX / 2;
    while (start < at && ((unsigned char)data[start] & 0xC0) == 0x80)
      start++;
  }
  for (end = start; end < len && data[end] != '\n' && end - start < SHOW_MAX;)
    end++;
  while (end > at && end < len && data[end] != '\n' &&
         ((unsigned char)data[end] & 0xC0) == 0x80)
    end--; /* never cut inside a character */
  if (end > start && data[end - 1] == '\r')
    end--;
  fputs("  ", stderr);
  if (start > i)
    fputs("…", stderr);
  for (k = start; k < end;)
    put_char(stderr, data, end, &k, 1);
  fputs("\n  ", stderr);
  if (start > i)
    fputc(' ', stderr);
  for (k = start; k < at && k < end;) {
    size_t w;
    if (data[k] == '\t') {
      fputc('\t', stderr);
      k++;
      continue;
    }
    for (w = put_char(NULL, data, end, &k, 1); w > 0; w--)
      fputc(' ', stderr);
  }
  fputs("^\n", stderr);
}

/* Largest data file (a profile) whose lines a diagnostic shows. */
#define SHOW_FILE_MAX ((size_t)8 << 20)

void cli_print_diags(vb_ctx *ctx, vb_lang lang, const char *name,
                     const char *data, size_t len) {
  size_t i, n = vb_diag_count(ctx), errs = 0, warns = 0, olen = 0;
  char *other = NULL;       /* another file a diagnostic points into */
  const char *other_name = NULL;
  for (i = 0; i < n; i++) {
    const vb_diag *d = vb_diag_at(ctx, i);
    char *msg = vb_diag_format(ctx, d, lang);
    if (!msg)
      continue;
    cli_put(stderr, msg);
    fputc('\n', stderr);
    vb_free(ctx, msg);
    if (name && data && !d->table && !strcmp(d->file, name)) {
      show_line(data, len, d->line, d->col);
    } else if (name && d->line && d->col && strcmp(d->file, "-")) {
      /* a profile's line from the profile itself: read once, regular
       * files only (a FIFO must not hang the command) */
      if (!other_name || strcmp(other_name, d->file)) {
        struct stat st;
        free(other);
        other = cli_read_file(d->file, &olen, 1, &st);
        if (other && olen > SHOW_FILE_MAX) {
          free(other);
          other = NULL;
        }
        other_name = d->file;
      }
      if (other)
        show_line(other, olen, d->line, d->col);
    }
    if (d->severity == VB_SEV_ERROR)
      errs++;
    else
      warns++;
  }
  free(other);
  if (vb_error_count(ctx) > errs)
    errs = vb_error_count(ctx);
  if (errs || warns)
    fprintf(stderr, cli_tr(lang, "%zu lỗi, %zu cảnh báo.\n",
                       "%zu error(s), %zu warning(s).\n"),
            errs, warns);
}
