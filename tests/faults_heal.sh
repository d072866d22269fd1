#!/usr/bin/env bash
# faults_heal.sh VIGIL SOURCE_DIR — healing when it cannot write down what it does, and when
# it is interrupted, on throwaway PostgreSQL 15 and MariaDB servers (tests/db/servers.sh):
#   - MariaDB, the journal on /dev/full: no statement runs (it would not be journaled), VG626,
#     exit non-zero, the tables still missing;
#   - MariaDB, the heal folder on a 16 KiB tmpfs that fills while 40 statements run: healing
#     stops before the next statement, VG626, exit non-zero, and every table on the server
#     has its "start" line in the journal (nothing ran that the journal does not show);
#   - PostgreSQL, the heal folder full before the plan is written: no statement runs, VG626,
#     exit non-zero, the database unchanged;
#   - MariaDB, SIGTERM while a slow statement runs (a CREATE INDEX over 600,000 rows): that
#     statement finishes and is recorded applied,
#     the next one is not run, the journal and resume plan say so, the report is written, VG627,
#     exit 143 (128 + SIGTERM).
# ~30 s. Needs root (tmpfs mounts).
set -uo pipefail

vigil=$1
src=$2
# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin faults_heal "$src"
mounts=()
cleanup_mounts() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done; }
trap 'cleanup_mounts; vigil_servers_stop' EXIT

# shellcheck source=db/benchmark.sh
source "$src/tests/db/benchmark.sh"
# shellcheck source=db/faults.sh
source "$src/tests/db/faults.sh"

# reset TYPE — items with its rows and no index, no t* tables.
reset() {
	local drops
	if [ "$1" = postgresql ]; then
		drops=$(db_sql postgresql <<<"SELECT string_agg(format('DROP TABLE %I;', tablename), ' ') FROM pg_tables WHERE schemaname = 'public';")
		db_sql postgresql <<<"$drops CREATE TABLE items (id integer PRIMARY KEY, name varchar(100) NOT NULL); INSERT INTO items VALUES (1, 'a');"
	else
		drops=$(db_sql mysql <<<"SELECT GROUP_CONCAT(CONCAT('DROP TABLE \`', table_name, '\`;') SEPARATOR ' ') FROM information_schema.tables WHERE table_schema = 'vigil';")
		db_sql mysql <<<"${drops/NULL/} CREATE TABLE items (id int PRIMARY KEY, name varchar(100) NOT NULL) ENGINE = InnoDB; INSERT INTO items VALUES (1, 'a');"
	fi
}
tables() {
	if [ "$1" = postgresql ]; then
		db_sql postgresql <<<"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't%';"
	else
		db_sql mysql <<<"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'vigil' AND table_name LIKE 't%';"
	fi
}

# has_code JSON CODE — the report has a finding CODE.
has_code() {
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if any(f["code"]==sys.argv[2] for f in r["findings"]) else 1)' "$1" "$2"
}
# outcomes JSON — "applied=N not_run=M ..." of the healing statements.
outcomes() {
	python3 -c '
import collections, json, sys
r = json.load(open(sys.argv[1]))
c = collections.Counter(s["outcome"] for h in r.get("healing") or [] for s in h.get("statements", []))
print(" ".join("%s=%d" % kv for kv in sorted(c.items())))' "$1"
}

# tmpfs_dir NAME SIZE — dir=a fresh folder on a tmpfs of SIZE.
tmpfs_dir() {
	dir=$work/$1
	mkdir -p "$dir"
	if ! mount -t tmpfs -o "size=$2" tmpfs "$dir"; then
		fail "cannot mount a tmpfs at $dir (the test needs root)"
		return 1
	fi
	mounts+=("$dir")
}

# ------------------------------------------------------------------ MariaDB: journal on /dev/full
bp=$work/mysql.yaml
faults_blueprint mysql "$bp" 3
reset mysql
dir=$work/full-journal
mkdir -p "$dir"
ln -s /dev/full "$dir/faults.main.heal.journal"
"$vigil" validate "$bp" --heal=apply --heal-dir "$dir" --format json >"$work/r.json" 2>"$work/r.err"
rc=$?
if [ "$rc" != 0 ] && has_code "$work/r.json" VG626 && [ "$(tables mysql)" = 0 ] &&
	[ "$(outcomes "$work/r.json")" = "not run=5" ]; then
	ok "mysql: a journal on /dev/full stops healing before its first statement (exit $rc)"
else
	fail "mysql: journal on /dev/full: exit $rc, tables $(tables mysql), outcomes $(outcomes "$work/r.json")"
	sed 's/^/    /' "$work/r.err" | head
fi

# ------------------------------------------------------------------ MariaDB: the disk fills mid-run
faults_blueprint mysql "$bp" 40
reset mysql
if tmpfs_dir fill-mysql 16k; then
	"$vigil" validate "$bp" --heal=apply --heal-dir "$dir" --format json >"$work/r.json" 2>"$work/r.err"
	rc=$?
	journal=$dir/faults.main.heal.journal
	n=$(tables mysql)
	started=$(grep -c ' start ' "$journal")
	o=$(outcomes "$work/r.json")
	applied=$(sed -n 's/.*applied=\([0-9]*\).*/\1/p' <<<"$o")
	if [ "$rc" != 0 ] && has_code "$work/r.json" VG626 && [ "$n" -lt 40 ] &&
		[ "$n" -le "$started" ] && [ "${applied:-0}" = "$n" ]; then
		ok "mysql: a full heal folder stops healing mid-run ($n of 40 tables, $started start lines, exit $rc)"
	else
		fail "mysql: full heal folder: exit $rc, $n tables, $started start lines, outcomes $o"
		tail -3 "$journal" | sed 's/^/    /'
	fi
fi

# ------------------------------------------------------------------ PostgreSQL: no room for the plan
bp=$work/pg.yaml
faults_blueprint postgresql "$bp" 3
reset postgresql
if tmpfs_dir fill-pg 16k; then
	dd if=/dev/zero of="$dir/filler" bs=4k count=8 2>/dev/null
	"$vigil" validate "$bp" --heal=apply --heal-dir "$dir" --format json >"$work/r.json" 2>"$work/r.err"
	rc=$?
	if [ "$rc" != 0 ] && has_code "$work/r.json" VG626 && [ "$(tables postgresql)" = 0 ] &&
		[ "$(outcomes "$work/r.json")" = "not run=5" ] && ! ls "$dir"/*.heal.sql >/dev/null 2>&1; then
		ok "postgresql: a plan that cannot be written stops healing before it starts (exit $rc)"
	else
		fail "postgresql: plan on a full disk: exit $rc, tables $(tables postgresql), outcomes $(outcomes "$work/r.json")"
		sed 's/^/    /' "$work/r.err" | head
	fi
fi

# ------------------------------------------------------------------ MariaDB: SIGTERM mid-statement
bp=$work/mysql.yaml
faults_blueprint mysql "$bp" 0
reset mysql
dir=$work/signal
mkdir -p "$dir"
# a slow first statement: an index over 600,000 rows
db_sql mysql <<<"INSERT INTO items SELECT seq, CONCAT('item ', seq * 7919 % 600011) FROM seq_2_to_600000;"
"$vigil" validate "$bp" --heal=apply --heal-dir "$dir" --check-timeout 20000 --format json \
	>"$work/r.json" 2>"$work/r.err" &
pid=$!
journal=$dir/faults.main.heal.journal
for _ in $(seq 1 100); do
	grep -q ' start ' "$journal" 2>/dev/null && break
	sleep 0.05
done
kill -TERM "$pid"
wait "$pid"
rc=$?
o=$(outcomes "$work/r.json" 2>/dev/null)
indexes=$(db_sql mysql <<<"SELECT count(DISTINCT index_name) FROM information_schema.statistics WHERE table_schema = 'vigil' AND table_name = 'items' AND index_name <> 'PRIMARY';")
if [ "$rc" = 143 ] && [ "$o" = "applied=1 not run=1" ] && [ "$indexes" = 1 ] &&
	has_code "$work/r.json" VG627; then
	ok "mysql: SIGTERM lets the running statement finish, runs no other, exits 143"
else
	fail "mysql: SIGTERM during healing: exit $rc, outcomes '$o', $indexes indexes"
	sed 's/^/    /' "$work/r.err" | head
fi
if grep -q 'statement 1/2 applied' "$journal" && ! grep -q 'statement 2/2 start' "$journal" &&
	grep -q 'interrupted by SIGTERM' "$dir"/faults.main.heal.resume.sql 2>/dev/null &&
	grep -q 'statement 2/2 not run' "$journal" &&
	grep -q 'CREATE INDEX `items_name_idx`' "$dir"/faults.main.heal.resume.sql; then
	ok "mysql: the journal and the resume plan say where SIGTERM stopped healing"
else
	fail "mysql: journal/resume plan after SIGTERM"
	sed 's/^/    /' "$journal" 2>/dev/null | tail -5
fi

echo
if grep -l Sanitizer "$work"/*.err 2>/dev/null; then fail "a sanitizer reported (files above)"; fi
[ -n "${FAULTS_DEBUG:-}" ] && cp -r "$work" /tmp/faults-debug
vigil_harness_end
