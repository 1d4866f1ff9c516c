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

/* A template or profile read once and kept for the later documents of the
 * context: a batch of a thousand certificates reads its files once. */
enum vb_cache_kind { VB_CACHE_TEMPLATE, VB_CACHE_PROFILE };
struct vb_cached {
  enum vb_cache_kind kind;
  const char *name;
  const void *ptr;
  struct vb_arena arena;  /* owns ptr and everything it points to */
  struct vb_cached *next;
};

struct vb_ctx {
  vb_options opt;
  vb_mem mem;
  vb_diag *diags;
  size_t ndiag, cap, nerr;
  size_t kept_err, kept_warn; /* kept of each severity, for max_errors */
  int truncated;           /* max_errors reached: later ones dropped */
  struct vb_arena strings; /* file names and arguments of diagnostics */
  char data_dir[VB_PATH_MAX];
  int data_src;            /* where data_dir came from: VB_DATA_* */
  struct vb_fonts *fonts;  /* opened on first use, kept for later docs */
  struct vb_cached *cached; /* templates and profiles read so far */
};

/* The sources of the data folder, in the order find_data_dir() tries them */
enum { VB_DATA_OPTION, VB_DATA_ENV, VB_DATA_CHECKOUT, VB_DATA_INSTALLED };

/* X043: the data file `name` of the data folder's `sub` folder ("fonts",
 * "templates/profiles") is missing; the message names it and says where
 * the data folder came from. Returns 0 when out of memory. */
int vb_data_missing(vb_ctx *ctx, const char *sub, const char *name);

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
/* file.c, the one home of file I/O: */
/* Writes all n bytes to fd, retrying on EINTR. Returns 1, or 0 on error. */
int vb_write_all(int fd, const void *p, size_t n);
/* Reads a whole file (standard input for "-") into memory from `mem`,
 * NUL-terminated. Opened non-blocking: with `regular_only` (data files:
 * fonts, profiles) anything but a regular file is refused (VB_EIO, errno
 * EINVAL), so that a FIFO cannot hang the call; otherwise a FIFO or a
 * device is read as it comes. A folder is VB_EIO with EISDIR. More than
 * `limit` bytes: VB_ELIMIT. VB_EIO with errno set, VB_ENOMEM. */
vb_status vb_read_file(const vb_mem *mem, const char *path, size_t limit,
                       int regular_only, char **data, size_t *len);
/* 1 when `path` is a regular file that can be opened for reading (opened
 * non-blocking, so a FIFO does not hang the check); else 0, errno set. */
int vb_file_is_regular(const char *path);
/* Reads a template or profile into an arena of its own with `load`, once
 * per context: the entry is kept when the load succeeded, dropped (with
 * the diagnostics it recorded) when it failed. */
struct vb_elem;
typedef vb_status (*vb_cache_loader)(vb_ctx *ctx, struct vb_arena *a,
                                     const char *name, const char *file,
                                     const struct vb_elem *at,
                                     const void **out);
vb_status vb_ctx_load(vb_ctx *ctx, enum vb_cache_kind kind, const char *name,
                      const char *file, const struct vb_elem *at,
                      vb_cache_loader load, const void **out);
/* The fonts of the data folder, opened once. */
vb_status vb_ctx_fonts(vb_ctx *ctx, struct vb_fonts **out);

#endif
