/* plan.h - a validated document of the "văn bản có tên loại" family (a
 * KẾ HOẠCH and its kin): clean values, each with the element it came from
 * for positions. validate.c fills it; compose.c turns it into a tree. */
#ifndef VB_PLAN_H
#define VB_PLAN_H

#include "input.h"
#include "profile.h"

enum vb_nn_kind { VB_NN_ITEM, VB_NN_GROUP, VB_NN_LUU };

struct vb_nn {
  enum vb_nn_kind kind;
  const char *text;      /* cleaned, without "- " and final punctuation */
  const struct vb_elem *src;
  struct vb_nn *next;
};

struct vb_lines {
  const char **v;
  const struct vb_elem **src;
  size_t n;
};

struct vb_plan {
  const char *file;
  const struct vb_profile *profile;
  const struct vb_doctype *type;
  struct vb_lines chu_quan, ten, can_cu;
  const char *ky_hieu;
  long so;               /* 0: not numbered yet */
  const char *dia_danh;
  int day, month, year;
  const char *trich_yeu;
  const struct vb_elem *noi_dung, *trich_yeu_src, *header_src;
  struct vb_nn *noi_nhan;
  struct vb_lines quyen_han; /* stacked: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" */
  const char *chuc_vu, *ho_ten;
  const struct vb_elem *nguoi_ky_src;
  const char *id;        /* <van-ban ma="...">: the document's identifier */
  const char *secret;    /* <van-ban do-mat="...">: NULL, mat, toi-mat,
                            tuyet-mat */
};

/* Parses "YYYY-MM-DD", "DD/MM/YYYY" or "D-M-YYYY". Returns 1 when well formed (the
 * date may still not exist), and sets *real to whether it exists. */
int vb_parse_date(const char *s, int *y, int *m, int *d, int *real);
/* "ngày 05 tháng 02 năm 2020" rule (NĐ 30 Phụ lục I, II.4.b): writes the
 * date part of the date line into buf. */
void vb_format_date(char *buf, size_t cap, int y, int m, int d);

#endif
