/* check_db.c — database access for check plugins (ABI 1.2): sessions over the pool, the
 * schema comparison with proposals, privileges, pool counters. See check_db.h. */
#define _POSIX_C_SOURCE 200809L
#include "check_db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "pool.h"
#include "run.h"
#include "schema.h"
#include "schema_diff.h"
#include "schema_fix.h"

#define POOL_MAX_CEILING 256 /* no check needs more connections to one database */
#define POOL_DEFAULT_MAX 8

struct vigil_db_session {
	vg_check_db *owner;
	vigil_check_ctx *ctx; /* the check that acquired it */
	vigil_conn *conn;
	vigil_db_session *prev, *next; /* the owner's list of sessions held */
};

struct vg_check_db {
	const vg_database *database;
	const vigil_host *host;    /* the plugin set's, for the findings the host adds itself */
	vg_arena *arena;           /* `declared` and `unmanaged` */
	const vg_schema *declared; /* the blueprint's schema, built once for every check */
	const char **unmanaged;    /* what comparisons leave out (vg_schema_diff_unmanaged) */
	size_t unmanaged_count;
	vg_db *db; /* NULL when it could not be opened: see open_error */
	vg_pool *pool;
	vigil_db_error open_error;
	int pool_max;
	pthread_mutex_t lock; /* guards `held` and `wait_reported` */
	vigil_db_session *held;
	const vg_check_rec *wait_reported; /* the check whose lock wait has its finding */
};

static void err_copy(vigil_db_error *err, const vigil_db_error *from)
{
	if (err)
		*err = *from;
}

static void err_set(vigil_db_error *err, int kind, const char *message)
{
	if (!err)
		return;
	memset(err, 0, sizeof *err);
	err->kind = kind;
	snprintf(err->message, sizeof err->message, "%s", message);
}

/* The size of the checks' own pool (min 0: connections open only when asked for): the
 * blueprint's pool.max, but at least POOL_DEFAULT_MAX and the benchmark's clients, so a
 * benchmark is never throttled by a pool sized for the application. */
static int pool_size(const vg_database *database, unsigned extra_clients)
{
	long long max = database->pool.has_max && database->pool.max > POOL_DEFAULT_MAX
	                        ? database->pool.max
	                        : POOL_DEFAULT_MAX;
	if (database->benchmark.has_clients && database->benchmark.clients > max)
		max = database->benchmark.clients;
	if ((long long)extra_clients > max)
		max = extra_clients;
	return max > POOL_MAX_CEILING ? POOL_MAX_CEILING : (int)max;
}

vg_check_db *vg_check_db_new(const vigil_host *host, vg_plugins *plugins,
                             const vg_database *database, unsigned extra_clients,
                             unsigned deadline_ms)
{
	vg_check_db *cdb = calloc(1, sizeof *cdb);
	if (!cdb)
		return NULL;
	cdb->arena = vg_arena_new();
	cdb->declared = cdb->arena ? vg_schema_from_declared(cdb->arena, database) : NULL;
	cdb->unmanaged = cdb->declared ? vg_schema_diff_unmanaged(cdb->arena, database,
	                                                          &cdb->unmanaged_count)
	                               : NULL;
	if (!cdb->unmanaged || pthread_mutex_init(&cdb->lock, NULL) != 0) {
		vg_arena_free(cdb->arena);
		free(cdb);
		return NULL;
	}
	cdb->database = database;
	cdb->host = host;
	cdb->pool_max = pool_size(database, extra_clients);
	/* SQLite paths were resolved against the blueprint when it was read (sqlite_path). */
	if (vg_db_open_database(&cdb->db, plugins, database, NULL, &cdb->open_error) != 0) {
		cdb->db = NULL;
		return cdb;
	}
	vg_db_set_deadline(cdb->db, deadline_ms, 1);
	vg_pool_connector connector;
	vg_db_pool_connector(cdb->db, &connector);
	vg_pool_config config = VG_POOL_CONFIG_INIT;
	config.min = 0; /* nothing opens before a check asks: preflight times a real connect */
	config.max = cdb->pool_max;
	config.connect_timeout_ms = (int)vg_db_params(cdb->db)->connect_timeout_ms;
	config.idle_timeout_ms = 0; /* the run is short; the pool closes everything at its end */
	char message[256];
	int rc = vg_pool_new(&cdb->pool, &connector, &config, message, sizeof message);
	if (rc != VG_POOL_OK) {
		err_set(&cdb->open_error, VIGIL_DB_ERR_OTHER, message);
		vg_db_close(cdb->db);
		cdb->db = NULL;
		cdb->pool = NULL;
	}
	return cdb;
}

static void unlink_session(vg_check_db *cdb, vigil_db_session *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		cdb->held = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

size_t vg_check_db_reclaim(vg_check_db *cdb)
{
	if (!cdb)
		return 0;
	size_t n = 0;
	pthread_mutex_lock(&cdb->lock);
	while (cdb->held) {
		vigil_db_session *s = cdb->held;
		unlink_session(cdb, s);
		vg_pool_release(cdb->pool, s->conn, 1);
		free(s);
		n++;
	}
	pthread_mutex_unlock(&cdb->lock);
	return n;
}

void vg_check_db_free(vg_check_db *cdb)
{
	if (!cdb)
		return;
	vg_check_db_reclaim(cdb);
	vg_pool_free(cdb->pool);
	vg_db_close(cdb->db);
	pthread_mutex_destroy(&cdb->lock);
	vg_arena_free(cdb->arena);
	free(cdb);
}

/* ---------------------------------------------------------------- sessions */

static vg_check_db *ctx_db(vigil_check_ctx *ctx, vigil_db_error *err)
{
	if (!ctx || !ctx->check_db) {
		err_set(err, VIGIL_DB_ERR_UNSUPPORTED, "this check has no database");
		return NULL;
	}
	return ctx->check_db;
}

int vg_host_db_acquire(vigil_check_ctx *ctx, vigil_db_session **out, vigil_db_error *err)
{
	if (out)
		*out = NULL;
	vg_check_db *cdb = ctx_db(ctx, err);
	if (!cdb || !out) {
		if (cdb)
			err_set(err, VIGIL_DB_ERR_OTHER,
			        "db_acquire needs somewhere to put the session");
		return -1;
	}
	if (!cdb->db) {
		err_copy(err, &cdb->open_error);
		return -1;
	}
	vigil_db_session *s = calloc(1, sizeof *s);
	if (!s) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	void *conn = NULL;
	int kind = 0;
	char message[sizeof err->message];
	int rc = vg_pool_acquire_ex(&conn, cdb->pool, VG_POOL_DEFAULT_TIMEOUT, &kind, message,
	                            sizeof message);
	if (rc != VG_POOL_OK) {
		free(s);
		/* The connector's messages are already scrubbed (db.c); the pool's own hold no
		 * secret. A connect failure keeps the driver's kind. */
		err_set(err,
		        rc == VG_POOL_ECONNECT   ? (kind > 0 ? kind : VIGIL_DB_ERR_OTHER)
		        : rc == VG_POOL_ETIMEOUT ? VIGIL_DB_ERR_TIMEOUT
		                                 : VIGIL_DB_ERR_OTHER,
		        message);
		return -1;
	}
	s->owner = cdb;
	s->ctx = ctx;
	s->conn = conn;
	pthread_mutex_lock(&cdb->lock);
	s->next = cdb->held;
	if (cdb->held)
		cdb->held->prev = s;
	cdb->held = s;
	pthread_mutex_unlock(&cdb->lock);
	*out = s;
	return 0;
}

void vg_host_db_release(vigil_db_session *session, int broken)
{
	if (!session)
		return;
	vg_check_db *cdb = session->owner;
	pthread_mutex_lock(&cdb->lock);
	unlink_session(cdb, session);
	pthread_mutex_unlock(&cdb->lock);
	vg_pool_release(cdb->pool, session->conn, broken);
	free(session);
}

static int no_session(vigil_db_error *err)
{
	err_set(err, VIGIL_DB_ERR_OTHER, "no session given");
	return -1;
}

/* Runs a raw driver call on the session's connection; a failure's message is scrubbed. */
#define SESSION_CALL(session, err, call)                                   \
	do {                                                               \
		if (!(session))                                            \
			return no_session(err);                            \
		vg_db *db_ = (session)->owner->db;                         \
		vigil_db_error local_;                                     \
		vigil_db_error *e_ = (err) ? (err) : &local_;              \
		memset(e_, 0, sizeof *e_);                                 \
		if ((call) < 0) {                                          \
			vg_db_scrub(db_, e_->message, sizeof e_->message); \
			return -1;                                         \
		}                                                          \
		return 0;                                                  \
	} while (0)

int vg_host_db_ping(vigil_db_session *session, vigil_db_error *err)
{
	SESSION_CALL(session, err, vg_db_driver(db_)->ping(session->conn, e_));
}

int vg_host_db_server_version(vigil_db_session *session, char *buf, size_t size,
                              vigil_db_error *err)
{
	if (!buf || size == 0)
		return no_session(err);
	SESSION_CALL(session, err, vg_db_driver(db_)->server_version(session->conn, buf, size, e_));
}

int vg_host_db_session_info(vigil_db_session *session, char *user, size_t user_size, char *database,
                            size_t database_size, int *tls, vigil_db_error *err)
{
	SESSION_CALL(session, err,
	             vg_db_driver(db_)->session_info(session->conn, user, user_size, database,
	                                             database_size, tls, e_));
}

/*
 * A statement of a check ran into its lock or statement timeout: the first time in a check,
 * a VG625 finding naming what held the lock (from the catalog, on a connection of its own),
 * and the same words after the error's message, so the check's own finding says it too.
 */
static int waited(vigil_db_session *session, int rc, vigil_db_error *err)
{
	vg_check_db *cdb = session->owner;
	if (rc == 0 || !err || !vg_db_is_wait_timeout(cdb->db, err))
		return rc;
	pthread_mutex_lock(&cdb->lock);
	int first = cdb->wait_reported != session->ctx->check;
	cdb->wait_reported = session->ctx->check;
	pthread_mutex_unlock(&cdb->lock);
	if (!first)
		return rc;
	char holders[1200];
	vg_db_explain_wait(cdb->db, holders, sizeof holders);
	vg_db_scrub(cdb->db, holders, sizeof holders);
	char message[sizeof err->message];
	snprintf(message, sizeof message, "%s", err->message);
	snprintf(err->message, sizeof err->message, "%.200s; %.300s", message, holders);
	const vigil_host *host = cdb->host;
	char text[1600];
	snprintf(text, sizeof text,
	         "database %s: check %s waited on a lock until its timeout (%u ms): %s",
	         cdb->database->name ? cdb->database->name : "?",
	         session->ctx->check_name ? session->ctx->check_name : "?",
	         vg_db_lock_timeout_ms(cdb->db), holders);
	pthread_mutex_lock(&cdb->lock); /* a benchmark's clients share the check's findings */
	vigil_finding *f = host->finding_add(session->ctx, "VG625", VIGIL_PLUGIN_ERROR, text);
	host->finding_set_detail(f, message);
	host->finding_set_hint(f, "end the session that holds the lock (or wait for it to "
	                          "finish), then run vigil again; --check-timeout gives waits "
	                          "more time (a quarter of it for a lock)");
	host->finding_set_evidence(f, "no lock held on the database's tables", holders);
	pthread_mutex_unlock(&cdb->lock);
	return rc;
}

int vg_host_db_exec(vigil_db_session *session, const char *sql, vigil_db_error *err)
{
	if (!session)
		return no_session(err);
	return waited(session, vg_db_exec(session->owner->db, session->conn, sql, err), err);
}

int vg_host_db_query(vigil_db_session *session, const char *sql, size_t param_count,
                     const char *const *params, vigil_row_fn row, void *payload,
                     unsigned long long *rows_affected, vigil_db_error *err)
{
	if (!session)
		return no_session(err);
	return waited(session,
	              vg_db_query(session->owner->db, session->conn, sql, param_count, params, row,
	                          payload, rows_affected, err),
	              err);
}

int vg_host_db_begin(vigil_db_session *session, vigil_db_error *err)
{
	return session ? vg_db_begin(session->owner->db, session->conn, err) : no_session(err);
}

int vg_host_db_commit(vigil_db_session *session, vigil_db_error *err)
{
	return session ? vg_db_commit(session->owner->db, session->conn, err) : no_session(err);
}

int vg_host_db_rollback(vigil_db_session *session, vigil_db_error *err)
{
	return session ? vg_db_rollback(session->owner->db, session->conn, err) : no_session(err);
}

int vg_host_db_thread_begin(vigil_check_ctx *ctx)
{
	vg_check_db *cdb = ctx_db(ctx, NULL);
	if (!cdb)
		return -1;
	return cdb->pool && vg_pool_thread_begin(cdb->pool) != VG_POOL_OK ? -1 : 0;
}

void vg_host_db_thread_end(vigil_check_ctx *ctx)
{
	vg_check_db *cdb = ctx_db(ctx, NULL);
	if (cdb && cdb->pool)
		vg_pool_thread_end(cdb->pool);
}

void vg_host_db_pool_stats(vigil_check_ctx *ctx, vigil_pool_stats *out)
{
	if (!out || out->size < sizeof(uint32_t))
		return;
	vigil_pool_stats stats;
	memset(&stats, 0, sizeof stats);
	stats.size = out->size < sizeof stats ? out->size : (uint32_t)sizeof stats;
	vg_check_db *cdb = ctx_db(ctx, NULL);
	if (cdb && cdb->pool) {
		vg_pool_metrics m;
		vg_pool_metrics_get(cdb->pool, &m);
		stats.acquired = m.acquired;
		stats.created = m.created;
		stats.reused = m.reused;
		stats.failed = m.failed;
		stats.timeouts = m.timeouts;
		stats.closed_broken = m.closed_broken;
		stats.in_use = m.in_use;
		stats.idle = m.idle;
		stats.open = m.open;
		stats.peak_in_use = m.peak_in_use;
		stats.max = (size_t)cdb->pool_max;
		stats.wait_p50_ms = m.wait_p50_ms;
		stats.wait_p95_ms = m.wait_p95_ms;
		stats.wait_p99_ms = m.wait_p99_ms;
		stats.wait_max_ms = m.wait_max_ms;
	}
	/* A plugin built against a smaller struct gets only what it knows. */
	memcpy(out, &stats, stats.size);
}

/* ---------------------------------------------------------------- schema comparison */

/* "table" or "table.object". */
static const char *difference_object(vg_arena *arena, const vg_schema_difference *d)
{
	if (!d->object)
		return d->table;
	size_t n = strlen(d->table) + strlen(d->object) + 2;
	char *s = vg_arena_alloc(arena, n);
	if (s)
		snprintf(s, n, "%s.%s", d->table, d->object);
	return s;
}

static int fill_difference(vigil_check_ctx *ctx, vg_check_db *cdb, vg_arena *arena,
                           const vg_schema *declared, const vg_schema *live,
                           const vg_schema_difference *d, vigil_schema_difference *out,
                           vigil_db_error *err)
{
	memset(out, 0, sizeof *out);
	out->size = (uint32_t)sizeof *out;
	out->kind = vg_schema_diff_kind_name(d->kind);
	out->table = d->table;
	out->object = difference_object(arena, d);
	out->description = vg_schema_diff_describe(arena, d);
	out->expected = d->expected;
	out->actual = d->actual;
	out->expected_normalised = d->expected_canonical;
	out->actual_normalised = d->actual_canonical;
	out->rule = d->rule;
	if (d->node && ctx->blueprint) {
		out->file = ctx->blueprint->file;
		out->line = d->node->line;
		out->column = d->node->column;
	}
	if (!out->object || !out->description) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	vg_schema_fix fix;
	if (vg_schema_fix_make(cdb->db, arena, declared, live, d, &fix, err) != 0)
		return -1;
	out->proposal = fix.sql;
	out->risk = fix.risk;
	out->proposal_note = fix.note;
	return 0;
}

int vg_host_db_schema_compare(vigil_check_ctx *ctx, vigil_db_session *session,
                              const vigil_schema_comparison **out, vigil_db_error *err)
{
	if (out)
		*out = NULL;
	vg_check_db *cdb = ctx_db(ctx, err);
	if (!cdb)
		return -1;
	if (!session || !out || session->owner != cdb)
		return no_session(err);
	vg_arena *arena = ctx->report->arena;
	const vg_schema *declared = cdb->declared;
	vigil_schema_comparison *cmp = vg_arena_alloc(arena, sizeof *cmp);
	if (!cmp) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	memset(cmp, 0, sizeof *cmp);
	cmp->size = (uint32_t)sizeof *cmp;

	double t0 = vg_now_ms();
	vg_schema *live = NULL;
	if (vg_db_introspect(cdb->db, session->conn, arena, declared->namespace_name, NULL, &live,
	                     &cmp->round_trips, err) != 0)
		return waited(session, -1, err);
	double t1 = vg_now_ms();
	vg_schema_diff_result diff;
	int rc = vg_schema_diff(arena, declared, live, cdb->unmanaged, cdb->unmanaged_count, &diff);
	cmp->introspect_ms = t1 - t0;
	cmp->diff_ms = vg_now_ms() - t1;
	if (rc != 0) {
		err_set(err, VIGIL_DB_ERR_OTHER,
		        rc == VG_SCHEMA_ENOMEM
		                ? "out of memory"
		                : "the declared and the live schema cannot be compared");
		return -1;
	}
	vigil_schema_difference *items =
	        vg_arena_array(arena, diff.count ? diff.count : 1, sizeof *items);
	if (!items) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < diff.count; i++)
		if (fill_difference(ctx, cdb, arena, declared, live, &diff.items[i], &items[i],
		                    err) != 0)
			return -1;
	cmp->items = items;
	cmp->count = diff.count;
	cmp->tables_declared = declared->table_count;
	cmp->tables_live = live->table_count;
	cmp->tables_compared = diff.tables_compared;
	cmp->columns_compared = diff.columns_compared;
	cmp->unmanaged_skipped = diff.unmanaged_skipped;
	*out = cmp;
	return 0;
}

int vg_host_db_privileges(vigil_check_ctx *ctx, vigil_db_session *session,
                          const vigil_privilege **items, size_t *count, vigil_db_error *err)
{
	if (items)
		*items = NULL;
	if (count)
		*count = 0;
	vg_check_db *cdb = ctx_db(ctx, err);
	if (!cdb)
		return -1;
	if (!session || !items || !count || session->owner != cdb)
		return no_session(err);
	vg_arena *arena = ctx->report->arena;
	vigil_privilege_sink *sink = NULL;
	if (vg_db_privileges(cdb->db, session->conn, arena, cdb->declared->namespace_name, &sink,
	                     err) != 0)
		return waited(session, -1, err);
	vigil_privilege *list = vg_arena_array(arena, sink->count ? sink->count : 1, sizeof *list);
	if (!list) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < sink->count; i++)
		list[i] = (vigil_privilege){ sink->items[i].object, sink->items[i].privilege };
	*items = list;
	*count = sink->count;
	return 0;
}
