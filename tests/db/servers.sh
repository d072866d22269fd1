# servers.sh — throwaway PostgreSQL 15 and MariaDB 10.11 servers on loopback, for tests.
#
# Source it, then:  vigil_servers_start  ...  (stopped automatically on EXIT)
# Each server gets its own port, unix socket and data folder under one temp dir, a
# password-authenticated non-superuser (vigil / $VIGIL_TEST_PASSWORD) owning a database
# `vigil`, and a restricted user (vigil_ro, SELECT only) for permission tests.
# Exports VIGIL_PG_URL, VIGIL_PG_RO_URL, VIGIL_MYSQL_URL, VIGIL_MYSQL_RO_URL,
# VIGIL_PG_ADMIN (psql argv prefix), VIGIL_MYSQL_ADMIN (mariadb argv prefix).
# A server that cannot start is a hard failure: the caller's tests must not run green without it.

VIGIL_PG_BIN=${VIGIL_PG_BIN:-/usr/lib/postgresql/15/bin}
VIGIL_TEST_PASSWORD=${VIGIL_TEST_PASSWORD:-vigil-test-$$-pw}

vigil__free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

vigil__wait() { # seconds, command...
	local deadline=$(( $(date +%s) + $1 )); shift
	until "$@" >/dev/null 2>&1; do
		if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
		sleep 0.2
	done
}

vigil_pg_start() {
	local dir=$VIGIL_SERVERS_DIR/pg
	mkdir -p "$dir/data" "$dir/sock"
	VIGIL_PG_PORT=$(vigil__free_port)
	local as_pg=()
	if [ "$(id -u)" -eq 0 ]; then
		# PostgreSQL refuses to run as root.
		chown -R postgres:postgres "$dir"
		as_pg=(runuser -u postgres --)
	fi
	"${as_pg[@]}" "$VIGIL_PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
		--no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
	cat >"$dir/data/pg_hba.conf" <<-EOF
		local all postgres trust
		local all all scram-sha-256
		host  all postgres 127.0.0.1/32 trust
		host  all all 127.0.0.1/32 scram-sha-256
		host  all all ::1/128 scram-sha-256
	EOF
	"${as_pg[@]}" "$VIGIL_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $VIGIL_PG_PORT -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
	VIGIL_PG_ADMIN=("$VIGIL_PG_BIN/../bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$VIGIL_PG_PORT" -U postgres)
	"${VIGIL_PG_ADMIN[@]}" -d postgres >/dev/null <<-EOF || return 1
		CREATE ROLE vigil LOGIN PASSWORD '$VIGIL_TEST_PASSWORD';
		CREATE ROLE vigil_ro LOGIN PASSWORD '$VIGIL_TEST_PASSWORD';
		CREATE DATABASE vigil OWNER vigil;
		\c vigil
		GRANT USAGE ON SCHEMA public TO vigil_ro;
		ALTER DEFAULT PRIVILEGES FOR ROLE vigil IN SCHEMA public GRANT SELECT ON TABLES TO vigil_ro;
	EOF
	export VIGIL_PG_PORT VIGIL_PG_SOCKET="$dir/sock"
	export VIGIL_PG_URL="postgresql://vigil:$VIGIL_TEST_PASSWORD@127.0.0.1:$VIGIL_PG_PORT/vigil"
	export VIGIL_PG_RO_URL="postgresql://vigil_ro:$VIGIL_TEST_PASSWORD@127.0.0.1:$VIGIL_PG_PORT/vigil"
}

vigil_pg_stop() {
	local dir=$VIGIL_SERVERS_DIR/pg
	[ -f "$dir/data/postmaster.pid" ] || return 0
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$VIGIL_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	else
		"$VIGIL_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	fi
}

vigil_mysql_start() {
	local dir=$VIGIL_SERVERS_DIR/mysql
	# Its own tmpdir: concurrent servers sharing /tmp collide on temporary table names.
	mkdir -p "$dir/data" "$dir/tmp"
	VIGIL_MYSQL_PORT=$(vigil__free_port)
	local user_opt=()
	[ "$(id -u)" -eq 0 ] && user_opt=(--user=root)
	mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$dir/data" --tmpdir="$dir/tmp" \
		--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
		|| { cat "$dir/install.log" >&2; return 1; }
	mariadbd --no-defaults "${user_opt[@]}" --datadir="$dir/data" --tmpdir="$dir/tmp" \
		--bind-address=127.0.0.1 \
		--port="$VIGIL_MYSQL_PORT" --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" \
		--skip-name-resolve --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=256M \
		--skip-log-bin --max-connections=300 --log-error="$dir/server.log" &
	VIGIL_MYSQL_PID=$!
	VIGIL_MYSQL_ADMIN=(mariadb --no-defaults --protocol=socket --socket="$dir/mysqld.sock" -uroot)
	if ! vigil__wait 60 "${VIGIL_MYSQL_ADMIN[@]}" -e 'SELECT 1'; then
		cat "$dir/server.log" >&2
		return 1
	fi
	"${VIGIL_MYSQL_ADMIN[@]}" <<-EOF || return 1
		CREATE DATABASE vigil CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER 'vigil'@'127.0.0.1' IDENTIFIED BY '$VIGIL_TEST_PASSWORD';
		CREATE USER 'vigil'@'localhost' IDENTIFIED BY '$VIGIL_TEST_PASSWORD';
		GRANT ALL PRIVILEGES ON vigil.* TO 'vigil'@'127.0.0.1';
		GRANT ALL PRIVILEGES ON vigil.* TO 'vigil'@'localhost';
		CREATE USER 'vigil_ro'@'127.0.0.1' IDENTIFIED BY '$VIGIL_TEST_PASSWORD';
		GRANT SELECT ON vigil.* TO 'vigil_ro'@'127.0.0.1';
		FLUSH PRIVILEGES;
	EOF
	export VIGIL_MYSQL_PORT VIGIL_MYSQL_SOCKET="$dir/mysqld.sock"
	export VIGIL_MYSQL_URL="mysql://vigil:$VIGIL_TEST_PASSWORD@127.0.0.1:$VIGIL_MYSQL_PORT/vigil"
	export VIGIL_MYSQL_RO_URL="mysql://vigil_ro:$VIGIL_TEST_PASSWORD@127.0.0.1:$VIGIL_MYSQL_PORT/vigil"
}

vigil_mysql_stop() {
	[ -n "${VIGIL_MYSQL_PID:-}" ] || return 0
	kill "$VIGIL_MYSQL_PID" 2>/dev/null
	for _ in $(seq 1 100); do
		kill -0 "$VIGIL_MYSQL_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$VIGIL_MYSQL_PID" 2>/dev/null
	wait "$VIGIL_MYSQL_PID" 2>/dev/null
	VIGIL_MYSQL_PID=
}

vigil_servers_stop() {
	vigil_pg_stop
	vigil_mysql_stop
	[ -n "${VIGIL_SERVERS_DIR:-}" ] && rm -rf "$VIGIL_SERVERS_DIR"
}

vigil_servers_start() {
	VIGIL_SERVERS_DIR=$(mktemp -d /tmp/vigil-servers.XXXXXX)
	chmod 755 "$VIGIL_SERVERS_DIR"
	trap vigil_servers_stop EXIT
	export VIGIL_TEST_PASSWORD
	vigil_pg_start || { echo "FATAL: PostgreSQL 15 test server did not start" >&2; return 1; }
	vigil_mysql_start || { echo "FATAL: MariaDB test server did not start" >&2; return 1; }
}
