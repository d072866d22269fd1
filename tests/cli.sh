#!/usr/bin/env bash
# cli.sh — the vigil command end to end: help, version, usage errors, exit codes, formats,
# --output, colour, --max-level, and docs/codes.md against `vigil codes --markdown`.
#
#   bash tests/cli.sh <vigil-binary> <source-dir>
set -u

VIGIL=${1:?usage: cli.sh <vigil-binary> <source-dir>}
SRC=${2:?usage: cli.sh <vigil-binary> <source-dir>}
EXAMPLES="$SRC/blueprints/examples"
SQLITE_EXAMPLE="$EXAMPLES/tasks_sqlite.yaml"
# The interpreter itself, not a launcher (a pyenv shim costs ~0.4 s a call).
PYTHON=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)') || { echo "FAIL: python3 is needed" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# run ARGS...: runs vigil, leaving its exit code in $rc and its output in $TMP/out, $TMP/err.
run() {
	"$VIGIL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

expect_rc() { # expect_rc WANT WHAT
	if [ "$rc" -eq "$1" ]; then ok; else fail "$2: exit $rc, want $1 (stderr: $(head -c 300 "$TMP/err"))"; fi
}

expect_grep() { # expect_grep FILE PATTERN WHAT   (fixed string)
	if grep -qF -- "$2" "$1"; then ok; else fail "$3: '$2' not in $(basename "$1"): $(head -c 300 "$1")"; fi
}

expect_no_grep() { # expect_no_grep FILE PATTERN WHAT
	if grep -qF -- "$2" "$1"; then fail "$3: '$2' unexpectedly in $(basename "$1")"; else ok; fi
}

expect_empty() { # expect_empty FILE WHAT
	if [ -s "$1" ]; then fail "$2: $(basename "$1") not empty: $(head -c 300 "$1")"; else ok; fi
}

has_escape() { grep -q $'\033' "$1"; }

# json_check FILE PYTHON-EXPR WHAT: the expression, over the parsed report `r`, must be true.
json_check() {
	if "$PYTHON" - "$1" "$2" <<'EOF' 2>"$TMP/py_err"; then ok; else fail "$3: $(cat "$TMP/py_err")"; fi
import json, sys
r = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    sys.exit("false: " + sys.argv[2])
EOF
}

REQUIRED_KEYS="['report_version','tool','blueprint','started_at','duration_ms','verdict','exit_code','summary','levels','findings']"

# --------------------------------------------------------------- help and version
for args in "--help" "-h" "help" "validate --help" "codes --help" "migrate --help"; do
	# shellcheck disable=SC2086
	run $args
	expect_rc 0 "vigil $args"
	expect_grep "$TMP/out" "Exit codes" "vigil $args documents exit codes"
	for code in 0 1 2 3 4; do
		if grep -qE "^ +$code  " "$TMP/out"; then ok; else fail "vigil $args: exit code $code not documented"; fi
	done
	expect_empty "$TMP/err" "vigil $args"
done
run --help
expect_grep "$TMP/out" "NO_COLOR" "--help mentions NO_COLOR"
expect_grep "$TMP/out" "--max-level" "--help mentions --max-level"
for command in validate migrate codes plugins; do
	if grep -qE "^  vigil $command " "$TMP/out"; then ok; else fail "--help lists the command $command"; fi
done
expect_grep "$TMP/out" "--dry-run" "--help mentions migrate's --dry-run"

run --version
expect_rc 0 "--version"
if grep -qE '^vigil [0-9]+\.[0-9]+\.[0-9]+' "$TMP/out"; then ok; else fail "--version prints 'vigil X.Y.Z': $(cat "$TMP/out")"; fi

# --------------------------------------------------------------- usage errors: exit 2, one line on stderr
usage_error() { # usage_error WHAT ARGS...: exit 2, stdout empty, one stderr line naming the way to help
	local what=$1
	shift
	run "$@"
	expect_rc 2 "$what"
	expect_empty "$TMP/out" "$what: stdout"
	expect_grep "$TMP/err" "vigil --help" "$what: points to --help"
	if [ "$(wc -l <"$TMP/err")" -eq 1 ]; then ok; else fail "$what: stderr is not one line: $(cat "$TMP/err")"; fi
}
usage_error "no arguments"
usage_error "unknown command" frobnicate
usage_error "unknown top-level option" --frobnicate
usage_error "unknown option" validate "$SQLITE_EXAMPLE" --frobnicate
expect_grep "$TMP/err" "--frobnicate" "unknown option is named"
usage_error "unknown short option" validate -Z "$SQLITE_EXAMPLE"
expect_grep "$TMP/err" "-Z" "unknown short option is named"
usage_error "missing blueprint" validate
usage_error "two blueprints" validate "$SQLITE_EXAMPLE" "$SQLITE_EXAMPLE"
for level in 0 5 x 2x -1 ""; do
	usage_error "--max-level '$level'" validate "$SQLITE_EXAMPLE" --max-level "$level"
done
usage_error "--max-level without a value" validate "$SQLITE_EXAMPLE" --max-level
usage_error "bad --format" validate "$SQLITE_EXAMPLE" --format xml
expect_grep "$TMP/err" "xml" "bad --format is named"
usage_error "bad --color" validate "$SQLITE_EXAMPLE" --color sometimes
usage_error "empty --output" validate "$SQLITE_EXAMPLE" --output ""
usage_error "unknown code" codes NOPE999
usage_error "migrate: missing blueprint" migrate
usage_error "migrate: unknown option" migrate "$SQLITE_EXAMPLE" --frobnicate
expect_grep "$TMP/err" "--frobnicate" "migrate: unknown option is named"
usage_error "migrate: --database without a value" migrate "$SQLITE_EXAMPLE" --database
usage_error "migrate: two blueprints" migrate "$SQLITE_EXAMPLE" "$SQLITE_EXAMPLE"
usage_error "migrate: unknown database" migrate "$SQLITE_EXAMPLE" --database nope --dry-run
expect_grep "$TMP/err" "'nope'" "migrate: the unknown database is named"

# --------------------------------------------------------------- a blueprint that cannot be read: exit 2, report still written
missing="$TMP/no/such/blueprint.yaml"
run validate "$missing"
expect_rc 2 "missing blueprint file"
cat "$TMP/out" "$TMP/err" >"$TMP/both"
expect_grep "$TMP/both" "$missing" "missing file: the path is in the message"
expect_grep "$TMP/out" "FAIL" "missing file: text report says FAIL"
run validate "$missing" --format json
expect_rc 2 "missing blueprint file (json)"
json_check "$TMP/out" "r['exit_code'] == 2 and r['verdict'] == 'fail'" "missing file: json exit_code 2"
json_check "$TMP/out" "any(f.get('location', {}).get('file') == '$missing' and f['severity'] == 'error' for f in r['findings'])" \
	"missing file: a located error finding"

# --------------------------------------------------------------- every example, in both formats
examples=("$EXAMPLES"/*.yaml)
if [ -e "${examples[0]}" ]; then ok; else fail "no blueprints/examples/*.yaml"; examples=(); fi
if [ -f "$SQLITE_EXAMPLE" ]; then ok; else fail "the SQLite example $SQLITE_EXAMPLE is missing"; fi
for bp in "${examples[@]}"; do
	name=$(basename "$bp")
	run validate "$bp" --format json
	json_rc=$rc
	cp "$TMP/out" "$TMP/$name.json"
	if "$PYTHON" -m json.tool "$TMP/$name.json" >/dev/null 2>"$TMP/py_err"; then ok; else fail "$name: json does not parse: $(cat "$TMP/py_err")"; continue; fi
	json_check "$TMP/$name.json" "all(k in r for k in $REQUIRED_KEYS)" "$name: json has the required keys"
	json_check "$TMP/$name.json" "r['exit_code'] == $json_rc" "$name: json exit_code equals the exit status"
	json_check "$TMP/$name.json" "(r['verdict'] == 'pass') == (r['exit_code'] == 0)" "$name: verdict matches exit_code"
	json_check "$TMP/$name.json" "[l['level'] for l in r['levels']] == [1, 2, 3, 4]" "$name: four levels in order"
	json_check "$TMP/$name.json" "r['blueprint']['path'] == '$bp'" "$name: blueprint.path"
	json_check "$TMP/$name.json" "all(l['status'] != 'skipped' or l.get('reason') for l in r['levels'])" \
		"$name: every skipped level has a reason"
	run validate "$bp"
	if [ "$rc" -eq "$json_rc" ]; then ok; else fail "$name: text exit $rc differs from json exit $json_rc"; fi
	expect_grep "$TMP/out" "Level 4" "$name: text lists the levels"
	if has_escape "$TMP/out"; then fail "$name: colour when stdout is not a terminal"; else ok; fi
done

# The SQLite example passes levels 1-2 and never reports 3-4 as passed. These runs are offline
# (no tasks.db here): the live database checks of the examples are tests/checks_examples.sh's.
if [ -f "$SQLITE_EXAMPLE" ]; then
	run validate "$SQLITE_EXAMPLE" --offline --format json
	expect_rc 0 "SQLite example passes"
	json_check "$TMP/out" "[l['status'] for l in r['levels'][:2]] == ['passed', 'passed']" "SQLite example: levels 1-2 passed"
	json_check "$TMP/out" "all(l['status'] != 'passed' for l in r['levels'][2:] if not l['checks'])" \
		"SQLite example: a level with no checks is not 'passed'"
	json_check "$TMP/out" "r['blueprint']['system'] == 'task_manager'" "SQLite example: system name"
	run validate "$SQLITE_EXAMPLE" --offline
	if grep -qE '^PASS: ' "$TMP/out"; then ok; else fail "SQLite example: no PASS summary line"; fi
	if grep -qE '^Level [34] .*skipped' "$TMP/out"; then
		grep -qE '^PASS: .*not run' "$TMP/out" && ok || fail "SQLite example: summary does not say which levels did not run"
	else
		ok
	fi

	# Deterministic: two runs differ only in their timings and start time.
	run validate "$SQLITE_EXAMPLE" --offline --format json --keep-going
	cp "$TMP/out" "$TMP/run1.json"
	run validate "$SQLITE_EXAMPLE" --offline --format json --keep-going
	if "$PYTHON" - "$TMP/run1.json" "$TMP/out" <<'EOF' 2>"$TMP/py_err"; then ok; else fail "json report not deterministic: $(cat "$TMP/py_err")"; fi
import json, sys
def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ('duration_ms', 'started_at')}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node
a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
if a != b:
    sys.exit("two runs differ")
EOF
fi

# --------------------------------------------------------------- options after the blueprint, and before it
if [ -f "$SQLITE_EXAMPLE" ]; then
	run --version
	run validate --format json "$SQLITE_EXAMPLE" --offline
	json_check "$TMP/out" "'levels' in r" "--format before the blueprint"
	run validate "$SQLITE_EXAMPLE" --offline -f json
	json_check "$TMP/out" "'levels' in r" "-f after the blueprint"
fi

# --------------------------------------------------------------- --max-level
if [ -f "$SQLITE_EXAMPLE" ]; then
	run validate "$SQLITE_EXAMPLE" --offline --max-level 1 --format json
	expect_rc 0 "--max-level 1"
	json_check "$TMP/out" "[l['status'] for l in r['levels']] == ['passed', 'skipped', 'skipped', 'skipped']" \
		"--max-level 1 skips levels 2-4"
	json_check "$TMP/out" "all(l.get('reason') for l in r['levels'][1:])" "--max-level 1: skipped levels have a reason"
	json_check "$TMP/out" "all(f['level'] == 1 for f in r['findings'])" "--max-level 1: findings of level 1 only"
	run validate "$SQLITE_EXAMPLE" --offline --max-level 1
	if grep -qE '^Level 2 .*skipped' "$TMP/out"; then ok; else fail "--max-level 1: text shows level 2 skipped"; fi
	expect_grep "$TMP/out" "levels 2–4 not run" "--max-level 1: summary names the levels not run"
	run validate "$SQLITE_EXAMPLE" --offline --max-level=2 --format=json
	json_check "$TMP/out" "r['levels'][1]['status'] == 'passed' and r['levels'][2]['status'] == 'skipped'" "--max-level=2"
fi

# --------------------------------------------------------------- --output
if [ -f "$SQLITE_EXAMPLE" ]; then
	mkdir -p "$TMP/reports"
	run validate "$SQLITE_EXAMPLE" --offline --format json --output "$TMP/reports/r.json"
	expect_rc 0 "--output"
	expect_empty "$TMP/out" "--output: stdout"
	expect_empty "$TMP/err" "--output: stderr"
	json_check "$TMP/reports/r.json" "all(k in r for k in $REQUIRED_KEYS)" "--output file is the json report"
	if [ "$(ls -A "$TMP/reports")" = "r.json" ]; then ok; else fail "--output left other files: $(ls -A "$TMP/reports")"; fi

	# Replaces an existing file whole.
	printf 'old content that is longer than nothing\n%.0s' {1..200} >"$TMP/reports/r.txt"
	run validate "$SQLITE_EXAMPLE" --offline -o "$TMP/reports/r.txt"
	expect_no_grep "$TMP/reports/r.txt" "old content" "--output replaces the old file"
	expect_grep "$TMP/reports/r.txt" "PASS" "--output text report"
	if has_escape "$TMP/reports/r.txt"; then fail "--output: colour in a file"; else ok; fi

	# "-" means standard output.
	run validate "$SQLITE_EXAMPLE" --offline -o - --format json
	json_check "$TMP/out" "'levels' in r" "--output - writes to stdout"

	# Unwritable: exit 4, a message naming the file, and no file.
	run validate "$SQLITE_EXAMPLE" --offline --format json --output /nonexistent/dir/x.json
	expect_rc 4 "unwritable --output"
	expect_grep "$TMP/err" "/nonexistent/dir/x.json" "unwritable --output: the path is named"
	if [ -e /nonexistent/dir/x.json ]; then fail "unwritable --output: a file exists"; else ok; fi
	# A folder as --output: exit 4, no temporary file left beside it.
	mkdir -p "$TMP/reports/adir"
	run validate "$SQLITE_EXAMPLE" --offline --output "$TMP/reports/adir"
	expect_rc 4 "--output names a folder"
	if ls -A "$TMP/reports" | grep -q '^\.'; then fail "a temporary file was left: $(ls -A "$TMP/reports")"; else ok; fi
	# A report on an unreadable blueprint still goes to the file.
	run validate "$missing" --format json --output "$TMP/reports/missing.json"
	expect_rc 2 "--output for a missing blueprint"
	json_check "$TMP/reports/missing.json" "r['exit_code'] == 2" "--output for a missing blueprint: report written"
fi

# --------------------------------------------------------------- colour
if [ -f "$SQLITE_EXAMPLE" ]; then
	run validate "$SQLITE_EXAMPLE" --offline --color always
	if has_escape "$TMP/out"; then ok; else fail "--color always: no colour"; fi
	run validate "$SQLITE_EXAMPLE" --offline --color never
	if has_escape "$TMP/out"; then fail "--color never: colour"; else ok; fi
	NO_COLOR=1 "$VIGIL" validate "$SQLITE_EXAMPLE" --offline --color always >"$TMP/out" 2>&1
	if has_escape "$TMP/out"; then ok; else fail "--color always must win over NO_COLOR"; fi
	run validate "$SQLITE_EXAMPLE" --offline --color always --format json
	if has_escape "$TMP/out"; then fail "json with --color always has escapes"; else ok; fi

	# auto on a terminal: `script` gives vigil a pseudo-terminal.
	on_tty() { # on_tty [-u NAME] NAME=VALUE...: runs vigil on a pty with that environment
		env "$@" script -qec "$(printf '%q ' "$VIGIL" validate "$SQLITE_EXAMPLE" --offline)" /dev/null >"$TMP/tty" 2>&1 </dev/null
	}
	if command -v script >/dev/null; then
		on_tty -u NO_COLOR TERM=xterm
		if has_escape "$TMP/tty"; then ok; else fail "auto on a terminal: no colour"; fi
		on_tty TERM=xterm NO_COLOR=1
		if has_escape "$TMP/tty"; then fail "NO_COLOR=1 on a terminal: colour"; else ok; fi
		on_tty -u NO_COLOR TERM=dumb
		if has_escape "$TMP/tty"; then fail "TERM=dumb on a terminal: colour"; else ok; fi
		on_tty TERM=xterm NO_COLOR=
		if has_escape "$TMP/tty"; then ok; else fail "an empty NO_COLOR does not disable colour"; fi
	else
		fail "'script' (util-linux) is needed to test colour on a terminal"
	fi
fi

# --------------------------------------------------------------- blueprints made here
# A YAML syntax error: a located finding, exit 1 or 2.
printf 'schema_version: "1.0.0"\nsystem:\n  name: [unclosed\n' >"$TMP/syntax.yaml"
run validate "$TMP/syntax.yaml" --format json
if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then ok; else fail "YAML syntax error: exit $rc, want 1 or 2"; fi
json_check "$TMP/out" "any(f['code'] == 'VG104' and f.get('location', {}).get('line', 0) >= 3 for f in r['findings'])" \
	"YAML syntax error: VG104 with its line"

# Terminal control characters from the blueprint never reach the terminal raw.
printf 'schema_version: "1.0.0"\n"evil\\e[2Jkey": 1\nsystem:\n  name: s\n  components: []\n' >"$TMP/escape.yaml"
run validate "$TMP/escape.yaml" --color never
if has_escape "$TMP/out"; then fail "a control character from the blueprint reached the text report raw"; else ok; fi
run validate "$TMP/escape.yaml" --format json
if "$PYTHON" -m json.tool "$TMP/out" >/dev/null 2>&1; then ok; else fail "json with a control character does not parse"; fi

# Bytes that are not UTF-8 never break the JSON report.
printf 'schema_version: "1.0.0"\nsystem:\n  name: caf\xe9\n' >"$TMP/latin1.yaml"
run validate "$TMP/latin1.yaml" --format json
if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then ok; else fail "non-UTF-8 blueprint: exit $rc, want 1 or 2"; fi
if "$PYTHON" -m json.tool "$TMP/out" >/dev/null 2>&1; then ok; else fail "json of a non-UTF-8 blueprint does not parse"; fi

# --------------------------------------------------------------- the code table
run codes
expect_rc 0 "vigil codes"
expect_grep "$TMP/out" "VG101" "vigil codes lists VG101"
run codes VG117 unreadable
expect_rc 0 "vigil codes VG117 unreadable"
expect_grep "$TMP/out" "unknown-key" "vigil codes VG117 explains it"
expect_grep "$TMP/out" "VG101" "vigil codes accepts a rule slug"
run codes --markdown
expect_rc 0 "vigil codes --markdown"
if cmp -s "$TMP/out" "$SRC/docs/codes.md"; then
	ok
else
	fail "docs/codes.md differs from 'vigil codes --markdown' (regenerate: vigil codes --markdown > docs/codes.md)"
	diff "$SRC/docs/codes.md" "$TMP/out" | head -20 >&2
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
