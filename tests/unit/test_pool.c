/*
 * Unit tests of the connection pool (engine/src/db/pool.c) over a fake connector.
 *
 * The fake stands in for a driver: it counts what is open, fails connects and pings on
 * demand, sleeps to simulate a slow server and flags a connection used by two threads at
 * once or opened on a thread that did not call thread_init. Real drivers are tested against
 * real servers by the driver conformance suite.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pool.h"

#include "check.h"

/* ---- the fake driver --------------------------------------------------------------------- */

typedef struct fake_conn {
	int id;
	atomic_int busy; /* set while a test thread uses it */
} fake_conn;

typedef struct fake_db {
	pthread_mutex_t mu;
	int open, peak_open;
	int connects, closes, pings;
	int fail_skip;        /* let this many connects succeed, then... */
	int fail_connects;    /* ...fail this many */
	int empty_message;    /* fail without a message */
	int null_success;     /* report success without a connection */
	int fail_pings;       /* while set, every ping fails */
	int fail_ping_every;  /* every Nth ping fails (0: never) */
	int connect_delay_ms;
	int fail_thread_init;
	int thread_inits, thread_ends;
	int next_id;
	int violations;       /* a rule of the driver's broken by the pool */
} fake_db;

/* Whether this thread ran thread_init (libmysqlclient's rule); the main thread counts as
 * set up by the driver's global init. Test-only state. */
static _Thread_local int thread_ready;

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int fake_connect(void *ctx, void **conn, int timeout_ms, char *err, size_t errlen)
{
	fake_db *db = ctx;
	(void)timeout_ms;
	if (db->connect_delay_ms)
		sleep_ms(db->connect_delay_ms);
	pthread_mutex_lock(&db->mu);
	if (!thread_ready)
		db->violations++;
	if (db->fail_skip > 0) {
		db->fail_skip--;
	} else if (db->fail_connects > 0) {
		db->fail_connects--;
		pthread_mutex_unlock(&db->mu);
		if (!db->empty_message)
			snprintf(err, errlen, "connection refused (fake server on 127.0.0.1:1)");
		return -1;
	}
	if (db->null_success) {
		pthread_mutex_unlock(&db->mu);
		return 0;
	}
	fake_conn *c = calloc(1, sizeof *c);
	if (!c) {
		pthread_mutex_unlock(&db->mu);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->id = ++db->next_id;
	db->connects++;
	db->open++;
	if (db->open > db->peak_open)
		db->peak_open = db->open;
	pthread_mutex_unlock(&db->mu);
	*conn = c;
	return 0;
}

static void fake_close(void *ctx, void *conn)
{
	fake_db *db = ctx;
	fake_conn *c = conn;
	pthread_mutex_lock(&db->mu);
	if (atomic_load(&c->busy) || !thread_ready)
		db->violations++; /* closed while a thread uses it, or on a thread not set up */
	db->open--;
	db->closes++;
	pthread_mutex_unlock(&db->mu);
	free(c);
}

static int fake_ping(void *ctx, void *conn, int timeout_ms)
{
	fake_db *db = ctx;
	(void)conn;
	(void)timeout_ms;
	pthread_mutex_lock(&db->mu);
	db->pings++;
	int bad = db->fail_pings || (db->fail_ping_every && db->pings % db->fail_ping_every == 0);
	pthread_mutex_unlock(&db->mu);
	return bad;
}

static int fake_thread_init(void *ctx)
{
	fake_db *db = ctx;
	pthread_mutex_lock(&db->mu);
	db->thread_inits++;
	int fail = db->fail_thread_init;
	pthread_mutex_unlock(&db->mu);
	if (!fail)
		thread_ready = 1;
	return fail;
}

static void fake_thread_end(void *ctx)
{
	fake_db *db = ctx;
	pthread_mutex_lock(&db->mu);
	db->thread_ends++;
	pthread_mutex_unlock(&db->mu);
	thread_ready = 0;
}

static void fake_init(fake_db *db)
{
	memset(db, 0, sizeof *db);
	pthread_mutex_init(&db->mu, NULL);
}

static void fake_done(fake_db *db)
{
	pthread_mutex_destroy(&db->mu);
}

static vg_pool_connector fake_connector(fake_db *db)
{
	vg_pool_connector c = {db, fake_connect, fake_close, fake_ping, fake_thread_init,
	                       fake_thread_end};
	return c;
}

static int fake_id(void *conn)
{
	return conn ? ((fake_conn *)conn)->id : 0;
}

static vg_pool_config config(int min, int max)
{
	vg_pool_config c = VG_POOL_CONFIG_INIT;
	c.min = min;
	c.max = max;
	c.health_check_idle_ms = -1;
	c.idle_timeout_ms = 0;
	return c;
}

static vg_pool *new_pool(fake_db *db, const vg_pool_config *cfg)
{
	vg_pool_connector conn = fake_connector(db);
	vg_pool *pool = NULL;
	char err[256];
	int rc = vg_pool_new(&pool, &conn, cfg, err, sizeof err);
	if (rc != VG_POOL_OK)
		fprintf(stderr, "vg_pool_new: %s\n", err);
	return pool;
}

static void *acquire_ok(vg_pool *pool)
{
	void *conn = NULL;
	char err[256];
	if (vg_pool_acquire(&conn, pool, VG_POOL_DEFAULT_TIMEOUT, err, sizeof err) != VG_POOL_OK)
		fprintf(stderr, "acquire: %s\n", err);
	return conn;
}

/* Every connection ever created is either closed (and counted why) or still open. */
static void check_balance(vg_pool *pool, fake_db *db)
{
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.created == m.closed_idle + m.closed_broken + m.health_check_failures + m.open);
	CHECK(m.open == m.in_use + m.idle);
	CHECK(m.created == (uint64_t)db->connects);
	CHECK((uint64_t)db->closes == m.closed_idle + m.closed_broken + m.health_check_failures);
	CHECK(m.open == (size_t)db->open);
	CHECK(db->violations == 0);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_config_errors(void)
{
	fake_db db;
	fake_init(&db);
	vg_pool_connector conn = fake_connector(&db);
	vg_pool *pool = (vg_pool *)&db; /* must be reset to NULL on error */
	char err[256];

	vg_pool_config c = config(0, 0);
	CHECK(vg_pool_new(&pool, &conn, &c, err, sizeof err) == VG_POOL_EINVAL && pool == NULL);
	CHECK(strstr(err, "max") != NULL);
	c = config(5, 2);
	CHECK(vg_pool_new(&pool, &conn, &c, err, sizeof err) == VG_POOL_EINVAL);
	CHECK(strstr(err, "min") != NULL);
	c = config(-1, 2);
	CHECK(vg_pool_new(&pool, &conn, &c, err, sizeof err) == VG_POOL_EINVAL);
	c = config(0, 2);
	c.acquire_timeout_ms = -5;
	CHECK(vg_pool_new(&pool, &conn, &c, err, sizeof err) == VG_POOL_EINVAL);
	CHECK(strstr(err, "negative") != NULL);
	c = config(0, 2);
	conn.connect = NULL;
	CHECK(vg_pool_new(&pool, &conn, &c, err, sizeof err) == VG_POOL_EINVAL);
	CHECK(strstr(err, "connect") != NULL);
	CHECK(vg_pool_new(&pool, NULL, &c, NULL, 0) == VG_POOL_EINVAL);
	CHECK(db.connects == 0);

	CHECK(vg_pool_free(NULL) == VG_POOL_OK);
	CHECK(strcmp(vg_pool_strerror(VG_POOL_ETIMEOUT), vg_pool_strerror(VG_POOL_ECONNECT)) != 0);
	CHECK(strstr(vg_pool_strerror(12345), "unknown") != NULL);
	fake_done(&db);
}

static void test_min_preopened(void)
{
	fake_db db;
	fake_init(&db);
	vg_pool_config c = config(2, 4);
	vg_pool *pool = new_pool(&db, &c);
	CHECK(pool != NULL);
	CHECK(db.open == 2 && db.connects == 2);
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.created == 2 && m.idle == 2 && m.in_use == 0 && m.acquired == 0);
	CHECK(m.wait_p50_ms == 0 && m.wait_max_ms == 0);

	void *a = acquire_ok(pool);
	void *b = acquire_ok(pool);
	void *x = acquire_ok(pool); /* beyond min: created on demand */
	CHECK(a && b && x && a != b && b != x);
	CHECK(db.connects == 3);
	vg_pool_metrics_get(pool, &m);
	CHECK(m.reused == 2 && m.created == 3 && m.acquired == 3 && m.in_use == 3 && m.idle == 0);
	CHECK(m.peak_in_use == 3);
	CHECK(vg_pool_release(pool, a, 0) == VG_POOL_OK);
	CHECK(vg_pool_release(pool, b, 0) == VG_POOL_OK);
	CHECK(vg_pool_release(pool, x, 0) == VG_POOL_OK);
	/* most recently used first */
	void *again = acquire_ok(pool);
	CHECK(again == x);
	CHECK(vg_pool_release(pool, again, 0) == VG_POOL_OK);
	check_balance(pool, &db);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	CHECK(db.open == 0 && db.closes == 3);
	fake_done(&db);
}

typedef struct hammer_arg {
	vg_pool *pool;
	fake_db *db;
	int iterations;
	int errors;
	int broken;
} hammer_arg;

static void *hammer(void *p)
{
	hammer_arg *arg = p;
	if (vg_pool_thread_begin(arg->pool) != VG_POOL_OK) {
		arg->errors = arg->iterations;
		return NULL;
	}
	for (int i = 0; i < arg->iterations; i++) {
		void *conn = NULL;
		char err[256];
		if (vg_pool_acquire(&conn, arg->pool, VG_POOL_DEFAULT_TIMEOUT, err, sizeof err) != 0) {
			fprintf(stderr, "hammer acquire: %s\n", err);
			arg->errors++;
			continue;
		}
		fake_conn *c = conn;
		if (atomic_exchange(&c->busy, 1) != 0) { /* another thread holds it */
			pthread_mutex_lock(&arg->db->mu);
			arg->db->violations++;
			pthread_mutex_unlock(&arg->db->mu);
		}
		if (i % 7 == 0)
			sched_yield(); /* hold it a little so others contend */
		atomic_store(&c->busy, 0);
		int broken = i % 97 == 96;
		arg->broken += broken;
		if (vg_pool_release(arg->pool, conn, broken) != VG_POOL_OK)
			arg->errors++;
		if (i % 500 == 499)
			sleep_ms(3); /* let connections go idle long enough to expire */
	}
	vg_pool_thread_end(arg->pool);
	return NULL;
}

typedef struct trimmer_arg {
	vg_pool *pool;
	atomic_int stop;
} trimmer_arg;

/* What a long-running owner does: trim the pool now and then, beside its users. */
static void *trimmer(void *p)
{
	trimmer_arg *arg = p;
	if (vg_pool_thread_begin(arg->pool) != VG_POOL_OK) /* it may close connections */
		return NULL;
	while (!atomic_load(&arg->stop)) {
		vg_pool_expire_idle(arg->pool);
		sleep_ms(1);
	}
	vg_pool_thread_end(arg->pool);
	return NULL;
}

static void test_threads_respect_max(void)
{
	enum { THREADS = 8, ITERATIONS = 2000, MAX = 3 };
	fake_db db;
	fake_init(&db);
	db.fail_ping_every = 50;
	vg_pool_config c = config(1, MAX);
	c.acquire_timeout_ms = 30000;
	c.health_check_idle_ms = 0; /* ping before every reuse: exercises the ping path */
	c.idle_timeout_ms = 2;      /* and expiry runs concurrently too (trimmer, sleeps) */
	vg_pool *pool = new_pool(&db, &c);
	CHECK(pool != NULL);
	if (!pool)
		return;

	pthread_t tid[THREADS];
	hammer_arg args[THREADS];
	for (int t = 0; t < THREADS; t++) {
		args[t] = (hammer_arg){pool, &db, ITERATIONS, 0, 0};
		CHECK(pthread_create(&tid[t], NULL, hammer, &args[t]) == 0);
	}
	trimmer_arg trim = {pool, 0};
	pthread_t trim_tid;
	CHECK(pthread_create(&trim_tid, NULL, trimmer, &trim) == 0);
	int errors = 0, broken = 0;
	for (int t = 0; t < THREADS; t++) {
		pthread_join(tid[t], NULL);
		errors += args[t].errors;
		broken += args[t].broken;
	}
	atomic_store(&trim.stop, 1);
	pthread_join(trim_tid, NULL);
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(errors == 0);
	CHECK(db.peak_open <= MAX);
	CHECK(m.peak_in_use <= MAX && m.peak_in_use >= 1);
	CHECK(m.acquired == (uint64_t)THREADS * ITERATIONS);
	CHECK(m.acquired == m.created - 1 + m.reused); /* one pre-opened */
	CHECK(m.closed_broken == (uint64_t)broken);
	CHECK(m.health_checks == (uint64_t)db.pings && m.health_check_failures == (uint64_t)db.pings / 50);
	CHECK(m.in_use == 0 && m.timeouts == 0 && m.failed == 0 && m.bad_releases == 0);
	CHECK(m.wait_p50_ms <= m.wait_p95_ms && m.wait_p95_ms <= m.wait_p99_ms);
	CHECK(m.wait_p99_ms <= m.wait_max_ms);
	CHECK(db.thread_inits == THREADS + 1 && db.thread_ends == THREADS + 1); /* + trimmer */
	check_balance(pool, &db);
	printf("hammer: %d threads x %d, max %d: created %llu reused %llu broken %llu "
	       "health-failed %llu idle-closed %llu peak %zu; wait p50 %.3f p95 %.3f max %.3f ms\n",
	       THREADS, ITERATIONS, MAX, (unsigned long long)m.created,
	       (unsigned long long)m.reused, (unsigned long long)m.closed_broken,
	       (unsigned long long)m.health_check_failures, (unsigned long long)m.closed_idle,
	       m.peak_in_use, m.wait_p50_ms, m.wait_p95_ms, m.wait_max_ms);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	CHECK(db.open == 0);
	fake_done(&db);
}

typedef struct release_later {
	vg_pool *pool;
	void *conn;
	int delay_ms;
} release_later;

static void *release_after(void *p)
{
	release_later *r = p;
	sleep_ms(r->delay_ms);
	vg_pool_release(r->pool, r->conn, 0);
	return NULL;
}

static void test_acquire_timeout(void)
{
	fake_db db;
	fake_init(&db);
	vg_pool_config c = config(0, 1);
	c.acquire_timeout_ms = 80;
	vg_pool *pool = new_pool(&db, &c);
	void *held = acquire_ok(pool);
	CHECK(held != NULL);

	void *conn = (void *)&db;
	char err[256];
	double t0 = now_ms();
	CHECK(vg_pool_acquire(&conn, pool, 100, err, sizeof err) == VG_POOL_ETIMEOUT);
	double waited = now_ms() - t0;
	CHECK(conn == NULL);
	CHECK(waited >= 99.0 && waited < 600.0);
	CHECK(strstr(err, "all 1 pooled connections") && strstr(err, "100 ms"));

	t0 = now_ms();
	CHECK(vg_pool_acquire(&conn, pool, 0, err, sizeof err) == VG_POOL_ETIMEOUT);
	CHECK(now_ms() - t0 < 50.0);

	t0 = now_ms(); /* the configured timeout */
	CHECK(vg_pool_acquire(&conn, pool, VG_POOL_DEFAULT_TIMEOUT, err, sizeof err) ==
	      VG_POOL_ETIMEOUT);
	waited = now_ms() - t0;
	CHECK(waited >= 79.0 && waited < 600.0);
	CHECK(strstr(err, "80 ms") != NULL);

	/* A waiter gets the connection another thread gives back. */
	release_later r = {pool, held, 50};
	pthread_t tid;
	CHECK(pthread_create(&tid, NULL, release_after, &r) == 0);
	t0 = now_ms();
	CHECK(vg_pool_acquire(&conn, pool, 5000, err, sizeof err) == VG_POOL_OK);
	waited = now_ms() - t0;
	pthread_join(tid, NULL);
	CHECK(conn == held);
	CHECK(waited >= 40.0 && waited < 2000.0);

	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.timeouts == 3 && m.acquired == 2 && m.created == 1 && m.reused == 1);
	CHECK(m.wait_max_ms >= 40.0 && m.wait_p99_ms <= m.wait_max_ms);
	CHECK(db.peak_open == 1);
	CHECK(vg_pool_release(pool, conn, 0) == VG_POOL_OK);
	check_balance(pool, &db);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	fake_done(&db);
}

static void test_broken_release(void)
{
	fake_db db;
	fake_init(&db);
	vg_pool_config c = config(0, 2);
	vg_pool *pool = new_pool(&db, &c);
	void *a = acquire_ok(pool);
	int first = fake_id(a);
	CHECK(vg_pool_release(pool, a, 1) == VG_POOL_OK);
	CHECK(db.open == 0 && db.closes == 1);
	void *b = acquire_ok(pool);
	CHECK(b && fake_id(b) != first);
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.created == 2 && m.reused == 0 && m.closed_broken == 1 && m.in_use == 1);
	CHECK(vg_pool_release(pool, b, 0) == VG_POOL_OK);
	check_balance(pool, &db);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	CHECK(db.open == 0);
	fake_done(&db);
}

static void test_health_check(void)
{
	fake_db db;
	fake_init(&db);
	vg_pool_config c = config(0, 2);
	c.health_check_idle_ms = 0; /* always */
	vg_pool *pool = new_pool(&db, &c);

	void *a = acquire_ok(pool);
	CHECK(db.pings == 0); /* a fresh connection is not pinged */
	int first = fake_id(a);
	vg_pool_release(pool, a, 0);
	db.fail_pings = 1;
	void *b = acquire_ok(pool);
	CHECK(b && fake_id(b) != first);
	CHECK(db.pings == 1);
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.health_checks == 1 && m.health_check_failures == 1 && m.created == 2);
	CHECK(m.reused == 0);

	db.fail_pings = 0;
	vg_pool_release(pool, b, 0);
	void *again = acquire_ok(pool);
	CHECK(again == b && db.pings == 2);
	vg_pool_metrics_get(pool, &m);
	CHECK(m.reused == 1 && m.health_check_failures == 1);

	/* Two idle connections that both fail: both replaced by one fresh one. */
	void *other = acquire_ok(pool);
	vg_pool_release(pool, again, 0);
	vg_pool_release(pool, other, 0);
	db.fail_pings = 1;
	void *fresh = acquire_ok(pool);
	db.fail_pings = 0;
	vg_pool_metrics_get(pool, &m);
	CHECK(fresh != NULL && m.health_check_failures == 3 && m.idle == 0 && m.in_use == 1);
	vg_pool_release(pool, fresh, 0);
	check_balance(pool, &db);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);

	/* Only after the configured idle time. */
	fake_done(&db);
	fake_init(&db);
	c.health_check_idle_ms = 40;
	pool = new_pool(&db, &c);
	a = acquire_ok(pool);
	vg_pool_release(pool, a, 0);
	a = acquire_ok(pool);
	CHECK(db.pings == 0);
	vg_pool_release(pool, a, 0);
	sleep_ms(60);
	a = acquire_ok(pool);
	CHECK(db.pings == 1);
	vg_pool_release(pool, a, 0);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);

	/* Never, and a connector without ping. */
	fake_done(&db);
	fake_init(&db);
	c.health_check_idle_ms = -1;
	pool = new_pool(&db, &c);
	a = acquire_ok(pool);
	vg_pool_release(pool, a, 0);
	sleep_ms(5);
	a = acquire_ok(pool);
	CHECK(db.pings == 0);
	vg_pool_release(pool, a, 0);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	vg_pool_connector no_ping = fake_connector(&db);
	no_ping.ping = NULL;
	c.health_check_idle_ms = 0;
	CHECK(vg_pool_new(&pool, &no_ping, &c, NULL, 0) == VG_POOL_OK);
	a = acquire_ok(pool);
	vg_pool_release(pool, a, 0);
	a = acquire_ok(pool);
	CHECK(db.pings == 0);
	vg_pool_release(pool, a, 0);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	CHECK(db.open == 0);
	fake_done(&db);
}

static void test_idle_expiry(void)
{
	fake_db db;
	fake_init(&db);
	vg_pool_config c = config(1, 4);
	c.idle_timeout_ms = 50;
	vg_pool *pool = new_pool(&db, &c);
	void *a = acquire_ok(pool), *b = acquire_ok(pool), *x = acquire_ok(pool);
	vg_pool_release(pool, a, 0);
	vg_pool_release(pool, b, 0);
	vg_pool_release(pool, x, 0);
	CHECK(db.open == 3);
	CHECK(vg_pool_expire_idle(pool) == 0); /* not idle long enough */
	sleep_ms(100);
	CHECK(vg_pool_expire_idle(pool) == 2); /* down to min */
	CHECK(db.open == 1);
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.closed_idle == 2 && m.idle == 1 && m.open == 1);
	/* the most recently used one stayed */
	void *kept = acquire_ok(pool);
	CHECK(kept == x);

	/* Expiry also runs on its own at acquire; a connection in use is never expired. */
	a = acquire_ok(pool);
	b = acquire_ok(pool);
	vg_pool_release(pool, a, 0);
	vg_pool_release(pool, b, 0);
	sleep_ms(100);
	CHECK(db.open == 3);
	void *next = acquire_ok(pool); /* expires a and b (kept is in use), then creates one */
	vg_pool_metrics_get(pool, &m);
	CHECK(m.closed_idle == 4 && m.in_use == 2 && m.idle == 0 && db.open == 2);
	vg_pool_release(pool, kept, 0);
	vg_pool_release(pool, next, 0);
	check_balance(pool, &db);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	CHECK(db.open == 0);

	/* idle_timeout_ms 0: never expire. */
	fake_done(&db);
	fake_init(&db);
	c.idle_timeout_ms = 0;
	pool = new_pool(&db, &c);
	a = acquire_ok(pool);
	b = acquire_ok(pool);
	vg_pool_release(pool, a, 0);
	vg_pool_release(pool, b, 0);
	sleep_ms(20);
	CHECK(vg_pool_expire_idle(pool) == 0 && db.open == 2);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	fake_done(&db);
}

static void test_connect_failure(void)
{
	fake_db db;
	fake_init(&db);
	vg_pool_config c = config(0, 2);
	vg_pool *pool = new_pool(&db, &c);
	db.fail_connects = 1;
	void *conn = (void *)&db;
	char err[256];
	CHECK(vg_pool_acquire(&conn, pool, 1000, err, sizeof err) == VG_POOL_ECONNECT);
	CHECK(conn == NULL);
	CHECK(strcmp(err, "connection refused (fake server on 127.0.0.1:1)") == 0);
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.failed == 1 && m.created == 0 && m.open == 0 && m.acquired == 0);
	conn = acquire_ok(pool); /* the slot came back: the next one works */
	CHECK(conn != NULL);
	vg_pool_release(pool, conn, 0);

	db.fail_connects = 1;
	db.empty_message = 1;
	conn = acquire_ok(pool); /* an idle one is there: no connect */
	CHECK(conn != NULL);
	void *second = NULL;
	CHECK(vg_pool_acquire(&second, pool, 0, err, sizeof err) == VG_POOL_ECONNECT);
	CHECK(strstr(err, "no reason") != NULL);
	db.null_success = 1;
	CHECK(vg_pool_acquire(&second, pool, 0, err, sizeof err) == VG_POOL_ECONNECT);
	CHECK(second == NULL && strstr(err, "no connection") != NULL);
	db.null_success = 0;
	db.empty_message = 0;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.failed == 3);
	vg_pool_release(pool, conn, 0);
	check_balance(pool, &db);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	fake_done(&db);

	/* Pre-opening fails on the second of three: the pool is not created, nothing leaks. */
	fake_init(&db);
	db.fail_skip = 1;
	db.fail_connects = 1;
	vg_pool_connector connector = fake_connector(&db);
	c = config(3, 4);
	pool = (vg_pool *)&db;
	CHECK(vg_pool_new(&pool, &connector, &c, err, sizeof err) == VG_POOL_ECONNECT);
	CHECK(pool == NULL);
	CHECK(strcmp(err, "opening connection 2 of 3: connection refused (fake server on "
	                  "127.0.0.1:1)") == 0);
	CHECK(db.open == 0 && db.connects == 1 && db.closes == 1);
	fake_done(&db);
}

static void test_misuse(void)
{
	fake_db db;
	fake_init(&db);
	vg_pool_config c = config(0, 2);
	vg_pool *pool = new_pool(&db, &c);
	void *a = acquire_ok(pool);

	CHECK(vg_pool_free(pool) == VG_POOL_EBUSY); /* a is out: nothing freed */
	CHECK(db.open == 1);
	CHECK(vg_pool_release(pool, a, 0) == VG_POOL_OK);
	CHECK(vg_pool_release(pool, a, 0) == VG_POOL_EINVAL); /* twice */
	int foreign = 0;
	CHECK(vg_pool_release(pool, &foreign, 0) == VG_POOL_EINVAL);
	CHECK(vg_pool_release(pool, NULL, 0) == VG_POOL_EINVAL);
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.bad_releases == 2 && m.idle == 1 && m.in_use == 0);
	a = acquire_ok(pool); /* still usable, and the idle list was not corrupted */
	CHECK(a != NULL && db.connects == 1);
	vg_pool_release(pool, a, 0);
	CHECK(vg_pool_acquire(NULL, pool, 0, NULL, 0) == VG_POOL_EINVAL);

	/* thread hooks */
	CHECK(vg_pool_thread_begin(pool) == VG_POOL_OK && db.thread_inits == 1);
	vg_pool_thread_end(pool);
	db.fail_thread_init = 1;
	CHECK(vg_pool_thread_begin(pool) == VG_POOL_EINTERNAL);
	thread_ready = 1; /* the main thread stays set up (fake_thread_end cleared it) */
	check_balance(pool, &db);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	CHECK(db.open == 0);
	fake_done(&db);
}

static void test_wait_percentiles(void)
{
	fake_db db;
	fake_init(&db);
	db.connect_delay_ms = 20;
	vg_pool_config c = config(0, 2);
	vg_pool *pool = new_pool(&db, &c);
	for (int i = 0; i < 10; i++) {
		void *conn = acquire_ok(pool);
		vg_pool_release(pool, conn, 1); /* closed: every acquire connects again */
	}
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	CHECK(m.acquired == 10 && m.created == 10 && m.closed_broken == 10);
	CHECK(m.wait_p50_ms >= 18.5 && m.wait_p50_ms < 40.0);
	CHECK(m.wait_p95_ms >= m.wait_p50_ms && m.wait_p95_ms <= m.wait_max_ms);
	CHECK(m.wait_max_ms >= 20.0 && m.wait_mean_ms >= 19.5 && m.wait_mean_ms <= m.wait_max_ms);
	check_balance(pool, &db);
	CHECK(vg_pool_free(pool) == VG_POOL_OK);
	fake_done(&db);
}

int main(void)
{
	thread_ready = 1; /* as the driver's global init does for the main thread */
	test_config_errors();
	test_min_preopened();
	test_threads_respect_max();
	test_acquire_timeout();
	test_broken_release();
	test_health_check();
	test_idle_expiry();
	test_connect_failure();
	test_misuse();
	test_wait_percentiles();
	return CHECK_SUMMARY();
}
