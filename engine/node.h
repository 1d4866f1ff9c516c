/*
 * node.h - the document tree: what compose builds and both renderers read.
 *
 * A tree describes a finished document in the terms of Word's model, so
 * that the DOCX writer maps it one to one and the PDF layout reproduces
 * it: blocks (paragraphs, horizontal rules, borderless tables), runs of
 * text with bold/italic/underline, and one page setup. All lengths are
 * integers in twips (1/20 pt); font sizes in half-points (28 = 14 pt).
 * Text is UTF-8, NFC, already in its final case (compose upper-cases).
 *
 * Shape (enforced by vb_node_append, checked by vb_node_check):
 *   DOCUMENT  > PARAGRAPH | RULE | TABLE | PAGE_BREAK
 *   TABLE     > ROW        (table.ncols columns, widths in table.widths)
 *   ROW       > CELL
 *   CELL      > PARAGRAPH | RULE | FIELD_BLOCK
 *   PARAGRAPH > TEXT | LINE_BREAK | FIELD
 *   FIELD     > TEXT | LINE_BREAK          (its value; none = blank)
 *   FIELD_BLOCK > PARAGRAPH               (a multi-paragraph value)
 * DOCUMENT also holds FIELD_BLOCK. Fields exist in forms (tree->form set):
 * the DOCX writer turns them into content controls, the PDF layout into
 * dotted lines while blank (docs/word-forms.md).
 */
#ifndef VB_NODE_H
#define VB_NODE_H

#include <stddef.h>
#include "mem.h"

enum vb_node_type {
  VB_NODE_NONE = 0,
  VB_NODE_DOCUMENT,
  /* blocks */
  VB_NODE_PARAGRAPH,
  VB_NODE_RULE,
  VB_NODE_TABLE,
  VB_NODE_ROW,
  VB_NODE_CELL,
  VB_NODE_PAGE_BREAK,
  VB_NODE_FIELD_BLOCK, /* a form field holding paragraphs */
  /* inlines */
  VB_NODE_TEXT,
  VB_NODE_LINE_BREAK,
  VB_NODE_FIELD,       /* a form field inside a paragraph */
  VB_NODE_FIRST_BLOCK = VB_NODE_PARAGRAPH,
  VB_NODE_LAST_BLOCK = VB_NODE_FIELD_BLOCK,
  VB_NODE_FIRST_INLINE = VB_NODE_TEXT,
  VB_NODE_LAST_INLINE = VB_NODE_FIELD
};

/* What a field holds; decides the content control of the DOCX. */
enum vb_field_kind {
  VB_FIELD_TEXT = 0,  /* one line of plain text (w:text) */
  VB_FIELD_DATE,      /* a date, dd/MM/yyyy (w:date) */
  VB_FIELD_CHOICE,    /* one of `choices` (w:dropDownList) */
  VB_FIELD_MULTILINE  /* paragraphs of Markdown text (FIELD_BLOCK only) */
};

enum vb_align {
  VB_ALIGN_LEFT = 0,
  VB_ALIGN_CENTER,
  VB_ALIGN_RIGHT,
  VB_ALIGN_JUSTIFY
};

/* What a paragraph is, in the terms of the decree. The DOCX writer names
 * its paragraph style after the role; the tree dump prints it. Append only. */
enum vb_role {
  VB_ROLE_NONE = 0,
  VB_ROLE_QUOC_HIEU,    /* CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / ĐẢNG CỘNG SẢN VIỆT NAM */
  VB_ROLE_TIEU_NGU,     /* Độc lập - Tự do - Hạnh phúc */
  VB_ROLE_CHU_QUAN,     /* parent body, caps, regular */
  VB_ROLE_CO_QUAN,      /* issuing body, caps, bold */
  VB_ROLE_SAO,          /* the "*" under a Party issuer */
  VB_ROLE_SO_KY_HIEU,   /* Số: 05/KH-UBND */
  VB_ROLE_DIA_DANH,     /* place and date line, italic */
  VB_ROLE_TEN_LOAI,     /* KẾ HOẠCH */
  VB_ROLE_TRICH_YEU,    /* the summary under the type name */
  VB_ROLE_CAN_CU,       /* căn cứ lines, italic */
  VB_ROLE_BODY,         /* body paragraph, justified */
  VB_ROLE_HEADING1,     /* I. MỤC ĐÍCH, YÊU CẦU */
  VB_ROLE_HEADING2,     /* 1. Mục đích (khoản with a title) */
  VB_ROLE_HEADING3,
  VB_ROLE_LIST_ITEM,    /* "- ..." / "1. ..." items of the body */
  VB_ROLE_NOI_NHAN_LABEL, /* Nơi nhận: */
  VB_ROLE_NOI_NHAN_GROUP, /* Gửi bản điện tử: */
  VB_ROLE_NOI_NHAN_ITEM,  /* - Như trên; */
  VB_ROLE_QUYEN_HAN,    /* TM. ỦY BAN NHÂN DÂN */
  VB_ROLE_CHUC_VU,      /* CHỦ TỊCH */
  VB_ROLE_CHU_KY,       /* the empty space left for signature and seal */
  VB_ROLE_HO_TEN,       /* Nguyễn Văn A */
  VB_ROLE_COUNT
};

/* Paragraph formatting. Word semantics: spacing before/after in twips,
 * `line` in 240ths of a single line (240 single, 360 one and a half). */
struct vb_pstyle {
  enum vb_align align;
  enum vb_role role;
  int size;          /* half-points, for runs that do not set their own */
  int first_indent;  /* twips; first line, relative to indent_left */
  int indent_left;   /* twips */
  int indent_right;  /* twips */
  int space_before;  /* twips */
  int space_after;   /* twips */
  int line;          /* 240ths of a single line */
  unsigned keep_next : 1;  /* keep on the same page as the next block */
  unsigned keep_lines : 1; /* do not split this paragraph across pages */
  unsigned widow : 1;      /* widow/orphan control (2 lines) */
};

enum {
  VB_RUN_BOLD = 1 << 0,
  VB_RUN_ITALIC = 1 << 1,
  VB_RUN_UNDERLINE = 1 << 2,
  VB_RUN_VALUE = 1 << 3  /* a field's value, in a tree composed for an
                            overlay (vb_tree.overlay): the PDF draws only
                            these runs */
};

enum {
  VB_TABLE_BORDERS = 1 << 0,     /* draw cell borders (danh sách); else none */
  VB_TABLE_KEEP_TOGETHER = 1 << 1 /* never split across pages */
};

/* Inner margins of the cells of a bordered table, in twips: text clear of
 * the lines left and right (1.5 mm), as both renderers lay it out.
 * Borderless tables (the header, the signature) have none. */
#define VB_TABLE_PAD_X 85

struct vb_node {
  struct vb_node *parent, *first, *last, *prev, *next;
  enum vb_node_type type;
  unsigned line, col; /* input position that produced the node; 0 unknown */
  union {
    struct vb_pstyle para;
    struct {
      const char *text; /* UTF-8, NFC, NUL-terminated, no control chars */
      size_t len;
      unsigned flags;   /* VB_RUN_* */
      int size;         /* half-points; 0 = the paragraph's size */
    } text;
    struct {
      int length;       /* twips */
      int thickness;    /* twips (10 = 0.5 pt) */
      enum vb_align align; /* position inside the container */
      int space_before; /* twips, from the bottom of the previous line box */
      int space_after;  /* twips */
    } rule;
    struct {
      int ncols;
      const int *widths; /* ncols widths in twips (arena) */
      int indent;       /* twips; shift from the left margin (may be < 0) */
      unsigned flags;   /* VB_TABLE_* */
    } table;
    struct {
      int cant_split;   /* keep the row on one page */
      int header;       /* a header row: repeated at the top of every page
                           the table runs over (the leading rows only) */
    } row;
    struct {
      int valign_bottom; /* 0: top-aligned; 1: bottom-aligned */
    } cell;
    struct {
      const char *tag;   /* field path: "nguoi-ky/ho-ten", "a[2]/b" */
      const char *label; /* shown by Word as the control's title */
      const char *hint;  /* guidance, the placeholder while blank; or NULL */
      int kind;          /* enum vb_field_kind */
      const char *const *choices; /* display texts of a CHOICE */
      size_t nchoices;
      int blank_width;   /* FIELD: twips of dots while blank; 0 = to the
                            end of the line */
      int blank_lines;   /* FIELD_BLOCK: dotted lines while blank */
      unsigned flags;    /* VB_RUN_* of the placeholder and value runs */
    } field;
  } as;
};

/* Page setup and metadata of one document. */
struct vb_page_setup {
  int width, height;            /* twips; A4 = 11906 x 16838 */
  int margin_top, margin_bottom, margin_left, margin_right; /* twips */
  int header_distance;          /* twips from the top edge to the header */
  int page_number_size;         /* half-points; 0 = no page numbers */
  int page_number_from;         /* first page that shows its number (2) */
  int border;                   /* twips from the edge to a decorative
                                   double frame on every page; 0: none */
};

struct vb_tree {
  struct vb_arena arena;        /* every node and string lives here */
  struct vb_node *root;         /* VB_NODE_DOCUMENT */
  struct vb_page_setup page;
  const char *title;            /* PDF /Title and DOCX dc:title */
  const char *subject;          /* PDF /Subject; may be NULL */
  const char *lang;             /* "vi-VN" */
  const char *form;             /* template of a form ("mau-01b"); NULL for
                                   ordinary documents */
  const char *form_profile;     /* its profile ("hd36"); NULL with form */
  int overlay;                  /* set before composing: mark the values'
                                   runs VB_RUN_VALUE (pre-printed forms) */
};

/* Creates a node in the arena; NULL when out of memory. */
struct vb_node *vb_node_new(struct vb_arena *a, enum vb_node_type type);
/* Appends child to parent. Returns 1, or 0 (and changes nothing) when the
 * shape above does not allow it. */
int vb_node_append(struct vb_node *parent, struct vb_node *child);
/* Returns 1 when `parent` may contain a node of type `child`. */
int vb_node_can_contain(enum vb_node_type parent, enum vb_node_type child);
/* Walks the tree and returns 1 when every link and shape rule holds. */
int vb_node_check(const struct vb_node *root);
/* Name of a type or role, for dumps: "paragraph", "trich-yeu". */
const char *vb_node_type_name(enum vb_node_type t);
const char *vb_role_name(enum vb_role r);

/* Appends a text run (a copy of s[0..len)) to a paragraph; NULL when out
 * of memory or when para is not a paragraph. */
struct vb_node *vb_add_run(struct vb_arena *a, struct vb_node *para,
                           const char *s, size_t len, unsigned flags,
                           int size);

/* Concatenated text of a paragraph's runs (line breaks as '\n'), into buf;
 * a field counts with its value (nothing while blank). Returns the number
 * of bytes the full text needs (like snprintf). */
size_t vb_node_text(const struct vb_node *para, char *buf, size_t cap);

/* Iterator: visits every node twice, entering and leaving (cmark). */
enum vb_event { VB_EVENT_DONE = 0, VB_EVENT_ENTER, VB_EVENT_EXIT };
struct vb_iter {
  const struct vb_node *root, *cur;
  enum vb_event ev;
};
void vb_iter_init(struct vb_iter *it, const struct vb_node *root);
enum vb_event vb_iter_next(struct vb_iter *it);
static inline const struct vb_node *vb_iter_node(const struct vb_iter *it) {
  return it->cur;
}

#endif
