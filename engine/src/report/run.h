/*
 * run.h — one validation run: the report being built, its checks and findings, and the
 * helpers built-in validators use to emit findings.
 *
 * Built-in validators are vigil_plugin_desc descriptors (vigil/plugin.h) linked statically;
 * their check functions receive a vigil_check_ctx and may use these internal helpers, which
 * add formatting and YAML-node locations on top of the host table plugins use.
 */
#ifndef VG_RUN_H
#define VG_RUN_H

#include <stdarg.h>
#include <stddef.h>

#include "vigil/plugin.h"
#include "vigil/vigil.h"

#include "arena.h"
#include "blueprint.h"
#include "yaml_tree.h"

/* The code table as an enum: VG_UNREADABLE, ..., VG_CODE_COUNT. */
typedef enum vg_code {
#define VG_CODE(id, code, rule, level, severity, summary) id,
#include "codes.def"
#undef VG_CODE
	VG_CODE_COUNT
} vg_code;

/** The static description of a code. */
const vigil_code_info *vg_code_info(vg_code code);

struct vigil_finding {
	const vigil_code_info *info; /* NULL for plugin codes not in the table */
	const char *code;
	const char *rule;
	vigil_severity severity;
	unsigned level;
	const char *check;
	const char *message;
#define VG_FINDING_TEXT(name) const char *name;
#include "finding_fields.def" /* detail, hint, file, ..., proposal (healing SQL) */
#undef VG_FINDING_TEXT
	unsigned line; /* with file */
	unsigned column;
	int risk;                      /* vigil_risk of the proposal */
	size_t seq;                    /* emission order, the last sort key */
	vg_arena *arena;               /* the report's, for setters */
	const char *uri;               /* file relative to the project root (report_locate.c) */
	const char *fingerprint;       /* stable identity across runs (report_locate.c) */
	int accepted;                  /* VG_ACCEPT_* (report_accept.c); 0: it counts */
	const char *suppressed_reason; /* x-vigil-ignore's reason when suppressed */
};

#define VG_ACCEPT_KNOWN 1      /* in the baseline */
#define VG_ACCEPT_SUPPRESSED 2 /* an x-vigil-ignore covers it */

/** A named figure of a check (plugins' set_metric). */
typedef struct vg_metric {
	const char *name;
	double value;
	const char *unit; /* or NULL */
} vg_metric;

typedef struct vg_check_rec {
	const char *name;
	const char *database; /* NULL for blueprint-only checks */
	vigil_status status;
	const char *reason; /* for skipped/error */
	double duration_ms;
	size_t finding_count;
	int status_set;     /* the check called set_status itself */
	int on_request;     /* skipped because the user asked (--offline, --checks, --skip) */
	vg_metric *metrics; /* report-arena array (plugin checks) */
	size_t metric_count;
} vg_check_rec;

typedef struct vg_level_rec {
	const char *name;
	vigil_status status;
	const char *reason; /* why skipped */
	int on_request;     /* skipped because the user asked (--max-level) */
	double duration_ms;
	vg_check_rec *checks; /* malloc'ed growable array */
	size_t check_count;
	size_t check_cap;
} vg_level_rec;

#define VG_LEVELS 4

struct vigil_report {
	vg_arena *arena; /* owns every string of the report */
	const char *path;
	const char *system_name;
	char started_at[32];
	double duration_ms;
	int exit_code;
	vg_level_rec levels[VG_LEVELS];
	vigil_finding **findings; /* malloc'ed; sorted when the run ends */
	size_t finding_count;
	size_t finding_cap;
	size_t error_count; /* findings of error severity (set at creation, never changed) */
	/* Finding locations point into the blueprint's arena, which dies before the report:
	 * the file name is copied once and reused (one blueprint file per run). */
	const char *file_source;
	const char *file_copy;
	/* Healing (heal.c): one record per database looked at; report-arena array. */
	vigil_heal_database *heals;
	size_t heal_count;
	/* Blueprint healing (heal_blueprint.c): report-arena record, or NULL. */
	vigil_heal_blueprint *heal_blueprint;
	const char *root; /* the project root (report_locate.c) */
	/* Acceptance (report_accept.c): fail-on, the baseline's fingerprints (sorted), the
	 * blueprint's suppressions; counts of the findings accepted. */
	int fail_on_warning;
	const char *baseline_path; /* NULL: no baseline */
	const char **baseline;
	size_t baseline_count;
	struct vg_ignore *ignores; /* report-arena array */
	size_t ignore_count, ignore_cap;
	size_t known_count, suppressed_count;
};

/** What a check function receives (the ABI's opaque vigil_check_ctx). */
struct vigil_check_ctx {
	vigil_report *report;
	const vg_blueprint *blueprint; /* NULL when the blueprint could not be read */
	const vg_node *root;
	unsigned level;
	vg_check_rec *check; /* the record of the running check */
	const char *check_name;
	const vg_database *database; /* for per-database checks, else NULL */
	int out_of_memory;           /* set when an allocation failed while emitting */
	int offline;                 /* --offline: no database is contacted (vg_plugin_host) */
	/* Plugin host (database checks); zero for built-in validators: */
	double cancel_at_ms; /* cancelled() is true from this vg_now_ms() on; 0: never */
	unsigned timeout_ms; /* the check's whole budget (check_deadline_ms) */
	void (*log_sink)(void *payload, const char *check, int severity, const char *message);
	void *log_payload;
	struct vg_check_db *check_db; /* the database checks reach through the host (ABI 1.2) */
	struct vg_heal_sink *heal;    /* only inside a check's heal callback (heal.c) */
};

/* ---- emitting findings (built-in validators) ---- */

/**
 * Adds a finding with the code's default severity, located at `at` (NULL: no location).
 * The message is printf-formatted. Returns the finding (to add detail/hint/evidence), or
 * NULL when memory ran out (the run then ends with an internal error).
 */
vigil_finding *vg_emit(vigil_check_ctx *ctx, vg_code code, const vg_node *at, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/** The same with an explicit severity. */
vigil_finding *vg_emit_severity(vigil_check_ctx *ctx, vg_code code, vigil_severity severity,
                                const vg_node *at, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));
vigil_finding *vg_emitv(vigil_check_ctx *ctx, vg_code code, vigil_severity severity,
                        const vg_node *at, const char *fmt, va_list ap);

/* Setters: each is a no-op on a NULL finding, so calls can chain after vg_emit. */
void vg_detail(vigil_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vg_hint(vigil_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vg_object(vigil_finding *f, const char *database, const char *object);
void vg_evidence(vigil_finding *f, const char *expected, const char *actual);

/* ---- the run (used by the pipeline) ---- */

/** A new, empty report for `path`. NULL when memory runs out. */
vigil_report *vg_report_new(const char *path);
/** Appends a check record to a level; NULL when memory runs out. */
vg_check_rec *vg_report_add_check(vigil_report *report, unsigned level, const char *name,
                                  const char *database);
/** Sorts findings deterministically and computes level statuses' counts. */
void vg_report_finish(vigil_report *report);
/** A finding not tied to a code-table entry (plugins' own codes). */
vigil_finding *vg_report_add_finding(vigil_report *report, unsigned level, const char *check,
                                     const char *code, vigil_severity severity,
                                     const char *message);

/** The report's copy of a blueprint file name (one per run, copied once). NULL: no memory. */
const char *vg_report_file(vigil_report *report, const char *file);

/** Sets (or replaces) a metric of a check; copies name and unit into the report's arena. */
int vg_check_set_metric(vigil_report *report, vg_check_rec *check, const char *name, double value,
                        const char *unit);

/**
 * Sets a level's status from its check records (failed > error > passed; a pass with
 * checks not run is "partial", said in its reason), after the level's acceptance
 * (report_accept.h). VIGIL_OK or VIGIL_ENOMEM. (level_settle.c; the pipeline and healing's
 * re-check call it.)
 */
int vg_level_settle(vigil_report *report, unsigned level);

#endif
