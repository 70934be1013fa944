#!/bin/sh
# replay.sh: runs every harness, without libFuzzer, on each file of
# tests/fuzz/regression/NAME/ and tests/fuzz/corpus/NAME/, under ASan+UBSan
# with leak detection.  Builds the replay binaries first if needed.
#
# A harness passes when all its files run clean.  When a run fails, each
# file is replayed alone to name the ones that fail.  The last line is
# "RESULT passed=N failed=M skipped=0" (N, M counted in harnesses), the
# format tests/run.sh adds up; the exit status is non-zero if M > 0.
set -u
cd "$(dirname "$0")/../.." || exit 2

HARNESSES=$(cat tests/fuzz/harnesses) # one list for build, run and replay
LOGS=build/fuzz/replay-logs

mkdir -p build/fuzz
if ! tests/fuzz/build.sh --replay >build/fuzz/replay-build.log 2>&1; then
	cat build/fuzz/replay-build.log >&2
	echo "replay.sh: build failed"
	echo "RESULT passed=0 failed=$(echo $HARNESSES | wc -w) skipped=0"
	exit 1
fi
rm -rf "$LOGS"
mkdir -p "$LOGS"

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

passed=0
failed=0
for h in $HARNESSES; do
	bin=build/fuzz/replay_$h
	log=$LOGS/$h.log
	files=$(find tests/fuzz/regression/"$h" tests/fuzz/corpus/"$h" -type f 2>/dev/null | sort)
	n=$(printf '%s\n' "$files" | grep -c .)
	# One process for all files (fast); file names have no spaces.
	# shellcheck disable=SC2086
	if "$bin" $files >"$log" 2>&1; then
		printf '%-11s %4d files  ok\n' "$h" "$n"
		passed=$((passed + 1))
		continue
	fi
	bad=""
	for f in $files; do
		"$bin" "$f" >"$log.one" 2>&1 || {
			bad="$bad $f"
			{ echo "== $f"; cat "$log.one"; } >>"$log"
		}
	done
	rm -f "$log.one"
	[ -n "$bad" ] || bad=" (only when run together, see $log)"
	printf '%-11s %4d files  FAILED:%s\n' "$h" "$n" "$bad"
	grep -E 'FUZZ_ASSERT|ERROR: |runtime error:' "$log" | sort -u | head -5 | sed 's/^/    /'
	failed=$((failed + 1))
done
echo "logs: $LOGS/"
echo "RESULT passed=$passed failed=$failed skipped=0"
[ "$failed" -eq 0 ]
