/* profile.h - what differs between document systems: state bodies
 * (Nghị định 30/2020), Party bodies (Hướng dẫn 36-HD/VPTW) and Mặt trận /
 * mass organisations. Read from templates/profiles/NAME.xml, which users
 * may edit. Sizes in half-points, lengths in twips. */
#ifndef VB_PROFILE_H
#define VB_PROFILE_H

#include "input.h"
#include "node.h"

struct vb_profile {
  const char *name;  /* "nd30", "hd36", "mttq" */
  int party;         /* Party header, "Số 22-KH/BDVHU", T/M K/T T/L */
  int sz_quoc_hieu, sz_tieu_ngu, sz_chu_quan, sz_co_quan, sz_so, sz_dia_danh;
  int sz_ten_loai, sz_trich_yeu, sz_body, sz_noi_nhan_label;
  int sz_noi_nhan_item, sz_chuc_vu, sz_ho_ten, sz_page_number;
  int header_right;  /* width of the right header column */
  int sign_right;    /* width of the signature column */
  int sign_space;    /* space left for signature and seal */
  const char **authorities;       /* accepted prefixes ("TM. "), NULL-ended */
  const char *authority_hint;     /* for the V030 message */
  const char *noi_nhan_sep;       /* ";" state, "," Party */
  const char *luu;                /* "Lưu: " state, "Lưu " Party */
  unsigned noi_nhan_label_flags;  /* VB_RUN_* of "Nơi nhận:" */
};

/* 1 when s is a name of the data folder's files and of the forms' fields:
 * 1 to max lower-case letters, digits and "-", not starting with "-", so
 * that no name reaches outside its folder. */
int vb_name_ok(const char *s, size_t max);

/* Loads the profile `name` from the data folder's templates/profiles/ into
 * *out, its strings in `a`. An unknown name is V005 at `at` (the element of
 * `file` that names it); a mistake inside the profile file is reported at
 * its own line. Returns VB_OK, VB_EINVALID or VB_ENOMEM. */
vb_status vb_profile_load(vb_ctx *ctx, struct vb_arena *a, const char *name,
                          const char *file, const struct vb_elem *at,
                          const struct vb_profile **out);

/* Paragraph style of a body role (body, headings, list items, căn cứ) in
 * a profile: NĐ 30 Phụ lục I, justified, 1 cm first line, 6 pt after. */
void vb_body_style(const struct vb_profile *p, enum vb_role role,
                   struct vb_pstyle *st);

/* A document type a template prints (<loai> of templates/NAME.xml). */
struct vb_doctype {
  const char *key;   /* ke-hoach */
  const char *name;  /* KẾ HOẠCH */
  const char *code;  /* KH (Phụ lục III NĐ 30) */
};

#endif
