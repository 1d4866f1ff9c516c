/* vanban.c - the public API: contexts, the parse -> validate -> compose
 * chain, rendering to memory. Files are read and written in file.c. */
#define _DEFAULT_SOURCE /* readlink */
#include <errno.h>
#include <math.h>
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
#include "text.h"

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
  ctx->data_src = VB_DATA_OPTION;
  if (!d || !*d) {
    d = getenv("VANBAN_DATADIR");
    ctx->data_src = VB_DATA_ENV;
  }
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
        ctx->data_src = VB_DATA_CHECKOUT;
        break;
      }
    }
    if (d != exe)
      d = NULL;
  }
  if (!d || !*d) {
    d = VB_DATADIR;
    ctx->data_src = VB_DATA_INSTALLED;
  }
  /* a folder name too long is not cut (the cut name would be another
   * folder): left empty, the fonts are then missing (VB_EFONT) */
  if (strlen(d) < sizeof(ctx->data_dir))
    memcpy(ctx->data_dir, d, strlen(d) + 1);
  else
    ctx->data_dir[0] = '\0';
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
  ctx->ndiag = ctx->nerr = ctx->kept_err = ctx->kept_warn = 0;
  ctx->truncated = 0;
  vb_arena_release(&ctx->strings);
}

static void cache_free(vb_ctx *ctx);

void vb_ctx_free(vb_ctx *ctx) {
  if (!ctx)
    return;
  cache_free(ctx);
  vb_arena_release(&ctx->strings);
  vb_mfree(&ctx->mem, ctx->diags);
  vb_fonts_free(ctx->fonts);
  vb_mfree(&ctx->mem, ctx);
}

static const void *cached(vb_ctx *ctx, enum vb_cache_kind kind,
                         const char *name) {
  const struct vb_cached *e;
  for (e = ctx->cached; e; e = e->next)
    if (e->kind == kind && !strcmp(e->name, name))
      return e->ptr;
  return NULL;
}

vb_status vb_ctx_load(vb_ctx *ctx, enum vb_cache_kind kind, const char *name,
                      const char *file, const struct vb_elem *at,
                      vb_cache_loader load, const void **out) {
  struct vb_cached *e;
  vb_status st;
  /* read once per context: the later documents of a batch reuse it */
  if ((*out = cached(ctx, kind, name)))
    return VB_OK;
  e = vb_calloc(&ctx->mem, 1, sizeof(*e));
  if (!e)
    return VB_ENOMEM;
  e->kind = kind;
  vb_arena_init(&e->arena, &ctx->mem);
  st = load(ctx, &e->arena, name, file, at, out);
  if (st == VB_OK && (e->arena.failed ||
                      !(e->name = vb_arena_strdup(&e->arena, name))))
    st = VB_ENOMEM;
  if (st != VB_OK) {
    /* a failed load is not kept: its diagnostics come again next time */
    vb_arena_release(&e->arena);
    vb_mfree(&ctx->mem, e);
    *out = NULL;
    return st;
  }
  e->ptr = *out;
  e->next = ctx->cached;
  ctx->cached = e;
  return VB_OK;
}

static void cache_free(vb_ctx *ctx) {
  struct vb_cached *e = ctx->cached, *next;
  for (; e; e = next) {
    next = e->next;
    vb_arena_release(&e->arena);
    vb_mfree(&ctx->mem, e);
  }
  ctx->cached = NULL;
}

void vb_free(vb_ctx *ctx, void *ptr) {
  vb_mfree(ctx ? &ctx->mem : &vb_mem_default, ptr);
}

int vb_data_missing(vb_ctx *ctx, const char *sub, const char *name) {
  static const char *const src[][2] = {
      {"vb_options.data_dir", "vb_options.data_dir"},
      {"biến VANBAN_DATADIR", "the VANBAN_DATADIR variable"},
      {"thư mục mã nguồn chứa chương trình", "the source checkout of the "
       "program"},
      {"thư mục cài đặt; VANBAN_DATADIR chưa đặt, chương trình không nằm "
       "trong thư mục mã nguồn", "the installed folder; VANBAN_DATADIR is "
       "not set and the program is not in a source checkout"}};
  struct vb_buf file, where, rel;
  int ok, k = ctx->data_src >= 0 && ctx->data_src <= VB_DATA_INSTALLED
                  ? ctx->data_src
                  : VB_DATA_INSTALLED;
  vb_buf_init(&file, &ctx->mem, 1 << 16);
  vb_buf_init(&where, &ctx->mem, 1 << 16);
  vb_buf_init(&rel, &ctx->mem, 1 << 16);
  vb_buf_printf(&rel, "%s/%s", sub, name);
  vb_buf_printf(&file, "%s/%s", ctx->data_dir[0] ? ctx->data_dir : "?",
                rel.ptr ? rel.ptr : "");
  vb_buf_printf(&where, "%s (%s)", ctx->data_dir[0] ? ctx->data_dir : "?",
                src[k][ctx->opt.lang == VB_LANG_EN]);
  ok = !vb_buf_err(&file) && !vb_buf_err(&where) && !vb_buf_err(&rel) &&
       vb_diag_add(ctx, VB_C_DATA_MISSING, file.ptr, 0, 0, rel.ptr,
                   where.ptr);
  vb_buf_release(&rel);
  vb_buf_release(&file);
  vb_buf_release(&where);
  return ok;
}

/* A face file not there (X043), or there but not a regular file (X005: a
 * FIFO, a folder). Returns 0 when out of memory. */
static int font_missing(vb_ctx *ctx, const char *dir, const char *name) {
  struct vb_buf path;
  struct stat st;
  int ok;
  vb_buf_init(&path, &ctx->mem, 1 << 16);
  vb_buf_printf(&path, "%s/%s", dir, name);
  if (vb_buf_err(&path))
    return 0;
  if (stat(path.ptr, &st) == 0)
    ok = vb_diag_add(ctx, VB_C_IO, path.ptr, 0, 0,
                     vb_errno_str(S_ISDIR(st.st_mode) ? EISDIR : EINVAL,
                                  ctx->opt.lang),
                     NULL);
  else
    ok = vb_data_missing(ctx, "fonts", name);
  vb_buf_release(&path);
  return ok;
}

vb_status vb_ctx_fonts(vb_ctx *ctx, struct vb_fonts **out) {
  char dir[VB_PATH_MAX + 8];
  const char *missing;
  vb_status st;
  if (!ctx->fonts) {
    snprintf(dir, sizeof(dir), "%s/fonts", ctx->data_dir);
    st = ctx->data_dir[0] ? vb_fonts_open(&ctx->mem, dir, &ctx->fonts)
                          : VB_EFONT;
    if (st == VB_EFONT) {
      /* which face, in which folder: X043 */
      missing = vb_fonts_missing(dir);
      if (missing && !font_missing(ctx, dir, missing))
        return VB_ENOMEM;
    }
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
  if (st == VB_OK) {
    /* what vb_doc_get_info() tells, copied: the template and the profile
     * are the context's (read once), the document may outlive it */
    const struct vb_checked *k = &doc->chk;
    struct vb_arena *a = &doc->input;
#define DUP(s) ((s) ? vb_arena_strdup(a, (s)) : NULL)
    doc->kind = DUP(k->t->name);
    doc->profile = k->profile ? DUP(k->profile->name) : NULL;
    doc->party = k->profile ? k->profile->party : 0;
    if (k->type) {
      doc->type_key = DUP(k->type->key);
      doc->type_name = DUP(k->type->name);
      doc->type_code = DUP(k->type->code);
    }
#undef DUP
    if (a->failed)
      st = VB_ENOMEM;
  }
  sort_diags(ctx, first_diag);
  if (st != VB_OK) {
    vb_doc_free(doc);
    return st;
  }
  *out = doc;
  return VB_OK;
}

/* X007, X011, X012 once more over the composed text: input.c checks the
 * XML's text, but a Markdown body decodes its own character references
 * ("&#x202E;" inside CDATA) after that check. Nothing invisible reaches a
 * renderer, whichever way it came in. Returns 0 when out of memory. */
static int check_tree_text(vb_ctx *ctx, const char *file,
                           const struct vb_node *root) {
  struct vb_iter it;
  vb_iter_init(&it, root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    const struct vb_node *n = vb_iter_node(&it);
    size_t i = 0, len;
    const char *s;
    if (it.ev != VB_EVENT_ENTER || n->type != VB_NODE_TEXT)
      continue;
    s = n->as.text.text;
    len = n->as.text.len;
    while (i < len) {
      size_t at = i;
      uint32_t c = vb_utf8_next(s, len, &i);
      vb_code code = VB_C_NONE;
      char hex[16];
      if (i == at)
        i++;
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F ||
          (c >= 0x80 && c < 0xA0))
        code = VB_C_CONTROL_CHAR;
      else if (vb_text_invisible(c) == VB_INVISIBLE_BIDI)
        code = VB_C_BIDI;
      else if (vb_text_invisible(c) == VB_INVISIBLE_FORMAT)
        code = VB_C_INVISIBLE;
      if (code == VB_C_NONE)
        continue;
      snprintf(hex, sizeof(hex), "U+%04X", (unsigned)c);
      if (!vb_diag_add(ctx, code, file, n->line, n->col, hex,
                       n->parent && n->parent->type == VB_NODE_PARAGRAPH
                           ? vb_role_name(n->parent->as.para.role)
                           : ""))
        return 0;
      break; /* one per run */
    }
  }
  return 1;
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
  /* a NaN margin passes every range check and is then converted to int
   * (undefined behaviour); refused with the call */
  if (!isfinite(ctx->opt.margin_top) || !isfinite(ctx->opt.margin_bottom) ||
      !isfinite(ctx->opt.margin_left) || !isfinite(ctx->opt.margin_right)) {
    doc->failed = 1;
    return VB_EUSAGE;
  }
  first_diag = ctx->ndiag;
  st = vb_ctx_fonts(ctx, &fonts);
  if (st == VB_OK)
    st = doc->form ? vb_compose_form(ctx, &doc->chk, fonts, &doc->tree)
                   : vb_compose(ctx, &doc->chk, fonts, &doc->tree);
  if (st == VB_OK && !vb_node_check(doc->tree.root))
    st = VB_EINVALID;
  if (st == VB_OK) {
    size_t errors = vb_error_count(ctx);
    if (!check_tree_text(ctx, doc->chk.plan.file, doc->tree.root))
      st = VB_ENOMEM;
    else if (vb_error_count(ctx) > errors)
      st = VB_EINVALID;
  }
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
  /* the doc's own copies: templates and profiles belong to the context */
  out->kind = doc->kind;
  out->profile = doc->profile;
  out->party = doc->party;
  out->type_key = doc->type_key;
  out->type_name = doc->type_name;
  out->type_code = doc->type_code;
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

vb_status vb_doc_parse_file(vb_ctx *ctx, const char *path, vb_doc **out) {
  char *data = NULL, lim[32];
  size_t len = 0;
  vb_status st;
  if (out)
    *out = NULL;
  if (!ctx || !path || !out)
    return VB_EUSAGE;
  st = vb_read_file(&ctx->mem, path, VB_MAX_INPUT_BYTES, 0, &data, &len);
  if (st == VB_EIO) {
    if (!vb_diag_add(ctx, VB_C_IO, path, 0, 0,
                     vb_errno_str(errno, ctx->opt.lang), NULL))
      return VB_ENOMEM;
    return VB_EIO;
  }
  if (st == VB_ELIMIT) {
    snprintf(lim, sizeof(lim), "%u MiB", VB_MAX_INPUT_BYTES >> 20);
    return vb_diag_add(ctx, VB_C_LIMIT, path, 0, 0,
                       vb_tr(ctx, "kích thước tệp", "file size"), lim)
               ? VB_ELIMIT
               : VB_ENOMEM;
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
  errno = 0;
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
  /* libharu reports a font file it could not open or read (its fopen,
   * HarfBuzz's subsetter) as a PDF or font error without saying why: when
   * an allocation of the C library failed on the way, say so (issue 7:
   * "lỗi khi tạo PDF" for out of memory) */
  if ((st == VB_EPDF || st == VB_EDOCX || st == VB_EFONT) && errno == ENOMEM)
    st = VB_ENOMEM;
  /* X009 says which limit: the output size, or the page count */
  if (st == VB_ELIMIT) {
    char lim[32];
    int out_full = vb_buf_err(&b) == VB_ELIMIT;
    snprintf(lim, sizeof(lim), out_full ? "%zu MiB" : "%zu",
             out_full ? VB_MAX_OUTPUT_BYTES >> 20
                      : (size_t)VB_LAYOUT_MAX_PAGES);
    if (!vb_diag_add(ctx, VB_C_LIMIT, NULL, 0, 0,
                     out_full ? vb_tr(ctx, "kích thước tệp kết quả",
                                      "output size")
                              : vb_tr(ctx, "số trang", "number of pages"),
                     lim))
      st = VB_ENOMEM;
  }
  if (st != VB_OK) {
    vb_buf_release(&b);
    return st;
  }
  *out = (unsigned char *)vb_buf_detach(&b, len);
  return *out ? VB_OK : VB_ENOMEM;
}
