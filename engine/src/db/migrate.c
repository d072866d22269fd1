/* migrate.c — applying declared migrations and recording them (see migrate.h); the public
 * vigil_migrate_file over an engine is in ../migrate_file.c. */
#define _POSIX_C_SOURCE 200809L
#include "migrate.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "run.h"
#include "schema.h"
#include "sha256.h"
#include "sql_dialect.h"
#include "sql_lex.h"

#define DESCRIPTION_MAX_CHARS 255 /* the history table's varchar(255) */
#define STATEMENT_EXCERPT 80      /* bytes of a failed statement quoted in its message */

void vg_migration_checksum(const vg_migration *m, char out[65])
{
	const char *text = m ? vg_scalar(m->up_node) : NULL;
	if (!text)
		text = "";
	vg_sha256_hex(text, strlen(text), out);
}

/* ------------------------------------------------------------ one database */

typedef struct applied_row {
	long long version;
	char checksum[65];
} applied_row;

typedef struct migrator {
	vg_plugins *plugins;
	const vg_database *database;
	unsigned deadline_ms; /* server-side statement and lock timeouts (vg_db_set_deadline) */
	const char *type_name;
	unsigned flags;
	vigil_migrate_event_fn fn;
	void *payload;
	char *first_problem;
	size_t problem_size;
	vg_arena *arena; /* this database's strings (events, SQL) */
	vg_db *db;
	vigil_conn *conn;
	const char *table_sql; /* the history table's name, quoted for the dialect */
	applied_row *applied;  /* arena array */
	size_t applied_count, applied_cap;
	int out_of_memory;
} migrator;

static int dry_run(const migrator *mg)
{
	return (mg->flags & VIGIL_MIGRATE_DRY_RUN) != 0;
}

static void note_problem(migrator *mg, const char *message)
{
	if (mg->first_problem && mg->problem_size && !mg->first_problem[0] && message)
		snprintf(mg->first_problem, mg->problem_size, "%s", message);
}

/* The description as written: an expanded ${VAR} might be a secret, and the history
 * records the blueprint's text. NULL when there is none. */
static const char *description_of(const vg_migration *m)
{
	const vg_node *node = vg_map_get(m->node, "description");
	const char *raw = vg_is_null(node) ? NULL : vg_scalar(node);
	return raw && *raw ? raw : NULL;
}

static void event_init(const migrator *mg, vigil_migrate_event *ev, const vg_migration *m,
                       vigil_migrate_outcome outcome)
{
	memset(ev, 0, sizeof *ev);
	ev->version = VIGIL_MIGRATE_EVENT_VERSION;
	ev->database = mg->database->name;
	ev->database_type = mg->type_name;
	ev->outcome = outcome;
	if (m) {
		ev->has_migration = 1;
		ev->migration = m->version;
		ev->description = description_of(m);
	}
}

static void emit(migrator *mg, const vigil_migrate_event *ev)
{
	if (ev->outcome == VIGIL_MIGRATE_FAILED || ev->outcome == VIGIL_MIGRATE_CHANGED)
		note_problem(mg, ev->message);
	if (mg->fn)
		mg->fn(ev, mg->payload);
}

/* An event about the database itself (no migration): it failed, with `message`. */
static int database_failed(migrator *mg, const char *message, int rc)
{
	vigil_migrate_event ev;
	event_init(mg, &ev, NULL, VIGIL_MIGRATE_FAILED);
	ev.message = message ? message : "out of memory";
	emit(mg, &ev);
	return message ? rc : VIGIL_ENOMEM;
}

/* "migration 3 (add orders)" or "migration 3". */
static const char *migration_label(migrator *mg, const vg_migration *m)
{
	const char *description = description_of(m);
	if (description)
		return vg_arena_printf(mg->arena, "migration %lld (%s)", m->version, description);
	return vg_arena_printf(mg->arena, "migration %lld", m->version);
}

/* An identifier quoted the way the driver's DDL quotes it (MySQL `x`, else "x"). */
static char *quote_ident(vg_arena *arena, vg_db_type type, const char *name)
{
	char q = type == VG_DB_MYSQL ? '`' : '"';
	size_t n = strlen(name), extra = 0;
	for (size_t i = 0; i < n; i++)
		extra += name[i] == q;
	char *out = vg_arena_alloc(arena, n + extra + 3);
	if (!out)
		return NULL;
	char *w = out;
	*w++ = q;
	for (size_t i = 0; i < n; i++) {
		if (name[i] == q)
			*w++ = q;
		*w++ = name[i];
	}
	*w++ = q;
	*w = '\0';
	return out;
}

/* Declared migrations in version order (level 2 guarantees unique versions). */
static int by_version(const void *a, const void *b)
{
	const vg_migration *x = *(const vg_migration *const *)a;
	const vg_migration *y = *(const vg_migration *const *)b;
	return (x->version > y->version) - (x->version < y->version);
}

static const vg_migration **sorted_migrations(vg_arena *arena, const vg_database *database,
                                              size_t *count)
{
	const vg_migration **list =
	        vg_arena_array(arena, database->migration_count + 1, sizeof *list);
	*count = 0;
	if (!list)
		return NULL;
	for (size_t i = 0; i < database->migration_count; i++)
		if (database->migrations[i].has_version)
			list[(*count)++] = &database->migrations[i];
	qsort(list, *count, sizeof *list, by_version);
	return list;
}

/* ---- the history table ---- */

static int create_history_table(migrator *mg, vigil_db_error *err)
{
	const vigil_ddl_column columns[] = {
		{ .name = "version", .type = "bigint", .nullable = 0, .primary_key = 1 },
		{ .name = "description", .type = "varchar(255)", .nullable = 1 },
		{ .name = "checksum", .type = "char(64)", .nullable = 0 },
		{ .name = "applied_at", .type = "datetime", .nullable = 0 },
	};
	vigil_ddl_change change = {
		.size = (uint32_t)sizeof change,
		.kind = VIGIL_DDL_CREATE_TABLE,
		.table = mg->database->migration_table,
		.columns = columns,
		.column_count = sizeof columns / sizeof columns[0],
	};
	vg_db_statements st;
	if (vg_db_render_statements(mg->db, &change, mg->arena, &st, err) != 0)
		return -1;
	return vg_db_exec_statements(mg->db, mg->conn, &st, err);
}

static int collect_applied(void *payload, size_t column_count, const char *const *values,
                           const size_t *lengths)
{
	(void)lengths;
	migrator *mg = payload;
	if (column_count < 2 || !values[0] || !values[1])
		return 0;
	char *end;
	errno = 0;
	long long version = strtoll(values[0], &end, 10);
	if (end == values[0] || *end || errno)
		return 0; /* not a version this tool wrote */
	if (mg->applied_count == mg->applied_cap) {
		size_t cap = mg->applied_cap ? mg->applied_cap * 2 : 16;
		applied_row *grown = vg_arena_array(mg->arena, cap, sizeof *grown);
		if (!grown) {
			mg->out_of_memory = 1;
			return 1;
		}
		if (mg->applied_count)
			memcpy(grown, mg->applied, mg->applied_count * sizeof *grown);
		mg->applied = grown;
		mg->applied_cap = cap;
	}
	applied_row *row = &mg->applied[mg->applied_count++];
	row->version = version;
	/* char(64) may come back blank-padded: the digest is the first 64 characters. */
	snprintf(row->checksum, sizeof row->checksum, "%.64s", values[1]);
	return 0;
}

/*
 * Makes sure the history table exists (creating it unless dry-running) and reads it.
 * `*exists` says whether it was there. 0, or -1 with err filled.
 */
static int read_history(migrator *mg, int *exists, vigil_db_error *err)
{
	vg_schema *live = NULL;
	*exists = 0;
	if (vg_db_introspect(mg->db, mg->conn, mg->arena, NULL, NULL, &live, NULL, err) != 0)
		return -1;
	*exists = vg_schema_table_get(live, mg->database->migration_table) != NULL;
	if (!*exists) {
		if (dry_run(mg))
			return 0;
		if (create_history_table(mg, err) != 0)
			return -1;
		*exists = 1;
		return 0; /* new and empty */
	}
	const char *version = quote_ident(mg->arena, vg_db_get_type(mg->db), "version");
	const char *checksum = quote_ident(mg->arena, vg_db_get_type(mg->db), "checksum");
	const char *sql = version && checksum ? vg_arena_printf(mg->arena, "SELECT %s, %s FROM %s",
	                                                        version, checksum, mg->table_sql)
	                                      : NULL;
	if (!sql) {
		mg->out_of_memory = 1;
		return -1;
	}
	int rc = vg_db_query(mg->db, mg->conn, sql, 0, NULL, collect_applied, mg, NULL, err);
	if (mg->out_of_memory)
		return -1;
	return rc < 0 ? -1 : 0;
}

static const applied_row *find_applied(const migrator *mg, long long version)
{
	for (size_t i = 0; i < mg->applied_count; i++)
		if (mg->applied[i].version == version)
			return &mg->applied[i];
	return NULL;
}

/* ---- running one migration ---- */

static size_t count_statements(vg_db_type type, const char *sql)
{
	vg_sql_lexer lx;
	vg_sql_statement st;
	size_t n = 0;
	vg_sql_lexer_init(&lx, sql, strlen(sql), vg_sql_dialect_of(type));
	while (vg_sql_next_statement(&lx, &st))
		n++;
	return n;
}

/* The description cut to the history column's 255 characters (UTF-8 aware), or NULL. */
static const char *description_param(vg_arena *arena, const char *description)
{
	if (!description)
		return NULL;
	size_t chars = 0, i = 0;
	for (; description[i]; i++) {
		if (((unsigned char)description[i] & 0xC0) != 0x80 &&
		    chars++ == DESCRIPTION_MAX_CHARS)
			break;
	}
	return description[i] ? vg_arena_strndup(arena, description, i) : description;
}

static int record(migrator *mg, const vg_migration *m, const char *checksum, vigil_db_error *err)
{
	vg_db_type type = vg_db_get_type(mg->db);
	const char *now = type == VG_DB_SQLITE ? "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	                                       : "CURRENT_TIMESTAMP";
	const char *c_version = quote_ident(mg->arena, type, "version");
	const char *c_description = quote_ident(mg->arena, type, "description");
	const char *c_checksum = quote_ident(mg->arena, type, "checksum");
	const char *c_applied = quote_ident(mg->arena, type, "applied_at");
	const char *sql =
	        c_version && c_description && c_checksum && c_applied
	                ? vg_arena_printf(mg->arena,
	                                  "INSERT INTO %s (%s, %s, %s, %s) VALUES (?, ?, ?, %s)",
	                                  mg->table_sql, c_version, c_description, c_checksum,
	                                  c_applied, now)
	                : NULL;
	const char *version = vg_arena_printf(mg->arena, "%lld", m->version);
	const char *description = description_param(mg->arena, description_of(m));
	if (!sql || !version || (description_of(m) && !description)) {
		mg->out_of_memory = 1;
		return -1;
	}
	const char *params[3] = { version, description, checksum };
	return vg_db_query(mg->db, mg->conn, sql, 3, params, NULL, NULL, NULL, err) < 0 ? -1 : 0;
}

/* " (CREATE TABLE t ...)": the start of a failed statement, whitespace folded — only when
 * the text runs as written (a ${VAR} expanded into it might be a secret). */
static const char *statement_excerpt(migrator *mg, const vg_migration *m, const char *sql,
                                     size_t length)
{
	const char *raw = vg_scalar(m->up_node);
	if (!raw || !m->up || strcmp(raw, m->up) != 0)
		return "";
	char buf[STATEMENT_EXCERPT + 8];
	size_t w = 0;
	int space = 0;
	for (size_t i = 0; i < length && w < STATEMENT_EXCERPT; i++) {
		unsigned char c = (unsigned char)sql[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = w > 0;
			continue;
		}
		if (space)
			buf[w++] = ' ';
		space = 0;
		if (w < STATEMENT_EXCERPT)
			buf[w++] = (char)c;
	}
	buf[w] = '\0';
	int cut = w >= STATEMENT_EXCERPT;
	const char *text = vg_arena_printf(mg->arena, " (%s%s)", buf, cut ? " ..." : "");
	if (!text)
		return "";
	char *scrubbed = vg_arena_strdup(mg->arena, text);
	if (!scrubbed)
		return "";
	vg_db_scrub(mg->db, scrubbed, strlen(scrubbed) + 1);
	return scrubbed;
}

/*
 * Runs one pending migration and emits its event. 0 when applied, 1 when it failed (the
 * event said how), VIGIL_ENOMEM.
 */
static int apply_one(migrator *mg, const vg_migration *m, const char *checksum)
{
	vg_db_type type = vg_db_get_type(mg->db);
	int transactional = vg_db_driver(mg->db)->transactional_ddl != 0;
	const char *up = m->up ? m->up : "";
	const char *label = migration_label(mg, m);
	if (!label)
		return VIGIL_ENOMEM;
	vigil_migrate_event ev;
	event_init(mg, &ev, m, VIGIL_MIGRATE_APPLIED);
	ev.checksum = checksum;
	ev.statement_count = count_statements(type, up);
	vigil_db_error err;
	memset(&err, 0, sizeof err);
	double t0 = vg_now_ms();
	const char *failure = NULL;

	if (transactional && vg_db_begin(mg->db, mg->conn, &err) != 0) {
		failure = vg_arena_printf(mg->arena,
		                          "%s of database %s: cannot begin a transaction: %s",
		                          label, mg->database->name, err.message);
		goto failed;
	}
	vg_sql_lexer lx;
	vg_sql_statement st;
	vg_sql_lexer_init(&lx, up, strlen(up), vg_sql_dialect_of(type));
	size_t index = 0;
	while (vg_sql_next_statement(&lx, &st)) {
		index++;
		char *one = vg_arena_strndup(mg->arena, up + st.offset, st.length);
		if (!one)
			goto out_of_memory;
		if (vg_db_exec(mg->db, mg->conn, one, &err) == 0)
			continue;
		ev.statement = index;
		const char *excerpt = statement_excerpt(mg, m, one, st.length);
		if (transactional) {
			failure = vg_arena_printf(
			        mg->arena,
			        "%s of database %s: statement %zu of %zu%s failed: %s; "
			        "rolled back, nothing of it was applied",
			        label, mg->database->name, index, ev.statement_count, excerpt,
			        err.message);
		} else {
			ev.partially_applied = index > 1;
			const char *kept =
			        index == 1 ? "no statement of it was applied"
			        : index == 2
			                ? "statement 1 of it was applied and stays (the database commits DDL at once): "
			                  "undo or finish it by hand before migrating again"
			                : vg_arena_printf(
			                          mg->arena,
			                          "statements 1 to %zu of it were applied and stay (the "
			                          "database commits DDL at once): undo or finish them by "
			                          "hand before migrating again",
			                          index - 1);
			failure = kept ? vg_arena_printf(
			                         mg->arena,
			                         "%s of database %s: statement %zu of %zu%s "
			                         "failed: %s; %s",
			                         label, mg->database->name, index,
			                         ev.statement_count, excerpt, err.message, kept)
			               : NULL;
		}
		goto failed;
	}
	if (record(mg, m, checksum, &err) != 0) {
		if (mg->out_of_memory)
			goto out_of_memory;
		failure =
		        transactional
		                ? vg_arena_printf(
		                          mg->arena,
		                          "%s of database %s: recording it in %s failed: %s; rolled back, "
		                          "nothing of it was applied",
		                          label, mg->database->name, mg->database->migration_table,
		                          err.message)
		                : vg_arena_printf(
		                          mg->arena,
		                          "%s of database %s: all its statements ran, but recording it "
		                          "in %s failed: %s; it is applied but not recorded (add its "
		                          "row by hand, checksum %s)",
		                          label, mg->database->name, mg->database->migration_table,
		                          err.message, checksum);
		ev.partially_applied = !transactional;
		goto failed;
	}
	if (transactional && vg_db_commit(mg->db, mg->conn, &err) != 0) {
		failure = vg_arena_printf(mg->arena, "%s of database %s: COMMIT failed: %s", label,
		                          mg->database->name, err.message);
		goto failed;
	}
	ev.duration_ms = vg_now_ms() - t0;
	emit(mg, &ev);
	return 0;

failed:
	if (transactional) {
		vigil_db_error rollback_err;
		memset(&rollback_err, 0, sizeof rollback_err);
		if (vg_db_rollback(mg->db, mg->conn, &rollback_err) != 0 && failure)
			failure = vg_arena_printf(mg->arena, "%s (and ROLLBACK failed too: %s)",
			                          failure, rollback_err.message);
	}
	if (!failure)
		goto out_of_memory;
	ev.outcome = VIGIL_MIGRATE_FAILED;
	ev.duration_ms = vg_now_ms() - t0;
	ev.message = failure;
	emit(mg, &ev);
	return 1;

out_of_memory:
	if (transactional)
		vg_db_rollback(mg->db, mg->conn, NULL);
	return VIGIL_ENOMEM;
}

/* Opens and connects; for SQLite creates the missing file first (not in a dry run:
 * `*missing` then says the file is not there and nothing was connected). */
static int connect_database(migrator *mg, int *missing)
{
	vigil_db_error err;
	memset(&err, 0, sizeof err);
	*missing = 0;
	if (vg_db_open_database(&mg->db, mg->plugins, mg->database, NULL, &err) != 0) {
		/* err names the database already ("database main: ..."). */
		const char *message = vg_arena_strdup(mg->arena, err.message);
		return database_failed(mg, message,
		                       err.kind == VIGIL_DB_ERR_UNSUPPORTED ? VIGIL_EPLUGIN
		                                                            : VIGIL_EMIGRATION);
	}
	vg_db_set_deadline(mg->db, mg->deadline_ms, 0);
	const vigil_conn_params *params = vg_db_params(mg->db);
	if (vg_db_get_type(mg->db) == VG_DB_SQLITE && params->path) {
		struct stat info;
		if (stat(params->path, &info) != 0 && errno == ENOENT) {
			if (dry_run(mg)) {
				*missing = 1;
				return VIGIL_OK;
			}
			int fd = open(params->path, O_WRONLY | O_CREAT | O_EXCL, 0666);
			if (fd < 0 && errno != EEXIST) {
				const char *message = vg_arena_printf(
				        mg->arena,
				        "database %s: cannot create the SQLite file %s: %s",
				        mg->database->name, params->path, strerror(errno));
				return database_failed(mg, message, VIGIL_EMIGRATION);
			}
			if (fd >= 0)
				close(fd);
		}
	}
	if (vg_db_connect(mg->db, &mg->conn, &err) != 0) {
		const char *message =
		        vg_arena_printf(mg->arena, "database %s (%s): cannot connect: %s",
		                        mg->database->name, mg->type_name, err.message);
		return database_failed(mg, message, VIGIL_EUNREACHABLE);
	}
	return VIGIL_OK;
}

/* The events of the migrations after a stop: not run, and why. */
static void report_not_run(migrator *mg, const vg_migration *const *list, size_t from, size_t count,
                           const char *why)
{
	for (size_t i = from; i < count; i++) {
		if (find_applied(mg, list[i]->version))
			continue;
		char checksum[65];
		vg_migration_checksum(list[i], checksum);
		vigil_migrate_event ev;
		event_init(mg, &ev, list[i], VIGIL_MIGRATE_NOT_RUN);
		ev.checksum = checksum;
		ev.message = why;
		emit(mg, &ev);
	}
}

static int migrate(migrator *mg)
{
	size_t count = 0;
	const vg_migration **list = sorted_migrations(mg->arena, mg->database, &count);
	if (!list)
		return VIGIL_ENOMEM;
	int missing = 0;
	int rc = connect_database(mg, &missing);
	if (rc != VIGIL_OK)
		return rc;
	mg->table_sql =
	        quote_ident(mg->arena, vg_db_get_type(mg->db), mg->database->migration_table);
	if (!mg->table_sql)
		return VIGIL_ENOMEM;

	if (!missing) {
		vigil_db_error err;
		memset(&err, 0, sizeof err);
		int exists = 0;
		if (read_history(mg, &exists, &err) != 0) {
			if (mg->out_of_memory)
				return VIGIL_ENOMEM;
			const char *message = vg_arena_printf(
			        mg->arena, "database %s: cannot %s the history table %s: %s",
			        mg->database->name, exists ? "read" : "create",
			        mg->database->migration_table, err.message);
			return database_failed(mg, message, VIGIL_EMIGRATION);
		}
	}

	/* What was applied before: unchanged ones are skipped, changed ones stop the database. */
	const vg_migration *first_changed = NULL;
	for (size_t i = 0; i < count; i++) {
		const applied_row *row = find_applied(mg, list[i]->version);
		if (!row)
			continue;
		char checksum[65];
		vg_migration_checksum(list[i], checksum);
		int same = strcmp(row->checksum, checksum) == 0;
		vigil_migrate_event ev;
		event_init(mg, &ev, list[i], same ? VIGIL_MIGRATE_SKIPPED : VIGIL_MIGRATE_CHANGED);
		ev.checksum = checksum;
		if (!same) {
			ev.recorded_checksum = row->checksum;
			const char *label = migration_label(mg, list[i]);
			ev.message =
			        label ? vg_arena_printf(
			                        mg->arena,
			                        "%s of database %s was applied with checksum %.12s..., but its `up` text "
			                        "in the blueprint now has checksum %.12s...: it is not run again; restore "
			                        "the text that was applied, or put the change in a new migration",
			                        label, mg->database->name, row->checksum, checksum)
			              : NULL;
			if (!ev.message)
				return VIGIL_ENOMEM;
			if (!first_changed)
				first_changed = list[i];
		}
		emit(mg, &ev);
	}
	if (first_changed) {
		const char *why = vg_arena_printf(
		        mg->arena,
		        "not run: migration %lld of database %s changed since it was applied",
		        first_changed->version, mg->database->name);
		if (!why)
			return VIGIL_ENOMEM;
		report_not_run(mg, list, 0, count, why);
		return VIGIL_EMIGRATION;
	}

	for (size_t i = 0; i < count; i++) {
		const vg_migration *m = list[i];
		if (find_applied(mg, m->version))
			continue;
		char checksum[65];
		vg_migration_checksum(m, checksum);
		if (dry_run(mg)) {
			vigil_migrate_event ev;
			event_init(mg, &ev, m, VIGIL_MIGRATE_PENDING);
			ev.checksum = checksum;
			ev.statement_count =
			        count_statements(vg_db_get_type(mg->db), m->up ? m->up : "");
			emit(mg, &ev);
			continue;
		}
		rc = apply_one(mg, m, checksum);
		if (rc == VIGIL_ENOMEM)
			return rc;
		if (rc != 0) {
			const char *why = vg_arena_printf(
			        mg->arena,
			        "not run: migration %lld of database %s failed before it",
			        m->version, mg->database->name);
			if (!why)
				return VIGIL_ENOMEM;
			report_not_run(mg, list, i + 1, count, why);
			return VIGIL_EMIGRATION;
		}
	}
	return VIGIL_OK;
}

int vg_migrate_database(vg_plugins *plugins, const vg_database *database, unsigned deadline_ms,
                        unsigned flags, vigil_migrate_event_fn fn, void *payload,
                        char *first_problem, size_t size)
{
	migrator mg = {
		.plugins = plugins,
		.database = database,
		.deadline_ms = deadline_ms,
		.type_name = vg_db_type_name(database->type),
		.flags = flags,
		.fn = fn,
		.payload = payload,
		.first_problem = first_problem,
		.problem_size = size,
	};
	if (!(mg.arena = vg_arena_new()))
		return VIGIL_ENOMEM;
	if (!database->migration_table)
		database = NULL; /* no schema: nothing declared (the caller checks counts) */
	int rc = database ? migrate(&mg) : VIGIL_OK;
	if (mg.conn)
		vg_db_disconnect(mg.db, mg.conn);
	vg_db_close(mg.db);
	vg_arena_free(mg.arena);
	return rc;
}

/* ------------------------------------------------------------ the public API */

const char *vigil_migrate_outcome_name(vigil_migrate_outcome outcome)
{
	switch (outcome) {
	case VIGIL_MIGRATE_APPLIED: return "applied";
	case VIGIL_MIGRATE_SKIPPED: return "skipped";
	case VIGIL_MIGRATE_CHANGED: return "changed";
	case VIGIL_MIGRATE_FAILED: return "failed";
	case VIGIL_MIGRATE_PENDING: return "pending";
	case VIGIL_MIGRATE_NOT_RUN: return "not run";
	}
	return "unknown";
}
