/* schema_fix.c — one schema difference as a healing proposal (see schema_fix.h). */
#define _POSIX_C_SOURCE 200809L
#include "schema_fix.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddl_change.h"
#include "strmap.h"

#define NOT_COVERED SIZE_MAX

/* ---- state -------------------------------------------------------------------------------- */

typedef struct fixer {
	vg_db *db;
	vg_arena *arena;
	const vg_schema *declared;
	const vg_schema *live;
	const vg_schema *ns;        /* whose namespace the changes name */
	vg_db_type dialect;
	vigil_db_error *err;
	const char *unsupported;    /* the driver's message after render() returned 1 */
	vg_strmap *plans;           /* make_all: table name -> its table_plan, worked out once */
} fixer;

/* SQL being assembled, on the arena (a full block is left behind when it grows). */
typedef struct text {
	vg_arena *arena;
	char *s;
	size_t len, cap;
	int oom;
} text;

enum { RENDERED = 0, UNSUPPORTED = 1, FAILED = -1 };

static void err_set(vigil_db_error *err, int kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void err_set(vigil_db_error *err, int kind, const char *fmt, ...)
{
	memset(err, 0, sizeof *err);
	err->kind = kind;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

static int oom(fixer *fx)
{
	err_set(fx->err, VIGIL_DB_ERR_OTHER, "out of memory");
	return FAILED;
}

static void add(text *t, const char *s)
{
	size_t n = strlen(s);
	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *grown = vg_arena_alloc(t->arena, cap);
		if (!grown) {
			t->oom = 1;
			return;
		}
		if (t->len)
			memcpy(grown, t->s, t->len);
		t->s = grown;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

/* "name" with every embedded " doubled (SQLite's identifier quoting). */
static void add_ident(text *t, const char *name)
{
	add(t, "\"");
	for (const char *p = name; *p; p++)
		add(t, *p == '"' ? "\"\"" : (char[2]){ *p, '\0' });
	add(t, "\"");
}

/* "schema"."table": qualified when the model names a schema other than SQLite's main. */
static void add_table(text *t, const char *ns, const char *table)
{
	if (ns && *ns && strcmp(ns, "main") != 0) {
		add_ident(t, ns);
		add(t, ".");
	}
	add_ident(t, table);
}

/* The change rendered by the driver and appended to `sql`: RENDERED, UNSUPPORTED (the
 * driver's message in fx->unsupported), or FAILED (fx->err filled). */
static int render(fixer *fx, vigil_ddl_change *change, text *sql)
{
	if (fx->ns)
		change->namespace_ = fx->ns->namespace_name;
	char *out = NULL;
	if (vg_db_render(fx->db, change, fx->arena, &out, fx->err) != 0) {
		if (fx->err->kind != VIGIL_DB_ERR_UNSUPPORTED)
			return FAILED;
		fx->unsupported = vg_arena_strdup(fx->arena, fx->err->message);
		memset(fx->err, 0, sizeof *fx->err);
		return fx->unsupported ? UNSUPPORTED : oom(fx);
	}
	add(sql, out);
	if (sql->len && sql->s[sql->len - 1] != '\n')
		add(sql, "\n");
	return sql->oom ? oom(fx) : RENDERED;
}

/* ---- words -------------------------------------------------------------------------------- */

static const char *names_text(fixer *fx, const vg_schema_names *names)
{
	const char *s = vg_schema_names_text(fx->arena, names);
	return s ? s : "(...)";
}

/* Types alike for the dialect: the canonical names, else the spelling (case aside). */
static int same_type(vg_db_type dialect, const vg_schema_column *a, const vg_schema_column *b)
{
	const char *x = a->type->canonical, *y = b->type->canonical;
	if (x && y) {
		if (strcmp(x, y) == 0)
			return 1;
		/* MariaDB reports JSON as longtext */
		return dialect == VG_DB_MYSQL && ((!strcmp(x, "json") && !strcmp(y, "longtext")) ||
		                                  (!strcmp(x, "longtext") && !strcmp(y, "json")));
	}
	const char *p = a->raw_type ? a->raw_type : "", *q = b->raw_type ? b->raw_type : "";
	return strcasecmp(p, q) == 0;
}

/* What ALTER_COLUMN from `live` to `declared` risks, and why (NULL when SAFE). */
static int column_change_risk(fixer *fx, const char *table, const vg_schema_column *dc,
                              const vg_schema_column *lc, const char **why)
{
	int risk = VIGIL_RISK_SAFE;
	const char *note = NULL;
	if (!same_type(fx->dialect, dc, lc)) {
		risk = VIGIL_RISK_DATA_DEPENDENT;
		note = vg_arena_printf(fx->arena,
		                       "changes the type of %s.%s from %s to %s: fails (or, on MySQL, "
		                       "may truncate) when a value does not convert",
		                       table, dc->name, lc->raw_type ? lc->raw_type : "?",
		                       dc->raw_type ? dc->raw_type : "?");
	}
	if (lc->nullable && !dc->nullable) {
		risk = VIGIL_RISK_DATA_DEPENDENT;
		note = vg_arena_printf(fx->arena, "%s%smakes %s.%s NOT NULL: fails when it holds NULLs",
		                       note ? note : "", note ? "; " : "", table, dc->name);
	}
	if (dc->auto_increment && !lc->auto_increment) {
		risk = VIGIL_RISK_DATA_DEPENDENT;
		note = vg_arena_printf(fx->arena,
		                       "%s%smakes %s.%s auto-increment: it must hold no NULLs (MySQL: "
		                       "and be a key)",
		                       note ? note : "", note ? "; " : "", table, dc->name);
	}
	*why = note;
	return risk;
}

/* ---- missing tables ------------------------------------------------------------------------- */

static int table_missing(const fixer *fx, const char *name)
{
	return vg_schema_table_get(fx->declared, name) && !vg_schema_table_get(fx->live, name);
}

/* Whether missing table `from` reaches missing table `to` through foreign keys. */
static int reaches(const fixer *fx, const vg_schema_table *from, const vg_schema_table *to,
                   unsigned char *seen)
{
	if (from == to)
		return 1;
	if (seen[from->position])
		return 0;
	seen[from->position] = 1;
	for (size_t i = 0; i < from->foreign_key_count; i++) {
		const char *ref = from->foreign_keys[i].ref_table;
		const vg_schema_table *next = vg_schema_table_get(fx->declared, ref);
		if (next && table_missing(fx, ref) && reaches(fx, next, to, seen))
			return 1;
	}
	return 0;
}

/* A foreign key of missing table `t` to another missing table that references `t` back
 * (a cycle): the tables cannot be created one after the other with it. -1: memory. */
static int in_cycle(const fixer *fx, const vg_schema_table *t, const vg_schema_foreign_key *fk)
{
	const vg_schema_table *ref = vg_schema_table_get(fx->declared, fk->ref_table);
	if (!ref || ref == t || !table_missing(fx, fk->ref_table))
		return 0;
	unsigned char *seen = vg_arena_array(fx->arena, fx->declared->table_count + 1, 1);
	if (!seen)
		return -1;
	memset(seen, 0, fx->declared->table_count + 1);
	return reaches(fx, ref, t, seen);
}

/* How many missing tables `t` waits for: 1 + the deepest one it references (outside cycles). */
static int depth(const fixer *fx, const vg_schema_table *t, int *memo)
{
	if (memo[t->position] >= 0)
		return memo[t->position];
	int deepest = 0;
	for (size_t i = 0; i < t->foreign_key_count; i++) {
		const vg_schema_foreign_key *fk = &t->foreign_keys[i];
		const vg_schema_table *ref = vg_schema_table_get(fx->declared, fk->ref_table);
		if (!ref || ref == t || !table_missing(fx, fk->ref_table) || in_cycle(fx, t, fk) != 0)
			continue;
		int d = 1 + depth(fx, ref, memo);
		if (d > deepest)
			deepest = d;
	}
	return memo[t->position] = deepest;
}

static int missing_table(fixer *fx, const vg_schema_table *t, vg_schema_fix *out)
{
	text sql = { fx->arena, NULL, 0, 0, 0 };
	vigil_ddl_change change;
	int inline_fks = fx->dialect == VG_DB_SQLITE; /* SQLite cannot add them later */
	if (vg_ddl_create_table(&change, fx->arena, fx->declared, t, NULL, inline_fks, NULL) != 0)
		return oom(fx);
	int rc = render(fx, &change, &sql);
	const char *deferred = NULL;
	for (size_t i = 0; rc == RENDERED && !inline_fks && i < t->foreign_key_count; i++) {
		const vg_schema_foreign_key *fk = &t->foreign_keys[i];
		int cycle = in_cycle(fx, t, fk);
		if (cycle < 0)
			return oom(fx);
		if (cycle) { /* added once both tables exist: the next comparison proposes it */
			deferred = vg_arena_printf(fx->arena, "%s%s%s → %s", deferred ? deferred : "",
			                           deferred ? ", " : "", names_text(fx, &fk->columns),
			                           fk->ref_table);
			continue;
		}
		vg_ddl_add_foreign_key(&change, fx->declared, t->name, fk);
		rc = render(fx, &change, &sql);
	}
	for (size_t i = 0; rc == RENDERED && i < t->index_count; i++) {
		vg_ddl_create_index(&change, fx->declared, t->name, &t->indexes[i]);
		rc = render(fx, &change, &sql);
	}
	if (rc == FAILED)
		return FAILED;
	int *memo = vg_arena_array(fx->arena, fx->declared->table_count + 1, sizeof *memo);
	if (!memo)
		return oom(fx);
	for (size_t i = 0; i < fx->declared->table_count; i++)
		memo[i] = -1;
	int d = depth(fx, t, memo);
	out->order = VG_SCHEMA_FIX_CREATE_TABLES + (d > 9 ? 9 : d);
	out->risk = VIGIL_RISK_SAFE;
	if (rc == UNSUPPORTED) {
		out->note = fx->unsupported;
		return 0;
	}
	out->sql = sql.s;
	if (deferred)
		out->note = vg_arena_printf(fx->arena,
		                            "foreign keys %s are left out: the tables reference each other, "
		                            "so they are added once both exist (the next comparison "
		                            "proposes them)",
		                            deferred);
	return 0;
}

/* ---- SQLite table rebuilds -------------------------------------------------------------------- */

enum { REBUILD_KEEP = 1, REBUILD_DROP = 2 };

/* What one SQLite table needs: the differences of that table alone, and whether any of them
 * needs a rebuild (keep_reason: the driver's word). */
typedef struct table_plan {
	vg_schema_diff_result diff;
	const char *keep_reason;
} table_plan;

static int native(fixer *fx, const vg_schema_difference *d, vg_schema_fix *out);

static int extra_constraint(vg_schema_diff_kind kind)
{
	return kind == VG_SCHEMA_EXTRA_UNIQUE || kind == VG_SCHEMA_EXTRA_FOREIGN_KEY;
}

static int extra_kind(vg_schema_diff_kind kind)
{
	return kind == VG_SCHEMA_EXTRA_TABLE || kind == VG_SCHEMA_EXTRA_COLUMN ||
	       kind == VG_SCHEMA_EXTRA_INDEX || extra_constraint(kind);
}

static int plan_table(fixer *fx, const char *table, table_plan *plan)
{
	const table_plan *known = fx->plans ? vg_strmap_get(fx->plans, table) : NULL;
	if (known) {
		*plan = *known;
		return 0;
	}
	memset(plan, 0, sizeof *plan);
	/* every other table is left out as unmanaged: the diff of this one table only */
	size_t n = 0, cap = fx->declared->table_count + fx->live->table_count;
	const char **others = vg_arena_array(fx->arena, cap + 1, sizeof *others);
	if (!others)
		return oom(fx);
	for (size_t i = 0; i < fx->declared->table_count; i++)
		if (strcmp(fx->declared->tables[i]->name, table) != 0)
			others[n++] = fx->declared->tables[i]->name;
	for (size_t i = 0; i < fx->live->table_count; i++)
		if (strcmp(fx->live->tables[i]->name, table) != 0 &&
		    !vg_schema_table_get(fx->declared, fx->live->tables[i]->name))
			others[n++] = fx->live->tables[i]->name;
	int rc = vg_schema_diff(fx->arena, fx->declared, fx->live, others, n, &plan->diff);
	if (rc == VG_SCHEMA_ENOMEM)
		return oom(fx);
	if (rc != 0) {
		err_set(fx->err, VIGIL_DB_ERR_OTHER, "comparing table %s failed", table);
		return FAILED;
	}
	for (size_t i = 0; i < plan->diff.count; i++) {
		const vg_schema_difference *x = &plan->diff.items[i];
		if (extra_kind(x->kind) || plan->keep_reason)
			continue;
		vg_schema_fix probe;
		memset(&probe, 0, sizeof probe);
		if (native(fx, x, &probe) != 0)
			return FAILED;
		if (!probe.sql && probe.rebuild)
			plan->keep_reason = probe.note;
	}
	if (fx->plans) {
		table_plan *copy = vg_arena_alloc(fx->arena, sizeof *copy);
		if (!copy || vg_strmap_put(fx->plans, table, copy, NULL) < 0)
			return oom(fx);
		*copy = *plan;
	}
	return 0;
}

/* A name for the new table that neither schema uses. */
static const char *rebuild_name(fixer *fx, const char *table)
{
	const char *name = vg_arena_printf(fx->arena, "%s__vigil_rebuild", table);
	for (int i = 2; name && (vg_schema_table_get(fx->live, name) ||
	                         vg_schema_table_get(fx->declared, name)); i++)
		name = vg_arena_printf(fx->arena, "%s__vigil_rebuild%d", table, i);
	return name;
}

/* "unique (a), foreign key (b) → t" for the note of a rebuild that drops constraints */
static const char *dropped_text(fixer *fx, const table_plan *plan)
{
	const char *s = "";
	for (size_t i = 0; s && i < plan->diff.count; i++) {
		const vg_schema_difference *x = &plan->diff.items[i];
		if (!extra_constraint(x->kind))
			continue;
		s = vg_arena_printf(fx->arena, "%s%s%s %s", s, *s ? ", " : "",
		                    x->kind == VG_SCHEMA_EXTRA_UNIQUE ? "unique" : "foreign key",
		                    x->actual ? x->actual : "?");
	}
	return s ? s : "its extra constraints";
}

/*
 * The rebuild of SQLite table `dt`/`lt`: the declared table plus the live elements it lacks
 * (REBUILD_DROP: without the extra uniques and foreign keys), the rows of the common columns
 * copied, the old table dropped, the new one renamed, the indexes created again.
 */
static int rebuild(fixer *fx, const vg_schema_table *dt, const vg_schema_table *lt,
                   const table_plan *plan, int variant, vg_schema_fix *out)
{
	const vg_schema_column **cols = vg_arena_array(fx->arena, plan->diff.count + 1, sizeof *cols);
	const vg_schema_unique **uniques = vg_arena_array(fx->arena, plan->diff.count + 1, sizeof *uniques);
	const vg_schema_foreign_key **fks = vg_arena_array(fx->arena, plan->diff.count + 1, sizeof *fks);
	const vg_schema_index **indexes = vg_arena_array(fx->arena, plan->diff.count + 1, sizeof *indexes);
	const char *tmp = rebuild_name(fx, dt->name);
	if (!cols || !uniques || !fks || !indexes || !tmp)
		return oom(fx);
	vg_ddl_extras extras = { cols, 0, uniques, 0, fks, 0 };
	size_t index_count = 0;
	for (size_t i = 0; i < plan->diff.count; i++) {
		const vg_schema_difference *x = &plan->diff.items[i];
		if (x->kind == VG_SCHEMA_EXTRA_COLUMN)
			cols[extras.column_count++] = x->live.column;
		else if (x->kind == VG_SCHEMA_EXTRA_INDEX)
			indexes[index_count++] = x->live.index;
		else if (x->kind == VG_SCHEMA_EXTRA_UNIQUE && variant == REBUILD_KEEP)
			uniques[extras.unique_count++] = x->live.unique;
		else if (x->kind == VG_SCHEMA_EXTRA_FOREIGN_KEY && variant == REBUILD_KEEP)
			fks[extras.foreign_key_count++] = x->live.foreign_key;
	}
	text sql = { fx->arena, NULL, 0, 0, 0 };
	vigil_ddl_change change;
	if (vg_ddl_create_table(&change, fx->arena, fx->declared, dt, tmp, 1, &extras) != 0)
		return oom(fx);
	int rc = render(fx, &change, &sql);
	/* the rows: every column of the new table the old one has */
	text list = { fx->arena, NULL, 0, 0, 0 };
	size_t copied = 0;
	for (size_t i = 0; i < dt->column_count + extras.column_count; i++) {
		const char *name = i < dt->column_count ? dt->columns[i]->name
		                                        : cols[i - dt->column_count]->name;
		if (!vg_schema_column_get(lt, name))
			continue;
		if (copied++)
			add(&list, ", ");
		add_ident(&list, name);
	}
	const char *ns = fx->ns ? fx->ns->namespace_name : NULL;
	if (rc == RENDERED && copied) {
		add(&sql, "INSERT INTO ");
		add_table(&sql, ns, tmp);
		add(&sql, " (");
		add(&sql, list.s);
		add(&sql, ")\n  SELECT ");
		add(&sql, list.s);
		add(&sql, " FROM ");
		add_table(&sql, ns, dt->name);
		add(&sql, ";\n");
	}
	if (rc == RENDERED) {
		vg_ddl_drop_table(&change, fx->declared, dt->name);
		rc = render(fx, &change, &sql);
	}
	if (rc == RENDERED) {
		add(&sql, "ALTER TABLE ");
		add_table(&sql, ns, tmp);
		add(&sql, " RENAME TO ");
		add_ident(&sql, dt->name);
		add(&sql, ";\n");
	}
	for (size_t i = 0; rc == RENDERED && i < dt->index_count + index_count; i++) {
		const vg_schema_index *ix = i < dt->index_count ? &dt->indexes[i] : indexes[i - dt->index_count];
		vg_ddl_create_index(&change, fx->declared, dt->name, ix);
		rc = render(fx, &change, &sql);
	}
	if (rc == FAILED)
		return FAILED;
	if (sql.oom || list.oom)
		return oom(fx);
	out->rebuild = 1;
	if (rc == UNSUPPORTED) { /* the declared table itself cannot be written for SQLite */
		out->sql = NULL;
		out->note = fx->unsupported;
		return 0;
	}
	out->sql = sql.s;
	static const char how[] =
		"rebuilds table %s (a new table, the rows of the common columns copied, the old table "
		"dropped, the new one renamed, its indexes created again)%s; the copy fails when a row "
		"breaks the new definition (NOT NULL, a foreign key, a unique). The SQL has no PRAGMA "
		"foreign_keys (it runs inside a transaction, where that does nothing): when other tables "
		"reference %s, switch foreign keys off before the transaction and run PRAGMA "
		"foreign_key_check after it; triggers and views on it are not recreated";
	if (variant == REBUILD_KEEP) {
		out->risk = VIGIL_RISK_DATA_DEPENDENT;
		out->order = VG_SCHEMA_FIX_COLUMNS;
		const char *what = vg_arena_printf(fx->arena, how, dt->name,
		                                   ", keeping what the database has beyond the blueprint",
		                                   dt->name);
		out->note = what ? vg_arena_printf(fx->arena, "%s: %s", plan->keep_reason
		                                                        ? plan->keep_reason
		                                                        : "SQLite cannot make this change "
		                                                          "in place",
		                                   what)
		                 : NULL;
	} else {
		out->risk = VIGIL_RISK_DESTRUCTIVE;
		out->order = VG_SCHEMA_FIX_DROP_CONSTRAINTS;
		const char *without = vg_arena_printf(fx->arena, " without %s", dropped_text(fx, plan));
		const char *what = without ? vg_arena_printf(fx->arena, how, dt->name, without, dt->name)
		                           : NULL;
		out->note = what ? vg_arena_printf(fx->arena,
		                                   "SQLite cannot drop a unique constraint or foreign key "
		                                   "of an existing table: %s",
		                                   what)
		                 : NULL;
	}
	return out->note ? 0 : oom(fx);
}

/* ---- one difference, as the driver renders it ------------------------------------------------- */

static const vg_schema_table *declared_table(const vg_schema_difference *d)
{
	return d->declared_table ? d->declared_table : d->declared.table;
}

/* Renders the change list `changes` (n) into `out`, or notes why not. On SQLite an
 * UNSUPPORTED marks the fix as needing a rebuild (rebuild = 1, sql NULL, note = why). */
static int finish(fixer *fx, vigil_ddl_change *changes, size_t n, vg_schema_fix *out)
{
	text sql = { fx->arena, NULL, 0, 0, 0 };
	for (size_t i = 0; i < n; i++) {
		int rc = render(fx, &changes[i], &sql);
		if (rc == FAILED)
			return FAILED;
		if (rc == UNSUPPORTED) {
			out->sql = NULL;
			out->note = fx->unsupported;
			out->rebuild = fx->dialect == VG_DB_SQLITE;
			return 0;
		}
	}
	out->sql = sql.s;
	return 0;
}

/* A difference that needs a name the database does not report. */
static int unnamed(fixer *fx, vg_schema_fix *out, const char *what, const char *table)
{
	out->sql = NULL;
	out->note = vg_arena_printf(fx->arena,
	                            "the database reports no name for this %s of %s, so it cannot "
	                            "be dropped by name",
	                            what, table);
	return out->note ? 0 : oom(fx);
}

/* The proposal as the driver renders it, without SQLite's rebuild. */
static int native(fixer *fx, const vg_schema_difference *d, vg_schema_fix *out)
{
	const vg_schema_table *dt = declared_table(d);
	const char *table = d->table;
	vigil_ddl_change ch[2];
	vigil_ddl_column slot;
	const char *why = NULL;
	memset(ch, 0, sizeof ch);
	switch (d->kind) {
	case VG_SCHEMA_MISSING_TABLE:
		return missing_table(fx, dt, out);
	case VG_SCHEMA_EXTRA_TABLE:
		out->risk = VIGIL_RISK_DESTRUCTIVE;
		out->order = VG_SCHEMA_FIX_DROP_TABLES;
		out->note = vg_arena_printf(fx->arena, "drops table %s and every row in it", table);
		vg_ddl_drop_table(&ch[0], fx->live, table);
		return finish(fx, ch, 1, out);
	case VG_SCHEMA_MISSING_COLUMN: {
		const vg_schema_column *c = d->declared.column;
		out->order = VG_SCHEMA_FIX_COLUMNS;
		if (c->nullable || c->default_raw) {
			out->risk = VIGIL_RISK_SAFE;
		} else {
			out->risk = VIGIL_RISK_DATA_DEPENDENT;
			out->note = vg_arena_printf(fx->arena,
			                            "column %s.%s is NOT NULL without a default: adding it "
			                            "fails when %s has rows",
			                            table, c->name, table);
		}
		vg_ddl_column_change(&ch[0], VIGIL_DDL_ADD_COLUMN, fx->declared, dt, c, &slot);
		return finish(fx, ch, 1, out);
	}
	case VG_SCHEMA_EXTRA_COLUMN:
		out->risk = VIGIL_RISK_DESTRUCTIVE;
		out->order = VG_SCHEMA_FIX_DROP_COLUMNS;
		out->note = vg_arena_printf(fx->arena, "drops column %s.%s and its values", table,
		                            d->live.column->name);
		vg_ddl_drop_column(&ch[0], fx->live, table, d->live.column->name, &slot);
		return finish(fx, ch, 1, out);
	case VG_SCHEMA_TYPE_MISMATCH:
	case VG_SCHEMA_NULLABILITY_MISMATCH:
	case VG_SCHEMA_DEFAULT_MISMATCH:
	case VG_SCHEMA_AUTO_INCREMENT_MISMATCH:
		/* the whole declared column, so every mismatch of it gets the same statement */
		out->risk = column_change_risk(fx, table, d->declared.column, d->live.column, &why);
		out->order = VG_SCHEMA_FIX_COLUMNS;
		out->note = why;
		vg_ddl_column_change(&ch[0], VIGIL_DDL_ALTER_COLUMN, fx->declared, dt,
		                     d->declared.column, &slot);
		return finish(fx, ch, 1, out);
	case VG_SCHEMA_PRIMARY_KEY_MISMATCH:
		out->risk = VIGIL_RISK_DATA_DEPENDENT;
		out->order = VG_SCHEMA_FIX_COLUMNS;
		out->note = dt->primary_key.count
		                ? vg_arena_printf(fx->arena,
		                                  "replaces the primary key of %s: fails when %s holds "
		                                  "duplicates or NULLs",
		                                  table, names_text(fx, &dt->primary_key))
		                : vg_arena_printf(fx->arena, "drops the primary key of %s", table);
		vg_ddl_set_primary_key(&ch[0], fx->declared, dt);
		return finish(fx, ch, 1, out);
	case VG_SCHEMA_MISSING_UNIQUE:
		out->risk = VIGIL_RISK_DATA_DEPENDENT;
		out->order = VG_SCHEMA_FIX_KEYS;
		out->note = vg_arena_printf(fx->arena, "fails when %s holds duplicates of %s", table,
		                            names_text(fx, &d->declared.unique->columns));
		vg_ddl_add_unique(&ch[0], fx->declared, table, d->declared.unique);
		return finish(fx, ch, 1, out);
	case VG_SCHEMA_EXTRA_UNIQUE: {
		const vg_schema_unique *u = d->live.unique;
		out->risk = VIGIL_RISK_DESTRUCTIVE;
		out->order = VG_SCHEMA_FIX_DROP_INDEXES;
		out->note = vg_arena_printf(fx->arena, "drops the unique constraint %s of %s",
		                            names_text(fx, &u->columns), table);
		if (fx->dialect == VG_DB_SQLITE) { /* a constraint of the table: only a rebuild drops it */
			out->sql = NULL;
			out->rebuild = 1;
			return 0;
		}
		if (!u->name)
			return unnamed(fx, out, "unique constraint", table);
		/* PostgreSQL: a constraint (DROP_FOREIGN_KEY renders DROP CONSTRAINT, which drops any
		 * constraint); MySQL: a unique index */
		vg_ddl_drop_named(&ch[0], fx->dialect == VG_DB_POSTGRESQL ? VIGIL_DDL_DROP_FOREIGN_KEY
		                                                         : VIGIL_DDL_DROP_INDEX,
		                  fx->live, table, u->name);
		return finish(fx, ch, 1, out);
	}
	case VG_SCHEMA_MISSING_INDEX: {
		const vg_schema_index *ix = d->declared.index;
		out->risk = ix->unique ? VIGIL_RISK_DATA_DEPENDENT : VIGIL_RISK_SAFE;
		out->order = VG_SCHEMA_FIX_KEYS;
		if (ix->unique)
			out->note = vg_arena_printf(fx->arena, "fails when %s holds duplicates of %s", table,
			                            names_text(fx, &ix->columns));
		vg_ddl_create_index(&ch[0], fx->declared, table, ix);
		return finish(fx, ch, 1, out);
	}
	case VG_SCHEMA_EXTRA_INDEX:
		out->risk = VIGIL_RISK_DESTRUCTIVE;
		out->order = VG_SCHEMA_FIX_DROP_INDEXES;
		if (!d->live.index->name)
			return unnamed(fx, out, "index", table);
		out->note = vg_arena_printf(fx->arena, "drops index %s of %s", d->live.index->name, table);
		vg_ddl_drop_named(&ch[0], VIGIL_DDL_DROP_INDEX, fx->live, table, d->live.index->name);
		return finish(fx, ch, 1, out);
	case VG_SCHEMA_INDEX_MISMATCH:
		out->risk = VIGIL_RISK_DATA_DEPENDENT;
		out->order = VG_SCHEMA_FIX_KEYS;
		if (!d->live.index->name)
			return unnamed(fx, out, "index", table);
		out->note = vg_arena_printf(fx->arena,
		                            "drops index %s and creates it as declared%s", d->live.index->name,
		                            d->declared.index->unique ? ": fails when the table holds duplicates" : "");
		vg_ddl_drop_named(&ch[0], VIGIL_DDL_DROP_INDEX, fx->live, table, d->live.index->name);
		vg_ddl_create_index(&ch[1], fx->declared, table, d->declared.index);
		return finish(fx, ch, 2, out);
	case VG_SCHEMA_MISSING_FOREIGN_KEY:
		out->risk = VIGIL_RISK_DATA_DEPENDENT;
		out->order = VG_SCHEMA_FIX_FOREIGN_KEYS;
		out->note = vg_arena_printf(fx->arena, "fails when rows of %s break the foreign key %s",
		                            table, names_text(fx, &d->declared.foreign_key->columns));
		vg_ddl_add_foreign_key(&ch[0], fx->declared, table, d->declared.foreign_key);
		return finish(fx, ch, 1, out);
	case VG_SCHEMA_EXTRA_FOREIGN_KEY:
		out->risk = VIGIL_RISK_DESTRUCTIVE;
		out->order = VG_SCHEMA_FIX_DROP_FOREIGN_KEYS;
		out->note = vg_arena_printf(fx->arena, "drops the foreign key %s of %s",
		                            names_text(fx, &d->live.foreign_key->columns), table);
		if (fx->dialect == VG_DB_SQLITE) {
			out->sql = NULL;
			out->rebuild = 1;
			return 0;
		}
		if (!d->live.foreign_key->name)
			return unnamed(fx, out, "foreign key", table);
		vg_ddl_drop_named(&ch[0], VIGIL_DDL_DROP_FOREIGN_KEY, fx->live, table,
		                  d->live.foreign_key->name);
		return finish(fx, ch, 1, out);
	case VG_SCHEMA_FOREIGN_KEY_MISMATCH:
		out->risk = VIGIL_RISK_DATA_DEPENDENT;
		out->order = VG_SCHEMA_FIX_FOREIGN_KEYS;
		out->note = vg_arena_printf(fx->arena,
		                            "drops the foreign key and adds it as declared: fails when "
		                            "rows of %s break it",
		                            table);
		if (!d->live.foreign_key->name && fx->dialect != VG_DB_SQLITE)
			return unnamed(fx, out, "foreign key", table);
		vg_ddl_drop_named(&ch[0], VIGIL_DDL_DROP_FOREIGN_KEY, fx->live, table,
		                  d->live.foreign_key->name);
		vg_ddl_add_foreign_key(&ch[1], fx->declared, table, d->declared.foreign_key);
		return finish(fx, ch, 2, out);
	default:
		err_set(fx->err, VIGIL_DB_ERR_OTHER, "unknown kind of schema difference (%d)", (int)d->kind);
		return FAILED;
	}
}

/* ---- the interface ------------------------------------------------------------------------------ */

static int make(fixer *fx, const vg_schema_difference *d, vg_schema_fix *out)
{
	memset(out, 0, sizeof *out);
	out->covered_by = NOT_COVERED;
	if (native(fx, d, out) != 0)
		return FAILED;
	if (fx->dialect != VG_DB_SQLITE || !d->declared_table || !d->live_table ||
	    d->kind == VG_SCHEMA_EXTRA_COLUMN || d->kind == VG_SCHEMA_EXTRA_INDEX)
		return 0;
	/* SQLite: once the table needs a rebuild, every difference the rebuild removes gets it
	 * (the same SQL for all: a CREATE INDEX or ADD COLUMN after it would fail). */
	table_plan plan;
	if (plan_table(fx, d->table, &plan) != 0)
		return FAILED;
	if (extra_constraint(d->kind))
		return rebuild(fx, d->declared_table, d->live_table, &plan, REBUILD_DROP, out);
	if (plan.keep_reason || out->rebuild) {
		if (!plan.keep_reason)
			plan.keep_reason = out->note;
		vg_schema_fix keep;
		memset(&keep, 0, sizeof keep);
		keep.covered_by = NOT_COVERED;
		if (rebuild(fx, d->declared_table, d->live_table, &plan, REBUILD_KEEP, &keep) != 0)
			return FAILED;
		*out = keep;
	}
	return 0;
}

static int setup(fixer *fx, vg_db *db, vg_arena *arena, const vg_schema *declared,
                 const vg_schema *live, vigil_db_error *err)
{
	memset(fx, 0, sizeof *fx);
	memset(err, 0, sizeof *err);
	fx->db = db;
	fx->arena = arena;
	fx->declared = declared;
	fx->live = live;
	fx->err = err;
	if (!db || !arena || !declared || !live || !declared->finished || !live->finished) {
		err_set(err, VIGIL_DB_ERR_OTHER, "a schema proposal needs a database and two finished schemas");
		return FAILED;
	}
	fx->dialect = vg_db_get_type(db);
	if ((declared->dialect != VG_DB_UNKNOWN && declared->dialect != fx->dialect) ||
	    (live->dialect != VG_DB_UNKNOWN && live->dialect != fx->dialect)) {
		err_set(err, VIGIL_DB_ERR_OTHER, "the schemas are not of the database's dialect (%s)",
		        vg_db_type_name(fx->dialect));
		return FAILED;
	}
	fx->ns = declared->namespace_name ? declared : live;
	return 0;
}

/* On failure: which difference the error is about. */
static int failed(fixer *fx, const vg_schema_difference *d)
{
	char head[200];
	const char *what = vg_schema_diff_describe(fx->arena, d);
	snprintf(head, sizeof head, "proposing a change for %s", what ? what : d->table);
	size_t h = strlen(head), m = strnlen(fx->err->message, sizeof fx->err->message - 1);
	if (h + 2 + m >= sizeof fx->err->message)
		m = sizeof fx->err->message - 3 - h;
	memmove(fx->err->message + h + 2, fx->err->message, m);
	memcpy(fx->err->message, head, h);
	memcpy(fx->err->message + h, ": ", 2);
	fx->err->message[h + 2 + m] = '\0';
	if (fx->err->kind == VIGIL_DB_OK)
		fx->err->kind = VIGIL_DB_ERR_OTHER;
	return -1;
}

int vg_schema_fix_make(vg_db *db, vg_arena *arena, const vg_schema *declared, const vg_schema *live,
                       const vg_schema_difference *d, vg_schema_fix *out, vigil_db_error *err)
{
	vigil_db_error local;
	fixer fx;
	if (setup(&fx, db, arena, declared, live, err ? err : &local) != 0)
		return -1;
	if (!d || !out) {
		err_set(fx.err, VIGIL_DB_ERR_OTHER, "no difference to propose a change for");
		return -1;
	}
	if (make(&fx, d, out) != 0) {
		memset(out, 0, sizeof *out);
		out->covered_by = NOT_COVERED;
		return failed(&fx, d);
	}
	return 0;
}

/* Apply order: by phase, then by the differences' own order. */
typedef struct ranked {
	int order;
	size_t index;
} ranked;

static int compare_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int vg_schema_fix_make_all(vg_db *db, vg_arena *arena, const vg_schema *declared,
                           const vg_schema *live, const vg_schema_diff_result *diff,
                           vg_schema_fix **fixes, size_t **order, vigil_db_error *err)
{
	vigil_db_error local;
	fixer fx;
	if (fixes)
		*fixes = NULL;
	if (order)
		*order = NULL;
	if (setup(&fx, db, arena, declared, live, err ? err : &local) != 0)
		return -1;
	if (!diff || !fixes) {
		err_set(fx.err, VIGIL_DB_ERR_OTHER, "no differences to propose changes for");
		return -1;
	}
	size_t n = diff->count;
	vg_schema_fix *all = vg_arena_array(arena, n + 1, sizeof *all);
	ranked *rank = vg_arena_array(arena, n + 1, sizeof *rank);
	size_t *seq = vg_arena_array(arena, n + 1, sizeof *seq);
	vg_strmap *seen = vg_strmap_new(arena, n + 1);
	fx.plans = vg_strmap_new(arena, 16);
	if (!all || !rank || !seq || !seen || !fx.plans)
		return oom(&fx);
	for (size_t i = 0; i < n; i++) {
		if (make(&fx, &diff->items[i], &all[i]) != 0)
			return failed(&fx, &diff->items[i]);
		rank[i] = (ranked){ all[i].order, i };
	}
	qsort(rank, n, sizeof *rank, compare_ranked);
	/* a statement already proposed (the same SQLite rebuild, the same ALTER COLUMN) once */
	for (size_t k = 0; k < n; k++) {
		size_t i = rank[k].index;
		seq[k] = i;
		if (!all[i].sql)
			continue;
		void *first = NULL;
		int put = vg_strmap_put(seen, all[i].sql, (void *)(uintptr_t)(i + 1), &first);
		if (put < 0)
			return oom(&fx);
		if (put == 0) {
			size_t j = (size_t)(uintptr_t)first - 1;
			const char *what = vg_schema_diff_describe(arena, &diff->items[j]);
			all[i].sql = NULL;
			all[i].covered_by = j;
			all[i].note = vg_arena_printf(arena, "the proposal for %s removes this difference too%s%s",
			                              what ? what : diff->items[j].table,
			                              all[i].note ? ": " : "", all[i].note ? all[i].note : "");
			if (!all[i].note)
				return oom(&fx);
		}
	}
	*fixes = all;
	if (order)
		*order = seq;
	return 0;
}
