/*
 * permissions.c — may the connected user do what the blueprint needs, and no more? (check
 * "permissions", after "preflight")
 *
 * Required (required.c): the database's `permissions:` list on every declared table, and
 * insert + select on the table of every Store component writing into the database. Held:
 * the driver's reading of the catalogs (host->db_privileges), with the semantics the drivers
 * share — a grant with no object holds on every table, "all" implies every privilege of its
 * object, "superuser" implies everything. Where the catalogs cannot tell — SQLite, which has
 * no users (only a read-only file or connection refuses writes), and a table the catalogs say
 * nothing about — the privilege is proved by a probe that changes nothing (probe.c). Every
 * table is first probed with a SELECT that matches no row, which also tells whether it
 * exists: a missing table is left to the schema check (and said in the log).
 *
 * Findings:
 *   VG550 error    per table, every required privilege the user lacks
 *   VG551 warning  the user is a superuser
 *   VG552 warning  the user may create, alter or drop (on the database or on a checked
 *                  table) while the blueprint requires none of those. A table's owner counts:
 *                  on PostgreSQL an owner may always ALTER and DROP its tables, and MySQL's
 *                  owner holds ALL on the database. SQLite is exempt: without users, whoever
 *                  may write the file may change its schema, and nothing separates the two.
 *   VG553 error    a required privilege could neither be read from the catalogs nor probed
 * Metrics: tables_checked, privileges_required, privileges_missing, probes.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "permissions.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt_, args_) __attribute__((format(printf, fmt_, args_)))
#else
#define PRINTF_LIKE(fmt_, args_)
#endif

/* ---------------------------------------------------------------- the catalogs */

typedef struct catalog {
	const vigil_privilege *items;
	size_t count;
	int readable;
} catalog;

/* Whether the catalogs grant `bit` on `table` (NULL: database-wide), as vg_privilege_has. */
static int catalog_has(const catalog *cat, const char *table, unsigned bit)
{
	const char *wanted = privilege_name(bit);
	for (size_t i = 0; i < cat->count; i++) {
		const vigil_privilege *p = &cat->items[i];
		if (!p->privilege)
			continue;
		int on_object = !p->object || (table && strcmp(p->object, table) == 0);
		if (!on_object)
			continue;
		if (strcmp(p->privilege, wanted) == 0 || strcmp(p->privilege, "superuser") == 0 ||
		    strcmp(p->privilege, "all") == 0)
			return 1;
	}
	return 0;
}

/* Whether the catalogs say anything at all about `table` itself. */
static int catalog_mentions(const catalog *cat, const char *table)
{
	for (size_t i = 0; i < cat->count; i++)
		if (cat->items[i].object && strcmp(cat->items[i].object, table) == 0)
			return 1;
	return 0;
}

static int catalog_superuser(const catalog *cat)
{
	for (size_t i = 0; i < cat->count; i++)
		if (!cat->items[i].object && cat->items[i].privilege &&
		    strcmp(cat->items[i].privilege, "superuser") == 0)
			return 1;
	return 0;
}

/* The schema-changing privileges granted on exactly `object` (NULL: database-wide). */
static unsigned catalog_ddl_on(const catalog *cat, const char *object)
{
	unsigned mask = 0;
	for (size_t i = 0; i < cat->count; i++) {
		const vigil_privilege *p = &cat->items[i];
		int same = object ? p->object && strcmp(p->object, object) == 0 : !p->object;
		if (!same || !p->privilege)
			continue;
		if (strcmp(p->privilege, "all") == 0)
			mask |= PRIV_DDL;
		else
			mask |= privilege_bit(p->privilege) & PRIV_DDL;
	}
	return mask;
}

/* ---------------------------------------------------------------- state */

typedef struct check_state {
	vigil_check_ctx *ctx;
	const vigil_host *host;
	const char *database;      /* the blueprint's name for it */
	int sqlite, mysql;
	char user[128];            /* the effective user; "" on SQLite */
	char live_database[512];   /* the server's name for it (SQLite: the file) */
	catalog cat;
	prober probe;
	unsigned tables_checked, required, missing;
	int errors;
	const char **checked;      /* the tables that exist, for VG552 */
	size_t checked_count;
} check_state;

typedef struct table_verdict {
	unsigned held, missing, unknown;
	char why[1500];            /* how each missing / unknown privilege was decided */
	size_t why_length;
} table_verdict;

/* "user vigil_ro" or, on SQLite, "the connection". */
static void subject(const check_state *s, char *out, size_t size)
{
	if (s->user[0])
		snprintf(out, size, "user %s", s->user);
	else
		snprintf(out, size, "the connection");
}

static void PRINTF_LIKE(2, 3) add_reason(table_verdict *v, const char *fmt, ...)
{
	size_t room = sizeof v->why - v->why_length;
	if (room < 8)
		return;
	if (v->why_length) {
		memcpy(v->why + v->why_length, "; ", 3);
		v->why_length += 2;
		room -= 2;
	}
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(v->why + v->why_length, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		v->why_length += (size_t)n < room ? (size_t)n : room - 1;
}

/* ---------------------------------------------------------------- deciding one privilege */

/* The catalogs' answer; `probe_note` says why a probe did not answer, or is NULL. */
static void decide_by_catalog(check_state *s, const required_table *t, unsigned bit,
                              table_verdict *v, const char *probe_note)
{
	const char *name = privilege_name(bit);
	if (!s->cat.readable) {
		v->unknown |= bit;
		if (probe_note)
			add_reason(v, "%s: the catalogs could not be read and %s", name, probe_note);
		else
			add_reason(v, "%s: the catalogs could not be read and it cannot be probed", name);
		return;
	}
	if (catalog_has(&s->cat, t->name, bit)) {
		v->held |= bit;
		return;
	}
	v->missing |= bit;
	if (probe_note)
		add_reason(v, "%s: not granted (catalogs; %s)", name, probe_note);
	else
		add_reason(v, "%s: not granted (catalogs)", name);
}

/* Probes one privilege; the catalogs answer when the probe cannot. */
static void decide_by_probe(check_state *s, const required_table *t, unsigned bit,
                            table_verdict *v)
{
	char sql[800];
	vigil_db_error err = { 0 };
	probe_outcome outcome =
	        probe_privilege(&s->probe, t->name, t->column, bit, sql, sizeof sql, &err);
	if (outcome == PROBE_HELD) {
		v->held |= bit;
		return;
	}
	if (outcome == PROBE_DENIED) {
		v->missing |= bit;
		add_reason(v, "%s: the probe \"%s\" was refused: %s", privilege_name(bit), sql,
		           err.message);
		return;
	}
	char note[1400];
	snprintf(note, sizeof note, "the probe \"%s\" did not tell: %s", sql,
	         err.message[0] ? err.message : "no message");
	s->host->log(s->ctx, VIGIL_PLUGIN_WARNING, "table %s, %s: %s", t->name,
	             privilege_name(bit), note);
	if (outcome == PROBE_BROKEN) {
		v->unknown |= bit;
		add_reason(v, "%s: %s", privilege_name(bit), note);
		return;
	}
	decide_by_catalog(s, t, bit, v, note);
}

/* What the SELECT probe of a table found (HELD, DENIED, or another outcome when it did not
 * tell), the statement and the database's answer. */
typedef struct select_result {
	probe_outcome outcome;
	char sql[800];
	vigil_db_error err;
} select_result;

/* Decides every required privilege of an existing table. */
static void decide_table(check_state *s, const required_table *t, const select_result *sel,
                         table_verdict *v)
{
	probe_outcome select_probe = sel->outcome;
	int mentioned = s->cat.readable && catalog_mentions(&s->cat, t->name);
	for (unsigned i = 0; i < PRIV_COUNT; i++) {
		unsigned bit = 1u << i;
		if (!(t->mask & bit))
			continue;
		if (bit == PRIV_SELECT) { /* the table's first probe answered it already */
			char note[1400];
			snprintf(note, sizeof note, "the probe \"%s\" did not tell: %s", sel->sql,
			         sel->err.message[0] ? sel->err.message : "no message");
			if (select_probe == PROBE_HELD) {
				v->held |= bit;
			} else if (select_probe == PROBE_DENIED) {
				v->missing |= bit;
				add_reason(v, "select: the probe \"%s\" was refused: %s", sel->sql,
				           sel->err.message);
			} else if (select_probe == PROBE_BROKEN) {
				v->unknown |= bit;
				add_reason(v, "select: %s", note);
			} else {
				decide_by_catalog(s, t, bit, v, note);
			}
			continue;
		}
		/* SQLite: the driver's answer is a guess from file modes (root writes a 0444
		 * file; a read-only mount refuses a writable-looking one): probe. Elsewhere: only
		 * where the catalogs are silent about the table and grant nothing database-wide. */
		int probe = (bit & PRIV_PROBEABLE) &&
		            (s->sqlite || !s->cat.readable ||
		             (!mentioned && !catalog_has(&s->cat, t->name, bit)));
		/* INSERT ... SELECT and UPDATE SET c = c read the table too: without select a
		 * refusal would not say which privilege was missing. */
		if (probe && (bit == PRIV_INSERT || bit == PRIV_UPDATE) && select_probe == PROBE_DENIED) {
			decide_by_catalog(s, t, bit, v, "not probed: the probe needs select");
			continue;
		}
		if (probe)
			decide_by_probe(s, t, bit, v);
		else
			decide_by_catalog(s, t, bit, v, NULL);
	}
}

/* ---------------------------------------------------------------- findings */

/* Where the requirement comes from, for the detail. */
static void describe_sources(const required_table *t, char *out, size_t size)
{
	char list[200];
	size_t used = 0;
	out[0] = '\0';
	if (t->from_list) {
		privilege_list(list, sizeof list, t->from_list);
		int n = snprintf(out, size, "the database's permissions: [%s]", list);
		used = n > 0 && (size_t)n < size ? (size_t)n : 0;
	}
	for (size_t i = 0; i < t->store_count && i < STORES_KEPT && used < size; i++) {
		int n = snprintf(out + used, size - used, "%sStore %s (insert, select)",
		                 used ? (i + 1 == t->store_count || i + 1 == STORES_KEPT ? " and " : ", ")
		                      : "",
		                 t->stores[i]);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
	if (t->store_count > STORES_KEPT && used < size)
		snprintf(out + used, size - used, " (and %zu more Stores)", t->store_count - STORES_KEPT);
}

/* A GRANT an administrator could run, in the database's dialect. */
static void grant_hint(const check_state *s, const required_table *t, unsigned missing,
                       char *out, size_t size)
{
	char list[200];
	privilege_list(list, sizeof list, missing);
	for (char *c = list; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	if (s->sqlite) {
		snprintf(out, size,
		         "SQLite has no users: open the file read-write (no mode=ro in the url) and "
		         "make the file and its folder writable by the user the system runs as");
	} else if (s->mysql) {
		/* CURRENT_USER() is user@host: a grantee is 'user'@'host'. */
		const char *at = strrchr(s->user, '@');
		int user_length = at ? (int)(at - s->user) : (int)strlen(s->user);
		snprintf(out, size, "as an administrator: GRANT %s ON `%s`.`%s` TO '%.*s'@'%s';", list,
		         s->live_database, t->name, user_length, s->user, at ? at + 1 : "%");
	} else {
		snprintf(out, size, "as an administrator (or the table's owner): GRANT %s ON \"%s\" TO \"%s\";",
		         list, t->name, s->user);
	}
}

static void report_missing(check_state *s, const required_table *t, const table_verdict *v)
{
	const vigil_host *host = s->host;
	char who[160], list[200], message[700], sources[700], detail[3000], hint[1400];
	char expected[200], actual[200];
	subject(s, who, sizeof who);
	privilege_list(list, sizeof list, v->missing);
	snprintf(message, sizeof message, "%s lacks %s on table %s of database %s", who, list,
	         t->name, s->database);
	describe_sources(t, sources, sizeof sources);
	snprintf(detail, sizeof detail, "required by %s; %s", sources, v->why);
	grant_hint(s, t, v->missing, hint, sizeof hint);
	privilege_list(expected, sizeof expected, t->mask);
	privilege_list(actual, sizeof actual, v->held);

	vigil_finding *f = host->finding_add(s->ctx, "VG550", VIGIL_PLUGIN_ERROR, message);
	host->finding_set_detail(f, detail);
	host->finding_set_hint(f, hint);
	host->finding_set_object(f, NULL, t->name);
	host->finding_set_evidence(f, expected, actual);
	s->errors++;
}

static void report_unknown(check_state *s, const required_table *t, const table_verdict *v)
{
	const vigil_host *host = s->host;
	char who[160], list[200], message[700], detail[2000];
	subject(s, who, sizeof who);
	privilege_list(list, sizeof list, v->unknown);
	snprintf(message, sizeof message,
	         "whether %s holds %s on table %s of database %s could not be read or probed", who,
	         list, t->name, s->database);
	snprintf(detail, sizeof detail, "%s", v->why);
	vigil_finding *f = host->finding_add(s->ctx, "VG553", VIGIL_PLUGIN_ERROR, message);
	host->finding_set_detail(f, detail);
	host->finding_set_hint(f, "check that the catalogs are readable by the user and that the "
	                          "database answers; see the check's log");
	host->finding_set_object(f, NULL, t->name);
	host->finding_set_evidence(f, list, "unknown");
	s->errors++;
}

static void report_superuser(check_state *s)
{
	char message[300];
	snprintf(message, sizeof message, "user %s of database %s is a superuser",
	         s->user[0] ? s->user : "(unknown)", s->database);
	vigil_finding *f = s->host->finding_add(s->ctx, "VG551", VIGIL_PLUGIN_WARNING, message);
	s->host->finding_set_detail(f, "a superuser bypasses every privilege check, so this check "
	                               "proves nothing about what the system will be allowed to do");
	s->host->finding_set_hint(f, "connect as a role that holds only the privileges the "
	                             "blueprint lists under permissions:");
	s->host->finding_set_evidence(f, "an ordinary user", "superuser");
}

/* VG552: schema changes are possible while only data access is required. */
static void check_excess_ddl(check_state *s, unsigned required_ddl)
{
	if (required_ddl || !s->cat.readable || catalog_superuser(&s->cat))
		return;
	if (s->sqlite) {
		if (catalog_ddl_on(&s->cat, NULL))
			s->host->log(s->ctx, VIGIL_PLUGIN_INFO,
			             "SQLite has no users: whoever may write the file may change its "
			             "schema (not reported as VG552)");
		return;
	}
	char detail[2000] = "", list[200];
	size_t used = 0;
	unsigned held = catalog_ddl_on(&s->cat, NULL);
	if (held) {
		privilege_list(list, sizeof list, held);
		int n = snprintf(detail, sizeof detail, "%s database-wide", list);
		used = n > 0 && (size_t)n < sizeof detail ? (size_t)n : 0;
	}
	unsigned any = held;
	for (size_t i = 0; i < s->checked_count && used < sizeof detail; i++) {
		unsigned on_table = catalog_ddl_on(&s->cat, s->checked[i]) & ~held;
		if (!on_table)
			continue;
		any |= on_table;
		privilege_list(list, sizeof list, on_table);
		int n = snprintf(detail + used, sizeof detail - used, "%s%s on table %s",
		                 used ? "; " : "", list, s->checked[i]);
		if (n < 0 || (size_t)n >= sizeof detail - used)
			break;
		used += (size_t)n;
	}
	if (!any)
		return;
	char who[160], message[600], actual[200];
	subject(s, who, sizeof who);
	privilege_list(actual, sizeof actual, any);
	snprintf(message, sizeof message,
	         "%s may change the schema of database %s (%s) but the blueprint requires only "
	         "data access", who, s->database, actual);
	vigil_finding *f = s->host->finding_add(s->ctx, "VG552", VIGIL_PLUGIN_WARNING, message);
	s->host->finding_set_detail(f, detail);
	s->host->finding_set_hint(
	        f, s->mysql ? "grant the runtime user only the data privileges it needs (e.g. "
	                      "SELECT, INSERT, UPDATE, DELETE ON the database), or list create/alter/"
	                      "drop under permissions: if the system changes its own schema"
	                    : "revoke CREATE on the schema from this user and let another role own "
	                      "the tables (an owner may always ALTER and DROP them), granting this "
	                      "user only the data privileges it needs; or list create/alter/drop "
	                      "under permissions: if the system changes its own schema");
	s->host->finding_set_evidence(f, "no create, alter or drop", actual);
}

/* ---------------------------------------------------------------- the check */

/* One table: does it exist, what is held, what is missing. */
static void check_table(check_state *s, const required_table *t)
{
	select_result sel = { 0 };
	sel.outcome = probe_privilege(&s->probe, t->name, NULL, PRIV_SELECT, sel.sql,
	                              sizeof sel.sql, &sel.err);
	if (sel.outcome == PROBE_NO_TABLE) {
		s->host->log(s->ctx, VIGIL_PLUGIN_INFO,
		             "table %s does not exist in database %s: its privileges are not checked "
		             "(the schema check reports missing tables)",
		             t->name, s->database);
		return;
	}
	if (sel.outcome == PROBE_INCONCLUSIVE || sel.outcome == PROBE_BROKEN)
		s->host->log(s->ctx, VIGIL_PLUGIN_WARNING, "table %s: \"%s\" did not tell: %s", t->name,
		             sel.sql, sel.err.message);
	s->checked[s->checked_count++] = t->name;
	s->tables_checked++;

	table_verdict v = { 0 };
	decide_table(s, t, &sel, &v);
	unsigned required = 0, missing = 0;
	for (unsigned i = 0; i < PRIV_COUNT; i++) {
		required += (t->mask >> i) & 1u;
		missing += (v.missing >> i) & 1u;
	}
	s->required += required;
	s->missing += missing;
	if (v.missing)
		report_missing(s, t, &v);
	if (v.unknown)
		report_unknown(s, t, &v);
	char held[200];
	privilege_list(held, sizeof held, v.held);
	s->host->log(s->ctx, VIGIL_PLUGIN_INFO, "table %s: holds %s%s", t->name, held,
	             v.missing || v.unknown ? " (not all it needs)" : "");
}

static int host_ready(const vigil_host *host)
{
	return VIGIL_HOST_HAS(host, db_privileges) && host->db_acquire && host->db_release &&
	       host->db_session_info && host->db_query && host->db_begin && host->db_rollback &&
	       host->db_privileges;
}

static int run_permissions(vigil_check_ctx *ctx, const vigil_host *host)
{
	if (!host_ready(host)) {
		host->set_status(ctx, VIGIL_CHECK_ERROR,
		                 "the host offers no database access (ABI 1.2 functions missing)");
		return -1;
	}
	const char *type = host->database_type(ctx);
	check_state s = { .ctx = ctx, .host = host, .database = host->database_name(ctx) };
	s.sqlite = type && strcmp(type, "sqlite") == 0;
	s.mysql = type && strcmp(type, "mysql") == 0;

	requirements req;
	if (requirements_read(&req, ctx, host) != 0) {
		requirements_free(&req);
		host->set_status(ctx, VIGIL_CHECK_ERROR, "out of memory reading the requirements");
		return -1;
	}
	if (req.count && !(s.checked = calloc(req.count, sizeof *s.checked))) {
		requirements_free(&req);
		host->set_status(ctx, VIGIL_CHECK_ERROR, "out of memory");
		return -1;
	}

	vigil_db_session *session = NULL;
	vigil_db_error err = { 0 };
	if (host->db_acquire(ctx, &session, &err) != 0 || !session) {
		char reason[700];
		snprintf(reason, sizeof reason, "cannot connect to database %s: %s", s.database,
		         err.message);
		free(s.checked);
		requirements_free(&req);
		host->set_status(ctx, VIGIL_CHECK_ERROR, reason);
		return -1;
	}
	s.probe = (prober){ .ctx = ctx, .host = host, .session = session, .mysql = s.mysql };

	if (host->db_session_info(session, s.user, sizeof s.user, s.live_database,
	                          sizeof s.live_database, NULL, &err) != 0)
		host->log(ctx, VIGIL_PLUGIN_WARNING, "cannot read the session's user: %s", err.message);
	if (host->db_privileges(ctx, session, &s.cat.items, &s.cat.count, &err) == 0) {
		s.cat.readable = 1;
	} else {
		host->log(ctx, VIGIL_PLUGIN_WARNING,
		          "cannot read the privileges from the catalogs (%s): probing instead",
		          err.message);
		s.cat.items = NULL;
		s.cat.count = 0;
	}

	if (req.count == 0)
		host->log(ctx, VIGIL_PLUGIN_INFO,
		          "the blueprint requires no privilege on database %s (no permissions: list "
		          "with declared tables, no Store)", s.database);
	unsigned required_ddl = req.list_mask & PRIV_DDL;
	for (size_t i = 0; i < req.count && !host->cancelled(ctx); i++) {
		required_ddl |= req.tables[i].mask & PRIV_DDL;
		if (req.tables[i].mask)
			check_table(&s, &req.tables[i]);
	}
	if (s.cat.readable && catalog_superuser(&s.cat))
		report_superuser(&s);
	check_excess_ddl(&s, required_ddl);

	host->set_metric(ctx, "tables_checked", s.tables_checked, NULL);
	host->set_metric(ctx, "privileges_required", s.required, NULL);
	host->set_metric(ctx, "privileges_missing", s.missing, NULL);
	host->set_metric(ctx, "probes", s.probe.count, NULL);

	int cancelled = host->cancelled(ctx);
	host->db_release(session, s.probe.broken);
	free(s.checked);
	requirements_free(&req);
	if (cancelled) {
		host->set_status(ctx, VIGIL_CHECK_ERROR, "cancelled before every table was checked");
		return -1;
	}
	host->set_status(ctx, s.errors ? VIGIL_CHECK_FAILED : VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static const vigil_check_def permissions_checks[] = {
	{ "permissions",
	  "the connected user holds the privileges the blueprint requires, and no schema "
	  "privileges it does not",
	  "preflight, schema?", /* after schema when it is loaded, whatever it found */
	  run_permissions,
	  NULL,
	  { 0 } },
};

VIGIL_PLUGIN_DEFINE(permissions, VIGIL_IN_TREE_VERSION,
                    "database permissions: required privileges, superuser and excess DDL rights",
                    VIGIL_PLUGIN_CHECK, 3, permissions_checks,
                    VIGIL_COUNT_OF(permissions_checks), NULL, NULL)
