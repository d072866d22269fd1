/* pool.c — the connection pool: slots under one mutex, driver calls outside it. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pool.h"

#define MESSAGE_MAX 512

/*
 * Acquire waits go into a log-scale histogram of microseconds, HDR-style: values below
 * HIST_SUB are exact, above that each power of two is cut into HIST_SUB buckets, so a bucket
 * is at most 1/HIST_SUB of its lower bound wide and its midpoint is within ~6% of any value
 * in it. Fixed size (4 KB) whatever the number of samples.
 */
#define HIST_SUB_BITS 3
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_BUCKETS (HIST_SUB * (64 - HIST_SUB_BITS + 1))

typedef struct idle_conn {
	void *conn;
	double since_ms; /* when it was released; the array is ordered by it, oldest first */
} idle_conn;

struct vg_pool {
	vg_pool_connector connector;
	vg_pool_config config;
	pthread_mutex_t lock;
	pthread_cond_t changed;    /* a connection came back or a slot was freed */

	/* Everything below is guarded by `lock`. A slot is an open connection or one being
	 * opened: idle + in use + in transit never exceeds config.max. */
	idle_conn *idle;           /* capacity max; pushed and popped at the end (MRU) */
	size_t idle_count;
	void **in_use;             /* capacity max; what callers hold now */
	size_t in_use_count;
	size_t transit;            /* slots being connected, pinged or closed */
	size_t closing;            /* of those, being closed (no longer count towards min) */
	size_t waiters;            /* threads waiting in acquire */

	vg_pool_metrics counters;  /* the uint64 counters and peak_in_use */
	uint64_t wait_hist[HIST_BUCKETS];
	double wait_sum_ms;
	double wait_max_ms;
};

/* ---- small helpers ----------------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static struct timespec deadline_after(int timeout_ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static int deadline_passed(const struct timespec *deadline)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec > deadline->tv_sec ||
	       (ts.tv_sec == deadline->tv_sec && ts.tv_nsec >= deadline->tv_nsec);
}

static int set_error(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int set_error(char *err, size_t errlen, int status, const char *fmt, ...)
{
	if (err && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

static size_t slots_locked(const vg_pool *pool)
{
	return pool->idle_count + pool->in_use_count + pool->transit;
}

const char *vg_pool_strerror(int status)
{
	switch (status) {
	case VG_POOL_OK: return "success";
	case VG_POOL_ENOMEM: return "out of memory";
	case VG_POOL_EINVAL: return "invalid pool argument";
	case VG_POOL_EINTERNAL: return "internal pool error";
	case VG_POOL_ETIMEOUT: return "timed out waiting for a pooled connection";
	case VG_POOL_ECONNECT: return "could not open a database connection";
	case VG_POOL_EBUSY: return "pool still has connections in use";
	default: return "unknown pool error";
	}
}

/* ---- wait histogram ---------------------------------------------------------------------- */

static size_t hist_index(uint64_t us)
{
	if (us < HIST_SUB)
		return (size_t)us;
	unsigned top = 63u - (unsigned)__builtin_clzll(us); /* >= HIST_SUB_BITS */
	unsigned shift = top - HIST_SUB_BITS;
	size_t sub = (size_t)((us >> shift) & (HIST_SUB - 1));
	return (size_t)(shift + 1) * HIST_SUB + sub;
}

/* The midpoint of a bucket, in microseconds. */
static double hist_value(size_t index)
{
	if (index < HIST_SUB)
		return (double)index;
	unsigned shift = (unsigned)(index / HIST_SUB) - 1;
	double lower = (double)((uint64_t)(HIST_SUB + index % HIST_SUB) << shift);
	double width = (double)((uint64_t)1 << shift);
	return lower + (width - 1.0) / 2.0;
}

static void record_wait_locked(vg_pool *pool, double wait_ms)
{
	if (wait_ms < 0)
		wait_ms = 0;
	double us = wait_ms * 1000.0 + 0.5;
	uint64_t v = us >= 1.8e19 ? UINT64_MAX : (uint64_t)us;
	pool->wait_hist[hist_index(v)]++;
	pool->wait_sum_ms += wait_ms;
	if (wait_ms > pool->wait_max_ms)
		pool->wait_max_ms = wait_ms;
}

static double percentile_locked(const vg_pool *pool, double p)
{
	uint64_t n = pool->counters.acquired;
	if (n == 0)
		return 0;
	uint64_t rank = (uint64_t)(p * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (size_t i = 0; i < HIST_BUCKETS; i++) {
		seen += pool->wait_hist[i];
		if (seen >= rank) {
			double ms = hist_value(i) / 1000.0;
			return ms > pool->wait_max_ms ? pool->wait_max_ms : ms;
		}
	}
	return pool->wait_max_ms;
}

/* ---- connecting and handing out ---------------------------------------------------------- */

/* Calls the connector; on failure `message` holds why (never empty). No lock held. */
static int open_connection(vg_pool *pool, void **conn, char *message, size_t size,
                           int *connector_rc)
{
	void *c = NULL;
	message[0] = '\0';
	int rc = pool->connector.connect(pool->connector.ctx, &c, pool->config.connect_timeout_ms,
	                                 message, size);
	message[size - 1] = '\0';
	if (connector_rc)
		*connector_rc = rc;
	if (rc != 0 || c == NULL) {
		if (rc == 0) /* a connector bug; do not hand out NULL */
			snprintf(message, size, "the driver reported success but gave no connection");
		else if (message[0] == '\0')
			snprintf(message, size, "the driver could not connect and gave no reason");
		*conn = NULL;
		return VG_POOL_ECONNECT;
	}
	*conn = c;
	return VG_POOL_OK;
}

static void hand_out_locked(vg_pool *pool, void *conn, double started_ms)
{
	pool->in_use[pool->in_use_count++] = conn;
	if (pool->in_use_count > pool->counters.peak_in_use)
		pool->counters.peak_in_use = pool->in_use_count;
	pool->counters.acquired++;
	record_wait_locked(pool, now_ms() - started_ms);
}

/* Closes a connection whose slot the caller moved into transit; frees the slot after. */
static void close_in_transit(vg_pool *pool, void *conn, uint64_t *counter)
{
	pool->connector.close(pool->connector.ctx, conn);
	pthread_mutex_lock(&pool->lock);
	pool->transit--;
	pool->closing--;
	(*counter)++;
	pthread_cond_signal(&pool->changed);
	pthread_mutex_unlock(&pool->lock);
}

/* ---- lifecycle --------------------------------------------------------------------------- */

static int check_config(const vg_pool_connector *connector, const vg_pool_config *c, char *err,
                        size_t errlen)
{
	if (!connector || !connector->connect || !connector->close)
		return set_error(err, errlen, VG_POOL_EINVAL,
		                 "the pool's connector needs connect and close functions");
	if (c->max < 1)
		return set_error(err, errlen, VG_POOL_EINVAL, "pool max must be at least 1 (got %d)",
		                 c->max);
	if (c->min < 0 || c->min > c->max)
		return set_error(err, errlen, VG_POOL_EINVAL,
		                 "pool min must be between 0 and max %d (got %d)", c->max, c->min);
	if (c->acquire_timeout_ms < 0 || c->connect_timeout_ms < 0 || c->idle_timeout_ms < 0)
		return set_error(err, errlen, VG_POOL_EINVAL,
		                 "pool timeouts must not be negative (acquire %d, connect %d, idle %d)",
		                 c->acquire_timeout_ms, c->connect_timeout_ms, c->idle_timeout_ms);
	return VG_POOL_OK;
}

static void close_idle_all(vg_pool *pool)
{
	for (size_t i = 0; i < pool->idle_count; i++)
		pool->connector.close(pool->connector.ctx, pool->idle[i].conn);
	pool->idle_count = 0;
}

static void destroy(vg_pool *pool, int sync_ready)
{
	if (sync_ready) {
		pthread_cond_destroy(&pool->changed);
		pthread_mutex_destroy(&pool->lock);
	}
	free(pool->idle);
	free(pool->in_use);
	free(pool);
}

static int init_sync(vg_pool *pool)
{
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr) != 0)
		return -1;
	/* Deadlines on the monotonic clock: a wall-clock jump must not stretch or cut a wait. */
	int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&pool->changed, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0)
		return -1;
	if (pthread_mutex_init(&pool->lock, NULL) != 0) {
		pthread_cond_destroy(&pool->changed);
		return -1;
	}
	return 0;
}

int vg_pool_new(vg_pool **out, const vg_pool_connector *connector, const vg_pool_config *config,
                char *err, size_t errlen)
{
	if (err && errlen > 0)
		err[0] = '\0';
	if (!out || !config)
		return set_error(err, errlen, VG_POOL_EINVAL, "vg_pool_new needs out and config");
	*out = NULL;
	int rc = check_config(connector, config, err, errlen);
	if (rc != VG_POOL_OK)
		return rc;

	vg_pool *pool = calloc(1, sizeof *pool);
	if (!pool)
		return set_error(err, errlen, VG_POOL_ENOMEM, "out of memory creating a pool");
	pool->connector = *connector;
	pool->config = *config;
	pool->idle = calloc((size_t)config->max, sizeof *pool->idle);
	pool->in_use = calloc((size_t)config->max, sizeof *pool->in_use);
	if (!pool->idle || !pool->in_use) {
		destroy(pool, 0);
		return set_error(err, errlen, VG_POOL_ENOMEM, "out of memory creating a pool");
	}
	if (init_sync(pool) != 0) {
		destroy(pool, 0);
		return set_error(err, errlen, VG_POOL_EINTERNAL, "could not create the pool's lock");
	}

	/* Nobody else sees the pool yet: no locking needed while pre-opening. */
	for (int i = 0; i < config->min; i++) {
		char message[MESSAGE_MAX];
		void *conn;
		if (open_connection(pool, &conn, message, sizeof message, NULL) != VG_POOL_OK) {
			close_idle_all(pool);
			destroy(pool, 1);
			return set_error(err, errlen, VG_POOL_ECONNECT, "opening connection %d of %d: %s",
			                 i + 1, config->min, message);
		}
		pool->counters.created++;
		pool->idle[pool->idle_count].conn = conn;
		pool->idle[pool->idle_count].since_ms = now_ms();
		pool->idle_count++;
	}
	*out = pool;
	return VG_POOL_OK;
}

int vg_pool_free(vg_pool *pool)
{
	if (!pool)
		return VG_POOL_OK;
	pthread_mutex_lock(&pool->lock);
	int busy = pool->in_use_count > 0 || pool->transit > 0 || pool->waiters > 0;
	pthread_mutex_unlock(&pool->lock);
	if (busy)
		return VG_POOL_EBUSY;
	close_idle_all(pool);
	destroy(pool, 1);
	return VG_POOL_OK;
}

int vg_pool_thread_begin(vg_pool *pool)
{
	if (!pool)
		return VG_POOL_EINVAL;
	if (pool->connector.thread_init && pool->connector.thread_init(pool->connector.ctx) != 0)
		return VG_POOL_EINTERNAL;
	return VG_POOL_OK;
}

void vg_pool_thread_end(vg_pool *pool)
{
	if (pool && pool->connector.thread_end)
		pool->connector.thread_end(pool->connector.ctx);
}

/* ---- acquire, release, expiry ------------------------------------------------------------ */

/* With the lock held: does an idle connection that has waited `idle_ms` need a ping? */
static int needs_ping(const vg_pool *pool, double idle_ms)
{
	int after = pool->config.health_check_idle_ms;
	return pool->connector.ping && after >= 0 && idle_ms >= (double)after;
}

int vg_pool_acquire(void **conn, vg_pool *pool, int timeout_ms, char *err, size_t errlen)
{
	return vg_pool_acquire_ex(conn, pool, timeout_ms, NULL, err, errlen);
}

int vg_pool_acquire_ex(void **conn, vg_pool *pool, int timeout_ms, int *connector_rc, char *err,
                       size_t errlen)
{
	if (connector_rc)
		*connector_rc = 0;
	if (err && errlen > 0)
		err[0] = '\0';
	if (!conn || !pool)
		return set_error(err, errlen, VG_POOL_EINVAL, "vg_pool_acquire needs conn and pool");
	*conn = NULL;
	if (timeout_ms < 0)
		timeout_ms = pool->config.acquire_timeout_ms;

	vg_pool_expire_idle(pool);
	double started = now_ms();
	struct timespec deadline = deadline_after(timeout_ms);
	char message[MESSAGE_MAX];

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		if (pool->idle_count > 0) {
			idle_conn top = pool->idle[--pool->idle_count];
			if (!needs_ping(pool, now_ms() - top.since_ms)) {
				hand_out_locked(pool, top.conn, started);
				pool->counters.reused++;
				pthread_mutex_unlock(&pool->lock);
				*conn = top.conn;
				return VG_POOL_OK;
			}
			pool->transit++;
			pool->counters.health_checks++;
			pthread_mutex_unlock(&pool->lock);
			int bad = pool->connector.ping(pool->connector.ctx, top.conn,
			                               pool->config.connect_timeout_ms);
			if (!bad) {
				pthread_mutex_lock(&pool->lock);
				pool->transit--;
				hand_out_locked(pool, top.conn, started);
				pool->counters.reused++;
				pthread_mutex_unlock(&pool->lock);
				*conn = top.conn;
				return VG_POOL_OK;
			}
			pthread_mutex_lock(&pool->lock);
			pool->closing++;
			pthread_mutex_unlock(&pool->lock);
			close_in_transit(pool, top.conn, &pool->counters.health_check_failures);
			pthread_mutex_lock(&pool->lock);
			continue; /* the next idle one, or a fresh connection */
		}
		if (slots_locked(pool) < (size_t)pool->config.max) {
			pool->transit++;
			pthread_mutex_unlock(&pool->lock);
			void *c;
			int rc = open_connection(pool, &c, message, sizeof message, connector_rc);
			pthread_mutex_lock(&pool->lock);
			pool->transit--;
			if (rc != VG_POOL_OK) {
				pool->counters.failed++;
				pthread_cond_signal(&pool->changed); /* the slot is free for a waiter */
				pthread_mutex_unlock(&pool->lock);
				return set_error(err, errlen, VG_POOL_ECONNECT, "%s", message);
			}
			pool->counters.created++;
			hand_out_locked(pool, c, started);
			pthread_mutex_unlock(&pool->lock);
			*conn = c;
			return VG_POOL_OK;
		}
		/* Checked after the resources, so a wake-up that raced with the deadline still
		 * takes the connection it was woken for. */
		if (deadline_passed(&deadline)) {
			pool->counters.timeouts++;
			int max = pool->config.max;
			pthread_mutex_unlock(&pool->lock);
			return set_error(err, errlen, VG_POOL_ETIMEOUT,
			                 "all %d pooled connections stayed in use for %d ms", max,
			                 timeout_ms);
		}
		pool->waiters++;
		int rc = pthread_cond_timedwait(&pool->changed, &pool->lock, &deadline);
		pool->waiters--;
		if (rc != 0 && rc != ETIMEDOUT) {
			pthread_mutex_unlock(&pool->lock);
			return set_error(err, errlen, VG_POOL_EINTERNAL,
			                 "waiting for a pooled connection failed (error %d)", rc);
		}
	}
}

int vg_pool_release(vg_pool *pool, void *conn, int broken)
{
	if (!pool || !conn)
		return VG_POOL_EINVAL;
	pthread_mutex_lock(&pool->lock);
	size_t i = 0;
	while (i < pool->in_use_count && pool->in_use[i] != conn)
		i++;
	if (i == pool->in_use_count) {
		pool->counters.bad_releases++;
		pthread_mutex_unlock(&pool->lock);
		return VG_POOL_EINVAL;
	}
	pool->in_use[i] = pool->in_use[--pool->in_use_count];
	if (broken) {
		pool->transit++;
		pool->closing++;
		pthread_mutex_unlock(&pool->lock);
		close_in_transit(pool, conn, &pool->counters.closed_broken);
	} else {
		/* The time is read under the lock so the idle array stays ordered by it. */
		pool->idle[pool->idle_count].conn = conn;
		pool->idle[pool->idle_count].since_ms = now_ms();
		pool->idle_count++;
		pthread_cond_signal(&pool->changed);
		pthread_mutex_unlock(&pool->lock);
	}
	vg_pool_expire_idle(pool);
	return VG_POOL_OK;
}

size_t vg_pool_expire_idle(vg_pool *pool)
{
	if (!pool || pool->config.idle_timeout_ms <= 0)
		return 0;
	size_t closed = 0;
	for (;;) {
		void *victim = NULL;
		pthread_mutex_lock(&pool->lock);
		size_t open_staying = slots_locked(pool) - pool->closing;
		if (pool->idle_count > 0 && open_staying > (size_t)pool->config.min &&
		    now_ms() - pool->idle[0].since_ms > (double)pool->config.idle_timeout_ms) {
			victim = pool->idle[0].conn;
			pool->idle_count--;
			memmove(pool->idle, pool->idle + 1, pool->idle_count * sizeof *pool->idle);
			pool->transit++;
			pool->closing++;
		}
		pthread_mutex_unlock(&pool->lock);
		if (!victim)
			return closed;
		close_in_transit(pool, victim, &pool->counters.closed_idle);
		closed++;
	}
}

void vg_pool_metrics_get(vg_pool *pool, vg_pool_metrics *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof *out);
	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	*out = pool->counters;
	out->in_use = pool->in_use_count;
	out->idle = pool->idle_count;
	out->open = slots_locked(pool);
	out->wait_p50_ms = percentile_locked(pool, 0.50);
	out->wait_p95_ms = percentile_locked(pool, 0.95);
	out->wait_p99_ms = percentile_locked(pool, 0.99);
	out->wait_max_ms = pool->wait_max_ms;
	out->wait_mean_ms = pool->counters.acquired
	                        ? pool->wait_sum_ms / (double)pool->counters.acquired
	                        : 0;
	pthread_mutex_unlock(&pool->lock);
}
