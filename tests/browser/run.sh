#!/bin/sh
# tests/browser/run.sh: real-browser journeys and axe-core accessibility
# checks against a private hocvuso server (fresh SQLite database, free
# loopback port), in headless Debian Chromium driven by playwright-core.
#
# Builds nothing: tests $HOCVUSO_BIN (default build/hocvuso, from the repo
# root).  Installs node modules with `npm ci` when tests/browser/node_modules
# is missing.  Screenshots (360×740) go to build/test-logs/screenshots/.
# The last line is always "RESULT passed=N failed=M skipped=K"; without
# node 20+ or Chromium the suite is skipped (with the reason), not failed.
#
# Arguments are passed to `node --test`, e.g. to run some tests only:
#   tests/browser/run.sh --test-name-pattern='assist'
# Environment: HOCVUSO_BIN, HOCVUSO_CHROMIUM (default /usr/bin/chromium),
# HOCVUSO_BROWSER_TIMEOUT (seconds for the whole node run, default 600).
# The tests get the binary and the database as HV_BIN and HV_DB, to check a
# certificate offline with `hocvuso cert verify` while the server runs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

tmp=""
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
		server_pid=""
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
	tmp=""
}
# result PASSED FAILED SKIPPED EXIT: stops the server, prints the last line.
result() {
	cleanup
	trap - EXIT INT TERM
	echo "RESULT passed=$1 failed=$2 skipped=$3"
	exit "$4"
}

chromium_bin=${HOCVUSO_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then
	echo "browser tests skipped: node is not installed (apt-get install nodejs npm)"
	result 0 0 1 0
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "${node_major:-0}" -lt 20 ]; then
	echo "browser tests skipped: node $(node --version 2>/dev/null) is too old (playwright-core needs 20 or later)"
	result 0 0 1 0
fi
if [ ! -x "$chromium_bin" ]; then
	echo "browser tests skipped: $chromium_bin is missing (apt-get install chromium)"
	result 0 0 1 0
fi

bin=${HOCVUSO_BIN:-build/hocvuso}
case $bin in /*) ;; *) bin="$root/$bin" ;; esac
if [ ! -x "$bin" ]; then
	echo "browser tests: $bin is missing; build it first (make)"
	result 0 1 0 1
fi

if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
	echo "installing node modules (npm ci) ..."
	if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error); then
		echo "browser tests: npm ci failed in tests/browser"
		result 0 1 0 1
	fi
fi

shots="$root/build/test-logs/screenshots"
mkdir -p "$shots"
rm -f "$shots"/*.png

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hocvuso-browser.XXXXXX") || result 0 1 0 1
trap cleanup EXIT
trap 'result 0 1 0 130' INT TERM

# Fresh database and the accounts the journeys need (passwords on stdin).
db="$tmp/test.db"
unset HOCVUSO_CONFIG HOCVUSO_DB HOCVUSO_DB_READ HOCVUSO_LISTEN HOCVUSO_ACCESS_LOG
admin_pw="admin-browser-password-1"
manager_pw="quan-ly-phuong-2025"
viewer_pw="theo-doi-phuong-2025"
other_pw="tan-dinh-volunteer-9"
volunteer_pw="tinh-nguyen-sai-gon-7"
editor_pw="bien-tap-noi-dung-3"
fail_setup() {
	echo "browser tests: setup failed: $1"
	sed 's/^/    /' "$tmp/setup.log" 2>/dev/null | tail -20
	result 0 1 0 1
}
HOCVUSO_ADMIN_PASSWORD=$admin_pw "$bin" init --db "$db" >"$tmp/setup.log" 2>&1 || fail_setup "hocvuso init"
printf '%s\n' "$manager_pw" | "$bin" user add quanly-saigon --name "Võ Thị Quản Lý" --unit 26740 --role manager \
	--password-stdin --db "$db" >>"$tmp/setup.log" 2>&1 || fail_setup "user add quanly-saigon"
printf '%s\n' "$viewer_pw" | "$bin" user add theodoi-saigon --name "Đỗ Văn Theo Dõi" --unit 26740 --role viewer \
	--password-stdin --db "$db" >>"$tmp/setup.log" 2>&1 || fail_setup "user add theodoi-saigon"
other=$(printf '%s\n' "$other_pw" | "$bin" user add tnv-tandinh --name "Trần Thị Bình" --unit 26737 --role volunteer \
	--password-stdin --db "$db" 2>>"$tmp/setup.log") || fail_setup "user add tnv-tandinh"
other_id=$(echo "$other" | sed -n 's/.*(id \([0-9][0-9]*\)).*/\1/p')
[ -n "$other_id" ] || fail_setup "no account id in: $other"
# The volunteer of the offline assist journey (no TOTP for volunteers).
printf '%s\n' "$volunteer_pw" | "$bin" user add tnv-phuong --name "Nguyễn Văn Tâm" --unit 26740 --role volunteer \
	--password-stdin --db "$db" >>"$tmp/setup.log" 2>&1 || fail_setup "user add tnv-phuong"
# The content editor (national scope, no TOTP).
printf '%s\n' "$editor_pw" | "$bin" user add bientap --name "Phạm Thu Biên" --unit VN --role editor \
	--password-stdin --db "$db" >>"$tmp/setup.log" 2>&1 || fail_setup "user add bientap"

# A lesson counts as read 2 s after its page was served (the journeys wait
# that long, and check that pressing at once is refused gently).
lesson_seconds=2
: >"$tmp/server.err"
HOCVUSO_LESSON_SECONDS=$lesson_seconds "$bin" serve --db "$db" --listen 127.0.0.1:0 --threads 2 --access-log off >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
port=""
i=0
while [ $i -lt 300 ]; do
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$tmp/server.err" | head -1)
	[ -n "$port" ] && break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$port" ]; then
	echo "browser tests: the server did not start"
	sed 's/^/    /' "$tmp/server.err" | tail -20
	result 0 1 0 1
fi
echo "server: http://127.0.0.1:$port (pid $server_pid, database $db)"

start=$(date +%s)
tap="$tmp/tap.txt"
HV_BASE_URL="http://127.0.0.1:$port" \
HV_ADMIN_PASSWORD=$admin_pw \
HV_MANAGER_LOGIN=quanly-saigon HV_MANAGER_PASSWORD=$manager_pw \
HV_VIEWER_LOGIN=theodoi-saigon HV_VIEWER_PASSWORD=$viewer_pw \
HV_OTHER_ACCOUNT_ID=$other_id \
HV_VOLUNTEER_LOGIN=tnv-phuong HV_VOLUNTEER_PASSWORD=$volunteer_pw \
HV_EDITOR_LOGIN=bientap HV_EDITOR_PASSWORD=$editor_pw \
HV_SCREENSHOTS="$shots" \
HV_CHROMIUM="$chromium_bin" \
HV_BIN="$bin" HV_DB="$db" HV_LESSON_SECONDS=$lesson_seconds \
	timeout "${HOCVUSO_BROWSER_TIMEOUT:-600}" node --test \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$tap" \
	"$@" "$here/journeys.mjs"
code=$?
echo "browser tests took $(( $(date +%s) - start )) s; screenshots in build/test-logs/screenshots/"

count() { sed -n "s/^# $1 \([0-9][0-9]*\)\$/\1/p" "$tap" | tail -1; }
passed=$(count pass); failed=$(count fail); cancelled=$(count cancelled); skipped=$(count skipped); todo=$(count todo)
if [ -z "$passed" ] || [ -z "$failed" ]; then
	echo "browser tests: node did not print a summary (exit $code)"
	result "${passed:-0}" "$(( ${failed:-0} + 1 ))" "${skipped:-0}" 1
fi
failed=$((failed + ${cancelled:-0}))
[ "$code" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
skipped=$((${skipped:-0} + ${todo:-0}))
if [ "$failed" -ne 0 ] && [ -s "$tmp/server.err" ]; then
	echo "server log (last lines):"
	tail -20 "$tmp/server.err" | sed 's/^/    /'
fi
if [ "$failed" -eq 0 ]; then result "$passed" 0 "$skipped" 0; fi
result "$passed" "$failed" "$skipped" 1
