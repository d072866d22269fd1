/* plugin_api.c — the public plugin API of vigil.h ("plugins" section) over an engine's host. */
#include <stdio.h>
#include <string.h>

#include "engine.h"

static int fail(vigil_diag *diag, int code, const char *message)
{
	if (diag) {
		memset(diag, 0, sizeof *diag);
		diag->code = code;
		snprintf(diag->message, sizeof diag->message, "%s", message);
	}
	return code;
}

int vigil_engine_add_plugin_dir(vigil_engine *engine, const char *dir, vigil_diag *diag)
{
	if (!engine || !dir || !*dir)
		return fail(diag, VIGIL_EINVAL,
		            "vigil_engine_add_plugin_dir: engine and dir are required");
	int rc = vg_plugins_add_dir(vg_plugin_host_plugins(vg_engine_plugin_host(engine)), dir);
	return rc == VIGIL_OK ? VIGIL_OK : fail(diag, rc, vigil_strerror(rc));
}

int vigil_engine_load_plugin(vigil_engine *engine, const char *name, vigil_diag *diag)
{
	if (!engine || !name)
		return fail(diag, VIGIL_EINVAL,
		            "vigil_engine_load_plugin: engine and name are required");
	const char *error = NULL;
	int rc = vg_plugins_load(vg_plugin_host_plugins(vg_engine_plugin_host(engine)), name, 1,
	                         &error);
	if (rc == VIGIL_OK)
		return VIGIL_OK;
	return fail(diag, rc, error ? error : vigil_strerror(rc));
}

int vigil_engine_discover_plugins(vigil_engine *engine, vigil_diag *diag)
{
	if (!engine)
		return fail(diag, VIGIL_EINVAL, "vigil_engine_discover_plugins: engine is NULL");
	const char *error = NULL;
	/* Explicit discovery happens even when runs do not discover. */
	int rc = vg_plugins_discover(vg_plugin_host_plugins(vg_engine_plugin_host(engine)), &error);
	if (rc == VIGIL_OK)
		return VIGIL_OK;
	return fail(diag, rc, error ? error : vigil_strerror(rc));
}

void vigil_engine_set_plugin_discovery(vigil_engine *engine, int discover)
{
	if (engine)
		vg_plugin_host_set_discovery(vg_engine_plugin_host(engine), discover);
}

void vigil_engine_set_isolation(vigil_engine *engine, int isolate)
{
	if (engine)
		vg_plugin_host_set_isolation(vg_engine_plugin_host(engine), isolate);
}

void vigil_engine_set_offline(vigil_engine *engine, int offline)
{
	if (engine)
		vg_plugin_host_set_offline(vg_engine_plugin_host(engine), offline);
}

void vigil_engine_set_jobs(vigil_engine *engine, unsigned jobs)
{
	if (engine)
		vg_plugin_host_set_jobs(vg_engine_plugin_host(engine), jobs);
}

void vigil_engine_set_check_timeout(vigil_engine *engine, unsigned timeout_ms)
{
	if (engine)
		vg_plugin_host_set_timeout(vg_engine_plugin_host(engine), timeout_ms);
}

void vigil_engine_set_log(vigil_engine *engine, vigil_log_fn fn, void *payload)
{
	if (engine)
		vg_plugin_host_set_log(vg_engine_plugin_host(engine), fn, payload);
}

size_t vigil_engine_plugin_count(const vigil_engine *engine)
{
	return engine ? vg_plugins_count(vg_plugin_host_plugins(vg_engine_plugin_host(engine))) : 0;
}

const vigil_plugin_info *vigil_engine_plugin_at(const vigil_engine *engine, size_t i)
{
	const vg_plugin *p =
	        engine ? vg_plugins_at(vg_plugin_host_plugins(vg_engine_plugin_host(engine)), i)
	               : NULL;
	return p ? &p->info : NULL;
}

const char *vigil_engine_plugin_dir_at(vigil_engine *engine, size_t i)
{
	return engine ? vg_plugins_dir_at(vg_plugin_host_plugins(vg_engine_plugin_host(engine)), i)
	              : NULL;
}
