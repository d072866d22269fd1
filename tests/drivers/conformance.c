/*
 * conformance.c — the same driver cases on every database.
 *
 *   conformance <sqlite|postgresql|mysql> <url> [<read-only url>] [--plugin-dir DIR]
 *
 * Everything goes through the engine's db.c (driver plugin found and loaded by name), so this
 * tests the drivers and the engine glue together. Each case prints "ok <case> <db>" or
 * "FAIL <case> <db>: <why>"; the last line is "N passed, M failed"; the exit status is 1 when
 * anything failed. For SQLite the URL names a file the program creates (and deletes) itself
 * when it does not exist; the network cases become file cases; the read-only "user" is the
 * file made read-only (chmod 0444, plus ?mode=ro when running as root, whom file modes do
 * not stop). Every table it creates is named conf_* and dropped at the end (and at the
 * start, in case an earlier run was killed).
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "harness.h"
#include "host.h"
#include "pool.h"
#include "schema_diff.h"
#include "schema_fix.h"
#include "url.h"
#include "yaml_tree.h"

/* The declared schema of the round trip: every generic type, PK (auto-increment and
 * composite), unique (column and composite), indexes (plain, unique, composite), foreign keys
 * with actions, named and unnamed, single and composite. `%s` is the database type. */
static const char round_trip_yaml[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: conformance\n"
	"  components:\n"
	"    - name: store\n"
	"      type: Store\n"
	"      config: {database: main}\n"
	"  databases:\n"
	"    main:\n"
	"      type: %s\n"
	"      url: \"%s\"\n"
	"      schema:\n"
	"        tables:\n"
	"          - name: conf_owners\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: email, type: varchar(200), nullable: false, unique: true}\n"
	"              - {name: display_name, type: string}\n"
	"              - {name: bio, type: text}\n"
	"              - {name: age, type: smallint}\n"
	"              - {name: karma, type: bigint, nullable: false, default: 0}\n"
	"              - {name: active, type: boolean, nullable: false, default: false}\n"
	"              - {name: ext_id, type: uuid}\n"
	"              - {name: profile, type: json}\n"
	"              - {name: avatar, type: blob}\n"
	"              - {name: status, type: varchar(20), nullable: false, default: new}\n"
	"            indexes:\n"
	"              - {name: conf_owners_name_idx, columns: [display_name]}\n"
	"          - name: conf_items\n"
	"            columns:\n"
	"              - {name: owner_id, type: integer, nullable: false}\n"
	"              - {name: seq, type: integer, nullable: false}\n"
	"              - {name: price, type: \"decimal(10,2)\", nullable: false, default: 0}\n"
	"              - {name: weight, type: float}\n"
	"              - {name: ratio, type: double}\n"
	"              - {name: made_at, type: datetime, default: CURRENT_TIMESTAMP}\n"
	"              - {name: made_on, type: date}\n"
	"              - {name: made_time, type: time}\n"
	"              - {name: code, type: varchar(40)}\n"
	"              - {name: sku, type: varchar(40)}\n"
	"              - {name: parent_owner, type: integer}\n"
	"            primary_key: [owner_id, seq]\n"
	"            unique: [[code, made_on]]\n"
	"            indexes:\n"
	"              - {name: conf_items_made_idx, columns: [made_on, made_time]}\n"
	"              - {name: conf_items_sku_uidx, columns: [sku], unique: true}\n"
	"            foreign_keys:\n"
	"              - name: conf_items_owner_fk\n"
	"                columns: [owner_id]\n"
	"                references: {table: conf_owners, columns: [id]}\n"
	"                on_delete: cascade\n"
	"                on_update: no action\n"
	"              - name: conf_items_parent_fk\n"
	"                columns: [parent_owner]\n"
	"                references: {table: conf_owners, columns: [id]}\n"
	"                on_delete: set null\n"
	"          - name: conf_tags\n"
	"            columns:\n"
	"              - {name: owner_id, type: integer, nullable: false}\n"
	"              - {name: item_seq, type: integer, nullable: false}\n"
	"              - {name: tag, type: varchar(50), nullable: false}\n"
	"            primary_key: [owner_id, item_seq, tag]\n"
	"            foreign_keys:\n"
	"              - columns: [owner_id, item_seq]\n"
	"                references: {table: conf_items, columns: [owner_id, seq]}\n"
	"                on_delete: cascade\n"
	"                on_update: restrict\n";

/* Deadline slack on top of connect_timeout_ms for the "fails within the deadline" cases. */
#define SLACK_MS 1500.0
#define SHORT_TIMEOUT_MS 2000u

typedef struct run {
	conf c;
	vg_plugins *plugins;
	const char *url;
	const char *ro_url;
	const vg_url *parsed;
	vg_db *db;              /* the main handle */
	vigil_conn *conn;       /* its connection (NULL when connect failed) */
	char *tmpdir;           /* SQLite: a temp folder for the file cases */
	const char *sqlite_file;
	int created_file;
	unsigned scrubbed;      /* driver messages db.c had to scrub, over every handle */
} run;

/* ---------------------------------------------------------------- helpers */

static int open_db(run *r, vg_db **out, const char *url, unsigned timeout_ms, vigil_db_error *err)
{
	vg_db_target target = { r->c.type, url, NULL, timeout_ms };
	int rc = vg_db_open(out, r->plugins, &target, err);
	if (rc != 0)
		conf_err(&r->c, err);
	return rc;
}

static void close_db(run *r, vg_db *db)
{
	if (db) {
		r->scrubbed += vg_db_scrubbed(db);
		vg_db_close(db);
	}
}

/* Collects the first column of every row. */
typedef struct rows {
	size_t count;
	char *first[16];
	size_t length[16];
	int is_null[16];
	size_t columns;
} rows;

static int collect(void *payload, size_t column_count, const char *const *values,
                   const size_t *lengths)
{
	rows *rs = payload;
	if (rs->count < 16) {
		rs->columns = column_count;
		rs->is_null[rs->count] = values[0] == NULL;
		if (values[0]) {
			rs->first[rs->count] = malloc(lengths[0] + 1);
			if (rs->first[rs->count]) {
				memcpy(rs->first[rs->count], values[0], lengths[0]);
				rs->first[rs->count][lengths[0]] = '\0';
			}
			rs->length[rs->count] = lengths[0];
		}
	}
	rs->count++;
	return 0;
}

static void rows_free(rows *rs)
{
	for (size_t i = 0; i < rs->count && i < 16; i++)
		free(rs->first[i]);
	memset(rs, 0, sizeof *rs);
}

/* One value from a one-row query, into buf ("" for NULL). 0 or -1. */
static int query_value(run *r, vigil_conn *conn, const char *sql, size_t n,
                       const char *const *params, char *buf, size_t size, vigil_db_error *err)
{
	rows rs;
	memset(&rs, 0, sizeof rs);
	int rc = vg_db_query(r->db, conn, sql, n, params, collect, &rs, NULL, err);
	if (rc < 0) {
		conf_err(&r->c, err);
		rows_free(&rs);
		return -1;
	}
	snprintf(buf, size, "%s", rs.count && rs.first[0] ? rs.first[0] : "");
	rows_free(&rs);
	return 0;
}

static int exec_sql(run *r, const char *sql, vigil_db_error *err)
{
	int rc = vg_db_exec(r->db, r->conn, sql, err);
	if (rc < 0)
		conf_err(&r->c, err);
	return rc;
}

static const char *text_type(vg_db_type type)
{
	return type == VG_DB_MYSQL ? "TEXT CHARACTER SET utf8mb4" : "TEXT";
}

/* ---------------------------------------------------------------- connect cases */

/* Expects a connect to fail with `kind` within `limit_ms`. */
static void expect_connect_failure(run *r, const char *name, const char *url, unsigned timeout_ms,
                                   int kind, double limit_ms)
{
	vigil_db_error err;
	vg_db *db = NULL;
	if (open_db(r, &db, url, timeout_ms, &err) != 0) {
		conf_fail(&r->c, name, "could not open the handle: %s", err.message);
		return;
	}
	vigil_conn *conn = NULL;
	double start = conf_now_ms();
	int rc = vg_db_connect(db, &conn, &err);
	double took = conf_now_ms() - start;
	if (rc == 0) {
		vg_db_disconnect(db, conn);
		conf_fail(&r->c, name, "connected, expected %s", vg_db_error_kind_name(kind));
	} else {
		conf_err(&r->c, &err);
		if (err.kind != kind)
			conf_fail(&r->c, name, "error kind %s, expected %s (message: %s)",
			          vg_db_error_kind_name(err.kind), vg_db_error_kind_name(kind), err.message);
		else if (took > limit_ms)
			conf_fail(&r->c, name, "took %.0f ms, limit %.0f ms", took, limit_ms);
		else if (strlen(err.message) < 10)
			conf_fail(&r->c, name, "message too short to be clear: \"%s\"", err.message);
		else
			conf_ok(&r->c, name, "%s in %.0f ms: %s", vg_db_error_kind_name(err.kind), took,
			        err.message);
	}
	close_db(r, db);
}

/* A free port: bound then closed (nothing listens there afterwards). */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* A listener that completes the TCP handshake (the kernel does, through the backlog) and
 * never says a word: the server that hangs. Returns the fd; *port gets its port. */
static int silent_listener(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static void network_connect_cases(run *r)
{
	const vg_url *u = r->parsed;
	const char *scheme = r->c.db_name;
	vg_arena *a = r->c.arena;
	const char *host = u->host ? u->host : "127.0.0.1";
	double deadline = SHORT_TIMEOUT_MS + SLACK_MS;

	static const char wrong[] = "Wrong-Pass-4711";
	conf_add_secret(&r->c, wrong);
	expect_connect_failure(r, "connect_wrong_password",
	                       conf_url(a, scheme, u->user, wrong, host, u->port, u->database, NULL),
	                       SHORT_TIMEOUT_MS, VIGIL_DB_ERR_AUTH, deadline);
	expect_connect_failure(r, "connect_unknown_database",
	                       conf_url(a, scheme, u->user, u->password, host, u->port,
	                                "vigil_no_such_database", NULL),
	                       SHORT_TIMEOUT_MS, VIGIL_DB_ERR_NO_DATABASE, deadline);
	expect_connect_failure(r, "connect_refused",
	                       conf_url(a, scheme, u->user, u->password, "127.0.0.1", free_port(),
	                                u->database, NULL),
	                       SHORT_TIMEOUT_MS, VIGIL_DB_ERR_REFUSED, deadline);
	int port = 0;
	int fd = silent_listener(&port);
	if (fd < 0) {
		conf_fail(&r->c, "connect_silent_server", "could not start a listener: %s", strerror(errno));
		return;
	}
	expect_connect_failure(r, "connect_silent_server",
	                       conf_url(a, scheme, u->user, u->password, "127.0.0.1", port,
	                                u->database, NULL),
	                       SHORT_TIMEOUT_MS, VIGIL_DB_ERR_TIMEOUT, deadline);
	close(fd);
}

static void sqlite_file_cases(run *r)
{
	vg_arena *a = r->c.arena;
	double deadline = SHORT_TIMEOUT_MS + SLACK_MS;
	char *missing = vg_arena_printf(a, "sqlite:///%s/missing.db", r->tmpdir);
	expect_connect_failure(r, "connect_missing_file", missing, SHORT_TIMEOUT_MS,
	                       VIGIL_DB_ERR_NO_DATABASE, deadline);
	if (access(vg_arena_printf(a, "%s/missing.db", r->tmpdir), F_OK) == 0)
		conf_fail(&r->c, "connect_missing_file_not_created", "connecting created the file");
	else
		conf_ok(&r->c, "connect_missing_file_not_created", NULL);

	char *dir = vg_arena_printf(a, "%s/folder.db", r->tmpdir);
	mkdir(dir, 0755);
	expect_connect_failure(r, "connect_directory", vg_arena_printf(a, "sqlite:///%s", dir),
	                       SHORT_TIMEOUT_MS, VIGIL_DB_ERR_NO_DATABASE, deadline);
	rmdir(dir);

	char *junk = vg_arena_printf(a, "%s/junk.db", r->tmpdir);
	FILE *f = fopen(junk, "w");
	if (f) {
		for (int i = 0; i < 64; i++)
			fputs("this is not an SQLite database, just text. ", f);
		fclose(f);
	}
	/* Not a database: the driver must say so (kind OTHER: the file exists, it is not one). */
	vigil_db_error err;
	vg_db *db = NULL;
	if (open_db(r, &db, vg_arena_printf(a, "sqlite:///%s", junk), SHORT_TIMEOUT_MS, &err) == 0) {
		vigil_conn *conn = NULL;
		if (vg_db_connect(db, &conn, &err) == 0) {
			vg_db_disconnect(db, conn);
			conf_fail(&r->c, "connect_not_a_database", "connected to a text file");
		} else {
			conf_err(&r->c, &err);
			conf_check(&r->c, "connect_not_a_database",
			           err.kind != VIGIL_DB_OK && strstr(err.message, "junk.db") != NULL,
			           "kind %s, message does not name the file: %s",
			           vg_db_error_kind_name(err.kind), err.message);
		}
		close_db(r, db);
	} else {
		conf_fail(&r->c, "connect_not_a_database", "open: %s", err.message);
	}
	unlink(junk);
}

static int connect_good(run *r)
{
	vigil_db_error err;
	if (open_db(r, &r->db, r->url, 0, &err) != 0) {
		conf_fail(&r->c, "connect_good", "open: %s", err.message);
		return -1;
	}
	if (vg_db_connect(r->db, &r->conn, &err) != 0) {
		conf_fail(&r->c, "connect_good", "%s: %s", vg_db_error_kind_name(err.kind),
		          conf_err(&r->c, &err));
		return -1;
	}
	const vigil_driver *d = vg_db_driver(r->db);
	char version[128] = "", user[128] = "", database[512] = "";
	int tls = -1;
	if (d->ping && d->ping(r->conn, &err) != 0) {
		conf_fail(&r->c, "connect_good", "ping: %s", conf_err(&r->c, &err));
		return -1;
	}
	if (d->server_version && d->server_version(r->conn, version, sizeof version, &err) != 0)
		conf_err(&r->c, &err);
	if (d->session_info &&
	    d->session_info(r->conn, user, sizeof user, database, sizeof database, &tls, &err) != 0)
		conf_err(&r->c, &err);
	conf_message(&r->c, version);
	conf_message(&r->c, database);
	int expect_db = r->c.type != VG_DB_SQLITE;
	conf_check(&r->c, "connect_good", version[0] && (!expect_db || strcmp(database, r->parsed->database) == 0),
	           "version \"%s\", database \"%s\"", version, database);
	printf("  server %s, user \"%s\", database \"%s\", tls %d\n", version, user,
	       r->c.type == VG_DB_SQLITE ? "(file)" : database, tls);
	return 0;
}

/* ---------------------------------------------------------------- query */

static void query_cases(run *r)
{
	vigil_db_error err;
	exec_sql(r, "DROP TABLE IF EXISTS conf_q", &err);
	char *create = vg_arena_printf(r->c.arena,
	                               "CREATE TABLE conf_q (id INTEGER NOT NULL PRIMARY KEY, s %s)",
	                               text_type(r->c.type));
	if (exec_sql(r, create, &err) != 0) {
		conf_fail(&r->c, "query_setup", "%s", err.message);
		return;
	}
	static const char *const values[] = {
		"it's", "say \"hi\"", "back\\slash \\n \\", "unicode: h\xc3\xa9llo \xe2\x80\x94 "
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x8e\x89 \xf0\x9f\xa6\x80",
		NULL, "?", "'; DROP TABLE conf_q; --", "",
	};
	size_t n = sizeof values / sizeof values[0];
	int ok = 1;
	for (size_t i = 0; i < n && ok; i++) {
		char id[16];
		snprintf(id, sizeof id, "%zu", i + 1);
		const char *params[2] = { id, values[i] };
		unsigned long long affected = 0;
		if (vg_db_query(r->db, r->conn, "INSERT INTO conf_q (id, s) VALUES (?, ?)", 2, params,
		                NULL, NULL, &affected, &err) != 0) {
			conf_fail(&r->c, "query_insert_params", "value %zu: %s", i + 1, conf_err(&r->c, &err));
			ok = 0;
		} else if (affected != 1) {
			conf_fail(&r->c, "query_insert_params", "value %zu: rows_affected %llu, expected 1",
			          i + 1, affected);
			ok = 0;
		}
	}
	if (ok)
		conf_ok(&r->c, "query_insert_params", NULL);

	/* Read back each value; a literal '?' in the SQL is not a placeholder. */
	int read_ok = ok;
	for (size_t i = 0; i < n && read_ok; i++) {
		char id[16];
		snprintf(id, sizeof id, "%zu", i + 1);
		const char *params[1] = { id };
		rows rs;
		memset(&rs, 0, sizeof rs);
		if (vg_db_query(r->db, r->conn, "SELECT s, '?' FROM conf_q WHERE id = ?", 1, params,
		                collect, &rs, NULL, &err) != 0) {
			conf_fail(&r->c, "query_roundtrip", "value %zu: %s", i + 1, conf_err(&r->c, &err));
			read_ok = 0;
		} else if (rs.count != 1 || rs.columns != 2) {
			conf_fail(&r->c, "query_roundtrip", "value %zu: %zu rows of %zu columns", i + 1,
			          rs.count, rs.columns);
			read_ok = 0;
		} else if (!values[i] ? !rs.is_null[0]
		                      : rs.is_null[0] || rs.length[0] != strlen(values[i]) ||
		                            strcmp(rs.first[0], values[i]) != 0) {
			conf_fail(&r->c, "query_roundtrip", "value %zu came back as %s%s%s (%zu bytes)",
			          i + 1, rs.is_null[0] ? "NULL" : "\"", rs.is_null[0] ? "" : rs.first[0],
			          rs.is_null[0] ? "" : "\"", rs.length[0]);
			read_ok = 0;
		}
		rows_free(&rs);
	}
	if (read_ok)
		conf_ok(&r->c, "query_roundtrip", "quotes, backslashes, 4-byte UTF-8, NULL, '?', empty");

	/* A parameter used in WHERE, and rows_affected of a multi-row DELETE. */
	const char *five[1] = { "5" };
	unsigned long long affected = 0;
	if (vg_db_query(r->db, r->conn, "DELETE FROM conf_q WHERE id >= ?", 1, five, NULL, NULL,
	                &affected, &err) != 0)
		conf_fail(&r->c, "query_rows_affected", "%s", conf_err(&r->c, &err));
	else
		conf_check(&r->c, "query_rows_affected", affected == n - 4,
		           "DELETE reported %llu rows, expected %zu", affected, n - 4);

	/* A failing statement: SQL error kind, message present. */
	if (vg_db_exec(r->db, r->conn, "SELECT no_such_column FROM conf_q", &err) == 0)
		conf_fail(&r->c, "query_sql_error", "a bad statement succeeded");
	else
		conf_check(&r->c, "query_sql_error", err.kind == VIGIL_DB_ERR_SQL && err.message[0],
		           "kind %s: %s", vg_db_error_kind_name(err.kind), conf_err(&r->c, &err));
	exec_sql(r, "DROP TABLE IF EXISTS conf_q", &err);
}

/* ---------------------------------------------------------------- transactions */

static vg_schema *live_schema(run *r, vg_arena *arena, unsigned *trips, vigil_db_error *err)
{
	vg_schema *live = NULL;
	if (vg_db_introspect(r->db, r->conn, arena, NULL, NULL, &live, trips, err) != 0) {
		conf_err(&r->c, err);
		return NULL;
	}
	return live;
}

static void transaction_cases(run *r)
{
	vigil_db_error err;
	char count[32];
	exec_sql(r, "DROP TABLE IF EXISTS conf_tx", &err);
	if (exec_sql(r, "CREATE TABLE conf_tx (id INTEGER NOT NULL PRIMARY KEY)", &err) != 0) {
		conf_fail(&r->c, "tx_setup", "%s", err.message);
		return;
	}
	const char *one[1] = { "1" }, *two[1] = { "2" };
	if (vg_db_begin(r->db, r->conn, &err) != 0 ||
	    vg_db_query(r->db, r->conn, "INSERT INTO conf_tx (id) VALUES (?)", 1, one, NULL, NULL,
	                NULL, &err) != 0 ||
	    vg_db_rollback(r->db, r->conn, &err) != 0 ||
	    query_value(r, r->conn, "SELECT COUNT(*) FROM conf_tx", 0, NULL, count, sizeof count, &err) != 0)
		conf_fail(&r->c, "tx_rollback", "%s", conf_err(&r->c, &err));
	else
		conf_check(&r->c, "tx_rollback", strcmp(count, "0") == 0,
		           "after ROLLBACK the table has %s rows, expected 0", count);

	if (vg_db_begin(r->db, r->conn, &err) != 0 ||
	    vg_db_query(r->db, r->conn, "INSERT INTO conf_tx (id) VALUES (?)", 1, two, NULL, NULL,
	                NULL, &err) != 0 ||
	    vg_db_commit(r->db, r->conn, &err) != 0 ||
	    query_value(r, r->conn, "SELECT COUNT(*) FROM conf_tx", 0, NULL, count, sizeof count, &err) != 0)
		conf_fail(&r->c, "tx_commit", "%s", conf_err(&r->c, &err));
	else
		conf_check(&r->c, "tx_commit", strcmp(count, "1") == 0,
		           "after COMMIT the table has %s rows, expected 1", count);

	const vigil_driver *d = vg_db_driver(r->db);
	int expected = r->c.type != VG_DB_MYSQL;
	if (!conf_check(&r->c, "tx_ddl_flag", d->transactional_ddl == expected,
	                "transactional_ddl is %d, expected %d", d->transactional_ddl, expected)) {
		exec_sql(r, "DROP TABLE IF EXISTS conf_tx", &err);
		return;
	}
	if (d->transactional_ddl) {
		exec_sql(r, "DROP TABLE IF EXISTS conf_tx_ddl", &err);
		vg_arena *arena = vg_arena_new();
		vg_schema *live = NULL;
		if (vg_db_begin(r->db, r->conn, &err) != 0 ||
		    vg_db_exec(r->db, r->conn, "CREATE TABLE conf_tx_ddl (id INTEGER)", &err) != 0 ||
		    vg_db_rollback(r->db, r->conn, &err) != 0 || !(live = live_schema(r, arena, NULL, &err)))
			conf_fail(&r->c, "tx_ddl_rollback", "%s", conf_err(&r->c, &err));
		else
			conf_check(&r->c, "tx_ddl_rollback", !vg_schema_table_get(live, "conf_tx_ddl"),
			           "conf_tx_ddl exists after ROLLBACK");
		vg_arena_free(arena);
		exec_sql(r, "DROP TABLE IF EXISTS conf_tx_ddl", &err);
	} else {
		conf_ok(&r->c, "tx_ddl_rollback", "skipped: DDL is not transactional on %s",
		        r->c.db_name);
	}
	exec_sql(r, "DROP TABLE IF EXISTS conf_tx", &err);
}

/* ---------------------------------------------------------------- round trip */

static vg_schema *declared_schema(run *r, vg_arena *arena)
{
	char *text = vg_arena_printf(arena, round_trip_yaml, r->c.db_name, "sqlite::memory:");
	vg_yaml_error yerr;
	const vg_node *root = vg_yaml_parse(arena, "conformance.yaml", text, strlen(text), &yerr);
	if (!root) {
		conf_fail(&r->c, "roundtrip_blueprint", "YAML: %s (line %u)", yerr.message, yerr.line);
		return NULL;
	}
	vg_blueprint *bp = vg_blueprint_build(arena, "conformance.yaml", root, NULL);
	const vg_database *db = bp ? vg_blueprint_database(bp, "main") : NULL;
	vg_schema *declared = db ? vg_schema_from_declared(arena, db) : NULL;
	if (!declared || declared->table_count != 3) {
		conf_fail(&r->c, "roundtrip_blueprint", "the embedded blueprint did not model 3 tables");
		return NULL;
	}
	for (size_t i = 0; i < declared->problem_count; i++)
		printf("  declared schema problem: %s\n", declared->problems[i]);
	return declared;
}

static size_t print_diff(run *r, vg_arena *arena, const vg_schema *declared,
                         const vg_schema *live, const char *name)
{
	vg_schema_diff_result diff;
	if (vg_schema_diff(arena, declared, live, NULL, 0, &diff) != 0) {
		conf_fail(&r->c, name, "the diff failed");
		return (size_t)-1;
	}
	/* Tables the live side has beyond the declared ones are other cases' business. */
	printf("  %s: compared %zu tables, %zu columns\n", name, diff.tables_compared,
	       diff.columns_compared);
	size_t count = 0;
	for (size_t i = 0; i < diff.count; i++) {
		if (diff.items[i].kind == VG_SCHEMA_EXTRA_TABLE)
			continue;
		printf("  difference: %s\n", vg_schema_diff_describe(arena, &diff.items[i]));
		count++;
	}
	return count;
}

/* The diff must see drift too: a column added through the driver's ADD_COLUMN is one
 * extra_column, and dropping it again (DROP_COLUMN) leaves no difference. */
static void drift_case(run *r, vg_arena *arena, const vg_schema *declared)
{
	vigil_db_error err;
	vigil_ddl_column column = { "conf_extra", "varchar(10)", 1, NULL, 0, 0, 0 };
	vigil_ddl_change change = { .size = (uint32_t)sizeof change, .kind = VIGIL_DDL_ADD_COLUMN,
		                        .table = "conf_owners", .columns = &column, .column_count = 1 };
	char *sql = NULL;
	if (vg_db_render(r->db, &change, arena, &sql, &err) != 0 ||
	    vg_db_exec_script(r->db, r->conn, sql, &err) != 0) {
		conf_fail(&r->c, "drift_detected", "ADD_COLUMN: %s", conf_err(&r->c, &err));
		return;
	}
	vg_schema *live = live_schema(r, arena, NULL, &err);
	vg_schema_diff_result diff;
	if (!live || vg_schema_diff(arena, declared, live, NULL, 0, &diff) != 0) {
		conf_fail(&r->c, "drift_detected", "introspect/diff failed: %s", err.message);
		return;
	}
	size_t extra = 0, other = 0;
	for (size_t i = 0; i < diff.count; i++) {
		if (diff.items[i].kind == VG_SCHEMA_EXTRA_COLUMN &&
		    strcmp(diff.items[i].object, "conf_extra") == 0)
			extra++;
		else if (diff.items[i].kind != VG_SCHEMA_EXTRA_TABLE)
			other++;
	}
	conf_check(&r->c, "drift_detected", extra == 1 && other == 0,
	           "after ADD_COLUMN: %zu extra_column conf_extra, %zu other differences", extra, other);
	change.kind = VIGIL_DDL_DROP_COLUMN;
	if (vg_db_render(r->db, &change, arena, &sql, &err) != 0 ||
	    vg_db_exec_script(r->db, r->conn, sql, &err) != 0 ||
	    !(live = live_schema(r, arena, NULL, &err))) {
		conf_fail(&r->c, "drift_dropped", "DROP_COLUMN: %s", conf_err(&r->c, &err));
		return;
	}
	size_t left = print_diff(r, arena, declared, live, "drift_dropped");
	conf_check(&r->c, "drift_dropped", left == 0, "%zu differences after DROP_COLUMN", left);
}

static void round_trip_case(run *r, vg_arena *arena, const vg_schema *declared)
{
	vigil_db_error err;
	if (vg_db_create_declared(r->db, r->conn, declared, &err) != 0) {
		conf_fail(&r->c, "roundtrip_create", "%s", conf_err(&r->c, &err));
		return;
	}
	conf_ok(&r->c, "roundtrip_create", "3 tables through the driver's DDL");
	unsigned trips = 0;
	vg_schema *live = live_schema(r, arena, &trips, &err);
	if (!live) {
		conf_fail(&r->c, "roundtrip_introspect", "%s", err.message);
		return;
	}
	int all = vg_schema_table_get(live, "conf_owners") && vg_schema_table_get(live, "conf_items") &&
	          vg_schema_table_get(live, "conf_tags");
	conf_check(&r->c, "roundtrip_introspect", all, "the created tables are not all there");
	size_t differences = print_diff(r, arena, declared, live, "roundtrip_no_drift");
	if (differences != (size_t)-1)
		conf_check(&r->c, "roundtrip_no_drift", differences == 0,
		           "%zu differences between the declared and the introspected schema (listed above)",
		           differences);
	if (differences == 0)
		drift_case(r, arena, declared);
}

/* ---------------------------------------------------------------- constant round trips */

/* n tables conf_rt_NNN: id PK, name unique, ref_id FK to the previous table, an index. */
static vg_schema *chain_schema(vg_arena *arena, vg_db_type type, int n)
{
	vg_schema *s = vg_schema_new(arena, type, NULL);
	if (!s)
		return NULL;
	s->declared = 1;
	for (int i = 1; i <= n; i++) {
		vg_schema_table *t = NULL;
		char *name = vg_arena_printf(arena, "conf_rt_%03d", i);
		if (vg_schema_add_table(&t, s, name) != 0)
			return NULL;
		vg_schema_table_add_column(NULL, t, "id", "integer", 0, NULL, 0);
		vg_schema_table_add_column(NULL, t, "name", "varchar(50)", 0, NULL, 0);
		vg_schema_table_add_column(NULL, t, "ref_id", "integer", 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "created", "date", 1, NULL, 0);
		const char *pk[] = { "id" }, *uq[] = { "name" }, *ix[] = { "created" }, *fk[] = { "ref_id" };
		vg_schema_table_set_primary_key(t, NULL, pk, 1);
		vg_schema_table_add_unique(NULL, t, NULL, uq, 1);
		vg_schema_table_add_index(NULL, t, vg_arena_printf(arena, "conf_rt_%03d_created", i), ix,
		                          1, 0);
		if (i > 1)
			vg_schema_table_add_foreign_key(NULL, t, NULL, fk, 1,
			                                vg_arena_printf(arena, "conf_rt_%03d", i - 1), pk, 1,
			                                "cascade", NULL);
	}
	return vg_schema_finish(s) == 0 ? s : NULL;
}

static void round_trips_case(run *r)
{
	unsigned trips[2] = { 0, 0 };
	const int sizes[2] = { 3, 30 };
	vigil_db_error err;
	for (int k = 0; k < 2; k++) {
		vg_arena *arena = vg_arena_new();
		vg_schema *chain = chain_schema(arena, r->c.type, sizes[k]);
		vg_schema *live = NULL;
		if (!chain || vg_db_create_declared(r->db, r->conn, chain, &err) != 0) {
			conf_fail(&r->c, "introspect_round_trips", "creating %d tables: %s", sizes[k],
			          chain ? conf_err(&r->c, &err) : "out of memory");
		} else if ((live = live_schema(r, arena, &trips[k], &err)) == NULL) {
			conf_fail(&r->c, "introspect_round_trips", "%s", err.message);
		} else {
			size_t d = print_diff(r, arena, chain, live, "introspect_round_trips");
			if (d != 0 && d != (size_t)-1)
				conf_fail(&r->c, "introspect_chain_no_drift", "%zu differences on %d tables", d,
				          sizes[k]);
		}
		if (chain && vg_db_drop_declared(r->db, r->conn, chain, &err) != 0)
			conf_fail(&r->c, "introspect_round_trips", "dropping: %s", conf_err(&r->c, &err));
		vg_arena_free(arena);
	}
	conf_check(&r->c, "introspect_round_trips", trips[0] > 0 && trips[0] == trips[1],
	           "%u round trips for 3 tables, %u for 30", trips[0], trips[1]);
	printf("  round trips: %u (3 tables), %u (30 tables)\n", trips[0], trips[1]);
}

/* ---------------------------------------------------------------- healing proposals */

/* The schema the healing case converges to (%s: the database type), and the drift it starts
 * from: conf_fix_labels missing; conf_fix_projects with an extra column and index;
 * conf_fix_tasks with the wrong type for title (%s), no priority, no index, no foreign key. */
static const char fix_declared_yaml[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: conformance_fix\n"
	"  components: []\n"
	"  databases:\n"
	"    main:\n"
	"      type: %s\n"
	"      url: \"sqlite::memory:\"\n"
	"      schema:\n"
	"        tables:\n"
	"          - name: conf_fix_projects\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: name, type: varchar(100), nullable: false}\n"
	"          - name: conf_fix_tasks\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: title, type: varchar(200), nullable: false}\n"
	"              - {name: done, type: boolean, nullable: false, default: false}\n"
	"              - {name: project_id, type: integer}\n"
	"              - {name: priority, type: integer, nullable: false, default: 0}\n"
	"            indexes:\n"
	"              - {name: conf_fix_tasks_done_idx, columns: [done]}\n"
	"            foreign_keys:\n"
	"              - columns: [project_id]\n"
	"                references: {table: conf_fix_projects, columns: [id]}\n"
	"                on_delete: cascade\n"
	"          - name: conf_fix_labels\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true}\n"
	"              - {name: task_id, type: integer, nullable: false}\n"
	"              - {name: name, type: varchar(40), nullable: false}\n"
	"            foreign_keys:\n"
	"              - columns: [task_id]\n"
	"                references: {table: conf_fix_tasks, columns: [id]}\n";

static const char fix_drifted_yaml[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: conformance_fix\n"
	"  components: []\n"
	"  databases:\n"
	"    main:\n"
	"      type: %s\n"
	"      url: \"sqlite::memory:\"\n"
	"      schema:\n"
	"        tables:\n"
	"          - name: conf_fix_projects\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: name, type: varchar(100), nullable: false}\n"
	"              - {name: archived, type: integer}\n"
	"            indexes:\n"
	"              - {name: conf_fix_projects_archived_idx, columns: [archived]}\n"
	"          - name: conf_fix_tasks\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: title, type: %s, nullable: false}\n"
	"              - {name: done, type: boolean, nullable: false, default: false}\n"
	"              - {name: project_id, type: integer}\n";

static vg_schema *fix_schema(run *r, vg_arena *arena, const char *yaml)
{
	vg_yaml_error yerr;
	const vg_node *root = vg_yaml_parse(arena, "fix.yaml", yaml, strlen(yaml), &yerr);
	vg_blueprint *bp = root ? vg_blueprint_build(arena, "fix.yaml", root, NULL) : NULL;
	const vg_database *db = bp ? vg_blueprint_database(bp, "main") : NULL;
	vg_schema *s = db ? vg_schema_from_declared(arena, db) : NULL;
	if (!s)
		conf_fail(&r->c, "heal_setup", "an embedded blueprint did not model (%s)",
		          root ? "blueprint" : yerr.message);
	return s;
}

/* Every kind the diff knows at once (SQLite: no auto-increment mismatch on conf_fixk_seqs,
 * where the rowid always is one): the declared side. */
static const char kinds_declared_yaml[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: conformance_fix\n"
	"  components: []\n"
	"  databases:\n"
	"    main:\n"
	"      type: %s\n"
	"      url: \"sqlite::memory:\"\n"
	"      schema:\n"
	"        tables:\n"
	"          - name: conf_fixk_parents\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: name, type: varchar(50), nullable: false}\n"
	"          - name: conf_fixk_tasks\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: title, type: varchar(200), nullable: false}\n"
	"              - {name: done, type: boolean, nullable: false, default: false}\n"
	"              - {name: owner_id, type: integer}\n"
	"              - {name: code, type: varchar(20)}\n"
	"            unique: [[code]]\n"
	"            indexes:\n"
	"              - {name: conf_fixk_tasks_title_idx, columns: [title]}\n"
	"              - {name: conf_fixk_tasks_done_idx, columns: [done]}\n"
	"            foreign_keys:\n"
	"              - name: conf_fixk_tasks_owner_fk\n"
	"                columns: [owner_id]\n"
	"                references: {table: conf_fixk_parents, columns: [id]}\n"
	"                on_delete: cascade\n"
	"          - name: conf_fixk_items\n"
	"            columns:\n"
	"              - {name: id, type: integer, nullable: false}\n"
	"              - {name: seq, type: integer, nullable: false}\n"
	"            primary_key: [id, seq]\n"
	"          - name: conf_fixk_links\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true}\n"
	"              - {name: a, type: integer}\n"
	"            foreign_keys:\n"
	"              - name: conf_fixk_links_a_fk\n"
	"                columns: [a]\n"
	"                references: {table: conf_fixk_parents, columns: [id]}\n"
	"                on_delete: cascade\n"
	"          - name: conf_fixk_seqs\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n";

/* ... and the drift: a nullability, a type (%s), a default, an auto-increment and a primary
 * key mismatch; a unique, an index and a foreign key missing, extra and mismatched; an extra
 * column and an extra table. */
static const char kinds_drifted_yaml[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: conformance_fix\n"
	"  components: []\n"
	"  databases:\n"
	"    main:\n"
	"      type: %s\n"
	"      url: \"sqlite::memory:\"\n"
	"      schema:\n"
	"        tables:\n"
	"          - name: conf_fixk_parents\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: name, type: varchar(50)}\n"
	"          - name: conf_fixk_tasks\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true, auto_increment: true}\n"
	"              - {name: title, type: %s, nullable: false}\n"
	"              - {name: done, type: boolean, nullable: false, default: true}\n"
	"              - {name: owner_id, type: integer}\n"
	"              - {name: code, type: varchar(20)}\n"
	"              - {name: legacy, type: integer}\n"
	"            unique: [[legacy]]\n"
	"            indexes:\n"
	"              - {name: conf_fixk_tasks_done_idx, columns: [code]}\n"
	"              - {name: conf_fixk_tasks_legacy_idx, columns: [legacy]}\n"
	"            foreign_keys:\n"
	"              - name: conf_fixk_tasks_extra_fk\n"
	"                columns: [legacy]\n"
	"                references: {table: conf_fixk_parents, columns: [id]}\n"
	"          - name: conf_fixk_items\n"
	"            columns:\n"
	"              - {name: id, type: integer, nullable: false}\n"
	"              - {name: seq, type: integer, nullable: false}\n"
	"            primary_key: [id]\n"
	"          - name: conf_fixk_links\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true}\n"
	"              - {name: a, type: integer}\n"
	"            foreign_keys:\n"
	"              - name: conf_fixk_links_a_fk\n"
	"                columns: [a]\n"
	"                references: {table: conf_fixk_parents, columns: [id]}\n"
	"                on_delete: restrict\n"
	"          - name: conf_fixk_seqs\n"
	"            columns:\n"
	"              - {name: id, type: integer, primary_key: true}\n"
	"          - name: conf_fixk_old\n"
	"            columns:\n"
	"              - {name: x, type: integer}\n";

/* The live schema and its differences from `declared`, other cases' tables left out. */
static int fix_compare(run *r, vg_arena *arena, const vg_schema *declared, vg_schema **live,
                       vg_schema_diff_result *diff, vigil_db_error *err)
{
	if (!(*live = live_schema(r, arena, NULL, err)))
		return -1;
	const char **others = vg_arena_array(arena, (*live)->table_count + 1, sizeof *others);
	size_t n = 0;
	for (size_t i = 0; others && i < (*live)->table_count; i++)
		if (strncmp((*live)->tables[i]->name, "conf_fix", 8) != 0)
			others[n++] = (*live)->tables[i]->name;
	return others && vg_schema_diff(arena, declared, *live, others, n, diff) == 0 ? 0 : -1;
}

/* One healing scenario: the schema drifted to, its rows, the kinds of difference the drift
 * must show, and a query whose value proves the rows survived. */
typedef struct heal_scenario {
	const char *name;                 /* case prefix */
	const char *declared_yaml;        /* %s: the database type */
	const char *drifted_yaml;         /* %s: the type, then the wrong type of a title */
	const char *rows;                 /* INSERTs into the drifted schema */
	const vg_schema_diff_kind *kinds; /* the drift shows each of these */
	size_t kind_count;
	const char *checks[3][2];         /* queries of one value, and the value expected after
	                                     healing (NULL: no more) */
} heal_scenario;

/* Runs the proposals in apply order inside one transaction. SQLite rebuilds of tables that
 * others reference need foreign keys off, which only works outside a transaction: as their
 * note says, the applier switches them off around it and checks the keys afterwards. */
static const char *apply_fixes(run *r, vg_arena *arena, const vg_schema_diff_result *diff,
                               const vg_schema_fix *fixes, const size_t *order, size_t *applied)
{
	vigil_db_error err;
	const char *failed_on = NULL;
	int sqlite = r->c.type == VG_DB_SQLITE;
	if ((sqlite && exec_sql(r, "PRAGMA foreign_keys = OFF", &err) != 0) ||
	    vg_db_begin(r->db, r->conn, &err) != 0)
		return vg_arena_printf(arena, "BEGIN: %s", conf_err(&r->c, &err));
	for (size_t k = 0; k < diff->count && !failed_on; k++) {
		const vg_schema_fix *f = &fixes[order[k]];
		printf("  proposal (%s, order %d%s) for %s\n",
		       f->risk == VIGIL_RISK_SAFE ? "safe" : f->risk == VIGIL_RISK_DATA_DEPENDENT ? "data-dependent" : "destructive",
		       f->order, f->covered_by != SIZE_MAX ? ", covered" : f->rebuild ? ", rebuild" : "",
		       vg_schema_diff_describe(arena, &diff->items[order[k]]));
		if (!f->sql) {
			if (f->covered_by == SIZE_MAX)
				failed_on = vg_arena_printf(arena, "no SQL: %s", f->note ? f->note : "?");
			continue;
		}
		if (vg_db_exec_script(r->db, r->conn, f->sql, &err) != 0)
			failed_on = vg_arena_printf(arena, "%s\n%s", f->sql, conf_err(&r->c, &err));
		else
			(*applied)++;
	}
	if (failed_on)
		vg_db_rollback(r->db, r->conn, &err);
	else if (vg_db_commit(r->db, r->conn, &err) != 0)
		failed_on = vg_arena_printf(arena, "COMMIT: %s", conf_err(&r->c, &err));
	if (sqlite) {
		char broken[64] = "";
		exec_sql(r, "PRAGMA foreign_keys = ON", &err);
		if (!failed_on && query_value(r, r->conn, "PRAGMA foreign_key_check", 0, NULL, broken,
		                              sizeof broken, &err) == 0 && broken[0])
			failed_on = vg_arena_printf(arena, "foreign_key_check: rows of %s break a key", broken);
	}
	return failed_on;
}

/*
 * Healing converges: a drifted schema and its rows; every proposal of vg_schema_fix_make_all
 * applied in its order inside one transaction; the schema compared again shows no
 * difference, and the rows are still there.
 */
static void heal_case(run *r, const heal_scenario *sc)
{
	vigil_db_error err;
	vg_arena *arena = vg_arena_new();
	const char *type = r->c.db_name;
	/* SQLite: text and varchar are one type (TEXT affinity); INTEGER is another */
	const char *wrong = r->c.type == VG_DB_SQLITE ? "integer" : "text";
	char *setup = vg_arena_printf(arena, "%s_setup", sc->name);
	char *seen = vg_arena_printf(arena, "%s_drift_seen", sc->name);
	char *apply = vg_arena_printf(arena, "%s_apply", sc->name);
	char *converged = vg_arena_printf(arena, "%s_converged", sc->name);
	char *kept = vg_arena_printf(arena, "%s_rows_kept", sc->name);
	vg_schema *declared = fix_schema(r, arena, vg_arena_printf(arena, sc->declared_yaml, type));
	vg_schema *drifted = fix_schema(r, arena, vg_arena_printf(arena, sc->drifted_yaml, type, wrong));
	vg_schema *live = NULL;
	vg_schema_diff_result diff;
	if (!declared || !drifted)
		goto done;
	vg_db_drop_declared(r->db, r->conn, drifted, &err); /* an earlier run's, if any */
	vg_db_drop_declared(r->db, r->conn, declared, &err);
	if (vg_db_create_declared(r->db, r->conn, drifted, &err) != 0 ||
	    vg_db_exec_script(r->db, r->conn, sc->rows, &err) != 0) {
		conf_fail(&r->c, setup, "drifting: %s", conf_err(&r->c, &err));
		goto done;
	}
	if (fix_compare(r, arena, declared, &live, &diff, &err) != 0) {
		conf_fail(&r->c, setup, "comparing: %s", conf_err(&r->c, &err));
		goto done;
	}
	const char *absent = NULL;
	for (size_t k = 0; k < sc->kind_count && !absent; k++) {
		int found = 0;
		for (size_t i = 0; i < diff.count; i++)
			found |= diff.items[i].kind == sc->kinds[k];
		if (!found)
			absent = vg_schema_diff_kind_name(sc->kinds[k]);
	}
	if (!conf_check(&r->c, seen, !absent, "the drift shows no %s", absent))
		goto done;
	vg_schema_fix *fixes = NULL;
	size_t *order = NULL, applied = 0;
	if (vg_schema_fix_make_all(r->db, arena, declared, live, &diff, &fixes, &order, &err) != 0) {
		conf_fail(&r->c, apply, "proposals: %s", conf_err(&r->c, &err));
		goto done;
	}
	const char *failed_on = apply_fixes(r, arena, &diff, fixes, order, &applied);
	if (failed_on) {
		conf_fail(&r->c, apply, "%s", failed_on);
		goto done;
	}
	conf_ok(&r->c, apply, "%zu proposals for %zu differences", applied, diff.count);
	if (fix_compare(r, arena, declared, &live, &diff, &err) != 0) {
		conf_fail(&r->c, converged, "comparing: %s", conf_err(&r->c, &err));
		goto done;
	}
	for (size_t i = 0; i < diff.count; i++)
		printf("  left: %s\n", vg_schema_diff_describe(arena, &diff.items[i]));
	conf_check(&r->c, converged, diff.count == 0, "%zu differences after healing", diff.count);
	const char *wrong_value = NULL;
	for (size_t i = 0; i < 3 && sc->checks[i][0] && !wrong_value; i++) {
		char value[64] = "";
		if (query_value(r, r->conn, sc->checks[i][0], 0, NULL, value, sizeof value, &err) != 0)
			wrong_value = err.message;
		else if (strcmp(value, sc->checks[i][1]) != 0)
			wrong_value = vg_arena_printf(arena, "%s: \"%s\", expected \"%s\"", sc->checks[i][0],
			                              value, sc->checks[i][1]);
	}
	conf_check(&r->c, kept, !wrong_value, "%s", wrong_value ? wrong_value : "");
done:
	if (drifted)
		vg_db_drop_declared(r->db, r->conn, drifted, &err);
	if (declared && vg_db_drop_declared(r->db, r->conn, declared, &err) != 0)
		printf("  cleanup: %s\n", conf_err(&r->c, &err));
	vg_arena_free(arena);
}

static void schema_fix_cases(run *r)
{
	/* the drift a schema check must see: a missing table, a missing column, a wrong type, a missing
	 * index, a missing foreign key, an extra column, an extra index */
	static const vg_schema_diff_kind drift[] = {
		VG_SCHEMA_MISSING_TABLE, VG_SCHEMA_MISSING_COLUMN, VG_SCHEMA_EXTRA_COLUMN,
		VG_SCHEMA_TYPE_MISMATCH, VG_SCHEMA_MISSING_INDEX, VG_SCHEMA_EXTRA_INDEX,
		VG_SCHEMA_MISSING_FOREIGN_KEY,
	};
	const heal_scenario basic = {
		"heal", fix_declared_yaml, fix_drifted_yaml,
		"INSERT INTO conf_fix_projects (id, name, archived) VALUES (1, 'p1', 0);\n"
		"INSERT INTO conf_fix_tasks (id, title, done, project_id) VALUES (1, 't1', FALSE, 1);\n"
		"INSERT INTO conf_fix_tasks (id, title, done, project_id) VALUES (2, 't2', TRUE, NULL);\n",
		drift, sizeof drift / sizeof drift[0],
		{ { "SELECT COUNT(*) FROM conf_fix_tasks", "2" },
		  { "SELECT title FROM conf_fix_tasks WHERE id = 1", "t1" },
		  { "SELECT COUNT(*) FROM conf_fix_projects", "1" } },
	};
	static const vg_schema_diff_kind every[] = {
		VG_SCHEMA_EXTRA_TABLE, VG_SCHEMA_EXTRA_COLUMN, VG_SCHEMA_TYPE_MISMATCH,
		VG_SCHEMA_NULLABILITY_MISMATCH, VG_SCHEMA_DEFAULT_MISMATCH,
		VG_SCHEMA_PRIMARY_KEY_MISMATCH, VG_SCHEMA_MISSING_UNIQUE, VG_SCHEMA_EXTRA_UNIQUE,
		VG_SCHEMA_MISSING_INDEX, VG_SCHEMA_EXTRA_INDEX, VG_SCHEMA_INDEX_MISMATCH,
		VG_SCHEMA_MISSING_FOREIGN_KEY, VG_SCHEMA_EXTRA_FOREIGN_KEY,
		VG_SCHEMA_FOREIGN_KEY_MISMATCH, VG_SCHEMA_AUTO_INCREMENT_MISMATCH,
	};
	/* SQLite reports the auto-increment mismatch on conf_fixk_items (its rowid key) */
	const heal_scenario kinds = {
		"heal_kinds", kinds_declared_yaml, kinds_drifted_yaml,
		"INSERT INTO conf_fixk_parents (id, name) VALUES (1, 'p1');\n"
		"INSERT INTO conf_fixk_tasks (id, title, done, owner_id, code, legacy) VALUES (1, 't1', FALSE, 1, 'c1', 1);\n"
		"INSERT INTO conf_fixk_items (id, seq) VALUES (1, 1);\n"
		"INSERT INTO conf_fixk_links (id, a) VALUES (1, 1);\n"
		"INSERT INTO conf_fixk_seqs (id) VALUES (5);\n",
		every, sizeof every / sizeof every[0],
		{ { "SELECT COUNT(*) FROM conf_fixk_parents", "1" },
		  { "SELECT COUNT(*) FROM conf_fixk_links", "1" },
		  { "SELECT title FROM conf_fixk_tasks WHERE id = 1", "t1" } },
	};
	heal_case(r, &basic);
	heal_case(r, &kinds);
}

/* ---------------------------------------------------------------- privileges */

static void privilege_cases(run *r, vg_arena *arena)
{
	vigil_db_error err;
	vigil_privilege_sink *sink = NULL;
	static const char *const full[] = { "select", "insert", "update", "delete" };
	if (vg_db_privileges(r->db, r->conn, arena, NULL, &sink, &err) != 0) {
		conf_fail(&r->c, "privileges_full", "%s", conf_err(&r->c, &err));
	} else {
		const char *missing = NULL;
		for (size_t i = 0; i < 4 && !missing; i++)
			if (!vg_privilege_has(sink, "conf_owners", full[i]))
				missing = full[i];
		conf_check(&r->c, "privileges_full", !missing, "the owner lacks %s on conf_owners (%zu privileges reported)",
		           missing ? missing : "", sink->count);
	}

	const char *ro_url = r->ro_url;
	if (r->c.type == VG_DB_SQLITE) {
		chmod(r->sqlite_file, 0444);
		/* root ignores file modes: open it read-only as well, so the case means something */
		if (geteuid() == 0)
			ro_url = vg_arena_printf(arena, "%s?mode=ro", r->url);
		else
			ro_url = r->url;
	}
	if (!ro_url) {
		conf_fail(&r->c, "privileges_read_only", "no read-only URL given");
		return;
	}
	vg_db *ro = NULL;
	vigil_conn *conn = NULL;
	if (open_db(r, &ro, ro_url, 0, &err) != 0 || vg_db_connect(ro, &conn, &err) != 0) {
		conf_fail(&r->c, "privileges_read_only", "connect: %s", conf_err(&r->c, &err));
	} else if (vg_db_privileges(ro, conn, arena, NULL, &sink, &err) != 0) {
		conf_fail(&r->c, "privileges_read_only", "%s", conf_err(&r->c, &err));
	} else {
		int sel = vg_privilege_has(sink, "conf_owners", "select");
		int ins = vg_privilege_has(sink, "conf_owners", "insert");
		conf_check(&r->c, "privileges_read_only", sel && !ins,
		           "read-only user: select %s, insert %s (expected yes, no)", sel ? "yes" : "no",
		           ins ? "yes" : "no");
		const char *params[1] = { "ro@example.org" };
		if (vg_db_query(ro, conn, "INSERT INTO conf_owners (email) VALUES (?)", 1, params, NULL,
		                NULL, NULL, &err) == 0)
			conf_fail(&r->c, "privileges_insert_refused", "the read-only user inserted a row");
		else
			conf_check(&r->c, "privileges_insert_refused", err.kind == VIGIL_DB_ERR_PERMISSION,
			           "kind %s, expected PERMISSION: %s", vg_db_error_kind_name(err.kind),
			           conf_err(&r->c, &err));
	}
	if (conn)
		vg_db_disconnect(ro, conn);
	close_db(r, ro);
	if (r->c.type == VG_DB_SQLITE)
		chmod(r->sqlite_file, 0644);
}

/* ---------------------------------------------------------------- pool */

static void pool_case(run *r)
{
	vg_pool_connector connector;
	vg_db_pool_connector(r->db, &connector);
	vg_pool_config config = VG_POOL_CONFIG_INIT;
	config.min = 1;
	config.max = 2;
	char msg[256] = "";
	vg_pool *pool = NULL;
	if (vg_pool_new(&pool, &connector, &config, msg, sizeof msg) != 0) {
		conf_message(&r->c, msg);
		conf_fail(&r->c, "pool", "%s", msg);
		return;
	}
	void *a = NULL, *b = NULL;
	char value[16] = "";
	vigil_db_error err;
	int ok = vg_pool_acquire(&a, pool, 1000, msg, sizeof msg) == 0 &&
	         vg_pool_acquire(&b, pool, 1000, msg, sizeof msg) == 0 &&
	         query_value(r, b, "SELECT 1", 0, NULL, value, sizeof value, &err) == 0;
	conf_message(&r->c, msg);
	if (a)
		vg_pool_release(pool, a, 0);
	if (b)
		vg_pool_release(pool, b, 0);
	vg_pool_metrics m;
	vg_pool_metrics_get(pool, &m);
	vg_pool_free(pool);
	conf_check(&r->c, "pool", ok && strcmp(value, "1") == 0 && m.created == 2,
	           "two connections through the pool: %s (created %llu)", msg[0] ? msg : err.message,
	           (unsigned long long)m.created);
}

/* ---------------------------------------------------------------- main */

/* ---------------------------------------------------------------- defaults are data */

/* A column default reaches the SQL only as a literal or an allowed expression (docs/healing.md):
 * every value below that would end the statement, add a clause or hide SQL is refused by the
 * driver before anything runs, and conf_victim keeps its row; values that merely hold such
 * text inside a quoted literal are data, and read back exactly. */
static void defaults_cases(run *r)
{
	static const char *const hostile[] = {
		"(1)); DROP TABLE conf_victim; --",
		"1; DROP TABLE conf_victim",
		"'x'; DROP TABLE conf_victim; SELECT 'y'",
		"x'41'); DROP TABLE conf_victim; --",
		"1) , conf_smuggled INTEGER DEFAULT (2",
		"0 /* hidden */",
		"now() -- hidden",
		"'open",
		"(SELECT 1)",
		"1 + (SELECT COUNT(*) FROM conf_victim)",
	};
	static const char *const types[] = { "integer", "varchar(60)" };
	vigil_db_error err;
	vg_arena *arena = vg_arena_new();
	if (!arena || exec_sql(r, "DROP TABLE IF EXISTS conf_defaults", &err) != 0 ||
	    exec_sql(r, "DROP TABLE IF EXISTS conf_victim", &err) != 0 ||
	    exec_sql(r, "CREATE TABLE conf_victim (id INTEGER PRIMARY KEY)", &err) != 0 ||
	    exec_sql(r, "INSERT INTO conf_victim (id) VALUES (1)", &err) != 0 ||
	    exec_sql(r, "CREATE TABLE conf_defaults (id INTEGER PRIMARY KEY)", &err) != 0) {
		conf_fail(&r->c, "defaults_setup", "%s",
		          arena ? conf_err(&r->c, &err) : "out of memory");
		vg_arena_free(arena);
		return;
	}
	size_t refused = 0, total = 0;
	const char *let_through = NULL;
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
			vigil_ddl_column column = { "conf_bad", types[k], 1, hostile[i], 0, 0, 0 };
			vigil_ddl_change change = { .size = (uint32_t)sizeof change,
				                    .kind = VIGIL_DDL_ADD_COLUMN,
				                    .table = "conf_defaults",
				                    .columns = &column,
				                    .column_count = 1 };
			vg_db_statements st;
			total++;
			if (vg_db_render_statements(r->db, &change, arena, &st, &err) != 0 &&
			    err.kind == VIGIL_DB_ERR_UNSUPPORTED &&
			    strstr(err.message, "refused")) {
				refused++;
				continue;
			}
			if (!let_through)
				let_through = vg_arena_printf(arena, "%s default %s: %s", types[k],
				                              hostile[i],
				                              st.text ? st.text : err.message);
		}
	}
	conf_check(&r->c, "defaults_hostile_refused", refused == total,
	           "%zu of %zu hostile defaults refused; first let through: %s", refused, total,
	           let_through ? let_through : "-");
	char value[64] = "";
	int victim_kept = query_value(r, r->conn, "SELECT COUNT(*) FROM conf_victim", 0, NULL,
	                              value, sizeof value, &err) == 0 &&
	                  strcmp(value, "1") == 0;
	conf_check(&r->c, "defaults_victim_kept", victim_kept, "conf_victim: %s",
	           victim_kept ? "" : err.message);

	/* Data: SQL-looking text inside a literal, and plain values; read back from a new row. */
	struct {
		const char *type, *declared, *sqlite, *postgresql, *mysql;
	} data[] = {
		{ "varchar(60)", "'it''s; DROP TABLE conf_victim; --'",
		  "it's; DROP TABLE conf_victim; --", "it's; DROP TABLE conf_victim; --",
		  "it's; DROP TABLE conf_victim; --" },
		{ "varchar(60)", "'a\\\\b'", "a\\\\b", "a\\\\b", "a\\b" },
		{ "varchar(60)", "plain words", "plain words", "plain words", "plain words" },
		{ "integer", "-42", "-42", "-42", "-42" },
		{ "integer", "(7)", "7", "7", "7" },
	};
	const char *wrong = NULL;
	for (size_t i = 0; i < sizeof data / sizeof data[0] && !wrong; i++) {
		char name[32];
		snprintf(name, sizeof name, "conf_value_%zu", i);
		vigil_ddl_column column = { name, data[i].type, 1, data[i].declared, 0, 0, 0 };
		vigil_ddl_change change = { .size = (uint32_t)sizeof change,
			                    .kind = VIGIL_DDL_ADD_COLUMN,
			                    .table = "conf_defaults",
			                    .columns = &column,
			                    .column_count = 1 };
		vg_db_statements st;
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT %s FROM conf_defaults WHERE id = %zu", name,
		         i + 1);
		char insert[96];
		snprintf(insert, sizeof insert, "INSERT INTO conf_defaults (id) VALUES (%zu)",
		         i + 1);
		const char *want = r->c.type == VG_DB_SQLITE       ? data[i].sqlite
		                   : r->c.type == VG_DB_POSTGRESQL ? data[i].postgresql
		                                                   : data[i].mysql;
		if (vg_db_render_statements(r->db, &change, arena, &st, &err) != 0 ||
		    vg_db_exec_statements(r->db, r->conn, &st, &err) != 0 ||
		    exec_sql(r, insert, &err) != 0 ||
		    query_value(r, r->conn, sql, 0, NULL, value, sizeof value, &err) != 0)
			wrong = vg_arena_printf(arena, "default %s: %s", data[i].declared,
			                        err.message);
		else if (strcmp(value, want) != 0)
			wrong = vg_arena_printf(
			        arena, "default %s (%s) reads back \"%s\", expected \"%s\"",
			        data[i].declared, st.text, value, want);
	}
	conf_check(&r->c, "defaults_literals_read_back", !wrong, "%s", wrong ? wrong : "");
	exec_sql(r, "DROP TABLE IF EXISTS conf_defaults", &err);
	exec_sql(r, "DROP TABLE IF EXISTS conf_victim", &err);
	vg_arena_free(arena);
}

static void drop_leftovers(run *r, const vg_schema *declared)
{
	vigil_db_error err;
	static const char *const tables[] = { "conf_q", "conf_tx", "conf_tx_ddl", "conf_defaults",
		                              "conf_victim" };
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", tables[i]);
		vg_db_exec(r->db, r->conn, sql, &err);
	}
	if (declared && vg_db_drop_declared(r->db, r->conn, declared, &err) != 0)
		printf("  cleanup: %s\n", conf_err(&r->c, &err));
	vg_arena *arena = vg_arena_new();
	vg_schema *chain = chain_schema(arena, r->c.type, 30);
	if (chain && vg_db_drop_declared(r->db, r->conn, chain, &err) != 0)
		printf("  cleanup: %s\n", conf_err(&r->c, &err));
	vg_arena_free(arena);
}

static int setup_sqlite(run *r)
{
	r->sqlite_file = r->parsed->path;
	if (!r->sqlite_file || r->parsed->memory) {
		fprintf(stderr, "conformance: the SQLite URL must name a file\n");
		return -1;
	}
	if (access(r->sqlite_file, F_OK) != 0) {
		int fd = open(r->sqlite_file, O_CREAT | O_WRONLY | O_EXCL, 0644);
		if (fd < 0) {
			fprintf(stderr, "conformance: cannot create %s: %s\n", r->sqlite_file, strerror(errno));
			return -1;
		}
		close(fd);
		r->created_file = 1;
	}
	char tmpl[] = "/tmp/vigil-conformance.XXXXXX";
	char *dir = mkdtemp(tmpl);
	if (!dir)
		return -1;
	r->tmpdir = vg_arena_strdup(r->c.arena, dir);
	return 0;
}

int main(int argc, char **argv)
{
	const char *plugin_dir = NULL;
	const char *pos[3] = { NULL, NULL, NULL };
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--plugin-dir") == 0 && i + 1 < argc)
			plugin_dir = argv[++i];
		else if (npos < 3)
			pos[npos++] = argv[i];
	}
	if (npos < 2) {
		fprintf(stderr, "usage: conformance <sqlite|postgresql|mysql> <url> [<read-only url>]"
		                " [--plugin-dir DIR]\n");
		return 2;
	}
	run r;
	memset(&r, 0, sizeof r);
	r.c.type = vg_db_type_parse(pos[0]);
	r.c.db_name = vg_db_type_name(r.c.type);
	r.c.arena = vg_arena_new();
	r.url = pos[1];
	r.ro_url = pos[2];
	vg_url_error uerr;
	vg_url *parsed = NULL;
	if (r.c.type == VG_DB_UNKNOWN || vg_url_parse(&parsed, r.c.arena, r.url, &uerr) != 0) {
		fprintf(stderr, "conformance: unknown type or unreadable URL\n");
		return 2;
	}
	r.parsed = parsed;
	conf_add_secret(&r.c, parsed->password);
	r.plugins = vg_plugins_new(vg_host_table(), NULL, 0);
	if (plugin_dir) {
		vg_plugins_add_dir(r.plugins, plugin_dir);
		vg_plugins_only_added_dirs(r.plugins, 1);
	}
	if (r.c.type == VG_DB_SQLITE && setup_sqlite(&r) != 0)
		return 2;

	printf("== conformance %s\n", r.c.db_name);
	vg_arena *arena = vg_arena_new();
	if (connect_good(&r) == 0) {
		vg_schema *declared = declared_schema(&r, arena);
		drop_leftovers(&r, declared);
		if (r.c.type == VG_DB_SQLITE)
			sqlite_file_cases(&r);
		else
			network_connect_cases(&r);
		query_cases(&r);
		transaction_cases(&r);
		if (declared) {
			round_trip_case(&r, arena, declared);
			privilege_cases(&r, arena);
		}
		round_trips_case(&r);
		schema_fix_cases(&r);
		defaults_cases(&r);
		pool_case(&r);
		drop_leftovers(&r, declared);
	}

	/* No password in any message of the run, and none the driver needed scrubbing for. */
	if (r.conn)
		vg_db_disconnect(r.db, r.conn);
	close_db(&r, r.db);
	const char *leak = conf_leak(&r.c);
	if (leak)
		conf_fail(&r.c, "no_password_in_messages", "a message holds a password (not shown)");
	else if (r.scrubbed)
		conf_fail(&r.c, "no_password_in_messages",
		          "the driver put a password into %u messages (db.c scrubbed them)", r.scrubbed);
	else
		conf_ok(&r.c, "no_password_in_messages", "%zu messages checked", r.c.message_count);

	if (r.created_file)
		unlink(r.sqlite_file);
	if (r.tmpdir)
		rmdir(r.tmpdir);
	vg_arena_free(arena);
	vg_plugins_free(r.plugins);
	int failed = r.c.failed;
	printf("%d passed, %d failed\n", r.c.passed, r.c.failed);
	conf_free(&r.c);
	vg_arena_free(r.c.arena);
	return failed ? 1 : 0;
}
