#!/bin/sh
# bench/practice_weight.sh: page weight of a practice simulation step, for
# every simulation of the pack: its first step's HTML, the simulation's
# stylesheet, its heaviest screen SVG, style.css and practice.js
# (uncompressed bytes, as a first visit loads them), against the goal of
# < 60 KB a step.  Needs a running server with the pack imported:
#   bench/practice_weight.sh http://127.0.0.1:8080
# Prints one line per simulation; exits 1 if one is over.
set -eu
base=${1:?usage: bench/practice_weight.sh BASE_URL}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
size() { curl -sf -b "$jar" -c "$jar" "$base$1" | wc -c; }
common=$(( $(size /static/style.css) + $(size /static/practice.js) ))
worst=0
for f in "$root"/content/*/thuc-hanh/*.md; do
	course=$(basename "$(dirname "$(dirname "$f")")")
	sim=$(basename "$f" .md | cut -c4-)
	page=$(curl -sf -b "$jar" -c "$jar" "$base/thuc-hanh/$course/$sim/1")
	css=$(printf '%s' "$page" | grep -o '/thuc-hanh/[^"]*\.css' | head -1)
	svg=0
	for screen in $(sed -n 's/^ *screen: *//p' "$f"); do
		s=$(size "/hoc/$course/$screen")
		[ "$s" -gt "$svg" ] && svg=$s
	done
	total=$(( $(printf '%s' "$page" | wc -c) + $(size "$css") + svg + common ))
	echo "$course/$sim: a step weighs at most $total bytes (heaviest screen $svg)"
	[ "$total" -gt "$worst" ] && worst=$total
done
echo "heaviest step: $worst bytes (goal < 61440)"
[ "$worst" -lt 61440 ]
