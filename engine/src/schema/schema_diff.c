/* schema_diff.c — declared vs live schema: typed differences in a deterministic order. */
#include "schema_diff.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

#define NONE SIZE_MAX         /* not paired */
#define ACROSS (SIZE_MAX - 1) /* paired with the other kind (unique constraint <-> unique index) */

typedef struct differ {
	vg_arena *arena;
	const vg_schema *declared;
	const vg_schema *live;
	vg_db_type dialect;
	vg_strmap *unmanaged;       /* exact entries */
	const char **patterns;      /* entries that ended in '*', without it */
	size_t *pattern_lengths;
	size_t pattern_count;
	int has_dotted;             /* some entry names a "table.object" */
	vg_schema_diff_result *out;
	size_t cap;
	int oom;
} differ;

/* A constraint as the matcher sees it: its name (or NULL) and its column-list signature. */
typedef struct keyed {
	const char *name;
	const char *sig;
	size_t at;                  /* index in the table's array */
} keyed;

/* ---- unmanaged ---------------------------------------------------------------------------- */

static int setup_unmanaged(differ *d, const char *const *names, size_t count)
{
	if (count == 0)
		return 0;
	d->unmanaged = vg_strmap_new(d->arena, count);
	d->patterns = vg_arena_array(d->arena, count, sizeof *d->patterns);
	d->pattern_lengths = vg_arena_array(d->arena, count, sizeof *d->pattern_lengths);
	if (!d->unmanaged || !d->patterns || !d->pattern_lengths)
		return VG_SCHEMA_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const char *name = names[i];
		if (!name || !*name)
			continue;
		size_t len = strlen(name);
		if (strchr(name, '.'))
			d->has_dotted = 1;
		if (name[len - 1] == '*') {
			d->patterns[d->pattern_count] = name;
			d->pattern_lengths[d->pattern_count++] = len - 1;
		} else if (vg_strmap_put(d->unmanaged, name, (void *)name, NULL) < 0) {
			return VG_SCHEMA_ENOMEM;
		}
	}
	return 0;
}

static int matches_unmanaged(const differ *d, const char *key)
{
	if (d->unmanaged && vg_strmap_get(d->unmanaged, key))
		return 1;
	for (size_t i = 0; i < d->pattern_count; i++)
		if (strncmp(key, d->patterns[i], d->pattern_lengths[i]) == 0 &&
		    (strchr(d->patterns[i], '.') != NULL) == (strchr(key, '.') != NULL))
			return 1;
	return 0;
}

static int table_unmanaged(differ *d, const char *table)
{
	if (!d->unmanaged || !matches_unmanaged(d, table))
		return 0;
	d->out->unmanaged_skipped++;
	return 1;
}

/* "table.object" entries; `object` NULL (an unnamed constraint) is never unmanaged. */
static int object_unmanaged(differ *d, const char *table, const char *object)
{
	if (!d->has_dotted || !object)
		return 0;
	char buf[256];
	const char *key = buf;
	int n = snprintf(buf, sizeof buf, "%s.%s", table, object);
	if (n < 0)
		return 0;
	if ((size_t)n >= sizeof buf && !(key = vg_arena_printf(d->arena, "%s.%s", table, object))) {
		d->oom = 1;
		return 0;
	}
	if (!matches_unmanaged(d, key))
		return 0;
	d->out->unmanaged_skipped++;
	return 1;
}

/* ---- emitting ----------------------------------------------------------------------------- */

static vg_schema_difference *add(differ *d, vg_schema_diff_kind kind, const vg_schema_table *dt,
                           const vg_schema_table *lt, const char *object, const vg_node *node)
{
	vg_schema_diff_result *r = d->out;
	if (r->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		vg_schema_difference *items = vg_arena_array(d->arena, cap, sizeof *items);
		if (!items) {
			d->oom = 1;
			return NULL;
		}
		if (r->count)
			memcpy(items, r->items, r->count * sizeof *items);
		r->items = items;
		d->cap = cap;
	}
	vg_schema_difference *x = &r->items[r->count++];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	x->table = dt ? dt->name : lt->name;
	x->object = object;
	x->node = node;
	x->declared_table = dt;
	x->live_table = lt;
	return x;
}

static const char *text(differ *d, const char *s)
{
	if (!s)
		d->oom = 1;
	return s;
}

static const char *names_text(differ *d, const vg_schema_names *names)
{
	return text(d, vg_schema_names_text(d->arena, names));
}

/* ---- columns ------------------------------------------------------------------------------ */

/* Types written outside vigil's vocabulary compare as written, ignoring case and spacing. */
static int same_spelling(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	for (;;) {
		while (isspace((unsigned char)*a) && isspace((unsigned char)a[1]))
			a++;
		while (isspace((unsigned char)*b) && isspace((unsigned char)b[1]))
			b++;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b) &&
		    !(isspace((unsigned char)*a) && isspace((unsigned char)*b)))
			return 0;
		if (!*a)
			return 1;
		a++;
		b++;
	}
}

static int types_equal(vg_db_type dialect, const vg_sqltype *a, const vg_sqltype *b)
{
	if (!a->canonical || !b->canonical)
		return same_spelling(a->written, b->written);
	if (strcmp(a->canonical, b->canonical) == 0)
		return 1;
	/* MariaDB's JSON is an alias of LONGTEXT (with a json_valid check): it reports longtext. */
	if (dialect == VG_DB_MYSQL) {
		const char *x = a->canonical, *y = b->canonical;
		if ((!strcmp(x, "json") && !strcmp(y, "longtext")) || (!strcmp(x, "longtext") && !strcmp(y, "json")))
			return 1;
	}
	return 0;
}

/* "varchar(200)", or "character varying(200) (varchar(200))" when the spelling differs. */
static const char *type_text(differ *d, const vg_schema_column *c)
{
	const char *raw = c->raw_type ? c->raw_type : "(no type)";
	if (!c->type->canonical || same_spelling(raw, c->type->canonical))
		return raw;
	return text(d, vg_arena_printf(d->arena, "%s (%s)", raw, c->type->canonical));
}

static const char *column_text(differ *d, const vg_schema_column *c)
{
	const char *def = c->default_raw ? text(d, vg_arena_printf(d->arena, ", default %s", c->default_raw)) : "";
	if (!def)
		return NULL;
	return text(d, vg_arena_printf(d->arena, "%s, %s%s%s", type_text(d, c),
	                               c->nullable ? "nullable" : "not null", def,
	                               c->auto_increment ? ", auto-increment" : ""));
}

static const char *joined_rules(differ *d, const char *a, const char *b)
{
	if (!a || !b || strcmp(a, b) == 0)
		return a ? a : b;
	return text(d, vg_arena_printf(d->arena, "%s; %s", a, b));
}

static void compare_column(differ *d, const vg_schema_table *dt, const vg_schema_table *lt,
                           const vg_schema_column *dc, const vg_schema_column *lc)
{
	vg_schema_difference *x;
	if (!types_equal(d->dialect, dc->type, lc->type) &&
	    (x = add(d, VG_SCHEMA_TYPE_MISMATCH, dt, lt, dc->name, dc->type_node ? dc->type_node : dc->node))) {
		x->expected = type_text(d, dc);
		x->actual = type_text(d, lc);
		x->expected_canonical = dc->type->canonical;
		x->actual_canonical = lc->type->canonical;
		x->rule = joined_rules(d, dc->type->rule, lc->type->rule);
		x->declared.column = dc;
		x->live.column = lc;
	}
	if (dc->nullable != lc->nullable &&
	    (x = add(d, VG_SCHEMA_NULLABILITY_MISMATCH, dt, lt, dc->name, dc->node))) {
		x->expected = dc->nullable ? "nullable" : "not null";
		x->actual = lc->nullable ? "nullable" : "not null";
		x->declared.column = dc;
		x->live.column = lc;
	}
	/* An auto-increment column's default is its sequence: compared as auto_increment. */
	int defaults_differ = dc->default_value && lc->default_value
	                          ? strcmp(dc->default_value, lc->default_value) != 0
	                          : dc->default_value != lc->default_value;
	if (!dc->auto_increment && !lc->auto_increment && defaults_differ &&
	    (x = add(d, VG_SCHEMA_DEFAULT_MISMATCH, dt, lt, dc->name,
	             dc->default_node ? dc->default_node : dc->node))) {
		x->expected = dc->default_raw ? dc->default_raw : "none";
		x->actual = lc->default_raw ? lc->default_raw : "none";
		x->expected_canonical = dc->default_value;
		x->actual_canonical = lc->default_value;
		x->declared.column = dc;
		x->live.column = lc;
	}
	if (dc->auto_increment != lc->auto_increment &&
	    (x = add(d, VG_SCHEMA_AUTO_INCREMENT_MISMATCH, dt, lt, dc->name, dc->node))) {
		x->expected = dc->auto_increment ? "auto-increment" : "not auto-increment";
		x->actual = lc->auto_increment ? "auto-increment" : "not auto-increment";
		x->declared.column = dc;
		x->live.column = lc;
	}
}

static void compare_columns(differ *d, const vg_schema_table *dt, const vg_schema_table *lt)
{
	unsigned char *seen = lt->column_count ? vg_arena_alloc(d->arena, lt->column_count) : NULL;
	if (lt->column_count && !seen) {
		d->oom = 1;
		return;
	}
	for (size_t i = 0; i < dt->column_count; i++) {
		const vg_schema_column *dc = dt->columns[i];
		if (object_unmanaged(d, dt->name, dc->name))
			continue;
		const vg_schema_column *lc = vg_schema_column_get(lt, dc->name);
		if (!lc) {
			vg_schema_difference *x = add(d, VG_SCHEMA_MISSING_COLUMN, dt, lt, dc->name, dc->node);
			if (x) {
				x->expected = column_text(d, dc);
				x->declared.column = dc;
			}
			continue;
		}
		seen[lc->ordinal - 1] = 1;
		d->out->columns_compared++;
		compare_column(d, dt, lt, dc, lc);
	}
	for (size_t i = 0; i < lt->column_count; i++) {
		const vg_schema_column *lc = lt->columns[i];
		if (seen[i] || object_unmanaged(d, lt->name, lc->name))
			continue;
		vg_schema_difference *x = add(d, VG_SCHEMA_EXTRA_COLUMN, dt, lt, lc->name, dt->node);
		if (x) {
			x->actual = column_text(d, lc);
			x->live.column = lc;
		}
	}
}

/* ---- matching constraints ------------------------------------------------------------------ */

/* The column list as one hashable string: names joined by a byte no name holds. */
static const char *signature(differ *d, const vg_schema_names *names)
{
	size_t len = 1;
	for (size_t i = 0; i < names->count; i++)
		len += strlen(names->names[i]) + 1;
	char *out = vg_arena_alloc(d->arena, len);
	if (!out) {
		d->oom = 1;
		return "";
	}
	char *p = out;
	for (size_t i = 0; i < names->count; i++) {
		if (i)
			*p++ = '\x1f';
		size_t n = strlen(names->names[i]);
		memcpy(p, names->names[i], n);
		p += n;
	}
	*p = '\0';
	return out;
}

/* Names SQLite gives constraints' own indexes are no names a blueprint could declare. */
static const char *constraint_name(const char *name)
{
	if (name && strncmp(name, "sqlite_autoindex_", 17) == 0)
		return NULL;
	return name;
}

static void *slot_of(size_t j)
{
	return (void *)(uintptr_t)(j + 1);
}

static size_t index_of(void *slot)
{
	return slot ? (size_t)(uintptr_t)slot - 1 : NONE;
}

/*
 * Pairs declared with live elements: first by name (when `by_name` and the declared one has a
 * name), then by signature — an unnamed declared element takes any live one with its columns,
 * a named one only a live one without a name; live elements flagged in `name_only` (if
 * given) are matched by name only. pair[i] gets the live index or NONE; used[j] marks live
 * elements taken. Linear: hash maps, chains only through equal signatures.
 */
static void match(differ *d, const keyed *dk, size_t nd, const keyed *lk, size_t nl, int by_name,
                  const unsigned char *name_only, size_t *pair, unsigned char *used)
{
	for (size_t i = 0; i < nd; i++)
		pair[i] = NONE;
	if (nd == 0 || nl == 0)
		return;
	if (by_name) {
		vg_strmap *names = vg_strmap_new(d->arena, nl);
		if (!names) {
			d->oom = 1;
			return;
		}
		for (size_t j = 0; j < nl; j++)
			if (lk[j].name && vg_strmap_put(names, lk[j].name, slot_of(j), NULL) < 0)
				d->oom = 1;
		for (size_t i = 0; i < nd; i++) {
			size_t j = dk[i].name ? index_of(vg_strmap_get(names, dk[i].name)) : NONE;
			if (j != NONE && !used[j]) {
				pair[i] = j;
				used[j] = 1;
			}
		}
	}
	/* chains of live elements by signature, in their order: heads[] via the map, next[] */
	vg_strmap *sigs = vg_strmap_new(d->arena, nl);
	size_t *heads = vg_arena_array(d->arena, nl, sizeof *heads);
	size_t *next = vg_arena_array(d->arena, nl, sizeof *next);
	if (!sigs || !heads || !next) {
		d->oom = 1;
		return;
	}
	for (size_t j = nl; j-- > 0;) {
		if (used[j] || (name_only && name_only[j]))
			continue;
		size_t *head = vg_strmap_get(sigs, lk[j].sig);
		if (!head) {
			head = &heads[j];
			*head = NONE;
			if (vg_strmap_put(sigs, lk[j].sig, head, NULL) < 0)
				d->oom = 1;
		}
		next[j] = *head;
		*head = j;
	}
	for (size_t i = 0; i < nd; i++) {
		if (pair[i] != NONE)
			continue;
		size_t *head = vg_strmap_get(sigs, dk[i].sig);
		for (size_t j = head ? *head : NONE; j != NONE; j = next[j]) {
			if (used[j] || (dk[i].name && by_name && lk[j].name))
				continue;
			pair[i] = j;
			used[j] = 1;
			break;
		}
	}
}

/* A set of signatures (for "is this the index of that constraint?"): sig -> index + 1. */
static vg_strmap *signature_set(differ *d, const keyed *keys, size_t n)
{
	vg_strmap *set = vg_strmap_new(d->arena, n);
	if (!set) {
		d->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (vg_strmap_put(set, keys[i].sig, slot_of(i), NULL) < 0)
			d->oom = 1;
	return set;
}

static int in_set(const vg_strmap *set, const char *sig)
{
	return set && vg_strmap_get(set, sig) != NULL;
}

/* ---- one table's constraints --------------------------------------------------------------- */

/* The keyed views of one side of a table, and what matching decided about them. */
typedef struct side {
	const vg_schema_table *table;
	const char *pk_sig;          /* "" when there is no primary key */
	keyed *uniques;
	size_t unique_count;
	keyed *indexes;
	size_t index_count;
	keyed *fks;
	size_t fk_count;
	size_t *unique_pair, *index_pair, *fk_pair;  /* declared side: live index or NONE */
	unsigned char *unique_used, *index_used, *fk_used; /* live side: taken */
} side;

static keyed *key_array(differ *d, size_t n)
{
	keyed *k = n ? vg_arena_array(d->arena, n, sizeof *k) : NULL;
	if (n && !k)
		d->oom = 1;
	return k;
}

static void *flags(differ *d, size_t n, size_t size)
{
	void *p = vg_arena_array(d->arena, n ? n : 1, size);
	if (!p)
		d->oom = 1;
	return p;
}

static void build_side(differ *d, side *s, const vg_schema_table *t)
{
	s->table = t;
	s->pk_sig = t->primary_key.count ? signature(d, &t->primary_key) : "";
	s->uniques = key_array(d, t->unique_count);
	s->indexes = key_array(d, t->index_count);
	s->fks = key_array(d, t->foreign_key_count);
	if (d->oom)
		return;
	for (size_t i = 0; i < t->unique_count; i++) {
		const vg_schema_unique *u = &t->uniques[i];
		const char *sig = signature(d, &u->columns);
		/* a unique constraint on the primary key's columns adds nothing */
		if (strcmp(sig, s->pk_sig) == 0 || object_unmanaged(d, t->name, u->name))
			continue;
		s->uniques[s->unique_count++] = (keyed){ constraint_name(u->name), sig, i };
	}
	for (size_t i = 0; i < t->index_count; i++) {
		const vg_schema_index *ix = &t->indexes[i];
		if (object_unmanaged(d, t->name, ix->name))
			continue;
		s->indexes[s->index_count++] = (keyed){ constraint_name(ix->name), signature(d, &ix->columns), i };
	}
	for (size_t i = 0; i < t->foreign_key_count; i++) {
		const vg_schema_foreign_key *fk = &t->foreign_keys[i];
		if (object_unmanaged(d, t->name, fk->name))
			continue;
		s->fks[s->fk_count++] = (keyed){ fk->name, signature(d, &fk->columns), i };
	}
	s->unique_pair = flags(d, s->unique_count, sizeof(size_t));
	s->index_pair = flags(d, s->index_count, sizeof(size_t));
	s->fk_pair = flags(d, s->fk_count, sizeof(size_t));
	s->unique_used = flags(d, s->unique_count, 1);
	s->index_used = flags(d, s->index_count, 1);
	s->fk_used = flags(d, s->fk_count, 1);
}

static const char *object_name(differ *d, const char *name, const vg_schema_names *columns)
{
	return name ? name : names_text(d, columns);
}

static const char *index_text(differ *d, const vg_schema_index *ix)
{
	const char *cols = names_text(d, &ix->columns);
	return ix->unique && cols ? text(d, vg_arena_printf(d->arena, "unique %s", cols)) : cols;
}

static const char *fk_text(differ *d, const vg_schema_foreign_key *fk)
{
	const char *cols = names_text(d, &fk->columns), *refs = names_text(d, &fk->ref_columns);
	if (!cols || !refs)
		return NULL;
	return text(d, vg_arena_printf(d->arena, "%s → %s%s on delete %s on update %s", cols,
	                               fk->ref_table, fk->ref_columns.count ? refs : "",
	                               fk->on_delete, fk->on_update));
}

/* Pairs the unmatched declared elements `dk` with unmatched live ones `lk` of the other kind
 * (unique constraint <-> unique index) that have the same columns; both become matched. */
static void match_across(differ *d, const keyed *dk, size_t nd, size_t *d_pair, const keyed *lk,
                         size_t nl, unsigned char *l_used, const vg_schema_index *indexes,
                         int declared_are_indexes)
{
	keyed *dfree = key_array(d, nd), *lfree = key_array(d, nl);
	size_t *dmap = flags(d, nd, sizeof(size_t)), *lmap = flags(d, nl, sizeof(size_t));
	size_t *pair = flags(d, nd, sizeof(size_t));
	unsigned char *used = flags(d, nl, 1);
	if (d->oom)
		return;
	size_t nfd = 0, nfl = 0;
	for (size_t i = 0; i < nd; i++) {
		if (d_pair[i] != NONE || (declared_are_indexes && !indexes[dk[i].at].unique))
			continue;
		dmap[nfd] = i;
		dfree[nfd++] = (keyed){ NULL, dk[i].sig, i };
	}
	for (size_t j = 0; j < nl; j++) {
		if (l_used[j] || (!declared_are_indexes && !indexes[lk[j].at].unique))
			continue;
		lmap[nfl] = j;
		lfree[nfl++] = (keyed){ NULL, lk[j].sig, j };
	}
	match(d, dfree, nfd, lfree, nfl, 0, NULL, pair, used);
	for (size_t i = 0; i < nfd; i++) {
		if (pair[i] == NONE)
			continue;
		d_pair[dmap[i]] = ACROSS;
		l_used[lmap[pair[i]]] = 1;
	}
}

/* MySQL adds an index for a foreign key that has none, named after the constraint or else
 * after its first column (with _2, _3... when taken). */
static int mysql_fk_index(const vg_schema_index *ix, const vg_schema_foreign_key *fk)
{
	if (ix->unique)
		return 0;
	if (!ix->name || (fk->name && strcmp(ix->name, fk->name) == 0))
		return 1;
	const char *first = fk->columns.names[0];
	size_t n = strlen(first);
	if (strncmp(ix->name, first, n) != 0)
		return 0;
	const char *rest = ix->name + n;
	if (*rest == '\0')
		return 1;
	if (*rest++ != '_' || !*rest)
		return 0;
	while (isdigit((unsigned char)*rest))
		rest++;
	return *rest == '\0';
}

static void compare_uniques_and_indexes(differ *d, side *ds, side *ls)
{
	const vg_schema_table *dt = ds->table, *lt = ls->table;
	vg_strmap *d_unique_sigs = signature_set(d, ds->uniques, ds->unique_count);
	vg_strmap *l_unique_sigs = signature_set(d, ls->uniques, ls->unique_count);
	unsigned char *owned = flags(d, ls->index_count, 1);
	if (d->oom)
		return;
	/* A live index that is a PK's or unique constraint's own pairs with a declared index by
	 * name only: an unnamed declared index is a separate one. */
	for (size_t j = 0; j < ls->index_count; j++)
		owned[j] = lt->indexes[ls->indexes[j].at].unique &&
		           (strcmp(ls->indexes[j].sig, ls->pk_sig) == 0 || in_set(l_unique_sigs, ls->indexes[j].sig));
	match(d, ds->uniques, ds->unique_count, ls->uniques, ls->unique_count, 0, NULL,
	      ds->unique_pair, ls->unique_used);
	match(d, ds->indexes, ds->index_count, ls->indexes, ls->index_count, 1, owned,
	      ds->index_pair, ls->index_used);
	if (d->oom)
		return;
	match_across(d, ds->uniques, ds->unique_count, ds->unique_pair, ls->indexes, ls->index_count,
	             ls->index_used, lt->indexes, 0);
	match_across(d, ds->indexes, ds->index_count, ds->index_pair, ls->uniques, ls->unique_count,
	             ls->unique_used, dt->indexes, 1);

	for (size_t i = 0; i < ds->unique_count; i++) {
		if (ds->unique_pair[i] != NONE)
			continue;
		const vg_schema_unique *u = &dt->uniques[ds->uniques[i].at];
		vg_schema_difference *x = add(d, VG_SCHEMA_MISSING_UNIQUE, dt, lt, object_name(d, u->name, &u->columns), u->node);
		if (x) {
			x->expected = names_text(d, &u->columns);
			x->declared.unique = u;
		}
	}
	for (size_t j = 0; j < ls->unique_count; j++) {
		if (ls->unique_used[j])
			continue;
		const vg_schema_unique *u = &lt->uniques[ls->uniques[j].at];
		vg_schema_difference *x = add(d, VG_SCHEMA_EXTRA_UNIQUE, dt, lt, object_name(d, u->name, &u->columns), dt->node);
		if (x) {
			x->actual = names_text(d, &u->columns);
			x->live.unique = u;
		}
	}

	vg_strmap *l_fk_sigs = d->dialect == VG_DB_MYSQL ? signature_set(d, ls->fks, ls->fk_count) : NULL;
	if (d->oom)
		return;
	for (size_t i = 0; i < ds->index_count; i++) {
		const vg_schema_index *ix = &dt->indexes[ds->indexes[i].at];
		size_t j = ds->index_pair[i];
		const char *sig = ds->indexes[i].sig;
		if (j == ACROSS)
			continue;
		if (j == NONE) {
			/* the index a declared PK or unique constraint has anyway */
			if (ix->unique && (strcmp(sig, ds->pk_sig) == 0 || in_set(d_unique_sigs, sig)))
				continue;
			vg_schema_difference *x = add(d, VG_SCHEMA_MISSING_INDEX, dt, lt, object_name(d, ix->name, &ix->columns), ix->node);
			if (x) {
				x->expected = index_text(d, ix);
				x->declared.index = ix;
			}
			continue;
		}
		const vg_schema_index *lix = &lt->indexes[ls->indexes[j].at];
		if (ix->unique == lix->unique && vg_schema_names_equal(&ix->columns, &lix->columns))
			continue;
		vg_schema_difference *x = add(d, VG_SCHEMA_INDEX_MISMATCH, dt, lt,
		                        ix->name ? ix->name : object_name(d, lix->name, &lix->columns), ix->node);
		if (x) {
			x->expected = index_text(d, ix);
			x->actual = index_text(d, lix);
			x->declared.index = ix;
			x->live.index = lix;
		}
	}
	for (size_t j = 0; j < ls->index_count; j++) {
		if (ls->index_used[j])
			continue;
		const vg_schema_index *lix = &lt->indexes[ls->indexes[j].at];
		const char *sig = ls->indexes[j].sig;
		/* the index behind a live PK or unique constraint, or MySQL's for a foreign key */
		if (owned[j])
			continue;
		size_t fk = l_fk_sigs ? index_of(vg_strmap_get(l_fk_sigs, sig)) : NONE;
		if (fk != NONE && mysql_fk_index(lix, &lt->foreign_keys[ls->fks[fk].at]))
			continue;
		vg_schema_difference *x = add(d, VG_SCHEMA_EXTRA_INDEX, dt, lt, object_name(d, lix->name, &lix->columns), dt->node);
		if (x) {
			x->actual = index_text(d, lix);
			x->live.index = lix;
		}
	}
}

static int same_foreign_key(vg_db_type dialect, const vg_schema_foreign_key *a,
                            const vg_schema_foreign_key *b)
{
	return vg_schema_names_equal(&a->columns, &b->columns) && strcmp(a->ref_table, b->ref_table) == 0 &&
	       vg_schema_names_equal(&a->ref_columns, &b->ref_columns) &&
	       vg_schema_actions_equal(dialect, a->on_delete, b->on_delete) &&
	       vg_schema_actions_equal(dialect, a->on_update, b->on_update);
}

static void compare_foreign_keys(differ *d, side *ds, side *ls)
{
	const vg_schema_table *dt = ds->table, *lt = ls->table;
	match(d, ds->fks, ds->fk_count, ls->fks, ls->fk_count, 1, NULL, ds->fk_pair, ls->fk_used);
	if (d->oom)
		return;
	for (size_t i = 0; i < ds->fk_count; i++) {
		const vg_schema_foreign_key *fk = &dt->foreign_keys[ds->fks[i].at];
		size_t j = ds->fk_pair[i];
		if (j == NONE) {
			vg_schema_difference *x = add(d, VG_SCHEMA_MISSING_FOREIGN_KEY, dt, lt,
			                        object_name(d, fk->name, &fk->columns), fk->node);
			if (x) {
				x->expected = fk_text(d, fk);
				x->declared.foreign_key = fk;
			}
			continue;
		}
		const vg_schema_foreign_key *lfk = &lt->foreign_keys[ls->fks[j].at];
		if (same_foreign_key(d->dialect, fk, lfk))
			continue;
		vg_schema_difference *x = add(d, VG_SCHEMA_FOREIGN_KEY_MISMATCH, dt, lt,
		                        fk->name ? fk->name : object_name(d, lfk->name, &lfk->columns), fk->node);
		if (x) {
			x->expected = fk_text(d, fk);
			x->actual = fk_text(d, lfk);
			x->declared.foreign_key = fk;
			x->live.foreign_key = lfk;
		}
	}
	for (size_t j = 0; j < ls->fk_count; j++) {
		if (ls->fk_used[j])
			continue;
		const vg_schema_foreign_key *lfk = &lt->foreign_keys[ls->fks[j].at];
		vg_schema_difference *x = add(d, VG_SCHEMA_EXTRA_FOREIGN_KEY, dt, lt,
		                        object_name(d, lfk->name, &lfk->columns), dt->node);
		if (x) {
			x->actual = fk_text(d, lfk);
			x->live.foreign_key = lfk;
		}
	}
}

static void compare_primary_keys(differ *d, const vg_schema_table *dt, const vg_schema_table *lt)
{
	if (vg_schema_names_equal(&dt->primary_key, &lt->primary_key))
		return;
	vg_schema_difference *x = add(d, VG_SCHEMA_PRIMARY_KEY_MISMATCH, dt, lt, NULL,
	                        dt->primary_key_node ? dt->primary_key_node : dt->node);
	if (x) {
		x->expected = dt->primary_key.count ? names_text(d, &dt->primary_key) : "none";
		x->actual = lt->primary_key.count ? names_text(d, &lt->primary_key) : "none";
		x->declared.table = dt;
		x->live.table = lt;
	}
}

static void compare_tables(differ *d, const vg_schema_table *dt, const vg_schema_table *lt)
{
	d->out->tables_compared++;
	compare_columns(d, dt, lt);
	compare_primary_keys(d, dt, lt);
	if (dt->unique_count + lt->unique_count + dt->index_count + lt->index_count +
	        dt->foreign_key_count + lt->foreign_key_count == 0)
		return;
	side ds = { 0 }, ls = { 0 };
	build_side(d, &ds, dt);
	build_side(d, &ls, lt);
	if (d->oom)
		return;
	compare_uniques_and_indexes(d, &ds, &ls);
	compare_foreign_keys(d, &ds, &ls);
}

/* ---- the whole schema ------------------------------------------------------------------------ */

static int compare_diffs(const void *a, const void *b)
{
	const vg_schema_difference *x = a, *y = b;
	int c = strcmp(x->table, y->table);
	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->object ? x->object : "", y->object ? y->object : "")))
		return c;
	if ((c = strcmp(x->expected ? x->expected : "", y->expected ? y->expected : "")))
		return c;
	return strcmp(x->actual ? x->actual : "", y->actual ? y->actual : "");
}

int vg_schema_diff(vg_arena *arena, const vg_schema *declared, const vg_schema *live,
                   const char *const *unmanaged, size_t unmanaged_count,
                   vg_schema_diff_result *out)
{
	if (!out)
		return VG_SCHEMA_EINVAL;
	memset(out, 0, sizeof *out);
	if (!arena || !declared || !live || !declared->finished || !live->finished ||
	    (unmanaged_count && !unmanaged))
		return VG_SCHEMA_EINVAL;
	if (declared->dialect != live->dialect && declared->dialect != VG_DB_UNKNOWN &&
	    live->dialect != VG_DB_UNKNOWN)
		return VG_SCHEMA_EINVAL;
	differ d = { .arena = arena, .declared = declared, .live = live, .out = out };
	d.dialect = live->dialect != VG_DB_UNKNOWN ? live->dialect : declared->dialect;
	if (setup_unmanaged(&d, unmanaged, unmanaged_count) != 0)
		return VG_SCHEMA_ENOMEM;

	unsigned char *seen = flags(&d, live->table_count, 1);
	if (!seen)
		return VG_SCHEMA_ENOMEM;
	for (size_t i = 0; i < declared->table_count && !d.oom; i++) {
		const vg_schema_table *dt = declared->tables[i];
		if (table_unmanaged(&d, dt->name))
			continue;
		const vg_schema_table *lt = vg_schema_table_get(live, dt->name);
		if (!lt) {
			vg_schema_difference *x = add(&d, VG_SCHEMA_MISSING_TABLE, dt, NULL, NULL, dt->node);
			if (x) {
				x->expected = text(&d, vg_arena_printf(arena, "%zu column%s", dt->column_count,
				                                       dt->column_count == 1 ? "" : "s"));
				x->declared.table = dt;
			}
			continue;
		}
		seen[lt->position] = 1;
		compare_tables(&d, dt, lt);
	}
	for (size_t j = 0; j < live->table_count && !d.oom; j++) {
		const vg_schema_table *lt = live->tables[j];
		if (seen[j] || table_unmanaged(&d, lt->name))
			continue;
		vg_schema_difference *x = add(&d, VG_SCHEMA_EXTRA_TABLE, NULL, lt, NULL, NULL);
		if (x) {
			x->actual = text(&d, vg_arena_printf(arena, "%zu column%s", lt->column_count,
			                                     lt->column_count == 1 ? "" : "s"));
			x->live.table = lt;
		}
	}
	if (d.oom)
		return VG_SCHEMA_ENOMEM;
	if (out->count > 1)
		qsort(out->items, out->count, sizeof *out->items, compare_diffs);
	return 0;
}

/* ---- words ----------------------------------------------------------------------------------- */

const char *vg_schema_diff_kind_name(vg_schema_diff_kind kind)
{
	static const char *const names[VG_SCHEMA_DIFF_KIND_COUNT] = {
		"missing_table", "extra_table", "missing_column", "extra_column", "type_mismatch",
		"nullability_mismatch", "default_mismatch", "auto_increment_mismatch",
		"primary_key_mismatch", "missing_unique", "extra_unique", "missing_index", "extra_index",
		"index_mismatch", "missing_foreign_key", "extra_foreign_key", "foreign_key_mismatch",
	};
	return (unsigned)kind < VG_SCHEMA_DIFF_KIND_COUNT ? names[kind] : "unknown";
}

/* "column tasks.title", "index tasks.tasks_done_idx", "unique users(email)", "table tasks". */
static const char *subject(vg_arena *arena, const vg_schema_difference *x)
{
	const char *noun;
	switch (x->kind) {
	case VG_SCHEMA_MISSING_TABLE:
	case VG_SCHEMA_EXTRA_TABLE:
	case VG_SCHEMA_PRIMARY_KEY_MISMATCH:
		return vg_arena_printf(arena, "table %s", x->table);
	case VG_SCHEMA_MISSING_UNIQUE:
	case VG_SCHEMA_EXTRA_UNIQUE:
		noun = "unique";
		break;
	case VG_SCHEMA_MISSING_INDEX:
	case VG_SCHEMA_EXTRA_INDEX:
	case VG_SCHEMA_INDEX_MISMATCH:
		noun = "index";
		break;
	case VG_SCHEMA_MISSING_FOREIGN_KEY:
	case VG_SCHEMA_EXTRA_FOREIGN_KEY:
	case VG_SCHEMA_FOREIGN_KEY_MISMATCH:
		noun = "foreign key";
		break;
	default:
		noun = "column";
		break;
	}
	const char *object = x->object ? x->object : "";
	return vg_arena_printf(arena, "%s %s%s%s", noun, x->table, object[0] == '(' ? "" : ".", object);
}

const char *vg_schema_diff_describe(vg_arena *arena, const vg_schema_difference *x)
{
	const char *who = subject(arena, x);
	if (!who)
		return NULL;
	const char *e = x->expected ? x->expected : "", *a = x->actual ? x->actual : "";
	switch (x->kind) {
	case VG_SCHEMA_MISSING_TABLE:
		return vg_arena_printf(arena, "%s: missing from the database (declared with %s)", who, e);
	case VG_SCHEMA_EXTRA_TABLE:
		return vg_arena_printf(arena, "%s: in the database (%s), not in the blueprint", who, a);
	case VG_SCHEMA_MISSING_COLUMN:
	case VG_SCHEMA_MISSING_INDEX:
	case VG_SCHEMA_MISSING_FOREIGN_KEY:
	case VG_SCHEMA_MISSING_UNIQUE:
		return vg_arena_printf(arena, "%s: missing, expected %s", who, e);
	case VG_SCHEMA_EXTRA_COLUMN:
	case VG_SCHEMA_EXTRA_INDEX:
	case VG_SCHEMA_EXTRA_FOREIGN_KEY:
	case VG_SCHEMA_EXTRA_UNIQUE:
		return vg_arena_printf(arena, "%s: not in the blueprint, found %s", who, a);
	case VG_SCHEMA_TYPE_MISMATCH:
		return vg_arena_printf(arena, "%s: type %s, expected %s", who, a, e);
	case VG_SCHEMA_DEFAULT_MISMATCH:
		return vg_arena_printf(arena, "%s: default %s, expected %s", who, a, e);
	case VG_SCHEMA_PRIMARY_KEY_MISMATCH:
		return vg_arena_printf(arena, "%s: primary key %s, expected %s", who, a, e);
	default: /* nullability, auto-increment, index and foreign-key mismatches */
		return vg_arena_printf(arena, "%s: %s, expected %s", who, a, e);
	}
}

const char **vg_schema_diff_unmanaged(vg_arena *arena, const vg_database *database,
                                      size_t *count)
{
	const char **list = vg_arena_array(arena, database->unmanaged.count + 2, sizeof *list);
	if (!list)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < database->unmanaged.count; i++)
		if (database->unmanaged.names[i])
			list[n++] = database->unmanaged.names[i];
	if (database->migration_table)
		list[n++] = database->migration_table;
	list[n] = NULL;
	*count = n;
	return list;
}
