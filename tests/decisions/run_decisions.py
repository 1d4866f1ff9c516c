"""tests/decisions/run_decisions.py - section "decisions" of tests/run.py:
the Quyết định templates, tables whose header row repeats on every page,
lists read from CSV/XLSX files, and `vanban register print`.

Every test renders with the built binary into r.tmp and reads the result
back: pdftotext for the text, the layout dump for pages and rows,
word/document.xml for the DOCX's table properties, LibreOffice for the page
count of the DOCX (tests/fidelity.py)."""
import os
import re
import shutil
import subprocess
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
EX = os.path.join(ROOT, "examples")
KINDS = ["kinh tế", "VH-XH", "QP-AN", "HTCT"]


def models(n):
    """n models, the i-th named so that every row can be found again."""
    return "\n".join(
        "<mo-hinh><ten>Mô hình số %d: vận động nhân dân thôn %d</ten>"
        "<thuc-hien>Chi bộ thôn %d</thuc-hien><linh-vuc>%s</linh-vuc>"
        "<dia-chi>Xã Yên Phú %d</dia-chi>%s</mo-hinh>"
        % (i, i, i, KINDS[i % 4], i,
           "<ghi-chu>Cá nhân</ghi-chu>" if i % 7 == 0 else "")
        for i in range(1, n + 1))


def decision(danh_sach):
    """The state example with its <danh-sach> replaced."""
    src = open(os.path.join(EX, "quyet-dinh-cong-nhan-ubnd-xa.xml"),
               encoding="utf-8").read()
    return re.sub(r"<danh-sach>.*</danh-sach>", lambda m: danh_sach, src,
                  flags=re.S)


def pdf_pages(pdf):
    p = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                       capture_output=True)
    return p.stdout.decode("utf-8").split("\f")[:-1]


def page_size(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True,
                         text=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", out)
    return (float(m.group(1)), float(m.group(2))) if m else (0, 0)


def document_xml(docx):
    with zipfile.ZipFile(docx) as z:
        return z.read("word/document.xml").decode("utf-8")


def lo_pages(r, docx, out):
    """Page count of LibreOffice's PDF of the DOCX, and its pages."""
    import fidelity as fid
    got = fid.lo_convert_all([docx], out)
    if docx not in got:
        return 0, []
    pages = pdf_pages(got[docx])
    return len(pages), pages


def rows_of_layout(layout, n, first, last):
    """For each i in 1..n, the pages the lines holding `first % i` and
    `last % i` are on (a row split over two pages shows two pages)."""
    where = {}
    for line in layout.splitlines():
        m = re.match(r"(\d+) [\d.]+ [\d.]+ \S+ [\d.]+ \|(.*)\|$", line)
        if not m:
            continue
        page, text = int(m.group(1)), m.group(2)
        for pat, key in ((first, 0), (last, 1)):
            mm = re.search(pat, text)
            if mm:
                where.setdefault(int(mm.group(1)), {})[key] = page
    return where


class Checker:
    """r with details of any type printed as text."""

    def __init__(self, r):
        self.r = r
        self.args = r.args
        self.build = r.build
        self.vanban = r.vanban
        self.tmp = r.tmp

    def check(self, name, ok, detail=""):
        return self.r.check(name, ok, detail if isinstance(detail, str)
                            else repr(detail))


def run(r):
    r = Checker(r)
    out = os.path.join(r.tmp, "decisions")
    os.makedirs(out, exist_ok=True)

    def vb(*args, cwd=None, timeout=300):
        p = subprocess.run([r.vanban] + list(args), capture_output=True,
                           cwd=cwd, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), \
            p.stderr.decode("utf-8", "replace")

    # --- the examples: structure of the decision and of its list ----------
    for name, number, sign, nhu in (
            ("quyet-dinh-cong-nhan-ubnd-xa", "Số: 15/QĐ-UBND",
             "TM. ỦY BAN NHÂN DÂN", "- Như Điều 3;"),
            ("quyet-dinh-cong-nhan-huyen-uy", "Số 15-QĐ/HU",
             "T/M BAN THƯỜNG VỤ", "- Như Điều 3,")):
        xml = os.path.join(EX, name + ".xml")
        pdf = os.path.join(out, name + ".pdf")
        rc, _, err = vb("render", xml, "--format", "pdf,tree,docx",
                        "--out-dir", out)
        if not r.check("decisions %s renders" % name, rc == 0, err):
            continue
        pages = pdf_pages(pdf)
        first = pages[0] if pages else ""
        r.check("decisions %s: number, QUYẾT ĐỊNH:, Điều 1-3, %s, "
                "%s on the first page" % (name, nhu, sign),
                number in first and "QUYẾT ĐỊNH:" in first and
                all("Điều %d." % k in first for k in (1, 2, 3)) and
                nhu in first and sign in first, first[:3000])
        lst = "\n".join(pages[1:])
        kem = ("(Kèm theo Quyết định số %s ngày" %
               number.split()[-1])
        r.check("decisions %s: the list on a new page, DANH SÁCH and %s" %
                (name, kem), len(pages) >= 2 and
                lst.lstrip("0123456789\n ").startswith("DANH SÁCH") and
                kem in lst.replace("\n", " ") and "DANH SÁCH" not in first,
                lst[:500])
        rows = re.findall(r"^(\d+) ", lst, re.M)
        r.check("decisions %s: TT numbers the rows 1..n (<stt/>)" % name,
                rows and [int(x) for x in rows] ==
                list(range(1, len(rows) + 1)), rows)
        tree = open(os.path.join(out, name + ".tree.txt"),
                    encoding="utf-8").read()
        r.check("decisions %s: one header row, a bordered table" % name,
                tree.count("row header") == 1 and
                re.search(r"table cols=6 .* borders", tree) is not None)
        doc = document_xml(os.path.join(out, name + ".docx"))
        r.check("decisions %s: DOCX header row w:tblHeader, rows "
                "w:cantSplit, cell margins" % name,
                doc.count("<w:tblHeader/>") == 1 and
                doc.count("<w:cantSplit/>") >= len(rows) + 1 and
                '<w:left w:w="85" w:type="dxa"/>' in doc, doc[:200])

    # --- Word forms: a kind printed by C parts has none (V112), no crash ---
    for kind, ex in (("quyet-dinh-cong-nhan", "quyet-dinh-cong-nhan-ubnd-xa"),
                     ("quyet-dinh-ban-hanh",
                      "quyet-dinh-ban-hanh-ke-hoach-huyen-uy"),
                     ("ke-hoach", "ke-hoach-bac-kan-2017")):
        f = os.path.join(out, kind + ".form.docx")
        rc, _, err = vb("form", kind, "--from",
                        os.path.join(EX, ex + ".xml"), "-o", f)
        r.check("decisions vanban form %s: V112, exit 1, no file" % kind,
                rc == 1 and "lỗi[V112]: mẫu %s chưa có bản để điền trong "
                "Word" % kind in err and not os.path.exists(f), err)
        rc, _, err = vb("form", kind, "-o", f)
        r.check("decisions vanban form %s without a draft: the profile is "
                "asked for, no crash" % kind, rc == 1 and
                "lỗi[V001]" in err and "the-thuc" in err and
                not os.path.exists(f), err)

    # --- 300 models: several pages, the header on each, no row split ------
    big = os.path.join(out, "qd-300.xml")
    open(big, "w", encoding="utf-8").write(decision(
        "<danh-sach><cua>Ủy ban nhân dân xã Yên Phú</cua>%s</danh-sach>" %
        models(300)))
    rc, _, err = vb("render", big, "--format", "pdf,docx,layout",
                    "--out-dir", out)
    if r.check("decisions 300 models render (PDF, DOCX, layout)", rc == 0,
               err):
        pdf = os.path.join(out, "qd-300.pdf")
        pages = pdf_pages(pdf)
        text = "\n".join(pages)
        list_pages = pages[1:]
        r.check("decisions 300 models: more than 10 pages of list (%d)" %
                len(list_pages), len(list_pages) > 10)
        heads = [p.count("TT Tên mô hình") for p in list_pages]
        r.check("decisions 300 models: the header row on every page of the "
                "list, once", heads and all(h == 1 for h in heads), heads)
        found = [int(x) for x in re.findall(r"Mô hình số (\d+):", text)]
        r.check("decisions 300 models: pdftotext gives back every row, in "
                "order", found == list(range(1, 301)), found[:20])
        thon = [int(x) for x in re.findall(r"Chi bộ thôn (\d+)", text)]
        r.check("decisions 300 models: every row's cells come back",
                thon == list(range(1, 301)))
        layout = open(os.path.join(out, "qd-300.layout.txt"),
                      encoding="utf-8").read()
        where = rows_of_layout(layout, 300, r"^Mô hình số (\d+):",
                               r"^Xã Yên Phú (\d+)$")
        split = [i for i in range(1, 301)
                 if len(set(where.get(i, {}).values())) != 1 or
                 len(where.get(i, {})) != 2]
        r.check("decisions 300 models: no row split over two pages", not
                split, split[:10])
        r.check("decisions 300 models: cell borders drawn (vrule)",
                layout.count(" vrule ") >= 300 * 7)
        doc = document_xml(os.path.join(out, "qd-300.docx"))
        r.check("decisions 300 models: DOCX one header row, 301 rows "
                "cantSplit", doc.count("<w:tblHeader/>") == 1 and
                doc.count("<w:cantSplit/>") >= 301)
        if not r.args.quick:
            n, lo = lo_pages(r, os.path.join(out, "qd-300.docx"),
                             os.path.join(out, "lo"))
            r.check("decisions 300 models: LibreOffice's pages of the DOCX "
                    "(%d) as vanban's (%d)" % (n, len(pages)),
                    n == len(pages))
            r.check("decisions 300 models: LibreOffice repeats the header "
                    "row on every page", n > 1 and all(
                        p.count("TT Tên mô hình") == 1 for p in lo[1:]))
            same = n == len(pages) and all(
                re.findall(r"Mô hình số (\d+):", a) ==
                re.findall(r"Mô hình số (\d+):", b)
                for a, b in zip(pages, lo))
            r.check("decisions 300 models: each page holds the same rows in "
                    "both", same)

    # --- lists from CSV and XLSX files -------------------------------------
    d = os.path.join(out, "tep")
    os.makedirs(d, exist_ok=True)
    head = ("TT,Tên mô hình,\"Tập thể, cá nhân thực hiện\",Lĩnh vực,"
            "\"Địa chỉ, đơn vị\",Ghi chú\n")
    rows = "".join("%d,Mô hình tệp %d,Chi bộ thôn %d,%s,Xã %d,\n" %
                   (i, i, i, KINDS[i % 4], i) for i in range(1, 41))
    open(os.path.join(d, "mo-hinh.csv"), "w", encoding="utf-8").write(
        head + rows)
    qd = os.path.join(d, "qd.xml")
    open(qd, "w", encoding="utf-8").write(decision(
        '<danh-sach tep="mo-hinh.csv"><cua>Ủy ban nhân dân xã</cua>'
        '</danh-sach>'))
    rc, _, err = vb("render", qd, "-o", os.path.join(d, "qd.pdf"))
    text = "\n".join(pdf_pages(os.path.join(d, "qd.pdf"))) if rc == 0 \
        else ""
    r.check("decisions list from a CSV file beside the decision: every "
            "row, in order", rc == 0 and
            [int(x) for x in re.findall(r"Mô hình tệp (\d+)", text)] ==
            list(range(1, 41)), err)
    # the same from the folder above: relative to the decision, not to cwd
    rc, _, err = vb("check", os.path.join("tep", "qd.xml"), cwd=out)
    r.check("decisions list file relative to the decision's folder",
            rc == 0, err)
    try:
        import openpyxl
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["TT", "Tên mô hình", "Tập thể, cá nhân thực hiện",
                   "Lĩnh vực", "Địa chỉ, đơn vị", "Ghi chú"])
        for i in range(1, 6):
            ws.append([i, "Mô hình bảng %d" % i, "Đoàn Thanh niên %d" % i,
                       "văn hóa", "Thôn %d" % i, None])
        wb.save(os.path.join(d, "mo-hinh.xlsx"))
        qx = os.path.join(d, "qx.xml")
        open(qx, "w", encoding="utf-8").write(decision(
            '<danh-sach tep="mo-hinh.xlsx"><cua>Ủy ban nhân dân xã</cua>'
            '</danh-sach>'))
        rc, _, err = vb("render", qx, "-o", os.path.join(d, "qx.pdf"))
        text = "\n".join(pdf_pages(os.path.join(d, "qx.pdf"))) \
            if rc == 0 else ""
        r.check("decisions list from an XLSX file: every row, the choice "
                "printed by its label", rc == 0 and
                [int(x) for x in re.findall(r"Mô hình bảng (\d+)", text)] ==
                list(range(1, 6)) and text.count("Văn hóa - xã") == 5, err)
    except ImportError:
        r.check("decisions python3-openpyxl for the XLSX list", False)
    # a bad cell: the file, its row and column, in Vietnamese and English
    open(os.path.join(d, "sai.csv"), "w", encoding="utf-8").write(
        head + "1,Mô hình A,Chi bộ A,thể thao,Xã A,\n2,,Chi bộ B,HTCT,Xã B,\n")
    qs = os.path.join(d, "qs.xml")
    open(qs, "w", encoding="utf-8").write(decision(
        '<danh-sach tep="sai.csv"><cua>Ủy ban nhân dân xã</cua></danh-sach>'))
    outp = os.path.join(d, "qs.pdf")
    rc, _, err = vb("render", qs, "-o", outp)
    r.check("decisions a bad cell of the list file: its row and column "
            "(V004), a missing cell its row (V001), nothing written",
            rc == 1 and "sai.csv: dòng 2, cột linh-vuc: lỗi[V004]: giá trị "
            "\"thể thao\" không hợp lệ" in err and
            "sai.csv: dòng 3: lỗi[V001]: thiếu trường bắt buộc <ten>" in err
            and not os.path.exists(outp), err)
    rc, _, err = vb("check", qs, "--lang", "en")
    r.check("decisions a bad cell of the list file, in English",
            rc == 1 and "sai.csv: row 2, column linh-vuc: error[V004]" in err
            and "lỗi" not in err, err)
    # a file that is not there, a file outside the folder
    qn = os.path.join(d, "qn.xml")
    open(qn, "w", encoding="utf-8").write(decision(
        '<danh-sach tep="khong-co.csv"><cua>Ủy ban nhân dân xã</cua>'
        '</danh-sach>'))
    rc, _, err = vb("render", qn, "-o", os.path.join(d, "qn.pdf"))
    r.check("decisions a list file that is not there: X005 naming it, "
            "no output", rc == 1 and "khong-co.csv: lỗi[X005]" in err and
            "V001" not in err and
            not os.path.exists(os.path.join(d, "qn.pdf")), err)
    for bad in ("/etc/passwd", "../mo-hinh.csv", "a/../../b.csv",
                "a\\..\\b.csv"):
        qb = os.path.join(d, "qb.xml")
        open(qb, "w", encoding="utf-8").write(decision(
            '<danh-sach tep="%s"><cua>Ủy ban nhân dân xã</cua></danh-sach>'
            % bad))
        rc, _, err = vb("check", qb)
        r.check("decisions list file %s refused (V111)" % bad,
                rc == 1 and "lỗi[V111]" in err and "V001" not in err, err)
    # a link inside the folder to a file outside it
    link = os.path.join(d, "lien-ket.csv")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.path.join(out, "ngoai.csv"), link)
    open(os.path.join(out, "ngoai.csv"), "w", encoding="utf-8").write(
        head + rows)
    open(qb, "w", encoding="utf-8").write(decision(
        '<danh-sach tep="lien-ket.csv"><cua>Ủy ban nhân dân xã</cua>'
        '</danh-sach>'))
    rc, _, err = vb("check", qb)
    r.check("decisions a link to a list file outside the folder refused "
            "(V111)", rc == 1 and "lỗi[V111]" in err and
            "liên kết" in err, err)
    # an empty list (a header, no row): V001 at the file
    open(os.path.join(d, "rong.csv"), "w", encoding="utf-8").write(head)
    open(qb, "w", encoding="utf-8").write(decision(
        '<danh-sach tep="rong.csv"><cua>Ủy ban nhân dân xã</cua></danh-sach>'))
    rc, _, err = vb("check", qb)
    r.check("decisions a list file with no row: V001 at the file",
            rc == 1 and "rong.csv: lỗi[V001]: thiếu trường bắt buộc "
            "<mo-hinh>" in err, err)

    # --- numbers from the register in the attachments ----------------------
    reg = os.path.join(out, "reg")
    shutil.rmtree(reg, ignore_errors=True)
    os.makedirs(reg)
    db = os.path.join(reg, "so.db")
    rc, _, err = vb("register", "init", db, "--co-quan", "UBND xã Yên Phú",
                    "--ky-hieu", "UBND", "--profile", "nd30")
    src = os.path.join(reg, "bh.xml")
    shutil.copy(os.path.join(EX, "quyet-dinh-ban-hanh-ke-hoach-ubnd.xml"),
                src)
    rc, _, err = vb("render", src, "--register", db, "-o",
                    os.path.join(reg, "bh.pdf"))
    pages = pdf_pages(os.path.join(reg, "bh.pdf")) if rc == 0 else []
    r.check("decisions ban-hanh --register: the decision numbered 01, the "
            "plan headed with its number and date, taking none of its own",
            rc == 0 and len(pages) >= 2 and "Số: 01/QĐ-UBND" in pages[0] and
            "(Ban hành kèm theo Quyết định số 01/QĐ-UBND ngày 15/01/2025"
            in pages[1].replace("\n", " ") and "Số:" not in pages[1] and
            "KẾ HOẠCH" in pages[1] and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            in pages[1], err + "\n".join(pages)[:2000])
    rc, out_list, _ = vb("register", "list", db)
    r.check("decisions ban-hanh --register: one document in the sổ",
            rc == 0 and len(out_list.strip().splitlines()) == 2 and
            "01/QĐ-UBND" in out_list, out_list)
    pdb = os.path.join(reg, "dang.db")
    vb("register", "init", pdb, "--co-quan", "Huyện ủy Yên Thành",
       "--ky-hieu", "HU", "--profile", "hd36", "--nhiem-ky",
       "2020-10-01:2025-09-30")
    psrc = os.path.join(reg, "cn.xml")
    shutil.copy(os.path.join(EX, "quyet-dinh-cong-nhan-huyen-uy.xml"), psrc)
    rc, _, err = vb("render", psrc, "--register", pdb, "-o",
                    os.path.join(reg, "cn.pdf"))
    pages = pdf_pages(os.path.join(reg, "cn.pdf")) if rc == 0 else []
    r.check("decisions cong-nhan --register (Party): Số 01-QĐ/HU, the list "
            "Kèm theo Quyết định số 01-QĐ/HU",
            rc == 0 and "Số 01-QĐ/HU" in pages[0] and
            "Kèm theo Quyết định số 01-QĐ/HU ngày 05/12/2024" in
            " ".join(pages[1:]).replace("\n", " "), err)

    # --- register print -----------------------------------------------------
    taker = os.path.join(r.build, "tests", "register-taker")
    sdb = os.path.join(reg, "so300.db")
    vb("register", "init", sdb, "--co-quan", "Ủy ban nhân dân xã Yên Phú",
       "--ky-hieu", "UBND", "--profile", "nd30")
    tpl = os.path.join(reg, "mau.xml")
    open(tpl, "w", encoding="utf-8").write(open(os.path.join(
        ROOT, "tests", "decisions", "so-mau.xml"), encoding="utf-8").read())
    p = subprocess.run([taker, sdb, tpl, "300", "d"], capture_output=True,
                       timeout=600)
    r.check("decisions register of 300 documents filled", p.returncode == 0,
            p.stderr.decode()[-500:])
    sp = os.path.join(reg, "so-2024.pdf")
    sd = os.path.join(reg, "so-2024.docx")
    rc, _, err = vb("register", "print", sdb, "--year", "2024", "-o", sp)
    rc2, _, err2 = vb("register", "print", sdb, "--year", "2024", "-o", sd)
    if r.check("decisions register print PDF and DOCX", rc == 0 and
               rc2 == 0, err + err2):
        pages = pdf_pages(sp)
        w, h = page_size(sp)
        r.check("decisions register print: A4 landscape (%gx%g)" % (w, h),
                abs(w - 841.89) < 1 and abs(h - 595.28) < 1)
        cover = pages[0] if pages else ""
        r.check("decisions register print: the cover names the body, the "
                "year, the dates and numbers", "ỦY BAN NHÂN DÂN XÃ YÊN PHÚ"
                in cover and "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in cover and
                "Năm: 2024" in cover and
                "Từ ngày 01/03/2024 đến ngày 01/03/2024" in cover and
                "Từ số 01 đến số 300" in cover and len(pages) > 2 and
                "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in pages[1], cover)
        table = pages[2:]
        heads = [p.replace("\n", " ") for p in table]
        cols = ("Số, ký hiệu văn bản", "Ngày tháng văn bản",
                "Tên loại và trích yếu nội dung văn bản", "Người ký",
                "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu",
                "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú")
        ok = table and all(
            all(c.replace(" ", "") in p.replace(" ", "") for c in cols) and
            "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10)" in p for p in heads)
        r.check("decisions register print: the ten columns and (1)..(10) "
                "at the top of each of %d pages" % len(table), ok)
        nums = [int(x) for x in re.findall(r"^(\d+)/KH-UBND",
                                           "\n".join(table), re.M)]
        r.check("decisions register print: every document, in order",
                nums == list(range(1, 301)), nums[:10])
        doc = document_xml(sd)
        r.check("decisions register print DOCX: landscape, two header rows "
                "repeated", 'w:orient="landscape"' in doc and
                doc.count("<w:tblHeader/>") == 2 and
                doc.count("<w:cantSplit/>") >= 302)
        chk = subprocess.run(["/usr/bin/python3", os.path.join(
            ROOT, "tests", "check_docx.py"), sd], capture_output=True,
            text=True, timeout=600)
        r.check("decisions register print DOCX: schema-valid, python-docx "
                "reads it, A4 landscape (tests/check_docx.py)",
                chk.returncode == 0 and "297.0x210.0 mm" in chk.stdout,
                "\n".join(l for l in chk.stdout.splitlines()
                          if l.startswith("FAIL"))[:2000])
        if not r.args.quick:
            n, lo = lo_pages(r, sd, os.path.join(reg, "lo"))
            r.check("decisions register print: LibreOffice's pages of the "
                    "DOCX (%d) as vanban's (%d), the same rows on each" %
                    (n, len(pages)), n == len(pages) and all(
                        re.findall(r"^(\d+)/KH-UBND", a, re.M) ==
                        re.findall(r"^(\d+)/KH-UBND", b, re.M)
                        for a, b in zip(pages, lo)))
    bad = os.path.join(reg, "so.txt")
    rc, _, err = vb("register", "print", sdb, "-o", bad)
    r.check("decisions register print to .txt: usage error, no file",
            rc == 2 and ".pdf" in err and not os.path.exists(bad), err)
    rc, _, err = vb("register", "print", sdb, "--year", "2023", "-o",
                    os.path.join(reg, "so-2023.pdf"))
    pages = pdf_pages(os.path.join(reg, "so-2023.pdf")) if rc == 0 else []
    r.check("decisions register print of a year without documents: the "
            "cover and an empty table", rc == 0 and len(pages) == 3 and
            "Từ số ..... đến số ....." in pages[0], err)
