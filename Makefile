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

BUILD ?= build
CC ?= cc
PYTHON ?= /usr/bin/python3
SANITIZER ?=

PKGS = libxml-2.0 libzip icu-uc icu-i18n freetype2 md4c harfbuzz-subset \
       sqlite3 nettle xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm

OPT ?= -O2 -g
WARN = -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) \
             -fvisibility=hidden -fPIC -MMD -MP $(PKG_CFLAGS) \
             -DVB_BUILD_DATADIR='"$(CURDIR)"' $(CFLAGS)
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
            libsqlite3-dev nettle-dev libxlsxwriter-dev
DEB_TEST = poppler-utils qpdf libxml2-utils python3 python3-docx \
           libreoffice-writer-nogui fonts-liberation2 valgrind clang \
           libclang-rt-14-dev hyperfine time python3-openpyxl sqlite3
DEB_ALL = $(DEB_BUILD) $(DEB_TEST)

.PHONY: all deps demo check check-asan test units leakcheck fuzz fuzz-smoke \
        bench lint clean check-symbols

all: $(BUILD)/libvanban.a $(BUILD)/libvanban.so $(BUILD)/vanban

units: $(UNIT_BIN) $(BUILD)/tests/register-taker

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

$(BUILD)/libvanban.so: $(LIB_OBJ)
	$(CC) -shared -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

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
	nm -D --defined-only $< | awk '$$2 == "T" {print $$3}' | sort \
	  | diff -u tests/exported-symbols.txt -

lint:
	@! grep -nE '\b(sprintf|strcpy|strcat|atoi|gets)\s*\(' engine/*.c engine/cli/*.c \
	  || (echo "banned function used"; exit 1)
	clang-tidy engine/*.c engine/cli/*.c -- $(ALL_CFLAGS)

clean:
	rm -rf build build-asan examples/out tests/out bench/out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d)
