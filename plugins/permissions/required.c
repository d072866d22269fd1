/*
 * required.c — which privileges the blueprint requires of the connected user:
 *   - the database's `permissions:` list, on every table of its `schema.tables`;
 *   - insert and select on its table, for every Store component writing into the database
 *     (`config.database` naming it, or an inline `config.database` mapping that is it;
 *     `configuration:` spelled out works too; `table` or `table_name`).
 * Read with config_get, which looks in the database's mapping first, then from the root.
 */
#define _POSIX_C_SOURCE 200809L /* strcasecmp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "permissions.h"

/* Bounds the walks over lists (config_get answers NULL past the end anyway). */
#define LIST_LIMIT 100000

static const char *const privilege_names[PRIV_COUNT] = {
	"select", "insert", "update", "delete", "references", "trigger", "create",
	"alter",  "drop",   "index",  "execute", "usage",     "all",
};

const char *privilege_name(unsigned bit)
{
	for (unsigned i = 0; i < PRIV_COUNT; i++)
		if (bit == 1u << i)
			return privilege_names[i];
	return "?";
}

unsigned privilege_bit(const char *name)
{
	for (unsigned i = 0; name && i < PRIV_COUNT; i++)
		if (strcasecmp(name, privilege_names[i]) == 0)
			return 1u << i;
	return 0;
}

void privilege_list(char *out, size_t size, unsigned mask)
{
	size_t used = 0;
	if (size == 0)
		return;
	out[0] = '\0';
	for (unsigned i = 0; i < PRIV_COUNT; i++) {
		if (!(mask & (1u << i)))
			continue;
		int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", privilege_names[i]);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
	if (!used)
		snprintf(out, size, "none");
}

/* config_get of "<prefix><i><suffix>" (e.g. "schema.tables." 2 ".name"). */
static const char *get(vigil_check_ctx *ctx, const vigil_host *host, const char *prefix,
                       size_t i, const char *suffix)
{
	char key[256];
	int n = snprintf(key, sizeof key, "%s%zu%s", prefix, i, suffix);
	if (n < 0 || (size_t)n >= sizeof key)
		return NULL;
	return host->config_get(ctx, key);
}

/* The table of that name, added (with no privilege yet) when new; NULL when out of memory. */
static required_table *table_named(requirements *req, const char *name)
{
	for (size_t i = 0; i < req->count; i++)
		if (strcmp(req->tables[i].name, name) == 0)
			return &req->tables[i];
	if (req->count == req->cap) {
		size_t cap = req->cap ? req->cap * 2 : 16;
		required_table *grown = realloc(req->tables, cap * sizeof *grown);
		if (!grown) {
			req->out_of_memory = 1;
			return NULL;
		}
		req->tables = grown;
		req->cap = cap;
	}
	required_table *t = &req->tables[req->count++];
	memset(t, 0, sizeof *t);
	t->name = name;
	return t;
}

static void read_permission_list(requirements *req, vigil_check_ctx *ctx, const vigil_host *host)
{
	for (size_t i = 0; i < LIST_LIMIT; i++) {
		const char *name = get(ctx, host, "permissions.", i, "");
		if (!name)
			break;
		unsigned bit = privilege_bit(name);
		if (!bit)
			host->log(ctx, VIGIL_PLUGIN_WARNING,
			          "permissions: \"%s\" is not a privilege vigil knows; not checked", name);
		req->list_mask |= bit;
	}
}

static void read_declared_tables(requirements *req, vigil_check_ctx *ctx, const vigil_host *host)
{
	for (size_t i = 0; i < LIST_LIMIT; i++) {
		const char *name = get(ctx, host, "schema.tables.", i, ".name");
		if (!name) {
			/* A table without a name is level 2's finding; the list ends at no mapping. */
			if (!get(ctx, host, "schema.tables.", i, ".columns.0.name"))
				break;
			continue;
		}
		required_table *t = table_named(req, name);
		if (!t)
			return;
		t->declared = 1;
		t->mask |= req->list_mask;
		t->from_list |= req->list_mask;
		if (!t->column)
			t->column = get(ctx, host, "schema.tables.", i, ".columns.0.name");
	}
}

/* The database a Store component writes into, by name: `database` naming it, or an inline
 * database mapping named by its `name` or else by the component. */
static const char *store_database(vigil_check_ctx *ctx, const vigil_host *host,
                                  const char *prefix, size_t i, const char *config,
                                  const char *component)
{
	char suffix[64];
	snprintf(suffix, sizeof suffix, ".%s.database", config);
	const char *database = get(ctx, host, prefix, i, suffix);
	if (database)
		return database;
	snprintf(suffix, sizeof suffix, ".%s.database.name", config);
	if ((database = get(ctx, host, prefix, i, suffix)))
		return database;
	snprintf(suffix, sizeof suffix, ".%s.database.type", config);
	return get(ctx, host, prefix, i, suffix) ? component : NULL;
}

static const char *store_table(vigil_check_ctx *ctx, const vigil_host *host, const char *prefix,
                               size_t i, const char *config)
{
	char suffix[64];
	snprintf(suffix, sizeof suffix, ".%s.table", config);
	const char *table = get(ctx, host, prefix, i, suffix);
	if (table)
		return table;
	snprintf(suffix, sizeof suffix, ".%s.table_name", config);
	return get(ctx, host, prefix, i, suffix);
}

static void read_stores(requirements *req, vigil_check_ctx *ctx, const vigil_host *host,
                        const char *prefix)
{
	const char *database_name = host->database_name(ctx);
	for (size_t i = 0; i < LIST_LIMIT && database_name; i++) {
		const char *type = get(ctx, host, prefix, i, ".type");
		const char *name = get(ctx, host, prefix, i, ".name");
		if (!type && !name)
			break;
		if (!type || strcasecmp(type, "Store") != 0)
			continue;
		/* `config:` wins when both are given, as the blueprint reader does. */
		static const char *const configs[] = { "config", "configuration" };
		for (size_t c = 0; c < VIGIL_COUNT_OF(configs); c++) {
			const char *database = store_database(ctx, host, prefix, i, configs[c], name);
			const char *table = store_table(ctx, host, prefix, i, configs[c]);
			if (!database && !table)
				continue;
			if (!database || strcmp(database, database_name) != 0 || !table)
				break;
			required_table *t = table_named(req, table);
			if (!t)
				return;
			t->mask |= PRIV_INSERT | PRIV_SELECT;
			if (t->store_count < STORES_KEPT)
				t->stores[t->store_count] = name ? name : "(unnamed)";
			t->store_count++;
			break;
		}
	}
}

int requirements_read(requirements *req, vigil_check_ctx *ctx, const vigil_host *host)
{
	memset(req, 0, sizeof *req);
	read_permission_list(req, ctx, host);
	read_declared_tables(req, ctx, host);
	read_stores(req, ctx, host, "system.components.");
	return req->out_of_memory ? -1 : 0;
}

void requirements_free(requirements *req)
{
	free(req->tables);
	memset(req, 0, sizeof *req);
}
