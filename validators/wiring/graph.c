/*
 * graph.c — level 3 checks on the component graph the bindings make.
 *
 * Connectivity by component type (a binding's source type -> target type):
 *   - nothing flows into a producer: Source, EventSource, Scheduler have no inputs;
 *   - nothing flows out of a Sink;
 *   - a Store feeds only components that read it (APIEndpoint, Controller, Transformer,
 *     Model, Filter, Router, Aggregator, Accumulator, StreamProcessor, Cache, WebSocket, Sink,
 *     MessageBus, Splitter, Merger), never another Store: copying between stores needs a
 *     component that reads one and writes the other.
 * Components of an unknown type are not judged (level 1 reports the type).
 *
 * Cycles: a cycle of bindings (a self-binding included) must pass through a component whose
 * output is not simply driven by its input, or a message may go round it forever:
 *   - one that holds state and decides when to emit: Accumulator, StreamProcessor,
 *     Controller, Aggregator;
 *   - one where a message ends and what leaves is a separate read: Store, Cache (a write
 *     goes in; queries come out), APIEndpoint (a response goes back to the client; requests
 *     come from clients).
 * A cycle through pass-through components only (Transformer, Filter, Router, Model,
 * Splitter, Merger, MessageBus, WebSocket, ...) is reported once, at the binding that closes
 * it back to its first-declared component; a cycle with a component of unknown type is not
 * judged.
 */
#include <string.h>

#include "flow.h"
#include "run.h"
#include "wiring.h"

static unsigned roles_of(const vg_component *c)
{
	const vg_type_ports *t = vg_type_ports_of(c->type);
	return t ? t->roles : 0;
}

static int build_flow(vg_flow *flow, vg_arena **arena, const vg_blueprint *bp)
{
	*arena = vg_arena_new();
	if (!*arena || vg_flow_build(flow, *arena, bp, NULL) < 0) {
		vg_arena_free(*arena);
		*arena = NULL;
		return -1;
	}
	return 0;
}

int vg_wiring_connectivity_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	if (!ctx->blueprint)
		return 0;
	vg_arena *arena;
	vg_flow flow;
	if (build_flow(&flow, &arena, ctx->blueprint) < 0)
		return -1;
	const vg_binding *sink_reported = NULL;
	for (size_t i = 0; i < flow.edge_count; i++) {
		const vg_flow_edge *e = &flow.edges[i];
		const vg_component *from = e->from.component, *to = e->to.component;
		unsigned from_roles = roles_of(from), to_roles = roles_of(to);
		vigil_finding *f = NULL;
		if (from_roles & VG_ROLE_NO_OUTPUT) {
			if (sink_reported == e->binding)
				continue; /* one finding per fan-out binding */
			sink_reported = e->binding;
			f = vg_emit(ctx, VG_CONNECTIVITY, e->from.node,
			            "Binding reads from '%s', a %s: nothing flows out of a %s",
			            from->name, from->type, from->type);
			vg_detail(f,
			          "The binding sends '%s.%s' to '%s.%s'; a %s is where data ends.",
			          from->name, e->from.port, to->name, e->to.port, from->type);
			vg_hint(f,
			        "Bind from the component that feeds '%s' instead, or give '%s' a type "
			        "that produces output (a Transformer, a Controller).",
			        from->name, from->name);
			vg_evidence(f, "a component with outputs", from->type);
		} else if (to_roles & VG_ROLE_NO_INPUT) {
			f = vg_emit(ctx, VG_CONNECTIVITY, e->to.node,
			            "Binding feeds '%s', a %s: nothing flows into a %s", to->name,
			            to->type, to->type);
			vg_detail(
			        f,
			        "The binding sends '%s.%s' (a %s) into '%s'; a %s only produces data.",
			        from->name, e->from.port, from->type ? from->type : "component",
			        to->name, to->type);
			vg_hint(f,
			        "Reverse the binding if '%s' should feed '%s', or give '%s' a type that "
			        "consumes input.",
			        to->name, from->name, to->name);
			vg_evidence(f, "a component that accepts input", to->type);
		} else if ((from_roles & VG_ROLE_STORE) && (to_roles & VG_ROLE_STORE)) {
			f = vg_emit(ctx, VG_CONNECTIVITY, e->to.node,
			            "Binding connects Store '%s' directly to Store '%s'",
			            from->name, to->name);
			vg_detail(
			        f,
			        "A Store persists what it receives; it does not push rows into another "
			        "Store. A Store feeds components that read it (APIEndpoint, Controller, "
			        "Transformer, ...).");
			vg_hint(f,
			        "Put a Transformer or a Controller between '%s' and '%s' that reads one and "
			        "writes the other.",
			        from->name, to->name);
			vg_evidence(f, "Store -> APIEndpoint | Controller | Transformer | ...",
			            "Store -> Store");
		}
	}
	vg_arena_free(arena);
	return 0;
}

/* ---- cycles -------------------------------------------------------------------------------- */

typedef struct graph {
	size_t n;      /* components */
	size_t *first; /* n + 1 offsets into `edges` (CSR by source component) */
	size_t *edges; /* edge indices into flow->edges, grouped by source */
	const vg_flow *flow;
} graph;

static int graph_build(graph *g, vg_arena *arena, const vg_flow *flow, size_t n)
{
	g->n = n;
	g->flow = flow;
	g->first = vg_arena_array(arena, n + 1, sizeof *g->first);
	g->edges = vg_arena_array(arena, flow->edge_count + 1, sizeof *g->edges);
	size_t *fill = vg_arena_array(arena, n + 1, sizeof *fill);
	if (!g->first || !g->edges || !fill)
		return -1;
	for (size_t i = 0; i < flow->edge_count; i++)
		g->first[flow->edges[i].from.index + 1]++;
	for (size_t v = 0; v < n; v++)
		g->first[v + 1] += g->first[v];
	for (size_t i = 0; i < flow->edge_count; i++) {
		size_t v = flow->edges[i].from.index;
		g->edges[g->first[v] + fill[v]++] = i;
	}
	return 0;
}

static size_t edge_target(const graph *g, size_t k)
{
	return g->flow->edges[g->edges[k]].to.index;
}

/*
 * Tarjan's strongly connected components, iterative (blueprints may hold 10,000 components).
 * Fills scc[v] with a component id per vertex; returns the number of SCCs, or (size_t)-1.
 */
static size_t strongly_connected(const graph *g, vg_arena *arena, size_t *scc)
{
	size_t n = g->n, none = (size_t)-1;
	size_t *index = vg_arena_array(arena, n + 1, sizeof *index);
	size_t *low = vg_arena_array(arena, n + 1, sizeof *low);
	size_t *stack = vg_arena_array(arena, n + 1, sizeof *stack);
	size_t *call = vg_arena_array(arena, n + 1, sizeof *call); /* DFS vertex stack */
	size_t *next = vg_arena_array(arena, n + 1, sizeof *next); /* next edge to follow */
	unsigned char *on_stack = vg_arena_array(arena, n + 1, 1);
	if (!index || !low || !stack || !call || !next || !on_stack)
		return none;
	for (size_t v = 0; v < n; v++)
		index[v] = none;
	size_t counter = 0, sp = 0, count = 0;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != none)
			continue;
		size_t depth = 0;
		call[depth++] = root;
		index[root] = low[root] = counter++;
		next[root] = g->first[root];
		stack[sp++] = root;
		on_stack[root] = 1;
		while (depth) {
			size_t v = call[depth - 1];
			if (next[v] < g->first[v + 1]) {
				size_t w = edge_target(g, next[v]++);
				if (index[w] == none) {
					index[w] = low[w] = counter++;
					next[w] = g->first[w];
					stack[sp++] = w;
					on_stack[w] = 1;
					call[depth++] = w;
				} else if (on_stack[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				size_t w;
				do {
					w = stack[--sp];
					on_stack[w] = 0;
					scc[w] = count;
				} while (w != v);
				count++;
			}
			depth--;
			if (depth && low[v] < low[call[depth - 1]])
				low[call[depth - 1]] = low[v];
		}
	}
	return count;
}

/* Scratch space of the cycle search, allocated once per run. */
typedef struct search {
	size_t *via;   /* per vertex: the edge that reached it, or NONE */
	size_t *queue; /* breadth-first queue of vertices */
	size_t *path;  /* the cycle found, as edge indices */
} search;

#define NONE ((size_t)-1)

/*
 * A shortest cycle from `start` back to itself inside its SCC (breadth-first); fills
 * s->path with edge indices in order and returns its length, 0 when there is none. Leaves
 * s->via all NONE again, so the search costs only what it visits.
 */
static size_t find_cycle(const graph *g, const size_t *scc, size_t start, search *s)
{
	size_t head = 0, tail = 0, closing = NONE;
	s->queue[tail++] = start;
	while (head < tail && closing == NONE) {
		size_t v = s->queue[head++];
		for (size_t k = g->first[v]; k < g->first[v + 1]; k++) {
			size_t w = edge_target(g, k);
			if (scc[w] != scc[start])
				continue;
			if (w == start) {
				closing = g->edges[k];
				break;
			}
			if (s->via[w] == NONE) {
				s->via[w] = g->edges[k];
				s->queue[tail++] = w;
			}
		}
	}
	size_t len = 0;
	if (closing != NONE) {
		for (size_t e = closing;; e = s->via[g->flow->edges[e].from.index]) {
			s->path[len++] = e;
			if (g->flow->edges[e].from.index == start)
				break;
		}
		for (size_t i = 0; i < len / 2; i++) { /* reverse into flow order */
			size_t t = s->path[i];
			s->path[i] = s->path[len - 1 - i];
			s->path[len - 1 - i] = t;
		}
	}
	for (size_t i = 0; i < tail; i++)
		s->via[s->queue[i]] = NONE;
	return len;
}

static void report_cycle(vigil_check_ctx *ctx, vg_arena *arena, const vg_flow *flow,
                         const size_t *path, size_t len)
{
	enum { SHOWN = 12 }; /* components named in the message; the rest are counted */
	const char *route = flow->edges[path[0]].from.component->name;
	const char *members = "";
	for (size_t i = 0; i < len && i < SHOWN; i++) {
		const vg_component *c = flow->edges[path[i]].from.component;
		members = vg_arena_printf(arena, "%s%s%s (%s)", members ? members : "",
		                          i ? ", " : "", c->name, c->type ? c->type : "untyped");
		route = vg_arena_printf(arena, "%s -> %s", route ? route : "",
		                        flow->edges[path[i]].to.component->name);
	}
	if (len > SHOWN) {
		route = vg_arena_printf(arena, "%s -> ... (%zu components)", route ? route : "",
		                        len);
		members = vg_arena_printf(arena, "%s and %zu more", members ? members : "",
		                          len - SHOWN);
	}
	const vg_flow_edge *closing = &flow->edges[path[len - 1]];
	vigil_finding *f = vg_emit(ctx, VG_FORBIDDEN_CYCLE, closing->to.node,
	                           "Bindings form a cycle %s of pass-through components only",
	                           route ? route : "");
	vg_detail(f,
	          "Components in the cycle: %s. Each passes what it receives on: without an "
	          "Accumulator, a StreamProcessor or a Controller to decide when to stop (or a "
	          "Store where messages end), a message goes round it forever.",
	          members ? members : "");
	vg_hint(f, "Break the cycle, or route it through an Accumulator, StreamProcessor or "
	           "Controller.");
	vg_evidence(f, "a cycle through an Accumulator, StreamProcessor, Controller or Store",
	            route);
}

int vg_wiring_cycles_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp || bp->component_count == 0)
		return 0;
	vg_arena *arena;
	vg_flow flow;
	if (build_flow(&flow, &arena, bp) < 0)
		return -1;
	size_t n = bp->component_count;
	graph g;
	size_t *scc = vg_arena_array(arena, n + 1, sizeof *scc);
	size_t count = scc && graph_build(&g, arena, &flow, n) == 0
	                       ? strongly_connected(&g, arena, scc)
	                       : (size_t)-1;
	size_t *size = count != (size_t)-1 ? vg_arena_array(arena, count + 1, sizeof *size) : NULL;
	unsigned char *excused = size ? vg_arena_array(arena, count + 1, 1) : NULL;
	unsigned char *seen = excused ? vg_arena_array(arena, count + 1, 1) : NULL;
	search sr = { NULL, NULL, NULL };
	if (seen) {
		sr.via = vg_arena_array(arena, n + 1, sizeof *sr.via);
		sr.queue = vg_arena_array(arena, n + 1, sizeof *sr.queue);
		sr.path = vg_arena_array(arena, n + 1, sizeof *sr.path);
	}
	if (!sr.via || !sr.queue || !sr.path) {
		vg_arena_free(arena);
		return -1;
	}
	for (size_t v = 0; v < n; v++) {
		sr.via[v] = NONE;
		size[scc[v]]++;
		const vg_type_ports *t = vg_type_ports_of(bp->components[v].type);
		if (!t || (t->roles & VG_ROLE_BREAKS_CYCLE))
			excused[scc[v]] = 1;
	}
	/* Each SCC once, from its first-declared component. */
	for (size_t v = 0; v < n; v++) {
		size_t s = scc[v];
		if (seen[s] || excused[s])
			continue;
		seen[s] = 1;
		int self_loop = 0;
		for (size_t k = g.first[v]; k < g.first[v + 1]; k++)
			self_loop |= edge_target(&g, k) == v;
		if (size[s] < 2 && !self_loop)
			continue;
		size_t len = find_cycle(&g, scc, v, &sr);
		if (len)
			report_cycle(ctx, arena, &flow, sr.path, len);
	}
	vg_arena_free(arena);
	return 0;
}
