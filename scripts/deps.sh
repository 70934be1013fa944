#!/bin/sh
# deps.sh: installs whichever Debian packages of deps/debian.txt are missing.
# Uses sudo when not root. Exits non-zero with a message if apt fails.
set -eu
cd "$(dirname "$0")/.."
missing=""
for p in $(grep -v '^[[:space:]]*#' deps/debian.txt | grep -v '^[[:space:]]*$'); do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		# A tool installed another way (nodejs with npm from NodeSource, say) counts.
		command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "deps: apt-get update failed; check the network or your apt sources" >&2; exit 1; }
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
	echo "deps: could not install:$missing (run: sudo apt-get install$missing)" >&2; exit 1; }
