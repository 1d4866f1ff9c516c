/* common.c - what the subcommands of `vanban` share: messages in the
 * chosen language, the help of every subcommand and the usage errors that
 * name the argument and what is allowed, reading an input, printing
 * diagnostics with every control character escaped, saying what was
 * written. */
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

/* The usage and options of each subcommand, in both languages; `vanban
 * --help` prints every usage line, `vanban COMMAND --help` one entry. */
static const struct help {
  const char *cmd;
  const char *usage_vi, *usage_en; /* the usage lines */
  const char *opts_vi, *opts_en;   /* the options, one a line */
  const char *names;               /* the option names, for a usage error */
} helps[] = {
    {"check",
     "  vanban check TỆP.xml [--lang vi|en] [--errors json|text] [--quiet]\n",
     "  vanban check FILE.xml [--lang vi|en] [--errors json|text] [--quiet]\n",
     "Kiểm tra văn bản, không ghi tệp nào.\n"
     "  --lang vi|en         ngôn ngữ của thông báo\n"
     "  --errors json|text   lỗi dạng JSON ra đầu ra chuẩn\n"
     "  --quiet              không báo \"hợp lệ\"\n",
     "Checks the document; writes no file.\n"
     "  --lang vi|en         language of the messages\n"
     "  --errors json|text   diagnostics as JSON on standard output\n"
     "  --quiet              do not say \"valid\"\n",
     "--lang, --errors, --quiet, --help"},
    {"render",
     "  vanban render TỆP.xml [-o TỆP_RA] [--format pdf,docx]\n"
     "                [--out-dir THƯ_MỤC] [--lang vi|en] [--quiet]\n"
     "                [--margins TRÊN,DƯỚI,TRÁI,PHẢI]\n"
     "                [--register SỔ.db [--dinh-chinh]]\n",
     "  vanban render FILE.xml [-o OUT] [--format pdf,docx]\n"
     "                [--out-dir DIR] [--lang vi|en] [--quiet]\n"
     "                [--margins TOP,BOTTOM,LEFT,RIGHT]\n"
     "                [--register BOOK.db [--dinh-chinh]]\n",
     "Kiểm tra rồi ghi văn bản ra PDF và DOCX.\n"
     "  -o TỆP_RA            tên tệp ra (một định dạng; - là đầu ra chuẩn)\n"
     "  --format DS          pdf, docx, tree, layout, cách nhau bằng dấu "
     "phẩy\n"
     "  --out-dir THƯ_MỤC    thư mục ghi tệp ra (tạo nếu chưa có)\n"
     "  --margins T,D,TR,PH  lề trên, dưới, trái, phải (mm)\n"
     "  --register SỔ.db     lấy số từ sổ đăng ký văn bản đi\n"
     "  --dinh-chinh         cùng --register: đính chính văn bản đã cấp số\n"
     "  --lang vi|en         ngôn ngữ của thông báo\n"
     "  --errors json|text   dạng của thông báo lỗi\n"
     "  --quiet              không báo các tệp đã ghi\n",
     "Checks the document, then writes it as PDF and DOCX.\n"
     "  -o OUT               output file (one format; - is standard output)\n"
     "  --format LIST        pdf, docx, tree, layout, separated by commas\n"
     "  --out-dir DIR        folder of the outputs (created if missing)\n"
     "  --margins T,B,L,R    top, bottom, left, right margins (mm)\n"
     "  --register BOOK.db   take the number from the register\n"
     "  --dinh-chinh         with --register: correct a numbered document\n"
     "  --lang vi|en         language of the messages\n"
     "  --errors json|text   form of the diagnostics\n"
     "  --quiet              do not list the files written\n",
     "-o, --format, --out-dir, --margins, --register, --dinh-chinh, --lang, "
     "--errors, --quiet, --help"},
    {"templates",
     "  vanban templates [TÊN_MẪU] [--lang vi|en]\n",
     "  vanban templates [KIND] [--lang vi|en]\n",
     "Các loại văn bản; với TÊN_MẪU, các trường của loại đó.\n"
     "  --lang vi|en         ngôn ngữ\n",
     "The kinds of document; with KIND, the fields of that kind.\n"
     "  --lang vi|en         language\n",
     "--lang, --help"},
    {"form",
     "  vanban form TÊN_MẪU [-o TỆP_RA] [--from BẢN_NHÁP.xml]\n"
     "                [--format docx|pdf] [--lang vi|en] [--quiet]\n",
     "  vanban form KIND [-o OUT] [--from DRAFT.xml]\n"
     "                [--format docx|pdf] [--lang vi|en] [--quiet]\n",
     "Mẫu trống để điền bằng Word (docx) hay in ra (pdf).\n"
     "  -o TỆP_RA            tên tệp ra (mặc định TÊN_MẪU.docx)\n"
     "  --from BẢN_NHÁP.xml  điền sẵn từ một bản nháp\n"
     "  --format docx|pdf    định dạng\n"
     "  --lang vi|en         ngôn ngữ của thông báo\n"
     "  --quiet              không báo tệp đã ghi\n",
     "A blank form to fill in Word (docx) or to print (pdf).\n"
     "  -o OUT               output file (KIND.docx by default)\n"
     "  --from DRAFT.xml     prefilled from a draft\n"
     "  --format docx|pdf    format\n"
     "  --lang vi|en         language of the messages\n"
     "  --quiet              do not say what was written\n",
     "-o, --from, --format, --lang, --quiet, --help"},
    {"extract",
     "  vanban extract MẪU_ĐÃ_ĐIỀN.docx [-o TỆP.xml] [--lang vi|en] "
     "[--quiet]\n",
     "  vanban extract FILLED.docx [-o FILE.xml] [--lang vi|en] [--quiet]\n",
     "Đọc mẫu Word đã điền, ra văn bản XML (mặc định ra đầu ra chuẩn).\n"
     "  -o TỆP.xml           tên tệp ra\n"
     "  --lang vi|en         ngôn ngữ của thông báo\n"
     "  --quiet              không báo tệp đã ghi\n",
     "Reads a filled Word form back as XML (standard output by default).\n"
     "  -o FILE.xml          output file\n"
     "  --lang vi|en         language of the messages\n"
     "  --quiet              do not say what was written\n",
     "-o, --lang, --quiet, --help"},
    {"register",
     "  vanban register init SỔ.db --co-quan TÊN --ky-hieu KÝ_HIỆU\n"
     "                --profile nd30|mttq|hd36 [--nhiem-ky TỪ:ĐẾN]\n"
     "  vanban register nhiem-ky SỔ.db YYYY-MM-DD:YYYY-MM-DD\n"
     "  vanban register add-body SỔ.db --co-quan TÊN --ky-hieu KÝ_HIỆU\n"
     "  vanban register list SỔ.db [--year NĂM] [--type KH]\n"
     "  vanban register export SỔ.db -o TỆP.csv|TỆP.xlsx [--year NĂM]\n"
     "                [--type KH]\n"
     "  vanban register print SỔ.db -o SỔ.pdf|SỔ.docx [--year NĂM]\n"
     "                [--type KH]\n",
     "  vanban register init BOOK.db --co-quan NAME --ky-hieu SYMBOL\n"
     "                --profile nd30|mttq|hd36 [--nhiem-ky FROM:TO]\n"
     "  vanban register nhiem-ky BOOK.db YYYY-MM-DD:YYYY-MM-DD\n"
     "  vanban register add-body BOOK.db --co-quan NAME --ky-hieu SYMBOL\n"
     "  vanban register list BOOK.db [--year YEAR] [--type KH]\n"
     "  vanban register export BOOK.db -o FILE.csv|FILE.xlsx\n"
     "                [--year YEAR] [--type KH]\n"
     "  vanban register print BOOK.db -o BOOK.pdf|BOOK.docx\n"
     "                [--year YEAR] [--type KH]\n",
     "Sổ đăng ký văn bản đi (SQLite): tạo sổ, thêm nhiệm kỳ, thêm cơ quan,\n"
     "liệt kê, xuất ra CSV hay XLSX, in sổ (PDF, DOCX).\n"
     "  --lang vi|en         ngôn ngữ của thông báo\n",
     "The register of outgoing documents (SQLite): create it, add a term,\n"
     "add a body, list, export to CSV or XLSX, print the sổ (PDF, DOCX).\n"
     "  --lang vi|en         language of the messages\n",
     "--co-quan, --ky-hieu, --profile, --nhiem-ky, --year, --type, -o, "
     "--lang, --help"},
    {"batch",
     "  vanban batch MẪU DANH_SÁCH.xlsx|.csv -o TỆP.pdf\n"
     "  vanban batch MẪU DANH_SÁCH --split THƯ_MỤC [--format pdf,docx]\n"
     "  vanban batch MẪU DANH_SÁCH --check\n"
     "  vanban batch MẪU --from QUYẾT_ĐỊNH.xml -o TỆP.pdf\n",
     "  vanban batch KIND LIST.xlsx|.csv -o FILE.pdf\n"
     "  vanban batch KIND LIST --split DIR [--format pdf,docx]\n"
     "  vanban batch KIND LIST --check\n"
     "  vanban batch KIND --from DECISION.xml -o FILE.pdf\n",
     "In một loại văn bản cho mỗi dòng của danh sách (docs/batch.md).\n"
     "  -o TỆP.pdf           một tệp PDF, mỗi dòng một trang\n"
     "  --split THƯ_MỤC      mỗi dòng một tệp trong thư mục\n"
     "  --format pdf,docx    định dạng của các tệp --split\n"
     "  --check              chỉ kiểm tra mọi dòng, không ghi gì\n"
     "  --from QĐ.xml        các dòng, số và ngày của quyết định công nhận\n"
     "  --overlay            chỉ in chữ, lên phôi in sẵn\n"
     "  --offset X,Y         dịch chữ X, Y mm (với --overlay)\n"
     "  --sheet TÊN          trang tính của tệp XLSX\n"
     "  --kho A4|A3          khổ giấy\n"
     "  --the-thuc nd30|hd36|mttq  thể thức\n"
     "  --ten-tep CỘT        cột đặt tên tệp --split\n"
     "  --keep-going         in các dòng hợp lệ, liệt kê dòng lỗi\n"
     "  --force              ghi đè tệp đã có\n"
     "  --jobs N             số tiến trình khi --split\n"
     "  --quiet              không báo tiến độ\n"
     "  --lang vi|en         ngôn ngữ của thông báo\n",
     "Prints one kind of document for each row of a list (docs/batch.md).\n"
     "  -o FILE.pdf          one PDF, one page a row\n"
     "  --split DIR          one file a row in the folder\n"
     "  --format pdf,docx    formats of the --split files\n"
     "  --check              only check every row, write nothing\n"
     "  --from DECISION.xml  the rows, number and date of a decision\n"
     "  --overlay            text only, for pre-printed forms\n"
     "  --offset X,Y         shift the text X, Y mm (with --overlay)\n"
     "  --sheet NAME         the sheet of an XLSX file\n"
     "  --kho A4|A3          paper size\n"
     "  --the-thuc nd30|hd36|mttq  profile\n"
     "  --ten-tep COLUMN     column naming the --split files\n"
     "  --keep-going         print the valid rows, list the others\n"
     "  --force              overwrite existing files\n"
     "  --jobs N             processes for --split\n"
     "  --quiet              no progress bar\n"
     "  --lang vi|en         language of the messages\n",
     "-o, --split, --format, --check, --from, --overlay, --offset, --sheet, "
     "--kho, --the-thuc, --ten-tep, --keep-going, --force, --jobs, --quiet, "
     "--lang, --help"},
};

#define NHELPS (sizeof(helps) / sizeof(helps[0]))

static const struct help *help_of(const char *cmd) {
  size_t i;
  for (i = 0; i < NHELPS; i++)
    if (!strcmp(helps[i].cmd, cmd))
      return &helps[i];
  return NULL;
}

void cli_usage(FILE *fp, vb_lang lang) {
  size_t i;
  fputs(cli_tr(lang, "Cách dùng:\n", "Usage:\n"), fp);
  for (i = 0; i < NHELPS; i++)
    fputs(cli_tr(lang, helps[i].usage_vi, helps[i].usage_en), fp);
  fputs(cli_tr(lang,
               "  vanban help LỆNH | vanban LỆNH --help\n"
               "  vanban --version\n"
               "TỆP là \"-\" để đọc từ đầu vào chuẩn; -o - ghi ra đầu ra "
               "chuẩn.\n"
               "Định dạng: pdf, docx, tree (cây văn bản), layout (vị trí "
               "từng dòng).\n"
               "--lang en ở bất cứ đâu trên dòng lệnh: thông báo tiếng "
               "Anh.\n",
               "  vanban help COMMAND | vanban COMMAND --help\n"
               "  vanban --version\n"
               "FILE \"-\" reads standard input; -o - writes standard "
               "output.\n"
               "Formats: pdf, docx, tree (document tree), layout (placed "
               "lines).\n"
               "--lang en anywhere on the line: messages in English.\n"),
        fp);
}

int cli_help(FILE *fp, vb_lang lang, const char *cmd) {
  const struct help *h = help_of(cmd);
  if (!h)
    return 0;
  fputs(cli_tr(lang, "Cách dùng:\n", "Usage:\n"), fp);
  fputs(cli_tr(lang, h->usage_vi, h->usage_en), fp);
  fputc('\n', fp);
  fputs(cli_tr(lang, h->opts_vi, h->opts_en), fp);
  return 1;
}

vb_lang cli_lang(int argc, char **argv) {
  int i;
  vb_lang lang = VB_LANG_VI;
  for (i = 0; i + 1 < argc; i++)
    if (argv[i] && !strcmp(argv[i], "--lang") && argv[i + 1])
      lang = !strcmp(argv[i + 1], "en") ? VB_LANG_EN : VB_LANG_VI;
  return lang;
}

int cli_wants_help(int argc, char **argv) {
  int i;
  for (i = 1; i < argc && argv[i]; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
      return 1;
  return 0;
}

void cli_bad_arg(vb_lang lang, const char *opt, const char *value,
                 const char *vi, const char *en) {
  fputs("vanban: ", stderr);
  cli_put(stderr, opt);
  if (value) {
    fputs(" \"", stderr);
    cli_put(stderr, value);
    fputc('"', stderr);
  }
  fputs(": ", stderr);
  fputs(cli_tr(lang, vi, en), stderr);
  fputc('\n', stderr);
}

void cli_unknown_option(vb_lang lang, const char *cmd, const char *arg) {
  const struct help *h = help_of(cmd);
  fprintf(stderr, "vanban %s: ", cmd);
  cli_put(stderr, arg);
  fprintf(stderr,
          cli_tr(lang,
                 ": không có tùy chọn này; tùy chọn của %s: %s (xem vanban "
                 "%s --help)\n",
                 ": no such option; the options of %s: %s (see vanban %s "
                 "--help)\n"),
          cmd, h ? h->names : "--help", cmd);
}

void cli_missing_value(vb_lang lang, const char *opt, const char *vi,
                       const char *en) {
  fprintf(stderr, cli_tr(lang, "vanban: %s: thiếu giá trị sau nó (%s)\n",
                         "vanban: %s: the value after it is missing (%s)\n"),
          opt, cli_tr(lang, vi, en));
}

void cli_extra_arg(vb_lang lang, const char *cmd, const char *arg,
                   const char *vi, const char *en) {
  fprintf(stderr, "vanban %s: \"", cmd);
  cli_put(stderr, arg);
  fprintf(stderr, cli_tr(lang, "\": thừa đối số; %s nhận %s\n",
                         "\": one argument too many; %s takes %s\n"),
          cmd, cli_tr(lang, vi, en));
}

void cli_missing_arg(vb_lang lang, const char *cmd, const char *vi,
                     const char *en) {
  fprintf(stderr, cli_tr(lang, "vanban %s: thiếu %s; xem vanban %s --help\n",
                         "vanban %s: %s is missing; see vanban %s --help\n"),
          cmd, cli_tr(lang, vi, en), cmd);
}

void cli_unknown_command(vb_lang lang, const char *arg) {
  size_t i;
  fputs("vanban: \"", stderr);
  cli_put(stderr, arg);
  fputs(cli_tr(lang, "\": không có lệnh này; các lệnh: ",
               "\": no such command; the commands: "),
        stderr);
  for (i = 0; i < NHELPS; i++)
    fprintf(stderr, "%s%s", i ? ", " : "", helps[i].cmd);
  fputs(cli_tr(lang, " (xem vanban --help)\n", " (see vanban --help)\n"),
        stderr);
}

void cli_read_error(vb_lang lang, const char *path, int err) {
  /* X005 through the message table, in the chosen language */
  vb_options opt;
  vb_ctx *ctx;
  vb_diag d;
  char *msg = NULL;
  memset(&opt, 0, sizeof(opt));
  opt.lang = lang;
  memset(&d, 0, sizeof(d));
  d.code = VB_C_IO;
  d.severity = VB_SEV_ERROR;
  d.file = path;
  d.arg[0] = vb_errno_str(err, lang);
  ctx = err == ENOMEM ? NULL : vb_ctx_new(&opt);
  if (ctx)
    msg = vb_diag_format(ctx, &d, lang);
  if (msg) {
    cli_put(stderr, msg);
    fputc('\n', stderr);
  } else {
    fputs("vanban: ", stderr);
    cli_put(stderr, path);
    fprintf(stderr, ": %s\n", vb_status_str(VB_ENOMEM, lang));
  }
  vb_free(ctx, msg);
  vb_ctx_free(ctx);
}

void cli_write_error(vb_lang lang, const char *path, int err) {
  fputs("vanban: ", stderr);
  cli_put(stderr, path ? path : "?");
  fprintf(stderr, ": %s: %s\n",
          cli_tr(lang, "không ghi được tệp", "cannot write the file"),
          vb_errno_str(err, lang));
}

void cli_counts(FILE *fp, vb_lang lang, size_t errs, size_t warns) {
  if (lang == VB_LANG_EN)
    fprintf(fp, "%zu error%s, %zu warning%s", errs, errs == 1 ? "" : "s",
            warns, warns == 1 ? "" : "s");
  else
    fprintf(fp, "%zu lỗi, %zu cảnh báo", errs, warns);
}

void cli_written(vb_lang lang, const char *const *paths, const int *pages,
                 size_t n) {
  size_t i, shown = 0;
  for (i = 0; i < n; i++) {
    if (!paths[i] || !strcmp(paths[i], "-"))
      continue;
    fputs(shown++ ? ", " : cli_tr(lang, "đã ghi ", "wrote "), stderr);
    cli_put(stderr, paths[i]);
    if (pages && pages[i] > 0) {
      if (lang == VB_LANG_EN)
        fprintf(stderr, " (%d page%s)", pages[i], pages[i] == 1 ? "" : "s");
      else
        fprintf(stderr, " (%d trang)", pages[i]);
    }
  }
  if (shown)
    fputc('\n', stderr);
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
  if (errs || warns) {
    cli_counts(stderr, lang, errs, warns);
    fputs(".\n", stderr);
  }
}
