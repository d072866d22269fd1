/*
 * introspect.c — the live schema of one MySQL/MariaDB database from information_schema, in
 * four round trips whatever the number of tables: base tables, columns, keys (STATISTICS:
 * primary key, unique constraints, other indexes), foreign keys (KEY_COLUMN_USAGE joined with
 * REFERENTIAL_CONSTRAINTS). Each query covers the whole database and comes ordered so that a
 * multi-column key arrives as consecutive rows.
 *
 * MySQL makes every unique index a UNIQUE constraint (TABLE_CONSTRAINTS lists them all), so
 * a unique index is reported as a unique constraint, never also as an index; the engine's
 * diff pairs a declared unique index with it. The index InnoDB adds for a foreign key is
 * reported like any index (the diff knows it).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mysql_driver.h"

/* A growing list of owned strings. */
typedef struct name_list {
	char **items;
	size_t count, cap;
} name_list;

static int names_push(name_list *l, const char *text)
{
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **grown = realloc(l->items, cap * sizeof *grown);
		if (!grown)
			return -1;
		l->items = grown;
		l->cap = cap;
	}
	char *copy = strdup(text ? text : "");
	if (!copy)
		return -1;
	l->items[l->count++] = copy;
	return 0;
}

static void names_clear(name_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	l->count = 0;
}

static void names_free(name_list *l)
{
	names_clear(l);
	free(l->items);
	l->items = NULL;
	l->cap = 0;
}

static int replace(char **slot, const char *text)
{
	free(*slot);
	*slot = text ? strdup(text) : NULL;
	return text && !*slot ? -1 : 0;
}

/* One key or foreign key being gathered from consecutive rows. */
typedef struct group {
	char *table, *name;
	vigil_table_sink *target;   /* NULL: a table not reported (skipped, or a view) */
	int non_unique;
	name_list columns, ref_columns;
	char *ref_table, *on_delete, *on_update;
	int open;
} group;

typedef struct reader {
	const vigil_host *host;
	vigil_schema_sink *sink;
	const char *const *skip;
	group g;
	int oom;
} reader;

static void group_free(group *g)
{
	free(g->table);
	free(g->name);
	free(g->ref_table);
	free(g->on_delete);
	free(g->on_update);
	names_free(&g->columns);
	names_free(&g->ref_columns);
	memset(g, 0, sizeof *g);
}

/* Whether the row continues the open group (same table and constraint name). */
static int same_group(const group *g, const char *table, const char *name)
{
	return g->open && strcmp(g->table, table) == 0 && strcmp(g->name, name) == 0;
}

/* Starts a new group for `table`.`name` (the previous one must be flushed). */
static int group_start(reader *r, const char *table, const char *name)
{
	group *g = &r->g;
	names_clear(&g->columns);
	names_clear(&g->ref_columns);
	if (replace(&g->table, table) != 0 || replace(&g->name, name) != 0)
		return -1;
	g->target = r->host->schema_table(r->sink, table);
	g->open = 1;
	return 0;
}

static int skipped(const char *const *skip, const char *table)
{
	for (size_t i = 0; skip && skip[i]; i++)
		if (strcmp(skip[i], table) == 0)
			return 1;
	return 0;
}

static const char *const *column_names(const name_list *l)
{
	return (const char *const *)l->items;
}

/* ---- tables and columns ------------------------------------------------------------------ */

static int table_row(void *payload, size_t n, const char *const *v, const size_t *len)
{
	(void)len;
	reader *r = payload;
	if (n >= 1 && v[0] && !skipped(r->skip, v[0]))
		r->host->schema_add_table(r->sink, v[0]);
	return 0;
}

/*
 * MariaDB (10.2.7+) shows a default as an SQL expression: 'text' quoted (a quote inside
 * doubled, a backslash escaped: 'it''s', 'a\\b'), NULL for "no default", current_timestamp()
 * for a function, 42 for a number. The engine reads quoted literals with doubled quotes and
 * no backslash escapes: this rewrites the escapes into that form (MySQL 8 shows text
 * unquoted and passes through). Returns a malloc'ed string, or NULL for no default.
 */
static char *column_default(const char *raw, int *oom)
{
	if (!raw || strcasecmp(raw, "NULL") == 0)
		return NULL;
	size_t n = strlen(raw);
	char *out = malloc(2 * n + 1);
	if (!out) {
		*oom = 1;
		return NULL;
	}
	if (n < 2 || raw[0] != '\'' || raw[n - 1] != '\'') {
		memcpy(out, raw, n + 1);
		return out;
	}
	size_t k = 0;
	out[k++] = '\'';
	for (size_t i = 1; i + 1 < n; i++) {
		char c = raw[i];
		if (c == '\'' && raw[i + 1] == '\'' && i + 2 < n) {
			i++; /* '' is one quote, written '' again below */
		} else if (c == '\\' && i + 2 < n) {
			switch (raw[++i]) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'Z': c = '\032'; break;
			case '0': continue; /* a NUL cannot travel in a C string */
			default: c = raw[i]; break; /* \' \" \\ */
			}
		}
		out[k++] = c;
		if (c == '\'')
			out[k++] = '\'';
	}
	out[k++] = '\'';
	out[k] = '\0';
	return out;
}

static int column_row(void *payload, size_t n, const char *const *v, const size_t *len)
{
	(void)len;
	reader *r = payload;
	if (n < 6 || !v[0] || !v[1])
		return 0;
	vigil_table_sink *t = r->host->schema_table(r->sink, v[0]);
	if (!t)
		return 0;
	int nullable = v[3] && strcmp(v[3], "YES") == 0;
	int auto_increment = v[5] && strstr(v[5], "auto_increment") != NULL;
	char *def = column_default(v[4], &r->oom);
	if (r->oom)
		return -1;
	r->host->table_add_column(t, v[1], v[2], nullable, def, auto_increment);
	free(def);
	return 0;
}

/* ---- keys: primary key, unique constraints, indexes ---------------------------------------- */

static void flush_key(reader *r)
{
	group *g = &r->g;
	if (!g->open || !g->target || g->columns.count == 0)
		return;
	const char *const *cols = column_names(&g->columns);
	if (strcmp(g->name, "PRIMARY") == 0)
		r->host->table_set_primary_key(g->target, NULL, cols, g->columns.count);
	else if (!g->non_unique)
		r->host->table_add_unique(g->target, g->name, cols, g->columns.count);
	else
		r->host->table_add_index(g->target, g->name, cols, g->columns.count, 0);
}

static int key_row(void *payload, size_t n, const char *const *v, const size_t *len)
{
	(void)len;
	reader *r = payload;
	/* TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME */
	if (n < 4 || !v[0] || !v[1])
		return 0;
	if (!same_group(&r->g, v[0], v[1])) {
		flush_key(r);
		if (group_start(r, v[0], v[1]) != 0)
			return r->oom = 1, -1;
		r->g.non_unique = v[2] && strcmp(v[2], "0") != 0;
	}
	/* An expression key part (MySQL 8 functional index) has no column name. */
	if (v[3] && names_push(&r->g.columns, v[3]) != 0)
		return r->oom = 1, -1;
	return 0;
}

/* ---- foreign keys -------------------------------------------------------------------------- */

/* "SET NULL" -> "set null". */
static int lower_rule(char **slot, const char *rule)
{
	if (replace(slot, rule) != 0)
		return -1;
	for (char *p = *slot; p && *p; p++)
		*p = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
	return 0;
}

static void flush_foreign_key(reader *r)
{
	group *g = &r->g;
	if (!g->open || !g->target || g->columns.count == 0 || !g->ref_table)
		return;
	r->host->table_add_foreign_key(g->target, g->name, column_names(&g->columns),
	                               g->columns.count, g->ref_table,
	                               column_names(&g->ref_columns), g->ref_columns.count,
	                               g->on_delete, g->on_update);
}

static int foreign_key_row(void *payload, size_t n, const char *const *v, const size_t *len)
{
	(void)len;
	reader *r = payload;
	/* TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE (schema-qualified when it is
	 * in another database), REFERENCED_COLUMN_NAME, DELETE_RULE, UPDATE_RULE */
	if (n < 7 || !v[0] || !v[1] || !v[2] || !v[3])
		return 0;
	if (!same_group(&r->g, v[0], v[1])) {
		flush_foreign_key(r);
		if (group_start(r, v[0], v[1]) != 0 || replace(&r->g.ref_table, v[3]) != 0 ||
		    lower_rule(&r->g.on_delete, v[5]) != 0 || lower_rule(&r->g.on_update, v[6]) != 0)
			return r->oom = 1, -1;
	}
	if (names_push(&r->g.columns, v[2]) != 0 || (v[4] && names_push(&r->g.ref_columns, v[4]) != 0))
		return r->oom = 1, -1;
	return 0;
}

/* ---- the four queries ---------------------------------------------------------------------- */

typedef void (*flush_fn)(reader *r);

/*
 * Runs one catalog query `select ... WHERE <each schema column> = <the database> <tail>` and
 * flushes the last group. Every information_schema table joined gets its own constant
 * filter, so that MariaDB reads only that database's tables, not the whole server's.
 */
static int run(vigil_conn *conn, reader *r, const char *select, const char *const *schema_columns,
               const char *namespace_, const char *tail, vigil_row_fn row, flush_fn flush,
               unsigned *round_trips, vigil_db_error *err)
{
	vdc_text sql = { 0 };
	vdc_text_add(&sql, select);
	for (size_t i = 0; schema_columns[i]; i++) {
		vdc_text_add(&sql, i ? " AND " : " WHERE ");
		vmy_schema_filter(&sql, conn->mysql, schema_columns[i], namespace_);
	}
	vdc_text_add(&sql, tail);
	if (sql.failed) {
		vdc_text_free(&sql);
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory building a catalog query");
		return -1;
	}
	r->g.open = 0;
	int rc = vmy_text_query(conn, sql.data, row, r, NULL, err);
	(*round_trips)++;
	vdc_text_free(&sql);
	if (rc == 0 && flush)
		flush(r);
	if (r->oom) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory reading the catalog");
		return -1;
	}
	return rc == 0 ? 0 : -1;
}

int vmy_introspect(vigil_conn *conn, const char *namespace_, const char *const *skip,
                   vigil_schema_sink *sink, const vigil_host *host, unsigned *round_trips,
                   vigil_db_error *err)
{
	static const char *const table_schema[] = { "TABLE_SCHEMA", NULL };
	static const char *const fk_schemas[] = { "k.TABLE_SCHEMA", "rc.CONSTRAINT_SCHEMA", NULL };
	unsigned trips = 0;
	reader r = { host, sink, skip, { 0 }, 0 };
	int rc = run(conn, &r,
	             "SELECT TABLE_NAME FROM information_schema.TABLES", table_schema, namespace_,
	             " AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME",
	             table_row, NULL, &trips, err);
	if (rc == 0)
		rc = run(conn, &r,
		         "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA"
		         " FROM information_schema.COLUMNS",
		         table_schema, namespace_, " ORDER BY TABLE_NAME, ORDINAL_POSITION",
		         column_row, NULL, &trips, err);
	if (rc == 0)
		rc = run(conn, &r,
		         "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME"
		         " FROM information_schema.STATISTICS",
		         table_schema, namespace_,
		         " ORDER BY CAST(TABLE_NAME AS BINARY), INDEX_NAME, SEQ_IN_INDEX",
		         key_row, flush_key, &trips, err);
	if (rc == 0)
		rc = run(conn, &r,
		         "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME,"
		         " IF(k.REFERENCED_TABLE_SCHEMA = k.TABLE_SCHEMA, k.REFERENCED_TABLE_NAME,"
		         " CONCAT(k.REFERENCED_TABLE_SCHEMA, '.', k.REFERENCED_TABLE_NAME)),"
		         " k.REFERENCED_COLUMN_NAME, rc.DELETE_RULE, rc.UPDATE_RULE"
		         " FROM information_schema.KEY_COLUMN_USAGE k"
		         " JOIN information_schema.REFERENTIAL_CONSTRAINTS rc"
		         " ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND rc.TABLE_NAME = k.TABLE_NAME"
		         " AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME",
		         fk_schemas, namespace_,
		         " AND k.REFERENCED_TABLE_NAME IS NOT NULL"
		         " ORDER BY CAST(k.TABLE_NAME AS BINARY), k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
		         foreign_key_row, flush_foreign_key, &trips, err);
	group_free(&r.g);
	if (round_trips)
		*round_trips = trips;
	return rc;
}
