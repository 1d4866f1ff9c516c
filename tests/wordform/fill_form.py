#!/usr/bin/python3
"""fill_form.py - fills the content controls of a vanban form the way a
program (or a person in Word) would: lxml through python-docx.

usage: fill_form.py BLANK.docx FILLED.docx VALUES.json

VALUES.json maps a tag to its value; "\\n\\n" separates the paragraphs of a
block control. For a drop-down the value must be one of its list items;
for a date control w:fullDate is set too. Every filled control loses
w:showingPlcHdr and its placeholder runs. Importable: fill(path, out, values).
"""
import copy
import json
import re
import sys

import docx
from docx.oxml.ns import qn


def _set_runs(content, text, template_rpr):
    """Replaces the runs of a run-level control's content with one run."""
    for r in list(content):
        content.remove(r)
    r = content.makeelement(qn("w:r"), {})
    if template_rpr is not None:
        rpr = copy.deepcopy(template_rpr)
        for st in rpr.findall(qn("w:rStyle")):
            rpr.remove(st)
        if len(rpr):
            r.append(rpr)
    t = r.makeelement(qn("w:t"), {})
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    content.append(r)


def _set_block(content, text):
    """Replaces the paragraphs of a block control, one per paragraph."""
    old = content.findall(qn("w:p"))
    ppr = old[0].find(qn("w:pPr")) if old else None
    for p in list(content):
        content.remove(p)
    for para in text.split("\n\n"):
        p = content.makeelement(qn("w:p"), {})
        if ppr is not None:
            p.append(copy.deepcopy(ppr))
        _set_runs(p, para, None)
        content.append(p)


def fill(path, out, values):
    d = docx.Document(path)
    body = d.element.body
    seen = set()
    for sdt in body.iter(qn("w:sdt")):
        pr = sdt.find(qn("w:sdtPr"))
        tag = pr.find(qn("w:tag")).get(qn("w:val"))
        if tag not in values:
            continue
        value = values[tag]
        seen.add(tag)
        for ph in pr.findall(qn("w:showingPlcHdr")):
            pr.remove(ph)
        dd = pr.find(qn("w:dropDownList"))
        if dd is not None:
            items = [li.get(qn("w:displayText"))
                     for li in dd.findall(qn("w:listItem"))]
            if value not in items:
                raise ValueError("%s: %r is not one of %r" % (tag, value, items))
        date = pr.find(qn("w:date"))
        if date is not None:
            m = re.match(r"(\d\d)/(\d\d)/(\d{4})$", value)
            date.set(qn("w:fullDate"), "%s-%s-%sT00:00:00Z" % (
                m.group(3), m.group(2), m.group(1)))
        content = sdt.find(qn("w:sdtContent"))
        if pr.find(qn("w:richText")) is not None and \
                content.find(qn("w:p")) is not None:
            _set_block(content, value)
        else:
            first = content.find(qn("w:r"))
            rpr = first.find(qn("w:rPr")) if first is not None else None
            _set_runs(content, value, rpr)
    missing = set(values) - seen
    if missing:
        raise ValueError("no control tagged %s" % ", ".join(sorted(missing)))
    d.save(out)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    fill(sys.argv[1], sys.argv[2],
         json.load(open(sys.argv[3], encoding="utf-8")))
