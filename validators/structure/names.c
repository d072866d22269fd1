/*
 * names.c — structure.names: names follow the naming rules (VG114) and are unique where
 * they must be (VG115): components; databases wherever declared (system.databases, root
 * databases, a Store's inline block, resources.databases); tables within a database;
 * columns within a table; message schemas (root and system combined).
 *
 * Works from the model, which has already folded the places a name can be declared.
 * Uniqueness uses hash maps: linear in the number of names.
 */
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "strmap.h"
#include "structure.h"

enum { MAX_NAME = 63, NAME_CAP = 96 };

typedef enum name_rule { SNAKE_CASE, IDENTIFIER } name_rule;

typedef struct checker {
	vigil_check_ctx *ctx;
	vg_arena *scratch;   /* hash maps, freed after the check */
	vg_strmap *reported; /* bad names already reported (a name shared through an alias) */
	int failed;          /* memory ran out */
} checker;

/* One namespace in which names must be unique. */
typedef struct name_space {
	vg_strmap *seen;             /* name -> slot holding the earliest node with that name */
	const char *what;            /* "components", "tables of database `main`" */
	const vg_node *dict_maps[2]; /* a name repeated as keys of one of these is VG110's */
} name_space;

static void note(checker *c, const vigil_finding *f)
{
	if (!f)
		c->failed = 1;
}

/* ---- the naming rules ---- */

static int is_lower(int ch)
{
	return ch >= 'a' && ch <= 'z';
}
static int is_upper(int ch)
{
	return ch >= 'A' && ch <= 'Z';
}
static int is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int follows_rule(const char *name, name_rule rule)
{
	if (!(is_lower(name[0]) || (rule == IDENTIFIER && is_upper(name[0]))))
		return 0;
	for (const char *p = name + 1; *p; p++)
		if (!(is_lower(*p) || is_digit(*p) || *p == '_' ||
		      (rule == IDENTIFIER && is_upper(*p))))
			return 0;
	return strlen(name) <= MAX_NAME;
}

/*
 * The name the user probably meant: for snake_case, words split at case changes
 * ("TaskStore" → "task_store", "APIEndpoint" → "api_endpoint") and at other characters
 * ("task-store" → "task_store"); for identifiers, other characters become '_'.
 * Returns 0 when no valid name comes out.
 */
static int suggest_name(char *out, size_t cap, const char *name, name_rule rule)
{
	size_t k = 0;
	const char *p = name;
	while (*p && !is_lower(*p) && !is_upper(*p))
		p++; /* a name starts with a letter */
	for (; *p && k + 2 < cap; p++) {
		unsigned char ch = (unsigned char)*p, prev = p > name ? (unsigned char)p[-1] : 0;
		if (is_lower(ch) || is_digit(ch) || (rule == IDENTIFIER && is_upper(ch))) {
			out[k++] = (char)ch;
		} else if (is_upper(ch)) {
			int word_start = is_lower(prev) || is_digit(prev) ||
			                 (is_upper(prev) && is_lower((unsigned char)p[1]));
			if (word_start && k && out[k - 1] != '_')
				out[k++] = '_';
			out[k++] = (char)(ch - 'A' + 'a');
		} else if (k && out[k - 1] != '_') {
			out[k++] = '_';
		}
	}
	while (k && out[k - 1] == '_')
		k--;
	out[k] = '\0';
	return k && follows_rule(out, rule);
}

/*
 * The name as written: the model's names are expanded (`${VAR}` replaced), and an
 * expanded value may be a secret, so messages quote the YAML text.
 */
static const char *as_written(const char *name, const vg_node *at)
{
	const char *raw = vg_scalar(at);
	return raw ? raw : name;
}

static int has_reference(const char *text)
{
	return strstr(text, "${") != NULL;
}

static void check_name(checker *c, const char *kind, const char *name, const vg_node *at,
                       name_rule rule)
{
	if (!name || follows_rule(name, rule))
		return;
	int first = vg_structure_first_report(c->reported, c->scratch, at);
	if (first <= 0) {
		c->failed |= first < 0;
		return;
	}
	const char *written = as_written(name, at);
	char shown[NAME_CAP];
	vg_structure_clip(shown, sizeof shown, written);
	const char *pattern = rule == SNAKE_CASE ? "^[a-z][a-z0-9_]*$" : "^[A-Za-z][A-Za-z0-9_]*$";
	vigil_finding *f;
	if (!*name)
		f = vg_emit(c->ctx, VG_BAD_NAME, at, "%s name is empty", kind);
	else if (strlen(name) > MAX_NAME)
		f = vg_emit(c->ctx, VG_BAD_NAME, at, "%s name `%s` is longer than %d characters",
		            kind, shown, MAX_NAME);
	else if (rule == SNAKE_CASE)
		f = vg_emit(c->ctx, VG_BAD_NAME, at, "%s name `%s` is not snake_case", kind, shown);
	else
		f = vg_emit(c->ctx, VG_BAD_NAME, at, "%s name `%s` is not an identifier", kind,
		            shown);
	note(c, f);
	vg_detail(f, "%s names must match %s and be at most %d characters", kind, pattern,
	          MAX_NAME);
	vg_evidence(f, pattern, shown);
	char better[MAX_NAME + 2];
	if (strlen(name) > MAX_NAME)
		vg_hint(f, "shorten it to at most %d characters", MAX_NAME);
	else if (!has_reference(written) && suggest_name(better, sizeof better, name, rule))
		vg_hint(f, "write `%s`", better);
	else
		vg_hint(f, "start with a letter; use only %s",
		        rule == SNAKE_CASE ? "lower-case letters, digits and `_`"
		                           : "letters, digits and `_`");
}

/* ---- uniqueness ---- */

static int before(const vg_node *a, const vg_node *b)
{
	return a->line < b->line || (a->line == b->line && a->column < b->column);
}

/* True when `node` is a key (or value) of `map`; pairs are in document order. */
static int in_map(const vg_node *map, const vg_node *node)
{
	if (!map || map->kind != VG_NODE_MAP || !node)
		return 0;
	size_t lo = 0, hi = map->u.map.count;
	while (lo < hi) { /* the last pair whose key does not come after `node` */
		size_t mid = lo + (hi - lo) / 2;
		if (before(node, map->u.map.pairs[mid].key))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == 0)
		return 0;
	const vg_pair *pair = &map->u.map.pairs[lo - 1];
	return pair->key == node || pair->value == node;
}

static int same_dict(const name_space *ns, const vg_node *a, const vg_node *b)
{
	for (size_t i = 0; i < 2; i++)
		if (in_map(ns->dict_maps[i], a) && in_map(ns->dict_maps[i], b))
			return 1;
	return 0;
}

static int space_init(checker *c, name_space *ns, size_t expected, const char *what)
{
	memset(ns, 0, sizeof *ns);
	ns->what = what;
	ns->seen = vg_strmap_new(c->scratch, expected ? expected : 1);
	if (!ns->seen)
		c->failed = 1;
	return ns->seen != NULL;
}

/* Records a name; reports it when an earlier declaration has it (at the later of the two). */
static void declare(checker *c, name_space *ns, const char *name, const vg_node *at)
{
	if (!name || !at || c->failed)
		return;
	const vg_node **slot = vg_arena_alloc(c->scratch, sizeof *slot);
	if (!slot) {
		c->failed = 1;
		return;
	}
	*slot = at;
	void *existing = NULL;
	int rc = vg_strmap_put(ns->seen, name, slot, &existing);
	if (rc < 0) {
		c->failed = 1;
		return;
	}
	if (rc == 1)
		return;
	const vg_node **first_slot = existing;
	const vg_node *first = *first_slot, *later = at;
	if (first == at)
		return; /* one declaration met twice through a YAML alias */
	if (before(at, first)) {
		later = first;
		first = at;
		*first_slot = at;
	}
	if (same_dict(ns, first, later))
		return; /* the same key twice in one mapping: structure.keys reports VG110 */
	char shown[NAME_CAP];
	vg_structure_clip(shown, sizeof shown, as_written(name, later));
	vigil_finding *f =
	        vg_emit(c->ctx, VG_DUPLICATE_NAME, later, "two %s are named `%s`", ns->what, shown);
	note(c, f);
	vg_detail(f, "first declared at line %u", first->line);
	vg_hint(f, "rename one of them, or remove the repeated declaration");
}

/* ---- the blueprint's names ---- */

static const vg_node *map_get(const vg_node *map, const char *key)
{
	return map && map->kind == VG_NODE_MAP ? vg_map_get(map, key) : NULL;
}

static const vg_node *name_node_of(const vg_node *object, const vg_node *name_node)
{
	if (name_node)
		return name_node;
	const vg_node *n = map_get(object, "name");
	return n ? n : object;
}

static void check_table(checker *c, const vg_table *t)
{
	check_name(c, "table", t->name, name_node_of(t->node, t->name_node), SNAKE_CASE);
	char what[NAME_CAP + 32], shown[NAME_CAP];
	vg_structure_clip(shown, sizeof shown, t->name ? as_written(t->name, t->name_node) : "?");
	snprintf(what, sizeof what, "columns of table `%s`", shown);
	name_space columns;
	if (!space_init(c, &columns, t->column_count, what))
		return;
	for (size_t i = 0; i < t->column_count && !c->failed; i++) {
		const vg_column *col = &t->columns[i];
		const vg_node *at = name_node_of(col->node, NULL);
		check_name(c, "column", col->name, at, SNAKE_CASE);
		declare(c, &columns, col->name, at);
	}
	for (size_t i = 0; i < t->index_count && !c->failed; i++) {
		const vg_index *idx = &t->indexes[i];
		check_name(c, "index", idx->name, name_node_of(idx->node, NULL), SNAKE_CASE);
	}
}

static void check_database(checker *c, const vg_database *d, name_space *databases)
{
	/* An inline block without `name:` takes its component's name, checked there. */
	int named_here = d->origin != VG_DB_FROM_STORE || map_get(d->node, "name");
	const vg_node *at = d->name_node ? d->name_node : d->node;
	if (named_here && d->name_node)
		check_name(c, "database", d->name, d->name_node, SNAKE_CASE);
	declare(c, databases, d->name, at);

	char what[NAME_CAP + 32], shown[NAME_CAP];
	vg_structure_clip(shown, sizeof shown, d->name ? as_written(d->name, d->name_node) : "?");
	snprintf(what, sizeof what, "tables of database `%s`", shown);
	name_space tables;
	if (!space_init(c, &tables, d->table_count, what))
		return;
	for (size_t i = 0; i < d->table_count && !c->failed; i++) {
		const vg_table *t = &d->tables[i];
		declare(c, &tables, t->name, name_node_of(t->node, t->name_node));
		check_table(c, t);
	}
}

int vg_structure_names_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	checker c = { ctx, vg_arena_new(), NULL, 0 };
	if (!c.scratch)
		return -1;
	c.reported = vg_strmap_new(c.scratch, 16);
	if (!c.reported) {
		vg_arena_free(c.scratch);
		return -1;
	}
	const vg_node *system = bp->system_node;
	const vg_node *system_map = system && system->kind == VG_NODE_MAP ? system : NULL;
	const vg_node *root_map = bp->root && bp->root->kind == VG_NODE_MAP ? bp->root : NULL;

	if (system_map)
		check_name(&c, "system", bp->name, map_get(system_map, "name"), SNAKE_CASE);

	name_space components;
	if (space_init(&c, &components, bp->component_count, "components")) {
		for (size_t i = 0; i < bp->component_count && !c.failed; i++) {
			const vg_component *comp = &bp->components[i];
			const vg_node *at = name_node_of(comp->node, comp->name_node);
			check_name(&c, "component", comp->name, at, SNAKE_CASE);
			declare(&c, &components, comp->name, at);
		}
	}

	name_space databases;
	if (!c.failed && space_init(&c, &databases, bp->database_count, "databases")) {
		databases.dict_maps[0] = map_get(system_map, "databases");
		databases.dict_maps[1] = map_get(root_map, "databases");
		for (size_t i = 0; i < bp->database_count && !c.failed; i++)
			check_database(&c, &bp->databases[i], &databases);
	}

	name_space schemas;
	if (!c.failed && space_init(&c, &schemas, bp->schema_count, "message schemas")) {
		schemas.dict_maps[0] = map_get(system_map, "schemas");
		schemas.dict_maps[1] = map_get(root_map, "schemas");
		for (size_t i = 0; i < bp->schema_count && !c.failed; i++) {
			const vg_message_schema *s = &bp->schemas[i];
			const vg_node *at = s->name_node ? s->name_node : s->node;
			check_name(&c, "message schema", s->name, at, IDENTIFIER);
			declare(&c, &schemas, s->name, at);
		}
	}
	vg_arena_free(c.scratch);
	return c.failed ? -1 : 0;
}
