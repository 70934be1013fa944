#!/bin/sh
# first-run.sh: the README's first command on a machine that lacks a -dev
# package, the way a newcomer meets it.  Removes libcairo2-dev (and what
# depends on it), clones this checkout into a scratch folder and runs
# `make run` there: it must install what is missing, build, add the demo
# data and answer /healthz the first time.  Called by .ci/run before the
# tests; leaves the packages installed again.
set -eu
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
scratch=$(mktemp -d /tmp/hocvuso-first-run.XXXXXX)
server=""
cleanup() {
	[ -n "$server" ] && kill -- "-$server" 2>/dev/null || true
	rm -rf "$scratch"
}
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq libcairo2-dev >/dev/null
if pkg-config --exists cairo 2>/dev/null; then
	echo "first-run: cairo's -dev package is still installed" >&2
	exit 1
fi
if git rev-parse --git-dir >/dev/null 2>&1; then
	git clone -q . "$scratch/hocvuso"
else
	mkdir "$scratch/hocvuso" && tar --exclude=./build --exclude=./data/hocvuso.db -cf - . | tar -xf - -C "$scratch/hocvuso"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "first-run: make run in a fresh clone without libcairo2-dev (port $port)"
(
	cd "$scratch/hocvuso"
	HOCVUSO_LISTEN="127.0.0.1:$port" HOCVUSO_ADMIN_PASSWORD=mat-khau-lan-dau-123 exec setsid make run >"$scratch/run.log" 2>&1
) &
server=$!
deadline=$(($(date +%s) + 900))
until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	if ! kill -0 "$server" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
		echo "first-run: make run did not start the server; its output:" >&2
		tail -40 "$scratch/run.log" >&2
		exit 1
	fi
	sleep 2
done
# The demo data and the shipped courses are there.
curl -fsS "http://127.0.0.1:$port/hoc" | grep -q "VNeID" || { echo "first-run: no courses on /hoc" >&2; exit 1; }
grep -q "deps: installing:.*libcairo2-dev" "$scratch/run.log" || { echo "first-run: make run did not install libcairo2-dev" >&2; exit 1; }
echo "first-run: ok (installed the package, built, served the demo the first time)"
