/*
 * schema_diff.h — what differs between the schema a blueprint declares and the one a database
 * holds (both vg_schema models of one dialect, finished).
 *
 * Tables and columns are matched by name through hash look-ups, so the diff is linear in the
 * size of the schemas. Constraints are matched per table: by name when the declared one has a
 * name, else by their column list (blueprint uniques and unnamed indexes/foreign keys get
 * names only in the database). Types compare by their canonical name in the dialect
 * (varchar(200) = character varying(200), int = int4, boolean = tinyint(1) on MySQL); defaults
 * by their normalised form. What databases do by themselves is not drift: the index behind a
 * primary key or unique constraint, the index MySQL adds for a foreign key, a unique
 * constraint on the primary key's columns, a unique index standing for a unique constraint
 * (and the other way round), RESTRICT for NO ACTION on MySQL.
 *
 * The differences come sorted by table, then kind (the enum's order), then object name.
 * Everything is allocated from the arena given.
 */
#ifndef VG_SCHEMA_DIFF_H
#define VG_SCHEMA_DIFF_H

#include <stddef.h>

#include "arena.h"
#include "schema.h"
#include "yaml_tree.h"

typedef enum vg_schema_diff_kind {
	VG_SCHEMA_MISSING_TABLE = 0,
	VG_SCHEMA_EXTRA_TABLE,
	VG_SCHEMA_MISSING_COLUMN,
	VG_SCHEMA_EXTRA_COLUMN,
	VG_SCHEMA_TYPE_MISMATCH,
	VG_SCHEMA_NULLABILITY_MISMATCH,
	VG_SCHEMA_DEFAULT_MISMATCH,
	VG_SCHEMA_AUTO_INCREMENT_MISMATCH,
	VG_SCHEMA_PRIMARY_KEY_MISMATCH,
	VG_SCHEMA_MISSING_UNIQUE,
	VG_SCHEMA_EXTRA_UNIQUE,
	VG_SCHEMA_MISSING_INDEX,
	VG_SCHEMA_EXTRA_INDEX,
	VG_SCHEMA_INDEX_MISMATCH,
	VG_SCHEMA_MISSING_FOREIGN_KEY,
	VG_SCHEMA_EXTRA_FOREIGN_KEY,
	VG_SCHEMA_FOREIGN_KEY_MISMATCH,
	VG_SCHEMA_DIFF_KIND_COUNT
} vg_schema_diff_kind;

/** The model element a difference is about, on one side (NULL where that side has none). */
typedef union vg_schema_ref {
	const void *any;
	const vg_schema_table *table;              /* tables and primary keys */
	const vg_schema_column *column;
	const vg_schema_unique *unique;
	const vg_schema_index *index;
	const vg_schema_foreign_key *foreign_key;
} vg_schema_ref;

typedef struct vg_schema_difference {
	vg_schema_diff_kind kind;
	const char *table;
	const char *object;        /* column / constraint name, or its column list "(a, b)" when
	                              unnamed; NULL for tables and primary keys */
	const char *expected;      /* the declared side in words ("varchar(200)", "not null",
	                              "(done)"); NULL for extra_* */
	const char *actual;        /* the live side; NULL for missing_* */
	/* type_mismatch: the canonical types (NULL when not known) and the normalisation rules
	 * applied ("int4 → integer (PostgreSQL alias)", both sides joined by "; "), with
	 * `expected`/`actual` holding the raw types; default_mismatch: the normalised defaults
	 * (NULL: none), with `expected`/`actual` holding the raw defaults. */
	const char *expected_canonical;
	const char *actual_canonical;
	const char *rule;
	const vg_node *node;       /* the declared element's YAML node, or NULL */
	const vg_schema_table *declared_table;
	const vg_schema_table *live_table;
	vg_schema_ref declared;
	vg_schema_ref live;
} vg_schema_difference;

typedef struct vg_schema_diff_result {
	vg_schema_difference *items; /* sorted, see above */
	size_t count;
	size_t tables_compared;      /* tables in both */
	size_t columns_compared;     /* columns in both */
	size_t unmanaged_skipped;    /* tables and objects left out as unmanaged (either side) */
} vg_schema_diff_result;

/**
 * Compares `declared` with `live`. `unmanaged` lists what is not the blueprint's to judge:
 * a table name ("spatial_ref_sys"), or "table.object" for one column, index or constraint
 * of a table ("tasks.legacy_flag"); a trailing '*' matches any ending ("tmp_*", "tasks.x_*").
 * Unmanaged objects are skipped on both sides. Returns 0, VG_SCHEMA_ENOMEM, or
 * VG_SCHEMA_EINVAL when a model is missing/unfinished or the dialects differ.
 */
int vg_schema_diff(vg_arena *arena, const vg_schema *declared, const vg_schema *live,
                   const char *const *unmanaged, size_t unmanaged_count,
                   vg_schema_diff_result *out);

/**
 * What a comparison of blueprint database `database` leaves out: its `unmanaged:` names plus
 * its migration history table, NULL-terminated, from `arena`; *count gets how many. NULL
 * when memory runs out.
 */
const char **vg_schema_diff_unmanaged(vg_arena *arena, const vg_database *database,
                                      size_t *count);

/** "missing_table", "type_mismatch", ...: the kind's stable name. */
const char *vg_schema_diff_kind_name(vg_schema_diff_kind kind);

/**
 * One line for a difference, e.g. "column tasks.title: type varchar(100), expected
 * varchar(200)" or "index tasks.tasks_done_idx: missing, expected (done)". NULL when memory
 * runs out.
 */
const char *vg_schema_diff_describe(vg_arena *arena, const vg_schema_difference *diff);

#endif
