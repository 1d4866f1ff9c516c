# vanban - hand-written Makefile (redis style).
#
#   make            build/libvanban.a, build/libvanban.so, build/vanban
#   make deps       install the Debian packages vanban needs (apt-get)
#   make demo       deps + build + render every example into examples/out/
#   make check      deps + build + every test
#   make check-asan the whole test suite under ASan + UBSan
#   make leakcheck  valgrind over the examples
#   make fuzz       each fuzz target for FUZZ_SECONDS seconds
#   make bench      speed, memory and size figures
#   make lint       clang-tidy + banned functions
#   make install    PREFIX=/usr/local DESTDIR= : library, header, vanban.pc,
#                   command, man pages, data files; make uninstall
#   make deb        build/vanban_VERSION-1_ARCH.deb (dpkg-deb); make check-deb
#                   also runs lintian, installs it with apt and renders from /tmp

BUILD ?= build
CC ?= cc
PYTHON ?= /usr/bin/python3
SANITIZER ?=

# Where `make install` puts things. The data folder is compiled into the
# library (VB_DATADIR): the installed copy finds its fonts and profiles
# there, and a changed PREFIX rebuilds vanban.o ($(BUILD)/datadir).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share/vanban
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=
INSTALL ?= install

# Library version: VB_VERSION of vanban.h. The SONAME carries the major
# number only (docs/abi.md).
VERSION := $(shell sed -n 's/^\#define VB_VERSION "\(.*\)"/\1/p' engine/vanban.h)
SOVERSION = $(firstword $(subst ., ,$(VERSION)))
SONAME = libvanban.so.$(SOVERSION)

PKGS = libxml-2.0 libzip icu-uc icu-i18n freetype2 md4c harfbuzz-subset \
       sqlite3 nettle xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcsv (libcsv-dev) has no pkg-config file
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lcsv -lm

OPT ?= -O2 -g
WARN = -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) \
             -fvisibility=hidden -fPIC -MMD -MP $(PKG_CFLAGS) \
             -DVB_DATADIR='"$(DATADIR)"' $(CFLAGS)
ifneq ($(SANITIZER),)
ALL_CFLAGS += -fsanitize=$(SANITIZER) -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
ALL_LDFLAGS += -fsanitize=$(SANITIZER)
endif
ALL_LDFLAGS += $(LDFLAGS)

LIB_SRC = $(filter-out engine/cli/%,$(wildcard engine/*.c))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB_OBJ = $(LIB_SRC:engine/%.c=$(BUILD)/obj/%.o)
CLI_SRC = $(wildcard engine/cli/*.c)
CLI_OBJ = $(CLI_SRC:engine/%.c=$(BUILD)/obj/%.o)

# Debian packages: build, run, and the real clients the tests check with.
DEB_BUILD = gcc make pkg-config libhpdf-dev libzip-dev libxml2-dev \
            libicu-dev libfreetype-dev libmd4c-dev libcmocka-dev libharfbuzz-dev \
            libcsv-dev libsqlite3-dev nettle-dev libxlsxwriter-dev
DEB_TEST = poppler-utils qpdf libxml2-utils python3 python3-docx \
           libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 \
           valgrind clang libclang-rt-14-dev hyperfine time lintian dpkg-dev \
           groff-base python3-openpyxl sqlite3
DEB_ALL = $(DEB_BUILD) $(DEB_TEST)

.PHONY: all deps demo check check-asan test units leakcheck fuzz fuzz-smoke \
        bench lint clean check-symbols install uninstall deb check-deb \
        FORCE

all: $(BUILD)/libvanban.a $(BUILD)/libvanban.so $(BUILD)/vanban

# make_form: a developer tool writing a sample form (tests/unit/sample_form.h)
units: $(UNIT_BIN) $(BUILD)/tests/make_form $(BUILD)/tests/register-taker

$(BUILD)/tests/make_form: tests/unit/make_form.c $(BUILD)/libvanban.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iengine -o $@ $< $(BUILD)/libvanban.a $(ALL_LDFLAGS) $(PKG_LIBS)

# takes numbers from a register in a loop: the concurrency and crash tests
# (tests/run.py register) and the register figures of make bench
$(BUILD)/tests/register-taker: tests/register_taker.c $(BUILD)/libvanban.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iengine -o $@ $< $(BUILD)/libvanban.a $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libvanban.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iengine $(shell pkg-config --cflags cmocka) -o $@ $< \
	  $(BUILD)/libvanban.a $(ALL_LDFLAGS) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/obj/%.o: engine/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libvanban.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The compiled-in data folder: rewritten only when DATADIR changes, so that
# vanban.o is rebuilt for another PREFIX and for nothing else.
$(BUILD)/datadir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(BUILD)/obj/vanban.o: $(BUILD)/datadir

# libvanban.so -> libvanban.so.0 -> libvanban.so.0.1.0. Exported: the
# VB_EXPORT functions (tests/exported-symbols.txt), versioned by
# engine/libvanban.map.
$(BUILD)/libvanban.so.$(VERSION): $(LIB_OBJ) engine/libvanban.map
	$(CC) -shared -Wl,-soname,$(SONAME) \
	  -Wl,--version-script,engine/libvanban.map -o $@ $(LIB_OBJ) \
	  $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/$(SONAME): $(BUILD)/libvanban.so.$(VERSION)
	ln -sf $(notdir $<) $@

$(BUILD)/libvanban.so: $(BUILD)/$(SONAME)
	ln -sf $(notdir $<) $@

# pkg-config file. vanban.h includes only <stddef.h>, so --cflags is one
# -I; libvanban.a needs the libraries of PKG_LIBS (--static). They are
# written out, not Requires.private, so that the shared library can be
# used without the -dev packages of its dependencies.
$(BUILD)/vanban.pc: FORCE
	@mkdir -p $(dir $@)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' \
	  'includedir=$(INCLUDEDIR)' 'datadir=$(DATADIR)' '' \
	  'Name: vanban' \
	  'Description: Vietnamese official documents (Nghị định 30/2020, Hướng dẫn 36-HD/VPTW) to PDF and DOCX' \
	  'Version: $(VERSION)' \
	  'Libs: -L$${libdir} -lvanban' \
	  'Libs.private: $(strip $(PKG_LIBS))' \
	  'Cflags: -I$${includedir}' > $@

$(BUILD)/vanban: $(CLI_OBJ) $(BUILD)/libvanban.a
	$(CC) -o $@ $(CLI_OBJ) $(BUILD)/libvanban.a $(ALL_LDFLAGS) $(PKG_LIBS)

# Installs only what is missing; needs root or sudo the first time.
deps:
	@missing=""; for p in $(DEB_ALL); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null; \
	fi

demo: deps
	$(MAKE) all
	@mkdir -p examples/out
	@for f in examples/*.xml; do \
	  b=$$(basename $$f .xml); \
	  $(BUILD)/vanban render $$f --format pdf,docx --out-dir examples/out \
	    || exit 1; \
	  echo "  $$f -> examples/out/$$b.pdf, examples/out/$$b.docx"; \
	done
	$(BUILD)/vanban batch giay-chung-nhan examples/batch/danh-sach.csv \
	  -o examples/out/giay-chung-nhan.pdf
	@echo "  examples/batch/danh-sach.csv -> examples/out/giay-chung-nhan.pdf"

check: deps
	$(MAKE) all
	$(MAKE) test

test: all units check-symbols
	$(PYTHON) tests/run.py --build $(BUILD)

check-asan: deps
	$(MAKE) BUILD=build-asan CC=clang SANITIZER=address,undefined OPT='-O1 -g' all units
	ASAN_OPTIONS=detect_leaks=1 $(PYTHON) tests/run.py --build build-asan --quick

# valgrind over the unit tests, the spec goldens, the command and every
# example (the hostile corpus runs under ASan instead: check-asan)
leakcheck: all units
	$(PYTHON) tests/run.py --build $(BUILD) --valgrind --quick \
	  --only unit,spec,cli,examples,profiles

FUZZ_SECONDS ?= 60
fuzz: deps
	$(PYTHON) tests/fuzz/run.py --seconds $(FUZZ_SECONDS)

fuzz-smoke: deps
	$(PYTHON) tests/fuzz/run.py --seconds 15

$(BUILD)/bench/inproc: bench/inproc.c $(BUILD)/libvanban.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iengine -o $@ $< $(BUILD)/libvanban.a $(ALL_LDFLAGS) $(PKG_LIBS)

bench: all $(BUILD)/bench/inproc $(BUILD)/tests/register-taker
	$(PYTHON) bench/run.py --build $(BUILD)

check-symbols: $(BUILD)/libvanban.so
	nm -D --defined-only $< | awk '$$2 == "T" {sub(/@.*/, "", $$3); print $$3}' \
	  | sort | diff -u tests/exported-symbols.txt -
	readelf -d $< | grep -q 'SONAME.*\[$(SONAME)\]'
	! nm -D --defined-only $< | awk '$$2 == "T"' | grep -v '@@VANBAN_$(SOVERSION)$$'

# --- install (GNU conventions: PREFIX, DESTDIR) ---------------------------

DATA_DIRS = templates fonts
# bash completion, when the command ships one
COMPLETION = completion/vanban.bash
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

install: all $(BUILD)/vanban.pc
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
	  $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	$(INSTALL) -m 755 $(BUILD)/vanban $(DESTDIR)$(BINDIR)/vanban
	$(INSTALL) -m 644 $(BUILD)/libvanban.a $(DESTDIR)$(LIBDIR)/libvanban.a
	$(INSTALL) -m 644 $(BUILD)/libvanban.so.$(VERSION) \
	  $(DESTDIR)$(LIBDIR)/libvanban.so.$(VERSION)
	ln -sf libvanban.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libvanban.so
	$(INSTALL) -m 644 engine/vanban.h $(DESTDIR)$(INCLUDEDIR)/vanban.h
	$(INSTALL) -m 644 $(BUILD)/vanban.pc $(DESTDIR)$(PKGCONFIGDIR)/vanban.pc
	$(INSTALL) -m 644 man/vanban.1 $(DESTDIR)$(MANDIR)/man1/vanban.1
	$(INSTALL) -m 644 man/vanban.3 $(DESTDIR)$(MANDIR)/man3/vanban.3
	for f in $$(find $(DATA_DIRS) -type f | sort); do \
	  $(INSTALL) -D -m 644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	if [ -f $(COMPLETION) ]; then $(INSTALL) -D -m 644 $(COMPLETION) \
	  $(DESTDIR)$(COMPLETIONDIR)/vanban; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vanban $(DESTDIR)$(LIBDIR)/libvanban.a \
	  $(DESTDIR)$(LIBDIR)/libvanban.so $(DESTDIR)$(LIBDIR)/$(SONAME) \
	  $(DESTDIR)$(LIBDIR)/libvanban.so.$(VERSION) \
	  $(DESTDIR)$(INCLUDEDIR)/vanban.h $(DESTDIR)$(PKGCONFIGDIR)/vanban.pc \
	  $(DESTDIR)$(MANDIR)/man1/vanban.1 $(DESTDIR)$(MANDIR)/man3/vanban.3 \
	  $(DESTDIR)$(COMPLETIONDIR)/vanban
	rm -rf $(DESTDIR)$(DATADIR)

# --- Debian package -------------------------------------------------------
# One binary package built with dpkg-deb from a staged `make install`;
# Depends computed by dpkg-shlibdeps (packaging/debian/build-deb.sh).
# make check-deb: lintian, apt install, vanban render from /tmp (root).

DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB_MULTIARCH := $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
DEB_REV = 1
DEB_FILE = $(BUILD)/vanban_$(VERSION)-$(DEB_REV)_$(DEB_ARCH).deb

deb: $(DEB_FILE)

$(DEB_FILE): FORCE
	@command -v dpkg-shlibdeps >/dev/null && [ -n "$(DEB_MULTIARCH)" ] \
	  || { echo "make deb needs dpkg-dev (make deps installs it)"; exit 1; }
	rm -rf $(BUILD)/deb
	$(MAKE) BUILD=$(BUILD)/deb/build PREFIX=/usr \
	  LIBDIR=/usr/lib/$(DEB_MULTIARCH) DESTDIR=$(CURDIR)/$(BUILD)/deb/root \
	  install
	sh packaging/debian/build-deb.sh $(BUILD)/deb $(VERSION)-$(DEB_REV) \
	  $(DEB_ARCH) $(DEB_MULTIARCH) $@

check-deb: deps deb
	$(PYTHON) tests/run.py --build $(BUILD) --only deb

lint:
	@! grep -nE '\b(sprintf|strcpy|strcat|atoi|gets)\s*\(' engine/*.c engine/cli/*.c \
	  || (echo "banned function used"; exit 1)
	clang-tidy engine/*.c engine/cli/*.c -- $(ALL_CFLAGS)

clean:
	rm -rf build build-asan examples/out tests/out bench/out

FORCE:

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(BUILD)/tests/make_form.d
