/*
 * vigil/plugin.h — the one header a vigil plugin includes.
 *
 * Self-contained: includes only system headers; C99 and C++ (C++11 and later) compatible.
 * A plugin never links against libvigil: it reaches the host only through the function
 * table (`vigil_host`) passed to each of its callbacks.
 *
 * ---------------------------------------------------------------------------------------
 * The contract in brief (ABI 1.0; 1.1 adds drivers, 1.2 database access for checks and healing)
 *
 *  - A plugin is a shared object named `vigil_<name>.so` in a plugin directory. It exports
 *    exactly one function, `const vigil_plugin_desc *vigil_plugin_<name>_get_desc(void)`,
 *    emitted by VIGIL_PLUGIN_DEFINE (or VIGIL_PLUGIN_DEFINE_EX). The function returns a
 *    `static const` descriptor; the host reads it, never writes it. (A function, not a data
 *    symbol, because dlsym is only guaranteed for functions — PostgreSQL's PG_MODULE_MAGIC.)
 *  - The descriptor begins with a padding-free ABI block (magic, ABI major/minor, descriptor
 *    size, pointer size). The host checks it before reading anything else and refuses the
 *    plugin on the first fundamental mismatch, in this order: magic, major (must be equal),
 *    minor (the plugin's must be <= the host's), descriptor size, pointer size; then the
 *    metadata (name equal to the file's, version, kind, checks) and duplicate names; then
 *    it calls `init`. A refused plugin is reported with its file and the reason; the run
 *    carries on without it.
 *  - Versioning: VIGIL_PLUGIN_ABI_MAJOR changes only when existing plugins would break; the
 *    minor grows when something is appended. Within a major, structs crossing the boundary
 *    only grow at their end (the descriptor and the host table), or give meaning to
 *    `reserved` slots (vigil_check_def, whose size is fixed for the whole major because
 *    plugins ship arrays of it). The plugin ABI version is independent of vigil's version.
 *  - Ownership: everything a plugin passes to the host (strings, descriptors) is borrowed for
 *    the duration of the call unless said otherwise, and the host copies what it keeps;
 *    descriptors and check tables must stay valid while the plugin is loaded (they are
 *    `static const`). Everything the host passes to a plugin (ctx, host table, findings,
 *    strings returned by the host) is owned by the host and valid until the callback
 *    returns. Results are host-owned objects a plugin fills through setters.
 *  - Lifetime: loaded plugins are never unloaded while a run is in progress; `fini` runs and
 *    the object is unloaded only when the engine is freed.
 *  - Isolation: checks run in a worker process per database (unless the user asks for
 *    `--no-isolate`). A crash or hang is recorded as that check's error and the other checks
 *    still run, but a plugin must still not exit, abort, install signal handlers or write to
 *    stdout: stdout is not a channel to the host (it is discarded in workers).
 *  - Threads: a check's callbacks run on one thread. A plugin may start threads of its own;
 *    host functions taking a ctx may be called from them, one call at a time per ctx (the
 *    host does not lock), except the database functions of ABI 1.2, which are safe to
 *    call from several threads at once on different sessions. Host functions never call
 *    back into the plugin (except db_query's row callback); only the database functions
 *    wait, on the database, within its timeouts.
 *
 * Since ABI 1.0 unless marked otherwise.
 * ---------------------------------------------------------------------------------------
 */
#ifndef VIGIL_PLUGIN_H
#define VIGIL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** "VIGL" in ASCII, as a little-endian 32-bit value. Since ABI 1.0. */
#define VIGIL_PLUGIN_MAGIC 0x4C474956u
/** Bumped only when a change breaks existing plugins. Since ABI 1.0. */
#define VIGIL_PLUGIN_ABI_MAJOR 1
/** Bumped when fields are appended to the descriptor or the host table. Since ABI 1.0. */
#define VIGIL_PLUGIN_ABI_MINOR 3

/**
 * Feature test: true when the header in use offers ABI MAJOR.MINOR or a later minor of the
 * same major. Use it to compile against older SDKs:
 *   #if VIGIL_PLUGIN_ABI_AT_LEAST(1, 1) ... #endif
 * (At run time, test the host's table with VIGIL_HOST_HAS instead.) Since ABI 1.0.
 */
#define VIGIL_PLUGIN_ABI_AT_LEAST(major, minor)                                             \
	(VIGIL_PLUGIN_ABI_MAJOR == (major) && VIGIL_PLUGIN_ABI_MINOR >= (minor))

/**
 * The first bytes of every descriptor. 16 bytes of fixed-width fields, no padding on any
 * platform vigil supports, so a host can read it from a plugin built by any compiler.
 * Fill it with VIGIL_PLUGIN_ABI_INIT. Since ABI 1.0.
 */
typedef struct vigil_plugin_abi {
	uint32_t magic;        /**< VIGIL_PLUGIN_MAGIC */
	uint16_t abi_major;    /**< VIGIL_PLUGIN_ABI_MAJOR the plugin was built against */
	uint16_t abi_minor;    /**< VIGIL_PLUGIN_ABI_MINOR the plugin was built against */
	uint32_t desc_size;    /**< sizeof(vigil_plugin_desc) as the plugin saw it */
	uint32_t pointer_size; /**< sizeof(void *) as the plugin saw it */
} vigil_plugin_abi;

/** What a plugin is. Since ABI 1.0. */
typedef enum vigil_plugin_kind {
	/** Blueprint-only rules. Reserved for vigil's built-in validators (levels 1, 2, 4):
	 *  the loader refuses it from a shared object. */
	VIGIL_PLUGIN_VALIDATOR = 1,
	/** Policy on a live database, reached through the host table; runs at level 3, once per
	 *  database, in a worker process. */
	VIGIL_PLUGIN_CHECK = 2,
	/** A database type: connect, query, introspect. Its function table (`driver`) is
	 *  defined by the drivers' ABI minor; ABI 1.0 hosts load and list drivers only. */
	VIGIL_PLUGIN_DRIVER = 3
} vigil_plugin_kind;

/** Severities a plugin gives findings; same values as vigil_severity. Since ABI 1.0. */
enum {
	VIGIL_PLUGIN_INFO = 0,
	VIGIL_PLUGIN_WARNING = 1,
	VIGIL_PLUGIN_ERROR = 2
};

/**
 * Outcome a check reports with `set_status`; same values as vigil_status. Since ABI 1.0.
 * A plugin check MUST report its outcome: a check that returns without calling set_status
 * is recorded as VIGIL_CHECK_ERROR "the check did not report a status" (a check that
 * silently did nothing must not pass a gate). A check that says PASSED but added an
 * error-severity finding is recorded as FAILED.
 */
enum {
	VIGIL_CHECK_PASSED = 0,
	VIGIL_CHECK_FAILED = 1,
	VIGIL_CHECK_SKIPPED = 2,
	VIGIL_CHECK_ERROR = 3
};

/**
 * Opaque per-call context: which run, which database, where results go. Owned by the host,
 * valid until the callback it is passed to returns. NULL in init/fini and the thread hooks.
 * Since ABI 1.0.
 */
typedef struct vigil_check_ctx vigil_check_ctx;

#ifndef VIGIL_FINDING_DECLARED
#define VIGIL_FINDING_DECLARED
/** An engine-owned finding that a plugin fills through the host's setters. Since ABI 1.0. */
typedef struct vigil_finding vigil_finding;
#endif

/**
 * The driver function table of a VIGIL_PLUGIN_DRIVER plugin. Defined (at the end of this
 * header) by the ABI minor that brings database drivers; opaque until then. Since ABI 1.0.
 */
struct vigil_driver;

/* ============================================================ database drivers (ABI 1.1)
 *
 * A VIGIL_PLUGIN_DRIVER plugin speaks to one database type. Its descriptor's `driver` field
 * points at a `static const vigil_driver`. Only driver plugins link a client library
 * (sqlite3, libpq, libmariadb); the engine and check plugins reach the database through the
 * driver. Every driver function that can fail returns 0 or a negative value and fills a
 * caller-provided vigil_db_error. A driver never puts a password in any message, even when
 * the client library echoes the connection string.
 *
 * Threads: a connection is used by one thread at a time (the engine's pool guarantees it);
 * different connections may be used from different threads at once. The plugin's init
 * (main thread) does the client library's global init; thread_init/thread_fini wrap each
 * thread that uses connections (mysql_thread_init/mysql_thread_end).
 */

/** Kinds of database errors, so checks can say precisely what went wrong. Since ABI 1.1. */
typedef enum vigil_db_error_kind {
	VIGIL_DB_OK = 0,
	VIGIL_DB_ERR_OTHER = 1,        /**< anything not below */
	VIGIL_DB_ERR_DNS = 2,          /**< the host name does not resolve */
	VIGIL_DB_ERR_REFUSED = 3,      /**< nothing listens at host:port (or the socket) */
	VIGIL_DB_ERR_TIMEOUT = 4,      /**< no answer within the deadline */
	VIGIL_DB_ERR_AUTH = 5,         /**< wrong user or password, or authentication refused */
	VIGIL_DB_ERR_NO_DATABASE = 6,  /**< the database (or SQLite file) does not exist */
	VIGIL_DB_ERR_TLS = 7,          /**< TLS required or failed */
	VIGIL_DB_ERR_SQL = 8,          /**< a statement failed (syntax, constraint, ...) */
	VIGIL_DB_ERR_PERMISSION = 9,   /**< the user lacks a privilege for the statement */
	VIGIL_DB_ERR_LOST = 10,        /**< the connection broke */
	VIGIL_DB_ERR_UNSUPPORTED = 11  /**< the driver cannot do this */
} vigil_db_error_kind;

/** Filled by a failing driver call. Caller-allocated. Since ABI 1.1. */
typedef struct vigil_db_error {
	int kind;            /**< vigil_db_error_kind */
	char sqlstate[8];    /**< SQLSTATE when the server gave one, else "" */
	char message[512];   /**< the server's or library's message, password-free */
} vigil_db_error;

/**
 * Where to connect, parsed by the host from the blueprint's URL (percent-decoded,
 * ${VAR} expanded). Borrowed for the duration of connect. Unused fields are NULL / 0.
 * Since ABI 1.1.
 */
typedef struct vigil_conn_params {
	uint32_t size;              /**< sizeof(vigil_conn_params) as the host built it */
	const char *host;           /**< host name or address; NULL: the default / a socket */
	unsigned port;              /**< 0: the type's default port */
	const char *socket;         /**< a unix socket path (or directory for PostgreSQL) */
	const char *user;
	const char *password;       /**< secret: never copy it into a message */
	const char *database;       /**< database name (PostgreSQL, MySQL) */
	const char *path;           /**< SQLite: absolute file path; NULL: in-memory */
	const char *sslmode;        /**< "disable", "prefer", "require", "verify-ca", "verify-full" or NULL */
	const char *const *options; /**< further URL query parameters: key, value, ..., NULL */
	unsigned connect_timeout_ms;/**< the whole connect (DNS, TCP, TLS, auth) must end by then */
} vigil_conn_params;

/** A driver-owned connection. Since ABI 1.1. */
typedef struct vigil_conn vigil_conn;

/**
 * Called once per result row. `values[i]` is NULL for SQL NULL, else NUL-terminated text
 * (`lengths[i]` bytes, which may contain NULs for binary data). Borrowed until the callback
 * returns. Return 0 to go on, non-zero to stop (the query then returns that value).
 * Since ABI 1.1.
 */
typedef int (*vigil_row_fn)(void *payload, size_t column_count, const char *const *values,
                            const size_t *lengths);

/** The live schema being introspected: host-owned, filled through host setters. Since ABI 1.1. */
typedef struct vigil_schema_sink vigil_schema_sink;
/** A table inside a schema sink. Since ABI 1.1. */
typedef struct vigil_table_sink vigil_table_sink;
/** Privileges being read: host-owned, filled through host setters. Since ABI 1.1. */
typedef struct vigil_privilege_sink vigil_privilege_sink;
/** Text being produced (DDL): host-owned, appended to through host->text_append. Since ABI 1.1. */
typedef struct vigil_text_sink vigil_text_sink;

/** One column in a DDL change. Since ABI 1.1. */
typedef struct vigil_ddl_column {
	const char *name;
	const char *type;           /**< as declared (generic "varchar(200)" or dialect "jsonb") */
	int nullable;
	const char *default_value;  /**< as declared, or NULL */
	int primary_key;            /**< part of a single-column primary key */
	int auto_increment;
	int unique;
} vigil_ddl_column;

/** Kinds of schema change a driver renders. Since ABI 1.1. */
typedef enum vigil_ddl_kind {
	VIGIL_DDL_CREATE_TABLE = 1,  /**< table, columns, key_columns (composite PK), uniques, foreign_keys */
	VIGIL_DDL_DROP_TABLE = 2,    /**< table */
	VIGIL_DDL_ADD_COLUMN = 3,    /**< table, columns[0] */
	VIGIL_DDL_DROP_COLUMN = 4,   /**< table, columns[0].name */
	VIGIL_DDL_ALTER_COLUMN = 5,  /**< table, columns[0] = the wanted definition (type, null, default) */
	VIGIL_DDL_CREATE_INDEX = 6,  /**< table, name, key_columns, unique */
	VIGIL_DDL_DROP_INDEX = 7,    /**< table, name */
	VIGIL_DDL_ADD_FOREIGN_KEY = 8, /**< table, name, key_columns, ref_table, ref_columns, on_delete, on_update */
	VIGIL_DDL_DROP_FOREIGN_KEY = 9, /**< table, name */
	VIGIL_DDL_ADD_UNIQUE = 10,   /**< table, name, key_columns */
	VIGIL_DDL_SET_PRIMARY_KEY = 11 /**< table, key_columns */
} vigil_ddl_kind;

/** A foreign key inside CREATE_TABLE (SQLite cannot add one later). Since ABI 1.1. */
typedef struct vigil_ddl_foreign_key {
	const char *name;              /**< constraint name, or NULL */
	const char *const *columns;
	size_t column_count;
	const char *ref_table;
	const char *const *ref_columns;
	size_t ref_count;
	const char *on_delete;         /**< as in vigil_ddl_change, or NULL */
	const char *on_update;
} vigil_ddl_foreign_key;

/** One schema change to render as SQL. Borrowed for the call. Since ABI 1.1. */
typedef struct vigil_ddl_change {
	uint32_t size;                 /**< sizeof(vigil_ddl_change) as the host built it */
	int kind;                      /**< vigil_ddl_kind */
	const char *namespace_;        /**< PostgreSQL schema / MySQL database, or NULL */
	const char *table;
	const char *name;              /**< index / constraint name, or NULL (driver picks one) */
	const vigil_ddl_column *columns;
	size_t column_count;
	const char *const *key_columns;
	size_t key_count;
	const char *const *const *uniques; /**< CREATE_TABLE: NULL-terminated column lists */
	size_t unique_count;
	const char *ref_table;
	const char *const *ref_columns;
	size_t ref_count;
	const char *on_delete;         /**< "cascade", "restrict", "set null", "set default", "no action" or NULL */
	const char *on_update;
	int unique;
	/**
	 * CREATE_TABLE: the table's foreign keys. A driver whose database can add foreign keys
	 * later (PostgreSQL, MySQL) may render them inside CREATE TABLE or leave them empty and
	 * get ADD_FOREIGN_KEY changes instead; the host passes them here when the driver's
	 * dialect needs them inline (SQLite) and as separate changes otherwise.
	 */
	const vigil_ddl_foreign_key *foreign_keys;
	size_t foreign_key_count;
} vigil_ddl_change;

/** Privilege names a driver reports (lower case). Since ABI 1.1.
 *  "select" "insert" "update" "delete" "create" "alter" "drop" "index" "references"
 *  "trigger" "execute" "usage" "superuser" (server-wide admin), "all". */

/* ============================================================ database access (ABI 1.2)
 *
 * A check plugin reaches its database only through the host: it acquires a session (a
 * connection from the engine's pool for the check's database, opened through the driver
 * plugin of the database's type), runs statements on it, and releases it. The same check
 * therefore works on every database type. Every message the host returns is password-free.
 */

/**
 * A connection a check holds, from the pool of ctx's database. Host-owned; valid from
 * db_acquire until db_release, which must come before the check's run callback returns (the
 * host releases, as broken, any session left over and logs a warning). Since ABI 1.2.
 */
typedef struct vigil_db_session vigil_db_session;

/** How risky a healing proposal is to apply. Since ABI 1.2. */
typedef enum vigil_risk {
	VIGIL_RISK_SAFE = 0,           /**< adds something; loses nothing (CREATE TABLE, ADD COLUMN, CREATE INDEX) */
	VIGIL_RISK_DATA_DEPENDENT = 1, /**< may fail or change data depending on the rows (type change, NOT NULL, FK on existing rows) */
	VIGIL_RISK_DESTRUCTIVE = 2     /**< drops something (DROP TABLE, DROP COLUMN) */
} vigil_risk;

/**
 * One difference between the schema the blueprint declares for the check's database and the
 * live one, as the engine's diff found it. Host-owned. Since ABI 1.2.
 */
typedef struct vigil_schema_difference {
	uint32_t size;               /**< sizeof(vigil_schema_difference) as the host built it */
	/** Stable kind name: "missing_table", "extra_table", "missing_column", "extra_column",
	 *  "type_mismatch", "nullability_mismatch", "default_mismatch",
	 *  "auto_increment_mismatch", "primary_key_mismatch", "missing_unique", "extra_unique",
	 *  "missing_index", "extra_index", "index_mismatch", "missing_foreign_key",
	 *  "extra_foreign_key", "foreign_key_mismatch". */
	const char *kind;
	const char *table;
	/** "table", or "table.column" / "table.constraint" ("table.(a, b)" when unnamed). */
	const char *object;
	/** One line, e.g. "column tasks.title: type varchar(100), expected varchar(200)". */
	const char *description;
	const char *expected;        /**< the declared side in words (raw type); NULL for extra_* */
	const char *actual;          /**< the live side (raw type); NULL for missing_* */
	/** type_mismatch: the canonical types and the normalisation rules applied;
	 *  default_mismatch: the normalised defaults. NULL otherwise / when unknown. */
	const char *expected_normalised;
	const char *actual_normalised;
	const char *rule;
	/** Where the declared element is in the blueprint (file NULL: nowhere, e.g. extra_*). */
	const char *file;
	unsigned line, column;
	/** SQL in the database's dialect (rendered by its driver) that removes the difference,
	 *  statements ending in ';'; NULL when none can be made (then `proposal_note` says why). */
	const char *proposal;
	int risk;                    /**< vigil_risk of `proposal` */
	const char *proposal_note;   /**< why there is no proposal, or a caveat; NULL */
} vigil_schema_difference;

/** The result of comparing the declared schema with the live one. Host-owned. Since ABI 1.2. */
typedef struct vigil_schema_comparison {
	uint32_t size;               /**< sizeof(vigil_schema_comparison) as the host built it */
	const vigil_schema_difference *items; /**< sorted by table, kind, object */
	size_t count;
	size_t tables_declared;
	size_t tables_live;
	size_t tables_compared;      /**< in both */
	size_t columns_compared;     /**< in tables in both */
	size_t unmanaged_skipped;    /**< objects left out as `unmanaged` (or the migration table) */
	unsigned round_trips;        /**< catalog queries the introspection sent */
	double introspect_ms;
	double diff_ms;
} vigil_schema_comparison;

/** A privilege the connected user holds (see "Privilege names a driver reports"). Since ABI 1.2. */
typedef struct vigil_privilege {
	const char *object;          /**< a table, or NULL for the whole database / server */
	const char *privilege;
} vigil_privilege;

/** A snapshot of the check database's connection pool. Since ABI 1.2. */
typedef struct vigil_pool_stats {
	uint32_t size;               /**< set by the caller to sizeof(vigil_pool_stats) */
	uint64_t acquired, created, reused, failed, timeouts;
	uint64_t closed_broken;
	size_t in_use, idle, open, peak_in_use, max;
	double wait_p50_ms, wait_p95_ms, wait_p99_ms, wait_max_ms;
} vigil_pool_stats;

/** Lets GCC and Clang check the format of host->log calls. Since ABI 1.0. */
#if defined(__GNUC__)
#define VIGIL_PLUGIN_PRINTF(fmt_, args_) __attribute__((format(printf, fmt_, args_)))
#else
#define VIGIL_PLUGIN_PRINTF(fmt_, args_)
#endif

/**
 * The host's function table. Owned by the host, a `const` object valid for as long as the
 * plugin is loaded; but functions taking a ctx may only be called until the callback that
 * received the ctx returns. Unless said otherwise, each function accepts a NULL ctx (or
 * finding) and then does nothing (returns NULL / 0).
 *
 * APPEND ONLY: fields are only ever added at the end, with the ABI minor bumped. `size`
 * tells which exist: test with VIGIL_HOST_HAS(host, field) before calling a field added
 * after the minor your plugin requires. Since ABI 1.0.
 */
typedef struct vigil_host {
	uint32_t size;      /**< sizeof(vigil_host) as the host was built. Since ABI 1.0. */
	uint32_t abi_minor; /**< the host's VIGIL_PLUGIN_ABI_MINOR. Since ABI 1.0. */

	/**
	 * Logs a line at a severity (VIGIL_PLUGIN_*) to the run's log, printf-style; the line is
	 * formatted and copied (up to 1 KiB). Logs are for diagnosis: they are not findings and
	 * do not change any verdict. ctx may be NULL (in init/fini): then warnings and errors go
	 * to vigil's stderr (say there why init failed) and info lines are dropped. Since ABI 1.0.
	 */
	void (*log)(vigil_check_ctx *ctx, int severity, const char *fmt, ...) VIGIL_PLUGIN_PRINTF(3, 4);

	/**
	 * Adds a finding to the running check. `code` is a stable code of the plugin's own (an
	 * author-chosen prefix, e.g. "ACME042"; never reuse a code for another meaning);
	 * `message` is one sentence saying what is wrong. Both are copied. The finding is
	 * already tied to the check and its database. Returns the host-owned finding, to be
	 * filled with the setters below until the callback returns; NULL when an argument is
	 * invalid (NULL, severity out of range) or memory runs out. Since ABI 1.0.
	 */
	vigil_finding *(*finding_add)(vigil_check_ctx *ctx, const char *code, int severity,
	                              const char *message);
	/** The facts (expected vs actual in words). Copied; NULL clears. Since ABI 1.0. */
	void (*finding_set_detail)(vigil_finding *finding, const char *detail);
	/** What would fix it. Copied; NULL clears. Since ABI 1.0. */
	void (*finding_set_hint)(vigil_finding *finding, const char *hint);
	/** A blueprint location, 1-based; file NULL clears. Copied. Since ABI 1.0. */
	void (*finding_set_location)(vigil_finding *finding, const char *file, unsigned line,
	                             unsigned column);
	/**
	 * The database object concerned ("table" or "table.column"), and the database when it is
	 * not the check's own (NULL keeps the check's). Copied. Since ABI 1.0.
	 */
	void (*finding_set_object)(vigil_finding *finding, const char *database, const char *object);
	/** Expected vs actual values, each copied; NULL leaves that side empty. Since ABI 1.0. */
	void (*finding_set_evidence)(vigil_finding *finding, const char *expected,
	                             const char *actual);

	/**
	 * Sets the check's outcome (VIGIL_CHECK_*) and, for skipped/error, why (copied; NULL
	 * allowed). The last call wins. Required once per run: see VIGIL_CHECK_*. Since ABI 1.0.
	 */
	void (*set_status)(vigil_check_ctx *ctx, int status, const char *reason);
	/**
	 * Records a named figure of the check ("tps", "p95_ms") with its unit ("1/s", "ms"; NULL
	 * for none); name and unit are copied. Setting a name again replaces its value. Metrics
	 * appear in the report beside the check. Since ABI 1.0.
	 */
	void (*set_metric)(vigil_check_ctx *ctx, const char *name, double value, const char *unit);
	/**
	 * A configuration value from the blueprint, as written (a `${VAR}` is not expanded).
	 * `key` is a dot-separated path looked up first in the check's database's mapping (e.g.
	 * "benchmark.max_p95_ms", "pool.max"), then from the blueprint's root (e.g.
	 * "validation.performance.clients"); a numeric segment indexes a list. Returns the
	 * scalar, or NULL when absent or not a scalar. Connection URLs are never returned
	 * (they may hold secrets: a check reaches the database through the host). The string is
	 * borrowed from the host, valid until the callback returns. Since ABI 1.0.
	 */
	const char *(*config_get)(vigil_check_ctx *ctx, const char *key);
	/**
	 * Non-zero when the check should stop: its deadline is near (the host signals it at 90%
	 * of the check's time budget) or the run is being cancelled. A long check polls this and
	 * returns early with what it has (set_status first). In a worker, the host kills the
	 * check when the deadline passes regardless. Since ABI 1.0.
	 */
	int (*cancelled)(vigil_check_ctx *ctx);
	/** The name of the database the check runs on (borrowed); NULL without one. Since ABI 1.0. */
	const char *(*database_name)(vigil_check_ctx *ctx);
	/**
	 * The type of that database: "sqlite", "postgresql", "mysql" (aliases already folded),
	 * or "unknown". Borrowed, static. Since ABI 1.0.
	 */
	const char *(*database_type)(vigil_check_ctx *ctx);
	/** The name of the running check, as the report shows it (borrowed). Since ABI 1.0. */
	const char *(*check_name)(vigil_check_ctx *ctx);

	/* ---- ABI 1.1: what driver plugins fill (introspection, privileges, DDL) ----
	 * Each setter copies its strings, accepts NULL sinks/tables (then does nothing) and may
	 * be called only from the driver callback that received the sink. */

	/** Adds a table (or returns the one of that name) to a schema being introspected. Since ABI 1.1. */
	vigil_table_sink *(*schema_add_table)(vigil_schema_sink *sink, const char *name);
	/** The table of that name already added, or NULL (for per-kind catalog queries). Since ABI 1.1. */
	vigil_table_sink *(*schema_table)(vigil_schema_sink *sink, const char *name);
	/**
	 * Adds a column in ordinal order: its type exactly as the catalog spells it, whether it
	 * is nullable, its default as the catalog shows it (NULL: none), and whether the
	 * database generates its values (serial, identity, AUTO_INCREMENT, SQLite rowid alias).
	 * Since ABI 1.1.
	 */
	void (*table_add_column)(vigil_table_sink *table, const char *name, const char *raw_type,
	                         int nullable, const char *default_value, int auto_increment);
	/** The primary key's columns in key order; `name` (constraint) may be NULL. Since ABI 1.1. */
	void (*table_set_primary_key)(vigil_table_sink *table, const char *name,
	                              const char *const *columns, size_t count);
	/** A unique constraint (not the primary key). Since ABI 1.1. */
	void (*table_add_unique)(vigil_table_sink *table, const char *name,
	                         const char *const *columns, size_t count);
	/**
	 * An index that is not the implicit index of the primary key or of a unique constraint
	 * (drivers leave those out). Since ABI 1.1.
	 */
	void (*table_add_index)(vigil_table_sink *table, const char *name, const char *const *columns,
	                        size_t count, int unique);
	/**
	 * A foreign key; actions in lower case ("cascade", "restrict", "set null", "set default",
	 * "no action"), NULL meaning "no action". Since ABI 1.1.
	 */
	void (*table_add_foreign_key)(vigil_table_sink *table, const char *name,
	                              const char *const *columns, size_t count,
	                              const char *ref_table, const char *const *ref_columns,
	                              size_t ref_count, const char *on_delete, const char *on_update);
	/**
	 * A privilege the connected user holds: `object` is a table name, or NULL for the whole
	 * database (or the server, for "superuser"); `privilege` one of the names listed at
	 * "Privilege names a driver reports" above. Since ABI 1.1.
	 */
	void (*privilege_add)(vigil_privilege_sink *sink, const char *object, const char *privilege);
	/**
	 * Appends text to a text sink (DDL being rendered). Since ABI 1.3 each call is one whole
	 * statement (its ';' included): the host keeps the statements apart as the driver made
	 * them and refuses a call whose text lexes as more than one statement, or holds a
	 * comment (a value that reached the SQL as code). Since ABI 1.1.
	 */
	void (*text_append)(vigil_text_sink *out, const char *text);
	/**
	 * The dialect's spelling of a declared column type ("boolean" on "mysql" → "TINYINT(1)",
	 * "uuid" on "sqlite" → "TEXT"; types written in a dialect's own spelling pass through).
	 * Writes a NUL-terminated string into buf; returns 0, or -1 when the type is not known
	 * for the dialect or buf is too small. Thread-safe. Since ABI 1.1.
	 */
	int (*render_type)(const char *dialect, const char *type, char *buf, size_t size);

	/* ---- ABI 1.2: database access for check plugins ----
	 * The session functions below are thread-safe in this sense: different sessions may be
	 * used from different threads at once (a benchmark's clients), one thread at a time per
	 * session. db_acquire and db_release may be called from any thread that called
	 * db_thread_begin (the check's own thread needs no call). Each fills `err` (may be NULL)
	 * on failure: kind, SQLSTATE and a password-free message. */

	/**
	 * A session on the check's database: an idle pooled connection, or a new one opened
	 * through the driver within the database's connect timeout (the pool is created at the
	 * first acquire; its size is the blueprint's pool.max, at least the benchmark's clients).
	 * Returns 0 with *out set, or a negative value with err filled: connect failures keep
	 * the driver's kind (DNS, REFUSED, TIMEOUT, AUTH, NO_DATABASE, TLS); UNSUPPORTED when no
	 * driver plugin for the database's type can be loaded (the reason is in the message);
	 * TIMEOUT also when every pooled connection stayed in use. Since ABI 1.2.
	 */
	int (*db_acquire)(vigil_check_ctx *ctx, vigil_db_session **out, vigil_db_error *err);
	/** Gives a session back; `broken` non-zero closes its connection instead of keeping it
	 *  (after a lost connection, or a transaction left open). NULL allowed. Since ABI 1.2. */
	void (*db_release)(vigil_db_session *session, int broken);
	/** The driver's functions of the same names on the session's connection. Since ABI 1.2. */
	int (*db_ping)(vigil_db_session *session, vigil_db_error *err);
	int (*db_server_version)(vigil_db_session *session, char *buf, size_t size,
	                         vigil_db_error *err);
	int (*db_session_info)(vigil_db_session *session, char *user, size_t user_size,
	                       char *database, size_t database_size, int *tls,
	                       vigil_db_error *err);
	int (*db_exec)(vigil_db_session *session, const char *sql, vigil_db_error *err);
	/** As the driver's query: `?` placeholders, text parameters, `row` called per row (the
	 *  one host function that calls back into the plugin, on the calling thread). */
	int (*db_query)(vigil_db_session *session, const char *sql, size_t param_count,
	                const char *const *params, vigil_row_fn row, void *payload,
	                unsigned long long *rows_affected, vigil_db_error *err);
	int (*db_begin)(vigil_db_session *session, vigil_db_error *err);
	int (*db_commit)(vigil_db_session *session, vigil_db_error *err);
	int (*db_rollback)(vigil_db_session *session, vigil_db_error *err);
	/**
	 * Per-thread driver setup for a thread the plugin started: call it on that thread
	 * before its first db_acquire (and db_thread_end after its last db_release, before the
	 * thread exits). Returns 0, or negative when the driver's thread_init failed (the
	 * thread must not use the database then). Since ABI 1.2.
	 */
	int (*db_thread_begin)(vigil_check_ctx *ctx);
	void (*db_thread_end)(vigil_check_ctx *ctx);
	/**
	 * Compares the schema the blueprint declares for the database with the live one, read
	 * through `session` in a constant number of catalog queries; `unmanaged` objects and
	 * the migration history table (schema.migration_table, default
	 * "vigil_schema_migrations") are left out. Each difference comes with the driver's SQL
	 * proposal that removes it. *out is host-owned, valid until the callback returns. Returns
	 * 0, or negative with err filled. Call it on the check's own thread. Since ABI 1.2.
	 */
	int (*db_schema_compare)(vigil_check_ctx *ctx, vigil_db_session *session,
	                         const vigil_schema_comparison **out, vigil_db_error *err);
	/**
	 * The connected user's privileges on the database and on each table of its schema, from
	 * the catalogs. *items is host-owned, valid until the callback returns. Call it on the
	 * check's own thread. Since ABI 1.2.
	 */
	int (*db_privileges)(vigil_check_ctx *ctx, vigil_db_session *session,
	                     const vigil_privilege **items, size_t *count, vigil_db_error *err);
	/** The check database's pool counters into *out (set out->size first); all zero before
	 *  the first acquire. Since ABI 1.2. */
	void (*db_pool_stats)(vigil_check_ctx *ctx, vigil_pool_stats *out);
	/**
	 * Attaches a healing proposal to a finding: SQL in the database's dialect (statements
	 * ending in ';') and its vigil_risk. Copied; NULL sql clears. Since ABI 1.2.
	 */
	void (*finding_set_proposal)(vigil_finding *finding, const char *sql, int risk);

	/**
	 * The SHA-256 of `size` bytes as 64 lower-case hex digits and a NUL in `out` (the
	 * checksum vigil records for applied migrations). Thread-safe. Since ABI 1.2.
	 */
	void (*sha256_hex)(const void *data, size_t size, char out[65]);
	/**
	 * The running check's time budget in milliseconds (--check-timeout, default 30000): the
	 * host kills the check when it runs out, and cancelled() turns true at 90% of it. 0
	 * without a ctx. Since ABI 1.2.
	 */
	unsigned (*check_deadline_ms)(vigil_check_ctx *ctx);

	/**
	 * Adds one statement to the healing plan of ctx's database; only from a check's `heal`
	 * callback (elsewhere it does nothing and returns -1). `sql` is ONE statement in the
	 * database's dialect (a trailing ';' is optional); `risk` a vigil_risk (an unknown value
	 * counts as destructive); `what` names what it fixes, e.g. "ACME042 tasks.owner" (code
	 * and object), or NULL. All copied. Returns 0, or -1 (bad arguments, out of memory;
	 * since ABI 1.3 also when `sql` lexes as more than one statement or holds a comment:
	 * nothing is added then). Since ABI 1.2.
	 */
	int (*heal_propose)(vigil_check_ctx *ctx, const char *sql, int risk, const char *what);

	/* ---- ABI 1.3 ---- */

	/**
	 * What follows DEFAULT for a column default in `dialect` ("sqlite", "postgresql",
	 * "mysql"), for a column of the declared `type`: NULL, a literal of the column's type,
	 * quoted by the dialect's rules, or an expression from the dialect's allow-list
	 * (CURRENT_TIMESTAMP, now(), gen_random_uuid(), nextval('…'), datetime('now'), ...),
	 * rebuilt from its tokens; never the text as written. Returns 0 with the SQL in buf, or
	 * -1 with a one-line reason in buf (when size allows) when the default is neither, or buf
	 * is too small: the driver must then refuse the change. Thread-safe. Since ABI 1.3.
	 */
	int (*render_default)(const char *dialect, const char *type, const char *value, char *buf,
	                      size_t size);

	/* Append new functions here only (ABI 1.4 and later). */
} vigil_host;

/**
 * True when the host's table contains `field`. Fields present in the ABI minor a plugin
 * requires (the one it was built against, as far as the host accepted it) can be called
 * without testing; test fields of later minors. Since ABI 1.0.
 */
#define VIGIL_HOST_HAS(host, field)                                                         \
	((host)->size >= offsetof(vigil_host, field) + sizeof(((vigil_host *)0)->field))

/** The function table of a driver plugin. `static const`. Grows at its end. Since ABI 1.1. */
typedef struct vigil_driver {
	uint32_t size;               /**< sizeof(vigil_driver) as the plugin saw it */
	const char *type;            /**< "sqlite", "postgresql" or "mysql" */
	/** Non-zero when DDL runs inside transactions (PostgreSQL, SQLite). */
	int transactional_ddl;

	/** Opens a connection within params->connect_timeout_ms. */
	int (*connect)(vigil_conn **out, const vigil_conn_params *params, const vigil_host *host,
	               vigil_db_error *err);
	/** Closes a connection; NULL allowed. */
	void (*close)(vigil_conn *conn);
	/** A cheap round trip (SELECT 1 or the protocol's ping). */
	int (*ping)(vigil_conn *conn, vigil_db_error *err);
	/** The server's version string into buf ("15.18", "10.11.19-MariaDB", "3.40.1"). */
	int (*server_version)(vigil_conn *conn, char *buf, size_t size, vigil_db_error *err);
	/** The connection's facts: effective user, current database, and whether TLS is in use. */
	int (*session_info)(vigil_conn *conn, char *user, size_t user_size, char *database,
	                    size_t database_size, int *tls, vigil_db_error *err);
	/** Runs one SQL statement that returns no rows. */
	int (*exec)(vigil_conn *conn, const char *sql, vigil_db_error *err);
	/**
	 * Runs one statement with `param_count` text parameters bound to its placeholders
	 * (written `?` in the SQL for every driver: the driver rewrites them to its own, e.g.
	 * $1 for PostgreSQL, outside string literals), calling `row` per result row.
	 * `rows_affected` (may be NULL) gets the count for DML.
	 */
	int (*query)(vigil_conn *conn, const char *sql, size_t param_count,
	             const char *const *params, vigil_row_fn row, void *payload,
	             unsigned long long *rows_affected, vigil_db_error *err);
	int (*begin)(vigil_conn *conn, vigil_db_error *err);
	int (*commit)(vigil_conn *conn, vigil_db_error *err);
	int (*rollback)(vigil_conn *conn, vigil_db_error *err);
	/**
	 * Reads the live schema of `namespace_` (NULL: the connection's current schema /
	 * database; SQLite: "main") into `sink` through the host's schema setters, in a CONSTANT
	 * number of round trips (one catalog query per object kind, never one per table).
	 * Objects named in `skip` (NULL-terminated table names) are not reported. `*round_trips`
	 * gets the number of queries sent.
	 */
	int (*introspect)(vigil_conn *conn, const char *namespace_, const char *const *skip,
	                  vigil_schema_sink *sink, const vigil_host *host, unsigned *round_trips,
	                  vigil_db_error *err);
	/**
	 * Reads the privileges of the connected user on the database and on each table of
	 * `namespace_` into `sink` (host->privilege_add), from the catalogs.
	 */
	int (*privileges)(vigil_conn *conn, const char *namespace_, vigil_privilege_sink *sink,
	                  const vigil_host *host, vigil_db_error *err);
	/** Renders one change as SQL statements (each ending in ';') into `out`, one
	 *  host->text_append call per statement. Column defaults go through
	 *  host->render_default, and nothing from the change is written into the SQL except as
	 *  a quoted identifier, a literal or a word the driver checked (types, actions). */
	int (*render_ddl)(const vigil_ddl_change *change, vigil_text_sink *out,
	                  const vigil_host *host, vigil_db_error *err);
	/**
	 * Copies the connection's whole database, consistently, to a new file at `path` (an
	 * existing file there is replaced), e.g. with SQLite's online backup API, before healing
	 * changes it. NULL when the database type has no cheap file copy (PostgreSQL, MySQL).
	 * Since ABI 1.2 (the first of the reserved slots).
	 */
	int (*backup)(vigil_conn *conn, const char *path, vigil_db_error *err);
	void *reserved[7];           /**< zero */
} vigil_driver;

/**
 * One check a plugin offers. Plugins ship arrays of these, so its size is FIXED for the
 * whole major version: later minors give meaning to `reserved` slots, which plugins built
 * against older minors leave zero. Since ABI 1.0.
 */
typedef struct vigil_check_def {
	/**
	 * The check's name as reports show it: the plugin's name, or "<plugin>.<check>"
	 * (e.g. "schema" or "schema.migrations"), lowercase letters, digits, '_', '-', '.'.
	 * This keeps names unique across plugins; the loader refuses other names.
	 */
	const char *name;
	/** One line, for `vigil plugins`. */
	const char *summary;
	/**
	 * Comma-separated names of checks (of any plugin) that must pass first, or NULL. When a
	 * dependency did not pass (failed, error, skipped) or is not loaded, this check is
	 * skipped with the reason. Checks run in dependency order, otherwise in load order.
	 * A name ending in '?' ("schema?") only orders: this check runs after that one when it
	 * is loaded, whatever its outcome (since ABI 1.2).
	 */
	const char *depends_on;
	/**
	 * Runs the check on ctx's database. Must call host->set_status. Return 0, or a negative
	 * value when the check could not run at all (recorded as an error; give a reason with
	 * set_status(ctx, VIGIL_CHECK_ERROR, "why") first). Runs in a worker process, on its
	 * main thread, after the plugins' thread_init.
	 */
	int (*run)(vigil_check_ctx *ctx, const vigil_host *host);
	/**
	 * Healing (may be NULL): turns what the check found wrong into SQL that fixes it, through
	 * host->heal_propose. Called only when healing is on (`vigil validate --heal=plan|apply`)
	 * and this check FAILED on ctx's database: in the engine's process (not a worker), after
	 * the built-in schema healing has been planned, with the same host functions as `run`
	 * (db_acquire and the rest reach the same database; config_get, database_type, ...).
	 * The findings of the failed run are not passed: look again (the database has not been
	 * changed yet). Proposals run after the built-in ones, in the order proposed; the check
	 * runs again afterwards, and healing converges only when it then passes. Return 0, or a
	 * negative value when it could not propose (logged; nothing of it is applied). ABI 1.0
	 * and 1.1 hosts never call it. Healing as a whole: docs/healing.md. Since ABI 1.2.
	 */
	int (*heal)(vigil_check_ctx *ctx, const vigil_host *host);
	void *reserved[3]; /**< zero */
} vigil_check_def;

/**
 * A plugin's descriptor: `static const`, returned by the entry function; the host never
 * writes it. Grows only at its end (before that, `reserved` gives room). Since ABI 1.0.
 */
typedef struct vigil_plugin_desc {
	vigil_plugin_abi abi;    /**< VIGIL_PLUGIN_ABI_INIT; checked first */
	/** [a-z][a-z0-9_]*, equal to <name> in the file name vigil_<name>.so and the entry
	 *  function's name; unique among loaded plugins and built-in validators. */
	const char *name;
	const char *version;     /**< the plugin's own version, non-empty (e.g. "1.2.0") */
	const char *summary;     /**< one line, for `vigil plugins` */
	int kind;                /**< vigil_plugin_kind */
	/** Pipeline level of its checks: 3 for VIGIL_PLUGIN_CHECK (database checks), 1..4 for
	 *  built-in validators; ignored for drivers (0). */
	int level;
	const vigil_check_def *checks; /**< at least one for VIGIL_PLUGIN_CHECK; may be NULL else */
	size_t check_count;
	/**
	 * Called once after the descriptor is accepted, on the engine's (main) thread, before
	 * any check runs or worker starts: the place for a client library's global init
	 * (e.g. mysql_library_init). Non-zero refuses the plugin (reported as "init failed");
	 * log why with host->log(NULL, ...). May be NULL.
	 */
	int (*init)(const vigil_host *host);
	/** Called once when the engine is freed, on the engine's thread, if init succeeded. May be NULL. */
	void (*fini)(const vigil_host *host);
	/**
	 * Called on each thread (and each worker process) that will call into the plugin, before
	 * its first callback there (e.g. mysql_thread_init). Non-zero makes that thread's checks
	 * of this plugin errors. May be NULL.
	 */
	int (*thread_init)(const vigil_host *host);
	/** Called on that thread after its last callback, if thread_init succeeded. May be NULL. */
	void (*thread_fini)(const vigil_host *host);
	/** VIGIL_PLUGIN_DRIVER: the driver's function table; NULL otherwise. */
	const struct vigil_driver *driver;
	void *reserved[8];       /**< zero: room for later minors */
} vigil_plugin_desc;

/** The ABI block of a descriptor built with this header. Since ABI 1.0. */
#define VIGIL_PLUGIN_ABI_INIT                                                               \
	{ VIGIL_PLUGIN_MAGIC, VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR,                   \
	  (uint32_t)sizeof(vigil_plugin_desc), (uint32_t)sizeof(void *) }

/** The number of elements of a static array (for check tables). Since ABI 1.0. */
#define VIGIL_COUNT_OF(array_) (sizeof(array_) / sizeof((array_)[0]))

/**
 * Marks the entry function exported (build plugins with -fvisibility=hidden, as
 * vigil_add_plugin() does, so it is the only export). Since ABI 1.0.
 */
#if defined(VIGIL_PLUGIN_BUILTIN)
/* vigil's own validators are linked into libvigil and must not widen its exports. */
#define VIGIL_PLUGIN_EXPORT
#elif defined(__GNUC__)
#define VIGIL_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define VIGIL_PLUGIN_EXPORT
#endif

/** C linkage for the entry function when a plugin is written in C++. Since ABI 1.0. */
#ifdef __cplusplus
#define VIGIL_PLUGIN_EXTERN_C extern "C"
#else
#define VIGIL_PLUGIN_EXTERN_C
#endif

/**
 * Emits the entry function `const vigil_plugin_desc *vigil_plugin_<name>_get_desc(void)`
 * returning a static const descriptor with every hook given. `name_` is a bare identifier
 * (the plugin's name; build the object as vigil_<name>.so). Since ABI 1.0.
 */
#define VIGIL_PLUGIN_DEFINE_EX(name_, version_, summary_, kind_, level_, checks_, count_,   \
                               init_, fini_, thread_init_, thread_fini_, driver_)          \
	VIGIL_PLUGIN_EXTERN_C VIGIL_PLUGIN_EXPORT const vigil_plugin_desc *                     \
	    vigil_plugin_##name_##_get_desc(void);                                              \
	VIGIL_PLUGIN_EXTERN_C VIGIL_PLUGIN_EXPORT const vigil_plugin_desc *                     \
	    vigil_plugin_##name_##_get_desc(void)                                               \
	{                                                                                       \
		static const vigil_plugin_desc desc = { VIGIL_PLUGIN_ABI_INIT, #name_, version_,     \
			                                    summary_, kind_, level_, checks_, count_,  \
			                                    init_, fini_, thread_init_, thread_fini_,  \
			                                    driver_, { 0 } };                          \
		return &desc;                                                                       \
	}

/**
 * The common form: no thread hooks, no driver table. Since ABI 1.0. Usage:
 *
 *   static int run_it(vigil_check_ctx *ctx, const vigil_host *host) {
 *       host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
 *       return 0;
 *   }
 *   static const vigil_check_def checks[] = {
 *       { "my_plugin.thing", "what it checks", NULL, run_it, NULL, { 0 } },
 *   };
 *   VIGIL_PLUGIN_DEFINE(my_plugin, "1.0.0", "what it is", VIGIL_PLUGIN_CHECK, 3,
 *                       checks, VIGIL_COUNT_OF(checks), NULL, NULL)
 */
#define VIGIL_PLUGIN_DEFINE(name_, version_, summary_, kind_, level_, checks_, count_,      \
                            init_, fini_)                                                   \
	VIGIL_PLUGIN_DEFINE_EX(name_, version_, summary_, kind_, level_, checks_, count_,       \
	                       init_, fini_, NULL, NULL, NULL)

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_PLUGIN_H */
