/* check.h - what the validator (validate.c) and the named checks
 * (checks.c) share: the state of one validation, and its result. */
#ifndef VB_CHECK_H
#define VB_CHECK_H

#include "form.h"
#include "plan.h"

/* Dates a document can carry: the state's founding year, and a bound that
 * catches typing slips ("20234"). */
#define VB_MIN_YEAR 1945
#define VB_MAX_YEAR 2999

/* The result of validating one input against its template. */
struct vb_checked {
  const struct vb_template *t;
  struct vb_value *rec;        /* the record of clean values */
  const struct vb_profile *profile;
  const struct vb_doctype *type; /* NULL when the kind takes no number */
  const char *id, *secret;
  struct vb_plan plan;         /* the values the C parts print */
};

struct vb_checker {
  vb_ctx *ctx;
  struct vb_arena *a;
  const char *file;
  const struct vb_template *t;
  const struct vb_elem *root;
  struct vb_value *rec;
  const struct vb_profile *profile;
  const struct vb_doctype *type;
  const char *id, *secret;
  struct vb_plan *plan;
  int draft;
  int ok_alloc;
};

/* Checks `root` against template `t` and fills *out (strings in `a`).
 * Every violation is recorded; VB_EINVALID when any is an error. A
 * `draft` (the values to prefill a blank form with) may leave out what is
 * required, and its named checks do not run. */
vb_status vb_validate(vb_ctx *ctx, struct vb_arena *a, const char *file,
                      const struct vb_template *t, const struct vb_elem *root,
                      int draft, struct vb_checked *out);

/* Lists named instead of written out (attach.c): for every repeated group
 * declared tu-tep="ATTR", when the element holding it has the attribute
 * ATTR, reads that CSV or XLSX file (relative to the folder of `file`) and
 * adds one element per row under that element, each cell a child element,
 * all carrying the file, row and column for messages. Problems are
 * recorded (V110, V111, the list reader's B codes); returns VB_OK to go on
 * validating, or VB_ENOMEM. */
vb_status vb_attach_lists(vb_ctx *ctx, struct vb_arena *a, const char *file,
                          const struct vb_template *t, struct vb_elem *root);

/* For named checks: record a diagnostic at an element; translate; upper. */
void vb_check_diag(struct vb_checker *c, vb_code code,
                   const struct vb_elem *at, const char *a0, const char *a1);
const char *vb_check_tr(struct vb_checker *c, const char *vi, const char *en);
const char *vb_check_upper(struct vb_checker *c, const char *s);
/* Gives the top-level field `name` the value `text` (adding it when the
 * input has none), e.g. a Kính gửi derived from the unit's level. */
struct vb_value *vb_check_set(struct vb_checker *c, const char *name,
                              const char *text);

#endif
