/* schema.c — the schema model: the builder drivers fill, and the model a blueprint declares. */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------------------------ */

/* The array `items` with room for one more `size`-byte element: itself, or a copy twice as
 * large (the old block stays in the arena: at most as much again as the final array).
 * NULL when memory runs out. */
static void *grow(vg_arena *arena, void *items, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return items;
	size_t next = *cap ? *cap * 2 : 4;
	void *bigger = vg_arena_array(arena, next, size);
	if (!bigger)
		return NULL;
	if (count)
		memcpy(bigger, items, count * size);
	*cap = next;
	return bigger;
}

static int copy_names(vg_arena *arena, vg_schema_names *out, const char *const *names, size_t count)
{
	out->names = NULL;
	out->count = 0;
	if (count == 0)
		return 0;
	const char **copy = vg_arena_array(arena, count, sizeof *copy);
	if (!copy)
		return VG_SCHEMA_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		if (!names[i] || !*names[i])
			return VG_SCHEMA_EINVAL;
		if (!(copy[i] = vg_arena_strdup(arena, names[i])))
			return VG_SCHEMA_ENOMEM;
	}
	out->names = copy;
	out->count = count;
	return 0;
}

static int usable_name(const char *name)
{
	return name && *name;
}

/* NULL for NULL or "", else a copy; sets *err on out of memory. */
static const char *optional_copy(vg_arena *arena, const char *s, int *err)
{
	if (!s || !*s)
		return NULL;
	const char *copy = vg_arena_strdup(arena, s);
	if (!copy)
		*err = VG_SCHEMA_ENOMEM;
	return copy;
}

static int add_problem(vg_schema *schema, const char *text)
{
	if (!text)
		return VG_SCHEMA_ENOMEM;
	const char **problems = grow(schema->arena, schema->problems, &schema->problem_cap,
	                             schema->problem_count, sizeof *problems);
	if (!problems)
		return VG_SCHEMA_ENOMEM;
	schema->problems = problems;
	schema->problems[schema->problem_count++] = text;
	return 0;
}

/* ---- builder ------------------------------------------------------------------------------ */

vg_schema *vg_schema_new(vg_arena *arena, vg_db_type dialect, const char *namespace_name)
{
	vg_schema *s = vg_arena_alloc(arena, sizeof *s);
	if (!s)
		return NULL;
	s->arena = arena;
	s->dialect = dialect;
	if (namespace_name && !(s->namespace_name = vg_arena_strdup(arena, namespace_name)))
		return NULL;
	if (!(s->table_index = vg_strmap_new(arena, 64)) || !(s->type_cache = vg_strmap_new(arena, 32)))
		return NULL;
	return s;
}

int vg_schema_add_table(vg_schema_table **out, vg_schema *schema, const char *name)
{
	if (out)
		*out = NULL;
	if (!schema || schema->finished || !usable_name(name))
		return VG_SCHEMA_EINVAL;
	vg_schema_table *existing = vg_strmap_get(schema->table_index, name);
	if (existing) {
		if (out)
			*out = existing;
		return VG_SCHEMA_EEXISTS;
	}
	vg_arena *a = schema->arena;
	vg_schema_table *t = vg_arena_alloc(a, sizeof *t);
	if (!t || !(t->name = vg_arena_strdup(a, name)) || !(t->column_index = vg_strmap_new(a, 16)))
		return VG_SCHEMA_ENOMEM;
	t->schema = schema;
	vg_schema_table **tables = grow(a, schema->tables, &schema->table_cap, schema->table_count,
	                                sizeof *tables);
	if (!tables || vg_strmap_put(schema->table_index, t->name, t, NULL) < 0)
		return VG_SCHEMA_ENOMEM;
	schema->tables = tables;
	t->position = schema->table_count;
	schema->tables[schema->table_count++] = t;
	if (out)
		*out = t;
	return 0;
}

/* A schema spells few distinct types: each is parsed once and shared by its columns. */
static const vg_sqltype *parsed_type(vg_schema *s, const char *raw)
{
	vg_sqltype *type = vg_strmap_get(s->type_cache, raw);
	if (type)
		return type;
	if (!(type = vg_arena_alloc(s->arena, sizeof *type)) ||
	    vg_sqltype_parse(type, s->arena, raw, s->dialect) != 0 ||
	    vg_strmap_put(s->type_cache, raw, type, NULL) < 0)
		return NULL;
	return type;
}

int vg_schema_table_add_column(vg_schema_column **out, vg_schema_table *table, const char *name,
                               const char *raw_type, int nullable, const char *default_raw,
                               int auto_increment)
{
	if (out)
		*out = NULL;
	if (!table || table->schema->finished || !usable_name(name))
		return VG_SCHEMA_EINVAL;
	vg_schema_column *existing = vg_strmap_get(table->column_index, name);
	if (existing) {
		if (out)
			*out = existing;
		return VG_SCHEMA_EEXISTS;
	}
	vg_schema *s = table->schema;
	vg_arena *a = s->arena;
	vg_schema_column *c = vg_arena_alloc(a, sizeof *c);
	if (!c || !(c->name = vg_arena_strdup(a, name)))
		return VG_SCHEMA_ENOMEM;
	int err = 0;
	c->raw_type = optional_copy(a, raw_type, &err);
	c->default_raw = default_raw ? vg_arena_strdup(a, default_raw) : NULL;
	if (err || (default_raw && !c->default_raw))
		return VG_SCHEMA_ENOMEM;
	if (!(c->type = parsed_type(s, c->raw_type ? c->raw_type : "")))
		return VG_SCHEMA_ENOMEM;
	c->nullable = nullable != 0;
	c->auto_increment = auto_increment != 0 || c->type->is_serial;
	if (c->default_raw) {
		int from_sequence = 0;
		if (vg_schema_normalise_default(&c->default_value, a, s->dialect, c->type->type_class,
		                                c->default_raw, &from_sequence) != 0)
			return VG_SCHEMA_ENOMEM;
		if (from_sequence)
			c->auto_increment = 1;
	}
	vg_schema_column **columns = grow(a, table->columns, &table->column_cap, table->column_count,
	                                  sizeof *columns);
	if (!columns || vg_strmap_put(table->column_index, c->name, c, NULL) < 0)
		return VG_SCHEMA_ENOMEM;
	table->columns = columns;
	table->columns[table->column_count++] = c;
	c->ordinal = table->column_count;
	if (out)
		*out = c;
	return 0;
}

int vg_schema_table_set_primary_key(vg_schema_table *table, const char *name,
                                    const char *const *columns, size_t count)
{
	if (!table || table->schema->finished || (count && !columns))
		return VG_SCHEMA_EINVAL;
	int err = 0;
	vg_arena *a = table->schema->arena;
	vg_schema_names names;
	int rc = copy_names(a, &names, columns, count);
	if (rc != 0)
		return rc;
	const char *copy = optional_copy(a, name, &err);
	if (err)
		return err;
	table->primary_key = names;
	table->primary_key_name = copy;
	return 0;
}

int vg_schema_table_add_unique(vg_schema_unique **out, vg_schema_table *table, const char *name,
                               const char *const *columns, size_t count)
{
	if (out)
		*out = NULL;
	if (!table || table->schema->finished || count == 0 || !columns)
		return VG_SCHEMA_EINVAL;
	vg_arena *a = table->schema->arena;
	vg_schema_unique u = { 0 };
	int err = 0;
	int rc = copy_names(a, &u.columns, columns, count);
	if (rc != 0)
		return rc;
	u.name = optional_copy(a, name, &err);
	vg_schema_unique *uniques = grow(a, table->uniques, &table->unique_cap, table->unique_count,
	                                 sizeof *uniques);
	if (err || !uniques)
		return VG_SCHEMA_ENOMEM;
	table->uniques = uniques;
	table->uniques[table->unique_count] = u;
	if (out)
		*out = &table->uniques[table->unique_count];
	table->unique_count++;
	return 0;
}

int vg_schema_table_add_index(vg_schema_index **out, vg_schema_table *table, const char *name,
                              const char *const *columns, size_t count, int unique)
{
	if (out)
		*out = NULL;
	if (!table || table->schema->finished || count == 0 || !columns)
		return VG_SCHEMA_EINVAL;
	vg_arena *a = table->schema->arena;
	vg_schema_index ix = { 0 };
	int err = 0;
	int rc = copy_names(a, &ix.columns, columns, count);
	if (rc != 0)
		return rc;
	ix.name = optional_copy(a, name, &err);
	ix.unique = unique != 0;
	vg_schema_index *indexes = grow(a, table->indexes, &table->index_cap, table->index_count,
	                                sizeof *indexes);
	if (err || !indexes)
		return VG_SCHEMA_ENOMEM;
	table->indexes = indexes;
	table->indexes[table->index_count] = ix;
	if (out)
		*out = &table->indexes[table->index_count];
	table->index_count++;
	return 0;
}

int vg_schema_table_add_foreign_key(vg_schema_foreign_key **out, vg_schema_table *table,
                                    const char *name, const char *const *columns, size_t count,
                                    const char *ref_table, const char *const *ref_columns,
                                    size_t ref_count, const char *on_delete,
                                    const char *on_update)
{
	if (out)
		*out = NULL;
	if (!table || table->schema->finished || count == 0 || !columns ||
	    !usable_name(ref_table) || (ref_count && !ref_columns))
		return VG_SCHEMA_EINVAL;
	vg_arena *a = table->schema->arena;
	vg_schema_foreign_key fk = { 0 };
	int err = 0;
	int rc = copy_names(a, &fk.columns, columns, count);
	if (rc == 0)
		rc = copy_names(a, &fk.ref_columns, ref_columns, ref_count);
	if (rc != 0)
		return rc;
	fk.name = optional_copy(a, name, &err);
	fk.ref_table = optional_copy(a, ref_table, &err);
	fk.on_delete = vg_schema_normalise_action(a, on_delete);
	fk.on_update = vg_schema_normalise_action(a, on_update);
	vg_schema_foreign_key *fks = grow(a, table->foreign_keys, &table->foreign_key_cap,
	                                  table->foreign_key_count, sizeof *fks);
	if (err || !fk.on_delete || !fk.on_update || !fks)
		return VG_SCHEMA_ENOMEM;
	table->foreign_keys = fks;
	table->foreign_keys[table->foreign_key_count] = fk;
	if (out)
		*out = &table->foreign_keys[table->foreign_key_count];
	table->foreign_key_count++;
	return 0;
}

/* ---- finishing ---------------------------------------------------------------------------- */

static int compare_tables(const void *a, const void *b)
{
	const vg_schema_table *x = *(const vg_schema_table *const *)a;
	const vg_schema_table *y = *(const vg_schema_table *const *)b;
	return strcmp(x->name, y->name);
}

static const char *label(vg_arena *a, const char *kind, const char *table, const char *name,
                         const vg_schema_names *columns)
{
	if (!kind)
		return vg_arena_printf(a, "the primary key of %s", table);
	if (name)
		return vg_arena_printf(a, "%s %s.%s", kind, table, name);
	return vg_arena_printf(a, "%s %s%s", kind, table, vg_schema_names_text(a, columns));
}

/* Notes each name of `names` that `target` lacks: "index t.x names column c, which table t
 * does not have". The element is `kind` (NULL: the primary key) `name` of `table`. */
static int check_columns(vg_schema *s, const vg_schema_table *table, const char *kind,
                         const char *name, const vg_schema_names *columns,
                         const vg_schema_table *target, const vg_schema_names *names)
{
	for (size_t i = 0; i < names->count; i++) {
		if (vg_schema_column_get(target, names->names[i]))
			continue;
		const char *what = label(s->arena, kind, table->name, name, columns);
		if (!what || add_problem(s, vg_arena_printf(s->arena, "%s names column %s, which table %s does not have",
		                                            what, names->names[i], target->name)) != 0)
			return VG_SCHEMA_ENOMEM;
	}
	return 0;
}

static int check_references(vg_schema *s, const vg_schema_table *t)
{
	int rc = check_columns(s, t, NULL, NULL, &t->primary_key, t, &t->primary_key);
	for (size_t i = 0; rc == 0 && i < t->unique_count; i++)
		rc = check_columns(s, t, "unique", t->uniques[i].name, &t->uniques[i].columns, t,
		                   &t->uniques[i].columns);
	for (size_t i = 0; rc == 0 && i < t->index_count; i++)
		rc = check_columns(s, t, "index", t->indexes[i].name, &t->indexes[i].columns, t,
		                   &t->indexes[i].columns);
	for (size_t i = 0; rc == 0 && i < t->foreign_key_count; i++) {
		const vg_schema_foreign_key *fk = &t->foreign_keys[i];
		rc = check_columns(s, t, "foreign key", fk->name, &fk->columns, t, &fk->columns);
		const vg_schema_table *ref = vg_schema_table_get(s, fk->ref_table);
		if (rc != 0)
			break;
		if (ref) {
			rc = check_columns(s, t, "foreign key", fk->name, &fk->columns, ref, &fk->ref_columns);
			continue;
		}
		const char *what = label(s->arena, "foreign key", t->name, fk->name, &fk->columns);
		rc = what ? add_problem(s, vg_arena_printf(s->arena, "%s references table %s, which is not in the schema",
		                                           what, fk->ref_table))
		          : VG_SCHEMA_ENOMEM;
	}
	return rc;
}

/* SQLite makes a single-column INTEGER PRIMARY KEY the rowid, which numbers itself. A live
 * table must say exactly INTEGER; a declared one becomes INTEGER whenever its type has
 * integer affinity, since that is how the driver renders every integer type. */
static void apply_sqlite_rowid(const vg_schema *s, vg_schema_table *t)
{
	if (t->primary_key.count != 1)
		return;
	vg_schema_column *c = vg_schema_column_get(t, t->primary_key.names[0]);
	if (!c || c->type->is_array)
		return;
	const char *name = s->declared ? c->type->canonical : c->type->base;
	if (name && strcmp(name, "integer") == 0)
		c->auto_increment = 1;
}

int vg_schema_finish(vg_schema *s)
{
	if (!s || s->finished)
		return VG_SCHEMA_EINVAL;
	if (s->table_count > 1)
		qsort(s->tables, s->table_count, sizeof *s->tables, compare_tables);
	for (size_t i = 0; i < s->table_count; i++) {
		vg_schema_table *t = s->tables[i];
		t->position = i;
		for (size_t k = 0; k < t->primary_key.count; k++) {
			vg_schema_column *c = vg_schema_column_get(t, t->primary_key.names[k]);
			if (c)
				c->nullable = 0;
		}
		for (size_t k = 0; k < t->column_count; k++)
			if (t->columns[k]->type->is_serial)
				t->columns[k]->nullable = 0;
		if (s->dialect == VG_DB_SQLITE)
			apply_sqlite_rowid(s, t);
		if (check_references(s, t) != 0)
			return VG_SCHEMA_ENOMEM;
	}
	s->finished = 1;
	return 0;
}

/* ---- look-ups ----------------------------------------------------------------------------- */

vg_schema_table *vg_schema_table_get(const vg_schema *schema, const char *name)
{
	if (!schema || !name)
		return NULL;
	return vg_strmap_get(schema->table_index, name);
}

vg_schema_column *vg_schema_column_get(const vg_schema_table *table, const char *name)
{
	if (!table || !name)
		return NULL;
	return vg_strmap_get(table->column_index, name);
}

const char *vg_schema_names_text(vg_arena *arena, const vg_schema_names *names)
{
	size_t len = 3;
	for (size_t i = 0; i < names->count; i++)
		len += strlen(names->names[i]) + 2;
	char *out = vg_arena_alloc(arena, len);
	if (!out)
		return NULL;
	char *p = out;
	*p++ = '(';
	for (size_t i = 0; i < names->count; i++) {
		if (i) {
			*p++ = ',';
			*p++ = ' ';
		}
		size_t n = strlen(names->names[i]);
		memcpy(p, names->names[i], n);
		p += n;
	}
	*p++ = ')';
	*p = '\0';
	return out;
}

int vg_schema_names_equal(const vg_schema_names *a, const vg_schema_names *b)
{
	if (a->count != b->count)
		return 0;
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			return 0;
	return 1;
}

/* ---- from the blueprint ------------------------------------------------------------------- */

/* Is `name` already in the list? (Key lists are short.) */
static int names_contain(const char *const *names, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* The table's primary key: the table-level list, then the columns flagged primary_key that it
 * does not already name, in column order. */
static int declared_primary_key(vg_arena *a, vg_schema_table *st, const vg_table *t)
{
	size_t max = t->primary_key.count + t->column_count;
	if (max == 0)
		return 0;
	const char **names = vg_arena_array(a, max, sizeof *names);
	if (!names)
		return VG_SCHEMA_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < t->primary_key.count; i++) {
		const char *name = t->primary_key.names[i];
		if (usable_name(name) && !names_contain(names, n, name))
			names[n++] = name;
	}
	const vg_node *node = t->primary_key.count ? t->primary_key.node : NULL;
	for (size_t i = 0; i < t->column_count; i++) {
		const vg_column *c = &t->columns[i];
		if (!c->primary_key || !usable_name(c->name) || names_contain(names, n, c->name))
			continue;
		names[n++] = c->name;
		if (!node)
			node = c->node;
	}
	if (n == 0)
		return 0;
	int rc = vg_schema_table_set_primary_key(st, NULL, names, n);
	st->primary_key_node = node;
	return rc;
}

/* Adds an unnamed unique unless one with the same columns is there already. */
static int declared_unique(vg_schema_table *st, const char *const *columns, size_t count,
                           const vg_node *node)
{
	if (count == 0)
		return 0;
	for (size_t i = 0; i < count; i++)
		if (!usable_name(columns[i]))
			return 0;
	vg_schema_names probe = { (const char **)columns, count };
	for (size_t i = 0; i < st->unique_count; i++)
		if (vg_schema_names_equal(&st->uniques[i].columns, &probe))
			return 0;
	vg_schema_unique *u;
	int rc = vg_schema_table_add_unique(&u, st, NULL, columns, count);
	if (rc == 0)
		u->node = node;
	return rc;
}

static int all_named(const vg_name_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		if (!usable_name(list->names[i]))
			return 0;
	return list->count > 0;
}

static int declared_table(vg_schema *s, const vg_table *t)
{
	vg_arena *a = s->arena;
	vg_schema_table *st;
	int rc = vg_schema_add_table(&st, s, t->name);
	if (rc == VG_SCHEMA_EEXISTS)
		return add_problem(s, vg_arena_printf(a, "table %s is declared more than once; the first is used",
		                                      t->name));
	if (rc != 0)
		return rc;
	st->node = t->node;

	for (size_t i = 0; i < t->column_count; i++) {
		const vg_column *c = &t->columns[i];
		if (!usable_name(c->name))
			continue;
		int nullable = c->nullable == VG_UNSET ? !c->primary_key : c->nullable == VG_TRUE;
		/* `default: null` (or nothing) is no default; `default: ""` is an empty string. */
		const char *def = c->default_node && vg_is_null(c->default_node) ? NULL : c->default_value;
		vg_schema_column *sc;
		rc = vg_schema_table_add_column(&sc, st, c->name, c->type, nullable, def, c->auto_increment);
		if (rc == VG_SCHEMA_EEXISTS) {
			if (add_problem(s, vg_arena_printf(a, "column %s.%s is declared more than once; the first is used",
			                                   t->name, c->name)) != 0)
				return VG_SCHEMA_ENOMEM;
			continue;
		}
		if (rc != 0)
			return rc;
		sc->node = c->node;
		sc->type_node = c->type_node;
		sc->default_node = c->default_node;
	}

	if ((rc = declared_primary_key(a, st, t)) != 0)
		return rc;
	for (size_t i = 0; i < t->column_count; i++) {
		const vg_column *c = &t->columns[i];
		if (c->unique && usable_name(c->name) &&
		    (rc = declared_unique(st, &c->name, 1, c->node)) != 0)
			return rc;
	}
	for (size_t i = 0; i < t->unique_count; i++) {
		const vg_name_list *u = &t->uniques[i];
		if ((rc = declared_unique(st, u->names, u->count, u->node)) != 0)
			return rc;
	}
	for (size_t i = 0; i < t->index_count; i++) {
		const vg_index *ix = &t->indexes[i];
		if (!all_named(&ix->columns))
			continue;
		vg_schema_index *six;
		rc = vg_schema_table_add_index(&six, st, ix->name, ix->columns.names, ix->columns.count,
		                               ix->unique);
		if (rc != 0)
			return rc;
		six->node = ix->node;
	}
	for (size_t i = 0; i < t->foreign_key_count; i++) {
		const vg_foreign_key *fk = &t->foreign_keys[i];
		if (!all_named(&fk->columns) || !usable_name(fk->ref_table) ||
		    (fk->ref_columns.count && !all_named(&fk->ref_columns)))
			continue;
		vg_schema_foreign_key *sfk;
		rc = vg_schema_table_add_foreign_key(&sfk, st, fk->name, fk->columns.names,
		                                     fk->columns.count, fk->ref_table,
		                                     fk->ref_columns.names, fk->ref_columns.count,
		                                     fk->on_delete, fk->on_update);
		if (rc != 0)
			return rc;
		sfk->node = fk->node;
	}
	return 0;
}

vg_schema *vg_schema_from_declared(vg_arena *arena, const vg_database *db)
{
	const char *ns = NULL;
	if (db->schema_node && db->schema_node->kind == VG_NODE_MAP) {
		const vg_node *n = vg_map_get(db->schema_node, "namespace");
		if (n && !vg_is_null(n))
			ns = vg_scalar(n);
	}
	vg_schema *s = vg_schema_new(arena, db->type, ns);
	if (!s)
		return NULL;
	s->declared = 1;
	for (size_t i = 0; i < db->table_count; i++) {
		const vg_table *t = &db->tables[i];
		if (!usable_name(t->name))
			continue;
		if (declared_table(s, t) != 0)
			return NULL;
	}
	if (vg_schema_finish(s) != 0)
		return NULL;
	return s;
}
