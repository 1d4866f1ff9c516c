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
  VB_EFONT = 8,    /* a font file is missing or unusable */
  VB_EREGISTER = 9 /* the register refused or failed; a diagnostic says why */
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
  /* the register (sổ đăng ký văn bản đi) */
  VB_C_REG_FOREIGN,    /* R001 the file is not a vanban register */
  VB_C_REG_NEWER,      /* R002 written by a newer vanban */
  VB_C_REG_DAMAGED,    /* R003 damaged or truncated */
  VB_C_REG_LOCKED,     /* R004 locked by another process for too long */
  VB_C_REG_CHANGED,    /* R005 already issued, and the content changed */
  VB_C_REG_SYMBOL,     /* R006 the issuer symbol is not in the register */
  VB_C_REG_PROFILE,    /* R007 the profile differs from the register's */
  VB_C_REG_TERM,       /* R008 the date is in no term of the committee */
  VB_C_REG_ORDER,      /* R009 dated before a document already numbered */
  VB_C_REG_NO_NUMBER,  /* R010 the document type takes no number */
  VB_C_REG_EXISTS,     /* R011 creating a register over an existing file */
  VB_C_REG_OPEN,       /* R012 the register cannot be opened */
  VB_C_REG_CORRECTION, /* R013 a correction changes the date or series */
  VB_C_REG_OVERLAP,    /* R014 a term overlaps another term */
  VB_C_REG_DB,         /* R015 SQLite failed to read or write */
  VB_C_REG_ARG         /* R016 a value given to the register is malformed */
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
   * are clamped into it. */
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
 * VB_EINVALID, VB_ENOMEM, VB_EFONT; after a failure the document can only
 * be freed. */
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

/* Writes bytes to `path` atomically: a temporary file in the same folder,
 * flushed, then renamed over `path`. On failure nothing is left behind and
 * `path` is untouched. "-" writes standard output. */
VB_EXPORT vb_status vb_write_file(const char *path, const unsigned char *data,
                                  size_t len);

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

/* ---------------------------------------------------------------------
 * The register: sổ đăng ký văn bản đi (NĐ 30 Điều 15, 16; HD 36 1.3.1).
 *
 * One SQLite file holds the issuing bodies, their number series, every
 * issued document and a history of every change. A register is opened
 * with vb_register_open() (checked: a vanban register at all, its schema
 * version, PRAGMA integrity_check; nothing is changed or repaired when a
 * check fails) or made with vb_register_create().
 *
 * Numbering a document is three steps:
 *   vb_register_take()   starts a write transaction, finds the document's
 *                        series and gives the document its number
 *                        (vb_doc_set_number()); the register stays locked
 *                        for other writers until commit or free
 *   vb_issue_add_output() once per file written, after writing it
 *   vb_issue_commit()    records the document and its files at once
 * vb_issue_free() without a commit abandons the number: the next document
 * gets it, so a failed render (or a killed process) leaves no gap.
 *
 * Problems are recorded as diagnostics (R001-R016) in the context given at
 * open, and the call returns VB_EREGISTER. The handles are not thread-safe;
 * any number of processes may use one register file at once.
 * SQLite allocates with its own allocator, not vb_options.mem.
 * --------------------------------------------------------------------- */
typedef struct vb_register vb_register;
typedef struct vb_issue vb_issue;
typedef struct vb_register_iter vb_register_iter;

/* What a new register starts with. Zero-initialise, then set. */
typedef struct vb_register_init {
  int abi_version;     /* reserved; set to 0 */
  const char *issuer;  /* the issuing body: "UBND xã Yên Phú" */
  const char *symbol;  /* its ký hiệu: "UBND", "BDVHU" */
  const char *profile; /* "nd30", "mttq" (per year) or "hd36" (per term) */
  const char *term;    /* Party term "YYYY-MM-DD:YYYY-MM-DD", or NULL */
} vb_register_init;

/* Creates a new register file at `path` (never over an existing file:
 * R011) and opens it. On VB_OK *out is the handle (close with
 * vb_register_close()); otherwise *out is NULL and no file is left. */
VB_EXPORT vb_status vb_register_create(vb_ctx *ctx, const char *path,
                                       const vb_register_init *init,
                                       vb_register **out);
/* Opens and checks an existing register. VB_EREGISTER with R001 (not a
 * register), R002 (newer version), R003 (damaged), R004 (locked too
 * long) or R012 (cannot be opened); the file is not changed. `ctx` must
 * outlive the handle. */
VB_EXPORT vb_status vb_register_open(vb_ctx *ctx, const char *path,
                                     vb_register **out);
/* Closes the register; an issue still open is abandoned. NULL is fine. */
VB_EXPORT void vb_register_close(vb_register *reg);
/* How long to wait for another process's lock before R004 (default 30 s). */
VB_EXPORT void vb_register_set_timeout(vb_register *reg, unsigned ms);
/* Adds a term of the Party committee, "YYYY-MM-DD:YYYY-MM-DD"; terms may
 * not overlap (R014). Recorded in the history. */
VB_EXPORT vb_status vb_register_add_term(vb_register *reg, const char *term);
/* Adds a Hội đồng, Ban or Tổ that uses the agency's seal and numbers in a
 * series of its own: its documents carry `symbol` as their ký hiệu. */
VB_EXPORT vb_status vb_register_add_body(vb_register *reg, const char *issuer,
                                         const char *symbol);

/* Flags of vb_register_take(). */
enum {
  /* the input changed since it was numbered: record it as a corrected
   * version (NĐ 30 Điều 18.3) under the same number and date */
  VB_TAKE_CORRECTION = 1 << 0
};

/* Numbers a document read with vb_doc_read() and not yet composed.
 * `input`/`len` are the bytes it was read from (their SHA-256 is
 * recorded; a document without <van-ban ma="..."> is known by it). A
 * document already in the register gets its old number again; one whose
 * content changed is R005 unless `flags` has VB_TAKE_CORRECTION. On VB_OK
 * *out holds the register's write lock until vb_issue_commit() or
 * vb_issue_free(); on failure *out is NULL and nothing is recorded. */
VB_EXPORT vb_status vb_register_take(vb_register *reg, vb_doc *doc,
                                     const void *input, size_t len,
                                     unsigned flags, vb_issue **out);

/* What a number is. Strings borrowed; valid until vb_issue_free(). */
typedef struct vb_issue_info {
  long number;
  const char *symbol; /* "05/KH-UBND" (state) or "05-KH/BDVHU" (Party) */
  const char *date;   /* "10/01/2024" */
  const char *series; /* "UBND 2024", "UBND 2024 mật", "BDVHU KH 2020-2025" */
  int again;          /* the same document, numbered before */
  int version;        /* 1, or 2.. for a corrected version */
} vb_issue_info;

VB_EXPORT vb_status vb_issue_get_info(const vb_issue *is, vb_issue_info *out);
/* Records a file written for the document: its path and SHA-256. */
VB_EXPORT vb_status vb_issue_add_output(vb_issue *is, const char *path,
                                        const unsigned char *data,
                                        size_t len);
/* Records the document and its files, and releases the lock. After a
 * failure nothing is recorded. Either way only vb_issue_free() is left. */
VB_EXPORT vb_status vb_issue_commit(vb_issue *is);
/* Frees the issue; without a commit its number is not taken. */
VB_EXPORT void vb_issue_free(vb_issue *is);

/* Which documents vb_register_list() and vb_register_export() give. */
typedef struct vb_register_filter {
  int abi_version;       /* reserved; set to 0 */
  int year;              /* 0: every year */
  const char *type_code; /* "KH"; NULL: every type */
} vb_register_filter;

/* One issued document, as the sổ shows it (NĐ 30 Phụ lục IV). Strings are
 * borrowed; valid until the next vb_register_next() or the iterator's
 * free. Empty strings where the document has none. */
typedef struct vb_entry {
  long number;
  const char *symbol;     /* "05/KH-UBND" */
  const char *date;       /* "10/01/2024" */
  const char *type_code;  /* "KH" */
  const char *type_name;  /* "KẾ HOẠCH" */
  const char *summary;    /* trích yếu */
  const char *signer;     /* người ký */
  const char *recipients; /* Nơi nhận, "; " between them */
  const char *kept_by;    /* Lưu: the units keeping the copy */
  const char *secret;     /* "", "mat", "toi-mat", "tuyet-mat" */
  const char *series;     /* as vb_issue_info.series */
  const char *id;         /* "ma:..." or "sha256:..." */
  int version;            /* 1, or 2.. after corrections */
} vb_entry;

/* Iterates the documents in the order of the sổ: by date, then number.
 * *out: free with vb_register_iter_free(). */
VB_EXPORT vb_status vb_register_list(vb_register *reg,
                                     const vb_register_filter *filter,
                                     vb_register_iter **out);
/* The next document; VB_OK with *out NULL after the last. */
VB_EXPORT vb_status vb_register_next(vb_register_iter *it,
                                     const vb_entry **out);
VB_EXPORT void vb_register_iter_free(vb_register_iter *it);

/* Formats of vb_register_export(). */
enum { VB_TABLE_CSV = 1, VB_TABLE_XLSX = 2 };
/* The sổ's ten columns (Phụ lục IV) as CSV (RFC 4180, UTF-8, CRLF) or
 * XLSX, into memory. On VB_OK *out holds *len bytes; caller frees with
 * vb_free(). */
VB_EXPORT vb_status vb_register_export(vb_register *reg,
                                       const vb_register_filter *filter,
                                       int format, unsigned char **out,
                                       size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* VANBAN_H */
