#!/usr/bin/python3
"""tests/fuzz/run.py - builds the libFuzzer targets and runs each for a
bounded time.

  fuzz_input     the whole library: XML input + validate + every renderer
  fuzz_markdown  the Markdown body inside a fixed valid document
  fuzz_template  a template (document kind) used by a fixed input
  fuzz_extract   vb_extract_docx: a filled Word form (hostile package);
                 seeded with the sample forms of build/tests/make_form
  fuzz_table     the list reader: CSV, and XLSX when the bytes are a ZIP

Each target is built with clang -fsanitize=fuzzer,address,undefined against
every engine/*.c except the CLI, into build/fuzz/. The corpus
build/fuzz/corpus-NAME/ (not committed) is seeded from examples/*.xml and
the small files of tests/hostile/; it is kept between runs, so each run
starts from what the previous ones found.

Usage: tests/fuzz/run.py [--seconds N] [--only NAME,...] [--build DIR]
                         [--jobs N]

Prints, per target, the executions and the coverage (cov/ft of libFuzzer's
last stats line). Exits 1 when a target crashed, leaked, timed out or ran
out of memory; the reproducer stays in build/fuzz/artifacts-NAME/ and the
command that replays it is printed. A fixed crash becomes a case in
tests/hostile/ (see tests/hostile/README.md).
"""
import argparse
import glob
import os
import re
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
TARGETS = ["fuzz_input", "fuzz_markdown", "fuzz_template", "fuzz_extract",
           "fuzz_table"]


def makefile_pkgs():
    """The pkg-config packages of the Makefile (PKGS = ..., continued over
    lines ending in a backslash), so that the fuzz build links what the
    library links."""
    with open(os.path.join(ROOT, "Makefile")) as f:
        text = f.read().replace("\\\n", " ")
    m = re.search(r"^PKGS\s*=\s*(.*)$", text, re.M)
    return m.group(1).strip() if m else \
        "libxml-2.0 libzip icu-uc icu-i18n freetype2 md4c"


PKGS = makefile_pkgs()
CFLAGS = ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-g", "-O1",
          "-fsanitize=fuzzer,address,undefined",
          "-fno-sanitize-recover=all", "-fno-omit-frame-pointer",
          "-Wall", "-Wextra", "-pedantic", "-Wshadow", "-Wstrict-prototypes",
          "-Wmissing-prototypes", "-Wno-unused-parameter"]


def pkg(flag):
    out = subprocess.run(["pkg-config", flag] + PKGS.split(),
                         capture_output=True, text=True, check=True).stdout
    return shlex.split(out)


def clang():
    for c in ("clang", "clang-14"):
        if subprocess.run(["sh", "-c", "command -v " + c],
                          capture_output=True).returncode == 0:
            return c
    sys.exit("fuzz: clang not found (apt-get install clang libclang-rt-14-dev)")


def build(name, out_dir):
    exe = os.path.join(out_dir, name)
    srcs = sorted(f for f in glob.glob(os.path.join(ROOT, "engine", "*.c")))
    target = os.path.join(ROOT, "tests", "fuzz", name + ".c")
    newest = max(os.path.getmtime(f) for f in
                 srcs + [target] + glob.glob(os.path.join(ROOT, "engine",
                                                          "*.h")))
    if os.path.exists(exe) and os.path.getmtime(exe) >= newest:
        return exe
    cmd = ([clang()] + CFLAGS + pkg("--cflags") +
           ["-I" + os.path.join(ROOT, "engine"),
            '-DVB_BUILD_DATADIR="%s"' % ROOT,
            '-DVB_FUZZ_DATADIR="%s"' % ROOT,
            "-o", exe, target] + srcs + pkg("--libs") +
           ["-lhpdf", "-lcsv", "-lm"])
    print("fuzz: building %s" % name)
    sys.stdout.flush()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        sys.exit("fuzz: building %s failed" % name)
    return exe


def markdown_body(xml):
    m = re.search(rb"<noi-dung>\s*<!\[CDATA\[(.*?)\]\]>\s*</noi-dung>", xml,
                  re.S)
    return m.group(1) if m else None


def table_seeds():
    """CSV and XLSX seeds for fuzz_table: (name, bytes), without the
    leading option byte."""
    import io
    import zipfile
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = ("http://schemas.openxmlformats.org/officeDocument/2006/"
           "relationships/")
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    out = [("comma.csv", "Tên mô hình,Đơn vị,Ngày\r\nDân vận khéo,"
                         "\"Xã A, huyện B\",2023-02-05\r\n".encode()),
           ("semi-bom.csv", "\ufeffa;b\n\"x\"\"y\";\"1\n2\"\n\n;\n".encode()),
           ("bad.csv", b"a,b\n\xe3\x80,x\"y\n\"open\n")]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("_rels/.rels", '<Relationships xmlns="%s"><Relationship '
                   'Id="rId1" Type="%sofficeDocument" Target="xl/workbook.xml"'
                   '/></Relationships>' % (pkg, rel))
        z.writestr("xl/workbook.xml", '<workbook %s xmlns:r="%s"><workbookPr '
                   'date1904="0"/><sheets><sheet name="Danh sách" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>' % (ns, rel[:-1]))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="%s"><Relationship Id="rId1" '
                   'Type="%sworksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="%ssharedStrings" '
                   'Target="sharedStrings.xml"/><Relationship Id="rId3" '
                   'Type="%sstyles" Target="styles.xml"/></Relationships>' % (
                       pkg, rel, rel, rel))
        z.writestr("xl/styles.xml", '<styleSheet %s><numFmts><numFmt '
                   'numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
                   '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf '
                   'numFmtId="164"/></cellXfs></styleSheet>' % ns)
        z.writestr("xl/sharedStrings.xml", '<sst %s><si><t>Tên mô hình</t>'
                   '</si><si><r><t>Dân </t></r><r><t>vận_x000D_</t></r><rPh>'
                   '<t>x</t></rPh></si></sst>' % ns)
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet %s><sheetData>'
                   '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" '
                   't="inlineStr"><is><t>Ngày</t></is></c></row><row r="3">'
                   '<c r="A3" t="s"><v>1</v></c><c r="B3" s="2"><v>45000.5'
                   '</v></c><c r="C3" t="e"><v>#N/A</v></c></row><row><c '
                   's="1"><v>60</v></c><c t="b"><v>1</v></c></row>'
                   '</sheetData></worksheet>' % ns)
    out.append(("book.xlsx", buf.getvalue()))
    return out


def table_part_seeds():
    """(option byte, name, bytes): parts fuzzed inside a fixed workbook
    (fuzz_table.c bits 4-5: 1 sheet, 2 shared strings, 3 styles)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = ('<worksheet %s><sheetData><row r="1"><c r="A1" t="s"><v>0</v>'
             '</c><c r="B1" t="inlineStr"><is><t>Ngày</t></is></c></row>'
             '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>'
             '45000.5</v></c><c r="C3" t="e"><v>#N/A</v></c></row><row><c '
             's="1"><v>60</v></c><c t="b"><v>1</v></c><c t="str"><f>A1</f>'
             '<v>x_x0007_</v></c><c t="d"><v>2023-02-05T00:00:00</v></c></row>'
             '</sheetData></worksheet>' % ns)
    sst = ('<sst %s><si><t>Tên mô hình</t></si><si><t xml:space="preserve">'
           ' Ngày </t></si><si><r><t>Dân </t></r><r><rPr><b/></rPr><t>vận'
           '_x000D_\nkhéo</t></r><rPh><t>x</t></rPh></si></sst>' % ns)
    styles = ('<styleSheet %s><numFmts><numFmt numFmtId="164" formatCode='
              '"[$-42A]dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode='
              '"0&quot; ngày&quot;"/></numFmts><cellXfs><xf numFmtId="0"/>'
              '<xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>'
              % ns)
    return [(16, "sheet.xml", sheet.encode()), (32, "sst.xml", sst.encode()),
            (48, "styles.xml", styles.encode())]


def seed_forms(corpus, build_dir):
    """The blank and prefilled sample forms, with the option byte."""
    exe = os.path.join(ROOT, build_dir, "tests", "make_form")
    if not os.path.exists(exe):
        subprocess.run(["make", "BUILD=" + build_dir, exe], cwd=ROOT,
                       capture_output=True)
    for flags in ([], ["--filled"]):
        out = os.path.join(corpus, "form%s.tmp" % "".join(flags))
        p = subprocess.run([exe] + flags + ["--fonts",
                                            os.path.join(ROOT, "fonts"), out],
                           capture_output=True)
        if p.returncode != 0:
            sys.exit("fuzz: make_form failed: %s" % p.stderr[-500:])
        data = open(out, "rb").read()
        os.remove(out)
        open(out[:-4] + ".docx", "wb").write(b"\0" + data)


def seed(name, corpus, build_dir="build"):
    os.makedirs(corpus, exist_ok=True)
    if name == "fuzz_template":
        # the shipped templates, renamed as the target loads them
        for f in sorted(glob.glob(os.path.join(ROOT, "templates", "*.xml"))):
            data = open(f, "rb").read()
            data = re.sub(rb'<mau ten="[^"]*"', b'<mau ten="fz"', data, 1)
            open(os.path.join(corpus, "seed-" + os.path.basename(f)),
                 "wb").write(data)
        return
    if name == "fuzz_extract":
        seed_forms(corpus, build_dir)
        return
    if name == "fuzz_table":
        for base, data in table_seeds():
            for opt in (0, 5, 12):
                open(os.path.join(corpus, "seed-%s-%d" % (base, opt)),
                     "wb").write(bytes([opt]) + data)
        for opt, base, data in table_part_seeds():
            open(os.path.join(corpus, "seed-part-%s" % base),
                 "wb").write(bytes([opt]) + data)
        return
    files = sorted(glob.glob(os.path.join(ROOT, "examples", "*.xml")))
    hostile = os.path.join(ROOT, "tests", "hostile")
    files += sorted(f for f in glob.glob(os.path.join(hostile, "*"))
                    if os.path.isfile(f) and os.path.getsize(f) < 65536 and
                    not f.endswith((".py", ".md")))
    for i, f in enumerate(files):
        data = open(f, "rb").read()
        base = "seed-" + os.path.basename(f)
        if name == "fuzz_input":
            # leading byte: the options; seed a few combinations
            for opt in (0, 1, 6) if "examples" in f else (0,):
                open(os.path.join(corpus, "%s-%d" % (base, opt)), "wb").write(
                    bytes([opt]) + data)
        else:
            body = markdown_body(data) if "examples" in f else None
            if body is not None:
                open(os.path.join(corpus, base + ".md"), "wb").write(body)
    if name == "fuzz_input":
        # the margins path (flags bits 2-3 = 3: four doubles follow): NaN,
        # infinities, huge, negative and denormal values before a valid plan
        import struct
        ex = open(os.path.join(ROOT, "examples",
                               "ke-hoach-bac-kan-2017.xml"), "rb").read()
        for i, m in enumerate([(float("nan"),) * 4,
                               (float("inf"), 20.0, -float("inf"), 15.0),
                               (1e300, -1e300, 5e-324, 1e-310),
                               (25.0, 20.0, 35.0, 20.0)]):
            open(os.path.join(corpus, "seed-margins-%d" % i), "wb").write(
                bytes([3 << 2]) + struct.pack("<4d", *m) + ex)
    if name == "fuzz_markdown":
        for i, s in enumerate([b"# I. A\n\n## 1. b\n\n### a) c\n\ntext **b** *i*\n",
                               b"1. one\n2. two\n   - nested\n\n- a\n- b\n",
                               b"```\ncode\n```\n\nline  \nbreak\\\nx &amp; &#x1EA0; &#0;\n",
                               b"II. NOI DUNG\n\n> quote\n\n---\n\n| a | b |\n|---|---|\n"]):
            open(os.path.join(corpus, "seed-%d.md" % i), "wb").write(s)


def run(name, exe, corpus, seconds, artifacts, jobs):
    os.makedirs(artifacts, exist_ok=True)
    cmd = [exe, corpus, "-max_total_time=%d" % seconds,
           "-rss_limit_mb=2048", "-timeout=10", "-print_final_stats=1",
           "-artifact_prefix=" + artifacts + "/"]
    if jobs > 1:
        cmd += ["-fork=%d" % jobs, "-ignore_crashes=0"]
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:allocator_may_return_null=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    log = os.path.join(os.path.dirname(corpus), name + ".log")
    start = time.time()
    with open(log, "w") as f:
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env,
                           timeout=seconds * 3 + 300)
    text = open(log, errors="replace").read()
    execs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    stats = re.findall(r"^#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)", text, re.M)
    n = execs[-1] if execs else (stats[-1][0] if stats else "?")
    cov, ft = (stats[-1][1], stats[-1][2]) if stats else ("?", "?")
    crashed = p.returncode != 0
    print("%-14s %4.0f s  execs %-10s cov %-6s ft %-6s %s" % (
        name, time.time() - start, n, cov, ft,
        "CRASH (exit %d)" % p.returncode if crashed else "ok"))
    if crashed:
        found = re.findall(r"Test unit written to (\S+)", text)
        tail = text.splitlines()[-60:]
        print("\n".join("  | " + l for l in tail))
        for a in found:
            print("  reproducer: %s\n  replay:     %s %s" % (a, exe, a))
        print("  log: " + log)
    sys.stdout.flush()
    return not crashed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--only", default="")
    ap.add_argument("--build", default="build")
    ap.add_argument("--jobs", type=int, default=1,
                    help="libFuzzer -fork=N worker processes per target")
    args = ap.parse_args()
    only = [t for t in args.only.split(",") if t]
    out_dir = os.path.join(ROOT, args.build, "fuzz")
    os.makedirs(out_dir, exist_ok=True)
    ok = True
    for name in TARGETS:
        if only and name not in only:
            continue
        exe = build(name, out_dir)
        corpus = os.path.join(out_dir, "corpus-" + name)
        seed(name, corpus, args.build)
        ok &= run(name, exe, corpus, args.seconds,
                  os.path.join(out_dir, "artifacts-" + name), args.jobs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
