/*
 * driver.c — vigil's SQLite driver plugin: the descriptor and the driver table.
 *
 * vigil_sqlite.so is the only part of vigil that links libsqlite3. The database is a file
 * (never created by connecting) or, without a path, an in-memory database.
 */
#include "sqlite_driver.h"

/* The library serialises its own global state; connections are used by one thread at a time
 * (the engine's pool), so it only has to be built thread-safe. */
static int sqlite_driver_init(const vigil_host *host)
{
	if (!sqlite3_threadsafe()) {
		if (host && host->log)
			host->log(NULL, VIGIL_PLUGIN_ERROR,
			          "the sqlite3 library (%s) is built without thread support", sqlite3_libversion());
		return -1;
	}
	if (sqlite3_initialize() != SQLITE_OK) {
		if (host && host->log)
			host->log(NULL, VIGIL_PLUGIN_ERROR, "sqlite3_initialize failed");
		return -1;
	}
	return 0;
}

static const vigil_driver sqlite_driver = {
	.size = sizeof(vigil_driver),
	.type = "sqlite",
	.transactional_ddl = 1,
	.connect = vsq_connect,
	.close = vsq_close,
	.ping = vsq_ping,
	.server_version = vsq_server_version,
	.session_info = vsq_session_info,
	.exec = vsq_exec,
	.query = vsq_query,
	.begin = vsq_begin,
	.commit = vsq_commit,
	.rollback = vsq_rollback,
	.introspect = vsq_introspect,
	.privileges = vsq_privileges,
	.render_ddl = vsq_render_ddl,
	.backup = vsq_backup,
};

VIGIL_PLUGIN_DEFINE_EX(sqlite, VIGIL_IN_TREE_VERSION, "SQLite databases (libsqlite3)",
                       VIGIL_PLUGIN_DRIVER, 0, NULL, 0, sqlite_driver_init, NULL, NULL, NULL,
                       &sqlite_driver)
