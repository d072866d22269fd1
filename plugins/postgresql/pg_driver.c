/*
 * pg_driver.c — the PostgreSQL driver plugin (vigil_postgresql.so): its descriptor and
 * function table. The work is in pg_connect.c (connecting within a deadline), pg_query.c
 * (statements, transactions), pg_introspect.c and pg_privileges.c (the catalogs) and
 * pg_ddl.c (schema changes as SQL). Only this plugin links libpq.
 *
 * Threads: libpq is thread-safe as long as a connection is used by one thread at a time,
 * which the engine's pool guarantees; it needs no per-thread setup.
 */
#include "pg_internal.h"

static int pg_init(const vigil_host *host)
{
	if (!PQisthreadsafe()) {
		host->log(NULL, VIGIL_PLUGIN_ERROR, "postgresql: libpq was built without thread safety");
		return -1;
	}
	return 0;
}

static const vigil_driver pg_driver_table = {
	.size = sizeof(vigil_driver),
	.type = "postgresql",
	.transactional_ddl = 1,
	.connect = pg_connect,
	.close = pg_close,
	.ping = pg_ping,
	.server_version = pg_server_version,
	.session_info = pg_session_info,
	.exec = pg_exec,
	.query = pg_query,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.introspect = pg_introspect,
	.privileges = pg_privileges,
	.render_ddl = pg_render_ddl,
};

VIGIL_PLUGIN_DEFINE_EX(postgresql, VIGIL_IN_TREE_VERSION, "PostgreSQL databases (libpq)",
                       VIGIL_PLUGIN_DRIVER, 0, NULL, 0, pg_init, NULL, NULL, NULL,
                       &pg_driver_table)
