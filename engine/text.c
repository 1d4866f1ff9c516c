/* text.c - Unicode on UTF-8 strings: validation, NFC, Vietnamese upper
 * case and line-break opportunities. The only file that uses ICU. */
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
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
  int32_t n, m, i, k = 0;
  vb_status st;
  if (U_FAILURE(e))
    return VB_EINVALID;
  u = to_u16(s, len, &n);
  if (!u)
    return VB_ENOMEM;
  /* NFD grows a Vietnamese string at most 3x in UTF-16 */
  v = vb_malloc(&vb_mem_default, ((size_t)n * 3 + 1) * sizeof(UChar));
  if (!v) {
    vb_mfree(&vb_mem_default, u);
    return VB_ENOMEM;
  }
  m = unorm2_normalize(nfd, u, n, v, n * 3 + 1, &e);
  if (U_FAILURE(e)) {
    vb_mfree(&vb_mem_default, u);
    vb_mfree(&vb_mem_default, v);
    return VB_EINVALID;
  }
  /* drop marks, spaces and dashes; đ is d; lower case */
  for (i = 0; i < m; i++) {
    UChar c = v[i];
    int8_t t = u_charType(c);
    if (t == U_NON_SPACING_MARK || u_isUWhiteSpace(c) || c == '-' ||
        (c >= 0x2010 && c <= 0x2015) || c == '.' || c == ',')
      continue;
    if (c == 0x110 || c == 0x111)
      c = 'd';
    v[k++] = (UChar)u_tolower(c);
  }
  st = put_u16(v, k, out);
  vb_mfree(&vb_mem_default, u);
  vb_mfree(&vb_mem_default, v);
  return st;
}
