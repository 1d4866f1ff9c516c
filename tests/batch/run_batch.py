"""tests/batch/run_batch.py - `vanban batch`: certificates from lists.

Section "batch" of tests/run.py. A 1,000-row list from
examples/batch/make_list.py is printed into one PDF and into 1,000 DOCX;
every field of every certificate must come back exactly (pdftotext -raw,
the DOCX's text); the longest names stay inside the border (word boxes of
pdftotext -bbox, the layout dump); bad rows are named by row and column and
nothing is written; names from values are safe; hostile lists are refused
through `vanban batch` in seconds with memory bounded.
"""
import os
import re
import subprocess
import sys
import time
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.path.insert(0, os.path.join(ROOT, "examples", "batch"))
sys.path.insert(0, os.path.join(ROOT, "tests", "hostile"))
import make_list  # noqa: E402
import run_tables  # noqa: E402

KIND = "giay-chung-nhan"
LABEL = {"kinh tế": "Phát triển kinh tế", "VH-XH": "Văn hóa - xã hội",
         "QP-AN": "Quốc phòng - an ninh",
         "HTCT": "Xây dựng hệ thống chính trị"}
# the border's inner frame: 10 mm from the edge, then 5 pt (render_pdf.c)
FRAME = 10 * 72 / 25.4 + 5.0


def nfc(s):
    return unicodedata.normalize("NFC", s)


def flat(s):
    return " ".join(nfc(s).split())


def words_date(iso):
    """NĐ 30 Phụ lục I, II.4.b: a zero before days below 10 and before
    months 1 and 2."""
    y, m, d = (int(x) for x in iso.split("-"))
    return "ngày %02d tháng %s năm %d" % (d, "%02d" % m if m < 3 else m, y)


def expected(row, hd36=False):
    """The texts a certificate of `row` must print, as pdftotext reads
    them (lines joined by spaces)."""
    so = int(row["so-quyet-dinh"])
    sym = ("Số %02d-QĐ/%s" if hd36 else "Số: %02d/QĐ-%s") % (so,
                                                            row["ky-hieu"])
    d, m, y = row["ngay"].split("/")
    signed = words_date("%s-%s-%s" % (y, m, d))
    title = "GIẤY KHEN" if row["loai"] == "giay-khen" else "GIẤY CHỨNG NHẬN"
    return [
        "ĐẢNG CỘNG SẢN VIỆT NAM" if hd36 else
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        row["co-quan-chu-quan"].upper(), row["co-quan"].upper(), title,
        "Mô hình “%s”" % row["ten-mo-hinh"], "của %s" % row["chu-the"],
        "Đơn vị: %s" % row["don-vi"],
        "Lĩnh vực: %s" % LABEL[row["linh-vuc"]],
        "Đạt mô hình “Dân vận khéo” năm %s" % row["nam"], sym,
        words_date(row["ngay-quyet-dinh"]),
        "%s, %s" % (row["dia-danh"], signed),
        row["quyen-han"].upper(), row["chuc-vu"].upper(), row["nguoi-ky"]]


def missing(page, row, hd36=False):
    text = flat(page)
    return [e for e in expected(row, hd36) if flat(e) not in text]


def docx_text(data):
    """Paragraph texts of a DOCX, joined by spaces."""
    with zipfile.ZipFile(data) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    paras = []
    xml = xml.replace("<w:noBreakHyphen/>", "<w:t>-</w:t>")
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
        t = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
        paras.append(t.replace("&amp;", "&").replace("&lt;", "<")
                     .replace("&gt;", ">").replace("&quot;", '"'))
    return " ".join(paras)


def run(r):
    work = os.path.join(r.tmp, "batch")
    os.makedirs(work, exist_ok=True)
    rows = list(make_list.rows(1000))
    lst = os.path.join(work, "danh-sach.csv")
    make_list.write(lst, rows)
    whole(r, work, lst, rows)
    split(r, work, lst, rows)
    labels_xlsx(r, work, rows)
    bad_rows(r, work, rows)
    names(r, work, rows)
    too_long(r, work, rows)
    decision(r, work)
    overlay(r, work, rows)
    hostile(r, work)


def whole(r, work, lst, rows):
    out = os.path.join(work, "gcn.pdf")
    start = time.time()
    rc, o, e = r.run(["batch", KIND, lst, "-o", out])
    took = time.time() - start
    r.check("batch 1,000 certificates into one PDF (%.2f s)" % took,
            rc == 0 and os.path.exists(out), e[-800:])
    r.check("batch summary line names the records",
            "1000 bản ghi hợp lệ, 0 lỗi, 1 tệp đã ghi" in e, e[-300:])
    r.check("batch no progress bar when stderr is not a terminal",
            "\r" not in e and "[#" not in e, e[-300:])
    tty_progress(r, lst, work)
    if rc:
        return
    info = subprocess.run(["pdfinfo", out], capture_output=True,
                          text=True).stdout
    r.check("batch one page per certificate, A4 landscape",
            re.search(r"Pages:\s+1000\b", info) and
            re.search(r"Page size:\s+841.9 x 595.3 pts \(A4\)", info),
            info)
    fonts = subprocess.run(["pdffonts", out], capture_output=True,
                           text=True).stdout
    r.check("batch fonts embedded once, two faces, subset",
            len([l for l in fonts.splitlines() if "CID TrueType" in l]) == 2
            and fonts.count(" yes yes yes") == 2, fonts)
    text = subprocess.run(["pdftotext", "-raw", out, "-"],
                          capture_output=True).stdout.decode("utf-8")
    pages = text.split("\f")
    bad = [(i + 1, m) for i, (p, row) in enumerate(zip(pages, rows))
           if (m := missing(p, row))]
    r.check("batch every field of every page from pdftotext -raw (1,000)",
            len(pages) >= 1000 and not bad, repr(bad[:3]))
    bbox(r, out, [97, 89, 194, 178, 1])
    # the longest names, and the layout dump: nothing left of the frame
    png = os.path.join(work, "longest")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "97", "-l", "97",
                    out, png], check=False)
    r.check("batch PNG of the longest name made (look at it)",
            os.path.exists(png + "-0097.png"))


def tty_progress(r, lst, work):
    """On a terminal: a bar with rows, rate and time left."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen([r.vanban, "batch", KIND, lst, "-o",
                          os.path.join(work, "tty.pdf")],
                         stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:
            break
        if not b:
            break
        chunks.append(b)
    p.wait()
    os.close(master)
    e = b"".join(chunks).decode("utf-8", "replace")
    r.check("batch progress bar on a terminal: rows, rate, time left",
            p.returncode == 0 and "1000/1000" in e and "/giây" in e and
            "còn" in e and "[####" in e, e[-400:])


def bbox(r, pdf, pages):
    """Every word of those pages inside the border's inner frame."""
    for pg in pages:
        p = subprocess.run(["pdftotext", "-bbox", "-f", str(pg), "-l",
                            str(pg), pdf, "-"], capture_output=True,
                           text=True)
        m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', p.stdout)
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                           r'xMax="([\d.]+)" yMax="([\d.]+)">', p.stdout)
        if not m or not words:
            r.check("batch page %d word boxes" % pg, False, p.stdout[:300])
            continue
        w, h = float(m.group(1)), float(m.group(2))
        out = [b for b in words
               if float(b[0]) < FRAME or float(b[2]) > w - FRAME or
               float(b[1]) < FRAME or float(b[3]) > h - FRAME]
        r.check("batch page %d: %d words inside the border" % (pg,
                                                              len(words)),
                not out, repr(out[:5]))


def split(r, work, lst, rows):
    d = os.path.join(work, "docx")
    start = time.time()
    rc, o, e = r.run(["batch", KIND, lst, "--split", d, "--format", "docx",
                      "--jobs", "2"])
    took = time.time() - start
    files = sorted(os.listdir(d)) if os.path.isdir(d) else []
    r.check("batch 1,000 DOCX, one per row (%.2f s)" % took,
            rc == 0 and len(files) == 1000, e[-500:])
    bad = []
    for i, row in enumerate(rows):
        name = make_list_name(row) + ".docx"
        path = os.path.join(d, name)
        if not os.path.exists(path):
            bad.append((i + 2, "no file " + name))
            continue
        m = missing(docx_text(path), row)
        if m:
            bad.append((i + 2, m))
    r.check("batch every field of every DOCX from its text (1,000)", not bad,
            repr(bad[:3]))
    with zipfile.ZipFile(os.path.join(d, files[0])) as z:
        doc = z.read("word/document.xml").decode()
    r.check("batch DOCX: A4 landscape with a page border",
            'w:orient="landscape"' in doc and "<w:pgBorders" in doc,
            doc[-600:])
    # one PDF per row, both cores: sizes, and a sample read back
    p = os.path.join(work, "pdf")
    rc, o, e = r.run(["batch", KIND, lst, "--split", p, "--jobs", "2"])
    files = sorted(os.listdir(p)) if os.path.isdir(p) else []
    sizes = [os.path.getsize(os.path.join(p, f)) for f in files]
    r.check("batch 1,000 separate PDFs, each at most 30 KB (largest %d)" %
            max(sizes or [0]),
            rc == 0 and len(files) == 1000 and max(sizes) <= 30 * 1024,
            e[-300:])
    bad = []
    for i in range(0, 1000, 50):
        f = os.path.join(p, make_list_name(rows[i]) + ".pdf")
        t = subprocess.run(["pdftotext", "-raw", f, "-"],
                           capture_output=True).stdout.decode("utf-8")
        if missing(t, rows[i]):
            bad.append((i, missing(t, rows[i])))
    r.check("batch separate PDFs read back (every 50th)", not bad,
            repr(bad[:2]))
    # again without --force: refused, nothing changed
    before = os.path.getmtime(os.path.join(p, files[0]))
    rc, o, e = r.run(["batch", KIND, lst, "--split", p])
    r.check("batch existing files not overwritten without --force (B050)",
            rc == 1 and "[B050]" in e and
            os.path.getmtime(os.path.join(p, files[0])) == before, e[-300:])
    small = os.path.join(work, "small.csv")
    make_list.write(small, rows[:3])
    rc, o, e = r.run(["batch", KIND, small, "--split", p, "--force"])
    r.check("batch --force overwrites", rc == 0 and
            os.path.getmtime(os.path.join(p, files[0])) != before, e[-300:])


def make_list_name(row):
    """The safe name vanban gives a row's ten-tep: spaces become -, at
    most 120 bytes cut between characters, no - or . at the end."""
    out, n = "", 0
    for ch in "-".join(row["ten-tep"].split()):
        k = len(ch.encode("utf-8"))
        if n + k > 120:
            break
        out += ch
        n += k
    return out.rstrip("-.")


def labels_xlsx(r, work, rows):
    x = os.path.join(work, "nhan.xlsx")
    make_list.write(x, rows[:20], labels=True)
    out = os.path.join(work, "nhan.pdf")
    rc, o, e = r.run(["batch", KIND, x, "--sheet", "Danh sách", "-o", out])
    text = subprocess.run(["pdftotext", "-raw", out, "-"],
                          capture_output=True).stdout.decode("utf-8") \
        if rc == 0 else ""
    pages = text.split("\f")
    r.check("batch XLSX with the Vietnamese labels as headers, --sheet",
            rc == 0 and not any(missing(p, row)
                                for p, row in zip(pages, rows[:20])),
            e[-500:])
    rc, o, e = r.run(["batch", KIND, x, "--sheet", "Không có", "-o", out])
    r.check("batch --sheet of a missing sheet refused (B020)",
            rc == 1 and "[B020]" in e, e[-300:])
    x = os.path.join(work, "hd36.csv")
    party = list(make_list.rows(5, 7, hd36=True))
    make_list.write(x, party)
    out = os.path.join(work, "hd36.pdf")
    rc, o, e = r.run(["batch", KIND, x, "--the-thuc", "hd36", "-o", out])
    text = subprocess.run(["pdftotext", "-raw", out, "-"],
                          capture_output=True).stdout.decode("utf-8") \
        if rc == 0 else ""
    r.check("batch Party profile: ĐẢNG CỘNG SẢN VIỆT NAM, Số 15-QĐ/BDVHU",
            rc == 0 and not any(missing(p, row, hd36=True)
                                for p, row in zip(text.split("\f"), party)),
            e[-300:] + text[:400])


def bad_rows(r, work, rows):
    bad = [dict(x) for x in rows[:6]]
    bad[1]["ten-mo-hinh"] = ""
    bad[3]["ngay"] = "31/02/2024"
    bad[4]["linh-vuc"] = "thể thao"
    lst = os.path.join(work, "bad.csv")
    make_list.write(lst, bad)
    out = os.path.join(work, "bad.pdf")
    d = os.path.join(work, "bad-out")
    rc, o, e = r.run(["batch", KIND, lst, "-o", out])
    r.check("batch bad rows named by row and column",
            rc == 1 and "bad.csv: dòng 3, cột ten-mo-hinh: lỗi[V00" in e and
            "dòng 5, cột ngay: lỗi" in e and "dòng 6, cột linh-vuc: lỗi" in e,
            e[-800:])
    r.check("batch a bad row: nothing written", not os.path.exists(out), e)
    rc, o, e = r.run(["batch", KIND, lst, "--split", d, "--format",
                      "pdf,docx"])
    r.check("batch a bad row: no file in --split",
            rc == 1 and not (os.path.isdir(d) and os.listdir(d)), e[-300:])
    rc, o, e = r.run(["batch", KIND, lst, "--check"])
    r.check("batch --check lists the bad rows, writes nothing",
            rc == 1 and "dòng 3" in e and "3 bản ghi hợp lệ, 3 lỗi" in e,
            e[-300:])
    rc, o, e = r.run(["batch", KIND, lst, "--check", "--lang", "en"])
    r.check("batch --lang en: English only",
            "row 3, column ten-mo-hinh: error[V00" in e and "dòng" not in e,
            e[-500:])
    good = os.path.join(work, "good.csv")
    make_list.write(good, rows[:4])
    rc, o, e = r.run(["batch", KIND, good, "--check"])
    r.check("batch --check of a good list: 0, nothing written",
            rc == 0 and "4 bản ghi hợp lệ, 0 lỗi, 0 tệp" in e, e[-300:])
    rc, o, e = r.run(["batch", KIND, lst, "-o", out, "--keep-going"])
    pages = subprocess.run(["pdfinfo", out], capture_output=True,
                           text=True).stdout if os.path.exists(out) else ""
    r.check("batch --keep-going prints the valid rows, lists the others",
            rc == 1 and re.search(r"Pages:\s+3\b", pages) and "dòng 5" in e,
            e[-300:] + pages)


def names(r, work, rows):
    rs = [dict(x) for x in rows[:6]]
    rs[0]["ten-tep"] = "../../x"
    rs[1]["ten-tep"] = "/etc/passwd"
    rs[2]["ten-tep"] = "a<b>|c"
    rs[3]["ten-tep"] = "X"
    rs[4]["ten-tep"] = "x"
    rs[5]["ten-tep"] = ".."
    lst = os.path.join(work, "names.csv")
    make_list.write(lst, rs)
    d = os.path.join(work, "names", "out")
    os.makedirs(d)
    rc, o, e = r.run(["batch", KIND, lst, "--split", d])
    files = sorted(os.listdir(d))
    r.check("batch unsafe names made safe, no collisions, all inside",
            rc == 0 and files == sorted(["x.pdf", "etc-passwd.pdf",
                                         "a-b-c.pdf", "X-2.pdf", "x-3.pdf",
                                         "giay-chung-nhan-dong-7.pdf"]) and
            os.listdir(os.path.join(work, "names")) == ["out"] and
            not os.path.exists(os.path.join(work, "x.pdf")), repr(files) + e)
    # a symbolic link in the folder is never written through
    d2 = os.path.join(work, "names2")
    os.makedirs(d2)
    target = os.path.join(work, "victim")
    open(target, "w").write("keep")
    os.symlink(target, os.path.join(d2, "x.pdf"))
    rc, o, e = r.run(["batch", KIND, lst, "--split", d2, "--force"])
    r.check("batch --force replaces a symbolic link, not its target",
            open(target).read() == "keep" and
            not os.path.islink(os.path.join(d2, "x.pdf")), e[-300:])


def too_long(r, work, rows):
    rs = [dict(rows[0])]
    rs[0]["ten-mo-hinh"] = " ".join(["Chung sức đồng lòng xây dựng"] * 9)
    lst = os.path.join(work, "long.csv")
    make_list.write(lst, rs)
    rc, o, e = r.run(["batch", KIND, lst, "-o",
                      os.path.join(work, "long.pdf")])
    r.check("batch a name too long even shrunk: V130 at its row and column",
            rc == 1 and "dòng 2, cột ten-mo-hinh: lỗi[V130]" in e, e[-400:])
    # the layout dump of the longest name of the example: shrunk, inside
    row = rows[96]
    xml = ['<van-ban mau="giay-chung-nhan">']
    for k in make_list.FIELDS:
        if k != "ten-tep":
            v = row[k].replace("&", "&amp;").replace("<", "&lt;")
            xml.append("<%s>%s</%s>" % (k, v, k))
    xml.append("</van-ban>")
    rc, o, e = r.run(["render", "-", "--format", "layout", "-o", "-"],
                     stdin="\n".join(xml).encode())
    lines = o.decode("utf-8").splitlines()
    model = [l for l in lines if " B " in l and ("Mô hình" in l or
                                                 "kinh tế hộ" in l)]
    xs = [float(l.split()[1]) for l in lines if not l.split()[1] == "rule"]
    r.check("batch layout dump: longest name on 2 lines, shrunk, inside",
            rc == 0 and len(model) == 2 and
            all(float(l.split()[4]) < 20 for l in model) and
            min(xs) > FRAME, "\n".join(lines[:12]) + e)


def decision(r, work):
    src = os.path.join(ROOT, "examples", "batch", "quyet-dinh-cong-nhan.xml")
    out = os.path.join(work, "from.pdf")
    rc, o, e = r.run(["batch", KIND, "--from", src, "-o", out])
    text = subprocess.run(["pdftotext", "-raw", out, "-"],
                          capture_output=True).stdout.decode("utf-8") \
        if rc == 0 else ""
    pages = [flat(p) for p in text.split("\f") if p.strip()]
    r.check("batch --from a decision: its rows, number and date",
            rc == 0 and len(pages) == 2 and
            all("Số: 15/QĐ-UBND ngày 20 tháng 12 năm 2024" in p
                for p in pages) and "Đường hoa kiểu mẫu" in pages[0] and
            "GIẤY KHEN" in pages[1] and "Nguyễn Văn An" in pages[1],
            e[-300:] + repr(pages[:1]))
    empty = os.path.join(work, "qd-empty.xml")
    open(empty, "w").write('<van-ban mau="quyet-dinh-cong-nhan"><so>3</so>'
                           '</van-ban>')
    rc, o, e = r.run(["batch", KIND, "--from", empty, "-o", out + "2"])
    r.check("batch --from a decision without <danh-sach>: B051",
            rc == 1 and "[B051]" in e and not os.path.exists(out + "2"), e)


def overlay(r, work, rows):
    lst = os.path.join(work, "ov.csv")
    make_list.write(lst, rows[:2])
    out = os.path.join(work, "ov.pdf")
    rc, o, e = r.run(["batch", KIND, lst, "--overlay", "--offset", "3,2",
                      "-o", out])
    text = subprocess.run(["pdftotext", "-raw", out, "-"],
                          capture_output=True).stdout.decode("utf-8") \
        if rc == 0 else ""
    p = flat(text.split("\f")[0])
    r.check("batch --overlay: the values, no fixed text",
            rc == 0 and rows[0]["chu-the"] in p and
            rows[0]["ten-mo-hinh"] in p and "GIẤY" not in p and
            "Lĩnh vực" not in p and "CỘNG HÒA" not in p, p)
    full = os.path.join(work, "ov-full.pdf")
    r.run(["batch", KIND, lst, "-o", full])
    def pos(pdf, word):
        b = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", pdf,
                            "-"], capture_output=True, text=True).stdout
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>%s<' %
                      re.escape(word), b)
        return (float(m.group(1)), float(m.group(2))) if m else None
    a, b = pos(full, rows[0]["nguoi-ky"].split()[0]), \
        pos(out, rows[0]["nguoi-ky"].split()[0])
    mm = 72 / 25.4
    r.check("batch --overlay: at the template's positions, shifted 3,2 mm",
            a and b and abs(b[0] - a[0] - 3 * mm) < 0.2 and
            abs(b[1] - a[1] - 2 * mm) < 0.2, "%r %r" % (a, b))
    r.check("batch --overlay with docx refused (usage)",
            r.run(["batch", KIND, lst, "--overlay", "--split", work,
                   "--format", "docx"])[0] == 2)
    rc, o, e = r.run(["batch", KIND, lst, "--kho", "A3", "-o", out])
    info = subprocess.run(["pdfinfo", out], capture_output=True,
                          text=True).stdout
    r.check("batch --kho A3", rc == 0 and "(A3)" in info, info)


def run_bounded(r, cmd, bound, stdin=None):
    """cmd under the reader tests' memory cap and time bound; returns (rc,
    err, seconds, peak RSS in MiB). rc None: killed at the bound."""
    rc, _, e, took, peak = run_tables.bounded(r, cmd, bound, stdin)
    return rc, e, took, peak


def hostile(r, work):
    """The list reader's limits, through `vanban batch`."""
    def refused(name, path, code, bound, stdin=None):
        out = os.path.join(work, "h.pdf")
        cmd = [r.vanban, "batch", KIND, path, "-o", out]
        rc, e, took, peak = run_bounded(r, cmd, bound, stdin)
        r.check("batch %s refused with %s within %d s (%.1f s)" % (
            name, code, bound, took),
            rc == 1 and "[%s]" % code in e and not os.path.exists(out),
            e[-400:])
        if run_tables.limited(r):
            r.check("batch %s: peak RSS below %d MiB (%.0f MiB)" % (
                name, run_tables.RSS_MAX_MIB, peak),
                peak < run_tables.RSS_MAX_MIB)
        return e
    bomb = os.path.join(work, "bomb.xlsx")
    run_tables.bomb_honest(bomb)
    refused("XLSX zip bomb", bomb, "B016", 10)
    os.unlink(bomb)
    rows = os.path.join(work, "million.xlsx")
    run_tables.million_rows(rows)
    refused("a sheet of 1,000,000 rows", rows, "B009", 20)
    os.unlink(rows)
    gen = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nw = sys.stdout.buffer\nw.write(b'a,b\\n')\n"
         "c = b'x' * (1 << 20)\ntry:\n    for i in range(500):\n"
         "        w.write(c)\nexcept (BrokenPipeError, OSError):\n    pass\n"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    e = refused("CSV with a 500 MB line (pipe)", "-", "B012", 10,
                stdin=gen.stdout)
    gen.stdout.close()
    gen.kill()
    gen.wait()
    r.check("batch 500 MB line: the row is named", "-: dòng 2" in e, e)
