#!/bin/sh
# run.sh: every test suite, normal and under ASan+UBSan, on SQLite and (when
# HOCVUSO_TEST_PG names a server) PostgreSQL; then the browser tests when
# Chromium and Node are present.  Ends with "N passed, N failed[, N skipped]".
# Called by `make check` after the builds.
set -u
cd "$(dirname "$0")/.."
out=build/test-logs
rm -rf "$out"; mkdir -p "$out"
passed=0; failed=0; skipped=0; failures=""
backends="sqlite"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"

# run_one NAME CMD...: runs a suite, adds its RESULT line to the totals.
run_one() {
	name=$1; shift
	log="$out/$(echo "$name" | tr ' /' '__').log"
	"$@" >"$log" 2>&1
	code=$?
	line=$(grep '^RESULT ' "$log" | tail -1)
	if [ -z "$line" ]; then
		p=0; f=1; s=0
	else
		p=$(echo "$line" | sed 's/.*passed=\([0-9]*\).*/\1/')
		f=$(echo "$line" | sed 's/.*failed=\([0-9]*\).*/\1/')
		s=$(echo "$line" | sed 's/.*skipped=\([0-9]*\).*/\1/')
		[ "$code" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	fi
	if grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
		[ "$f" -eq 0 ] && f=1
		echo "  sanitizer finding in $name" >&2
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	status="ok"; [ "$f" -ne 0 ] && { status="FAILED"; failures="$failures $name"; }
	printf '%-46s %4d passed %3d failed %3d skipped  %s\n' "$name" "$p" "$f" "$s" "$status"
	if [ "$f" -ne 0 ]; then
		grep -E 'FAIL|Error|ERROR|Traceback|assert' "$log" | head -20 | sed 's/^/    /'
	fi
}

for t in build/tests/*/*_test; do
	run_one "unit $(basename "$t")" "$t"
done
for t in build/asan/tests/*/*_test; do
	run_one "unit+asan $(basename "$t")" "$t"
done
for t in tests/http/test_*.py; do
	run_one "http $(basename "$t" .py)" env HOCVUSO_BIN=build/hocvuso python3 "$t"
done
for t in tests/http/test_*.py; do
	run_one "http+asan $(basename "$t" .py)" env HOCVUSO_BIN=build/asan/hocvuso python3 "$t"
done

if [ -x tests/fuzz/replay.sh ]; then
	run_one "fuzz regressions+corpus replay" tests/fuzz/replay.sh
fi
# Each libFuzzer harness briefly (longer runs: make fuzz FUZZ_SECONDS=600).
if [ -x tests/fuzz/run.sh ] && [ "${HOCVUSO_FUZZ_SECONDS:-5}" -gt 0 ]; then
	run_one "fuzz ${HOCVUSO_FUZZ_SECONDS:-5}s per harness" sh -c 'tests/fuzz/run.sh "${HOCVUSO_FUZZ_SECONDS:-5}" && echo "RESULT passed=1 failed=0 skipped=0"'
fi

if [ -n "${HOCVUSO_TEST_PG:-}" ]; then
	backends="sqlite, postgres"
	run_one "unit store_test [postgres]" env HOCVUSO_TEST_BACKEND=postgres build/tests/store/store_test
	for t in tests/http/test_*.py; do
		run_one "http $(basename "$t" .py) [postgres]" env HOCVUSO_TEST_BACKEND=postgres HOCVUSO_BIN=build/hocvuso python3 "$t"
	done
else
	echo "PostgreSQL suites skipped: set HOCVUSO_TEST_PG=postgres://… (CI does, see .ci/run)"
fi

if [ -x tests/browser/run.sh ]; then
	run_one "browser" tests/browser/run.sh
fi

echo "logs: $out/   backends: $backends"
[ -n "$failures" ] && echo "failed suites:$failures"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
