#!/bin/sh
# slowloris.sh: /healthz and a cached page measured with wrk while thousands
# of slow clients (tests/http/slowclients.py: one header line every 10 s,
# never ending the headers, from 130 loopback addresses) try to hold the
# server, with hocvuso alone and behind nginx (docs/deploy/nginx.conf's
# timeouts); then the server's memory before and after 200 large bodies
# (100 announced over the limit with a junk session cookie, 100 of ~900 KiB
# read for a signed-in volunteer and refused).  Loopback only.
# Usage: bench/slowloris.sh [seconds per run, default 10] [slow connections, default 4100]
# Goals (issue "Hardening"): p99 < 50 ms during the attack; RSS growth < 20 MiB.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-10}; slow=${2:-4100}
for t in wrk nginx python3 curl; do command -v $t >/dev/null || { echo "bench: $t missing (make deps)"; exit 1; }; done
[ -x build/hocvuso ] || make -s build/hocvuso
work=$(mktemp -d /tmp/hocvuso-slow.XXXXXX)
chmod 755 "$work"
port=18191; nport=18192
attack=""
cleanup() {
	[ -n "$attack" ] && kill "$attack" 2>/dev/null || true
	[ -n "${hv_pid:-}" ] && kill "$hv_pid" 2>/dev/null || true
	[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	sleep 0.3; rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
db=$work/bench.db
export HOCVUSO_ISSUER_KEY="$work/issuer.key"
HOCVUSO_ADMIN_PASSWORD=bench-password-123 build/hocvuso init --db "$db" >/dev/null
build/hocvuso serve --db "$db" --listen 127.0.0.1:$port --access-log off 2>"$work/serve.log" &
hv_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
cat >"$work/nginx.conf" <<NGX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 8192; }
worker_rlimit_nofile 20000;
http {
  access_log off;
  client_body_temp_path $work/t1; proxy_temp_path $work/t2; fastcgi_temp_path $work/t3; uwsgi_temp_path $work/t4; scgi_temp_path $work/t5;
  limit_conn_zone \$binary_remote_addr zone=perip:10m;
  upstream hocvuso { server 127.0.0.1:$port; keepalive 64; }
  server {
    listen 127.0.0.1:$nport;
    client_header_timeout 10s; client_body_timeout 15s; limit_conn perip 32;
    location / { proxy_pass http://hocvuso; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_set_header X-Forwarded-For \$remote_addr; }
  }
}
NGX
nginx -c "$work/nginx.conf" -p "$work" 2>>"$work/nginx-error.log"
sleep 0.3

# measure NAME URL: prints "rps p99ms errors"
measure() {
	wrk -t2 -c16 -d"${secs}s" --timeout 5s --latency "$2" >"$work/$1.wrk" 2>&1 || true
	rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")
	p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' "$work/$1.wrk")
	errs=$(awk '/Socket errors|Non-2xx/ {print}' "$work/$1.wrk" | tr '\n' ' ')
	echo "${rps:-0} ${p99:-?} ${errs:-none}"
}
row() { # label "rps p99 errs"
	label=$1; shift
	set -- $1
	rps=$1; p99=$2; shift 2
	printf '%-44s %9.0f req/s  p99 %8.2f ms  %s\n' "$label" "$rps" "$p99" "$*"
}
metric() { curl -sf "http://127.0.0.1:$port/metrics" | awk -v m="$1" 'index($0, m) == 1 {print $2}'; }
start_attack() { # port
	python3 tests/http/slowclients.py "$1" "$slow" 130 10 $((secs * 2 + 30)) >"$work/attack-$1.json" &
	attack=$!
	sleep 15
}
stop_attack() {
	kill "$attack" 2>/dev/null || true
	wait "$attack" 2>/dev/null || true
	attack=""
	sleep 2
}
echo "wrk -t2 -c16 -d${secs}s; $slow slow connections from 130 addresses, a header line every 10 s; $(nproc) cores"
echo "--- hocvuso alone"
row "/healthz, no attack" "$(measure h0 "http://127.0.0.1:$port/healthz")"
row "/don-vi/79 (cached), no attack" "$(measure u0 "http://127.0.0.1:$port/don-vi/79")"
start_attack $port
echo "  connections waiting for headers: $(metric 'hocvuso_http_connections{phase="waiting"}')"
row "/healthz, during the attack" "$(measure h1 "http://127.0.0.1:$port/healthz")"
row "/don-vi/79 (cached), during the attack" "$(measure u1 "http://127.0.0.1:$port/don-vi/79")"
echo "  closed by the server: deadline $(metric 'hocvuso_http_connections_closed_total{reason="deadline"}'), made room $(metric 'hocvuso_http_connections_closed_total{reason="evicted"}')"
stop_attack
echo "--- behind nginx (client_header_timeout 10s, limit_conn 32 per address)"
row "/healthz via nginx, no attack" "$(measure nh0 "http://127.0.0.1:$nport/healthz")"
start_attack $nport
row "/healthz via nginx, during the attack" "$(measure nh1 "http://127.0.0.1:$nport/healthz")"
row "/don-vi/79 via nginx, during the attack" "$(measure nu1 "http://127.0.0.1:$nport/don-vi/79")"
echo "  connections waiting for headers at hocvuso: $(metric 'hocvuso_http_connections{phase="waiting"}')"
stop_attack
echo "--- memory after large bodies"
printf '%s\n' bench-volunteer-1 | build/hocvuso user add tnv.do.tai --name "Tình Nguyện Đo" --unit 79 --role volunteer \
	--password-stdin --db "$db" >/dev/null
token=$(build/hocvuso token create --user tnv.do.tai --db "$db" | tail -1)
rss() { awk '/^VmRSS/ {print $2}' "/proc/$hv_pid/status"; }
before=$(rss)
python3 - "$port" "$token" <<'PY'
import http.client, socket, sys, threading
port, token = int(sys.argv[1]), sys.argv[2]
body = b"[" + b"0," * (450 * 1024) + b"0"
n = [0]
def src():  # each client its own address (32 connections per address)
    n[0] += 1
    return ("127.0.%d.%d" % (200 + n[0] // 250, 1 + n[0] % 250), 0)
def big():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=src())
    c.request("POST", "/api/v1/assists", body=body, headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    c.getresponse().read()
def announced():
    s = socket.create_connection(("127.0.0.1", port), source_address=src())
    s.sendall(b"POST /api/v1/assists HTTP/1.1\r\nHost: x\r\nCookie: hv_s=x\r\nContent-Type: application/json\r\nContent-Length: 8000000\r\n\r\n")
    s.recv(1000)
    s.close()
for fn in (announced, big):
    ts = [threading.Thread(target=fn) for _ in range(100)]
    [t.start() for t in ts]
    [t.join() for t in ts]
PY
sleep 1
after=$(rss)
printf 'RSS before %d KiB, after 200 large bodies %d KiB: growth %d KiB (goal < 20480)\n' "$before" "$after" $((after - before))
