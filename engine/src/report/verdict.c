/*
 * verdict.c — the run's verdict (docs/exit-codes.md): a finding behind every failure, every
 * database finding placed in the blueprint, and the exit code with its reason.
 */
#include <string.h>

#include "verdict.h"

/* Error findings that say vigil could not check (exit 3), not what it found about the system:
 * the database could not be reached or refused the user, or a check could not do its work. */
static const char *const could_not_check_codes[] = {
	"VG501", "VG502", "VG503", "VG504", "VG505", "VG506", "VG507", "VG508",
	"VG510", "VG541", "VG553", "VG600", "VG601", "VG602", "VG603", "VG604",
	"VG605", "VG606", "VG607", "VG608", "VG609", "VG610", "VG611", "VG612",
};

/* Error findings that say the run was asked for something it cannot do (exit 2). */
static const char *const usage_codes[] = { "VG613" };

static int code_in(const char *code, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(code, list[i]) == 0)
			return 1;
	return 0;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* ------------------------------------------------------------ a finding behind every failure */

/* A finding that fails the run: an error, or a warning under --fail-on warning, not accepted
 * (baseline, x-vigil-ignore: report_accept.h). */
static int counts(const vigil_report *r, const vigil_finding *f)
{
	return !f->accepted && (f->severity == VIGIL_SEVERITY_ERROR ||
	                        (r->fail_on_warning && f->severity == VIGIL_SEVERITY_WARNING));
}

static int has_error_finding(const vigil_report *r, unsigned level, const vg_check_rec *c)
{
	for (size_t i = 0; i < r->finding_count; i++) {
		const vigil_finding *f = r->findings[i];
		if (counts(r, f) && f->level == level &&
		    (!c ||
		     (same(f->check, c->name) && (!c->database || same(f->database, c->database)))))
			return 1;
	}
	return 0;
}

/* A skipped check is explained when another check of its database (its dependency) failed:
 * that check carries the finding. */
static int skip_explained(const vg_level_rec *lv, const vg_check_rec *c)
{
	for (size_t i = 0; i < lv->check_count; i++) {
		const vg_check_rec *o = &lv->checks[i];
		if (o != c && same(o->database, c->database) &&
		    (o->status == VIGIL_STATUS_FAILED || o->status == VIGIL_STATUS_ERROR))
			return 1;
	}
	return 0;
}

static int add_missing(vigil_report *r, unsigned level, vg_check_rec *c, vg_code code,
                       const char *message)
{
	vigil_finding *f = vg_report_add_finding(r, level, c ? c->name : NULL,
	                                         vg_code_info(code)->code, VIGIL_SEVERITY_ERROR,
	                                         message);
	if (!f)
		return VIGIL_ENOMEM;
	if (c) {
		f->database = c->database;
		c->finding_count++;
	}
	return VIGIL_OK;
}

static int complete_findings(vigil_report *r)
{
	for (unsigned level = 1; level <= VG_LEVELS; level++) {
		vg_level_rec *lv = &r->levels[level - 1];
		for (size_t i = 0; i < lv->check_count; i++) {
			vg_check_rec *c = &lv->checks[i];
			int rc = VIGIL_OK;
			const char *why = c->reason ? c->reason : "no reason given";
			if ((c->status == VIGIL_STATUS_FAILED || c->status == VIGIL_STATUS_ERROR) &&
			    !has_error_finding(r, level, c))
				rc = add_missing(r, level, c, VG_RUN_SILENT_FAILURE, why);
			else if (c->status == VIGIL_STATUS_SKIPPED && !c->on_request &&
			         !skip_explained(lv, c))
				rc = add_missing(r, level, c, VG_RUN_NOT_CHECKED,
				                 vg_arena_printf(r->arena, "not checked: %s", why));
			if (rc != VIGIL_OK)
				return rc;
		}
		if ((lv->status == VIGIL_STATUS_FAILED || lv->status == VIGIL_STATUS_ERROR) &&
		    !has_error_finding(r, level, NULL)) {
			const char *why =
			        vg_arena_printf(r->arena, "level %u (%s) %s: %s", level, lv->name,
			                        vigil_status_name(lv->status),
			                        lv->reason ? lv->reason : "no reason given");
			if (!why ||
			    add_missing(r, level, NULL, VG_RUN_SILENT_FAILURE, why) != VIGIL_OK)
				return VIGIL_ENOMEM;
		}
	}
	return VIGIL_OK;
}

/* ------------------------------------------------------------ locations */

static const vg_node *table_object_node(const vg_table *t, const char *rest)
{
	if (!rest)
		return t->node;
	for (size_t i = 0; i < t->column_count; i++)
		if (t->columns[i].name && strcmp(t->columns[i].name, rest) == 0)
			return t->columns[i].node;
	for (size_t i = 0; i < t->index_count; i++)
		if (t->indexes[i].name && strcmp(t->indexes[i].name, rest) == 0)
			return t->indexes[i].node;
	for (size_t i = 0; i < t->foreign_key_count; i++)
		if (t->foreign_keys[i].name && strcmp(t->foreign_keys[i].name, rest) == 0)
			return t->foreign_keys[i].node;
	return t->node;
}

/* The object a finding names ("table" or "table.part"), when the blueprint declares it. */
static const vg_node *object_node(const vg_database *db, const char *object)
{
	if (!object)
		return NULL;
	const char *dot = strchr(object, '.');
	size_t n = dot ? (size_t)(dot - object) : strlen(object);
	for (size_t i = 0; i < db->table_count; i++) {
		const vg_table *t = &db->tables[i];
		if (t->name && strlen(t->name) == n && strncmp(t->name, object, n) == 0)
			return table_object_node(t, dot ? dot + 1 : NULL);
	}
	return NULL;
}

/* Where in the blueprint a finding about `db` belongs: its object, the setting its check
 * reads, else the database's declaration (its url: line). */
static const vg_node *database_node(const vg_database *db, const vigil_finding *f)
{
	const vg_node *at = NULL;
	if (f->check && strncmp(f->check, "permissions", 11) == 0)
		at = db->permissions.node;
	else if (f->check && strncmp(f->check, "benchmark", 9) == 0)
		at = db->benchmark.node;
	if (!at)
		at = object_node(db, f->object);
	if (!at)
		at = db->url_node ? db->url_node : db->node;
	return at;
}

static int place_findings(vigil_report *r, const vg_blueprint *bp)
{
	for (size_t i = 0; i < r->finding_count; i++) {
		vigil_finding *f = r->findings[i];
		if ((f->file && f->line > 0) || !f->database)
			continue;
		const vg_database *db = vg_blueprint_database(bp, f->database);
		const vg_node *at = db ? database_node(db, f) : NULL;
		if (!at)
			continue;
		f->file = vg_report_file(r, at->file);
		if (!f->file)
			return VIGIL_ENOMEM;
		f->line = at->line;
		f->column = at->column;
	}
	return VIGIL_OK;
}

int vg_verdict_complete(vigil_report *r, const vg_blueprint *bp)
{
	int rc = complete_findings(r);
	if (rc == VIGIL_OK && bp)
		rc = place_findings(r, bp);
	return rc;
}

/* ------------------------------------------------------------ exit code and reason */

void vg_verdict_settle(vigil_report *r)
{
	if (r->exit_code == VIGIL_EXIT_USAGE || r->exit_code == VIGIL_EXIT_INTERNAL)
		return; /* decided before: an unreadable blueprint, or vigil's own failure */
	int usage = 0, not_checked = 0, found = 0;
	for (size_t i = 0; i < r->finding_count; i++) {
		const vigil_finding *f = r->findings[i];
		if (!counts(r, f))
			continue;
		if (code_in(f->code, usage_codes, sizeof usage_codes / sizeof *usage_codes))
			usage = 1;
		else if (code_in(f->code, could_not_check_codes,
		                 sizeof could_not_check_codes / sizeof *could_not_check_codes))
			not_checked = 1;
		else
			found = 1;
	}
	r->exit_code = usage         ? VIGIL_EXIT_USAGE
	               : not_checked ? VIGIL_EXIT_NOT_CHECKED
	               : found       ? VIGIL_EXIT_FAIL
	                             : VIGIL_EXIT_PASS;
}

const char *vigil_exit_reason_name(int exit_code)
{
	switch (exit_code) {
	case VIGIL_EXIT_PASS: return "passed";
	case VIGIL_EXIT_FAIL: return "findings";
	case VIGIL_EXIT_USAGE: return "usage_error";
	case VIGIL_EXIT_NOT_CHECKED: return "could_not_check";
	case VIGIL_EXIT_INTERNAL: return "internal_error";
	}
	return "internal_error";
}

const char *vigil_report_exit_reason(const vigil_report *report)
{
	if (!report)
		return vigil_exit_reason_name(VIGIL_EXIT_INTERNAL);
	if (report->exit_code == VIGIL_EXIT_USAGE &&
	    report->levels[0].status == VIGIL_STATUS_FAILED && report->levels[0].check_count > 0 &&
	    report->levels[0].checks[0].status == VIGIL_STATUS_FAILED)
		return "unreadable_blueprint";
	return vigil_exit_reason_name(report->exit_code);
}
