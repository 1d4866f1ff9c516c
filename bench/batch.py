"""bench/batch.py - `vanban batch` against the peer tools, in one run.

Whole process, on the same 1,000 generated certificates (examples/batch/
make_list.py): one PDF of 1,000 pages, 1,000 separate PDFs, 1,000 separate
DOCX, 10,000 certificates into one PDF (peak memory); then the peer scripts
of ../shared/peers (pdfmake, docxtemplater, carbone, LibreOffice) on their
own 1,000 records, measured the same way, and the ratios. The peers run
from a copy in bench/out/peers (npm ci there, once); a peer that cannot
run is said so, and its figure from ../shared/peers/RESULTS.md is quoted,
marked as not measured here.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "peers")
PEERS = os.path.join(ROOT, "bench", "out", "peers")
KIND = "giay-chung-nhan"

# the targets of the issue, and the peers' figures from RESULTS.md
TARGETS = {"one": 3000, "split_pdf": 280, "split_docx": 2000,
           "rss_10k": 100}
QUOTED = {"pdfmake one PDF": 340, "pdfmake separate PDFs": 25.2,
          "docxtemplater DOCX": 320, "carbone DOCX": 292,
          "LibreOffice 100 DOCX -> PDF": 21.9}


def timed(cmd, runs, cwd=None, env=None):
    """Median wall seconds and the largest peak RSS (MiB) of runs runs."""
    times, rss = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd,
                           env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if p.returncode not in (0,):
            raise RuntimeError("%s: %s" % (" ".join(cmd), p.stderr[-500:]))
        rss = max(rss, int(p.stderr.strip().splitlines()[-1]))
    return statistics.median(times), rss / 1024.0


def peers_ready():
    """node_modules in the copy of the peers; installs them once."""
    if os.path.isdir(os.path.join(PEERS, "node_modules", "pdfmake")):
        return True, ""
    if not shutil.which("npm") or not os.path.isdir(SHARED):
        return False, "npm or ../shared/peers missing"
    shutil.rmtree(PEERS, ignore_errors=True)
    shutil.copytree(SHARED, PEERS, ignore=shutil.ignore_patterns("out"))
    p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS,
                       capture_output=True, text=True, timeout=600)
    if p.returncode:
        return False, "npm ci failed: " + p.stderr[-300:]
    return True, ""


def run(vanban, tmp, runs=5):
    sys.path.insert(0, os.path.join(ROOT, "examples", "batch"))
    import make_list
    work = os.path.join(tmp, "batch")
    os.makedirs(work, exist_ok=True)
    l1k = os.path.join(work, "l1000.csv")
    l10k = os.path.join(work, "l10000.csv")
    make_list.write(l1k, list(make_list.rows(1000)))
    make_list.write(l10k, list(make_list.rows(10000, 3)))
    res = {}
    pdf = os.path.join(work, "gcn.pdf")
    t, rss = timed([vanban, "batch", KIND, l1k, "-o", pdf, "--quiet"], runs)
    res["one"] = (1000 / t, t, rss, os.path.getsize(pdf) / 1000)
    out = os.path.join(work, "split")

    def split(fmt, jobs):
        best = []
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            tt, r = timed([vanban, "batch", KIND, l1k, "--split", out,
                           "--format", fmt, "--jobs", str(jobs), "--quiet"],
                          1)
            best.append((tt, r))
        tt = statistics.median(x[0] for x in best)
        sizes = [os.path.getsize(os.path.join(out, f))
                 for f in os.listdir(out)]
        return (1000 / tt, tt, max(x[1] for x in best),
                max(sizes) / 1024, sum(sizes) / len(sizes) / 1024)
    res["split_pdf"] = split("pdf", 2)
    res["split_pdf_1"] = split("pdf", 1)
    res["split_docx"] = split("docx", 2)
    res["split_docx_1"] = split("docx", 1)
    big = os.path.join(work, "gcn10k.pdf")
    t, rss = timed([vanban, "batch", KIND, l10k, "-o", big, "--quiet"], 1)
    res["rss_10k"] = (rss, t, 10000 / t, os.path.getsize(big) / 1e6)
    shutil.rmtree(out, ignore_errors=True)

    print("\n## vanban batch, whole process, 1,000 generated certificates "
          "(median of %d runs)\n" % runs)
    print("| figure | vanban | target | peak RSS MiB | size |")
    print("|---|---:|---:|---:|---:|")
    r = res["one"]
    print("| 1,000 certificates -> one PDF | %.0f pages/s (%.3f s) | >= %d | "
          "%.0f | %.0f KB |" % (r[0], r[1], TARGETS["one"], r[2], r[3]))
    for key, label in (("split_pdf", "1,000 separate PDFs, --jobs 2"),
                       ("split_pdf_1", "1,000 separate PDFs, --jobs 1")):
        r = res[key]
        print("| %s | %.0f files/s (%.2f s) | >= %d | %.0f | max %.1f KB, "
              "mean %.1f KB |" % (label, r[0], r[1], TARGETS["split_pdf"],
                                  r[2], r[3], r[4]))
    for key, label in (("split_docx", "1,000 separate DOCX, --jobs 2"),
                       ("split_docx_1", "1,000 separate DOCX, --jobs 1")):
        r = res[key]
        print("| %s | %.0f files/s (%.2f s) | >= %d | %.0f | max %.1f KB, "
              "mean %.1f KB |" % (label, r[0], r[1], TARGETS["split_docx"],
                                  r[2], r[3], r[4]))
    r = res["rss_10k"]
    print("| 10,000 certificates -> one PDF | %.0f pages/s (%.2f s) | "
          "<= %d MiB | %.0f | %.1f MB |" % (r[2], r[1], TARGETS["rss_10k"],
                                            r[0], r[3]))

    ok, why = peers_ready()
    peer = {}
    if ok:
        node = ["node"]
        pout = os.path.join(PEERS, "out")
        os.makedirs(os.path.join(pout, "templates"), exist_ok=True)
        subprocess.run(node + ["lib/templates.js"], cwd=PEERS,
                       capture_output=True)
        jobs = [("pdfmake one PDF", ["scripts/pdfmake_certs.js", "single",
                                     "1000", "out/pdfmake_single"], 1000),
                ("pdfmake separate PDFs", ["scripts/pdfmake_certs.js",
                                           "separate", "100",
                                           "out/pdfmake_separate"], 100),
                ("docxtemplater DOCX", ["scripts/docxtemplater_certs.js",
                                        "1000", "out/docxtemplater"], 1000),
                ("carbone DOCX", ["scripts/carbone_certs.js", "docx", "1000",
                                  "out/carbone_docx"], 1000)]
        for label, cmd, n in jobs:
            try:
                t, rss = timed(node + cmd, max(1, runs // 2), cwd=PEERS)
                peer[label] = (n / t, t, rss)
            except (RuntimeError, OSError) as e:
                peer[label] = None
                print("peer %s could not run: %s" % (label, str(e)[:200]))
        lo_in = os.path.join(pout, "lo_in")
        subprocess.run(node + ["scripts/docxtemplater_certs.js", "100",
                               "out/lo_in"], cwd=PEERS, capture_output=True)
        if shutil.which("soffice") and os.path.isdir(lo_in):
            docs = sorted(os.path.join(lo_in, f) for f in os.listdir(lo_in)
                          if f.endswith(".docx"))
            lo_out = os.path.join(pout, "lo_out")
            os.makedirs(lo_out, exist_ok=True)
            try:
                t, rss = timed(["soffice", "--headless", "--convert-to",
                                "pdf", "--outdir", lo_out] + docs, 1)
                peer["LibreOffice 100 DOCX -> PDF"] = (len(docs) / t, t, rss)
            except (RuntimeError, OSError) as e:
                print("peer LibreOffice could not run: %s" % str(e)[:200])
    else:
        print("\nThe peers could not run here (%s)." % why)

    print("\n## Peers, measured in this run (whole process, node start "
          "included)\n")
    print("| peer | measured here | RESULTS.md (not this run) | vanban | "
          "vanban / peer |")
    print("|---|---:|---:|---:|---:|")
    mine = {"pdfmake one PDF": res["one"][0],
            "pdfmake separate PDFs": res["split_pdf"][0],
            "docxtemplater DOCX": res["split_docx"][0],
            "carbone DOCX": res["split_docx"][0],
            "LibreOffice 100 DOCX -> PDF": res["split_pdf"][0]}
    for label, quoted in QUOTED.items():
        p = peer.get(label)
        here = "%.1f /s (%.0f MiB)" % (p[0], p[2]) if p else \
            "not measured in this run"
        ratio = mine[label] / (p[0] if p else quoted)
        print("| %s | %s | %.1f /s | %.0f /s | %.1f x%s |" % (
            label, here, quoted, mine[label], ratio,
            "" if p else " (against RESULTS.md)"))
    return res, peer
