/* host.c — the host function table checks call (vigil/plugin.h), over the run's report. */
#include <string.h>

#include "run.h"

static void host_log(vigil_check_ctx *ctx, int severity, const char *fmt, ...)
{
	/* Check logs are not part of the report yet; the plugin host routes them to the run log. */
	(void)ctx;
	(void)severity;
	(void)fmt;
}

static vigil_finding *host_finding_add(vigil_check_ctx *ctx, const char *code, int severity,
                                       const char *message)
{
	if (!ctx || !code || !message || severity < VIGIL_PLUGIN_INFO ||
	    severity > VIGIL_PLUGIN_ERROR)
		return NULL;
	vigil_finding *f = vg_report_add_finding(ctx->report, ctx->level, ctx->check_name, code,
	                                         (vigil_severity)severity, message);
	if (!f) {
		ctx->out_of_memory = 1;
		return NULL;
	}
	if (ctx->database)
		f->database = vg_arena_strdup(ctx->report->arena, ctx->database->name);
	if (ctx->check)
		ctx->check->finding_count++;
	return f;
}

static void host_set_detail(vigil_finding *f, const char *detail)
{
	if (f)
		f->detail = vg_arena_strdup(f->arena, detail);
}

static void host_set_hint(vigil_finding *f, const char *hint)
{
	if (f)
		f->hint = vg_arena_strdup(f->arena, hint);
}

static void host_set_location(vigil_finding *f, const char *file, unsigned line, unsigned column)
{
	if (!f)
		return;
	f->file = vg_arena_strdup(f->arena, file);
	f->line = file ? line : 0;
	f->column = file ? column : 0;
}

static void host_set_status(vigil_check_ctx *ctx, int status, const char *reason)
{
	if (!ctx || !ctx->check || status < VIGIL_CHECK_PASSED || status > VIGIL_CHECK_ERROR)
		return;
	ctx->check->status = (vigil_status)status;
	ctx->check->reason = vg_arena_strdup(ctx->report->arena, reason);
	ctx->check->status_set = 1;
}

static void host_set_metric(vigil_check_ctx *ctx, const char *name, double value, const char *unit)
{
	/* Metrics arrive with the database checks; blueprint validators have none. */
	(void)ctx;
	(void)name;
	(void)value;
	(void)unit;
}

static const char *host_config_get(vigil_check_ctx *ctx, const char *key)
{
	(void)ctx;
	(void)key;
	return NULL;
}

static int host_cancelled(vigil_check_ctx *ctx)
{
	(void)ctx;
	return 0;
}

static const vigil_host host_table = {
	.size = sizeof(vigil_host),
	.abi_minor = VIGIL_PLUGIN_ABI_MINOR,
	.log = host_log,
	.finding_add = host_finding_add,
	.finding_set_detail = host_set_detail,
	.finding_set_hint = host_set_hint,
	.finding_set_location = host_set_location,
	.finding_set_object = vg_object,
	.finding_set_evidence = vg_evidence,
	.set_status = host_set_status,
	.set_metric = host_set_metric,
	.config_get = host_config_get,
	.cancelled = host_cancelled,
};

const vigil_host *vg_host_table(void)
{
	return &host_table;
}
