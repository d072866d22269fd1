/*
 * semantics.h — level 4 blueprint-only validators (the `semantics` descriptor, semantics.c):
 * what flows into each Store against its table, components and tables nothing uses, and the
 * safety of declared migrations.
 */
#ifndef VG_SEMANTICS_H
#define VG_SEMANTICS_H

#include "vigil/plugin.h"

/* The checks; each is a vigil_check_def run function. */
int vg_semantics_store_fit_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_semantics_orphans_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_semantics_unused_tables_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_semantics_migrations_run(vigil_check_ctx *ctx, const vigil_host *host);

#endif
