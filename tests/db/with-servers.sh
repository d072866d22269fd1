#!/usr/bin/env bash
# with-servers.sh CMD [ARGS...] — runs CMD with throwaway PostgreSQL and MariaDB servers up
# (their URLs in VIGIL_PG_URL / VIGIL_MYSQL_URL ...), and stops them afterwards, whatever CMD did.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=servers.sh
. "$here/servers.sh"
if ! vigil_servers_start; then
	echo "with-servers: the test database servers could not be started" >&2
	exit 1
fi
"$@"
