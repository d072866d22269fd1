/* Unit tests of column types per dialect (engine/src/schema/sqltypes.c): table-driven. */
#include <stdio.h>
#include <string.h>

#include "sqltypes.h"

#include "check.h"

#define SL VG_DB_SQLITE
#define PG VG_DB_POSTGRESQL
#define MY VG_DB_MYSQL

static const char *dialect(vg_db_type d)
{
	return vg_dialect_label(d);
}

/* Every generic type on every dialect: canonical name and DDL spelling. */
static void test_generic_types(vg_arena *a)
{
	static const struct {
		const char *type;
		vg_type_class cls;
		const char *canonical[3]; /* sqlite, postgresql, mysql */
		const char *ddl[3];
	} cases[] = {
		{ "string", VG_TYPE_STRING, { "text", "text", "varchar(255)" }, { "TEXT", "TEXT", "VARCHAR(255)" } },
		{ "varchar(100)", VG_TYPE_STRING, { "text", "varchar(100)", "varchar(100)" }, { "TEXT", "VARCHAR(100)", "VARCHAR(100)" } },
		{ "text", VG_TYPE_STRING, { "text", "text", "text" }, { "TEXT", "TEXT", "TEXT" } },
		{ "integer", VG_TYPE_INTEGER, { "integer", "integer", "integer" }, { "INTEGER", "INTEGER", "INT" } },
		{ "bigint", VG_TYPE_INTEGER, { "integer", "bigint", "bigint" }, { "INTEGER", "BIGINT", "BIGINT" } },
		{ "smallint", VG_TYPE_INTEGER, { "integer", "smallint", "smallint" }, { "INTEGER", "SMALLINT", "SMALLINT" } },
		{ "float", VG_TYPE_FLOAT, { "real", "double", "float" }, { "REAL", "DOUBLE PRECISION", "FLOAT" } },
		{ "double", VG_TYPE_FLOAT, { "real", "double", "double" }, { "REAL", "DOUBLE PRECISION", "DOUBLE" } },
		{ "decimal(10,2)", VG_TYPE_DECIMAL, { "numeric", "decimal(10,2)", "decimal(10,2)" }, { "NUMERIC", "NUMERIC(10,2)", "DECIMAL(10,2)" } },
		{ "boolean", VG_TYPE_BOOLEAN, { "integer", "boolean", "boolean" }, { "INTEGER", "BOOLEAN", "TINYINT(1)" } },
		{ "datetime", VG_TYPE_DATETIME, { "text", "datetime", "datetime" }, { "TEXT", "TIMESTAMP", "DATETIME" } },
		{ "date", VG_TYPE_DATE, { "text", "date", "date" }, { "TEXT", "DATE", "DATE" } },
		{ "time", VG_TYPE_TIME, { "text", "time", "time" }, { "TEXT", "TIME", "TIME" } },
		{ "uuid", VG_TYPE_UUID, { "text", "uuid", "char(36)" }, { "TEXT", "UUID", "CHAR(36)" } },
		{ "json", VG_TYPE_JSON, { "text", "json", "json" }, { "TEXT", "JSON", "JSON" } },
		{ "blob", VG_TYPE_BINARY, { "blob", "blob", "blob" }, { "BLOB", "BYTEA", "BLOB" } },
	};
	static const vg_db_type dialects[3] = { SL, PG, MY };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int d = 0; d < 3; d++) {
			vg_sqltype t;
			CHECK(vg_sqltype_parse(&t, a, cases[i].type, dialects[d]) == 0);
			int ok = t.known && t.type_class == cases[i].cls && same(t.canonical, cases[i].canonical[d]);
			CHECK_MSG(ok, "%s on %s: known %d canonical %s problem %s", cases[i].type,
			          dialect(dialects[d]), t.known, t.canonical ? t.canonical : "-",
			          t.problem ? t.problem : "-");
			CHECK((t.known_in & VG_DIALECT_BIT(dialects[d])) != 0);
			char *ddl = vg_sqltype_render(a, cases[i].type, dialects[d]);
			CHECK_MSG(same(ddl, cases[i].ddl[d]), "render %s on %s: %s", cases[i].type,
			          dialect(dialects[d]), ddl ? ddl : "(null)");
			/* the rendered DDL reads back to the same canonical type */
			vg_sqltype back;
			CHECK(vg_sqltype_parse(&back, a, ddl, dialects[d]) == 0 && same(back.canonical, t.canonical));
		}
	}
}

/* Real-schema spellings, normalised (with the rule saying which normalisation applied). */
static void test_aliases(vg_arena *a)
{
	static const struct {
		vg_db_type d;
		const char *type, *canonical;
		const char *rule; /* substring of the rule; "" = no rule expected */
	} cases[] = {
		{ PG, "int4", "integer", "int4 → integer (PostgreSQL alias)" },
		{ PG, "int8", "bigint", "PostgreSQL alias" },
		{ PG, "int2", "smallint", "PostgreSQL alias" },
		{ PG, "int", "integer", "int → integer" },
		{ PG, "INTEGER", "integer", "" },
		{ PG, "bool", "boolean", "bool → boolean" },
		{ PG, "bpchar(10)", "char(10)", "bpchar(10) → char(10)" },
		{ PG, "bpchar", "char", "bpchar → char" },
		{ PG, "character varying(20)", "varchar(20)", "SQL standard spelling" },
		{ PG, "CHARACTER VARYING (20)", "varchar(20)", "→ varchar(20)" },
		{ PG, "character(5)", "char(5)", "→ char(5)" },
		{ PG, "char(3)", "char(3)", "" },
		{ PG, "char", "char(1)", "char → char(1)" },
		{ PG, "varchar", "varchar", "" },
		{ PG, "numeric(10,2)", "decimal(10,2)", "NUMERIC is DECIMAL" },
		{ PG, "numeric(10)", "decimal(10,0)", "→ decimal(10,0)" },
		{ PG, "numeric", "decimal", "NUMERIC is DECIMAL" },
		{ PG, "timestamp", "datetime", "timestamp without time zone" },
		{ PG, "timestamp without time zone", "datetime", "→ datetime" },
		{ PG, "timestamp with time zone", "timestamptz", "→ timestamptz" },
		{ PG, "timestamptz", "timestamptz", "" },
		{ PG, "timestamp(3) with time zone", "timestamptz(3)", "→ timestamptz(3)" },
		{ PG, "time with time zone", "timetz", "→ timetz" },
		{ PG, "bytea", "blob", "bytea → blob" },
		{ PG, "serial", "integer", "auto-increment" },
		{ PG, "bigserial", "bigint", "auto-increment" },
		{ PG, "smallserial", "smallint", "auto-increment" },
		{ PG, "jsonb", "jsonb", "" },
		{ PG, "inet", "inet", "" },
		{ PG, "real", "float", "4-byte" },
		{ PG, "double precision", "double", "SQL standard spelling" },
		{ PG, "float8", "double", "PostgreSQL alias" },
		{ PG, "float4", "float", "PostgreSQL alias" },
		{ PG, "float(24)", "float", "4-byte" },
		{ PG, "float(53)", "double", "8-byte" },
		{ PG, "integer[]", "integer[]", "" },
		{ PG, "_int4", "integer[]", "→ integer[]" },
		{ PG, "text[]", "text[]", "" },
		{ PG, "integer array", "integer[]", "" },
		{ PG, "interval", "interval", "" },
		{ MY, "tinyint(1)", "boolean", "tinyint(1) → boolean (MySQL's boolean convention)" },
		{ MY, "TINYINT(1)", "boolean", "→ boolean" },
		{ MY, "tinyint", "tinyint", "" },
		{ MY, "tinyint(4)", "tinyint", "display width is ignored" },
		{ MY, "tinyint(1) unsigned", "tinyint unsigned", "display width" },
		{ MY, "int(11)", "integer", "int(11) → integer (display width is ignored)" },
		{ MY, "int unsigned", "integer unsigned", "→ integer unsigned" },
		{ MY, "bigint(20) unsigned", "bigint unsigned", "→ bigint unsigned" },
		{ MY, "int4", "integer", "MySQL alias" },
		{ MY, "mediumint", "mediumint", "" },
		{ MY, "datetime(6)", "datetime(6)", "" },
		{ MY, "datetime(0)", "datetime", "→ datetime" },
		{ MY, "timestamp", "timestamp", "" },
		{ MY, "varbinary(16)", "varbinary(16)", "" },
		{ MY, "binary", "binary(1)", "→ binary(1)" },
		{ MY, "enum('a','b')", "enum('a','b')", "" },
		{ MY, "ENUM('it''s', \"b\")", "enum('it''s','b')", "" },
		{ MY, "set('x','y')", "set('x','y')", "" },
		{ MY, "mediumtext", "mediumtext", "" },
		{ MY, "longtext", "longtext", "" },
		{ MY, "text(1000)", "text", "text(1000) → text" },
		{ MY, "numeric(10,2)", "decimal(10,2)", "NUMERIC is DECIMAL" },
		{ MY, "decimal", "decimal(10,0)", "→ decimal(10,0)" },
		{ MY, "real", "double", "MySQL's REAL is DOUBLE" },
		{ MY, "bool", "boolean", "alias" },
		{ MY, "double precision", "double", "SQL standard spelling" },
		{ MY, "char", "char(1)", "→ char(1)" },
		{ MY, "serial", "bigint unsigned", "BIGINT UNSIGNED AUTO_INCREMENT" },
		{ MY, "character varying(20)", "varchar(20)", "SQL standard spelling" },
		{ MY, "year", "year", "" },
		{ MY, "float(30)", "double", "8-byte" },
		{ SL, "varchar(20)", "text", "varchar(20) → text (SQLite TEXT affinity)" },
		{ SL, "int", "integer", "SQLite INTEGER affinity" },
		{ SL, "INTEGER", "integer", "" },
		{ SL, "unsigned big int", "integer", "INTEGER affinity" },
		{ SL, "clob", "text", "TEXT affinity" },
		{ SL, "numeric", "numeric", "" },
		{ SL, "datetime", "text", "TEXT affinity" },
		{ SL, "boolean", "integer", "INTEGER affinity" },
		{ SL, "real", "real", "" },
		{ SL, "jsonb", "text", "TEXT affinity" },
		{ SL, "inet", "numeric", "NUMERIC affinity" },
		{ SL, "double precision", "real", "REAL affinity" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_sqltype t;
		CHECK(vg_sqltype_parse(&t, a, cases[i].type, cases[i].d) == 0);
		int rule_ok = cases[i].rule[0] ? (t.rule && strstr(t.rule, cases[i].rule) != NULL)
		                               : t.rule == NULL;
		int ok = t.known && same(t.canonical, cases[i].canonical) && rule_ok;
		CHECK_MSG(ok, "%s on %s: known %d canonical %s rule %s problem %s", cases[i].type,
		          dialect(cases[i].d), t.known, t.canonical ? t.canonical : "-",
		          t.rule ? t.rule : "-", t.problem ? t.problem : "-");
	}
	vg_sqltype t;
	CHECK(vg_sqltype_parse(&t, a, "serial", PG) == 0 && t.is_serial && vg_sqltype_is_integer(&t));
	CHECK(vg_sqltype_parse(&t, a, "tinyint(1)", MY) == 0 && t.type_class == VG_TYPE_BOOLEAN &&
	      !vg_sqltype_is_integer(&t));
	CHECK(vg_sqltype_parse(&t, a, "enum('a','b')", MY) == 0 && t.value_count == 2 &&
	      same(t.values[1], "b"));
	CHECK(vg_sqltype_parse(&t, a, "  decimal ( 10 , 2 )  ", PG) == 0 && t.arg_count == 2 &&
	      t.args[0] == 10 && t.args[1] == 2 && same(t.base, "decimal"));
	CHECK_STR(vg_sqltype_render(a, "int unsigned", MY), "INT UNSIGNED");
	CHECK_STR(vg_sqltype_render(a, "enum('a','b')", MY), "ENUM('a','b')");
	CHECK_STR(vg_sqltype_render(a, "_int4", PG), "INTEGER[]");
	CHECK_STR(vg_sqltype_render(a, "timestamptz", PG), "TIMESTAMPTZ");
	CHECK_STR(vg_sqltype_render(a, "datetime(3)", PG), "TIMESTAMP(3)");
	CHECK(vg_sqltype_render(a, "jsonb", MY) == NULL);
}

/* Types a dialect does not know: the problem, and a suggestion. */
static void test_unknown(vg_arena *a)
{
	static const struct {
		vg_db_type d;
		const char *type;
		const char *problem;    /* substring */
		const char *suggestion; /* NULL: none */
	} cases[] = {
		{ PG, "tinyint", "PostgreSQL has no tinyint type (it is a MySQL type)", "smallint" },
		{ PG, "mediumtext", "it is a MySQL type", "text" },
		{ PG, "integer unsigned", "UNSIGNED is MySQL only", NULL },
		{ PG, "varchr(20)", "not a type name vigil knows", "varchar(20)" },
		{ PG, "integer(11)", "takes no length", NULL },
		{ PG, "enum('a')", "PostgreSQL has no enum", "varchar(255)" },
		{ PG, "numeric(2000)", "precision must be 1..1000", NULL },
		{ PG, "text(10)", "takes no arguments", NULL },
		{ MY, "jsonb", "MySQL has no jsonb type (it is a PostgreSQL type)", "json" },
		{ MY, "bytea", "MySQL has no bytea", "blob" },
		{ MY, "timestamptz", "MySQL has no timestamptz", "timestamp" },
		{ MY, "varchar", "needs a length", NULL },
		{ MY, "integer[]", "arrays are PostgreSQL only", NULL },
		{ MY, "decimal(70,2)", "precision must be 1..65", NULL },
		{ MY, "decimal(5,6)", "scale", NULL },
		{ MY, "datetime(7)", "0..6", NULL },
		{ MY, "enum", "needs its values", NULL },
		{ MY, "enum(a,b)", "quoted", NULL },
		{ MY, "boolean unsigned", "cannot be UNSIGNED", NULL },
		{ SL, "varchr(20)", "NUMERIC affinity", "varchar(20)" },
		{ SL, "strng", "not a type name", "string" },
		{ SL, "integr", "not a type name", "integer" },
		{ SL, "bolean", "not a type name", "boolean" },
		{ SL, "", "empty", NULL },
		{ SL, "varchar(abc)", "whole numbers", NULL },
		{ SL, "varchar(20", "not closed", NULL },
		{ SL, "int;drop", "character", NULL },
		{ SL, "integer[]", "arrays", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_sqltype t;
		CHECK(vg_sqltype_parse(&t, a, cases[i].type, cases[i].d) == 0);
		int ok = !t.known && t.canonical == NULL && t.problem &&
		         strstr(t.problem, cases[i].problem) && same(t.suggestion, cases[i].suggestion);
		CHECK_MSG(ok, "%s on %s: known %d problem %s suggestion %s", cases[i].type,
		          dialect(cases[i].d), t.known, t.problem ? t.problem : "-",
		          t.suggestion ? t.suggestion : "-");
		CHECK(!vg_sqltype_known(a, cases[i].type, cases[i].d));
	}
	vg_sqltype t;
	CHECK(vg_sqltype_parse(&t, a, "jsonb", MY) == 0 &&
	      t.known_in == VG_DIALECT_BIT(PG) + VG_DIALECT_BIT(SL));
	CHECK(vg_sqltype_parse(&t, a, NULL, PG) == 0 && !t.known);
	CHECK(vg_sqltype_known(a, "jsonb", PG) && vg_sqltype_known(a, "mediumtext", MY));
	CHECK(vg_sqltype_known(a, "varchar(20)", VG_DB_UNKNOWN));
}

static void test_compatible(vg_arena *a)
{
	static const struct {
		vg_db_type d;
		const char *x, *y;
		int compatible;
	} cases[] = {
		{ PG, "int4", "integer", 1 },
		{ PG, "serial", "integer", 1 },
		{ PG, "integer", "bigint", 0 },
		{ PG, "varchar(10)", "text", 1 },
		{ PG, "numeric(10,2)", "decimal(10,2)", 1 },
		{ PG, "decimal(10,2)", "decimal(12,2)", 0 },
		{ PG, "text", "integer", 0 },
		{ PG, "uuid", "text", 0 },
		{ PG, "timestamp", "datetime", 1 },
		{ PG, "timestamp", "timestamptz", 0 },
		{ PG, "integer[]", "integer", 0 },
		{ MY, "int unsigned", "int", 0 },
		{ MY, "int(11)", "integer", 1 },
		{ MY, "uuid", "char(36)", 1 },
		{ MY, "bigint unsigned", "serial", 1 },
		{ MY, "tinyint(1)", "boolean", 1 },
		{ SL, "integer", "bigint", 1 },
		{ SL, "text", "integer", 0 },
		{ SL, "boolean", "integer", 1 },
		{ SL, "varchar(3)", "uuid", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_sqltype x, y;
		CHECK(vg_sqltype_parse(&x, a, cases[i].x, cases[i].d) == 0);
		CHECK(vg_sqltype_parse(&y, a, cases[i].y, cases[i].d) == 0);
		int got = vg_sqltype_compatible(&x, &y);
		CHECK_MSG(got == cases[i].compatible, "compatible(%s, %s) on %s = %d", cases[i].x,
		          cases[i].y, dialect(cases[i].d), got);
	}
}

static void test_defaults(vg_arena *a)
{
	static const struct {
		vg_db_type d;
		const char *type, *value;
		const char *problem; /* substring, or NULL when it fits */
	} cases[] = {
		{ PG, "integer", "0", NULL },
		{ PG, "integer", "-5", NULL },
		{ PG, "integer", "'42'", NULL },
		{ PG, "integer", "abc", "is not an integer" },
		{ PG, "integer", "3.5", "is not an integer" },
		{ PG, "integer", "CURRENT_TIMESTAMP", "current time" },
		{ PG, "integer", "nextval('ids')", NULL },
		{ PG, "integer", "NULL", NULL },
		{ PG, "integer", "(1 + 2)", NULL },
		{ PG, "integer", "3000000000", "out of range for integer" },
		{ PG, "smallint", "40000", "out of range for smallint (-32768..32767)" },
		{ PG, "bigint", "99999999999999999999", "64-bit" },
		{ MY, "tinyint unsigned", "-1", "negative" },
		{ MY, "tinyint unsigned", "300", "out of range" },
		{ MY, "tinyint unsigned", "255", NULL },
		{ SL, "smallint", "40000", NULL }, /* SQLite stores 64-bit integers */
		{ PG, "boolean", "false", NULL },
		{ PG, "boolean", "TRUE", NULL },
		{ PG, "boolean", "'f'", NULL },
		{ MY, "boolean", "1", NULL },
		{ MY, "tinyint(1)", "0", NULL },
		{ PG, "boolean", "abc", "is not a boolean" },
		{ PG, "boolean", "now()", "current time" },
		{ PG, "datetime", "CURRENT_TIMESTAMP", NULL },
		{ PG, "timestamptz", "now()", NULL },
		{ MY, "datetime(6)", "CURRENT_TIMESTAMP(6)", NULL },
		{ SL, "datetime", "datetime('now')", NULL },
		{ PG, "datetime", "2024-01-02 03:04:05", NULL },
		{ PG, "timestamptz", "'2024-01-02T03:04:05.123+02:00'", NULL },
		{ PG, "datetime", "2024-13-01", "is not a date and time" },
		{ PG, "datetime", "yesterday-ish", "is not a date and time" },
		{ PG, "datetime", "'epoch'", NULL },
		{ MY, "datetime", "0000-00-00 00:00:00", NULL },
		{ PG, "date", "2024-01-01", NULL },
		{ PG, "date", "01/02/2024", "is not a date" },
		{ PG, "date", "CURRENT_DATE", NULL },
		{ PG, "time", "12:30", NULL },
		{ PG, "time", "25:00", "is not a time" },
		{ PG, "varchar(5)", "'abcdef'", "longer than varchar(5) allows (6 characters)" },
		{ PG, "varchar(5)", "abc", NULL },
		{ PG, "varchar(3)", "'ééé'", NULL },
		{ PG, "char(2)", "abc", "longer" },
		{ SL, "varchar(5)", "abcdef", NULL },
		{ PG, "text", "CURRENT_TIMESTAMP", NULL },
		{ PG, "decimal(5,2)", "123.45", NULL },
		{ PG, "decimal(5,2)", "-0.5", NULL },
		{ PG, "decimal(5,2)", "1234.5", "too many digits" },
		{ PG, "decimal(5,2)", "abc", "not a number" },
		{ PG, "float", "1e10", NULL },
		{ PG, "float", "x", "not a number" },
		{ PG, "uuid", "550e8400-e29b-41d4-a716-446655440000", NULL },
		{ PG, "uuid", "gen_random_uuid()", NULL },
		{ PG, "uuid", "abc", "is not a UUID" },
		{ PG, "json", "'{\"a\": [1, 2.5e3, true, null]}'", NULL },
		{ PG, "jsonb", "[]", NULL },
		{ PG, "json", "{bad", "is not valid JSON" },
		{ MY, "enum('a','b')", "a", NULL },
		{ MY, "enum('a','b')", "'b'", NULL },
		{ MY, "enum('a','b')", "c", "is not one of the enum's values" },
		{ MY, "set('x','y')", "x,y", NULL },
		{ MY, "set('x','y')", "x,z", "set's values" },
		{ PG, "blob", "anything", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_sqltype t;
		CHECK(vg_sqltype_parse(&t, a, cases[i].type, cases[i].d) == 0 && t.known);
		const char *p = vg_sqltype_default_problem(a, &t, cases[i].value);
		int ok = cases[i].problem ? p && strstr(p, cases[i].problem) != NULL : p == NULL;
		CHECK_MSG(ok, "default %s on %s (%s): %s", cases[i].value, cases[i].type,
		          dialect(cases[i].d), p ? p : "(fits)");
	}
	vg_sqltype t;
	CHECK(vg_sqltype_parse(&t, a, "varchr", PG) == 0 && vg_sqltype_default_problem(a, &t, "x") == NULL);
}

int main(void)
{
	vg_arena *a = vg_arena_new();
	if (!a)
		return 1;
	test_generic_types(a);
	test_aliases(a);
	test_unknown(a);
	test_compatible(a);
	test_defaults(a);
	CHECK_STR(vg_type_class_name(VG_TYPE_INTEGER), "integer");
	CHECK_STR(vg_dialect_label(MY), "MySQL");
	vg_arena_free(a);
	return CHECK_SUMMARY();
}
