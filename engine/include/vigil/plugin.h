/*
 * vigil/plugin.h — the one header a vigil plugin includes.
 *
 * Self-contained: includes only system headers; C99 and C++ (C++11 and later) compatible.
 * A plugin never links against libvigil: it reaches the host only through the function
 * table (`vigil_host`) passed to each of its callbacks.
 *
 * ---------------------------------------------------------------------------------------
 * The contract in brief (ABI 1.0)
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
 *    host does not lock). Host functions never block for long and never call back into the
 *    plugin.
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
#define VIGIL_PLUGIN_ABI_MINOR 0

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

	/*
	 * Append new functions here only (ABI 1.1 and later): the database access of check
	 * plugins (query through the engine's pool and the driver) comes with the drivers.
	 */
} vigil_host;

/**
 * True when the host's table contains `field`. Fields present in the ABI minor a plugin
 * requires (the one it was built against, as far as the host accepted it) can be called
 * without testing; test fields of later minors. Since ABI 1.0.
 */
#define VIGIL_HOST_HAS(host, field)                                                         \
	((host)->size >= offsetof(vigil_host, field) + sizeof(((vigil_host *)0)->field))

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
	 * Reserved for healing: will turn the check's findings into proposals through host
	 * functions of a later minor. ABI 1.0 hosts never call it; leave it NULL. Since ABI 1.0.
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
