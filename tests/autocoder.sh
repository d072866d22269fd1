#!/usr/bin/env bash
# autocoder.sh VIGIL SOURCE_DIR — the generation pipeline's own blueprints validate as that
# pipeline means them: vigil runs over every blueprint in tests/autocoder/corpus/ (the
# pipeline's shipped examples and the blueprints in its docs, copied under its Apache-2.0
# licence: tests/autocoder/README.md) and must report exactly the findings listed in
# tests/autocoder/expected.txt — code, severity, line and column, one line per finding —
# no more (a false finding come back) and no fewer (a true one lost). docs/autocoder.md says
# why each listed finding is right.
#   regenerate after an intended change:  VIGIL_AUTOCODER_UPDATE=1 bash tests/autocoder.sh VIGIL .
#   (then read the diff of expected.txt, and docs/autocoder.md, before committing)
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 VIGIL SOURCE_DIR" >&2
	exit 2
fi
vigil=$1
dir=$2/tests/autocoder
case $vigil in /*) ;; *) vigil=$PWD/$vigil ;; esac
if [ ! -x "$vigil" ]; then
	echo "FAIL: vigil binary not found at $vigil"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
# One example refers to ${DB_CONNECTION_STRING}: unset here, so its finding does not depend
# on the caller's environment.
unset DB_CONNECTION_STRING

failed=0
for file in "$dir"/corpus/*.yaml; do
	name=${file##*/}
	rc=0
	(cd "$dir/corpus" && "$vigil" validate "$name" --offline --format json --keep-going) \
		>"$tmp/out.json" 2>"$tmp/err" || rc=$?
	if [ "$rc" -gt 2 ]; then
		echo "FAIL $name: vigil exited $rc: $(head -c 400 "$tmp/err")"
		failed=$((failed + 1))
		continue
	fi
	python3 - "$name" "$tmp/out.json" >>"$tmp/got.txt" <<'PY' || failed=$((failed + 1))
import json, sys
name, path = sys.argv[1], sys.argv[2]
report = json.load(open(path, encoding="utf-8"))
for f in report["findings"]:
    loc = f.get("location") or {}
    print("%s:%s:%s %s %s" % (name, loc.get("line"), loc.get("column"), f["code"], f["severity"]))
PY
done

expected=$dir/expected.txt
if [ "${VIGIL_AUTOCODER_UPDATE:-}" = 1 ]; then
	cp "$tmp/got.txt" "$expected"
	echo "autocoder: expected.txt written ($(wc -l <"$expected") findings)"
	exit 0
fi
if ! diff -u "$expected" "$tmp/got.txt" >"$tmp/diff"; then
	echo "FAIL: the findings over the pipeline's blueprints differ from tests/autocoder/expected.txt"
	echo "      (- expected and not reported: a true finding lost; + reported and not expected: a false one back)"
	grep '^[-+][^-+]' "$tmp/diff" | head -60
	failed=$((failed + 1))
fi
total=$(wc -l <"$tmp/got.txt")
if [ "$failed" -ne 0 ]; then
	echo "autocoder: $failed failure(s); $total findings over $(ls "$dir"/corpus/*.yaml | wc -l) blueprints"
	exit 1
fi
echo "autocoder: $total findings over $(ls "$dir"/corpus/*.yaml | wc -l) blueprints, as expected"
