/* Unit tests of the blueprint model: every spelling the grammar folds, ${VAR}, SQLite paths. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blueprint.h"

#include "check.h"

/* The test environment: APP_DB_PASSWORD and HOST are set; nothing else is. */
static const char *fake_getenv(const char *name)
{
	if (strcmp(name, "APP_DB_PASSWORD") == 0)
		return "s3cret";
	if (strcmp(name, "HOST") == 0)
		return "db.internal";
	return NULL;
}

static vg_blueprint *build(vg_arena *a, const char *file, const char *yaml)
{
	vg_yaml_error err;
	vg_node *root = vg_yaml_parse(a, file, yaml, strlen(yaml), &err);
	if (!root) {
		fprintf(stderr, "parse failed: %s (line %u)\n", err.message, err.line);
		return NULL;
	}
	return vg_blueprint_build(a, file, root, fake_getenv);
}

static void test_db_types(void)
{
	CHECK(vg_db_type_parse("sqlite") == VG_DB_SQLITE);
	CHECK(vg_db_type_parse("sqlite3") == VG_DB_SQLITE);
	CHECK(vg_db_type_parse("postgresql") == VG_DB_POSTGRESQL);
	CHECK(vg_db_type_parse("postgres") == VG_DB_POSTGRESQL);
	CHECK(vg_db_type_parse("pg") == VG_DB_POSTGRESQL);
	CHECK(vg_db_type_parse("PostgreSQL") == VG_DB_POSTGRESQL);
	CHECK(vg_db_type_parse("mysql") == VG_DB_MYSQL);
	CHECK(vg_db_type_parse("mariadb") == VG_DB_MYSQL);
	CHECK(vg_db_type_parse("oracle") == VG_DB_UNKNOWN);
	CHECK(vg_db_type_parse(NULL) == VG_DB_UNKNOWN);
	CHECK_STR(vg_db_type_name(VG_DB_SQLITE), "sqlite");
	CHECK_STR(vg_db_type_name(VG_DB_POSTGRESQL), "postgresql");
	CHECK_STR(vg_db_type_name(VG_DB_MYSQL), "mysql");
	CHECK_STR(vg_db_type_name(VG_DB_UNKNOWN), "unknown");
}

/* The example of docs/blueprint.md, grown: other spellings, composite keys, foreign keys. */
static const char doc_example[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: task_manager\n"
	"  description: REST API that stores tasks\n"
	"  version: 1.0.0\n"
	"  components:\n"
	"    - name: task_api\n"
	"      type: APIEndpoint\n"
	"      config: {port: 8080}\n"
	"      outputs: [{name: created, schema: TaskRecord}]\n"
	"    - name: task_store\n"
	"      type: Store\n"
	"      configuration: {database: main, table_name: tasks}\n"
	"      inputs: [{name: input, schema: TaskRecord}]\n"
	"  bindings:\n"
	"    - from: task_api.created\n"
	"      to: task_store.input\n"
	"      transformation: identity\n"
	"  databases:\n"
	"    main:\n"
	"      type: sqlite\n"
	"      url: sqlite:///data/tasks.db\n"
	"      pool: {min: 1, max: 8, connect_timeout_ms: 2000}\n"
	"      permissions: [select, insert, update, delete]\n"
	"      benchmark: {clients: 4, duration_ms: 2000, max_p95_ms: 20, min_tps: 500, max_error_rate: 0.01, query: SELECT 1}\n"
	"      unmanaged: [spatial_ref_sys]\n"
	"      schema:\n"
	"        tables:\n"
	"          - name: tasks\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: title, type: varchar(200), nullable: false, unique: true}\n"
	"              - {name: done, type: boolean, nullable: false, default: \"false\"}\n"
	"              - {name: owner_id, type: integer}\n"
	"            indexes: [{name: tasks_done_idx, columns: [done], unique: false}]\n"
	"            unique: [title, [owner_id, title]]\n"
	"            foreign_keys:\n"
	"              - {name: fk_owner, columns: [owner_id], references: {table: users, columns: [id]}, on_delete: cascade, on_update: SET NULL}\n"
	"          - name: members\n"
	"            primary_key: [team, person]\n"
	"            columns: [{name: team, type: integer}, {name: person, type: integer}, {name: note, type: text}]\n"
	"        migrations:\n"
	"          - {version: 1, description: create tasks, up: \"CREATE TABLE tasks (id integer)\", down: \"DROP TABLE tasks\"}\n"
	"          - {version: \"2\", up: \"ALTER TABLE tasks ADD note text\"}\n"
	"          - {version: two, up: x}\n"
	"schemas:\n"
	"  TaskRecord: {type: object, required: [title]}\n";

static void test_doc_example(void)
{
	vg_arena *a = vg_arena_new();
	vg_blueprint *bp = build(a, "/srv/bp/task.yaml", doc_example);
	CHECK(bp != NULL);
	if (!bp) {
		vg_arena_free(a);
		return;
	}
	CHECK(same(bp->file, "/srv/bp/task.yaml") && same(bp->dir, "/srv/bp"));
	CHECK_STR(bp->schema_version, "1.0.0");
	CHECK(same(bp->name, "task_manager") && same(bp->version, "1.0.0"));
	CHECK_STR(bp->description, "REST API that stores tasks");
	CHECK(bp->system_node && bp->root);

	CHECK(bp->component_count == 2);
	const vg_component *api = vg_blueprint_component(bp, "task_api");
	CHECK(api == &bp->components[0]);
	CHECK(same(api->type, "APIEndpoint") && api->config && api->output_count == 1);
	CHECK(same(api->outputs[0].name, "created") && same(api->outputs[0].schema, "TaskRecord"));
	CHECK(api->outputs[0].schema_node && api->outputs[0].schema_node->line == 10);
	CHECK(api->name_node->line == 7 && api->name_node->column == 13);
	CHECK(api->database == NULL);
	const vg_component *store = vg_blueprint_component(bp, "task_store");
	CHECK(store && store->config && same(vg_scalar(vg_map_get(store->config, "database")), "main"));
	CHECK(same(store->database, "main") && store->database_node->line == 13);
	CHECK(same(store->table, "tasks") && store->table_node);
	CHECK(store->input_count == 1 && same(store->inputs[0].name, "input"));
	CHECK(vg_blueprint_component(bp, "nope") == NULL);

	CHECK(bp->binding_count == 1);
	const vg_binding *bd = &bp->bindings[0];
	CHECK(same(bd->from.component, "task_api") && same(bd->from.port, "created"));
	CHECK(bd->to_count == 1 && same(bd->to[0].component, "task_store") && same(bd->to[0].port, "input"));
	CHECK(bd->from.node->line == 16 && bd->to[0].node->line == 17);
	CHECK_STR(bd->transformation, "identity");

	CHECK(bp->database_count == 1);
	const vg_database *db = vg_blueprint_database(bp, "main");
	CHECK(db && db->origin == VG_DB_FROM_SYSTEM && db->name_node->line == 20);
	CHECK(db->type == VG_DB_SQLITE && same(db->type_raw, "sqlite"));
	CHECK(same(db->url, "sqlite:///data/tasks.db") && same(db->url_raw, db->url));
	CHECK_STR(db->sqlite_path, "/srv/bp/data/tasks.db");
	CHECK(db->pool.has_min && db->pool.min == 1 && db->pool.has_max && db->pool.max == 8);
	CHECK(db->pool.has_connect_timeout && db->pool.connect_timeout_ms == 2000 && db->pool.node);
	CHECK(db->permissions.count == 4 && same(db->permissions.names[3], "delete"));
	CHECK(db->permissions.nodes[0]->line == 24);
	CHECK(db->benchmark.has_clients && db->benchmark.clients == 4);
	CHECK(db->benchmark.has_duration && db->benchmark.duration_ms == 2000);
	CHECK(db->benchmark.has_max_p95 && db->benchmark.max_p95_ms == 20.0);
	CHECK(db->benchmark.has_min_tps && db->benchmark.min_tps == 500.0);
	CHECK(db->benchmark.has_max_error_rate && db->benchmark.max_error_rate == 0.01);
	CHECK_STR(db->benchmark.query, "SELECT 1");
	CHECK(db->unmanaged.count == 1 && same(db->unmanaged.names[0], "spatial_ref_sys"));
	CHECK(db->ssl_required == 0 && db->schema_node);

	CHECK(db->table_count == 2);
	const vg_table *t = vg_database_table(db, "tasks");
	CHECK(t && t->column_count == 4 && t->name_node->line == 29);
	const vg_column *id = vg_table_column(t, "id");
	CHECK(id && id->primary_key && id->auto_increment && id->nullable == VG_UNSET);
	const vg_column *title = vg_table_column(t, "title");
	CHECK(title && same(title->type, "varchar(200)") && title->nullable == VG_FALSE && title->unique);
	CHECK(title->default_value == NULL && title->default_node == NULL);
	const vg_column *done = vg_table_column(t, "done");
	CHECK(done && same(done->default_value, "false") && done->default_node);
	CHECK(t->primary_key.count == 0);
	CHECK(t->unique_count == 2 && t->uniques[0].count == 1 && same(t->uniques[0].names[0], "title"));
	CHECK(t->uniques[1].count == 2 && same(t->uniques[1].names[1], "title"));
	CHECK(t->index_count == 1 && same(t->indexes[0].name, "tasks_done_idx"));
	CHECK(t->indexes[0].columns.count == 1 && !t->indexes[0].unique);
	CHECK(t->foreign_key_count == 1);
	const vg_foreign_key *fk = &t->foreign_keys[0];
	CHECK(same(fk->name, "fk_owner") && fk->columns.count == 1 && same(fk->ref_table, "users"));
	CHECK(fk->ref_columns.count == 1 && same(fk->ref_columns.names[0], "id"));
	CHECK(same(fk->on_delete, "cascade") && same(fk->on_update, "SET NULL") && fk->ref_table_node);
	const vg_table *members = vg_database_table(db, "members");
	CHECK(members && members->primary_key.count == 2 && same(members->primary_key.names[1], "person"));
	/* the table-level key is not copied onto the columns (validators compare the two) */
	CHECK(!vg_table_column(members, "team")->primary_key && !vg_table_column(members, "person")->primary_key);
	CHECK(!vg_table_column(members, "note")->primary_key);
	CHECK(vg_table_column(members, "missing") == NULL && vg_database_table(db, "x") == NULL);

	CHECK(db->migration_count == 3);
	CHECK(db->migrations[0].has_version && db->migrations[0].version == 1);
	CHECK(same(db->migrations[0].description, "create tasks") && same(db->migrations[0].down, "DROP TABLE tasks"));
	CHECK(db->migrations[0].up_node && db->migrations[0].version_node);
	CHECK(db->migrations[1].has_version && db->migrations[1].version == 2);
	CHECK(!db->migrations[2].has_version && db->migrations[2].version_node);

	CHECK(bp->schema_count == 1 && vg_blueprint_schema(bp, "TaskRecord"));
	CHECK(vg_blueprint_schema(bp, "TaskRecord")->node->kind == VG_NODE_MAP);
	CHECK(vg_blueprint_schema(bp, "Nope") == NULL);
	CHECK(bp->env_ref_count == 0);
	vg_arena_free(a);
}

static void test_binding_spellings(void)
{
	const char *y =
		"system:\n"
		"  name: s\n"
		"  components: [{name: a, type: Source}, {name: b, type: Sink}, {name: c, type: Sink}]\n"
		"  bindings:\n"
		"    - {from: a.out, to: [b.in, c.in]}\n"
		"    - {from_component: a, from_port: out, to_component: b, to_port: in}\n"
		"    - {from_component: a, from_port: out, to_components: [b, c], to_ports: [in1, in2]}\n"
		"    - {from: a, to: b}\n"
		"    - {from: a.x.y, to_components: [b, c], to_port: in}\n"
		"    - {from: a, from_port: out, to: b, to_port: in}\n"
		"    - {transformation: t}\n"
		"    - {from: [x], to: {y: 1}}\n"
		"    - not a map\n";
	vg_arena *a = vg_arena_new();
	vg_blueprint *bp = build(a, "bp.yaml", y);
	CHECK(bp && bp->binding_count == 8);
	if (!bp || bp->binding_count != 8) {
		vg_arena_free(a);
		return;
	}
	const vg_binding *b = bp->bindings;
	CHECK(b[0].to_count == 2 && same(b[0].to[0].component, "b") && same(b[0].to[1].port, "in"));
	CHECK(b[0].to[1].node->column == 32);
	CHECK(same(b[1].from.component, "a") && same(b[1].from.port, "out"));
	CHECK(b[1].to_count == 1 && same(b[1].to[0].component, "b") && same(b[1].to[0].port, "in"));
	CHECK(b[2].to_count == 2 && same(b[2].to[0].port, "in1") && same(b[2].to[1].component, "c"));
	CHECK_STR(b[2].to[1].port, "in2");
	CHECK(same(b[3].from.component, "a") && b[3].from.port == NULL);
	CHECK(b[3].to_count == 1 && same(b[3].to[0].component, "b") && b[3].to[0].port == NULL);
	CHECK(same(b[4].from.component, "a") && same(b[4].from.port, "x.y")); /* first '.' */
	CHECK(b[4].to_count == 2 && same(b[4].to[0].port, "in") && same(b[4].to[1].port, "in"));
	CHECK(same(b[5].from.port, "out") && same(b[5].to[0].port, "in"));
	CHECK(b[6].from.component == NULL && b[6].from.node == b[6].node && b[6].to_count == 0);
	CHECK_STR(b[6].transformation, "t");
	CHECK(b[7].from.component == NULL && b[7].to_count == 0); /* wrong shapes: skipped */
	vg_arena_free(a);
}

static void test_env(void)
{
	const char *y =
		"schema_version: \"1.0.0\"\n"
		"system:\n"
		"  name: s\n"
		"  description: \"costs $$5, literal $${NOT_A_VAR}, bad ${1X} and ${OPEN\"\n"
		"  components:\n"
		"    - {name: a, type: Store, config: {database: main}}\n"
		"  databases:\n"
		"    main: &db\n"
		"      type: postgresql\n"
		"      url: postgresql://app:${APP_DB_PASSWORD}@${HOST}:5432/app?sslmode=require&x=${MISSING}\n"
		"    copy: *db\n";
	vg_arena *a = vg_arena_new();
	vg_blueprint *bp = build(a, "bp.yaml", y);
	CHECK(bp != NULL);
	if (!bp) {
		vg_arena_free(a);
		return;
	}
	CHECK_STR(bp->description, "costs $$5, literal ${NOT_A_VAR}, bad ${1X} and ${OPEN");
	CHECK(bp->database_count == 2);
	const vg_database *db = vg_blueprint_database(bp, "main");
	CHECK(db && same(db->url, "postgresql://app:s3cret@db.internal:5432/app?sslmode=require&x="));
	CHECK_STR(db->url_raw,
	          "postgresql://app:${APP_DB_PASSWORD}@${HOST}:5432/app?sslmode=require&x=${MISSING}");
	CHECK(db->ssl_required == 1 && db->sqlite_path == NULL);
	/* "copy" shares the url node through the alias: its references are not listed twice */
	CHECK(bp->env_ref_count == 3);
	if (bp->env_ref_count == 3) {
		CHECK(same(bp->env_refs[0].name, "APP_DB_PASSWORD") && bp->env_refs[0].defined);
		CHECK(same(bp->env_refs[1].name, "HOST") && bp->env_refs[1].defined);
		CHECK(same(bp->env_refs[2].name, "MISSING") && !bp->env_refs[2].defined);
		CHECK(bp->env_refs[2].node == db->url_node && db->url_node->line == 10);
	}
	vg_arena_free(a);

	/* the same variable in two scalars is listed for each */
	a = vg_arena_new();
	bp = build(a, "bp.yaml",
	           "system:\n  name: ${MISSING}\n  description: ${MISSING} and ${MISSING}\n");
	CHECK(bp && bp->env_ref_count == 2 && same(bp->name, ""));
	CHECK(bp && bp->env_refs[0].node != bp->env_refs[1].node);
	vg_arena_free(a);

	/* the default getenv reads the process environment */
	a = vg_arena_new();
	setenv("VIGIL_TEST_BP_VAR", "from-env", 1);
	vg_yaml_error err;
	const char *text = "system: {name: \"${VIGIL_TEST_BP_VAR}\"}\n";
	vg_node *root = vg_yaml_parse(a, "bp.yaml", text, strlen(text), &err);
	bp = root ? vg_blueprint_build(a, "bp.yaml", root, NULL) : NULL;
	CHECK(bp && same(bp->name, "from-env") && bp->env_ref_count == 1 && bp->env_refs[0].defined);
	vg_arena_free(a);
}

static const char *sqlite_path_of(vg_arena *a, const char *file, const char *url)
{
	char y[512];
	snprintf(y, sizeof y, "system:\n  name: s\n  databases:\n    d: {type: sqlite, url: \"%s\"}\n", url);
	vg_blueprint *bp = build(a, file, y);
	return bp && bp->database_count == 1 ? bp->databases[0].sqlite_path : "(failed)";
}

static void test_sqlite_paths(void)
{
	vg_arena *a = vg_arena_new();
	CHECK_STR(sqlite_path_of(a, "/srv/x/bp.yaml", "sqlite:///tasks.db"), "/srv/x/tasks.db");
	CHECK_STR(sqlite_path_of(a, "/srv/x/bp.yaml", "sqlite:///./db/t.db"), "/srv/x/db/t.db");
	CHECK_STR(sqlite_path_of(a, "/srv/x/bp.yaml", "sqlite:////var/lib/t.db"), "/var/lib/t.db");
	CHECK_STR(sqlite_path_of(a, "/srv/x/bp.yaml", "sqlite:///t.db?mode=ro"), "/srv/x/t.db");
	CHECK(sqlite_path_of(a, "/srv/x/bp.yaml", "sqlite::memory:") == NULL);
	CHECK(sqlite_path_of(a, "/srv/x/bp.yaml", ":memory:") == NULL);
	CHECK(sqlite_path_of(a, "/srv/x/bp.yaml", "sqlite:///:memory:") == NULL);
	/* a bare path is not a URL: no file (level 2 reports VG207), as url.c decides */
	CHECK(sqlite_path_of(a, "/srv/x/bp.yaml", "data/t.db") == NULL);
	CHECK(sqlite_path_of(a, "/srv/x/bp.yaml", "/abs/t.db") == NULL);
	CHECK_STR(sqlite_path_of(a, "/bp.yaml", "sqlite:///t.db"), "/t.db");
	/* a relative blueprint path resolves against the working directory */
	char cwd[4096], want[4200];
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	snprintf(want, sizeof want, "%s/blueprints/t.db", cwd);
	CHECK_STR(sqlite_path_of(a, "blueprints/bp.yaml", "sqlite:///t.db"), want);
	snprintf(want, sizeof want, "%s/t.db", cwd);
	CHECK_STR(sqlite_path_of(a, "bp.yaml", "sqlite:///t.db"), want);
	CHECK_STR(sqlite_path_of(a, "./bp.yaml", "sqlite:///t.db"), want);
	/* not sqlite: no path */
	vg_blueprint *bp = build(a, "/x/bp.yaml",
	                         "system:\n  databases:\n    d: {type: mysql, url: \"mysql://u@h/db\"}\n");
	CHECK(bp && bp->databases[0].sqlite_path == NULL && bp->databases[0].type == VG_DB_MYSQL);
	vg_arena_free(a);
}

static void test_inline_and_resources(void)
{
	const char *y =
		"system:\n"
		"  name: s\n"
		"  components:\n"
		"    - name: user_store\n"
		"      type: Store\n"
		"      config:\n"
		"        table: users\n"
		"        database:\n"
		"          type: postgres\n"
		"          connection_string: postgresql://u@h/app\n"
		"          connection_pool: {min_size: 2, max_size: 10, timeout: 1.5}\n"
		"          schema: {tables: [{name: users, columns: [{name: id, type: uuid}]}]}\n"
		"    - name: order_store\n"
		"      type: Store\n"
		"      config: {database: {name: orders_db, type: mysql, url: \"mysql://u@h/o\"}}\n"
		"  databases:\n"
		"    main: {type: sqlite, url: \"sqlite:///m.db\"}\n"
		"databases:\n"
		"  extra: {type: sqlite, url: \":memory:\"}\n"
		"resources:\n"
		"  databases:\n"
		"    - {type: postgresql, connection_string: \"postgresql://h/a\", pool_size: 20, ssl_required: true}\n"
		"    - {type: mysql, connection_name: analytics, url: \"mysql://h/b\"}\n"
		"    - {type: sqlite, name: named, url: \"sqlite:///n.db\"}\n"
		"    - just a string\n";
	vg_arena *a = vg_arena_new();
	vg_blueprint *bp = build(a, "/p/bp.yaml", y);
	CHECK(bp != NULL);
	if (!bp) {
		vg_arena_free(a);
		return;
	}
	CHECK(bp->database_count == 7);
	const char *order[] = {"main", "extra", "user_store", "orders_db", "database_1", "analytics", "named"};
	for (size_t i = 0; i < 7 && i < bp->database_count; i++)
		CHECK_STR(bp->databases[i].name, order[i]);

	const vg_database *main_db = vg_blueprint_database(bp, "main");
	CHECK(main_db && main_db->origin == VG_DB_FROM_SYSTEM);
	const vg_database *extra = vg_blueprint_database(bp, "extra");
	CHECK(extra && extra->origin == VG_DB_FROM_SYSTEM && extra->sqlite_path == NULL);

	const vg_component *us = vg_blueprint_component(bp, "user_store");
	const vg_database *udb = vg_blueprint_database(bp, "user_store");
	CHECK(us && udb && same(us->database, "user_store") && same(us->table, "users"));
	CHECK(udb->origin == VG_DB_FROM_STORE && udb->type == VG_DB_POSTGRESQL && same(udb->type_raw, "postgres"));
	CHECK(us->database_node == udb->node && udb->node->kind == VG_NODE_MAP);
	CHECK_STR(udb->url, "postgresql://u@h/app");
	CHECK(udb->pool.has_min && udb->pool.min == 2 && udb->pool.has_max && udb->pool.max == 10);
	CHECK(udb->pool.has_connect_timeout && udb->pool.connect_timeout_ms == 1500);
	CHECK(udb->table_count == 1 && same(udb->tables[0].columns[0].type, "uuid"));

	const vg_component *os = vg_blueprint_component(bp, "order_store");
	const vg_database *odb = vg_blueprint_database(bp, "orders_db");
	CHECK(os && odb && same(os->database, "orders_db") && odb->origin == VG_DB_FROM_STORE);
	CHECK(odb->name_node && same(vg_scalar(odb->name_node), "orders_db"));

	const vg_database *r1 = vg_blueprint_database(bp, "database_1");
	CHECK(r1 && r1->origin == VG_DB_FROM_RESOURCES && r1->ssl_required == 1);
	CHECK(r1->pool.has_max && r1->pool.max == 20 && !r1->pool.has_min);
	CHECK(r1->name_node == r1->node);
	const vg_database *r2 = vg_blueprint_database(bp, "analytics");
	CHECK(r2 && r2->type == VG_DB_MYSQL && same(r2->url, "mysql://h/b") && r2->ssl_required == 0);
	CHECK_STR(vg_scalar(r2->name_node), "analytics");
	const vg_database *r3 = vg_blueprint_database(bp, "named");
	CHECK(r3 && same(r3->sqlite_path, "/p/n.db"));
	vg_arena_free(a);
}

static void test_lenient_shapes(void)
{
	const char *y =
		"schema_version: 1\n"
		"system:\n"
		"  name: [not, a, string]\n"
		"  components:\n"
		"    - name: c1\n"
		"      type: {x: 1}\n"
		"      config: [1, 2]\n"
		"      configuration: {database: [x], table: 5}\n"
		"      inputs: {not: a list}\n"
		"      outputs: [plain, {name: o, schema: [x]}]\n"
		"    - 42\n"
		"    - name: c1\n"
		"      type: Sink\n"
		"    - type: Sink\n"
		"  bindings: {not: a list}\n"
		"  databases:\n"
		"    d1: [not, a, map]\n"
		"    d2:\n"
		"      type: 7\n"
		"      url: {x: 1}\n"
		"      pool: {min: lots, max: 4}\n"
		"      permissions: select\n"
		"      schema:\n"
		"        tables:\n"
		"          - name: t\n"
		"            columns: [{name: a, type: int, nullable: maybe, default: [1]}, x]\n"
		"            primary_key: a\n"
		"            unique: a\n"
		"            indexes: [x, {columns: a}]\n"
		"            foreign_keys: [{columns: [a], references: other}]\n"
		"          - not a table\n"
		"        migrations: {x: 1}\n"
		"  schemas:\n"
		"    Sys: {type: object}\n"
		"schemas: [not, a, map]\n";
	vg_arena *a = vg_arena_new();
	vg_blueprint *bp = build(a, "bp.yaml", y);
	CHECK(bp != NULL);
	if (!bp) {
		vg_arena_free(a);
		return;
	}
	CHECK(same(bp->schema_version, "1") && bp->name == NULL);
	CHECK(bp->component_count == 3);
	const vg_component *c1 = vg_blueprint_component(bp, "c1");
	CHECK(c1 == &bp->components[0]); /* first definition wins */
	CHECK(c1->type == NULL && c1->type_node && c1->config && c1->config->kind == VG_NODE_MAP);
	CHECK(c1->database == NULL && c1->database_node && same(c1->table, "5"));
	CHECK(c1->input_count == 0 && c1->output_count == 1 && c1->outputs[0].schema == NULL);
	CHECK(c1->outputs[0].schema_node != NULL);
	CHECK(bp->components[2].name == NULL && bp->components[2].node);
	CHECK(bp->binding_count == 0);
	CHECK(bp->database_count == 2);
	const vg_database *d1 = vg_blueprint_database(bp, "d1");
	CHECK(d1 && d1->node && d1->node->kind == VG_NODE_SEQ && d1->type == VG_DB_UNKNOWN);
	const vg_database *d2 = vg_blueprint_database(bp, "d2");
	CHECK(d2 && same(d2->type_raw, "7") && d2->type == VG_DB_UNKNOWN && d2->url == NULL);
	CHECK(!d2->pool.has_min && d2->pool.has_max && d2->pool.max == 4);
	CHECK(d2->permissions.count == 0 && d2->permissions.node);
	CHECK(d2->table_count == 1 && d2->migration_count == 0);
	const vg_table *t = &d2->tables[0];
	CHECK(t->column_count == 1 && t->columns[0].nullable == VG_UNSET);
	CHECK(t->columns[0].default_node && t->columns[0].default_value == NULL);
	CHECK(t->primary_key.count == 1 && !t->columns[0].primary_key);
	CHECK(t->unique_count == 1 && same(t->uniques[0].names[0], "a"));
	CHECK(t->index_count == 1 && t->indexes[0].columns.count == 0);
	CHECK(t->foreign_key_count == 1 && t->foreign_keys[0].ref_table == NULL);
	CHECK(bp->schema_count == 1 && vg_blueprint_schema(bp, "Sys"));
	vg_arena_free(a);

	/* roots that are not a mapping give an empty model */
	a = vg_arena_new();
	vg_yaml_error err;
	vg_node *root = vg_yaml_parse(a, "bp.yaml", "[1, 2]\n", 7, &err);
	bp = vg_blueprint_build(a, "bp.yaml", root, NULL);
	CHECK(bp && bp->component_count == 0 && bp->database_count == 0 && bp->root == root);
	bp = vg_blueprint_build(a, NULL, NULL, NULL);
	CHECK(bp && bp->dir && vg_blueprint_component(bp, "x") == NULL);
	vg_arena_free(a);
}

static void test_schemas_both_places(void)
{
	vg_arena *a = vg_arena_new();
	vg_blueprint *bp = build(a, "bp.yaml",
	                         "system:\n  schemas: {A: {type: object}}\nschemas: {B: {type: object}}\n");
	CHECK(bp && bp->schema_count == 2 && vg_blueprint_schema(bp, "A") && vg_blueprint_schema(bp, "B"));
	CHECK(bp && vg_blueprint_schema(bp, "A")->name_node->line == 2);
	vg_arena_free(a);
}

static void test_many_components(void)
{
	size_t cap = 4u << 20, n = 0;
	char *y = malloc(cap);
	if (!y)
		return;
	n += (size_t)snprintf(y, cap, "system:\n  name: big\n  components:\n");
	for (int i = 0; i < 10000; i++)
		n += (size_t)snprintf(y + n, cap - n, "    - {name: c_%d, type: Transformer}\n", i);
	vg_arena *a = vg_arena_new();
	vg_yaml_error err;
	vg_node *root = vg_yaml_parse(a, "big.yaml", y, n, &err);
	vg_blueprint *bp = root ? vg_blueprint_build(a, "big.yaml", root, NULL) : NULL;
	CHECK(bp && bp->component_count == 10000);
	CHECK(bp && vg_blueprint_component(bp, "c_9999") == &bp->components[9999]);
	CHECK(bp && vg_blueprint_component(bp, "c_0") == &bp->components[0]);
	vg_arena_free(a);
	free(y);
}

int main(void)
{
	test_db_types();
	test_doc_example();
	test_binding_spellings();
	test_env();
	test_sqlite_paths();
	test_inline_and_resources();
	test_lenient_shapes();
	test_schemas_both_places();
	test_many_components();
	return CHECK_SUMMARY();
}
