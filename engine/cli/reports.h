/*
 * reports.h — where validate's reports go: --report FORMAT=PATH (repeatable), the legacy
 * --format/--output pair, --quiet, and GitHub's job summary. Public API only.
 *
 * The rules (docs/reports.md): every --report is written to its file whole or not at all
 * (PATH "-" is standard output; at most one report may take it); --format/--output name
 * one more report, written where they say, as before; the text report goes to standard
 * output besides, unless --quiet, --format/--output were given, or a report takes standard
 * output. With a github report and GITHUB_STEP_SUMMARY set, the Markdown report is
 * appended to that file too.
 */
#ifndef VIGIL_CLI_REPORTS_H
#define VIGIL_CLI_REPORTS_H

#include <stddef.h>

#include "vigil/vigil.h"

typedef struct cli_report_target {
	vigil_format format;
	const char *path; /* "-": standard output */
} cli_report_target;

typedef struct cli_reports {
	cli_report_target *targets;
	size_t count;
	int quiet;           /* --quiet */
	int legacy;          /* --format or --output was given */
	vigil_format format; /* --format (default text) */
	const char *output;  /* --output (NULL: standard output) */
} cli_reports;

/** Takes one --report FORMAT=PATH; 0, or the exit code of a usage error (reported). */
int cli_reports_add(cli_reports *reports, const char *spec);
/** Checks the whole set once the options are read (one stdout, no path twice). */
int cli_reports_check(const cli_reports *reports);
/** The first report file (for healing's default folder), or NULL. */
const char *cli_reports_first_file(const cli_reports *reports);
/** Whether the text report on standard output is written (colour decisions need it). */
int cli_reports_text_on_stdout(const cli_reports *reports);
/**
 * Writes every report. Returns 0, or VIGIL_EXIT_INTERNAL when one could not be written
 * (each failure said on stderr; the others are still written).
 */
int cli_reports_emit(const cli_reports *reports, const vigil_report *report,
                     const vigil_write_options *text_options);
void cli_reports_free(cli_reports *reports);

/** The help lines of these options. */
extern const char cli_reports_help[];

#endif
