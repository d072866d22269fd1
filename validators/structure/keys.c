/*
 * keys.c — structure.keys: walks the YAML tree against the grammar (grammar.c) and reports
 * duplicate and non-scalar keys (everywhere, free-form areas included), missing required
 * keys, values of the wrong type or outside their allowed values, alternative spellings
 * given together, and unknown keys (a warning with "did you mean").
 *
 * One pass, linear in the size of the tree: each mapping's keys are matched against its
 * object's few grammar keys; duplicates in large mappings are found with a hash map.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "grammar.h"
#include "run.h"
#include "strmap.h"
#include "structure.h"
#include "suggest.h"

/* Mappings up to this size are checked for duplicate keys pairwise, larger ones by hash. */
enum { SMALL_MAP = 16, STACK_FLAGS = 64, LABEL_CAP = 320, VALUE_CAP = 64 };

typedef enum place_kind { AT_ROOT, UNDER_KEY, LIST_ITEM, DICT_ENTRY } place_kind;

/* Where a value sits, kept on the stack during the walk; named only when a finding needs it. */
typedef struct place {
	place_kind kind;
	const struct place *parent; /* the place of the object that holds this value */
	const char *key;            /* the key it sits under (the list's or dictionary's key) */
	size_t index;               /* LIST_ITEM: 1-based */
	const char *entry;          /* DICT_ENTRY: the entry's name */
	const vg_node *node;        /* the value itself */
	const vg_object_grammar *object; /* set while walking an object */
} place;

typedef struct walker {
	vigil_check_ctx *ctx;
	vg_arena *scratch;  /* hash maps and flags for large mappings; freed after the check */
	vg_strmap *visited; /* alias-shared nodes already walked (each reported once) */
	int failed;         /* memory ran out */
} walker;

/*
 * A scalar that is one whole ${VAR...} reference: 1 with `out` a copy of it holding the
 * default of ${VAR:-default} / ${VAR-default}, 0 for one with no default, -1 otherwise.
 */
static int env_default(const vg_node *node, vg_node *out, char *buf, size_t cap)
{
	const char *text = node->u.scalar.text;
	size_t len = node->u.scalar.length;
	if (len < 4 || text[0] != '$' || text[1] != '{' || text[len - 1] != '}' ||
	    memchr(text + 2, '}', len - 3))
		return -1;
	const char *dash = memchr(text + 2, '-', len - 3);
	if (!dash)
		return 0;
	size_t n = (size_t)(text + len - 1 - (dash + 1));
	if (n >= cap)
		return 0;
	memcpy(buf, dash + 1, n);
	buf[n] = '\0';
	*out = *node;
	out->u.scalar.text = buf;
	out->u.scalar.length = n;
	return 1;
}

/* ---- naming places in messages ---- */

typedef struct text {
	char buf[LABEL_CAP];
	size_t len;
} text;

static void text_add(text *t, const char *fmt, const char *arg)
{
	if (t->len + 1 >= sizeof t->buf)
		return;
	char clipped[VALUE_CAP];
	vg_structure_clip(clipped, sizeof clipped, arg);
	int n = snprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, clipped);
	if (n > 0)
		t->len += (size_t)n < sizeof t->buf - t->len ? (size_t)n
		                                             : sizeof t->buf - t->len - 1;
}

static void text_add_index(text *t, size_t index)
{
	char number[32];
	snprintf(number, sizeof number, "%zu", index);
	text_add(t, " #%s", number);
}

/* "`components`", "item #2 of `columns`", "`main` in `databases`". */
static void add_subject(text *t, const place *p)
{
	switch (p->kind) {
	case AT_ROOT: text_add(t, "%s", "the blueprint"); break;
	case UNDER_KEY: text_add(t, "`%s`", p->key); break;
	case LIST_ITEM:
		text_add(t, "%s", "item");
		text_add_index(t, p->index);
		text_add(t, " of `%s`", p->key);
		break;
	case DICT_ENTRY:
		text_add(t, "`%s`", p->entry);
		text_add(t, " in `%s`", p->key);
		break;
	}
}

/* "the blueprint", "component #3 (task_store)", "database `main`", "`pool` of database `main`". */
static void add_object_label(text *t, const place *p)
{
	if (p->kind == AT_ROOT) {
		text_add(t, "%s", "the blueprint");
		return;
	}
	const char *label = p->object ? p->object->label : NULL;
	if (label && p->kind == LIST_ITEM) {
		text_add(t, "%s", label);
		text_add_index(t, p->index);
		const char *name = vg_scalar(vg_map_get(p->node, "name"));
		if (name && *name)
			text_add(t, " (%s)", name);
		return;
	}
	if (label && p->kind == DICT_ENTRY) {
		text_add(t, "%s", label);
		text_add(t, " `%s`", p->entry);
		return;
	}
	add_subject(t, p);
	if (p->parent && p->parent->kind != AT_ROOT) {
		text_add(t, "%s", " of ");
		add_object_label(t, p->parent);
	}
}

static const char *subject_of(text *t, const place *p)
{
	t->len = 0;
	t->buf[0] = '\0';
	add_subject(t, p);
	return t->buf;
}

static const char *label_of(text *t, const place *p)
{
	t->len = 0;
	t->buf[0] = '\0';
	add_object_label(t, p);
	return t->buf;
}

/* ---- findings ---- */

static void note(walker *w, const vigil_finding *f)
{
	if (!f)
		w->failed = 1;
}

static const char *expected_of(const vg_value_type *t, char *buf, size_t cap)
{
	switch (t->kind) {
	case VG_VALUE_ANY: return "anything";
	case VG_VALUE_STRING: return "a string";
	case VG_VALUE_SCALAR: return "a single value";
	case VG_VALUE_INTEGER: return "an integer";
	case VG_VALUE_NUMBER: return "a number";
	case VG_VALUE_BOOLEAN: return "true or false";
	case VG_VALUE_ENUM: return "a string";
	case VG_VALUE_OBJECT:
	case VG_VALUE_FREE_MAP:
	case VG_VALUE_DICT: return "a mapping";
	case VG_VALUE_LIST: return "a list";
	case VG_VALUE_EITHER: {
		char first[64], second[64];
		snprintf(buf, cap, "%s or %s", expected_of(t->first, first, sizeof first),
		         expected_of(t->second, second, sizeof second));
		return buf;
	}
	}
	return "a value";
}

static void report_wrong_type(walker *w, const vg_node *node, const vg_value_type *t,
                              const place *p)
{
	text subject;
	char expected_buf[160];
	const char *expected = expected_of(t, expected_buf, sizeof expected_buf);
	const char *found = vg_structure_found(node);
	vigil_finding *f = vg_emit(w->ctx, VG_WRONG_TYPE, node, "%s must be %s, found %s",
	                           subject_of(&subject, p), expected, found);
	note(w, f);
	vg_evidence(f, expected, found);
	if (t->kind == VG_VALUE_LIST && node->kind == VG_NODE_MAP)
		vg_hint(f, "write each item on its own line starting with `- `");
	else if (t->kind != VG_VALUE_LIST && node->kind == VG_NODE_SEQ &&
	         (t->kind == VG_VALUE_OBJECT || t->kind == VG_VALUE_DICT))
		vg_hint(f, "remove the `- ` in front of its keys");
	else if (vg_is_null(node))
		vg_hint(f, p->kind == UNDER_KEY ? "give it a value, or remove the key"
		                                : "fill in the empty entry, or remove it");
}

static void report_bad_value(walker *w, const vg_node *node, const place *p,
                             const char *const *values, size_t count)
{
	text subject;
	char value[VALUE_CAP], allowed[LABEL_CAP];
	vg_structure_clip(value, sizeof value, vg_scalar(node));
	size_t len = 0;
	allowed[0] = '\0';
	for (size_t i = 0; i < count && len + 1 < sizeof allowed; i++) {
		int n = snprintf(allowed + len, sizeof allowed - len, "%s%s", i ? ", " : "",
		                 values[i]);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	vigil_finding *f = vg_emit(w->ctx, VG_BAD_VALUE, node, "%s has an unknown value `%s`",
	                           subject_of(&subject, p), value);
	note(w, f);
	vg_detail(f, "allowed values: %s", allowed);
	vg_evidence(f, allowed, value);
	const char *close = vg_suggest(vg_scalar(node), values, count);
	if (close)
		vg_hint(f, "did you mean `%s`?", close);
}

/*
 * A boolean key holding another scalar. A wrong type (VG112) rather than a bad value: the
 * value is a string or number where YAML's true/false belongs.
 */
static void report_not_boolean(walker *w, const vg_node *node, const place *p)
{
	text subject;
	char value[VALUE_CAP];
	vg_structure_clip(value, sizeof value, vg_scalar(node));
	const char *found = vg_structure_found(node);
	int quoted = node->u.scalar.style == VG_SCALAR_QUOTED;
	vigil_finding *f = vg_emit(w->ctx, VG_WRONG_TYPE, node,
	                           "%s must be true or false, found %s%s%s%s",
	                           subject_of(&subject, p), found, quoted ? " \"" : " `", value,
	                           quoted ? "\"" : "`");
	note(w, f);
	vg_detail(f, "allowed values: true, false");
	vg_evidence(f, "true or false", value);
	if (quoted && (strcasecmp(value, "true") == 0 || strcasecmp(value, "false") == 0))
		vg_hint(f, "remove the quotes");
	else
		vg_hint(f, "write true or false");
}

/* ---- duplicate and non-scalar keys ---- */

static void report_duplicate(walker *w, const vg_pair *dup, const vg_pair *first)
{
	char key[VALUE_CAP];
	vg_structure_clip(key, sizeof key, dup->key->u.scalar.text);
	vigil_finding *f = vg_emit(w->ctx, VG_DUPLICATE_KEY, dup->key,
	                           "duplicate key `%s` in the same mapping", key);
	note(w, f);
	vg_detail(f, "`%s` is first given at line %u", key, first->key->line);
	vg_hint(f, "keep one of them: YAML would silently use only one value");
}

static void report_non_scalar_key(walker *w, const vg_pair *pair)
{
	vigil_finding *f = vg_emit(w->ctx, VG_NON_SCALAR_KEY, pair->key,
	                           "a key of this mapping is %s, not a name",
	                           vg_structure_found(pair->key));
	note(w, f);
	vg_hint(f, "keys are plain names; check the indentation and any `?` or `{` before the key");
}

/*
 * Reports duplicate and non-scalar keys of `map`. When `skip` is given (one flag per pair),
 * marks the pairs the grammar walk must ignore: the later duplicates and non-scalar keys.
 */
static void check_keys_unique(walker *w, const vg_node *map, unsigned char *skip)
{
	size_t n = map->u.map.count;
	const vg_pair *pairs = map->u.map.pairs;
	vg_strmap *seen = NULL;
	if (n > SMALL_MAP) {
		seen = vg_strmap_new(w->scratch, n);
		if (!seen) {
			w->failed = 1;
			return;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const vg_pair *pair = &pairs[i];
		if (pair->key->kind != VG_NODE_SCALAR) {
			report_non_scalar_key(w, pair);
			if (skip)
				skip[i] = 1;
			continue;
		}
		const vg_pair *first = NULL;
		if (seen) {
			void *existing = NULL;
			int rc = vg_strmap_put(seen, pair->key->u.scalar.text, (void *)pair,
			                       &existing);
			if (rc < 0) {
				w->failed = 1;
				return;
			}
			first = rc == 0 ? existing : NULL;
		} else {
			const vg_node *key = pair->key;
			for (size_t j = 0; j < i && !first; j++) {
				const vg_node *other = pairs[j].key;
				if (other->kind == VG_NODE_SCALAR &&
				    other->u.scalar.length == key->u.scalar.length &&
				    memcmp(other->u.scalar.text, key->u.scalar.text,
				           key->u.scalar.length) == 0)
					first = &pairs[j];
			}
		}
		if (first) {
			report_duplicate(w, pair, first);
			if (skip)
				skip[i] = 1;
		}
	}
}

/* Flags for `n` pairs: on the stack when few, else from the scratch arena. */
static unsigned char *pair_flags(walker *w, size_t n, unsigned char *stack_flags)
{
	if (n <= STACK_FLAGS) {
		memset(stack_flags, 0, STACK_FLAGS);
		return stack_flags;
	}
	unsigned char *flags = vg_arena_alloc(w->scratch, n);
	if (!flags)
		w->failed = 1;
	return flags;
}

/* False when `node` was already walked as `type` (a shared anchor): report it once. */
static int first_visit(walker *w, const vg_node *node, const void *type)
{
	int rc = vg_structure_first_visit(w->visited, w->scratch, node, type);
	if (rc < 0)
		w->failed = 1;
	return rc == 1;
}

/* A free-form area: only duplicate and non-scalar keys are reported. */
static void walk_free(walker *w, const vg_node *node)
{
	if (w->failed || !node || !first_visit(w, node, NULL))
		return;
	if (node->kind == VG_NODE_MAP) {
		check_keys_unique(w, node, NULL);
		for (size_t i = 0; i < node->u.map.count; i++)
			walk_free(w, node->u.map.pairs[i].value);
	} else if (node->kind == VG_NODE_SEQ) {
		for (size_t i = 0; i < node->u.seq.count; i++)
			walk_free(w, node->u.seq.items[i]);
	}
}

/* ---- the grammar walk ---- */

/* vg_is_null, skipping its text comparisons for the common case of a longer scalar. */
static int is_null(const vg_node *node)
{
	return node->kind == VG_NODE_SCALAR && node->u.scalar.length <= 4 && vg_is_null(node);
}

static int is_extension_key(const char *key)
{
	return key[0] == 'x' && key[1] == '-';
}

static int accepts(const vg_value_type *t, const vg_node *node)
{
	switch (t->kind) {
	case VG_VALUE_ANY: return 1;
	case VG_VALUE_SCALAR: return node->kind == VG_NODE_SCALAR;
	case VG_VALUE_STRING:
	case VG_VALUE_INTEGER:
	case VG_VALUE_NUMBER:
	case VG_VALUE_BOOLEAN:
	case VG_VALUE_ENUM: return node->kind == VG_NODE_SCALAR && !is_null(node);
	case VG_VALUE_OBJECT:
	case VG_VALUE_FREE_MAP:
	case VG_VALUE_DICT: return node->kind == VG_NODE_MAP;
	case VG_VALUE_LIST: return node->kind == VG_NODE_SEQ;
	case VG_VALUE_EITHER: return accepts(t->first, node) || accepts(t->second, node);
	}
	return 0;
}

static void walk_value(walker *w, const vg_node *node, const vg_value_type *t, const place *p);

static void report_unknown_key(walker *w, const vg_pair *pair, const vg_object_grammar *obj,
                               const place *p)
{
	const char *names[VG_GRAMMAR_MAX_KEYS + 4];
	size_t count = 0;
	char allowed[LABEL_CAP];
	size_t len = 0;
	allowed[0] = '\0';
	for (size_t i = 0; i < obj->key_count + vg_grammar_common_key_count; i++) {
		const char *name = i < obj->key_count
		                           ? obj->keys[i].name
		                           : vg_grammar_common_keys[i - obj->key_count].name;
		names[count++] = name;
		if (len + 1 < sizeof allowed) {
			int n = snprintf(allowed + len, sizeof allowed - len, "%s%s", i ? ", " : "",
			                 name);
			if (n > 0)
				len += (size_t)n;
		}
	}
	const char *key = pair->key->u.scalar.text;
	char clipped[VALUE_CAP];
	vg_structure_clip(clipped, sizeof clipped, key);
	text label;
	vigil_finding *f = vg_emit(w->ctx, VG_UNKNOWN_KEY, pair->key, "unknown key `%s` in %s",
	                           clipped, label_of(&label, p));
	note(w, f);
	vg_detail(f, "the keys known here are: %s (and any key starting with `x-`)", allowed);
	const char *close = vg_suggest(key, names, count);
	if (close)
		vg_hint(f, "did you mean `%s`?", close);
}

static void report_both_given(walker *w, const vg_pair *first, const vg_pair *second,
                              const place *p)
{
	text label;
	vigil_finding *f = vg_emit(w->ctx, VG_BAD_VALUE, second->key,
	                           "both `%s` and `%s` are given in %s", first->key->u.scalar.text,
	                           second->key->u.scalar.text, label_of(&label, p));
	note(w, f);
	vg_detail(f, "`%s` (line %u) and `%s` are alternative ways to write one thing",
	          first->key->u.scalar.text, first->key->line, second->key->u.scalar.text);
	vg_hint(f, "keep only one of them");
}

static void report_missing(walker *w, const vg_node *map, const vg_object_grammar *obj,
                           size_t key_index, const place *p)
{
	const vg_key_grammar *k = &obj->keys[key_index];
	char others[LABEL_CAP];
	size_t len = 0;
	others[0] = '\0';
	for (size_t j = key_index + 1; k->group && j < obj->key_count; j++) {
		if (obj->keys[j].group != k->group || len + 1 >= sizeof others)
			continue;
		int n = snprintf(others + len, sizeof others - len, "%s`%s`", len ? " or " : "",
		                 obj->keys[j].name);
		if (n > 0)
			len += (size_t)n;
	}
	text label;
	vigil_finding *f;
	if (len)
		f = vg_emit(w->ctx, VG_MISSING_KEY, map, "%s has no `%s` (or %s)",
		            label_of(&label, p), k->name, others);
	else
		f = vg_emit(w->ctx, VG_MISSING_KEY, map, "%s has no `%s`", label_of(&label, p),
		            k->name);
	note(w, f);
	vg_detail(f, "`%s` is required here", k->name);
	vg_hint(f, "add `%s:`", k->name);
}

static size_t key_index_of(const vg_object_grammar *obj, const char *name)
{
	for (size_t j = 0; j < obj->key_count; j++)
		if (obj->keys[j].name[0] == name[0] && strcmp(obj->keys[j].name, name) == 0)
			return j;
	return obj->key_count;
}

/* What must hold once all of an object's keys are seen: required, `needs`, `same_length`. */
static void check_object_rules(walker *w, const vg_node *map, const vg_object_grammar *obj,
                               const vg_pair *const *seen, const vg_pair *const *group_seen,
                               const place *p)
{
	for (size_t j = 0; j < obj->key_count && !w->failed; j++) {
		const vg_key_grammar *k = &obj->keys[j];
		if (k->required) {
			int first_of_group = 1;
			for (size_t i = 0; i < j && k->group; i++)
				if (obj->keys[i].group == k->group)
					first_of_group = 0;
			int given = k->group ? group_seen[k->group] != NULL : seen[j] != NULL;
			if (!given && first_of_group)
				report_missing(w, map, obj, j, p);
		}
		if (!seen[j])
			continue;
		if (k->needs) {
			size_t other = key_index_of(obj, k->needs);
			if (other < obj->key_count && !seen[other]) {
				text label;
				vigil_finding *f = vg_emit(w->ctx, VG_BAD_VALUE, seen[j]->key,
				                           "`%s` is given without `%s` in %s",
				                           k->name, k->needs, label_of(&label, p));
				note(w, f);
				vg_detail(f, "`%s` only has a meaning together with `%s`", k->name,
				          k->needs);
				vg_hint(f, "add `%s`, or remove `%s`", k->needs, k->name);
			}
		}
		if (k->same_length) {
			size_t other = key_index_of(obj, k->same_length);
			const vg_node *mine = seen[j]->value;
			const vg_node *theirs =
			        other < obj->key_count && seen[other] ? seen[other]->value : NULL;
			if (theirs && mine->kind == VG_NODE_SEQ && theirs->kind == VG_NODE_SEQ &&
			    mine->u.seq.count != theirs->u.seq.count) {
				vigil_finding *f = vg_emit(w->ctx, VG_BAD_VALUE, mine,
				                           "`%s` has %zu items but `%s` has %zu",
				                           k->name, mine->u.seq.count,
				                           k->same_length, theirs->u.seq.count);
				note(w, f);
				vg_detail(f, "item i of `%s` goes with item i of `%s`", k->name,
				          k->same_length);
				vg_hint(f, "give `%s` exactly one item per item of `%s`", k->name,
				        k->same_length);
			}
		}
	}
}

static void walk_object(walker *w, const vg_node *map, const vg_object_grammar *obj, const place *p)
{
	size_t n = map->u.map.count;
	unsigned char stack_flags[STACK_FLAGS];
	unsigned char *skip = pair_flags(w, n, stack_flags);
	if (!skip)
		return;
	check_keys_unique(w, map, skip);

	const vg_pair *seen[VG_GRAMMAR_MAX_KEYS] = { 0 };
	const vg_pair *group_seen[VG_GRAMMAR_MAX_GROUPS + 1] = { 0 };
	for (size_t i = 0; i < n && !w->failed; i++) {
		if (skip[i])
			continue;
		const vg_pair *pair = &map->u.map.pairs[i];
		const char *key = pair->key->u.scalar.text;
		if (is_extension_key(key)) {
			walk_free(w, pair->value);
			continue;
		}
		const vg_key_grammar *k = NULL;
		size_t j = key_index_of(obj, key);
		if (j < obj->key_count) {
			k = &obj->keys[j];
			seen[j] = pair;
			if (k->group) {
				if (group_seen[k->group])
					report_both_given(w, group_seen[k->group], pair, p);
				else
					group_seen[k->group] = pair;
			}
		} else {
			for (size_t c = 0; c < vg_grammar_common_key_count && !k; c++)
				if (strcmp(vg_grammar_common_keys[c].name, key) == 0)
					k = &vg_grammar_common_keys[c];
		}
		if (!k) {
			if (!obj->open)
				report_unknown_key(w, pair, obj, p);
			walk_free(w, pair->value);
			continue;
		}
		if (!k->required && is_null(pair->value))
			continue; /* an optional key left empty means "not given" */
		place child = { UNDER_KEY, p, key, 0, NULL, pair->value, NULL };
		walk_value(w, pair->value, k->type, &child);
	}
	if (!w->failed)
		check_object_rules(w, map, obj, seen, group_seen, p);
}

static void walk_dict(walker *w, const vg_node *map, const vg_value_type *item, const place *p)
{
	size_t n = map->u.map.count;
	unsigned char stack_flags[STACK_FLAGS];
	unsigned char *skip = pair_flags(w, n, stack_flags);
	if (!skip)
		return;
	check_keys_unique(w, map, skip);
	for (size_t i = 0; i < n && !w->failed; i++) {
		const vg_pair *pair = &map->u.map.pairs[i];
		if (skip[i])
			continue;
		/* A dictionary's keys are names (the model takes `x-...` as one too), not keys. */
		const char *name = pair->key->u.scalar.text;
		place child = { DICT_ENTRY, p->parent, p->key, 0, name, pair->value, NULL };
		walk_value(w, pair->value, item, &child);
	}
}

static void walk_value(walker *w, const vg_node *node, const vg_value_type *t, const place *p)
{
	if (w->failed || !first_visit(w, node, t))
		return;
	if (!accepts(t, node)) {
		report_wrong_type(w, node, t, p);
		walk_free(w, node);
		return;
	}
	/* A number written as one ${VAR}: the environment gives it, so only a default
	 * (${VAR:-8000}) can be checked here. */
	vg_node defaulted;
	char default_text[VALUE_CAP];
	if ((t->kind == VG_VALUE_INTEGER || t->kind == VG_VALUE_NUMBER) &&
	    node->kind == VG_NODE_SCALAR) {
		int whole = env_default(node, &defaulted, default_text, sizeof default_text);
		if (whole == 0)
			return;
		if (whole == 1)
			node = &defaulted;
	}
	switch (t->kind) {
	case VG_VALUE_ANY:
	case VG_VALUE_FREE_MAP: walk_free(w, node); break;
	case VG_VALUE_STRING:
	case VG_VALUE_SCALAR: break;
	case VG_VALUE_INTEGER: {
		long long v;
		if (vg_scalar_long(node, &v) != 0)
			report_wrong_type(w, node, t, p);
		break;
	}
	case VG_VALUE_NUMBER: {
		double v;
		if (vg_scalar_double(node, &v) != 0)
			report_wrong_type(w, node, t, p);
		break;
	}
	case VG_VALUE_BOOLEAN: {
		int v;
		if (vg_scalar_bool(node, &v) != 0)
			report_not_boolean(w, node, p);
		break;
	}
	case VG_VALUE_ENUM: {
		const char *value = vg_scalar(node);
		size_t i = 0;
		while (i < t->value_count && strcasecmp(value, t->values[i]) != 0)
			i++;
		if (i == t->value_count)
			report_bad_value(w, node, p, t->values, t->value_count);
		break;
	}
	case VG_VALUE_OBJECT: {
		place self = *p;
		self.object = t->object;
		walk_object(w, node, t->object, &self);
		break;
	}
	case VG_VALUE_DICT: walk_dict(w, node, t->item, p); break;
	case VG_VALUE_LIST:
		for (size_t i = 0; i < node->u.seq.count && !w->failed; i++) {
			const vg_node *item = node->u.seq.items[i];
			place child = { LIST_ITEM, p->parent, p->key, i + 1, NULL, item, NULL };
			walk_value(w, item, t->item, &child);
		}
		break;
	case VG_VALUE_EITHER:
		walk_value(w, node, accepts(t->first, node) ? t->first : t->second, p);
		break;
	}
}

int vg_structure_keys_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	if (!ctx->root || ctx->root->kind != VG_NODE_MAP)
		return 0; /* an unreadable file or a non-mapping root is reported when reading */
	walker w = { ctx, vg_arena_new(), NULL, 0 };
	if (!w.scratch)
		return -1;
	w.visited = vg_strmap_new(w.scratch, 16);
	if (!w.visited) {
		vg_arena_free(w.scratch);
		return -1;
	}
	place root = { AT_ROOT, NULL, NULL, 0, NULL, ctx->root, NULL };
	walk_value(&w, ctx->root, &vg_grammar_root, &root);
	vg_arena_free(w.scratch);
	return w.failed ? -1 : 0;
}
