/* test_table.c - unit tests of engine/table.c: lists of records read from
 * CSV and XLSX (built here in memory with libzip), their values, row and
 * column positions, messages, limits and allocation failures.
 *
 * Also the reader behind the "tables" section of tests/run.py, which
 * drives it with generated hostile files under time and memory bounds:
 *   test_table --dump FILE [--sheet NAME] [--labels "Nhãn=ten;..."]
 *              [--lang en]
 * prints "cols: a,b" and one "row N: a=...|b=..." line per record on
 * standard output, every diagnostic on standard error, and exits 0 when
 * the list was read, else 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "ctx.h"
#include "table.h"
#include "text.h"

/* --- helpers ---------------------------------------------------------- */

static vb_ctx *ctx_lang(vb_lang lang) {
  vb_options o;
  memset(&o, 0, sizeof(o));
  o.lang = lang;
  return vb_ctx_new(&o);
}

static vb_status csv(vb_ctx *ctx, const char *s, const struct vb_table_opts *o,
                     struct vb_table **t) {
  return vb_table_read(ctx, "ds.csv", s, strlen(s), o, t);
}

static const char *cell(const struct vb_table *t, size_t i, const char *name) {
  const struct vb_table_cell *c = vb_table_get(t, i, name);
  return c ? c->s : NULL;
}

/* The i-th diagnostic, formatted; the caller frees with vb_free(). */
static char *diag(vb_ctx *ctx, size_t i, vb_lang lang) {
  const vb_diag *d = vb_diag_at(ctx, i);
  return d ? vb_diag_format(ctx, d, lang) : NULL;
}

static void expect_diag(vb_ctx *ctx, size_t i, vb_lang lang, const char *want) {
  char *s = diag(ctx, i, lang);
  assert_non_null(s);
  assert_string_equal(s, want);
  vb_free(ctx, s);
}

/* An archive of n (name, body) parts, in memory; free with free(). */
static char *make_zip(const char *const *parts, size_t n, size_t *len) {
  zip_error_t ze;
  zip_source_t *src, *s;
  zip_t *za;
  zip_int64_t size;
  char *out;
  size_t i;
  zip_error_init(&ze);
  src = zip_source_buffer_create(NULL, 0, 0, &ze);
  assert_non_null(src);
  za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  assert_non_null(za);
  zip_source_keep(src);
  for (i = 0; i < n; i++) {
    s = zip_source_buffer(za, parts[2 * i + 1], strlen(parts[2 * i + 1]), 0);
    assert_non_null(s);
    assert_true(zip_file_add(za, parts[2 * i], s, ZIP_FL_OVERWRITE) >= 0);
  }
  assert_int_equal(zip_close(za), 0);
  assert_int_equal(zip_source_open(src), 0);
  assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
  size = zip_source_tell(src);
  assert_true(size > 0);
  assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
  out = malloc((size_t)size);
  assert_non_null(out);
  assert_int_equal(zip_source_read(src, out, (zip_uint64_t)size), size);
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&ze);
  *len = (size_t)size;
  return out;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS                                                                    \
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"                \
  "2006/relationships\""
#define REL                                                                    \
  "http://schemas.openxmlformats.org/officeDocument/2006/"                     \
  "relationships/"

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\"><Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";

static const char wb_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL "worksheet\" "
    "Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" "
    "Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" REL "styles\" "
    "Target=\"styles.xml\"/></Relationships>";

static const char workbook[] =
    "<workbook " NS " " RNS "><sheets>"
    "<sheet name=\"Danh sách\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Khác\" sheetId=\"2\" r:id=\"rId2\"/>"
    "</sheets></workbook>";

/* cellXfs: 0 general, 1 built-in date (14), 2 custom dd/mm/yyyy, 3 a
 * custom number format with quoted text holding d and y */
static const char styles[] =
    "<styleSheet " NS "><numFmts count=\"2\">"
    "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0&quot; day&quot;\"/>"
    "</numFmts><cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
    "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/></cellXfs></styleSheet>";

static const char sst[] =
    "<sst " NS " count=\"4\" uniqueCount=\"4\">"
    "<si><t>ten-mo-hinh</t></si>"
    "<si><t>ngay</t></si>"
    "<si><r><t>Dân vận </t></r><r><rPr><b/></rPr><t>khéo</t></r>"
    "<rPh><t>PHONETIC</t></rPh></si>"
    "<si><t xml:space=\"preserve\">dòng 1_x000D_\ndòng 2</t></si>"
    "</sst>";

static const char sheet1[] =
    "<worksheet " NS "><dimension ref=\"A1:C6\"/><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\">"
    "<v>1</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>so</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" s=\"1\">"
    "<v>45000</v></c><c r=\"C2\"><v>12</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>3</v></c><c r=\"B4\" s=\"2\">"
    "<v>61.75</v></c><c r=\"C4\" s=\"3\"><v>0.30000000000000004</v></c></row>"
    "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>Te\xcc\x82n</t></is></c>"
    "<c r=\"B5\" s=\"1\"><v>1</v></c><c r=\"C5\" s=\"1\"/></row>"
    "<row r=\"6\"><c r=\"B6\" s=\"2\"><v>59</v></c></row>"
    "<row r=\"9\" spans=\"1:3\"/>"
    "</sheetData></worksheet>";

static const char sheet2[] =
    "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>x</t></is>"
    "</c></row><row><c t=\"str\"><f>A1</f><v>khác</v></c></row></sheetData>"
    "</worksheet>";

/* A workbook with its parts; any of them replaced when not NULL. */
static char *make_xlsx(const char *sheet, const char *strings, const char *book,
                       size_t *len) {
  const char *parts[] = {
      "[Content_Types].xml",
      "<Types/>",
      "_rels/.rels",
      root_rels,
      "xl/workbook.xml",
      book ? book : workbook,
      "xl/_rels/workbook.xml.rels",
      wb_rels,
      "xl/styles.xml",
      styles,
      "xl/sharedStrings.xml",
      strings ? strings : sst,
      "xl/worksheets/sheet1.xml",
      sheet ? sheet : sheet1,
      "xl/worksheets/sheet2.xml",
      sheet2,
  };
  return make_zip(parts, sizeof(parts) / sizeof(parts[0]) / 2, len);
}

static vb_status xlsx(vb_ctx *ctx, const char *sheet, const char *strings,
                      const char *book, const struct vb_table_opts *o,
                      struct vb_table **t) {
  size_t len;
  char *z = make_xlsx(sheet, strings, book, &len);
  vb_status st = vb_table_read(ctx, "ds.xlsx", z, len, o, t);
  free(z);
  return st;
}

/* --- CSV -------------------------------------------------------------- */

static void csv_comma_crlf(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  assert_int_equal(csv(ctx,
                       "ten-mo-hinh,don-vi\r\n Dân vận khéo , Xã A\r\n"
                       "\"Mô hình, \"\"hay\"\"\",\r\n",
                       NULL, &t),
                   VB_OK);
  assert_int_equal(t->ncols, 2);
  assert_string_equal(t->cols[1].name, "don-vi");
  assert_int_equal(t->cols[1].col, 2);
  assert_int_equal(t->nrows, 2);
  assert_int_equal(t->rows[0].row, 2);
  assert_string_equal(cell(t, 0, "ten-mo-hinh"), "Dân vận khéo");
  assert_string_equal(cell(t, 1, "ten-mo-hinh"), "Mô hình, \"hay\"");
  assert_string_equal(cell(t, 1, "don-vi"), "");
  assert_null(cell(t, 0, "khong-co"));
  assert_int_equal(t->xlsx, 0);
  vb_table_free(t);
  vb_ctx_free(ctx);
}

static void csv_semicolon_bom_lf(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  /* Excel in a Vietnamese locale writes ";" and a BOM */
  assert_int_equal(csv(ctx,
                       "\xEF\xBB\xBFho-ten;so-tien\n"
                       "Nguyễn Văn A;1,5\n\"B; C\";2\n",
                       NULL, &t),
                   VB_OK);
  assert_string_equal(t->cols[0].name, "ho-ten");
  assert_string_equal(cell(t, 0, "so-tien"), "1,5");
  assert_string_equal(cell(t, 1, "ho-ten"), "B; C");
  vb_table_free(t);
  vb_ctx_free(ctx);
}

static void csv_rows_as_a_spreadsheet_counts_them(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  /* a quoted cell over two lines is one row; blank lines are rows that
   * are left out; CRLF is one line end; trailing blank rows ignored */
  assert_int_equal(
      csv(ctx, "a,b\r\n\"x\r\ny\",1\r\n\r\n,\r\nz,2\r\n\r\n\n", NULL, &t),
      VB_OK);
  assert_int_equal(t->nrows, 2);
  assert_int_equal(t->rows[0].row, 2);
  assert_string_equal(cell(t, 0, "a"), "x\ny");
  assert_int_equal(t->rows[1].row, 5);
  assert_string_equal(cell(t, 1, "a"), "z");
  vb_table_free(t);
  vb_ctx_free(ctx);
}

static void csv_cr_only_and_one_line(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  /* old Mac line ends; a file of one line without a line end, ";" */
  assert_int_equal(csv(ctx, "a;b\rx;y\r\rz;w", NULL, &t), VB_OK);
  assert_int_equal(t->nrows, 2);
  assert_string_equal(cell(t, 0, "b"), "y");
  assert_int_equal(t->rows[1].row, 4);
  vb_table_free(t);
  /* a header alone is a list of no rows: the caller decides */
  assert_int_equal(csv(ctx, "x;y", NULL, &t), VB_OK);
  assert_int_equal(t->ncols, 2);
  assert_int_equal(t->nrows, 0);
  vb_table_free(t);
  assert_int_equal(csv(ctx, "x;y\n1;2", NULL, &t), VB_OK);
  assert_string_equal(cell(t, 0, "y"), "2");
  vb_table_free(t);
  vb_ctx_free(ctx);
}

static void no_break_spaces_trimmed(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  /* pasted from a web page: no-break spaces around, one inside kept; a
   * row of them alone is blank */
  assert_int_equal(csv(ctx,
                       "a,b\n\xC2\xA0Nguyễn\xC2\xA0"
                       "An\xC2\xA0 ,x\n"
                       "\xC2\xA0,\xEF\xBB\xBF\n",
                       NULL, &t),
                   VB_OK);
  assert_int_equal(t->nrows, 1);
  assert_string_equal(cell(t, 0, "a"), "Nguyễn\xC2\xA0"
                                       "An");
  /* the helper for later checks names the row and the field */
  assert_true(vb_table_diag(ctx, t, 0, 1, VB_C_EMPTY, "b", "x"));
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.csv: dòng 2, cột b: lỗi[V002]: trường <b> (x) để trống");
  vb_table_free(t);
  vb_ctx_free(ctx);
}

static void csv_values_are_nfc(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  /* "Tên" typed decomposed: e + U+0302 */
  assert_int_equal(csv(ctx, "a\nTe\xcc\x82n\n", NULL, &t), VB_OK);
  assert_string_equal(cell(t, 0, "a"), "Tên");
  vb_table_free(t);
  vb_ctx_free(ctx);
}

static void csv_bad_cells_at_row_and_column(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t = (struct vb_table *)1;
  (void)state;
  /* Windows-1258 bytes in row 3, a BEL in row 4: both reported */
  assert_int_equal(csv(ctx,
                       "ten-mo-hinh,don-vi\nA,B\nC,X\xe3 \xd0\n"
                       "\"D\x07\",E\n",
                       NULL, &t),
                   VB_EINVALID);
  assert_null(t);
  assert_int_equal(vb_error_count(ctx), 2);
  assert_int_equal(vb_diag_at(ctx, 0)->line, 3);
  assert_int_equal(vb_diag_at(ctx, 0)->col, 2);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.csv: dòng 3, cột don-vi: lỗi[B004]: ô không phải mã UTF-8 "
              "hợp lệ; hãy lưu tệp dạng CSV UTF-8 (trong Excel: CSV UTF-8), "
              "không dùng bảng mã cũ");
  expect_diag(ctx, 1, VB_LANG_EN,
              "ds.csv: row 4, column ten-mo-hinh: error[B005]: the cell holds "
              "the control character U+0007");
  vb_ctx_free(ctx);
}

static void legacy_encodings_refused(void **state) {
  static const char sheet[] =
      "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>ten</t>"
      "</is></c></row><row r=\"5\"><c t=\"inlineStr\"><is><t>Coäng hoøa"
      "</t></is></c></row></sheetData></worksheet>";
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  /* TCVN3 text (a .VnTime sheet) saved as UTF-8: every such cell */
  assert_int_equal(csv(ctx,
                       "ten,don-vi\nCéng hßa,Hội Nông dân\n"
                       "Dân vận khéo,UBND Hµ Néi\n",
                       NULL, &t),
                   VB_EINVALID);
  assert_int_equal(vb_error_count(ctx), 2);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.csv: dòng 2, cột ten: lỗi[B033]: ô có chữ gõ bằng bảng mã "
              "cũ TCVN3/VNI (\"hßa\"); hãy chuyển văn bản sang Unicode");
  vb_ctx_clear(ctx);
  /* VNI in an XLSX */
  assert_int_equal(xlsx(ctx, sheet, NULL, NULL, NULL, &t), VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_EN,
              "ds.xlsx: row 5, column ten: error[B033]: the cell holds text "
              "typed in a legacy TCVN3/VNI encoding (\"Coäng\"); convert it "
              "to Unicode");
  vb_ctx_free(ctx);
}

static void csv_quotes_rfc4180(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  assert_int_equal(csv(ctx, "a,b\n1,x\"y\n", NULL, &t), VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.csv: dòng 2, cột b: lỗi[B006]: dấu ngoặc kép sai chỗ: ô có "
              "dấu \" phải nằm trọn trong ngoặc kép, mỗi dấu \" bên trong "
              "viết thành \"\"");
  vb_ctx_clear(ctx);
  assert_int_equal(csv(ctx, "a,b\n1,2\n3,\"open\n4,5\n", NULL, &t),
                   VB_EINVALID);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_TAB_UNCLOSED);
  assert_int_equal(vb_diag_at(ctx, 0)->line, 3);
  assert_string_equal(vb_diag_at(ctx, 0)->column, "b");
  vb_ctx_free(ctx);
}

static void csv_header_labels(void **state) {
  static const struct vb_table_label labels[] = {
      {"Tên mô hình", "ten-mo-hinh"},
      {"Đơn vị", "don-vi"},
      {"Ngày công nhận", "ngay"},
  };
  struct vb_table_opts o = {0, labels, 3, NULL};
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  /* a label in capitals, one without diacritics, a field name as is, an
   * unknown header (a warning, kept under its own text) */
  assert_int_equal(
      csv(ctx, "TÊN MÔ HÌNH,don vi,ngay,Ghi chú\nA,B,C,D\n", &o, &t), VB_OK);
  assert_string_equal(t->cols[0].name, "ten-mo-hinh");
  assert_string_equal(t->cols[0].header, "TÊN MÔ HÌNH");
  assert_string_equal(t->cols[1].name, "don-vi");
  assert_string_equal(t->cols[2].name, "ngay");
  assert_string_equal(t->cols[3].name, "Ghi chú");
  assert_false(t->cols[3].known);
  assert_int_equal(vb_error_count(ctx), 0);
  assert_int_equal(vb_diag_count(ctx), 1);
  expect_diag(
      ctx, 0, VB_LANG_VI,
      "ds.csv: dòng 1, cột Ghi chú: cảnh báo[B025]: tiêu đề \"Ghi chú\" "
      "không phải trường nào của mẫu");
  assert_string_equal(cell(t, 0, "don-vi"), "B");
  vb_table_free(t);
  vb_ctx_clear(ctx);
  /* two headers for one field */
  assert_int_equal(csv(ctx, "Đơn vị,don-vi\nA,B\n", &o, &t), VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_EN,
              "ds.csv: row 1, column don-vi: error[B024]: this column and "
              "column A are both field don-vi");
  vb_ctx_clear(ctx);
  /* a title row above the header: nothing matches */
  assert_int_equal(csv(ctx, "DANH SÁCH MÔ HÌNH\nTên mô hình\nA\n", &o, &t),
                   VB_EINVALID);
  assert_int_equal(vb_diag_at(ctx, 1)->code, VB_C_TAB_NO_FIELDS);
  expect_diag(ctx, 1, VB_LANG_VI,
              "ds.csv: dòng 1: lỗi[B026]: không tiêu đề nào là trường của "
              "mẫu; dòng tiêu đề phải là dòng đầu tiên có dữ liệu, với các "
              "tiêu đề như: \"Tên mô hình\", \"Đơn vị\", \"Ngày công nhận\"");
  vb_ctx_free(ctx);
}

static void csv_data_without_header(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  assert_int_equal(csv(ctx, "a,,c\n1,2,3\n4,,6,7\n", NULL, &t), VB_EINVALID);
  assert_int_equal(vb_error_count(ctx), 2);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.csv: dòng 2, cột B: lỗi[B023]: ô có dữ liệu nhưng cột của nó "
              "không có tiêu đề ở dòng tiêu đề");
  assert_string_equal(vb_diag_at(ctx, 1)->column, "D");
  vb_ctx_free(ctx);
}

static void csv_empty_and_foreign(void **state) {
  vb_ctx *ctx = ctx_lang(VB_LANG_EN);
  struct vb_table *t;
  (void)state;
  assert_int_equal(csv(ctx, "", NULL, &t), VB_EINVALID);
  assert_int_equal(csv(ctx, "\xEF\xBB\xBF\r\n , \n", NULL, &t), VB_EINVALID);
  expect_diag(ctx, 1, VB_LANG_EN,
              "ds.csv: error[B022]: the list is empty: there is no header row");
  vb_ctx_clear(ctx);
  assert_int_equal(vb_table_read(ctx, "ds.csv",
                                 "\xFF\xFE"
                                 "a\0,\0",
                                 6, NULL, &t),
                   VB_EINVALID);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_TAB_UTF16);
  assert_int_equal(vb_table_read(ctx, "ds.xls",
                                 "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10,
                                 NULL, &t),
                   VB_EINVALID);
  assert_int_equal(vb_diag_at(ctx, 1)->code, VB_C_TAB_XLS);
  vb_ctx_free(ctx);
}

static void csv_limits(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  size_t n = VB_TABLE_MAX_LINE + 10, i;
  char *s = malloc(n + 1), *p;
  (void)state;
  /* one line past the limit */
  memcpy(s, "a\n", 2);
  memset(s + 2, 'x', n - 2);
  s[n] = '\0';
  assert_int_equal(csv(ctx, s, NULL, &t), VB_ELIMIT);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.csv: dòng 2: lỗi[B012]: dòng dài quá 1048576 byte: tệp "
              "hỏng hoặc không phải CSV");
  vb_ctx_clear(ctx);
  /* a quoted cell spanning short lines counts as one record */
  for (i = 3; i < n; i++)
    s[i] = i % 80 ? 'x' : '\n';
  s[2] = '"';
  assert_int_equal(csv(ctx, s, NULL, &t), VB_ELIMIT);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_TAB_LINE_LEN);
  free(s);
  vb_ctx_clear(ctx);
  /* a cell past the cell limit, on a line within the line limit */
  n = VB_TABLE_MAX_CELL + 10;
  s = malloc(n + 8);
  memcpy(s, "a,b\n1,", 6);
  memset(s + 6, 'y', n);
  s[n + 6] = '\0';
  assert_int_equal(csv(ctx, s, NULL, &t), VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_EN,
              "ds.csv: row 2, column b: error[B011]: the cell is longer than "
              "98304 bytes");
  free(s);
  vb_ctx_clear(ctx);
  /* one row too many */
  n = 2 + (VB_TABLE_MAX_ROWS + 1) * 2;
  s = p = malloc(n + 1);
  memcpy(p, "a\n", 2);
  for (p += 2, i = 0; i <= VB_TABLE_MAX_ROWS; i++, p += 2)
    memcpy(p, "1\n", 2);
  *p = '\0';
  assert_int_equal(csv(ctx, s, NULL, &t), VB_ELIMIT);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.csv: dòng 100002: lỗi[B009]: danh sách có quá 100000 dòng "
              "dữ liệu; hãy chia thành nhiều tệp");
  s[n - 2] = '\0'; /* exactly the limit: read */
  assert_int_equal(csv(ctx, s, NULL, &t), VB_OK);
  assert_int_equal(t->nrows, VB_TABLE_MAX_ROWS);
  vb_table_free(t);
  free(s);
  vb_ctx_clear(ctx);
  /* a cell in column 257 */
  s = malloc(VB_TABLE_MAX_COLS * 2 + 8);
  memcpy(s, "a\n", 2);
  for (i = 0; i < VB_TABLE_MAX_COLS; i++)
    s[2 + i] = ',';
  memcpy(s + 2 + VB_TABLE_MAX_COLS, "z\n", 3);
  assert_int_equal(csv(ctx, s, NULL, &t), VB_ELIMIT);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_TAB_COLS);
  free(s);
  vb_ctx_free(ctx);
}

static void errors_count_per_call(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  assert_int_equal(csv(ctx, "a\n\x80\n", NULL, &t), VB_EINVALID);
  assert_int_equal(csv(ctx, "a\nb\n", NULL, &t), VB_OK);
  vb_table_free(t);
  vb_ctx_free(ctx);
}

/* --- XLSX ------------------------------------------------------------- */

static void xlsx_first_sheet(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  assert_int_equal(xlsx(ctx, NULL, NULL, NULL, NULL, &t), VB_OK);
  assert_int_equal(t->xlsx, 1);
  assert_int_equal(t->ncols, 3);
  assert_string_equal(t->cols[2].name, "so");
  assert_int_equal(t->nrows, 4);
  /* rich text without its phonetic run; serial 45000 typed as a date */
  assert_int_equal(t->rows[0].row, 2);
  assert_string_equal(cell(t, 0, "ten-mo-hinh"), "Dân vận khéo");
  assert_string_equal(cell(t, 0, "ngay"), "2023-03-15");
  assert_string_equal(cell(t, 0, "so"), "12");
  /* row 3 absent; _x000D_ + LF is one line break; 61.75 with a custom
   * date format is 1900-03-01 (the time dropped); a number format with
   * "day" in quotes is not a date; Excel's 15 digits */
  assert_int_equal(t->rows[1].row, 4);
  assert_string_equal(cell(t, 1, "ten-mo-hinh"), "dòng 1\ndòng 2");
  assert_string_equal(cell(t, 1, "ngay"), "1900-03-01");
  assert_string_equal(cell(t, 1, "so"), "0.3");
  /* inline string in NFC; serial 1 is 1900-01-01; an empty styled cell */
  assert_string_equal(cell(t, 2, "ten-mo-hinh"), "Tên");
  assert_string_equal(cell(t, 2, "ngay"), "1900-01-01");
  assert_string_equal(cell(t, 2, "so"), "");
  /* serial 59 is 1900-02-28 */
  assert_int_equal(t->rows[3].row, 6);
  assert_string_equal(cell(t, 3, "ngay"), "1900-02-28");
  vb_table_free(t);
  vb_ctx_free(ctx);
}

static void xlsx_sheet_by_name(void **state) {
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  struct vb_table_opts o = {0, NULL, 0, "khac"};
  (void)state;
  /* "khac" finds "Khác"; rows and cells without r; a formula's value */
  assert_int_equal(xlsx(ctx, NULL, NULL, NULL, &o, &t), VB_OK);
  assert_int_equal(t->nrows, 1);
  assert_int_equal(t->rows[0].row, 2);
  assert_string_equal(cell(t, 0, "x"), "khác");
  vb_table_free(t);
  o.sheet = "Danh sách";
  assert_int_equal(xlsx(ctx, NULL, NULL, NULL, &o, &t), VB_OK);
  assert_int_equal(t->nrows, 4);
  vb_table_free(t);
  o.sheet = "Trang 3";
  assert_int_equal(xlsx(ctx, NULL, NULL, NULL, &o, &t), VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.xlsx: lỗi[B020]: không có trang tính \"Trang 3\"; các trang "
              "tính: \"Danh sách\", \"Khác\"");
  vb_ctx_free(ctx);
}

static void xlsx_dates_1904_and_bad_serials(void **state) {
  static const char book1904[] =
      "<workbook " NS " " RNS "><workbookPr date1904=\"1\"/><sheets>"
      "<sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  static const char dates[] =
      "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v>"
      "</c></row><row r=\"2\"><c r=\"A2\" s=\"2\"><v>0</v></c></row>"
      "</sheetData></worksheet>";
  static const char bad[] =
      "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v>"
      "</c></row><row r=\"2\"><c r=\"A2\" s=\"2\"><v>60</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" s=\"1\"><v>-1</v></c></row>"
      "<row r=\"4\"><c r=\"A4\"><v>abc</v></c></row>"
      "<row r=\"5\"><c r=\"A5\" t=\"e\"><v>#DIV/0!</v></c></row>"
      "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>99</v></c></row>"
      "<row r=\"7\"><c r=\"A7\" t=\"d\"><v>2023-02-05T00:00:00</v></c></row>"
      "</sheetData></worksheet>";
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  (void)state;
  assert_int_equal(xlsx(ctx, dates, NULL, book1904, NULL, &t), VB_OK);
  assert_string_equal(cell(t, 0, "ngay"), "1904-01-01");
  vb_table_free(t);
  assert_int_equal(xlsx(ctx, bad, NULL, NULL, NULL, &t), VB_EINVALID);
  assert_int_equal(vb_error_count(ctx), 5);
  /* 1900-02-29 never was */
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.xlsx: dòng 2, cột ngay: lỗi[B027]: ô kiểu ngày chứa 60, "
              "không ứng với ngày nào có thật");
  assert_int_equal(vb_diag_at(ctx, 1)->code, VB_C_TAB_DATE);
  assert_int_equal(vb_diag_at(ctx, 2)->code, VB_C_TAB_NUMBER);
  expect_diag(ctx, 3, VB_LANG_EN,
              "ds.xlsx: row 5, column ngay: error[B028]: the cell holds the "
              "formula error #DIV/0!");
  assert_int_equal(vb_diag_at(ctx, 4)->code, VB_C_TAB_SST_INDEX);
  vb_ctx_free(ctx);
}

static void xlsx_hostile_parts(void **state) {
  static const char doctype[] =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<worksheet " NS "><sheetData><row><c t=\"inlineStr\"><is><t>&lol2;"
      "</t></is></c></row></sheetData></worksheet>";
  static const char broken[] =
      "<worksheet " NS "><sheetData><row><c></row></sheetData></worksheet>";
  static const char chart[] = "<chartsheet " NS "/>";
  static const char ctrl[] =
      "<sst " NS "><si><t>ten</t></si><si><t>a_x0007_b</t></si></sst>";
  static const char usectrl[] =
      "<worksheet " NS "><sheetData><row><c t=\"s\"><v>0</v></c></row><row>"
      "<c t=\"s\"><v>1</v></c></row></sheetData></worksheet>";
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  const char *only_ct[] = {"[Content_Types].xml", "<Types/>"};
  size_t len;
  char *z;
  (void)state;
  assert_int_equal(xlsx(ctx, doctype, NULL, NULL, NULL, &t), VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.xlsx: lỗi[B019]: thành phần \"xl/worksheets/sheet1.xml\" của "
              "tệp XLSX có khai báo DTD hay thực thể, không được chấp nhận");
  vb_ctx_clear(ctx);
  assert_int_equal(xlsx(ctx, broken, NULL, NULL, NULL, &t), VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_EN,
              "ds.xlsx: error[B018]: part \"xl/worksheets/sheet1.xml\" of the "
              "XLSX file is malformed XML (line 1)");
  vb_ctx_clear(ctx);
  assert_int_equal(xlsx(ctx, chart, NULL, NULL, NULL, &t), VB_EINVALID);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_TAB_NOT_SHEET);
  vb_ctx_clear(ctx);
  assert_int_equal(xlsx(ctx, usectrl, ctrl, NULL, NULL, &t), VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.xlsx: dòng 2, cột ten: lỗi[B005]: ô có ký tự điều khiển "
              "U+0007");
  vb_ctx_clear(ctx);
  /* not a zip past its signature; an archive without a workbook */
  assert_int_equal(vb_table_read(ctx, "ds.xlsx", "PK\3\4garbage", 11, NULL, &t),
                   VB_EINVALID);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_TAB_ZIP);
  z = make_zip(only_ct, 1, &len);
  assert_int_equal(vb_table_read(ctx, "ds.xlsx", z, len, NULL, &t),
                   VB_EINVALID);
  free(z);
  expect_diag(ctx, 1, VB_LANG_VI,
              "ds.xlsx: lỗi[B017]: tệp XLSX thiếu thành phần "
              "\"xl/workbook.xml\"");
  vb_ctx_free(ctx);
}

/* A relationship's target names a part of the archive, never a file: an
 * escape upwards stays inside the archive and finds nothing. */
static void xlsx_targets_stay_in_the_archive(void **state) {
  static const char rels[] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
      "relationships\"><Relationship Id=\"rId1\" Type=\"" REL "worksheet\" "
      "Target=\"../../../../../../etc/passwd\"/></Relationships>";
  static const char book[] =
      "<workbook " NS " " RNS "><sheets><sheet name=\"A\" sheetId=\"1\" "
      "r:id=\"rId1\"/></sheets></workbook>";
  const char *parts[] = {"_rels/.rels",
                         root_rels,
                         "xl/workbook.xml",
                         book,
                         "xl/_rels/workbook.xml.rels",
                         rels};
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  size_t len;
  char *z = make_zip(parts, 3, &len);
  (void)state;
  assert_int_equal(vb_table_read(ctx, "ds.xlsx", z, len, NULL, &t),
                   VB_EINVALID);
  expect_diag(ctx, 0, VB_LANG_VI,
              "ds.xlsx: lỗi[B017]: tệp XLSX thiếu thành phần \"etc/passwd\"");
  free(z);
  vb_ctx_free(ctx);
}

static void xlsx_ods_refused(void **state) {
  const char *ods[] = {"mimetype",
                       "application/vnd.oasis.opendocument.spreadsheet",
                       "content.xml", "<office:document-content/>"};
  vb_ctx *ctx = vb_ctx_new(NULL);
  struct vb_table *t;
  size_t len;
  char *z = make_zip(ods, 2, &len);
  (void)state;
  assert_int_equal(vb_table_read(ctx, "ds.ods", z, len, NULL, &t), VB_EINVALID);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_TAB_ODS);
  free(z);
  vb_ctx_free(ctx);
}

/* --- allocation failures ----------------------------------------------- */

struct failing {
  long left; /* allocations that succeed before one fails; <0: none */
};

static void *f_malloc(size_t n, void *u) {
  struct failing *f = u;
  if (f->left == 0)
    return NULL;
  if (f->left > 0)
    f->left--;
  return malloc(n);
}
static void *f_realloc(void *p, size_t n, void *u) {
  struct failing *f = u;
  if (f->left == 0)
    return NULL;
  if (f->left > 0)
    f->left--;
  return realloc(p, n);
}
static void f_free(void *p, void *u) {
  (void)u;
  free(p);
}

/* Fails the i-th allocation for every i until the read succeeds; each
 * run either fails cleanly with VB_ENOMEM or gives the same rows. */
static void alloc_loop(const char *data, size_t len) {
  struct failing f;
  vb_mem m = {f_malloc, f_realloc, f_free, &f};
  vb_options o;
  long i;
  memset(&o, 0, sizeof(o));
  o.mem = &m;
  for (i = 0;; i++) {
    vb_ctx *ctx;
    struct vb_table *t = NULL;
    vb_status st;
    f.left = -1;
    ctx = vb_ctx_new(&o);
    assert_non_null(ctx);
    f.left = i;
    st = vb_table_read(ctx, "ds", data, len, NULL, &t);
    f.left = -1;
    if (st == VB_OK) {
      assert_non_null(t);
      assert_int_equal(t->nrows, 2);
      assert_string_equal(t->rows[1].cells[0].s, "Tên");
      vb_table_free(t);
      vb_ctx_free(ctx);
      break;
    }
    assert_int_equal(st, VB_ENOMEM);
    assert_null(t);
    vb_ctx_free(ctx);
  }
  assert_true(i > 5);
}

static void alloc_failures_are_clean(void **state) {
  static const char sheet[] =
      "<worksheet " NS "><sheetData><row><c t=\"s\"><v>0</v></c></row><row>"
      "<c t=\"s\"><v>2</v></c></row><row><c t=\"inlineStr\"><is><t>Te\xcc\x82n"
      "</t></is></c></row></sheetData></worksheet>";
  const char *s = "a,b\nDân vận,1\n\"Te\xcc\x82n\",2\n";
  size_t len;
  char *z;
  (void)state;
  alloc_loop(s, strlen(s));
  z = make_xlsx(sheet, NULL, NULL, &len);
  alloc_loop(z, len);
  free(z);
}

/* --- the rest ----------------------------------------------------------- */

static void fold_ignores_case_diacritics_punctuation(void **state) {
  static const char *const in[][2] = {
      {"Tên mô hình", "ten-mo-hinh"}, {"TEN_MO_HINH", "ten-mo-hinh"},
      {"  Đơn vị (*) ", "don-vi"},    {"Ngày, tháng", "ngay-thang"},
      {"lĩnh vực", "linh-vuc"},       {"Số TT", "so-tt"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
    struct vb_buf b;
    vb_buf_init(&b, &vb_mem_default, 1024);
    assert_int_equal(vb_text_fold(in[i][0], strlen(in[i][0]), &b), VB_OK);
    assert_string_equal(b.ptr, in[i][1]);
    vb_buf_release(&b);
  }
}

static void messages_of_lists(void **state) {
  int code;
  char letters[8];
  (void)state;
  for (code = VB_C_TAB_XLS; code <= VB_C_TAB_LEGACY; code++) {
    const char *vi = vb_code_format((vb_code)code, VB_LANG_VI);
    const char *en = vb_code_format((vb_code)code, VB_LANG_EN);
    const char *id = vb_code_id((vb_code)code);
    char want[8];
    int nvi = 0, nen = 0;
    const char *p;
    for (p = vi; (p = strchr(p, '%')); p += 2, nvi++)
      assert_int_equal(p[1], 's');
    for (p = en; (p = strchr(p, '%')); p += 2, nen++)
      assert_int_equal(p[1], 's');
    assert_int_equal(nvi, nen);
    assert_true(vb_utf8_valid(vi, strlen(vi)));
    snprintf(want, sizeof(want), "B%03d", code - VB_C_TAB_XLS + 1);
    assert_string_equal(id, want);
  }
  vb_table_col_letters(1, letters);
  assert_string_equal(letters, "A");
  vb_table_col_letters(28, letters);
  assert_string_equal(letters, "AB");
  vb_table_col_letters(16384, letters);
  assert_string_equal(letters, "XFD");
}

/* The public interface alone (vanban.h). */
static void public_interface(void **state) {
  static const vb_table_label labels[] = {{"Tên mô hình", "ten-mo-hinh"}};
  vb_table_opts o;
  vb_ctx *ctx = vb_ctx_new(NULL);
  vb_table *t = NULL;
  const char *v;
  size_t len = 0;
  (void)state;
  memset(&o, 0, sizeof(o));
  o.labels = labels;
  o.nlabels = 1;
  assert_int_equal(vb_table_read(NULL, "x", "a", 1, NULL, &t), VB_EUSAGE);
  {
    /* a label without its text is the caller's error */
    static const vb_table_label holes[] = {{"Tên", "ten"}, {NULL, "x"}};
    o.labels = holes;
    o.nlabels = 2;
    assert_int_equal(vb_table_read(ctx, "x", "a", 1, &o, &t), VB_EUSAGE);
    assert_null(t);
    o.labels = labels;
    o.nlabels = 1;
  }
  v = "Tên mô hình\n\nA\n";
  assert_int_equal(vb_table_read(ctx, "ds.csv", v, strlen(v), &o, &t), VB_OK);
  assert_int_equal(vb_table_ncols(t), 1);
  assert_int_equal(vb_table_nrows(t), 1);
  assert_string_equal(vb_table_col_name(t, 0), "ten-mo-hinh");
  assert_string_equal(vb_table_col_header(t, 0), "Tên mô hình");
  assert_null(vb_table_col_name(t, 1));
  assert_int_equal(vb_table_row_number(t, 0), 3);
  assert_int_equal(vb_table_row_number(t, 1), 0);
  v = vb_table_value(t, 0, "ten-mo-hinh", &len);
  assert_string_equal(v, "A");
  assert_int_equal(len, 1);
  assert_null(vb_table_value(t, 0, "khac", &len));
  assert_null(vb_table_value(t, 1, "ten-mo-hinh", NULL));
  vb_table_free(t);
  vb_table_free(NULL);
  assert_int_equal(vb_table_read_file(ctx, "tests/khong-co.csv", NULL, &t),
                   VB_EIO);
  assert_null(t);
  assert_int_equal(vb_diag_at(ctx, 0)->code, VB_C_IO);
  assert_int_equal(vb_table_read_file(ctx, "tests", NULL, &t), VB_EIO);
  vb_ctx_free(ctx);
}

/* --- --dump ------------------------------------------------------------- */

static int dump(int argc, char **argv) {
  vb_options o;
  vb_ctx *ctx;
  struct vb_table *t = NULL;
  struct vb_table_opts to;
  struct vb_table_label labels[64];
  char *lab = NULL;
  const char *path = argv[2];
  vb_status st;
  size_t i, j, n = 0;
  int k;
  memset(&o, 0, sizeof(o));
  memset(&to, 0, sizeof(to));
  for (k = 3; k + 1 < argc; k += 2) {
    if (!strcmp(argv[k], "--sheet"))
      to.sheet = argv[k + 1];
    else if (!strcmp(argv[k], "--lang"))
      o.lang = strcmp(argv[k + 1], "en") ? VB_LANG_VI : VB_LANG_EN;
    else if (!strcmp(argv[k], "--labels"))
      lab = argv[k + 1];
  }
  /* "Nhãn=ten;Nhãn 2=ten-2" */
  for (; lab && *lab && n < 64; n++) {
    char *semi = strchr(lab, ';'), *eq = strchr(lab, '=');
    if (semi)
      *semi = '\0';
    if (!eq)
      break;
    *eq = '\0';
    labels[n].label = lab;
    labels[n].name = eq + 1;
    lab = semi ? semi + 1 : NULL;
  }
  to.labels = n ? labels : NULL;
  to.nlabels = n;
  ctx = vb_ctx_new(&o);
  if (!ctx)
    return 2;
  st = vb_table_read_file(ctx, path, &to, &t);
  for (i = 0; i < vb_diag_count(ctx); i++) {
    char *s = vb_diag_format(ctx, vb_diag_at(ctx, i), o.lang);
    fprintf(stderr, "%s\n", s ? s : "?");
    vb_free(ctx, s);
  }
  if (st == VB_OK) {
    printf("cols:");
    for (j = 0; j < t->ncols; j++)
      printf("%s%s", j ? "," : " ", t->cols[j].name);
    printf("\n");
    for (i = 0; i < t->nrows; i++) {
      printf("row %u:", t->rows[i].row);
      for (j = 0; j < t->ncols; j++) {
        const char *s = t->rows[i].cells[j].s;
        const char *nl;
        printf("%s%s=", j ? "|" : " ", t->cols[j].name);
        while ((nl = strchr(s, '\n'))) {
          fwrite(s, 1, (size_t)(nl - s), stdout);
          fputs("\\n", stdout);
          s = nl + 1;
        }
        fputs(s, stdout);
      }
      printf("\n");
    }
  }
  fprintf(stderr, "status: %d\n", (int)st);
  vb_table_free(t);
  vb_ctx_free(ctx);
  return st == VB_OK ? 0 : 1;
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(csv_comma_crlf),
      cmocka_unit_test(csv_semicolon_bom_lf),
      cmocka_unit_test(csv_rows_as_a_spreadsheet_counts_them),
      cmocka_unit_test(csv_cr_only_and_one_line),
      cmocka_unit_test(no_break_spaces_trimmed),
      cmocka_unit_test(csv_values_are_nfc),
      cmocka_unit_test(csv_bad_cells_at_row_and_column),
      cmocka_unit_test(csv_quotes_rfc4180),
      cmocka_unit_test(legacy_encodings_refused),
      cmocka_unit_test(csv_header_labels),
      cmocka_unit_test(csv_data_without_header),
      cmocka_unit_test(csv_empty_and_foreign),
      cmocka_unit_test(csv_limits),
      cmocka_unit_test(errors_count_per_call),
      cmocka_unit_test(xlsx_first_sheet),
      cmocka_unit_test(xlsx_sheet_by_name),
      cmocka_unit_test(xlsx_dates_1904_and_bad_serials),
      cmocka_unit_test(xlsx_hostile_parts),
      cmocka_unit_test(xlsx_targets_stay_in_the_archive),
      cmocka_unit_test(xlsx_ods_refused),
      cmocka_unit_test(alloc_failures_are_clean),
      cmocka_unit_test(fold_ignores_case_diacritics_punctuation),
      cmocka_unit_test(messages_of_lists),
      cmocka_unit_test(public_interface),
  };
  if (argc >= 3 && !strcmp(argv[1], "--dump"))
    return dump(argc, argv);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
