/* export.c - the register as a table: the ten columns of the Sổ đăng ký
 * văn bản đi (NĐ 30 Phụ lục IV, I.2) as CSV (RFC 4180) or XLSX. Reads the
 * register through vb_register_list(); libxlsxwriter only here. */
#define _DEFAULT_SOURCE /* mkstemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "buf.h"
#include "ctx.h"
#include "register.h"

/* A sổ of a busy office holds a few thousand documents a year of a few
 * hundred bytes each; 64 MiB is far beyond any. */
#define EXPORT_MAX_BYTES ((size_t)64 << 20)
/* Excel's limit on the characters of one cell; libxlsxwriter refuses
 * longer strings. */
#define XLSX_CELL_MAX 32767

static const char *const heads[10] = {
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
};

/* Column (3): "KẾ HOẠCH phát động ..."; column (10): secrecy, version. */
static void cells(const vb_entry *e, struct vb_buf *title,
                  struct vb_buf *note, const char *v[10]) {
  vb_buf_truncate(title, 0);
  vb_buf_truncate(note, 0);
  vb_buf_printf(title, "%s %s", e->type_name, e->summary);
  if (!strcmp(e->secret, "mat"))
    vb_buf_puts(note, "Mật");
  else if (!strcmp(e->secret, "toi-mat"))
    vb_buf_puts(note, "Tối mật");
  else if (!strcmp(e->secret, "tuyet-mat"))
    vb_buf_puts(note, "Tuyệt mật");
  if (e->version > 1)
    vb_buf_printf(note, "%sĐính chính, bản %d", note->len ? "; " : "",
                  e->version);
  v[0] = e->symbol;
  v[1] = e->date;
  v[2] = title->ptr;
  v[3] = e->signer;
  v[4] = e->recipients;
  v[5] = e->kept_by;
  v[6] = v[7] = v[8] = "";
  v[9] = note->ptr;
}

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes
 * doubled; records end in CRLF. */
static void csv_field(struct vb_buf *b, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) {
    vb_buf_puts(b, s);
    return;
  }
  vb_buf_putc(b, '"');
  for (; *s; s++) {
    if (*s == '"')
      vb_buf_putc(b, '"');
    vb_buf_putc(b, *s);
  }
  vb_buf_putc(b, '"');
}

static void csv_row(struct vb_buf *b, const char *const v[10]) {
  int i;
  for (i = 0; i < 10; i++) {
    if (i)
      vb_buf_putc(b, ',');
    csv_field(b, v[i]);
  }
  vb_buf_puts(b, "\r\n");
}

static vb_status export_csv(vb_register_iter *it, struct vb_buf *out,
                            struct vb_buf *title, struct vb_buf *note) {
  const vb_entry *e;
  const char *v[10];
  vb_status st;
  csv_row(out, heads);
  while ((st = vb_register_next(it, &e)) == VB_OK && e) {
    cells(e, title, note, v);
    csv_row(out, v);
  }
  return st;
}

/* One cell. A cell holds at most XLSX_CELL_MAX characters (Excel's own
 * limit): longer is X009, not a silent cut. */
static vb_status cell(lxw_worksheet *ws, lxw_row_t row, int i, const char *s,
                      lxw_format *f) {
  lxw_error e = worksheet_write_string(ws, row, (lxw_col_t)i, s, f);
  if (e == LXW_NO_ERROR)
    return VB_OK;
  return e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? VB_ELIMIT : VB_ENOMEM;
}

/* Reads a whole file back into b. */
static vb_status slurp(const char *path, struct vb_buf *b) {
  char chunk[65536];
  size_t n;
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return VB_EIO;
  while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
    vb_buf_put(b, chunk, n);
  if (ferror(fp) && !vb_buf_err(b)) {
    fclose(fp);
    return VB_EIO;
  }
  fclose(fp);
  return vb_buf_err(b);
}

/* libxlsxwriter writes to a named file: a private temporary one, read
 * back into memory and removed. */
static vb_status export_xlsx(vb_register_iter *it, struct vb_buf *out,
                             struct vb_buf *title, struct vb_buf *note) {
  const char *dir = getenv("TMPDIR");
  struct vb_buf path;
  lxw_workbook *wb = NULL;
  lxw_worksheet *ws;
  lxw_format *head, *wrap;
  const vb_entry *e;
  const char *v[10];
  static const double widths[10] = {14, 11, 40, 16, 30, 16, 8, 10, 10, 14};
  vb_status st = VB_OK;
  lxw_row_t row = 1;
  int fd, i;
  vb_buf_init(&path, out->mem, VB_PATH_MAX);
  vb_buf_printf(&path, "%s/vanban-so-XXXXXX", dir && *dir ? dir : "/tmp");
  if (vb_buf_err(&path)) {
    vb_buf_release(&path);
    return VB_EIO;
  }
  fd = mkstemp(path.ptr);
  if (fd < 0) {
    vb_buf_release(&path);
    return VB_EIO;
  }
  close(fd);
  wb = workbook_new(path.ptr);
  ws = wb ? workbook_add_worksheet(wb, "Sổ đăng ký văn bản đi") : NULL;
  head = wb ? workbook_add_format(wb) : NULL;
  wrap = wb ? workbook_add_format(wb) : NULL;
  if (!ws || !head || !wrap) {
    st = VB_ENOMEM;
    goto out;
  }
  format_set_bold(head);
  format_set_text_wrap(head);
  format_set_text_wrap(wrap);
  worksheet_set_landscape(ws);
  worksheet_freeze_panes(ws, 1, 0);
  if (worksheet_repeat_rows(ws, 0, 0) != LXW_NO_ERROR)
    st = VB_ENOMEM;
  for (i = 0; i < 10 && st == VB_OK; i++)
    if (worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i],
                             wrap) != LXW_NO_ERROR)
      st = VB_ENOMEM;
    else
      st = cell(ws, 0, i, heads[i], head);
  while (st == VB_OK && (st = vb_register_next(it, &e)) == VB_OK && e) {
    cells(e, title, note, v);
    if (vb_buf_err(title) || vb_buf_err(note))
      break;
    for (i = 0; i < 10 && st == VB_OK; i++)
      if (*v[i])
        st = cell(ws, row, i, v[i], wrap);
    row++;
  }
  if (workbook_close(wb) != LXW_NO_ERROR && st == VB_OK)
    st = VB_EIO;
  wb = NULL;
  if (st == VB_OK)
    st = slurp(path.ptr, out);
out:
  if (wb)
    workbook_close(wb);
  unlink(path.ptr);
  vb_buf_release(&path);
  return st;
}

vb_status vb_register_export(vb_register *reg,
                             const vb_register_filter *filter, int format,
                             unsigned char **out, size_t *len) {
  vb_register_iter *it;
  struct vb_buf b, title, note;
  vb_ctx *ctx;
  vb_status st;
  if (!reg || !out || !len || format < VB_TABLE_CSV ||
      format > VB_TABLE_DOCX)
    return VB_EUSAGE;
  *out = NULL;
  *len = 0;
  if (format == VB_TABLE_PDF || format == VB_TABLE_DOCX) {
    ctx = vb_register_ctx(reg);
    vb_buf_init(&b, &ctx->mem, VB_MAX_OUTPUT_BYTES);
    st = vb_so_print(reg, filter, format, &b);
    if (st == VB_OK)
      st = vb_buf_err(&b);
    if (st != VB_OK) {
      vb_buf_release(&b);
      return st;
    }
    *out = (unsigned char *)vb_buf_detach(&b, len);
    return *out ? VB_OK : VB_ENOMEM;
  }
  st = vb_register_list(reg, filter, &it);
  if (st != VB_OK)
    return st;
  ctx = vb_register_ctx(reg);
  vb_buf_init(&b, &ctx->mem, EXPORT_MAX_BYTES);
  vb_buf_init(&title, &ctx->mem, 1 << 20);
  vb_buf_init(&note, &ctx->mem, 1 << 10);
  st = format == VB_TABLE_CSV ? export_csv(it, &b, &title, &note)
                              : export_xlsx(it, &b, &title, &note);
  if (st == VB_ELIMIT && !vb_buf_err(&b)) {
    char lim[32];
    snprintf(lim, sizeof(lim), "%d", XLSX_CELL_MAX);
    if (!vb_diag_add(ctx, VB_C_LIMIT, NULL, 0, 0,
                     vb_tr(ctx, "độ dài một ô XLSX", "length of an XLSX cell"),
                     lim))
      st = VB_ENOMEM;
  }
  if (st == VB_OK && (vb_buf_err(&title) || vb_buf_err(&note)))
    st = vb_buf_err(&title) ? vb_buf_err(&title) : vb_buf_err(&note);
  if (st == VB_OK)
    st = vb_buf_err(&b);
  vb_register_iter_free(it);
  vb_buf_release(&title);
  vb_buf_release(&note);
  if (st != VB_OK) {
    vb_buf_release(&b);
    return st;
  }
  *out = (unsigned char *)vb_buf_detach(&b, len);
  return *out ? VB_OK : VB_ENOMEM;
}
