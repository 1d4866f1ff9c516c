/* text.h - Unicode work on UTF-8 strings; ICU only in text.c. */
#ifndef VB_TEXT_H
#define VB_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

/* Decodes one UTF-8 sequence at s[*i] (input already validated); advances
 * *i. Returns U+FFFD for a malformed sequence. */
uint32_t vb_utf8_next(const char *s, size_t len, size_t *i);
/* Returns 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int vb_utf8_valid(const char *s, size_t len);
/* What vb_text_invisible() finds. */
enum vb_invisible {
  VB_INVISIBLE_NONE = 0,
  VB_INVISIBLE_BIDI,  /* U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
                         U+061C: they reorder text, and a PDF and a Word
                         file do not reorder it alike */
  VB_INVISIBLE_FORMAT /* other characters that draw nothing yet change what
                         a reader sees: format characters (general category
                         Cf: U+200B, U+00AD, U+FEFF, tags), U+2028/U+2029,
                         variation selectors, U+034F, Hangul fillers */
};
/* Classifies one code point: none of these belongs in an official
 * document. */
enum vb_invisible vb_text_invisible(uint32_t cp);
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

/* Appends the key two spellings of a name share when they differ only in
 * case, diacritics or punctuation: "Tên mô hình", "TEN_MO_HINH" and
 * "ten-mo-hinh" all give "ten-mo-hinh" (letters and digits case-folded
 * without marks, đ as d, every other run of characters one "-"). s must be
 * valid UTF-8. VB_OK, VB_ENOMEM, VB_ELIMIT or VB_EINVALID. */
vb_status vb_text_fold(const char *s, size_t len, struct vb_buf *out);
/* Protected tokens ("25-NQ/TW", "Số: 05/KH-UBND", "2016-2020",
 * "(15/10/1930 - 15/10/2020)") are never broken across lines, by vanban or
 * by Word: both renderers ask these two.
 *
 * 1 when the '-' at s[i] joins two letters or digits ("08-NQ/HU",
 * "2017-2020", "KH-UBND"): the DOCX writes it as a non-breaking hyphen. */
int vb_text_hard_hyphen(const char *s, size_t len, size_t i);
/* 1 when the run of spaces s[at..end) sits inside a protected token: a
 * range of years or dates however the dash is spaced ("2017- 2020",
 * "2016 - 2020", "(15/10/1930 - 15/10/2020)"), a hyphen left hanging
 * ("245- HD/BDVTU"), or "Số:" and its number. No line breaks there: the
 * layout keeps the words together, the DOCX writes no-break spaces. */
int vb_text_glued_space(const char *s, size_t len, size_t at, size_t end);

/* A balanced break of a centred line too long for `width` (trích yếu,
 * the names in the header): the fewest lines a greedy fill needs, of
 * lengths as even as can be, breaking by preference after a comma and
 * before "và", "về", "của" (or a unit word of a name: "TỈNH", "HUYỆN"),
 * never right after such a word, inside quotation marks or inside a
 * protected token, as a careful clerk types it. `measure` gives the width
 * of s[0..n) in the units of `width`, the sum of its characters' widths. Writes the byte offsets of the
 * spaces to break at (the run of spaces there is dropped) to breaks and
 * returns how many; 0 when the text fits, or is too long or too short to
 * balance (more than 4 lines, a word wider than the line). *sensible (if
 * not NULL) tells whether every break fell where the sense breaks (after
 * a comma, before a preferred word). */
size_t vb_text_balance(const char *s, size_t len, double width,
                       double (*measure)(void *, const char *, size_t),
                       void *user, size_t *breaks, size_t cap,
                       int *sensible);

#endif
