#!/usr/bin/env bash
# reports.sh — the CI report formats and --report, read back by their real consumers:
# SARIF by Microsoft's SARIF multitool (and SARIF's JSON Schema), JUnit XML by junitparser
# and xmllint, GitHub workflow commands decoded as the runner does, GitLab Code Quality and
# Markdown checked field by field against the JSON report of the same run.
#
#   bash tests/reports.sh <vigil-binary> <source-dir>
#
# Needs what .ci/setup installs: the multitool (npm @microsoft/sarif-multitool, in
# /opt/vigil-tools or $VIGIL_SARIF_MULTITOOL), python3-junitparser, python3-jsonschema,
# libxml2-utils. A missing one FAILS the test; nothing is skipped.
set -u

VIGIL=${1:?usage: reports.sh <vigil-binary> <source-dir>}
SRC=${2:?usage: reports.sh <vigil-binary> <source-dir>}
VIGIL=$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")
SRC=$(cd "$SRC" && pwd)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-reports.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
finish() {
	echo "reports: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

# ------------------------------------------------------------ the consumers must be there
MULTITOOL=
for candidate in ${VIGIL_SARIF_MULTITOOL:-} /opt/vigil-tools/node_modules/.bin/sarif-multitool \
	"$(command -v sarif-multitool 2>/dev/null)"; do
	if [ -n "$candidate" ] && [ -x "$candidate" ]; then
		MULTITOOL=$candidate
		break
	fi
done
[ -n "$MULTITOOL" ] || { fail "the SARIF multitool is missing: run .ci/setup (npm @microsoft/sarif-multitool into /opt/vigil-tools)"; finish; }
SARIF_SCHEMA=$(find "$(dirname "$(readlink -f "$MULTITOOL")")/.." /opt/vigil-tools/node_modules -name 'sarif-2.1.0.json' 2>/dev/null | head -1)
[ -n "$SARIF_SCHEMA" ] || { fail "the multitool's sarif-2.1.0.json schema is missing"; finish; }
PYTHON=
for candidate in ${PYTHON_JUNIT:-} python3 /usr/bin/python3; do
	if "$candidate" -c 'import junitparser, jsonschema' >/dev/null 2>&1; then
		PYTHON=$candidate
		break
	fi
done
[ -n "$PYTHON" ] || { fail "python3-junitparser and python3-jsonschema are needed (apt-get install python3-junitparser python3-jsonschema)"; finish; }
command -v xmllint >/dev/null || { fail "xmllint is missing (apt-get install libxml2-utils)"; finish; }

# ------------------------------------------------------------ a project to run in
# A repository root (.git) with the blueprints under it, so report paths are relative; one
# folder name holds ',' and ':' (GitHub property escaping) and one file a space.
ROOT="$TMP/repo"
mkdir -p "$ROOT/.git" "$ROOT/bp/odd,dir:x" "$ROOT/db"
cp "$SRC/blueprints/invalid/017_fk_missing_references.yaml" "$ROOT/bp/fk.yaml"
cp "$SRC/blueprints/heal/several.yaml" "$ROOT/bp/several.yaml"
# A key with markup and control characters: it reaches every report through VG117's message.
printf 'schema_version: "1.0.0"\nsystem:\n  name: odd\n  components: []\n  "we<i>rd|*_`&\\"%%0A key\\u0007": 1\n' >"$ROOT/bp/odd,dir:x/odd file.yaml"
sed 's/duration_ms: [0-9]*/duration_ms: 100/' "$SRC/blueprints/examples/tasks_sqlite.yaml" >"$ROOT/db/tasks.yaml"
: >"$ROOT/db/tasks.db" # an empty database: every table missing, each with a SQL proposal

# run NAME ARGS...: vigil validate in the repository, every format into $TMP/NAME.*
n_runs=0
run() {
	local name=$1
	shift
	(cd "$ROOT" && "$VIGIL" validate "$@" --report json="$TMP/$name.json" --report sarif="$TMP/$name.sarif" \
		--report junit="$TMP/$name.xml" --report github="$TMP/$name.github" \
		--report gitlab="$TMP/$name.gitlab.json" --report markdown="$TMP/$name.md" \
		>"$TMP/$name.stdout" 2>"$TMP/$name.stderr")
	echo $? >"$TMP/$name.rc"
	n_runs=$((n_runs + 1))
	echo "$name" >>"$TMP/runs"
}
: >"$TMP/runs"
run fk bp/fk.yaml --keep-going --offline
run odd "bp/odd,dir:x/odd file.yaml" --keep-going --offline
run drift db/tasks.yaml --keep-going
run heal bp/several.yaml --offline --heal=plan --heal-dir "$TMP"
run clean "$SRC/blueprints/examples/tasks_sqlite.yaml" --offline
for name in $(cat "$TMP/runs"); do
	[ -s "$TMP/$name.stderr" ] && fail "$name: stderr: $(head -c 300 "$TMP/$name.stderr")"
	grep -qE '^(PASS|FAIL|ERROR): ' "$TMP/$name.stdout" && ok || fail "$name: the text report is not on standard output beside --report"
done

# ------------------------------------------------------------ SARIF: the multitool, no error
sarifs=()
for name in $(cat "$TMP/runs"); do sarifs+=("$TMP/$name.sarif"); done
if "$MULTITOOL" validate "${sarifs[@]}" -o "$TMP/validation.sarif" >"$TMP/multitool.log" 2>&1; then ok; else fail "sarif-multitool failed: $(tail -5 "$TMP/multitool.log")"; fi
# Its own verdict is a SARIF log: no result of level error (warnings name advice only).
"$PYTHON" - "$TMP/validation.sarif" <<'EOF' && ok || fail "sarif-multitool reports errors (log: $TMP/multitool.log)"
import json, sys
log = json.load(open(sys.argv[1]))
errors = [r for run in log["runs"] for r in run.get("results", []) if r.get("level", "warning") == "error"]
for r in errors[:10]:
    print("  multitool:", r["ruleId"], r.get("message"), file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
# ... and it is no rubber stamp: a log without the tool's name is an error to it.
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[]}]}\n' >"$TMP/broken.sarif"
"$MULTITOOL" validate "$TMP/broken.sarif" -o "$TMP/broken.validation.sarif" >/dev/null 2>&1
"$PYTHON" -c '
import json, sys
log = json.load(open(sys.argv[1]))
sys.exit(0 if any(r.get("level") == "error" for run in log["runs"] for r in run.get("results", [])) else 1)
' "$TMP/broken.validation.sarif" && ok || fail "sarif-multitool accepted a log whose driver has no name"

# ------------------------------------------------------------ everything else, in Python
"$PYTHON" - "$TMP" "$ROOT" "$SARIF_SCHEMA" "$VIGIL" <<'EOF'
import copy, datetime, json, os, re, subprocess, sys
import jsonschema
from junitparser import JUnitXml, Failure, Error, Skipped

tmp, root, sarif_schema_path, vigil = sys.argv[1:5]
passed = failed = 0
def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, file=sys.stderr)

runs = open(os.path.join(tmp, "runs")).read().split()
def load(name, ext):
    return open(os.path.join(tmp, name + ext), encoding="utf-8").read()

codes = subprocess.run([vigil, "codes"], capture_output=True, text=True).stdout.splitlines()[1:]
code_count = len(codes)
sarif_schema = json.load(open(sarif_schema_path))
sarif_validator = jsonschema.Draft202012Validator(sarif_schema)

for name in runs:
    report = json.loads(load(name, ".json"))
    rc = int(load(name, ".rc"))
    check(report["exit_code"] == rc, "%s: exit code %d, JSON says %d" % (name, rc, report["exit_code"]))
    findings = report["findings"]

    # ---- SARIF
    sarif = json.loads(load(name, ".sarif"))
    errors = list(sarif_validator.iter_errors(sarif))
    check(not errors, "%s.sarif against SARIF's schema: %s" % (name, [e.message for e in errors[:3]]))
    check(sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1, "%s.sarif: one 2.1.0 run" % name)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    check(len(rules) >= code_count, "%s.sarif: %d rules, the code table has %d" % (name, len(rules), code_count))
    for rule in rules[:code_count]:
        check(all(k in rule for k in ("id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration")),
              "%s.sarif: rule %s lacks a part" % (name, rule.get("id")))
    results = run["results"]
    check(len(results) == len(findings), "%s.sarif: %d results for %d findings" % (name, len(results), len(findings)))
    prints = [r["partialFingerprints"]["vigilFinding/v1"] for r in results]
    check(len(set(prints)) == len(prints), "%s.sarif: fingerprints repeat" % name)
    for r, f in zip(results, findings):
        check(rules[r["ruleIndex"]]["id"] == r["ruleId"] == f["code"], "%s.sarif: ruleIndex/ruleId of %s" % (name, f["code"]))
        check(r["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]],
              "%s.sarif: level of %s" % (name, f["code"]))
        loc = r["locations"][0]
        if "location" in f:
            phys = loc["physicalLocation"]
            uri = phys["artifactLocation"]["uri"]
            path = f["location"]["file"]
            inside = os.path.realpath(path if os.path.isabs(path) else os.path.join(root, path)).startswith(root + "/")
            if inside:
                check(phys["artifactLocation"].get("uriBaseId") == "%SRCROOT%" and not uri.startswith("/")
                      and "://" not in uri, "%s.sarif: uri %s is not relative to the root" % (name, uri))
            else:
                check(uri.startswith("file:///"), "%s.sarif: a file outside the root is not a file:// URI: %s" % (name, uri))
            if f["location"].get("line"):
                check(phys["region"]["startLine"] == f["location"]["line"], "%s.sarif: line of %s" % (name, f["code"]))
        if "database" in f:
            ll = loc["logicalLocations"][0]
            fqn = ll["fullyQualifiedName"]
            check(fqn.startswith(f["database"]) and (f.get("object") is None or fqn.endswith(f["object"])),
                  "%s.sarif: logical location %s for %s/%s" % (name, fqn, f["database"], f.get("object")))
            check(run["logicalLocations"][ll["index"]]["fullyQualifiedName"] == fqn, "%s.sarif: logical index" % name)
        if "proposal" in f:
            rel = r.get("relatedLocations", [])
            check(rel and f["proposal"]["sql"] in rel[0]["message"]["text"], "%s.sarif: the SQL proposal of %s" % (name, f["code"]))
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    check(base == "file://" + root + "/", "%s.sarif: %%SRCROOT%% is %s, not the repository root" % (name, base))
    check(run["invocations"][0]["exitCode"] == rc, "%s.sarif: invocation exit code" % name)

    # ---- JUnit
    check(subprocess.run(["xmllint", "--noout", os.path.join(tmp, name + ".xml")]).returncode == 0,
          "%s.xml is not well-formed XML" % name)
    xml = JUnitXml.fromfile(os.path.join(tmp, name + ".xml"))
    suites = list(xml)
    check([s.name.split()[1] for s in suites] == ["1", "2", "3", "4"], "%s.xml: a testsuite per level: %s" % (name, [s.name for s in suites]))
    totals = [0, 0, 0, 0]
    failure_text = ""
    for suite, level in zip(suites, report["levels"]):
        cases = list(suite)
        kinds = [[type(x) for x in c.result] for c in cases]
        count = [len(cases), sum(Failure in k for k in kinds), sum(Error in k for k in kinds), sum(Skipped in k for k in kinds)]
        check([suite.tests, suite.failures, suite.errors, suite.skipped] == count,
              "%s.xml: %s counts %s, its testcases %s" % (name, suite.name, [suite.tests, suite.failures, suite.errors, suite.skipped], count))
        totals = [a + b for a, b in zip(totals, count)]
        check(isinstance(suite.time, float) and suite.time >= 0, "%s.xml: %s time" % (name, suite.name))
        datetime.datetime.fromisoformat(suite.timestamp)
        names = [c.name for c in cases]
        if level["checks"]:
            want = [ch["name"] + (" [%s]" % ch["database"] if "database" in ch else "") for ch in level["checks"]]
            check(names[:len(want)] == want, "%s.xml: %s testcases %s, checks %s" % (name, suite.name, names, want))
            for c, ch in zip(cases, level["checks"]):
                kind = {"passed": None, "failed": Failure, "error": Error, "skipped": Skipped}[ch["status"]]
                got = type(c.result[0]) if c.result else None
                check(got is kind, "%s.xml: %s is %s, the check %s" % (name, c.name, got, ch["status"]))
                check(abs(c.time - ch["duration_ms"] / 1000.0) < 0.0015, "%s.xml: %s time in seconds" % (name, c.name))
                for x in c.result:
                    failure_text += (x.text or "") + (x.message or "")
        elif level["status"] == "skipped":
            check(len(cases) == 1 and kinds[0] == [Skipped], "%s.xml: skipped %s is one skipped testcase" % (name, suite.name))
    check([xml.tests, xml.failures, xml.errors, xml.skipped] == totals, "%s.xml: testsuites totals" % name)
    for f in findings:
        if f["severity"] == "error":
            check(f["message"].split("\n")[0] in failure_text, "%s.xml: error %s is in no failure" % (name, f["code"]))

    # ---- GitHub workflow commands, decoded as the runner does
    lines = load(name, ".github").splitlines()
    check(len(lines) == len(findings), "%s.github: %d commands for %d findings" % (name, len(lines), len(findings)))
    unescape = lambda s: s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    for line, f in zip(lines, findings):
        m = re.match(r"^::(error|warning|notice) ?([^:]*)::(.*)$", line)
        check(m is not None, "%s.github: not a workflow command: %r" % (name, line[:120]))
        if not m:
            continue
        check(m.group(1) == {"error": "error", "warning": "warning", "info": "notice"}[f["severity"]], "%s.github: command of %s" % (name, f["code"]))
        props = dict(p.split("=", 1) for p in m.group(2).split(",")) if m.group(2) else {}
        props = {k: unescape(v) for k, v in props.items()}
        check(props.get("title", "").startswith(f["code"]), "%s.github: title of %s" % (name, f["code"]))
        if "location" in f and not os.path.isabs(f["location"]["file"]):
            check(props.get("file") == os.path.relpath(os.path.realpath(os.path.join(root, f["location"]["file"])), root),
                  "%s.github: file=%s for %s" % (name, props.get("file"), f["location"]["file"]))
            check(props.get("line") == (str(f["location"]["line"]) if "line" in f["location"] else None),
                  "%s.github: line of %s" % (name, f["code"]))
        message = unescape(m.group(3))
        check(message.startswith(f["message"]) or "\ufffd" in message, "%s.github: message of %s: %r" % (name, f["code"], message[:80]))
        check("\x07" not in line and "\r" not in line, "%s.github: a control character got through" % name)

    # ---- GitLab Code Quality
    issues = json.loads(load(name, ".gitlab.json"))
    check(isinstance(issues, list) and len(issues) == len(findings), "%s.gitlab.json: an issue per finding" % name)
    for issue, r in zip(issues, results):
        check(all(k in issue for k in ("description", "check_name", "fingerprint", "severity", "location")) and
              isinstance(issue["location"]["path"], str) and issue["location"]["lines"]["begin"] >= 1,
              "%s.gitlab.json: an issue lacks a field: %s" % (name, issue))
        check(issue["severity"] in ("info", "minor", "major", "critical", "blocker"), "%s.gitlab.json: severity" % name)
        check(issue["fingerprint"] == r["partialFingerprints"]["vigilFinding/v1"], "%s.gitlab.json: fingerprint differs from SARIF's" % name)

    # ---- Markdown
    md = load(name, ".md")
    check(md.startswith("## vigil: " + ("PASS" if report["verdict"] == "pass" else "")), "%s.md: verdict heading" % name)
    table = [l for l in md.splitlines() if re.match(r"^\| [1-4] ", l)]
    check(len(table) == 4 and all(len(re.findall(r"(?<!\\)\|", l)) == 8 for l in table), "%s.md: the levels table: %s" % (name, table))
    for l in md.splitlines():
        if l.startswith("| `"):
            check(len(re.findall(r"(?<!\\)\|", l)) == 6, "%s.md: a check row's cells are broken: %s" % (name, l))
    for f in findings:
        check("**%s**" % f["code"] in md, "%s.md: %s missing" % (name, f["code"]))
        if "proposal" in f:
            check("```sql" in md and f["proposal"]["sql"].splitlines()[0] in md, "%s.md: the proposal of %s" % (name, f["code"]))
    if any("proposal" in f for f in findings):
        check("<details>" in md, "%s.md: long proposals are not collapsed" % name)

# The odd key cannot become markup anywhere.
md = load("odd", ".md")
check("we&lt;i&gt;rd\\|\\*\\_" in md, "odd.md: markup in a key is not escaped: %s" % [l for l in md.splitlines() if "rd" in l][:2])
check("<i>" not in md, "odd.md: an HTML tag got through")
xml = load("odd", ".xml")
check("we&lt;i&gt;rd|*_`&amp;" in xml and "\x07" not in xml, "odd.xml: the key is not escaped")
github = load("odd", ".github")
check("file=bp/odd%2Cdir%3Ax/odd file.yaml" in github, "odd.github: ',' and ':' in the file property: %s" % github[:200])
check("%250A" in github, "odd.github: '%%' in the message is not escaped: %s" % github[:300])

# Fixes: blueprint healing's edits as SARIF fixes, at the finding's place.
heal = json.loads(load("heal", ".sarif"))["runs"][0]["results"]
fixes = [r for r in heal if r.get("fixes")]
check(len(fixes) >= 2, "heal.sarif: %d results carry fixes" % len(fixes))
for r in fixes:
    region = r["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    check(region["startLine"] == r["locations"][0]["physicalLocation"]["region"]["startLine"], "heal.sarif: a fix elsewhere than its finding")

# Drift: the database findings carry logical locations and SQL.
drift = json.loads(load("drift", ".sarif"))["runs"][0]
kinds = {l["kind"] for l in drift.get("logicalLocations", [])}
check({"database", "table"} <= kinds, "drift.sarif: logical location kinds %s" % kinds)
check(any("relatedLocations" in r for r in drift["results"]), "drift.sarif: no SQL proposal")
check(json.loads(load("clean", ".json"))["verdict"] == "pass", "clean: the example does not pass offline")

print("reports (python): %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
[ $? -eq 0 ] && ok || fail "the reports read back wrong (above)"

# ------------------------------------------------------------ fingerprints: stable across runs and moved lines
(cd "$ROOT" && "$VIGIL" validate bp/fk.yaml --keep-going --offline -q --report sarif="$TMP/again.sarif")
# The same file with three comment lines on top: every line moves, no finding changes.
{ printf '# moved\n# down\n# three lines\n'; cat "$ROOT/bp/fk.yaml"; } >"$TMP/fk.tmp" && mv "$TMP/fk.tmp" "$ROOT/bp/fk.yaml"
(cd "$ROOT" && "$VIGIL" validate bp/fk.yaml --keep-going --offline -q --report sarif="$TMP/moved.sarif")
"$PYTHON" - "$TMP/fk.sarif" "$TMP/again.sarif" "$TMP/moved.sarif" <<'EOF' && ok || fail "fingerprints are not stable (above)"
import json, sys
def prints(path):
    run = json.load(open(path))["runs"][0]
    return [(r["ruleId"], r["partialFingerprints"]["vigilFinding/v1"], r["locations"][0].get("physicalLocation", {}).get("region", {}).get("startLine")) for r in run["results"]]
a, b, c = map(prints, sys.argv[1:4])
same = a and [p[:2] for p in a] == [p[:2] for p in b] == [p[:2] for p in c]
moved = all(x[2] is None or y[2] == x[2] + 3 for x, y in zip(a, c))
if not same or not moved:
    print("FAIL: fingerprints %s / %s / %s" % (a, b, c), file=sys.stderr)
sys.exit(0 if same and moved else 1)
EOF

# ------------------------------------------------------------ --report, --quiet, stdout, files whole or absent
cd "$ROOT" || exit 1
"$VIGIL" validate bp/fk.yaml --offline -q --report json=- >"$TMP/q.out" 2>"$TMP/q.err"
"$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/q.out" && ok || fail "--report json=- with -q: stdout is not the JSON alone"
"$VIGIL" validate bp/fk.yaml --offline --report json=- >"$TMP/q.out" 2>&1
"$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/q.out" && ok || fail "--report json=-: the text report got in the way"
"$VIGIL" validate bp/fk.yaml --offline -q --report junit="$TMP/only.xml" >"$TMP/q.out" 2>&1
[ -s "$TMP/q.out" ] && fail "--quiet: stdout is not empty: $(head -c 200 "$TMP/q.out")" || ok
[ -s "$TMP/only.xml" ] && ok || fail "--quiet --report junit=FILE: no file"
# --format/--output as before: the named report, nothing else on stdout.
"$VIGIL" validate bp/fk.yaml --offline --format sarif --output "$TMP/legacy.sarif" >"$TMP/q.out" 2>&1
[ -s "$TMP/q.out" ] && fail "--format sarif --output: stdout not empty" || ok
"$PYTHON" -c 'import json,sys; assert json.load(open(sys.argv[1]))["version"] == "2.1.0"' "$TMP/legacy.sarif" && ok || fail "--format sarif --output FILE"
"$VIGIL" validate bp/fk.yaml --offline --format github >"$TMP/q.out" 2>&1
grep -q '^::error file=bp/fk.yaml,line=' "$TMP/q.out" && ok || fail "--format github on stdout: $(head -c 200 "$TMP/q.out")"
# An unwritable report: exit 4, named, no file and no temporary beside it; the others written.
mkdir -p "$TMP/out"
"$VIGIL" validate bp/fk.yaml --offline -q --report sarif=/nonexistent/x.sarif --report json="$TMP/out/r.json" 2>"$TMP/q.err"
rc=$?
[ "$rc" -eq 4 ] && ok || fail "an unwritable --report: exit $rc, want 4"
grep -q "/nonexistent/x.sarif" "$TMP/q.err" && ok || fail "an unwritable --report is not named: $(cat "$TMP/q.err")"
[ "$(ls -A "$TMP/out")" = "r.json" ] && ok || fail "beside an unwritable report: $(ls -A "$TMP/out")"
mkdir -p "$TMP/out/adir"
"$VIGIL" validate bp/fk.yaml --offline -q --report markdown="$TMP/out/adir" 2>/dev/null
rc=$?
[ "$rc" -eq 4 ] && [ -d "$TMP/out/adir" ] && [ "$(ls -A "$TMP/out")" = "$(printf 'adir\nr.json')" ] && ok ||
	fail "a folder as a --report file: exit $rc, left $(ls -A "$TMP/out" | tr '\n' ' ')"
# Usage errors: exit 2, one line, nothing written.
usage() { # usage WHAT ARGS...
	local what=$1
	shift
	"$VIGIL" validate bp/fk.yaml --offline "$@" >"$TMP/u.out" 2>"$TMP/u.err"
	local rc=$?
	if [ "$rc" -eq 2 ] && [ ! -s "$TMP/u.out" ] && [ "$(wc -l <"$TMP/u.err")" -eq 1 ] && grep -q "vigil --help" "$TMP/u.err"; then ok; else
		fail "$what: exit $rc, stdout $(head -c 100 "$TMP/u.out"), stderr $(cat "$TMP/u.err")"; fi
}
usage "--report without '='" --report sarif
usage "--report with an empty file" --report sarif=
usage "--report of an unknown format" --report xml="$TMP/x.xml"
grep -q "'xml'" "$TMP/u.err" && ok || fail "the unknown format is not named: $(cat "$TMP/u.err")"
usage "two reports on stdout" --report json=- --report sarif=-
usage "--format and a report on stdout" --format json --report sarif=-
usage "one file twice" --report json="$TMP/same" --report sarif="$TMP/same"
usage "--output and --report on one file" --output "$TMP/same" --report sarif="$TMP/same"
[ -e "$TMP/same" ] && fail "a usage error wrote a report" || ok

# GITHUB_STEP_SUMMARY: the Markdown report appended, once per run.
printf '# earlier step\n' >"$TMP/summary.md"
GITHUB_STEP_SUMMARY="$TMP/summary.md" "$VIGIL" validate bp/fk.yaml --offline -q --report github="$TMP/gh.txt"
GITHUB_STEP_SUMMARY="$TMP/summary.md" "$VIGIL" validate bp/fk.yaml --offline -q --report github="$TMP/gh.txt"
[ "$(head -1 "$TMP/summary.md")" = "# earlier step" ] && [ "$(grep -c '^## vigil: FAIL' "$TMP/summary.md")" -eq 2 ] && ok ||
	fail "GITHUB_STEP_SUMMARY: $(head -c 300 "$TMP/summary.md")"
GITHUB_STEP_SUMMARY="$TMP/summary2.md" "$VIGIL" validate bp/fk.yaml --offline -q --report junit="$TMP/j.xml"
[ -e "$TMP/summary2.md" ] && fail "GITHUB_STEP_SUMMARY written without a github report" || ok
GITHUB_STEP_SUMMARY=/nonexistent/summary.md "$VIGIL" validate bp/fk.yaml --offline -q --report github="$TMP/gh.txt" 2>"$TMP/q.err"
rc=$?
[ "$rc" -eq 4 ] && grep -q GITHUB_STEP_SUMMARY "$TMP/q.err" && ok || fail "an unwritable GITHUB_STEP_SUMMARY: exit $rc, $(cat "$TMP/q.err")"

finish
