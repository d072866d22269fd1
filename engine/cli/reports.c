/* reports.c — validate's report targets (reports.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "reports.h"

const char cli_reports_help[] =
        "  -f, --format FORMAT   the format of the report on standard output (or in\n"
        "                        --output): text (default), json, sarif, junit, github,\n"
        "                        gitlab or markdown\n"
        "  -o, --output FILE     write that report to FILE instead of standard output;\n"
        "                        the file is replaced whole or not at all\n"
        "      --report FORMAT=FILE  also write a report in FORMAT to FILE (repeatable;\n"
        "                        FILE '-' is standard output), whole or not at all; the\n"
        "                        text report still goes to standard output unless\n"
        "                        --quiet, --format/--output, or a report takes it. A\n"
        "                        github report with GITHUB_STEP_SUMMARY set also appends\n"
        "                        the markdown report to that file\n"
        "  -q, --quiet           no text report on standard output\n";

int cli_reports_add(cli_reports *reports, const char *spec)
{
	const char *equals = strchr(spec, '=');
	char name[32];
	vigil_format format;
	cli_report_target *grown;

	if (!equals || equals == spec || !equals[1])
		return cli_usage_error(
		        "--report takes FORMAT=FILE (e.g. sarif=vigil.sarif), not '%s'", spec);
	snprintf(name, sizeof name, "%.*s", (int)(equals - spec), spec);
	if ((size_t)(equals - spec) >= sizeof name || vigil_format_parse(&format, name) != VIGIL_OK)
		return cli_usage_error("--report: unknown format '%.*s' (use text, json, sarif, "
		                       "junit, github, gitlab or markdown)",
		                       (int)(equals - spec), spec);
	grown = realloc(reports->targets, (reports->count + 1) * sizeof *grown);
	if (!grown) {
		fputs("vigil: out of memory\n", stderr);
		return VIGIL_EXIT_INTERNAL;
	}
	reports->targets = grown;
	reports->targets[reports->count++] = (cli_report_target){ format, equals + 1 };
	return 0;
}

static int is_stdout(const char *path)
{
	return !path || strcmp(path, "-") == 0;
}

int cli_reports_check(const cli_reports *reports)
{
	int on_stdout = reports->legacy && is_stdout(reports->output);

	for (size_t i = 0; i < reports->count; i++) {
		const char *path = reports->targets[i].path;
		if (is_stdout(path)) {
			if (on_stdout++)
				return cli_usage_error("only one report can go to standard output");
			continue;
		}
		if (reports->legacy && reports->output && strcmp(reports->output, path) == 0)
			return cli_usage_error("'%s' is both --output and a --report file", path);
		for (size_t j = 0; j < i; j++)
			if (strcmp(reports->targets[j].path, path) == 0)
				return cli_usage_error("two reports would be written to '%s'",
				                       path);
	}
	return 0;
}

const char *cli_reports_first_file(const cli_reports *reports)
{
	if (reports->legacy && !is_stdout(reports->output))
		return reports->output;
	for (size_t i = 0; i < reports->count; i++)
		if (!is_stdout(reports->targets[i].path))
			return reports->targets[i].path;
	return NULL;
}

static int report_takes_stdout(const cli_reports *reports)
{
	for (size_t i = 0; i < reports->count; i++)
		if (is_stdout(reports->targets[i].path))
			return 1;
	return 0;
}

int cli_reports_text_on_stdout(const cli_reports *reports)
{
	if (reports->legacy)
		return reports->format == VIGIL_FORMAT_TEXT && is_stdout(reports->output);
	return !reports->quiet && !report_takes_stdout(reports);
}

typedef struct write_payload {
	const vigil_report *report;
	vigil_format format;
	const vigil_write_options *options;
} write_payload;

static int write_one(FILE *out, void *payload)
{
	const write_payload *p = payload;
	return vigil_report_write(p->report, p->format, out, p->options);
}

/* One report to its target; 0 or VIGIL_EXIT_INTERNAL (said on stderr). Colour only in the
 * text report on standard output. */
static int emit(const vigil_report *report, vigil_format format, const char *path,
                const vigil_write_options *text_options)
{
	vigil_write_options options = *text_options;
	write_payload payload = { report, format, &options };
	char error[1200];
	int rc;

	if (!is_stdout(path)) {
		options.color = 0;
		if (cli_write_file_atomically(path, write_one, &payload, error, sizeof error) !=
		    0) {
			fprintf(stderr, "vigil: %s\n", error);
			return VIGIL_EXIT_INTERNAL;
		}
		return 0;
	}
	if (format != VIGIL_FORMAT_TEXT)
		options.color = 0;
	rc = write_one(stdout, &payload);
	if (rc != VIGIL_OK) {
		fprintf(stderr, "vigil: cannot write the %s report to standard output: %s\n",
		        vigil_format_name(format), vigil_strerror(rc));
		return VIGIL_EXIT_INTERNAL;
	}
	return 0;
}

/* GitHub's job summary: the Markdown report, appended in one write so that a failure
 * leaves no half report behind it. */
static int append_step_summary(const vigil_report *report, const char *path)
{
	char *text = NULL;
	size_t size = 0;
	FILE *memory = open_memstream(&text, &size);
	int rc = memory ? vigil_report_write(report, VIGIL_FORMAT_MARKDOWN, memory, NULL)
	                : VIGIL_ENOMEM;
	FILE *out;

	if (memory && fclose(memory) != 0 && rc == VIGIL_OK)
		rc = VIGIL_ENOMEM;
	if (rc == VIGIL_OK) {
		out = fopen(path, "a");
		if (!out || fwrite(text, 1, size, out) != size || fclose(out) != 0) {
			fprintf(stderr,
			        "vigil: cannot append the job summary to '%s' (GITHUB_STEP_SUMMARY)\n",
			        path);
			free(text);
			return VIGIL_EXIT_INTERNAL;
		}
	}
	free(text);
	if (rc != VIGIL_OK) {
		fprintf(stderr, "vigil: cannot write the job summary: %s\n", vigil_strerror(rc));
		return VIGIL_EXIT_INTERNAL;
	}
	return 0;
}

int cli_reports_emit(const cli_reports *reports, const vigil_report *report,
                     const vigil_write_options *text_options)
{
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	int status = 0, github = 0;

	if (reports->legacy || cli_reports_text_on_stdout(reports))
		status |= emit(report, reports->legacy ? reports->format : VIGIL_FORMAT_TEXT,
		               reports->legacy ? reports->output : "-", text_options);
	for (size_t i = 0; i < reports->count; i++) {
		status |= emit(report, reports->targets[i].format, reports->targets[i].path,
		               text_options);
		github |= reports->targets[i].format == VIGIL_FORMAT_GITHUB;
	}
	github |= reports->legacy && reports->format == VIGIL_FORMAT_GITHUB;
	if (github && summary && summary[0])
		status |= append_step_summary(report, summary);
	return status ? VIGIL_EXIT_INTERNAL : 0;
}

void cli_reports_free(cli_reports *reports)
{
	free(reports->targets);
	reports->targets = NULL;
	reports->count = 0;
}
