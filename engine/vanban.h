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
 * A program: vb_ctx_new(), then per document vb_doc_parse_file() (or
 * vb_doc_read(), vb_doc_set_number(), vb_doc_compose()), vb_render() per
 * format, vb_write_file(); read the diagnostics; vb_doc_free(); at the end
 * vb_ctx_free(). examples/api/ holds complete programs; man 3 vanban and
 * docs/abi.md the rules of the library's binary interface.
 *
 * Conventions for the whole interface:
 * - Statuses. Every function that can fail returns a vb_status; VB_OK is 0.
 *   Each call's comment lists the statuses it returns; VB_EUSAGE always
 *   means a NULL handle or out-parameter, an argument out of range, or a
 *   call in the wrong state (a document not composed, or another
 *   context's), and nothing was done. VB_ENOMEM can come from every fallible call
 *   that takes a vb_ctx; the context stays usable.
 * - Out-parameters. A call first sets every out-parameter it was given
 *   to NULL / 0, so on any status but VB_OK they hold NULL / 0 (never a
 *   stale or partial result) and nothing needs freeing; vb_doc_get_info()
 *   is the one exception (see there).
 * - Ownership. Strings are UTF-8. Strings returned by the library are
 *   borrowed: valid until the object that owns them is freed (the comment
 *   names it), unless a comment says "caller frees with vb_free()".
 *   Every *_free() function accepts NULL.
 * - Order of freeing. A document belongs to the context that read it:
 *   free every document (vb_doc_free()) and every buffer (vb_free()) before
 *   the context (vb_ctx_free()), and use a document only with its own
 *   context. A document freed after its context is still freed correctly
 *   (it keeps its own copy of the allocator, whose `user` must then still
 *   be valid), but nothing else may be done with it.
 * - Threads. The library keeps no global state of its own. A context and
 *   the documents it read are used by one thread at a time; different
 *   threads may each use their own context at the same time. libxml2 2.9
 *   (Debian 12) initialises itself on its first use, which is not thread
 *   safe: read one document (vb_doc_read(), any input) before starting the
 *   threads. vb_version(), vb_code_id() and vb_status_str() may be called
 *   from any thread at any time.
 * - Diagnostics. The library never prints. Problems found in the input are
 *   recorded as diagnostics in the vb_ctx, in input order per document, and
 *   read with vb_diag_count()/vb_diag_at(). They accumulate across the
 *   documents of a context until vb_ctx_clear(): a batch clears the context
 *   after reading each document's diagnostics. Each call judges only the
 *   errors it recorded itself, so uncleared errors of an earlier document
 *   never fail a later one; but the options' max_errors caps the whole
 *   list, so an uncleared context stops recording messages (errors are
 *   still counted by vb_error_count()).
 * - Limits. Every input and output is bounded (VB_MAX_* below); past a
 *   limit a call returns VB_ELIMIT and records X009, naming the limit.
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
  /* templates (document kinds as data) */
  VB_C_TEMPLATE,       /* M001 unknown template (document kind) */
  VB_C_TPL_ELEMENT,    /* M002 element not part of the template language */
  VB_C_TPL_FIELD,      /* M003 layout or rule names an undeclared field */
  VB_C_TPL_CHECK,      /* M004 unknown named check */
  VB_C_TPL_PLACE,      /* M005 element not allowed at that place */
  VB_C_UNKNOWN_ATTR,   /* V070 unknown attribute (warning) */
  VB_C_MISSPELT,       /* V071 unknown element close to a missing field */
  VB_C_TOO_LONG,       /* V101 text longer than the guidance advises */
  VB_C_DATE_ORDER,     /* V102 a start that is not before its end */
  VB_C_KINH_GUI,       /* V103 Kính gửi does not fit the unit's level */
  VB_C_OUT_OF_PERIOD,  /* V104 a date outside the plan's year or period */
  VB_C_LATE,           /* V105 registered after the campaign's deadline */
  VB_C_REQUIRED_WHEN,  /* V107 field required by another field's value */
  /* reading a filled Word form (vb_extract_docx) */
  VB_C_PKG_NOT_ZIP,    /* W001 not a DOCX: not a zip, a PDF, damaged */
  VB_C_PKG_ENTRIES,    /* W002 too many entries in the package */
  VB_C_PKG_SIZE,       /* W003 an entry unpacks past the limit (zip bomb) */
  VB_C_PKG_NAME,       /* W004 an entry name unsafe as a path */
  VB_C_PKG_CORRUPT,    /* W005 an entry cannot be unpacked */
  VB_C_PKG_MISSING,    /* W006 a required part is missing */
  VB_C_PKG_XML,        /* W007 a part is malformed XML */
  VB_C_PKG_DTD,        /* W008 a part holds a DTD or entity */
  VB_C_FORM_NONE,      /* W009 no tagged content control */
  VB_C_FORM_TAG,       /* W010 a control's tag is not a field path (warning) */
  VB_C_FORM_DUP,       /* W011 a field filled twice (warning) */
  VB_C_FORM_KIND,      /* W012 the form's name is not recorded (warning) */
  VB_C_FORM_FLAT,      /* W013 a multi-paragraph field flattened (warning) */
  VB_C_FORM_LOST,      /* W014 untagged controls do not match the list */
  /* reading the input, continued */
  VB_C_BIDI,           /* X011 bidirectional control character */
  VB_C_INVISIBLE,      /* X012 other invisible format character */
  VB_C_NUL             /* X013 NUL byte in the file */
} vb_code;

typedef enum vb_severity { VB_SEV_ERROR = 0, VB_SEV_WARNING = 1 } vb_severity;

typedef enum vb_lang { VB_LANG_VI = 0, VB_LANG_EN = 1 } vb_lang;

/* Output formats, one per vb_render() call. Distinct bits, so that a
 * program can keep a set of formats in one int. */
enum {
  VB_FORMAT_PDF = 1 << 0,
  VB_FORMAT_DOCX = 1 << 1,
  VB_FORMAT_TREE = 1 << 2,  /* text dump of the document tree */
  VB_FORMAT_LAYOUT = 1 << 3 /* text dump of every placed PDF line */
};

/* A diagnostic. Borrowed from the context: the pointer vb_diag_at()
 * returns is valid until the next call that records diagnostics on that
 * context (vb_doc_*, vb_render()); the strings it points to until
 * vb_ctx_clear() or vb_ctx_free(). Arguments longer than 200 bytes are cut
 * at a character boundary and end in "…". */
typedef struct vb_diag {
  vb_code code;
  vb_severity severity;
  const char *file; /* the `name` or `path` given to vb_doc_read(),
                       vb_doc_parse() or vb_doc_parse_file(); a data
                       file's path (a profile); "-" when there is none
                       (standard input, output limits). Never NULL. */
  unsigned line;    /* 1-based; 0 when unknown */
  unsigned col;     /* 1-based; 0 when unknown */
  const char *arg[2]; /* the message's %s arguments (may be NULL) */
  const char *field;  /* the input element the diagnostic is about (its
                         name, e.g. "ten-mo-hinh"), or NULL */
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
                            $VANBAN_DATADIR, the checkout the program runs
                            from, then PREFIX/share/vanban (vb_ctx_new()) */
  const vb_mem *mem;     /* NULL: the C library's malloc */
  unsigned max_errors;   /* diagnostics kept on the context (errors and
                            warnings, all documents since vb_ctx_clear());
                            later errors are counted, not kept. 0:
                            VB_DEFAULT_MAX_ERRORS */
  /* Page margins in millimetres; 0 keeps the profile's default. Values
   * outside the legal range (top/bottom 20-25, left 30-35, right 15-20)
   * are clamped into it. A value that is not a finite number (NaN,
   * infinity) makes vb_doc_compose() fail with VB_EUSAGE. */
  double margin_top, margin_bottom, margin_left, margin_right;
} vb_options;

/* The largest document number (số) a document can carry. */
#define VB_MAX_NUMBER 999999

/* Limits, each with its reason. Past one, the call returns VB_ELIMIT and
 * records X009 with the limit's name and value. */
/* Input size in bytes: a document of hundreds of pages is well under 8 MiB
 * of XML. vb_doc_read() and vb_doc_parse_file() refuse larger inputs. */
#define VB_MAX_INPUT_BYTES (8u << 20)
/* Element nesting: the forms nest four deep; 64 leaves room for growth
 * while refusing pathological nesting cheaply. */
#define VB_MAX_DEPTH 64
/* Elements in one input: a 1,000-page plan has a few hundred; bounds the
 * lists (recipients, căn cứ) too. */
#define VB_MAX_ELEMENTS 100000
/* One output of vb_render(): a 10,000-page PDF is about 20 MiB. */
#define VB_MAX_OUTPUT_BYTES ((size_t)256 << 20)
/* Pages of one PDF. */
#define VB_MAX_PAGES 10000
/* Diagnostics kept when vb_options.max_errors is 0. */
#define VB_DEFAULT_MAX_ERRORS 100

/* Options, the data folder, the diagnostics and the opened fonts; reused
 * by any number of documents, one thread at a time. */
typedef struct vb_ctx vb_ctx;
/* One document: validated input, then its document tree. Belongs to the
 * context that read it. */
typedef struct vb_doc vb_doc;

/* Returns the library version, e.g. "0.1.0". */
VB_EXPORT const char *vb_version(void);

/* Creates a context. opt may be NULL (all defaults); it is copied, but the
 * strings and the vb_mem it points to must outlive the context. The data
 * folder is chosen now: opt->data_dir, $VANBAN_DATADIR, the source checkout
 * the program runs from (build/vanban), then the installed folder
 * (PREFIX/share/vanban); a missing or damaged data file is reported when a
 * document needs it. Returns NULL when out of memory. Free with
 * vb_ctx_free(). */
VB_EXPORT vb_ctx *vb_ctx_new(const vb_options *opt);
/* Frees the context, its diagnostics and its fonts. Free its documents
 * first (see "Order of freeing" above). */
VB_EXPORT void vb_ctx_free(vb_ctx *ctx);
/* Forgets the recorded diagnostics (vb_diag_count() and vb_error_count()
 * become 0) and frees their strings: pointers from vb_diag_at() are no
 * longer valid. Documents and fonts are kept. Call it between the
 * documents of a batch. */
VB_EXPORT void vb_ctx_clear(vb_ctx *ctx);

/* Reads and validates one document from memory, without composing it.
 * `name` is used in diagnostics (a path, or "-" for standard input). On
 * VB_OK *out is a validated document (free with vb_doc_free()); warnings
 * may have been recorded. Between this call and vb_doc_compose() the
 * document can be numbered (vb_doc_set_number()), e.g. from a register.
 * On any other status *out is NULL: VB_EINVALID (the input has errors, all
 * recorded: XML, fields, the profile), VB_ELIMIT (a VB_MAX_* limit, X009),
 * VB_ENOMEM, VB_EUSAGE (ctx or out NULL, or data NULL with len > 0).
 * `data` need not be NUL-terminated and is not kept. Only the errors
 * recorded by this call count: earlier documents' errors on the same
 * context do not. */
VB_EXPORT vb_status vb_doc_read(vb_ctx *ctx, const char *name,
                                const char *data, size_t len, vb_doc **out);
/* Gives a validated, not yet composed document its number (1 ..
 * VB_MAX_NUMBER), replacing any <so> of the input. VB_OK, or VB_EUSAGE
 * when doc is NULL, already composed (or failed to compose) or the number
 * is out of range; the document is then unchanged. Records nothing. */
VB_EXPORT vb_status vb_doc_set_number(vb_doc *doc, long number);
/* Builds the document tree that vb_render() draws, from a document read
 * by vb_doc_read() on the same context. Opens the fonts of the data folder
 * on first use (kept in the context). Records V060 for characters the
 * fonts lack and V061 for header lines too long for their column.
 * VB_OK (also when already composed), VB_EINVALID (errors recorded),
 * VB_EFONT (a font file missing or unusable), VB_ENOMEM,
 * VB_EUSAGE (NULL, another context's document, a document whose
 * composing failed before, or a margin option that is not a finite
 * number); after a failure the document can only be freed. */
VB_EXPORT vb_status vb_doc_compose(vb_ctx *ctx, vb_doc *doc);
/* vb_doc_read() then vb_doc_compose(): a document ready to render, or,
 * on any status of either call but VB_OK, *out NULL and nothing to free.
 */
VB_EXPORT vb_status vb_doc_parse(vb_ctx *ctx, const char *name,
                                 const char *data, size_t len, vb_doc **out);
/* The same from a file; `path` "-" reads standard input, and `path` is
 * the name in diagnostics. Adds VB_EIO (the file cannot be read: X005
 * recorded with the system's reason) and VB_ELIMIT (larger than
 * VB_MAX_INPUT_BYTES: X009). */
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

/* Fills *out (strings borrowed from doc: valid until vb_doc_free()).
 * VB_OK, or VB_EUSAGE when doc or
 * out is NULL (*out then untouched). Records nothing. */
VB_EXPORT vb_status vb_doc_get_info(const vb_doc *doc, vb_doc_info *out);
/* Frees a document and everything borrowed from it. Call it before
 * vb_ctx_free() of its context. */
VB_EXPORT void vb_doc_free(vb_doc *doc);

/* Renders a composed `doc` in one format (one VB_FORMAT_* bit) into
 * memory. On VB_OK *out holds *len bytes; caller frees with
 * vb_free(ctx, *out).
 * Otherwise *out is NULL and *len 0: VB_EPDF, VB_EDOCX (the renderer
 * failed), VB_EFONT, VB_ELIMIT (more than VB_MAX_PAGES pages or
 * VB_MAX_OUTPUT_BYTES bytes: X009), VB_ENOMEM, VB_EUSAGE (a NULL argument,
 * a format that is not one VB_FORMAT_* bit, another context's document, or
 * a document read but not composed). The document is not changed: it can
 * be rendered again, in any format. */
VB_EXPORT vb_status vb_render(vb_ctx *ctx, const vb_doc *doc, int format,
                              unsigned char **out, size_t *len);

/* Writes bytes to `path` atomically: a temporary file in the same folder
 * (".vanban-XXXXXX.tmp", short whatever the target's name), flushed, then
 * renamed over `path`. VB_OK; VB_EIO on failure, and then nothing is left
 * behind and `path` is untouched; VB_EUSAGE when path is NULL or empty or
 * data NULL with len > 0. "-" writes standard output. Records no
 * diagnostic (it has no context): the caller reports the failure; on
 * VB_EIO errno says why, on VB_ENOMEM it is ENOMEM. What a replaced file
 * keeps:
 * - its permission bits (a new file gets 0666 less the umask);
 * - not its owner: the new file belongs to the user running the call;
 * - not its hard links: other names of the old file keep the old bytes.
 * A symbolic link is followed: the file it names is replaced, the link
 * stays; a link to nothing is refused (VB_EIO, errno ENOENT). A character
 * device or a FIFO (/dev/null, /dev/stdout on a pipe, a named pipe) is
 * written directly, without a temporary file; any other file that is not
 * a regular file is refused (errno EISDIR or EINVAL). Same as one
 * vb_outputs_add() and vb_outputs_commit(). */
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
/* A form to fill in, for Word: the document kind `kind` ("mau-01b") with
 * every field a content control (a drop-down for a list, a date picker for
 * a date; dotted lines in the PDF), laid out by the template's
 * <bo-cuc-mau>. `data` (len bytes, `name` in diagnostics), when not NULL,
 * is a draft in the XML input format whose values prefill the form: it
 * may leave out what is required, but what it gives must be valid, and
 * its kind must be `kind`. On VB_OK *out is a composed document: render it
 * as VB_FORMAT_DOCX (or PDF, a printable blank); free with vb_doc_free().
 * vb_extract_docx() reads the filled form back. Otherwise *out is NULL:
 * VB_EINVALID with diagnostics (M001 for an unknown kind), VB_EUSAGE,
 * VB_ENOMEM. */
VB_EXPORT vb_status vb_form_new(vb_ctx *ctx, const char *kind,
                                const char *name, const char *data,
                                size_t len, vb_doc **out);

/* Document kinds. Each is a template, templates/NAME.xml of the data
 * folder, that declares the fields of its input and its layout.
 *
 * vb_template_list() describes every kind, one line each:
 *   NAME <TAB> TITLE <LF>
 * with the title in the context's language. vb_template_fields() describes
 * the fields of one kind, one line each, in the order of the template:
 *   PATH <TAB> LABEL <TAB> TYPE <TAB> REQUIRED <TAB> REPEAT <TAB> LIMIT
 *        <TAB> CLAUSE <TAB> CHOICES <LF>
 * PATH is "nguoi-dang-ky/doi-tuong" (an attribute: "nhom/@ten"); TYPE one
 * of dong, markdown, ngay, so, lua-chon, nhom; REQUIRED "co", "khong", or
 * "khi PATH" / "khi PATH=KEY"; REPEAT "co" or "khong"; LIMIT the most
 * characters; CHOICES the printed labels joined by "; ". On VB_OK *out is a
 * NUL-terminated text; caller frees with vb_free(). An unknown kind is
 * VB_EINVALID with a diagnostic (M001); a broken template VB_EINVALID with
 * diagnostics at its own lines. */
VB_EXPORT vb_status vb_template_list(vb_ctx *ctx, char **out);
VB_EXPORT vb_status vb_template_fields(vb_ctx *ctx, const char *name,
                                       char **out);

/* Reads a filled Word form (a DOCX written by `vanban form`, filled in
 * Word or LibreOffice) back into the XML input format:
 *   <van-ban mau="mau-01b" the-thuc="hd36"> one element per field path
 * ("nguoi-ky/ho-ten" nests, "thanh-vien[2]/ho-ten" is the second
 * <thanh-vien>), in document order; controls still showing their
 * placeholder, or empty, are left out (docs/word-forms.md). `name` is used
 * in diagnostics. The DOCX is treated as hostile (limits in package.h).
 * On VB_OK *xml holds *xml_len bytes, NUL-terminated; caller frees with
 * vb_free(); warnings may have been recorded. Otherwise *xml is NULL:
 * VB_EINVALID or VB_ELIMIT with a W0xx diagnostic, or VB_ENOMEM. */
VB_EXPORT vb_status vb_extract_docx(vb_ctx *ctx, const char *name,
                                    const char *data, size_t len, char **xml,
                                    size_t *xml_len);

/* Frees memory the library handed out ("caller frees with vb_free()"),
 * with the allocator of `ctx`, the context that returned it; before
 * vb_ctx_free(ctx). ptr may be NULL. */
VB_EXPORT void vb_free(vb_ctx *ctx, void *ptr);

/* Diagnostics recorded since the context was created or last cleared
 * (vb_ctx_clear()), each document's in input order. vb_diag_at() returns
 * NULL when i >= vb_diag_count(); both accept a NULL ctx (0, NULL). */
VB_EXPORT size_t vb_diag_count(const vb_ctx *ctx);
VB_EXPORT const vb_diag *vb_diag_at(const vb_ctx *ctx, size_t i);
/* Number of errors since the context was created or cleared (warnings
 * not counted), including those past max_errors that were not kept. */
VB_EXPORT size_t vb_error_count(const vb_ctx *ctx);
/* Formats a diagnostic as "file:line:col: lỗi[V010]: message" (vi) or
 * "file:line:col: error[V010]: message" (en); ":line" and ":col" are left
 * out when 0. The whole message is in `lang`, whatever the context's
 * language. Caller frees with vb_free(ctx, ...). NULL when out of memory
 * or ctx or d is NULL. */
VB_EXPORT char *vb_diag_format(vb_ctx *ctx, const vb_diag *d, vb_lang lang);
/* The stable rule ID of a code, e.g. "V010". A static string; never
 * NULL (an unknown code gives the ID of VB_C_NONE). */
VB_EXPORT const char *vb_code_id(vb_code code);
/* A short description of a status, in the given language. A static
 * string; never NULL (an unknown status has its own text). */
VB_EXPORT const char *vb_status_str(vb_status st, vb_lang lang);
/* Why a file could not be read or written (an errno value), in the given
 * language: strerror() speaks only English. */
VB_EXPORT const char *vb_errno_str(int errnum, vb_lang lang);

#ifdef __cplusplus
}
#endif

#endif /* VANBAN_H */
