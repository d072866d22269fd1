/*
 * text.c — the human report: one line per level, findings as compiler diagnostics
 * (file:line:column: severity CODE [rule] message, then indented detail/hint/evidence),
 * and a summary line that names every level that did not run, so a skipped level can never
 * read as passed. ANSI colour only when asked (the CLI decides: TTY, NO_COLOR, TERM).
 */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writers.h"

#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"
#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_YELLOW "\033[33m"
#define SGR_CYAN "\033[36m"

/* Indentation of the lines under a finding and of a check under its level. */
#define FINDING_INDENT 4
#define CHECK_INDENT 9
/* Level names are padded to this width so the statuses line up ("integration" is 11). */
#define LEVEL_NAME_WIDTH 13

typedef struct text_writer {
	FILE *out;
	int color;
	int verbose;
} text_writer;

static void paint(const text_writer *w, const char *sgr)
{
	if (w->color)
		fputs(sgr, w->out);
}

static void reset(const text_writer *w)
{
	paint(w, SGR_RESET);
}

static const char *severity_color(vigil_severity severity)
{
	switch (severity) {
	case VIGIL_SEVERITY_ERROR: return SGR_BOLD SGR_RED;
	case VIGIL_SEVERITY_WARNING: return SGR_BOLD SGR_YELLOW;
	case VIGIL_SEVERITY_INFO: return SGR_BOLD SGR_CYAN;
	}
	return "";
}

static const char *status_color(vigil_status status)
{
	switch (status) {
	case VIGIL_STATUS_PASSED: return SGR_GREEN;
	case VIGIL_STATUS_FAILED: return SGR_RED;
	case VIGIL_STATUS_SKIPPED: return SGR_YELLOW;
	case VIGIL_STATUS_ERROR: return SGR_BOLD SGR_RED;
	}
	return "";
}

/*
 * Writes text from the report (which may hold text from the blueprint) so that it cannot
 * drive the terminal: control characters and malformed UTF-8 are shown as \xNN escapes.
 * A newline continues at `indent` columns, so multi-line details stay under their label.
 */
static void put_text(const text_writer *w, const char *s, int indent)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t length = vg_utf8_sequence_length(p);
		if (*p == '\n') {
			fprintf(w->out, "\n%*s", indent, "");
		} else if (length == 0 || (*p < 0x20 && *p != '\t') || *p == 0x7f) {
			fprintf(w->out, "\\x%02x", *p);
		} else {
			fwrite(p, 1, length, w->out);
			p += length;
			continue;
		}
		p++;
	}
}

static void put_plural(const text_writer *w, size_t count, const char *noun)
{
	fprintf(w->out, "%zu %s%s", count, noun, count == 1 ? "" : "s");
}

/* ------------------------------------------------------------ header and levels */

static void write_header(const text_writer *w, const vigil_report *report)
{
	const char *system = vigil_report_system_name(report);

	paint(w, SGR_BOLD);
	fprintf(w->out, "vigil %s", vigil_version());
	reset(w);
	fputs(": ", w->out);
	put_text(w, vigil_report_blueprint_path(report), 0);
	if (system) {
		fputs(" (system ", w->out);
		put_text(w, system, 0);
		fputs(")", w->out);
	} else {
		fputs(" (system unknown)", w->out);
	}
	fputs("\n\n", w->out);
}

/* "  p95=12.3 ms, tps=523 1/s": what the check measured, if anything. */
static void write_metrics(const text_writer *w, const vigil_report *report, unsigned level,
                          size_t i)
{
	size_t count = vigil_report_check_metric_count(report, level, i);

	for (size_t k = 0; k < count; k++) {
		const char *unit = vigil_report_check_metric_unit(report, level, i, k);
		fputs(k == 0 ? "  " : ", ", w->out);
		put_text(w, vigil_report_check_metric_name(report, level, i, k), 0);
		fprintf(w->out, "=%.4g", vigil_report_check_metric_value(report, level, i, k));
		if (unit) {
			fputc(' ', w->out);
			put_text(w, unit, 0);
		}
	}
}

static void write_check(const text_writer *w, const vigil_report *report, unsigned level, size_t i)
{
	vigil_status status = vigil_report_check_status(report, level, i);
	const char *database = vigil_report_check_database(report, level, i);
	const char *reason = vigil_report_check_reason(report, level, i);

	fprintf(w->out, "%*s", CHECK_INDENT, "");
	paint(w, status_color(status));
	fprintf(w->out, "%-8s", vigil_status_name(status));
	reset(w);
	fputc(' ', w->out);
	put_text(w, vigil_report_check_name(report, level, i), 0);
	if (database) {
		fputs(" [", w->out);
		put_text(w, database, 0);
		fputc(']', w->out);
	}
	paint(w, SGR_DIM);
	if (status == VIGIL_STATUS_SKIPPED && reason) {
		fputs(" \xe2\x80\x94 ", w->out);
		put_text(w, reason, CHECK_INDENT + 2);
	} else {
		fputs("  (", w->out);
		put_plural(w, vigil_report_check_finding_count(report, level, i), "finding");
		fprintf(w->out, ", %.1f ms)", vigil_report_check_duration_ms(report, level, i));
		write_metrics(w, report, level, i);
		if (reason) {
			fputs(" \xe2\x80\x94 ", w->out);
			put_text(w, reason, CHECK_INDENT + 2);
		}
	}
	reset(w);
	fputc('\n', w->out);
}

static void write_level(const text_writer *w, const vigil_report *report, unsigned level)
{
	vigil_status status = vigil_report_level_status(report, level);
	const char *reason = vigil_report_level_reason(report, level);
	size_t checks = vigil_report_check_count(report, level);
	const char *name = vigil_report_level_name(report, level);

	name = name ? name : "";
	fprintf(w->out, "Level %u  ", level);
	put_text(w, name, 0);
	fprintf(w->out, "%*s",
	        strlen(name) < LEVEL_NAME_WIDTH ? LEVEL_NAME_WIDTH - (int)strlen(name) : 1, "");
	paint(w, status_color(status));
	fprintf(w->out, "%-8s", vigil_status_name(status));
	reset(w);
	if (status == VIGIL_STATUS_SKIPPED) {
		fputs(" \xe2\x80\x94 ", w->out);
		put_text(w, reason ? reason : "no reason given", CHECK_INDENT);
	} else {
		fputs(" (", w->out);
		put_plural(w, checks, "check");
		fprintf(w->out, ", %.1f ms)", vigil_report_level_duration_ms(report, level));
		if (reason) {
			fputs(" \xe2\x80\x94 ", w->out);
			put_text(w, reason, CHECK_INDENT);
		}
	}
	fputc('\n', w->out);

	/* Every check when verbose; otherwise the database checks (what was measured live) and
	 * those that did not pass, in a level that ran. */
	for (size_t i = 0; i < checks; i++) {
		vigil_status check_status = vigil_report_check_status(report, level, i);
		if (w->verbose || (status != VIGIL_STATUS_SKIPPED &&
		                   (check_status != VIGIL_STATUS_PASSED ||
		                    vigil_report_check_database(report, level, i))))
			write_check(w, report, level, i);
	}
}

/* ------------------------------------------------------------ findings */

static void write_labelled(const text_writer *w, const char *label, const char *value)
{
	if (!value)
		return;
	fprintf(w->out, "%*s", FINDING_INDENT, "");
	paint(w, SGR_DIM);
	fprintf(w->out, "%s: ", label);
	put_text(w, value, FINDING_INDENT + (int)strlen(label) + 2);
	reset(w);
	fputc('\n', w->out);
}

static void write_finding(const text_writer *w, const vigil_finding *finding)
{
	vigil_severity severity = vigil_finding_severity(finding);
	const char *file = vigil_finding_file(finding);
	const char *rule = vigil_finding_rule(finding);

	if (file) {
		paint(w, SGR_BOLD);
		put_text(w, file, 0);
		if (vigil_finding_line(finding) > 0) {
			fprintf(w->out, ":%u", vigil_finding_line(finding));
			if (vigil_finding_column(finding) > 0)
				fprintf(w->out, ":%u", vigil_finding_column(finding));
		}
		fputs(":", w->out);
		reset(w);
		fputc(' ', w->out);
	}
	paint(w, severity_color(severity));
	fputs(vigil_severity_name(severity), w->out);
	reset(w);
	fputc(' ', w->out);
	put_text(w, vigil_finding_code(finding), 0);
	if (rule) {
		fputs(" [", w->out);
		put_text(w, rule, 0);
		fputc(']', w->out);
	}
	fputc(' ', w->out);
	put_text(w, vigil_finding_message(finding), FINDING_INDENT);
	fputc('\n', w->out);

	write_labelled(w, "detail", vigil_finding_detail(finding));
	write_labelled(w, "expected", vigil_finding_expected(finding));
	write_labelled(w, "actual", vigil_finding_actual(finding));
	write_labelled(w, "database", vigil_finding_database(finding));
	write_labelled(w, "object", vigil_finding_object(finding));
	write_labelled(w, "hint", vigil_finding_hint(finding));
	if (vigil_finding_known(finding))
		write_labelled(w, "accepted", "known from the baseline; it does not count");
	write_labelled(w, "suppressed", vigil_finding_suppressed(finding));
	const char *proposal = vigil_finding_proposal(finding);
	if (proposal) {
		char label[32];
		snprintf(label, sizeof label, "fix (%s)",
		         vigil_risk_name(vigil_finding_risk(finding)));
		/* Without the SQL's closing newline, which would print as an empty indented line. */
		size_t n = strlen(proposal);
		while (n > 0 && (proposal[n - 1] == '\n' || proposal[n - 1] == ' '))
			n--;
		char *trimmed = n < strlen(proposal) ? strndup(proposal, n) : NULL;
		write_labelled(w, label, trimmed ? trimmed : proposal);
		free(trimmed);
	}
}

static void write_findings(const text_writer *w, const vigil_report *report)
{
	size_t count = vigil_report_finding_count(report);
	unsigned current_level = 0;

	for (size_t i = 0; i < count; i++) {
		const vigil_finding *finding = vigil_report_finding(report, i);
		unsigned level;
		if (!finding)
			continue;
		level = vigil_finding_level(finding);
		if (level != current_level) {
			current_level = level;
			fputc('\n', w->out);
			paint(w, SGR_BOLD);
			fprintf(w->out, "Level %u ", level);
			put_text(w, vigil_report_level_name(report, level), 0);
			fputs(" findings:", w->out);
			reset(w);
			fputc('\n', w->out);
		}
		write_finding(w, finding);
	}
}

/* ------------------------------------------------------------ healing */

static void write_file_line(const text_writer *w, const char *label, const char *path)
{
	if (!path)
		return;
	fprintf(w->out, "%*s%-8s ", FINDING_INDENT, "", label);
	put_text(w, path, 0);
	fputc('\n', w->out);
}

/* Per database: what healing did, each statement with its risk and outcome, the files. */
static void write_healing(const text_writer *w, const vigil_report *report)
{
	size_t count = vigil_report_heal_count(report);

	for (size_t i = 0; i < count; i++) {
		const vigil_heal_database *h = vigil_report_heal_at(report, i);
		fputc('\n', w->out);
		paint(w, SGR_BOLD);
		fputs("Healing ", w->out);
		put_text(w, h->database, 0);
		fprintf(w->out, " (%s, --heal=%s): ", h->database_type,
		        vigil_heal_mode_name(h->mode));
		reset(w);
		if (h->mode == VIGIL_HEAL_PLAN)
			fputs("planned", w->out);
		else
			fprintf(w->out, "%s, %s, %s after %u round%s",
			        h->attempted ? "attempted" : "not attempted",
			        h->applied ? "applied" : "nothing applied",
			        h->converged ? "converged" : "NOT converged", h->rounds,
			        h->rounds == 1 ? "" : "s");
		fprintf(w->out, "; drift %zu -> %zu\n", h->drift_before, h->drift_after);
		if (h->message) {
			fprintf(w->out, "%*s", FINDING_INDENT, "");
			put_text(w, h->message, FINDING_INDENT);
			fputc('\n', w->out);
		}
		for (size_t k = 0; k < h->initial_check_count; k++) {
			const vigil_heal_check *c = &h->initial_checks[k];
			fprintf(w->out, "%*sbefore: %s %s", FINDING_INDENT, "", c->name,
			        vigil_status_name(c->status));
			if (c->findings) {
				fputs(" (", w->out);
				put_text(w, c->findings, 0);
				fputc(')', w->out);
			}
			fputc('\n', w->out);
		}
		for (size_t k = 0; k < h->statement_count; k++) {
			const vigil_heal_statement *st = &h->statements[k];
			fprintf(w->out, "%*s%u.%zu [%s] %s: ", FINDING_INDENT, "", st->round, k + 1,
			        vigil_risk_name(st->risk), vigil_heal_outcome_name(st->outcome));
			put_text(w, st->fixes ? st->fixes : st->code, 0);
			fputc('\n', w->out);
			if (st->sql) {
				fprintf(w->out, "%*s", FINDING_INDENT + 4, "");
				put_text(w, st->sql, FINDING_INDENT + 4);
				fputc('\n', w->out);
			}
			if (st->message) {
				fprintf(w->out, "%*s-- ", FINDING_INDENT + 4, "");
				put_text(w, st->message, FINDING_INDENT + 7);
				fputc('\n', w->out);
			}
		}
		write_file_line(w, "plan", h->plan_file);
		write_file_line(w, "journal", h->journal_file);
		write_file_line(w, "resume", h->resume_file);
		write_file_line(w, "undo", h->undo_file);
		write_file_line(w, "backup", h->backup_file);
	}
}

/* Blueprint healing: per level attempted / applied / converged, each edit, the files. */
static void write_blueprint_healing(const text_writer *w, const vigil_report *report)
{
	const vigil_heal_blueprint *h = vigil_report_heal_blueprint(report);
	if (!h)
		return;
	fputc('\n', w->out);
	paint(w, SGR_BOLD);
	fprintf(w->out, "Blueprint healing (--heal=%s): ", vigil_heal_mode_name(h->mode));
	reset(w);
	const char *done = h->applied                   ? "applied"
	                   : !h->healed_file            ? "nothing written"
	                   : h->mode == VIGIL_HEAL_PLAN ? "planned"
	                                                : "not applied";
	fprintf(w->out, "%s, %s, %s\n", h->attempted ? "attempted" : "not attempted", done,
	        h->converged ? "converged" : "NOT converged");
	for (size_t k = 0; k < 2; k++) {
		const vigil_heal_level *lv = &h->levels[k];
		fprintf(w->out, "%*slevel %u: ", FINDING_INDENT, "", lv->level);
		if (!lv->attempted) {
			fprintf(w->out, "not attempted (%s", vigil_status_name(lv->before));
		} else {
			fprintf(w->out, "attempted, %s, %s (%s",
			        lv->applied      ? "applied"
			        : lv->edit_count ? done
			                         : "nothing written",
			        lv->converged ? "converged" : "NOT converged",
			        vigil_status_name(lv->before));
		}
		if (h->edit_count)
			fprintf(w->out, " -> %s when healed", vigil_status_name(lv->after));
		fprintf(w->out, "; %zu -> %zu finding%s; %zu edit%s)\n", lv->findings_before,
		        lv->findings_after, lv->findings_after == 1 ? "" : "s", lv->edit_count,
		        lv->edit_count == 1 ? "" : "s");
	}
	if (h->message) {
		fprintf(w->out, "%*s", FINDING_INDENT, "");
		put_text(w, h->message, FINDING_INDENT);
		fputc('\n', w->out);
	}
	for (size_t k = 0; k < h->edit_count; k++) {
		const vigil_heal_edit *e = &h->edits[k];
		fprintf(w->out, "%*s%s ", FINDING_INDENT, "", e->code);
		put_text(w, h->input_file, 0);
		fprintf(w->out, ":%u:%u: ", e->line, e->column);
		put_text(w, e->description, FINDING_INDENT + 4);
		fputc('\n', w->out);
	}
	write_file_line(w, "healed", h->healed_file);
	write_file_line(w, "diff", h->diff_file);
}

/* ------------------------------------------------------------ summary */

static int same_reason(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Opens the summary's parenthesised note, or continues it. */
static void open_note(const text_writer *w, int *opened)
{
	fputs(*opened ? "; " : " (", w->out);
	*opened = 1;
}

/* "levels 3–4 not run: <reason>" — each run of consecutive levels skipped for one reason
 * once — and "level 2 did not complete: <reason>". */
static void write_levels_not_run(const text_writer *w, const vigil_report *report, int *opened)
{
	unsigned count = vigil_report_level_count(report);

	for (unsigned level = 1; level <= count; level++) {
		vigil_status status = vigil_report_level_status(report, level);
		const char *reason = vigil_report_level_reason(report, level);
		unsigned last = level;

		if (status != VIGIL_STATUS_SKIPPED && status != VIGIL_STATUS_ERROR)
			continue;
		while (status == VIGIL_STATUS_SKIPPED && last < count &&
		       vigil_report_level_status(report, last + 1) == VIGIL_STATUS_SKIPPED &&
		       same_reason(reason, vigil_report_level_reason(report, last + 1)))
			last++;

		open_note(w, opened);
		paint(w, status_color(status));
		if (last > level)
			fprintf(w->out, "levels %u\xe2\x80\x93%u", level, last);
		else
			fprintf(w->out, "level %u", level);
		fputs(status == VIGIL_STATUS_SKIPPED ? " not run" : " did not complete", w->out);
		reset(w);
		if (reason) {
			fputs(": ", w->out);
			put_text(w, reason, 0);
		}
		level = last;
	}
}

/* A check that did not run (or complete) inside a level that ran: the level's "passed"
 * must not hide it. */
static int is_unfinished_check(const vigil_report *report, unsigned level, size_t i)
{
	vigil_status status = vigil_report_check_status(report, level, i);

	return vigil_report_level_status(report, level) != VIGIL_STATUS_SKIPPED &&
	       (status == VIGIL_STATUS_SKIPPED || status == VIGIL_STATUS_ERROR);
}

static int same_unfinished(const vigil_report *report, unsigned level_a, size_t a, unsigned level_b,
                           size_t b)
{
	return vigil_report_check_status(report, level_a, a) ==
	               vigil_report_check_status(report, level_b, b) &&
	       same_reason(vigil_report_check_reason(report, level_a, a),
	                   vigil_report_check_reason(report, level_b, b));
}

/* Counts the unfinished checks like (level, i) from (level, i) on; 0 when one before it is
 * like it, since that one has already been reported with the count. */
static size_t count_unfinished_like(const vigil_report *report, unsigned level, size_t i)
{
	unsigned levels = vigil_report_level_count(report);
	size_t count = 0;

	for (unsigned l = 1; l <= levels; l++) {
		size_t checks = vigil_report_check_count(report, l);
		for (size_t j = 0; j < checks; j++) {
			int before = l < level || (l == level && j < i);
			if (!is_unfinished_check(report, l, j) ||
			    !same_unfinished(report, level, i, l, j))
				continue;
			if (before)
				return 0;
			count++;
		}
	}
	return count;
}

/* "check database-checks [main] not run: <reason>", or "3 checks not run: <reason>". */
static void write_checks_not_run(const text_writer *w, const vigil_report *report, int *opened)
{
	unsigned levels = vigil_report_level_count(report);

	for (unsigned level = 1; level <= levels; level++) {
		size_t checks = vigil_report_check_count(report, level);
		for (size_t i = 0; i < checks; i++) {
			vigil_status status = vigil_report_check_status(report, level, i);
			const char *reason = vigil_report_check_reason(report, level, i);
			const char *database = vigil_report_check_database(report, level, i);
			size_t count;

			if (!is_unfinished_check(report, level, i))
				continue;
			count = count_unfinished_like(report, level, i);
			if (count == 0)
				continue;
			open_note(w, opened);
			paint(w, status_color(status));
			if (count == 1) {
				fputs("check ", w->out);
				put_text(w, vigil_report_check_name(report, level, i), 0);
				if (database) {
					fputs(" [", w->out);
					put_text(w, database, 0);
					fputc(']', w->out);
				}
			} else {
				fprintf(w->out, "%zu checks", count);
			}
			fputs(status != VIGIL_STATUS_SKIPPED ? " did not complete"
			      : vigil_report_check_on_request(report, level, i)
			              ? " not run, on request"
			              : " not run",
			      w->out);
			reset(w);
			if (reason) {
				fputs(": ", w->out);
				put_text(w, reason, 0);
			}
		}
	}
}

static void write_not_run(const text_writer *w, const vigil_report *report)
{
	int opened = 0;

	write_levels_not_run(w, report, &opened);
	write_checks_not_run(w, report, &opened);
	if (opened)
		fputc(')', w->out);
}

static void write_summary(const text_writer *w, const vigil_report *report)
{
	size_t infos = vigil_report_count_severity(report, VIGIL_SEVERITY_INFO);
	const char *verdict = vg_view_verdict(report);

	fputc('\n', w->out);
	paint(w, vigil_report_passed(report) ? SGR_BOLD SGR_GREEN : SGR_BOLD SGR_RED);
	fputs(verdict, w->out);
	reset(w);
	fputs(": ", w->out);
	put_plural(w, vigil_report_count_severity(report, VIGIL_SEVERITY_ERROR), "error");
	fputs(", ", w->out);
	put_plural(w, vigil_report_count_severity(report, VIGIL_SEVERITY_WARNING), "warning");
	if (infos > 0) {
		fputs(", ", w->out);
		put_plural(w, infos, "info");
	}
	fprintf(w->out, " in %.1f ms", vigil_report_duration_ms(report));
	if (vigil_report_baseline(report))
		fprintf(w->out, "; baseline: %zu known, %zu new", vigil_report_known_count(report),
		        vigil_report_finding_count(report) - vigil_report_known_count(report) -
		                vigil_report_suppressed_count(report));
	if (vigil_report_suppressed_count(report))
		fprintf(w->out, "; %zu suppressed", vigil_report_suppressed_count(report));
	if (vigil_report_fail_on(report) == VIGIL_SEVERITY_WARNING)
		fputs("; warnings fail (--fail-on warning)", w->out);
	write_not_run(w, report);
	fputc('\n', w->out);
}

int vg_write_text(const vigil_report *report, FILE *out, const vigil_write_options *options)
{
	text_writer w = { out, options->color, options->verbose };
	unsigned levels = vigil_report_level_count(report);

	write_header(&w, report);
	for (unsigned level = 1; level <= levels; level++)
		write_level(&w, report, level);
	write_findings(&w, report);
	write_blueprint_healing(&w, report); /* it ran first: levels 1–2 */
	write_healing(&w, report);
	write_summary(&w, report);
	if (fflush(out) != 0 || ferror(out))
		return VIGIL_EIO;
	return VIGIL_OK;
}
