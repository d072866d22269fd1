/*
 * check_result.h — one plugin check: run it on a scratch report and encode its result as
 * JSON (what a worker streams to the parent), and apply such a result to the real report.
 * The in-process mode goes through the same two steps, so both modes record alike.
 *
 * A result: {"t":"result","i":<plan index>,"status":<vigil_status>,"reason":"…",
 *            "duration_ms":…,"findings":[{code,severity,message,line,column,risk and the
 *            texts of report/finding_fields.def}],"metrics":[{name,value,unit}]}
 * A log line: {"t":"log","check":"…","severity":n,"message":"…"}
 */
#ifndef VG_CHECK_RESULT_H
#define VG_CHECK_RESULT_H

#include <cjson/cJSON.h>

#include "check_plan.h"
#include "run.h"

/** What running one check needs besides the check itself. */
typedef struct vg_check_env {
	const vigil_host *host; /* given to the check (the plugin set's) */
	const vg_blueprint *blueprint;
	const vg_node *root;
	unsigned timeout_ms; /* the check's deadline; cancelled() at 90% of it */
	void (*log_sink)(void *payload, const char *check, int severity, const char *message);
	void *log_payload;
	struct vg_check_db *check_db; /* the running database's access (check_db.h), or NULL */
} vg_check_env;

/**
 * Runs plan check i on `db` (or records why it may not run: dependencies in `status`, or a
 * failed thread_init `thread_rc` of its plugin) and returns the result object, or NULL
 * when memory runs out. Status rules for plugins: no set_status is an error, a non-zero
 * return is an error, PASSED with error findings is FAILED.
 */
cJSON *vg_check_run(const vg_check_env *env, const vg_plan *plan, size_t i, const vg_database *db,
                    const int *status, int thread_rc);

/**
 * Records a result in the report's level-3 check `rec_index` (created beforehand), adding its
 * findings and metrics. `*status_out` gets the check's status. VIGIL_OK, VIGIL_ENOMEM, or
 * VIGIL_EINVAL for a malformed result.
 */
int vg_check_apply(vigil_report *report, size_t rec_index, const cJSON *result, int *status_out);

/** Records an outcome decided by the host in `rec_index`. */
int vg_check_record(vigil_report *report, size_t rec_index, int status, const char *reason,
                    double duration_ms);

/**
 * Records a check the host ended in error (crash, timeout, a lost worker) with the error
 * finding that says why: `code`, the check's name and database, the reason as its message.
 */
int vg_check_record_error(vigil_report *report, size_t rec_index, vg_code code, const char *reason,
                          double duration_ms);

#endif
