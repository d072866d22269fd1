/*
 * writers.h — the report writers behind vigil_report_write (reports/write.c).
 *
 * Each writer reads a finished report through the public getters of vigil.h only, so it
 * could live outside the library. Each returns VIGIL_OK, VIGIL_ENOMEM, or VIGIL_EIO when
 * the stream reports an error. `options` is never NULL here.
 *
 * The CI formats (SARIF, JUnit, GitHub, GitLab, Markdown) read the report through one
 * shared walk, vg_view (view.c): findings grouped by check and by database object, counted
 * per level, so no writer walks the tree its own way.
 */
#ifndef VG_REPORT_WRITERS_H
#define VG_REPORT_WRITERS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

#include "vigil/vigil.h"

int vg_write_text(const vigil_report *report, FILE *out, const vigil_write_options *options);
int vg_write_json(const vigil_report *report, FILE *out, const vigil_write_options *options);
int vg_write_sarif(const vigil_report *report, FILE *out, const vigil_write_options *options);
int vg_write_junit(const vigil_report *report, FILE *out, const vigil_write_options *options);
int vg_write_github(const vigil_report *report, FILE *out, const vigil_write_options *options);
int vg_write_gitlab(const vigil_report *report, FILE *out, const vigil_write_options *options);
int vg_write_markdown(const vigil_report *report, FILE *out, const vigil_write_options *options);
int vg_write_baseline(const vigil_report *report, FILE *out, const vigil_write_options *options);

/**
 * The length (1-4) of the well-formed UTF-8 sequence at `s`, or 0 when the bytes there are
 * not one (a stray, overlong, surrogate or truncated sequence). Reads no byte past a NUL.
 * Writers use it so that no input byte can break their output's encoding.
 */
size_t vg_utf8_sequence_length(const unsigned char *s);

/**
 * Prints a cJSON tree as json.c does (two-space indentation, fixed key order, strings
 * made well-formed UTF-8) followed by a newline; VIGIL_OK or VIGIL_EIO.
 */
int vg_json_print(FILE *out, const cJSON *root);

/* ------------------------------------------------------------ the shared walk */

/** A check of the report and its findings (view->by_check[first .. first + count)). */
typedef struct vg_view_check {
	unsigned level;
	size_t index; /**< within its level (vigil_report_check_*) */
	size_t first;
	size_t count;
	size_t errors, warnings, infos;
} vg_view_check;

typedef struct vg_view {
	const vigil_report *report;
	size_t finding_count;
	const vigil_finding **findings; /**< report order */
	size_t check_count;
	vg_view_check *checks; /**< level order, then run order */
	/** Finding indices grouped per check in check order; those no check claims (a
	 *  plugin's finding without a check name) come last, from `unclaimed_first` on. */
	size_t *by_check;
	size_t unclaimed_first;
	/** Finding indices ordered by database (blueprint-only findings first), object, then
	 *  report order: the Markdown report's grouping. */
	size_t *by_object;
	size_t counts[5][3]; /**< [level][severity]: findings per level (1-4) and severity */
} vg_view;

/** Builds the view of a finished report; VIGIL_OK or VIGIL_ENOMEM. */
int vg_view_build(vg_view *view, const vigil_report *report);
void vg_view_free(vg_view *view);

/** "table" and "column" of an object written "table.column" (column NULL without a dot),
 *  copied into `buffer`; returns 0, or -1 when it does not fit. */
int vg_view_split_object(const char *object, char *buffer, size_t size, const char **table,
                         const char **column);

/** The verdict word of a report: "PASS", "FAIL" or "ERROR" (a check could not run). */
const char *vg_view_verdict(const vigil_report *report);

/** A finding's message with its detail and hint on the lines after it (malloc'ed). */
char *vg_view_full_message(const vigil_finding *finding);

#endif
