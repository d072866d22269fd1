/* Unit tests of the schema diff (engine/src/schema/schema_diff.c): declared models from blueprint
 * YAML, live models built the way each database reports its catalog. No database needed. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "blueprint.h"
#include "schema.h"
#include "schema_diff.h"

#include "check.h"

#define SL VG_DB_SQLITE
#define PG VG_DB_POSTGRESQL
#define MY VG_DB_MYSQL

static const char *no_env(const char *name)
{
	(void)name;
	return NULL;
}

static void print_diffs(vg_arena *a, const vg_schema_diff_result *r)
{
	for (size_t i = 0; i < r->count; i++)
		fprintf(stderr, "    %s: %s\n", vg_schema_diff_kind_name(r->items[i].kind),
		        vg_schema_diff_describe(a, &r->items[i]));
}

/* ---- the declared side: a blueprint ----------------------------------------------------------- */

/* Every generic type, and how each database reports the column the driver creates for it.
 * SQLite reports the type as declared in the DDL, i.e. vg_sqltype_render's spelling. */
static const struct {
	const char *generic;
	const char *column;
	const char *pg;
	const char *my;
} generic_types[] = {
	{ "string", "c_string", "text", "varchar(255)" },
	{ "varchar(100)", "c_varchar", "character varying(100)", "varchar(100)" },
	{ "text", "c_text", "text", "text" },
	{ "integer", "c_integer", "integer", "int(11)" },
	{ "bigint", "c_bigint", "bigint", "bigint(20)" },
	{ "smallint", "c_smallint", "smallint", "smallint(6)" },
	{ "float", "c_float", "double precision", "float" },
	{ "double", "c_double", "double precision", "double" },
	{ "decimal(10,2)", "c_decimal", "numeric(10,2)", "decimal(10,2)" },
	{ "boolean", "c_boolean", "boolean", "tinyint(1)" },
	{ "datetime", "c_datetime", "timestamp without time zone", "datetime" },
	{ "date", "c_date", "date", "date" },
	{ "time", "c_time", "time without time zone", "time" },
	{ "uuid", "c_uuid", "uuid", "char(36)" },
	{ "json", "c_json", "json", "longtext" }, /* MariaDB: JSON is LONGTEXT + json_valid */
	{ "blob", "c_blob", "bytea", "blob" },
};
#define GENERIC_COUNT (sizeof generic_types / sizeof generic_types[0])

static const char yaml_head[] =
    "schema_version: \"1.0.0\"\n"
    "system:\n"
    "  name: shop\n"
    "  components: []\n"
    "  databases:\n"
    "    main:\n"
    "      type: %s\n"
    "      url: %s\n"
    "      schema:\n"
    "        tables:\n"
    "          - name: users\n"                                                                   /* 11 */
    "            columns:\n"
    "              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
    "              - {name: email, type: varchar(100), nullable: false, unique: true}\n"        /* 14 */
    "          - name: tasks\n"                                                                   /* 15 */
    "            columns:\n"
    "              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
    "              - {name: owner_id, type: integer, nullable: false}\n"
    "              - {name: title, type: varchar(200), nullable: false, default: untitled}\n"   /* 19 */
    "              - {name: done, type: boolean, nullable: false, default: \"false\"}\n"         /* 20 */
    "              - {name: price, type: \"decimal(10,2)\", default: 0}\n"
    "              - {name: created_at, type: datetime, nullable: false, default: CURRENT_TIMESTAMP}\n"
    "            indexes:\n"
    "              - {name: tasks_done_idx, columns: [done]}\n"                                 /* 24 */
    "            foreign_keys:\n"
    "              - {columns: [owner_id], references: {table: users, columns: [id]}, on_delete: cascade}\n"
    "          - name: every_type\n"                                                              /* 27 */
    "            columns:\n"
    "              - {name: id, type: bigint, primary_key: true}\n";

static const vg_database *declared_database(vg_arena *a, vg_db_type dialect)
{
	static const char *const urls[] = { "", "sqlite:///shop.db", "postgresql://app@127.0.0.1/app",
		                                "mysql://app@127.0.0.1/app" };
	char *yaml = vg_arena_printf(a, yaml_head, vg_db_type_name(dialect), urls[dialect]);
	for (size_t i = 0; i < GENERIC_COUNT; i++)
		yaml = vg_arena_printf(a, "%s              - {name: %s, type: \"%s\"}\n", yaml,
		                       generic_types[i].column, generic_types[i].generic);
	vg_yaml_error err;
	vg_node *root = vg_yaml_parse(a, "shop.yaml", yaml, strlen(yaml), &err);
	if (!root) {
		fprintf(stderr, "parse failed: %s (line %u)\n", err.message, err.line);
		return NULL;
	}
	vg_blueprint *bp = vg_blueprint_build(a, "shop.yaml", root, no_env);
	return bp && bp->database_count == 1 ? &bp->databases[0] : NULL;
}

static vg_schema *declared_schema(vg_arena *a, vg_db_type dialect)
{
	const vg_database *db = declared_database(a, dialect);
	return db ? vg_schema_from_declared(a, db) : NULL;
}

/* ---- the live side: what each database reports -------------------------------------------------- */

/* One change each, combinable, from the schema the blueprint declares. */
enum {
	M_MISSING_TABLE = 1 << 0,  /* every_type not created */
	M_EXTRA_TABLE = 1 << 1,    /* audit_log exists */
	M_MISSING_COLUMN = 1 << 2, /* tasks.price not there */
	M_EXTRA_COLUMN = 1 << 3,   /* tasks.legacy exists */
	M_TYPE = 1 << 4,           /* tasks.title is 100 long */
	M_NULLABLE = 1 << 5,       /* tasks.title nullable */
	M_DEFAULT = 1 << 6,        /* tasks.done defaults to true */
	M_AUTO_INCREMENT = 1 << 7, /* tasks.id plain */
	M_PRIMARY_KEY = 1 << 8,    /* tasks (id, owner_id) */
	M_MISSING_UNIQUE = 1 << 9, /* users.email not unique */
	M_EXTRA_UNIQUE = 1 << 10,  /* users (email, id) unique */
	M_MISSING_INDEX = 1 << 11, /* no tasks_done_idx */
	M_EXTRA_INDEX = 1 << 12,   /* tasks_title_idx */
	M_INDEX = 1 << 13,         /* tasks_done_idx on (done, title) */
	M_MISSING_FK = 1 << 14,    /* no tasks.owner_id FK */
	M_EXTRA_FK = 1 << 15,      /* tasks.id references users */
	M_FK = 1 << 16,            /* tasks.owner_id FK without on delete cascade */
};

static vg_schema_table *table(vg_schema *s, const char *name)
{
	vg_schema_table *t = NULL;
	CHECK(vg_schema_add_table(&t, s, name) == 0);
	return t;
}

static void column(vg_schema_table *t, const char *name, const char *type, int nullable,
                   const char *def, int auto_increment)
{
	CHECK(vg_schema_table_add_column(NULL, t, name, type, nullable, def, auto_increment) == 0);
}

static void key(vg_schema_table *t, const char *name, const char *c1, const char *c2)
{
	const char *cols[] = { c1, c2 };
	CHECK(vg_schema_table_set_primary_key(t, name, cols, c2 ? 2 : 1) == 0);
}

static void unique(vg_schema_table *t, const char *name, const char *c1, const char *c2)
{
	const char *cols[] = { c1, c2 };
	CHECK(vg_schema_table_add_unique(NULL, t, name, cols, c2 ? 2 : 1) == 0);
}

static void index_on(vg_schema_table *t, const char *name, const char *c1, const char *c2, int uniq)
{
	const char *cols[] = { c1, c2 };
	CHECK(vg_schema_table_add_index(NULL, t, name, cols, c2 ? 2 : 1, uniq) == 0);
}

static void fk(vg_schema_table *t, const char *name, const char *col, const char *ref_table,
               const char *ref_col, const char *on_delete, const char *on_update)
{
	const char *cols[] = { col }, *refs[] = { ref_col };
	CHECK(vg_schema_table_add_foreign_key(NULL, t, name, cols, 1, ref_table, refs, 1, on_delete,
	                                      on_update) == 0);
}

/* The spelling a database reports for a generic type. */
static const char *reported(vg_arena *a, vg_db_type d, size_t i)
{
	if (d == PG)
		return generic_types[i].pg;
	if (d == MY)
		return generic_types[i].my;
	return vg_sqltype_render(a, generic_types[i].generic, SL);
}

/*
 * The live schema as the driver of `d` would introspect it after creating the blueprint's
 * schema, with `m` applied. Implicit objects are reported too (PG's tasks_pkey index, MySQL's
 * PRIMARY index and FK index), to show they are not read as drift.
 */
static vg_schema *live_schema(vg_arena *a, vg_db_type d, unsigned m)
{
	vg_schema *s = vg_schema_new(a, d, d == PG ? "public" : d == MY ? "app" : NULL);
	int pg = d == PG, my = d == MY;
	const char *none = my ? "NULL" : NULL; /* MariaDB reports NULL defaults as the text NULL */

	/* added out of order on purpose: finish sorts */
	vg_schema_table *tasks = table(s, "tasks");
	vg_schema_table *users = table(s, "users");

	column(users, "id", pg ? "integer" : my ? "int(11)" : "INTEGER", 0,
	       pg ? "nextval('users_id_seq'::regclass)" : NULL, my);
	column(users, "email", pg ? "character varying(100)" : my ? "varchar(100)" : "TEXT", 0, none, 0);
	key(users, pg ? "users_pkey" : my ? "PRIMARY" : NULL, "id", NULL);
	if (!(m & M_MISSING_UNIQUE))
		unique(users, pg ? "users_email_key" : my ? "email" : "sqlite_autoindex_users_1", "email", NULL);
	if (m & M_EXTRA_UNIQUE)
		unique(users, "users_email_id_key", "email", "id");
	if (pg || my) { /* the constraints' own indexes */
		index_on(users, pg ? "users_pkey" : "PRIMARY", "id", NULL, 1);
		if (!(m & M_MISSING_UNIQUE))
			index_on(users, pg ? "users_email_key" : "email", "email", NULL, 1);
	}

	if (m & M_AUTO_INCREMENT)
		column(tasks, "id", pg ? "integer" : my ? "int(11)" : "INTEGER", 0, none, 0);
	else
		column(tasks, "id", pg ? "integer" : my ? "int(11)" : "INTEGER", 0,
		       pg ? "nextval('tasks_id_seq'::regclass)" : NULL, my);
	column(tasks, "owner_id", pg ? "integer" : my ? "int(11)" : "INTEGER", 0, none, 0);
	const char *title_type = pg ? "character varying(200)" : my ? "varchar(200)" : "VARCHAR(200)";
	if (m & M_TYPE)
		title_type = pg ? "character varying(100)" : my ? "varchar(100)" : "INTEGER";
	column(tasks, "title", title_type, (m & M_NULLABLE) != 0,
	       pg ? "'untitled'::character varying" : "'untitled'", 0);
	const char *done_default = pg ? "false" : my ? "0" : "FALSE";
	if (m & M_DEFAULT)
		done_default = pg ? "true" : my ? "1" : "TRUE";
	column(tasks, "done", pg ? "boolean" : my ? "tinyint(1)" : "INTEGER", 0, done_default, 0);
	if (!(m & M_MISSING_COLUMN))
		column(tasks, "price", pg ? "numeric(10,2)" : my ? "decimal(10,2)" : "NUMERIC", 1,
		       pg ? "0" : my ? "0.00" : "0", 0);
	column(tasks, "created_at", pg ? "timestamp without time zone" : my ? "datetime" : "TEXT", 0,
	       pg ? "now()" : my ? "current_timestamp()" : "CURRENT_TIMESTAMP", 0);
	if (m & M_EXTRA_COLUMN)
		column(tasks, "legacy", pg ? "text" : my ? "text" : "TEXT", 1, none, 0);
	if (m & M_PRIMARY_KEY)
		key(tasks, pg ? "tasks_pkey" : my ? "PRIMARY" : NULL, "id", "owner_id");
	else
		key(tasks, pg ? "tasks_pkey" : my ? "PRIMARY" : NULL, "id", NULL);
	if (pg || my) /* the PK's own index, as a driver that did not skip it would report it */
		index_on(tasks, pg ? "tasks_pkey" : "PRIMARY", "id", (m & M_PRIMARY_KEY) ? "owner_id" : NULL, 1);
	if (m & M_INDEX)
		index_on(tasks, "tasks_done_idx", "done", "title", 0);
	else if (!(m & M_MISSING_INDEX))
		index_on(tasks, "tasks_done_idx", "done", NULL, 0);
	if (m & M_EXTRA_INDEX)
		index_on(tasks, "tasks_title_idx", "title", NULL, 0);
	if (!(m & M_MISSING_FK)) {
		const char *name = pg ? "tasks_owner_id_fkey" : my ? "tasks_ibfk_1" : NULL;
		fk(tasks, name, "owner_id", "users", "id", (m & M_FK) ? "NO ACTION" : "CASCADE",
		   my ? "RESTRICT" : "NO ACTION");
		if (my)
			index_on(tasks, "owner_id", "owner_id", NULL, 0); /* InnoDB's index for the FK */
	}
	if (m & M_EXTRA_FK)
		fk(tasks, pg ? "tasks_id_fkey" : my ? "tasks_ibfk_2" : NULL, "id", "users", "id", "NO ACTION",
		   "NO ACTION");

	if (!(m & M_MISSING_TABLE)) {
		vg_schema_table *every = table(s, "every_type");
		column(every, "id", pg ? "bigint" : my ? "bigint(20)" : "INTEGER", 0, NULL, 0);
		for (size_t i = 0; i < GENERIC_COUNT; i++)
			column(every, generic_types[i].column, reported(a, d, i), 1, none, 0);
		key(every, pg ? "every_type_pkey" : my ? "PRIMARY" : NULL, "id", NULL);
	}
	if (m & M_EXTRA_TABLE) {
		vg_schema_table *audit = table(s, "audit_log");
		column(audit, "id", pg ? "integer" : "INTEGER", 0, NULL, 0);
		column(audit, "what", "text", 1, NULL, 0);
	}
	CHECK(vg_schema_finish(s) == 0);
	return s;
}

static vg_schema_diff_result diff_of(vg_arena *a, const vg_schema *declared, const vg_schema *live,
                                     const char *const *unmanaged, size_t n)
{
	vg_schema_diff_result r;
	CHECK(vg_schema_diff(a, declared, live, unmanaged, n, &r) == 0);
	return r;
}

/* ---- tests -------------------------------------------------------------------------------------- */

/* The schema a driver creates from the blueprint and reads back is no drift, on every
 * dialect, with every generic type. */
static void test_identical(void)
{
	static const vg_db_type dialects[] = { SL, PG, MY };
	for (size_t i = 0; i < 3; i++) {
		vg_arena *a = vg_arena_new();
		vg_schema *declared = declared_schema(a, dialects[i]);
		vg_schema *live = live_schema(a, dialects[i], 0);
		CHECK(declared && declared->problem_count == 0 && live && live->problem_count == 0);
		vg_schema_diff_result r = diff_of(a, declared, live, NULL, 0);
		if (r.count) {
			fprintf(stderr, "  %s: %zu differences\n", vg_dialect_label(dialects[i]), r.count);
			print_diffs(a, &r);
		}
		CHECK(r.count == 0);
		CHECK(r.tables_compared == 3);
		CHECK(r.columns_compared == 2 + 6 + 1 + GENERIC_COUNT);
		/* and a model against itself */
		r = diff_of(a, live, live, NULL, 0);
		CHECK(r.count == 0);
		vg_arena_free(a);
	}
}

/* Each kind of difference is found once, with both sides in words, on PostgreSQL. */
static void test_each_kind(void)
{
	static const struct {
		unsigned mutation;
		vg_schema_diff_kind kind;
		const char *table, *object, *expected, *actual;
		const char *line; /* vg_schema_diff_describe */
		unsigned node_line; /* 0: no node */
	} cases[] = {
		{ M_MISSING_TABLE, VG_SCHEMA_MISSING_TABLE, "every_type", NULL, "17 columns", NULL,
		  "table every_type: missing from the database (declared with 17 columns)", 27 },
		{ M_EXTRA_TABLE, VG_SCHEMA_EXTRA_TABLE, "audit_log", NULL, NULL, "2 columns",
		  "table audit_log: in the database (2 columns), not in the blueprint", 0 },
		{ M_MISSING_COLUMN, VG_SCHEMA_MISSING_COLUMN, "tasks", "price", "decimal(10,2), nullable, default 0", NULL,
		  "column tasks.price: missing, expected decimal(10,2), nullable, default 0", 21 },
		{ M_EXTRA_COLUMN, VG_SCHEMA_EXTRA_COLUMN, "tasks", "legacy", NULL, "text, nullable",
		  "column tasks.legacy: not in the blueprint, found text, nullable", 15 },
		{ M_TYPE, VG_SCHEMA_TYPE_MISMATCH, "tasks", "title", "varchar(200)",
		  "character varying(100) (varchar(100))",
		  "column tasks.title: type character varying(100) (varchar(100)), expected varchar(200)", 19 },
		{ M_NULLABLE, VG_SCHEMA_NULLABILITY_MISMATCH, "tasks", "title", "not null", "nullable",
		  "column tasks.title: nullable, expected not null", 19 },
		{ M_DEFAULT, VG_SCHEMA_DEFAULT_MISMATCH, "tasks", "done", "false", "true",
		  "column tasks.done: default true, expected false", 20 },
		{ M_AUTO_INCREMENT, VG_SCHEMA_AUTO_INCREMENT_MISMATCH, "tasks", "id", "auto-increment",
		  "not auto-increment", "column tasks.id: not auto-increment, expected auto-increment", 17 },
		{ M_PRIMARY_KEY, VG_SCHEMA_PRIMARY_KEY_MISMATCH, "tasks", NULL, "(id)", "(id, owner_id)",
		  "table tasks: primary key (id, owner_id), expected (id)", 17 },
		{ M_MISSING_UNIQUE, VG_SCHEMA_MISSING_UNIQUE, "users", "(email)", "(email)", NULL,
		  "unique users(email): missing, expected (email)", 14 },
		{ M_EXTRA_UNIQUE, VG_SCHEMA_EXTRA_UNIQUE, "users", "users_email_id_key", NULL, "(email, id)",
		  "unique users.users_email_id_key: not in the blueprint, found (email, id)", 11 },
		{ M_MISSING_INDEX, VG_SCHEMA_MISSING_INDEX, "tasks", "tasks_done_idx", "(done)", NULL,
		  "index tasks.tasks_done_idx: missing, expected (done)", 24 },
		{ M_EXTRA_INDEX, VG_SCHEMA_EXTRA_INDEX, "tasks", "tasks_title_idx", NULL, "(title)",
		  "index tasks.tasks_title_idx: not in the blueprint, found (title)", 15 },
		{ M_INDEX, VG_SCHEMA_INDEX_MISMATCH, "tasks", "tasks_done_idx", "(done)", "(done, title)",
		  "index tasks.tasks_done_idx: (done, title), expected (done)", 24 },
		{ M_MISSING_FK, VG_SCHEMA_MISSING_FOREIGN_KEY, "tasks", "(owner_id)",
		  "(owner_id) → users(id) on delete cascade on update no action", NULL,
		  "foreign key tasks(owner_id): missing, expected (owner_id) → users(id) on delete cascade on update no action", 26 },
		{ M_EXTRA_FK, VG_SCHEMA_EXTRA_FOREIGN_KEY, "tasks", "tasks_id_fkey", NULL,
		  "(id) → users(id) on delete no action on update no action",
		  "foreign key tasks.tasks_id_fkey: not in the blueprint, found (id) → users(id) on delete no action on update no action", 15 },
		{ M_FK, VG_SCHEMA_FOREIGN_KEY_MISMATCH, "tasks", "tasks_owner_id_fkey",
		  "(owner_id) → users(id) on delete cascade on update no action",
		  "(owner_id) → users(id) on delete no action on update no action",
		  "foreign key tasks.tasks_owner_id_fkey: (owner_id) → users(id) on delete no action on update no action, expected (owner_id) → users(id) on delete cascade on update no action", 26 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_arena *a = vg_arena_new();
		vg_schema *declared = declared_schema(a, PG);
		vg_schema *live = live_schema(a, PG, cases[i].mutation);
		vg_schema_diff_result r = diff_of(a, declared, live, NULL, 0);
		const vg_schema_difference *x = r.count == 1 ? &r.items[0] : NULL;
		const char *line = x ? vg_schema_diff_describe(a, x) : NULL;
		int ok = x && x->kind == cases[i].kind && same(x->table, cases[i].table) &&
		         same(x->object, cases[i].object) && same(x->expected, cases[i].expected) &&
		         same(x->actual, cases[i].actual) && same(line, cases[i].line) &&
		         (cases[i].node_line ? x->node && x->node->line == cases[i].node_line : !x->node);
		if (!ok) {
			fprintf(stderr, "  case %s: %zu differences\n", vg_schema_diff_kind_name(cases[i].kind), r.count);
			print_diffs(a, &r);
			if (x)
				fprintf(stderr, "    object %s expected %s actual %s node line %u\n",
				        x->object ? x->object : "-", x->expected ? x->expected : "-",
				        x->actual ? x->actual : "-", x->node ? x->node->line : 0);
		}
		CHECK(ok);
		vg_arena_free(a);
	}
}

/* Type mismatches carry both raw and both canonical types, and the rule applied. */
static void test_type_details(void)
{
	vg_arena *a = vg_arena_new();
	vg_schema_diff_result r = diff_of(a, declared_schema(a, PG), live_schema(a, PG, M_TYPE), NULL, 0);
	CHECK(r.count == 1);
	if (r.count == 1) {
		const vg_schema_difference *x = &r.items[0];
		CHECK(same(x->expected_canonical, "varchar(200)") && same(x->actual_canonical, "varchar(100)"));
		CHECK(x->rule && strstr(x->rule, "character varying(100) → varchar(100)"));
		CHECK_STR(x->declared.column->raw_type, "varchar(200)");
		CHECK_STR(x->live.column->raw_type, "character varying(100)");
		CHECK(x->declared_table && x->live_table && same(x->live_table->name, "tasks"));
	}
	/* MySQL: varchar lengths differ; boolean vs int */
	vg_schema *my = live_schema(a, MY, M_TYPE);
	r = diff_of(a, declared_schema(a, MY), my, NULL, 0);
	CHECK(r.count == 1 && r.items[0].kind == VG_SCHEMA_TYPE_MISMATCH &&
	      same(r.items[0].actual, "varchar(100)") && same(r.items[0].expected, "varchar(200)"));
	/* SQLite stores varchar(n) as TEXT whatever n: only another affinity is a mismatch */
	r = diff_of(a, declared_schema(a, SL), live_schema(a, SL, M_TYPE), NULL, 0);
	CHECK(r.count == 1 && r.items[0].kind == VG_SCHEMA_TYPE_MISMATCH &&
	      same(r.items[0].actual, "INTEGER") && same(r.items[0].expected, "varchar(200) (text)"));
	CHECK(same(r.items[0].expected_canonical, "text") && same(r.items[0].actual_canonical, "integer"));
	vg_arena_free(a);
}

/* Spellings of one type on one dialect compare equal; other types do not. */
static void test_type_equality(void)
{
	static const struct {
		vg_db_type d;
		const char *declared, *live;
		int equal;
	} cases[] = {
		{ PG, "varchar(200)", "character varying(200)", 1 },
		{ PG, "varchar(200)", "character varying(100)", 0 },
		{ PG, "int", "integer", 1 },
		{ PG, "int4", "integer", 1 },
		{ PG, "integer", "bigint", 0 },
		{ PG, "timestamptz", "timestamp with time zone", 1 },
		{ PG, "datetime", "timestamp with time zone", 0 },
		{ PG, "serial", "integer", 1 },
		{ PG, "geometry", "GEOMETRY", 1 },
		{ PG, "geometry", "geography", 0 },
		{ MY, "boolean", "tinyint(1)", 1 },
		{ MY, "boolean", "tinyint(4)", 0 },
		{ MY, "integer", "int(11)", 1 },
		{ MY, "int unsigned", "int(10) unsigned", 1 },
		{ MY, "int", "int(10) unsigned", 0 },
		{ MY, "json", "longtext", 1 },
		{ MY, "varchar(200)", "varchar(100)", 0 },
		{ SL, "varchar(200)", "VARCHAR(100)", 1 },
		{ SL, "boolean", "INTEGER", 1 },
		{ SL, "text", "BLOB", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_arena *a = vg_arena_new();
		vg_schema *ds = vg_schema_new(a, cases[i].d, NULL), *ls = vg_schema_new(a, cases[i].d, NULL);
		vg_schema_table *dt = table(ds, "t"), *lt = table(ls, "t");
		column(dt, "c", cases[i].declared, 0, NULL, 0);
		column(lt, "c", cases[i].live, 0, NULL, 0);
		ds->declared = 1;
		vg_schema_finish(ds);
		vg_schema_finish(ls);
		vg_schema_diff_result r = diff_of(a, ds, ls, NULL, 0);
		/* serial is also auto-increment: only the type is asked about here */
		size_t types = 0;
		for (size_t k = 0; k < r.count; k++)
			types += r.items[k].kind == VG_SCHEMA_TYPE_MISMATCH;
		CHECK_MSG((types == 0) == cases[i].equal, "%s: %s vs %s: %zu type mismatches",
		          vg_dialect_label(cases[i].d), cases[i].declared, cases[i].live, types);
		vg_arena_free(a);
	}
}

/* Several differences at once come sorted by table, kind, object — however the models were
 * built — and read as one line each. */
static void test_order(void)
{
	unsigned all = M_EXTRA_TABLE | M_MISSING_COLUMN | M_EXTRA_COLUMN | M_NULLABLE | M_DEFAULT |
	               M_EXTRA_UNIQUE | M_EXTRA_INDEX | M_MISSING_FK | M_MISSING_TABLE;
	static const char *const want[] = {
		"table audit_log: in the database (2 columns), not in the blueprint",
		"table every_type: missing from the database (declared with 17 columns)",
		"column tasks.price: missing, expected decimal(10,2), nullable, default 0",
		"column tasks.legacy: not in the blueprint, found text, nullable",
		"column tasks.title: nullable, expected not null",
		"column tasks.done: default true, expected false",
		"index tasks.tasks_title_idx: not in the blueprint, found (title)",
		"foreign key tasks(owner_id): missing, expected (owner_id) → users(id) on delete cascade on update no action",
		"unique users.users_email_id_key: not in the blueprint, found (email, id)",
	};
	vg_arena *a = vg_arena_new();
	vg_schema_diff_result r = diff_of(a, declared_schema(a, PG), live_schema(a, PG, all), NULL, 0);
	int ok = r.count == sizeof want / sizeof want[0];
	for (size_t i = 0; ok && i < r.count; i++)
		ok = same(vg_schema_diff_describe(a, &r.items[i]), want[i]);
	if (!ok)
		print_diffs(a, &r);
	CHECK(ok);
	/* the same again: deterministic */
	vg_schema_diff_result again = diff_of(a, declared_schema(a, PG), live_schema(a, PG, all), NULL, 0);
	ok = again.count == r.count;
	for (size_t i = 0; ok && i < r.count; i++)
		ok = again.items[i].kind == r.items[i].kind && same(again.items[i].object, r.items[i].object);
	CHECK(ok);
	vg_arena_free(a);
}

/* Unmanaged tables and "table.object"s are left out on both sides; '*' ends a prefix. */
static void test_unmanaged(void)
{
	vg_arena *a = vg_arena_new();
	vg_schema *declared = declared_schema(a, PG);
	vg_schema *live = live_schema(a, PG, M_EXTRA_TABLE | M_EXTRA_COLUMN | M_MISSING_TABLE | M_EXTRA_INDEX);
	const char *const unmanaged[] = { "audit_log", "tasks.legacy", "every_type", "tasks.tasks_title_*" };
	vg_schema_diff_result r = diff_of(a, declared, live, unmanaged, 4);
	if (r.count)
		print_diffs(a, &r);
	CHECK(r.count == 0);
	CHECK(r.unmanaged_skipped == 4);
	/* without the list: four differences */
	r = diff_of(a, declared, live, NULL, 0);
	CHECK(r.count == 4);
	/* a table pattern; a column of another table is not matched by a table name */
	const char *const patterns[] = { "audit_*", "legacy", "every_type" };
	r = diff_of(a, declared, live, patterns, 3);
	CHECK(r.count == 2 && r.items[0].kind == VG_SCHEMA_EXTRA_COLUMN && r.items[1].kind == VG_SCHEMA_EXTRA_INDEX);
	vg_arena_free(a);
}

/* MySQL: the FK's own index (named after the constraint or its first column) and RESTRICT for
 * NO ACTION are not drift; another index on the FK column is. */
static void test_mysql_implicit(void)
{
	static const struct {
		const char *index_name;
		int extra;
	} cases[] = {
		{ "tasks_ibfk_1", 0 }, { "owner_id", 0 }, { "owner_id_2", 0 }, { "idx_owner", 1 },
		{ "owner_idx", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_arena *a = vg_arena_new();
		vg_schema *ls = vg_schema_new(a, MY, NULL), *ds = vg_schema_new(a, MY, NULL);
		ds->declared = 1;
		vg_schema_table *lu = table(ls, "users"), *du = table(ds, "users");
		column(lu, "id", "int(11)", 0, NULL, 1);
		column(du, "id", "integer", 0, NULL, 1);
		key(lu, "PRIMARY", "id", NULL);
		key(du, NULL, "id", NULL);
		vg_schema_table *lt = table(ls, "tasks"), *dt = table(ds, "tasks");
		column(lt, "owner_id", "int(11)", 1, "NULL", 0);
		column(dt, "owner_id", "integer", 1, NULL, 0);
		fk(lt, "tasks_ibfk_1", "owner_id", "users", "id", "RESTRICT", "RESTRICT");
		fk(dt, NULL, "owner_id", "users", "id", NULL, "no action");
		index_on(lt, cases[i].index_name, "owner_id", NULL, 0);
		vg_schema_finish(ls);
		vg_schema_finish(ds);
		vg_schema_diff_result r = diff_of(a, ds, ls, NULL, 0);
		int ok = cases[i].extra ? r.count == 1 && r.items[0].kind == VG_SCHEMA_EXTRA_INDEX &&
		                              same(r.items[0].object, cases[i].index_name)
		                        : r.count == 0;
		if (!ok)
			print_diffs(a, &r);
		CHECK(ok);
		vg_arena_free(a);
	}
	/* on PostgreSQL RESTRICT is not NO ACTION */
	vg_arena *a = vg_arena_new();
	vg_schema *ls = vg_schema_new(a, PG, NULL), *ds = vg_schema_new(a, PG, NULL);
	vg_schema_table *lt = table(ls, "t"), *dt = table(ds, "t");
	column(lt, "a", "integer", 1, NULL, 0);
	column(dt, "a", "integer", 1, NULL, 0);
	fk(lt, "t_a_fkey", "a", "t", "a", "RESTRICT", NULL);
	fk(dt, NULL, "a", "t", "a", NULL, NULL);
	vg_schema_finish(ls);
	vg_schema_finish(ds);
	vg_schema_diff_result r = diff_of(a, ds, ls, NULL, 0);
	CHECK(r.count == 1 && r.items[0].kind == VG_SCHEMA_FOREIGN_KEY_MISMATCH &&
	      same(r.items[0].object, "t_a_fkey"));
	vg_arena_free(a);
}

/* Constraints: unnamed ones match by columns; named ones by name (a rename is missing +
 * extra); a unique index stands for a unique constraint and back; a unique constraint on
 * the primary key adds nothing; a unique index behind a constraint is not an extra index. */
static void test_constraint_matching(void)
{
	vg_arena *a = vg_arena_new();
	vg_schema *ds = vg_schema_new(a, PG, NULL), *ls = vg_schema_new(a, PG, NULL);
	ds->declared = 1;
	vg_schema_table *dt = table(ds, "t"), *lt = table(ls, "t");
	static const char *const cols[] = { "id", "a", "b", "c", "d" };
	for (size_t i = 0; i < 5; i++) {
		column(dt, cols[i], "integer", i != 0, NULL, 0);
		column(lt, cols[i], "integer", i != 0, NULL, 0);
	}
	key(dt, NULL, "id", NULL);
	key(lt, "t_pkey", "id", NULL);
	unique(dt, NULL, "id", NULL);            /* redundant with the PK */
	unique(dt, NULL, "a", NULL);             /* live: only a unique index */
	index_on(lt, "t_a_key", "a", NULL, 1);
	index_on(dt, "t_b_uidx", "b", NULL, 1);  /* live: a unique constraint of that name */
	unique(lt, "t_b_uidx", "b", NULL);
	unique(dt, NULL, "c", "d");              /* live: named, plus its own index */
	unique(lt, "t_c_d_key", "c", "d");
	index_on(lt, "t_c_d_key", "c", "d", 1);
	index_on(dt, NULL, "d", NULL, 0);        /* unnamed: matched by columns */
	index_on(lt, "t_d_idx", "d", NULL, 0);
	index_on(dt, "t_b_idx", "b", "c", 0);    /* renamed in the database */
	index_on(lt, "t_b_c_idx", "b", "c", 0);
	fk(dt, "t_a_fk", "a", "t", "id", "cascade", NULL); /* renamed in the database */
	fk(lt, "t_a_fkey", "a", "t", "id", "CASCADE", NULL);
	fk(dt, NULL, "b", "t", "id", NULL, NULL);          /* unnamed: matched by columns */
	fk(lt, "t_b_fkey", "b", "t", "id", NULL, NULL);
	index_on(lt, "t_pkey", "id", NULL, 1);
	vg_schema_finish(ds);
	vg_schema_finish(ls);
	vg_schema_diff_result r = diff_of(a, ds, ls, NULL, 0);
	static const char *const want[] = {
		"index t.t_b_idx: missing, expected (b, c)",
		"index t.t_b_c_idx: not in the blueprint, found (b, c)",
		"foreign key t.t_a_fk: missing, expected (a) → t(id) on delete cascade on update no action",
		"foreign key t.t_a_fkey: not in the blueprint, found (a) → t(id) on delete cascade on update no action",
	};
	int ok = r.count == 4;
	for (size_t i = 0; ok && i < r.count; i++)
		ok = same(vg_schema_diff_describe(a, &r.items[i]), want[i]);
	if (!ok)
		print_diffs(a, &r);
	CHECK(ok);

	/* SQLite: foreign keys have no names; a named declared one matches an unnamed live one */
	vg_schema *dsl = vg_schema_new(a, SL, NULL), *lsl = vg_schema_new(a, SL, NULL);
	dsl->declared = 1;
	dt = table(dsl, "t");
	lt = table(lsl, "t");
	column(dt, "a", "integer", 1, NULL, 0);
	column(lt, "a", "INTEGER", 1, NULL, 0);
	fk(dt, "t_a_fk", "a", "u", "id", "set null", NULL);
	fk(lt, NULL, "a", "u", "id", "SET NULL", "NO ACTION");
	vg_schema_finish(dsl);
	vg_schema_finish(lsl);
	r = diff_of(a, dsl, lsl, NULL, 0);
	CHECK(r.count == 0);
	vg_arena_free(a);
}

/* An unnamed declared index on a unique column is its own index, not the constraint's. */
static void test_index_beside_unique(void)
{
	for (int with_index = 0; with_index < 2; with_index++) {
		vg_arena *a = vg_arena_new();
		vg_schema *ds = vg_schema_new(a, PG, NULL), *ls = vg_schema_new(a, PG, NULL);
		ds->declared = 1;
		vg_schema_table *dt = table(ds, "users"), *lt = table(ls, "users");
		column(dt, "email", "varchar(100)", 0, NULL, 0);
		column(lt, "email", "character varying(100)", 0, NULL, 0);
		unique(dt, NULL, "email", NULL);
		index_on(dt, NULL, "email", NULL, 0);
		unique(lt, "users_email_key", "email", NULL);
		index_on(lt, "users_email_key", "email", NULL, 1);
		if (with_index)
			index_on(lt, "users_email_idx", "email", NULL, 0);
		vg_schema_finish(ds);
		vg_schema_finish(ls);
		vg_schema_diff_result r = diff_of(a, ds, ls, NULL, 0);
		int ok = with_index ? r.count == 0
		                    : r.count == 1 && same(vg_schema_diff_describe(a, &r.items[0]),
		                                           "index users(email): missing, expected (email)");
		if (!ok)
			print_diffs(a, &r);
		CHECK(ok);
		vg_arena_free(a);
	}
}

static void test_errors(void)
{
	vg_arena *a = vg_arena_new();
	vg_schema *pg = vg_schema_new(a, PG, NULL), *my = vg_schema_new(a, MY, NULL);
	vg_schema_diff_result r;
	CHECK(vg_schema_diff(a, pg, my, NULL, 0, &r) == VG_SCHEMA_EINVAL); /* not finished */
	vg_schema_finish(pg);
	vg_schema_finish(my);
	CHECK(vg_schema_diff(a, pg, my, NULL, 0, &r) == VG_SCHEMA_EINVAL && r.count == 0);
	CHECK(vg_schema_diff(a, pg, pg, NULL, 0, &r) == 0 && r.count == 0);
	CHECK(vg_schema_diff(a, pg, NULL, NULL, 0, &r) == VG_SCHEMA_EINVAL);
	CHECK_STR(vg_schema_diff_kind_name(VG_SCHEMA_FOREIGN_KEY_MISMATCH), "foreign_key_mismatch");
	CHECK_STR(vg_schema_diff_kind_name(VG_SCHEMA_MISSING_TABLE), "missing_table");
	CHECK_STR(vg_schema_diff_kind_name(VG_SCHEMA_DIFF_KIND_COUNT), "unknown");
	vg_arena_free(a);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* 1,000 tables x 12 columns: printed, not asserted (tests/bench/bench_diff.c measures). */
static void test_large(void)
{
	vg_arena *a = vg_arena_new();
	vg_schema *ds = vg_schema_new(a, PG, NULL), *ls = vg_schema_new(a, PG, NULL);
	ds->declared = 1;
	char name[32], col[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "table_%04d", i);
		vg_schema_table *dt = table(ds, name), *lt = table(ls, name);
		for (int c = 0; c < 12; c++) {
			snprintf(col, sizeof col, "col_%02d", c);
			column(dt, col, c == 0 ? "bigint" : c % 2 ? "varchar(100)" : "integer", c != 0, NULL, 0);
			column(lt, col, c == 0 ? "bigint" : c % 2 ? "character varying(100)" : "int4", c != 0, NULL, 0);
		}
		key(dt, NULL, "col_00", NULL);
		key(lt, "pk", "col_00", NULL);
		index_on(dt, NULL, "col_01", NULL, 0);
		index_on(lt, "ix", "col_01", NULL, 0);
	}
	vg_schema_finish(ds);
	vg_schema_finish(ls);
	double t0 = now_ms();
	vg_schema_diff_result r = diff_of(a, ds, ls, NULL, 0);
	double t1 = now_ms();
	CHECK(r.count == 0 && r.tables_compared == 1000 && r.columns_compared == 12000);
	printf("diff of 1,000 tables x 12 columns: %.2f ms\n", t1 - t0);
	vg_arena_free(a);
}

int main(void)
{
	test_identical();
	test_each_kind();
	test_type_details();
	test_type_equality();
	test_order();
	test_unmanaged();
	test_mysql_implicit();
	test_constraint_matching();
	test_index_beside_unique();
	test_errors();
	test_large();
	return CHECK_SUMMARY();
}
