/* markdown.c - the body of a document, written in Markdown, into body
 * paragraphs of the document tree. md4c only here. Headings become section
 * headings, list items become paragraphs that keep their number or dash
 * (Vietnamese documents do not hang list markers), emphasis becomes bold
 * and italic runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <md4c.h>

#include "buf.h"
#include "markdown.h"

/* md4c nests blocks without limit; we track list depth to at most this
 * many levels (deeper items still print, numbered as at this depth). */
#define MAX_LIST_DEPTH 32

struct list {
  int ordered;
  unsigned next;
  char mark;
};

struct md {
  vb_ctx *ctx;
  struct vb_arena *a;
  const struct vb_profile *pr;
  const struct vb_elem *src;
  struct vb_node *parent;
  struct vb_node *para;    /* the paragraph being filled, or NULL */
  int para_is_item;        /* para was opened by a list item */
  int item_used;           /* the list item's first paragraph is taken */
  struct list lists[MAX_LIST_DEPTH];
  int depth;               /* lists open (may exceed MAX_LIST_DEPTH) */
  unsigned bold, italic, under;
  int code;                /* inside a code block */
  struct vb_buf run;       /* text of the run being gathered */
  const char *body;        /* the text md4c parses: positions come from it */
  size_t body_len, seen;   /* bytes of body scanned for line ends so far */
  unsigned line;           /* input line of body[seen] */
  int located;             /* the open paragraph has its line */
  unsigned run_flags;
  vb_status st;
};

static unsigned flags_now(const struct md *m) {
  return (m->bold ? VB_RUN_BOLD : 0) | (m->italic ? VB_RUN_ITALIC : 0) |
         (m->under ? VB_RUN_UNDERLINE : 0);
}

static void flush(struct md *m) {
  /* the buffer's error first: a failed append leaves it empty, and the
   * text it refused must not vanish without a word */
  if (vb_buf_err(&m->run)) {
    if (m->st == VB_OK)
      m->st = vb_buf_err(&m->run);
    return;
  }
  if (!m->run.len || !m->para)
    return;
  if (!vb_add_run(m->a, m->para, m->run.ptr, m->run.len, m->run_flags, 0))
    m->st = VB_ENOMEM;
  vb_buf_truncate(&m->run, 0);
}

static void open_para(struct md *m, enum vb_role role) {
  struct vb_node *n;
  flush(m);
  n = vb_node_new(m->a, VB_NODE_PARAGRAPH);
  if (!n) {
    m->st = VB_ENOMEM;
    return;
  }
  vb_body_style(m->pr, role, &n->as.para);
  /* a khoản title runs over lines like the body: justified (NĐ 30) */
  if (role == VB_ROLE_HEADING2 || role == VB_ROLE_HEADING3)
    n->as.para.align = VB_ALIGN_JUSTIFY;
  n->line = m->src->text_line ? m->src->text_line : m->src->line;
  if (!vb_node_append(m->parent, n)) {
    m->st = VB_EINVALID; /* a shape the tree does not allow: a bug */
    return;
  }
  m->para = n;
  m->located = 0;
}

/* Gives the open paragraph the input line of its first text: md4c hands
 * out pointers into the body, in order, so one forward scan counts the
 * line ends (diagnostics then point at the paragraph, not the element). */
static void locate(struct md *m, const char *s) {
  size_t off;
  if (!m->para || m->located || s < m->body || s >= m->body + m->body_len)
    return;
  off = (size_t)(s - m->body);
  for (; m->seen < off; m->seen++)
    if (m->body[m->seen] == '\n')
      m->line++;
  m->para->line = m->line;
  m->para->col = 0;
  m->located = 1;
}

static int is_lower(uint32_t c) {
  if (c < 0x80)
    return c >= 'a' && c <= 'z';
  if (c >= 0x1EA0 && c <= 0x1EF9)
    return c % 2 == 1;
  return (c >= 0xDF && c <= 0xFF) || c == 0x103 || c == 0x111 ||
         c == 0x129 || c == 0x169 || c == 0x1A1 || c == 0x1B0;
}

/* "II. NỘI DUNG", "III- TỔ CHỨC THỰC HIỆN": a short paragraph in capitals
 * led by a Roman numeral is a section heading (NĐ 30 Phụ lục I, II.6.đ). */
static int roman_heading(const struct vb_node *p) {
  char buf[256];
  size_t n = vb_node_text(p, buf, sizeof(buf)), i = 0, k = 0;
  if (n == 0 || n >= sizeof(buf) || p->first != p->last)
    return 0;
  while (k < n && strchr("IVXLC", buf[k]))
    k++;
  if (k == 0 || k >= n || (buf[k] != '.' && buf[k] != '-') ||
      buf[k + 1] != ' ')
    return 0;
  while (i < n)
    if (is_lower(vb_utf8_next(buf, n, &i)))
      return 0;
  return 1;
}

/* A lead line ("Bước 2: Tổ chức thực hiện", "a. Tiêu chí đối với tập
 * thể:"): one short line that opens what follows, so it must not be left
 * alone at the foot of a page. */
#define LEAD_MAX 100 /* bytes: one line of body text at most */
static int lead_line(const struct vb_node *p) {
  char buf[LEAD_MAX + 1];
  size_t n = vb_node_text(p, buf, sizeof(buf)), k;
  if (n == 0 || n >= sizeof(buf))
    return 0;
  if (buf[n - 1] == ':')
    return 1;
  if (n < 9 || memcmp(buf, "B\xc6\xb0\xe1\xbb\x9b" "c ", 8) != 0)
    return 0; /* "Bước " */
  for (k = 8; k < n && buf[k] >= '0' && buf[k] <= '9'; k++)
    ;
  return k > 8 && k < n && buf[k] == ':';
}

static void close_para(struct md *m) {
  struct vb_node *c;
  flush(m);
  for (c = m->para ? m->para->first : NULL; c; c = c->next)
    c->line = m->para->line;
  if (m->para && m->para->as.para.role == VB_ROLE_BODY &&
      roman_heading(m->para)) {
    vb_body_style(m->pr, VB_ROLE_HEADING1, &m->para->as.para);
    for (c = m->para->first; c; c = c->next)
      if (c->type == VB_NODE_TEXT)
        c->as.text.flags |= VB_RUN_BOLD;
  }
  if (m->para && m->para->as.para.role == VB_ROLE_BODY && lead_line(m->para))
    m->para->as.para.keep_next = 1;
  /* a paragraph left empty (an empty list item) is dropped */
  if (m->para && !m->para->first && m->para->parent == m->parent &&
      m->parent->last == m->para) {
    struct vb_node *prev = m->para->prev;
    m->parent->last = prev;
    if (prev)
      prev->next = NULL;
    else
      m->parent->first = NULL;
  }
  m->para = NULL;
}

static void put(struct md *m, const char *s, size_t n) {
  unsigned f = flags_now(m);
  if (!m->para)
    open_para(m, VB_ROLE_BODY);
  if (f != m->run_flags) {
    flush(m);
    m->run_flags = f;
  }
  vb_buf_put(&m->run, s, n);
}

static void line_break(struct md *m) {
  struct vb_node *n;
  flush(m);
  if (!m->para)
    return;
  n = vb_node_new(m->a, VB_NODE_LINE_BREAK);
  if (!n)
    m->st = VB_ENOMEM;
  else if (!vb_node_append(m->para, n))
    m->st = VB_EINVALID;
}

/* The marker of the current list item: "1. ", "2) ", "- ", "+ ". */
static void item_prefix(struct md *m) {
  char buf[32];
  struct list *l;
  if (m->depth <= 0)
    return;
  l = &m->lists[(m->depth < MAX_LIST_DEPTH ? m->depth : MAX_LIST_DEPTH) - 1];
  if (l->ordered)
    snprintf(buf, sizeof(buf), "%u%c ", l->next++, l->mark);
  else
    snprintf(buf, sizeof(buf), "%c ", l->mark == '+' ? '+' : '-');
  m->bold = m->italic = m->under = 0;
  put(m, buf, strlen(buf));
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *user) {
  struct md *m = user;
  struct list *l;
  switch (type) {
  case MD_BLOCK_UL:
  case MD_BLOCK_OL:
    close_para(m);
    if (m->depth < MAX_LIST_DEPTH) {
      l = &m->lists[m->depth];
      l->ordered = type == MD_BLOCK_OL;
      if (l->ordered) {
        MD_BLOCK_OL_DETAIL *d = detail;
        l->next = d->start;
        l->mark = d->mark_delimiter;
      } else {
        l->mark = ((MD_BLOCK_UL_DETAIL *)detail)->mark;
      }
    }
    m->depth++;
    break;
  case MD_BLOCK_LI:
    close_para(m);
    open_para(m, VB_ROLE_LIST_ITEM);
    item_prefix(m);
    m->item_used = 0;
    break;
  case MD_BLOCK_H: {
    unsigned lv = ((MD_BLOCK_H_DETAIL *)detail)->level;
    close_para(m);
    open_para(m, lv == 1   ? VB_ROLE_HEADING1
                 : lv == 2 ? VB_ROLE_HEADING2
                           : VB_ROLE_HEADING3);
    m->bold = 1;
    m->italic = lv >= 3;
    break;
  }
  case MD_BLOCK_P:
    /* the first paragraph of a list item continues its marker */
    if (m->para && m->para->as.para.role == VB_ROLE_LIST_ITEM &&
        !m->item_used) {
      m->item_used = 1;
      break;
    }
    close_para(m);
    open_para(m, VB_ROLE_BODY);
    break;
  case MD_BLOCK_CODE:
    close_para(m);
    open_para(m, VB_ROLE_BODY);
    m->para->as.para.align = VB_ALIGN_LEFT;
    m->code = 1;
    break;
  default:
    break;
  }
  return m->st == VB_OK ? 0 : 1;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *user) {
  struct md *m = user;
  (void)detail;
  switch (type) {
  case MD_BLOCK_UL:
  case MD_BLOCK_OL:
    close_para(m);
    if (m->depth > 0)
      m->depth--;
    break;
  case MD_BLOCK_H:
    close_para(m);
    m->bold = 0;
    m->italic = 0;
    break;
  case MD_BLOCK_LI:
  case MD_BLOCK_P:
    close_para(m);
    break;
  case MD_BLOCK_CODE:
    /* a code block's text ends with a newline: drop the last break */
    if (m->para && m->para->last &&
        m->para->last->type == VB_NODE_LINE_BREAK) {
      struct vb_node *b = m->para->last;
      m->para->last = b->prev;
      if (b->prev)
        b->prev->next = NULL;
      else
        m->para->first = NULL;
    }
    close_para(m);
    m->code = 0;
    break;
  default:
    break;
  }
  return m->st == VB_OK ? 0 : 1;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *user) {
  struct md *m = user;
  (void)detail;
  if (type == MD_SPAN_STRONG)
    m->bold++;
  else if (type == MD_SPAN_EM)
    m->italic++;
  else if (type == MD_SPAN_U)
    m->under++;
  return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *user) {
  struct md *m = user;
  (void)detail;
  if (type == MD_SPAN_STRONG && m->bold)
    m->bold--;
  else if (type == MD_SPAN_EM && m->italic)
    m->italic--;
  else if (type == MD_SPAN_U && m->under)
    m->under--;
  return 0;
}

/* Appends a code point as UTF-8. */
static void put_cp(struct md *m, unsigned long cp) {
  char u[4];
  size_t n;
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  put(m, u, n);
}

/* The entities a clerk may meet; others are kept as written. */
static void entity(struct md *m, const char *s, size_t n) {
  static const struct {
    const char *name;
    unsigned long cp;
  } names[] = {{"&amp;", '&'},    {"&lt;", '<'},     {"&gt;", '>'},
               {"&quot;", '"'},   {"&apos;", '\''},  {"&nbsp;", 0xA0},
               {"&ndash;", 0x2013}, {"&mdash;", 0x2014}, {"&hellip;", 0x2026}};
  size_t i;
  if (n > 3 && s[1] == '#') {
    char tmp[16];
    unsigned long cp;
    if (n - 3 >= sizeof(tmp)) {
      put(m, s, n);
      return;
    }
    memcpy(tmp, s + 2, n - 3);
    tmp[n - 3] = '\0';
    cp = (tmp[0] == 'x' || tmp[0] == 'X') ? strtoul(tmp + 1, NULL, 16)
                                          : strtoul(tmp, NULL, 10);
    put_cp(m, cp);
    return;
  }
  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (strlen(names[i].name) == n && !memcmp(names[i].name, s, n)) {
      put_cp(m, names[i].cp);
      return;
    }
  put(m, s, n);
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *user) {
  struct md *m = user;
  size_t i, start;
  if (!m->para && type != MD_TEXT_SOFTBR && type != MD_TEXT_BR)
    open_para(m, VB_ROLE_BODY);
  locate(m, s);
  switch (type) {
  case MD_TEXT_SOFTBR:
    put(m, " ", 1);
    break;
  case MD_TEXT_BR:
    line_break(m);
    break;
  case MD_TEXT_NULLCHAR:
    put_cp(m, 0xFFFD);
    break;
  case MD_TEXT_ENTITY:
    entity(m, s, n);
    break;
  default:
    if (!m->code) {
      put(m, s, n);
      break;
    }
    for (i = start = 0; i < n; i++)
      if (s[i] == '\n') {
        if (i > start)
          put(m, s + start, i - start);
        line_break(m);
        start = i + 1;
      }
    if (n > start)
      put(m, s + start, n - start);
    break;
  }
  return m->st == VB_OK ? 0 : 1;
}

/* Removes the indentation common to every non-blank line, so that a body
 * indented along with the XML is not read as a code block. */
static vb_status dedent(const char *s, size_t n, struct vb_buf *out) {
  size_t i = 0, common = (size_t)-1;
  while (i < n) {
    size_t j = i, k;
    while (j < n && (s[j] == ' ' || s[j] == '\t'))
      j++;
    k = j;
    while (k < n && s[k] != '\n')
      k++;
    if (k > j && j - i < common)
      common = j - i;
    i = k + 1;
  }
  if (common == (size_t)-1)
    common = 0;
  i = 0;
  while (i < n) {
    size_t k = i;
    while (k < n && s[k] != '\n')
      k++;
    if (k - i > common)
      vb_buf_put(out, s + i + common, k - i - common);
    vb_buf_putc(out, '\n');
    i = k + 1;
  }
  return vb_buf_err(out);
}

vb_status vb_markdown_blocks(vb_ctx *ctx, const char *file,
                             struct vb_arena *a, const struct vb_profile *p,
                             const struct vb_elem *src,
                             struct vb_node *parent) {
  MD_PARSER parser;
  struct md m;
  struct vb_buf body;
  int rc;
  memset(&parser, 0, sizeof(parser));
  memset(&m, 0, sizeof(m));
  parser.abi_version = 0;
  /* no raw HTML, and indentation never makes a code block: clerks indent */
  parser.flags = MD_FLAG_NOHTML | MD_FLAG_NOINDENTEDCODEBLOCKS;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = enter_span;
  parser.leave_span = leave_span;
  parser.text = text;
  m.ctx = ctx;
  m.a = a;
  m.pr = p;
  m.src = src;
  m.parent = parent;
  m.st = VB_OK;
  vb_buf_init(&m.run, &ctx->mem, src->len + 64);
  vb_buf_init(&body, &ctx->mem, src->len * 2 + 64);
  if (dedent(src->text, src->len, &body) != VB_OK) {
    m.st = vb_buf_err(&body);
    goto out;
  }
  m.body = body.ptr;
  m.body_len = body.len;
  m.line = src->text_line ? src->text_line : src->line;
  rc = md_parse(body.ptr, (MD_SIZE)body.len, &parser, &m);
  close_para(&m);
  if (m.st == VB_OK && (vb_buf_err(&m.run) || m.a->failed))
    m.st = vb_buf_err(&m.run) ? vb_buf_err(&m.run) : VB_ENOMEM;
  if (m.st == VB_OK && rc != 0)
    m.st = vb_diag_add(ctx, VB_C_MARKDOWN, file, src->line, src->col,
                       src->name, NULL)
               ? VB_EINVALID
               : VB_ENOMEM;
out:
  vb_buf_release(&m.run);
  vb_buf_release(&body);
  return m.st;
}
