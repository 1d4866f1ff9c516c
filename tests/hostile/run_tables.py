#!/usr/bin/python3
"""tests/hostile/run_tables.py - lists of records (engine/table.c) read from
generated files, through `build/tests/test_table --dump FILE` (the cmocka
program of tests/unit/test_table.c, linked against build/libvanban.a).

Called by tests/run.py (section "tables") as run(r), r being its Runner.

Every XLSX is written here with zipfile and hand-written XML; one is made
by LibreOffice (soffice --headless --convert-to xlsx) from a CSV and must
read back exactly. The hostile cases (an XLSX zip bomb, honest and lying
about its sizes; a sheet of 1,000,000 rows; a CSV with a 500 MB line
streamed through a pipe; a sparse 500 MB CSV; 20,000 parts; entities in the
shared strings) must each be refused with the expected rule ID within a
time bound (x5 under ASan, x20 under valgrind) and, outside ASan and
valgrind, under RLIMIT_AS of 1 GiB with a peak RSS below 200 MiB.
"""
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 1 << 20
MEM_LIMIT = 1 << 30
RSS_MAX_MIB = 200

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = ('xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def limited(r):
    return "asan" not in r.args.build and not getattr(r.args, "valgrind",
                                                       False)


def scale(r, bound):
    if getattr(r.args, "valgrind", False):
        return bound * 20
    return bound * 5 if "asan" in r.args.build else bound


def _limit_as():
    resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))


def dump(r, path, extra=(), bound=30, stdin=None):
    """Runs test_table --dump; returns (rc, out, err, seconds, rss MiB).
    rc is None when the bound was exceeded (the process is killed)."""
    cmd = [os.path.join(r.build, "tests", "test_table"), "--dump", path]
    cmd += list(extra)
    if getattr(r.args, "valgrind", False):
        cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite"] + cmd
    rc, o, e, took, peak = bounded(r, cmd, bound, stdin)
    return rc, o, e, took, peak


def bounded(r, cmd, bound, stdin=None):
    """Runs cmd under the memory cap, killed past `bound` seconds (scaled
    for sanitizers and valgrind); returns (rc, out, err, seconds, peak RSS
    MiB). rc is None when the bound was exceeded."""
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    start = time.time()
    p = subprocess.Popen(cmd, stdin=stdin or subprocess.DEVNULL, stdout=out,
                         stderr=err,
                         preexec_fn=_limit_as if limited(r) else None)
    bound = scale(r, bound)
    rc = None
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            rc = os.waitstatus_to_exitcode(status)
            break
        if time.time() - start > bound:
            p.kill()
            _, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.01)
    took = time.time() - start
    out.seek(0)
    err.seek(0)
    o = out.read().decode("utf-8", "replace")
    e = err.read().decode("utf-8", "replace")
    out.close()
    err.close()
    return rc, o, e, took, ru.ru_maxrss / 1024.0


def xlsx(path, sheet, strings=None, styles=None, sheet_info=None,
         compress=zipfile.ZIP_DEFLATED, extra=()):
    """Writes a workbook of one sheet. `sheet` is bytes or an iterable of
    bytes chunks (streamed into the archive)."""
    with zipfile.ZipFile(path, "w", compress) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels",
                   '<Relationships xmlns="%s"><Relationship Id="rId1" '
                   'Type="%sofficeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>' % (PKG, REL))
        z.writestr("xl/workbook.xml",
                   '<workbook %s %s><sheets><sheet name="DS" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>' % (NS, RNS))
        rels = ('<Relationship Id="rId1" Type="%sworksheet" '
                'Target="worksheets/sheet1.xml"/>' % REL)
        if strings is not None:
            rels += ('<Relationship Id="rId2" Type="%ssharedStrings" '
                     'Target="sharedStrings.xml"/>' % REL)
            z.writestr("xl/sharedStrings.xml", strings)
        if styles is not None:
            rels += ('<Relationship Id="rId3" Type="%sstyles" '
                     'Target="styles.xml"/>' % REL)
            z.writestr("xl/styles.xml", styles)
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="%s">%s</Relationships>' % (PKG,
                                                                     rels))
        if isinstance(sheet, (bytes, str)):
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with z.open("xl/worksheets/sheet1.xml", "w",
                        force_zip64=True) as f:
                for chunk in sheet:
                    f.write(chunk)
        for name, data in extra:
            z.writestr(name, data)


def patch_sizes(path, member, size):
    """Rewrites the uncompressed size the archive claims for `member`, in
    the local header and in the central directory (a lying zip bomb)."""
    data = bytearray(open(path, "rb").read())
    name = member.encode()
    i = 0
    while True:
        i = data.find(b"PK\x03\x04", i)
        if i < 0:
            break
        n = int.from_bytes(data[i + 26:i + 28], "little")
        if data[i + 30:i + 30 + n] == name:
            data[i + 22:i + 26] = size.to_bytes(4, "little")
        i += 4
    i = 0
    while True:
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            break
        n = int.from_bytes(data[i + 28:i + 30], "little")
        if data[i + 46:i + 46 + n] == name:
            data[i + 24:i + 28] = size.to_bytes(4, "little")
        i += 4
    open(path, "wb").write(bytes(data))


def refused(r, name, path, code, bound, extra=(), stdin=None, rss=True):
    rc, out, err, took, peak = dump(r, path, extra, bound, stdin)
    codes = code if isinstance(code, tuple) else (code,)
    ok = rc == 1 and any("[%s]" % c in err for c in codes) and not out
    code = " or ".join(codes)
    detail = "rc=%s %.1f s %.0f MiB\n%s" % (rc, took, peak, err[-1500:])
    r.check("tables %s refused with %s within %d s" % (name, code, bound), ok,
            detail)
    if rss and limited(r):
        r.check("tables %s peak RSS below %d MiB (%.0f MiB)" % (
            name, RSS_MAX_MIB, peak), peak < RSS_MAX_MIB, detail)
    return err


def bomb_honest(path):
    def chunks():
        yield b"<worksheet %s><sheetData>" % NS.encode()
        blob = b"<x>" + b" " * 4089 + b"</x>"
        for _ in range(300 * 256):  # 300 MiB
            yield blob
        yield b"</sheetData></worksheet>"
    xlsx(path, chunks())


def million_rows(path):
    def chunks():
        yield (b'<worksheet %s><sheetData><row r="1"><c r="A1" '
               b't="inlineStr"><is><t>ten</t></is></c></row>' % NS.encode())
        rows = []
        for i in range(2, 1000002):
            rows.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' %
                        (i, i, i))
            if len(rows) == 10000:
                yield b"".join(rows)
                rows = []
        yield b"".join(rows)
        yield b"</sheetData></worksheet>"
    xlsx(path, chunks())


def long_line_through_pipe(r):
    """A generator writes a header then 500 MB without a line end into a
    pipe; the reader must stop at its line limit."""
    gen = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nw = sys.stdout.buffer\nw.write(b'a,b\\n')\n"
         "c = b'x' * (1 << 20)\ntry:\n    for i in range(500):\n"
         "        w.write(c)\nexcept (BrokenPipeError, OSError):\n    pass\n"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    err = refused(r, "CSV with a 500 MB line through a pipe", "-", "B012", 10,
                  stdin=gen.stdout)
    gen.stdout.close()
    gen.kill()
    gen.wait()
    r.check("tables 500 MB line: the row is named",
            "-: dòng 2: lỗi[B012]: dòng dài quá 1048576 byte" in err, err)


CSV_VI = (
    "Tên mô hình,Đơn vị,Ngày công nhận,Số tiền\r\n"
    "Dân vận khéo trong xây dựng nông thôn mới,\"UBND xã A, huyện B\","
    "2023-02-05,12\r\n"
    "\"Mô hình \"\"Nhà sạch, vườn đẹp\"\"\",Hội Phụ nữ,2024-12-31,1.5\r\n"
    "Tuyến đường hoa,Chi hội Cựu chiến binh,1999-01-09,1000000\r\n"
)
LABELS = ("Tên mô hình=ten-mo-hinh;Đơn vị=don-vi;"
          "Ngày công nhận=ngay-cong-nhan;Số tiền=so-tien")
WANT_VI = [
    "cols: ten-mo-hinh,don-vi,ngay-cong-nhan,so-tien",
    "row 2: ten-mo-hinh=Dân vận khéo trong xây dựng nông thôn mới|"
    "don-vi=UBND xã A, huyện B|ngay-cong-nhan=2023-02-05|so-tien=12",
    "row 3: ten-mo-hinh=Mô hình \"Nhà sạch, vườn đẹp\"|don-vi=Hội Phụ nữ|"
    "ngay-cong-nhan=2024-12-31|so-tien=1.5",
    "row 4: ten-mo-hinh=Tuyến đường hoa|don-vi=Chi hội Cựu chiến binh|"
    "ngay-cong-nhan=1999-01-09|so-tien=1000000",
]


def libreoffice(r, work):
    """A CSV converted by LibreOffice into XLSX reads back the same rows:
    shared strings, numbers, and the ISO dates it types as dates."""
    if not shutil.which("soffice"):
        r.check("tables LibreOffice present (soffice)", False,
                "libreoffice-calc-nogui is in DEB_TEST")
        return
    src = os.path.join(work, "lo.csv")
    open(src, "w", encoding="utf-8").write(CSV_VI)
    home = os.path.join(work, "lo-home")
    os.makedirs(home, exist_ok=True)
    p = subprocess.run(["soffice", "--headless", "--norestore",
                        "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx",
                        "--outdir", work, src],
                       capture_output=True, text=True, timeout=180,
                       env=dict(os.environ, HOME=home))
    out = os.path.join(work, "lo.xlsx")
    if not r.check("tables LibreOffice converts the CSV to XLSX",
                   os.path.exists(out), p.stdout + p.stderr):
        return
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    r.check("tables LibreOffice typed the dates as dates (numbers, not text)",
            "<v>44962</v>" in sheet, sheet[:1500])
    rc, o, e, _, _ = dump(r, out, ["--labels", LABELS])
    r.check("tables LibreOffice's XLSX reads back every cell exactly",
            rc == 0 and o.splitlines() == WANT_VI, "rc=%s\n%s\n%s" % (rc, o,
                                                                       e))
    rc, o2, e, _, _ = dump(r, src, ["--labels", LABELS])
    r.check("tables the CSV itself gives the same rows",
            rc == 0 and o2.splitlines() == WANT_VI, "rc=%s\n%s\n%s" % (rc, o2,
                                                                        e))


def list_messages():
    """(id, Vietnamese format) of the list codes in engine/diag.c."""
    src = open(os.path.join(HERE, "..", "..", "engine", "diag.c"),
               encoding="utf-8").read()
    lit = r'((?:"(?:[^"\\]|\\.)*"\s*)+)'
    out = []
    for m in re.finditer(r'\{VB_C_TAB_\w+,\s*"(B\d+)",\s*\w+,\s*' + lit +
                         r',\s*' + lit + r'\}', src):
        vi = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
        out.append((m.group(1), vi.replace('\\"', '"')))
    return out


def docs(r):
    """docs/lists.md lists every code with its message as users see it."""
    doc = open(os.path.join(HERE, "..", "..", "docs", "lists.md"),
               encoding="utf-8").read()
    msgs = list_messages()
    r.check("tables docs/lists.md: the list codes found in diag.c",
            len(msgs) >= 32, "%d" % len(msgs))
    for code, vi in msgs:
        row = next((l for l in doc.splitlines()
                    if l.startswith("| %s |" % code)), "")
        parts = [p for p in vi.split("%s") if len(p.strip()) > 2]
        missing = [p for p in parts if p.strip() not in row]
        r.check("tables docs/lists.md shows %s with its message" % code,
                row and not missing, "missing %r in %r" % (missing, row))


def run(r):
    docs(r)
    work = tempfile.mkdtemp(prefix="tables-", dir=r.tmp)
    try:
        run_cases(r, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_cases(r, work):
    exe = os.path.join(r.build, "tests", "test_table")
    if not r.check("tables test_table built", os.access(exe, os.X_OK), exe):
        return
    # a clean file, messages in English, a sheet by name
    path = os.path.join(work, "ds.xlsx")
    xlsx(path, '<worksheet %s><sheetData><row r="1"><c r="A1" t="s"><v>0</v>'
               '</c><c r="B1" t="s"><v>1</v></c></row><row r="17"><c r="A17" '
               't="s"><v>2</v></c><c r="B17" t="inlineStr"><is><t>x_x0001_</t>'
               '</is></c></row></sheetData></worksheet>' % NS,
         strings='<sst %s><si><t>Tên mô hình</t></si><si><t>Đơn vị</t></si>'
                 '<si><t>A</t></si></sst>' % NS)
    rc, o, e, _, _ = dump(r, path, ["--labels", LABELS])
    r.check("tables the message names the file, the row and the field",
            rc == 1 and "ds.xlsx: dòng 17, cột don-vi: lỗi[B005]: ô có ký tự "
            "điều khiển U+0001" in e and not o, e)
    rc, o, e, _, _ = dump(r, path, ["--labels", LABELS, "--lang", "en"])
    r.check("tables --lang en: the same message in English only",
            rc == 1 and "ds.xlsx: row 17, column don-vi: error[B005]: the "
            "cell holds the control character U+0001" in e and "dòng" not in
            e, e)
    rc, o, e, _, _ = dump(r, path, ["--sheet", "Trang khác"])
    r.check("tables a missing sheet lists the sheets there are",
            rc == 1 and 'không có trang tính "Trang khác"; các trang tính: '
            '"DS"' in e, e)
    libreoffice(r, work)
    # CSV streamed from a file: 100,000 rows of 10 fields in time
    path = os.path.join(work, "big.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join("cot-%d" % i for i in range(10)) + "\n")
        row = ",".join(["Nguyễn Văn Bình"] * 10) + "\n"
        f.write(row * 100000)
    rc, o, e, took, peak = dump(r, path, bound=20)
    r.check("tables 100,000 rows x 10 fields read (%.1f s, %.0f MiB)" % (
        took, peak), rc == 0 and o.count("\nrow ") == 100000 and
        o.rstrip().endswith("cot-9=Nguyễn Văn Bình"), e[-500:])
    os.unlink(path)
    # hostile
    long_line_through_pipe(r)
    path = os.path.join(work, "sparse.csv")
    with open(path, "wb") as f:
        f.write(b"a,b\n")
        f.truncate(500 * MIB)
    refused(r, "sparse 500 MB CSV", path, "B008", 5)
    os.unlink(path)
    path = os.path.join(work, "bomb.xlsx")
    bomb_honest(path)
    r.check("tables zip bomb is small on disk (%d KB)" % (
        os.path.getsize(path) // 1024), os.path.getsize(path) < 2 * MIB)
    refused(r, "XLSX zip bomb (300 MiB sheet)", path, "B016", 10)
    patch_sizes(path, "xl/worksheets/sheet1.xml", 1000)
    refused(r, "XLSX zip bomb lying about its size", path, ("B016", "B014"),
            20)
    os.unlink(path)
    path = os.path.join(work, "million.xlsx")
    million_rows(path)
    err = refused(r, "sheet of 1,000,000 rows", path, "B009", 20)
    r.check("tables 1,000,000 rows: stopped at the first row past the limit",
            "dòng 100002: lỗi[B009]" in err, err)
    os.unlink(path)
    path = os.path.join(work, "parts.xlsx")
    xlsx(path, '<worksheet %s/>' % NS,
         extra=[("x/%d.xml" % i, "") for i in range(20000)],
         compress=zipfile.ZIP_STORED)
    refused(r, "XLSX of 20,000 parts", path, "B015", 10)
    os.unlink(path)
    path = os.path.join(work, "laughs.xlsx")
    xlsx(path, '<worksheet %s><sheetData><row><c t="s"><v>0</v></c></row>'
               '</sheetData></worksheet>' % NS,
         strings='<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaa">'
                 + "".join('<!ENTITY %s "%s">' % (chr(98 + i),
                                                  ("&%s;" % chr(97 + i)) * 10)
                           for i in range(9)) +
                 ']><sst %s><si><t>&j;</t></si></sst>' % NS)
    refused(r, "billion laughs in the shared strings", path, "B019", 5)
    # the same in UTF-16, which the DOCTYPE scan cannot see: parts are read
    # as UTF-8 only, so it is malformed before any entity is declared
    xlsx(path, '<worksheet %s><sheetData><row><c t="s"><v>0</v></c></row>'
               '</sheetData></worksheet>' % NS,
         strings=('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE sst ['
                  '<!ENTITY a "aaaaaaaa">' + "".join(
                      '<!ENTITY %s "%s">' % (chr(98 + i),
                                             ("&%s;" % chr(97 + i)) * 10)
                      for i in range(9)) +
                  ']><sst %s><si><t>&j;</t></si></sst>' % NS
                  ).encode("utf-16"))
    refused(r, "billion laughs in UTF-16", path, ("B018", "B019"), 5)
    os.unlink(path)
    # 65,536 number formats and cell formats, 100,000 date cells: the
    # formats are resolved once, not searched per cell
    path = os.path.join(work, "styles.xlsx")
    styles = ('<styleSheet %s><numFmts>' % NS + "".join(
        '<numFmt numFmtId="%d" formatCode="0.00"/>' % (200 + i)
        for i in range(65535)) + '<numFmt numFmtId="70000" formatCode='
        '"dd/mm/yyyy"/></numFmts><cellXfs>' + '<xf numFmtId="0"/>' * 65535 +
        '<xf numFmtId="70000"/></cellXfs></styleSheet>')
    rows = "".join('<row r="%d"><c r="A%d" s="65535"><v>45000</v></c></row>'
                   % (i, i) for i in range(2, 100002))
    xlsx(path, '<worksheet %s><sheetData><row r="1"><c r="A1" t="inlineStr">'
               '<is><t>ngay</t></is></c></row>%s</sheetData></worksheet>' % (
                   NS, rows), styles=styles)
    rc, o, e, took, _ = dump(r, path, bound=15)
    r.check("tables 65,536 formats x 100,000 date cells in time (%.1f s)" %
            took, rc == 0 and o.count("ngay=2023-03-15") == 100000, e[-500:])
    os.unlink(path)
    path = os.path.join(work, "old.xls")
    open(path, "wb").write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 504)
    refused(r, "Excel 97-2003 file", path, "B001", 5)
