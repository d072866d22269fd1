#!/usr/bin/env bash
# invalid_corpus.sh VIGIL SOURCE_DIR — runs every blueprint in blueprints/invalid/ and checks
# that vigil finds the one defect each was written to have.
#
# Each case states its expectation on its first line, or in a sidecar NNN_name.expect (for
# files that cannot carry a comment: UTF-16, a directory, a file that does not exist):
#
#     # expect: VG117 line 12 [exit N]
#
# `line 0` means the finding is about the whole file (no line). The exit code defaults to 1.
# A case passes when `vigil validate FILE --offline --format json --keep-going` exits with the expected
# code, its JSON report holds the expected code at the expected line, no other error-severity
# finding of levels 1-2 is reported (one defect per file), and no sanitizer complained.
# A too-large file (VG102) is generated here rather than committed.
#
# Prints one line per failing case, then "N passed, M failed"; exits 1 when any failed.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 VIGIL SOURCE_DIR" >&2
	exit 2
fi
vigil=$1
corpus=$2/blueprints/invalid
min_cases=40

if [ ! -x "$vigil" ]; then
	echo "FAIL: vigil binary not found at $vigil"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! command -v python3 >/dev/null; then
	echo "FAIL: python3 is needed to read the JSON reports"
	echo "0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The fixtures' ${VAR}s (ORDERS_DB_PASWORD and ORDER_CURRENCY are deliberately unset).
export ORDERS_DB_PASSWORD=corpus-dummy BLOG_DB_PASSWORD=corpus-dummy
unset ORDER_CURRENCY
unset ORDERS_DB_PASWORD
export NO_COLOR=1

# One line per case, tab-separated: name, expectation, exit code, report, stderr.
manifest=$tmp/manifest
: >"$manifest"
n=0

# run_case NAME PATH EXPECT_LINE
run_case() {
	local name=$1 path=$2 expect=$3
	n=$((n + 1))
	local rc=0
	"$vigil" validate "$path" --offline --format json --keep-going >"$tmp/$n.json" 2>"$tmp/$n.err" || rc=$?
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$expect" "$rc" "$tmp/$n.json" "$tmp/$n.err" >>"$manifest"
}

# Committed cases: every NNN_*.yaml (a file, or a directory standing in for one) and every
# NNN_*.expect sidecar (with or without a blueprint beside it); a sidecar takes precedence
# over the file's first line.
committed=0
declare -A seen=()
for entry in "$corpus"/[0-9][0-9][0-9]_*; do
	[ -e "$entry" ] || continue
	base=${entry%.yaml}
	base=${base%.expect}
	[ -n "${seen[$base]:-}" ] && continue
	seen[$base]=1
	committed=$((committed + 1))
	if [ -f "$base.expect" ]; then
		expect=$(head -n 1 "$base.expect")
	elif [ -f "$base.yaml" ]; then
		expect=$(head -n 1 "$base.yaml" | tr -d '\0')
	else
		expect="(none: neither a sidecar nor a first-line comment)"
	fi
	run_case "${base##*/}.yaml" "$base.yaml" "$expect"
done

# Generated case: a file over the 16 MiB limit (valid YAML, then comments past the limit).
big=$tmp/too_large.yaml
{
	printf 'schema_version: "1.0.0"\nsystem:\n  name: too_large\n  components: []\n'
	head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' '#' | fold -w 100 | sed 's/^/# /'
} >"$big"
run_case generated/too_large.yaml "$big" "# expect: VG102 line 0 exit 2"
rm -f "$big"

python3 - "$manifest" "$committed" "$min_cases" <<'EOF'
import json, re, sys

manifest, committed, min_cases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
expect_re = re.compile(r'^# expect: (VG[0-9]{3}) line ([0-9]+)(?: exit ([0-9]+))?\s*$')
sanitizer_re = re.compile(r'Sanitizer|runtime error:')
passed = failed = 0


def describe(findings):
    out = []
    for f in findings:
        line = (f.get('location') or {}).get('line') or 0
        sev = f.get('severity', '?')
        out.append('%s@%s%s' % (f.get('code'), line, '' if sev == 'error' else '(%s)' % sev))
    return ' '.join(out) or 'no findings'


def check(name, expect, rc, report_path, err_path):
    m = expect_re.match(expect)
    if not m:
        return 'malformed expect line: %r' % expect
    code, line, want_exit = m.group(1), int(m.group(2)), int(m.group(3) or 1)
    want = 'expected %s line %d exit %d' % (code, line, want_exit)
    with open(err_path, errors='replace') as f:
        for err_line in f:
            if sanitizer_re.search(err_line):
                return '%s; sanitizer report: %s' % (want, err_line.strip())
    try:
        with open(report_path, encoding='utf-8') as f:
            findings = json.load(f).get('findings', [])
    except Exception as e:
        return '%s; got exit %d and no JSON report (%s)' % (want, rc, str(e).splitlines()[0][:80])
    got = 'got exit %d: %s' % (rc, describe(findings))
    if rc != want_exit:
        return '%s; %s' % (want, got)
    if not any(f.get('code') == code and ((f.get('location') or {}).get('line') or 0) == line
               for f in findings):
        return '%s; %s' % (want, got)
    extra = [f for f in findings if f.get('severity') == 'error' and f.get('code') != code
             and (f.get('level') or 0) <= 2]
    if extra:
        return '%s; other errors besides it: %s' % (want, got)
    return None


with open(manifest) as f:
    for row in f:
        name, expect, rc, report_path, err_path = row.rstrip('\n').split('\t')
        problem = check(name, expect, int(rc), report_path, err_path)
        if problem:
            print('FAIL %s: %s' % (name, problem))
            failed += 1
        else:
            passed += 1

if committed < min_cases:
    print('FAIL the corpus holds %d cases; at least %d are required' % (committed, min_cases))
    failed += 1
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
EOF
