/*
 * schema.h — the engine's model of a database schema: what the blueprint declares and what a
 * live database holds, in one shape, so the two can be compared (schema_diff.h).
 *
 * A model belongs to one dialect. Driver plugins fill it while introspecting a live database
 * (through the host's setters, which call the builder below); vg_schema_from_declared() fills
 * it from a blueprint database. Both sides pass through the same normalisation, so that what
 * a database does implicitly does not read as drift:
 *   - each column's type is read with vg_sqltype_parse for the dialect (raw and canonical);
 *   - defaults are normalised: casts ('x'::character varying), outer parentheses and quotes
 *     stripped; nextval(...) marks the column auto-increment; now()/CURRENT_TIMESTAMP/
 *     current_timestamp() are one value; boolean literals follow the dialect (PostgreSQL
 *     true/false, MySQL and SQLite 1/0); NULL means no default; numbers lose redundant zeros;
 *   - serial, identity and AUTO_INCREMENT are one flag (auto_increment); SQLite's INTEGER
 *     PRIMARY KEY (the rowid) counts as auto-increment;
 *   - primary-key and serial columns are NOT NULL;
 *   - foreign-key actions are lower-case "cascade" / "restrict" / "set null" / "set default" /
 *     "no action" ("no action" when not given).
 *
 * Memory: everything lives in the arena given to vg_schema_new (strings are copied). Nothing
 * is freed separately. Elements built from a blueprint keep their YAML node (`node`) so that
 * findings can point at blueprint lines; for live elements it is NULL.
 *
 * Building: add tables, then their columns (in ordinal order) and constraints, in any table
 * order; table and column pointers stay valid (a constraint pointer only until the table
 * gets its next constraint of that kind). vg_schema_finish() then sorts the
 * tables by name, applies the implicit rules above and records dangling references in
 * `problems`. Look-ups by name work while building and after.
 */
#ifndef VG_SCHEMA_H
#define VG_SCHEMA_H

#include <stddef.h>

#include "arena.h"
#include "blueprint.h"
#include "sqltypes.h"
#include "strmap.h"
#include "yaml_tree.h"

/* Results of the builder: 0 or one of these. */
enum {
	VG_SCHEMA_OK = 0,
	VG_SCHEMA_ENOMEM = -1,   /* out of memory */
	VG_SCHEMA_EEXISTS = -2,  /* a table or column of that name is already there */
	VG_SCHEMA_EINVAL = -3,   /* a NULL/empty name or list, or the schema is already finished */
};

/** An ordered list of column names. */
typedef struct vg_schema_names {
	const char **names;
	size_t count;
} vg_schema_names;

typedef struct vg_schema_column {
	const char *name;
	const char *raw_type;       /* as written / as the database reports it; NULL if not given */
	const vg_sqltype *type;     /* read for the dialect, never NULL (shared by the columns
	                               spelling it alike): type->canonical (NULL when not known),
	                               type->rule (the normalisation applied, or NULL) */
	int nullable;
	const char *default_raw;    /* as written / reported; NULL: no default */
	const char *default_value;  /* normalised (see above); NULL: no default */
	int auto_increment;         /* serial / identity / AUTO_INCREMENT / nextval / rowid */
	size_t ordinal;             /* 1-based position in the table */
	const vg_node *node;        /* declared: the column's mapping; live: NULL */
	const vg_node *type_node;
	const vg_node *default_node;
} vg_schema_column;

typedef struct vg_schema_unique {
	const char *name;           /* NULL when unnamed (blueprint uniques are) */
	vg_schema_names columns;
	const vg_node *node;
} vg_schema_unique;

typedef struct vg_schema_index {
	const char *name;           /* NULL when unnamed */
	vg_schema_names columns;
	int unique;
	const vg_node *node;
} vg_schema_index;

typedef struct vg_schema_foreign_key {
	const char *name;           /* NULL when unnamed */
	vg_schema_names columns;
	const char *ref_table;
	vg_schema_names ref_columns;
	const char *on_delete;      /* normalised action, never NULL ("no action" by default) */
	const char *on_update;
	const vg_node *node;
} vg_schema_foreign_key;

typedef struct vg_schema vg_schema;

typedef struct vg_schema_table {
	const char *name;
	vg_schema *schema;          /* the model it belongs to */
	vg_schema_column **columns; /* in ordinal order */
	size_t column_count;
	vg_strmap *column_index;    /* name -> vg_schema_column* */
	vg_schema_names primary_key; /* ordered; count 0: none */
	const char *primary_key_name; /* as the database names it, or NULL */
	const vg_node *primary_key_node;
	vg_schema_unique *uniques;
	size_t unique_count;
	vg_schema_index *indexes;
	size_t index_count;
	vg_schema_foreign_key *foreign_keys;
	size_t foreign_key_count;
	const vg_node *node;        /* declared: the table's mapping; live: NULL */
	size_t position;            /* index in schema->tables once finished */
	/* builder capacities */
	size_t column_cap, unique_cap, index_cap, foreign_key_cap;
} vg_schema_table;

struct vg_schema {
	vg_arena *arena;
	vg_db_type dialect;
	const char *namespace_name; /* PostgreSQL schema / MySQL database, or NULL */
	int declared;               /* built from a blueprint (changes the SQLite rowid rule) */
	int finished;
	vg_schema_table **tables;   /* sorted by name once finished */
	size_t table_count;
	size_t table_cap;
	vg_strmap *table_index;     /* name -> vg_schema_table* */
	vg_strmap *type_cache;      /* raw type -> vg_sqltype*, parsed once per spelling */
	const char **problems;      /* from vg_schema_finish: "index tasks.x names column y, which
	                               tasks does not have", ... */
	size_t problem_count;
	size_t problem_cap;
};

/** A new, empty model. `namespace_name` may be NULL. NULL when memory runs out. */
vg_schema *vg_schema_new(vg_arena *arena, vg_db_type dialect, const char *namespace_name);

/**
 * Adds a table. `*out` (if given) gets the new table — or the existing one, with
 * VG_SCHEMA_EEXISTS, when the name is taken.
 */
int vg_schema_add_table(vg_schema_table **out, vg_schema *schema, const char *name);

/**
 * Adds a column at the next ordinal. `raw_type` as reported (may be NULL when unknown);
 * `default_raw` NULL for none; `auto_increment` for serial/identity/AUTO_INCREMENT (a
 * nextval(...) default and a serial type set it too). `*out` as for tables.
 */
int vg_schema_table_add_column(vg_schema_column **out, vg_schema_table *table, const char *name,
                               const char *raw_type, int nullable, const char *default_raw,
                               int auto_increment);

/** Sets (replaces) the primary key. `name` may be NULL. */
int vg_schema_table_set_primary_key(vg_schema_table *table, const char *name,
                                    const char *const *columns, size_t count);

/** Adds a unique constraint. `name` may be NULL. `*out` (if given) gets it (valid until the
 * next unique is added to this table). */
int vg_schema_table_add_unique(vg_schema_unique **out, vg_schema_table *table, const char *name,
                               const char *const *columns, size_t count);

/** Adds an index (one not created implicitly for a PK or unique constraint). */
int vg_schema_table_add_index(vg_schema_index **out, vg_schema_table *table, const char *name,
                              const char *const *columns, size_t count, int unique);

/**
 * Adds a foreign key. Actions are read case-insensitively ("SET NULL", "set_null", "CASCADE");
 * NULL or empty means "no action"; an unknown action is kept, lower-cased.
 */
int vg_schema_table_add_foreign_key(vg_schema_foreign_key **out, vg_schema_table *table,
                                    const char *name, const char *const *columns, size_t count,
                                    const char *ref_table, const char *const *ref_columns,
                                    size_t ref_count, const char *on_delete,
                                    const char *on_update);

/**
 * Completes the model: sorts tables by name, makes PK and serial columns NOT NULL, applies
 * SQLite's rowid rule, and lists references to missing columns/tables in `problems`
 * (not an error: the diff still works). After it, the builder refuses changes.
 */
int vg_schema_finish(vg_schema *schema);

/**
 * The model a blueprint database declares, finished, in the database's dialect (namespace
 * from `schema: {namespace: ...}`). Column-level primary_key/unique flags are merged with
 * the table-level lists; `nullable` defaults to true except for primary-key columns.
 * A table or column without a name, or a second one of a name, cannot be modelled and is
 * left out (the structure validators report it) with a note in `problems`.
 * NULL when memory runs out.
 */
vg_schema *vg_schema_from_declared(vg_arena *arena, const vg_database *db);

/* Look-ups by name (hash): NULL when absent. */
vg_schema_table *vg_schema_table_get(const vg_schema *schema, const char *name);
vg_schema_column *vg_schema_column_get(const vg_schema_table *table, const char *name);

/**
 * Normalises a column default (see the header comment) of a column of `type_class`: `*out`
 * gets the normalised text, or NULL when it means "no default" (NULL, null, nextval(...)).
 * `*auto_increment` (if given) is set to 1 for nextval(...). 0, or VG_SCHEMA_ENOMEM.
 */
int vg_schema_normalise_default(const char **out, vg_arena *arena, vg_db_type dialect,
                                vg_type_class type_class, const char *raw, int *auto_increment);

/** The normalised foreign-key action ("no action" for NULL/empty); lower-cased if unknown. */
const char *vg_schema_normalise_action(vg_arena *arena, const char *action);

/** Whether two normalised actions behave the same on `dialect` (MySQL: restrict = no action). */
int vg_schema_actions_equal(vg_db_type dialect, const char *a, const char *b);

/** "(a, b)" */
const char *vg_schema_names_text(vg_arena *arena, const vg_schema_names *names);

/** Whether two name lists are equal, in order. */
int vg_schema_names_equal(const vg_schema_names *a, const vg_schema_names *b);

#endif
