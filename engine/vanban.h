/*
 * vanban.h - the public interface of libvanban.
 *
 * libvanban turns an XML description of a Vietnamese official document
 * (a KẾ HOẠCH today; registration forms, decisions and certificates later)
 * into a PDF and a DOCX laid out as Nghị định 30/2020 (state bodies) and
 * Hướng dẫn 36-HD/VPTW (Party bodies) prescribe.
 *
 * Pipeline: input XML -> input model -> validate -> document tree ->
 * PDF (layout + libharu) and DOCX (libzip + libxml2).
 *
 * Conventions for the whole interface:
 * - Every function that can fail returns a vb_status; VB_OK is 0.
 * - Strings are UTF-8. Strings returned by the library are borrowed and stay
 *   valid until the object that owns them is freed, unless a comment says
 *   "caller frees with vb_free()".
 * - Every *_free() function accepts NULL.
 * - The library never prints. Problems found in the input are recorded as
 *   diagnostics in the vb_ctx and read with vb_diag_count()/vb_diag_at().
 */
#ifndef VANBAN_H
#define VANBAN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define VB_EXPORT __attribute__((visibility("default")))
#else
#define VB_EXPORT
#endif

#define VB_VERSION "0.1.0"

/* Coarse result of every fallible call. Append only; never renumbered. */
typedef enum vb_status {
  VB_OK = 0,
  VB_EINVALID = 1, /* the input has errors; diagnostics are recorded */
  VB_ENOMEM = 2,   /* an allocation failed */
  VB_EIO = 3,      /* a file could not be read or written */
  VB_ELIMIT = 4,   /* a limit was exceeded; a diagnostic says which */
  VB_EPDF = 5,     /* the PDF renderer failed */
  VB_EDOCX = 6,    /* the DOCX writer failed */
  VB_EUSAGE = 7,   /* the call itself was wrong (bad argument) */
  VB_EFONT = 8     /* a font file is missing or unusable */
} vb_status;

/* Detailed codes carried by diagnostics. Append only; never renumbered.
 * Each code has a stable rule ID shown to users ("X001", "V010", ...). */
typedef enum vb_code {
  VB_C_NONE = 0,
  /* reading the input */
  VB_C_XML_MALFORMED,  /* X001 */
  VB_C_XML_DTD,        /* X002 DTD, entity or external reference */
  VB_C_XML_ROOT,       /* X003 wrong root element */
  VB_C_UNKNOWN_ELEM,   /* X004 unknown element (warning) */
  VB_C_IO,             /* X005 file cannot be read */
  VB_C_UTF8,           /* X006 invalid UTF-8 */
  VB_C_CONTROL_CHAR,   /* X007 control character in text */
  VB_C_LEGACY_ENC,     /* X008 TCVN3 / VNI mojibake */
  VB_C_LIMIT,          /* X009 a limit was exceeded */
  VB_C_MARKDOWN,       /* X010 the Markdown body could not be parsed */
  /* fields */
  VB_C_REQUIRED,       /* V001 required field missing */
  VB_C_EMPTY,          /* V002 required field empty */
  VB_C_DUPLICATE,      /* V003 field given more than once */
  VB_C_BAD_VALUE,      /* V004 value not one of the allowed ones */
  VB_C_PROFILE,        /* V005 unknown profile */
  VB_C_DOC_TYPE,       /* V006 unknown document type */
  VB_C_DATE,           /* V010 not a real calendar date */
  VB_C_DATE_FORMAT,    /* V011 date not written as YYYY-MM-DD or DD/MM/YYYY */
  VB_C_NUMBER,         /* V020 document number not a positive integer */
  VB_C_SYMBOL,         /* V021 issuer symbol malformed */
  VB_C_SYMBOL_TYPE,    /* V022 symbol repeats or contradicts the type code */
  VB_C_AUTHORITY,      /* V030 signing authority malformed for the profile */
  VB_C_NOI_NHAN,       /* V040 recipients list has no "Lưu" line */
  VB_C_CASE,           /* V050 text that must be upper case is not */
  VB_C_GLYPH,          /* V060 character the font cannot draw */
  VB_C_LONG_LINE,      /* V061 header text too long for its column */
  /* reading the input, continued */
  VB_C_BIDI,           /* X011 bidirectional control character */
  VB_C_INVISIBLE,      /* X012 other invisible format character */
  VB_C_NUL             /* X013 NUL byte in the file */
} vb_code;

typedef enum vb_severity { VB_SEV_ERROR = 0, VB_SEV_WARNING = 1 } vb_severity;

typedef enum vb_lang { VB_LANG_VI = 0, VB_LANG_EN = 1 } vb_lang;

/* Output formats; combine with | for vb_render_files(). */
enum {
  VB_FORMAT_PDF = 1 << 0,
  VB_FORMAT_DOCX = 1 << 1,
  VB_FORMAT_TREE = 1 << 2,  /* text dump of the document tree */
  VB_FORMAT_LAYOUT = 1 << 3 /* text dump of every placed PDF line */
};

/* A diagnostic. Borrowed; valid until vb_ctx_clear() or vb_ctx_free(). */
typedef struct vb_diag {
  vb_code code;
  vb_severity severity;
  const char *file; /* the name given to vb_doc_parse(), or "-" */
  unsigned line;    /* 1-based; 0 when unknown */
  unsigned col;     /* 1-based; 0 when unknown */
  const char *arg[2]; /* the message's %s arguments (may be NULL) */
} vb_diag;

/* Allocator. Every allocation of the library and of libharu goes through
 * it. malloc/realloc return NULL on failure; the library then fails cleanly
 * with VB_ENOMEM. */
typedef struct vb_mem {
  void *(*malloc)(size_t size, void *user);
  void *(*realloc)(void *ptr, size_t size, void *user);
  void (*free)(void *ptr, void *user);
  void *user;
} vb_mem;

/* Options. Zero-initialise, then set what you need. */
typedef struct vb_options {
  int abi_version;       /* reserved; set to 0 */
  vb_lang lang;          /* language of messages */
  const char *data_dir;  /* folder holding fonts/ and templates/; NULL:
                            $VANBAN_DATADIR, then the build-time default */
  const vb_mem *mem;     /* NULL: the C library's malloc */
  unsigned max_errors;   /* stop reporting after this many; 0: 100 */
  /* Page margins in millimetres; 0 keeps the profile's default. Values
   * outside the legal range (top/bottom 20-25, left 30-35, right 15-20)
   * are clamped into it. A value that is not a finite number (NaN,
   * infinity) makes vb_doc_compose() fail with VB_EUSAGE. */
  double margin_top, margin_bottom, margin_left, margin_right;
} vb_options;

/* The largest document number (số) a document can carry. */
#define VB_MAX_NUMBER 999999

typedef struct vb_ctx vb_ctx; /* options + diagnostics; one per thread */
typedef struct vb_doc vb_doc; /* a parsed, validated document */

/* Returns the library version, e.g. "0.1.0". */
VB_EXPORT const char *vb_version(void);

/* Creates a context. opt may be NULL. Returns NULL when out of memory. */
VB_EXPORT vb_ctx *vb_ctx_new(const vb_options *opt);
VB_EXPORT void vb_ctx_free(vb_ctx *ctx);
/* Forgets the recorded diagnostics. */
VB_EXPORT void vb_ctx_clear(vb_ctx *ctx);

/* Reads and validates one document from memory, without composing it.
 * `name` is used in diagnostics (a path, or "-" for standard input). On
 * VB_OK *out is a validated document (free with vb_doc_free()); warnings
 * may have been recorded. Between this call and vb_doc_compose() the
 * document can be numbered (vb_doc_set_number()), e.g. from a register.
 * On any other status the input has errors (VB_EINVALID, all recorded) or
 * reading failed, and *out is NULL. Only the errors recorded by this call
 * count: earlier documents' errors on the same context do not. */
VB_EXPORT vb_status vb_doc_read(vb_ctx *ctx, const char *name,
                                const char *data, size_t len, vb_doc **out);
/* Gives a validated, not yet composed document its number (1 ..
 * VB_MAX_NUMBER), replacing any <so> of the input. VB_EUSAGE when the
 * document is already composed or the number is out of range. */
VB_EXPORT vb_status vb_doc_set_number(vb_doc *doc, long number);
/* Builds the document tree that vb_render() draws. Records V060 for
 * characters the fonts lack. VB_OK (also when already composed),
 * VB_EINVALID, VB_ENOMEM, VB_EFONT, VB_EUSAGE (a margin option that is not
 * a finite number); after a failure the document can only be freed. */
VB_EXPORT vb_status vb_doc_compose(vb_ctx *ctx, vb_doc *doc);
/* vb_doc_read() then vb_doc_compose(): a document ready to render. On a
 * failure *out is NULL. */
VB_EXPORT vb_status vb_doc_parse(vb_ctx *ctx, const char *name,
                                 const char *data, size_t len, vb_doc **out);
/* The same from a file; `path` "-" reads standard input. */
VB_EXPORT vb_status vb_doc_parse_file(vb_ctx *ctx, const char *path,
                                      vb_doc **out);

/* What a register needs to know of a validated document. Strings are
 * borrowed; valid until vb_doc_free(). NULL when the input has none. */
typedef struct vb_doc_info {
  const char *kind;        /* the template: "ke-hoach", "mau-01b" */
  const char *profile;     /* "nd30", "hd36", "mttq" */
  int party;               /* numbered as a Party document (HD 36) */
  const char *type_key;    /* "ke-hoach", "quyet-dinh" */
  const char *type_name;   /* "KẾ HOẠCH" */
  const char *type_code;   /* "KH", "QĐ"; NULL: the kind takes no number */
  const char *issuer;      /* first line of the issuing body, capitals */
  const char *symbol;      /* the issuer's ký hiệu: "UBND", "BDVHU" */
  int year, month, day;    /* date of issue */
  long number;             /* 0 while not numbered */
  const char *id;          /* <van-ban ma="...">, the document identifier */
  const char *secret;      /* NULL, "mat", "toi-mat" or "tuyet-mat" */
  const char *summary;     /* trích yếu */
  const char *signer;      /* họ tên người ký */
  const char *signer_title; /* chức vụ */
  int composed;            /* vb_doc_compose() has run */
} vb_doc_info;

/* Fills *out. VB_EUSAGE when doc or out is NULL. */
VB_EXPORT vb_status vb_doc_get_info(const vb_doc *doc, vb_doc_info *out);
VB_EXPORT void vb_doc_free(vb_doc *doc);

/* Renders a composed `doc` in one format (one VB_FORMAT_* bit) into
 * memory. On VB_OK *out holds *len bytes; caller frees with vb_free().
 * VB_EUSAGE when the document was read but not composed. */
VB_EXPORT vb_status vb_render(vb_ctx *ctx, const vb_doc *doc, int format,
                              unsigned char **out, size_t *len);

/* Writes bytes to `path` atomically: a temporary file in the same folder
 * (".vanban-XXXXXX.tmp", short whatever the target's name), flushed, then
 * renamed over `path`. On failure nothing is left behind and `path` is
 * untouched. "-" writes standard output. What a replaced file keeps:
 * - its permission bits (a new file gets 0666 less the umask);
 * - not its owner: the new file belongs to the user running the call;
 * - not its hard links: other names of the old file keep the old bytes.
 * A symbolic link is followed: the file it names is replaced, the link
 * stays; a link to nothing is refused (VB_EIO, errno ENOENT). A character
 * device or a FIFO (/dev/null, /dev/stdout on a pipe, a named pipe) is
 * written directly, without a temporary file; any other file that is not
 * a regular file is refused (errno EISDIR or EINVAL). On VB_EIO errno
 * says why; on VB_ENOMEM it is ENOMEM. Same as one vb_outputs_add() and
 * vb_outputs_commit(). */
VB_EXPORT vb_status vb_write_file(const char *path, const unsigned char *data,
                                  size_t len);

/* Several files written together (a PDF and a DOCX): every one goes to its
 * temporary file first, and only when all of them are written does
 * vb_outputs_commit() rename them into place. A failure leaves every
 * target as it was. The temporary files are registered for
 * vb_temp_cleanup() until they are renamed or removed. */
typedef struct vb_outputs vb_outputs;

/* A new, empty set; NULL when out of memory. */
VB_EXPORT vb_outputs *vb_outputs_new(void);
/* Writes `data` to a temporary file beside `path` (or, for a device or a
 * FIFO, checks it can be opened: it is written at commit; `data` is then
 * borrowed until vb_outputs_commit() or vb_outputs_free()). VB_OK,
 * VB_EIO (errno says why), VB_ENOMEM, VB_EUSAGE (NULL or empty path, or
 * "-", which has no temporary file: use vb_write_file()). After a failure
 * the set can only be freed. */
VB_EXPORT vb_status vb_outputs_add(vb_outputs *s, const char *path,
                                   const unsigned char *data, size_t len);
/* Writes the device targets, then renames every temporary file over its
 * target. VB_OK, or VB_EIO with errno set; see vb_outputs_failed(). */
VB_EXPORT vb_status vb_outputs_commit(vb_outputs *s);
/* The target whose write failed and its errno value (0 and NULL when none
 * failed). Borrowed; valid until vb_outputs_free(). */
VB_EXPORT const char *vb_outputs_failed(const vb_outputs *s, int *errnum);
/* Removes the temporary files not committed and frees the set. */
VB_EXPORT void vb_outputs_free(vb_outputs *s);
/* Unlinks every temporary file of vb_write_file() and vb_outputs still in
 * progress, in any thread. Async-signal-safe: for a SIGTERM/SIGINT/SIGHUP
 * handler that then ends the process (the files are not forgotten, so do
 * not call it and carry on). */
VB_EXPORT void vb_temp_cleanup(void);

/* Frees memory the library handed out (with the context's allocator). */
VB_EXPORT void vb_free(vb_ctx *ctx, void *ptr);

/* Diagnostics recorded so far, in input order. */
VB_EXPORT size_t vb_diag_count(const vb_ctx *ctx);
VB_EXPORT const vb_diag *vb_diag_at(const vb_ctx *ctx, size_t i);
/* Number of recorded errors (warnings not counted). */
VB_EXPORT size_t vb_error_count(const vb_ctx *ctx);
/* Formats a diagnostic as "file:line:col: lỗi[V010]: message".
 * Caller frees with vb_free(). NULL when out of memory. */
VB_EXPORT char *vb_diag_format(vb_ctx *ctx, const vb_diag *d, vb_lang lang);
/* The stable rule ID of a code, e.g. "V010". */
VB_EXPORT const char *vb_code_id(vb_code code);
/* A short description of a status, in the given language. */
VB_EXPORT const char *vb_status_str(vb_status st, vb_lang lang);
/* Why a file could not be read or written (an errno value), in the given
 * language: strerror() speaks only English. */
VB_EXPORT const char *vb_errno_str(int errnum, vb_lang lang);

#ifdef __cplusplus
}
#endif

#endif /* VANBAN_H */
