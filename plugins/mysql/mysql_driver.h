/*
 * mysql_driver.h — what the files of the MySQL/MariaDB driver plugin share. Private to the
 * plugin: everything here has hidden visibility (vigil_add_plugin builds with
 * -fvisibility=hidden), so the .so still exports only its entry function.
 */
#ifndef VIGIL_MYSQL_DRIVER_H
#define VIGIL_MYSQL_DRIVER_H

#include <stdarg.h>
#include <stddef.h>

#include <mysql.h>

#include <vigil/plugin.h>

#include "driver_common.h"

/* A connection: one MYSQL handle, used by one thread at a time. */
struct vigil_conn {
	MYSQL *mysql;
};

/* ---- errors.c: filling vigil_db_error ---------------------------------------------------- */

/** Sets `err` (may be NULL) to `kind` with a printf-style message; sqlstate may be NULL. */
void vmy_error_set(vigil_db_error *err, int kind, const char *sqlstate, const char *fmt, ...)
        VIGIL_PLUGIN_PRINTF(4, 5);

/**
 * Sets `err` from a client-library error: the kind from `code` (`connecting`: the error
 * ended a connect), the message with every occurrence of `secret` (the password, may be NULL)
 * replaced by "****". Returns -1, for `return vmy_error_from(...)`.
 */
int vmy_error_from(vigil_db_error *err, unsigned code, const char *sqlstate, const char *message,
                   int connecting, const char *secret);

/** The last error of a connection / a statement into `err`. Return -1. */
int vmy_error_conn(vigil_db_error *err, MYSQL *mysql);
int vmy_error_stmt(vigil_db_error *err, MYSQL_STMT *stmt);

/** The vigil_db_error_kind of a MySQL/MariaDB error code (server 1xxx, client 2xxx). */
int vmy_error_kind(unsigned code, const char *message, int connecting);

/* ---- sqlbuf.c: MySQL quoting on the shared SQL text (vdc_text, driver_common.h) ------------- */

/** MySQL's identifier quote: vdc_text_ident(b, name, VMY_QUOTE) writes `name`. */
#define VMY_QUOTE '`'

/** `text` as a single-quoted literal escaped for the connection's charset and sql_mode. */
void vmy_escaped(vdc_text *b, MYSQL *mysql, const char *text);

/* ---- connect.c ----------------------------------------------------------------------------- */

int vmy_connect(vigil_conn **out, const vigil_conn_params *params, const vigil_host *host,
                vigil_db_error *err);
void vmy_close(vigil_conn *conn);
int vmy_ping(vigil_conn *conn, vigil_db_error *err);
int vmy_server_version(vigil_conn *conn, char *buf, size_t size, vigil_db_error *err);
int vmy_session_info(vigil_conn *conn, char *user, size_t user_size, char *database,
                     size_t database_size, int *tls, vigil_db_error *err);

/* ---- query.c ------------------------------------------------------------------------------- */

int vmy_exec(vigil_conn *conn, const char *sql, vigil_db_error *err);
int vmy_query(vigil_conn *conn, const char *sql, size_t param_count, const char *const *params,
              vigil_row_fn row, void *payload, unsigned long long *rows_affected,
              vigil_db_error *err);
int vmy_begin(vigil_conn *conn, vigil_db_error *err);
int vmy_commit(vigil_conn *conn, vigil_db_error *err);
int vmy_rollback(vigil_conn *conn, vigil_db_error *err);

/**
 * One round trip of the text protocol (no parameters): the server's own text for every value.
 * `row` may be NULL. A non-zero return of `row` stops the rows and is returned.
 */
int vmy_text_query(vigil_conn *conn, const char *sql, vigil_row_fn row, void *payload,
                   unsigned long long *rows_affected, vigil_db_error *err);

/* ---- catalog readers ----------------------------------------------------------------------- */

int vmy_introspect(vigil_conn *conn, const char *namespace_, const char *const *skip,
                   vigil_schema_sink *sink, const vigil_host *host, unsigned *round_trips,
                   vigil_db_error *err);
int vmy_privileges(vigil_conn *conn, const char *namespace_, vigil_privilege_sink *sink,
                   const vigil_host *host, vigil_db_error *err);

/** `<column> = 'ns'`, or `<column> = DATABASE()` when namespace_ is NULL or empty. */
void vmy_schema_filter(vdc_text *b, MYSQL *mysql, const char *column, const char *namespace_);

/* ---- ddl.c --------------------------------------------------------------------------------- */

int vmy_render_ddl(const vigil_ddl_change *change, vigil_text_sink *out, const vigil_host *host,
                   vigil_db_error *err);

#endif
