#!/usr/bin/python3
"""bench/run.py - speed, memory and size of vanban, printed as tables.

  milliseconds per plan, whole process (median of --runs runs), PDF, DOCX, both
  pages per second on a 200-page plan (whole process)
  peak memory (max RSS) of each run
  bytes per PDF and per DOCX
  fidelity: pages, page breaks and lines of vanban's PDF against
  LibreOffice's rendering of vanban's DOCX, per example
  numbers per second taken from a register, by one process and by 8 at once
  vanban batch: 1,000 certificates into one PDF, as 1,000 PDFs, as 1,000
  DOCX, 10,000 into one PDF, beside the peer scripts measured in the same
  run (bench/batch.py); --only batch runs just that

Usage: bench/run.py [--build build] [--runs 21]
The peer tools (pdfmake, docxtemplater, LibreOffice, pandoc) are measured by
../shared/peers/run_bench.sh; their last figures are in
../shared/peers/results/summary.md, quoted by --peers.
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import shutil
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, runs):
    """Median wall time in ms over runs, and the largest max RSS in KiB."""
    times = []
    rss = 0
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                           capture_output=True, text=True)
        times.append((time.perf_counter() - t) * 1000)
        if p.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr))
        rss = max(rss, int(p.stderr.strip().splitlines()[-1]))
    return statistics.median(times), rss


def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True,
                         text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def big_plan(src, dst, target_pages, vanban, tmp):
    """Repeats the body of an example until the PDF has target_pages."""
    xml = open(src, encoding="utf-8").read()
    body = re.search(r"<!\[CDATA\[(.*?)\]\]>", xml, re.S).group(1)
    n = 1
    while True:
        open(dst, "w", encoding="utf-8").write(
            xml.replace(body, body * n))
        out = os.path.join(tmp, "probe.pdf")
        subprocess.run([vanban, "render", dst, "-o", out], check=True)
        got = pages(out)
        if got >= target_pages:
            return got
        n = max(n + 1, int(n * target_pages / max(got, 1)))


REG_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<van-ban loai="ke-hoach" the-thuc="nd30" ma="@ID@">
  <co-quan><chu-quan>UBND HUYỆN YÊN THÀNH</chu-quan><ten>UBND XÃ YÊN PHÚ</ten>
    <ky-hieu>UBND</ky-hieu></co-quan>
  <dia-danh>Yên Phú</dia-danh><ngay>2024-03-01</ngay>
  <trich-yeu>Tổ chức phong trào thi đua năm 2024</trich-yeu>
  <noi-dung>Nội dung kế hoạch.</noi-dung>
  <noi-nhan><noi>UBND huyện</noi><luu>VT</luu></noi-nhan>
  <nguoi-ky><quyen-han>TM. ỦY BAN NHÂN DÂN</quyen-han>
    <chuc-vu>CHỦ TỊCH</chuc-vu><ho-ten>Nguyễn Văn An</ho-ten></nguoi-ky>
</van-ban>
"""


def register_bench(vanban, taker, tmp):
    """Numbers per second: read + validate + take + record (+ compose and
    the tree dump with --tree), each number committed (fsync) on its own."""
    tpl = os.path.join(tmp, "so-mau.xml")
    open(tpl, "w", encoding="utf-8").write(REG_DOC)
    print("\n| register | processes | numbers | seconds | numbers/s |")
    print("|---|---:|---:|---:|---:|")
    for label, procs, each, extra in [("take + record", 1, 1000, []),
                                      ("take + record", 8, 200, []),
                                      ("take + compose + tree + record", 1,
                                       1000, ["--tree"]),
                                      ("take + compose + tree + record", 8,
                                       200, ["--tree"])]:
        db = os.path.join(tmp, "so-%d-%d.db" % (procs, len(extra)))
        subprocess.run([vanban, "register", "init", db, "--co-quan",
                        "UBND xã Yên Phú", "--ky-hieu", "UBND", "--profile",
                        "nd30"], check=True)
        t = time.perf_counter()
        ps = [subprocess.Popen([taker, db, tpl, str(each), "p%d" % k] + extra,
                               stdout=subprocess.DEVNULL)
              for k in range(procs)]
        if any(p.wait() for p in ps):
            sys.exit("register-taker failed")
        secs = time.perf_counter() - t
        print("| %s | %d | %d | %.2f | %.0f |" % (label, procs, procs * each,
                                                  secs, procs * each / secs))
    # the whole command: render --register, a PDF each time
    db = os.path.join(tmp, "so-cli.db")
    subprocess.run([vanban, "register", "init", db, "--co-quan",
                    "UBND xã Yên Phú", "--ky-hieu", "UBND", "--profile",
                    "nd30"], check=True)
    n = 30
    t = time.perf_counter()
    for i in range(n):
        x = os.path.join(tmp, "so-%d.xml" % i)
        open(x, "w", encoding="utf-8").write(REG_DOC.replace("@ID@",
                                                             "c%d" % i))
        subprocess.run([vanban, "render", x, "--register", db, "-o",
                        os.path.join(tmp, "so.pdf")], check=True,
                       stdout=subprocess.DEVNULL)
    secs = time.perf_counter() - t
    print("| vanban render --register -o x.pdf | 1 | %d | %.2f | %.0f |" % (
        n, secs, n / secs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--peers", action="store_true")
    ap.add_argument("--only", default="", help="batch: only bench/batch.py")
    args = ap.parse_args()
    vanban = os.path.join(ROOT, args.build, "vanban")
    tmp = tempfile.mkdtemp(prefix="vanban-bench-")
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import batch as batch_bench
    if args.only == "batch":
        batch_bench.run(vanban, tmp)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    rows = []
    print("vanban %s, %d runs per figure, whole process (fork+exec+render+"
          "write)\n" % (subprocess.run([vanban, "--version"], text=True,
                                      capture_output=True).stdout.split()[1],
                        args.runs))
    print("| example | pages | PDF ms | DOCX ms | PDF+DOCX ms | peak RSS "
          "MiB | PDF bytes | DOCX bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    inputs = sorted(glob.glob(os.path.join(ROOT, "examples", "*.xml")))
    # the plan the peer tools were timed on, when node and shared/ are here
    peer = os.path.join(tmp, "peers-plan.xml")
    if subprocess.run([sys.executable, os.path.join(ROOT, "bench",
                                                    "peer_plan.py"), peer],
                      capture_output=True).returncode == 0:
        inputs.append(peer)
    for xml in inputs:
        name = os.path.splitext(os.path.basename(xml))[0]
        pdf = os.path.join(tmp, name + ".pdf")
        docx = os.path.join(tmp, name + ".docx")
        t_pdf, rss1 = timed([vanban, "render", xml, "-o", pdf], args.runs)
        t_docx, rss2 = timed([vanban, "render", xml, "-o", docx], args.runs)
        t_both, rss3 = timed([vanban, "render", xml, "--format", "pdf,docx",
                              "--out-dir", tmp], args.runs)
        rows.append((t_pdf, t_docx, t_both))
        print("| %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %d |" % (
            name, pages(pdf), t_pdf, t_docx, t_both,
            max(rss1, rss2, rss3) / 1024, os.path.getsize(pdf),
            os.path.getsize(docx)))
    # a 200-page plan
    src = os.path.join(ROOT, "examples", "ke-hoach-bac-kan-2017.xml")
    big = os.path.join(tmp, "ke-hoach-200.xml")
    n = big_plan(src, big, 200, vanban, tmp)
    pdf = os.path.join(tmp, "ke-hoach-200.pdf")
    docx = os.path.join(tmp, "ke-hoach-200.docx")
    runs = max(3, args.runs // 4)
    t, rss = timed([vanban, "render", big, "-o", pdf], runs)
    td, rssd = timed([vanban, "render", big, "-o", docx], runs)
    print("\n| big plan | pages | PDF ms | pages/s | peak RSS MiB | PDF bytes "
          "| DOCX ms | DOCX bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print("| %d-page plan | %d | %.0f | %.0f | %.1f | %d | %.0f | %d |" % (
        n, n, t, n / (t / 1000), max(rss, rssd) / 1024, os.path.getsize(pdf),
        td, os.path.getsize(docx)))
    inproc = os.path.join(ROOT, args.build, "bench", "inproc")
    if os.path.exists(inproc):
        print("\nIn one warm process (the library's own cost, no process start):")
        for xml in inputs:
            print(os.path.basename(xml))
            sys.stdout.flush()
            subprocess.run([inproc, xml, "30"])
        print("start-up of the command alone (vanban --version): %.1f ms" %
              timed([vanban, "--version"], args.runs)[0])
    # fidelity: vanban's PDF against LibreOffice's PDF of the DOCX
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import fidelity
    if shutil.which("soffice"):
        print("\nFidelity, vanban's PDF against LibreOffice's PDF of vanban's "
              "DOCX (line by line, tests/fidelity.py):\n")
        res = fidelity.run_all(vanban, fidelity.default_inputs(),
                               os.path.join(tmp, "fidelity"))
        print("\n".join(fidelity.table(res)))
    taker = os.path.join(ROOT, args.build, "tests", "register-taker")
    if os.path.exists(taker):
        register_bench(vanban, taker, tmp)
    batch_bench.run(vanban, tmp)
    if args.peers:
        summary = os.path.join(ROOT, "..", "shared", "peers", "results",
                               "summary.md")
        if os.path.exists(summary):
            print("\nPeer tools, last run of ../shared/peers/run_bench.sh "
                  "(rerun it beside this for ratios from one run):")
            for line in open(summary, encoding="utf-8"):
                if "plan" in line:
                    print(line.rstrip())
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
