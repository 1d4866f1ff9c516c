/* text.h - Unicode work on UTF-8 strings; ICU only in text.c. */
#ifndef VB_TEXT_H
#define VB_TEXT_H

#include <stddef.h>
#include "buf.h"

/* Returns 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int vb_utf8_valid(const char *s, size_t len);
/* Appends the NFC form of s to out. Returns VB_OK, VB_ENOMEM or VB_ELIMIT. */
vb_status vb_text_nfc(const char *s, size_t len, struct vb_buf *out);
/* Appends s upper-cased with the Vietnamese rules ("vi"), in NFC. */
vb_status vb_text_upper(const char *s, size_t len, struct vb_buf *out);
/* Appends s folded for comparing what clerks type: lower case, without
 * diacritics (đ as d), spaces, dashes, dots and commas ("VH - XH" and
 * "vh-xh" fold alike). */
vb_status vb_text_fold(const char *s, size_t len, struct vb_buf *out);
/* Line-break opportunities of ICU's line rules for "vi": byte offsets o,
 * 0 < o < len, before which a line may break. Writes at most cap offsets to
 * offs and returns how many there are in all (may exceed cap), or -1 when
 * ICU fails. Used only to split a word longer than a line. */
long vb_text_breaks(const char *s, size_t len, size_t *offs, size_t cap);

#endif
