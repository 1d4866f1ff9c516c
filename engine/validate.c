/* validate.c - one validator for every document kind: checks an input
 * against the fields its template declares (required, required when,
 * repeated, types, limits, lists of choices) and builds the record of
 * clean values; then runs the named checks that need code (dates that
 * exist, number and symbol per profile, signing authority, Kính gửi from
 * the unit's level ...). Reports every violation, never only the first;
 * each rule carries the ID its diagnostic shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "text.h"

static void diag(struct vb_checker *c, vb_code code, const struct vb_elem *at,
                 const char *a0, const char *a1) {
  if (at && at->file) { /* a row or cell of a list file: its row, column */
    if (!vb_diag_add_cell(c->ctx, code, at->file, at->line, at->col,
                          at->col ? at->name : NULL, a0, a1))
      c->ok_alloc = 0;
    return;
  }
  if (!vb_diag_add_field(c->ctx, code, c->file, at ? at->line : 0,
                         at ? at->col : 0, at ? at->name : NULL, a0, a1))
    c->ok_alloc = 0;
}

/* A diagnostic about a field that is not at `at` (a missing one). */
static void diag_about(struct vb_checker *c, vb_code code,
                       const struct vb_elem *at, const char *field,
                       const char *a0, const char *a1) {
  if (at && at->file) {
    if (!vb_diag_add_cell(c->ctx, code, at->file, at->line, 0, NULL, a0, a1))
      c->ok_alloc = 0;
    return;
  }
  if (!vb_diag_add_field(c->ctx, code, c->file, at ? at->line : 0,
                         at ? at->col : 0, field, a0, a1))
    c->ok_alloc = 0;
}

void vb_check_diag(struct vb_checker *c, vb_code code,
                   const struct vb_elem *at, const char *a0,
                   const char *a1) {
  diag(c, code, at, a0, a1);
}

const char *vb_check_tr(struct vb_checker *c, const char *vi,
                        const char *en) {
  return vb_tr(c->ctx, vi, en);
}

static int is_blank(const struct vb_elem *e) {
  size_t i;
  for (i = 0; i < e->len; i++)
    if (e->text[i] != ' ' && e->text[i] != '\t' && e->text[i] != '\n' &&
        e->text[i] != '\r')
      return 0;
  return 1;
}

static size_t nchars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}

/* --- the record --------------------------------------------------------- */

static struct vb_value *add_value(struct vb_checker *c, struct vb_value *parent,
                                  const struct vb_field *f,
                                  const struct vb_elem *src) {
  struct vb_value *v = vb_arena_alloc(c->a, sizeof(*v));
  if (!v) {
    c->ok_alloc = 0;
    return NULL;
  }
  v->f = f;
  v->src = src;
  v->parent = parent;
  if (parent->last)
    parent->last->next = v;
  else
    parent->first = v;
  parent->last = v;
  return v;
}

const struct vb_value *vb_value_child(const struct vb_value *v,
                                      const char *name) {
  const struct vb_value *k;
  for (k = v ? v->first : NULL; k; k = k->next)
    if (k->f->name && !strcmp(k->f->name, name))
      return k;
  return NULL;
}

const struct vb_value *vb_value_path(const struct vb_value *v,
                                     const char *path) {
  char part[VB_TPL_MAX_NAME + 1];
  int r;
  if (!strcmp(path, "."))
    return v;
  while (v && (r = vb_path_step(&path, part)) != 0)
    v = r < 0 ? NULL : vb_value_child(v, part);
  return v;
}

const struct vb_value *vb_value_next(const struct vb_value *v) {
  const struct vb_value *k;
  for (k = v ? v->next : NULL; k; k = k->next)
    if (k->f == v->f)
      return k;
  return NULL;
}

struct vb_value *vb_check_set(struct vb_checker *c, const char *name,
                              const char *text) {
  const struct vb_field *f = vb_field_child(&c->t->root, name);
  struct vb_value *v;
  if (!f)
    return NULL;
  v = (struct vb_value *)vb_value_child(c->rec, name);
  if (!v)
    v = add_value(c, c->rec, f, c->root);
  if (v)
    v->text = text;
  return v;
}

/* Has the field at `path` (from the root) a value in this input? */
static const struct vb_value *value_at(const struct vb_checker *c,
                                       const char *path) {
  const struct vb_value *v = vb_value_path(c->rec, path);
  return v && (v->text || v->first || (v->src && !is_blank(v->src)))
             ? v
             : NULL;
}

/* --- the shape: V001-V003, X004, V071 ------------------------------------ */

/* Edit distance up to 2 (a misspelt element name), else 3. */
static int near(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b), i, j;
  int row[VB_TPL_MAX_NAME + 2], prev, t;
  if (la > VB_TPL_MAX_NAME || lb > VB_TPL_MAX_NAME ||
      (la > lb ? la - lb : lb - la) > 2)
    return 3;
  for (j = 0; j <= lb; j++)
    row[j] = (int)j;
  for (i = 1; i <= la; i++) {
    prev = row[0];
    row[0] = (int)i;
    for (j = 1; j <= lb; j++) {
      t = row[j];
      row[j] = a[i - 1] == b[j - 1] ? prev
                                    : 1 + (prev < row[j - 1]
                                               ? (prev < row[j] ? prev : row[j])
                                               : (row[j - 1] < row[j]
                                                      ? row[j - 1]
                                                      : row[j]));
      prev = t;
    }
  }
  return row[lb];
}

/* Unknown elements for which a close missing field is looked for: a
 * handful of typing slips, not a flood of foreign elements. */
#define MAX_MISSPELT_LOOKUPS 50

/* A field of `pf` absent from the element (seen[] by field index) that
 * the unknown element `k` probably meant. */
static const struct vb_field *meant(const struct vb_field *pf,
                                    const struct vb_elem *const *seen,
                                    const struct vb_elem *k) {
  const struct vb_field *f, *best = NULL;
  size_t idx = 0;
  int d, bd = 3;
  for (f = pf->first; f; f = f->next, idx++) {
    if (f->attr || seen[idx])
      continue;
    d = near(k->name, f->name);
    if (d < bd && d <= (strlen(f->name) > 4 ? 2 : 1)) {
      bd = d;
      best = f;
    }
  }
  return best;
}

static int required_here(const struct vb_checker *c, const struct vb_field *f) {
  const struct vb_value *w;
  if (f->required)
    return 1;
  if (!f->when)
    return 0;
  w = value_at(c, f->when);
  return w && (!f->when_value || (w->key && !strcmp(w->key, f->when_value)));
}

static void check_children(struct vb_checker *c, const struct vb_elem *e,
                           const struct vb_field *pf, struct vb_value *pv);

/* V001, or V107 naming the field whose value requires it. */
static void required_missing(struct vb_checker *c, const struct vb_elem *at,
                             const struct vb_field *f) {
  vb_lang lang = c->ctx->opt.lang;
  char why[256];
  const struct vb_field *w;
  size_t i;
  /* a list named as a file: attach.c said why it gave no rows */
  if (f->from_file && at && vb_elem_attr(at, f->from_file))
    return;
  if (f->required || !f->when) {
    diag_about(c, VB_C_REQUIRED, at, f->name, f->name,
               vb_field_label(f, lang));
    return;
  }
  w = vb_field_path(&c->t->root, f->when);
  if (f->when_value && w) {
    const char *label = f->when_value;
    for (i = 0; i < w->nchoices; i++)
      if (w->choices[i].key && !strcmp(w->choices[i].key, f->when_value))
        label = w->choices[i].label;
    snprintf(why, sizeof(why), lang == VB_LANG_EN ? "%s is \"%s\""
                                                  : "%s là \"%s\"",
             w ? vb_field_label(w, lang) : f->when, label);
  } else {
    snprintf(why, sizeof(why),
             lang == VB_LANG_EN ? "%s is given" : "có %s",
             w ? vb_field_label(w, lang) : f->when);
  }
  diag_about(c, VB_C_REQUIRED_WHEN, at, f->name, f->name, why);
}

static void check_attrs(struct vb_checker *c, const struct vb_elem *e,
                        const struct vb_field *pf, struct vb_value *pv) {
  const struct vb_field *f;
  for (f = pf->first; f; f = f->next) {
    const struct vb_attr *at;
    struct vb_value *v;
    if (!f->attr)
      continue;
    at = vb_elem_attr(e, f->name);
    if (!at)
      continue;
    v = add_value(c, pv, f, e);
    if (v)
      v->text = at->value;
  }
}

static void check_children(struct vb_checker *c, const struct vb_elem *e,
                           const struct vb_field *pf, struct vb_value *pv) {
  const struct vb_elem *k;
  const struct vb_field *f;
  const struct vb_elem **seen, **unknown;
  const struct vb_field **misspelt;
  size_t nf = 0, i, nm = 0, nu = 0;
  char line[24];
  for (f = pf->first; f; f = f->next)
    nf++;
  /* first occurrence of each field among these children: a linear pass,
   * not a rescan of the earlier siblings (tens of thousands of repeated
   * fields made that quadratic) */
  seen = vb_arena_alloc(c->a, (nf + 1) * sizeof(*seen));
  unknown = vb_arena_alloc(c->a, MAX_MISSPELT_LOOKUPS * sizeof(*unknown));
  misspelt = vb_arena_alloc(c->a, MAX_MISSPELT_LOOKUPS * sizeof(*misspelt));
  if (!seen || !unknown || !misspelt) {
    c->ok_alloc = 0;
    return;
  }
  check_attrs(c, e, pf, pv);
  for (k = e->first; k; k = k->next) {
    struct vb_value *v;
    size_t idx = 0;
    for (f = pf->first; f; f = f->next, idx++)
      if (!f->attr && !strcmp(f->name, k->name))
        break;
    if (!f) {
      if (nu < MAX_MISSPELT_LOOKUPS)
        unknown[nu++] = k; /* reported below, once the missing are known */
      else
        diag(c, VB_C_UNKNOWN_ELEM, k, k->name, NULL);
      continue;
    }
    if (!f->repeat && seen[idx]) {
      snprintf(line, sizeof(line), "%u", seen[idx]->line);
      diag(c, VB_C_DUPLICATE, k, k->name, line);
      v = NULL;
    } else {
      if (!seen[idx])
        seen[idx] = k;
      v = add_value(c, pv, f, k);
    }
    /* leaf fields must have text; groups are checked below */
    if (f->type != VB_F_GROUP && !k->first && is_blank(k) &&
        !f->may_be_empty && !c->draft)
      diag(c, VB_C_EMPTY, k, k->name, vb_field_label(f, c->ctx->opt.lang));
    if (k->first || f->type == VB_F_GROUP) {
      struct vb_value scratch;
      memset(&scratch, 0, sizeof(scratch));
      check_children(c, k, f, v ? v : &scratch);
    }
  }
  for (i = 0; i < nu; i++) {
    const struct vb_field *m = meant(pf, seen, unknown[i]);
    if (m) {
      /* V071: one clear message, and no V001 for the field it meant */
      char want[VB_TPL_MAX_NAME + 3];
      snprintf(want, sizeof(want), "<%s>", m->name);
      diag_about(c, VB_C_MISSPELT, unknown[i], m->name, unknown[i]->name,
                 want);
      misspelt[nm++] = m;
    } else {
      diag(c, VB_C_UNKNOWN_ELEM, unknown[i], unknown[i]->name, NULL);
    }
  }
  i = 0;
  for (f = pf->first; f; f = f->next, i++) {
    size_t j;
    /* fields required by another field's value wait for the values */
    if (f->attr || !f->required || seen[i] || c->draft)
      continue;
    for (j = 0; j < nm && misspelt[j] != f; j++)
      ;
    if (j == nm)
      required_missing(c, e, f);
  }
}

/* Once the values are known: required attributes, and fields required
 * by another field's value (bat-buoc-khi may look anywhere), V001/V107. */
static void check_required_late(struct vb_checker *c,
                                const struct vb_value *v) {
  const struct vb_field *f;
  const struct vb_value *k;
  if (v->f->type != VB_F_GROUP)
    return;
  for (f = v->f->first; f; f = f->next) {
    char what[2 * VB_TPL_MAX_NAME + 2];
    if (!required_here(c, f) || vb_value_child(v, f->name))
      continue;
    if (f->attr) {
      snprintf(what, sizeof(what), "%s %s", v->f->name, f->name);
      diag(c, VB_C_REQUIRED, v->src, what,
           vb_field_label(f, c->ctx->opt.lang));
    } else if (!f->required) {
      required_missing(c, v->src, f);
    }
  }
  for (k = v->first; k; k = k->next)
    check_required_late(c, k);
}

/* --- values: X009, V010, V011, V020, V004, V101 ------------------------- */

/* Upper-cases with the Vietnamese rules. */
const char *vb_check_upper(struct vb_checker *c, const char *s) {
  struct vb_buf b;
  char *r = NULL;
  vb_buf_init(&b, &c->ctx->mem, (size_t)VB_MAX_INPUT_BYTES * 4);
  if (vb_text_upper(s, strlen(s), &b) == VB_OK)
    r = vb_arena_strndup(c->a, b.ptr, b.len);
  vb_buf_release(&b);
  if (!r)
    c->ok_alloc = 0;
  return r;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int digits(const char *s, int n, int *out) {
  int i, v = 0;
  for (i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 1;
}

int vb_parse_date(const char *s, int *y, int *m, int *d, int *real) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  size_t n = strlen(s);
  *real = 0;
  if (n == 10 && s[4] == '-' && s[7] == '-') {
    if (!digits(s, 4, y) || !digits(s + 5, 2, m) || !digits(s + 8, 2, d))
      return 0;
  } else if (n >= 8 && n <= 10) {
    /* D/M/YYYY (or D-M-YYYY) with one or two digits for day and month */
    const char *p = s;
    int dl = 0, ml = 0;
    char sep;
    while (p[dl] >= '0' && p[dl] <= '9')
      dl++;
    sep = p[dl];
    if (dl < 1 || dl > 2 || (sep != '/' && sep != '-'))
      return 0;
    p += dl + 1;
    while (p[ml] >= '0' && p[ml] <= '9')
      ml++;
    if (ml < 1 || ml > 2 || p[ml] != sep || strlen(p + ml + 1) != 4)
      return 0;
    if (!digits(s, dl, d) || !digits(p, ml, m) || !digits(p + ml + 1, 4, y))
      return 0;
  } else {
    return 0;
  }
  *real = *y >= VB_MIN_YEAR && *y <= VB_MAX_YEAR && *m >= 1 && *m <= 12 &&
          *d >= 1 && *d <= mdays[*m - 1] + (*m == 2 && leap(*y));
  return 1;
}

void vb_format_date(char *buf, size_t cap, int y, int m, int d) {
  /* NĐ 30 Phụ lục I, II.4.b: a leading 0 for days below 10 and for the
   * months 1 and 2 */
  snprintf(buf, cap, "ngày %02d tháng %s%d năm %d", d, m <= 2 ? "0" : "", m,
           y);
}

/* Compares two texts as a clerk would: case, diacritics and the kind of
 * dash and spacing do not matter ("VH-XH" = "vh - xh", "Kinh tế" =
 * "kinh te"). Folding is done by ICU (text.c). */
static int same_folded(struct vb_checker *c, const char *a, const char *b) {
  struct vb_buf x, y;
  int same;
  vb_buf_init(&x, &c->ctx->mem, 1 << 16);
  vb_buf_init(&y, &c->ctx->mem, 1 << 16);
  vb_text_fold(a, strlen(a), &x);
  vb_text_fold(b, strlen(b), &y);
  same = !vb_buf_err(&x) && !vb_buf_err(&y) && x.len == y.len &&
         !memcmp(x.ptr, y.ptr, x.len);
  if (vb_buf_err(&x) == VB_ENOMEM || vb_buf_err(&y) == VB_ENOMEM)
    c->ok_alloc = 0;
  vb_buf_release(&x);
  vb_buf_release(&y);
  return same;
}

static void choice(struct vb_checker *c, struct vb_value *v) {
  const struct vb_field *f = v->f;
  size_t i;
  const char *const *s;
  struct vb_buf list;
  for (i = 0; i < f->nchoices; i++) {
    const struct vb_choice *ch = &f->choices[i];
    int hit = same_folded(c, v->text, ch->key) ||
              same_folded(c, v->text, ch->label);
    for (s = ch->spellings; !hit && s && *s; s++)
      hit = same_folded(c, v->text, *s);
    if (hit) {
      v->key = ch->key;
      v->text = ch->label;
      return;
    }
  }
  /* V004 names what is accepted, as printed */
  vb_buf_init(&list, &c->ctx->mem, 1 << 16);
  vb_buf_printf(&list, "%s (", vb_field_label(f, c->ctx->opt.lang));
  for (i = 0; i < f->nchoices; i++)
    vb_buf_printf(&list, "%s%s", i ? "; " : "", f->choices[i].label);
  vb_buf_putc(&list, ')');
  diag(c, VB_C_BAD_VALUE, v->src, v->text,
       vb_buf_err(&list) ? f->name : list.ptr);
  vb_buf_release(&list);
}

static void leaf(struct vb_checker *c, struct vb_value *v) {
  const struct vb_field *f = v->f;
  const char *s;
  char lim[48];
  size_t n;
  if (f->type == VB_F_MARKDOWN) {
    n = v->src->len;
    if (n > (size_t)f->max_chars && nchars(v->src->text) > (size_t)f->max_chars)
      goto too_long;
    return;
  }
  if (f->attr) {
    s = v->text;
  } else {
    s = vb_elem_clean(c->a, v->src);
    if (!s) {
      c->ok_alloc = 0;
      return;
    }
  }
  n = nchars(s);
  v->text = *s ? s : NULL;
  if (!*s)
    return;
  if (n > (size_t)f->max_chars)
    goto too_long;
  if (f->warn_chars && n > (size_t)f->warn_chars) {
    /* V101: e.g. a model name is "ngắn gọn, dễ nhớ" (seeds/004 III.1) */
    char got[96];
    snprintf(got, sizeof(got),
             vb_tr(c->ctx, "%zu ký tự (nên không quá %ld)",
                   "%zu characters (advised: at most %ld)"),
             n, f->warn_chars);
    diag(c, VB_C_TOO_LONG, v->src, vb_field_label(f, c->ctx->opt.lang), got);
  }
  switch (f->type) {
  case VB_F_LINE:
    if (f->upper)
      v->text = vb_check_upper(c, s);
    break;
  case VB_F_DATE: {
    int real = 0;
    if (!vb_parse_date(s, &v->y, &v->m, &v->d, &real))
      diag(c, VB_C_DATE_FORMAT, v->src, s,
           "YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY");
    else if (!real)
      diag(c, VB_C_DATE, v->src, s,
           v->y < VB_MIN_YEAR || v->y > VB_MAX_YEAR
               ? vb_tr(c->ctx, "năm phải từ 1945 đến 2999",
                       "the year must be from 1945 to 2999")
               : vb_tr(c->ctx, "ngày, tháng hoặc năm không có thật",
                       "day, month or year out of range"));
    if (!real)
      v->y = v->m = v->d = 0;
    break;
  }
  case VB_F_NUMBER: {
    char *end = NULL;
    long num = strtol(s, &end, 10);
    if (*end || num <= 0 || num > VB_MAX_NUMBER || s[0] == '+' ||
        s[0] == '-')
      diag(c, VB_C_NUMBER, v->src, s,
           vb_tr(c->ctx, "từ 1 đến 999999, ví dụ 5 hoặc 130",
                 "from 1 to 999999, e.g. 5 or 130"));
    else
      v->num = num;
    break;
  }
  case VB_F_CHOICE:
    choice(c, v);
    break;
  default:
    break;
  }
  return;
too_long:
  /* X009: the limit of the field, in characters as the message says */
  snprintf(lim, sizeof(lim), "%ld %s", f->max_chars,
           vb_tr(c->ctx, "ký tự", "characters"));
  diag(c, VB_C_LIMIT, v->src, f->name, lim);
  v->text = NULL;
}

static void values(struct vb_checker *c, struct vb_value *v) {
  struct vb_value *k;
  for (k = v->first; k; k = k->next) {
    if (k->f->type == VB_F_GROUP)
      values(c, k);
    else
      leaf(c, k);
  }
}

/* --- the document: root attributes, profile, type ----------------------- */

static void root_attrs(struct vb_checker *c, const struct vb_elem *root) {
  const struct vb_template *t = c->t;
  const struct vb_attr *at;
  vb_status st;
  /* V005: the profile */
  at = vb_elem_attr(root, "the-thuc");
  if (!at && (t->needs_profile || !t->profile) && !c->draft) {
    diag(c, VB_C_REQUIRED, root, "van-ban the-thuc",
         vb_tr(c->ctx, "thể thức", "profile"));
  } else if (at || t->profile) {
    /* a draft of a kind without a default profile names none: compose
     * says so (found by vanban form quyet-dinh-cong-nhan: NULL name) */
    st = vb_profile_load(c->ctx, c->a, at ? at->value : t->profile,
                         at ? c->file : t->path, at ? root : NULL,
                         &c->profile);
    if (st == VB_ENOMEM)
      c->ok_alloc = 0;
  }
  /* V006: the document type, among those the template prints */
  at = vb_elem_attr(root, "loai");
  if (t->ntypes) {
    size_t i;
    const char *key = at ? at->value : t->types[0].key;
    if (!key)
      key = "";
    for (i = 0; i < t->ntypes; i++)
      if (t->types[i].key && !strcmp(t->types[i].key, key))
        c->type = &t->types[i];
    if (!c->type) {
      struct vb_buf b;
      vb_buf_init(&b, &c->ctx->mem, 1 << 16);
      for (i = 0; i < t->ntypes; i++)
        vb_buf_printf(&b, "%s%s", i ? ", " : "", t->types[i].key);
      diag(c, VB_C_DOC_TYPE, root, key, vb_buf_err(&b) ? "" : b.ptr);
      vb_buf_release(&b);
    }
  }
  /* the identifier a register knows the document by */
  at = vb_elem_attr(root, "ma");
  if (at)
    c->id = *at->value ? at->value : NULL;
  /* NĐ 30 Điều 15.2: secret documents are numbered in their own series */
  at = vb_elem_attr(root, "do-mat");
  if (at) {
    if (strcmp(at->value, "mat") && strcmp(at->value, "toi-mat") &&
        strcmp(at->value, "tuyet-mat"))
      diag(c, VB_C_BAD_VALUE, root, at->value,
           "do-mat (mat, toi-mat, tuyet-mat)");
    else
      c->secret = at->value;
  }
  for (at = root->attrs; at; at = at->next) {
    const struct vb_field *f;
    if (!strcmp(at->name, "the-thuc") || !strcmp(at->name, "mau") ||
        !strcmp(at->name, "ma") || !strcmp(at->name, "do-mat") ||
        (!strcmp(at->name, "loai") && t->ntypes))
      continue;
    f = vb_field_child(&t->root, at->name);
    if (!f || !f->attr)
      diag(c, VB_C_UNKNOWN_ATTR, root, at->name, NULL);
  }
}

vb_status vb_validate(vb_ctx *ctx, struct vb_arena *a, const char *file,
                      const struct vb_template *t, const struct vb_elem *root,
                      int draft, struct vb_checked *out) {
  struct vb_checker c;
  const struct vb_check_ref *const *k;
  size_t errors = vb_error_count(ctx);
  memset(&c, 0, sizeof(c));
  memset(out, 0, sizeof(*out));
  c.ctx = ctx;
  c.a = a;
  c.file = file;
  c.t = t;
  c.root = root;
  c.draft = draft;
  c.ok_alloc = 1;
  c.plan = &out->plan;
  c.plan->file = file;
  if (strcmp(root->name, "van-ban")) {
    diag(&c, VB_C_XML_ROOT, root, root->name, NULL);
    return c.ok_alloc ? VB_EINVALID : VB_ENOMEM;
  }
  c.rec = vb_arena_alloc(a, sizeof(*c.rec));
  if (!c.rec)
    return VB_ENOMEM;
  c.rec->f = &t->root;
  c.rec->src = root;
  root_attrs(&c, root);
  if (!c.ok_alloc)
    return VB_ENOMEM;
  check_children(&c, root, &t->root, c.rec);
  values(&c, c.rec);
  if (!draft)
    check_required_late(&c, c.rec);
  /* the named checks of the template, in its order */
  for (k = t->checks; !draft && c.ok_alloc && k && *k; k++)
    (*k)->fn(&c);
  out->rec = c.rec;
  out->profile = c.profile;
  out->type = c.type;
  out->id = c.id;
  out->secret = c.secret;
  c.plan->profile = c.profile;
  c.plan->type = c.type;
  c.plan->id = c.id;
  c.plan->secret = c.secret;
  if (!c.ok_alloc || a->failed)
    return VB_ENOMEM;
  return vb_error_count(ctx) > errors ? VB_EINVALID : VB_OK;
}
