/* migrate_file.c — the public vigil_migrate_file: levels 1-2 of the blueprint through the
 * engine, then each database's migrations (db/migrate.c) with the engine's plugins. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "migrate.h"
#include "plugin_host.h"
#include "run.h"

static void diag_set(vigil_diag *diag, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void diag_set(vigil_diag *diag, int code, const char *fmt, ...)
{
	if (!diag)
		return;
	memset(diag, 0, sizeof *diag);
	diag->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(diag->message, sizeof diag->message, fmt, ap);
	va_end(ap);
}

/* Levels 1–2 of the blueprint: VIGIL_OK when they have no error, VIGIL_EBLUEPRINT (diag:
 * how many, and the first one with its location) when they do or it cannot be read. */
static int check_blueprint(vigil_report **validation, vigil_engine *engine, const char *path,
                           vigil_diag *diag)
{
	vigil_run_options options = VIGIL_RUN_OPTIONS_INIT;
	options.max_level = 2;
	vigil_report *report = NULL;
	int rc = vigil_validate_file(&report, engine, path, &options, diag);
	if (rc != VIGIL_OK)
		return rc;
	size_t errors = 0;
	const vigil_finding *first = NULL;
	for (size_t i = 0; i < vigil_report_finding_count(report); i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		if (vigil_finding_severity(f) == VIGIL_SEVERITY_ERROR &&
		    vigil_finding_level(f) <= 2) {
			if (!first)
				first = f;
			errors++;
		}
	}
	int unreadable = vigil_report_exit_code(report) == VIGIL_EXIT_USAGE;
	if (errors || unreadable) {
		rc = VIGIL_EBLUEPRINT;
		if (first) {
			diag_set(
			        diag, rc,
			        "%zu error%s at levels 1-2 (%s %s): fix %s first "
			        "('vigil validate --max-level 2 %s' lists %s); nothing was migrated",
			        errors, errors == 1 ? "" : "s", vigil_finding_code(first),
			        vigil_finding_message(first), errors == 1 ? "it" : "them", path,
			        errors == 1 ? "it" : "them");
			if (vigil_finding_file(first)) {
				snprintf(diag->file, sizeof diag->file, "%s",
				         vigil_finding_file(first));
				diag->line = vigil_finding_line(first);
				diag->column = vigil_finding_column(first);
			}
		} else {
			diag_set(diag, rc, "%s cannot be read as a blueprint; nothing was migrated",
			         path);
		}
	}
	if (validation)
		*validation = report;
	else
		vigil_report_free(report);
	return rc;
}

/* "main, audit" — the databases a blueprint names, for an unknown --database. */
static const char *database_names(vg_arena *arena, const vg_blueprint *bp)
{
	const char *list = "";
	for (size_t i = 0; list && i < bp->database_count; i++)
		list = vg_arena_printf(arena, "%s%s%s", list, i ? ", " : "",
		                       bp->databases[i].name ? bp->databases[i].name : "?");
	return list;
}

int vigil_migrate_file(vigil_report **validation, vigil_engine *engine, const char *path,
                       const char *database, unsigned flags, vigil_migrate_event_fn fn,
                       void *payload, vigil_diag *diag)
{
	if (validation)
		*validation = NULL;
	if (!engine || !path) {
		diag_set(diag, VIGIL_EINVAL, "vigil_migrate_file: engine and path are required");
		return VIGIL_EINVAL;
	}
	if (flags & ~(unsigned)VIGIL_MIGRATE_DRY_RUN) {
		diag_set(diag, VIGIL_EINVAL, "vigil_migrate_file: unknown flags 0x%x",
		         flags & ~(unsigned)VIGIL_MIGRATE_DRY_RUN);
		return VIGIL_EINVAL;
	}
	int rc = check_blueprint(validation, engine, path, diag);
	if (rc != VIGIL_OK)
		return rc;

	/* Levels 1-2 read it already; read it again for the model (cheap next to a database). */
	vg_arena *arena = vg_arena_new();
	char *text = NULL;
	size_t length = 0;
	vg_yaml_error yerr;
	memset(&yerr, 0, sizeof yerr);
	const vg_node *root = NULL;
	const vg_blueprint *bp = NULL;
	if (!arena) {
		rc = VIGIL_ENOMEM;
	} else if (vg_yaml_read_file(&text, &length, path, &yerr) != 0 ||
	           !(root = vg_yaml_parse(arena, path, text, length, &yerr))) {
		rc = yerr.kind == VG_YAML_ENOMEM ? VIGIL_ENOMEM : VIGIL_EBLUEPRINT;
		if (rc == VIGIL_EBLUEPRINT) /* it changed under us since levels 1-2 */
			diag_set(diag, rc, "%s: %s", path, yerr.message);
	} else if (!(bp = vg_blueprint_build(arena, path, root, NULL))) {
		rc = VIGIL_ENOMEM;
	}
	free(text);

	if (rc == VIGIL_OK && database && !vg_blueprint_database(bp, database)) {
		const char *names = database_names(arena, bp);
		rc = VIGIL_EINVAL;
		diag_set(diag, rc, "%s has no database named '%s' (%s%s)", path, database,
		         bp->database_count ? "it has: " : "it declares no database",
		         names ? names : "");
	}

	vg_plugins *plugins = vg_plugin_host_plugins(vg_engine_plugin_host(engine));
	unsigned deadline_ms = vg_plugin_host_timeout(vg_engine_plugin_host(engine));
	int worst = VIGIL_OK;
	char first_problem[sizeof diag->message];
	first_problem[0] = '\0';
	for (size_t i = 0; rc == VIGIL_OK && i < bp->database_count; i++) {
		const vg_database *db = &bp->databases[i];
		if (database ? !db->name || strcmp(db->name, database) != 0
		             : db->migration_count == 0)
			continue;
		if (db->migration_count == 0) { /* named with --database, but nothing to do */
			if (fn) {
				vigil_migrate_event ev;
				memset(&ev, 0, sizeof ev);
				ev.version = VIGIL_MIGRATE_EVENT_VERSION;
				ev.database = db->name;
				ev.database_type = vg_db_type_name(db->type);
				ev.outcome = VIGIL_MIGRATE_SKIPPED;
				ev.message = "declares no migrations: nothing to do";
				fn(&ev, payload);
			}
			continue;
		}
		int one = vg_migrate_database(plugins, db, deadline_ms, flags, fn, payload,
		                              first_problem, sizeof first_problem);
		if (one == VIGIL_ENOMEM)
			rc = one;
		else if (one == VIGIL_EPLUGIN || one == VIGIL_EUNREACHABLE)
			worst = worst == VIGIL_EPLUGIN ? worst
			                               : one; /* could not migrate: exit 3 */
		else if (one == VIGIL_EMIGRATION && worst == VIGIL_OK)
			worst = one;
	}
	vg_arena_free(arena);
	if (rc == VIGIL_ENOMEM)
		diag_set(diag, rc, "out of memory while migrating");
	if (rc != VIGIL_OK)
		return rc;
	if (worst != VIGIL_OK)
		diag_set(diag, worst, "%s",
		         first_problem[0] ? first_problem : vigil_strerror(worst));
	return worst;
}
