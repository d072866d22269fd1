/* test_db.c — db.c without a database: opening errors and the password scrubbing that every
 * message passes through (the drivers themselves are covered by tests/drivers.sh). */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_sinks.h"
#include "host.h"
#include "plugin_loader.h"

#include "check.h"

static const char secret[] = "S3cr3t-pw!";

static void test_scrub_without_handle(void)
{
	char msg[256];
	snprintf(msg, sizeof msg, "cannot reach postgresql://bob:%s@db:5432/app: refused", secret);
	CHECK_MSG(vg_db_scrub(NULL, msg, sizeof msg) == 1, "a URL password is scrubbed");
	CHECK_MSG(!strstr(msg, secret), "no password left: %s", msg);
	CHECK_MSG(strstr(msg, "****") != NULL, "masked: %s", msg);
	snprintf(msg, sizeof msg, "host=db password=%s dbname=app", secret);
	vg_db_scrub(NULL, msg, sizeof msg);
	CHECK_MSG(!strstr(msg, secret), "no key=value password left: %s", msg);
	snprintf(msg, sizeof msg, "nothing secret here");
	CHECK_MSG(vg_db_scrub(NULL, msg, sizeof msg) == 0, "unchanged");
}

static void test_open_errors(void)
{
	vg_plugins *plugins = vg_plugins_new(vg_host_table(), NULL, 0);
	vg_plugins_add_dir(plugins, "/nonexistent/vigil-plugins");
	vg_plugins_only_added_dirs(plugins, 1);
	vg_db *db = NULL;
	vigil_db_error err;
	char url[256];
	snprintf(url, sizeof url, "postgresql://bob:%s@127.0.0.1:1/app", secret);

	vg_db_target target = { VG_DB_UNKNOWN, url, NULL, 0 };
	CHECK_MSG(vg_db_open(&db, plugins, &target, &err) == -1 && !db, "no driver plugin: fails");
	CHECK_MSG(err.kind == VIGIL_DB_ERR_UNSUPPORTED, "kind %s", vg_db_error_kind_name(err.kind));
	CHECK_MSG(strstr(err.message, "postgresql") && !strstr(err.message, secret), "message: %s",
	          err.message);

	target.type = VG_DB_MYSQL;
	CHECK_MSG(vg_db_open(&db, plugins, &target, &err) == -1, "type and scheme disagree");
	CHECK_MSG(!strstr(err.message, secret), "message: %s", err.message);

	snprintf(url, sizeof url, "postgresql://bob:%s@[::1/app", secret);
	target.type = VG_DB_POSTGRESQL;
	CHECK_MSG(vg_db_open(&db, plugins, &target, &err) == -1, "a bad URL fails");
	CHECK_MSG(err.message[0] && !strstr(err.message, secret), "message: %s", err.message);

	CHECK_MSG(strcmp(vg_db_error_kind_name(VIGIL_DB_ERR_TIMEOUT), "TIMEOUT") == 0,
	          "kind names");
	CHECK_MSG(strcmp(vg_db_error_kind_name(99), "UNKNOWN") == 0, "unknown kind");
	vg_plugins_free(plugins);
}

/* Runs load a driver only when a database of its type is used; listing loads them all. */
static void test_drivers_load_on_demand(void)
{
	vg_plugins *set = vg_plugins_new(vg_host_table(), NULL, 0);
	CHECK(set != NULL);
	if (!set)
		return;
	vg_plugins_add_dir(set, VIGIL_BUILD_PLUGIN_DIR);
	vg_plugins_only_added_dirs(set, 1);
	CHECK(vg_plugins_discover_ex(set, 1, NULL) == VIGIL_OK);
	for (size_t i = 0; i < vg_plugins_count(set); i++) {
		const vg_plugin *p = vg_plugins_at(set, i);
		CHECK_MSG(!p->desc || p->desc->kind != VIGIL_PLUGIN_DRIVER, "driver %s loaded by a run's discovery",
		          p->info.name);
	}
	const char *error = NULL;
	CHECK(vg_plugins_load(set, "sqlite", 0, &error) == VIGIL_OK);
	size_t drivers = 0;
	CHECK(vg_plugins_discover(set, NULL) == VIGIL_OK);
	for (size_t i = 0; i < vg_plugins_count(set); i++) {
		const vg_plugin *p = vg_plugins_at(set, i);
		drivers += p->desc && p->desc->kind == VIGIL_PLUGIN_DRIVER;
	}
	CHECK_MSG(drivers == 3, "full discovery (vigil plugins) finds the 3 drivers, found %zu", drivers);
	vg_plugins_free(set);
}

static void test_privilege_rules(void)
{
	vg_arena *a = vg_arena_new();
	vigil_privilege_sink *sink = vg_privilege_sink_new(a);
	CHECK(sink != NULL);
	if (!sink) {
		vg_arena_free(a);
		return;
	}
	vg_host_privilege_add(sink, NULL, "all");        /* database-wide */
	vg_host_privilege_add(sink, "orders", "select");
	CHECK(vg_privilege_has(sink, "orders", "insert"));     /* via database-wide "all" */
	CHECK(vg_privilege_has(sink, NULL, "create"));
	CHECK(!vg_privilege_has(sink, NULL, "superuser"));     /* "all" is not superuser */
	vigil_privilege_sink *ro = vg_privilege_sink_new(a);
	vg_host_privilege_add(ro, "orders", "select");
	CHECK(vg_privilege_has(ro, "orders", "select"));
	CHECK(!vg_privilege_has(ro, "orders", "insert"));
	CHECK(!vg_privilege_has(ro, "customers", "select"));   /* per-table grants stay per table */
	vigil_privilege_sink *admin = vg_privilege_sink_new(a);
	vg_host_privilege_add(admin, NULL, "superuser");
	CHECK(vg_privilege_has(admin, "anything", "delete"));
	CHECK(vg_privilege_has(admin, NULL, "superuser"));
	vg_arena_free(a);
}

int main(void)
{
	test_scrub_without_handle();
	test_open_errors();
	test_privilege_rules();
	test_drivers_load_on_demand();
	return CHECK_SUMMARY();
}
