/*
 * markdown.c — Markdown for a pull-request comment or a CI job summary (GitHub-flavoured):
 * the verdict, a table of the levels and, per level that ran, a table of its checks; then
 * the findings grouped by database and object, evidence and hints inline, SQL proposals in
 * ```sql blocks, and long detail collapsed in <details>. Text from the blueprint is escaped
 * so that it cannot become markup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writers.h"

/* Past this many bytes (or with a line break), a finding's detail is collapsed. */
#define LONG_DETAIL 240

/* Inline text: the punctuation that makes inline markup (emphasis, code, links, tables,
 * strike-through, headings) backslash-escaped, '&' '<' '>' as entities, line breaks as
 * <br> (inside a table cell nothing else would do). Inline text never starts a line, so
 * '-', '+', '.' and digits cannot start a list. */
static void put_inline(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = vg_utf8_sequence_length(p);
		if (*p == '&')
			fputs("&amp;", out);
		else if (*p == '<')
			fputs("&lt;", out);
		else if (*p == '>')
			fputs("&gt;", out);
		else if (*p == '\n')
			fputs("<br>", out);
		else if (strchr("\\`*_[]#|~", *p))
			fprintf(out, "\\%c", *p);
		else if (n == 0 || *p < 0x20 || *p == 0x7f)
			fputs("\xef\xbf\xbd", out);
		else
			fwrite(p, 1, n, out);
		p += n ? n : 1;
	}
}

static size_t longest_backtick_run(const char *s)
{
	size_t longest = 0, run = 0;
	for (; s && *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest;
}

/* `code`: a fence longer than any backtick run inside, spaced when it touches one.
 * In a table cell '|' still splits the row, so it is escaped there too. */
static void put_code(FILE *out, const char *s, int in_table)
{
	size_t fence = longest_backtick_run(s) + 1;
	size_t n = s ? strlen(s) : 0;
	int pad = n && (s[0] == '`' || s[n - 1] == '`');

	for (size_t i = 0; i < fence; i++)
		putc('`', out);
	if (pad)
		putc(' ', out);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
		size_t len = vg_utf8_sequence_length(p);
		if (*p == '\n')
			putc(' ', out);
		else if (in_table && *p == '|')
			fputs("\\|", out);
		else if (len == 0 || *p < 0x20 || *p == 0x7f)
			fputs("\xef\xbf\xbd", out);
		else
			fwrite(p, 1, len, out);
		p += len ? len : 1;
	}
	if (pad)
		putc(' ', out);
	for (size_t i = 0; i < fence; i++)
		putc('`', out);
}

static void put_fence(FILE *out, size_t fence)
{
	fputs("  ", out);
	for (size_t i = 0; i < fence; i++)
		putc('`', out);
}

/* A fenced block (```sql) indented under a list item, its fence longer than any backtick
 * run in the text. */
static void put_block(FILE *out, const char *language, const char *text)
{
	size_t fence = longest_backtick_run(text) + 1;
	int line_start = 1;

	put_fence(out, fence < 3 ? (fence = 3) : fence);
	fprintf(out, "%s\n", language);
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		size_t len = vg_utf8_sequence_length(p);
		if (line_start && *p != '\n')
			fputs("  ", out);
		line_start = *p == '\n';
		if (len == 0 || (*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			fputs("\xef\xbf\xbd", out);
		else
			fwrite(p, 1, len, out);
		p += len ? len : 1;
	}
	if (!line_start)
		putc('\n', out);
	put_fence(out, fence);
	putc('\n', out);
}

static const char *status_mark(vigil_status status)
{
	switch (status) {
	case VIGIL_STATUS_PASSED: return "\xe2\x9c\x85 passed";               /* ✅ */
	case VIGIL_STATUS_FAILED: return "\xe2\x9d\x8c failed";               /* ❌ */
	case VIGIL_STATUS_SKIPPED: return "\xe2\x8f\xad\xef\xb8\x8f skipped"; /* ⏭️ */
	case VIGIL_STATUS_ERROR: return "\xe2\x9a\xa0\xef\xb8\x8f error";     /* ⚠️ */
	}
	return "?";
}

static const char *severity_mark(vigil_severity severity)
{
	switch (severity) {
	case VIGIL_SEVERITY_ERROR: return "\xe2\x9d\x8c error";
	case VIGIL_SEVERITY_WARNING: return "\xe2\x9a\xa0\xef\xb8\x8f warning";
	case VIGIL_SEVERITY_INFO: return "\xe2\x84\xb9\xef\xb8\x8f info"; /* ℹ️ */
	}
	return "?";
}

static void write_header(FILE *out, const vigil_report *report)
{
	const char *system = vigil_report_system_name(report);

	fprintf(out, "## vigil: %s\n\n", vg_view_verdict(report));
	fputs("Blueprint ", out);
	put_code(out, vigil_report_blueprint_path(report), 0);
	if (system) {
		fputs(" (system ", out);
		put_code(out, system, 0);
		fputs(")", out);
	}
	fprintf(out,
	        ": **%s**, %zu error%s, %zu warning%s, %zu info%s in %.1f ms; exit code %d.\n\n",
	        vg_view_verdict(report), vigil_report_count_severity(report, VIGIL_SEVERITY_ERROR),
	        vigil_report_count_severity(report, VIGIL_SEVERITY_ERROR) == 1 ? "" : "s",
	        vigil_report_count_severity(report, VIGIL_SEVERITY_WARNING),
	        vigil_report_count_severity(report, VIGIL_SEVERITY_WARNING) == 1 ? "" : "s",
	        vigil_report_count_severity(report, VIGIL_SEVERITY_INFO),
	        vigil_report_count_severity(report, VIGIL_SEVERITY_INFO) == 1 ? "" : "s",
	        vigil_report_duration_ms(report), vigil_report_exit_code(report));
	if (vigil_report_baseline(report))
		fprintf(out, "Baseline: %zu known, %zu new.\n\n", vigil_report_known_count(report),
		        vigil_report_finding_count(report) - vigil_report_known_count(report) -
		                vigil_report_suppressed_count(report));
	if (vigil_report_suppressed_count(report))
		fprintf(out, "%zu finding%s suppressed by `x-vigil-ignore`.\n\n",
		        vigil_report_suppressed_count(report),
		        vigil_report_suppressed_count(report) == 1 ? "" : "s");
	if (vigil_report_fail_on(report) == VIGIL_SEVERITY_WARNING)
		fputs("Warnings fail this run (`--fail-on warning`).\n\n", out);
}

static void write_levels(FILE *out, const vg_view *view)
{
	const vigil_report *report = view->report;
	unsigned levels = vigil_report_level_count(report);

	fputs("| Level | Status | Checks | Errors | Warnings | Infos | Time |\n"
	      "|---|---|---:|---:|---:|---:|---:|\n",
	      out);
	for (unsigned level = 1; level <= levels; level++) {
		vigil_status status = vigil_report_level_status(report, level);
		const char *reason = vigil_report_level_reason(report, level);
		fprintf(out, "| %u ", level);
		put_inline(out, vigil_report_level_name(report, level));
		fprintf(out, " | %s", status_mark(status));
		if (reason) {
			fputs(": ", out);
			put_inline(out, reason);
		}
		fprintf(out, " | %zu | %zu | %zu | %zu | %.1f ms |\n",
		        vigil_report_check_count(report, level),
		        view->counts[level][VIGIL_SEVERITY_ERROR],
		        view->counts[level][VIGIL_SEVERITY_WARNING],
		        view->counts[level][VIGIL_SEVERITY_INFO],
		        vigil_report_level_duration_ms(report, level));
	}
	fputs("\n", out);
}

/* Per level that ran, a table of its checks. */
static void write_checks(FILE *out, const vg_view *view)
{
	const vigil_report *report = view->report;
	unsigned levels = vigil_report_level_count(report);

	for (unsigned level = 1; level <= levels; level++) {
		if (vigil_report_level_status(report, level) == VIGIL_STATUS_SKIPPED ||
		    vigil_report_check_count(report, level) == 0)
			continue;
		fprintf(out, "### Level %u ", level);
		put_inline(out, vigil_report_level_name(report, level));
		fputs("\n\n| Check | Database | Status | Findings | Time |\n"
		      "|---|---|---|---:|---:|\n",
		      out);
		for (size_t c = 0; c < view->check_count; c++) {
			const vg_view_check *vc = &view->checks[c];
			if (vc->level != level)
				continue;
			const char *database =
			        vigil_report_check_database(report, level, vc->index);
			const char *reason = vigil_report_check_reason(report, level, vc->index);
			fputs("| ", out);
			put_code(out, vigil_report_check_name(report, level, vc->index), 1);
			fputs(" | ", out);
			if (database)
				put_code(out, database, 1);
			fprintf(out, " | %s",
			        status_mark(vigil_report_check_status(report, level, vc->index)));
			if (reason) {
				fputs(": ", out);
				put_inline(out, reason);
			}
			fprintf(out, " | %zu | %.1f ms |\n",
			        vigil_report_check_finding_count(report, level, vc->index),
			        vigil_report_check_duration_ms(report, level, vc->index));
		}
		fputs("\n", out);
	}
}

static void write_labelled(FILE *out, const char *label, const char *value)
{
	if (!value)
		return;
	fprintf(out, "  - %s: ", label);
	put_inline(out, value);
	fputs("\n", out);
}

static int is_long(const char *s)
{
	return s && (strlen(s) > LONG_DETAIL || strchr(s, '\n'));
}

static void write_finding(FILE *out, const vigil_finding *f)
{
	const char *uri = vigil_finding_uri(f);
	const char *detail = vigil_finding_detail(f);
	const char *proposal = vigil_finding_proposal(f);

	fprintf(out, "- %s **", severity_mark(vigil_finding_severity(f)));
	put_inline(out, vigil_finding_code(f));
	fputs("**", out);
	if (vigil_finding_rule(f)) {
		fputs(" ", out);
		put_code(out, vigil_finding_rule(f), 0);
	}
	if (uri) {
		char line[32] = "";
		if (vigil_finding_line(f))
			snprintf(line, sizeof line, ":%u:%u", vigil_finding_line(f),
			         vigil_finding_column(f));
		size_t size = strlen(uri) + sizeof line;
		char *where = malloc(size);
		fputs(" at ", out);
		if (where) {
			snprintf(where, size, "%s%s", uri, line);
			put_code(out, where, 0);
			free(where);
		}
	}
	fputs(": ", out);
	put_inline(out, vigil_finding_message(f));
	fputs("\n", out);
	if (!is_long(detail))
		write_labelled(out, "detail", detail);
	write_labelled(out, "expected", vigil_finding_expected(f));
	write_labelled(out, "actual", vigil_finding_actual(f));
	write_labelled(out, "hint", vigil_finding_hint(f));
	if (vigil_finding_known(f))
		write_labelled(out, "accepted", "known from the baseline; it does not count");
	write_labelled(out, "suppressed", vigil_finding_suppressed(f));
	if (is_long(detail)) {
		fputs("\n  <details><summary>detail</summary>\n\n  ", out);
		put_inline(out, detail);
		fputs("\n\n  </details>\n\n", out);
	}
	if (proposal) {
		int collapse = is_long(proposal) && strlen(proposal) > LONG_DETAIL;
		fprintf(out, "\n  %sProposed SQL (%s)%s\n\n", collapse ? "<details><summary>" : "",
		        vigil_risk_name(vigil_finding_risk(f)), collapse ? "</summary>" : ":");
		put_block(out, "sql", proposal);
		fputs(collapse ? "\n  </details>\n\n" : "\n", out);
	}
}

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Findings grouped: a heading per database (the blueprint's own first), a line per object. */
static void write_findings(FILE *out, const vg_view *view)
{
	const char *database = NULL, *object = NULL;

	if (view->finding_count == 0) {
		fputs("No findings.\n", out);
		return;
	}
	fputs("### Findings\n", out);
	for (size_t k = 0; k < view->finding_count; k++) {
		const vigil_finding *f = view->findings[view->by_object[k]];
		const char *db = vigil_finding_database(f), *obj = vigil_finding_object(f);
		if (k == 0 || !same(db, database)) {
			fputs("\n#### ", out);
			if (db) {
				fputs("Database ", out);
				put_code(out, db, 0);
			} else {
				fputs("Blueprint", out);
			}
			fputs("\n\n", out);
			object = NULL;
		}
		if (obj && (!same(obj, object) || k == 0 || !same(db, database))) {
			fputs("\n**", out);
			put_code(out, obj, 0);
			fputs("**\n\n", out);
		}
		database = db;
		object = obj;
		write_finding(out, f);
	}
}

int vg_write_markdown(const vigil_report *report, FILE *out, const vigil_write_options *options)
{
	vg_view view;

	(void)options;
	if (vg_view_build(&view, report) != VIGIL_OK)
		return VIGIL_ENOMEM;
	write_header(out, report);
	write_levels(out, &view);
	write_checks(out, &view);
	write_findings(out, &view);
	vg_view_free(&view);
	if (fflush(out) != 0 || ferror(out))
		return VIGIL_EIO;
	return VIGIL_OK;
}
