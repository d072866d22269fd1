/* report.c — the result tree of a run: levels, checks, findings; and its public getters. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_locate.h"
#include "run.h"

static const char *const level_names[VG_LEVELS] = { "structure", "components", "integration",
	                                            "semantics" };

vigil_report *vg_report_new(const char *path)
{
	vigil_report *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->arena = vg_arena_new();
	if (!r->arena) {
		free(r);
		return NULL;
	}
	r->path = vg_arena_strdup(r->arena, path ? path : "");
	for (unsigned i = 0; i < VG_LEVELS; i++) {
		r->levels[i].name = level_names[i];
		r->levels[i].status = VIGIL_STATUS_SKIPPED;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(r->started_at, sizeof r->started_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!r->path) {
		vigil_report_free(r);
		return NULL;
	}
	return r;
}

void vigil_report_free(vigil_report *report)
{
	if (!report)
		return;
	for (unsigned i = 0; i < VG_LEVELS; i++)
		free(report->levels[i].checks);
	free(report->findings);
	vg_arena_free(report->arena);
	free(report);
}

vg_check_rec *vg_report_add_check(vigil_report *report, unsigned level, const char *name,
                                  const char *database)
{
	if (level < 1 || level > VG_LEVELS)
		return NULL;
	vg_level_rec *lv = &report->levels[level - 1];
	if (lv->check_count == lv->check_cap) {
		size_t cap = lv->check_cap ? lv->check_cap * 2 : 8;
		vg_check_rec *checks = realloc(lv->checks, cap * sizeof *checks);
		if (!checks)
			return NULL;
		lv->checks = checks;
		lv->check_cap = cap;
	}
	vg_check_rec *c = &lv->checks[lv->check_count];
	memset(c, 0, sizeof *c);
	c->name = vg_arena_strdup(report->arena, name);
	c->database = database ? vg_arena_strdup(report->arena, database) : NULL;
	c->status = VIGIL_STATUS_PASSED;
	if (!c->name || (database && !c->database))
		return NULL;
	lv->check_count++;
	return c;
}

vigil_finding *vg_report_add_finding(vigil_report *report, unsigned level, const char *check,
                                     const char *code, vigil_severity severity, const char *message)
{
	if (report->finding_count == report->finding_cap) {
		size_t cap = report->finding_cap ? report->finding_cap * 2 : 32;
		vigil_finding **findings = realloc(report->findings, cap * sizeof *findings);
		if (!findings)
			return NULL;
		report->findings = findings;
		report->finding_cap = cap;
	}
	vigil_finding *f = vg_arena_alloc(report->arena, sizeof *f);
	if (!f)
		return NULL;
	f->arena = report->arena;
	f->code = vg_arena_strdup(report->arena, code);
	f->severity = severity;
	f->level = level;
	f->check = check ? vg_arena_strdup(report->arena, check) : NULL;
	f->message = vg_arena_strdup(report->arena, message ? message : "");
	f->info = vigil_code_find(code);
	f->rule = f->info ? f->info->rule : NULL;
	f->seq = report->finding_count;
	if (!f->code || !f->message)
		return NULL;
	report->findings[report->finding_count++] = f;
	report->error_count += severity == VIGIL_SEVERITY_ERROR;
	return f;
}

/* ------------------------------------------------------------------ emitting */

const char *vg_report_file(vigil_report *report, const char *file)
{
	if (file != report->file_source || !report->file_copy) {
		report->file_copy = vg_arena_strdup(report->arena, file);
		report->file_source = file;
	}
	return report->file_copy;
}

vigil_finding *vg_emitv(vigil_check_ctx *ctx, vg_code code, vigil_severity severity,
                        const vg_node *at, const char *fmt, va_list ap)
{
	const vigil_code_info *info = vg_code_info(code);
	char *message = vg_arena_vprintf(ctx->report->arena, fmt, ap);
	vigil_finding *f = info && message
	                           ? vg_report_add_finding(ctx->report, ctx->level, ctx->check_name,
	                                                   info->code, severity, message)
	                           : NULL;
	if (!f) {
		ctx->out_of_memory = 1;
		return NULL;
	}
	if (at) {
		f->file = vg_report_file(ctx->report, at->file);
		f->line = at->line;
		f->column = at->column;
	}
	if (ctx->database)
		f->database = vg_arena_strdup(ctx->report->arena, ctx->database->name);
	if (ctx->check)
		ctx->check->finding_count++;
	return f;
}

vigil_finding *vg_emit(vigil_check_ctx *ctx, vg_code code, const vg_node *at, const char *fmt, ...)
{
	const vigil_code_info *info = vg_code_info(code);
	va_list ap;
	va_start(ap, fmt);
	vigil_finding *f =
	        vg_emitv(ctx, code, info ? info->severity : VIGIL_SEVERITY_ERROR, at, fmt, ap);
	va_end(ap);
	return f;
}

vigil_finding *vg_emit_severity(vigil_check_ctx *ctx, vg_code code, vigil_severity severity,
                                const vg_node *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vigil_finding *f = vg_emitv(ctx, code, severity, at, fmt, ap);
	va_end(ap);
	return f;
}

void vg_detail(vigil_finding *f, const char *fmt, ...)
{
	if (!f)
		return;
	va_list ap;
	va_start(ap, fmt);
	f->detail = vg_arena_vprintf(f->arena, fmt, ap);
	va_end(ap);
}

void vg_hint(vigil_finding *f, const char *fmt, ...)
{
	if (!f)
		return;
	va_list ap;
	va_start(ap, fmt);
	f->hint = vg_arena_vprintf(f->arena, fmt, ap);
	va_end(ap);
}

void vg_object(vigil_finding *f, const char *database, const char *object)
{
	if (!f)
		return;
	if (database)
		f->database = vg_arena_strdup(f->arena, database);
	f->object = object ? vg_arena_strdup(f->arena, object) : NULL;
}

void vg_evidence(vigil_finding *f, const char *expected, const char *actual)
{
	if (!f)
		return;
	f->expected = expected ? vg_arena_strdup(f->arena, expected) : NULL;
	f->actual = actual ? vg_arena_strdup(f->arena, actual) : NULL;
}

/* ------------------------------------------------------------------ ordering */

static int cmp_str(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}

/* Level, position in the blueprint, database, code, object: stable across runs. */
int vg_finding_order(const void *pa, const void *pb)
{
	const vigil_finding *a = *(const vigil_finding *const *)pa;
	const vigil_finding *b = *(const vigil_finding *const *)pb;
	int c;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if ((c = cmp_str(a->file, b->file)) != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if ((c = cmp_str(a->database, b->database)) != 0)
		return c;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if ((c = cmp_str(a->object, b->object)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void vg_report_finish(vigil_report *report)
{
	if (report->finding_count > 1)
		qsort(report->findings, report->finding_count, sizeof *report->findings,
		      vg_finding_order);
}

/* ------------------------------------------------------------------ getters */

int vigil_report_exit_code(const vigil_report *report)
{
	return report ? report->exit_code : VIGIL_EXIT_INTERNAL;
}

int vigil_report_passed(const vigil_report *report)
{
	return report && report->exit_code == VIGIL_EXIT_PASS;
}

const char *vigil_report_blueprint_path(const vigil_report *report)
{
	return report ? report->path : NULL;
}

const char *vigil_report_system_name(const vigil_report *report)
{
	return report ? report->system_name : NULL;
}

double vigil_report_duration_ms(const vigil_report *report)
{
	return report ? report->duration_ms : 0;
}

const char *vigil_report_started_at(const vigil_report *report)
{
	return report ? report->started_at : NULL;
}

unsigned vigil_report_level_count(const vigil_report *report)
{
	(void)report;
	return VG_LEVELS;
}

static const vg_level_rec *level_of(const vigil_report *report, unsigned level)
{
	return report && level >= 1 && level <= VG_LEVELS ? &report->levels[level - 1] : NULL;
}

const char *vigil_report_level_name(const vigil_report *report, unsigned level)
{
	const vg_level_rec *lv = level_of(report, level);
	return lv ? lv->name : NULL;
}

vigil_status vigil_report_level_status(const vigil_report *report, unsigned level)
{
	const vg_level_rec *lv = level_of(report, level);
	return lv ? lv->status : VIGIL_STATUS_SKIPPED;
}

const char *vigil_report_level_reason(const vigil_report *report, unsigned level)
{
	const vg_level_rec *lv = level_of(report, level);
	return lv ? lv->reason : NULL;
}

double vigil_report_level_duration_ms(const vigil_report *report, unsigned level)
{
	const vg_level_rec *lv = level_of(report, level);
	return lv ? lv->duration_ms : 0;
}

int vigil_report_level_on_request(const vigil_report *report, unsigned level)
{
	const vg_level_rec *lv = level_of(report, level);
	return lv ? lv->on_request : 0;
}

size_t vigil_report_check_count(const vigil_report *report, unsigned level)
{
	const vg_level_rec *lv = level_of(report, level);
	return lv ? lv->check_count : 0;
}

static const vg_check_rec *check_of(const vigil_report *report, unsigned level, size_t i)
{
	const vg_level_rec *lv = level_of(report, level);
	return lv && i < lv->check_count ? &lv->checks[i] : NULL;
}

const char *vigil_report_check_name(const vigil_report *report, unsigned level, size_t i)
{
	const vg_check_rec *c = check_of(report, level, i);
	return c ? c->name : NULL;
}

const char *vigil_report_check_database(const vigil_report *report, unsigned level, size_t i)
{
	const vg_check_rec *c = check_of(report, level, i);
	return c ? c->database : NULL;
}

vigil_status vigil_report_check_status(const vigil_report *report, unsigned level, size_t i)
{
	const vg_check_rec *c = check_of(report, level, i);
	return c ? c->status : VIGIL_STATUS_SKIPPED;
}

const char *vigil_report_check_reason(const vigil_report *report, unsigned level, size_t i)
{
	const vg_check_rec *c = check_of(report, level, i);
	return c ? c->reason : NULL;
}

double vigil_report_check_duration_ms(const vigil_report *report, unsigned level, size_t i)
{
	const vg_check_rec *c = check_of(report, level, i);
	return c ? c->duration_ms : 0;
}

size_t vigil_report_check_finding_count(const vigil_report *report, unsigned level, size_t i)
{
	const vg_check_rec *c = check_of(report, level, i);
	return c ? c->finding_count : 0;
}

int vigil_report_check_on_request(const vigil_report *report, unsigned level, size_t i)
{
	const vg_check_rec *c = check_of(report, level, i);
	return c ? c->on_request : 0;
}

size_t vigil_report_finding_count(const vigil_report *report)
{
	return report ? report->finding_count : 0;
}

const vigil_finding *vigil_report_finding(const vigil_report *report, size_t i)
{
	return report && i < report->finding_count ? report->findings[i] : NULL;
}

size_t vigil_report_count_severity(const vigil_report *report, vigil_severity severity)
{
	size_t n = 0;
	for (size_t i = 0; report && i < report->finding_count; i++)
		n += report->findings[i]->severity == severity && !report->findings[i]->accepted;
	return n;
}

const char *vigil_finding_code(const vigil_finding *f)
{
	return f ? f->code : NULL;
}
const char *vigil_finding_rule(const vigil_finding *f)
{
	return f ? f->rule : NULL;
}
vigil_severity vigil_finding_severity(const vigil_finding *f)
{
	return f ? f->severity : VIGIL_SEVERITY_ERROR;
}
unsigned vigil_finding_level(const vigil_finding *f)
{
	return f ? f->level : 0;
}
const char *vigil_finding_check(const vigil_finding *f)
{
	return f ? f->check : NULL;
}
const char *vigil_finding_message(const vigil_finding *f)
{
	return f ? f->message : NULL;
}
#define VG_FINDING_TEXT(name)                                    \
	const char *vigil_finding_##name(const vigil_finding *f) \
	{                                                        \
		return f ? f->name : NULL;                       \
	}
#include "finding_fields.def"
#undef VG_FINDING_TEXT
unsigned vigil_finding_line(const vigil_finding *f)
{
	return f ? f->line : 0;
}
unsigned vigil_finding_column(const vigil_finding *f)
{
	return f ? f->column : 0;
}
int vigil_finding_risk(const vigil_finding *f)
{
	return f && f->proposal ? f->risk : -1;
}

const char *vigil_risk_name(int risk)
{
	switch (risk) {
	case VIGIL_RISK_SAFE: return "safe";
	case VIGIL_RISK_DATA_DEPENDENT: return "data-dependent";
	case VIGIL_RISK_DESTRUCTIVE: return "destructive";
	}
	return "unknown";
}

const char *vigil_severity_name(vigil_severity severity)
{
	switch (severity) {
	case VIGIL_SEVERITY_INFO: return "info";
	case VIGIL_SEVERITY_WARNING: return "warning";
	case VIGIL_SEVERITY_ERROR: return "error";
	}
	return "error";
}

const char *vigil_status_name(vigil_status status)
{
	switch (status) {
	case VIGIL_STATUS_PASSED: return "passed";
	case VIGIL_STATUS_FAILED: return "failed";
	case VIGIL_STATUS_SKIPPED: return "skipped";
	case VIGIL_STATUS_ERROR: return "error";
	}
	return "error";
}
