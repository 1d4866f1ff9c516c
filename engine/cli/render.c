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

#include "cli.h"

struct opts {
  const char *cmd, *input, *output, *out_dir;
  const char *reg; /* --register: number from this register */
  int formats, correct;
  int json; /* --errors json: diagnostics as JSON on standard output */
  vb_lang lang;
  vb_options lib;
};

/* A usage error about one argument: "vanban: --margins "x": why". */
static void bad_arg(vb_lang lang, const char *opt, const char *value,
                    const char *vi, const char *en) {
  fputs("vanban: ", stderr);
  fputs(opt, stderr);
  if (value) {
    fputs(" \"", stderr);
    cli_put(stderr, value);
    fputc('"', stderr);
  }
  fputs(": ", stderr);
  fputs(cli_tr(lang, vi, en), stderr);
  fputc('\n', stderr);
}

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

/* Returns 1, or 0 after printing why the arguments are wrong (-1: print
 * the usage). */
static int parse_args(int argc, char **argv, struct opts *o) {
  int i;
  memset(o, 0, sizeof(*o));
  /* --lang first, so that every message is in the chosen language */
  for (i = 0; i + 1 < argc; i++)
    if (argv[i] && !strcmp(argv[i], "--lang") && argv[i + 1] &&
        !strcmp(argv[i + 1], "en"))
      o->lang = VB_LANG_EN;
  for (i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!a)
      return -1;
    if (!strcmp(a, "--lang") && v) {
      if (strcmp(v, "vi") && strcmp(v, "en")) {
        bad_arg(o->lang, a, v, "dùng vi hoặc en", "use vi or en");
        return 0;
      }
      o->lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
      i++;
    } else if (!strcmp(a, "--errors") && v) {
      if (strcmp(v, "json") && strcmp(v, "text")) {
        bad_arg(o->lang, a, v, "dùng json hoặc text", "use json or text");
        return 0;
      }
      o->json = !strcmp(v, "json");
      i++;
    } else if (!strcmp(a, "-o") && v) {
      if (!*v) {
        bad_arg(o->lang, a, v, "tên tệp trống", "empty file name");
        return 0;
      }
      o->output = v;
      i++;
    } else if (!strcmp(a, "--out-dir") && v) {
      /* "" would put the files into "/" */
      if (!*v) {
        bad_arg(o->lang, a, v, "tên thư mục trống", "empty folder name");
        return 0;
      }
      o->out_dir = v;
      i++;
    } else if (!strcmp(a, "--register") && v && *v) {
      o->reg = v;
      i++;
    } else if (!strcmp(a, "--dinh-chinh")) {
      o->correct = 1;
    } else if (!strcmp(a, "--format") && v) {
      if ((o->formats = parse_formats(v)) <= 0) {
        bad_arg(o->lang, a, v, "dùng pdf, docx, tree, layout, cách nhau "
                "bằng dấu phẩy", "use pdf, docx, tree, layout, separated "
                "by commas");
        return 0;
      }
      i++;
    } else if (!strcmp(a, "--margins") && v) {
      double m[4];
      if (!parse_margins(v, m)) {
        bad_arg(o->lang, a, v,
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
      i++;
    } else if (a[0] == '-' && a[1] && !(a[1] == '-' && !a[2])) {
      return -1;
    } else if (!o->cmd) {
      o->cmd = a;
    } else if (!o->input) {
      o->input = a;
    } else {
      return -1;
    }
  }
  o->lib.lang = o->lang;
  return o->cmd && o->input ? 1 : -1;
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

/* "vanban: PATH: cannot write the file: why" */
static void write_error(vb_lang lang, const char *path, int err) {
  fputs("vanban: ", stderr);
  cli_put(stderr, path ? path : "?");
  fprintf(stderr, ": %s: %s\n",
          cli_tr(lang, "không ghi được tệp", "cannot write the file"),
          vb_errno_str(err, lang));
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

/* Writes the rendered formats: "-" directly, files through vb_outputs. */
static int write_outputs(const struct opts *o, unsigned char *const *bytes,
                         const size_t *sizes) {
  vb_outputs *set = vb_outputs_new();
  int f, k, rc = EXIT_INPUT, err;
  char *path = NULL;
  if (!set) {
    write_error(o->lang, o->output ? o->output : o->input, ENOMEM);
    return EXIT_INPUT;
  }
  for (k = 0, f = 1; f <= VB_FORMAT_LAYOUT; f <<= 1, k++) {
    vb_status st;
    if (!bytes[k])
      continue;
    path = out_path(o, f);
    if (!path) {
      write_error(o->lang, o->input, ENOMEM);
      goto out;
    }
    st = !strcmp(path, "-") ? vb_write_file("-", bytes[k], sizes[k])
                            : vb_outputs_add(set, path, bytes[k], sizes[k]);
    if (st != VB_OK) {
      err = errno;
      write_error(o->lang, path, st == VB_ENOMEM ? ENOMEM : err);
      goto out;
    }
    free(path);
    path = NULL;
  }
  if (vb_outputs_commit(set) != VB_OK) {
    const char *failed = vb_outputs_failed(set, &err);
    write_error(o->lang, failed, err);
    goto out;
  }
  rc = 0;
out:
  free(path);
  vb_outputs_free(set);
  return rc;
}

int cli_render(int argc, char **argv) {
  struct opts o;
  struct stat in_st;
  vb_ctx *ctx = NULL;
  vb_doc *doc = NULL;
  char *data = NULL;
  size_t len = 0;
  int rc = EXIT_INPUT, f, k, pa;
  unsigned char *bytes[4] = {0};
  size_t sizes[4] = {0};
  vb_status st;
  pa = parse_args(argc, argv, &o);
  if (pa == 0)
    return EXIT_USAGE;
  if (pa < 0 || (strcmp(o.cmd, "check") && strcmp(o.cmd, "render"))) {
    cli_usage(stderr, o.lang);
    return EXIT_USAGE;
  }
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
  if (o.reg || o.correct) {
    if (strcmp(o.cmd, "render") || !o.reg) {
      cli_usage(stderr, o.lang);
      return EXIT_USAGE;
    }
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
    /* X005 through the message table, in the chosen language */
    vb_diag d;
    char *msg;
    int err = errno;
    memset(&d, 0, sizeof(d));
    d.code = VB_C_IO;
    d.severity = VB_SEV_ERROR;
    d.file = o.input;
    d.arg[0] = vb_errno_str(err, o.lang);
    if (err == ENOMEM || !(msg = vb_diag_format(ctx, &d, o.lang))) {
      fputs("vanban: ", stderr);
      cli_put(stderr, o.input);
      fprintf(stderr, ": %s\n", vb_status_str(VB_ENOMEM, o.lang));
    } else {
      cli_put(stderr, msg);
      fputc('\n', stderr);
      vb_free(ctx, msg);
    }
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
