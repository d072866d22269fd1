/*
 * sqltypes.c — column types per dialect (see sqltypes.h): reading, normalising, rendering,
 * and judging defaults. The one table below says which names each dialect has and what each
 * name normalises to; everything else is derived from it.
 */
#include "sqltypes.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "suggest.h"

/* What a name's parentheses hold. */
typedef enum arg_kind {
	ARGS_NONE = 0,   /* none (MySQL's text/blob family may take a length, ignored) */
	ARGS_LENGTH,     /* (n) */
	ARGS_PS,         /* (precision[, scale]) */
	ARGS_FSP,        /* (fractional seconds precision) */
	ARGS_WIDTH,      /* integer display width (MySQL), dropped */
	ARGS_FLOAT,      /* float(p): 1..24 is 4 bytes, 25..53 is 8; MySQL's float(m,d) */
	ARGS_VALUES,     /* enum('a','b') / set(...) */
} arg_kind;

enum {
	GENERIC = 1,      /* vigil's own vocabulary: known on every dialect */
	SERIAL = 2,       /* an auto-increment integer type */
	SQLITE_ONLY = 4,  /* a name only SQLite's docs use */
};

typedef struct type_entry {
	const char *name;      /* lower-case, single-spaced */
	vg_type_class cls;
	arg_kind args;
	unsigned flags;
	const char *pg;        /* canonical on PostgreSQL, NULL: PostgreSQL has no such type */
	const char *my;        /* canonical on MySQL, NULL: MySQL has no such type */
	const char *pg_note;   /* why `name` becomes `pg`, when they differ */
	const char *my_note;
} type_entry;

#define T(name, cls, args, flags, pg, my, pg_note, my_note) \
	{ name, VG_TYPE_##cls, args, flags, pg, my, pg_note, my_note }

static const type_entry types[] = {
	/* strings */
	T("string", STRING, ARGS_LENGTH, GENERIC, "text", "varchar", "vigil generic type", "vigil generic type"),
	T("varchar", STRING, ARGS_LENGTH, GENERIC, "varchar", "varchar", NULL, NULL),
	T("character varying", STRING, ARGS_LENGTH, 0, "varchar", "varchar", "SQL standard spelling", "SQL standard spelling"),
	T("nvarchar", STRING, ARGS_LENGTH, 0, NULL, "varchar", NULL, "national character set alias"),
	T("national varchar", STRING, ARGS_LENGTH, 0, NULL, "varchar", NULL, "national character set alias"),
	T("char", STRING, ARGS_LENGTH, 0, "char", "char", NULL, NULL),
	T("character", STRING, ARGS_LENGTH, 0, "char", "char", "SQL standard spelling", "SQL standard spelling"),
	T("bpchar", STRING, ARGS_LENGTH, 0, "char", NULL, "PostgreSQL's internal name for char", NULL),
	T("nchar", STRING, ARGS_LENGTH, 0, NULL, "char", NULL, "national character set alias"),
	T("national char", STRING, ARGS_LENGTH, 0, NULL, "char", NULL, "national character set alias"),
	T("text", STRING, ARGS_NONE, GENERIC, "text", "text", NULL, NULL),
	T("tinytext", STRING, ARGS_NONE, 0, NULL, "tinytext", NULL, NULL),
	T("mediumtext", STRING, ARGS_NONE, 0, NULL, "mediumtext", NULL, NULL),
	T("longtext", STRING, ARGS_NONE, 0, NULL, "longtext", NULL, NULL),
	T("citext", STRING, ARGS_NONE, 0, "citext", NULL, NULL, NULL),
	T("clob", STRING, ARGS_NONE, SQLITE_ONLY, NULL, NULL, NULL, NULL),
	T("native character", STRING, ARGS_LENGTH, SQLITE_ONLY, NULL, NULL, NULL, NULL),
	T("varying character", STRING, ARGS_LENGTH, SQLITE_ONLY, NULL, NULL, NULL, NULL),
	/* integers */
	T("smallint", INTEGER, ARGS_WIDTH, GENERIC, "smallint", "smallint", NULL, NULL),
	T("int2", INTEGER, ARGS_WIDTH, 0, "smallint", "smallint", "PostgreSQL alias", "MySQL alias"),
	T("smallserial", INTEGER, ARGS_NONE, SERIAL, "smallint", NULL, "PostgreSQL auto-increment smallint", NULL),
	T("serial2", INTEGER, ARGS_NONE, SERIAL, "smallint", NULL, "PostgreSQL auto-increment smallint", NULL),
	T("integer", INTEGER, ARGS_WIDTH, GENERIC, "integer", "integer", NULL, NULL),
	T("int", INTEGER, ARGS_WIDTH, 0, "integer", "integer", "alias", "alias"),
	T("int4", INTEGER, ARGS_WIDTH, 0, "integer", "integer", "PostgreSQL alias", "MySQL alias"),
	T("serial", INTEGER, ARGS_NONE, SERIAL, "integer", "bigint unsigned", "PostgreSQL auto-increment integer", "MySQL alias for BIGINT UNSIGNED AUTO_INCREMENT"),
	T("serial4", INTEGER, ARGS_NONE, SERIAL, "integer", NULL, "PostgreSQL auto-increment integer", NULL),
	T("bigint", INTEGER, ARGS_WIDTH, GENERIC, "bigint", "bigint", NULL, NULL),
	T("int8", INTEGER, ARGS_WIDTH, 0, "bigint", "bigint", "PostgreSQL alias", "MySQL alias"),
	T("bigserial", INTEGER, ARGS_NONE, SERIAL, "bigint", NULL, "PostgreSQL auto-increment bigint", NULL),
	T("serial8", INTEGER, ARGS_NONE, SERIAL, "bigint", NULL, "PostgreSQL auto-increment bigint", NULL),
	T("tinyint", INTEGER, ARGS_WIDTH, 0, NULL, "tinyint", NULL, NULL),
	T("int1", INTEGER, ARGS_WIDTH, 0, NULL, "tinyint", NULL, "MySQL alias"),
	T("mediumint", INTEGER, ARGS_WIDTH, 0, NULL, "mediumint", NULL, NULL),
	T("int3", INTEGER, ARGS_WIDTH, 0, NULL, "mediumint", NULL, "MySQL alias"),
	T("middleint", INTEGER, ARGS_WIDTH, 0, NULL, "mediumint", NULL, "MySQL alias"),
	T("big int", INTEGER, ARGS_NONE, SQLITE_ONLY, NULL, NULL, NULL, NULL),
	T("oid", OTHER, ARGS_NONE, 0, "oid", NULL, NULL, NULL),
	/* floating point ("float" canonical = 4 bytes, "double" = 8 bytes) */
	T("float", FLOAT, ARGS_FLOAT, GENERIC, "double", "float", "PostgreSQL's float is 8 bytes", NULL),
	T("real", FLOAT, ARGS_NONE, 0, "float", "double", "PostgreSQL's 4-byte float", "MySQL's REAL is DOUBLE"),
	T("float4", FLOAT, ARGS_NONE, 0, "float", "float", "PostgreSQL alias", "MySQL alias"),
	T("float8", FLOAT, ARGS_NONE, 0, "double", "double", "PostgreSQL alias", "MySQL alias"),
	T("double", FLOAT, ARGS_FLOAT, GENERIC, "double", "double", NULL, NULL),
	T("double precision", FLOAT, ARGS_FLOAT, 0, "double", "double", "SQL standard spelling", "SQL standard spelling"),
	/* exact numbers */
	T("decimal", DECIMAL, ARGS_PS, GENERIC, "decimal", "decimal", NULL, NULL),
	T("numeric", DECIMAL, ARGS_PS, 0, "decimal", "decimal", "NUMERIC is DECIMAL", "NUMERIC is DECIMAL"),
	T("dec", DECIMAL, ARGS_PS, 0, NULL, "decimal", NULL, "MySQL alias"),
	T("fixed", DECIMAL, ARGS_PS, 0, NULL, "decimal", NULL, "MySQL alias"),
	T("money", OTHER, ARGS_NONE, 0, "money", NULL, NULL, NULL),
	/* booleans and bits */
	T("boolean", BOOLEAN, ARGS_NONE, GENERIC, "boolean", "boolean", NULL, NULL),
	T("bool", BOOLEAN, ARGS_NONE, 0, "boolean", "boolean", "alias", "alias"),
	T("bit", OTHER, ARGS_LENGTH, 0, "bit", "bit", NULL, NULL),
	T("bit varying", OTHER, ARGS_LENGTH, 0, "varbit", NULL, "SQL standard spelling", NULL),
	T("varbit", OTHER, ARGS_LENGTH, 0, "varbit", NULL, NULL, NULL),
	/* dates and times */
	T("datetime", DATETIME, ARGS_FSP, GENERIC, "datetime", "datetime", NULL, NULL),
	T("timestamp", DATETIME, ARGS_FSP, 0, "datetime", "timestamp", "PostgreSQL timestamp without time zone", NULL),
	T("timestamp without time zone", DATETIME, ARGS_FSP, 0, "datetime", NULL, "PostgreSQL timestamp", NULL),
	T("timestamp with time zone", DATETIME, ARGS_FSP, 0, "timestamptz", NULL, "SQL standard spelling", NULL),
	T("timestamptz", DATETIME, ARGS_FSP, 0, "timestamptz", NULL, NULL, NULL),
	T("date", DATE, ARGS_NONE, GENERIC, "date", "date", NULL, NULL),
	T("time", TIME, ARGS_FSP, GENERIC, "time", "time", NULL, NULL),
	T("time without time zone", TIME, ARGS_FSP, 0, "time", NULL, "SQL standard spelling", NULL),
	T("time with time zone", TIME, ARGS_FSP, 0, "timetz", NULL, "SQL standard spelling", NULL),
	T("timetz", TIME, ARGS_FSP, 0, "timetz", NULL, NULL, NULL),
	T("interval", OTHER, ARGS_FSP, 0, "interval", NULL, NULL, NULL),
	T("year", OTHER, ARGS_WIDTH, 0, NULL, "year", NULL, NULL),
	/* identifiers, documents, bytes */
	T("uuid", UUID, ARGS_NONE, GENERIC, "uuid", "char(36)", NULL, "stored as CHAR(36)"),
	T("json", JSON, ARGS_NONE, GENERIC, "json", "json", NULL, NULL),
	T("jsonb", JSON, ARGS_NONE, 0, "jsonb", NULL, NULL, NULL),
	T("blob", BINARY, ARGS_NONE, GENERIC, "blob", "blob", NULL, NULL),
	T("bytea", BINARY, ARGS_NONE, 0, "blob", NULL, "PostgreSQL's binary string", NULL),
	T("tinyblob", BINARY, ARGS_NONE, 0, NULL, "tinyblob", NULL, NULL),
	T("mediumblob", BINARY, ARGS_NONE, 0, NULL, "mediumblob", NULL, NULL),
	T("longblob", BINARY, ARGS_NONE, 0, NULL, "longblob", NULL, NULL),
	T("binary", BINARY, ARGS_LENGTH, 0, NULL, "binary", NULL, NULL),
	T("varbinary", BINARY, ARGS_LENGTH, 0, NULL, "varbinary", NULL, NULL),
	T("enum", ENUM, ARGS_VALUES, 0, NULL, "enum", NULL, NULL),
	T("set", ENUM, ARGS_VALUES, 0, NULL, "set", NULL, NULL),
	/* PostgreSQL's other types */
	T("inet", OTHER, ARGS_NONE, 0, "inet", NULL, NULL, NULL),
	T("cidr", OTHER, ARGS_NONE, 0, "cidr", NULL, NULL, NULL),
	T("macaddr", OTHER, ARGS_NONE, 0, "macaddr", NULL, NULL, NULL),
	T("macaddr8", OTHER, ARGS_NONE, 0, "macaddr8", NULL, NULL, NULL),
	T("xml", OTHER, ARGS_NONE, 0, "xml", NULL, NULL, NULL),
	T("tsvector", OTHER, ARGS_NONE, 0, "tsvector", NULL, NULL, NULL),
	T("tsquery", OTHER, ARGS_NONE, 0, "tsquery", NULL, NULL, NULL),
	T("int4range", OTHER, ARGS_NONE, 0, "int4range", NULL, NULL, NULL),
	T("int8range", OTHER, ARGS_NONE, 0, "int8range", NULL, NULL, NULL),
	T("numrange", OTHER, ARGS_NONE, 0, "numrange", NULL, NULL, NULL),
	T("tsrange", OTHER, ARGS_NONE, 0, "tsrange", NULL, NULL, NULL),
	T("tstzrange", OTHER, ARGS_NONE, 0, "tstzrange", NULL, NULL, NULL),
	T("daterange", OTHER, ARGS_NONE, 0, "daterange", NULL, NULL, NULL),
	T("line", OTHER, ARGS_NONE, 0, "line", NULL, NULL, NULL),
	T("lseg", OTHER, ARGS_NONE, 0, "lseg", NULL, NULL, NULL),
	T("box", OTHER, ARGS_NONE, 0, "box", NULL, NULL, NULL),
	T("path", OTHER, ARGS_NONE, 0, "path", NULL, NULL, NULL),
	T("circle", OTHER, ARGS_NONE, 0, "circle", NULL, NULL, NULL),
	/* geometry: both have point and polygon */
	T("point", OTHER, ARGS_NONE, 0, "point", "point", NULL, NULL),
	T("polygon", OTHER, ARGS_NONE, 0, "polygon", "polygon", NULL, NULL),
	T("geometry", OTHER, ARGS_NONE, 0, NULL, "geometry", NULL, NULL),
	T("linestring", OTHER, ARGS_NONE, 0, NULL, "linestring", NULL, NULL),
	T("multipoint", OTHER, ARGS_NONE, 0, NULL, "multipoint", NULL, NULL),
	T("multilinestring", OTHER, ARGS_NONE, 0, NULL, "multilinestring", NULL, NULL),
	T("multipolygon", OTHER, ARGS_NONE, 0, NULL, "multipolygon", NULL, NULL),
	T("geometrycollection", OTHER, ARGS_NONE, 0, NULL, "geometrycollection", NULL, NULL),
	T("inet4", OTHER, ARGS_NONE, 0, NULL, "inet4", NULL, NULL),
	T("inet6", OTHER, ARGS_NONE, 0, NULL, "inet6", NULL, NULL),
};

#undef T

enum { TYPE_COUNT = sizeof types / sizeof types[0] };

const char *vg_type_class_name(vg_type_class type_class)
{
	static const char *const names[] = {
		"unknown", "integer", "floating point", "decimal", "boolean", "string", "binary",
		"date and time", "date", "time", "uuid", "json", "enum", "other",
	};
	unsigned i = (unsigned)type_class;
	return i < sizeof names / sizeof names[0] ? names[i] : "unknown";
}

const char *vg_dialect_label(vg_db_type dialect)
{
	switch (dialect) {
	case VG_DB_SQLITE: return "SQLite";
	case VG_DB_POSTGRESQL: return "PostgreSQL";
	case VG_DB_MYSQL: return "MySQL";
	default: return "SQL";
	}
}

static const type_entry *find_entry(const char *name)
{
	for (size_t i = 0; i < TYPE_COUNT; i++)
		if (strcmp(types[i].name, name) == 0)
			return &types[i];
	return NULL;
}

/* The canonical name an entry has on a server dialect, NULL when that dialect lacks it. */
static const char *entry_canonical(const type_entry *e, vg_db_type dialect)
{
	return dialect == VG_DB_POSTGRESQL ? e->pg : dialect == VG_DB_MYSQL ? e->my : e->name;
}

static unsigned entry_dialects(const type_entry *e)
{
	unsigned bits = VG_DIALECT_BIT(VG_DB_SQLITE);
	if (e->pg)
		bits |= VG_DIALECT_BIT(VG_DB_POSTGRESQL);
	if (e->my)
		bits |= VG_DIALECT_BIT(VG_DB_MYSQL);
	return bits;
}

static int entry_in(const type_entry *e, vg_db_type dialect)
{
	if (dialect == VG_DB_POSTGRESQL)
		return e->pg != NULL;
	if (dialect == VG_DB_MYSQL)
		return e->my != NULL;
	return 1;
}

/* ---- reading the text ------------------------------------------------------------------ */

typedef struct shape {
	char base[96];
	const char *arg_text;    /* inside the parentheses, arena copy */
	int has_args;
	int is_unsigned;
	int is_array;
	const char *problem;
} shape;

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Splits "timestamp(3) with time zone", "int(11) unsigned zerofill", "integer[]". */
static int read_shape(shape *s, vg_arena *arena, const char *text)
{
	size_t k = 0;
	const char *p = text;
	while (*p) {
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (word_char(*p)) {
			const char *w = p;
			while (word_char(*p))
				p++;
			size_t n = (size_t)(p - w);
			if ((n == 8 && strncasecmp(w, "unsigned", 8) == 0) ||
			    (n == 8 && strncasecmp(w, "zerofill", 8) == 0)) {
				s->is_unsigned = 1;
			} else if (n == 6 && strncasecmp(w, "signed", 6) == 0) {
				/* the default */
			} else if (n == 5 && strncasecmp(w, "array", 5) == 0 && k > 0) {
				s->is_array = 1;
			} else {
				if (k + n + 2 > sizeof s->base) {
					s->problem = "the type name is too long";
					return 0;
				}
				if (k > 0)
					s->base[k++] = ' ';
				for (size_t i = 0; i < n; i++)
					s->base[k++] = (char)tolower((unsigned char)w[i]);
				s->base[k] = '\0';
			}
		} else if (*p == '(') {
			if (s->has_args || k == 0) {
				s->problem = k == 0 ? "the type has no name before '('" : "the type has two argument lists";
				return 0;
			}
			const char *open = ++p;
			char quote = 0;
			while (*p && (quote || *p != ')')) {
				if (quote && *p == quote && p[1] == quote)
					p++;
				else if (quote && *p == '\\' && p[1])
					p++;
				else if (*p == quote)
					quote = 0;
				else if (!quote && (*p == '\'' || *p == '"'))
					quote = *p;
				p++;
			}
			if (*p != ')') {
				s->problem = "a '(' is not closed";
				return 0;
			}
			s->arg_text = vg_arena_strndup(arena, open, (size_t)(p - open));
			if (!s->arg_text)
				return -1;
			s->has_args = 1;
			p++;
		} else if (*p == '[') {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
			if (*p != ']') {
				s->problem = "a '[' is not closed by ']'";
				return 0;
			}
			p++;
			s->is_array = 1;
		} else {
			s->problem = *p == ')' ? "a ')' has no '('" : "the type contains a character no type name has";
			return 0;
		}
	}
	if (k == 0 && !s->problem)
		s->problem = "the type is empty";
	return 0;
}

/* "10, 2" -> {10, 2}. Returns 0, or a problem. */
static const char *read_numbers(vg_sqltype *t, const char *text)
{
	const char *p = text;
	while (1) {
		while (isspace((unsigned char)*p))
			p++;
		if (!isdigit((unsigned char)*p))
			return "the type's arguments must be whole numbers";
		errno = 0;
		char *end;
		long v = strtol(p, &end, 10);
		if (errno || v > 1000000000L)
			return "a type argument is too large";
		if (t->arg_count == 2)
			return "the type has more than two arguments";
		t->args[t->arg_count++] = v;
		p = end;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			return NULL;
		if (*p != ',')
			return "the type's arguments must be whole numbers separated by commas";
		p++;
	}
}

/* enum('a','b') values, unquoted. Returns 0 ok, 1 problem (set), -1 out of memory. */
static int read_values(vg_sqltype *t, vg_arena *arena, const char *text)
{
	size_t cap = 1;
	for (const char *c = text; *c; c++)
		cap += *c == ',';
	const char **values = vg_arena_array(arena, cap, sizeof *values);
	char *buf = vg_arena_alloc(arena, strlen(text) + 1);
	if (!values || !buf)
		return -1;
	const char *p = text;
	size_t n = 0;
	while (1) {
		while (isspace((unsigned char)*p))
			p++;
		char quote = *p;
		if (quote != '\'' && quote != '"') {
			t->problem = "enum and set values must be quoted strings, e.g. enum('a','b')";
			return 1;
		}
		char *out = buf;
		values[n++] = buf;
		for (p++; *p; p++) {
			if (*p == quote && p[1] == quote) {
				*out++ = *p++;
			} else if (*p == '\\' && p[1]) {
				*out++ = *++p;
			} else if (*p == quote) {
				break;
			} else {
				*out++ = *p;
			}
		}
		if (*p != quote) {
			t->problem = "an enum value's quote is not closed";
			return 1;
		}
		*out++ = '\0';
		buf = out;
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (*p != ',' || n == cap) {
			t->problem = "enum values must be separated by commas";
			return 1;
		}
		p++;
	}
	t->values = values;
	t->value_count = n;
	return 0;
}

/* ---- normalising ----------------------------------------------------------------------- */

/* SQLite's affinity rules (https://sqlite.org/datatype3.html, 3.1) on a declared name. */
static const char *sqlite_affinity(const char *name)
{
	if (strstr(name, "int"))
		return "integer";
	if (strstr(name, "char") || strstr(name, "clob") || strstr(name, "text"))
		return "text";
	if (strstr(name, "blob"))
		return "blob";
	if (strstr(name, "real") || strstr(name, "floa") || strstr(name, "doub"))
		return "real";
	return "numeric";
}

static const char *affinity_label(const char *affinity)
{
	return strcmp(affinity, "integer") == 0 ? "INTEGER"
	       : strcmp(affinity, "real") == 0  ? "REAL"
	       : strcmp(affinity, "text") == 0  ? "TEXT"
	       : strcmp(affinity, "blob") == 0  ? "BLOB"
	                                        : "NUMERIC";
}

/* The storage class a vigil type class gets on SQLite, as render() writes it. */
static const char *sqlite_storage(vg_type_class cls, const char *name)
{
	switch (cls) {
	case VG_TYPE_INTEGER:
	case VG_TYPE_BOOLEAN: return "integer";
	case VG_TYPE_FLOAT: return "real";
	case VG_TYPE_DECIMAL: return "numeric";
	case VG_TYPE_BINARY: return "blob";
	case VG_TYPE_OTHER: return sqlite_affinity(name);
	default: return "text";
	}
}

/* The written form, normalised (lower-case, no spaces in arguments), to tell whether the
 * canonical name differs from what was written. */
static int values_form(vg_arena *arena, const vg_sqltype *t, const char **out);

static const char *plain_form(vg_arena *arena, const vg_sqltype *t)
{
	const char *args = "";
	if (t->values) {
		if (values_form(arena, t, &args) != 0)
			return NULL;
	} else if (t->arg_count == 1)
		args = vg_arena_printf(arena, "(%ld)", t->args[0]);
	else if (t->arg_count == 2)
		args = vg_arena_printf(arena, "(%ld,%ld)", t->args[0], t->args[1]);
	return vg_arena_printf(arena, "%s%s%s%s", t->base, args ? args : "",
	                       t->is_unsigned ? " unsigned" : "", t->is_array ? "[]" : "");
}

static int values_form(vg_arena *arena, const vg_sqltype *t, const char **out)
{
	size_t len = 0;
	for (size_t i = 0; i < t->value_count; i++)
		len += 2 * strlen(t->values[i]) + 3;
	char *s = vg_arena_alloc(arena, len + 3);
	if (!s)
		return -1;
	size_t k = 0;
	s[k++] = '(';
	for (size_t i = 0; i < t->value_count; i++) {
		if (i)
			s[k++] = ',';
		s[k++] = '\'';
		for (const char *c = t->values[i]; *c; c++) {
			if (*c == '\'')
				s[k++] = '\'';
			s[k++] = *c;
		}
		s[k++] = '\'';
	}
	s[k++] = ')';
	s[k] = '\0';
	*out = s;
	return 0;
}

static void set_problem(vg_sqltype *t, vg_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_problem(vg_sqltype *t, vg_arena *arena, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	t->known = 0;
	t->problem = vg_arena_vprintf(arena, fmt, ap);
	va_end(ap);
}

/* Checks the arguments against the kind and builds the canonical name on a server dialect.
 * Returns -1 on out of memory; otherwise sets canonical or problem. */
static int normalise_server(vg_sqltype *t, vg_arena *arena, const type_entry *e, const char **note)
{
	vg_db_type d = t->dialect;
	int mysql = d == VG_DB_MYSQL;
	const char *dialect = vg_dialect_label(d);
	const char *canon = entry_canonical(e, d);
	const char *suffix = "";
	*note = mysql ? e->my_note : e->pg_note;

	switch (e->args) {
	case ARGS_NONE:
		if (t->arg_count && !(mysql && (t->type_class == VG_TYPE_STRING ||
		                                t->type_class == VG_TYPE_BINARY))) {
			set_problem(t, arena, "%s's %s takes no arguments", dialect, t->base);
			return 0;
		}
		break;
	case ARGS_LENGTH:
		if (t->arg_count > 1) {
			set_problem(t, arena, "%s's %s takes one length argument", dialect, t->base);
			return 0;
		}
		if (t->arg_count == 1 && t->args[0] < 1) {
			set_problem(t, arena, "%s's %s needs a length of at least 1", dialect, t->base);
			return 0;
		}
		if (strcmp(e->name, "string") == 0) {
			/* string(n) is varchar(n) everywhere; plain string is text or varchar(255). */
			canon = "varchar";
			if (t->arg_count == 1)
				suffix = vg_arena_printf(arena, "(%ld)", t->args[0]);
			else if (mysql)
				suffix = "(255)";
			else
				canon = "text";
		} else if (t->arg_count == 1) {
			suffix = vg_arena_printf(arena, "(%ld)", t->args[0]);
		} else if (strcmp(canon, "char") == 0 || strcmp(canon, "bit") == 0 ||
		           strcmp(canon, "binary") == 0) {
			if (strcmp(e->name, "bpchar") != 0)
				suffix = "(1)"; /* char is char(1) in both */
		} else if (mysql && (strcmp(canon, "varchar") == 0 || strcmp(canon, "varbinary") == 0)) {
			set_problem(t, arena, "%s's %s needs a length, e.g. varchar(255)", dialect, canon);
			return 0;
		}
		break;
	case ARGS_PS:
		if (t->arg_count >= 1) {
			long p = t->args[0], s = t->arg_count == 2 ? t->args[1] : 0;
			long max_p = mysql ? 65 : 1000;
			if (p < 1 || p > max_p) {
				set_problem(t, arena, "%s's %s precision must be 1..%ld", dialect, t->base, max_p);
				return 0;
			}
			if (s > p || (mysql && s > 30)) {
				set_problem(t, arena, "%s's %s scale must not exceed its precision (or 30 on MySQL)", dialect, t->base);
				return 0;
			}
			suffix = vg_arena_printf(arena, "(%ld,%ld)", p, s);
		} else if (mysql) {
			suffix = "(10,0)"; /* MySQL's default precision */
		}
		break;
	case ARGS_FSP:
		if (t->arg_count > 1 || (t->arg_count == 1 && t->args[0] > 6)) {
			set_problem(t, arena, "%s's %s takes a fractional-seconds precision of 0..6", dialect, t->base);
			return 0;
		}
		if (t->arg_count == 1 && !(mysql && t->args[0] == 0))
			suffix = vg_arena_printf(arena, "(%ld)", t->args[0]);
		break;
	case ARGS_WIDTH:
		if (t->arg_count > 1 || (t->arg_count == 1 && !mysql)) {
			set_problem(t, arena, "%s's %s takes no length", dialect, t->base);
			return 0;
		}
		if (mysql && t->arg_count == 1 && strcmp(canon, "tinyint") == 0 && t->args[0] == 1 &&
		    !t->is_unsigned) {
			canon = "boolean";
			t->type_class = VG_TYPE_BOOLEAN;
			*note = "MySQL's boolean convention";
		} else if (t->arg_count == 1 && strcmp(canon, "year") != 0) {
			*note = "display width is ignored";
		}
		break;
	case ARGS_FLOAT:
		if (t->arg_count == 1) {
			if (t->args[0] < 1 || t->args[0] > 53) {
				set_problem(t, arena, "%s's %s precision must be 1..53", dialect, t->base);
				return 0;
			}
			canon = t->args[0] <= 24 ? "float" : "double";
			*note = t->args[0] <= 24 ? "precision up to 24 bits is a 4-byte float"
			                         : "precision over 24 bits is an 8-byte float";
		} else if (t->arg_count == 2 && !mysql) {
			set_problem(t, arena, "%s's %s takes one precision argument", dialect, t->base);
			return 0;
		}
		break;
	case ARGS_VALUES:
		if (!t->arg_text || t->value_count == 0) {
			if (!t->problem)
				set_problem(t, arena, "%s's %s needs its values, e.g. %s('a','b')", dialect, t->base, t->base);
			t->known = 0;
			return 0;
		}
		if (values_form(arena, t, &suffix) != 0)
			return -1;
		break;
	}

	if (t->is_unsigned) {
		if (!mysql) {
			set_problem(t, arena, "UNSIGNED is MySQL only (%s has no unsigned %s)", dialect, t->base);
			return 0;
		}
		if (t->type_class != VG_TYPE_INTEGER && t->type_class != VG_TYPE_FLOAT &&
		    t->type_class != VG_TYPE_DECIMAL) {
			set_problem(t, arena, "%s's %s cannot be UNSIGNED", dialect, t->base);
			return 0;
		}
	}
	if (t->is_array && d != VG_DB_POSTGRESQL) {
		set_problem(t, arena, "arrays are PostgreSQL only (%s has no %s[])", dialect, t->base);
		return 0;
	}
	if (strstr(canon, " unsigned"))
		t->is_unsigned = 1; /* MySQL's serial */
	int unsigned_suffix = t->is_unsigned && !strstr(canon, " unsigned");
	t->canonical = vg_arena_printf(arena, "%s%s%s%s", canon, suffix ? suffix : "",
	                               unsigned_suffix ? " unsigned" : "", t->is_array ? "[]" : "");
	t->known = t->canonical != NULL;
	return t->canonical ? 0 : -1;
}

/* The generic type to offer on a dialect that lacks a name another dialect has. */
static const char *portable_alternative(vg_arena *arena, const vg_sqltype *t)
{
	if (strcmp(t->base, "tinyint") == 0 || strcmp(t->base, "int1") == 0)
		return "smallint";
	switch (t->type_class) {
	case VG_TYPE_INTEGER: return "integer";
	case VG_TYPE_FLOAT: return "double";
	case VG_TYPE_DECIMAL: return "decimal";
	case VG_TYPE_BOOLEAN: return "boolean";
	case VG_TYPE_STRING:
		return t->arg_count == 1 ? vg_arena_printf(arena, "varchar(%ld)", t->args[0]) : "text";
	case VG_TYPE_BINARY: return "blob";
	case VG_TYPE_DATETIME: return "datetime";
	case VG_TYPE_DATE: return "date";
	case VG_TYPE_TIME: return "time";
	case VG_TYPE_UUID: return "uuid";
	case VG_TYPE_JSON: return "json";
	case VG_TYPE_ENUM: return "varchar(255)";
	default: return NULL;
	}
}

static void suggest_name(vg_sqltype *t, vg_arena *arena)
{
	const char *candidates[TYPE_COUNT];
	size_t n = 0;
	for (size_t i = 0; i < TYPE_COUNT; i++)
		if (entry_in(&types[i], t->dialect) || types[i].flags & GENERIC)
			candidates[n++] = types[i].name;
	const char *best = vg_suggest(t->base, candidates, n);
	if (best && strcmp(best, t->base) != 0)
		t->suggestion = t->arg_text ? vg_arena_printf(arena, "%s(%s)", best, t->arg_text)
		                            : best;
}

int vg_sqltype_parse(vg_sqltype *out, vg_arena *arena, const char *text, vg_db_type dialect)
{
	memset(out, 0, sizeof *out);
	out->dialect = dialect;
	if (!text)
		text = "";
	while (isspace((unsigned char)*text))
		text++;
	size_t len = strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	out->written = vg_arena_strndup(arena, text, len);
	if (!out->written)
		return -1;

	shape s;
	memset(&s, 0, sizeof s);
	if (read_shape(&s, arena, out->written) != 0)
		return -1;
	out->base = vg_arena_strdup(arena, s.base);
	if (!out->base)
		return -1;
	out->arg_text = s.arg_text;
	out->is_unsigned = s.is_unsigned;
	out->is_array = s.is_array;
	if (s.problem) {
		out->problem = s.problem;
		return 0;
	}

	const type_entry *e = find_entry(out->base);
	if (!e && out->base[0] == '_' && dialect == VG_DB_POSTGRESQL) {
		e = find_entry(out->base + 1); /* pg_catalog's array names: _int4 */
		if (e && e->pg)
			out->is_array = 1;
		else
			e = NULL;
	}
	if (!e) {
		out->problem = dialect == VG_DB_SQLITE
		                   ? vg_arena_printf(arena, "not a type name vigil knows (SQLite would give it %s affinity)",
		                                     affinity_label(sqlite_affinity(out->base)))
		                   : "not a type name vigil knows";
		suggest_name(out, arena);
		return out->problem ? 0 : -1;
	}
	out->type_class = e->cls;
	out->is_serial = (e->flags & SERIAL) != 0;
	out->known_in = entry_dialects(e);
	if (e->args == ARGS_VALUES) {
		if (out->arg_text && read_values(out, arena, out->arg_text) < 0)
			return -1;
	} else if (out->arg_text) {
		const char *problem = read_numbers(out, out->arg_text);
		if (problem) {
			out->problem = problem;
			return 0;
		}
	}
	if (out->problem)
		return 0;

	const char *note = NULL;
	if (dialect == VG_DB_POSTGRESQL || dialect == VG_DB_MYSQL) {
		if (!entry_in(e, dialect) && !(e->flags & GENERIC)) {
			const char *home = e->pg ? "PostgreSQL" : e->my ? "MySQL" : "SQLite";
			out->problem = vg_arena_printf(arena, "%s has no %s type (it is a%s %s type)",
			                               vg_dialect_label(dialect), out->base,
			                               home[0] == 'S' ? "n" : "", home);
			suggest_name(out, arena);
			if (!out->suggestion)
				out->suggestion = portable_alternative(arena, out);
			return out->problem ? 0 : -1;
		}
		if (normalise_server(out, arena, e, &note) != 0)
			return -1;
		if (!out->known)
			return out->problem ? 0 : -1;
	} else {
		/* SQLite (and an unknown dialect): any known name, stored by its class. */
		if (out->is_array) {
			out->problem = "arrays are PostgreSQL only";
			return 0;
		}
		out->canonical = sqlite_storage(e->cls, out->base);
		out->known = 1;
		note = vg_arena_printf(arena, "SQLite %s affinity", affinity_label(out->canonical));
	}
	const char *plain = plain_form(arena, out);
	if (!plain)
		return -1;
	if (strcmp(plain, out->canonical) != 0) {
		out->rule = note ? vg_arena_printf(arena, "%s → %s (%s)", out->written, out->canonical, note)
		                 : vg_arena_printf(arena, "%s → %s", out->written, out->canonical);
		if (!out->rule)
			return -1;
	}
	return 0;
}

int vg_sqltype_known(vg_arena *arena, const char *text, vg_db_type dialect)
{
	vg_sqltype t;
	return vg_sqltype_parse(&t, arena, text, dialect) == 0 && t.known;
}

int vg_sqltype_is_integer(const vg_sqltype *type)
{
	return type && type->known && type->type_class == VG_TYPE_INTEGER;
}

/* The canonical name without arguments, sign or array marks: "varchar(20)" -> "varchar". */
static size_t canonical_base_len(const char *canonical)
{
	size_t n = 0;
	while (canonical[n] && (isalnum((unsigned char)canonical[n]) || canonical[n] == '_'))
		n++;
	return n;
}

static int base_is(const char *canonical, const char *name)
{
	size_t n = canonical_base_len(canonical);
	return strlen(name) == n && strncmp(canonical, name, n) == 0;
}

/* The class a column's physical type has: MySQL's uuid is a char(36). */
static vg_type_class physical_class(const vg_sqltype *t)
{
	if (t->dialect == VG_DB_MYSQL && t->type_class == VG_TYPE_UUID)
		return VG_TYPE_STRING;
	return t->type_class;
}

int vg_sqltype_compatible(const vg_sqltype *a, const vg_sqltype *b)
{
	if (!a || !b || !a->known || !b->known)
		return 1; /* nothing to judge: unknown types are reported on their own */
	if (a->dialect != VG_DB_POSTGRESQL && a->dialect != VG_DB_MYSQL)
		return strcmp(a->canonical, b->canonical) == 0;
	vg_type_class ca = physical_class(a), cb = physical_class(b);
	if (ca != cb || a->is_array != b->is_array || a->is_unsigned != b->is_unsigned)
		return 0;
	switch (ca) {
	case VG_TYPE_STRING:
	case VG_TYPE_BINARY:
	case VG_TYPE_BOOLEAN:
		return 1;
	case VG_TYPE_DECIMAL:
		return strcmp(a->canonical, b->canonical) == 0;
	default: {
		size_t na = canonical_base_len(a->canonical), nb = canonical_base_len(b->canonical);
		return na == nb && strncmp(a->canonical, b->canonical, na) == 0;
	}
	}
}

/* ---- rendering ------------------------------------------------------------------------- */

static const char *spelling(vg_db_type dialect, const char *base)
{
	static const struct {
		vg_db_type dialect;
		const char *canonical, *ddl;
	} spellings[] = {
		{ VG_DB_POSTGRESQL, "float", "REAL" },
		{ VG_DB_POSTGRESQL, "double", "DOUBLE PRECISION" },
		{ VG_DB_POSTGRESQL, "decimal", "NUMERIC" },
		{ VG_DB_POSTGRESQL, "datetime", "TIMESTAMP" },
		{ VG_DB_POSTGRESQL, "blob", "BYTEA" },
		{ VG_DB_MYSQL, "integer", "INT" },
		{ VG_DB_MYSQL, "boolean", "TINYINT(1)" },
	};
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
		if (spellings[i].dialect == dialect && strcmp(spellings[i].canonical, base) == 0)
			return spellings[i].ddl;
	return NULL;
}

char *vg_sqltype_render_parsed(vg_arena *arena, const vg_sqltype *type)
{
	if (!type || !type->known || !type->canonical)
		return NULL;
	size_t n = canonical_base_len(type->canonical);
	char base[64];
	if (n >= sizeof base)
		return NULL;
	memcpy(base, type->canonical, n);
	base[n] = '\0';
	const char *ddl = spelling(type->dialect, base);
	char upper[64];
	if (!ddl) {
		for (size_t i = 0; i <= n; i++)
			upper[i] = (char)toupper((unsigned char)base[i]);
		ddl = upper;
	}
	/* Arguments and enum values as they are; the sign keyword upper-cased. */
	const char *rest = type->canonical + n;
	const char *sign = strstr(rest, " unsigned");
	if (!sign)
		return vg_arena_printf(arena, "%s%s", ddl, rest);
	return vg_arena_printf(arena, "%s%.*s UNSIGNED%s", ddl, (int)(sign - rest), rest,
	                       sign + strlen(" unsigned"));
}

char *vg_sqltype_render(vg_arena *arena, const char *text, vg_db_type dialect)
{
	vg_sqltype t;
	if (vg_sqltype_parse(&t, arena, text, dialect) != 0)
		return NULL;
	return vg_sqltype_render_parsed(arena, &t);
}

/* ---- defaults -------------------------------------------------------------------------- */

static int is_time_function(const char *v)
{
	static const char *const names[] = {
		"current_timestamp", "current_date", "current_time", "localtimestamp", "localtime",
		"now", "sysdate", "utc_timestamp", "utc_date", "utc_time", "statement_timestamp",
		"transaction_timestamp", "clock_timestamp",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i]);
		if (strncasecmp(v, names[i], n) != 0)
			continue;
		const char *rest = v + n;
		if (*rest == '\0')
			return strcmp(names[i], "now") != 0 && strcmp(names[i], "sysdate") != 0
			           ? 1
			           : 0;
		if (*rest == '(' && rest[strlen(rest) - 1] == ')')
			return 1;
	}
	/* SQLite's datetime('now'), date('now'), time('now'), strftime(...) */
	return strncasecmp(v, "datetime(", 9) == 0 || strncasecmp(v, "date(", 5) == 0 ||
	       strncasecmp(v, "time(", 5) == 0 || strncasecmp(v, "strftime(", 9) == 0;
}

/* name(...): an expression vigil does not evaluate. */
static int is_function_call(const char *v)
{
	const char *p = v;
	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
		p++;
	return *p == '(' && v[strlen(v) - 1] == ')';
}

static int is_number(const char *v, int allow_exponent)
{
	const char *p = v;
	if (*p == '+' || *p == '-')
		p++;
	int digits = 0;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	if (allow_exponent && (*p == 'e' || *p == 'E')) {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int two_digits(const char *p, int lo, int hi)
{
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return 0;
	int v = (p[0] - '0') * 10 + (p[1] - '0');
	return v >= lo && v <= hi;
}

/* HH:MM[:SS[.fff]] at *pp; advances. */
static int read_clock(const char **pp)
{
	const char *p = *pp;
	if (!two_digits(p, 0, 23) && !(p[0] == '2' && p[1] == '4' && strncmp(p + 2, ":00", 3) == 0))
		return 0;
	if (p[2] != ':' || !two_digits(p + 3, 0, 59))
		return 0;
	p += 5;
	if (*p == ':') {
		if (!two_digits(p + 1, 0, 60))
			return 0;
		p += 3;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return 0;
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	*pp = p;
	return 1;
}

/* Z, +hh, +hh:mm, +hhmm at *pp (optional). */
static void read_zone(const char **pp)
{
	const char *p = *pp;
	if (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z') {
		*pp = p + 1;
	} else if ((*p == '+' || *p == '-') && two_digits(p + 1, 0, 14)) {
		p += 3;
		if (*p == ':' && two_digits(p + 1, 0, 59))
			p += 3;
		else if (two_digits(p, 0, 59))
			p += 2;
		*pp = p;
	}
}

static int read_date(const char **pp)
{
	const char *p = *pp;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	if (strncmp(p, "0000-00-00", 10) == 0) { /* MySQL's zero date */
		*pp = p + 10;
		return 1;
	}
	if (p[4] != '-' || !two_digits(p + 5, 1, 12) || p[7] != '-' || !two_digits(p + 8, 1, 31))
		return 0;
	*pp = p + 10;
	return 1;
}

static int fits_temporal(vg_type_class cls, const char *v)
{
	/* PostgreSQL's special input values */
	static const char *const specials[] = { "now", "today", "tomorrow", "yesterday", "epoch",
		                                    "infinity", "-infinity", "allballs" };
	for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
		if (strcasecmp(v, specials[i]) == 0)
			return 1;
	const char *p = v;
	if (cls == VG_TYPE_TIME) {
		if (!read_clock(&p))
			return 0;
		read_zone(&p);
		return *p == '\0';
	}
	if (!read_date(&p))
		return 0;
	if (cls == VG_TYPE_DATE)
		return *p == '\0';
	if (*p == '\0')
		return 1;
	if (*p != ' ' && *p != 'T' && *p != 't')
		return 0;
	p++;
	if (!read_clock(&p))
		return 0;
	read_zone(&p);
	return *p == '\0';
}

static int fits_uuid(const char *v)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	const char *p = v;
	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, p++)
			if (!isxdigit((unsigned char)*p))
				return 0;
		if (g < 4 && *p++ != '-')
			return 0;
	}
	return *p == '\0';
}

static int fits_json(const char *v)
{
	cJSON *json = cJSON_ParseWithOpts(v, NULL, 1);
	cJSON_Delete(json);
	return json != NULL;
}

static const char *integer_problem(vg_arena *arena, const vg_sqltype *t, const char *v)
{
	if (!is_number(v, 0) || strchr(v, '.'))
		return "is not an integer";
	static const struct {
		const char *name;
		long long min, max;
		unsigned long long umax;
	} ranges[] = {
		{ "tinyint", -128, 127, 255ULL },
		{ "smallint", -32768, 32767, 65535ULL },
		{ "mediumint", -8388608, 8388607, 16777215ULL },
		{ "integer", -2147483648LL, 2147483647LL, 4294967295ULL },
	};
	int server = t->dialect == VG_DB_POSTGRESQL || t->dialect == VG_DB_MYSQL;
	if (t->is_unsigned) {
		if (v[0] == '-' && strspn(v + 1, "0") != strlen(v + 1))
			return "is negative, but the column is unsigned";
		errno = 0;
		unsigned long long u = strtoull(v[0] == '+' ? v + 1 : v, NULL, 10);
		for (size_t i = 0; server && i < sizeof ranges / sizeof ranges[0]; i++)
			if (base_is(t->canonical, ranges[i].name) && u > ranges[i].umax)
				return vg_arena_printf(arena, "is out of range for %s (0..%llu)", t->canonical,
				                       ranges[i].umax);
		return errno == ERANGE ? "is out of range for a 64-bit integer" : NULL;
	}
	errno = 0;
	long long x = strtoll(v, NULL, 10);
	if (errno == ERANGE)
		return "is out of range for a 64-bit integer";
	for (size_t i = 0; server && i < sizeof ranges / sizeof ranges[0]; i++)
		if (base_is(t->canonical, ranges[i].name) && (x < ranges[i].min || x > ranges[i].max))
			return vg_arena_printf(arena, "is out of range for %s (%lld..%lld)", t->canonical,
			                       ranges[i].min, ranges[i].max);
	return NULL;
}

static const char *decimal_problem(vg_arena *arena, const vg_sqltype *t, const char *v)
{
	if (!is_number(v, 0))
		return "is not a number";
	if (t->arg_count == 0 || !t->known)
		return NULL;
	long p = t->args[0], s = t->arg_count == 2 ? t->args[1] : 0;
	const char *d = v + (*v == '+' || *v == '-');
	while (*d == '0' && isdigit((unsigned char)d[1]))
		d++;
	size_t whole = strcspn(d, ".");
	if (whole == 1 && *d == '0')
		whole = 0;
	if ((long)whole > p - s)
		return vg_arena_printf(arena, "has too many digits for decimal(%ld,%ld) (at most %ld before the point)",
		                       p, s, p - s);
	return NULL;
}

static const char *string_problem(vg_arena *arena, const vg_sqltype *t, const char *v)
{
	if (t->dialect == VG_DB_SQLITE || t->dialect == VG_DB_UNKNOWN || !t->canonical)
		return NULL; /* SQLite does not enforce lengths */
	const char *open = t->canonical + canonical_base_len(t->canonical);
	if (*open != '(' || !(base_is(t->canonical, "varchar") || base_is(t->canonical, "char")))
		return NULL;
	long limit = strtol(open + 1, NULL, 10);
	size_t len = utf8_length(v);
	if ((long)len > limit)
		return vg_arena_printf(arena, "is longer than %s allows (%zu characters)", t->canonical, len);
	return NULL;
}

static const char *enum_problem(vg_arena *arena, const vg_sqltype *t, const char *v)
{
	if (!t->values)
		return NULL;
	int is_set = strcmp(t->base, "set") == 0;
	const char *p = v;
	do {
		size_t len = is_set ? strcspn(p, ",") : strlen(p);
		int found = 0;
		for (size_t i = 0; i < t->value_count && !found; i++)
			found = strlen(t->values[i]) == len && strncmp(t->values[i], p, len) == 0;
		if (!found && !(is_set && len == 0 && *v == '\0'))
			return vg_arena_printf(arena, "is not one of the %s's values", is_set ? "set" : "enum");
		p += len;
	} while (*p++ == ',');
	return NULL;
}

const char *vg_sqltype_default_problem(vg_arena *arena, const vg_sqltype *type,
                                       const char *literal)
{
	if (!type || !type->known || !literal)
		return NULL;
	while (isspace((unsigned char)*literal))
		literal++;
	size_t len = strlen(literal);
	while (len > 0 && isspace((unsigned char)literal[len - 1]))
		len--;
	char *v = vg_arena_strndup(arena, literal, len);
	if (!v)
		return NULL;
	if (strcasecmp(v, "null") == 0 || v[0] == '(')
		return NULL; /* NULL (nullability is another rule), or an expression */
	int quoted = len >= 2 && v[0] == '\'' && v[len - 1] == '\'';
	if (quoted) {
		/* A SQL string literal: strip the quotes, undouble '' */
		char *w = v;
		for (size_t i = 1; i + 1 < len; i++) {
			*w++ = v[i];
			if (v[i] == '\'' && v[i + 1] == '\'' && i + 2 < len)
				i++;
		}
		*w = '\0';
	} else {
		if (is_time_function(v)) {
			switch (type->type_class) {
			case VG_TYPE_DATETIME:
			case VG_TYPE_DATE:
			case VG_TYPE_TIME:
			case VG_TYPE_STRING:
			case VG_TYPE_OTHER:
				return NULL;
			default:
				return vg_arena_printf(arena, "is the current time, not a%s %s value",
				                       type->type_class == VG_TYPE_INTEGER ? "n" : "",
				                       vg_type_class_name(type->type_class));
			}
		}
		if (is_function_call(v))
			return NULL;
	}
	switch (type->type_class) {
	case VG_TYPE_INTEGER:
		return integer_problem(arena, type, v);
	case VG_TYPE_FLOAT:
		return is_number(v, 1) || strcasecmp(v, "nan") == 0 || strcasecmp(v, "infinity") == 0 ||
		               strcasecmp(v, "-infinity") == 0
		           ? NULL
		           : "is not a number";
	case VG_TYPE_DECIMAL:
		return decimal_problem(arena, type, v);
	case VG_TYPE_BOOLEAN: {
		static const char *const words[] = { "true", "false", "t", "f", "yes", "no", "y",
			                                 "n", "on", "off", "1", "0" };
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strcasecmp(v, words[i]) == 0)
				return NULL;
		return "is not a boolean (true or false)";
	}
	case VG_TYPE_STRING:
		return string_problem(arena, type, v);
	case VG_TYPE_DATETIME:
		return fits_temporal(VG_TYPE_DATETIME, v) ? NULL
		                                          : "is not a date and time (YYYY-MM-DD HH:MM:SS)";
	case VG_TYPE_DATE:
		return fits_temporal(VG_TYPE_DATE, v) ? NULL : "is not a date (YYYY-MM-DD)";
	case VG_TYPE_TIME:
		return fits_temporal(VG_TYPE_TIME, v) ? NULL : "is not a time of day (HH:MM:SS)";
	case VG_TYPE_UUID:
		return fits_uuid(v) ? NULL : "is not a UUID (8-4-4-4-12 hex digits)";
	case VG_TYPE_JSON:
		return fits_json(v) ? NULL : "is not valid JSON";
	case VG_TYPE_ENUM:
		return enum_problem(arena, type, v);
	default:
		return NULL;
	}
}
