/* checks.c - the named checks: the rules that need code, which a template
 * calls by name (<kiem-tra ten="..."/>), resolved when the template loads.
 * Each reads the record of values built by validate.c and may fill the
 * values that the C parts print (struct vb_plan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "font.h"
#include "text.h"

static const struct vb_value *val(struct vb_checker *c, const char *path) {
  return vb_value_path(c->rec, path);
}

static const char *text_of(struct vb_checker *c, const char *path) {
  const struct vb_value *v = val(c, path);
  return v ? v->text : NULL;
}

static void lines(struct vb_checker *c, const char *path, struct vb_lines *out) {
  const struct vb_value *v = val(c, path), *k;
  size_t n = 0;
  for (k = v; k; k = vb_value_next(k))
    n++;
  out->n = 0;
  out->v = vb_arena_alloc(c->a, (n + 1) * sizeof(*out->v));
  out->src = vb_arena_alloc(c->a, (n + 1) * sizeof(*out->src));
  if (!out->v || !out->src) {
    c->ok_alloc = 0;
    return;
  }
  for (k = v; k; k = vb_value_next(k))
    if (k->text) {
      out->src[out->n] = k->src;
      out->v[out->n++] = k->text;
    }
}

/* --- văn bản có tên loại (Mẫu 1.4) ---------------------------------------- */

/* The values the header, title and signature parts print. */
static void fill_plan(struct vb_checker *c) {
  struct vb_plan *p = c->plan;
  const struct vb_value *v;
  lines(c, "co-quan/chu-quan", &p->chu_quan);
  lines(c, "co-quan/ten", &p->ten);
  p->header_src = (v = val(c, "co-quan")) ? v->src : NULL;
  p->ky_hieu = text_of(c, "co-quan/ky-hieu");
  v = val(c, "so");
  p->so = v ? v->num : 0;
  p->dia_danh = text_of(c, "dia-danh");
  v = val(c, "ngay");
  if (v) {
    p->year = v->y;
    p->month = v->m;
    p->day = v->d;
  }
  v = val(c, "trich-yeu");
  p->trich_yeu = v ? v->text : NULL;
  p->trich_yeu_src = v ? v->src : NULL;
  lines(c, "can-cu", &p->can_cu);
  v = val(c, "noi-dung");
  p->noi_dung = v ? v->src : NULL;
  v = val(c, "nguoi-ky");
  p->nguoi_ky_src = v ? v->src : NULL;
  lines(c, "nguoi-ky/quyen-han", &p->quyen_han);
  p->chuc_vu = text_of(c, "nguoi-ky/chuc-vu");
  p->ho_ten = text_of(c, "nguoi-ky/ho-ten");
}

/* V021, V022: the issuer's symbol in the number line. */
static void check_symbol(struct vb_checker *c) {
  const struct vb_value *v = val(c, "co-quan/ky-hieu");
  const char *s = v ? v->text : NULL;
  size_t i = 0, n;
  int group = 0;
  char code[16];
  if (!s || !c->profile || !c->type)
    return;
  n = strlen(s);
  /* V021: groups of capitals (Đ included) and digits joined by "-" */
  while (i < n) {
    size_t at = i;
    uint32_t cp = vb_utf8_next(s, n, &i);
    if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == 0x110) {
      group++;
    } else if (cp == '-' && group && at + 1 < n) {
      group = 0;
    } else {
      vb_check_diag(c, VB_C_SYMBOL, v->src, s,
                    vb_check_tr(c,
                                "chỉ dùng chữ in hoa, chữ số, các nhóm nối "
                                "bằng \"-\"",
                                "use capital letters and digits, groups "
                                "joined by \"-\""));
      return;
    }
  }
  /* V022: the type code is added by vanban, not written by the user */
  snprintf(code, sizeof(code), "%s-", c->type->code);
  if (!strncmp(s, code, strlen(code)) || (c->profile->party && strchr(s, '/'))) {
    snprintf(code, sizeof(code), "%s", c->type->code);
    vb_check_diag(c, VB_C_SYMBOL_TYPE, v->src, s, code);
  }
}

/* First letter of s is upper case (after any opening quote). */
static int starts_upper(const char *s) {
  size_t i = 0, n = strlen(s);
  while (i < n) {
    uint32_t cp = vb_utf8_next(s, n, &i);
    if (cp == '"' || cp == 0x201C || cp == '(' || cp == ' ')
      continue;
    if (cp < 0x80)
      return cp >= 'A' && cp <= 'Z';
    /* Latin-1 and Vietnamese letters: upper case has the even code point
     * in U+1EA0-U+1EF9, the usual ranges elsewhere */
    if (cp >= 0x1EA0 && cp <= 0x1EF9)
      return cp % 2 == 0;
    return (cp >= 0xC0 && cp <= 0xDE) || cp == 0x110 || cp == 0x102 ||
           cp == 0x1A0 || cp == 0x1AF || cp == 0x128 || cp == 0x168;
  }
  return 0;
}

/* V050: Party summaries start with a small letter (HD 36). */
static void check_party_summary(struct vb_checker *c) {
  const struct vb_value *v = val(c, "trich-yeu");
  if (v && v->text && c->profile && c->profile->party && starts_upper(v->text))
    vb_check_diag(c, VB_C_CASE, v->src, v->text, NULL);
}

/* V030: each stacked authority line starts with a prefix of the profile. */
static void check_authority(struct vb_checker *c) {
  const struct vb_value *v;
  if (!c->profile)
    return;
  for (v = val(c, "nguoi-ky/quyen-han"); v; v = vb_value_next(v)) {
    const char *const *a;
    const char *q = v->text;
    if (!q)
      continue;
    for (a = c->profile->authorities; *a; a++)
      if (!strncmp(q, *a, strlen(*a)) && q[strlen(*a)] != '\0')
        break;
    if (!*a)
      vb_check_diag(c, VB_C_AUTHORITY, v->src, q, c->profile->authority_hint);
  }
}

/* Strips the "- " a clerk may type before a recipient and the ";" "," "."
 * after it: vanban writes both itself. */
static const char *recipient(struct vb_checker *c, const char *s) {
  size_t n;
  char *r;
  if (!s)
    return NULL;
  while (*s == '-' || *s == '+' || *s == ' ')
    s++;
  n = strlen(s);
  while (n && (s[n - 1] == ';' || s[n - 1] == ',' || s[n - 1] == '.' ||
               s[n - 1] == ' '))
    n--;
  r = vb_arena_strndup(c->a, s, n);
  if (!r)
    c->ok_alloc = 0;
  return r && *r ? r : NULL;
}

static void add_nn(struct vb_checker *c, struct vb_nn ***tail,
                   enum vb_nn_kind kind, const char *text,
                   const struct vb_elem *src) {
  struct vb_nn *n;
  if (!text)
    return;
  n = vb_arena_alloc(c->a, sizeof(*n));
  if (!n) {
    c->ok_alloc = 0;
    return;
  }
  n->kind = kind;
  n->text = text;
  n->src = src;
  **tail = n;
  *tail = &n->next;
}

/* V040 and the list of recipients: items, captioned groups, "Lưu". */
static void check_noi_nhan(struct vb_checker *c) {
  const struct vb_value *nn = val(c, "noi-nhan"), *k, *g, *l;
  struct vb_nn **tail = &c->plan->noi_nhan;
  int items = 0;
  if (!nn)
    return;
  for (k = nn->first; k; k = k->next) {
    if (!strcmp(k->f->name, "noi")) {
      add_nn(c, &tail, VB_NN_ITEM, recipient(c, k->text), k->src);
      items++;
    } else if (!strcmp(k->f->name, "nhom")) {
      const char *cap = (g = vb_value_child(k, "ten")) ? g->text : NULL;
      if (cap) {
        /* a caption is written without its colon */
        size_t n = strlen(cap);
        char *s;
        while (n && (cap[n - 1] == ':' || cap[n - 1] == ' '))
          n--;
        s = vb_arena_strndup(c->a, cap, n);
        if (!s)
          c->ok_alloc = 0;
        add_nn(c, &tail, VB_NN_GROUP, s && *s ? s : NULL, k->src);
      }
      for (g = k->first; g; g = g->next)
        if (!strcmp(g->f->name, "noi")) {
          add_nn(c, &tail, VB_NN_ITEM, recipient(c, g->text), g->src);
          items++;
        }
    }
  }
  if (!items)
    vb_check_diag(c, VB_C_NOI_NHAN, nn->src, "noi", NULL);
  l = vb_value_child(nn, "luu");
  if (l) {
    const char *s = l->text;
    size_t n;
    char *r;
    if (s && (!strncmp(s, "Lưu:", strlen("Lưu:")) ||
              !strncmp(s, "Lưu ", strlen("Lưu "))))
      s += strlen("Lưu") + (s[strlen("Lưu")] == ':');
    while (s && *s == ' ')
      s++;
    n = s ? strlen(s) : 0;
    while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
      n--;
    r = s ? vb_arena_strndup(c->a, s, n) : NULL;
    if (s && !r)
      c->ok_alloc = 0;
    add_nn(c, &tail, VB_NN_LUU, r && *r ? r : NULL, l->src);
  }
}

/* The whole "văn bản có tên loại": values for the parts, then the rules
 * of NĐ 30 / HD 36 on them, in the order a clerk reads the page. */
static void van_ban(struct vb_checker *c) {
  fill_plan(c);
  check_symbol(c);
  check_party_summary(c);
  check_noi_nhan(c);
  check_authority(c);
}

static const struct vb_check_ref checks[] = {
    {"van-ban-co-ten-loai", van_ban},
    {"ky-hieu", check_symbol},
    {"trich-yeu-dang", check_party_summary},
    {"noi-nhan", check_noi_nhan},
    {"quyen-han", check_authority},
};

const struct vb_check_ref *vb_check_find(const char *name) {
  size_t i;
  for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
    if (!strcmp(checks[i].name, name))
      return &checks[i];
  return NULL;
}

const char *vb_check_names(void) {
  return "van-ban-co-ten-loai, ky-hieu, trich-yeu-dang, noi-nhan, quyen-han";
}
