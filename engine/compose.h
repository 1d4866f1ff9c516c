/* compose.h - turning a validated document into the document tree: the
 * page setup, the parts written in C (header, title block, căn cứ,
 * signature) and the helpers the template expansion (template.c) builds
 * with. */
#ifndef VB_COMPOSE_H
#define VB_COMPOSE_H

#include "buf.h"
#include "check.h"
#include "markdown.h"
#include "node.h"

/* One composition in progress. */
struct composer {
  vb_ctx *ctx;
  const struct vb_plan *p;         /* values of the C parts */
  const struct vb_profile *pr;     /* may be NULL for a kind without one */
  const struct vb_checked *chk;    /* the template and the record */
  struct vb_fonts *fonts;
  struct vb_tree *t;
  struct vb_arena *a;
  int text_width;
  int form;                        /* a blank form: fields as controls */
  vb_status st;
};

/* Builds t (arena already initialised) from a validated document by
 * expanding its template's layout. Records V060 for characters the font
 * lacks. Returns VB_OK, VB_EINVALID, VB_ENOMEM or VB_ELIMIT. */
vb_status vb_compose(vb_ctx *ctx, const struct vb_checked *chk,
                     struct vb_fonts *fonts, struct vb_tree *t);
/* The same as a form to fill in: the template's <bo-cuc-mau> (or its
 * layout), every value a field (a Word content control, dots in the PDF),
 * prefilled with the values of `chk`. */
vb_status vb_compose_form(vb_ctx *ctx, const struct vb_checked *chk,
                          struct vb_fonts *fonts, struct vb_tree *t);

/* Appends the part `name` (tieu-de, ten-loai, can-cu, chu-ky) to the
 * document; 0 when there is no such part. */
int vb_compose_part(struct composer *c, const char *name);
/* A paragraph appended to parent; NULL (c->st set) when out of memory. */
struct vb_node *vb_compose_para(struct composer *c, struct vb_node *parent,
                                enum vb_role role, enum vb_align align,
                                int size, const struct vb_elem *src);
/* A centred rule appended to parent. */
void vb_compose_rule(struct composer *c, struct vb_node *parent, int length,
                     int before, int after);
/* Width in twips of text in a face and size. */
int vb_compose_width(struct composer *c, unsigned flags, int size,
                     const char *s);

/* Wraps, then shrinks paragraph p (laid out `width` twips wide) from its
 * size down to n->fit_min until it takes at most n->fit_lines lines, the
 * same size for all its runs; too long even then is V130 at the value it
 * prints (from `scope`). */
void vb_compose_fit(struct composer *c, struct vb_node *p,
                    const struct vb_lnode *n, const struct vb_value *scope,
                    int width);
/* The document's number and symbol as the header prints it after "Số":
 * "15/QĐ-UBND" (NĐ 30), "15-QĐ/HU" (HD 36); blanks for the number while the
 * register has not given one; "" for a kind without a type. */
void vb_compose_number(struct composer *c, struct vb_buf *b);

/* Expands a template layout into c->t (template.c). */
vb_status vb_template_expand(struct composer *c, const struct vb_lnode *n);




#endif
