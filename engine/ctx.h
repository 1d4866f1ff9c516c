/* ctx.h - the context and the document: internal definitions shared by
 * the stages. */
#ifndef VB_CTX_H
#define VB_CTX_H

#include "font.h"
#include "mem.h"
#include "node.h"
#include "vanban.h"

/* A path under the data folder fits in this many bytes. */
#define VB_PATH_MAX 4096

/* Profiles a context keeps (nd30, hd36, mttq and a few of an office's). */
#define VB_KEPT_PROFILES 8

struct vb_profile;

struct vb_ctx {
  vb_options opt;
  vb_mem mem;
  vb_diag *diags;
  size_t ndiag, cap, nerr;
  int truncated;           /* max_errors reached: later ones dropped */
  struct vb_arena strings; /* file names and arguments of diagnostics */
  char data_dir[VB_PATH_MAX];
  struct vb_fonts *fonts;  /* opened on first use, kept for later docs */
  /* Profiles read once and kept, for a batch of many records (set by
   * vb_batch_new()); otherwise every document reads its own. */
  int keep_profiles;
  struct vb_arena profiles;
  struct {
    const char *name;
    const struct vb_profile *p;
  } kept[VB_KEPT_PROFILES];
  size_t nkept;
};


/* Records a diagnostic (severity from the code's table entry). Arguments
 * are copied. Returns 0 when out of memory. */
int vb_diag_add(vb_ctx *ctx, vb_code code, const char *file, unsigned line,
                unsigned col, const char *a0, const char *a1);
/* The same, naming the input element the diagnostic is about. */
int vb_diag_add_field(vb_ctx *ctx, vb_code code, const char *file,
                      unsigned line, unsigned col, const char *field,
                      const char *a0, const char *a1);
/* The same for a cell of a list: `row` as a spreadsheet numbers it,
 * `col` 1-based (0: the whole row), `column` its field name or letter
 * (NULL: the whole row). */
int vb_diag_add_cell(vb_ctx *ctx, vb_code code, const char *file,
                     unsigned row, unsigned col, const char *column,
                     const char *a0, const char *a1);
/* Severity a code is reported with. */
vb_severity vb_code_severity(vb_code code);
/* The message format of a code ("%s" arguments), in a language. */
const char *vb_code_format(vb_code code, vb_lang lang);
/* The Vietnamese or the English text, by the context's language: for
 * message arguments that are words, not quotes of the input. */
const char *vb_tr(const vb_ctx *ctx, const char *vi, const char *en);
/* Writes all n bytes to fd, retrying on EINTR. Returns 1, or 0 on error. */
int vb_write_all(int fd, const void *p, size_t n);
/* The fonts of the data folder, opened once. */
vb_status vb_ctx_fonts(vb_ctx *ctx, struct vb_fonts **out);

#endif
