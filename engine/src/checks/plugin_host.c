/* plugin_host.c — an engine's plugins and level 3's database checks. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugin_host.h"
#include "worker.h"

#define REFUSAL_PREFIX "plugin:"

struct vg_plugin_host {
	vg_plugins *plugins;
	int discover; /* runs discover the search path (default 1) */
	int discovered;
	int isolate;         /* default 1 */
	int offline;         /* default 0 */
	unsigned jobs;       /* 0: the CPU count */
	unsigned timeout_ms; /* 0: VIGIL_CHECK_TIMEOUT_DEFAULT_MS */
	vigil_log_fn log;
	void *log_payload;
};

vg_plugin_host *vg_plugin_host_new(const vigil_host *table, const char *const *reserved,
                                   size_t reserved_count)
{
	vg_plugin_host *host = calloc(1, sizeof *host);
	if (!host)
		return NULL;
	host->plugins = vg_plugins_new(table, reserved, reserved_count);
	if (!host->plugins) {
		free(host);
		return NULL;
	}
	host->discover = 1;
	host->isolate = 1;
	return host;
}

void vg_plugin_host_free(vg_plugin_host *host)
{
	if (!host)
		return;
	vg_plugins_free(host->plugins);
	free(host);
}

vg_plugins *vg_plugin_host_plugins(vg_plugin_host *host)
{
	return host ? host->plugins : NULL;
}

void vg_plugin_host_set_discovery(vg_plugin_host *host, int discover)
{
	if (host)
		host->discover = discover != 0;
}

void vg_plugin_host_set_isolation(vg_plugin_host *host, int isolate)
{
	if (host)
		host->isolate = isolate != 0;
}

void vg_plugin_host_set_offline(vg_plugin_host *host, int offline)
{
	if (host)
		host->offline = offline != 0;
}

int vg_plugin_host_offline(const vg_plugin_host *host)
{
	return host && host->offline;
}

void vg_plugin_host_set_jobs(vg_plugin_host *host, unsigned jobs)
{
	if (host)
		host->jobs = jobs;
}

unsigned vg_plugin_host_timeout(const vg_plugin_host *host)
{
	return host && host->timeout_ms ? host->timeout_ms : VIGIL_CHECK_TIMEOUT_DEFAULT_MS;
}

void vg_plugin_host_set_timeout(vg_plugin_host *host, unsigned timeout_ms)
{
	if (host)
		host->timeout_ms = timeout_ms;
}

void vg_plugin_host_set_log(vg_plugin_host *host, vigil_log_fn fn, void *payload)
{
	if (host) {
		host->log = fn;
		host->log_payload = payload;
	}
}

int vg_plugin_host_discover(vg_plugin_host *host, const char **first_error)
{
	if (first_error)
		*first_error = NULL;
	if (!host)
		return VIGIL_EINVAL;
	if (!host->discover || host->discovered)
		return vg_plugins_refused(host->plugins) ? VIGIL_EPLUGIN : VIGIL_OK;
	/* Runs load drivers only for the database types they use (db.c, by name). */
	int rc = vg_plugins_discover_ex(host->plugins, 1, first_error);
	if (rc != VIGIL_ENOMEM)
		host->discovered = 1;
	return rc;
}

static int refusals_recorded(const vigil_report *report)
{
	const vg_level_rec *lv = &report->levels[2];
	for (size_t i = 0; i < lv->check_count; i++)
		if (strncmp(lv->checks[i].name, REFUSAL_PREFIX, strlen(REFUSAL_PREFIX)) == 0)
			return 1;
	return 0;
}

/* One error record per refused plugin, in load order, each with its finding (once a run). */
static int record_refusals(vg_plugin_host *host, vigil_report *report)
{
	if (refusals_recorded(report))
		return VIGIL_OK;
	for (size_t i = 0; i < vg_plugins_count(host->plugins); i++) {
		const vg_plugin *p = vg_plugins_at(host->plugins, i);
		if (!p->info.error)
			continue;
		char name[96];
		snprintf(name, sizeof name, REFUSAL_PREFIX "%s", p->info.name);
		vg_check_rec *c = vg_report_add_check(report, 3, name, NULL);
		if (!c || !(c->reason = vg_arena_strdup(report->arena, p->info.error)))
			return VIGIL_ENOMEM;
		c->status = VIGIL_STATUS_ERROR;
		/* No file: the name was looked for and not found. */
		vg_code code = p->info.file ? VG_RUN_PLUGIN_REFUSED : VG_RUN_PLUGIN_NOT_FOUND;
		vigil_finding *f = vg_report_add_finding(report, 3, c->name,
		                                         vg_code_info(code)->code,
		                                         VIGIL_SEVERITY_ERROR, p->info.error);
		if (!f)
			return VIGIL_ENOMEM;
		vg_hint(f, "%s",
		        p->info.file ? "rebuild the plugin against this vigil's SDK, or "
		                       "remove it from the plugin directory"
		                     : "install the plugin, or add its folder with "
		                       "--plugin-dir or VIGIL_PLUGIN_PATH");
		c->finding_count++;
	}
	return VIGIL_OK;
}

/* One "database-checks" record per database when its checks do not run: skipped when the
 * user asked for that (`code` VG_CODE_COUNT), else an error with its finding. */
static int record_database_checks_not_run(vigil_report *report, const vg_blueprint *bp,
                                          vg_code code, const char *reason)
{
	for (size_t i = 0; i < bp->database_count; i++) {
		vg_check_rec *c =
		        vg_report_add_check(report, 3, "database-checks", bp->databases[i].name);
		if (!c)
			return VIGIL_ENOMEM;
		c->reason = reason;
		if (code == VG_CODE_COUNT) {
			c->status = VIGIL_STATUS_SKIPPED;
			c->on_request = 1;
			continue;
		}
		c->status = VIGIL_STATUS_ERROR;
		vigil_finding *f = vg_report_add_finding(
		        report, 3, c->name, vg_code_info(code)->code, VIGIL_SEVERITY_ERROR, reason);
		if (!f)
			return VIGIL_ENOMEM;
		f->database = c->database;
		vg_hint(f, "install the check plugins, or give their folder with --plugin-dir or "
		           "VIGIL_PLUGIN_PATH; --offline leaves the databases out on purpose");
		c->finding_count++;
	}
	return VIGIL_OK;
}

static unsigned effective_jobs(const vg_plugin_host *host, size_t databases)
{
	long jobs = host->jobs ? (long)host->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > databases)
		jobs = databases ? (long)databases : 1;
	return (unsigned)jobs;
}

int vg_plugin_host_level3(vg_plugin_host *host, vigil_check_ctx *ctx)
{
	if (vg_plugin_host_discover(host, NULL) == VIGIL_ENOMEM ||
	    record_refusals(host, ctx->report) != VIGIL_OK)
		return VIGIL_ENOMEM;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp || bp->database_count == 0)
		return VIGIL_OK;
	size_t count = vg_plugins_count(host->plugins);
	const vigil_plugin_desc **checks = calloc(count ? count : 1, sizeof *checks);
	if (!checks)
		return VIGIL_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		const vg_plugin *p = vg_plugins_at(host->plugins, i);
		if (p->desc && p->desc->kind == VIGIL_PLUGIN_CHECK)
			checks[n++] = p->desc;
	}
	int rc;
	if (host->offline) {
		rc = record_database_checks_not_run(
		        ctx->report, bp, VG_CODE_COUNT,
		        "offline run (--offline): no database was contacted");
	} else if (n == 0) {
		rc = record_database_checks_not_run(
		        ctx->report, bp, VG_RUN_NO_CHECK_PLUGINS,
		        "no database check plugins were found (vigil_preflight.so, vigil_schema.so, "
		        "... in the plugin directories), so this database was not checked");
	} else {
		vg_worker_options opt = {
			.host = vg_plugins_host(host->plugins),
			.isolate = host->isolate,
			.jobs = effective_jobs(host, bp->database_count),
			.timeout_ms = host->timeout_ms ? host->timeout_ms
			                               : VIGIL_CHECK_TIMEOUT_DEFAULT_MS,
			.log = host->log,
			.log_payload = host->log_payload,
			.plugins = host->plugins,
		};
		rc = vg_run_database_checks(ctx, checks, n, &opt);
	}
	free(checks);
	return rc;
}

int vg_plugin_host_finish(vg_plugin_host *host, vigil_report *report)
{
	if (vg_plugin_host_discover(host, NULL) == VIGIL_ENOMEM)
		return VIGIL_ENOMEM;
	if (vg_plugins_refused(host->plugins) == 0)
		return VIGIL_OK;
	return record_refusals(host, report); /* their findings make the exit code 3 (verdict.c) */
}
