/*
 * flow.c — component types' ports and the resolution of bindings to ports.
 *
 * Implied ports. A component that writes no ports in a direction has the ports its type
 * implies there (the first is the one a binding naming only the component means):
 *
 *   type             inputs               outputs               any other name accepted on
 *   Source           (none: a producer)   output                -
 *   EventSource      (none: a producer)   output, events        -
 *   Scheduler        (none: a producer)   output                -
 *   Sink             input                (none: a terminal)    -
 *   Store            input                output (query results) -
 *   Cache            input                output                -
 *   APIEndpoint      input, response      output, request       -
 *   Transformer      input                output                -
 *   Filter           input                output                -
 *   Accumulator      input                output                -
 *   WebSocket        input                output                -
 *   Model            input                output                inputs (training, testing, ...)
 *   StreamProcessor  input                output                inputs (left/right of a join)
 *   Merger           input                output                inputs
 *   Aggregator       input                output                inputs
 *   Controller       input                output                outputs (routing targets)
 *   Router           input                output                outputs (routes)
 *   Splitter         input                output                outputs
 *   MessageBus       input                output                inputs and outputs (topics)
 *   (unknown type)   input                output                both (level 1 reports the type)
 *
 * An APIEndpoint reads in data-flow terms: the request it receives leaves it (`request`, an
 * output) and the response it returns arrives from the system (`response`, an input).
 * A direction a type has no ports in (a Source's inputs, a Sink's outputs) resolves any name,
 * so that the connectivity check reports the binding once, by type, not as a port typo.
 * Once a component writes ports in a direction, only those exist there.
 */
#include "flow.h"

#include <string.h>

#include "run.h"
#include "strmap.h"
#include "suggest.h"

static const char *const in_default[] = { "input", NULL };
static const char *const out_default[] = { "output", NULL };
static const char *const none[] = { NULL };
static const char *const api_in[] = { "input", "response", NULL };
static const char *const api_out[] = { "output", "request", NULL };
static const char *const event_out[] = { "output", "events", NULL };

static const vg_type_ports type_table[] = {
	{ "Source", { none, out_default }, VG_ROLE_NO_INPUT },
	{ "EventSource", { none, event_out }, VG_ROLE_NO_INPUT },
	{ "Scheduler", { none, out_default }, VG_ROLE_NO_INPUT },
	{ "Sink", { in_default, none }, VG_ROLE_NO_OUTPUT },
	{ "Store", { in_default, out_default }, VG_ROLE_STORE | VG_ROLE_BREAKS_CYCLE },
	{ "Cache", { in_default, out_default }, VG_ROLE_BREAKS_CYCLE },
	{ "APIEndpoint", { api_in, api_out }, VG_ROLE_BREAKS_CYCLE },
	{ "Transformer", { in_default, out_default }, 0 },
	{ "Filter", { in_default, out_default }, 0 },
	{ "Accumulator", { in_default, out_default }, VG_ROLE_BREAKS_CYCLE },
	{ "WebSocket", { in_default, out_default }, 0 },
	{ "Model", { in_default, out_default }, VG_ROLE_DYNAMIC_IN },
	{ "StreamProcessor",
	  { in_default, out_default },
	  VG_ROLE_BREAKS_CYCLE | VG_ROLE_DYNAMIC_IN },
	{ "Merger", { in_default, out_default }, VG_ROLE_DYNAMIC_IN },
	{ "Aggregator", { in_default, out_default }, VG_ROLE_BREAKS_CYCLE | VG_ROLE_DYNAMIC_IN },
	{ "Controller", { in_default, out_default }, VG_ROLE_BREAKS_CYCLE | VG_ROLE_DYNAMIC_OUT },
	{ "Router", { in_default, out_default }, VG_ROLE_DYNAMIC_OUT },
	{ "Splitter", { in_default, out_default }, VG_ROLE_DYNAMIC_OUT },
	{ "MessageBus", { in_default, out_default }, VG_ROLE_DYNAMIC_IN | VG_ROLE_DYNAMIC_OUT },
	/* the pipeline's further types, read as the base type each one specialises */
	{ "FastAPIEndpoint", { api_in, api_out }, VG_ROLE_BREAKS_CYCLE },
	{ "gRPCEndpoint", { api_in, api_out }, VG_ROLE_BREAKS_CYCLE },
	{ "MetricsEndpoint", { api_in, api_out }, VG_ROLE_BREAKS_CYCLE },
	{ "V5EnhancedStore", { in_default, out_default }, VG_ROLE_STORE | VG_ROLE_BREAKS_CYCLE },
	{ "Database", { in_default, out_default }, VG_ROLE_STORE | VG_ROLE_BREAKS_CYCLE },
	{ "MessageBusSource", { none, out_default }, VG_ROLE_NO_INPUT },
};

static const vg_type_ports unknown_type = { NULL,
	                                    { in_default, out_default },
	                                    VG_ROLE_DYNAMIC_IN | VG_ROLE_DYNAMIC_OUT };

const vg_type_ports *vg_type_ports_of(const char *type)
{
	if (!type)
		return NULL;
	for (size_t i = 0; i < sizeof type_table / sizeof *type_table; i++)
		if (strcmp(type_table[i].type, type) == 0)
			return &type_table[i];
	return NULL;
}

static const vg_type_ports *ports_of(const vg_component *c)
{
	const vg_type_ports *t = vg_type_ports_of(c->type);
	return t ? t : &unknown_type;
}

const char *vg_flow_end_schema(const vg_flow_end *end)
{
	return end && end->declared ? end->declared->schema : NULL;
}

static const char *dir_word(vg_port_dir dir)
{
	return dir == VG_PORT_IN ? "input" : "output";
}

static const vg_port *declared_ports(const vg_component *c, vg_port_dir dir, size_t *count)
{
	*count = dir == VG_PORT_IN ? c->input_count : c->output_count;
	return dir == VG_PORT_IN ? c->inputs : c->outputs;
}

static const vg_port *find_declared(const vg_component *c, vg_port_dir dir, const char *name)
{
	size_t n;
	const vg_port *ports = declared_ports(c, dir, &n);
	for (size_t i = 0; i < n; i++)
		if (ports[i].name && strcmp(ports[i].name, name) == 0)
			return &ports[i];
	return NULL;
}

static int in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

/* Does `name` exist on the component in `dir`, declared or implied? */
static int has_port(const vg_component *c, vg_port_dir dir, const char *name)
{
	size_t n;
	declared_ports(c, dir, &n);
	if (n)
		return find_declared(c, dir, name) != NULL;
	return in_list(ports_of(c)->implied[dir], name);
}

/* "a, b, c" of the ports a component has in a direction (declared, else implied). */
static const char *port_list(vg_arena *arena, const vg_component *c, vg_port_dir dir)
{
	size_t n;
	const vg_port *ports = declared_ports(c, dir, &n);
	const char *out = "";
	if (n) {
		for (size_t i = 0; i < n; i++)
			if (ports[i].name)
				out = vg_arena_printf(arena, "%s%s%s", out ? out : "",
				                      out && *out ? ", " : "", ports[i].name);
	} else {
		for (const char *const *p = ports_of(c)->implied[dir]; *p; p++)
			out = vg_arena_printf(arena, "%s%s%s", out ? out : "",
			                      out && *out ? ", " : "", *p);
	}
	return out && *out ? out : "none";
}

/*
 * "Did you mean" compares a name with every component's: with thousands of components and
 * thousands of bad bindings that is quadratic, so the comparisons a run spends on it are
 * capped (later findings go without a suggestion).
 */
enum { SUGGEST_BUDGET = 1000000 };

typedef struct resolver {
	vg_arena *arena;
	const vg_blueprint *bp;
	vigil_check_ctx *ctx;
	const char **component_names; /* for "did you mean", built on first need */
	size_t component_name_count;
	size_t suggest_spent; /* names compared so far */
} resolver;

static const char *suggest_component(resolver *r, const char *name)
{
	if (r->suggest_spent + r->bp->component_count > SUGGEST_BUDGET)
		return NULL;
	r->suggest_spent += r->bp->component_count;
	if (!r->component_names) {
		r->component_names = vg_arena_array(r->arena, r->bp->component_count + 1,
		                                    sizeof *r->component_names);
		if (!r->component_names)
			return NULL;
		for (size_t i = 0; i < r->bp->component_count; i++)
			if (r->bp->components[i].name)
				r->component_names[r->component_name_count++] =
				        r->bp->components[i].name;
	}
	return vg_suggest(name, r->component_names, r->component_name_count);
}

static const char *suggest_port(resolver *r, const vg_component *c, vg_port_dir dir,
                                const char *name)
{
	size_t n;
	const vg_port *ports = declared_ports(c, dir, &n);
	if (!n) {
		const char *const *implied = ports_of(c)->implied[dir];
		size_t k = 0;
		while (implied[k])
			k++;
		return vg_suggest(name, (const char *const *)implied, k);
	}
	const char **names = vg_arena_array(r->arena, n, sizeof *names);
	if (!names)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (ports[i].name)
			names[k++] = ports[i].name;
	return vg_suggest(name, names, k);
}

/* Is `name` a misspelling of one of the type's implied ports in `dir`? */
static int near_implied(const vg_type_ports *type, vg_port_dir dir, const char *name)
{
	size_t k = 0;
	while (type->implied[dir][k])
		k++;
	const char *near = vg_suggest(name, (const char *const *)type->implied[dir], k);
	return near && strcmp(near, name) != 0;
}

/* "source" / "target" of a binding, for messages. */
static const char *end_word(vg_port_dir dir)
{
	return dir == VG_PORT_OUT ? "source" : "target";
}

static const char *end_text(vg_arena *arena, const vg_endpoint *ep)
{
	if (ep->port)
		return vg_arena_printf(arena, "%s.%s", ep->component, ep->port);
	return ep->component;
}

/*
 * Resolves one end; `dir` is the direction of the port it must be (a binding's source is an
 * output). Returns 1 when resolved, 0 when not (reported when r->ctx is set).
 */
static int resolve_end(resolver *r, const vg_endpoint *ep, vg_port_dir dir, vg_flow_end *out)
{
	vigil_check_ctx *ctx = r->ctx;
	const vg_component *c = vg_blueprint_component(r->bp, ep->component);
	if (!c) {
		if (ctx) {
			const char *guess = *ep->component ? suggest_component(r, ep->component)
			                                   : NULL;
			vigil_finding *f =
			        *ep->component
			                ? vg_emit(ctx, VG_BINDING_UNKNOWN_COMPONENT, ep->node,
			                          "Binding %s '%s' names component '%s', which is not declared",
			                          end_word(dir), end_text(r->arena, ep),
			                          ep->component)
			                : vg_emit(ctx, VG_BINDING_UNKNOWN_COMPONENT, ep->node,
			                          "Binding %s '%s' names no component",
			                          end_word(dir), end_text(r->arena, ep));
			vg_detail(f, "The blueprint declares %zu component(s); none is named '%s'.",
			          r->bp->component_count, ep->component);
			if (guess)
				vg_hint(f, "Did you mean '%s'?", guess);
			else
				vg_hint(f,
				        "Declare the component under system.components, or fix the name.");
			vg_evidence(f, guess ? guess : "a declared component", ep->component);
		}
		return 0;
	}
	const vg_type_ports *type = ports_of(c);
	out->component = c;
	out->index = (size_t)(c - r->bp->components);
	out->node = ep->node;
	out->declared = NULL;
	size_t n;
	const vg_port *ports = declared_ports(c, dir, &n);
	unsigned forbidden = dir == VG_PORT_IN ? VG_ROLE_NO_INPUT : VG_ROLE_NO_OUTPUT;
	unsigned dynamic = dir == VG_PORT_IN ? VG_ROLE_DYNAMIC_IN : VG_ROLE_DYNAMIC_OUT;
	vg_port_dir other = dir == VG_PORT_IN ? VG_PORT_OUT : VG_PORT_IN;

	if (!ep->port) {
		if (n == 1 && ports[0].name) {
			out->declared = &ports[0];
			out->port = ports[0].name;
			return 1;
		}
		if (n > 1) {
			if (ctx) {
				vigil_finding *f = vg_emit(
				        ctx, VG_BINDING_AMBIGUOUS, ep->node,
				        "Binding %s '%s' names no port, and component '%s' has %zu %s ports",
				        end_word(dir), ep->component, c->name, n, dir_word(dir));
				vg_detail(f, "%s ports of '%s': %s.",
				          dir == VG_PORT_IN ? "Input" : "Output", c->name,
				          port_list(r->arena, c, dir));
				vg_hint(f, "Name the port: '%s.%s'.", c->name,
				        ports[0].name ? ports[0].name : "port");
				vg_evidence(f, "component.port", ep->component);
			}
			return 0;
		}
		out->port = (type->roles & forbidden) || !type->implied[dir][0]
		                    ? dir_word(dir)
		                    : type->implied[dir][0];
		return 1;
	}

	out->port = ep->port;
	if (n) {
		if ((out->declared = find_declared(c, dir, ep->port)))
			return 1;
	} else if ((type->roles & forbidden) || in_list(type->implied[dir], ep->port) ||
	           ((type->roles & dynamic) && *ep->port && !has_port(c, other, ep->port)) ||
	           (*ep->port && type != &unknown_type && !near_implied(type, dir, ep->port))) {
		/* The last: the generation pipeline's port generator gives a component of a known
		 * type every port a binding names in a direction it declares none in; a near miss
		 * of the type's own port (`inptu`) is still read as the typo it is. */
		return 1;
	}
	if (!ctx)
		return 0;

	vigil_finding *f;
	if (*ep->port && has_port(c, other, ep->port)) {
		f = vg_emit(
		        ctx, VG_BINDING_DIRECTION, ep->node,
		        "Binding %s '%s.%s' is an %s port of '%s'; a binding's %s must be an %s port",
		        end_word(dir), c->name, ep->port, dir_word(other), c->name, end_word(dir),
		        dir_word(dir));
		vg_detail(f, "%s ports of '%s': %s.", dir == VG_PORT_IN ? "Input" : "Output",
		          c->name, port_list(r->arena, c, dir));
		vg_hint(f,
		        "Data flows from a binding's `from` (an output) to its `to` (an input): "
		        "swap the ends, or name one of the %s ports.",
		        dir_word(dir));
		vg_evidence(f, vg_arena_printf(r->arena, "an %s port", dir_word(dir)),
		            vg_arena_printf(r->arena, "%s port '%s'", dir_word(other), ep->port));
		return 0;
	}
	const char *guess = suggest_port(r, c, dir, ep->port);
	f = vg_emit(ctx, VG_BINDING_UNKNOWN_PORT, ep->node,
	            "Binding %s '%s.%s': component '%s' has no %s port '%s'", end_word(dir),
	            c->name, ep->port, c->name, dir_word(dir), ep->port);
	vg_detail(f, "%s ports of '%s' (%s%s): %s.", dir == VG_PORT_IN ? "Input" : "Output",
	          c->name, c->type ? c->type : "untyped", n ? "" : ", implied by its type",
	          port_list(r->arena, c, dir));
	if (guess)
		vg_hint(f, "Did you mean '%s.%s'?", c->name, guess);
	else
		vg_hint(f, "Declare the port under the component's `%ss:`, or bind one it has.",
		        dir_word(dir));
	vg_evidence(f, guess ? guess : port_list(r->arena, c, dir), ep->port);
	return 0;
}

/* A second edge between the same two ports is reported at the later binding. */
static int report_repeats(resolver *r, const vg_flow *flow)
{
	vg_strmap *seen = vg_strmap_new(r->arena, flow->edge_count);
	if (!seen)
		return -1;
	for (size_t i = 0; i < flow->edge_count; i++) {
		const vg_flow_edge *e = &flow->edges[i];
		const char *key = vg_arena_printf(r->arena, "%s.%s\x1f%s.%s",
		                                  e->from.component->name, e->from.port,
		                                  e->to.component->name, e->to.port);
		if (!key)
			return -1;
		void *first = NULL;
		int put = vg_strmap_put(seen, key, (void *)e, &first);
		if (put < 0)
			return -1;
		if (put == 1)
			continue;
		const vg_flow_edge *earlier = first;
		vigil_finding *f = vg_emit(r->ctx, VG_DUPLICATE_BINDING, e->to.node,
		                           "'%s.%s' is bound to '%s.%s' a second time",
		                           e->from.component->name, e->from.port,
		                           e->to.component->name, e->to.port);
		vg_detail(f, "The same binding is declared at line %u.",
		          earlier->binding->node->line);
		vg_hint(f, "Remove one of them: each message would be delivered twice.");
		vg_evidence(f, "one binding", "two bindings");
	}
	return 0;
}

int vg_flow_build(vg_flow *out, vg_arena *arena, const vg_blueprint *bp, vigil_check_ctx *ctx)
{
	out->edges = NULL;
	out->edge_count = 0;
	size_t total = 0;
	for (size_t i = 0; i < bp->binding_count; i++)
		total += bp->bindings[i].to_count;
	if (total && !(out->edges = vg_arena_array(arena, total, sizeof *out->edges)))
		return -1;
	resolver r = { arena, bp, ctx, NULL, 0, 0 };
	for (size_t i = 0; i < bp->binding_count; i++) {
		const vg_binding *b = &bp->bindings[i];
		if (!b->from.component || b->to_count == 0)
			continue; /* the shape is level 1's to report */
		vg_flow_end from;
		int from_ok = resolve_end(&r, &b->from, VG_PORT_OUT, &from);
		for (size_t t = 0; t < b->to_count; t++) {
			vg_flow_end to;
			/* Targets are resolved even after a bad source, so each mistake is reported. */
			if (!b->to[t].component || !resolve_end(&r, &b->to[t], VG_PORT_IN, &to) ||
			    !from_ok)
				continue;
			vg_flow_edge *e = &out->edges[out->edge_count++];
			e->binding = b;
			e->from = from;
			e->to = to;
		}
	}
	return ctx ? report_repeats(&r, out) : 0;
}
