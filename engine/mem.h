/* mem.h - allocator vtable and the per-document arena. */
#ifndef VB_MEM_H
#define VB_MEM_H

#include <stddef.h>
#include "vanban.h"

/* The default allocator: the C library's, returning NULL on failure. */
extern const vb_mem vb_mem_default;

void *vb_malloc(const vb_mem *m, size_t n);
void *vb_calloc(const vb_mem *m, size_t count, size_t size);
void *vb_realloc(const vb_mem *m, void *p, size_t n);
void vb_mfree(const vb_mem *m, void *p);

/* A bump arena: many small allocations, freed together. Allocation
 * failure is sticky: once it fails, vb_arena_failed() stays true. */
struct vb_arena_chunk;
struct vb_arena {
  const vb_mem *mem;
  struct vb_arena_chunk *head;
  int failed;
};

void vb_arena_init(struct vb_arena *a, const vb_mem *mem);
void vb_arena_release(struct vb_arena *a);
/* Returns zeroed memory aligned for any type, or NULL. */
void *vb_arena_alloc(struct vb_arena *a, size_t n);
/* Copies len bytes and adds a NUL. */
char *vb_arena_strndup(struct vb_arena *a, const char *s, size_t len);
char *vb_arena_strdup(struct vb_arena *a, const char *s);

#endif
