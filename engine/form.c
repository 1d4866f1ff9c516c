/* form.c - reads a template, templates/NAME.xml: the fields of a document
 * kind, its named checks and its layout, each checked as it is read and
 * every mistake reported at the template's own line. The grammar is small
 * and closed (docs/templates.md): no expressions, includes or recursion. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "buf.h"
#include "form.h"
#include "node.h"

#define MM(x) ((int)((x) * 56.6929 + 0.5))

/* A line field is a name, a place, a summary: this many characters is
 * already several printed lines. Templates set tighter limits per field. */
#define DEFAULT_MAX_LINE 2000
/* A Markdown body is bounded by the input's own size limit. */
#define DEFAULT_MAX_MARKDOWN ((long)VB_MAX_INPUT_BYTES)

struct loader {
  vb_ctx *ctx;
  struct vb_arena *a;
  const char *path;
  struct vb_template *t;
  size_t nfields, nlayout;
  int ok;
};

static void bad(struct loader *l, vb_code code, const struct vb_elem *e,
                const char *a0, const char *a1) {
  if (!vb_diag_add(l->ctx, code, l->path, e ? e->line : 0, e ? e->col : 0,
                   a0, a1))
    l->a->failed = 1;
  l->ok = 0;
}

static const char *attr(const struct vb_elem *e, const char *name) {
  const struct vb_attr *at = vb_elem_attr(e, name);
  return at ? at->value : NULL;
}

/* "co" (yes) or absent; anything else is a mistake. */
static int yes(struct loader *l, const struct vb_elem *e, const char *name) {
  const char *v = attr(e, name);
  if (!v)
    return 0;
  if (!strcmp(v, "co"))
    return 1;
  if (strcmp(v, "khong")) {
    char what[96];
    snprintf(what, sizeof(what), "%s %s (co, khong)", e->name, name);
    bad(l, VB_C_BAD_VALUE, e, v, what);
  }
  return 0;
}

static const char *need(struct loader *l, const struct vb_elem *e,
                        const char *name) {
  const char *v = attr(e, name);
  if (!v || !*v) {
    char what[96];
    snprintf(what, sizeof(what), "%s %s", e->name, name);
    bad(l, VB_C_REQUIRED, e, what, vb_tr(l->ctx, "mẫu văn bản", "template"));
    return NULL;
  }
  return v;
}

/* A whole number in [lo, hi]; `def` when absent. */
static long number(struct loader *l, const struct vb_elem *e,
                   const char *name, long lo, long hi, long def) {
  const char *v = attr(e, name);
  char *end = NULL, what[96];
  long n;
  if (!v)
    return def;
  n = strtol(v, &end, 10);
  if (end == v || *end || n < lo || n > hi) {
    snprintf(what, sizeof(what), "%s %s (%ld-%ld)", e->name, name, lo, hi);
    bad(l, VB_C_BAD_VALUE, e, v, what);
    return def;
  }
  return n;
}

/* A number of points (or mm) with one decimal at most, in [lo, hi]. */
static double measure(struct loader *l, const struct vb_elem *e,
                      const char *name, double lo, double hi, double def) {
  const char *v = attr(e, name);
  char *end = NULL, what[96];
  double d;
  if (!v)
    return def;
  d = strtod(v, &end);
  if (end == v || *end || !(d >= lo && d <= hi)) {
    snprintf(what, sizeof(what), "%s %s (%g-%g)", e->name, name, lo, hi);
    bad(l, VB_C_BAD_VALUE, e, v, what);
    return def;
  }
  return d;
}

static int good_name(const char *s) {
  return vb_name_ok(s, VB_TPL_MAX_NAME);
}

/* Element names a field may take: XML names of the forms' style. */
static int good_field_name(const char *s) { return good_name(s); }

static const char *const ftype_names[] = {"dong", "markdown", "ngay", "so",
                                          "lua-chon", "nhom"};

const char *vb_ftype_name(enum vb_ftype t) {
  return (unsigned)t < sizeof(ftype_names) / sizeof(ftype_names[0])
             ? ftype_names[t]
             : "?";
}

static void unknown(struct loader *l, const struct vb_elem *e) {
  /* X004 in a template is an error: a misspelt element would silently
   * drop a field or a line of the form */
  bad(l, VB_C_TPL_ELEMENT, e, e->name, NULL);
}

static int is_text(const struct vb_elem *e) { return !strcmp(e->name, "#text"); }

static int blank_text(const struct vb_elem *e) {
  size_t i;
  for (i = 0; i < e->len; i++)
    if (e->text[i] != ' ' && e->text[i] != '\t' && e->text[i] != '\n' &&
        e->text[i] != '\r')
      return 0;
  return 1;
}

/* Text of an element without its mixed-content children. */
static const char *clean_text(struct loader *l, const struct vb_elem *e) {
  struct vb_buf b;
  const struct vb_elem *k;
  char *r;
  struct vb_elem tmp;
  vb_buf_init(&b, &l->ctx->mem, 1 << 20);
  for (k = e->first; k; k = k->next)
    if (is_text(k))
      vb_buf_put(&b, k->text, k->len);
  memset(&tmp, 0, sizeof(tmp));
  tmp.text = b.ptr;
  tmp.len = b.len;
  r = vb_buf_err(&b) ? NULL : (char *)vb_elem_clean(l->a, &tmp);
  vb_buf_release(&b);
  if (!r)
    l->a->failed = 1;
  return r;
}

static void read_choices(struct loader *l, const struct vb_elem *e,
                         struct vb_field *f) {
  const struct vb_elem *k, *s;
  size_t n = 0, i = 0;
  struct vb_choice *v;
  for (k = e->first; k; k = k->next)
    if (!strcmp(k->name, "chon"))
      n++;
  if (!n || n > VB_TPL_MAX_CHOICES) {
    char lim[32];
    snprintf(lim, sizeof(lim), "1-%d", VB_TPL_MAX_CHOICES);
    bad(l, VB_C_BAD_VALUE, e, f->name,
        vb_tr(l->ctx, "số lựa chọn <chon>", "number of <chon> choices"));
    (void)lim;
    return;
  }
  v = vb_arena_alloc(l->a, n * sizeof(*v));
  if (!v)
    return;
  for (k = e->first; k; k = k->next) {
    size_t ns = 0, j = 0;
    const char **sp;
    if (is_text(k) || strcmp(k->name, "chon"))
      continue;
    v[i].key = need(l, k, "ma");
    v[i].label = need(l, k, "nhan");
    for (s = k->first; s; s = s->next)
      if (!strcmp(s->name, "viet"))
        ns++;
      else if (!is_text(s) || !blank_text(s))
        unknown(l, s);
    if (ns > VB_TPL_MAX_CHOICES) {
      bad(l, VB_C_BAD_VALUE, k, "viet", vb_tr(l->ctx, "số cách viết",
                                              "number of spellings"));
      ns = VB_TPL_MAX_CHOICES;
    }
    sp = vb_arena_alloc(l->a, (ns + 1) * sizeof(*sp));
    if (!sp)
      return;
    for (s = k->first; s && j < ns; s = s->next)
      if (!strcmp(s->name, "viet"))
        sp[j++] = clean_text(l, s);
    v[i].spellings = sp;
    if (v[i].key && !good_name(v[i].key))
      bad(l, VB_C_BAD_VALUE, k, v[i].key, "chon ma");
    i++;
  }
  f->choices = v;
  f->nchoices = i;
}

static void read_fields(struct loader *l, const struct vb_elem *e,
                        struct vb_field *parent, int depth);

static struct vb_field *read_field(struct loader *l, const struct vb_elem *e,
                                   struct vb_field *parent, int depth) {
  struct vb_field *f;
  const char *v;
  size_t i;
  if (++l->nfields > VB_TPL_MAX_FIELDS || depth > VB_TPL_MAX_FIELD_DEPTH) {
    char lim[32];
    snprintf(lim, sizeof(lim), "%d", depth > VB_TPL_MAX_FIELD_DEPTH
                                         ? VB_TPL_MAX_FIELD_DEPTH
                                         : VB_TPL_MAX_FIELDS);
    bad(l, VB_C_LIMIT, e,
        depth > VB_TPL_MAX_FIELD_DEPTH
            ? vb_tr(l->ctx, "độ sâu lồng nhau của trường",
                    "field nesting depth")
            : vb_tr(l->ctx, "số trường của mẫu", "fields in a template"),
        lim);
    return NULL;
  }
  f = vb_arena_alloc(l->a, sizeof(*f));
  if (!f)
    return NULL;
  f->parent = parent;
  f->line = e->line;
  f->col = e->col;
  f->name = need(l, e, "ten");
  if (f->name && !good_field_name(f->name))
    bad(l, VB_C_BAD_VALUE, e, f->name, "truong ten");
  f->label_vi = need(l, e, "nhan");
  f->label_en = attr(e, "nhan-en");
  if (!f->label_en)
    f->label_en = f->label_vi;
  f->clause = attr(e, "can-cu");
  f->hint = attr(e, "goi-y");
  v = attr(e, "kieu");
  f->type = VB_F_LINE;
  if (v) {
    for (i = 0; i < sizeof(ftype_names) / sizeof(ftype_names[0]); i++)
      if (!strcmp(v, ftype_names[i]))
        break;
    if (i == sizeof(ftype_names) / sizeof(ftype_names[0]))
      bad(l, VB_C_BAD_VALUE, e, v,
          "truong kieu (dong, markdown, ngay, so, lua-chon, nhom)");
    else
      f->type = (enum vb_ftype)i;
  }
  f->required = yes(l, e, "bat-buoc");
  f->repeat = yes(l, e, "lap");
  f->may_be_empty = yes(l, e, "de-trong");
  f->upper = yes(l, e, "viet-hoa");
  v = attr(e, "la");
  if (v && !strcmp(v, "thuoc-tinh"))
    f->attr = 1;
  else if (v)
    bad(l, VB_C_BAD_VALUE, e, v, "truong la (thuoc-tinh)");
  f->from_file = attr(e, "tu-tep");
  if (f->from_file && (f->type != VB_F_GROUP || !f->repeat))
    bad(l, VB_C_BAD_VALUE, e, f->from_file,
        "truong tu-tep (kieu=\"nhom\" lap=\"co\")");
  v = attr(e, "bat-buoc-khi");
  if (v) {
    const char *eq = strchr(v, '=');
    f->when = eq ? vb_arena_strndup(l->a, v, (size_t)(eq - v)) : v;
    f->when_value = eq ? eq + 1 : NULL;
  }
  f->max_chars = number(l, e, "toi-da", 1, 100000000,
                        f->type == VB_F_MARKDOWN ? DEFAULT_MAX_MARKDOWN
                                                 : DEFAULT_MAX_LINE);
  f->warn_chars = number(l, e, "nen-duoi", 1, 100000000, 0);
  if (f->type == VB_F_CHOICE)
    read_choices(l, e, f);
  if (f->type == VB_F_GROUP) {
    if (f->attr)
      bad(l, VB_C_BAD_VALUE, e, "thuoc-tinh", "truong la");
    read_fields(l, e, f, depth + 1);
  } else {
    const struct vb_elem *k;
    for (k = e->first; k; k = k->next)
      if (!(is_text(k) && blank_text(k)) &&
          !(f->type == VB_F_CHOICE && !strcmp(k->name, "chon")))
        unknown(l, k);
  }
  return f;
}

static void read_fields(struct loader *l, const struct vb_elem *e,
                        struct vb_field *parent, int depth) {
  const struct vb_elem *k;
  struct vb_field **tail = &parent->first;
  for (k = e->first; k; k = k->next) {
    struct vb_field *f, *o;
    if (strcmp(k->name, "truong"))
      continue;
    f = read_field(l, k, parent, depth);
    if (!f)
      return;
    for (o = parent->first; o && f->name; o = o->next)
      if (o->name && !strcmp(o->name, f->name) && o->attr == f->attr) {
        char at[24];
        snprintf(at, sizeof(at), "%u", o->line);
        bad(l, VB_C_DUPLICATE, k, f->name, at);
      }
    *tail = f;
    tail = &f->next;
  }
}

const struct vb_field *vb_field_child(const struct vb_field *f,
                                      const char *name) {
  const struct vb_field *c;
  for (c = f ? f->first : NULL; c; c = c->next)
    if (c->name && !strcmp(c->name, name))
      return c;
  return NULL;
}

int vb_path_step(const char **p, char part[VB_TPL_MAX_NAME + 1]) {
  const char *slash;
  size_t n;
  if (!**p)
    return 0;
  slash = strchr(*p, '/');
  n = slash ? (size_t)(slash - *p) : strlen(*p);
  if (n > VB_TPL_MAX_NAME)
    return -1;
  memcpy(part, *p, n);
  part[n] = '\0';
  *p += n + (slash != NULL);
  return 1;
}

const struct vb_field *vb_field_path(const struct vb_field *from,
                                     const char *path) {
  char part[VB_TPL_MAX_NAME + 1];
  int r;
  if (!strcmp(path, "."))
    return from;
  while (from && (r = vb_path_step(&path, part)) != 0)
    from = r < 0 ? NULL : vb_field_child(from, part);
  return from;
}

const char *vb_field_label(const struct vb_field *f, vb_lang lang) {
  return lang == VB_LANG_EN ? f->label_en : f->label_vi;
}

/* --- layout ---------------------------------------------------------- */

struct lname {
  const char *name;
  enum vb_ltype type;
};

static const struct lname lnames[] = {
    {"phan", VB_L_PART},       {"markdown", VB_L_MARKDOWN},
    {"doan", VB_L_PARA},       {"gt", VB_L_VALUE},
    {"dam", VB_L_SPAN},        {"nghieng", VB_L_SPAN},
    {"gach", VB_L_SPAN},       {"xuong-dong", VB_L_BREAK},
    {"khoi", VB_L_BLOCK},      {"lap", VB_L_LOOP},
    {"neu", VB_L_IF},          {"bang", VB_L_TABLE},
    {"hang", VB_L_ROW},        {"o", VB_L_CELL},
    {"duong", VB_L_RULE},      {"ngat-trang", VB_L_PAGE_BREAK},
    {"stt", VB_L_INDEX},       {"so-ky-hieu", VB_L_NUMBER},
};

/* The parts written in C (template.c), by name. */
static const char *const parts[] = {"tieu-de", "ten-loai", "can-cu",
                                    "chu-ky", "tieu-de-kem-theo"};

static const char *const aligns[] = {"trai", "giua", "phai", "deu"};

/* Where each kind of layout element may stand. */
enum ctx_kind { IN_BLOCKS, IN_PARA, IN_TABLE, IN_ROW };

static void resolve(struct loader *l, const struct vb_elem *e,
                    struct vb_lnode *n, const struct vb_field *scope,
                    const char *attr_name) {
  const char *path = need(l, e, attr_name);
  if (!path)
    return;
  n->name = path;
  n->field = vb_field_path(scope, path);
  if (!n->field)
    bad(l, VB_C_TPL_FIELD, e, path, scope->name ? scope->name : "van-ban");
}

/* vua="co" co-nho-nhat="PT" dong-toi-da="N": a long value wraps, then
 * shrinks, so that it stays inside its lines (a certificate's name). */
static void fit_style(struct loader *l, const struct vb_elem *e,
                      struct vb_lnode *n) {
  if (!yes(l, e, "vua"))
    return;
  n->fit_lines = (int)number(l, e, "dong-toi-da", 1, 10, 2);
  n->fit_min = (int)(measure(l, e, "co-nho-nhat", 8, 40, 12) * 2 + 0.5);
}

/* <trang kho="A4|A3" huong="doc|ngang" le-tren le-duoi le-trai le-phai
 * (mm) vien (mm from the edge to the border; absent: none)>. */
static void read_page(struct loader *l, const struct vb_elem *e) {
  struct vb_tpl_page *pg = &l->t->page;
  const char *kho = attr(e, "kho"), *huong = attr(e, "huong");
  double w = 210, h = 297;
  if (kho && !strcmp(kho, "A3")) {
    w = 297;
    h = 420;
  } else if (kho && strcmp(kho, "A4")) {
    bad(l, VB_C_BAD_VALUE, e, kho, "trang kho (A4, A3)");
  }
  if (huong && !strcmp(huong, "ngang")) {
    double t = w;
    w = h;
    h = t;
  } else if (huong && strcmp(huong, "doc")) {
    bad(l, VB_C_BAD_VALUE, e, huong, "trang huong (doc, ngang)");
  }
  pg->set = 1;
  pg->width = MM(w);
  pg->height = MM(h);
  pg->margin_top = MM(measure(l, e, "le-tren", 5, 60, 20));
  pg->margin_bottom = MM(measure(l, e, "le-duoi", 5, 60, 20));
  pg->margin_left = MM(measure(l, e, "le-trai", 5, 60, 30));
  pg->margin_right = MM(measure(l, e, "le-phai", 5, 60, 15));
  pg->border = attr(e, "vien") ? MM(measure(l, e, "vien", 3, 30, 10)) : 0;
  if (pg->border && (pg->border >= pg->margin_top ||
                     pg->border >= pg->margin_bottom ||
                     pg->border >= pg->margin_left ||
                     pg->border >= pg->margin_right))
    bad(l, VB_C_BAD_VALUE, e, attr(e, "vien"),
        vb_tr(l->ctx, "trang vien (nhỏ hơn lề)",
              "trang vien (less than the margins)"));
}

static void para_style(struct loader *l, const struct vb_elem *e,
                       struct vb_lnode *n) {
  const char *v = attr(e, "vai");
  size_t i;
  n->role = -1;
  if (v) {
    for (i = 0; i < VB_ROLE_COUNT; i++)
      if (!strcmp(v, vb_role_name((enum vb_role)i)))
        n->role = (int)i;
    if (n->role < 0 || !*v)
      bad(l, VB_C_BAD_VALUE, e, v, "doan vai");
  }
  n->align = -1;
  v = attr(e, "can");
  if (v) {
    for (i = 0; i < 4; i++)
      if (!strcmp(v, aligns[i]))
        n->align = (int)i;
    if (n->align < 0)
      bad(l, VB_C_BAD_VALUE, e, v, "can (trai, giua, phai, deu)");
  }
  n->size = (int)(measure(l, e, "co", 8, 40, -1) * 2 + 0.5);
  if (n->size < 0)
    n->size = -1;
  n->first_indent = attr(e, "thut-dau")
                        ? MM(measure(l, e, "thut-dau", -50, 50, 0))
                        : -1;
  n->indent_left =
      attr(e, "le-trai") ? MM(measure(l, e, "le-trai", 0, 150, 0)) : -1;
  n->before = attr(e, "truoc")
                  ? (int)(measure(l, e, "truoc", 0, 200, 0) * 20 + 0.5)
                  : -1;
  n->after = attr(e, "sau")
                 ? (int)(measure(l, e, "sau", 0, 200, 0) * 20 + 0.5)
                 : -1;
  n->keep_next = yes(l, e, "giu-voi-sau");
  n->body_style = yes(l, e, "kieu-than");
  fit_style(l, e, n);
}

static unsigned run_flags(struct loader *l, const struct vb_elem *e) {
  return (yes(l, e, "dam") ? VB_RUN_BOLD : 0) |
         (yes(l, e, "nghieng") ? VB_RUN_ITALIC : 0) |
         (yes(l, e, "gach") ? VB_RUN_UNDERLINE : 0);
}

static struct vb_lnode *read_layout(struct loader *l, const struct vb_elem *e,
                                    const struct vb_field *scope,
                                    enum ctx_kind where, int depth);

static struct vb_lnode *lnode(struct loader *l, const struct vb_elem *e,
                              const struct vb_field *scope,
                              enum ctx_kind where, int depth) {
  struct vb_lnode *n;
  size_t i;
  int type = -1;
  if (++l->nlayout > VB_TPL_MAX_LAYOUT || depth > VB_TPL_MAX_LAYOUT_DEPTH) {
    char lim[32];
    snprintf(lim, sizeof(lim), "%d", depth > VB_TPL_MAX_LAYOUT_DEPTH
                                         ? VB_TPL_MAX_LAYOUT_DEPTH
                                         : VB_TPL_MAX_LAYOUT);
    bad(l, VB_C_LIMIT, e,
        depth > VB_TPL_MAX_LAYOUT_DEPTH
            ? vb_tr(l->ctx, "độ sâu lồng nhau của bố cục", "layout depth")
            : vb_tr(l->ctx, "số phần tử bố cục", "layout elements"),
        lim);
    return NULL;
  }
  n = vb_arena_alloc(l->a, sizeof(*n));
  if (!n)
    return NULL;
  n->line = e->line;
  n->col = e->col;
  if (is_text(e)) {
    n->type = VB_L_TEXT;
    n->text = e->text;
    return n;
  }
  for (i = 0; i < sizeof(lnames) / sizeof(lnames[0]); i++)
    if (!strcmp(e->name, lnames[i].name))
      type = (int)lnames[i].type;
  if (type < 0) {
    unknown(l, e);
    return NULL;
  }
  n->type = (enum vb_ltype)type;
  /* what may stand where: blocks in the layout, cells and loops;
   * inlines in paragraphs; rows in tables; cells in rows */
  {
    int inl = type == VB_L_TEXT || type == VB_L_VALUE || type == VB_L_SPAN ||
              type == VB_L_BREAK || type == VB_L_INDEX ||
              type == VB_L_NUMBER;
    int ok = where == IN_PARA    ? inl || type == VB_L_IF
             : where == IN_TABLE ? type == VB_L_ROW || type == VB_L_LOOP ||
                                       type == VB_L_IF
             : where == IN_ROW   ? type == VB_L_CELL
                                 : !inl && type != VB_L_ROW &&
                                       type != VB_L_CELL;
    if (!ok) {
      bad(l, VB_C_TPL_PLACE, e, e->name, NULL);
      return NULL;
    }
  }
  switch (n->type) {
  case VB_L_PART:
    n->name = need(l, e, "ten");
    for (i = 0; n->name && i < sizeof(parts) / sizeof(parts[0]); i++)
      if (!strcmp(n->name, parts[i]))
        break;
    if (n->name && i == sizeof(parts) / sizeof(parts[0]))
      bad(l, VB_C_BAD_VALUE, e, n->name,
          "phan ten (tieu-de, ten-loai, can-cu, chu-ky, tieu-de-kem-theo)");
    break;
  case VB_L_MARKDOWN:
    resolve(l, e, n, scope, "truong");
    if (n->field && n->field->type != VB_F_MARKDOWN)
      bad(l, VB_C_BAD_VALUE, e, n->name, "markdown truong (kieu markdown)");
    break;
  case VB_L_PARA:
    para_style(l, e, n);
    n->flags = run_flags(l, e);
    n->upper = yes(l, e, "viet-hoa");
    n->first = read_layout(l, e, scope, IN_PARA, depth + 1);
    break;
  case VB_L_VALUE:
    resolve(l, e, n, scope, "truong");
    if (n->field && n->field->type == VB_F_GROUP)
      bad(l, VB_C_BAD_VALUE, e, n->name, "gt truong (kieu nhom)");
    n->flags = run_flags(l, e);
    n->upper = yes(l, e, "viet-hoa");
    n->blank = attr(e, "trong");
    n->preprinted = yes(l, e, "in-san");
    if (attr(e, "dang")) {
      const char *d = attr(e, "dang");
      n->date_words = !strcmp(d, "ngay-thang-nam")   ? 1
                      : !strcmp(d, "Ngay-thang-nam") ? 2
                                                     : -1;
      if (n->date_words < 0 || (n->field && n->field->type != VB_F_DATE))
        bad(l, VB_C_BAD_VALUE, e, d,
            "gt dang (ngay-thang-nam, Ngay-thang-nam; chỉ cho trường ngày)");
    }
    break;
  case VB_L_SPAN:
    n->flags = !strcmp(e->name, "dam")       ? VB_RUN_BOLD
               : !strcmp(e->name, "nghieng") ? VB_RUN_ITALIC
                                             : VB_RUN_UNDERLINE;
    n->first = read_layout(l, e, scope, IN_PARA, depth + 1);
    break;
  case VB_L_BREAK:
  case VB_L_PAGE_BREAK:
  case VB_L_INDEX:
  case VB_L_NUMBER:
    break;
  case VB_L_BLOCK:
    resolve(l, e, n, scope, "truong");
    if (n->field && n->field->type == VB_F_GROUP)
      bad(l, VB_C_BAD_VALUE, e, n->name, "khoi truong (kieu nhom)");
    para_style(l, e, n);
    n->flags = run_flags(l, e);
    n->blank_lines = (int)number(l, e, "dong-trong", 0, 50, 3);
    break;
  case VB_L_LOOP:
    resolve(l, e, n, scope, "truong");
    if (n->field && !n->field->repeat)
      bad(l, VB_C_BAD_VALUE, e, n->name, "lap truong (lap=\"co\")");
    n->first = read_layout(l, e, n->field ? n->field : scope, where,
                           depth + 1);
    break;
  case VB_L_IF: {
    const char *has = attr(e, "co"), *hasnt = attr(e, "khong-co");
    const char *eq = attr(e, "truong");
    if (!!has + !!hasnt + !!eq != 1) {
      bad(l, VB_C_REQUIRED, e, "neu co | khong-co | truong",
          vb_tr(l->ctx, "mẫu văn bản", "template"));
      break;
    }
    resolve(l, e, n, scope, has ? "co" : hasnt ? "khong-co" : "truong");
    n->negate = hasnt != NULL;
    if (eq) {
      n->text = need(l, e, "bang");
      if (n->field && n->text && n->field->type == VB_F_CHOICE) {
        for (i = 0; i < n->field->nchoices; i++)
          if (n->field->choices[i].key &&
              !strcmp(n->field->choices[i].key, n->text))
            break;
        if (i == n->field->nchoices)
          bad(l, VB_C_BAD_VALUE, e, n->text, n->name);
      }
    }
    n->first = read_layout(l, e, scope, where, depth + 1);
    break;
  }
  case VB_L_TABLE: {
    const char *cols = need(l, e, "cot");
    int sum = 0;
    n->table_flags = (yes(l, e, "vien") ? VB_TABLE_BORDERS : 0) |
                     (yes(l, e, "giu-cung") ? VB_TABLE_KEEP_TOGETHER : 0);
    if (cols) {
      const char *p = cols;
      n->widths = vb_arena_alloc(l->a, 16 * sizeof(int));
      while (n->widths && *p && n->ncols < 16) {
        char *end = NULL;
        long w = strtol(p, &end, 10);
        if (end == p || w < 1 || w > 100 || (*end && *end != ',')) {
          bad(l, VB_C_BAD_VALUE, e, cols, "bang cot (50,50)");
          break;
        }
        n->widths[n->ncols++] = (int)w;
        sum += (int)w;
        p = *end ? end + 1 : end;
      }
      if (sum != 100 && l->ok)
        bad(l, VB_C_BAD_VALUE, e, cols,
            vb_tr(l->ctx, "bang cot (tổng phải là 100)",
                  "bang cot (must add up to 100)"));
    }
    n->first = read_layout(l, e, scope, IN_TABLE, depth + 1);
    break;
  }
  case VB_L_ROW:
    n->head = yes(l, e, "dau");
    n->first = read_layout(l, e, scope, IN_ROW, depth + 1);
    break;
  case VB_L_CELL:
    n->first = read_layout(l, e, scope, IN_BLOCKS, depth + 1);
    break;
  case VB_L_RULE:
    /* per cent of the container, or "chu": as long as the text above */
    if (attr(e, "dai") && !strcmp(attr(e, "dai"), "chu"))
      n->length = 0;
    else
      n->length = (int)number(l, e, "dai", 1, 100, 40) * 10;
    n->before = attr(e, "truoc")
                    ? (int)(measure(l, e, "truoc", 0, 100, 0) * 20 + 0.5)
                    : 60;
    n->after = attr(e, "sau")
                   ? (int)(measure(l, e, "sau", 0, 100, 0) * 20 + 0.5)
                   : 0;
    break;
  default:
    break;
  }
  return n;
}

static struct vb_lnode *read_layout(struct loader *l, const struct vb_elem *e,
                                    const struct vb_field *scope,
                                    enum ctx_kind where, int depth) {
  const struct vb_elem *k;
  struct vb_lnode *head = NULL, **tail = &head;
  for (k = e->first; k; k = k->next) {
    struct vb_lnode *n;
    if (is_text(k) && where != IN_PARA) {
      /* indentation between blocks; words belong in a <doan> */
      if (!blank_text(k))
        bad(l, VB_C_TPL_PLACE, k, "#text", NULL);
      continue;
    }
    n = lnode(l, k, scope, where, depth);
    if (!n)
      continue;
    *tail = n;
    tail = &n->next;
  }
  return head;
}

/* --- the template ----------------------------------------------------- */

static void read_types(struct loader *l, const struct vb_elem *root) {
  const struct vb_elem *k;
  size_t n = 0;
  for (k = root->first; k; k = k->next)
    if (!strcmp(k->name, "loai"))
      n++;
  if (!n)
    return;
  l->t->types = vb_arena_alloc(l->a, n * sizeof(*l->t->types));
  if (!l->t->types)
    return;
  for (k = root->first; k; k = k->next) {
    struct vb_doctype *d;
    if (strcmp(k->name, "loai"))
      continue;
    d = &l->t->types[l->t->ntypes++];
    d->key = need(l, k, "ma");
    d->name = need(l, k, "ten");
    d->code = need(l, k, "ky-hieu");
  }
}

static void read_checks(struct loader *l, const struct vb_elem *root) {
  const struct vb_elem *k;
  size_t n = 0, i = 0;
  for (k = root->first; k; k = k->next)
    if (!strcmp(k->name, "kiem-tra"))
      n++;
  l->t->checks = vb_arena_alloc(l->a, (n + 1) * sizeof(*l->t->checks));
  if (!l->t->checks)
    return;
  for (k = root->first; k; k = k->next) {
    const char *name;
    const struct vb_check_ref *c;
    if (strcmp(k->name, "kiem-tra"))
      continue;
    name = need(l, k, "ten");
    if (!name)
      continue;
    /* resolved now: an unknown name is an error at the template's line */
    c = vb_check_find(name);
    if (!c)
      bad(l, VB_C_TPL_CHECK, k, name, vb_check_names());
    else
      l->t->checks[i++] = c;
  }
}

/* Checks that every bat-buoc-khi names a field of the template. */
static void check_when(struct loader *l, const struct vb_field *f) {
  for (; f; f = f->next) {
    if (f->when && !vb_field_path(&l->t->root, f->when)) {
      struct vb_elem at;
      memset(&at, 0, sizeof(at));
      at.line = f->line;
      at.col = f->col;
      bad(l, VB_C_TPL_FIELD, &at, f->when, "van-ban");
    }
    check_when(l, f->first);
  }
}

static vb_status load(vb_ctx *ctx, struct vb_arena *a, const char *name,
                      const char *file, const struct vb_elem *at,
                      const struct vb_template **out);

/* The loader as the context's cache calls it. */
static vb_status load_any(vb_ctx *ctx, struct vb_arena *a, const char *name,
                          const char *file, const struct vb_elem *at,
                          const void **out) {
  const struct vb_template *p = NULL;
  vb_status st = load(ctx, a, name, file, at, &p);
  *out = p;
  return st;
}

vb_status vb_template_load(vb_ctx *ctx, struct vb_arena *a, const char *name,
                           const char *file, const struct vb_elem *at,
                           const struct vb_template **out) {
  const void *p;
  vb_status st;
  (void)a; /* kept by the context, in an arena of its own */
  st = vb_ctx_load(ctx, VB_CACHE_TEMPLATE, name, file, at, load_any, &p);
  *out = p;
  return st;
}

static vb_status load(vb_ctx *ctx, struct vb_arena *a, const char *name,
                      const char *file, const struct vb_elem *at,
                      const struct vb_template **out) {
  struct loader l;
  struct vb_template *t;
  struct vb_elem *root = NULL;
  const struct vb_elem *k;
  char path[VB_PATH_MAX + 64];
  const char *v;
  vb_status st;
  *out = NULL;
  memset(&l, 0, sizeof(l));
  l.ctx = ctx;
  l.a = a;
  l.ok = 1;
  if (!good_name(name) || !strcmp(name, "profiles")) {
    const char *names = vb_template_names(ctx, a);
    vb_diag_add(ctx, VB_C_TEMPLATE, file, at ? at->line : 0,
                at ? at->col : 0, name, names ? names : "ke-hoach");
    return VB_EINVALID;
  }
  snprintf(path, sizeof(path), "%s/templates/%s.xml", ctx->data_dir, name);
  st = vb_input_read_file2(ctx, a, path, &root, 1, 1);
  if (st == VB_EIO && errno != ENOENT && errno != ENOTDIR) {
    /* there, but unusable (a FIFO, a folder, no permission): said so */
    return vb_diag_add(ctx, VB_C_IO, path, 0, 0,
                       vb_errno_str(errno, ctx->opt.lang), NULL)
               ? VB_EINVALID
               : VB_ENOMEM;
  }
  if (st == VB_EIO) {
    const char *names = vb_template_names(ctx, a);
    if (!names || !*names) {
      /* no template at all: the data folder is wrong, not the name */
      snprintf(path, sizeof(path), "%s.xml", name);
      return vb_data_missing(ctx, "templates", path) ? VB_EINVALID
                                                     : VB_ENOMEM;
    }
    vb_diag_add(ctx, VB_C_TEMPLATE, file, at ? at->line : 0,
                at ? at->col : 0, name, names);
    return VB_EINVALID;
  }
  if (st != VB_OK)
    return st;
  l.path = vb_arena_strdup(a, path);
  t = vb_arena_alloc(a, sizeof(*t));
  if (!t || !l.path)
    return VB_ENOMEM;
  l.t = t;
  t->path = l.path;
  if (strcmp(root->name, "mau")) {
    bad(&l, VB_C_TPL_ELEMENT, root, root->name, NULL);
    return VB_EINVALID;
  }
  t->name = need(&l, root, "ten");
  if (t->name && strcmp(t->name, name))
    bad(&l, VB_C_BAD_VALUE, root, t->name, "mau ten");
  t->profile = attr(root, "the-thuc");
  t->needs_profile = yes(&l, root, "can-the-thuc");
  t->root.name = "van-ban";
  t->root.label_vi = "văn bản";
  t->root.label_en = "document";
  t->root.type = VB_F_GROUP;
  for (k = root->first; k; k = k->next) {
    if (is_text(k)) {
      if (!blank_text(k))
        unknown(&l, k);
      continue;
    }
    if (!strcmp(k->name, "ten-goi"))
      t->title_vi = clean_text(&l, k);
    else if (!strcmp(k->name, "ten-goi-en"))
      t->title_en = clean_text(&l, k);
    else if (strcmp(k->name, "loai") && strcmp(k->name, "truong") &&
             strcmp(k->name, "kiem-tra") && strcmp(k->name, "bo-cuc") &&
             strcmp(k->name, "bo-cuc-mau") && strcmp(k->name, "trang"))
      unknown(&l, k);
  }
  if (!t->title_vi)
    bad(&l, VB_C_REQUIRED, root, "ten-goi",
        vb_tr(ctx, "mẫu văn bản", "template"));
  if (!t->title_en)
    t->title_en = t->title_vi;
  if ((k = vb_elem_child(root, "trang")))
    read_page(&l, k);
  read_types(&l, root);
  read_fields(&l, root, &t->root, 1);
  check_when(&l, t->root.first);
  read_checks(&l, root);
  k = vb_elem_child(root, "bo-cuc");
  if (!k)
    bad(&l, VB_C_REQUIRED, root, "bo-cuc",
        vb_tr(ctx, "mẫu văn bản", "template"));
  else
    t->layout = read_layout(&l, k, &t->root, IN_BLOCKS, 1);
  k = vb_elem_child(root, "bo-cuc-mau");
  if (k)
    t->form_layout = read_layout(&l, k, &t->root, IN_BLOCKS, 1);
  v = t->profile;
  if (v && !good_name(v))
    bad(&l, VB_C_BAD_VALUE, root, v, "mau the-thuc");
  if (a->failed)
    return VB_ENOMEM;
  if (!l.ok)
    return VB_EINVALID;
  *out = t;
  return VB_OK;
}

static int cmp_str(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char *vb_template_names(vb_ctx *ctx, struct vb_arena *a) {
  char dir[VB_PATH_MAX + 16];
  DIR *d;
  struct dirent *de;
  const char *names[64];
  size_t n = 0, i;
  struct vb_buf b;
  char *r;
  snprintf(dir, sizeof(dir), "%s/templates", ctx->data_dir);
  d = opendir(dir);
  if (!d)
    return NULL;
  while ((de = readdir(d)) && n < sizeof(names) / sizeof(names[0])) {
    size_t len = strlen(de->d_name);
    char *s;
    if (len < 5 || strcmp(de->d_name + len - 4, ".xml"))
      continue;
    s = vb_arena_strndup(a, de->d_name, len - 4);
    if (s && good_name(s))
      names[n++] = s;
  }
  closedir(d);
  qsort(names, n, sizeof(names[0]), cmp_str);
  vb_buf_init(&b, &ctx->mem, 1 << 16);
  for (i = 0; i < n; i++)
    vb_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
  r = vb_buf_err(&b) ? NULL : vb_arena_strndup(a, b.ptr, b.len);
  vb_buf_release(&b);
  return r;
}

/* --- listing ------------------------------------------------------------ */

vb_status vb_template_list(vb_ctx *ctx, char **out) {
  struct vb_arena a;
  struct vb_buf b;
  const char *names, *p;
  vb_status st = VB_OK;
  if (!ctx || !out)
    return VB_EUSAGE;
  *out = NULL;
  vb_arena_init(&a, &ctx->mem);
  vb_buf_init(&b, &ctx->mem, 1 << 20);
  names = vb_template_names(ctx, &a);
  if (!names) {
    st = a.failed ? VB_ENOMEM : VB_EIO;
    goto out;
  }
  for (p = names; *p && st == VB_OK;) {
    const char *end = strstr(p, ", ");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char name[VB_TPL_MAX_NAME + 1];
    const struct vb_template *t;
    memcpy(name, p, n);
    name[n] = '\0';
    st = vb_template_load(ctx, &a, name, name, NULL, &t);
    if (st == VB_OK)
      vb_buf_printf(&b, "%s\t%s\n", name,
                    ctx->opt.lang == VB_LANG_EN ? t->title_en : t->title_vi);
    p += n + (end ? 2 : 0);
  }
  if (st == VB_OK && vb_buf_err(&b))
    st = vb_buf_err(&b);
  if (st == VB_OK)
    *out = vb_buf_detach(&b, NULL);
out:
  vb_buf_release(&b);
  vb_arena_release(&a);
  return st;
}

static void describe(struct vb_buf *b, const struct vb_field *f,
                     const char *prefix, vb_lang lang) {
  for (; f; f = f->next) {
    char path[512];
    size_t i;
    snprintf(path, sizeof(path), "%s%s%s%s", prefix, *prefix ? "/" : "",
             f->attr ? "@" : "", f->name);
    vb_buf_printf(b, "%s\t%s\t%s\t", path, vb_field_label(f, lang),
                  vb_ftype_name(f->type));
    if (f->required)
      vb_buf_puts(b, "co");
    else if (f->when)
      vb_buf_printf(b, "khi %s%s%s", f->when, f->when_value ? "=" : "",
                    f->when_value ? f->when_value : "");
    else
      vb_buf_puts(b, "khong");
    vb_buf_printf(b, "\t%s\t", f->repeat ? "co" : "khong");
    if (f->type != VB_F_GROUP)
      vb_buf_printf(b, "%ld", f->max_chars);
    vb_buf_printf(b, "\t%s\t", f->clause ? f->clause : "");
    for (i = 0; i < f->nchoices; i++)
      vb_buf_printf(b, "%s%s", i ? "; " : "", f->choices[i].label);
    vb_buf_putc(b, '\n');
    if (f->type == VB_F_GROUP)
      describe(b, f->first, path, lang);
  }
}

vb_status vb_template_fields(vb_ctx *ctx, const char *name, char **out) {
  struct vb_arena a;
  struct vb_buf b;
  const struct vb_template *t;
  vb_status st;
  if (!ctx || !name || !out)
    return VB_EUSAGE;
  *out = NULL;
  vb_arena_init(&a, &ctx->mem);
  st = vb_template_load(ctx, &a, name, name, NULL, &t);
  if (st == VB_OK) {
    vb_buf_init(&b, &ctx->mem, 1 << 20);
    describe(&b, t->root.first, "", ctx->opt.lang);
    st = vb_buf_err(&b);
    if (st == VB_OK)
      *out = vb_buf_detach(&b, NULL);
    vb_buf_release(&b);
  }
  vb_arena_release(&a);
  return st;
}
