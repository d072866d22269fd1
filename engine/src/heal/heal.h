/*
 * heal.h — database healing after level 3 failed (`--heal=plan|apply`; the contract is
 * docs/healing.md).
 *
 * heal.c runs it: per database whose `schema` check failed (or whose failed plugin checks
 * offer `heal`), it opens the database in this process through its driver plugin (db.h),
 * diffs the live schema with the declared one and makes the statements (schema_fix.h), adds
 * the plugins' proposals (host->heal_propose), then plans or applies them and re-runs level
 * 3's database checks on the healed databases (plugin_host.h), up to the configured rounds.
 * heal_files.c writes what healing leaves on disk (plan, journal, resume and undo plans),
 * each atomically except the journal, which is appended and synced line by line.
 */
#ifndef VG_HEAL_H
#define VG_HEAL_H

#include <signal.h>
#include <stddef.h>

#include "vigil/plugin.h"
#include "vigil/vigil.h"

#include "arena.h"
#include "plugin_host.h"
#include "run.h"

/** What the run asked for (from vigil_run_options, version-checked by the pipeline). */
typedef struct vg_heal_settings {
	int mode; /* vigil_heal_mode */
	int allow_destructive;
	unsigned rounds; /* >= 1 */
	const char *dir; /* never NULL ("." by default) */
	/* The caller's flag: non-zero (the signal's number) once SIGINT/SIGTERM arrived; healing
	 * then stops before its next statement. NULL: never. */
	const volatile sig_atomic_t *interrupted;
} vg_heal_settings;

/**
 * Heals after level 3 ran (ctx->level == 3, its records in ctx->report). Records one
 * vigil_heal_database per database it looked at in report->heals; with apply, replaces the
 * healed databases' level-3 records and findings with the last re-check and settles level
 * 3's status again (vg_level_settle). VIGIL_OK, VIGIL_ENOMEM, VIGIL_EINTERNAL; a database
 * that cannot be reached or healed is recorded, not an error of this call.
 */
int vg_heal_level3(vg_plugin_host *host, vigil_check_ctx *ctx, const vg_heal_settings *settings);

/** Where a plugin's heal callback puts its statements (ctx->heal; host->heal_propose). */
typedef struct vg_heal_sink vg_heal_sink;

/** host->heal_propose. */
int vg_heal_propose(vigil_check_ctx *ctx, const char *sql, int risk, const char *what);

/* ---- heal_files.c ---- */

/** A growable string (malloc'ed). */
typedef struct vg_heal_text {
	char *data;
	size_t length, cap;
	int failed; /* an allocation failed: the text is incomplete */
} vg_heal_text;

void vg_heal_text_add(vg_heal_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vg_heal_text_free(vg_heal_text *t);

/** "<dir>/<system>.<database><suffix>", the names made file-name safe. Report arena. */
const char *vg_heal_file_name(vg_arena *arena, const char *dir, const char *system,
                              const char *database, const char *suffix);

/** Writes `text` to `path` atomically (temporary file, fsync, rename). 0, or -1 with a
 *  one-line reason in `error`. */
int vg_heal_write_file(const char *path, const char *text, char *error, size_t error_size);

/** An RFC 3339 UTC time stamp with milliseconds, now. */
void vg_heal_timestamp(char *buf, size_t size);

/** Appends one line to a journal (opened for appending), then fsyncs. 0 or -1. */
int vg_heal_journal_line(int fd, const char *line);

/** The SQL on one line (newlines and runs of blanks folded to one space), for journals. */
const char *vg_heal_one_line(vg_arena *arena, const char *sql);

#endif
