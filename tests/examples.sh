#!/usr/bin/env bash
# examples.sh VIGIL SOURCE_DIR — every example blueprint passes levels 1-2 without a single
# error or warning, and with --max-level 2 the levels that did not run are reported as
# skipped, never passed. A run of every level must stay free of errors and warnings too, and
# every check that did not run must say why. The text report must agree (exit 0).
#
# The PostgreSQL and MySQL examples take their passwords from the environment; dummy values
# suffice because no database check connects yet.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 VIGIL SOURCE_DIR" >&2
	exit 2
fi
vigil=$1
examples=$2/blueprints/examples

export SHOP_DB_PASSWORD=example-dummy BLOG_DB_PASSWORD=example-dummy
export NO_COLOR=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

fail() {
	echo "FAIL $1"
	failed=$((failed + 1))
}

if [ ! -x "$vigil" ]; then
	echo "FAIL: vigil binary not found at $vigil"
	echo "0 passed, 1 failed"
	exit 1
fi

count=0
for file in "$examples"/*.yaml; do
	[ -f "$file" ] || continue
	count=$((count + 1))
	name=${file##*/}

	rc=0
	"$vigil" validate "$file" --format json --max-level 2 >"$tmp/out.json" 2>"$tmp/err" || rc=$?
	problems=$(python3 - "$tmp/out.json" <<'EOF'
import json, sys
try:
    with open(sys.argv[1], encoding='utf-8') as f:
        report = json.load(f)
except Exception as e:
    print('no JSON report (%s)' % str(e).splitlines()[0][:80])
    sys.exit(0)
problems = []
findings = report.get('findings', [])
noisy = ['%s@%s(%s)' % (f.get('code'), (f.get('location') or {}).get('line', 0), f.get('severity'))
         for f in findings if f.get('severity') in ('error', 'warning')]
if noisy:
    problems.append('findings: ' + ' '.join(noisy))
if report.get('verdict') != 'pass':
    problems.append('verdict %r' % report.get('verdict'))
if report.get('exit_code') != 0:
    problems.append('exit_code %r' % report.get('exit_code'))
levels = {l.get('level'): l for l in report.get('levels', [])}
if sorted(levels) != [1, 2, 3, 4]:
    problems.append('levels %r (want 1-4)' % sorted(levels))
for n in (1, 2):
    if levels.get(n, {}).get('status') != 'passed':
        problems.append('level %d is %r, not passed' % (n, levels.get(n, {}).get('status')))
for n in (3, 4):
    if levels.get(n, {}).get('status') != 'skipped':
        problems.append('level %d is %r, not skipped' % (n, levels.get(n, {}).get('status')))
print('; '.join(problems))
EOF
)
	if grep -qE 'Sanitizer|runtime error:' "$tmp/err"; then
		fail "$name: sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$tmp/err")"
	elif [ "$rc" -ne 0 ]; then
		fail "$name: expected exit 0, got $rc${problems:+; $problems}"
	elif [ -n "$problems" ]; then
		fail "$name: $problems"
	else
		passed=$((passed + 1))
	fi

	# Every level, offline (the blueprint-only checks; the live database checks of the
	# examples are tests/checks_examples.sh's): still no error and no warning, and whatever
	# did not run says why.
	rc=0
	"$vigil" validate "$file" --offline --format json >"$tmp/all.json" 2>"$tmp/err" || rc=$?
	problems=$(python3 - "$tmp/all.json" <<'EOF'
import json, sys
try:
    with open(sys.argv[1], encoding='utf-8') as f:
        report = json.load(f)
except Exception as e:
    print('no JSON report (%s)' % str(e).splitlines()[0][:80])
    sys.exit(0)
problems = []
noisy = ['%s@%s(%s)' % (f.get('code'), (f.get('location') or {}).get('line', 0), f.get('severity'))
         for f in report.get('findings', []) if f.get('severity') in ('error', 'warning')]
if noisy:
    problems.append('findings: ' + ' '.join(noisy))
for level in report.get('levels', []):
    if level.get('status') == 'skipped' and not level.get('reason'):
        problems.append('level %s skipped without a reason' % level.get('level'))
    for check in level.get('checks', []):
        if check.get('status') == 'skipped' and not check.get('reason'):
            problems.append('check %s skipped without a reason' % check.get('name'))
print('; '.join(problems))
EOF
)
	if grep -qE 'Sanitizer|runtime error:' "$tmp/err"; then
		fail "$name (all levels): sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$tmp/err")"
	elif [ "$rc" -ne 0 ]; then
		fail "$name (all levels): expected exit 0, got $rc${problems:+; $problems}"
	elif [ -n "$problems" ]; then
		fail "$name (all levels): $problems"
	else
		passed=$((passed + 1))
	fi

	# The human report must work too (and say nothing went wrong).
	rc=0
	"$vigil" validate "$file" --max-level 2 >"$tmp/out.txt" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name (text): expected exit 0, got $rc: $(head -n 3 "$tmp/out.txt" | tr '\n' ' ')"
	else
		passed=$((passed + 1))
	fi
done

if [ "$count" -lt 4 ]; then
	fail "expected at least 4 example blueprints in $examples, found $count"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
