/* heal_blueprint.c — blueprint healing in a run: when, files, record, restart. See
 * heal_blueprint.h. */
#define _POSIX_C_SOURCE 200809L /* stat */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "blueprint_heal.h"
#include "heal_blueprint.h"

const vigil_heal_blueprint *vigil_report_heal_blueprint(const vigil_report *report)
{
	return report ? report->heal_blueprint : NULL;
}

static int healable_code(const char *code)
{
	static const char *const codes[] = { "VG112", "VG113", "VG116", "VG117", "VG130" };
	for (size_t i = 0; code && i < sizeof codes / sizeof *codes; i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}

static int level_failed(const vigil_report *r, unsigned level)
{
	vigil_status s = r->levels[level - 1].status;
	return s == VIGIL_STATUS_FAILED || s == VIGIL_STATUS_ERROR;
}

/* A level asks for healing when it failed or holds a finding healing could fix. */
static int level_wanted(const vigil_report *r, unsigned level)
{
	if (level_failed(r, level))
		return 1;
	for (size_t i = 0; i < r->finding_count; i++)
		if (r->findings[i]->level == level && healable_code(r->findings[i]->code))
			return 1;
	return 0;
}

int vg_heal_blueprint_wanted(const vigil_report *report)
{
	return level_wanted(report, 1) || level_wanted(report, 2);
}

static size_t findings_at(const vigil_report *r, unsigned level)
{
	size_t n = 0;
	for (size_t i = 0; i < r->finding_count; i++)
		n += r->findings[i]->level == level;
	return n;
}

/* "<dir>/<stem><suffix>": <stem> is the input's file name without .yaml / .yml. */
static const char *healed_name(vg_arena *arena, const char *dir, const char *input,
                               const char *suffix)
{
	const char *base = strrchr(input, '/');
	base = base ? base + 1 : input;
	size_t stem = strlen(base);
	if (stem > 5 && strcmp(base + stem - 5, ".yaml") == 0)
		stem -= 5;
	else if (stem > 4 && strcmp(base + stem - 4, ".yml") == 0)
		stem -= 4;
	if (stem == 0) {
		base = "blueprint";
		stem = strlen(base);
	}
	if (strcmp(dir, ".") == 0)
		return vg_arena_printf(arena, "%.*s%s", (int)stem, base, suffix);
	size_t n = strlen(dir);
	return vg_arena_printf(arena, "%s%s%.*s%s", dir, n && dir[n - 1] == '/' ? "" : "/",
	                       (int)stem, base, suffix);
}

/* Whether `target` is the file `input` (same name, or the same file through a link). */
static int is_input_file(const char *target, const char *input)
{
	if (strcmp(target, input) == 0)
		return 1;
	struct stat a, b;
	return stat(target, &a) == 0 && stat(input, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* Levels 1–2 of the healed text, both run (a scratch engine: no plugins, no healing). */
static int check_healed(vigil_report **out, const char *name, const char *text, size_t length)
{
	*out = NULL;
	vigil_engine *engine = NULL;
	if (vigil_engine_new(&engine, NULL) != VIGIL_OK)
		return VIGIL_ENOMEM;
	vigil_engine_set_plugin_discovery(engine, 0);
	vigil_run_options options = VIGIL_RUN_OPTIONS_INIT;
	options.max_level = 2;
	options.keep_going = 1;
	int rc = vigil_validate_buffer(out, engine, name, text, length, &options, NULL);
	vigil_engine_free(engine);
	return rc;
}

/* Takes levels 1–2's records and findings out of the report; the read check stays. */
static void take_out_levels_1_2(vigil_report *r)
{
	size_t keep = 0;
	for (size_t i = 0; i < r->finding_count; i++) {
		vigil_finding *f = r->findings[i];
		if (f->level > 2)
			r->findings[keep++] = f;
		else if (f->severity == VIGIL_SEVERITY_ERROR && r->error_count > 0)
			r->error_count--;
	}
	r->finding_count = keep;
	r->levels[0].check_count = r->levels[0].check_count ? 1 : 0; /* structure.read */
	r->levels[1].check_count = 0;
	for (unsigned level = 1; level <= 2; level++) {
		r->levels[level - 1].status = VIGIL_STATUS_PASSED;
		r->levels[level - 1].reason = NULL;
	}
}

/* Writes the healed text and its diff; the paths go into the record. 0, or -1 with
 * rec->message set (nothing recorded as written that was not). */
static int write_files(vg_arena *arena, vigil_heal_blueprint *rec, const vg_blueprint_source *src,
                       const vg_heal_settings *settings, const vg_blueprint_patch *patch)
{
	const char *healed = healed_name(arena, settings->dir, src->name, ".healed.yaml");
	const char *diff = healed_name(arena, settings->dir, src->name, ".healed.diff");
	if (!healed || !diff)
		return -2;
	const char *clash = is_input_file(healed, src->name) ? healed
	                    : is_input_file(diff, src->name) ? diff
	                                                     : NULL;
	if (clash) {
		rec->message = vg_arena_printf(arena,
		                               "not written: '%s' is the input blueprint itself, which "
		                               "healing never overwrites; choose another --heal-dir",
		                               clash);
		return rec->message ? -1 : -2;
	}
	char error[512];
	if (vg_heal_write_file(healed, patch->text, error, sizeof error) != 0) {
		rec->message = vg_arena_printf(arena, "healed blueprint not written: %s", error);
		return rec->message ? -1 : -2;
	}
	rec->healed_file = healed;
	if (vg_heal_write_file(diff, patch->diff, error, sizeof error) != 0) {
		rec->message = vg_arena_printf(arena, "diff of the healed blueprint not written: %s",
		                               error);
		return rec->message ? -1 : -2;
	}
	rec->diff_file = diff;
	return 0;
}

/* The record's edits, levels and verdict from a patch; `after` the healed text's levels
 * 1–2 (NULL without edits). */
static int record_patch(vg_arena *arena, vigil_heal_blueprint *rec, const vigil_report *before,
                        const vg_blueprint_source *src, const vg_blueprint_patch *patch,
                        const vigil_report *after)
{
	vigil_heal_edit *edits =
	        vg_arena_array(arena, patch->edit_count ? patch->edit_count : 1, sizeof *edits);
	if (!edits)
		return -1;
	for (size_t i = 0; i < patch->edit_count; i++) {
		const vg_blueprint_edit *e = &patch->edits[i];
		const vigil_code_info *info = vigil_code_find(e->code);
		edits[i] = (vigil_heal_edit){
			.level = info ? info->level : 1,
			.code = vg_arena_strdup(arena, e->code),
			.line = e->line,
			.column = e->column,
			.description = vg_arena_strdup(arena, e->description),
			.original = vg_arena_strndup(arena, src->text + e->offset, e->length),
			.replacement = vg_arena_strdup(arena, e->replacement),
		};
		if (!edits[i].code || !edits[i].description || !edits[i].original ||
		    !edits[i].replacement)
			return -1;
	}
	rec->edits = edits;
	rec->edit_count = patch->edit_count;
	rec->skipped = patch->skipped;
	rec->converged = after != NULL;
	for (unsigned level = 1; level <= 2; level++) {
		vigil_heal_level *lv = &rec->levels[level - 1];
		lv->level = level;
		lv->before = before->levels[level - 1].status;
		lv->findings_before = findings_at(before, level);
		lv->attempted = level_wanted(before, level);
		for (size_t i = 0; i < rec->edit_count; i++)
			lv->edit_count += edits[i].level == level;
		lv->after = after ? after->levels[level - 1].status : lv->before;
		lv->findings_after = after ? findings_at(after, level) : lv->findings_before;
		lv->converged = after && lv->edit_count && lv->after == VIGIL_STATUS_PASSED;
		if (after && lv->after != VIGIL_STATUS_PASSED)
			rec->converged = 0;
		rec->attempted |= lv->attempted;
	}
	return 0;
}

int vg_heal_blueprint(vigil_check_ctx *ctx, const vg_blueprint_source *src,
                      const vg_heal_settings *settings, int *restart)
{
	*restart = 0;
	vigil_report *r = ctx->report;
	vg_arena *arena = r->arena;
	vigil_heal_blueprint *rec = vg_arena_array(arena, 1, sizeof *rec);
	if (!rec)
		return VIGIL_ENOMEM;
	memset(rec, 0, sizeof *rec);
	rec->mode = settings->mode;
	rec->input_file = vg_arena_strdup(arena, src->name);
	if (!rec->input_file)
		return VIGIL_ENOMEM;

	vg_blueprint_patch patch;
	int rc = vg_blueprint_heal(src->arena, src->name, src->text, src->length, ctx->root, r,
	                           &patch);
	if (rc != VIGIL_OK)
		return rc == VIGIL_EINVAL ? VIGIL_EINTERNAL : rc;
	vigil_report *after = NULL;
	if (patch.edit_count) {
		const char *healed_path = healed_name(arena, settings->dir, src->name, ".healed.yaml");
		if (!healed_path)
			return VIGIL_ENOMEM;
		rc = check_healed(&after, healed_path, patch.text, patch.length);
		if (rc != VIGIL_OK)
			return rc;
	}
	rc = record_patch(arena, rec, r, src, &patch, after) == 0 ? VIGIL_OK : VIGIL_ENOMEM;
	const vigil_report *healed_report = after;
	size_t left = healed_report ? findings_at(healed_report, 1) + findings_at(healed_report, 2)
	                            : 0;
	vigil_report_free(after);
	if (rc != VIGIL_OK)
		return rc;
	r->heal_blueprint = rec;

	if (patch.edit_count == 0) {
		rec->message = patch.skipped
		                       ? vg_arena_printf(arena,
		                                         "nothing unambiguous to heal: %zu finding(s) of "
		                                         "a healable kind left alone (ambiguous, or the "
		                                         "edit did not validate); no file written",
		                                         patch.skipped)
		                       : "no finding of levels 1–2 is of a kind healing fixes; no file "
		                         "written";
		return rec->message ? VIGIL_OK : VIGIL_ENOMEM;
	}
	int written = write_files(arena, rec, src, settings, &patch);
	if (written == -2)
		return VIGIL_ENOMEM;
	if (written != 0) {
		/* Nothing to show for it: not converged; the message says why, the run goes on
		 * with the input. */
		rec->converged = 0;
		for (unsigned level = 1; level <= 2; level++)
			rec->levels[level - 1].converged = 0;
		return VIGIL_OK;
	}

	const char *verdict = rec->converged
	                              ? "the healed text passes levels 1–2"
	                              : vg_arena_printf(arena,
	                                                "the healed text still has %zu finding(s) at "
	                                                "levels 1–2",
	                                                left);
	if (!verdict)
		return VIGIL_ENOMEM;
	if (settings->mode != VIGIL_HEAL_APPLY) {
		rec->message = vg_arena_printf(arena,
		                               "%zu edit(s) planned: %s; the input is unchanged and "
		                               "this run judged it as written",
		                               rec->edit_count, verdict);
		return rec->message ? VIGIL_OK : VIGIL_ENOMEM;
	}

	/* Apply: the rest of the run judges the healed text, read as the healed file (finding
	 * locations point into it) but built as the input (relative SQLite paths unchanged). */
	vg_yaml_error yerr = { 0 };
	const char *file = vg_arena_strdup(src->arena, rec->healed_file);
	const vg_node *root =
	        file ? vg_yaml_parse(src->arena, file, patch.text, patch.length, &yerr) : NULL;
	if (!root || root->kind != VG_NODE_MAP) {
		if (!root && (!file || yerr.kind == VG_YAML_ENOMEM))
			return VIGIL_ENOMEM;
		rec->message = vg_arena_printf(arena,
		                               "%zu edit(s) written, but the healed text could not be "
		                               "read back (%s); the run judged the input",
		                               rec->edit_count, root ? "not a mapping" : yerr.message);
		return rec->message ? VIGIL_OK : VIGIL_ENOMEM;
	}
	const vg_blueprint *bp = vg_blueprint_build(src->arena, src->name, root, NULL);
	if (!bp)
		return VIGIL_ENOMEM;
	ctx->root = root;
	ctx->blueprint = bp;
	r->system_name = bp->name ? vg_arena_strdup(arena, bp->name) : NULL;
	if (bp->name && !r->system_name)
		return VIGIL_ENOMEM;
	take_out_levels_1_2(r);
	rec->applied = 1;
	for (unsigned level = 1; level <= 2; level++)
		rec->levels[level - 1].applied = rec->levels[level - 1].edit_count > 0;
	rec->message = vg_arena_printf(arena,
	                               "%zu edit(s) applied: %s; levels 1–4 ran on the healed "
	                               "blueprint %s (findings point into it); the input %s is "
	                               "unchanged",
	                               rec->edit_count, verdict, rec->healed_file, rec->input_file);
	if (!rec->message)
		return VIGIL_ENOMEM;
	*restart = 1;
	return VIGIL_OK;
}
