/*
 * wiring.c — the level 3 `wiring` validator: its descriptor, and the checks that read
 * bindings port by port (resolution, schema compatibility). The graph checks live in
 * graph.c, port numbers in port_numbers.c.
 */
#include "wiring.h"

#include <string.h>

#include "flow.h"
#include "msgschema.h"
#include "run.h"

int vg_wiring_bindings_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	if (!ctx->blueprint)
		return 0;
	vg_arena *arena = vg_arena_new();
	vg_flow flow;
	int rc = arena ? vg_flow_build(&flow, arena, ctx->blueprint, ctx) : -1;
	vg_arena_free(arena);
	return rc;
}

static void report_mismatch(vigil_check_ctx *ctx, vg_arena *arena, const vg_flow_edge *e,
                            const char *want, const char *have, const vg_schema_gap *gap)
{
	vigil_finding *f = vg_emit(ctx, VG_SCHEMA_MISMATCH, e->to.node,
	                           "Binding %s.%s -> %s.%s carries %s, which %s.%s (expecting %s) "
	                           "cannot accept",
	                           e->from.component->name, e->from.port, e->to.component->name,
	                           e->to.port, have, e->to.component->name, e->to.port, want);
	if (*gap->path)
		vg_detail(f, "%s wants %s; %s has %s.", want, gap->expected, have, gap->actual);
	else
		vg_detail(f, "%s is %s; %s is %s.", want, gap->expected, have, gap->actual);
	vg_hint(f,
	        "Give both ports the same schema, make %s provide what %s needs, or declare a "
	        "`transformation:` on the binding.",
	        have, want);
	vg_evidence(f, vg_arena_printf(arena, "%s: %s", want, gap->expected),
	            vg_arena_printf(arena, "%s: %s", have, gap->actual));
}

int vg_wiring_schemas_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	vg_arena *arena = vg_arena_new();
	vg_flow flow;
	if (!arena || vg_flow_build(&flow, arena, bp, NULL) < 0) {
		vg_arena_free(arena);
		return -1;
	}
	for (size_t i = 0; i < flow.edge_count; i++) {
		const vg_flow_edge *e = &flow.edges[i];
		const char *have = vg_flow_end_schema(&e->from);
		const char *want = vg_flow_end_schema(&e->to);
		/* A declared transformation converts between shapes: nothing to compare. */
		if (!have || !want || e->binding->transformation || strcmp(have, want) == 0)
			continue;
		const vg_message_schema *source = vg_blueprint_schema(bp, have);
		const vg_message_schema *target = vg_blueprint_schema(bp, want);
		if (!source || !target)
			continue; /* an undefined schema is level 2's to report */
		vg_schema_gap gap;
		if (!vg_msgschema_accepts(bp, target->node, source->node, &gap))
			report_mismatch(ctx, arena, e, want, have, &gap);
	}
	vg_arena_free(arena);
	return 0;
}

static const vigil_check_def wiring_checks[] = {
	{ "wiring.bindings",
	  "Bindings resolve to an output port and an input port",
	  NULL,
	  vg_wiring_bindings_run,
	  NULL,
	  { 0 } },
	{ "wiring.schemas",
	  "Message schemas are compatible across each binding",
	  NULL,
	  vg_wiring_schemas_run,
	  NULL,
	  { 0 } },
	{ "wiring.connectivity",
	  "Component types are connected only in ways they allow",
	  NULL,
	  vg_wiring_connectivity_run,
	  NULL,
	  { 0 } },
	{ "wiring.cycles",
	  "Cycles pass through a component that holds state",
	  NULL,
	  vg_wiring_cycles_run,
	  NULL,
	  { 0 } },
	{ "wiring.port-numbers",
	  "No two components listen on one port number",
	  NULL,
	  vg_wiring_port_numbers_run,
	  NULL,
	  { 0 } },
};

VIGIL_PLUGIN_DEFINE(wiring, VIGIL_VERSION_STRING,
                    "Level 3: bindings and data flow between components", VIGIL_PLUGIN_VALIDATOR, 3,
                    wiring_checks, sizeof wiring_checks / sizeof wiring_checks[0], NULL, NULL)
