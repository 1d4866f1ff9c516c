#!/usr/bin/python3
"""tests/hostile/run_hostile.py - hostile and pathological inputs.

Called by tests/run.py (section "hostile") as run(r), r being its Runner;
also runs on its own: tests/hostile/run_hostile.py [--build DIR] [--quick]
[--valgrind].

Every case runs build/vanban and asserts, as tests/hostile/README.md lists:
  - the exit status: 0 for the inputs that must render, 1 with the expected
    diagnostic ID on stderr for the others;
  - a wall-time bound, x5 under ASan (a build folder named *asan*) and x20
    under valgrind;
  - bounded memory: RLIMIT_AS of 2 GiB (not under ASan or valgrind, which
    reserve far more address space), and the peak RSS is reported;
  - no crash: the status is neither negative (a signal) nor >= 128;
  - nothing left behind: a failed render writes no file and no temporary
    file into the output folder; a successful one writes exactly the
    requested files.
The big inputs are generated here from template.xml; only small files are
committed.
"""
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GIB = 1 << 30
MEM_LIMIT = 2 * GIB

# --- the cases made of the small committed files ---------------------------
# (file, exit status, diagnostic ID expected on stderr or None, bound in s)
SMALL = [
    ("billion-laughs.xml", 1, "X002", 2),
    ("billion-laughs-utf16.xml", 1, "X002", 2),
    ("xxe-system.xml", 1, "X002", 2),
    ("parameter-entity.xml", 1, "X002", 2),
    ("external-dtd.xml", 1, "X002", 2),
    ("doctype-after-comment.xml", 1, "X002", 2),
    ("undeclared-entity.xml", 1, "X002", 2),
    ("invalid-utf8.xml", 1, "X006", 10),
    ("overlong-utf8.xml", 1, "X006", 10),
    ("control-char.xml", 1, "X006", 10),
    ("nul-bytes.xml", 1, "X013", 10),
    # issue 7: text that shows differently in the PDF and in Word
    ("bidi-override.xml", 1, "X011", 10),
    ("bidi-charref.xml", 1, "X011", 10),
    ("bidi-attribute.xml", 1, "X011", 10),
    ("bidi-isolate-body.xml", 1, "X011", 10),
    # a Markdown body decodes its own references, after the XML's checks
    ("bidi-markdown-entity.xml", 1, "X011", 10),
    ("zero-width-space.xml", 1, "X012", 10),
    ("soft-hyphen.xml", 1, "X012", 10),
    # issue 7: a NUL and garbage after the root element
    ("nul-after-root.xml", 1, "X013", 10),
    ("nul-after-root-utf16.xml", 1, "X013", 10),
    ("truncated.xml", 1, "X036", 10),
    ("garbage.bin", 1, "X013", 10),
    ("empty.xml", 1, "X041", 10),
    ("bom-only.xml", 1, "X041", 10),
    ("deep-elements.xml", 1, "X009", 10),
    ("cr-only.xml", 0, None, 10),
    ("crlf.xml", 0, None, 10),
    ("xinclude.xml", 0, "X004", 10),
    # reproducers found by tests/fuzz, fixed
    ("fuzz-title-use-after-free.xml", 0, None, 10),
]


# The exact first message of some of them (after the file name), in both
# languages: the character's own line and column.
X011_VI = ("ký tự điều khiển hướng chữ %s trong trường <%s>: nó làm bản PDF "
           "và bản Word hiện ra khác nhau; hãy xoá ký tự này")
X011_EN = ("bidirectional control character %s in field <%s>: it makes the "
           "PDF and the Word file show different text; delete it")
X012_VI = ("ký tự định dạng vô hình %s trong trường <%s>: văn bản hành chính "
           "không dùng ký tự này; hãy xoá nó")
X013_VI = ("tệp có byte NUL (U+0000), ký tự mà XML không cho phép; phần sau "
           "nó sẽ không được đọc")
X013_EN = ("the file holds a NUL byte (U+0000), which XML does not allow; "
           "what follows it would not be read")
EXACT = [
    ("bidi-override.xml", "vi", ":13:23: lỗi[X011]: " +
     X011_VI % ("U+202E", "trich-yeu")),
    ("bidi-override.xml", "en", ":13:23: error[X011]: " +
     X011_EN % ("U+202E", "trich-yeu")),
    ("bidi-charref.xml", "vi", ":13:23: lỗi[X011]: " +
     X011_VI % ("U+202E", "trich-yeu")),
    ("bidi-attribute.xml", "vi", ":19:20: lỗi[X011]: " +
     X011_VI % ("U+2067", "nhom")),
    ("bidi-isolate-body.xml", "vi", ":15:10: lỗi[X011]: " +
     X011_VI % ("U+2066", "noi-dung")),
    ("bidi-markdown-entity.xml", "vi", ":15: lỗi[X011]: " +
     X011_VI % ("U+202E", "body")),
    ("zero-width-space.xml", "vi", ":15:4: lỗi[X012]: " +
     X012_VI % ("U+200B", "noi-dung")),
    ("soft-hyphen.xml", "vi", ":13:50: lỗi[X012]: " +
     X012_VI % ("U+00AD", "trich-yeu")),
    ("nul-after-root.xml", "vi", ":27:1: lỗi[X013]: " + X013_VI),
    ("nul-after-root.xml", "en", ":27:1: error[X013]: " + X013_EN),
    ("nul-after-root-utf16.xml", "vi", ":27: lỗi[X013]: " + X013_VI),
    ("nul-bytes.xml", "vi", ":13:15: lỗi[X013]: " + X013_VI),
]


def template():
    with open(os.path.join(HERE, "template.xml"), encoding="utf-8") as f:
        return f.read()


def fill(ty="Xây dựng mô hình “Dân vận khéo” năm 2024",
         body="Nội dung kế hoạch./.", noi="", root_attr=""):
    s = template().replace("@TRICH_YEU@", ty).replace("@NOI@", noi)
    s = s.replace("@BODY@", body)
    if root_attr:
        s = s.replace('the-thuc="nd30"', 'the-thuc="nd30" ' + root_attr, 1)
    return s.encode("utf-8")


SENTENCE = ("Các cơ quan, đơn vị, địa phương căn cứ chức năng, nhiệm vụ được "
            "giao chủ động xây dựng kế hoạch cụ thể, bố trí nguồn lực, tổ "
            "chức triển khai thực hiện có hiệu quả, định kỳ báo cáo kết quả "
            "về Ủy ban nhân dân xã để tổng hợp, theo dõi và chỉ đạo.")


def plan_pages(pages):
    """A body of about `pages` A4 pages: sections, khoản and paragraphs
    (one paragraph of SENTENCE x2 is about 6 lines: 6.5 paragraphs a page)."""
    out = []
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    n = pages * 13 // 2
    for i in range(n):
        if i % 50 == 0:
            out.append("# %s. NHIỆM VỤ TRỌNG TÂM PHẦN %d" %
                       (romans[(i // 50) % 10], i // 50 + 1))
        if i % 10 == 0:
            out.append("## %d. Nhiệm vụ thứ %d" % (i // 10 % 5 + 1, i // 10))
        if i % 7 == 3:
            out.append("- Đối với tập thể: đăng ký ít nhất 01 mô hình;\n"
                       "- Đối với cá nhân: **đăng ký** ít nhất 01 *điển hình*.")
        else:
            out.append("Đoạn %d. %s %s" % (i, SENTENCE, SENTENCE))
    return "\n\n".join(out)


# (name, input bytes (a function: generated at test time), exit status,
#  diagnostic ID or None, bound in s, extra check or None)
def generated():
    return [
        # 1,000 pages must render, within a minute
        ("plan-1000-pages", lambda: fill(body=plan_pages(1000)), 0, None, 60,
         "pages>=1000"),
        # 100,000 paragraphs: about 4 MB, under VB_MAX_INPUT_BYTES: renders
        # (about 3,000 pages); the accepted alternative outcome is X009
        ("paragraphs-100000", lambda: fill(body="\n\n".join(
            "Đoạn thứ %d của kế hoạch." % i for i in range(100000))),
         (0, 1), "X009?", 60, "pages>=3000"),
        # more than VB_LAYOUT_MAX_PAGES (10,000) pages from 1.3 MB of input:
        # refused with X009 "số trang", nothing written
        ("pages-over-10000", lambda: fill(body="\n\n".join(
            ["a"] * 420000)), 1, "X009", 30, None),
        # a 10 MB field: the file exceeds VB_MAX_INPUT_BYTES (8 MiB)
        ("field-10mb", lambda: fill(ty="a" * (10 << 20)), 1, "X009", 10,
         None),
        # a 7 MB field inside the file limit: the field limit (2,000)
        ("field-7mb", lambda: fill(ty="Xây " * ((7 << 20) // 5)), 1, "X009", 10,
         None),
        # a 7 MB body paragraph: no field limit on the body; renders
        ("body-paragraph-2mb", lambda: fill(body=(SENTENCE + " ") * 8000),
         0, None, 30, None),
        # Markdown lists nested 10,000 deep ("- - - x" nests one per marker)
        ("md-list-nested-10000", lambda: fill(body="- " * 10000 + "x"), 0,
         None, 10, None),
        ("md-ordered-list-nested-10000", lambda: fill(body="1. " * 10000 +
                                                      "x"), 0, None, 10, None),
        ("md-list-indented-2000", lambda: fill(body="\n".join(
            " " * (2 * i) + "- mục %d" % i for i in range(2000))), 0, None,
         10, None),
        ("md-blockquote-nested-10000", lambda: fill(body="> " * 10000 + "x"),
         0, None, 10, None),
        # emphasis nested 10,000 deep, three ways
        ("md-emphasis-nested-10000", lambda: fill(
            body="*" * 10000 + "x" + "*" * 10000), 0, None, 10, None),
        ("md-emphasis-interleaved-10000", lambda: fill(
            body="*a **b " * 5000 + "x" + " c** d*" * 5000), 0, None, 10,
         None),
        ("md-emphasis-unclosed-10000", lambda: fill(
            body="_a *b " * 10000 + "x"), 0, None, 10, None),
        ("md-links-nested-10000", lambda: fill(
            body="[" * 10000 + "x" + "](u)" * 10000), 0, None, 10, None),
        # one word of 100,000 characters: broken at the margin, renders
        ("word-100000-chars", lambda: fill(body="ệ" * 100000), 0, None, 10,
         None),
        ("word-100000-chars-ascii", lambda: fill(body="a" * 100000), 0, None,
         10, None),
        # a summary word longer than its column
        ("summary-word-1500-chars", lambda: fill(ty="Xây" * 500), 0, None,
         10, None),
        # elements beyond VB_MAX_ELEMENTS (100,000)
        ("elements-100001", lambda: fill(noi="<noi>x</noi>" * 100001), 1,
         "X009", 10, None),
        # 5,000 recipients: every one must be printed (or a clear limit)
        ("recipients-5000", lambda: fill(noi="".join(
            "\n    <noi>Ủy ban nhân dân xã số %d</noi>" % i
            for i in range(5000))), (0, 1), "X009?", 30, "recipients=5000"),
        # 45,000 repeated <so> after 45,000 <can-cu>: the duplicate check
        # must stay linear (it took 6 s when it rescanned the siblings)
        ("duplicate-fields-45000", lambda: fill().replace(
            b"<co-quan>", "".join("\n  <can-cu>Căn cứ số %d;</can-cu>" % i
                                   for i in range(45000)).encode() +
            b"\n  <so>1</so>" * 45000 + b"\n  <co-quan>", 1), 1, "V003", 5,
         None),
        # 50,000 unknown elements: warnings are capped, the plan renders
        ("unknown-elements-50000", lambda: fill(noi="").replace(
            b"<so>5</so>", b"<so>5</so>" + b"<la/>" * 50000, 1), 0, "X004",
         10, None),
        # element nesting far beyond libxml2's own limit (256)
        ("xml-nesting-100000", lambda: fill().replace(
            b"<so>5</so>", b"<so>5</so>" + b"<x>" * 100000 +
            b"</x>" * 100000, 1), 1, "X001", 10, None),
        # a 1 MB attribute value: the diagnostic quotes 200 bytes of it
        ("attribute-1mb-profile", lambda: fill().replace(
            b'the-thuc="nd30"', b'the-thuc="' + b"a" * (1 << 20) + b'"', 1),
         1, "V005", 10, "stderr<64k"),
        ("attribute-1mb-unknown", lambda: fill(root_attr='x="%s"' %
                                               ("a" * (1 << 20))),
         0, None, 10, None),
        # a 1 MB element name (libxml2 caps names at 50,000 bytes)
        ("element-name-1mb", lambda: fill().replace(
            b"<so>5</so>", b"<so>5</so><" + b"a" * (1 << 20) + b"/>", 1),
         1, "X001", 10, None),
        # 100,000 character references
        ("char-refs-100000", lambda: fill(body="&#x1EC7;" * 100000), 0,
         None, 10, None),
        # a comment of 6 MB
        ("comment-6mb", lambda: fill().replace(
            b"<so>5</so>", b"<so>5</so><!--" + b"-x" * (3 << 20) + b"-->",
            1), 0, None, 10, None),
    ]


# --- running one case -------------------------------------------------------

def scale(r):
    if getattr(r.args, "valgrind", False):
        return 20
    if "asan" in os.path.basename(os.path.normpath(r.build)):
        return 5
    return 1


def limited(r):
    return not getattr(r.args, "valgrind", False) and scale(r) == 1


def _limit_as():
    resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))


def run_bounded(r, argv, bound, stdin_path=None):
    """Runs vanban with a time bound (already scaled) and the memory limit.
    Returns (rc, stderr text, seconds, peak RSS in MiB). rc is None when the
    bound was exceeded (the process is killed)."""
    cmd = [r.vanban] + argv
    if getattr(r.args, "valgrind", False):
        cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite"] + cmd
    err = tempfile.TemporaryFile()
    fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.time()
    p = subprocess.Popen(cmd, stdin=fin, stdout=subprocess.DEVNULL,
                         stderr=err,
                         preexec_fn=_limit_as if limited(r) else None)
    rc = None
    rss = 0
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            rc = os.waitstatus_to_exitcode(status)
            rss = ru.ru_maxrss / 1024.0
            p.returncode = rc
            break
        if time.time() - start > bound:
            p.kill()
            _, status, ru = os.wait4(p.pid, 0)
            p.returncode = -9
            rss = ru.ru_maxrss / 1024.0
            break
        time.sleep(0.005)
    took = time.time() - start
    if stdin_path:
        fin.close()
    err.seek(0)
    text = err.read().decode("utf-8", "replace")
    err.close()
    return rc, text, took, rss


def pdf_pages(path):
    try:
        out = subprocess.run(["pdfinfo", path], capture_output=True,
                             text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


def pdf_text(path):
    try:
        return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path,
                               "-"], capture_output=True,
                              timeout=120).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return None


def check_case(r, name, path, want_rc, want_id, bound, extra=None):
    """Renders `path` to PDF and DOCX in an empty folder and checks it."""
    out = tempfile.mkdtemp(prefix="hostile-", dir=r.tmp)
    k = scale(r)
    rc, err, took, rss = run_bounded(
        r, ["render", path, "--format", "pdf,docx", "--out-dir", out],
        bound * k)
    t = "hostile %s" % name
    detail = "rc=%s %.2f s (bound %d s) %.0f MiB" % (rc, took, bound * k, rss)
    r.check(t + " finishes within its bound", rc is not None, detail)
    if rc is None:
        shutil.rmtree(out, ignore_errors=True)
        return
    r.check(t + " does not crash", 0 <= rc < 128 and rc != 99,
            detail + "\n" + err[-3000:])
    wants = want_rc if isinstance(want_rc, tuple) else (want_rc,)
    ident = want_id.rstrip("?") if want_id else None
    ok = rc in wants
    if rc == 1:
        # a failure must say why, with the expected rule ID
        ok = ok and ident is not None and ("[%s]" % ident) in err
    elif rc == 0 and want_id and not want_id.endswith("?"):
        ok = ok and ("[%s]" % ident) in err  # an expected warning
    r.check(t + " exits %s%s" % ("/".join(map(str, wants)),
                                 " with " + want_id if want_id else ""),
            ok, detail + "\n" + err[-2000:])
    files = sorted(os.listdir(out))
    base = os.path.splitext(os.path.basename(path))[0]
    if rc == 0:
        r.check(t + " writes exactly the PDF and the DOCX",
                files == sorted([base + ".pdf", base + ".docx"]), repr(files))
    else:
        r.check(t + " leaves no file behind", files == [], repr(files))
    if rc == 0 and extra and extra.startswith("pages>=") and \
            not getattr(r.args, "quick", False):
        n = pdf_pages(os.path.join(out, base + ".pdf"))
        want = int(extra.split(">=")[1])
        if n is not None:
            r.check(t + " has at least %d pages" % want, n >= want,
                    "%d pages" % n)
    if rc == 0 and extra and extra.startswith("recipients="):
        text = pdf_text(os.path.join(out, base + ".pdf"))
        if text is not None:
            want = int(extra.split("=")[1])
            got = len(set(re.findall(r"xã số (\d+)", text)))
            r.check(t + " prints every recipient (no silent truncation)",
                    got == want, "%d of %d recipients in the PDF" % (got,
                                                                     want))
    if extra == "stderr<64k":
        r.check(t + " keeps the message short", len(err) < 65536,
                "%d bytes on stderr" % len(err))
    print("  %-34s rc=%s %6.2f s %6.0f MiB" % (name, rc, took, rss))
    shutil.rmtree(out, ignore_errors=True)


# --- the output path --------------------------------------------------------

def output_paths(r):
    d = tempfile.mkdtemp(prefix="hostile-path-", dir=r.tmp)
    os.makedirs(os.path.join(d, "in", "sub"))
    os.makedirs(os.path.join(d, "out"))
    src = os.path.join(d, "in", "ke-hoach.xml")
    open(src, "wb").write(fill())
    # the input named through "../": the output is named after the base
    # name only and lands in --out-dir, never beside or above it
    rc, err, _, _ = run_bounded(
        r, ["render", os.path.join(d, "in", "sub", "..", "ke-hoach.xml"),
            "--format", "pdf", "--out-dir", os.path.join(d, "out")],
        10 * scale(r))
    r.check("hostile path with ../ in the input name writes only "
            "out/ke-hoach.pdf", rc == 0 and
            os.listdir(os.path.join(d, "out")) == ["ke-hoach.pdf"] and
            sorted(os.listdir(os.path.join(d, "in"))) == ["ke-hoach.xml",
                                                          "sub"] and
            os.listdir(os.path.join(d, "in", "sub")) == [],
            "rc=%s %s" % (rc, err))
    # an input file named "..xml" and one named ".xml": usable names
    for odd in ("..xml", ".xml", "-x.xml"):
        p = os.path.join(d, "in", odd)
        shutil.copy(src, p)
        o = os.path.join(d, "odd")
        os.makedirs(o, exist_ok=True)
        rc, err, _, _ = run_bounded(r, ["render", p, "--format", "pdf",
                                        "--out-dir", o], 10 * scale(r))
        files = os.listdir(o)
        r.check("hostile input named %r renders into --out-dir" % odd,
                rc == 0 and len(files) == 1 and files[0].endswith(".pdf"),
                "rc=%s %s %s" % (rc, files, err))
        shutil.rmtree(o)
    # -o into a folder that does not exist: a clear error, nothing created
    rc, err, _, _ = run_bounded(
        r, ["render", src, "-o", os.path.join(d, "nope", "..", "x.pdf")],
        10 * scale(r))
    r.check("hostile -o through a missing folder fails cleanly",
            rc == 1 and not os.path.exists(os.path.join(d, "x.pdf")) and
            not os.path.exists(os.path.join(d, "nope")), "rc=%s %s" % (rc, err))
    shutil.rmtree(d, ignore_errors=True)


# --- atomic write -----------------------------------------------------------

def atomic_write(r, quick):
    """Kills `vanban render big.xml -o out.pdf` with SIGKILL at several
    moments: out.pdf is always either the previous file or the complete
    new one, never partial. A leftover .vanban-XXXXXX.tmp is unavoidable
    after SIGKILL and is only counted."""
    d = tempfile.mkdtemp(prefix="hostile-atomic-", dir=r.tmp)
    big = os.path.join(d, "big.xml")
    open(big, "wb").write(fill(body=plan_pages(300 if quick else 1000)))
    for fmt in ("pdf", "docx"):
        target = os.path.join(d, "out." + fmt)
        ref = os.path.join(d, "ref." + fmt)
        # the complete new content, and how long it takes
        start = time.time()
        rc, err, _, _ = run_bounded(r, ["render", big, "-o", ref],
                                    120 * scale(r))
        full = time.time() - start
        if not r.check("hostile atomic %s: reference render" % fmt, rc == 0,
                       err):
            continue
        new = open(ref, "rb").read()
        old = b"previous complete file\n"
        fracs = [0.02, 0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, 1.2]
        bad = []
        leftovers = 0
        outcomes = []
        for f in fracs:
            with open(target, "wb") as fp:
                fp.write(old)
            cmd = [r.vanban, "render", big, "-o", target]
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            time.sleep(full * f)
            try:
                os.kill(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
            got = open(target, "rb").read() if os.path.exists(target) \
                else None
            if got == old:
                outcomes.append("old")
            elif got == new:
                outcomes.append("new")
            else:
                bad.append("after %.2f s: %s" % (
                    full * f, "absent" if got is None else
                    "%d bytes, neither old nor new" % len(got)))
            for x in os.listdir(d):
                if x.startswith(".vanban-") and x.endswith(".tmp"):
                    leftovers += 1
                    os.unlink(os.path.join(d, x))
                elif x == "out.%s.tmp" % fmt:
                    bad.append("a temporary file named out.%s.tmp" % fmt)
        r.check("hostile atomic %s: SIGKILL never leaves a partial out.%s "
                "(%s; %d temporary files left by SIGKILL)" %
                (fmt, fmt, ",".join(outcomes), leftovers), not bad,
                "; ".join(bad))
    shutil.rmtree(d, ignore_errors=True)


# --- issue 7: exact messages, no cut, writes, signals, data files, memory ---

def exact_messages(r):
    for name, lang, want in EXACT:
        path = os.path.join(HERE, name)
        rc, _, err = r.run(["check", path, "--lang", lang])
        first = err.splitlines()[0] if err else ""
        r.check("hostile %s (%s) says exactly where and what" % (name, lang),
                rc == 1 and first == path + want, repr(first))
    # the source line echoed under a bidi message shows the control escaped
    path = os.path.join(HERE, "bidi-override.xml")
    rc, _, err = r.run(["check", path])
    r.check("hostile bidi-override.xml: the echoed line shows \\u202E, not "
            "the raw control", rc == 1 and "\u202e" not in err and
            "Số tiền: \\u202E000.005.1\\u202C đồng" in err, repr(err))


def no_cut(r):
    """Issue 7: fixed buffers in compose.c cut a 600-character place name
    (the date line vanished), a 600-character symbol and a 1,000-character
    group title. Now every text is whole; a field over a declared limit
    is a clear X009, never a cut."""
    t = fill(noi='\n    <nhom ten="%s"><noi>Đảng ủy xã</noi></nhom>' %
             ("ệ" * 1000)).decode()
    t = t.replace("<ky-hieu>UBND</ky-hieu>",
                  "<ky-hieu>%s</ky-hieu>" % ("A" * 600))
    t = t.replace("<dia-danh>Phúc Thành</dia-danh>",
                  "<dia-danh>%s</dia-danh>" % ("Đ" * 600))
    rc, out, err = r.run(["render", "-", "--format", "tree", "-o", "-"],
                         t.encode())
    out = out.decode("utf-8", "replace")
    whole = ("Số: 05/KH-" + "A" * 600 + '"' in out and
             ("Đ" * 600 + ", ngày 05 tháng 02 năm 2024") in out and
             ("ệ" * 1000 + ':"') in out and "\ufffd" not in out)
    r.check("hostile long symbol, place name and group title are never cut",
            (rc == 0 and whole) or (rc == 1 and "[X009]" in err and
                                    not out), "rc=%d %s" % (rc, err[-500:]))


def writes(r):
    """Issue 7: writes the user did not ask for."""
    d = tempfile.mkdtemp(prefix="hostile-writes-", dir=r.tmp)
    k = scale(r)
    plan = fill()
    src = os.path.join(d, "same.xml")
    open(src, "wb").write(plan)

    def refused(what, argv, victim, shown, stdin=None):
        before = open(victim, "rb").read()
        rc, err, _, _ = run_bounded(r, argv, 20 * k, stdin)
        want = ("vanban: %s: là chính tệp đầu vào; vanban không ghi đè lên "
                "đầu vào (dùng -o hoặc --out-dir)\n" % shown)
        r.check("hostile %s is refused, naming the file" % what,
                rc == 2 and err == want, "rc=%s %r" % (rc, err))
        r.check("hostile %s leaves the input as it was" % what,
                open(victim, "rb").read() == before and
                not [x for x in os.listdir(d) if x.endswith(".tmp")])

    refused("render same.xml -o same.xml", ["render", src, "-o", src], src,
            src)
    pdf_in = os.path.join(d, "doc.pdf")
    open(pdf_in, "wb").write(plan)
    refused("an input named doc.pdf (default output doc.pdf)",
            ["render", pdf_in, "--format", "pdf"], pdf_in, pdf_in)
    link = os.path.join(d, "hard.pdf")
    os.link(src, link)
    refused("-o onto a hard link of the input", ["render", src, "-o", link],
            src, link)
    sym = os.path.join(d, "sym.pdf")
    os.symlink(src, sym)
    refused("-o onto a symbolic link to the input",
            ["render", src, "-o", sym], src, sym)
    refused("standard input from the file given as -o",
            ["render", "-", "-o", src], src, src, src)
    os.unlink(link)
    os.unlink(sym)

    # an output name is never derived from a device path
    before = set(os.listdir("/dev"))
    for dev in ("/dev/stdin", "/dev/fd/0"):
        rc, err, _, _ = run_bounded(r, ["render", dev], 20 * k, src)
        r.check("hostile render %s without -o is refused" % dev, rc == 2 and
                err == "vanban: %s: là thiết bị hay ống, không lấy tên tệp "
                "ra từ đó được; hãy đặt tên bằng -o\n" % dev, repr(err))
    rc, err, _, _ = run_bounded(r, ["render", "/dev/stdin", "--out-dir", d],
                                20 * k, src)
    r.check("hostile render /dev/stdin --out-dir is refused too", rc == 2,
            repr(err))
    r.check("hostile nothing was created in /dev",
            set(os.listdir("/dev")) <= before,
            repr(set(os.listdir("/dev")) - before))

    # devices and FIFOs are written directly, never replaced
    p = subprocess.run([r.vanban, "render", src, "-o", "/dev/stdout"],
                       capture_output=True, timeout=60 * k)
    r.check("hostile -o /dev/stdout on a pipe writes the PDF to the pipe",
            p.returncode == 0 and p.stdout.startswith(b"%PDF-") and
            os.path.islink("/dev/stdout"), p.stderr.decode()[-300:])
    rc, err, _, _ = run_bounded(r, ["render", src, "-o", "/dev/null"], 20 * k)
    st = os.stat("/dev/null")
    import stat as stat_
    r.check("hostile -o /dev/null stays a character device",
            rc == 0 and stat_.S_ISCHR(st.st_mode) and
            not [x for x in os.listdir("/dev") if x.startswith(".vanban-")],
            repr(err))
    fifo = os.path.join(d, "pipe.pdf")
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
    rc, err, _, _ = run_bounded(r, ["render", src, "-o", fifo], 30 * k)
    got = reader.communicate(timeout=30)[0]
    r.check("hostile -o FIFO writes into the FIFO, which stays a FIFO",
            rc == 0 and got.startswith(b"%PDF-") and
            stat_.S_ISFIFO(os.stat(fifo).st_mode), repr(err))
    os.unlink(fifo)

    # PDF and DOCX together: the DOCX cannot be written (its name is a
    # folder), so the new PDF is not put in place either
    out = os.path.join(d, "out")
    os.makedirs(os.path.join(out, "same.docx"))
    open(os.path.join(out, "same.pdf"), "wb").write(b"old pdf")
    rc, err, _, _ = run_bounded(r, ["render", src, "--out-dir", out],
                                30 * k)
    r.check("hostile two outputs: one failing keeps the other's old file",
            rc == 1 and err == "vanban: %s/same.docx: không ghi được tệp: "
            "đây là một thư mục\n" % out and
            open(os.path.join(out, "same.pdf"), "rb").read() == b"old pdf"
            and sorted(os.listdir(out)) == ["same.docx", "same.pdf"],
            "rc=%s %r %s" % (rc, err, os.listdir(out)))
    # a full disk (ulimit -f): the first output is too big, nothing moves,
    # no SIGXFSZ, no temporary file
    os.rmdir(os.path.join(out, "same.docx"))
    open(os.path.join(out, "same.docx"), "wb").write(b"old docx")
    p = subprocess.run([r.vanban, "render", src, "--out-dir", out],
                       capture_output=True, timeout=60 * k,
                       preexec_fn=lambda: resource.setrlimit(
                           resource.RLIMIT_FSIZE, (20000, 20000)))
    r.check("hostile full disk: EFBIG said in words, old files kept, no "
            "temporary file", p.returncode == 1 and
            p.stderr.decode() == "vanban: %s/same.pdf: không ghi được tệp: "
            "tệp quá lớn\n" % out and
            open(os.path.join(out, "same.pdf"), "rb").read() == b"old pdf"
            and open(os.path.join(out, "same.docx"), "rb").read() ==
            b"old docx" and sorted(os.listdir(out)) == ["same.docx",
                                                        "same.pdf"],
            "rc=%s %r %s" % (p.returncode, p.stderr, os.listdir(out)))

    # the replaced file keeps its permission bits; a new one has the umask
    kept = os.path.join(d, "kept.pdf")
    open(kept, "wb").write(b"old")
    os.chmod(kept, 0o600)
    rc, err, _, _ = run_bounded(r, ["render", src, "-o", kept], 30 * k)
    r.check("hostile an overwrite keeps mode 0600",
            rc == 0 and os.stat(kept).st_mode & 0o777 == 0o600 and
            open(kept, "rb").read(5) == b"%PDF-", "%o %r" % (
                os.stat(kept).st_mode, err))
    new = os.path.join(d, "new.pdf")
    old_mask = os.umask(0o027)
    try:
        rc, err, _, _ = run_bounded(r, ["render", src, "-o", new], 30 * k)
    finally:
        os.umask(old_mask)
    r.check("hostile a new file gets 0666 less the umask (0640)",
            rc == 0 and os.stat(new).st_mode & 0o777 == 0o640,
            "%o %r" % (os.stat(new).st_mode if os.path.exists(new) else 0,
                       err))
    # a symbolic link to a regular file: the file is replaced, the link stays
    target = os.path.join(d, "target.pdf")
    open(target, "wb").write(b"old")
    os.symlink("target.pdf", os.path.join(d, "via.pdf"))
    rc, err, _, _ = run_bounded(r, ["render", src, "-o",
                                    os.path.join(d, "via.pdf")], 30 * k)
    r.check("hostile -o through a symbolic link replaces its file",
            rc == 0 and os.path.islink(os.path.join(d, "via.pdf")) and
            open(target, "rb").read(5) == b"%PDF-", repr(err))
    os.symlink("nothing.pdf", os.path.join(d, "dangling.pdf"))
    rc, err, _, _ = run_bounded(r, ["render", src, "-o",
                                    os.path.join(d, "dangling.pdf")], 30 * k)
    r.check("hostile -o through a link to nothing is refused",
            rc == 1 and err == "vanban: %s: không ghi được tệp: không có "
            "tệp hay thư mục này\n" % os.path.join(d, "dangling.pdf") and
            not os.path.exists(os.path.join(d, "nothing.pdf")), repr(err))
    # a 250-byte name: the temporary name is short, whatever the target's
    long_name = os.path.join(d, "k" * 246 + ".pdf")
    rc, err, _, _ = run_bounded(r, ["render", src, "-o", long_name], 30 * k)
    r.check("hostile a 250-character file name is written",
            rc == 0 and os.path.exists(long_name), repr(err))
    # a path over PATH_MAX: the reason, not "Success"
    deep = os.path.join(d, "/".join(["thu-muc"] * 600), "x.pdf")
    rc, err, _, _ = run_bounded(r, ["render", src, "-o", deep], 30 * k)
    r.check("hostile a 4 KB path: 'tên tệp quá dài', not 'Success'",
            rc == 1 and err.endswith(": không ghi được tệp: tên tệp quá "
                                     "dài\n") and "Success" not in err,
            repr(err[-200:]))
    r.check("hostile writes leave no temporary file",
            not [x for x in os.listdir(d) if x.endswith(".tmp")],
            repr(os.listdir(d)))
    shutil.rmtree(d, ignore_errors=True)


def signals(r, quick):
    """Issue 7: SIGTERM, SIGINT and SIGHUP while the temporary files exist
    remove them; the old files stay."""
    d = tempfile.mkdtemp(prefix="hostile-signals-", dir=r.tmp)
    big = os.path.join(d, "big.xml")
    open(big, "wb").write(fill(body=plan_pages(100)))
    out = os.path.join(d, "out")
    os.makedirs(out)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        caught = left = 0
        runs = 4 if quick else 6
        for _ in range(runs):
            for x in os.listdir(out):
                os.unlink(os.path.join(out, x))
            open(os.path.join(out, "big.pdf"), "wb").write(b"old")
            p = subprocess.Popen([r.vanban, "render", big, "--out-dir", out],
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            # wait for a temporary file, then signal
            start = time.time()
            while p.poll() is None and time.time() - start < 60 * scale(r):
                if any(x.endswith(".tmp") for x in os.listdir(out)):
                    p.send_signal(sig)
                    caught += 1
                    break
                time.sleep(0.0005)
            p.wait()
            files = os.listdir(out)
            left += sum(1 for x in files if x.endswith(".tmp"))
            pdf = open(os.path.join(out, "big.pdf"), "rb").read()
            if pdf != b"old" and not pdf.startswith(b"%PDF-"):
                left += 1000
        r.check("hostile %s during the writes leaves no temporary file "
                "(%d of %d runs caught one)" % (signal.Signals(sig).name,
                                                caught, runs),
                left == 0 and caught > 0, "%d left" % left)
    shutil.rmtree(d, ignore_errors=True)


def data_fifos(r):
    """Issue 7: a FIFO in place of a profile or a font file under
    VANBAN_DATADIR hung the command forever."""
    d = tempfile.mkdtemp(prefix="hostile-fifo-", dir=r.tmp)
    src = os.path.join(d, "k.xml")
    open(src, "wb").write(fill())
    data = os.path.join(d, "data")
    prof = os.path.join(data, "templates", "profiles")
    os.makedirs(prof)
    os.makedirs(os.path.join(data, "fonts"))
    for f in os.listdir(os.path.join(ROOT, "fonts")):
        os.symlink(os.path.join(ROOT, "fonts", f),
                   os.path.join(data, "fonts", f))
    for f in os.listdir(os.path.join(ROOT, "templates", "profiles")):
        shutil.copy(os.path.join(ROOT, "templates", "profiles", f), prof)
    for f in os.listdir(os.path.join(ROOT, "templates")):
        if f.endswith(".xml"):
            shutil.copy(os.path.join(ROOT, "templates", f),
                        os.path.join(data, "templates"))
    os.unlink(os.path.join(prof, "nd30.xml"))
    os.mkfifo(os.path.join(prof, "nd30.xml"))
    env = dict(os.environ, VANBAN_DATADIR=data)
    k = scale(r)
    p = subprocess.run([r.vanban, "check", src], capture_output=True,
                       env=env, timeout=30 * k)
    r.check("hostile a FIFO as a profile: refused at once",
            p.returncode == 1 and p.stderr.decode().splitlines()[0] ==
            "%s/nd30.xml: lỗi[X005]: không đọc được tệp: không phải tệp "
            "thông thường" % prof, repr(p.stderr))
    os.unlink(os.path.join(prof, "nd30.xml"))
    shutil.copy(os.path.join(ROOT, "templates", "profiles", "nd30.xml"), prof)
    # a FIFO as a template (a document kind): no hang either
    kind = os.path.join(data, "templates", "ke-hoach.xml")
    os.unlink(kind)
    os.mkfifo(kind)
    p = subprocess.run([r.vanban, "check", src], capture_output=True,
                       env=env, timeout=30 * k)
    r.check("hostile a FIFO as a template: refused at once, said to be no "
            "regular file (not M001 unknown template)",
            p.returncode == 1 and p.stderr.decode().splitlines()[0] ==
            "%s: lỗi[X005]: không đọc được tệp: không phải tệp thông "
            "thường" % kind, repr(p.stderr))
    p = subprocess.run([r.vanban, "check", src, "--lang", "en"],
                       capture_output=True, env=env, timeout=30 * k)
    r.check("hostile a FIFO as a template, in English",
            p.returncode == 1 and p.stderr.decode().splitlines()[0] ==
            "%s: error[X005]: cannot read the file: not a regular file" % kind,
            repr(p.stderr))
    os.unlink(kind)
    shutil.copy(os.path.join(ROOT, "templates", "ke-hoach.xml"), kind)
    font = os.path.join(data, "fonts", "LiberationSerif-Bold.ttf")
    os.unlink(font)
    os.mkfifo(font)
    p = subprocess.run([r.vanban, "render", src, "-o",
                        os.path.join(d, "k.pdf")], capture_output=True,
                       env=env, timeout=30 * k)
    r.check("hostile a FIFO as a font: refused at once, named, nothing "
            "written", p.returncode == 1 and p.stderr.decode() ==
            "%s: lỗi[X005]: không đọc được tệp: không phải tệp thông "
            "thường\n1 lỗi, 0 cảnh báo.\nvanban: thiếu hoặc hỏng tệp phông "
            "chữ\n" % font and
            not os.path.exists(os.path.join(d, "k.pdf")), repr(p.stderr))
    shutil.rmtree(d, ignore_errors=True)


def out_of_memory(r):
    """Issue 7: out of memory was reported as X001 "Extra content at the
    end of the document", X005 "File too large" or a PDF error, and a NULL
    from libxml2 crashed. Under address-space limits from tight to ample,
    every run ends cleanly: rendered, or "hết bộ nhớ" and nothing else."""
    if not limited(r):
        return
    d = tempfile.mkdtemp(prefix="hostile-oom-", dir=r.tmp)
    big = os.path.join(d, "big.xml")
    open(big, "wb").write(fill(body=plan_pages(300)))
    out = os.path.join(d, "out")
    os.makedirs(out)
    bad = []
    ran = 0
    for mb in range(52, 200, 5):
        lim = mb << 20
        p = subprocess.run([r.vanban, "render", big, "--out-dir", out],
                           capture_output=True, timeout=120,
                           preexec_fn=lambda: resource.setrlimit(
                               resource.RLIMIT_AS, (lim, lim)))
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode == 127:
            continue  # the loader itself did not fit
        ran += 1
        files = sorted(os.listdir(out))
        if p.returncode == 0:
            ok = files == ["big.docx", "big.pdf"]
        else:
            ok = (p.returncode == 1 and "hết bộ nhớ" in err and
                  "[X" not in err and "[V" not in err and
                  "lỗi khi tạo" not in err and files == [])
        if not ok:
            bad.append("%d MiB: rc=%d %r %s" % (mb, p.returncode, err[-300:],
                                                files))
        for x in files:
            os.unlink(os.path.join(out, x))
    r.check("hostile out of memory is said as such at every limit (%d runs)"
            % ran, not bad and ran > 10, "; ".join(bad[:5]))
    shutil.rmtree(d, ignore_errors=True)


# --- entry point ------------------------------------------------------------

def run(r):
    quick = getattr(r.args, "quick", False)
    work = tempfile.mkdtemp(prefix="hostile-in-", dir=r.tmp)
    for name, want_rc, want_id, bound in SMALL:
        check_case(r, name, os.path.join(HERE, name), want_rc, want_id,
                   bound)
    # nothing from /etc/passwd may reach the output of the XInclude case
    rc, out, err = r.run(["render", os.path.join(HERE, "xinclude.xml"),
                          "--format", "tree", "-o", "-"])
    r.check("hostile xinclude.xml reads nothing from outside",
            rc == 0 and b"root:" not in out, err)
    for name, make, want_rc, want_id, bound, extra in generated():
        path = os.path.join(work, name + ".xml")
        with open(path, "wb") as f:
            f.write(make())
        check_case(r, name, path, want_rc, want_id, bound, extra)
        os.unlink(path)
    output_paths(r)
    atomic_write(r, quick)
    exact_messages(r)
    no_cut(r)
    writes(r)
    signals(r, quick)
    data_fifos(r)
    out_of_memory(r)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    import argparse
    import importlib.util
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--only", default="")
    spec = importlib.util.spec_from_file_location(
        "vanban_run", os.path.join(ROOT, "tests", "run.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    runner = mod.Runner(ap.parse_args())
    try:
        run(runner)
    finally:
        shutil.rmtree(runner.tmp, ignore_errors=True)
    print("%d passed, %d failed" % (runner.passed, runner.failed))
    sys.exit(1 if runner.failed else 0)
