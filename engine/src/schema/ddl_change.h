/*
 * ddl_change.h — vigil_ddl_change values built from the engine's schema model, for a driver's
 * render_ddl (through vg_db_render). Shared by db.c (creating a declared schema) and
 * schema_fix.c (healing proposals), so both describe a table, a foreign key or an index to the
 * drivers the same way.
 *
 * The builders fill a caller-owned change; the arrays it points to come from `arena`, the
 * strings are the model's own (borrowed: the model must outlive the change).
 */
#ifndef VG_DDL_CHANGE_H
#define VG_DDL_CHANGE_H

#include <stddef.h>

#include "vigil/plugin.h"

#include "arena.h"
#include "schema.h"

/** Live elements a rebuilt table keeps beyond its declared definition (schema_fix.c). */
typedef struct vg_ddl_extras {
	const vg_schema_column *const *columns;      /* added after the declared columns, as
	                                                plain columns (no key, no auto-increment) */
	size_t column_count;
	const vg_schema_unique *const *uniques;
	size_t unique_count;
	const vg_schema_foreign_key *const *foreign_keys;
	size_t foreign_key_count;
} vg_ddl_extras;

/** One column as the drivers take it; `table` tells whether it is the sole primary key. */
vigil_ddl_column vg_ddl_column_of(const vg_schema_table *table, const vg_schema_column *column);

/**
 * CREATE_TABLE for `table` of `schema`: its columns, primary key, uniques, and its foreign
 * keys inline when `inline_fks` (SQLite) — else none (ADD_FOREIGN_KEY changes follow).
 * `name` (NULL: the table's own) is the name to create it under; `extras` (NULL: none) adds
 * live elements. 0, or -1 when memory runs out.
 */
int vg_ddl_create_table(vigil_ddl_change *out, vg_arena *arena, const vg_schema *schema,
                        const vg_schema_table *table, const char *name, int inline_fks,
                        const vg_ddl_extras *extras);

/** DROP_TABLE. */
void vg_ddl_drop_table(vigil_ddl_change *out, const vg_schema *schema, const char *table);

/** ADD_COLUMN (kind VIGIL_DDL_ADD_COLUMN) or ALTER_COLUMN with the column's definition;
 *  `column` is copied into `*slot`, which must live as long as the change. */
void vg_ddl_column_change(vigil_ddl_change *out, int kind, const vg_schema *schema,
                          const vg_schema_table *table, const vg_schema_column *column,
                          vigil_ddl_column *slot);

/** DROP_COLUMN of `column` (a name) from `table`; `slot` as above. */
void vg_ddl_drop_column(vigil_ddl_change *out, const vg_schema *schema, const char *table,
                        const char *column, vigil_ddl_column *slot);

/** ADD_FOREIGN_KEY. */
void vg_ddl_add_foreign_key(vigil_ddl_change *out, const vg_schema *schema, const char *table,
                            const vg_schema_foreign_key *fk);

/** CREATE_INDEX. */
void vg_ddl_create_index(vigil_ddl_change *out, const vg_schema *schema, const char *table,
                         const vg_schema_index *index);

/** ADD_UNIQUE. */
void vg_ddl_add_unique(vigil_ddl_change *out, const vg_schema *schema, const char *table,
                       const vg_schema_unique *unique);

/** SET_PRIMARY_KEY to `table`'s primary key (none: the current one is dropped). */
void vg_ddl_set_primary_key(vigil_ddl_change *out, const vg_schema *schema,
                            const vg_schema_table *table);

/** A change that names one object only: DROP_INDEX, DROP_FOREIGN_KEY. */
void vg_ddl_drop_named(vigil_ddl_change *out, int kind, const vg_schema *schema,
                       const char *table, const char *name);

#endif
