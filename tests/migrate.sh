#!/usr/bin/env bash
# migrate.sh — `vigil migrate` end to end on SQLite (a temp file) and on throwaway
# PostgreSQL 15 and MariaDB servers (tests/db/servers.sh; a server that does not start FAILS
# the test, it never skips):
#   dry run changes nothing · 2 migrations applied and recorded with the SHA-256 of their
#   `up` text as written (${VAR} unexpanded) · a second run applies none · a third migration
#   applies alone · a changed migration is reported (exit 1) and nothing runs · a failing
#   migration leaves no trace on PostgreSQL/SQLite and is named statement by statement on
#   MariaDB · a wrong password names the database and prints no password · an unknown
#   --database is a usage error · levels 1-2 errors refuse to migrate · the three examples
#   (blueprints/examples) migrate cleanly.
# Usage: bash tests/migrate.sh <vigil-binary> <source-dir>
set -uo pipefail

vigil=${1:?usage: migrate.sh <vigil-binary> <source-dir>}
src=${2:?usage: migrate.sh <vigil-binary> <source-dir>}

# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin migrate "$src"
TMP=$work
LOG=$TMP/every-output.log # all that vigil printed, searched for passwords at the end
: >"$LOG"

# run ARGS...: `vigil migrate ARGS`, exit code in $rc, stdout+stderr in $TMP/out.
run() {
	"$vigil" migrate "$@" >"$TMP/out" 2>&1
	rc=$?
	cat "$TMP/out" >>"$LOG"
}
expect_rc() { # WANT WHAT
	if [ "$rc" -eq "$1" ]; then ok; else fail "$2: exit $rc, want $1: $(head -c 1500 "$TMP/out")"; fi
}
expect_out() { # PATTERN WHAT (fixed string)
	if grep -qF -- "$1" "$TMP/out"; then ok; else fail "$2: '$1' not in: $(head -c 1500 "$TMP/out")"; fi
}
expect_no_out() { # PATTERN WHAT
	if grep -qF -- "$1" "$TMP/out"; then fail "$2: '$1' unexpectedly in: $(head -c 1500 "$TMP/out")"; else ok; fi
}
expect_eq() { # GOT WANT WHAT
	if [ "$1" = "$2" ]; then ok; else fail "$3: got '$1', want '$2'"; fi
}
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# ------------------------------------------------------------------ the migrations
# 1: a literal holding ';' (the statement splitter must not cut there), single-quoted YAML.
UP1="CREATE TABLE mig_a (id integer PRIMARY KEY, name varchar(40)); INSERT INTO mig_a (id, name) VALUES (1, 'semi;colon')"
UP1_CHANGED="$UP1; INSERT INTO mig_a (id, name) VALUES (2, 'again')"
# 2: a block scalar: its text ends in a newline, which the checksum includes.
UP2=$'CREATE TABLE mig_b (id integer);\nINSERT INTO mig_b (id) VALUES (2);\n'
# 3: a ${VAR}: the checksum is of the text as written, the table gets the expanded name.
# shellcheck disable=SC2016
UP3='CREATE TABLE ${MIG_TABLE3} (id integer)'
export MIG_TABLE3=mig_c
UP4_OK='CREATE TABLE mig_d (id integer)'
UP4_FAIL='CREATE TABLE mig_e (id integer); INSERT INTO mig_no_such_table (id) VALUES (1)'

yaml_quote() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }

# write_blueprint FILE TYPE COUNT [UP1 [UP4]]: COUNT migrations (1..4) of database main,
# whose URL is ${MIG_URL}.
write_blueprint() {
	local file=$1 type=$2 count=$3 up1=${4:-$UP1} up4=${5:-$UP4_OK}
	{
		cat <<-EOF
			schema_version: "1.0.0"
			system:
			  name: migrate_test
			  version: 1.0.0
			  components:
			    - name: writer
			      type: Source
			      outputs: [{name: out, schema: Rec}]
			    - name: store
			      type: Store
			      config: {database: main, table: mig_a}
			      inputs: [{name: input, schema: Rec}]
			  bindings:
			    - {from: writer.out, to: store.input}
			  databases:
			    main:
			      type: $type
			      url: "\${MIG_URL}"
			      schema:
			        tables:
			          - name: mig_a
			            columns:
			              - {name: id, type: integer, primary_key: true}
			              - {name: name, type: varchar(40)}
			        migrations:
			          - version: 1
			            description: first table
			            up: $(yaml_quote "$up1")
		EOF
		if [ "$count" -ge 2 ]; then
			printf '          - version: 2\n            description: second table\n            up: |\n'
			printf '%s' "$UP2" | sed 's/^/              /'
		fi
		if [ "$count" -ge 3 ]; then
			printf '          - version: 3\n            up: %s\n' "$(yaml_quote "$UP3")"
		fi
		if [ "$count" -ge 4 ]; then
			printf '          - version: 4\n            description: fourth\n            up: %s\n' "$(yaml_quote "$up4")"
		fi
		printf 'schemas:\n  Rec: {type: object, properties: {name: {type: string}}}\n'
	} >"$file"
}

# ------------------------------------------------------------------ per database type
# q SQL: one query on the current test database, rows as "a|b".
q() {
	case $KIND in
	sqlite) sqlite3 "$SQLITE_FILE" "$1" ;;
	postgresql) "${VIGIL_PG_ADMIN[@]}" -d mig -At -c "$1" ;;
	mysql) "${VIGIL_MYSQL_ADMIN[@]}" -N -B mig -e "$1" | tr '\t' '|' ;;
	esac
}
table_exists() { # NAME -> prints 1 or 0
	local n
	case $KIND in
	sqlite)
		[ -f "$SQLITE_FILE" ] || { echo 0; return; }
		n=$(q "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$1'") ;;
	postgresql) n=$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '$1'") ;;
	mysql) n=$(q "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'mig' AND table_name = '$1'") ;;
	esac
	echo "$n"
}
history() { q "SELECT version, checksum FROM vigil_schema_migrations ORDER BY version" | tr '\n' ' '; }

scenario() { # KIND: the whole story on one fresh database
	KIND=$1
	local bp=$TMP/$KIND/bp.yaml want
	mkdir -p "$TMP/$KIND"
	echo "--- $KIND"

	write_blueprint "$bp" "$KIND" 2
	run "$bp" --dry-run
	expect_rc 0 "$KIND dry run on a fresh database"
	expect_out "pending  1 first table" "$KIND dry run lists migration 1"
	expect_out "pending  2 second table" "$KIND dry run lists migration 2"
	expect_out "2 would be applied" "$KIND dry run summary"
	expect_eq "$(table_exists vigil_schema_migrations)" 0 "$KIND dry run creates no history table"
	expect_eq "$(table_exists mig_a)" 0 "$KIND dry run runs nothing"
	if [ "$KIND" = sqlite ]; then
		if [ -e "$SQLITE_FILE" ]; then fail "sqlite dry run created the database file"; else ok; fi
	fi

	run "$bp"
	expect_rc 0 "$KIND first migrate"
	expect_out "2 applied, 0 already applied" "$KIND first migrate applies 2"
	want="1|$(sha "$UP1") 2|$(sha "$UP2") "
	expect_eq "$(history)" "$want" "$KIND history rows and checksums (sha256 of up as written)"
	expect_eq "$(q "SELECT name FROM mig_a")" "semi;colon" "$KIND ';' inside a literal is not a statement end"
	expect_eq "$(q "SELECT description FROM vigil_schema_migrations WHERE version = 1")" "first table" \
		"$KIND description recorded"
	local applied_at
	applied_at=$(q "SELECT applied_at FROM vigil_schema_migrations WHERE version = 1")
	if [[ $applied_at =~ ^20[0-9][0-9]-[01][0-9]-[0-3][0-9][T\ ][0-2][0-9]:[0-5][0-9]:[0-5][0-9] ]]; then ok; else
		fail "$KIND applied_at is a timestamp: '$applied_at'"
	fi

	run "$bp"
	expect_rc 0 "$KIND second migrate"
	expect_out "0 applied, 2 already applied" "$KIND second migrate applies none"
	expect_out "skipped  1 first table (already applied)" "$KIND second migrate reports skips"

	write_blueprint "$bp" "$KIND" 3
	run "$bp" --database main
	expect_rc 0 "$KIND third migration"
	expect_out "1 applied, 2 already applied" "$KIND third migration applies alone"
	expect_eq "$(table_exists mig_c)" 1 "$KIND \${VAR} expanded in what runs"
	expect_eq "$(q "SELECT checksum FROM vigil_schema_migrations WHERE version = 3")" "$(sha "$UP3")" \
		"$KIND checksum of the text before \${VAR} expansion"

	write_blueprint "$bp" "$KIND" 4
	run "$bp" -n
	expect_rc 0 "$KIND dry run with one pending"
	expect_out "pending  4 fourth (would run 1 statement)" "$KIND dry run lists the pending one"
	expect_out "1 would be applied, 3 already applied" "$KIND dry run summary with history"
	expect_eq "$(table_exists mig_d)" 0 "$KIND dry run did not run migration 4"
	expect_eq "$(q "SELECT count(*) FROM vigil_schema_migrations")" 3 "$KIND dry run recorded nothing"

	# Migration 1's text changed after it was applied: reported, not re-run, nothing runs.
	write_blueprint "$bp" "$KIND" 4 "$UP1_CHANGED"
	run "$bp"
	expect_rc 1 "$KIND changed migration"
	expect_out "CHANGED  1 first table" "$KIND changed migration reported"
	expect_out "not run  4 fourth" "$KIND pending migration not run after a change"
	expect_out "1 changed" "$KIND changed summary"
	expect_eq "$(q "SELECT count(*) FROM mig_a")" 1 "$KIND changed migration not re-run"
	expect_eq "$(table_exists mig_d)" 0 "$KIND nothing runs after a change"
	expect_eq "$(history)" "1|$(sha "$UP1") 2|$(sha "$UP2") 3|$(sha "$UP3") " "$KIND history untouched by a change"

	# A failing migration: statement 2 of 2 fails.
	write_blueprint "$bp" "$KIND" 4 "$UP1" "$UP4_FAIL"
	run "$bp"
	expect_rc 1 "$KIND failing migration"
	expect_out "FAILED   4 fourth" "$KIND failure reported"
	expect_out "statement 2 of 2" "$KIND failure names the statement"
	expect_out "mig_no_such_table" "$KIND failure quotes the statement or the error"
	expect_eq "$(q "SELECT count(*) FROM vigil_schema_migrations WHERE version = 4")" 0 "$KIND failed migration not recorded"
	if [ "$KIND" = mysql ]; then
		expect_out "statement 1 of it was applied and stays" "mysql failure says what stayed applied"
		expect_eq "$(table_exists mig_e)" 1 "mysql: the statement before the failure stays applied"
	else
		expect_out "rolled back, nothing of it was applied" "$KIND failure says it rolled back"
		expect_eq "$(table_exists mig_e)" 0 "$KIND failed migration leaves no table"
	fi

	# A good migration 4 applies after the failure was fixed.
	[ "$KIND" = mysql ] && q "DROP TABLE mig_e"
	write_blueprint "$bp" "$KIND" 4
	run "$bp"
	expect_rc 0 "$KIND migrate after fixing the failure"
	expect_out "1 applied, 3 already applied" "$KIND fixed migration applies"

	run "$bp" --database nope
	expect_rc 2 "$KIND unknown --database"
	expect_out "no database named 'nope'" "$KIND unknown --database named"
	expect_out "it has: main" "$KIND unknown --database lists the names"
	expect_out "try 'vigil --help'" "$KIND unknown --database is a usage error"

	if [ "$KIND" != sqlite ]; then
		local good=$MIG_URL
		MIG_URL=${good/:$VIGIL_TEST_PASSWORD@/:wrong-pw-$$@}
		export MIG_URL
		run "$bp"
		expect_rc 3 "$KIND wrong password"
		expect_out "database main ($KIND): cannot connect" "$KIND wrong password names the database"
		expect_no_out "wrong-pw-$$" "$KIND wrong password not printed"
		expect_no_out "$VIGIL_TEST_PASSWORD" "$KIND password not printed"
		export MIG_URL=$good
	fi
}

# SQLite: the file does not exist before the first real run.
mkdir -p "$TMP/sqlite"
SQLITE_FILE=$TMP/sqlite/mig.db
export MIG_URL="sqlite:///$SQLITE_FILE"
scenario sqlite

# Levels 1-2 errors refuse to migrate (a repeated version), exit 2, nothing runs.
KIND=sqlite
bad=$TMP/sqlite/bad.yaml
write_blueprint "$bad" sqlite 4
sed -i 's/- version: 4/- version: 3/' "$bad"
sed -i 's/mig_d/mig_refused/' "$bad"
run "$bad"
expect_rc 2 "levels 1-2 errors"
expect_out "nothing was migrated" "levels 1-2 errors refuse to migrate"
expect_out "error" "levels 1-2 findings printed"
expect_eq "$(table_exists mig_refused)" 0 "levels 1-2 errors: nothing ran"

"${VIGIL_PG_ADMIN[@]}" -d postgres -c "CREATE DATABASE mig OWNER vigil" >/dev/null || fail "creating PostgreSQL database mig"
export MIG_URL=${VIGIL_PG_URL%/vigil}/mig
scenario postgresql

"${VIGIL_MYSQL_ADMIN[@]}" -e "CREATE DATABASE mig; GRANT ALL PRIVILEGES ON mig.* TO 'vigil'@'127.0.0.1'" ||
	fail "creating MariaDB database mig"
export MIG_URL=${VIGIL_MYSQL_URL%/vigil}/mig
scenario mysql

# ------------------------------------------------------------------ the examples
echo "--- examples"
ex=$TMP/examples
mkdir -p "$ex"
"${VIGIL_PG_ADMIN[@]}" -d postgres -c "CREATE DATABASE shop OWNER vigil" >/dev/null || fail "creating database shop"
"${VIGIL_MYSQL_ADMIN[@]}" -e "CREATE DATABASE blog; GRANT ALL PRIVILEGES ON blog.* TO 'vigil'@'127.0.0.1'" ||
	fail "creating database blog"
export VIGIL_SHOP_URL=${VIGIL_PG_URL%/vigil}/shop VIGIL_BLOG_URL=${VIGIL_MYSQL_URL%/vigil}/blog
# shellcheck disable=SC2016
sed -E 's#^( *url:) postgresql://.*#\1 "${VIGIL_SHOP_URL}"#' "$src/blueprints/examples/shop_postgresql.yaml" >"$ex/shop.yaml"
# shellcheck disable=SC2016
sed -E 's#^( *url:) mysql://.*#\1 "${VIGIL_BLOG_URL}"#' "$src/blueprints/examples/blog_mysql.yaml" >"$ex/blog.yaml"
cp "$src/blueprints/examples/tasks_sqlite.yaml" "$ex/tasks.yaml" # url: sqlite:///tasks.db, beside it

example_history() { # NAME
	case $1 in
	shop) "${VIGIL_PG_ADMIN[@]}" -d shop -At -c "SELECT version || '|' || checksum FROM schema_migrations ORDER BY version" ;;
	blog) "${VIGIL_MYSQL_ADMIN[@]}" -N -B blog -e "SELECT concat(version, '|', checksum) FROM vigil_schema_migrations ORDER BY version" ;;
	tasks) sqlite3 "$ex/tasks.db" "SELECT version || '|' || checksum FROM vigil_schema_migrations ORDER BY version" ;;
	esac | tr '\n' ' '
}
# The checksums as PyYAML reads the `up` texts (when python3-yaml is installed).
example_checksums() { # FILE
	python3 - "$1" <<-'EOF' 2>/dev/null
		import hashlib, sys, yaml
		doc = yaml.safe_load(open(sys.argv[1]))
		for db in doc["system"]["databases"].values():
		    for m in sorted(db.get("schema", {}).get("migrations", []), key=lambda m: m["version"]):
		        print("%d|%s" % (m["version"], hashlib.sha256(m["up"].encode()).hexdigest()), end=" ")
	EOF
}
for name in shop blog tasks; do
	run "$ex/$name.yaml"
	expect_rc 0 "example $name migrates"
	expect_out "2 applied, 0 already applied" "example $name applies its 2 migrations"
	run "$ex/$name.yaml"
	expect_rc 0 "example $name again"
	expect_out "0 applied, 2 already applied" "example $name: nothing to apply the second time"
	if want=$(example_checksums "$ex/$name.yaml") && [ -n "$want" ]; then
		expect_eq "$(example_history "$name")" "$want" "example $name: checksums as YAML reads the up texts"
	else
		echo "note: python3-yaml not installed: example $name's checksums not recomputed"
	fi
done
expect_eq "$("${VIGIL_PG_ADMIN[@]}" -d shop -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('customers', 'products', 'orders', 'order_items')")" 4 \
	"example shop: its tables exist"

# ------------------------------------------------------------------ never a password
if grep -qF -- "$VIGIL_TEST_PASSWORD" "$LOG"; then
	fail "a password was printed: $(grep -F -- "$VIGIL_TEST_PASSWORD" "$LOG" | head -3)"
else
	ok
fi

# Sanitizer builds: a report exits 1 too, which some cases above expect; look for it.
if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$LOG"; then
	fail "a sanitizer reported: $(grep -E -m3 'Sanitizer|runtime error:' "$LOG")"
else
	ok
fi

vigil_harness_end
