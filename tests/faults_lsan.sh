#!/usr/bin/env bash
# faults_lsan.sh VIGIL SOURCE_DIR — LeakSanitizer sees the worker processes too: a check
# plugin (tests/plugins/leak/leaks.c) forgets 4242 bytes in its worker. In a sanitizer build
# the run's stderr must carry LeakSanitizer's report of it (the worker runs the check itself
# before its _exit); in a normal build there is nothing to see and the run passes. The same
# check in-process (--no-isolate) is caught by the leak check at exit. SQLite only: ~2 s.
set -uo pipefail

vigil=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
build=$(cd "$(dirname "$vigil")/.." && pwd)
work=$(mktemp -d /tmp/vigil-faults-lsan.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
	echo "FAIL $*"
	failed=$((failed + 1))
}
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

cp "$src/blueprints/examples/tasks_sqlite.yaml" "$work/"
sanitized=0
case $(ldd "$vigil" 2>/dev/null) in *libasan*) sanitized=1 ;; esac

for mode in isolated in-process; do
	opts=(--plugin-dir "$build/tests/plugins/leak" --plugin leaks)
	[ "$mode" = in-process ] && opts+=(--no-isolate)
	(cd "$work" && "$vigil" validate tasks_sqlite.yaml --keep-going --format json "${opts[@]}") \
		>"$work/report.json" 2>"$work/stderr"
	rc=$?
	ran=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for l in r["levels"] for c in l.get("checks", []) if c.get("name") == "leaks" and c.get("status") == "passed"))' "$work/report.json" 2>/dev/null)
	if [ "${ran:-0}" = 0 ]; then
		fail "$mode: the leaking check did not run (exit $rc)"
		sed 's/^/    /' "$work/stderr" | head
		continue
	fi
	if [ "$sanitized" = 1 ]; then
		if grep -q 'LeakSanitizer: detected memory leaks' "$work/stderr" &&
			grep -q '4242 byte' "$work/stderr" &&
			# the worker still has the plugin loaded: its frame is named
			{ [ "$mode" = in-process ] || grep -q 'leaks.c' "$work/stderr"; }; then
			ok
		else
			fail "$mode: LeakSanitizer did not report the check's 4242 bytes"
			sed 's/^/    /' "$work/stderr" | head -20
		fi
	elif grep -q Sanitizer "$work/stderr"; then
		fail "$mode: a sanitizer reported in a normal build"
	else
		ok
	fi
done
echo "faults_lsan: $passed passed, $failed failed (sanitizer build: $sanitized)"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
