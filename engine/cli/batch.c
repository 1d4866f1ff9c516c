/* batch.c - `vanban batch KIND LIST`: one certificate per record of a
 * list (CSV, XLSX) or of a Quyết định công nhận, into one PDF, or one file
 * per record in a folder (names made safe, never outside it, never over a
 * file without --force); --check validates every record and writes
 * nothing. Every record is checked before anything is written. */
#define _GNU_SOURCE /* O_NOFOLLOW, renameat */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Bytes of a file name made from a value: well under NAME_MAX (255) with
 * a suffix, an extension and the temporary name's tail. */
#define NAME_BYTES 120
/* Processes drawing files at once (--jobs): the machine's cores. */
#define MAX_JOBS 16
/* Lists up to this many records keep the documents checked in the first
 * pass for the second (a few tens of KB each): not composed twice. */
#define KEEP_DOCS 2000

struct bopts {
  const char *kind, *list, *output, *split, *from, *sheet, *name_col;
  int formats, check, keep_going, force, jobs, quiet;
  vb_lang lang;
  vb_batch_opts b;
  vb_doc **kept; /* documents of the first pass, or NULL */
};

/* Row i's document: the one kept from the first pass, or made again. */
static vb_status get_doc(vb_batch *b, vb_table *t, const struct bopts *o,
                         size_t i, vb_doc **doc) {
  if (o->kept && o->kept[i]) {
    *doc = o->kept[i];
    return VB_OK;
  }
  return vb_batch_doc(b, t, i, doc);
}

static void put_doc(const struct bopts *o, size_t i, vb_doc *doc) {
  if (!o->kept || o->kept[i] != doc)
    vb_doc_free(doc);
}

static int usage(vb_lang lang) {
  fputs(cli_tr(lang,
               "Cách dùng: vanban batch MẪU DANH_SÁCH.xlsx|.csv -o TỆP.pdf\n"
               "       vanban batch MẪU DANH_SÁCH --split THƯ_MỤC "
               "[--format pdf,docx] [--jobs N] [--force]\n"
               "       vanban batch MẪU DANH_SÁCH --check\n"
               "       vanban batch MẪU --from QUYẾT_ĐỊNH.xml -o TỆP.pdf\n"
               "Tùy chọn: --sheet TÊN, --overlay [--offset X,Y (mm)], "
               "--kho A4|A3, --the-thuc nd30|hd36|mttq,\n"
               "  --ten-tep CỘT, --keep-going, --quiet, --lang vi|en\n",
               "Usage: vanban batch KIND LIST.xlsx|.csv -o FILE.pdf\n"
               "       vanban batch KIND LIST --split DIR "
               "[--format pdf,docx] [--jobs N] [--force]\n"
               "       vanban batch KIND LIST --check\n"
               "       vanban batch KIND --from DECISION.xml -o FILE.pdf\n"
               "Options: --sheet NAME, --overlay [--offset X,Y (mm)], "
               "--kho A4|A3, --the-thuc nd30|hd36|mttq,\n"
               "  --ten-tep COLUMN, --keep-going, --quiet, --lang vi|en\n"),
        stderr);
  return EXIT_USAGE;
}

static int parse(int argc, char **argv, struct bopts *o) {
  int i;
  memset(o, 0, sizeof(*o));
  o->jobs = 1;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--lang") && v) {
      if (strcmp(v, "vi") && strcmp(v, "en"))
        return 0;
      o->lang = !strcmp(v, "en") ? VB_LANG_EN : VB_LANG_VI;
      i++;
    } else if (!strcmp(a, "-o") && v) {
      o->output = argv[++i];
    } else if (!strcmp(a, "--split") && v) {
      o->split = argv[++i];
    } else if (!strcmp(a, "--from") && v) {
      o->from = argv[++i];
    } else if (!strcmp(a, "--sheet") && v) {
      o->sheet = argv[++i];
    } else if (!strcmp(a, "--ten-tep") && v) {
      o->name_col = argv[++i];
    } else if (!strcmp(a, "--the-thuc") && v) {
      o->b.profile = argv[++i];
    } else if (!strcmp(a, "--kho") && v) {
      if (strcmp(v, "A4") && strcmp(v, "A3"))
        return 0;
      o->b.paper = argv[++i];
    } else if (!strcmp(a, "--offset") && v) {
      char *end;
      o->b.offset_x_mm = strtod(v, &end);
      if (*end != ',')
        return 0;
      o->b.offset_y_mm = strtod(end + 1, &end);
      if (*end || o->b.offset_x_mm < -50 || o->b.offset_x_mm > 50 ||
          o->b.offset_y_mm < -50 || o->b.offset_y_mm > 50)
        return 0;
      i++;
    } else if (!strcmp(a, "--jobs") && v) {
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || n < 1 || n > MAX_JOBS)
        return 0;
      o->jobs = (int)n;
      i++;
    } else if (!strcmp(a, "--format") && v) {
      char buf[64], *tok, *save = NULL;
      snprintf(buf, sizeof(buf), "%s", v);
      for (tok = strtok_r(buf, ",", &save); tok;
           tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "pdf"))
          o->formats |= VB_FORMAT_PDF;
        else if (!strcmp(tok, "docx"))
          o->formats |= VB_FORMAT_DOCX;
        else
          return 0;
      }
      i++;
    } else if (!strcmp(a, "--check")) {
      o->check = 1;
    } else if (!strcmp(a, "--keep-going")) {
      o->keep_going = 1;
    } else if (!strcmp(a, "--force")) {
      o->force = 1;
    } else if (!strcmp(a, "--overlay")) {
      o->b.overlay = 1;
    } else if (!strcmp(a, "--quiet")) {
      o->quiet = 1;
    } else if (a[0] == '-' && a[1]) {
      return 0;
    } else if (!o->kind) {
      o->kind = a;
    } else if (!o->list) {
      o->list = a;
    } else {
      return 0;
    }
  }
  if (!o->kind || (!o->list == !o->from))
    return 0;
  if (!o->check && !o->output == !o->split)
    return 0;
  if (!o->formats)
    o->formats = VB_FORMAT_PDF;
  if (o->output && o->formats != VB_FORMAT_PDF)
    return 0; /* one file of every record is a PDF */
  if (o->b.overlay && (o->formats & VB_FORMAT_DOCX))
    return 0; /* an overlay is printed, from the PDF */
  return 1;
}

/* --- progress: only on a terminal --------------------------------------- */

struct progress {
  int on;
  double start, last;
  size_t total;
  const char *what;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress_show(struct progress *p, size_t done, vb_lang lang) {
  double t = now(), rate, left;
  int k, width = 30, fill;
  if (!p->on || (t - p->last < 0.1 && done < p->total))
    return;
  p->last = t;
  rate = t > p->start ? done / (t - p->start) : 0;
  left = rate > 0 ? (p->total - done) / rate : 0;
  fill = p->total ? (int)(width * done / p->total) : width;
  fprintf(stderr, "\r%s [", p->what);
  for (k = 0; k < width; k++)
    fputc(k < fill ? '#' : '.', stderr);
  fprintf(stderr,
          cli_tr(lang, "] %zu/%zu  %.0f/giây  còn %.0f giây ",
                 "] %zu/%zu  %.0f/s  %.0f s left "),
          done, p->total, rate, left);
  if (done >= p->total)
    fputc('\n', stderr);
  fflush(stderr);
}

/* --- file names ----------------------------------------------------------- */

/* A value made a safe file name: no path separators, no "..", no control
 * characters, no characters Windows refuses, no leading dot or dash, at
 * most NAME_BYTES bytes cut at a character boundary; "" when nothing is
 * left. */
static void safe_name(const char *s, char *out, size_t cap) {
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)s;
  if (cap > NAME_BYTES + 1)
    cap = NAME_BYTES + 1;
  for (; *p && n + 1 < cap; p++) {
    unsigned char ch = *p;
    int bad = ch < 0x20 || ch == 0x7f || strchr("/\\:*?\"<>|", ch) != NULL;
    if (bad || ch == ' ')
      ch = '-';
    if (ch == '-' && (n == 0 || out[n - 1] == '-'))
      continue;
    if (ch == '.' && (n == 0 || out[n - 1] == '.' || out[n - 1] == '-'))
      continue;
    /* a multi-byte character is copied whole or not at all */
    if (ch >= 0xC0) {
      size_t len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
      if (n + len + 1 > cap)
        break;
    }
    out[n++] = (char)ch;
  }
  while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80 &&
         n + 1 >= cap) /* a cut character at the very end */
    n--;
  while (n > 0 && (out[n - 1] == '-' || out[n - 1] == '.'))
    n--;
  out[n] = '\0';
}

static int same_name(const char *a, const char *b) {
  return strcasecmp(a, b) == 0; /* Windows and macOS folders fold case */
}

/* Gives every record to print a name, unique within the batch. */
static char **make_names(vb_table *t, const char *col, const char *kind,
                         const unsigned char *ok) {
  size_t n = vb_table_nrows(t), i, j;
  char **names = calloc(n ? n : 1, sizeof(*names));
  if (!names)
    return NULL;
  for (i = 0; i < n; i++) {
    char base[NAME_BYTES + 1], buf[NAME_BYTES + 32];
    const char *v;
    unsigned k = 1;
    if (!ok[i])
      continue;
    v = vb_table_value(t, i, col ? col : "ten-tep", NULL);
    safe_name(v ? v : "", base, sizeof(base));
    if (!base[0])
      snprintf(base, sizeof(base), "%s-dong-%u", kind,
               vb_table_row_number(t, i));
    snprintf(buf, sizeof(buf), "%s", base);
    for (;;) { /* no collisions: -2, -3, ... */
      int clash = 0;
      for (j = 0; j < i && !clash; j++)
        clash = names[j] && same_name(names[j], buf);
      if (!clash)
        break;
      snprintf(buf, sizeof(buf), "%s-%u", base, ++k);
    }
    if (!(names[i] = strdup(buf))) {
      for (j = 0; j < i; j++)
        free(names[j]);
      free(names);
      return NULL;
    }
  }
  return names;
}

static const char *ext_of(int f) {
  return f == VB_FORMAT_DOCX ? ".docx" : ".pdf";
}

/* Writes one file inside the folder `dir` (a descriptor): never through a
 * symbolic link, never over a file without `force`, nothing left behind
 * on failure. Returns 0 or an errno value. */
static int write_in(int dir, const char *name, const unsigned char *data,
                    size_t len, int force) {
  char tmp[NAME_BYTES + 128];
  const char *target = name;
  int fd, err = 0;
  size_t off = 0;
  if (force) {
    snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
    target = tmp;
  }
  fd = openat(dir, target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                               O_CLOEXEC, 0644);
  if (fd < 0)
    return errno;
  while (off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      err = w < 0 ? errno : EIO;
      break;
    }
    off += (size_t)w;
  }
  if (close(fd) && !err)
    err = errno;
  if (!err && force && renameat(dir, tmp, dir, name))
    err = errno;
  if (err)
    unlinkat(dir, target, 0);
  return err;
}

/* --- the run -------------------------------------------------------------- */

static void summary(const struct bopts *o, size_t done, size_t bad,
                    size_t files, double secs) {
  if (o->quiet)
    return;
  fprintf(stderr,
          cli_tr(o->lang,
                 "%s: %zu bản ghi hợp lệ, %zu lỗi, %zu tệp đã ghi, %.2f giây "
                 "(%.0f bản ghi/giây)\n",
                 "%s: %zu valid record(s), %zu with errors, %zu file(s) "
                 "written, %.2f s (%.0f records/s)\n"),
          o->kind, done, bad, files, secs, secs > 0 ? done / secs : 0);
}

static void report_error(vb_ctx *ctx, const struct bopts *o, vb_code code,
                         const char *a0, const char *a1) {
  char *msg;
  vb_diag d;
  memset(&d, 0, sizeof(d));
  d.code = code;
  d.file = "-";
  d.arg[0] = a0;
  d.arg[1] = a1;
  msg = vb_diag_format(ctx, &d, o->lang);
  if (msg)
    fprintf(stderr, "%s\n", msg);
  vb_free(ctx, msg);
}

/* One process's share of the split output: rows k, k + jobs, ... */
static int split_share(vb_ctx *ctx, vb_batch *b, vb_table *t,
                       const struct bopts *o, int dir, char **names,
                       const unsigned char *ok, int k, struct progress *pg,
                       size_t *files) {
  size_t n = vb_table_nrows(t), i, done = 0;
  for (i = (size_t)k; i < n; i += (size_t)o->jobs) {
    vb_doc *doc;
    int f;
    if (!ok[i])
      continue;
    if (get_doc(b, t, o, i, &doc) != VB_OK)
      return EXIT_INPUT;
    for (f = VB_FORMAT_PDF; f <= VB_FORMAT_DOCX; f <<= 1) {
      unsigned char *data = NULL;
      size_t len = 0;
      char path[NAME_BYTES + 48];
      vb_status st;
      int err;
      if (!(o->formats & f))
        continue;
      if (f == VB_FORMAT_PDF) {
        st = vb_batch_pdf_begin(b);
        if (st == VB_OK) {
          vb_status add = vb_batch_pdf_add(b, doc);
          /* end closes the book either way */
          st = vb_batch_pdf_end(b, &data, &len);
          if (add != VB_OK) {
            vb_free(ctx, data);
            data = NULL;
            st = add;
          }
        }
      } else {
        st = vb_render(ctx, doc, f, &data, &len);
      }
      if (st != VB_OK) {
        fprintf(stderr, "%s: %s\n", names[i], vb_status_str(st, o->lang));
        put_doc(o, i, doc);
        return EXIT_INPUT;
      }
      snprintf(path, sizeof(path), "%s%s", names[i], ext_of(f));
      err = write_in(dir, path, data, len, o->force);
      vb_free(ctx, data);
      if (err) {
        report_error(ctx, o,
                     err == EEXIST ? VB_C_BATCH_EXISTS : VB_C_BATCH_OPEN,
                     path, strerror(err));
        put_doc(o, i, doc);
        return EXIT_INPUT;
      }
      (*files)++;
    }
    put_doc(o, i, doc);
    done++;
    if (k == 0)
      progress_show(pg, done * (size_t)o->jobs, o->lang);
  }
  return 0;
}

static int run_split(vb_ctx *ctx, vb_batch *b, vb_table *t,
                     const struct bopts *o, const unsigned char *ok,
                     struct progress *pg, size_t *files) {
  size_t n = vb_table_nrows(t), i;
  char **names;
  int dir, rc = 0, k, f;
  pid_t kids[MAX_JOBS];
  struct stat sb;
  if (mkdir(o->split, 0755) && errno != EEXIST) {
    report_error(ctx, o, VB_C_BATCH_OPEN, o->split, strerror(errno));
    return EXIT_INPUT;
  }
  dir = open(o->split, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0 || fstat(dir, &sb)) {
    report_error(ctx, o, VB_C_BATCH_OPEN, o->split, strerror(errno));
    if (dir >= 0)
      close(dir);
    return EXIT_INPUT;
  }
  names = make_names(t, o->name_col, o->kind, ok);
  if (!names) {
    close(dir);
    return EXIT_INPUT;
  }
  /* nothing over an existing file, unless --force: all looked at first */
  for (i = 0; i < n && !o->force; i++)
    for (f = VB_FORMAT_PDF; ok[i] && f <= VB_FORMAT_DOCX; f <<= 1) {
      char path[NAME_BYTES + 48];
      if (!(o->formats & f))
        continue;
      snprintf(path, sizeof(path), "%s%s", names[i], ext_of(f));
      if (!fstatat(dir, path, &sb, AT_SYMLINK_NOFOLLOW) || errno != ENOENT) {
        report_error(ctx, o, VB_C_BATCH_EXISTS, path, NULL);
        rc = EXIT_INPUT;
      }
    }
  if (rc)
    goto out;
  fflush(stderr);
  for (k = 1; k < o->jobs; k++) {
    kids[k] = fork();
    if (kids[k] == 0) {
      size_t mine = 0;
      int r = split_share(ctx, b, t, o, dir, names, ok, k, pg, &mine);
      fflush(stderr);
      _exit(r ? r : 0);
    }
    if (kids[k] < 0) {
      /* fork failed: this process draws the rows of the missing ones */
      report_error(ctx, o, VB_C_BATCH_OPEN, o->split, strerror(errno));
      rc = EXIT_INPUT;
      break;
    }
  }
  if (!rc)
    rc = split_share(ctx, b, t, o, dir, names, ok, 0, pg, files);
  for (k = 1; k < o->jobs && kids[k] > 0; k++) {
    int status;
    while (waitpid(kids[k], &status, 0) < 0 && errno == EINTR)
      ;
    if (!WIFEXITED(status) || WEXITSTATUS(status))
      rc = EXIT_INPUT;
  }
  if (!rc) /* the other processes wrote the rest */
    for (*files = 0, i = 0; i < n; i++)
      for (f = VB_FORMAT_PDF; ok[i] && f <= VB_FORMAT_DOCX; f <<= 1)
        if (o->formats & f)
          (*files)++;
out:
  for (i = 0; i < n; i++)
    free(names[i]);
  free(names);
  close(dir);
  return rc;
}

static int run_one_pdf(vb_ctx *ctx, vb_batch *b, vb_table *t,
                       const struct bopts *o, const unsigned char *ok,
                       struct progress *pg, size_t *files) {
  size_t n = vb_table_nrows(t), i, done = 0;
  unsigned char *data = NULL;
  size_t len = 0;
  vb_status st = vb_batch_pdf_begin(b);
  for (i = 0; i < n && st == VB_OK; i++) {
    vb_doc *doc = NULL;
    if (!ok[i])
      continue;
    st = get_doc(b, t, o, i, &doc);
    if (st == VB_OK)
      st = vb_batch_pdf_add(b, doc);
    if (st == VB_OK || doc)
      put_doc(o, i, doc);
    progress_show(pg, ++done, o->lang);
  }
  if (st == VB_OK && strcmp(o->output, "-")) {
    /* straight into the file: 10,000 pages never twice in memory */
    if ((st = vb_batch_pdf_end_file(b, o->output)) == VB_EIO) {
      report_error(ctx, o, VB_C_BATCH_OPEN, o->output, strerror(errno));
      goto done;
    }
  } else if (st == VB_OK) {
    st = vb_batch_pdf_end(b, &data, &len);
    if (st == VB_OK && vb_write_file(o->output, data, len) != VB_OK) {
      report_error(ctx, o, VB_C_BATCH_OPEN, o->output, strerror(errno));
      st = VB_EIO;
      goto done;
    }
  }
  if (st != VB_OK) {
    cli_print_diags(ctx, o->lang, NULL, NULL, 0);
    fprintf(stderr, "%s: %s\n", o->output, vb_status_str(st, o->lang));
  }
done:
  vb_free(ctx, data);
  if (st == VB_OK)
    *files = 1;
  return st == VB_OK ? 0 : EXIT_INPUT;
}

int cli_batch(int argc, char **argv) {
  struct bopts o;
  vb_options lib;
  vb_ctx *ctx = NULL;
  vb_batch *b = NULL;
  vb_table *t = NULL;
  vb_table_opts topt;
  unsigned char *ok = NULL;
  struct progress pg;
  size_t n = 0, i, good = 0, bad = 0, files = 0;
  double start = now();
  int rc = EXIT_INPUT;
  vb_status st;
  if (!parse(argc, argv, &o))
    return usage(o.lang);
  memset(&lib, 0, sizeof(lib));
  lib.lang = o.lang;
  ctx = vb_ctx_new(&lib);
  if (!ctx)
    return EXIT_INPUT;
  st = vb_batch_new(ctx, o.kind, &o.b, &b);
  if (st == VB_OK && o.from) {
    size_t len;
    char *data = cli_read_input(o.from, &len);
    if (!data) {
      report_error(ctx, &o, VB_C_BATCH_OPEN, o.from, strerror(errno));
      goto out;
    }
    st = vb_batch_read_decision(b, o.from, data, len, &t);
    free(data);
  } else if (st == VB_OK) {
    memset(&topt, 0, sizeof(topt));
    topt.labels = vb_batch_labels(b, &topt.nlabels);
    topt.sheet = o.sheet;
    st = vb_table_read_file(ctx, o.list, &topt, &t);
  }
  if (st != VB_OK) {
    cli_print_diags(ctx, o.lang, NULL, NULL, 0);
    if (!vb_error_count(ctx))
      fprintf(stderr, "%s: %s\n", o.from ? o.from : o.list,
              vb_status_str(st, o.lang));
    goto out;
  }
  n = vb_table_nrows(t);
  ok = calloc(n ? n : 1, 1);
  if (!ok)
    goto out;
  if (!o.check && n <= KEEP_DOCS)
    o.kept = calloc(n ? n : 1, sizeof(*o.kept)); /* NULL: made again */
  memset(&pg, 0, sizeof(pg));
  pg.on = isatty(2) && !o.quiet;
  pg.start = now();
  pg.total = n;
  pg.what = cli_tr(o.lang, "kiểm tra", "checking");
  /* every record first: nothing is written while one is invalid */
  for (i = 0; i < n; i++) {
    vb_doc *doc;
    st = vb_batch_doc(b, t, i, &doc);
    if (st == VB_OK) {
      if (!o.check && (o.formats & VB_FORMAT_PDF))
        st = vb_batch_prepare(b, doc);
      if (st == VB_OK && o.kept)
        o.kept[i] = doc;
      else
        vb_doc_free(doc);
    }
    if (st == VB_OK) {
      ok[i] = 1;
      good++;
    } else if (st == VB_EINVALID || st == VB_ELIMIT) {
      bad++;
    } else {
      fprintf(stderr, "%s: %s\n", o.list ? o.list : o.from,
              vb_status_str(st, o.lang));
      goto out;
    }
    progress_show(&pg, i + 1, o.lang);
  }
  cli_print_diags(ctx, o.lang, NULL, NULL, 0);
  if (o.check || (bad && !o.keep_going) || !good) {
    if (bad && !o.check)
      fputs(cli_tr(o.lang,
                   "Không ghi tệp nào: sửa các dòng trên, hoặc dùng "
                   "--keep-going để in các dòng hợp lệ.\n",
                   "Nothing written: fix the rows above, or use "
                   "--keep-going to print the valid rows.\n"),
            stderr);
    rc = bad || !n ? EXIT_INPUT : 0;
    summary(&o, good, bad, 0, now() - start);
    goto out;
  }
  vb_ctx_clear(ctx);
  pg.start = now();
  pg.last = 0;
  pg.total = good;
  pg.what = cli_tr(o.lang, "in      ", "printing");
  rc = o.split ? run_split(ctx, b, t, &o, ok, &pg, &files)
               : run_one_pdf(ctx, b, t, &o, ok, &pg, &files);
  if (!rc && bad)
    rc = EXIT_INPUT; /* --keep-going: printed, but not every row */
  summary(&o, good, bad, files, now() - start);
out:
  if (o.kept)
    for (i = 0; i < n; i++)
      vb_doc_free(o.kept[i]);
  free(o.kept);
  free(ok);
  vb_table_free(t);
  vb_batch_free(b);
  vb_ctx_free(ctx);
  return rc;
}
