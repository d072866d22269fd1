#!/usr/bin/env bash
# introspect.sh — runs bench_introspect with throwaway PostgreSQL and MariaDB servers.
#   bash tests/bench/introspect.sh [build-dir] [bench args...]   (build-dir default: build)
# Not a test: tests/bench/*.sh are not registered with ctest (only tests/*.sh are).
set -uo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$src/build}
shift || true
bench=$build/tests/bench_introspect
if [ ! -x "$bench" ]; then
	echo "introspect.sh: build first: no $bench" >&2
	exit 1
fi
# shellcheck source=../db/servers.sh
source "$src/tests/db/servers.sh"
vigil_servers_start || exit 1
"$bench" "$@"
