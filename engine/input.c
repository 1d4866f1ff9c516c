/* input.c - reads the input XML with libxml2 (the only file that does) into
 * the input model, with line:col positions, NFC text and the checks that
 * apply to any text: UTF-8, control characters, legacy encodings. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "input.h"
#include "text.h"

struct reader {
  vb_ctx *ctx;
  struct vb_arena *arena;
  const char *name;
  const char *data;
  size_t len;
  size_t *lines; /* offset of the start of each line; lines[0] = line 1 */
  size_t nlines;
  size_t nelem;
  size_t cursor; /* where the search for the next bad character starts */
  int oom;       /* libxml2 ran out of memory while parsing */
  size_t elem_next; /* where the next element's start tag is looked for */
  size_t col_off, col_line_start; /* col_of()'s last answer */
  unsigned col_at;
  int mixed;     /* keep text between elements as "#text" children */
  /* libxml2's first error: later ones follow from it (an unescaped "<"
   * ends as "Premature end of data" at the last line) */
  struct {
    int code, line, col, int1;
    char *str1, *str2; /* in the arena; NULL when none */
  } first;
  vb_status st;
};

static void nothing(void *user, const char *msg, ...) { (void)user; (void)msg; }
static void quiet(void *user, xmlErrorPtr e) { (void)user; (void)e; }

/* While a document is read (user: its reader's oom flag). */
static void on_tree_error(void *user, xmlErrorPtr e) {
  int *oom = user;
  if (oom && e && e->code == XML_ERR_NO_MEMORY)
    *oom = 1;
}

static void on_generic_error(void *user, const char *msg, ...) {
  int *oom = user;
  if (oom && msg && (strstr(msg, "out of memory") ||
                     strstr(msg, "Out of memory")))
    *oom = 1;
}

/* The parser's own error handler: an allocation failure may be followed
 * by other errors ("Extra content at the end of the document"), and only
 * the last one is kept, so the failure is noted when it happens. */
static void on_parse_error(void *user, xmlErrorPtr e) {
  xmlParserCtxtPtr pc = user;
  struct reader *r = pc ? pc->_private : NULL;
  if (r && e && e->code == XML_ERR_NO_MEMORY)
    r->oom = 1;
  if (r && e && e->level >= XML_ERR_ERROR && !r->first.code &&
      e->code != XML_ERR_NO_MEMORY) {
    r->first.code = e->code;
    r->first.line = e->line;
    r->first.col = e->int2;
    r->first.int1 = e->int1;
    /* a name of up to 50,000 bytes: the diagnostic cuts it */
    r->first.str1 = e->str1 ? vb_arena_strdup(r->arena, e->str1) : NULL;
    r->first.str2 = e->str2 ? vb_arena_strdup(r->arena, e->str2) : NULL;
  }
}

/* libxml2's SAX2 builder reports its allocation failures straight to
 * sax->error ("%s: out of memory"), then stops the parse as if the input
 * had ended; the parse may then look well formed, or end in a misleading
 * "Extra content at the end of the document". Every other error reaches
 * on_parse_error() instead. */
static void on_sax_error(void *user, const char *msg, ...) {
  xmlParserCtxtPtr pc = user;
  struct reader *r = pc ? pc->_private : NULL;
  if (r && msg && strstr(msg, "out of memory"))
    r->oom = 1;
}

/* Line map (jq locfile): offsets of line starts, for columns. */
static int map_lines(struct reader *r) {
  size_t i, n = 1;
  for (i = 0; i < r->len; i++)
    if (r->data[i] == '\n')
      n++;
  r->lines = vb_arena_alloc(r->arena, n * sizeof(size_t));
  if (!r->lines)
    return 0;
  r->nlines = 0;
  r->lines[r->nlines++] = 0;
  for (i = 0; i < r->len; i++)
    if (r->data[i] == '\n')
      r->lines[r->nlines++] = i + 1;
  return 1;
}

static unsigned line_of(const struct reader *r, size_t off) {
  size_t lo = 0, hi = r->nlines, mid;
  while (hi - lo > 1) {
    mid = (lo + hi) / 2;
    if (r->lines[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return (unsigned)lo + 1;
}

/* Column (in characters) of byte offset `off`. Queries mostly move
 * forward: the last answer is kept, so that many elements on one long
 * line cost one pass over it, not one each. */
static unsigned col_of(const struct reader *r, size_t off) {
  struct reader *m = (struct reader *)r; /* the cache only */
  size_t line_start = r->lines[line_of(r, off) - 1], i;
  unsigned col = 1;
  if (m->col_off >= line_start && m->col_off <= off && m->col_line_start ==
      line_start && m->col_at) {
    i = m->col_off;
    col = m->col_at;
  } else {
    i = line_start;
  }
  for (; i < off && i < r->len; i++)
    if (((unsigned char)r->data[i] & 0xC0) != 0x80)
      col++;
  m->col_off = off;
  m->col_at = col;
  m->col_line_start = line_start;
  return col;
}

/* Moves past a comment, CDATA section or processing instruction at d[i],
 * which may hold text that looks like a tag; returns the new offset. */
static size_t skip_markup(const struct reader *r, size_t i) {
  const char *d = r->data, *end;
  const char *close = NULL;
  if (r->len - i >= 4 && !memcmp(d + i, "<!--", 4))
    close = "-->";
  else if (r->len - i >= 9 && !memcmp(d + i, "<![CDATA[", 9))
    close = "]]>";
  else if (r->len - i >= 2 && !memcmp(d + i, "<?", 2))
    close = "?>";
  if (!close)
    return i;
  for (end = d + i + 2; end + strlen(close) <= d + r->len; end++)
    if (!memcmp(end, close, strlen(close)))
      return (size_t)(end - d) + strlen(close);
  return r->len;
}

/* libxml2 gives element lines only (the line where the start tag ends):
 * the element's "<name" is the first one after the previous element's,
 * outside comments and CDATA, not past the end of that line. */
static unsigned elem_col(struct reader *r, unsigned line, const char *name,
                         unsigned *fixed_line, size_t *offset) {
  size_t nl = strlen(name), i, end;
  *fixed_line = line;
  *offset = 0;
  if (!line || line > r->nlines)
    return 0;
  end = line < r->nlines ? r->lines[line] : r->len;
  for (i = r->elem_next; i + nl < end; i++) {
    size_t k;
    if (r->data[i] != '<')
      continue;
    k = skip_markup(r, i);
    if (k != i) {
      i = k - 1;
      continue;
    }
    if (!memcmp(r->data + i + 1, name, nl) &&
        r->data[i + 1 + nl] && strchr(" \t\r\n/>", r->data[i + 1 + nl])) {
      r->elem_next = i + 1;
      *offset = i;
      *fixed_line = line_of(r, i);
      return col_of(r, i);
    }
  }
  return 0;
}

/* Where attribute `name` of a start tag stands: the first "name=" from
 * byte *from (spaces allowed before "="), at a word start, outside quoted
 * values. Attributes come in document order: *from moves past the one
 * found, so that a tag's attributes are found in one pass. */
static void attr_pos(const struct reader *r, size_t *from, const char *name,
                     unsigned *line, unsigned *col) {
  size_t nl = strlen(name), i, j;
  for (i = *from; i + nl < r->len && r->data[i] != '>'; i++) {
    if (r->data[i] == '"' || r->data[i] == '\'') {
      char q = r->data[i];
      for (i++; i < r->len && r->data[i] != q; i++)
        ;
      continue;
    }
    if (!i || !r->data[i - 1] || !strchr(" \t\r\n", r->data[i - 1]) ||
        memcmp(r->data + i, name, nl))
      continue;
    for (j = i + nl; j < r->len && r->data[j] && strchr(" \t\r\n", r->data[j]);
         j++)
      ;
    if (j < r->len && r->data[j] == '=') {
      *line = line_of(r, i);
      *col = col_of(r, i);
      *from = j;
      return;
    }
  }
}

/* "<!DOCTYPE" can stand only in the prolog: refuse it before parsing, so
 * that no entity is ever declared, let alone expanded or fetched. */
static int find_doctype(const struct reader *r, size_t *at) {
  size_t i = 0;
  const char *d = r->data;
  while (i < r->len) {
    if (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n') {
      i++;
    } else if (r->len - i >= 4 && !memcmp(d + i, "<!--", 4)) {
      const char *e = NULL;
      size_t j;
      for (j = i + 4; j + 3 <= r->len; j++)
        if (!memcmp(d + j, "-->", 3)) {
          e = d + j;
          break;
        }
      if (!e)
        return 0;
      i = (size_t)(e - d) + 3;
    } else if (r->len - i >= 2 && !memcmp(d + i, "<?", 2)) {
      size_t j;
      for (j = i + 2; j + 2 <= r->len && memcmp(d + j, "?>", 2); j++)
        ;
      i = j + 2;
    } else if (r->len - i >= 3 && !memcmp(d + i, "\xEF\xBB\xBF", 3) &&
               i == 0) {
      i = 3;
    } else if (r->len - i >= 9 && !memcmp(d + i, "<!DOCTYPE", 9)) {
      *at = i;
      return 1;
    } else {
      return 0;
    }
  }
  return 0;
}

/* Characters a Vietnamese text never holds but TCVN3 or VNI text read as
 * Latin-1 / Windows-1252 is full of (e.g. "Céng hßa", "Coäng hoøa"). */
static int legacy_char(uint32_t c) {
  switch (c) {
  case 0xA1: case 0xA2: case 0xA3: case 0xA4: case 0xA5: case 0xA6:
  case 0xA7: case 0xA8: case 0xA9: case 0xAB: case 0xAC: case 0xAE:
  case 0xB5: case 0xB6: case 0xB7: case 0xB8: case 0xB9: case 0xBB:
  case 0xBC: case 0xBD: case 0xBE: case 0xC6: case 0xC7: case 0xCB:
  case 0xCF: case 0xD1: case 0xD6: case 0xDF: case 0xE4: case 0xE5:
  case 0xEB: case 0xEF: case 0xF1: case 0xF6: case 0xF8: case 0xFC:
  case 0xFF:
    return 1;
  default:
    return 0;
  }
}

/* Returns the first word holding two legacy characters, or a word of
 * Vietnamese letters with one of them, as [*ws, *we); 0 when none. */
int vb_find_legacy(const char *s, size_t len, size_t *ws, size_t *we) {
  size_t i = 0, start = 0;
  int hits = 0;
  while (i <= len) {
    size_t at = i;
    uint32_t c = i < len ? vb_utf8_next(s, len, &i) : ' ';
    if (i == at)
      i++;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (hits >= 1 && at - start >= 3) {
        *ws = start;
        *we = at;
        return 1;
      }
      hits = 0;
      start = i;
      if (at >= len)
        break;
    } else if (legacy_char(c)) {
      hits++;
    }
  }
  return 0;
}

/* The value of a character reference "&#x202E;" / "&#8238;" at d[i], or
 * -1; *end is set past the ";". */
static long char_ref(const char *d, size_t len, size_t i, size_t *end) {
  long v = 0;
  int hex, n = 0;
  if (i + 3 >= len || d[i] != '&' || d[i + 1] != '#')
    return -1;
  i += 2;
  hex = d[i] == 'x';
  if (hex)
    i++;
  for (; i < len && n < 8; i++, n++) {
    char ch = d[i];
    int k = ch >= '0' && ch <= '9'               ? ch - '0'
            : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
            : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                            : -1;
    if (k < 0)
      break;
    v = v * (hex ? 16 : 10) + k;
  }
  if (!n || i >= len || d[i] != ';')
    return -1;
  *end = i + 1;
  return v;
}

/* Finds code point `cp` in the source, written as itself or as a
 * character reference, from offset `from`; returns its offset or
 * (size_t)-1. Text is visited in document order, so the next occurrence
 * after the previous one found is this one. */
static size_t find_char(const struct reader *r, uint32_t cp, size_t from) {
  size_t i = from, end;
  while (i < r->len) {
    size_t at = i;
    if (r->data[i] == '&' && char_ref(r->data, r->len, i, &end) == (long)cp)
      return at;
    if (vb_utf8_next(r->data, r->len, &i) == cp)
      return at;
    if (i == at)
      i++;
  }
  return (size_t)-1;
}

/* X007, X011, X012: a character that does not belong in a document, in
 * raw text `s` (an attribute value or a text node) of element `e`.
 * Reported once per element, at the character's own line and column.
 * Returns 1 when one was found. */
static int bad_chars(struct reader *r, const struct vb_elem *e,
                     size_t elem_at, const char *s, size_t len) {
  size_t i = 0, at;
  uint32_t c = 0;
  vb_code code = VB_C_NONE;
  char hex[16];
  unsigned line = e->line, col = 0;
  while (i < len && code == VB_C_NONE) {
    size_t k = i;
    c = vb_utf8_next(s, len, &i);
    if (i == k)
      i++;
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F ||
        (c >= 0x80 && c < 0xA0))
      code = VB_C_CONTROL_CHAR;
    else if (c >= 0x80)
      switch (vb_text_invisible(c)) {
      case VB_INVISIBLE_BIDI: code = VB_C_BIDI; break;
      case VB_INVISIBLE_FORMAT: code = VB_C_INVISIBLE; break;
      default: break;
      }
  }
  if (code == VB_C_NONE)
    return 0;
  at = elem_at;
  if (at < r->cursor)
    at = r->cursor;
  at = find_char(r, c, at);
  if (at != (size_t)-1) {
    line = line_of(r, at);
    col = col_of(r, at);
    r->cursor = at + 1;
  }
  snprintf(hex, sizeof(hex), "U+%04X", (unsigned)c);
  if (!vb_diag_add(r->ctx, code, r->name, line, col, hex, e->name))
    r->st = VB_ENOMEM;
  return 1;
}

/* X008: text typed in a legacy encoding. */
static void check_text(struct reader *r, struct vb_elem *e) {
  size_t ws, we;
  if (vb_find_legacy(e->text, e->len, &ws, &we)) {
    struct vb_buf word;
    /* the word is quoted whole: the message cuts long arguments itself */
    vb_buf_init(&word, &r->ctx->mem, VB_MAX_INPUT_BYTES);
    vb_buf_put(&word, e->text + ws, we - ws);
    if (vb_buf_err(&word) ||
        !vb_diag_add(r->ctx, VB_C_LEGACY_ENC, r->name,
                     e->text_line ? e->text_line : e->line, 0, e->name,
                     word.ptr))
      r->st = VB_ENOMEM;
    vb_buf_release(&word);
  }
}

static const char *nfc_dup(struct reader *r, const char *s, size_t len,
                           size_t *outlen) {
  struct vb_buf b;
  const char *p;
  vb_status st;
  vb_buf_init(&b, &r->ctx->mem, (size_t)VB_MAX_INPUT_BYTES * 4);
  st = vb_text_nfc(s, len, &b);
  if (st != VB_OK) {
    vb_buf_release(&b);
    r->st = st == VB_ELIMIT ? VB_ELIMIT : VB_ENOMEM;
    return NULL;
  }
  p = vb_arena_strndup(r->arena, b.ptr, b.len);
  *outlen = b.len;
  vb_buf_release(&b);
  if (!p)
    r->st = VB_ENOMEM;
  return p;
}

/* Mixed content (templates): a text node as a child element "#text", in
 * document order between the elements. */
static struct vb_elem *text_child(struct reader *r, xmlNodePtr c,
                                  struct vb_elem *parent) {
  struct vb_elem *k;
  const char *s = (const char *)c->content;
  /* libxml2 leaves a content NULL when its allocation failed */
  if (!s) {
    r->st = VB_ENOMEM;
    return NULL;
  }
  if (++r->nelem > VB_MAX_ELEMENTS) {
    char lim[32];
    snprintf(lim, sizeof(lim), "%u", VB_MAX_ELEMENTS);
    r->st = vb_diag_add(r->ctx, VB_C_LIMIT, r->name,
                        (unsigned)xmlGetLineNo(c), 0,
                        vb_tr(r->ctx, "số phần tử", "number of elements"), lim)
                ? VB_ELIMIT
                : VB_ENOMEM;
    return NULL;
  }
  k = vb_arena_alloc(r->arena, sizeof(*k));
  if (!k || !(k->name = "#text") ||
      !(k->text = nfc_dup(r, s, strlen(s), &k->len))) {
    if (r->st == VB_OK)
      r->st = VB_ENOMEM;
    return NULL;
  }
  k->line = k->text_line = (unsigned)xmlGetLineNo(c);
  k->parent = parent;
  if (parent->last)
    parent->last->next = k;
  else
    parent->first = k;
  parent->last = k;
  bad_chars(r, k, 0, s, strlen(s));
  check_text(r, k);
  return r->st == VB_OK ? k : NULL;
}

static struct vb_elem *copy(struct reader *r, xmlNodePtr n, int depth) {
  struct vb_elem *e;
  struct vb_buf text;
  xmlNodePtr c;
  xmlAttrPtr a;
  struct vb_attr **tail;
  unsigned fixed;
  int reported = 0; /* one bad character reported per element */
  size_t attr_from;  /* where the search for the next attribute starts */
  size_t elem_at;    /* byte offset of the start tag (0: not found) */
  if (depth > VB_MAX_DEPTH || ++r->nelem > VB_MAX_ELEMENTS) {
    char lim[32];
    snprintf(lim, sizeof(lim), "%u", depth > VB_MAX_DEPTH ? VB_MAX_DEPTH
                                                          : VB_MAX_ELEMENTS);
    r->st = vb_diag_add(r->ctx, VB_C_LIMIT, r->name,
                        (unsigned)xmlGetLineNo(n), 0,
                        depth > VB_MAX_DEPTH
                            ? vb_tr(r->ctx, "độ sâu lồng nhau của phần tử",
                                    "element nesting depth")
                            : vb_tr(r->ctx, "số phần tử",
                                    "number of elements"),
                        lim)
                ? VB_ELIMIT
                : VB_ENOMEM;
    return NULL;
  }
  e = vb_arena_alloc(r->arena, sizeof(*e));
  /* libxml2 leaves a name or a content NULL when its allocation failed */
  if (!e || !n->name ||
      !(e->name = vb_arena_strdup(r->arena, (const char *)n->name))) {
    r->st = VB_ENOMEM;
    return NULL;
  }
  e->line = (unsigned)xmlGetLineNo(n);
  e->col = elem_col(r, e->line, e->name, &fixed, &elem_at);
  e->line = fixed;
  tail = &e->attrs;
  attr_from = elem_at;
  for (a = n->properties; a; a = a->next) {
    struct vb_attr *at = vb_arena_alloc(r->arena, sizeof(*at));
    /* an empty value has no children, and then no string either */
    xmlChar *v = a->children ? xmlNodeListGetString(n->doc, a->children, 1)
                             : NULL;
    const char *vs = v ? (const char *)v : "";
    size_t vl;
    if (!at || !a->name || (a->children && !v)) {
      xmlFree(v);
      r->st = VB_ENOMEM;
      return NULL;
    }
    /* attribute values reach the output too (<nhom ten="...">) */
    if (!reported)
      reported = bad_chars(r, e, elem_at, vs, strlen(vs));
    at->name = vb_arena_strdup(r->arena, (const char *)a->name);
    at->value = nfc_dup(r, vs, strlen(vs), &vl);
    xmlFree(v);
    if (!at->name || !at->value) {
      r->st = VB_ENOMEM;
      return NULL;
    }
    at->line = e->line;
    at->col = e->col;
    if (e->col)
      attr_pos(r, &attr_from, at->name, &at->line, &at->col);
    *tail = at;
    tail = &at->next;
  }
  vb_buf_init(&text, &r->ctx->mem, VB_MAX_INPUT_BYTES);
  for (c = n->children; c; c = c->next) {
    if (r->mixed &&
        (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)) {
      struct vb_elem *k = text_child(r, c, e);
      if (!k) {
        vb_buf_release(&text);
        return NULL;
      }
    } else if (c->type == XML_TEXT_NODE ||
               c->type == XML_CDATA_SECTION_NODE) {
      if (!c->content) {
        vb_buf_release(&text);
        r->st = VB_ENOMEM;
        return NULL;
      }
      if (!text.len)
        e->text_line = (unsigned)xmlGetLineNo(c);
      if (!reported)
        reported = bad_chars(r, e, elem_at, (const char *)c->content,
                             strlen((const char *)c->content));
      vb_buf_puts(&text, (const char *)c->content);
    } else if (c->type == XML_ELEMENT_NODE) {
      struct vb_elem *k = copy(r, c, depth + 1);
      if (!k) {
        vb_buf_release(&text);
        return NULL;
      }
      k->parent = e;
      if (e->last)
        e->last->next = k;
      else
        e->first = k;
      e->last = k;
    } else if (c->type == XML_ENTITY_REF_NODE) {
      if (!vb_diag_add(r->ctx, VB_C_XML_DTD, r->name,
                       (unsigned)xmlGetLineNo(c), 0,
                       c->name ? (const char *)c->name : "?", NULL))
        r->st = VB_ENOMEM;
    }
  }
  if (vb_buf_err(&text)) {
    r->st = vb_buf_err(&text);
    vb_buf_release(&text);
    return NULL;
  }
  e->text = nfc_dup(r, text.ptr, text.len, &e->len);
  vb_buf_release(&text);
  if (!e->text)
    return NULL;
  /* CDATA starting on the tag's own line: its first text line is the
   * line of the start tag */
  if (e->text_line && e->text_line < e->line)
    e->text_line = e->line;
  check_text(r, e);
  return r->st == VB_OK ? e : NULL;
}

/* "<b> ở dòng 25": an open tag and the line it was opened on. */
static const char *open_tag(struct reader *r, const char *name, int line) {
  struct vb_buf b;
  char *out;
  vb_buf_init(&b, &r->ctx->mem, VB_MAX_INPUT_BYTES);
  vb_buf_printf(&b, "<%s>", name ? name : "?");
  if (line > 0)
    vb_buf_printf(&b, vb_tr(r->ctx, " (dòng %d)", " (line %d)"),
                  line);
  out = vb_buf_err(&b) ? NULL : vb_arena_strdup(r->arena, b.ptr);
  vb_buf_release(&b);
  return out;
}

/* 1 when the nearest "<" or "&" before line:col is a "&": libxml2 says
 * "no name" for both "< " and "& ". */
static int after_amp(const struct reader *r, int line, int col) {
  size_t at, start;
  int c;
  if (line < 1 || (size_t)line > r->nlines)
    return 0;
  start = r->lines[line - 1];
  /* col counts characters: to the byte offset */
  for (at = start, c = 1; c < col && at < r->len && r->data[at] != '\n';
       c++) {
    at++;
    while (at < r->len && ((unsigned char)r->data[at] & 0xC0) == 0x80)
      at++;
  }
  while (at > start) {
    at--;
    if (r->data[at] == '&')
      return 1;
    if (r->data[at] == '<')
      return 0;
  }
  return 0;
}

/* libxml2's first error (its own message in English) as one of vanban's
 * diagnostics: the position stays libxml2's, the words are vanban's. */
static void report_xml_error(struct reader *r, const xmlError *last) {
  vb_code code = VB_C_XML_MALFORMED;
  const char *a0 = NULL, *a1 = NULL;
  char num[48];
  int ecode, line, col;
  /* libxml2 records an error for every malformed input; none means it
   * could not even allocate that */
  if (r->oom || ((!last || last->code == XML_ERR_OK ||
                  last->code == XML_ERR_NO_MEMORY) && !r->first.code)) {
    /* not the input's fault: said as such (VB_ENOMEM), not as X001 */
    r->st = VB_ENOMEM;
    return;
  }
  if (r->first.code) {
    ecode = r->first.code;
    line = r->first.line;
    col = r->first.col;
  } else {
    ecode = last->code;
    line = last->line;
    col = last->int2;
    r->first.str1 = last->str1 ? vb_arena_strdup(r->arena, last->str1) : NULL;
    r->first.int1 = last->int1;
  }
  switch (ecode) {
  case XML_ERR_TAG_NAME_MISMATCH:
    code = VB_C_XML_MISMATCH;
    a0 = r->first.str2 ? r->first.str2 : "?";
    if (!(a1 = open_tag(r, r->first.str1, r->first.int1)))
      goto oom;
    break;
  case XML_ERR_TAG_NOT_FINISHED:
    code = VB_C_XML_UNCLOSED;
    if (!(a0 = open_tag(r, r->first.str1, r->first.int1)))
      goto oom;
    break;
  case XML_ERR_NAME_REQUIRED:
    code = after_amp(r, line, col) ? VB_C_XML_AMP : VB_C_XML_NAME;
    break;
  case XML_ERR_ENTITYREF_SEMICOL_MISSING:
    code = VB_C_XML_AMP;
    break;
  case XML_ERR_GT_REQUIRED:
  case XML_ERR_LTSLASH_REQUIRED:
  case XML_ERR_EQUAL_REQUIRED:
  case XML_ERR_SPACE_REQUIRED:
  case XML_ERR_LT_IN_ATTRIBUTE:
  case XML_ERR_ATTRIBUTE_NOT_STARTED:
  case XML_ERR_ATTRIBUTE_NOT_FINISHED:
  case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
  case XML_ERR_ATTRIBUTE_REDEFINED:
  case XML_ERR_STRING_NOT_STARTED:
  case XML_ERR_STRING_NOT_CLOSED:
  case XML_ERR_VALUE_REQUIRED:
    code = VB_C_XML_ATTR;
    break;
  case XML_ERR_DOCUMENT_END:
    code = VB_C_XML_EXTRA;
    a0 = "van-ban";
    break;
  case XML_ERR_DOCUMENT_EMPTY:
    code = VB_C_XML_EMPTY;
    break;
  case XML_ERR_INVALID_CHAR:
  case XML_ERR_INVALID_ENCODING:
  case XML_ERR_UNKNOWN_ENCODING:
  case XML_ERR_UNSUPPORTED_ENCODING:
    code = VB_C_UTF8;
    a0 = vb_tr(r->ctx, "có byte hay ký tự không hợp lệ ở vị trí này",
               "an invalid byte or character at this position");
    break;
  case XML_ERR_UNDECLARED_ENTITY:
  case XML_WAR_UNDECLARED_ENTITY:
  case XML_ERR_ENTITY_LOOP:
    code = VB_C_XML_DTD;
    a0 = vb_tr(r->ctx, "thực thể không khai báo", "an undeclared entity");
    break;
  default:
    /* the rarer errors: their number, in the chosen language */
    snprintf(num, sizeof(num), vb_tr(r->ctx, "lỗi số %d của libxml2",
                                     "libxml2 error %d"), ecode);
    a0 = num;
    break;
  }
  if (!vb_diag_add(r->ctx, code, r->name, line > 0 ? (unsigned)line : 0,
                   col > 0 ? (unsigned)col : 0, a0, a1))
    goto oom;
  r->st = VB_EINVALID;
  return;
oom:
  r->st = VB_ENOMEM;
}

/* 1 when the n bytes at d hold the string s. */
static int holds(const char *d, size_t n, const char *s) {
  size_t k = strlen(s), i;
  for (i = 0; i + k <= n; i++)
    if (d[i] == s[0] && !memcmp(d + i, s, k))
      return 1;
  return 0;
}

/* X030-X034, X042: an input that is plainly not XML (a Word file, a PDF,
 * a ZIP, a workbook, plain text) is said to be what it is; 0 when it may
 * be XML. The ZIP's central directory names its parts in plain bytes. */
static vb_code sniff(const struct reader *r) {
  const unsigned char *d = (const unsigned char *)r->data;
  size_t n = r->len;
  if (n >= 4 && d[0] == 'P' && d[1] == 'K' &&
      ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6))) {
    if (holds(r->data, n, "word/document.xml"))
      return VB_C_NOT_XML_DOCX;
    if (holds(r->data, n, "xl/workbook.xml"))
      return VB_C_NOT_XML_XLSX;
    return VB_C_NOT_XML_ZIP;
  }
  if (n >= 5 && !memcmp(d, "%PDF-", 5))
    return VB_C_NOT_XML_PDF;
  if (n >= 8 && !memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
    return VB_C_NOT_XML_OLE;
  return VB_C_NONE;
}

/* X034, X041: plain text (no "<" first, and its start is UTF-8 text
 * without control characters: random bytes are not text) or nothing at
 * all. Asked after the NUL bytes are looked for. */
static vb_code sniff_text(const struct reader *r) {
  const unsigned char *d = (const unsigned char *)r->data;
  size_t n = r->len, i = 0, k, m;
  if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
    i = 3;
  while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
                   d[i] == '\n'))
    i++;
  if (i == n)
    return VB_C_XML_EMPTY;
  if (d[i] == '<' || d[i] == 0xFE || d[i] == 0xFF)
    return VB_C_NONE;
  for (k = i; k < n && k < i + 512; k++)
    if (d[k] < 0x20 && d[k] != '\t' && d[k] != '\r' && d[k] != '\n')
      return VB_C_NONE;
  /* valid UTF-8 up to the window's end, cut at a character boundary */
  m = n - i < 512 ? n - i : 512;
  while (m > 0 && i + m < n && (d[i + m] & 0xC0) == 0x80)
    m--;
  if (!vb_utf8_valid(r->data + i, m))
    return VB_C_NONE;
  return VB_C_NOT_XML_TEXT;
}

/* X013: XML has no U+0000, but libxml2 takes one for the end of the input
 * and accepts unread whatever follows the root element. Looked for in
 * code units of the encoding the file starts with (UTF-8, UTF-16 or
 * UTF-32, by its byte order mark or its first "<"). */
static size_t find_nul(const struct reader *r, size_t *at) {
  const unsigned char *d = (const unsigned char *)r->data;
  size_t unit = 1, i, start = 0, k;
  if (r->len >= 4 && ((!d[0] && !d[1] && d[2] == 0xFE && d[3] == 0xFF) ||
                      (d[0] == 0xFF && d[1] == 0xFE && !d[2] && !d[3]) ||
                      (!d[0] && !d[1] && !d[2] && d[3] == '<') ||
                      (d[0] == '<' && !d[1] && !d[2] && !d[3])))
    unit = 4;
  else if (r->len >= 2 && ((d[0] == 0xFE && d[1] == 0xFF) ||
                           (d[0] == 0xFF && d[1] == 0xFE) ||
                           (!d[0] && d[1] == '<') || (d[0] == '<' && !d[1])))
    unit = 2;
  if (unit > 1 && (d[0] == 0xFE || d[0] == 0xFF || d[2] == 0xFE))
    start = unit; /* the byte order mark */
  for (i = start; i + unit <= r->len; i += unit) {
    for (k = 0; k < unit && !d[i + k]; k++)
      ;
    if (k == unit) {
      *at = i;
      return unit;
    }
  }
  return 0;
}

static vb_status read_xml(vb_ctx *ctx, struct vb_arena *arena,
                          const char *name, const char *data, size_t len,
                          struct vb_elem **root, int mixed) {
  struct reader r;
  xmlParserCtxtPtr pc = NULL;
  xmlDocPtr doc = NULL;
  xmlNodePtr top;
  size_t at, unit;
  char lim[32];
  vb_code what;
  memset(&r, 0, sizeof(r));
  r.ctx = ctx;
  r.arena = arena;
  r.name = name;
  r.data = data;
  r.len = len;
  r.mixed = mixed;
  r.st = VB_OK;
  *root = NULL;
  if (len > VB_MAX_INPUT_BYTES) {
    snprintf(lim, sizeof(lim), "%u MiB", VB_MAX_INPUT_BYTES >> 20);
    return vb_diag_add(ctx, VB_C_LIMIT, name, 0, 0,
                       vb_tr(ctx, "kích thước tệp", "file size"), lim)
               ? VB_ELIMIT
               : VB_ENOMEM;
  }
  if (!map_lines(&r))
    return VB_ENOMEM;
  if ((what = sniff(&r)) != VB_C_NONE)
    return vb_diag_add(ctx, what, name, 0, 0, name, NULL) ? VB_EINVALID
                                                           : VB_ENOMEM;
  if ((unit = find_nul(&r, &at)) == 0 &&
      (what = sniff_text(&r)) != VB_C_NONE)
    return vb_diag_add(ctx, what, name, 0, 0, name, NULL) ? VB_EINVALID
                                                           : VB_ENOMEM;
  if (unit != 0) {
    /* columns are counted in UTF-8; lines hold in UTF-16 and UTF-32 */
    if (!vb_diag_add(ctx, VB_C_NUL, name, line_of(&r, at),
                     unit == 1 ? col_of(&r, at) : 0, NULL, NULL))
      return VB_ENOMEM;
    return VB_EINVALID;
  }
  if (find_doctype(&r, &at)) {
    return vb_diag_add(ctx, VB_C_XML_DTD, name, line_of(&r, at),
                       col_of(&r, at), "<!DOCTYPE>", NULL)
               ? VB_EINVALID
               : VB_ENOMEM;
  }
  /* the process-wide (per-thread) handlers must not print; while this
   * document is read they note allocation failures of libxml2's tree
   * functions, which report to them, not to the parser (an attribute
   * dropped without a word) */
  xmlSetGenericErrorFunc(&r.oom, on_generic_error);
  xmlSetStructuredErrorFunc(&r.oom, on_tree_error);
  pc = xmlNewParserCtxt();
  if (!pc || !pc->sax) {
    r.st = VB_ENOMEM;
    goto out;
  }
  pc->_private = &r;
  pc->sax->serror = on_parse_error;
  pc->sax->error = on_sax_error;
  pc->sax->warning = nothing;
  /* NONET: no network; no NOENT/DTDLOAD/XINCLUDE: nothing is fetched or
   * expanded; BIG_LINES: line numbers past 65535. Not NOERROR/NOWARNING:
   * they would remove the handlers above (which print nothing). */
  doc = xmlCtxtReadMemory(pc, data, (int)len, name, NULL,
                          XML_PARSE_NONET | XML_PARSE_BIG_LINES);
  if (!doc || !pc->wellFormed || r.oom) {
    report_xml_error(&r, xmlCtxtGetLastError(pc));
    goto out;
  }
  if (doc->intSubset || doc->extSubset) {
    r.st = vb_diag_add(ctx, VB_C_XML_DTD, name, 1, 0, "<!DOCTYPE>", NULL)
               ? VB_EINVALID
               : VB_ENOMEM;
    goto out;
  }
  top = xmlDocGetRootElement(doc);
  if (!top) {
    r.st = vb_diag_add(ctx, VB_C_XML_MALFORMED, name, 1, 0,
                       vb_tr(ctx, "không có phần tử gốc", "no root element"),
                       NULL)
               ? VB_EINVALID
               : VB_ENOMEM;
    goto out;
  }
  if (!top->name) {
    r.st = VB_ENOMEM;
    goto out;
  }
  *root = copy(&r, top, 1);
  if ((!*root && r.st == VB_OK) || r.oom)
    r.st = VB_ENOMEM;
out:
  if (doc)
    xmlFreeDoc(doc);
  xmlFreeParserCtxt(pc);
  xmlSetGenericErrorFunc(NULL, nothing);
  xmlSetStructuredErrorFunc(NULL, quiet);
  if (r.st != VB_OK)
    *root = NULL; /* its memory is in the arena, freed with it */
  return r.st;
}

vb_status vb_input_read(vb_ctx *ctx, struct vb_arena *arena, const char *name,
                        const char *data, size_t len, struct vb_elem **root) {
  return read_xml(ctx, arena, name, data, len, root, 0);
}

vb_status vb_input_read_file(vb_ctx *ctx, struct vb_arena *arena,
                             const char *path, struct vb_elem **root,
                             int quiet_io) {
  return vb_input_read_file2(ctx, arena, path, root, quiet_io, 0);
}

vb_status vb_input_read_file2(vb_ctx *ctx, struct vb_arena *arena,
                              const char *path, struct vb_elem **root,
                              int quiet_io, int mixed) {
  char *data = NULL, lim[32];
  size_t len = 0;
  vb_status st;
  *root = NULL;
  /* a data file: a FIFO or a device in its place must not hang the call */
  st = vb_read_file(&ctx->mem, path, VB_MAX_INPUT_BYTES, 1, &data, &len);
  if (st == VB_EIO) {
    if (!quiet_io &&
        !vb_diag_add(ctx, VB_C_IO, path, 0, 0, vb_errno_str(errno,
                                                            ctx->opt.lang),
                     NULL))
      return VB_ENOMEM;
    return VB_EIO;
  }
  if (st == VB_ELIMIT) {
    snprintf(lim, sizeof(lim), "%u MiB", VB_MAX_INPUT_BYTES >> 20);
    if (!vb_diag_add(ctx, VB_C_LIMIT, path, 0, 0,
                     vb_tr(ctx, "kích thước tệp", "file size"), lim))
      return VB_ENOMEM;
    return VB_ELIMIT;
  }
  if (st != VB_OK)
    return st;
  st = read_xml(ctx, arena, path, data, len, root, mixed);
  vb_mfree(&ctx->mem, data);
  if (st == VB_OK && !*root)
    st = VB_EINVALID;
  return st;
}

struct vb_elem *vb_elem_child(const struct vb_elem *e, const char *name) {
  struct vb_elem *c;
  for (c = e ? e->first : NULL; c; c = c->next)
    if (!strcmp(c->name, name))
      return c;
  return NULL;
}

const struct vb_attr *vb_elem_attr(const struct vb_elem *e,
                                   const char *name) {
  const struct vb_attr *a;
  for (a = e ? e->attrs : NULL; a; a = a->next)
    if (!strcmp(a->name, name))
      return a;
  return NULL;
}

const char *vb_elem_clean(struct vb_arena *a, const struct vb_elem *e) {
  char *out, *o;
  const char *s = e->text, *end = e->text + e->len;
  int space = 0;
  out = vb_arena_alloc(a, e->len + 1);
  if (!out)
    return NULL;
  o = out;
  for (; s < end; s++) {
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
      space = o != out;
    } else {
      if (space)
        *o++ = ' ';
      space = 0;
      *o++ = *s;
    }
  }
  *o = '\0';
  return out;
}
