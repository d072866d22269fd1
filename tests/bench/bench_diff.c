/*
 * bench_diff.c — the engine's side of a schema check on a large schema: building the live
 * model (what a driver's introspection feeds in: 12,000 columns whose types are parsed and
 * defaults normalised) and diffing it against the declared model.
 *
 * 1,000 tables x 12 columns, each with a primary key, a unique column, an index, and 200
 * foreign keys, spelled as each database reports them (PostgreSQL, MySQL, SQLite). Per
 * dialect and round: build the declared model, build the live model, diff with no drift, then
 * diff against a live model with drift in 1% of the tables (and describe every difference).
 * Prints medians. The catalog queries themselves are measured by the drivers' benchmark.
 *
 * Usage: bench_diff [TABLES [ROUNDS]]   (defaults 1000 and 9)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_args.h"

#include "schema.h"
#include "schema_diff.h"

enum { COLUMNS = 12, MAX_ROUNDS = 99 };

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Column c's type: declared (generic) and as each database reports it. */
static const struct {
	const char *generic, *pg, *my, *sl;
	const char *default_declared, *default_pg, *default_my;
} column_types[COLUMNS] = {
	{ "bigint", "bigint", "bigint(20)", "INTEGER", NULL, NULL, NULL },
	{ "varchar(200)", "character varying(200)", "varchar(200)", "TEXT", NULL, NULL, NULL },
	{ "integer", "integer", "int(11)", "INTEGER", "0", "0", "0" },
	{ "text", "text", "text", "TEXT", NULL, NULL, NULL },
	{ "boolean", "boolean", "tinyint(1)", "INTEGER", "false", "false", "0" },
	{ "decimal(10,2)", "numeric(10,2)", "decimal(10,2)", "NUMERIC", "0", "0", "0.00" },
	{ "datetime", "timestamp without time zone", "datetime", "TEXT", "CURRENT_TIMESTAMP", "now()", "current_timestamp()" },
	{ "double", "double precision", "double", "REAL", NULL, NULL, NULL },
	{ "string", "text", "varchar(255)", "TEXT", "'n/a'", "'n/a'::text", "'n/a'" },
	{ "date", "date", "date", "TEXT", NULL, NULL, NULL },
	{ "uuid", "uuid", "char(36)", "TEXT", NULL, NULL, NULL },
	{ "bigint", "bigint", "bigint(20)", "INTEGER", NULL, NULL, NULL },
};

static const char *const column_names[COLUMNS] = {
	"id", "name", "qty", "note", "flag", "price", "created_at", "score", "label", "day", "ref", "parent_id",
};

/* `drift`: every 100th table differs (a type, a nullability, a missing index). */
static vg_schema *build(vg_arena *a, vg_db_type d, int declared, int tables, int drift)
{
	vg_schema *s = vg_schema_new(a, d, NULL);
	if (!s)
		return NULL;
	s->declared = declared;
	char name[32], ref[32], ix[48];
	for (int i = 0; i < tables; i++) {
		snprintf(name, sizeof name, "table_%05d", i);
		vg_schema_table *t;
		if (vg_schema_add_table(&t, s, name) != 0)
			return NULL;
		int drifted = drift && i % 100 == 0;
		for (int c = 0; c < COLUMNS; c++) {
			const char *type = declared ? column_types[c].generic
			                   : d == VG_DB_POSTGRESQL ? column_types[c].pg
			                   : d == VG_DB_MYSQL ? column_types[c].my : column_types[c].sl;
			const char *def = declared ? column_types[c].default_declared
			                  : d == VG_DB_POSTGRESQL ? column_types[c].default_pg
			                  : d == VG_DB_MYSQL ? column_types[c].default_my
			                  : column_types[c].default_declared;
			if (drifted && c == 1)
				type = d == VG_DB_SQLITE ? "INTEGER" : "text";
			int nullable = c != 1 || drifted;
			if (vg_schema_table_add_column(NULL, t, column_names[c], type, nullable, def, 0) != 0)
				return NULL;
		}
		const char *pk[] = { "id" }, *uq[] = { "name" }, *ixc[] = { "created_at" };
		vg_schema_table_set_primary_key(t, NULL, pk, 1);
		vg_schema_table_add_unique(NULL, t, declared ? NULL : name, uq, 1);
		snprintf(ix, sizeof ix, "%s_created_idx", name);
		if (!drifted)
			vg_schema_table_add_index(NULL, t, ix, ixc, 1, 0);
		if (i % 5 == 1) { /* 200 foreign keys per 1,000 tables */
			snprintf(ref, sizeof ref, "table_%05d", i - 1);
			const char *fc[] = { "parent_id" }, *rc[] = { "id" };
			vg_schema_table_add_foreign_key(NULL, t, NULL, fc, 1, ref, rc, 1, "cascade", NULL);
		}
	}
	return vg_schema_finish(s) == 0 ? s : NULL;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, compare_doubles);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int tables = argc > 1 ? bench_int_arg(argv[1], 1, 100000, "tables") : 1000;
	int rounds = argc > 2 ? bench_int_arg(argv[2], 1, 1000, "rounds") : 9;
	if (tables < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: bench_diff [TABLES [ROUNDS (1-%d)]]\n", MAX_ROUNDS);
		return 2;
	}
	static const vg_db_type dialects[] = { VG_DB_POSTGRESQL, VG_DB_MYSQL, VG_DB_SQLITE };
	printf("schema model + diff, %d tables x %d columns, median of %d rounds\n", tables, COLUMNS, rounds);
	printf("%-11s %14s %14s %10s %16s %12s %10s\n", "dialect", "declared (ms)", "live (ms)",
	       "diff (ms)", "drift diff (ms)", "differences", "arena MB");
	for (size_t k = 0; k < sizeof dialects / sizeof dialects[0]; k++) {
		vg_db_type d = dialects[k];
		double declared_ms[MAX_ROUNDS], live_ms[MAX_ROUNDS], diff_ms[MAX_ROUNDS], drift_ms[MAX_ROUNDS];
		size_t differences = 0, bytes = 0;
		for (int r = 0; r < rounds; r++) {
			vg_arena *a = vg_arena_new();
			double t0 = now_ms();
			vg_schema *declared = build(a, d, 1, tables, 0);
			double t1 = now_ms();
			vg_schema *live = build(a, d, 0, tables, 0);
			double t2 = now_ms();
			vg_schema_diff_result res;
			if (!declared || !live || vg_schema_diff(a, declared, live, NULL, 0, &res) != 0 || res.count) {
				fprintf(stderr, "%s: unexpected drift or failure (%zu)\n", vg_dialect_label(d),
				        declared && live ? res.count : 0);
				vg_arena_free(a);
				return 1;
			}
			double t3 = now_ms();
			vg_schema *drifted = build(a, d, 0, tables, 1);
			double t4 = now_ms();
			if (!drifted || vg_schema_diff(a, declared, drifted, NULL, 0, &res) != 0) {
				vg_arena_free(a);
				return 1;
			}
			for (size_t i = 0; i < res.count; i++)
				if (!vg_schema_diff_describe(a, &res.items[i]))
					return 1;
			double t5 = now_ms();
			declared_ms[r] = t1 - t0;
			live_ms[r] = t2 - t1;
			diff_ms[r] = t3 - t2;
			drift_ms[r] = t5 - t4;
			differences = res.count;
			bytes = vg_arena_used(a);
			vg_arena_free(a);
		}
		printf("%-11s %14.2f %14.2f %10.2f %16.2f %12zu %10.1f\n", vg_dialect_label(d),
		       median(declared_ms, rounds), median(live_ms, rounds), median(diff_ms, rounds),
		       median(drift_ms, rounds), differences, bytes / 1048576.0);
	}
	return 0;
}
