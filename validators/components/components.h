/*
 * components.h — level 2 (components): each component, database and declared schema on its
 * own. One check per theme, each in its own file; the helpers they share live in
 * components.c.
 */
#ifndef VG_COMPONENTS_H
#define VG_COMPONENTS_H

#include <stddef.h>

#include "run.h"
#include "sqltypes.h"

/* The checks (vigil_check_def.run). */
int vgc_check_stores(vigil_check_ctx *ctx, const vigil_host *host);
int vgc_check_ports(vigil_check_ctx *ctx, const vigil_host *host);
int vgc_check_databases(vigil_check_ctx *ctx, const vigil_host *host);
int vgc_check_tables(vigil_check_ctx *ctx, const vigil_host *host);
int vgc_check_foreign_keys(vigil_check_ctx *ctx, const vigil_host *host);
int vgc_check_migrations(vigil_check_ctx *ctx, const vigil_host *host);

/**
 * The closest `name` among `count` structs laid out `stride` bytes apart, each with a
 * `const char *` name at `name_offset` (vg_database, vg_table, vg_column, ...): a "did you
 * mean" candidate, or NULL.
 */
const char *vgc_suggest_among(const char *word, const void *items, size_t count, size_t stride,
                              size_t name_offset);

#define VGC_SUGGEST(word, array, count, type)                                               \
	vgc_suggest_among((word), (array), (count), sizeof(type), offsetof(type, name))

/** A scalar's text as written in the YAML (never expanded), or `fallback`. */
const char *vgc_written(const vg_node *node, const char *fallback);
/** True when a scalar, as written, holds a ${VAR} reference. */
int vgc_has_env(const vg_node *node);

/** Whether a column is part of its table's primary key (column-level flag or table-level list). */
int vgc_in_primary_key(const vg_table *table, const char *column);

/** "table.column" in the report's arena, for vg_object. */
const char *vgc_object(vigil_check_ctx *ctx, const char *table, const char *column);

/** A column's type read for its database's dialect; -1 when memory runs out. */
int vgc_column_type(vg_sqltype *out, vg_arena *scratch, const vg_database *db, const vg_column *col);

#endif
