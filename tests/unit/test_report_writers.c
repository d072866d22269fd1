/*
 * Unit tests of the report writers (reports/): reports built by hand with the run's internal
 * helpers, written in both formats, read back (the JSON with cJSON). Covers what real
 * blueprints rarely produce: plugin codes without a slug, metrics (one not finite), bytes
 * that are not UTF-8, terminal control characters, a skipped check inside a level that ran.
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#include "check.h"

/* Writes a report into a malloc'ed string (NULL on failure). */
static char *write_to_string(const vigil_report *report, vigil_format format,
                             const vigil_write_options *options)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	int rc;

	if (!out)
		return NULL;
	rc = vigil_report_write(report, format, out, options);
	fclose(out);
	if (rc != VIGIL_OK) {
		free(text);
		return NULL;
	}
	return text;
}

static const char *json_string(const cJSON *object, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static double json_number(const cJSON *object, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
	return cJSON_IsNumber(item) ? item->valuedouble : -1;
}

/*
 * Level 1 passed with a warning whose text holds an ESC and a stray byte; level 2 failed with
 * a plugin finding (no slug, no location, database + evidence); level 3 ran, with a benchmark
 * check that set metrics and a check skipped for a reason; level 4 skipped.
 */
static vigil_report *sample_report(void)
{
	vigil_report *r = vg_report_new("bp/x.yaml");
	vg_check_rec *check;
	vigil_finding *f;

	if (!r)
		return NULL;
	r->system_name = "shop";
	snprintf(r->started_at, sizeof r->started_at, "2026-01-02T03:04:05Z");
	r->duration_ms = 12.3456789;
	r->exit_code = VIGIL_EXIT_FAIL;

	r->levels[0].status = VIGIL_STATUS_PASSED;
	r->levels[0].duration_ms = 0.4;
	check = vg_report_add_check(r, 1, "structure.keys", NULL);
	check->finding_count = 1;
	f = vg_report_add_finding(r, 1, "structure.keys", "VG117", VIGIL_SEVERITY_WARNING,
	                          "unknown key \"evil\x1b[2J\xff\"");
	f->file = "bp/x.yaml";
	f->line = 3;
	f->column = 5;
	vg_hint(f, "did you mean \"name\"?");

	r->levels[1].status = VIGIL_STATUS_FAILED;
	check = vg_report_add_check(r, 2, "acme.drift", "main");
	check->status = VIGIL_STATUS_FAILED;
	check->finding_count = 1;
	f = vg_report_add_finding(r, 2, "acme.drift", "ACME_DRIFT_1", VIGIL_SEVERITY_ERROR,
	                          "column tasks.title is wider than declared");
	vg_detail(f, "first line\nsecond line");
	vg_object(f, "main", "tasks.title");
	vg_evidence(f, "varchar(200)", "text");

	r->levels[2].status = VIGIL_STATUS_PASSED;
	check = vg_report_add_check(r, 3, "benchmark", "main");
	check->duration_ms = 2000.0004;
	vg_check_set_metric(r, check, "p95", 12.5, "ms");
	vg_check_set_metric(r, check, "broken", NAN, NULL);
	vg_check_set_metric(r, check, "tps", 523, "1/s");
	check = vg_report_add_check(r, 3, "permissions", "main");
	check->status = VIGIL_STATUS_SKIPPED;
	check->reason = "preflight failed";

	r->levels[3].status = VIGIL_STATUS_SKIPPED;
	r->levels[3].reason = "level 2 failed";
	vg_report_finish(r);
	return r;
}

static void test_json(const vigil_report *r)
{
	char *text = write_to_string(r, VIGIL_FORMAT_JSON, NULL);
	char *again = write_to_string(r, VIGIL_FORMAT_JSON, NULL);
	cJSON *root = cJSON_Parse(text);
	const cJSON *levels, *findings, *warning, *plugin, *bench, *metrics, *skipped;

	CHECK(text && again && strcmp(text, again) == 0); /* deterministic */
	CHECK(root != NULL);
	if (!root) {
		free(text);
		free(again);
		return;
	}
	CHECK_STR(json_string(root, "report_version"), VIGIL_REPORT_VERSION);
	CHECK_STR(json_string(root, "verdict"), "fail");
	CHECK(json_number(root, "exit_code") == 1);
	CHECK(json_number(root, "duration_ms") == 12.346); /* rounded to 3 decimals */
	CHECK(contains(text, "\"duration_ms\": 12.346,"));
	CHECK_STR(json_string(cJSON_GetObjectItem(root, "blueprint"), "system"), "shop");
	CHECK(json_number(cJSON_GetObjectItem(root, "summary"), "errors") == 1);
	CHECK(json_number(cJSON_GetObjectItem(root, "summary"), "warnings") == 1);

	levels = cJSON_GetObjectItem(root, "levels");
	CHECK(cJSON_GetArraySize(levels) == 4);
	CHECK_STR(json_string(cJSON_GetArrayItem(levels, 3), "status"), "skipped");
	CHECK_STR(json_string(cJSON_GetArrayItem(levels, 3), "reason"), "level 2 failed");
	CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(levels, 0), "reason") == NULL);

	bench = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(levels, 2), "checks"), 0);
	CHECK_STR(json_string(bench, "database"), "main");
	CHECK(json_number(bench, "duration_ms") == 2000);
	metrics = cJSON_GetObjectItem(bench, "metrics");
	CHECK(cJSON_GetArraySize(metrics) == 2); /* the NaN is left out */
	CHECK_STR(json_string(cJSON_GetArrayItem(metrics, 0), "name"), "p95");
	CHECK(json_number(cJSON_GetArrayItem(metrics, 0), "value") == 12.5);
	CHECK_STR(json_string(cJSON_GetArrayItem(metrics, 1), "unit"), "1/s");
	skipped =
	        cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(levels, 2), "checks"), 1);
	CHECK_STR(json_string(skipped, "reason"), "preflight failed");
	CHECK(cJSON_GetObjectItem(skipped, "metrics") == NULL);

	findings = cJSON_GetObjectItem(root, "findings");
	CHECK(cJSON_GetArraySize(findings) == 2);
	warning = cJSON_GetArrayItem(findings, 0);
	CHECK_STR(json_string(warning, "rule"), "unknown-key");
	CHECK_STR(json_string(warning, "message"), "unknown key \"evil\x1b[2J\xef\xbf\xbd\"");
	CHECK(contains(text, "\\u001b[2J\\ufffd"));
	CHECK(json_number(cJSON_GetObjectItem(warning, "location"), "line") == 3);
	CHECK(cJSON_GetObjectItem(warning, "detail") == NULL); /* absent, not null */
	CHECK(cJSON_GetObjectItem(warning, "database") == NULL);
	plugin = cJSON_GetArrayItem(findings, 1);
	CHECK_STR(json_string(plugin, "code"), "ACME_DRIFT_1");
	CHECK_STR(json_string(plugin, "rule"), "ACME_DRIFT_1"); /* no slug: the code stands in */
	CHECK(cJSON_GetObjectItem(plugin, "location") == NULL);
	CHECK_STR(json_string(plugin, "object"), "tasks.title");
	CHECK_STR(json_string(cJSON_GetObjectItem(plugin, "evidence"), "actual"), "text");
	CHECK_STR(json_string(plugin, "detail"), "first line\nsecond line");

	cJSON_Delete(root);
	free(text);
	free(again);
}

static void test_text(const vigil_report *r)
{
	vigil_write_options plain = VIGIL_WRITE_OPTIONS_INIT;
	vigil_write_options color = VIGIL_WRITE_OPTIONS_INIT;
	char *text, *colored;

	text = write_to_string(r, VIGIL_FORMAT_TEXT, &plain);
	CHECK(text != NULL);
	CHECK(contains(text, "bp/x.yaml (system shop)"));
	CHECK(contains(text, "Level 4  semantics    skipped  \xe2\x80\x94 level 2 failed"));
	CHECK(contains(text, "bp/x.yaml:3:5: warning VG117 [unknown-key] unknown key"));
	CHECK(contains(text, "\\x1b[2J\\xff")); /* shown, not obeyed */
	CHECK(!contains(text, "\x1b"));
	CHECK(contains(text, "error ACME_DRIFT_1 column tasks.title"));
	CHECK(contains(text, "    detail: first line\n            second line\n"));
	CHECK(contains(text, "    expected: varchar(200)\n    actual: text\n"));
	CHECK(contains(text, "    object: tasks.title\n"));
	CHECK(contains(text, "    hint: did you mean"));
	/* Failing and skipped checks are listed even without --verbose, passing ones are not. */
	CHECK(contains(text, "permissions [main] \xe2\x80\x94 preflight failed"));
	CHECK(!contains(text, "structure.keys  ("));
	/* The summary names what did not run. */
	CHECK(contains(text,
	               "FAIL: 1 error, 1 warning in 12.3 ms (level 4 not run: level 2 failed; "
	               "check permissions [main] not run: preflight failed)\n"));
	free(text);

	plain.verbose = 1;
	text = write_to_string(r, VIGIL_FORMAT_TEXT, &plain);
	CHECK(contains(text, "structure.keys  (1 finding, 0.0 ms)"));
	CHECK(contains(
	        text,
	        "benchmark [main]  (0 findings, 2000.0 ms)  p95=12.5 ms, broken=nan, tps=523 1/s"));
	free(text);

	color.color = 1;
	colored = write_to_string(r, VIGIL_FORMAT_TEXT, &color);
	CHECK(contains(colored, "\x1b[1m\x1b[31merror\x1b[0m ACME_DRIFT_1"));
	CHECK(contains(colored, "\x1b[1m\x1b[31mFAIL\x1b[0m"));
	free(colored);
}

static void test_pass_and_errors(void)
{
	vigil_report *r = vg_report_new("ok.yaml");
	vigil_format format;
	char *text;
	FILE *closed;

	if (!r) {
		CHECK(0);
		return;
	}
	for (unsigned i = 0; i < 2; i++)
		r->levels[i].status = VIGIL_STATUS_PASSED;
	r->levels[2].reason = r->levels[3].reason = "not yet available";
	vg_report_finish(r);

	text = write_to_string(r, VIGIL_FORMAT_TEXT, NULL);
	CHECK(contains(text, "(system unknown)"));
	CHECK(contains(text, "PASS: 0 errors, 0 warnings in 0.0 ms (levels 3\xe2\x80\x93"
	                     "4 not run: not yet available)\n"));
	free(text);
	text = write_to_string(r, VIGIL_FORMAT_JSON, NULL);
	CHECK(contains(text, "\"system\": null"));
	CHECK(contains(text, "\"verdict\": \"pass\""));
	CHECK(contains(text, "\"findings\": []"));
	free(text);

	CHECK(vigil_format_parse(&format, "json") == VIGIL_OK && format == VIGIL_FORMAT_JSON);
	CHECK(vigil_format_parse(&format, "text") == VIGIL_OK && format == VIGIL_FORMAT_TEXT);
	CHECK(vigil_format_parse(&format, "xml") == VIGIL_EINVAL);
	CHECK(vigil_format_parse(&format, NULL) == VIGIL_EINVAL);
	CHECK(vigil_report_write(NULL, VIGIL_FORMAT_JSON, stdout, NULL) == VIGIL_EINVAL);
	CHECK(vigil_report_write(r, (vigil_format)42, stdout, NULL) == VIGIL_EINVAL);

	/* A stream that cannot be written: VIGIL_EIO, not silence. */
	closed = fopen("/dev/full", "w");
	if (closed) {
		CHECK(vigil_report_write(r, VIGIL_FORMAT_JSON, closed, NULL) == VIGIL_EIO);
		CHECK(vigil_report_write(r, VIGIL_FORMAT_TEXT, closed, NULL) == VIGIL_EIO);
		fclose(closed);
	}
	vigil_report_free(r);
}

int main(void)
{
	vigil_report *r = sample_report();

	CHECK(r != NULL);
	if (r) {
		test_json(r);
		test_text(r);
		vigil_report_free(r);
	}
	test_pass_and_errors();
	return CHECK_SUMMARY();
}
