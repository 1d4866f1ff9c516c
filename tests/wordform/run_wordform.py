"""run_wordform.py - the "wordform" section of tests/run.py: Word forms and
`vanban extract`. The sample form comes from build/tests/make_form (a
hand-built tree, sample_form.h).
  (a) every part of the blank and the prefilled form validates against the
      OOXML schemas (docProps/custom.xml against its own XSD);
  (b) every control filled with lxml (fill_form.py) extracts to exactly
      the values filled;
  (c) the filled form saved by LibreOffice headless: it drops w:tag (and
      the alias of drop-downs and dates) and keeps the controls in order
      and the custom properties, so extract matches by position; block
      controls are cut to their first paragraph, with warning W013;
  (d) hostile packages, each refused with its exact message, exit 1,
      nothing written.
"""
import io
import json
import os
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))

SCHEMAS = os.path.join(ROOT, "..", "shared", "ooxml-schemas", "schemas")
CUSTOM_XSD = os.path.join(SCHEMAS, "ISO-IEC29500-4_2016",
                          "shared-documentPropertiesCustom.xsd")

VALUES = {
    "don-vi": "Đoàn Thanh niên xã Yên Bình",
    "kinh-gui": "Ban Dân vận Huyện ủy",
    "ten-mo-hinh": "Thắp sáng đường quê",
    "linh-vuc": "Xây dựng hệ thống chính trị",
    "thoi-gian/bat-dau": "15/03/2023",
    "thoi-gian/hoan-thanh": "02/09/2023",
    "thuc-trang": "Đường thôn chưa có đèn.\n\nBà con góp 30% kinh phí & "
                  "ngày công <tự nguyện>.",
    "thanh-vien[1]/ho-ten": "Nguyễn Thị Ánh",
    "thanh-vien[1]/nhiem-vu": "Điều phối",
    "thanh-vien[2]/ho-ten": "Trần Quốc Việt",
    "thanh-vien[2]/nhiem-vu": "Lắp đặt\n\nBảo dưỡng",
    "nguoi-ky/ho-ten": "Nguyễn Thị Ánh",
}


def expected_xml(values, flatten=False):
    """The XML extract must give for the sample form filled with values."""
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def v(tag):
        s = values[tag]
        return esc(s.split("\n\n")[0] if flatten else s)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<van-ban mau="mau-01b" the-thuc="hd36">\n'
        "  <don-vi>%s</don-vi>\n  <kinh-gui>%s</kinh-gui>\n"
        "  <ten-mo-hinh>%s</ten-mo-hinh>\n  <linh-vuc>%s</linh-vuc>\n"
        "  <thoi-gian>\n    <bat-dau>%s</bat-dau>\n"
        "    <hoan-thanh>%s</hoan-thanh>\n  </thoi-gian>\n"
        "  <thuc-trang>%s</thuc-trang>\n"
        "  <thanh-vien>\n    <ho-ten>%s</ho-ten>\n"
        "    <nhiem-vu>%s</nhiem-vu>\n  </thanh-vien>\n"
        "  <thanh-vien>\n    <ho-ten>%s</ho-ten>\n"
        "    <nhiem-vu>%s</nhiem-vu>\n  </thanh-vien>\n"
        "  <nguoi-ky>\n    <ho-ten>%s</ho-ten>\n  </nguoi-ky>\n"
        "</van-ban>\n" % tuple(v(t) for t in [
            "don-vi", "kinh-gui", "ten-mo-hinh", "linh-vuc",
            "thoi-gian/bat-dau", "thoi-gian/hoan-thanh", "thuc-trang",
            "thanh-vien[1]/ho-ten", "thanh-vien[1]/nhiem-vu",
            "thanh-vien[2]/ho-ten", "thanh-vien[2]/nhiem-vu",
            "nguoi-ky/ho-ten"]))


def make_form(r, out, filled=False):
    exe = os.path.join(r.build, "tests", "make_form")
    argv = [exe] + (["--filled"] if filled else []) + [
        "--fonts", os.path.join(ROOT, "fonts"), out]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return p.returncode == 0, p.stderr


def schemas_only(r, path, name):
    """Every part of a DOCX against its schema (custom.xml included)."""
    import check_docx
    parts = path + ".parts"
    names = check_docx.unzip(path, parts)
    for n in names:
        xsd = CUSTOM_XSD if n == "docProps/custom.xml" else \
            check_docx.schema_for(n, SCHEMAS)
        if xsd is None:
            continue
        try:
            check_docx.validate_schema(os.path.join(parts, n), SCHEMAS, xsd)
            r.check("wordform %s: %s validates" % (name, n), True)
        except check_docx.CheckError as e:
            r.check("wordform %s: %s validates" % (name, n), False, str(e))


def schemas(r, path, name):
    schemas_only(r, path, name)
    parts = path + ".parts"
    doc = open(os.path.join(parts, "word", "document.xml"),
               encoding="utf-8").read()
    r.check("wordform %s: 12 content controls, drop-downs, dates, rich text"
            % name, doc.count("<w:sdt>") == 12 and
            doc.count("<w:dropDownList>") == 2 and
            doc.count("<w:dateFormat w:val=\"dd/MM/yyyy\"/>") == 2 and
            doc.count("<w:richText/>") == 3 and
            '<w:tag w:val="thanh-vien[2]/ho-ten"/>' in doc)
    return doc


def lo_roundtrip(r, src, outdir):
    """LibreOffice opens the DOCX and saves it again as DOCX."""
    os.makedirs(outdir, exist_ok=True)
    profile = "file://" + os.path.join(r.tmp, "lo-profile")
    p = subprocess.run(["soffice", "--headless",
                        "-env:UserInstallation=" + profile, "--convert-to",
                        "docx:MS Word 2007 XML", "--outdir", outdir, src],
                       capture_output=True, text=True, timeout=240)
    out = os.path.join(outdir, os.path.basename(src))
    return out if p.returncode == 0 and os.path.exists(out) else None


def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compression) as z:
        for name, data in entries:
            z.writestr(name, data)
    return b.getvalue()


def lying_sizes(entries, name, size):
    """A zip whose headers say `name` unpacks to `size` bytes, whatever it
    really holds."""
    import struct
    data = bytearray(zip_bytes(entries))
    i = 0
    while True:
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            return bytes(data)
        nlen = struct.unpack_from("<H", data, i + 28)[0]
        if bytes(data[i + 46:i + 46 + nlen]) == name.encode():
            struct.pack_into("<I", data, i + 24, size)
            struct.pack_into("<I", data, struct.unpack_from(
                "<I", data, i + 42)[0] + 22, size)
        i += 4


def hostile(r, d, form_bytes):
    """Each hostile input: (name, bytes, exact stderr)."""
    with zipfile.ZipFile(io.BytesIO(form_bytes)) as z:
        parts = [(n, z.read(n)) for n in z.namelist()]
    doc = dict(parts)["word/document.xml"]
    bomb = zip_bytes([(n, data) for n, data in parts
                      if n != "word/document.xml"] +
                     [("word/document.xml", b"<w:document " + b" " *
                       (40 << 20) + b"/>")])
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as z:
        for i in range(100000):
            z.writestr("x/%d" % i, b"")
    dtd = doc.replace(b"?>", b"?><!DOCTYPE w:document [<!ENTITY a "
                      b"\"aaaaaaaa\">]>", 1).replace(b"<w:body>",
                                                     b"<w:body>&a;", 1)
    cases = [
        ("bomb.docx", bomb,
         'bomb.docx: lỗi[W003]: mục "word/document.xml" giải nén ra hơn '
         "32 MiB (có thể là bom nén)"),
        ("lying.docx", lying_sizes(
            [(n, data.replace(b"<w:body>", b"<w:body>" + b" " * (40 << 20))
              if n == "word/document.xml" else data) for n, data in parts],
            "word/document.xml", 5000),
         'lying.docx: lỗi[W003]: mục "word/document.xml" giải nén ra hơn '
         "32 MiB (có thể là bom nén)"),
        ("many.docx", many.getvalue(),
         "many.docx: lỗi[W002]: gói tài liệu có 100000 mục, vượt giới hạn "
         "10000 mục"),
        ("dotdot.docx", zip_bytes(parts + [("../../x", b"owned")]),
         'dotdot.docx: lỗi[W004]: gói tài liệu có mục mang tên không an '
         'toàn "../../x"'),
        ("dtd.docx", zip_bytes([(n, dtd if n == "word/document.xml" else v)
                                for n, v in parts]),
         "dtd.docx: lỗi[W008]: phần word/document.xml có khai báo DTD hay "
         "thực thể, không được chấp nhận"),
        ("notzip.docx", b"This is plain text, not a package.\n",
         "notzip.docx: lỗi[W001]: tệp không phải tài liệu Word .docx "
         "(không phải tệp nén zip)"),
        ("form.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
         "form.pdf: lỗi[W001]: tệp không phải tài liệu Word .docx (đây là "
         "tệp PDF)"),
        ("nodoc.docx", zip_bytes([(n, v) for n, v in parts
                                  if n != "word/document.xml"]),
         "nodoc.docx: lỗi[W006]: gói tài liệu thiếu phần word/document.xml"),
    ]
    for name, data, msg in cases:
        src = os.path.join(d, name)
        open(src, "wb").write(data)
        target = os.path.join(d, name + ".xml")
        before = sorted(os.listdir(d))
        rc, out, err = r.run(["extract", src, "-o", target])
        lines = err.splitlines()
        r.check("wordform hostile %s refused with its message" % name,
                rc == 1 and out == b"" and lines[:1] == [
                    msg.replace(name + ":", src + ":", 1)] and
                sorted(os.listdir(d)) == before,
                "rc=%d %r" % (rc, err[:400]))
    # an entry name with a terminal escape: refused, and never printed raw
    # (libzip reads the name as CP437 or refuses the archive; package.c
    # also turns control characters into '?')
    for k, name in enumerate(("\x1b[2J/../y", "\x1b[2J/ả/../y")):
        src = os.path.join(d, "escape%d.docx" % k)
        open(src, "wb").write(zip_bytes(parts + [(name, b"")]))
        rc, out, err = r.run(["extract", src, "-o", src + ".xml"])
        r.check("wordform hostile entry %r refused, no escape printed" % name,
                rc == 1 and "\x1b" not in err and
                not os.path.exists(src + ".xml") and
                ("[W004]" in err or "[W001]" in err), err)
    rc, _, err = r.run(["extract", os.path.join(d, "form.pdf"), "--lang",
                        "en"])
    r.check("wordform hostile message in English with --lang en",
            rc == 1 and "error[W001]: the file is not a Word .docx document "
            "(it is a PDF file)" in err, err)


def run(r):
    d = os.path.join(r.tmp, "wordform")
    os.makedirs(d, exist_ok=True)
    blank = os.path.join(d, "mau.docx")
    pre = os.path.join(d, "mau-prefilled.docx")
    ok, err = make_form(r, blank)
    if not r.check("wordform make_form writes the blank form", ok, err):
        return
    ok, err = make_form(r, pre, filled=True)
    r.check("wordform make_form writes the prefilled form", ok, err)
    # (a)
    doc = schemas(r, blank, "blank")
    r.check("wordform blank: controls show their guidance as placeholder",
            doc.count("<w:showingPlcHdr/>") == 12 and
            "Ngắn gọn, dễ nhớ (Mục III.1)" in doc)
    schemas(r, pre, "prefilled")
    # the blank form extracts to an empty <van-ban>
    rc, out, err = r.run(["extract", blank])
    r.check("wordform blank form extracts to <van-ban> with no field",
            rc == 0 and out.decode() ==
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<van-ban mau="mau-01b" the-thuc="hd36">\n</van-ban>\n', err)
    # (b)
    import fill_form
    filled = os.path.join(d, "filled.docx")
    fill_form.fill(blank, filled, VALUES)
    out_xml = os.path.join(d, "dang-ky.xml")
    rc, out, err = r.run(["extract", filled, "-o", out_xml])
    got = open(out_xml, encoding="utf-8").read() if rc == 0 else ""
    r.check("wordform every control filled by lxml comes back exactly",
            rc == 0 and got == expected_xml(VALUES) and
            err == "đã ghi %s\n" % out_xml,
            "rc=%d %s\n%s" % (rc, err, got))
    # a partly filled form: the blank controls are left out
    # a control whose text is its guidance, without the placeholder mark
    # (as some editors leave it), is blank too
    part = {k: v for k, v in VALUES.items() if k in ("don-vi", "linh-vuc")}
    guid = os.path.join(d, "guidance.docx")
    fill_form.fill(blank, guid, dict(part, **{
        "ten-mo-hinh": "Ngắn gọn, dễ nhớ (Mục III.1)"}))
    rc, out, err = r.run(["extract", guid])
    r.check("wordform a control left at its guidance text is blank",
            rc == 0 and "<ten-mo-hinh>" not in out.decode() and
            "<don-vi>" in out.decode(), out.decode() + err)
    partial = os.path.join(d, "partial.docx")
    fill_form.fill(blank, partial, part)
    rc, out, err = r.run(["extract", partial])
    r.check("wordform a partly filled form gives only the filled fields",
            rc == 0 and out.decode().endswith(
                "  <don-vi>Đoàn Thanh niên xã Yên Bình</don-vi>\n"
                "  <linh-vuc>Xây dựng hệ thống chính trị</linh-vuc>\n"
                "</van-ban>\n"), out.decode() + err)
    # (c)
    if r.args.quick:
        print("SKIP wordform LibreOffice round trip (--quick)")
    else:
        lo = lo_roundtrip(r, filled, os.path.join(d, "lo"))
        if r.check("wordform LibreOffice saves the filled form", bool(lo)):
            with zipfile.ZipFile(lo) as z:
                ldoc = z.read("word/document.xml").decode("utf-8")
            r.check("wordform LibreOffice keeps 12 controls, drops w:tag",
                    ldoc.count("<w:sdt>") == 12 and "<w:tag " not in ldoc,
                    "%d controls" % ldoc.count("<w:sdt>"))
            rc, out, err = r.run(["extract", lo])
            r.check("wordform LibreOffice-saved form extracts by position; "
                    "block controls cut to one paragraph warn W013",
                    rc == 0 and out.decode() ==
                    expected_xml(VALUES, flatten=True) and
                    err.count("cảnh báo[W013]") == 3 and
                    "<thuc-trang>" in err, "rc=%d %s\n%s" % (
                        rc, err, out.decode()))
            lob = lo_roundtrip(r, blank, os.path.join(d, "lo-blank"))
            rc, out, err = r.run(["extract", lob]) if lob else (9, b"", "")
            # LibreOffice 7.4 keeps the placeholder state of drop-downs
            # and dates but drops it (and the PlaceholderText style) for
            # text controls; extract recognises their guidance
            # (vanban-goi-y) and leaves them out too.
            o = out.decode()
            r.check("wordform LibreOffice-saved blank form: no field "
                    "extracted (text controls recognised by their guidance)",
                    rc == 0 and o.endswith('the-thuc="hd36">\n</van-ban>\n')
                    and err == "", "rc=%d %s\n%s" % (rc, err, o))
            # the same, partly filled: only what was filled comes back
            lop = lo_roundtrip(r, partial, os.path.join(d, "lo-partial"))
            rc, out, err = r.run(["extract", lop]) if lop else (9, b"", "")
            r.check("wordform LibreOffice-saved partial form: only the "
                    "filled fields", rc == 0 and out.decode().endswith(
                        'the-thuc="hd36">\n'
                        "  <don-vi>Đoàn Thanh niên xã Yên Bình</don-vi>\n"
                        "  <linh-vuc>Xây dựng hệ thống chính trị</linh-vuc>\n"
                        "</van-ban>\n"), "rc=%d %s\n%s" % (
                            rc, err, out.decode()))
    # (d)
    hostile(r, os.path.join(d, "hostile") if os.makedirs(
        os.path.join(d, "hostile")) is None else d,
        open(blank, "rb").read())
    rc, _, err = r.run(["extract"])
    r.check("wordform extract without a file is a usage error (exit 2)",
            rc == 2 and "vanban extract" in err, err)
