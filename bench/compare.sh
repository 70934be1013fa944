#!/bin/sh
# compare.sh: bench/run.sh on SQLite and on PostgreSQL, printed side by side.
# Needs a PostgreSQL URL whose public schema may be emptied: BENCH_PG=postgres://…
# (without one, a private cluster is started with tests/pg.sh).
set -eu
cd "$(dirname "$0")/.."
secs=${1:-5}
pgdir=""
if [ -z "${BENCH_PG:-}" ]; then
	pgdir=$(mktemp -d /tmp/hocvuso-bench-pg.XXXXXX)
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	BENCH_PG=$(tests/pg.sh start "$pgdir" "$port")
	trap 'tests/pg.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
fi
bench/run.sh "$secs" 64 >/tmp/hocvuso-bench-sqlite.txt 2>&1
BENCH_DB="$BENCH_PG" bench/run.sh "$secs" 64 >/tmp/hocvuso-bench-pg.txt 2>&1
printf '%-38s | %-40s | %s\n' "measure" "SQLite" "PostgreSQL"
for key in "home page" "unit page" "unit search page" "signed-in account page" "national dashboard" "HCMC dashboard" "lesson page (per request)" "quiz submissions" "assist submissions" "assists:" "certificate PDF" "lesson search API" "in-process"; do
	a=$(grep -m1 "^$key" /tmp/hocvuso-bench-sqlite.txt | sed 's/  */ /g' | cut -c1-120 || true)
	b=$(grep -m1 "^$key" /tmp/hocvuso-bench-pg.txt | sed 's/  */ /g' | cut -c1-120 || true)
	ra=$(echo "$a" | grep -o '[0-9.]* req/s' | head -1); pa=$(echo "$a" | grep -o 'p[0-9]* *[0-9.]* [mµ]s' | head -1)
	rb=$(echo "$b" | grep -o '[0-9.]* req/s' | head -1); pb=$(echo "$b" | grep -o 'p[0-9]* *[0-9.]* [mµ]s' | head -1)
	printf '%-38s | %-40s | %s\n' "$key" "$ra $pa" "$rb $pb"
done
echo "full outputs: /tmp/hocvuso-bench-sqlite.txt /tmp/hocvuso-bench-pg.txt"
