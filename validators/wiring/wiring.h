/*
 * wiring.h — level 3 blueprint-only validators (the `wiring` descriptor, wiring.c): bindings
 * resolve output → input, schemas agree across them, component types may be connected that
 * way, cycles hold state, and no two components claim one port number.
 */
#ifndef VG_WIRING_H
#define VG_WIRING_H

#include "vigil/plugin.h"

/* The checks; each is a vigil_check_def run function. */
int vg_wiring_bindings_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_wiring_schemas_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_wiring_connectivity_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_wiring_cycles_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_wiring_port_numbers_run(vigil_check_ctx *ctx, const vigil_host *host);

#endif
