/* check_result.c — run one plugin check into a JSON result; apply a result to the report. */
#include <stdio.h>
#include <string.h>

#include "check_db.h"
#include "check_result.h"
#include "clock.h"

/* ------------------------------------------------------------------ encoding */

static int add_str(cJSON *obj, const char *key, const char *value)
{
	return !value || cJSON_AddStringToObject(obj, key, value) != NULL;
}

static int add_finding(cJSON *array, const vigil_finding *f)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToArray(array, o))
		return cJSON_Delete(o), 0;
	int ok = add_str(o, "code", f->code) &&
	         cJSON_AddNumberToObject(o, "severity", f->severity) &&
	         add_str(o, "message", f->message) && cJSON_AddNumberToObject(o, "line", f->line) &&
	         cJSON_AddNumberToObject(o, "column", f->column) &&
	         (!f->proposal || cJSON_AddNumberToObject(o, "risk", f->risk));
#define VG_FINDING_TEXT(name) ok = ok && add_str(o, #name, f->name);
#include "finding_fields.def"
#undef VG_FINDING_TEXT
	return ok;
}

static int add_metric(cJSON *array, const vg_metric *m)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToArray(array, o))
		return cJSON_Delete(o), 0;
	return add_str(o, "name", m->name) && cJSON_AddNumberToObject(o, "value", m->value) &&
	       add_str(o, "unit", m->unit);
}

static cJSON *result_new(size_t i, int status, const char *reason, double duration_ms)
{
	cJSON *res = cJSON_CreateObject();
	if (res && add_str(res, "t", "result") && cJSON_AddNumberToObject(res, "i", (double)i) &&
	    cJSON_AddNumberToObject(res, "status", status) && add_str(res, "reason", reason) &&
	    cJSON_AddNumberToObject(res, "duration_ms", duration_ms))
		return res;
	cJSON_Delete(res);
	return NULL;
}

/* A check the host would not start (cycle, missing dependency, thread_init): the error finding
 * that says why rides in the result like a plugin's own. */
static cJSON *result_refused(size_t i, int status, const char *reason, vg_code code)
{
	cJSON *res = result_new(i, status, reason, 0);
	if (!res || code == VG_CODE_COUNT)
		return res;
	cJSON *findings = cJSON_AddArrayToObject(res, "findings");
	cJSON *o = cJSON_CreateObject();
	if (!findings || !o || !cJSON_AddItemToArray(findings, o)) {
		cJSON_Delete(o);
		cJSON_Delete(res);
		return NULL;
	}
	if (add_str(o, "code", vg_code_info(code)->code) &&
	    cJSON_AddNumberToObject(o, "severity", VIGIL_SEVERITY_ERROR) &&
	    add_str(o, "message", reason))
		return res;
	cJSON_Delete(res);
	return NULL;
}

/* The plugin status rules, applied once the check returned. Returns the code of the error
 * finding the outcome needs when the check gave none of its own (VG_CODE_COUNT: none). */
static vg_code settle_status(vg_check_rec *rec, int rc, int out_of_memory, size_t errors, char *why,
                             size_t size)
{
	vg_code silent = VG_RUN_CHECK_ERROR;
	if (out_of_memory) {
		rec->status = VIGIL_STATUS_ERROR;
		rec->reason = "out of memory while recording the check's results";
	} else if (rc != 0) {
		if (!(rec->status_set && rec->status == VIGIL_STATUS_ERROR && rec->reason)) {
			snprintf(why, size, "the check could not run (it returned %d)", rc);
			rec->reason = why;
		}
		rec->status = VIGIL_STATUS_ERROR;
	} else if (!rec->status_set) {
		rec->status = VIGIL_STATUS_ERROR;
		rec->reason = "the check did not report a status";
		silent = VG_RUN_NO_STATUS;
	} else if (rec->status == VIGIL_STATUS_PASSED && errors > 0) {
		rec->status = VIGIL_STATUS_FAILED;
	} else if (rec->status == VIGIL_STATUS_FAILED) {
		silent = VG_RUN_SILENT_FAILURE;
	}
	int failing = rec->status == VIGIL_STATUS_ERROR || rec->status == VIGIL_STATUS_FAILED;
	return failing && errors == 0 ? silent : VG_CODE_COUNT;
}

cJSON *vg_check_run(const vg_check_env *env, const vg_plan *plan, size_t i, const vg_database *db,
                    const int *status, int thread_rc)
{
	const vg_plan_check *pc = &plan->checks[i];
	char reason[512];
	vg_code why = VG_CODE_COUNT;
	int gate = vg_plan_gate(plan, i, status, reason, sizeof reason);
	if (gate == VIGIL_STATUS_ERROR)
		why = pc->in_cycle ? VG_RUN_DEPENDENCY_CYCLE : VG_RUN_DEPENDENCY_MISSING;
	if (gate == VIGIL_STATUS_PASSED && thread_rc != 0) {
		snprintf(reason, sizeof reason,
		         "thread_init of plugin '%s' failed (it returned %d)", pc->plugin->name,
		         thread_rc);
		gate = VIGIL_STATUS_ERROR;
		why = VG_RUN_THREAD_INIT;
	}
	if (gate != VIGIL_STATUS_PASSED)
		return result_refused(i, gate, reason, why);

	vigil_report *scratch = vg_report_new("");
	vg_check_rec *rec = scratch ? vg_report_add_check(scratch, 3, pc->def->name, db->name)
	                            : NULL;
	if (!rec) {
		vigil_report_free(scratch);
		return NULL;
	}
	double t0 = vg_now_ms();
	vigil_check_ctx ctx = {
		.report = scratch,
		.blueprint = env->blueprint,
		.root = env->root,
		.level = 3,
		.check = rec,
		.check_name = rec->name,
		.database = db,
		.cancel_at_ms = t0 + 0.9 * env->timeout_ms,
		.timeout_ms = env->timeout_ms,
		.log_sink = env->log_sink,
		.log_payload = env->log_payload,
		.check_db = env->check_db,
	};
	int rc = pc->def->run(&ctx, env->host);
	rec->duration_ms = vg_now_ms() - t0;
	size_t leftover = vg_check_db_reclaim(env->check_db);
	if (leftover && env->log_sink) {
		char line[160];
		snprintf(line, sizeof line,
		         "the check returned holding %zu database session(s); they were closed",
		         leftover);
		env->log_sink(env->log_payload, rec->name, VIGIL_PLUGIN_WARNING, line);
	}
	vg_code silent = settle_status(rec, rc, ctx.out_of_memory,
	                               vigil_report_count_severity(scratch, VIGIL_SEVERITY_ERROR),
	                               reason, sizeof reason);
	/* A failure always has a finding behind it: the host's, when the check gave none. */
	if (silent != VG_CODE_COUNT &&
	    !vg_report_add_finding(scratch, 3, rec->name, vg_code_info(silent)->code,
	                           VIGIL_SEVERITY_ERROR,
	                           rec->reason ? rec->reason : "no reason given")) {
		vigil_report_free(scratch);
		return NULL;
	}

	cJSON *res = result_new(i, rec->status, rec->reason, rec->duration_ms);
	cJSON *findings = res ? cJSON_AddArrayToObject(res, "findings") : NULL;
	cJSON *metrics = res ? cJSON_AddArrayToObject(res, "metrics") : NULL;
	int ok = findings && metrics;
	/* Emission order (the report sorts at the end). */
	for (size_t k = 0; ok && k < scratch->finding_count; k++)
		ok = add_finding(findings, scratch->findings[k]);
	for (size_t k = 0; ok && k < rec->metric_count; k++)
		ok = add_metric(metrics, &rec->metrics[k]);
	vigil_report_free(scratch);
	if (!ok) {
		cJSON_Delete(res);
		return NULL;
	}
	return res;
}

/* ------------------------------------------------------------------ applying */

static const char *get_str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static double get_num(const cJSON *obj, const char *key, double fallback)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(item) ? item->valuedouble : fallback;
}

static vg_check_rec *level3_check(vigil_report *report, size_t rec_index)
{
	vg_level_rec *lv = &report->levels[2];
	return rec_index < lv->check_count ? &lv->checks[rec_index] : NULL;
}

int vg_check_record(vigil_report *report, size_t rec_index, int status, const char *reason,
                    double duration_ms)
{
	vg_check_rec *rec = level3_check(report, rec_index);
	if (!rec)
		return VIGIL_EINVAL;
	rec->status = (vigil_status)status;
	rec->reason = vg_arena_strdup(report->arena, reason);
	rec->duration_ms = duration_ms;
	return reason && !rec->reason ? VIGIL_ENOMEM : VIGIL_OK;
}

int vg_check_record_error(vigil_report *report, size_t rec_index, vg_code code, const char *reason,
                          double duration_ms)
{
	int rc = vg_check_record(report, rec_index, VIGIL_STATUS_ERROR, reason, duration_ms);
	vg_check_rec *rec = level3_check(report, rec_index);
	if (rc != VIGIL_OK)
		return rc;
	vigil_finding *f = vg_report_add_finding(report, 3, rec->name, vg_code_info(code)->code,
	                                         VIGIL_SEVERITY_ERROR, reason);
	if (!f)
		return VIGIL_ENOMEM;
	f->database = rec->database;
	rec->finding_count++;
	return VIGIL_OK;
}

static int apply_finding(vigil_report *report, vg_check_rec *rec, const cJSON *o)
{
	const char *code = get_str(o, "code");
	const char *message = get_str(o, "message");
	double severity = get_num(o, "severity", -1);
	if (!code || !message || severity < VIGIL_SEVERITY_INFO || severity > VIGIL_SEVERITY_ERROR)
		return VIGIL_EINVAL;
	vigil_finding *f = vg_report_add_finding(report, 3, rec->name, code,
	                                         (vigil_severity)severity, message);
	if (!f)
		return VIGIL_ENOMEM;
	vg_arena *a = report->arena;
	const char *s;
	/* Each present string is copied; a failed copy is an out-of-memory. */
#define VG_FINDING_TEXT(name)                                                      \
	if ((s = get_str(o, #name)) != NULL && !(f->name = vg_arena_strdup(a, s))) \
		return VIGIL_ENOMEM;
#include "finding_fields.def"
#undef VG_FINDING_TEXT
	if (f->proposal) {
		double risk = get_num(o, "risk", VIGIL_RISK_DESTRUCTIVE);
		f->risk = risk >= VIGIL_RISK_SAFE && risk <= VIGIL_RISK_DESTRUCTIVE
		                  ? (int)risk
		                  : VIGIL_RISK_DESTRUCTIVE; /* unknown: the most careful reading */
	}
	if (f->file) {
		f->line = (unsigned)get_num(o, "line", 0);
		f->column = (unsigned)get_num(o, "column", 0);
	}
	if (!f->database && rec->database)
		f->database = rec->database;
	rec->finding_count++;
	return VIGIL_OK;
}

int vg_check_apply(vigil_report *report, size_t rec_index, const cJSON *result, int *status_out)
{
	vg_check_rec *rec = level3_check(report, rec_index);
	double status = get_num(result, "status", -1);
	if (!rec || status < VIGIL_STATUS_PASSED || status > VIGIL_STATUS_ERROR)
		return VIGIL_EINVAL;
	int rc = vg_check_record(report, rec_index, (int)status, get_str(result, "reason"),
	                         get_num(result, "duration_ms", 0));
	const cJSON *item;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(result, "findings"))
	{
		if (rc == VIGIL_OK)
			rc = apply_finding(report, rec, item);
	}
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(result, "metrics"))
	{
		const char *name = get_str(item, "name");
		if (rc == VIGIL_OK && name)
			rc = vg_check_set_metric(report, rec, name, get_num(item, "value", 0),
			                         get_str(item, "unit"));
	}
	*status_out = rec->status;
	return rc;
}
