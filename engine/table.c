/* table.c - reads a list of records for batch runs: CSV through libcsv
 * (the only file that uses it), XLSX through libzip and libxml2's
 * streaming reader, into a struct vb_table whose first row holding data
 * names the fields. Both readers stream, so a hostile file is refused
 * within its limits; every bad cell is reported at its row and column. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "buf.h"
#include "font.h"
#include "input.h"
#include "table.h"
#include "text.h"

/* Bytes read at a time, and fed to libcsv at most at once. */
#define CHUNK 65536
/* Excel's last row: a larger row number is a damaged file. */
#define XLSX_LAST_ROW 1048576u
/* Excel's last column (XFD). */
#define XLSX_LAST_COL 16384u
/* Sheet names listed in B020: Excel's are at most 31 characters. */
#define SHEET_LIST_MAX 1000

struct builder {
  vb_ctx *ctx;
  struct vb_table *t;
  const struct vb_table_opts *opt;
  size_t nerr0; /* errors of the context before this call */
  vb_status st; /* sticky: the first failure stops reading */
  int have_header;
  /* the row being read, by column of the file (0-based) */
  struct vb_table_cell cur[VB_TABLE_MAX_COLS];
  unsigned ncur;
  long map[VB_TABLE_MAX_COLS]; /* column of the file -> of the table */
  size_t ncells;
  const char **folded; /* vb_text_fold() of labels[i].label, then .name */
  struct vb_buf tmp, nfc;
};

static char empty[1];
static const struct vb_table_cell no_value = {empty, 0};

void vb_table_col_letters(unsigned col, char buf[8]) {
  char rev[8];
  int n = 0, i;
  while (col > 0 && n < 7) {
    col--;
    rev[n++] = (char)('A' + col % 26);
    col /= 26;
  }
  for (i = 0; i < n; i++)
    buf[i] = rev[n - 1 - i];
  buf[n] = '\0';
}

static void fail(struct builder *b, vb_status st) {
  if (b->st == VB_OK)
    b->st = st;
}

static void diag_at(struct builder *b, unsigned row, unsigned col0,
                    vb_code code, const char *a0, const char *a1) {
  char letters[8];
  const char *column = letters;
  if (b->have_header && col0 < VB_TABLE_MAX_COLS && b->map[col0] >= 0)
    column = b->t->cols[b->map[col0]].name;
  else
    vb_table_col_letters(col0 + 1, letters);
  if (!vb_diag_add_cell(b->ctx, code, b->t->name, row, col0 + 1, column, a0,
                        a1))
    fail(b, VB_ENOMEM);
}

/* A diagnostic about a whole row (row > 0) or the whole file (row 0). */
static void diag_row(struct builder *b, unsigned row, vb_code code,
                     const char *a0, const char *a1) {
  if (!vb_diag_add_cell(b->ctx, code, b->t->name, row, 0, NULL, a0, a1))
    fail(b, VB_ENOMEM);
}

static void limit(struct builder *b, unsigned row, vb_code code,
                  unsigned long max) {
  char n[32];
  snprintf(n, sizeof(n), "%lu", max);
  diag_row(b, row, code, n, NULL);
  fail(b, VB_ELIMIT);
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Bytes of the white space starting at s[i] (ASCII, a no-break space
 * pasted from a web page, a stray BOM), or 0. */
static size_t space_at(const char *s, size_t i, size_t n) {
  if (is_space(s[i]))
    return 1;
  if (n - i >= 2 && !memcmp(s + i, "\xC2\xA0", 2))
    return 2;
  if (n - i >= 3 && !memcmp(s + i, "\xEF\xBB\xBF", 3))
    return 3;
  return 0;
}

/* The same for the white space ending at s[e] (exclusive), after start. */
static size_t space_before(const char *s, size_t start, size_t e) {
  if (is_space(s[e - 1]))
    return 1;
  if (e - start >= 2 && !memcmp(s + e - 2, "\xC2\xA0", 2))
    return 2;
  if (e - start >= 3 && !memcmp(s + e - 3, "\xEF\xBB\xBF", 3))
    return 3;
  return 0;
}

/* Checks a raw value and stores its clean form (trimmed, line breaks as
 * "\n", NFC) in the table's arena. Returns VB_C_NONE (the value is in
 * *out), or the code of its flaw (*cp: the control character; for
 * VB_C_TAB_LEGACY the value is in *out too). */
static vb_code clean(struct builder *b, const char *s, size_t len, uint32_t *cp,
                     struct vb_table_cell *out) {
  size_t i = 0, start, end, k;
  char *p;
  out->s = empty;
  out->len = 0;
  if (len > VB_TABLE_MAX_CELL)
    return VB_C_TAB_CELL_LEN;
  if (!vb_utf8_valid(s, len))
    return VB_C_TAB_UTF8;
  while (i < len) {
    uint32_t c = vb_utf8_next(s, len, &i);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
        (c >= 0x80 && c < 0xA0)) {
      *cp = c;
      return VB_C_TAB_CONTROL;
    }
  }
  for (start = 0; start < len && (k = space_at(s, start, len));)
    start += k;
  for (end = len; end > start && (k = space_before(s, start, end));)
    end -= k;
  if (start == end)
    return VB_C_NONE;
  vb_buf_truncate(&b->tmp, 0);
  vb_buf_truncate(&b->nfc, 0);
  for (i = start; i < end; i++) {
    if (s[i] == '\r') {
      vb_buf_putc(&b->tmp, '\n');
      if (i + 1 < end && s[i + 1] == '\n')
        i++;
    } else {
      vb_buf_putc(&b->tmp, s[i]);
    }
  }
  if (vb_buf_err(&b->tmp)) {
    fail(b, VB_ENOMEM);
    return VB_C_NONE;
  }
  if (vb_text_nfc(b->tmp.ptr, b->tmp.len, &b->nfc) != VB_OK) {
    fail(b, VB_ENOMEM);
    return VB_C_NONE;
  }
  p = vb_arena_strndup(&b->t->arena, b->nfc.ptr, b->nfc.len);
  if (!p) {
    fail(b, VB_ENOMEM);
    return VB_C_NONE;
  }
  out->s = p;
  out->len = b->nfc.len;
  if (vb_find_legacy(p, out->len, &start, &end))
    return VB_C_TAB_LEGACY;
  return VB_C_NONE;
}

static int blank(const char *s, size_t len) {
  size_t i, k;
  for (i = 0; i < len; i += k)
    if (!(k = space_at(s, i, len)))
      return 0;
  return 1;
}

/* Reports a flaw found by clean() in the value v. */
static void report(struct builder *b, unsigned row, unsigned col0, vb_code flaw,
                   uint32_t cp, struct vb_table_cell v) {
  char arg[32];
  size_t ws, we;
  switch (flaw) {
  case VB_C_TAB_LEGACY:
    if (vb_find_legacy(v.s, v.len, &ws, &we)) {
      struct vb_buf word;
      vb_buf_init(&word, &b->ctx->mem, VB_TABLE_MAX_CELL);
      vb_buf_put(&word, v.s + ws, we - ws);
      if (vb_buf_err(&word))
        fail(b, VB_ENOMEM);
      else
        diag_at(b, row, col0, flaw, word.ptr, NULL);
      vb_buf_release(&word);
    }
    break;
  case VB_C_TAB_CELL_LEN:
    snprintf(arg, sizeof(arg), "%u", VB_TABLE_MAX_CELL);
    diag_at(b, row, col0, flaw, arg, NULL);
    break;
  case VB_C_TAB_CONTROL:
    snprintf(arg, sizeof(arg), "U+%04X", (unsigned)cp);
    diag_at(b, row, col0, flaw, arg, NULL);
    break;
  default:
    diag_at(b, row, col0, flaw, NULL, NULL);
    break;
  }
}

/* Places a clean value in column col0 of the current row. */
static void place(struct builder *b, unsigned row, unsigned col0,
                  struct vb_table_cell v) {
  if (!v.len)
    return;
  if (col0 >= VB_TABLE_MAX_COLS) {
    limit(b, row, VB_C_TAB_COLS, VB_TABLE_MAX_COLS);
    return;
  }
  while (b->ncur <= col0) {
    b->cur[b->ncur].s = empty;
    b->cur[b->ncur].len = 0;
    b->ncur++;
  }
  b->cur[col0] = v;
}

/* A raw value read from the file for column col0 of `row`. */
static void put_value(struct builder *b, unsigned row, unsigned col0,
                      const char *s, size_t len) {
  struct vb_table_cell v;
  uint32_t cp = 0;
  vb_code flaw;
  if (b->st != VB_OK || blank(s, len))
    return;
  if (col0 >= VB_TABLE_MAX_COLS) {
    limit(b, row, VB_C_TAB_COLS, VB_TABLE_MAX_COLS);
    return;
  }
  flaw = clean(b, s, len, &cp, &v);
  if (flaw != VB_C_NONE)
    report(b, row, col0, flaw, cp, v);
  else if (b->st == VB_OK)
    place(b, row, col0, v);
}

/* Folds s into the table's arena; NULL (and b->st set) on failure. */
static const char *fold(struct builder *b, const char *s) {
  const char *p;
  vb_buf_truncate(&b->tmp, 0);
  if (vb_text_fold(s, strlen(s), &b->tmp) != VB_OK) {
    fail(b, VB_ENOMEM);
    return NULL;
  }
  p = vb_arena_strndup(&b->t->arena, b->tmp.ptr, b->tmp.len);
  if (!p)
    fail(b, VB_ENOMEM);
  return p;
}

/* The field a header names: a label or a name spelt exactly, else one
 * that folds to the same key. NULL when none (or on failure). */
static const char *field_of(struct builder *b, const char *header) {
  const struct vb_table_opts *o = b->opt;
  const char *key;
  size_t i, n = o->nlabels;
  for (i = 0; i < n; i++)
    if (!strcmp(header, o->labels[i].label) ||
        !strcmp(header, o->labels[i].name))
      return o->labels[i].name;
  if (!b->folded) {
    b->folded = vb_arena_alloc(&b->t->arena, 2 * n * sizeof(char *));
    if (!b->folded) {
      fail(b, VB_ENOMEM);
      return NULL;
    }
    for (i = 0; i < n; i++)
      if (!(b->folded[2 * i] = fold(b, o->labels[i].label)) ||
          !(b->folded[2 * i + 1] = fold(b, o->labels[i].name)))
        return NULL;
  }
  if (!(key = fold(b, header)) || !*key)
    return NULL;
  for (i = 0; i < n; i++)
    if (!strcmp(key, b->folded[2 * i]) || !strcmp(key, b->folded[2 * i + 1]))
      return o->labels[i].name;
  return NULL;
}

static void make_header(struct builder *b, unsigned row) {
  struct vb_table *t = b->t;
  unsigned j;
  size_t k = 0, known = 0;
  int labels = b->opt && b->opt->labels && b->opt->nlabels;
  for (j = 0; j < b->ncur; j++)
    if (b->cur[j].len)
      t->ncols++;
  t->cols = vb_arena_alloc(&t->arena, t->ncols * sizeof(*t->cols));
  if (!t->cols) {
    fail(b, VB_ENOMEM);
    return;
  }
  b->have_header = 1;
  for (j = 0; j < b->ncur && b->st == VB_OK; j++) {
    struct vb_table_col *c = &t->cols[k];
    const char *name;
    size_t i;
    if (!b->cur[j].len)
      continue;
    c->header = b->cur[j].s;
    c->col = j + 1;
    name = labels ? field_of(b, c->header) : c->header;
    if (b->st != VB_OK)
      return;
    c->known = name != NULL;
    c->name = name ? name : c->header;
    known += c->known;
    b->map[j] = (long)k;
    for (i = 0; i < k; i++)
      if (!strcmp(t->cols[i].name, c->name)) {
        char other[8];
        vb_table_col_letters(t->cols[i].col, other);
        diag_at(b, row, j, VB_C_TAB_HEADER_DUP, other, c->name);
        break;
      }
    if (labels && !c->known)
      diag_at(b, row, j, VB_C_TAB_HEADER_UNKNOWN, c->header, NULL);
    k++;
  }
  if (labels && !known && b->st == VB_OK) {
    struct vb_buf l;
    size_t i;
    vb_buf_init(&l, &b->ctx->mem, 4096);
    for (i = 0; i < b->opt->nlabels && i < 4; i++)
      vb_buf_printf(&l, "%s\"%s\"", i ? ", " : "", b->opt->labels[i].label);
    if (b->opt->nlabels > 4)
      vb_buf_puts(&l, ", …");
    if (vb_buf_err(&l))
      fail(b, VB_ENOMEM);
    else
      diag_row(b, row, VB_C_TAB_NO_FIELDS, l.ptr, NULL);
    vb_buf_release(&l);
  }
}

static void add_row(struct builder *b, unsigned row) {
  struct vb_table *t = b->t;
  struct vb_table_row *r;
  unsigned j;
  size_t i;
  if (t->nrows >= VB_TABLE_MAX_ROWS) {
    limit(b, row, VB_C_TAB_ROWS, VB_TABLE_MAX_ROWS);
    return;
  }
  if (b->ncells + t->ncols > VB_TABLE_MAX_CELLS) {
    limit(b, row, VB_C_TAB_CELLS, VB_TABLE_MAX_CELLS);
    return;
  }
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    struct vb_table_row *v = vb_realloc(t->mem, t->rows, cap * sizeof(*v));
    if (!v) {
      fail(b, VB_ENOMEM);
      return;
    }
    t->rows = v;
    t->cap = cap;
  }
  r = &t->rows[t->nrows];
  r->row = row;
  r->cells =
      vb_arena_alloc(&t->arena, (t->ncols ? t->ncols : 1) * sizeof(*r->cells));
  if (!r->cells) {
    fail(b, VB_ENOMEM);
    return;
  }
  for (i = 0; i < t->ncols; i++)
    r->cells[i].s = empty;
  for (j = 0; j < b->ncur; j++) {
    if (!b->cur[j].len)
      continue;
    if (b->map[j] < 0)
      diag_at(b, row, j, VB_C_TAB_NO_HEADER, NULL, NULL);
    else
      r->cells[b->map[j]] = b->cur[j];
  }
  b->ncells += t->ncols;
  t->nrows++;
}

/* The end of a row of the file: the header, a record, or a blank row. */
static void row_end(struct builder *b, unsigned row) {
  unsigned j;
  int any = 0;
  for (j = 0; j < b->ncur; j++)
    any |= b->cur[j].len != 0;
  if (any && b->st == VB_OK) {
    if (!b->have_header)
      make_header(b, row);
    else
      add_row(b, row);
  }
  b->ncur = 0;
}

/* --- input ---------------------------------------------------------- */

struct src {
  FILE *fp; /* or NULL: data[0..len) */
  const char *data;
  size_t len, pos;
  char *buf; /* CHUNK bytes, for fp */
  int ioerr;
};

/* The next bytes, at most CHUNK; 0 at the end or on an error. */
static size_t src_next(struct src *s, const char **p) {
  size_t n;
  if (!s->fp) {
    n = s->len - s->pos < CHUNK ? s->len - s->pos : CHUNK;
    *p = s->data + s->pos;
    s->pos += n;
    return n;
  }
  n = fread(s->buf, 1, CHUNK, s->fp);
  if (!n && ferror(s->fp))
    s->ioerr = errno ? errno : EIO;
  *p = s->buf;
  return n;
}

/* --- CSV -------------------------------------------------------------- */

/* libcsv's buffer grows through the context's allocator: libcsv takes
 * plain functions, so the allocator of the running call is kept per
 * thread. */
static _Thread_local const vb_mem *csv_mem;
static void *csv_realloc(void *p, size_t n) {
  return vb_realloc(csv_mem, p, n);
}
static void csv_free_fn(void *p) {
  vb_mfree(csv_mem, p);
}

struct csv_state {
  struct builder *b;
  unsigned row;  /* the row of the record being read */
  unsigned col0; /* its next field */
  int last_cr;   /* the previous record ended at a CR */
  int ended;     /* a record ended in the last csv_parse() */
  size_t record; /* bytes of the record so far */
};

static void csv_field(void *s, size_t len, void *u) {
  struct csv_state *c = u;
  put_value(c->b, c->row, c->col0, s ? (const char *)s : "", s ? len : 0);
  if (c->col0 < UINT32_MAX)
    c->col0++;
  c->last_cr = 0;
}

static void csv_record(int ch, void *u) {
  struct csv_state *c = u;
  c->ended = 1;
  /* CSV_REPALL_NL reports the LF of a CRLF as an empty record */
  if (ch == '\n' && c->last_cr && c->col0 == 0) {
    c->last_cr = 0;
    return;
  }
  row_end(c->b, c->row);
  c->row++;
  c->col0 = 0;
  c->last_cr = ch == '\r';
}

/* Feeds bytes to libcsv a line at a time, so that the length of the
 * record is known before libcsv buffers it. */
static void csv_feed(struct csv_state *c, struct csv_parser *p, const char *s,
                     size_t n) {
  struct builder *b = c->b;
  while (n && b->st == VB_OK) {
    size_t k = 0, got;
    while (k < n && s[k] != '\n' && s[k] != '\r')
      k++;
    if (k < n)
      k++;
    if (c->record + k > VB_TABLE_MAX_LINE) {
      limit(b, c->row, VB_C_TAB_LINE_LEN, VB_TABLE_MAX_LINE);
      return;
    }
    c->ended = 0;
    got = csv_parse(p, s, k, csv_field, csv_record, c);
    if (b->st != VB_OK)
      return;
    if (got < k) {
      if (csv_error(p) == CSV_EPARSE) {
        diag_at(b, c->row, c->col0, VB_C_TAB_QUOTE, NULL, NULL);
        fail(b, VB_EINVALID);
      } else {
        fail(b, VB_ENOMEM);
      }
      return;
    }
    c->record = c->ended ? 0 : c->record + k;
    s += k;
    n -= k;
  }
}

/* Scans s for the end of the first line holding something, outside
 * quotes; counts the commas and semicolons on it. 1 when found. */
static int first_line(const char *s, size_t n, size_t *commas, size_t *semis) {
  size_t i;
  int quoted = 0, any = 0;
  *commas = *semis = 0;
  for (i = 0; i < n; i++) {
    char c = s[i];
    if (c == '"')
      quoted = !quoted;
    else if (quoted)
      continue;
    else if (c == ',')
      (*commas)++;
    else if (c == ';')
      (*semis)++;
    else if ((c == '\n' || c == '\r') && any)
      return 1;
    if (!is_space(c))
      any = 1;
  }
  return 0;
}

static void read_csv(struct builder *b, struct src *src, const char *first,
                     size_t nfirst) {
  struct csv_parser p;
  struct csv_state c;
  struct vb_buf head;
  size_t commas, semis, total = nfirst, n, skip = 0;
  const char *s;
  memset(&c, 0, sizeof(c));
  c.b = b;
  c.row = 1;
  /* the first line decides the delimiter: gather it whole */
  vb_buf_init(&head, &b->ctx->mem, VB_TABLE_MAX_LINE + CHUNK);
  vb_buf_put(&head, first, nfirst);
  while (!first_line(head.ptr, head.len, &commas, &semis) &&
         head.len <= VB_TABLE_MAX_LINE && !vb_buf_err(&head) &&
         (n = src_next(src, &s)) > 0) {
    vb_buf_put(&head, s, n);
    total += n;
  }
  if (vb_buf_err(&head)) {
    fail(b, vb_buf_err(&head) == VB_ELIMIT ? VB_ELIMIT : VB_ENOMEM);
    if (b->st == VB_ELIMIT)
      limit(b, 1, VB_C_TAB_LINE_LEN, VB_TABLE_MAX_LINE);
    vb_buf_release(&head);
    return;
  }
  if (head.len >= 3 && !memcmp(head.ptr, "\xEF\xBB\xBF", 3))
    skip = 3;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL |
                       CSV_APPEND_NULL) != 0) {
    vb_buf_release(&head);
    fail(b, VB_ENOMEM);
    return;
  }
  csv_mem = &b->ctx->mem;
  csv_set_realloc_func(&p, csv_realloc);
  csv_set_free_func(&p, csv_free_fn);
  csv_set_blk_size(&p, CHUNK); /* libcsv grows its buffer linearly */
  csv_set_delim(&p, semis > commas ? ';' : ',');
  csv_feed(&c, &p, head.ptr + skip, head.len - skip);
  vb_buf_release(&head);
  while (b->st == VB_OK && (n = src_next(src, &s)) > 0) {
    total += n;
    if (total > VB_TABLE_MAX_FILE) {
      char lim[32];
      snprintf(lim, sizeof(lim), "%u MiB", VB_TABLE_MAX_FILE >> 20);
      diag_row(b, 0, VB_C_TAB_FILE_SIZE, lim, NULL);
      fail(b, VB_ELIMIT);
      break;
    }
    csv_feed(&c, &p, s, n);
  }
  if (b->st == VB_OK && src->ioerr) {
    if (!vb_diag_add(b->ctx, VB_C_IO, b->t->name, 0, 0, strerror(src->ioerr),
                     NULL))
      fail(b, VB_ENOMEM);
    fail(b, VB_EIO);
  }
  if (b->st == VB_OK && csv_fini(&p, csv_field, csv_record, &c) != 0) {
    if (csv_error(&p) == CSV_EPARSE) {
      diag_at(b, c.row, c.col0, VB_C_TAB_UNCLOSED, NULL, NULL);
      fail(b, VB_EINVALID);
    } else {
      fail(b, VB_ENOMEM);
    }
  }
  csv_free(&p);
  csv_mem = NULL;
}

/* --- XLSX ------------------------------------------------------------- */

enum { T_NUM, T_SST, T_INLINE, T_STR, T_BOOL, T_ERR, T_DATE };

struct sst_ent {
  struct vb_table_cell v;
  vb_code flaw; /* from clean(), reported where the string is used */
  uint32_t cp;
};

struct xlsx {
  struct builder *b;
  zip_t *za;
  struct vb_arena arena; /* part names, while reading */
  locale_t cloc;         /* "C" numbers whatever the caller's locale */
  int date1904;
  struct sst_ent *sst;
  size_t nsst, capsst;
  struct fmt *fmts; /* custom number formats */
  unsigned nfmt;
  unsigned *xf_fmt, nxf;  /* cellXfs: number format of each ... */
  unsigned char *xf_date; /* ... and whether it shows a date */
  struct vb_buf text;     /* character data of a cell or string */
};

struct fmt {
  unsigned id, order;
  unsigned char date;
};

struct part {
  struct xlsx *x;
  zip_file_t *zf;
  size_t limit, got;
  int over, dtd, zerr;
  char tail[8];
  size_t ntail;
};

static int has_doctype(const char *s, size_t n) {
  size_t i;
  for (i = 0; i + 9 <= n; i++)
    if (s[i] == '<' && !memcmp(s + i, "<!DOCTYPE", 9))
      return 1;
  return 0;
}

/* libxml2 pulls the part through here: the bytes are counted (a zip bomb
 * stops at the limit whatever sizes the archive claims), and a DOCTYPE is
 * refused before the parser sees it, so no entity is ever declared. */
static int part_read(void *u, char *buf, int len) {
  struct part *p = u;
  char win[16];
  size_t m, k;
  zip_int64_t n;
  /* libxml2's reader discards what it has parsed only while what it holds
   * unparsed stays within its 512-byte push size: larger reads make it
   * keep the whole part in memory */
  if (len > 512)
    len = 512;
  n = zip_fread(p->zf, buf, (zip_uint64_t)len);
  if (n < 0) {
    p->zerr = 1;
    return -1;
  }
  p->got += (size_t)n;
  if (p->got > p->limit) {
    p->over = 1;
    return -1;
  }
  m = (size_t)n < 8 ? (size_t)n : 8;
  memcpy(win, p->tail, p->ntail);
  memcpy(win + p->ntail, buf, m);
  if (has_doctype(win, p->ntail + m) || has_doctype(buf, (size_t)n)) {
    p->dtd = 1;
    return -1;
  }
  k = p->ntail + m > 8 ? p->ntail + m - 8 : 0;
  memmove(p->tail, win + k, p->ntail + m - k);
  p->ntail = p->ntail + m - k;
  if ((size_t)n > 8) {
    memcpy(p->tail, buf + n - 8, 8);
    p->ntail = 8;
  }
  return (int)n;
}

static void quiet(void *arg, const char *msg, xmlParserSeverities sev,
                  xmlTextReaderLocatorPtr loc) {
  (void)arg, (void)msg, (void)sev, (void)loc;
}

/* What a part's parser calls for each node: element starts (attributes
 * readable), ends, and character data. Returns 0 to stop. */
typedef int (*visit_fn)(struct xlsx *x, xmlTextReaderPtr rd, int type,
                        const char *name, void *u);

/* Parses one part with visit. VB_OK also when an optional part is
 * missing (*found 0). */
static void part_parse(struct xlsx *x, const char *name, size_t max,
                       int required, visit_fn visit, void *u) {
  struct builder *b = x->b;
  struct part p;
  struct zip_stat sb;
  xmlTextReaderPtr rd;
  zip_int64_t idx;
  char lim[32], line[32];
  int r;
  if (b->st != VB_OK)
    return;
  memset(&p, 0, sizeof(p));
  p.x = x;
  p.limit = max;
  snprintf(lim, sizeof(lim), "%lu MiB", (unsigned long)(max >> 20));
  idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
  if (idx < 0) {
    if (required) {
      diag_row(b, 0, VB_C_TAB_PART, name, NULL);
      fail(b, VB_EINVALID);
    }
    return;
  }
  zip_stat_init(&sb);
  if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &sb) == 0 &&
      (sb.valid & ZIP_STAT_SIZE) && sb.size > max) {
    diag_row(b, 0, VB_C_TAB_ZIP_SIZE, name, lim);
    fail(b, VB_ELIMIT);
    return;
  }
  p.zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
  if (!p.zf) {
    diag_row(b, 0, VB_C_TAB_ZIP, NULL, NULL);
    fail(b, VB_EINVALID);
    return;
  }
  rd = xmlReaderForIO(part_read, NULL, &p, name, "UTF-8",
                      XML_PARSE_NONET | XML_PARSE_NOWARNING |
                          XML_PARSE_NOERROR | XML_PARSE_BIG_LINES);
  if (!rd) {
    zip_fclose(p.zf);
    fail(b, VB_ENOMEM);
    return;
  }
  xmlTextReaderSetErrorHandler(rd, quiet, NULL);
  while ((r = xmlTextReaderRead(rd)) == 1) {
    int type = xmlTextReaderNodeType(rd);
    const char *local;
    int empty_elem;
    if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
        type == XML_READER_TYPE_ENTITY_REFERENCE ||
        type == XML_READER_TYPE_ENTITY) {
      p.dtd = 1;
      r = -1;
      break;
    }
    if (type != XML_READER_TYPE_ELEMENT &&
        type != XML_READER_TYPE_END_ELEMENT && type != XML_READER_TYPE_TEXT &&
        type != XML_READER_TYPE_CDATA && type != XML_READER_TYPE_WHITESPACE &&
        type != XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
      continue;
    local = (const char *)xmlTextReaderConstLocalName(rd);
    empty_elem =
        type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(rd) == 1;
    if (!local)
      local = "";
    if (!visit(x, rd, type, local, u))
      break;
    if (empty_elem && !visit(x, rd, XML_READER_TYPE_END_ELEMENT, local, u))
      break;
  }
  if (r < 0 && b->st == VB_OK) {
    if (p.over) {
      diag_row(b, 0, VB_C_TAB_ZIP_SIZE, name, lim);
      fail(b, VB_ELIMIT);
    } else if (p.dtd) {
      diag_row(b, 0, VB_C_TAB_XML_DTD, name, NULL);
      fail(b, VB_EINVALID);
    } else if (p.zerr) {
      diag_row(b, 0, VB_C_TAB_ZIP, NULL, NULL);
      fail(b, VB_EINVALID);
    } else {
      snprintf(line, sizeof(line), "%d", xmlTextReaderGetParserLineNumber(rd));
      diag_row(b, 0, VB_C_TAB_XML, name, line);
      fail(b, VB_EINVALID);
    }
  }
  xmlFreeTextReader(rd);
  zip_fclose(p.zf);
}

/* The value of the element's attribute with this local name (in any
 * namespace when ns is 0, only in a namespace when 1). The pointer is
 * valid until the next read; NULL when absent. Leaves the reader on the
 * element. */
static const char *attr(xmlTextReaderPtr rd, const char *local, int ns) {
  const char *v = NULL;
  int ok;
  for (ok = xmlTextReaderMoveToFirstAttribute(rd); ok == 1;
       ok = xmlTextReaderMoveToNextAttribute(rd)) {
    const char *n = (const char *)xmlTextReaderConstLocalName(rd);
    if (n && !strcmp(n, local) && (!ns || xmlTextReaderConstNamespaceUri(rd))) {
      v = (const char *)xmlTextReaderConstValue(rd);
      break;
    }
  }
  xmlTextReaderMoveToElement(rd);
  return v;
}

/* Copies an attribute into the reading arena; NULL when absent. */
static char *attr_dup(struct xlsx *x, xmlTextReaderPtr rd, const char *local,
                      int ns) {
  const char *v = attr(rd, local, ns);
  char *p;
  if (!v)
    return NULL;
  p = vb_arena_strdup(&x->arena, v);
  if (!p)
    fail(x->b, VB_ENOMEM);
  return p;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out) {
  unsigned long v = 0;
  if (!s || !*s)
    return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return 0;
    v = v * 10 + (unsigned long)(*s - '0');
    if (v > max)
      return 0;
  }
  *out = v;
  return 1;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

/* A part name from a relationship's target, relative to the folder of
 * the part holding it ("xl/"). Only a name inside the archive: never a
 * path of the machine. */
static char *resolve(struct xlsx *x, const char *dir, const char *target) {
  struct vb_buf out;
  const char *s = target, *e;
  char *p;
  vb_buf_init(&out, &x->b->ctx->mem, 4096);
  if (*s == '/')
    s++;
  else
    vb_buf_puts(&out, dir);
  while (*s) {
    size_t n;
    e = strchr(s, '/');
    n = e ? (size_t)(e - s) : strlen(s);
    if (n == 2 && !memcmp(s, "..", 2)) {
      size_t k = out.len ? out.len - 1 : 0;
      while (k > 0 && out.ptr[k - 1] != '/')
        k--;
      vb_buf_truncate(&out, k);
    } else if (n && !(n == 1 && *s == '.')) {
      vb_buf_put(&out, s, n);
      if (e)
        vb_buf_putc(&out, '/');
    }
    s += n + (e != NULL);
  }
  if (vb_buf_err(&out)) {
    vb_buf_release(&out);
    fail(x->b, VB_ENOMEM);
    return NULL;
  }
  p = vb_arena_strndup(&x->arena, out.ptr, out.len);
  vb_buf_release(&out);
  if (!p)
    fail(x->b, VB_ENOMEM);
  return p;
}

/* relationships (_rels/.rels, xl/_rels/workbook.xml.rels) */
struct rels {
  const char *want; /* the Id sought, or NULL */
  char *office, *sst, *styles, *target, *type;
};

static int visit_rels(struct xlsx *x, xmlTextReaderPtr rd, int type,
                      const char *name, void *u) {
  struct rels *r = u;
  char *id, *ty, *tg, *mode;
  if (type != XML_READER_TYPE_ELEMENT || strcmp(name, "Relationship"))
    return 1;
  id = attr_dup(x, rd, "Id", 0);
  ty = attr_dup(x, rd, "Type", 0);
  tg = attr_dup(x, rd, "Target", 0);
  mode = attr_dup(x, rd, "TargetMode", 0);
  if (x->b->st != VB_OK)
    return 0;
  if (!ty || !tg || (mode && !strcmp(mode, "External")))
    return 1;
  if (ends_with(ty, "/officeDocument") && !r->office)
    r->office = tg;
  else if (ends_with(ty, "/sharedStrings") && !r->sst)
    r->sst = tg;
  else if (ends_with(ty, "/styles") && !r->styles)
    r->styles = tg;
  if (r->want && id && !strcmp(id, r->want) && !r->target) {
    r->target = tg;
    r->type = ty;
  }
  return 1;
}

/* workbook.xml: the sheets in tab order */
struct workbook {
  const char *want;     /* the sheet asked for, or NULL */
  const char *want_key; /* its vb_text_fold() */
  char *rid;            /* the relationship of the sheet found */
  char *first_name, *found_name;
  int exact;
  size_t nsheets;
  struct vb_buf names; /* for B020 */
};

static int visit_workbook(struct xlsx *x, xmlTextReaderPtr rd, int type,
                          const char *name, void *u) {
  struct workbook *w = u;
  char *sn, *rid;
  if (type != XML_READER_TYPE_ELEMENT)
    return 1;
  if (!strcmp(name, "workbookPr")) {
    const char *d = attr(rd, "date1904", 0);
    x->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
    return 1;
  }
  if (strcmp(name, "sheet"))
    return 1;
  sn = attr_dup(x, rd, "name", 0);
  rid = attr_dup(x, rd, "id", 1);
  if (x->b->st != VB_OK)
    return 0;
  if (!sn || !rid)
    return 1;
  if (w->names.len < SHEET_LIST_MAX)
    vb_buf_printf(&w->names, "%s\"%s\"", w->nsheets ? ", " : "", sn);
  else if (w->names.len < SHEET_LIST_MAX + 8)
    vb_buf_puts(&w->names, ", …");
  w->nsheets++;
  if (!w->want) {
    if (!w->rid) {
      w->rid = rid;
      w->found_name = sn;
    }
  } else if (!w->exact) {
    if (!strcmp(sn, w->want)) {
      w->rid = rid;
      w->found_name = sn;
      w->exact = 1;
    } else if (!w->rid) {
      const char *k = fold(x->b, sn);
      if (!k)
        return 0;
      if (*k && !strcmp(k, w->want_key)) {
        w->rid = rid;
        w->found_name = sn;
      }
    }
  }
  return 1;
}

/* styles.xml: which cell formats show a date */
struct styles {
  int in_xfs, in_fmts;
};

/* A number format code shows a date when it holds d or y outside quoted
 * text, escapes and [brackets] (colours, locales, elapsed [h]). */
static int date_code(const char *s) {
  for (; *s; s++) {
    char c = *s;
    if (c == '"') {
      while (s[1] && s[1] != '"')
        s++;
      if (s[1])
        s++;
    } else if (c == '\\' || c == '_' || c == '*') {
      if (s[1])
        s++;
    } else if (c == '[') {
      while (s[1] && s[1] != ']')
        s++;
      if (s[1])
        s++;
    } else if (c == ';') {
      break;
    } else if (c == 'd' || c == 'D' || c == 'y' || c == 'Y') {
      return 1;
    }
  }
  return 0;
}

/* The built-in formats that show dates (ECMA-376 18.8.30; 27-36 and
 * 50-58 are the East Asian date formats). */
static int builtin_date(unsigned long id) {
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
         (id >= 50 && id <= 58);
}

static int visit_styles(struct xlsx *x, xmlTextReaderPtr rd, int type,
                        const char *name, void *u) {
  struct styles *s = u;
  unsigned long id;
  int on = type == XML_READER_TYPE_ELEMENT;
  if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT)
    return 1;
  if (!strcmp(name, "cellXfs")) {
    s->in_xfs = on;
  } else if (!strcmp(name, "numFmts")) {
    s->in_fmts = on;
  } else if (on && s->in_fmts && !strcmp(name, "numFmt")) {
    const char *code;
    if (!parse_uint(attr(rd, "numFmtId", 0), 0xFFFFFFFFu, &id) ||
        x->nfmt >= VB_XLSX_MAX_STYLES)
      return 1;
    code = attr(rd, "formatCode", 0);
    x->fmts[x->nfmt].id = (unsigned)id;
    x->fmts[x->nfmt].order = x->nfmt;
    x->fmts[x->nfmt].date = code && date_code(code);
    x->nfmt++;
  } else if (on && s->in_xfs && !strcmp(name, "xf")) {
    if (x->nxf >= VB_XLSX_MAX_STYLES)
      return 1;
    if (!parse_uint(attr(rd, "numFmtId", 0), 0xFFFFFFFFu, &id))
      id = 0;
    x->xf_fmt[x->nxf++] = (unsigned)id;
  }
  return 1;
}

static int fmt_cmp(const void *a, const void *b) {
  const struct fmt *p = a, *q = b;
  if (p->id != q->id)
    return p->id < q->id ? -1 : 1;
  return p->order < q->order ? -1 : p->order > q->order;
}

/* Whether each cell format shows a date, computed once: a custom format
 * of that id (the first one when the file repeats an id), else the
 * built-in one. Sorting keeps a hostile styles.xml from costing
 * formats x cells. */
static void resolve_dates(struct xlsx *x) {
  unsigned i;
  qsort(x->fmts, x->nfmt, sizeof(*x->fmts), fmt_cmp);
  for (i = 0; i < x->nxf; i++) {
    unsigned id = x->xf_fmt[i], lo = 0, hi = x->nfmt;
    while (lo < hi) {
      unsigned mid = lo + (hi - lo) / 2;
      if (x->fmts[mid].id < id)
        lo = mid + 1;
      else
        hi = mid;
    }
    x->xf_date[i] = lo < x->nfmt && x->fmts[lo].id == id
                        ? x->fmts[lo].date
                        : (unsigned char)builtin_date(id);
  }
}

static int xf_is_date(const struct xlsx *x, unsigned long xf) {
  return xf < x->nxf && x->xf_date[xf];
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static void put_utf8(struct vb_buf *o, uint32_t c) {
  char u[4];
  size_t n;
  if (c < 0x80) {
    u[0] = (char)c, n = 1;
  } else if (c < 0x800) {
    u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F)), n = 2;
  } else {
    u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[2] = (char)(0x80 | (c & 0x3F)), n = 3;
  }
  vb_buf_put(o, u, n);
}

/* Excel writes characters XML cannot hold as _xHHHH_ (ECMA-376
 * 22.9.2.19, ST_Xstring); "_x005F_" is a literal "_". */
static void decode_x(const char *s, size_t n, struct vb_buf *o) {
  size_t i = 0;
  while (i < n) {
    if (n - i >= 7 && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_') {
      int h0 = hexval(s[i + 2]), h1 = hexval(s[i + 3]), h2 = hexval(s[i + 4]),
          h3 = hexval(s[i + 5]);
      if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
        uint32_t c = (uint32_t)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
        if (c < 0xD800 || c > 0xDFFF) {
          put_utf8(o, c);
          i += 7;
          continue;
        }
      }
    }
    vb_buf_putc(o, s[i]);
    i++;
  }
}

/* sharedStrings.xml */
struct strings {
  int in_si, in_t, in_rph;
};

static int visit_strings(struct xlsx *x, xmlTextReaderPtr rd, int type,
                         const char *name, void *u) {
  struct strings *s = u;
  struct builder *b = x->b;
  int on = type == XML_READER_TYPE_ELEMENT;
  if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT) {
    const char *v = (const char *)xmlTextReaderConstValue(rd);
    if (s->in_si && s->in_t && !s->in_rph && v)
      vb_buf_puts(&x->text, v);
    return 1;
  }
  if (!strcmp(name, "si")) {
    s->in_si = on;
    if (on) {
      vb_buf_truncate(&x->text, 0);
      x->text.err = VB_OK;
      return 1;
    }
    if (x->nsst >= VB_TABLE_MAX_CELLS) {
      limit(b, 0, VB_C_TAB_STRINGS, VB_TABLE_MAX_CELLS);
      return 0;
    }
    if (x->nsst == x->capsst) {
      size_t cap = x->capsst ? x->capsst * 2 : 256;
      struct sst_ent *v = vb_realloc(&b->ctx->mem, x->sst, cap * sizeof(*v));
      if (!v) {
        fail(b, VB_ENOMEM);
        return 0;
      }
      x->sst = v;
      x->capsst = cap;
    }
    {
      struct sst_ent *e = &x->sst[x->nsst++];
      struct vb_buf dec;
      e->cp = 0;
      if (vb_buf_err(&x->text) == VB_ELIMIT) {
        e->flaw = VB_C_TAB_CELL_LEN;
        e->v.s = empty;
        e->v.len = 0;
      } else if (vb_buf_err(&x->text)) {
        fail(b, VB_ENOMEM);
        return 0;
      } else {
        vb_buf_init(&dec, &b->ctx->mem, VB_TABLE_MAX_CELL * 2);
        decode_x(x->text.ptr, x->text.len, &dec);
        if (vb_buf_err(&dec)) {
          vb_buf_release(&dec);
          fail(b, VB_ENOMEM);
          return 0;
        }
        e->flaw = clean(b, dec.ptr, dec.len, &e->cp, &e->v);
        vb_buf_release(&dec);
      }
    }
    return b->st == VB_OK;
  }
  if (!strcmp(name, "rPh"))
    s->in_rph = on;
  else if (!strcmp(name, "t"))
    s->in_t = on;
  return 1;
}

/* the sheet */
struct sheet {
  int root_seen, in_data, in_c, in_v, in_is, in_t, in_rph;
  unsigned long row, last_row, col0, next_col0, style;
  int ctype;
  const char *sheet_name;
};

static long days_from_civil(long y, unsigned m, unsigned d) {
  long era;
  unsigned yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned)(y - era * 400);
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d) {
  long era;
  unsigned doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned)(z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  *y = (long)yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y += *m <= 2;
}

/* An Excel date serial as YYYY-MM-DD. In the 1900 system serial 1 is
 * 1900-01-01 and 60 is 1900-02-29, a day that never was (Lotus 1-2-3's
 * leap-year bug, kept by Excel): serials from 61 count from 1899-12-30.
 * In the 1904 system 0 is 1904-01-01. The time of day is dropped.
 * Returns 0 for no real date. */
static int serial_date(double v, int date1904, char out[40]) {
  double f = floor(v);
  long s, days, y;
  unsigned m, d;
  if (!(f >= 0) || f > 2958465)
    return 0;
  s = (long)f;
  if (date1904)
    days = days_from_civil(1904, 1, 1) + s;
  else if (s == 0 || s == 60)
    return 0;
  else if (s < 60)
    days = days_from_civil(1899, 12, 31) + s;
  else
    days = days_from_civil(1899, 12, 30) + s;
  civil_from_days(days, &y, &m, &d);
  if (y > 9999)
    return 0;
  snprintf(out, 40, "%04ld-%02u-%02u", y, m, d);
  return 1;
}

/* A number as the decimal C locale writes it, whatever the caller's. */
static int parse_number(struct xlsx *x, const char *s, double *v) {
  char *end;
  locale_t old = x->cloc ? uselocale(x->cloc) : (locale_t)0;
  errno = 0;
  *v = strtod(s, &end);
  if (x->cloc)
    uselocale(old);
  return end != s && !*end && isfinite(*v);
}

static void format_number(struct xlsx *x, double v, char out[40]) {
  locale_t old = x->cloc ? uselocale(x->cloc) : (locale_t)0;
  snprintf(out, 40, "%.15g", v);
  if (x->cloc)
    uselocale(old);
}

static void cell_end(struct xlsx *x, struct sheet *sh) {
  struct builder *b = x->b;
  unsigned row = (unsigned)sh->row, col0 = (unsigned)sh->col0;
  const char *s = x->text.ptr;
  char num[40];
  double v;
  unsigned long idx;
  if (vb_buf_err(&x->text) == VB_ELIMIT) {
    report(b, row, col0, VB_C_TAB_CELL_LEN, 0, no_value);
    return;
  }
  if (vb_buf_err(&x->text)) {
    fail(b, VB_ENOMEM);
    return;
  }
  if (blank(s, x->text.len) && sh->ctype != T_SST)
    return;
  switch (sh->ctype) {
  case T_SST:
    if (blank(s, x->text.len))
      return;
    if (!parse_uint(s, 0xFFFFFFFFu, &idx) || idx >= x->nsst) {
      diag_at(b, row, col0, VB_C_TAB_SST_INDEX, s, NULL);
      return;
    }
    if (x->sst[idx].flaw != VB_C_NONE)
      report(b, row, col0, x->sst[idx].flaw, x->sst[idx].cp, x->sst[idx].v);
    else if (x->sst[idx].v.len && col0 >= VB_TABLE_MAX_COLS)
      limit(b, row, VB_C_TAB_COLS, VB_TABLE_MAX_COLS);
    else
      place(b, row, col0, x->sst[idx].v);
    return;
  case T_INLINE:
  case T_STR: {
    struct vb_buf dec;
    vb_buf_init(&dec, &b->ctx->mem, VB_TABLE_MAX_CELL * 2);
    decode_x(s, x->text.len, &dec);
    if (vb_buf_err(&dec))
      fail(b, VB_ENOMEM);
    else
      put_value(b, row, col0, dec.ptr, dec.len);
    vb_buf_release(&dec);
    return;
  }
  case T_BOOL:
    put_value(b, row, col0, strcmp(s, "1") ? "FALSE" : "TRUE",
              strcmp(s, "1") ? 5 : 4);
    return;
  case T_ERR:
    diag_at(b, row, col0, VB_C_TAB_FORMULA, s, NULL);
    return;
  case T_DATE:
    /* ISO 8601: the date part */
    if (x->text.len >= 10 && s[4] == '-' && s[7] == '-')
      put_value(b, row, col0, s, 10);
    else
      put_value(b, row, col0, s, x->text.len);
    return;
  default:
    break;
  }
  if (!parse_number(x, s, &v)) {
    diag_at(b, row, col0, VB_C_TAB_NUMBER, s, NULL);
    return;
  }
  if (xf_is_date(x, sh->style)) {
    if (!serial_date(v, x->date1904, num)) {
      diag_at(b, row, col0, VB_C_TAB_DATE, s, NULL);
      return;
    }
  } else {
    format_number(x, v, num);
  }
  put_value(b, row, col0, num, strlen(num));
}

/* "AB17" -> column 28 (1-based); 0 when malformed. */
static unsigned long ref_col(const char *r) {
  unsigned long c = 0;
  const char *p = r;
  while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
    c = c * 26 + (unsigned long)((*p | 0x20) - 'a' + 1);
    if (c > XLSX_LAST_COL)
      return 0;
    p++;
  }
  if (p == r)
    return 0;
  while (*p >= '0' && *p <= '9')
    p++;
  return *p ? 0 : c;
}

static int cell_start(struct xlsx *x, xmlTextReaderPtr rd, struct sheet *sh) {
  const char *r = attr(rd, "r", 0), *t, *s;
  unsigned long col;
  if (r) {
    if (!(col = ref_col(r))) {
      diag_row(x->b, (unsigned)sh->row, VB_C_TAB_CELL_REF, r, NULL);
      fail(x->b, VB_EINVALID);
      return 0;
    }
    sh->col0 = col - 1;
  } else {
    sh->col0 = sh->next_col0;
  }
  if (sh->col0 >= XLSX_LAST_COL) {
    diag_row(x->b, (unsigned)sh->row, VB_C_TAB_CELL_REF, "?", NULL);
    fail(x->b, VB_EINVALID);
    return 0;
  }
  sh->next_col0 = sh->col0 + 1;
  s = attr(rd, "s", 0);
  if (!s || !parse_uint(s, 0xFFFFFFFFu, &sh->style))
    sh->style = 0;
  t = attr(rd, "t", 0);
  sh->ctype = !t                        ? T_NUM
              : !strcmp(t, "s")         ? T_SST
              : !strcmp(t, "inlineStr") ? T_INLINE
              : !strcmp(t, "str")       ? T_STR
              : !strcmp(t, "b")         ? T_BOOL
              : !strcmp(t, "e")         ? T_ERR
              : !strcmp(t, "d")         ? T_DATE
                                        : T_NUM;
  vb_buf_truncate(&x->text, 0);
  x->text.err = VB_OK;
  sh->in_c = 1;
  return 1;
}

static int row_start(struct xlsx *x, xmlTextReaderPtr rd, struct sheet *sh) {
  const char *r = attr(rd, "r", 0);
  unsigned long n;
  if (r) {
    if (!parse_uint(r, XLSX_LAST_ROW, &n) || n <= sh->last_row) {
      diag_row(x->b, (unsigned)sh->last_row, VB_C_TAB_CELL_REF, r, NULL);
      fail(x->b, VB_EINVALID);
      return 0;
    }
  } else {
    n = sh->last_row + 1;
    if (n > XLSX_LAST_ROW) {
      diag_row(x->b, (unsigned)sh->last_row, VB_C_TAB_CELL_REF, "?", NULL);
      fail(x->b, VB_EINVALID);
      return 0;
    }
  }
  sh->row = n;
  sh->next_col0 = 0;
  return 1;
}

static int visit_sheet(struct xlsx *x, xmlTextReaderPtr rd, int type,
                       const char *name, void *u) {
  struct sheet *sh = u;
  struct builder *b = x->b;
  int on = type == XML_READER_TYPE_ELEMENT;
  if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT) {
    const char *v = (const char *)xmlTextReaderConstValue(rd);
    if (sh->in_c && v && (sh->in_v || (sh->in_is && sh->in_t && !sh->in_rph)))
      vb_buf_puts(&x->text, v);
    return 1;
  }
  if (on && !sh->root_seen) {
    sh->root_seen = 1;
    if (strcmp(name, "worksheet")) {
      diag_row(b, 0, VB_C_TAB_NOT_SHEET, sh->sheet_name, NULL);
      fail(b, VB_EINVALID);
      return 0;
    }
    return 1;
  }
  if (!strcmp(name, "sheetData")) {
    sh->in_data = on;
  } else if (!sh->in_data) {
    return 1;
  } else if (!strcmp(name, "row")) {
    if (on)
      return row_start(x, rd, sh);
    row_end(b, (unsigned)sh->row);
    sh->last_row = sh->row;
  } else if (!strcmp(name, "c")) {
    if (on)
      return cell_start(x, rd, sh);
    if (sh->in_c)
      cell_end(x, sh);
    sh->in_c = sh->in_v = sh->in_is = sh->in_t = sh->in_rph = 0;
  } else if (!strcmp(name, "v")) {
    sh->in_v = on;
  } else if (!strcmp(name, "is")) {
    sh->in_is = on;
  } else if (!strcmp(name, "t")) {
    sh->in_t = on;
  } else if (!strcmp(name, "rPh")) {
    sh->in_rph = on;
  }
  return b->st == VB_OK;
}

static char *dir_of(struct xlsx *x, const char *part) {
  const char *slash = strrchr(part, '/');
  char *p =
      vb_arena_strndup(&x->arena, part, slash ? (size_t)(slash - part) + 1 : 0);
  if (!p)
    fail(x->b, VB_ENOMEM);
  return p;
}

static void read_parts(struct xlsx *x) {
  struct builder *b = x->b;
  struct rels root, wbr;
  struct workbook wb;
  struct styles sty;
  struct strings str;
  struct sheet sh;
  const char *wbpath = "xl/workbook.xml", *sheet_name;
  char *dir, *relpath, *target;
  zip_int64_t n = zip_get_num_entries(x->za, 0);
  if (n < 0 || (zip_uint64_t)n > VB_XLSX_MAX_ENTRIES) {
    limit(b, 0, VB_C_TAB_ZIP_ENTRIES, VB_XLSX_MAX_ENTRIES);
    return;
  }
  if (zip_name_locate(x->za, "content.xml", 0) >= 0 &&
      zip_name_locate(x->za, "mimetype", 0) >= 0) {
    diag_row(b, 0, VB_C_TAB_ODS, NULL, NULL);
    fail(b, VB_EINVALID);
    return;
  }
  memset(&root, 0, sizeof(root));
  part_parse(x, "_rels/.rels", VB_XLSX_MAX_SMALL_PART, 0, visit_rels, &root);
  if (b->st != VB_OK)
    return;
  if (root.office && !(wbpath = resolve(x, "", root.office)))
    return;
  memset(&wb, 0, sizeof(wb));
  wb.want = b->opt ? b->opt->sheet : NULL;
  vb_buf_init(&wb.names, &b->ctx->mem, SHEET_LIST_MAX + 64);
  if (wb.want && !(wb.want_key = fold(b, wb.want))) {
    vb_buf_release(&wb.names);
    return;
  }
  part_parse(x, wbpath, VB_XLSX_MAX_SMALL_PART, 1, visit_workbook, &wb);
  if (b->st == VB_OK && !wb.rid) {
    if (wb.want) {
      diag_row(b, 0, VB_C_TAB_SHEET, wb.want, wb.names.ptr);
      fail(b, VB_EINVALID);
    } else {
      diag_row(b, 0, VB_C_TAB_EMPTY, NULL, NULL);
      fail(b, VB_EINVALID);
    }
  }
  vb_buf_release(&wb.names);
  if (b->st != VB_OK || !(dir = dir_of(x, wbpath)))
    return;
  sheet_name = wb.found_name;
  relpath = vb_arena_alloc(&x->arena, strlen(wbpath) + 16);
  if (!relpath) {
    fail(b, VB_ENOMEM);
    return;
  }
  snprintf(relpath, strlen(wbpath) + 16, "%s_rels/%s.rels", dir,
           wbpath + strlen(dir));
  memset(&wbr, 0, sizeof(wbr));
  wbr.want = wb.rid;
  part_parse(x, relpath, VB_XLSX_MAX_SMALL_PART, 1, visit_rels, &wbr);
  if (b->st != VB_OK)
    return;
  if (!wbr.target) {
    diag_row(b, 0, VB_C_TAB_PART, wb.rid, NULL);
    fail(b, VB_EINVALID);
    return;
  }
  if (wbr.type && !ends_with(wbr.type, "/worksheet")) {
    diag_row(b, 0, VB_C_TAB_NOT_SHEET, sheet_name, NULL);
    fail(b, VB_EINVALID);
    return;
  }
  if (wbr.styles) {
    memset(&sty, 0, sizeof(sty));
    x->fmts = vb_malloc(&b->ctx->mem, VB_XLSX_MAX_STYLES * sizeof(*x->fmts));
    x->xf_fmt =
        vb_malloc(&b->ctx->mem, VB_XLSX_MAX_STYLES * sizeof(*x->xf_fmt));
    x->xf_date = vb_malloc(&b->ctx->mem, VB_XLSX_MAX_STYLES);
    if (!x->fmts || !x->xf_fmt || !x->xf_date) {
      fail(b, VB_ENOMEM);
      return;
    }
    if (!(target = resolve(x, dir, wbr.styles)))
      return;
    part_parse(x, target, VB_XLSX_MAX_SMALL_PART, 0, visit_styles, &sty);
    resolve_dates(x);
  }
  if (wbr.sst && b->st == VB_OK) {
    memset(&str, 0, sizeof(str));
    if (!(target = resolve(x, dir, wbr.sst)))
      return;
    part_parse(x, target, VB_XLSX_MAX_PART, 0, visit_strings, &str);
  }
  if (b->st != VB_OK || !(target = resolve(x, dir, wbr.target)))
    return;
  memset(&sh, 0, sizeof(sh));
  sh.sheet_name = sheet_name;
  part_parse(x, target, VB_XLSX_MAX_PART, 1, visit_sheet, &sh);
}

static void nothing(void *user, const char *msg, ...) {
  (void)user, (void)msg;
}

static void read_xlsx(struct builder *b, const char *data, size_t len) {
  struct xlsx x;
  zip_error_t ze;
  zip_source_t *zs;
  /* the process-wide handler must not print (as in input.c) */
  xmlSetGenericErrorFunc(NULL, nothing);
  memset(&x, 0, sizeof(x));
  x.b = b;
  vb_arena_init(&x.arena, &b->ctx->mem);
  vb_buf_init(&x.text, &b->ctx->mem, VB_TABLE_MAX_CELL);
  x.cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  zip_error_init(&ze);
  zs = zip_source_buffer_create(data, len, 0, &ze);
  if (!zs) {
    fail(b, VB_ENOMEM);
    goto out;
  }
  x.za = zip_open_from_source(zs, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  if (!x.za) {
    zip_source_free(zs);
    if (zip_error_code_zip(&ze) == ZIP_ER_MEMORY) {
      fail(b, VB_ENOMEM);
    } else {
      diag_row(b, 0, VB_C_TAB_ZIP, NULL, NULL);
      fail(b, VB_EINVALID);
    }
    goto out;
  }
  read_parts(&x);
out:
  if (x.za)
    zip_discard(x.za);
  zip_error_fini(&ze);
  if (x.cloc)
    freelocale(x.cloc);
  vb_mfree(&b->ctx->mem, x.sst);
  vb_mfree(&b->ctx->mem, x.fmts);
  vb_mfree(&b->ctx->mem, x.xf_fmt);
  vb_mfree(&b->ctx->mem, x.xf_date);
  vb_buf_release(&x.text);
  vb_arena_release(&x.arena);
}

/* --- entry points ------------------------------------------------------ */

void vb_table_free(struct vb_table *t) {
  if (!t)
    return;
  vb_mfree(t->mem, t->rows);
  vb_arena_release(&t->arena);
  vb_mfree(t->mem, t);
}

static int is_zip(const char *p, size_t n) {
  return n >= 4 && p[0] == 'P' && p[1] == 'K' &&
         ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

static vb_status read_any(vb_ctx *ctx, const char *name, struct src *src,
                          const struct vb_table_opts *opt,
                          struct vb_table **out) {
  struct builder *b;
  struct vb_table *t;
  const char *first;
  size_t n, i;
  vb_status st;
  if (!(b = vb_calloc(&ctx->mem, 1, sizeof(*b))))
    return VB_ENOMEM;
  if (!(t = vb_calloc(&ctx->mem, 1, sizeof(*t)))) {
    vb_mfree(&ctx->mem, b);
    return VB_ENOMEM;
  }
  t->mem = &ctx->mem;
  vb_arena_init(&t->arena, &ctx->mem);
  b->ctx = ctx;
  b->t = t;
  b->opt = opt;
  b->nerr0 = ctx->nerr;
  for (i = 0; i < VB_TABLE_MAX_COLS; i++)
    b->map[i] = -1;
  vb_buf_init(&b->tmp, &ctx->mem, VB_TABLE_MAX_CELL * 4);
  vb_buf_init(&b->nfc, &ctx->mem, VB_TABLE_MAX_CELL * 4);
  if (!(t->name = vb_arena_strdup(&t->arena, name))) {
    b->st = VB_ENOMEM;
    goto out;
  }
  n = src_next(src, &first);
  if (src->ioerr) {
    if (!vb_diag_add(ctx, VB_C_IO, name, 0, 0, strerror(src->ioerr), NULL))
      fail(b, VB_ENOMEM);
    fail(b, VB_EIO);
  } else if (is_zip(first, n)) {
    t->xlsx = 1;
    if (!src->fp) {
      read_xlsx(b, src->data, src->len);
    } else {
      struct vb_buf all;
      const char *s;
      vb_buf_init(&all, &ctx->mem, VB_TABLE_MAX_FILE);
      vb_buf_put(&all, first, n);
      while (!vb_buf_err(&all) && (n = src_next(src, &s)) > 0)
        vb_buf_put(&all, s, n);
      if (vb_buf_err(&all) == VB_ELIMIT) {
        char lim[32];
        snprintf(lim, sizeof(lim), "%u MiB", VB_TABLE_MAX_FILE >> 20);
        diag_row(b, 0, VB_C_TAB_FILE_SIZE, lim, NULL);
        fail(b, VB_ELIMIT);
      } else if (vb_buf_err(&all)) {
        fail(b, VB_ENOMEM);
      } else if (src->ioerr) {
        if (!vb_diag_add(ctx, VB_C_IO, name, 0, 0, strerror(src->ioerr), NULL))
          fail(b, VB_ENOMEM);
        fail(b, VB_EIO);
      } else {
        read_xlsx(b, all.ptr, all.len);
      }
      vb_buf_release(&all);
    }
  } else if (n >= 8 && !memcmp(first, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
    diag_row(b, 0, VB_C_TAB_XLS, NULL, NULL);
    fail(b, VB_EINVALID);
  } else if (n >= 2 && ((first[0] == '\xFF' && first[1] == '\xFE') ||
                        (first[0] == '\xFE' && first[1] == '\xFF'))) {
    diag_row(b, 0, VB_C_TAB_UTF16, NULL, NULL);
    fail(b, VB_EINVALID);
  } else {
    read_csv(b, src, first, n);
  }
  if (b->st == VB_OK && !b->have_header && ctx->nerr == b->nerr0) {
    diag_row(b, 0, VB_C_TAB_EMPTY, NULL, NULL);
    fail(b, VB_EINVALID);
  }
  if (b->st == VB_OK && ctx->nerr > b->nerr0)
    b->st = VB_EINVALID;
out:
  st = b->st;
  vb_buf_release(&b->tmp);
  vb_buf_release(&b->nfc);
  vb_mfree(&ctx->mem, b);
  if (st == VB_OK) {
    *out = t;
  } else {
    vb_table_free(t);
  }
  return st;
}

/* Labels given must all be there. */
static int opts_ok(const struct vb_table_opts *o) {
  size_t i;
  if (!o || !o->nlabels)
    return 1;
  if (!o->labels)
    return 0;
  for (i = 0; i < o->nlabels; i++)
    if (!o->labels[i].label || !o->labels[i].name)
      return 0;
  return 1;
}

vb_status vb_table_read(vb_ctx *ctx, const char *name, const char *data,
                        size_t len, const struct vb_table_opts *opt,
                        struct vb_table **out) {
  struct src src;
  char lim[32];
  if (out)
    *out = NULL;
  if (!ctx || !out || (!data && len) || !opts_ok(opt))
    return VB_EUSAGE;
  *out = NULL;
  if (!name)
    name = "-";
  if (len > VB_TABLE_MAX_FILE) {
    snprintf(lim, sizeof(lim), "%u MiB", VB_TABLE_MAX_FILE >> 20);
    if (!vb_diag_add_cell(ctx, VB_C_TAB_FILE_SIZE, name, 0, 0, NULL, lim, NULL))
      return VB_ENOMEM;
    return VB_ELIMIT;
  }
  memset(&src, 0, sizeof(src));
  src.data = data ? data : "";
  src.len = len;
  return read_any(ctx, name, &src, opt, out);
}

vb_status vb_table_read_file(vb_ctx *ctx, const char *path,
                             const struct vb_table_opts *opt,
                             struct vb_table **out) {
  struct src src;
  struct stat sb;
  vb_status st;
  char lim[32];
  FILE *fp;
  if (out)
    *out = NULL;
  if (!ctx || !path || !out || !opts_ok(opt))
    return VB_EUSAGE;
  *out = NULL;
  fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!fp) {
    if (!vb_diag_add(ctx, VB_C_IO, path, 0, 0, strerror(errno), NULL))
      return VB_ENOMEM;
    return VB_EIO;
  }
  if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) &&
      (unsigned long long)sb.st_size > VB_TABLE_MAX_FILE) {
    if (fp != stdin)
      fclose(fp);
    snprintf(lim, sizeof(lim), "%u MiB", VB_TABLE_MAX_FILE >> 20);
    if (!vb_diag_add_cell(ctx, VB_C_TAB_FILE_SIZE, path, 0, 0, NULL, lim, NULL))
      return VB_ENOMEM;
    return VB_ELIMIT;
  }
  memset(&src, 0, sizeof(src));
  src.fp = fp;
  src.buf = vb_malloc(&ctx->mem, CHUNK);
  if (!src.buf) {
    if (fp != stdin)
      fclose(fp);
    return VB_ENOMEM;
  }
  st = read_any(ctx, path, &src, opt, out);
  vb_mfree(&ctx->mem, src.buf);
  if (fp != stdin)
    fclose(fp);
  return st;
}

size_t vb_table_ncols(const vb_table *t) {
  return t ? t->ncols : 0;
}

size_t vb_table_nrows(const vb_table *t) {
  return t ? t->nrows : 0;
}

const char *vb_table_col_name(const vb_table *t, size_t j) {
  return t && j < t->ncols ? t->cols[j].name : NULL;
}

const char *vb_table_col_header(const vb_table *t, size_t j) {
  return t && j < t->ncols ? t->cols[j].header : NULL;
}

unsigned vb_table_row_number(const vb_table *t, size_t i) {
  return t && i < t->nrows ? t->rows[i].row : 0;
}

const char *vb_table_value(const vb_table *t, size_t i, const char *name,
                           size_t *len) {
  const struct vb_table_cell *c = vb_table_get(t, i, name);
  if (len)
    *len = c ? c->len : 0;
  return c ? c->s : NULL;
}

long vb_table_col_index(const struct vb_table *t, const char *name) {
  size_t i;
  for (i = 0; t && name && i < t->ncols; i++)
    if (!strcmp(t->cols[i].name, name))
      return (long)i;
  return -1;
}

const struct vb_table_cell *vb_table_get(const struct vb_table *t, size_t i,
                                         const char *name) {
  long j = vb_table_col_index(t, name);
  if (j < 0 || !t || i >= t->nrows)
    return NULL;
  return &t->rows[i].cells[j];
}

int vb_table_diag(vb_ctx *ctx, const struct vb_table *t, size_t i, size_t j,
                  vb_code code, const char *a0, const char *a1) {
  if (i >= t->nrows || j >= t->ncols)
    return vb_diag_add_cell(ctx, code, t->name, 0, 0, NULL, a0, a1);
  return vb_diag_add_cell(ctx, code, t->name, t->rows[i].row, t->cols[j].col,
                          t->cols[j].name, a0, a1);
}
