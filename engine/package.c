/* package.c - a hostile OOXML package read from memory (package.h): the
 * limits are checked on the central directory before anything is
 * unpacked, and again while unpacking, since headers can lie. */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <zip.h>

#include "package.h"

/* Bytes unpacked at a time. */
#define READ_CHUNK 16384

struct vb_pkg {
  vb_ctx *ctx;
  const char *name;
  zip_t *zip;
};

static void quiet_generic(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr e) {
  (void)ctx;
  (void)e;
}

static void size_text(char *buf, size_t cap, zip_uint64_t bytes) {
  snprintf(buf, cap, "%llu MiB", (unsigned long long)(bytes >> 20));
}

/* An entry name is only ever compared with fixed part names, but a name
 * that would escape a folder when extracted marks a crafted archive. */
static int unsafe_name(const char *s) {
  const char *seg = s;
  if (!*s || s[0] == '/' || strchr(s, '\\') ||
      (((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') && s[1] == ':'))
    return 1;
  for (;; s++) {
    if (*s == '/' || !*s) {
      if (s - seg == 2 && seg[0] == '.' && seg[1] == '.')
        return 1;
      if (!*s)
        return 0;
      seg = s + 1;
    }
  }
}

/* Diagnostics print entry names on a terminal: control characters become
 * '?'. The message cuts arguments at 200 bytes anyway, so a copy of at
 * most NAME_SHOWN bytes is enough (the diagnostic copies it again). */
#define NAME_SHOWN 256

static vb_status name_diag(struct vb_pkg *p, vb_code code, const char *name,
                           const char *a1, vb_status st) {
  struct vb_buf b;
  size_t i;
  int ok;
  vb_buf_init(&b, &p->ctx->mem, NAME_SHOWN + 1);
  for (i = 0; name[i] && i < NAME_SHOWN; i++)
    vb_buf_putc(&b, (unsigned char)name[i] < 0x20 || name[i] == 0x7f
                        ? '?'
                        : name[i]);
  ok = !vb_buf_err(&b) &&
       vb_diag_add(p->ctx, code, p->name, 0, 0, b.ptr, a1);
  vb_buf_release(&b);
  return ok ? st : VB_ENOMEM;
}

static vb_status check_entries(struct vb_pkg *p) {
  zip_int64_t n = zip_get_num_entries(p->zip, 0), i;
  zip_uint64_t total = 0;
  char a[32], b[32];
  if (n < 0)
    n = 0;
  if ((zip_uint64_t)n > VB_PKG_MAX_ENTRIES) {
    snprintf(a, sizeof(a), "%lld", (long long)n);
    snprintf(b, sizeof(b), "%d", VB_PKG_MAX_ENTRIES);
    return vb_diag_add(p->ctx, VB_C_PKG_ENTRIES, p->name, 0, 0, a, b)
               ? VB_ELIMIT
               : VB_ENOMEM;
  }
  for (i = 0; i < n; i++) {
    zip_stat_t zs;
    if (zip_stat_index(p->zip, (zip_uint64_t)i, ZIP_FL_ENC_GUESS, &zs) < 0 ||
        !(zs.valid & ZIP_STAT_NAME)) {
      snprintf(a, sizeof(a), "#%lld", (long long)i);
      return vb_diag_add(p->ctx, VB_C_PKG_CORRUPT, p->name, 0, 0, a,
                         vb_tr(p->ctx, "mục lục hỏng", "bad directory"))
                 ? VB_EINVALID
                 : VB_ENOMEM;
    }
    if (unsafe_name(zs.name))
      return name_diag(p, VB_C_PKG_NAME, zs.name, NULL, VB_EINVALID);
    if (zs.valid & ZIP_STAT_SIZE) {
      if (zs.size > VB_PKG_MAX_PART) {
        size_text(b, sizeof(b), VB_PKG_MAX_PART);
        return name_diag(p, VB_C_PKG_SIZE, zs.name, b, VB_ELIMIT);
      }
      total += zs.size;
    }
  }
  if (total > VB_PKG_MAX_TOTAL) {
    size_text(b, sizeof(b), VB_PKG_MAX_TOTAL);
    return vb_diag_add(p->ctx, VB_C_PKG_SIZE, p->name, 0, 0, "*", b)
               ? VB_ELIMIT
               : VB_ENOMEM;
  }
  return VB_OK;
}

vb_status vb_pkg_open(vb_ctx *ctx, const char *name, const char *data,
                      size_t len, struct vb_pkg **out) {
  struct vb_pkg *p;
  zip_source_t *src;
  zip_error_t zerr;
  vb_status st;
  const char *why = NULL;
  char lim[32];
  *out = NULL;
  if (len > VB_PKG_MAX_BYTES) {
    size_text(lim, sizeof(lim), VB_PKG_MAX_BYTES);
    return vb_diag_add(ctx, VB_C_LIMIT, name, 0, 0,
                       vb_tr(ctx, "kích thước tệp", "file size"), lim)
               ? VB_ELIMIT
               : VB_ENOMEM;
  }
  if (len >= 5 && !memcmp(data, "%PDF-", 5))
    why = vb_tr(ctx, "đây là tệp PDF", "it is a PDF file");
  else if (len < 4 || memcmp(data, "PK\x03\x04", 4))
    why = vb_tr(ctx, "không phải tệp nén zip", "not a zip archive");
  if (why)
    return vb_diag_add(ctx, VB_C_PKG_NOT_ZIP, name, 0, 0, why, NULL)
               ? VB_EINVALID
               : VB_ENOMEM;
  p = vb_calloc(&ctx->mem, 1, sizeof(*p));
  if (!p)
    return VB_ENOMEM;
  p->ctx = ctx;
  p->name = name;
  zip_error_init(&zerr);
  src = zip_source_buffer_create(data, len, 0, &zerr);
  if (src) {
    p->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!p->zip)
      zip_source_free(src);
  }
  if (!p->zip) {
    int ze = zip_error_code_zip(&zerr);
    zip_error_fini(&zerr);
    vb_mfree(&ctx->mem, p);
    if (ze == ZIP_ER_MEMORY)
      return VB_ENOMEM;
    return vb_diag_add(ctx, VB_C_PKG_NOT_ZIP, name, 0, 0,
                       vb_tr(ctx, "tệp nén zip bị hỏng",
                             "a damaged zip archive"),
                       NULL)
               ? VB_EINVALID
               : VB_ENOMEM;
  }
  zip_error_fini(&zerr);
  st = check_entries(p);
  if (st != VB_OK) {
    vb_pkg_close(p);
    return st;
  }
  *out = p;
  return VB_OK;
}

void vb_pkg_close(struct vb_pkg *p) {
  if (!p)
    return;
  if (p->zip)
    zip_discard(p->zip);
  vb_mfree(&p->ctx->mem, p);
}

int vb_pkg_has(const struct vb_pkg *p, const char *part) {
  return zip_name_locate(p->zip, part, 0) >= 0;
}

vb_status vb_pkg_read(struct vb_pkg *p, const char *part, int required,
                      struct vb_buf *out) {
  char chunk[READ_CHUNK], lim[32];
  zip_int64_t idx = zip_name_locate(p->zip, part, 0), n;
  zip_file_t *f;
  size_t got = 0;
  vb_status st = VB_OK;
  if (idx < 0) {
    if (required &&
        !vb_diag_add(p->ctx, VB_C_PKG_MISSING, p->name, 0, 0, part, NULL))
      return VB_ENOMEM;
    return VB_EINVALID;
  }
  f = zip_fopen_index(p->zip, (zip_uint64_t)idx, 0);
  if (!f)
    return vb_diag_add(p->ctx, VB_C_PKG_CORRUPT, p->name, 0, 0, part,
                       zip_strerror(p->zip))
               ? VB_EINVALID
               : VB_ENOMEM;
  while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0) {
    got += (size_t)n;
    if (got > VB_PKG_MAX_PART) {
      size_text(lim, sizeof(lim), VB_PKG_MAX_PART);
      st = vb_diag_add(p->ctx, VB_C_PKG_SIZE, p->name, 0, 0, part, lim)
               ? VB_ELIMIT
               : VB_ENOMEM;
      break;
    }
    vb_buf_put(out, chunk, (size_t)n);
    if ((st = vb_buf_err(out)) != VB_OK)
      break;
  }
  if (st == VB_OK && n < 0)
    st = vb_diag_add(p->ctx, VB_C_PKG_CORRUPT, p->name, 0, 0, part,
                     zip_file_strerror(f))
             ? VB_EINVALID
             : VB_ENOMEM;
  zip_fclose(f);
  return st;
}

/* A DOCTYPE anywhere is refused before libxml2 sees it: OOXML parts have
 * none, and it is the door to entity expansion and external fetches. */
static int has_doctype(const char *s, size_t len) {
  static const char pat[] = "<!DOCTYPE";
  size_t i, k = sizeof(pat) - 1;
  for (i = 0; i + k <= len; i++)
    if (s[i] == '<' && !memcmp(s + i, pat, k))
      return 1;
  return 0;
}

vb_status vb_pkg_read_xml(struct vb_pkg *p, const char *part, int required,
                          xmlDocPtr *doc) {
  struct vb_buf b;
  xmlParserCtxtPtr pc;
  vb_status st;
  *doc = NULL;
  vb_buf_init(&b, &p->ctx->mem, VB_PKG_MAX_PART + 1);
  st = vb_pkg_read(p, part, required, &b);
  if (st != VB_OK)
    goto out;
  if (b.len > (size_t)0x7fffffff) {
    st = VB_ELIMIT;
    goto out;
  }
  if (has_doctype(b.ptr, b.len)) {
    st = vb_diag_add(p->ctx, VB_C_PKG_DTD, p->name, 0, 0, part, NULL)
             ? VB_EINVALID
             : VB_ENOMEM;
    goto out;
  }
  xmlSetGenericErrorFunc(NULL, quiet_generic);
  xmlSetStructuredErrorFunc(NULL, quiet_structured);
  pc = xmlNewParserCtxt();
  if (!pc) {
    st = VB_ENOMEM;
    goto out;
  }
  /* NONET: no network; without NOENT, DTDLOAD or XINCLUDE nothing is
   * fetched or expanded. */
  *doc = xmlCtxtReadMemory(pc, b.ptr, (int)b.len, part, NULL,
                           XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                               XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  if (!*doc || !pc->wellFormed || (*doc)->intSubset || (*doc)->extSubset) {
    const xmlError *e = xmlCtxtGetLastError(pc);
    char msg[160];
    size_t k;
    int dtd = *doc && ((*doc)->intSubset || (*doc)->extSubset);
    snprintf(msg, sizeof(msg), "%s:%d: %s", part, e ? e->line : 0,
             e && e->message ? e->message : "?");
    for (k = 0; msg[k]; k++)
      if (msg[k] == '\n')
        msg[k] = ' ';
    while (k && msg[k - 1] == ' ')
      msg[--k] = '\0';
    if (e && (e->code == XML_ERR_UNDECLARED_ENTITY ||
              e->code == XML_WAR_UNDECLARED_ENTITY ||
              e->code == XML_ERR_ENTITY_LOOP))
      dtd = 1;
    st = (dtd ? vb_diag_add(p->ctx, VB_C_PKG_DTD, p->name, 0, 0, part, NULL)
              : vb_diag_add(p->ctx, VB_C_PKG_XML, p->name, 0, 0, msg, NULL))
             ? VB_EINVALID
             : VB_ENOMEM;
    if (*doc)
      xmlFreeDoc(*doc);
    *doc = NULL;
  }
  xmlFreeParserCtxt(pc);
out:
  vb_buf_release(&b);
  return st;
}
