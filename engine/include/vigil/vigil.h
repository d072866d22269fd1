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

#include <signal.h>
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
	VIGIL_ENOMEM = -1,       /**< out of memory */
	VIGIL_EINVAL = -2,       /**< invalid argument (a caller bug or a usage error) */
	VIGIL_EIO = -3,          /**< a file could not be read or written */
	VIGIL_EBLUEPRINT = -4,   /**< the blueprint cannot be read as a blueprint */
	VIGIL_EPLUGIN = -5,      /**< a plugin could not be loaded */
	VIGIL_EINTERNAL = -6,    /**< an internal error (a bug in vigil) */
	VIGIL_EMIGRATION = -7,   /**< a migration failed or changed since it was applied
	                            (vigil_migrate_file) */
	VIGIL_EUNREACHABLE = -8, /**< a database could not be reached or refused the user */
} vigil_error_code;

/**
 * Exit codes of the CLI, also in the JSON report as `exit_code` with its `reason`
 * (vigil_report_exit_reason). Stable: docs/exit-codes.md has the table and the precedence
 * when several apply: internal error > usage error / unreadable blueprint > could not check
 * > findings > passed.
 */
enum {
	VIGIL_EXIT_PASS = 0,  /**< passed: every check ran and passed, or was left out on request */
	VIGIL_EXIT_FAIL = 1,  /**< findings about the system: the blueprint, or a database
	                                 that disagrees with it */
	VIGIL_EXIT_USAGE = 2, /**< usage error, or the blueprint cannot be read as one */
	VIGIL_EXIT_NOT_CHECKED = 3, /**< could not check: a database unreachable or refusing the
	                                 user, a check that crashed, timed out, could not load or
	                                 did not run */
	VIGIL_EXIT_PLUGIN =
	        VIGIL_EXIT_NOT_CHECKED, /**< the older name: a plugin not loaded is one case */
	VIGIL_EXIT_INTERNAL = 4,        /**< internal error, or the report could not be written */
};

/**
 * The machine-readable reason of an exit code: "passed", "findings", "usage_error",
 * "could_not_check", "internal_error". Static storage.
 */
VIGIL_API const char *vigil_exit_reason_name(int exit_code);

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
	int code;          /**< the vigil_error_code returned */
	char message[512]; /**< what went wrong */
	char file[512];    /**< where, if anywhere */
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

/**
 * The project root of later runs (copied; NULL restores the default): findings' files are
 * reported relative to it (vigil_finding_uri) and fingerprinted without it. By default,
 * the nearest folder from the current one up that holds `.git`, else the current folder.
 */
VIGIL_API int vigil_engine_set_project_root(vigil_engine *engine, const char *root);

/**
 * A baseline file for later runs (copied; NULL: none): findings whose fingerprint it
 * records are known — in the report, marked (vigil_finding_known), but left out of the
 * counts and the verdict. The file is what `vigil baseline` writes (docs/ci.md); one that
 * cannot be read as one makes a VG641 error finding, so the run fails rather than judging
 * without it.
 */
VIGIL_API int vigil_engine_set_baseline(vigil_engine *engine, const char *path);

/**
 * The lowest severity that fails a run: VIGIL_SEVERITY_ERROR (the default) or
 * VIGIL_SEVERITY_WARNING (a check with a warning that is not accepted then fails).
 * VIGIL_EINVAL for another value.
 */
VIGIL_API int vigil_engine_set_fail_on(vigil_engine *engine, int severity);

/* ------------------------------------------------------------ validation */

/** What a run does about what failed (docs/healing.md). */
typedef enum vigil_heal_mode {
	VIGIL_HEAL_OFF = 0,   /**< report only (the default) */
	VIGIL_HEAL_PLAN = 1,  /**< write the migration that would heal it; change nothing */
	VIGIL_HEAL_APPLY = 2, /**< apply it, then check again */
} vigil_heal_mode;

/**
 * Options of one validation run. A transparent, versioned struct: start from _INIT.
 * Fields are only ever added at the end; a caller built with an older version (1: the
 * first three fields) still works, with the later fields taken as zero.
 */
typedef struct vigil_run_options {
	unsigned version; /**< VIGIL_RUN_OPTIONS_VERSION */
	int keep_going;   /**< run every level even when an earlier one failed */
	int max_level;    /**< highest level to run, 1..4 (0 means 4) */
	/* version 2: healing */
	int heal;              /**< vigil_heal_mode (default VIGIL_HEAL_OFF) */
	int allow_destructive; /**< apply data-dependent and destructive statements too */
	unsigned heal_rounds; /**< apply + re-check rounds at most (0: VIGIL_HEAL_ROUNDS_DEFAULT) */
	const char *heal_dir; /**< folder of the files healing writes (NULL: the current one) */
} vigil_run_options;

#define VIGIL_RUN_OPTIONS_VERSION 2
#define VIGIL_RUN_OPTIONS_INIT                                 \
	{                                                      \
		VIGIL_RUN_OPTIONS_VERSION, 0, 0, 0, 0, 0, NULL \
	}
#define VIGIL_HEAL_ROUNDS_DEFAULT 3u

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
/**
 * The reason of the report's exit code: vigil_exit_reason_name's, except
 * "unreadable_blueprint" for exit code 2 when the blueprint could not be read.
 */
VIGIL_API const char *vigil_report_exit_reason(const vigil_report *report);
VIGIL_API int vigil_report_passed(const vigil_report *report);
VIGIL_API const char *vigil_report_blueprint_path(const vigil_report *report);
/** The system's name, or NULL when the blueprint did not give one. */
VIGIL_API const char *vigil_report_system_name(const vigil_report *report);
VIGIL_API double vigil_report_duration_ms(const vigil_report *report);
/** Wall-clock start of the run, as an RFC 3339 UTC string. */
VIGIL_API const char *vigil_report_started_at(const vigil_report *report);
/** The absolute project root the findings' uris are relative to (vigil_engine_set_project_root). */
VIGIL_API const char *vigil_report_project_root(const vigil_report *report);

/** The number of levels in a report: always 4. */
VIGIL_API unsigned vigil_report_level_count(const vigil_report *report);
/* Level getters take a 1-based level number; out-of-range levels give NULL / 0 / SKIPPED. */
VIGIL_API const char *vigil_report_level_name(const vigil_report *report, unsigned level);
VIGIL_API vigil_status vigil_report_level_status(const vigil_report *report, unsigned level);
/** Why a level was skipped (NULL when it ran). */
VIGIL_API const char *vigil_report_level_reason(const vigil_report *report, unsigned level);
VIGIL_API double vigil_report_level_duration_ms(const vigil_report *report, unsigned level);
/** Non-zero when the level was skipped because the user asked (--max-level). */
VIGIL_API int vigil_report_level_on_request(const vigil_report *report, unsigned level);

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
/**
 * Non-zero when the check was skipped because the user asked (--offline, --checks, --skip,
 * validation.checks/skip): left out on request, never counted as passed. A check skipped
 * for any other reason without a failing dependency is an error finding (VG612).
 */
VIGIL_API int vigil_report_check_on_request(const vigil_report *report, unsigned level, size_t i);

/** Findings in deterministic order: level, file position, code, object. */
VIGIL_API size_t vigil_report_finding_count(const vigil_report *report);
VIGIL_API const vigil_finding *vigil_report_finding(const vigil_report *report, size_t i);
/** Counts of findings by severity; findings accepted (known, suppressed) are not counted. */
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
/** The file relative to the report's project root ('/'-separated), or its absolute path
 *  when it lies outside; NULL when the finding has no file. */
VIGIL_API const char *vigil_finding_uri(const vigil_finding *finding);
/**
 * 32 hex digits that identify the finding across runs: the same finding (code, file
 * relative to the project root, database, object, message with line numbers left out) gets
 * the same fingerprint, wherever its line moves. Unique within a report. Never NULL for a
 * finding of a finished report.
 */
VIGIL_API const char *vigil_finding_fingerprint(const vigil_finding *finding);
/** Whether the finding is in the run's baseline (known): it does not count. */
VIGIL_API int vigil_finding_known(const vigil_finding *finding);
/** The reason of the x-vigil-ignore that suppresses the finding, or NULL: it does not count. */
VIGIL_API const char *vigil_finding_suppressed(const vigil_finding *finding);
/** Findings of the report in its baseline, and suppressed by x-vigil-ignore. */
VIGIL_API size_t vigil_report_known_count(const vigil_report *report);
VIGIL_API size_t vigil_report_suppressed_count(const vigil_report *report);
/** The baseline file the run used, or NULL. */
VIGIL_API const char *vigil_report_baseline(const vigil_report *report);
/** VIGIL_SEVERITY_ERROR, or VIGIL_SEVERITY_WARNING when warnings failed the run too. */
VIGIL_API vigil_severity vigil_report_fail_on(const vigil_report *report);
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

/* ---------------------------------------------------------------- healing
 * Database healing (vigil_run_options.heal): the contract is docs/healing.md.
 * Records are borrowed from the report; their structs only ever grow at the end. */

/** What became of one healing statement. */
typedef enum vigil_heal_outcome {
	VIGIL_HEAL_PLANNED = 0, /**< plan mode: written to the plan, not run */
	VIGIL_HEAL_APPLIED = 1, /**< ran and stays applied */
	VIGIL_HEAL_REFUSED = 2, /**< not run: its risk needs allow_destructive, or no SQL exists */
	VIGIL_HEAL_FAILED = 3,  /**< ran and failed (message says why) */
	VIGIL_HEAL_NOT_RUN = 4, /**< not run because an earlier statement failed */
	VIGIL_HEAL_ROLLED_BACK = 5, /**< ran, then undone by the rollback of its transaction */
} vigil_heal_outcome;

typedef struct vigil_heal_statement {
	unsigned round;  /**< 1-based round it belongs to */
	const char *sql; /**< one statement ending in ';', or NULL when none could be made */
	int risk; /**< vigil_risk (vigil/plugin.h): 0 safe, 1 data-dependent, 2 destructive */
	const char *code;   /**< the finding code it fixes ("VG522"), or a plugin's */
	const char *object; /**< "table" / "table.column" it fixes, or NULL */
	const char *fixes; /**< every "CODE object" the statement's proposal removes, ", "-joined */
	const char *source;  /**< "schema" (built in) or the plugin check that proposed it */
	int outcome;         /**< vigil_heal_outcome */
	const char *message; /**< why refused, failed or not run; NULL otherwise */
	double duration_ms;  /**< time it ran (APPLIED, FAILED, ROLLED_BACK) */
} vigil_heal_statement;

/** A level-3 check of a healed database as it was BEFORE healing (the first check). */
typedef struct vigil_heal_check {
	const char *name;
	vigil_status status;
	const char *reason; /**< or NULL */
	size_t finding_count;
	const char *findings; /**< "CODE object" of each finding, ", "-joined, or NULL */
} vigil_heal_check;

typedef struct vigil_heal_database {
	const char *database;      /**< the database's name in the blueprint */
	const char *database_type; /**< "sqlite", "postgresql", "mysql" */
	int mode;                  /**< vigil_heal_mode */
	int attempted;             /**< apply: some statement was run */
	int applied;               /**< apply: some statement stays applied */
	int converged;             /**< the (re-)check found no drift left (see above) */
	unsigned rounds;           /**< rounds run (apply), 1 for plan */
	size_t drift_before;       /**< differences at the start */
	size_t drift_after;        /**< differences after the last round (apply) */
	const char *message;       /**< what happened, in one or two sentences */
	size_t statement_count;
	const vigil_heal_statement *statements; /**< every round's, in run order */
	size_t initial_check_count;
	const vigil_heal_check *initial_checks;
	/* files written, absolute or relative to the current folder as heal_dir was; NULL: none */
	const char *plan_file;
	const char *journal_file;
	const char *resume_file;
	const char *undo_file;
	const char *backup_file;
} vigil_heal_database;

/** Databases healing looked at, in blueprint order (0 when healing was off or not needed). */
VIGIL_API size_t vigil_report_heal_count(const vigil_report *report);
/** The i-th, or NULL past the end. Borrowed from the report. */
VIGIL_API const vigil_heal_database *vigil_report_heal_at(const vigil_report *report, size_t i);
/** "off", "plan", "apply"; "unknown" otherwise. Static. */
VIGIL_API const char *vigil_heal_mode_name(int mode);
/** "planned", "applied", "refused", "failed", "not run", "rolled back"; "unknown". Static. */
VIGIL_API const char *vigil_heal_outcome_name(int outcome);
/** Parses "off" / "plan" / "apply"; 0 and *out set, or VIGIL_EINVAL. */
VIGIL_API int vigil_heal_mode_parse(int *out, const char *name);

/* ------------------------------------------------------- blueprint healing
 * Blueprint healing (vigil_run_options.heal): the contract is docs/healing.md.
 * Records are borrowed from the report; their structs only ever grow at the end. */

/** One edit of the blueprint text. */
typedef struct vigil_heal_edit {
	unsigned level;          /**< the level of the finding it fixes (1 or 2) */
	const char *code;        /**< that finding's code: "VG113", "VG116", "VG117", "VG112" */
	unsigned line, column;   /**< where, in the INPUT file, 1-based */
	const char *description; /**< "schema_version \"1.0\" → \"1.0.0\"" */
	const char *original;    /**< the input's text replaced ("" for an insertion) */
	const char *replacement; /**< the text put there */
} vigil_heal_edit;

/** What blueprint healing did for one of levels 1 and 2. */
typedef struct vigil_heal_level {
	unsigned level;      /**< 1 or 2 */
	vigil_status before; /**< the level's status on the input blueprint */
	vigil_status after; /**< on the healed text (levels 1–2, both run); = before without edits */
	size_t findings_before; /**< the level's findings (any severity) on the input */
	size_t findings_after;  /**< on the healed text; = findings_before without edits */
	int attempted;     /**< the level failed or had healable findings, and healing looked */
	int applied;       /**< apply: an edit for this level is in the text the run went on with */
	int converged;     /**< an edit was made and the healed text passes this level */
	size_t edit_count; /**< edits fixing this level's findings */
} vigil_heal_level;

typedef struct vigil_heal_blueprint {
	int mode;      /**< vigil_heal_mode */
	int attempted; /**< healing looked at the findings of level 1 and/or 2 */
	int applied;   /**< apply: the run went on with the healed text (levels 1–4 judge it) */
	int converged; /**< edits were made and written, and the healed text passes levels 1 and 2 */
	const char *input_file; /**< the blueprint healed (never written) */
	/* files written, as heal_dir was given; NULL: not written */
	const char *healed_file; /**< <stem>.healed.yaml */
	const char *diff_file; /**< <stem>.healed.diff (apply with `patch -p1` next to the input) */
	const char *message;   /**< what happened, in one or two sentences */
	size_t skipped;        /**< healable-kind findings left alone (ambiguous, or unprovable) */
	size_t edit_count;
	const vigil_heal_edit *edits; /**< in file order */
	vigil_heal_level levels[2];   /**< levels 1 and 2 */
} vigil_heal_blueprint;

/** The blueprint healing record, or NULL when it did not run (healing off, or not needed). */
VIGIL_API const vigil_heal_blueprint *vigil_report_heal_blueprint(const vigil_report *report);

/* ------------------------------------------------------------ rule codes */

/** Every finding code vigil can emit, in code order; static storage, thread-safe. */
typedef struct vigil_code_info {
	const char *code; /**< e.g. "VG117" — stable forever */
	const char *rule; /**< slug, e.g. "unknown-key" */
	unsigned level;   /**< 1..4 */
	vigil_severity severity;
	const char *summary; /**< one line */
} vigil_code_info;

VIGIL_API size_t vigil_code_count(void);
/** The i-th code, or NULL past the end. */
VIGIL_API const vigil_code_info *vigil_code_at(size_t i);
/** Looks a code up by its code ("VG117") or rule slug; NULL when unknown. */
VIGIL_API const vigil_code_info *vigil_code_find(const char *code_or_rule);

/* --------------------------------------------------------------- writers */

/** Report formats (docs/reports.md). Append only: a value keeps its meaning. */
typedef enum vigil_format {
	VIGIL_FORMAT_TEXT = 0,     /**< for people: compiler-style diagnostics */
	VIGIL_FORMAT_JSON = 1,     /**< the versioned contract (reports/report.schema.json) */
	VIGIL_FORMAT_SARIF = 2,    /**< SARIF 2.1.0, for code scanning */
	VIGIL_FORMAT_JUNIT = 3,    /**< JUnit XML: a testsuite per level, a testcase per check */
	VIGIL_FORMAT_GITHUB = 4,   /**< GitHub Actions workflow commands (::error file=...::) */
	VIGIL_FORMAT_GITLAB = 5,   /**< GitLab Code Quality (a JSON array of issues) */
	VIGIL_FORMAT_MARKDOWN = 6, /**< Markdown for a pull-request comment or a job summary */
	VIGIL_FORMAT_BASELINE =
	        7, /**< the findings by fingerprint, for vigil_engine_set_baseline */
} vigil_format;

typedef struct vigil_write_options {
	unsigned version; /**< VIGIL_WRITE_OPTIONS_VERSION */
	int color;        /**< text only: use ANSI colours */
	int verbose;      /**< text only: list every check, not just the failing ones */
} vigil_write_options;

#define VIGIL_WRITE_OPTIONS_VERSION 1
#define VIGIL_WRITE_OPTIONS_INIT                  \
	{                                         \
		VIGIL_WRITE_OPTIONS_VERSION, 0, 0 \
	}

/** Parses a format's name ("text", "json", "sarif", "junit", "github", "gitlab",
 *  "markdown", "baseline"); returns 0 and sets *out, or VIGIL_EINVAL. */
VIGIL_API int vigil_format_parse(vigil_format *out, const char *name);
/** The name of a format, or NULL for a value that is not one. Static. */
VIGIL_API const char *vigil_format_name(vigil_format format);

/**
 * Writes a report to `out` in a format. `options` may be NULL. Returns VIGIL_EIO when the
 * stream reports an error. Thread-safe for distinct streams.
 */
VIGIL_API int vigil_report_write(const vigil_report *report, vigil_format format, FILE *out,
                                 const vigil_write_options *options);

/** The version of the JSON report's shape (see reports/report.schema.json). */
#define VIGIL_REPORT_VERSION "1.2"

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
typedef void (*vigil_log_fn)(void *payload, const char *database, const char *check, int severity,
                             const char *message);

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

/**
 * A flag the caller's SIGINT/SIGTERM handler sets to the signal's number (the library never
 * installs handlers). While it is 0 nothing changes; once non-zero, healing stops before its
 * next statement: the running one finishes (its outcome is recorded), the statements left
 * are "not run", MySQL's journal, resume and undo plans are written, PostgreSQL's and
 * SQLite's transaction is rolled back, and the run ends with its report. Borrowed; it must
 * outlive the engine's runs. NULL (the default): no flag.
 */
VIGIL_API void vigil_engine_set_interrupt_flag(vigil_engine *engine,
                                               const volatile sig_atomic_t *flag);

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
	const char *name;    /**< the plugin's name (from its file name) */
	const char *file;    /**< the shared object's path, or NULL when none was found */
	const char *kind;    /**< "check" / "driver", or NULL when refused before it was read */
	const char *version; /**< the plugin's own version, or NULL */
	const char *summary; /**< or NULL */
	unsigned abi_major;  /**< the ABI it was built against (0.0 when unknown) */
	unsigned abi_minor;
	int level; /**< pipeline level of its checks (3 for checks, 0 for drivers) */
	size_t check_count;
	const vigil_plugin_check_info *checks;
	const char *error; /**< why it could not be loaded; NULL when it is loaded */
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

/* ============================================================ migrations
 * `vigil migrate`: applies the migrations a blueprint declares for its databases
 * (schema.migrations) and records each in a history table of that database.
 *
 * The history table is schema.migration_table (default "vigil_schema_migrations"), in the
 * connection's default schema, created through the driver's DDL when absent, with columns
 * version (bigint, primary key), description (varchar(255), nullable), checksum (char(64))
 * and applied_at (the server's timestamp; ISO 8601 UTC text on SQLite).
 *
 * The checksum is the SHA-256, in lower-case hex, of the migration's `up` text AS WRITTEN
 * in the blueprint: the YAML value with quotes, escapes and block indentation resolved but
 * BEFORE ${VAR} expansion (what runs is the expanded text). `printf '%s' "$up" | sha256sum`
 * of the same text gives the same value; the schema check plugin recomputes it that way.
 *
 * Per database, in version order, each declared migration not in the history:
 *  - PostgreSQL, SQLite (transactional DDL): BEGIN, every statement of `up`, the history
 *    row, COMMIT. A failure rolls that migration back — nothing of it remains — and stops
 *    the database.
 *  - MySQL/MariaDB (DDL commits at once): the statements, then the row. A failure stops the
 *    database; the event names the statement that failed and says that the statements of
 *    that migration before it were applied and stay.
 * An applied migration whose checksum differs from the blueprint's is reported as
 * VIGIL_MIGRATE_CHANGED and never re-run; that database's history then no longer matches
 * the blueprint, so nothing more runs on it (its pending migrations are NOT_RUN): restore
 * the text that was applied, or put the change in a new migration. Databases are
 * independent: a failure in one does not stop the others. A missing SQLite file is created
 * (empty) first, except in a dry run.
 */

/** vigil_migrate_file flags. */
#define VIGIL_MIGRATE_DRY_RUN \
	1u /**< report what would run; change nothing (not even the
                                      history table, not even a SQLite file) */

typedef enum vigil_migrate_outcome {
	VIGIL_MIGRATE_APPLIED = 0, /**< ran and was recorded now */
	VIGIL_MIGRATE_SKIPPED = 1, /**< applied before, same checksum: not run again (or, with
	                                has_migration 0, the database declares no migrations) */
	VIGIL_MIGRATE_CHANGED = 2, /**< applied before, but its `up` text changed since: not run */
	VIGIL_MIGRATE_FAILED = 3,  /**< it failed (message says where); with has_migration 0, the
	                                database itself failed (driver, connection, history table) */
	VIGIL_MIGRATE_PENDING = 4, /**< dry run: would be applied */
	VIGIL_MIGRATE_NOT_RUN = 5, /**< pending, but not run because an earlier migration of the
	                                same database failed or changed (message says which) */
} vigil_migrate_outcome;

/**
 * One migration's outcome, passed to a vigil_migrate_event_fn. Everything is borrowed and
 * valid only during the callback. Fields are only ever added at the end (`version` tells
 * which exist). No string ever holds a password or an unredacted URL.
 */
typedef struct vigil_migrate_event {
	unsigned version;          /**< VIGIL_MIGRATE_EVENT_VERSION */
	const char *database;      /**< the database's name in the blueprint */
	const char *database_type; /**< "sqlite", "postgresql", "mysql" */
	int has_migration;         /**< 0: the event is about the database, not a migration */
	long long migration;       /**< the migration's version */
	const char *description;   /**< its description as written (no ${VAR} expanded), or NULL */
	vigil_migrate_outcome outcome;
	double duration_ms;            /**< time it ran (APPLIED, FAILED); else 0 */
	const char *message;           /**< CHANGED, FAILED, NOT_RUN: what and why; else NULL */
	const char *checksum;          /**< the blueprint's checksum of it (64 hex), or NULL */
	const char *recorded_checksum; /**< CHANGED: the checksum in the history table */
	size_t statement;              /**< FAILED: the 1-based statement of `up` that failed; 0
	                                    when the failure was elsewhere (recording, COMMIT) */
	size_t statement_count;        /**< statements in `up` (APPLIED, FAILED, PENDING) */
	int partially_applied;         /**< FAILED on a database without transactional DDL after
	                                    some of it ran: that part stays applied */
} vigil_migrate_event;

#define VIGIL_MIGRATE_EVENT_VERSION 1

/** Receives events in order: per database, the applied-before ones (SKIPPED/CHANGED) in
 *  version order, then the pending ones. Called on the caller's thread. */
typedef void (*vigil_migrate_event_fn)(const vigil_migrate_event *event, void *payload);

/**
 * Applies the pending migrations of the blueprint at `path`: of the database named
 * `database`, or with NULL of every database that declares migrations. `flags`:
 * VIGIL_MIGRATE_DRY_RUN or 0. Driver plugins load by name from the engine's search path.
 *
 * The blueprint is validated first (levels 1 and 2, offline); when they have an error,
 * nothing is migrated and VIGIL_EBLUEPRINT is returned. `*validation` (may be NULL) gets
 * that levels 1–2 report whenever one was made, to print; the caller frees it.
 *
 * Returns VIGIL_OK when every declared migration is now applied (or, dry-running, nothing
 * failed or changed); VIGIL_EMIGRATION when a migration failed or changed (events say
 * which; diag gets the first); VIGIL_EUNREACHABLE when a database could not be reached or
 * refused the user, VIGIL_EPLUGIN when a database's driver plugin could not be loaded (its
 * event says why; both win over VIGIL_EMIGRATION, EPLUGIN over EUNREACHABLE); VIGIL_EBLUEPRINT as above, or when the file cannot be read;
 * VIGIL_EINVAL for bad arguments or a `database` the blueprint does not name (diag lists
 * the names); VIGIL_ENOMEM. The engine is used from the calling thread only.
 */
VIGIL_API int vigil_migrate_file(vigil_report **validation, vigil_engine *engine, const char *path,
                                 const char *database, unsigned flags, vigil_migrate_event_fn fn,
                                 void *payload, vigil_diag *diag);

/** "applied", "skipped", "changed", "failed", "pending", "not run"; "unknown" otherwise. Static. */
VIGIL_API const char *vigil_migrate_outcome_name(vigil_migrate_outcome outcome);
/* ============================================================ end migrations */

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_VIGIL_H */
