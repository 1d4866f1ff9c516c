/* text.c - Unicode on UTF-8 strings: validation, NFC, Vietnamese upper
 * case and line-break opportunities. The only file that uses ICU. */
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "mem.h"
#include "text.h"

int vb_utf8_valid(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    size_t n;
    unsigned cp, min;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3; cp = c & 0x07; min = 0x10000;
    } else {
      return 0;
    }
    if (len - i <= n)
      return 0;
    for (size_t j = 1; j <= n; j++) {
      if ((s[i + j] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += n + 1;
  }
  return 1;
}

enum vb_invisible vb_text_invisible(uint32_t cp) {
  if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
      cp == 0x200E || cp == 0x200F || cp == 0x061C)
    return VB_INVISIBLE_BIDI;
  if (cp < 0xA0)
    return VB_INVISIBLE_NONE;
  if (u_charType((UChar32)cp) == U_FORMAT_CHAR || cp == 0x2028 ||
      cp == 0x2029 || cp == 0x034F || (cp >= 0xFE00 && cp <= 0xFE0F) ||
      (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x115F || cp == 0x1160 ||
      cp == 0x3164 || cp == 0xFFA0 || cp == 0x180B || cp == 0x180C ||
      cp == 0x180D || cp == 0x180F)
    return VB_INVISIBLE_FORMAT;
  return VB_INVISIBLE_NONE;
}

uint32_t vb_utf8_next(const char *str, size_t len, size_t *i) {
  const unsigned char *s = (const unsigned char *)str;
  size_t k = *i;
  uint32_t c = s[k];
  int n, j;
  if (c < 0x80) {
    *i = k + 1;
    return c;
  }
  if (c >= 0xF0 && c < 0xF5) {
    n = 3;
    c &= 0x07;
  } else if (c >= 0xE0) {
    n = 2;
    c &= 0x0F;
  } else if (c >= 0xC2 && c < 0xE0) {
    n = 1;
    c &= 0x1F;
  } else {
    *i = k + 1;
    return 0xFFFD;
  }
  if (k + (size_t)n >= len) {
    *i = len;
    return 0xFFFD;
  }
  for (j = 1; j <= n; j++) {
    if ((s[k + j] & 0xC0) != 0x80) {
      *i = k + j;
      return 0xFFFD;
    }
    c = (c << 6) | (s[k + j] & 0x3F);
  }
  *i = k + n + 1;
  return c;
}

/* Converts UTF-8 to a freshly allocated UTF-16 string. */
static UChar *to_u16(const char *s, size_t len, int32_t *ulen) {
  UErrorCode e = U_ZERO_ERROR;
  UChar *u;
  int32_t n = 0;
  if (len > INT32_MAX / 2)
    return NULL;
  u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &e);
  if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
    return NULL;
  e = U_ZERO_ERROR;
  u = vb_malloc(&vb_mem_default, ((size_t)n + 1) * sizeof(UChar));
  if (!u)
    return NULL;
  u_strFromUTF8(u, n + 1, ulen, s, (int32_t)len, &e);
  if (U_FAILURE(e)) {
    vb_mfree(&vb_mem_default, u);
    return NULL;
  }
  return u;
}

static vb_status put_u16(const UChar *u, int32_t n, struct vb_buf *out) {
  UErrorCode e = U_ZERO_ERROR;
  int32_t need = 0;
  char *tmp;
  u_strToUTF8(NULL, 0, &need, u, n, &e);
  if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
    return VB_EINVALID;
  e = U_ZERO_ERROR;
  tmp = vb_malloc(&vb_mem_default, (size_t)need + 1);
  if (!tmp)
    return VB_ENOMEM;
  u_strToUTF8(tmp, need + 1, NULL, u, n, &e);
  if (U_SUCCESS(e))
    vb_buf_put(out, tmp, (size_t)need);
  vb_mfree(&vb_mem_default, tmp);
  if (U_FAILURE(e))
    return VB_EINVALID;
  return vb_buf_err(out);
}

/* Pure ASCII needs no normalisation: the common, fast path. */
static int ascii(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] >= 0x80)
      return 0;
  return 1;
}

vb_status vb_text_nfc(const char *s, size_t len, struct vb_buf *out) {
  UErrorCode e = U_ZERO_ERROR;
  const UNormalizer2 *nfc;
  UChar *u, *v;
  int32_t n, m;
  vb_status st;
  if (ascii(s, len)) {
    vb_buf_put(out, s, len);
    return vb_buf_err(out);
  }
  nfc = unorm2_getNFCInstance(&e);
  if (U_FAILURE(e))
    return VB_EINVALID;
  u = to_u16(s, len, &n);
  if (!u)
    return VB_ENOMEM;
  if (unorm2_isNormalized(nfc, u, n, &e) && U_SUCCESS(e)) {
    vb_mfree(&vb_mem_default, u);
    vb_buf_put(out, s, len);
    return vb_buf_err(out);
  }
  e = U_ZERO_ERROR;
  /* NFC never grows a string by more than 3x in UTF-16 */
  v = vb_malloc(&vb_mem_default, ((size_t)n * 3 + 1) * sizeof(UChar));
  if (!v) {
    vb_mfree(&vb_mem_default, u);
    return VB_ENOMEM;
  }
  m = unorm2_normalize(nfc, u, n, v, n * 3 + 1, &e);
  st = U_FAILURE(e) ? VB_EINVALID : put_u16(v, m, out);
  vb_mfree(&vb_mem_default, u);
  vb_mfree(&vb_mem_default, v);
  return st;
}

vb_status vb_text_upper(const char *s, size_t len, struct vb_buf *out) {
  UErrorCode e = U_ZERO_ERROR;
  UChar *u, *v;
  int32_t n, m, cap;
  vb_status st;
  struct vb_buf tmp;
  u = to_u16(s, len, &n);
  if (!u)
    return VB_ENOMEM;
  cap = n * 3 + 1; /* upper-casing grows a string at most 3x */
  v = vb_malloc(&vb_mem_default, (size_t)cap * sizeof(UChar));
  if (!v) {
    vb_mfree(&vb_mem_default, u);
    return VB_ENOMEM;
  }
  m = u_strToUpper(v, cap, u, n, "vi", &e);
  if (U_FAILURE(e)) {
    st = VB_EINVALID;
  } else {
    vb_buf_init(&tmp, &vb_mem_default, (size_t)-1);
    st = put_u16(v, m, &tmp);
    if (st == VB_OK)
      st = vb_text_nfc(tmp.ptr, tmp.len, out);
    vb_buf_release(&tmp);
  }
  vb_mfree(&vb_mem_default, u);
  vb_mfree(&vb_mem_default, v);
  return st;
}

long vb_text_breaks(const char *s, size_t len, size_t *offs, size_t cap) {
  UErrorCode e = U_ZERO_ERROR;
  UBreakIterator *bi;
  UChar *u;
  int32_t n, pos, k = 0;
  size_t count = 0, byte = 0;
  u = to_u16(s, len, &n);
  if (!u)
    return -1;
  bi = ubrk_open(UBRK_LINE, "vi", u, n, &e);
  if (U_FAILURE(e)) {
    vb_mfree(&vb_mem_default, u);
    return -1;
  }
  ubrk_first(bi);
  /* walk UTF-16 offsets and UTF-8 offsets together */
  while ((pos = ubrk_next(bi)) != UBRK_DONE && pos < n) {
    while (k < pos) {
      unsigned char c = (unsigned char)s[byte];
      size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      k += w == 4 ? 2 : 1;
      byte += w;
    }
    if (byte > 0 && byte < len) {
      if (count < cap)
        offs[count] = byte;
      count++;
    }
  }
  ubrk_close(bi);
  vb_mfree(&vb_mem_default, u);
  return (long)count;
}

vb_status vb_text_fold(const char *s, size_t len, struct vb_buf *out) {
  UErrorCode e = U_ZERO_ERROR;
  const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
  UChar *u, *v;
  int32_t n, m, i = 0;
  int sep = 0, any = 0;
  if (U_FAILURE(e))
    return VB_EINVALID;
  u = to_u16(s, len, &n);
  if (!u)
    return VB_ENOMEM;
  m = unorm2_normalize(nfd, u, n, NULL, 0, &e);
  if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e)) {
    vb_mfree(&vb_mem_default, u);
    return VB_EINVALID;
  }
  e = U_ZERO_ERROR;
  v = vb_malloc(&vb_mem_default, ((size_t)m + 1) * sizeof(UChar));
  if (!v) {
    vb_mfree(&vb_mem_default, u);
    return VB_ENOMEM;
  }
  m = unorm2_normalize(nfd, u, n, v, m + 1, &e);
  vb_mfree(&vb_mem_default, u);
  if (U_FAILURE(e)) {
    vb_mfree(&vb_mem_default, v);
    return VB_EINVALID;
  }
  while (i < m) {
    UChar32 c;
    U16_NEXT(v, i, m, c);
    if (u_charType(c) == U_NON_SPACING_MARK)
      continue; /* the diacritics, once decomposed */
    if (c == 0x0110 || c == 0x0111) /* Đ đ do not decompose */
      c = 'd';
    c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    if (u_isalnum(c)) {
      char utf8[4];
      int32_t k = 0;
      if (sep && any)
        vb_buf_putc(out, '-');
      U8_APPEND_UNSAFE(utf8, k, c);
      vb_buf_put(out, utf8, (size_t)k);
      sep = 0;
      any = 1;
    } else {
      sep = 1;
    }
  }
  vb_mfree(&vb_mem_default, v);
  return vb_buf_err(out);
}

/* ---- protected tokens: where neither vanban nor Word may break ---- */

/* A letter or digit: ASCII alphanumerics and every non-ASCII character
 * except the general punctuation block (dashes, quotes, ellipsis). */
static int wordch(const unsigned char *u, size_t len, size_t i) {
  if (u[i] < 0x80)
    return (u[i] >= '0' && u[i] <= '9') || (u[i] >= 'A' && u[i] <= 'Z') ||
           (u[i] >= 'a' && u[i] <= 'z');
  return !(u[i] == 0xE2 && i + 1 < len && u[i + 1] == 0x80);
}

/* Start of the code point before byte i (i > 0). */
static size_t prev_cp(const unsigned char *u, size_t i) {
  do
    i--;
  while (i > 0 && (u[i] & 0xC0) == 0x80);
  return i;
}

static int is_digit(const unsigned char *u, size_t i) {
  return u[i] >= '0' && u[i] <= '9';
}

/* A dash standing alone: "-" or "–" (U+2013). Returns its byte length. */
static size_t lone_dash(const unsigned char *u, size_t len, size_t i) {
  if (i < len && u[i] == '-')
    return 1;
  if (i + 2 < len && u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] == 0x93)
    return 3;
  return 0;
}

int vb_text_hard_hyphen(const char *s, size_t len, size_t i) {
  const unsigned char *u = (const unsigned char *)s;
  return i > 0 && i + 1 < len && u[i] == '-' &&
         wordch(u, len, prev_cp(u, i)) && wordch(u, len, i + 1);
}

int vb_text_glued_space(const char *s, size_t len, size_t at, size_t end) {
  const unsigned char *u = (const unsigned char *)s;
  size_t p, d, e, q;
  if (at == 0 || end >= len)
    return 0;
  p = prev_cp(u, at); /* last character before the spaces */
  /* "2017- 2020", "245- HD/BDVTU": a hyphen hanging on its word */
  if (u[p] == '-' && p > 0 && wordch(u, len, prev_cp(u, p)) &&
      wordch(u, len, end))
    return 1;
  /* "2016 -2020" */
  if ((is_digit(u, p) || u[p] == ')') && u[end] == '-' && end + 1 < len &&
      is_digit(u, end + 1))
    return 1;
  /* "Số: 05/KH-UBND" */
  if (at >= 5 && memcmp(s + at - 5, "S\xe1\xbb\x91:", 5) == 0 &&
      (at == 5 || u[at - 6] == ' ') && is_digit(u, end))
    return 1;
  /* "2016 - 2020", "(15/10/1930 - 15/10/2020)": the space before the dash */
  if ((d = lone_dash(u, len, end)) && (is_digit(u, p) || u[p] == ')')) {
    for (q = end + d; q < len && u[q] == ' '; q++)
      ;
    if (q > end + d && q < len && (is_digit(u, q) || u[q] == '('))
      return 1;
  }
  /* ... and the space after it */
  for (e = p; e > 0 && u[e - 1] != ' '; e--)
    ;
  d = lone_dash(u, len, e);
  if (d && e + d == at && e > 0 && (is_digit(u, end) || u[end] == '(')) {
    for (q = e; q > 0 && u[q - 1] == ' '; q--)
      ;
    if (q < e && q > 0 && (is_digit(u, q - 1) || u[q - 1] == ')'))
      return 1;
  }
  return 0;
}

/* ---- balanced breaks of centred lines (trích yếu, header names) ---- */

/* A title of more lines than this is left to the greedy fill. */
#define BAL_MAX_LINES 4
/* Spaces considered as break points; a longer title is left alone. */
#define BAL_MAX_SPACES 96
/* Costs, in points of imbalance (a line's distance d from the mean
 * length, counted d + d²/200 so that a far longer line costs more): a break at a neutral space, one right after a function word,
 * one inside quotation marks, one splitting a two-syllable word. */
#define BAL_NEUTRAL 200.0
#define BAL_AFTER_FUNCTION 300.0
#define BAL_IN_QUOTES 400.0
#define BAL_IN_WORD 600.0

/* Words a line may start with: "và", "về", "của" and their kin, and in
 * header names the unit words ("TỈNH NGHỆ AN", "CÁC CƠ QUAN TỈNH"). */
static const char *const bal_lead[] = {
    "và", "về", "của", "cho", "trong", "tại", "theo", "với", "đối",
    "giai", "năm", "nhằm", "để", "các", "những", "trên",
    "tỉnh", "huyện", "xã", "phường", "thị", "thành", "quận", "khối",
    "ban", "sở", "phòng", "tổng", "cục", "hội", "ủy"};
/* Words a line must not end with. */
static const char *const bal_func[] = {"và", "về", "của", "cho", "các",
                                       "những", "trong", "tại", "theo",
                                       "với", "đối", "số", "giai"};

/* Two-syllable words of administrative writing that a line must not
 * split ("xây | dựng", "đầu | tư"): data, as a clerk knows them. */
static const char *const bal_words[] = {
    "xây dựng", "phát triển", "nông thôn", "nông nghiệp", "dân vận",
    "mô hình", "điển hình", "thi đua", "phong trào", "nhân dân", "cơ quan",
    "thủy lợi", "quản lý", "dự án", "đầu tư", "chính trị", "xã hội",
    "hành chính", "công chức", "viên chức", "lao động", "kinh tế",
    "văn hóa", "thực hiện", "triển khai", "tổ chức", "hệ thống",
    "chính quyền", "mặt trận", "tổ quốc", "đoàn thể", "thường trực",
    "thường vụ", "nội vụ", "văn phòng", "giai đoạn", "việt nam",
    "nghị quyết", "kế hoạch", "công tác", "tuyên truyền", "vận động",
    "địa bàn", "dân cư", "đơn vị", "nội dung", "hình thức", "trách nhiệm",
    "nhận thức", "lãnh đạo", "chỉ đạo", "quy chế", "dân chủ", "cơ sở",
    "nhân dân", "ủy ban", "hội đồng", "đảng bộ", "đảng ủy", "huyện ủy",
    "tỉnh ủy", "thành ủy", "chủ tịch", "bí thư", "cựu chiến", "chiến binh",
    "khu dân", "an ninh", "quốc phòng", "truyền thống", "kỷ niệm",
    "biểu dương", "khen thưởng", "tập thể", "cá nhân", "nhân rộng",
    "hiệu quả", "nhiệm vụ", "mục tiêu", "tiêu chí", "đăng ký"};

/* Lower-cases s[0..n) into low (cap bytes, NUL-terminated); its length,
 * or -1 when it does not fit or ICU fails. */
static int32_t lower(const char *s, size_t n, char *low, int32_t cap) {
  UChar u[64], l[64];
  int32_t ulen = 0, llen, blen = 0;
  UErrorCode e = U_ZERO_ERROR;
  if (n > 48)
    return -1;
  u_strFromUTF8(u, 64, &ulen, s, (int32_t)n, &e);
  if (U_FAILURE(e) || ulen > 63)
    return -1;
  llen = u_strToLower(l, 64, u, ulen, "vi", &e);
  if (U_FAILURE(e) || llen > 63)
    return -1;
  u_strToUTF8(low, cap, &blen, l, llen, &e);
  if (U_FAILURE(e) || blen >= cap)
    return -1;
  return blen;
}

/* 1 when the two words around the space run s[at..end) make one word. */
static int split_word_pair(const char *s, size_t a, size_t at, size_t end,
                           size_t b) {
  char pair[160], low[160];
  size_t n1 = at - a, n2 = b - end, i;
  int32_t n;
  if (n1 + n2 + 1 >= sizeof(pair))
    return 0;
  memcpy(pair, s + a, n1);
  pair[n1] = ' ';
  memcpy(pair + n1 + 1, s + end, n2);
  n = lower(pair, n1 + n2 + 1, low, sizeof(low));
  for (i = 0; n > 0 && i < sizeof(bal_words) / sizeof(bal_words[0]); i++)
    if (strlen(bal_words[i]) == (size_t)n && !memcmp(bal_words[i], low, n))
      return 1;
  return 0;
}

/* 1 when the word s[0..n) is in list (case-insensitive, Vietnamese). */
static int in_list(const char *s, size_t n, const char *const *list,
                   size_t count) {
  char low[96];
  int32_t m = n ? lower(s, n, low, sizeof(low)) : -1;
  size_t i;
  for (i = 0; m > 0 && i < count; i++)
    if (strlen(list[i]) == (size_t)m && !memcmp(list[i], low, m))
      return 1;
  return 0;
}

/* Cost of breaking at the space run s[at..end). */
static double bal_cost(const char *s, size_t len, size_t at, size_t end,
                       int quoted) {
  size_t a = at, b = end;
  double cost = BAL_NEUTRAL;
  while (a > 0 && s[a - 1] != ' ')
    a--;
  while (b < len && s[b] != ' ')
    b++;
  if (s[at - 1] == ',' || s[at - 1] == ';' || s[at - 1] == ':')
    cost = 0;
  else if (in_list(s + end, b - end, bal_lead,
                   sizeof(bal_lead) / sizeof(bal_lead[0])))
    cost = 0;
  if (in_list(s + a, at - a, bal_func, sizeof(bal_func) / sizeof(bal_func[0])))
    cost += BAL_AFTER_FUNCTION;
  if (quoted)
    cost += BAL_IN_QUOTES;
  if (split_word_pair(s, a, at, end, b))
    cost += BAL_IN_WORD;
  return cost;
}

size_t vb_text_balance(const char *s, size_t len, double width,
                       double (*measure)(void *, const char *, size_t),
                       void *user, size_t *breaks, size_t cap,
                       int *sensible) {
  size_t sp[BAL_MAX_SPACES + 2], spe[BAL_MAX_SPACES + 2];
  double cost[BAL_MAX_SPACES + 2];
  double at_sp[BAL_MAX_SPACES + 2], at_spe[BAL_MAX_SPACES + 2];
  /* best[k][j]: least cost of k lines ending at break j; from: the
   * previous break */
  double best[BAL_MAX_LINES + 1][BAL_MAX_SPACES + 2];
  int from[BAL_MAX_LINES + 1][BAL_MAX_SPACES + 2];
  size_t n = 0, i, j, k, lines = 0, got = 0;
  int quoted = 0, kk;
  double total, mean;
  if (measure(user, s, len) <= width || cap == 0)
    return 0;
  /* break candidates: every run of spaces not inside a protected token;
   * sp[0] and the last one stand for the two ends */
  sp[n] = spe[n] = 0;
  cost[n++] = 0;
  for (i = 0; i < len; i++) {
    const unsigned char *u = (const unsigned char *)s + i;
    if (u[0] == 0xE2 && i + 2 < len && u[1] == 0x80 &&
        (u[2] == 0x9C || u[2] == 0x9D))
      quoted = u[2] == 0x9C;
    if (s[i] != ' ')
      continue;
    for (j = i; j < len && s[j] == ' '; j++)
      ;
    if (i > 0 && j < len && !vb_text_glued_space(s, len, i, j)) {
      if (n > BAL_MAX_SPACES)
        return 0;
      sp[n] = i;
      spe[n] = j;
      cost[n++] = bal_cost(s, len, i, j, quoted);
    }
    i = j - 1;
  }
  sp[n] = spe[n] = len;
  cost[n++] = 0;
  /* widths add up character by character: measure each candidate's two
   * ends once from the start, and a line is a difference */
  for (i = 0; i < n; i++) {
    at_sp[i] = measure(user, s, sp[i]);
    at_spe[i] = measure(user, s, spe[i]);
  }
  /* the fewest lines that can hold it, as a greedy fill finds */
  for (i = 0; i + 1 < n; lines++) {
    for (j = i + 1; j + 1 < n &&
                    at_sp[j + 1] - at_spe[i] <= width;
         j++)
      ;
    if (j == i + 1 && at_sp[j] - at_spe[i] > width)
      return 0; /* a word wider than the line: the layout copes */
    i = j;
  }
  if (lines < 2 || lines > BAL_MAX_LINES || lines - 1 > cap)
    return 0;
  total = at_sp[n - 1];
  mean = total / (double)lines;
  for (k = 0; k <= lines; k++)
    for (j = 0; j < n; j++) {
      best[k][j] = -1;
      from[k][j] = -1;
    }
  best[0][0] = 0;
  for (k = 1; k <= lines; k++)
    for (j = 1; j < n; j++)
      for (i = 0; i < j; i++) {
        double w, d, c;
        if (best[k - 1][i] < 0)
          continue;
        w = at_sp[j] - at_spe[i];
        if (w > width)
          continue;
        d = w > mean ? w - mean : mean - w;
        c = best[k - 1][i] + d + d * d / 200.0 + cost[j];
        if (best[k][j] < 0 || c < best[k][j]) {
          best[k][j] = c;
          from[k][j] = (int)i;
        }
      }
  if (best[lines][n - 1] < 0)
    return 0;
  /* walk back: the breaks of the best `lines` lines, in order */
  got = lines - 1;
  if (sensible)
    *sensible = 1;
  for (kk = (int)lines, j = n - 1; kk > 1; kk--) {
    j = (size_t)from[kk][j];
    breaks[kk - 2] = sp[j];
    if (sensible && cost[j] > 0)
      *sensible = 0;
  }
  return got;
}
