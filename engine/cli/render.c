/* render.c - `vanban check` and `vanban render`: read, validate, compose
 * and write the PDF, DOCX and text dumps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct opts {
  const char *cmd, *input, *output, *out_dir;
  const char *reg; /* --register: number from this register */
  int formats, correct;
  int json; /* --errors json: diagnostics as JSON on standard output */
  vb_lang lang;
  vb_options lib;
};

static int parse_formats(const char *s) {
  int f = 0;
  char buf[128], *tok, *save = NULL;
  snprintf(buf, sizeof(buf), "%s", s);
  for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    if (!strcmp(tok, "pdf"))
      f |= VB_FORMAT_PDF;
    else if (!strcmp(tok, "docx"))
      f |= VB_FORMAT_DOCX;
    else if (!strcmp(tok, "tree"))
      f |= VB_FORMAT_TREE;
    else if (!strcmp(tok, "layout"))
      f |= VB_FORMAT_LAYOUT;
    else
      return -1;
  }
  return f;
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

static int parse_args(int argc, char **argv, struct opts *o) {
  int i;
  memset(o, 0, sizeof(*o));
  for (i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!a)
      return 0;
    if (!strcmp(a, "--lang") && v) {
      if (strcmp(v, "vi") && strcmp(v, "en"))
        return 0;
      o->lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
      i++;
    } else if (!strcmp(a, "--errors") && v) {
      if (strcmp(v, "json") && strcmp(v, "text"))
        return 0;
      o->json = !strcmp(v, "json");
      i++;
    } else if (!strcmp(a, "-o") && v) {
      o->output = v;
      i++;
    } else if (!strcmp(a, "--out-dir") && v) {
      o->out_dir = v;
      i++;
    } else if (!strcmp(a, "--format") && v) {
      if ((o->formats = parse_formats(v)) <= 0)
        return 0;
      i++;
    } else if (!strcmp(a, "--register") && v) {
      o->reg = v;
      i++;
    } else if (!strcmp(a, "--dinh-chinh")) {
      o->correct = 1;
    } else if (!strcmp(a, "--margins") && v) {
      if (sscanf(v, "%lf,%lf,%lf,%lf", &o->lib.margin_top,
                 &o->lib.margin_bottom, &o->lib.margin_left,
                 &o->lib.margin_right) != 4)
        return 0;
      i++;
    } else if (a[0] == '-' && a[1] && !(a[1] == '-' && !a[2])) {
      return 0;
    } else if (!o->cmd) {
      o->cmd = a;
    } else if (!o->input) {
      o->input = a;
    } else {
      return 0;
    }
  }
  o->lib.lang = o->lang;
  return o->cmd && o->input;
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

int cli_render(int argc, char **argv) {
  struct opts o;
  vb_ctx *ctx = NULL;
  vb_doc *doc = NULL;
  char *data = NULL;
  size_t len = 0;
  int rc = EXIT_INPUT, f, k;
  unsigned char *bytes[4] = {0};
  size_t sizes[4] = {0};
  vb_status st;
  if (!parse_args(argc, argv, &o) ||
      (strcmp(o.cmd, "check") && strcmp(o.cmd, "render"))) {
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
  }
  if (o.reg || o.correct) {
    if (strcmp(o.cmd, "render") || !o.reg) {
      cli_usage(stderr, o.lang);
      return EXIT_USAGE;
    }
    return cli_register_render(o.reg, o.correct, &o.lib, o.input, o.formats,
                               out_path_cb, &o);
  }
  data = cli_read_input(o.input, &len);
  if (!data) {
    fprintf(stderr, "%s: %s[X005]: %s: %s\n", o.input,
            cli_tr(o.lang, "lỗi", "error"),
            cli_tr(o.lang, "không đọc được tệp", "cannot read the file"),
            strerror(errno));
    return o.json ? EXIT_USAGE : EXIT_INPUT;
  }
  ctx = vb_ctx_new(&o.lib);
  if (!ctx) {
    fputs("vanban: out of memory\n", stderr);
    goto out;
  }
  st = vb_doc_parse(ctx, o.input, data, len, &doc);
  if (o.json && !strcmp(o.cmd, "check")) {
    /* for programs: 0 valid, 1 invalid, 2 usage or a file not read */
    cli_print_diags_json(ctx, o.lang, stdout);
    rc = st == VB_OK ? 0 : st == VB_EINVALID || st == VB_ELIMIT ? 1 : 2;
    goto out;
  }
  cli_print_diags(ctx, o.lang, data, len);
  if (st != VB_OK) {
    if (st != VB_EINVALID || !vb_diag_count(ctx))
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
      cli_print_diags(ctx, o.lang, NULL, 0); /* e.g. X009 too many pages */
      fprintf(stderr, "vanban: %s%s: %s\n", o.input, ext_of(f),
              vb_status_str(st, o.lang));
      goto out;
    }
  }
  for (k = 0, f = 1; f <= VB_FORMAT_LAYOUT; f <<= 1, k++) {
    char *path;
    if (!bytes[k])
      continue;
    path = out_path(&o, f);
    if (!path || vb_write_file(path, bytes[k], sizes[k]) != VB_OK) {
      fprintf(stderr, "vanban: %s: %s: %s\n", path ? path : "?",
              cli_tr(o.lang, "không ghi được tệp", "cannot write the file"),
              strerror(errno));
      free(path);
      goto out;
    }
    free(path);
  }
  rc = 0;
out:
  for (k = 0; k < 4; k++)
    vb_free(ctx, bytes[k]);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  free(data);
  return rc;
}
