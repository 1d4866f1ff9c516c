/* subset.c - subsets the shipped TrueType fonts with HarfBuzz, so that a
 * PDF embeds only the glyphs it draws (libharu 2.3 embeds nearly the whole
 * font: ~40 KB a face instead of ~3 KB; tech-notes §1b, §5). The subset is
 * written to an anonymous memory file, never to the output folder. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hb.h>

#include "ctx.h"
#include "subset.h"

/* An anonymous file: a memfd where the kernel has them, else a temporary
 * file unlinked at once (the descriptor keeps it alive). */
static int anon_file(struct vb_subset *s) {
  int fd;
#ifdef MFD_CLOEXEC
  fd = memfd_create("vanban-font", MFD_CLOEXEC);
  if (fd >= 0) {
    snprintf(s->path, sizeof(s->path), "/proc/self/fd/%d", fd);
    if (access(s->path, R_OK) == 0)
      return fd;
    close(fd);
  }
#endif
  {
    const char *dir = getenv("TMPDIR");
    char tmp[4096];
    int n = snprintf(tmp, sizeof(tmp), "%s/vanban-font-XXXXXX",
                     dir && *dir ? dir : "/tmp");
    /* a TMPDIR too long for the name is not cut into another folder */
    if (n < 0 || (size_t)n >= sizeof(tmp))
      return -1;
    fd = mkstemp(tmp);
    if (fd < 0)
      return -1;
    unlink(tmp);
    snprintf(s->path, sizeof(s->path), "/proc/self/fd/%d", fd);
    if (access(s->path, R_OK) != 0) {
      close(fd);
      return -1;
    }
  }
  return fd;
}

vb_status vb_subset_make(const char *font_path, const uint32_t *cps,
                         size_t n, struct vb_subset *out) {
  hb_blob_t *blob = NULL, *res = NULL;
  hb_face_t *face = NULL, *sub = NULL;
  hb_subset_input_t *in = NULL;
  const char *data;
  unsigned len = 0;
  size_t i;
  vb_status st = VB_EFONT;
  out->fd = -1;
  out->path[0] = '\0';
  blob = hb_blob_create_from_file_or_fail(font_path);
  if (!blob)
    goto out;
  face = hb_face_create(blob, 0);
  in = hb_subset_input_create_or_fail();
  if (!face || !in)
    goto out;
  for (i = 0; i < n; i++)
    hb_set_add(hb_subset_input_unicode_set(in), cps[i]);
  /* hinting is for screens at small sizes; the PDF is printed */
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
  sub = hb_subset_or_fail(face, in);
  if (!sub)
    goto out;
  res = hb_face_reference_blob(sub);
  data = hb_blob_get_data(res, &len);
  if (!data || !len)
    goto out;
  out->fd = anon_file(out);
  if (out->fd < 0)
    goto out;
  if (!vb_write_all(out->fd, data, len) || lseek(out->fd, 0, SEEK_SET) != 0) {
    vb_subset_close(out);
    goto out;
  }
  st = VB_OK;
out:
  hb_blob_destroy(res);
  hb_face_destroy(sub);
  hb_subset_input_destroy(in);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  return st;
}

void vb_subset_close(struct vb_subset *s) {
  if (s && s->fd >= 0) {
    close(s->fd);
    s->fd = -1;
  }
}
