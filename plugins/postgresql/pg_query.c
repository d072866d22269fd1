/*
 * pg_query.c — statements: `?` placeholders rewritten to PostgreSQL's $n, text parameters,
 * rows streamed to the caller one at a time (libpq's single-row mode, so a large result is
 * never held whole), and transactions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_internal.h"

enum { MAX_PARAMS = 65535 }; /* the protocol's limit */

/* ---- placeholders -------------------------------------------------------------------------- */

static int ident_char(char c)
{
	unsigned char u = (unsigned char)c;
	return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
	       u == '_' || u == '$' || u >= 0x80;
}

static int ident_start(char c)
{
	return ident_char(c) && c != '$' && !(c >= '0' && c <= '9');
}

/* Length of a quoted run opening at s[i] with `q`: a doubled quote stays inside; with
 * `backslash`, so does \x. Runs to the end when unterminated. */
static size_t quoted_length(const char *s, size_t i, char q, int backslash)
{
	size_t j = i + 1;
	for (; s[j]; j++) {
		if (backslash && s[j] == '\\' && s[j + 1]) {
			j++;
			continue;
		}
		if (s[j] == q) {
			if (s[j + 1] == q) {
				j++;
				continue;
			}
			return j + 1 - i;
		}
	}
	return j - i;
}

/* $$...$$ or $tag$...$tag$ opening at s[i]; 0 when s[i] is not one ($1 is a parameter). */
static size_t dollar_length(const char *s, size_t i)
{
	if (i > 0 && ident_char(s[i - 1]))
		return 0; /* a '$' inside an identifier */
	size_t j = i + 1;
	if (s[j] != '$') {
		if (!ident_start(s[j]))
			return 0;
		while (ident_char(s[j]) && s[j] != '$')
			j++;
		if (s[j] != '$')
			return 0;
	}
	size_t tag = j + 1 - i;
	for (const char *p = s + j + 1; (p = strchr(p, '$')) != NULL; p++)
		if (strncmp(p, s + i, tag) == 0)
			return (size_t)(p - (s + i)) + tag;
	return strlen(s + i);
}

static size_t block_comment_length(const char *s, size_t i)
{
	size_t j = i + 2;
	int depth = 1; /* PostgreSQL's block comments nest */
	while (s[j] && depth) {
		if (s[j] == '/' && s[j + 1] == '*') {
			depth++;
			j += 2;
		} else if (s[j] == '*' && s[j + 1] == '/') {
			depth--;
			j += 2;
		} else {
			j++;
		}
	}
	return j - i;
}

/* Length of the literal, quoted identifier, dollar quote or comment opening at s[i], in
 * which a '?' is text; 0 when none opens there. */
static size_t opaque_length(const char *s, size_t i)
{
	switch (s[i]) {
	case '\'': {
		/* E'...' (not the end of a longer identifier) takes backslash escapes */
		int escapes = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
		              (i == 1 || !ident_char(s[i - 2]));
		return quoted_length(s, i, '\'', escapes);
	}
	case '"':
		return quoted_length(s, i, '"', 0);
	case '$':
		return dollar_length(s, i);
	case '-':
		return s[i + 1] == '-' ? strcspn(s + i, "\n") : 0;
	case '/':
		return s[i + 1] == '*' ? block_comment_length(s, i) : 0;
	default:
		return 0;
	}
}

void pg_rewrite_placeholders(const char *sql, vdc_text *out, size_t *count)
{
	*count = 0;
	size_t run = 0; /* start of the text not yet copied */
	for (size_t i = 0; sql[i];) {
		size_t skip = opaque_length(sql, i);
		if (skip) {
			i += skip;
			continue;
		}
		if (sql[i] == '?') {
			char param[16];
			snprintf(param, sizeof param, "$%zu", ++*count);
			vdc_text_addn(out, sql + run, i - run);
			vdc_text_add(out, param);
			run = ++i;
			continue;
		}
		i++;
	}
	vdc_text_add(out, sql + run);
}

/* ---- statements -------------------------------------------------------------------------- */

int pg_exec(vigil_conn *conn, const char *sql, vigil_db_error *err)
{
	pg_error_clear(err);
	PGresult *res = PQexec(conn->pg, sql);
	ExecStatusType status = PQresultStatus(res);
	int ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
	int rc = ok ? 0 : pg_result_error(err, conn->pg, res);
	PQclear(res);
	return rc;
}

/* The values of one row in the arrays the row callback takes. */
typedef struct row_buffer {
	const char **values;
	size_t *lengths;
	size_t cap;
} row_buffer;

static int call_row(row_buffer *b, const PGresult *res, vigil_row_fn row, void *payload,
                    vigil_db_error *err)
{
	size_t n = (size_t)PQnfields(res);
	if (n > b->cap) {
		const char **values = realloc(b->values, n * sizeof *values);
		if (values)
			b->values = values;
		size_t *lengths = realloc(b->lengths, n * sizeof *lengths);
		if (lengths)
			b->lengths = lengths;
		if (!values || !lengths)
			return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
		b->cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		int null = PQgetisnull(res, 0, (int)i);
		b->values[i] = null ? NULL : PQgetvalue(res, 0, (int)i);
		b->lengths[i] = null ? 0 : (size_t)PQgetlength(res, 0, (int)i);
	}
	return row(payload, n, b->values, b->lengths);
}

int pg_query(vigil_conn *conn, const char *sql, size_t param_count, const char *const *params,
             vigil_row_fn row, void *payload, unsigned long long *rows_affected,
             vigil_db_error *err)
{
	pg_error_clear(err);
	if (rows_affected)
		*rows_affected = 0;
	if (param_count > MAX_PARAMS)
		return pg_error(err, VIGIL_DB_ERR_SQL, NULL, "a statement takes at most 65535 parameters", NULL);
	if (param_count && !params)
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "parameters counted but not given", NULL);
	vdc_text text = { 0 };
	size_t placeholders = 0;
	pg_rewrite_placeholders(sql, &text, &placeholders);
	if (text.failed) {
		vdc_text_free(&text);
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
	}
	if (placeholders != param_count && placeholders) {
		char message[200];
		snprintf(message, sizeof message,
		         "the statement has %zu ? placeholders but %zu parameters were given",
		         placeholders, param_count);
		vdc_text_free(&text);
		return pg_error(err, VIGIL_DB_ERR_SQL, NULL, message, NULL);
	}
	/* without any '?', the SQL may use $n itself */
	int sent = PQsendQueryParams(conn->pg, placeholders ? vdc_text_str(&text) : sql,
	                             (int)param_count, NULL, params, NULL, NULL, 0);
	vdc_text_free(&text);
	if (!sent)
		return pg_result_error(err, conn->pg, NULL);
	PQsetSingleRowMode(conn->pg);

	/* Read every result, even after the callback stopped or an error: the connection must
	 * be ready for the next statement. The first outcome that is not 0 is returned. */
	int rc = 0;
	row_buffer buffer = { 0 };
	PGresult *res;
	while ((res = PQgetResult(conn->pg)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			if (rc == 0 && row)
				rc = call_row(&buffer, res, row, payload, err);
			break;
		case PGRES_TUPLES_OK:
		case PGRES_COMMAND_OK:
			if (rc == 0 && rows_affected)
				*rows_affected = strtoull(PQcmdTuples(res), NULL, 10);
			break;
		case PGRES_EMPTY_QUERY:
			break;
		default:
			if (rc == 0)
				rc = pg_result_error(err, conn->pg, res);
			break;
		}
		PQclear(res);
	}
	free(buffer.values);
	free(buffer.lengths);
	return rc;
}

int pg_begin(vigil_conn *conn, vigil_db_error *err)
{
	return pg_exec(conn, "BEGIN", err);
}

int pg_commit(vigil_conn *conn, vigil_db_error *err)
{
	pg_error_clear(err);
	PGresult *res = PQexec(conn->pg, "COMMIT");
	int rc;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_result_error(err, conn->pg, res);
	else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		/* COMMIT of a failed transaction succeeds as a ROLLBACK: not what the caller asked */
		rc = pg_error(err, VIGIL_DB_ERR_SQL, "25P02",
		              "the transaction was rolled back, not committed: a statement in it failed",
		              NULL);
	else
		rc = 0;
	PQclear(res);
	return rc;
}

int pg_rollback(vigil_conn *conn, vigil_db_error *err)
{
	return pg_exec(conn, "ROLLBACK", err);
}
