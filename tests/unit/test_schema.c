/* Unit tests of the schema model (engine/src/schema/schema.c, schema_normalise.c): builder, default
 * and action normalisation, implicit rules, and the model a blueprint declares. */
#include <stdio.h>
#include <string.h>

#include "blueprint.h"
#include "schema.h"

#include "check.h"

#define SL VG_DB_SQLITE
#define PG VG_DB_POSTGRESQL
#define MY VG_DB_MYSQL

static const char *no_env(const char *name)
{
	(void)name;
	return NULL;
}

static const vg_database *first_database(vg_arena *a, const char *yaml)
{
	vg_yaml_error err;
	vg_node *root = vg_yaml_parse(a, "bp.yaml", yaml, strlen(yaml), &err);
	if (!root) {
		fprintf(stderr, "parse failed: %s (line %u)\n", err.message, err.line);
		return NULL;
	}
	vg_blueprint *bp = vg_blueprint_build(a, "bp.yaml", root, no_env);
	return bp && bp->database_count ? &bp->databases[0] : NULL;
}

static void test_builder(void)
{
	vg_arena *a = vg_arena_new();
	vg_schema *s = vg_schema_new(a, PG, "public");
	CHECK(s && same(s->namespace_name, "public") && s->dialect == PG);

	vg_schema_table *tasks, *users, *again;
	CHECK(vg_schema_add_table(&tasks, s, "tasks") == 0 && tasks);
	CHECK(vg_schema_add_table(&users, s, "users") == 0 && users);
	CHECK(vg_schema_add_table(&again, s, "tasks") == VG_SCHEMA_EEXISTS && again == tasks);
	CHECK(vg_schema_add_table(NULL, s, "") == VG_SCHEMA_EINVAL);
	CHECK(vg_schema_add_table(NULL, s, NULL) == VG_SCHEMA_EINVAL);

	vg_schema_column *id, *title, *dup;
	CHECK(vg_schema_table_add_column(&id, tasks, "id", "integer", 1,
	                                 "nextval('tasks_id_seq'::regclass)", 0) == 0);
	CHECK(vg_schema_table_add_column(&title, tasks, "title", "character varying(200)", 0,
	                                 "'untitled'::character varying", 0) == 0);
	CHECK(vg_schema_table_add_column(&dup, tasks, "title", "text", 1, NULL, 0) == VG_SCHEMA_EEXISTS &&
	      dup == title);
	CHECK(id->ordinal == 1 && title->ordinal == 2 && tasks->column_count == 2);
	CHECK(id->auto_increment == 1 && id->default_value == NULL &&
	      same(id->default_raw, "nextval('tasks_id_seq'::regclass)"));
	CHECK(same(title->raw_type, "character varying(200)") && same(title->type->canonical, "varchar(200)"));
	CHECK(title->type->rule != NULL);
	CHECK_STR(title->default_value, "untitled");
	CHECK(vg_schema_column_get(tasks, "title") == title && vg_schema_column_get(tasks, "nope") == NULL);
	CHECK(vg_schema_table_get(s, "users") == users && vg_schema_table_get(s, "nope") == NULL);

	const char *pk[] = { "id" };
	CHECK(vg_schema_table_set_primary_key(tasks, "tasks_pkey", pk, 1) == 0);
	const char *owner[] = { "owner_id" };
	const char *uid[] = { "id" };
	vg_schema_foreign_key *fk;
	CHECK(vg_schema_table_add_column(NULL, tasks, "owner_id", "integer", 1, NULL, 0) == 0);
	CHECK(vg_schema_table_add_foreign_key(&fk, tasks, "tasks_owner_id_fkey", owner, 1, "users", uid, 1,
	                                      "CASCADE", NULL) == 0);
	CHECK(same(fk->on_delete, "cascade") && same(fk->on_update, "no action"));
	const char *bad[] = { "nope" };
	CHECK(vg_schema_table_add_index(NULL, tasks, "tasks_nope_idx", bad, 1, 0) == 0);
	CHECK(vg_schema_table_add_index(NULL, tasks, "x", bad, 0, 0) == VG_SCHEMA_EINVAL);
	const char *empty_name[] = { "" };
	CHECK(vg_schema_table_add_unique(NULL, tasks, NULL, empty_name, 1) == VG_SCHEMA_EINVAL);

	/* users has no column id yet: the FK's target column is a problem; so is the index */
	CHECK(vg_schema_finish(s) == 0);
	CHECK(s->problem_count == 2);
	int saw_index = 0, saw_fk = 0;
	for (size_t i = 0; i < s->problem_count; i++) {
		saw_index |= strstr(s->problems[i], "index tasks.tasks_nope_idx names column nope") != NULL;
		saw_fk |= strstr(s->problems[i], "foreign key tasks.tasks_owner_id_fkey names column id, which table users") != NULL;
	}
	CHECK(saw_index && saw_fk);
	/* sorted, positions set; the PK column is NOT NULL; the builder is closed */
	CHECK(s->table_count == 2 && same(s->tables[0]->name, "tasks") && same(s->tables[1]->name, "users"));
	CHECK(s->tables[1]->position == 1);
	CHECK(id->nullable == 0);
	CHECK(vg_schema_add_table(NULL, s, "more") == VG_SCHEMA_EINVAL);
	CHECK(vg_schema_table_add_column(NULL, users, "x", "text", 1, NULL, 0) == VG_SCHEMA_EINVAL);
	CHECK(vg_schema_finish(s) == VG_SCHEMA_EINVAL);
	vg_arena_free(a);
}

/* Tables get sorted by name however they were added; 2,000 tables keep their look-ups. */
static void test_many_tables(void)
{
	vg_arena *a = vg_arena_new();
	vg_schema *s = vg_schema_new(a, MY, NULL);
	char name[32];
	for (int i = 1999; i >= 0; i--) {
		snprintf(name, sizeof name, "t%04d", i);
		vg_schema_table *t;
		CHECK(vg_schema_add_table(&t, s, name) == 0);
		for (int c = 0; c < 3; c++) {
			char col[16];
			snprintf(col, sizeof col, "c%d", c);
			vg_schema_table_add_column(NULL, t, col, "int(11)", 1, NULL, 0);
		}
	}
	CHECK(vg_schema_finish(s) == 0 && s->problem_count == 0);
	int sorted = 1;
	for (size_t i = 1; i < s->table_count; i++)
		sorted &= strcmp(s->tables[i - 1]->name, s->tables[i]->name) < 0 && s->tables[i]->position == i;
	CHECK(sorted && s->table_count == 2000);
	vg_schema_table *t = vg_schema_table_get(s, "t1234");
	CHECK(t && t->column_count == 3 && same(t->columns[2]->name, "c2") && same(t->columns[2]->type->canonical, "integer"));
	vg_arena_free(a);
}

static void test_defaults(void)
{
	static const struct {
		vg_db_type dialect;
		vg_type_class cls;
		const char *raw;
		const char *want;  /* NULL: no default */
		int auto_increment;
	} cases[] = {
		/* no default */
		{ PG, VG_TYPE_STRING, "NULL", NULL, 0 },
		{ PG, VG_TYPE_STRING, "NULL::character varying", NULL, 0 },
		{ MY, VG_TYPE_INTEGER, "NULL", NULL, 0 },
		{ SL, VG_TYPE_INTEGER, "null", NULL, 0 },
		/* sequences */
		{ PG, VG_TYPE_INTEGER, "nextval('tasks_id_seq'::regclass)", NULL, 1 },
		{ PG, VG_TYPE_INTEGER, "NEXTVAL('s')", NULL, 1 },
		/* strings: casts, quotes, parentheses */
		{ PG, VG_TYPE_STRING, "'untitled'::character varying", "untitled", 0 },
		{ PG, VG_TYPE_STRING, "('untitled'::text)::character varying", "untitled", 0 },
		{ PG, VG_TYPE_STRING, "'it''s'::text", "it's", 0 },
		{ PG, VG_TYPE_STRING, "'a::b'::text", "a::b", 0 },
		{ PG, VG_TYPE_STRING, "''::character varying", "", 0 },
		{ MY, VG_TYPE_STRING, "'untitled'", "untitled", 0 },
		{ MY, VG_TYPE_STRING, "untitled", "untitled", 0 },
		{ MY, VG_TYPE_STRING, "Untitled", "Untitled", 0 },
		{ MY, VG_TYPE_STRING, "007", "007", 0 },
		{ SL, VG_TYPE_STRING, "'untitled'", "untitled", 0 },
		{ SL, VG_TYPE_STRING, "\"untitled\"", "untitled", 0 },
		{ SL, VG_TYPE_STRING, "('x')", "x", 0 },
		{ PG, VG_TYPE_STRING, "'2020-01-01'::date", "2020-01-01", 0 },
		/* numbers */
		{ PG, VG_TYPE_INTEGER, "0", "0", 0 },
		{ PG, VG_TYPE_INTEGER, "'-1'::integer", "-1", 0 },
		{ PG, VG_TYPE_INTEGER, "(-1)", "-1", 0 },
		{ MY, VG_TYPE_DECIMAL, "0.00", "0", 0 },
		{ MY, VG_TYPE_DECIMAL, "'1.50'", "1.5", 0 },
		{ PG, VG_TYPE_DECIMAL, "+010.250", "10.25", 0 },
		{ SL, VG_TYPE_FLOAT, "-0.0", "0", 0 },
		{ SL, VG_TYPE_FLOAT, "1e3", "1e3", 0 },
		{ PG, VG_TYPE_DECIMAL, ".50", "0.5", 0 },
		{ PG, VG_TYPE_DECIMAL, "5.", "5", 0 },
		{ PG, VG_TYPE_DECIMAL, "000", "0", 0 },
		{ PG, VG_TYPE_DECIMAL, "-", "-", 0 },
		/* clocks */
		{ PG, VG_TYPE_DATETIME, "now()", "current_timestamp", 0 },
		{ PG, VG_TYPE_DATETIME, "CURRENT_TIMESTAMP", "current_timestamp", 0 },
		{ MY, VG_TYPE_DATETIME, "current_timestamp()", "current_timestamp", 0 },
		{ MY, VG_TYPE_DATETIME, "CURRENT_TIMESTAMP", "current_timestamp", 0 },
		{ SL, VG_TYPE_DATETIME, "CURRENT_TIMESTAMP", "current_timestamp", 0 },
		{ SL, VG_TYPE_DATETIME, "(datetime('now'))", "current_timestamp", 0 },
		{ MY, VG_TYPE_DATETIME, "current_timestamp(6)", "current_timestamp(6)", 0 },
		{ MY, VG_TYPE_DATE, "curdate()", "current_date", 0 },
		{ PG, VG_TYPE_DATE, "CURRENT_DATE", "current_date", 0 },
		/* booleans per dialect */
		{ PG, VG_TYPE_BOOLEAN, "false", "false", 0 },
		{ PG, VG_TYPE_BOOLEAN, "'f'::boolean", "false", 0 },
		{ PG, VG_TYPE_BOOLEAN, "TRUE", "true", 0 },
		{ PG, VG_TYPE_BOOLEAN, "1", "true", 0 },
		{ MY, VG_TYPE_BOOLEAN, "false", "0", 0 },
		{ MY, VG_TYPE_BOOLEAN, "0", "0", 0 },
		{ MY, VG_TYPE_BOOLEAN, "'1'", "1", 0 },
		{ MY, VG_TYPE_INTEGER, "TRUE", "1", 0 },
		{ MY, VG_TYPE_BOOLEAN, "b'1'", "1", 0 },
		{ SL, VG_TYPE_INTEGER, "FALSE", "0", 0 },
		{ SL, VG_TYPE_BOOLEAN, "yes", "1", 0 },
		{ MY, VG_TYPE_STRING, "true", "true", 0 },
		/* expressions: case and spacing of function calls do not matter */
		{ PG, VG_TYPE_UUID, "gen_random_uuid()", "gen_random_uuid()", 0 },
		{ PG, VG_TYPE_UUID, "GEN_RANDOM_UUID( )", "gen_random_uuid()", 0 },
		{ PG, VG_TYPE_STRING, "lower( 'ABC' )", "lower('ABC')", 0 },
		{ PG, VG_TYPE_INTEGER, "(1 + 2)", "1 + 2", 0 },
		{ PG, VG_TYPE_STRING, "", "", 0 },
	};
	vg_arena *a = vg_arena_new();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = "unset";
		int ai = -1;
		int rc = vg_schema_normalise_default(&got, a, cases[i].dialect, cases[i].cls, cases[i].raw, &ai);
		int ok = rc == 0 && same(got, cases[i].want) && ai == cases[i].auto_increment;
		CHECK_MSG(ok, "default %s on %s: got %s (auto %d), want %s", cases[i].raw,
		          vg_dialect_label(cases[i].dialect), got ? got : "(none)", ai,
		          cases[i].want ? cases[i].want : "(none)");
	}
	const char *got = "unset";
	CHECK(vg_schema_normalise_default(&got, a, PG, VG_TYPE_STRING, NULL, NULL) == 0 && got == NULL);
	vg_arena_free(a);
}

static void test_actions(void)
{
	vg_arena *a = vg_arena_new();
	CHECK_STR(vg_schema_normalise_action(a, NULL), "no action");
	CHECK_STR(vg_schema_normalise_action(a, ""), "no action");
	CHECK_STR(vg_schema_normalise_action(a, "CASCADE"), "cascade");
	CHECK_STR(vg_schema_normalise_action(a, "SET NULL"), "set null");
	CHECK_STR(vg_schema_normalise_action(a, "set_default"), "set default");
	CHECK_STR(vg_schema_normalise_action(a, " No  Action "), "no action");
	CHECK_STR(vg_schema_normalise_action(a, "Restrict"), "restrict");
	CHECK_STR(vg_schema_normalise_action(a, "Explode"), "explode");
	CHECK(vg_schema_actions_equal(MY, "restrict", "no action"));
	CHECK(!vg_schema_actions_equal(PG, "restrict", "no action"));
	CHECK(!vg_schema_actions_equal(MY, "cascade", "no action"));
	CHECK(vg_schema_actions_equal(SL, "cascade", "cascade"));
	vg_arena_free(a);
}

/* serial is NOT NULL and auto-increment; SQLite's rowid: exactly INTEGER when live, any
 * integer-affinity type when declared (the driver renders those as INTEGER). */
static void test_implicit_rules(void)
{
	vg_arena *a = vg_arena_new();
	vg_schema *pg = vg_schema_new(a, PG, NULL);
	vg_schema_table *t;
	vg_schema_column *c;
	vg_schema_add_table(&t, pg, "t");
	vg_schema_table_add_column(&c, t, "n", "serial", 1, NULL, 0);
	vg_schema_finish(pg);
	CHECK(c->auto_increment && !c->nullable && same(c->type->canonical, "integer"));

	static const struct {
		int declared;
		const char *type;
		int rowid;
	} cases[] = {
		{ 0, "INTEGER", 1 }, { 0, "integer", 1 }, { 0, "INT", 0 }, { 0, "BIGINT", 0 },
		{ 1, "integer", 1 }, { 1, "bigint", 1 }, { 1, "int", 1 }, { 1, "text", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_schema *s = vg_schema_new(a, SL, NULL);
		s->declared = cases[i].declared;
		vg_schema_add_table(&t, s, "t");
		vg_schema_table_add_column(&c, t, "id", cases[i].type, 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "x", "INTEGER", 1, NULL, 0);
		const char *pk[] = { "id" };
		vg_schema_table_set_primary_key(t, NULL, pk, 1);
		vg_schema_finish(s);
		if (c->auto_increment != cases[i].rowid)
			fprintf(stderr, "rowid rule: %s %s -> %d\n", cases[i].declared ? "declared" : "live",
			        cases[i].type, c->auto_increment);
		CHECK(c->auto_increment == cases[i].rowid && c->nullable == 0);
		CHECK(vg_schema_column_get(t, "x")->auto_increment == 0);
	}
	/* a composite INTEGER key is no rowid */
	vg_schema *s = vg_schema_new(a, SL, NULL);
	vg_schema_add_table(&t, s, "t");
	vg_schema_table_add_column(&c, t, "a", "INTEGER", 1, NULL, 0);
	vg_schema_table_add_column(NULL, t, "b", "INTEGER", 1, NULL, 0);
	const char *ab[] = { "a", "b" };
	vg_schema_table_set_primary_key(t, NULL, ab, 2);
	vg_schema_finish(s);
	CHECK(c->auto_increment == 0 && c->nullable == 0);
	vg_arena_free(a);
}

static const char declared_yaml[] =
    "schema_version: \"1.0.0\"\n"
    "system:\n"
    "  name: shop\n"
    "  components: []\n"
    "  databases:\n"
    "    main:\n"
    "      type: postgresql\n"
    "      url: postgresql://app@127.0.0.1/app\n"
    "      schema:\n"
    "        namespace: app\n"
    "        tables:\n"
    "          - name: users\n"                                                        /* 12 */
    "            columns:\n"
    "              - {name: id, type: serial, primary_key: true}\n"                   /* 14 */
    "              - {name: email, type: varchar(200), nullable: false, unique: true}\n"
    "              - {name: nick, type: string, default: null}\n"
    "              - {name: bio, type: text, default: \"\"}\n"
    "          - name: memberships\n"                                                  /* 18 */
    "            columns:\n"
    "              - {name: user_id, type: integer, primary_key: true}\n"
    "              - {name: org_id, type: integer}\n"
    "              - {name: role, type: varchar(20), nullable: true, default: member}\n"
    "              - {name: active, type: boolean, nullable: false, default: \"false\"}\n"
    "            primary_key: [org_id]\n"                                              /* 24 */
    "            unique: [[user_id, role], [role, user_id], [user_id, role]]\n"
    "            indexes:\n"
    "              - {name: memberships_role_idx, columns: [role]}\n"                /* 27 */
    "              - {columns: [active, role], unique: true}\n"
    "            foreign_keys:\n"
    "              - {columns: [user_id], references: {table: users, columns: [id]}, on_delete: CASCADE}\n"
    "              - {name: fk_org, columns: [org_id], references: {table: orgs, columns: [id]}, on_update: set_null}\n"
    "          - name: users\n"
    "            columns: [{name: dup, type: text}]\n"
    "          - name: notes\n"
    "            columns:\n"
    "              - {name: body, type: text}\n"
    "              - {name: body, type: varchar(5)}\n"
    "              - {name: at, type: datetime, primary_key: true, unique: true}\n";

static void test_from_declared(void)
{
	vg_arena *a = vg_arena_new();
	const vg_database *db = first_database(a, declared_yaml);
	CHECK(db != NULL);
	if (!db) {
		vg_arena_free(a);
		return;
	}
	vg_schema *s = vg_schema_from_declared(a, db);
	CHECK(s && s->finished && s->declared && s->dialect == PG && same(s->namespace_name, "app"));
	if (!s) {
		vg_arena_free(a);
		return;
	}
	CHECK(s->table_count == 3);
	CHECK(same(s->tables[0]->name, "memberships") && same(s->tables[1]->name, "notes") &&
	      same(s->tables[2]->name, "users"));

	/* users: serial PK, NOT NULL; unique flag; default null = none; "" is an empty string */
	vg_schema_table *users = vg_schema_table_get(s, "users");
	CHECK(users && users->column_count == 4 && users->node && users->node->line == 12);
	vg_schema_column *id = vg_schema_column_get(users, "id");
	CHECK(id && id->auto_increment && !id->nullable && id->node && id->node->line == 14);
	CHECK(id->type_node && id->type_node->line == 14);
	CHECK(users->primary_key.count == 1 && same(users->primary_key.names[0], "id"));
	CHECK(users->primary_key_node == id->node);
	CHECK(users->unique_count == 1 && users->uniques[0].name == NULL &&
	      same(users->uniques[0].columns.names[0], "email") && users->uniques[0].node->line == 15);
	vg_schema_column *email = vg_schema_column_get(users, "email");
	CHECK(email && !email->nullable && same(email->type->canonical, "varchar(200)"));
	vg_schema_column *nick = vg_schema_column_get(users, "nick");
	CHECK(nick && nick->nullable && nick->default_raw == NULL && nick->default_value == NULL);
	CHECK_STR(nick->type->canonical, "text");
	vg_schema_column *bio = vg_schema_column_get(users, "bio");
	CHECK(bio && same(bio->default_raw, "") && same(bio->default_value, ""));

	/* memberships: table-level PK merged with the column flag (table list first) */
	vg_schema_table *m = vg_schema_table_get(s, "memberships");
	CHECK(m && m->primary_key.count == 2 && same(m->primary_key.names[0], "org_id") &&
	      same(m->primary_key.names[1], "user_id"));
	CHECK(m->primary_key_node && m->primary_key_node->line == 24);
	CHECK(!vg_schema_column_get(m, "org_id")->nullable && !vg_schema_column_get(m, "user_id")->nullable);
	vg_schema_column *role = vg_schema_column_get(m, "role");
	CHECK(role->nullable && same(role->default_value, "member"));
	vg_schema_column *active = vg_schema_column_get(m, "active");
	CHECK(!active->nullable && same(active->default_raw, "false") && same(active->default_value, "false"));
	/* uniques: the repeated list is one constraint; the reordered one is another */
	CHECK(m->unique_count == 2);
	CHECK(m->index_count == 2 && same(m->indexes[0].name, "memberships_role_idx") &&
	      m->indexes[0].node->line == 27 && !m->indexes[0].unique);
	CHECK(m->indexes[1].name == NULL && m->indexes[1].unique && m->indexes[1].columns.count == 2);
	CHECK(m->foreign_key_count == 2);
	const vg_schema_foreign_key *fk0 = &m->foreign_keys[0], *fk1 = &m->foreign_keys[1];
	CHECK(fk0->name == NULL && same(fk0->ref_table, "users") && same(fk0->on_delete, "cascade") &&
	      same(fk0->on_update, "no action"));
	CHECK(same(fk1->name, "fk_org") && same(fk1->on_update, "set null") && same(fk1->on_delete, "no action"));

	/* notes: the second `body` is left out; PK column NOT NULL */
	vg_schema_table *notes = vg_schema_table_get(s, "notes");
	CHECK(notes && notes->column_count == 2 && same(vg_schema_column_get(notes, "body")->raw_type, "text"));
	CHECK(!vg_schema_column_get(notes, "at")->nullable);

	/* problems: second users table, second notes.body, FK to orgs (not declared) */
	int dup_table = 0, dup_column = 0, fk_orgs = 0;
	for (size_t i = 0; i < s->problem_count; i++) {
		dup_table |= strstr(s->problems[i], "table users is declared more than once") != NULL;
		dup_column |= strstr(s->problems[i], "column notes.body is declared more than once") != NULL;
		fk_orgs |= strstr(s->problems[i], "foreign key memberships.fk_org references table orgs") != NULL;
	}
	CHECK(s->problem_count == 3 && dup_table && dup_column && fk_orgs);
	vg_arena_free(a);
}

static void test_names(void)
{
	vg_arena *a = vg_arena_new();
	const char *ab[] = { "a", "b" }, *ba[] = { "b", "a" };
	vg_schema_names x = { ab, 2 }, y = { ba, 2 }, z = { ab, 1 };
	CHECK_STR(vg_schema_names_text(a, &x), "(a, b)");
	CHECK_STR(vg_schema_names_text(a, &z), "(a)");
	CHECK(vg_schema_names_equal(&x, &x) && !vg_schema_names_equal(&x, &y) && !vg_schema_names_equal(&x, &z));
	vg_arena_free(a);
}

int main(void)
{
	test_builder();
	test_many_tables();
	test_defaults();
	test_actions();
	test_implicit_rules();
	test_from_declared();
	test_names();
	return CHECK_SUMMARY();
}
