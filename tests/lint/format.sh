#!/usr/bin/env bash
# format.sh SOURCE_DIR — the C lines this branch changed follow .clang-format. Only the lines
# that differ from the merge base with main (renames followed, so a moved file brings only its
# edited lines), never whole files: code nobody touched keeps its layout. On main itself, the
# lines of the last commit. VIGIL_FORMAT_BASE=REV picks another base. Needs a git checkout.
set -u
if [ $# -ne 1 ]; then
	echo "usage: $0 SOURCE_DIR" >&2
	exit 2
fi
cd "$1" || exit 1
for tool in git clang-format python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL: $tool is not installed (bash .ci/setup installs it)" >&2
		exit 1
	fi
done
if ! git rev-parse --verify -q HEAD >/dev/null; then
	echo "FAIL: $(pwd) is not a git checkout: there is no change to check the format of" >&2
	exit 1
fi
base=${VIGIL_FORMAT_BASE:-}
if [ -z "$base" ]; then
	if ! base=$(git merge-base HEAD main 2>/dev/null); then
		echo "FAIL: no branch main to compare with (set VIGIL_FORMAT_BASE=REV)" >&2
		exit 1
	fi
	if [ "$base" = "$(git rev-parse HEAD)" ]; then
		base=$(git rev-parse -q --verify HEAD^) || base=$(git hash-object -t tree /dev/null)
	fi
fi
exec python3 - "$base" <<'PY'
import difflib, re, subprocess, sys

base = sys.argv[1]
short = subprocess.run(["git", "rev-parse", "--short", base], capture_output=True, text=True).stdout.strip() or base
# The working tree against the base, renames followed, no context: the changed lines per file.
diff = subprocess.run(["git", "diff", "-M", "-U0", "--no-color", "--diff-filter=AMR", base, "--", "*.c", "*.h"],
                      capture_output=True, text=True, check=True).stdout
changed, current = {}, None
for line in diff.splitlines():
    if line.startswith("+++ "):
        current = line[6:] if line.startswith("+++ b/") else None
    elif line.startswith("@@") and current:
        m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
        start, count = int(m.group(1)), int(m.group(2) or "1")
        if count:
            changed.setdefault(current, []).append((start, start + count - 1))
bad, fixes = 0, []
for path, ranges in sorted(changed.items()):
    args = ["clang-format", "--style=file", f"--assume-filename={path}"]
    args += [f"--lines={a}:{b}" for a, b in ranges]
    original = open(path, encoding="utf-8", errors="surrogateescape").read()
    formatted = subprocess.run(args, input=original, capture_output=True, text=True, check=True,
                               errors="surrogateescape").stdout
    if formatted != original:
        bad += 1
        sys.stdout.writelines(difflib.unified_diff(original.splitlines(True), formatted.splitlines(True),
                                                   f"a/{path}", f"b/{path} (clang-format)", n=1))
        fixes.append(" ".join(["clang-format -i"] + [f"--lines={a}:{b}" for a, b in ranges] + [path]))
if bad:
    print(f"FAIL: {bad} file(s): lines changed since {short} do not follow .clang-format; "
          "these format those lines (and only those):")
    for fix in fixes:
        print("  " + fix)
    sys.exit(1)
print(f"format: the C lines changed since {short} ({len(changed)} files) follow .clang-format")
PY
