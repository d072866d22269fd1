#!/usr/bin/env bash
# faults_benchmark.sh VIGIL SOURCE_DIR — the benchmark under bad luck and sly queries, on
# throwaway PostgreSQL 15 and MariaDB servers (tests/db/servers.sh) and a SQLite file:
#   - queries that look like reads but write (SELECT bump() — a function that inserts — and
#     PostgreSQL's SELECT lo_create(0)) run in a read-only transaction that is rolled back:
#     the server refuses bump() (VG578, exit 1), lo_create's object is rolled back, and
#     nothing persists (rows, large objects);
#     a plain read still passes inside its read-only transaction (SQLite: query_only);
#   - the server killed mid-benchmark (pg_ctl stop -m immediate; MariaDB SIGKILL) fails the
#     benchmark with VG577 (every client lost) and its measured figures, exit non-zero; the
#     error rate counts the failed attempts, not one per client.
# The kills come last: each ends its server. ~25 s.
set -uo pipefail

vigil=$1
src=$2
# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin faults_benchmark "$src"
sqlite_file=$work/bench.db

# shellcheck source=db/benchmark.sh
source "$src/tests/db/benchmark.sh"

# assert REPORT STATUS CODE... [-- metric-expression...] — the benchmark check's status, that
# each CODE is among its findings, and python expressions over its metrics `m`.
cat >"$work/assert.py" <<'PY'
import json, sys
report, status, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
codes, exprs = (rest[:rest.index("--")], rest[rest.index("--") + 1:]) if "--" in rest else (rest, [])
r = json.load(open(report))
checks = [c for lv in r["levels"] for c in lv.get("checks", []) if c.get("name") == "benchmark"]
problems = []
check = checks[0] if checks else {}
if check.get("status") != status:
    problems.append("status %r (%r), expected %r" % (check.get("status"), check.get("reason"), status))
found = [f for f in r.get("findings", []) if f.get("check") == "benchmark"]
have = {f["code"] for f in found}
for code in codes:
    if code not in have:
        problems.append("no %s among %s" % (code, sorted(have)))
m = {x["name"]: x["value"] for x in check.get("metrics", [])}
for e in exprs:
    try:
        if not eval(e, {"m": m}):
            problems.append("not %s (metrics %s)" % (e, m))
    except Exception as ex:
        problems.append("%s: %r" % (e, ex))
for f in found:
    if f.get("severity") != "error" and f["code"] in codes:
        problems.append("%s is not an error" % f["code"])
for p in problems:
    print("    " + p)
if problems:
    print("    findings: " + json.dumps(found)[:3000])
sys.exit(1 if problems else 0)
PY

# run NAME BLUEPRINT WANT-RC ASSERT-ARGS... — vigil validate, its exit code, the assertions.
run() {
	local name=$1 bp=$2 want=$3
	shift 3
	"$vigil" validate "$bp" --format json >"$work/report.json" 2>"$work/stderr"
	local rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$name: exit $rc, expected $want"
		sed 's/^/    /' "$work/stderr" | head -20
	elif grep -q Sanitizer "$work/stderr"; then
		fail "$name: a sanitizer reported"
		sed 's/^/    /' "$work/stderr" | head -40
	elif python3 "$work/assert.py" "$work/report.json" "$@"; then
		ok "$name"
	else
		fail "$name"
	fi
}

short='clients: 2, warmup_ms: 0, duration_ms: 300'

# ------------------------------------------------------------------ reads that write
db_sql sqlite <<-'EOF'
	CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL);
	INSERT INTO items VALUES (1, 'one'), (2, 'two');
	CREATE TABLE events (note text);
EOF
db_sql postgresql <<-'EOF'
	CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL);
	INSERT INTO items VALUES (1, 'one'), (2, 'two');
	CREATE TABLE events (note text);
	CREATE FUNCTION bump() RETURNS integer LANGUAGE sql VOLATILE
	  AS $$ INSERT INTO events (note) VALUES ('bumped') RETURNING 1 $$;
EOF
db_sql mysql <<-'EOF'
	CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL) ENGINE = InnoDB;
	INSERT INTO items VALUES (1, 'one'), (2, 'two');
	CREATE TABLE events (note text) ENGINE = InnoDB;
	DELIMITER //
	CREATE FUNCTION bump() RETURNS int MODIFIES SQL DATA
	BEGIN INSERT INTO events (note) VALUES ('bumped'); RETURN 1; END//
	DELIMITER ;
EOF
events() { echo "SELECT count(*) FROM events;" | db_sql "$1"; }

for type in postgresql mysql; do
	bp=$work/$type.yaml
	blueprint "$type" "$bp" "{$short, query: \"SELECT bump()\"}"
	run "$type: SELECT bump() is refused by its read-only transaction" "$bp" 1 failed VG578 \
		-- 'm["read_only"] == 1' 'm["rolled_back"] == 1'
	n=$(events "$type")
	if [ "$n" = 0 ]; then ok "$type: SELECT bump() left no row"; else fail "$type: SELECT bump() left $n rows in events"; fi
done
los() { echo "SELECT count(*) FROM pg_largeobject_metadata;" | db_sql postgresql; }
before=$(los)
blueprint postgresql "$work/lo.yaml" "{$short, query: \"SELECT lo_create(0)\"}"
# PostgreSQL 15 lets lo_create run in a read-only transaction: the rollback undoes it.
run "postgresql: SELECT lo_create(0) runs inside a transaction that is rolled back" \
	"$work/lo.yaml" 0 passed -- 'm["read_only"] == 1' 'm["rolled_back"] == 1' 'm["queries"] > 0' 
after=$(los)
if [ -n "$before" ] && [ "$before" = "$after" ]; then ok "postgresql: no large object persisted ($after)"; else fail "postgresql: large objects $before before, $after after"; fi

for type in sqlite postgresql mysql; do
	blueprint "$type" "$work/read.yaml" "{$short, query: \"SELECT name FROM items WHERE id = 1\"}"
	run "$type: a plain read passes inside its read-only transaction" "$work/read.yaml" 0 passed \
		-- 'm["read_only"] == 1' 'm["rolled_back"] == 1' 'm["queries"] > 0' 'm["errors"] == 0'
done
# SQLite's query_only is the session's: it is switched off again before the pool reuses it,
# so the INSERT after it (BEGIN … ROLLBACK) still runs.
blueprint sqlite "$work/write.yaml" "{$short, query: \"INSERT INTO events (note) VALUES ('x')\"}"
run "sqlite: a write after reads runs (query_only reset)" "$work/write.yaml" 0 passed \
	-- 'm["read_only"] == 0' 'm["errors"] == 0'
n=$(events sqlite)
[ "$n" = 0 ] && ok "sqlite: the INSERT was rolled back" || fail "sqlite: the INSERT left $n rows"

# ------------------------------------------------------------------ the server killed mid-run

# clients_connected TYPE — how many sessions the vigil user holds now.
clients_connected() {
	case $1 in
	postgresql) pg_admin -d postgres -At -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'vigil'" 2>/dev/null ;;
	mysql) my_admin -N -e "SELECT count(*) FROM information_schema.processlist WHERE user = 'vigil'" 2>/dev/null ;;
	esac
}
kill_server() {
	case $1 in
	postgresql) vigil_pg_stop ;;
	mysql) kill -9 "$VIGIL_MYSQL_PID"; wait "$VIGIL_MYSQL_PID" 2>/dev/null; VIGIL_MYSQL_PID= ;;
	esac
}

for type in postgresql mysql; do
	bp=$work/kill-$type.yaml
	blueprint "$type" "$bp" "{clients: 4, warmup_ms: 0, duration_ms: 4000}"
	"$vigil" validate "$bp" --format json >"$work/kill.json" 2>"$work/kill.stderr" &
	pid=$!
	# the benchmark runs once its 4 clients hold their sessions
	for _ in $(seq 1 150); do
		[ "$(clients_connected "$type")" -ge 4 ] 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.5
	kill_server "$type"
	wait "$pid"
	rc=$?
	cp "$work/kill.json" "$work/report.json"
	if [ "$rc" = 0 ]; then
		fail "$type: killed mid-benchmark, vigil exited 0"
	elif python3 "$work/assert.py" "$work/report.json" failed VG577 \
		-- 'm["lost_clients"] == 4' 'm["errors"] > 4' 'm["queries"] > m["errors"]' \
		'0 < m["error_rate"] < 1' 'm["tps"] > 0' 'm["duration_ms"] >= 3000'; then
		ok "$type: a server killed mid-benchmark fails it with VG577 and the figures (exit $rc)"
	else
		fail "$type: a server killed mid-benchmark"
		sed 's/^/    /' "$work/kill.stderr" | head -20
	fi
done

echo
vigil_harness_end
