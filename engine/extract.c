/* extract.c - a filled Word form back to the XML input format: the
 * content controls of word/document.xml, found by their tags, become
 * <van-ban mau=".." the-thuc=".."> elements (docs/word-forms.md). The
 * package is read through package.c, which treats it as hostile. */
#include <string.h>

#include <libxml/tree.h>

#include "buf.h"
#include "ctx.h"
#include "package.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
/* A form has a few dozen fields; a list of members a few hundred. */
#define MAX_FIELDS 10000
/* A field path: "thanh-vien[12]/ho-ten"; segments and their length. */
#define MAX_SEGMENTS 8
#define MAX_SEGMENT 64
#define MAX_INDEX 9999
/* The output is the values plus their element names: never more than
 * twice the document part it comes from. */
#define MAX_OUTPUT (2 * VB_PKG_MAX_PART)
/* The style vanban (and Word) gives placeholder text. */
#define PLACEHOLDER_STYLE "PlaceholderText"

struct fnode {
  const char *name;
  int idx;              /* 1-based among siblings of the same name */
  const char *text;     /* a leaf's value; NULL for a group */
  struct fnode *first, *last, *next;
};

struct ex {
  vb_ctx *ctx;
  const char *name;
  struct vb_arena a;
  struct fnode root;
  size_t nfields;       /* fields with a value */
  size_t ncontrols;     /* tagged controls, blank or not */
  vb_status st;         /* sticky */
};

static int is_w(const xmlNode *n, const char *local) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         !strcmp((const char *)n->ns->href, NS_W) &&
         !strcmp((const char *)n->name, local);
}

static xmlNode *w_child(const xmlNode *n, const char *local) {
  xmlNode *c;
  for (c = n ? n->children : NULL; c; c = c->next)
    if (is_w(c, local))
      return c;
  return NULL;
}

/* w:val of an element; NULL when absent. Caller frees with xmlFree. */
static xmlChar *w_val(const xmlNode *n) {
  xmlChar *v = xmlGetNsProp(n, BAD_CAST "val", BAD_CAST NS_W);
  return v ? v : xmlGetProp(n, BAD_CAST "val");
}

/* An on/off property element: on unless w:val says 0/false/off. */
static int onoff(const xmlNode *n) {
  xmlChar *v;
  int on = 1;
  if (!n)
    return 0;
  v = w_val(n);
  if (v && (!strcmp((char *)v, "0") || !strcmp((char *)v, "false") ||
            !strcmp((char *)v, "off")))
    on = 0;
  xmlFree(v);
  return on;
}

static void fail(struct ex *x, vb_status st) {
  if (x->st == VB_OK)
    x->st = st;
}

static void diag(struct ex *x, vb_code code, const char *a0, const char *a1) {
  if (!vb_diag_add(x->ctx, code, x->name, 0, 0, a0, a1))
    fail(x, VB_ENOMEM);
}

/* ---- text of a control ---- */

/* Appends the visible text under n: w:t, tabs, breaks; deleted text of
 * tracked changes is left out. */
static void run_text(const xmlNode *n, struct vb_buf *b) {
  const xmlNode *c;
  for (c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (is_w(c, "t")) {
      xmlChar *s = xmlNodeGetContent(c);
      if (s)
        vb_buf_puts(b, (const char *)s);
      xmlFree(s);
    } else if (is_w(c, "tab")) {
      vb_buf_putc(b, '\t');
    } else if (is_w(c, "br") || is_w(c, "cr")) {
      vb_buf_putc(b, '\n');
    } else if (is_w(c, "noBreakHyphen")) {
      vb_buf_putc(b, '-');
    } else if (is_w(c, "del") || is_w(c, "delText") || is_w(c, "sdtPr") ||
               is_w(c, "rPr") || is_w(c, "pPr") || is_w(c, "sdtEndPr")) {
      continue;
    } else {
      run_text(c, b);
    }
  }
}

/* Drops leading and trailing white space of b from `from` on. */
static void trim_from(struct vb_buf *b, size_t from) {
  size_t s = from, e = b->len;
  while (s < e && (b->ptr[s] == ' ' || b->ptr[s] == '\t' ||
                   b->ptr[s] == '\n' || b->ptr[s] == '\r'))
    s++;
  while (e > s && (b->ptr[e - 1] == ' ' || b->ptr[e - 1] == '\t' ||
                   b->ptr[e - 1] == '\n' || b->ptr[e - 1] == '\r'))
    e--;
  if (vb_buf_err(b))
    return;
  memmove(b->ptr + from, b->ptr + s, e - s);
  vb_buf_truncate(b, from + (e - s));
}

/* The Markdown of a paragraph of a block control: a heading style gives
 * its "#" marks, bold and italic runs their "**" and "*", so that a value
 * comes back as the Markdown it was written in. White space stays outside
 * the marks (Markdown does not open emphasis before a space). */
static void md_paragraph(const xmlNode *p, struct vb_buf *b) {
  const xmlNode *c, *ppr = w_child(p, "pPr");
  const xmlNode *ps = ppr ? w_child(ppr, "pStyle") : NULL;
  int heading = 0;
  if (ps) {
    xmlChar *v = w_val(ps);
    if (v && !strncmp((const char *)v, "Heading", 7) && v[7] >= '1' &&
        v[7] <= '3' && !v[8])
      heading = v[7] - '0';
    xmlFree(v);
  }
  if (heading)
    vb_buf_printf(b, "%.*s ", heading, "###");
  for (c = p->children; c; c = c->next) {
    const xmlNode *rpr;
    struct vb_buf t;
    const char *mark;
    size_t s0, e0;
    if (c->type != XML_ELEMENT_NODE || is_w(c, "pPr"))
      continue;
    if (!is_w(c, "r") || heading) {
      run_text(c, b);
      continue;
    }
    rpr = w_child(c, "rPr");
    mark = "";
    if (rpr && onoff(w_child(rpr, "b")) && onoff(w_child(rpr, "i")))
      mark = "***";
    else if (rpr && onoff(w_child(rpr, "b")))
      mark = "**";
    else if (rpr && onoff(w_child(rpr, "i")))
      mark = "*";
    vb_buf_init(&t, b->mem, b->limit);
    run_text(c, &t);
    for (s0 = 0; s0 < t.len && t.ptr[s0] == ' '; s0++)
      ;
    for (e0 = t.len; e0 > s0 && t.ptr[e0 - 1] == ' '; e0--)
      ;
    vb_buf_put(b, t.ptr, s0);
    if (e0 > s0) {
      vb_buf_puts(b, mark);
      vb_buf_put(b, t.ptr + s0, e0 - s0);
      vb_buf_puts(b, mark);
    }
    vb_buf_put(b, t.ptr + e0, t.len - e0);
    if (vb_buf_err(&t))
      b->err = vb_buf_err(&t);
    vb_buf_release(&t);
  }
}

/* Paragraphs of a block control, each trimmed, empty ones dropped,
 * joined by a blank line (Markdown paragraphs). */
static void block_text(const xmlNode *n, struct vb_buf *b) {
  const xmlNode *c;
  for (c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || is_w(c, "sdtPr") || is_w(c, "del"))
      continue;
    if (is_w(c, "p")) {
      size_t at = b->len, start;
      if (at)
        vb_buf_puts(b, "\n\n");
      start = b->len;
      md_paragraph(c, b);
      trim_from(b, start);
      if (b->len == start)
        vb_buf_truncate(b, at);
    } else {
      block_text(c, b);
    }
  }
}

static int has_w_p(const xmlNode *n) {
  const xmlNode *c;
  for (c = n->children; c; c = c->next)
    if (is_w(c, "p") || (c->type == XML_ELEMENT_NODE && !is_w(c, "r") &&
                         has_w_p(c)))
      return 1;
  return 0;
}

/* Every run of the content carries the placeholder style: what a control
 * shows while blank, even when an editor dropped w:showingPlcHdr. */
static int only_placeholder_runs(const xmlNode *n, int *runs) {
  const xmlNode *c;
  for (c = n->children; c; c = c->next) {
    if (is_w(c, "r")) {
      const xmlNode *rs = w_child(w_child(c, "rPr"), "rStyle");
      xmlChar *v = rs ? w_val(rs) : NULL;
      int ph = v && !strcmp((char *)v, PLACEHOLDER_STYLE);
      xmlFree(v);
      if (!ph && w_child(c, "t"))
        return 0;
      (*runs)++;
    } else if (c->type == XML_ELEMENT_NODE &&
               !only_placeholder_runs(c, runs)) {
      return 0;
    }
  }
  return 1;
}

/* ---- field paths ---- */

static int name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Parses the next segment of a path: name and [n]. Returns the length
 * consumed, 0 when malformed. */
static size_t segment(const char *s, size_t *nlen, int *idx) {
  size_t i = 0;
  long v = 0;
  while (name_char(s[i]))
    i++;
  if (i == 0 || i > MAX_SEGMENT || s[0] == '-')
    return 0;
  *nlen = i;
  *idx = 1;
  if (s[i] == '[') {
    size_t d = ++i;
    while (s[i] >= '0' && s[i] <= '9' && i - d < 5)
      v = v * 10 + (s[i++] - '0');
    if (i == d || s[d] == '0' || s[i] != ']' || v > MAX_INDEX)
      return 0;
    *idx = (int)v;
    i++;
  }
  if (s[i] && s[i] != '/')
    return 0;
  return i;
}

static struct fnode *child(struct ex *x, struct fnode *p, const char *name,
                           size_t nlen, int idx) {
  struct fnode *c;
  for (c = p->first; c; c = c->next)
    if (c->idx == idx && strlen(c->name) == nlen &&
        !memcmp(c->name, name, nlen))
      return c;
  c = vb_arena_alloc(&x->a, sizeof(*c));
  if (!c || !(c->name = vb_arena_strndup(&x->a, name, nlen))) {
    fail(x, VB_ENOMEM);
    return NULL;
  }
  c->idx = idx;
  c->text = NULL;
  c->first = c->last = c->next = NULL;
  if (p->last)
    p->last->next = c;
  else
    p->first = c;
  p->last = c;
  return c;
}

/* Checks the whole path first, so that a bad tag creates nothing. */
static int path_ok(const char *tag) {
  size_t nlen, k;
  int idx, segs = 0;
  for (;;) {
    if (!(k = segment(tag, &nlen, &idx)) || ++segs > MAX_SEGMENTS)
      return 0;
    tag += k;
    if (!*tag)
      return 1;
    tag++; /* '/' */
  }
}

static void add_field(struct ex *x, const char *tag, const char *value,
                      size_t len) {
  struct fnode *n = &x->root;
  const char *s = tag;
  size_t nlen, k;
  int idx;
  if (!path_ok(tag)) {
    diag(x, VB_C_FORM_TAG, tag, NULL);
    return;
  }
  if (++x->nfields > MAX_FIELDS) {
    char lim[16];
    snprintf(lim, sizeof(lim), "%d", MAX_FIELDS);
    if (x->nfields == MAX_FIELDS + 1)
      diag(x, VB_C_LIMIT, vb_tr(x->ctx, "số trường", "number of fields"),
           lim);
    fail(x, VB_ELIMIT);
    return;
  }
  for (;;) {
    k = segment(s, &nlen, &idx);
    if (n->text) { /* a value where a group was wanted */
      diag(x, VB_C_FORM_DUP, tag, NULL);
      return;
    }
    n = child(x, n, s, nlen, idx);
    if (!n)
      return;
    s += k;
    if (!*s)
      break;
    s++;
  }
  if (n->text || n->first) {
    diag(x, VB_C_FORM_DUP, tag, NULL);
    return;
  }
  if (!(n->text = vb_arena_strndup(&x->a, value, len)))
    fail(x, VB_ENOMEM);
}

/* ---- the document ---- */

/* The controls of the body in document order: tagged ones, and untagged
 * ones that hold no other control (a control whose tag an editor
 * dropped). An untagged control around others is a wrapper (a group, a
 * repeating section) and is looked into. */
struct controls {
  const xmlNode **v;
  size_t n, cap, tagged;
};

static xmlChar *tag_of(const xmlNode *sdt) {
  const xmlNode *t = w_child(w_child(sdt, "sdtPr"), "tag");
  xmlChar *v = t ? w_val(t) : NULL;
  if (v && !*v) {
    xmlFree(v);
    v = NULL;
  }
  return v;
}

static int has_sdt(const xmlNode *n) {
  const xmlNode *c;
  for (c = n ? n->children : NULL; c; c = c->next)
    if (is_w(c, "sdt") || (c->type == XML_ELEMENT_NODE && has_sdt(c)))
      return 1;
  return 0;
}

static void collect(struct ex *x, const xmlNode *n, struct controls *cs) {
  const xmlNode *c;
  for (c = n->children; c && x->st == VB_OK; c = c->next) {
    xmlChar *tag;
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (!is_w(c, "sdt")) {
      collect(x, c, cs);
      continue;
    }
    tag = tag_of(c);
    if (!tag && has_sdt(w_child(c, "sdtContent"))) {
      collect(x, w_child(c, "sdtContent"), cs);
      continue;
    }
    if (tag)
      cs->tagged++;
    xmlFree(tag);
    if (cs->n == cs->cap) {
      size_t cap = cs->cap ? cs->cap * 2 : 64;
      const xmlNode **v;
      if (cap > MAX_FIELDS + 1) {
        char lim[16];
        snprintf(lim, sizeof(lim), "%d", MAX_FIELDS);
        diag(x, VB_C_LIMIT, vb_tr(x->ctx, "số ô nhập", "content controls"),
             lim);
        fail(x, VB_ELIMIT);
        return;
      }
      v = vb_realloc(&x->ctx->mem, cs->v, cap * sizeof(*v));
      if (!v) {
        fail(x, VB_ENOMEM);
        return;
      }
      cs->v = v;
      cs->cap = cap;
    }
    cs->v[cs->n++] = c;
  }
}

/* Reads one control as field `tag`; `block` when the form made it a
 * multi-paragraph control. */
static void control(struct ex *x, const xmlNode *sdt, const char *tag,
                    int block, const char *hint, struct vb_buf *tmp) {
  const xmlNode *pr = w_child(sdt, "sdtPr");
  const xmlNode *content = w_child(sdt, "sdtContent");
  int runs = 0, blank;
  if (!path_ok(tag)) {
    diag(x, VB_C_FORM_TAG, tag, NULL);
    return;
  }
  blank = !content || onoff(w_child(pr, "showingPlcHdr")) ||
          (only_placeholder_runs(content, &runs) && runs > 0);
  vb_buf_truncate(tmp, 0);
  if (!blank) {
    if (has_w_p(content))
      block_text(content, tmp);
    else
      run_text(content, tmp);
    trim_from(tmp, 0);
  }
  if (vb_buf_err(tmp)) {
    fail(x, vb_buf_err(tmp));
    return;
  }
  /* an editor that dropped the placeholder state left the guidance */
  if (!blank && hint && !strcmp(tmp->ptr, hint))
    blank = 1;
  if (block && sdt->parent && is_w(sdt->parent, "p") && !blank)
    diag(x, VB_C_FORM_FLAT, tag, NULL);
  if (!blank && tmp->len)
    add_field(x, tag, tmp->ptr, tmp->len);
}

/* Splits s in place at `sep` into *out (allocated), trimming spaces;
 * returns the count, or (size_t)-1 when out of memory. */
static size_t split(struct ex *x, char *s, int sep, char ***out) {
  size_t n = 0, k = 0;
  char *p, *save = NULL, delim[2];
  *out = NULL;
  if (!s)
    return 0;
  for (p = s; *p; p++)
    if (*p != sep && (p == s || p[-1] == sep))
      n++;
  if (!n)
    return 0;
  if (!(*out = vb_calloc(&x->ctx->mem, n, sizeof(**out))))
    return (size_t)-1;
  delim[0] = (char)sep;
  delim[1] = '\0';
  for (p = strtok_r(s, delim, &save); p && k < n;
       p = strtok_r(NULL, delim, &save)) {
    size_t len = strlen(p);
    while (*p == ' ')
      p++, len--;
    while (len && p[len - 1] == ' ')
      p[--len] = '\0';
    (*out)[k++] = p;
  }
  return k;
}

/* Tagged controls by their tags; with none, untagged controls matched by
 * position with the form's list of fields (vanban-truong). Either way a
 * control whose text is still its field's placeholder (vanban-goi-y) is
 * blank: some editors drop w:showingPlcHdr. */
static void read_controls(struct ex *x, const xmlNode *body, char *list,
                          char *hints, struct vb_buf *tmp) {
  struct controls cs;
  size_t i, j, nlist, nhints;
  char a[24], b[24], **tv = NULL, **hv = NULL;
  unsigned char *blk = NULL;
  memset(&cs, 0, sizeof(cs));
  collect(x, body, &cs);
  nlist = split(x, list, ' ', &tv);
  nhints = split(x, hints, '\n', &hv);
  if (nlist == (size_t)-1 || nhints == (size_t)-1) {
    fail(x, VB_ENOMEM);
    nlist = nhints = 0;
  }
  if (x->st != VB_OK)
    goto out;
  if (nhints != nlist) /* not this form's lists: not trusted */
    nhints = 0;
  if (nlist && !(blk = vb_calloc(&x->ctx->mem, nlist, 1))) {
    fail(x, VB_ENOMEM);
    goto out;
  }
  /* a multi-paragraph field is marked with '+' */
  for (i = 0; i < nlist; i++) {
    size_t n = strlen(tv[i]);
    if (n > 1 && tv[i][n - 1] == '+') {
      tv[i][n - 1] = '\0';
      blk[i] = 1;
    }
  }
  if (cs.tagged) {
    for (i = 0; i < cs.n && x->st == VB_OK; i++) {
      xmlChar *tag = tag_of(cs.v[i]);
      const char *hint = NULL;
      for (j = 0; tag && j < nhints && !hint; j++)
        if (!strcmp(tv[j], (const char *)tag))
          hint = hv[j];
      if (tag)
        control(x, cs.v[i], (const char *)tag, 0, hint, tmp);
      xmlFree(tag);
    }
    x->ncontrols = cs.tagged;
    goto out;
  }
  if (!nlist || !cs.n)
    goto out; /* W009 from the caller */
  if (nlist != cs.n) {
    snprintf(a, sizeof(a), "%zu", cs.n);
    snprintf(b, sizeof(b), "%zu", nlist);
    diag(x, VB_C_FORM_LOST, a, b);
    fail(x, VB_EINVALID);
    x->ncontrols = cs.n;
    goto out;
  }
  for (i = 0; i < cs.n && x->st == VB_OK; i++)
    control(x, cs.v[i], tv[i], blk[i], nhints ? hv[i] : NULL, tmp);
  x->ncontrols = cs.n;
out:
  vb_mfree(&x->ctx->mem, blk);
  vb_mfree(&x->ctx->mem, tv);
  vb_mfree(&x->ctx->mem, hv);
  vb_mfree(&x->ctx->mem, cs.v);
}

/* A form or profile name as vanban writes it: ASCII kebab-case. */
static int kebab(const char *s) {
  size_t n = 0;
  for (; s[n]; n++)
    if (!name_char(s[n]) || n >= MAX_SEGMENT)
      return 0;
  return n > 0;
}

/* docProps/custom.xml: vanban-mau and vanban-the-thuc, when present and
 * well formed. */
static vb_status properties(struct ex *x, struct vb_pkg *p, char **form,
                            char **profile, char **list, char **hints) {
  xmlDocPtr doc;
  xmlNode *root, *c, *v;
  vb_status st = vb_pkg_read_xml(p, "docProps/custom.xml", 0, &doc);
  *form = *profile = *list = *hints = NULL;
  if (st == VB_EINVALID && !vb_pkg_has(p, "docProps/custom.xml"))
    return VB_OK;
  if (st != VB_OK)
    return st;
  root = xmlDocGetRootElement(doc);
  for (c = root ? root->children : NULL; c; c = c->next) {
    xmlChar *name, *val;
    char **slot;
    if (c->type != XML_ELEMENT_NODE)
      continue;
    name = xmlGetProp(c, BAD_CAST "name");
    slot = !name ? NULL
           : !strcmp((char *)name, "vanban-mau")      ? form
           : !strcmp((char *)name, "vanban-the-thuc") ? profile
           : !strcmp((char *)name, "vanban-truong")   ? list
           : !strcmp((char *)name, "vanban-goi-y")    ? hints
                                                       : NULL;
    xmlFree(name);
    for (v = c->children; v && v->type != XML_ELEMENT_NODE; v = v->next)
      ;
    if (!slot || *slot || !v)
      continue;
    val = xmlNodeGetContent(v);
    if (val && (slot == list || slot == hints || kebab((char *)val)) &&
        !(*slot = vb_arena_strdup(&x->a, (char *)val)))
      st = VB_ENOMEM;
    xmlFree(val);
  }
  xmlFreeDoc(doc);
  return st;
}

/* ---- output ---- */

static void escaped(struct vb_buf *b, const char *s, int attr) {
  for (; *s; s++) {
    switch (*s) {
    case '&':
      vb_buf_puts(b, "&amp;");
      break;
    case '<':
      vb_buf_puts(b, "&lt;");
      break;
    case '>':
      vb_buf_puts(b, "&gt;");
      break;
    case '"':
      vb_buf_puts(b, attr ? "&quot;" : "\"");
      break;
    case '\r':
      vb_buf_puts(b, "&#13;");
      break;
    default:
      vb_buf_putc(b, *s);
    }
  }
}

static void emit(struct vb_buf *b, const struct fnode *n, int depth) {
  const struct fnode *c;
  int i;
  for (c = n->first; c; c = c->next) {
    for (i = 0; i < depth; i++)
      vb_buf_puts(b, "  ");
    vb_buf_printf(b, "<%s>", c->name);
    if (c->text) {
      escaped(b, c->text, 0);
    } else {
      vb_buf_putc(b, '\n');
      emit(b, c, depth + 1);
      for (i = 0; i < depth; i++)
        vb_buf_puts(b, "  ");
    }
    vb_buf_printf(b, "</%s>\n", c->name);
  }
}

vb_status vb_extract_docx(vb_ctx *ctx, const char *name, const char *data,
                          size_t len, char **xml, size_t *xml_len) {
  struct ex x;
  struct vb_pkg *p = NULL;
  xmlDocPtr doc = NULL;
  struct vb_buf tmp, out;
  char *form = NULL, *profile = NULL, *list = NULL, *hints = NULL;
  const xmlNode *body;
  if (xml)
    *xml = NULL;
  if (xml_len)
    *xml_len = 0;
  if (!ctx || !xml || (!data && len))
    return VB_EUSAGE;
  if (!name)
    name = "-";
  memset(&x, 0, sizeof(x));
  x.ctx = ctx;
  x.name = name;
  vb_arena_init(&x.a, &ctx->mem);
  vb_buf_init(&tmp, &ctx->mem, VB_PKG_MAX_PART);
  vb_buf_init(&out, &ctx->mem, MAX_OUTPUT);
  x.st = vb_pkg_open(ctx, name, data ? data : "", len, &p);
  if (x.st == VB_OK)
    x.st = vb_pkg_read_xml(p, "word/document.xml", 1, &doc);
  if (x.st == VB_OK)
    x.st = properties(&x, p, &form, &profile, &list, &hints);
  if (x.st != VB_OK)
    goto out;
  body = w_child(xmlDocGetRootElement(doc), "body");
  if (body)
    read_controls(&x, body, list, hints, &tmp);
  if (x.st != VB_OK)
    goto out;
  if (x.ncontrols == 0) {
    diag(&x, VB_C_FORM_NONE, NULL, NULL);
    fail(&x, VB_EINVALID);
    goto out;
  }
  if (!form)
    diag(&x, VB_C_FORM_KIND, "vanban-mau", NULL);
  vb_buf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<van-ban");
  if (form) {
    vb_buf_printf(&out, " mau=\"%s\"", form);
    if (profile)
      vb_buf_printf(&out, " the-thuc=\"%s\"", profile);
  }
  vb_buf_puts(&out, ">\n");
  emit(&out, &x.root, 1);
  vb_buf_puts(&out, "</van-ban>\n");
  if (x.st == VB_OK && vb_buf_err(&out))
    x.st = vb_buf_err(&out);
  if (x.st == VB_OK)
    *xml = vb_buf_detach(&out, xml_len);
  if (x.st == VB_OK && !*xml)
    x.st = VB_ENOMEM;
out:
  if (doc)
    xmlFreeDoc(doc);
  vb_pkg_close(p);
  vb_buf_release(&tmp);
  vb_buf_release(&out);
  vb_arena_release(&x.a);
  return x.st;
}
