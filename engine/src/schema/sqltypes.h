/*
 * sqltypes.h — what vigil knows about column types, per dialect (SQLite, PostgreSQL, MySQL).
 *
 * A blueprint writes column types in vigil's generic vocabulary (string, varchar(n), text,
 * integer, bigint, smallint, float, double, decimal(p,s), boolean, datetime, date, time,
 * uuid, json, blob) or as real schemas spell them (int4, character varying(n), bpchar,
 * timestamptz, tinyint(1), mediumtext, ...). Both are read here into one shape, and
 * normalised to a canonical name per dialect, so that two spellings of one physical type
 * compare equal ("int4" and "integer" on PostgreSQL, "tinyint(1)" and "boolean" on MySQL,
 * "varchar(200)" and "text" on SQLite, which stores both as TEXT):
 *
 *   PostgreSQL: smallint integer bigint float(4-byte) double decimal(p,s) boolean varchar(n)
 *               char(n) text datetime(timestamp) timestamptz date time timetz uuid json jsonb
 *               blob(bytea) ... and its other types (inet, interval, ...) by their own names;
 *               arrays end in "[]".
 *   MySQL:      tinyint smallint mediumint integer bigint (+ " unsigned") float double
 *               decimal(p,s) boolean(tinyint(1)) varchar(n) char(n) text tinytext mediumtext
 *               longtext datetime timestamp date time year json blob binary varbinary
 *               enum(...) set(...) ...; uuid is char(36).
 *   SQLite:     the storage class a declared type gets: integer real numeric text blob.
 *
 * vg_sqltype_render() goes the other way, from a (generic) type to the DDL spelling of a
 * dialect: boolean -> BOOLEAN / TINYINT(1) / INTEGER, datetime -> TIMESTAMP / DATETIME / TEXT.
 */
#ifndef VG_SQLTYPES_H
#define VG_SQLTYPES_H

#include <stddef.h>

#include "arena.h"
#include "blueprint.h"

typedef enum vg_type_class {
	VG_TYPE_UNKNOWN = 0,
	VG_TYPE_INTEGER,
	VG_TYPE_FLOAT,    /* float, double, real */
	VG_TYPE_DECIMAL,  /* exact numeric */
	VG_TYPE_BOOLEAN,
	VG_TYPE_STRING,   /* varchar, char, text family */
	VG_TYPE_BINARY,   /* blob, bytea, varbinary */
	VG_TYPE_DATETIME, /* a date and a time, with or without time zone */
	VG_TYPE_DATE,
	VG_TYPE_TIME,
	VG_TYPE_UUID,
	VG_TYPE_JSON,
	VG_TYPE_ENUM,     /* MySQL enum(...) and set(...) */
	VG_TYPE_OTHER,    /* inet, interval, geometry, ...: known, compared by name */
} vg_type_class;

/** A bit per dialect, for vg_sqltype.known_in: VG_DIALECT_BIT(VG_DB_MYSQL). */
#define VG_DIALECT_BIT(type) (1u << (unsigned)(type))

/** A column type read for one dialect. Strings live in the arena given to the parser. */
typedef struct vg_sqltype {
	vg_db_type dialect;         /* the dialect it was read for */
	const char *written;        /* the text as given, trimmed */
	const char *base;           /* lower-cased name without arguments and modifiers, words
	                               single-spaced: "character varying", "int" */
	const char *arg_text;       /* what was inside the parentheses, as written, or NULL */
	long args[2];               /* numeric arguments: (n) or (p, s) */
	size_t arg_count;
	const char **values;        /* enum/set values, unquoted, or NULL */
	size_t value_count;
	int is_unsigned;            /* MySQL UNSIGNED */
	int is_array;               /* PostgreSQL array: integer[], _int4, integer array */
	int is_serial;              /* serial, bigserial, ...: an auto-increment integer */
	vg_type_class type_class;
	int known;                  /* the dialect has this type, with these arguments */
	unsigned known_in;          /* VG_DIALECT_BITs of the dialects whose type this name is */
	const char *canonical;      /* normalised name on the dialect, e.g. "integer",
	                               "varchar(200)", "bigint unsigned"; NULL when not known */
	const char *rule;           /* which normalisation applied, e.g. "int4 → integer
	                               (PostgreSQL alias)"; NULL when written canonically */
	const char *problem;        /* why it is not known, e.g. "MySQL has no jsonb type";
	                               NULL when known */
	const char *suggestion;     /* for an unknown name: the closest known spelling, with the
	                               written arguments ("varchar(20)"), or NULL */
} vg_sqltype;

/**
 * Reads `text` as a column type of `dialect` (VG_DB_UNKNOWN: any dialect's names are
 * accepted, normalised as on SQLite). Always fills `*out`, known or not; returns 0, or -1
 * when memory runs out.
 */
int vg_sqltype_parse(vg_sqltype *out, vg_arena *arena, const char *text, vg_db_type dialect);

/** Whether `text` is a type `dialect` knows (a shortcut over vg_sqltype_parse). */
int vg_sqltype_known(vg_arena *arena, const char *text, vg_db_type dialect);

/** True for integer types (smallint ... bigint, serial): those that can auto-increment. */
int vg_sqltype_is_integer(const vg_sqltype *type);

/**
 * Whether a foreign-key column of type `a` can reference a column of type `b` (both read
 * for one dialect) without a conversion: same class, and the same size and sign for
 * integers, the same precision for decimals; string lengths may differ.
 */
int vg_sqltype_compatible(const vg_sqltype *a, const vg_sqltype *b);

/** The DDL spelling of a parsed type in its dialect ("TINYINT(1)"); NULL when not known. */
char *vg_sqltype_render_parsed(vg_arena *arena, const vg_sqltype *type);

/** The DDL spelling of `text` in `dialect`; NULL when the type is not known there. */
char *vg_sqltype_render(vg_arena *arena, const char *text, vg_db_type dialect);

/**
 * Whether a column default, as written (`0`, `'abc'`, `false`, `CURRENT_TIMESTAMP`,
 * `now()`), fits the type. Returns NULL when it fits or cannot be judged (an expression,
 * a function call, an unknown type), else why not, as a phrase that follows the value:
 * "is not an integer", "is longer than varchar(5) allows (7 characters)".
 */
const char *vg_sqltype_default_problem(vg_arena *arena, const vg_sqltype *type,
                                       const char *literal);

/** "integer", "string", ...: the class's name. */
const char *vg_type_class_name(vg_type_class type_class);

/** "SQLite" / "PostgreSQL" / "MySQL" / "SQL": how messages name a dialect. */
const char *vg_dialect_label(vg_db_type dialect);

#endif
