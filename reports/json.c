/*
 * json.c — the JSON report: the contract with generation pipelines.
 *
 * The shape is reports/report.schema.json (version VIGIL_REPORT_VERSION). The report is
 * built as a cJSON tree in a fixed key order, then printed with two-space indentation by
 * the small printer below, so the same report always gives the same bytes. Absent optional
 * parts are omitted, never null (blueprint.system alone is null when unknown).
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "writers.h"

/* ------------------------------------------------------------ building */

/* Each adder records an allocation failure in *failed and is a no-op on a NULL parent,
 * so a whole subtree can be built and checked once. */

static void add_string(cJSON *object, const char *key, const char *value, int *failed)
{
	if (!cJSON_AddStringToObject(object, key, value ? value : ""))
		*failed = 1;
}

static void add_optional_string(cJSON *object, const char *key, const char *value, int *failed)
{
	if (value)
		add_string(object, key, value, failed);
}

static void add_number(cJSON *object, const char *key, double value, int *failed)
{
	if (!cJSON_AddNumberToObject(object, key, value))
		*failed = 1;
}

/* Milliseconds rounded to 3 decimals; a negative or non-finite duration (a clock bug)
 * becomes 0 rather than an invalid JSON number. */
static double rounded_ms(double ms)
{
	if (!(ms >= 0.0) || ms > 1e12)
		return 0.0;
	return (double)(long long)(ms * 1000.0 + 0.5) / 1000.0;
}

static void add_bool(cJSON *object, const char *key, int value, int *failed)
{
	if (!cJSON_AddBoolToObject(object, key, value != 0))
		*failed = 1;
}

static cJSON *add_object(cJSON *parent, const char *key, int *failed)
{
	cJSON *object = cJSON_AddObjectToObject(parent, key);
	if (!object)
		*failed = 1;
	return object;
}

static cJSON *add_array(cJSON *parent, const char *key, int *failed)
{
	cJSON *array = cJSON_AddArrayToObject(parent, key);
	if (!array)
		*failed = 1;
	return array;
}

static cJSON *append_object(cJSON *array, int *failed)
{
	cJSON *object = cJSON_CreateObject();
	if (!object || !array || !cJSON_AddItemToArray(array, object)) {
		cJSON_Delete(object);
		*failed = 1;
		return NULL;
	}
	return object;
}

/* A check's metrics (a benchmark's p95, tps, ...), as set; omitted when it has none. A value
 * that is not a finite number cannot be JSON and is left out. */
static void build_metrics(cJSON *check, const vigil_report *report, unsigned level, size_t i,
                          int *failed)
{
	size_t count = vigil_report_check_metric_count(report, level, i);
	size_t finite = 0;
	cJSON *metrics;

	for (size_t k = 0; k < count; k++)
		finite += isfinite(vigil_report_check_metric_value(report, level, i, k)) != 0;
	if (finite == 0)
		return;
	metrics = add_array(check, "metrics", failed);
	for (size_t k = 0; k < count && !*failed; k++) {
		double value = vigil_report_check_metric_value(report, level, i, k);
		cJSON *metric;
		if (!isfinite(value))
			continue;
		metric = append_object(metrics, failed);
		add_string(metric, "name", vigil_report_check_metric_name(report, level, i, k),
		           failed);
		add_number(metric, "value", value, failed);
		add_optional_string(metric, "unit",
		                    vigil_report_check_metric_unit(report, level, i, k), failed);
	}
}

static void build_checks(cJSON *checks, const vigil_report *report, unsigned level, int *failed)
{
	size_t count = vigil_report_check_count(report, level);

	for (size_t i = 0; i < count && !*failed; i++) {
		cJSON *check = append_object(checks, failed);
		add_string(check, "name", vigil_report_check_name(report, level, i), failed);
		add_optional_string(check, "database",
		                    vigil_report_check_database(report, level, i), failed);
		add_string(check, "status",
		           vigil_status_name(vigil_report_check_status(report, level, i)), failed);
		add_optional_string(check, "reason", vigil_report_check_reason(report, level, i),
		                    failed);
		if (vigil_report_check_on_request(report, level, i))
			add_bool(check, "on_request", 1, failed);
		add_number(check, "duration_ms",
		           rounded_ms(vigil_report_check_duration_ms(report, level, i)), failed);
		add_number(check, "findings",
		           (double)vigil_report_check_finding_count(report, level, i), failed);
		build_metrics(check, report, level, i, failed);
	}
}

static void build_levels(cJSON *levels, const vigil_report *report, int *failed)
{
	unsigned count = vigil_report_level_count(report);

	for (unsigned level = 1; level <= count && !*failed; level++) {
		cJSON *entry = append_object(levels, failed);
		add_number(entry, "level", level, failed);
		add_string(entry, "name", vigil_report_level_name(report, level), failed);
		add_string(entry, "status",
		           vigil_status_name(vigil_report_level_status(report, level)), failed);
		add_optional_string(entry, "reason", vigil_report_level_reason(report, level),
		                    failed);
		if (vigil_report_level_on_request(report, level))
			add_bool(entry, "on_request", 1, failed);
		add_number(entry, "duration_ms",
		           rounded_ms(vigil_report_level_duration_ms(report, level)), failed);
		build_checks(add_array(entry, "checks", failed), report, level, failed);
	}
}

static void build_finding(cJSON *entry, const vigil_report *report, const vigil_finding *finding,
                          int *failed)
{
	const char *code = vigil_finding_code(finding);
	const char *rule = vigil_finding_rule(finding);
	const char *check = vigil_finding_check(finding);
	unsigned level = vigil_finding_level(finding);
	const char *file = vigil_finding_file(finding);
	const char *expected = vigil_finding_expected(finding);
	const char *actual = vigil_finding_actual(finding);

	add_string(entry, "code", code, failed);
	/* A plugin's own code may come without a slug or check name: the code and the level's
	 * name stand in, so consumers can rely on both keys. */
	add_string(entry, "rule", rule ? rule : code, failed);
	add_string(entry, "severity", vigil_severity_name(vigil_finding_severity(finding)), failed);
	add_number(entry, "level", level, failed);
	add_string(entry, "check", check ? check : vigil_report_level_name(report, level), failed);
	add_string(entry, "message", vigil_finding_message(finding), failed);
	add_optional_string(entry, "fingerprint", vigil_finding_fingerprint(finding), failed);
	if (vigil_finding_known(finding))
		add_bool(entry, "known", 1, failed);
	if (vigil_finding_suppressed(finding))
		add_string(add_object(entry, "suppressed", failed), "reason",
		           vigil_finding_suppressed(finding), failed);
	add_optional_string(entry, "detail", vigil_finding_detail(finding), failed);
	add_optional_string(entry, "hint", vigil_finding_hint(finding), failed);
	if (file) {
		cJSON *location = add_object(entry, "location", failed);
		add_string(location, "file", file, failed);
		if (vigil_finding_line(finding) > 0) {
			add_number(location, "line", vigil_finding_line(finding), failed);
			if (vigil_finding_column(finding) > 0)
				add_number(location, "column", vigil_finding_column(finding),
				           failed);
		}
	}
	add_optional_string(entry, "database", vigil_finding_database(finding), failed);
	add_optional_string(entry, "object", vigil_finding_object(finding), failed);
	if (expected || actual) {
		cJSON *evidence = add_object(entry, "evidence", failed);
		add_optional_string(evidence, "expected", expected, failed);
		add_optional_string(evidence, "actual", actual, failed);
	}
	const char *proposal = vigil_finding_proposal(finding);
	if (proposal) {
		cJSON *healing = add_object(entry, "proposal", failed);
		add_string(healing, "sql", proposal, failed);
		add_string(healing, "risk", vigil_risk_name(vigil_finding_risk(finding)), failed);
	}
}

/* What was not checked, in one place: every level and check that did not run, and whether
 * the user asked for that. */
static void build_not_checked(cJSON *list, const vigil_report *report, int *failed)
{
	unsigned levels = vigil_report_level_count(report);

	for (unsigned level = 1; level <= levels && !*failed; level++) {
		if (vigil_report_level_status(report, level) == VIGIL_STATUS_SKIPPED) {
			cJSON *entry = append_object(list, failed);
			add_number(entry, "level", level, failed);
			add_string(entry, "reason", vigil_report_level_reason(report, level),
			           failed);
			add_bool(entry, "on_request", vigil_report_level_on_request(report, level),
			         failed);
			continue;
		}
		size_t count = vigil_report_check_count(report, level);
		for (size_t i = 0; i < count && !*failed; i++) {
			if (vigil_report_check_status(report, level, i) != VIGIL_STATUS_SKIPPED)
				continue;
			cJSON *entry = append_object(list, failed);
			add_number(entry, "level", level, failed);
			add_string(entry, "check", vigil_report_check_name(report, level, i),
			           failed);
			add_optional_string(entry, "database",
			                    vigil_report_check_database(report, level, i), failed);
			add_string(entry, "reason", vigil_report_check_reason(report, level, i),
			           failed);
			add_bool(entry, "on_request",
			         vigil_report_check_on_request(report, level, i), failed);
		}
	}
}

/* The healing section: one entry per database healing looked at (docs/healing.md). */
static void build_healing(cJSON *healing, const vigil_report *report, int *failed)
{
	size_t count = vigil_report_heal_count(report);

	for (size_t i = 0; i < count && !*failed; i++) {
		const vigil_heal_database *h = vigil_report_heal_at(report, i);
		cJSON *entry = append_object(healing, failed);
		add_string(entry, "database", h->database, failed);
		add_string(entry, "type", h->database_type, failed);
		add_string(entry, "mode", vigil_heal_mode_name(h->mode), failed);
		add_bool(entry, "attempted", h->attempted, failed);
		add_bool(entry, "applied", h->applied, failed);
		add_bool(entry, "converged", h->converged, failed);
		add_number(entry, "rounds", h->rounds, failed);
		add_number(entry, "drift_before", (double)h->drift_before, failed);
		add_number(entry, "drift_after", (double)h->drift_after, failed);
		add_optional_string(entry, "message", h->message, failed);
		cJSON *files = add_object(entry, "files", failed);
		add_optional_string(files, "plan", h->plan_file, failed);
		add_optional_string(files, "journal", h->journal_file, failed);
		add_optional_string(files, "resume", h->resume_file, failed);
		add_optional_string(files, "undo", h->undo_file, failed);
		add_optional_string(files, "backup", h->backup_file, failed);
		cJSON *initial = add_array(entry, "initial_checks", failed);
		for (size_t k = 0; k < h->initial_check_count && !*failed; k++) {
			const vigil_heal_check *c = &h->initial_checks[k];
			cJSON *check = append_object(initial, failed);
			add_string(check, "name", c->name, failed);
			add_string(check, "status", vigil_status_name(c->status), failed);
			add_optional_string(check, "reason", c->reason, failed);
			add_number(check, "findings", (double)c->finding_count, failed);
			add_optional_string(check, "finding_list", c->findings, failed);
		}
		cJSON *statements = add_array(entry, "statements", failed);
		for (size_t k = 0; k < h->statement_count && !*failed; k++) {
			const vigil_heal_statement *st = &h->statements[k];
			cJSON *item = append_object(statements, failed);
			add_number(item, "round", st->round, failed);
			add_optional_string(item, "sql", st->sql, failed);
			add_string(item, "risk", vigil_risk_name(st->risk), failed);
			add_string(item, "code", st->code, failed);
			add_optional_string(item, "object", st->object, failed);
			add_optional_string(item, "fixes", st->fixes, failed);
			add_string(item, "source", st->source, failed);
			add_string(item, "outcome", vigil_heal_outcome_name(st->outcome), failed);
			add_optional_string(item, "message", st->message, failed);
			add_number(item, "duration_ms", rounded_ms(st->duration_ms), failed);
		}
	}
}

/* The blueprint healing section (docs/healing.md): levels 1–2, edits, files. */
static void build_blueprint_healing(cJSON *entry, const vigil_heal_blueprint *h, int *failed)
{
	add_string(entry, "mode", vigil_heal_mode_name(h->mode), failed);
	add_bool(entry, "attempted", h->attempted, failed);
	add_bool(entry, "applied", h->applied, failed);
	add_bool(entry, "converged", h->converged, failed);
	add_string(entry, "input", h->input_file, failed);
	add_optional_string(entry, "message", h->message, failed);
	add_number(entry, "skipped", (double)h->skipped, failed);
	cJSON *files = add_object(entry, "files", failed);
	add_optional_string(files, "healed", h->healed_file, failed);
	add_optional_string(files, "diff", h->diff_file, failed);
	cJSON *levels = add_array(entry, "levels", failed);
	for (size_t k = 0; k < 2 && !*failed; k++) {
		const vigil_heal_level *lv = &h->levels[k];
		cJSON *item = append_object(levels, failed);
		add_number(item, "level", lv->level, failed);
		add_bool(item, "attempted", lv->attempted, failed);
		add_bool(item, "applied", lv->applied, failed);
		add_bool(item, "converged", lv->converged, failed);
		add_string(item, "status_before", vigil_status_name(lv->before), failed);
		add_string(item, "status_after", vigil_status_name(lv->after), failed);
		add_number(item, "findings_before", (double)lv->findings_before, failed);
		add_number(item, "findings_after", (double)lv->findings_after, failed);
		add_number(item, "edits", (double)lv->edit_count, failed);
	}
	cJSON *edits = add_array(entry, "edits", failed);
	for (size_t k = 0; k < h->edit_count && !*failed; k++) {
		const vigil_heal_edit *e = &h->edits[k];
		cJSON *item = append_object(edits, failed);
		add_number(item, "level", e->level, failed);
		add_string(item, "code", e->code, failed);
		add_number(item, "line", e->line, failed);
		add_number(item, "column", e->column, failed);
		add_string(item, "description", e->description, failed);
		add_string(item, "original", e->original, failed);
		add_string(item, "replacement", e->replacement, failed);
	}
}

static cJSON *build_report(const vigil_report *report, int *failed)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *tool, *blueprint, *summary, *findings;
	const char *system = vigil_report_system_name(report);
	size_t finding_count = vigil_report_finding_count(report);

	if (!root) {
		*failed = 1;
		return NULL;
	}
	add_string(root, "report_version", VIGIL_REPORT_VERSION, failed);

	tool = add_object(root, "tool", failed);
	add_string(tool, "name", "vigil", failed);
	add_string(tool, "version", vigil_version(), failed);

	blueprint = add_object(root, "blueprint", failed);
	add_string(blueprint, "path", vigil_report_blueprint_path(report), failed);
	if (system)
		add_string(blueprint, "system", system, failed);
	else if (!cJSON_AddNullToObject(blueprint, "system"))
		*failed = 1;

	add_string(root, "started_at", vigil_report_started_at(report), failed);
	add_number(root, "duration_ms", rounded_ms(vigil_report_duration_ms(report)), failed);
	add_string(root, "verdict", vigil_report_passed(report) ? "pass" : "fail", failed);
	add_number(root, "exit_code", vigil_report_exit_code(report), failed);
	add_string(root, "reason", vigil_report_exit_reason(report), failed);

	summary = add_object(root, "summary", failed);
	add_number(summary, "errors",
	           (double)vigil_report_count_severity(report, VIGIL_SEVERITY_ERROR), failed);
	add_number(summary, "warnings",
	           (double)vigil_report_count_severity(report, VIGIL_SEVERITY_WARNING), failed);
	add_number(summary, "infos",
	           (double)vigil_report_count_severity(report, VIGIL_SEVERITY_INFO), failed);
	if (vigil_report_suppressed_count(report))
		add_number(summary, "suppressed", (double)vigil_report_suppressed_count(report),
		           failed);
	if (vigil_report_fail_on(report) == VIGIL_SEVERITY_WARNING)
		add_string(summary, "fail_on", "warning", failed);
	if (vigil_report_baseline(report)) {
		cJSON *baseline = add_object(summary, "baseline", failed);
		add_string(baseline, "file", vigil_report_baseline(report), failed);
		add_number(baseline, "known", (double)vigil_report_known_count(report), failed);
		add_number(baseline, "new",
		           (double)(finding_count - vigil_report_known_count(report) -
		                    vigil_report_suppressed_count(report)),
		           failed);
	}

	build_levels(add_array(root, "levels", failed), report, failed);
	build_not_checked(add_array(root, "not_checked", failed), report, failed);

	findings = add_array(root, "findings", failed);
	for (size_t i = 0; i < finding_count && !*failed; i++) {
		const vigil_finding *finding = vigil_report_finding(report, i);
		if (finding)
			build_finding(append_object(findings, failed), report, finding, failed);
	}
	if (vigil_report_heal_count(report) > 0)
		build_healing(add_array(root, "healing", failed), report, failed);
	if (vigil_report_heal_blueprint(report))
		build_blueprint_healing(add_object(root, "blueprint_healing", failed),
		                        vigil_report_heal_blueprint(report), failed);
	return root;
}

/* ------------------------------------------------------------ printing */

static void print_indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

/* A JSON string. Bytes that are not well-formed UTF-8 become U+FFFD, so no input can
 * make the report unparsable. */
static void print_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	putc('"', out);
	while (*p) {
		size_t length = vg_utf8_sequence_length(p);
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (length == 0) {
				fputs("\\ufffd", out);
				length = 1;
			} else if (*p < 0x20 || *p == 0x7f) {
				fprintf(out, "\\u%04x", *p);
			} else {
				fwrite(p, 1, length, out);
			}
		}
		p += length ? length : 1;
	}
	putc('"', out);
}

static void print_number(FILE *out, double value)
{
	/* Counts and positions are integers; durations are already rounded to 3 decimals,
	 * which %.15g prints without binary noise (0.457, not 0.45700000000000002). */
	if (!isfinite(value))
		fputs("null", out); /* never written: the builder leaves such values out */
	else if (value > -1e15 && value < 1e15 && value == (double)(long long)value)
		fprintf(out, "%lld", (long long)value);
	else
		fprintf(out, "%.15g", value);
}

static void print_value(FILE *out, const cJSON *item, int depth)
{
	if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
		int is_object = cJSON_IsObject(item);
		const cJSON *child = item->child;
		if (!child) {
			fputs(is_object ? "{}" : "[]", out);
			return;
		}
		fputs(is_object ? "{\n" : "[\n", out);
		for (; child; child = child->next) {
			print_indent(out, depth + 1);
			if (is_object) {
				print_string(out, child->string);
				fputs(": ", out);
			}
			print_value(out, child, depth + 1);
			fputs(child->next ? ",\n" : "\n", out);
		}
		print_indent(out, depth);
		putc(is_object ? '}' : ']', out);
	} else if (cJSON_IsString(item)) {
		print_string(out, item->valuestring);
	} else if (cJSON_IsNumber(item)) {
		print_number(out, item->valuedouble);
	} else if (cJSON_IsBool(item)) {
		fputs(cJSON_IsTrue(item) ? "true" : "false", out);
	} else {
		fputs("null", out);
	}
}

int vg_write_json(const vigil_report *report, FILE *out, const vigil_write_options *options)
{
	int failed = 0;
	cJSON *root;

	(void)options; /* colour and verbosity are the text report's */
	root = build_report(report, &failed);
	if (failed) {
		cJSON_Delete(root);
		return VIGIL_ENOMEM;
	}
	int rc = vg_json_print(out, root);
	cJSON_Delete(root);
	return rc;
}

int vg_json_print(FILE *out, const cJSON *root)
{
	print_value(out, root, 0);
	putc('\n', out);
	if (fflush(out) != 0 || ferror(out))
		return VIGIL_EIO;
	return VIGIL_OK;
}
