/* fuzz_markdown.c - libFuzzer target: the Markdown body on its own.
 *
 * The bytes become the <noi-dung> CDATA of a fixed, valid document (a
 * "]]>" in them is split so that the XML stays well formed), which is then
 * parsed and rendered to PDF, DOCX and the layout dump. Anything other than
 * the body is constant, so every execution reaches markdown.c, compose and
 * both renderers. Built and run by tests/fuzz/run.py.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vanban.h"

#ifndef VB_FUZZ_DATADIR
#define VB_FUZZ_DATADIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<van-ban loai=\"ke-hoach\" the-thuc=\"nd30\">\n"
    "<co-quan><chu-quan>Ủy ban nhân dân huyện Yên Thành</chu-quan>"
    "<ten>Ủy ban nhân dân xã Phúc Thành</ten><ky-hieu>UBND</ky-hieu>"
    "</co-quan>\n<so>5</so><dia-danh>Phúc Thành</dia-danh>"
    "<ngay>2024-02-05</ngay><trich-yeu>Xây dựng mô hình năm 2024</trich-yeu>\n"
    "<noi-dung><![CDATA[\n";
static const char tail[] =
    "\n]]></noi-dung>\n<noi-nhan><noi>Ban Dân vận Huyện ủy</noi>"
    "<luu>VT, VP</luu></noi-nhan>\n<nguoi-ky><quyen-han>TM. Ủy ban nhân dân"
    "</quyen-han><chuc-vu>Chủ tịch</chuc-vu><ho-ten>Nguyễn Văn An</ho-ten>"
    "</nguoi-ky>\n</van-ban>\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int formats[] = {VB_FORMAT_PDF, VB_FORMAT_DOCX,
                                VB_FORMAT_LAYOUT};
  vb_options opt;
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  char *xml, *o;
  size_t i;
  if (size > (1u << 20))
    return 0;
  /* each byte may grow to "]] >" (4 bytes) */
  xml = malloc(sizeof(head) + sizeof(tail) + size * 4);
  if (!xml)
    return 0;
  o = xml;
  memcpy(o, head, sizeof(head) - 1);
  o += sizeof(head) - 1;
  for (i = 0; i < size; i++) {
    if (i + 2 < size && data[i] == ']' && data[i + 1] == ']' &&
        data[i + 2] == '>') {
      memcpy(o, "]] >", 4);
      o += 4;
      i += 2;
    } else {
      *o++ = (char)data[i];
    }
  }
  memcpy(o, tail, sizeof(tail) - 1);
  o += sizeof(tail) - 1;
  memset(&opt, 0, sizeof(opt));
  opt.data_dir = VB_FUZZ_DATADIR;
  ctx = vb_ctx_new(&opt);
  if (ctx && vb_doc_parse(ctx, "fuzz.xml", xml, (size_t)(o - xml), &doc) ==
                 VB_OK) {
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
      unsigned char *out = NULL;
      size_t len = 0;
      if (vb_render(ctx, doc, formats[i], &out, &len) == VB_OK && !out)
        __builtin_trap();
      vb_free(ctx, out);
    }
  }
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  free(xml);
  return 0;
}
