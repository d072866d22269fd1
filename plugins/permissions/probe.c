/*
 * probe.c — proving a privilege by using it, without changing anything: a statement that
 * matches no row (WHERE 1=0), inside a transaction that is always rolled back (the SELECT,
 * which cannot write, runs without one). Used where the catalogs cannot tell: SQLite has no
 * users (a file opened read-only, or not writable, refuses writes), and any database whose
 * catalogs say nothing about a table. The SELECT also tells whether the table exists.
 *
 *   select  SELECT * FROM t WHERE 1=0
 *   insert  INSERT INTO t SELECT * FROM t WHERE 1=0
 *   update  UPDATE t SET c = c WHERE 1=0
 *   delete  DELETE FROM t WHERE 1=0
 *
 * None of them touches a row, so even a table whose engine ignores transactions (MyISAM)
 * keeps its data; the rollback undoes what statement-level triggers may have done. A refusal
 * for lack of a privilege (or a read-only database) is PROBE_DENIED; a missing table is
 * PROBE_NO_TABLE; any other error leaves the question to the catalogs.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "permissions.h"

/* An identifier quoted for the dialect: "a""b" (SQLite, PostgreSQL) or `a``b` (MySQL).
 * Returns 0, or -1 when it does not fit. */
static int quote_identifier(char *out, size_t size, const char *name, int mysql)
{
	char quote = mysql ? '`' : '"';
	size_t used = 0;
	if (size < 3)
		return -1;
	out[used++] = quote;
	for (const char *c = name; *c; c++) {
		if (used + 3 >= size)
			return -1;
		if (*c == quote)
			out[used++] = quote;
		out[used++] = *c;
	}
	out[used++] = quote;
	out[used] = '\0';
	return 0;
}

static int ignore_row(void *payload, size_t column_count, const char *const *values,
                      const size_t *lengths)
{
	(void)payload, (void)column_count, (void)values, (void)lengths;
	return 0;
}

static int contains(const char *text, const char *part)
{
	return strstr(text, part) != NULL;
}

/* 42P01 (PostgreSQL), 42S02 (MySQL); SQLite has no SQLSTATE. */
static int is_missing_table(const vigil_db_error *err)
{
	return strcmp(err->sqlstate, "42P01") == 0 || strcmp(err->sqlstate, "42S02") == 0 ||
	       contains(err->message, "no such table");
}

/* No privilege, or a database that refuses every write (a read-only SQLite file or
 * connection, a read-only transaction or server). */
static int is_denied(const vigil_db_error *err)
{
	return err->kind == VIGIL_DB_ERR_PERMISSION || strcmp(err->sqlstate, "25006") == 0 ||
	       contains(err->message, "readonly database") || contains(err->message, "read-only") ||
	       contains(err->message, "read only");
}

static probe_outcome classify(const vigil_db_error *err)
{
	if (is_missing_table(err))
		return PROBE_NO_TABLE;
	if (is_denied(err))
		return PROBE_DENIED;
	return PROBE_INCONCLUSIVE;
}

static int build_statement(char *sql, size_t size, const char *table, const char *column,
                           unsigned privilege, int mysql)
{
	char t[300], c[300];
	if (quote_identifier(t, sizeof t, table, mysql) != 0)
		return -1;
	int n;
	switch (privilege) {
	case PRIV_SELECT:
		n = snprintf(sql, size, "SELECT * FROM %s WHERE 1=0", t);
		break;
	case PRIV_INSERT:
		n = snprintf(sql, size, "INSERT INTO %s SELECT * FROM %s WHERE 1=0", t, t);
		break;
	case PRIV_UPDATE:
		if (!column || quote_identifier(c, sizeof c, column, mysql) != 0)
			return -1;
		n = snprintf(sql, size, "UPDATE %s SET %s = %s WHERE 1=0", t, c, c);
		break;
	case PRIV_DELETE:
		n = snprintf(sql, size, "DELETE FROM %s WHERE 1=0", t);
		break;
	default:
		return -1;
	}
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static void set_error(vigil_db_error *err, int kind, const char *message)
{
	memset(err, 0, sizeof *err);
	err->kind = kind;
	snprintf(err->message, sizeof err->message, "%s", message);
}

probe_outcome probe_privilege(prober *p, const char *table, const char *column,
                              unsigned privilege, char *sql, size_t sql_size,
                              vigil_db_error *err)
{
	const vigil_host *host = p->host;
	if (build_statement(sql, sql_size, table, column, privilege, p->mysql) != 0) {
		snprintf(sql, sql_size, "(no statement)");
		set_error(err, VIGIL_DB_ERR_UNSUPPORTED,
		          privilege == PRIV_UPDATE && !column
		                  ? "the blueprint declares no column of the table to update"
		                  : "the table's name is too long to probe");
		return PROBE_INCONCLUSIVE;
	}
	if (p->broken) {
		set_error(err, VIGIL_DB_ERR_LOST, "an earlier probe left the session unusable");
		return PROBE_BROKEN;
	}
	memset(err, 0, sizeof *err);
	unsigned long long affected = 0;
	if (privilege == PRIV_SELECT) {
		/* Reads only: no transaction needed (it saves two round trips per table). */
		p->count++;
		if (host->db_query(p->session, sql, 0, NULL, ignore_row, NULL, &affected, err) == 0)
			return PROBE_HELD;
		if (err->kind == VIGIL_DB_ERR_LOST) {
			p->broken = 1;
			return PROBE_BROKEN;
		}
		return classify(err);
	}
	if (host->db_begin(p->session, err) != 0) {
		p->broken = 1;
		return PROBE_BROKEN;
	}
	p->count++;
	int rc = host->db_query(p->session, sql, 0, NULL, ignore_row, NULL, &affected, err);
	vigil_db_error rollback_err = { 0 };
	if (host->db_rollback(p->session, &rollback_err) != 0) {
		/* Whatever the statement did cannot be known undone: stop probing on this session
		 * and close it (db_release broken), which ends the transaction on the server. */
		host->log(p->ctx, VIGIL_PLUGIN_ERROR, "rolling back the probe \"%s\" failed: %s", sql,
		          rollback_err.message);
		p->broken = 1;
		if (rc == 0)
			*err = rollback_err;
		return PROBE_BROKEN;
	}
	if (rc == 0) {
		if (affected != 0) /* cannot happen with WHERE 1=0; the rollback undid it anyway */
			host->log(p->ctx, VIGIL_PLUGIN_WARNING, "the probe \"%s\" reported %llu rows "
			          "(rolled back)", sql, affected);
		return PROBE_HELD;
	}
	if (err->kind == VIGIL_DB_ERR_LOST) {
		p->broken = 1;
		return PROBE_BROKEN;
	}
	return classify(err);
}
