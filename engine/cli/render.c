/* render.c - `vanban check` and `vanban render`: read, validate, compose
 * and write the PDF, DOCX and text dumps. Never writes over the input;
 * every output goes to a temporary file first, renamed into place only
 * when all of them are written; a signal removes the temporary files. */
#define _DEFAULT_SOURCE /* realpath */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

struct opts {
  const char *cmd, *input, *output, *out_dir;
  const char *reg; /* --register: number from this register */
  int formats, correct;
  int json; /* --errors json: diagnostics as JSON on standard output */
  int quiet; /* --quiet: nothing said on success */
  vb_lang lang;
  vb_options lib;
};

/* "pdf,docx": the formats, or -1 for an unknown or empty name. Read in
 * place: a copy into a fixed buffer would cut a long list. */
static int parse_formats(const char *s) {
  static const struct {
    const char *name;
    int f;
  } names[] = {{"pdf", VB_FORMAT_PDF},
               {"docx", VB_FORMAT_DOCX},
               {"tree", VB_FORMAT_TREE},
               {"layout", VB_FORMAT_LAYOUT}};
  int f = 0;
  for (;;) {
    const char *end = strchr(s, ',');
    size_t n = end ? (size_t)(end - s) : strlen(s), i;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
      if (strlen(names[i].name) == n && !strncmp(s, names[i].name, n))
        break;
    if (i == sizeof(names) / sizeof(names[0]))
      return -1;
    f |= names[i].f;
    if (!end)
      return f;
    s = end + 1;
  }
}

/* "25,20,35,20": four finite numbers of millimetres, none negative, none
 * empty. strtod alone would let "nan", "inf" and "1e400" through, and a
 * NaN passes every range check after it. */
static int parse_margins(const char *s, double out[4]) {
  int k;
  for (k = 0; k < 4; k++) {
    char *end = NULL;
    if (*s == ',' || *s == '\0' || *s == ' ' || *s == '\t')
      return 0;
    errno = 0;
    out[k] = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(out[k]) || out[k] < 0)
      return 0;
    if (k < 3 && *end != ',')
      return 0;
    if (k == 3 && *end != '\0')
      return 0;
    s = end + 1;
  }
  return 1;
}

/* The options that take a value, and what the value may be. */
static const struct value_opt {
  const char *name;
  int render_only; /* not an option of check */
  const char *vi, *en;
} value_opts[] = {
    {"--lang", 0, "vi hoặc en", "vi or en"},
    {"--errors", 0, "json hoặc text", "json or text"},
    {"-o", 1, "tên tệp ra, - là đầu ra chuẩn",
     "an output file name, - for standard output"},
    {"--out-dir", 1, "tên thư mục", "a folder name"},
    {"--register", 1, "tệp sổ đăng ký .db", "a register file .db"},
    {"--format", 1, "pdf, docx, tree, layout, cách nhau bằng dấu phẩy",
     "pdf, docx, tree, layout, separated by commas"},
    {"--margins", 1, "TRÊN,DƯỚI,TRÁI,PHẢI bằng milimét, ví dụ 20,20,30,15",
     "TOP,BOTTOM,LEFT,RIGHT in millimetres, e.g. 20,20,30,15"},
};

/* Returns 1, or 0 after printing why the arguments are wrong. */
static int parse_args(int argc, char **argv, struct opts *o) {
  int i, only_files = 0;
  size_t k;
  memset(o, 0, sizeof(*o));
  o->cmd = argv[0];
  /* --lang first, so that every message is in the chosen language */
  o->lang = cli_lang(argc, argv);
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    int check = !strcmp(o->cmd, "check");
    if (!a)
      return 0;
    if (only_files || a[0] != '-' || !a[1]) {
      /* a file name ("-": standard input) */
      if (o->input) {
        cli_extra_arg(o->lang, o->cmd, a, "một tệp đầu vào",
                      "one input file");
        return 0;
      }
      o->input = a;
      continue;
    }
    if (!strcmp(a, "--")) {
      only_files = 1;
      continue;
    }
    if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      o->quiet = 1;
      continue;
    }
    if (!strcmp(a, "--dinh-chinh") && !check) {
      o->correct = 1;
      continue;
    }
    for (k = 0; k < sizeof(value_opts) / sizeof(value_opts[0]); k++)
      if (!strcmp(a, value_opts[k].name) && !(check &&
                                              value_opts[k].render_only))
        break;
    if (k == sizeof(value_opts) / sizeof(value_opts[0])) {
      cli_unknown_option(o->lang, o->cmd, a);
      return 0;
    }
    if (!v) {
      cli_missing_value(o->lang, a, value_opts[k].vi, value_opts[k].en);
      return 0;
    }
    i++;
    if (!strcmp(a, "--lang")) {
      if (strcmp(v, "vi") && strcmp(v, "en")) {
        cli_bad_arg(o->lang, a, v, "dùng vi hoặc en", "use vi or en");
        return 0;
      }
      o->lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
    } else if (!strcmp(a, "--errors")) {
      if (strcmp(v, "json") && strcmp(v, "text")) {
        cli_bad_arg(o->lang, a, v, "dùng json hoặc text", "use json or text");
        return 0;
      }
      o->json = !strcmp(v, "json");
    } else if (!strcmp(a, "-o")) {
      if (!*v) {
        cli_bad_arg(o->lang, a, v, "tên tệp trống", "empty file name");
        return 0;
      }
      o->output = v;
    } else if (!strcmp(a, "--out-dir")) {
      /* "" would put the files into "/" */
      if (!*v) {
        cli_bad_arg(o->lang, a, v, "tên thư mục trống", "empty folder name");
        return 0;
      }
      o->out_dir = v;
    } else if (!strcmp(a, "--register")) {
      if (!*v) {
        cli_bad_arg(o->lang, a, v, "tên tệp trống", "empty file name");
        return 0;
      }
      o->reg = v;
    } else if (!strcmp(a, "--format")) {
      if ((o->formats = parse_formats(v)) <= 0) {
        cli_bad_arg(o->lang, a, v, "dùng pdf, docx, tree, layout, cách nhau "
                    "bằng dấu phẩy", "use pdf, docx, tree, layout, separated "
                    "by commas");
        return 0;
      }
    } else {
      double m[4];
      if (!parse_margins(v, m)) {
        cli_bad_arg(o->lang, a, v,
                    "cần bốn số milimét TRÊN,DƯỚI,TRÁI,PHẢI, dấu chấm thập "
                    "phân, ví dụ 20,20,30,15",
                    "needs four numbers of millimetres TOP,BOTTOM,LEFT,RIGHT, "
                    "with a decimal point, e.g. 20,20,30,15");
        return 0;
      }
      o->lib.margin_top = m[0];
      o->lib.margin_bottom = m[1];
      o->lib.margin_left = m[2];
      o->lib.margin_right = m[3];
    }
  }
  o->lib.lang = o->lang;
  if (!o->input) {
    cli_missing_arg(o->lang, o->cmd, "tệp đầu vào TỆP.xml (- là đầu vào chuẩn)",
                    "the input FILE.xml (- for standard input)");
    return 0;
  }
  if (o->correct && !o->reg) {
    cli_bad_arg(o->lang, "--dinh-chinh", NULL, "chỉ dùng cùng --register SỔ.db",
                "goes only with --register BOOK.db");
    return 0;
  }
  return 1;
}

static const char *ext_of(int f) {
  switch (f) {
  case VB_FORMAT_PDF: return ".pdf";
  case VB_FORMAT_DOCX: return ".docx";
  case VB_FORMAT_TREE: return ".tree.txt";
  default: return ".layout.txt";
  }
}

static int format_of_path(const char *p) {
  size_t n = strlen(p);
  if (n > 5 && !strcmp(p + n - 5, ".docx"))
    return VB_FORMAT_DOCX;
  return VB_FORMAT_PDF;
}

/* Output path for one format: -o, or the input's name in --out-dir or
 * beside the input, with the format's extension. */
static char *out_path(const struct opts *o, int f) {
  const char *in = o->input, *base, *dot;
  size_t dir_len, base_len, n;
  char *p;
  if (o->output)
    return strdup(o->output);
  base = strrchr(in, '/');
  base = base ? base + 1 : in;
  dir_len = o->out_dir ? strlen(o->out_dir) + 1 : (size_t)(base - in);
  dot = strrchr(base, '.');
  base_len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  n = dir_len + base_len + strlen(ext_of(f)) + 1;
  p = malloc(n);
  if (!p)
    return NULL;
  if (o->out_dir)
    snprintf(p, n, "%s/%.*s%s", o->out_dir, (int)base_len, base, ext_of(f));
  else
    snprintf(p, n, "%.*s%.*s%s", (int)dir_len, in, (int)base_len, base,
             ext_of(f));
  return p;
}

static char *out_path_cb(const void *o, int f) { return out_path(o, f); }

/* SIGTERM, SIGINT, SIGHUP, SIGPIPE: the temporary files go, then the
 * signal ends the process as it would have. */
static void on_signal(int sig) {
  vb_temp_cleanup();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_signals(void) {
  static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGPIPE};
  struct sigaction sa;
  size_t i;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
    sigaddset(&sa.sa_mask, sigs[i]);
  for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
    sigaction(sigs[i], &sa, NULL);
  /* past `ulimit -f` a write fails with EFBIG (reported, temporary files
   * removed) instead of SIGXFSZ killing the process */
  signal(SIGXFSZ, SIG_IGN);
}

/* 1 when the input lives among device nodes (/dev/stdin, /dev/fd/3,
 * /proc/self/fd/0): an output name derived from it would be /dev/stdin.pdf.
 * Judged by the real folder, since /dev/stdin itself resolves to whatever
 * standard input is. */
static int device_path(const char *in) {
  const char *slash = strrchr(in, '/');
  char *dir, *real;
  int dev = 0;
  size_t n;
  if (!slash)
    return 0; /* a name in the current folder */
  n = slash == in ? 1 : (size_t)(slash - in);
  dir = malloc(n + 1);
  if (!dir)
    return 1; /* unknown: ask for -o */
  memcpy(dir, in, n);
  dir[n] = '\0';
  real = realpath(dir, NULL);
  free(dir);
  if (!real)
    return 1;
  dev = !strcmp(real, "/dev") || !strncmp(real, "/dev/", 5) ||
        !strcmp(real, "/proc") || !strncmp(real, "/proc/", 6) ||
        !strcmp(real, "/sys") || !strncmp(real, "/sys/", 5);
  free(real);
  return dev;
}

/* Refuses outputs that would replace the input (the same file by device
 * and inode: through another name, a hard link or a symbolic link). */
static int over_input(const struct opts *o, const struct stat *in) {
  int f;
  for (f = 1; f <= VB_FORMAT_LAYOUT; f <<= 1) {
    struct stat st;
    char *path;
    int same;
    if (!(o->formats & f))
      continue;
    path = out_path(o, f);
    if (!path)
      return 0;
    same = strcmp(path, "-") && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode) && S_ISREG(in->st_mode) &&
           st.st_dev == in->st_dev && st.st_ino == in->st_ino;
    if (same) {
      fputs("vanban: ", stderr);
      cli_put(stderr, path);
      fputs(cli_tr(o->lang,
                   ": là chính tệp đầu vào; vanban không ghi đè lên đầu "
                   "vào (dùng -o hoặc --out-dir)\n",
                   ": is the input file itself; vanban never writes over "
                   "its input (use -o or --out-dir)\n"),
            stderr);
    }
    free(path);
    if (same)
      return 1;
  }
  return 0;
}

/* --out-dir: a folder that does not exist is created, one level only (its
 * parent must exist, as with mkdir without -p); *made says so. 0 after
 * saying why it cannot be. */
static int make_out_dir(const struct opts *o, int *made) {
  struct stat st;
  int err;
  if (stat(o->out_dir, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return 1;
    cli_bad_arg(o->lang, "--out-dir", o->out_dir, "không phải thư mục",
                "not a folder");
    return 0;
  }
  if (mkdir(o->out_dir, 0777) == 0) {
    *made = 1;
    if (!o->quiet) {
      fputs(cli_tr(o->lang, "vanban: đã tạo thư mục ", "vanban: created the "
                   "folder "), stderr);
      cli_put(stderr, o->out_dir);
      fputc('\n', stderr);
    }
    return 1;
  }
  err = errno;
  if (err == ENOENT)
    cli_bad_arg(o->lang, "--out-dir", o->out_dir,
                "thư mục chứa nó không có; vanban chỉ tạo một cấp thư mục",
                "its parent folder does not exist; vanban creates one level "
                "only");
  else
    cli_bad_arg(o->lang, "--out-dir", o->out_dir, vb_errno_str(err, o->lang),
                vb_errno_str(err, o->lang));
  return 0;
}

/* Pages of a PDF vanban wrote: libharu writes one "/Type /Page" line per
 * page object (and "/Type /Pages" for the tree). */
static int pdf_pages(const unsigned char *pdf, size_t n) {
  static const char key[] = "/Type /Page";
  size_t i, k = sizeof(key) - 1;
  int pages = 0;
  for (i = 0; i + k < n; i++)
    if (pdf[i] == '/' && !memcmp(pdf + i, key, k) && pdf[i + k] != 's')
      pages++;
  return pages;
}

/* Writes the rendered formats: "-" directly, files through vb_outputs;
 * then says what was written, unless --quiet. */
static int write_outputs(const struct opts *o, unsigned char *const *bytes,
                         const size_t *sizes) {
  vb_outputs *set = vb_outputs_new();
  int f, k, rc = EXIT_INPUT, err, pages[4] = {0};
  char *path = NULL, *paths[4] = {0};
  int made_dir = 0;
  if (!set) {
    cli_write_error(o->lang, o->output ? o->output : o->input, ENOMEM);
    return EXIT_INPUT;
  }
  if (o->out_dir && !o->output && !make_out_dir(o, &made_dir)) {
    vb_outputs_free(set);
    return EXIT_INPUT;
  }
  for (k = 0, f = 1; f <= VB_FORMAT_LAYOUT; f <<= 1, k++) {
    vb_status st;
    if (!bytes[k])
      continue;
    path = out_path(o, f);
    if (!path) {
      cli_write_error(o->lang, o->input, ENOMEM);
      goto out;
    }
    st = !strcmp(path, "-") ? vb_write_file("-", bytes[k], sizes[k])
                            : vb_outputs_add(set, path, bytes[k], sizes[k]);
    if (st != VB_OK) {
      err = errno;
      cli_write_error(o->lang, path, st == VB_ENOMEM ? ENOMEM : err);
      goto out;
    }
    paths[k] = path;
    if (f == VB_FORMAT_PDF)
      pages[k] = pdf_pages(bytes[k], sizes[k]);
    path = NULL;
  }
  if (vb_outputs_commit(set) != VB_OK) {
    const char *failed = vb_outputs_failed(set, &err);
    cli_write_error(o->lang, failed, err);
    goto out;
  }
  if (!o->quiet)
    cli_written(o->lang, (const char *const *)paths, pages, 4);
  rc = 0;
out:
  if (rc && made_dir)
    rmdir(o->out_dir); /* nothing was written into it */
  for (k = 0; k < 4; k++)
    free(paths[k]);
  free(path);
  vb_outputs_free(set);
  return rc;
}

/* "ke-hoach.xml: hợp lệ." or "ke-hoach.xml: hợp lệ, 2 cảnh báo." */
static void check_ok(const struct opts *o, const vb_ctx *ctx) {
  size_t warns = vb_diag_count(ctx) - vb_error_count(ctx);
  cli_put(stderr, o->input);
  fputs(cli_tr(o->lang, ": hợp lệ", ": valid"), stderr);
  if (warns && o->lang == VB_LANG_EN)
    fprintf(stderr, ", %zu warning%s", warns, warns == 1 ? "" : "s");
  else if (warns)
    fprintf(stderr, ", %zu cảnh báo", warns);
  fputs(".\n", stderr);
}

int cli_render(int argc, char **argv) {
  struct opts o;
  struct stat in_st;
  vb_ctx *ctx = NULL;
  vb_doc *doc = NULL;
  char *data = NULL;
  size_t len = 0;
  int rc = EXIT_INPUT, f, k;
  unsigned char *bytes[4] = {0};
  size_t sizes[4] = {0};
  vb_status st;
  if (!parse_args(argc, argv, &o))
    return EXIT_USAGE;
  if (!strcmp(o.cmd, "render")) {
    if (!o.formats)
      o.formats = o.output ? format_of_path(o.output)
                           : VB_FORMAT_PDF | VB_FORMAT_DOCX;
    if (o.output && (o.formats & (o.formats - 1))) {
      fputs(cli_tr(o.lang, "vanban: -o chỉ dùng với một định dạng; dùng "
                       "--out-dir cho nhiều định dạng\n",
               "vanban: -o takes one format; use --out-dir for several\n"),
            stderr);
      return EXIT_USAGE;
    }
    if (!o.output && !strcmp(o.input, "-")) {
      fputs(cli_tr(o.lang, "vanban: đọc từ đầu vào chuẩn thì cần -o\n",
               "vanban: reading standard input needs -o\n"),
            stderr);
      return EXIT_USAGE;
    }
    catch_signals();
  }
  if (o.reg) {
    return cli_register_render(o.reg, o.correct, &o.lib, o.input, o.formats,
                               out_path_cb, &o);
  }
  ctx = vb_ctx_new(&o.lib);
  if (!ctx) {
    fprintf(stderr, "vanban: %s\n", vb_status_str(VB_ENOMEM, o.lang));
    return EXIT_INPUT;
  }
  data = cli_read_file(o.input, &len, 0, &in_st);
  if (!data) {
    cli_read_error(o.lang, o.input, errno);
    rc = o.json ? EXIT_USAGE : EXIT_INPUT;
    goto out;
  }
  if (!strcmp(o.cmd, "render")) {
    /* a name derived from /dev/stdin or a pipe would be /dev/stdin.pdf */
    if (!o.output && (!S_ISREG(in_st.st_mode) || device_path(o.input))) {
      fputs("vanban: ", stderr);
      cli_put(stderr, o.input);
      fputs(cli_tr(o.lang,
                   ": là thiết bị hay ống, không lấy tên tệp ra từ đó "
                   "được; hãy đặt tên bằng -o\n",
                   ": a device or a pipe, no output name can come from it; "
                   "name the output with -o\n"),
            stderr);
      rc = EXIT_USAGE;
      goto out;
    }
    if (over_input(&o, &in_st)) {
      rc = EXIT_USAGE;
      goto out;
    }
  }
  st = vb_doc_parse(ctx, o.input, data, len, &doc);
  if (o.json && !strcmp(o.cmd, "check")) {
    /* for programs: 0 valid, 1 invalid, 2 usage or a file not read */
    cli_print_diags_json(ctx, o.lang, stdout);
    rc = st == VB_OK ? 0 : st == VB_EINVALID || st == VB_ELIMIT ? 1 : 2;
    goto out;
  }
  cli_print_diags(ctx, o.lang, o.input, data, len);
  if (st != VB_OK) {
    /* an X009 already says which limit */
    if ((st != VB_EINVALID && st != VB_ELIMIT) || !vb_diag_count(ctx))
      fprintf(stderr, "vanban: %s\n", vb_status_str(st, o.lang));
    goto out;
  }
  if (!strcmp(o.cmd, "check")) {
    if (!o.quiet)
      check_ok(&o, ctx);
    rc = 0;
    goto out;
  }
  vb_ctx_clear(ctx); /* printed; a render failure prints only its own */
  /* render everything first, write only when all formats succeeded */
  for (k = 0, f = 1; f <= VB_FORMAT_LAYOUT; f <<= 1, k++) {
    if (!(o.formats & f))
      continue;
    st = vb_render(ctx, doc, f, &bytes[k], &sizes[k]);
    if (st != VB_OK) {
      /* e.g. X009 too many pages */
      cli_print_diags(ctx, o.lang, NULL, NULL, 0);
      fputs("vanban: ", stderr);
      cli_put(stderr, o.input);
      fprintf(stderr, "%s: %s\n", ext_of(f), vb_status_str(st, o.lang));
      goto out;
    }
  }
  rc = write_outputs(&o, bytes, sizes);
out:
  for (k = 0; k < 4; k++)
    vb_free(ctx, bytes[k]);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  free(data);
  return rc;
}
