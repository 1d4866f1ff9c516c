/* table.h - lists of records for batch runs: a CSV or XLSX file read into
 * rows of (field name -> UTF-8 NFC value), each cell with its row and
 * column for messages. Internal; libcsv and the XLSX reading only in
 * table.c. */
#ifndef VB_TABLE_H
#define VB_TABLE_H

#include <stddef.h>
#include "ctx.h"

/* Limits, each with its reason. Past any of them the list is refused with
 * a diagnostic; memory stays bounded because both readers stream. */
/* A list of 100,000 rows of 20 fields of 40 bytes is 80 MB of CSV. */
#define VB_TABLE_MAX_FILE (128u << 20)
/* Data rows (the header not counted): a province prints a few thousand
 * certificates; 100,000 pages is far beyond one print run. */
#define VB_TABLE_MAX_ROWS 100000u
/* Columns: a form has tens of fields. */
#define VB_TABLE_MAX_COLS 256u
/* Cells kept (rows x columns): bounds the index to 32 MB. */
#define VB_TABLE_MAX_CELLS 2000000u
/* A cell: Excel holds at most 32,767 characters in one, at most 3 bytes
 * each in UTF-8 for Vietnamese. */
#define VB_TABLE_MAX_CELL 98304u
/* One CSV record (a line, or several when a quoted cell holds line
 * breaks): 256 cells of 4 KB. A longer one is a broken or hostile file,
 * refused before libcsv ever buffers it. */
#define VB_TABLE_MAX_LINE (1u << 20)
/* Parts of an XLSX: a workbook of 1,000 sheets has about 2,100. */
#define VB_XLSX_MAX_ENTRIES 10000u
/* Uncompressed size of a sheet or the shared strings: a sheet of 100,000
 * rows x 20 columns is about 100 MB of XML. Counted while unpacking, so a
 * zip bomb that lies about its sizes stops here too. */
#define VB_XLSX_MAX_PART (256u << 20)
/* The workbook, its relationships and the styles: a few KB in practice. */
#define VB_XLSX_MAX_SMALL_PART (16u << 20)
/* Number formats and cell formats kept from styles.xml: Excel's own limit
 * is 64,000 formats. */
#define VB_XLSX_MAX_STYLES 65536u

/* struct vb_table_label and struct vb_table_opts: see vanban.h. */

struct vb_table_col {
  const char *name;   /* the field name */
  const char *header; /* the header as written (NFC, trimmed) */
  unsigned col;       /* its column in the file, 1-based (1 is A) */
  int known;          /* matched a label or a name (1 without labels) */
};

/* A value: NFC, without leading or trailing white space, line breaks as
 * "\n", NUL-terminated; "" when the cell is empty. */
struct vb_table_cell {
  const char *s;
  size_t len;
};

struct vb_table_row {
  unsigned row;                /* as a spreadsheet numbers it */
  struct vb_table_cell *cells; /* one per column of the table */
};

struct vb_table {
  const vb_mem *mem;
  struct vb_arena arena; /* every string and cell */
  const char *name;      /* the name given for messages */
  int xlsx;              /* read as XLSX (else CSV) */
  size_t ncols;
  struct vb_table_col *cols;
  size_t nrows, cap;
  struct vb_table_row *rows; /* blank rows left out */
};

/* vb_table_read(), vb_table_read_file(), vb_table_free() and the
 * accessors: see vanban.h. */

/* The column of a field name, or -1. */
long vb_table_col_index(const struct vb_table *t, const char *name);
/* The cell of row i (0-based, in t->rows) for a field name; NULL when the
 * list has no such column. */
const struct vb_table_cell *vb_table_get(const struct vb_table *t, size_t i,
                                         const char *name);
/* Records a diagnostic about the cell of row i, column j (0-based). */
int vb_table_diag(vb_ctx *ctx, const struct vb_table *t, size_t i, size_t j,
                  vb_code code, const char *a0, const char *a1);
/* Writes the letters of a 1-based column ("A", "AB") into buf[8]. */
void vb_table_col_letters(unsigned col, char buf[8]);

#endif
