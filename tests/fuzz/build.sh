#!/bin/sh
# build.sh: builds the libFuzzer harnesses of tests/fuzz/ with clang.
#
#   tests/fuzz/build.sh             every harness (build/fuzz/NAME) and replay binary
#   tests/fuzz/build.sh --replay    only the replay binaries (build/fuzz/replay_NAME)
#
# The library (src/*/*.c and src/*/*/*.c without src/cli/ and *_test.c, as LIBSRCS in the
# Makefile) is compiled twice into build/fuzz/obj/: with libFuzzer coverage
# plus ASan+UBSan for the fuzzers, and with ASan+UBSan only for the replay
# binaries (tests/fuzz/replay_main.c runs LLVMFuzzerTestOneInput on files).
# Objects are rebuilt when their source, any header under src/, the
# generated asset table or this script is newer.  Outputs go to build/fuzz/
# only.  FUZZ_CC overrides the compiler (default clang); FUZZ_JOBS the number
# of parallel compiles (default: the number of CPUs).
set -eu
cd "$(dirname "$0")/../.."

HARNESSES=$(cat tests/fuzz/harnesses) # one list for build, run and replay
CC=${FUZZ_CC:-clang}
JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
OUT=build/fuzz
SELF=tests/fuzz/build.sh

# Internal: compile one source.  build.sh --cc FLAVOUR SRC OBJ
if [ "${1:-}" = "--cc" ]; then
	flavour=$2 src=$3 obj=$4
	mkdir -p "$(dirname "$obj")"
	case $flavour in
	fuzz)   san="-fsanitize=fuzzer-no-link,address,undefined" ;;
	replay) san="-fsanitize=address,undefined" ;;
	plain)  san="" ;;
	esac
	case $src in
	tests/fuzz/*) warn="-Wall -Wextra -Werror -Wshadow -Wvla" ;;
	*)            warn="-Wall -Wextra" ;;
	esac
	echo "  CC-$flavour $src"
	# shellcheck disable=SC2086
	exec "$CC" -std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all \
		$san $warn -Isrc -Ibuild/gen -Itests/fuzz $FUZZ_PKG_CFLAGS -c -o "$obj" "$src"
fi

only_replay=false
[ "${1:-}" = "--replay" ] && only_replay=true

command -v "$CC" >/dev/null 2>&1 || { echo "build.sh: $CC not found (Debian: apt-get install clang)" >&2; exit 1; }

# The package list is the Makefile's own PKGS, read without editing it.
PKGS=$(make -s --no-print-directory --eval 'fuzz-print-pkgs: ; @echo $(PKGS)' fuzz-print-pkgs)
FUZZ_PKG_CFLAGS=$(pkg-config --cflags $PKGS)
LIBS="$(pkg-config --libs $PKGS) -lcsv -lpthread -lm"
export FUZZ_PKG_CFLAGS CC

# Templates and the i18n catalogue come from the generated asset table.
make -s --no-print-directory build/gen/assets.c

LIBSRCS=$(ls src/*/*.c src/*/*/*.c | grep -v '_test\.c$' | grep -v '^src/cli/')
newest_dep=$(ls -t $(find src -name '*.h') build/gen/assets.c tests/fuzz/fuzz.h "$SELF" | head -1)

# stale OBJ SRC: true if OBJ must be rebuilt.
stale() {
	[ ! -f "$1" ] || [ "$2" -nt "$1" ] || [ "$newest_dep" -nt "$1" ]
}

flavours="replay"
$only_replay || flavours="fuzz replay"

mkdir -p "$OUT/obj"
jobs_file="$OUT/obj/jobs.txt"
: >"$jobs_file"
for fl in $flavours; do
	for s in $LIBSRCS; do
		o="$OUT/obj/$fl/$(echo "$s" | sed 's|^src/||; s|\.c$|.o|')"
		stale "$o" "$s" && echo "$fl $s $o" >>"$jobs_file"
	done
	for h in $HARNESSES; do
		s=tests/fuzz/fuzz_$h.c o="$OUT/obj/$fl/fuzz_$h.o"
		stale "$o" "$s" && echo "$fl $s $o" >>"$jobs_file"
	done
done
stale "$OUT/obj/replay/replay_main.o" tests/fuzz/replay_main.c &&
	echo "replay tests/fuzz/replay_main.c $OUT/obj/replay/replay_main.o" >>"$jobs_file"
# The asset table is data: compiled once, without instrumentation.
stale "$OUT/obj/assets.o" build/gen/assets.c && echo "plain build/gen/assets.c $OUT/obj/assets.o" >>"$jobs_file"

if [ -s "$jobs_file" ]; then
	xargs -P "$JOBS" -n 3 "$SELF" --cc <"$jobs_file" || { echo "build.sh: compilation failed" >&2; exit 1; }
fi

# Static archives: the linker takes only the objects a harness needs.
for fl in $flavours; do
	lib="$OUT/obj/libhv_$fl.a"
	objs=$(for s in $LIBSRCS; do echo "$OUT/obj/$fl/$(echo "$s" | sed 's|^src/||; s|\.c$|.o|')"; done)
	if [ ! -f "$lib" ] || [ -n "$(find $objs -newer "$lib" 2>/dev/null | head -1)" ]; then
		rm -f "$lib"
		ar rcs "$lib" $objs
	fi
done

# link OUTPUT SANFLAGS OBJ...: links when an input is newer than OUTPUT.
link() {
	out=$1 san=$2
	shift 2
	need=false
	[ -f "$out" ] || need=true
	for i in "$@"; do [ "$i" -nt "$out" ] && need=true; done
	$need || return 0
	echo "  LD      $out"
	# shellcheck disable=SC2086
	"$CC" $san -o "$out" "$@" $LIBS
}

for h in $HARNESSES; do
	if ! $only_replay; then
		link "$OUT/$h" "-fsanitize=fuzzer,address,undefined" \
			"$OUT/obj/fuzz/fuzz_$h.o" "$OUT/obj/libhv_fuzz.a" "$OUT/obj/assets.o"
	fi
	link "$OUT/replay_$h" "-fsanitize=address,undefined" \
		"$OUT/obj/replay/fuzz_$h.o" "$OUT/obj/replay/replay_main.o" "$OUT/obj/libhv_replay.a" "$OUT/obj/assets.o"
done
