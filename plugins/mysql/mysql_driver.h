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

/* ---- sqlbuf.c: building SQL text ----------------------------------------------------------- */

typedef struct vmy_buf {
	char *data;   /* NUL-terminated; NULL until something is added */
	size_t len;
	size_t cap;
	int failed;   /* out of memory: later adds do nothing */
} vmy_buf;

void vmy_buf_add(vmy_buf *b, const char *text);
void vmy_buf_addn(vmy_buf *b, const char *text, size_t n);
void vmy_buf_printf(vmy_buf *b, const char *fmt, ...) VIGIL_PLUGIN_PRINTF(2, 3);
/** `name` quoted as a MySQL identifier: backticks, an inner backtick doubled. */
void vmy_buf_ident(vmy_buf *b, const char *name);
/** `namespace_`.`table` (just `table` when namespace_ is NULL or empty). */
void vmy_buf_table(vmy_buf *b, const char *namespace_, const char *table);
/**
 * `text` as a single-quoted string literal without a connection (DDL): quotes doubled and
 * backslashes doubled, as the default sql_mode (without NO_BACKSLASH_ESCAPES) reads them.
 */
void vmy_buf_literal(vmy_buf *b, const char *text);
/** `text` as a single-quoted literal escaped for the connection's charset and sql_mode. */
void vmy_buf_escaped(vmy_buf *b, MYSQL *mysql, const char *text);
/** Releases the text; the struct can be reused. */
void vmy_buf_free(vmy_buf *b);

/* ---- resolve.c: host names within the connect deadline ------------------------------------ */

enum { VMY_MAX_ADDRESSES = 8 };

typedef struct vmy_addresses {
	char text[VMY_MAX_ADDRESSES][64]; /* numeric IPv4 / IPv6 addresses, in getaddrinfo's order */
	size_t count;
} vmy_addresses;

/**
 * The addresses of `host` (a numeric address is its own), looked up on a thread the caller
 * stops waiting for at `deadline_ms` (CLOCK_MONOTONIC milliseconds; `timeout_ms` is for the
 * message). 0, or -1 with err: DNS when the name does not resolve, TIMEOUT when the resolver
 * did not answer in time.
 */
int vmy_resolve(const char *host, long long deadline_ms, unsigned timeout_ms,
                vmy_addresses *out, vigil_db_error *err);

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
void vmy_buf_schema_filter(vmy_buf *b, MYSQL *mysql, const char *column, const char *namespace_);

/* ---- ddl.c --------------------------------------------------------------------------------- */

int vmy_render_ddl(const vigil_ddl_change *change, vigil_text_sink *out, const vigil_host *host,
                   vigil_db_error *err);

#endif
