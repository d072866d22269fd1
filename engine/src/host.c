/* host.c — the host function table checks call (vigil/plugin.h), over the run's report. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_db.h"
#include "clock.h"
#include "db_sinks.h"
#include "heal.h"
#include "host.h"
#include "run.h"
#include "sha256.h"

static void host_log(vigil_check_ctx *ctx, int severity, const char *fmt, ...)
{
	if (!fmt || (ctx && !ctx->log_sink))
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* A check's log goes where the plugin host routes it (the engine's log callback, or the
	 * worker's pipe). Without a ctx (init/fini) there is no engine to route to: warnings
	 * and errors, say why init failed, go to stderr. */
	if (ctx)
		ctx->log_sink(ctx->log_payload, ctx->check_name, severity, line);
	else if (severity >= VIGIL_PLUGIN_WARNING)
		fprintf(stderr, "vigil: plugin %s: %s\n",
		        severity == VIGIL_PLUGIN_ERROR ? "error" : "warning", line);
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
	if (!ctx || !ctx->check)
		return;
	if (vg_check_set_metric(ctx->report, ctx->check, name, value, unit) == VIGIL_ENOMEM)
		ctx->out_of_memory = 1;
}

/* One step of a config path: a key of a mapping, or an index of a sequence. */
static const vg_node *config_step(const vg_node *node, const char *segment)
{
	if (!node)
		return NULL;
	if (node->kind == VG_NODE_MAP)
		return vg_map_get(node, segment);
	if (node->kind == VG_NODE_SEQ && *segment >= '0' && *segment <= '9') {
		char *end;
		unsigned long i = strtoul(segment, &end, 10);
		return !*end && i < node->u.seq.count ? node->u.seq.items[i] : NULL;
	}
	return NULL;
}

/* Connection strings may hold a password: checks reach the database through the host. */
static int config_segment_secret(const char *segment)
{
	return strcmp(segment, "url") == 0 || strcmp(segment, "connection_string") == 0;
}

static const char *config_lookup(const vg_node *from, const char *key)
{
	char segment[128];
	const vg_node *node = from;
	const char *p = key;
	while (node) {
		size_t n = strcspn(p, ".");
		if (n == 0 || n >= sizeof segment)
			return NULL;
		memcpy(segment, p, n);
		segment[n] = '\0';
		if (config_segment_secret(segment))
			return NULL;
		node = config_step(node, segment);
		if (!p[n])
			break;
		p += n + 1;
	}
	return node && node->kind == VG_NODE_SCALAR ? vg_scalar(node) : NULL;
}

static const char *host_config_get(vigil_check_ctx *ctx, const char *key)
{
	if (!ctx || !key || !*key)
		return NULL;
	const char *value = ctx->database ? config_lookup(ctx->database->node, key) : NULL;
	return value ? value : config_lookup(ctx->root, key);
}

static int host_cancelled(vigil_check_ctx *ctx)
{
	return ctx && ctx->cancel_at_ms > 0 && vg_now_ms() >= ctx->cancel_at_ms;
}

static const char *host_database_name(vigil_check_ctx *ctx)
{
	return ctx && ctx->database ? ctx->database->name : NULL;
}

static const char *host_database_type(vigil_check_ctx *ctx)
{
	return ctx && ctx->database ? vg_db_type_name(ctx->database->type) : NULL;
}

static unsigned host_check_deadline_ms(vigil_check_ctx *ctx)
{
	return ctx ? ctx->timeout_ms : 0;
}

static const char *host_check_name(vigil_check_ctx *ctx)
{
	return ctx ? ctx->check_name : NULL;
}

static void host_set_proposal(vigil_finding *f, const char *sql, int risk)
{
	if (!f)
		return;
	f->proposal = sql ? vg_arena_strdup(f->arena, sql) : NULL;
	/* An unknown risk is read the most careful way. */
	f->risk = risk >= VIGIL_RISK_SAFE && risk <= VIGIL_RISK_DESTRUCTIVE ? risk
	                                                                     : VIGIL_RISK_DESTRUCTIVE;
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
	.database_name = host_database_name,
	.database_type = host_database_type,
	.check_name = host_check_name,
	/* ABI 1.1: driver sinks (db_sinks.c) */
	.schema_add_table = vg_host_schema_add_table,
	.schema_table = vg_host_schema_table,
	.table_add_column = vg_host_table_add_column,
	.table_set_primary_key = vg_host_table_set_primary_key,
	.table_add_unique = vg_host_table_add_unique,
	.table_add_index = vg_host_table_add_index,
	.table_add_foreign_key = vg_host_table_add_foreign_key,
	.privilege_add = vg_host_privilege_add,
	.text_append = vg_host_text_append,
	.render_type = vg_host_render_type,
	/* ABI 1.2: database access for checks (check_db.c) */
	.db_acquire = vg_host_db_acquire,
	.db_release = vg_host_db_release,
	.db_ping = vg_host_db_ping,
	.db_server_version = vg_host_db_server_version,
	.db_session_info = vg_host_db_session_info,
	.db_exec = vg_host_db_exec,
	.db_query = vg_host_db_query,
	.db_begin = vg_host_db_begin,
	.db_commit = vg_host_db_commit,
	.db_rollback = vg_host_db_rollback,
	.db_thread_begin = vg_host_db_thread_begin,
	.db_thread_end = vg_host_db_thread_end,
	.db_schema_compare = vg_host_db_schema_compare,
	.db_privileges = vg_host_db_privileges,
	.db_pool_stats = vg_host_db_pool_stats,
	.finding_set_proposal = host_set_proposal,
	.sha256_hex = vg_sha256_hex,
	.check_deadline_ms = host_check_deadline_ms,
	/* ABI 1.2: healing (heal.c) */
	.heal_propose = vg_heal_propose,
	/* ABI 1.3: defaults as data (sql_default.h) */
	.render_default = vg_host_render_default,
};

const vigil_host *vg_host_table(void)
{
	return &host_table;
}
