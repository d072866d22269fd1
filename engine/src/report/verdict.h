/*
 * verdict.h — what the run's outcome says (docs/exit-codes.md).
 *
 * vg_verdict_complete runs once every level has settled, while the blueprint still lives: it
 * adds an error finding behind every failure that has none (a check that failed or ended in
 * error silently: VG611; a check that did not run unasked: VG612) and points every finding
 * about a database without a location into the blueprint (the object it concerns, the
 * `permissions:` or `benchmark:` entry its check reads, else the database's url: line).
 * vg_verdict_settle then derives the exit code from the findings alone, so "fail", "at least
 * one error finding" and "exit code not 0" always agree.
 */
#ifndef VG_VERDICT_H
#define VG_VERDICT_H

#include "run.h"

/** VIGIL_OK or VIGIL_ENOMEM. `bp` NULL: the blueprint could not be read (nothing to place). */
int vg_verdict_complete(vigil_report *report, const vg_blueprint *bp);

/**
 * The exit code, by precedence: internal error (4) and an unreadable blueprint (2) are
 * decided before; then a usage error found at run time (2: VG613), could not check (3: the
 * database unreachable or refusing the user, a check that crashed, timed out, could not
 * load or did not run), findings about the system (1: any other error finding), passed (0).
 */
void vg_verdict_settle(vigil_report *report);

#endif
