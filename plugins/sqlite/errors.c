/* errors.c — SQLite result codes as vigil_db_error kinds, and the error record helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sqlite_driver.h"

void vsq_error_clear(vigil_db_error *err)
{
	if (!err)
		return;
	err->kind = VIGIL_DB_OK;
	err->sqlstate[0] = '\0';
	err->message[0] = '\0';
}

int vsq_error_set(vigil_db_error *err, int kind, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->kind = kind;
	err->sqlstate[0] = '\0'; /* SQLite has no SQLSTATE */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

int vsq_error_kind(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return VIGIL_DB_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return VIGIL_DB_ERR_TIMEOUT; /* the lock was not released within the busy timeout */
	case SQLITE_PERM:
	case SQLITE_READONLY:
	case SQLITE_AUTH:
		return VIGIL_DB_ERR_PERMISSION;
	case SQLITE_CANTOPEN:
		return VIGIL_DB_ERR_NO_DATABASE;
	case SQLITE_ERROR:
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
	case SQLITE_TOOBIG:
	case SQLITE_SCHEMA:
		return VIGIL_DB_ERR_SQL;
	default:
		return VIGIL_DB_ERR_OTHER; /* I/O, corrupt or not a database, out of memory, ... */
	}
}

int vsq_error_from_db(vigil_db_error *err, sqlite3 *db, int rc, const char *context)
{
	const char *message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	if (context)
		return vsq_error_set(err, vsq_error_kind(rc), "%s: %s", context, message);
	return vsq_error_set(err, vsq_error_kind(rc), "%s", message);
}
