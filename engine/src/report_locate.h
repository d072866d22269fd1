/*
 * report_locate.h — a finished report's findings located for CI tools (report_locate.c).
 *
 * The project root is the folder given (vigil_engine_set_project_root), else the nearest
 * folder from the current one up that holds `.git`, else the current folder. Each finding's
 * uri is its file relative to that root ('/'-separated), or its absolute path when outside.
 *
 * Its fingerprint is VG_FINGERPRINT_BYTES of a SHA-256, in hex, over what identifies the
 * finding across runs: the code, the file relative to the root (the file's name alone when
 * outside it), the database, the object and the message with "line N" taken out — never a
 * line or column, a duration or a path outside the root. The k-th finding alike in report
 * order (k ≥ 1) hashes k too, so no two findings of a report share a fingerprint.
 */
#ifndef VG_REPORT_LOCATE_H
#define VG_REPORT_LOCATE_H

#include "run.h"

#define VG_FINGERPRINT_BYTES 16

/** Sets the report's root and every finding's uri and fingerprint. `root` may be NULL. */
int vg_report_locate(vigil_report *report, const char *root);

#endif
