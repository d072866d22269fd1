/* db_sinks.c — the ABI 1.1 host functions drivers fill: schema, privileges, DDL text. */
#include "db_sinks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql_default.h"
#include "sqltypes.h"

vigil_schema_sink *vg_schema_sink_new(vg_arena *arena, vg_schema *schema)
{
	vigil_schema_sink *sink = vg_arena_alloc(arena, sizeof *sink);
	if (!sink)
		return NULL;
	sink->schema = schema;
	sink->tables = vg_strmap_new(arena, 64);
	return sink->tables ? sink : NULL;
}

static void sink_fail(vigil_schema_sink *sink, const char *problem)
{
	if (!sink->failed)
		sink->problem = problem;
	sink->failed = 1;
}

/* Maps a schema-builder result onto the sink: duplicates are the driver's bug, not fatal. */
static void sink_check(vigil_schema_sink *sink, int rc, const char *what)
{
	if (rc == VG_SCHEMA_ENOMEM)
		sink_fail(sink, "out of memory while reading the schema");
	else if (rc == VG_SCHEMA_EINVAL)
		sink_fail(sink, what);
}

vigil_table_sink *vg_host_schema_add_table(vigil_schema_sink *sink, const char *name)
{
	if (!sink || !name || !*name)
		return NULL;
	vigil_table_sink *t = vg_strmap_get(sink->tables, name);
	if (t)
		return t;
	vg_schema_table *table = NULL;
	int rc = vg_schema_add_table(&table, sink->schema, name);
	if (rc != VG_SCHEMA_OK && rc != VG_SCHEMA_EEXISTS) {
		sink_check(sink, rc, "the driver reported a table without a name");
		return NULL;
	}
	t = vg_arena_alloc(sink->schema->arena, sizeof *t);
	if (!t || vg_strmap_put(sink->tables, table->name, t, NULL) < 0) {
		sink_fail(sink, "out of memory while reading the schema");
		return NULL;
	}
	t->owner = sink;
	t->table = table;
	return t;
}

vigil_table_sink *vg_host_schema_table(vigil_schema_sink *sink, const char *name)
{
	return sink && name ? vg_strmap_get(sink->tables, name) : NULL;
}

void vg_host_table_add_column(vigil_table_sink *t, const char *name, const char *raw_type,
                              int nullable, const char *default_value, int auto_increment)
{
	if (!t)
		return;
	int rc = vg_schema_table_add_column(NULL, t->table, name, raw_type, nullable != 0,
	                                    default_value, auto_increment != 0);
	sink_check(t->owner, rc, "the driver reported a column without a name");
}

void vg_host_table_set_primary_key(vigil_table_sink *t, const char *name,
                                   const char *const *columns, size_t count)
{
	if (!t)
		return;
	sink_check(t->owner, vg_schema_table_set_primary_key(t->table, name, columns, count),
	           "the driver reported an empty primary key");
}

void vg_host_table_add_unique(vigil_table_sink *t, const char *name, const char *const *columns,
                              size_t count)
{
	if (!t)
		return;
	sink_check(t->owner, vg_schema_table_add_unique(NULL, t->table, name, columns, count),
	           "the driver reported an empty unique constraint");
}

void vg_host_table_add_index(vigil_table_sink *t, const char *name, const char *const *columns,
                             size_t count, int unique)
{
	if (!t)
		return;
	sink_check(t->owner,
	           vg_schema_table_add_index(NULL, t->table, name, columns, count, unique != 0),
	           "the driver reported an empty index");
}

void vg_host_table_add_foreign_key(vigil_table_sink *t, const char *name,
                                   const char *const *columns, size_t count,
                                   const char *ref_table, const char *const *ref_columns,
                                   size_t ref_count, const char *on_delete,
                                   const char *on_update)
{
	if (!t)
		return;
	sink_check(t->owner,
	           vg_schema_table_add_foreign_key(NULL, t->table, name, columns, count, ref_table,
	                                           ref_columns, ref_count, on_delete, on_update),
	           "the driver reported an incomplete foreign key");
}

/* ---------------------------------------------------------------- privileges */

vigil_privilege_sink *vg_privilege_sink_new(vg_arena *arena)
{
	vigil_privilege_sink *sink = vg_arena_alloc(arena, sizeof *sink);
	if (sink)
		sink->arena = arena;
	return sink;
}

void vg_host_privilege_add(vigil_privilege_sink *sink, const char *object, const char *privilege)
{
	if (!sink || !privilege || !*privilege)
		return;
	if (sink->count == sink->cap) {
		size_t cap = sink->cap ? sink->cap * 2 : 32;
		vg_privilege *items = vg_arena_array(sink->arena, cap, sizeof *items);
		if (!items) {
			sink->failed = 1;
			return;
		}
		if (sink->count)
			memcpy(items, sink->items, sink->count * sizeof *items);
		sink->items = items;
		sink->cap = cap;
	}
	vg_privilege *p = &sink->items[sink->count];
	p->object = object ? vg_arena_strdup(sink->arena, object) : NULL;
	p->privilege = vg_arena_strdup(sink->arena, privilege);
	if (!p->privilege || (object && !p->object)) {
		sink->failed = 1;
		return;
	}
	sink->count++;
}

int vg_privilege_has(const vigil_privilege_sink *sink, const char *object, const char *privilege)
{
	for (size_t i = 0; sink && i < sink->count; i++) {
		const vg_privilege *p = &sink->items[i];
		int on_object = !p->object || (object && strcmp(p->object, object) == 0);
		if (!on_object)
			continue;
		if (strcmp(p->privilege, privilege) == 0 || strcmp(p->privilege, "superuser") == 0)
			return 1;
		/* "all" grants every privilege on its object, but never makes a superuser. */
		if (strcmp(p->privilege, "all") == 0 && strcmp(privilege, "superuser") != 0)
			return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- text */

void vg_host_text_append(vigil_text_sink *out, const char *text)
{
	if (!out || !text || out->failed)
		return;
	size_t n = strlen(text);
	if (out->length + n + 1 > out->cap) {
		size_t cap = out->cap ? out->cap : 256;
		while (cap < out->length + n + 1)
			cap *= 2;
		char *grown = realloc(out->text, cap);
		if (!grown) {
			out->failed = 1;
			return;
		}
		out->text = grown;
		out->cap = cap;
	}
	if (out->end_count == out->end_cap) {
		size_t cap = out->end_cap ? out->end_cap * 2 : 8;
		size_t *ends = realloc(out->ends, cap * sizeof *ends);
		if (!ends) {
			out->failed = 1;
			return;
		}
		out->ends = ends;
		out->end_cap = cap;
	}
	memcpy(out->text + out->length, text, n + 1);
	out->length += n;
	out->ends[out->end_count++] = out->length;
}

void vg_text_sink_reset(vigil_text_sink *sink)
{
	if (!sink)
		return;
	free(sink->text);
	free(sink->ends);
	memset(sink, 0, sizeof *sink);
}

int vg_host_render_type(const char *dialect, const char *type, char *buf, size_t size)
{
	vg_db_type db = vg_db_type_parse(dialect);
	if (db == VG_DB_UNKNOWN || !type || !buf || size == 0)
		return -1;
	/* A short-lived arena: DDL rendering is rare, and this keeps the call thread-safe. */
	vg_arena *arena = vg_arena_new();
	char *rendered = arena ? vg_sqltype_render(arena, type, db) : NULL;
	int rc = -1;
	if (rendered && strlen(rendered) < size) {
		memcpy(buf, rendered, strlen(rendered) + 1);
		rc = 0;
	}
	vg_arena_free(arena);
	return rc;
}

int vg_host_render_default(const char *dialect, const char *type, const char *value, char *buf,
                           size_t size)
{
	vg_db_type db = vg_db_type_parse(dialect);
	if (!buf || size == 0)
		return -1;
	buf[0] = '\0';
	if (db == VG_DB_UNKNOWN || !value)
		return -1;
	vg_arena *arena = vg_arena_new();
	if (!arena)
		return -1;
	vg_sqltype parsed;
	vg_type_class cls = VG_TYPE_UNKNOWN;
	if (type && vg_sqltype_parse(&parsed, arena, type, db) == 0)
		cls = parsed.type_class;
	const char *problem = NULL;
	const char *sql = vg_sql_default_sql(arena, db, cls, value, &problem);
	int rc = -1;
	if (sql && strlen(sql) < size) {
		memcpy(buf, sql, strlen(sql) + 1);
		rc = 0;
	} else {
		snprintf(buf, size, "%s",
		         sql       ? "is too long to render"
		         : problem ? problem
		                   : "out of memory");
	}
	vg_arena_free(arena);
	return rc;
}
