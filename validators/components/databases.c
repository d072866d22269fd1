/*
 * databases.c — components.databases: each database's own configuration. Type (VG210), URL
 * present, parsable and of the type's scheme (VG209, VG207, VG208), no literal password
 * (VG213), pool bounds and timeouts (VG211, VG212), permissions (VG214), benchmark settings
 * (VG215, also the root's validation.performance), and a SQLite file's folder (VG233).
 *
 * A URL is printed only through vg_url_redact(), and only as written (with its ${VAR}s),
 * never expanded.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "components.h"
#include "suggest.h"
#include "url.h"

#define URL_EXAMPLES                                                                        \
	"sqlite:///file.db, postgresql://user:${DB_PASSWORD}@host:5432/db or "                  \
	"mysql://user:${DB_PASSWORD}@host:3306/db"

/* ---- type -------------------------------------------------------------------------------- */

static void check_type(vigil_check_ctx *ctx, const vg_database *db)
{
	if (db->type != VG_DB_UNKNOWN || !db->type_raw || vgc_has_env(db->type_node))
		return;
	static const char *const names[] = { "sqlite", "postgresql", "mysql", "postgres",
		                                 "sqlite3", "mariadb", "pg" };
	const char *written = vgc_written(db->type_node, db->type_raw);
	vigil_finding *f = vg_emit(ctx, VG_UNKNOWN_DB_TYPE, db->type_node,
	                           "database '%s' has type '%s', which is not sqlite, postgresql or mysql",
	                           db->name, written);
	vg_object(f, db->name, NULL);
	vg_evidence(f, "sqlite | postgresql | mysql", written);
	const char *near = vg_suggest(written, names, sizeof names / sizeof names[0]);
	if (near)
		vg_hint(f, "did you mean '%s'?", near);
	else
		vg_hint(f, "use sqlite, postgresql or mysql (aliases: sqlite3, postgres, pg, mariadb)");
}

/* ---- URL --------------------------------------------------------------------------------- */

static int blank(const char *s)
{
	while (s && isspace((unsigned char)*s))
		s++;
	return !s || !*s;
}

/* Only environment references: ${VAR}, or several in a row (${A}${B}); no literal part. */
static int only_env_refs(const char *s, size_t len)
{
	size_t i = 0;
	if (len == 0)
		return 0;
	while (i < len) {
		if (i + 3 >= len || s[i] != '$' || s[i + 1] != '{' ||
		    !(isalpha((unsigned char)s[i + 2]) || s[i + 2] == '_'))
			return 0;
		i += 3;
		while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			i++;
		if (i >= len || s[i] != '}')
			return 0;
		i++;
	}
	return 1;
}

/* Whether the URL's scalar holds a ${VAR} that is not set (level 1 reports it). */
static int has_undefined_env(const vg_blueprint *bp, const vg_node *node)
{
	for (size_t i = 0; i < bp->env_ref_count; i++)
		if (bp->env_refs[i].node == node && !bp->env_refs[i].defined)
			return 1;
	return 0;
}

static const char *redacted(vigil_check_ctx *ctx, const char *url)
{
	const char *r = vg_url_redact(ctx->report->arena, url);
	if (!r)
		ctx->out_of_memory = 1;
	return r ? r : "";
}

static void check_password(vigil_check_ctx *ctx, const vg_database *db, vg_arena *scratch)
{
	const char *raw = db->url_raw;
	size_t start, len;
	int literal = vg_url_password_span(raw, &start, &len) && len > 0 &&
	              !only_env_refs(raw + start, len);
	if (!literal) {
		/* ?password=... (as written, so a ${VAR} there stays a reference) */
		vg_url *u;
		vg_url_error err;
		static const char *const keys[] = { "password", "sslpassword" };
		if (vg_url_parse(&u, scratch, raw, &err) == 0)
			for (size_t i = 0; i < 2 && !literal; i++) {
				const char *v = vg_url_param_get(u, keys[i]);
				literal = v && *v && !only_env_refs(v, strlen(v));
			}
	}
	if (!literal)
		return;
	char var[72];
	size_t k = 0;
	for (const char *s = db->name; s && *s && k < 48; s++)
		var[k++] = isalnum((unsigned char)*s) ? (char)toupper((unsigned char)*s) : '_';
	memcpy(var + k, "_DB_PASSWORD", sizeof "_DB_PASSWORD");
	vigil_finding *f = vg_emit(ctx, VG_PLAINTEXT_SECRET, db->url_node,
	                           "database '%s' has a literal password in its URL", db->name);
	vg_object(f, db->name, NULL);
	vg_detail(f, "URL as written: %s", redacted(ctx, raw));
	vg_hint(f, "write the password as a reference, e.g. ${%s}, and set that variable in the "
	           "environment; a blueprint is committed and shared, a secret should not be",
	        var);
}

static void check_url(vigil_check_ctx *ctx, const vg_database *db, vg_arena *scratch,
                      int *url_ok)
{
	const vg_blueprint *bp = ctx->blueprint;
	*url_ok = 0;
	if (blank(db->url_raw)) {
		/* resources.databases may name a connection instead of giving its URL */
		int named = db->origin == VG_DB_FROM_RESOURCES && db->node &&
		            vg_map_get(db->node, "connection_name");
		vigil_finding *f = vg_emit_severity(ctx, VG_NO_URL,
		                                    named ? VIGIL_SEVERITY_WARNING : VIGIL_SEVERITY_ERROR,
		                                    db->url_node ? db->url_node : db->node,
		                                    "database '%s' has no URL", db->name);
		vg_object(f, db->name, NULL);
		vg_detail(f, named ? "it names a connection (connection_name) but gives no URL: the "
		                     "database checks of level 3 cannot connect to it"
		                   : "without `url` (or `connection_string`) vigil cannot reach the database");
		vg_hint(f, "add `url:` in the form " URL_EXAMPLES);
		return;
	}
	if (has_undefined_env(bp, db->url_node) || !db->url)
		return;

	vg_url *url;
	vg_url_error err;
	if (vg_url_parse(&url, scratch, db->url, &err) != 0) {
		/* The expanded text is the truth; its offsets are the written text's only before
		 * the first ${VAR}. */
		const char *env = strstr(db->url_raw, "${");
		size_t same_until = env ? (size_t)(env - db->url_raw) : SIZE_MAX;
		vigil_finding *f;
		if (err.position < same_until)
			f = vg_emit(ctx, VG_BAD_URL, db->url_node,
			            "database '%s' has a URL that does not parse: at character %zu, %s",
			            db->name, err.position + 1, err.message);
		else
			f = vg_emit(ctx, VG_BAD_URL, db->url_node,
			            "database '%s' has a URL that does not parse (after ${VAR} expansion): %s",
			            db->name, err.message);
		vg_object(f, db->name, NULL);
		vg_detail(f, "URL as written: %s", redacted(ctx, db->url_raw));
		vg_hint(f, "write it as " URL_EXAMPLES);
		return;
	}
	*url_ok = 1;
	if (db->type == VG_DB_UNKNOWN || url->type == db->type)
		return;
	const char *env = strstr(db->url_raw, "${");
	const char *sep = strstr(db->url_raw, ":");
	int scheme_written = !env || (sep && sep < env);
	vigil_finding *f;
	if (scheme_written)
		f = vg_emit(ctx, VG_URL_TYPE_MISMATCH, db->url_node,
		            "database '%s' is of type %s, but its URL is a %s URL (scheme '%s')", db->name,
		            vg_db_type_name(db->type), vg_db_type_name(url->type), url->scheme);
	else
		f = vg_emit(ctx, VG_URL_TYPE_MISMATCH, db->url_node,
		            "database '%s' is of type %s, but its URL (after ${VAR} expansion) is a %s URL",
		            db->name, vg_db_type_name(db->type), vg_db_type_name(url->type));
	vg_object(f, db->name, NULL);
	vg_evidence(f, vg_db_type_name(db->type), vg_db_type_name(url->type));
	vg_hint(f, "make `type:` and the URL agree: a %s URL starts with %s://",
	        vg_db_type_name(db->type),
	        db->type == VG_DB_SQLITE ? "sqlite" : db->type == VG_DB_MYSQL ? "mysql" : "postgresql");
}

/* ---- pool and timeouts ------------------------------------------------------------------- */

/* The value node of the first of `keys` present in the pool's mapping; else the pool node. */
static const vg_node *pool_node(const vg_database *db, const char *a, const char *b)
{
	const vg_node *pool = db->pool.node;
	if (pool && pool->kind == VG_NODE_MAP) {
		const vg_node *n = vg_map_get(pool, a);
		if (!n && b)
			n = vg_map_get(pool, b);
		if (n)
			return n;
	}
	if (db->node && db->node->kind == VG_NODE_MAP) {
		const vg_node *n = vg_map_get(db->node, "pool_size");
		if (n && strcmp(a, "max") == 0)
			return n;
	}
	return pool ? pool : db->node;
}

static void check_pool(vigil_check_ctx *ctx, const vg_database *db)
{
	int min_ok = 1, max_ok = 1;
	if (db->pool.has_min && db->pool.min < 0) {
		min_ok = 0;
		vigil_finding *f = vg_emit(ctx, VG_POOL_BOUNDS, pool_node(db, "min", "min_size"),
		                           "database '%s' has a pool minimum of %lld; it cannot be negative",
		                           db->name, db->pool.min);
		vg_object(f, db->name, NULL);
		vg_evidence(f, ">= 0", vgc_written(pool_node(db, "min", "min_size"), ""));
		vg_hint(f, "use 0 (open connections on demand) or more");
	}
	if (db->pool.has_max && db->pool.max < 1) {
		max_ok = 0;
		vigil_finding *f = vg_emit(ctx, VG_POOL_BOUNDS, pool_node(db, "max", "max_size"),
		                           "database '%s' has a pool maximum of %lld; it must be at least 1",
		                           db->name, db->pool.max);
		vg_object(f, db->name, NULL);
		vg_evidence(f, ">= 1", vgc_written(pool_node(db, "max", "max_size"), ""));
		vg_hint(f, "allow at least one connection, e.g. max: 8");
	}
	if (min_ok && max_ok && db->pool.has_min && db->pool.has_max && db->pool.min > db->pool.max) {
		vigil_finding *f = vg_emit(ctx, VG_POOL_BOUNDS, pool_node(db, "min", "min_size"),
		                           "database '%s' has a pool minimum (%lld) greater than its maximum (%lld)",
		                           db->name, db->pool.min, db->pool.max);
		vg_object(f, db->name, NULL);
		char actual[64];
		snprintf(actual, sizeof actual, "min %lld > max %lld", db->pool.min, db->pool.max);
		vg_evidence(f, "min <= max", actual);
		vg_hint(f, "lower the minimum or raise the maximum");
	}
}

static void timeout_finding(vigil_check_ctx *ctx, const vg_database *db, const vg_node *at,
                            const char *what, long long ms, long long lo, long long hi,
                            int seconds)
{
	vigil_finding *f = vg_emit(ctx, VG_BAD_TIMEOUT, at,
	                           "database '%s' has %s %lld ms, outside %lld..%lld ms", db->name,
	                           what, ms, lo, hi);
	vg_object(f, db->name, NULL);
	char expected[64];
	snprintf(expected, sizeof expected, "%lld..%lld ms", lo, hi);
	vg_evidence(f, expected, vgc_written(at, ""));
	if (seconds)
		vg_detail(f, "connection_pool.timeout is in seconds (%s s = %lld ms)",
		          vgc_written(at, "?"), ms);
	vg_hint(f, "use a positive timeout of at most %lld ms (%lld minutes)", hi, hi / 60000);
}

static void check_timeouts(vigil_check_ctx *ctx, const vg_database *db)
{
	const vg_node *pool = db->pool.node;
	if (db->pool.has_connect_timeout &&
	    (db->pool.connect_timeout_ms < 1 || db->pool.connect_timeout_ms > 600000)) {
		const vg_node *at = pool_node(db, "connect_timeout_ms", "timeout");
		int seconds = pool && pool->kind == VG_NODE_MAP && !vg_map_get(pool, "connect_timeout_ms");
		timeout_finding(ctx, db, at, "a connect timeout of", db->pool.connect_timeout_ms, 1,
		                600000, seconds);
	}
	if (!pool || pool->kind != VG_NODE_MAP)
		return;
	static const struct {
		const char *key, *what;
		long long lo, hi;
	} others[] = {
		{ "acquire_timeout_ms", "an acquire timeout of", 1, 600000 },
		{ "idle_timeout_ms", "an idle timeout of", 0, 86400000 },
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		const vg_node *n = vg_map_get(pool, others[i].key);
		long long v;
		if (n && vg_scalar_long(n, &v) == 0 && (v < others[i].lo || v > others[i].hi))
			timeout_finding(ctx, db, n, others[i].what, v, others[i].lo, others[i].hi, 0);
	}
}

/* ---- permissions ------------------------------------------------------------------------- */

static void check_permissions(vigil_check_ctx *ctx, const vg_database *db)
{
	static const char *const known[] = { "select", "insert", "update", "delete", "create",
		                                 "alter", "drop", "index", "references", "trigger",
		                                 "execute", "usage", "all" };
	const size_t n = sizeof known / sizeof known[0];
	for (size_t i = 0; i < db->permissions.count; i++) {
		const char *name = db->permissions.names[i];
		if (!name)
			continue;
		size_t k = 0;
		while (k < n && strcasecmp(name, known[k]) != 0)
			k++;
		if (k < n)
			continue;
		const vg_node *at = db->permissions.nodes ? db->permissions.nodes[i] : db->permissions.node;
		vigil_finding *f = vg_emit(ctx, VG_UNKNOWN_PERMISSION, at,
		                           "database '%s' lists permission '%s', which is not a known privilege",
		                           db->name, vgc_written(at, name));
		vg_object(f, db->name, NULL);
		vg_detail(f, "known privileges: select, insert, update, delete, create, alter, drop, "
		             "index, references, trigger, execute, usage, all");
		const char *near = vg_suggest(name, known, n);
		if (near)
			vg_hint(f, "did you mean '%s'?", near);
		else
			vg_hint(f, "use one of the known privileges");
	}
}

/* ---- benchmark --------------------------------------------------------------------------- */

/* A benchmark mapping (a database's `benchmark:` or the root's validation.performance). */
static void check_benchmark_map(vigil_check_ctx *ctx, const vg_node *map, const char *db_name)
{
	static const struct {
		const char *key;
		double lo, hi;
		int lo_open;   /* lo itself is not allowed */
		const char *range;
	} limits[] = {
		{ "clients", 1, 1024, 0, "1..1024" },
		{ "duration_ms", 100, 3600000, 0, "100..3600000" },
		{ "warmup_ms", 0, 3600000, 0, "0..3600000" },
		{ "max_p95_ms", 0, 1e300, 1, "> 0" },
		{ "min_tps", 0, 1e300, 0, ">= 0" },
		{ "max_error_rate", 0, 1, 0, "0..1" },
	};
	if (!map || map->kind != VG_NODE_MAP)
		return;
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		const vg_node *n = vg_map_get(map, limits[i].key);
		double v;
		if (!n || vg_scalar_double(n, &v) != 0)
			continue; /* absent, or not a number (level 1's finding) */
		int ok = v <= limits[i].hi && (limits[i].lo_open ? v > limits[i].lo : v >= limits[i].lo);
		if (ok)
			continue;
		vigil_finding *f;
		if (db_name)
			f = vg_emit(ctx, VG_BAD_BENCHMARK, n,
			            "database '%s' has benchmark %s %s, outside %s", db_name,
			            limits[i].key, vgc_written(n, "?"), limits[i].range);
		else
			f = vg_emit(ctx, VG_BAD_BENCHMARK, n,
			            "validation.performance.%s is %s, outside %s", limits[i].key,
			            vgc_written(n, "?"), limits[i].range);
		vg_object(f, db_name, NULL);
		vg_evidence(f, limits[i].range, vgc_written(n, "?"));
		vg_hint(f, "set %s within %s", limits[i].key, limits[i].range);
	}
}

/* ---- SQLite file ------------------------------------------------------------------------- */

static void check_sqlite_folder(vigil_check_ctx *ctx, const vg_database *db, vg_arena *scratch)
{
	if (db->type != VG_DB_SQLITE || !db->sqlite_path)
		return;
	const char *slash = strrchr(db->sqlite_path, '/');
	if (!slash)
		return; /* a bare file name: the current folder */
	const char *folder = slash == db->sqlite_path ? "/"
	                     : vg_arena_strndup(scratch, db->sqlite_path,
	                                        (size_t)(slash - db->sqlite_path));
	struct stat st;
	if (!folder || (stat(folder, &st) == 0 && S_ISDIR(st.st_mode)))
		return;
	vigil_finding *f = vg_emit(ctx, VG_SQLITE_PATH, db->url_node,
	                           "database '%s' is a SQLite file in a folder that does not exist",
	                           db->name);
	vg_object(f, db->name, NULL);
	if (vgc_has_env(db->url_node))
		vg_detail(f, "URL as written: %s", redacted(ctx, db->url_raw));
	else
		vg_detail(f, "file: %s; missing folder: %s", db->sqlite_path, folder);
	vg_hint(f, "create the folder, or fix the path (sqlite:///relative.db resolves against the "
	           "blueprint's folder, sqlite:////absolute.db does not)");
}

int vgc_check_databases(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	vg_arena *scratch = vg_arena_new();
	if (!scratch) {
		ctx->out_of_memory = 1;
		return -1;
	}
	for (size_t i = 0; i < bp->database_count; i++) {
		const vg_database *db = &bp->databases[i];
		if (!db->name)
			continue;
		int url_ok = 0;
		check_type(ctx, db);
		check_url(ctx, db, scratch, &url_ok);
		if (!blank(db->url_raw))
			check_password(ctx, db, scratch);
		check_pool(ctx, db);
		check_timeouts(ctx, db);
		check_permissions(ctx, db);
		check_benchmark_map(ctx, db->benchmark.node, db->name);
		if (url_ok)
			check_sqlite_folder(ctx, db, scratch);
	}
	/* The root's validation.performance, unless the model folded it into a database. */
	const vg_node *validation = bp->root ? vg_map_get(bp->root, "validation") : NULL;
	const vg_node *perf = validation && validation->kind == VG_NODE_MAP
	                          ? vg_map_get(validation, "performance")
	                          : NULL;
	int folded = 0;
	for (size_t i = 0; perf && i < bp->database_count; i++)
		folded |= bp->databases[i].benchmark.node == perf;
	if (perf && !folded)
		check_benchmark_map(ctx, perf, NULL);
	vg_arena_free(scratch);
	return 0;
}
