/*
 * db.h — a blueprint database opened through its driver plugin.
 *
 * The engine never links a client library: it finds the DRIVER plugin named like the
 * database type ("sqlite", "postgresql", "mysql") in a plugin set (loading it by name when it
 * is not loaded yet), turns the blueprint's URL into vigil_conn_params (vg_url_parse,
 * percent-decoded; SQLite files via vg_url_sqlite_file) and calls the driver's table.
 *
 * On top of the raw driver calls it adds what every caller needs:
 *  - secrets: every message (driver errors, pool connect errors) passes through
 *    vg_url_redact and has the password itself replaced by "****", so no message leaving
 *    this module contains it (vg_db_scrubbed counts the messages a DRIVER got wrong);
 *  - the engine's schema model: vg_db_introspect fills a vg_schema through the host's sinks;
 *  - DDL through the driver's own dialect: vg_db_render, and vg_db_create_declared /
 *    vg_db_drop_declared to create (drop) a declared schema in dependency order;
 *  - a vg_pool_connector so the pool works over any driver.
 *
 * Threads: vg_db_open calls the plugin's thread_init for the calling thread (vg_db_close its
 * thread_fini). Other threads using connections of the same handle go through the pool's
 * vg_pool_thread_begin/end (the connector's thread hooks). A connection is used by one
 * thread at a time.
 *
 * Errors: functions return 0, or -1 with `err` (caller-allocated, may be NULL) filled;
 * err->kind is a vigil_db_error_kind.
 */
#ifndef VG_DB_H
#define VG_DB_H

#include <stddef.h>

#include "vigil/plugin.h"

#include "arena.h"
#include "blueprint.h"
#include "db_sinks.h"
#include "plugin_loader.h"
#include "pool.h"
#include "schema.h"

/** Default connect deadline when the blueprint gives none. */
#define VG_DB_DEFAULT_CONNECT_TIMEOUT_MS 5000u

typedef struct vg_db vg_db;

/** Where to connect, when not from a blueprint database (vg_db_open_database). */
typedef struct vg_db_target {
	vg_db_type type;             /* VG_DB_UNKNOWN: taken from the URL's scheme */
	const char *url;             /* secret: never printed */
	const char *base_dir;        /* relative SQLite paths resolve against it; NULL: cwd */
	unsigned connect_timeout_ms; /* 0: VG_DB_DEFAULT_CONNECT_TIMEOUT_MS */
} vg_db_target;

/**
 * Opens a handle: finds (or loads) the driver plugin, parses the URL, calls the plugin's
 * thread_init for this thread. No connection is made yet. Returns 0 with *out set, or -1
 * (err: OTHER for a bad URL or an unknown type, UNSUPPORTED when no driver plugin of that
 * name can be loaded — the loader's reason is in the message).
 */
int vg_db_open(vg_db **out, vg_plugins *plugins, const vg_db_target *target, vigil_db_error *err);

/** The same for a blueprint database: its type, URL, sqlite_path and pool.connect_timeout_ms. */
int vg_db_open_database(vg_db **out, vg_plugins *plugins, const vg_database *database,
                        const char *base_dir, vigil_db_error *err);

/** Calls the plugin's thread_fini (on the opening thread) and frees the handle. NULL allowed. */
void vg_db_close(vg_db *db);

vg_db_type vg_db_get_type(const vg_db *db);
/** The driver's function table and the plugin's descriptor (borrowed from the loader). */
const vigil_driver *vg_db_driver(const vg_db *db);
const vigil_plugin_desc *vg_db_plugin(const vg_db *db);
/** The parameters connections use (the password is in there: never print them). */
const vigil_conn_params *vg_db_params(const vg_db *db);
/** How many driver messages contained the password or an unredacted URL and were scrubbed:
 *  non-zero is a driver bug (the conformance suite fails on it). */
unsigned vg_db_scrubbed(const vg_db *db);

/**
 * Makes `message` (NUL-terminated, in a buffer of `size` bytes) safe to print: URLs redacted
 * and the handle's password replaced by "****", in place (truncating if needed).
 * Returns 1 when something was replaced.
 */
int vg_db_scrub(vg_db *db, char *message, size_t size);

/* ---- connections (all errors scrubbed) ---- */

/** One connection within the handle's connect timeout. */
int vg_db_connect(vg_db *db, vigil_conn **out, vigil_db_error *err);
/** The same with another deadline (the pool's). */
int vg_db_connect_within(vg_db *db, vigil_conn **out, unsigned timeout_ms, vigil_db_error *err);
void vg_db_disconnect(vg_db *db, vigil_conn *conn);

/* ---- deadlines (db_limits.c; docs/faults.md) ----
 * Every connection the handle opens from then on gets server-side lock and statement
 * timeouts (PostgreSQL lock_timeout / statement_timeout, MySQL lock_wait_timeout /
 * max_statement_time, SQLite busy_timeout), so nothing vigil runs waits past its deadline
 * and no session of vigil's outlives it. A connection whose timeouts cannot be set is
 * closed and the connect fails. */

/** The limits in milliseconds (0 and 0: none, the default). */
void vg_db_set_limits(vg_db *db, unsigned lock_ms, unsigned statement_ms);
/**
 * The limits for a deadline: lock waits a quarter of it; statements half of it for checks
 * (`checks` non-zero: the check must still report before the host kills it), all of it for
 * healing and migrations.
 */
void vg_db_set_deadline(vg_db *db, unsigned deadline_ms, int checks);
/** The lock timeout in force (0: none). */
unsigned vg_db_lock_timeout_ms(const vg_db *db);
/** Sets the limits on one connection (what connecting does). 0, or -1 with err filled. */
int vg_db_apply_limits(vg_db *db, vigil_conn *conn, unsigned lock_ms, unsigned statement_ms,
                       vigil_db_error *err);
/** Non-zero when err is a lock wait or statement that ran into its timeout. */
int vg_db_is_wait_timeout(const vg_db *db, const vigil_db_error *err);
/**
 * What a lock wait waited for, from the catalog, on a connection of its own: "table items is
 * locked (AccessExclusiveLock) by session 4242 (user ..., application ..., ...)"; where the
 * server does not tell the session (MariaDB without metadata_lock_info), the tables in use.
 */
void vg_db_explain_wait(vg_db *db, char *out, size_t size);
int vg_db_exec(vg_db *db, vigil_conn *conn, const char *sql, vigil_db_error *err);
int vg_db_query(vg_db *db, vigil_conn *conn, const char *sql, size_t param_count,
                const char *const *params, vigil_row_fn row, void *payload,
                unsigned long long *rows_affected, vigil_db_error *err);
int vg_db_begin(vg_db *db, vigil_conn *conn, vigil_db_error *err);
int vg_db_commit(vg_db *db, vigil_conn *conn, vigil_db_error *err);
int vg_db_rollback(vg_db *db, vigil_conn *conn, vigil_db_error *err);

/**
 * A connector for vg_pool_new over this handle (ctx = db; the handle must outlive the
 * pool): connect with the pool's timeout, close, ping, and the plugin's thread hooks.
 */
/* Its connect returns the vigil_db_error_kind of a failure (see vg_pool_acquire_ex). */
void vg_db_pool_connector(vg_db *db, vg_pool_connector *out);

/* ---- schema ---- */

/**
 * The live schema of `namespace_` (NULL: the connection's own) as a new, finished vg_schema
 * allocated from `arena`, tables named in `skip` (NULL-terminated, may be NULL) left out.
 * `*round_trips` (may be NULL) gets the driver's count of catalog queries.
 */
int vg_db_introspect(vg_db *db, vigil_conn *conn, vg_arena *arena, const char *namespace_,
                     const char *const *skip, vg_schema **out, unsigned *round_trips,
                     vigil_db_error *err);

/** The connected user's privileges (see vg_privilege_has), allocated from `arena`. */
int vg_db_privileges(vg_db *db, vigil_conn *conn, vg_arena *arena, const char *namespace_,
                     vigil_privilege_sink **out, vigil_db_error *err);

/**
 * The statements a driver rendered for one change, as it made them (one per text_append
 * call), each checked to lex as exactly one statement with no comment: nothing splits
 * rendered text, so a value that reached the SQL as code is refused rather than run.
 */
typedef struct vg_db_statements {
	const char **sql; /* `count` statements, each ending in ';' */
	size_t count;
	const char *text; /* all of them, one after the other (for display) */
} vg_db_statements;

/** One change rendered by the driver as statements, copied to `arena`. 0, or -1 with err. */
int vg_db_render_statements(vg_db *db, const vigil_ddl_change *change, vg_arena *arena,
                            vg_db_statements *out, vigil_db_error *err);

/** As vg_db_render_statements, all statements as one text (for display, never to run). */
int vg_db_render(vg_db *db, const vigil_ddl_change *change, vg_arena *arena, char **sql,
                 vigil_db_error *err);

/** Runs the statements one by one, stopping at the first failure. */
int vg_db_exec_statements(vg_db *db, vigil_conn *conn, const vg_db_statements *st,
                          vigil_db_error *err);

/** Runs every statement of `sql` (split on ';' outside literals and comments): for SQL the
 *  blueprint gives as code (migrations), never for SQL built from values. */
int vg_db_exec_script(vg_db *db, vigil_conn *conn, const char *sql, vigil_db_error *err);

/**
 * Creates a declared (finished) schema through the driver's own DDL: CREATE_TABLE per table,
 * referenced tables first; foreign keys inline for SQLite, else ADD_FOREIGN_KEY changes once
 * every table exists; then CREATE_INDEX per index. Stops at the first failure (err names the
 * table). Not wrapped in a transaction (the caller decides).
 */
int vg_db_create_declared(vg_db *db, vigil_conn *conn, const vg_schema *declared,
                          vigil_db_error *err);

/** The same from a blueprint database (vg_schema_from_declared first). */
int vg_db_create_database(vg_db *db, vigil_conn *conn, const vg_database *database,
                          vigil_db_error *err);

/**
 * Drops the declared schema's tables that exist, referencing tables first (DROP_TABLE).
 * Tables that do not exist are skipped (looked up by one introspection).
 */
int vg_db_drop_declared(vg_db *db, vigil_conn *conn, const vg_schema *declared,
                        vigil_db_error *err);

/** "AUTH", "TIMEOUT", ...: a short name for an error kind. */
const char *vg_db_error_kind_name(int kind);

#endif
