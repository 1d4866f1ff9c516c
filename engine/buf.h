/* buf.h - growable byte buffer: always NUL-terminated, 1.5x growth,
 * a per-instance size limit and a sticky error checked once at the end. */
#ifndef VB_BUF_H
#define VB_BUF_H

#include <stddef.h>
#include <stdarg.h>
#include "vanban.h"

struct vb_buf {
  const vb_mem *mem;
  char *ptr;    /* never NULL: a static "" until the first append */
  size_t len, cap;
  size_t limit; /* the buffer never grows past this many bytes */
  vb_status err; /* VB_OK, VB_ENOMEM or VB_ELIMIT; sticky */
};

void vb_buf_init(struct vb_buf *b, const vb_mem *mem, size_t limit);
void vb_buf_release(struct vb_buf *b);
void vb_buf_put(struct vb_buf *b, const void *data, size_t len);
void vb_buf_puts(struct vb_buf *b, const char *s);
void vb_buf_putc(struct vb_buf *b, int c);
void vb_buf_printf(struct vb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vb_buf_vprintf(struct vb_buf *b, const char *fmt, va_list ap);
void vb_buf_truncate(struct vb_buf *b, size_t len);
/* Takes the bytes out; the buffer is empty afterwards. NULL on error.
 * The caller frees the result with the buffer's allocator. */
char *vb_buf_detach(struct vb_buf *b, size_t *len);
static inline vb_status vb_buf_err(const struct vb_buf *b) { return b->err; }

#endif
