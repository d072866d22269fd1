/*
 * blueprint.c — builds the typed blueprint model from the YAML tree.
 *
 * Lenient by design: a value of the wrong shape is skipped and its field left NULL/0, because
 * the level-1 validators report shapes against the tree with exact locations. Every string
 * read here goes through expand(), which applies ${VAR} and records each reference once per
 * scalar node.
 */
#define _POSIX_C_SOURCE 200809L

#include "blueprint.h"
#include "url.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "strmap.h"

/* ---- database types ----------------------------------------------------------------------- */

const char *vg_db_type_name(vg_db_type type)
{
	switch (type) {
	case VG_DB_SQLITE:
		return "sqlite";
	case VG_DB_POSTGRESQL:
		return "postgresql";
	case VG_DB_MYSQL:
		return "mysql";
	default:
		return "unknown";
	}
}

static int equals_nocase(const char *a, const char *lower)
{
	for (; *a && *lower; a++, lower++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		if (x != *lower)
			return 0;
	}
	return *a == *lower;
}

vg_db_type vg_db_type_parse(const char *name)
{
	static const struct {
		const char *name;
		vg_db_type type;
	} names[] = {
		{"sqlite", VG_DB_SQLITE},         {"sqlite3", VG_DB_SQLITE},
		{"postgresql", VG_DB_POSTGRESQL}, {"postgres", VG_DB_POSTGRESQL},
		{"pg", VG_DB_POSTGRESQL},         {"mysql", VG_DB_MYSQL},
		{"mariadb", VG_DB_MYSQL},
	};
	if (!name)
		return VG_DB_UNKNOWN;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (equals_nocase(name, names[i].name))
			return names[i].type;
	return VG_DB_UNKNOWN;
}

/* ---- builder state ------------------------------------------------------------------------ */

typedef struct builder {
	vg_arena *arena;
	vg_blueprint *bp;
	const char *(*getenv_fn)(const char *name);
	vg_env_ref *refs;          /* malloc'ed while building, copied into the arena at the end */
	size_t ref_count, ref_cap;
	vg_strmap *ref_seen;       /* "node|name" of each reference recorded */
	vg_database *dbs;          /* malloc'ed while building (inline ones appear as we go) */
	size_t db_count, db_cap;
	int oom;
} builder;

static const char *default_getenv(const char *name)
{
	return getenv(name);
}

/* Checks an allocation; the build fails as a whole when one did. */
static void *need(builder *b, void *p)
{
	if (!p)
		b->oom = 1;
	return p;
}

static int is_map(const vg_node *n)
{
	return n && n->kind == VG_NODE_MAP;
}

static int is_seq(const vg_node *n)
{
	return n && n->kind == VG_NODE_SEQ;
}

/* ---- ${VAR} expansion --------------------------------------------------------------------- */

typedef struct strbuf {
	char *data;
	size_t len, cap;
	int failed;
} strbuf;

static void sb_put(strbuf *sb, const char *s, size_t n)
{
	if (sb->failed)
		return;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 64;
		while (cap < sb->len + n + 1)
			cap *= 2;
		char *d = realloc(sb->data, cap);
		if (!d) {
			sb->failed = 1;
			return;
		}
		sb->data = d;
		sb->cap = cap;
	}
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

static int name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static void record_ref(builder *b, const vg_node *node, const char *name, size_t len, int defined)
{
	char *key = need(b, vg_arena_printf(b->arena, "%p|%.*s", (const void *)node, (int)len, name));
	if (!key)
		return;
	int put = vg_strmap_put(b->ref_seen, key, key, NULL);
	if (put < 0) {
		b->oom = 1;
		return;
	}
	if (put == 0)
		return; /* this scalar's reference is already listed */
	if (b->ref_count == b->ref_cap) {
		size_t cap = b->ref_cap ? b->ref_cap * 2 : 16;
		vg_env_ref *refs = need(b, realloc(b->refs, cap * sizeof *refs));
		if (!refs)
			return;
		b->refs = refs;
		b->ref_cap = cap;
	}
	vg_env_ref *r = &b->refs[b->ref_count];
	r->name = need(b, vg_arena_strndup(b->arena, name, len));
	r->defined = defined;
	r->node = node;
	if (r->name)
		b->ref_count++;
}

/* The environment's value of the `len` bytes at `name`, or NULL when unset (or too long). */
static const char *lookup(builder *b, const char *name, size_t len)
{
	char var[256];
	if (len >= sizeof var)
		return NULL;
	memcpy(var, name, len);
	var[len] = '\0';
	return b->getenv_fn(var);
}

/*
 * The scalar's text with ${VAR} replaced (unset: empty) and $${ made a literal ${. A ${ that
 * is not closed or names no valid variable stays as written: the structure validator
 * reports it from the tree.
 */
static const char *expand(builder *b, const vg_node *node)
{
	const char *text = vg_scalar(node);
	if (!text || !strchr(text, '$'))
		return text;
	strbuf sb = {0};
	const char *s = text;
	while (*s) {
		if (s[0] == '$' && s[1] == '$' && s[2] == '{') {
			sb_put(&sb, "${", 2);
			s += 3;
			continue;
		}
		if (s[0] == '$' && s[1] == '{') {
			const char *name = s + 2, *end = name;
			if (name_start(*end)) {
				while (name_char(*end))
					end++;
				/* ${VAR:-default} (unset or empty) and ${VAR-default} (unset), as in a
				 * shell; the default runs to the first `}`. */
				int colon = end[0] == ':' && end[1] == '-';
				const char *close = colon || end[0] == '-' ? strchr(end, '}')
				                                           : NULL;
				if (close) {
					size_t len = (size_t)(end - name);
					const char *value = lookup(b, name, len);
					if (!value || (colon && !*value)) {
						const char *dflt = end + (colon ? 2 : 1);
						sb_put(&sb, dflt, (size_t)(close - dflt));
					} else {
						record_ref(b, node, name, len, 1);
						sb_put(&sb, value, strlen(value));
					}
					s = close + 1;
					continue;
				}
				if (*end == '}') {
					size_t len = (size_t)(end - name);
					const char *value = lookup(b, name, len);
					record_ref(b, node, name, len, value != NULL);
					if (value)
						sb_put(&sb, value, strlen(value));
					s = end + 1;
					continue;
				}
			}
			sb_put(&sb, "${", 2);
			s += 2;
			continue;
		}
		const char *next = strchr(s + 1, '$');
		size_t n = next ? (size_t)(next - s) : strlen(s);
		sb_put(&sb, s, n);
		s += n;
	}
	const char *out = NULL;
	if (sb.failed)
		b->oom = 1;
	else
		out = need(b, vg_arena_strndup(b->arena, sb.data ? sb.data : "", sb.len));
	free(sb.data);
	return out;
}

/* ---- typed reads -------------------------------------------------------------------------- */

/* An expanded string, or NULL when absent, not a scalar, or a null scalar. */
static const char *str_of(builder *b, const vg_node *n)
{
	if (!n || n->kind != VG_NODE_SCALAR || vg_is_null(n))
		return NULL;
	return expand(b, n);
}

static const char *get_str(builder *b, const vg_node *map, const char *key, const vg_node **node)
{
	const vg_node *n = vg_map_get(map, key);
	if (node)
		*node = n;
	return str_of(b, n);
}

/* The first of two spellings that is present. */
static const vg_node *get_either(const vg_node *map, const char *key, const char *alt)
{
	const vg_node *n = vg_map_get(map, key);
	return n ? n : vg_map_get(map, alt);
}

static int get_long(const vg_node *map, const char *key, long long *out)
{
	return vg_scalar_long(vg_map_get(map, key), out) == 0;
}

static int get_double(const vg_node *map, const char *key, double *out)
{
	return vg_scalar_double(vg_map_get(map, key), out) == 0;
}

/* 1 or 0 when the key holds a boolean; `absent` otherwise. */
static int get_bool(const vg_node *map, const char *key, int absent)
{
	int v;
	return vg_scalar_bool(vg_map_get(map, key), &v) == 0 ? v : absent;
}

/* A list of names from a sequence of strings (or, when `scalar_ok`, one string). */
static void name_list(builder *b, const vg_node *node, int scalar_ok, vg_name_list *out)
{
	memset(out, 0, sizeof *out);
	out->node = node;
	if (!node)
		return;
	const vg_node *const *items;
	size_t count;
	if (node->kind == VG_NODE_SEQ) {
		items = (const vg_node *const *)node->u.seq.items;
		count = node->u.seq.count;
	} else if (node->kind == VG_NODE_SCALAR && scalar_ok && !vg_is_null(node)) {
		items = &node;
		count = 1;
	} else {
		return;
	}
	if (count == 0)
		return;
	out->names = need(b, vg_arena_array(b->arena, count, sizeof *out->names));
	out->nodes = need(b, vg_arena_array(b->arena, count, sizeof *out->nodes));
	if (!out->names || !out->nodes)
		return;
	for (size_t i = 0; i < count; i++) {
		const char *s = str_of(b, items[i]);
		if (!s)
			continue;
		out->names[out->count] = s;
		out->nodes[out->count] = items[i];
		out->count++;
	}
}

/* Allocates an arena array for the items of a sequence; NULL when empty or not a sequence. */
static void *seq_array(builder *b, const vg_node *seq, size_t size)
{
	if (!is_seq(seq) || seq->u.seq.count == 0)
		return NULL;
	return need(b, vg_arena_array(b->arena, seq->u.seq.count, size));
}

/* ---- schema: tables, migrations ----------------------------------------------------------- */

static void build_column(builder *b, vg_column *c, const vg_node *map)
{
	c->node = map;
	c->name = get_str(b, map, "name", NULL);
	c->type = get_str(b, map, "type", &c->type_node);
	int nullable = get_bool(map, "nullable", -1);
	c->nullable = nullable < 0 ? VG_UNSET : nullable ? VG_TRUE : VG_FALSE;
	c->primary_key = get_bool(map, "primary_key", 0);
	c->auto_increment = get_bool(map, "auto_increment", 0);
	c->unique = get_bool(map, "unique", 0);
	const vg_node *d = vg_map_get(map, "default");
	if (d) {
		c->default_node = d;
		/* As written, even `null`: the dialect decides what a default means. */
		c->default_value = d->kind == VG_NODE_SCALAR ? expand(b, d) : NULL;
	}
}

static void build_index(builder *b, vg_index *ix, const vg_node *map)
{
	ix->node = map;
	ix->name = get_str(b, map, "name", NULL);
	name_list(b, vg_map_get(map, "columns"), 0, &ix->columns);
	ix->unique = get_bool(map, "unique", 0);
}

static void build_foreign_key(builder *b, vg_foreign_key *fk, const vg_node *map)
{
	fk->node = map;
	fk->name = get_str(b, map, "name", NULL);
	name_list(b, vg_map_get(map, "columns"), 0, &fk->columns);
	const vg_node *ref = vg_map_get(map, "references");
	if (is_map(ref)) {
		fk->ref_table = get_str(b, ref, "table", &fk->ref_table_node);
		name_list(b, vg_map_get(ref, "columns"), 0, &fk->ref_columns);
	}
	fk->on_delete = get_str(b, map, "on_delete", NULL);
	fk->on_update = get_str(b, map, "on_update", NULL);
}

static void build_table(builder *b, vg_table *t, const vg_node *map)
{
	t->node = map;
	t->name = get_str(b, map, "name", &t->name_node);

	const vg_node *columns = vg_map_get(map, "columns");
	if ((t->columns = seq_array(b, columns, sizeof *t->columns)))
		for (size_t i = 0; i < columns->u.seq.count; i++)
			if (is_map(columns->u.seq.items[i]))
				build_column(b, &t->columns[t->column_count++], columns->u.seq.items[i]);

	/* Both places are kept as written (column flags, table list): the level-2 validator
	 * compares them, so they are not merged here. */
	name_list(b, vg_map_get(map, "primary_key"), 1, &t->primary_key);

	const vg_node *unique = vg_map_get(map, "unique");
	if (unique && unique->kind == VG_NODE_SCALAR && !vg_is_null(unique)) {
		if ((t->uniques = need(b, vg_arena_alloc(b->arena, sizeof *t->uniques)))) {
			name_list(b, unique, 1, &t->uniques[0]);
			t->unique_count = 1;
		}
	} else if ((t->uniques = seq_array(b, unique, sizeof *t->uniques))) {
		for (size_t i = 0; i < unique->u.seq.count; i++) {
			const vg_node *item = unique->u.seq.items[i];
			if (item->kind == VG_NODE_MAP)
				continue;
			vg_name_list *u = &t->uniques[t->unique_count];
			name_list(b, item, 1, u);
			if (u->count)
				t->unique_count++;
		}
	}

	const vg_node *indexes = vg_map_get(map, "indexes");
	if ((t->indexes = seq_array(b, indexes, sizeof *t->indexes)))
		for (size_t i = 0; i < indexes->u.seq.count; i++)
			if (is_map(indexes->u.seq.items[i]))
				build_index(b, &t->indexes[t->index_count++], indexes->u.seq.items[i]);

	const vg_node *fks = vg_map_get(map, "foreign_keys");
	if ((t->foreign_keys = seq_array(b, fks, sizeof *t->foreign_keys)))
		for (size_t i = 0; i < fks->u.seq.count; i++)
			if (is_map(fks->u.seq.items[i]))
				build_foreign_key(b, &t->foreign_keys[t->foreign_key_count++],
				                  fks->u.seq.items[i]);
}

static void build_migration(builder *b, vg_migration *m, const vg_node *map)
{
	m->node = map;
	m->version_node = vg_map_get(map, "version");
	m->has_version = vg_scalar_long(m->version_node, &m->version) == 0;
	m->description = get_str(b, map, "description", NULL);
	m->up = get_str(b, map, "up", &m->up_node);
	if (!m->up_node) /* the pipeline's V5EnhancedStore spelling */
		m->up = get_str(b, map, "sql", &m->up_node);
	m->down = get_str(b, map, "down", NULL);
}

/* ---- databases ---------------------------------------------------------------------------- */

/*
 * What the URL says about the connection, through the one URL parser (url.c): TLS required
 * (sslmode=require or stricter) and, for SQLite, the file, relative to the blueprint's
 * folder. A URL that does not parse yields neither; level 2 reports it.
 */
static void apply_url(builder *b, vg_database *db)
{
	vg_url *url = NULL;
	vg_url_error err;
	if (vg_url_parse(&url, b->arena, db->url, &err) != 0)
		return;
	if (db->type == VG_DB_POSTGRESQL && !db->ssl_required) {
		const char *mode = vg_url_param_get(url, "sslmode");
		db->ssl_required = mode && (strcmp(mode, "require") == 0 ||
		                            strcmp(mode, "verify-ca") == 0 ||
		                            strcmp(mode, "verify-full") == 0);
	}
	if (db->type == VG_DB_SQLITE && url->type == VG_DB_SQLITE)
		db->sqlite_path = vg_url_sqlite_file(b->arena, url, b->bp->dir);
}

static void build_pool(builder *b, vg_database *db, const vg_node *map)
{
	(void)b;
	const vg_node *pool = vg_map_get(map, "pool");
	const vg_node *legacy = vg_map_get(map, "connection_pool");
	if (is_map(pool)) {
		db->pool.node = pool;
		db->pool.has_min = get_long(pool, "min", &db->pool.min);
		db->pool.has_max = get_long(pool, "max", &db->pool.max);
		db->pool.has_connect_timeout =
			get_long(pool, "connect_timeout_ms", &db->pool.connect_timeout_ms);
	} else if (is_map(legacy)) {
		db->pool.node = legacy;
		db->pool.has_min = get_long(legacy, "min_size", &db->pool.min);
		db->pool.has_max = get_long(legacy, "max_size", &db->pool.max);
		double seconds;
		if (get_double(legacy, "timeout", &seconds) && seconds > -9e12 && seconds < 9e12) {
			double ms = seconds * 1000.0;
			db->pool.connect_timeout_ms = (long long)(ms < 0 ? ms - 0.5 : ms + 0.5);
			db->pool.has_connect_timeout = 1;
		}
	}
	if (!db->pool.has_max && get_long(map, "pool_size", &db->pool.max)) {
		db->pool.has_max = 1;
		if (!db->pool.node)
			db->pool.node = vg_map_get(map, "pool_size");
	}
}

static void build_benchmark(builder *b, vg_database *db, const vg_node *bench)
{
	if (!is_map(bench))
		return;
	db->benchmark.node = bench;
	db->benchmark.has_clients = get_long(bench, "clients", &db->benchmark.clients);
	db->benchmark.has_duration = get_long(bench, "duration_ms", &db->benchmark.duration_ms);
	db->benchmark.has_max_p95 = get_double(bench, "max_p95_ms", &db->benchmark.max_p95_ms);
	db->benchmark.has_min_tps = get_double(bench, "min_tps", &db->benchmark.min_tps);
	db->benchmark.has_max_error_rate =
		get_double(bench, "max_error_rate", &db->benchmark.max_error_rate);
	db->benchmark.query = get_str(b, bench, "query", NULL);
}

static void build_schema(builder *b, vg_database *db, const vg_node *schema)
{
	if (!is_map(schema))
		return;
	db->schema_node = schema;
	db->migration_table = get_str(b, schema, "migration_table", NULL);
	if (!db->migration_table || !*db->migration_table)
		db->migration_table = VG_MIGRATION_TABLE_DEFAULT;
	const vg_node *tables = vg_map_get(schema, "tables");
	if ((db->tables = seq_array(b, tables, sizeof *db->tables)))
		for (size_t i = 0; i < tables->u.seq.count; i++)
			if (is_map(tables->u.seq.items[i]))
				build_table(b, &db->tables[db->table_count++], tables->u.seq.items[i]);
	const vg_node *migrations = vg_map_get(schema, "migrations");
	if ((db->migrations = seq_array(b, migrations, sizeof *db->migrations)))
		for (size_t i = 0; i < migrations->u.seq.count; i++)
			if (is_map(migrations->u.seq.items[i]))
				build_migration(b, &db->migrations[db->migration_count++],
				                migrations->u.seq.items[i]);
}

/* Fills every database key of `map` (the name and origin are the caller's). */
static void build_database(builder *b, vg_database *db, const vg_node *map)
{
	db->node = map;
	if (!is_map(map))
		return;
	db->type_raw = get_str(b, map, "type", &db->type_node);
	db->type = vg_db_type_parse(db->type_raw);

	const vg_node *url = get_either(map, "url", "connection_string");
	if (url && url->kind == VG_NODE_SCALAR && !vg_is_null(url)) {
		db->url_node = url;
		db->url_raw = url->u.scalar.text;
		db->url = expand(b, url);
	}
	build_pool(b, db, map);
	name_list(b, vg_map_get(map, "permissions"), 0, &db->permissions);
	build_benchmark(b, db, vg_map_get(map, "benchmark"));
	name_list(b, vg_map_get(map, "unmanaged"), 0, &db->unmanaged);
	db->ssl_required = get_bool(map, "ssl_required", 0);
	if (db->url)
		apply_url(b, db);
	build_schema(b, db, vg_map_get(map, "schema"));
}

/* A zeroed slot at the end of the blueprint's databases, or NULL when memory ran out. */
static vg_database *new_database(builder *b)
{
	if (b->db_count == b->db_cap) {
		size_t cap = b->db_cap ? b->db_cap * 2 : 8;
		vg_database *dbs = need(b, realloc(b->dbs, cap * sizeof *dbs));
		if (!dbs)
			return NULL;
		b->dbs = dbs;
		b->db_cap = cap;
	}
	vg_database *db = &b->dbs[b->db_count++];
	memset(db, 0, sizeof *db);
	return db;
}

static vg_database *add_database(builder *b, const char *name, const vg_node *name_node,
                                 vg_db_origin origin, const vg_node *map)
{
	vg_database *db = new_database(b);
	if (!db)
		return NULL;
	db->name = name;
	db->name_node = name_node;
	db->origin = origin;
	build_database(b, db, map);
	return db;
}

/* `databases:` as a mapping name -> database (under system, or at the root). */
static void add_database_map(builder *b, const vg_node *map)
{
	if (!is_map(map))
		return;
	for (size_t i = 0; i < map->u.map.count; i++) {
		const vg_pair *p = &map->u.map.pairs[i];
		add_database(b, str_of(b, p->key), p->key, VG_DB_FROM_SYSTEM, p->value);
	}
}

/* ---- components and bindings -------------------------------------------------------------- */

static void build_ports(builder *b, const vg_node *seq, vg_port **out, size_t *count)
{
	vg_port *ports = seq_array(b, seq, sizeof *ports);
	if (!ports)
		return;
	size_t n = 0;
	for (size_t i = 0; i < seq->u.seq.count; i++) {
		const vg_node *item = seq->u.seq.items[i];
		if (!is_map(item))
			continue;
		vg_port *p = &ports[n++];
		p->node = item;
		p->name = get_str(b, item, "name", NULL);
		p->schema = get_str(b, item, "schema", &p->schema_node);
	}
	*out = ports;
	*count = n;
}

/* config | configuration: the first of them that is a mapping. */
static const vg_node *component_config(const vg_node *map)
{
	const vg_node *config = vg_map_get(map, "config");
	if (is_map(config))
		return config;
	const vg_node *alt = vg_map_get(map, "configuration");
	return is_map(alt) ? alt : NULL;
}

/* The database types of the pipeline's resources.databases that vigil has no driver for. */
static int unchecked_db_type(const char *type)
{
	return type && (strcasecmp(type, "redis") == 0 || strcasecmp(type, "mongodb") == 0);
}

/*
 * resources.databases, at the root or (where the pipeline writes them) under a component
 * `c`: each one joins the blueprint's databases, named by name, else connection_name, else
 * database_<i+1> (under a component: the component's name, with _2, _3, ... for more than
 * one); under a component the first names its database, and a type vigil has no driver for
 * is noted on the component instead.
 */
static void add_resource_databases(builder *b, const vg_node *seq, vg_component *c)
{
	if (!is_seq(seq))
		return;
	for (size_t i = 0; i < seq->u.seq.count; i++) {
		const vg_node *item = seq->u.seq.items[i];
		if (!is_map(item))
			continue;
		const vg_node *type_node;
		const char *type = get_str(b, item, "type", &type_node);
		if (c && unchecked_db_type(type)) {
			if (!c->unchecked_type) {
				c->unchecked_type = type;
				c->unchecked_node = type_node;
			}
			continue;
		}
		const vg_node *name_node;
		const char *name = get_str(b, item, "name", &name_node);
		if (!name)
			name = get_str(b, item, "connection_name", &name_node);
		if (!name) {
			if (c && i == 0)
				name = c->name;
			else
				name = need(b, vg_arena_printf(b->arena, "%s_%zu",
				                               c ? c->name : "database", i + 1));
			name_node = item;
		}
		if (!name)
			continue;
		add_database(b, name, name_node, VG_DB_FROM_RESOURCES, item);
		if (c && !c->database) {
			c->database = name;
			c->database_node = name_node;
		}
	}
}

/*
 * The pipeline's Store (docs/autocoder.md): config.storage_type other than `memory` keeps records in
 * a database of config.database_type (default postgresql) at config.database_url.
 */
static void add_config_database(builder *b, vg_component *c, const vg_node *config)
{
	vg_database *db = new_database(b);
	if (!db)
		return;
	db->name = c->name;
	db->name_node = c->name_node;
	db->origin = VG_DB_FROM_STORE;
	db->node = config;
	db->type_raw = get_str(b, config, "database_type", &db->type_node);
	if (!db->type_raw) {
		db->type_raw = "postgresql";
		db->type_node = vg_map_get(config, "storage_type");
	}
	db->type = vg_db_type_parse(db->type_raw);
	const vg_node *url = vg_map_get(config, "database_url");
	if (url && url->kind == VG_NODE_SCALAR && !vg_is_null(url)) {
		db->url_node = url;
		db->url_raw = url->u.scalar.text;
		db->url = expand(b, url);
	}
	if (db->url)
		apply_url(b, db);
	c->database = c->name;
	c->database_node = db->type_node;
}

static int is_store_type(const char *type)
{
	return type && (strcmp(type, "Store") == 0 || strcmp(type, "V5EnhancedStore") == 0);
}

static void build_component(builder *b, vg_component *c, const vg_node *map)
{
	c->node = map;
	c->name = get_str(b, map, "name", &c->name_node);
	c->type = get_str(b, map, "type", &c->type_node);
	c->config = component_config(map);
	build_ports(b, vg_map_get(map, "inputs"), &c->inputs, &c->input_count);
	build_ports(b, vg_map_get(map, "outputs"), &c->outputs, &c->output_count);
	const vg_node *database = c->config ? vg_map_get(c->config, "database") : NULL;
	if (!database)
		add_resource_databases(b, vg_map_get(vg_map_get(map, "resources"), "databases"), c);
	if (c->database || c->unchecked_type) {
		if (c->config) {
			c->table_node = get_either(c->config, "table", "table_name");
			c->table = str_of(b, c->table_node);
		}
		return;
	}
	if (!database && is_store_type(c->type)) {
		const char *storage = c->config ? get_str(b, c->config, "storage_type", NULL)
		                                : NULL;
		if (storage && strcmp(storage, "memory") != 0) {
			add_config_database(b, c, c->config);
		} else if (strcmp(c->type, "Store") == 0) {
			c->in_memory = 1;
			return;
		}
	}
	if (!c->config)
		return;
	if (is_map(database)) {
		/* An inline database: it joins the blueprint's databases under its own name. */
		const vg_node *name_node;
		const char *name = get_str(b, database, "name", &name_node);
		if (!name) {
			name = c->name;
			name_node = database;
		}
		add_database(b, name, name_node, VG_DB_FROM_STORE, database);
		c->database = name;
		c->database_node = database;
	} else if (database) {
		c->database = str_of(b, database);
		c->database_node = database;
	}
	c->table_node = get_either(c->config, "table", "table_name");
	c->table = str_of(b, c->table_node);
}

/* "component.port" splits at the first '.' (names cannot hold one); "component" alone
 * leaves the port NULL. */
static void split_endpoint(builder *b, const vg_node *node, vg_endpoint *ep)
{
	ep->node = node;
	const char *s = str_of(b, node);
	if (!s)
		return;
	const char *dot = strchr(s, '.');
	if (!dot) {
		ep->component = s;
		return;
	}
	ep->component = need(b, vg_arena_strndup(b->arena, s, (size_t)(dot - s)));
	ep->port = dot + 1;
}

/* A separate port key applies when the endpoint string named only a component. */
static void endpoint_port(builder *b, vg_endpoint *ep, const vg_node *port)
{
	if (!ep->port && port)
		ep->port = str_of(b, port);
}

static void build_targets(builder *b, vg_binding *bd, const vg_node *map)
{
	const vg_node *to = vg_map_get(map, "to");
	const vg_node *to_port = vg_map_get(map, "to_port");
	const vg_node *to_ports = vg_map_get(map, "to_ports");
	const vg_node *to_components = vg_map_get(map, "to_components");
	const vg_node *to_component = vg_map_get(map, "to_component");

	const vg_node *list = NULL; /* a sequence of targets */
	if (to)
		list = is_seq(to) ? to : NULL;
	else if (is_seq(to_components))
		list = to_components;

	if (list) {
		if (!(bd->to = seq_array(b, list, sizeof *bd->to)))
			return;
		for (size_t i = 0; i < list->u.seq.count; i++) {
			const vg_node *item = list->u.seq.items[i];
			if (item->kind != VG_NODE_SCALAR)
				continue;
			vg_endpoint *ep = &bd->to[bd->to_count++];
			split_endpoint(b, item, ep);
			if (list == to_components) {
				if (is_seq(to_ports))
					endpoint_port(b, ep, i < to_ports->u.seq.count ? to_ports->u.seq.items[i]
					                                               : NULL);
				else
					endpoint_port(b, ep, to_port);
			}
		}
		return;
	}
	const vg_node *single = to ? to : to_component;
	if (!single || single->kind != VG_NODE_SCALAR)
		return;
	if (!(bd->to = need(b, vg_arena_alloc(b->arena, sizeof *bd->to))))
		return;
	bd->to_count = 1;
	split_endpoint(b, single, &bd->to[0]);
	if (to_port)
		endpoint_port(b, &bd->to[0], to_port);
	else if (is_seq(to_ports) && to_ports->u.seq.count > 0)
		endpoint_port(b, &bd->to[0], to_ports->u.seq.items[0]);
}

static void build_binding(builder *b, vg_binding *bd, const vg_node *map)
{
	bd->node = map;
	const vg_node *from = vg_map_get(map, "from");
	if (!from)
		from = vg_map_get(map, "from_component");
	if (from && from->kind == VG_NODE_SCALAR) {
		split_endpoint(b, from, &bd->from);
		endpoint_port(b, &bd->from, vg_map_get(map, "from_port"));
	} else {
		bd->from.node = from ? from : map;
	}
	build_targets(b, bd, map);
	bd->transformation = get_str(b, map, "transformation", NULL);
}

/* ---- the blueprint ------------------------------------------------------------------------ */

/* The blueprint's folder, absolute when the working directory can be read. */
static const char *folder_of(vg_arena *arena, const char *file)
{
	const char *slash = file ? strrchr(file, '/') : NULL;
	if (slash == file && file)
		return "/";
	char *dir = slash ? vg_arena_strndup(arena, file, (size_t)(slash - file)) : NULL;
	if (slash && !dir)
		return NULL;
	if (dir && dir[0] == '/')
		return dir;
	size_t cap = 256;
	char *cwd = NULL;
	for (;;) {
		char *grown = realloc(cwd, cap);
		if (!grown) {
			free(cwd);
			return NULL;
		}
		cwd = grown;
		if (getcwd(cwd, cap))
			break;
		if (errno != ERANGE || cap > 65536) {
			free(cwd);
			return dir ? dir : ".";
		}
		cap *= 2;
	}
	const char *rel = dir;
	while (rel && rel[0] == '.' && (rel[1] == '/' || rel[1] == '\0'))
		rel += rel[1] ? 2 : 1;
	const char *sep = strcmp(cwd, "/") == 0 ? "" : "/";
	char *abs = rel && *rel ? vg_arena_printf(arena, "%s%s%s", cwd, sep, rel)
	                        : vg_arena_strdup(arena, cwd);
	free(cwd);
	return abs;
}

static void add_schemas(builder *b, const vg_node *map, vg_message_schema *out, size_t *count)
{
	if (!is_map(map))
		return;
	for (size_t i = 0; i < map->u.map.count; i++) {
		vg_message_schema *s = &out[(*count)++];
		s->name = str_of(b, map->u.map.pairs[i].key);
		s->name_node = map->u.map.pairs[i].key;
		s->node = map->u.map.pairs[i].value;
	}
}

static void build_components(builder *b, const vg_node *seq)
{
	vg_blueprint *bp = b->bp;
	if (!(bp->components = seq_array(b, seq, sizeof *bp->components)))
		return;
	for (size_t i = 0; i < seq->u.seq.count; i++)
		if (is_map(seq->u.seq.items[i]))
			build_component(b, &bp->components[bp->component_count++], seq->u.seq.items[i]);
}

static void index_components(builder *b)
{
	vg_blueprint *bp = b->bp;
	bp->component_index = need(b, vg_strmap_new(b->arena, bp->component_count));
	if (!bp->component_index)
		return;
	for (size_t i = 0; i < bp->component_count; i++) {
		vg_component *c = &bp->components[i];
		if (c->name && vg_strmap_put(bp->component_index, c->name, c, NULL) < 0)
			b->oom = 1;
	}
}

static void build_bindings(builder *b, const vg_node *seq)
{
	vg_blueprint *bp = b->bp;
	if (!(bp->bindings = seq_array(b, seq, sizeof *bp->bindings)))
		return;
	for (size_t i = 0; i < seq->u.seq.count; i++)
		if (is_map(seq->u.seq.items[i]))
			build_binding(b, &bp->bindings[bp->binding_count++], seq->u.seq.items[i]);
}

static void build_all(builder *b, const vg_node *root)
{
	vg_blueprint *bp = b->bp;
	if (!is_map(root))
		return;
	bp->schema_version = get_str(b, root, "schema_version", NULL);
	const vg_node *system = vg_map_get(root, "system");
	if (is_map(system)) {
		bp->system_node = system;
		bp->name = get_str(b, system, "name", NULL);
		bp->description = get_str(b, system, "description", NULL);
		bp->version = get_str(b, system, "version", NULL);
	} else {
		system = NULL;
	}

	/* Databases in declaration-place order: system, root, inline (with components), resources. */
	add_database_map(b, vg_map_get(system, "databases"));
	add_database_map(b, vg_map_get(root, "databases"));
	build_components(b, vg_map_get(system, "components"));
	index_components(b);
	build_bindings(b, vg_map_get(system, "bindings"));
	const vg_node *resources = vg_map_get(root, "resources");
	add_resource_databases(b, vg_map_get(resources, "databases"), NULL);

	const vg_node *root_schemas = vg_map_get(root, "schemas");
	const vg_node *system_schemas = vg_map_get(system, "schemas");
	size_t n = (is_map(root_schemas) ? root_schemas->u.map.count : 0) +
	           (is_map(system_schemas) ? system_schemas->u.map.count : 0);
	if (n && (bp->schemas = need(b, vg_arena_array(b->arena, n, sizeof *bp->schemas)))) {
		add_schemas(b, root_schemas, bp->schemas, &bp->schema_count);
		add_schemas(b, system_schemas, bp->schemas, &bp->schema_count);
	}
}

vg_blueprint *vg_blueprint_build(vg_arena *arena, const char *file, const vg_node *root,
                                 const char *(*getenv_fn)(const char *name))
{
	if (!arena)
		return NULL;
	vg_blueprint *bp = vg_arena_alloc(arena, sizeof *bp);
	if (!bp)
		return NULL;
	builder b = {0};
	b.arena = arena;
	b.bp = bp;
	b.getenv_fn = getenv_fn ? getenv_fn : default_getenv;
	b.ref_seen = vg_strmap_new(arena, 16);
	bp->arena = arena;
	bp->file = vg_arena_strdup(arena, file ? file : "");
	bp->dir = folder_of(arena, file);
	bp->root = root;
	if (!b.ref_seen || !bp->file || !bp->dir)
		return NULL;

	build_all(&b, root);

	if (b.db_count && !b.oom) {
		bp->databases = need(&b, vg_arena_array(arena, b.db_count, sizeof *bp->databases));
		if (bp->databases) {
			memcpy(bp->databases, b.dbs, b.db_count * sizeof *bp->databases);
			bp->database_count = b.db_count;
		}
	}
	if (b.ref_count && !b.oom) {
		bp->env_refs = need(&b, vg_arena_array(arena, b.ref_count, sizeof *bp->env_refs));
		if (bp->env_refs) {
			memcpy(bp->env_refs, b.refs, b.ref_count * sizeof *bp->env_refs);
			bp->env_ref_count = b.ref_count;
		}
	}
	free(b.dbs);
	free(b.refs);
	return b.oom ? NULL : bp;
}

/* ---- lookups ------------------------------------------------------------------------------ */

const vg_component *vg_blueprint_component(const vg_blueprint *bp, const char *name)
{
	if (!bp || !name)
		return NULL;
	if (bp->component_index)
		return vg_strmap_get(bp->component_index, name);
	for (size_t i = 0; i < bp->component_count; i++)
		if (bp->components[i].name && strcmp(bp->components[i].name, name) == 0)
			return &bp->components[i];
	return NULL;
}

const vg_database *vg_blueprint_database(const vg_blueprint *bp, const char *name)
{
	if (!bp || !name)
		return NULL;
	for (size_t i = 0; i < bp->database_count; i++)
		if (bp->databases[i].name && strcmp(bp->databases[i].name, name) == 0)
			return &bp->databases[i];
	return NULL;
}

const vg_message_schema *vg_blueprint_schema(const vg_blueprint *bp, const char *name)
{
	if (!bp || !name)
		return NULL;
	for (size_t i = 0; i < bp->schema_count; i++)
		if (bp->schemas[i].name && strcmp(bp->schemas[i].name, name) == 0)
			return &bp->schemas[i];
	return NULL;
}

const vg_table *vg_database_table(const vg_database *db, const char *name)
{
	if (!db || !name)
		return NULL;
	for (size_t i = 0; i < db->table_count; i++)
		if (db->tables[i].name && strcmp(db->tables[i].name, name) == 0)
			return &db->tables[i];
	return NULL;
}

const vg_column *vg_table_column(const vg_table *table, const char *name)
{
	if (!table || !name)
		return NULL;
	for (size_t i = 0; i < table->column_count; i++)
		if (table->columns[i].name && strcmp(table->columns[i].name, name) == 0)
			return &table->columns[i];
	return NULL;
}
