/*
 * pool.h — a thread-safe connection pool over any database driver.
 *
 * The pool knows nothing about databases: it opens, checks and closes connections through a
 * small connector (vg_pool_connector) given at creation, so every driver fits, and unit tests
 * use a fake one. A connection is an opaque `void *` the connector hands out.
 *
 * Behaviour in brief:
 *  - vg_pool_new opens `min` connections up front; later ones are opened on demand by
 *    vg_pool_acquire, never more than `max` at a time (connections being opened, pinged or
 *    closed count towards `max`, so the driver never sees more than `max` open).
 *  - When all `max` are in use, vg_pool_acquire waits on a condition variable (no polling,
 *    CLOCK_MONOTONIC deadline) until one comes back or the timeout passes.
 *  - Idle connections are reused most-recently-used first (so the others age and expire).
 *    One idle for at least `health_check_idle_ms` is pinged before reuse; a failed ping
 *    closes it and the acquire tries the next one or opens a fresh one.
 *  - Idle expiry: a connection idle longer than `idle_timeout_ms` is closed, but never below
 *    `min` open connections. There is no background thread: expiry runs at each acquire and
 *    release, and whenever the owner calls vg_pool_expire_idle.
 *  - A connection released as broken is closed, never reused.
 *  - Connecting, pinging and closing run outside the pool's lock: a slow server only slows
 *    the thread talking to it.
 *
 * Threads. Every function may be called from any thread. A connection is used by one thread
 * at a time — the thread that acquired it, until it releases it (the caller's contract; the
 * pool refuses a connection released twice or not acquired from it). Client libraries that
 * keep per-thread state (libmysqlclient: mysql_thread_init / mysql_thread_end) get it set up
 * by the threads themselves: each thread other than the one that ran the driver's global
 * initialisation calls vg_pool_thread_begin before its first acquire and vg_pool_thread_end
 * after its last release, before it exits. The pool cannot do it for them: it does not know
 * when a thread ends. vg_pool_new pre-opens `min` connections on the calling thread, which
 * must therefore already be set up (the main thread is, by the driver's global init, e.g.
 * mysql_library_init). Closing (broken release, expiry, vg_pool_free) happens on the thread
 * that triggers it.
 *
 * No global state: two pools are independent. Errors are returned as vg_pool_status codes with
 * a message written into a caller buffer (`err`, `errlen`; may be NULL/0). A connect failure's
 * message is the connector's own: the connector must keep passwords out of it.
 */
#ifndef VG_POOL_H
#define VG_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/vigil.h"

/** Pool results. Shared meanings keep vigil's numbers; the pool's own start at -100. */
typedef enum vg_pool_status {
	VG_POOL_OK = VIGIL_OK,
	VG_POOL_ENOMEM = VIGIL_ENOMEM,       /**< out of memory */
	VG_POOL_EINVAL = VIGIL_EINVAL,       /**< bad configuration, or a connection released
	                                          twice / not acquired from this pool */
	VG_POOL_EINTERNAL = VIGIL_EINTERNAL, /**< pthreads or a driver's thread init failed */
	VG_POOL_ETIMEOUT = -100,             /**< all `max` connections stayed in use until the
	                                          acquire timeout passed */
	VG_POOL_ECONNECT = -101,             /**< the connector could not open a connection;
	                                          the message is the connector's */
	VG_POOL_EBUSY = -102                 /**< vg_pool_free while connections are out or
	                                          threads are waiting; nothing was freed */
} vg_pool_status;

/** A short description of a status code ("connection pool timeout", ...). */
const char *vg_pool_strerror(int status);

/**
 * What the pool needs from a driver. `ctx` is passed back to every function; the pool copies
 * the struct but borrows `ctx`, which must outlive the pool. `connect` and `close` are
 * required; `ping`, `thread_init` and `thread_end` may be NULL (no health check; no per-thread
 * setup). None of them is called with the pool's lock held, and they may run concurrently on
 * different threads (each on a different connection).
 */
typedef struct vg_pool_connector {
	void *ctx;
	/** Opens a connection within `timeout_ms` into *conn (never NULL on success). Returns 0,
	 *  or nonzero with a NUL-terminated message in err[errlen] (never containing a password). */
	int (*connect)(void *ctx, void **conn, int timeout_ms, char *err, size_t errlen);
	/** Closes a connection (also a broken one). Must not fail. */
	void (*close)(void *ctx, void *conn);
	/** 0 when the connection answers within `timeout_ms`, nonzero otherwise. */
	int (*ping)(void *ctx, void *conn, int timeout_ms);
	/** Per-thread setup of the client library (mysql_thread_init); 0 on success. */
	int (*thread_init)(void *ctx);
	/** Per-thread teardown (mysql_thread_end). */
	void (*thread_end)(void *ctx);
} vg_pool_connector;

/** Sizes and timeouts. All times in milliseconds. */
typedef struct vg_pool_config {
	int min;                  /**< opened by vg_pool_new; idle expiry never goes below it */
	int max;                  /**< never more open at once (>= 1, >= min) */
	int acquire_timeout_ms;   /**< how long acquire waits when all `max` are in use */
	int connect_timeout_ms;   /**< passed to connect, and to ping */
	int idle_timeout_ms;      /**< close connections idle longer than this; 0: never */
	int health_check_idle_ms; /**< ping before reuse when idle at least this long;
	                               0: always; negative: never */
} vg_pool_config;

/** Defaults (the blueprint's `pool:` overrides min, max and the timeouts). */
#define VG_POOL_CONFIG_INIT                                                                 \
	{ .min = 1, .max = 8, .acquire_timeout_ms = 5000, .connect_timeout_ms = 5000,           \
	  .idle_timeout_ms = 60000, .health_check_idle_ms = 1000 }

/** Passed as vg_pool_acquire's timeout: use the configured acquire_timeout_ms. */
#define VG_POOL_DEFAULT_TIMEOUT (-1)

/** A snapshot of the pool's counters (vg_pool_metrics_get). */
typedef struct vg_pool_metrics {
	uint64_t acquired;              /**< successful acquires */
	uint64_t created;               /**< connections opened */
	uint64_t reused;                /**< acquires served by an idle connection */
	uint64_t failed;                /**< connect failures */
	uint64_t timeouts;              /**< acquires that gave up waiting */
	uint64_t health_checks;         /**< pings made before reuse */
	uint64_t health_check_failures; /**< pings that failed: those connections were closed */
	uint64_t closed_idle;           /**< closed by idle expiry */
	uint64_t closed_broken;         /**< closed because released as broken */
	uint64_t bad_releases;          /**< releases refused (twice, or not from this pool) */
	/* Once nothing is in flight: created == closed_idle + closed_broken
	 * + health_check_failures + open. */
	size_t in_use;                  /**< handed out now */
	size_t idle;                    /**< ready for reuse now */
	size_t open;                    /**< slots taken now: in use, idle, or being opened,
	                                     pinged or closed (never above max) */
	size_t peak_in_use;             /**< most ever handed out at once */
	/* Time from calling acquire to getting a connection (waiting, pinging, connecting),
	 * over successful acquires; percentiles from a fixed log-scale histogram (about 6%
	 * relative resolution), max and mean exact. 0 when nothing was acquired. */
	double wait_p50_ms;
	double wait_p95_ms;
	double wait_p99_ms;
	double wait_max_ms;
	double wait_mean_ms;
} vg_pool_metrics;

typedef struct vg_pool vg_pool;

/**
 * Creates a pool and opens `config->min` connections on the calling thread. Returns 0 with
 * *out set; VG_POOL_EINVAL for a bad configuration or connector (message says which field);
 * VG_POOL_ECONNECT when one of the first `min` connections cannot be opened — the message
 * is "opening connection K of MIN: " + the connector's message, the ones already opened are
 * closed and nothing is left to free (a pool that cannot reach its minimum is a preflight
 * failure; use min 0 to connect lazily); VG_POOL_ENOMEM / VG_POOL_EINTERNAL. *out is NULL on
 * every error.
 */
int vg_pool_new(vg_pool **out, const vg_pool_connector *connector, const vg_pool_config *config,
                char *err, size_t errlen);

/**
 * Gets a connection: an idle one (pinged first when it has been idle long enough), else a
 * new one while fewer than `max` are open, else waits for one to come back. `timeout_ms` is
 * how long to wait for that (VG_POOL_DEFAULT_TIMEOUT: the configured acquire_timeout_ms;
 * 0: do not wait); connecting and pinging have their own connect_timeout_ms on top.
 * Returns 0 with *conn set; VG_POOL_ETIMEOUT (message names the wait and `max`);
 * VG_POOL_ECONNECT with the connector's message (counted in `failed`; the next acquire
 * tries again). *conn is NULL on error.
 */
int vg_pool_acquire(void **conn, vg_pool *pool, int timeout_ms, char *err, size_t errlen);

/**
 * vg_pool_acquire that also gives, on VG_POOL_ECONNECT, the connector's own non-zero return
 * in *connector_rc (0 otherwise), so a caller can tell kinds of connect failure apart.
 */
int vg_pool_acquire_ex(void **conn, vg_pool *pool, int timeout_ms, int *connector_rc, char *err,
                       size_t errlen);

/**
 * Gives a connection back. `broken` nonzero (a query failed with a connection error, a
 * transaction is left in an unknown state) closes it instead of keeping it for reuse.
 * Returns 0, or VG_POOL_EINVAL when `conn` is not currently acquired from this pool
 * (released twice, or foreign): nothing is done then and `bad_releases` counts it.
 */
int vg_pool_release(vg_pool *pool, void *conn, int broken);

/**
 * Closes idle connections idle longer than idle_timeout_ms, keeping `min` open. Runs on its
 * own at every acquire and release; call it to trim a pool nobody is using. Returns how many
 * it closed.
 */
size_t vg_pool_expire_idle(vg_pool *pool);

/** The pool's counters, consistent with each other (taken under the lock). */
void vg_pool_metrics_get(vg_pool *pool, vg_pool_metrics *out);

/**
 * Per-thread driver setup: call on each thread that will use the pool, before its first
 * acquire (see "Threads" above). Returns 0, or VG_POOL_EINTERNAL when the driver's
 * thread_init failed (the thread must not use the pool then). A no-op without thread_init.
 */
int vg_pool_thread_begin(vg_pool *pool);
/** Per-thread driver teardown: after the thread's last release, before it exits. */
void vg_pool_thread_end(vg_pool *pool);

/**
 * Closes every connection and frees the pool. Returns 0 (NULL is allowed), or VG_POOL_EBUSY
 * when connections are still acquired or being opened, or threads are waiting in acquire:
 * that is a caller bug, reported instead of pulling connections from under their users;
 * the pool is then left untouched and still usable, so release them and free again.
 */
int vg_pool_free(vg_pool *pool);

#endif
