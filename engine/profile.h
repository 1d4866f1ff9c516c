/* profile.h - what differs between document systems: state bodies
 * (Nghị định 30/2020), Party bodies (Hướng dẫn 36-HD/VPTW) and Mặt trận /
 * mass organisations. Sizes in half-points, lengths in twips. */
#ifndef VB_PROFILE_H
#define VB_PROFILE_H

struct vb_profile {
  const char *name;  /* "nd30", "hd36", "mttq" */
  int party;         /* Party header, "Số 22-KH/BDVHU", T/M K/T T/L */
  int sz_quoc_hieu, sz_tieu_ngu, sz_chu_quan, sz_co_quan, sz_so, sz_dia_danh;
  int sz_ten_loai, sz_trich_yeu, sz_body, sz_noi_nhan_label;
  int sz_noi_nhan_item, sz_chuc_vu, sz_ho_ten, sz_page_number;
  int header_right;  /* width of the right header column */
  int sign_right;    /* width of the signature column */
  int sign_space;    /* space left for signature and seal */
  const char *const *authorities; /* accepted prefixes, NULL-terminated */
  const char *authority_hint;     /* for the V030 message */
  const char *noi_nhan_sep;       /* ";" state, "," Party */
  const char *luu;                /* "Lưu: " state, "Lưu " Party */
  unsigned noi_nhan_label_flags;  /* VB_RUN_* of "Nơi nhận:" */
};

/* The profile named `name`, or NULL. */
const struct vb_profile *vb_profile_find(const char *name);
/* "nd30, hd36, mttq", for messages. */
const char *vb_profile_names(void);

/* Document types with the layout of "văn bản có tên loại" (Mẫu 1.4). */
struct vb_doctype {
  const char *key;   /* ke-hoach */
  const char *name;  /* KẾ HOẠCH */
  const char *code;  /* KH (Phụ lục III NĐ 30) */
};
const struct vb_doctype *vb_doctype_find(const char *key);
const char *vb_doctype_names(void);

#endif
