#!/usr/bin/env bash
# report_schema.sh — real JSON reports validate against reports/report.schema.json, and the
# schema is not vacuous: reports broken on purpose are rejected.
#
#   bash tests/report_schema.sh <vigil-binary> <source-dir>
#
# Needs Python's jsonschema (Debian: python3-jsonschema). Without it the test FAILS: a gate
# that silently skips its contract check is no gate.
set -u

VIGIL=${1:?usage: report_schema.sh <vigil-binary> <source-dir>}
SRC=${2:?usage: report_schema.sh <vigil-binary> <source-dir>}
SCHEMA="$SRC/reports/report.schema.json"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-schema.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# The python that has jsonschema: the one on PATH, else Debian's (apt's python3-jsonschema
# installs for /usr/bin/python3, which a pyenv or venv python3 on PATH does not see).
PYTHON=
for candidate in ${PYTHON_JSONSCHEMA:-} python3 /usr/bin/python3; do
	if "$candidate" -c 'import jsonschema; jsonschema.Draft202012Validator' >/dev/null 2>&1; then
		PYTHON=$candidate
		break
	fi
done
if [ -z "$PYTHON" ]; then
	echo "FAIL: Python's jsonschema (draft 2020-12) is missing: apt-get install python3-jsonschema" >&2
	echo "report_schema: 0 passed, 1 failed"
	exit 1
fi

# Reports of every kind: examples, the invalid corpus, a missing file, each --max-level,
# --keep-going, and blueprints made here (syntax error, not UTF-8, empty, no system name).
n=0
report() { # report ARGS...: saves `vigil validate ARGS --format json` as the next report
	n=$((n + 1))
	"$VIGIL" validate "$@" --format json >"$TMP/report_$n.json" 2>"$TMP/stderr_$n"
	echo "$? $*" >"$TMP/report_$n.args"
}
for bp in "$SRC"/blueprints/examples/*.yaml "$SRC"/blueprints/invalid/*.yaml; do
	[ -e "$bp" ] && report "$bp"
done
for bp in "$SRC"/blueprints/examples/*.yaml; do
	[ -e "$bp" ] || continue
	for level in 1 2 3; do report "$bp" --max-level "$level"; done
	report "$bp" --keep-going
done
report "$TMP/no/such/file.yaml"
printf 'schema_version: "1.0.0"\nsystem:\n  name: [unclosed\n' >"$TMP/syntax.yaml"
report "$TMP/syntax.yaml"
printf 'schema_version: "1.0.0"\nsystem:\n  name: caf\xe9\n' >"$TMP/latin1.yaml"
report "$TMP/latin1.yaml"
: >"$TMP/empty.yaml"
report "$TMP/empty.yaml"
printf 'schema_version: "1.0.0"\nsystem:\n  components: []\n' >"$TMP/nameless.yaml"
report "$TMP/nameless.yaml"
printf 'schema_version: "1.0.0"\nsystem:\n  name: s\n  components: []\n  colour: red\n' >"$TMP/typo.yaml"
report "$TMP/typo.yaml" --keep-going
# Healing (SQLite: no server needed): an empty database, planned, then healed.
sed 's/duration_ms: [0-9]*/duration_ms: 100/' "$SRC/blueprints/examples/tasks_sqlite.yaml" >"$TMP/tasks.yaml"
: >"$TMP/tasks.db"
report "$TMP/tasks.yaml" --heal=plan --heal-dir "$TMP"
report "$TMP/tasks.yaml" --heal=apply --heal-dir "$TMP"
# Blueprint healing (levels 1-2, offline): planned, then applied (the run goes on healed).
mkdir -p "$TMP/bp"
cp "$SRC/blueprints/heal/several.yaml" "$TMP/bp/several.yaml"
report "$TMP/bp/several.yaml" --offline --heal=plan --heal-dir "$TMP/bp"
report "$TMP/bp/several.yaml" --offline --heal=apply --heal-dir "$TMP/bp"
# Accepted findings (report 1.2): a baseline, a suppression, --fail-on warning.
"$VIGIL" baseline "$SRC/blueprints/invalid/017_fk_missing_references.yaml" --offline --keep-going -o "$TMP/base.json"
report "$SRC/blueprints/invalid/017_fk_missing_references.yaml" --offline --keep-going --baseline "$TMP/base.json"
sed 's/^          - name: legacy_items .*/          - name: legacy_items\n            x-vigil-ignore: [{code: VG405, reason: "kept for the export"}]/' \
	"$SRC/blueprints/rules/VG405_fail.yaml" >"$TMP/suppressed.yaml"
report "$TMP/suppressed.yaml" --offline --fail-on warning
report "$SRC/blueprints/rules/VG405_fail.yaml" --offline --fail-on warning

"$PYTHON" - "$SCHEMA" "$TMP" "$n" <<'EOF'
import copy, json, os, sys
import jsonschema

schema_path, tmp, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
passed = failed = 0

def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, file=sys.stderr)

schema = json.load(open(schema_path))
try:
    jsonschema.Draft202012Validator.check_schema(schema)
    check(True, "")
except jsonschema.SchemaError as e:
    check(False, "the schema itself is invalid: %s" % e.message)
validator = jsonschema.Draft202012Validator(
    schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

reports = []
for i in range(1, count + 1):
    status, _, args = open(os.path.join(tmp, "report_%d.args" % i)).read().strip().partition(" ")
    what = "vigil validate %s --format json" % args
    try:
        report = json.load(open(os.path.join(tmp, "report_%d.json" % i)))
    except ValueError as e:
        check(False, "%s: output is not JSON: %s" % (what, e))
        continue
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    check(not errors, "%s: %s" % (what, "; ".join(
        "%s: %s" % ("/".join(map(str, e.absolute_path)), e.message) for e in errors[:5])))
    check(report.get("exit_code") == int(status),
          "%s: exit_code %s but vigil exited %s" % (what, report.get("exit_code"), status))
    reports.append(report)

check(len(reports) >= 8, "too few reports were produced (%d)" % len(reports))

# Every finding code of a built-in check is in the code table.
codes_md = open(os.path.join(os.path.dirname(schema_path), "..", "docs", "codes.md")).read()
for report in reports:
    for f in report["findings"]:
        if f["code"].startswith("VG"):
            check("| %s | `%s` |" % (f["code"], f["rule"]) in codes_md,
                  "%s [%s] is not in docs/codes.md" % (f["code"], f["rule"]))

# Accepted findings are there, and held to their shape.
check(any(r["summary"].get("baseline", {}).get("known") for r in reports), "no report with known findings")
check(any(r["summary"].get("suppressed") for r in reports), "no report with a suppressed finding")
check(any(r["summary"].get("fail_on") == "warning" and r["verdict"] == "fail" for r in reports),
      "no report failed by --fail-on warning")
check(all(f.get("fingerprint") for r in reports for f in r["findings"]), "a finding without a fingerprint")
for r in reports:
    prints = [f["fingerprint"] for f in r["findings"]]
    check(len(prints) == len(set(prints)), "fingerprints repeat in one report")
sup = next((r for r in reports if r["summary"].get("suppressed")), None)
if sup:
    i = next(i for i, f in enumerate(sup["findings"]) if "suppressed" in f)
    for what, mutate in {
        "a suppression without a reason": lambda b: b["findings"][i]["suppressed"].pop("reason"),
        "known: false": lambda b: b["findings"][i].__setitem__("known", False),
        "a short fingerprint": lambda b: b["findings"][i].__setitem__("fingerprint", "abc"),
        "a baseline without counts": lambda b: b["summary"].__setitem__("baseline", {"file": "x"}),
    }.items():
        bad = copy.deepcopy(sup)
        mutate(bad)
        check(list(validator.iter_errors(bad)), "the schema accepts %s" % what)

# Healing records are there, and the schema holds them to their shape.
healed = [r for r in reports if r.get("healing")]
check(len(healed) >= 2, "no report with a healing section (--heal=plan / apply on SQLite)")
for r in healed[:1]:
    bad = copy.deepcopy(r)
    bad["healing"][0]["statements"][0]["outcome"] = "maybe"
    check(list(validator.iter_errors(bad)), "a healing statement with outcome 'maybe' was accepted")
    bad = copy.deepcopy(r)
    del bad["healing"][0]["converged"]
    check(list(validator.iter_errors(bad)), "a healing record without 'converged' was accepted")

# Blueprint healing records: a plan and an apply, and the schema holds them to their shape.
bp_healed = [r for r in reports if r.get("blueprint_healing")]
check(sorted(r["blueprint_healing"]["mode"] for r in bp_healed) == ["apply", "plan"],
      "expected one plan and one apply blueprint_healing record, got %s"
      % [r["blueprint_healing"]["mode"] for r in bp_healed])
for r in bp_healed:
    h = r["blueprint_healing"]
    check(h["edits"] and h["converged"] and h["files"].get("healed") and h["files"].get("diff"),
          "blueprint healing (%s) made no edits, did not converge or wrote no files" % h["mode"])
    check(h["applied"] == (h["mode"] == "apply"), "blueprint healing applied=%s in mode %s"
          % (h["applied"], h["mode"]))
for r in bp_healed[:1]:
    for what, mutate in {
        "a blueprint healing record without 'converged'":
            lambda b: b["blueprint_healing"].pop("converged"),
        "one level in blueprint healing": lambda b: b["blueprint_healing"]["levels"].pop(),
        "a blueprint healing edit at line 0":
            lambda b: b["blueprint_healing"]["edits"][0].__setitem__("line", 0),
        "a blueprint healing file of an unknown kind":
            lambda b: b["blueprint_healing"]["files"].__setitem__("backup", "x"),
    }.items():
        bad = copy.deepcopy(r)
        mutate(bad)
        check(list(validator.iter_errors(bad)), "the schema accepts %s" % what)

# The schema rejects what it must: take a report with findings and break it.
base = next((r for r in reports if r["findings"] and any("location" in f for f in r["findings"])), None)
check(base is not None, "no report with a located finding to mutate")
if base is not None:
    located = next(i for i, f in enumerate(base["findings"]) if "location" in f)

    def broken(mutate):
        r = copy.deepcopy(base)
        mutate(r)
        return r

    mutations = {
        "a missing top-level key": lambda r: r.pop("levels"),
        "an unknown top-level key": lambda r: r.__setitem__("extra", 1),
        "a verdict that contradicts exit_code": lambda r: r.__setitem__(
            "verdict", "pass" if r["exit_code"] else "fail"),
        "an unknown verdict": lambda r: r.__setitem__("verdict", "maybe"),
        "three levels": lambda r: r["levels"].pop(),
        "levels out of order": lambda r: r["levels"].reverse(),
        "an unknown level status": lambda r: r["levels"][0].__setitem__("status", "ok"),
        "a skipped level without a reason": lambda r: (
            r["levels"][3].__setitem__("status", "skipped"), r["levels"][3].pop("reason", None)),
        "a null optional field": lambda r: r["findings"][located].__setitem__("hint", None),
        "an unknown severity": lambda r: r["findings"][located].__setitem__("severity", "fatal"),
        "a malformed VG code": lambda r: r["findings"][located].__setitem__("code", "VG12"),
        "a lower-case code": lambda r: r["findings"][located].__setitem__("code", "vg123"),
        "a finding without a message": lambda r: r["findings"][located].pop("message"),
        "a location without a file": lambda r: r["findings"][located]["location"].pop("file"),
        "line 0": lambda r: r["findings"][located]["location"].__setitem__("line", 0),
        "empty evidence": lambda r: r["findings"][located].__setitem__("evidence", {}),
        "a negative duration": lambda r: r.__setitem__("duration_ms", -1),
        "a string duration": lambda r: r.__setitem__("duration_ms", "1 ms"),
        "a missing blueprint.system": lambda r: r["blueprint"].pop("system"),
        "exit code 7": lambda r: r.__setitem__("exit_code", 7),
        "a metric without a value": lambda r: r["levels"][0]["checks"][0].__setitem__(
            "metrics", [{"name": "p95", "unit": "ms"}]),
        "empty metrics": lambda r: r["levels"][0]["checks"][0].__setitem__("metrics", []),
    }
    for what, mutate in mutations.items():
        check(not validator.is_valid(broken(mutate)), "the schema accepts %s" % what)

    # ... and accepts what it should: a plugin's own code, a null system name.
    accepted = {
        "a plugin code": lambda r: r["findings"][located].update(code="PGCHECK_42", rule="pg-check-42"),
        "a null system": lambda r: r["blueprint"].__setitem__("system", None),
        "metrics on a check": lambda r: r["levels"][0]["checks"][0].__setitem__(
            "metrics", [{"name": "p95", "value": 1.5, "unit": "ms"}, {"name": "rows", "value": 3}]),
    }
    for what, mutate in accepted.items():
        r = broken(mutate)
        errors = [e.message for e in validator.iter_errors(r)]
        check(not errors, "the schema rejects %s: %s" % (what, errors[:2]))

print("report_schema: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
