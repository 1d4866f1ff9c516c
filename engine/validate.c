/* validate.c - the rules of the guidance over the input model of a
 * "văn bản có tên loại" (KẾ HOẠCH, ...): required fields, dates, number and
 * symbol, signing authority. Reports every violation, never only the
 * first; each rule carries the ID that its diagnostic shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "plan.h"
#include "text.h"

/* Longest single-line field (names, summary, one recipient): a trích yếu
 * of several lines is a few hundred characters. */
#define MAX_LINE_FIELD 2000

struct field {
  const char *parent; /* "" for children of the root */
  const char *name;
  const char *label;  /* Vietnamese name of the field, for messages */
  int required;
  int repeat;
};

static const struct field fields[] = {
    {"", "co-quan", "cơ quan ban hành", 1, 0},
    {"", "so", "số văn bản", 0, 0},
    {"", "dia-danh", "địa danh", 1, 0},
    {"", "ngay", "ngày ban hành", 1, 0},
    {"", "trich-yeu", "trích yếu", 1, 0},
    {"", "can-cu", "căn cứ", 0, 1},
    {"", "noi-dung", "nội dung", 1, 0},
    {"", "noi-nhan", "nơi nhận", 1, 0},
    {"", "nguoi-ky", "người ký", 1, 0},
    {"co-quan", "chu-quan", "cơ quan chủ quản", 0, 1},
    {"co-quan", "ten", "tên cơ quan ban hành", 1, 1},
    {"co-quan", "ky-hieu", "ký hiệu cơ quan", 1, 0},
    {"noi-nhan", "noi", "nơi nhận", 0, 1},
    {"noi-nhan", "nhom", "nhóm nơi nhận", 0, 1},
    {"noi-nhan", "luu", "lưu", 1, 0},
    {"nhom", "noi", "nơi nhận", 0, 1},
    {"nguoi-ky", "quyen-han", "quyền hạn ký", 0, 1},
    {"nguoi-ky", "chuc-vu", "chức vụ người ký", 1, 0},
    {"nguoi-ky", "ho-ten", "họ tên người ký", 1, 0},
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

struct checker {
  vb_ctx *ctx;
  struct vb_arena *a;
  const char *file;
  int ok_alloc;
};

static void diag(struct checker *c, vb_code code, const struct vb_elem *at,
                 const char *a0, const char *a1) {
  if (!vb_diag_add(c->ctx, code, c->file, at ? at->line : 0,
                   at ? at->col : 0, a0, a1))
    c->ok_alloc = 0;
}

static const struct field *field_of(const char *parent, const char *name) {
  size_t i;
  for (i = 0; i < NFIELDS; i++)
    if (!strcmp(fields[i].parent, parent) && !strcmp(fields[i].name, name))
      return &fields[i];
  return NULL;
}

static int is_blank(const struct vb_elem *e) {
  size_t i;
  for (i = 0; i < e->len; i++)
    if (e->text[i] != ' ' && e->text[i] != '\t' && e->text[i] != '\n' &&
        e->text[i] != '\r')
      return 0;
  return 1;
}

/* V001-V003, X004 over the children of one element. */
static void check_children(struct checker *c, const struct vb_elem *e,
                           const char *pname) {
  const struct vb_elem *k;
  /* first occurrence of each field among these children: a linear pass,
   * not a rescan of the earlier siblings (tens of thousands of repeated
   * fields made that quadratic) */
  const struct vb_elem *seen[NFIELDS] = {0};
  size_t i;
  char line[24];
  for (k = e->first; k; k = k->next) {
    const struct field *f = field_of(pname, k->name);
    if (!f) {
      diag(c, VB_C_UNKNOWN_ELEM, k, k->name, NULL);
      continue;
    }
    if (!f->repeat && seen[f - fields]) {
      snprintf(line, sizeof(line), "%u", seen[f - fields]->line);
      diag(c, VB_C_DUPLICATE, k, k->name, line);
    } else if (!seen[f - fields]) {
      seen[f - fields] = k;
    }
    /* leaf fields must have text; containers are checked below */
    if (!k->first && is_blank(k) && strcmp(k->name, "nhom") &&
        strcmp(k->name, "co-quan") && strcmp(k->name, "noi-nhan") &&
        strcmp(k->name, "nguoi-ky") && (f->required || strcmp(k->name, "so")))
      diag(c, VB_C_EMPTY, k, k->name, f->label);
    if (k->first || !strcmp(k->name, "nhom") || !strcmp(k->name, "co-quan") ||
        !strcmp(k->name, "noi-nhan") || !strcmp(k->name, "nguoi-ky"))
      check_children(c, k, k->name);
  }
  for (i = 0; i < NFIELDS; i++) {
    if (strcmp(fields[i].parent, pname) || !fields[i].required)
      continue;
    if (!vb_elem_child(e, fields[i].name))
      diag(c, VB_C_REQUIRED, e, fields[i].name, fields[i].label);
  }
}

static const char *clean(struct checker *c, const struct vb_elem *e) {
  const char *s;
  if (!e)
    return NULL;
  s = vb_elem_clean(c->a, e);
  if (!s)
    c->ok_alloc = 0;
  else if (strlen(s) > MAX_LINE_FIELD) {
    char lim[16];
    snprintf(lim, sizeof(lim), "%d", MAX_LINE_FIELD);
    diag(c, VB_C_LIMIT, e, e->name, lim);
  }
  return s && *s ? s : NULL;
}

static void collect(struct checker *c, const struct vb_elem *parent,
                    const char *name, struct vb_lines *out) {
  const struct vb_elem *k;
  size_t n = 0;
  for (k = parent ? parent->first : NULL; k; k = k->next)
    if (!strcmp(k->name, name))
      n++;
  out->n = 0;
  out->v = vb_arena_alloc(c->a, (n + 1) * sizeof(*out->v));
  out->src = vb_arena_alloc(c->a, (n + 1) * sizeof(*out->src));
  if (!out->v || !out->src) {
    c->ok_alloc = 0;
    return;
  }
  for (k = parent ? parent->first : NULL; k; k = k->next)
    if (!strcmp(k->name, name)) {
      const char *s = clean(c, k);
      if (s) {
        out->src[out->n] = k;
        out->v[out->n++] = s;
      }
    }
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
    /* D/M/YYYY with one or two digits for day and month */
    const char *p = s;
    int dl = 0, ml = 0;
    while (p[dl] >= '0' && p[dl] <= '9')
      dl++;
    if (dl < 1 || dl > 2 || p[dl] != '/')
      return 0;
    p += dl + 1;
    while (p[ml] >= '0' && p[ml] <= '9')
      ml++;
    if (ml < 1 || ml > 2 || p[ml] != '/' || strlen(p + ml + 1) != 4)
      return 0;
    if (!digits(s, dl, d) || !digits(p, ml, m) || !digits(p + ml + 1, 4, y))
      return 0;
  } else {
    return 0;
  }
  *real = *y >= 1945 && *y <= 2999 && *m >= 1 && *m <= 12 && *d >= 1 &&
          *d <= mdays[*m - 1] + (*m == 2 && leap(*y));
  return 1;
}

void vb_format_date(char *buf, size_t cap, int y, int m, int d) {
  /* NĐ 30 Phụ lục I, II.4.b: a leading 0 for days below 10 and for the
   * months 1 and 2 */
  snprintf(buf, cap, "ngày %02d tháng %s%d năm %d", d, m <= 2 ? "0" : "", m,
           y);
}

/* Upper-cases a header line with the Vietnamese rules. */
static const char *upper(struct checker *c, const char *s) {
  struct vb_buf b;
  char *r = NULL;
  vb_buf_init(&b, &c->ctx->mem, 1 << 20);
  if (vb_text_upper(s, strlen(s), &b) == VB_OK)
    r = vb_arena_strndup(c->a, b.ptr, b.len);
  vb_buf_release(&b);
  if (!r)
    c->ok_alloc = 0;
  return r;
}

static void check_symbol(struct checker *c, struct vb_plan *p,
                         const struct vb_elem *e) {
  const char *s = p->ky_hieu;
  size_t i = 0, n = strlen(s);
  int group = 0;
  char code[16];
  /* V021: groups of capitals (Đ included) and digits joined by "-" */
  while (i < n) {
    size_t at = i;
    uint32_t cp = vb_utf8_next(s, n, &i);
    if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == 0x110) {
      group++;
    } else if (cp == '-' && group && at + 1 < n) {
      group = 0;
    } else {
      diag(c, VB_C_SYMBOL, e, s,
           c->ctx->opt.lang == VB_LANG_EN
               ? "use capital letters and digits, groups joined by \"-\""
               : "chỉ dùng chữ in hoa, chữ số, các nhóm nối bằng \"-\"");
      return;
    }
  }
  /* V022: the type code is added by vanban, not written by the user */
  snprintf(code, sizeof(code), "%s-", p->type->code);
  if (!strncmp(s, code, strlen(code)) ||
      (p->profile->party && strchr(s, '/'))) {
    snprintf(code, sizeof(code), "%s", p->type->code);
    diag(c, VB_C_SYMBOL_TYPE, e, s, code);
  }
}

static void check_authority(struct checker *c, struct vb_plan *p,
                            const char *q, const struct vb_elem *e) {
  const char *const *a;
  for (a = p->profile->authorities; *a; a++)
    if (!strncmp(q, *a, strlen(*a)) && q[strlen(*a)] != '\0')
      return;
  /* V030 */
  diag(c, VB_C_AUTHORITY, e, q, p->profile->authority_hint);
}

/* Strips the "- " a clerk may type before a recipient and the ";" "," "."
 * after it: vanban writes both itself. */
static const char *recipient(struct checker *c, const struct vb_elem *e) {
  const char *s = clean(c, e);
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
  /* keep "./." style endings of a text out of this; recipients are short */
  r = vb_arena_strndup(c->a, s, n);
  if (!r)
    c->ok_alloc = 0;
  return r && *r ? r : NULL;
}

static void add_nn(struct checker *c, struct vb_nn ***tail,
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

static void read_noi_nhan(struct checker *c, struct vb_plan *p,
                          const struct vb_elem *nn) {
  struct vb_nn **tail = &p->noi_nhan;
  const struct vb_elem *k, *g;
  int items = 0;
  if (!nn)
    return;
  for (k = nn->first; k; k = k->next) {
    if (!strcmp(k->name, "noi")) {
      add_nn(c, &tail, VB_NN_ITEM, recipient(c, k), k);
      items++;
    } else if (!strcmp(k->name, "nhom")) {
      const struct vb_attr *t = vb_elem_attr(k, "ten");
      const char *cap = t ? t->value : NULL;
      if (cap) {
        /* a caption is written without its colon */
        size_t n = strlen(cap);
        char *s;
        while (n && (cap[n - 1] == ':' || cap[n - 1] == ' '))
          n--;
        s = vb_arena_strndup(c->a, cap, n);
        add_nn(c, &tail, VB_NN_GROUP, s && *s ? s : NULL, k);
      }
      for (g = k->first; g; g = g->next)
        if (!strcmp(g->name, "noi")) {
          add_nn(c, &tail, VB_NN_ITEM, recipient(c, g), g);
          items++;
        }
    }
  }
  if (!items)
    diag(c, VB_C_NOI_NHAN, nn, "noi", NULL);
  k = vb_elem_child(nn, "luu");
  if (k) {
    const char *s = clean(c, k);
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
    add_nn(c, &tail, VB_NN_LUU, r && *r ? r : NULL, k);
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

vb_status vb_validate_plan(vb_ctx *ctx, struct vb_arena *a, const char *file,
                           const struct vb_elem *root, struct vb_plan *p) {
  struct checker c = {ctx, a, file, 1};
  const struct vb_attr *at;
  const struct vb_elem *e, *co;
  size_t errors = vb_error_count(ctx);
  memset(p, 0, sizeof(*p));
  p->file = file;
  if (strcmp(root->name, "van-ban")) {
    diag(&c, VB_C_XML_ROOT, root, root->name, NULL);
    return VB_EINVALID;
  }
  /* V005: the profile */
  at = vb_elem_attr(root, "the-thuc");
  if (!at) {
    diag(&c, VB_C_REQUIRED, root, "van-ban the-thuc", "thể thức");
  } else {
    vb_status st = vb_profile_load(ctx, a, at->value, file, root,
                                   &p->profile);
    if (st == VB_ENOMEM)
      return st;
  }
  /* V006: the document type */
  at = vb_elem_attr(root, "loai");
  p->type = vb_doctype_find(at ? at->value : "ke-hoach");
  if (!p->type)
    diag(&c, VB_C_DOC_TYPE, root, at ? at->value : "", vb_doctype_names());
  /* the identifier a register knows the document by */
  at = vb_elem_attr(root, "ma");
  if (at)
    p->id = *at->value ? at->value : NULL;
  /* NĐ 30 Điều 15.2: secret documents are numbered in their own series */
  at = vb_elem_attr(root, "do-mat");
  if (at) {
    if (strcmp(at->value, "mat") && strcmp(at->value, "toi-mat") &&
        strcmp(at->value, "tuyet-mat"))
      diag(&c, VB_C_BAD_VALUE, root, at->value,
           "do-mat (mat, toi-mat, tuyet-mat)");
    else
      p->secret = at->value;
  }
  for (at = root->attrs; at; at = at->next)
    if (strcmp(at->name, "the-thuc") && strcmp(at->name, "loai") &&
        strcmp(at->name, "ma") && strcmp(at->name, "do-mat"))
      diag(&c, VB_C_UNKNOWN_ELEM, root, at->name, NULL);

  check_children(&c, root, "");

  co = vb_elem_child(root, "co-quan");
  collect(&c, co, "chu-quan", &p->chu_quan);
  collect(&c, co, "ten", &p->ten);
  p->header_src = co;
  for (size_t i = 0; i < p->chu_quan.n; i++)
    p->chu_quan.v[i] = upper(&c, p->chu_quan.v[i]);
  for (size_t i = 0; i < p->ten.n; i++)
    p->ten.v[i] = upper(&c, p->ten.v[i]);
  e = vb_elem_child(co, "ky-hieu");
  p->ky_hieu = clean(&c, e);
  if (p->ky_hieu && p->profile && p->type)
    check_symbol(&c, p, e);

  /* V020: the number */
  e = vb_elem_child(root, "so");
  if (e && !is_blank(e)) {
    const char *s = clean(&c, e);
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || *end || v <= 0 || v > VB_MAX_NUMBER || s[0] == '+' || s[0] == '-')
      diag(&c, VB_C_NUMBER, e, s ? s : "",
           ctx->opt.lang == VB_LANG_EN ? "e.g. 5 or 130" : "ví dụ 5 hoặc 130");
    else
      p->so = v;
  }

  p->dia_danh = clean(&c, vb_elem_child(root, "dia-danh"));

  /* V010, V011: the date */
  e = vb_elem_child(root, "ngay");
  if (e && !is_blank(e)) {
    const char *s = clean(&c, e);
    int real = 0;
    if (!s || !vb_parse_date(s, &p->year, &p->month, &p->day, &real))
      diag(&c, VB_C_DATE_FORMAT, e, s ? s : "", "YYYY-MM-DD, DD/MM/YYYY");
    else if (!real)
      diag(&c, VB_C_DATE, e, s,
           ctx->opt.lang == VB_LANG_EN ? "day, month or year out of range"
                                       : "ngày, tháng hoặc năm không có thật");
  }

  e = vb_elem_child(root, "trich-yeu");
  p->trich_yeu = clean(&c, e);
  p->trich_yeu_src = e;
  /* V050: Party summaries start with a small letter */
  if (p->trich_yeu && p->profile && p->profile->party &&
      starts_upper(p->trich_yeu))
    diag(&c, VB_C_CASE, e, p->trich_yeu, NULL);

  collect(&c, root, "can-cu", &p->can_cu);
  p->noi_dung = vb_elem_child(root, "noi-dung");
  read_noi_nhan(&c, p, vb_elem_child(root, "noi-nhan"));

  e = vb_elem_child(root, "nguoi-ky");
  p->nguoi_ky_src = e;
  {
    const char *s;
    /* one line each, stacked: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH */
    collect(&c, e, "quyen-han", &p->quyen_han);
    for (size_t i = 0; i < p->quyen_han.n; i++) {
      p->quyen_han.v[i] = upper(&c, p->quyen_han.v[i]);
      if (p->quyen_han.v[i] && p->profile)
        check_authority(&c, p, p->quyen_han.v[i], p->quyen_han.src[i]);
    }
    s = clean(&c, vb_elem_child(e, "chuc-vu"));
    p->chuc_vu = s ? upper(&c, s) : NULL;
    p->ho_ten = clean(&c, vb_elem_child(e, "ho-ten"));
  }
  if (!c.ok_alloc)
    return VB_ENOMEM;
  return vb_error_count(ctx) > errors ? VB_EINVALID : VB_OK;
}
