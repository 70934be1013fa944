#!/bin/sh
# verify.sh: the public credential verifier (POST /api/v1/credentials/verify)
# under load, measured with wrk in one run on this machine.
# Usage: bench/verify.sh [seconds per run, default 10] [connections, default 64]
# Goal (issue 24): >= 2,000 verifications/s on this 2-core machine; one
# Ed25519 verification costs ~50 us, so the rest (JSON parse, JCS, two
# SHA-256, the database reads) must stay small.  Two credentials:
#   - one of our demo certificates: proof, validity, our status list (one
#     indexed read), the certificate's row, the issuer keys;
#   - the W3C test vector (another issuer's did:key): proof and validity.
# The per-address limit is lifted (HOCVUSO_VERIFY_PER_MINUTE=0): wrk is one
# address.  Also prints the one-core cost of a verification, measured by
# hyperfine on `hocvuso cert verify FILE` (a process each: start-up
# included) when hyperfine is installed.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
command -v wrk >/dev/null || { echo "bench: wrk missing (make deps)"; exit 1; }
work=$(mktemp -d /tmp/hocvuso-bench-verify.XXXXXX)
port=$((20000 + $$ % 20000))
cleanup() { [ -n "${hv_pid:-}" ] && kill "$hv_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
db=$work/bench.db
export HOCVUSO_ISSUER_KEY="$work/issuer.key" HOCVUSO_SECRETS_KEY="$work/secrets.key"
HOCVUSO_ADMIN_PASSWORD=bench-password-123 build/hocvuso init --db "$db" >/dev/null 2>&1
build/hocvuso demo --db "$db" --learners 20 >/dev/null 2>&1
code=$(sqlite3 "$db" "SELECT code FROM certificates WHERE revoked_at IS NULL LIMIT 1")
sqlite3 "$db" "SELECT credential FROM certificates WHERE code = '$code'" >"$work/cert.json"
HOCVUSO_VERIFY_PER_MINUTE=0 HOCVUSO_CONN_PER_IP=0 build/hocvuso serve --db "$db" --listen 127.0.0.1:$port \
	--threads "${THREADS:-16}" --access-log off 2>"$work/serve.log" &
hv_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

# body FILE OUT: {"verifiableCredential": <FILE>} as a Lua string literal.
lua_for() {
	python3 - "$1" "$2" <<'PY'
import json, sys
vc = json.load(open(sys.argv[1], encoding="utf-8"))
body = json.dumps({"verifiableCredential": vc, "options": {"checks": ["proof"]}})
with open(sys.argv[2], "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' % json.dumps(body))
PY
}
lua_for "$work/cert.json" "$work/cert.lua"
lua_for tests/vc/spec-eddsa-jcs-2022.json "$work/vector.lua"
for f in cert vector; do
	status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		--data "{\"verifiableCredential\": $(cat "$( [ $f = cert ] && echo "$work/cert.json" || echo tests/vc/spec-eddsa-jcs-2022.json)")}" \
		"http://127.0.0.1:$port/api/v1/credentials/verify")
	[ "$status" = 200 ] || { echo "bench: the $f credential does not verify ($status)"; exit 1; }
done

measure() { # NAME LUA
	wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$2" "http://127.0.0.1:$port/api/v1/credentials/verify" >"$work/$1.wrk" 2>&1
	rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")
	p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' "$work/$1.wrk")
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$1.wrk")
	printf '%-44s %8.0f verifications/s  p99 %6.2f ms  ratio to goal %.2fx (goal >= 2000/s)%s\n' "$3" "$rps" "${p99:-0}" \
		"$(echo "$rps / 2000" | bc -l)" "$( [ -n "$non2xx" ] && echo "  [$non2xx non-2xx]" || true)"
}
echo "wrk -t2 -c$conns -d${secs}s against hocvuso --threads ${THREADS:-16}; $(nproc) cores, SQLite"
measure cert "$work/cert.lua" "our certificate (proof, list, record)"
measure vector "$work/vector.lua" "W3C vector (another issuer's did:key)"
if command -v hyperfine >/dev/null; then
	# exit 3 ("a valid signature, not issued here") is the expected answer: -i
	hyperfine -N -i --warmup 5 --runs 50 --export-json "$work/h.json" \
		"build/hocvuso cert verify tests/vc/spec-eddsa-jcs-2022.json --db $db" >/dev/null 2>&1 &&
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("cert verify of a file, a process each (start-up and database open included): mean %.2f ms" % (r["mean"]*1000))' "$work/h.json"
fi
