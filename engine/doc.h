/* doc.h - the document handle: the validated input, then its tree. */
#ifndef VB_DOC_H
#define VB_DOC_H

#include "ctx.h"
#include "check.h"

struct vb_doc {
  vb_ctx *ctx;
  vb_mem mem;             /* a copy of the context's: vb_doc_free() needs
                             nothing of the context, whatever the order */
  struct vb_arena input;  /* the input model and the validated values */
  struct vb_checked chk;  /* template, record and values, read by compose */
  int composed;           /* tree built: the document can be rendered */
  int form;               /* a form to fill in (vb_form_new()) */
  /* vb_doc_get_info()'s names, copied from the context's template and
   * profile */
  const char *kind, *profile, *type_key, *type_name, *type_code;
  int party;
  int failed;             /* composing failed: the tree is not usable */
  struct vb_tree tree;
};

#endif
