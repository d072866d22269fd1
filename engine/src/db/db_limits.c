/*
 * db_limits.c — server-side deadlines on every session vigil opens, and what a lock wait
 * that hit one was waiting for (see "deadlines" in db.h and docs/faults.md).
 *
 * The limits are set right after each connect, in the dialect's own words (one round trip):
 *   PostgreSQL  lock_timeout, statement_timeout, idle_in_transaction_session_timeout and,
 *               from 14 on, client_connection_check_interval (so a backend whose client
 *               was killed notices it during a long wait);
 *   MariaDB     lock_wait_timeout, innodb_lock_wait_timeout (whole seconds, at least 1),
 *               max_statement_time; MySQL: max_execution_time instead of the last;
 *   SQLite      PRAGMA busy_timeout (it has no statement timeout: its statements wait on
 *               nothing but the file lock).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "db.h"

/* Whole seconds for MySQL's integer timeouts, rounded up, at least 1. */
static unsigned whole_seconds(unsigned ms)
{
	unsigned s = (ms + 999) / 1000;
	return s ? s : 1;
}

static int has_row(void *payload, size_t n, const char *const *values, const size_t *lengths)
{
	(void)n;
	(void)values;
	(void)lengths;
	*(int *)payload = 1;
	return 0;
}

int vg_db_apply_limits(vg_db *db, vigil_conn *conn, unsigned lock_ms, unsigned statement_ms,
                       vigil_db_error *err)
{
	char sql[600];
	if (lock_ms == 0 && statement_ms == 0)
		return 0;
	switch (vg_db_get_type(db)) {
	case VG_DB_POSTGRESQL: {
		/* set_config in one SELECT: one round trip, and the 14+ setting only where known */
		int rows = 0;
		snprintf(sql, sizeof sql,
		         "SELECT set_config('lock_timeout', '%u', false), "
		         "set_config('statement_timeout', '%u', false), "
		         "set_config('idle_in_transaction_session_timeout', '%u', false), "
		         "CASE WHEN current_setting('server_version_num')::int >= 140000 "
		         "THEN set_config('client_connection_check_interval', '1000', false) END",
		         lock_ms, statement_ms, statement_ms ? statement_ms : lock_ms * 4);
		return vg_db_query(db, conn, sql, 0, NULL, has_row, &rows, NULL, err);
	}
	case VG_DB_MYSQL: {
		char version[128] = "";
		const vigil_driver *driver = vg_db_driver(db);
		vigil_db_error ignored;
		memset(&ignored, 0, sizeof ignored);
		int mariadb = !driver->server_version ||
		              driver->server_version(conn, version, sizeof version, &ignored) !=
		                      0 ||
		              strstr(version, "MariaDB") != NULL;
		unsigned lock_s = whole_seconds(lock_ms);
		if (mariadb)
			snprintf(
			        sql, sizeof sql,
			        "SET SESSION lock_wait_timeout = %u, innodb_lock_wait_timeout = %u, "
			        "max_statement_time = %u.%03u",
			        lock_s, lock_s, statement_ms / 1000, statement_ms % 1000);
		else
			snprintf(
			        sql, sizeof sql,
			        "SET SESSION lock_wait_timeout = %u, innodb_lock_wait_timeout = %u, "
			        "max_execution_time = %u",
			        lock_s, lock_s, statement_ms);
		return vg_db_exec(db, conn, sql, err);
	}
	case VG_DB_SQLITE: {
		int rows = 0;
		snprintf(sql, sizeof sql, "PRAGMA busy_timeout = %u", lock_ms);
		return vg_db_query(db, conn, sql, 0, NULL, has_row, &rows, NULL, err);
	}
	default: return 0;
	}
}

int vg_db_is_wait_timeout(const vg_db *db, const vigil_db_error *err)
{
	if (!err || err->kind == VIGIL_DB_OK)
		return 0;
	const char *m = err->message;
	switch (vg_db_get_type(db)) {
	case VG_DB_POSTGRESQL:
		/* 55P03 lock_not_available (lock_timeout); 57014 also a user's cancel */
		return strcmp(err->sqlstate, "55P03") == 0 ||
		       (strcmp(err->sqlstate, "57014") == 0 && strstr(m, "statement timeout"));
	case VG_DB_MYSQL:
		return strstr(m, "Lock wait timeout exceeded") || strstr(m, "max_statement_time") ||
		       strstr(m, "maximum statement execution time exceeded");
	case VG_DB_SQLITE: return strstr(m, "database is locked") != NULL;
	default: return 0;
	}
}

/* ---------------------------------------------------------------- who holds the lock */

typedef struct holders {
	char *out;
	size_t size, used;
	unsigned count;
} holders;

static void holders_add(holders *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void holders_add(holders *h, const char *fmt, ...)
{
	if (h->used + 1 >= h->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(h->out + h->used, h->size - h->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		h->used += (size_t)n < h->size - h->used ? (size_t)n : h->size - h->used - 1;
}

static const char *text_or(const char *value, const char *fallback)
{
	return value && *value ? value : fallback;
}

/* PostgreSQL: table, mode, pid, user, application, client, state, seconds, query. */
static int pg_holder(void *payload, size_t n, const char *const *v, const size_t *lengths)
{
	(void)lengths;
	holders *h = payload;
	if (n < 9)
		return 0;
	holders_add(h,
	            "%stable %s is locked (%s) by session %s (user %s, application %s, from %s, "
	            "%s for %s s: \"%.200s\")",
	            h->count++ ? "; " : "", text_or(v[0], "?"), text_or(v[1], "?"),
	            text_or(v[2], "?"), text_or(v[3], "?"), text_or(v[4], "none"),
	            text_or(v[5], "a local socket"), text_or(v[6], "?"), text_or(v[7], "?"),
	            text_or(v[8], ""));
	return 0;
}

/* MariaDB's metadata_lock_info (or InnoDB's transactions): table/what, mode, id, user,
 * host, command, seconds, query. */
static int my_holder(void *payload, size_t n, const char *const *v, const size_t *lengths)
{
	(void)lengths;
	holders *h = payload;
	if (n < 8)
		return 0;
	holders_add(h,
	            "%s%s is locked (%s) by session %s (user %s, from %s, %s for %s s: "
	            "\"%.200s\")",
	            h->count++ ? "; " : "", text_or(v[0], "?"), text_or(v[1], "?"),
	            text_or(v[2], "?"), text_or(v[3], "?"), text_or(v[4], "?"), text_or(v[5], "?"),
	            text_or(v[6], "?"), text_or(v[7], ""));
	return 0;
}

/* SHOW OPEN TABLES: Database, Table, In_use, Name_locked. */
static int my_open_table(void *payload, size_t n, const char *const *v, const size_t *lengths)
{
	(void)lengths;
	holders *h = payload;
	if (n < 2)
		return 0;
	holders_add(h, "%stable %s is in use by another session", h->count++ ? "; " : "",
	            text_or(v[1], "?"));
	return 0;
}

static const char pg_holders_sql[] =
        "SELECT l.relation::regclass::text, l.mode, a.pid::text, a.usename, "
        "a.application_name, a.client_addr::text, a.state, "
        "(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::int)::text, "
        "left(coalesce(a.query, ''), 200) "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid() "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND l.mode IN ('AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', "
        "'ShareLock', 'ShareUpdateExclusiveLock', 'RowExclusiveLock') "
        "AND l.relation::regclass::text NOT LIKE 'pg\\_%' "
        "ORDER BY l.mode = 'AccessExclusiveLock' DESC, a.xact_start LIMIT 3";

static const char my_mdl_sql[] =
        "SELECT CONCAT('table ', m.TABLE_NAME), m.LOCK_MODE, m.THREAD_ID, p.USER, p.HOST, "
        "p.COMMAND, p.TIME, LEFT(COALESCE(p.INFO, ''), 200) "
        "FROM information_schema.METADATA_LOCK_INFO m "
        /* without PROCESS, only the user's own sessions are in the processlist */
        "LEFT JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID "
        "WHERE m.TABLE_SCHEMA = DATABASE() AND m.TABLE_NAME <> '' "
        "AND m.THREAD_ID <> CONNECTION_ID() "
        "AND (m.LOCK_MODE LIKE '%EXCLUSIVE%' OR m.LOCK_MODE LIKE '%NO_WRITE%' "
        "OR m.LOCK_MODE LIKE '%NO_READ_WRITE%') LIMIT 3";

static const char my_trx_sql[] =
        "SELECT 'a row', 'InnoDB row locks', t.trx_mysql_thread_id, p.USER, p.HOST, "
        "p.COMMAND, p.TIME, LEFT(COALESCE(p.INFO, ''), 200) "
        "FROM information_schema.INNODB_TRX t "
        "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
        "WHERE t.trx_mysql_thread_id <> CONNECTION_ID() AND t.trx_rows_locked > 0 LIMIT 3";

static const char my_open_sql[] = "SHOW OPEN TABLES WHERE `Database` = DATABASE() AND In_use > 0";

void vg_db_explain_wait(vg_db *db, char *out, size_t size)
{
	if (!out || size == 0)
		return;
	out[0] = '\0';
	holders h = { out, size, 0, 0 };
	vg_db_type type = vg_db_get_type(db);
	if (type == VG_DB_SQLITE) {
		holders_add(&h, "another connection holds the SQLite file's lock (SQLite does not "
		                "say which)");
		return;
	}
	/* a session of its own: the waiting one may be in a failed transaction */
	vigil_conn *conn = NULL;
	vigil_db_error err;
	memset(&err, 0, sizeof err);
	if (vg_db_connect(db, &conn, &err) != 0) {
		holders_add(&h, "who holds the lock is unknown: %s", err.message);
		return;
	}
	if (type == VG_DB_POSTGRESQL) {
		vg_db_query(db, conn, pg_holders_sql, 0, NULL, pg_holder, &h, NULL, &err);
	} else if (type == VG_DB_MYSQL) {
		int mdl = vg_db_query(db, conn, my_mdl_sql, 0, NULL, my_holder, &h, NULL, &err);
		vg_db_query(db, conn, my_trx_sql, 0, NULL, my_holder, &h, NULL, &err);
		if (h.count == 0) {
			vg_db_query(db, conn, my_open_sql, 0, NULL, my_open_table, &h, NULL, &err);
			if (h.count && mdl != 0)
				holders_add(&h, " (the server does not say which session: its "
				                "metadata_lock_info plugin is not loaded)");
		}
	}
	if (h.count == 0)
		holders_add(&h, "the lock is no longer held, or the catalog does not show it");
	vg_db_disconnect(db, conn);
}
