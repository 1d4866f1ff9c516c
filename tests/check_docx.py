#!/usr/bin/python3
"""check_docx.py - checks a DOCX written by vanban with real clients.

usage: check_docx.py FILE.docx [--pdf VANBAN.pdf] [--schemas DIR]

Prints one line per check, "PASS <name>" or "FAIL <name>: <reason>", and
exits 1 when any check failed. Checks:
  1. the package: every XML part validates with xmllint against the
     ECMA/ISO transitional XSDs (WordprocessingML parts, content types,
     relationships; docProps/core.xml only for well-formedness, because
     opc-coreProperties.xsd does not compile under xmllint), every part has
     a content type and every relationship target exists;
  2. python-docx opens it, the section is A4 with sane margins, every
     paragraph text (table cells included) is readable, and the page number
     field sits in the header with titlePg;
  3. with --pdf: LibreOffice converts it to PDF; the page count equals the
     vanban PDF's, and pdftotext -raw of both gives the same text (words
     joined, so a line broken after a hyphen still matches; page numbers
     left out); pages that start at a different word are noted.

Run it with Debian's /usr/bin/python3, which has python3-docx. The
functions are importable (validate_schema, docx_texts, lo_convert, ...).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SCHEMAS = os.path.join(REPO, "..", "shared", "ooxml-schemas", "schemas")

# LibreOffice takes 1-3 s on a small document; allow for a cold start.
LO_TIMEOUT = 180
TOOL_TIMEOUT = 60
# A4 in EMU (python-docx lengths) and the tolerance for twips rounding.
EMU_PER_MM = 36000
A4_MM = (210.0, 297.0)
A4_TOL_MM = 0.5

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class CheckError(Exception):
    """A check failed; the message says why."""


def schema_for(part, schemas):
    """XSD path for a package part name, None for well-formedness only."""
    if part == "[Content_Types].xml":
        return os.path.join(schemas, "ecma", "fouth-edition",
                            "opc-contentTypes.xsd")
    if part.endswith(".rels"):
        return os.path.join(schemas, "ecma", "fouth-edition",
                            "opc-relationships.xsd")
    if part == "docProps/custom.xml":
        return os.path.join(schemas, "ISO-IEC29500-4_2016",
                            "shared-documentPropertiesCustom.xsd")
    if part.startswith("word/") and part.endswith(".xml"):
        # Microsoft's wml-2010.xsd imports word12.xsd, which imports the
        # ISO 29500-4 transitional wml.xsd: one schema for w: parts.
        return os.path.join(schemas, "microsoft", "wml-2010.xsd")
    return None


def validate_schema(path, schemas, xsd=None):
    """Validates one XML file with xmllint; raises CheckError with
    xmllint's first complaint. xsd None: well-formedness only."""
    cmd = ["xmllint", "--noout", "--nonet"]
    if xsd:
        if not os.path.exists(xsd):
            raise CheckError("schema %s not found" % xsd)
        cmd += ["--schema", xsd]
    cmd.append(path)
    p = subprocess.run(cmd, capture_output=True, text=True,
                       timeout=TOOL_TIMEOUT)
    if p.returncode != 0:
        lines = [l for l in p.stderr.splitlines()
                 if l.strip() and not l.endswith("fails to validate")]
        msg = lines[0] if lines else "xmllint exit %d" % p.returncode
        # Shorter: "document.xml:2: ... Element 'w:spacing': ..."
        msg = msg.replace("{%s}" % W_NS, "w:").replace(
            os.path.dirname(path) + os.sep, "")
        raise CheckError(msg)


def unzip(path, outdir):
    """Extracts the package; returns the sorted part names."""
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad:
            raise CheckError("corrupt zip entry %s" % bad)
        names = sorted(n for n in z.namelist() if not n.endswith("/"))
        for n in names:
            if n.startswith("/") or ".." in n.split("/"):
                raise CheckError("unsafe part name %r" % n)
        z.extractall(outdir)
    return names


def check_package(outdir, names):
    """Every part has a content type; every internal relationship target
    exists. Raises CheckError."""
    if "[Content_Types].xml" not in names:
        raise CheckError("no [Content_Types].xml")
    ct = ET.parse(os.path.join(outdir, "[Content_Types].xml")).getroot()
    defaults = {d.get("Extension").lower()
                for d in ct.findall("{%s}Default" % CT_NS)}
    overrides = {o.get("PartName") for o in ct.findall("{%s}Override" % CT_NS)}
    for n in names:
        if n == "[Content_Types].xml":
            continue
        ext = n.rsplit(".", 1)[-1].lower()
        if "/" + n not in overrides and ext not in defaults:
            raise CheckError("part %s has no content type" % n)
    for o in overrides:
        if o[1:] not in names:
            raise CheckError("content type for missing part %s" % o)
    for n in names:
        if not n.endswith(".rels"):
            continue
        base = os.path.dirname(os.path.dirname(n))
        for r in ET.parse(os.path.join(outdir, n)).getroot():
            if r.get("TargetMode") == "External":
                continue
            target = r.get("Target")
            full = target[1:] if target.startswith("/") else \
                os.path.normpath(os.path.join(base, target)).replace("\\", "/")
            if full not in names:
                raise CheckError("%s: %s points to missing %s"
                                 % (n, r.get("Id"), full))


def docx_texts(path):
    """Every paragraph text in body order, table cells included (row by
    row, cell by cell)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    doc = docx.Document(path)
    out = []

    def walk(parent_el, parent):
        for el in parent_el.iterchildren():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "p":
                out.append(Paragraph(el, parent).text)
            elif tag == "tbl":
                for row in Table(el, parent).rows:
                    for cell in row.cells:
                        walk(cell._tc, cell)

    walk(doc.element.body, doc)
    return out


def docx_section(path):
    """(width_mm, height_mm, top, right, bottom, left margins in mm) of the
    first section, read by python-docx."""
    import docx
    s = docx.Document(path).sections[0]
    vals = (s.page_width, s.page_height, s.top_margin, s.right_margin,
            s.bottom_margin, s.left_margin)
    if any(v is None for v in vals):
        raise CheckError("section lacks page size or margins")
    return tuple(v / EMU_PER_MM for v in vals)


def check_section(path):
    w, h, top, right, bottom, left = docx_section(path)
    dims = sorted((w, h))
    if abs(dims[0] - A4_MM[0]) > A4_TOL_MM or abs(dims[1] - A4_MM[1]) > A4_TOL_MM:
        raise CheckError("page %.1f x %.1f mm is not A4" % (w, h))
    for name, m, size in (("top", top, h), ("bottom", bottom, h),
                          ("left", left, w), ("right", right, w)):
        if m <= 0 or m >= size / 2:
            raise CheckError("%s margin %.2f mm" % (name, m))
    return "A4 %.1fx%.1f mm, margins %.2f/%.2f/%.2f/%.2f mm" % (
        w, h, top, right, bottom, left)


def check_page_number(outdir):
    """The default header holds a PAGE field; when a first-page header is
    referenced, titlePg is set and that header holds no field."""
    doc = ET.parse(os.path.join(outdir, "word", "document.xml")).getroot()
    rels = ET.parse(os.path.join(outdir, "word", "_rels",
                                 "document.xml.rels")).getroot()
    target = {r.get("Id"): r.get("Target") for r in rels}
    sect = doc.find("{%s}body/{%s}sectPr" % (W_NS, W_NS))
    if sect is None:
        raise CheckError("no body sectPr")
    refs = {}
    for ref in sect.findall("{%s}headerReference" % W_NS):
        rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/"
                      "2006/relationships}id")
        refs[ref.get("{%s}type" % W_NS)] = target.get(rid)

    def has_page(part):
        if not part:
            return False
        with open(os.path.join(outdir, "word", part), encoding="utf-8") as f:
            x = f.read()
        return re.search(r'instr="\s*PAGE\b|<w:instrText[^>]*>\s*PAGE\b', x) \
            is not None

    if not has_page(refs.get("default")):
        raise CheckError("default header has no PAGE field")
    if "first" in refs:
        if sect.find("{%s}titlePg" % W_NS) is None:
            raise CheckError("first-page header without titlePg")
        if has_page(refs["first"]):
            raise CheckError("first-page header shows a page number")
        return "PAGE in header, none on page 1"
    return "PAGE in header on every page"


def lo_convert(path, outdir):
    """Converts a .docx (or any document) to PDF with LibreOffice headless
    and returns the PDF's path. Uses a private profile and HOME inside
    outdir, so it runs anywhere and in parallel."""
    os.makedirs(outdir, exist_ok=True)
    home = tempfile.mkdtemp(prefix="lohome-", dir=outdir)
    env = dict(os.environ, HOME=home)
    cmd = ["soffice", "--headless", "--norestore",
           "-env:UserInstallation=file://%s/lo" % home,
           "--convert-to", "pdf", "--outdir", outdir, path]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env,
                           timeout=LO_TIMEOUT)
    except FileNotFoundError:
        raise CheckError("soffice not found")
    except subprocess.TimeoutExpired:
        raise CheckError("soffice timed out after %d s" % LO_TIMEOUT)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    pdf = os.path.join(outdir,
                       os.path.splitext(os.path.basename(path))[0] + ".pdf")
    if p.returncode != 0 or not os.path.exists(pdf):
        raise CheckError("soffice failed (exit %d): %s"
                         % (p.returncode, (p.stderr or p.stdout).strip()[:200]))
    return pdf


def pdf_pages(pdf):
    p = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True,
                       timeout=TOOL_TIMEOUT)
    m = re.search(r"^Pages:\s+(\d+)", p.stdout, re.M)
    if p.returncode != 0 or not m:
        raise CheckError("pdfinfo failed on %s" % pdf)
    return int(m.group(1))


def pdf_page_words(pdf):
    """Words of pdftotext -raw, page by page, without the page number that
    heads a page (the header field in the DOCX, drawn by vanban in the
    PDF), so that content can be compared apart from where pages break."""
    p = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                       capture_output=True, timeout=TOOL_TIMEOUT)
    if p.returncode != 0:
        raise CheckError("pdftotext failed on %s" % pdf)
    pages = p.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    out = []
    for i, text in enumerate(pages):
        words = text.split()
        if words and words[0] == str(i + 1):
            words = words[1:]
        out.append(words)
    return out


def pdf_words(pdf):
    """All words of the PDF in reading order, page numbers left out."""
    return [w for page in pdf_page_words(pdf) for w in page]


def first_difference(a, b, context=30):
    """None when the two word lists hold the same text once joined (Word
    and LibreOffice may break a line after a hyphen, which vanban never
    does, so "08-NQ" can come out as "08- NQ"); else where they differ."""
    ja, jb = "".join(a), "".join(b)
    if ja == jb:
        return None
    i = 0
    while i < len(ja) and i < len(jb) and ja[i] == jb[i]:
        i += 1
    # the word of `a` holding the first differing character
    n, k = 0, 0
    while k < len(a) and n + len(a[k]) <= i:
        n += len(a[k])
        k += 1
    lo = max(0, i - context)
    return "word %d: docx ...%s... vs pdf ...%s... (docx %d words, pdf %d)" % (
        k, ja[lo:i + context], jb[lo:i + context], len(a), len(b))


def page_breaks_differ(a_pages, b_pages, n=3):
    """Page numbers (1-based) whose first words differ between the two."""
    return [i + 1 for i, (x, y) in enumerate(zip(a_pages, b_pages))
            if "".join(x[:n]) != "".join(y[:n])]


class Report:
    def __init__(self):
        self.failed = 0

    def run(self, name, fn, *args):
        """Runs one check; fn returns None or a note, or raises."""
        try:
            note = fn(*args)
        except CheckError as e:
            self.fail(name, str(e))
            return False
        except Exception as e:  # a client crashed: that is a failure too
            self.fail(name, "%s: %s" % (type(e).__name__, e))
            return False
        print("PASS %s%s" % (name, " (%s)" % note if note else ""))
        return True

    def fail(self, name, reason):
        self.failed += 1
        print("FAIL %s: %s" % (name, reason))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docx")
    ap.add_argument("--pdf", help="vanban's PDF of the same document")
    ap.add_argument("--schemas", default=DEFAULT_SCHEMAS,
                    help="folder of the OOXML XSDs (default %(default)s)")
    args = ap.parse_args(argv)
    rep = Report()
    tmp = tempfile.mkdtemp(prefix="check_docx-")
    try:
        parts = os.path.join(tmp, "parts")
        names = []

        def do_unzip():
            names.extend(unzip(args.docx, parts))
            return "%d parts" % len(names)

        if not rep.run("unzip", do_unzip):
            return 1
        rep.run("package", check_package, parts, names)
        for n in names:
            if not n.endswith((".xml", ".rels")):
                continue
            xsd = schema_for(n, args.schemas)
            rep.run("schema %s" % n, lambda n=n, xsd=xsd: validate_schema(
                os.path.join(parts, n), args.schemas, xsd) or
                (None if xsd else "well-formed; no usable XSD"))
        rep.run("python-docx section", check_section, args.docx)

        def texts():
            t = docx_texts(args.docx)
            nonempty = [x for x in t if x.strip()]
            if not nonempty:
                raise CheckError("no text")
            return "%d paragraphs, %d with text" % (len(t), len(nonempty))

        rep.run("python-docx text", texts)
        rep.run("page number", check_page_number, parts)

        if args.pdf:
            lo = []

            def convert():
                lo.append(lo_convert(os.path.abspath(args.docx),
                                     os.path.join(tmp, "lo")))

            if rep.run("libreoffice convert", convert):
                def pages():
                    a, b = pdf_pages(lo[0]), pdf_pages(args.pdf)
                    if a != b:
                        raise CheckError("LibreOffice %d pages, vanban %d"
                                         % (a, b))
                    return "%d pages" % a

                def words():
                    a, b = pdf_page_words(lo[0]), pdf_page_words(args.pdf)
                    diff = first_difference([w for p in a for w in p],
                                            [w for p in b for w in p])
                    if diff:
                        raise CheckError(diff)
                    moved = page_breaks_differ(a, b)
                    if moved:
                        return "pages starting elsewhere: %s" % ", ".join(
                            map(str, moved))

                rep.run("page count", pages)
                rep.run("same words", words)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
