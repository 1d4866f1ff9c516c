/* batch.c - one document kind printed once per record of a list (a batch
 * of certificates): the template and the profiles are read once, each
 * record becomes an input model directly (no XML in between), validated
 * and composed like any document, its diagnostics moved to the list's row
 * and column; the PDFs of a batch share font subsets made once. */
#define _DEFAULT_SOURCE /* mkstemp */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "compose.h"
#include "ctx.h"
#include "doc.h"
#include "form.h"
#include "input.h"
#include "render.h"
#include "table.h"
#include <sys/stat.h>

/* A3 is A4 scaled by the square root of two. */
#define A3_SCALE 1.41421356
#define MM_PT (72.0 / 25.4)

struct vb_batch {
  vb_ctx *ctx;
  struct vb_arena arena;          /* the template, the labels */
  const struct vb_template *t;
  vb_batch_opts opt;
  double scale;                   /* 1, or A3_SCALE */
  vb_table_label *labels;
  size_t nlabels;
  struct vb_pdf_chars *chars;     /* what every record draws */
  struct vb_pdf_book *book;       /* the PDF being drawn, or NULL */
  int subset;                     /* the subsets are made */
  const vb_table *seen;           /* rows of this list already found to */
  unsigned char *one_page;        /* fit one page: not laid out again */
  size_t nseen;
};

static void add_labels(vb_batch *b, const struct vb_field *f) {
  for (; f; f = f->next) {
    if (f->type == VB_F_GROUP)
      continue; /* a batch fills top-level fields */
    b->labels[b->nlabels].label = f->label_vi ? f->label_vi : f->name;
    b->labels[b->nlabels++].name = f->name;
  }
}

vb_status vb_batch_new(vb_ctx *ctx, const char *kind,
                       const vb_batch_opts *opt, vb_batch **out) {
  vb_batch *b;
  const struct vb_field *f;
  size_t n = 1;
  vb_status st;
  if (out)
    *out = NULL;
  if (!ctx || !kind || !out)
    return VB_EUSAGE;
  if (opt && opt->paper && strcmp(opt->paper, "A4") &&
      strcmp(opt->paper, "A3"))
    return VB_EUSAGE;
  b = vb_calloc(&ctx->mem, 1, sizeof(*b));
  if (!b)
    return VB_ENOMEM;
  b->ctx = ctx;
  if (opt)
    b->opt = *opt;
  b->scale = b->opt.paper && !strcmp(b->opt.paper, "A3") ? A3_SCALE : 1;
  vb_arena_init(&b->arena, &ctx->mem);
  st = vb_template_load(ctx, &b->arena, kind, kind, NULL, &b->t);
  if (st == VB_OK) {
    for (f = b->t->root.first; f; f = f->next)
      n++;
    b->labels = vb_arena_alloc(&b->arena, n * sizeof(*b->labels));
    if (!b->labels)
      st = VB_ENOMEM;
  }
  if (st == VB_OK) {
    add_labels(b, b->t->root.first);
    b->labels[b->nlabels].label = "thể thức";
    b->labels[b->nlabels++].name = "the-thuc";
    st = vb_pdf_chars_new(&ctx->mem, &b->chars);
  }
  if (st != VB_OK) {
    vb_batch_free(b);
    return st;
  }
  *out = b;
  return VB_OK;
}

void vb_batch_free(vb_batch *b) {
  if (!b)
    return;
  vb_pdf_book_free(b->book);
  vb_pdf_chars_free(b->chars);
  vb_mfree(&b->ctx->mem, b->one_page);
  vb_arena_release(&b->arena);
  vb_mfree(&b->ctx->mem, b);
}

const vb_table_label *vb_batch_labels(const vb_batch *b, size_t *n) {
  if (n)
    *n = b ? b->nlabels : 0;
  return b ? b->labels : NULL;
}

/* Diagnostics of a record name its row and column: the elements were
 * given the row as line and the column as col. */
static void to_cells(vb_ctx *ctx, size_t from, unsigned row,
                     const char *const *names, const unsigned *fcol,
                     size_t n) {
  size_t i;
  for (i = from; i < ctx->ndiag; i++) {
    vb_diag *d = &ctx->diags[i];
    if (!row)
      continue;
    d->table = 1;
    d->line = row;
    if (d->col >= 1 && d->col <= n) {
      d->column = names[d->col - 1];
      if (fcol)
        d->col = fcol[d->col - 1];
    } else if (d->field)
      d->column = d->field;
    else
      d->col = 0;
    if (d->column && !(d->column = vb_arena_strdup(&ctx->strings,
                                                   d->column)))
      d->col = 0;
  }
}

/* A3: every length and size of the tree scaled; sizes rounded down, so
 * that a line that fits on A4 fits on A3. */
static vb_status scale_tree(struct vb_tree *t, double k) {
  struct vb_iter it;
  struct vb_node *n;
  struct vb_page_setup *pg = &t->page;
#define SC(v) ((v) = (int)floor((v) * k))
  SC(pg->width);
  SC(pg->height);
  SC(pg->margin_top);
  SC(pg->margin_bottom);
  SC(pg->margin_left);
  SC(pg->margin_right);
  SC(pg->border);
  vb_iter_init(&it, t->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    n = (struct vb_node *)vb_iter_node(&it);
    if (it.ev != VB_EVENT_ENTER)
      continue;
    switch (n->type) {
    case VB_NODE_PARAGRAPH:
      SC(n->as.para.size);
      SC(n->as.para.first_indent);
      SC(n->as.para.indent_left);
      SC(n->as.para.indent_right);
      SC(n->as.para.space_before);
      SC(n->as.para.space_after);
      break;
    case VB_NODE_TEXT:
      SC(n->as.text.size);
      break;
    case VB_NODE_RULE:
      SC(n->as.rule.length);
      SC(n->as.rule.space_before);
      SC(n->as.rule.space_after);
      break;
    case VB_NODE_TABLE: {
      int *w = vb_arena_alloc(&t->arena,
                              (size_t)n->as.table.ncols * sizeof(int));
      int j;
      if (!w)
        return VB_ENOMEM;
      for (j = 0; j < n->as.table.ncols; j++)
        w[j] = (int)floor(n->as.table.widths[j] * k);
      n->as.table.widths = w;
      SC(n->as.table.indent);
      break;
    }
    default:
      break;
    }
  }
#undef SC
  return VB_OK;
}

/* Builds the input model of one record in the document's arena: a
 * <van-ban> with one child per non-empty value of a field of the kind,
 * at line `row` and column j + 1. */
static vb_status build(vb_batch *b, vb_doc *doc, unsigned row,
                       const char *const *names, const char *const *values,
                       const size_t *lens, size_t n,
                       struct vb_elem **out) {
  struct vb_arena *a = &doc->input;
  struct vb_elem *root = vb_arena_alloc(a, sizeof(*root));
  const char *profile = b->opt.profile;
  size_t j;
  if (!root)
    return VB_ENOMEM;
  root->name = "van-ban";
  root->text = "";
  root->line = row;
  for (j = 0; j < n; j++) {
    struct vb_elem *e;
    if (!names[j] || !values[j] || !lens[j])
      continue;
    if (!strcmp(names[j], "the-thuc")) {
      profile = vb_arena_strndup(a, values[j], lens[j]);
      continue;
    }
    /* columns that are no field were reported by the list reader (B025) */
    if (!vb_field_child(&b->t->root, names[j]))
      continue;
    e = vb_arena_alloc(a, sizeof(*e));
    if (!e || !(e->text = vb_arena_strndup(a, values[j], lens[j])))
      return VB_ENOMEM;
    e->name = names[j];
    e->len = lens[j];
    e->line = e->text_line = row;
    e->col = (unsigned)(j + 1);
    e->parent = root;
    if (root->last)
      root->last->next = e;
    else
      root->first = e;
    root->last = e;
  }
  if (profile) {
    struct vb_attr *at = vb_arena_alloc(a, sizeof(*at));
    if (!at || !profile)
      return VB_ENOMEM;
    at->name = "the-thuc";
    at->value = profile;
    at->line = row;
    root->attrs = at;
  }
  *out = root;
  return VB_OK;
}

static vb_status record(vb_batch *b, const char *file, unsigned row,
                        const char *const *names, const char *const *values,
                        const size_t *lens, const unsigned *fcol, size_t n,
                        int known_one_page, vb_doc **out) {
  vb_ctx *ctx = b->ctx;
  size_t first = ctx->ndiag, errors = vb_error_count(ctx);
  struct vb_elem *root;
  struct vb_fonts *fonts;
  vb_doc *doc;
  vb_status st;
  int pages = 0;
  *out = NULL;
  doc = vb_calloc(&ctx->mem, 1, sizeof(*doc));
  if (!doc)
    return VB_ENOMEM;
  doc->ctx = ctx;
  doc->mem = ctx->mem;
  vb_arena_init(&doc->tree.arena, &doc->mem);
  vb_arena_init(&doc->input, &doc->mem);
  file = vb_arena_strdup(&doc->input, file ? file : "-");
  st = file ? build(b, doc, row, names, values, lens, n, &root) : VB_ENOMEM;
  if (st == VB_OK)
    st = vb_validate(ctx, &doc->input, file, b->t, root, 0, &doc->chk);
  doc->chk.t = b->t;
  if (st == VB_OK && vb_error_count(ctx) > errors)
    st = VB_EINVALID;
  doc->tree.overlay = b->opt.overlay;
  if (st == VB_OK)
    st = vb_doc_compose(ctx, doc);
  if (st == VB_OK && b->scale != 1)
    st = scale_tree(&doc->tree, b->scale);
  /* V131: a certificate is one page; more means its text would run off */
  if (st == VB_OK && !known_one_page &&
      (st = vb_ctx_fonts(ctx, &fonts)) == VB_OK &&
      (st = vb_pdf_count_pages(&doc->tree, fonts, &ctx->mem, &pages)) ==
          VB_OK &&
      pages > 1) {
    char np[16];
    const struct vb_value *v = doc->chk.rec ? doc->chk.rec->first : NULL;
    snprintf(np, sizeof(np), "%d", pages);
    if (!vb_diag_add(ctx, VB_C_ONE_PAGE, file, row, 0,
                     v && v->text ? v->text : "", np))
      st = VB_ENOMEM;
    else
      st = VB_EINVALID;
  }
  to_cells(ctx, first, row, names, fcol, n);
  if (st != VB_OK) {
    vb_doc_free(doc);
    return st;
  }
  *out = doc;
  return VB_OK;
}

vb_status vb_batch_doc_values(vb_batch *b, const char *file, unsigned row,
                              const char *const *names,
                              const char *const *values, size_t n,
                              vb_doc **out) {
  size_t *lens, j;
  vb_status st;
  if (out)
    *out = NULL;
  if (!b || !out || (n && (!names || !values)))
    return VB_EUSAGE;
  lens = vb_calloc(&b->ctx->mem, n ? n : 1, sizeof(*lens));
  if (!lens)
    return VB_ENOMEM;
  for (j = 0; j < n; j++)
    lens[j] = values[j] ? strlen(values[j]) : 0;
  st = record(b, file, row, names, values, lens, NULL, n, 0, out);
  vb_mfree(&b->ctx->mem, lens);
  return st;
}

vb_status vb_batch_doc(vb_batch *b, const vb_table *t, size_t i,
                       vb_doc **out) {
  const char **names, **values;
  size_t *lens, j, n;
  unsigned *fcol;
  vb_status st = VB_ENOMEM;
  if (out)
    *out = NULL;
  if (!b || !t || !out || i >= t->nrows)
    return VB_EUSAGE;
  n = t->ncols;
  names = vb_calloc(&b->ctx->mem, n ? n : 1, sizeof(*names));
  values = vb_calloc(&b->ctx->mem, n ? n : 1, sizeof(*values));
  lens = vb_calloc(&b->ctx->mem, n ? n : 1, sizeof(*lens));
  fcol = vb_calloc(&b->ctx->mem, n ? n : 1, sizeof(*fcol));
  if (names && values && lens && fcol) {
    for (j = 0; j < n; j++) {
      names[j] = t->cols[j].name;
      values[j] = t->rows[i].cells[j].s;
      lens[j] = t->rows[i].cells[j].len;
      fcol[j] = t->cols[j].col; /* the file's column, 1 is A */
    }
    if (b->seen != t) { /* a new list: forget what the last one showed */
      vb_mfree(&b->ctx->mem, b->one_page);
      b->one_page = vb_calloc(&b->ctx->mem, t->nrows ? t->nrows : 1, 1);
      b->seen = b->one_page ? t : NULL;
      b->nseen = b->one_page ? t->nrows : 0;
    }
    st = record(b, t->name, t->rows[i].row, names, values, lens, fcol, n,
                b->seen == t && i < b->nseen && b->one_page[i], out);
    if (st == VB_OK && b->seen == t && i < b->nseen)
      b->one_page[i] = 1; /* the same row composes the same page again */
  }
  vb_mfree(&b->ctx->mem, fcol);
  vb_mfree(&b->ctx->mem, names);
  vb_mfree(&b->ctx->mem, values);
  vb_mfree(&b->ctx->mem, lens);
  return st;
}

vb_status vb_batch_prepare(vb_batch *b, const vb_doc *doc) {
  if (!b || !doc || !doc->composed || doc->chk.t != b->t)
    return VB_EUSAGE;
  if (b->subset)
    return VB_EUSAGE;
  vb_pdf_chars_add(b->chars, &doc->tree);
  return VB_OK;
}

vb_status vb_batch_pdf_begin(vb_batch *b) {
  struct vb_fonts *fonts;
  struct vb_pdf_look look;
  vb_status st;
  if (!b || b->book)
    return VB_EUSAGE;
  if ((st = vb_ctx_fonts(b->ctx, &fonts)) != VB_OK)
    return st;
  if (!b->subset) {
    b->subset = 1;
    if ((st = vb_pdf_chars_subset(b->chars, fonts)) != VB_OK)
      return st;
  }
  memset(&look, 0, sizeof(look));
  look.overlay = b->opt.overlay;
  look.dx = b->opt.offset_x_mm * MM_PT;
  look.dy = b->opt.offset_y_mm * MM_PT;
  return vb_pdf_book_new(&b->ctx->mem, fonts, b->chars, &look, &b->book);
}

vb_status vb_batch_pdf_add(vb_batch *b, const vb_doc *doc) {
  if (!b || !b->book || !doc || !doc->composed || doc->chk.t != b->t)
    return VB_EUSAGE;
  return vb_pdf_book_add(b->book, &doc->tree, NULL);
}

vb_status vb_batch_pdf_end(vb_batch *b, unsigned char **out, size_t *len) {
  struct vb_buf buf;
  vb_status st;
  if (out)
    *out = NULL;
  if (len)
    *len = 0;
  if (!b || !b->book || !out || !len)
    return VB_EUSAGE;
  vb_buf_init(&buf, &b->ctx->mem, VB_MAX_OUTPUT_BYTES);
  st = vb_pdf_book_save(b->book, b->t->title_vi, &buf);
  vb_pdf_book_free(b->book);
  b->book = NULL;
  if (st != VB_OK) {
    vb_buf_release(&buf);
    return st;
  }
  if (vb_buf_err(&buf)) {
    st = vb_buf_err(&buf);
    vb_buf_release(&buf);
    return st;
  }
  *out = (unsigned char *)vb_buf_detach(&buf, len);
  return *out ? VB_OK : VB_ENOMEM;
}

/* --- the records of a Quyết định công nhận -------------------------------- */

/* A decision's element that every record inherits, by the name of the
 * certificate's field it fills. */
static const char *decision_field(const char *path) {
  static const char *const map[][2] = {
      {"so", "so-quyet-dinh"},        {"ngay", "ngay-quyet-dinh"},
      {"nguoi-ky/ho-ten", "nguoi-ky"}, {"nguoi-ky/chuc-vu", "chuc-vu"},
      {"nguoi-ky/quyen-han", "quyen-han"},
  };
  size_t i;
  for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (!strcmp(map[i][0], path))
      return map[i][1];
  return path;
}

/* Columns of a decision's list: names in first-seen order. */
struct dcols {
  const char **v;
  size_t n, cap;
};

static long dcol(vb_batch *b, struct dcols *c, const char *name) {
  size_t i;
  for (i = 0; i < c->n; i++)
    if (!strcmp(c->v[i], name))
      return (long)i;
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 32;
    const char **v = vb_realloc(&b->ctx->mem, c->v, cap * sizeof(*v));
    if (!v)
      return -1;
    c->v = v;
    c->cap = cap;
  }
  c->v[c->n] = name;
  return (long)c->n++;
}

/* Values of the decision itself: defaults of every record. */
static int decision_defaults(vb_batch *b, struct vb_arena *a,
                             const struct vb_elem *root, struct dcols *c,
                             const char ***vals, const struct vb_elem **list) {
  const struct vb_elem *e, *k;
  const struct vb_attr *tt = vb_elem_attr(root, "the-thuc");
  size_t cap = 64;
  *vals = vb_arena_alloc(a, cap * sizeof(**vals));
  if (!*vals)
    return 0;
#define PUT(name, value)                                                     \
  do {                                                                       \
    long j_ = dcol(b, c, (name));                                            \
    if (j_ < 0 || (size_t)j_ >= cap)                                         \
      return 0;                                                              \
    (*vals)[j_] = (value);                                                   \
  } while (0)
  if (tt)
    PUT("the-thuc", tt->value);
  for (e = root->first; e; e = e->next) {
    if (!strcmp(e->name, "danh-sach")) {
      *list = e;
      continue;
    }
    if (!e->first) {
      const char *f = decision_field(e->name);
      if (vb_field_child(&b->t->root, f))
        PUT(f, vb_elem_clean(a, e));
      if (!strcmp(e->name, "ngay") && vb_field_child(&b->t->root, "ngay"))
        PUT("ngay", vb_elem_clean(a, e)); /* signed on the decision's day */
      continue;
    }
    for (k = e->first; k; k = k->next) {
      char path[2 * VB_TPL_MAX_NAME + 8];
      const char *f;
      snprintf(path, sizeof(path), "%s/%s", e->name, k->name);
      f = decision_field(path);
      if (f != path && vb_field_child(&b->t->root, f))
        PUT(f, vb_elem_clean(a, k));
    }
  }
#undef PUT
  return 1;
}

vb_status vb_batch_read_decision(vb_batch *b, const char *name,
                                 const char *data, size_t len,
                                 vb_table **out) {
  vb_ctx *ctx;
  struct vb_table *t;
  struct vb_elem *root = NULL;
  const struct vb_elem *list = NULL, *r, *e;
  struct dcols c = {NULL, 0, 0};
  const char **defaults = NULL;
  size_t nrec = 0, j, ndef;
  vb_status st;
  if (out)
    *out = NULL;
  if (!b || !out || (!data && len))
    return VB_EUSAGE;
  ctx = b->ctx;
  t = vb_calloc(&ctx->mem, 1, sizeof(*t));
  if (!t)
    return VB_ENOMEM;
  t->mem = &ctx->mem;
  vb_arena_init(&t->arena, t->mem);
  t->name = vb_arena_strdup(&t->arena, name ? name : "-");
  st = t->name ? vb_input_read(ctx, &t->arena, t->name, data ? data : "",
                               len, &root)
               : VB_ENOMEM;
  if (st == VB_OK &&
      !decision_defaults(b, &t->arena, root, &c, &defaults, &list))
    st = VB_ENOMEM;
  if (st == VB_OK && list)
    for (r = list->first; r; r = r->next)
      nrec++;
  if (st == VB_OK && !nrec) {
    vb_diag_add(ctx, VB_C_BATCH_DECISION, t->name, root->line, root->col,
                "danh-sach", NULL);
    st = VB_EINVALID;
  }
  ndef = c.n;
  /* every field any record names is a column */
  for (r = list ? list->first : NULL; st == VB_OK && r; r = r->next)
    for (e = r->first; e; e = e->next)
      if (dcol(b, &c, e->name) < 0)
        st = VB_ENOMEM;
  if (st == VB_OK) {
    t->ncols = c.n;
    t->cols = vb_arena_alloc(&t->arena, (c.n ? c.n : 1) * sizeof(*t->cols));
    t->rows = vb_calloc(t->mem, nrec, sizeof(*t->rows));
    if (!t->cols || !t->rows)
      st = VB_ENOMEM;
  }
  for (j = 0; st == VB_OK && j < c.n; j++) {
    t->cols[j].name = t->cols[j].header = c.v[j];
    t->cols[j].col = (unsigned)(j + 1);
    t->cols[j].known = vb_field_child(&b->t->root, c.v[j]) != NULL;
  }
  for (r = list ? list->first : NULL; st == VB_OK && r; r = r->next) {
    struct vb_table_row *row = &t->rows[t->nrows];
    row->row = r->line;
    row->cells = vb_arena_alloc(&t->arena, c.n * sizeof(*row->cells));
    if (!row->cells) {
      st = VB_ENOMEM;
      break;
    }
    for (j = 0; j < c.n; j++) {
      const char *v = j < ndef ? defaults[j] : NULL;
      for (e = r->first; e; e = e->next)
        if (!strcmp(e->name, c.v[j]))
          v = vb_elem_clean(&t->arena, e);
      row->cells[j].s = v ? v : "";
      row->cells[j].len = v ? strlen(v) : 0;
    }
    t->nrows++;
  }
  vb_mfree(&ctx->mem, c.v);
  if (st == VB_OK && t->arena.failed)
    st = VB_ENOMEM;
  if (st != VB_OK) {
    vb_table_free(t);
    return st;
  }
  *out = t;
  return VB_OK;
}

vb_status vb_batch_pdf_end_file(vb_batch *b, const char *path) {
  struct vb_arena a;
  char *tmp;
  vb_status st;
  int fd;
  if (!b || !b->book || !path || !strcmp(path, "-"))
    return VB_EUSAGE;
  vb_arena_init(&a, &b->ctx->mem);
  tmp = vb_arena_alloc(&a, strlen(path) + 16);
  if (!tmp) {
    vb_arena_release(&a);
    return VB_ENOMEM;
  }
  /* a temporary file beside the target, renamed over it when complete */
  snprintf(tmp, strlen(path) + 16, "%s.XXXXXX", path);
  fd = mkstemp(tmp);
  if (fd < 0) {
    vb_arena_release(&a);
    vb_pdf_book_free(b->book);
    b->book = NULL;
    return VB_EIO;
  }
  close(fd);
  st = vb_pdf_book_save_file(b->book, b->t->title_vi, tmp);
  vb_pdf_book_free(b->book);
  b->book = NULL;
  if (st == VB_OK && chmod(tmp, 0644) != 0)
    st = VB_EIO;
  if (st == VB_OK && rename(tmp, path) != 0)
    st = VB_EIO;
  if (st != VB_OK)
    unlink(tmp);
  vb_arena_release(&a);
  return st;
}
