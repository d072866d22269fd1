/*
 * Unit tests of the level-2 (components) validator: for each rule a failing and a passing
 * blueprint, with the exact codes and lines expected.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "run.h"

#include "check.h"

const vigil_plugin_desc *vigil_plugin_components_get_desc(void);

/* The test environment: APP_DB_PASSWORD is set (to a value no report may show). */
static const char *fake_getenv(const char *name)
{
	if (strcmp(name, "APP_DB_PASSWORD") == 0)
		return "s3cret-from-env";
	if (strcmp(name, "DATABASE_URL") == 0)
		return "mysql://app:s3cret-from-env@db:3306/app";
	return NULL;
}

typedef struct result {
	vg_arena *arena;
	vigil_report *report;
} result;

/* Parses, builds and runs every level-2 check; findings sorted. */
static result run_level2(const char *file, const char *yaml)
{
	result r = { vg_arena_new(), vg_report_new(file) };
	if (!r.arena || !r.report)
		return r;
	vg_yaml_error err;
	vg_node *root = vg_yaml_parse(r.arena, file, yaml, strlen(yaml), &err);
	if (!root) {
		fprintf(stderr, "YAML error at line %u: %s\n", err.line, err.message);
		return r;
	}
	vg_blueprint *bp = vg_blueprint_build(r.arena, file, root, fake_getenv);
	vigil_check_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.report = r.report;
	ctx.blueprint = bp;
	ctx.root = root;
	ctx.level = 2;
	const vigil_plugin_desc *d = vigil_plugin_components_get_desc();
	for (size_t i = 0; i < d->check_count; i++) {
		ctx.check = vg_report_add_check(r.report, 2, d->checks[i].name, NULL);
		ctx.check_name = d->checks[i].name;
		if (d->checks[i].run(&ctx, vg_host_table()) != 0)
			fprintf(stderr, "check %s could not run\n", d->checks[i].name);
	}
	vg_report_finish(r.report);
	return r;
}

static void done(result *r)
{
	vigil_report_free(r->report);
	vg_arena_free(r->arena);
}

/* No part of any finding shows a secret. */
static int leaks(const vigil_report *report, const char *secret)
{
	for (size_t i = 0; i < vigil_report_finding_count(report); i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		if (contains(f->message, secret) || contains(f->detail, secret) ||
		    contains(f->hint, secret) || contains(f->expected, secret) ||
		    contains(f->actual, secret) || contains(f->object, secret))
			return 1;
	}
	return 0;
}

static void dump(const vigil_report *report)
{
	for (size_t i = 0; i < vigil_report_finding_count(report); i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		fprintf(stderr, "    %s@%u:%u %s | %s | %s\n", f->code, f->line, f->column, f->message,
		        f->detail ? f->detail : "-", f->hint ? f->hint : "-");
	}
}

/*
 * The findings are exactly `expected`: "VG201@11 VG204@11" (code@line, any order); "" for
 * none. Returns the report for further checks (caller frees).
 */
static result expect(const char *name, const char *file, const char *yaml, const char *expected)
{
	result r = run_level2(file, yaml);
	if (!r.report) {
		CHECK(!"out of memory");
		return r;
	}
	size_t n = vigil_report_finding_count(r.report);
	char *used = calloc(n + 1, 1);
	int ok = used != NULL;
	size_t wanted = 0;
	const char *p = expected;
	while (ok && *p) {
		char code[16];
		unsigned line;
		int len;
		if (sscanf(p, " %15[^@]@%u%n", code, &line, &len) != 2)
			break;
		p += len;
		wanted++;
		int found = 0;
		for (size_t i = 0; i < n && !found; i++) {
			const vigil_finding *f = vigil_report_finding(r.report, i);
			if (!used[i] && strcmp(f->code, code) == 0 && f->line == line)
				found = used[i] = 1;
		}
		ok = found;
		while (*p == ' ')
			p++;
	}
	ok = ok && wanted == n;
	if (!ok) {
		fprintf(stderr, "%s: expected [%s], got:\n", name, expected);
		dump(r.report);
	}
	free(used);
	CHECK(ok);
	CHECK(!leaks(r.report, "s3cret-from-env"));
	CHECK(!leaks(r.report, "hunter2"));
	return r;
}

static void expect_only(const char *name, const char *yaml, const char *expected)
{
	result r = expect(name, "/tmp/bp.yaml", yaml, expected);
	done(&r);
}

static const vigil_finding *first_with(const vigil_report *report, const char *code)
{
	for (size_t i = 0; i < vigil_report_finding_count(report); i++)
		if (strcmp(vigil_report_finding(report, i)->code, code) == 0)
			return vigil_report_finding(report, i);
	return NULL;
}

/* A copy of `text` with the first `from` replaced by `to` (the test's own memory). */
static char *variant(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at) {
		fprintf(stderr, "variant: '%s' not in the baseline\n", from);
		check_count(0);
		at = text + strlen(text);
		from = "";
	}
	size_t n = strlen(text) - strlen(from) + strlen(to);
	char *s = malloc(n + 1);
	if (!s)
		abort();
	size_t head = (size_t)(at - text);
	memcpy(s, text, head);
	memcpy(s + head, to, strlen(to));
	memcpy(s + head + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	return s;
}

static void expect_variant(const char *name, const char *base, const char *from, const char *to,
                           const char *expected)
{
	char *yaml = variant(base, from, to);
	expect_only(name, yaml, expected);
	free(yaml);
}

/* ---- components and databases: one baseline, one change per case -------------------------- */

static const char *const baseline =
	"schema_version: \"1.0.0\"\n"                                                  /* 1 */
	"system:\n"                                                                    /* 2 */
	"  name: shop\n"                                                               /* 3 */
	"  components:\n"                                                              /* 4 */
	"    - name: api\n"                                                            /* 5 */
	"      type: APIEndpoint\n"                                                    /* 6 */
	"      config: {port: 8080}\n"                                                 /* 7 */
	"      outputs: [{name: created, schema: Order}]\n"                            /* 8 */
	"    - name: store\n"                                                          /* 9 */
	"      type: Store\n"                                                          /* 10 */
	"      config: {database: main, table: orders}\n"                              /* 11 */
	"      inputs: [{name: input, schema: Order}]\n"                               /* 12 */
	"  databases:\n"                                                               /* 13 */
	"    main:\n"                                                                  /* 14 */
	"      type: postgresql\n"                                                     /* 15 */
	"      url: postgresql://app:${APP_DB_PASSWORD}@127.0.0.1:5432/app\n"          /* 16 */
	"      pool: {min: 1, max: 8, connect_timeout_ms: 2000}\n"                     /* 17 */
	"      permissions: [select, insert]\n"                                        /* 18 */
	"      benchmark: {clients: 4, duration_ms: 2000, max_p95_ms: 20, min_tps: 500}\n" /* 19 */
	"      schema:\n"                                                              /* 20 */
	"        tables:\n"                                                            /* 21 */
	"          - name: users\n"                                                    /* 22 */
	"            columns:\n"                                                       /* 23 */
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n" /* 24 */
	"              - {name: email, type: varchar(200), unique: true}\n"            /* 25 */
	"          - name: orders\n"                                                   /* 26 */
	"            columns:\n"                                                       /* 27 */
	"              - {name: id, type: serial, primary_key: true}\n"                /* 28 */
	"              - {name: user_id, type: int4, nullable: false}\n"               /* 29 */
	"              - {name: done, type: boolean, default: \"false\"}\n"            /* 30 */
	"            indexes: [{name: orders_user_idx, columns: [user_id]}]\n"         /* 31 */
	"            foreign_keys: [{columns: [user_id], references: {table: users, columns: [id]}}]\n" /* 32 */
	"        migrations:\n"                                                        /* 33 */
	"          - {version: 1, up: \"CREATE TABLE users (id int)\"}\n"              /* 34 */
	"          - {version: 2, up: \"CREATE TABLE orders (id int)\"}\n"             /* 35 */
	"schemas:\n"                                                                   /* 36 */
	"  Order: {type: object}\n";                                                   /* 37 */

static void test_baseline_passes(void)
{
	expect_only("baseline", baseline, "");
}

static void test_stores(void)
{
	const char *cfg = "config: {database: main, table: orders}";
	/* A Store that names no database keeps its records in memory (the generation
	 * pipeline's default storage_type): an info, not VG201/VG204. */
	expect_variant("VG245 no database", baseline, cfg, "config: {table: orders}", "VG245@10");
	expect_variant("VG245 no config", baseline, cfg, "x-note: none", "VG245@10");
	expect_variant("VG245 storage_type memory", baseline, cfg, "config: {storage_type: memory}",
	               "VG245@10");
	/* storage_type other than memory: a database from database_type and database_url */
	expect_variant(
	        "storage_type database", baseline, cfg,
	        "config: {storage_type: database, database_type: sqlite, database_url: \"sqlite:///o.db\", table_name: orders}",
	        "");
	expect_variant("VG209 storage_type without url", baseline, cfg,
	               "config: {storage_type: database, table_name: orders}", "VG209@11");
	expect_variant(
	        "VG213 password in database_url", baseline, cfg,
	        "config: {storage_type: database, database_url: \"postgresql://app:hunter2@db/app\", table_name: orders}",
	        "VG213@11");
	expect_variant("VG202 unknown database", baseline, cfg, "config: {database: mian, table: orders}", "VG202@11");
	expect_variant("VG203 unknown table", baseline, cfg, "config: {database: main, table: ordrs}", "VG203@11");
	expect_variant("VG204 no table", baseline, cfg, "config: {database: main}", "VG204@11");
	/* table_name is the same key; a non-Store naming a missing database is still VG202 */
	expect_variant("table_name", baseline, cfg, "config: {database: main, table_name: orders}", "");
	expect_variant("non-store database", baseline, "config: {port: 8080}",
	               "config: {port: 8080, database: nope}", "VG202@7");

	char *yaml = variant(baseline, cfg, "config: {database: mian, table: ordrs}");
	result r = expect("VG202 hint", "/tmp/bp.yaml", yaml, "VG202@11");
	const vigil_finding *f = first_with(r.report, "VG202");
	CHECK(f && contains(f->hint, "did you mean 'main'?") && contains(f->detail, "main"));
	CHECK(f && f->severity == VIGIL_SEVERITY_ERROR && f->column == 26);
	done(&r);
	free(yaml);

	yaml = variant(baseline, cfg, "config: {database: main, table: ordrs}");
	r = expect("VG203 hint", "/tmp/bp.yaml", yaml, "VG203@11");
	f = first_with(r.report, "VG203");
	CHECK(f && contains(f->hint, "'orders'") && contains(f->object, "ordrs") && contains(f->database, "main"));
	done(&r);
	free(yaml);

	yaml = variant(baseline, cfg, "config: {database: main}");
	r = expect("VG204 warning", "/tmp/bp.yaml", yaml, "VG204@11");
	f = first_with(r.report, "VG204");
	CHECK(f && f->severity == VIGIL_SEVERITY_WARNING);
	done(&r);
	free(yaml);

	/* VG203 only when the database declares a schema at all */
	expect_only("VG203 without schema",
	            "schema_version: \"1.0.0\"\n"
	            "system:\n"
	            "  name: s\n"
	            "  components:\n"
	            "    - {name: st, type: Store, config: {database: db, table: anything}}\n"
	            "  databases:\n"
	            "    db: {type: sqlite, url: \"sqlite::memory:\"}\n",
	            "");
	/* an inline database block is a database */
	expect_only("inline database",
	            "schema_version: \"1.0.0\"\n"
	            "system:\n"
	            "  name: s\n"
	            "  components:\n"
	            "    - name: st\n"
	            "      type: Store\n"
	            "      config:\n"
	            "        table: items\n"
	            "        database:\n"
	            "          type: sqlite\n"
	            "          connection_string: \"sqlite::memory:\"\n"
	            "          schema:\n"
	            "            tables:\n"
	            "              - {name: itemz, columns: [{name: id, type: integer, primary_key: true}]}\n",
	            "VG203@8");
}

static void test_ports(void)
{
	const char *in = "inputs: [{name: input, schema: Order}]";
	expect_variant("VG205 duplicate input", baseline, in,
	               "inputs: [{name: input, schema: Order}, {name: input}]", "VG205@12");
	/* an input and an output may share a name */
	expect_variant("in and out same name", baseline, "outputs: [{name: created, schema: Order}]",
	               "outputs: [{name: created, schema: Order}]\n      inputs: [{name: created}]", "");
	expect_variant("VG206 unknown schema", baseline, in, "inputs: [{name: input, schema: Ordr}]",
	               "VG206@12");
	expect_variant("VG231 port too large", baseline, "config: {port: 8080}",
	               "config: {port: 70000}", "VG231@7");
	expect_variant("VG231 port zero", baseline, "config: {port: 8080}", "config: {port: 0}",
	               "VG231@7");
	expect_variant("port 65535", baseline, "config: {port: 8080}", "config: {port: 65535}", "");

	char *yaml = variant(baseline, in, "inputs: [{name: input, schema: Ordr}]");
	result r = expect("VG206 hint", "/tmp/bp.yaml", yaml, "VG206@12");
	const vigil_finding *f = first_with(r.report, "VG206");
	CHECK(f && contains(f->hint, "'Order'"));
	done(&r);
	free(yaml);
}

static void test_urls(void)
{
	const char *url = "url: postgresql://app:${APP_DB_PASSWORD}@127.0.0.1:5432/app";
	expect_variant("VG209 no url", baseline, url, "x-url: none", "VG209@15");
	expect_variant("VG209 empty url", baseline, url, "url: \"\"", "VG209@16");
	expect_variant("VG207 bad port (after expansion)", baseline, url,
	               "url: postgresql://app:${APP_DB_PASSWORD}@127.0.0.1:54x2/app", "VG207@16");
	expect_variant("VG208 scheme vs type", baseline, "type: postgresql", "type: mysql", "VG208@16");
	expect_variant("VG210 unknown type", baseline, "type: postgresql", "type: postgress", "VG210@15");
	expect_variant("VG213 literal password", baseline, url,
	               "url: postgresql://app:hunter2@127.0.0.1:5432/app", "VG213@16");
	expect_variant("VG213 password parameter", baseline, url,
	               "url: \"postgresql://app@127.0.0.1:5432/app?password=hunter2\"", "VG213@16");
	expect_variant("no password", baseline, url, "url: postgresql://app@127.0.0.1:5432/app", "");
	expect_variant("password of two references", baseline, url,
	               "url: postgresql://app:${APP_DB_PASSWORD}${APP_DB_PASSWORD}@127.0.0.1:5432/app", "");
	expect_variant("VG213 partly literal password", baseline, url,
	               "url: postgresql://app:hunter2${APP_DB_PASSWORD}@127.0.0.1:5432/app", "VG213@16");
	expect_variant("password parameter from env", baseline, url,
	               "url: \"postgresql://app@127.0.0.1:5432/app?password=${APP_DB_PASSWORD}\"", "");
	expect_variant("whole URL from env", baseline, url, "url: ${DATABASE_URL}", "VG208@16");
	expect_variant("postgres alias and driver", baseline, url,
	               "url: postgres+psycopg://app:${APP_DB_PASSWORD}@[::1]:5432/app", "");
	/* an undefined ${VAR} is level 1's finding: no parse error on top */
	expect_variant("undefined env", baseline, url, "url: postgresql://app@${NOPE}:x/app", "");

	/* the position counts characters of the URL as written, 1-based */
	char *yaml = variant(baseline, url, "url: postgresql://app@127.0.0.1:54x2/app");
	result r = expect("VG207 position", "/tmp/bp.yaml", yaml, "VG207@16");
	const vigil_finding *f = first_with(r.report, "VG207");
	CHECK(f && contains(f->message, "at character 28, port is not a number"));
	CHECK(f && contains(f->detail, "postgresql://app@127.0.0.1:54x2/app"));
	done(&r);
	free(yaml);

	yaml = variant(baseline, url, "url: postgresql://app:hunter2@127.0.0.1:5432/app");
	r = expect("VG213 redacted", "/tmp/bp.yaml", yaml, "VG213@16");
	f = first_with(r.report, "VG213");
	CHECK(f && f->severity == VIGIL_SEVERITY_WARNING);
	CHECK(f && contains(f->detail, "postgresql://app:****@127.0.0.1:5432/app"));
	CHECK(f && contains(f->hint, "${MAIN_DB_PASSWORD}"));
	done(&r);
	free(yaml);

	/* a bad URL with a literal password: the parse error shows only the redacted URL */
	yaml = variant(baseline, url, "url: postgresql://app:hunter2@127.0.0.1:bad/app");
	r = expect("VG207 redacted", "/tmp/bp.yaml", yaml, "VG207@16 VG213@16");
	done(&r);
	free(yaml);

	yaml = variant(baseline, "type: postgresql", "type: mysql");
	r = expect("VG208 evidence", "/tmp/bp.yaml", yaml, "VG208@16");
	f = first_with(r.report, "VG208");
	CHECK(f && contains(f->expected, "mysql") && contains(f->actual, "postgresql"));
	CHECK(f && contains(f->message, "is a postgresql URL (scheme 'postgresql')"));
	done(&r);
	free(yaml);

	yaml = variant(baseline, "type: postgresql", "type: postgress");
	r = expect("VG210 hint", "/tmp/bp.yaml", yaml, "VG210@15");
	f = first_with(r.report, "VG210");
	CHECK(f && contains(f->hint, "'postgres'"));
	done(&r);
	free(yaml);

	/* resources.databases naming a connection without URL: a warning */
	r = expect("VG209 resource", "/tmp/bp.yaml",
	           "schema_version: \"1.0.0\"\n"
	           "system:\n"
	           "  name: s\n"
	           "  components: [{name: a, type: Source}]\n"
	           "resources:\n"
	           "  databases:\n"
	           "    - {type: postgresql, connection_name: primary}\n",
	           "VG209@7");
	f = first_with(r.report, "VG209");
	CHECK(f && f->severity == VIGIL_SEVERITY_WARNING);
	done(&r);
}

static void test_pool_and_settings(void)
{
	const char *pool = "pool: {min: 1, max: 8, connect_timeout_ms: 2000}";
	expect_variant("VG211 min > max", baseline, pool, "pool: {min: 9, max: 8, connect_timeout_ms: 2000}", "VG211@17");
	expect_variant("VG211 negative, zero", baseline, pool, "pool: {min: -1, max: 0, connect_timeout_ms: 2000}",
	               "VG211@17 VG211@17");
	expect_variant("pool min = max", baseline, pool, "pool: {min: 8, max: 8}", "");
	expect_variant("VG212 zero timeout", baseline, pool, "pool: {min: 1, max: 8, connect_timeout_ms: 0}", "VG212@17");
	expect_variant("VG212 huge timeout", baseline, pool, "pool: {connect_timeout_ms: 700000}", "VG212@17");
	expect_variant("VG212 acquire timeout", baseline, pool, "pool: {acquire_timeout_ms: -5}", "VG212@17");
	expect_variant("timeout bounds", baseline, pool, "pool: {connect_timeout_ms: 600000, acquire_timeout_ms: 1}", "");
	expect_variant("VG211 connection_pool", baseline, pool, "connection_pool: {min_size: 5, max_size: 2, timeout: 30}",
	               "VG211@17");
	expect_variant("VG212 connection_pool seconds", baseline, pool, "connection_pool: {min_size: 1, max_size: 2, timeout: 900}",
	               "VG212@17");
	expect_variant("VG214 unknown permission", baseline, "permissions: [select, insert]",
	               "permissions: [selct, INSERT, all]", "VG214@18");
	const char *bench = "benchmark: {clients: 4, duration_ms: 2000, max_p95_ms: 20, min_tps: 500}";
	expect_variant("VG215 clients", baseline, bench, "benchmark: {clients: 0, duration_ms: 2000}", "VG215@19");
	expect_variant("VG215 several", baseline, bench,
	               "benchmark: {clients: 2000, duration_ms: 50, max_p95_ms: 0, min_tps: -1, max_error_rate: 2}",
	               "VG215@19 VG215@19 VG215@19 VG215@19 VG215@19");
	expect_variant("benchmark bounds", baseline, bench,
	               "benchmark: {clients: 1024, duration_ms: 100, max_p95_ms: 0.5, min_tps: 0, max_error_rate: 1}", "");
	expect_variant("VG215 validation.performance", baseline, "schemas:\n",
	               "validation: {performance: {clients: 0}}\nschemas:\n", "VG215@36");

	char *yaml = variant(baseline, "permissions: [select, insert]", "permissions: [selct]");
	result r = expect("VG214 hint", "/tmp/bp.yaml", yaml, "VG214@18");
	const vigil_finding *f = first_with(r.report, "VG214");
	CHECK(f && contains(f->hint, "'select'") && f->column == 21);
	done(&r);
	free(yaml);
}

static void test_sqlite_folder(void)
{
	const char *head =
		"schema_version: \"1.0.0\"\n"
		"system:\n"
		"  name: s\n"
		"  components: [{name: a, type: Source}]\n"
		"  databases:\n"
		"    main: {type: sqlite, url: \"%s\"}\n";
	static const struct {
		const char *file, *url, *expected;
	} cases[] = {
		{ "/tmp/bp.yaml", "sqlite:///no_such_folder_vigil/t.db", "VG233@6" },
		{ "/tmp/bp.yaml", "sqlite:////no/such/folder/t.db", "VG233@6" },
		{ "/no_such_dir_vigil/bp.yaml", "sqlite:///t.db", "VG233@6" },
		{ "/tmp/bp.yaml", "sqlite:///t.db", "" },
		{ "/tmp/bp.yaml", "sqlite:////tmp/t.db", "" },
		{ "/no_such_dir_vigil/bp.yaml", "sqlite::memory:", "" },
		{ "/tmp/bp.yaml", "sqlite:x.db", "VG207@6" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char yaml[512];
		snprintf(yaml, sizeof yaml, head, cases[i].url);
		result r = expect(cases[i].url, cases[i].file, yaml, cases[i].expected);
		done(&r);
	}
}

/* ---- declared schema: a header, then the tables and migrations under test ------------------ */

static void expect_schema(const char *name, const char *type, const char *schema, const char *expected)
{
	/* 10 lines of header: the schema text starts on line 11 */
	char *yaml = malloc(strlen(schema) + 512);
	if (!yaml)
		abort();
	snprintf(yaml, strlen(schema) + 512,
	        "schema_version: \"1.0.0\"\n"
	        "system:\n"
	        "  name: s\n"
	        "  components:\n"
	        "    - {name: api, type: APIEndpoint}\n"
	        "  databases:\n"
	        "    main:\n"
	        "      type: %s\n"
	        "      url: \"%s\"\n"
	        "      schema:\n"
	        "%s",
	        type,
	        strcmp(type, "sqlite") == 0 ? "sqlite::memory:"
	        : strcmp(type, "mysql") == 0 ? "mysql://app@localhost/app"
	                                     : "postgresql://app@localhost/app",
	        schema);
	expect_only(name, yaml, expected);
	free(yaml);
}

static const char *const users_orders =
	"        tables:\n"                                                            /* 11 */
	"          - name: users\n"                                                    /* 12 */
	"            columns:\n"                                                       /* 13 */
	"              - {name: id, type: integer, primary_key: true}\n"               /* 14 */
	"              - {name: email, type: varchar(200), unique: true}\n"            /* 15 */
	"              - {name: name, type: text}\n"                                   /* 16 */
	"          - name: orders\n"                                                   /* 17 */
	"            columns:\n"                                                       /* 18 */
	"              - {name: id, type: integer, primary_key: true}\n"               /* 19 */
	"              - {name: user_id, type: integer}\n"                             /* 20 */
	"            foreign_keys:\n"                                                  /* 21 */
	"              - {columns: [user_id], references: {table: users, columns: [id]}}\n"; /* 22 */

static void expect_tables(const char *name, const char *type, const char *from, const char *to,
                          const char *expected)
{
	char *schema = variant(users_orders, from, to);
	expect_schema(name, type, schema, expected);
	free(schema);
}

static void test_types(void)
{
	expect_schema("users/orders on postgresql", "postgresql", users_orders, "");
	expect_schema("users/orders on mysql", "mysql", users_orders, "");
	expect_schema("users/orders on sqlite", "sqlite", users_orders, "");
	const char *email = "type: varchar(200)";
	expect_tables("VG216 typo", "postgresql", email, "type: varchr(200)", "VG216@15");
	expect_tables("VG216 sqlite typo", "sqlite", email, "type: varchr(200)", "VG216@15");
	expect_tables("VG216 jsonb on mysql", "mysql", email, "type: jsonb", "VG216@15");
	expect_tables("jsonb on postgresql", "postgresql", email, "type: jsonb", "");
	expect_tables("VG216 mediumtext on postgresql", "postgresql", email, "type: mediumtext", "VG216@15");
	expect_tables("mediumtext on mysql", "mysql", email, "type: mediumtext", "");
	expect_tables("real-schema spellings", "postgresql", email, "type: character varying(200)", "");
	expect_tables("tinyint(1) on mysql", "mysql", email, "type: tinyint(1)", "");

	char *schema = variant(users_orders, email, "type: varchr(200)");
	char *yaml = malloc(strlen(schema) + 512);
	if (!yaml)
		abort();
	snprintf(yaml, strlen(schema) + 512,
	        "schema_version: \"1.0.0\"\nsystem:\n  name: s\n  components:\n"
	        "    - {name: api, type: APIEndpoint}\n  databases:\n    main:\n"
	        "      type: mysql\n      url: \"mysql://app@localhost/app\"\n      schema:\n%s",
	        schema);
	result r = expect("VG216 hint", "/tmp/bp.yaml", yaml, "VG216@15");
	const vigil_finding *f = first_with(r.report, "VG216");
	CHECK(f && contains(f->hint, "'varchar(200)'") && contains(f->object, "users.email") &&
	      contains(f->database, "main") && f->column == 37);
	CHECK(f && contains(f->message, "MySQL"));
	done(&r);
	free(yaml);
	free(schema);
}

static void test_keys_and_indexes(void)
{
	const char *users_head = "          - name: users\n";
	expect_tables("VG224 users without pk", "postgresql",
	              "              - {name: id, type: integer, primary_key: true}\n              - {name: email",
	              "              - {name: id, type: integer}\n              - {name: email", "VG224@12 VG223@22");
	expect_tables("VG217 unknown pk column", "postgresql", users_head,
	              "          - name: users\n            primary_key: [idd]\n",
	              "VG217@13 VG225@13");
	expect_tables("VG217 unknown unique column", "postgresql", users_head,
	              "          - name: users\n            unique: [[email, nmae]]\n", "VG217@13");
	expect_tables("unique set ok", "postgresql", users_head,
	              "          - name: users\n            unique: [email, [email, name]]\n", "");
	expect_tables("VG218 index column", "postgresql", users_head,
	              "          - name: users\n            indexes: [{name: users_idx, columns: [email, nope]}]\n",
	              "VG218@13");
	expect_tables("VG225 two different pks", "postgresql", users_head,
	              "          - name: users\n            primary_key: [email]\n", "VG225@13");
	expect_tables("same pk twice is fine", "postgresql", users_head,
	              "          - name: users\n            primary_key: [id]\n", "");
	expect_tables("VG224 no primary key", "postgresql",
	              "              - {name: id, type: integer, primary_key: true}\n              - {name: user_id",
	              "              - {name: id, type: integer}\n              - {name: user_id", "VG224@17");
	expect_tables("VG232 no columns", "postgresql", users_head,
	              "          - name: empty\n            columns: []\n          - name: users\n", "VG232@13");
	expect_tables("VG230 index name twice", "postgresql", users_head,
	              "          - name: users\n            indexes: [{name: ix, columns: [email]}, {name: ix, columns: [name]}]\n",
	              "VG230@13");
	const char *both =
		"          - name: users\n            indexes: [{name: ix, columns: [email]}]\n";
	const char *orders_head = "          - name: orders\n";
	char *schema = variant(users_orders, users_head, both);
	char *schema2 = variant(schema, orders_head,
	                        "          - name: orders\n            indexes: [{name: ix, columns: [user_id]}]\n");
	expect_schema("VG230 across tables on postgresql", "postgresql", schema2, "VG230@19");
	expect_schema("VG230 across tables on sqlite", "sqlite", schema2, "VG230@19");
	expect_schema("MySQL keeps index names per table", "mysql", schema2, "");
	free(schema);
	free(schema2);
}

static void test_columns(void)
{
	const char *orders_id = "{name: id, type: integer, primary_key: true}\n              - {name: user_id";
	expect_tables("VG226 auto_increment on text", "postgresql", "{name: name, type: text}",
	              "{name: name, type: text, auto_increment: true}", "VG226@16");
	expect_tables("VG226 auto_increment off the pk", "postgresql", "{name: user_id, type: integer}",
	              "{name: user_id, type: integer, auto_increment: true}", "VG226@20");
	expect_tables("auto_increment ok", "postgresql", orders_id,
	              "{name: id, type: bigint, primary_key: true, auto_increment: true}\n              - {name: user_id",
	              "");
	expect_tables("auto_increment ok (same type)", "mysql", "{name: id, type: integer, primary_key: true}\n              - {name: email",
	              "{name: id, type: integer, primary_key: true, auto_increment: true}\n              - {name: email", "");
	expect_tables("VG229 default abc on integer", "postgresql", "{name: user_id, type: integer}",
	              "{name: user_id, type: integer, default: abc}", "VG229@20");
	expect_tables("VG229 default on boolean", "mysql", "{name: name, type: text}",
	              "{name: name, type: boolean, default: maybe}", "VG229@16");
	expect_tables("defaults that fit", "postgresql", "{name: name, type: text}",
	              "{name: name, type: boolean, default: false}\n"
	              "              - {name: at, type: datetime, default: CURRENT_TIMESTAMP}\n"
	              "              - {name: at2, type: timestamptz, default: now()}\n"
	              "              - {name: n, type: integer, default: 0}",
	              "");
	expect_tables("default from env is not judged", "postgresql", "{name: name, type: text}",
	              "{name: name, type: integer, default: \"${APP_DB_PASSWORD}\"}", "");
}

static void test_foreign_keys(void)
{
	const char *fk = "{columns: [user_id], references: {table: users, columns: [id]}}";
	expect_tables("VG219 fk table", "postgresql", fk, "{columns: [user_id], references: {table: userz, columns: [id]}}",
	              "VG219@22");
	expect_tables("VG220 own column", "postgresql", fk, "{columns: [usr_id], references: {table: users, columns: [id]}}",
	              "VG220@22");
	expect_tables("VG220 referenced column", "postgresql", fk, "{columns: [user_id], references: {table: users, columns: [idx]}}",
	              "VG220@22");
	expect_tables("VG221 arity", "postgresql", fk, "{columns: [user_id], references: {table: users, columns: [id, email]}}",
	              "VG221@22");
	expect_tables("VG222 type", "postgresql", "{name: user_id, type: integer}", "{name: user_id, type: text}",
	              "VG222@22");
	expect_tables("compatible spellings", "postgresql", "{name: user_id, type: integer}", "{name: user_id, type: int4}", "");
	expect_tables("VG223 not unique", "postgresql", fk, "{columns: [user_id], references: {table: users, columns: [name]}}",
	              "VG222@22 VG223@22");
	expect_tables("unique column target", "postgresql", fk,
	              "{columns: [user_id], references: {table: users, columns: [email]}}", "VG222@22");
	expect_tables("sqlite compares storage classes", "sqlite", "{name: user_id, type: integer}",
	              "{name: user_id, type: bigint}", "");

	char *schema = variant(users_orders, "{name: user_id, type: integer}", "{name: user_id, type: text}");
	char *yaml = malloc(strlen(schema) + 512);
	if (!yaml)
		abort();
	snprintf(yaml, strlen(schema) + 512,
	        "schema_version: \"1.0.0\"\nsystem:\n  name: s\n  components:\n"
	        "    - {name: api, type: APIEndpoint}\n  databases:\n    main:\n"
	        "      type: postgresql\n      url: \"postgresql://app@localhost/app\"\n      schema:\n%s",
	        schema);
	result r = expect("VG222 evidence", "/tmp/bp.yaml", yaml, "VG222@22");
	const vigil_finding *f = first_with(r.report, "VG222");
	CHECK(f && contains(f->expected, "integer") && contains(f->actual, "text"));
	CHECK(f && contains(f->object, "orders.user_id") && f->severity == VIGIL_SEVERITY_WARNING);
	done(&r);
	free(yaml);
	free(schema);
}

static void test_migrations(void)
{
	const char *tables = "        tables:\n          - {name: t, columns: [{name: id, type: integer, primary_key: true}]}\n";
	char buf[1024];
	static const struct {
		const char *name, *migrations, *expected;
	} cases[] = {
		{ "increasing",
		  "          - {version: 1, up: \"x\"}\n          - {version: 2, up: \"y\"}\n",
		  "" },
		{ "VG227 repeated",
		  "          - {version: 1, up: \"x\"}\n          - {version: 1, up: \"y\"}\n",
		  "VG227@15" },
		{ "VG227 decreasing",
		  "          - {version: 3, up: \"x\"}\n          - {version: 2, up: \"y\"}\n",
		  "VG227@15" },
		{ "VG227 missing", "          - {version: 1, up: \"x\"}\n          - {up: \"y\"}\n",
		  "VG227@15" },
		{ "VG228 no up",
		  "          - {version: 1, up: \"x\"}\n          - {version: 2, down: \"y\"}\n",
		  "VG228@15" },
		{ "version not a whole number", "          - {version: one, up: \"x\"}\n",
		  "VG227@14" },
		{ "text versions and sql (V5EnhancedStore)",
		  "          - {version: \"001\", sql: \"x\"}\n          - {version: \"002\", sql: \"y\"}\n",
		  "" },
		{ "text versions out of order",
		  "          - {version: \"002\", sql: \"x\"}\n          - {version: \"001\", sql: \"y\"}\n",
		  "VG227@15" },
		{ "VG228 blank up", "          - {version: 1, up: \"  \"}\n", "VG228@14" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(buf, sizeof buf, "%s        migrations:\n%s", tables, cases[i].migrations);
		expect_schema(cases[i].name, "sqlite", buf, cases[i].expected);
	}
	/* The pipeline's V5EnhancedStore lists tables by name: accepted, nothing to check. */
	expect_schema("VG247 tables by name", "postgresql", "        tables: [orders, items]\n",
	              "VG247@11 VG247@11");
}

static void test_descriptor(void)
{
	const vigil_plugin_desc *d = vigil_plugin_components_get_desc();
	CHECK(d && d->abi.magic == VIGIL_PLUGIN_MAGIC && d->level == 2 &&
	      d->kind == VIGIL_PLUGIN_VALIDATOR && strcmp(d->name, "components") == 0);
	for (size_t i = 0; d && i < d->check_count; i++)
		CHECK(strncmp(d->checks[i].name, "components.", 11) == 0 && d->checks[i].run);
	/* no blueprint: every check returns without findings */
	vigil_report *report = vg_report_new("none.yaml");
	vigil_check_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.report = report;
	ctx.level = 2;
	for (size_t i = 0; report && d && i < d->check_count; i++)
		CHECK(d->checks[i].run(&ctx, vg_host_table()) == 0);
	CHECK(report && vigil_report_finding_count(report) == 0);
	vigil_report_free(report);
}

int main(void)
{
	test_descriptor();
	test_baseline_passes();
	test_stores();
	test_ports();
	test_urls();
	test_pool_and_settings();
	test_sqlite_folder();
	test_types();
	test_keys_and_indexes();
	test_columns();
	test_foreign_keys();
	test_migrations();
	return CHECK_SUMMARY();
}
