"""run_forms.py - the Word forms the templates make (`vanban form`), end
to end: every field of the template is a control of the right kind; a form
filled programmatically, extracted, gives back exactly the values filled
and the same document as the input they came from; the same after
LibreOffice has opened and saved it; a draft prefills; an incomplete form
extracts to XML that `check` rejects naming each missing field.
Called from tests/run.py (section wordform)."""
import os
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in s if unicodedata.category(c) != "Mn" and
                   c not in " -.,\u2010\u2011\u2012\u2013\u2014").lower()


def template_fields(kind):
    """(path, type, choices {fold: label}) of every leaf field."""
    root = ET.parse(os.path.join(ROOT, "templates", kind + ".xml")).getroot()
    out = []

    def walk(e, prefix):
        for f in e.findall("truong"):
            if f.get("la") == "thuoc-tinh":
                continue
            path = prefix + f.get("ten")
            if f.get("kieu") == "nhom":
                walk(f, path + "/")
                continue
            choices = {}
            for c in f.findall("chon"):
                for s in [c.get("ma"), c.get("nhan")] + \
                        [v.text for v in c.findall("viet")]:
                    choices[fold(s)] = c.get("nhan")
            out.append((path, f.get("kieu", "dong"), choices))
    walk(root, "")
    return out


def source_values(kind, xml):
    """The values a clerk would type into the form for this input: choices
    by their label, dates as dd/mm/yyyy, text and Markdown as written."""
    fields = {p: (t, ch) for p, t, ch in template_fields(kind)}
    root = ET.parse(xml).getroot()
    values = {}

    def walk(e, prefix):
        for k in e:
            path = prefix + k.tag
            if len(k):
                walk(k, path + "/")
                continue
            if path not in fields:
                continue
            t, ch = fields[path]
            text = (k.text or "").strip()
            if t == "lua-chon":
                text = ch[fold(text)]
            elif t == "ngay":
                m = re.match(r"(\d{4})-(\d\d)-(\d\d)$", text)
                if m:
                    text = "%s/%s/%s" % (m.group(3), m.group(2), m.group(1))
            elif t == "markdown":
                # one Word paragraph per line of the Markdown source
                text = "\n\n".join(l.strip() for l in text.splitlines()
                                   if l.strip())
            else:
                text = " ".join(text.split())
            values[path] = text
    walk(root, "")
    return values


def extracted_values(xml_text):
    root = ET.fromstring(xml_text.encode("utf-8"))
    values = {}

    def walk(e, prefix):
        for k in e:
            if len(k):
                walk(k, prefix + k.tag + "/")
            else:
                values[prefix + k.tag] = (k.text or "").strip()
    walk(root, "")
    return values, root.attrib


def docx_part(path, name):
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def tree(r, xml_path=None, data=None):
    argv = ["render", xml_path or "-", "--format", "tree", "-o", "-"]
    rc, out, err = r.run(argv, data)
    return rc, out.decode("utf-8"), err


def run(r, schemas_check):
    import fill_form
    d = os.path.join(r.tmp, "forms-docx")
    os.makedirs(d, exist_ok=True)
    for kind in ("mau-01a", "mau-01b"):
        blank = os.path.join(d, kind + ".docx")
        rc, _, err = r.run(["form", kind, "-o", blank])
        if not r.check("forms %s: vanban form writes the blank form" % kind,
                       rc == 0 and os.path.exists(blank), err):
            continue
        schemas_check(blank, kind)
        doc = docx_part(blank, "word/document.xml")
        tags = re.findall(r'<w:tag w:val="([^"]*)"/>', doc)
        fields = template_fields(kind)
        want = [p for p, _, _ in fields]
        r.check("forms %s: every field of the template is one control" % kind,
                sorted(tags) == sorted(want),
                "missing %s, extra %s" % (sorted(set(want) - set(tags)),
                                          sorted(set(tags) - set(want))))
        n_choice = sum(1 for _, t, _ in fields if t == "lua-chon")
        n_date = sum(1 for _, t, _ in fields if t == "ngay")
        n_md = sum(1 for _, t, _ in fields if t == "markdown")
        r.check("forms %s: %d drop-downs, %d date pickers, %d rich text" % (
            kind, n_choice, n_date, n_md),
            doc.count("<w:dropDownList>") == n_choice and
            doc.count('<w:dateFormat w:val="dd/MM/yyyy"/>') == n_date and
            doc.count("<w:richText/>") == n_md)
        if kind == "mau-01b":
            W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            items = {}
            for sdt in ET.fromstring(doc.encode("utf-8")).iter(W + "sdt"):
                pr = sdt.find(W + "sdtPr")
                dd = pr.find(W + "dropDownList")
                if dd is not None:
                    items[pr.find(W + "tag").get(W + "val")] = [
                        li.get(W + "displayText")
                        for li in dd.findall(W + "listItem")]
            r.check("forms mau-01b: lĩnh vực offers the four lĩnh vực",
                    items.get("linh-vuc") == [
                        "Phát triển kinh tế", "Văn hóa - xã hội",
                        "Quốc phòng - an ninh", "Xây dựng hệ thống chính trị"],
                    repr(items))
        rc, out, err = r.run(["form", kind, "--format", "pdf", "-o",
                              os.path.join(d, kind + ".pdf")])
        text = subprocess.run(["pdftotext", "-raw", os.path.join(
            d, kind + ".pdf"), "-"], capture_output=True).stdout.decode()
        r.check("forms %s: the printable blank has dotted lines" % kind,
                rc == 0 and text.count("....................") >= 5, err)

        for src in sorted(os.listdir(os.path.join(ROOT, "examples"))):
            if not src.startswith(kind):
                continue
            name = src[:-4]
            src = os.path.join(ROOT, "examples", src)
            values = source_values(kind, src)
            filled = os.path.join(d, name + ".filled.docx")
            fill_form.fill(blank, filled, values)
            rc, out, err = r.run(["extract", filled])
            got, attrs = extracted_values(out.decode("utf-8")) if rc == 0 \
                else ({}, {})
            r.check("forms %s: filled by lxml, extract gives back exactly "
                    "the values filled" % name,
                    rc == 0 and got == values and err == "" and
                    attrs.get("mau") == kind,
                    "rc=%d %s\n%r\n%r" % (rc, err, got, values))
            rc1, t1, e1 = tree(r, src)
            rc2, t2, e2 = tree(r, data=out)
            r.check("forms %s: the extracted form is the same document "
                    "as its source (tree dump)" % name,
                    rc1 == 0 and rc2 == 0 and t1 == t2, e1 + e2)
            # a draft prefills the form; extracted, the same document again
            pre = os.path.join(d, name + ".pre.docx")
            rc, _, err = r.run(["form", kind, "--from", src, "-o", pre])
            rc3, out3, err3 = r.run(["extract", pre]) if rc == 0 else (1, b"", err)
            rc4, t4, e4 = tree(r, data=out3)
            r.check("forms %s: --from prefills; extracted it is the same "
                    "document" % name, rc == 0 and rc3 == 0 and rc4 == 0 and
                    t4 == t1, err + err3 + e4)
            # LibreOffice opens and saves the filled form
            lo = os.path.join(d, "lo-" + name)
            os.makedirs(lo, exist_ok=True)
            profile = "file://" + os.path.join(r.tmp, "lo-profile-forms")
            p = subprocess.run(["soffice", "--headless",
                                "-env:UserInstallation=" + profile,
                                "--convert-to", "docx:MS Word 2007 XML",
                                "--outdir", lo, filled],
                               capture_output=True, text=True, timeout=240)
            saved = os.path.join(lo, os.path.basename(filled))
            rc, out, err = r.run(["extract", saved]) if p.returncode == 0 \
                else (1, b"", p.stderr)
            got, _ = extracted_values(out.decode("utf-8")) if rc == 0 \
                else ({}, {})
            single = {k: v for k, v in values.items() if "\n" not in v}
            r.check("forms %s: saved by LibreOffice, every one-paragraph "
                    "field comes back (tags dropped: matched by position)"
                    % name, rc == 0 and all(got.get(k) == v for k, v in
                                            single.items()),
                    "rc=%d %s\n%r" % (rc, err[-800:], {k: (got.get(k), v)
                                      for k, v in single.items()
                                      if got.get(k) != v}))
        # an incomplete form: check names each missing field
        src = os.path.join(ROOT, "examples", kind + "-tap-the.xml")
        values = source_values(kind, src)
        drop = ["ten-mo-hinh", "ngay"]
        part = {k: v for k, v in values.items() if k not in drop}
        filled = os.path.join(d, kind + ".part.docx")
        fill_form.fill(blank, filled, part)
        rc, out, err = r.run(["extract", filled])
        rc2, _, err2 = r.run(["check", "-"], out)
        r.check("forms %s: an incomplete form extracts; check names each "
                "missing field" % kind, rc == 0 and rc2 == 1 and
                all("lỗi[V001]: thiếu trường bắt buộc <%s>" % f in err2
                    for f in drop), err + err2)
