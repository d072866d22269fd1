/*
 * introspect.c — the live schema in three statements, whatever the number of tables: the
 * table-valued pragma functions joined to sqlite_schema read every table's columns (with the
 * primary key), indexes (with unique constraints) and foreign keys at once.
 *
 * Left out: SQLite's own tables (sqlite_%), the implicit index of a primary key (origin
 * 'pk'), indexes on expressions (they have no column names to report), and the tables named
 * in `skip`. A unique constraint's index (origin 'u', named sqlite_autoindex_*) is reported
 * as the constraint, without a name: SQLite keeps no constraint names.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdlib.h>
#include <string.h>

#include "sqlite_driver.h"

/* The rowid rule: a single-column primary key declared exactly INTEGER in a rowid table is
 * the rowid and numbers itself. A WITHOUT ROWID table, or INTEGER PRIMARY KEY DESC, has an
 * index of origin 'pk' instead, and no rowid alias. */
static const char columns_sql[] =
	"SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk,"
	" CASE WHEN p.pk = 1 AND upper(p.type) = 'INTEGER'"
	"  AND (SELECT count(*) FROM pragma_table_info(m.name, ?1) AS k WHERE k.pk > 0) = 1"
	"  AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name, ?1) AS i WHERE i.origin = 'pk')"
	" THEN 1 ELSE 0 END"
	" FROM {schema}.sqlite_schema AS m JOIN pragma_table_info(m.name, ?1) AS p"
	" WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	" ORDER BY m.name, p.cid";

static const char indexes_sql[] =
	"SELECT m.name, il.name, il.\"unique\", il.origin, ii.name"
	" FROM {schema}.sqlite_schema AS m JOIN pragma_index_list(m.name, ?1) AS il"
	" JOIN pragma_index_info(il.name, ?1) AS ii"
	" WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND il.origin <> 'pk'"
	" ORDER BY m.name, il.seq DESC, ii.seqno"; /* seq counts down from the newest index */

/* "REFERENCES parent" without columns means the parent's primary key. */
static const char foreign_keys_sql[] =
	"SELECT m.name, f.id, f.\"table\", f.\"from\","
	" COALESCE(f.\"to\", (SELECT k.name FROM pragma_table_info(f.\"table\", ?1) AS k"
	"                    WHERE k.pk = f.seq + 1)),"
	" f.on_delete, f.on_update"
	" FROM {schema}.sqlite_schema AS m JOIN pragma_foreign_key_list(m.name, ?1) AS f"
	" WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	" ORDER BY m.name, f.id DESC, f.seq"; /* ids count down from the last declared */

const char *vsq_schema_name(const char *namespace_)
{
	return namespace_ && *namespace_ ? namespace_ : "main";
}

sqlite3_stmt *vsq_prepare_catalog(sqlite3 *db, const char *sql_format, const char *schema,
                                  vigil_db_error *err)
{
	static const char marker[] = "{schema}";
	const char *at = strstr(sql_format, marker);
	vdc_text sql = { 0 };
	if (at) {
		vdc_text_addn(&sql, sql_format, (size_t)(at - sql_format));
		vdc_text_ident(&sql, schema, VSQ_QUOTE);
		vdc_text_add(&sql, at + strlen(marker));
	} else {
		vdc_text_add(&sql, sql_format);
	}
	if (sql.failed) {
		vdc_text_free(&sql);
		vsq_error_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return NULL;
	}
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(db, sql.data, -1, &stmt, NULL);
	vdc_text_free(&sql);
	if (rc == SQLITE_OK && sqlite3_bind_parameter_count(stmt) >= 1)
		rc = sqlite3_bind_text(stmt, 1, schema, -1, SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		vsq_error_from_db(err, db, rc, "cannot read the schema catalog");
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

/* ---- a list of names copied out of rows ------------------------------------------------- */

typedef struct name_list {
	char **items;
	int *order;    /* primary keys: each name's position in the key */
	size_t count;
	size_t cap;
	int failed;
} name_list;

static void names_add(name_list *n, const char *name, int order)
{
	if (n->failed)
		return;
	if (n->count == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 8;
		char **items = realloc(n->items, cap * sizeof *items);
		if (items)
			n->items = items;
		int *orders = items ? realloc(n->order, cap * sizeof *orders) : NULL;
		if (!orders) {
			n->failed = 1;
			return;
		}
		n->order = orders;
		n->cap = cap;
	}
	char *copy = name ? strdup(name) : NULL;
	if (name && !copy) {
		n->failed = 1;
		return;
	}
	n->items[n->count] = copy; /* NULL stands for an expression */
	n->order[n->count++] = order;
}

static int names_complete(const name_list *n)
{
	for (size_t i = 0; i < n->count; i++)
		if (!n->items[i])
			return 0;
	return n->count > 0;
}

static void names_clear(name_list *n)
{
	for (size_t i = 0; i < n->count; i++)
		free(n->items[i]);
	n->count = 0;
}

static void names_free(name_list *n)
{
	names_clear(n);
	free(n->items);
	free(n->order);
	memset(n, 0, sizeof *n);
}

/* Primary-key columns arrive in table order; the key's order is their `order`. */
static void names_sort_by_order(name_list *n)
{
	for (size_t i = 1; i < n->count; i++)
		for (size_t j = i; j > 0 && n->order[j - 1] > n->order[j]; j--) {
			char *name = n->items[j];
			int order = n->order[j];
			n->items[j] = n->items[j - 1];
			n->order[j] = n->order[j - 1];
			n->items[j - 1] = name;
			n->order[j - 1] = order;
		}
}

/* ---- the current group of rows (one table, one index, one foreign key) ------------------- */

typedef struct group {
	char *table;              /* the table of the rows being gathered */
	vigil_table_sink *sink;   /* NULL: a table left out */
	long long key;            /* index / foreign-key identity within the table */
	char *name;               /* index name */
	char *ref_table;
	char *on_delete, *on_update;
	int unique;
	char origin;
	int open;                 /* an index / foreign key is being gathered */
	name_list columns, refs;
} group;

static void group_reset(group *g)
{
	free(g->name);
	free(g->ref_table);
	free(g->on_delete);
	free(g->on_update);
	g->name = g->ref_table = g->on_delete = g->on_update = NULL;
	g->open = 0;
	names_clear(&g->columns);
	names_clear(&g->refs);
}

static void group_free(group *g)
{
	group_reset(g);
	free(g->table);
	g->table = NULL;
	names_free(&g->columns);
	names_free(&g->refs);
}

static char *copy_text(sqlite3_stmt *stmt, int column, int *failed)
{
	const char *text = (const char *)sqlite3_column_text(stmt, column);
	if (!text)
		return NULL;
	char *copy = strdup(text);
	if (!copy)
		*failed = 1;
	return copy;
}

static int is_skipped(const char *const *skip, const char *table)
{
	for (size_t i = 0; skip && skip[i]; i++)
		if (strcmp(skip[i], table) == 0)
			return 1;
	return 0;
}

/* Whether the row (table name in column 0) starts another table; if so `g->table` moves to
 * it and the caller looks up its sink. */
static int enter_table(group *g, sqlite3_stmt *stmt, int *failed)
{
	const char *table = (const char *)sqlite3_column_text(stmt, 0);
	if (!table)
		return 0;
	if (g->table && strcmp(g->table, table) == 0)
		return 0;
	free(g->table);
	g->table = strdup(table);
	if (!g->table)
		*failed = 1;
	return 1;
}

/* Takes one catalog row into the group, reporting finished groups through the host. */
typedef void (*row_handler)(sqlite3_stmt *stmt, group *g, const vigil_host *host,
                            vigil_schema_sink *sink, const char *const *skip, int *failed);

/* One round trip: runs a catalog statement, `on_row` per row, then `finish` for the last
 * group. 0, or -1 with err filled. */
static int run_catalog(sqlite3 *db, const char *sql, const char *schema, row_handler on_row,
                       void (*finish)(group *g, const vigil_host *host), const vigil_host *host,
                       vigil_schema_sink *sink, const char *const *skip, unsigned *round_trips,
                       vigil_db_error *err)
{
	sqlite3_stmt *stmt = vsq_prepare_catalog(db, sql, schema, err);
	if (!stmt)
		return -1;
	(*round_trips)++;
	group g = { 0 };
	int failed = 0, rc = SQLITE_DONE;
	while (!failed && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		on_row(stmt, &g, host, sink, skip, &failed);
	if (!failed && rc == SQLITE_DONE)
		finish(&g, host);
	int result = 0;
	if (failed)
		result = vsq_error_set(err, VIGIL_DB_ERR_OTHER, "out of memory while reading the schema");
	else if (rc != SQLITE_DONE)
		result = vsq_error_from_db(err, db, rc, "cannot read the schema catalog");
	group_free(&g);
	sqlite3_finalize(stmt);
	return result;
}

/* ---- columns and primary keys ----------------------------------------------------------- */

static void finish_primary_key(group *g, const vigil_host *host)
{
	if (g->sink && g->columns.count) {
		names_sort_by_order(&g->columns);
		host->table_set_primary_key(g->sink, NULL, (const char *const *)g->columns.items,
		                            g->columns.count);
	}
	names_clear(&g->columns);
}

static void column_row(sqlite3_stmt *stmt, group *g, const vigil_host *host,
                       vigil_schema_sink *sink, const char *const *skip, int *failed)
{
	if (enter_table(g, stmt, failed)) {
		finish_primary_key(g, host);
		g->sink = *failed || is_skipped(skip, g->table) ? NULL
		                                               : host->schema_add_table(sink, g->table);
	}
	if (!g->sink)
		return;
	const char *name = (const char *)sqlite3_column_text(stmt, 1);
	const char *type = (const char *)sqlite3_column_text(stmt, 2);
	const char *default_value = (const char *)sqlite3_column_text(stmt, 4);
	int not_null = sqlite3_column_int(stmt, 3);
	int key_position = sqlite3_column_int(stmt, 5);
	int rowid = sqlite3_column_int(stmt, 6);
	host->table_add_column(g->sink, name, type ? type : "", !not_null, default_value, rowid);
	if (key_position > 0) {
		names_add(&g->columns, name, key_position);
		*failed = g->columns.failed;
	}
}

/* ---- indexes and unique constraints ----------------------------------------------------- */

static void finish_index(group *g, const vigil_host *host)
{
	if (g->open && g->sink && g->name && names_complete(&g->columns)) {
		const char *const *columns = (const char *const *)g->columns.items;
		if (g->origin == 'u')
			host->table_add_unique(g->sink, NULL, columns, g->columns.count);
		else
			host->table_add_index(g->sink, g->name, columns, g->columns.count, g->unique);
	}
	group_reset(g);
}

static void index_row(sqlite3_stmt *stmt, group *g, const vigil_host *host,
                      vigil_schema_sink *sink, const char *const *skip, int *failed)
{
	(void)skip; /* skipped tables were never added: schema_table finds nothing */
	const char *name = (const char *)sqlite3_column_text(stmt, 1);
	int new_table = enter_table(g, stmt, failed);
	if (new_table || !g->open || !g->name || !name || strcmp(g->name, name) != 0) {
		finish_index(g, host);
		g->open = 1;
		if (new_table)
			g->sink = host->schema_table(sink, g->table);
		g->name = name ? strdup(name) : NULL;
		if (name && !g->name)
			*failed = 1;
		g->unique = sqlite3_column_int(stmt, 2);
		const char *origin = (const char *)sqlite3_column_text(stmt, 3);
		g->origin = origin ? origin[0] : 'c';
	}
	names_add(&g->columns, (const char *)sqlite3_column_text(stmt, 4), 0);
	*failed = *failed || g->columns.failed;
}

/* ---- foreign keys ----------------------------------------------------------------------- */

/* "SET NULL" -> "set null": the host's spelling of actions. */
static void lower_in_place(char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void finish_foreign_key(group *g, const vigil_host *host)
{
	if (g->open && g->sink && g->ref_table && names_complete(&g->columns)) {
		/* A parent without that key (a dangling reference) leaves the columns unknown. */
		int refs_known = names_complete(&g->refs) && g->refs.count == g->columns.count;
		host->table_add_foreign_key(g->sink, NULL, (const char *const *)g->columns.items,
		                            g->columns.count, g->ref_table,
		                            refs_known ? (const char *const *)g->refs.items : NULL,
		                            refs_known ? g->refs.count : 0, g->on_delete, g->on_update);
	}
	group_reset(g);
}

static void foreign_key_row(sqlite3_stmt *stmt, group *g, const vigil_host *host,
                            vigil_schema_sink *sink, const char *const *skip, int *failed)
{
	(void)skip;
	long long id = sqlite3_column_int64(stmt, 1);
	int new_table = enter_table(g, stmt, failed);
	if (new_table || !g->open || g->key != id) {
		finish_foreign_key(g, host);
		g->open = 1;
		if (new_table)
			g->sink = host->schema_table(sink, g->table);
		g->key = id;
		g->ref_table = copy_text(stmt, 2, failed);
		g->on_delete = copy_text(stmt, 5, failed);
		g->on_update = copy_text(stmt, 6, failed);
		lower_in_place(g->on_delete);
		lower_in_place(g->on_update);
	}
	names_add(&g->columns, (const char *)sqlite3_column_text(stmt, 3), 0);
	names_add(&g->refs, (const char *)sqlite3_column_text(stmt, 4), 0);
	*failed = *failed || g->columns.failed || g->refs.failed;
}

/* ---- the driver call -------------------------------------------------------------------- */

int vsq_introspect(vigil_conn *conn, const char *namespace_, const char *const *skip,
                   vigil_schema_sink *sink, const vigil_host *host, unsigned *round_trips,
                   vigil_db_error *err)
{
	unsigned trips = 0;
	vsq_error_clear(err);
	if (round_trips)
		*round_trips = 0;
	if (!conn || !conn->db)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no connection");
	if (!host || !VIGIL_HOST_HAS(host, table_add_foreign_key))
		return vsq_error_set(err, VIGIL_DB_ERR_UNSUPPORTED,
		                     "the host does not offer the schema setters of ABI 1.1");
	const char *schema = vsq_schema_name(namespace_);
	int rc = run_catalog(conn->db, columns_sql, schema, column_row, finish_primary_key, host,
	                     sink, skip, &trips, err);
	if (rc == 0)
		rc = run_catalog(conn->db, indexes_sql, schema, index_row, finish_index, host, sink,
		                 skip, &trips, err);
	if (rc == 0)
		rc = run_catalog(conn->db, foreign_keys_sql, schema, foreign_key_row,
		                 finish_foreign_key, host, sink, skip, &trips, err);
	if (round_trips)
		*round_trips = trips;
	return rc;
}
