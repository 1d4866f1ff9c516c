/* counting_alloc.h - the counting allocator of the allocation-failure
 * tests (expat alloc_tests.c style): once armed, the fail_at-th allocation
 * (1-based) is refused; live counts the blocks not yet freed, so that a
 * test can assert nothing leaked. Pass a struct counter as vb_mem.user. */
#ifndef VB_COUNTING_ALLOC_H
#define VB_COUNTING_ALLOC_H

#include <stdlib.h>

struct counter {
  long n;       /* allocations attempted since armed */
  long fail_at; /* fail this one (1-based); 0: never */
  long live;    /* allocations not yet freed */
  int armed;
  long failed;  /* how many were refused */
};

static inline int c_refuse(struct counter *c) {
  if (c->armed && ++c->n == c->fail_at) {
    c->failed++;
    return 1;
  }
  return 0;
}

static inline void *c_malloc(size_t size, void *user) {
  struct counter *c = user;
  void *p;
  if (c_refuse(c))
    return NULL;
  p = malloc(size);
  if (p)
    c->live++;
  return p;
}

static inline void *c_realloc(void *ptr, size_t size, void *user) {
  struct counter *c = user;
  void *p;
  if (c_refuse(c))
    return NULL;
  p = realloc(ptr, size);
  if (p && !ptr)
    c->live++;
  return p;
}

static inline void c_free(void *ptr, void *user) {
  struct counter *c = user;
  if (ptr)
    c->live--;
  free(ptr);
}

#endif
