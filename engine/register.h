/* register.h - what the register (register.c) shares inside the library:
 * export.c reads it through the public vb_register_list() and needs only
 * its context. */
#ifndef VB_REGISTER_H
#define VB_REGISTER_H

#include "ctx.h"

/* The context the register was opened with (allocator, diagnostics). */
vb_ctx *vb_register_ctx(const vb_register *reg);

#endif
