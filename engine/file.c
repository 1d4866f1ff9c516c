/* file.c - the one home of file I/O: reading a whole file with a limit
 * (non-blocking, data files regular only), and writing outputs atomically
 * (temporary files beside their targets, renamed when all are written,
 * removed on a signal). */
#define _DEFAULT_SOURCE /* realpath, O_NOFOLLOW */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "ctx.h"

int vb_write_all(int fd, const void *data, size_t n) {
  const unsigned char *p = data;
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return 0;
    }
    p += w;
    n -= (size_t)w;
  }
  return 1;
}

int vb_file_is_regular(const char *path) {
  struct stat st;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), err;
  if (fd < 0)
    return 0;
  if (fstat(fd, &st) != 0)
    err = errno;
  else
    err = S_ISREG(st.st_mode) ? 0 : S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
  close(fd);
  errno = err;
  return !err;
}

vb_status vb_read_file(const vb_mem *mem, const char *path, size_t limit,
                       int regular_only, char **data, size_t *len) {
  struct vb_buf b;
  struct stat st;
  char chunk[65536];
  ssize_t n;
  int fd, err = 0;
  *data = NULL;
  *len = 0;
  if (!strcmp(path, "-")) {
    fd = STDIN_FILENO;
  } else {
    /* non-blocking: opening a FIFO must not wait for a writer */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
      return VB_EIO;
  }
  if (fstat(fd, &st) != 0) {
    err = errno;
  } else if (S_ISDIR(st.st_mode)) {
    err = EISDIR;
  } else if (regular_only && !S_ISREG(st.st_mode)) {
    err = EINVAL;
  } else if (fd != STDIN_FILENO && !S_ISREG(st.st_mode)) {
    /* the user's own FIFO or device: read it as it comes */
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
      err = errno;
  }
  vb_buf_init(&b, mem, limit + 1);
  while (!err) {
    n = read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = errno;
      break;
    }
    if (n == 0)
      break;
    vb_buf_put(&b, chunk, (size_t)n);
    if (vb_buf_err(&b))
      break;
  }
  if (fd != STDIN_FILENO)
    close(fd);
  if (err || vb_buf_err(&b)) {
    vb_status st2 = err ? VB_EIO : vb_buf_err(&b);
    vb_buf_release(&b);
    errno = err ? err : st2 == VB_ENOMEM ? ENOMEM : EFBIG;
    return st2;
  }
  *data = vb_buf_detach(&b, len);
  if (!*data) {
    errno = ENOMEM;
    return VB_ENOMEM;
  }
  return VB_OK;
}

/* --- writing files ---------------------------------------------------------
 *
 * Temporary files are named ".vanban-XXXXXX.tmp" in the target's folder:
 * short whatever the target's name (a 250-byte name plus a suffix would
 * pass NAME_MAX), and in the same file system, so that rename() is atomic.
 * Each one is registered in `temp_slots` from its creation to its rename
 * or removal, so that vb_temp_cleanup() (a signal handler) can unlink it. */

/* Temporary files in progress at once, in all threads; past it the extra
 * files are still written, only not removed by vb_temp_cleanup(). */
#define VB_TEMP_SLOTS 64

static _Atomic(char *) temp_slots[VB_TEMP_SLOTS];
static atomic_uint temp_counter;

static int temp_register(char *path) {
  int i;
  for (i = 0; i < VB_TEMP_SLOTS; i++) {
    char *expect = NULL;
    if (atomic_compare_exchange_strong(&temp_slots[i], &expect, path))
      return i;
  }
  return -1;
}

static void temp_unregister(int slot) {
  if (slot >= 0)
    atomic_store(&temp_slots[slot], NULL);
}

void vb_temp_cleanup(void) {
  int i;
  int saved = errno;
  for (i = 0; i < VB_TEMP_SLOTS; i++) {
    char *p = atomic_load(&temp_slots[i]);
    if (p)
      unlink(p);
  }
  errno = saved;
}

struct out_file {
  char *path;   /* the target (through a symbolic link: the file it names) */
  char *tmp;    /* the temporary file; NULL for a device or FIFO */
  int slot;     /* in temp_slots, or -1 */
  const unsigned char *data; /* device or FIFO: written at commit */
  size_t len;
};

struct vb_outputs {
  struct out_file *f;
  size_t n, cap;
  int broken;        /* a call failed: only vb_outputs_free() is left */
  int committed;     /* every file is in place */
  int err;           /* errno of the failure */
  const char *failed_path;
};

static char *str_dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = vb_malloc(&vb_mem_default, n);
  if (p)
    memcpy(p, s, n);
  return p;
}

vb_outputs *vb_outputs_new(void) {
  return vb_calloc(&vb_mem_default, 1, sizeof(vb_outputs));
}

/* How `path` is written: 1 through a temporary file (*mode: the permission
 * bits to keep, or -1 for a new file), 0 directly (a device, a FIFO),
 * -1 refused (errno set). *target is the file to replace (caller frees). */
static int target_of(const char *path, char **target, int *mode) {
  struct stat lst, st, rst;
  *target = NULL;
  *mode = -1;
  if (lstat(path, &lst) != 0) {
    if (errno != ENOENT)
      return -1;
    *target = str_dup(path);
    return *target ? 1 : (errno = ENOMEM, -1);
  }
  st = lst;
  if (S_ISLNK(lst.st_mode)) {
    /* never create a file through a link to nothing */
    if (stat(path, &st) != 0)
      return -1;
    if (S_ISREG(st.st_mode)) {
      char *real = realpath(path, NULL);
      if (!real)
        return -1;
      /* /dev/stdout onto a deleted file: realpath names no file */
      if (stat(real, &rst) != 0 || rst.st_dev != st.st_dev ||
          rst.st_ino != st.st_ino) {
        free(real);
        *target = str_dup(path);
        return *target ? 0 : (errno = ENOMEM, -1);
      }
      *target = str_dup(real);
      free(real);
      *mode = (int)(st.st_mode & 0777);
      return *target ? 1 : (errno = ENOMEM, -1);
    }
  }
  if (S_ISREG(st.st_mode)) {
    *mode = (int)(st.st_mode & 0777);
    *target = str_dup(path);
    return *target ? 1 : (errno = ENOMEM, -1);
  }
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
    *target = str_dup(path);
    return *target ? 0 : (errno = ENOMEM, -1);
  }
  errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
  return -1;
}

/* Creates ".vanban-XXXXXX.tmp" beside `target`; returns its descriptor
 * and sets *tmp (caller frees), or -1 with errno set. */
static int temp_create(const char *target, int mode, char **tmp,
                       int *slot) {
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  sigset_t all, old;
  int e;
  const char *slash = strrchr(target, '/');
  size_t dir = slash ? (size_t)(slash - target) + 1 : 0;
  size_t n = dir + sizeof(".vanban-XXXXXX.tmp");
  char *p = vb_malloc(&vb_mem_default, n);
  int tries, fd = -1;
  *tmp = NULL;
  *slot = -1;
  sigfillset(&all);
  if (!p) {
    errno = ENOMEM;
    return -1;
  }
  memcpy(p, target, dir);
  memcpy(p + dir, ".vanban-XXXXXX.tmp", sizeof(".vanban-XXXXXX.tmp"));
  for (tries = 0; tries < 100; tries++) {
    struct timespec ts;
    unsigned long v;
    int k;
    clock_gettime(CLOCK_REALTIME, &ts);
    v = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
        ((unsigned long)atomic_fetch_add(&temp_counter, 1) * 2654435761u);
    for (k = 0; k < 6; k++, v /= 36)
      p[dir + 8 + k] = digits[v % 36];
    /* 0666 and the umask for a new file; an old file's bits below. No
     * signal between the file's creation and its registration: a handler
     * running then would miss it. */
    pthread_sigmask(SIG_BLOCK, &all, &old);
    fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              mode >= 0 ? (mode_t)mode : 0666);
    if (fd >= 0)
      *slot = temp_register(p);
    e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = e;
    if (fd >= 0 || errno != EEXIST)
      break;
  }
  if (fd < 0) {
    e = errno;
    vb_mfree(&vb_mem_default, p);
    errno = e;
    return -1;
  }
  *tmp = p;
  return fd;
}

static vb_status outputs_fail(vb_outputs *s, const char *path, int err) {
  s->broken = 1;
  s->err = err;
  s->failed_path = path;
  errno = err;
  return err == ENOMEM ? VB_ENOMEM : VB_EIO;
}

vb_status vb_outputs_add(vb_outputs *s, const char *path,
                         const unsigned char *data, size_t len) {
  struct out_file *f;
  int how, mode, fd, e;
  if (!s || s->broken || s->committed || !path || !*path ||
      !strcmp(path, "-") ||
      (!data && len))
    return VB_EUSAGE;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 4;
    struct out_file *v =
        vb_realloc(&vb_mem_default, s->f, cap * sizeof(*v));
    if (!v)
      return outputs_fail(s, path, ENOMEM);
    s->f = v;
    s->cap = cap;
  }
  f = &s->f[s->n];
  memset(f, 0, sizeof(*f));
  f->slot = -1;
  how = target_of(path, &f->path, &mode);
  if (how < 0)
    return outputs_fail(s, path, errno);
  s->n++;
  if (how == 0) {
    /* a device or a FIFO has no temporary file: written at commit */
    if (access(f->path, W_OK) != 0)
      return outputs_fail(s, f->path, errno);
    f->data = data;
    f->len = len;
    return VB_OK;
  }
  fd = temp_create(f->path, mode, &f->tmp, &f->slot);
  if (fd < 0)
    return outputs_fail(s, f->path, errno);
  if (!vb_write_all(fd, data, len) || fsync(fd) != 0 ||
      (mode >= 0 && fchmod(fd, (mode_t)mode) != 0)) {
    e = errno;
    close(fd);
    return outputs_fail(s, f->path, e);
  }
  if (close(fd) != 0)
    return outputs_fail(s, f->path, errno);
  return VB_OK;
}

/* Flushes the rename of `target` to disk: fsync of its folder. */
static void sync_dir(const char *target) {
  const char *slash = strrchr(target, '/');
  char *dir;
  int fd;
  if (!slash) {
    fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  } else {
    size_t n = slash == target ? 1 : (size_t)(slash - target);
    dir = vb_malloc(&vb_mem_default, n + 1);
    if (!dir)
      return;
    memcpy(dir, target, n);
    dir[n] = '\0';
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    vb_mfree(&vb_mem_default, dir);
  }
  if (fd >= 0) {
    (void)fsync(fd); /* best effort: the rename itself is done */
    close(fd);
  }
}

vb_status vb_outputs_commit(vb_outputs *s) {
  size_t i;
  sigset_t all, old;
  sigfillset(&all);
  if (!s || s->broken || s->committed)
    return VB_EUSAGE;
  /* devices first: a failure there still leaves every file untouched */
  for (i = 0; i < s->n; i++) {
    struct out_file *f = &s->f[i];
    int fd, e;
    if (f->tmp)
      continue;
    fd = open(f->path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
      return outputs_fail(s, f->path, errno);
    if (!vb_write_all(fd, f->data, f->len)) {
      e = errno;
      close(fd);
      return outputs_fail(s, f->path, e);
    }
    if (close(fd) != 0)
      return outputs_fail(s, f->path, errno);
  }
  for (i = 0; i < s->n; i++) {
    struct out_file *f = &s->f[i];
    if (!f->tmp)
      continue;
    /* renamed and forgotten together: a handler in between would unlink
     * a name that is no longer ours */
    pthread_sigmask(SIG_BLOCK, &all, &old);
    if (rename(f->tmp, f->path) != 0) {
      int e = errno;
      pthread_sigmask(SIG_SETMASK, &old, NULL);
      return outputs_fail(s, f->path, e);
    }
    temp_unregister(f->slot);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    f->slot = -1;
    vb_mfree(&vb_mem_default, f->tmp);
    f->tmp = NULL;
    sync_dir(f->path);
  }
  s->committed = 1;
  return VB_OK;
}

const char *vb_outputs_failed(const vb_outputs *s, int *errnum) {
  if (errnum)
    *errnum = s && s->failed_path ? s->err : 0;
  return s ? s->failed_path : NULL;
}

void vb_outputs_free(vb_outputs *s) {
  size_t i;
  int saved = errno;
  if (!s)
    return;
  for (i = 0; i < s->n; i++) {
    struct out_file *f = &s->f[i];
    if (f->tmp) {
      unlink(f->tmp);
      temp_unregister(f->slot);
    }
    vb_mfree(&vb_mem_default, f->tmp);
    vb_mfree(&vb_mem_default, f->path);
  }
  vb_mfree(&vb_mem_default, s->f);
  vb_mfree(&vb_mem_default, s);
  errno = saved;
}

vb_status vb_write_file(const char *path, const unsigned char *data,
                        size_t len) {
  vb_outputs *s;
  vb_status st;
  int e;
  if (!path || !*path || (!data && len))
    return VB_EUSAGE;
  if (!strcmp(path, "-"))
    return fflush(stdout) == 0 && vb_write_all(STDOUT_FILENO, data, len)
               ? VB_OK
               : VB_EIO;
  s = vb_outputs_new();
  if (!s) {
    errno = ENOMEM;
    return VB_ENOMEM;
  }
  st = vb_outputs_add(s, path, data, len);
  if (st == VB_OK)
    st = vb_outputs_commit(s);
  e = errno;
  vb_outputs_free(s);
  errno = e;
  return st;
}
