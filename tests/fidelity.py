#!/usr/bin/python3
"""tests/fidelity.py - vanban's PDF against LibreOffice's PDF of vanban's DOCX.

Every input is rendered both ways: vanban's own PDF, and the DOCX converted
by LibreOffice headless (all files in one soffice call). Both PDFs are read
back with pdftotext -raw and compared line by line:

  pages     page count of each
  breaks    page breaks in the same place (each page starts and ends with
            the same line in both)
  lines     lines of vanban's PDF found, identical and in order, in
            LibreOffice's (difflib matching blocks over the page's lines)
  tokens    protected tokens ("25-NQ/TW", "Số: 05/KH-UBND", "12/01/2017",
            "2016-2020", "(15/10/1930 - 15/10/2020)") broken across lines,
            in either rendering

Used by tests/run.py (section "fidelity") and bench/run.py (the fidelity
table). Run alone:  tests/fidelity.py [--build build] [FILE.xml ...]
"""
import difflib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LO_TIMEOUT = 600

# A token ends a line and the next line starts with what completes it.
# Each pattern is tried on "last word of a line" + " " + "first word of the
# next line" (and on the two last words of a line for the spaced forms).
_NUM = r"\d"
_BREAKS = [
    # a symbol or a range cut after its hyphen or slash: "08-" | "NQ/HU",
    # "2017-" | "2020", "NQ/" | "TW"
    (re.compile(r"[0-9A-ZĐa-zđ][-/\u2010\u2011]$"), re.compile(r"^[0-9A-ZĐ]")),
    # a spaced dash left at the end: "2016 -" | "2020", "(15/10/1930 -" |
    # "15/10/2020)"
    (re.compile(r"\d[)]?\s+[-\u2013]$"), re.compile(r"^\(?\d")),
    # a dash starting a line after a year or date: "2016" | "- 2020"
    (re.compile(r"\d{1,4}$"), re.compile(r"^[-\u2013]\s*\(?\d")),
    # "Số:" alone at the end of a line
    (re.compile(r"(^|\s)Số:?$"), re.compile(r"^\d")),
]


def _nbsp(s):
    return s.replace("\u00a0", " ").replace("\u2011", "-")


def pdf_lines(pdf):
    """Pages of the PDF as lists of text lines, page number left out."""
    p = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                       capture_output=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("pdftotext failed on %s" % pdf)
    pages = p.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    out = []
    for i, text in enumerate(pages):
        lines = [" ".join(_nbsp(l).split()) for l in text.splitlines()]
        lines = [l for l in lines if l]
        # the page number heads the page in both (drawn first by vanban,
        # the header in LibreOffice)
        if lines and lines[0] == str(i + 1):
            lines = lines[1:]
        out.append(lines)
    return out


def broken_tokens(pages):
    """Protected tokens broken across lines: a list of "a | b" strings."""
    flat = [l for p in pages for l in p]
    found = []
    for a, b in zip(flat, flat[1:]):
        for end, start in _BREAKS:
            tail = a[-16:]
            if end.search(tail) and start.search(b):
                found.append("%s | %s" % (a[-20:], b[:20]))
                break
    return found


def compare(vb_pdf, lo_pdf):
    """Figures for one document (a dict)."""
    a, b = pdf_lines(vb_pdf), pdf_lines(lo_pdf)
    total = sum(len(p) for p in a)
    same = 0
    for i, pa in enumerate(a):
        pb = b[i] if i < len(b) else []
        m = difflib.SequenceMatcher(None, pa, pb, autojunk=False)
        same += sum(blk.size for blk in m.get_matching_blocks())
    breaks = 0
    moved = []
    for i in range(min(len(a), len(b)) - 1):
        if a[i] and b[i] and a[i][-1] == b[i][-1] and a[i + 1] and \
                b[i + 1] and a[i + 1][0] == b[i + 1][0]:
            breaks += 1
        else:
            moved.append(i + 1)
    first_diff = None
    for i, pa in enumerate(a):
        pb = b[i] if i < len(b) else []
        for x, y in zip(pa, pb + [""] * len(pa)):
            if x != y:
                first_diff = "page %d: pdf %r / docx %r" % (i + 1, x, y)
                break
        if first_diff:
            break
    return {"pages_pdf": len(a), "pages_docx": len(b),
            "breaks": breaks, "nbreaks": max(len(a), len(b)) - 1,
            "moved": moved, "lines": total, "same": same,
            "tok_pdf": broken_tokens(a), "tok_docx": broken_tokens(b),
            "first_diff": first_diff}


def lo_convert_all(docx_files, outdir):
    """Converts every DOCX with one soffice call (its start-up is most of
    the cost); returns {docx: pdf}. HOME and the profile are private."""
    os.makedirs(outdir, exist_ok=True)
    home = tempfile.mkdtemp(prefix="lohome-", dir=outdir)
    env = dict(os.environ, HOME=home)
    cmd = ["soffice", "--headless", "--norestore",
           "-env:UserInstallation=file://%s/lo" % home,
           "--convert-to", "pdf", "--outdir", outdir] + list(docx_files)
    try:
        subprocess.run(cmd, capture_output=True, env=env, timeout=LO_TIMEOUT)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    out = {}
    for d in docx_files:
        pdf = os.path.join(outdir,
                           os.path.splitext(os.path.basename(d))[0] + ".pdf")
        if os.path.exists(pdf):
            out[d] = pdf
    return out


def default_inputs():
    return sorted(glob.glob(os.path.join(ROOT, "examples", "*.xml"))) + \
        sorted(glob.glob(os.path.join(ROOT, "tests", "fidelity", "*.xml")))


def run_all(vanban, inputs, tmp):
    """Renders each input both ways and compares. Returns a list of
    (name, figures or None, error text)."""
    os.makedirs(tmp, exist_ok=True)
    rendered = []
    results = []
    for xml in inputs:
        name = os.path.splitext(os.path.basename(xml))[0]
        p = subprocess.run([vanban, "render", xml, "--format", "pdf,docx",
                            "--out-dir", tmp], capture_output=True,
                           timeout=120)
        if p.returncode != 0:
            results.append((name, None, p.stderr.decode("utf-8", "replace")))
            continue
        rendered.append((name, os.path.join(tmp, name + ".pdf"),
                         os.path.join(tmp, name + ".docx")))
    lo = lo_convert_all([d for _, _, d in rendered], os.path.join(tmp, "lo"))
    for name, pdf, docx in rendered:
        if docx not in lo:
            results.append((name, None, "LibreOffice gave no PDF"))
            continue
        results.append((name, compare(pdf, lo[docx]), ""))
    return results


def table(results):
    """The fidelity table (Markdown) as a list of lines."""
    out = ["| document | pages PDF/DOCX | page breaks same | lines same "
           "| % | tokens broken PDF/DOCX |",
           "|---|---:|---:|---:|---:|---:|"]
    for name, f, err in results:
        if f is None:
            out.append("| %s | error: %s | | | | |" % (name, err.strip()[:60]))
            continue
        out.append("| %s | %d/%d | %d/%d | %d/%d | %.1f | %d/%d |" % (
            name, f["pages_pdf"], f["pages_docx"], f["breaks"], f["nbreaks"],
            f["same"], f["lines"], 100.0 * f["same"] / max(f["lines"], 1),
            len(f["tok_pdf"]), len(f["tok_docx"])))
    return out


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-v", action="store_true", help="print the differences")
    ap.add_argument("inputs", nargs="*")
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="vanban-fidelity-")
    try:
        res = run_all(os.path.join(ROOT, args.build, "vanban"),
                      args.inputs or default_inputs(), tmp)
        print("\n".join(table(res)))
        if args.v:
            for name, f, _ in res:
                if f and (f["first_diff"] or f["tok_pdf"] or f["tok_docx"]):
                    print("%s: %s moved=%s\n  pdf %s\n  docx %s" % (
                        name, f["first_diff"], f["moved"], f["tok_pdf"],
                        f["tok_docx"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
