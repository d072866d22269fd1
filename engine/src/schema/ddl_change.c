/* ddl_change.c — vigil_ddl_change values from the schema model (see ddl_change.h). */
#include "ddl_change.h"

#include <string.h>

static int is_sole_primary_key(const vg_schema_table *t, const char *column)
{
	return t->primary_key.count == 1 && strcmp(t->primary_key.names[0], column) == 0;
}

static vigil_ddl_change change_of(int kind, const vg_schema *schema, const char *table)
{
	return (vigil_ddl_change){
		.size = (uint32_t)sizeof(vigil_ddl_change),
		.kind = kind,
		.namespace_ = schema->namespace_name,
		.table = table,
	};
}

vigil_ddl_column vg_ddl_column_of(const vg_schema_table *table, const vg_schema_column *c)
{
	return (vigil_ddl_column){
		.name = c->name,
		.type = c->raw_type ? c->raw_type : "text",
		.nullable = c->nullable,
		.default_value = c->default_raw,
		.primary_key = is_sole_primary_key(table, c->name),
		.auto_increment = c->auto_increment,
		.unique = 0, /* every unique is in the table's list */
	};
}

static vigil_ddl_foreign_key foreign_key_of(const vg_schema_foreign_key *fk)
{
	return (vigil_ddl_foreign_key){ fk->name, fk->columns.names, fk->columns.count,
		                            fk->ref_table, fk->ref_columns.names, fk->ref_columns.count,
		                            fk->on_delete, fk->on_update };
}

/* The NULL-terminated column list CREATE_TABLE takes for a unique. */
static const char *const *unique_list(vg_arena *arena, const vg_schema_unique *u)
{
	const char **list = vg_arena_array(arena, u->columns.count + 1, sizeof *list);
	if (!list)
		return NULL;
	if (u->columns.count)
		memcpy(list, u->columns.names, u->columns.count * sizeof *list);
	list[u->columns.count] = NULL;
	return list;
}

int vg_ddl_create_table(vigil_ddl_change *out, vg_arena *arena, const vg_schema *schema,
                        const vg_schema_table *t, const char *name, int inline_fks,
                        const vg_ddl_extras *extras)
{
	static const vg_ddl_extras none = { 0 };
	const vg_ddl_extras *x = extras ? extras : &none;
	size_t ncols = t->column_count + x->column_count;
	size_t nuniq = t->unique_count + x->unique_count;
	size_t nfks = inline_fks ? t->foreign_key_count + x->foreign_key_count : 0;
	vigil_ddl_column *cols = vg_arena_array(arena, ncols + 1, sizeof *cols);
	const char *const **uniques = vg_arena_array(arena, nuniq + 1, sizeof *uniques);
	vigil_ddl_foreign_key *fks = vg_arena_array(arena, nfks + 1, sizeof *fks);
	if (!cols || !uniques || !fks)
		return -1;
	for (size_t i = 0; i < t->column_count; i++)
		cols[i] = vg_ddl_column_of(t, t->columns[i]);
	for (size_t i = 0; i < x->column_count; i++) {
		/* a live column the declared table lacks: kept as data, not as a key */
		vigil_ddl_column *c = &cols[t->column_count + i];
		*c = vg_ddl_column_of(t, x->columns[i]);
		c->primary_key = 0;
		c->auto_increment = 0;
	}
	for (size_t i = 0; i < nuniq; i++) {
		const vg_schema_unique *u = i < t->unique_count ? &t->uniques[i]
		                                                : x->uniques[i - t->unique_count];
		if (!(uniques[i] = unique_list(arena, u)))
			return -1;
	}
	for (size_t i = 0; i < nfks; i++)
		fks[i] = foreign_key_of(i < t->foreign_key_count ? &t->foreign_keys[i]
		                                                 : x->foreign_keys[i - t->foreign_key_count]);
	*out = change_of(VIGIL_DDL_CREATE_TABLE, schema, name ? name : t->name);
	out->columns = cols;
	out->column_count = ncols;
	out->key_columns = t->primary_key.count > 1 ? t->primary_key.names : NULL;
	out->key_count = t->primary_key.count > 1 ? t->primary_key.count : 0;
	out->uniques = uniques;
	out->unique_count = nuniq;
	out->foreign_keys = nfks ? fks : NULL;
	out->foreign_key_count = nfks;
	return 0;
}

void vg_ddl_drop_table(vigil_ddl_change *out, const vg_schema *schema, const char *table)
{
	*out = change_of(VIGIL_DDL_DROP_TABLE, schema, table);
}

void vg_ddl_column_change(vigil_ddl_change *out, int kind, const vg_schema *schema,
                          const vg_schema_table *table, const vg_schema_column *column,
                          vigil_ddl_column *slot)
{
	*slot = vg_ddl_column_of(table, column);
	*out = change_of(kind, schema, table->name);
	out->columns = slot;
	out->column_count = 1;
}

void vg_ddl_drop_column(vigil_ddl_change *out, const vg_schema *schema, const char *table,
                        const char *column, vigil_ddl_column *slot)
{
	*slot = (vigil_ddl_column){ .name = column, .nullable = 1 };
	*out = change_of(VIGIL_DDL_DROP_COLUMN, schema, table);
	out->columns = slot;
	out->column_count = 1;
}

void vg_ddl_add_foreign_key(vigil_ddl_change *out, const vg_schema *schema, const char *table,
                            const vg_schema_foreign_key *fk)
{
	*out = change_of(VIGIL_DDL_ADD_FOREIGN_KEY, schema, table);
	out->name = fk->name;
	out->key_columns = fk->columns.names;
	out->key_count = fk->columns.count;
	out->ref_table = fk->ref_table;
	out->ref_columns = fk->ref_columns.names;
	out->ref_count = fk->ref_columns.count;
	out->on_delete = fk->on_delete;
	out->on_update = fk->on_update;
}

void vg_ddl_create_index(vigil_ddl_change *out, const vg_schema *schema, const char *table,
                         const vg_schema_index *ix)
{
	*out = change_of(VIGIL_DDL_CREATE_INDEX, schema, table);
	out->name = ix->name;
	out->key_columns = ix->columns.names;
	out->key_count = ix->columns.count;
	out->unique = ix->unique;
}

void vg_ddl_add_unique(vigil_ddl_change *out, const vg_schema *schema, const char *table,
                       const vg_schema_unique *u)
{
	*out = change_of(VIGIL_DDL_ADD_UNIQUE, schema, table);
	out->name = u->name;
	out->key_columns = u->columns.names;
	out->key_count = u->columns.count;
	out->unique = 1;
}

void vg_ddl_set_primary_key(vigil_ddl_change *out, const vg_schema *schema,
                            const vg_schema_table *table)
{
	*out = change_of(VIGIL_DDL_SET_PRIMARY_KEY, schema, table->name);
	out->name = table->primary_key_name;
	out->key_columns = table->primary_key.count ? table->primary_key.names : NULL;
	out->key_count = table->primary_key.count;
}

void vg_ddl_drop_named(vigil_ddl_change *out, int kind, const vg_schema *schema,
                       const char *table, const char *name)
{
	*out = change_of(kind, schema, table);
	out->name = name;
}
