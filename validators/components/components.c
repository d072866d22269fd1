/*
 * components.c — the level-2 validator's descriptor and the helpers its checks share.
 */
#include "components.h"

#include <stdlib.h>
#include <string.h>

#include "suggest.h"

static const vigil_check_def checks[] = {
	{ .name = "components.stores",
	  .summary = "Stores name a database and a table that exist",
	  .run = vgc_check_stores },
	{ .name = "components.ports",
	  .summary = "Ports are unique and name defined schemas; port numbers are valid",
	  .run = vgc_check_ports },
	{ .name = "components.databases",
	  .summary = "Database type, URL, password, pool, timeouts, permissions, benchmark",
	  .run = vgc_check_databases },
	{ .name = "components.tables",
	  .summary = "Declared tables: columns, types, keys, indexes, defaults",
	  .run = vgc_check_tables },
	{ .name = "components.foreign-keys",
	  .summary = "Foreign keys reference existing, unique, compatible columns",
	  .run = vgc_check_foreign_keys },
	{ .name = "components.migrations",
	  .summary = "Migration versions increase and each has up SQL",
	  .run = vgc_check_migrations },
};

VIGIL_PLUGIN_DEFINE(components, VIGIL_VERSION_STRING,
                    "Level 2: each component, database and declared schema",
                    VIGIL_PLUGIN_VALIDATOR, 2, checks, sizeof checks / sizeof checks[0], NULL,
                    NULL)

const char *vgc_suggest_among(const char *word, const void *items, size_t count, size_t stride,
                              size_t name_offset)
{
	if (!word || count == 0)
		return NULL;
	const char **names = malloc(count * sizeof *names);
	if (!names)
		return NULL; /* no suggestion is a fine answer when memory is short */
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		const char *name;
		memcpy(&name, (const char *)items + i * stride + name_offset, sizeof name);
		if (name && strcmp(name, word) != 0)
			names[n++] = name;
	}
	const char *best = vg_suggest(word, names, n);
	free(names);
	return best;
}

const char *vgc_written(const vg_node *node, const char *fallback)
{
	const char *text = vg_scalar(node);
	return text ? text : fallback;
}

int vgc_has_env(const vg_node *node)
{
	const char *text = vg_scalar(node);
	return text && strstr(text, "${") != NULL;
}

int vgc_in_primary_key(const vg_table *table, const char *column)
{
	const vg_column *c = vg_table_column(table, column);
	if (c && c->primary_key)
		return 1;
	for (size_t i = 0; i < table->primary_key.count; i++)
		if (table->primary_key.names[i] && strcmp(table->primary_key.names[i], column) == 0)
			return 1;
	return 0;
}

const char *vgc_object(vigil_check_ctx *ctx, const char *table, const char *column)
{
	if (!column)
		return table;
	const char *s = vg_arena_printf(ctx->report->arena, "%s.%s", table ? table : "?", column);
	if (!s)
		ctx->out_of_memory = 1;
	return s;
}

int vgc_column_type(vg_sqltype *out, vg_arena *scratch, const vg_database *db, const vg_column *col)
{
	return vg_sqltype_parse(out, scratch, col->type, db->type);
}
