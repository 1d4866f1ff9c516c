/* sample_form.h - a small form tree built by hand (a mẫu 01B in
 * miniature) for test_form.c and make_form.c, until templates build real
 * ones: one-line fields of every kind, in paragraphs and table cells,
 * multi-paragraph fields, a nested path and a repeated group. `filled`
 * gives every field a value (sample_values lists them). */
#ifndef VB_SAMPLE_FORM_H
#define VB_SAMPLE_FORM_H

#include <string.h>

#include "node.h"

static const char *const sample_linh_vuc[] = {
    "Phát triển kinh tế", "Văn hóa - xã hội", "Quốc phòng - an ninh",
    "Xây dựng hệ thống chính trị"};
static const char *const sample_kinh_gui[] = {"Khối Dân vận xã",
                                              "Ban Dân vận Huyện ủy"};

/* tag, value when filled ("\n\n" separates paragraphs of a block) */
static const char *const sample_values[][2] = {
    {"don-vi", "Chi bộ thôn Nà Hin"},
    {"kinh-gui", "Khối Dân vận xã"},
    {"ten-mo-hinh", "Dân vận khéo trong xây dựng đường giao thông nông thôn"},
    {"linh-vuc", "Phát triển kinh tế"},
    {"thoi-gian/bat-dau", "01/03/2023"},
    {"thoi-gian/hoan-thanh", "30/11/2023"},
    {"thuc-trang", "Đường vào thôn lầy lội & hẹp <3 m>.\n\nNhân dân đồng "
                   "thuận hiến đất."},
    {"thanh-vien[1]/ho-ten", "Hoàng Văn Sơn"},
    {"thanh-vien[1]/nhiem-vu", "Trưởng nhóm"},
    {"thanh-vien[2]/ho-ten", "Lý Thị Hoa"},
    {"thanh-vien[2]/nhiem-vu", "Vận động hộ gia đình"},
    {"nguoi-ky/ho-ten", "Hoàng Văn Sơn"},
};
#define SAMPLE_NVALUES (sizeof(sample_values) / sizeof(sample_values[0]))

struct sample {
  struct vb_arena *a;
  int filled;
  int ok;
};

static struct vb_node *sample_node(struct sample *s, enum vb_node_type t,
                                   struct vb_node *parent) {
  struct vb_node *n = vb_node_new(s->a, t);
  if (!n || (parent && !vb_node_append(parent, n)))
    s->ok = 0;
  return n;
}

static void sample_text(struct sample *s, struct vb_node *parent,
                        const char *text, size_t len, unsigned flags) {
  struct vb_node *t = sample_node(s, VB_NODE_TEXT, parent);
  if (!t)
    return;
  t->as.text.text = vb_arena_strndup(s->a, text, len);
  t->as.text.len = len;
  t->as.text.flags = flags;
  if (!t->as.text.text)
    s->ok = 0;
}

static struct vb_node *sample_para(struct sample *s, struct vb_node *parent,
                                   enum vb_align align, unsigned flags,
                                   const char *text) {
  struct vb_node *p = sample_node(s, VB_NODE_PARAGRAPH, parent);
  if (!p)
    return NULL;
  p->as.para.align = align;
  p->as.para.role = VB_ROLE_BODY;
  p->as.para.size = 28;
  p->as.para.line = 240;
  p->as.para.space_after = 120;
  if (align == VB_ALIGN_CENTER)
    p->as.para.role = VB_ROLE_TEN_LOAI;
  if (text)
    sample_text(s, p, text, strlen(text), flags);
  return p;
}

static const char *sample_value(const char *tag) {
  size_t i;
  for (i = 0; i < SAMPLE_NVALUES; i++)
    if (!strcmp(sample_values[i][0], tag))
      return sample_values[i][1];
  return NULL;
}

static void sample_field_common(struct vb_node *f, const char *tag,
                                const char *label, const char *hint,
                                int kind) {
  f->as.field.tag = tag;
  f->as.field.label = label;
  f->as.field.hint = hint;
  f->as.field.kind = kind;
  if (kind == VB_FIELD_CHOICE && !strcmp(tag, "linh-vuc")) {
    f->as.field.choices = sample_linh_vuc;
    f->as.field.nchoices = 4;
  } else if (kind == VB_FIELD_CHOICE) {
    f->as.field.choices = sample_kinh_gui;
    f->as.field.nchoices = 2;
  }
}

/* A one-line field at the end of paragraph p. */
static void sample_field(struct sample *s, struct vb_node *p, const char *tag,
                         const char *label, const char *hint, int kind,
                         int width) {
  struct vb_node *f = sample_node(s, VB_NODE_FIELD, p);
  const char *v = sample_value(tag);
  if (!f)
    return;
  sample_field_common(f, tag, label, hint, kind);
  f->as.field.blank_width = width;
  if (s->filled && v)
    sample_text(s, f, v, strlen(v), 0);
}

/* A multi-paragraph field under parent (the document or a cell). */
static void sample_block(struct sample *s, struct vb_node *parent,
                         const char *tag, const char *label,
                         const char *hint, int lines) {
  struct vb_node *f = sample_node(s, VB_NODE_FIELD_BLOCK, parent);
  const char *v = sample_value(tag), *e;
  if (!f)
    return;
  sample_field_common(f, tag, label, hint, VB_FIELD_MULTILINE);
  f->as.field.blank_lines = lines;
  while (s->filled && v && *v) {
    struct vb_node *p = sample_para(s, f, VB_ALIGN_JUSTIFY, 0, NULL);
    e = strstr(v, "\n\n");
    if (p)
      sample_text(s, p, v, e ? (size_t)(e - v) : strlen(v), 0);
    v = e ? e + 2 : v + strlen(v);
  }
}

static const int sample_widths[2] = {4536, 4536};

/* Builds the sample into t (arena already initialised). 1 on success. */
static int sample_form(struct vb_tree *t, int filled) {
  struct sample s;
  struct vb_node *doc, *p, *tb, *row, *cell;
  int i;
  s.a = &t->arena;
  s.filled = filled;
  s.ok = 1;
  t->page.width = 11906;
  t->page.height = 16838;
  t->page.margin_top = 1134;
  t->page.margin_bottom = 1134;
  t->page.margin_left = 1701;
  t->page.margin_right = 1134;
  t->page.header_distance = 567;
  t->page.page_number_from = 2;
  t->page.page_number_size = 28;
  t->title = "Bản đăng ký xây dựng mô hình";
  t->lang = "vi-VN";
  t->form = "mau-01b";
  t->form_profile = "hd36";
  doc = t->root = sample_node(&s, VB_NODE_DOCUMENT, NULL);
  if (!doc)
    return 0;
  sample_para(&s, doc, VB_ALIGN_CENTER, VB_RUN_BOLD, "ĐẢNG CỘNG SẢN VIỆT NAM");
  p = sample_para(&s, doc, VB_ALIGN_LEFT, 0, "ĐƠN VỊ: ");
  sample_field(&s, p, "don-vi", "Đơn vị", "Tên chi bộ, đoàn thể đăng ký",
               VB_FIELD_TEXT, 0);
  sample_para(&s, doc, VB_ALIGN_CENTER, VB_RUN_BOLD,
              "BẢN ĐĂNG KÝ XÂY DỰNG MÔ HÌNH");
  p = sample_para(&s, doc, VB_ALIGN_CENTER, 0, "Kính gửi: ");
  sample_field(&s, p, "kinh-gui", "Kính gửi", "Chọn nơi nhận",
               VB_FIELD_CHOICE, 4000);
  p = sample_para(&s, doc, VB_ALIGN_JUSTIFY, 0, "1. Tên mô hình: ");
  sample_field(&s, p, "ten-mo-hinh", "Tên mô hình",
               "Ngắn gọn, dễ nhớ (Mục III.1)", VB_FIELD_TEXT, 0);
  p = sample_para(&s, doc, VB_ALIGN_JUSTIFY, 0, "2. Lĩnh vực: ");
  sample_field(&s, p, "linh-vuc", "Lĩnh vực", "Chọn một trong bốn lĩnh vực",
               VB_FIELD_CHOICE, 0);
  p = sample_para(&s, doc, VB_ALIGN_JUSTIFY, 0, "3. Thời gian bắt đầu: ");
  sample_field(&s, p, "thoi-gian/bat-dau", "Bắt đầu", "ngày/tháng/năm",
               VB_FIELD_DATE, 2268);
  sample_text(&s, p, "; hoàn thành: ", strlen("; hoàn thành: "), 0);
  sample_field(&s, p, "thoi-gian/hoan-thanh", "Hoàn thành", "ngày/tháng/năm",
               VB_FIELD_DATE, 2268);
  sample_para(&s, doc, VB_ALIGN_JUSTIFY, VB_RUN_BOLD,
              "4. Tóm tắt thực trạng:");
  sample_block(&s, doc, "thuc-trang", "Tóm tắt thực trạng",
               "Tình hình trước khi xây dựng mô hình", 3);
  sample_para(&s, doc, VB_ALIGN_JUSTIFY, VB_RUN_BOLD, "5. Thành viên:");
  tb = sample_node(&s, VB_NODE_TABLE, doc);
  if (!tb)
    return 0;
  tb->as.table.ncols = 2;
  tb->as.table.widths = sample_widths;
  tb->as.table.flags = VB_TABLE_BORDERS;
  for (i = 1; i <= 2; i++) {
    char *tag = vb_arena_alloc(&t->arena, 32);
    row = sample_node(&s, VB_NODE_ROW, tb);
    cell = sample_node(&s, VB_NODE_CELL, row);
    if (!tag || !cell) {
      s.ok = 0;
      break;
    }
    snprintf(tag, 32, "thanh-vien[%d]/ho-ten", i);
    p = sample_para(&s, cell, VB_ALIGN_LEFT, 0, NULL);
    sample_field(&s, p, tag, "Họ và tên", "Họ và tên thành viên",
                 VB_FIELD_TEXT, 0);
    cell = sample_node(&s, VB_NODE_CELL, row);
    tag = vb_arena_alloc(&t->arena, 32);
    if (!tag || !cell) {
      s.ok = 0;
      break;
    }
    snprintf(tag, 32, "thanh-vien[%d]/nhiem-vu", i);
    sample_block(&s, cell, tag, "Nhiệm vụ", "Nhiệm vụ trong nhóm", 1);
  }
  p = sample_para(&s, doc, VB_ALIGN_RIGHT, VB_RUN_ITALIC,
                  "Người đăng ký (ký tên): ");
  sample_field(&s, p, "nguoi-ky/ho-ten", "Người ký", "Họ và tên",
               VB_FIELD_TEXT, 3402);
  return s.ok && vb_node_check(t->root);
}

#endif
