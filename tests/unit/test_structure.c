/*
 * test_structure.c — the level 1 (structure) checks, each run on its own over a blueprint
 * written inline: exact codes and line:column, a failing and a passing case per rule.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"
#include "run.h"
#include "validators/structure/structure.h"

#include "check.h"

typedef int (*check_fn)(vigil_check_ctx *ctx, const vigil_host *host);

typedef struct result {
	vg_arena *arena;
	vigil_report *report;
	int rc;
} result;

static result run(const char *yaml, check_fn check)
{
	result r = { vg_arena_new(), vg_report_new("t.yaml"), -99 };
	if (!r.arena || !r.report) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	vg_yaml_error err;
	const vg_node *root = vg_yaml_parse(r.arena, "t.yaml", yaml, strlen(yaml), &err);
	if (!root) {
		fprintf(stderr, "test YAML does not parse (%u:%u): %s\n%s\n", err.line, err.column,
		        err.message, yaml);
		exit(1);
	}
	vigil_check_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.report = r.report;
	ctx.root = root;
	ctx.blueprint = vg_blueprint_build(r.arena, "t.yaml", root, NULL);
	ctx.level = 1;
	ctx.check = vg_report_add_check(r.report, 1, "structure.test", NULL);
	ctx.check_name = "structure.test";
	r.rc = check(&ctx, vg_host_table());
	return r;
}

static void done(result *r)
{
	vigil_report_free(r->report);
	vg_arena_free(r->arena);
}

static void dump(const result *r)
{
	for (size_t i = 0; i < r->report->finding_count; i++) {
		const vigil_finding *f = r->report->findings[i];
		fprintf(stderr, "    %s %u:%u %s | %s | %s\n", f->code, f->line, f->column,
		        f->message, f->detail ? f->detail : "-", f->hint ? f->hint : "-");
	}
}

static const vigil_finding *find(const result *r, const char *code, unsigned line, unsigned column)
{
	for (size_t i = 0; i < r->report->finding_count; i++) {
		const vigil_finding *f = r->report->findings[i];
		if (strcmp(f->code, code) == 0 && f->line == line && f->column == column)
			return f;
	}
	return NULL;
}

/* Runs `check` and expects exactly one finding: `code` at line:column. Returns the result. */
static result expect_one_at(int source_line, const char *yaml, check_fn check, const char *code,
                            unsigned line, unsigned column, const vigil_finding **out)
{
	result r = run(yaml, check);
	const vigil_finding *f = find(&r, code, line, column);
	if (!check_count(r.rc == 0 && r.report->finding_count == 1 && f != NULL)) {
		fprintf(stderr,
		        "test_structure.c:%d: expected exactly %s at %u:%u, got rc %d and:\n",
		        source_line, code, line, column, r.rc);
		dump(&r);
	}
	*out = f;
	return r;
}

#define EXPECT_ONE(yaml, check, code, line, column, out) \
	expect_one_at(__LINE__, yaml, check, code, line, column, out)

static void expect_none_at(int source_line, const char *yaml, check_fn check)
{
	result r = run(yaml, check);
	if (!check_count(r.rc == 0 && r.report->finding_count == 0)) {
		fprintf(stderr, "test_structure.c:%d: expected no finding, got rc %d and:\n",
		        source_line, r.rc);
		dump(&r);
	}
	done(&r);
}

#define EXPECT_NONE(yaml, check) expect_none_at(__LINE__, yaml, check)

#define HEAD "schema_version: \"1.0.0\"\n"

/* ---------------------------------------------------------------- the descriptor */

const vigil_plugin_desc *vigil_plugin_structure_get_desc(void);

static void test_descriptor(void)
{
	const vigil_plugin_desc *d = vigil_plugin_structure_get_desc();
	CHECK(d->abi.magic == VIGIL_PLUGIN_MAGIC);
	CHECK(strcmp(d->name, "structure") == 0);
	CHECK(d->kind == VIGIL_PLUGIN_VALIDATOR);
	CHECK(d->level == 1);
	CHECK(d->check_count == 6);
	for (size_t i = 0; i < d->check_count; i++) {
		CHECK(strncmp(d->checks[i].name, "structure.", 10) == 0);
		CHECK(d->checks[i].run != NULL);
	}
}

/* Every check passes the README's example. */
static void test_example_passes(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/blueprints/examples/tasks_sqlite.yaml", VIGIL_SOURCE_DIR);
	FILE *fp = fopen(path, "rb");
	CHECK(fp != NULL);
	if (!fp)
		return;
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	EXPECT_NONE(buf, vg_structure_keys_run);
	EXPECT_NONE(buf, vg_structure_schema_version_run);
	EXPECT_NONE(buf, vg_structure_names_run);
	EXPECT_NONE(buf, vg_structure_component_types_run);
	EXPECT_NONE(buf, vg_structure_env_run);
}

/* ---------------------------------------------------------------- structure.keys */

static void test_duplicate_keys(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: a\n"
	                           "  components: []\n"
	                           "  name: b\n",
	                      vg_structure_keys_run, "VG110", 5, 3, &f);
	CHECK(f && contains(f->detail, "line 3"));
	CHECK(f && f->severity == VIGIL_SEVERITY_ERROR);
	done(&r);

	/* Inside a free-form area (a message schema) too. */
	r = EXPECT_ONE(HEAD "system: {name: a, components: []}\n"
	                    "schemas:\n"
	                    "  Item:\n"
	                    "    type: object\n"
	                    "    type: string\n",
	               vg_structure_keys_run, "VG110", 6, 5, &f);
	done(&r);

	/* A large mapping (hashed): every later occurrence is reported. */
	char big[4096];
	size_t len = (size_t)snprintf(big, sizeof big,
	                              HEAD "system: {name: a, components: []}\n"
	                                   "schemas:\n");
	for (int i = 0; i < 30; i++)
		len += (size_t)snprintf(big + len, sizeof big - len, "  S%d: {}\n", i % 20);
	r = run(big, vg_structure_keys_run);
	CHECK(r.report->finding_count == 10);
	CHECK(find(&r, "VG110", 24, 3) != NULL); /* S0's second occurrence: line 3 + 20 + 1 */
	done(&r);

	EXPECT_NONE(HEAD "system:\n  name: a\n  components: []\n", vg_structure_keys_run);
}

static void test_non_scalar_key(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: a\n"
	                           "  components: []\n"
	                           "  ? [x, y]\n"
	                           "  : 1\n",
	                      vg_structure_keys_run, "VG120", 5, 5, &f);
	done(&r);
}

static void test_missing_keys(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: a\n"
	                           "  components:\n"
	                           "    - {name: one, type: Source}\n"
	                           "    - {name: two, type: Sink}\n"
	                           "    - name: task_store\n"
	                           "      config: {database: main}\n",
	                      vg_structure_keys_run, "VG111", 7, 7, &f);
	CHECK(f && strcmp(f->message, "component #3 (task_store) has no `type`") == 0);
	done(&r);

	r = EXPECT_ONE(HEAD "databases: {}\n", vg_structure_keys_run, "VG111", 1, 1, &f);
	CHECK(f && strcmp(f->message, "the blueprint has no `system`") == 0);
	done(&r);

	/* A database without a URL is level 2's (VG209), not a missing key here. */
	EXPECT_NONE(HEAD "system: {name: a, components: []}\n"
	                 "databases:\n"
	                 "  main:\n"
	                 "    type: sqlite\n",
	            vg_structure_keys_run);
	r = EXPECT_ONE(HEAD "system: {name: a, components: []}\n"
	                    "databases:\n"
	                    "  main:\n"
	                    "    url: sqlite:///x.db\n",
	               vg_structure_keys_run, "VG111", 5, 5, &f);
	CHECK(f && contains(f->message, "database `main` has no `type`"));
	done(&r);

	r = EXPECT_ONE(HEAD "system: {name: a, components: []}\n"
	                    "databases:\n"
	                    "  main:\n"
	                    "    type: sqlite\n"
	                    "    schema:\n"
	                    "      tables:\n"
	                    "        - name: t\n"
	                    "          columns: [{name: id, type: integer}]\n"
	                    "          foreign_keys:\n"
	                    "            - columns: [id]\n"
	                    "              references: {columns: [id]}\n"
	                    "    connection_string: sqlite:///x.db\n",
	               vg_structure_keys_run, "VG111", 12, 27, &f);
	CHECK(f && contains(f->message, "`references` of foreign key #1 has no `table`"));
	done(&r);

	/* Bindings: a source and a target, in either spelling. */
	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components: []\n"
	                    "  bindings:\n"
	                    "    - from: a.out\n",
	               vg_structure_keys_run, "VG111", 6, 7, &f);
	CHECK(f && contains(f->message,
	                    "binding #1 has no `to` (or `to_component` or `to_components`)"));
	done(&r);
	EXPECT_NONE(HEAD "system:\n"
	                 "  name: a\n"
	                 "  components: []\n"
	                 "  bindings:\n"
	                 "    - {from: a.out, to: [b.in, c.in]}\n"
	                 "    - {from_component: a, from_port: out, to_components: [b, c],"
	                 " to_ports: [in, in]}\n"
	                 "    - {from_component: a, to_component: b, to_port: in}\n",
	            vg_structure_keys_run);
}

static void test_wrong_types(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: a\n"
	                           "  components:\n"
	                           "    task_api: {type: APIEndpoint}\n",
	                      vg_structure_keys_run, "VG112", 5, 5, &f);
	CHECK(f && strcmp(f->message, "`components` must be a list, found a mapping") == 0);
	CHECK(f && contains(f->hint, "- "));
	done(&r);

	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components:\n"
	                    "    - name: api\n"
	                    "      type: APIEndpoint\n"
	                    "      config: {port: eighty}\n",
	               vg_structure_keys_run, "VG112", 7, 22, &f);
	CHECK(f && contains(f->message, "`port` must be an integer, found a string"));
	done(&r);
	/* A number from the environment: only its shell default can be checked. */
	EXPECT_NONE(HEAD
	            "system:\n  name: a\n  components:\n    - name: api\n      type: APIEndpoint\n"
	            "      config: {port: \"${API_PORT:-8000}\"}\n",
	            vg_structure_keys_run);
	EXPECT_NONE(HEAD
	            "system:\n  name: a\n  components:\n    - name: api\n      type: APIEndpoint\n"
	            "      config: {port: \"${API_PORT}\"}\n",
	            vg_structure_keys_run);
	r = EXPECT_ONE(
	        HEAD "system:\n  name: a\n  components:\n    - name: api\n      type: APIEndpoint\n"
	             "      config: {port: \"${API_PORT-eighty}\"}\n",
	        vg_structure_keys_run, "VG112", 7, 22, &f);
	done(&r);

	r = EXPECT_ONE(HEAD "system: {name: a, components: [x]}\n", vg_structure_keys_run, "VG112",
	               2, 32, &f);
	CHECK(f &&
	      contains(f->message, "item #1 of `components` must be a mapping, found a string"));
	done(&r);

	r = EXPECT_ONE(HEAD "system: {name: a, components: []}\n"
	                    "schemas:\n"
	                    "  Item: object\n",
	               vg_structure_keys_run, "VG112", 4, 9, &f);
	CHECK(f && contains(f->message, "`Item` in `schemas` must be a mapping"));
	done(&r);

	/* A required key left empty is a wrong type; an optional one is "not given". */
	r = EXPECT_ONE(HEAD "system:\n  name:\n  components: []\n", vg_structure_keys_run, "VG112",
	               3, 8, &f);
	CHECK(f && contains(f->message, "found null"));
	done(&r);
	EXPECT_NONE(HEAD "system:\n  name: a\n  components: []\n  bindings:\n  description:\n",
	            vg_structure_keys_run);

	/* Either-typed keys: primary_key and unique take a name or a list of names. */
	EXPECT_NONE(HEAD "system: {name: a, components: []}\n"
	                 "databases:\n"
	                 "  main:\n"
	                 "    type: sqlite\n"
	                 "    url: sqlite:///x.db\n"
	                 "    schema:\n"
	                 "      tables:\n"
	                 "        - name: t\n"
	                 "          columns: [{name: a, type: integer}, {name: b, type: text}]\n"
	                 "          primary_key: [a, b]\n"
	                 "          unique: [b, [a, b]]\n",
	            vg_structure_keys_run);
	r = EXPECT_ONE(HEAD "system: {name: a, components: []}\n"
	                    "databases:\n"
	                    "  main:\n"
	                    "    type: sqlite\n"
	                    "    url: sqlite:///x.db\n"
	                    "    schema:\n"
	                    "      tables:\n"
	                    "        - name: t\n"
	                    "          columns: [{name: a, type: integer}]\n"
	                    "          primary_key: {a: 1}\n",
	               vg_structure_keys_run, "VG112", 11, 24, &f);
	CHECK(f && contains(f->message, "must be a string or a list, found a mapping"));
	done(&r);
}

static void test_unknown_keys(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: a\n"
	                           "  components:\n"
	                           "    - name: api\n"
	                           "      type: APIEndpoint\n"
	                           "      configuraton: {port: 80}\n",
	                      vg_structure_keys_run, "VG117", 7, 7, &f);
	CHECK(f && f->severity == VIGIL_SEVERITY_WARNING);
	CHECK(f && contains(f->message, "`configuraton`"));
	CHECK(f && f->hint && strcmp(f->hint, "did you mean `configuration`?") == 0);
	done(&r);

	/* Nothing close: no "did you mean". */
	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components: []\n"
	                    "  zebra_stripes: 3\n",
	               vg_structure_keys_run, "VG117", 5, 3, &f);
	CHECK(f && f->hint == NULL);
	done(&r);

	/* x- keys, metadata, description, free-form config and message schema bodies. */
	EXPECT_NONE(HEAD "x-generator: autocoder\n"
	                 "metadata: {anything: [goes, {here: 1}]}\n"
	                 "system:\n"
	                 "  name: a\n"
	                 "  description: d\n"
	                 "  x-owner: team\n"
	                 "  components:\n"
	                 "    - name: api\n"
	                 "      type: APIEndpoint\n"
	                 "      description: the api\n"
	                 "      metadata: {tier: 1}\n"
	                 "      configuration: {port: 8080, base_path: /v1, retries: {max: 3}}\n"
	                 "schemas:\n"
	                 "  Item: {type: object, additionalProperties: false, x: {y: z}}\n",
	            vg_structure_keys_run);
}

/* In a dictionary (databases, schemas) the keys are names, `x-` ones included. */
static void test_dictionary_names(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system: {name: a, components: []}\n"
	                           "databases:\n"
	                           "  x-spare: {url: sqlite:///x.db}\n",
	                      vg_structure_keys_run, "VG111", 4, 12, &f);
	CHECK(f && contains(f->message, "database `x-spare` has no `type`"));
	done(&r);
}

static void test_alternatives(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: a\n"
	                           "  components:\n"
	                           "    - name: api\n"
	                           "      type: APIEndpoint\n"
	                           "      config: {port: 80}\n"
	                           "      configuration: {port: 81}\n",
	                      vg_structure_keys_run, "VG121", 8, 7, &f);
	CHECK(f && contains(f->message, "both `config` and `configuration`"));
	CHECK(f && contains(f->detail, "line 7"));
	done(&r);

	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components: []\n"
	                    "  bindings:\n"
	                    "    - from: a.out\n"
	                    "      from_component: a\n"
	                    "      to: b.in\n",
	               vg_structure_keys_run, "VG121", 7, 7, &f);
	done(&r);

	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components: []\n"
	                    "  bindings:\n"
	                    "    - from: a.out\n"
	                    "      from_port: out\n"
	                    "      to: b.in\n",
	               vg_structure_keys_run, "VG121", 7, 7, &f);
	CHECK(f && contains(f->message, "`from_port` is given without `from_component`"));
	done(&r);

	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components: []\n"
	                    "  bindings:\n"
	                    "    - from: a.out\n"
	                    "      to_components: [b, c, d]\n"
	                    "      to_ports: [in, in]\n",
	               vg_structure_keys_run, "VG121", 8, 17, &f);
	CHECK(f && contains(f->message, "`to_ports` has 2 items but `to_components` has 3"));
	done(&r);

	/* config.table | config.table_name. */
	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components:\n"
	                    "    - name: s\n"
	                    "      type: Store\n"
	                    "      config: {database: main, table: t, table_name: t}\n",
	               vg_structure_keys_run, "VG121", 7, 42, &f);
	done(&r);
}

static void test_inline_database(void)
{
	const vigil_finding *f;
	EXPECT_NONE(
	        HEAD
	        "system:\n"
	        "  name: a\n"
	        "  components:\n"
	        "    - name: task_store\n"
	        "      type: Store\n"
	        "      config:\n"
	        "        table: tasks\n"
	        "        database:\n"
	        "          type: postgresql\n"
	        "          connection_string: postgresql://app@localhost/app\n"
	        "          connection_pool: {min_size: 1, max_size: 5, timeout: 2.5}\n"
	        "          schema: {tables: [{name: tasks, columns: [{name: id, type: uuid}]}]}\n"
	        "resources:\n"
	        "  databases:\n"
	        "    - {type: postgresql, connection_name: main, pool_size: 4,"
	        " ssl_required: true}\n",
	        vg_structure_keys_run);
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: a\n"
	                           "  components:\n"
	                           "    - name: task_store\n"
	                           "      type: Store\n"
	                           "      config:\n"
	                           "        database:\n"
	                           "          connection_string: sqlite:///x.db\n",
	                      vg_structure_keys_run, "VG111", 9, 11, &f);
	CHECK(f && contains(f->message,
	                    "`database` of `config` of component #1 (task_store) has no `type`"));
	done(&r);

	/* pool | connection_pool. */
	r = EXPECT_ONE(HEAD "system: {name: a, components: []}\n"
	                    "databases:\n"
	                    "  main:\n"
	                    "    type: sqlite\n"
	                    "    url: sqlite:///x.db\n"
	                    "    pool: {max: 2}\n"
	                    "    connection_pool: {max_size: 2}\n",
	               vg_structure_keys_run, "VG121", 8, 5, &f);
	done(&r);
}

static void test_enumerations(void)
{
	const char *fk = HEAD "system: {name: a, components: []}\n"
	                      "databases:\n"
	                      "  main:\n"
	                      "    type: sqlite\n"
	                      "    url: sqlite:///x.db\n"
	                      "    schema:\n"
	                      "      tables:\n"
	                      "        - name: t\n"
	                      "          columns: [{name: id, type: integer, nullable: %s}]\n"
	                      "          foreign_keys:\n"
	                      "            - columns: [id]\n"
	                      "              references: {table: t, columns: [id]}\n"
	                      "              on_delete: %s\n";
	char yaml[2048];
	const vigil_finding *f;
	snprintf(yaml, sizeof yaml, fk, "false", "destroy");
	result r = EXPECT_ONE(yaml, vg_structure_keys_run, "VG121", 14, 26, &f);
	CHECK(f && contains(f->detail, "cascade, restrict, set null, set default, no action"));
	done(&r);
	snprintf(yaml, sizeof yaml, fk, "false", "cascad");
	r = EXPECT_ONE(yaml, vg_structure_keys_run, "VG121", 14, 26, &f);
	CHECK(f && contains(f->hint, "did you mean `cascade`?"));
	done(&r);
	snprintf(yaml, sizeof yaml, fk, "false", "SET NULL");
	EXPECT_NONE(yaml, vg_structure_keys_run);

	/* A boolean key holding something else is a wrong type, with the allowed values. */
	snprintf(yaml, sizeof yaml, fk, "maybe", "cascade");
	r = EXPECT_ONE(yaml, vg_structure_keys_run, "VG112", 10, 57, &f);
	CHECK(f &&
	      strcmp(f->message, "`nullable` must be true or false, found a string `maybe`") == 0);
	CHECK(f && contains(f->detail, "true, false"));
	done(&r);
	snprintf(yaml, sizeof yaml, fk, "\"false\"", "cascade");
	r = EXPECT_ONE(yaml, vg_structure_keys_run, "VG112", 10, 57, &f);
	CHECK(f && contains(f->hint, "quotes"));
	done(&r);
	snprintf(yaml, sizeof yaml, fk, "no", "no action");
	EXPECT_NONE(yaml, vg_structure_keys_run);
}

/* ---------------------------------------------------------------- structure.schema-version */

static void test_schema_version(void)
{
	const char *body = "system: {name: a, components: []}\n";
	char yaml[256];
	const vigil_finding *f;

	/* Missing: read as 1.0.0, as the generation pipeline's healer does (an info). */
	result r = EXPECT_ONE(body, vg_structure_schema_version_run, "VG130", 1, 1, &f);
	CHECK(f && contains(f->message, "no `schema_version`"));
	done(&r);
	/* Missing is VG113's, not VG111's. */
	r = run(body, vg_structure_keys_run);
	CHECK(r.report->finding_count == 0);
	done(&r);

	snprintf(yaml, sizeof yaml, "%sschema_version: 1.0\n", body);
	r = EXPECT_ONE(yaml, vg_structure_schema_version_run, "VG113", 2, 17, &f);
	CHECK(f && f->hint && strcmp(f->hint, "write 1.0.0") == 0);
	done(&r);

	snprintf(yaml, sizeof yaml, "%sschema_version: {major: 1}\n", body);
	r = EXPECT_ONE(yaml, vg_structure_schema_version_run, "VG113", 2, 17, &f);
	CHECK(f && contains(f->message, "found a mapping"));
	done(&r);

	snprintf(yaml, sizeof yaml, "%sschema_version: \"2.0.0\"\n", body);
	r = EXPECT_ONE(yaml, vg_structure_schema_version_run, "VG113", 2, 17, &f);
	CHECK(f && contains(f->message, "not supported"));
	done(&r);

	snprintf(yaml, sizeof yaml, "%sschema_version: 1.0.0-beta\n", body);
	r = EXPECT_ONE(yaml, vg_structure_schema_version_run, "VG113", 2, 17, &f);
	done(&r);

	snprintf(yaml, sizeof yaml, "%sschema_version: \"1.4.2\"\n", body);
	EXPECT_NONE(yaml, vg_structure_schema_version_run);
	snprintf(yaml, sizeof yaml, "%sschema_version: 1.0.0\n", body);
	EXPECT_NONE(yaml, vg_structure_schema_version_run);
}

/* ---------------------------------------------------------------- structure.names */

static void test_naming_rules(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: shop\n"
	                           "  components:\n"
	                           "    - {name: TaskStore, type: Store}\n",
	                      vg_structure_names_run, "VG114", 5, 14, &f);
	CHECK(f && contains(f->message, "`TaskStore` is not snake_case"));
	CHECK(f && f->hint && strcmp(f->hint, "write `task_store`") == 0);
	done(&r);

	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: My-Shop\n"
	                    "  components: []\n",
	               vg_structure_names_run, "VG114", 3, 9, &f);
	CHECK(f && contains(f->hint, "`my_shop`"));
	done(&r);

	char yaml[512];
	snprintf(yaml, sizeof yaml, HEAD "system:\n  name: %s\n  components: []\n",
	         "a234567890123456789012345678901234567890123456789012345678901234");
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG114", 3, 9, &f);
	CHECK(f && contains(f->message, "longer than 63"));
	done(&r);
	snprintf(yaml, sizeof yaml, HEAD "system:\n  name: %s\n  components: []\n",
	         "a23456789012345678901234567890123456789012345678901234567890123");
	EXPECT_NONE(yaml, vg_structure_names_run);

	const char *db = HEAD "system: {name: a, components: []}\n"
	                      "databases:\n"
	                      "  %s:\n"
	                      "    type: sqlite\n"
	                      "    url: sqlite:///x.db\n"
	                      "    schema:\n"
	                      "      tables:\n"
	                      "        - name: %s\n"
	                      "          columns:\n"
	                      "            - {name: %s, type: integer}\n"
	                      "          indexes: [{name: %s, columns: [id]}]\n"
	                      "schemas:\n"
	                      "  %s: {type: object}\n";
	snprintf(yaml, sizeof yaml, db, "Main", "tasks", "id", "t_idx", "Item");
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG114", 4, 3, &f);
	done(&r);
	snprintf(yaml, sizeof yaml, db, "main", "Tasks", "id", "t_idx", "Item");
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG114", 9, 17, &f);
	done(&r);
	snprintf(yaml, sizeof yaml, db, "main", "tasks", "ID", "t_idx", "Item");
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG114", 11, 22, &f);
	CHECK(f && contains(f->hint, "`id`"));
	done(&r);
	snprintf(yaml, sizeof yaml, db, "main", "tasks", "id", "tIdx", "Item");
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG114", 12, 28, &f);
	done(&r);
	snprintf(yaml, sizeof yaml, db, "main", "tasks", "id", "t_idx", "Task-Record");
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG114", 14, 3, &f);
	CHECK(f && contains(f->hint, "`Task_Record`"));
	done(&r);
	snprintf(yaml, sizeof yaml, db, "main", "tasks", "id", "t_idx", "TaskRecord");
	EXPECT_NONE(yaml, vg_structure_names_run);

	/* A name from the environment: messages quote it as written, never its value. */
	setenv("VIGIL_TEST_NAME", "Secret-Name", 1);
	r = EXPECT_ONE(HEAD "system:\n  name: ${VIGIL_TEST_NAME}\n  components: []\n",
	               vg_structure_names_run, "VG114", 3, 9, &f);
	CHECK(f && contains(f->message, "${VIGIL_TEST_NAME}"));
	CHECK(f && !contains(f->message, "Secret") && !contains(f->hint, "ecret") &&
	      !contains(f->detail, "Secret"));
	done(&r);
	unsetenv("VIGIL_TEST_NAME");
}

static void test_duplicate_names(void)
{
	const vigil_finding *f;
	result r = EXPECT_ONE(HEAD "system:\n"
	                           "  name: a\n"
	                           "  components:\n"
	                           "    - {name: api, type: APIEndpoint}\n"
	                           "    - {name: store, type: Store}\n"
	                           "    - {name: api, type: Sink}\n",
	                      vg_structure_names_run, "VG115", 7, 14, &f);
	CHECK(f && f->detail && strcmp(f->detail, "first declared at line 5") == 0);
	done(&r);

	/* Databases across system.databases and the root's databases. */
	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components: []\n"
	                    "  databases:\n"
	                    "    main: {type: sqlite, url: sqlite:///a.db}\n"
	                    "databases:\n"
	                    "  main: {type: sqlite, url: sqlite:///b.db}\n",
	               vg_structure_names_run, "VG115", 8, 3, &f);
	CHECK(f && contains(f->detail, "line 6"));
	done(&r);

	/* The same key twice in one mapping is VG110 (structure.keys), not a second VG115. */
	EXPECT_NONE(HEAD "system:\n"
	                 "  name: a\n"
	                 "  components: []\n"
	                 "  databases:\n"
	                 "    main: {type: sqlite, url: sqlite:///a.db}\n"
	                 "    main: {type: sqlite, url: sqlite:///b.db}\n",
	            vg_structure_names_run);

	/* Tables within a database; columns within a table. */
	const char *db = HEAD
	        "system: {name: a, components: []}\n"
	        "databases:\n"
	        "  main:\n"
	        "    type: sqlite\n"
	        "    url: sqlite:///x.db\n"
	        "    schema:\n"
	        "      tables:\n"
	        "        - name: t\n"
	        "          columns: [{name: id, type: integer}, {name: %s, type: text}]\n"
	        "        - name: %s\n"
	        "          columns: [{name: id, type: integer}]\n";
	char yaml[1024];
	snprintf(yaml, sizeof yaml, db, "id", "u");
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG115", 10, 55, &f);
	CHECK(f && contains(f->message, "columns of table `t`"));
	done(&r);
	snprintf(yaml, sizeof yaml, db, "title", "t");
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG115", 11, 17, &f);
	CHECK(f && contains(f->message, "tables of database `main`"));
	done(&r);
	snprintf(yaml, sizeof yaml, db, "title", "u");
	EXPECT_NONE(yaml, vg_structure_names_run);

	/* Message schemas: root and system combined. */
	r = EXPECT_ONE(HEAD "system:\n"
	                    "  name: a\n"
	                    "  components: []\n"
	                    "  schemas:\n"
	                    "    Item: {type: object}\n"
	                    "schemas:\n"
	                    "  Item: {type: object}\n",
	               vg_structure_names_run, "VG115", 8, 3, &f);
	CHECK(f && contains(f->message, "two message schemas are named `Item`"));
	done(&r);
}

/* ---------------------------------------------------------------- structure.component-types */

static void test_component_types(void)
{
	const char *tpl = HEAD "system:\n"
	                       "  name: a\n"
	                       "  components:\n"
	                       "    - {name: one, type: Source}\n"
	                       "    - name: two\n"
	                       "      type: %s\n";
	char yaml[512];
	const vigil_finding *f;
	struct {
		const char *written, *hint;
	} cases[] = {
		{ "store", "did you mean `Store`?" },
		{ "api_endpoint", "did you mean `APIEndpoint`?" },
		{ "apiendpoint", "did you mean `APIEndpoint`?" },
		{ "Tranformer", "did you mean `Transformer`?" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(yaml, sizeof yaml, tpl, cases[i].written);
		result r = EXPECT_ONE(yaml, vg_structure_component_types_run, "VG116", 7, 13, &f);
		CHECK(f && f->hint && strcmp(f->hint, cases[i].hint) == 0);
		CHECK(f && contains(f->message, "component #2 (two)"));
		done(&r);
	}
	snprintf(yaml, sizeof yaml, tpl, "Quantum");
	result r = EXPECT_ONE(yaml, vg_structure_component_types_run, "VG116", 7, 13, &f);
	CHECK(f && !contains(f->hint, "did you mean"));
	CHECK(f && contains(f->detail, "StreamProcessor"));
	done(&r);
	static const char *const known[] = {
		"Source",     "Sink",        "Transformer", "Store",       "APIEndpoint",
		"Controller", "Router",      "Model",       "Accumulator", "StreamProcessor",
		"Filter",     "Aggregator",  "Splitter",    "Merger",      "WebSocket",
		"MessageBus", "EventSource", "Cache",       "Scheduler"
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		snprintf(yaml, sizeof yaml, tpl, known[i]);
		EXPECT_NONE(yaml, vg_structure_component_types_run);
	}
}

/* ---------------------------------------------------------------- structure.env */

static void test_env(void)
{
	unsetenv("VIGIL_TEST_UNSET_PASSWORD");
	setenv("VIGIL_TEST_SET_PASSWORD", "s3cret-value", 1);
	const char *tpl = HEAD "system: {name: a, components: []}\n"
	                       "databases:\n"
	                       "  main:\n"
	                       "    type: postgresql\n"
	                       "    url: \"%s\"\n";
	char yaml[512];
	const vigil_finding *f;

	snprintf(yaml, sizeof yaml, tpl, "postgresql://app:${VIGIL_TEST_UNSET_PASSWORD}@db/app");
	result r = EXPECT_ONE(yaml, vg_structure_env_run, "VG118", 6, 10, &f);
	CHECK(f &&
	      strcmp(f->message, "environment variable VIGIL_TEST_UNSET_PASSWORD is not set") == 0);
	CHECK(f && contains(f->hint, "export VIGIL_TEST_UNSET_PASSWORD="));
	done(&r);

	/* Set: no finding, and the value is never printed anywhere. */
	snprintf(yaml, sizeof yaml, tpl, "postgresql://app:${VIGIL_TEST_SET_PASSWORD}@db/${1X}");
	r = EXPECT_ONE(yaml, vg_structure_env_run, "VG119", 6, 10, &f);
	for (size_t i = 0; i < r.report->finding_count; i++) {
		const vigil_finding *g = r.report->findings[i];
		CHECK(!contains(g->message, "s3cret") && !contains(g->detail, "s3cret") &&
		      !contains(g->hint, "s3cret"));
	}
	done(&r);
	snprintf(yaml, sizeof yaml, tpl, "postgresql://app:${VIGIL_TEST_SET_PASSWORD}@db/app");
	EXPECT_NONE(yaml, vg_structure_env_run);

	/* $${ is a literal ${. */
	snprintf(yaml, sizeof yaml, tpl, "sqlite:///$${VIGIL_TEST_UNSET_PASSWORD}.db");
	EXPECT_NONE(yaml, vg_structure_env_run);

	snprintf(yaml, sizeof yaml, tpl, "postgresql://app:${VIGIL_TEST_SET_PASSWORD@db/app");
	r = EXPECT_ONE(yaml, vg_structure_env_run, "VG119", 6, 10, &f);
	CHECK(f && contains(f->message, "not closed"));
	done(&r);
	snprintf(yaml, sizeof yaml, tpl, "x${}y");
	r = EXPECT_ONE(yaml, vg_structure_env_run, "VG119", 6, 10, &f);
	done(&r);
	snprintf(yaml, sizeof yaml, tpl, "x${1ABC}y");
	r = EXPECT_ONE(yaml, vg_structure_env_run, "VG119", 6, 10, &f);
	done(&r);

	/* Any string scalar, anywhere (here a list item inside free-form metadata). */
	r = EXPECT_ONE(HEAD "system: {name: a, components: []}\n"
	                    "metadata: {owners: [\"${VIGIL_TEST_UNSET_PASSWORD}\"]}\n",
	               vg_structure_env_run, "VG118", 3, 21, &f);
	done(&r);
	unsetenv("VIGIL_TEST_SET_PASSWORD");
}

/* ---------------------------------------------------------------- aliases */

/* A part shared through YAML aliases is reported once, at the anchored text. */
static void test_aliases_report_once(void)
{
	unsetenv("VIGIL_TEST_ALIAS_UNSET");
	const char *yaml = HEAD "x-defaults: &c {name: Bad, type: store, bogus: 1,"
	                        " config: {x: \"${VIGIL_TEST_ALIAS_UNSET}\"}}\n"
	                        "system:\n"
	                        "  name: s\n"
	                        "  components: [*c, *c, *c]\n";
	const vigil_finding *f;
	result r = EXPECT_ONE(yaml, vg_structure_keys_run, "VG117", 2, 41, &f);
	done(&r);
	r = EXPECT_ONE(yaml, vg_structure_names_run, "VG114", 2, 23, &f);
	done(&r);
	r = EXPECT_ONE(yaml, vg_structure_component_types_run, "VG116", 2, 34, &f);
	done(&r);
	r = EXPECT_ONE(yaml, vg_structure_env_run, "VG118", 2, 63, &f);
	done(&r);
}

/* ---------------------------------------------------------------- scale */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void test_ten_thousand_components(void)
{
	enum { N = 10000 };
	size_t cap = (size_t)N * 256 + 4096, len = 0;
	char *yaml = malloc(cap);
	CHECK(yaml != NULL);
	if (!yaml)
		return;
	len += (size_t)snprintf(yaml + len, cap - len,
	                        HEAD "system:\n  name: big\n  components:\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(yaml + len, cap - len,
		                        "    - name: c%d\n      type: Transformer\n"
		                        "      config: {x: \"${VIGIL_TEST_BIG_%d}\"}\n"
		                        "      inputs: [{name: input, schema: Item}]\n",
		                        i, i % 2);
	len += (size_t)snprintf(yaml + len, cap - len, "  bindings:\n");
	for (int i = 0; i + 1 < N; i++)
		len += (size_t)snprintf(yaml + len, cap - len,
		                        "    - {from: c%d.output, to: c%d.input}\n", i, i + 1);
	snprintf(yaml + len, cap - len, "schemas:\n  Item: {type: object}\n");
	setenv("VIGIL_TEST_BIG_0", "1", 1);
	unsetenv("VIGIL_TEST_BIG_1");

	static const check_fn checks[] = { vg_structure_keys_run, vg_structure_schema_version_run,
		                           vg_structure_names_run, vg_structure_component_types_run,
		                           vg_structure_env_run };
	static const size_t expected[] = { 0, 0, 0, 0, N / 2 };
	for (size_t k = 0; k < sizeof checks / sizeof checks[0]; k++) {
		vg_arena *arena = vg_arena_new();
		vigil_report *report = vg_report_new("big.yaml");
		vg_yaml_error err;
		const vg_node *root = vg_yaml_parse(arena, "big.yaml", yaml, strlen(yaml), &err);
		CHECK(root != NULL);
		vigil_check_ctx ctx;
		memset(&ctx, 0, sizeof ctx);
		ctx.report = report;
		ctx.root = root;
		ctx.blueprint = root ? vg_blueprint_build(arena, "big.yaml", root, NULL) : NULL;
		ctx.level = 1;
		ctx.check = vg_report_add_check(report, 1, "structure.big", NULL);
		ctx.check_name = "structure.big";
		double t0 = now_ms();
		int rc = root ? checks[k](&ctx, vg_host_table()) : -1;
		double ms = now_ms() - t0;
		CHECK(rc == 0);
		CHECK(report->finding_count == expected[k]);
		/* Once more on a warm cache, into a second report, for the figure of the walk alone. */
		vigil_report *again = vg_report_new("big.yaml");
		ctx.report = again;
		ctx.check = vg_report_add_check(again, 1, "structure.big", NULL);
		double t1 = now_ms();
		CHECK(root && checks[k](&ctx, vg_host_table()) == 0);
		double warm_ms = now_ms() - t1;
		CHECK(again->finding_count == expected[k]);
		vigil_report_free(again);
		printf("%s on %d components: %.2f ms (warm %.2f ms), %zu findings\n",
		       vigil_plugin_structure_get_desc()->checks[k].name, N, ms, warm_ms,
		       report->finding_count);
		CHECK(ms < 500); /* a few ms in a release build; generous for sanitizers */
		vigil_report_free(report);
		vg_arena_free(arena);
	}
	unsetenv("VIGIL_TEST_BIG_0");
	free(yaml);
}

int main(void)
{
	test_descriptor();
	test_example_passes();
	test_duplicate_keys();
	test_non_scalar_key();
	test_missing_keys();
	test_wrong_types();
	test_unknown_keys();
	test_dictionary_names();
	test_alternatives();
	test_inline_database();
	test_enumerations();
	test_schema_version();
	test_naming_rules();
	test_duplicate_names();
	test_component_types();
	test_env();
	test_aliases_report_once();
	test_ten_thousand_components();
	return CHECK_SUMMARY();
}
