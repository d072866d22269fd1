/*
 * driver.c — vigil's MySQL/MariaDB driver plugin (vigil_mysql.so): the descriptor, the
 * client library's process and thread set-up, and the driver table. Built on MariaDB
 * Connector/C, which speaks to MySQL servers too.
 */
#include "mysql_driver.h"

/* mysql_library_init is not thread-safe: the host calls init once, on its main thread,
 * before any worker or pool thread starts. */
static int plugin_init(const vigil_host *host)
{
	if (mysql_library_init(0, NULL, NULL) != 0) {
		host->log(NULL, VIGIL_PLUGIN_ERROR, "mysql: the MariaDB client library did not initialise");
		return -1;
	}
	return 0;
}

static void plugin_fini(const vigil_host *host)
{
	(void)host;
	mysql_library_end();
}

static int plugin_thread_init(const vigil_host *host)
{
	(void)host;
	return mysql_thread_init() != 0 ? -1 : 0;
}

static void plugin_thread_fini(const vigil_host *host)
{
	(void)host;
	mysql_thread_end();
}

static const vigil_driver mysql_driver = {
	.size = sizeof(vigil_driver),
	.type = "mysql",
	.transactional_ddl = 0, /* every DDL statement commits implicitly */
	.connect = vmy_connect,
	.close = vmy_close,
	.ping = vmy_ping,
	.server_version = vmy_server_version,
	.session_info = vmy_session_info,
	.exec = vmy_exec,
	.query = vmy_query,
	.begin = vmy_begin,
	.commit = vmy_commit,
	.rollback = vmy_rollback,
	.introspect = vmy_introspect,
	.privileges = vmy_privileges,
	.render_ddl = vmy_render_ddl,
};

VIGIL_PLUGIN_DEFINE_EX(mysql, VIGIL_IN_TREE_VERSION, "MySQL and MariaDB databases (MariaDB Connector/C)",
                       VIGIL_PLUGIN_DRIVER, 0, NULL, 0, plugin_init, plugin_fini,
                       plugin_thread_init, plugin_thread_fini, &mysql_driver)
