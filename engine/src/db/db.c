/* db.c — a blueprint database opened through its driver plugin (see db.h). */
#define _POSIX_C_SOURCE 200809L
#include "db.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddl_change.h"
#include "run.h"
#include "schema_diff.h"
#include "sql_dialect.h"
#include "sql_lex.h"
#include "url.h"

struct vg_db {
	vg_arena *arena; /* params' strings */
	vg_db_type type;
	const vigil_plugin_desc *desc;
	const vigil_driver *driver;
	const vigil_host *host; /* the plugin set's */
	vigil_conn_params params;
	int thread_inited;
	atomic_uint scrubbed;
	unsigned lock_ms, statement_ms; /* server-side deadlines of each session; 0: none */
};

/* ---------------------------------------------------------------- errors */

static void err_set(vigil_db_error *err, int kind, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void err_set(vigil_db_error *err, int kind, const char *fmt, ...)
{
	if (!err)
		return;
	err->kind = kind;
	err->sqlstate[0] = '\0';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

/* Puts "<what>: " before the message already in err (the driver's). */
static void err_prefix(vigil_db_error *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void err_prefix(vigil_db_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	char head[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(head, sizeof head - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t h = strlen(head);
	memcpy(head + h, ": ", 3);
	h += 2;
	size_t m = strnlen(err->message, sizeof err->message - 1);
	if (h + m >= sizeof err->message)
		m = sizeof err->message - 1 - h;
	memmove(err->message + h, err->message, m);
	memcpy(err->message, head, h);
	err->message[h + m] = '\0';
}

const char *vg_db_error_kind_name(int kind)
{
	static const char *const names[] = {
		"OK",          "OTHER", "DNS", "REFUSED",    "TIMEOUT", "AUTH",
		"NO_DATABASE", "TLS",   "SQL", "PERMISSION", "LOST",    "UNSUPPORTED",
	};
	if (kind < 0 || (size_t)kind >= sizeof names / sizeof names[0])
		return "UNKNOWN";
	return names[kind];
}

/* Replaces every occurrence of `secret` in buf by "****" (truncating to size). Returns how many. */
static int replace_all(char *buf, size_t size, const char *secret)
{
	size_t n = strlen(secret);
	if (n == 0 || !strstr(buf, secret))
		return 0;
	char *copy = strdup(buf);
	if (!copy) { /* cannot rebuild it: drop the message rather than leak the secret */
		snprintf(buf, size, "(message withheld: it contained a password)");
		return 1;
	}
	int count = 0;
	size_t w = 0;
	for (const char *r = copy; *r && w + 1 < size;) {
		if (strncmp(r, secret, n) == 0) {
			for (const char *m = "****"; *m && w + 1 < size; m++)
				buf[w++] = *m;
			r += n;
			count++;
		} else {
			buf[w++] = *r++;
		}
	}
	buf[w] = '\0';
	free(copy);
	return count;
}

int vg_db_scrub(vg_db *db, char *message, size_t size)
{
	if (!message || size == 0)
		return 0;
	message[size - 1] = '\0';
	int changed = 0;
	vg_arena *tmp = vg_arena_new();
	char *redacted = tmp ? vg_url_redact(tmp, message) : NULL;
	if (redacted && strcmp(redacted, message) != 0) {
		snprintf(message, size, "%s", redacted);
		changed = 1;
	}
	vg_arena_free(tmp);
	if (db && db->params.password && replace_all(message, size, db->params.password) > 0)
		changed = 1;
	if (changed && db)
		atomic_fetch_add(&db->scrubbed, 1u);
	return changed;
}

/* After a failed driver call: make sure the message is safe and says something. */
static int driver_failed(vg_db *db, vigil_db_error *err, int rc)
{
	if (err) {
		if (err->kind == VIGIL_DB_OK)
			err->kind = VIGIL_DB_ERR_OTHER;
		if (!err->message[0])
			snprintf(err->message, sizeof err->message,
			         "the %s driver failed (code %d)", vg_db_type_name(db->type), rc);
		vg_db_scrub(db, err->message, sizeof err->message);
	}
	return -1;
}

static void err_clear(vigil_db_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

/* ---------------------------------------------------------------- opening */

static const vigil_plugin_desc *find_driver(vg_plugins *plugins, const char *name)
{
	for (size_t i = 0; i < vg_plugins_count(plugins); i++) {
		const vg_plugin *p = vg_plugins_at(plugins, i);
		if (p && p->desc && p->desc->kind == VIGIL_PLUGIN_DRIVER &&
		    strcmp(p->desc->name, name) == 0)
			return p->desc;
	}
	return NULL;
}

/* The driver table is usable when it has every function this host calls. */
static int driver_complete(const vigil_driver *d)
{
	return d && d->size >= offsetof(vigil_driver, reserved) && d->connect && d->close &&
	       d->exec && d->query && d->begin && d->commit && d->rollback && d->introspect &&
	       d->privileges && d->render_ddl;
}

static int fill_params(vg_db *db, const vg_url *url, const char *base_dir, unsigned timeout_ms,
                       vigil_db_error *err)
{
	vigil_conn_params *p = &db->params;
	p->size = (uint32_t)sizeof *p;
	p->host = url->host;
	p->port = url->port > 0 ? (unsigned)url->port : 0;
	p->socket = url->socket;
	p->user = url->user;
	p->password = url->password;
	p->database = url->database;
	p->connect_timeout_ms = timeout_ms ? timeout_ms : VG_DB_DEFAULT_CONNECT_TIMEOUT_MS;
	if (db->type == VG_DB_SQLITE && !url->memory) {
		p->path = vg_url_sqlite_file(db->arena, url, base_dir);
		if (!p->path) {
			err_set(err, VIGIL_DB_ERR_OTHER, "the SQLite URL names no file");
			return -1;
		}
	}
	p->sslmode = vg_url_param_get(url, "sslmode");
	const char **options = vg_arena_array(db->arena, url->param_count * 2 + 1, sizeof *options);
	if (!options) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < url->param_count; i++) {
		if (strcmp(url->params[i].key, "sslmode") == 0)
			continue;
		options[k++] = url->params[i].key;
		options[k++] = url->params[i].value;
	}
	options[k] = NULL;
	p->options = options;
	return 0;
}

int vg_db_open(vg_db **out, vg_plugins *plugins, const vg_db_target *target, vigil_db_error *err)
{
	err_clear(err);
	if (out)
		*out = NULL;
	if (!out || !plugins || !target || !target->url) {
		err_set(err, VIGIL_DB_ERR_OTHER, "no database URL given");
		return -1;
	}
	vg_db *db = calloc(1, sizeof *db);
	vg_arena *arena = db ? vg_arena_new() : NULL;
	if (!arena) {
		free(db);
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	db->arena = arena;
	atomic_init(&db->scrubbed, 0u);

	vg_url *url = NULL;
	vg_url_error uerr;
	if (vg_url_parse(&url, arena, target->url, &uerr) != 0) {
		err_set(err, VIGIL_DB_ERR_OTHER,
		        "the database URL is not valid: %s (at offset %zu)", uerr.message,
		        uerr.position);
		goto fail;
	}
	db->type = target->type != VG_DB_UNKNOWN ? target->type : url->type;
	if (db->type == VG_DB_UNKNOWN) {
		err_set(err, VIGIL_DB_ERR_UNSUPPORTED,
		        "the URL's scheme names no known database type");
		goto fail;
	}
	if (url->type != VG_DB_UNKNOWN && url->type != db->type) {
		err_set(err, VIGIL_DB_ERR_OTHER, "the URL is a %s URL but the database type is %s",
		        vg_db_type_name(url->type), vg_db_type_name(db->type));
		goto fail;
	}
	const char *name = vg_db_type_name(db->type);
	db->desc = find_driver(plugins, name);
	if (!db->desc) {
		const char *why = NULL;
		if (vg_plugins_load(plugins, name, 1, &why) == VIGIL_ENOMEM) {
			err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
			goto fail;
		}
		db->desc = find_driver(plugins, name);
		if (!db->desc) {
			err_set(err, VIGIL_DB_ERR_UNSUPPORTED, "no %s driver plugin: %s", name,
			        why ? why : "a plugin of that name is not a driver");
			goto fail;
		}
	}
	db->driver = db->desc->driver;
	db->host = vg_plugins_host(plugins);
	if (!driver_complete(db->driver)) {
		err_set(err, VIGIL_DB_ERR_UNSUPPORTED,
		        "the %s driver plugin's function table is incomplete", name);
		goto fail;
	}
	if (fill_params(db, url, target->base_dir, target->connect_timeout_ms, err) != 0)
		goto fail;
	if (db->desc->thread_init && db->desc->thread_init(db->host) != 0) {
		err_set(err, VIGIL_DB_ERR_OTHER, "the %s driver's thread initialisation failed",
		        name);
		goto fail;
	}
	db->thread_inited = 1;
	*out = db;
	return 0;
fail:
	vg_db_scrub(NULL, err ? err->message : NULL, err ? sizeof err->message : 0);
	vg_arena_free(arena);
	free(db);
	return -1;
}

int vg_db_open_database(vg_db **out, vg_plugins *plugins, const vg_database *database,
                        const char *base_dir, vigil_db_error *err)
{
	if (!database) {
		err_clear(err);
		err_set(err, VIGIL_DB_ERR_OTHER, "no database given");
		return -1;
	}
	vg_db_target target = { database->type, database->url, base_dir, 0 };
	if (database->pool.has_connect_timeout && database->pool.connect_timeout_ms > 0)
		target.connect_timeout_ms = (unsigned)database->pool.connect_timeout_ms;
	if (vg_db_open(out, plugins, &target, err) != 0) {
		if (err)
			err_prefix(err, "database %s", database->name ? database->name : "?");
		return -1;
	}
	if ((*out)->type == VG_DB_SQLITE && database->sqlite_path && !base_dir)
		(*out)->params.path = database->sqlite_path;
	return 0;
}

void vg_db_close(vg_db *db)
{
	if (!db)
		return;
	if (db->thread_inited && db->desc->thread_fini)
		db->desc->thread_fini(db->host);
	vg_arena_free(db->arena);
	free(db);
}

vg_db_type vg_db_get_type(const vg_db *db)
{
	return db ? db->type : VG_DB_UNKNOWN;
}
const vigil_driver *vg_db_driver(const vg_db *db)
{
	return db ? db->driver : NULL;
}
const vigil_plugin_desc *vg_db_plugin(const vg_db *db)
{
	return db ? db->desc : NULL;
}
const vigil_conn_params *vg_db_params(const vg_db *db)
{
	return db ? &db->params : NULL;
}

unsigned vg_db_scrubbed(const vg_db *db)
{
	return db ? atomic_load(&((vg_db *)db)->scrubbed) : 0;
}

/* ---------------------------------------------------------------- connections */

int vg_db_connect_within(vg_db *db, vigil_conn **out, unsigned timeout_ms, vigil_db_error *err)
{
	err_clear(err);
	*out = NULL;
	vigil_conn_params params = db->params;
	if (timeout_ms)
		params.connect_timeout_ms = timeout_ms;
	vigil_db_error local;
	vigil_db_error *e = err ? err : &local;
	memset(e, 0, sizeof *e);
	int rc = db->driver->connect(out, &params, db->host, e);
	if (rc < 0 || !*out) {
		if (*out) {
			db->driver->close(*out);
			*out = NULL;
		}
		return driver_failed(db, err, rc);
	}
	/* a session without its deadlines could wait forever on someone's lock: none is used */
	if (vg_db_apply_limits(db, *out, db->lock_ms, db->statement_ms, e) != 0) {
		db->driver->close(*out);
		*out = NULL;
		err_prefix(e, "setting the session's timeouts");
		return -1;
	}
	return 0;
}

void vg_db_set_limits(vg_db *db, unsigned lock_ms, unsigned statement_ms)
{
	if (db) {
		db->lock_ms = lock_ms;
		db->statement_ms = statement_ms;
	}
}

void vg_db_set_deadline(vg_db *db, unsigned deadline_ms, int checks)
{
	if (!db || deadline_ms == 0)
		return;
	unsigned lock = deadline_ms / 4 ? deadline_ms / 4 : 1;
	vg_db_set_limits(db, lock, checks ? (deadline_ms / 2 ? deadline_ms / 2 : 1) : deadline_ms);
}

unsigned vg_db_lock_timeout_ms(const vg_db *db)
{
	return db ? db->lock_ms : 0;
}

int vg_db_connect(vg_db *db, vigil_conn **out, vigil_db_error *err)
{
	return vg_db_connect_within(db, out, 0, err);
}

void vg_db_disconnect(vg_db *db, vigil_conn *conn)
{
	if (db && conn)
		db->driver->close(conn);
}

#define DRIVER_CALL(db, err, call)                            \
	do {                                                  \
		err_clear(err);                               \
		vigil_db_error local_;                        \
		memset(&local_, 0, sizeof local_);            \
		vigil_db_error *e_ = (err) ? (err) : &local_; \
		int rc_ = (call);                             \
		if (rc_ < 0)                                  \
			return driver_failed((db), e_, rc_);  \
		return rc_;                                   \
	} while (0)

int vg_db_exec(vg_db *db, vigil_conn *conn, const char *sql, vigil_db_error *err)
{
	DRIVER_CALL(db, err, db->driver->exec(conn, sql, e_));
}

int vg_db_query(vg_db *db, vigil_conn *conn, const char *sql, size_t param_count,
                const char *const *params, vigil_row_fn row, void *payload,
                unsigned long long *rows_affected, vigil_db_error *err)
{
	DRIVER_CALL(db, err,
	            db->driver->query(conn, sql, param_count, params, row, payload, rows_affected,
	                              e_));
}

int vg_db_begin(vg_db *db, vigil_conn *conn, vigil_db_error *err)
{
	DRIVER_CALL(db, err, db->driver->begin(conn, e_));
}

int vg_db_commit(vg_db *db, vigil_conn *conn, vigil_db_error *err)
{
	DRIVER_CALL(db, err, db->driver->commit(conn, e_));
}

int vg_db_rollback(vg_db *db, vigil_conn *conn, vigil_db_error *err)
{
	DRIVER_CALL(db, err, db->driver->rollback(conn, e_));
}

/* ---------------------------------------------------------------- pool connector */

static int pool_connect(void *ctx, void **conn, int timeout_ms, char *errbuf, size_t errlen)
{
	vigil_db_error e;
	vigil_conn *c = NULL;
	if (vg_db_connect_within(ctx, &c, timeout_ms > 0 ? (unsigned)timeout_ms : 0, &e) != 0) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s", e.message);
		/* The error's kind, for vg_pool_acquire_ex's callers (never 0 here). */
		return e.kind > VIGIL_DB_OK ? e.kind : VIGIL_DB_ERR_OTHER;
	}
	*conn = c;
	return 0;
}

static void pool_close(void *ctx, void *conn)
{
	vg_db_disconnect(ctx, conn);
}

static int pool_ping(void *ctx, void *conn, int timeout_ms)
{
	(void)timeout_ms; /* the driver's ping uses the connection's own timeouts */
	vg_db *db = ctx;
	vigil_db_error e;
	memset(&e, 0, sizeof e);
	if (!db->driver->ping)
		return 0;
	return db->driver->ping(conn, &e) < 0 ? -1 : 0;
}

static int pool_thread_init(void *ctx)
{
	vg_db *db = ctx;
	return db->desc->thread_init ? db->desc->thread_init(db->host) : 0;
}

static void pool_thread_end(void *ctx)
{
	vg_db *db = ctx;
	if (db->desc->thread_fini)
		db->desc->thread_fini(db->host);
}

void vg_db_pool_connector(vg_db *db, vg_pool_connector *out)
{
	memset(out, 0, sizeof *out);
	out->ctx = db;
	out->connect = pool_connect;
	out->close = pool_close;
	out->ping = pool_ping;
	out->thread_init = pool_thread_init;
	out->thread_end = pool_thread_end;
}

/* ---------------------------------------------------------------- schema */

int vg_db_introspect(vg_db *db, vigil_conn *conn, vg_arena *arena, const char *namespace_,
                     const char *const *skip, vg_schema **out, unsigned *round_trips,
                     vigil_db_error *err)
{
	err_clear(err);
	*out = NULL;
	vg_schema *schema = vg_schema_new(arena, db->type, namespace_);
	vigil_schema_sink *sink = schema ? vg_schema_sink_new(arena, schema) : NULL;
	if (!sink) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	unsigned trips = 0;
	vigil_db_error local;
	memset(&local, 0, sizeof local);
	vigil_db_error *e = err ? err : &local;
	int rc = db->driver->introspect(conn, namespace_, skip, sink, db->host, &trips, e);
	if (round_trips)
		*round_trips = trips;
	if (rc < 0) {
		driver_failed(db, e, rc);
		err_prefix(err, "reading the schema");
		return -1;
	}
	if (sink->failed) {
		err_set(err, VIGIL_DB_ERR_OTHER, "reading the schema: %s",
		        sink->problem ? sink->problem : "the driver's report was incomplete");
		return -1;
	}
	if (vg_schema_finish(schema) != VG_SCHEMA_OK) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	*out = schema;
	return 0;
}

int vg_db_privileges(vg_db *db, vigil_conn *conn, vg_arena *arena, const char *namespace_,
                     vigil_privilege_sink **out, vigil_db_error *err)
{
	err_clear(err);
	*out = NULL;
	vigil_privilege_sink *sink = vg_privilege_sink_new(arena);
	if (!sink) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	vigil_db_error local;
	memset(&local, 0, sizeof local);
	vigil_db_error *e = err ? err : &local;
	int rc = db->driver->privileges(conn, namespace_, sink, db->host, e);
	if (rc < 0) {
		driver_failed(db, e, rc);
		err_prefix(err, "reading privileges");
		return -1;
	}
	if (sink->failed) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	*out = sink;
	return 0;
}

int vg_db_render_statements(vg_db *db, const vigil_ddl_change *change, vg_arena *arena,
                            vg_db_statements *out, vigil_db_error *err)
{
	err_clear(err);
	memset(out, 0, sizeof *out);
	vigil_text_sink text;
	memset(&text, 0, sizeof text);
	vigil_db_error local;
	memset(&local, 0, sizeof local);
	vigil_db_error *e = err ? err : &local;
	int rc = db->driver->render_ddl(change, &text, db->host, e);
	if (rc < 0) {
		vg_text_sink_reset(&text);
		return driver_failed(db, e, rc);
	}
	if (text.failed || !text.text || !text.end_count) {
		vg_text_sink_reset(&text);
		err_set(err, VIGIL_DB_ERR_OTHER,
		        text.failed ? "out of memory" : "the driver rendered no SQL");
		return -1;
	}
	out->sql = vg_arena_array(arena, text.end_count, sizeof *out->sql);
	out->text = vg_arena_strdup(arena, text.text);
	for (size_t i = 0, start = 0; out->sql && out->text && i < text.end_count; i++) {
		const char *piece = text.text + start;
		size_t n = text.ends[i] - start;
		start = text.ends[i];
		/* One call, one statement: a value that reached the SQL as code shows here as a
		 * second statement or a comment, and nothing of the change is used. */
		if (!vg_sql_is_one_statement(piece, n, vg_sql_dialect_of(db->type), 1)) {
			err_set(err, VIGIL_DB_ERR_OTHER,
			        "the %s driver rendered SQL that is not exactly one statement for a change "
			        "of table %s: refused (a value of the change may have reached the SQL as "
			        "code)",
			        vg_db_type_name(db->type), change->table ? change->table : "?");
			vg_text_sink_reset(&text);
			memset(out, 0, sizeof *out);
			return -1;
		}
		out->sql[out->count] = vg_arena_strndup(arena, piece, n);
		if (!out->sql[out->count])
			break;
		out->count++;
	}
	size_t want = text.end_count;
	vg_text_sink_reset(&text);
	if (!out->sql || !out->text || out->count != want) {
		memset(out, 0, sizeof *out);
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	return 0;
}

int vg_db_render(vg_db *db, const vigil_ddl_change *change, vg_arena *arena, char **sql,
                 vigil_db_error *err)
{
	vg_db_statements st;
	*sql = NULL;
	if (vg_db_render_statements(db, change, arena, &st, err) != 0)
		return -1;
	*sql = (char *)st.text;
	return 0;
}

int vg_db_exec_statements(vg_db *db, vigil_conn *conn, const vg_db_statements *st,
                          vigil_db_error *err)
{
	err_clear(err);
	for (size_t i = 0; i < st->count; i++)
		if (vg_db_exec(db, conn, st->sql[i], err) < 0)
			return -1;
	return 0;
}

int vg_db_exec_script(vg_db *db, vigil_conn *conn, const char *sql, vigil_db_error *err)
{
	err_clear(err);
	vg_sql_lexer lx;
	vg_sql_lexer_init(&lx, sql, strlen(sql), vg_sql_dialect_of(db->type));
	vg_sql_statement st;
	while (vg_sql_next_statement(&lx, &st)) {
		char *one = malloc(st.length + 1);
		if (!one) {
			err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
			return -1;
		}
		memcpy(one, sql + st.offset, st.length);
		one[st.length] = '\0';
		int rc = vg_db_exec(db, conn, one, err);
		free(one);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- creating a declared schema ---- */

/* Tables in dependency order: those a table references come before it (cycles and
 * self-references are ignored: the order among them stays by name). */
typedef struct table_order {
	const vg_schema *schema;
	unsigned char *state; /* 0 new, 1 being visited, 2 placed */
	const vg_schema_table **out;
	size_t count;
} table_order;

static void order_visit(table_order *o, const vg_schema_table *t)
{
	if (o->state[t->position])
		return;
	o->state[t->position] = 1;
	for (size_t i = 0; i < t->foreign_key_count; i++) {
		const vg_schema_table *ref =
		        vg_schema_table_get(o->schema, t->foreign_keys[i].ref_table);
		if (ref && ref != t && o->state[ref->position] == 0)
			order_visit(o, ref);
	}
	o->state[t->position] = 2;
	o->out[o->count++] = t;
}

static const vg_schema_table **dependency_order(vg_arena *arena, const vg_schema *schema)
{
	table_order o = { schema, NULL, NULL, 0 };
	o.state = vg_arena_array(arena, schema->table_count + 1, 1);
	o.out = vg_arena_array(arena, schema->table_count + 1, sizeof *o.out);
	if (!o.state || !o.out)
		return NULL;
	memset(o.state, 0, schema->table_count + 1);
	for (size_t i = 0; i < schema->table_count; i++)
		order_visit(&o, schema->tables[i]);
	return o.out;
}

static int render_and_run(vg_db *db, vigil_conn *conn, vg_arena *arena,
                          const vigil_ddl_change *change, vigil_db_error *err)
{
	vg_db_statements st;
	if (vg_db_render_statements(db, change, arena, &st, err) != 0)
		return -1;
	return vg_db_exec_statements(db, conn, &st, err);
}

static int create_table(vg_db *db, vigil_conn *conn, vg_arena *arena, const vg_schema *schema,
                        const vg_schema_table *t, int inline_fks, vigil_db_error *err)
{
	vigil_ddl_change change;
	if (vg_ddl_create_table(&change, arena, schema, t, NULL, inline_fks, NULL) != 0) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		return -1;
	}
	if (render_and_run(db, conn, arena, &change, err) != 0) {
		err_prefix(err, "creating table %s", t->name);
		return -1;
	}
	return 0;
}

static int add_foreign_keys(vg_db *db, vigil_conn *conn, vg_arena *arena, const vg_schema *schema,
                            const vg_schema_table *t, vigil_db_error *err)
{
	for (size_t i = 0; i < t->foreign_key_count; i++) {
		const vg_schema_foreign_key *fk = &t->foreign_keys[i];
		vigil_ddl_change change;
		vg_ddl_add_foreign_key(&change, schema, t->name, fk);
		if (render_and_run(db, conn, arena, &change, err) != 0) {
			err_prefix(err, "adding foreign key %s%s%s to %s", fk->name ? fk->name : "",
			           fk->name ? " " : "", vg_schema_names_text(arena, &fk->columns),
			           t->name);
			return -1;
		}
	}
	return 0;
}

static int create_indexes(vg_db *db, vigil_conn *conn, vg_arena *arena, const vg_schema *schema,
                          const vg_schema_table *t, vigil_db_error *err)
{
	for (size_t i = 0; i < t->index_count; i++) {
		const vg_schema_index *ix = &t->indexes[i];
		vigil_ddl_change change;
		vg_ddl_create_index(&change, schema, t->name, ix);
		if (render_and_run(db, conn, arena, &change, err) != 0) {
			err_prefix(err, "creating index %s on %s",
			           ix->name ? ix->name : "(unnamed)", t->name);
			return -1;
		}
	}
	return 0;
}

int vg_db_create_declared(vg_db *db, vigil_conn *conn, const vg_schema *declared,
                          vigil_db_error *err)
{
	err_clear(err);
	if (!declared || !declared->finished) {
		err_set(err, VIGIL_DB_ERR_OTHER, "no finished declared schema given");
		return -1;
	}
	vg_arena *arena = vg_arena_new();
	const vg_schema_table **order = arena ? dependency_order(arena, declared) : NULL;
	int rc = -1;
	if (!order) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		goto done;
	}
	/* SQLite cannot add a foreign key to an existing table: it goes inside CREATE TABLE. */
	int inline_fks = db->type == VG_DB_SQLITE;
	size_t n = declared->table_count;
	for (size_t i = 0; i < n; i++)
		if (create_table(db, conn, arena, declared, order[i], inline_fks, err) != 0)
			goto done;
	for (size_t i = 0; !inline_fks && i < n; i++)
		if (add_foreign_keys(db, conn, arena, declared, order[i], err) != 0)
			goto done;
	for (size_t i = 0; i < n; i++)
		if (create_indexes(db, conn, arena, declared, order[i], err) != 0)
			goto done;
	rc = 0;
done:
	vg_arena_free(arena);
	return rc;
}

int vg_db_create_database(vg_db *db, vigil_conn *conn, const vg_database *database,
                          vigil_db_error *err)
{
	err_clear(err);
	vg_arena *arena = vg_arena_new();
	vg_schema *declared = arena ? vg_schema_from_declared(arena, database) : NULL;
	int rc = -1;
	if (!declared)
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
	else
		rc = vg_db_create_declared(db, conn, declared, err);
	vg_arena_free(arena);
	return rc;
}

int vg_db_drop_declared(vg_db *db, vigil_conn *conn, const vg_schema *declared, vigil_db_error *err)
{
	err_clear(err);
	if (!declared || !declared->finished) {
		err_set(err, VIGIL_DB_ERR_OTHER, "no finished declared schema given");
		return -1;
	}
	vg_arena *arena = vg_arena_new();
	const vg_schema_table **order = arena ? dependency_order(arena, declared) : NULL;
	vg_schema *live = NULL;
	int rc = -1;
	if (!order) {
		err_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
		goto done;
	}
	if (vg_db_introspect(db, conn, arena, declared->namespace_name, NULL, &live, NULL, err) !=
	    0)
		goto done;
	for (size_t i = declared->table_count; i-- > 0;) {
		const vg_schema_table *t = order[i];
		if (!vg_schema_table_get(live, t->name))
			continue;
		vigil_ddl_change change;
		vg_ddl_drop_table(&change, declared, t->name);
		if (render_and_run(db, conn, arena, &change, err) != 0) {
			err_prefix(err, "dropping table %s", t->name);
			goto done;
		}
	}
	rc = 0;
done:
	vg_arena_free(arena);
	return rc;
}
