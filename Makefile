# hocvuso: one C binary for the "Bình dân học vụ số" movement.
#   make          build build/hocvuso
#   make run      install missing Debian packages, build, init data/hocvuso.db, serve :8080
#   make check    every test, normal and under ASan+UBSan; ends with "N passed, N failed"
#   make asan     build build/asan/hocvuso
#   make fuzz     run each libFuzzer harness for FUZZ_SECONDS

CC       ?= cc
PKGS      = libmicrohttpd sqlite3 libpq libsodium jansson libutf8proc yaml-0.1 md4c \
            libqrencode xlsxwriter pangocairo zlib libcrypto
# Asked of pkg-config once, when a compile or link first needs them (not
# when make reads this file): `make run` and `make check` install missing
# -dev packages first and then build in a second make, so the first run on
# a fresh machine already sees cairo's and pango's flags.
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(shell pkg-config --libs $(PKGS)) -lcsv -lpthread -lm)$(PKG_LIBS)

WARN      = -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wno-format-nonliteral
BASEFLAGS = -std=c17 -D_GNU_SOURCE -g $(WARN) -Isrc -I$(GEN) $(PKG_CFLAGS) -MMD -MP
HARDEN    = -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
SANFLAGS  = -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDHARDEN  = -pie -Wl,-z,relro,-z,now

GEN       = build/gen
SRCS     := $(filter-out %_test.c,$(wildcard src/*/*.c src/*/*/*.c))
TESTSRCS := $(wildcard src/*/*_test.c src/*/*/*_test.c)
LIBSRCS  := $(filter-out src/cli/%,$(SRCS))
ASSETS   := $(sort $(wildcard src/store/migrations/*.sql src/views/templates/*.html src/views/i18n*.txt \
              web/* data/seed/*.csv docs/openapi.json) $(shell find content -type f 2>/dev/null))

OBJ       = $(patsubst src/%.c,build/obj/%.o,$(SRCS)) build/obj/gen/assets.o
LIBOBJ    = $(patsubst src/%.c,build/obj/%.o,$(LIBSRCS)) build/obj/gen/assets.o
AOBJ      = $(patsubst src/%.c,build/asan/obj/%.o,$(SRCS)) build/asan/obj/gen/assets.o
ALIBOBJ   = $(patsubst src/%.c,build/asan/obj/%.o,$(LIBSRCS)) build/asan/obj/gen/assets.o
TESTBINS  = $(patsubst src/%_test.c,build/tests/%_test,$(TESTSRCS))
ATESTBINS = $(patsubst src/%_test.c,build/asan/tests/%_test,$(TESTSRCS))

.PHONY: all run check asan fuzz deps clean unit-tests bench conformance
all: build/hocvuso

deps:
	@scripts/deps.sh

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -o $@ $<

$(GEN)/assets.c: build/tools/embed $(ASSETS) Makefile
	@mkdir -p $(@D)
	@echo "  EMBED   $(words $(ASSETS)) files"
	@build/tools/embed $@ . $(ASSETS)

build/obj/gen/assets.o: $(GEN)/assets.c
	@mkdir -p $(@D)
	@$(CC) -std=c17 -O1 -Isrc -c -o $@ $<
build/asan/obj/gen/assets.o: $(GEN)/assets.c
	@mkdir -p $(@D)
	@$(CC) -std=c17 -O1 -Isrc -c -o $@ $<

build/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASEFLAGS) $(HARDEN) $(CFLAGS) -c -o $@ $<
build/asan/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC-ASAN $<"
	@$(CC) $(BASEFLAGS) $(SANFLAGS) $(CFLAGS) -c -o $@ $<

build/hocvuso: $(OBJ)
	@echo "  LD      $@"
	@$(CC) $(LDHARDEN) -o $@ $(OBJ) $(PKG_LIBS) $(LDFLAGS)
build/asan/hocvuso: $(AOBJ)
	@echo "  LD-ASAN $@"
	@$(CC) $(SANFLAGS) -o $@ $(AOBJ) $(PKG_LIBS) $(LDFLAGS)

build/tests/%_test: src/%_test.c $(LIBOBJ)
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(BASEFLAGS) $(HARDEN) $(LDHARDEN) -o $@ $< $(LIBOBJ) $(PKG_LIBS)
build/asan/tests/%_test: src/%_test.c $(ALIBOBJ)
	@mkdir -p $(@D)
	@echo "  TEST-ASAN $@"
	@$(CC) $(BASEFLAGS) $(SANFLAGS) -o $@ $< $(ALIBOBJ) $(PKG_LIBS)

asan: build/asan/hocvuso
unit-tests: $(TESTBINS) $(ATESTBINS)

run: deps
	@$(MAKE) --no-print-directory build/hocvuso
	@mkdir -p data
	build/hocvuso init --db data/hocvuso.db
	build/hocvuso demo --db data/hocvuso.db
	build/hocvuso serve --db data/hocvuso.db --listen $${HOCVUSO_LISTEN:-0.0.0.0:8080}

check: deps
	@$(MAKE) --no-print-directory build/hocvuso build/asan/hocvuso unit-tests
	@tests/run.sh

fuzz: deps
	@tests/fuzz/run.sh $${FUZZ_SECONDS:-60}

bench: deps
	@$(MAKE) --no-print-directory build/hocvuso
	@bench/run.sh
	@bench/verify.sh

# The W3C EdDSA suite against the VC API (tests/conformance/run.sh says
# where the suite's sources come from; not in check: they are on GitHub).
conformance: deps
	@$(MAKE) --no-print-directory build/hocvuso
	@tests/conformance/run.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
