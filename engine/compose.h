/* compose.h - turning a validated plan into the document tree. */
#ifndef VB_COMPOSE_H
#define VB_COMPOSE_H

#include "node.h"
#include "plan.h"

/* Builds t (arena already initialised) from a validated plan. Records V060
 * for characters the font lacks. Returns VB_OK, VB_EINVALID, VB_ENOMEM or
 * VB_ELIMIT. */
vb_status vb_compose_plan(vb_ctx *ctx, const struct vb_plan *p,
                          struct vb_fonts *fonts, struct vb_tree *t);

/* Paragraph style of a body role (body, headings, list items, căn cứ) in a
 * profile. */
void vb_body_style(const struct vb_profile *p, enum vb_role role,
                   struct vb_pstyle *st);

/* Appends the blocks of a Markdown body to `parent` (markdown.c). */
vb_status vb_markdown_blocks(vb_ctx *ctx, const char *file,
                             struct vb_arena *a, const struct vb_profile *p,
                             const struct vb_elem *src,
                             struct vb_node *parent);

/* Appends a text run to a paragraph; NULL when out of memory. */
struct vb_node *vb_add_run(struct vb_arena *a, struct vb_node *para,
                           const char *s, size_t len, unsigned flags,
                           int size);

#endif
