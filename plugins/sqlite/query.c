/*
 * query.c — statements: exec (a script of statements without rows), query (one statement,
 * `?` parameters bound as text, rows to a callback), transactions.
 *
 * SQLite's own parser finds the `?` placeholders, so those inside string literals, quoted
 * names and comments are never taken for parameters.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite_driver.h"

int vsq_sql_is_blank(const char *sql)
{
	const char *p = sql;
	while (p && *p) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == ';') {
			p++;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			if (!end)
				return 1; /* SQLite ignores an unterminated comment at the end */
			p = end + 2;
		} else {
			return 0;
		}
	}
	return 1;
}

static int need_conn(const vigil_conn *conn, const char *sql, vigil_db_error *err)
{
	vsq_error_clear(err);
	if (!conn || !conn->db)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no connection");
	if (!sql)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no SQL given");
	return 0;
}

/* Runs every statement of `sql` in turn (rendered DDL is several), discarding any rows. */
int vsq_exec(vigil_conn *conn, const char *sql, vigil_db_error *err)
{
	if (need_conn(conn, sql, err) != 0)
		return -1;
	const char *next = sql;
	while (*next) {
		sqlite3_stmt *stmt = NULL;
		const char *tail = NULL;
		int rc = sqlite3_prepare_v2(conn->db, next, -1, &stmt, &tail);
		if (rc != SQLITE_OK)
			return vsq_error_from_db(err, conn->db, rc, NULL);
		if (!stmt) /* only whitespace or comments were left */
			break;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE) {
			vsq_error_from_db(err, conn->db, rc, NULL);
			sqlite3_finalize(stmt);
			return -1;
		}
		sqlite3_finalize(stmt);
		next = tail;
	}
	return 0;
}

static int bind_params(sqlite3_stmt *stmt, sqlite3 *db, size_t count, const char *const *params,
                       vigil_db_error *err)
{
	int expected = sqlite3_bind_parameter_count(stmt);
	if ((size_t)expected != count)
		return vsq_error_set(err, VIGIL_DB_ERR_SQL,
		                     "the statement has %d placeholder%s but %zu parameter%s given",
		                     expected, expected == 1 ? "" : "s", count,
		                     count == 1 ? " was" : "s were");
	for (size_t i = 0; i < count; i++) {
		/* Parameters are borrowed for the call, which outlives the statement. */
		int rc = params[i] ? sqlite3_bind_text(stmt, (int)i + 1, params[i], -1, SQLITE_STATIC)
		                   : sqlite3_bind_null(stmt, (int)i + 1);
		if (rc != SQLITE_OK)
			return vsq_error_from_db(err, db, rc, "cannot bind a parameter");
	}
	return 0;
}

/* Steps through the rows, handing each to `row` as text. Returns 0, the callback's non-zero
 * value, or -1 on error. */
static int deliver_rows(sqlite3_stmt *stmt, sqlite3 *db, vigil_row_fn row, void *payload,
                        vigil_db_error *err)
{
	size_t columns = (size_t)sqlite3_column_count(stmt);
	const char **values = calloc(columns ? columns : 1, sizeof *values);
	size_t *lengths = calloc(columns ? columns : 1, sizeof *lengths);
	int result = 0, rc;
	if (!values || !lengths) {
		result = vsq_error_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		goto done;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (!row)
			continue;
		for (size_t i = 0; i < columns; i++) {
			/* text first, then its length: the order SQLite documents */
			const unsigned char *text = sqlite3_column_text(stmt, (int)i);
			values[i] = (const char *)text;
			lengths[i] = text ? (size_t)sqlite3_column_bytes(stmt, (int)i) : 0;
			if (!text && sqlite3_column_type(stmt, (int)i) != SQLITE_NULL) {
				result = vsq_error_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
				goto done;
			}
		}
		int stop = row(payload, columns, values, lengths);
		if (stop != 0) {
			result = stop;
			goto done;
		}
	}
	if (rc != SQLITE_DONE)
		result = vsq_error_from_db(err, db, rc, NULL);
done:
	free(values);
	free(lengths);
	return result;
}

int vsq_query(vigil_conn *conn, const char *sql, size_t param_count, const char *const *params,
              vigil_row_fn row, void *payload, unsigned long long *rows_affected,
              vigil_db_error *err)
{
	if (rows_affected)
		*rows_affected = 0;
	if (need_conn(conn, sql, err) != 0)
		return -1;
	if (param_count && !params)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "%zu parameters announced but none given",
		                     param_count);
	sqlite3_stmt *stmt = NULL;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v2(conn->db, sql, -1, &stmt, &tail);
	if (rc != SQLITE_OK)
		return vsq_error_from_db(err, conn->db, rc, NULL);
	if (!stmt)
		return vsq_error_set(err, VIGIL_DB_ERR_SQL, "the query holds no statement");
	int result;
	if (!vsq_sql_is_blank(tail)) {
		result = vsq_error_set(err, VIGIL_DB_ERR_SQL,
		                       "query runs one statement; more follow the first (use exec for scripts)");
	} else if (bind_params(stmt, conn->db, param_count, params, err) != 0) {
		result = -1;
	} else {
		/* Row counts of DDL or SELECT would be the last DML's: only report a count when
		 * this statement changed rows. */
		sqlite3_int64 before = sqlite3_total_changes64(conn->db);
		result = deliver_rows(stmt, conn->db, row, payload, err);
		if (result == 0 && rows_affected && sqlite3_total_changes64(conn->db) != before)
			*rows_affected = (unsigned long long)sqlite3_changes64(conn->db);
	}
	sqlite3_finalize(stmt);
	return result;
}

int vsq_begin(vigil_conn *conn, vigil_db_error *err)
{
	return vsq_exec(conn, "BEGIN", err);
}

int vsq_commit(vigil_conn *conn, vigil_db_error *err)
{
	return vsq_exec(conn, "COMMIT", err);
}

int vsq_rollback(vigil_conn *conn, vigil_db_error *err)
{
	return vsq_exec(conn, "ROLLBACK", err);
}
