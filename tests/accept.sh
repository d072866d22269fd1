#!/usr/bin/env bash
# accept.sh — accepted findings and what fails a run: `vigil baseline` + --baseline ("N
# known, M new"), inline x-vigil-ignore (reason required, shown in every report), and
# --fail-on warning; bad baselines and bad suppressions fail closed with VG641 / VG640.
#
#   bash tests/accept.sh <vigil-binary> <source-dir>
set -u

VIGIL=${1:?usage: accept.sh <vigil-binary> <source-dir>}
SRC=${2:?usage: accept.sh <vigil-binary> <source-dir>}
VIGIL=$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")
SRC=$(cd "$SRC" && pwd)
PYTHON=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)') || { echo "FAIL: python3 is needed" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-accept.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/.git"
cd "$TMP" || exit 1

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# v ARGS...: vigil, exit code in $rc, stdout in out, stderr in err.
v() {
	"$VIGIL" "$@" >out 2>err
	rc=$?
}
expect_rc() { [ "$rc" -eq "$1" ] && ok || fail "$2: exit $rc, want $1 ($(head -c 300 err))"; }
# jcheck FILE EXPR WHAT: a Python expression over the JSON report `r`.
jcheck() {
	"$PYTHON" - "$1" "$2" <<'EOF' 2>py_err && ok || fail "$3: $(cat py_err)"
import json, sys
r = json.load(open(sys.argv[1]))
codes = [f["code"] for f in r["findings"]]
if not eval(sys.argv[2]):
    sys.exit("false: %s (findings %s, summary %s)" % (sys.argv[2], codes, r["summary"]))
EOF
}

# A blueprint with a warning (VG405, an unused table) and, with --keep-going, errors (VG111).
cp "$SRC/blueprints/rules/VG405_fail.yaml" warn.yaml
cp "$SRC/blueprints/invalid/017_fk_missing_references.yaml" err.yaml

# ------------------------------------------------------------ --fail-on
v validate warn.yaml --offline
expect_rc 0 "a warning alone passes"
v validate warn.yaml --offline --fail-on warning --format json
expect_rc 1 "--fail-on warning: a warning fails"
jcheck out "r['verdict'] == 'fail' and r['summary']['fail_on'] == 'warning' and r['levels'][3]['status'] == 'failed'" "--fail-on warning in the JSON"
v validate warn.yaml --offline --fail-on error
expect_rc 0 "--fail-on error is the default"
v validate warn.yaml --offline --fail-on info
expect_rc 2 "--fail-on info is a usage error"

# ------------------------------------------------------------ baseline: record, then known
v baseline err.yaml --keep-going --offline -o base.json
expect_rc 0 "vigil baseline"
[ ! -s out ] && ok || fail "vigil baseline printed a report: $(head -c 200 out)"
"$PYTHON" - base.json <<'EOF' && ok || fail "the baseline file's shape"
import json, sys, re
b = json.load(open(sys.argv[1]))
assert b["vigil_baseline"] == 1 and b["findings"], b
assert all(re.fullmatch("[0-9a-f]{32}", f["fingerprint"]) and f["code"].startswith("VG") for f in b["findings"]), b
EOF
v validate err.yaml --keep-going --offline --baseline base.json --format json
expect_rc 0 "every finding known: the run passes"
jcheck out "r['verdict'] == 'pass' and r['summary']['errors'] == 0 and r['summary']['baseline']['known'] == len(r['findings']) and r['summary']['baseline']['new'] == 0 and all(f.get('known') for f in r['findings'])" "known findings in the JSON"
v validate err.yaml --keep-going --offline --baseline base.json
grep -q "baseline: [1-9][0-9]* known, 0 new" out && ok || fail "the text report says N known, M new: $(tail -1 out)"
grep -q "accepted: known from the baseline" out && ok || fail "the text report marks known findings"
# Levels after a level whose errors are all known run (the gate follows what counts).
v validate err.yaml --offline --baseline base.json --format json
jcheck out "r['levels'][0]['status'] == 'passed' and r['levels'][1]['status'] != 'skipped'" "the next levels run when level 1's errors are known"
# A new finding: lines added above move the old ones (still known), a new unknown key is new.
{ printf '# two\n# lines\n'; sed 's/^system:$/system:\n  colour: red/' err.yaml; } >err2.yaml
mv err2.yaml err.yaml
v validate err.yaml --keep-going --offline --baseline base.json --format json
expect_rc 0 "a new warning alone still passes"
jcheck out "r['summary']['baseline']['new'] == 1 and [f['code'] for f in r['findings'] if not f.get('known')] == ['VG117']" "one new finding among the known"
v validate err.yaml --keep-going --offline --baseline base.json --fail-on warning
expect_rc 1 "the new warning fails with --fail-on warning"
for fmt in sarif markdown junit github gitlab; do
	"$VIGIL" validate err.yaml --keep-going --offline --baseline base.json -q --report "$fmt=r.$fmt"
done
"$PYTHON" - <<'EOF' && ok || fail "known/new in the CI formats"
import json
s = json.load(open("r.sarif"))["runs"][0]["results"]
states = sorted(r["baselineState"] for r in s)
assert states.count("new") == 1 and set(states) == {"new", "unchanged"}, states
assert "1 new" in open("r.markdown").read()
gh = open("r.github").read().splitlines()
assert len(gh) == 1 and "VG117" in gh[0], gh          # only what is new asks for action
gl = json.load(open("r.gitlab"))
assert [i["check_name"].split()[0] for i in gl] == ["VG117"], gl
assert "[known]" in open("r.junit").read()
EOF

# Bad baselines: fail closed, a VG641 naming the file (and the place when it is JSON's fault).
printf '{"vigil_baseline": 1, "findings": [' >broken.json
v validate warn.yaml --offline --baseline broken.json --format json
expect_rc 1 "a truncated baseline fails the run"
jcheck out "any(f['code'] == 'VG641' and f['location']['file'] == 'broken.json' and f['location']['line'] == 1 for f in r['findings']) and r['verdict'] == 'fail'" "VG641 at the truncated baseline"
printf '{"findings": []}\n' >notone.json
v validate warn.yaml --offline --baseline notone.json --format json
expect_rc 1 "a JSON file that is no baseline fails the run"
jcheck out "'VG641' in codes" "VG641 for a file without vigil_baseline"
printf '{"vigil_baseline": 1, "findings": [{"fingerprint": "xyz"}]}\n' >badprint.json
v validate warn.yaml --offline --baseline badprint.json --format json
jcheck out "'VG641' in codes and 'fingerprint' in [f for f in r['findings'] if f['code'] == 'VG641'][0]['message']" "VG641 for a bad fingerprint"
v validate warn.yaml --offline --baseline missing.json --format json
expect_rc 1 "a missing baseline fails the run"
jcheck out "'VG641' in codes" "VG641 for a missing baseline"
v baseline err.yaml --offline
expect_rc 2 "vigil baseline without -o"
v baseline err.yaml --offline -o - 
expect_rc 2 "vigil baseline to standard output"
v baseline "$TMP/no/such.yaml" -o nb.json
expect_rc 2 "vigil baseline of an unreadable blueprint"
[ -e nb.json ] && fail "a baseline was written for an unreadable blueprint" || ok

# ------------------------------------------------------------ x-vigil-ignore
sed 's/^          - name: legacy_items .*/          - name: legacy_items\n            x-vigil-ignore:\n              - {code: VG405, reason: "read by the nightly export job"}/' warn.yaml >sup.yaml
v validate sup.yaml --offline --fail-on warning --format json
expect_rc 0 "a suppressed warning does not fail --fail-on warning"
jcheck out "r['summary']['suppressed'] == 1 and r['summary']['warnings'] == 0 and [f['suppressed']['reason'] for f in r['findings']] == ['read by the nightly export job']" "the suppression and its reason in the JSON"
v validate sup.yaml --offline
grep -q "suppressed: read by the nightly export job" out && ok || fail "the text report shows the reason"
"$VIGIL" validate sup.yaml --offline -q --report sarif=s.sarif --report markdown=s.md --report github=s.gh
"$PYTHON" - <<'EOF' && ok || fail "the suppression in SARIF / Markdown / GitHub"
import json
r = json.load(open("s.sarif"))["runs"][0]["results"]
assert r[0]["suppressions"] == [{"kind": "inSource", "justification": "read by the nightly export job"}], r[0]
assert "read by the nightly export job" in open("s.md").read()
assert open("s.gh").read() == ""
EOF
# Only inside its mapping, only its code: the same code elsewhere still counts.
sed 's/^          - name: items$/          - name: items\n            x-vigil-ignore: [{code: VG405, reason: "not this table"}]/' warn.yaml >elsewhere.yaml
v validate elsewhere.yaml --offline --format json
jcheck out "r['summary']['warnings'] == 1 and 'suppressed' not in r['summary']" "a suppression on another table does not reach this one"
sed 's/^          - name: legacy_items .*/          - name: legacy_items\n            x-vigil-ignore: [{code: VG404, reason: "another code"}]/' warn.yaml >othercode.yaml
v validate othercode.yaml --offline --format json
jcheck out "r['summary']['warnings'] == 1" "a suppression of another code does not apply"
# Without a reason (or a code, or as a mapping): VG640, and the run fails.
for bad in '[{code: VG405}]' '[{reason: "no code"}]' '{code: VG405, reason: x}' '[{code: VG405, reason: ""}]' '[VG405]'; do
	sed "s/^          - name: legacy_items .*/          - name: legacy_items\n            x-vigil-ignore: $bad/" warn.yaml >bad.yaml
	v validate bad.yaml --offline --keep-going --format json
	expect_rc 1 "x-vigil-ignore: $bad"
	jcheck out "any(f['code'] == 'VG640' and f['location']['line'] == 28 for f in r['findings']) and r['summary']['warnings'] == 1" "VG640 for x-vigil-ignore: $bad"
done

echo "accept: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
