/*
 * report_accept.h — findings the user has accepted, and what fails the run (report_accept.c).
 *
 *  - a baseline (vigil_engine_set_baseline): findings whose fingerprint it records are
 *    KNOWN; a file that cannot be read as one is a VG641 error finding (fail closed);
 *  - inline suppressions: `x-vigil-ignore: [{code: VG405, reason: …}]` in a blueprint
 *    mapping SUPPRESSES findings of that code located inside the mapping (the
 *    structure.ignore check collects them; an entry without code or reason is VG640);
 *  - fail-on (vigil_engine_set_fail_on): with WARNING, a check with a warning that is not
 *    accepted fails, as an error would.
 *
 * Accepted findings stay in the report, marked, with the suppression's reason; they do not
 * count (vigil_report_count_severity, the verdict). Each level is judged when it settles
 * (vg_level_settle), before the next level's gate, so a level whose every error is accepted
 * passes and the levels after it run.
 */
#ifndef VG_REPORT_ACCEPT_H
#define VG_REPORT_ACCEPT_H

#include "run.h"

/** What of the findings is accepted, for one run; report-arena owned. */
typedef struct vg_ignore {
	const char *code;
	const char *reason;
	const char *file;
	unsigned line, column;         /* the mapping's start */
	unsigned end_line, end_column; /* its last node's start */
} vg_ignore;

/** Starts a run's acceptance: the project root, fail-on, and the baseline read (a bad one
 *  adds a failed level-1 check "baseline" with a VG641 finding). VIGIL_OK or VIGIL_ENOMEM. */
int vg_accept_begin(vigil_report *report, const char *root, int fail_on_warning,
                    const char *baseline_path);

/** Forgets the suppressions collected so far (level 1 starts again on a healed text). */
void vg_accept_reset_ignores(vigil_report *report);
/** Records one suppression (strings copied). VIGIL_OK or VIGIL_ENOMEM. */
int vg_accept_add_ignore(vigil_report *report, const vg_ignore *ignore);

/** Judges the findings of a level (marks known / suppressed, re-derives check statuses). */
int vg_accept_level(vigil_report *report, unsigned level);

#endif
