/*
 * tables.c — components.tables: each declared table on its own. Columns exist (VG232), types
 * are known for the dialect (VG216), keys and indexes name existing columns (VG217, VG218),
 * one primary key (VG224, VG225), auto-increment on an integer key (VG226), defaults fit
 * their types (VG229), index names unique where the dialect needs it (VG230).
 */
#include <string.h>

#include "components.h"
#include "sql_default.h"
#include "strmap.h"

/* ---- names ------------------------------------------------------------------------------- */

/* Reports every name of `list` the table lacks (VG217 / VG218). */
static void check_names_exist(vigil_check_ctx *ctx, const vg_database *db, const vg_table *t,
                              const vg_name_list *list, vg_code code, const char *what)
{
	for (size_t i = 0; i < list->count; i++) {
		const char *name = list->names[i];
		if (!name || vg_table_column(t, name))
			continue;
		const vg_node *at = list->nodes && list->nodes[i] ? list->nodes[i] : list->node;
		vigil_finding *f = vg_emit(ctx, code, at, "%s of table '%s' names column '%s', which the table does not have",
		                           what, t->name, name);
		vg_object(f, db->name, vgc_object(ctx, t->name, name));
		const char *near = VGC_SUGGEST(name, t->columns, t->column_count, vg_column);
		if (near)
			vg_hint(f, "did you mean '%s'?", near);
		else
			vg_hint(f, "name one of the table's columns, or add column '%s'", name);
	}
}

/* "(a, b)" of a name list, or of the columns flagged primary_key. */
static const char *list_text(vigil_check_ctx *ctx, const vg_name_list *list)
{
	const char *s = "";
	for (size_t i = 0; i < list->count && s; i++)
		s = vg_arena_printf(ctx->report->arena, "%s%s%s", s, i ? ", " : "",
		                    list->names[i] ? list->names[i] : "?");
	return s ? vg_arena_printf(ctx->report->arena, "(%s)", s) : "()";
}

static const char *flagged_pk_text(vigil_check_ctx *ctx, const vg_table *t)
{
	const char *s = "";
	size_t n = 0;
	for (size_t i = 0; i < t->column_count && s; i++)
		if (t->columns[i].primary_key)
			s = vg_arena_printf(ctx->report->arena, "%s%s%s", s, n++ ? ", " : "",
			                    t->columns[i].name ? t->columns[i].name : "?");
	return s ? vg_arena_printf(ctx->report->arena, "(%s)", s) : "()";
}

static void check_primary_key(vigil_check_ctx *ctx, const vg_database *db, const vg_table *t)
{
	size_t flagged = 0;
	for (size_t i = 0; i < t->column_count; i++)
		flagged += t->columns[i].primary_key != 0;
	const vg_name_list *pk = &t->primary_key;
	if (flagged == 0 && pk->count == 0) {
		vigil_finding *f = vg_emit(ctx, VG_NO_PRIMARY_KEY, t->name_node ? t->name_node : t->node,
		                           "table '%s' has no primary key", t->name);
		vg_object(f, db->name, t->name);
		vg_detail(f, "rows without a key cannot be updated or deleted one by one, nor referenced");
		if (vg_table_column(t, "id"))
			vg_hint(f, "mark a column `primary_key: true` (e.g. id), or add `primary_key: [...]` to the table");
		else
			vg_hint(f, "mark a column `primary_key: true`, or add `primary_key: [...]` to the table");
		return;
	}
	if (flagged == 0 || pk->count == 0)
		return;
	/* Both given: the same set of columns is fine, anything else is two primary keys. */
	int same = flagged == pk->count;
	for (size_t i = 0; i < pk->count && same; i++) {
		const vg_column *c = pk->names[i] ? vg_table_column(t, pk->names[i]) : NULL;
		same = c && c->primary_key;
	}
	if (same)
		return;
	vigil_finding *f = vg_emit(ctx, VG_MULTIPLE_PK, pk->node ? pk->node : t->node,
	                           "table '%s' declares its primary key twice, differently", t->name);
	vg_object(f, db->name, t->name);
	vg_detail(f, "columns marked primary_key: %s; table-level primary_key: %s",
	          flagged_pk_text(ctx, t), list_text(ctx, pk));
	vg_evidence(f, list_text(ctx, pk), flagged_pk_text(ctx, t));
	vg_hint(f, "keep one: either `primary_key: true` on the columns or the table's `primary_key:` list");
}

/* ---- columns ----------------------------------------------------------------------------- */

static void report_unknown_type(vigil_check_ctx *ctx, const vg_database *db, const vg_table *t,
                                const vg_column *c, const vg_sqltype *type)
{
	const char *written = vgc_written(c->type_node, c->type);
	vigil_finding *f = vg_emit(ctx, VG_UNKNOWN_COLUMN_TYPE, c->type_node ? c->type_node : c->node,
	                           "column '%s.%s' has type '%s', which is not a valid %s type",
	                           t->name, c->name, written, vg_dialect_label(db->type));
	vg_object(f, db->name, vgc_object(ctx, t->name, c->name));
	if (type->problem)
		vg_detail(f, "%s", type->problem);
	vg_evidence(f, type->suggestion, written);
	if (type->suggestion)
		vg_hint(f, "did you mean '%s'?", type->suggestion);
	else
		vg_hint(f, "use a generic type (string, varchar(n), text, integer, bigint, smallint, "
		           "float, double, decimal(p,s), boolean, datetime, date, time, uuid, json, "
		           "blob) or one %s has", vg_dialect_label(db->type));
}

static void check_auto_increment(vigil_check_ctx *ctx, const vg_database *db, const vg_table *t,
                                 const vg_column *c, const vg_sqltype *type)
{
	if (!c->auto_increment)
		return;
	int integer = !type->known || vg_sqltype_is_integer(type);
	int in_pk = vgc_in_primary_key(t, c->name);
	size_t pk_columns = t->primary_key.count;
	for (size_t i = 0; i < t->column_count && t->primary_key.count == 0; i++)
		pk_columns += t->columns[i].primary_key != 0;
	int sqlite_composite = db->type == VG_DB_SQLITE && in_pk && pk_columns > 1;
	if (integer && in_pk && !sqlite_composite)
		return;
	const vg_node *flag = c->node && c->node->kind == VG_NODE_MAP ? vg_map_get(c->node, "auto_increment") : NULL;
	const char *written = vgc_written(c->type_node, c->type);
	vigil_finding *f;
	if (!integer && !in_pk)
		f = vg_emit(ctx, VG_AUTO_INCREMENT, flag ? flag : c->node,
		            "column '%s.%s' is auto_increment, but its type '%s' is not an integer and it is not in the primary key",
		            t->name, c->name, written);
	else if (!integer)
		f = vg_emit(ctx, VG_AUTO_INCREMENT, flag ? flag : c->node,
		            "column '%s.%s' is auto_increment, but its type '%s' is not an integer",
		            t->name, c->name, written);
	else if (!in_pk)
		f = vg_emit(ctx, VG_AUTO_INCREMENT, flag ? flag : c->node,
		            "column '%s.%s' is auto_increment, but it is not in the primary key",
		            t->name, c->name);
	else
		f = vg_emit(ctx, VG_AUTO_INCREMENT, flag ? flag : c->node,
		            "column '%s.%s' is auto_increment in a composite primary key, which SQLite does not allow",
		            t->name, c->name);
	vg_object(f, db->name, vgc_object(ctx, t->name, c->name));
	vg_evidence(f, "an integer primary key column",
	            vg_arena_printf(ctx->report->arena, "%s%s", written, in_pk ? ", in the primary key" : ", not in the primary key"));
	if (sqlite_composite)
		vg_hint(f, "SQLite auto-increments only a single-column INTEGER PRIMARY KEY");
	else
		vg_hint(f, "auto-increment an integer primary key column (e.g. `id: integer, primary_key: true`), "
		           "or drop auto_increment here");
}

/* A default that fits its type but that vigil would not write as SQL (an expression outside
 * the dialect's allow-list): healing cannot set it, the schema check still compares it. */
static void check_default_written(vigil_check_ctx *ctx, vg_arena *scratch, const vg_database *db,
                                  const vg_table *t, const vg_column *c, const vg_sqltype *type,
                                  const char *written)
{
	const char *why = NULL;
	if (vg_sql_default_sql(scratch, db->type, type->type_class, written, &why) || !why)
		return;
	vigil_finding *f =
	        vg_emit(ctx, VG_DEFAULT_UNWRITTEN, c->default_node,
	                "default '%s' of column '%s.%s' %s: vigil will not write it into "
	                "SQL, so healing cannot set it",
	                written, t->name, c->name, why);
	vg_object(f, db->name, vgc_object(ctx, t->name, c->name));
	vg_detail(f, "a default is written as a literal of the column's type or as one of: %s",
	          vg_sql_default_allowed(scratch, db->type));
	vg_evidence(f, "a literal or an allowed expression", written);
	vg_hint(f, "write the default as a literal, or let the application's migrations set it");
}

static void check_default(vigil_check_ctx *ctx, vg_arena *scratch, const vg_database *db,
                          const vg_table *t, const vg_column *c, const vg_sqltype *type)
{
	const char *written = vg_scalar(c->default_node);
	if (!written || vgc_has_env(c->default_node) || db->type == VG_DB_UNKNOWN)
		return;
	if (vg_sql_default_is_code(db->type, written)) {
		vigil_finding *f = vg_emit(ctx, VG_DEFAULT_AS_CODE, c->default_node,
		                           "default of column '%s.%s' holds SQL, not a value",
		                           t->name, c->name);
		vg_object(f, db->name, vgc_object(ctx, t->name, c->name));
		vg_detail(f,
		          "a ';' or a comment outside quotes, or an open quote, would end or hide "
		          "the statement the default is written into; vigil refuses to write it");
		vg_evidence(f, "a literal or an allowed expression", written);
		vg_hint(f, "write a string default in single quotes ('a; b'), or one of: %s",
		        vg_sql_default_allowed(scratch, db->type));
		return;
	}
	if (!type->known)
		return;
	const char *problem = vg_sqltype_default_problem(scratch, type, written);
	if (!problem) {
		check_default_written(ctx, scratch, db, t, c, type, written);
		return;
	}
	vigil_finding *f = vg_emit(ctx, VG_BAD_DEFAULT, c->default_node,
	                           "default '%s' of column '%s.%s' %s", written, t->name, c->name,
	                           problem);
	vg_object(f, db->name, vgc_object(ctx, t->name, c->name));
	if (type->rule)
		vg_detail(f, "the column's type is %s", type->rule);
	else
		vg_detail(f, "the column's type is %s", type->canonical);
	vg_evidence(f, type->canonical, written);
	vg_hint(f, "give a default of the column's type, or change the type");
}

static int check_columns(vigil_check_ctx *ctx, vg_arena *scratch, const vg_database *db,
                         const vg_table *t)
{
	for (size_t i = 0; i < t->column_count; i++) {
		const vg_column *c = &t->columns[i];
		if (!c->name)
			continue;
		vg_sqltype type;
		memset(&type, 0, sizeof type);
		if (c->type && vgc_column_type(&type, scratch, db, c) != 0)
			return -1;
		if (c->type && !type.known && db->type != VG_DB_UNKNOWN && !vgc_has_env(c->type_node))
			report_unknown_type(ctx, db, t, c, &type);
		check_auto_increment(ctx, db, t, c, &type);
		check_default(ctx, scratch, db, t, c, &type);
	}
	return 0;
}

/* ---- indexes ----------------------------------------------------------------------------- */

static const vg_node *index_name_node(const vg_index *ix)
{
	const vg_node *n = ix->node && ix->node->kind == VG_NODE_MAP ? vg_map_get(ix->node, "name") : NULL;
	return n ? n : ix->node;
}

typedef struct index_owner {
	const vg_table *table;
	const vg_index *index;
} index_owner;

/* PostgreSQL and SQLite keep index names per database (schema); MySQL per table. */
static int check_index_names(vigil_check_ctx *ctx, vg_arena *scratch, const vg_database *db)
{
	int per_table = db->type == VG_DB_MYSQL;
	vg_strmap *seen = NULL;
	for (size_t ti = 0; ti < db->table_count; ti++) {
		const vg_table *t = &db->tables[ti];
		if (!seen || per_table) {
			seen = vg_strmap_new(scratch, 16);
			if (!seen)
				return -1;
		}
		for (size_t k = 0; k < t->index_count; k++) {
			const vg_index *ix = &t->indexes[k];
			if (!ix->name)
				continue;
			index_owner *owner = vg_arena_alloc(scratch, sizeof *owner);
			if (!owner)
				return -1;
			owner->table = t;
			owner->index = ix;
			void *existing = NULL;
			int put = vg_strmap_put(seen, ix->name, owner, &existing);
			if (put < 0)
				return -1;
			if (put == 1)
				continue;
			const index_owner *first = existing;
			vigil_finding *f = vg_emit(ctx, VG_DUPLICATE_INDEX, index_name_node(ix),
			                           "index name '%s' is used twice in database '%s'",
			                           ix->name, db->name);
			vg_object(f, db->name, ix->name);
			const vg_node *first_node = index_name_node(first->index);
			vg_detail(f, "the first is on table '%s'%s%s; %s keeps index names per %s", first->table->name,
			          first_node ? " at line " : "",
			          first_node ? vg_arena_printf(ctx->report->arena, "%u", first_node->line) : "",
			          vg_dialect_label(db->type), per_table ? "table" : "database");
			vg_hint(f, "rename one, e.g. '%s_%s'", t->name, ix->name);
		}
	}
	return 0;
}

int vgc_check_tables(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	vg_arena *scratch = vg_arena_new();
	if (!scratch) {
		ctx->out_of_memory = 1;
		return -1;
	}
	int rc = 0;
	for (size_t d = 0; d < bp->database_count && rc == 0; d++) {
		const vg_database *db = &bp->databases[d];
		const vg_node *tables = db->schema_node ? vg_map_get(db->schema_node, "tables")
		                                        : NULL;
		for (size_t i = 0; tables && tables->kind == VG_NODE_SEQ && i < tables->u.seq.count;
		     i++) {
			const vg_node *item = tables->u.seq.items[i];
			if (item->kind != VG_NODE_SCALAR || vg_is_null(item))
				continue;
			vigil_finding *f = vg_emit(
			        ctx, VG_TABLE_BY_NAME, item,
			        "database '%s' lists table '%s' by name only: it has no columns to check",
			        db->name, vg_scalar(item));
			vg_object(f, db->name, vg_scalar(item));
			vg_hint(f,
			        "give it as {name: %s, columns: [...]} to have its columns checked",
			        vg_scalar(item));
		}
		for (size_t ti = 0; ti < db->table_count && rc == 0; ti++) {
			const vg_table *t = &db->tables[ti];
			if (!t->name)
				continue;
			const vg_node *columns = t->node && t->node->kind == VG_NODE_MAP ? vg_map_get(t->node, "columns") : NULL;
			if (t->column_count == 0 && columns) {
				vigil_finding *f = vg_emit(ctx, VG_EMPTY_SCHEMA, columns,
				                           "table '%s' declares no columns", t->name);
				vg_object(f, db->name, t->name);
				vg_hint(f, "add its columns, e.g. {name: id, type: integer, primary_key: true}");
				continue;
			}
			rc = check_columns(ctx, scratch, db, t);
			check_names_exist(ctx, db, t, &t->primary_key, VG_PK_COLUMN, "the primary key");
			for (size_t u = 0; u < t->unique_count; u++)
				check_names_exist(ctx, db, t, &t->uniques[u], VG_PK_COLUMN, "a unique constraint");
			for (size_t k = 0; k < t->index_count; k++) {
				const vg_index *ix = &t->indexes[k];
				const char *what = ix->name ? vg_arena_printf(ctx->report->arena, "index '%s'", ix->name)
				                            : "an index";
				check_names_exist(ctx, db, t, &ix->columns, VG_INDEX_COLUMN, what ? what : "an index");
			}
			check_primary_key(ctx, db, t);
		}
		if (rc == 0)
			rc = check_index_names(ctx, scratch, db);
	}
	vg_arena_free(scratch);
	if (rc != 0)
		ctx->out_of_memory = 1;
	return rc;
}
