/*
 * port_numbers.c — no two components listen on one port number (config.port).
 *
 * Ports written as ${VAR} are not known offline and are skipped; numbers outside 1..65535
 * are level 2's to report. Components are not told apart by host: a blueprint describes one
 * deployment, where two listeners on one port collide.
 */
#include "run.h"
#include "strmap.h"
#include "wiring.h"

static const vg_node *port_node(const vg_component *c)
{
	return c->config ? vg_map_get(c->config, "port") : NULL;
}

int vg_wiring_port_numbers_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp || bp->component_count < 2)
		return 0;
	vg_arena *arena = vg_arena_new();
	vg_strmap *first = arena ? vg_strmap_new(arena, bp->component_count) : NULL;
	if (!first) {
		vg_arena_free(arena);
		return -1;
	}
	for (size_t i = 0; i < bp->component_count; i++) {
		const vg_component *c = &bp->components[i];
		const vg_node *node = port_node(c);
		long long port;
		if (!c->name || !node || vg_scalar_long(node, &port) != 0 || port < 1 ||
		    port > 65535)
			continue;
		const char *key = vg_arena_printf(arena, "%lld", port);
		void *existing = NULL;
		int put = key ? vg_strmap_put(first, key, (void *)c, &existing) : -1;
		if (put < 0) {
			vg_arena_free(arena);
			return -1;
		}
		if (put == 1)
			continue;
		const vg_component *owner = existing;
		vigil_finding *f = vg_emit(ctx, VG_PORT_CONFLICT, node,
		                           "Components '%s' and '%s' both listen on port %lld",
		                           owner->name, c->name, port);
		vg_detail(f,
		          "'%s' (%s) claims port %lld at line %u; '%s' (%s) claims it again here.",
		          owner->name, owner->type ? owner->type : "untyped", port,
		          port_node(owner)->line, c->name, c->type ? c->type : "untyped");
		vg_hint(f, "Give '%s' a port no other component uses.", c->name);
		vg_evidence(f, vg_arena_printf(arena, "a port other than %lld", port),
		            vg_arena_printf(arena, "%lld (also used by %s)", port, owner->name));
	}
	vg_arena_free(arena);
	return 0;
}
