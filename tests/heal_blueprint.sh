#!/usr/bin/env bash
# heal_blueprint.sh VIGIL SOURCE_DIR — blueprint healing (levels 1–2) through `vigil validate
# --heal=plan|apply`, end to end, offline (--offline: no database is contacted, no server).
#
# On each fixture X.yaml of blueprints/heal/ that has an expected X.healed.yaml:
#   plan:  writes X.healed.yaml (equal to the fixture's) and X.healed.diff into --heal-dir; the
#          input is byte-identical afterwards (sha256); `patch -p1` of the diff on a copy of
#          the input reproduces the healed file; the run's verdict is the input's;
#   apply: the same files, then the run goes on with the healed text: exit 0 (the healed
#          blueprints pass offline), the report says applied and converged, per level.
# Also: a partial heal (a healable and an unhealable error) applies but does not converge
# and its findings point into the healed file; nothing to heal (clean, ambiguous): no files;
# --heal=off (and the default): no files, no record; a heal folder that does not exist: a
# clear error (exit 2); a healed file that would be the input (a link to it): refused.
set -uo pipefail

vigil=${1:?usage: heal_blueprint.sh <vigil> <source-dir>}
src=${2:?usage: heal_blueprint.sh <vigil> <source-dir>}
fixtures="$src/blueprints/heal"
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-heal-bp.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*" >&2
}
expect() { # expect WHAT COMMAND...: the command succeeds
	local what=$1
	shift
	if "$@"; then ok; else fail "$what"; fi
}

PYTHON=$(command -v python3 || true)
[ -n "$PYTHON" ] || { echo "FAIL: python3 is needed to read the JSON reports" >&2; exit 1; }
# json FILE EXPR: prints EXPR evaluated on the report (r); e.g. json f 'r["exit_code"]'.
json() { "$PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# files DIR: the names in DIR, one line, sorted.
files() { (cd "$1" && ls -A | sort | tr '\n' ' '); }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# run WORDS...: `vigil validate WORDS --offline --format json`; sets $rc, report in $work/r.json.
run() {
	"$vigil" validate "$@" --offline --format json >"$work/r.json" 2>"$work/err"
	rc=$?
}

# ---------------------------------------------------------------- plan and apply, per fixture
fixtures_done=0
for expected in "$fixtures"/*.healed.yaml; do
	name=$(basename "$expected" .healed.yaml)
	for mode in plan apply; do
		case_dir="$work/$name.$mode"
		mkdir -p "$case_dir/in" "$case_dir/out" "$case_dir/patched"
		input="$case_dir/in/$name.yaml"
		cp "$fixtures/$name.yaml" "$input"
		before=$(sha "$input")
		# the verdict of the input as written, without healing
		"$vigil" validate "$input" --offline >/dev/null 2>&1
		plain_rc=$?
		run "$input" --heal=$mode --heal-dir "$case_dir/out"
		what="$name --heal=$mode"
		expect "$what: the input changed" [ "$(sha "$input")" = "$before" ]
		expect "$what: the input's folder got files: $(files "$case_dir/in")" \
			[ "$(files "$case_dir/in")" = "$name.yaml " ]
		expect "$what: wrote $(files "$case_dir/out"), not the healed file and its diff" \
			[ "$(files "$case_dir/out")" = "$name.healed.diff $name.healed.yaml " ]
		expect "$what: the healed file differs from $expected" \
			cmp -s "$case_dir/out/$name.healed.yaml" "$expected"
		cp "$fixtures/$name.yaml" "$case_dir/patched/$name.yaml"
		expect "$what: patch -p1 rejects the diff" \
			sh -c 'cd "$1" && patch -p1 --quiet --no-backup-if-mismatch <"$2" >/dev/null' \
			_ "$case_dir/patched" "$case_dir/out/$name.healed.diff"
		expect "$what: the patched input differs from the healed file" \
			cmp -s "$case_dir/patched/$name.yaml" "$expected"
		record=$("$PYTHON" -c 'import json,sys; h=json.load(open(sys.argv[1]))["blueprint_healing"]; print(h["mode"], h["attempted"], h["applied"], h["converged"], h["files"]["healed"] == sys.argv[2] and h["files"]["diff"] == sys.argv[3], len(h["edits"]) > 0)' \
			"$work/r.json" "$case_dir/out/$name.healed.yaml" "$case_dir/out/$name.healed.diff" 2>&1)
		if [ "$mode" = plan ]; then
			expect "$what: record '$record'" [ "$record" = "plan True False True True True" ]
			expect "$what: exit $rc, but the input as written exits $plain_rc" [ "$rc" = "$plain_rc" ]
		else
			expect "$what: record '$record'" [ "$record" = "apply True True True True True" ]
			expect "$what: exit $rc, not 0 (the healed blueprint passes offline)" [ "$rc" = 0 ]
			levels=$(json "$work/r.json" '" ".join(l["status"] for l in r["levels"])')
			expect "$what: levels $levels" [ "$levels" = "passed passed passed passed" ]
			expect "$what: the report's blueprint path is not the input's" \
				[ "$(json "$work/r.json" 'r["blueprint"]["path"]')" = "$input" ]
			per_level=$(json "$work/r.json" '" ".join("%d:%s/%s/%s" % (l["level"], l["attempted"], l["applied"], l["converged"]) for l in r["blueprint_healing"]["levels"])')
			expect "$what: per level $per_level" [ "$per_level" = "1:True/True/True 2:False/False/False" ]
		fi
		fixtures_done=$((fixtures_done + 1))
	done
done
expect "only $fixtures_done fixture runs (expected at least 12)" [ "$fixtures_done" -ge 12 ]

# ---------------------------------------------------------------- the text report says so
mkdir -p "$work/text"
cp "$fixtures/several.yaml" "$work/text/several.yaml"
"$vigil" validate "$work/text/several.yaml" --offline --heal=apply --heal-dir "$work/text" \
	>"$work/text.out" 2>&1
rc=$?
expect "text apply: exit $rc" [ "$rc" = 0 ]
expect "text apply: no 'Blueprint healing (--heal=apply): attempted, applied, converged'" \
	grep -q 'Blueprint healing (--heal=apply): attempted, applied, converged' "$work/text.out"
expect "text apply: no per-level line for level 1" \
	grep -q 'level 1: attempted, applied, converged (failed -> passed when healed' "$work/text.out"
expect "text apply: no edit line with code and line:column" \
	grep -q "VG116 $work/text/several.yaml:12:13: type \`api_endpoint\` → \`APIEndpoint\`" "$work/text.out"
expect "text apply: the healed file is not named" \
	grep -q "healed   $work/text/several.healed.yaml" "$work/text.out"
expect "text apply: does not say the levels ran on the healed file" \
	grep -q "levels 1–4 ran on the healed blueprint $work/text/several.healed.yaml" "$work/text.out"

# ---------------------------------------------------------------- partial: applied, not converged
mkdir -p "$work/partial"
sed 's/^  name: note_service/  name: NoteService/' "$fixtures/type_casing.yaml" >"$work/partial/p.yaml"
run "$work/partial/p.yaml" --heal=apply --heal-dir "$work/partial"
expect "partial apply: exit $rc, not 1 (the naming error stays)" [ "$rc" = 1 ]
partial=$(json "$work/r.json" '(lambda h: "%s %s %d" % (h["applied"], h["converged"], len(h["edits"])))(r["blueprint_healing"])')
expect "partial apply: record '$partial'" [ "$partial" = "True False 2" ]
where=$(json "$work/r.json" '" ".join(sorted(set(f["code"] + "@" + f["location"]["file"] for f in r["findings"])))')
expect "partial apply: findings $where, not VG114 in the healed file" \
	[ "$where" = "VG114@$work/partial/p.healed.yaml" ]

# ---------------------------------------------------------------- nothing to heal: no files
for name in clean ambiguous unprovable; do
	for mode in plan apply; do
		mkdir -p "$work/none.$name.$mode"
		cp "$fixtures/$name.yaml" "$work/none.$name.$mode/$name.yaml"
		"$vigil" validate "$work/none.$name.$mode/$name.yaml" --offline >/dev/null 2>&1
		plain_rc=$?
		run "$work/none.$name.$mode/$name.yaml" --heal=$mode --heal-dir "$work/none.$name.$mode"
		expect "$name --heal=$mode: files $(files "$work/none.$name.$mode")" \
			[ "$(files "$work/none.$name.$mode")" = "$name.yaml " ]
		expect "$name --heal=$mode: exit $rc, not $plain_rc" [ "$rc" = "$plain_rc" ]
		has=$(json "$work/r.json" '"blueprint_healing" in r')
		if [ "$name" = clean ]; then
			expect "clean --heal=$mode: a blueprint_healing record" [ "$has" = False ]
		else
			state=$(json "$work/r.json" '(lambda h: "%s %s %s %d" % (h["attempted"], h["applied"], h["converged"], len(h["edits"])))(r["blueprint_healing"])')
			expect "$name --heal=$mode: record '$state'" [ "$state" = "True False False 0" ]
		fi
	done
done

# ---------------------------------------------------------------- --heal=off and the default
for heal in --heal=off ""; do
	mkdir -p "$work/off$heal"
	cp "$fixtures/several.yaml" "$work/off$heal/several.yaml"
	(cd "$work/off$heal" && "$vigil" validate several.yaml --offline $heal --format json >../off.json 2>/dev/null)
	rc=$?
	expect "several ${heal:-(no --heal)}: exit $rc" [ "$rc" = 1 ]
	expect "several ${heal:-(no --heal)}: files $(files "$work/off$heal")" \
		[ "$(files "$work/off$heal")" = "several.yaml " ]
	expect "several ${heal:-(no --heal)}: a blueprint_healing record" \
		[ "$(json "$work/off.json" '"blueprint_healing" in r')" = False ]
done

# ---------------------------------------------------------------- the default folder: the current one
mkdir -p "$work/cwd"
cp "$fixtures/several.yaml" "$work/cwd/several.yaml"
(cd "$work/cwd" && "$vigil" validate several.yaml --offline --heal=plan >/dev/null 2>&1)
expect "plan without --heal-dir: files $(files "$work/cwd")" \
	[ "$(files "$work/cwd")" = "several.healed.diff several.healed.yaml several.yaml " ]
expect "plan without --heal-dir: healed file differs" \
	cmp -s "$work/cwd/several.healed.yaml" "$fixtures/several.healed.yaml"

# ---------------------------------------------------------------- a heal folder that does not exist
mkdir -p "$work/nodir"
cp "$fixtures/several.yaml" "$work/nodir/several.yaml"
"$vigil" validate "$work/nodir/several.yaml" --offline --heal=plan --heal-dir "$work/nodir/missing" \
	>"$work/nodir.out" 2>"$work/nodir.err"
rc=$?
expect "missing --heal-dir: exit $rc, not 2" [ "$rc" = 2 ]
expect "missing --heal-dir: the message does not name the folder: $(cat "$work/nodir.err")" \
	grep -q "healing folder '$work/nodir/missing' is not an existing folder" "$work/nodir.err"
expect "missing --heal-dir: files $(files "$work/nodir")" [ "$(files "$work/nodir")" = "several.yaml " ]

# ---------------------------------------------------------------- never the input, even through a link
mkdir -p "$work/link/in" "$work/link/out"
cp "$fixtures/several.yaml" "$work/link/in/several.yaml"
ln -s "$work/link/in/several.yaml" "$work/link/out/several.healed.yaml"
before=$(sha "$work/link/in/several.yaml")
run "$work/link/in/several.yaml" --heal=apply --heal-dir "$work/link/out"
expect "link: the input changed" [ "$(sha "$work/link/in/several.yaml")" = "$before" ]
expect "link: exit $rc, not 1 (the input as written)" [ "$rc" = 1 ]
refused=$(json "$work/r.json" '(lambda h: "%s %s %s" % (h["applied"], h["converged"], "is the input blueprint itself" in h["message"]))(r["blueprint_healing"])')
expect "link: record '$refused'" [ "$refused" = "False False True" ]
expect "link: files $(files "$work/link/out")" [ "$(files "$work/link/out")" = "several.healed.yaml " ]

echo "heal_blueprint: $passed passed, $failed failed"
[ "$failed" = 0 ]
