#!/bin/sh
# tests/conformance/run.sh: the W3C Verifiable Credentials Working Group's
# EdDSA test suite (w3c/vc-di-eddsa-test-suite, BSD-3-Clause) run against
# hocvuso's VC API (POST /api/v1/credentials/issue and /verify): the
# eddsa-jcs-2022 interop, data-model and algorithm suites.  `make
# conformance` calls it; it is not part of `make check` because the suite
# and two of its dependencies are published on GitHub only, not on npm.
#
# Nothing of the suite is copied into this repository: it is unpacked into
# a scratch folder outside it, its two GitHub dependencies are pointed at
# local copies, the rest comes from the npm registry.  Where the sources
# come from (each a git repository, bare or not, or a plain folder):
#   W3C_EDDSA_SUITE     w3c/vc-di-eddsa-test-suite
#   W3C_IMPLEMENTATIONS w3c/vc-test-suite-implementations
#   W3C_DI_ASSERTION    w3c-ccg/data-integrity-test-suite-assertion
# Unset, each is cloned from GitHub (needs the network); if that fails the
# suite is skipped, with the reason.
#
# A private server on a free loopback port with a fresh SQLite database and
# a token made with `--scope issue`; a localConfig.cjs names it as the one
# implementation (tags eddsa-jcs-2022).  Prints each test with its outcome,
# then "RESULT passed=N failed=M skipped=K".  Tests $HOCVUSO_BIN (default
# build/hocvuso); builds nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
. "$root/tests/lib/node_suite.sh"

need_node "conformance" 20
need_bin "conformance"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hocvuso-conformance.XXXXXX") || result 0 1 0 1
trap cleanup EXIT
trap 'result 0 1 0 130' INT TERM

# unpack NAME SOURCE URL: the sources into $tmp/NAME.
unpack() {
	dest="$tmp/$1"
	mkdir -p "$dest"
	if [ -z "$2" ]; then
		if ! git clone -q --depth 1 "$3" "$dest" 2>"$tmp/clone.err"; then
			echo "conformance skipped: $1 is not at hand (set $4 to a copy of $3): $(head -1 "$tmp/clone.err")"
			result 0 0 1 0
		fi
	elif git --git-dir="$2" rev-parse HEAD >/dev/null 2>&1; then
		git --git-dir="$2" archive HEAD | tar -x -C "$dest"
	elif git -C "$2" rev-parse HEAD >/dev/null 2>&1; then
		git -C "$2" archive HEAD | tar -x -C "$dest"
	elif [ -f "$2/package.json" ]; then
		cp -R "$2/." "$dest/"
	else
		echo "conformance: $4=$2 is neither a git repository nor a package folder"
		result 0 1 0 1
	fi
}
unpack suite "${W3C_EDDSA_SUITE:-}" https://github.com/w3c/vc-di-eddsa-test-suite W3C_EDDSA_SUITE
unpack implementations "${W3C_IMPLEMENTATIONS:-}" https://github.com/w3c/vc-test-suite-implementations W3C_IMPLEMENTATIONS
unpack assertion "${W3C_DI_ASSERTION:-}" https://github.com/w3c-ccg/data-integrity-test-suite-assertion W3C_DI_ASSERTION

# The GitHub dependencies → the local copies; the rest from npm.
node -e '
const fs = require("fs"), p = process.argv[1] + "/suite/package.json";
const pkg = JSON.parse(fs.readFileSync(p));
pkg.dependencies["vc-test-suite-implementations"] = "file:../implementations";
pkg.dependencies["data-integrity-test-suite-assertion"] = "file:../assertion";
delete pkg.devDependencies;
fs.writeFileSync(p, JSON.stringify(pkg, null, 2));
' "$tmp" || result 0 1 0 1
echo "installing the suite's node modules (npm install) ..."
if ! (cd "$tmp/suite" && npm install --install-links --no-audit --no-fund --loglevel=error >"$tmp/npm.log" 2>&1); then
	echo "conformance: npm install failed"
	tail -20 "$tmp/npm.log" | sed 's/^/    /'
	result 0 1 0 1
fi

unset HOCVUSO_CONFIG HOCVUSO_DB HOCVUSO_DB_READ HOCVUSO_LISTEN HOCVUSO_ACCESS_LOG HOCVUSO_ISSUER_KEY
export HOCVUSO_VERIFY_PER_MINUTE=0 # the suite is one client asking many times
db="$tmp/conformance.db"
"$bin" init --db "$db" >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; result 0 1 0 1; }
token=$("$bin" token create --user admin --scope issue --label "W3C conformance" --days 1 --db "$db" 2>>"$tmp/setup.log" | tail -1)
[ -n "$token" ] || { cat "$tmp/setup.log"; result 0 1 0 1; }
start_server "conformance" "$bin" "$db"
base="http://127.0.0.1:$port"
did=$(node -e '
fetch(process.argv[1] + "/api/v1/issuer").then(r => r.json())
  .then(d => console.log(d.alsoKnownAs.find(a => a.startsWith("did:key:"))))
  .catch(e => { console.error(e.message); process.exit(1); });
' "$base") || result 0 1 0 1

cat >"$tmp/suite/localConfig.cjs" <<EOF
// Written by hocvuso's tests/conformance/run.sh: the one implementation.
module.exports = {
  settings: {enableInteropTests: false, testAllImplementations: false},
  implementations: [{
    name: 'hocvuso',
    implementation: 'hocvuso',
    issuers: [{
      id: '$did',
      endpoint: '$base/api/v1/credentials/issue',
      headers: {Authorization: 'Bearer $token'},
      supports: {vc: ['2.0']},
      tags: ['eddsa-jcs-2022']
    }],
    verifiers: [{
      id: '$did',
      endpoint: '$base/api/v1/credentials/verify',
      supports: {vc: ['2.0']},
      tags: ['eddsa-jcs-2022']
    }]
  }]
};
EOF

# The verifier suite for eddsa-jcs-2022 sits in tests/deprecated/, skipped
# upstream (describe.skip) since the interop suite replaced it; it is the
# one that sends bad proofs to a verifier, so it runs here too, unskipped,
# from the scratch copy.
verify_suite=""
if [ -f "$tmp/suite/tests/deprecated/50-jcs-verify.js" ]; then
	sed 's/^describe\.skip(/describe(/' "$tmp/suite/tests/deprecated/50-jcs-verify.js" >"$tmp/suite/tests/50-jcs-verify.js"
	verify_suite=tests/50-jcs-verify.js
fi
echo "running the eddsa-jcs-2022 suites against $base ..."
(cd "$tmp/suite" && ISSUER_NAME_JCS=hocvuso npx mocha tests/60-jcs-interop.js tests/70-data-model.js tests/80-algorithms.js $verify_suite \
	--reporter json --reporter-option output="$tmp/report.json" --timeout 15000 --preserve-symlinks >"$tmp/mocha.log" 2>&1)
code=$?
if [ ! -s "$tmp/report.json" ]; then
	echo "conformance: mocha wrote no report (exit $code)"
	tail -30 "$tmp/mocha.log" | sed 's/^/    /'
	result 0 1 0 1
fi
counts=$(node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
const name = t => t.fullTitle.replace(/\s+/g, " ");
for (const t of r.passes) console.log("  pass  " + name(t));
for (const t of r.pending) console.log("  skip  " + name(t));
for (const t of r.failures) console.log("  FAIL  " + name(t) + "\n        " + (t.err.message || "").split("\n")[0]);
console.error([r.passes.length, r.failures.length, r.pending.length].join(" "));
' "$tmp/report.json" 2>&1 >"$tmp/lines.txt")
cat "$tmp/lines.txt"
set -- $counts
if [ "${2:-1}" -ne 0 ]; then
	echo "server log (last lines):"
	tail -20 "$tmp/server.err" | sed 's/^/    /'
	result "${1:-0}" "${2:-1}" "${3:-0}" 1
fi
result "${1:-0}" 0 "${3:-0}" 0
