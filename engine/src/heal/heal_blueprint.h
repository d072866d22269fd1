/*
 * heal_blueprint.h — blueprint healing in a run (`--heal=plan|apply` after levels 1–2; the
 * contract is docs/healing.md). blueprint_heal.c finds the edits;
 * this file decides when to ask, writes the healed file and its diff, records what happened
 * and, in apply mode, hands the healed tree back to the pipeline, which runs again from
 * level 1 on it.
 */
#ifndef VG_HEAL_BLUEPRINT_H
#define VG_HEAL_BLUEPRINT_H

#include <stddef.h>

#include "arena.h"
#include "heal.h"
#include "run.h"

/** The text a run read, kept alive for healing (the pipeline's). */
typedef struct vg_blueprint_source {
	vg_arena *arena;   /* the run's blueprint arena: a healed tree is parsed into it */
	const char *name;  /* the blueprint as named to the run (the input file) */
	const char *text;  /* what was parsed; NULL when the blueprint could not be read */
	size_t length;
} vg_blueprint_source;

/** Whether levels 1–2 (settled) ask for blueprint healing: one failed, or has a finding of a
 *  kind healing fixes. */
int vg_heal_blueprint_wanted(const vigil_report *report);

/**
 * Heals the blueprint of `ctx` (levels 1–2 settled in ctx->report): records
 * report->heal_blueprint, writes the files in plan and apply mode. With apply and edits
 * written, `*restart` is set: ctx->root and ctx->blueprint are the healed text's, and levels
 * 1–2's records and findings are taken out of the report (the read check stays), so the
 * pipeline runs again from level 1. VIGIL_OK or VIGIL_ENOMEM; a file that cannot be written is
 * recorded, not an error of this call.
 */
int vg_heal_blueprint(vigil_check_ctx *ctx, const vg_blueprint_source *source,
                      const vg_heal_settings *settings, int *restart);

#endif
