#!/usr/bin/env bash
# checks_schema.sh — the schema check plugin (plugins/schema) end to end on SQLite (a temp
# file) and on throwaway PostgreSQL 15 and MariaDB servers (tests/db/servers.sh): a blueprint
# declaring three tables (primary keys, one composite; foreign keys; indexes; a unique column),
# the matching schema created with each database's own CLI, then drifted databases and
# migration histories, each run's findings asserted exactly from the JSON report. Around every
# run the database is dumped (schema and rows) before and after: the check must change nothing.
# A server that does not start FAILS the test: it never skips.
# Usage: bash tests/checks_schema.sh <vigil-binary> <source-dir>
set -uo pipefail

vigil=$1
src=$2

if [ ! -x "$vigil" ]; then
	echo "FAIL checks_schema: no vigil binary at $vigil"
	exit 1
fi
for tool in sqlite3 python3 sha256sum mariadb-dump; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL checks_schema: $tool is not installed"
		exit 1
	fi
done

# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin checks_schema "$src"

PG_DUMP=$VIGIL_PG_BIN/pg_dump
MYSQL_DUMP=(mariadb-dump --no-defaults --protocol=socket --socket="$VIGIL_MYSQL_SOCKET" -uroot
            --skip-dump-date --skip-comments)

# ------------------------------------------------------------------ report assertions

cat >"$work/assert.py" <<'PY'
"""Asserts a vigil JSON report: the schema check's status, its exact findings (code and object,
as a multiset), and optional metrics, severities, details, evidence."""
import argparse, collections, json, sys

p = argparse.ArgumentParser()
p.add_argument("report")
p.add_argument("--status", required=True)
p.add_argument("--finding", action="append", default=[], help="CODE:object")
p.add_argument("--metric", action="append", default=[], help="name=value")
p.add_argument("--severity", action="append", default=[], help="CODE=severity")
p.add_argument("--detail", action="append", default=[], help="CODE=text the detail contains")
p.add_argument("--message", action="append", default=[], help="CODE=text the message contains")
p.add_argument("--evidence", action="append", default=[], help="CODE=expected|actual")
p.add_argument("--located", action="append", default=[], help="CODE: has a blueprint location")
p.add_argument("--proposal", action="append", default=[],
               help="CODE=risk|hint prefix: a healing proposal of that risk, and its hint")
a = p.parse_args()

with open(a.report) as fh:
    report = json.load(fh)
problems = []
checks = [c for lv in report["levels"] if lv.get("level") == 3 for c in lv.get("checks", [])
          if c.get("name") == "schema"]
if len(checks) != 1:
    problems.append("expected one schema check at level 3, found %d" % len(checks))
    check = {}
else:
    check = checks[0]
    if check.get("status") != a.status:
        problems.append("schema check status %r (reason %r), expected %r"
                        % (check.get("status"), check.get("reason"), a.status))

# The blueprint itself is clean: no finding below level 3. Other database checks found in the
# plugin directory (permissions, benchmark, ...) may add findings of their own: not counted.
all_findings = report.get("findings", [])
for f in all_findings:
    if f.get("level", 3) < 3:
        problems.append("blueprint finding %s: %s" % (f.get("code"), f.get("message")))
findings = [f for f in all_findings if f.get("check") == "schema"]
got = collections.Counter("%s:%s" % (f.get("code"), f.get("object")) for f in findings)
want = collections.Counter(a.finding)
if got != want:
    problems.append("findings differ: unexpected %s, missing %s"
                    % (sorted((got - want).elements()), sorted((want - got).elements())))

def by_code(code):
    return [f for f in findings if f.get("code") == code]

for item in a.severity:
    code, sev = item.split("=", 1)
    for f in by_code(code):
        if f.get("severity") != sev:
            problems.append("%s severity %r, expected %r" % (code, f.get("severity"), sev))
for item in a.detail:
    code, text = item.split("=", 1)
    for f in by_code(code):
        if text not in (f.get("detail") or ""):
            problems.append("%s detail %r lacks %r" % (code, f.get("detail"), text))
for item in a.message:
    code, text = item.split("=", 1)
    for f in by_code(code):
        if text not in (f.get("message") or ""):
            problems.append("%s message %r lacks %r" % (code, f.get("message"), text))
for item in a.evidence:
    code, sides = item.split("=", 1)
    expected, actual = sides.split("|", 1)
    for f in by_code(code):
        ev = f.get("evidence") or {}
        if ev.get("expected") != expected or ev.get("actual") != actual:
            problems.append("%s evidence %r, expected %r | %r" % (code, ev, expected, actual))
for code in a.located:
    for f in by_code(code):
        loc = f.get("location") or {}
        if not loc.get("file") or not loc.get("line"):
            problems.append("%s has no blueprint location: %r" % (code, f))
for item in a.proposal:
    code, sides = item.split("=", 1)
    risk, hint = sides.split("|", 1)
    for f in by_code(code):
        prop = f.get("proposal") or {}
        if prop.get("risk") != risk or not prop.get("sql"):
            problems.append("%s proposal %r, expected risk %r" % (code, prop, risk))
        if not (f.get("hint") or "").startswith(hint):
            problems.append("%s hint %r does not start with %r" % (code, f.get("hint"), hint))
metrics = {m["name"]: m["value"] for m in check.get("metrics", [])}
for item in a.metric:
    name, value = item.split("=", 1)
    if name not in metrics:
        problems.append("metric %s missing (have %s)" % (name, sorted(metrics)))
    elif abs(metrics[name] - float(value)) > 1e-9:
        problems.append("metric %s = %r, expected %s" % (name, metrics[name], value))

for problem in problems:
    print("    " + problem)
if problems:
    print("    findings: " + json.dumps(findings, indent=1).replace("\n", "\n    "))
sys.exit(1 if problems else 0)
PY

# ------------------------------------------------------------------ the databases

# db_sql TYPE  (SQL on stdin) — runs it on the test database as its owner.
db_sql() {
	case $1 in
	sqlite) sqlite3 -bail "$sqlite_file" ;;
	postgresql)
		{
			echo "SET ROLE vigil; SET client_min_messages = warning;"
			echo "SET search_path = ${pg_search_path:-public};"
			cat
		} | "${VIGIL_PG_ADMIN[@]}" -d vigil ;;
	mysql) "${VIGIL_MYSQL_ADMIN[@]}" vigil ;;
	esac
}

# db_snapshot TYPE — the whole database (schema and rows) and each table's row count.
db_snapshot() {
	case $1 in
	sqlite)
		sqlite3 "$sqlite_file" .dump
		sqlite3 "$sqlite_file" "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY 1" |
			while read -r t; do
				echo "$t $(sqlite3 "$sqlite_file" "SELECT count(*) FROM \"$t\"")"
			done
		;;
	postgresql)
		# \restrict lines carry a random key per dump (pg_dump 15.14 and later).
		"$PG_DUMP" -h 127.0.0.1 -p "$VIGIL_PG_PORT" -U postgres vigil |
			grep -Ev '^\\(un)?restrict '
		"${VIGIL_PG_ADMIN[@]}" -d vigil -At -c "SELECT table_schema || '.' || table_name || ' ' ||
			(xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
			 table_schema, table_name), false, true, '')))[1]::text
			FROM information_schema.tables
			WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
		;;
	mysql)
		"${MYSQL_DUMP[@]}" vigil
		local counts
		counts=$("${VIGIL_MYSQL_ADMIN[@]}" -N vigil -e "SELECT GROUP_CONCAT(CONCAT('SELECT ''',
			table_name, ''', COUNT(*) FROM \`', table_name, '\`') SEPARATOR ' UNION ALL ')
			FROM information_schema.tables WHERE table_schema = 'vigil'")
		[ "$counts" = NULL ] || "${VIGIL_MYSQL_ADMIN[@]}" -N vigil -e "$counts"
		;;
	esac
}

# db_reset TYPE — an empty database.
db_reset() {
	case $1 in
	sqlite) rm -f "$sqlite_file" ;;
	postgresql)
		db_sql postgresql <<-'EOF'
			DROP TABLE IF EXISTS memberships, projects, users, audit_log,
			    vigil_schema_migrations, app_history CASCADE;
			DROP SCHEMA IF EXISTS app CASCADE;
		EOF
		;;
	mysql)
		db_sql mysql <<-'EOF'
			SET FOREIGN_KEY_CHECKS = 0;
			DROP TABLE IF EXISTS memberships, projects, users, audit_log,
			    vigil_schema_migrations, app_history;
			SET FOREIGN_KEY_CHECKS = 1;
		EOF
		;;
	esac
}

# The schema the blueprint declares, in each dialect. MySQL declares the foreign key's index
# inside CREATE TABLE so InnoDB uses it instead of adding one of its own.
create_good_schema() {
	local fk_index=""
	[ "$1" = mysql ] && fk_index="INDEX projects_owner_idx (owner_id),"
	db_sql "$1" <<-EOF || return 1
		CREATE TABLE users (
		  id integer PRIMARY KEY,
		  email varchar(200) NOT NULL UNIQUE,
		  name varchar(100));
		CREATE TABLE projects (
		  id integer PRIMARY KEY,
		  owner_id integer NOT NULL,
		  title varchar(200) NOT NULL,
		  $fk_index
		  CONSTRAINT projects_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
		    ON DELETE CASCADE);
		CREATE TABLE memberships (
		  user_id integer NOT NULL,
		  project_id integer NOT NULL,
		  role varchar(20) NOT NULL,
		  PRIMARY KEY (user_id, project_id),
		  CONSTRAINT memberships_user_fk FOREIGN KEY (user_id) REFERENCES users (id));
		CREATE INDEX memberships_role_idx ON memberships (role);
	EOF
	[ "$1" = mysql ] || echo "CREATE INDEX projects_owner_idx ON projects (owner_id);" | db_sql "$1"
}

# Five differences at once: memberships missing (a), users.name missing (b), projects.title
# an integer (c), projects_owner_idx missing (d), projects_owner_fk missing (e; on MySQL the
# table is created without it, since dropping a foreign key leaves its index behind).
create_drifted_schema() {
	db_sql "$1" <<-'EOF'
		CREATE TABLE users (
		  id integer PRIMARY KEY,
		  email varchar(200) NOT NULL UNIQUE);
		CREATE TABLE projects (
		  id integer PRIMARY KEY,
		  owner_id integer NOT NULL,
		  title integer NOT NULL);
	EOF
}

# create_history TYPE TABLE [columns] — the table `vigil migrate` writes.
create_history() {
	local cols
	case $1 in
	sqlite) cols="version INTEGER PRIMARY KEY, description TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL" ;;
	postgresql) cols="version bigint PRIMARY KEY, description text NOT NULL, checksum char(64) NOT NULL, applied_at timestamptz NOT NULL" ;;
	mysql) cols="version BIGINT PRIMARY KEY, description VARCHAR(255) NOT NULL, checksum CHAR(64) NOT NULL, applied_at DATETIME NOT NULL" ;;
	esac
	echo "CREATE TABLE $2 (${3:-$cols});" | db_sql "$1"
}

# history_row TYPE TABLE VERSION CHECKSUM
history_row() {
	echo "INSERT INTO $2 (version, description, checksum, applied_at)
	      VALUES ($3, 'migration $3', '$4', '2024-05-01 12:00:00');" | db_sql "$1"
}

# The migrations' up texts: plain YAML scalars, so config_get returns exactly these bytes.
UP1='CREATE TABLE users (id integer PRIMARY KEY)'
UP2='CREATE TABLE projects (id integer PRIMARY KEY)'
UP3='CREATE INDEX projects_owner_idx ON projects (owner_id)'
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
SHA1=$(sha "$UP1")
SHA2=$(sha "$UP2")
SHA3=$(sha "$UP3")
WRONG_SHA=$(sha "something else")

# ------------------------------------------------------------------ blueprints

# blueprint FILE TYPE URL [EXTRA_DB_YAML] [SCHEMA_EXTRA_YAML] — the three tables; EXTRA goes
# into the database's mapping (unmanaged), SCHEMA_EXTRA into its schema (migrations).
blueprint() {
	cat >"$1" <<-EOF
		schema_version: "1.0.0"
		system:
		  name: schema_check_test
		  version: 1.0.0
		  components:
		    - name: user_store
		      type: Store
		      config: {database: main, table: users}
		  databases:
		    main:
		      type: $2
		      url: "$3"
		      benchmark: {clients: 1, warmup_ms: 0, duration_ms: 100}
		${4:-}
		      schema:
		${5:-}
		        tables:
		          - name: users
		            columns:
		              - {name: id, type: integer, primary_key: true}
		              - {name: email, type: varchar(200), nullable: false, unique: true}
		              - {name: name, type: varchar(100)}
		          - name: projects
		            columns:
		              - {name: id, type: integer, primary_key: true}
		              - {name: owner_id, type: integer, nullable: false}
		              - {name: title, type: varchar(200), nullable: false}
		            indexes:
		              - {name: projects_owner_idx, columns: [owner_id]}
		            foreign_keys:
		              - name: projects_owner_fk
		                columns: [owner_id]
		                references: {table: users, columns: [id]}
		                on_delete: cascade
		          - name: memberships
		            columns:
		              - {name: user_id, type: integer, nullable: false}
		              - {name: project_id, type: integer, nullable: false}
		              - {name: role, type: varchar(20), nullable: false}
		            primary_key: [user_id, project_id]
		            indexes:
		              - {name: memberships_role_idx, columns: [role]}
		            foreign_keys:
		              - name: memberships_user_fk
		                columns: [user_id]
		                references: {table: users, columns: [id]}
	EOF
}

MIGRATIONS="        migrations:
          - version: 1
            description: create users
            up: $UP1
          - version: 2
            description: create projects
            up: $UP2
          - version: 3
            description: index owners
            up: $UP3"

# ------------------------------------------------------------------ running

# scenario TYPE NAME EXPECTED_EXIT BLUEPRINT_ARGS... -- ASSERT_ARGS...
# Runs vigil on the database as it stands, asserts the exit code, the report, and that the
# database is byte-for-byte the same afterwards.
scenario() {
	local type=$1 name=$2 want_rc=$3
	shift 3
	local bp_args=() assert_args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do bp_args+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	assert_args=("$@")

	local dir=$work/$type
	local label="$type: $name${vigil_opts[*]:+ (${vigil_opts[*]})}"
	blueprint "$dir/bp.yaml" "$type" "$url" "${bp_args[@]}"
	db_snapshot "$type" >"$dir/before.txt" 2>&1
	"$vigil" validate "$dir/bp.yaml" --max-level 3 --format json -o "$dir/report.json" \
		"${vigil_opts[@]}" 2>"$dir/stderr.txt"
	local rc=$?
	db_snapshot "$type" >"$dir/after.txt" 2>&1
	local bad=0
	if [ "$rc" -ne "$want_rc" ]; then
		echo "    exit code $rc, expected $want_rc"
		sed 's/^/    stderr: /' "$dir/stderr.txt"
		bad=1
	fi
	if grep -q 'Sanitizer' "$dir/stderr.txt"; then
		echo "    a sanitizer reported:"
		sed 's/^/    /' "$dir/stderr.txt"
		bad=1
	fi
	if grep -qsF "$VIGIL_TEST_PASSWORD" "$dir/report.json" "$dir/stderr.txt"; then
		echo "    the password appears in the report or on stderr"
		bad=1
	fi
	if ! cmp -s "$dir/before.txt" "$dir/after.txt"; then
		echo "    the database changed during the run:"
		diff "$dir/before.txt" "$dir/after.txt" | sed 's/^/    /' | head -40
		bad=1
	fi
	if [ ! -s "$dir/before.txt" ]; then
		echo "    the snapshot is empty"
		bad=1
	fi
	if [ -s "$dir/report.json" ]; then
		python3 "$work/assert.py" "$dir/report.json" "${assert_args[@]}" || bad=1
	else
		echo "    no report written"
		bad=1
	fi
	if [ "$bad" -eq 0 ]; then
		ok "$label"
	else
		server_log_tail "$type"
		fail "$label"
	fi
}

# The server's last log lines, when a run failed (a crashed or stopped server says why there).
server_log_tail() {
	local log=
	case $1 in
	postgresql) log=$VIGIL_SERVERS_DIR/pg/server.log ;;
	mysql) log=$VIGIL_SERVERS_DIR/mysql/server.log ;;
	esac
	[ -n "$log" ] && [ -f "$log" ] && tail -n 15 "$log" | sed 's/^/    server log: /'
}

# Extra options of every vigil run: a second pass runs with --no-isolate, so that a sanitizer
# build also checks the plugin inside vigil's own process (where leaks are reported). That
# pass runs the scenarios that reach the most code (drift, each migration error path) only.
vigil_opts=()
mode=isolated
everything() { [ "$mode" = isolated ]; }

# setup TYPE WHAT... — reset the database, then build it: good, drifted, history...
setup() {
	local type=$1
	shift
	db_reset "$type"
	local step
	for step in "$@"; do
		if ! eval "$step"; then
			fail "$type: setting up the database ($step) failed"
			return 1
		fi
	done
}

run_suite() {
	local type=$1
	url=$2
	mkdir -p "$work/$type"
	sqlite_file=$work/$type/app.db
	local good="create_good_schema $type"
	local hist="create_history $type vigil_schema_migrations"
	local T=vigil_schema_migrations

	everything && setup "$type" "$good" &&
		scenario "$type" "matching schema: 0 findings" 0 -- --status passed \
			--metric tables_declared=3 --metric tables_live=3 --metric tables_compared=3 \
			--metric columns_compared=9 --metric differences=0 --metric unmanaged_skipped=0

	setup "$type" "create_drifted_schema $type" &&
		scenario "$type" "five differences at once" 1 -- --status failed \
			--finding VG520:memberships --finding VG522:users.name \
			--finding VG524:projects.title --finding VG531:projects.projects_owner_idx \
			--finding VG534:projects.projects_owner_fk \
			--severity VG520=error --severity VG522=error --severity VG524=error \
			--severity VG531=error --severity VG534=error \
			--detail 'VG524=declared varchar(200)' --detail 'VG524=(canonical ' \
			--located VG520 --located VG522 --located VG524 --located VG531 --located VG534 \
			--proposal 'VG520=safe|apply: CREATE TABLE' --proposal 'VG522=safe|apply: ALTER TABLE' \
			--metric differences=5 --metric tables_declared=3 --metric tables_live=2

	everything && setup "$type" "$good" "echo 'ALTER TABLE users ADD COLUMN nickname varchar(50);' | db_sql $type" &&
		{
			scenario "$type" "extra column: 1 warning, passes" 0 -- --status passed \
				--finding VG523:users.nickname --severity VG523=warning
			scenario "$type" "extra column unmanaged (users.nickname): 0 findings" 0 \
				"      unmanaged: [users.nickname]" -- --status passed \
				--metric unmanaged_skipped=1
		}

	everything && setup "$type" "$good" "echo 'CREATE TABLE audit_log (id integer PRIMARY KEY, note varchar(80));' | db_sql $type" &&
		{
			scenario "$type" "extra table: 1 warning, passes" 0 -- --status passed \
				--finding VG521:audit_log --severity VG521=warning
			scenario "$type" "extra table unmanaged (audit_log): 0 findings" 0 \
				"      unmanaged: [audit_log]" -- --status passed --metric unmanaged_skipped=1
		}

	# Migration history.
	setup "$type" "$good" &&
		scenario "$type" "migrations, no history table: VG542" 0 "" "$MIGRATIONS" -- \
			--status passed --finding VG542:$T --severity VG542=warning \
			--message "VG542=3 migrations declared, no history table $T: none can be verified" \
			--metric migrations_declared=3 --metric migrations_applied=0

	everything && setup "$type" "$good" "$hist" "history_row $type $T 1 $SHA1" \
		"history_row $type $T 2 $SHA2" "history_row $type $T 3 $SHA3" &&
		scenario "$type" "migrations all applied, checksums match: 0 findings" 0 "" \
			"$MIGRATIONS" -- --status passed --metric migrations_declared=3 \
			--metric migrations_applied=3 --metric migrations_pending=0

	everything && setup "$type" "$good" "$hist" "history_row $type $T 1 $SHA1" "history_row $type $T 2 $SHA2" &&
		scenario "$type" "migration 3 pending: VG537" 1 "" "$MIGRATIONS" -- --status failed \
			--finding VG537:$T --severity VG537=error --message 'VG537=migration 3 (index owners)' \
			--metric migrations_applied=2 --metric migrations_pending=1

	setup "$type" "$good" "$hist" "history_row $type $T 1 $WRONG_SHA" \
		"history_row $type $T 2 $SHA2" "history_row $type $T 3 $SHA3" &&
		scenario "$type" "migration 1 changed: VG538" 1 "" "$MIGRATIONS" -- --status failed \
			--finding VG538:$T --severity VG538=error --evidence "VG538=$SHA1|$WRONG_SHA" \
			--message 'VG538=migration 1 (create users)'

	everything && setup "$type" "$good" "$hist" "history_row $type $T 1 $SHA1" "history_row $type $T 2 $SHA2" \
		"history_row $type $T 3 $SHA3" "history_row $type $T 4 $SHA3" &&
		scenario "$type" "undeclared migration 4 in history: VG539" 0 "" "$MIGRATIONS" -- \
			--status passed --finding VG539:$T --severity VG539=warning \
			--message 'VG539=migration 4'

	setup "$type" "$good" "create_history $type $T 'version integer PRIMARY KEY, description varchar(80)'" &&
		scenario "$type" "history table without a checksum column: VG540" 1 "" \
			"$MIGRATIONS" -- --status failed --finding VG540:$T --severity VG540=error

	everything && setup "$type" "$good" "create_history $type app_history" \
		"history_row $type app_history 1 $SHA1" "history_row $type app_history 2 $SHA2" \
		"history_row $type app_history 3 $SHA3" &&
		scenario "$type" "schema.migration_table app_history, all applied: 0 findings" 0 "" \
			"        migration_table: app_history
$MIGRATIONS" -- --status passed --metric migrations_applied=3 --metric unmanaged_skipped=1

	# PostgreSQL: tables and history in a schema of their own (schema.namespace).
	if [ "$type" = postgresql ] && everything; then
		pg_search_path=app
		setup "$type" "echo 'CREATE SCHEMA app;' | db_sql $type" "$good" "$hist" \
			"history_row $type $T 1 $SHA1" "history_row $type $T 2 $SHA2" &&
			scenario "$type" "schema.namespace app, migration 3 pending: VG537" 1 "" \
				"        namespace: app
$MIGRATIONS" -- --status failed --finding VG537:$T --metric tables_compared=3 \
				--metric migrations_applied=2
		pg_search_path=
	fi

	# PostgreSQL: a catalog the introspection reads made unreadable: VG541, status error.
	if [ "$type" = postgresql ]; then
		local revoke="REVOKE SELECT ON pg_catalog.pg_attrdef FROM PUBLIC"
		setup "$type" "$good" "\"\${VIGIL_PG_ADMIN[@]}\" -d vigil -c '$revoke'" &&
			scenario "$type" "catalog unreadable: VG541, check error" 3 -- --status error \
				--finding VG541:None --severity VG541=error --detail 'VG541=permission denied'
		"${VIGIL_PG_ADMIN[@]}" -d vigil -c "GRANT SELECT ON pg_catalog.pg_attrdef TO PUBLIC" ||
			fail "$type: restoring SELECT on pg_attrdef"
	fi
}

for mode in isolated in-process; do
	vigil_opts=()
	[ "$mode" = in-process ] && vigil_opts=(--no-isolate)
	run_suite sqlite "sqlite:///app.db"
	# The blueprint names the variables; vigil expands them (and never prints the password).
	# shellcheck disable=SC2016
	run_suite postgresql '${VIGIL_PG_URL}'
	# shellcheck disable=SC2016
	run_suite mysql '${VIGIL_MYSQL_URL}'
done

echo
vigil_harness_end
