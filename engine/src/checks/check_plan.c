/* check_plan.c — dependency order of plugin checks (stable topological sort). */
#include <stdio.h>
#include <string.h>

#include "check_plan.h"
#include "vigil/vigil.h"

/* The index of the check named `name` (length n) in `all`, or (size_t)-1. */
static size_t find_check(const vg_plan_check *all, size_t count, const char *name, size_t n)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(all[i].def->name) == n && strncmp(all[i].def->name, name, n) == 0)
			return i;
	return (size_t)-1;
}

/* Resolves one check's comma-separated depends_on into indices of `all`. */
static int resolve_deps(vg_plan_check *c, const vg_plan_check *all, size_t count, vg_arena *arena)
{
	const char *p = c->def->depends_on;
	if (!p)
		return VIGIL_OK;
	size_t max = 1;
	for (const char *q = p; *q; q++)
		max += *q == ',';
	c->deps = vg_arena_array(arena, max, sizeof *c->deps);
	c->dep_soft = vg_arena_array(arena, max, sizeof *c->dep_soft);
	if (!c->deps || !c->dep_soft)
		return VIGIL_ENOMEM;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		size_t len = n;
		while (len > 0 && p[len - 1] == ' ')
			len--;
		/* "name?": order only — run after it when it is loaded, whatever its outcome. */
		int soft = len > 0 && p[len - 1] == '?';
		if (soft)
			len--;
		if (len > 0) {
			size_t at = find_check(all, count, p, len);
			if (at == (size_t)-1) {
				if (!soft && !c->missing_dep &&
				    !(c->missing_dep = vg_arena_strndup(arena, p, len)))
					return VIGIL_ENOMEM;
			} else {
				c->dep_soft[c->dep_count] = (unsigned char)soft;
				c->deps[c->dep_count++] = at;
			}
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return VIGIL_OK;
}

int vg_plan_make(vg_plan *plan, vg_arena *arena, const vigil_plugin_desc *const *plugins,
                 size_t plugin_count)
{
	plan->checks = NULL;
	plan->count = 0;
	size_t count = 0;
	for (size_t p = 0; p < plugin_count; p++)
		count += plugins[p]->check_count;
	if (count == 0)
		return VIGIL_OK;
	vg_plan_check *all = vg_arena_array(arena, count, sizeof *all);
	vg_plan_check *ordered = vg_arena_array(arena, count, sizeof *ordered);
	size_t *position = vg_arena_array(arena, count, sizeof *position); /* in `ordered` */
	if (!all || !ordered || !position)
		return VIGIL_ENOMEM;
	size_t n = 0;
	for (size_t p = 0; p < plugin_count; p++)
		for (size_t k = 0; k < plugins[p]->check_count; k++)
			all[n++] = (vg_plan_check){ .plugin = plugins[p],
				                    .plugin_index = p,
				                    .def = &plugins[p]->checks[k] };
	for (size_t i = 0; i < count; i++)
		if (resolve_deps(&all[i], all, count, arena) != VIGIL_OK)
			return VIGIL_ENOMEM;

	/* Repeatedly take the first check (load order) whose dependencies are all placed. */
	const size_t unplaced = (size_t)-1;
	for (size_t i = 0; i < count; i++)
		position[i] = unplaced;
	size_t placed = 0;
	for (int progress = 1; progress && placed < count;) {
		progress = 0;
		for (size_t i = 0; i < count; i++) {
			if (position[i] != unplaced)
				continue;
			size_t d = 0;
			while (d < all[i].dep_count && position[all[i].deps[d]] != unplaced)
				d++;
			if (d < all[i].dep_count)
				continue;
			position[i] = placed;
			ordered[placed++] = all[i];
			progress = 1;
			break;
		}
	}
	for (size_t i = 0; i < count; i++) { /* what is left depends on a cycle */
		if (position[i] == unplaced) {
			position[i] = placed;
			ordered[placed] = all[i];
			ordered[placed++].in_cycle = 1;
		}
	}
	/* Dependencies pointed into `all`; renumber them into run order. */
	for (size_t i = 0; i < count; i++)
		for (size_t d = 0; d < ordered[i].dep_count; d++)
			ordered[i].deps[d] = position[ordered[i].deps[d]];
	plan->checks = ordered;
	plan->count = count;
	return VIGIL_OK;
}

static const char *outcome_words(int status)
{
	switch (status) {
	case VIGIL_STATUS_FAILED: return "failed";
	case VIGIL_STATUS_SKIPPED: return "was skipped";
	case VIGIL_STATUS_ERROR: return "ended in an error";
	}
	return "has not run";
}

int vg_plan_gate(const vg_plan *plan, size_t i, const int *status, char *reason, size_t size)
{
	const vg_plan_check *c = &plan->checks[i];
	if (c->in_cycle) {
		snprintf(reason, size, "its depends_on (%s) forms a cycle", c->def->depends_on);
		return VIGIL_STATUS_ERROR;
	}
	if (c->missing_dep) {
		snprintf(reason, size, "depends on '%s', which no loaded plugin provides",
		         c->missing_dep);
		return VIGIL_STATUS_ERROR; /* not checked, and nobody asked for that */
	}
	for (size_t d = 0; d < c->dep_count; d++) {
		if (c->dep_soft[d])
			continue;
		int s = status[c->deps[d]];
		if (s != VIGIL_STATUS_PASSED) {
			snprintf(reason, size, "depends on '%s', which %s",
			         plan->checks[c->deps[d]].def->name, outcome_words(s));
			return VIGIL_STATUS_SKIPPED;
		}
	}
	return VIGIL_STATUS_PASSED;
}
