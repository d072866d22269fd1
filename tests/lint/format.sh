#!/usr/bin/env bash
# format.sh SOURCE_DIR — the C lines this branch changed follow .clang-format. Only the lines
# that differ from the merge base with main (git clang-format), never whole files: code
# nobody touched keeps its layout. On main itself, the lines of the last commit.
# VIGIL_FORMAT_BASE=REV picks another base. Needs a git checkout.
set -u
if [ $# -ne 1 ]; then
	echo "usage: $0 SOURCE_DIR" >&2
	exit 2
fi
cd "$1" || exit 1
for tool in git clang-format git-clang-format; do
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
out=$(git clang-format --diff --extensions c,h "$base" -- 2>&1)
rc=$?
case "$out" in
"no modified files to format" | "clang-format did not modify any files" | "")
	echo "format: the C lines changed since $(git rev-parse --short "$base") follow .clang-format"
	exit 0
	;;
esac
echo "$out"
if [ "$rc" -eq 0 ] && ! grep -q '^diff --git\|^@@' <<<"$out"; then
	echo "FAIL: git clang-format said something unexpected" >&2
	exit 1
fi
echo "FAIL: the lines above, changed since $(git rev-parse --short "$base"), do not follow .clang-format:"
echo "      git clang-format $(git rev-parse --short "$base")   formats them (and only them)"
exit 1
