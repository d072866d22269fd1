/*
 * pg_internal.h — what the PostgreSQL driver's files share: the connection, error helpers,
 * and the entry points of each file. Nothing here leaves the plugin
 * (it is built with hidden visibility; only vigil_plugin_postgresql_get_desc is exported).
 */
#ifndef VIGIL_PG_INTERNAL_H
#define VIGIL_PG_INTERNAL_H

#include <stddef.h>

#include <libpq-fe.h>
#include <vigil/plugin.h>

#include "driver_common.h"

/** The driver-owned connection (vigil_conn is opaque to the host). */
struct vigil_conn {
	PGconn *pg;
};

/* ---- errors (pg_error.c) --------------------------------------------------------------- */

/**
 * Fills `err` with `kind`, `sqlstate` (NULL: "") and `message`, made one line and with
 * passwords removed: `password` (if non-empty) anywhere in the text, and the value of any
 * "password=" pair a library echoes. Returns -1, so callers can `return pg_error(...)`.
 */
int pg_error(vigil_db_error *err, int kind, const char *sqlstate, const char *message,
             const char *password);

/** The error of a failed connection attempt (libpq's message, classified by its text). */
int pg_connect_error(vigil_db_error *err, const char *libpq_message, const char *password);

/** The error of a statement: from its result (SQLSTATE) or, without one, from the connection. */
int pg_result_error(vigil_db_error *err, PGconn *pg, const PGresult *res);

/** Clears `err` (may be NULL) to VIGIL_DB_OK. */
void pg_error_clear(vigil_db_error *err);

/* ---- SQL text: the drivers' shared vdc_text (driver_common.h) ------------------------------- */

/** PostgreSQL's identifier quote: vdc_text_ident(t, name, PG_QUOTE) writes "name". */
#define PG_QUOTE '"'

/* ---- connecting (pg_connect.c) ----------------------------------------------------------- */

int pg_connect(vigil_conn **out, const vigil_conn_params *params, const vigil_host *host,
               vigil_db_error *err);
void pg_close(vigil_conn *conn);
int pg_ping(vigil_conn *conn, vigil_db_error *err);
int pg_server_version(vigil_conn *conn, char *buf, size_t size, vigil_db_error *err);
int pg_session_info(vigil_conn *conn, char *user, size_t user_size, char *database,
                    size_t database_size, int *tls, vigil_db_error *err);

/* ---- statements (pg_query.c) ----------------------------------------------------------------- */

/**
 * Rewrites `?` placeholders outside string literals, quoted identifiers, dollar quotes and
 * comments to $1, $2, ... into `out`; `*count` gets how many there were.
 */
void pg_rewrite_placeholders(const char *sql, vdc_text *out, size_t *count);

int pg_exec(vigil_conn *conn, const char *sql, vigil_db_error *err);
int pg_query(vigil_conn *conn, const char *sql, size_t param_count, const char *const *params,
             vigil_row_fn row, void *payload, unsigned long long *rows_affected,
             vigil_db_error *err);
int pg_begin(vigil_conn *conn, vigil_db_error *err);
int pg_commit(vigil_conn *conn, vigil_db_error *err);
int pg_rollback(vigil_conn *conn, vigil_db_error *err);

/* ---- catalogs (pg_introspect.c, pg_privileges.c) ------------------------------------------- */

/** Appends catalog SQL `tmpl` with each "@NS@" replaced by the namespace: a quoted
 *  literal, or current_schema() for NULL. */
void pg_catalog_sql(vdc_text *sql, const char *tmpl, const char *namespace_);

int pg_introspect(vigil_conn *conn, const char *namespace_, const char *const *skip,
                  vigil_schema_sink *sink, const vigil_host *host, unsigned *round_trips,
                  vigil_db_error *err);
int pg_privileges(vigil_conn *conn, const char *namespace_, vigil_privilege_sink *sink,
                  const vigil_host *host, vigil_db_error *err);

/* ---- DDL (pg_ddl.c) ---------------------------------------------------------------------------- */

int pg_render_ddl(const vigil_ddl_change *change, vigil_text_sink *out, const vigil_host *host,
                  vigil_db_error *err);

#endif
