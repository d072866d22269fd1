/*
 * foreign_keys.c — components.foreign-keys: each foreign key of a declared schema references
 * a declared table (VG219), names columns that exist on both sides (VG220), as many on each
 * side (VG221), of compatible types (VG222), and a target that is a primary key or unique
 * (VG223).
 */
#include <stdio.h>
#include <string.h>

#include "components.h"

static const char *fk_label(vigil_check_ctx *ctx, const vg_table *t, const vg_foreign_key *fk)
{
	const char *s = fk->name ? vg_arena_printf(ctx->report->arena, "foreign key '%s' of table '%s'", fk->name, t->name)
	                         : vg_arena_printf(ctx->report->arena, "a foreign key of table '%s'", t->name);
	return s ? s : "a foreign key";
}

/* Reports the names of `list` that `t` lacks; returns how many. */
static size_t missing_columns(vigil_check_ctx *ctx, const vg_database *db, const vg_table *t,
                              const vg_name_list *list, const char *label, const char *side)
{
	size_t missing = 0;
	for (size_t i = 0; i < list->count; i++) {
		const char *name = list->names[i];
		if (!name || vg_table_column(t, name))
			continue;
		missing++;
		const vg_node *at = list->nodes && list->nodes[i] ? list->nodes[i] : list->node;
		vigil_finding *f = vg_emit(ctx, VG_FK_COLUMN, at, "%s names %s column '%s.%s', which does not exist",
		                           label, side, t->name, name);
		vg_object(f, db->name, vgc_object(ctx, t->name, name));
		const char *near = VGC_SUGGEST(name, t->columns, t->column_count, vg_column);
		if (near)
			vg_hint(f, "did you mean '%s'?", near);
		else
			vg_hint(f, "name a column of table '%s'", t->name);
	}
	return missing;
}

/* Whether the set `names` equals the set `other` (order-insensitive). */
static int same_set(const vg_name_list *names, const char *const *other, size_t other_count)
{
	if (names->count != other_count)
		return 0;
	for (size_t i = 0; i < names->count; i++) {
		int found = 0;
		for (size_t j = 0; j < other_count && !found; j++)
			found = names->names[i] && other[j] && strcmp(names->names[i], other[j]) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

/* The referenced columns are the target's primary key or one of its unique sets. */
static int references_key(const vg_table *target, const vg_name_list *refs)
{
	/* Either declaration of the primary key counts (when they differ, VG225 says so). */
	if (target->primary_key.count &&
	    same_set(refs, target->primary_key.names, target->primary_key.count))
		return 1;
	{
		size_t flagged = 0;
		for (size_t i = 0; i < target->column_count; i++)
			flagged += target->columns[i].primary_key != 0;
		int all = flagged == refs->count;
		for (size_t i = 0; i < refs->count && all; i++) {
			const vg_column *c = vg_table_column(target, refs->names[i]);
			all = c && c->primary_key;
		}
		if (all && flagged)
			return 1;
	}
	if (refs->count == 1) {
		const vg_column *c = vg_table_column(target, refs->names[0]);
		if (c && c->unique)
			return 1;
	}
	for (size_t u = 0; u < target->unique_count; u++)
		if (same_set(refs, target->uniques[u].names, target->uniques[u].count))
			return 1;
	for (size_t k = 0; k < target->index_count; k++)
		if (target->indexes[k].unique &&
		    same_set(refs, target->indexes[k].columns.names, target->indexes[k].columns.count))
			return 1;
	return 0;
}

static const char *type_text(const vg_sqltype *t)
{
	return t->rule ? t->rule : t->canonical;
}

static int check_types(vigil_check_ctx *ctx, vg_arena *scratch, const vg_database *db,
                       const vg_table *t, const vg_foreign_key *fk, const vg_table *target)
{
	if (db->type == VG_DB_UNKNOWN)
		return 0;
	for (size_t i = 0; i < fk->columns.count; i++) {
		const vg_column *from = vg_table_column(t, fk->columns.names[i]);
		const vg_column *to = vg_table_column(target, fk->ref_columns.names[i]);
		if (!from || !to || !from->type || !to->type)
			continue;
		vg_sqltype a, b;
		if (vgc_column_type(&a, scratch, db, from) != 0 || vgc_column_type(&b, scratch, db, to) != 0)
			return -1;
		if (!a.known || !b.known || vg_sqltype_compatible(&a, &b))
			continue;
		const vg_node *at = fk->columns.nodes && fk->columns.nodes[i] ? fk->columns.nodes[i] : fk->node;
		vigil_finding *f = vg_emit(ctx, VG_FK_TYPE, at,
		                           "foreign key column '%s.%s' is %s, but '%s.%s' it references is %s",
		                           t->name, from->name, a.canonical, target->name, to->name,
		                           b.canonical);
		vg_object(f, db->name, vgc_object(ctx, t->name, from->name));
		vg_detail(f, "%s.%s: %s; %s.%s: %s (types compared after %s normalisation)", t->name,
		          from->name, type_text(&a), target->name, to->name, type_text(&b),
		          vg_dialect_label(db->type));
		vg_evidence(f, b.canonical, a.canonical);
		vg_hint(f, "give '%s.%s' the type of '%s.%s' (%s)", t->name, from->name, target->name,
		        to->name, vgc_written(to->type_node, to->type));
	}
	return 0;
}

static int check_foreign_key(vigil_check_ctx *ctx, vg_arena *scratch, const vg_database *db,
                             const vg_table *t, const vg_foreign_key *fk)
{
	const char *label = fk_label(ctx, t, fk);
	size_t missing = missing_columns(ctx, db, t, &fk->columns, label, "its own");
	if (!fk->ref_table)
		return 0; /* references.table is required: level 1's finding */
	const vg_table *target = vg_database_table(db, fk->ref_table);
	if (!target) {
		vigil_finding *f = vg_emit(ctx, VG_FK_TABLE, fk->ref_table_node ? fk->ref_table_node : fk->node,
		                           "%s references table '%s', which database '%s' does not declare",
		                           label, fk->ref_table, db->name);
		vg_object(f, db->name, fk->ref_table);
		const char *near = VGC_SUGGEST(fk->ref_table, db->tables, db->table_count, vg_table);
		if (near)
			vg_hint(f, "did you mean '%s'?", near);
		else
			vg_hint(f, "declare table '%s' in the schema, or reference one that exists", fk->ref_table);
		return 0;
	}
	missing += missing_columns(ctx, db, target, &fk->ref_columns, label, "referenced");
	if (fk->ref_columns.node && fk->columns.count != fk->ref_columns.count) {
		vigil_finding *f = vg_emit(ctx, VG_FK_ARITY, fk->ref_columns.node,
		                           "%s has %zu column%s but references %zu", label, fk->columns.count,
		                           fk->columns.count == 1 ? "" : "s", fk->ref_columns.count);
		vg_object(f, db->name, t->name);
		char expected[32], actual[32];
		snprintf(expected, sizeof expected, "%zu", fk->columns.count);
		snprintf(actual, sizeof actual, "%zu", fk->ref_columns.count);
		vg_evidence(f, expected, actual);
		vg_hint(f, "list as many referenced columns as the foreign key has, in the same order");
		return 0;
	}
	if (missing || fk->ref_columns.count == 0)
		return 0;
	if (check_types(ctx, scratch, db, t, fk, target) != 0)
		return -1;
	if (!references_key(target, &fk->ref_columns)) {
		vigil_finding *f = vg_emit(ctx, VG_FK_NOT_KEY, fk->ref_columns.node,
		                           "%s references columns of '%s' that are neither its primary key nor unique",
		                           label, target->name);
		vg_object(f, db->name, target->name);
		vg_detail(f, "a foreign key must point at exactly one row: its target columns need a "
		             "primary key or a unique constraint");
		if (fk->ref_columns.count == 1)
			vg_hint(f, "reference the primary key of '%s', or mark '%s.%s' unique: true",
			        target->name, target->name, fk->ref_columns.names[0]);
		else
			vg_hint(f, "reference the primary key of '%s', or add these columns to its `unique:` list",
			        target->name);
	}
	return 0;
}

int vgc_check_foreign_keys(vigil_check_ctx *ctx, const vigil_host *host)
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
		for (size_t ti = 0; ti < db->table_count && rc == 0; ti++) {
			const vg_table *t = &db->tables[ti];
			for (size_t k = 0; t->name && k < t->foreign_key_count && rc == 0; k++)
				rc = check_foreign_key(ctx, scratch, db, t, &t->foreign_keys[k]);
		}
	}
	vg_arena_free(scratch);
	if (rc != 0)
		ctx->out_of_memory = 1;
	return rc;
}
