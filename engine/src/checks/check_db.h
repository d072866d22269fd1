/*
 * check_db.h — the database a check plugin reaches through the host table (ABI 1.2).
 *
 * One vg_check_db per blueprint database and run of its checks (in a worker process, or in
 * process): the driver handle (db.h: the driver plugin of the database's type, loaded by name)
 * and a connection pool over it. Both are made by vg_check_db_new on the thread that runs the
 * checks, which therefore has the driver's per-thread setup; the pool opens nothing until the
 * first acquire (min 0), so preflight measures a real connect. A database that cannot be
 * opened (no driver plugin, a URL the driver cannot use) still gives a vg_check_db: every
 * acquire then fails with that reason.
 *
 * Threads: sessions may be acquired, used and released from several threads at once (the
 * pool is thread-safe; each session is used by one thread at a time). Threads other than the
 * creating one bracket their use with vg_host_db_thread_begin/end.
 */
#ifndef VG_CHECK_DB_H
#define VG_CHECK_DB_H

#include <stddef.h>

#include "vigil/plugin.h"

#include "blueprint.h"
#include "plugin_loader.h"

typedef struct vg_check_db vg_check_db;

/**
 * Opens the driver handle and the pool for `database`, and builds its declared schema once
 * for every check's comparison. `host` is the table the host's own findings go through
 * (a lock wait's VG625).
 * `extra_clients` raises the pool's size to at least that many connections (a benchmark's
 * clients from validation.performance). `deadline_ms`, the check timeout, sets every
 * session's server-side lock and statement timeouts (vg_db_set_deadline). NULL only when
 * memory runs out.
 */
vg_check_db *vg_check_db_new(const vigil_host *host, vg_plugins *plugins,
                             const vg_database *database, unsigned extra_clients,
                             unsigned deadline_ms);

/**
 * Releases (as broken) every session still held, e.g. by a check that returned without
 * releasing; returns how many there were. Call between checks, on the creating thread.
 */
size_t vg_check_db_reclaim(vg_check_db *cdb);

/** Closes every connection and the driver handle. NULL allowed. On the creating thread. */
void vg_check_db_free(vg_check_db *cdb);

/* The host functions (installed in the host table by host.c). */
int vg_host_db_acquire(vigil_check_ctx *ctx, vigil_db_session **out, vigil_db_error *err);
void vg_host_db_release(vigil_db_session *session, int broken);
int vg_host_db_ping(vigil_db_session *session, vigil_db_error *err);
int vg_host_db_server_version(vigil_db_session *session, char *buf, size_t size,
                              vigil_db_error *err);
int vg_host_db_session_info(vigil_db_session *session, char *user, size_t user_size, char *database,
                            size_t database_size, int *tls, vigil_db_error *err);
int vg_host_db_exec(vigil_db_session *session, const char *sql, vigil_db_error *err);
int vg_host_db_query(vigil_db_session *session, const char *sql, size_t param_count,
                     const char *const *params, vigil_row_fn row, void *payload,
                     unsigned long long *rows_affected, vigil_db_error *err);
int vg_host_db_begin(vigil_db_session *session, vigil_db_error *err);
int vg_host_db_commit(vigil_db_session *session, vigil_db_error *err);
int vg_host_db_rollback(vigil_db_session *session, vigil_db_error *err);
int vg_host_db_thread_begin(vigil_check_ctx *ctx);
void vg_host_db_thread_end(vigil_check_ctx *ctx);
int vg_host_db_schema_compare(vigil_check_ctx *ctx, vigil_db_session *session,
                              const vigil_schema_comparison **out, vigil_db_error *err);
int vg_host_db_privileges(vigil_check_ctx *ctx, vigil_db_session *session,
                          const vigil_privilege **items, size_t *count, vigil_db_error *err);
void vg_host_db_pool_stats(vigil_check_ctx *ctx, vigil_pool_stats *out);

#endif
