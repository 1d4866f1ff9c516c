"""tests/install.py - sections of tests/run.py for the library as users get it.

  api      every program of examples/api/ built against the build (static and
           shared) and run; the README's C block is a verbatim part of one
           of them and the README's own link line is run; the XML example of
           docs/input-format.md is valid
  install  make install into a temporary DESTDIR and into a temporary PREFIX:
           the files, vanban.pc (shared and --static links), the man pages,
           the compiled-in data folder, make uninstall
  deb      (only with --only deb, as root: make check-deb) the package of
           make deb: lintian errors, apt install, vanban render from /tmp;
           the package is removed again unless VANBAN_KEEP_DEB is set
"""
import glob
import os
import re
import shutil
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "ke-hoach-bac-kan-2017.xml")
PROGRAMS = sorted(glob.glob(os.path.join(ROOT, "examples", "api", "*.c")))
WARN = ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror"]


def sh(cmd, cwd=None, env=None, timeout=300):
    """Runs a shell line; returns (rc, stdout + stderr)."""
    p = subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def run(argv, cwd=None, env=None, timeout=120):
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True,
                       timeout=timeout)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def clean_env(**extra):
    """The environment without make's variables (a sub-make of `make
    check-asan` must not inherit SANITIZER) and without VANBAN_DATADIR."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VANBAN_DATADIR",
                        "PKG_CONFIG_PATH", "PKG_CONFIG_SYSROOT_DIR",
                        "PKG_CONFIG_LIBDIR", "LD_LIBRARY_PATH")}
    env.update(extra)
    return env


def pdf_text(pdf):
    p = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                       capture_output=True)
    return " ".join(p.stdout.decode("utf-8", "replace").split())


def needed(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True,
                         text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def sanitizer(r):
    """Compiler and flags matching the build under test (make check-asan
    builds with clang and ASan + UBSan)."""
    p = subprocess.run(["nm", os.path.join(r.build, "libvanban.a")],
                       capture_output=True, text=True)
    if "__asan_report" in p.stdout:
        return "clang", ["-fsanitize=address,undefined"]
    return "cc", []


def bad_copy(folder):
    bad = os.path.join(folder, "hong.xml")
    data = open(EXAMPLE, "rb").read()
    open(bad, "wb").write(re.sub(rb"<ngay>[^<]*</ngay>",
                                 b"<ngay>31/02/2023</ngay>", data))
    return bad


def check_render_pdf(r, label, exe, cwd, env):
    """The README's program: a good input gives a PDF with the text, a bad
    one exit 1, the V010 message and no file."""
    out = os.path.join(cwd, "ke-hoach.pdf")
    if os.path.exists(out):
        os.unlink(out)
    rc, _, err = run([exe, EXAMPLE, out], cwd=cwd, env=env)
    text = pdf_text(out) if os.path.exists(out) else ""
    r.check("%s: render-pdf writes the PDF, the text comes back" % label,
            rc == 0 and "KẾ HOẠCH" in text and "Dân vận khéo" in text,
            "rc=%d %s" % (rc, err[-800:]))
    bad = bad_copy(cwd)
    out2 = os.path.join(cwd, "hong.pdf")
    rc, _, err = run([exe, bad, out2], cwd=cwd, env=env)
    r.check("%s: render-pdf of a bad input: exit 1, lỗi[V010], no file"
            % label, rc == 1 and "lỗi[V010]" in err and
            "văn bản đầu vào có lỗi" in err and not os.path.exists(out2),
            "rc=%d %s" % (rc, err[-800:]))


# --- api ------------------------------------------------------------------

def readme():
    return open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()


def api(r):
    text = readme()
    sources = {p: open(p, encoding="utf-8").read() for p in PROGRAMS}
    blocks = re.findall(r"```c\n(.*?)```", text, re.S)
    for docs in glob.glob(os.path.join(ROOT, "docs", "*.md")):
        blocks += re.findall(r"```c\n(.*?)```",
                             open(docs, encoding="utf-8").read(), re.S)
    r.check("api: README has a C example", len(blocks) >= 1)
    for i, b in enumerate(blocks):
        r.check("api: C block %d of the docs is verbatim in examples/api/"
                % (i + 1), any(b in s for s in sources.values()),
                b[:200])
    cc, san = sanitizer(r)
    rel = os.path.relpath(r.build, ROOT)
    out_dir = os.path.join(r.build, "examples", "api")
    os.makedirs(out_dir, exist_ok=True)
    # the README's own lines, run as written (the build folder substituted)
    lines = [l.strip() for l in text.splitlines()
             if re.match(r"    (cc -Iengine|build/render-pdf) ", l)]
    r.check("api: README gives the in-tree link line and a run line",
            len(lines) == 2 and "harfbuzz-subset" in lines[0], str(lines))
    for line in lines:
        cmd = line.replace("build/", rel + "/")
        if cmd.startswith("cc "):
            cmd = cc + " " + " ".join(san) + cmd[2:]
        rc, out = sh(cmd, cwd=ROOT, env=clean_env())
        r.check("api: README line runs: %s" % line[:60], rc == 0, out[-1500:])
    pdf = os.path.join(r.build, "ke-hoach.pdf")
    r.check("api: the README's program wrote its PDF",
            os.path.exists(pdf) and "KẾ HOẠCH" in pdf_text(pdf))
    link = subprocess.run(
        ["pkg-config", "--libs", "libxml-2.0", "libzip", "icu-uc",
         "icu-i18n", "freetype2", "md4c", "harfbuzz-subset"],
        capture_output=True, text=True).stdout.split() + ["-lhpdf", "-lcsv",
                                                          "-lm"]
    exes = {}
    for src in PROGRAMS:
        name = os.path.basename(src)[:-2]
        exe = os.path.join(out_dir, name)
        p = subprocess.run([cc] + san + WARN + ["-I" + os.path.join(ROOT, "engine"),
                            "-o", exe, src, os.path.join(r.build, "libvanban.a")]
                           + link, capture_output=True, text=True)
        r.check("api: %s builds with -Werror against libvanban.a" % name,
                p.returncode == 0, p.stderr[-1500:])
        exes[name] = exe
        shared = exe + "-shared"
        p = subprocess.run([cc] + san + WARN + ["-I" + os.path.join(ROOT, "engine"),
                            "-o", shared, src, "-L" + r.build, "-lvanban"],
                           capture_output=True, text=True)
        deps = needed(shared) if p.returncode == 0 else []
        r.check("api: %s against libvanban.so records the SONAME" % name,
                p.returncode == 0 and "libvanban.so.0" in deps and
                not any("/" in d for d in deps), p.stderr[-800:] + str(deps))
    work = os.path.join(r.tmp, "api")
    os.makedirs(work, exist_ok=True)
    env = clean_env(LD_LIBRARY_PATH=r.build)
    check_render_pdf(r, "api", exes["render-pdf"], work, env)
    shared_pdf = os.path.join(work, "shared.pdf")
    rc, _, err = run([exes["render-pdf"] + "-shared", EXAMPLE, shared_pdf],
                     cwd=work, env=env)
    r.check("api: render-pdf on libvanban.so.0 gives the same bytes",
            rc == 0 and open(shared_pdf, "rb").read() ==
            open(os.path.join(work, "ke-hoach.pdf"), "rb").read(), err)
    bad = bad_copy(work)
    good = os.path.join(ROOT, "examples", "ke-hoach-gia-lai-2017.xml")
    rc, out, err = run([exes["list-diagnostics"], "en", bad, good], cwd=work)
    parts = out.split("== ")
    r.check("api: list-diagnostics lists V010 for the bad file, with its "
            "fields, in English",
            rc == 1 and len(parts) == 3 and
            re.search(r"^V010\terror\t\d+\t\d+\t.*hong\.xml:\d+:\d+: "
                      r"error\[V010\]: \"31/02/2023\" is not a real calendar "
                      r"date", parts[1], re.M) is not None, out + err)
    r.check("api: after vb_ctx_clear() the next document has no diagnostics",
            len(parts) == 3 and parts[2].strip() ==
            good + ": success, 0", out)
    out_pdf = os.path.join(work, "so-7.pdf")
    rc, out, err = run([exes["number"], EXAMPLE, "7", out_pdf], cwd=work)
    r.check("api: number gives the document its number before composing",
            rc == 0 and out.strip() == "ke-hoach mttq KH MTTQ-BTT 7" and
            "Số: 07/KH-MTTQ-BTT" in pdf_text(out_pdf), out + err)
    rc, out, err = run([exes["number"], EXAMPLE, "0", out_pdf + "2"],
                       cwd=work)
    r.check("api: number 0 is refused (VB_EUSAGE), nothing written",
            rc == 1 and "gọi sai cách" in err and
            not os.path.exists(out_pdf + "2"), err)
    # no comment or page names a call that does not exist
    header = open(os.path.join(ROOT, "engine", "vanban.h"),
                  encoding="utf-8").read()
    declared = set(re.findall(r"VB_EXPORT[^;(]*?\b(vb_[a-z0-9_]+)\(",
                              header))
    texts = [header, text] + [open(f, encoding="utf-8").read() for f in
                              glob.glob(os.path.join(ROOT, "docs", "*.md")) +
                              glob.glob(os.path.join(ROOT, "man", "*.[13]"))]
    named = set()
    for t in texts:
        named |= set(re.findall(r"\b(vb_[a-z0-9_]+)\(\)", t))
        named |= set(re.findall(r"^\.BI? \"?(?:[a-z_ ]+\*?)?(vb_[a-z0-9_]+)"
                                r"(?:\(| \()", t, re.M))
    r.check("api: every call the header, README, docs and man pages name "
            "is declared", len(declared) >= 20 and named and
            named <= declared, str(sorted(named - declared)))
    # the XML example of docs/input-format.md is a valid document
    doc = open(os.path.join(ROOT, "docs", "input-format.md"),
               encoding="utf-8").read()
    xml = re.findall(r"```xml\n(.*?)```", doc, re.S)
    r.check("api: docs/input-format.md has its XML example", len(xml) == 1)
    for x in xml:
        rc, out, err = r.run(["render", "-", "--format", "tree", "-o", "-"],
                             x.encode("utf-8"))
        r.check("api: the XML example of docs/input-format.md renders",
                rc == 0 and "PHÚC THÀNH".encode() in out.upper() or
                rc == 0 and "Phúc Thành".encode() in out, err)


# --- install --------------------------------------------------------------

def make(args, env):
    return sh("make -s -C %s -j2 %s" % (ROOT, args), env=env, timeout=600)


EXPECTED = ["bin/vanban", "include/vanban.h", "lib/libvanban.a",
            "lib/libvanban.so", "lib/libvanban.so.0",
            "lib/libvanban.so.0.1.0", "lib/pkgconfig/vanban.pc",
            "share/man/man1/vanban.1", "share/man/man3/vanban.3",
            "share/vanban/fonts/OFL.txt",
            "share/vanban/fonts/LiberationSerif-Regular.ttf",
            "share/vanban/fonts/LiberationSerif-Bold.ttf",
            "share/vanban/fonts/LiberationSerif-Italic.ttf",
            "share/vanban/fonts/LiberationSerif-BoldItalic.ttf",
            "share/vanban/templates/profiles/nd30.xml",
            "share/vanban/templates/profiles/hd36.xml",
            "share/vanban/templates/profiles/mttq.xml"]


def pkg_lines():
    """The two pkg-config lines of the README's Install section."""
    return [l.strip() for l in readme().splitlines()
            if re.match(r"    cc -o render-pdf render-pdf\.c .*pkg-config", l)]


def files_under(d):
    out = []
    for base, _, files in os.walk(d):
        out += [os.path.relpath(os.path.join(base, f), d) for f in files]
    return sorted(out)


def install(r):
    if r.args.quick:
        return  # builds two more trees; make check runs it
    top = os.path.join(r.tmp, "install")
    os.makedirs(top)
    src = os.path.join(top, "src")
    os.makedirs(src)
    shutil.copy(os.path.join(ROOT, "examples", "api", "render-pdf.c"), src)
    lines = pkg_lines()
    r.check("install: README gives a shared and a static pkg-config line",
            len(lines) == 2 and "--static" in lines[1], str(lines))

    # 1. DESTDIR: the layout, pkg-config through the sysroot, uninstall
    dest = os.path.join(top, "dest")
    usr = os.path.join(dest, "usr", "local")
    rc, out = make("BUILD=%s/build-dest PREFIX=/usr/local DESTDIR=%s install"
                   % (top, dest), clean_env())
    r.check("install: make install PREFIX=/usr/local DESTDIR=... succeeds",
            rc == 0, out[-1500:])
    have = files_under(usr)
    r.check("install: every file in its place under DESTDIR/usr/local",
            all(f in have for f in EXPECTED) and
            all(f in EXPECTED or f.startswith("share/vanban/") or
                f == "share/bash-completion/completions/vanban"
                for f in have), str(sorted(set(have) ^ set(EXPECTED))))
    lib = os.path.join(usr, "lib")
    r.check("install: libvanban.so -> libvanban.so.0 -> libvanban.so.0.1.0",
            os.path.islink(os.path.join(lib, "libvanban.so")) and
            os.readlink(os.path.join(lib, "libvanban.so")) == "libvanban.so.0"
            and os.readlink(os.path.join(lib, "libvanban.so.0")) ==
            "libvanban.so.0.1.0")
    env = clean_env(PKG_CONFIG_PATH=os.path.join(lib, "pkgconfig"),
                    PKG_CONFIG_SYSROOT_DIR=dest)
    rc, out = sh("pkg-config --cflags --libs vanban", env=env)
    r.check("install: pkg-config --cflags --libs vanban",
            rc == 0 and out.split() == ["-I%s/include" % usr,
                                        "-L%s/lib" % usr, "-lvanban"], out)
    rc, out = sh("pkg-config --modversion vanban", env=env)
    r.check("install: pkg-config --modversion vanban is 0.1.0",
            out.strip() == "0.1.0", out)
    for line, kind in zip(lines, ["shared", "static"]):
        rc, out = sh(line, cwd=src, env=env)
        exe = os.path.join(src, "render-pdf")
        deps = needed(exe) if rc == 0 else []
        if kind == "shared":
            ok = "libvanban.so.0" in deps
            renv = clean_env(LD_LIBRARY_PATH=lib,
                             VANBAN_DATADIR=os.path.join(usr, "share",
                                                         "vanban"))
        else:
            ok = not any(d.startswith("libvanban") for d in deps)
            renv = clean_env(VANBAN_DATADIR=os.path.join(usr, "share",
                                                         "vanban"))
        r.check("install: the README's %s pkg-config line links render-pdf"
                % kind, rc == 0 and ok, out[-1500:] + str(deps))
        if rc == 0:
            # files staged, not at /usr/local: the data folder is named
            check_render_pdf(r, "install DESTDIR " + kind, exe, src, renv)
            os.rename(exe, exe + "-" + kind)
    for page in ("share/man/man1/vanban.1", "share/man/man3/vanban.3"):
        p = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l",
                            "-Tutf8", "-Z", os.path.join(usr, page)],
                           capture_output=True, text=True,
                           env=clean_env(MANWIDTH="80", LC_ALL="C.UTF-8"))
        r.check("install: man page %s formats without warnings" % page,
                p.returncode == 0 and p.stderr == "" and
                len(p.stdout) > 2000, p.stderr[-800:])
    rc, out = make("BUILD=%s/build-dest PREFIX=/usr/local DESTDIR=%s "
                   "uninstall" % (top, dest), clean_env())
    r.check("install: make uninstall leaves no file behind",
            rc == 0 and files_under(dest) == [], str(files_under(dest)))

    # 2. PREFIX: the installed copy, in its final place, finds its data
    # through the compiled-in folder only
    prefix = os.path.join(top, "prefix")
    rc, out = make("BUILD=%s/build-prefix PREFIX=%s install" % (top, prefix),
                   clean_env())
    r.check("install: make install PREFIX=<temporary folder>", rc == 0,
            out[-1500:])
    share = os.path.join(prefix, "share", "vanban")
    vanban = os.path.join(prefix, "bin", "vanban")
    # no path of the checkout or the build is compiled in (debug
    # information aside): a stripped copy does not contain them
    for f in (vanban, os.path.join(prefix, "lib", "libvanban.so.0.1.0")):
        stripped = os.path.join(top, "stripped")
        p = subprocess.run(["strip", "-o", stripped, f], capture_output=True)
        data = open(stripped, "rb").read() if p.returncode == 0 else b""
        r.check("install: %s names the installed data folder, not the "
                "checkout" % os.path.basename(f),
                share.encode() in data and ROOT.encode() not in data and
                os.path.join(top, "build-prefix").encode() not in data)
    # and the build tree is gone before the installed copy runs
    shutil.rmtree(os.path.join(top, "build-prefix"))
    away = os.path.join(top, "elsewhere")
    os.makedirs(away)
    shutil.copy(EXAMPLE, os.path.join(away, "kh.xml"))
    rc, _, err = run([vanban, "render", "kh.xml"], cwd=away, env=clean_env())
    made = sorted(os.listdir(away))
    r.check("install: the installed vanban renders in another folder, no "
            "VANBAN_DATADIR", rc == 0 and made == ["kh.docx", "kh.pdf",
                                                   "kh.xml"] and
            "KẾ HOẠCH" in pdf_text(os.path.join(away, "kh.pdf")),
            "rc=%d %s %s" % (rc, made, err[-800:]))
    os.rename(share, share + ".moved")
    for f in ("kh.pdf", "kh.docx"):
        os.unlink(os.path.join(away, f))
    rc, _, err = run([vanban, "render", "kh.xml"], cwd=away, env=clean_env())
    r.check("install: with PREFIX/share/vanban moved away it fails "
            "(the compiled-in folder is the one read), nothing written",
            rc == 1 and sorted(os.listdir(away)) == ["kh.xml"],
            "rc=%d %s" % (rc, err[-800:]))
    rc, _, err = run([vanban, "render", "kh.xml", "--format", "pdf"],
                     cwd=away, env=clean_env(VANBAN_DATADIR=share + ".moved"))
    r.check("install: VANBAN_DATADIR still overrides the compiled-in folder",
            rc == 0 and os.path.exists(os.path.join(away, "kh.pdf")), err)
    os.rename(share + ".moved", share)
    env = clean_env(PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    rc, out = sh("cc -o %s/render-pdf %s/render-pdf.c "
                 "$(pkg-config --cflags --libs vanban)" % (away, src),
                 env=env)
    r.check("install: render-pdf builds against PREFIX with pkg-config",
            rc == 0, out[-1500:])
    if rc == 0:
        check_render_pdf(r, "install PREFIX shared",
                         os.path.join(away, "render-pdf"), away,
                         clean_env(LD_LIBRARY_PATH=os.path.join(prefix,
                                                                "lib")))
    rc, out = make("BUILD=%s/build-prefix PREFIX=%s uninstall"
                   % (top, prefix), clean_env())
    r.check("install: make uninstall PREFIX=...", rc == 0 and
            files_under(prefix) == [], str(files_under(prefix)))


# --- deb ------------------------------------------------------------------

def deb(r):
    debs = sorted(glob.glob(os.path.join(r.build, "vanban_*.deb")))
    r.check("deb: make deb made one package", len(debs) == 1, str(debs))
    if len(debs) != 1:
        return
    pkg = debs[0]
    rc, out, err = run(["dpkg-deb", "-f", pkg, "Package", "Version",
                        "Depends"])
    r.check("deb: the control file declares the shared libraries it links",
            rc == 0 and all(d in out for d in
                            ("libc6", "libhpdf", "libxml2", "libzip",
                             "libicu", "libfreetype", "libmd4c",
                             "libharfbuzz")), out + err)
    rc, out, err = run(["lintian", "--fail-on", "error", pkg], timeout=600)
    errors = [l for l in out.splitlines() if l.startswith("E:")]
    r.check("deb: lintian reports no error", rc == 0 and not errors,
            out[-2000:] + err[-500:])
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    rc, out, err = run(sudo + ["apt-get", "install", "-y", "-qq", "--reinstall",
                        os.path.abspath(pkg)],
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                       timeout=900)
    r.check("deb: apt install ./vanban_*.deb", rc == 0, out[-1500:] + err)
    if rc != 0:
        return
    tmp = subprocess.run(["mktemp", "-d", "/tmp/vanban-deb.XXXXXX"],
                         capture_output=True, text=True).stdout.strip()
    shutil.copy(EXAMPLE, os.path.join(tmp, "ke-hoach.xml"))
    env = clean_env()
    rc, _, err = run(["/usr/bin/vanban", "render", "ke-hoach.xml"], cwd=tmp,
                     env=env)
    r.check("deb: /usr/bin/vanban render from /tmp writes the PDF and DOCX",
            rc == 0 and sorted(os.listdir(tmp)) == ["ke-hoach.docx",
                                                    "ke-hoach.pdf",
                                                    "ke-hoach.xml"] and
            "KẾ HOẠCH" in pdf_text(os.path.join(tmp, "ke-hoach.pdf")),
            err[-800:])
    rc, out, err = run(["/usr/bin/vanban", "--version"], cwd=tmp, env=env)
    r.check("deb: the installed vanban is this version",
            rc == 0 and out.strip() == "vanban 0.1.0", out + err)
    rc, out = sh("cc -o %s/render-pdf %s $(pkg-config --cflags --libs vanban)"
                 " && %s/render-pdf ke-hoach.xml api.pdf"
                 % (tmp, os.path.join(ROOT, "examples", "api", "render-pdf.c"),
                    tmp), cwd=tmp, env=env)
    r.check("deb: a program builds with pkg-config and runs against "
            "/usr/lib's libvanban.so.0", rc == 0 and
            os.path.exists(os.path.join(tmp, "api.pdf")), out[-1500:])
    shutil.rmtree(tmp, ignore_errors=True)
    if not os.environ.get("VANBAN_KEEP_DEB"):
        rc, out, err = run(sudo + ["apt-get", "remove", "-y", "-qq", "vanban"],
                           env=dict(os.environ,
                                    DEBIAN_FRONTEND="noninteractive"),
                           timeout=600)
        r.check("deb: apt remove vanban", rc == 0 and
                not os.path.exists("/usr/bin/vanban"), out + err)
