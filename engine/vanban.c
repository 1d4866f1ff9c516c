/* vanban.c - the public API: contexts, the parse -> validate -> compose
 * chain, rendering to memory, and atomic file writes. */
#define _DEFAULT_SOURCE /* mkstemps */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "compose.h"
#include "ctx.h"
#include "doc.h"
#include "input.h"
#include "form.h"
#include "layout.h"
#include "render.h"

/* The installed data folder, $(DATADIR) of the Makefile: PREFIX/share/vanban. */
#ifndef VB_DATADIR
#define VB_DATADIR "/usr/local/share/vanban"
#endif

const char *vb_version(void) { return VB_VERSION; }

static int has_fonts(const char *dir) {
  char p[VB_PATH_MAX];
  int n = snprintf(p, sizeof(p), "%s/fonts/LiberationSerif-Regular.ttf", dir);
  return n > 0 && (size_t)n < sizeof(p) && access(p, R_OK) == 0;
}

/* A vanban source checkout: its data folders and its public header. */
static int is_checkout(const char *dir) {
  char p[VB_PATH_MAX];
  int n = snprintf(p, sizeof(p), "%s/engine/vanban.h", dir);
  return n > 0 && (size_t)n < sizeof(p) && access(p, R_OK) == 0 &&
         has_fonts(dir);
}

/* The data folder, first found of: the option, $VANBAN_DATADIR, the source
 * checkout a program runs from (build/vanban, build/tests/test_core: up to
 * three folders above the program), then the installed VB_DATADIR. No path
 * of the build machine is compiled in: an installed copy reads VB_DATADIR,
 * however it was built. */
static void find_data_dir(vb_ctx *ctx) {
  const char *d = ctx->opt.data_dir;
  char exe[VB_PATH_MAX];
  ssize_t n;
  if (!d || !*d)
    d = getenv("VANBAN_DATADIR");
  if ((!d || !*d) &&
      (n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
    char *slash;
    int up;
    exe[n] = '\0';
    /* up 0 strips the program's name; 1..3 are the folders above */
    for (up = 0; up < 4 && (slash = strrchr(exe, '/')) && slash != exe;
         up++) {
      *slash = '\0';
      if (up > 0 && is_checkout(exe)) {
        d = exe;
        break;
      }
    }
    if (d != exe)
      d = NULL;
  }
  if (!d || !*d)
    d = VB_DATADIR;
  snprintf(ctx->data_dir, sizeof(ctx->data_dir), "%s", d);
}

vb_ctx *vb_ctx_new(const vb_options *opt) {
  const vb_mem *mem = opt && opt->mem ? opt->mem : &vb_mem_default;
  vb_ctx *ctx = vb_calloc(mem, 1, sizeof(*ctx));
  if (!ctx)
    return NULL;
  if (opt)
    ctx->opt = *opt;
  ctx->mem = *mem;
  ctx->opt.mem = NULL;
  vb_arena_init(&ctx->strings, &ctx->mem);
  find_data_dir(ctx);
  return ctx;
}

void vb_ctx_clear(vb_ctx *ctx) {
  if (!ctx)
    return;
  ctx->ndiag = ctx->nerr = 0;
  ctx->truncated = 0;
  vb_arena_release(&ctx->strings);
}

void vb_ctx_free(vb_ctx *ctx) {
  if (!ctx)
    return;
  vb_arena_release(&ctx->strings);
  vb_mfree(&ctx->mem, ctx->diags);
  vb_fonts_free(ctx->fonts);
  vb_mfree(&ctx->mem, ctx);
}

void vb_free(vb_ctx *ctx, void *ptr) {
  vb_mfree(ctx ? &ctx->mem : &vb_mem_default, ptr);
}

vb_status vb_ctx_fonts(vb_ctx *ctx, struct vb_fonts **out) {
  char dir[VB_PATH_MAX + 8];
  vb_status st;
  if (!ctx->fonts) {
    snprintf(dir, sizeof(dir), "%s/fonts", ctx->data_dir);
    st = vb_fonts_open(&ctx->mem, dir, &ctx->fonts);
    if (st != VB_OK)
      return st;
  }
  *out = ctx->fonts;
  return VB_OK;
}

/* Diagnostics are reported in input order: a stable sort by line and
 * column of those recorded since `from`. */
static void sort_diags(vb_ctx *ctx, size_t from) {
  size_t i, j;
  for (i = from + 1; i < ctx->ndiag; i++) {
    vb_diag d = ctx->diags[i];
    for (j = i; j > from && (ctx->diags[j - 1].line > d.line ||
                             (ctx->diags[j - 1].line == d.line &&
                              ctx->diags[j - 1].col > d.col));
         j--)
      ctx->diags[j] = ctx->diags[j - 1];
    ctx->diags[j] = d;
  }
}

/* Reads and validates; a `kind` (the form of vb_form_new()) reads a
 * draft: its kind is `kind`, and it may leave out what is required. */
static vb_status read_doc(vb_ctx *ctx, const char *name, const char *data,
                          size_t len, const char *kind, vb_doc **out) {
  vb_doc *doc;
  struct vb_elem *root;
  vb_status st;
  size_t first_diag, errors;
  if (out)
    *out = NULL;
  if (!ctx || !out || (!data && len))
    return VB_EUSAGE;
  first_diag = ctx->ndiag;
  /* errors of earlier documents on this context are not this one's */
  errors = vb_error_count(ctx);
  if (!name)
    name = "-";
  doc = vb_calloc(&ctx->mem, 1, sizeof(*doc));
  if (!doc)
    return VB_ENOMEM;
  doc->ctx = ctx;
  doc->mem = ctx->mem;
  vb_arena_init(&doc->tree.arena, &doc->mem);
  vb_arena_init(&doc->input, &doc->mem);
  st = vb_input_read(ctx, &doc->input, name, data ? data : "", len, &root);
  if (st == VB_OK && vb_error_count(ctx) > errors)
    st = VB_EINVALID;
  if (st == VB_OK && strcmp(root->name, "van-ban")) {
    vb_diag_add(ctx, VB_C_XML_ROOT, name, root->line, root->col, root->name,
                NULL);
    st = VB_EINVALID;
  }
  if (st == VB_OK) {
    /* the document kind: <van-ban mau="mau-01b">, a plan by default */
    const struct vb_attr *mau = vb_elem_attr(root, "mau");
    const struct vb_template *t = NULL;
    const char *want = mau ? mau->value : kind ? kind : "ke-hoach";
    if (kind && strcmp(want, kind)) {
      /* a draft of another kind would prefill the wrong fields */
      vb_diag_add(ctx, VB_C_BAD_VALUE, name, root->line, root->col, want,
                  kind);
      st = VB_EINVALID;
    } else {
      st = vb_template_load(ctx, &doc->input, want, name, root, &t);
    }
    if (st == VB_OK)
      st = vb_attach_lists(ctx, &doc->input, name, t, root);
    if (st == VB_OK)
      st = vb_validate(ctx, &doc->input, name, t, root, kind != NULL,
                       &doc->chk);
    doc->form = kind != NULL;
    doc->chk.t = t;
    if (st == VB_OK && vb_error_count(ctx) > errors)
      st = VB_EINVALID;
  }
  sort_diags(ctx, first_diag);
  if (st != VB_OK) {
    vb_doc_free(doc);
    return st;
  }
  *out = doc;
  return VB_OK;
}

vb_status vb_doc_read(vb_ctx *ctx, const char *name, const char *data,
                      size_t len, vb_doc **out) {
  return read_doc(ctx, name, data, len, NULL, out);
}

vb_status vb_form_new(vb_ctx *ctx, const char *kind, const char *name,
                      const char *data, size_t len, vb_doc **out) {
  char empty[VB_PATH_MAX];
  vb_status st;
  if (out)
    *out = NULL;
  if (!ctx || !kind || !out || (!data && len))
    return VB_EUSAGE;
  if (!data) {
    /* no draft: a blank form (the name is checked when it loads) */
    int n = snprintf(empty, sizeof(empty), "<van-ban mau=\"%s\"/>", kind);
    if (n < 0 || (size_t)n >= sizeof(empty) || strchr(kind, '"') ||
        strchr(kind, '<') || strchr(kind, '&'))
      return VB_EUSAGE;
    data = empty;
    len = (size_t)n;
    if (!name)
      name = kind;
  }
  st = read_doc(ctx, name, data, len, kind, out);
  if (st != VB_OK)
    return st;
  st = vb_doc_compose(ctx, *out);
  if (st != VB_OK) {
    vb_doc_free(*out);
    *out = NULL;
  }
  return st;
}

vb_status vb_doc_compose(vb_ctx *ctx, vb_doc *doc) {
  struct vb_fonts *fonts;
  vb_status st;
  size_t first_diag;
  if (!ctx || !doc || doc->ctx != ctx)
    return VB_EUSAGE;
  if (doc->composed)
    return VB_OK;
  if (doc->failed)
    return VB_EUSAGE;
  first_diag = ctx->ndiag;
  st = vb_ctx_fonts(ctx, &fonts);
  if (st == VB_OK)
    st = doc->form ? vb_compose_form(ctx, &doc->chk, fonts, &doc->tree)
                   : vb_compose(ctx, &doc->chk, fonts, &doc->tree);
  if (st == VB_OK && !vb_node_check(doc->tree.root))
    st = VB_EINVALID;
  sort_diags(ctx, first_diag);
  if (st != VB_OK) {
    /* a half-built tree is never rendered */
    doc->failed = 1;
    return st;
  }
  doc->composed = 1;
  return VB_OK;
}

vb_status vb_doc_set_number(vb_doc *doc, long number) {
  if (!doc || doc->composed || doc->failed || number < 1 ||
      number > VB_MAX_NUMBER)
    return VB_EUSAGE;
  if (!doc->chk.type)
    return VB_EUSAGE; /* this kind of document takes no number */
  doc->chk.plan.so = number;
  return VB_OK;
}

vb_status vb_doc_get_info(const vb_doc *doc, vb_doc_info *out) {
  const struct vb_plan *p;
  if (!doc || !out)
    return VB_EUSAGE;
  p = &doc->chk.plan;
  memset(out, 0, sizeof(*out));
  out->kind = doc->chk.t ? doc->chk.t->name : NULL;
  out->profile = p->profile ? p->profile->name : NULL;
  out->party = p->profile ? p->profile->party : 0;
  out->type_key = p->type ? p->type->key : NULL;
  out->type_name = p->type ? p->type->name : NULL;
  out->type_code = p->type ? p->type->code : NULL;
  out->issuer = p->ten.n ? p->ten.v[0] : NULL;
  out->symbol = p->ky_hieu;
  out->year = p->year;
  out->month = p->month;
  out->day = p->day;
  out->number = p->so;
  out->id = p->id;
  out->secret = p->secret;
  out->summary = p->trich_yeu;
  out->signer = p->ho_ten;
  out->signer_title = p->chuc_vu;
  out->composed = doc->composed;
  return VB_OK;
}

vb_status vb_doc_parse(vb_ctx *ctx, const char *name, const char *data,
                       size_t len, vb_doc **out) {
  vb_status st = vb_doc_read(ctx, name, data, len, out);
  if (st != VB_OK)
    return st;
  st = vb_doc_compose(ctx, *out);
  if (st != VB_OK) {
    vb_doc_free(*out);
    *out = NULL;
  }
  return st;
}

/* Reads a whole file (or standard input for "-") into memory. */
static vb_status slurp(vb_ctx *ctx, const char *path, char **data,
                       size_t *len) {
  struct vb_buf b;
  char chunk[65536];
  size_t n;
  FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!fp)
    return VB_EIO;
  vb_buf_init(&b, &ctx->mem, VB_MAX_INPUT_BYTES + 1);
  while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
    vb_buf_put(&b, chunk, n);
    if (vb_buf_err(&b))
      break;
  }
  if (ferror(fp) && !vb_buf_err(&b))
    b.err = VB_EIO;
  if (fp != stdin)
    fclose(fp);
  if (vb_buf_err(&b) == VB_ELIMIT) {
    vb_buf_release(&b);
    return VB_ELIMIT;
  }
  *data = vb_buf_detach(&b, len);
  return *data ? VB_OK : (b.err ? b.err : VB_ENOMEM);
}

vb_status vb_doc_parse_file(vb_ctx *ctx, const char *path, vb_doc **out) {
  char *data = NULL, lim[32];
  size_t len = 0;
  vb_status st;
  if (out)
    *out = NULL;
  if (!ctx || !path || !out)
    return VB_EUSAGE;
  st = slurp(ctx, path, &data, &len);
  if (st == VB_EIO) {
    vb_diag_add(ctx, VB_C_IO, path, 0, 0, strerror(errno), NULL);
    return VB_EIO;
  }
  if (st == VB_ELIMIT) {
    snprintf(lim, sizeof(lim), "%u MiB", VB_MAX_INPUT_BYTES >> 20);
    vb_diag_add(ctx, VB_C_LIMIT, path, 0, 0,
                vb_tr(ctx, "kích thước tệp", "file size"), lim);
    return VB_ELIMIT;
  }
  if (st != VB_OK)
    return st;
  st = vb_doc_parse(ctx, path, data, len, out);
  vb_mfree(&ctx->mem, data);
  return st;
}

void vb_doc_free(vb_doc *doc) {
  vb_mem mem;
  if (!doc)
    return;
  mem = doc->mem;
  vb_arena_release(&doc->tree.arena);
  vb_arena_release(&doc->input);
  vb_mfree(&mem, doc);
}

vb_status vb_render(vb_ctx *ctx, const vb_doc *doc, int format,
                    unsigned char **out, size_t *len) {
  struct vb_buf b;
  struct vb_fonts *fonts = NULL;
  vb_status st;
  if (out)
    *out = NULL;
  if (len)
    *len = 0;
  if (!ctx || !doc || !out || !len)
    return VB_EUSAGE;
  if (!doc->composed || doc->ctx != ctx)
    return VB_EUSAGE;
  vb_buf_init(&b, &ctx->mem, VB_MAX_OUTPUT_BYTES);
  if (format != VB_FORMAT_TREE) {
    st = vb_ctx_fonts(ctx, &fonts);
    if (st != VB_OK)
      return st;
  }
  switch (format) {
  case VB_FORMAT_PDF:
    st = vb_render_pdf(&doc->tree, fonts, &ctx->mem, &b);
    break;
  case VB_FORMAT_DOCX:
    st = vb_render_docx(&doc->tree, fonts, &ctx->mem, &b);
    break;
  case VB_FORMAT_TREE:
    st = vb_render_tree(&doc->tree, &b);
    break;
  case VB_FORMAT_LAYOUT:
    st = vb_render_layout(&doc->tree, fonts, &ctx->mem, &b);
    break;
  default:
    st = VB_EUSAGE;
    break;
  }
  if (st == VB_OK && vb_buf_err(&b))
    st = vb_buf_err(&b);
  /* X009 says which limit: the output size, or the page count */
  if (st == VB_ELIMIT) {
    char lim[32];
    int out_full = vb_buf_err(&b) == VB_ELIMIT;
    snprintf(lim, sizeof(lim), out_full ? "%zu MiB" : "%zu",
             out_full ? VB_MAX_OUTPUT_BYTES >> 20
                      : (size_t)VB_LAYOUT_MAX_PAGES);
    vb_diag_add(ctx, VB_C_LIMIT, NULL, 0, 0,
                out_full ? vb_tr(ctx, "kích thước tệp kết quả", "output size")
                         : vb_tr(ctx, "số trang", "number of pages"),
                lim);
  }
  if (st != VB_OK) {
    vb_buf_release(&b);
    return st;
  }
  *out = (unsigned char *)vb_buf_detach(&b, len);
  return *out ? VB_OK : VB_ENOMEM;
}

int vb_write_all(int fd, const void *data, size_t n) {
  const unsigned char *p = data;
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return 0;
    }
    p += w;
    n -= (size_t)w;
  }
  return 1;
}

vb_status vb_write_file(const char *path, const unsigned char *data,
                        size_t len) {
  char tmp[VB_PATH_MAX];
  int fd, n;
  if (!path || (!data && len))
    return VB_EUSAGE;
  if (!strcmp(path, "-"))
    return vb_write_all(STDOUT_FILENO, data, len) && fflush(stdout) == 0
               ? VB_OK
               : VB_EIO;
  /* a temporary file beside the target, so that rename() is atomic */
  n = snprintf(tmp, sizeof(tmp), "%s.XXXXXX.tmp", path);
  if (n < 0 || (size_t)n >= sizeof(tmp))
    return VB_EIO;
  fd = mkstemps(tmp, 4);
  if (fd < 0)
    return VB_EIO;
  if (!vb_write_all(fd, data, len) || fsync(fd) != 0) {
    close(fd);
    unlink(tmp);
    return VB_EIO;
  }
  /* mkstemps creates 0600; give the file the usual permissions */
  {
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
  }
  if (close(fd) != 0 || rename(tmp, path) != 0) {
    unlink(tmp);
    return VB_EIO;
  }
  return VB_OK;
}
