/*
 * junit.c — JUnit XML for CI test panes: <testsuites> for the run, a <testsuite> per level,
 * a <testcase> per check (a database check once per database), its findings in a
 * <failure> (the check failed), an <error> (it could not complete) or <skipped> (it did
 * not run, with the reason); a level that did not run is one skipped testcase. Times in
 * seconds, timestamps ISO 8601 in UTC (without a zone suffix, as the Ant schema wants).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writers.h"

/* XML 1.0 text: markup characters escaped, characters XML cannot hold (controls other than
 * tab and newline, malformed UTF-8) as U+FFFD; in an attribute, newline and tab as
 * character references so a reader keeps them. */
static void put_xml(FILE *out, const char *s, int attribute)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = vg_utf8_sequence_length(p);
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs(attribute ? "&quot;" : "\"", out); break;
		case '\n': fputs(attribute ? "&#10;" : "\n", out); break;
		case '\t': fputs(attribute ? "&#9;" : "\t", out); break;
		default:
			if (n == 0 || *p < 0x20 || *p == 0x7f)
				fputs("\xef\xbf\xbd", out);
			else
				fwrite(p, 1, n, out);
		}
		p += n ? n : 1;
	}
}

static void put_attribute(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	put_xml(out, value, 1);
	putc('"', out);
}

static void put_seconds(FILE *out, const char *name, double ms)
{
	if (!(ms >= 0.0) || ms > 1e12)
		ms = 0.0;
	fprintf(out, " %s=\"%.3f\"", name, ms / 1000.0);
}

/* "2026-01-31T12:00:00Z" → "2026-01-31T12:00:00". */
static void put_timestamp(FILE *out, const char *started_at)
{
	size_t n = started_at ? strlen(started_at) : 0;
	char stamp[40];

	if (n && started_at[n - 1] == 'Z')
		n--;
	snprintf(stamp, sizeof stamp, "%.*s", (int)n, started_at ? started_at : "");
	put_attribute(out, "timestamp", stamp);
}

/* One finding as a few lines of the failure's text. */
static void put_finding(FILE *out, const vigil_finding *f)
{
	const char *uri = vigil_finding_uri(f);
	char *text = vg_view_full_message(f);

	if (uri) {
		put_xml(out, uri, 0);
		if (vigil_finding_line(f))
			fprintf(out, ":%u:%u", vigil_finding_line(f), vigil_finding_column(f));
		fputs(": ", out);
	}
	fprintf(out, "%s ", vigil_severity_name(vigil_finding_severity(f)));
	if (vigil_finding_known(f))
		fputs("[known] ", out);
	if (vigil_finding_suppressed(f)) {
		fputs("[suppressed: ", out);
		put_xml(out, vigil_finding_suppressed(f), 0);
		fputs("] ", out);
	}
	put_xml(out, vigil_finding_code(f), 0);
	fputs(" ", out);
	put_xml(out, text ? text : vigil_finding_message(f), 0);
	free(text);
	if (vigil_finding_database(f) || vigil_finding_object(f)) {
		fputs("\n  at ", out);
		put_xml(out, vigil_finding_database(f) ? vigil_finding_database(f) : "", 0);
		if (vigil_finding_object(f)) {
			fputs(vigil_finding_database(f) ? "." : "", out);
			put_xml(out, vigil_finding_object(f), 0);
		}
	}
	if (vigil_finding_expected(f)) {
		fputs("\n  expected: ", out);
		put_xml(out, vigil_finding_expected(f), 0);
	}
	if (vigil_finding_actual(f)) {
		fputs("\n  actual: ", out);
		put_xml(out, vigil_finding_actual(f), 0);
	}
	if (vigil_finding_proposal(f)) {
		fprintf(out, "\n  proposed SQL (%s):\n", vigil_risk_name(vigil_finding_risk(f)));
		put_xml(out, vigil_finding_proposal(f), 0);
	}
	fputs("\n", out);
}

/* The findings from by_check[first .. first+count) as one element's text. */
static void put_findings(FILE *out, const vg_view *view, size_t first, size_t count)
{
	for (size_t k = 0; k < count; k++)
		put_finding(out, view->findings[view->by_check[first + k]]);
}

/* "VG117: unknown key ... (and 2 more)": the first error's (else the first) message. */
static void put_summary(FILE *out, const vg_view *view, size_t first, size_t count)
{
	const vigil_finding *lead = NULL;
	char more[48] = "";

	for (size_t k = 0; k < count && !lead; k++) {
		const vigil_finding *f = view->findings[view->by_check[first + k]];
		if (vigil_finding_severity(f) == VIGIL_SEVERITY_ERROR)
			lead = f;
	}
	if (!lead)
		lead = view->findings[view->by_check[first]];
	if (count > 1)
		snprintf(more, sizeof more, " (and %zu more)", count - 1);
	size_t size = strlen(vigil_finding_code(lead)) + strlen(vigil_finding_message(lead)) +
	              strlen(more) + 3;
	char *message = malloc(size);
	if (message)
		snprintf(message, size, "%s: %s%s", vigil_finding_code(lead),
		         vigil_finding_message(lead), more);
	put_attribute(out, "message", message ? message : vigil_finding_message(lead));
	put_attribute(out, "type", vigil_finding_code(lead));
	free(message);
}

static int claimed_failure(const vg_view *view, size_t first, size_t count)
{
	for (size_t k = 0; k < count; k++)
		if (vigil_finding_severity(view->findings[view->by_check[first + k]]) ==
		    VIGIL_SEVERITY_ERROR)
			return 1;
	return 0;
}

/* The findings of a level no check claims (a plugin's finding without a check name):
 * contiguous, since by_check keeps report order, which is sorted by level. */
static size_t unclaimed_range(const vg_view *view, unsigned level, size_t *first)
{
	size_t count = 0;

	*first = view->unclaimed_first;
	for (size_t i = view->unclaimed_first; i < view->finding_count; i++) {
		if (vigil_finding_level(view->findings[view->by_check[i]]) != level)
			continue;
		if (count == 0)
			*first = i;
		count++;
	}
	return count;
}

typedef struct suite_counts {
	size_t tests, failures, errors, skipped;
} suite_counts;

/* What a level's testsuite holds, counted before it is written (the counts are attributes). */
static suite_counts count_level(const vg_view *view, unsigned level)
{
	const vigil_report *report = view->report;
	suite_counts n = { 0, 0, 0, 0 };
	size_t first, unclaimed = unclaimed_range(view, level, &first);

	for (size_t c = 0; c < view->check_count; c++) {
		const vg_view_check *vc = &view->checks[c];
		if (vc->level != level)
			continue;
		n.tests++;
		switch (vigil_report_check_status(report, level, vc->index)) {
		case VIGIL_STATUS_FAILED: n.failures++; break;
		case VIGIL_STATUS_ERROR: n.errors++; break;
		case VIGIL_STATUS_SKIPPED: n.skipped++; break;
		case VIGIL_STATUS_PASSED: break;
		}
	}
	if (unclaimed) {
		n.tests++;
		n.failures += claimed_failure(view, first, unclaimed);
	}
	if (n.tests == 0) {
		n.tests = 1;
		n.skipped = vigil_report_level_status(report, level) == VIGIL_STATUS_SKIPPED;
		n.errors = vigil_report_level_status(report, level) == VIGIL_STATUS_ERROR;
		n.failures = vigil_report_level_status(report, level) == VIGIL_STATUS_FAILED;
	}
	return n;
}

static void put_classname(FILE *out, const vigil_report *report, unsigned level)
{
	char name[96];
	const char *level_name = vigil_report_level_name(report, level);
	snprintf(name, sizeof name, "vigil.level%u.%s", level, level_name ? level_name : "");
	put_attribute(out, "classname", name);
}

static void write_check(FILE *out, const vg_view *view, const vg_view_check *vc)
{
	const vigil_report *report = view->report;
	unsigned level = vc->level;
	const char *name = vigil_report_check_name(report, level, vc->index);
	const char *database = vigil_report_check_database(report, level, vc->index);
	const char *reason = vigil_report_check_reason(report, level, vc->index);
	vigil_status status = vigil_report_check_status(report, level, vc->index);
	char label[512];

	snprintf(label, sizeof label, "%s%s%s%s", name ? name : "", database ? " [" : "",
	         database ? database : "", database ? "]" : "");
	fputs("    <testcase", out);
	put_attribute(out, "name", label);
	put_classname(out, report, level);
	put_seconds(out, "time", vigil_report_check_duration_ms(report, level, vc->index));
	fputs(">\n", out);
	if (status == VIGIL_STATUS_SKIPPED) {
		fputs("      <skipped", out);
		put_attribute(out, "message", reason ? reason : "not run");
		fputs("/>\n", out);
	} else if (status == VIGIL_STATUS_ERROR || status == VIGIL_STATUS_FAILED) {
		const char *element = status == VIGIL_STATUS_ERROR ? "error" : "failure";
		fprintf(out, "      <%s", element);
		if (vc->count)
			put_summary(out, view, vc->first, vc->count);
		else {
			put_attribute(out, "message", reason ? reason : "the check did not pass");
			put_attribute(out, "type",
			              status == VIGIL_STATUS_ERROR ? "check-error"
			                                           : "check-failed");
		}
		fputs(">", out);
		if (reason && vc->count) {
			put_xml(out, reason, 0);
			fputs("\n", out);
		}
		put_findings(out, view, vc->first, vc->count);
		fprintf(out, "</%s>\n", element);
	} else if (vc->count) {
		fputs("      <system-out>", out);
		put_findings(out, view, vc->first, vc->count);
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
}

static void write_level(FILE *out, const vg_view *view, unsigned level, int id)
{
	const vigil_report *report = view->report;
	suite_counts n = count_level(view, level);
	const char *level_name = vigil_report_level_name(report, level);
	const char *reason = vigil_report_level_reason(report, level);
	char name[96];
	size_t written = 0;

	snprintf(name, sizeof name, "level %u %s", level, level_name ? level_name : "");
	fputs("  <testsuite", out);
	put_attribute(out, "name", name);
	fprintf(out, " id=\"%d\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", id,
	        n.tests, n.failures, n.errors, n.skipped);
	put_seconds(out, "time", vigil_report_level_duration_ms(report, level));
	put_timestamp(out, vigil_report_started_at(report));
	fputs(">\n    <properties>\n      <property name=\"status\"", out);
	put_attribute(out, "value", vigil_status_name(vigil_report_level_status(report, level)));
	fputs("/>\n", out);
	if (reason) {
		fputs("      <property name=\"reason\"", out);
		put_attribute(out, "value", reason);
		fputs("/>\n", out);
	}
	fputs("    </properties>\n", out);
	for (size_t c = 0; c < view->check_count; c++) {
		if (view->checks[c].level == level) {
			write_check(out, view, &view->checks[c]);
			written++;
		}
	}
	size_t first, count = unclaimed_range(view, level, &first);
	if (count) {
		int failing = claimed_failure(view, first, count);
		fputs("    <testcase name=\"findings of no check\"", out);
		put_classname(out, report, level);
		fputs(" time=\"0.000\">\n", out);
		fprintf(out, "      <%s", failing ? "failure" : "system-out");
		if (failing)
			put_summary(out, view, first, count);
		fputs(">", out);
		put_findings(out, view, first, count);
		fprintf(out, "</%s>\n    </testcase>\n", failing ? "failure" : "system-out");
		written++;
	}
	if (written == 0) {
		vigil_status status = vigil_report_level_status(report, level);
		fputs("    <testcase", out);
		put_attribute(out, "name", name);
		put_classname(out, report, level);
		fputs(" time=\"0.000\">\n", out);
		if (status == VIGIL_STATUS_SKIPPED) {
			fputs("      <skipped", out);
			put_attribute(out, "message", reason ? reason : "not run");
			fputs("/>\n", out);
		} else if (status != VIGIL_STATUS_PASSED) {
			fprintf(out, "      <%s",
			        status == VIGIL_STATUS_ERROR ? "error" : "failure");
			put_attribute(out, "message", reason ? reason : vigil_status_name(status));
			fprintf(out, "/>\n");
		}
		fputs("    </testcase>\n", out);
	}
	fputs("  </testsuite>\n", out);
}

int vg_write_junit(const vigil_report *report, FILE *out, const vigil_write_options *options)
{
	vg_view view;
	suite_counts total = { 0, 0, 0, 0 };
	unsigned levels = vigil_report_level_count(report);
	char name[600];

	(void)options;
	if (vg_view_build(&view, report) != VIGIL_OK)
		return VIGIL_ENOMEM;
	for (unsigned level = 1; level <= levels; level++) {
		suite_counts n = count_level(&view, level);
		total.tests += n.tests;
		total.failures += n.failures;
		total.errors += n.errors;
		total.skipped += n.skipped;
	}
	snprintf(name, sizeof name, "vigil %s", vigil_report_blueprint_path(report));
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
	put_attribute(out, "name", name);
	fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", total.tests,
	        total.failures, total.errors, total.skipped);
	put_seconds(out, "time", vigil_report_duration_ms(report));
	put_timestamp(out, vigil_report_started_at(report));
	fputs(">\n", out);
	for (unsigned level = 1; level <= levels; level++)
		write_level(out, &view, level, (int)level - 1);
	fputs("</testsuites>\n", out);
	vg_view_free(&view);
	if (fflush(out) != 0 || ferror(out))
		return VIGIL_EIO;
	return VIGIL_OK;
}
