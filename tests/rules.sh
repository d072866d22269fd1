#!/usr/bin/env bash
# rules.sh VIGIL SOURCE_DIR — the level 3-4 rule fixtures in blueprints/rules/: each file
# starts with its expectations,
#   # expect: VG301 line 14        (one line per finding; a code may repeat)
#   # expect: none                 (a passing fixture: no level 3-4 finding at all)
# and `vigil validate FILE --offline --format json --keep-going` must report exactly those
# level 3-4 codes at exactly those lines (findings of levels 1-2 are not this test's business;
# the live database checks are the checks_*.sh tests').
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 VIGIL SOURCE_DIR" >&2
	exit 2
fi
vigil=$1
rules=$2/blueprints/rules

if [ ! -x "$vigil" ]; then
	echo "FAIL: vigil binary not found at $vigil"
	exit 1
fi
case $vigil in /*) ;; *) vigil=$PWD/$vigil ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1

passed=0
failed=0
for file in "$rules"/*.yaml; do
	[ -f "$file" ] || continue
	name=${file##*/}
	rc=0
	# From the fixtures' folder, so relative SQLite paths resolve there.
	(cd "$rules" && "$vigil" validate "$name" --offline --format json --keep-going) \
		>"$tmp/out.json" 2>"$tmp/err" || rc=$?
	problem=$(python3 - "$file" "$tmp/out.json" "$rc" <<'EOF'
import json, re, sys
from collections import Counter

path, out, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
expected = Counter()
declared = False
with open(path, encoding='utf-8') as f:
    for line in f:
        if not line.startswith('#'):
            break
        m = re.match(r'#\s*expect:\s*(.*?)\s*$', line)
        if not m:
            continue
        declared = True
        if m.group(1) == 'none':
            continue
        e = re.fullmatch(r'(VG\d{3}) line (\d+)', m.group(1))
        if not e:
            print('bad expect line: %r' % line.strip())
            sys.exit(0)
        expected[(e.group(1), int(e.group(2)))] += 1
if not declared:
    print('no "# expect:" line at the top')
    sys.exit(0)
if rc not in (0, 1):
    print('exit code %d (expected 0 or 1)' % rc)
    sys.exit(0)
try:
    with open(out, encoding='utf-8') as f:
        report = json.load(f)
except Exception as e:
    print('no JSON report (%s)' % str(e).splitlines()[0][:80])
    sys.exit(0)
got = Counter()
for finding in report.get('findings', []):
    if finding.get('level') not in (3, 4):
        continue
    line = (finding.get('location') or {}).get('line', 0)
    got[(finding.get('code'), line)] += 1
if got != expected:
    fmt = lambda c: ' '.join('%s@%d' % k for k in sorted(c.elements())) or 'none'
    print('expected %s, got %s' % (fmt(expected), fmt(got)))
EOF
)
	if [ -n "$problem" ]; then
		echo "FAIL $name: $problem"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
