/* markdown.h - the body of a document, written in Markdown, into body
 * paragraphs of the document tree (markdown.c; md4c only there). */
#ifndef VB_MARKDOWN_H
#define VB_MARKDOWN_H

#include "input.h"
#include "node.h"
#include "profile.h"

/* Appends the blocks of the Markdown text of `src` to `parent`, in the
 * body styles of profile `p`; paragraphs keep the input line they come
 * from. VB_OK, VB_ENOMEM, VB_ELIMIT, or VB_EINVALID (X010 recorded) when
 * md4c gives up. */
vb_status vb_markdown_blocks(vb_ctx *ctx, const char *file,
                             struct vb_arena *a, const struct vb_profile *p,
                             const struct vb_elem *src,
                             struct vb_node *parent);

#endif
