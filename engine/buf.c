/* buf.c - growable byte buffer (see buf.h). */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#include "buf.h"
#include "mem.h"

static char empty[1];

void vb_buf_init(struct vb_buf *b, const vb_mem *mem, size_t limit) {
  b->mem = mem;
  b->ptr = empty;
  b->len = b->cap = 0;
  b->limit = limit;
  b->err = VB_OK;
}

void vb_buf_release(struct vb_buf *b) {
  if (b->cap)
    vb_mfree(b->mem, b->ptr);
  b->ptr = empty;
  b->len = b->cap = 0;
}

static int grow(struct vb_buf *b, size_t add) {
  size_t need, cap;
  char *p;
  if (b->err)
    return 0;
  if (add > b->limit || b->len > b->limit - add) {
    b->err = VB_ELIMIT;
    return 0;
  }
  need = b->len + add + 1;
  if (need <= b->cap)
    return 1;
  cap = b->cap ? b->cap + b->cap / 2 : 256;
  if (cap < need)
    cap = need;
  if (b->limit < SIZE_MAX && cap > b->limit + 1)
    cap = b->limit + 1;
  p = vb_realloc(b->mem, b->cap ? b->ptr : NULL, cap);
  if (!p) {
    b->err = VB_ENOMEM;
    return 0;
  }
  b->ptr = p;
  b->cap = cap;
  return 1;
}

void vb_buf_put(struct vb_buf *b, const void *data, size_t len) {
  if (!len || !grow(b, len))
    return;
  memcpy(b->ptr + b->len, data, len);
  b->len += len;
  b->ptr[b->len] = '\0';
}

void vb_buf_puts(struct vb_buf *b, const char *s) {
  vb_buf_put(b, s, strlen(s));
}

void vb_buf_putc(struct vb_buf *b, int c) {
  char ch = (char)c;
  vb_buf_put(b, &ch, 1);
}

void vb_buf_vprintf(struct vb_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  int n;
  va_copy(ap2, ap);
  n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n <= 0 || !grow(b, (size_t)n))
    return;
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void vb_buf_printf(struct vb_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vb_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void vb_buf_truncate(struct vb_buf *b, size_t len) {
  if (len < b->len) {
    b->len = len;
    b->ptr[len] = '\0';
  }
}

char *vb_buf_detach(struct vb_buf *b, size_t *len) {
  char *p;
  if (b->err) {
    vb_buf_release(b);
    return NULL;
  }
  if (!b->cap) {
    p = vb_malloc(b->mem, 1);
    if (!p) {
      b->err = VB_ENOMEM;
      return NULL;
    }
    p[0] = '\0';
  } else {
    p = b->ptr;
  }
  if (len)
    *len = b->len;
  b->ptr = empty;
  b->len = b->cap = 0;
  return p;
}
