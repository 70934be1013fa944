#!/bin/sh
# tests/vc/run.sh: hocvuso's credentials checked by an independent verifier
# (Digital Bazaar's @digitalbazaar/vc with the eddsa-jcs-2022 cryptosuite
# and the Bitstring Status List library), offline: a fresh SQLite database
# with demo certificates issued under a public URL that is not this
# machine (https://chungnhan.hocvuso.test, which the test's document
# loader maps to the private server on a free loopback port).
#
# Builds nothing: tests $HOCVUSO_BIN (default build/hocvuso).  Installs the
# node modules with `npm ci` when tests/vc/node_modules is missing.  The
# last line is always "RESULT passed=N failed=M skipped=K"; without node
# 20+ the suite is skipped (with the reason), not failed.  Arguments go to
# `node --test` (e.g. --test-name-pattern=revoked).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

. "$root/tests/lib/node_suite.sh"

need_node "vc tests" 20
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "vc tests skipped: the sqlite3 command is missing (apt-get install sqlite3)"
	result 0 0 1 0
fi
need_bin "vc tests"
npm_ci "vc tests" @digitalbazaar/vc @digitalbazaar/eddsa-jcs-2022-cryptosuite @digitalbazaar/vc-bitstring-status-list

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hocvuso-vc.XXXXXX") || result 0 1 0 1
trap cleanup EXIT
trap 'result 0 1 0 130' INT TERM
unset HOCVUSO_CONFIG HOCVUSO_DB HOCVUSO_DB_READ HOCVUSO_LISTEN HOCVUSO_ACCESS_LOG HOCVUSO_ISSUER_KEY
public=https://chungnhan.hocvuso.test
export HOCVUSO_PUBLIC_URL=$public
export HOCVUSO_ISSUER_NAME="Ủy ban MTTQ Việt Nam TP. Hồ Chí Minh"
db="$tmp/test.db"
fail_setup() {
	echo "vc tests: setup failed: $1"
	tail -20 "$tmp/setup.log" 2>/dev/null | sed 's/^/    /'
	result 0 1 0 1
}
HOCVUSO_ADMIN_PASSWORD=vc-admin-password-1 "$bin" init --db "$db" >"$tmp/setup.log" 2>&1 || fail_setup "hocvuso init"
"$bin" demo --learners 6 --db "$db" >>"$tmp/setup.log" 2>&1 || fail_setup "hocvuso demo"

start_server "vc tests" "$bin" "$db"

tap="$tmp/tap.txt"
HV_BASE="http://127.0.0.1:$port" HV_PUBLIC=$public HV_BIN="$bin" HV_DB="$db" HV_KEY="$tmp/issuer.key" \
	timeout 300 node --test --test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$tap" "$@" "$here/verify.mjs"
finish "vc tests" "$tap" $?
