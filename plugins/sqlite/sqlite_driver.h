/*
 * sqlite_driver.h — what the SQLite driver's files share: the connection, error helpers and
 * the DDL text rules. Internal to the plugin (symbols are hidden: only the entry function
 * is exported).
 */
#ifndef VIGIL_SQLITE_DRIVER_H
#define VIGIL_SQLITE_DRIVER_H

#include <stddef.h>

#include <sqlite3.h>
#include <vigil/plugin.h>

#include "driver_common.h"

/* sqlite_schema (3.33), ALTER TABLE DROP COLUMN (3.35), sqlite3_changes64 (3.37). */
#if SQLITE_VERSION_NUMBER < 3037000
#error "the SQLite driver needs SQLite 3.37 or later"
#endif

#if defined(__GNUC__)
#define VSQ_PRINTF(fmt_, args_) __attribute__((format(printf, fmt_, args_)))
#else
#define VSQ_PRINTF(fmt_, args_)
#endif

/** The dialect name the host's render_type knows. */
#define VSQ_DIALECT "sqlite"

struct vigil_conn {
	sqlite3 *db;
	char *path;    /* the file as given (malloc'ed), or ":memory:" */
	int memory;    /* an in-memory database */
	int read_only; /* opened read-only on request (mode=ro) */
};

/* ---- errors.c ---------------------------------------------------------------------------- */

/** Resets `err` (may be NULL) to "no error". */
void vsq_error_clear(vigil_db_error *err);
/** Fills `err` (may be NULL) with `kind` and a formatted message; returns -1. */
int vsq_error_set(vigil_db_error *err, int kind, const char *fmt, ...) VSQ_PRINTF(3, 4);
/** The vigil_db_error_kind for an SQLite result code. */
int vsq_error_kind(int rc);
/** Fills `err` from the connection's last error (result code `rc`), prefixed by `context`
 *  when given ("cannot begin a transaction: ..."); returns -1. */
int vsq_error_from_db(vigil_db_error *err, sqlite3 *db, int rc, const char *context);

/* ---- connect.c --------------------------------------------------------------------------- */

int vsq_connect(vigil_conn **out, const vigil_conn_params *params, const vigil_host *host,
                vigil_db_error *err);
void vsq_close(vigil_conn *conn);
int vsq_ping(vigil_conn *conn, vigil_db_error *err);
int vsq_server_version(vigil_conn *conn, char *buf, size_t size, vigil_db_error *err);
int vsq_session_info(vigil_conn *conn, char *user, size_t user_size, char *database,
                     size_t database_size, int *tls, vigil_db_error *err);

/* ---- query.c ----------------------------------------------------------------------------- */

int vsq_exec(vigil_conn *conn, const char *sql, vigil_db_error *err);
int vsq_query(vigil_conn *conn, const char *sql, size_t param_count, const char *const *params,
              vigil_row_fn row, void *payload, unsigned long long *rows_affected,
              vigil_db_error *err);
int vsq_begin(vigil_conn *conn, vigil_db_error *err);
int vsq_commit(vigil_conn *conn, vigil_db_error *err);
int vsq_rollback(vigil_conn *conn, vigil_db_error *err);

/* ---- backup.c ---------------------------------------------------------------------------- */

/** The driver's backup: the whole database copied to `path` (online backup API). */
int vsq_backup(vigil_conn *conn, const char *path, vigil_db_error *err);
/** Whether `sql` holds nothing but whitespace, comments and semicolons. */
int vsq_sql_is_blank(const char *sql);

/* ---- introspect.c / privileges.c --------------------------------------------------------- */

int vsq_introspect(vigil_conn *conn, const char *namespace_, const char *const *skip,
                   vigil_schema_sink *sink, const vigil_host *host, unsigned *round_trips,
                   vigil_db_error *err);
int vsq_privileges(vigil_conn *conn, const char *namespace_, vigil_privilege_sink *sink,
                   const vigil_host *host, vigil_db_error *err);
/** The schema to read: `namespace_`, or "main" when NULL or empty. */
const char *vsq_schema_name(const char *namespace_);
/** A prepared statement reading `schema`'s catalog: `sql_format` holds one %s, replaced by
 *  the schema's quoted name; ?1 is bound to the schema's name. NULL on error (err filled). */
sqlite3_stmt *vsq_prepare_catalog(sqlite3 *db, const char *sql_format, const char *schema,
                                  vigil_db_error *err);

/* ---- ddl.c ------------------------------------------------------------------------------- */

int vsq_render_ddl(const vigil_ddl_change *change, vigil_text_sink *out, const vigil_host *host,
                   vigil_db_error *err);

/* ---- ddl_text.c: SQLite's SQL text rules on the shared vdc_text (driver_common.h) ------- */

/** SQLite's identifier quote: vdc_text_ident(t, name, VSQ_QUOTE) writes "name". */
#define VSQ_QUOTE '"'

/** Appends "schema"."name", or just "name" when schema is NULL, empty or "main". */
void vsq_text_qualified(vdc_text *t, const char *schema, const char *name);
/** ASCII case-insensitive equality (SQL keywords). */
int vsq_equals_ignoring_case(const char *a, const char *b);

#endif
