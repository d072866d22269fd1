/*
 * vigil.h — the public API of libvigil, a validation gate for generated systems.
 *
 * If it is not declared here (or in another header under vigil/), it is not API.
 *
 * Conventions (after libgit2):
 *  - functions are named vigil_<module>_<verb>; out-parameters come first;
 *  - int returns: 0 (VIGIL_OK) on success, a negative vigil_error_code on failure, and when a
 *    vigil_diag is passed it is filled with a human-readable description;
 *  - whatever is returned through a `**out` is owned by the caller and released with the
 *    matching _free; getters return borrowed pointers valid as long as their owner lives;
 *  - there is no global state: two engines in one process are independent. An engine is not
 *    thread-safe (use one per thread); a finished report is immutable and may be read from
 *    any number of threads at once.
 *  - the library never exits, aborts or installs signal handlers.
 */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VIGIL_BUILDING_LIBRARY)
#define VIGIL_API __attribute__((visibility("default")))
#else
#define VIGIL_API
#endif

/** Error codes. Append only: never renumber or reuse a value. */
typedef enum vigil_error_code {
	VIGIL_OK = 0,
	VIGIL_ENOMEM = -1,     /**< out of memory */
	VIGIL_EINVAL = -2,     /**< invalid argument (a caller bug or a usage error) */
	VIGIL_EIO = -3,        /**< a file could not be read or written */
	VIGIL_EBLUEPRINT = -4, /**< the blueprint cannot be read as a blueprint */
	VIGIL_EPLUGIN = -5,    /**< a plugin could not be loaded */
	VIGIL_EINTERNAL = -6,  /**< an internal error (a bug in vigil) */
} vigil_error_code;

/** Exit codes of the CLI, also reported in the JSON report as `exit_code`. */
enum {
	VIGIL_EXIT_PASS = 0,     /**< every level that ran passed */
	VIGIL_EXIT_FAIL = 1,     /**< validation failed: at least one error finding */
	VIGIL_EXIT_USAGE = 2,    /**< usage error or unreadable blueprint */
	VIGIL_EXIT_PLUGIN = 3,   /**< a plugin the blueprint needs could not be loaded */
	VIGIL_EXIT_INTERNAL = 4, /**< internal error */
};

/** The message for an error code; never NULL, static storage. Thread-safe. */
VIGIL_API const char *vigil_strerror(int code);

/** The library's version string ("MAJOR.MINOR.PATCH"), static storage. Thread-safe. */
VIGIL_API const char *vigil_version(void);

/**
 * A diagnostic record filled by functions that fail. Caller-allocated (stack is fine);
 * `file` is empty and `line`/`column` are 0 when the error has no location. 1-based lines
 * and columns. Never contains a secret.
 */
typedef struct vigil_diag {
	int code;            /**< the vigil_error_code returned */
	char message[512];   /**< what went wrong */
	char file[512];      /**< where, if anywhere */
	unsigned line;
	unsigned column;
} vigil_diag;

/* ---------------------------------------------------------------- engine */

/** An engine: configuration and loaded validators. Not thread-safe; one per thread. */
typedef struct vigil_engine vigil_engine;

/** Creates an engine with the built-in validators registered. Free with vigil_engine_free. */
VIGIL_API int vigil_engine_new(vigil_engine **out, vigil_diag *diag);

/** Releases an engine. NULL is allowed. Reports it produced remain valid. */
VIGIL_API void vigil_engine_free(vigil_engine *engine);

/* ------------------------------------------------------------ validation */

/** Options of one validation run. A transparent, versioned struct: start from _INIT. */
typedef struct vigil_run_options {
	unsigned version;   /**< VIGIL_RUN_OPTIONS_VERSION */
	int keep_going;     /**< run every level even when an earlier one failed */
	int max_level;      /**< highest level to run, 1..4 (0 means 4) */
} vigil_run_options;

#define VIGIL_RUN_OPTIONS_VERSION 1
#define VIGIL_RUN_OPTIONS_INIT { VIGIL_RUN_OPTIONS_VERSION, 0, 0 }

/** The result of one run: immutable once returned, safe to read from many threads. */
typedef struct vigil_report vigil_report;

/**
 * Validates the blueprint at `path`. On success (return 0) `*out` holds the report, whatever
 * its verdict: an unreadable blueprint is a report with exit code 2, not a failure of this
 * call. Returns a negative error only for a usage error (bad arguments) or when memory runs
 * out; then `*out` is NULL and `diag` says why.
 */
VIGIL_API int vigil_validate_file(vigil_report **out, vigil_engine *engine, const char *path,
                                  const vigil_run_options *options, vigil_diag *diag);

/**
 * Validates a blueprint held in memory. `name` is the file name used in locations and to
 * resolve relative paths (its directory); `data` need not be NUL-terminated.
 */
VIGIL_API int vigil_validate_buffer(vigil_report **out, vigil_engine *engine, const char *name,
                                    const char *data, size_t length,
                                    const vigil_run_options *options, vigil_diag *diag);

/** Releases a report. NULL is allowed. */
VIGIL_API void vigil_report_free(vigil_report *report);

/* --------------------------------------------------------------- reports */

typedef enum vigil_severity {
	VIGIL_SEVERITY_INFO = 0,
	VIGIL_SEVERITY_WARNING = 1,
	VIGIL_SEVERITY_ERROR = 2,
} vigil_severity;

typedef enum vigil_status {
	VIGIL_STATUS_PASSED = 0,
	VIGIL_STATUS_FAILED = 1,
	VIGIL_STATUS_SKIPPED = 2,
	VIGIL_STATUS_ERROR = 3, /**< a check could not complete (crash, timeout, internal) */
} vigil_status;

/** "error" / "warning" / "info"; static storage. */
VIGIL_API const char *vigil_severity_name(vigil_severity severity);
/** "passed" / "failed" / "skipped" / "error"; static storage. */
VIGIL_API const char *vigil_status_name(vigil_status status);

#ifndef VIGIL_FINDING_DECLARED
#define VIGIL_FINDING_DECLARED /* also declared by vigil/plugin.h; C99 forbids a repeat */
/** One finding of a report; borrowed from the report. */
typedef struct vigil_finding vigil_finding;
#endif

/* Report getters: borrowed pointers valid while the report lives; thread-safe. */
VIGIL_API int vigil_report_exit_code(const vigil_report *report);
VIGIL_API int vigil_report_passed(const vigil_report *report);
VIGIL_API const char *vigil_report_blueprint_path(const vigil_report *report);
/** The system's name, or NULL when the blueprint did not give one. */
VIGIL_API const char *vigil_report_system_name(const vigil_report *report);
VIGIL_API double vigil_report_duration_ms(const vigil_report *report);
/** Wall-clock start of the run, as an RFC 3339 UTC string. */
VIGIL_API const char *vigil_report_started_at(const vigil_report *report);

/** The number of levels in a report: always 4. */
VIGIL_API unsigned vigil_report_level_count(const vigil_report *report);
/* Level getters take a 1-based level number; out-of-range levels give NULL / 0 / SKIPPED. */
VIGIL_API const char *vigil_report_level_name(const vigil_report *report, unsigned level);
VIGIL_API vigil_status vigil_report_level_status(const vigil_report *report, unsigned level);
/** Why a level was skipped (NULL when it ran). */
VIGIL_API const char *vigil_report_level_reason(const vigil_report *report, unsigned level);
VIGIL_API double vigil_report_level_duration_ms(const vigil_report *report, unsigned level);

/** Checks run (or skipped) at a level, in run order. */
VIGIL_API size_t vigil_report_check_count(const vigil_report *report, unsigned level);
VIGIL_API const char *vigil_report_check_name(const vigil_report *report, unsigned level, size_t i);
/** The database a check concerns, or NULL for blueprint-only checks. */
VIGIL_API const char *vigil_report_check_database(const vigil_report *report, unsigned level,
                                                  size_t i);
VIGIL_API vigil_status vigil_report_check_status(const vigil_report *report, unsigned level,
                                                 size_t i);
VIGIL_API const char *vigil_report_check_reason(const vigil_report *report, unsigned level,
                                                size_t i);
VIGIL_API double vigil_report_check_duration_ms(const vigil_report *report, unsigned level,
                                                size_t i);
VIGIL_API size_t vigil_report_check_finding_count(const vigil_report *report, unsigned level,
                                                  size_t i);

/** Findings in deterministic order: level, file position, code, object. */
VIGIL_API size_t vigil_report_finding_count(const vigil_report *report);
VIGIL_API const vigil_finding *vigil_report_finding(const vigil_report *report, size_t i);
/** Counts of findings by severity. */
VIGIL_API size_t vigil_report_count_severity(const vigil_report *report, vigil_severity severity);

/* Finding getters: borrowed strings; NULL where the finding has no such part. */
VIGIL_API const char *vigil_finding_code(const vigil_finding *finding);
/** The rule's stable slug, e.g. "unknown-key". */
VIGIL_API const char *vigil_finding_rule(const vigil_finding *finding);
VIGIL_API vigil_severity vigil_finding_severity(const vigil_finding *finding);
VIGIL_API unsigned vigil_finding_level(const vigil_finding *finding);
/** The name of the check that produced it. */
VIGIL_API const char *vigil_finding_check(const vigil_finding *finding);
VIGIL_API const char *vigil_finding_message(const vigil_finding *finding);
VIGIL_API const char *vigil_finding_detail(const vigil_finding *finding);
VIGIL_API const char *vigil_finding_hint(const vigil_finding *finding);
/** Blueprint location; file NULL and line/column 0 when there is none. */
VIGIL_API const char *vigil_finding_file(const vigil_finding *finding);
VIGIL_API unsigned vigil_finding_line(const vigil_finding *finding);
VIGIL_API unsigned vigil_finding_column(const vigil_finding *finding);
VIGIL_API const char *vigil_finding_database(const vigil_finding *finding);
VIGIL_API const char *vigil_finding_object(const vigil_finding *finding);
VIGIL_API const char *vigil_finding_expected(const vigil_finding *finding);
VIGIL_API const char *vigil_finding_actual(const vigil_finding *finding);
/**
 * The healing proposal a database check attached: SQL in the database's dialect (statements
 * ending in ';'), or NULL; and its risk (VIGIL_RISK_* of vigil/plugin.h: 0 safe, 1
 * data-dependent, 2 destructive; -1 without a proposal).
 */
VIGIL_API const char *vigil_finding_proposal(const vigil_finding *finding);
VIGIL_API int vigil_finding_risk(const vigil_finding *finding);
/** "safe", "data-dependent", "destructive" for a risk; "unknown" otherwise. Static. */
VIGIL_API const char *vigil_risk_name(int risk);

/* ------------------------------------------------------------ rule codes */

/** Every finding code vigil can emit, in code order; static storage, thread-safe. */
typedef struct vigil_code_info {
	const char *code;     /**< e.g. "VG117" — stable forever */
	const char *rule;     /**< slug, e.g. "unknown-key" */
	unsigned level;       /**< 1..4 */
	vigil_severity severity;
	const char *summary;  /**< one line */
} vigil_code_info;

VIGIL_API size_t vigil_code_count(void);
/** The i-th code, or NULL past the end. */
VIGIL_API const vigil_code_info *vigil_code_at(size_t i);
/** Looks a code up by its code ("VG117") or rule slug; NULL when unknown. */
VIGIL_API const vigil_code_info *vigil_code_find(const char *code_or_rule);

/* --------------------------------------------------------------- writers */

typedef enum vigil_format {
	VIGIL_FORMAT_TEXT = 0,
	VIGIL_FORMAT_JSON = 1,
} vigil_format;

typedef struct vigil_write_options {
	unsigned version; /**< VIGIL_WRITE_OPTIONS_VERSION */
	int color;        /**< text only: use ANSI colours */
	int verbose;      /**< text only: list every check, not just the failing ones */
} vigil_write_options;

#define VIGIL_WRITE_OPTIONS_VERSION 1
#define VIGIL_WRITE_OPTIONS_INIT { VIGIL_WRITE_OPTIONS_VERSION, 0, 0 }

/** Parses "text" / "json"; returns 0 and sets *out, or VIGIL_EINVAL. */
VIGIL_API int vigil_format_parse(vigil_format *out, const char *name);

/**
 * Writes a report to `out` in a format. `options` may be NULL. Returns VIGIL_EIO when the
 * stream reports an error. Thread-safe for distinct streams.
 */
VIGIL_API int vigil_report_write(const vigil_report *report, vigil_format format, FILE *out,
                                 const vigil_write_options *options);

/** The version of the JSON report's shape (see reports/report.schema.json). */
#define VIGIL_REPORT_VERSION "1.0"

/* ===================================================================== plugins
 * Loading plugins, isolating their checks, listing them (see vigil/plugin.h for the ABI
 * plugins are written against). All of it hangs off an engine; nothing is global.
 *
 * Search path, in order: directories added with vigil_engine_add_plugin_dir (in the order
 * added), then the entries of the environment variable VIGIL_PLUGIN_PATH (':'-separated),
 * then the build tree's plugin directory when this libvigil runs from its build tree, then
 * the install directory (<libdir>/vigil/plugins). A plugin is the file vigil_<name>.so in one
 * of them; the first directory that has it wins. Plugins load by NAME only, never by path.
 *
 * A run loads, before level 3, every plugin found on the search path (unless discovery was
 * turned off) besides those loaded explicitly — except driver plugins, named after their
 * database type (sqlite, postgresql, mysql), which load only when a database of that type is
 * used, so a run never loads client libraries it does not need. A plugin that could not be loaded is recorded
 * in the report as a level-3 check named "plugin:<name>" with status error and the reason,
 * and the run's exit code is VIGIL_EXIT_PLUGIN (3) unless the blueprint was unreadable (2).
 */

/** Where log lines of plugins go (see vigil_engine_set_log). `check` and `database` may be NULL. */
typedef void (*vigil_log_fn)(void *payload, const char *database, const char *check,
                             int severity, const char *message);

/** Appends a directory to the engine's plugin search path (copied). */
VIGIL_API int vigil_engine_add_plugin_dir(vigil_engine *engine, const char *dir, vigil_diag *diag);

/**
 * Loads the plugin `name` (the <name> of vigil_<name>.so; names holding '/' or '..' are
 * refused) from the search path, checks its ABI and metadata and calls its init. Loading a
 * loaded plugin again does nothing. Returns 0, or VIGIL_EPLUGIN with diag's message naming
 * the plugin file and the first mismatch ("…/vigil_foo.so: ABI major 2, this vigil supports
 * 1"); the refusal is remembered and reported by every later run. VIGIL_EINVAL for a name
 * that is not a plugin name.
 */
VIGIL_API int vigil_engine_load_plugin(vigil_engine *engine, const char *name, vigil_diag *diag);

/**
 * Loads every plugin on the search path not loaded or refused yet (once; runs do this
 * themselves unless discovery is off). Returns 0 when all loaded, VIGIL_EPLUGIN when some
 * were refused (diag: the first refusal), VIGIL_ENOMEM.
 */
VIGIL_API int vigil_engine_discover_plugins(vigil_engine *engine, vigil_diag *diag);

/** Whether runs discover plugins on the search path (default 1). 0: only explicit loads. */
VIGIL_API void vigil_engine_set_plugin_discovery(vigil_engine *engine, int discover);

/**
 * Whether database checks run in worker processes (default 1). 0 runs them in-process, for
 * debugging a plugin under a debugger: a crash then takes the process down, and deadlines
 * are only signalled (host->cancelled), not enforced.
 */
VIGIL_API void vigil_engine_set_isolation(vigil_engine *engine, int isolate);

/**
 * Offline runs (non-zero) contact no database: level 3's database checks are recorded as
 * skipped with the reason "offline", per database, and the level reads "partial". The
 * blueprint-only checks of every level still run. Default 0. Not thread-safe with a run on
 * the same engine.
 */
VIGIL_API void vigil_engine_set_offline(vigil_engine *engine, int offline);

/** How many databases are checked at once (worker processes); 0 (default): the CPU count. */
VIGIL_API void vigil_engine_set_jobs(vigil_engine *engine, unsigned jobs);

/**
 * The deadline of one database check in milliseconds (default VIGIL_CHECK_TIMEOUT_DEFAULT_MS;
 * 0 restores it). A check past its deadline is killed with its worker and recorded as an
 * error; the database's remaining checks go on in a fresh worker.
 */
VIGIL_API void vigil_engine_set_check_timeout(vigil_engine *engine, unsigned timeout_ms);

#define VIGIL_CHECK_TIMEOUT_DEFAULT_MS 30000u

/** Receives plugins' log lines (host->log); NULL (default) drops them. Called on the engine's thread. */
VIGIL_API void vigil_engine_set_log(vigil_engine *engine, vigil_log_fn fn, void *payload);

/** One check of a plugin, as listed. Borrowed from the engine. */
typedef struct vigil_plugin_check_info {
	const char *name;
	const char *summary;    /**< or NULL */
	const char *depends_on; /**< comma-separated, or NULL */
} vigil_plugin_check_info;

/**
 * A plugin the engine loaded or tried to load. Borrowed from the engine, valid until it is
 * freed; fields are only ever added at the end.
 */
typedef struct vigil_plugin_info {
	const char *name;       /**< the plugin's name (from its file name) */
	const char *file;       /**< the shared object's path, or NULL when none was found */
	const char *kind;       /**< "check" / "driver", or NULL when refused before it was read */
	const char *version;    /**< the plugin's own version, or NULL */
	const char *summary;    /**< or NULL */
	unsigned abi_major;     /**< the ABI it was built against (0.0 when unknown) */
	unsigned abi_minor;
	int level;              /**< pipeline level of its checks (3 for checks, 0 for drivers) */
	size_t check_count;
	const vigil_plugin_check_info *checks;
	const char *error;      /**< why it could not be loaded; NULL when it is loaded */
} vigil_plugin_info;

/** Plugins loaded or refused so far, in load order. */
VIGIL_API size_t vigil_engine_plugin_count(const vigil_engine *engine);
/** The i-th plugin, or NULL past the end. */
VIGIL_API const vigil_plugin_info *vigil_engine_plugin_at(const vigil_engine *engine, size_t i);
/** The search path as the engine would use it now; NULL past the end. Borrowed. */
VIGIL_API const char *vigil_engine_plugin_dir_at(vigil_engine *engine, size_t i);

/* Metrics of a check (plugins' set_metric), in the order first set. Out of range: 0 / NULL. */
VIGIL_API size_t vigil_report_check_metric_count(const vigil_report *report, unsigned level,
                                                 size_t i);
VIGIL_API const char *vigil_report_check_metric_name(const vigil_report *report, unsigned level,
                                                     size_t i, size_t k);
VIGIL_API double vigil_report_check_metric_value(const vigil_report *report, unsigned level,
                                                 size_t i, size_t k);
/** The metric's unit ("ms", "1/s"), or NULL. */
VIGIL_API const char *vigil_report_check_metric_unit(const vigil_report *report, unsigned level,
                                                     size_t i, size_t k);
/* ================================================================= end plugins */

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_VIGIL_H */
