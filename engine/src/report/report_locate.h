/*
 * report_locate.h — a finished report's findings located for CI tools (report_locate.c).
 *
 * The project root is the folder given (vigil_engine_set_project_root), else the nearest
 * folder from the current one up that holds `.git`, else the current folder. Each finding's
 * uri is its file relative to that root ('/'-separated), or its absolute path when outside.
 *
 * Its fingerprint is VG_FINGERPRINT_BYTES of a SHA-256, in hex, over what identifies the
 * finding across runs: the code, the file relative to the root (the file's name alone when
 * outside it), the database, the object and the message with "line N" taken out and each
 * absolute path cut to its last component — never a line or column, a duration or a path
 * outside the root. The k-th finding alike in report
 * order (k ≥ 1) hashes k too, so no two findings of a report share a fingerprint.
 */
#ifndef VG_REPORT_LOCATE_H
#define VG_REPORT_LOCATE_H

#include "run.h"

#define VG_FINGERPRINT_BYTES 16

/** Sets the report's project root (NULL: the default above). VIGIL_OK or VIGIL_ENOMEM. */
int vg_report_set_root(vigil_report *report, const char *root);
/** Sets the uri and fingerprint of `n` findings given in report order (the order decides
 *  which twin is the k-th). The root must be set. */
int vg_locate_findings(vigil_report *report, vigil_finding **findings, size_t n);
/** The same for every finding of the finished (sorted) report. */
int vg_report_locate(vigil_report *report);
/** The report's order of findings (qsort comparator over vigil_finding *). */
int vg_finding_order(const void *a, const void *b);

#endif
