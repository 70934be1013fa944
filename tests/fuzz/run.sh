#!/bin/sh
# run.sh [SECONDS]: builds the harnesses, then fuzzes each one for SECONDS
# (default 60) on a copy of its seed corpus.
#
# tests/fuzz/dict/NAME.dict, when present, is passed as a libFuzzer dictionary.
# Harnesses run FUZZ_JOBS at a time (default: the number of CPUs), each in
# build/fuzz/run/NAME/ (corpus copy, log, artifacts); the committed corpus
# in tests/fuzz/corpus/ is never written.  For each harness it prints the
# executions, executions per second, coverage (libFuzzer's cov: edges and
# ft: features) and the corpus growth.  Any crash-*, leak-*, timeout-* or
# oom-* input is copied into tests/fuzz/regression/NAME/, where replay.sh
# (and so `make check`) runs it from then on.  Exits 1 if any harness found
# something, 2 on a bad argument.
set -u
cd "$(dirname "$0")/../.." || exit 2

secs=${1:-60}
case $secs in
'' | *[!0-9]*) echo "usage: tests/fuzz/run.sh [SECONDS]" >&2; exit 2 ;;
esac
HARNESSES=$(cat tests/fuzz/harnesses) # one list for build, run and replay
JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
WORK=build/fuzz/run
start=$(date +%s)

tests/fuzz/build.sh || { echo "run.sh: build failed" >&2; exit 1; }

# Longest input worth generating: the harness's own cap, or 4 KiB when the
# cap is larger (longer inputs mostly slow the search down).
max_len() {
	case $1 in
	path) echo 2048 ;;
	router) echo 2060 ;;
	utf8_fold) echo 512 ;;
	units_csv) echo 16384 ;;
	*) echo 4096 ;;
	esac
}

run_one() {
	h=$1
	d=$WORK/$h
	rm -rf "$d"
	mkdir -p "$d/corpus" "$d/artifacts"
	cp tests/fuzz/corpus/"$h"/* "$d/corpus/" 2>/dev/null
	dict=""
	[ -f tests/fuzz/dict/"$h".dict ] && dict="-dict=tests/fuzz/dict/$h.dict"
	ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
		"build/fuzz/$h" -max_total_time="$secs" -print_final_stats=1 -max_len="$(max_len "$h")" \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$d/artifacts/" $dict "$d/corpus" >"$d/log" 2>&1
	echo $? >"$d/rc"
}

echo "fuzzing $(echo $HARNESSES | wc -w) harnesses for ${secs}s each, $JOBS at a time"
set -- $HARNESSES
while [ $# -gt 0 ]; do
	pids=""
	i=0
	while [ $# -gt 0 ] && [ $i -lt "$JOBS" ]; do
		run_one "$1" &
		pids="$pids $!"
		shift
		i=$((i + 1))
	done
	for p in $pids; do wait "$p"; done
done

# final_stat NAME LOG: a libFuzzer final statistic ("stat::NAME: value").
final_stat() {
	v=$(sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -1)
	echo "${v:-?}"
}

# sig NAME FILE: the first failure line when the replay binary runs FILE
# ("FUZZ_ASSERT failed: file:line: cond", a sanitizer SUMMARY or a UBSan
# "runtime error"), without the pid; empty if it runs clean.
sig() {
	(ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" UBSAN_OPTIONS="halt_on_error=1" \
		"build/fuzz/replay_$1" "$2" 2>&1; true) 2>/dev/null |
		grep -m1 -E 'FUZZ_ASSERT failed|SUMMARY: [A-Za-z]+Sanitizer|runtime error:' | sed 's/==[0-9]*==//'
}

found=0
printf '%-11s %12s %9s %7s %8s %13s  %s\n' harness execs exec/s cov ft corpus result
for h in $HARNESSES; do
	d=$WORK/$h
	log=$d/log
	rc=$(cat "$d/rc" 2>/dev/null || echo 1)
	execs=$(final_stat number_of_executed_units "$log")
	eps=$(final_stat average_exec_per_sec "$log")
	last=$(grep 'cov: ' "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	seeds=$(ls tests/fuzz/corpus/"$h" 2>/dev/null | wc -l)
	now=$(ls "$d/corpus" | wc -l)
	result=ok
	arts=$(ls "$d/artifacts" 2>/dev/null | grep -E '^(crash|leak|timeout|oom)-' || true)
	if [ -n "$arts" ]; then
		reg=tests/fuzz/regression/$h
		mkdir -p "$reg"
		result="FOUND:"
		for a in $arts; do
			# A failure a regression file already shows is not copied again.
			s=$(sig "$h" "$d/artifacts/$a")
			known=""
			if [ -n "$s" ]; then
				for r in "$reg"/*; do
					[ -f "$r" ] && [ "$(sig "$h" "$r")" = "$s" ] && { known=$r; break; }
				done
			fi
			if [ -n "$known" ]; then
				result="$result $a (known: same failure as $known)"
			else
				cp "$d/artifacts/$a" "$reg/"
				result="$result $a -> $reg/"
			fi
		done
		found=1
	elif [ "$rc" -ne 0 ]; then
		result="FAILED (exit $rc, see $log)"
		found=1
	fi
	printf '%-11s %12s %9s %7s %8s %13s  %s\n' "$h" "$execs" "$eps" "${cov:-?}" "${ft:-?}" "$seeds->$now" "$result"
	if [ "$result" != ok ]; then
		grep -E 'ERROR: |runtime error:|FUZZ_ASSERT|SUMMARY' "$log" | head -5 | sed 's/^/    /'
	fi
done
echo "logs: $WORK/NAME/log   total time: $(($(date +%s) - start))s"
exit $found
