/*
 * bench_introspect.c — introspection on a large schema, per database.
 *
 * Creates 1,000 tables x 12 columns (a bigint PK each, a unique column in every 4th table,
 * an index in every other table, 200 foreign keys) through the driver's own DDL in SQLite (a
 * temp file), PostgreSQL ($VIGIL_PG_URL) and MySQL/MariaDB ($VIGIL_MYSQL_URL); a database
 * whose URL is not set is skipped with a note (tests/bench/introspect.sh starts servers and
 * sets them). Then, interleaved over 5 rounds, per database:
 *   introspect  vg_db_introspect on an open connection: the driver's catalog queries, the
 *               rows into the engine's schema model, vg_schema_finish;
 *   diff        vg_schema_diff of the declared against the live model;
 *   round trips the driver's count of queries for the introspection;
 *   CLI query   wall time of the database's own command-line client running ONE raw catalog
 *               query over the columns of the namespace (output to /dev/null), started with
 *               system(): process start, connect + authentication, query, output;
 *   CLI start   the same client running SELECT 1, i.e. its start-up and connection cost;
 *   CLI q-s     the difference: roughly the raw columns query alone.
 * Medians of the 5 rounds are printed. Everything created is dropped at the end.
 *
 *   bench_introspect [--tables N] [--rounds R] [--plugin-dir DIR]
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_args.h"

#include "db.h"
#include "host.h"
#include "schema_diff.h"
#include "url.h"

#define MAX_ROUNDS 15

typedef struct bench_db {
	const char *label;
	vg_db_type type;
	const char *url;
	char *sqlite_file;            /* SQLite: created and deleted here */
	vg_db *db;
	vigil_conn *conn;
	vg_arena *arena;              /* the declared model */
	vg_schema *declared;
	char cli_query[2048];         /* shell commands */
	char cli_start[1024];
	double introspect_ms[MAX_ROUNDS], diff_ms[MAX_ROUNDS], cli_ms[MAX_ROUNDS], start_ms[MAX_ROUNDS];
	unsigned round_trips;
	size_t live_tables, differences;
	double create_ms;
	int ready;
} bench_db;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];
	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

/* Times one shell command; -1 when it failed. */
static double time_command(const char *cmd)
{
	double start = now_ms();
	int rc = system(cmd);
	double took = now_ms() - start;
	return rc == 0 ? took : -1.0;
}

/* The declared model: tables bench_t0001.. with 12 columns each. */
static vg_schema *bench_schema(vg_arena *arena, vg_db_type type, int tables)
{
	vg_schema *s = vg_schema_new(arena, type, NULL);
	if (!s)
		return NULL;
	s->declared = 1;
	int fks = 0;
	for (int i = 1; i <= tables; i++) {
		vg_schema_table *t = NULL;
		if (vg_schema_add_table(&t, s, vg_arena_printf(arena, "bench_t%04d", i)) != 0)
			return NULL;
		vg_schema_table_add_column(NULL, t, "id", "bigint", 0, NULL, 0);
		vg_schema_table_add_column(NULL, t, "code", "varchar(40)", 0, NULL, 0);
		vg_schema_table_add_column(NULL, t, "name", "varchar(100)", 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "amount", "decimal(12,2)", 0, "0", 0);
		vg_schema_table_add_column(NULL, t, "qty", "integer", 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "active", "boolean", 0, "true", 0);
		vg_schema_table_add_column(NULL, t, "created_at", "datetime", 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "day", "date", 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "note", "text", 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "ratio", "double", 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "ext_id", "uuid", 1, NULL, 0);
		vg_schema_table_add_column(NULL, t, "ref_id", "bigint", 1, NULL, 0);
		const char *pk[] = { "id" }, *code[] = { "code" }, *name[] = { "name", "day" },
		           *ref[] = { "ref_id" };
		vg_schema_table_set_primary_key(t, NULL, pk, 1);
		if (i % 4 == 0)
			vg_schema_table_add_unique(NULL, t, NULL, code, 1);
		if (i % 2 == 0)
			vg_schema_table_add_index(NULL, t, vg_arena_printf(arena, "bench_t%04d_name", i),
			                          name, 2, 0);
		if (i > 1 && fks < 200 && i % 5 == 0) {
			vg_schema_table_add_foreign_key(NULL, t, NULL, ref, 1,
			                                vg_arena_printf(arena, "bench_t%04d", i - 1), pk, 1,
			                                "cascade", NULL);
			fks++;
		}
	}
	return vg_schema_finish(s) == 0 ? s : NULL;
}

/* The CLI commands; passwords go through the environment (PGPASSWORD / MYSQL_PWD), never argv. */
static int cli_commands(bench_db *b)
{
	vg_arena *arena = vg_arena_new();
	vg_url *u = NULL;
	vg_url_error uerr;
	int rc = -1;
	if (!arena || vg_url_parse(&u, arena, b->url, &uerr) != 0)
		goto done;
	if (b->type == VG_DB_SQLITE) {
		snprintf(b->cli_query, sizeof b->cli_query,
		         "sqlite3 '%s' \"SELECT m.name, p.name, p.type, p.\\\"notnull\\\", p.dflt_value"
		         " FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table'"
		         " ORDER BY m.name, p.cid\" >/dev/null",
		         b->sqlite_file);
		snprintf(b->cli_start, sizeof b->cli_start, "sqlite3 '%s' 'SELECT 1' >/dev/null",
		         b->sqlite_file);
	} else if (b->type == VG_DB_POSTGRESQL) {
		if (u->password)
			setenv("PGPASSWORD", u->password, 1);
		char conn[512];
		snprintf(conn, sizeof conn, "psql -X -h %s -p %d -U %s -d %s -At",
		         u->host ? u->host : "127.0.0.1", u->port ? u->port : 5432,
		         u->user ? u->user : "postgres", u->database ? u->database : "postgres");
		snprintf(b->cli_query, sizeof b->cli_query,
		         "%s -c \"SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),"
		         " a.attnotnull, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a"
		         " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid ="
		         " c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum ="
		         " a.attnum WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
		         " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum\""
		         " >/dev/null",
		         conn);
		snprintf(b->cli_start, sizeof b->cli_start, "%s -c 'SELECT 1' >/dev/null", conn);
	} else {
		if (u->password)
			setenv("MYSQL_PWD", u->password, 1);
		char conn[512];
		snprintf(conn, sizeof conn, "mariadb --no-defaults -h %s -P %d -u %s -D %s -N",
		         u->host ? u->host : "127.0.0.1", u->port ? u->port : 3306,
		         u->user ? u->user : "root", u->database ? u->database : "mysql");
		snprintf(b->cli_query, sizeof b->cli_query,
		         "%s -e \"SELECT table_name, column_name, column_type, is_nullable,"
		         " column_default, extra FROM information_schema.columns WHERE table_schema ="
		         " DATABASE() ORDER BY table_name, ordinal_position\" >/dev/null",
		         conn);
		snprintf(b->cli_start, sizeof b->cli_start, "%s -e 'SELECT 1' >/dev/null", conn);
	}
	rc = 0;
done:
	vg_arena_free(arena);
	return rc;
}

static int setup(bench_db *b, vg_plugins *plugins, int tables)
{
	vigil_db_error err;
	vg_db_target target = { b->type, b->url, NULL, 0 };
	if (vg_db_open(&b->db, plugins, &target, &err) != 0 ||
	    vg_db_connect(b->db, &b->conn, &err) != 0) {
		printf("%s: cannot connect: %s\n", b->label, err.message);
		return -1;
	}
	b->arena = vg_arena_new();
	b->declared = b->arena ? bench_schema(b->arena, b->type, tables) : NULL;
	if (!b->declared || cli_commands(b) != 0) {
		printf("%s: out of memory\n", b->label);
		return -1;
	}
	vg_db_drop_declared(b->db, b->conn, b->declared, &err); /* an earlier run's leftovers */
	printf("%s: creating %d tables x 12 columns ...\n", b->label, tables);
	fflush(stdout);
	double start = now_ms();
	int tx = vg_db_driver(b->db)->transactional_ddl;
	if ((tx && vg_db_begin(b->db, b->conn, &err) != 0) ||
	    vg_db_create_declared(b->db, b->conn, b->declared, &err) != 0 ||
	    (tx && vg_db_commit(b->db, b->conn, &err) != 0)) {
		printf("%s: creating the schema failed: %s\n", b->label, err.message);
		return -1;
	}
	b->create_ms = now_ms() - start;
	b->ready = 1;
	return 0;
}

static void one_round(bench_db *b, int round)
{
	vigil_db_error err;
	vg_arena *arena = vg_arena_new();
	vg_schema *live = NULL;
	unsigned trips = 0;
	double t0 = now_ms();
	if (vg_db_introspect(b->db, b->conn, arena, NULL, NULL, &live, &trips, &err) != 0) {
		printf("%s: introspection failed: %s\n", b->label, err.message);
		b->ready = 0;
		vg_arena_free(arena);
		return;
	}
	double t1 = now_ms();
	vg_schema_diff_result diff;
	memset(&diff, 0, sizeof diff);
	vg_schema_diff(arena, b->declared, live, NULL, 0, &diff);
	double t2 = now_ms();
	b->introspect_ms[round] = t1 - t0;
	b->diff_ms[round] = t2 - t1;
	b->round_trips = trips;
	b->live_tables = live->table_count;
	b->differences = 0;
	for (size_t i = 0; i < diff.count; i++)
		if (diff.items[i].kind != VG_SCHEMA_EXTRA_TABLE)
			b->differences++;
	vg_arena_free(arena);
	b->cli_ms[round] = time_command(b->cli_query);
	b->start_ms[round] = time_command(b->cli_start);
}

static void teardown(bench_db *b)
{
	vigil_db_error err;
	if (b->conn && b->declared && vg_db_drop_declared(b->db, b->conn, b->declared, &err) != 0)
		printf("%s: dropping the tables failed: %s\n", b->label, err.message);
	if (b->conn)
		vg_db_disconnect(b->db, b->conn);
	vg_db_close(b->db);
	vg_arena_free(b->arena);
	if (b->sqlite_file) {
		unlink(b->sqlite_file);
		free(b->sqlite_file);
	}
}

int main(int argc, char **argv)
{
	int tables = 1000, rounds = 5;
	const char *plugin_dir = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--tables") == 0)
			tables = bench_int_arg(argv[i + 1], 1, 100000, "--tables");
		else if (strcmp(argv[i], "--rounds") == 0)
			rounds = bench_int_arg(argv[i + 1], 1, 1000, "--rounds");
		else if (strcmp(argv[i], "--plugin-dir") == 0)
			plugin_dir = argv[i + 1];
	}
	if (tables < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: bench_introspect [--tables N] [--rounds 1..%d] [--plugin-dir DIR]\n",
		        MAX_ROUNDS);
		return 2;
	}
	vg_plugins *plugins = vg_plugins_new(vg_host_table(), NULL, 0);
	if (plugin_dir) {
		vg_plugins_add_dir(plugins, plugin_dir);
		vg_plugins_only_added_dirs(plugins, 1);
	}
	bench_db dbs[3];
	memset(dbs, 0, sizeof dbs);
	char tmpl[] = "/tmp/vigil-bench-XXXXXX";
	char file[128] = "";
	if (mkdtemp(tmpl)) {
		snprintf(file, sizeof file, "%s/bench.db", tmpl);
		int fd = open(file, O_CREAT | O_WRONLY, 0644); /* drivers never create files */
		if (fd >= 0)
			close(fd);
	}
	dbs[0] = (bench_db){ .label = "sqlite", .type = VG_DB_SQLITE, .sqlite_file = strdup(file) };
	char sqlite_url[160];
	snprintf(sqlite_url, sizeof sqlite_url, "sqlite:///%s", file);
	dbs[0].url = sqlite_url;
	dbs[1] = (bench_db){ .label = "postgresql", .type = VG_DB_POSTGRESQL,
		                 .url = getenv("VIGIL_PG_URL") };
	dbs[2] = (bench_db){ .label = "mysql", .type = VG_DB_MYSQL, .url = getenv("VIGIL_MYSQL_URL") };

	for (int i = 0; i < 3; i++) {
		if (!dbs[i].url) {
			printf("%s: skipped (%s is not set)\n", dbs[i].label,
			       i == 1 ? "VIGIL_PG_URL" : "VIGIL_MYSQL_URL");
			continue;
		}
		setup(&dbs[i], plugins, tables);
	}
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < 3; i++)
			if (dbs[i].ready)
				one_round(&dbs[i], r);

	printf("\n%d tables x 12 columns, %d foreign keys; medians of %d rounds (ms)\n", tables,
	       tables >= 1000 ? 200 : tables / 5, rounds);
	printf("%-11s %8s %11s %8s %6s %7s %10s %10s %8s\n", "database", "create", "introspect",
	       "diff", "trips", "drift", "CLI query", "CLI start", "CLI q-s");
	for (int i = 0; i < 3; i++) {
		bench_db *b = &dbs[i];
		if (!b->ready)
			continue;
		double cli = median(b->cli_ms, rounds), start = median(b->start_ms, rounds);
		printf("%-11s %8.0f %11.1f %8.1f %6u %7zu %10.1f %10.1f %8.1f\n", b->label,
		       b->create_ms, median(b->introspect_ms, rounds), median(b->diff_ms, rounds),
		       b->round_trips, b->differences, cli, start, cli - start);
		if (cli < 0 || start < 0)
			printf("  (%s: the CLI command failed: -1 above)\n", b->label);
	}
	printf("introspect = vg_db_introspect on an open connection (catalog queries + model);\n"
	       "CLI query = the client's one raw columns query incl. process start and login;\n"
	       "CLI start = the same client running SELECT 1; CLI q-s = their difference.\n");
	for (int i = 0; i < 3; i++)
		if (dbs[i].db || dbs[i].sqlite_file)
			teardown(&dbs[i]);
	if (file[0])
		rmdir(tmpl);
	vg_plugins_free(plugins);
	return 0;
}
