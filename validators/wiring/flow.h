/*
 * flow.h — how data flows through a blueprint: the port vocabulary of each component type
 * and the bindings resolved to (component, port) pairs. Level 3 (wiring) reports what does
 * not resolve; level 4 (semantics) reads the resolved flow.
 */
#ifndef VG_WIRING_FLOW_H
#define VG_WIRING_FLOW_H

#include <stddef.h>

#include "vigil/plugin.h"

#include "arena.h"
#include "blueprint.h"

typedef enum vg_port_dir { VG_PORT_IN = 0, VG_PORT_OUT = 1 } vg_port_dir;

/* What a component type means for the data flowing through it. */
enum {
	VG_ROLE_NO_INPUT = 1u << 0,     /* a producer: nothing flows into it (Source) */
	VG_ROLE_NO_OUTPUT = 1u << 1,    /* a terminal: nothing flows out of it (Sink) */
	VG_ROLE_BREAKS_CYCLE = 1u << 2, /* a cycle through it is allowed (see graph.c) */
	VG_ROLE_STORE = 1u << 3,        /* persists what it receives; does not feed another Store */
	VG_ROLE_DYNAMIC_IN = 1u << 4,   /* with no inputs written, any input port name is fine */
	VG_ROLE_DYNAMIC_OUT = 1u << 5,  /* with no outputs written, any output port name is fine */
};

/* A component type's ports when it writes none in a direction, and its roles. */
typedef struct vg_type_ports {
	const char *type;
	const char *const *implied[2]; /* NULL-terminated, by vg_port_dir; the first is the default */
	unsigned roles;
} vg_type_ports;

/** The entry of a known component type (exact spelling), or NULL for an unknown type. */
const vg_type_ports *vg_type_ports_of(const char *type);

/** One end of a resolved binding. */
typedef struct vg_flow_end {
	const vg_component *component;
	size_t index;            /* of the component in bp->components */
	const char *port;        /* the port's name (declared, implied, or the dynamic one named) */
	const vg_port *declared; /* the declared port, or NULL for an implied/dynamic one */
	const vg_node *node;     /* the binding's node for this end */
} vg_flow_end;

/** A binding to one of its targets (a fan-out binding gives one edge per target). */
typedef struct vg_flow_edge {
	const vg_binding *binding;
	vg_flow_end from;
	vg_flow_end to;
} vg_flow_edge;

typedef struct vg_flow {
	vg_flow_edge *edges; /* in binding order, then target order */
	size_t edge_count;
} vg_flow;

/**
 * Resolves every binding of `bp`. Edges whose ends do not both resolve are left out; when
 * `ctx` is given, each such end is reported (VG301 unknown component, VG302 unknown port,
 * VG303 wrong direction, VG304 ambiguous port) and so is a repeated edge (VG309).
 * Allocates from `arena`. Returns 0, or -1 when memory runs out.
 */
int vg_flow_build(vg_flow *out, vg_arena *arena, const vg_blueprint *bp, vigil_check_ctx *ctx);

/** The message schema named on an end's declared port, or NULL. */
const char *vg_flow_end_schema(const vg_flow_end *end);

#endif
