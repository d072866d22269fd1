#!/usr/bin/env bash
# drivers.sh — the driver conformance suite (tests/drivers/conformance.c) on all three
# databases: SQLite (a temp file), and throwaway PostgreSQL 15 and MariaDB servers started
# here (tests/db/servers.sh; PostgreSQL runs as the postgres user, which needs root when run
# as root). A server that does not start FAILS the test: it never skips.
# Usage: bash tests/drivers.sh <vigil-binary> <source-dir>
set -uo pipefail

vigil=$1
src=$2

# The conformance program lives in the same build tree as the vigil binary.
build=$(cd "$(dirname "$vigil")" && pwd)
while [ "$build" != / ] && [ ! -f "$build/CMakeCache.txt" ]; do
	build=$(dirname "$build")
done
conformance=$build/tests/drivers/conformance
if [ ! -x "$conformance" ]; then
	echo "FAIL drivers: no conformance program at $conformance"
	exit 1
fi

# LeakSanitizer (ASan builds): the client libraries' one-time allocations, see the file.
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# shellcheck source=db/servers.sh
source "$src/tests/db/servers.sh"
if ! vigil_servers_start; then
	echo "FAIL drivers: the test servers did not start (see above)"
	exit 1
fi

passed=0
failed=0
summaries=()

# run_one DB URL [RO_URL]
run_one() {
	local db=$1 out rc line p f
	out=$("$conformance" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
	if [ -z "$line" ]; then
		echo "FAIL conformance $db: the program ended without a summary (exit $rc)"
		failed=$((failed + 1))
		summaries+=("$db: CRASHED (exit $rc)")
		return
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL conformance $db: exit $rc with no failed case (sanitizer report?)"
		failed=$((failed + 1))
	fi
	summaries+=("$db: $line")
}

sqlite_dir=$(mktemp -d /tmp/vigil-drivers.XXXXXX)
run_one sqlite "sqlite:///$sqlite_dir/conformance.db"
rm -rf "$sqlite_dir"
run_one postgresql "$VIGIL_PG_URL" "$VIGIL_PG_RO_URL"
run_one mysql "$VIGIL_MYSQL_URL" "$VIGIL_MYSQL_RO_URL"

echo
for s in "${summaries[@]}"; do
	echo "  $s"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
