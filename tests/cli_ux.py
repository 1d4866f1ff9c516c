"""tests/cli_ux.py - issue 12, the command: every usage error names the
argument and what is allowed, help in both languages, bash completion, the
first XML error in vanban's words, what an input that is not XML is,
missing data files, what was written, common input habits, the margins
warning, and the README's command lines run as written.

Section `usage` of tests/run.py; every check asserts the exact message."""
import os
import re
import shutil
import subprocess
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EX = os.path.join(ROOT, "examples", "ke-hoach-bac-kan-2017.xml")

FORMATS = {"vi": "pdf, docx, tree, layout, cách nhau bằng dấu phẩy",
           "en": "pdf, docx, tree, layout, separated by commas"}
MARGINS = {"vi": "cần bốn số milimét TRÊN,DƯỚI,TRÁI,PHẢI, dấu chấm thập "
                 "phân, ví dụ 20,20,30,15",
           "en": "needs four numbers of millimetres TOP,BOTTOM,LEFT,RIGHT, "
                 "with a decimal point, e.g. 20,20,30,15"}
OPTIONS = {
    "check": "--lang, --errors, --quiet, --help",
    "render": "-o, --format, --out-dir, --margins, --register, --dinh-chinh, "
              "--lang, --errors, --quiet, --help",
    "templates": "--lang, --help",
    "form": "-o, --from, --format, --lang, --quiet, --help",
    "extract": "-o, --lang, --quiet, --help",
    "register": "--co-quan, --ky-hieu, --profile, --nhiem-ky, --year, "
                "--type, -o, --lang, --help",
}


def unknown(cmd, arg, lang):
    if lang == "en":
        return ("vanban %s: %s: no such option; the options of %s: %s (see "
                "vanban %s --help)\n" % (cmd, arg, cmd, OPTIONS[cmd], cmd))
    return ("vanban %s: %s: không có tùy chọn này; tùy chọn của %s: %s (xem "
            "vanban %s --help)\n" % (cmd, arg, cmd, OPTIONS[cmd], cmd))


def usage_errors(r, d):
    """Each usage error of each subcommand: exit 2, nothing on standard
    output, nothing written, the exact message in both languages."""
    lang_en = ["--lang", "en"]
    cases = []
    for lang in ("vi", "en"):
        tail = lang_en if lang == "en" else []
        en = lang == "en"
        # --frobnicate, for every subcommand
        for cmd, argv in (("check", ["check", EX]),
                          ("render", ["render", EX]),
                          ("templates", ["templates"]),
                          ("form", ["form", "mau-01a"]),
                          ("extract", ["extract", "x.docx"]),
                          ("register", ["register", "list", "so.db"])):
            cases.append((argv + ["--frobnicate"] + tail,
                          unknown(cmd, "--frobnicate", lang)))
        # an option of render is not one of check
        cases.append((["check", EX, "-o", "x.pdf"] + tail,
                      unknown("check", "-o", lang)))
        cases.append((["render", EX, "--format", "png"] + tail,
                      'vanban: --format "png": %s %s\n' % (
                          "use" if en else "dùng", FORMATS[lang])))
        cases.append((["form", "mau-01a", "--format", "png"] + tail,
                      'vanban: --format "png": %s\n' % (
                          "use docx or pdf" if en else "dùng docx hoặc pdf")))
        cases.append((["render", EX, "--margins", "10,10"] + tail,
                      'vanban: --margins "10,10": %s\n' % MARGINS[lang]))
        # two input files
        for cmd, argv, takes in (
                ("check", ["check", EX, EX], ("một tệp đầu vào",
                                              "one input file")),
                ("render", ["render", EX, EX], ("một tệp đầu vào",
                                                "one input file")),
                ("extract", ["extract", "a.docx", "b.docx"],
                 ("một tệp .docx", "one .docx file")),
                ("form", ["form", "mau-01a", "mau-01b"],
                 ("một TÊN_MẪU", "one KIND")),
                ("templates", ["templates", "mau-01a", "mau-01b"],
                 ("nhiều nhất một TÊN_MẪU", "at most one KIND"))):
            extra = argv[-1]
            if en:
                want = ('vanban %s: "%s": one argument too many; %s takes '
                        '%s\n' % (cmd, extra, cmd, takes[1]))
            else:
                want = ('vanban %s: "%s": thừa đối số; %s nhận %s\n' %
                        (cmd, extra, cmd, takes[0]))
            cases.append((argv + tail, want))
        # a missing value (the option is last on the line)
        for argv, allowed in (
                (["render", EX, "--format"], FORMATS),
                (["check", EX, "--errors"], {"vi": "json hoặc text",
                                             "en": "json or text"}),
                (["render", EX, "--margins"],
                 {"vi": "TRÊN,DƯỚI,TRÁI,PHẢI bằng milimét, ví dụ 20,20,30,15",
                  "en": "TOP,BOTTOM,LEFT,RIGHT in millimetres, e.g. "
                        "20,20,30,15"}),
                (["form", "mau-01a", "-o"], {"vi": "tên tệp",
                                             "en": "a file name"}),
                (["extract", "a.docx", "-o"],
                 {"vi": "tên tệp, - là đầu ra chuẩn",
                  "en": "a file name, - for standard output"}),
                (["register", "list", "so.db", "--year"],
                 {"vi": "xem vanban register --help",
                  "en": "see vanban register --help"})):
            argv = tail + argv  # --lang en first: the option stays last
            opt = argv[-1]
            want = ("vanban: %s: the value after it is missing (%s)\n" % (
                opt, allowed["en"]) if en else
                "vanban: %s: thiếu giá trị sau nó (%s)\n" % (
                opt, allowed["vi"]))
            cases.append((argv, want))
        # a missing input
        for cmd, what in (("check", ("tệp đầu vào TỆP.xml (- là đầu vào "
                                     "chuẩn)", "the input FILE.xml (- for "
                                     "standard input)")),
                          ("render", ("tệp đầu vào TỆP.xml (- là đầu vào "
                                      "chuẩn)", "the input FILE.xml (- for "
                                      "standard input)")),
                          ("extract", ("tệp Word đã điền (.docx)",
                                       "the filled Word file (.docx)")),
                          ("form", ("TÊN_MẪU (xem vanban templates)",
                                    "the KIND (see vanban templates)"))):
            want = ("vanban %s: %s is missing; see vanban %s --help\n" % (
                cmd, what[1], cmd) if en else
                "vanban %s: thiếu %s; xem vanban %s --help\n" % (
                cmd, what[0], cmd))
            cases.append(([cmd] + tail, want))
        cases.append((["frobnicate"] + tail,
                      'vanban: "frobnicate": %s: check, render, templates, '
                      'form, extract, register, batch (%s vanban --help)\n' % (
                          "no such command; the commands" if en else
                          "không có lệnh này; các lệnh",
                          "see" if en else "xem")))
        cases.append((["help", "frobnicate"] + tail,
                      'vanban: "frobnicate": %s: check, render, templates, '
                      'form, extract, register, batch (%s vanban --help)\n' % (
                          "no such command; the commands" if en else
                          "không có lệnh này; các lệnh",
                          "see" if en else "xem")))
    # --lang fr: said in Vietnamese (no language chosen yet)
    for cmd, argv in (("check", ["check", EX]), ("render", ["render", EX]),
                      ("templates", ["templates"]),
                      ("form", ["form", "mau-01a"]),
                      ("extract", ["extract", "x.docx"]),
                      ("register", ["register", "list", "so.db"])):
        cases.append((argv + ["--lang", "fr"],
                      'vanban: --lang "fr": dùng vi hoặc en\n'))
    before = sorted(os.listdir(d))
    for argv, want in cases:
        rc, out, err = r.run(argv)
        r.check("usage: vanban %s: exit 2, exactly %r" % (" ".join(
            os.path.basename(a) for a in argv), want.strip()),
            rc == 2 and out == b"" and err == want,
            "rc=%d %r" % (rc, err))
    r.check("usage: no usage error wrote a file",
            sorted(os.listdir(d)) == before and not os.path.exists(
                os.path.join(ROOT, "examples", "ke-hoach-bac-kan-2017.pdf")))


def helps(r):
    """--help, COMMAND --help, help COMMAND: on standard output, exit 0, in
    the language chosen anywhere on the line."""
    rc, out, err = r.run(["--help"])
    text = out.decode()
    r.check("help: vanban --help lists every subcommand, exit 0",
            rc == 0 and err == "" and text.startswith("Cách dùng:\n") and
            all("  vanban %s " % c in text for c in OPTIONS), text[:300])
    rc, out, _ = r.run(["--help", "--lang", "en"])
    r.check("help: vanban --help --lang en is in English",
            rc == 0 and out.decode().startswith("Usage:\n  vanban check "
                                                "FILE.xml"), out[:200])
    rc, out, _ = r.run(["help"])
    r.check("help: vanban help is vanban --help", rc == 0 and
            out.decode().startswith("Cách dùng:\n"), out[:100])
    for cmd in OPTIONS:
        for lang in ("vi", "en"):
            tail = ["--lang", "en"] if lang == "en" else []
            rc, out, err = r.run([cmd, "--help"] + tail)
            rc2, out2, _ = r.run(["help", cmd] + tail)
            rc3, out3, _ = r.run(tail + [cmd, "x.xml", "-h"])
            head = ("Usage:\n  vanban %s " if lang == "en" else
                    "Cách dùng:\n  vanban %s ") % cmd
            text = out.decode()
            named = re.findall(r"^  (-[-\w]+)", text, re.M)
            want = [o for o in OPTIONS[cmd].split(", ") if o != "--help"]
            r.check("help: vanban %s --help (%s): exit 0, its options, the "
                    "same as help %s and -h" % (cmd, lang, cmd),
                    rc == rc2 == rc3 == 0 and err == "" and
                    text.startswith(head) and out == out2 == out3 and
                    (cmd == "register" or sorted(named) == sorted(want)),
                    "%r %r" % (text[:600], named))
    rc, out, _ = r.run(["render", "--help"])
    r.check("help: render --help says what --out-dir does",
            "--out-dir THƯ_MỤC    thư mục ghi tệp ra (tạo nếu chưa có)" in
            out.decode(), out.decode())


def completion(r):
    """completion/vanban.bash, loaded in a bash subprocess: complete -p and
    compgen as bash itself calls them; its options are those of --help."""
    script = os.path.join(ROOT, "completion", "vanban.bash")

    def comp(words):
        prog = ('source "$1"; shift; COMP_WORDS=("$@"); '
                'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _vanban; '
                'printf "%s\\n" "${COMPREPLY[@]}"')
        p = subprocess.run(["bash", "-c", prog, "bash", script] + words,
                           capture_output=True, text=True, cwd=r.tmp,
                           env=dict(os.environ,
                                    PATH=r.build + ":" + os.environ["PATH"]))
        return sorted(x for x in p.stdout.split("\n") if x)

    p = subprocess.run(["bash", "-c", 'source "$1"; complete -p vanban',
                        "bash", script], capture_output=True, text=True)
    r.check("completion: complete -p vanban names _vanban",
            p.returncode == 0 and
            p.stdout == "complete -o filenames -F _vanban vanban\n",
            p.stdout + p.stderr)
    r.check("completion: subcommands",
            comp(["vanban", ""]) == sorted(
                ["check", "render", "templates", "form", "extract",
                 "register", "batch", "help", "--help", "--version"]),
            str(comp(["vanban", ""])))
    r.check("completion: 're' gives render and register",
            comp(["vanban", "re"]) == ["register", "render"])
    r.check("completion: --format values of render",
            comp(["vanban", "render", "a.xml", "--format", ""]) ==
            sorted(["pdf", "docx", "tree", "layout", "pdf,docx"]))
    r.check("completion: --format values of form",
            comp(["vanban", "form", "mau-01a", "--format", ""]) ==
            ["docx", "pdf"])
    r.check("completion: --lang values",
            comp(["vanban", "check", "--lang", ""]) == ["en", "vi"])
    r.check("completion: register subcommands",
            comp(["vanban", "register", ""]) ==
            sorted(["init", "nhiem-ky", "add-body", "list", "export",
                    "print"]))
    r.check("completion: form kinds from vanban templates",
            comp(["vanban", "form", "mau"]) == ["mau-01a", "mau-01b"],
            str(comp(["vanban", "form", "mau"])))
    for cmd in OPTIONS:
        got = comp(["vanban", cmd, "--"]) + comp(["vanban", cmd, "-o"])
        want = sorted(o for o in OPTIONS[cmd].split(", ")
                      if o.startswith("--")) + (["-o"] if "-o" in
                                                OPTIONS[cmd].split(", ")
                                                else [])
        r.check("completion: the options of %s are those its help names" %
                cmd, sorted(set(got)) == sorted(want), "%s %s" % (got, want))
    d = os.path.join(r.tmp, "comp")
    os.makedirs(d)
    for f in ("a.xml", "b.docx", "c.txt", "d.csv", "e.xlsx"):
        open(os.path.join(d, f), "w").close()
    r.check("completion: batch offers the kinds, then .csv and .xlsx lists",
            comp(["vanban", "batch", "giay"]) == ["giay-chung-nhan"] and
            comp(["vanban", "batch", "giay-chung-nhan", "comp/"]) ==
            ["comp/d.csv", "comp/e.xlsx"],
            str(comp(["vanban", "batch", "giay-chung-nhan", "comp/"])))
    r.check("completion: batch options",
            "--split" in comp(["vanban", "batch", "--"]) and
            comp(["vanban", "batch", "x", "--kho", ""]) == ["A3", "A4"])
    r.check("completion: check offers .xml files and folders",
            comp(["vanban", "check", "comp/"]) == ["comp/a.xml"],
            str(comp(["vanban", "check", "comp/"])))
    r.check("completion: extract offers .docx files",
            comp(["vanban", "extract", "comp/"]) == ["comp/b.docx"])


def line25_case():
    """The issue's case: an unescaped "<" on line 25 of a 79-line plan,
    which libxml2's last error put at line 79 ("Premature end of data")."""
    src = open(os.path.join(ROOT, "examples", "ke-hoach-gia-lai-2017.xml"),
               encoding="utf-8").read().split("\n")
    lines = src[:17] + ["<!-- %d -->" % i for i in range(7)] + src[17:]
    assert "giai đoạn 2017 - 2020" in lines[24]
    lines[24] = lines[24].replace("giai đoạn 2017 - 2020",
                                  "giai đoạn <b>2017")
    i = len(lines) - 1
    while len(lines) > 79:
        i -= 1
        if not lines[i].strip():
            del lines[i]
    return "\n".join(lines).encode("utf-8")


def xml_errors(r, d):
    data = line25_case()
    assert data.count(b"\n") == 78
    path = os.path.join(d, "ke-hoach.xml")
    open(path, "wb").write(data)
    p = subprocess.run(["xmllint", "--noout", path], capture_output=True)
    lint = p.stderr.decode("utf-8", "replace")
    r.check("xml: the line-25 case is what libxml2 reports last at line 79",
            re.search(r":79: parser error : Premature end of data",
                      lint) is not None, lint)
    line = data.decode().split("\n")[24]
    # libxml2 points just past the end tag that does not match
    assert line.endswith("</trich-yeu>")
    col = len(line) + 1
    want = {
        "vi": "%s:25:%d: lỗi[X035]: thẻ đóng </trich-yeu> không khớp với "
              "thẻ đang mở <b> (dòng 25); nếu dấu \"<\" thuộc về chữ, hãy "
              "viết &lt;" % (path, col),
        "en": "%s:25:%d: error[X035]: the end tag </trich-yeu> does not "
              "match the open tag <b> (line 25); if the \"<\" belongs to "
              "the text, write &lt;" % (path, col)}
    for lang in ("vi", "en"):
        rc, _, err = r.run(["check", path, "--lang", lang])
        lines = err.splitlines()
        r.check("xml: an unescaped \"<\" on line 25 is reported at line 25, "
                "libxml2's first error (%s)" % lang,
                rc == 1 and len(lines) == 4 and lines[0] == want[lang] and
                lines[3] == ("1 lỗi, 0 cảnh báo." if lang == "vi" else
                             "1 error, 0 warnings."), repr(err))
    # libxml2's common errors, each in vanban's words, the position kept
    cases = [
        ("x < y in text", b"<van-ban>a < b</van-ban>", "-:1:13:", "X037",
         'sau dấu "<" phải là tên thẻ; dấu "<" trong chữ phải viết là &lt;',
         'a tag name must follow "<"; a "<" in text must be written &lt;'),
        ("& in text", b"<van-ban>a & b</van-ban>", "-:1:13:", "X039",
         'dấu "&" trong chữ phải viết là &amp;',
         'a "&" in text must be written &amp;'),
        ("attribute without quotes", b"<van-ban x=1></van-ban>", "-:1:12:",
         "X038",
         'thẻ hay thuộc tính viết sai: thẻ đóng bằng ">", thuộc tính có '
         'dạng ten="giá trị", mỗi thuộc tính một lần, không có "<" trong '
         'giá trị',
         'malformed tag or attribute: a tag ends with ">", an attribute is '
         'name="value", each attribute once, no "<" in a value'),
        ("attribute twice", b'<van-ban a="1" a="2"></van-ban>', "-:1:21:",
         "X038", None, None),
        ("premature end", b"<van-ban>\n  <ten>x\n", "-:3:1:", "X036",
         "tệp hết khi thẻ <ten> (dòng 2) chưa được đóng",
         "the file ends while the tag <ten> (line 2) is still open"),
        ("tag mismatch", b"<van-ban><a></b></van-ban>", "-:1:17:", "X035",
         'thẻ đóng </b> không khớp với thẻ đang mở <a> (dòng 1); nếu dấu '
         '"<" thuộc về chữ, hãy viết &lt;',
         'the end tag </b> does not match the open tag <a> (line 1); if '
         'the "<" belongs to the text, write &lt;'),
        ("content after the root", b"<van-ban/>\n<b/>", "-:2:1:", "X040",
         "còn nội dung sau thẻ đóng </van-ban> của phần tử gốc; một tệp "
         "chỉ có một văn bản <van-ban>",
         "content follows the end tag </van-ban> of the root element; a "
         "file holds one <van-ban> document"),
        ("empty file", b"  \n", "-:", "X041",
         "tệp trống, không có văn bản nào",
         "the file is empty: no document in it"),
        ("invalid UTF-8", b"<van-ban>\xff</van-ban>", "-:1:10:", "X006",
         "văn bản không phải mã UTF-8 hợp lệ (có byte hay ký tự không hợp "
         "lệ ở vị trí này)",
         "the text is not valid UTF-8 (an invalid byte or character at this "
         "position)"),
    ]
    english = re.compile(r"\b(tag|Premature|parser|error|expected|Start|"
                         r"Couldn't|attribute|encoding)\b")
    for what, data, at, code, vi, en in cases:
        for lang, msg in (("vi", vi), ("en", en)):
            rc, _, err = r.run(["check", "-", "--lang", lang], data)
            first = err.splitlines()[0] if err else ""
            sev = "lỗi" if lang == "vi" else "error"
            want = "%s %s[%s]: %s" % (at, sev, code, msg) if msg else None
            ok = (first == want if want else
                  first.startswith("%s %s[%s]: " % (at, sev, code)))
            if lang == "vi":
                ok = ok and not english.search(err)
            r.check("xml: %s is %s in vanban's words (%s)" % (what, code,
                                                              lang),
                    rc == 1 and ok, repr(err))


def not_xml(r, d):
    """A Word file (even renamed .xml), a PDF, a ZIP, an XLSX, a Word
    97-2003 file or plain text: what it is and what vanban reads."""
    docx = os.path.join(d, "mau.docx")
    rc, _, err = r.run(["form", "mau-01a", "-o", docx, "--quiet"])
    renamed = os.path.join(d, "mau-da-dien.xml")
    shutil.copy(docx, renamed)
    pdf = os.path.join(d, "k.pdf")
    rc2, _, _ = r.run(["render", EX, "-o", pdf, "--quiet"])
    zf = os.path.join(d, "goi.zip")
    with zipfile.ZipFile(zf, "w") as z:
        z.writestr("ke-hoach.xml", open(EX, "rb").read())
    xlsx = os.path.join(d, "bang.xlsx")
    with zipfile.ZipFile(xlsx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    doc = os.path.join(d, "cu.doc")
    open(doc, "wb").write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 504)
    txt = os.path.join(d, "ghi-chu.txt")
    open(txt, "w", encoding="utf-8").write("Kế hoạch số 130\nNội dung...\n")
    r.check("notxml: inputs made", rc == 0 and rc2 == 0, err)
    vi = {
        "X030": "đây là tệp Word (.docx), không phải văn bản XML; vanban đọc "
                "tệp XML có phần tử gốc <van-ban> (docs/input-format.md); "
                "nếu đây là mẫu Word của vanban đã điền, hãy dùng: vanban "
                "extract %s",
        "X031": "đây là tệp PDF, không phải văn bản XML; vanban đọc tệp XML "
                "có phần tử gốc <van-ban> và từ đó ghi ra PDF (vanban render)",
        "X032": "đây là tệp nén ZIP, không phải văn bản XML; hãy giải nén và "
                "đưa cho vanban tệp .xml có phần tử gốc <van-ban>",
        "X033": "đây là bảng tính Excel (.xlsx), không phải văn bản XML; "
                "vanban đọc tệp XML có phần tử gốc <van-ban> "
                "(docs/input-format.md)",
        "X042": "đây là tệp Word hay Excel 97-2003 (.doc, .xls), không phải "
                "văn bản XML; vanban đọc tệp XML có phần tử gốc <van-ban> "
                "(docs/input-format.md)",
        "X034": "đây là văn bản thường, không phải XML; vanban đọc tệp XML "
                "có phần tử gốc <van-ban>: xem docs/input-format.md, hay lấy "
                "mẫu trống bằng vanban form",
    }
    en = {
        "X030": "this is a Word file (.docx), not an XML document; vanban "
                "reads XML files whose root element is <van-ban> "
                "(docs/input-format.md); if it is a filled vanban Word form, "
                "use: vanban extract %s",
        "X034": "this is plain text, not XML; vanban reads XML files whose "
                "root element is <van-ban>: see docs/input-format.md, or get "
                "a blank form with vanban form",
    }
    for what, path, code in (("a Word file", docx, "X030"),
                             ("a Word file renamed .xml", renamed, "X030"),
                             ("a PDF", pdf, "X031"), ("a ZIP", zf, "X032"),
                             ("an XLSX", xlsx, "X033"),
                             ("a Word 97-2003 file", doc, "X042"),
                             ("plain text", txt, "X034")):
        msg = vi[code] % path if "%s" in vi[code] else vi[code]
        rc, _, err = r.run(["check", path])
        r.check("notxml: %s: %s in Vietnamese, with what vanban reads" %
                (what, code), rc == 1 and err == "%s: lỗi[%s]: %s\n1 lỗi, 0 "
                "cảnh báo.\n" % (path, code, msg), repr(err))
        if code in en:
            msg = en[code] % path if "%s" in en[code] else en[code]
            rc, _, err = r.run(["render", path, "--lang", "en", "-o",
                                os.path.join(d, "khong.pdf")])
            r.check("notxml: %s: %s in English (render)" % (what, code),
                    rc == 1 and err == "%s: error[%s]: %s\n1 error, 0 "
                    "warnings.\n" % (path, code, msg), repr(err))
    # the hint is right: extract reads the filled form
    rc, out, _ = r.run(["extract", renamed])
    r.check("notxml: vanban extract reads the Word form the hint names",
            rc == 0 and b"<van-ban" in out)


def data_files(r, d):
    """A missing font, profile or template names the file and the data
    folder searched (X043), in both languages."""
    data = os.path.join(d, "data")
    os.makedirs(os.path.join(data, "templates"))
    env = dict(os.environ, VANBAN_DATADIR=data)
    vi_tail = ("; đã tìm trong thư mục dữ liệu %s (biến VANBAN_DATADIR); "
               "đặt VANBAN_DATADIR để chỉ thư mục dữ liệu khác" % data)
    en_tail = ("; searched the data folder %s (the VANBAN_DATADIR variable);"
               " set VANBAN_DATADIR to point at another data folder" % data)
    steps = [("templates/ke-hoach.xml", None),
             ("templates/profiles/mttq.xml", "templates"),
             ("fonts/LiberationSerif-Regular.ttf", "profiles")]
    for rel, add in steps:
        if add == "templates":
            for f in os.listdir(os.path.join(ROOT, "templates")):
                if f.endswith(".xml"):
                    shutil.copy(os.path.join(ROOT, "templates", f),
                                os.path.join(data, "templates"))
        elif add == "profiles":
            shutil.copytree(os.path.join(ROOT, "templates", "profiles"),
                            os.path.join(data, "templates", "profiles"))
        argv = ["render", EX, "-o", os.path.join(d, "x.pdf")] if \
            rel.startswith("fonts") else ["check", EX]
        for lang in ("vi", "en"):
            rc, _, err = r.run(argv + ["--lang", lang], env=env)
            first = err.splitlines()[0] if err else ""
            want = ("%s/%s: lỗi[X043]: thiếu tệp dữ liệu %s%s" % (
                data, rel, rel, vi_tail) if lang == "vi" else
                "%s/%s: error[X043]: data file %s is missing%s" % (
                data, rel, rel, en_tail))
            r.check("data: a missing %s names it and the folder searched "
                    "(%s)" % (rel, lang), rc == 1 and first == want and
                    not os.path.exists(os.path.join(d, "x.pdf")), repr(err))
    # a template that is there but unreadable is not "unknown template"
    tpl = os.path.join(data, "templates", "mau-01a.xml")
    os.unlink(tpl)
    os.mkfifo(tpl)
    rc, _, err = r.run(["check", os.path.join(ROOT, "examples",
                                              "mau-01a-ca-nhan.xml")],
                       env=env)
    r.check("data: a FIFO as a template is X005, not M001",
            rc == 1 and err.splitlines()[0] == "%s: lỗi[X005]: không đọc "
            "được tệp: không phải tệp thông thường" % tpl, repr(err))
    # an unknown kind, with templates there, is still M001
    bad = os.path.join(d, "m.xml")
    open(bad, "wb").write(open(EX, "rb").read().replace(
        b'<van-ban loai="ke-hoach"', b'<van-ban mau="khong-co" '
        b'loai="ke-hoach"', 1))
    rc, _, err = r.run(["check", bad], env=env)
    r.check("data: an unknown kind is still M001", rc == 1 and
            "lỗi[M001]" in err, repr(err))


def written(r, d):
    """Success says what was written, on stderr, unless --quiet; check says
    "hợp lệ" with the count of warnings."""
    src = os.path.join(d, "ke-hoach.xml")
    shutil.copy(EX, src)
    pdf, docx = src[:-4] + ".pdf", src[:-4] + ".docx"
    rc, out, err = r.run(["render", src])
    pages = subprocess.run(["pdfinfo", pdf], capture_output=True,
                           text=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", pages).group(1)) if pages else 0
    r.check("written: render says what it wrote, with the PDF's pages",
            rc == 0 and out == b"" and n > 1 and
            err == "đã ghi %s (%d trang), %s\n" % (pdf, n, docx), repr(err))
    rc, out, err = r.run(["render", src, "--lang", "en", "--format",
                          "pdf,tree"])
    r.check("written: in English, pages plural, the tree too",
            rc == 0 and err == "wrote %s (%d pages), %s\n" % (
                pdf, n, src[:-4] + ".tree.txt"), repr(err))
    rc, out, err = r.run(["render", src, "--quiet"])
    r.check("written: --quiet says nothing", rc == 0 and err == "", err)
    rc, out, err = r.run(["render", src, "-o", "-", "--format", "tree"])
    r.check("written: -o - (standard output) names no file",
            rc == 0 and err == "" and out, err)
    short = os.path.join(d, "ngan.xml")
    open(short, "w", encoding="utf-8").write(open(
        os.path.join(ROOT, "examples", "mau-01b-ca-nhan.xml"),
        encoding="utf-8").read())
    rc, out, err = r.run(["render", short, "--format", "pdf", "--lang",
                          "en"])
    r.check("written: a one-page PDF is \"1 page\"", rc == 0 and
            err == "wrote %s (1 page)\n" % (short[:-4] + ".pdf"), repr(err))
    out_dir = os.path.join(d, "ra")
    rc, _, err = r.run(["render", src, "--out-dir", out_dir, "--format",
                        "docx"])
    r.check("written: --out-dir creates a missing folder and says so",
            rc == 0 and err == "vanban: đã tạo thư mục %s\nđã ghi %s/ke-hoach"
            ".docx\n" % (out_dir, out_dir) and
            os.listdir(out_dir) == ["ke-hoach.docx"], repr(err))
    deep = os.path.join(d, "khong", "co")
    rc, _, err = r.run(["render", src, "--out-dir", deep, "--lang", "en"])
    r.check("written: --out-dir two levels deep is refused, plainly",
            rc == 1 and err == 'vanban: --out-dir "%s": its parent folder '
            'does not exist; vanban creates one level only\n' % deep and
            not os.path.exists(os.path.join(d, "khong")), repr(err))
    bad = os.path.join(d, "hong.xml")
    open(bad, "wb").write(re.sub(rb"<ngay>[^<]*</ngay>",
                                 b"<ngay>31/02/2017</ngay>",
                                 open(EX, "rb").read()))
    gone = os.path.join(d, "moi")
    rc, _, err = r.run(["render", bad, "--out-dir", gone])
    r.check("written: a failed render creates no folder", rc == 1 and
            not os.path.exists(gone), err)
    rc, _, err = r.run(["check", src])
    r.check("written: check says hợp lệ", rc == 0 and
            err == "%s: hợp lệ.\n" % src, repr(err))
    warn = os.path.join(d, "canh-bao.xml")
    open(warn, "wb").write(open(EX, "rb").read().replace(
        b'<van-ban loai="ke-hoach"', b'<van-ban x="1" y="2" loai="ke-hoach"',
        1))
    for lang, want in (("vi", "0 lỗi, 2 cảnh báo.\n%s: hợp lệ, 2 cảnh báo.\n"),
                       ("en", "0 errors, 2 warnings.\n%s: valid, 2 "
                              "warnings.\n")):
        rc, _, err = r.run(["check", warn, "--lang", lang])
        r.check("written: check with warnings: valid and their count (%s)" %
                lang, rc == 0 and err.endswith(want % warn) and
                err.count("[V070]") == 2, repr(err))
    form = os.path.join(d, "mau.docx")
    rc, _, err = r.run(["form", "mau-01a", "-o", form])
    r.check("written: form says what it wrote", rc == 0 and
            err == "đã ghi %s\n" % form, repr(err))
    xml = os.path.join(d, "lai.xml")
    rc, _, err = r.run(["extract", form, "-o", xml, "--lang", "en"])
    r.check("written: extract -o says what it wrote", rc == 0 and
            err == "wrote %s\n" % xml, repr(err))


def habits(r, d):
    """Dates as DD-MM-YYYY and D/M/YYYY, profile names in any case, the
    margins warning naming the range used."""
    data = open(EX, encoding="utf-8").read()
    rc, want_tree, _ = r.run(["render", EX, "--format", "tree", "-o", "-"])
    for date in ("29-06-2017", "29/6/2017", "29-6-2017", "29/06/2017"):
        text = re.sub(r"<ngay>[^<]*</ngay>", "<ngay>%s</ngay>" % date, data)
        rc, tree, err = r.run(["render", "-", "--format", "tree", "-o", "-"],
                              text.encode("utf-8"))
        r.check("habits: the date %s is read as 2017-06-29" % date,
                rc == 0 and err == "" and tree == want_tree, err)
    text = re.sub(r"<ngay>[^<]*</ngay>", "<ngay>2017/06/29</ngay>", data)
    rc, _, err = r.run(["check", "-"], text.encode("utf-8"))
    r.check("habits: 2017/06/29 is refused, naming the forms accepted",
            rc == 1 and 'lỗi[V011]: ngày "2017/06/29" phải viết dạng '
            'YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY' in err, err)
    for name in ("MTTQ", "Mttq"):
        text = data.replace('the-thuc="mttq"', 'the-thuc="%s"' % name)
        rc, tree, err = r.run(["render", "-", "--format", "tree", "-o", "-"],
                              text.encode("utf-8"))
        r.check("habits: the-thuc=\"%s\" is the profile mttq" % name,
                rc == 0 and err == "" and tree == want_tree, err)
    text = data.replace('the-thuc="mttq"', 'the-thuc="MTTQ/../nd30"')
    rc, _, err = r.run(["check", "-"], text.encode("utf-8"))
    r.check("habits: a profile name is still never a path", rc == 1 and
            "lỗi[V005]" in err, err)
    out = os.path.join(d, "lề.pdf")
    for lang, want in (
            ("vi", ["%s: cảnh báo[V150]: lề trên 10 mm nằm ngoài khoảng cho "
                    "phép; dùng 20 mm (khoảng cho phép 20–25 mm, NĐ 30)",
                    "%s: cảnh báo[V150]: lề phải 40 mm nằm ngoài khoảng cho "
                    "phép; dùng 20 mm (khoảng cho phép 15–20 mm, NĐ 30)",
                    "0 lỗi, 2 cảnh báo."]),
            ("en", ["%s: warning[V150]: the top margin of 10 mm is outside "
                    "the allowed range; used 20 mm (allowed 20–25 mm, NĐ 30)",
                    "%s: warning[V150]: the right margin of 40 mm is outside "
                    "the allowed range; used 20 mm (allowed 15–20 mm, NĐ 30)",
                    "0 errors, 2 warnings."])):
        rc, _, err = r.run(["render", EX, "--margins", "10,20,30,40", "-o",
                            out, "--lang", lang, "--quiet"])
        want = [w % EX if "%s" in w else w for w in want]
        r.check("habits: --margins outside the ranges: V150 naming the range "
                "used (%s)" % lang, rc == 0 and err.splitlines() == want,
                repr(err))
    rc, _, err = r.run(["render", EX, "--margins", "25,20,35,20", "-o", out,
                        "--quiet"])
    r.check("habits: --margins inside the ranges: no warning", rc == 0 and
            err == "", err)


def readme(r, d):
    """Every line of the README's command section, run as written in a
    folder holding examples/, plan.xml and ke-hoach.xml."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    sec = text.split("\n## The command\n", 1)[1].split("\n## ", 1)[0]
    lines = [l[4:] for l in sec.split("\n")
             if l.startswith("    build/vanban ")]
    r.check("readme: the command section has its lines", len(lines) >= 10,
            str(len(lines)))
    w = os.path.join(d, "readme")
    os.makedirs(w)
    shutil.copytree(os.path.join(ROOT, "examples"),
                    os.path.join(w, "examples"))
    os.symlink(r.build, os.path.join(w, "build"))
    shutil.copy(EX, os.path.join(w, "plan.xml"))
    nd30 = open(os.path.join(ROOT, "tests", "fidelity", "nd30-ubnd-xa.xml"),
                encoding="utf-8").read()
    open(os.path.join(w, "ke-hoach.xml"), "w", encoding="utf-8").write(
        re.sub(r"\s*<so>\d+</so>", "", nd30, 1))
    for line in lines:
        p = subprocess.run(["bash", "-c", "set -o pipefail; " + line],
                           cwd=w, capture_output=True, timeout=120)
        r.check("readme: runs: %s" % line[:70], p.returncode == 0,
                p.stderr.decode("utf-8", "replace")[-800:])
    made = sorted(os.listdir(w))
    for f in ("plan.pdf", "plan.docx", "so.db", "so-2024.xlsx",
              "mau-01a.docx", "ke-hoach.pdf", "out"):
        r.check("readme: the lines made %s" % f, f in made, str(made))


def run(r):
    d = os.path.join(r.tmp, "usage")
    os.makedirs(d, exist_ok=True)
    usage_errors(r, d)
    helps(r)
    completion(r)
    xml_errors(r, d)
    not_xml(r, d)
    data_files(r, d)
    written(r, d)
    habits(r, d)
    readme(r, d)
