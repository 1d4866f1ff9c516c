"""tests/register/run_register.py - the register (sổ đăng ký văn bản đi):
numbering at render, series rules, concurrency, crashes, damaged files,
export. Called by tests/run.py, section "register"."""
import csv
import io
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))

STATE = """<?xml version="1.0" encoding="UTF-8"?>
<van-ban loai="{loai}" the-thuc="nd30"{ma}{mat}>
  <co-quan>
    <chu-quan>UBND HUYỆN YÊN THÀNH</chu-quan>
    <ten>UBND XÃ YÊN PHÚ</ten>
    <ky-hieu>{kh}</ky-hieu>
  </co-quan>
  <dia-danh>Yên Phú</dia-danh>
  <ngay>{ngay}</ngay>
  <trich-yeu>{ty}</trich-yeu>
  <noi-dung>{body}</noi-dung>
  <noi-nhan>
    <noi>UBND huyện Yên Thành</noi>
    <noi>Đảng ủy xã Yên Phú</noi>
    <luu>VT, VP</luu>
  </noi-nhan>
  <nguoi-ky>
    <quyen-han>TM. ỦY BAN NHÂN DÂN</quyen-han>
    <chuc-vu>CHỦ TỊCH</chuc-vu>
    <ho-ten>Nguyễn Văn An</ho-ten>
  </nguoi-ky>
</van-ban>
"""

PARTY = """<?xml version="1.0" encoding="UTF-8"?>
<van-ban loai="{loai}" the-thuc="hd36"{ma}{mat}>
  <co-quan>
    <chu-quan>HUYỆN ỦY YÊN THÀNH</chu-quan>
    <ten>BAN DÂN VẬN</ten>
    <ky-hieu>BDVHU</ky-hieu>
  </co-quan>
  <dia-danh>Yên Thành</dia-danh>
  <ngay>{ngay}</ngay>
  <trich-yeu>{ty}</trich-yeu>
  <noi-dung>{body}</noi-dung>
  <noi-nhan>
    <noi>Thường trực Huyện ủy</noi>
    <luu>VP/HU, BD/VHU</luu>
  </noi-nhan>
  <nguoi-ky>
    <chuc-vu>TRƯỞNG BAN</chuc-vu>
    <ho-ten>Nguyễn Quốc Hương</ho-ten>
  </nguoi-ky>
</van-ban>
"""


def doc(path, ma=None, ngay="2024-01-10", loai="ke-hoach", mat=None,
        kh="UBND", body="Nội dung kế hoạch.", party=False,
        ty=None):
    tpl = PARTY if party else STATE
    if ty is None:
        ty = ("xây dựng mô hình “Dân vận khéo”" if party else
              "Tổ chức phong trào thi đua “Dân vận khéo” năm 2024")
    text = tpl.format(loai=loai, ma=' ma="%s"' % ma if ma else "",
                      mat=' do-mat="%s"' % mat if mat else "", kh=kh,
                      ngay=ngay, ty=ty, body=body)
    open(path, "w", encoding="utf-8").write(text)
    return path


def numbers(db):
    c = sqlite3.connect(db)
    rows = c.execute("SELECT s.name, d.number FROM document d JOIN series s "
                     "ON s.id = d.series_id ORDER BY s.name, d.number"
                     ).fetchall()
    c.close()
    return rows


def integrity(db):
    c = sqlite3.connect(db)
    v = c.execute("PRAGMA integrity_check").fetchone()[0]
    c.close()
    return v


def run(r):
    d = os.path.join(r.tmp, "register")
    os.makedirs(d)
    taker = os.path.join(r.build, "tests", "register-taker")
    db = os.path.join(d, "so.db")

    def vb(*args, env=None, timeout=120):
        return r.run(list(args), env=env, timeout=timeout)

    def init(path, profile="nd30", kh="UBND", co_quan="UBND xã Yên Phú",
             term=None):
        argv = ["register", "init", path, "--co-quan", co_quan,
                "--ky-hieu", kh, "--profile", profile]
        if term:
            argv += ["--nhiem-ky", term]
        return vb(*argv)

    rc, out, err = init(db)
    r.check("register init makes a register", rc == 0 and
            os.path.exists(db) and integrity(db) == "ok", err)
    before = open(db, "rb").read()
    rc, _, err = init(db)
    r.check("register init over an existing file: R011, file unchanged",
            rc == 1 and "lỗi[R011]" in err and
            open(db, "rb").read() == before, err)
    rc, _, err = vb("register", "init", os.path.join(d, "x.db"),
                    "--co-quan", "UBND", "--ky-hieu", "UBND",
                    "--profile", "nd31")
    r.check("register init with an unknown profile: R016, no file",
            rc == 1 and "lỗi[R016]" in err and
            not os.path.exists(os.path.join(d, "x.db")) and
            not [f for f in os.listdir(d) if f.startswith("x.db")], err)

    rc, _, err = init(os.path.join(d, "x.db"), term="2020-10-01:2025-09-30")
    rc2, _, err2 = vb("register", "nhiem-ky", db, "2020-10-01:2025-09-30")
    r.check("a term for a state register: R016, nothing made or changed",
            rc == 1 and "lỗi[R016]" in err and "hd36" in err and rc2 == 1 and
            "lỗi[R016]" in err2 and not os.path.exists(os.path.join(d, "x.db"))
            and open(db, "rb").read() == before, err + err2)
    rc, _, err = vb("register")
    rc2, _, err2 = vb("register", "list")
    rc3, _, err3 = vb("register", "xoa", db)
    r.check("register usage errors exit 2", rc == rc2 == rc3 == 2 and
            "vanban register init" in err, err + err2 + err3)
    rc, _, err = vb("render", os.path.join(d, "kh1.xml"), "--dinh-chinh")
    rc2, _, err2 = vb("check", os.path.join(d, "kh1.xml"), "--register", db)
    r.check("--dinh-chinh without --register, check --register: usage "
            "errors", rc == rc2 == 2, err + err2)
    rc, _, err = vb("register", "list", d)
    r.check("a folder given as the register: R012", rc == 1 and
            "lỗi[R012]" in err and "không phải tệp thường" in err, err)

    # --- numbering at render -------------------------------------------
    kh1 = doc(os.path.join(d, "kh1.xml"), ma="KH-2024-001")
    rc, out, err = vb("render", kh1, "--register", db)
    pdf, docx = kh1[:-4] + ".pdf", kh1[:-4] + ".docx"
    text = subprocess.run(["pdftotext", "-raw", pdf, "-"],
                          capture_output=True, text=True).stdout \
        if os.path.exists(pdf) else ""
    r.check("render --register takes 01 and prints it, the PDF carries it",
            rc == 0 and "Cấp số 01/KH-UBND, ngày 10/01/2024" in
            out.decode() and "Số: 01/KH-UBND" in text, out.decode() + err)
    first = (open(pdf, "rb").read(), open(docx, "rb").read()) \
        if rc == 0 else None
    rc, out, err = vb("render", kh1, "--register", db)
    r.check("render the same document again: same number, same bytes",
            rc == 0 and "01/KH-UBND" in out.decode() and
            "đã có trong sổ" in out.decode() and first is not None and
            (open(pdf, "rb").read(), open(docx, "rb").read()) == first and
            numbers(db) == [("UBND 2024", 1)], out.decode() + err)
    doc(kh1, ma="KH-2024-001", body="Nội dung kế hoạch đã sửa.")
    rc, out, err = vb("render", kh1, "--register", db)
    r.check("changed content under the same ma: R005 names number and date,"
            " files untouched",
            rc == 1 and "lỗi[R005]" in err and "01/KH-UBND" in err and
            "10/01/2024" in err and
            (open(pdf, "rb").read(), open(docx, "rb").read()) == first, err)
    rc, out, err = vb("render", kh1, "--register", db, "--lang", "en")
    r.check("R005 in English with --lang en",
            rc == 1 and "error[R005]" in err and "issued as number "
            "01/KH-UBND on 10/01/2024" in err and "lỗi" not in err, err)
    rc, out, err = vb("render", kh1, "--register", db, "--dinh-chinh")
    c = sqlite3.connect(db)
    hist = [a for (a,) in c.execute("SELECT action FROM history ORDER BY id")]
    ver = c.execute("SELECT version FROM document").fetchall()
    c.close()
    r.check("--dinh-chinh records a corrected version under the same number"
            " (Điều 18.3), in the history",
            rc == 0 and "Đính chính số 01/KH-UBND" in out.decode() and
            ver == [(2,)] and hist[-1] == "correct" and
            numbers(db) == [("UBND 2024", 1)], out.decode() + err + str(hist))
    # no ma: the document is known by the SHA-256 of its bytes
    noid = doc(os.path.join(d, "khong-ma.xml"), ngay="2024-01-11")
    rc1, out1, _ = vb("render", noid, "--register", db, "--format", "pdf")
    rc2, out2, _ = vb("render", noid, "--register", db, "--format", "pdf")
    doc(noid, ngay="2024-01-11", body="Khác.")
    rc3, out3, _ = vb("render", noid, "--register", db, "--format", "pdf")
    r.check("a document without ma: same bytes same number, new bytes new "
            "number", rc1 == rc2 == rc3 == 0 and
            "02/KH-UBND" in out1.decode() and "02/KH-UBND" in out2.decode()
            and "03/KH-UBND" in out3.decode(),
            (out1 + out2 + out3).decode())
    # a failed render takes no number
    kh4 = doc(os.path.join(d, "kh4.xml"), ma="KH-4", ngay="2024-02-01")
    rc, out, err = vb("render", kh4, "--register", db, "--out-dir",
                      os.path.join(d, "khong-co"))
    rc2, out2, err2 = vb("render", kh4, "--register", db, "--format", "pdf")
    r.check("a failed render (unwritable folder) takes no number: the next "
            "render gets it", rc == 1 and "không ghi được tệp" in err and
            rc2 == 0 and "04/KH-UBND" in out2.decode() and
            numbers(db)[-1] == ("UBND 2024", 4), err + out2.decode() + err2)
    bad = doc(os.path.join(d, "hong.xml"), ma="KH-5", ngay="2024-02-30")
    rc, _, err = vb("render", bad, "--register", db)
    r.check("an invalid document takes no number",
            rc == 1 and "lỗi[V010]" in err and len(numbers(db)) == 4, err)
    form = os.path.join(os.path.dirname(HERE), "..", "examples",
                        "mau-01b-tap-the.xml")
    if os.path.exists(form):
        n0 = len(numbers(db))
        rc, _, err = vb("render", form, "--register", db, "--format", "tree",
                        "-o", os.path.join(d, "mau.txt"))
        r.check("a kind that takes no number (Mẫu 01B): R010, nothing "
                "written or recorded", rc == 1 and "lỗi[R010]" in err and
                '"mau-01b"' in err and len(numbers(db)) == n0 and
                not os.path.exists(os.path.join(d, "mau.txt")), err)
    # numbers follow the order of dates (Điều 15.1)
    early = doc(os.path.join(d, "som.xml"), ma="KH-som", ngay="2024-01-05")
    rc, _, err = vb("render", early, "--register", db, "--format", "tree")
    r.check("a date before a numbered document of the series: R009",
            rc == 1 and "lỗi[R009]" in err and "04/KH-UBND" in err, err)

    # --- series rules ----------------------------------------------------
    y = os.path.join(d, "nam.db")
    init(y)
    outs = []
    for i, (ngay, mat) in enumerate([("2024-12-30", None),
                                     ("2024-12-31", None),
                                     ("2024-12-31", "mat"),
                                     ("2025-01-01", None),
                                     ("2025-01-01", "toi-mat"),
                                     ("2025-01-02", None)]):
        f = doc(os.path.join(d, "y%d.xml" % i), ma="Y-%d" % i, ngay=ngay,
                mat=mat)
        rc, out, err = vb("render", f, "--register", y, "--format", "tree")
        outs.append(out.decode() if rc == 0 else err)
    r.check("year rollover: 31/12 takes the old series' last number, 01/01 "
            "takes 01 (NĐ 30 Điều 15.1)",
            "02/KH-UBND, ngày 31/12/2024" in outs[1] and
            "01/KH-UBND, ngày 01/01/2025" in outs[3] and
            "02/KH-UBND, ngày 02/01/2025" in outs[5], "\n".join(outs))
    r.check("secret state documents have their own series (Điều 15.2)",
            "01/KH-UBND, ngày 31/12/2024 (UBND 2024 mật)" in outs[2] and
            "01/KH-UBND, ngày 01/01/2025 (UBND 2025 mật)" in outs[4] and
            numbers(y) == [("UBND 2024", 1), ("UBND 2024", 2),
                           ("UBND 2024 mật", 1), ("UBND 2025", 1),
                           ("UBND 2025", 2), ("UBND 2025 mật", 1)],
            "\n".join(outs) + str(numbers(y)))
    # Hội đồng / Ban / Tổ with the agency's seal: own series by ký hiệu
    f = doc(os.path.join(d, "hd.xml"), ma="HD-1", ngay="2025-01-03",
            kh="HĐTĐKT")
    rc, _, err = vb("render", f, "--register", y, "--format", "tree")
    r.check("a ký hiệu not in the register: R006 lists the known ones",
            rc == 1 and "lỗi[R006]" in err and '"HĐTĐKT"' in err and
            "UBND" in err, err)
    rc0, _, err0 = vb("register", "add-body", y, "--co-quan",
                      "Hội đồng Thi đua - Khen thưởng xã", "--ky-hieu",
                      "HĐTĐKT")
    rc, out, err = vb("render", f, "--register", y, "--format", "tree")
    r.check("a Hội đồng using the agency's seal numbers in its own series "
            "(spec §2.6)", rc0 == 0 and rc == 0 and
            "01/KH-HĐTĐKT, ngày 03/01/2025 (HĐTĐKT 2025)" in out.decode(),
            err0 + out.decode() + err)
    f = doc(os.path.join(d, "p.xml"), ma="P-1", party=True)
    rc, _, err = vb("render", f, "--register", y, "--format", "tree")
    r.check("a Party document in a state register: R007",
            rc == 1 and "lỗi[R007]" in err, err)

    # Party: per type per term, secret documents in the normal series
    p = os.path.join(d, "dang.db")
    rc, _, err = init(p, profile="hd36", kh="BDVHU",
                      co_quan="Ban Dân vận Huyện ủy Yên Thành",
                      term="2020-10-01:2025-09-30")
    outs = []
    for i, (ngay, loai, mat) in enumerate([("2024-05-01", "ke-hoach", None),
                                           ("2025-09-30", "ke-hoach", "mat"),
                                           ("2025-09-30", "bao-cao", None),
                                           ("2025-10-01", "ke-hoach", None)]):
        f = doc(os.path.join(d, "d%d.xml" % i), ma="D-%d" % i, ngay=ngay,
                loai=loai, mat=mat, party=True)
        rc, out, err = vb("render", f, "--register", p, "--format", "tree")
        outs.append(out.decode() if rc == 0 else err)
    r.check("Party: one series per type in a term, secret in the normal one "
            "(HD 36 1.3.1.a)",
            "01-KH/BDVHU, ngày 01/05/2024" in outs[0] and
            "02-KH/BDVHU, ngày 30/09/2025 (BDVHU KH 2020-2025)" in outs[1] and
            "01-BC/BDVHU, ngày 30/09/2025" in outs[2], "\n".join(outs))
    r.check("Party: a date after the last term is R008",
            "lỗi[R008]" in outs[3] and "01/10/2025" in outs[3] and
            "2020-10-01:2025-09-30" in outs[3], outs[3])
    rc1, _, err1 = vb("register", "nhiem-ky", p, "2025-09-01:2030-09-30")
    rc2, _, err2 = vb("register", "nhiem-ky", p, "2025-10-01:2030-09-30")
    rc, out, err = vb("render", os.path.join(d, "d3.xml"), "--register", p,
                      "--format", "tree")
    r.check("Party term boundary: an overlapping term is R014; the next term "
            "starts again at 01",
            rc1 == 1 and "lỗi[R014]" in err1 and rc2 == 0 and rc == 0 and
            "01-KH/BDVHU, ngày 01/10/2025 (BDVHU KH 2025-2030)" in
            out.decode(), err1 + err2 + out.decode() + err)

    # --- list and export -------------------------------------------------
    rc, out, err = vb("register", "list", y, "--year", "2024")
    lines = out.decode().splitlines()
    r.check("register list --year: the year's documents in order",
            rc == 0 and len(lines) == 4 and
            lines[1].startswith("01/KH-UBND\t30/12/2024") and
            lines[3].split("\t")[0] == "01/KH-UBND" and
            "UBND 2024 mật" in lines[3], out.decode() + err)
    rc, out, err = vb("register", "list", p, "--type", "BC")
    r.check("register list --type", rc == 0 and
            len(out.decode().splitlines()) == 2 and
            "01-BC/BDVHU" in out.decode(), out.decode() + err)
    csvp = os.path.join(d, "so.csv")
    rc, _, err = vb("register", "export", y, "-o", csvp)
    rows = list(csv.reader(io.StringIO(open(csvp, encoding="utf-8",
                                            newline="").read()))) \
        if rc == 0 else []
    raw = open(csvp, "rb").read() if rc == 0 else b""
    r.check("export CSV: the 10 columns of Phụ lục IV, every document, "
            "RFC 4180 quoting and CRLF",
            rc == 0 and len(rows) == 8 and len(rows[0]) == 10 and
            rows[0][0] == "Số, ký hiệu văn bản" and rows[0][9] == "Ghi chú"
            and rows[1][0] == "01/KH-UBND" and rows[1][1] == "30/12/2024" and
            rows[1][2].startswith("KẾ HOẠCH Tổ chức phong trào") and
            rows[1][3] == "Nguyễn Văn An" and
            rows[1][4] == "UBND huyện Yên Thành; Đảng ủy xã Yên Phú" and
            rows[1][5] == "VT, VP" and rows[3][9] == "Mật" and
            b"\r\n" in raw and b'"VT, VP"' in raw and
            all(len(x) == 10 for x in rows), err + repr(rows[:3]))
    xl = os.path.join(d, "so.xlsx")
    rc, _, err = vb("register", "export", y, "-o", xl)
    try:
        import openpyxl
        ws = openpyxl.load_workbook(xl).active
        xrows = [[c if c is not None else "" for c in row]
                 for row in ws.iter_rows(values_only=True)]
    except Exception as e:  # noqa: BLE001 - reported as the failure
        xrows = [str(e)]
    r.check("export XLSX read back with openpyxl: the same cells as the CSV",
            rc == 0 and xrows == rows, err + repr(xrows[:3]))
    rc, _, err = vb("register", "export", y, "-o", os.path.join(d, "so.txt"))
    r.check("export to an unknown extension: usage error",
            rc == 2 and "csv" in err, err)

    # --- damaged, truncated, foreign, newer ------------------------------
    good = open(y, "rb").read()

    def refused(name, data, code, setup=None):
        f = os.path.join(d, name)
        open(f, "wb").write(data)
        if setup:
            setup(f)
        data = open(f, "rb").read()
        rc, out, err = vb("register", "list", f)
        rc2, _, err2 = vb("render", os.path.join(d, "y5.xml"), "--register",
                          f, "--format", "tree")
        r.check("register %s: lỗi[%s], exit 1, the file unchanged" %
                (name, code), rc == 1 and rc2 == 1 and
                ("lỗi[%s]" % code) in err and ("lỗi[%s]" % code) in err2 and
                open(f, "rb").read() == data and
                sorted(x for x in os.listdir(d) if x.startswith(name)) ==
                [name], err + err2)

    refused("rong.db", b"", "R003")
    refused("cat-cut.db", good[:len(good) // 2], "R003")
    refused("cat-cut-dau.db", good[:50], "R003")
    page = int.from_bytes(good[16:18], "big")
    dmg = bytearray(good)
    for k in range(1, len(good) // page):  # every b-tree page's header
        dmg[k * page:k * page + 8] = b"\xa5" * 8
    refused("hong.db", bytes(dmg), "R003")
    refused("van-ban.db", "không phải sổ\n".encode(), "R001")

    def foreign(f):
        os.unlink(f)
        c = sqlite3.connect(f)
        c.execute("CREATE TABLE t(x)")
        c.commit()
        c.close()
    refused("la.db", b"", "R001", foreign)

    def newer(f):
        c = sqlite3.connect(f)
        c.execute("PRAGMA user_version=99")
        c.commit()
        c.close()
    refused("moi.db", good, "R002", newer)
    f = os.path.join(d, "moi.db")
    rc, _, err = vb("register", "list", f, "--lang", "en")
    r.check("register from a newer version, in English",
            rc == 1 and "error[R002]" in err and "newer vanban" in err, err)

    # --- locked too long -------------------------------------------------
    lk = os.path.join(d, "khoa.db")
    shutil.copy(y, lk)
    holder = sqlite3.connect(lk, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    t = time.time()
    rc, _, err = vb("render", os.path.join(d, "y5.xml"), "--register", lk,
                    "--format", "tree",
                    env=dict(os.environ, VANBAN_REGISTER_WAIT="0.5"))
    took = time.time() - t
    holder.execute("ROLLBACK")
    holder.close()
    r.check("a register locked too long: R004 in Vietnamese after the wait",
            rc == 1 and "lỗi[R004]" in err and "khóa quá 1 giây" in err and
            took < 10, "%s (%.1f s)" % (err, took))

    # --- concurrency and crashes -----------------------------------------
    tpl = doc(os.path.join(d, "mau.xml"), ma="@ID@", ngay="2024-03-01")
    many = os.path.join(d, "nhieu.db")
    init(many)
    procs = [subprocess.Popen([taker, many, tpl, "200", "p%d" % k, "--tree"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for k in range(8)]
    got, errs = [], ""
    for pr in procs:
        o, e = pr.communicate(timeout=600)
        got += [int(x) for x in o.split()]
        errs += e.decode()
    nums = [n for _, n in numbers(many)]
    r.check("8 processes x 200 numbers at once: 1,600 distinct numbers "
            "1..1600, no gap", all(pr.returncode == 0 for pr in procs) and
            sorted(got) == list(range(1, 1601)) and
            nums == list(range(1, 1601)), errs[-2000:])

    crash = os.path.join(d, "chet.db")
    init(crash)
    pr = subprocess.run([taker, crash, tpl, "5", "a", "--tree"],
                        capture_output=True)
    hold = subprocess.Popen([taker, crash, tpl, "1", "b", "--hold"],
                            stdout=subprocess.PIPE)
    line = hold.stdout.readline().decode()
    hold.send_signal(signal.SIGKILL)
    hold.wait()
    ok_int = integrity(crash)
    pr2 = subprocess.run([taker, crash, tpl, "3", "c", "--tree"],
                         capture_output=True)
    r.check("SIGKILL while holding a reserved number: register intact, the "
            "number goes to the next document, no hole",
            line.strip() == "held 6" and ok_int == "ok" and
            pr2.stdout.split() == [b"6", b"7", b"8"] and
            [n for _, n in numbers(crash)] == list(range(1, 9)),
            line + ok_int + pr2.stdout.decode() + pr2.stderr.decode())
    # kill looping takers at random moments, again and again
    rnd = random.Random(9)
    printed, errs_k = [], ""
    for rnd_i in range(6):
        ps = [subprocess.Popen([taker, crash, tpl, "100000", "k%d-%d" %
                                (rnd_i, k), "--tree"],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
              for k in range(3)]
        time.sleep(0.15 + rnd.random() * 0.3)
        for pp in ps:
            pp.send_signal(signal.SIGKILL)
        for pp in ps:
            o, e = pp.communicate()
            printed += [int(x) for x in o.split()]
            errs_k += e.decode()
    nums = [n for _, n in numbers(crash)]
    r.check("takers killed with SIGKILL at random moments: integrity_check "
            "ok, numbers 1..N without duplicate or hole, every printed number"
            " recorded", integrity(crash) == "ok" and
            nums == list(range(1, len(nums) + 1)) and len(nums) > 8 and
            set(printed) <= set(nums) and len(set(printed)) == len(printed)
            and errs_k == "",
            "%d recorded, %d printed %s" % (len(nums), len(printed), errs_k))
    rc, out, err = vb("register", "list", crash)
    r.check("the register opens cleanly after the crashes",
            rc == 0 and len(out.splitlines()) == len(nums) + 1, err)

    # --- the command itself, at once and killed --------------------------
    cli_db = os.path.join(d, "lenh.db")
    init(cli_db)
    files = []
    for k in range(4):
        for i in range(8):
            files.append(doc(os.path.join(d, "c%d-%d.xml" % (k, i)),
                             ma="C-%d-%d" % (k, i), ngay="2024-04-01"))
    env = dict(os.environ, VANBAN_REGISTER_WAIT="120")
    script = ("for f in \"$@\"; do \"%s\" render \"$f\" --register \"%s\" "
              "--format tree || exit 1; done" % (r.vanban, cli_db))
    ps = [subprocess.Popen(["sh", "-c", script, "sh"] + files[k * 8:k * 8 + 8],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env) for k in range(4)]
    got, errs = [], ""
    for pp in ps:
        o, e = pp.communicate(timeout=600)
        got += re.findall(r"Cấp số (\d+)/KH-UBND", o.decode())
        errs += e.decode()
    r.check("4 x 8 vanban render --register at once: 32 distinct numbers "
            "1..32", sorted(int(x) for x in got) == list(range(1, 33)) and
            [n for _, n in numbers(cli_db)] == list(range(1, 33)), errs)
    # killed while it holds the lock (rendering a long plan)
    body = "\n\n".join("Đoạn %d của kế hoạch dài, viết để việc dàn trang "
                         "mất thời gian. " % i * 6 for i in range(800))
    big = doc(os.path.join(d, "dai.xml"), ma="DAI", ngay="2024-04-02",
              body=body)
    out_dir = os.path.join(d, "dai-ra")
    os.makedirs(out_dir)
    pr = subprocess.Popen([r.vanban, "render", big, "--register", cli_db,
                           "--out-dir", out_dir], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    held = False
    t = time.time()
    while time.time() - t < 60 and pr.poll() is None and not held:
        c = sqlite3.connect(cli_db, timeout=0, isolation_level=None)
        try:
            c.execute("BEGIN IMMEDIATE")
            c.execute("ROLLBACK")
        except sqlite3.OperationalError:
            held = True
        c.close()
        if not held:
            time.sleep(0.005)
    if held:
        pr.send_signal(signal.SIGKILL)
    pr.communicate()
    rc, out, err = vb("register", "list", cli_db)
    nxt = doc(os.path.join(d, "sau.xml"), ma="SAU", ngay="2024-04-03")
    rc3, out3, err3 = vb("render", nxt, "--register", cli_db, "--format",
                         "tree")
    r.check("vanban render killed with SIGKILL while holding the lock: "
            "register intact, no record, no output file, the number goes to "
            "the next document", held and pr.returncode == -signal.SIGKILL
            and rc == 0 and len(out.splitlines()) == 33 and
            integrity(cli_db) == "ok" and os.listdir(out_dir) == [] and
            rc3 == 0 and "Cấp số 33/KH-UBND" in out3.decode(),
            "held=%s rc=%s %s %s" % (held, pr.returncode, err, err3))
