/* test_sql_default.c — column defaults are data (sql_default.c): what each dialect gets for
 * the values blueprints and live catalogs give, and what is refused (docs/healing.md,
 * "Column defaults are data"). */
#include <stdio.h>
#include <string.h>

#include "sql_default.h"

#include "check.h"

typedef struct expect {
	vg_db_type dialect;
	vg_type_class type;
	const char *value;
	const char *sql; /* NULL: refused */
} expect;

#define S VG_DB_SQLITE
#define P VG_DB_POSTGRESQL
#define M VG_DB_MYSQL

static const expect cases[] = {
	/* literals, as each dialect writes them */
	{ S, VG_TYPE_INTEGER, "0", "0" },
	{ P, VG_TYPE_INTEGER, "-42", "-42" },
	{ M, VG_TYPE_DECIMAL, "1.5e3", "1.5e3" },
	{ S, VG_TYPE_INTEGER, "(7)", "7" },
	{ P, VG_TYPE_INTEGER, "((7))", "7" },
	{ S, VG_TYPE_BOOLEAN, "true", "1" },
	{ P, VG_TYPE_BOOLEAN, "yes", "TRUE" },
	{ M, VG_TYPE_BOOLEAN, "false", "FALSE" },
	{ P, VG_TYPE_STRING, "null", "NULL" },
	{ S, VG_TYPE_STRING, "'it''s'", "'it''s'" },
	{ P, VG_TYPE_STRING, "'a\\b'", "E'a\\\\b'" },
	{ M, VG_TYPE_STRING, "'a\\nb'", "'a\nb'" },
	{ M, VG_TYPE_STRING, "'a\\\\b'", "'a\\\\b'" },
	{ S, VG_TYPE_STRING, "plain words", "'plain words'" },
	{ P, VG_TYPE_STRING, "5", "'5'" },
	{ S, VG_TYPE_BINARY, "x'0A1b'", "X'0A1b'" },
	{ P, VG_TYPE_OTHER, "B'0101'", "B'0101'" },
	{ S, VG_TYPE_STRING, "", "''" },
	/* the clock and other allowed expressions */
	{ S, VG_TYPE_DATETIME, "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP" },
	{ S, VG_TYPE_DATETIME, "now()", "CURRENT_TIMESTAMP" },
	{ S, VG_TYPE_DATETIME, "datetime('now')", "(datetime('now'))" },
	{ P, VG_TYPE_DATETIME, "now()", "now()" },
	{ P, VG_TYPE_UUID, "gen_random_uuid()", "gen_random_uuid()" },
	{ P, VG_TYPE_INTEGER, "nextval('orders_id_seq'::regclass)",
	  "nextval('orders_id_seq'::regclass)" },
	{ P, VG_TYPE_JSON, "'{}'::jsonb", "'{}'::jsonb" },
	{ P, VG_TYPE_STRING, "'x'::character varying(20)", "'x'::character varying(20)" },
	{ M, VG_TYPE_DATETIME, "current_timestamp()", "current_timestamp()" },
	{ M, VG_TYPE_DATETIME, "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP" },
	{ M, VG_TYPE_STRING, "uuid()", "(uuid())" },
	{ M, VG_TYPE_DATE, "curdate()", "(curdate())" },
	/* SQL, not a value: refused */
	{ S, VG_TYPE_INTEGER, "(1)); DROP TABLE victim; --", NULL },
	{ P, VG_TYPE_INTEGER, "(1)); DROP TABLE victim; --", NULL },
	{ M, VG_TYPE_INTEGER, "(1)); DROP TABLE victim; --", NULL },
	{ S, VG_TYPE_STRING, "(1)); DROP TABLE victim; --", NULL },
	{ P, VG_TYPE_BOOLEAN, "true; DROP TABLE victim", NULL },
	{ M, VG_TYPE_STRING, "'x'; DROP TABLE victim; SELECT 'y'", NULL },
	/* MySQL reads \' as a quote inside the literal: one string, data */
	{ M, VG_TYPE_STRING, "'x\\'; DROP TABLE victim; -- '", "'x''; DROP TABLE victim; -- '" },
	{ S, VG_TYPE_INTEGER, "1) , b INTEGER DEFAULT (2", NULL },
	{ P, VG_TYPE_INTEGER, "0 /* hidden */", NULL },
	{ M, VG_TYPE_DATETIME, "now() -- hidden", NULL },
	{ M, VG_TYPE_DATETIME, "now() # hidden", NULL },
	{ P, VG_TYPE_STRING, "'open", NULL },
	{ P, VG_TYPE_STRING, "$$x$$", NULL },
	{ P, VG_TYPE_STRING, "E'a'", NULL },
	{ S, VG_TYPE_INTEGER, "(SELECT 1)", NULL },
	{ P, VG_TYPE_INTEGER, "1 + 1", NULL },
	{ P, VG_TYPE_STRING, "pg_sleep(10)", NULL },
	{ M, VG_TYPE_STRING, "sleep(10)", NULL },
	{ P, VG_TYPE_STRING, "\"column\"", NULL },
	{ P, VG_TYPE_INTEGER, "abc", NULL },
	{ P, VG_TYPE_JSON, "'{}'::jsonb; DROP TABLE victim", NULL },
	{ P, VG_TYPE_JSON, "'{}'::\"jsonb\"", NULL },
	{ S, VG_TYPE_BINARY, "x'0G'", NULL },
	{ M, VG_TYPE_STRING, "'\\0'", NULL },
	{ S, VG_TYPE_STRING, "a'b", NULL },
	{ S, VG_TYPE_STRING, "line\nbreak", NULL },
	{ P, VG_TYPE_INTEGER, "((((((((((1))))))))))", NULL },
};

static const char *dialect_name(vg_db_type d)
{
	return d == S ? "sqlite" : d == P ? "postgresql" : "mysql";
}

static void test_cases(void)
{
	vg_arena *arena = vg_arena_new();
	if (!CHECK(arena != NULL))
		return;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const expect *e = &cases[i];
		const char *problem = NULL;
		const char *sql =
		        vg_sql_default_sql(arena, e->dialect, e->type, e->value, &problem);
		CHECK_MSG(same(sql, e->sql), "%s default [%s]: got [%s] (%s), expected [%s]",
		          dialect_name(e->dialect), e->value, sql ? sql : "refused",
		          problem ? problem : "-", e->sql ? e->sql : "refused");
		if (!e->sql)
			CHECK_MSG(problem && *problem, "%s default [%s] refused with a reason",
			          dialect_name(e->dialect), e->value);
	}
	vg_arena_free(arena);
}

/* What the level-2 check (VG237) calls code: a statement end, a comment, an open quote. */
static void test_is_code(void)
{
	CHECK(vg_sql_default_is_code(VG_DB_SQLITE, "(1)); DROP TABLE victim; --"));
	CHECK(vg_sql_default_is_code(VG_DB_POSTGRESQL, "0 /* x */"));
	CHECK(vg_sql_default_is_code(VG_DB_MYSQL, "now() # x"));
	CHECK(vg_sql_default_is_code(VG_DB_POSTGRESQL, "'open"));
	CHECK(!vg_sql_default_is_code(VG_DB_POSTGRESQL, "'a; b -- c'"));
	CHECK(!vg_sql_default_is_code(VG_DB_MYSQL, "1 + 1"));
	CHECK(!vg_sql_default_is_code(VG_DB_SQLITE, NULL));
}

static void test_allowed_list(void)
{
	vg_arena *arena = vg_arena_new();
	if (!CHECK(arena != NULL))
		return;
	const char *pg = vg_sql_default_allowed(arena, VG_DB_POSTGRESQL);
	CHECK_MSG(contains(pg, "now()") && contains(pg, "nextval('…')") && contains(pg, "::jsonb"),
	          "postgresql: %s", pg ? pg : "NULL");
	const char *lite = vg_sql_default_allowed(arena, VG_DB_SQLITE);
	CHECK_MSG(contains(lite, "datetime()") && !contains(lite, "now()"), "sqlite: %s",
	          lite ? lite : "NULL");
	vg_arena_free(arena);
}

int main(void)
{
	test_cases();
	test_is_code();
	test_allowed_list();
	return CHECK_SUMMARY();
}
