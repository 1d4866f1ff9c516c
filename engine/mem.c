/* mem.c - allocator vtable and the per-document bump arena. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "mem.h"

static void *std_malloc(size_t n, void *u) { (void)u; return malloc(n); }
static void *std_realloc(void *p, size_t n, void *u) {
  (void)u;
  return realloc(p, n);
}
static void std_free(void *p, void *u) { (void)u; free(p); }

const vb_mem vb_mem_default = {std_malloc, std_realloc, std_free, NULL};

void *vb_malloc(const vb_mem *m, size_t n) {
  return m->malloc(n ? n : 1, m->user);
}

void *vb_calloc(const vb_mem *m, size_t count, size_t size) {
  void *p;
  if (size && count > SIZE_MAX / size)
    return NULL;
  p = vb_malloc(m, count * size);
  if (p)
    memset(p, 0, count * size);
  return p;
}

void *vb_realloc(const vb_mem *m, void *p, size_t n) {
  return m->realloc(p, n ? n : 1, m->user);
}

void vb_mfree(const vb_mem *m, void *p) {
  if (p)
    m->free(p, m->user);
}

/* Chunks grow from 16 KiB; a request larger than a chunk gets its own. */
#define ARENA_CHUNK 16384
#define ARENA_ALIGN 16

struct vb_arena_chunk {
  struct vb_arena_chunk *next;
  size_t used, cap;
  _Alignas(ARENA_ALIGN) unsigned char data[];
};

void vb_arena_init(struct vb_arena *a, const vb_mem *mem) {
  a->mem = mem;
  a->head = NULL;
  a->failed = 0;
}

void vb_arena_release(struct vb_arena *a) {
  struct vb_arena_chunk *c = a->head, *next;
  while (c) {
    next = c->next;
    vb_mfree(a->mem, c);
    c = next;
  }
  a->head = NULL;
}

void *vb_arena_alloc(struct vb_arena *a, size_t n) {
  struct vb_arena_chunk *c = a->head;
  void *p;
  n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  if (n == 0)
    n = ARENA_ALIGN;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    if (cap > SIZE_MAX - sizeof(*c)) {
      a->failed = 1;
      return NULL;
    }
    c = vb_malloc(a->mem, sizeof(*c) + cap);
    if (!c) {
      a->failed = 1;
      return NULL;
    }
    c->used = 0;
    c->cap = cap;
    c->next = a->head;
    a->head = c;
  }
  p = c->data + c->used;
  c->used += n;
  memset(p, 0, n);
  return p;
}

char *vb_arena_strndup(struct vb_arena *a, const char *s, size_t len) {
  char *p;
  if (len == SIZE_MAX)
    return NULL;
  p = vb_arena_alloc(a, len + 1);
  if (!p)
    return NULL;
  if (len)
    memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *vb_arena_strdup(struct vb_arena *a, const char *s) {
  return vb_arena_strndup(a, s, strlen(s));
}
