#!/usr/bin/env bash
# checks_access.sh VIGIL SOURCE_DIR — the preflight and permissions check plugins end to end,
# against real databases: SQLite (temp files), and throwaway PostgreSQL 15 and MariaDB servers
# (tests/db/servers.sh; a server that does not start FAILS the test, it never skips).
#
# Each scenario is a blueprint written here (one database per server type, `pg`, `my`, `lite`),
# validated with --format json; python3 asserts on check statuses, codes and metrics:
#   owner       the owner passes preflight (metrics present) and permissions, with VG552
#               (may alter/drop its tables) on PostgreSQL and MariaDB, none on SQLite; a
#               declared table that does not exist is not reported; nothing changes in any
#               database (schema, row counts, sequences)
#   readonly    vigil_ro with permissions [select, insert] and a Store: VG550 naming insert on
#               each table (a table it may not even read: select and insert); SQLite opened
#               with ?mode=ro: VG550 naming insert; nothing changes
#   filemode    an SQLite file the user may not write (0444, as a non-root user): VG550
#   superuser   PostgreSQL's postgres role: VG551
#   password    a wrong password: VG504 (password never in the report)
#   refused     nothing listening: VG502; the dependent checks skipped with the reason
#   nodb        an unknown database: VG505; a missing SQLite file: VG505
#   tls         ssl_required on a server without TLS: VG509
set -uo pipefail

vigil=$1
src=$2
# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin checks_access "$src"

# ---------------------------------------------------------------- the databases

# tasks and projects belong to vigil (vigil_ro may read them: the default privileges);
# audit belongs to the administrator, and vigil_ro may do nothing on it (the probe path).
pg_admin -d vigil >/dev/null <<'EOF' || { echo "FAIL checks_access: PostgreSQL setup"; exit 1; }
SET ROLE vigil;
CREATE TABLE projects (id serial PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE tasks (id serial PRIMARY KEY, title varchar(200) NOT NULL);
INSERT INTO projects (name) VALUES ('p1'), ('p2');
INSERT INTO tasks (title) VALUES ('t1'), ('t2'), ('t3');
RESET ROLE;
CREATE TABLE audit (id serial PRIMARY KEY, note text NOT NULL);
INSERT INTO audit (note) VALUES ('a1');
GRANT SELECT, INSERT, UPDATE, DELETE ON audit TO vigil;
EOF
my_admin vigil <<'EOF' || { echo "FAIL checks_access: MariaDB setup"; exit 1; }
CREATE TABLE projects (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE tasks (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200) NOT NULL);
INSERT INTO projects (name) VALUES ('p1'), ('p2');
INSERT INTO tasks (title) VALUES ('t1'), ('t2'), ('t3');
EOF
lite=$work/lite.db
sqlite3 "$lite" <<'EOF' || { echo "FAIL checks_access: SQLite setup"; exit 1; }
CREATE TABLE projects (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(100) NOT NULL);
CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, title VARCHAR(200) NOT NULL);
INSERT INTO projects (name) VALUES ('p1'), ('p2');
INSERT INTO tasks (title) VALUES ('t1'), ('t2'), ('t3');
EOF

# The URLs the blueprints read (${VAR}: no password is written into a blueprint).
free_port=$(vigil__free_port)
export ACCESS_PG_URL=$VIGIL_PG_URL ACCESS_MY_URL=$VIGIL_MYSQL_URL
export ACCESS_PG_RO_URL=$VIGIL_PG_RO_URL ACCESS_MY_RO_URL=$VIGIL_MYSQL_RO_URL
export ACCESS_PG_SUPER_URL="postgresql://postgres@127.0.0.1:$VIGIL_PG_PORT/vigil"
export ACCESS_BAD_PW=wrong-pw-$$-x
export ACCESS_PG_BADPW_URL="postgresql://vigil:$ACCESS_BAD_PW@127.0.0.1:$VIGIL_PG_PORT/vigil"
export ACCESS_MY_BADPW_URL="mysql://vigil:$ACCESS_BAD_PW@127.0.0.1:$VIGIL_MYSQL_PORT/vigil"
export ACCESS_PG_REFUSED_URL="postgresql://vigil:$VIGIL_TEST_PASSWORD@127.0.0.1:$free_port/vigil"
export ACCESS_MY_REFUSED_URL="mysql://vigil:$VIGIL_TEST_PASSWORD@127.0.0.1:$free_port/vigil"
export ACCESS_PG_NODB_URL="postgresql://vigil:$VIGIL_TEST_PASSWORD@127.0.0.1:$VIGIL_PG_PORT/no_such_db"
export ACCESS_MY_NODB_URL="mysql://vigil:$VIGIL_TEST_PASSWORD@127.0.0.1:$VIGIL_MYSQL_PORT/no_such_db"

# blueprint NAME PG_URL MY_URL LITE_URL PERMISSIONS [EXTRA_TABLE] [DB_EXTRA]: three databases
# (pg, my, lite) with tables projects and tasks (and EXTRA_TABLE on pg), a Store writing
# into each database's tasks; DB_EXTRA is one more line of YAML in every database. The
# benchmark settings keep the benchmark check (when built) short; it is not judged here.
blueprint() {
	local name=$1 pg=$2 my=$3 lite_url=$4 perms=$5 extra=${6:-} db_extra=${7:-} db type url
	{
		cat <<-EOF
			schema_version: "1.0.0"
			system:
			  name: access_$name
			  components:
		EOF
		for db in pg my lite; do
			cat <<-EOF
				    - name: ${db}_task_store
				      type: Store
				      config: {database: $db, table: tasks}
			EOF
		done
		echo "  databases:"
		for db in pg my lite; do
			case $db in
			pg) type=postgresql url=$pg ;;
			my) type=mysql url=$my ;;
			lite) type=sqlite url=$lite_url ;;
			esac
			cat <<-EOF
				    $db:
				      type: $type
				      url: "$url"
				      pool: {min: 1, max: 2, connect_timeout_ms: 3000}
				      benchmark: {clients: 1, duration_ms: 100}
				      permissions: [$perms]
			EOF
			[ -n "$db_extra" ] && echo "      $db_extra"
			cat <<-EOF
				      schema:
				        tables:
				          - name: projects
				            columns:
				              - {name: id, type: integer, primary_key: true, auto_increment: true}
				              - {name: name, type: varchar(100), nullable: false}
				          - name: tasks
				            columns:
				              - {name: id, type: integer, primary_key: true, auto_increment: true}
				              - {name: title, type: varchar(200), nullable: false}
			EOF
			if [ -n "$extra" ] && [ "$db" = pg ]; then
				cat <<-EOF
					          - name: $extra
					            columns:
					              - {name: id, type: integer, primary_key: true, auto_increment: true}
					              - {name: note, type: text, nullable: false}
				EOF
			fi
		done
	} >"$work/$name.yaml"
}

# snapshot: every database's schema, row counts and sequence positions.
snapshot() {
	"$VIGIL_PG_BIN/pg_dump" -s -h 127.0.0.1 -p "$VIGIL_PG_PORT" -U postgres vigil | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict'
	pg_admin -d vigil -At -c "SELECT (SELECT count(*) FROM projects), (SELECT count(*) FROM tasks),
		(SELECT count(*) FROM audit), (SELECT last_value FROM projects_id_seq),
		(SELECT last_value FROM tasks_id_seq), (SELECT last_value FROM audit_id_seq)"
	mariadb-dump --no-defaults --protocol=socket --socket="$VIGIL_MYSQL_SOCKET" -uroot \
		--no-data --skip-dump-date vigil
	my_admin -N -e "SELECT (SELECT count(*) FROM vigil.projects), (SELECT count(*) FROM vigil.tasks)"
	sqlite3 "$lite" .schema "SELECT count(*) FROM projects" "SELECT count(*) FROM tasks" \
		"SELECT * FROM sqlite_sequence ORDER BY name"
}

# validate NAME: a full run of NAME.yaml, JSON into NAME.json, stderr (-v: the plugins' log)
# into NAME.err; prints the exit code.
validate() {
	local rc=0
	"$vigil" validate "$work/$1.yaml" --format json -v >"$work/$1.json" 2>"$work/$1.err" || rc=$?
	echo "$rc"
}

# expect LABEL NAME PY: python3 assertions PY over NAME.json. In PY: checks[db][check] = the
# check's record, findings(db, code=None) = level 3's findings of that database (and code),
# metric(db, check, name), want(condition, what).
expect() {
	local label=$1 json=$work/$2.json py=$3 msg
	if ! [ -s "$json" ]; then
		fail "$label: no report ($(head -c 400 "$work/$2.err"))"
		return
	fi
	# Sanitizer builds: a report in the log (a worker's included) fails the scenario.
	if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$work/$2.err"; then
		fail "$label: sanitizer report: $(grep -m3 -E 'Sanitizer|runtime error:' "$work/$2.err")"
	fi
	msg=$(python3 - "$json" <<EOF 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
l3 = [l for l in r["levels"] if l["level"] == 3][0]
checks = {}
for c in l3["checks"]:
    if c.get("database"):
        checks.setdefault(c["database"], {})[c["name"]] = c
def findings(db, code=None):
    return [f for f in r["findings"] if f["level"] == 3 and f.get("database") == db
            and (code is None or f["code"] == code)]
def status(db, check):
    return checks.get(db, {}).get(check, {}).get("status")
def metric(db, check, name):
    record = checks.get(db, {}).get(check, {})
    return {m["name"]: m["value"] for m in record.get("metrics", [])}.get(name)
problems = []
def want(cond, what):
    if not cond:
        problems.append(what)
$py
print("; ".join(problems))
EOF
	)
	if [ -n "$msg" ]; then
		fail "$label: $msg"
	else
		ok
	fi
}

# no_secret NAME: neither the test password nor the wrong one appears in the output.
no_secret() {
	if grep -q -e "$VIGIL_TEST_PASSWORD" -e "$ACCESS_BAD_PW" "$work/$1.json" "$work/$1.err"; then
		fail "$1: a password appears in the report or the log"
	else
		ok
	fi
}

# ---------------------------------------------------------------- owner

blueprint owner '${ACCESS_PG_URL}' '${ACCESS_MY_URL}' "sqlite:///$lite" \
	"select, insert, update, delete" ghost
before=$(snapshot)
rc=$(validate owner)
after=$(snapshot)
# (exit 1: the schema check, where built, reports the missing table ghost)
[ "$rc" = 0 ] || [ "$rc" = 1 ] && ok || fail "owner: exit $rc, expected 0 or 1 ($(head -c 400 "$work/owner.err"))"
[ "$before" = "$after" ] && ok ||
	fail "owner: the run changed a database: $(diff <(echo "$before") <(echo "$after") | head -8)"
expect owner owner '
errors = [f for f in r["findings"] if f["severity"] == "error" and f.get("check") in ("preflight", "permissions")]
want(not errors, "errors %s" % [(f["code"], f["message"]) for f in errors])
for db in ("pg", "my", "lite"):
    want(status(db, "preflight") == "passed", "%s preflight %s" % (db, checks.get(db, {}).get("preflight")))
    for m in ("connect_ms", "rtt_ms", "rtt_max_ms", "tls"):
        want(metric(db, "preflight", m) is not None, "%s: no metric %s" % (db, m))
    want((metric(db, "preflight", "connect_ms") or 0) > 0, "%s: connect_ms not > 0" % db)
    want(metric(db, "preflight", "rtt_max_ms") >= metric(db, "preflight", "rtt_ms"), "%s: rtt_max < rtt" % db)
    want(metric(db, "preflight", "tls") == 0, "%s: tls %s" % (db, metric(db, "preflight", "tls")))
    want(status(db, "permissions") == "passed", "%s permissions %s" % (db, checks.get(db, {}).get("permissions")))
    want(not findings(db, "VG550"), "%s: VG550 %s" % (db, findings(db, "VG550")))
    want(metric(db, "permissions", "tables_checked") == 2, "%s: tables_checked %s" % (db, metric(db, "permissions", "tables_checked")))
    want(metric(db, "permissions", "privileges_required") == 8, "%s: privileges_required %s" % (db, metric(db, "permissions", "privileges_required")))
    want(metric(db, "permissions", "privileges_missing") == 0, "%s: privileges_missing" % db)
    want(not [f for f in findings(db) if f.get("object") == "ghost" and f["check"] == "permissions"], "%s: ghost reported" % db)
for db in ("pg", "my"):
    ddl = findings(db, "VG552")
    want(len(ddl) == 1 and ddl[0]["severity"] == "warning", "%s: VG552 %s" % (db, ddl))
    want(not findings(db, "VG551"), "%s: VG551" % db)
want("alter" in findings("pg", "VG552")[0]["detail"] if findings("pg", "VG552") else False, "pg VG552 without alter")
want(not findings("lite", "VG552"), "lite: VG552")
want(metric("lite", "permissions", "probes") >= 4, "lite: probes %s" % metric("lite", "permissions", "probes"))'
grep -q "preflight.*connected to PostgreSQL 15.* as vigil on database vigil, TLS off" "$work/owner.err" &&
	grep -q "preflight.*connected to MariaDB 10.* as vigil@127.0.0.1 on database vigil, TLS off" "$work/owner.err" &&
	grep -q "preflight.*connected to SQLite 3.*, file $lite" "$work/owner.err" && ok ||
	fail "owner: the preflight log lacks the connection facts: $(grep preflight "$work/owner.err" | head -5)"
grep -q "table ghost does not exist in database pg" "$work/owner.err" && ok ||
	fail "owner: no log line for the missing table ghost"
no_secret owner

# ---------------------------------------------------------------- read-only

blueprint readonly '${ACCESS_PG_RO_URL}' '${ACCESS_MY_RO_URL}' "sqlite:///$lite?mode=ro" \
	"select, insert" audit
before=$(snapshot)
rc=$(validate readonly)
after=$(snapshot)
[ "$rc" = 1 ] && ok || fail "readonly: exit $rc, expected 1 ($(head -c 400 "$work/readonly.err"))"
[ "$before" = "$after" ] && ok ||
	fail "readonly: the run changed a database: $(diff <(echo "$before") <(echo "$after") | head -8)"
expect readonly readonly '
for db, tables in (("pg", ("audit", "projects", "tasks")), ("my", ("projects", "tasks")), ("lite", ("projects", "tasks"))):
    want(status(db, "preflight") == "passed", "%s preflight %s" % (db, status(db, "preflight")))
    want(status(db, "permissions") == "failed", "%s permissions %s" % (db, status(db, "permissions")))
    missing = findings(db, "VG550")
    want(sorted(f.get("object") for f in missing) == sorted(tables), "%s: VG550 on %s" % (db, [f.get("object") for f in missing]))
    for f in missing:
        want(f["severity"] == "error", "%s: VG550 severity" % db)
        want(" lacks " in f["message"] and "insert" in f["message"] and f["object"] in f["message"], "%s: message %r" % (db, f["message"]))
        want("insert" not in f["evidence"]["actual"], "%s: evidence %r" % (db, f["evidence"]))
        want(f["evidence"]["expected"] == "select, insert", "%s: expected %r" % (db, f["evidence"]))
        if f["object"] == "tasks":
            want("Store %s_task_store" % db in f["detail"], "%s: the Store is not named: %r" % (db, f["detail"]))
    want(metric(db, "permissions", "privileges_missing") == len(tables) + (1 if db == "pg" else 0), "%s: privileges_missing %s" % (db, metric(db, "permissions", "privileges_missing")))
    want(not findings(db, "VG552") and not findings(db, "VG551"), "%s: unexpected VG551/VG552" % db)
for db in ("pg", "my"):
    want(all("user vigil_ro" in f["message"] for f in findings(db, "VG550")), "%s: user not named" % db)
audit = [f for f in findings("pg", "VG550") if f["object"] == "audit"]
want(audit and audit[0]["message"].startswith("user vigil_ro lacks select, insert on table audit"), "pg audit: %r" % (audit and audit[0]["message"]))
want(audit and "probe" in audit[0]["detail"], "pg audit: not probed: %r" % (audit and audit[0]["detail"]))
want(metric("my", "permissions", "probes") >= 4, "my: insert was not probed (probes %s)" % metric("my", "permissions", "probes"))
want(all("GRANT " in f["hint"] and "INSERT" in f["hint"] for f in findings("pg", "VG550") + findings("my", "VG550")), "no GRANT hint: %s" % [f["hint"] for f in findings("pg", "VG550") + findings("my", "VG550")])
want(all("readonly" in f["detail"] for f in findings("lite", "VG550")), "lite: detail %r" % [f["detail"] for f in findings("lite", "VG550")])'
no_secret readonly

# A file the user may not write (0444): root writes it anyway, so as root vigil runs as the
# postgres user (which the servers need already).
cp "$lite" "$work/lite_ro.db"
chmod 0444 "$work/lite_ro.db"
as_user=()
opened=() # folders above vigil that the postgres user could not pass (e.g. a mktemp clone)
if [ "$(id -u)" -eq 0 ]; then
	as_user=(runuser -u postgres --)
	d=$(cd "$(dirname "$vigil")" && pwd)
	while [ "$d" != / ]; do
		if ! runuser -u postgres -- test -x "$d"; then
			chmod o+x "$d" && opened+=("$d")
		fi
		d=$(dirname "$d")
	done
fi
blueprint filemode '${ACCESS_PG_URL}' '${ACCESS_MY_URL}' "sqlite:///$work/lite_ro.db" "select, insert"
rc=0
"${as_user[@]}" "$vigil" validate "$work/filemode.yaml" --format json -v >"$work/filemode.json" \
	2>"$work/filemode.err" || rc=$?
for d in "${opened[@]}"; do chmod o-x "$d"; done # back as they were
[ "$rc" = 1 ] && ok || fail "filemode: exit $rc, expected 1 ($(head -c 400 "$work/filemode.err"))"
expect filemode filemode '
missing = findings("lite", "VG550")
want(sorted(f.get("object") for f in missing) == ["projects", "tasks"], "lite: VG550 on %s" % [(f.get("object"), f["message"]) for f in missing])
want(all("insert" in f["message"] for f in missing), "lite: insert not named")
want(status("lite", "preflight") == "passed", "lite preflight %s" % status("lite", "preflight"))'
cmp -s "$lite" "$work/lite_ro.db" && ok || fail "filemode: the read-only file changed"

# ---------------------------------------------------------------- superuser (PostgreSQL)

blueprint superuser '${ACCESS_PG_SUPER_URL}' '${ACCESS_MY_URL}' "sqlite:///$lite" "select"
rc=$(validate superuser)
expect superuser superuser '
su = findings("pg", "VG551")
want(len(su) == 1 and su[0]["severity"] == "warning", "pg VG551 %s" % su)
want(status("pg", "permissions") == "passed", "pg permissions %s" % status("pg", "permissions"))
want(not findings("pg", "VG552"), "pg: VG552 beside VG551")'

# ---------------------------------------------------------------- connect failures

# dependents DB: the checks after preflight that exist in this build are skipped with the reason.
dependents='
def dependents_skipped(db):
    for name in ("schema", "permissions", "benchmark"):
        c = checks.get(db, {}).get(name)
        if c is None:
            continue
        want(c["status"] == "skipped" and "preflight" in (c.get("reason") or ""), "%s %s: %s" % (db, name, c))
    want("permissions" in checks.get(db, {}), "%s: no permissions check in the report" % db)
def one_error(db, code):
    # VG500 (info: what was reached) comes with every connect that worked.
    pf = [f for f in findings(db) if f["check"] == "preflight" and f["code"] != "VG500"]
    want([f["code"] for f in pf] == [code], "%s: preflight findings %s, expected [%s]" % (db, [(f["code"], f["message"]) for f in pf], code))
    want(status(db, "preflight") == "failed", "%s preflight %s" % (db, status(db, "preflight")))
    for f in pf:
        want(f["severity"] == "error" and f.get("detail") and f.get("hint"), "%s: %s lacks detail or hint" % (db, code))
        want("database %s" % db in f["message"], "%s: message does not name the database: %r" % (db, f["message"]))
    dependents_skipped(db)
'
blueprint password '${ACCESS_PG_BADPW_URL}' '${ACCESS_MY_BADPW_URL}' "sqlite:///$lite" "select"
rc=$(validate password)
[ "$rc" = 3 ] && ok || fail "password: exit $rc, expected 3 (could not check)"
expect password password "$dependents"'
for db in ("pg", "my"):
    one_error(db, "VG504")
want(status("lite", "preflight") == "passed", "lite preflight")'
no_secret password

blueprint refused '${ACCESS_PG_REFUSED_URL}' '${ACCESS_MY_REFUSED_URL}' "sqlite:///$lite" "select"
rc=$(validate refused)
[ "$rc" = 3 ] && ok || fail "refused: exit $rc, expected 3 (could not check)"
expect refused refused "$dependents"'
for db in ("pg", "my"):
    one_error(db, "VG502")
    for f in findings(db, "VG502"):
        want("start the database server" in f["hint"], "%s: hint %r" % (db, f["hint"]))'
no_secret refused

blueprint nodb '${ACCESS_PG_NODB_URL}' '${ACCESS_MY_NODB_URL}' "sqlite:///$work/missing.db" "select"
rc=$(validate nodb)
[ "$rc" = 3 ] && ok || fail "nodb: exit $rc, expected 3 (could not check)"
expect nodb nodb "$dependents"'
for db in ("pg", "my", "lite"):
    one_error(db, "VG505")
want("CREATE DATABASE" in findings("pg", "VG505")[0]["hint"] if findings("pg", "VG505") else False, "pg VG505 hint")
want("SQLite file" in findings("lite", "VG505")[0]["message"] if findings("lite", "VG505") else False, "lite VG505 message")'
[ -e "$work/missing.db" ] && fail "nodb: the missing SQLite file was created" || ok

blueprint tls '${ACCESS_PG_URL}' '${ACCESS_MY_URL}' "sqlite:///$lite" "select" "" "ssl_required: true"
rc=$(validate tls)
expect tls tls "$dependents"'
for db in ("pg", "my"):
    one_error(db, "VG509")
want(status("lite", "preflight") == "passed", "lite: ssl_required fails SQLite")'

vigil_harness_end
