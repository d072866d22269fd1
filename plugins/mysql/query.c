/*
 * query.c — running statements: the text protocol when there are no parameters (one round
 * trip, every statement, values as the server prints them), prepared statements with text
 * parameters otherwise (`?` placeholders are the server's own, so `?` inside literals,
 * quoted names and comments is left alone); transactions.
 */
#include <stdlib.h>
#include <string.h>

#include "mysql_driver.h"

enum { INITIAL_COLUMN_BUFFER = 256 };

/* Reads what is left of a statement's results so the connection can take the next one. */
static void drain_results(MYSQL *m)
{
	while (mysql_more_results(m) && mysql_next_result(m) == 0) {
		MYSQL_RES *res = mysql_use_result(m);
		if (res)
			mysql_free_result(res);
	}
}

/* Hands each row of an unbuffered result to `row`. Returns 0, the callback's stop value, or
 * -1 on a fetch error (err filled). The result's unread rows are skipped by the caller's
 * mysql_free_result. */
static int deliver_rows(MYSQL *m, MYSQL_RES *res, vigil_row_fn row, void *payload,
                        unsigned long long *count, vigil_db_error *err)
{
	unsigned field_count = mysql_num_fields(res);
	size_t *lengths = calloc(field_count ? field_count : 1, sizeof *lengths);
	if (!lengths) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory reading a result");
		return -1;
	}
	int rc = 0;
	MYSQL_ROW values;
	while ((values = mysql_fetch_row(res)) != NULL) {
		(*count)++;
		if (!row)
			continue;
		unsigned long *l = mysql_fetch_lengths(res);
		for (unsigned i = 0; i < field_count; i++)
			lengths[i] = l ? l[i] : 0;
		rc = row(payload, field_count, (const char *const *)values, lengths);
		if (rc != 0)
			break;
	}
	if (rc == 0 && mysql_errno(m) != 0)
		rc = vmy_error_conn(err, m);
	free(lengths);
	return rc;
}

int vmy_text_query(vigil_conn *conn, const char *sql, vigil_row_fn row, void *payload,
                   unsigned long long *rows_affected, vigil_db_error *err)
{
	MYSQL *m = conn->mysql;
	unsigned long long affected = 0;
	if (rows_affected)
		*rows_affected = 0;
	if (mysql_real_query(m, sql, (unsigned long)strlen(sql)) != 0)
		return vmy_error_conn(err, m);
	int rc = 0;
	for (;;) {
		MYSQL_RES *res = mysql_use_result(m);
		if (res) {
			rc = deliver_rows(m, res, row, payload, &affected, err);
			mysql_free_result(res); /* skips the rows a stopped callback left */
		} else if (mysql_field_count(m) == 0) {
			affected += mysql_affected_rows(m);
		} else {
			rc = vmy_error_conn(err, m);
		}
		if (rc != 0) {
			drain_results(m);
			break;
		}
		int next = mysql_next_result(m);
		if (next < 0)
			break;
		if (next > 0) {
			rc = vmy_error_conn(err, m);
			break;
		}
	}
	if (rows_affected)
		*rows_affected = affected;
	return rc;
}

/* ---- prepared statements ----------------------------------------------------------------- */

typedef struct result_columns {
	unsigned count;
	MYSQL_BIND *binds;
	char **data;           /* each cap[i] + 1 bytes: room for a terminating NUL */
	size_t *cap;
	unsigned long *length;
	my_bool *is_null;
	my_bool *truncated;
	const char **values;
	size_t *lengths;
} result_columns;

static void columns_free(result_columns *c)
{
	for (unsigned i = 0; c->data && i < c->count; i++)
		free(c->data[i]);
	free(c->binds);
	free(c->data);
	free(c->cap);
	free(c->length);
	free(c->is_null);
	free(c->truncated);
	free(c->values);
	free(c->lengths);
}

static int bind_column(result_columns *c, unsigned i, size_t cap)
{
	char *grown = realloc(c->data[i], cap + 1);
	if (!grown)
		return -1;
	c->data[i] = grown;
	c->cap[i] = cap;
	MYSQL_BIND *b = &c->binds[i];
	memset(b, 0, sizeof *b);
	b->buffer_type = MYSQL_TYPE_STRING; /* every value as text */
	b->buffer = grown;
	b->buffer_length = (unsigned long)cap;
	b->length = &c->length[i];
	b->is_null = &c->is_null[i];
	b->error = &c->truncated[i];
	return 0;
}

static int columns_init(result_columns *c, unsigned count)
{
	size_t n = count ? count : 1;
	c->count = count;
	c->binds = calloc(n, sizeof *c->binds);
	c->data = calloc(n, sizeof *c->data);
	c->cap = calloc(n, sizeof *c->cap);
	c->length = calloc(n, sizeof *c->length);
	c->is_null = calloc(n, sizeof *c->is_null);
	c->truncated = calloc(n, sizeof *c->truncated);
	c->values = calloc(n, sizeof *c->values);
	c->lengths = calloc(n, sizeof *c->lengths);
	if (!c->binds || !c->data || !c->cap || !c->length || !c->is_null || !c->truncated ||
	    !c->values || !c->lengths)
		return -1;
	for (unsigned i = 0; i < count; i++)
		if (bind_column(c, i, INITIAL_COLUMN_BUFFER) != 0)
			return -1;
	return 0;
}

/* After MYSQL_DATA_TRUNCATED: grows each cut column and fetches it again, whole. */
static int refetch_truncated(MYSQL_STMT *stmt, result_columns *c, vigil_db_error *err)
{
	for (unsigned i = 0; i < c->count; i++) {
		if (!c->truncated[i] || c->is_null[i] || c->length[i] <= c->cap[i])
			continue;
		if (bind_column(c, i, c->length[i]) != 0) {
			vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory reading a %lu-byte value",
			              c->length[i]);
			return -1;
		}
		if (mysql_stmt_fetch_column(stmt, &c->binds[i], i, 0) != 0)
			return vmy_error_stmt(err, stmt);
	}
	/* The bigger buffers serve the following rows too. */
	if (mysql_stmt_bind_result(stmt, c->binds) != 0)
		return vmy_error_stmt(err, stmt);
	return 0;
}

static int fetch_rows(MYSQL_STMT *stmt, MYSQL_RES *meta, vigil_row_fn row, void *payload,
                      unsigned long long *count, vigil_db_error *err)
{
	result_columns c = { 0 };
	int rc = 0;
	if (columns_init(&c, mysql_num_fields(meta)) != 0) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory reading a result");
		rc = -1;
	} else if (mysql_stmt_bind_result(stmt, c.binds) != 0) {
		rc = vmy_error_stmt(err, stmt);
	}
	while (rc == 0) {
		int f = mysql_stmt_fetch(stmt);
		if (f == MYSQL_NO_DATA)
			break;
		if (f == 1) {
			rc = vmy_error_stmt(err, stmt);
			break;
		}
		if (f == MYSQL_DATA_TRUNCATED && (rc = refetch_truncated(stmt, &c, err)) != 0)
			break;
		(*count)++;
		if (!row)
			continue;
		for (unsigned i = 0; i < c.count; i++) {
			size_t len = c.length[i] < c.cap[i] ? c.length[i] : c.cap[i];
			c.data[i][len] = '\0';
			c.values[i] = c.is_null[i] ? NULL : c.data[i];
			c.lengths[i] = c.is_null[i] ? 0 : len;
		}
		rc = row(payload, c.count, c.values, c.lengths);
	}
	columns_free(&c);
	return rc;
}

static int prepared_query(vigil_conn *conn, const char *sql, size_t param_count,
                          const char *const *params, vigil_row_fn row, void *payload,
                          unsigned long long *affected, vigil_db_error *err)
{
	MYSQL *m = conn->mysql;
	MYSQL_STMT *stmt = mysql_stmt_init(m);
	if (!stmt)
		return vmy_error_conn(err, m);
	MYSQL_BIND *binds = calloc(param_count, sizeof *binds);
	unsigned long *lengths = calloc(param_count, sizeof *lengths);
	MYSQL_RES *meta = NULL;
	int rc = 0;
	if (!binds || !lengths) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory binding parameters");
		rc = -1;
		goto done;
	}
	if (mysql_stmt_prepare(stmt, sql, (unsigned long)strlen(sql)) != 0) {
		rc = vmy_error_stmt(err, stmt);
		goto done;
	}
	unsigned long placeholders = mysql_stmt_param_count(stmt);
	if (placeholders != param_count) {
		vmy_error_set(err, VIGIL_DB_ERR_SQL, NULL,
		              "the statement has %lu placeholder%s but %zu parameter%s given",
		              placeholders, placeholders == 1 ? "" : "s", param_count,
		              param_count == 1 ? " was" : "s were");
		rc = -1;
		goto done;
	}
	for (size_t i = 0; i < param_count; i++) {
		if (!params[i]) {
			binds[i].buffer_type = MYSQL_TYPE_NULL;
			continue;
		}
		/* Text in the connection's utf8mb4; the server converts it to the column's type. */
		lengths[i] = (unsigned long)strlen(params[i]);
		binds[i].buffer_type = MYSQL_TYPE_STRING;
		binds[i].buffer = (void *)params[i];
		binds[i].buffer_length = lengths[i];
		binds[i].length = &lengths[i];
	}
	if (mysql_stmt_bind_param(stmt, binds) != 0 || mysql_stmt_execute(stmt) != 0) {
		rc = vmy_error_stmt(err, stmt);
		goto done;
	}
	meta = mysql_stmt_result_metadata(stmt);
	if (meta)
		rc = fetch_rows(stmt, meta, row, payload, affected, err);
	else if (mysql_stmt_field_count(stmt) == 0)
		*affected = mysql_stmt_affected_rows(stmt);
	else
		rc = vmy_error_stmt(err, stmt);
	/* A CALL ends with more results: read them so the connection is free again. */
	while (rc == 0 && mysql_stmt_more_results(stmt)) {
		mysql_stmt_free_result(stmt);
		if (mysql_stmt_next_result(stmt) > 0) {
			rc = vmy_error_stmt(err, stmt);
			break;
		}
	}
done:
	if (meta)
		mysql_free_result(meta);
	mysql_stmt_free_result(stmt);
	mysql_stmt_close(stmt); /* also skips rows a stopped callback left */
	free(binds);
	free(lengths);
	return rc;
}

int vmy_query(vigil_conn *conn, const char *sql, size_t param_count, const char *const *params,
              vigil_row_fn row, void *payload, unsigned long long *rows_affected,
              vigil_db_error *err)
{
	unsigned long long affected = 0;
	if (rows_affected)
		*rows_affected = 0;
	if (!conn || !sql || (param_count && !params)) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "query: no connection or no SQL");
		return -1;
	}
	int rc = param_count == 0
	                 ? vmy_text_query(conn, sql, row, payload, &affected, err)
	                 : prepared_query(conn, sql, param_count, params, row, payload, &affected, err);
	if (rows_affected)
		*rows_affected = affected;
	return rc;
}

int vmy_exec(vigil_conn *conn, const char *sql, vigil_db_error *err)
{
	if (!conn || !sql) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "exec: no connection or no SQL");
		return -1;
	}
	return vmy_text_query(conn, sql, NULL, NULL, NULL, err);
}

int vmy_begin(vigil_conn *conn, vigil_db_error *err)
{
	return vmy_text_query(conn, "START TRANSACTION", NULL, NULL, NULL, err);
}

int vmy_commit(vigil_conn *conn, vigil_db_error *err)
{
	return mysql_commit(conn->mysql) != 0 ? vmy_error_conn(err, conn->mysql) : 0;
}

int vmy_rollback(vigil_conn *conn, vigil_db_error *err)
{
	return mysql_rollback(conn->mysql) != 0 ? vmy_error_conn(err, conn->mysql) : 0;
}
