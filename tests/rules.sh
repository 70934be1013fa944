#!/bin/sh
# rules.sh: the code's own rules, checked on every `make check`
# (docs/architecture.md):
#   1. layers point down only: core < store < domain < views < http < cli
#      (a file includes nothing from a layer above its own);
#   2. http/internal.h is http's own (no other layer includes it);
#   3. SQL only in store/ and domain/ (no hv_sql or hv_exec elsewhere);
#   4. no source file over 800 lines;
#   5. every route declares an access rule (hocvuso routes exits 0).
# Prints each broken rule with the file, then "RESULT passed=N failed=M".
set -u
cd "$(dirname "$0")/.."
BIN=${HOCVUSO_BIN:-build/hocvuso}
passed=0; failed=0
rank() {
	case $1 in core) echo 1 ;; store) echo 2 ;; domain) echo 3 ;; views) echo 4 ;; http) echo 5 ;; cli) echo 6 ;; *) echo 0 ;; esac
}
check() { # NAME OUTPUT
	if [ -z "$2" ]; then
		passed=$((passed + 1)); echo "ok   $1"
	else
		failed=$((failed + 1)); echo "FAIL $1"; echo "$2" | sed 's/^/    /'
	fi
}
up=""
for f in $(find src -name '*.c' -o -name '*.h' | sort); do
	layer=$(echo "$f" | cut -d/ -f2)
	mine=$(rank "$layer")
	for inc in $(sed -n 's/^#[[:space:]]*include[[:space:]]*"\([a-z]*\)\/.*/\1/p' "$f" | sort -u); do
		theirs=$(rank "$inc")
		[ "$theirs" -gt "$mine" ] && up="$up$f includes $inc/ (above $layer/)
"
	done
done
check "layers point down only" "$(printf '%s' "$up")"
check "http/internal.h used only inside http/" "$(grep -rln '#include "http/internal.h"' src | grep -v '^src/http/' || true)"
check "SQL only in store/ and domain/" "$(grep -rn 'hv_sql(\|hv_exec(' src --include='*.c' | grep -v '^src/store/\|^src/domain/\|_test\.c:' || true)"
check "no source file over 800 lines" "$(find src -name '*.c' -o -name '*.h' | xargs wc -l | awk '$2 != "total" && $1 > 800 {print $2 ": " $1 " lines"}')"
if [ -x "$BIN" ]; then
	check "every route declares an access rule" "$("$BIN" routes 2>&1 >/dev/null)"
fi
echo "RESULT passed=$passed failed=$failed skipped=0"
[ "$failed" -eq 0 ]
