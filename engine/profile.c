/* profile.c - the format profiles, read from templates/profiles/NAME.xml
 * (what the decree or guidance fixes: sizes, column widths, signing
 * authorities, Nơi nhận punctuation), and the document types of Mẫu 1.4
 * with their codes (NĐ 30 Phụ lục III). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "node.h"
#include "profile.h"

#define MM(x) ((int)((x) * 56.6929 + 0.5))
#define PT(x) ((int)((x) * 20))

/* A profile names a file: lower-case letters, digits and "-" only, so that
 * no name reaches outside templates/profiles/. */
#define MAX_PROFILE_NAME 32

/* Font sizes and lengths a profile may set, with their legal span. */
struct num {
  const char *elem, *attr;
  size_t offset;   /* in struct vb_profile */
  int required;
  double lo, hi;   /* pt for sizes, mm for lengths */
  int mm;          /* a length in mm, stored in twips; else pt -> half-pt */
};

#define OFF(f) offsetof(struct vb_profile, f)

static const struct num nums[] = {
    {"co-chu", "quoc-hieu", OFF(sz_quoc_hieu), 1, 8, 30, 0},
    {"co-chu", "tieu-ngu", OFF(sz_tieu_ngu), 0, 8, 30, 0},
    {"co-chu", "chu-quan", OFF(sz_chu_quan), 1, 8, 30, 0},
    {"co-chu", "co-quan", OFF(sz_co_quan), 1, 8, 30, 0},
    {"co-chu", "so", OFF(sz_so), 1, 8, 30, 0},
    {"co-chu", "dia-danh", OFF(sz_dia_danh), 1, 8, 30, 0},
    {"co-chu", "ten-loai", OFF(sz_ten_loai), 1, 8, 30, 0},
    {"co-chu", "trich-yeu", OFF(sz_trich_yeu), 1, 8, 30, 0},
    {"co-chu", "noi-dung", OFF(sz_body), 1, 8, 30, 0},
    {"co-chu", "nhan-noi-nhan", OFF(sz_noi_nhan_label), 1, 8, 30, 0},
    {"co-chu", "noi-nhan", OFF(sz_noi_nhan_item), 1, 8, 30, 0},
    {"co-chu", "chuc-vu", OFF(sz_chuc_vu), 1, 8, 30, 0},
    {"co-chu", "ho-ten", OFF(sz_ho_ten), 1, 8, 30, 0},
    {"co-chu", "so-trang", OFF(sz_page_number), 1, 0, 30, 0},
    {"kich-thuoc", "cot-tieu-de", OFF(header_right), 1, 60, 120, 1},
    {"kich-thuoc", "cot-chu-ky", OFF(sign_right), 1, 40, 120, 1},
    {"kich-thuoc", "khoang-ky", OFF(sign_space), 1, 5, 60, 1},
};

struct loader {
  vb_ctx *ctx;
  struct vb_arena *a;
  const char *path;
  int ok;
};

static void bad(struct loader *l, vb_code code, const struct vb_elem *e,
                const char *a0, const char *a1) {
  if (!vb_diag_add(l->ctx, code, l->path, e ? e->line : 0, e ? e->col : 0,
                   a0, a1))
    l->a->failed = 1; /* reported as VB_ENOMEM */
  l->ok = 0;
}

static const char *attr(struct loader *l, const struct vb_elem *e,
                        const char *name, int required) {
  const struct vb_attr *at = vb_elem_attr(e, name);
  if (!at && required) {
    char what[64];
    snprintf(what, sizeof(what), "%s %s", e ? e->name : "?", name);
    bad(l, VB_C_REQUIRED, e, what, vb_tr(l->ctx, "thể thức", "profile"));
  }
  return at ? at->value : NULL;
}

static void read_nums(struct loader *l, const struct vb_elem *root,
                      struct vb_profile *p) {
  size_t i;
  for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
    const struct num *n = &nums[i];
    const struct vb_elem *e = vb_elem_child(root, n->elem);
    const char *v;
    char *end = NULL, what[64];
    double d;
    if (!e) {
      /* one message per missing element */
      if (n->required && (i == 0 || strcmp(nums[i - 1].elem, n->elem)))
        bad(l, VB_C_REQUIRED, root, n->elem,
            vb_tr(l->ctx, "thể thức", "profile"));
      continue;
    }
    v = attr(l, e, n->attr, n->required);
    if (!v)
      continue;
    d = strtod(v, &end);
    snprintf(what, sizeof(what), "%s %s", n->elem, n->attr);
    if (end == v || *end || !(d >= n->lo && d <= n->hi)) {
      /* at the attribute itself: a tag may spread over several lines */
      const struct vb_attr *at = vb_elem_attr(e, n->attr);
      if (!vb_diag_add(l->ctx, VB_C_BAD_VALUE, l->path, at->line, at->col,
                       v, what))
        l->a->failed = 1;
      l->ok = 0;
      continue;
    }
    *(int *)((char *)p + n->offset) =
        n->mm ? MM(d) : (int)(d * 2 + 0.5); /* twips, or half-points */
  }
}

static void read_authorities(struct loader *l, const struct vb_elem *root,
                             struct vb_profile *p) {
  const struct vb_elem *e;
  size_t n = 0, k = 0, hint = 1;
  char *h;
  for (e = root->first; e; e = e->next)
    if (!strcmp(e->name, "quyen-han"))
      n++;
  if (!n) {
    bad(l, VB_C_REQUIRED, root, "quyen-han",
        vb_tr(l->ctx, "thể thức", "profile"));
    return;
  }
  p->authorities = vb_arena_alloc(l->a, (n + 1) * sizeof(char *));
  if (!p->authorities) {
    l->ok = 0;
    return;
  }
  for (e = root->first; e; e = e->next)
    if (!strcmp(e->name, "quyen-han")) {
      const char *s = vb_elem_clean(l->a, e);
      char *v;
      size_t len = s ? strlen(s) : 0;
      if (!len || len > 16 || strchr(s, ' ')) {
        bad(l, VB_C_BAD_VALUE, e, s ? s : "", "quyen-han");
        continue;
      }
      /* "TM." is matched as "TM. " at the start of a quyền hạn line */
      v = vb_arena_alloc(l->a, len + 2);
      if (!v) {
        l->ok = 0;
        return;
      }
      memcpy(v, s, len + 1);
      v[len] = ' ';
      v[len + 1] = '\0';
      p->authorities[k++] = v;
      hint += len + 2;
    }
  p->authorities[k] = NULL;
  h = vb_arena_alloc(l->a, hint);
  if (!h) {
    l->ok = 0;
    return;
  }
  for (k = 0; p->authorities[k]; k++) {
    size_t len = strlen(p->authorities[k]) - 1;
    if (k)
      strncat(h, ", ", hint - strlen(h) - 1);
    strncat(h, p->authorities[k], len);
  }
  p->authority_hint = h;
}

static void read_noi_nhan(struct loader *l, const struct vb_elem *root,
                          struct vb_profile *p) {
  const struct vb_elem *e = vb_elem_child(root, "noi-nhan");
  const char *kind;
  if (!e) {
    bad(l, VB_C_REQUIRED, root, "noi-nhan",
        vb_tr(l->ctx, "thể thức", "profile"));
    return;
  }
  p->noi_nhan_sep = attr(l, e, "phan-cach", 1);
  p->luu = attr(l, e, "luu", 1);
  kind = attr(l, e, "kieu-nhan", 0);
  p->noi_nhan_label_flags = 0;
  if (kind) {
    /* words: dam (bold), nghieng (italic), gach-chan (underlined) */
    if (strstr(kind, "dam"))
      p->noi_nhan_label_flags |= VB_RUN_BOLD;
    if (strstr(kind, "nghieng"))
      p->noi_nhan_label_flags |= VB_RUN_ITALIC;
    if (strstr(kind, "gach-chan"))
      p->noi_nhan_label_flags |= VB_RUN_UNDERLINE;
  }
}

int vb_name_ok(const char *s, size_t max) {
  size_t n = s ? strlen(s) : 0, i;
  if (!n || n > max)
    return 0;
  for (i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
          (s[i] == '-' && i > 0)))
      return 0;
  return 1;
}

static vb_status load(vb_ctx *ctx, struct vb_arena *a, const char *name,
                      const char *file, const struct vb_elem *at,
                      const struct vb_profile **out);

/* The loader as the context's cache calls it. */
static vb_status load_any(vb_ctx *ctx, struct vb_arena *a, const char *name,
                          const char *file, const struct vb_elem *at,
                          const void **out) {
  const struct vb_profile *p = NULL;
  vb_status st = load(ctx, a, name, file, at, &p);
  *out = p;
  return st;
}

vb_status vb_profile_load(vb_ctx *ctx, struct vb_arena *a, const char *name,
                          const char *file, const struct vb_elem *at,
                          const struct vb_profile **out) {
  const void *p;
  vb_status st;
  (void)a; /* kept by the context, in an arena of its own */
  st = vb_ctx_load(ctx, VB_CACHE_PROFILE, name, file, at, load_any, &p);
  *out = p;
  return st;
}

static vb_status load(vb_ctx *ctx, struct vb_arena *a, const char *name,
                      const char *file, const struct vb_elem *at,
                      const struct vb_profile **out) {
  struct loader l = {ctx, a, NULL, 1};
  struct vb_profile *p;
  struct vb_elem *root = NULL;
  char path[VB_PATH_MAX + 64];
  const char *he;
  char *lower, *c;
  vb_status st;
  *out = NULL;
  /* a profile name in any case ("ND30" is nd30): the files are named in
   * lower case */
  lower = name ? vb_arena_strdup(a, name) : NULL;
  if (name && !lower)
    return VB_ENOMEM;
  for (c = lower; c && *c; c++)
    if (*c >= 'A' && *c <= 'Z')
      *c = (char)(*c - 'A' + 'a');
  if (!vb_name_ok(lower, MAX_PROFILE_NAME)) {
    return vb_diag_add(ctx, VB_C_PROFILE, file, at ? at->line : 0,
                       at ? at->col : 0, name ? name : "",
                       "nd30, hd36, mttq")
               ? VB_EINVALID
               : VB_ENOMEM;
  }
  name = lower;
  snprintf(path, sizeof(path), "%s/templates/profiles/%s.xml", ctx->data_dir,
           name);
  st = vb_input_read_file(ctx, a, path, &root, 1);
  if (st == VB_EIO) {
    /* no such profile; or its file is there but unusable (a FIFO, a
     * folder, no permission): said at the file itself */
    int err = errno, ok;
    char dir[VB_PATH_MAX + 64];
    struct stat dst;
    snprintf(dir, sizeof(dir), "%s/templates/profiles", ctx->data_dir);
    if ((err == ENOENT || err == ENOTDIR) && stat(dir, &dst) != 0) {
      /* no profiles at all: the data folder is wrong, not the name */
      snprintf(dir, sizeof(dir), "%s.xml", name);
      ok = vb_data_missing(ctx, "templates/profiles", dir);
    } else if (err == ENOENT || err == ENOTDIR) {
      ok = vb_diag_add(ctx, VB_C_PROFILE, file, at ? at->line : 0,
                       at ? at->col : 0, name, "nd30, hd36, mttq");
    } else {
      ok = vb_diag_add(ctx, VB_C_IO, path, 0, 0,
                       vb_errno_str(err, ctx->opt.lang), NULL);
    }
    return ok ? VB_EINVALID : VB_ENOMEM;
  }
  if (st != VB_OK)
    return st;
  l.path = vb_arena_strdup(a, path);
  p = vb_arena_alloc(a, sizeof(*p));
  if (!p || !l.path)
    return VB_ENOMEM;
  if (strcmp(root->name, "the-thuc")) {
    bad(&l, VB_C_XML_ROOT, root, root->name, NULL);
    return VB_EINVALID;
  }
  p->name = vb_arena_strdup(a, name);
  he = attr(&l, root, "he", 1);
  if (he && strcmp(he, "dang") && strcmp(he, "nha-nuoc"))
    bad(&l, VB_C_BAD_VALUE, root, he, "the-thuc he (dang, nha-nuoc)");
  p->party = he && !strcmp(he, "dang");
  read_nums(&l, root, p);
  if (!p->party && !p->sz_tieu_ngu)
    bad(&l, VB_C_REQUIRED, vb_elem_child(root, "co-chu"), "co-chu tieu-ngu",
        vb_tr(ctx, "thể thức", "profile"));
  read_authorities(&l, root, p);
  read_noi_nhan(&l, root, p);
  if (a->failed)
    return VB_ENOMEM;
  if (!l.ok)
    return VB_EINVALID;
  *out = p;
  return VB_OK;
}

void vb_body_style(const struct vb_profile *p, enum vb_role role,
                   struct vb_pstyle *st) {
  memset(st, 0, sizeof(*st));
  st->role = role;
  st->size = p->sz_body;
  st->line = 240;
  st->align = VB_ALIGN_JUSTIFY;
  /* NĐ 30 Phụ lục I: first line indented 1 cm, at least 6 pt between
   * paragraphs, single to 1.5 line spacing */
  st->first_indent = 567;
  st->space_after = PT(6);
  st->widow = 1;
  switch (role) {
  case VB_ROLE_HEADING1:
  case VB_ROLE_HEADING2:
  case VB_ROLE_HEADING3:
    st->keep_next = 1;
    st->keep_lines = 1;
    st->align = VB_ALIGN_LEFT;
    break;
  default:
    break;
  }
}
