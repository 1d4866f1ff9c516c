/* attach.c - lists an input names instead of writing them out. A repeated
 * group declared tu-tep="ATTR" in its template (the models attached to a
 * Quyết định công nhận) may come from the CSV or XLSX file that the
 * attribute ATTR of the element holding it names: before validation each
 * row of the file becomes an element of the group and each cell one of its
 * fields, carrying the file, row and column so that the validator's
 * messages name the cell. The list reader is table.c. */
#define _DEFAULT_SOURCE /* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "table.h"

struct attacher {
  vb_ctx *ctx;
  struct vb_arena *a;
  const char *file; /* the document, for messages and its folder */
  vb_status st;
};

static void note(struct attacher *x, vb_code code, const struct vb_attr *at,
                 const char *a0, const char *a1) {
  if (!vb_diag_add(x->ctx, code, x->file, at->line, at->col, a0, a1))
    x->st = VB_ENOMEM;
}

/* V111: a name inside the document's folder: relative, no "..", no
 * backslash (a Windows separator would escape the check). */
static int inside(const char *p) {
  const char *s = p;
  if (!*p || *p == '/' || strchr(p, '\\'))
    return 0;
  while (*s) {
    size_t n = strcspn(s, "/");
    if (n == 2 && s[0] == '.' && s[1] == '.')
      return 0;
    s += n;
    if (*s == '/')
      s++;
  }
  return 1;
}

/* V111 again, after links are followed: the file `path` (the folder's
 * name is its first `dirlen` bytes, none for the current folder) resolves
 * inside that folder. A file that is not there passes: the list reader
 * then says it cannot be read. */
static int resolves_inside(const char *path, size_t dirlen) {
  char dir[PATH_MAX], real_dir[PATH_MAX], real_file[PATH_MAX];
  size_t n;
  if (dirlen >= sizeof(dir))
    return 0;
  memcpy(dir, dirlen ? path : ".", dirlen ? dirlen : 1);
  dir[dirlen ? dirlen : 1] = '\0';
  if (!realpath(path, real_file))
    return 1;
  if (!realpath(dir, real_dir))
    return 0;
  n = strlen(real_dir);
  if (n == 1) /* the root folder */
    return 1;
  return !strncmp(real_file, real_dir, n) && real_file[n] == '/';
}

static void append(struct vb_elem *parent, struct vb_elem *k) {
  k->parent = parent;
  if (parent->last)
    parent->last->next = k;
  else
    parent->first = k;
  parent->last = k;
}

static struct vb_elem *element(struct attacher *x, const char *name,
                               const char *file, unsigned row, unsigned col) {
  struct vb_elem *e = vb_arena_alloc(x->a, sizeof(*e));
  if (!e) {
    x->st = VB_ENOMEM;
    return NULL;
  }
  e->name = name;
  e->text = "";
  e->file = file;
  e->line = e->text_line = row;
  e->col = col;
  return e;
}

/* Header spellings: each field's label and name; "TT"/"STT" (the index
 * column a clerk's list has) as a column that is read and left unused. */
static vb_table_label *labels(struct attacher *x, const struct vb_field *f,
                              size_t *n) {
  const struct vb_field *k;
  vb_table_label *l;
  size_t i = 0, cap = 2;
  for (k = f->first; k; k = k->next)
    cap += 2;
  l = vb_arena_alloc(x->a, cap * sizeof(*l));
  if (!l) {
    x->st = VB_ENOMEM;
    return NULL;
  }
  for (k = f->first; k; k = k->next) {
    l[i].label = k->label_vi;
    l[i++].name = k->name;
    l[i].label = k->name;
    l[i++].name = k->name;
  }
  l[i].label = "TT";
  l[i++].name = "stt";
  l[i].label = "STT";
  l[i++].name = "stt";
  *n = i;
  return l;
}

/* The rows of the file named by `src` as instances of f under e. */
static void from_file(struct attacher *x, const struct vb_field *f,
                      struct vb_elem *e, const struct vb_attr *src) {
  struct vb_buf path;
  vb_table_opts opt;
  vb_table *t = NULL;
  const char *slash, *name;
  const struct vb_elem *k;
  size_t i, j;
  vb_status st;
  for (k = e->first; k; k = k->next)
    if (!strcmp(k->name, f->name)) {
      note(x, VB_C_LIST_TWICE, src, f->name, src->value); /* V110 */
      return;
    }
  if (!inside(src->value)) {
    note(x, VB_C_LIST_PATH, src, src->value, /* V111 */
         vb_tr(x->ctx, "đường dẫn tương đối, không có \"..\"",
               "a relative path without \"..\""));
    return;
  }
  /* relative to the document's folder; standard input: the current one */
  vb_buf_init(&path, &x->ctx->mem, VB_PATH_MAX);
  slash = strcmp(x->file, "-") ? strrchr(x->file, '/') : NULL;
  if (slash)
    vb_buf_put(&path, x->file, (size_t)(slash - x->file) + 1);
  vb_buf_puts(&path, src->value);
  if (vb_buf_err(&path)) {
    if (vb_buf_err(&path) == VB_ENOMEM)
      x->st = VB_ENOMEM;
    else
      note(x, VB_C_LIST_PATH, src, src->value,
           vb_tr(x->ctx, "đường dẫn quá dài", "path too long"));
    vb_buf_release(&path);
    return;
  }
  if (!resolves_inside(path.ptr, slash ? (size_t)(slash - x->file) + 1 : 0)) {
    note(x, VB_C_LIST_PATH, src, src->value, /* V111: a link out */
         vb_tr(x->ctx, "liên kết tới tệp ngoài thư mục",
               "a link to a file outside the folder"));
    vb_buf_release(&path);
    return;
  }
  memset(&opt, 0, sizeof(opt));
  opt.labels = labels(x, f, &opt.nlabels);
  name = vb_arena_strdup(x->a, path.ptr);
  if (!opt.labels || !name) {
    x->st = VB_ENOMEM;
    vb_buf_release(&path);
    return;
  }
  st = vb_table_read_file(x->ctx, path.ptr, &opt, &t);
  vb_buf_release(&path);
  if (st == VB_ENOMEM)
    x->st = VB_ENOMEM;
  if (st != VB_OK) /* the reader said what is wrong, row and column */
    return;
  if (!t->nrows && f->required &&
      !vb_diag_add(x->ctx, VB_C_REQUIRED, name, 0, 0, f->name,
                   vb_field_label(f, x->ctx->opt.lang)))
    x->st = VB_ENOMEM; /* V001: a header and no row */
  for (i = 0; i < t->nrows && x->st == VB_OK; i++) {
    struct vb_elem *r = element(x, f->name, name, t->rows[i].row, 0);
    if (!r)
      break;
    append(e, r);
    for (j = 0; j < t->ncols && x->st == VB_OK; j++) {
      const struct vb_field *c = vb_field_child(f, t->cols[j].name);
      const struct vb_table_cell *v = &t->rows[i].cells[j];
      struct vb_elem *ce;
      if (!c || c->attr || !v->len)
        continue; /* the TT column, unknown columns (B025), empty cells */
      ce = element(x, c->name, name, t->rows[i].row, t->cols[j].col);
      if (!ce || !(ce->text = vb_arena_strndup(x->a, v->s, v->len))) {
        x->st = VB_ENOMEM;
        break;
      }
      ce->len = v->len;
      append(r, ce);
    }
  }
  vb_table_free(t);
}

static void walk(struct attacher *x, const struct vb_field *pf,
                 struct vb_elem *e) {
  const struct vb_field *f;
  struct vb_elem *k;
  for (f = pf->first; f && x->st == VB_OK; f = f->next) {
    if (f->type != VB_F_GROUP)
      continue;
    if (f->from_file) {
      const struct vb_attr *src = vb_elem_attr(e, f->from_file);
      if (src)
        from_file(x, f, e, src);
    }
    /* groups nest at most VB_TPL_MAX_FIELD_DEPTH deep */
    for (k = e->first; k && x->st == VB_OK; k = k->next)
      if (!k->file && !strcmp(k->name, f->name))
        walk(x, f, k);
  }
}

vb_status vb_attach_lists(vb_ctx *ctx, struct vb_arena *a, const char *file,
                          const struct vb_template *t, struct vb_elem *root) {
  struct attacher x;
  x.ctx = ctx;
  x.a = a;
  x.file = file ? file : "-";
  x.st = VB_OK;
  walk(&x, &t->root, root);
  return x.st;
}
