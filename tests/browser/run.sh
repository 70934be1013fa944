#!/bin/sh
# tests/browser/run.sh: real-browser journeys and axe-core accessibility
# checks (journeys.mjs, offline_learn.mjs) against a private hocvuso server (fresh SQLite database, free
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
# HV_PRACTICE_SHOTS (a folder for practice.mjs screenshots as well),
# HOCVUSO_BROWSER_TIMEOUT (seconds for the whole node run, default 1200).
# The tests get the binary and the database as HV_BIN and HV_DB, to check a
# certificate offline with `hocvuso cert verify` while the server runs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

. "$root/tests/lib/node_suite.sh"

chromium_bin=${HOCVUSO_CHROMIUM:-/usr/bin/chromium}
need_node "browser tests" 20
if [ ! -x "$chromium_bin" ]; then
	echo "browser tests skipped: $chromium_bin is missing (apt-get install chromium)"
	result 0 0 1 0
fi

need_bin "browser tests"

npm_ci "browser tests" playwright-core axe-core

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
export HOCVUSO_LESSON_SECONDS=$lesson_seconds
start_server "browser tests" "$bin" "$db"
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
	timeout "${HOCVUSO_BROWSER_TIMEOUT:-1200}" node --test \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$tap" \
	"$@" "$here/journeys.mjs" "$here/offline_learn.mjs" "$here/practice.mjs"
code=$?
echo "browser tests took $(( $(date +%s) - start )) s; screenshots in build/test-logs/screenshots/"
finish "browser tests" "$tap" $code
