/*
 * backup.c — a consistent copy of the connection's database file, with SQLite's online backup
 * API (sqlite.org/backup.html), taken before healing changes the database.
 *
 * The copy is written to "<path>.tmp" and renamed over `path` once complete, so a backup
 * file that exists is always whole.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite_driver.h"

int vsq_backup(vigil_conn *conn, const char *path, vigil_db_error *err)
{
	vsq_error_clear(err);
	if (!conn || !conn->db)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no connection");
	if (!path || !*path)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no backup path given");
	size_t n = strlen(path) + sizeof ".tmp";
	char *temporary = malloc(n);
	if (!temporary)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
	snprintf(temporary, n, "%s.tmp", path);
	unlink(temporary);

	sqlite3 *dest = NULL;
	int rc = sqlite3_open_v2(temporary, &dest,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		vsq_error_set(err, vsq_error_kind(rc), "cannot create the backup %s: %s", temporary,
		              dest ? sqlite3_errmsg(dest) : "out of memory");
		sqlite3_close_v2(dest);
		free(temporary);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", conn->db, "main");
	if (!b) {
		vsq_error_set(err, VIGIL_DB_ERR_OTHER, "cannot start the backup of %s: %s", conn->path,
		              sqlite3_errmsg(dest));
		sqlite3_close_v2(dest);
		unlink(temporary);
		free(temporary);
		return -1;
	}
	/* All pages in one step: the source is locked only for the copy. */
	rc = sqlite3_backup_step(b, -1);
	int finish_rc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || finish_rc != SQLITE_OK) {
		vsq_error_set(err, vsq_error_kind(rc == SQLITE_DONE ? finish_rc : rc),
		              "the backup of %s to %s failed: %s", conn->path, temporary,
		              sqlite3_errstr(rc == SQLITE_DONE ? finish_rc : rc));
		sqlite3_close_v2(dest);
		unlink(temporary);
		free(temporary);
		return -1;
	}
	rc = sqlite3_close_v2(dest);
	if (rc != SQLITE_OK || rename(temporary, path) != 0) {
		vsq_error_set(err, VIGIL_DB_ERR_OTHER, "cannot put the backup of %s in place at %s",
		              conn->path, path);
		unlink(temporary);
		free(temporary);
		return -1;
	}
	free(temporary);
	return 0;
}
