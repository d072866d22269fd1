/*
 * stores.c — components.stores: a Store names a database that exists, and a table that the
 * database's schema declares (VG201..VG204). Any component that names a database is held to
 * the database and table rules; only Stores must name them.
 */
#include <string.h>

#include "components.h"

static int is_store(const vg_component *c)
{
	return c->type && strcmp(c->type, "Store") == 0;
}

/* "a, b, c" of the blueprint's database names (at most a handful), for details. */
static const char *database_names(vigil_check_ctx *ctx, const vg_blueprint *bp)
{
	const char *list = "";
	size_t shown = bp->database_count < 8 ? bp->database_count : 8;
	for (size_t i = 0; i < shown && list; i++)
		list = vg_arena_printf(ctx->report->arena, "%s%s%s", list, i ? ", " : "",
		                       bp->databases[i].name ? bp->databases[i].name : "?");
	if (list && bp->database_count > shown)
		list = vg_arena_printf(ctx->report->arena, "%s, ...", list);
	return list ? list : "";
}

/* Does the database's schema list `table` by name only (tables: [orders, ...])? */
static int listed_by_name(const vg_database *db, const char *table)
{
	const vg_node *tables = vg_map_get(db->schema_node, "tables");
	for (size_t i = 0; tables && tables->kind == VG_NODE_SEQ && i < tables->u.seq.count; i++) {
		const char *name = vg_scalar(tables->u.seq.items[i]);
		if (tables->u.seq.items[i]->kind == VG_NODE_SCALAR && name &&
		    strcmp(name, table) == 0)
			return 1;
	}
	return 0;
}

static void check_database_named(vigil_check_ctx *ctx, const vg_component *c)
{
	const vg_blueprint *bp = ctx->blueprint;
	const vg_database *db = vg_blueprint_database(bp, c->database);
	if (!db) {
		vigil_finding *f = vg_emit(ctx, VG_UNKNOWN_DATABASE, c->database_node,
		                           "component '%s' names database '%s', which the blueprint does not declare",
		                           c->name, c->database);
		if (bp->database_count)
			vg_detail(f, "declared databases: %s", database_names(ctx, bp));
		else
			vg_detail(f, "the blueprint declares no databases");
		const char *near = VGC_SUGGEST(c->database, bp->databases, bp->database_count, vg_database);
		if (near)
			vg_hint(f, "did you mean '%s'?", near);
		else
			vg_hint(f, "declare '%s' under system.databases, or name one that exists", c->database);
		return;
	}
	if (!c->table || !db->schema_node || vg_database_table(db, c->table) ||
	    listed_by_name(db, c->table))
		return;
	vigil_finding *f = vg_emit(ctx, VG_UNKNOWN_TABLE, c->table_node,
	                           "component '%s' names table '%s', which database '%s' does not declare",
	                           c->name, c->table, db->name);
	vg_object(f, db->name, c->table);
	vg_detail(f, "database '%s' declares %zu table%s in its schema", db->name, db->table_count,
	          db->table_count == 1 ? "" : "s");
	const char *near = VGC_SUGGEST(c->table, db->tables, db->table_count, vg_table);
	if (near)
		vg_hint(f, "did you mean '%s'?", near);
	else
		vg_hint(f, "add table '%s' to the schema of database '%s'", c->table, db->name);
}

int vgc_check_stores(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	for (size_t i = 0; i < bp->component_count; i++) {
		const vg_component *c = &bp->components[i];
		const vg_node *at = c->config ? c->config : c->node;
		if (c->in_memory) {
			vigil_finding *f = vg_emit(
			        ctx, VG_STORE_IN_MEMORY, c->type_node ? c->type_node : c->node,
			        "Store '%s' names no database: it keeps its records in memory",
			        c->name);
			vg_detail(
			        f,
			        "the generation pipeline's Store stores in memory unless "
			        "config.storage_type says otherwise; no database is checked for it");
			vg_hint(f,
			        "to keep the records in a database, give config.database (a declared "
			        "database or an inline block), or storage_type: database with "
			        "database_type and database_url");
			continue;
		}
		if (c->unchecked_type && !c->database) {
			vigil_finding *f = vg_emit(
			        ctx, VG_STORE_UNCHECKED, c->unchecked_node,
			        "component '%s' uses a %s database, which vigil does not check",
			        c->name, c->unchecked_type);
			vg_detail(f, "vigil has drivers for sqlite, postgresql and mysql only");
			continue;
		}
		if (c->database) {
			check_database_named(ctx, c);
		} else if (is_store(c) && !(c->config && vg_map_get(c->config, "database"))) {
			/* (a `database:` of the wrong shape is level 1's finding) */
			vigil_finding *f = vg_emit(ctx, VG_STORE_NO_DATABASE, at,
			                           "Store '%s' names no database", c->name);
			vg_detail(f, "a Store keeps its records in a database; config.database names one "
			             "(or holds an inline database block)");
			if (bp->database_count == 1 && bp->databases[0].name)
				vg_hint(f, "add `database: %s` to the component's config", bp->databases[0].name);
			else
				vg_hint(f, "add `database: <name>` to the component's config");
		}
		if (is_store(c) && !c->table && !(c->config && (vg_map_get(c->config, "table") ||
		                                                 vg_map_get(c->config, "table_name")))) {
			vigil_finding *f = vg_emit(ctx, VG_STORE_NO_TABLE, at, "Store '%s' names no table",
			                           c->name);
			const vg_database *db = c->database ? vg_blueprint_database(bp, c->database) : NULL;
			vg_detail(f, "without config.table, vigil cannot check the records this Store "
			             "writes against a table's columns");
			if (db && db->table_count == 1 && db->tables[0].name)
				vg_hint(f, "add `table: %s` to the component's config", db->tables[0].name);
			else
				vg_hint(f, "add `table: <name>` to the component's config");
		}
	}
	return 0;
}
