/*
 * check_plan.h — the order in which a database's plugin checks run: dependency order
 * (vigil_check_def.depends_on, where "name?" asks only to run after `name` when it is loaded),
 * otherwise load order; and whether a check may run given the outcomes of the checks it
 * depends on.
 */
#ifndef VG_CHECK_PLAN_H
#define VG_CHECK_PLAN_H

#include <stddef.h>

#include "arena.h"
#include "vigil/plugin.h"

typedef struct vg_plan_check {
	const vigil_plugin_desc *plugin;
	size_t plugin_index; /* into the plugin list the plan was made from */
	const vigil_check_def *def;
	size_t *deps;            /* plan indices of the checks it depends on, or runs after */
	unsigned char *dep_soft; /* per dep: 1 for "name?" (order only, never gates) */
	size_t dep_count;
	const char *missing_dep; /* a depends_on name no loaded plugin provides, or NULL */
	int in_cycle;            /* its dependencies form a cycle */
} vg_plan_check;

typedef struct vg_plan {
	vg_plan_check *checks; /* run order */
	size_t count;
} vg_plan;

/** Orders the checks of `plugins`; memory from `arena`. VIGIL_OK or VIGIL_ENOMEM. */
int vg_plan_make(vg_plan *plan, vg_arena *arena, const vigil_plugin_desc *const *plugins,
                 size_t plugin_count);

/**
 * Whether check i may run, given `status` (vigil_status of each earlier check; -1 for none
 * yet). Returns VIGIL_STATUS_PASSED when it may run; otherwise the status to record
 * (SKIPPED when a dependency did not pass; ERROR for a cycle or a dependency no loaded
 * plugin provides: those are not-checked failures) with the reason written to `reason`.
 */
int vg_plan_gate(const vg_plan *plan, size_t i, const int *status, char *reason, size_t size);

#endif
