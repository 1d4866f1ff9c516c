/* node.c - the document tree: creation, shape rules, checks, iteration. */
#include <string.h>

#include "node.h"

struct vb_node *vb_node_new(struct vb_arena *a, enum vb_node_type type) {
  struct vb_node *n = vb_arena_alloc(a, sizeof(*n));
  if (n)
    n->type = type;
  return n;
}

static int is_block(enum vb_node_type t) {
  return t >= VB_NODE_FIRST_BLOCK && t <= VB_NODE_LAST_BLOCK;
}

static int is_inline(enum vb_node_type t) {
  return t >= VB_NODE_FIRST_INLINE && t <= VB_NODE_LAST_INLINE;
}

int vb_node_can_contain(enum vb_node_type parent, enum vb_node_type child) {
  switch (parent) {
  case VB_NODE_DOCUMENT:
    return is_block(child) && child != VB_NODE_ROW && child != VB_NODE_CELL;
  case VB_NODE_FIELD_BLOCK:
    return child == VB_NODE_PARAGRAPH;
  case VB_NODE_TABLE:
    return child == VB_NODE_ROW;
  case VB_NODE_ROW:
    return child == VB_NODE_CELL;
  case VB_NODE_CELL:
    return child == VB_NODE_PARAGRAPH || child == VB_NODE_RULE ||
           child == VB_NODE_FIELD_BLOCK;
  case VB_NODE_PARAGRAPH:
    return is_inline(child);
  case VB_NODE_FIELD:
    return child == VB_NODE_TEXT || child == VB_NODE_LINE_BREAK;
  default:
    return 0;
  }
}

int vb_node_append(struct vb_node *parent, struct vb_node *child) {
  if (!parent || !child || child->parent ||
      !vb_node_can_contain(parent->type, child->type))
    return 0;
  child->parent = parent;
  child->prev = parent->last;
  child->next = NULL;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
  return 1;
}

/* A field needs a tag (extract finds it by that), a kind that fits its
 * node, and the choices it promises. */
static int field_ok(const struct vb_node *n) {
  const struct vb_node *p = n->parent;
  size_t i;
  if (!n->as.field.tag || !*n->as.field.tag || n->as.field.blank_width < 0 ||
      n->as.field.blank_lines < 0)
    return 0;
  if (n->type == VB_NODE_FIELD_BLOCK
          ? n->as.field.kind != VB_FIELD_MULTILINE
          : (n->as.field.kind < VB_FIELD_TEXT ||
             n->as.field.kind > VB_FIELD_CHOICE))
    return 0;
  if (n->as.field.kind == VB_FIELD_CHOICE) {
    if (!n->as.field.choices || !n->as.field.nchoices)
      return 0;
    for (i = 0; i < n->as.field.nchoices; i++)
      if (!n->as.field.choices[i] || !*n->as.field.choices[i])
        return 0;
  }
  /* fields do not nest */
  for (; p; p = p->parent)
    if (p->type == VB_NODE_FIELD || p->type == VB_NODE_FIELD_BLOCK)
      return 0;
  return 1;
}

int vb_node_check(const struct vb_node *root) {
  struct vb_iter it;
  const struct vb_node *n, *c;
  int cells;
  if (!root || root->type != VB_NODE_DOCUMENT || root->parent)
    return 0;
  vb_iter_init(&it, root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    n = vb_iter_node(&it);
    if (it.ev != VB_EVENT_ENTER)
      continue;
    cells = 0;
    for (c = n->first; c; c = c->next) {
      if (c->parent != n || !vb_node_can_contain(n->type, c->type))
        return 0;
      if (c->prev ? c->prev->next != c : n->first != c)
        return 0;
      if (!c->next && n->last != c)
        return 0;
      cells++;
    }
    if (n->type == VB_NODE_TEXT && (!n->as.text.text ||
                                    strlen(n->as.text.text) != n->as.text.len))
      return 0;
    if ((n->type == VB_NODE_FIELD || n->type == VB_NODE_FIELD_BLOCK) &&
        !field_ok(n))
      return 0;
    if (n->type == VB_NODE_TABLE &&
        (n->as.table.ncols <= 0 || !n->as.table.widths))
      return 0;
    if (n->type == VB_NODE_ROW && n->parent &&
        cells != n->parent->as.table.ncols)
      return 0;
  }
  return 1;
}

static const char *const type_names[] = {
    "none", "document", "paragraph", "rule", "table", "row",
    "cell", "page-break", "field-block", "text", "line-break", "field"};

const char *vb_node_type_name(enum vb_node_type t) {
  if ((unsigned)t < sizeof(type_names) / sizeof(type_names[0]))
    return type_names[t];
  return "?";
}

static const char *const role_names[VB_ROLE_COUNT] = {
    "", "quoc-hieu", "tieu-ngu", "chu-quan", "co-quan", "sao",
    "so-ky-hieu", "dia-danh", "ten-loai", "trich-yeu", "can-cu", "body",
    "heading1", "heading2", "heading3", "list-item", "noi-nhan-label",
    "noi-nhan-group", "noi-nhan-item", "quyen-han", "chuc-vu", "chu-ky",
    "ho-ten"};

const char *vb_role_name(enum vb_role r) {
  if ((unsigned)r < VB_ROLE_COUNT)
    return role_names[r];
  return "?";
}

/* The next inline of a paragraph in reading order: into a field's value,
 * and out of it again. */
static const struct vb_node *next_inline(const struct vb_node *para,
                                         const struct vb_node *c) {
  if (c->type == VB_NODE_FIELD && c->first)
    return c->first;
  while (!c->next && c->parent && c->parent != para)
    c = c->parent;
  return c->next;
}

size_t vb_node_text(const struct vb_node *para, char *buf, size_t cap) {
  const struct vb_node *c;
  size_t n = 0, k;
  for (c = para->first; c; c = next_inline(para, c)) {
    if (c->type == VB_NODE_FIELD)
      continue;
    const char *s = c->type == VB_NODE_TEXT ? c->as.text.text : "\n";
    size_t len = c->type == VB_NODE_TEXT ? c->as.text.len : 1;
    if (n < cap) {
      k = cap - n - 1 < len ? cap - n - 1 : len;
      memcpy(buf + n, s, k);
      buf[n + k] = '\0';
    }
    n += len;
  }
  if (cap && !para->first)
    buf[0] = '\0';
  return n;
}

void vb_iter_init(struct vb_iter *it, const struct vb_node *root) {
  it->root = root;
  it->cur = NULL;
  it->ev = VB_EVENT_DONE;
}

/* Every node is entered, then (after its children) exited. */
enum vb_event vb_iter_next(struct vb_iter *it) {
  if (!it->cur) {
    if (it->ev != VB_EVENT_DONE || !it->root)
      return VB_EVENT_DONE;
    it->cur = it->root;
    return it->ev = VB_EVENT_ENTER;
  }
  if (it->ev == VB_EVENT_ENTER && it->cur->first) {
    it->cur = it->cur->first;
    return it->ev = VB_EVENT_ENTER;
  }
  if (it->ev == VB_EVENT_ENTER)
    return it->ev = VB_EVENT_EXIT;
  if (it->cur == it->root) {
    it->cur = NULL;
    it->root = NULL;
    return it->ev = VB_EVENT_DONE;
  }
  if (it->cur->next) {
    it->cur = it->cur->next;
    return it->ev = VB_EVENT_ENTER;
  }
  it->cur = it->cur->parent;
  return it->ev = VB_EVENT_EXIT;
}

struct vb_node *vb_add_run(struct vb_arena *a, struct vb_node *para,
                           const char *s, size_t len, unsigned flags,
                           int size) {
  struct vb_node *n = vb_node_new(a, VB_NODE_TEXT);
  if (!n || !(n->as.text.text = vb_arena_strndup(a, s, len)))
    return NULL;
  n->as.text.len = len;
  n->as.text.flags = flags;
  n->as.text.size = size;
  n->line = para->line;
  n->col = para->col;
  return vb_node_append(para, n) ? n : NULL;
}
