/* test_db.c — db.c without a database: opening errors and the password scrubbing that every
 * message passes through (the drivers themselves are covered by tests/drivers.sh). */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_sinks.h"

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
	vg_plugins *plugins = vg_plugins_new(NULL, 0);
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
	return CHECK_SUMMARY();
}
