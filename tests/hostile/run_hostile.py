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
    ("nul-bytes.xml", 1, "X001", 10),
    ("truncated.xml", 1, "X001", 10),
    ("garbage.bin", 1, "X001", 10),
    ("empty.xml", 1, "X001", 10),
    ("bom-only.xml", 1, "X001", 10),
    ("deep-elements.xml", 1, "X009", 10),
    ("cr-only.xml", 0, None, 10),
    ("crlf.xml", 0, None, 10),
    ("xinclude.xml", 0, "X004", 10),
    # reproducers found by tests/fuzz, fixed
    ("fuzz-title-use-after-free.xml", 0, None, 10),
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
    new one, never partial. A leftover out.pdf.XXXXXX.tmp is unavoidable
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
                if x.startswith("out.%s." % fmt) and x.endswith(".tmp"):
                    leftovers += 1
                    os.unlink(os.path.join(d, x))
                elif x == "out.%s.tmp" % fmt:
                    bad.append("a temporary file named out.%s.tmp" % fmt)
        r.check("hostile atomic %s: SIGKILL never leaves a partial out.%s "
                "(%s; %d temporary files left by SIGKILL)" %
                (fmt, fmt, ",".join(outcomes), leftovers), not bad,
                "; ".join(bad))
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
