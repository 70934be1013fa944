# tests/lib/node_suite.sh: what the node-driven suites (tests/browser,
# tests/vc) share, sourced by their run.sh after setting `here` (the
# suite's folder) and `root`: stopping the private server, the last line
# "RESULT passed=N failed=M skipped=K", the node and binary checks, `npm ci` when a
# module is missing, starting `hocvuso serve` on a free loopback port, and
# reading the counts from node's TAP report.

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

# need_node WHAT MAJOR: skips the suite (not a failure) without node MAJOR+.
need_node() {
	if ! command -v node >/dev/null 2>&1; then
		echo "$1 skipped: node is not installed (apt-get install nodejs npm)"
		result 0 0 1 0
	fi
	node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	if [ "${node_major:-0}" -lt "$2" ]; then
		echo "$1 skipped: node $(node --version 2>/dev/null) is too old ($2 or later)"
		result 0 0 1 0
	fi
}

# need_bin WHAT: sets bin to $HOCVUSO_BIN (default build/hocvuso, from the
# repository root) and fails the suite when it is missing.
need_bin() {
	bin=${HOCVUSO_BIN:-build/hocvuso}
	case $bin in /*) ;; *) bin="$root/$bin" ;; esac
	if [ ! -x "$bin" ]; then
		echo "$1: $bin is missing; build it first (make)"
		result 0 1 0 1
	fi
}

# npm_ci WHAT MODULE...: `npm ci` in $here when a module is missing.
npm_ci() {
	what=$1
	shift
	for m in "$@"; do
		if [ ! -d "$here/node_modules/$m" ]; then
			echo "installing node modules (npm ci) ..."
			if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error); then
				echo "$what: npm ci failed in $here"
				result 0 1 0 1
			fi
			return
		fi
	done
}

# start_server WHAT BIN DB: `hocvuso serve` on a free loopback port; sets
# server_pid and port (logs in $tmp/server.out and server.err).
start_server() {
	: >"$tmp/server.err"
	"$2" serve --db "$3" --listen 127.0.0.1:0 --threads 2 --access-log off >"$tmp/server.out" 2>"$tmp/server.err" &
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
		echo "$1: the server did not start"
		sed 's/^/    /' "$tmp/server.err" | tail -20
		result 0 1 0 1
	fi
}

# finish WHAT TAP CODE: reads node's TAP summary, prints the server's last
# log lines on failure, and ends with result.
finish() {
	count() { sed -n "s/^# $1 \([0-9][0-9]*\)\$/\1/p" "$2" | tail -1; }
	passed=$(count pass "$2"); failed=$(count fail "$2"); cancelled=$(count cancelled "$2")
	skipped=$(count skipped "$2"); todo=$(count todo "$2")
	if [ -z "$passed" ] || [ -z "$failed" ]; then
		echo "$1: node did not print a summary (exit $3)"
		result "${passed:-0}" "$(( ${failed:-0} + 1 ))" "${skipped:-0}" 1
	fi
	failed=$((failed + ${cancelled:-0}))
	[ "$3" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
	skipped=$((${skipped:-0} + ${todo:-0}))
	if [ "$failed" -ne 0 ] && [ -s "$tmp/server.err" ]; then
		echo "server log (last lines):"
		tail -20 "$tmp/server.err" | sed 's/^/    /'
	fi
	if [ "$failed" -eq 0 ]; then result "$passed" 0 "$skipped" 0; fi
	result "$passed" "$failed" "$skipped" 1
}
