/*
 * db_sinks.h — what driver plugins fill through the ABI 1.1 host functions: a live schema
 * (into the engine's schema model), the connected user's privileges, and rendered DDL.
 * A sink belongs to one driver call on one thread; it is not locked.
 */
#ifndef VG_DB_SINKS_H
#define VG_DB_SINKS_H

#include <stddef.h>

#include "vigil/plugin.h"

#include "arena.h"
#include "schema.h"
#include "strmap.h"

struct vigil_schema_sink {
	vg_schema *schema;
	vg_strmap *tables;   /* name -> vigil_table_sink* */
	int failed;          /* a setter ran out of memory or was given bad arguments */
	const char *problem; /* the first such problem, for the error message */
};

struct vigil_table_sink {
	vigil_schema_sink *owner;
	vg_schema_table *table;
};

typedef struct vg_privilege {
	const char *object;    /* table name, or NULL for the database / server */
	const char *privilege; /* lower case, e.g. "select", "superuser" */
} vg_privilege;

struct vigil_privilege_sink {
	vg_arena *arena;
	vg_privilege *items;
	size_t count;
	size_t cap;
	int failed;
};

struct vigil_text_sink {
	char *text;          /* malloc'ed, NUL-terminated; NULL until something is appended */
	size_t length;
	size_t cap;
	size_t *ends; /* malloc'ed: where each text_append call (one statement) ended */
	size_t end_count, end_cap;
	int failed;
};

/** A schema sink over an unfinished model. NULL when memory runs out. */
vigil_schema_sink *vg_schema_sink_new(vg_arena *arena, vg_schema *schema);
/** A privilege sink allocating from `arena`. NULL when memory runs out. */
vigil_privilege_sink *vg_privilege_sink_new(vg_arena *arena);
/** Whether the user holds `privilege` on `object` (NULL: database-wide), counting "all". */
int vg_privilege_has(const vigil_privilege_sink *sink, const char *object, const char *privilege);
/** Releases a text sink's buffer and resets it (the struct itself is the caller's). */
void vg_text_sink_reset(vigil_text_sink *sink);

/* The host functions (installed in the host table by host.c). */
vigil_table_sink *vg_host_schema_add_table(vigil_schema_sink *sink, const char *name);
vigil_table_sink *vg_host_schema_table(vigil_schema_sink *sink, const char *name);
void vg_host_table_add_column(vigil_table_sink *table, const char *name, const char *raw_type,
                              int nullable, const char *default_value, int auto_increment);
void vg_host_table_set_primary_key(vigil_table_sink *table, const char *name,
                                   const char *const *columns, size_t count);
void vg_host_table_add_unique(vigil_table_sink *table, const char *name,
                              const char *const *columns, size_t count);
void vg_host_table_add_index(vigil_table_sink *table, const char *name,
                             const char *const *columns, size_t count, int unique);
void vg_host_table_add_foreign_key(vigil_table_sink *table, const char *name,
                                   const char *const *columns, size_t count,
                                   const char *ref_table, const char *const *ref_columns,
                                   size_t ref_count, const char *on_delete,
                                   const char *on_update);
void vg_host_privilege_add(vigil_privilege_sink *sink, const char *object, const char *privilege);
void vg_host_text_append(vigil_text_sink *out, const char *text);
int vg_host_render_type(const char *dialect, const char *type, char *buf, size_t size);
int vg_host_render_default(const char *dialect, const char *type, const char *value, char *buf,
                           size_t size);

#endif
