/* register.c - `vanban register` (init, nhiem-ky, add-body, list, export,
 * print)
 * and the numbering step of `vanban render --register`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct reg_opts {
  const char *sub, *path, *arg, *output;
  const char *issuer, *symbol, *profile, *term, *type;
  int year;
  vb_lang lang;
};

static int parse_year(const char *s, int *out) {
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < 1 || v > 9999)
    return 0;
  *out = (int)v;
  return 1;
}

/* 1, or 0 after saying which argument is wrong (-1: only the usage). */
static int parse_args(int argc, char **argv, struct reg_opts *o) {
  static const char *const with_value[] = {"--lang", "--co-quan", "--ky-hieu",
                                           "--profile", "--nhiem-ky",
                                           "--type", "--year", "-o"};
  int i;
  size_t k;
  memset(o, 0, sizeof(*o));
  o->lang = cli_lang(argc, argv);
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!a)
      return -1;
    for (k = 0; a[0] == '-' && a[1] && k < sizeof(with_value) /
                                               sizeof(with_value[0]); k++)
      if (!strcmp(a, with_value[k]))
        break;
    if (a[0] == '-' && a[1] && k == sizeof(with_value) / sizeof(with_value[0])) {
      cli_unknown_option(o->lang, "register", a);
      return 0;
    }
    if (a[0] == '-' && a[1] && !v) {
      cli_missing_value(o->lang, a, "xem vanban register --help",
                        "see vanban register --help");
      return 0;
    }
    if (!strcmp(a, "--lang")) {
      if (strcmp(v, "vi") && strcmp(v, "en")) {
        cli_bad_arg(o->lang, a, v, "dùng vi hoặc en", "use vi or en");
        return 0;
      }
      o->lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
    } else if (!strcmp(a, "--co-quan")) {
      o->issuer = v;
    } else if (!strcmp(a, "--ky-hieu")) {
      o->symbol = v;
    } else if (!strcmp(a, "--profile")) {
      o->profile = v;
    } else if (!strcmp(a, "--nhiem-ky")) {
      o->term = v;
    } else if (!strcmp(a, "--type")) {
      o->type = v;
    } else if (!strcmp(a, "--year")) {
      if (!parse_year(v, &o->year)) {
        cli_bad_arg(o->lang, a, v, "một năm từ 1 đến 9999",
                    "a year from 1 to 9999");
        return 0;
      }
    } else if (!strcmp(a, "-o")) {
      o->output = v;
    } else {
      if (!o->sub)
        o->sub = a;
      else if (!o->path)
        o->path = a;
      else if (!o->arg)
        o->arg = a;
      else {
        cli_extra_arg(o->lang, "register", a,
                      "LỆNH SỔ.db và nhiều nhất một giá trị",
                      "SUBCOMMAND BOOK.db and at most one value");
        return 0;
      }
      continue;
    }
    i++; /* the option's value */
  }
  return o->sub && o->path ? 1 : -1;
}

/* Seconds to wait for another process's lock: $VANBAN_REGISTER_WAIT, else
 * the library's default. */
static void set_wait(vb_register *reg) {
  const char *s = getenv("VANBAN_REGISTER_WAIT");
  char *end = NULL;
  double v = s && *s ? strtod(s, &end) : -1;
  if (s && *s && !*end && v >= 0 && v < 86400)
    vb_register_set_timeout(reg, (unsigned)(v * 1000));
}

static vb_status open_reg(vb_ctx *ctx, const char *path, vb_register **reg) {
  vb_status st = vb_register_open(ctx, path, reg);
  if (st == VB_OK)
    set_wait(*reg);
  return st;
}

/* Prints the diagnostics, or the status when there are none. */
static void report(vb_ctx *ctx, vb_lang lang, vb_status st) {
  if (vb_diag_count(ctx))
    cli_print_diags(ctx, lang, NULL, NULL, 0);
  else
    fprintf(stderr, "vanban: %s\n", vb_status_str(st, lang));
}

static int print_list(vb_register *reg, const struct reg_opts *o) {
  vb_register_filter f = {0, o->year, o->type};
  vb_register_iter *it = NULL;
  const vb_entry *e;
  vb_status st = vb_register_list(reg, &f, &it);
  if (st != VB_OK)
    return st;
  printf("%s\n", cli_tr(o->lang,
                        "Số, ký hiệu\tNgày\tTên loại và trích yếu\tNgười "
                        "ký\tHệ thống số\tGhi chú",
                        "Number\tDate\tType and summary\tSigner\tSeries\t"
                        "Note"));
  while ((st = vb_register_next(it, &e)) == VB_OK && e) {
    printf("%s\t%s\t%s %s\t%s\t%s\t", e->symbol, e->date, e->type_name,
           e->summary, e->signer, e->series);
    if (*e->secret)
      printf("%s", e->secret);
    if (e->version > 1)
      printf(cli_tr(o->lang, "%sđính chính, bản %d", "%scorrected, version %d"),
             *e->secret ? "; " : "", e->version);
    putchar('\n');
  }
  vb_register_iter_free(it);
  return st;
}

static int export_file(vb_ctx *ctx, vb_register *reg,
                       const struct reg_opts *o) {
  vb_register_filter f = {0, o->year, o->type};
  size_t n = strlen(o->output), len = 0;
  unsigned char *bytes = NULL;
  int format;
  vb_status st;
  int print = !strcmp(o->sub, "print");
  if (!print && n > 4 && !strcmp(o->output + n - 4, ".csv"))
    format = VB_TABLE_CSV;
  else if (!print && n > 5 && !strcmp(o->output + n - 5, ".xlsx"))
    format = VB_TABLE_XLSX;
  else if (print && n > 4 && !strcmp(o->output + n - 4, ".pdf"))
    format = VB_TABLE_PDF;
  else if (print && n > 5 && !strcmp(o->output + n - 5, ".docx"))
    format = VB_TABLE_DOCX;
  else
    return VB_EUSAGE;
  st = vb_register_export(reg, &f, format, &bytes, &len);
  if (st == VB_OK && vb_write_file(o->output, bytes, len) != VB_OK) {
    cli_write_error(o->lang, o->output, errno);
    st = VB_EIO;
  }
  vb_free(ctx, bytes);
  return st;
}

int cli_register(int argc, char **argv) {
  struct reg_opts o;
  vb_options lib;
  vb_ctx *ctx;
  vb_register *reg = NULL;
  vb_status st;
  int rc = EXIT_INPUT;
  int pa = parse_args(argc, argv, &o);
  if (pa <= 0) {
    if (pa < 0)
      cli_help(stderr, o.lang, "register");
    return EXIT_USAGE;
  }
  if ((!strcmp(o.sub, "init") && (!o.issuer || !o.symbol || !o.profile)) ||
      (!strcmp(o.sub, "nhiem-ky") && !o.arg) ||
      (!strcmp(o.sub, "add-body") && (!o.issuer || !o.symbol)) ||
      ((!strcmp(o.sub, "export") || !strcmp(o.sub, "print")) && !o.output) ||
      (strcmp(o.sub, "init") && strcmp(o.sub, "nhiem-ky") &&
       strcmp(o.sub, "add-body") && strcmp(o.sub, "list") &&
       strcmp(o.sub, "export") && strcmp(o.sub, "print"))) {
    cli_help(stderr, o.lang, "register");
    return EXIT_USAGE;
  }
  memset(&lib, 0, sizeof(lib));
  lib.lang = o.lang;
  ctx = vb_ctx_new(&lib);
  if (!ctx) {
    fprintf(stderr, "vanban: %s\n", vb_status_str(VB_ENOMEM, o.lang));
    return EXIT_INPUT;
  }
  if (!strcmp(o.sub, "init")) {
    vb_register_init init = {0, o.issuer, o.symbol, o.profile, o.term};
    st = vb_register_create(ctx, o.path, &init, &reg);
  } else {
    st = open_reg(ctx, o.path, &reg);
  }
  if (st == VB_OK) {
    if (!strcmp(o.sub, "nhiem-ky"))
      st = vb_register_add_term(reg, o.arg);
    else if (!strcmp(o.sub, "add-body"))
      st = vb_register_add_body(reg, o.issuer, o.symbol);
    else if (!strcmp(o.sub, "list"))
      st = print_list(reg, &o);
    else if (!strcmp(o.sub, "export") || !strcmp(o.sub, "print"))
      st = export_file(ctx, reg, &o);
  }
  if (st == VB_EUSAGE && !strcmp(o.sub, "print")) {
    fputs(cli_tr(o.lang, "vanban: tệp in sổ phải có đuôi .pdf hoặc .docx\n",
                 "vanban: the printed register must end in .pdf or .docx\n"),
          stderr);
    rc = EXIT_USAGE;
  } else if (st == VB_EUSAGE) {
    fputs(cli_tr(o.lang, "vanban: tệp xuất phải có đuôi .csv hoặc .xlsx\n",
                 "vanban: the export file must end in .csv or .xlsx\n"),
          stderr);
    rc = EXIT_USAGE;
  } else if (st != VB_OK) {
    report(ctx, o.lang, st);
  } else {
    rc = 0;
  }
  vb_register_close(reg);
  vb_ctx_free(ctx);
  return rc;
}

/* Removes the files this run wrote: without a record they are not
 * issued documents. */
static void unwrite(char **paths, int n) {
  int k;
  for (k = 0; k < n; k++)
    if (paths[k] && strcmp(paths[k], "-"))
      unlink(paths[k]);
}

static void print_number(const vb_issue *is, vb_lang lang, FILE *fp) {
  vb_issue_info in;
  if (vb_issue_get_info(is, &in) != VB_OK)
    return;
  if (in.again)
    fprintf(fp, cli_tr(lang, "Văn bản đã có trong sổ: số %s, ngày %s (%s)\n",
                       "Already in the register: number %s of %s (%s)\n"),
            in.symbol, in.date, in.series);
  else if (in.version > 1)
    fprintf(fp, cli_tr(lang, "Đính chính số %s, ngày %s: bản %d (%s)\n",
                       "Correction of number %s of %s: version %d (%s)\n"),
            in.symbol, in.date, in.version, in.series);
  else
    fprintf(fp, cli_tr(lang, "Cấp số %s, ngày %s (%s)\n",
                       "Numbered %s of %s (%s)\n"),
            in.symbol, in.date, in.series);
}

int cli_register_render(const char *reg_path, int correct,
                        const vb_options *lib, const char *input,
                        int formats,
                        char *(*path_of)(const void *o, int format),
                        const void *o) {
  vb_lang lang = lib->lang;
  vb_ctx *ctx = NULL;
  vb_doc *doc = NULL;
  vb_register *reg = NULL;
  vb_issue *is = NULL;
  char *data = NULL, *paths[4] = {0};
  unsigned char *bytes[4] = {0};
  size_t sizes[4] = {0}, len = 0;
  int rc = EXIT_INPUT, f, k, to_stdout = 0;
  vb_status st;
  data = cli_read_input(input, &len);
  if (!data) {
    cli_read_error(lang, input, errno);
    return EXIT_INPUT;
  }
  ctx = vb_ctx_new(lib);
  if (!ctx) {
    fprintf(stderr, "vanban: %s\n", vb_status_str(VB_ENOMEM, lang));
    goto out;
  }
  st = vb_doc_read(ctx, input, data, len, &doc);
  cli_print_diags(ctx, lang, input, data, len);
  if (st != VB_OK) {
    if (st != VB_EINVALID || !vb_diag_count(ctx))
      fprintf(stderr, "vanban: %s\n", vb_status_str(st, lang));
    goto out;
  }
  vb_ctx_clear(ctx);
  st = open_reg(ctx, reg_path, &reg);
  if (st == VB_OK)
    st = vb_register_take(reg, doc, data, len,
                          correct ? VB_TAKE_CORRECTION : 0, &is);
  if (st == VB_OK)
    st = vb_doc_compose(ctx, doc);
  /* every format in memory first: a failure takes no number */
  for (k = 0, f = 1; st == VB_OK && f <= VB_FORMAT_LAYOUT; f <<= 1, k++)
    if (formats & f)
      st = vb_render(ctx, doc, f, &bytes[k], &sizes[k]);
  if (st != VB_OK) {
    report(ctx, lang, st);
    goto out;
  }
  for (k = 0, f = 1; f <= VB_FORMAT_LAYOUT; f <<= 1, k++) {
    if (!bytes[k])
      continue;
    paths[k] = path_of(o, f);
    if (!paths[k] || vb_write_file(paths[k], bytes[k], sizes[k]) != VB_OK) {
      cli_write_error(lang, paths[k], errno);
      unwrite(paths, k);
      goto out;
    }
    to_stdout |= !strcmp(paths[k], "-");
    st = vb_issue_add_output(is, paths[k], bytes[k], sizes[k]);
    if (st != VB_OK) {
      report(ctx, lang, st);
      unwrite(paths, k + 1);
      goto out;
    }
  }
  st = vb_issue_commit(is);
  if (st != VB_OK) {
    report(ctx, lang, st);
    unwrite(paths, 4);
    goto out;
  }
  /* the number goes where the document does not */
  print_number(is, lang, to_stdout ? stderr : stdout);
  rc = 0;
out:
  for (k = 0; k < 4; k++) {
    vb_free(ctx, bytes[k]);
    free(paths[k]);
  }
  vb_issue_free(is);
  vb_register_close(reg);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  free(data);
  return rc;
}
