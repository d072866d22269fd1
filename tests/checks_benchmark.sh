#!/usr/bin/env bash
# checks_benchmark.sh — the benchmark check plugin (plugins/benchmark) end to end on SQLite (a
# temp file) and on throwaway PostgreSQL 15 and MariaDB servers (tests/db/servers.sh), each
# with a 10,000-row table declared in the blueprint:
#   - the default workload (primary-key lookup on the declared table) passes, with tps > 0,
#     queries > 0 and p50 <= p95 <= p99 <= max;
#   - targets set too strict (max_p95_ms: 0.0001, min_tps: 1e9) fail with VG570 and VG571
#     whose evidence shows the measured figure;
#   - a query on a missing table fails with VG573 carrying the database's error;
#   - a writing query (INSERT) runs inside BEGIN … ROLLBACK: the rows stay as they were;
#   - without benchmark:, the root's validation.performance gives clients, duration, targets;
#   - bad settings (clients 300, a duration past the deadline, a non-number, DDL) make the
#     check an error naming the key and the value.
# Short runs (100 ms warm-up, 300 ms measured): the whole script takes ~25 s.
# A server that does not start FAILS the test: it never skips.
# Usage: bash tests/checks_benchmark.sh <vigil-binary> <source-dir>
set -uo pipefail

vigil=$1
src=$2

for tool in sqlite3 python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL checks_benchmark: $tool is not installed"
		exit 1
	fi
done

# shellcheck source=db/harness.sh
source "$src/tests/db/harness.sh"
vigil_harness_begin checks_benchmark "$src"
sqlite_file=$work/bench.db
# shellcheck source=db/benchmark.sh
source "$src/tests/db/benchmark.sh"


# ------------------------------------------------------------------ report assertions

cat >"$work/assert.py" <<'PY'
"""Asserts the benchmark check of a vigil JSON report: its status, its findings (codes, as a
multiset), the ordering and sign of its figures, and that each threshold finding's evidence
shows the measured figure."""
import argparse, collections, json, re, sys

p = argparse.ArgumentParser()
p.add_argument("report")
p.add_argument("--status", required=True)
p.add_argument("--finding", action="append", default=[], help="CODE")
p.add_argument("--measured", action="store_true",
               help="tps > 0, queries > 0, p50 <= p95 <= p99 <= max")
p.add_argument("--metric", action="append", default=[], help="name=value")
p.add_argument("--metric-range", action="append", default=[], help="name=lo:hi")
p.add_argument("--reason", action="append", default=[], help="text the reason contains")
p.add_argument("--text", action="append", default=[],
               help="CODE=text the message or detail contains")
p.add_argument("--evidence-shows", action="append", default=[],
               help="CODE=metric: evidence actual is '<label> = <figure>' near that metric")
p.add_argument("--evidence-expected", action="append", default=[], help="CODE=expected side")
a = p.parse_args()

with open(a.report) as fh:
    report = json.load(fh)
problems = []
checks = [c for lv in report["levels"] if lv.get("level") == 3 for c in lv.get("checks", [])
          if c.get("name") == "benchmark"]
check = checks[0] if len(checks) == 1 else {}
if len(checks) != 1:
    problems.append("expected one benchmark check at level 3, found %d" % len(checks))
elif check.get("status") != a.status:
    problems.append("benchmark status %r (reason %r), expected %r"
                    % (check.get("status"), check.get("reason"), a.status))
reason = check.get("reason") or ""
for text in a.reason:
    if text not in reason:
        problems.append("reason %r lacks %r" % (reason, text))

findings = [f for f in report.get("findings", []) if f.get("check") == "benchmark"]
got = collections.Counter(f.get("code") for f in findings)
if got != collections.Counter(a.finding):
    problems.append("benchmark findings %s, expected %s" % (sorted(got.elements()),
                                                            sorted(a.finding)))
def by_code(code):
    return [f for f in findings if f.get("code") == code]

metrics = {m["name"]: m["value"] for m in check.get("metrics", [])}
def metric(name):
    if name not in metrics:
        problems.append("metric %s missing (have %s)" % (name, sorted(metrics)))
        return None
    return metrics[name]

if a.measured:
    values = [metric(n) for n in ("tps", "queries", "p50_ms", "p95_ms", "p99_ms", "max_ms")]
    if None not in values:
        tps, queries, p50, p95, p99, mx = values
        if not tps > 0 or not queries > 0:
            problems.append("tps %r and queries %r should be > 0" % (tps, queries))
        if not 0 < p50 <= p95 <= p99 <= mx:
            problems.append("want 0 < p50 <= p95 <= p99 <= max: %r %r %r %r" % (p50, p95, p99, mx))
    for name in ("mean_ms", "errors", "error_rate", "clients", "duration_ms", "pool_created",
                 "pool_reused", "pool_wait_p95_ms", "pool_peak_in_use"):
        metric(name)
for item in a.metric:
    name, value = item.split("=", 1)
    v = metric(name)
    if v is not None and abs(v - float(value)) > 1e-9:
        problems.append("metric %s = %r, expected %s" % (name, v, value))
for item in a.metric_range:
    name, bounds = item.split("=", 1)
    lo, hi = (float(x) for x in bounds.split(":"))
    v = metric(name)
    if v is not None and not lo <= v <= hi:
        problems.append("metric %s = %r, expected within [%g, %g]" % (name, v, lo, hi))
for item in a.text:
    code, text = item.split("=", 1)
    for f in by_code(code):
        if text not in (f.get("message") or "") + (f.get("detail") or ""):
            problems.append("%s message/detail lacks %r: %r" % (code, text, f))
for item in a.evidence_shows:
    code, name = item.split("=", 1)
    v = metric(name)
    for f in by_code(code):
        actual = (f.get("evidence") or {}).get("actual") or ""
        m = re.match(r"^\w+ = ([0-9.e+-]+)", actual)
        if not m:
            problems.append("%s evidence actual %r shows no figure" % (code, actual))
        elif v is not None and abs(float(m.group(1)) - v) > 0.01 * v + 1e-9:
            problems.append("%s evidence actual %r is not the measured %s %r"
                            % (code, actual, name, v))
for item in a.evidence_expected:
    code, expected = item.split("=", 1)
    for f in by_code(code):
        if (f.get("evidence") or {}).get("expected") != expected:
            problems.append("%s evidence %r, expected side %r" % (code, f.get("evidence"),
                                                                   expected))

for problem in problems:
    print("    " + problem)
if problems:
    print("    check: " + json.dumps(check, indent=1).replace("\n", "\n    "))
    print("    findings: " + json.dumps(findings, indent=1).replace("\n", "\n    "))
sys.exit(1 if problems else 0)
PY

# ------------------------------------------------------------------ the databases

# The table every run works on: 10,000 rows, a primary key; events is where writes go.
create_tables() {
	case $1 in
	sqlite)
		db_sql sqlite <<-'EOF'
			CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL);
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
			INSERT INTO items SELECT i, 'item ' || i FROM n;
			CREATE TABLE events (note text);
		EOF
		;;
	postgresql)
		db_sql postgresql <<-'EOF'
			CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL);
			INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 10000) i;
			CREATE TABLE events (note text);
			ANALYZE items;
		EOF
		;;
	mysql)
		db_sql mysql <<-'EOF'
			CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL) ENGINE = InnoDB;
			INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_10000;
			CREATE TABLE events (note text) ENGINE = InnoDB;
		EOF
		;;
	esac
}

# "<rows in items> <rows in events> <max id>" — what a write must leave unchanged.
row_counts() {
	if [ "$1" = mysql ]; then
		echo "SELECT CONCAT((SELECT count(*) FROM items), ' ', (SELECT count(*) FROM events),
		      ' ', (SELECT max(id) FROM items));" | db_sql mysql
	else
		echo "SELECT (SELECT count(*) FROM items) || ' ' || (SELECT count(*) FROM events) ||
		      ' ' || (SELECT max(id) FROM items);" | db_sql "$1"
	fi
}

# check NAME BLUEPRINT [--keep-going|--no-isolate]... ASSERT-ARGS... — runs vigil on the
# blueprint (JSON report), asserts the benchmark check's part of it.
check() {
	local name=$1 bp=$2
	shift 2
	local opts=()
	while [ "${1:-}" = --keep-going ] || [ "${1:-}" = --no-isolate ]; do
		opts+=("$1")
		shift
	done
	local out=$work/report.json
	"$vigil" validate "$bp" --format json "${opts[@]}" >"$out" 2>"$work/stderr"
	local rc=$?
	# 0, 1 or 3 (a check's error is "could not check"); the assertions judge the rest.
	if [ "$rc" = 2 ] || [ "$rc" -gt 3 ]; then
		fail "$name: vigil exited $rc"
		sed 's/^/    /' "$work/stderr"
		return
	fi
	if grep -q 'Sanitizer' "$work/stderr"; then
		fail "$name: a sanitizer reported"
		sed 's/^/    /' "$work/stderr"
		return
	fi
	if python3 "$work/assert.py" "$out" "$@"; then
		ok "$name"
	else
		fail "$name"
	fi
}

short='clients: 4, warmup_ms: 100, duration_ms: 300'

for type in sqlite postgresql mysql; do
	if ! create_tables "$type"; then
		fail "$type: creating the test table"
		continue
	fi
	bp=$work/$type.yaml

	# The default workload: a primary-key lookup on items (events has no key).
	blueprint "$type" "$bp" "{$short}"
	check "$type: primary-key lookup passes with its figures" "$bp" --status passed --measured \
		--metric clients=4 --metric keys_sampled=1000 --metric rolled_back=0 \
		--metric-range duration_ms=300:10000 --metric-range pool_peak_in_use=4:4 \
		--reason 'primary-key lookup on items.id over 1000 sampled keys'

	# The same in vigil's own process (a worker runs LeakSanitizer's check itself before its
	# _exit in a sanitizer build: worker.c).
	check "$type: primary-key lookup in-process (--no-isolate)" "$bp" --no-isolate \
		--status passed --measured --metric clients=4

	# Targets nobody meets: each finding shows what was measured.
	blueprint "$type" "$bp" "{$short, max_p95_ms: 0.0001, min_tps: 1e9}"
	check "$type: strict targets fail with the measured p95 and tps" "$bp" --status failed \
		--measured --finding VG570 --finding VG571 \
		--evidence-shows VG570=p95_ms --evidence-shows VG571=tps \
		--evidence-expected 'VG570=p95 ≤ 0.0001 ms' --evidence-expected 'VG571=tps ≥ 1e9' \
		--text 'VG570=primary-key lookup on items.id'

	# A query that cannot run: the database's own error.
	blueprint "$type" "$bp" "{$short, query: \"SELECT * FROM no_such_table\"}"
	check "$type: a failing query is VG573 with the database's error" "$bp" --status failed \
		--finding VG573 --text 'VG573=no_such_table' --metric queries=0
	check "$type: a failing query in-process (--no-isolate)" "$bp" --no-isolate \
		--status failed --finding VG573

	# A writing query leaves nothing behind (2 clients: SQLite serialises writers).
	before=$(row_counts "$type")
	blueprint "$type" "$bp" \
		"{clients: 2, warmup_ms: 100, duration_ms: 300,
		  query: \"INSERT INTO events (note) VALUES ('bench')\"}"
	check "$type: an INSERT runs inside BEGIN … ROLLBACK" "$bp" --status passed --measured \
		--metric rolled_back=1 --metric errors=0 --reason 'BEGIN … ROLLBACK'
	after=$(row_counts "$type")
	if [ -n "$before" ] && [ "$before" = "$after" ] && [ "${after#* }" = "0 10000" ]; then
		ok "$type: the INSERT left the rows unchanged ($after)"
	else
		fail "$type: rows before '$before', after '$after' (items, events, max id)"
	fi

	# No benchmark: mapping: the root's validation.performance applies.
	blueprint "$type" "$bp" "" \
		"validation: {performance: {clients: 2, duration_ms: 300, max_p95_ms: 0.0001}}"
	check "$type: validation.performance gives clients, duration and p95 target" "$bp" \
		--status failed --measured --finding VG570 --metric clients=2 \
		--metric-range duration_ms=300:10000 --evidence-shows VG570=p95_ms
done

# Bad settings are the check's error, naming the key and the value (SQLite is enough: the
# settings are read before any query). --keep-going lets level 3 run past level 1's and 2's
# findings about the same values; in-process, so a sanitizer build checks these paths too.
bad=$work/bad.yaml
in_process=(--keep-going --no-isolate)
blueprint sqlite "$bad" "{clients: 300, duration_ms: 300}"
check "bad clients: an error naming benchmark.clients" "$bad" "${in_process[@]}" \
	--status error --finding VG603 --reason 'benchmark.clients is "300"'
blueprint sqlite "$bad" "{clients: lots}"
check "non-numeric clients: an error naming the value" "$bad" "${in_process[@]}" \
	--status error --finding VG603 --reason 'benchmark.clients is "lots", expected a whole number'
blueprint sqlite "$bad" "{warmup_ms: 500, duration_ms: 40000}"
check "a duration past the deadline: an error naming duration_ms" "$bad" "${in_process[@]}" \
	--status error --finding VG603 --reason 'benchmark.duration_ms is "40000"'
blueprint sqlite "$bad" "{warmup_ms: 5000, duration_ms: 24000}"
check "warm-up plus duration past the deadline: an error" "$bad" "${in_process[@]}" \
	--status error --finding VG603 --reason 'warmup_ms 5000 + duration_ms 24000'
blueprint sqlite "$bad" "{max_error_rate: 1.5}"
check "max_error_rate over 1: an error naming it" "$bad" "${in_process[@]}" \
	--status error --finding VG603 --reason 'benchmark.max_error_rate is "1.5"'
blueprint sqlite "$bad" "" "validation: {performance: {min_tps: -3}}"
check "a bad validation.performance value: an error naming it" "$bad" "${in_process[@]}" \
	--status error --finding VG603 --reason 'validation.performance.min_tps is "-3"'
blueprint sqlite "$bad" "{query: \"DROP TABLE items\"}"
check "DDL as the workload: refused" "$bad" --no-isolate \
	--status error --finding VG603 --reason 'starts with DROP'
if [ "$(row_counts sqlite)" = "10000 0 10000" ]; then
	ok "the refused DDL did not run"
else
	fail "the refused DDL changed the SQLite database: $(row_counts sqlite)"
fi

echo
vigil_harness_end
