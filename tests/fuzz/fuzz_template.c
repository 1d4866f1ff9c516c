/* fuzz_template.c - libFuzzer target: a template (a user-editable document
 * kind) from arbitrary bytes. Each input is written as templates/fz.xml of
 * a private data folder (fonts and profiles linked from the checkout), then
 * described (vb_template_fields) and used: a fixed registration form and a
 * fixed plan name it with mau="fz", are validated against it, and when
 * valid are expanded and rendered to the tree and the DOCX. Built and run
 * by tests/fuzz/run.py; seeds are the shipped templates renamed "fz". */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vanban.h"

#ifndef VB_FUZZ_DATADIR
#define VB_FUZZ_DATADIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256], tpl[320];

static const char form[] =
    "<van-ban mau=\"fz\" the-thuc=\"hd36\" loai=\"ke-hoach\"><don-vi>Chi bộ"
    "</don-vi><cap>xa</cap><xa>Phúc Thành</xa><nguoi-dang-ky><doi-tuong>tập "
    "thể</doi-tuong><ten>Chi hội</ten><don-vi>Hội</don-vi><dia-phuong>xã"
    "</dia-phuong><dia-chi>thôn</dia-chi></nguoi-dang-ky><ten-mo-hinh>Đường "
    "hoa</ten-mo-hinh><linh-vuc>VH-XH</linh-vuc><thuc-trang>a\n\n- b"
    "</thuc-trang><hieu-qua>**c**</hieu-qua><thoi-gian-hoan-thanh>"
    "2023-12-31</thoi-gian-hoan-thanh><nam>2023</nam><han-dang-ky>"
    "28/02/2023</han-dang-ky><ngay>15/02/2023</ngay><nguoi-ky>Hoa</nguoi-ky>"
    "<thoi-gian><bat-dau>01/03/2023</bat-dau><ket-thuc>30/11/2023</ket-thuc>"
    "</thoi-gian><muc-dich>m</muc-dich><noi-dung>n</noi-dung>"
    "<co-quan><ten>Ban</ten><ky-hieu>BDV</ky-hieu></co-quan><so>3</so>"
    "<dia-danh>Yên Thành</dia-danh><trich-yeu>về x</trich-yeu>"
    "<can-cu>a;</can-cu><can-cu>b.</can-cu><noi-nhan><noi>A</noi>"
    "<nhom ten=\"G\"><noi>B</noi></nhom><luu>VT</luu></noi-nhan>"
    "</van-ban>";

static int setup(void) {
  char src[512], dst[512];
  if (*dir)
    return 1;
  snprintf(dir, sizeof(dir), "/tmp/vanban-fuzz-tpl-XXXXXX");
  if (!mkdtemp(dir))
    return 0;
  snprintf(src, sizeof(src), "%s/fonts", VB_FUZZ_DATADIR);
  snprintf(dst, sizeof(dst), "%s/fonts", dir);
  if (symlink(src, dst) != 0)
    return 0;
  snprintf(dst, sizeof(dst), "%s/templates", dir);
  if (mkdir(dst, 0700) != 0)
    return 0;
  snprintf(src, sizeof(src), "%s/templates/profiles", VB_FUZZ_DATADIR);
  snprintf(dst, sizeof(dst), "%s/templates/profiles", dir);
  if (symlink(src, dst) != 0)
    return 0;
  snprintf(tpl, sizeof(tpl), "%s/templates/fz.xml", dir);
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int formats[] = {VB_FORMAT_TREE, VB_FORMAT_DOCX};
  vb_options opt;
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  char *text = NULL;
  FILE *fp;
  size_t i;
  if (!setup())
    return 0;
  fp = fopen(tpl, "wb");
  if (!fp)
    return 0;
  fwrite(data, 1, size, fp);
  fclose(fp);
  memset(&opt, 0, sizeof(opt));
  opt.data_dir = dir;
  opt.lang = size && (data[size - 1] & 1) ? VB_LANG_EN : VB_LANG_VI;
  ctx = vb_ctx_new(&opt);
  if (!ctx)
    return 0;
  if (vb_template_fields(ctx, "fz", &text) == VB_OK && !text)
    __builtin_trap(); /* VB_OK must give the text */
  vb_free(ctx, text);
  if (vb_doc_parse(ctx, "fuzz.xml", form, sizeof(form) - 1, &doc) == VB_OK) {
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
      unsigned char *out = NULL;
      size_t len = 0;
      if (vb_render(ctx, doc, formats[i], &out, &len) == VB_OK && !out)
        __builtin_trap();
      vb_free(ctx, out);
    }
  }
  for (i = 0; i < vb_diag_count(ctx); i++) {
    char *msg = vb_diag_format(ctx, vb_diag_at(ctx, i), opt.lang);
    vb_free(ctx, msg);
  }
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  return 0;
}
