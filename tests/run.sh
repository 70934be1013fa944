#!/bin/sh
# run.sh: every test suite, normal and under ASan+UBSan, on SQLite and (when
# HOCVUSO_TEST_PG names a server) PostgreSQL; then the browser tests when
# Chromium and Node are present, and the independent credential verifier
# (tests/vc).  Ends with "N passed, N failed[, N skipped]".
# Called by `make check` after the builds.  Each suite's report is kept in
# build/test-logs/ (one log per suite, lane-*.out per lane in order).
set -u
cd "$(dirname "$0")/.."
out=build/test-logs
rm -rf "$out"; mkdir -p "$out"
backends="sqlite"
[ -n "${HOCVUSO_TEST_PG:-}" ] && backends="sqlite, postgres"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"

# run_one LANE NAME CMD...: runs a suite; its line goes to the lane's
# report and "NAME P F S" to the lane's totals.
run_one() {
	lane=$1; name=$2; shift 2
	log="$out/$(echo "$name" | tr ' /[]' '____').log"
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
	status="ok"; [ "$f" -ne 0 ] && status="FAILED"
	{
		printf '%-46s %4d passed %3d failed %3d skipped  %s\n' "$name" "$p" "$f" "$s" "$status"
		if [ "$f" -ne 0 ]; then
			grep -E 'FAIL|Error|ERROR|Traceback|assert' "$log" | head -20 | sed 's/^/    /'
		fi
	} >"$out/lane-$lane.last"
	cat "$out/lane-$lane.last" # as each suite ends, lanes interleaved
	cat "$out/lane-$lane.last" >>"$out/lane-$lane.out"
	echo "$name|$p|$f|$s" >>"$out/lane-$lane.sum"
}

# Suites that measure what the server does under load of their own (a
# crash under writes, slow clients) run after the lanes, one at a time, on
# a quiet machine: their load must be theirs.
QUIET="test_crash.py test_slow_clients.py"
quiet() {
	case " $QUIET " in *" $(basename "$1") "*) return 0 ;; esac
	return 1
}

# Three lanes run at once (the suites mostly wait on servers and clocks,
# so two cores are far from busy): the normal build, the sanitizer build,
# and PostgreSQL with the fuzzers.  PostgreSQL suites share one database,
# so they stay in one lane, one after another.
lane_normal() {
	run_one normal "rules (layers, SQL, sizes, routes)" tests/rules.sh
	for t in build/tests/*/*_test build/tests/*/*/*_test; do
		run_one normal "unit $(basename "$t")" "$t"
	done
	for t in tests/http/test_*.py; do
		quiet "$t" && continue
		run_one normal "http $(basename "$t" .py)" env HOCVUSO_BIN=build/hocvuso python3 "$t"
	done
}
lane_asan() {
	for t in build/asan/tests/*/*_test build/asan/tests/*/*/*_test; do
		run_one asan "unit+asan $(basename "$t")" "$t"
	done
	for t in tests/http/test_*.py; do
		quiet "$t" && continue
		run_one asan "http+asan $(basename "$t" .py)" env HOCVUSO_BIN=build/asan/hocvuso python3 "$t"
	done
}
lane_pg() {
	if [ -x tests/fuzz/replay.sh ]; then
		run_one pg "fuzz regressions+corpus replay" tests/fuzz/replay.sh
	fi
	# Each libFuzzer harness briefly (longer runs: make fuzz FUZZ_SECONDS=600).
	if [ -x tests/fuzz/run.sh ] && [ "${HOCVUSO_FUZZ_SECONDS:-5}" -gt 0 ]; then
		run_one pg "fuzz ${HOCVUSO_FUZZ_SECONDS:-5}s per harness" sh -c 'FUZZ_JOBS=1 tests/fuzz/run.sh "${HOCVUSO_FUZZ_SECONDS:-5}" && echo "RESULT passed=1 failed=0 skipped=0"'
	fi
	if [ -n "${HOCVUSO_TEST_PG:-}" ]; then
		run_one pg "unit store_test [postgres]" env HOCVUSO_TEST_BACKEND=postgres build/tests/store/store_test
		for t in tests/http/test_*.py; do
			quiet "$t" && continue
			run_one pg "http $(basename "$t" .py) [postgres]" env HOCVUSO_TEST_BACKEND=postgres HOCVUSO_BIN=build/hocvuso python3 "$t"
		done
	else
		echo "PostgreSQL suites skipped: set HOCVUSO_TEST_PG=postgres://… (CI does, see .ci/run)"
	fi
}

lane_normal & p1=$!
lane_asan & p2=$!
lane_pg & p3=$!
wait $p1 $p2 $p3
for q in $QUIET; do
	t=tests/http/$q
	run_one quiet "http $(basename "$t" .py)" env HOCVUSO_BIN=build/hocvuso python3 "$t"
	run_one quiet "http+asan $(basename "$t" .py)" env HOCVUSO_BIN=build/asan/hocvuso python3 "$t"
	if [ -n "${HOCVUSO_TEST_PG:-}" ]; then
		run_one quiet "http $(basename "$t" .py) [postgres]" env HOCVUSO_TEST_BACKEND=postgres HOCVUSO_BIN=build/hocvuso python3 "$t"
	fi
done
if [ -x tests/browser/run.sh ]; then
	run_one browser "browser" tests/browser/run.sh
fi
# Credentials checked by an independent verifier (npm, offline): after the
# lanes, like the browser tests (node and a server of their own).
if [ -x tests/vc/run.sh ]; then
	run_one browser "vc independent verifier" tests/vc/run.sh
fi

passed=0; failed=0; skipped=0; failures=""
for lane in normal asan pg quiet browser; do
	[ -f "$out/lane-$lane.sum" ] || continue
	while IFS='|' read -r name p f s; do
		passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
		[ "$f" -ne 0 ] && failures="$failures [$name]"
	done <"$out/lane-$lane.sum"
done

echo "logs: $out/   backends: $backends"
if [ -n "$failures" ]; then
	# What failed, again at the end (CI shows the tail of this output).
	for lane in normal asan pg quiet browser; do
		[ -f "$out/lane-$lane.out" ] || continue
		awk '/ FAILED$/ { keep = 1; print; next } /^[^ ]/ { keep = 0 } keep' "$out/lane-$lane.out"
	done
	echo "failed suites:$failures"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
