/* heal.c — database healing after a failed level 3: plan, apply, check again. See heal.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_db.h"
#include "clock.h"
#include "db.h"
#include "ddl_change.h"
#include "heal.h"
#include "schema.h"
#include "schema_diff.h"
#include "schema_fix.h"
#include "sql_dialect.h"
#include "sql_lex.h"

#define SCHEMA_CHECK "schema"

/* One statement of a round's plan. Strings in the report's arena. */
typedef struct heal_item {
	const char *sql; /* one statement ending in ';'; NULL: no proposal (note says why) */
	int risk;
	const char *code, *object, *fixes, *source, *note;
	size_t proposal; /* index into plan->undo */
} heal_item;

typedef struct heal_plan {
	heal_item *items;
	size_t count, cap;
	const char **undo; /* per proposal: its inverse (MySQL), or NULL when none exists */
	size_t undo_count, undo_cap;
	size_t drift;       /* schema differences found */
	int fk_off;         /* SQLite: a rebuilt table is referenced: foreign keys off around it */
	int in_transaction; /* PostgreSQL, SQLite */
} heal_plan;

struct vg_heal_sink {
	heal_plan *plan;
	vg_arena *arena;
	const char *source;
	vg_db_type type;
	size_t proposed;
	int failed;
};

typedef struct heal_db {
	const vg_database *database;
	vigil_heal_database rec;
	vigil_heal_statement *stmts;
	size_t stmt_count, stmt_cap;
	vigil_heal_check *initial;
	size_t initial_count;
	vg_db *db;
	int active;
	int applied_now; /* something stays applied from this round */
	int heal_schema; /* the schema check failed at first: heal the schema */
	int journal_fd;
	const char *write_failure; /* a journal or plan write that failed: healing stops */
	const char **proposers;    /* plugin checks that proposed statements */
	size_t proposer_count, proposer_cap;
	size_t refused, failed;
} heal_db;

typedef struct heal_run {
	vg_plugin_host *host;
	vigil_check_ctx *ctx;
	vigil_report *report;
	vg_arena *arena; /* the report's */
	const vg_heal_settings *settings;
	const char *system;
	heal_db *dbs;
	size_t count;
	int oom;
} heal_run;

static int grow(void **items, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 8;
	void *p = realloc(*items, n * size);
	if (!p)
		return -1;
	*items = p;
	*cap = n;
	return 0;
}

static const char *risk_word(int risk)
{
	return vigil_risk_name(risk);
}

/* ------------------------------------------------------------ report look-ups */

static vg_check_rec *find_check(vigil_report *r, const char *database, const char *name)
{
	vg_level_rec *lv = &r->levels[2];
	for (size_t i = 0; i < lv->check_count; i++)
		if (lv->checks[i].database && strcmp(lv->checks[i].database, database) == 0 &&
		    strcmp(lv->checks[i].name, name) == 0)
			return &lv->checks[i];
	return NULL;
}

/* The check definition called `name` among the loaded check plugins, with its plugin. */
static const vigil_check_def *find_def(vg_plugin_host *host, const char *name,
                                       const vigil_plugin_desc **plugin)
{
	vg_plugins *set = vg_plugin_host_plugins(host);
	for (size_t i = 0; i < vg_plugins_count(set); i++) {
		const vg_plugin *p = vg_plugins_at(set, i);
		if (!p->desc || p->desc->kind != VIGIL_PLUGIN_CHECK)
			continue;
		for (size_t k = 0; k < p->desc->check_count; k++) {
			if (p->desc->checks[k].name && strcmp(p->desc->checks[k].name, name) == 0) {
				*plugin = p->desc;
				return &p->desc->checks[k];
			}
		}
	}
	return NULL;
}

/* A failed level-3 check of the database, other than schema, whose plugin offers heal. */
static int has_healable_failure(heal_run *run, const char *database)
{
	vg_level_rec *lv = &run->report->levels[2];
	for (size_t i = 0; i < lv->check_count; i++) {
		const vg_check_rec *c = &lv->checks[i];
		const vigil_plugin_desc *plugin;
		const vigil_check_def *def;
		if (c->database && strcmp(c->database, database) == 0 &&
		    c->status == VIGIL_STATUS_FAILED && strcmp(c->name, SCHEMA_CHECK) != 0 &&
		    (def = find_def(run->host, c->name, &plugin)) && def->heal)
			return 1;
	}
	return 0;
}

/* The schema check's difference codes, VG520-VG536. */
static int is_drift_code(const char *code)
{
	if (!code || strncmp(code, "VG", 2) != 0)
		return 0;
	char *end;
	long n = strtol(code + 2, &end, 10);
	return end == code + 5 && *end == '\0' && n >= 520 && n <= 536;
}

/* ------------------------------------------------------------ the plan */

static heal_item *plan_add(heal_run *run, heal_plan *plan)
{
	if (grow((void **)&plan->items, &plan->cap, plan->count, sizeof *plan->items) != 0) {
		run->oom = 1;
		return NULL;
	}
	heal_item *it = &plan->items[plan->count++];
	memset(it, 0, sizeof *it);
	return it;
}

static size_t plan_proposal(heal_run *run, heal_plan *plan, const char *undo)
{
	if (grow((void **)&plan->undo, &plan->undo_cap, plan->undo_count, sizeof *plan->undo) !=
	    0) {
		run->oom = 1;
		return 0;
	}
	plan->undo[plan->undo_count] = undo;
	return plan->undo_count++;
}

static void plan_free(heal_plan *plan)
{
	free(plan->items);
	free(plan->undo);
	memset(plan, 0, sizeof *plan);
}

/* Splits `sql` into its statements, one item each. */
static void add_statements(heal_run *run, heal_plan *plan, vg_db_type type, const char *sql,
                           const heal_item *proto)
{
	vg_sql_lexer lx;
	vg_sql_lexer_init(&lx, sql, strlen(sql), vg_sql_dialect_of(type));
	vg_sql_statement st;
	while (!run->oom && vg_sql_next_statement(&lx, &st)) {
		heal_item *it = plan_add(run, plan);
		if (!it)
			return;
		*it = *proto;
		it->sql = vg_arena_printf(run->arena, "%.*s;", (int)st.length, sql + st.offset);
		if (!it->sql)
			run->oom = 1;
	}
}

static const char *difference_object(vg_arena *arena, const vg_schema_difference *d)
{
	/* copied: the model's strings live in the blueprint's or a work arena */
	return d->object ? vg_arena_printf(arena, "%s.%s", d->table, d->object)
	                 : vg_arena_strdup(arena, d->table);
}

/* The statement that undoes the fix of `d` (MySQL's undo plan), or NULL when none exists. */
static const char *inverse_of(vg_db *db, vg_arena *work, const vg_schema *declared,
                              const vg_schema *live, const vg_schema_difference *d)
{
	vigil_ddl_change c;
	vigil_ddl_column slot;
	memset(&c, 0, sizeof c);
	switch (d->kind) {
	case VG_SCHEMA_MISSING_TABLE: vg_ddl_drop_table(&c, declared, d->table); break;
	case VG_SCHEMA_MISSING_COLUMN:
		if (!d->declared.column)
			return NULL;
		vg_ddl_drop_column(&c, declared, d->table, d->declared.column->name, &slot);
		break;
	case VG_SCHEMA_MISSING_INDEX:
		if (!d->declared.index || !d->declared.index->name)
			return NULL;
		vg_ddl_drop_named(&c, VIGIL_DDL_DROP_INDEX, declared, d->table,
		                  d->declared.index->name);
		break;
	case VG_SCHEMA_MISSING_FOREIGN_KEY:
		if (!d->declared.foreign_key || !d->declared.foreign_key->name)
			return NULL;
		vg_ddl_drop_named(&c, VIGIL_DDL_DROP_FOREIGN_KEY, declared, d->table,
		                  d->declared.foreign_key->name);
		break;
	case VG_SCHEMA_TYPE_MISMATCH:
	case VG_SCHEMA_NULLABILITY_MISMATCH:
	case VG_SCHEMA_DEFAULT_MISMATCH:
		if (!d->live.column || !d->live_table)
			return NULL;
		vg_ddl_column_change(&c, VIGIL_DDL_ALTER_COLUMN, live, d->live_table,
		                     d->live.column, &slot);
		break;
	default: return NULL;
	}
	char *sql = NULL;
	vigil_db_error err;
	return vg_db_render(db, &c, work, &sql, &err) == 0 ? sql : NULL;
}

/* Does any live table other than `table` reference it? (SQLite rebuilds) */
static int referenced_by_others(const vg_schema *live, const char *table)
{
	for (size_t i = 0; i < live->table_count; i++) {
		const vg_schema_table *t = live->tables[i];
		if (strcmp(t->name, table) == 0)
			continue;
		for (size_t k = 0; k < t->foreign_key_count; k++)
			if (t->foreign_keys[k].ref_table &&
			    strcmp(t->foreign_keys[k].ref_table, table) == 0)
				return 1;
	}
	return 0;
}

/* The built-in part: the schema's differences as statements in apply order. 0, or -1 with
 * `why` set (the database could not be read). */
static int plan_schema(heal_run *run, heal_db *hd, vigil_conn *conn, heal_plan *plan, char *why,
                       size_t why_size)
{
	vg_arena *work = vg_arena_new();
	vigil_db_error err;
	memset(&err, 0, sizeof err);
	const vg_database *database = hd->database;
	vg_schema *declared = work ? vg_schema_from_declared(work, database) : NULL;
	size_t unmanaged_count = 0;
	const char **unmanaged =
	        declared ? vg_schema_diff_unmanaged(work, database, &unmanaged_count) : NULL;
	if (!unmanaged) {
		vg_arena_free(work);
		run->oom = 1;
		snprintf(why, why_size, "out of memory");
		return -1;
	}
	vg_schema *live = NULL;
	if (vg_db_introspect(hd->db, conn, work, declared->namespace_name, NULL, &live, NULL,
	                     &err) != 0) {
		snprintf(why, why_size, "cannot read the live schema of database %s: %s",
		         database->name, err.message);
		vg_arena_free(work);
		return -1;
	}
	vg_schema_diff_result diff;
	if (vg_schema_diff(work, declared, live, unmanaged, unmanaged_count, &diff) != 0) {
		snprintf(why, why_size,
		         "the declared and the live schema of database %s cannot be "
		         "compared",
		         database->name);
		vg_arena_free(work);
		return -1;
	}
	plan->drift = diff.count;
	vg_schema_fix *fixes = NULL;
	size_t *order = NULL;
	if (diff.count && vg_schema_fix_make_all(hd->db, work, declared, live, &diff, &fixes,
	                                         &order, &err) != 0) {
		snprintf(why, why_size, "cannot make the healing statements of database %s: %s",
		         database->name, err.message);
		vg_arena_free(work);
		return -1;
	}
	int mysql = hd->database->type == VG_DB_MYSQL;
	for (size_t k = 0; k < diff.count && !run->oom; k++) {
		size_t i = order[k];
		const vg_schema_difference *d = &diff.items[i];
		const vg_schema_fix *fix = &fixes[i];
		if (!fix->sql && fix->covered_by != SIZE_MAX)
			continue; /* the statement of another difference removes it */
		heal_item proto;
		memset(&proto, 0, sizeof proto);
		proto.code = vg_arena_printf(run->arena, "VG%d", 520 + (int)d->kind);
		proto.object = difference_object(run->arena, d);
		proto.source = SCHEMA_CHECK;
		proto.risk = fix->risk;
		vg_heal_text fixes_text = { 0 };
		vg_heal_text_add(&fixes_text, "%s %s", proto.code ? proto.code : "",
		                 proto.object ? proto.object : "");
		for (size_t j = 0; j < diff.count; j++) {
			if (fixes[j].covered_by != i)
				continue;
			if (fixes[j].risk > proto.risk)
				proto.risk = fixes[j].risk;
			vg_heal_text_add(&fixes_text, ", VG%d %s", 520 + (int)diff.items[j].kind,
			                 difference_object(work, &diff.items[j]));
		}
		proto.fixes = fixes_text.failed ? NULL
		                                : vg_arena_strdup(run->arena, fixes_text.data);
		vg_heal_text_free(&fixes_text);
		if (!proto.code || !proto.object || !proto.fixes) {
			run->oom = 1;
			break;
		}
		if (!fix->sql) {
			proto.note = vg_arena_strdup(
			        run->arena, fix->note ? fix->note : "no statement can remove it");
			heal_item *it = plan_add(run, plan);
			if (it)
				*it = proto;
			continue;
		}
		if (fix->rebuild && referenced_by_others(live, d->table))
			plan->fk_off = 1;
		const char *undo = mysql ? inverse_of(hd->db, work, declared, live, d) : NULL;
		proto.proposal =
		        plan_proposal(run, plan, undo ? vg_arena_strdup(run->arena, undo) : NULL);
		add_statements(run, plan, database->type, fix->sql, &proto);
	}
	vg_arena_free(work);
	if (run->oom) {
		snprintf(why, why_size, "out of memory");
		return -1;
	}
	return 0;
}

int vg_heal_propose(vigil_check_ctx *ctx, const char *sql, int risk, const char *what)
{
	if (!ctx || !ctx->heal || !sql || !*sql)
		return -1;
	vg_heal_sink *sink = ctx->heal;
	heal_run fake = { .arena = sink->arena };
	heal_item proto;
	memset(&proto, 0, sizeof proto);
	proto.risk = risk >= VIGIL_RISK_SAFE && risk <= VIGIL_RISK_DESTRUCTIVE
	                     ? risk
	                     : VIGIL_RISK_DESTRUCTIVE;
	proto.source = vg_arena_strdup(sink->arena, sink->source);
	if (what && *what) {
		const char *space = strchr(what, ' ');
		proto.code = space ? vg_arena_strndup(sink->arena, what, (size_t)(space - what))
		                   : vg_arena_strdup(sink->arena, what);
		proto.object = space ? vg_arena_strdup(sink->arena, space + 1) : NULL;
		proto.fixes = vg_arena_strdup(sink->arena, what);
	} else {
		proto.code = proto.source;
	}
	/* One statement (a trailing ';' optional), checked: a plugin that built its SQL from
	 * values it read could otherwise hand over a second statement under its risk. */
	const char *text =
	        vg_arena_printf(sink->arena, "%s%s", sql, sql[strlen(sql) - 1] == ';' ? "" : ";");
	if (text && !vg_sql_is_one_statement(text, strlen(text), vg_sql_dialect_of(sink->type), 1))
		return -1;
	proto.proposal = plan_proposal(&fake, sink->plan, NULL);
	size_t before = sink->plan->count;
	if (text && !fake.oom)
		add_statements(&fake, sink->plan, sink->type, text, &proto);
	if (fake.oom || !text || !proto.source || !proto.code) {
		sink->failed = 1;
		return -1;
	}
	sink->proposed += sink->plan->count - before;
	return 0;
}

/* Calls the heal callbacks of the database's failed plugin checks, in process. */
static void plan_plugins(heal_run *run, heal_db *hd, heal_plan *plan)
{
	vg_level_rec *lv = &run->report->levels[2];
	for (size_t i = 0; i < lv->check_count && !run->oom; i++) {
		const vg_check_rec *c = &lv->checks[i];
		const vigil_plugin_desc *plugin = NULL;
		const vigil_check_def *def;
		if (!c->database || strcmp(c->database, hd->database->name) != 0 ||
		    c->status != VIGIL_STATUS_FAILED || strcmp(c->name, SCHEMA_CHECK) == 0 ||
		    !(def = find_def(run->host, c->name, &plugin)) || !def->heal)
			continue;
		vigil_report *scratch = vg_report_new(run->report->path);
		vg_check_db *cdb = NULL;
		if (!scratch) {
			run->oom = 1;
			return;
		}
		vg_check_rec *rec = vg_report_add_check(scratch, 3, def->name, hd->database->name);
		const vigil_host *table = vg_plugins_host(vg_plugin_host_plugins(run->host));
		int thread_rc = plugin->thread_init ? plugin->thread_init(table) : 0;
		if (rec && thread_rc == 0)
			cdb = vg_check_db_new(table, vg_plugin_host_plugins(run->host),
			                      hd->database, 0, vg_plugin_host_timeout(run->host));
		vg_heal_sink sink = { plan, run->arena, def->name, hd->database->type, 0, 0 };
		int rc = -1;
		if (cdb) {
			vigil_check_ctx ctx = {
				.report = scratch,
				.blueprint = run->ctx->blueprint,
				.root = run->ctx->root,
				.level = 3,
				.check = rec,
				.check_name = rec->name,
				.database = hd->database,
				.check_db = cdb,
				.heal = &sink,
			};
			rc = def->heal(&ctx, table);
			vg_check_db_reclaim(cdb);
		}
		vg_check_db_free(cdb);
		if (thread_rc == 0 && plugin->thread_fini)
			plugin->thread_fini(table);
		vigil_report_free(scratch);
		if (sink.failed)
			run->oom = 1;
		if (rc != 0) {
			heal_item *it = plan_add(run, plan);
			if (it) {
				it->source = vg_arena_strdup(run->arena, def->name);
				it->code = it->source;
				it->risk = VIGIL_RISK_SAFE;
				it->note =
				        "the check's heal callback failed: nothing it proposed is applied";
			}
			/* what it proposed before failing is not applied */
			continue;
		}
		if (sink.proposed > 0) {
			if (grow((void **)&hd->proposers, &hd->proposer_cap, hd->proposer_count,
			         sizeof *hd->proposers) != 0) {
				run->oom = 1;
				return;
			}
			hd->proposers[hd->proposer_count++] =
			        vg_arena_strdup(run->arena, def->name);
		}
	}
}

/* ------------------------------------------------------------ records */

/* Adds a statement's outcome to the database's record (and counts refusals and failures);
 * `ms` is how long it ran (0 when it did not). */
static void record(heal_run *run, heal_db *hd, const heal_item *it, unsigned round, int outcome,
                   const char *message, double ms)
{
	if (grow((void **)&hd->stmts, &hd->stmt_cap, hd->stmt_count, sizeof *hd->stmts) != 0) {
		run->oom = 1;
		return;
	}
	vigil_heal_statement *s = &hd->stmts[hd->stmt_count++];
	memset(s, 0, sizeof *s);
	s->round = round;
	s->sql = it->sql;
	s->risk = it->risk;
	s->code = it->code;
	s->object = it->object;
	s->fixes = it->fixes;
	s->source = it->source;
	s->outcome = outcome;
	s->message = message;
	s->duration_ms = ms;
	if (outcome == VIGIL_HEAL_REFUSED)
		hd->refused++;
	if (outcome == VIGIL_HEAL_FAILED)
		hd->failed++;
}

/* Why a statement may not run, or NULL when it may. */
static const char *refusal(const heal_run *run, const heal_item *it)
{
	if (!it->sql)
		return it->note ? it->note : "no statement can fix it";
	if (it->risk == VIGIL_RISK_SAFE || run->settings->allow_destructive)
		return NULL;
	return it->risk == VIGIL_RISK_DATA_DEPENDENT
	               ? "data-dependent: it may fail or change rows; applied only with "
	                 "--allow-destructive"
	               : "destructive: it drops something; applied only with --allow-destructive";
}

/* ------------------------------------------------------------ files */

static void text_header(heal_run *run, heal_db *hd, vg_heal_text *t, const char *what)
{
	vg_heal_text_add(t, "-- vigil %s: %s for database \"%s\" (%s) of system %s\n",
	                 vigil_version(), what, hd->database->name,
	                 vg_db_type_name(hd->database->type), run->system);
	vg_heal_text_add(t, "-- blueprint: %s\n-- generated by vigil %s at %s (the run's start)\n",
	                 run->report->path, vigil_version(), run->report->started_at);
}

static void text_statement(vg_heal_text *t, const heal_item *it, size_t number, const char *refused)
{
	vg_heal_text_add(t, "\n-- %zu. [%s] %s (from %s)\n", number,
	                 it->sql ? risk_word(it->risk) : "no statement",
	                 it->fixes ? it->fixes : it->code, it->source);
	if (!it->sql) {
		vg_heal_text_add(t, "-- no statement: %s\n",
		                 it->note ? it->note : "none can be made");
		return;
	}
	if (refused) {
		vg_heal_text_add(t, "-- NOT INCLUDED (%s):\n", refused);
		const char *p = it->sql;
		while (*p) {
			size_t n = strcspn(p, "\n");
			vg_heal_text_add(t, "--   %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
		return;
	}
	vg_heal_text_add(t, "%s\n", it->sql);
}

/* `<system>.<database>.heal.sql`: what apply runs, with everything a reader needs to know. */
static void write_plan(heal_run *run, heal_db *hd, const heal_plan *plan)
{
	vg_heal_text t = { 0 };
	size_t by_risk[3] = { 0 }, included = 0, statements = 0;
	for (size_t i = 0; i < plan->count; i++) {
		if (plan->items[i].sql && plan->items[i].risk >= 0 && plan->items[i].risk <= 2)
			by_risk[plan->items[i].risk]++;
		statements += plan->items[i].sql != NULL;
		included += plan->items[i].sql && !refusal(run, &plan->items[i]);
	}
	size_t without = plan->count - statements;
	text_header(run, hd, &t, "healing plan");
	vg_heal_text_add(
	        &t,
	        "-- %zu schema difference%s; %zu statement%s: %zu safe, %zu data-dependent, "
	        "%zu destructive; %zu included%s\n",
	        plan->drift, plan->drift == 1 ? "" : "s", statements, statements == 1 ? "" : "s",
	        by_risk[0], by_risk[1], by_risk[2], included,
	        run->settings->allow_destructive ? " (--allow-destructive)"
	                                         : " (safe only: data-dependent and "
	                                           "destructive ones need --allow-destructive)");
	if (without)
		vg_heal_text_add(&t, "-- %zu difference%s no statement can fix (see below)\n",
		                 without, without == 1 ? "" : "s");
	if (plan->in_transaction)
		vg_heal_text_add(
		        &t,
		        "-- Runs as ONE transaction (BEGIN ... COMMIT below): a failing statement "
		        "leaves the database as it was.\n");
	else
		vg_heal_text_add(
		        &t,
		        "-- MySQL/MariaDB commit each DDL statement at once: run it statement by "
		        "statement and stop at the first failure; the statements before it stay "
		        "applied.\n");
	if (plan->fk_off)
		vg_heal_text_add(
		        &t,
		        "-- SQLite: a rebuilt table is referenced by other tables, so foreign keys "
		        "are switched off around the transaction (PRAGMA foreign_keys has no effect "
		        "inside one) and PRAGMA foreign_key_check must return no rows before "
		        "COMMIT.\n");
	if (plan->fk_off)
		vg_heal_text_add(&t, "\nPRAGMA foreign_keys = OFF;\n");
	if (plan->in_transaction)
		vg_heal_text_add(&t, "%sBEGIN;\n", plan->fk_off ? "" : "\n");
	for (size_t i = 0; i < plan->count; i++)
		text_statement(&t, &plan->items[i], i + 1, refusal(run, &plan->items[i]));
	if (plan->fk_off)
		vg_heal_text_add(&t, "\nPRAGMA foreign_key_check;\n");
	if (plan->in_transaction)
		vg_heal_text_add(&t, "\nCOMMIT;\n");
	if (plan->fk_off)
		vg_heal_text_add(&t, "PRAGMA foreign_keys = ON;\n");
	const char *path = vg_heal_file_name(run->arena, run->settings->dir, run->system,
	                                     hd->database->name, ".heal.sql");
	char error[600];
	if (t.failed || !path)
		run->oom = 1;
	else if (vg_heal_write_file(path, t.data, error, sizeof error) == 0)
		hd->rec.plan_file = path;
	else if (!hd->write_failure &&
	         !(hd->write_failure = vg_arena_printf(run->arena, "the healing plan %s", error)))
		run->oom = 1;
	vg_heal_text_free(&t);
}

/* Notes the first write that failed; healing stops before its next statement. */
static void write_failed(heal_run *run, heal_db *hd, const char *what, const char *path, int error)
{
	if (hd->write_failure)
		return;
	hd->write_failure = vg_arena_printf(run->arena, "%s %s could not be written: %s", what,
	                                    path ? path : "?", strerror(error));
	if (!hd->write_failure)
		run->oom = 1;
}

/* Appends a journal line; 0, or -1 when it could not be written (hd->write_failure). */
static int journal(heal_run *run, heal_db *hd, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static int journal(heal_run *run, heal_db *hd, const char *fmt, ...)
{
	if (hd->journal_fd < 0)
		return hd->write_failure ? -1 : 0;
	char stamp[40];
	vg_heal_timestamp(stamp, sizeof stamp);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *line = n >= 0 ? malloc((size_t)n + sizeof stamp + 2) : NULL;
	if (!line) {
		run->oom = 1;
		return -1;
	}
	int k = snprintf(line, sizeof stamp + 2, "%s ", stamp);
	va_start(ap, fmt);
	vsnprintf(line + k, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = vg_heal_journal_line(hd->journal_fd, line);
	if (rc != 0)
		write_failed(run, hd, "the journal", hd->rec.journal_file, errno ? errno : EIO);
	free(line);
	return rc;
}

static void open_journal(heal_run *run, heal_db *hd)
{
	if (hd->journal_fd >= 0)
		return;
	const char *path = vg_heal_file_name(run->arena, run->settings->dir, run->system,
	                                     hd->database->name, ".heal.journal");
	if (!path) {
		run->oom = 1;
		return;
	}
	hd->journal_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
	if (hd->journal_fd < 0) {
		write_failed(run, hd, "the journal", path, errno);
		return;
	}
	hd->rec.journal_file = path;
	journal(run, hd,
	        "# vigil %s healing journal: database \"%s\" (%s) of system %s, blueprint %s; "
	        "each statement is recorded before it runs (start) and after (applied / "
	        "failed)",
	        vigil_version(), hd->database->name, vg_db_type_name(hd->database->type),
	        run->system, run->report->path);
}

/* MySQL after a failure: the statements not yet run, and the inverse of the applied ones. */
static void write_resume_and_undo(heal_run *run, heal_db *hd, const heal_plan *plan,
                                  size_t failed_at, const unsigned char *applied,
                                  const char *stopped)
{
	vg_heal_text t = { 0 };
	char error[600];
	text_header(run, hd, &t, "resume plan");
	vg_heal_text_add(&t, "-- Healing stopped: %s\n", vg_heal_one_line(run->arena, stopped));
	vg_heal_text_add(
	        &t,
	        "-- The statements before it are applied (journal: %s). Fix the cause, then "
	        "run these in order, statement by statement.\n",
	        hd->rec.journal_file ? hd->rec.journal_file : "not written");
	for (size_t i = failed_at; i < plan->count; i++)
		text_statement(&t, &plan->items[i], i + 1, refusal(run, &plan->items[i]));
	const char *path = vg_heal_file_name(run->arena, run->settings->dir, run->system,
	                                     hd->database->name, ".heal.resume.sql");
	if (!t.failed && path && vg_heal_write_file(path, t.data, error, sizeof error) == 0)
		hd->rec.resume_file = path;
	else if (path && !t.failed)
		write_failed(run, hd, "the resume plan", path, errno);
	vg_heal_text_free(&t);

	text_header(run, hd, &t, "undo plan");
	vg_heal_text_add(&t,
	                 "-- Reverses what healing applied before statement %zu, newest first. "
	                 "Run it statement by statement.\n",
	                 failed_at + 1);
	const unsigned char *done = applied;
	for (size_t p = plan->undo_count; p-- > 0;) {
		if (!done[p])
			continue;
		const char *first = NULL;
		for (size_t i = 0; i < plan->count && !first; i++)
			if (plan->items[i].sql && plan->items[i].proposal == p)
				first = plan->items[i].fixes;
		if (plan->undo[p])
			vg_heal_text_add(&t, "\n-- undoes %s\n%s\n", first ? first : "?",
			                 plan->undo[p]);
		else
			vg_heal_text_add(
			        &t,
			        "\n-- no inverse exists for the fix of %s: restore it from a "
			        "backup if it must go\n",
			        first ? first : "?");
	}
	path = vg_heal_file_name(run->arena, run->settings->dir, run->system, hd->database->name,
	                         ".heal.undo.sql");
	if (!t.failed && path && vg_heal_write_file(path, t.data, error, sizeof error) == 0)
		hd->rec.undo_file = path;
	else if (path && !t.failed)
		write_failed(run, hd, "the undo plan", path, errno);
	vg_heal_text_free(&t);
}

/* ------------------------------------------------------------ applying */

static int exec_one(heal_db *hd, vigil_conn *conn, const char *sql, double *ms, vigil_db_error *err)
{
	double t0 = vg_now_ms();
	int rc = vg_db_exec(hd->db, conn, sql, err);
	*ms = vg_now_ms() - t0;
	if (rc != 0 && vg_db_is_wait_timeout(hd->db, err)) {
		/* the statement hit its deadline: say what it waited for */
		char holders[1200], message[sizeof err->message];
		vg_db_explain_wait(hd->db, holders, sizeof holders);
		snprintf(message, sizeof message, "%s", err->message);
		snprintf(err->message, sizeof err->message,
		         "%.150s (after %.0f ms; lock timeout %u ms): %.300s", message, *ms,
		         vg_db_lock_timeout_ms(hd->db), holders);
	}
	return rc;
}

static int count_row(void *payload, size_t n, const char *const *values, const size_t *lengths)
{
	(void)n;
	(void)values;
	(void)lengths;
	(*(size_t *)payload)++;
	return 0;
}

/* Why healing must stop before its next statement, or NULL: what it does can no longer be
 * written down, or the run was interrupted (SIGINT/SIGTERM). */
static const char *halt_reason(heal_run *run, const heal_db *hd)
{
	if (hd->write_failure)
		return hd->write_failure;
	int sig = run->settings->interrupted ? *run->settings->interrupted : 0;
	if (sig)
		return vg_arena_printf(run->arena, "interrupted by %s",
		                       sig == SIGINT    ? "SIGINT"
		                       : sig == SIGTERM ? "SIGTERM"
		                                        : "a signal");
	return NULL;
}

/* PostgreSQL and SQLite: one transaction; a failure rolls all of it back. */
static void apply_transactional(heal_run *run, heal_db *hd, vigil_conn *conn, const heal_plan *plan,
                                unsigned round)
{
	vigil_db_error err;
	memset(&err, 0, sizeof err);
	size_t first = hd->stmt_count;
	const char *failure = NULL;
	size_t failed_at = SIZE_MAX;
	if (plan->fk_off && vg_db_exec(hd->db, conn, "PRAGMA foreign_keys = OFF", &err) != 0)
		failure = vg_arena_printf(run->arena, "PRAGMA foreign_keys = OFF failed: %s",
		                          err.message);
	if (!failure && vg_db_begin(hd->db, conn, &err) != 0)
		failure = vg_arena_printf(run->arena, "BEGIN failed: %s", err.message);
	int began = !failure;
	for (size_t i = 0; i < plan->count && !run->oom; i++) {
		const heal_item *it = &plan->items[i];
		const char *why = refusal(run, it);
		if (failure) {
			record(run, hd, it, round, why ? VIGIL_HEAL_REFUSED : VIGIL_HEAL_NOT_RUN,
			       why ? why : "not run: the transaction failed before it", 0);
			continue;
		}
		if (why) {
			record(run, hd, it, round, VIGIL_HEAL_REFUSED, why, 0);
			continue;
		}
		const char *halt = halt_reason(run, hd);
		if (halt) { /* the transaction is rolled back below: as if nothing ran */
			failure = halt;
			record(run, hd, it, round, VIGIL_HEAL_NOT_RUN,
			       vg_arena_printf(run->arena, "not run: healing stopped before it: %s",
			                       halt),
			       0);
			continue;
		}
		double ms = 0;
		hd->rec.attempted = 1;
		if (exec_one(hd, conn, it->sql, &ms, &err) != 0) {
			failure = vg_arena_strdup(run->arena, err.message);
			failed_at = i;
			record(run, hd, it, round, VIGIL_HEAL_FAILED, failure, ms);
			continue;
		}
		record(run, hd, it, round, VIGIL_HEAL_APPLIED, NULL, ms);
	}
	if (!failure && plan->fk_off) {
		size_t violations = 0;
		if (vg_db_query(hd->db, conn, "PRAGMA foreign_key_check", 0, NULL, count_row,
		                &violations, NULL, &err) != 0)
			failure = vg_arena_printf(run->arena, "PRAGMA foreign_key_check failed: %s",
			                          err.message);
		else if (violations)
			failure = vg_arena_printf(
			        run->arena,
			        "PRAGMA foreign_key_check found %zu row%s that violate "
			        "a foreign key after the rebuild",
			        violations, violations == 1 ? "" : "s");
	}
	if (!failure && began && vg_db_commit(hd->db, conn, &err) != 0)
		failure = vg_arena_printf(run->arena, "COMMIT failed: %s", err.message);
	if (failure && began)
		vg_db_rollback(hd->db, conn, &err);
	if (plan->fk_off)
		vg_db_exec(hd->db, conn, "PRAGMA foreign_keys = ON", &err);
	size_t applied = 0;
	for (size_t k = first; k < hd->stmt_count; k++) {
		vigil_heal_statement *s = &hd->stmts[k];
		if (s->outcome != VIGIL_HEAL_APPLIED)
			continue;
		if (failure) {
			s->outcome = VIGIL_HEAL_ROLLED_BACK;
			s->message = "rolled back with the transaction";
		} else {
			applied++;
		}
	}
	if (failure) {
		hd->rec.message = vg_arena_printf(
		        run->arena,
		        "round %u: %s%s%s; the transaction was rolled back: database %s is as it was "
		        "before this round",
		        round, failed_at != SIZE_MAX ? "statement " : "",
		        failed_at != SIZE_MAX
		                ? vg_arena_printf(run->arena, "%zu failed: ", failed_at + 1)
		                : "",
		        failure, hd->database->name);
		hd->active = 0;
	} else if (applied) {
		hd->applied_now = 1;
		hd->rec.applied = 1;
	}
}

/* MySQL/MariaDB: statement by statement, journaled; on a failure stop, resume and undo. */
static void apply_journaled(heal_run *run, heal_db *hd, vigil_conn *conn, const heal_plan *plan,
                            unsigned round)
{
	vigil_db_error err;
	memset(&err, 0, sizeof err);
	open_journal(run, hd);
	unsigned char *applied = calloc(plan->undo_count ? plan->undo_count : 1, 1);
	if (!applied) {
		run->oom = 1;
		return;
	}
	const char *failure = NULL;           /* why healing stopped */
	int statement_failed = 0;             /* ... because statement failed_at failed */
	size_t failed_at = SIZE_MAX, ran = 0; /* failed_at: where the resume plan starts */
	for (size_t i = 0; i < plan->count && !run->oom; i++) {
		const heal_item *it = &plan->items[i];
		const char *why = refusal(run, it);
		const char *line = it->sql ? vg_heal_one_line(run->arena, it->sql) : "(none)";
		if (failure) {
			record(run, hd, it, round, why ? VIGIL_HEAL_REFUSED : VIGIL_HEAL_NOT_RUN,
			       why ? why
			           : "not run: healing stopped before it (see the resume plan)",
			       0);
			journal(run, hd, "round %u statement %zu/%zu not run: %s", round, i + 1,
			        plan->count, line);
			continue;
		}
		if (why) {
			record(run, hd, it, round, VIGIL_HEAL_REFUSED, why, 0);
			journal(run, hd, "round %u statement %zu/%zu refused [%s] %s: %s", round,
			        i + 1, plan->count, risk_word(it->risk),
			        it->fixes ? it->fixes : it->code, line);
			continue;
		}
		/* nothing runs that the journal does not show, or after an interrupt */
		const char *halt = halt_reason(run, hd);
		if (!halt && journal(run, hd, "round %u statement %zu/%zu start [%s] %s: %s", round,
		                     i + 1, plan->count, risk_word(it->risk),
		                     it->fixes ? it->fixes : it->code, line) != 0)
			halt = hd->write_failure;
		if (halt) {
			failure = halt;
			failed_at = i;
			record(run, hd, it, round, VIGIL_HEAL_NOT_RUN,
			       vg_arena_printf(run->arena, "not run: healing stopped before it: %s",
			                       halt),
			       0);
			journal(run, hd, "round %u statement %zu/%zu not run (%s): %s", round,
			        i + 1, plan->count, halt, line);
			continue;
		}
		double ms = 0;
		hd->rec.attempted = 1;
		if (exec_one(hd, conn, it->sql, &ms, &err) != 0) {
			failure = vg_arena_strdup(run->arena, err.message);
			failed_at = i;
			statement_failed = 1;
			record(run, hd, it, round, VIGIL_HEAL_FAILED, failure, ms);
			journal(run, hd, "round %u statement %zu/%zu failed (%.1f ms): %s", round,
			        i + 1, plan->count, ms,
			        vg_heal_one_line(run->arena, failure ? failure : ""));
			continue;
		}
		ran++;
		applied[it->proposal] = 1;
		hd->applied_now = 1;
		hd->rec.applied = 1;
		record(run, hd, it, round, VIGIL_HEAL_APPLIED, NULL, ms);
		journal(run, hd, "round %u statement %zu/%zu applied (%.1f ms)", round, i + 1,
		        plan->count, ms);
	}
	if (!failure && hd->write_failure) { /* the last line could not be written */
		failure = hd->write_failure;
		failed_at = plan->count;
	}
	if (failure && !run->oom) {
		const char *stopped =
		        statement_failed ? vg_arena_printf(run->arena, "statement %zu failed: %s",
		                                           failed_at + 1, failure)
		                         : vg_arena_printf(run->arena, "before statement %zu: %s",
		                                           failed_at + 1, failure);
		write_resume_and_undo(run, hd, plan, failed_at, applied,
		                      stopped ? stopped : failure);
		journal(run, hd,
		        "round %u stopped at statement %zu: %zu applied before it stay applied; "
		        "resume plan %s, undo plan %s",
		        round, failed_at + 1, ran,
		        hd->rec.resume_file ? hd->rec.resume_file : "(not written)",
		        hd->rec.undo_file ? hd->rec.undo_file : "(not written)");
		hd->rec.message = vg_arena_printf(
		        run->arena,
		        "round %u: %s%s; MySQL/MariaDB DDL is not transactional: the "
		        "%zu statement%s before it stay%s applied (journal %s); resume with %s, undo with %s",
		        round, statement_failed ? "" : "healing stopped ",
		        stopped ? stopped : failure, ran, ran == 1 ? "" : "s", ran == 1 ? "s" : "",
		        hd->rec.journal_file ? hd->rec.journal_file : "(not written)",
		        hd->rec.resume_file ? hd->rec.resume_file : "(not written)",
		        hd->rec.undo_file ? hd->rec.undo_file : "(not written)");
		hd->active = 0;
	} else {
		journal(run, hd, "round %u done: %zu applied", round, ran);
	}
	free(applied);
}

/* One round on one database: plan, and with apply run it. */
static void heal_round(heal_run *run, heal_db *hd, unsigned round)
{
	vigil_conn *conn = NULL;
	vigil_db_error err;
	memset(&err, 0, sizeof err);
	hd->applied_now = 0;
	if (vg_db_connect(hd->db, &conn, &err) != 0) {
		hd->rec.message = vg_arena_printf(run->arena,
		                                  "round %u: cannot connect to database %s: %s",
		                                  round, hd->database->name, err.message);
		hd->active = 0;
		return;
	}
	heal_plan plan;
	memset(&plan, 0, sizeof plan);
	plan.in_transaction = hd->database->type != VG_DB_MYSQL;
	char why[700] = "";
	vg_check_rec *schema = find_check(run->report, hd->database->name, SCHEMA_CHECK);
	int rc = 0;
	/* The schema is healed when its check failed at first; later rounds go on with it
	 * even when the re-check passed with warnings left (extra objects refused). */
	if (round == 1)
		hd->heal_schema = schema && schema->status == VIGIL_STATUS_FAILED;
	if (hd->heal_schema)
		rc = plan_schema(run, hd, conn, &plan, why, sizeof why);
	if (rc == 0 && !run->oom)
		plan_plugins(run, hd, &plan);
	if (rc != 0 || run->oom) {
		hd->rec.message = why[0] ? vg_arena_strdup(run->arena, why) : "out of memory";
		hd->active = 0;
		vg_db_disconnect(hd->db, conn);
		plan_free(&plan);
		return;
	}
	if (round == 1) {
		hd->rec.drift_before = plan.drift;
		hd->rec.drift_after = plan.drift; /* the re-check's count replaces it */
		write_plan(run, hd, &plan);
	}
	if (hd->write_failure && run->settings->mode == VIGIL_HEAL_APPLY) {
		/* what apply would run must be written down first */
		hd->rec.message =
		        vg_arena_printf(run->arena, "no statement was run: %s", hd->write_failure);
		for (size_t i = 0; i < plan.count; i++)
			record(run, hd, &plan.items[i], round, VIGIL_HEAL_NOT_RUN, hd->rec.message,
			       0);
		hd->active = 0;
		vg_db_disconnect(hd->db, conn);
		plan_free(&plan);
		return;
	}
	size_t runnable = 0;
	for (size_t i = 0; i < plan.count; i++)
		runnable += !refusal(run, &plan.items[i]);
	if (run->settings->mode == VIGIL_HEAL_PLAN) {
		for (size_t i = 0; i < plan.count; i++) {
			const char *no = refusal(run, &plan.items[i]);
			record(run, hd, &plan.items[i], round,
			       no ? VIGIL_HEAL_REFUSED : VIGIL_HEAL_PLANNED, no, 0);
		}
		hd->rec.rounds = 1;
		hd->rec.converged = plan.count == 0 && plan.drift == 0;
		hd->active = 0;
	} else if (runnable == 0) {
		/* Later rounds: what is left was refused (and recorded) before. */
		for (size_t i = 0; i < plan.count && round == 1; i++)
			record(run, hd, &plan.items[i], round, VIGIL_HEAL_REFUSED,
			       refusal(run, &plan.items[i]), 0);
		hd->active = 0;
	} else {
		hd->rec.rounds = round;
		if (round == 1 && hd->database->type == VG_DB_SQLITE) {
			const vigil_driver *driver = vg_db_driver(hd->db);
			const char *path = vg_heal_file_name(run->arena, run->settings->dir,
			                                     run->system, hd->database->name,
			                                     ".backup.sqlite");
			if (!driver->backup || !path || driver->backup(conn, path, &err) != 0) {
				if (path && driver->backup)
					vg_db_scrub(hd->db, err.message, sizeof err.message);
				hd->rec.message = vg_arena_printf(
				        run->arena,
				        "no statement was run: the backup of database %s failed: %s",
				        hd->database->name,
				        driver->backup ? err.message
				                       : "its driver plugin cannot make backups");
				for (size_t i = 0; i < plan.count; i++)
					record(run, hd, &plan.items[i], round, VIGIL_HEAL_NOT_RUN,
					       hd->rec.message, 0);
				hd->active = 0;
				vg_db_disconnect(hd->db, conn);
				plan_free(&plan);
				return;
			}
			hd->rec.backup_file = path;
		}
		if (plan.in_transaction)
			apply_transactional(run, hd, conn, &plan, round);
		else
			apply_journaled(run, hd, conn, &plan, round);
	}
	vg_db_disconnect(hd->db, conn);
	plan_free(&plan);
}

/* ------------------------------------------------------------ checking again */

/* "CODE object, ..." of a check's findings. */
static const char *finding_list(heal_run *run, const char *database, const char *check)
{
	vg_heal_text t = { 0 };
	for (size_t i = 0; i < run->report->finding_count; i++) {
		const vigil_finding *f = run->report->findings[i];
		if (f->level != 3 || !f->database || strcmp(f->database, database) != 0 ||
		    !f->check || strcmp(f->check, check) != 0)
			continue;
		vg_heal_text_add(&t, "%s%s%s%s", t.length ? ", " : "", f->code,
		                 f->object ? " " : "", f->object ? f->object : "");
	}
	const char *out = t.length && !t.failed ? vg_arena_strdup(run->arena, t.data) : NULL;
	if (t.failed)
		run->oom = 1;
	vg_heal_text_free(&t);
	return out;
}

/* Takes the database's level-3 records and findings out of the report (the first time,
 * keeping a summary as its initial checks). */
static void take_out(heal_run *run, heal_db *hd)
{
	vigil_report *r = run->report;
	vg_level_rec *lv = &r->levels[2];
	const char *name = hd->database->name;
	if (!hd->initial) {
		size_t n = 0;
		for (size_t i = 0; i < lv->check_count; i++)
			n += lv->checks[i].database && strcmp(lv->checks[i].database, name) == 0;
		hd->initial = vg_arena_array(run->arena, n ? n : 1, sizeof *hd->initial);
		if (!hd->initial) {
			run->oom = 1;
			return;
		}
		for (size_t i = 0; i < lv->check_count; i++) {
			const vg_check_rec *c = &lv->checks[i];
			if (!c->database || strcmp(c->database, name) != 0)
				continue;
			hd->initial[hd->initial_count++] = (vigil_heal_check){
				c->name,
				c->status,
				c->reason,
				c->finding_count,
				finding_list(run, name, c->name),
			};
		}
	}
	/* findings first: they are matched by the checks' names */
	size_t keep = 0;
	for (size_t i = 0; i < r->finding_count; i++) {
		vigil_finding *f = r->findings[i];
		int ours = f->level == 3 && f->database && strcmp(f->database, name) == 0 &&
		           f->check && find_check(r, name, f->check);
		if (ours && f->severity == VIGIL_SEVERITY_ERROR && r->error_count > 0)
			r->error_count--;
		if (!ours)
			r->findings[keep++] = f;
	}
	r->finding_count = keep;
	keep = 0;
	for (size_t i = 0; i < lv->check_count; i++) {
		const vg_check_rec *c = &lv->checks[i];
		if (!(c->database && strcmp(c->database, name) == 0))
			lv->checks[keep++] = *c;
	}
	lv->check_count = keep;
}

/* Runs level 3's database checks again on the databases healed this round. */
static int recheck(heal_run *run)
{
	size_t n = 0;
	for (size_t i = 0; i < run->count; i++)
		n += run->dbs[i].applied_now;
	if (n == 0)
		return VIGIL_OK;
	vg_database *subset = calloc(n, sizeof *subset);
	if (!subset)
		return VIGIL_ENOMEM;
	n = 0;
	for (size_t i = 0; i < run->count; i++) {
		if (run->dbs[i].applied_now) {
			take_out(run, &run->dbs[i]);
			subset[n++] = *run->dbs[i].database;
		}
	}
	vg_blueprint bp = *run->ctx->blueprint;
	bp.databases = subset;
	bp.database_count = n;
	vigil_check_ctx sub = *run->ctx;
	sub.blueprint = &bp;
	sub.check = NULL;
	sub.level = 3;
	vg_level_rec *lv = &run->report->levels[2];
	size_t before = lv->check_count;
	int rc = run->oom ? VIGIL_ENOMEM : vg_plugin_host_level3(run->host, &sub);
	free(subset);
	/* The plugin host records refused plugins again: those records exist already. */
	size_t keep = before;
	for (size_t i = before; i < lv->check_count; i++)
		if (lv->checks[i].database)
			lv->checks[keep++] = lv->checks[i];
	lv->check_count = keep;
	return rc;
}

/* After a re-check: has the database converged? */
static void judge(heal_run *run, heal_db *hd)
{
	const char *name = hd->database->name;
	const vg_check_rec *schema = find_check(run->report, name, SCHEMA_CHECK);
	size_t drift = 0;
	for (size_t i = 0; i < run->report->finding_count; i++) {
		const vigil_finding *f = run->report->findings[i];
		if (f->level == 3 && f->database && strcmp(f->database, name) == 0 && f->check &&
		    strcmp(f->check, SCHEMA_CHECK) == 0 && is_drift_code(f->code))
			drift++;
	}
	hd->rec.drift_after = drift;
	/* Healing only a plugin check's failure leaves the schema's warnings as they were: then
	 * the schema check must merely not fail. */
	int ok = hd->heal_schema ? schema &&
	                                   (schema->status == VIGIL_STATUS_PASSED ||
	                                    schema->status == VIGIL_STATUS_FAILED) &&
	                                   drift == 0
	                         : !schema || schema->status != VIGIL_STATUS_FAILED;
	for (size_t k = 0; k < hd->proposer_count && ok; k++) {
		const vg_check_rec *c = find_check(run->report, name, hd->proposers[k]);
		ok = c && c->status == VIGIL_STATUS_PASSED;
	}
	/* Converged means every statement it ran succeeded, not only that no drift is left. */
	ok = ok && hd->failed == 0;
	hd->rec.converged = ok;
	if (ok)
		hd->active = 0;
}

/* The error finding behind a heal that did not converge (apply): the failed statement and the
 * database's error (VG614), else why drift is left (VG615). VIGIL_OK or VIGIL_ENOMEM. */
static int not_converged_finding(vigil_report *r, const vigil_heal_database *h)
{
	const vigil_heal_statement *failed = NULL;
	for (size_t i = 0; i < h->statement_count && !failed; i++)
		if (h->statements[i].outcome == VIGIL_HEAL_FAILED)
			failed = &h->statements[i];
	const char *message =
	        failed ? vg_arena_printf(r->arena,
	                                 "healing database %s did not converge: the statement for "
	                                 "%s failed: %s; the database said: %s",
	                                 h->database, failed->fixes ? failed->fixes : failed->code,
	                                 failed->sql ? vg_heal_one_line(r->arena, failed->sql) : "",
	                                 failed->message ? failed->message : "(no message)")
	               : vg_arena_printf(r->arena, "healing database %s did not converge: %s",
	                                 h->database, h->message ? h->message : "drift is left");
	vg_code code = failed ? VG_RUN_HEAL_FAILED : VG_RUN_HEAL_NOT_CONVERGED;
	vigil_finding *f = message ? vg_report_add_finding(r, 3, "heal", vg_code_info(code)->code,
	                                                   VIGIL_SEVERITY_ERROR, message)
	                           : NULL;
	if (!f)
		return VIGIL_ENOMEM;
	f->database = h->database;
	f->object = failed ? failed->object : NULL;
	if (failed) {
		f->proposal = failed->sql;
		f->risk = failed->risk;
	}
	vg_hint(f, "%s",
	        failed ? "see the journal, resume and undo plans in the healing section"
	               : "see the statements in the healing section; refused ones need "
	                 "--allow-destructive");
	return VIGIL_OK;
}

static void summarise(heal_run *run, heal_db *hd)
{
	vigil_heal_database *rec = &hd->rec;
	size_t applied = 0;
	for (size_t i = 0; i < hd->stmt_count; i++)
		applied += hd->stmts[i].outcome == VIGIL_HEAL_APPLIED;
	if (rec->mode == VIGIL_HEAL_PLAN) {
		if (!rec->message && hd->write_failure)
			rec->message = hd->write_failure;
		if (!rec->message)
			rec->message = vg_arena_printf(
			        run->arena,
			        "planned %zu statement%s%s%s (%zu refused without "
			        "--allow-destructive or impossible); nothing was changed",
			        hd->stmt_count - hd->refused,
			        hd->stmt_count - hd->refused == 1 ? "" : "s",
			        rec->plan_file ? " in " : "", rec->plan_file ? rec->plan_file : "",
			        hd->refused);
		return;
	}
	if (rec->converged) {
		rec->message = vg_arena_printf(
		        run->arena,
		        "converged in %u round%s: %zu statement%s applied; the "
		        "re-check found no drift",
		        rec->rounds, rec->rounds == 1 ? "" : "s", applied, applied == 1 ? "" : "s");
	} else if (!rec->message) {
		rec->message = vg_arena_printf(
		        run->arena,
		        "did not converge: %zu drift finding%s left%s%s; %zu statement%s applied",
		        rec->drift_after, rec->drift_after == 1 ? "" : "s",
		        hd->refused ? ", statements refused (data-dependent or destructive: "
		                      "rerun with --allow-destructive, or no statement exists)"
		                    : "",
		        rec->rounds >= run->settings->rounds && !hd->refused ? ", rounds used up"
		                                                             : "",
		        applied, applied == 1 ? "" : "s");
	}
}

static int interrupted(const heal_run *run)
{
	return run->settings->interrupted && *run->settings->interrupted;
}

/* Healing that stopped because it could not write down what it does, or was interrupted: a
 * finding of its own, so that the failed level has one behind it. */
static int stopped_finding(heal_run *run, const heal_db *hd)
{
	const char *code = hd->write_failure ? "VG626" : interrupted(run) ? "VG627" : NULL;
	if (!code || (!hd->write_failure && !hd->rec.attempted && !hd->stmt_count))
		return VIGIL_OK;
	const char *message =
	        vg_arena_printf(run->arena, "database %s: healing stopped: %s", hd->database->name,
	                        hd->write_failure ? hd->write_failure : halt_reason(run, hd));
	vigil_finding *f = message ? vg_report_add_finding(run->report, 3, NULL, code,
	                                                   VIGIL_SEVERITY_ERROR, message)
	                           : NULL;
	if (!f)
		return VIGIL_ENOMEM;
	f->database = hd->rec.database;
	f->detail = hd->rec.message;
	f->hint = hd->write_failure ? "free space in (or fix the permissions of) the heal folder, "
	                              "then run vigil again: the resume plan, where written, "
	                              "says what is left"
	                            : "see the journal and the resume plan for what ran, then run "
	                              "vigil again";
	return VIGIL_OK;
}

int vg_heal_level3(vg_plugin_host *host, vigil_check_ctx *ctx, const vg_heal_settings *settings)
{
	const vg_blueprint *bp = ctx->blueprint;
	heal_run run = {
		.host = host,
		.ctx = ctx,
		.report = ctx->report,
		.arena = ctx->report->arena,
		.settings = settings,
		.system = bp->name && *bp->name ? bp->name : "blueprint",
	};
	run.dbs = calloc(bp->database_count ? bp->database_count : 1, sizeof *run.dbs);
	if (!run.dbs)
		return VIGIL_ENOMEM;
	for (size_t i = 0; i < bp->database_count; i++) {
		const vg_database *d = &bp->databases[i];
		const vg_check_rec *schema = find_check(ctx->report, d->name, SCHEMA_CHECK);
		if (!(schema && schema->status == VIGIL_STATUS_FAILED) &&
		    !has_healable_failure(&run, d->name))
			continue;
		heal_db *hd = &run.dbs[run.count++];
		hd->database = d;
		hd->journal_fd = -1;
		hd->active = 1;
		hd->rec.database =
		        vg_arena_strdup(run.arena, d->name); /* the blueprint dies first */
		if (!hd->rec.database)
			run.oom = 1;
		hd->rec.database_type = vg_db_type_name(d->type);
		hd->rec.mode = settings->mode;
		vigil_db_error err;
		memset(&err, 0, sizeof err);
		if (vg_db_open_database(&hd->db, vg_plugin_host_plugins(host), d, NULL, &err) !=
		    0) {
			hd->db = NULL;
			hd->active = 0;
			hd->rec.message = vg_arena_printf(run.arena, "cannot open database %s: %s",
			                                  d->name, err.message);
		} else {
			/* each statement and lock wait of healing ends by the check timeout */
			vg_db_set_deadline(hd->db, vg_plugin_host_timeout(host), 0);
		}
	}
	int rc = VIGIL_OK;
	unsigned rounds = settings->mode == VIGIL_HEAL_PLAN ? 1 : settings->rounds;
	for (unsigned round = 1; round <= rounds && rc == VIGIL_OK && !run.oom; round++) {
		for (size_t i = 0; i < run.count && !run.oom; i++)
			if (run.dbs[i].active && !interrupted(&run))
				heal_round(&run, &run.dbs[i], round);
		/* interrupted: no re-check; the report goes out with what happened */
		if (settings->mode == VIGIL_HEAL_PLAN || run.oom || interrupted(&run))
			break;
		rc = recheck(&run);
		for (size_t i = 0; i < run.count && rc == VIGIL_OK; i++)
			if (run.dbs[i].applied_now)
				judge(&run, &run.dbs[i]);
		int any = 0;
		for (size_t i = 0; i < run.count; i++) {
			any |= run.dbs[i].active && run.dbs[i].applied_now;
			run.dbs[i].applied_now = 0;
		}
		if (!any)
			break;
	}
	if (run.oom)
		rc = VIGIL_ENOMEM;
	/* Into the report: records in the report's arena. */
	if (rc == VIGIL_OK && run.count) {
		ctx->report->heals =
		        vg_arena_array(run.arena, run.count, sizeof *ctx->report->heals);
		if (!ctx->report->heals)
			rc = VIGIL_ENOMEM;
	}
	const char *not_converged = NULL;
	for (size_t i = 0; i < run.count; i++) {
		heal_db *hd = &run.dbs[i];
		if (hd->journal_fd >= 0)
			close(hd->journal_fd);
		vg_db_close(hd->db);
		if (rc != VIGIL_OK) {
			free(hd->stmts);
			free(hd->proposers);
			continue;
		}
		summarise(&run, hd);
		vigil_heal_statement *stmts = vg_arena_array(
		        run.arena, hd->stmt_count ? hd->stmt_count : 1, sizeof *stmts);
		if (!stmts || !hd->rec.message) {
			rc = VIGIL_ENOMEM;
		} else {
			if (hd->stmt_count)
				memcpy(stmts, hd->stmts, hd->stmt_count * sizeof *stmts);
			hd->rec.statements = stmts;
			hd->rec.statement_count = hd->stmt_count;
			hd->rec.initial_checks = hd->initial;
			hd->rec.initial_check_count = hd->initial_count;
			ctx->report->heals[ctx->report->heal_count++] = hd->rec;
			if (settings->mode == VIGIL_HEAL_APPLY && !hd->rec.converged &&
			    !not_converged)
				not_converged = hd->rec.database;
			if (rc == VIGIL_OK)
				rc = stopped_finding(&run, hd);
			if (hd->write_failure && !not_converged)
				not_converged = hd->rec.database;
		}
		free(hd->stmts);
		free(hd->proposers);
	}
	free(run.dbs);
	if (rc != VIGIL_OK)
		return rc;
	for (size_t i = 0; rc == VIGIL_OK && i < ctx->report->heal_count; i++)
		if (ctx->report->heals[i].mode == VIGIL_HEAL_APPLY &&
		    !ctx->report->heals[i].converged)
			rc = not_converged_finding(ctx->report, &ctx->report->heals[i]);
	if (rc == VIGIL_OK)
		rc = vg_level_settle(ctx->report, 3);
	vg_level_rec *lv = &ctx->report->levels[2];
	if (rc == VIGIL_OK && not_converged) {
		lv->status = VIGIL_STATUS_FAILED;
		lv->reason = vg_arena_printf(run.arena, "healing did not converge for database %s",
		                             not_converged);
		if (!lv->reason)
			rc = VIGIL_ENOMEM;
	}
	return rc;
}
