/* render_tree.c - indented text dump of the document tree, used by golden
 * tests and `vanban render --format tree`. */
#include "render.h"

static void indent(struct vb_buf *b, int depth) {
  int i;
  for (i = 0; i < depth; i++)
    vb_buf_puts(b, "  ");
}

static const char *const align_names[] = {"left", "center", "right",
                                          "justify"};

static void para(struct vb_buf *b, const struct vb_pstyle *p) {
  vb_buf_printf(b, " %s %s sz=%d", vb_role_name(p->role),
                align_names[p->align & 3], p->size);
  if (p->first_indent)
    vb_buf_printf(b, " first=%d", p->first_indent);
  if (p->indent_left)
    vb_buf_printf(b, " left=%d", p->indent_left);
  if (p->space_before)
    vb_buf_printf(b, " before=%d", p->space_before);
  if (p->space_after)
    vb_buf_printf(b, " after=%d", p->space_after);
  if (p->line != 240)
    vb_buf_printf(b, " line=%d", p->line);
  if (p->keep_next)
    vb_buf_puts(b, " keep-next");
  if (p->keep_lines)
    vb_buf_puts(b, " keep-lines");
}

static const char *const field_kinds[] = {"text", "date", "choice",
                                          "multiline"};

/* field tag="..." kind=... [blank]; a form's name on the page line. */
static void field(struct vb_buf *b, const struct vb_node *n) {
  vb_buf_puts(b, " tag=\"");
  vb_buf_puts(b, n->as.field.tag ? n->as.field.tag : "");
  vb_buf_printf(b, "\" kind=%s",
                (unsigned)n->as.field.kind < 4 ? field_kinds[n->as.field.kind]
                                               : "?");
  if (n->type == VB_NODE_FIELD_BLOCK && n->as.field.blank_lines)
    vb_buf_printf(b, " lines=%d", n->as.field.blank_lines);
  if (n->type == VB_NODE_FIELD && n->as.field.blank_width)
    vb_buf_printf(b, " width=%d", n->as.field.blank_width);
  if (!n->first)
    vb_buf_puts(b, " blank");
}

vb_status vb_render_tree(const struct vb_tree *t, struct vb_buf *out) {
  struct vb_iter it;
  const struct vb_node *n;
  int depth = 0, i;
  vb_buf_printf(out, "page %dx%d margins %d %d %d %d number=%d from %d\n",
                t->page.width, t->page.height, t->page.margin_top,
                t->page.margin_right, t->page.margin_bottom,
                t->page.margin_left, t->page.page_number_size,
                t->page.page_number_from);
  if (t->form)
    vb_buf_printf(out, "form %s profile %s\n", t->form,
                  t->form_profile ? t->form_profile : "-");
  vb_iter_init(&it, t->root);
  while (vb_iter_next(&it) != VB_EVENT_DONE) {
    n = vb_iter_node(&it);
    if (it.ev == VB_EVENT_EXIT) {
      depth--;
      continue;
    }
    indent(out, depth++);
    vb_buf_puts(out, vb_node_type_name(n->type));
    switch (n->type) {
    case VB_NODE_PARAGRAPH:
      para(out, &n->as.para);
      break;
    case VB_NODE_TEXT:
      vb_buf_printf(out, "%s%s%s", n->as.text.flags & VB_RUN_BOLD ? " b" : "",
                    n->as.text.flags & VB_RUN_ITALIC ? " i" : "",
                    n->as.text.flags & VB_RUN_UNDERLINE ? " u" : "");
      if (n->as.text.size)
        vb_buf_printf(out, " sz=%d", n->as.text.size);
      vb_buf_puts(out, " \"");
      vb_buf_put(out, n->as.text.text, n->as.text.len);
      vb_buf_putc(out, '"');
      break;
    case VB_NODE_RULE:
      vb_buf_printf(out, " len=%d thick=%d %s before=%d after=%d",
                    n->as.rule.length, n->as.rule.thickness,
                    align_names[n->as.rule.align & 3], n->as.rule.space_before,
                    n->as.rule.space_after);
      break;
    case VB_NODE_TABLE:
      vb_buf_printf(out, " cols=%d indent=%d widths=", n->as.table.ncols,
                    n->as.table.indent);
      for (i = 0; i < n->as.table.ncols; i++)
        vb_buf_printf(out, "%s%d", i ? "," : "", n->as.table.widths[i]);
      if (n->as.table.flags & VB_TABLE_BORDERS)
        vb_buf_puts(out, " borders");
      if (n->as.table.flags & VB_TABLE_KEEP_TOGETHER)
        vb_buf_puts(out, " keep-together");
      break;
    case VB_NODE_ROW:
      if (n->as.row.header)
        vb_buf_puts(out, " header");
      break;
    case VB_NODE_CELL:
      if (n->as.cell.valign_bottom)
        vb_buf_puts(out, " bottom");
      break;
    case VB_NODE_FIELD:
    case VB_NODE_FIELD_BLOCK:
      field(out, n);
      break;
    default:
      break;
    }
    vb_buf_putc(out, '\n');
  }
  return vb_buf_err(out);
}
