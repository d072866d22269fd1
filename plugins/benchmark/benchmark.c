/*
 * benchmark.c — how fast is the database under the system's workload? (check "benchmark")
 *
 * Runs N clients, each a thread holding its own session from the engine's pool, that repeat
 * one workload query for a warm-up and then for the measured duration; their latencies go
 * into per-client fixed log-scale histograms (latency.h: no per-sample storage, ~1.6%
 * resolution), merged at the end. Depends on "preflight": it runs only when the database
 * answered.
 *
 * Settings (the database's `benchmark:` mapping; a missing one falls back to the root's
 * validation.performance, then to the built-in default):
 *   clients         1..256 (default 4)          warmup_ms    0.. (default 500)
 *   duration_ms     1.. (default 2000)          query        the workload (see below)
 *   max_p95_ms      > 0   → VG570 when the measured p95 is above it
 *   min_tps         >= 0  → VG571 when the throughput is below it
 *   max_error_rate  0..1  → VG572 when the share of failed queries is above it
 * warmup_ms and query come from `benchmark:` only. Warm-up plus measurement must fit in the
 * check's deadline (host->check_deadline_ms, 30 s by default; host->cancelled turns true at
 * 90% of it): warmup_ms + duration_ms may take at most 5/6 of it (25 s of 30), the rest is
 * for connecting the clients and sampling keys. A bad value makes the check an ERROR naming
 * the key and the value.
 *
 * The workload, the first that applies:
 *  1. `query`, run as written, without parameters;
 *  2. a primary-key lookup on the first declared table (schema.tables) with a single-column
 *     primary key: SELECT * FROM t WHERE pk = ?, the keys sampled up front with
 *     SELECT pk FROM t LIMIT 1000 and cycled through (each client starts at its own
 *     offset); an empty table still probes the index, with key 1;
 *  3. SELECT 1 (a round trip).
 * The check's status reason names the workload that ran, with its headline figures.
 *
 * Writes leave nothing behind: every run of `query` is a transaction that is rolled back,
 * whatever it looks like. A query that reads — it starts with SELECT, WITH, VALUES, SHOW or
 * EXPLAIN (after comments) and has no writing keyword (INSERT, UPDATE, DELETE, MERGE,
 * REPLACE, INTO, ...) outside literals — runs inside a READ-ONLY transaction (PostgreSQL and
 * MySQL/MariaDB: START TRANSACTION READ ONLY … ROLLBACK; SQLite: BEGIN … ROLLBACK on a
 * session with PRAGMA query_only on), so a SELECT that calls a writing function (SELECT
 * bump()) is refused by the server (VG578), and what a server lets run there anyway
 * (PostgreSQL's lo_create(0)) is rolled back. Any other query runs inside
 * BEGIN … ROLLBACK. The latency is that of the whole transaction. DDL and transaction control
 * (CREATE, DROP, ALTER, TRUNCATE, GRANT, BEGIN, COMMIT, ...) are refused: MySQL commits DDL
 * implicitly, and they would break the wrapping. Caveats for the writing queries: writes to
 * tables that ignore transactions (MySQL MyISAM) and sequence increments (nextval,
 * AUTO_INCREMENT counters) are not undone by a rollback. The built-in workloads (the
 * primary-key lookup and SELECT 1) are statements vigil builds itself from quoted names:
 * they run bare, as a pgbench -S would.
 *
 * Failures, each an error finding with the measured figures: a client that cannot get a
 * connection at the start is VG574 (the others still run); the query failing on the first
 * attempt of every client (or never succeeding in the measured time) is VG573 with the
 * database's error. A failed query later counts as an error. A client whose connection
 * breaks tries to get another one until the run ends, every attempt without a connection
 * counting as a failed query; a client that ends the run without one is VG575, and when
 * every client did, the database went away: VG577. Successful queries that stop before 90%
 * of the planned duration (the server stopped answering) are VG576. The error rate is
 * failed queries over attempted ones. An iteration is measured when it ends after the
 * warm-up (one that outlasts the warm-up counts with its whole latency). Metrics: tps
 * (successful queries per second of measured time), p50/p95/p99/max/mean latency in ms
 * (successful queries), queries (attempted), errors, error_rate, clients (that ran),
 * duration_ms (measured), lost_clients, and the pool's created / reused / wait p95 / peak
 * in use.
 *
 * Policy only: the database is reached through the host's ABI 1.2 functions, so the same
 * check runs on SQLite, PostgreSQL and MySQL/MariaDB.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep, strncasecmp */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <vigil/plugin.h>

#include "latency.h"

#ifndef VIGIL_IN_TREE_VERSION
#define VIGIL_IN_TREE_VERSION "0.0.0"
#endif

#define CLIENTS_MAX 256 /* the engine's pool holds at most 256 connections per database */
#define DEFAULT_CLIENTS 4
#define DEFAULT_WARMUP_MS 500
#define DEFAULT_DURATION_MS 2000
/* The host kills a check at its deadline (30 s unless --check-timeout says otherwise) and
 * raises cancelled at 90% of it (27 s). Warm-up and measurement must end before that with
 * room for connecting the clients and sampling keys: 5/6 of the deadline. */
#define DEADLINE_DEFAULT_MS 30000u

static unsigned run_budget_ms(vigil_check_ctx *ctx, const vigil_host *host)
{
	unsigned deadline = VIGIL_HOST_HAS(host, check_deadline_ms) && host->check_deadline_ms
	                            ? host->check_deadline_ms(ctx)
	                            : 0;
	if (deadline == 0)
		deadline = DEADLINE_DEFAULT_MS;
	return deadline / 6 * 5 > 1 ? deadline / 6 * 5 : 2;
}
#define KEY_SAMPLE 1000
#define TABLES_MAX 10000 /* how far schema.tables is searched for a primary key */
#define COLUMNS_MAX 10000
#define POLL_MS 5     /* how often the check's thread looks at host->cancelled during the run */
#define RETRY_MS 10   /* how long a client without a connection waits before trying again */
#define SHORT_RUN 0.9 /* successful queries ending before this share of the run: VG576 */

/* ---------------------------------------------------------------- small helpers */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

static int config_true(const char *value)
{
	return value && (strcasecmp(value, "true") == 0 || strcasecmp(value, "yes") == 0 ||
	                 strcasecmp(value, "on") == 0 || strcmp(value, "1") == 0);
}

/* A number as a person reads it: 31.4, 0.0873, 1234, 2.5e+06. */
static void format_number(char *out, size_t size, double v)
{
	double a = fabs(v);
	if (a >= 1e6)
		snprintf(out, size, "%.3g", v);
	else if (a >= 100 || v == floor(v))
		snprintf(out, size, "%.0f", v);
	else if (a >= 10)
		snprintf(out, size, "%.1f", v);
	else if (a >= 1)
		snprintf(out, size, "%.2f", v);
	else
		snprintf(out, size, "%.3g", v);
}

static const char *error_text(const vigil_db_error *err)
{
	return err->message[0] ? err->message : "the driver gave no message";
}

/* ---------------------------------------------------------------- settings */

typedef struct bench_config {
	unsigned clients;
	unsigned warmup_ms, duration_ms;
	int has_max_p95, has_min_tps, has_max_error_rate;
	double max_p95_ms, min_tps, max_error_rate;
	/* thresholds as written, for the findings' evidence */
	const char *max_p95_text, *min_tps_text, *max_error_rate_text;
	const char *query; /* borrowed from the host; NULL: none */
} bench_config;

/* Where a setting was found: "benchmark.<key>" or "validation.performance.<key>". */
typedef struct setting {
	const char *value;
	char source[64];
} setting;

static setting lookup(vigil_check_ctx *ctx, const vigil_host *host, const char *key,
                      int root_default)
{
	setting s = { NULL, "" };
	snprintf(s.source, sizeof s.source, "benchmark.%s", key);
	s.value = host->config_get(ctx, s.source);
	if (!s.value && root_default) {
		snprintf(s.source, sizeof s.source, "validation.performance.%s", key);
		s.value = host->config_get(ctx, s.source);
	}
	return s;
}

/* The whole text is one finite number (blanks around it allowed). */
static int parse_number(const char *text, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || errno == ERANGE || !isfinite(v))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int bad_setting(vigil_check_ctx *ctx, const vigil_host *host, const setting *s,
                       const char *expected)
{
	char reason[512];
	snprintf(reason, sizeof reason, "database %s: %s is \"%s\", expected %s",
	         host->database_name(ctx), s->source, s->value, expected);
	host->set_status(ctx, VIGIL_CHECK_ERROR, reason);
	return -1;
}

/* A whole number within [lo, hi], or the default when absent. */
static int read_whole(vigil_check_ctx *ctx, const vigil_host *host, const char *key,
                      int root_default, unsigned lo, unsigned hi, unsigned fallback,
                      const char *expected, unsigned *out)
{
	setting s = lookup(ctx, host, key, root_default);
	*out = fallback;
	if (!s.value)
		return 0;
	double v;
	if (parse_number(s.value, &v) != 0 || v != floor(v) || v < lo || v > hi)
		return bad_setting(ctx, host, &s, expected);
	*out = (unsigned)v;
	return 0;
}

/* A threshold: absent (no check), or a number with lo < v (lo_open) / lo <= v, v <= hi. */
static int read_threshold(vigil_check_ctx *ctx, const vigil_host *host, const char *key, double lo,
                          int lo_open, double hi, const char *expected, int *has, double *out,
                          const char **text)
{
	setting s = lookup(ctx, host, key, 1);
	*has = 0;
	if (!s.value)
		return 0;
	double v;
	if (parse_number(s.value, &v) != 0 || v > hi || (lo_open ? v <= lo : v < lo))
		return bad_setting(ctx, host, &s, expected);
	*has = 1;
	*out = v;
	*text = s.value;
	return 0;
}

static int read_config(vigil_check_ctx *ctx, const vigil_host *host, bench_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	char expected[160];
	const unsigned budget = run_budget_ms(ctx, host);
	const unsigned deadline_s = (budget / 5 * 6 + 500) / 1000;
	if (read_whole(ctx, host, "clients", 1, 1, CLIENTS_MAX, DEFAULT_CLIENTS,
	               "a whole number of clients from 1 to 256", &cfg->clients) != 0)
		return -1;
	snprintf(expected, sizeof expected,
	         "a whole number of milliseconds from 0 to %u (with duration_ms, within the "
	         "check's deadline)",
	         budget - 1);
	if (read_whole(ctx, host, "warmup_ms", 0, 0, budget - 1, DEFAULT_WARMUP_MS, expected,
	               &cfg->warmup_ms) != 0)
		return -1;
	snprintf(expected, sizeof expected,
	         "a whole number of milliseconds from 1 to %u (the check's deadline, %u s, "
	         "must leave room for connecting)",
	         budget, deadline_s);
	if (read_whole(ctx, host, "duration_ms", 1, 1, budget, DEFAULT_DURATION_MS, expected,
	               &cfg->duration_ms) != 0)
		return -1;
	if (cfg->warmup_ms + cfg->duration_ms > budget) {
		char reason[512];
		snprintf(reason, sizeof reason,
		         "database %s: warmup_ms %u + duration_ms %u = %u ms does not fit in the "
		         "check's deadline (%u s; raise it with --check-timeout): "
		         "keep warmup_ms + duration_ms at or below %u",
		         host->database_name(ctx), cfg->warmup_ms, cfg->duration_ms,
		         cfg->warmup_ms + cfg->duration_ms, deadline_s, budget);
		host->set_status(ctx, VIGIL_CHECK_ERROR, reason);
		return -1;
	}
	if (read_threshold(ctx, host, "max_p95_ms", 0, 1, HUGE_VAL,
	                   "a number of milliseconds above 0", &cfg->has_max_p95, &cfg->max_p95_ms,
	                   &cfg->max_p95_text) != 0 ||
	    read_threshold(ctx, host, "min_tps", 0, 0, HUGE_VAL,
	                   "a number of queries per second, 0 or more", &cfg->has_min_tps,
	                   &cfg->min_tps, &cfg->min_tps_text) != 0 ||
	    read_threshold(ctx, host, "max_error_rate", 0, 0, 1,
	                   "a fraction from 0 to 1 (0.01 is 1%)", &cfg->has_max_error_rate,
	                   &cfg->max_error_rate, &cfg->max_error_rate_text) != 0)
		return -1;
	setting q = lookup(ctx, host, "query", 0);
	if (q.value) {
		const char *p = q.value;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			return bad_setting(ctx, host, &q, "an SQL query");
		cfg->query = q.value;
	}
	return 0;
}

/* ---------------------------------------------------------------- reading SQL */

/* Skips blanks and comments (--, #, slash-star) from p. */
static const char *skip_blanks(const char *p)
{
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if ((p[0] == '-' && p[1] == '-') || p[0] == '#') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

static int is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static int word_is(const char *word, size_t length, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == length && strncasecmp(word, list[i], length) == 0)
			return 1;
	return 0;
}

/* Statements that read only (when nothing below writes inside them). */
static const char *const read_keywords[] = { "SELECT", "WITH", "VALUES", "SHOW", "EXPLAIN", NULL };
/* Words that make a read-looking statement write: data-modifying CTEs, EXPLAIN ANALYZE of a
 * write, SELECT ... INTO a new table, SELECT ... FOR UPDATE locks. */
static const char *const write_keywords[] = { "INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE",
	                                      "INTO",   "UPSERT", "COPY",   "CALL",  NULL };
/* What the benchmark refuses to run: not undone by a rollback everywhere, or breaks it. */
static const char *const refused_keywords[] = { "CREATE",    "DROP",    "ALTER",    "TRUNCATE",
	                                        "RENAME",    "GRANT",   "REVOKE",   "BEGIN",
	                                        "START",     "COMMIT",  "ROLLBACK", "END",
	                                        "SAVEPOINT", "RELEASE", "VACUUM",   NULL };

/* Where the quoted part starting at p ends (just past it), or NULL when it never does. */
static const char *skip_quoted(const char *p)
{
	if (*p == '$') { /* PostgreSQL dollar quoting: $tag$ ... $tag$ */
		const char *tag_end = p + 1;
		while (isalnum((unsigned char)*tag_end) || *tag_end == '_')
			tag_end++;
		if (*tag_end != '$')
			return p + 1; /* $1 or a name with $: not a quote */
		size_t tag_length = (size_t)(tag_end - p) + 1;
		for (const char *q = tag_end + 1; *q; q++)
			if (strncmp(q, p, tag_length) == 0)
				return q + tag_length;
		return NULL;
	}
	char quote = *p;
	for (const char *q = p + 1; *q; q++) {
		if (*q == '\\' && quote == '\'' && q[1]) {
			q++;
		} else if (*q == quote) {
			if (q[1] == quote) {
				q++;
				continue;
			}
			return q + 1;
		}
	}
	return NULL;
}

typedef enum statement_kind {
	STATEMENT_READ = 0,
	STATEMENT_WRITE = 1,
	STATEMENT_REFUSED = 2
} statement_kind;

/*
 * Reads or writes? Read-only when it starts with a read keyword and no writing keyword
 * appears outside literals, quoted names and comments. Anything unclear counts as a write
 * (the cost is one BEGIN … ROLLBACK per iteration, never a change left behind).
 */
static statement_kind classify_statement(const char *sql, char *first_word, size_t size)
{
	const char *p = skip_blanks(sql);
	while (*p == '(')
		p = skip_blanks(p + 1);
	const char *word = p;
	while (is_word_char(*p))
		p++;
	size_t length = (size_t)(p - word);
	snprintf(first_word, size, "%.*s", (int)length, word);
	if (word_is(word, length, refused_keywords))
		return STATEMENT_REFUSED;
	if (!word_is(word, length, read_keywords))
		return STATEMENT_WRITE;
	while (*p) {
		const char *next = skip_blanks(p);
		if (next != p) {
			p = next;
			continue;
		}
		if (*p == '\'' || *p == '"' || *p == '`' || *p == '$') {
			if (*p == '$' && p > sql && is_word_char(p[-1])) {
				p++;
				continue;
			}
			p = skip_quoted(p);
			if (!p)
				return STATEMENT_WRITE; /* unbalanced: not sure, so careful */
			continue;
		}
		if (is_word_char(*p)) {
			word = p;
			while (is_word_char(*p))
				p++;
			if (word_is(word, (size_t)(p - word), write_keywords) ||
			    word_is(word, (size_t)(p - word), refused_keywords))
				return STATEMENT_WRITE;
			continue;
		}
		p++;
	}
	return STATEMENT_READ;
}

/* ---------------------------------------------------------------- the workload */

typedef enum workload_kind {
	WORKLOAD_QUERY = 0,     /* the blueprint's benchmark.query */
	WORKLOAD_PK_LOOKUP = 1, /* SELECT * FROM t WHERE pk = ? over sampled keys */
	WORKLOAD_PING = 2       /* SELECT 1 */
} workload_kind;

/* How each run of the workload is wrapped. */
typedef enum workload_wrap {
	WRAP_NONE = 0, /* vigil's own read (PK lookup, SELECT 1): bare */
	WRAP_READ_ONLY =
	        1, /* the blueprint's query that reads: a read-only transaction, rolled back */
	WRAP_ROLLBACK = 2 /* the blueprint's query that writes: BEGIN … ROLLBACK */
} workload_wrap;

typedef struct workload {
	workload_kind kind;
	char *sql;
	int read_only; /* the classifier says it reads */
	workload_wrap wrap;
	const char *begin_read_only; /* WRAP_READ_ONLY: how the dialect starts one */
	int query_only;              /* SQLite: PRAGMA query_only on each client's session */
	char *table;                 /* PK lookup: the declared table and its key column */
	char *column;
	char *keys; /* the sampled keys, NUL-separated */
	size_t *key_offsets;
	size_t key_count;
	size_t keys_size, keys_cap, offsets_cap;
	int table_empty;
	char description[512]; /* for the status reason and the findings */
} workload;

static void workload_free(workload *w)
{
	free(w->sql);
	free(w->table);
	free(w->column);
	free(w->keys);
	free(w->key_offsets);
	memset(w, 0, sizeof *w);
}

static const char *workload_key(const workload *w, size_t i)
{
	return w->keys + w->key_offsets[i % w->key_count];
}

/* The first declared table with a single-column primary key: its name and the column. */
static int find_keyed_table(vigil_check_ctx *ctx, const vigil_host *host, const char **table,
                            const char **column)
{
	char key[128];
	for (size_t t = 0; t < TABLES_MAX; t++) {
		snprintf(key, sizeof key, "schema.tables.%zu.name", t);
		const char *name = host->config_get(ctx, key);
		if (!name) {
			/* the end of the list, unless this entry lacks a name */
			snprintf(key, sizeof key, "schema.tables.%zu.columns.0.name", t);
			if (!host->config_get(ctx, key))
				return -1;
			continue;
		}
		/* table-level primary_key: a column name, or a list of them */
		snprintf(key, sizeof key, "schema.tables.%zu.primary_key", t);
		const char *pk = host->config_get(ctx, key);
		if (pk && *pk) {
			*table = name;
			*column = pk;
			return 0;
		}
		snprintf(key, sizeof key, "schema.tables.%zu.primary_key.0", t);
		pk = host->config_get(ctx, key);
		if (pk) {
			snprintf(key, sizeof key, "schema.tables.%zu.primary_key.1", t);
			if (host->config_get(ctx, key))
				continue; /* composite */
			*table = name;
			*column = pk;
			return 0;
		}
		/* column-level primary_key: true, exactly one */
		const char *found = NULL;
		size_t marked = 0;
		for (size_t c = 0; c < COLUMNS_MAX; c++) {
			snprintf(key, sizeof key, "schema.tables.%zu.columns.%zu.name", t, c);
			const char *column_name = host->config_get(ctx, key);
			if (!column_name)
				break;
			snprintf(key, sizeof key, "schema.tables.%zu.columns.%zu.primary_key", t,
			         c);
			if (config_true(host->config_get(ctx, key))) {
				found = column_name;
				marked++;
			}
		}
		if (marked == 1) {
			*table = name;
			*column = found;
			return 0;
		}
	}
	return -1;
}

/* Appends an identifier quoted for the database type ("a"."b", `a`.`b`). */
static int append_identifier(char *out, size_t size, size_t *used, const char *name,
                             const char *type)
{
	char quote = strcmp(type, "mysql") == 0 ? '`' : '"';
	for (const char *part = name; part;) {
		const char *dot = strchr(part, '.');
		size_t length = dot ? (size_t)(dot - part) : strlen(part);
		if (*used + 2 * length + 4 >= size)
			return -1;
		out[(*used)++] = quote;
		for (size_t i = 0; i < length; i++) {
			if (part[i] == quote)
				out[(*used)++] = quote;
			out[(*used)++] = part[i];
		}
		out[(*used)++] = quote;
		if (dot)
			out[(*used)++] = '.';
		part = dot ? dot + 1 : NULL;
	}
	out[*used] = '\0';
	return 0;
}

static int append_text(char *out, size_t size, size_t *used, const char *text)
{
	size_t length = strlen(text);
	if (*used + length >= size)
		return -1;
	memcpy(out + *used, text, length + 1);
	*used += length;
	return 0;
}

/* Keeps one sampled key (row callback of the sampling query). */
static int keep_key(void *payload, size_t column_count, const char *const *values,
                    const size_t *lengths)
{
	workload *w = payload;
	if (column_count < 1 || !values[0])
		return 0;
	size_t length = strnlen(values[0], lengths[0]);
	if (w->keys_size + length + 1 > w->keys_cap) {
		size_t cap = w->keys_cap ? w->keys_cap * 2 : 4096;
		while (cap < w->keys_size + length + 1)
			cap *= 2;
		char *keys = realloc(w->keys, cap);
		if (!keys)
			return 1;
		w->keys = keys;
		w->keys_cap = cap;
	}
	if (w->key_count == w->offsets_cap) {
		size_t cap = w->offsets_cap ? w->offsets_cap * 2 : 256;
		size_t *offsets = realloc(w->key_offsets, cap * sizeof *offsets);
		if (!offsets)
			return 1;
		w->key_offsets = offsets;
		w->offsets_cap = cap;
	}
	w->key_offsets[w->key_count++] = w->keys_size;
	memcpy(w->keys + w->keys_size, values[0], length);
	w->keys[w->keys_size + length] = '\0';
	w->keys_size += length + 1;
	return 0;
}

typedef enum workload_outcome {
	WORKLOAD_READY = 0,
	WORKLOAD_REFUSED = 1, /* the settings cannot make a workload: status ERROR set */
	WORKLOAD_FAILED = 2   /* it cannot run on the database: a VG573 finding added */
} workload_outcome;

static void report_query_failure(vigil_check_ctx *ctx, const vigil_host *host, const workload *w,
                                 const char *what, const char *sql, const vigil_db_error *err);

/*
 * Decides the workload and, for a primary-key lookup, samples its keys on `session` (the
 * check's own). Returns a workload_outcome, or -1 when memory ran out (status set).
 */
static int workload_prepare(vigil_check_ctx *ctx, const vigil_host *host, const bench_config *cfg,
                            vigil_db_session *session, workload *w)
{
	const char *type = host->database_type(ctx);
	const char *name = host->database_name(ctx);
	memset(w, 0, sizeof *w);
	if (cfg->query) {
		char first_word[32];
		statement_kind kind = classify_statement(cfg->query, first_word, sizeof first_word);
		if (kind == STATEMENT_REFUSED) {
			char reason[512];
			snprintf(
			        reason, sizeof reason,
			        "database %s: benchmark.query starts with %s: the benchmark runs a "
			        "workload and must leave nothing behind, so DDL and transaction "
			        "control are refused (MySQL commits DDL even inside a transaction); "
			        "give a SELECT, or an INSERT/UPDATE/DELETE (run inside BEGIN … "
			        "ROLLBACK)",
			        name, first_word);
			host->set_status(ctx, VIGIL_CHECK_ERROR, reason);
			return WORKLOAD_REFUSED;
		}
		w->kind = WORKLOAD_QUERY;
		w->read_only = kind == STATEMENT_READ;
		w->wrap = w->read_only ? WRAP_READ_ONLY : WRAP_ROLLBACK;
		/* SQLite has no read-only transaction: query_only refuses every change instead */
		w->query_only = w->read_only && strcmp(type, "sqlite") == 0;
		w->begin_read_only = w->query_only ? "BEGIN" : "START TRANSACTION READ ONLY";
		w->sql = strdup(cfg->query);
		snprintf(w->description, sizeof w->description, "the blueprint's query%s: %.300s",
		         w->read_only ? " (each run inside a read-only transaction, rolled back)"
		                      : " (it writes: each run inside BEGIN … ROLLBACK)",
		         cfg->query);
	} else {
		const char *table, *column;
		if (find_keyed_table(ctx, host, &table, &column) != 0) {
			w->kind = WORKLOAD_PING;
			w->read_only = 1;
			w->sql = strdup("SELECT 1");
			snprintf(w->description, sizeof w->description,
			         "SELECT 1 (no benchmark.query, and no declared table with a "
			         "single-column primary key)");
		} else {
			w->kind = WORKLOAD_PK_LOOKUP;
			w->read_only = 1;
			w->table = strdup(table);
			w->column = strdup(column);
			char sql[1024];
			size_t used = 0;
			if (append_text(sql, sizeof sql, &used, "SELECT * FROM ") != 0 ||
			    append_identifier(sql, sizeof sql, &used, table, type) != 0 ||
			    append_text(sql, sizeof sql, &used, " WHERE ") != 0 ||
			    append_identifier(sql, sizeof sql, &used, column, type) != 0 ||
			    append_text(sql, sizeof sql, &used, " = ?") != 0) {
				char reason[512];
				snprintf(
				        reason, sizeof reason,
				        "database %s: table %.200s or column %.200s has too long a name "
				        "for the benchmark's query",
				        name, table, column);
				host->set_status(ctx, VIGIL_CHECK_ERROR, reason);
				return WORKLOAD_REFUSED;
			}
			w->sql = strdup(sql);
		}
	}
	if (!w->sql || (w->kind == WORKLOAD_PK_LOOKUP && (!w->table || !w->column))) {
		host->set_status(ctx, VIGIL_CHECK_ERROR, "out of memory preparing the workload");
		return -1;
	}
	if (w->kind != WORKLOAD_PK_LOOKUP)
		return WORKLOAD_READY;

	/* sample the keys up front: the measured loop only looks them up */
	char sample[1024];
	size_t used = 0;
	char limit[32];
	snprintf(limit, sizeof limit, " LIMIT %d", KEY_SAMPLE);
	if (append_text(sample, sizeof sample, &used, "SELECT ") != 0 ||
	    append_identifier(sample, sizeof sample, &used, w->column, type) != 0 ||
	    append_text(sample, sizeof sample, &used, " FROM ") != 0 ||
	    append_identifier(sample, sizeof sample, &used, w->table, type) != 0 ||
	    append_text(sample, sizeof sample, &used, limit) != 0) {
		host->set_status(ctx, VIGIL_CHECK_ERROR,
		                 "the benchmark's sampling query is too long");
		return WORKLOAD_REFUSED;
	}
	vigil_db_error err = { 0 };
	int rc = host->db_query(session, sample, 0, NULL, keep_key, w, NULL, &err);
	if (rc > 0) {
		host->set_status(ctx, VIGIL_CHECK_ERROR, "out of memory sampling the keys");
		return -1;
	}
	if (rc != 0) {
		snprintf(w->description, sizeof w->description,
		         "primary-key lookup on %.200s.%.200s", w->table, w->column);
		report_query_failure(ctx, host, w, "sampling its keys", sample, &err);
		return WORKLOAD_FAILED;
	}
	if (w->key_count == 0) {
		w->table_empty = 1;
		if (keep_key(w, 1, (const char *const[]){ "1" }, (const size_t[]){ 1 }) != 0) {
			host->set_status(ctx, VIGIL_CHECK_ERROR, "out of memory sampling the keys");
			return -1;
		}
	}
	if (w->table_empty)
		snprintf(w->description, sizeof w->description,
		         "primary-key lookup on %.200s.%.200s (the table is empty: probes the "
		         "index with key 1)",
		         w->table, w->column);
	else
		snprintf(w->description, sizeof w->description,
		         "primary-key lookup on %.200s.%.200s over %zu sampled keys", w->table,
		         w->column, w->key_count);
	return WORKLOAD_READY;
}

/* ---------------------------------------------------------------- the clients */

typedef struct bench_run bench_run;

typedef struct client {
	bench_run *run;
	unsigned index;
	pthread_t thread;
	int started;
	/* written by the client's thread, read by the check's thread after the join */
	int connected;
	vigil_db_error connect_error;
	int first_failed;
	vigil_db_error first_error;
	uint64_t ok, errors;           /* measured iterations */
	vigil_db_error measured_error; /* the first error of the measured time */
	uint64_t reconnects;           /* connections lost (each replaced, or tried to be) */
	int gave_up; /* ended the run without a connection: lost it and got no other */
	vigil_db_error gave_up_error;
	uint64_t last_done_ns;     /* when its last measured iteration ended */
	uint64_t last_ok_ns;       /* when its last successful measured iteration ended */
	latency_histogram latency; /* successful measured iterations */
} client;

struct bench_run {
	vigil_check_ctx *ctx;
	const vigil_host *host;
	const workload *work;
	unsigned clients;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned ready;     /* clients past connecting (connected or not) */
	unsigned finished;  /* clients whose loop ended */
	int go;             /* the start signal; the times below are set before it */
	unsigned connected; /* clients holding a session when the run started */
	uint64_t t0_ns, measure_ns, end_ns;
	atomic_int stop; /* the deadline is near, or every client's first attempt failed */
	atomic_uint first_failures;
};

static int count_row(void *payload, size_t column_count, const char *const *values,
                     const size_t *lengths)
{
	(void)column_count;
	(void)values;
	(void)lengths;
	(*(uint64_t *)payload)++;
	return 0;
}

/* One iteration: the query (with a key for the PK lookup), inside a transaction rolled back
 * when it is the blueprint's. *broken: the session must not be reused (lost, or a
 * transaction may be open). */
static int run_once(const vigil_host *host, vigil_db_session *session, const workload *w,
                    const char *key, vigil_db_error *err, int *broken)
{
	uint64_t rows = 0;
	const char *params[1] = { key };
	size_t param_count = key ? 1 : 0;
	*broken = 0;
	if (w->wrap == WRAP_NONE) {
		int rc = host->db_query(session, w->sql, param_count, key ? params : NULL,
		                        count_row, &rows, NULL, err);
		*broken = rc != 0 && err->kind == VIGIL_DB_ERR_LOST;
		return rc ? -1 : 0;
	}
	int began = w->wrap == WRAP_READ_ONLY ? host->db_exec(session, w->begin_read_only, err)
	                                      : host->db_begin(session, err);
	if (began != 0) {
		*broken = err->kind == VIGIL_DB_ERR_LOST;
		return -1;
	}
	int rc = host->db_query(session, w->sql, param_count, key ? params : NULL, count_row, &rows,
	                        NULL, err);
	vigil_db_error rollback_err = { 0 };
	if (host->db_rollback(session, &rollback_err) != 0) {
		*broken = 1; /* a transaction may still be open: never hand this one back */
		if (rc == 0) {
			*err = rollback_err;
			rc = -1;
		}
	}
	if (rc != 0 && err->kind == VIGIL_DB_ERR_LOST)
		*broken = 1;
	return rc ? -1 : 0;
}

/* A session as the workload wants it (SQLite: query_only on). 0, or -1 with err filled. */
static int session_prepare(const vigil_host *host, const workload *w, vigil_db_session *session,
                           vigil_db_error *err)
{
	return w->query_only ? host->db_exec(session, "PRAGMA query_only = 1", err) : 0;
}

/* Gives a session back as it was taken (a pooled one may serve another check). */
static void session_release(const vigil_host *host, const workload *w, vigil_db_session *session,
                            int broken)
{
	vigil_db_error err = { 0 };
	if (!broken && w->query_only && host->db_exec(session, "PRAGMA query_only = 0", &err) != 0)
		broken = 1;
	host->db_release(session, broken);
}

/* A session for a client: 0, or -1 with err filled (*session NULL). */
static int session_get(bench_run *r, vigil_db_session **session, vigil_db_error *err)
{
	*session = NULL;
	if (r->host->db_acquire(r->ctx, session, err) != 0 || !*session) {
		*session = NULL;
		return -1;
	}
	if (session_prepare(r->host, r->work, *session, err) != 0) {
		r->host->db_release(*session, 1);
		*session = NULL;
		return -1;
	}
	return 0;
}

/* The measured share of one iteration: its latency when it succeeded, else an error. */
static void count_iteration(client *c, uint64_t start, uint64_t end, int rc,
                            const vigil_db_error *err)
{
	if (end < c->run->measure_ns)
		return;
	if (rc == 0) {
		latency_record(&c->latency, end - start);
		c->ok++;
		c->last_ok_ns = end;
	} else {
		if (c->errors == 0)
			c->measured_error = *err;
		c->errors++;
	}
	c->last_done_ns = end;
}

static void client_loop(client *c, vigil_db_session **session)
{
	bench_run *r = c->run;
	const vigil_host *host = r->host;
	const workload *w = r->work;
	/* each client starts at its own place in the keys, so they do not all hit one row */
	size_t key = w->key_count ? (size_t)c->index * w->key_count / r->clients : 0;
	int first = 1;
	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		uint64_t start = now_ns();
		if (start >= r->end_ns)
			break;
		vigil_db_error err = { 0 };
		int broken = 0;
		if (!*session) {
			/* lost earlier: every attempt without a connection is a failed query */
			if (session_get(r, session, &c->gave_up_error) != 0) {
				count_iteration(c, start, now_ns(), -1, &c->gave_up_error);
				uint64_t left = r->end_ns > now_ns() ? r->end_ns - now_ns() : 0;
				sleep_ms(left / 1000000u < RETRY_MS
				                 ? (unsigned)(left / 1000000u) + 1
				                 : RETRY_MS);
				continue;
			}
		}
		const char *param = w->key_count ? workload_key(w, key++) : NULL;
		int rc = run_once(host, *session, w, param, &err, &broken);
		uint64_t end = now_ns();
		if (first) {
			first = 0;
			if (rc != 0) {
				c->first_failed = 1;
				c->first_error = err;
				if (atomic_fetch_add(&r->first_failures, 1) + 1 == r->connected)
					atomic_store(&r->stop, 1); /* nothing can be measured */
			}
		}
		/* measured when it ends in the measured time: a query that started in the warm-up
		 * and outlasted it still counts, with its whole latency */
		count_iteration(c, start, end, rc, &err);
		if (rc != 0 && broken) {
			host->db_release(*session, 1);
			*session = NULL;
			c->reconnects++;
			c->gave_up_error = err;
		}
	}
	c->gave_up = *session == NULL;
}

static void *client_main(void *arg)
{
	client *c = arg;
	bench_run *r = c->run;
	const vigil_host *host = r->host;
	vigil_db_session *session = NULL;
	int thread_ok = host->db_thread_begin(r->ctx) == 0;
	if (!thread_ok) {
		c->connect_error.kind = VIGIL_DB_ERR_OTHER;
		snprintf(c->connect_error.message, sizeof c->connect_error.message,
		         "the driver's per-thread setup failed");
	} else {
		session_get(r, &session, &c->connect_error);
	}

	pthread_mutex_lock(&r->lock);
	c->connected = session != NULL;
	r->ready++;
	pthread_cond_broadcast(&r->changed);
	while (!r->go)
		pthread_cond_wait(&r->changed, &r->lock);
	pthread_mutex_unlock(&r->lock);

	if (session)
		client_loop(c, &session);
	if (session)
		session_release(host, r->work, session, 0);
	if (thread_ok)
		host->db_thread_end(r->ctx);

	pthread_mutex_lock(&r->lock);
	r->finished++;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Starts the clients, waits until each connected (or failed to), starts the clock, polls
 * the deadline until they finish, joins them. Returns non-zero when the host cancelled. */
static int run_clients(bench_run *r, client *clients, const bench_config *cfg)
{
	unsigned started = 0;
	for (unsigned i = 0; i < cfg->clients; i++) {
		clients[i].run = r;
		clients[i].index = i;
		int rc = pthread_create(&clients[i].thread, NULL, client_main, &clients[i]);
		if (rc != 0) {
			clients[i].connect_error.kind = VIGIL_DB_ERR_OTHER;
			snprintf(clients[i].connect_error.message,
			         sizeof clients[i].connect_error.message,
			         "cannot start a thread: %s", strerror(rc));
			continue;
		}
		clients[i].started = 1;
		started++;
	}

	int cancelled = 0;
	pthread_mutex_lock(&r->lock);
	while (r->ready < started) {
		pthread_mutex_unlock(&r->lock);
		sleep_ms(POLL_MS);
		pthread_mutex_lock(&r->lock);
	}
	unsigned connected = 0;
	for (unsigned i = 0; i < cfg->clients; i++)
		connected += clients[i].connected;
	r->connected = connected;
	r->t0_ns = now_ns();
	r->measure_ns = r->t0_ns + (uint64_t)cfg->warmup_ms * 1000000u;
	r->end_ns = r->measure_ns + (uint64_t)cfg->duration_ms * 1000000u;
	r->go = 1;
	pthread_cond_broadcast(&r->changed);
	/* the host's functions taking the ctx are called from this thread only */
	while (r->finished < started) {
		pthread_mutex_unlock(&r->lock);
		if (!cancelled && r->host->cancelled(r->ctx)) {
			cancelled = 1;
			atomic_store(&r->stop, 1);
		}
		sleep_ms(POLL_MS);
		pthread_mutex_lock(&r->lock);
	}
	pthread_mutex_unlock(&r->lock);
	for (unsigned i = 0; i < cfg->clients; i++)
		if (clients[i].started)
			pthread_join(clients[i].thread, NULL);
	return cancelled;
}

/* ---------------------------------------------------------------- findings */

static void report_query_failure(vigil_check_ctx *ctx, const vigil_host *host, const workload *w,
                                 const char *what, const char *sql, const vigil_db_error *err)
{
	char message[800];
	snprintf(message, sizeof message,
	         "database %.200s: the benchmark's workload cannot run: %s",
	         host->database_name(ctx), error_text(err));
	char detail[2100];
	snprintf(detail, sizeof detail, "workload: %s; %s failed%s%s%s: %s\nquery: %.500s",
	         w->description, what, err->sqlstate[0] ? " (SQLSTATE " : "", err->sqlstate,
	         err->sqlstate[0] ? ")" : "", error_text(err), sql);
	vigil_finding *f = host->finding_add(ctx, "VG573", VIGIL_PLUGIN_ERROR, message);
	host->finding_set_detail(f, detail);
	if (w->kind == WORKLOAD_QUERY)
		host->finding_set_hint(f,
		                       "fix benchmark.query so that it runs on this database as "
		                       "the connected user (try it in the database's own client)");
	else
		host->finding_set_hint(f, "create the declared table (apply the migrations) and "
		                          "grant SELECT on it to the connected user");
	if (w->table)
		host->finding_set_object(f, NULL, w->table);
	host->finding_set_evidence(f, "the workload query runs", error_text(err));
}

typedef struct bench_result {
	latency_histogram latency;
	uint64_t ok, errors, reconnects;
	unsigned connected, gave_up;
	double seconds, tps, error_rate;
	double ok_seconds; /* from the start of the measured time to the last successful query */
	const vigil_db_error *lost_error; /* why the first client that gave up lost its session */
	double p50, p95, p99, max, mean;  /* ms */
	const vigil_db_error *example_error;
} bench_result;

static void summarise(const bench_run *r, const client *clients, unsigned count, bench_result *out)
{
	memset(out, 0, sizeof *out);
	uint64_t last = 0, last_ok = 0;
	for (unsigned i = 0; i < count; i++) {
		const client *c = &clients[i];
		latency_merge(&out->latency, &c->latency);
		out->ok += c->ok;
		out->errors += c->errors;
		out->reconnects += c->reconnects;
		out->connected += c->connected;
		out->gave_up += c->gave_up;
		if (c->last_done_ns > last)
			last = c->last_done_ns;
		if (c->last_ok_ns > last_ok)
			last_ok = c->last_ok_ns;
		if (!out->lost_error && c->gave_up)
			out->lost_error = &c->gave_up_error;
		if (!out->example_error && c->errors)
			out->example_error = &c->measured_error;
	}
	out->seconds = last > r->measure_ns ? (double)(last - r->measure_ns) / 1e9 : 0;
	out->ok_seconds = last_ok > r->measure_ns ? (double)(last_ok - r->measure_ns) / 1e9 : 0;
	out->tps = out->seconds > 0 ? (double)out->ok / out->seconds : 0;
	uint64_t queries = out->ok + out->errors;
	out->error_rate = queries ? (double)out->errors / (double)queries : 0;
	out->p50 = latency_percentile_ns(&out->latency, 0.50) / 1e6;
	out->p95 = latency_percentile_ns(&out->latency, 0.95) / 1e6;
	out->p99 = latency_percentile_ns(&out->latency, 0.99) / 1e6;
	out->max = (double)out->latency.max_ns / 1e6;
	out->mean = latency_mean_ns(&out->latency) / 1e6;
}

static void set_metrics(vigil_check_ctx *ctx, const vigil_host *host, const workload *w,
                        const bench_result *res)
{
	host->set_metric(ctx, "tps", res->tps, "1/s");
	if (res->ok) {
		host->set_metric(ctx, "p50_ms", res->p50, "ms");
		host->set_metric(ctx, "p95_ms", res->p95, "ms");
		host->set_metric(ctx, "p99_ms", res->p99, "ms");
		host->set_metric(ctx, "max_ms", res->max, "ms");
		host->set_metric(ctx, "mean_ms", res->mean, "ms");
	}
	host->set_metric(ctx, "queries", (double)(res->ok + res->errors), NULL);
	host->set_metric(ctx, "errors", (double)res->errors, NULL);
	host->set_metric(ctx, "error_rate", res->error_rate, NULL);
	host->set_metric(ctx, "clients", res->connected, NULL);
	host->set_metric(ctx, "duration_ms", res->seconds * 1000, "ms");
	if (w->kind == WORKLOAD_PK_LOOKUP)
		host->set_metric(ctx, "keys_sampled", w->table_empty ? 0 : (double)w->key_count,
		                 NULL);
	host->set_metric(ctx, "rolled_back", w->wrap == WRAP_NONE ? 0 : 1, NULL);
	host->set_metric(ctx, "read_only", w->wrap == WRAP_ROLLBACK ? 0 : 1, NULL);
	host->set_metric(ctx, "lost_clients", res->gave_up, NULL);
	if (res->reconnects)
		host->set_metric(ctx, "reconnects", (double)res->reconnects, NULL);
	vigil_pool_stats pool = { .size = sizeof pool };
	host->db_pool_stats(ctx, &pool);
	host->set_metric(ctx, "pool_created", (double)pool.created, NULL);
	host->set_metric(ctx, "pool_reused", (double)pool.reused, NULL);
	host->set_metric(ctx, "pool_wait_p95_ms", pool.wait_p95_ms, "ms");
	host->set_metric(ctx, "pool_peak_in_use", (double)pool.peak_in_use, NULL);
}

/* "p50 0.41 ms, p95 0.82 ms, p99 1.3 ms, max 4.1 ms over 12345 queries (3 errors) from 4
 * clients in 2001 ms" */
static void describe_figures(char *out, size_t size, const bench_result *res)
{
	char p50[32], p95[32], p99[32], max[32], tps[32];
	if (res->ok == 0 && res->errors == 0) {
		snprintf(out, size, "no query ran in the measured time, from %u client%s",
		         res->connected, res->connected == 1 ? "" : "s");
		return;
	}
	if (res->ok == 0) {
		snprintf(out, size, "no query succeeded: %llu failed, from %u client%s in %.0f ms",
		         (unsigned long long)res->errors, res->connected,
		         res->connected == 1 ? "" : "s", res->seconds * 1000);
		return;
	}
	format_number(p50, sizeof p50, res->p50);
	format_number(p95, sizeof p95, res->p95);
	format_number(p99, sizeof p99, res->p99);
	format_number(max, sizeof max, res->max);
	format_number(tps, sizeof tps, res->tps);
	snprintf(out, size,
	         "%s tps; p50 %s ms, p95 %s ms, p99 %s ms, max %s ms over %llu queries (%llu "
	         "failed) from %u client%s in %.0f ms",
	         tps, p50, p95, p99, max, (unsigned long long)(res->ok + res->errors),
	         (unsigned long long)res->errors, res->connected, res->connected == 1 ? "" : "s",
	         res->seconds * 1000);
}

static void add_threshold_finding(vigil_check_ctx *ctx, const vigil_host *host, const workload *w,
                                  const char *code, const char *message, const char *expected,
                                  const char *actual, const char *figures, const char *hint)
{
	char detail[1200];
	snprintf(detail, sizeof detail, "workload: %s\nmeasured: %s", w->description, figures);
	vigil_finding *f = host->finding_add(ctx, code, VIGIL_PLUGIN_ERROR, message);
	host->finding_set_detail(f, detail);
	host->finding_set_hint(f, hint);
	if (w->table)
		host->finding_set_object(f, NULL, w->table);
	host->finding_set_evidence(f, expected, actual);
}

/* The read-only transaction (or SQLite's query_only) refused what the query does. */
static int refused_as_write(const workload *w, const vigil_db_error *err)
{
	if (w->wrap != WRAP_READ_ONLY || !err)
		return 0;
	/* 25006 read_only_sql_transaction: PostgreSQL, and MariaDB's error 1792 */
	return strcmp(err->sqlstate, "25006") == 0 ||
	       (w->query_only && strstr(err->message, "readonly") != NULL);
}

static void report_write_refused(vigil_check_ctx *ctx, const vigil_host *host, const workload *w,
                                 const vigil_db_error *err)
{
	char message[1000], detail[1200];
	snprintf(message, sizeof message,
	         "database %.200s: benchmark.query reads by its look but writes: the read-only "
	         "transaction it runs in refused it (%s)",
	         host->database_name(ctx), error_text(err));
	snprintf(detail, sizeof detail,
	         "workload: %s\nEvery run of a reading query is a read-only transaction that is "
	         "rolled back, so nothing it does can stay; this one writes (a function that "
	         "changes data, a large object, ...).",
	         w->description);
	vigil_finding *f = host->finding_add(ctx, "VG578", VIGIL_PLUGIN_ERROR, message);
	host->finding_set_detail(f, detail);
	host->finding_set_hint(f,
	                       "benchmark a query that only reads, or write the writing part "
	                       "as INSERT/UPDATE/DELETE so that it runs inside BEGIN … ROLLBACK");
	host->finding_set_evidence(f, "a query that only reads", error_text(err));
}

/* Clients that lost their connection and ended the run without one: VG575, all: VG577. */
static void report_lost(vigil_check_ctx *ctx, const vigil_host *host, const workload *w,
                        const bench_result *res, const char *figures)
{
	char message[600], detail[1600], expected[128], actual[128];
	int all = res->gave_up == res->connected;
	if (all)
		snprintf(message, sizeof message,
		         "database %.200s went away during the benchmark: every one of its %u "
		         "client%s lost its connection and could not get another",
		         host->database_name(ctx), res->connected, res->connected == 1 ? "" : "s");
	else
		snprintf(message, sizeof message,
		         "database %.200s: %u of %u benchmark clients lost their connection and "
		         "could not get another",
		         host->database_name(ctx), res->gave_up, res->connected);
	snprintf(detail, sizeof detail, "workload: %s\nmeasured: %s\nthe last error: %s",
	         w->description, figures, res->lost_error ? error_text(res->lost_error) : "none");
	vigil_finding *f =
	        host->finding_add(ctx, all ? "VG577" : "VG575", VIGIL_PLUGIN_ERROR, message);
	host->finding_set_detail(f, detail);
	host->finding_set_hint(f, "the figures cover a run that lost its server: see the "
	                          "server's log (a crash, a restart, an administrator ending "
	                          "sessions, connection limits) and run the benchmark again");
	snprintf(expected, sizeof expected, "%u clients connected to the end", res->connected);
	snprintf(actual, sizeof actual, "%u ended without a connection", res->gave_up);
	host->finding_set_evidence(f, expected, actual);
}

/* Adds the findings; returns how many. */
static int judge(vigil_check_ctx *ctx, const vigil_host *host, const bench_config *cfg,
                 const workload *w, const client *clients, const bench_result *res, int cancelled)
{
	const char *name = host->database_name(ctx);
	int findings = 0;
	char message[512], expected[128], actual[160], figures[512];

	if (res->connected < cfg->clients) {
		const vigil_db_error *err = NULL;
		for (unsigned i = 0; i < cfg->clients && !err; i++)
			if (!clients[i].connected)
				err = &clients[i].connect_error;
		snprintf(message, sizeof message,
		         "database %s: %u of %u benchmark clients could not get a connection", name,
		         cfg->clients - res->connected, cfg->clients);
		char detail[800];
		snprintf(detail, sizeof detail, "the first refusal: %s%s%s%s", error_text(err),
		         err->sqlstate[0] ? " (SQLSTATE " : "", err->sqlstate,
		         err->sqlstate[0] ? ")" : "");
		vigil_finding *f = host->finding_add(ctx, "VG574", VIGIL_PLUGIN_ERROR, message);
		host->finding_set_detail(f, detail);
		host->finding_set_hint(f, "let the server accept as many connections as clients "
		                          "(max_connections, the user's connection limit), raise "
		                          "pool.max to at least the clients, or lower "
		                          "benchmark.clients");
		snprintf(expected, sizeof expected, "%u connected clients", cfg->clients);
		snprintf(actual, sizeof actual, "%u connected", res->connected);
		host->finding_set_evidence(f, expected, actual);
		findings++;
	}
	if (res->connected == 0)
		return findings;

	unsigned first_failures = 0;
	const vigil_db_error *first_error = NULL;
	for (unsigned i = 0; i < cfg->clients; i++) {
		if (clients[i].first_failed) {
			first_failures++;
			if (!first_error)
				first_error = &clients[i].first_error;
		}
	}
	describe_figures(figures, sizeof figures, res);
	if (res->gave_up) {
		report_lost(ctx, host, w, res, figures);
		findings++;
		if (res->gave_up == res->connected && res->ok == 0)
			return findings; /* nothing was measured: the server is gone */
	}
	if (first_failures == res->connected) {
		if (refused_as_write(w, first_error))
			report_write_refused(ctx, host, w, first_error);
		else
			report_query_failure(ctx, host, w, "its first run on every client", w->sql,
			                     first_error);
		return findings + 1;
	}
	if (res->ok == 0 && res->errors > 0) {
		if (!res->gave_up)
			report_query_failure(ctx, host, w, "every run in the measured time", w->sql,
			                     res->example_error);
		return findings + !res->gave_up;
	}
	if (!cancelled && res->ok && res->ok_seconds * 1000 < SHORT_RUN * cfg->duration_ms) {
		char ok_ms[32];
		format_number(ok_ms, sizeof ok_ms, res->ok_seconds * 1000);
		snprintf(message, sizeof message,
		         "database %s: the benchmark ran short: its queries succeeded for %s ms of "
		         "the %u ms planned",
		         name, ok_ms, cfg->duration_ms);
		snprintf(expected, sizeof expected, "queries succeed for %u ms", cfg->duration_ms);
		snprintf(actual, sizeof actual, "the last succeeded at %s ms", ok_ms);
		char with_error[1100];
		snprintf(with_error, sizeof with_error, "%s; the last error: %s", figures,
		         res->example_error ? error_text(res->example_error) : "none");
		add_threshold_finding(ctx, host, w, "VG576", message, expected, actual, with_error,
		                      "the database stopped answering during the run: see its "
		                      "log, then run the benchmark again");
		findings++;
	}
	if (cfg->has_max_p95 && res->ok && res->p95 > cfg->max_p95_ms) {
		char p95[32];
		format_number(p95, sizeof p95, res->p95);
		snprintf(message, sizeof message,
		         "database %s: the benchmark's p95 latency %s ms is above max_p95_ms %s",
		         name, p95, cfg->max_p95_text);
		snprintf(expected, sizeof expected, "p95 ≤ %s ms", cfg->max_p95_text);
		snprintf(actual, sizeof actual, "p95 = %s ms", p95);
		add_threshold_finding(ctx, host, w, "VG570", message, expected, actual, figures,
		                      "make the workload cheaper (an index on the filtered "
		                      "column, a smaller result), or raise max_p95_ms if the "
		                      "target is wrong for this server");
		findings++;
	}
	if (cfg->has_min_tps && res->tps < cfg->min_tps) {
		char tps[32];
		format_number(tps, sizeof tps, res->tps);
		snprintf(message, sizeof message,
		         "database %s: the benchmark's throughput %s queries/s is below min_tps %s",
		         name, tps, cfg->min_tps_text);
		snprintf(expected, sizeof expected, "tps ≥ %s", cfg->min_tps_text);
		snprintf(actual, sizeof actual, "tps = %s", tps);
		add_threshold_finding(ctx, host, w, "VG571", message, expected, actual, figures,
		                      "make the workload cheaper, add clients if the server has "
		                      "idle capacity, or lower min_tps if the target is wrong "
		                      "for this server");
		findings++;
	}
	if (cfg->has_max_error_rate && res->error_rate > cfg->max_error_rate) {
		char rate[32];
		format_number(rate, sizeof rate, res->error_rate * 100);
		snprintf(
		        message, sizeof message,
		        "database %s: %s%% of the benchmark's queries failed, above max_error_rate "
		        "%s",
		        name, rate, cfg->max_error_rate_text);
		snprintf(expected, sizeof expected, "error rate ≤ %s", cfg->max_error_rate_text);
		snprintf(actual, sizeof actual, "error rate = %.4g (%llu of %llu queries)",
		         res->error_rate, (unsigned long long)res->errors,
		         (unsigned long long)(res->ok + res->errors));
		char with_error[1100];
		snprintf(with_error, sizeof with_error, "%s; e.g. %s", figures,
		         res->example_error ? error_text(res->example_error) : "no message");
		add_threshold_finding(ctx, host, w, "VG572", message, expected, actual, with_error,
		                      "see the example error: lock timeouts and deadlocks call "
		                      "for shorter transactions, lost connections for the "
		                      "server's limits and logs");
		findings++;
	}
	return findings;
}

/* ---------------------------------------------------------------- the check */

static int run_benchmark(vigil_check_ctx *ctx, const vigil_host *host)
{
	if (!VIGIL_HOST_HAS(host, db_pool_stats) || !host->db_acquire || !host->db_release ||
	    !host->db_query || !host->db_begin || !host->db_rollback || !host->db_thread_begin ||
	    !host->db_thread_end || !host->db_pool_stats) {
		host->set_status(ctx, VIGIL_CHECK_ERROR,
		                 "the host offers no database access (ABI 1.2 functions missing)");
		return -1;
	}
	bench_config cfg;
	if (read_config(ctx, host, &cfg) != 0)
		return -1;

	/* the check's own session: samples the keys, then goes back to the pool for a client */
	vigil_db_session *session = NULL;
	vigil_db_error err = { 0 };
	if (host->db_acquire(ctx, &session, &err) != 0 || !session) {
		char reason[700];
		snprintf(reason, sizeof reason, "database %s: cannot get a connection: %s",
		         host->database_name(ctx), error_text(&err));
		host->set_status(ctx, VIGIL_CHECK_ERROR, reason);
		return -1;
	}
	workload w;
	int prepared = workload_prepare(ctx, host, &cfg, session, &w);
	host->db_release(session, 0);
	if (prepared != WORKLOAD_READY) {
		if (prepared == WORKLOAD_FAILED) {
			char reason[700];
			snprintf(reason, sizeof reason, "workload: %s; it cannot run (VG573)",
			         w.description);
			host->set_status(ctx, VIGIL_CHECK_FAILED, reason);
		}
		workload_free(&w);
		return prepared < 0 ? -1 : 0;
	}
	host->log(ctx, VIGIL_PLUGIN_INFO,
	          "workload: %s; %u client%s, %u ms warm-up, %u ms measured", w.description,
	          cfg.clients, cfg.clients == 1 ? "" : "s", cfg.warmup_ms, cfg.duration_ms);

	client *clients = calloc(cfg.clients, sizeof *clients);
	bench_run run = { .ctx = ctx, .host = host, .work = &w, .clients = cfg.clients };
	if (!clients || pthread_mutex_init(&run.lock, NULL) != 0) {
		free(clients);
		workload_free(&w);
		host->set_status(ctx, VIGIL_CHECK_ERROR, "out of memory starting the clients");
		return -1;
	}
	if (pthread_cond_init(&run.changed, NULL) != 0) {
		pthread_mutex_destroy(&run.lock);
		free(clients);
		workload_free(&w);
		host->set_status(ctx, VIGIL_CHECK_ERROR, "cannot start the clients");
		return -1;
	}
	atomic_init(&run.stop, 0);
	atomic_init(&run.first_failures, 0);
	int cancelled = run_clients(&run, clients, &cfg);
	pthread_cond_destroy(&run.changed);
	pthread_mutex_destroy(&run.lock);

	bench_result res;
	summarise(&run, clients, cfg.clients, &res);
	set_metrics(ctx, host, &w, &res);
	if (res.gave_up)
		host->log(ctx, VIGIL_PLUGIN_WARNING,
		          "%u client%s lost the connection and could not get another", res.gave_up,
		          res.gave_up == 1 ? "" : "s");
	if (res.errors && res.example_error)
		host->log(ctx, VIGIL_PLUGIN_WARNING, "%llu of %llu queries failed, e.g.: %s",
		          (unsigned long long)res.errors, (unsigned long long)(res.ok + res.errors),
		          error_text(res.example_error));
	int findings = judge(ctx, host, &cfg, &w, clients, &res, cancelled);

	char figures[512], reason[1200];
	describe_figures(figures, sizeof figures, &res);
	if (cancelled) {
		snprintf(reason, sizeof reason,
		         "the check's deadline cut the benchmark short (%u ms warm-up + %u ms "
		         "planned; measured %.0f ms): lower duration_ms or raise --check-timeout. "
		         "Workload: %s; %s",
		         cfg.warmup_ms, cfg.duration_ms, res.seconds * 1000, w.description,
		         figures);
		host->set_status(ctx, VIGIL_CHECK_ERROR, reason);
	} else {
		snprintf(reason, sizeof reason, "workload: %s; %s", w.description,
		         res.connected ? figures : "no client connected");
		host->set_status(ctx, findings ? VIGIL_CHECK_FAILED : VIGIL_CHECK_PASSED, reason);
	}
	free(clients);
	workload_free(&w);
	return 0;
}

static const vigil_check_def benchmark_checks[] = {
	{ "benchmark",
	  "runs the workload (benchmark.query, a primary-key lookup, or SELECT 1) from N "
	  "clients: tps, latency percentiles, errors against the blueprint's targets",
	  "preflight, schema?, permissions?", /* the load comes last */
	  run_benchmark,
	  NULL,
	  { 0 } },
};

VIGIL_PLUGIN_DEFINE(benchmark, VIGIL_IN_TREE_VERSION,
                    "database benchmark: throughput and latency under concurrent clients",
                    VIGIL_PLUGIN_CHECK, 3, benchmark_checks, VIGIL_COUNT_OF(benchmark_checks), NULL,
                    NULL)
