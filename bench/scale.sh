#!/bin/sh
# scale.sh SMALL_DB BIG_DB [SECONDS]: dashboards and the quarterly report on
# two databases filled by `hocvuso demo --learners N --assists M` (e.g. 100 k
# and 10 M learners), measured in one run: wrk on the national, the Hồ Chí
# Minh City and a ward's (26740, Phường Sài Gòn) dashboard at 8 and 64 connections (served from the parts kept in
# memory, and built per request with dashboard_cache off), `hocvuso report` for the
# province with hyperfine, and the ratio big/small (goal: dashboards p99 <
# 10 ms, report < 1 s, big no more than 1.5x small).  Databases are SQLite
# files or postgres:// URLs.  Prepare them with:
#   hocvuso init --db small.db && hocvuso demo --db small.db --learners 100000 --assists 50000
#   hocvuso init --db big.db && hocvuso demo --db big.db --learners 10000000 --assists 5000000
set -eu
cd "$(dirname "$0")/.."
small=${1:?small database}; big=${2:?big database}; secs=${3:-10}
work=$(mktemp -d /tmp/hocvuso-scale.XXXXXX)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
pid=""
period=$(TZ=Asia/Ho_Chi_Minh date +%Y)

# p99 in ms from a wrk --latency output
p99() { awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }

run_one() { # label db
	label=$1; db=$2
	printf '%s\n' bench-coordinator-1 | build/hocvuso user add dieuphoi --name "Điều Phối Đo Tải" --unit VN \
		--role coordinator --password-stdin --db "$db" >/dev/null 2>&1 || true
	# Dashboards served from the parts kept in memory (the default), then
	# built per request (dashboard_cache off): what a view right after a
	# write in the unit costs.
	for mode in on off; do
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	HOCVUSO_DASHBOARD_CACHE=$mode HOCVUSO_CONN_PER_IP=0 build/hocvuso serve --db "$db" --listen 127.0.0.1:$port --threads 16 \
		--access-log off 2>"$work/serve-$label.log" &
	pid=$!
	for i in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
	jar="$work/jar"
	curl -sf -c "$jar" -o /dev/null "http://127.0.0.1:$port/dang-nhap"
	tok=$(curl -sf -b "$jar" -c "$jar" "http://127.0.0.1:$port/dang-nhap" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -sf -b "$jar" -c "$jar" -o /dev/null --data "_csrf=$tok&login=dieuphoi&password=bench-coordinator-1" "http://127.0.0.1:$port/dang-nhap"
	sid=$(awk '$6=="hv_s" {print $7}' "$jar")
	printf 'wrk.headers["Cookie"] = "hv_s=%s"\n' "$sid" >"$work/cookie.lua"
	learners=$(curl -sf -b "hv_s=$sid" "http://127.0.0.1:$port/bang-dieu-khien/VN?ky=$period&dinh-dang=csv" | awk -F, 'NR==2 {print $3}')
	for u in VN 79 26740; do
		curl -sf -b "hv_s=$sid" -o /dev/null "http://127.0.0.1:$port/bang-dieu-khien/$u?ky=$period" || { echo "dashboard $u did not load"; exit 1; }
		for c in 8 64; do
			wrk -t2 -c$c -d"${secs}s" --latency -s "$work/cookie.lua" "http://127.0.0.1:$port/bang-dieu-khien/$u?ky=$period" >"$work/$label-$u-$c.wrk"
			echo "$label $mode $u $c $(rps "$work/$label-$u-$c.wrk") $(p99 "$work/$label-$u-$c.wrk")" >>"$work/rows"
		done
	done
	kill $pid; wait $pid 2>/dev/null || true; pid=""
	done
	hyperfine -N --warmup 1 --runs 5 --export-json "$work/report-$label.json" \
		"build/hocvuso report --db $db --unit 79 --period $period --format pdf --out $work/r.pdf" >/dev/null 2>&1
	rep=$(python3 -c "import json,sys; r=json.load(open('$work/report-$label.json'))['results'][0]; print('%.3f %.3f' % (r['mean'], r['max']))")
	echo "$label learners(this year)=$learners report79_pdf_mean_s/max_s=$rep" >>"$work/info"
}

run_one small "$small"
run_one big "$big"
echo "backend: $(case "$big" in postgres*) echo PostgreSQL;; *) echo SQLite;; esac); $(nproc) cores shared by wrk and hocvuso (--threads 16 workers, one connection thread per core); ${secs}s per run"
cat "$work/info"
printf '%-34s %5s | %12s %9s | %12s %9s | %s\n' "dashboard" "conns" "small req/s" "p99 ms" "big req/s" "p99 ms" "big/small time (goal <= 1.5)"
for mode in on off; do
	for u in VN 79 26740; do
		for c in 8 64; do
			set -- $(grep "^small $mode $u $c " "$work/rows") $(grep "^big $mode $u $c " "$work/rows")
			printf '%-34s %5s | %12.0f %9.2f | %12.0f %9.2f | %.2fx  (p99 goal < 10 ms)\n' \
				"$(case $u in VN) echo national;; 79) echo "HCMC (168 wards)";; *) echo "ward $u";; esac)$( [ "$mode" = on ] && echo ", in memory" || echo ", built")" \
				"$c" "$5" "$6" "${11}" "${12}" "$(echo "$5 / ${11}" | bc -l)"
		done
	done
done
