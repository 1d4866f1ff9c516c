/* form.h - document kinds as data: a template (templates/NAME.xml) declares
 * the fields of its input (names, labels, types, what is required, limits,
 * the clause of the guidance behind each rule), the named checks that need
 * code, and the layout that turns the values into a document tree.
 * form.c reads templates; validate.c checks an input against one and
 * builds the record of values; template.c expands the layout. */
#ifndef VB_FORM_H
#define VB_FORM_H

#include "input.h"
#include "profile.h"

/* Limits of a template file, each with its reason. Templates are edited by
 * users, so they are hostile input like any other. */
/* The richest form (a KẾ HOẠCH) has about 30 fields. */
#define VB_TPL_MAX_FIELDS 1000
/* Groups nest three deep in the forms (nguoi-ky > ...). */
#define VB_TPL_MAX_FIELD_DEPTH 8
/* A layout of a few hundred elements draws a certificate or a form. */
#define VB_TPL_MAX_LAYOUT 10000
/* Loops and conditions nest a few levels (a table in a loop). */
#define VB_TPL_MAX_LAYOUT_DEPTH 16
/* Spellings and choices of one list field. */
#define VB_TPL_MAX_CHOICES 200
/* A template names a file: lower-case letters, digits and "-". */
#define VB_TPL_MAX_NAME 40

enum vb_ftype {
  VB_F_LINE = 0, /* one line of text (white space folded) */
  VB_F_MARKDOWN, /* body text in Markdown */
  VB_F_DATE,     /* YYYY-MM-DD, DD/MM/YYYY, D-M-YYYY */
  VB_F_NUMBER,   /* a positive integer */
  VB_F_CHOICE,   /* one of a list, with accepted spellings */
  VB_F_GROUP     /* a group of fields */
};

struct vb_choice {
  const char *key;             /* "kinh-te" */
  const char *label;           /* printed: "Phát triển kinh tế" */
  const char **spellings;      /* accepted, compared folded; NULL-ended */
};

struct vb_field {
  const char *name;            /* element (or attribute) name */
  const char *label_vi, *label_en;
  const char *clause;          /* the guidance behind the rules, or NULL */
  const char *hint;            /* what to write: Word placeholder, listing */
  enum vb_ftype type;
  unsigned required : 1;
  unsigned repeat : 1;
  unsigned attr : 1;           /* an attribute of the parent element */
  unsigned may_be_empty : 1;   /* present and empty is not V002 */
  unsigned upper : 1;          /* printed in capitals */
  const char *when;            /* required when this field (a path from the
                                  root) has a value ... */
  const char *when_value;      /* ... equal to this choice key (or NULL) */
  const char *from_file;       /* tu-tep: the parent's attribute that may
                                  name a CSV/XLSX file of the instances of
                                  this repeated group (attach.c) */
  long max_chars;              /* error past this many characters */
  long warn_chars;             /* warning past this many (0: none) */
  const struct vb_choice *choices;
  size_t nchoices;
  struct vb_field *parent, *first, *next;
  unsigned line, col;          /* in the template file */
};

/* A named check: code a template refers to by name (validate.c). */
struct vb_record;
struct vb_checker;
typedef void (*vb_check_fn)(struct vb_checker *c);
struct vb_check_ref {
  const char *name;
  vb_check_fn fn;
};

/* The layout: a small closed set of elements, no expressions, no includes,
 * no recursion (template.c). */
enum vb_ltype {
  VB_L_PART = 0, /* <phan ten="tieu-de"/>: a part written in C */
  VB_L_MARKDOWN, /* <markdown truong="noi-dung"/> */
  VB_L_PARA,     /* <doan>: a paragraph of text, values, spans */
  VB_L_TEXT,     /* literal text inside a paragraph */
  VB_L_VALUE,    /* <gt truong="x"/>: a field's value */
  VB_L_SPAN,     /* <dam>, <nghieng>, <gach>: bold, italic, underline */
  VB_L_BREAK,    /* <xuong-dong/> */
  VB_L_BLOCK,    /* <khoi truong="x"/>: a text field as paragraphs */
  VB_L_LOOP,     /* <lap truong="x">: once per value of a field */
  VB_L_IF,       /* <neu co="x"> / <neu khong-co="x"> / truong= bang= */
  VB_L_TABLE,    /* <bang cot="50,50"> */
  VB_L_ROW,      /* <hang> */
  VB_L_CELL,     /* <o> */
  VB_L_RULE,     /* <duong dai="..."/> */
  VB_L_PAGE_BREAK, /* <ngat-trang/> */
  VB_L_INDEX,    /* <stt/>: 1-based index of the innermost <lap> */
  VB_L_NUMBER    /* <so-ky-hieu/>: the document's number and symbol */
};

struct vb_lnode {
  enum vb_ltype type;
  const char *name;            /* part name, or the field path */
  const struct vb_field *field; /* resolved field (VALUE, BLOCK, LOOP, IF) */
  const char *text;            /* literal text; IF: the compared key */
  int negate;                  /* IF khong-co */
  /* paragraph style (PARA): role, alignment, size in half-points, indent
   * and spacing in twips, -1 where the template says nothing */
  int role, align, size, first_indent, indent_left, before, after;
  unsigned flags;              /* VB_RUN_* (PARA, SPAN, VALUE) */
  unsigned keep_next : 1, body_style : 1, upper : 1;
  unsigned preprinted : 1;     /* VALUE in-san="co": on the pre-printed
                                  form already, not drawn in an overlay */
  unsigned head : 1;           /* ROW: a header row (<hang dau="co">) */
  const char *blank;           /* VALUE: printed when empty ("....."); BLOCK */
  int blank_lines;             /* BLOCK: dotted lines of a blank form */
  int date_words;              /* VALUE of a date: 0 DD/MM/YYYY, 1 "ngày 05
                                  tháng 02 năm 2023", 2 the same with "Ngày" */
  int *widths;                 /* TABLE: column widths in per mille */
  int ncols;
  unsigned table_flags;        /* VB_TABLE_* */
  int length;                  /* RULE: per mille of the container */
  /* PARA with vua="co": wrap, then shrink from `size` down to fit_min
   * (half-points) until it takes at most fit_lines lines (compose.c) */
  int fit_min, fit_lines;
  struct vb_lnode *first, *next;
  unsigned line, col;
};

struct vb_doctype;

/* <trang>: the page of a kind that is not an A4 portrait văn bản (a
 * certificate), in twips; `set` 0 when the template has none. */
struct vb_tpl_page {
  int set;
  int width, height;
  int margin_top, margin_bottom, margin_left, margin_right;
  int border;                  /* edge to the outer frame; 0: no border */
};

struct vb_template {
  const char *name;            /* "ke-hoach", "mau-01b" */
  const char *path;            /* the file, for diagnostics */
  const char *title_vi, *title_en;
  const char *profile;         /* default profile when the input names none */
  int needs_profile;           /* the input must name its profile */
  struct vb_doctype *types;    /* <loai>: document types it prints */
  size_t ntypes;
  struct vb_field root;        /* the input's root element */
  const struct vb_check_ref **checks; /* NULL-ended */
  struct vb_lnode *layout;     /* children of <bo-cuc> */
  struct vb_tpl_page page;     /* <trang>, or page.set 0 */
  struct vb_lnode *form_layout; /* children of <bo-cuc-mau>: the blank form
                                   for Word (every field a control), or
                                   NULL to use the layout */
};

/* Loads templates/NAME.xml of the data folder into `a`. A name that is not
 * a template (or a path) is M001 at `at` of `file`; a mistake inside the
 * template is reported at its own line. VB_OK, VB_EINVALID, VB_ENOMEM. */
vb_status vb_template_load(vb_ctx *ctx, struct vb_arena *a, const char *name,
                           const char *file, const struct vb_elem *at,
                           const struct vb_template **out);
/* The names of the templates in the data folder, sorted, comma-separated,
 * in `a`; NULL when the folder cannot be read. */
const char *vb_template_names(vb_ctx *ctx, struct vb_arena *a);

/* A child field by name, or NULL. */
const struct vb_field *vb_field_child(const struct vb_field *f,
                                      const char *name);
/* A field by path from `from` ("dang-ky/doi-tuong"), or NULL. */
const struct vb_field *vb_field_path(const struct vb_field *from,
                                     const char *path);
/* Takes the next segment of a path ("dang-ky/doi-tuong") into part and
 * advances *p: 1, or 0 at the end, -1 for a segment too long. */
int vb_path_step(const char **p, char part[VB_TPL_MAX_NAME + 1]);
/* The label of a field in a language. */
const char *vb_field_label(const struct vb_field *f, vb_lang lang);
/* The named check of that name, or NULL (validate.c). */
const struct vb_check_ref *vb_check_find(const char *name);
/* Names of every named check, comma-separated (validate.c). */
const char *vb_check_names(void);
/* The name of a field type in the template language ("ngay"). */
const char *vb_ftype_name(enum vb_ftype t);

/* The validated values of one input: a tree shaped like the template's
 * fields, with one node per instance of a field that the input has. */
struct vb_value {
  const struct vb_field *f;
  const struct vb_elem *src;   /* the element (attributes: their element) */
  const char *text;            /* clean text; choice: its printed label */
  const char *key;             /* choice: its key */
  int y, m, d;                 /* date */
  long num;                    /* number */
  struct vb_value *parent, *first, *last, *next;
};

/* The first instance of a child field of `v`, or NULL. */
const struct vb_value *vb_value_child(const struct vb_value *v,
                                      const char *name);
/* The first instance along a path ("dang-ky/doi-tuong"), or NULL. */
const struct vb_value *vb_value_path(const struct vb_value *v,
                                     const char *path);
/* The next instance of the same field after v, or NULL. */
const struct vb_value *vb_value_next(const struct vb_value *v);

#endif
