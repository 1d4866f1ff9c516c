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
 *   never fail a later one; but the options' max_errors caps the errors
 *   kept (and the warnings, apart), so an uncleared context stops
 *   recording messages (errors are still counted by vb_error_count()).
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
  /* lists of records (CSV, XLSX) for batch runs */
  VB_C_TAB_XLS,        /* B001 Excel 97-2003 or encrypted file */
  VB_C_TAB_ODS,        /* B002 OpenDocument spreadsheet */
  VB_C_TAB_UTF16,      /* B003 CSV in UTF-16 */
  VB_C_TAB_UTF8,       /* B004 cell not valid UTF-8 */
  VB_C_TAB_CONTROL,    /* B005 control character in a cell */
  VB_C_TAB_QUOTE,      /* B006 misplaced double quote (CSV) */
  VB_C_TAB_UNCLOSED,   /* B007 double quote never closed (CSV) */
  VB_C_TAB_FILE_SIZE,  /* B008 file too large */
  VB_C_TAB_ROWS,       /* B009 too many rows */
  VB_C_TAB_COLS,       /* B010 too many columns */
  VB_C_TAB_CELL_LEN,   /* B011 cell too long */
  VB_C_TAB_LINE_LEN,   /* B012 line too long (CSV) */
  VB_C_TAB_CELLS,      /* B013 too many cells */
  VB_C_TAB_ZIP,        /* B014 XLSX not readable as ZIP */
  VB_C_TAB_ZIP_ENTRIES, /* B015 too many parts in the XLSX */
  VB_C_TAB_ZIP_SIZE,   /* B016 a part unpacks too large (zip bomb) */
  VB_C_TAB_PART,       /* B017 a part of the XLSX is missing */
  VB_C_TAB_XML,        /* B018 a part of the XLSX is malformed XML */
  VB_C_TAB_XML_DTD,    /* B019 DTD or entities in a part */
  VB_C_TAB_SHEET,      /* B020 no sheet of that name */
  VB_C_TAB_NOT_SHEET,  /* B021 the sheet is not a worksheet */
  VB_C_TAB_EMPTY,      /* B022 no header row */
  VB_C_TAB_NO_HEADER,  /* B023 data in a column without a header */
  VB_C_TAB_HEADER_DUP, /* B024 two columns for one field */
  VB_C_TAB_HEADER_UNKNOWN, /* B025 header not a field of the form (warning) */
  VB_C_TAB_NO_FIELDS,  /* B026 no header names a field of the form */
  VB_C_TAB_DATE,       /* B027 date cell holds no real date */
  VB_C_TAB_FORMULA,    /* B028 formula error in a cell */
  VB_C_TAB_SST_INDEX,  /* B029 shared string index out of range */
  VB_C_TAB_CELL_REF,   /* B030 invalid cell reference */
  VB_C_TAB_NUMBER,     /* B031 number cell not a number */
  VB_C_TAB_STRINGS,    /* B032 too many shared strings */
  VB_C_TAB_LEGACY,     /* B033 cell typed in TCVN3 / VNI */
  /* layout */
  VB_C_NAME_SPLIT,     /* V062 header name broken in two to fit its column */
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
  VB_C_REG_ARG,        /* R016 a value given to the register is malformed */
  /* reading the input, continued */
  VB_C_BIDI,           /* X011 bidirectional control character */
  VB_C_INVISIBLE,      /* X012 other invisible format character */
  VB_C_NUL,            /* X013 NUL byte in the file */
  /* rules of NĐ 30 written in docs/ (issue 11) */
  VB_C_CAN_CU_PUNCT,   /* V108 a căn cứ line without its punctuation */
  VB_C_TITLE_NAME,     /* V109 an academic title before the signer's name */
  VB_C_STATE_CASE,     /* V160 a state summary starting in lower case */
  VB_C_KT_SELF,        /* V161 KT. X signed by X himself */
  /* issue 12: what the input is when it is not vanban's XML, and
   * libxml2's syntax errors in vanban's words */
  VB_C_NOT_XML_DOCX,   /* X030 a Word file given as input */
  VB_C_NOT_XML_PDF,    /* X031 a PDF given as input */
  VB_C_NOT_XML_ZIP,    /* X032 a ZIP archive given as input */
  VB_C_NOT_XML_XLSX,   /* X033 an Excel workbook given as input */
  VB_C_NOT_XML_TEXT,   /* X034 plain text given as input */
  VB_C_XML_MISMATCH,   /* X035 an end tag that does not match */
  VB_C_XML_UNCLOSED,   /* X036 the file ends inside an element */
  VB_C_XML_NAME,       /* X037 no name after "<" (a "<" in text) */
  VB_C_XML_ATTR,       /* X038 a malformed tag or attribute */
  VB_C_XML_AMP,        /* X039 a "&" in text not written &amp; */
  VB_C_XML_EXTRA,      /* X040 content after the root element */
  VB_C_XML_EMPTY,      /* X041 an empty file */
  VB_C_NOT_XML_OLE,    /* X042 a Word 97-2003 or Excel 97-2003 file */
  VB_C_DATA_MISSING,   /* X043 a data file missing: the folders searched */
  VB_C_MARGIN_RANGE,   /* V150 a margin outside the legal range (warning) */
  /* batches of certificates (vb_batch_*) */
  VB_C_FIT,            /* V130 a value too long even at the smallest size */
  VB_C_ONE_PAGE,       /* V131 a record does not fit on one page */
  VB_C_BATCH_EXISTS,   /* B050 an output file exists (no --force) */
  VB_C_BATCH_DECISION, /* B051 the decision holds no list of records */
  VB_C_BATCH_OPEN,     /* B052 an output file cannot be written */
  /* issue 9: decisions, lists named by the input */
  VB_C_LIST_TWICE,     /* V110 a list both written out and named as a file */
  VB_C_LIST_PATH,      /* V111 a list file outside the document's folder */
  VB_C_NO_FORM         /* V112 a kind whose layout has no Word form */
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
  /* Appended for lists (CSV, XLSX): when `table` is set, line is the row
   * as a spreadsheet numbers it (the header is row 1; 0: the whole file),
   * col the column's number (1 is A; 0: the whole row) and column its
   * field name, or its letter when it has none. Formatted as
   * "danh-sach.xlsx: dòng 17, cột ten-mo-hinh: lỗi[B004]: ...". */
  int table;
  const char *column;
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
  unsigned max_errors;   /* errors kept on the context, and as many
                            warnings (capped apart, so that warnings never
                            crowd out an error), all documents since
                            vb_ctx_clear(); later errors are counted, not
                            kept. 0: VB_DEFAULT_MAX_ERRORS */
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
/* Lists of records (CSV, XLSX) for batch runs.
 *
 * A list is read whole into memory as rows of (field name -> value): the
 * first row holding data is the header and names the fields; blank rows
 * are left out; values are UTF-8 in NFC without leading or trailing white
 * space, line breaks as "\n", "" for an empty cell. XLSX dates (a number
 * with a date format) come as "YYYY-MM-DD", other numbers as Excel shows
 * them in General format. Problems are diagnostics (B001-B032) naming the
 * row as a spreadsheet numbers it (the header is row 1) and the column
 * (its field name, or its letter). Strings returned are borrowed; valid
 * until vb_table_free(). docs/lists.md describes the accepted files. */
typedef struct vb_table vb_table;

/* An accepted spelling of a header: {"Tên mô hình", "ten-mo-hinh"}. */
typedef struct vb_table_label {
  const char *label;
  const char *name;
} vb_table_label;

/* Options. Zero-initialise, then set what you need. */
typedef struct vb_table_opts {
  int abi_version; /* reserved; set to 0 */
  /* Header spellings. NULL: every header is a field name as written.
   * Otherwise a header matching a label or a name exactly, or else when
   * case, diacritics and punctuation are ignored, is that field; any other
   * header keeps its own text, with warning B025. */
  const vb_table_label *labels;
  size_t nlabels;
  const char *sheet; /* XLSX: the sheet's name; NULL: the first sheet */
} vb_table_opts;

/* Reads a list from memory: XLSX when the bytes are a ZIP archive, else
 * CSV (UTF-8 with or without BOM, RFC 4180 quoting, comma or semicolon).
 * `name` is used in diagnostics. On VB_OK *out is the list (free with
 * vb_table_free()); warnings may have been recorded. Otherwise *out is
 * NULL: VB_EINVALID (every bad cell recorded, up to max_errors),
 * VB_ELIMIT, VB_ENOMEM, VB_EUSAGE. opt may be NULL. */
VB_EXPORT vb_status vb_table_read(vb_ctx *ctx, const char *name,
                                  const char *data, size_t len,
                                  const vb_table_opts *opt, vb_table **out);
/* The same from a file; "-" reads standard input. A CSV is streamed, so
 * memory stays bounded by the list itself; VB_EIO when it cannot be
 * read. */
VB_EXPORT vb_status vb_table_read_file(vb_ctx *ctx, const char *path,
                                       const vb_table_opts *opt,
                                       vb_table **out);
VB_EXPORT void vb_table_free(vb_table *t);
/* Number of columns (fields) and of rows (records, the header not
 * counted). */
VB_EXPORT size_t vb_table_ncols(const vb_table *t);
VB_EXPORT size_t vb_table_nrows(const vb_table *t);
/* Column j (0-based): its field name, and its header as written. NULL
 * when j is out of range. */
VB_EXPORT const char *vb_table_col_name(const vb_table *t, size_t j);
VB_EXPORT const char *vb_table_col_header(const vb_table *t, size_t j);
/* Row i (0-based) as a spreadsheet numbers it; 0 when out of range. */
VB_EXPORT unsigned vb_table_row_number(const vb_table *t, size_t i);
/* The value of field `name` in row i; *len (may be NULL) its length.
 * NULL when i is out of range or the list has no such field. */
VB_EXPORT const char *vb_table_value(const vb_table *t, size_t i,
                                     const char *name, size_t *len);

/* Batches: one document kind (a certificate) printed once per record of a
 * list (docs/batch.md).
 *
 * vb_batch_new() loads the kind once; vb_batch_doc() turns row i of a
 * list into a validated, composed document, with diagnostics naming the
 * list's row and column ("danh-sach.xlsx: dòng 17, cột ten-mo-hinh: ...");
 * a record whose page would overflow is V131, a value too long to shrink
 * into its lines V130. Documents of a batch borrow its template: free them
 * before vb_batch_free(). Rendering each with vb_render() works; a batch
 * PDF is faster: every record is first given to vb_batch_prepare() (the
 * characters it draws), then vb_batch_pdf_begin(), vb_batch_pdf_add() per
 * record, vb_batch_pdf_end(), as often as wanted (one PDF of every record,
 * or one file per record), the faces subset once for all of them. */
typedef struct vb_batch vb_batch;

typedef struct vb_batch_opts {
  int abi_version;     /* reserved; set to 0 */
  const char *profile; /* the-thuc of records that name none; NULL: the
                          kind's default */
  const char *paper;   /* "A4" or "A3" (the same page scaled by 1.414,
                          the text too); NULL: the template's */
  int overlay;         /* PDF: only the values, no border or fixed text
                          (pre-printed forms) */
  double offset_x_mm, offset_y_mm; /* overlay: shift right and down */
} vb_batch_opts;

/* On VB_OK *out is the batch (free with vb_batch_free()). VB_EINVALID
 * with M001 for an unknown kind, or the template's own diagnostics;
 * VB_EUSAGE for a paper other than A4 or A3; VB_ENOMEM. opt may be
 * NULL. */
VB_EXPORT vb_status vb_batch_new(vb_ctx *ctx, const char *kind,
                                 const vb_batch_opts *opt, vb_batch **out);
VB_EXPORT void vb_batch_free(vb_batch *b);
/* The headers a list may use: each field's name and its Vietnamese label,
 * for vb_table_opts.labels. Borrowed; valid until vb_batch_free(). */
VB_EXPORT const vb_table_label *vb_batch_labels(const vb_batch *b,
                                                size_t *n);
/* Row i of t as a composed document: every field of the kind from the
 * column of its name; "the-thuc" picks the profile. On VB_OK *out is the
 * document (free with vb_doc_free() before vb_batch_free()); otherwise
 * *out is NULL and the row's errors are recorded (VB_EINVALID). */
VB_EXPORT vb_status vb_batch_doc(vb_batch *b, const vb_table *t, size_t i,
                                 vb_doc **out);
/* The same from n pairs of (field name, value); `file` and `row` name the
 * record in diagnostics (row 0: none). */
VB_EXPORT vb_status vb_batch_doc_values(vb_batch *b, const char *file,
                                        unsigned row,
                                        const char *const *names,
                                        const char *const *values, size_t n,
                                        vb_doc **out);
/* The records of a Quyết định công nhận (docs/batch.md): an XML input
 * whose <danh-sach> holds one element per recognised model or person,
 * each with child elements named as the kind's fields; the decision's
 * own <so>, <ngay>, <ky-hieu> become so-quyet-dinh, ngay-quyet-dinh and
 * ky-hieu of every record, and its other top-level elements named as
 * fields of the kind (dia-danh, co-quan, nguoi-ky, chuc-vu, ...) fill
 * what a record leaves out; the-thuc= is kept. As a list: the row of a
 * record is its element's line. On VB_OK *out is the list (free with
 * vb_table_free()); VB_EINVALID (malformed XML, B051 no records). */
VB_EXPORT vb_status vb_batch_read_decision(vb_batch *b, const char *name,
                                           const char *data, size_t len,
                                           vb_table **out);
/* Records the characters doc draws; every document added to a batch PDF
 * must have been prepared first. After the first vb_batch_pdf_begin()
 * this returns VB_EUSAGE. */
VB_EXPORT vb_status vb_batch_prepare(vb_batch *b, const vb_doc *doc);
/* Starts a PDF; VB_EUSAGE when one is open. */
VB_EXPORT vb_status vb_batch_pdf_begin(vb_batch *b);
/* Draws doc's pages after those already drawn. */
VB_EXPORT vb_status vb_batch_pdf_add(vb_batch *b, const vb_doc *doc);
/* Finishes the PDF: *out holds *len bytes, caller frees with vb_free(). */
VB_EXPORT vb_status vb_batch_pdf_end(vb_batch *b, unsigned char **out,
                                     size_t *len);
/* The same written to `path` (not "-") as vb_write_file() writes: a
 * temporary file in the same folder renamed over it, nothing left on
 * failure (VB_EIO); the PDF never whole in memory. */
VB_EXPORT vb_status vb_batch_pdf_end_file(vb_batch *b, const char *path);

/* Frees memory the library handed out (with the context's allocator). */
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
enum { VB_TABLE_CSV = 1, VB_TABLE_XLSX = 2, VB_TABLE_PDF = 3, VB_TABLE_DOCX = 4 };
/* The sổ's ten columns (Phụ lục IV) as CSV (RFC 4180, UTF-8, CRLF) or
 * XLSX; or the sổ printed as Phụ lục IV shows it (PDF or DOCX: cover and
 * first page, then the columns on A4 landscape, header repeated on every
 * page), into memory. On VB_OK *out holds *len bytes; caller frees with
 * vb_free(). */
VB_EXPORT vb_status vb_register_export(vb_register *reg,
                                       const vb_register_filter *filter,
                                       int format, unsigned char **out,
                                       size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* VANBAN_H */
