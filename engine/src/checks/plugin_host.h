/*
 * plugin_host.h — an engine's plugins: the loaded set, how their checks run (isolation,
 * jobs, deadline, log), and level 3's database checks in a run.
 *
 * The pipeline calls two hooks per run: vg_plugin_host_level3 when level 3 runs, and
 * vg_plugin_host_finish once the report is finished. Refused plugins are recorded as
 * level-3 checks "plugin:<name>" (status error, the refusal as reason) with an error finding
 * (VG604 refused, VG605 not found), which makes the exit code "could not check" (verdict.h).
 */
#ifndef VG_PLUGIN_HOST_H
#define VG_PLUGIN_HOST_H

#include <stddef.h>

#include "plugin_loader.h"
#include "run.h"

typedef struct vg_plugin_host vg_plugin_host;

/** A host whose plugins may not take the `reserved` names (the built-ins'; see vg_plugins_new). */
vg_plugin_host *vg_plugin_host_new(const vigil_host *table, const char *const *reserved,
                                   size_t reserved_count);
/** Finalizes and unloads every plugin. NULL is allowed. */
void vg_plugin_host_free(vg_plugin_host *host);

vg_plugins *vg_plugin_host_plugins(vg_plugin_host *host);
void vg_plugin_host_set_discovery(vg_plugin_host *host, int discover);
void vg_plugin_host_set_isolation(vg_plugin_host *host, int isolate);
/** Offline: database checks are recorded as skipped, no database is contacted. */
void vg_plugin_host_set_offline(vg_plugin_host *host, int offline);
int vg_plugin_host_offline(const vg_plugin_host *host);
void vg_plugin_host_set_jobs(vg_plugin_host *host, unsigned jobs);
void vg_plugin_host_set_timeout(vg_plugin_host *host, unsigned timeout_ms);
/** The check timeout in force (VIGIL_CHECK_TIMEOUT_DEFAULT_MS unless set). */
unsigned vg_plugin_host_timeout(const vg_plugin_host *host);
void vg_plugin_host_set_log(vg_plugin_host *host, vigil_log_fn fn, void *payload);

/** Discovers the search path's plugins, once (unless discovery is off). Like vg_plugins_discover. */
int vg_plugin_host_discover(vg_plugin_host *host, const char **first_error);

/**
 * Level 3's database checks: records refused plugins, then runs the loaded check plugins on
 * every database (or records one "database-checks" per database: skipped offline, an error
 * with finding VG606 when no check plugin is loaded). VIGIL_OK, VIGIL_ENOMEM, VIGIL_EINTERNAL.
 */
int vg_plugin_host_level3(vg_plugin_host *host, vigil_check_ctx *ctx);

/**
 * After the run: records refused plugins (with their findings) in level 3 when it did not
 * run. VIGIL_OK or VIGIL_ENOMEM.
 */
int vg_plugin_host_finish(vg_plugin_host *host, vigil_report *report);

#endif
