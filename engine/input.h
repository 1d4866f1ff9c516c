/* input.h - the input model: the XML element tree, copied out of libxml2
 * with positions, text in NFC. Generic: every form reads the same model. */
#ifndef VB_INPUT_H
#define VB_INPUT_H

#include <stddef.h>
#include "ctx.h"

/* The limits of one input, VB_MAX_INPUT_BYTES, VB_MAX_DEPTH and
 * VB_MAX_ELEMENTS, are public: vanban.h, with their reasons. */

/* The first word of s[0..len) that looks typed in a legacy TCVN3 or VNI
 * encoding ("Céng hßa", "Coäng hoøa"), as [*ws, *we); 0 when none. */
int vb_find_legacy(const char *s, size_t len, size_t *ws, size_t *we);

struct vb_attr {
  const char *name, *value;
  unsigned line, col;
  struct vb_attr *next;
};

struct vb_elem {
  const char *name;
  const char *text;  /* direct character data, NFC, NUL-terminated */
  size_t len;
  unsigned line, col;       /* of the start tag */
  unsigned text_line;       /* line where the character data starts */
  struct vb_attr *attrs;
  struct vb_elem *parent, *first, *last, *next;
  const char *file;  /* read from a list file (attach.c): its name, line
                        the row and col the column; NULL: the input */
};

/* Parses XML into an element tree in `arena`. DTDs, entities and network
 * access are refused. Malformed input: one diagnostic and VB_EINVALID. */
vb_status vb_input_read(vb_ctx *ctx, struct vb_arena *arena, const char *name,
                        const char *data, size_t len, struct vb_elem **root);

/* The same from a file. VB_EIO when it cannot be read (no diagnostic when
 * `quiet_io`, for an optional file); a file over the input limit is X009. */
vb_status vb_input_read_file(vb_ctx *ctx, struct vb_arena *arena,
                             const char *path, struct vb_elem **root,
                             int quiet_io);

/* The same, and with `mixed` the text between elements is kept as child
 * elements named "#text" in document order (templates: mixed content). */
vb_status vb_input_read_file2(vb_ctx *ctx, struct vb_arena *arena,
                              const char *path, struct vb_elem **root,
                              int quiet_io, int mixed);

/* First child named `name`, or NULL. */
struct vb_elem *vb_elem_child(const struct vb_elem *e, const char *name);
/* Attribute value, or NULL. */
const struct vb_attr *vb_elem_attr(const struct vb_elem *e, const char *name);
/* Text with leading and trailing white space removed and inner runs of
 * white space folded to one space; allocated in arena. */
const char *vb_elem_clean(struct vb_arena *a, const struct vb_elem *e);

#endif
