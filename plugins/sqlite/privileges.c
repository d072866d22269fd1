/*
 * privileges.c — SQLite has no users: whoever can write the file (and its folder, where the
 * journal goes) may do everything ("all"); otherwise only read ("select"). Reported for the
 * database and for each of its tables, which one catalog statement lists.
 */
#define _POSIX_C_SOURCE 200809L /* strndup, access */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite_driver.h"

static const char tables_sql[] =
	"SELECT name FROM {schema}.sqlite_schema"
	" WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";

/* Whether `path`'s folder accepts new files (the rollback journal, the WAL). */
static int folder_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return access(".", W_OK) == 0;
	if (slash == path)
		return access("/", W_OK) == 0;
	char *folder = strndup(path, (size_t)(slash - path));
	int ok = folder && access(folder, W_OK) == 0;
	free(folder);
	return ok;
}

static int writable(const vigil_conn *conn, const char *schema)
{
	int read_only = sqlite3_db_readonly(conn->db, schema);
	if (read_only != 0) /* 1: opened read-only; -1: no such schema (the query reports it) */
		return 0;
	/* "" for an in-memory or temporary database: nothing on disk to protect it. */
	const char *file = sqlite3_db_filename(conn->db, schema);
	if (!file || !*file)
		return 1;
	return access(file, W_OK) == 0 && folder_writable(file);
}

int vsq_privileges(vigil_conn *conn, const char *namespace_, vigil_privilege_sink *sink,
                   const vigil_host *host, vigil_db_error *err)
{
	vsq_error_clear(err);
	if (!conn || !conn->db)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no connection");
	if (!host || !VIGIL_HOST_HAS(host, privilege_add))
		return vsq_error_set(err, VIGIL_DB_ERR_UNSUPPORTED,
		                     "the host does not offer the privilege setter of ABI 1.1");
	const char *schema = vsq_schema_name(namespace_);
	sqlite3_stmt *stmt = vsq_prepare_catalog(conn->db, tables_sql, schema, err);
	if (!stmt)
		return -1;
	const char *privilege = writable(conn, schema) ? "all" : "select";
	host->privilege_add(sink, NULL, privilege);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		host->privilege_add(sink, (const char *)sqlite3_column_text(stmt, 0), privilege);
	int result = rc == SQLITE_DONE ? 0 : vsq_error_from_db(err, conn->db, rc, "cannot list the tables");
	sqlite3_finalize(stmt);
	return result;
}
