/*
 * ports.c — components.ports: port names unique per direction (VG205), port schemas defined
 * (VG206), and a component's config.port a valid TCP port (VG231).
 */
#include <string.h>

#include "components.h"

static const vg_node *port_name_node(const vg_port *p)
{
	const vg_node *n = p->node && p->node->kind == VG_NODE_MAP ? vg_map_get(p->node, "name") : NULL;
	return n ? n : p->node;
}

static void check_direction(vigil_check_ctx *ctx, const vg_component *c, const vg_port *ports,
                            size_t count, const char *direction)
{
	const vg_blueprint *bp = ctx->blueprint;
	for (size_t i = 0; i < count; i++) {
		const vg_port *p = &ports[i];
		if (!p->name)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (!ports[j].name || strcmp(ports[j].name, p->name) != 0)
				continue;
			vigil_finding *f = vg_emit(ctx, VG_DUPLICATE_PORT, port_name_node(p),
			                           "component '%s' has two %s ports named '%s'", c->name,
			                           direction, p->name);
			const vg_node *first = port_name_node(&ports[j]);
			if (first)
				vg_detail(f, "the first is at line %u", first->line);
			vg_hint(f, "rename one of them: bindings name ports as '%s.<port>'", c->name);
			break;
		}
		if (p->schema && !vg_blueprint_schema(bp, p->schema)) {
			vigil_finding *f = vg_emit(ctx, VG_UNKNOWN_SCHEMA, p->schema_node ? p->schema_node : p->node,
			                           "%s port '%s.%s' names schema '%s', which is not defined",
			                           direction, c->name, p->name, p->schema);
			if (bp->schema_count)
				vg_detail(f, "the blueprint defines %zu message schema%s under `schemas:`",
				          bp->schema_count, bp->schema_count == 1 ? "" : "s");
			else
				vg_detail(f, "the blueprint defines no message schemas");
			const char *near = VGC_SUGGEST(p->schema, bp->schemas, bp->schema_count, vg_message_schema);
			if (near)
				vg_hint(f, "did you mean '%s'?", near);
			else
				vg_hint(f, "define '%s' under `schemas:`", p->schema);
		}
	}
}

static void check_port_number(vigil_check_ctx *ctx, const vg_component *c)
{
	const vg_node *port = c->config && c->config->kind == VG_NODE_MAP ? vg_map_get(c->config, "port") : NULL;
	long long number;
	if (!port || vg_scalar_long(port, &number) != 0 || (number >= 1 && number <= 65535))
		return; /* absent, or not an integer (level 1's finding) */
	vigil_finding *f = vg_emit(ctx, VG_BAD_PORT_NUMBER, port,
	                           "component '%s' has port %lld, outside 1..65535", c->name, number);
	vg_evidence(f, "1..65535", vgc_written(port, ""));
	vg_hint(f, "use a TCP port number between 1 and 65535 (e.g. 8080)");
}

int vgc_check_ports(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	for (size_t i = 0; i < bp->component_count; i++) {
		const vg_component *c = &bp->components[i];
		check_direction(ctx, c, c->inputs, c->input_count, "input");
		check_direction(ctx, c, c->outputs, c->output_count, "output");
		check_port_number(ctx, c);
	}
	return 0;
}
