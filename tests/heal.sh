#!/usr/bin/env bash
# heal.sh VIGIL SOURCE_DIR — `vigil validate --heal=plan|apply` end to end on the example
# blueprints, against SQLite (a temp file) and throwaway PostgreSQL 15 and MariaDB servers
# (tests/db/servers.sh; a server that does not start FAILS the test).
#
# Per database (tasks_sqlite, shop_postgresql, blog_mysql; copies whose URLs point at the test
# servers and whose benchmarks run 150 ms, so the re-checks stay quick):
#   1. an EMPTY database + --heal=apply creates the schema; the re-check passes (exit 0);
#   2. drift (missing table, column, index, foreign key; a wrong type) heals to no drift
#      with --allow-destructive (the type change and the foreign key are data-dependent);
#   3. an extra column (destructive) is refused without --allow-destructive (exit 1, not
#      converged, the column still there) and dropped with it (exit 0);
#   4. fault injection: a missing table (safe, first), a missing UNIQUE over duplicate rows
#      (data-dependent: fails), a missing index (after it): PostgreSQL and SQLite are exactly
#      as before (schema + row counts; SQLite's backup file exists); MariaDB has the table,
#      not the index, and a journal, resume plan and undo plan that say so;
#   5. the plan (--heal=plan) applied by hand with sqlite3 / psql / mariadb gives the same
#      schema snapshot as --heal=apply on an identically drifted database.
set -uo pipefail

vigil=$1
src=$2
# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin heal "$src"
# shellcheck source=db/examples.sh
source "$src/tests/db/examples.sh"
# The examples, with their addresses at the test servers and short benchmarks.
vigil_examples_setup 's/duration_ms: [0-9]*/duration_ms: 150/; s/warmup_ms: [0-9]*/warmup_ms: 0/'
sql() { example_sql "$@"; }
snapshot() { example_snapshot "$@"; }

# empty NAME: the database, empty.
empty() {
	case $1 in
	tasks) rm -f "$work/tasks.db" && : >"$work/tasks.db" ;;
	shop) pg_admin -d postgres -c "DROP DATABASE IF EXISTS shop" -c "CREATE DATABASE shop OWNER shop_app" >/dev/null ;;
	blog) my_admin -e "DROP DATABASE IF EXISTS blog; CREATE DATABASE blog CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" ;;
	esac
}

# heal NAME OUT [ARGS...]: a run with healing files in $work/files.NAME, JSON into OUT;
# prints the exit code.
heal() {
	local name=$1 out=$2 rc=0
	shift 2
	rm -rf "$work/files.$name" && mkdir -p "$work/files.$name"
	"$vigil" validate "$work/$name.yaml" --format json --heal-dir "$work/files.$name" "$@" \
		>"$out" 2>"$out.err" || rc=$?
	echo "$rc"
}

# expect LABEL JSON PY: python3 assertions over the report (r; h = the healing record of the
# one database; checks = its level-3 checks; st = its statements).
expect() {
	local label=$1 json=$2 py=$3 msg
	msg=$(python3 - "$json" <<EOF 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
l3 = [l for l in r["levels"] if l["level"] == 3][0]
checks = {c["name"]: c for c in l3["checks"] if c.get("database")}
hs = r.get("healing", [])
h = hs[0] if hs else {}
st = h.get("statements", [])
def outcomes():
    return ["%s %s %s" % (s["outcome"], s["risk"], s["code"]) for s in st]
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

drift() { example_drift "$@"; }

# fault NAME: a missing table, a missing unique over duplicate rows, a missing index (later).
fault() {
	case $1 in
	tasks) sql tasks <<-'EOF'
		DROP TABLE comments;
		CREATE TABLE projects_new (
		  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
		  name TEXT NOT NULL,
		  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
		INSERT INTO projects_new SELECT * FROM projects;
		DROP TABLE projects;
		ALTER TABLE projects_new RENAME TO projects;
		INSERT INTO projects (name) VALUES ('same'), ('same');
		DROP INDEX tasks_open_due_idx;
	EOF
	;;
	shop)
		local unique
		unique=$(pg_admin -d shop -At -c "SELECT conname FROM pg_constraint WHERE conrelid = 'customers'::regclass AND contype = 'u'")
		sql shop <<-EOF
			DROP TABLE order_items;
			ALTER TABLE customers DROP CONSTRAINT "$unique";
			INSERT INTO customers (email, full_name) VALUES ('a@example.org', 'A'), ('a@example.org', 'B');
			DROP INDEX orders_customer_placed_idx;
		EOF
		;;
	blog)
		local unique
		unique=$(my_admin -N -e "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema='blog' AND table_name='authors' AND column_name='handle' AND non_unique=0")
		sql blog <<-EOF
			DROP TABLE comments;
			ALTER TABLE authors DROP INDEX \`$unique\`;
			INSERT INTO authors (handle, display_name) VALUES ('same', 'A'), ('same', 'B');
			DROP INDEX posts_published_idx ON posts;
		EOF
		;;
	esac
}

# extra NAME: an extra column (destructive to remove; a warning alone).
extra() {
	case $1 in
	tasks) sql tasks <<<"ALTER TABLE tasks ADD COLUMN legacy_flag INTEGER;" ;;
	shop) sql shop <<<"ALTER TABLE products ADD COLUMN legacy_flag integer;" ;;
	blog) sql blog <<<"ALTER TABLE posts ADD COLUMN legacy_flag integer;" ;;
	esac
}

# no_index NAME: a missing index, so that the schema check fails and healing starts.
no_index() {
	case $1 in
	tasks) sql tasks <<<"DROP INDEX tasks_open_due_idx;" ;;
	shop) sql shop <<<"DROP INDEX products_active_name_idx;" ;;
	blog) sql blog <<<"DROP INDEX posts_published_idx ON posts;" ;;
	esac
}

has_column() { # NAME TABLE COLUMN
	case $1 in
	tasks) sqlite3 "$work/tasks.db" "SELECT count(*) FROM pragma_table_info('$2') WHERE name='$3'" ;;
	shop) pg_admin -d shop -At -c "SELECT count(*) FROM information_schema.columns WHERE table_name='$2' AND column_name='$3'" ;;
	blog) my_admin -N -e "SELECT count(*) FROM information_schema.columns WHERE table_schema='blog' AND table_name='$2' AND column_name='$3'" ;;
	esac
}

# fresh NAME: an empty database healed to the declared schema (checked in step 1).
fresh() {
	empty "$1" && heal "$1" "$work/$1.fresh.json" --heal=apply >/dev/null
}

for name in tasks shop blog; do
	t0=$(date +%s)
	# 1. empty database + apply: the schema is created and the re-check passes
	empty "$name" || { fail "$name: cannot empty the database"; continue; }
	rc=$(heal "$name" "$work/$name.empty.json" --heal=apply)
	[ "$rc" = 0 ] && ok || fail "$name empty: exit $rc, expected 0 ($(head -c 400 "$work/$name.empty.json.err"))"
	expect "$name empty" "$work/$name.empty.json" '
want(r["verdict"] == "pass", "verdict %s" % r["verdict"])
want(checks["schema"]["status"] == "passed", "schema after healing: %s" % checks.get("schema"))
want(h.get("converged") is True and h.get("applied") is True, "healing %s" % {k: h.get(k) for k in ("converged", "applied", "message")})
want(h.get("drift_before", 0) >= 4 and h.get("drift_after") == 0, "drift %s -> %s" % (h.get("drift_before"), h.get("drift_after")))
want([c for c in h.get("initial_checks", []) if c["name"] == "schema" and c["status"] == "failed"], "the first check is not kept: %s" % h.get("initial_checks"))
want(st and all(s["outcome"] == "applied" and s["risk"] == "safe" and s["code"] == "VG520" for s in st), "statements %s" % outcomes())
want(h.get("files", {}).get("plan"), "no plan file")
if "'"$name"'" == "tasks":
    want(h.get("files", {}).get("backup"), "no backup file")'

	# 2. drift heals to no drift (with --allow-destructive: type change, foreign key)
	drift "$name" || { fail "$name: drift setup failed"; continue; }
	rc=$(heal "$name" "$work/$name.drift.json" --heal=apply --allow-destructive)
	[ "$rc" = 0 ] && ok || fail "$name drift: exit $rc, expected 0 ($(head -c 400 "$work/$name.drift.json.err"))"
	expect "$name drift" "$work/$name.drift.json" '
want(h.get("converged") is True and h.get("drift_before") == 5 and h.get("drift_after") == 0, "healing %s" % {k: h.get(k) for k in ("converged", "drift_before", "drift_after", "message")})
codes = set(s["code"] for s in st)
want({"VG520", "VG522", "VG524", "VG531", "VG534"} <= set(c.split()[0] for s in st for c in (s.get("fixes") or s["code"]).split(", ")), "fixed %s" % outcomes())
want(all(s["outcome"] == "applied" for s in st), "statements %s" % outcomes())
want("data-dependent" in [s["risk"] for s in st], "no data-dependent statement: %s" % outcomes())
want(checks["schema"]["status"] == "passed", "schema %s" % checks["schema"])'

	# 3. a destructive proposal: refused without the flag, applied with it
	extra "$name" && no_index "$name" || { fail "$name: extra column setup failed"; continue; }
	rc=$(heal "$name" "$work/$name.extra.json" --heal=apply)
	[ "$rc" = 1 ] && ok || fail "$name extra column: exit $rc, expected 1"
	expect "$name destructive refused" "$work/$name.extra.json" '
want(h.get("converged") is False and h.get("drift_after") == 1, "healing %s" % {k: h.get(k) for k in ("converged", "drift_after", "message")})
want("refused destructive VG523" in outcomes() and "applied safe VG531" in outcomes(), "statements %s" % outcomes())
want([s for s in st if s["outcome"] == "refused" and "--allow-destructive" in s.get("message", "")], "the refusal does not say why")
want(l3["status"] == "failed" and "converge" in l3.get("reason", ""), "level 3 %s %s" % (l3["status"], l3.get("reason")))'
	[ "$(has_column "$name" "$( [ $name = tasks ] && echo tasks || { [ $name = shop ] && echo products || echo posts; } )" legacy_flag)" = 1 ] && ok ||
		fail "$name: the refused column was dropped anyway"
	no_index "$name"
	rc=$(heal "$name" "$work/$name.extra2.json" --heal=apply --allow-destructive)
	[ "$rc" = 0 ] && ok || fail "$name extra column with --allow-destructive: exit $rc, expected 0"
	expect "$name destructive allowed" "$work/$name.extra2.json" '
want(h.get("converged") is True and sorted(outcomes()) == ["applied destructive VG523", "applied safe VG531"], "healing %s %s" % (h.get("message"), outcomes()))'

	# 4. fault injection: a statement fails halfway through the plan
	fault "$name" || { fail "$name: fault setup failed"; continue; }
	before=$(snapshot "$name")
	rc=$(heal "$name" "$work/$name.fault.json" --heal=apply --allow-destructive)
	after=$(snapshot "$name")
	[ "$rc" = 1 ] && ok || fail "$name fault: exit $rc, expected 1"
	expect "$name fault" "$work/$name.fault.json" '
o = outcomes()
failed = [i for i, s in enumerate(st) if s["outcome"] == "failed"]
want(len(failed) == 1, "one failed statement expected: %s" % o)
if failed:
    f = failed[0]
    want(st[f]["code"] in ("VG529",) or "VG529" in (st[f].get("fixes") or ""), "the failing statement is not the unique: %s" % o)
    want(f > 0 and st[0]["code"] == "VG520", "the missing table does not come first: %s" % o)
    want(all(s["outcome"] == "not run" for s in st[f + 1:]) and st[f + 1:], "after the failure: %s" % o)
    want(any(s["code"] == "VG531" for s in st[f + 1:]), "the index does not come after the failure: %s" % o)
want(h.get("converged") is False, "converged after a failure")'
	case $name in
	tasks | shop)
		[ "$before" = "$after" ] && ok ||
			fail "$name fault: the database changed: $(diff <(echo "$before") <(echo "$after") | head -8)"
		expect "$name fault rolled back" "$work/$name.fault.json" '
want(all(s["outcome"] in ("rolled back", "failed", "not run") for s in st), "outcomes %s" % outcomes())
want("rolled back" in h.get("message", ""), "message %s" % h.get("message"))
want(h.get("applied") is False, "applied is true")'
		if [ $name = tasks ]; then
			backup=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["healing"][0]["files"].get("backup",""))' "$work/$name.fault.json")
			[ -n "$backup" ] && [ -s "$backup" ] && [ "$(sqlite3 "$backup" "SELECT count(*) FROM projects")" = "$(sqlite3 "$work/tasks.db" "SELECT count(*) FROM projects")" ] && ok ||
				fail "tasks fault: no usable backup file ('$backup')"
		fi ;;
	blog)
		files=$work/files.blog
		journal=$files/blog_engine.blog.heal.journal
		resume=$files/blog_engine.blog.heal.resume.sql
		undo=$files/blog_engine.blog.heal.undo.sql
		[ -s "$journal" ] && [ -s "$resume" ] && [ -s "$undo" ] && ok ||
			fail "blog fault: journal/resume/undo missing: $(ls "$files")"
		# what the database shows: the created table is there, the index is not
		[ "$(my_admin -N -e "SELECT count(*) FROM information_schema.tables WHERE table_schema='blog' AND table_name='comments'")" = 1 ] && ok ||
			fail "blog fault: the table created before the failure is not there"
		[ "$(my_admin -N -e "SELECT count(*) FROM information_schema.statistics WHERE table_schema='blog' AND index_name='posts_published_idx'")" = 0 ] && ok ||
			fail "blog fault: the index after the failure exists"
		# the journal says the same: CREATE TABLE comments applied, one failure, the index not run
		grep -q 'start .*VG520 comments: CREATE TABLE `blog`.`comments`' "$journal" &&
			grep -A1 'start .*VG520 comments: CREATE TABLE' "$journal" | grep -q ' applied ' &&
			[ "$(grep -c ' failed ' "$journal")" = 1 ] &&
			grep -q 'not run: .*posts_published_idx' "$journal" && ok ||
			fail "blog fault: the journal does not match: $(cat "$journal")"
		grep -q 'posts_published_idx' "$resume" && grep -qi 'unique' "$resume" &&
			! grep -q 'CREATE TABLE `blog`.`comments`' "$resume" && ok ||
			fail "blog fault: the resume plan does not match: $(cat "$resume")"
		grep -q 'DROP TABLE `blog`.`comments`;' "$undo" && ok || fail "blog fault: the undo plan has no DROP TABLE: $(cat "$undo")"
		expect "blog fault files" "$work/$name.fault.json" '
want(h.get("applied") is True and all(h["files"].get(k) for k in ("journal", "resume", "undo")), "files %s" % h.get("files"))
want("stay applied" in h.get("message", ""), "message %s" % h.get("message"))'
		;;
	esac

	# 5. the plan applied by hand = apply, on identically drifted databases
	fresh "$name" && drift "$name" || { fail "$name: plan setup failed"; continue; }
	rc=$(heal "$name" "$work/$name.plan.json" --heal=plan --allow-destructive)
	[ "$rc" = 1 ] && ok || fail "$name plan: exit $rc, expected 1"
	plan=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["healing"][0]["files"].get("plan",""))' "$work/$name.plan.json")
	if [ -n "$plan" ] && sql "$name" <"$plan" >"$work/$name.byhand.out" 2>&1; then
		ok
	else
		fail "$name: the plan '$plan' did not run by hand: $(tail -3 "$work/$name.byhand.out")"
	fi
	by_hand=$(snapshot "$name")
	fresh "$name" && drift "$name" || { fail "$name: apply setup failed"; continue; }
	rc=$(heal "$name" "$work/$name.apply.json" --heal=apply --allow-destructive)
	applied=$(snapshot "$name")
	[ "$rc" = 0 ] && ok || fail "$name apply after plan: exit $rc"
	[ "$by_hand" = "$applied" ] && ok ||
		fail "$name: plan by hand and apply differ: $(diff <(echo "$by_hand") <(echo "$applied") | head -10)"
	grep -q "$VIGIL_TEST_PASSWORD" "$work"/$name.*.json "$work/files.$name"/* 2>/dev/null &&
		fail "$name: the password appears in a report or healing file" || ok
	echo "heal: $name done in $(( $(date +%s) - t0 )) s"
done

# 6. a plugin check's heal callback (tests/plugins/heal/heals.c): its statement runs after the
#    built-in ones and the check passes on the re-check (SQLite; heal_marker is unmanaged).
build=$(cd "$(dirname "$vigil")/.." && pwd)
sed 's/^      type: sqlite$/      type: sqlite\n      unmanaged: [heal_marker]/' "$work/tasks.yaml" >"$work/tasks_plugin.yaml"
fresh tasks && no_index tasks
rc=$(heal tasks_plugin "$work/plugin.json" --heal=apply --plugin-dir "$build/tests/plugins/heal")
[ "$rc" = 0 ] && ok || fail "plugin heal: exit $rc, expected 0 ($(head -c 300 "$work/plugin.json.err"))"
expect "plugin heal" "$work/plugin.json" '
want(outcomes() == ["applied safe VG531", "applied safe HEAL001"], "statements %s" % outcomes())
want(st and st[-1]["source"] == "heals" and st[-1].get("object") == "heal_marker", "the plugin statement %s" % st[-1:])
want(checks.get("heals", {}).get("status") == "passed" and h.get("converged") is True, "heals %s, healing %s" % (checks.get("heals"), h.get("message")))
want([c for c in h.get("initial_checks", []) if c["name"] == "heals" and c["status"] == "failed"], "initial %s" % h.get("initial_checks"))'

# 7. every report of this test matches reports/report.schema.json (when jsonschema is there;
#    tests/report_schema.sh requires it)
for py in python3 /usr/bin/python3; do
	"$py" -c 'import jsonschema' 2>/dev/null || continue
	msg=$("$py" - "$src/reports/report.schema.json" "$work"/*.json <<-'EOF'
		import json, sys, jsonschema
		v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
		for path in sys.argv[2:]:
		    for e in list(v.iter_errors(json.load(open(path))))[:2]:
		        print("%s: %s: %s" % (path.rsplit("/", 1)[-1], "/".join(map(str, e.absolute_path)), e.message))
	EOF
	)
	[ -z "$msg" ] && ok || fail "reports against the schema: $msg"
	break
done

vigil_harness_end
