/* fuzz_table.c - libFuzzer target: the list reader (engine/table.c) on
 * arbitrary bytes, as CSV or, when they start as a ZIP archive, as XLSX.
 *
 * The first byte chooses options (cmark-fuzz.c style), the rest is the
 * file:
 *   bit 0   messages in English (formats every diagnostic in that language)
 *   bit 1   max_errors = 1 instead of the default
 *   bit 2   header labels given (matched case- and diacritic-insensitively)
 *   bit 3   a sheet asked for by name
 *   bit 4-5 0: the bytes are the file; 1: they are the sheet of a fixed
 *           workbook, 2: its shared strings, 3: its styles (the workbook
 *           is zipped here, so that mutations reach the XML readers
 *           instead of failing the archive's checksums)
 * On success every cell must be NUL-terminated at its length, valid UTF-8
 * and NFC-sized (no longer than the cell limit allows). Built and run by
 * tests/fuzz/run.py. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <stdlib.h>
#include <zip.h>

#include "table.h"
#include "text.h"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define REL                                                                    \
  "http://schemas.openxmlformats.org/officeDocument/2006/"                     \
  "relationships/"
#define PKG                                                                    \
  "xmlns=\"http://schemas.openxmlformats.org/package/2006/"                    \
  "relationships\""

/* A workbook whose part `which` (1 sheet, 2 shared strings, 3 styles) is
 * data[0..len); the others fixed. NULL on failure; free with free(). */
static char *workbook(int which, const uint8_t *data, size_t len,
                      size_t *outlen) {
  static const char *const fixed[][2] = {
      {"_rels/.rels", "<Relationships " PKG "><Relationship Id=\"rId1\" "
                      "Type=\"" REL "officeDocument\" Target=\"xl/"
                      "workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml",
       "<workbook " NS " xmlns:r=\"" REL "\"><sheets><sheet name=\"Danh "
       "sách\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships " PKG "><Relationship Id=\"rId1\" Type=\"" REL
       "worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship "
       "Id=\"rId2\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings"
       ".xml\"/><Relationship Id=\"rId3\" Type=\"" REL "styles\" "
       "Target=\"styles.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml",
       "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\">"
       "<v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row><row r=\"2\">"
       "<c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" s=\"1\"><v>45000"
       "</v></c></row></sheetData></worksheet>"},
      {"xl/sharedStrings.xml",
       "<sst " NS "><si><t>Tên mô hình</t></si><si><t>Ngày</t></si><si><r>"
       "<t>Dân vận</t></r><r><t> khéo</t></r></si></sst>"},
      {"xl/styles.xml",
       "<styleSheet " NS "><numFmts><numFmt numFmtId=\"164\" formatCode="
       "\"dd/mm/yyyy\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf "
       "numFmtId=\"164\"/></cellXfs></styleSheet>"},
  };
  zip_error_t ze;
  zip_source_t *src, *s;
  zip_t *za;
  zip_int64_t size;
  char *out = NULL;
  size_t i;
  zip_error_init(&ze);
  src = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (!src)
    return NULL;
  za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  if (!za) {
    zip_source_free(src);
    return NULL;
  }
  zip_source_keep(src);
  for (i = 0; i < 6; i++) {
    int mine = (int)i == which + 2;
    s = zip_source_buffer(za, mine ? (const void *)data : fixed[i][1],
                          mine ? len : strlen(fixed[i][1]), 0);
    if (!s || zip_file_add(za, fixed[i][0], s, 0) < 0) {
      zip_source_free(s);
      zip_discard(za);
      zip_source_free(src);
      return NULL;
    }
  }
  if (zip_close(za) < 0) {
    zip_discard(za);
    zip_source_free(src);
    return NULL;
  }
  if (zip_source_open(src) == 0) {
    if (zip_source_seek(src, 0, SEEK_END) == 0 &&
        (size = zip_source_tell(src)) > 0 &&
        zip_source_seek(src, 0, SEEK_SET) == 0 &&
        (out = malloc((size_t)size)) &&
        zip_source_read(src, out, (zip_uint64_t)size) == size) {
      *outlen = (size_t)size;
    } else {
      free(out);
      out = NULL;
    }
    zip_source_close(src);
  }
  zip_source_free(src);
  zip_error_fini(&ze);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const struct vb_table_label labels[] = {
      {"Tên mô hình", "ten-mo-hinh"},
      {"Đơn vị", "don-vi"},
      {"Ngày", "ngay"},
  };
  struct vb_table_opts to;
  struct vb_table *t = NULL;
  vb_options opt;
  vb_ctx *ctx;
  unsigned flags;
  size_t i, j, len = size - 1;
  const char *bytes = (const char *)data + 1;
  char *zipped = NULL;
  if (size < 1)
    return 0;
  flags = data[0];
  memset(&opt, 0, sizeof(opt));
  memset(&to, 0, sizeof(to));
  opt.lang = (flags & 1) ? VB_LANG_EN : VB_LANG_VI;
  opt.max_errors = (flags & 2) ? 1 : 0;
  if (flags & 4) {
    to.labels = labels;
    to.nlabels = sizeof(labels) / sizeof(labels[0]);
  }
  if (flags & 8)
    to.sheet = "Danh sách";
  if ((flags >> 4) & 3) {
    zipped = workbook((int)((flags >> 4) & 3), data + 1, size - 1, &len);
    if (!zipped)
      return 0;
    bytes = zipped;
  }
  ctx = vb_ctx_new(&opt);
  if (!ctx) {
    free(zipped);
    return 0;
  }
  if (vb_table_read(ctx, "fuzz", bytes, len, &to, &t) == VB_OK) {
    if (!t || !t->ncols)
      __builtin_trap(); /* VB_OK hands out a list with its header */
    for (i = 0; i < t->nrows; i++)
      for (j = 0; j < t->ncols; j++) {
        const struct vb_table_cell *c = &t->rows[i].cells[j];
        if (c->s[c->len] != '\0' || !vb_utf8_valid(c->s, c->len) ||
            c->len > 4 * VB_TABLE_MAX_CELL)
          __builtin_trap();
      }
  } else if (t) {
    __builtin_trap(); /* a failure hands out nothing */
  }
  for (i = 0; i < vb_diag_count(ctx); i++) {
    const vb_diag *d = vb_diag_at(ctx, i);
    vb_free(ctx, vb_diag_format(ctx, d, VB_LANG_VI));
    vb_free(ctx, vb_diag_format(ctx, d, VB_LANG_EN));
  }
  vb_table_free(t);
  vb_ctx_free(ctx);
  free(zipped);
  return 0;
}
