/*
 * pg_introspect.c — the live schema of one namespace from pg_catalog, in a constant number
 * of queries: one per object kind (tables, columns, primary keys and uniques, indexes,
 * foreign keys), each for the whole namespace. information_schema would be simpler to read
 * but is several times slower on large schemas (its views join and filter per privilege).
 *
 * The five queries travel in one message (simple-query protocol), inside one REPEATABLE
 * READ transaction when the caller is not already in one, so they read one snapshot of the
 * catalogs in a single network round trip. Each query returns one row per column of an
 * object, in key order; rows of one object are adjacent and are grouped here.
 *
 * Left out: partitions (their parent is the table), views, tables an extension owns, the
 * indexes that back primary keys, unique and exclusion constraints, expression indexes (no
 * column list to report), and the generation expressions of generated columns (they are
 * not defaults). A partial index is reported by its columns (its predicate is not).
 */
#include <stdlib.h>
#include <string.h>

#include "pg_internal.h"

/* "@NS@" stands for the namespace (a quoted literal, or current_schema()); `c` is the table. */
#define NAMESPACE_JOIN " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
#define TABLE_WHERE                                                                         \
	" WHERE n.nspname = @NS@ AND c.relkind IN ('r', 'p') AND NOT c.relispartition"

static const char *const catalog_queries[] = {
	/* tables; not those an extension created (PostGIS's spatial_ref_sys, ...); the other
	 * queries report only on the tables this one reported */
	"SELECT c.relname FROM pg_catalog.pg_class c" NAMESPACE_JOIN TABLE_WHERE
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::regclass"
	" AND e.objid = c.oid AND e.deptype = 'e')"
	" ORDER BY c.relname",
	/* columns: raw type as format_type spells it, nullable, default, identity, generated */
	"SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
	" NOT a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated"
	" FROM pg_catalog.pg_attribute a"
	" JOIN pg_catalog.pg_class c ON c.oid = a.attrelid" NAMESPACE_JOIN
	" LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
	TABLE_WHERE " AND a.attnum > 0 AND NOT a.attisdropped"
	" ORDER BY c.relname, a.attnum",
	/* primary keys and unique constraints, columns in key order */
	"SELECT c.relname, k.conname, k.contype, a.attname"
	" FROM pg_catalog.pg_constraint k"
	" JOIN pg_catalog.pg_class c ON c.oid = k.conrelid" NAMESPACE_JOIN
	" CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS col(attnum, ord)"
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = col.attnum"
	TABLE_WHERE " AND k.contype IN ('p', 'u')"
	" ORDER BY c.relname, k.contype, k.conname, col.ord",
	/* indexes that back no constraint; key columns only (not INCLUDE), no expressions */
	"SELECT c.relname, ic.relname, i.indisunique, a.attname"
	" FROM pg_catalog.pg_index i"
	" JOIN pg_catalog.pg_class c ON c.oid = i.indrelid" NAMESPACE_JOIN
	" JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
	" CROSS JOIN LATERAL unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS col(attnum, ord)"
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = col.attnum"
	TABLE_WHERE " AND i.indexprs IS NULL AND col.ord <= i.indnkeyatts"
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid"
	" AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))"
	" ORDER BY c.relname, ic.relname, col.ord",
	/* foreign keys: referenced table (schema-qualified when in another namespace), actions */
	"SELECT c.relname, k.conname,"
	" CASE WHEN rc.relnamespace = c.relnamespace THEN rc.relname::text"
	" ELSE rn.nspname || '.' || rc.relname END,"
	" k.confdeltype, k.confupdtype, a.attname, ra.attname"
	" FROM pg_catalog.pg_constraint k"
	" JOIN pg_catalog.pg_class c ON c.oid = k.conrelid" NAMESPACE_JOIN
	" JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid"
	" JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
	" CROSS JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY AS col(attnum, refnum, ord)"
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = col.attnum"
	" JOIN pg_catalog.pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = col.refnum"
	TABLE_WHERE " AND k.contype = 'f' AND k.conparentid = 0"
	" ORDER BY c.relname, k.conname, col.ord",
};

enum { Q_TABLES, Q_COLUMNS, Q_KEYS, Q_INDEXES, Q_FOREIGN_KEYS, QUERY_COUNT };

void pg_catalog_sql(vdc_text *sql, const char *tmpl, const char *namespace_)
{
	const char *at;
	while ((at = strstr(tmpl, "@NS@")) != NULL) {
		vdc_text_addn(sql, tmpl, (size_t)(at - tmpl));
		if (namespace_ && *namespace_)
			vdc_text_literal(sql, namespace_);
		else
			vdc_text_add(sql, "current_schema()");
		tmpl = at + 4;
	}
	vdc_text_add(sql, tmpl);
}

/* ---- reading the results -------------------------------------------------------------------- */

typedef struct reader {
	const vigil_host *host;
	vigil_schema_sink *sink;
	const char *last_name;       /* the table looked up last (rows come sorted by table) */
	vigil_table_sink *last_table;
	const char **names;          /* scratch for a column list */
	const char **ref_names;
} reader;

/* The table a row belongs to; NULL when it was not reported (skipped). */
static vigil_table_sink *table_of(reader *r, const char *name)
{
	if (!r->last_name || strcmp(r->last_name, name) != 0) {
		r->last_name = name;
		r->last_table = r->host->schema_table(r->sink, name);
	}
	return r->last_table;
}

static int skipped(const char *const *skip, const char *name)
{
	for (const char *const *s = skip; s && *s; s++)
		if (strcmp(*s, name) == 0)
			return 1;
	return 0;
}

static const char *value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* The row after the last one of the object (table in column 0, name in column 1) at `row`. */
static int group_end(const PGresult *res, int row)
{
	int n = PQntuples(res), end = row + 1;
	while (end < n && strcmp(PQgetvalue(res, end, 0), PQgetvalue(res, row, 0)) == 0 &&
	       strcmp(PQgetvalue(res, end, 1), PQgetvalue(res, row, 1)) == 0)
		end++;
	return end;
}

/* Column `col` of rows [row, end) into `out`. */
static size_t collect(const PGresult *res, int row, int end, int col, const char **out)
{
	size_t n = 0;
	for (int i = row; i < end; i++)
		out[n++] = PQgetvalue(res, i, col);
	return n;
}

static void read_tables(reader *r, const PGresult *res, const char *const *skip)
{
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = PQgetvalue(res, i, 0);
		if (!skipped(skip, name))
			r->host->schema_add_table(r->sink, name);
	}
}

static void read_columns(reader *r, const PGresult *res)
{
	for (int i = 0; i < PQntuples(res); i++) {
		vigil_table_sink *table = table_of(r, PQgetvalue(res, i, 0));
		if (!table)
			continue;
		const char *identity = PQgetvalue(res, i, 5);  /* 'a' always, 'd' by default, '' */
		const char *generated = PQgetvalue(res, i, 6); /* 's' stored, '' */
		const char *def = generated[0] ? NULL : value(res, i, 4);
		int auto_increment = identity[0] == 'a' || identity[0] == 'd' ||
		                     (def && strncmp(def, "nextval(", 8) == 0);
		r->host->table_add_column(table, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		                          PQgetvalue(res, i, 3)[0] == 't', def, auto_increment);
	}
}

static void read_keys(reader *r, const PGresult *res)
{
	for (int i = 0, end; i < PQntuples(res); i = end) {
		end = group_end(res, i);
		vigil_table_sink *table = table_of(r, PQgetvalue(res, i, 0));
		if (!table)
			continue;
		size_t n = collect(res, i, end, 3, r->names);
		const char *name = PQgetvalue(res, i, 1);
		if (PQgetvalue(res, i, 2)[0] == 'p')
			r->host->table_set_primary_key(table, name, r->names, n);
		else
			r->host->table_add_unique(table, name, r->names, n);
	}
}

static void read_indexes(reader *r, const PGresult *res)
{
	for (int i = 0, end; i < PQntuples(res); i = end) {
		end = group_end(res, i);
		vigil_table_sink *table = table_of(r, PQgetvalue(res, i, 0));
		if (!table)
			continue;
		size_t n = collect(res, i, end, 3, r->names);
		r->host->table_add_index(table, PQgetvalue(res, i, 1), r->names, n,
		                         PQgetvalue(res, i, 2)[0] == 't');
	}
}

/* pg_constraint.confdeltype / confupdtype */
static const char *action_name(const char *code)
{
	switch (code[0]) {
	case 'r': return "restrict";
	case 'c': return "cascade";
	case 'n': return "set null";
	case 'd': return "set default";
	default: return "no action"; /* 'a' */
	}
}

static void read_foreign_keys(reader *r, const PGresult *res)
{
	for (int i = 0, end; i < PQntuples(res); i = end) {
		end = group_end(res, i);
		vigil_table_sink *table = table_of(r, PQgetvalue(res, i, 0));
		if (!table)
			continue;
		size_t n = collect(res, i, end, 5, r->names);
		collect(res, i, end, 6, r->ref_names);
		r->host->table_add_foreign_key(table, PQgetvalue(res, i, 1), r->names, n,
		                               PQgetvalue(res, i, 2), r->ref_names, n,
		                               action_name(PQgetvalue(res, i, 3)),
		                               action_name(PQgetvalue(res, i, 4)));
	}
}

/* ---- the round trip ---------------------------------------------------------------------- */

/* Sends the batch and collects the five catalog results into `results`. 0 or -1 with err. */
static int fetch(PGconn *pg, const char *namespace_, PGresult **results, vigil_db_error *err)
{
	/* one snapshot for all five, unless the caller's transaction already gives one */
	int own_transaction = PQtransactionStatus(pg) == PQTRANS_IDLE;
	vdc_text sql = { 0 };
	if (own_transaction)
		vdc_text_add(&sql, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n");
	for (size_t q = 0; q < QUERY_COUNT; q++) {
		pg_catalog_sql(&sql, catalog_queries[q], namespace_);
		vdc_text_add(&sql, ";\n");
	}
	if (own_transaction)
		vdc_text_add(&sql, "COMMIT;");
	if (sql.failed) {
		vdc_text_free(&sql);
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
	}
	int sent = PQsendQuery(pg, vdc_text_str(&sql));
	vdc_text_free(&sql);
	if (!sent)
		return pg_result_error(err, pg, NULL);

	int rc = 0;
	size_t got = 0;
	PGresult *res;
	while ((res = PQgetResult(pg)) != NULL) {
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_TUPLES_OK && got < QUERY_COUNT) {
			results[got++] = res;
			continue;
		}
		if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && rc == 0)
			rc = pg_result_error(err, pg, res);
		PQclear(res);
	}
	if (rc == 0 && got != QUERY_COUNT)
		rc = pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "the catalog queries returned too few results", NULL);
	/* a failed statement leaves our transaction open and aborted */
	if (own_transaction && PQtransactionStatus(pg) != PQTRANS_IDLE)
		PQclear(PQexec(pg, "ROLLBACK"));
	return rc;
}

int pg_introspect(vigil_conn *conn, const char *namespace_, const char *const *skip,
                  vigil_schema_sink *sink, const vigil_host *host, unsigned *round_trips,
                  vigil_db_error *err)
{
	pg_error_clear(err);
	if (round_trips)
		*round_trips = 0;
	if (!host || !VIGIL_HOST_HAS(host, table_add_foreign_key))
		return pg_error(err, VIGIL_DB_ERR_UNSUPPORTED, NULL,
		                "the host has no schema setters (ABI 1.1 needed)", NULL);
	PGresult *results[QUERY_COUNT] = { NULL };
	int rc = fetch(conn->pg, namespace_, results, err);
	if (round_trips)
		*round_trips = QUERY_COUNT; /* catalog queries, sent in one message */
	reader r = { host, sink, NULL, NULL, NULL, NULL };
	if (rc == 0) {
		size_t most = 1;
		for (size_t q = 0; q < QUERY_COUNT; q++)
			if ((size_t)PQntuples(results[q]) > most)
				most = (size_t)PQntuples(results[q]);
		r.names = malloc(most * sizeof *r.names);
		r.ref_names = malloc(most * sizeof *r.ref_names);
		if (!r.names || !r.ref_names)
			rc = pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
	}
	if (rc == 0) {
		read_tables(&r, results[Q_TABLES], skip);
		read_columns(&r, results[Q_COLUMNS]);
		read_keys(&r, results[Q_KEYS]);
		read_indexes(&r, results[Q_INDEXES]);
		read_foreign_keys(&r, results[Q_FOREIGN_KEYS]);
	}
	free(r.names);
	free(r.ref_names);
	for (size_t q = 0; q < QUERY_COUNT; q++)
		PQclear(results[q]);
	return rc;
}
