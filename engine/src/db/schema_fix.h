/*
 * schema_fix.h — the change that removes one schema difference (schema_diff.h): SQL rendered
 * by the database's own driver (vg_db_render) and how risky it is to apply.
 *
 * Per kind (declared element from the difference's `declared`, live from `live`):
 *   missing_table        CREATE_TABLE (+ ADD_FOREIGN_KEY and CREATE_INDEX; SQLite: foreign
 *                        keys inline)                                         SAFE
 *   missing_column       ADD_COLUMN; SAFE when nullable or with a default, else DATA_DEPENDENT
 *   type / nullability / default / auto_increment mismatch
 *                        ALTER_COLUMN to the declared definition; DATA_DEPENDENT when it
 *                        changes the type, makes the column NOT NULL or auto-increment,
 *                        else SAFE. (The statement restates the whole column, so every
 *                        mismatch of one column gets the same SQL and the same risk.)
 *   missing_index        CREATE_INDEX: SAFE (a unique index: DATA_DEPENDENT)
 *   missing_unique       ADD_UNIQUE                                           DATA_DEPENDENT
 *   missing_foreign_key  ADD_FOREIGN_KEY                                      DATA_DEPENDENT
 *   primary_key / index / foreign_key mismatch
 *                        drop + create (SET_PRIMARY_KEY for keys)             DATA_DEPENDENT
 *   extra_table / extra_column / extra index, unique, foreign key
 *                        DROP_*                                               DESTRUCTIVE
 *
 * SQLite cannot alter a column or add or drop a constraint of an existing table: where its
 * driver says UNSUPPORTED, the proposal rebuilds the table (sqlite.org/lang_altertable.html,
 * "Making Other Kinds Of Table Schema Changes"): CREATE TABLE of the declared table under a
 * temporary name, INSERT ... SELECT of the common columns, DROP TABLE, ALTER TABLE ... RENAME
 * TO, the indexes again. The rebuilt table keeps what the live one has beyond the declaration
 * (columns, indexes, uniques, foreign keys), so a rebuild loses nothing: DATA_DEPENDENT. The
 * extra uniques and foreign keys go through a second rebuild that leaves them out
 * (DESTRUCTIVE). Once a table needs a rebuild, every difference of that table the rebuild
 * removes gets that same rebuild (CREATE INDEX after it would fail: the index is there), and
 * rebuilding twice is harmless, so the proposals still compose. The SQL has no PRAGMA
 * foreign_keys (it runs inside a transaction, where that PRAGMA does nothing): when other
 * tables reference the table, the applier switches foreign keys off before the transaction
 * and runs PRAGMA foreign_key_check after it.
 *
 * Composing: proposals made against the same live schema can be applied together, in the
 * ascending order of their `order` (ties in the differences' order); vg_schema_fix_make_all
 * does that bookkeeping and gives each repeated statement once.
 */
#ifndef VG_SCHEMA_FIX_H
#define VG_SCHEMA_FIX_H

#include <stddef.h>

#include "vigil/plugin.h"

#include "arena.h"
#include "db.h"          /* vg_db, vg_db_render */
#include "schema.h"
#include "schema_diff.h" /* vg_schema_difference */

/** The phases of applying proposals together: `order` of a vg_schema_fix. */
enum vg_schema_fix_order {
	VG_SCHEMA_FIX_DROP_FOREIGN_KEYS = 10, /* before the columns and tables they hold */
	VG_SCHEMA_FIX_CREATE_TABLES = 20,     /* + the depth of references to other new tables */
	VG_SCHEMA_FIX_COLUMNS = 30,           /* add / alter columns, primary keys, SQLite rebuilds */
	VG_SCHEMA_FIX_KEYS = 40,              /* indexes and uniques */
	VG_SCHEMA_FIX_FOREIGN_KEYS = 50,      /* once the tables and keys they reference exist */
	VG_SCHEMA_FIX_DROP_CONSTRAINTS = 60,  /* SQLite: the rebuild without extra constraints */
	VG_SCHEMA_FIX_DROP_INDEXES = 70,      /* extra indexes and uniques */
	VG_SCHEMA_FIX_DROP_COLUMNS = 80,      /* after their indexes and constraints */
	VG_SCHEMA_FIX_DROP_TABLES = 90,
};

typedef struct vg_schema_fix {
	const char *sql;   /* statements ending in ';' in the database's dialect, or NULL */
	int risk;          /* vigil_risk (VIGIL_RISK_SAFE / _DATA_DEPENDENT / _DESTRUCTIVE, vigil/plugin.h) */
	const char *note;  /* why there is no sql, or a caveat; NULL */
	int order;         /* vg_schema_fix_order: apply proposals in ascending order */
	int rebuild;       /* 1: the sql rebuilds the table (SQLite) */
	size_t covered_by; /* vg_schema_fix_make_all: the index of the difference whose sql is the
	                      same (sql NULL here: apply that one); SIZE_MAX otherwise */
} vg_schema_fix;

/* The change that removes difference `d` found between `declared` and `live` (both finished,
 * same dialect as db), rendered through the driver (vg_db_render). Everything from `arena`.
 * 0 (out->sql may be NULL with a note), or -1 with err filled (out of memory, driver error). */
int vg_schema_fix_make(vg_db *db, vg_arena *arena, const vg_schema *declared, const vg_schema *live,
                       const vg_schema_difference *d, vg_schema_fix *out, vigil_db_error *err);

/**
 * The proposals for every difference of `diff` (found between `declared` and `live`):
 * `*fixes` gets diff->count of them, index-aligned; a proposal whose SQL an earlier one (in
 * apply order) already has gets sql NULL and covered_by. `*order` (may be NULL) gets the
 * indexes in the order to apply them. 0, or -1 with err filled.
 */
int vg_schema_fix_make_all(vg_db *db, vg_arena *arena, const vg_schema *declared,
                           const vg_schema *live, const vg_schema_diff_result *diff,
                           vg_schema_fix **fixes, size_t **order, vigil_db_error *err);

#endif
