/* template.c - expands a template's layout (form.h) over the record of a
 * validated document into the document tree: paragraphs of literal text
 * and field values, Markdown bodies, loops over repeated fields,
 * conditions, borderless or ruled tables, rules, and the C parts of the
 * profile (header, title block, signature). The expansion is bounded: a
 * template cannot recurse, and loops run only over the input's values. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "compose.h"
#include "text.h"

/* Nodes one expansion may create: the input holds at most VB_MAX_ELEMENTS
 * elements and a layout at most VB_TPL_MAX_LAYOUT nodes; a loop repeats
 * its body once per value, so this bounds what a hostile pair can make. */
#define MAX_EXPANDED_NODES 2000000

struct expander {
  struct composer *c;
  size_t nodes;
  int index; /* 1-based index of the innermost loop's value; 0 outside */
};

static int budget(struct expander *x) {
  if (++x->nodes <= MAX_EXPANDED_NODES)
    return 1;
  if (x->c->st == VB_OK) {
    char lim[32];
    snprintf(lim, sizeof(lim), "%d", MAX_EXPANDED_NODES);
    vb_diag_add(x->c->ctx, VB_C_LIMIT, x->c->chk->t->path, 0, 0,
                vb_tr(x->c->ctx, "số phần tử khi triển khai mẫu",
                      "nodes expanded from the template"),
                lim);
    x->c->st = VB_ELIMIT;
  }
  return 0;
}

static const struct vb_value *lookup(const struct vb_value *scope,
                                     const struct vb_lnode *n) {
  return vb_value_path(scope, n->name);
}

static int has_value(const struct vb_value *v) {
  return v && (v->text || v->first || v->f->type == VB_F_MARKDOWN);
}

static int holds(const struct vb_value *scope, const struct vb_lnode *n) {
  const struct vb_value *v = lookup(scope, n);
  if (n->text) /* truong= bang= */
    return v && v->key && !strcmp(v->key, n->text);
  return n->negate ? !has_value(v) : has_value(v);
}

/* Text of a value as printed: dates as DD/MM/YYYY or in words (NĐ 30
 * Phụ lục I, II.4.b), choices by label. */
static const char *printed(const struct vb_value *v, int words, char *tmp,
                           size_t cap) {
  if (!v || !v->text)
    return NULL;
  if (v->f->type == VB_F_DATE && v->y) {
    if (words) {
      vb_format_date(tmp, cap, v->y, v->m, v->d);
      if (words == 2)
        tmp[0] = 'N';
    } else {
      snprintf(tmp, cap, "%02d/%02d/%04d", v->d, v->m, v->y);
    }
    return tmp;
  }
  return v->text;
}

static void run(struct expander *x, struct vb_node *para, const char *s,
                size_t n, unsigned flags, int upper) {
  struct composer *c = x->c;
  if (!n || !budget(x))
    return;
  if (upper) {
    struct vb_buf b;
    vb_buf_init(&b, &c->ctx->mem, (size_t)VB_MAX_INPUT_BYTES * 4);
    if (vb_text_upper(s, n, &b) != VB_OK ||
        !vb_add_run(c->a, para, b.ptr, b.len, flags, 0))
      c->st = VB_ENOMEM;
    vb_buf_release(&b);
    return;
  }
  /* text next to text of the same face joins its run: one run per
   * stretch of one face, as a clerk's Word file has */
  if (para->last && para->last->type == VB_NODE_TEXT &&
      para->last->as.text.flags == flags && !para->last->as.text.size) {
    struct vb_node *t = para->last;
    char *j = vb_arena_alloc(c->a, t->as.text.len + n + 1);
    if (!j) {
      c->st = VB_ENOMEM;
      return;
    }
    memcpy(j, t->as.text.text, t->as.text.len);
    memcpy(j + t->as.text.len, s, n);
    j[t->as.text.len + n] = '\0';
    t->as.text.text = j;
    t->as.text.len += n;
    return;
  }
  if (!vb_add_run(c->a, para, s, n, flags, 0))
    c->st = VB_ENOMEM;
}

/* Literal text of a paragraph: runs of white space print as one space,
 * none at the start of the paragraph (the end is trimmed when it closes). */
static void literal(struct expander *x, struct vb_node *para, const char *s,
                    size_t n, unsigned flags, int upper) {
  struct vb_buf b;
  size_t i;
  int space = para->first != NULL;
  vb_buf_init(&b, &x->c->ctx->mem, n + 1);
  for (i = 0; i < n; i++) {
    char ch = s[i];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (space)
        vb_buf_putc(&b, ' ');
      space = 0;
      while (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t' ||
                           s[i + 1] == '\n' || s[i + 1] == '\r'))
        i++;
    } else {
      vb_buf_putc(&b, ch);
      space = 1;
    }
  }
  if (vb_buf_err(&b))
    x->c->st = vb_buf_err(&b);
  else
    run(x, para, b.ptr, b.len, flags, upper);
  vb_buf_release(&b);
}

/* The path of the k-th value of `name` under `path`: "can-cu[2]",
 * "nguoi-ky/quyen-han[1]" (the tags of a form's fields). */
static const char *instance(struct expander *x, const char *path,
                            const char *name, int k) {
  char *s;
  size_t n = strlen(path) + strlen(name) + 16;
  s = vb_arena_alloc(x->c->a, n);
  if (!s) {
    x->c->st = VB_ENOMEM;
    return "";
  }
  snprintf(s, n, "%s%s%s[%d]", path, *path ? "/" : "", name, k);
  return s;
}

/* The tag of a field named by `name` (a path, or ".") under `path`. */
static const char *tag(struct expander *x, const char *path,
                       const char *name) {
  char *s;
  size_t n;
  if (!strcmp(name, "."))
    return path;
  n = strlen(path) + strlen(name) + 2;
  s = vb_arena_alloc(x->c->a, n);
  if (!s) {
    x->c->st = VB_ENOMEM;
    return "";
  }
  snprintf(s, n, "%s%s%s", path, *path ? "/" : "", name);
  return s;
}

/* A form field for the value of `n`: a content control in the DOCX, dots
 * in the PDF while blank; prefilled with `text` when the draft has it. */
static struct vb_node *field_node(struct expander *x, const struct vb_lnode *n,
                                  const char *path, enum vb_node_type type) {
  struct composer *c = x->c;
  const struct vb_field *f = n->field;
  struct vb_node *fn;
  size_t i;
  if (!budget(x) || !(fn = vb_node_new(c->a, type))) {
    if (c->st == VB_OK)
      c->st = VB_ENOMEM;
    return NULL;
  }
  fn->as.field.tag = tag(x, path, n->name);
  fn->as.field.label = f->label_vi;
  fn->as.field.hint = f->hint ? f->hint : f->label_vi;
  fn->as.field.kind = type == VB_NODE_FIELD_BLOCK ? VB_FIELD_MULTILINE
                      : f->type == VB_F_DATE      ? VB_FIELD_DATE
                      : f->type == VB_F_CHOICE    ? VB_FIELD_CHOICE
                                                  : VB_FIELD_TEXT;
  if (f->type == VB_F_CHOICE && type == VB_NODE_FIELD) {
    const char **ch = vb_arena_alloc(c->a, (f->nchoices + 1) * sizeof(*ch));
    if (!ch) {
      c->st = VB_ENOMEM;
      return NULL;
    }
    for (i = 0; i < f->nchoices; i++)
      ch[i] = f->choices[i].label;
    fn->as.field.choices = ch;
    fn->as.field.nchoices = f->nchoices;
  }
  /* dots as wide as the template's blank text, or 50 mm */
  fn->as.field.blank_width =
      n->blank ? vb_compose_width(c, n->flags, c->pr->sz_body, n->blank)
               : 2835;
  fn->as.field.blank_lines = n->blank_lines > 0 ? n->blank_lines : 3;
  fn->as.field.flags = n->flags;
  return fn;
}

static void inlines(struct expander *x, const struct vb_lnode *n,
                    const struct vb_value *scope, const char *path, struct vb_node *para,
                    unsigned flags, int upper) {
  char tmp[64];
  for (; n && x->c->st == VB_OK; n = n->next) {
    switch (n->type) {
    case VB_L_TEXT:
      literal(x, para, n->text, strlen(n->text), flags, upper);
      break;
    case VB_L_VALUE: {
      const char *s = printed(lookup(scope, n), x->c->form ? 0 : n->date_words,
                              tmp, sizeof(tmp));
      if (x->c->form) {
        struct vb_node *fn = field_node(x, n, path, VB_NODE_FIELD);
        if (!fn)
          break;
        fn->as.field.flags |= flags;
        if (!vb_node_append(para, fn)) {
          x->c->st = VB_EINVALID;
          break;
        }
        if (s)
          run(x, fn, s, strlen(s), flags | n->flags, 0);
        break;
      }
      if (!s)
        s = n->blank;
      if (s)
        run(x, para, s, strlen(s),
            flags | n->flags |
                (x->c->t->overlay && !n->preprinted ? VB_RUN_VALUE : 0),
            upper || n->upper);
      break;
    }
    case VB_L_SPAN:
      inlines(x, n->first, scope, path, para, flags | n->flags, upper);
      break;
    case VB_L_BREAK: {
      struct vb_node *b = vb_node_new(x->c->a, VB_NODE_LINE_BREAK);
      if (!b || !budget(x))
        x->c->st = x->c->st == VB_OK ? VB_ENOMEM : x->c->st;
      else if (!vb_node_append(para, b))
        x->c->st = VB_EINVALID;
      break;
    }
    case VB_L_IF:
      if (holds(scope, n))
        inlines(x, n->first, scope, path, para, flags, upper);
      break;
    case VB_L_INDEX:
      if (x->index > 0) {
        snprintf(tmp, sizeof(tmp), "%d", x->index);
        run(x, para, tmp, strlen(tmp), flags, 0);
      }
      break;
    case VB_L_NUMBER: {
      struct vb_buf num;
      vb_buf_init(&num, &x->c->ctx->mem, (size_t)VB_MAX_INPUT_BYTES * 4);
      vb_compose_number(x->c, &num);
      if (vb_buf_err(&num))
        x->c->st = vb_buf_err(&num);
      else
        run(x, para, num.ptr, num.len, flags, 0);
      vb_buf_release(&num);
      break;
    }
    default:
      break;
    }
  }
}

/* Drops the white space a paragraph's literal text ends with. */
static void trim_end(struct vb_node *para) {
  struct vb_node *t = para->last;
  while (t && t->type == VB_NODE_TEXT && t->as.text.len &&
         t->as.text.text[t->as.text.len - 1] == ' ') {
    ((char *)t->as.text.text)[--t->as.text.len] = '\0';
  }
}

static void style(struct composer *c, const struct vb_lnode *n,
                  struct vb_node *p) {
  struct vb_pstyle *s = &p->as.para;
  if (n->body_style)
    vb_body_style(c->pr, n->role >= 0 ? (enum vb_role)n->role : VB_ROLE_BODY,
                  s);
  if (n->role >= 0)
    s->role = (enum vb_role)n->role;
  if (n->align >= 0)
    s->align = (enum vb_align)n->align;
  if (n->size >= 0)
    s->size = n->size;
  if (n->first_indent >= 0)
    s->first_indent = n->first_indent;
  if (n->indent_left >= 0)
    s->indent_left = n->indent_left;
  if (n->before >= 0)
    s->space_before = n->before;
  if (n->after >= 0)
    s->space_after = n->after;
  if (n->keep_next)
    s->keep_next = 1;
}

static struct vb_node *paragraph(struct expander *x, const struct vb_lnode *n,
                                 struct vb_node *parent,
                                 const struct vb_elem *src) {
  struct composer *c = x->c;
  struct vb_node *p;
  if (!budget(x))
    return NULL;
  p = vb_compose_para(c, parent, VB_ROLE_NONE, VB_ALIGN_LEFT,
                      c->pr->sz_body, src);
  if (p)
    style(c, n, p);
  return p;
}

static void blocks(struct expander *x, const struct vb_lnode *n,
                   const struct vb_value *scope, const char *path, struct vb_node *parent,
                   int width);

/* A text field as paragraphs: Markdown as the body is, a line as one
 * paragraph in the element's style. */
static void block(struct expander *x, const struct vb_lnode *n,
                  const struct vb_value *scope, const char *path, struct vb_node *parent) {
  struct composer *c = x->c;
  const struct vb_value *v = lookup(scope, n);
  char tmp[32];
  const char *s;
  struct vb_node *p;
  if (c->form) {
    struct vb_node *fb = field_node(x, n, path, VB_NODE_FIELD_BLOCK);
    if (!fb || !vb_node_append(parent, fb)) {
      if (c->st == VB_OK)
        c->st = VB_EINVALID;
      return;
    }
    parent = fb; /* the value, when the draft has it, inside the field */
    if (!v || !v->src || (v->f->type == VB_F_MARKDOWN && !v->src->len) ||
        (v->f->type != VB_F_MARKDOWN && !v->text))
      return;
  }
  if (v && v->f->type == VB_F_MARKDOWN && v->src && v->src->len) {
    struct vb_node *k, *before = parent->last;
    vb_status st = vb_markdown_blocks(c->ctx, c->chk->plan.file, c->a, c->pr,
                                      v->src, parent);
    if (st != VB_OK) {
      c->st = st;
      return;
    }
    /* the element's style over the body's, where it says something */
    for (k = before ? before->next : parent->first; k; k = k->next)
      if (k->type == VB_NODE_PARAGRAPH) {
        int role = k->as.para.role;
        style(c, n, k);
        if (n->role < 0)
          k->as.para.role = (enum vb_role)role;
      }
    return;
  }
  s = printed(v, 0, tmp, sizeof(tmp));
  if (!s)
    return;
  p = paragraph(x, n, parent, v ? v->src : NULL);
  if (p)
    run(x, p, s, strlen(s), n->flags, 0);
}

static void table(struct expander *x, const struct vb_lnode *n,
                  const struct vb_value *scope, const char *path, struct vb_node *parent,
                  int width);

static void rows(struct expander *x, const struct vb_lnode *n,
                 const struct vb_value *scope, const char *path, struct vb_node *t,
                 const struct vb_lnode *tn, int width) {
  struct composer *c = x->c;
  for (; n && c->st == VB_OK; n = n->next) {
    if (n->type == VB_L_LOOP) {
      const struct vb_value *v = lookup(scope, n);
      int k = 1;
      int outer = x->index;
      /* a blank form shows one of a repeated field */
      x->index = 1;
      if (!v && c->form)
        rows(x, n->first, NULL, instance(x, path, n->name, 1), t, tn, width);
      for (; v && c->st == VB_OK; v = vb_value_next(v), k++) {
        x->index = k;
        rows(x, n->first, v, instance(x, path, n->name, k), t, tn, width);
      }
      x->index = outer;
    } else if (n->type == VB_L_IF) {
      if (holds(scope, n))
        rows(x, n->first, scope, path, t, tn, width);
    } else if (n->type == VB_L_ROW) {
      const struct vb_lnode *cl;
      struct vb_node *row = vb_node_new(c->a, VB_NODE_ROW);
      int k = 0;
      if (!row || !budget(x)) {
        c->st = c->st == VB_OK ? VB_ENOMEM : c->st;
        return;
      }
      row->as.row.cant_split = 1;
      row->as.row.header = n->head;
      if (!vb_node_append(t, row)) {
        c->st = VB_EINVALID;
        return;
      }
      for (cl = n->first; cl && k < tn->ncols; cl = cl->next, k++) {
        struct vb_node *cell = vb_node_new(c->a, VB_NODE_CELL);
        if (!cell || !budget(x)) {
          c->st = c->st == VB_OK ? VB_ENOMEM : c->st;
          return;
        }
        if (!vb_node_append(row, cell)) {
          c->st = VB_EINVALID;
          return;
        }
        blocks(x, cl->first, scope, path, cell,
               t->as.table.widths[k] -
                   ((t->as.table.flags & VB_TABLE_BORDERS) ? 2 * VB_TABLE_PAD_X
                                                           : 0));
        /* a cell holds at least one paragraph (Word requires it) */
        if (!cell->first &&
            !vb_compose_para(c, cell, VB_ROLE_NONE, VB_ALIGN_LEFT,
                             c->pr->sz_body, NULL))
          return;
      }
      /* cells the row does not give are empty */
      for (; k < tn->ncols; k++) {
        struct vb_node *cell = vb_node_new(c->a, VB_NODE_CELL);
        if (!cell) {
          c->st = VB_ENOMEM;
          return;
        }
        if (!vb_node_append(row, cell)) {
          c->st = VB_EINVALID;
          return;
        }
        if (!vb_compose_para(c, cell, VB_ROLE_NONE, VB_ALIGN_LEFT,
                             c->pr->sz_body, NULL))
          return;
      }
    }
  }
  (void)width;
}

static void table(struct expander *x, const struct vb_lnode *n,
                  const struct vb_value *scope, const char *path, struct vb_node *parent,
                  int width) {
  struct composer *c = x->c;
  struct vb_node *t = vb_node_new(c->a, VB_NODE_TABLE);
  int *w = vb_arena_alloc(c->a, (size_t)(n->ncols > 0 ? n->ncols : 1) *
                                    sizeof(int));
  int k, used = 0;
  if (!t || !w || !budget(x)) {
    c->st = c->st == VB_OK ? VB_ENOMEM : c->st;
    return;
  }
  for (k = 0; k < n->ncols; k++) {
    /* the last column takes the rounding */
    w[k] = k + 1 < n->ncols ? width * n->widths[k] / 100 : width - used;
    used += w[k];
  }
  t->as.table.ncols = n->ncols;
  t->as.table.widths = w;
  t->as.table.flags = n->table_flags;
  rows(x, n->first, scope, path, t, n, width);
  if (!t->first)
    return;
  /* a block kept together (a signature) never stands alone at the top of
   * a page: it keeps the last paragraph before it */
  if ((n->table_flags & VB_TABLE_KEEP_TOGETHER) && parent->last &&
      parent->last->type == VB_NODE_PARAGRAPH)
    parent->last->as.para.keep_next = 1;
  if (!vb_node_append(parent, t))
    c->st = VB_EINVALID;
}

static void blocks(struct expander *x, const struct vb_lnode *n,
                   const struct vb_value *scope, const char *path, struct vb_node *parent,
                   int width) {
  struct composer *c = x->c;
  for (; n && c->st == VB_OK; n = n->next) {
    switch (n->type) {
    case VB_L_PART:
      /* parts are written for the whole page */
      if (parent == c->t->root)
        vb_compose_part(c, n->name);
      break;
    case VB_L_MARKDOWN: {
      const struct vb_value *v = lookup(scope, n);
      if (v && v->src) {
        vb_status st = vb_markdown_blocks(c->ctx, c->chk->plan.file, c->a,
                                          c->pr, v->src, parent);
        if (st != VB_OK)
          c->st = st;
      }
      break;
    }
    case VB_L_PARA: {
      struct vb_node *p = paragraph(x, n, parent, NULL);
      if (!p)
        break;
      inlines(x, n->first, scope, path, p, n->flags, n->upper);
      trim_end(p);
      if (n->fit_lines && !c->form)
        vb_compose_fit(c, p, n, scope, width);
      break;
    }
    case VB_L_BLOCK:
      block(x, n, scope, path, parent);
      break;
    case VB_L_LOOP: {
      const struct vb_value *v = lookup(scope, n);
      int k = 1, outer = x->index;
      /* a blank form shows one of a repeated field */
      x->index = 1;
      if (!v && c->form)
        blocks(x, n->first, NULL, instance(x, path, n->name, 1), parent,
               width);
      for (; v && c->st == VB_OK; v = vb_value_next(v), k++) {
        x->index = k;
        blocks(x, n->first, v, instance(x, path, n->name, k), parent, width);
      }
      x->index = outer;
      break;
    }
    case VB_L_IF:
      if (holds(scope, n))
        blocks(x, n->first, scope, path, parent, width);
      break;
    case VB_L_TABLE:
      table(x, n, scope, path, parent, width);
      break;
    case VB_L_RULE: {
      int len = n->length * width / 1000;
      if (!n->length && parent->last &&
          parent->last->type == VB_NODE_PARAGRAPH) {
        /* as long as the text of the paragraph above */
        const struct vb_node *r;
        len = 0;
        for (r = parent->last->first; r; r = r->next)
          if (r->type == VB_NODE_TEXT)
            len += vb_compose_width(
                c, r->as.text.flags,
                r->as.text.size ? r->as.text.size : parent->last->as.para.size,
                r->as.text.text);
      }
      if (len > width)
        len = width;
      if (budget(x))
        vb_compose_rule(c, parent, len, n->before, n->after);
      break;
    }
    case VB_L_PAGE_BREAK: {
      struct vb_node *b = vb_node_new(c->a, VB_NODE_PAGE_BREAK);
      if (!b || !budget(x))
        c->st = c->st == VB_OK ? VB_ENOMEM : c->st;
      else if (!vb_node_append(parent, b))
        c->st = VB_EINVALID;
      break;
    }
    default:
      break;
    }
  }
}

vb_status vb_template_expand(struct composer *c, const struct vb_lnode *n) {
  struct expander x;
  memset(&x, 0, sizeof(x));
  x.c = c;
  if (!c->pr)
    return VB_EINVALID;
  blocks(&x, n, c->chk->rec, "", c->t->root, c->text_width);
  return c->st;
}
