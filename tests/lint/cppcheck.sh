#!/usr/bin/env bash
# cppcheck.sh SOURCE_DIR BUILD_DIR — cppcheck (warning and portability checks) over the C of
# engine/, validators/, plugins/ and reports/, as the build compiles it (BUILD_DIR's
# compile_commands.json: the same include paths and definitions). A finding fails the test;
# a false positive goes into tests/lint/cppcheck.supp with the reason.
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 SOURCE_DIR BUILD_DIR" >&2
	exit 2
fi
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
if ! command -v cppcheck >/dev/null; then
	echo "FAIL: cppcheck is not installed (bash .ci/setup installs it)" >&2
	exit 1
fi
if [ ! -f "$build/compile_commands.json" ]; then
	echo "FAIL: $build/compile_commands.json is missing (CMAKE_EXPORT_COMPILE_COMMANDS)" >&2
	exit 1
fi
cache="$build/cppcheck-cache"
mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Only the four trees (not the tests, not what CMake generates), as the build compiles them.
files=$(python3 - "$build/compile_commands.json" "$src" "$work/compile_commands.json" <<'PY2'
import json, sys
commands, src, out = json.load(open(sys.argv[1])), sys.argv[2] + "/", sys.argv[3]
keep = [c for c in commands if c["file"].startswith(src) and
        c["file"][len(src):].split("/")[0] in ("engine", "validators", "plugins", "reports")]
json.dump(keep, open(out, "w"))
print(len(keep))
PY2
) || exit 1
if [ "$files" -lt 50 ]; then
	echo "FAIL: only $files files of engine/ validators/ plugins/ reports/ in compile_commands.json"
	exit 1
fi
cppcheck --project="$work/compile_commands.json" --cppcheck-build-dir="$cache" \
	--enable=warning,portability --inline-suppr --error-exitcode=1 --quiet -j2 \
	--suppressions-list="$src/tests/lint/cppcheck.supp" --suppress='*:/usr/*' \
	--template='{file}:{line}:{column}: {severity} [{id}] {message}' >"$work/out" 2>&1
rc=$?
cat "$work/out"
if [ "$rc" -ne 0 ] || [ -s "$work/out" ]; then
	echo "FAIL: cppcheck found the above in $files files (fix it, or suppress a false positive in tests/lint/cppcheck.supp)"
	exit 1
fi
echo "cppcheck: $files files, no findings"
