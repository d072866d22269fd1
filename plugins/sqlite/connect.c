/*
 * connect.c — opening an SQLite file (never creating one), closing, and the connection's facts.
 *
 * A missing file is VIGIL_DB_ERR_NO_DATABASE: a blueprint pointing at the wrong path must not
 * leave an empty database behind, so the file is opened without SQLITE_OPEN_CREATE.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, stat */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sqlite_driver.h"

/* How long a statement waits for another connection's lock when no timeout is given. */
#define DEFAULT_BUSY_TIMEOUT_MS 5000

/* Whether the host's params struct holds `field` (it may come from an older host). */
#define PARAMS_HAS(params, field)                                                           \
	((params)->size >= offsetof(vigil_conn_params, field) + sizeof((params)->field))

static const char *option_value(const vigil_conn_params *params, const char *key)
{
	if (!PARAMS_HAS(params, options) || !params->options)
		return NULL;
	for (const char *const *o = params->options; o[0] && o[1]; o += 2)
		if (strcmp(o[0], key) == 0)
			return o[1];
	return NULL;
}

/* The file must exist (and be a file): say precisely why not. */
static int check_file(const char *path, vigil_db_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return vsq_error_set(err, VIGIL_DB_ERR_NO_DATABASE,
			                     "the SQLite database file %s does not exist", path);
		if (errno == EACCES)
			return vsq_error_set(err, VIGIL_DB_ERR_PERMISSION,
			                     "the SQLite database file %s cannot be reached: %s", path,
			                     strerror(errno));
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "the SQLite database file %s: %s", path,
		                     strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return vsq_error_set(err, VIGIL_DB_ERR_NO_DATABASE,
		                     "%s is a folder, not an SQLite database file", path);
	return 0;
}

/* Foreign keys are off by default in SQLite; reading the schema proves the file is a
 * database (sqlite3_open_v2 itself reads nothing) and waits at most `timeout_ms` for a
 * connection holding an exclusive lock. */
static int prepare_session(vigil_conn *conn, unsigned timeout_ms, vigil_db_error *err)
{
	int rc = sqlite3_exec(conn->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return vsq_error_from_db(err, conn->db, rc, "cannot enable foreign keys");
	rc = sqlite3_exec(conn->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return vsq_error_set(err, VIGIL_DB_ERR_TIMEOUT,
		                     "cannot read %s within %u ms: another connection holds a lock (%s)",
		                     conn->path, timeout_ms, sqlite3_errmsg(conn->db));
	return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "cannot read %s: %s", conn->path,
	                     sqlite3_errmsg(conn->db));
}

int vsq_connect(vigil_conn **out, const vigil_conn_params *params, const vigil_host *host,
                vigil_db_error *err)
{
	(void)host;
	vsq_error_clear(err);
	if (!out)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "connect was given no place for the connection");
	*out = NULL;
	if (!params)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "connect was given no parameters");

	const char *path = PARAMS_HAS(params, path) ? params->path : NULL;
	int memory = !path || !*path || strcmp(path, ":memory:") == 0;
	const char *mode = option_value(params, "mode");
	int read_only = mode && strcmp(mode, "ro") == 0;
	if (mode && !read_only && strcmp(mode, "rw") != 0)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER,
		                     "unknown SQLite mode \"%s\" (expected ro or rw)", mode);
	if (!memory && check_file(path, err) != 0)
		return -1;

	vigil_conn *conn = calloc(1, sizeof *conn);
	if (!conn || !(conn->path = strdup(memory ? ":memory:" : path))) {
		free(conn);
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
	}
	conn->memory = memory;
	conn->read_only = read_only;

	/* No SQLITE_OPEN_CREATE: a missing file stays missing. The engine's pool hands a
	 * connection to one thread at a time, so SQLite's per-connection mutex is not needed. */
	int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(conn->path, &conn->db, flags, NULL);
	if (rc != SQLITE_OK) {
		if (conn->db)
			vsq_error_set(err, vsq_error_kind(rc), "cannot open %s: %s", conn->path,
			              sqlite3_errmsg(conn->db));
		else
			vsq_error_set(err, VIGIL_DB_ERR_OTHER, "cannot open %s: out of memory", conn->path);
		if (err && err->kind == VIGIL_DB_ERR_NO_DATABASE && !memory)
			err->kind = VIGIL_DB_ERR_PERMISSION; /* it exists (checked above) but cannot be opened */
		vsq_close(conn);
		return -1;
	}
	unsigned timeout = PARAMS_HAS(params, connect_timeout_ms) ? params->connect_timeout_ms : 0;
	if (timeout == 0 || timeout > (unsigned)INT_MAX)
		timeout = timeout ? INT_MAX : DEFAULT_BUSY_TIMEOUT_MS;
	sqlite3_busy_timeout(conn->db, (int)timeout);
	if (prepare_session(conn, timeout, err) != 0) {
		vsq_close(conn);
		return -1;
	}
	*out = conn;
	return 0;
}

void vsq_close(vigil_conn *conn)
{
	if (!conn)
		return;
	if (conn->db)
		sqlite3_close_v2(conn->db);
	free(conn->path);
	free(conn);
}

int vsq_ping(vigil_conn *conn, vigil_db_error *err)
{
	return vsq_exec(conn, "SELECT 1", err);
}

static int copy_out(char *buf, size_t size, const char *text, const char *what,
                    vigil_db_error *err)
{
	size_t n = strlen(text);
	if (!buf || n >= size)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "the buffer for the %s is too small (%zu bytes needed)",
		                     what, n + 1);
	memcpy(buf, text, n + 1);
	return 0;
}

int vsq_server_version(vigil_conn *conn, char *buf, size_t size, vigil_db_error *err)
{
	(void)conn;
	vsq_error_clear(err);
	return copy_out(buf, size, sqlite3_libversion(), "version", err);
}

int vsq_session_info(vigil_conn *conn, char *user, size_t user_size, char *database,
                     size_t database_size, int *tls, vigil_db_error *err)
{
	vsq_error_clear(err);
	if (!conn)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no connection");
	if (tls)
		*tls = 0;
	/* SQLite has no users: the empty name says so. */
	if (user && copy_out(user, user_size, "", "user name", err) != 0)
		return -1;
	if (database && copy_out(database, database_size, conn->path, "database path", err) != 0)
		return -1;
	return 0;
}
