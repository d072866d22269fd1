/*
 * worker.h — runs the database checks of check plugins, isolated from the engine.
 *
 * Each database's checks run in a worker process (fork, no exec: the worker has the parsed
 * blueprint and the loaded plugins). The worker runs the checks in dependency order and
 * streams each check's result to the parent as soon as it completes: a frame of a 4-byte
 * native-endian length and a JSON object, on a pipe of its own (the worker's stdout is
 * /dev/null, so a plugin printing cannot corrupt it). The parent polls every worker with the
 * running check's deadline; a crash (a signal, or an exit before the result) or a timeout
 * becomes that check's error, the worker is killed (SIGKILL to its process group) and
 * reaped, and the database's remaining checks go on in a fresh worker. Databases run in
 * parallel, up to `jobs` workers at a time. Every child is reaped on every path.
 *
 * In-process mode (isolate = 0) runs the same checks through the same code, without fork:
 * for debugging a plugin.
 */
#ifndef VG_WORKER_H
#define VG_WORKER_H

#include <stddef.h>

#include "plugin_loader.h"
#include "run.h"
#include "vigil/plugin.h"
#include "vigil/vigil.h"

typedef struct vg_worker_options {
	const vigil_host *host; /* given to the checks and their thread hooks */
	int isolate;         /* run each database's checks in a worker process */
	unsigned jobs;       /* workers at once (>= 1); in-process mode runs one at a time */
	unsigned timeout_ms; /* deadline of one check (> 0) */
	vigil_log_fn log;    /* plugins' log lines, or NULL */
	void *log_payload;
	/* Where the database's driver plugin is found (loaded by type on the worker's side). */
	vg_plugins *plugins;
} vg_worker_options;

/**
 * Runs every check of the given check plugins (load order) on every database of
 * base->blueprint, at level 3. Appends one check record per database and check to
 * base->report (databases in blueprint order, each database's checks in dependency order),
 * with the findings and metrics the checks produced. base supplies report, blueprint and
 * root. Returns VIGIL_OK, VIGIL_ENOMEM, or VIGIL_EINTERNAL when the parent itself failed
 * (poll); crashes, timeouts and a failing fork are check errors, not failures of this call.
 */
int vg_run_database_checks(const vigil_check_ctx *base, const vigil_plugin_desc *const *plugins,
                           size_t plugin_count, const vg_worker_options *options);

/** "SIGSEGV (segmentation fault)" for a signal number; static storage. */
const char *vg_signal_describe(int sig, char *buf, size_t size);

#endif
