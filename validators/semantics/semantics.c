/*
 * semantics.c — the level 4 `semantics` validator: its descriptor, and the checks for what
 * nothing uses (orphan components, unused tables). The Store fit lives in store_fit.c,
 * the migration lint in migrations.c.
 */
#include "semantics.h"

#include <string.h>

#include "run.h"
#include "strmap.h"

/*
 * Orphans: components no binding names, as source or target (whether or not its ports
 * resolve: a binding with a typo is level 3's finding, not an orphan). A system of one
 * component has nothing to bind to and is not judged, nor is one with a binding whose ends
 * could not be read (that is level 1's one finding, not a false orphan per component).
 */
int vg_semantics_orphans_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp || bp->component_count < 2)
		return 0;
	vg_arena *arena = vg_arena_new();
	vg_strmap *bound = arena ? vg_strmap_new(arena, bp->component_count) : NULL;
	if (!bound) {
		vg_arena_free(arena);
		return -1;
	}
	for (size_t i = 0; i < bp->binding_count; i++) {
		const vg_binding *b = &bp->bindings[i];
		if (!b->from.component || b->to_count == 0) {
			/* A binding whose ends could not be read (level 1 says why): which
			 * components it joins is unknown, so none is called an orphan. */
			vg_arena_free(arena);
			return 0;
		}
		if (b->from.component &&
		    vg_strmap_put(bound, b->from.component, (void *)b, NULL) < 0)
			goto oom;
		for (size_t t = 0; t < b->to_count; t++)
			if (b->to[t].component &&
			    vg_strmap_put(bound, b->to[t].component, (void *)b, NULL) < 0)
				goto oom;
	}
	for (size_t i = 0; i < bp->component_count; i++) {
		const vg_component *c = &bp->components[i];
		if (!c->name || vg_strmap_get(bound, c->name))
			continue;
		vigil_finding *f =
		        vg_emit(ctx, VG_ORPHAN_COMPONENT, c->name_node ? c->name_node : c->node,
		                "Component '%s' is in no binding: nothing reaches it and it "
		                "reaches nothing",
		                c->name);
		vg_detail(
		        f,
		        "'%s' (%s) is declared, but none of the %zu binding(s) names it as `from` "
		        "or `to`.",
		        c->name, c->type ? c->type : "untyped", bp->binding_count);
		vg_hint(f, "Bind '%s' to the components it exchanges data with, or remove it.",
		        c->name);
		vg_evidence(f, "at least one binding", "none");
	}
	vg_arena_free(arena);
	return 0;
oom:
	vg_arena_free(arena);
	return -1;
}

/*
 * Unused tables: a table is used when a component names it (config.table with the table's
 * database), when a component names its database without a table (it may query any of
 * them), or when a used table's foreign key references it. The rest are reported.
 */
typedef struct table_use {
	const vg_database *db;
	unsigned char *used; /* per table */
} table_use;

static table_use *use_of(table_use *uses, size_t n, const vg_database *db)
{
	for (size_t i = 0; i < n; i++)
		if (uses[i].db == db)
			return &uses[i];
	return NULL;
}

/* Marks the tables used tables reference, until nothing changes. */
static void follow_foreign_keys(table_use *u)
{
	int changed = 1;
	while (changed) {
		changed = 0;
		for (size_t t = 0; t < u->db->table_count; t++) {
			if (!u->used[t])
				continue;
			const vg_table *table = &u->db->tables[t];
			for (size_t k = 0; k < table->foreign_key_count; k++) {
				const vg_table *ref =
				        vg_database_table(u->db, table->foreign_keys[k].ref_table);
				size_t r = ref ? (size_t)(ref - u->db->tables) : 0;
				if (ref && !u->used[r]) {
					u->used[r] = 1;
					changed = 1;
				}
			}
		}
	}
}

int vg_semantics_unused_tables_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp || bp->database_count == 0)
		return 0;
	vg_arena *arena = vg_arena_new();
	table_use *uses = arena ? vg_arena_array(arena, bp->database_count, sizeof *uses) : NULL;
	if (!uses) {
		vg_arena_free(arena);
		return -1;
	}
	for (size_t d = 0; d < bp->database_count; d++) {
		uses[d].db = &bp->databases[d];
		uses[d].used = vg_arena_array(arena, bp->databases[d].table_count + 1, 1);
		if (!uses[d].used) {
			vg_arena_free(arena);
			return -1;
		}
	}
	for (size_t i = 0; i < bp->component_count; i++) {
		const vg_component *c = &bp->components[i];
		const vg_database *db = c->database ? vg_blueprint_database(bp, c->database) : NULL;
		table_use *u = db ? use_of(uses, bp->database_count, db) : NULL;
		if (!u)
			continue;
		if (!c->table) {
			memset(u->used, 1, db->table_count);
			continue;
		}
		const vg_table *t = vg_database_table(db, c->table);
		if (t)
			u->used[t - db->tables] = 1;
	}
	for (size_t d = 0; d < bp->database_count; d++) {
		table_use *u = &uses[d];
		follow_foreign_keys(u);
		for (size_t t = 0; t < u->db->table_count; t++) {
			const vg_table *table = &u->db->tables[t];
			/* A second table of one name is level 1's duplicate, not an unused table. */
			if (u->used[t] || !table->name ||
			    vg_database_table(u->db, table->name) != table)
				continue;
			vigil_finding *f =
			        vg_emit(ctx, VG_UNUSED_TABLE,
			                table->name_node ? table->name_node : table->node,
			                "Table %s of database %s is used by no component",
			                table->name, u->db->name);
			vg_detail(
			        f,
			        "No component names table '%s' (config.table) with database '%s', "
			        "and no used table references it by foreign key.",
			        table->name, u->db->name);
			vg_hint(f,
			        "Point a Store at it (config: {database: %s, table: %s}), or remove it "
			        "from the schema (and list it under `unmanaged:` if it exists for "
			        "another system).",
			        u->db->name, table->name);
			vg_object(f, u->db->name, table->name);
			vg_evidence(f, "a component using the table", "none");
		}
	}
	vg_arena_free(arena);
	return 0;
}

static const vigil_check_def semantics_checks[] = {
	{ "semantics.store-fit",
	  "The message flowing into each Store fits its table's columns",
	  NULL,
	  vg_semantics_store_fit_run,
	  NULL,
	  { 0 } },
	{ "semantics.orphans",
	  "Every component is bound to another",
	  NULL,
	  vg_semantics_orphans_run,
	  NULL,
	  { 0 } },
	{ "semantics.unused-tables",
	  "Every declared table is used by a component",
	  NULL,
	  vg_semantics_unused_tables_run,
	  NULL,
	  { 0 } },
	{ "semantics.migrations",
	  "Declared migrations do not lose data or fail on live data",
	  NULL,
	  vg_semantics_migrations_run,
	  NULL,
	  { 0 } },
};

VIGIL_PLUGIN_DEFINE(semantics, VIGIL_VERSION_STRING,
                    "Level 4: what flows into storage, what nothing uses, migration safety",
                    VIGIL_PLUGIN_VALIDATOR, 4, semantics_checks,
                    sizeof semantics_checks / sizeof semantics_checks[0], NULL, NULL)
