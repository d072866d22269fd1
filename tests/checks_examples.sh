#!/usr/bin/env bash
# checks_examples.sh VIGIL SOURCE_DIR — level 3's database checks end to end, on the example
# blueprints, against real databases: SQLite (a temp file), and throwaway PostgreSQL 15 and
# MariaDB servers (tests/db/servers.sh; a server that does not start FAILS the test).
#
# Per database (tasks_sqlite, shop_postgresql, blog_mysql; copies whose URLs point at the test
# servers — nothing else in them changes):
#   1. `vigil migrate` creates the schema from the blueprint's own migrations;
#   2. a full `vigil validate` passes preflight, schema, permissions and benchmark, and a
#      snapshot of the schema and row counts is the same before and after it;
#   3. drift (a missing table, a missing column, a wrong type, a missing index, a missing
#      foreign key) fails schema with exactly those five findings and nothing else;
#   4. a user who may only read fails permissions, naming the missing rights;
#   5. a benchmark threshold set too strict fails with the measured figure;
#   6. an unreachable server fails preflight and schema, permissions and benchmark are
#      skipped with the reason.
set -uo pipefail

vigil=$1
src=$2
# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin checks_examples "$src"

# ---------------------------------------------------------------- the databases

# shellcheck source=db/examples.sh
source "$src/tests/db/examples.sh"
vigil_examples_setup ""
snapshot() { example_snapshot "$@"; }

# validate NAME OUT [ARGS...]: a full run, JSON into OUT; prints the exit code.
validate() {
	local name=$1 out=$2 rc=0
	shift 2
	"$vigil" validate "$work/$name.yaml" --format json "$@" >"$out" 2>"$out.err" || rc=$?
	echo "$rc"
}

# expect NAME JSON PY: runs the python3 assertions PY over the report (r = the report,
# checks = {check name: record} of the database's level-3 checks, findings = level 3's).
expect() {
	local label=$1 json=$2 py=$3 msg
	msg=$(python3 - "$json" <<EOF 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
l3 = [l for l in r["levels"] if l["level"] == 3][0]
checks = {c["name"]: c for c in l3["checks"] if c.get("database")}
findings = [f for f in r["findings"] if f["level"] == 3]
def metric(check, name):
    return {m["name"]: m["value"] for m in checks[check].get("metrics", [])}.get(name)
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

# ---------------------------------------------------------------- per database

for name in tasks shop blog; do
	# 1. migrate
	rc=0
	"$vigil" migrate "$work/$name.yaml" >"$work/$name.migrate" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		fail "$name: vigil migrate exited $rc: $(tail -3 "$work/$name.migrate")"
		continue
	fi
	ok

	# 2. a matching database passes all four checks; nothing changes
	before=$(snapshot "$name")
	rc=$(validate "$name" "$work/$name.pass.json")
	after=$(snapshot "$name")
	[ "$rc" = 0 ] && ok || fail "$name: matching database: exit $rc, expected 0 ($(head -c 300 "$work/$name.pass.json.err"))"
	[ "$before" = "$after" ] && ok || fail "$name: the run changed the database: $(diff <(echo "$before") <(echo "$after") | head -5)"
	expect "$name matching" "$work/$name.pass.json" '
for c in ("preflight", "schema", "permissions", "benchmark"):
    want(checks.get(c, {}).get("status") == "passed", "%s: %s" % (c, checks.get(c)))
want(not [f for f in findings if f["severity"] == "error"], "error findings: %s" % [f["code"] for f in findings])
want((metric("preflight", "connect_ms") or 0) > 0, "no connect_ms")
want([f["code"] for f in findings if f["check"] == "preflight"] == ["VG500"], "preflight findings %s" % [f["code"] for f in findings])
order = [c["name"] for c in l3["checks"] if c.get("database")]
want(order == ["preflight", "schema", "permissions", "benchmark"], "order %s" % order)
want((metric("benchmark", "tps") or 0) > 0, "no tps")
want(metric("schema", "differences") == 0, "differences %s" % metric("schema", "differences"))'
	grep -q "$VIGIL_TEST_PASSWORD" "$work/$name.pass.json" "$work/$name.pass.json.err" \
		&& fail "$name: the password appears in the report" || ok

	# 3. drift: five differences, five findings
	example_drift "$name"
	drift=$(example_drift_codes "$name")
	before=$(snapshot "$name")
	rc=$(validate "$name" "$work/$name.drift.json")
	after=$(snapshot "$name")
	[ "$rc" = 1 ] && ok || fail "$name: drifted database: exit $rc, expected 1"
	[ "$before" = "$after" ] && ok || fail "$name: the drift run changed the database"
	expect "$name drift" "$work/$name.drift.json" "
want(checks['schema']['status'] == 'failed', 'schema %s' % checks['schema'])
got = sorted('%s %s' % (f['code'], f.get('object')) for f in findings if f['check'] == 'schema')
want(got == sorted('$drift'.split('|')), 'schema findings %s' % got)
want(all(f.get('proposal', {}).get('sql') for f in findings if f['check'] == 'schema'), 'a finding without a proposal')
for c in ('preflight', 'permissions', 'benchmark'):
    want(checks[c]['status'] in ('passed', 'failed'), '%s did not run: %s' % (c, checks[c]))"

	# 4. a user who may only read (SQLite: the file opened read-only)
	case $name in
	tasks) sed 's|url: sqlite:///tasks.db|url: "sqlite:///tasks.db?mode=ro"|' "$work/tasks.yaml" >"$work/tasks_ro.yaml" ;;
	shop) sed 's|postgresql://shop_app:|postgresql://shop_reader:|' "$work/shop.yaml" >"$work/shop_ro.yaml" ;;
	blog) sed 's|mysql://blog_app:|mysql://blog_reader:|' "$work/blog.yaml" >"$work/blog_ro.yaml" ;;
	esac
	rc=$(validate "${name}_ro" "$work/$name.ro.json")
	[ "$rc" = 1 ] && ok || fail "$name: read-only user: exit $rc, expected 1"
	expect "$name read-only" "$work/$name.ro.json" "
want(checks['permissions']['status'] == 'failed', 'permissions %s' % checks['permissions'])
missing = [f for f in findings if f['code'] == 'VG550']
want(missing, 'no VG550')
want(all('insert' in f['message'] for f in missing), 'insert not named: %s' % [f['message'] for f in missing])"

	# 5. a benchmark threshold too strict fails with the measured figure
	sed 's|max_p95_ms: [0-9.]*|max_p95_ms: 0.0001|' "$work/$name.yaml" >"$work/${name}_strict.yaml"
	rc=$(validate "${name}_strict" "$work/$name.strict.json")
	[ "$rc" = 1 ] && ok || fail "$name: strict benchmark: exit $rc, expected 1"
	expect "$name strict benchmark" "$work/$name.strict.json" "
want(checks['benchmark']['status'] == 'failed', 'benchmark %s' % checks['benchmark'])
p95 = [f for f in findings if f['code'] == 'VG570']
want(len(p95) == 1, 'VG570 findings: %s' % [f['code'] for f in findings])
want(p95 and '%g' % metric('benchmark', 'p95_ms') in json.dumps(p95[0]) or
     p95 and any(ch.isdigit() for ch in p95[0].get('evidence', {}).get('actual', '')), 'no measured figure')"
done

# 6. unreachable servers: preflight fails, the rest is skipped with the reason; exit 3 (could not
#    check), reason could_not_check, the finding on the database's url: line
vigil_pg_stop
vigil_mysql_stop
rm -f "$work/tasks.db"
for name in tasks shop blog; do
	rc=$(validate "$name" "$work/$name.down.json")
	[ "$rc" = 3 ] && ok || fail "$name: unreachable: exit $rc, expected 3"
	code=$([ $name = tasks ] && echo VG505 || echo VG502)
	expect "$name unreachable" "$work/$name.down.json" "
want(checks['preflight']['status'] == 'failed', 'preflight %s' % checks['preflight'])
want([f['code'] for f in findings] == ['$code'], 'findings %s' % [f['code'] for f in findings])
want(r['reason'] == 'could_not_check', 'reason %s' % r['reason'])
want(all(f.get('location', {}).get('line', 0) > 0 for f in findings), 'a finding without a line: %s' % findings)
for c in ('schema', 'permissions', 'benchmark'):
    want(checks[c]['status'] == 'skipped' and 'preflight' in checks[c].get('reason', ''), '%s: %s' % (c, checks[c]))"
done

vigil_harness_end
