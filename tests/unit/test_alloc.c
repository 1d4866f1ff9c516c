/* test_alloc.c - allocation failure (expat alloc_tests.c style).
 *
 * A counting allocator in vb_options.mem fails the i-th allocation, for
 * i = 1, 2, ... until the call succeeds. At every i the call must return
 * VB_OK or a clean error (VB_ENOMEM; VB_EPDF / VB_EDOCX where a renderer
 * reports a failure of its library that way), and once everything is
 * freed the allocator must have no live allocation left.
 *
 * A run that succeeds while an allocation was refused must give exactly
 * what an unfailed run gives (the tree dump after parsing, the bytes of the
 * PDF or DOCX): VB_OK with part of the document missing is the worst bug.
 *
 * Three stages, each with its own loop so that the test stays fast: parse
 * (+ validate + compose), render to PDF (layout + libharu, whose
 * allocations go through vb_options.mem too) and render to DOCX. Only what
 * goes through vb_options.mem is covered, and libxml2: xmlMemSetup()
 * routes the XML reader's allocations through the same counter, so that
 * its failures (a NULL node content, a parse stopped as if the input had
 * ended) are tried too. ICU's temporary buffers in text.c, md4c, libzip and
 * FreeType allocate on their own.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vanban.h"
#include "counting_alloc.h"

/* libxml2's allocator has no user pointer: the counter of the point being
 * run. Its blocks carry a header saying whether they were counted, since
 * libxml2 also frees, while a point runs, blocks of its global state made
 * before (xmlInitParser). */
static struct counter *xml_counter;
/* Whether the parse stage fails libxml2's allocations too. Not for the
 * decision: libxml2 2.9.14 itself leaks the input buffer of
 * xmlCtxtReadMemory() when one of its allocations fails there (found
 * reading templates/quyet-dinh-cong-nhan.xml; valgrind: xmlBufCreateSize
 * < xmlAllocParserInputBuffer < xmlParserInputBufferCreateMem). */
static int count_xml = 1;

#define XML_HDR 16 /* keeps libxml2's blocks aligned for any type */
#define XML_COUNTED 0x5643u

static void *x_malloc(size_t size) {
  struct counter *c = xml_counter;
  unsigned char *p;
  if (size > SIZE_MAX - XML_HDR)
    return NULL;
  if (c && c->armed && ++c->n == c->fail_at) {
    c->failed++;
    return NULL;
  }
  p = malloc(size + XML_HDR);
  if (!p)
    return NULL;
  *(unsigned *)p = c ? XML_COUNTED : 0;
  if (c)
    c->live++;
  return p + XML_HDR;
}

static void x_free(void *ptr) {
  unsigned char *p = ptr;
  if (!p)
    return;
  p -= XML_HDR;
  if (*(unsigned *)p == XML_COUNTED && xml_counter)
    xml_counter->live--;
  free(p);
}

static void *x_realloc(void *ptr, size_t size) {
  struct counter *c = xml_counter;
  unsigned char *p = ptr, *q;
  if (!p)
    return x_malloc(size);
  if (size > SIZE_MAX - XML_HDR)
    return NULL;
  if (c && c->armed && ++c->n == c->fail_at) {
    c->failed++;
    return NULL;
  }
  q = realloc(p - XML_HDR, size + XML_HDR);
  return q ? q + XML_HDR : NULL;
}

static char *x_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = x_malloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

static const char doc_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<van-ban loai=\"ke-hoach\" the-thuc=\"nd30\">\n"
    "  <co-quan>\n"
    "    <chu-quan>Ủy ban nhân dân huyện Yên Thành</chu-quan>\n"
    "    <ten>Ủy ban nhân dân xã Phúc Thành</ten>\n"
    "    <ky-hieu>UBND</ky-hieu>\n"
    "  </co-quan>\n"
    "  <so>5</so>\n"
    "  <dia-danh>Phúc Thành</dia-danh>\n"
    "  <ngay>2024-02-05</ngay>\n"
    "  <trich-yeu>Xây dựng mô hình “Dân vận khéo” năm 2024</trich-yeu>\n"
    "  <can-cu>Căn cứ Kế hoạch số 22-KH/BDVHU ngày 10/01/2024;</can-cu>\n"
    "  <noi-dung><![CDATA[\n"
    "Thực hiện Kế hoạch số 22-KH/BDVHU, Ủy ban nhân dân xã ban hành Kế "
    "hoạch như sau:\n\n"
    "# I. MỤC ĐÍCH, YÊU CẦU\n\n"
    "## 1. Mục đích\n\n"
    "Nâng cao nhận thức của cán bộ, **đảng viên** và *nhân dân*.\n\n"
    "- Đối với tập thể: đăng ký ít nhất 01 mô hình;\n"
    "- Đối với cá nhân: đăng ký ít nhất 01 điển hình.\n\n"
    "1. Một\n2. Hai  \n   dòng mới\n\n"
    "# II. TỔ CHỨC THỰC HIỆN\n\n"
    "Văn phòng theo dõi, tổng hợp, báo cáo./.\n"
    "]]></noi-dung>\n"
    "  <noi-nhan>\n"
    "    <noi>Ban Dân vận Huyện ủy (b/c)</noi>\n"
    "    <nhom ten=\"Gửi bản điện tử\"><noi>Thường trực Đảng ủy xã</noi></nhom>\n"
    "    <luu>VT, VP</luu>\n"
    "  </noi-nhan>\n"
    "  <nguoi-ky>\n"
    "    <quyen-han>TM. Ủy ban nhân dân</quyen-han>\n"
    "    <chuc-vu>Chủ tịch</chuc-vu>\n"
    "    <ho-ten>Nguyễn Văn An</ho-ten>\n"
    "  </nguoi-ky>\n"
    "</van-ban>\n";

/* A decision whose list comes from a CSV file beside it (attach.c, the
 * list reader) and prints as a bordered table with a repeated header row
 * (layout.c): written to a temporary folder by use_list(). */
static const char list_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<van-ban mau=\"quyet-dinh-cong-nhan\" loai=\"quyet-dinh\" "
    "the-thuc=\"nd30\">\n"
    "  <co-quan><ten>Ủy ban nhân dân xã Phúc Thành</ten>"
    "<ky-hieu>UBND</ky-hieu></co-quan>\n"
    "  <so>15</so><dia-danh>Phúc Thành</dia-danh><ngay>2024-11-20</ngay>\n"
    "  <trich-yeu>Về việc công nhận mô hình “Dân vận khéo”</trich-yeu>\n"
    "  <tham-quyen>Ủy ban nhân dân xã Phúc Thành</tham-quyen>\n"
    "  <can-cu>Căn cứ Kế hoạch số 05/KH-UBND;</can-cu>\n"
    "  <dieu>Công nhận các mô hình (có danh sách kèm theo).</dieu>\n"
    "  <dieu>Quyết định có hiệu lực kể từ ngày ký./.</dieu>\n"
    "  <danh-sach tep=\"ds.csv\"><cua>Ủy ban nhân dân xã</cua></danh-sach>\n"
    "  <noi-nhan><noi>Như Điều 2</noi><luu>VT, VP</luu></noi-nhan>\n"
    "  <nguoi-ky><quyen-han>TM. Ủy ban nhân dân</quyen-han>"
    "<chuc-vu>Chủ tịch</chuc-vu><ho-ten>Nguyễn Văn An</ho-ten></nguoi-ky>\n"
    "</van-ban>\n";

/* The document the stages run: the plan above, or the decision. */
static const char *cur_name = "alloc.xml";
static const char *cur_xml = doc_xml;
static size_t cur_len = sizeof(doc_xml) - 1;

/* Failure points tried before giving up on a stage (a loop that never
 * succeeds is a bug too). */
#define MAX_POINTS 200000

static const char *status_name(vb_status st) {
  static const char *const names[] = {"VB_OK",    "VB_EINVALID", "VB_ENOMEM",
                                      "VB_EIO",   "VB_ELIMIT",   "VB_EPDF",
                                      "VB_EDOCX", "VB_EUSAGE",   "VB_EFONT"};
  return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

static vb_ctx *new_ctx(struct counter *c, vb_mem *mem, vb_options *opt) {
  mem->malloc = c_malloc;
  mem->realloc = c_realloc;
  mem->free = c_free;
  mem->user = c;
  memset(opt, 0, sizeof(*opt));
  opt->mem = mem;
  return vb_ctx_new(opt);
}

/* What an unfailed run gives, per stage (0 tree dump, else the format). */
struct reference {
  unsigned char *bytes;
  size_t len;
};
static struct reference refs[VB_FORMAT_DOCX + 1];

static const struct reference *reference(int format) {
  struct reference *r = &refs[format];
  struct counter *xc = xml_counter;
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  if (r->bytes)
    return r;
  xml_counter = NULL; /* the unfailed run: libxml2 not counted either */
  ctx = vb_ctx_new(NULL);
  assert_non_null(ctx);
  assert_int_equal(vb_doc_parse(ctx, cur_name, cur_xml, cur_len, &doc),
                   VB_OK);
  assert_int_equal(vb_render(ctx, doc, format ? format : VB_FORMAT_TREE,
                             &r->bytes, &r->len),
                   VB_OK);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  xml_counter = xc;
  return r;
}

/* Does the document (parse stage: its tree dump) or the output match the
 * unfailed run? The comparison itself allocates with nothing refused. */
static int same_output(struct counter *c, vb_ctx *ctx, const vb_doc *doc,
                       int format, const unsigned char *out, size_t len) {
  const struct reference *r = reference(format);
  unsigned char *tree = NULL;
  size_t tl = 0;
  int same;
  if (format)
    return len == r->len && !memcmp(out, r->bytes, len);
  c->armed = 0; /* libxml2's allocations are then not refused either */
  if (vb_render(ctx, doc, VB_FORMAT_TREE, &tree, &tl) != VB_OK)
    return 0;
  same = tl == r->len && !memcmp(tree, r->bytes, tl);
  vb_free(ctx, tree);
  return same;
}

/* One failure point. Returns 0 when clean; 1 when it leaked; 2 when the
 * status or the output was wrong; sets *done when the call succeeded
 * without any allocation refused (every point has been tried). */
static int one_point(int format, vb_status allowed, long i, int *done) {
  struct counter c;
  vb_mem mem;
  vb_options opt;
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  vb_status st;
  unsigned char *out = NULL;
  size_t len = 0;
  int bad = 0;
  memset(&c, 0, sizeof(c));
  c.fail_at = i;
  c.armed = format == 0;
  *done = 0;
  /* libxml2's allocations too: in the parse stage (of the plan; libxml2
   * 2.9.14 itself leaks inside xmlCtxtReadMemory when an allocation fails
   * reading the decision's list) and in the DOCX stage (the writer no
   * longer uses libxml2: its xmlTextWriter leaked and dropped elements when
   * an allocation failed; any use that came back would be covered here) */
  xml_counter = (format == 0 && count_xml) || format == VB_FORMAT_DOCX ? &c
                                                                       : NULL;
  ctx = new_ctx(&c, &mem, &opt);
  if (!ctx) {
    xml_counter = NULL;
    return c.live != 0;
  }
  st = vb_doc_parse(ctx, cur_name, cur_xml, cur_len, &doc);
  if (format == 0) {
    if ((st != VB_OK && st != VB_ENOMEM) || (st != VB_OK && doc))
      bad = 2;
    else if (st == VB_OK && !same_output(&c, ctx, doc, 0, NULL, 0)) {
      printf("  allocation %ld failing: VB_OK with a different tree\n", i);
      bad = 2;
    }
  } else if (st != VB_OK) {
    bad = 2;
  } else {
    c.armed = 1;
    st = vb_render(ctx, doc, format, &out, &len);
    if ((st != VB_OK && st != VB_ENOMEM && st != allowed) ||
        (st == VB_OK && (!out || !len)) || (st != VB_OK && out))
      bad = 2;
    else if (st == VB_OK && !same_output(&c, ctx, doc, format, out, len)) {
      printf("  allocation %ld failing: VB_OK with different bytes\n", i);
      bad = 2;
    }
  }
  if (bad) {
    size_t k;
    printf("  allocation %ld failing: status %s\n", i, status_name(st));
    c.armed = 0; /* what was said, to find the path that failed */
    for (k = 0; k < vb_diag_count(ctx) && k < 3; k++) {
      char *m = vb_diag_format(ctx, vb_diag_at(ctx, k), VB_LANG_EN);
      printf("    %s\n", m ? m : "?");
      vb_free(ctx, m);
    }
  }
  vb_free(ctx, out);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  /* libxml2 keeps the last error (its message) per thread, not a leak */
  xmlResetLastError();
  xml_counter = NULL;
  if (!bad && c.live != 0)
    bad = 1;
  *done = st == VB_OK && c.failed == 0;
  return bad;
}

/* Runs every failure point of a stage. The points run in child processes,
 * a batch per child (a fork per point is too slow), so that a crash at one
 * point is reported with its number and the loop goes on after it. */
#define BATCH 256

struct shared {
  long cur;       /* the point the child is running */
  long next;      /* the first point not yet run */
  long done_at;   /* the point at which the call succeeded, or 0 */
  long nkind[4];  /* clean, leak, wrong status, crash */
  long nbad;
};

/* Failure points tried: every one, or every 61st under valgrind (make
 * leakcheck), where one point costs a second. */
static long stride(void) {
  const char *pre = getenv("LD_PRELOAD");
  return pre && strstr(pre, "vgpreload") ? 61 : 1;
}

static void report(struct shared *sh, const char *stage, long i, int bad) {
  sh->nkind[bad]++;
  if (sh->nbad++ < 12 || bad == 3)
    printf("  %s, allocation %ld failing: %s\n", stage, i,
           bad == 1 ? "leaks" : bad == 2 ? "wrong status"
                                         : "crashes (signal)");
  fflush(stdout);
}

static long run_stage(int format, vb_status allowed) {
  const char *stage = format == 0                ? "parse"
                      : format == VB_FORMAT_PDF ? "render PDF"
                                                : "render DOCX";
  struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
                           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  long n;
  assert_true(sh != MAP_FAILED);
  memset(sh, 0, sizeof(*sh));
  sh->next = 1;
  while (!sh->done_at && sh->next < MAX_POINTS) {
    int status;
    pid_t pid;
    fflush(stdout);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      long i, step = stride(), last = sh->next + BATCH * step;
      /* cmocka's handlers would carry on with the next test in the child */
      signal(SIGSEGV, SIG_DFL);
      signal(SIGBUS, SIG_DFL);
      signal(SIGILL, SIG_DFL);
      signal(SIGFPE, SIG_DFL);
      signal(SIGABRT, SIG_DFL);
      for (i = sh->next; i < last; i += step) {
        int done, bad;
        sh->cur = i;
        bad = one_point(format, allowed, i, &done);
        if (bad)
          report(sh, stage, i, bad);
        sh->next = i + step;
        if (done) {
          sh->done_at = i;
          break;
        }
      }
      fflush(stdout);
      _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
      report(sh, stage, sh->cur, 3);
      sh->next = sh->cur + stride();
    }
  }
  n = sh->done_at ? sh->done_at - 1 : -1;
  if (!sh->done_at)
    fail_msg("%s: no success after %d failure points", stage, MAX_POINTS);
  else if (sh->nbad)
    fail_msg("%s: %ld of %ld failure points are not clean (%ld leak, "
             "%ld wrong status, %ld crash)",
             stage, sh->nbad, n, sh->nkind[1], sh->nkind[2], sh->nkind[3]);
  munmap(sh, sizeof(*sh));
  return n;
}

/* Stage 0: parse; stage VB_FORMAT_PDF / VB_FORMAT_DOCX: render. (The
 * in-process loop, kept for debugging under a debugger: VB_ALLOC_INPROC=1.) */
static long run_stage_inproc(int format, vb_status allowed) {
  const char *stage = format == 0                ? "parse"
                      : format == VB_FORMAT_PDF ? "render PDF"
                                                : "render DOCX";
  long i, nbad = 0;
  int done = 0;
  for (i = 1; i < MAX_POINTS; i++) {
    if (one_point(format, allowed, i, &done))
      nbad++;
    if (done) {
      if (nbad)
        fail_msg("%s: %ld of %ld failure points leak or fail wrongly", stage,
                 nbad, i - 1);
      return i - 1; /* every allocation point was tried */
    }
  }
  fail_msg("no success after %d failure points", MAX_POINTS);
  return 0;
}

static long stage(int format, vb_status allowed) {
  return getenv("VB_ALLOC_INPROC") ? run_stage_inproc(format, allowed)
                                   : run_stage(format, allowed);
}

static void test_parse(void **state) {
  long n = stage(0, VB_ENOMEM);
  (void)state;
  printf("  parse: %ld allocation failure points, all clean\n", n);
  assert_true(n > 10);
}

static void test_render_pdf(void **state) {
  long n = stage(VB_FORMAT_PDF, VB_EPDF);
  (void)state;
  printf("  render PDF: %ld allocation failure points, all clean\n", n);
  assert_true(n > 10);
}

static void test_render_docx(void **state) {
  long n = stage(VB_FORMAT_DOCX, VB_EDOCX);
  (void)state;
  printf("  render DOCX: %ld allocation failure points, all clean\n", n);
  assert_true(n > 0);
}

/* A full parse + PDF + DOCX with the counting allocator: nothing leaks. */
static void test_no_leak(void **state) {
  struct counter c;
  vb_mem mem;
  vb_options opt;
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  unsigned char *pdf = NULL, *docx = NULL;
  size_t lp = 0, ld = 0;
  (void)state;
  memset(&c, 0, sizeof(c));
  ctx = new_ctx(&c, &mem, &opt);
  assert_non_null(ctx);
  assert_int_equal(vb_doc_parse(ctx, cur_name, cur_xml, cur_len, &doc),
                   VB_OK);
  assert_int_equal(vb_render(ctx, doc, VB_FORMAT_PDF, &pdf, &lp), VB_OK);
  assert_int_equal(vb_render(ctx, doc, VB_FORMAT_DOCX, &docx, &ld), VB_OK);
  assert_true(lp > 1000 && !memcmp(pdf, "%PDF-", 5));
  assert_true(ld > 1000 && !memcmp(docx, "PK", 2));
  vb_free(ctx, pdf);
  vb_free(ctx, docx);
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  assert_int_equal(c.live, 0);
}

/* libxml2's allocations are counted too: a failure inside the XML reader
 * is among the points of the parse stage. */
static void test_xml_counted(void **state) {
  struct counter c;
  vb_mem mem;
  vb_options opt;
  vb_ctx *ctx;
  vb_doc *doc = NULL;
  (void)state;
  memset(&c, 0, sizeof(c));
  xml_counter = &c;
  ctx = new_ctx(&c, &mem, &opt);
  assert_non_null(ctx);
  c.armed = 1;
  assert_int_equal(vb_doc_read(ctx, "alloc.xml", doc_xml,
                               sizeof(doc_xml) - 1, &doc),
                   VB_OK);
  c.armed = 0;
  vb_doc_free(doc);
  vb_ctx_free(ctx);
  xmlResetLastError();
  xml_counter = NULL;
  /* the document has about 40 elements: libxml2 makes well over 100
   * allocations for it, and every one went through the counter */
  assert_true(c.n > 100);
  assert_int_equal(c.live, 0);
}

/* Switches the stages to the decision and its CSV list (40 rows: more
 * than a page, so the header row repeats). */
static char list_dir[] = "/tmp/vanban-alloc-XXXXXX";
static char list_csv[sizeof(list_dir) + 16];

static void use_list(void) {
  static char name[sizeof(list_dir) + 16];
  char *dir = list_dir, *csv = list_csv;
  FILE *fp;
  int i;
  memset(refs, 0, sizeof(refs)); /* the plan's references are not these */
  count_xml = 0;
  assert_non_null(mkdtemp(dir));
  snprintf(csv, sizeof(list_csv), "%s/ds.csv", dir);
  snprintf(name, sizeof(name), "%s/qd.xml", dir);
  fp = fopen(csv, "w");
  assert_non_null(fp);
  fputs("TT,Tên mô hình,\"Tập thể, cá nhân thực hiện\",Lĩnh vực,"
        "\"Địa chỉ, đơn vị\"\n",
        fp);
  for (i = 1; i <= 40; i++)
    fprintf(fp, "%d,Mô hình %d,Chi bộ thôn %d,HTCT,Xã Phúc Thành\n", i, i,
            i);
  assert_int_equal(fclose(fp), 0);
  cur_name = name;
  cur_xml = list_xml;
  cur_len = sizeof(list_xml) - 1;
}

static void test_list_parse(void **state) {
  long n;
  (void)state;
  use_list();
  n = stage(0, VB_ENOMEM);
  printf("  decision with a CSV list, parse: %ld allocation failure points, "
         "all clean\n",
         n);
  assert_true(n > 10);
}

static void test_list_render_pdf(void **state) {
  long n = stage(VB_FORMAT_PDF, VB_EPDF);
  (void)state;
  printf("  decision with a CSV list, render PDF: %ld allocation failure "
         "points, all clean\n",
         n);
  unlink(list_csv);
  rmdir(list_dir);
  assert_true(n > 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_xml_counted),
      cmocka_unit_test(test_no_leak),
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_render_pdf),
      cmocka_unit_test(test_render_docx),
      cmocka_unit_test(test_list_parse),
      cmocka_unit_test(test_list_render_pdf),
  };
  /* before libxml2 allocates anything */
  if (xmlMemSetup(x_free, x_malloc, x_realloc, x_strdup) != 0)
    return 1;
  xmlInitParser();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
