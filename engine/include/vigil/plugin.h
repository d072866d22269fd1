/*
 * vigil/plugin.h — the one header a vigil plugin includes.
 *
 * Self-contained: includes only system headers, C99 and C++ compatible.
 *
 * A plugin (and each of vigil's built-in validators, which use the same descriptor) is a
 * `static const vigil_plugin_desc` returned by a name-derived function emitted by
 * VIGIL_PLUGIN_DEFINE(name, ...): `vigil_plugin_<name>_get_desc`. The descriptor begins with
 * a padding-free ABI block the host checks before reading anything else: same ABI major, a
 * plugin ABI minor no newer than the host's, a descriptor at least as large as the major's
 * first version, and the host's pointer size.
 *
 * A plugin reaches the host only through the `vigil_host` function table passed to each
 * callback; it never links against libvigil. The table is append-only: fields are added at
 * its end, and `host->size` tells which exist (see VIGIL_HOST_HAS).
 *
 * Plugin ABI version (VIGIL_PLUGIN_ABI_MAJOR.VIGIL_PLUGIN_ABI_MINOR) is independent of the
 * product version.
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
/** Bumped when a change breaks existing plugins. Since ABI 1.0. */
#define VIGIL_PLUGIN_ABI_MAJOR 1
/** Bumped when fields are appended to the descriptor or host table. Since ABI 1.0. */
#define VIGIL_PLUGIN_ABI_MINOR 0

/**
 * The first bytes of every descriptor. 16 bytes, no padding on any ABI vigil supports, so
 * a host can read it from a plugin built by any compiler. Since ABI 1.0.
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
	VIGIL_PLUGIN_VALIDATOR = 1, /**< blueprint-only rules (vigil's built-in levels) */
	VIGIL_PLUGIN_CHECK = 2,     /**< policy on a database, through the host table */
	VIGIL_PLUGIN_DRIVER = 3,    /**< a database type: connect, query, introspect */
} vigil_plugin_kind;

/** Severities a plugin gives findings; same values as vigil_severity. Since ABI 1.0. */
enum {
	VIGIL_PLUGIN_INFO = 0,
	VIGIL_PLUGIN_WARNING = 1,
	VIGIL_PLUGIN_ERROR = 2,
};

/** Outcome a check reports; same values as vigil_status. Since ABI 1.0. */
enum {
	VIGIL_CHECK_PASSED = 0,
	VIGIL_CHECK_FAILED = 1,
	VIGIL_CHECK_SKIPPED = 2,
	VIGIL_CHECK_ERROR = 3,
};

/** Opaque per-call context: which run, which database, where results go. Since ABI 1.0. */
typedef struct vigil_check_ctx vigil_check_ctx;
/** An engine-owned finding that a plugin fills through the host's setters. Since ABI 1.0. */
typedef struct vigil_finding vigil_finding;

/**
 * The host's function table. Owned by the host, valid for the duration of the callback it
 * is passed to. Every function is safe to call from the thread running the callback; none
 * may be called after the callback returns. Append only. Since ABI 1.0.
 */
typedef struct vigil_host {
	uint32_t size;      /**< sizeof(vigil_host) as the host was built */
	uint32_t abi_minor; /**< the host's VIGIL_PLUGIN_ABI_MINOR */

	/** Logs a line at a severity (VIGIL_PLUGIN_*) to the run's log. printf-style. */
	void (*log)(vigil_check_ctx *ctx, int severity, const char *fmt, ...)
#if defined(__GNUC__)
	    __attribute__((format(printf, 3, 4)))
#endif
	    ;

	/**
	 * Adds a finding to the current check. `code` must be a stable code ("VG301" for
	 * built-ins, an author-chosen prefix for plugins); `message` is copied. The returned
	 * finding is owned by the host; fill it with the setters below until the callback
	 * returns. Returns NULL only when memory runs out.
	 */
	vigil_finding *(*finding_add)(vigil_check_ctx *ctx, const char *code, int severity,
	                              const char *message);
	/** Setters: each copies its strings; NULL clears. */
	void (*finding_set_detail)(vigil_finding *finding, const char *detail);
	void (*finding_set_hint)(vigil_finding *finding, const char *hint);
	void (*finding_set_location)(vigil_finding *finding, const char *file, unsigned line,
	                             unsigned column);
	void (*finding_set_object)(vigil_finding *finding, const char *database, const char *object);
	void (*finding_set_evidence)(vigil_finding *finding, const char *expected,
	                             const char *actual);

	/** Sets the check's outcome (VIGIL_CHECK_*) and, for skipped/error, why. */
	void (*set_status)(vigil_check_ctx *ctx, int status, const char *reason);
	/** Records a named figure of the check ("tps", "p95_ms"), with its unit. */
	void (*set_metric)(vigil_check_ctx *ctx, const char *name, double value, const char *unit);
	/** A configuration value of the check ("max_p95_ms"), or NULL; borrowed. */
	const char *(*config_get)(vigil_check_ctx *ctx, const char *key);
	/** Non-zero when the run is being cancelled (deadline): return soon. */
	int (*cancelled)(vigil_check_ctx *ctx);
} vigil_host;

/** True when the host's table contains `field` (for fields added after ABI 1.0). */
#define VIGIL_HOST_HAS(host, field)                                                         \
	((host)->size >= offsetof(vigil_host, field) + sizeof(((vigil_host *)0)->field))

/** One check a plugin offers. Since ABI 1.0. */
typedef struct vigil_check_def {
	const char *name;        /**< unique within the plugin, e.g. "structure.required-keys" */
	const char *summary;     /**< one line, for `vigil plugins` */
	const char *depends_on;  /**< comma-separated names of checks that must pass first, or NULL */
	/** Runs the check; returns 0, or a negative value when it could not run at all. */
	int (*run)(vigil_check_ctx *ctx, const vigil_host *host);
	void *reserved[4];       /**< zero */
} vigil_check_def;

/** A plugin's descriptor. `static const`, returned by the entry function. Since ABI 1.0. */
typedef struct vigil_plugin_desc {
	vigil_plugin_abi abi;
	const char *name;        /**< [a-z0-9_]+, unique among loaded plugins */
	const char *version;     /**< the plugin's own version */
	const char *summary;     /**< one line */
	int kind;                /**< vigil_plugin_kind */
	int level;               /**< pipeline level 1..4 at which its checks run */
	const vigil_check_def *checks;
	size_t check_count;
	/** Called once after loading, on the main thread; non-zero refuses the plugin. */
	int (*init)(const vigil_host *host);
	/** Called once at engine teardown, on the main thread. */
	void (*fini)(const vigil_host *host);
	void *reserved[8];       /**< zero: room for later minors */
} vigil_plugin_desc;

#define VIGIL_PLUGIN_ABI_INIT                                                               \
	{ VIGIL_PLUGIN_MAGIC, VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR,                   \
	  (uint32_t)sizeof(vigil_plugin_desc), (uint32_t)sizeof(void *) }

#if defined(VIGIL_PLUGIN_BUILTIN)
/* vigil's own validators are linked into libvigil and must not widen its exports. */
#define VIGIL_PLUGIN_EXPORT
#elif defined(__GNUC__)
#define VIGIL_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define VIGIL_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
#define VIGIL_PLUGIN_EXTERN_C extern "C"
#else
#define VIGIL_PLUGIN_EXTERN_C
#endif

/**
 * Emits `const vigil_plugin_desc *vigil_plugin_<name>_get_desc(void)`.
 * Usage:
 *   static const vigil_check_def checks[] = { {"my_check", "what it does", NULL, run_it} };
 *   VIGIL_PLUGIN_DEFINE(my_plugin, "1.0.0", "what it is", VIGIL_PLUGIN_CHECK, 3,
 *                       checks, 1, NULL, NULL)
 */
#define VIGIL_PLUGIN_DEFINE(name_, version_, summary_, kind_, level_, checks_, count_,      \
                            init_, fini_)                                                   \
	VIGIL_PLUGIN_EXTERN_C VIGIL_PLUGIN_EXPORT const vigil_plugin_desc *                     \
	    vigil_plugin_##name_##_get_desc(void);                                              \
	VIGIL_PLUGIN_EXTERN_C VIGIL_PLUGIN_EXPORT const vigil_plugin_desc *                     \
	    vigil_plugin_##name_##_get_desc(void)                                               \
	{                                                                                       \
		static const vigil_plugin_desc desc = { VIGIL_PLUGIN_ABI_INIT, #name_, version_,     \
			                                    summary_, kind_, level_, checks_, count_,  \
			                                    init_, fini_, { 0 } };                     \
		return &desc;                                                                       \
	}

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_PLUGIN_H */
