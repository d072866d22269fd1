/* Unit tests of the healing proposals (engine/src/db/schema_fix.c): every kind of difference
 * rendered by each driver (render_ddl needs no connection), and convergence on a real SQLite
 * file: drift, proposals applied in one transaction, the schema compared again. The same
 * convergence on PostgreSQL and MariaDB is a case of tests/drivers/conformance.c. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blueprint.h"
#include "db.h"
#include "host.h"
#include "plugin_loader.h"
#include "schema.h"
#include "schema_diff.h"
#include "schema_fix.h"
#include "yaml_tree.h"

#include "check.h"

#define SL VG_DB_SQLITE
#define PG VG_DB_POSTGRESQL
#define MY VG_DB_MYSQL

static vg_plugins *driver_plugins(void)
{
	vg_plugins *set = vg_plugins_new(vg_host_table(), NULL, 0);
	if (set) {
		vg_plugins_add_dir(set, VIGIL_BUILD_PLUGIN_DIR);
		vg_plugins_only_added_dirs(set, 1);
	}
	return set;
}

/* A handle for rendering only: no connection is made. */
static vg_db *open_for_render(vg_plugins *plugins, vg_db_type type)
{
	static const char *const urls[] = { "", "sqlite:///tmp/vigil-schema-fix-unused.db",
		                                "postgresql://app@127.0.0.1:1/app",
		                                "mysql://app@127.0.0.1:1/app" };
	vg_db_target target = { type, urls[type], NULL, 0 };
	vg_db *db = NULL;
	vigil_db_error err;
	if (vg_db_open(&db, plugins, &target, &err) != 0) {
		fprintf(stderr, "open %s: %s\n", vg_db_type_name(type), err.message);
		return NULL;
	}
	return db;
}

/* ---- every kind, rendered ------------------------------------------------------------------------ */

static vg_schema_table *table(vg_schema *s, const char *name)
{
	vg_schema_table *t = NULL;
	vg_schema_add_table(&t, s, name);
	return t;
}

static void column(vg_schema_table *t, const char *name, const char *type, int nullable,
                   const char *def, int ai)
{
	vg_schema_table_add_column(NULL, t, name, type, nullable, def, ai);
}

static void key(vg_schema_table *t, const char *a, const char *b)
{
	const char *cols[2] = { a, b };
	vg_schema_table_set_primary_key(t, NULL, cols, b ? 2 : 1);
}

static void index_on(vg_schema_table *t, const char *name, const char *col, int unique)
{
	vg_schema_table_add_index(NULL, t, name, &col, 1, unique);
}

static void unique_on(vg_schema_table *t, const char *name, const char *col)
{
	vg_schema_table_add_unique(NULL, t, name, &col, 1);
}

static void fk(vg_schema_table *t, const char *name, const char *col, const char *ref,
               const char *on_delete)
{
	const char *id = "id";
	vg_schema_table_add_foreign_key(NULL, t, name, &col, 1, ref, &id, 1, on_delete, NULL);
}

/*
 * The declared schema, or (live) the database drifted from it so that every kind of
 * difference shows: tasks collects the column, index, unique and foreign-key kinds; plain
 * has only differences SQLite can make in place; items a primary key, links a foreign key
 * mismatch, seqs an auto-increment one (not on SQLite, where the rowid always is one).
 */
static vg_schema *kinds_schema(vg_arena *a, vg_db_type dialect, int live)
{
	vg_schema *s = vg_schema_new(a, dialect, NULL);
	s->declared = !live;
	int sqlite = dialect == SL;
	vg_schema_table *t = table(s, "parents");
	column(t, "id", "integer", 0, NULL, 1);
	column(t, "name", "varchar(50)", live, NULL, 0);       /* nullability */
	column(t, "odd\"name", "text", 1, NULL, 0);            /* a quote to double */
	key(t, "id", NULL);

	t = table(s, "tasks");
	column(t, "id", "integer", 0, NULL, 0);
	column(t, "title", live ? (sqlite ? "integer" : "varchar(100)") : "varchar(200)", 0, NULL, 0); /* type */
	column(t, "done", "boolean", 0, live ? "true" : "false", 0);           /* default */
	column(t, "owner_id", "integer", 1, NULL, 0);
	column(t, "code", "varchar(20)", 1, NULL, 0);
	key(t, "id", NULL);
	if (live) {
		column(t, "legacy", "integer", 1, NULL, 0);                        /* extra column */
		index_on(t, "tasks_done_idx", "code", 0);                          /* index mismatch */
		index_on(t, "tasks_legacy_idx", "legacy", 0);                      /* extra index */
		unique_on(t, sqlite ? NULL : "tasks_legacy_key", "legacy");        /* extra unique */
		fk(t, sqlite ? NULL : "tasks_extra_fk", "legacy", "parents", NULL); /* extra fk */
	} else {
		column(t, "added_nn", "varchar(10)", 0, NULL, 0);                  /* missing, NOT NULL */
		column(t, "added_null", "varchar(10)", 1, NULL, 0);                /* missing, nullable */
		unique_on(t, NULL, "code");                                        /* missing unique */
		index_on(t, "tasks_title_idx", "title", 0);                        /* missing index */
		index_on(t, "tasks_done_idx", "done", 0);
		fk(t, "tasks_owner_fk", "owner_id", "parents", "cascade");        /* missing fk */
	}

	t = table(s, "plain");
	column(t, "id", "integer", 0, NULL, 0);
	key(t, "id", NULL);
	if (!live) {
		column(t, "info", "text", 1, NULL, 0);
		index_on(t, "plain_info_idx", "info", 0);
		index_on(t, "plain_id_info_uidx", "info", 1);
	}

	t = table(s, "items");
	column(t, "id", "integer", 0, NULL, 0);
	column(t, "seq", "integer", 0, NULL, 0);
	key(t, "id", live ? NULL : "seq");                                     /* primary key */

	t = table(s, "links");
	column(t, "id", "integer", 0, NULL, 0);
	column(t, "a", "integer", 1, NULL, 0);
	key(t, "id", NULL);
	fk(t, sqlite && live ? NULL : "links_a_fk", "a", "parents", live ? "restrict" : "cascade");

	if (!sqlite) {
		t = table(s, "seqs");
		column(t, "id", "integer", 0, NULL, !live);                        /* auto-increment */
		key(t, "id", NULL);
	}
	if (live) {
		t = table(s, "oldtab");                                            /* extra table */
		column(t, "x", "integer", 1, NULL, 0);
	} else {
		t = table(s, "newtab");                                            /* missing table */
		column(t, "id", "integer", 0, NULL, 0);
		column(t, "parent_id", "integer", 1, NULL, 0);
		key(t, "id", NULL);
		fk(t, NULL, "parent_id", "parents", NULL);
		index_on(t, "newtab_parent_idx", "parent_id", 0);
	}
	return vg_schema_finish(s) == 0 ? s : NULL;
}

/* What one difference's proposal must look like on each database. */
typedef struct expectation {
	vg_schema_diff_kind kind;
	const char *table;
	const char *object;     /* NULL: any */
	int risk[4];            /* by vg_db_type */
	const char *sql[4][3];  /* substrings the SQL holds, by vg_db_type; "-": no SQL */
	int rebuild_sqlite;     /* 1 keep, 2 drop-constraints rebuild on SQLite */
} expectation;

#define R3(s, p, m) { -1, s, p, m }
#define SAFE VIGIL_RISK_SAFE
#define DATA VIGIL_RISK_DATA_DEPENDENT
#define GONE VIGIL_RISK_DESTRUCTIVE

static const expectation expected[] = {
	{ VG_SCHEMA_MISSING_TABLE, "newtab", NULL, R3(SAFE, SAFE, SAFE),
	  { {0}, { "CREATE TABLE \"newtab\"", "FOREIGN KEY (\"parent_id\") REFERENCES \"parents\"", "CREATE INDEX \"newtab_parent_idx\" ON \"newtab\"" },
	    { "CREATE TABLE \"newtab\"", "ALTER TABLE \"newtab\" ADD FOREIGN KEY (\"parent_id\") REFERENCES \"parents\" (\"id\")", "CREATE INDEX \"newtab_parent_idx\" ON \"newtab\"" },
	    { "CREATE TABLE `newtab`", "ALTER TABLE `newtab` ADD FOREIGN KEY (`parent_id`) REFERENCES `parents` (`id`)", "CREATE INDEX `newtab_parent_idx` ON `newtab`" } }, 0 },
	{ VG_SCHEMA_EXTRA_TABLE, "oldtab", NULL, R3(GONE, GONE, GONE),
	  { {0}, { "DROP TABLE \"oldtab\";" }, { "DROP TABLE \"oldtab\";" }, { "DROP TABLE `oldtab`;" } }, 0 },
	{ VG_SCHEMA_MISSING_COLUMN, "plain", "info", R3(SAFE, SAFE, SAFE),
	  { {0}, { "ALTER TABLE \"plain\" ADD COLUMN \"info\" TEXT" }, { "ALTER TABLE \"plain\" ADD COLUMN \"info\" TEXT" },
	    { "ALTER TABLE `plain` ADD COLUMN `info`" } }, 0 },
	{ VG_SCHEMA_MISSING_COLUMN, "tasks", "added_null", R3(DATA, SAFE, SAFE),
	  { {0}, { "CREATE TABLE \"tasks__vigil_rebuild\"" }, { "ALTER TABLE \"tasks\" ADD COLUMN \"added_null\"" },
	    { "ALTER TABLE `tasks` ADD COLUMN `added_null`" } }, 1 },
	{ VG_SCHEMA_MISSING_COLUMN, "tasks", "added_nn", R3(DATA, DATA, DATA),
	  { {0}, { "CREATE TABLE \"tasks__vigil_rebuild\"" }, { "ADD COLUMN \"added_nn\"", "NOT NULL" },
	    { "ADD COLUMN `added_nn`", "NOT NULL" } }, 1 },
	{ VG_SCHEMA_EXTRA_COLUMN, "tasks", "legacy", R3(GONE, GONE, GONE),
	  { {0}, { "ALTER TABLE \"tasks\" DROP COLUMN \"legacy\";" }, { "ALTER TABLE \"tasks\" DROP COLUMN \"legacy\";" },
	    { "ALTER TABLE `tasks` DROP COLUMN `legacy`;" } }, 0 },
	{ VG_SCHEMA_TYPE_MISMATCH, "tasks", "title", R3(DATA, DATA, DATA),
	  { {0}, { "CREATE TABLE \"tasks__vigil_rebuild\"", "\"title\" TEXT NOT NULL" },
	    { "ALTER TABLE \"tasks\" ALTER COLUMN \"title\" TYPE VARCHAR(200)", "SET NOT NULL" },
	    { "ALTER TABLE `tasks` MODIFY COLUMN `title` VARCHAR(200) NOT NULL" } }, 1 },
	{ VG_SCHEMA_NULLABILITY_MISMATCH, "parents", "name", R3(DATA, DATA, DATA),
	  { {0}, { "CREATE TABLE \"parents__vigil_rebuild\"", "\"name\" TEXT NOT NULL", "\"odd\"\"name\"" },
	    { "ALTER COLUMN \"name\" TYPE VARCHAR(50)", "ALTER COLUMN \"name\" SET NOT NULL" },
	    { "MODIFY COLUMN `name` VARCHAR(50) NOT NULL" } }, 1 },
	{ VG_SCHEMA_DEFAULT_MISMATCH, "tasks", "done", R3(DATA, SAFE, SAFE),
	  { {0}, { "CREATE TABLE \"tasks__vigil_rebuild\"" }, { "ALTER COLUMN \"done\" SET DEFAULT FALSE" },
	    { "MODIFY COLUMN `done` TINYINT(1) NOT NULL DEFAULT FALSE" } }, 1 },
	{ VG_SCHEMA_AUTO_INCREMENT_MISMATCH, "seqs", "id", R3(-1, DATA, DATA),
	  { {0}, {0}, { "ADD GENERATED BY DEFAULT AS IDENTITY" }, { "MODIFY COLUMN `id`", "AUTO_INCREMENT" } }, 0 },
	/* SQLite: the live single-column INTEGER key is the rowid, an auto-increment */
	{ VG_SCHEMA_AUTO_INCREMENT_MISMATCH, "items", "id", R3(DATA, -1, -1),
	  { {0}, { "CREATE TABLE \"items__vigil_rebuild\"" }, {0}, {0} }, 1 },
	{ VG_SCHEMA_PRIMARY_KEY_MISMATCH, "items", NULL, R3(DATA, DATA, DATA),
	  { {0}, { "CREATE TABLE \"items__vigil_rebuild\"", "PRIMARY KEY (\"id\", \"seq\")" },
	    { "ADD PRIMARY KEY (\"id\", \"seq\")" }, { "ADD PRIMARY KEY (`id`, `seq`)" } }, 1 },
	{ VG_SCHEMA_MISSING_UNIQUE, "tasks", NULL, R3(DATA, DATA, DATA),
	  { {0}, { "CREATE TABLE \"tasks__vigil_rebuild\"", "UNIQUE (\"code\")" },
	    { "ALTER TABLE \"tasks\" ADD UNIQUE (\"code\");" }, { "ALTER TABLE `tasks` ADD UNIQUE (`code`);" } }, 1 },
	{ VG_SCHEMA_EXTRA_UNIQUE, "tasks", NULL, R3(GONE, GONE, GONE),
	  { {0}, { "CREATE TABLE \"tasks__vigil_rebuild\"" },
	    { "ALTER TABLE \"tasks\" DROP CONSTRAINT \"tasks_legacy_key\";" }, { "DROP INDEX `tasks_legacy_key` ON `tasks`;" } }, 2 },
	{ VG_SCHEMA_MISSING_INDEX, "tasks", "tasks_title_idx", R3(DATA, SAFE, SAFE),
	  { {0}, { "CREATE INDEX \"tasks_title_idx\" ON \"tasks\"" }, { "CREATE INDEX \"tasks_title_idx\" ON \"tasks\" (\"title\");" },
	    { "CREATE INDEX `tasks_title_idx` ON `tasks` (`title`);" } }, 1 },
	{ VG_SCHEMA_MISSING_INDEX, "plain", "plain_info_idx", R3(SAFE, SAFE, SAFE),
	  { {0}, { "CREATE INDEX \"plain_info_idx\" ON \"plain\" (\"info\");" }, { "CREATE INDEX \"plain_info_idx\"" },
	    { "CREATE INDEX `plain_info_idx`" } }, 0 },
	{ VG_SCHEMA_MISSING_INDEX, "plain", "plain_id_info_uidx", R3(DATA, DATA, DATA),
	  { {0}, { "CREATE UNIQUE INDEX \"plain_id_info_uidx\"" }, { "CREATE UNIQUE INDEX \"plain_id_info_uidx\"" },
	    { "CREATE UNIQUE INDEX `plain_id_info_uidx`" } }, 0 },
	{ VG_SCHEMA_EXTRA_INDEX, "tasks", "tasks_legacy_idx", R3(GONE, GONE, GONE),
	  { {0}, { "DROP INDEX \"tasks_legacy_idx\";" }, { "DROP INDEX \"tasks_legacy_idx\";" },
	    { "DROP INDEX `tasks_legacy_idx` ON `tasks`;" } }, 0 },
	{ VG_SCHEMA_INDEX_MISMATCH, "tasks", "tasks_done_idx", R3(DATA, DATA, DATA),
	  { {0}, { "CREATE INDEX \"tasks_done_idx\" ON \"tasks\" (\"done\")" },
	    { "DROP INDEX \"tasks_done_idx\";", "CREATE INDEX \"tasks_done_idx\" ON \"tasks\" (\"done\");" },
	    { "DROP INDEX `tasks_done_idx` ON `tasks`;", "CREATE INDEX `tasks_done_idx` ON `tasks` (`done`);" } }, 1 },
	{ VG_SCHEMA_MISSING_FOREIGN_KEY, "tasks", NULL, R3(DATA, DATA, DATA),
	  { {0}, { "CONSTRAINT \"tasks_owner_fk\" FOREIGN KEY (\"owner_id\") REFERENCES \"parents\" (\"id\") ON DELETE CASCADE" },
	    { "ALTER TABLE \"tasks\" ADD CONSTRAINT \"tasks_owner_fk\" FOREIGN KEY (\"owner_id\") REFERENCES \"parents\" (\"id\") ON DELETE CASCADE" },
	    { "ALTER TABLE `tasks` ADD CONSTRAINT `tasks_owner_fk` FOREIGN KEY (`owner_id`) REFERENCES `parents` (`id`) ON DELETE CASCADE" } }, 1 },
	{ VG_SCHEMA_EXTRA_FOREIGN_KEY, "tasks", NULL, R3(GONE, GONE, GONE),
	  { {0}, { "CREATE TABLE \"tasks__vigil_rebuild\"" }, { "ALTER TABLE \"tasks\" DROP CONSTRAINT \"tasks_extra_fk\";" },
	    { "ALTER TABLE `tasks` DROP FOREIGN KEY `tasks_extra_fk`;" } }, 2 },
	{ VG_SCHEMA_FOREIGN_KEY_MISMATCH, "links", NULL, R3(DATA, DATA, DATA),
	  { {0}, { "CREATE TABLE \"links__vigil_rebuild\"", "ON DELETE CASCADE" },
	    { "DROP CONSTRAINT \"links_a_fk\";", "ADD CONSTRAINT \"links_a_fk\" FOREIGN KEY (\"a\") REFERENCES \"parents\" (\"id\") ON DELETE CASCADE" },
	    { "DROP FOREIGN KEY `links_a_fk`;", "ADD CONSTRAINT `links_a_fk` FOREIGN KEY (`a`)" } }, 1 },
};
#define EXPECTED_COUNT (sizeof expected / sizeof expected[0])

static void print_diff(vg_arena *a, const vg_schema_diff_result *d)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "    %s\n", vg_schema_diff_describe(a, &d->items[i]));
}

static const vg_schema_difference *find_diff(const vg_schema_diff_result *r, const expectation *e,
                                             size_t *at)
{
	for (size_t i = 0; i < r->count; i++) {
		const vg_schema_difference *d = &r->items[i];
		if (d->kind == e->kind && strcmp(d->table, e->table) == 0 &&
		    (!e->object || (d->object && strcmp(d->object, e->object) == 0))) {
			*at = i;
			return d;
		}
	}
	return NULL;
}

static void test_kinds(vg_plugins *plugins, vg_db_type type)
{
	const char *db_name = vg_db_type_name(type);
	vg_arena *a = vg_arena_new();
	vg_db *db = open_for_render(plugins, type);
	vg_schema *declared = kinds_schema(a, type, 0), *live = kinds_schema(a, type, 1);
	vg_schema_diff_result diff;
	if (!CHECK_MSG(db && declared && live && vg_schema_diff(a, declared, live, NULL, 0, &diff) == 0,
	               "%s: setup", db_name)) {
		vg_db_close(db);
		vg_arena_free(a);
		return;
	}
	vigil_db_error err;
	vg_schema_fix *fixes = vg_arena_array(a, diff.count + 1, sizeof *fixes);
	for (size_t i = 0; i < diff.count; i++)
		CHECK_MSG(vg_schema_fix_make(db, a, declared, live, &diff.items[i], &fixes[i], &err) == 0,
		          "%s: %s: %s", db_name, vg_schema_diff_describe(a, &diff.items[i]), err.message);

	if (getenv("VIGIL_SCHEMA_FIX_PRINT")) /* to read the proposals */
		for (size_t i = 0; i < diff.count; i++)
			printf("-- %s [%s] %s (risk %d, order %d)\n%s-- note: %s\n\n", db_name,
			       vg_schema_diff_kind_name(diff.items[i].kind),
			       vg_schema_diff_describe(a, &diff.items[i]), fixes[i].risk, fixes[i].order,
			       fixes[i].sql ? fixes[i].sql : "", fixes[i].note ? fixes[i].note : "");
	size_t checked = 0;
	for (size_t k = 0; k < EXPECTED_COUNT; k++) {
		const expectation *e = &expected[k];
		size_t at = 0;
		const vg_schema_difference *d = find_diff(&diff, e, &at);
		if (e->risk[type] < 0) {
			CHECK_MSG(!d, "%s: no %s on %s expected", db_name, vg_schema_diff_kind_name(e->kind), e->table);
			continue;
		}
		if (!CHECK_MSG(d != NULL, "%s: the diff has no %s on %s", db_name,
		               vg_schema_diff_kind_name(e->kind), e->table))
			continue;
		checked++;
		const vg_schema_fix *f = &fixes[at];
		CHECK_MSG(f->risk == e->risk[type], "%s: %s: risk %d, expected %d (%s)", db_name,
		          vg_schema_diff_describe(a, d), f->risk, e->risk[type], f->note ? f->note : "");
		for (int s = 0; s < 3 && e->sql[type][s]; s++)
			CHECK_MSG(contains(f->sql, e->sql[type][s]), "%s: %s: SQL lacks %s:\n%s\nnote: %s", db_name,
			          vg_schema_diff_describe(a, d), e->sql[type][s], f->sql ? f->sql : "(none)",
			          f->note ? f->note : "");
		if (type == SL)
			CHECK_MSG(f->rebuild == (e->rebuild_sqlite != 0), "%s: %s: rebuild %d", db_name,
			          vg_schema_diff_describe(a, d), f->rebuild);
		CHECK_MSG(f->covered_by == SIZE_MAX, "make sets no covered_by");
	}
	/* every difference the diff found is one the table above checks */
	if (!CHECK_MSG(checked == diff.count, "%s: %zu differences, %zu checked", db_name, diff.count,
	               checked))
		print_diff(a, &diff);

	if (type == SL) {
		/* the two rebuilds of tasks: the first keeps the database's extras, the second not */
		size_t at;
		const expectation type_change = { .kind = VG_SCHEMA_TYPE_MISMATCH, .table = "tasks" };
		const expectation extra_fk = { .kind = VG_SCHEMA_EXTRA_FOREIGN_KEY, .table = "tasks" };
		const vg_schema_fix *keep = find_diff(&diff, &type_change, &at) ? &fixes[at] : NULL;
		const vg_schema_fix *drop = find_diff(&diff, &extra_fk, &at) ? &fixes[at] : NULL;
		if (CHECK(keep && drop && keep->sql && drop->sql)) {
			CHECK_MSG(contains(keep->sql, "FOREIGN KEY (\"legacy\")") &&
			              contains(keep->sql, "UNIQUE (\"legacy\")") &&
			              contains(keep->sql, "\"legacy\" INTEGER") &&
			              contains(keep->sql, "CREATE INDEX \"tasks_legacy_idx\""),
			          "the keep rebuild keeps the extras:\n%s", keep->sql);
			CHECK_MSG(!contains(drop->sql, "FOREIGN KEY (\"legacy\")") &&
			              !contains(drop->sql, "UNIQUE (\"legacy\")") &&
			              contains(drop->sql, "\"legacy\" INTEGER") &&
			              contains(drop->sql, "CREATE INDEX \"tasks_legacy_idx\""),
			          "the drop rebuild leaves out the extra constraints only:\n%s", drop->sql);
			CHECK_MSG(contains(keep->sql, "INSERT INTO \"tasks__vigil_rebuild\" (\"id\", \"title\", \"done\", \"owner_id\", \"code\", \"legacy\")\n"
			                              "  SELECT \"id\", \"title\", \"done\", \"owner_id\", \"code\", \"legacy\" FROM \"tasks\";\n"
			                              "DROP TABLE \"tasks\";\n"
			                              "ALTER TABLE \"tasks__vigil_rebuild\" RENAME TO \"tasks\";\n"),
			          "copy, drop, rename:\n%s", keep->sql);
			CHECK_MSG(!contains(keep->sql, "PRAGMA") && contains(keep->note, "PRAGMA foreign_keys"),
			          "no PRAGMA in the SQL, one in the note: %s", keep->note);
			CHECK_MSG(contains(keep->note, "rebuil"), "note: %s", keep->note);
			CHECK(keep->order == VG_SCHEMA_FIX_COLUMNS && drop->order == VG_SCHEMA_FIX_DROP_CONSTRAINTS);
		}
	}

	/* all at once: each statement once, in an order that ascends */
	vg_schema_fix *all = NULL;
	size_t *order = NULL;
	if (CHECK_MSG(vg_schema_fix_make_all(db, a, declared, live, &diff, &all, &order, &err) == 0,
	              "%s: make_all: %s", db_name, err.message)) {
		size_t with_sql = 0, covered = 0;
		for (size_t k = 0; k < diff.count; k++) {
			size_t i = order[k];
			if (k)
				CHECK(all[order[k - 1]].order <= all[i].order);
			if (all[i].sql) {
				with_sql++;
				for (size_t j = 0; j < diff.count; j++)
					CHECK_MSG(j == i || !all[j].sql || strcmp(all[j].sql, all[i].sql) != 0,
					          "%s: a statement twice", db_name);
			} else if (all[i].covered_by != SIZE_MAX) {
				covered++;
				CHECK(all[all[i].covered_by].sql != NULL && all[all[i].covered_by].risk == all[i].risk);
			}
		}
		CHECK_MSG(with_sql + covered == diff.count, "%s: %zu with SQL + %zu covered of %zu", db_name,
		          with_sql, covered, diff.count);
		if (type == SL)
			CHECK_MSG(covered >= 8, "SQLite: the rebuild of tasks covers its differences (%zu covered)",
			          covered);
	}
	vg_db_close(db);
	vg_arena_free(a);
}

/* New tables come after the new tables they reference; two that reference each other are
 * created without those keys, which the next comparison proposes once both exist. */
static void test_missing_table_order(vg_plugins *plugins)
{
	vg_arena *a = vg_arena_new();
	vg_db *db = open_for_render(plugins, PG);
	vg_schema *declared = vg_schema_new(a, PG, NULL), *live = vg_schema_new(a, PG, NULL);
	declared->declared = 1;
	static const char *const names[] = { "a", "b", "c", "d" };
	static const char *const refs[] = { "b", "a", "d", NULL };
	for (size_t i = 0; i < 4; i++) {
		vg_schema_table *t = table(declared, names[i]);
		column(t, "id", "integer", 0, NULL, 0);
		column(t, "ref", "integer", 1, NULL, 0);
		key(t, "id", NULL);
		if (refs[i])
			fk(t, NULL, "ref", refs[i], NULL);
	}
	vg_schema_diff_result diff;
	vg_schema_fix *fixes = NULL;
	vigil_db_error err;
	if (!CHECK(db && vg_schema_finish(declared) == 0 && vg_schema_finish(live) == 0 &&
	           vg_schema_diff(a, declared, live, NULL, 0, &diff) == 0 && diff.count == 4) ||
	    !CHECK_MSG(vg_schema_fix_make_all(db, a, declared, live, &diff, &fixes, NULL, &err) == 0,
	               "%s", err.message)) {
		vg_db_close(db);
		vg_arena_free(a);
		return;
	}
	/* the diff sorts by table: a, b, c, d */
	CHECK_MSG(!contains(fixes[0].sql, "REFERENCES") && contains(fixes[0].note, "left out"),
	          "a: %s / %s", fixes[0].sql, fixes[0].note);
	CHECK_MSG(!contains(fixes[1].sql, "REFERENCES") && contains(fixes[1].note, "left out"),
	          "b: %s / %s", fixes[1].sql, fixes[1].note);
	CHECK_MSG(contains(fixes[2].sql, "REFERENCES \"d\"") && !fixes[2].note, "c: %s", fixes[2].sql);
	CHECK_MSG(fixes[2].order > fixes[3].order && fixes[3].order == VG_SCHEMA_FIX_CREATE_TABLES,
	          "c (%d) after d (%d)", fixes[2].order, fixes[3].order);
	vg_db_close(db);
	vg_arena_free(a);
}

/* Bad calls: an error, never a crash. */
static void test_errors(vg_plugins *plugins)
{
	vg_arena *a = vg_arena_new();
	vg_db *db = open_for_render(plugins, PG);
	vg_schema *declared = kinds_schema(a, SL, 0), *live = kinds_schema(a, SL, 1);
	vg_schema_diff_result diff;
	vg_schema_fix fix;
	vigil_db_error err;
	if (CHECK(db && declared && live && vg_schema_diff(a, declared, live, NULL, 0, &diff) == 0)) {
		CHECK(vg_schema_fix_make(db, a, declared, live, &diff.items[0], &fix, &err) == -1);
		CHECK_MSG(contains(err.message, "dialect"), "message: %s", err.message);
		CHECK(vg_schema_fix_make(db, a, declared, live, NULL, &fix, NULL) == -1);
	}
	vg_db_close(db);
	vg_arena_free(a);
}

/* ---- convergence on SQLite ------------------------------------------------------------------------ */

static const char declared_yaml[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: fix\n"
	"  components: []\n"
	"  databases:\n"
	"    main:\n"
	"      type: sqlite\n"
	"      url: \"sqlite:///unused.db\"\n"
	"      schema:\n"
	"        tables:\n"
	"          - name: projects\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: name, type: varchar(100), nullable: false}\n"
	"          - name: tasks\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: title, type: varchar(200), nullable: false}\n"
	"              - {name: done, type: boolean, nullable: false, default: false}\n"
	"              - {name: project_id, type: integer}\n"
	"              - {name: priority, type: integer, nullable: false, default: 0}\n"
	"            indexes:\n"
	"              - {name: tasks_done_idx, columns: [done]}\n"
	"            foreign_keys:\n"
	"              - columns: [project_id]\n"
	"                references: {table: projects, columns: [id]}\n"
	"                on_delete: cascade\n"
	"          - name: labels\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true}\n"
	"              - {name: task_id, type: integer, nullable: false}\n"
	"              - {name: name, type: varchar(40), nullable: false}\n"
	"            foreign_keys:\n"
	"              - columns: [task_id]\n"
	"                references: {table: tasks, columns: [id]}\n";

/* The database as it drifted: labels missing, projects with an extra column and index,
 * tasks with the wrong type for title (INTEGER affinity instead of TEXT), no priority, no index, no foreign key. */
static const char drifted_yaml[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: fix\n"
	"  components: []\n"
	"  databases:\n"
	"    main:\n"
	"      type: sqlite\n"
	"      url: \"sqlite:///unused.db\"\n"
	"      schema:\n"
	"        tables:\n"
	"          - name: projects\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: name, type: varchar(100), nullable: false}\n"
	"              - {name: archived, type: integer}\n"
	"            indexes:\n"
	"              - {name: projects_archived_idx, columns: [archived]}\n"
	"          - name: tasks\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: title, type: integer, nullable: false}\n"
	"              - {name: done, type: boolean, nullable: false, default: false}\n"
	"              - {name: project_id, type: integer}\n";

static vg_schema *schema_of(vg_arena *a, const char *yaml)
{
	vg_yaml_error yerr;
	const vg_node *root = vg_yaml_parse(a, "fix.yaml", yaml, strlen(yaml), &yerr);
	vg_blueprint *bp = root ? vg_blueprint_build(a, "fix.yaml", root, NULL) : NULL;
	const vg_database *database = bp ? vg_blueprint_database(bp, "main") : NULL;
	return database ? vg_schema_from_declared(a, database) : NULL;
}

typedef struct first_value {
	char text[64];
	size_t rows;
} first_value;

static int take_first(void *payload, size_t n, const char *const *values, const size_t *lengths)
{
	(void)lengths;
	first_value *v = payload;
	if (v->rows++ == 0 && n && values[0])
		snprintf(v->text, sizeof v->text, "%s", values[0]);
	return 0;
}

static const char *value_of(vg_db *db, vigil_conn *conn, const char *sql, first_value *v)
{
	vigil_db_error err;
	memset(v, 0, sizeof *v);
	if (vg_db_query(db, conn, sql, 0, NULL, take_first, v, NULL, &err) != 0) {
		fprintf(stderr, "%s: %s\n", sql, err.message);
		return "(error)";
	}
	return v->text;
}

/*
 * Drift, proposals, applied in one transaction (only those of the risks in `allowed`, a
 * bit per vigil_risk), compared again. Returns the differences left (SIZE_MAX: failed).
 */
static size_t heal_sqlite(vg_plugins *plugins, const char *file, unsigned allowed, int one_by_one,
                          vg_arena *a, vg_schema_diff_result *left)
{
	unlink(file);
	FILE *created = fopen(file, "w"); /* the driver opens files, it never creates them */
	if (created)
		fclose(created);
	char *url = vg_arena_printf(a, "sqlite:///%s", file);
	vg_db_target target = { SL, url, NULL, 0 };
	vg_db *db = NULL;
	vigil_conn *conn = NULL;
	vigil_db_error err;
	size_t result = SIZE_MAX;
	vg_schema *declared = schema_of(a, declared_yaml), *drifted = schema_of(a, drifted_yaml);
	if (!CHECK(declared && drifted) || !CHECK_MSG(vg_db_open(&db, plugins, &target, &err) == 0 &&
	                                                  vg_db_connect(db, &conn, &err) == 0,
	                                              "connect: %s", err.message))
		goto done;
	if (!CHECK_MSG(vg_db_create_declared(db, conn, drifted, &err) == 0 &&
	                   vg_db_exec_script(db, conn,
	                                     "INSERT INTO projects (id, name, archived) VALUES (1, 'p1', 0);"
	                                     "INSERT INTO tasks (id, title, done, project_id) VALUES (1, 't1', 0, 1);"
	                                     "INSERT INTO tasks (id, title, done, project_id) VALUES (2, 't2', 1, NULL);",
	                                     &err) == 0,
	               "drifting: %s", err.message))
		goto done;
	vg_schema *live = NULL;
	vg_schema_diff_result diff;
	if (!CHECK_MSG(vg_db_introspect(db, conn, a, NULL, NULL, &live, NULL, &err) == 0, "%s", err.message) ||
	    !CHECK(vg_schema_diff(a, declared, live, NULL, 0, &diff) == 0))
		goto done;
	static const vg_schema_diff_kind drift[] = {
		VG_SCHEMA_MISSING_TABLE, VG_SCHEMA_MISSING_COLUMN, VG_SCHEMA_EXTRA_COLUMN,
		VG_SCHEMA_TYPE_MISMATCH, VG_SCHEMA_MISSING_INDEX, VG_SCHEMA_EXTRA_INDEX,
		VG_SCHEMA_MISSING_FOREIGN_KEY,
	};
	for (size_t k = 0; k < sizeof drift / sizeof drift[0]; k++) {
		int found = 0;
		for (size_t i = 0; i < diff.count; i++)
			found |= diff.items[i].kind == drift[k];
		CHECK_MSG(found, "the drift shows a %s", vg_schema_diff_kind_name(drift[k]));
	}
	vg_schema_fix *fixes = NULL;
	size_t *order = NULL;
	if (one_by_one) {
		/* each difference on its own, applied by `order` (ties in the diff's order), repeated
		 * statements and all: the proposals compose without make_all's bookkeeping */
		fixes = vg_arena_array(a, diff.count + 1, sizeof *fixes);
		order = vg_arena_array(a, diff.count + 1, sizeof *order);
		size_t n = 0;
		for (int phase = 0; fixes && order && phase <= VG_SCHEMA_FIX_DROP_TABLES; phase++)
			for (size_t i = 0; i < diff.count; i++) {
				if (phase == 0 && !CHECK_MSG(vg_schema_fix_make(db, a, declared, live, &diff.items[i],
				                                                &fixes[i], &err) == 0,
				                             "%s", err.message))
					goto done;
				if (phase && fixes[i].order == phase)
					order[n++] = i;
			}
		if (!CHECK(n == diff.count))
			goto done;
	} else if (!CHECK_MSG(vg_schema_fix_make_all(db, a, declared, live, &diff, &fixes, &order,
	                                             &err) == 0,
	                      "%s", err.message)) {
		goto done;
	}
	if (!CHECK_MSG(vg_db_begin(db, conn, &err) == 0, "%s", err.message))
		goto done;
	for (size_t k = 0; k < diff.count; k++) {
		const vg_schema_fix *f = &fixes[order[k]];
		if (!f->sql || !(allowed & (1u << f->risk)))
			continue;
		if (!CHECK_MSG(vg_db_exec_script(db, conn, f->sql, &err) == 0, "applying %s:\n%s\n%s",
		               vg_schema_diff_describe(a, &diff.items[order[k]]), f->sql, err.message)) {
			vg_db_rollback(db, conn, &err);
			goto done;
		}
	}
	if (!CHECK_MSG(vg_db_commit(db, conn, &err) == 0, "%s", err.message))
		goto done;
	if (!CHECK_MSG(vg_db_introspect(db, conn, a, NULL, NULL, &live, NULL, &err) == 0, "%s", err.message) ||
	    !CHECK(vg_schema_diff(a, declared, live, NULL, 0, left) == 0))
		goto done;
	result = left->count;

	/* the rebuilt table kept its rows, and the new column got its default */
	first_value v;
	CHECK_STR(value_of(db, conn, "SELECT COUNT(*) FROM tasks", &v), "2");
	CHECK_STR(value_of(db, conn, "SELECT title FROM tasks WHERE id = 1", &v), "t1");
	CHECK_STR(value_of(db, conn, "SELECT priority FROM tasks WHERE id = 2", &v), "0");
	CHECK_STR(value_of(db, conn, "SELECT COUNT(*) FROM projects", &v), "1");
	CHECK_STR(value_of(db, conn, "PRAGMA foreign_key_check", &v), "");
	CHECK_STR(value_of(db, conn, "PRAGMA integrity_check", &v), "ok");
done:
	if (conn)
		vg_db_disconnect(db, conn);
	vg_db_close(db);
	unlink(file);
	return result;
}

static void test_sqlite_convergence(vg_plugins *plugins)
{
	char file[64];
	snprintf(file, sizeof file, "/tmp/vigil-schema-fix-%ld.db", (long)getpid());
	vg_arena *a = vg_arena_new();
	vg_schema_diff_result left;
	unsigned every = 1u << SAFE | 1u << DATA | 1u << GONE;
	size_t n = heal_sqlite(plugins, file, every, 0, a, &left);
	if (!CHECK_MSG(n == 0, "every proposal applied: %zu differences left", n) && n != SIZE_MAX)
		print_diff(a, &left);

	/* without the destructive ones, only the extras are left: the rebuild lost nothing */
	n = heal_sqlite(plugins, file, 1u << SAFE | 1u << DATA, 0, a, &left);
	int only_extras = n != SIZE_MAX && n == 2;
	for (size_t i = 0; n != SIZE_MAX && i < left.count; i++)
		only_extras &= left.items[i].kind == VG_SCHEMA_EXTRA_COLUMN ||
		               left.items[i].kind == VG_SCHEMA_EXTRA_INDEX;
	if (!CHECK_MSG(only_extras, "safe + data-dependent: %zu differences left, expected the extra column and index", n) &&
	    n != SIZE_MAX)
		print_diff(a, &left);

	n = heal_sqlite(plugins, file, every, 1, a, &left);
	if (!CHECK_MSG(n == 0, "every proposal, made one by one: %zu differences left", n) && n != SIZE_MAX)
		print_diff(a, &left);
	vg_arena_free(a);
}

int main(void)
{
	vg_plugins *plugins = driver_plugins();
	if (!CHECK(plugins != NULL))
		return CHECK_SUMMARY();
	test_kinds(plugins, SL);
	test_kinds(plugins, PG);
	test_kinds(plugins, MY);
	test_missing_table_order(plugins);
	test_errors(plugins);
	test_sqlite_convergence(plugins);
	vg_plugins_free(plugins);
	return CHECK_SUMMARY();
}
