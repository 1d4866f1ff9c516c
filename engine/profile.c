/* profile.c - the three format profiles and the document types, as data.
 * Sources: spec/vn-document-format.md §2.3 (NĐ 30 sizes, the Mục V example
 * column), §3.2 and §3.7 (HD 36), §2.7 (type codes). */
#include <string.h>

#include "node.h"
#include "profile.h"

static const char *const state_auth[] = {"TM. ", "KT. ", "TL. ", "TUQ. ",
                                         "Q. ", NULL};
static const char *const party_auth[] = {"T/M ", "K/T ", "T/L ", NULL};

#define MM(x) ((int)((x) * 56.6929 + 0.5))

static const struct vb_profile profiles[] = {
    {"nd30", 0, 24, 26, 24, 24, 26, 26, 28, 28, 28, 24, 22, 28, 28, 28,
     MM(100), MM(100), MM(30), state_auth, "TM., KT., TL., TUQ., Q.", ";",
     "Lưu: ", VB_RUN_BOLD | VB_RUN_ITALIC},
    {"hd36", 1, 30, 0, 28, 28, 28, 28, 32, 28, 28, 28, 24, 28, 28, 28,
     MM(100), MM(100), MM(30), party_auth, "T/M, K/T, T/L", ",", "Lưu ",
     VB_RUN_UNDERLINE},
    /* Mặt trận and mass organisations use the state header and symbols
     * (seeds/000: "Số: 130/KH-MTTQ-BTT"). */
    {"mttq", 0, 24, 26, 24, 24, 26, 26, 28, 28, 28, 24, 22, 28, 28, 28,
     MM(100), MM(100), MM(30), state_auth, "TM., KT., TL., TUQ., Q.", ";",
     "Lưu: ", VB_RUN_BOLD | VB_RUN_ITALIC},
};

const struct vb_profile *vb_profile_find(const char *name) {
  size_t i;
  for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
    if (!strcmp(profiles[i].name, name))
      return &profiles[i];
  return NULL;
}

const char *vb_profile_names(void) { return "nd30, hd36, mttq"; }

static const struct vb_doctype types[] = {
    {"ke-hoach", "KẾ HOẠCH", "KH"},       {"bao-cao", "BÁO CÁO", "BC"},
    {"thong-bao", "THÔNG BÁO", "TB"},     {"huong-dan", "HƯỚNG DẪN", "HD"},
    {"chuong-trinh", "CHƯƠNG TRÌNH", "CTr"}, {"phuong-an", "PHƯƠNG ÁN", "PA"},
    {"de-an", "ĐỀ ÁN", "ĐA"},             {"to-trinh", "TỜ TRÌNH", "TTr"},
};

const struct vb_doctype *vb_doctype_find(const char *key) {
  size_t i;
  for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    if (!strcmp(types[i].key, key))
      return &types[i];
  return NULL;
}

const char *vb_doctype_names(void) {
  return "ke-hoach, bao-cao, thong-bao, huong-dan, chuong-trinh, "
         "phuong-an, de-an, to-trinh";
}
