#!/usr/bin/env bash
# faults_locks.sh VIGIL SOURCE_DIR — everything that waits has a deadline, on throwaway
# PostgreSQL 15 and MariaDB servers (tests/db/servers.sh). Another session holds a lock on
# the table `items` (PostgreSQL: LOCK TABLE … IN ACCESS EXCLUSIVE MODE; MariaDB: LOCK TABLES
# … WRITE) while
#   - vigil checks the database (--check-timeout 4000): the run ends well within the checks'
#     deadlines, a VG625 finding names the table (and on PostgreSQL the blocking session's
#     pid), the exit code is non-zero;
#   - vigil validate --heal=apply creates a missing index on it: the statement fails at its
#     lock timeout instead of waiting forever; MariaDB's journal says "failed" and a resume
#     plan is written; exit non-zero;
# and after each run no session of vigil's user is left on the server (pg_stat_activity,
# the processlist). ~40 s.
set -uo pipefail

vigil=$1
src=$2
# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin faults_locks "$src"

# shellcheck source=db/benchmark.sh
source "$src/tests/db/benchmark.sh"
# shellcheck source=db/faults.sh
source "$src/tests/db/faults.sh"

# none_left NAME TYPE — no session of vigil's outlives the run (1 s for the server to see the
# closed sockets).
none_left() {
	local n
	for _ in $(seq 1 10); do
		n=$(vigil_sessions "$2")
		[ "$n" = 0 ] && break
		sleep 0.1
	done
	if [ "$n" = 0 ]; then ok "$1: no session of vigil's left"; else fail "$1: $n sessions of vigil's left after the run"; fi
}

# lock TYPE — another session holds a lock on items until unlock; $locker is its pid.
lock() {
	if [ "$1" = postgresql ]; then
		pg_admin -d vigil -c "BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);" >/dev/null 2>&1 &
	else
		my_admin vigil -e "LOCK TABLES items WRITE; SELECT SLEEP(60);" >/dev/null 2>&1 &
	fi
	locker=$!
	sleep 0.5
}
unlock() {
	kill "$locker" 2>/dev/null
	wait "$locker" 2>/dev/null
	if [ "$1" = postgresql ]; then
		pg_admin -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()" >/dev/null
	else
		for id in $(my_admin -N -e "SELECT id FROM information_schema.processlist WHERE info LIKE '%SLEEP(60)%' AND id <> CONNECTION_ID()"); do
			my_admin -e "KILL $id" 2>/dev/null
		done
	fi
}

cat >"$work/assert.py" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
want = sys.argv[2:]
text = json.dumps(r)
found = [f for f in r.get("findings", []) if f.get("code") == "VG625"]
problems = []
if not found:
    problems.append("no VG625 finding; findings: %s" % [(f["code"], f.get("message")) for f in r.get("findings", [])])
for w in want:
    if not any(w in (f.get("message") or "") for f in found):
        problems.append("no VG625 message contains %r: %s" % (w, [f.get("message") for f in found]))
for p in problems:
    print("    " + p)
sys.exit(1 if problems else 0)
PY

for type in postgresql mysql; do
	bp=$work/$type.yaml
	faults_blueprint "$type" "$bp" 0 1
	if [ "$type" = postgresql ]; then
		db_sql "$type" <<<"CREATE TABLE items (id integer PRIMARY KEY, name varchar(100) NOT NULL); CREATE INDEX items_name_idx ON items (name);"
	else
		db_sql "$type" <<<"CREATE TABLE items (id int PRIMARY KEY, name varchar(100) NOT NULL) ENGINE = InnoDB; CREATE INDEX items_name_idx ON items (name);"
	fi

	# --- checks while the table is locked
	lock "$type"
	t0=$(date +%s%N)
	"$vigil" validate "$bp" --check-timeout 4000 --format json >"$work/report.json" 2>"$work/stderr"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$rc" = 0 ]; then
		fail "$type: checks on a locked table exited 0"
	elif [ "$ms" -gt 12000 ]; then
		fail "$type: checks on a locked table took $ms ms (the deadline per check is 4000)"
	else
		ok "$type: checks on a locked table end in $ms ms, exit $rc"
	fi
	if [ "$type" = postgresql ]; then
		want=("table items" "by session $(pg_admin -d postgres -At -c "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")")
	else
		want=("table items")
	fi
	if python3 "$work/assert.py" "$work/report.json" "${want[@]}"; then
		ok "$type: the lock wait is VG625 naming ${want[*]}"
	else
		fail "$type: the lock wait's finding"
	fi
	none_left "$type: checks" "$type"
	unlock "$type"
	if [ "$type" = mysql ]; then
		# with MariaDB's metadata_lock_info plugin the catalog names the session too
		my_admin -e "INSTALL SONAME 'metadata_lock_info'"
		lock mysql
		id=$(my_admin -N -e "SELECT id FROM information_schema.processlist WHERE info LIKE '%SLEEP(60)%' AND id <> CONNECTION_ID()")
		"$vigil" validate "$bp" --check-timeout 4000 --format json >"$work/report.json" 2>"$work/stderr"
		if python3 "$work/assert.py" "$work/report.json" "table items is locked" "by session $id"; then
			ok "mysql: with metadata_lock_info, VG625 names the blocking session $id"
		else
			fail "mysql: VG625 with metadata_lock_info"
		fi
		unlock mysql
	fi

	# --- healing while the table is locked: a missing index to create on it
	db_sql "$type" <<<"DROP INDEX items_name_idx$([ "$type" = mysql ] && echo " ON items");"
	lock "$type"
	heal=$work/heal-$type
	mkdir -p "$heal"
	t0=$(date +%s%N)
	timeout 60 "$vigil" validate "$bp" --check-timeout 4000 --heal=apply --heal-dir "$heal" \
		--format json >"$work/heal.json" 2>"$work/heal.stderr"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	unlock "$type"
	if [ "$rc" = 124 ]; then
		fail "$type: --heal=apply on a locked table still waits after 60 s"
	elif [ "$rc" = 0 ]; then
		fail "$type: --heal=apply on a locked table exited 0"
	else
		ok "$type: --heal=apply on a locked table ends in $ms ms, exit $rc"
	fi
	if python3 - "$work/heal.json" <<-'PY'; then
		import json, sys
		r = json.load(open(sys.argv[1]))
		heals = r.get("healing") or []
		stmts = [s for h in heals for s in h.get("statements", [])]
		failed = [s for s in stmts if s.get("outcome") == "failed" and "items_name_idx" in s.get("sql", "")]
		if not failed:
		    print("    no failed CREATE INDEX statement: %s" % json.dumps(heals)[:2000])
		    sys.exit(1)
		msg = failed[0].get("message") or ""
		if "items" not in msg or not any(w in msg.lower() for w in ("lock", "timeout")):
		    print("    the failed statement's message names no lock: %r" % msg)
		    sys.exit(1)
	PY
		ok "$type: the CREATE INDEX is a failed statement naming the lock"
	else
		fail "$type: the healing record"
	fi
	if [ "$type" = mysql ]; then
		journal=$(ls "$heal"/*.heal.journal 2>/dev/null | head -1)
		if [ -n "$journal" ] && grep -q "statement 1/1 failed" "$journal" && ls "$heal"/*.heal.resume.sql >/dev/null 2>&1; then
			ok "mysql: the journal records the failure and a resume plan is written"
		else
			fail "mysql: journal/resume plan after the lock timeout"
			cat "$journal" 2>/dev/null | sed 's/^/    /'
		fi
	fi
	none_left "$type: healing" "$type"
done

echo
if grep -l Sanitizer "$work"/*stderr 2>/dev/null; then fail "a sanitizer reported (files above)"; fi
[ -n "${FAULTS_DEBUG:-}" ] && cp -r "$work" /tmp/faults-debug
vigil_harness_end
