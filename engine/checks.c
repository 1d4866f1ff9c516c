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

/* V160: a state summary starts with a capital (NĐ 30 practice; the
 * Party's starts with a small letter, V050). */
static void check_state_summary(struct vb_checker *c) {
  const struct vb_value *v = val(c, "trich-yeu");
  if (v && v->text && c->profile && !c->profile->party &&
      !starts_upper(v->text))
    vb_check_diag(c, VB_C_STATE_CASE, v->src, v->text, NULL);
}

/* V108: each căn cứ ends with ";", the last with "." or ":" (the body or
 * "QUYẾT ĐỊNH:" follows); a Party document's last may end with "," as the
 * Party's own decisions write "- Theo đề nghị của …," (spec §6). */
static void check_can_cu(struct vb_checker *c) {
  const struct vb_value *v, *next;
  int party = c->profile && c->profile->party;
  for (v = val(c, "can-cu"); v; v = next) {
    size_t n;
    char end;
    next = vb_value_next(v);
    if (!v->text)
      continue;
    n = strlen(v->text);
    end = n ? v->text[n - 1] : 0;
    if (next ? end != ';'
             : end != '.' && end != ':' && !(party && end == ','))
      vb_check_diag(c, VB_C_CAN_CU_PUNCT, v->src,
                    next    ? "\";\""
                    : party ? vb_check_tr(c, "\".\", \":\" hoặc \",\"",
                                          "\".\", \":\" or \",\"")
                            : vb_check_tr(c, "\".\" hoặc \":\"",
                                          "\".\" or \":\""),
                    v->text);
  }
}

/* V109: no academic title before the signer's name (NĐ 30 Phụ lục I,
 * II.7.c: "không ghi học hàm, học vị và các danh hiệu danh dự khác"). */
static void check_signer_name(struct vb_checker *c) {
  static const char *const titles[] = {
      "gs", "pgs", "ts", "ths", "tskh", "ks", "bs", "cn", "ds", "ls",
      "giao-su", "pho-giao-su", "tien-si", "thac-si", "ky-su", "bac-si"};
  const struct vb_value *v = val(c, "nguoi-ky/ho-ten");
  struct vb_buf f;
  size_t i, n;
  if (!v || !v->text)
    return;
  /* the first word (up to a dot or a space), folded: "PGS.TS." -> "pgs" */
  for (n = 0; v->text[n] && v->text[n] != '.' && v->text[n] != ' '; n++)
    ;
  vb_buf_init(&f, &c->ctx->mem, 1 << 10);
  vb_text_fold(v->text, n, &f);
  if (vb_buf_err(&f) == VB_ENOMEM)
    c->ok_alloc = 0;
  for (i = 0; !vb_buf_err(&f) && i < sizeof(titles) / sizeof(titles[0]); i++)
    if (!strcmp(f.ptr, titles[i]) && (v->text[n] == '.' ||
                                       strlen(titles[i]) > 4)) {
      vb_check_diag(c, VB_C_TITLE_NAME, v->src, v->text, NULL);
      break;
    }
  vb_buf_release(&f);
}

/* V161: "KT. CHỦ TỊCH" is signed by a deputy, never by the CHỦ TỊCH. */
static void check_kt(struct vb_checker *c) {
  static const char *const kt[] = {"KT. ", "K/T "};
  const struct vb_value *q, *last = NULL;
  const char *cv = text_of(c, "nguoi-ky/chuc-vu");
  size_t i;
  for (q = val(c, "nguoi-ky/quyen-han"); q; q = vb_value_next(q))
    if (q->text)
      last = q;
  if (!last || !cv)
    return;
  for (i = 0; i < sizeof(kt) / sizeof(kt[0]); i++)
    if (!strncmp(last->text, kt[i], strlen(kt[i])) &&
        !strcmp(last->text + strlen(kt[i]), cv))
      vb_check_diag(c, VB_C_KT_SELF, last->src, last->text, cv);
}

/* The whole "văn bản có tên loại": values for the parts, then the rules
 * of NĐ 30 / HD 36 on them, in the order a clerk reads the page. */
static void van_ban(struct vb_checker *c) {
  fill_plan(c);
  check_symbol(c);
  check_party_summary(c);
  check_state_summary(c);
  check_can_cu(c);
  check_noi_nhan(c);
  check_authority(c);
  check_kt(c);
  check_signer_name(c);
}

/* --- mẫu 01A and 01B (seeds/004, III and IV) -------------------------- */

static long day_number(const struct vb_value *v) {
  return v && v->y ? (long)v->y * 10000 + (long)v->m * 100 + v->d : 0;
}

static const char *dmy(struct vb_checker *c, const struct vb_value *v) {
  char buf[16];
  char *s;
  snprintf(buf, sizeof(buf), "%02d/%02d/%04d", v->d, v->m, v->y);
  s = vb_arena_strdup(c->a, buf);
  if (!s)
    c->ok_alloc = 0;
  return s ? s : "";
}

/* "label 15/02/2023", for messages. */
static const char *labelled(struct vb_checker *c, const struct vb_value *v) {
  char buf[256];
  char *s;
  snprintf(buf, sizeof(buf), "%s %s",
           vb_field_label(v->f, c->ctx->opt.lang), dmy(c, v));
  s = vb_arena_strdup(c->a, buf);
  if (!s)
    c->ok_alloc = 0;
  return s ? s : "";
}

/* V102: a start strictly before its end. */
static void before(struct vb_checker *c, const char *from, const char *to) {
  const struct vb_value *a = val(c, from), *b = val(c, to);
  if (day_number(a) && day_number(b) && day_number(a) >= day_number(b))
    vb_check_diag(c, VB_C_DATE_ORDER, b->src, labelled(c, a), labelled(c, b));
}

/* V102 for a period of years, V104 for a date outside the plan's year or
 * period (nam, or tu-nam to den-nam). */
static void in_period(struct vb_checker *c, const char *path) {
  const struct vb_value *d = val(c, path), *nam = val(c, "nam"),
                        *from = val(c, "tu-nam"), *to = val(c, "den-nam");
  long lo = 0, hi = 0;
  char span[64];
  if (from && to && from->num && to->num && from->num > to->num) {
    char a[64], b[64];
    snprintf(a, sizeof(a), "%s %ld", vb_field_label(from->f, c->ctx->opt.lang),
             from->num);
    snprintf(b, sizeof(b), "%s %ld", vb_field_label(to->f, c->ctx->opt.lang),
             to->num);
    vb_check_diag(c, VB_C_DATE_ORDER, to->src, a, b);
    return;
  }
  if (nam && nam->num)
    lo = hi = nam->num;
  else if (from && to && from->num && to->num) {
    lo = from->num;
    hi = to->num;
  }
  if (!lo || !d || !d->y || (d->y >= lo && d->y <= hi))
    return;
  if (lo == hi)
    snprintf(span, sizeof(span), "%s %ld", vb_check_tr(c, "năm", "year"), lo);
  else
    snprintf(span, sizeof(span), "%ld - %ld", lo, hi);
  vb_check_diag(c, VB_C_OUT_OF_PERIOD, d->src, labelled(c, d), span);
}

/* 01A: the model's start before its end, the end inside the plan's year
 * or period (seeds/004 III.1: "dự kiến thời gian bắt đầu triển khai và
 * kết thúc"). */
static void plan_period(struct vb_checker *c) {
  before(c, "thoi-gian/bat-dau", "thoi-gian/ket-thuc");
  in_period(c, "thoi-gian/ket-thuc");
}

/* 01B: registered before completion, completion inside the period, and a
 * registration after the campaign's deadline warns (seeds/004 V.2: "trước
 * ngày 28/02/2023"). */
static void registration_period(struct vb_checker *c) {
  const struct vb_value *d = val(c, "ngay"), *lim = val(c, "han-dang-ky");
  before(c, "ngay", "thoi-gian-hoan-thanh");
  in_period(c, "thoi-gian-hoan-thanh");
  if (day_number(d) && day_number(lim) && day_number(d) > day_number(lim))
    vb_check_diag(c, VB_C_LATE, d->src, dmy(c, d), dmy(c, lim));
}

/* Kính gửi from the unit's level (seeds/004 III.2): units under a xã
 * Party committee register with the Khối Dân vận xã, district-level
 * bodies with the Ban Dân vận Huyện ủy. Given and inconsistent: V103. */
static void kinh_gui(struct vb_checker *c) {
  const struct vb_value *cap = val(c, "cap"), *kg = val(c, "kinh-gui");
  const char *xa = text_of(c, "xa"), *huyen = text_of(c, "huyen");
  int to_xa;
  struct vb_buf b;
  char *derived;
  if (!cap || !cap->key)
    return;
  to_xa = !strcmp(cap->key, "xa");
  if (kg && kg->text) {
    struct vb_buf f;
    int says_xa, says_huyen;
    vb_buf_init(&f, &c->ctx->mem, 1 << 16);
    vb_text_fold(kg->text, strlen(kg->text), &f);
    says_xa = strstr(f.ptr, "khoi-dan-van") != NULL;
    says_huyen = strstr(f.ptr, "ban-dan-van") != NULL;
    if (vb_buf_err(&f) == VB_ENOMEM)
      c->ok_alloc = 0;
    vb_buf_release(&f);
    if ((to_xa && !says_xa) || (!to_xa && !says_huyen))
      vb_check_diag(c, VB_C_KINH_GUI, kg->src, kg->text,
                    to_xa ? vb_check_tr(c,
                                        "đơn vị thuộc Đảng ủy xã gửi Khối Dân "
                                        "vận xã",
                                        "units under a xã Party committee "
                                        "register with the Khối Dân vận xã")
                          : vb_check_tr(c,
                                        "cơ quan, đơn vị cấp huyện gửi Ban Dân "
                                        "vận Huyện ủy",
                                        "district-level bodies register with "
                                        "the Ban Dân vận Huyện ủy"));
    return;
  }
  vb_buf_init(&b, &c->ctx->mem, 1 << 16);
  if (to_xa)
    vb_buf_printf(&b, "Khối Dân vận xã%s%s", xa ? " " : "", xa ? xa : "");
  else
    vb_buf_printf(&b, "Ban Dân vận Huyện ủy%s%s", huyen ? " " : "",
                  huyen ? huyen : "");
  derived = vb_buf_err(&b) ? NULL : vb_arena_strndup(c->a, b.ptr, b.len);
  vb_buf_release(&b);
  if (!derived || !vb_check_set(c, "kinh-gui", derived))
    c->ok_alloc = 0;
}

/* A certificate (spec §5): the heading of its profile (Quốc hiệu and Tiêu
 * ngữ, or "ĐẢNG CỘNG SẢN VIỆT NAM") and the decision's number as the
 * profile writes it: "Số: 15/QĐ-UBND" (NĐ 30 Phụ lục I, II.3) or
 * "Số 15-QĐ/HU" (HD 36 1.3.1.a), below 10 with a leading zero. */
static void certificate(struct vb_checker *c) {
  const struct vb_value *so = val(c, "so-quyet-dinh");
  const char *kh = text_of(c, "ky-hieu");
  int party = c->profile && c->profile->party;
  struct vb_buf b;
  const char *t;
  if (!vb_check_set(c, "quoc-hieu", party ? "ĐẢNG CỘNG SẢN VIỆT NAM"
                                          : "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") ||
      (!party && !vb_check_set(c, "tieu-ngu", "Độc lập - Tự do - Hạnh phúc")))
    c->ok_alloc = 0;
  if (!so || !so->text || !kh)
    return;
  vb_buf_init(&b, &c->ctx->mem, 1 << 16);
  if (party)
    vb_buf_printf(&b, "Số %02ld-QĐ/%s", so->num, kh);
  else
    vb_buf_printf(&b, "Số: %02ld/QĐ-%s", so->num, kh);
  t = vb_buf_err(&b) ? NULL : vb_arena_strndup(c->a, b.ptr, b.len);
  vb_buf_release(&b);
  if (!t || !vb_check_set(c, "so-ky-hieu", t))
    c->ok_alloc = 0;
}

static const struct vb_check_ref checks[] = {
    {"giay-chung-nhan", certificate},
    {"van-ban-co-ten-loai", van_ban},
    {"thoi-gian-01a", plan_period},
    {"thoi-gian-01b", registration_period},
    {"kinh-gui", kinh_gui},
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
  return "van-ban-co-ten-loai, thoi-gian-01a, thoi-gian-01b, kinh-gui, "
         "ky-hieu, trich-yeu-dang, noi-nhan, quyen-han, giay-chung-nhan";
}
