#!/usr/bin/python3
"""tests/run.py - every test of vanban, with one closing line "N passed, N failed".

Sections:
  unit      cmocka programs built from tests/unit/ (build/tests/test_*)
  spec      tests/spec/*.txt: inputs with the expected tree lines or diagnostics
  examples  each example rendered: text comes back exactly (pdftotext -raw, NFC),
            qpdf --check, no poppler warning, only used faces embedded,
            deterministic bytes, NFD input gives the same file, layout golden
  docx      each example's DOCX checked by tests/check_docx.py
  fidelity  vanban's PDF and LibreOffice's PDF of the DOCX break pages and
            lines alike; protected tokens never broken (tests/fidelity.py)
  cli       exit statuses, no partial output, stdin/stdout
  usage     tests/cli_ux.py: usage errors, help, completion, XML errors in
            vanban's words, inputs that are not XML, missing data files,
            what was written, input habits, the README's command lines
  hostile   tests/hostile/: hostile and pathological inputs with time bounds
  api, install, deb   tests/install.py: examples/api/ and the README's lines,
            make install (skipped by --quick), the Debian package (only
            with --only deb: make check-deb)
  wordform  Word forms: content controls, fill + extract, LibreOffice, hostile DOCX
  tables    lists (CSV, XLSX) read by engine/table.c: generated and hostile
            files, one made by LibreOffice (tests/hostile/run_tables.py)
  register  tests/register/: numbering from a register, series, crashes
  batch     tests/batch/: certificates from lists, one PDF or a file a row,
            every field read back, names made safe, hostile lists

Usage: tests/run.py [--build DIR] [--only SECTION,...] [--quick] [--valgrind]
                    [--update]   (rewrite the golden layout files)
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))


class Runner:
    def __init__(self, args):
        self.args = args
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.build = os.path.join(ROOT, args.build)
        self.vanban = os.path.join(self.build, "vanban")
        self.tmp = tempfile.mkdtemp(prefix="vanban-test-")

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("PASS " + name)
        else:
            self.failed += 1
            self.failures.append(name)
            print("FAIL " + name + (": " + detail if detail else ""))
        sys.stdout.flush()
        return ok

    def run(self, argv, stdin=None, timeout=120, env=None):
        """Runs vanban (argv without the program); returns (rc, out, err)."""
        cmd = [self.vanban] + argv
        if self.args.valgrind:
            cmd = ["valgrind", "-q", "--error-exitcode=99",
                   "--leak-check=full", "--errors-for-leak-kinds=definite"] + cmd
            timeout *= 20
        p = subprocess.run(cmd, input=stdin, capture_output=True,
                           timeout=timeout, env=env)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def norm(s):
    return " ".join(s.split())


# --- unit -----------------------------------------------------------------

def unit(r):
    for exe in sorted(glob.glob(os.path.join(r.build, "tests", "test_*"))):
        if exe.endswith(".d") or not os.access(exe, os.X_OK):
            continue
        name = os.path.basename(exe)
        cmd = [exe]
        if r.args.valgrind:
            cmd = ["valgrind", "-q", "--error-exitcode=99",
                   "--leak-check=full", "--errors-for-leak-kinds=definite"] + cmd
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                           cwd=ROOT)
        out = p.stdout + p.stderr
        # "[       OK ] name" / "[  FAILED  ] name", once per test; the
        # summary lines ("[  FAILED  ] 2 test(s), listed below:") are not
        ran = {}
        for status, test in re.findall(r"^\[\s+(OK|FAILED)\s+\]\s+(\S+)$",
                                       out, re.M):
            ran.setdefault(test, status)
        for test, status in ran.items():
            r.check("unit %s %s" % (name, test), status == "OK")
        if not ran or p.returncode != 0:
            r.check("unit %s exits 0" % name, p.returncode == 0,
                    out[-2000:])


# --- spec -----------------------------------------------------------------

def parse_spec(path):
    """=== name / --- input / --- tree|fail [en] / expected lines."""
    cases = []
    cur = None
    part = None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.startswith("=== "):
                cur = {"name": line[4:].strip(), "line": lineno, "input": [],
                       "expect": [], "kind": None, "lang": "vi"}
                cases.append(cur)
                part = None
            elif line.startswith("--- ") and cur is not None:
                words = line[4:].split()
                if words[0] == "input":
                    part = "input"
                else:
                    cur["kind"] = words[0]
                    if len(words) > 1:
                        cur["lang"] = words[1]
                    part = "expect"
            elif cur is not None and part:
                cur[part].append(line.rstrip("\n"))
    return cases


def spec(r):
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "spec", "*.txt"))):
        base = os.path.basename(path)
        for c in parse_spec(path):
            name = "spec %s:%d %s" % (base, c["line"], c["name"])
            data = "\n".join(c["input"]).strip("\n").encode("utf-8") + b"\n"
            expect = [e for e in c["expect"] if e.strip()]
            if c["kind"] == "fail":
                rc, out, err = r.run(["render", "-", "--format", "tree",
                                      "-o", "-", "--lang", c["lang"]], data)
                lines = [l.strip() for l in err.splitlines()]
                missing = in_order([e.strip() for e in expect], lines)
                r.check(name, rc == 1 and not out and missing is None,
                        "rc=%d, missing %r in:\n%s" % (rc, missing, err))
            else:
                rc, out, err = r.run(["render", "-", "--format", "tree",
                                      "-o", "-"], data)
                lines = [l.strip() for l in out.decode().splitlines()]
                missing = in_order([e.strip() for e in expect], lines)
                r.check(name, rc == 0 and missing is None,
                        "rc=%d, missing %r\n%s\n%s" % (rc, missing, err,
                                                       out.decode()[:3000]))


def in_order(expect, lines):
    """Returns None when every expected line occurs in lines, in order."""
    i = 0

    def match(line, e):
        # a full diagnostic line must match exactly; a fragment such as
        # "lỗi[X002]" may stand anywhere in a line
        return line == e or (not e.startswith("-:") and e in line)
    for e in expect:
        while i < len(lines) and not match(lines[i], e):
            i += 1
        if i == len(lines):
            return e
        i += 1
    return None


# --- examples -------------------------------------------------------------

def tree_paragraphs(tree):
    """Texts of the paragraphs of a tree dump, in order."""
    paras = []
    cur = None
    for line in tree.splitlines():
        s = line.strip()
        if s.startswith("paragraph"):
            cur = []
            paras.append(cur)
        elif s.startswith("text") and cur is not None:
            cur.append(s[s.index('"') + 1:-1])
        elif s.startswith("line-break") and cur is not None:
            cur.append(" ")
        elif not s.startswith("text"):
            cur = None if not s.startswith("paragraph") else cur
    return [norm("".join(p).replace("\u00a0", " ")) for p in paras]


def pdf_text(r, pdf):
    p = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                       capture_output=True)
    return p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


def pdf_pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True,
                         text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def text_in_order(paras, text, npages):
    """Checks every paragraph comes back, in order, exactly. Page numbers
    (lines holding only 2..npages) are dropped first. Returns None or the
    first paragraph not found."""
    lines = [l for l in text.splitlines()
             if not (l.strip().isdigit() and 2 <= int(l.strip()) <= npages)]
    stream = norm(" ".join(lines).replace("\u00a0", " "))
    pos = 0
    for p in paras:
        if not p:
            continue
        i = stream.find(p, pos)
        if i < 0:
            return p
        pos = i + len(p)
    return None


def examples(r):
    out = os.path.join(r.tmp, "ex")
    os.makedirs(out, exist_ok=True)
    for xml in sorted(glob.glob(os.path.join(ROOT, "examples", "*.xml"))):
        name = os.path.splitext(os.path.basename(xml))[0]
        t = "example %s" % name
        pdf = os.path.join(out, name + ".pdf")
        rc, _, err = r.run(["render", xml, "--format", "pdf,tree,layout,docx",
                            "--out-dir", out])
        if not r.check(t + " renders", rc == 0, err):
            continue
        tree = open(os.path.join(out, name + ".tree.txt"),
                    encoding="utf-8").read()
        text, perr = pdf_text(r, pdf)
        npages = pdf_pages(pdf)
        paras = tree_paragraphs(tree)
        miss = text_in_order(paras, text, npages)
        r.check(t + " pdftotext gives back every paragraph in order",
                miss is None and len(paras) > 10, "missing: %r" % miss)
        r.check(t + " extracted text is NFC",
                unicodedata.is_normalized("NFC", text))
        r.check(t + " poppler prints no warning", perr.strip() == "", perr)
        q = subprocess.run(["qpdf", "--check", pdf], capture_output=True,
                           text=True)
        r.check(t + " qpdf --check", q.returncode == 0
                and "No syntax or stream encoding errors" in q.stdout,
                q.stdout + q.stderr)
        fonts = subprocess.run(["pdffonts", pdf], capture_output=True,
                               text=True).stdout.splitlines()[2:]
        used = set()
        for line in tree.splitlines():
            s = line.strip()
            if s.startswith("text"):
                head = s[:s.index('"')].split()
                used.add(("b" in head, "i" in head))
        used.add((False, False))  # page numbers
        r.check(t + " fonts embedded, only the faces used",
                len(fonts) == len(used) and all(" yes " in f for f in fonts),
                "%d faces used, pdffonts:\n%s" % (len(used), "\n".join(fonts)))
        # deterministic: a second run gives the same bytes
        pdf2 = os.path.join(out, name + ".again.pdf")
        r.run(["render", xml, "-o", pdf2])
        r.check(t + " two runs give identical bytes",
                open(pdf, "rb").read() == open(pdf2, "rb").read())
        # NFD input renders to the same file
        nfd = os.path.join(out, name + ".nfd.xml")
        with open(xml, encoding="utf-8") as f:
            open(nfd, "w", encoding="utf-8").write(
                unicodedata.normalize("NFD", f.read()))
        pdf3 = os.path.join(out, name + ".nfd.pdf")
        rc, _, err = r.run(["render", nfd, "-o", pdf3])
        r.check(t + " NFD input gives the same PDF", rc == 0 and
                open(pdf, "rb").read() == open(pdf3, "rb").read(), err)
        # layout golden
        layout = open(os.path.join(out, name + ".layout.txt"),
                      encoding="utf-8").read()
        golden = os.path.join(ROOT, "tests", "golden", name + ".layout")
        if r.args.update:
            os.makedirs(os.path.dirname(golden), exist_ok=True)
            open(golden, "w", encoding="utf-8").write(layout)
        want = open(golden, encoding="utf-8").read() \
            if os.path.exists(golden) else ""
        r.check(t + " layout matches tests/golden/%s.layout" % name,
                layout == want, first_diff(want, layout))


def first_diff(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i, (x, y) in enumerate(zip(al, bl)):
        if x != y:
            return "line %d:\n- %s\n+ %s" % (i + 1, x, y)
    if len(al) != len(bl):
        return "length %d vs %d lines (run tests/run.py --update after " \
               "checking the pages by eye)" % (len(al), len(bl))
    return ""


# --- docx -----------------------------------------------------------------

def docx(r):
    checker = os.path.join(ROOT, "tests", "check_docx.py")
    if not os.path.exists(checker):
        r.check("docx checker present", False, "tests/check_docx.py missing")
        return
    out = os.path.join(r.tmp, "docx")
    os.makedirs(out, exist_ok=True)
    for xml in sorted(glob.glob(os.path.join(ROOT, "examples", "*.xml"))):
        name = os.path.splitext(os.path.basename(xml))[0]
        rc, _, err = r.run(["render", xml, "--format", "pdf,docx",
                            "--out-dir", out])
        if not r.check("docx %s renders" % name, rc == 0, err):
            continue
        d = os.path.join(out, name + ".docx")
        d2 = os.path.join(out, name + ".again.docx")
        r.run(["render", xml, "-o", d2])
        r.check("docx %s two runs give identical bytes" % name,
                open(d, "rb").read() == open(d2, "rb").read())
        # python-docx reads back every paragraph of the tree, in order
        import check_docx
        tree = r.run(["render", xml, "--format", "tree", "-o", "-"])[1]
        want = [p for p in tree_paragraphs(tree.decode("utf-8")) if p]
        got = [norm(t.replace("\u00a0", " ")) for t in
               check_docx.docx_texts(d)]
        got = [t for t in got if t]
        diff = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b),
                    None)
        r.check("docx %s python-docx reads back every paragraph exactly" %
                name, want == got,
                "%d vs %d paragraphs; first difference: %r / %r" % (
                    len(want), len(got),
                    want[diff] if diff is not None else "",
                    got[diff] if diff is not None else ""))
        argv = [sys.executable, checker, d]
        if not r.args.quick:
            argv += ["--pdf", os.path.join(out, name + ".pdf")]
        p = subprocess.run(argv, capture_output=True, text=True, timeout=300)
        for line in p.stdout.splitlines():
            if line.startswith("PASS ") or line.startswith("FAIL "):
                what = line[5:].split(":", 1)
                r.check("docx %s %s" % (name, what[0]),
                        line.startswith("PASS"),
                        what[1].strip() if len(what) > 1 else "")
        if p.returncode not in (0, 1) or "PASS" not in p.stdout:
            r.check("docx %s checker ran" % name, False,
                    p.stdout[-1500:] + p.stderr[-1500:])


# --- fidelity -------------------------------------------------------------

FIDELITY_MIN_LINES = 98.0  # per cent of lines broken as in the PDF


def fidelity(r):
    """vanban's PDF against LibreOffice's PDF of vanban's DOCX, line by line
    (tests/fidelity.py), for every example and tests/fidelity/*.xml; the
    plans of tests/fidelity/ are layout goldens too."""
    import fidelity as fid
    out = os.path.join(r.tmp, "fidelity")
    os.makedirs(out, exist_ok=True)
    plans = sorted(glob.glob(os.path.join(ROOT, "tests", "fidelity", "*.xml")))
    r.check("fidelity: at least 10 plans in tests/fidelity", len(plans) >= 10,
            "%d plans" % len(plans))
    for xml in plans:
        name = os.path.splitext(os.path.basename(xml))[0]
        rc, lay, err = r.run(["render", xml, "--format", "layout", "-o", "-"])
        layout = lay.decode("utf-8")
        golden = os.path.join(ROOT, "tests", "golden", name + ".layout")
        if r.args.update and rc == 0:
            open(golden, "w", encoding="utf-8").write(layout)
        want = open(golden, encoding="utf-8").read() \
            if os.path.exists(golden) else ""
        r.check("fidelity %s layout matches tests/golden/%s.layout" %
                (name, name), rc == 0 and layout == want,
                err if rc else first_diff(want, layout))
    fidelity_rules(r, out)
    if r.args.quick:
        return
    results = fid.run_all(r.vanban, fid.default_inputs(), out)
    print("\n".join(fid.table(results)))
    total = same = 0
    for name, f, err in results:
        t = "fidelity %s" % name
        if not r.check(t + " renders both ways", f is not None, err):
            continue
        total += f["lines"]
        same += f["same"]
        r.check(t + " same page count (%d/%d)" % (f["pages_pdf"],
                                                  f["pages_docx"]),
                f["pages_pdf"] == f["pages_docx"])
        r.check(t + " same page breaks (%d/%d)" % (f["breaks"], f["nbreaks"]),
                f["breaks"] == f["nbreaks"], "pages %s" % f["moved"])
        pc = 100.0 * f["same"] / max(f["lines"], 1)
        r.check(t + " same line breaks (%.1f %% of %d lines)" %
                (pc, f["lines"]), pc >= FIDELITY_MIN_LINES,
                f["first_diff"] or "")
        r.check(t + " no protected token broken in the PDF",
                not f["tok_pdf"], "; ".join(f["tok_pdf"]))
        r.check(t + " no protected token broken in the DOCX",
                not f["tok_docx"], "; ".join(f["tok_docx"]))
    r.check("fidelity: %.2f %% of all %d lines broken alike" % (
        100.0 * same / max(total, 1), total),
        total > 0 and 100.0 * same / total >= FIDELITY_MIN_LINES)


def fidelity_rules(r, out):
    """The rules behind the fidelity: header names broken where the sense
    breaks (V062 when no such break fits), balanced titles as explicit
    breaks in the DOCX, lead lines never alone at the foot of a page."""
    import zipfile
    base = open(os.path.join(ROOT, "tests", "fidelity", "nd30-ubnd-xa.xml"),
                encoding="utf-8").read()
    rc, _, err = r.run(["check", "-"], base.encode("utf-8"))
    r.check("fidelity: a name broken where the sense breaks gives no warning",
            rc == 0 and err == "-: hợp lệ.\n", err)
    bad = base.replace("<ten>Ủy ban nhân dân xã Phúc Thành</ten>",
                       "<ten>Ban Quản lý dự án đầu tư xây dựng thủy lợi 4</ten>")
    line = next(i for i, l in enumerate(bad.splitlines(), 1) if "<ten>" in l)
    for lang, want in (("vi", "cảnh báo[V062]: tên \"BAN QUẢN LÝ DỰ ÁN ĐẦU "
                              "TƯ XÂY DỰNG THỦY LỢI 4\" dài hơn cột tiêu đề, "
                              "được ngắt thành \"BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ / "
                              "XÂY DỰNG THỦY LỢI 4\""),
                       ("en", "warning[V062]: the name \"BAN QUẢN LÝ DỰ ÁN "
                              "ĐẦU TƯ XÂY DỰNG THỦY LỢI 4\" is wider than "
                              "its header column")):
        rc, _, err = r.run(["check", "-", "--lang", lang],
                           bad.encode("utf-8"))
        r.check("fidelity: V062 (%s) when no sense break fits the column" %
                lang, rc == 0 and ("-:%d:" % line) in err and want in err,
                err)
    # the trích yếu: the same explicit break in the PDF's lines and the DOCX
    xml = os.path.join(ROOT, "examples", "ke-hoach-bac-kan-2017.xml")
    rc, lay, err = r.run(["render", xml, "--format", "layout", "-o", "-"])
    lines = [l.split("|")[1] for l in lay.decode("utf-8").splitlines()
             if "|" in l]
    want = ['Thực hiện phong trào thi đua "Dân vận khéo" giai đoạn 2017- 2020',
            "và xây dựng mô hình, điển hình “Dân vận khéo”"]
    r.check("fidelity: the trích yếu breaks before \"và\", the range whole",
            rc == 0 and want[0] in lines and
            lines.index(want[0]) + 1 < len(lines) and
            lines[lines.index(want[0]) + 1] == want[1], "\n".join(lines[:14]))
    docx_path = os.path.join(out, "bac-kan.docx")
    rc, _, err = r.run(["render", xml, "-o", docx_path])
    doc = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
    m = re.search(r'<w:p><w:pPr><w:pStyle w:val="TrichYeu"/>.*?</w:p>', doc)
    r.check("fidelity: the DOCX trích yếu holds the same break as a w:br",
            rc == 0 and m is not None and
            "2017-</w:t>" not in m.group(0) and
            re.search(r"2020</w:t><w:br/><w:t>và xây", m.group(0)) is not None,
            m.group(0)[:600] if m else err)
    xml2 = os.path.join(ROOT, "examples", "ke-hoach-ban-dan-van-2023.xml")
    rc, _, err = r.run(["render", xml2, "-o", docx_path])
    doc = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
    r.check("fidelity: the DOCX keeps \"08-NQ/HU\" whole (w:noBreakHyphen) "
            "and \"2021 - 2025\" (no-break spaces)",
            rc == 0 and "08</w:t><w:noBreakHyphen/><w:t>NQ/HU" in doc and
            "08-NQ" not in doc and "2021\u00a0-\u00a02025" in doc, err)
    # a lead line is never the last line of a page
    para = ("Nâng cao nhận thức, trách nhiệm của cán bộ, đảng viên, công "
            "chức, viên chức và nhân dân về vị trí, vai trò của công tác "
            "dân vận trong tình hình mới.")
    alone = kept = 0
    for n in range(28, 44):
        body = "\n\n".join([para] * n + ["Bước 2: Tổ chức thực hiện",
                                          para, para])
        x = re.sub(r"<noi-dung><!\[CDATA\[.*?\]\]></noi-dung>",
                   lambda _: "<noi-dung><![CDATA[\n" + body +
                   "\n]]></noi-dung>", base, flags=re.S)
        rc, lay, err = r.run(["render", "-", "--format", "layout", "-o", "-"],
                             x.encode("utf-8"))
        rows = [l for l in lay.decode("utf-8").splitlines() if "|" in l and
                not l.split("|")[1].isdigit()]  # page numbers left out
        i = next((k for k, l in enumerate(rows) if "|Bước 2:" in l), None)
        if rc != 0 or i is None or i + 1 >= len(rows):
            alone += 1
            continue
        if rows[i].split()[0] != rows[i + 1].split()[0]:
            alone += 1
        elif rows[i - 1].split()[0] != rows[i].split()[0]:
            kept += 1  # it went to the next page with its paragraph
    r.check("fidelity: \"Bước 2: ...\" never left alone at the foot of a "
            "page (and moved with its paragraph %d times)" % kept,
            alone == 0 and kept > 0, "alone %d times" % alone)


# --- cli ------------------------------------------------------------------

def cli(r):
    ex = os.path.join(ROOT, "examples", "ke-hoach-bac-kan-2017.xml")
    data = open(ex, "rb").read()
    rc, out, err = r.run(["render", "-", "-o", "-"], data)
    r.check("cli stdin to stdout gives a PDF", rc == 0 and
            out.startswith(b"%PDF-") and out.rstrip().endswith(b"%%EOF"), err)
    rc, out, err = r.run(["check", ex])
    r.check("cli check of a good file exits 0 and says it is valid",
            rc == 0 and out == b"" and err == "%s: hợp lệ.\n" % ex, err)
    rc, out, err = r.run(["check", ex, "--quiet"])
    r.check("cli check --quiet of a good file says nothing",
            rc == 0 and out == b"" and err == "", err)
    plans = [f for f in sorted(glob.glob(os.path.join(ROOT, "examples",
                                                      "*.xml")))
             if not re.search(rb'<van-ban[^>]*\bmau="(?!ke-hoach")',
                              open(f, "rb").read())]
    p = subprocess.run(["xmllint", "--noout", "--relaxng",
                        os.path.join(ROOT, "docs", "van-ban.rng")] + plans,
                       capture_output=True, text=True)
    r.check("examples validate against docs/van-ban.rng", p.returncode == 0,
            p.stderr[-1500:])
    rc, out, _ = r.run(["--version"])
    r.check("cli --version", rc == 0 and out.startswith(b"vanban "))
    rc, _, err = r.run(["render"])
    r.check("cli usage error exits 2", rc == 2 and "vanban" in err, err)
    # a failed render leaves nothing behind and keeps an existing file
    d = os.path.join(r.tmp, "cli")
    os.makedirs(d, exist_ok=True)
    bad = os.path.join(d, "hong.xml")
    open(bad, "wb").write(re.sub(rb"<ngay>[^<]*</ngay>",
                                 b"<ngay>31/02/2023</ngay>", data))
    target = os.path.join(d, "hong.pdf")
    open(target, "wb").write(b"old")
    rc, _, err = r.run(["render", bad, "--format", "pdf"])
    r.check("cli failed render keeps the old file and leaves no temp file",
            rc == 1 and open(target, "rb").read() == b"old" and
            sorted(os.listdir(d)) == ["hong.pdf", "hong.xml"],
            "rc=%d %s %s" % (rc, os.listdir(d), err))
    nodir = os.path.join(d, "khong-co", "con")
    rc, _, err = r.run(["render", ex, "--format", "pdf", "--out-dir", nodir])
    r.check("cli --out-dir two levels deep: said plainly, nothing created",
            rc == 1 and err == 'vanban: --out-dir "%s": thư mục chứa nó '
            'không có; vanban chỉ tạo một cấp thư mục\n' % nodir and
            not os.path.exists(os.path.join(d, "khong-co")), err)
    rc, _, err = r.run(["check", os.path.join(d, "khong-co.xml")])
    r.check("cli missing input: X005 in Vietnamese, exit 1",
            rc == 1 and "lỗi[X005]" in err, err)
    # over the CLI's read limit (64 MiB): the library's own limit is said,
    # not "X005 File too large"
    huge = os.path.join(d, "huge.xml")
    with open(huge, "wb") as f:
        f.truncate(70 << 20)
    rc, _, err = r.run(["check", huge])
    r.check("cli a 70 MiB input: X009 with the real limit, not X005",
            rc == 1 and err == "%s: lỗi[X009]: vượt giới hạn: kích thước tệp "
            "(tối đa 8 MiB)\n1 lỗi, 0 cảnh báo.\n" % huge, repr(err))
    os.unlink(huge)
    rc, _, err = r.run(["check", d, "--lang", "en"])
    r.check("cli a folder as input: X005 says it is a folder, in English",
            rc == 1 and err == "%s: error[X005]: cannot read the file: it is "
            "a folder\n" % d, repr(err))
    cli_arguments(r, ex, d)
    cli_escapes(r, ex, d)
    cli_profile_lines(r, ex)


def cli_arguments(r, ex, d):
    """Issue 7: --margins, --format, -o and --out-dir refuse what is not a
    value, naming the argument; nothing is written."""
    out = os.path.join(d, "args")
    os.makedirs(out, exist_ok=True)
    why = {"vi": "cần bốn số milimét TRÊN,DƯỚI,TRÁI,PHẢI, dấu chấm thập "
                 "phân, ví dụ 20,20,30,15",
           "en": "needs four numbers of millimetres TOP,BOTTOM,LEFT,RIGHT, "
                 "with a decimal point, e.g. 20,20,30,15"}
    for m in ("nan,nan,nan,nan", "inf,20,30,15", "20,20,30,-inf",
              "1e400,20,30,15", "1,5", "20,,30,15", "", "20,20,30,15,",
              "20,20,30", "-1,20,30,15", "20, 20,30,15", "0x14,20,30,15x"):
        for lang in ("vi", "en"):
            rc, so, err = r.run(["render", ex, "--margins", m, "--lang", lang,
                                 "--out-dir", out])
            want = 'vanban: --margins "%s": %s\n' % (m, why[lang])
            r.check("cli --margins %r (%s) is a usage error naming it" %
                    (m, lang), rc == 2 and err == want and
                    os.listdir(out) == [], "rc=%d %r" % (rc, err))
    rc, _, err = r.run(["render", ex, "--margins", "25.5,20,35,20",
                        "--format", "tree", "-o", "-"])
    r.check("cli --margins 25.5,20,35,20 is accepted", rc == 0, err)
    rc, _, err = r.run(["render", ex, "--out-dir", ""])
    base = os.path.splitext(os.path.basename(ex))[0]
    r.check("cli --out-dir '' is a usage error, nothing written to /",
            rc == 2 and err == 'vanban: --out-dir "": tên thư mục trống\n'
            and not os.path.exists("/" + base + ".pdf"), "rc=%d %r" % (rc, err))
    rc, _, err = r.run(["render", ex, "-o", "", "--lang", "en"])
    r.check("cli -o '' is a usage error", rc == 2 and
            err == 'vanban: -o "": empty file name\n', "rc=%d %r" % (rc, err))
    # a long list was copied into a 128-byte buffer and cut: its last,
    # unknown name then read as "pdf"
    fmt = "pdf," * 31 + "pdfX"
    rc, _, err = r.run(["render", ex, "--format", fmt, "--out-dir", out])
    r.check("cli --format: a long list is read whole (no cut)", rc == 2 and
            err.startswith('vanban: --format "%s": dùng pdf' % fmt) and
            os.listdir(out) == [], "rc=%d %r" % (rc, err))
    rc, _, err = r.run(["render", ex, "--format", "pdf,,docx"])
    r.check("cli --format with an empty name is a usage error", rc == 2, err)


def cli_escapes(r, ex, d):
    """Issue 7: control characters reach the terminal escaped, in file
    names and in echoed source lines; a long line is cut at a character."""
    data = open(ex, "rb").read()
    bad = re.sub(rb"<ngay>[^<]*</ngay>",
                 b"<ngay>31/02/2023</ngay><!--\x1b[2J\x1b]0;x\x07-->", data)
    line = bad[:bad.index(b"<ngay>")].count(b"\n") + 1
    rc, _, err = r.run(["check", "-"], bad)
    lines = err.splitlines()
    at = next((i for i, l in enumerate(lines) if "[X006]" in l), None)
    r.check("cli an echoed source line has its ESC and BEL escaped",
            rc == 1 and "\x1b" not in err and "\x07" not in err and
            at is not None and lines[at].startswith("-:%d:" % line) and
            lines[at + 1].endswith(
                '<ngay>31/02/2023</ngay><!--\\x1B[2J\\x1B]0;x\\x07-->'),
            repr(err))
    name = os.path.join(d, "a\x1b[31mb.xml")
    rc, _, err = r.run(["check", name])
    r.check("cli a file name with ESC is printed escaped", rc == 1 and
            err == "%s: lỗi[X005]: không đọc được tệp: không có tệp hay thư "
                   "mục này\n" % name.replace("\x1b", "\\x1B"), repr(err))
    # a column far into a long line: the window around it holds the caret,
    # and no character is cut
    long_ = re.sub(rb"<ngay>[^<]*</ngay>", b"<ngay>31/02/2023</ngay>" +
                   "<!--ệ-->".encode() * 100 + b"<ngay>x</ngay>", data)
    rc, _, err = r.run(["check", "-"], long_)
    lines = err.splitlines()
    at = next((i for i, l in enumerate(lines) if "[V003]" in l), None)
    ok = at is not None
    if ok:
        src, caret = lines[at + 1], lines[at + 2]
        ok = (src.startswith("  …") and caret.endswith("^") and
              src[len(caret) - 1:].startswith("<ngay>x") and
              "\ufffd" not in err)
    r.check("cli a long source line: a window around the column, caret "
            "under it, no character cut", rc == 1 and ok, repr(err[-800:]))


def cli_profile_lines(r, ex):
    """Issue 7: a diagnostic in a profile shows the profile's own line, not
    the document's line of the same number."""
    data = os.path.join(r.tmp, "data-lines")
    os.makedirs(os.path.join(data, "templates", "profiles"))
    os.symlink(os.path.join(ROOT, "fonts"), os.path.join(data, "fonts"))
    for t in glob.glob(os.path.join(ROOT, "templates", "*.xml")):
        shutil.copy(t, os.path.join(data, "templates"))
    src = open(os.path.join(ROOT, "templates", "profiles", "mttq.xml"),
               encoding="utf-8").read()
    prof = os.path.join(data, "templates", "profiles", "mttq.xml")
    open(prof, "w", encoding="utf-8").write(
        src.replace('so-trang="14"', 'so-trang="muoi bon"'))
    lines = open(prof, encoding="utf-8").read().splitlines()
    at = next(i for i, l in enumerate(lines) if "so-trang=" in l)
    col = lines[at].index("so-trang=") + 1
    rc, _, err = r.run(["check", ex], env=dict(os.environ,
                                               VANBAN_DATADIR=data))
    want = ['%s:%d:%d: lỗi[V004]: giá trị "muoi bon" không hợp lệ cho '
            'co-chu so-trang' % (prof, at + 1, col),
            "  " + lines[at], "  " + " " * (col - 1) + "^"]
    r.check("cli a profile's diagnostic shows the profile's line",
            rc == 1 and err.splitlines()[:3] == want, repr(err))


def profiles(r):
    """Profiles are data: an edited copy changes the output, a broken one is
    reported at its own line, a name is never a path."""
    ex = os.path.join(ROOT, "examples", "ke-hoach-bac-kan-2017.xml")
    data = os.path.join(r.tmp, "data")
    os.makedirs(os.path.join(data, "templates", "profiles"))
    os.symlink(os.path.join(ROOT, "fonts"), os.path.join(data, "fonts"))
    for t in glob.glob(os.path.join(ROOT, "templates", "*.xml")):
        shutil.copy(t, os.path.join(data, "templates"))
    src = open(os.path.join(ROOT, "templates", "profiles", "mttq.xml"),
               encoding="utf-8").read()
    prof = os.path.join(data, "templates", "profiles", "mttq.xml")
    env = dict(os.environ, VANBAN_DATADIR=data)
    open(prof, "w", encoding="utf-8").write(
        src.replace('noi-dung="14"', 'noi-dung="13"'))
    rc, out, err = r.run(["render", ex, "--format", "tree", "-o", "-"],
                         env=env)
    r.check("profiles: an edited profile file changes the body size",
            rc == 0 and b"paragraph body justify sz=26" in out and
            b"sz=28 first=567" not in out, err)
    lines = src.splitlines()
    at = next(i for i, l in enumerate(lines) if "so-trang=" in l) + 1
    open(prof, "w", encoding="utf-8").write(
        src.replace('so-trang="14"', 'so-trang="muoi bon"'))
    rc, out, err = r.run(["check", ex], env=env)
    r.check("profiles: a bad value is reported at its line in the profile",
            rc == 1 and ('mttq.xml:%d:' % at) in err and
            "lỗi[V004]" in err and 'co-chu so-trang' in err, err)
    bad = open(ex, encoding="utf-8").read().replace('the-thuc="mttq"',
                                                    'the-thuc="../mttq"')
    rc, out, err = r.run(["check", "-"], bad.encode("utf-8"))
    r.check("profiles: a name with a path is an unknown profile (V005)",
            rc == 1 and "lỗi[V005]" in err and '"../mttq"' in err, err)


# --- templates ------------------------------------------------------------

def templates(r):
    """Document kinds are data: listed, described, editable; a broken or
    hostile template is reported at its own line, and cannot blow up."""
    rc, out, err = r.run(["templates"])
    out = out.decode("utf-8")
    r.check("templates lists the kinds with their titles",
            rc == 0 and "ke-hoach" in out and
            "mau-01a        Kế hoạch xây dựng mô hình “Dân vận khéo” (mẫu 01A)"
            in out and "mau-01b        Bản đăng ký" in out, out + err)
    rc, out, err = r.run(["templates", "mau-01b"])
    out = out.decode("utf-8")
    r.check("templates mau-01b lists fields, types, required, clause",
            rc == 0 and "dia-chi" in out and
            "bắt buộc khi nguoi-dang-ky/doi-tuong=tap-the" in out and
            "chọn một: Phát triển kinh tế; Văn hóa - xã hội; Quốc phòng - an "
            "ninh; Xây dựng hệ thống chính trị" in out and
            "căn cứ: seeds/004 II.2" in out, out + err)
    rc, out, err = r.run(["templates", "mau-01b", "--lang", "en"])
    r.check("templates in English", rc == 0 and
            b"registration deadline" in out and b"required" in out, err)
    rc, out, err = r.run(["templates", "../profiles/nd30"])
    r.check("templates: a path is not a kind (M001)", rc == 1 and
            "lỗi[M001]" in err and "ke-hoach, mau-01a, mau-01b" in err, err)

    data = os.path.join(r.tmp, "tpl")
    os.makedirs(os.path.join(data, "templates", "profiles"))
    os.symlink(os.path.join(ROOT, "fonts"), os.path.join(data, "fonts"))
    for f in glob.glob(os.path.join(ROOT, "templates", "profiles", "*.xml")):
        shutil.copy(f, os.path.join(data, "templates", "profiles"))
    env = dict(os.environ, VANBAN_DATADIR=data)
    src = open(os.path.join(ROOT, "templates", "mau-01b.xml"),
               encoding="utf-8").read()
    tpl = os.path.join(data, "templates", "mau-01b.xml")
    ex = os.path.join(ROOT, "examples", "mau-01b-tap-the.xml")

    def line_of(text, needle):
        return text[:text.index(needle)].count("\n") + 1

    open(tpl, "w", encoding="utf-8").write(
        src.replace("2. Tên mô hình:", "2. Tên gọi của mô hình:"))
    rc, out, err = r.run(["render", ex, "--format", "tree", "-o", "-"],
                         env=env)
    r.check("templates: an edited copy changes the printed label",
            rc == 0 and "2. Tên gọi của mô hình:".encode() in out, err)

    cases = [
        ("unknown element", '<kiem-tra ten="kinh-gui"/>',
         '<kiem-tra ten="kinh-gui"/>\n  <truongg ten="x" nhan="x"/>',
         "<truongg", "lỗi[M002]: phần tử <truongg> không thuộc ngôn ngữ mẫu "
         "văn bản"),
        ("unknown check", '<kiem-tra ten="kinh-gui"/>',
         '<kiem-tra ten="khong-co"/>', '<kiem-tra ten="khong-co"',
         'lỗi[M004]: kiểm tra "khong-co" không có; dùng van-ban-co-ten-loai'),
        ("undeclared field", '<gt truong="ten-mo-hinh"/>',
         '<gt truong="ten-mo-hinh-x"/>', '<gt truong="ten-mo-hinh-x"',
         'lỗi[M003]: trường "ten-mo-hinh-x" không được khai báo trong '
         '<van-ban> của mẫu'),
        ("misplaced element", '<doan kieu-than="co"><gt truong="linh-vuc"/>'
         '</doan>', '<hang><o/></hang>', "<hang><o/></hang>",
         "lỗi[M005]: <hang> không được đặt ở chỗ này của bố cục"),
        ("bad type", 'kieu="ngay" bat-buoc="co" nhan="thời gian hoàn thành"',
         'kieu="ngay-thang" bat-buoc="co" nhan="thời gian hoàn thành"',
         'kieu="ngay-thang"', 'lỗi[V004]: giá trị "ngay-thang" không hợp lệ '
         'cho truong kieu (dong, markdown, ngay, so, lua-chon, nhom)'),
        ("not XML", "</bo-cuc>", "</bo-cuc", None, "lỗi[X038]"),
    ]
    for what, old, new, at, msg in cases:
        assert old in src, old
        bad = src.replace(old, new, 1)
        open(tpl, "w", encoding="utf-8").write(bad)
        rc, out, err = r.run(["check", ex], env=env)
        where = "mau-01b.xml:%d:" % line_of(bad, at) if at else "mau-01b.xml:"
        r.check("templates: %s reported at the template's line" % what,
                rc == 1 and msg in err and where in err and not out,
                "want %s %s in:\n%s" % (where, msg, err))
    # nested groups past the depth limit
    deep = "".join('<truong ten="g%d" kieu="nhom" nhan="g">' % i
                   for i in range(20)) + "</truong>" * 20
    open(tpl, "w", encoding="utf-8").write(
        src.replace('<kiem-tra ten="kinh-gui"/>',
                    deep + '<kiem-tra ten="kinh-gui"/>', 1))
    rc, out, err = r.run(["check", ex], env=env, timeout=10)
    r.check("templates: groups nested past the limit: X009",
            rc == 1 and "lỗi[X009]" in err and "độ sâu lồng nhau của trường"
            in err, err)
    # an expansion bomb: a loop over 10,000 values, 400 paragraphs each
    ke = open(os.path.join(ROOT, "templates", "ke-hoach.xml"),
              encoding="utf-8").read()
    body = "<doan>x</doan>" * 400
    open(os.path.join(data, "templates", "ke-hoach.xml"), "w",
         encoding="utf-8").write(ke.replace(
             '<phan ten="can-cu"/>',
             '<lap truong="can-cu">%s</lap>' % body))
    plan = open(os.path.join(ROOT, "examples",
                             "ke-hoach-bac-kan-2017.xml"), "rb").read()
    plan = plan.replace(b"<noi-dung>", b"<can-cu>c</can-cu>" * 10000 +
                        b"<noi-dung>", 1)
    t0 = time.time()
    rc, out, err = r.run(["render", "-", "--format", "tree", "-o", "-"],
                         plan, env=env, timeout=60)
    r.check("templates: an expansion bomb stops at the budget (X009), fast",
            rc == 1 and "lỗi[X009]" in err and "số phần tử khi triển khai "
            "mẫu" in err and time.time() - t0 < 20, err[-500:])


# --- forms ----------------------------------------------------------------

# Every label of the forms printed at the end of seeds/004 (quotes and
# spacing normalised; "Thời gian hoàn thành" is item 6, not the seed's "2.").
FORM_LABELS = {
    "mau-01a": [
        "ĐẢNG CỘNG SẢN VIỆT NAM", "KẾ HOẠCH",
        "Xây dựng mô hình “Dân vận khéo”",
        "Căn cứ hướng dẫn về việc xây dựng mô hình “Dân vận khéo” của",
        "xây dựng kế hoạch triển khai thực hiện mô hình “Dân vận khéo”",
        "1. Mục đích, yêu cầu (lý do xây dựng mô hình và mục tiêu cần đạt "
        "được):",
        "2. Nội dung thực hiện và phạm vi thực hiện",
        "2.1. Nội dung thực hiện của mô hình",
        "2.2. Phạm vi thực hiện mô hình: (ghi cụ thể trong cơ quan, đơn vị, "
        "xã hoặc thôn, xóm, chi hội, tổ hội...)",
        "3. Biện pháp/phương thức thực hiện",
        "4. Lực lượng tham gia (mô hình phải huy động được đông đảo cán bộ, "
        "đảng viên, đoàn viên, hội viên và nhiều lực lượng, tầng lớp nhân dân "
        "cùng tham gia).",
        "5. Thời gian thực hiện:",
        "Dự kiến thời gian bắt đầu và thời gian kết thúc hoàn thành mô hình.",
        "Cá nhân hoặc đại diện tập thể chủ thể mô hình", "(ký tên)"],
    "mau-01b": [
        "ĐẢNG CỘNG SẢN VIỆT NAM", "BẢN ĐĂNG KÝ",
        "XÂY DỰNG MÔ HÌNH “DÂN VẬN KHÉO”", "Kính gửi:",
        "1. Tên tập thể hoặc cá nhân đăng ký (đối với tập thể cần ghi rõ đơn "
        "vị, địa phương, địa chỉ cụ thể; đối với cá nhân cần ghi rõ chức vụ, "
        "nghề nghiệp, đơn vị, địa phương công tác, sinh hoạt).",
        "2. Tên mô hình:",
        "3. Lĩnh vực: (phát triển kinh tế; văn hóa - xã hội; quốc phòng - an "
        "ninh; xây dựng hệ thống chính trị...)",
        "4. Tóm tắt thực trạng tình hình",
        "5. Dự kiến hiệu quả mang lại từ mô hình đăng ký",
        "6. Thời gian hoàn thành:",
        "Thẩm định và đưa vào danh sách đăng ký",
        "(Ký tên, đóng dấu xác nhận)",
        "Cá nhân hoặc đại diện tập thể đăng ký", "(ký tên)"],
}


def forms(r):
    import check_docx
    out = os.path.join(r.tmp, "forms")
    os.makedirs(out, exist_ok=True)
    for xml in sorted(glob.glob(os.path.join(ROOT, "examples", "mau-*.xml"))):
        name = os.path.splitext(os.path.basename(xml))[0]
        kind = name[:7]
        rc, _, err = r.run(["render", xml, "--format", "pdf,docx",
                            "--out-dir", out])
        if not r.check("forms %s renders" % name, rc == 0, err):
            continue
        text, _ = pdf_text(r, os.path.join(out, name + ".pdf"))
        pdf = norm(text.replace("\u00a0", " "))
        doc = norm(" ".join(check_docx.docx_texts(
            os.path.join(out, name + ".docx"))).replace("\u00a0", " "))
        for where, got in (("pdftotext", pdf), ("python-docx", doc)):
            miss = [l for l in FORM_LABELS[kind] if norm(l) not in got]
            r.check("forms %s: %s finds every label of the seed's %s" % (
                name, where, kind), not miss, "missing %r" % miss)
        # and every value of the input, as printed
        src = open(xml, encoding="utf-8").read()
        for tag in ("ten-mo-hinh", "chu-the", "huong-dan-cua", "nguoi-ky"):
            m = re.search(r"<%s>([^<]+)</%s>" % (tag, tag), src)
            if m:
                r.check("forms %s: <%s> printed in the PDF" % (name, tag),
                        norm(m.group(1)) in pdf, m.group(1))
    # the example of docs/forms.md is a valid form
    doc = open(os.path.join(ROOT, "docs", "forms.md"), encoding="utf-8").read()
    blocks = re.findall(r"```xml\n(.*?)```", doc, re.S)
    for i, b in enumerate(blocks):
        rc, _, err = r.run(["check", "-"], b.encode("utf-8"))
        r.check("forms: docs/forms.md example %d is valid" % (i + 1),
                rc == 0 and err == "-: hợp lệ.\n", err)
    r.check("forms: docs/forms.md has an example", len(blocks) >= 1)
    # the lĩnh vực is printed with its canonical label, whatever the spelling
    src = open(os.path.join(ROOT, "examples", "mau-01b-tap-the.xml"),
               encoding="utf-8").read()
    for spelt, label in (("VH-XH", "Văn hóa - xã hội"),
                         ("kinh tế", "Phát triển kinh tế"),
                         ("QP - AN", "Quốc phòng - an ninh"),
                         ("xây dựng HTCT", "Xây dựng hệ thống chính trị"),
                         ("Văn hoá - Xã hội", "Văn hóa - xã hội")):
        data = src.replace("<linh-vuc>VH-XH</linh-vuc>",
                           "<linh-vuc>%s</linh-vuc>" % spelt)
        rc, tree, err = r.run(["render", "-", "--format", "tree", "-o", "-"],
                              data.encode("utf-8"))
        r.check("forms lĩnh vực \"%s\" prints \"%s\"" % (spelt, label),
                rc == 0 and ('"%s"' % label) in tree.decode("utf-8"), err)
    # Kính gửi derived from the level
    for cap, want in (("xa", "Khối Dân vận xã Phúc Thành"),
                      ("huyen", "Ban Dân vận Huyện ủy")):
        data = src.replace("<cap>xa</cap>", "<cap>%s</cap>" % cap)
        rc, tree, err = r.run(["render", "-", "--format", "tree", "-o", "-"],
                               data.encode("utf-8"))
        r.check("forms Kính gửi from level %s: %s" % (cap, want),
                rc == 0 and want in tree.decode("utf-8"), err)


# --- invalid --------------------------------------------------------------

def invalid(r):
    """examples/invalid/: one file per rule; `vanban check` must print
    exactly NAME.expected (Vietnamese) and NAME.en.expected (English) and
    exit 1 when there is an error, 0 when only warnings."""
    files = sorted(glob.glob(os.path.join(ROOT, "examples", "invalid",
                                          "*.xml")))
    r.check("invalid: at least 15 rule examples", len(files) >= 15,
            "%d files" % len(files))
    for xml in files:
        rel = os.path.relpath(xml, ROOT)
        base = xml[:-4]
        for lang, suffix in (("vi", ".expected"), ("en", ".en.expected")):
            exp_path = base + suffix
            argv = [r.vanban, "check", rel] + (["--lang", "en"]
                                               if lang == "en" else [])
            p = subprocess.run(argv, capture_output=True, cwd=ROOT,
                               timeout=60)
            got = p.stderr.decode("utf-8", "replace")
            if r.args.update:
                open(exp_path, "w", encoding="utf-8").write(got)
            want = open(exp_path, encoding="utf-8").read() \
                if os.path.exists(exp_path) else ""
            errs = ("lỗi[" if lang == "vi" else "error[") in want
            r.check("invalid %s (%s) prints %s" % (
                os.path.basename(xml), lang, os.path.basename(exp_path)),
                got == want and p.returncode == (1 if errs else 0) and want,
                "rc=%d\n%s" % (p.returncode, first_diff(want, got)))
            # the same diagnostics as JSON, for programs
            j = subprocess.run(argv + ["--errors", "json"],
                               capture_output=True, cwd=ROOT, timeout=60)
            try:
                items = json.loads(j.stdout.decode("utf-8"))
            except ValueError:
                items = None
            heads = re.findall(r"^(\S+?):(\d+):(\d+): (?:lỗi|error|cảnh báo|"
                               r"warning)\[(\w+)\]: (.*)$", want, re.M)
            ok = items is not None and len(items) == len(heads) and all(
                it["file"] == h[0] and it["line"] == int(h[1]) and
                it["column"] == int(h[2]) and it["rule"] == h[3] and
                it["message"] == h[4] and
                it["severity"] in ("error", "warning")
                for it, h in zip(items, heads))
            r.check("invalid %s (%s) --errors json: the same diagnostics, "
                    "exit %d" % (os.path.basename(xml), lang,
                                 1 if errs else 0),
                    ok and j.returncode == (1 if errs else 0) and
                    not j.stderr,
                    "rc=%d\n%s\n%s" % (j.returncode, j.stdout[:2000],
                                        j.stderr[:500]))
    # field names the element a program should highlight
    j = subprocess.run([r.vanban, "check", "--errors", "json",
                        "examples/invalid/V107-ca-nhan-thieu-chuc-vu.xml"],
                       capture_output=True, cwd=ROOT, timeout=60)
    items = json.loads(j.stdout.decode("utf-8") or "null") or []
    r.check("invalid --errors json names the missing fields",
            [i.get("field") for i in items] == ["chuc-vu", "nghe-nghiep"],
            j.stdout[:1000])
    j = subprocess.run([r.vanban, "check", "--errors", "json", "khong-co.xml"],
                       capture_output=True, cwd=ROOT, timeout=60)
    r.check("invalid --errors json: a file not read exits 2",
            j.returncode == 2, j.stderr[:500])


# --- hostile --------------------------------------------------------------

def hostile(r):
    path = os.path.join(ROOT, "tests", "hostile", "run_hostile.py")
    if not os.path.exists(path):
        return
    import importlib.util
    spec_ = importlib.util.spec_from_file_location("run_hostile", path)
    mod = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(mod)
    mod.run(r)


def tables(r):
    import importlib.util
    path = os.path.join(ROOT, "tests", "hostile", "run_tables.py")
    spec_ = importlib.util.spec_from_file_location("run_tables", path)
    mod = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(mod)
    mod.run(r)


def wordform(r):
    """Word forms and `vanban extract`: tests/wordform/run_wordform.py."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "wordform"))
    import run_wordform
    run_wordform.run(r)
    import run_forms
    run_forms.run(r, lambda path, name: run_wordform.schemas_only(r, path,
                                                                  name))


# --- register -------------------------------------------------------------

def register(r):
    import importlib.util
    path = os.path.join(ROOT, "tests", "register", "run_register.py")
    spec_ = importlib.util.spec_from_file_location("run_register", path)
    mod = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(mod)
    mod.run(r)


# --- batch ----------------------------------------------------------------

def batch(r):
    """`vanban batch`: certificates from lists (tests/batch/run_batch.py)."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "batch"))
    import run_batch
    run_batch.run(r)


# --- decisions ------------------------------------------------------------

def decisions(r):
    """Quyết định templates, repeated header rows, lists from files,
    register print: tests/decisions/run_decisions.py."""
    import importlib.util
    path = os.path.join(ROOT, "tests", "decisions", "run_decisions.py")
    spec_ = importlib.util.spec_from_file_location("run_decisions", path)
    mod = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(mod)
    mod.run(r)


import install as install_tests  # noqa: E402  (tests/ is on sys.path)
import cli_ux  # noqa: E402

SECTIONS = [("unit", unit), ("spec", spec), ("cli", cli),
            ("usage", cli_ux.run),
            ("profiles", profiles), ("invalid", invalid),
            ("forms", forms), ("templates", templates),
            ("examples", examples), ("docx", docx), ("fidelity", fidelity),
            ("hostile", hostile),
            ("api", install_tests.api), ("install", install_tests.install),
            ("deb", install_tests.deb), ("wordform", wordform),
            ("tables", tables), ("register", register), ("batch", batch),
            ("decisions", decisions)]
# run only when named with --only: deb installs a package system-wide
OPT_IN = ("deb",)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", default="")
    ap.add_argument("--quick", action="store_true",
                    help="skip the slow LibreOffice comparisons")
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    r = Runner(args)
    only = [s for s in args.only.split(",") if s]
    start = time.time()
    try:
        for name, fn in SECTIONS:
            if (only and name not in only) or (not only and name in OPT_IN):
                continue
            print("# " + name)
            fn(r)
    finally:
        shutil.rmtree(r.tmp, ignore_errors=True)
    if r.failures:
        print("\nfailed:\n  " + "\n  ".join(r.failures))
    print("\n(%.1f s)" % (time.time() - start))
    print("%d passed, %d failed" % (r.passed, r.failed))
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
