/*
 * pipeline.c — the engine and the four-level run: read the blueprint, then run each level's
 * checks in order; a level runs only when the one before it passed, unless keep_going.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "clock.h"
#include "engine.h"
#include "heal.h"
#include "heal_blueprint.h"
#include "host.h"
#include "plugin_host.h"
#include "report_accept.h"
#include "report_locate.h"
#include "run.h"
#include "verdict.h"

struct vigil_engine {
	const vigil_plugin_desc **validators; /* built-in validators, registration order */
	size_t validator_count;
	vg_plugin_host *plugins; /* loaded plugins and how they run (plugin_host.c) */
	const volatile sig_atomic_t *interrupted; /* the caller's signal flag, or NULL */
	char *project_root;  /* NULL: found from the current folder (report_locate.h) */
	char *baseline;      /* --baseline file, or NULL (report_accept.h) */
	int fail_on_warning; /* vigil_engine_set_fail_on(WARNING) */
};

void vigil_engine_set_interrupt_flag(vigil_engine *engine, const volatile sig_atomic_t *flag)
{
	if (engine)
		engine->interrupted = flag;
}

static void diag_set(vigil_diag *diag, int code, const char *message)
{
	if (!diag)
		return;
	memset(diag, 0, sizeof *diag);
	diag->code = code;
	snprintf(diag->message, sizeof diag->message, "%s", message);
}

const char *vigil_strerror(int code)
{
	switch (code) {
	case VIGIL_OK: return "success";
	case VIGIL_ENOMEM: return "out of memory";
	case VIGIL_EINVAL: return "invalid argument";
	case VIGIL_EIO: return "input/output error";
	case VIGIL_EBLUEPRINT: return "the blueprint cannot be read";
	case VIGIL_EPLUGIN: return "a plugin could not be loaded";
	case VIGIL_EINTERNAL: return "internal error";
	case VIGIL_EMIGRATION: return "a migration failed or changed since it was applied";
	case VIGIL_EUNREACHABLE: return "a database could not be reached or refused the user";
	}
	return "unknown error";
}

int vigil_engine_new(vigil_engine **out, vigil_diag *diag)
{
	if (!out) {
		diag_set(diag, VIGIL_EINVAL, "vigil_engine_new: out is NULL");
		return VIGIL_EINVAL;
	}
	*out = NULL;
	vigil_engine *e = calloc(1, sizeof *e);
	size_t count = 0;
	const vg_builtin_entry *entries = vg_builtin_validators(&count);
	if (e)
		e->validators = calloc(count ? count : 1, sizeof *e->validators);
	if (!e || !e->validators) {
		vigil_engine_free(e);
		diag_set(diag, VIGIL_ENOMEM, "out of memory creating the engine");
		return VIGIL_ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		const vigil_plugin_desc *d = entries[i]();
		/* Built-ins are compiled with this header, so a mismatch is a build bug. */
		if (!d || d->abi.magic != VIGIL_PLUGIN_MAGIC ||
		    d->abi.abi_major != VIGIL_PLUGIN_ABI_MAJOR || d->level < 1 ||
		    d->level > VG_LEVELS) {
			vigil_engine_free(e);
			diag_set(diag, VIGIL_EINTERNAL,
			         "a built-in validator has a bad descriptor");
			return VIGIL_EINTERNAL;
		}
		e->validators[e->validator_count++] = d;
	}
	/* Plugins: a plugin may not take a built-in validator's name. */
	const char **names = calloc(e->validator_count + 1, sizeof *names);
	for (size_t i = 0; names && i < e->validator_count; i++)
		names[i] = e->validators[i]->name;
	e->plugins = names ? vg_plugin_host_new(vg_host_table(), names, e->validator_count) : NULL;
	free(names);
	if (!e->plugins) {
		vigil_engine_free(e);
		diag_set(diag, VIGIL_ENOMEM, "out of memory creating the engine");
		return VIGIL_ENOMEM;
	}
	*out = e;
	return VIGIL_OK;
}

vg_plugin_host *vg_engine_plugin_host(const vigil_engine *engine)
{
	return engine->plugins;
}

void vigil_engine_free(vigil_engine *engine)
{
	if (!engine)
		return;
	vg_plugin_host_free(engine->plugins);
	free(engine->validators);
	free(engine->project_root);
	free(engine->baseline);
	free(engine);
}

/* Replaces *slot with a copy of `text` (NULL clears it). */
static int set_copy(char **slot, const char *text)
{
	char *copy = NULL;

	if (text) {
		size_t size = strlen(text) + 1;
		if (!(copy = malloc(size)))
			return VIGIL_ENOMEM;
		memcpy(copy, text, size);
	}
	free(*slot);
	*slot = copy;
	return VIGIL_OK;
}

int vigil_engine_set_project_root(vigil_engine *engine, const char *root)
{
	return engine ? set_copy(&engine->project_root, root) : VIGIL_EINVAL;
}

int vigil_engine_set_baseline(vigil_engine *engine, const char *path)
{
	return engine ? set_copy(&engine->baseline, path) : VIGIL_EINVAL;
}

int vigil_engine_set_fail_on(vigil_engine *engine, int severity)
{
	if (!engine || (severity != VIGIL_SEVERITY_ERROR && severity != VIGIL_SEVERITY_WARNING))
		return VIGIL_EINVAL;
	engine->fail_on_warning = severity == VIGIL_SEVERITY_WARNING;
	return VIGIL_OK;
}

/* ------------------------------------------------------------ reading */

static vg_code code_of_yaml_error(vg_yaml_error_kind kind)
{
	switch (kind) {
	case VG_YAML_EIO: return VG_UNREADABLE;
	case VG_YAML_ETOO_LARGE: return VG_TOO_LARGE;
	case VG_YAML_EENCODING: return VG_NOT_UTF8;
	case VG_YAML_EALIAS: return VG_YAML_ALIAS;
	case VG_YAML_EDEPTH: return VG_YAML_DEPTH;
	case VG_YAML_EEMPTY: return VG_EMPTY;
	case VG_YAML_EMULTI: return VG_MULTI_DOC;
	case VG_YAML_ESYNTAX:
	case VG_YAML_OK:
	case VG_YAML_ENOMEM: break;
	}
	return VG_YAML_SYNTAX;
}

static const char *hint_of_yaml_error(vg_yaml_error_kind kind)
{
	switch (kind) {
	case VG_YAML_EIO: return "check the path and its permissions";
	case VG_YAML_ETOO_LARGE:
		return "a blueprint this large is almost certainly not one; split it";
	case VG_YAML_EENCODING: return "save the file as UTF-8";
	case VG_YAML_ESYNTAX:
		return "fix the YAML at this position (indent with spaces, not tabs; quote values with ': ')";
	case VG_YAML_EALIAS: return "expand the aliases by hand, or use fewer nested aliases";
	case VG_YAML_EDEPTH: return "flatten the structure";
	case VG_YAML_EEMPTY: return "start from blueprints/examples/tasks_sqlite.yaml";
	case VG_YAML_EMULTI: return "keep one blueprint per file (remove the second '---')";
	case VG_YAML_OK:
	case VG_YAML_ENOMEM: break;
	}
	return NULL;
}

/* Records why the file could not be read as a blueprint: a level-1 finding, exit code 2. */
static int report_unreadable(vigil_check_ctx *ctx, vg_code code, const char *file, unsigned line,
                             unsigned column, const char *message, const char *hint)
{
	vigil_finding *f = vg_emit(ctx, code, NULL, "%s", message);
	if (!f)
		return VIGIL_ENOMEM;
	f->file = vg_arena_strdup(ctx->report->arena, file);
	f->line = line;
	f->column = column;
	if (hint)
		vg_hint(f, "%s", hint);
	ctx->report->exit_code = VIGIL_EXIT_USAGE;
	return VIGIL_OK;
}

/* ------------------------------------------------------------ running */

/* Why a level does not run (`*out` NULL: it runs). 0, or VIGIL_ENOMEM. */
static int level_skip_reason(const char **out, vigil_report *r, unsigned level, int readable,
                             const vigil_run_options *opt, int max_level, int earlier_failed,
                             size_t validator_count)
{
	*out = NULL;
	if (!readable)
		*out = "the blueprint could not be read";
	else if ((int)level > max_level)
		*out = vg_arena_printf(r->arena, "not requested (--max-level %d)", max_level);
	else if (earlier_failed && !opt->keep_going)
		*out = vg_arena_printf(r->arena,
		                       "level %u failed (use --keep-going to run it anyway)",
		                       (unsigned)earlier_failed);
	else if (validator_count == 0)
		*out = "not yet available: no validators for this level are installed";
	else
		return VIGIL_OK;
	return *out ? VIGIL_OK : VIGIL_ENOMEM;
}

static int run_check(vigil_check_ctx *ctx, const vigil_check_def *def)
{
	vg_check_rec *c = vg_report_add_check(ctx->report, ctx->level, def->name, NULL);
	if (!c)
		return VIGIL_ENOMEM;
	ctx->check = c;
	ctx->check_name = c->name;
	size_t errors_before = ctx->report->error_count;
	double t0 = vg_now_ms();
	int rc = def->run ? def->run(ctx, vg_host_table()) : -1;
	c->duration_ms = vg_now_ms() - t0;
	if (ctx->out_of_memory)
		return VIGIL_ENOMEM;
	if (rc != 0) {
		c->status = VIGIL_STATUS_ERROR;
		if (!c->reason)
			c->reason = "the check could not run";
	} else if (!c->status_set) {
		c->status = ctx->report->error_count > errors_before ? VIGIL_STATUS_FAILED
		                                                     : VIGIL_STATUS_PASSED;
	}
	ctx->check = NULL;
	return VIGIL_OK;
}

static int run_level(vigil_engine *e, vigil_check_ctx *ctx)
{
	vg_level_rec *lv = &ctx->report->levels[ctx->level - 1];
	double t0 = vg_now_ms();
	lv->status = VIGIL_STATUS_PASSED;
	for (size_t i = 0; i < e->validator_count; i++) {
		const vigil_plugin_desc *d = e->validators[i];
		if ((unsigned)d->level != ctx->level)
			continue;
		for (size_t k = 0; k < d->check_count; k++) {
			int rc = run_check(ctx, &d->checks[k]);
			if (rc != VIGIL_OK)
				return rc;
		}
	}
	if (ctx->level == 3 && ctx->blueprint) {
		/* The database check plugins, per database (plugin_host.c). */
		int rc = vg_plugin_host_level3(e->plugins, ctx);
		if (rc != VIGIL_OK)
			return rc;
	}
	int rc = vg_level_settle(ctx->report, ctx->level);
	lv->duration_ms = vg_now_ms() - t0;
	return rc;
}

static size_t validators_at(const vigil_engine *e, unsigned level)
{
	size_t n = 0;
	for (size_t i = 0; i < e->validator_count; i++)
		n += (unsigned)e->validators[i]->level == level;
	return n;
}

/* The healing part of the options; version 1 callers have none (healing off). */
static vg_heal_settings heal_settings(const vigil_run_options *opt)
{
	vg_heal_settings s = { VIGIL_HEAL_OFF, 0, VIGIL_HEAL_ROUNDS_DEFAULT, ".", NULL };
	if (opt->version < 2)
		return s;
	s.mode = opt->heal;
	s.allow_destructive = opt->allow_destructive != 0;
	if (opt->heal_rounds > 0)
		s.rounds = opt->heal_rounds;
	if (opt->heal_dir && *opt->heal_dir)
		s.dir = opt->heal_dir;
	return s;
}

static int run_levels(vigil_engine *e, vigil_check_ctx *ctx, const vigil_run_options *opt,
                      int readable, const vg_blueprint_source *source)
{
	vg_heal_settings heal = heal_settings(opt);
	heal.interrupted = e->interrupted;
	int max_level = opt->max_level > 0 && opt->max_level < VG_LEVELS ? opt->max_level
	                                                                 : VG_LEVELS;
	unsigned failed_level = 0;
	int blueprint_healed = 0;
	for (unsigned level = 1; level <= VG_LEVELS; level++) {
		vg_level_rec *lv = &ctx->report->levels[level - 1];
		/* Blueprint healing: levels 1–2 settled (run or skipped), before level 3. With apply
		 * and a healed text, everything runs again from level 1 on it (heal_blueprint.c). */
		if (level == 3 && !blueprint_healed && heal.mode != VIGIL_HEAL_OFF && readable &&
		    ctx->root && source->text && vg_heal_blueprint_wanted(ctx->report)) {
			blueprint_healed = 1;
			int restart = 0;
			double t0 = vg_now_ms();
			int rc = vg_heal_blueprint(ctx, source, &heal, &restart);
			ctx->report->levels[0].duration_ms += vg_now_ms() - t0;
			if (rc != VIGIL_OK)
				return rc;
			if (restart) {
				failed_level = 0;
				level = 0; /* the loop's increment makes it level 1 */
				continue;
			}
		}
		const char *skip;
		if (level_skip_reason(&skip, ctx->report, level, readable, opt, max_level,
		                      (int)failed_level, validators_at(e, level)) != VIGIL_OK)
			return VIGIL_ENOMEM;
		if (level == 1 && !readable) {
			lv->status =
			        VIGIL_STATUS_FAILED; /* the reading itself is level 1's verdict */
			continue;
		}
		if (skip) {
			lv->status = VIGIL_STATUS_SKIPPED;
			lv->reason = skip;
			lv->on_request = readable && (int)level > max_level;
			continue;
		}
		ctx->level = level;
		int rc = run_level(e, ctx);
		if (rc != VIGIL_OK)
			return rc;
		/* Healing: after a failed level 3, plan or apply, then check again (heal.c). */
		if (level == 3 && heal.mode != VIGIL_HEAL_OFF &&
		    lv->status != VIGIL_STATUS_PASSED && ctx->blueprint) {
			double t0 = vg_now_ms();
			rc = vg_heal_level3(e->plugins, ctx, &heal);
			lv->duration_ms += vg_now_ms() - t0;
			if (rc != VIGIL_OK)
				return rc;
		}
		if (lv->status != VIGIL_STATUS_PASSED && !failed_level)
			failed_level = level;
	}
	return VIGIL_OK;
}

static void finish(vigil_report *r, double t0)
{
	vg_report_finish(r);
	vg_verdict_settle(r); /* the exit code follows the findings (verdict.h) */
	r->duration_ms = vg_now_ms() - t0;
}

/* Reads, builds and validates; `data` NULL means "read `name` from disk". */
static int validate(vigil_report **out, vigil_engine *engine, const char *name, const char *data,
                    size_t length, const vigil_run_options *options, vigil_diag *diag)
{
	if (!out || !engine || !name) {
		diag_set(diag, VIGIL_EINVAL, "vigil_validate: out, engine and path are required");
		return VIGIL_EINVAL;
	}
	*out = NULL;
	vigil_run_options defaults = VIGIL_RUN_OPTIONS_INIT;
	const vigil_run_options *opt = options ? options : &defaults;
	if (opt->version < 1 || opt->version > VIGIL_RUN_OPTIONS_VERSION || opt->max_level < 0 ||
	    opt->max_level > VG_LEVELS) {
		diag_set(diag, VIGIL_EINVAL,
		         "vigil_validate: bad run options (version or max_level)");
		return VIGIL_EINVAL;
	}
	if (opt->version >= 2 && (opt->heal < VIGIL_HEAL_OFF || opt->heal > VIGIL_HEAL_APPLY ||
	                          opt->heal_rounds > 100)) {
		diag_set(diag, VIGIL_EINVAL,
		         "vigil_validate: bad run options (heal must be off, plan or apply; "
		         "heal_rounds at most 100)");
		return VIGIL_EINVAL;
	}

	double t0 = vg_now_ms();
	vigil_report *r = vg_report_new(name);
	vg_arena *arena = vg_arena_new();
	char *owned = NULL;
	int rc = r && arena ? VIGIL_OK : VIGIL_ENOMEM;
	vigil_check_ctx ctx = { .report = r,
		                .level = 1,
		                .offline = vg_plugin_host_offline(engine->plugins) };
	int readable = 0;
	double read_t0 = vg_now_ms();

	/* Reading is level 1's first check, so its failure is reported like any other. */
	if (rc == VIGIL_OK) {
		ctx.check = vg_report_add_check(r, 1, "structure.read", NULL);
		ctx.check_name = "structure.read";
		if (!ctx.check)
			rc = VIGIL_ENOMEM;
	}
	if (rc == VIGIL_OK) {
		vg_yaml_error yerr = { 0 };
		const vg_node *root = NULL;
		if (!data && vg_yaml_read_file(&owned, &length, name, &yerr) != 0) {
			if (yerr.kind == VG_YAML_ENOMEM)
				rc = VIGIL_ENOMEM;
		} else {
			root = vg_yaml_parse(arena, name, data ? data : owned, length, &yerr);
			if (!root && yerr.kind == VG_YAML_ENOMEM)
				rc = VIGIL_ENOMEM;
		}
		if (rc == VIGIL_OK && !root) {
			rc = report_unreadable(&ctx, code_of_yaml_error(yerr.kind), name, yerr.line,
			                       yerr.column, yerr.message,
			                       hint_of_yaml_error(yerr.kind));
		} else if (rc == VIGIL_OK && root->kind != VG_NODE_MAP) {
			char message[128];
			snprintf(message, sizeof message,
			         "the top level of the blueprint is a %s, not a mapping of keys",
			         vg_node_describe(root));
			rc = report_unreadable(
			        &ctx, VG_ROOT_NOT_MAP, name, root->line, root->column, message,
			        "a blueprint starts with `schema_version:` and `system:`");
		} else if (rc == VIGIL_OK) {
			ctx.root = root;
			ctx.blueprint = vg_blueprint_build(arena, name, root, NULL);
			if (!ctx.blueprint)
				rc = VIGIL_ENOMEM;
			else if (ctx.blueprint->name)
				r->system_name = vg_arena_strdup(r->arena, ctx.blueprint->name);
			readable = 1;
		}
	}
	double read_ms = 0;
	if (rc == VIGIL_OK) {
		vg_check_rec *read_check = &r->levels[0].checks[0];
		read_ms = vg_now_ms() - read_t0;
		read_check->duration_ms = read_ms;
		read_check->status = readable ? VIGIL_STATUS_PASSED : VIGIL_STATUS_FAILED;
		ctx.check = NULL;
		/* After the read check, which stays level 1's first. */
		rc = vg_accept_begin(r, engine->project_root, engine->fail_on_warning,
		                     engine->baseline);
	}
	if (rc == VIGIL_OK) {
		vg_blueprint_source source = { arena, name, data ? data : owned, length };
		rc = run_levels(engine, &ctx, opt, readable, &source);
		r->levels[0].duration_ms += read_ms;
	}
	/* Plugins that could not be loaded are recorded with their findings (plugin_host.c);
	 * then every failure gets its finding and every database finding its place in the
	 * blueprint, while the blueprint lives (verdict.c). */
	if (rc == VIGIL_OK)
		rc = vg_plugin_host_finish(engine->plugins, r);
	if (rc == VIGIL_OK)
		rc = vg_verdict_complete(r, ctx.blueprint);
	free(owned); /* the text lives until the run ends: blueprint healing edits it */
	vg_arena_free(arena);
	if (rc != VIGIL_OK) {
		vigil_report_free(r);
		diag_set(diag, rc,
		         rc == VIGIL_ENOMEM ? "out of memory during validation"
		                            : "validation could not complete");
		return rc;
	}
	finish(r, t0);
	/* uri and fingerprint, once the order is final (report_locate.c). */
	if (vg_report_locate(r) != VIGIL_OK) {
		vigil_report_free(r);
		diag_set(diag, VIGIL_ENOMEM, "out of memory during validation");
		return VIGIL_ENOMEM;
	}
	*out = r;
	return VIGIL_OK;
}

int vigil_validate_file(vigil_report **out, vigil_engine *engine, const char *path,
                        const vigil_run_options *options, vigil_diag *diag)
{
	return validate(out, engine, path, NULL, 0, options, diag);
}

int vigil_validate_buffer(vigil_report **out, vigil_engine *engine, const char *name,
                          const char *data, size_t length, const vigil_run_options *options,
                          vigil_diag *diag)
{
	if (!data) {
		diag_set(diag, VIGIL_EINVAL, "vigil_validate_buffer: data is NULL");
		return VIGIL_EINVAL;
	}
	return validate(out, engine, name, data, length, options, diag);
}
