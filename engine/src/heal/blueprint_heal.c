/*
 * blueprint_heal.c — minimal text edits for the unambiguous level 1–2 findings of a
 * blueprint (see blueprint_heal.h for the list), each proved by validating the healed text
 * again, and the unified diff that shows them.
 *
 * Findings carry a line and a column; one walk of the tree finds the key or value at each
 * such position, and the node's byte range (yaml_tree.c) says which bytes to replace. A
 * scalar is only edited when its source bytes are exactly its value (plain) or its value
 * between quotes, so escapes, tags, anchors and block scalars are never rewritten.
 */
#include "blueprint_heal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "strmap.h"
#include "suggest.h"

/* Names longer than this are never a key or a component type worth healing. */
enum { NAME_CAP = 96, CONTEXT_LINES = 3, MAX_GREEDY_TRIES = 256 };

static const char SCHEMA_VERSION_DEFAULT[] = "1.0.0";

typedef struct candidate {
	vg_blueprint_edit edit;
	const vigil_finding *finding; /* the finding it fixes (its code and message) */
} candidate;

/* Where a finding's position fell in the tree: a key, or a value, of one pair. */
typedef struct hit {
	const vg_node *map; /* the mapping holding the pair */
	const vg_pair *pair;
	const char *container; /* the key `map` sits under (a list's key for its items), or NULL */
} hit;

typedef struct slot {
	hit key;
	hit value;
} slot;

typedef struct healer {
	vg_arena *arena;   /* the caller's: everything returned */
	vg_arena *scratch; /* position index, counters; freed at the end */
	const char *path;
	const char *text;
	size_t length;
	const vg_node *root;
	candidate *cands;
	size_t count, cap;
	size_t skipped;
	int failed; /* memory ran out */
} healer;

/* ---- small helpers ------------------------------------------------------------------------ */

/* Letters and digits only, lower-cased: "api_endpoint" and "APIEndpoint" compare equal. */
static int squash(char *out, size_t cap, const char *s)
{
	size_t k = 0;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s))
			continue;
		if (k + 1 >= cap)
			return -1;
		out[k++] = (char)tolower((unsigned char)*s);
	}
	out[k] = '\0';
	return 0;
}

static int same_squashed(const char *a, const char *b)
{
	char x[NAME_CAP], y[NAME_CAP];
	return squash(x, sizeof x, a) == 0 && squash(y, sizeof y, b) == 0 && *x &&
	       strcmp(x, y) == 0;
}

/* Text YAML reads back as the same string when written plain (names, versions). */
static int plain_safe(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
			return 0;
	return 1;
}

static int key_text_is(const vg_pair *pair, const char *name)
{
	return pair && pair->key->kind == VG_NODE_SCALAR &&
	       strcmp(pair->key->u.scalar.text, name) == 0;
}

static int add_candidate(healer *h, const vigil_finding *f, size_t offset, size_t length,
                         const char *replacement, unsigned line, unsigned column,
                         const char *description)
{
	for (size_t i = 0; i < h->count; i++)
		if (h->cands[i].edit.offset == offset)
			return 0; /* the same node reported twice: one edit */
	if (h->count == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		candidate *c = realloc(h->cands, cap * sizeof *c);
		if (!c) {
			h->failed = 1;
			return -1;
		}
		h->cands = c;
		h->cap = cap;
	}
	candidate *c = &h->cands[h->count++];
	c->finding = f;
	c->edit.offset = offset;
	c->edit.length = length;
	c->edit.replacement = replacement;
	c->edit.code = vigil_finding_code(f);
	c->edit.line = line;
	c->edit.column = column;
	c->edit.description = description;
	return 1;
}

/* A finding of a kind this file heals, left alone. */
static int skip(healer *h)
{
	h->skipped++;
	return 0;
}

/*
 * Replaces the value of scalar `node` with `value`, keeping its style: plain stays plain
 * (quoted when `value` needs it), quoted keeps its quotes. Only when the source bytes are the
 * value itself: no escapes, tag, anchor or block style. 1 added, 0 not editable, -1 memory.
 */
static int replace_scalar(healer *h, const vigil_finding *f, const vg_node *node, const char *value,
                          const char *description)
{
	if (!node || node->kind != VG_NODE_SCALAR || node->end > h->length ||
	    node->end <= node->start)
		return 0;
	const char *raw = h->text + node->start;
	size_t raw_len = node->end - node->start, len = node->u.scalar.length;
	size_t offset, length;
	const char *replacement = value;
	if (node->u.scalar.style == VG_SCALAR_PLAIN) {
		if (raw_len != len || memcmp(raw, node->u.scalar.text, len) != 0)
			return 0;
		offset = node->start;
		length = len;
		if (!plain_safe(value))
			replacement = vg_arena_printf(h->arena, "\"%s\"", value);
	} else if (node->u.scalar.style == VG_SCALAR_QUOTED) {
		char quote = raw[0];
		if ((quote != '"' && quote != '\'') || raw_len != len + 2 ||
		    raw[raw_len - 1] != quote || memcmp(raw + 1, node->u.scalar.text, len) != 0 ||
		    strchr(value, quote) || strchr(value, '\\'))
			return 0;
		offset = node->start + 1;
		length = len;
	} else {
		return 0;
	}
	if (!replacement || !description) {
		h->failed = 1;
		return -1;
	}
	return add_candidate(h, f, offset, length, replacement, node->line, node->column,
	                     description);
}

/* Renames the key of `pair` to `name` (a grammar key: plain-safe). */
static int rename_key(healer *h, const vigil_finding *f, const vg_pair *pair, const char *name)
{
	const char *old = pair->key->u.scalar.text;
	const char *description = vg_arena_printf(h->arena, "key `%s` → `%s`", old, name);
	int rc = replace_scalar(h, f, pair->key, name, description);
	return rc == 0 ? skip(h) : rc < 0 ? -1 : 0;
}

/* ---- finding positions -> tree -------------------------------------------------------------- */

static char *position_key(vg_arena *a, unsigned line, unsigned column)
{
	return vg_arena_printf(a, "%u:%u", line, column);
}

static void note_hit(vg_strmap *wanted, const vg_node *node, hit found, int as_key)
{
	char key[48];
	snprintf(key, sizeof key, "%u:%u", node->line, node->column);
	slot *s = vg_strmap_get(wanted, key);
	if (!s)
		return;
	hit *h = as_key ? &s->key : &s->value;
	if (!h->pair)
		*h = found;
}

/* One walk: the pair whose key or value starts at each wanted position. Anchored nodes (the
 * only ones an alias can share) are walked once. */
static void index_walk(healer *h, vg_strmap *wanted, vg_strmap *visited, const vg_node *node,
                       const char *container)
{
	if (h->failed || !node)
		return;
	if (node->anchor) {
		char *key = vg_arena_printf(h->scratch, "%p", (const void *)node);
		int rc = key ? vg_strmap_put(visited, key, (void *)node, NULL) : -1;
		if (rc < 0) {
			h->failed = 1;
			return;
		}
		if (rc == 0)
			return;
	}
	if (node->kind == VG_NODE_MAP) {
		for (size_t i = 0; i < node->u.map.count; i++) {
			const vg_pair *p = &node->u.map.pairs[i];
			hit found = { node, p, container };
			note_hit(wanted, p->key, found, 1);
			note_hit(wanted, p->value, found, 0);
			const char *key = p->key->kind == VG_NODE_SCALAR ? p->key->u.scalar.text
			                                                 : NULL;
			index_walk(h, wanted, visited, p->value, key);
		}
	} else if (node->kind == VG_NODE_SEQ) {
		for (size_t i = 0; i < node->u.seq.count; i++)
			index_walk(h, wanted, visited, node->u.seq.items[i], container);
	}
}

/* ---- the fixes ---------------------------------------------------------------------------- */

/* `schema_version:` missing: a line before the root's first key, indented like it. */
static int insert_schema_version(healer *h, const vigil_finding *f)
{
	const vg_node *root = h->root;
	if (root->u.map.count == 0)
		return skip(h);
	const vg_node *first = root->u.map.pairs[0].key;
	size_t at = first->start, line_start = at;
	if (at > h->length)
		return skip(h);
	while (line_start > 0 && h->text[line_start - 1] != '\n')
		line_start--;
	for (size_t i = line_start; i < at; i++)
		if (h->text[i] != ' ')
			return skip(h); /* a flow root, `--- key:` or the like: not a plain line */
	const char *nl = memchr(h->text + at, '\n', h->length - at);
	const char *eol = nl && nl > h->text + at && nl[-1] == '\r' ? "\r\n" : "\n";
	const char *replacement = vg_arena_printf(h->arena, "%.*sschema_version: \"%s\"%s",
	                                          (int)(at - line_start), h->text + line_start,
	                                          SCHEMA_VERSION_DEFAULT, eol);
	const char *description =
	        vg_arena_printf(h->arena, "add schema_version: \"%s\"", SCHEMA_VERSION_DEFAULT);
	if (!replacement || !description) {
		h->failed = 1;
		return -1;
	}
	int rc = add_candidate(h, f, line_start, 0, replacement, first->line, 1, description);
	return rc < 0 ? -1 : 0;
}

/* "1" → "1.0.0", "1.M" → "1.M.0": a major-1 version with parts missing. 0 when not such. */
static int complete_version(char *out, size_t cap, const char *s)
{
	size_t len = strlen(s), dots = 0;
	if (len == 0 || len + 5 > cap || s[0] != '1' || (len > 1 && s[1] != '.'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (i + 1 == len || s[i + 1] == '.')
				return 0;
			dots++;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	if (dots > 1)
		return 0;
	snprintf(out, cap, "%s%s", s, dots == 0 ? ".0.0" : ".0");
	return 1;
}

static int heal_schema_version(healer *h, const vigil_finding *f)
{
	const vg_pair *pair = vg_map_pair(h->root, "schema_version");
	if (!pair)
		return insert_schema_version(h, f);
	const vg_node *value = pair->value;
	if (value->kind != VG_NODE_SCALAR || vg_is_null(value) ||
	    value->line != vigil_finding_line(f) || value->column != vigil_finding_column(f))
		return skip(h);
	char fixed[NAME_CAP];
	if (!complete_version(fixed, sizeof fixed, value->u.scalar.text))
		return skip(h); /* another major, or not a version at all: a person decides */
	const char *q = value->u.scalar.style == VG_SCALAR_QUOTED ? "\"" : "";
	const char *description = vg_arena_printf(h->arena, "schema_version %s%s%s → %s%s%s", q,
	                                          value->u.scalar.text, q, q, fixed, q);
	const char *replacement = vg_arena_strdup(h->arena, fixed);
	if (!description || !replacement) {
		h->failed = 1;
		return -1;
	}
	int rc = replace_scalar(h, f, value, replacement, description);
	return rc == 0 ? skip(h) : rc < 0 ? -1 : 0;
}

static int heal_component_type(healer *h, const vigil_finding *f, const slot *s)
{
	const hit *v = &s->value;
	if (!v->pair || !key_text_is(v->pair, "type") || v->pair->value->kind != VG_NODE_SCALAR)
		return skip(h);
	const char *type = v->pair->value->u.scalar.text;
	const char *match = NULL;
	size_t matches = 0;
	for (size_t i = 0; i < vg_grammar_component_type_count; i++) {
		if (same_squashed(type, vg_grammar_component_types[i])) {
			match = vg_grammar_component_types[i];
			matches++;
		}
	}
	if (matches != 1)
		return skip(h); /* `Database`, or a spelling two types could claim */
	const char *description = vg_arena_printf(h->arena, "type `%s` → `%s`", type, match);
	int rc = replace_scalar(h, f, v->pair->value, match, description);
	return rc == 0 ? skip(h) : rc < 0 ? -1 : 0;
}

/* The X of a hint "did you mean `X`?"; 0 when the hint has none. */
static int hinted_name(char *out, size_t cap, const char *hint)
{
	static const char lead[] = "did you mean `";
	const char *at = hint ? strstr(hint, lead) : NULL;
	if (!at)
		return 0;
	at += sizeof lead - 1;
	const char *end = strchr(at, '`');
	if (!end || end == at || (size_t)(end - at) >= cap)
		return 0;
	memcpy(out, at, (size_t)(end - at));
	out[end - at] = '\0';
	return 1;
}

/*
 * Whether `suggested` is the one plausible meaning of `key`: the same name but for case and
 * separators, or at edit distance 1–2 with every other key known there (the finding's detail
 * lists them) farther away.
 */
static int only_close_key(const char *key, const char *suggested, const char *detail)
{
	if (same_squashed(key, suggested))
		return 1;
	unsigned d = vg_edit_distance(key, suggested);
	if (d < 1 || d > 2)
		return 0;
	static const char lead[] = "the keys known here are: ";
	const char *list = detail ? strstr(detail, lead) : NULL;
	if (!list)
		return 0;
	list += sizeof lead - 1;
	const char *stop = strstr(list, " (and any key");
	if (!stop)
		return 0; /* clipped: the list may be incomplete */
	int listed = 0;
	while (list < stop) {
		const char *comma = strstr(list, ", ");
		const char *end = comma && comma < stop ? comma : stop;
		char name[NAME_CAP];
		size_t n = (size_t)(end - list);
		if (n == 0 || n >= sizeof name)
			return 0;
		memcpy(name, list, n);
		name[n] = '\0';
		if (strcmp(name, suggested) == 0)
			listed = 1;
		else if (vg_edit_distance(key, name) <= d || same_squashed(key, name))
			return 0;
		list = end == stop ? stop : end + 2;
	}
	return listed;
}

/* The pool keys of the other spelling (`pool` vs the generated blueprints' `connection_pool`). */
static const char *pool_respelling(const char *key, const char *container)
{
	if (!container)
		return NULL;
	if (strcmp(container, "pool") == 0) {
		if (strcmp(key, "min_size") == 0)
			return "min";
		if (strcmp(key, "max_size") == 0)
			return "max";
	} else if (strcmp(container, "connection_pool") == 0) {
		if (strcmp(key, "min") == 0)
			return "min_size";
		if (strcmp(key, "max") == 0)
			return "max_size";
	}
	return NULL;
}

static int heal_unknown_key(healer *h, const vigil_finding *f, const slot *s)
{
	const hit *k = &s->key;
	if (!k->pair || k->pair->key->kind != VG_NODE_SCALAR)
		return skip(h);
	const char *key = k->pair->key->u.scalar.text;
	char suggested[NAME_CAP];
	const char *target = NULL;
	if (hinted_name(suggested, sizeof suggested, vigil_finding_hint(f))) {
		if (only_close_key(key, suggested, vigil_finding_detail(f)) &&
		    plain_safe(suggested))
			target = vg_arena_strdup(h->arena, suggested);
		if (!target)
			return skip(h);
	} else {
		target = pool_respelling(key, k->container);
		if (!target)
			return 0; /* no suggestion: nothing that looks healable */
	}
	if (vg_map_pair(k->map, target))
		return skip(h); /* renaming would give the key twice */
	return rename_key(h, f, k->pair, target);
}

/* A binding key given in the singular with a list, or in the plural with one name. */
static int heal_binding_spelling(healer *h, const vigil_finding *f, const slot *s)
{
	const hit *v = &s->value;
	if (!v->pair || !v->container || strcmp(v->container, "bindings") != 0 ||
	    v->pair->key->kind != VG_NODE_SCALAR)
		return 0;
	const char *key = v->pair->key->u.scalar.text;
	const vg_node *value = v->pair->value;
	const char *target = NULL;
	if (value->kind == VG_NODE_SEQ) {
		if (strcmp(key, "to_component") == 0)
			target = "to_components";
		else if (strcmp(key, "to_port") == 0)
			target = "to_ports";
	} else if (value->kind == VG_NODE_SCALAR && !vg_is_null(value)) {
		if (strcmp(key, "to_components") == 0)
			target = "to_component";
		else if (strcmp(key, "to_ports") == 0)
			target = "to_port";
	}
	if (!target)
		return 0;
	if (vg_map_pair(v->map, target))
		return skip(h);
	return rename_key(h, f, v->pair, target);
}

static int is_code(const vigil_finding *f, const char *code)
{
	const char *c = vigil_finding_code(f);
	return c && strcmp(c, code) == 0;
}

/* The candidates for every healable finding of the report. */
static int collect(healer *h, const vigil_report *report)
{
	size_t n = vigil_report_finding_count(report);
	vg_strmap *wanted = vg_strmap_new(h->scratch, 16);
	vg_strmap *visited = vg_strmap_new(h->scratch, 16);
	if (!wanted || !visited)
		return -1;
	int any_positioned = 0;
	for (size_t i = 0; i < n; i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		if (vigil_finding_level(f) > 2 || vigil_finding_line(f) == 0)
			continue;
		if (!is_code(f, "VG116") && !is_code(f, "VG117") && !is_code(f, "VG112"))
			continue;
		char *key =
		        position_key(h->scratch, vigil_finding_line(f), vigil_finding_column(f));
		slot *s = vg_arena_alloc(h->scratch, sizeof *s);
		if (!key || !s)
			return -1;
		memset(s, 0, sizeof *s);
		if (vg_strmap_put(wanted, key, s, NULL) < 0)
			return -1;
		any_positioned = 1;
	}
	if (any_positioned)
		index_walk(h, wanted, visited, h->root, NULL);
	if (h->failed)
		return -1;
	for (size_t i = 0; i < n && !h->failed; i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		if (vigil_finding_level(f) > 2)
			continue;
		if (is_code(f, "VG113") ||
		    (is_code(f, "VG130") && !vg_map_pair(h->root, "schema_version") &&
		     vigil_finding_line(f) == h->root->line)) {
			if (heal_schema_version(h, f) < 0)
				return -1;
			continue;
		}
		char key[48];
		snprintf(key, sizeof key, "%u:%u", vigil_finding_line(f), vigil_finding_column(f));
		const slot *s = vigil_finding_line(f) ? vg_strmap_get(wanted, key) : NULL;
		if (!s)
			continue;
		int rc = 0;
		if (is_code(f, "VG116"))
			rc = heal_component_type(h, f, s);
		else if (is_code(f, "VG117"))
			rc = heal_unknown_key(h, f, s);
		else if (is_code(f, "VG112"))
			rc = heal_binding_spelling(h, f, s);
		if (rc < 0)
			return -1;
	}
	return h->failed ? -1 : 0;
}

/* ---- applying and proving ------------------------------------------------------------------ */

static int by_offset(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	return x->edit.offset < y->edit.offset ? -1 : x->edit.offset > y->edit.offset;
}

/* The text with the chosen edits (sorted, not overlapping) applied; malloc'ed, NUL-ended. */
static char *apply_edits(const char *text, size_t length, const candidate *const *chosen, size_t n,
                         size_t *out_len)
{
	size_t total = length;
	for (size_t i = 0; i < n; i++)
		total = total - chosen[i]->edit.length + strlen(chosen[i]->edit.replacement);
	char *out = malloc(total + 1);
	if (!out)
		return NULL;
	size_t from = 0, to = 0;
	for (size_t i = 0; i < n; i++) {
		const vg_blueprint_edit *e = &chosen[i]->edit;
		memcpy(out + to, text + from, e->offset - from);
		to += e->offset - from;
		size_t r = strlen(e->replacement);
		memcpy(out + to, e->replacement, r);
		to += r;
		from = e->offset + e->length;
	}
	memcpy(out + to, text + from, length - from);
	to += length - from;
	out[to] = '\0';
	*out_len = to;
	return out;
}

/* Counts of findings (levels 1–2) by code and message: what "the same finding" means when
 * lines move. */
typedef struct tally {
	vg_arena *arena;
	vg_strmap *counts; /* "code\x1fmessage" -> long * */
} tally;

static char *finding_key(vg_arena *a, const vigil_finding *f)
{
	const char *code = vigil_finding_code(f), *message = vigil_finding_message(f);
	return vg_arena_printf(a, "%s\x1f%s", code ? code : "", message ? message : "");
}

/* Adds `delta` to the count of `f`'s key (the new count in *now); -1 when memory runs out. */
static int tally_add(tally *t, const vigil_finding *f, long delta, long *now)
{
	char *key = finding_key(t->arena, f);
	if (!key)
		return -1;
	long *count = vg_strmap_get(t->counts, key);
	if (!count) {
		count = vg_arena_alloc(t->arena, sizeof *count);
		if (!count || vg_strmap_put(t->counts, key, count, NULL) < 0)
			return -1;
		*count = 0;
	}
	*count += delta;
	if (now)
		*now = *count;
	return 0;
}

static long tally_get(const tally *t, vg_arena *scratch, const vigil_finding *f)
{
	char *key = finding_key(scratch, f);
	const long *count = key ? vg_strmap_get(t->counts, key) : NULL;
	return count ? *count : 0;
}

static int run_levels_1_2(vigil_report **out, vigil_engine *engine, const char *path,
                          const char *text, size_t length)
{
	vigil_run_options options = VIGIL_RUN_OPTIONS_INIT;
	options.keep_going = 1; /* level 2 runs even while level 1 fails: all findings compared */
	options.max_level = 2;
	return vigil_validate_buffer(out, engine, path, text, length, &options, NULL);
}

/*
 * Whether the chosen edits heal: validated again, the text shows none of the findings they
 * fix and none that `baseline` (the input validated the same way) did not show. 1 yes, 0 no,
 * -1 memory.
 */
static int proves(healer *h, vigil_engine *engine, const tally *baseline,
                  const candidate *const *chosen, size_t n)
{
	size_t len;
	char *healed = apply_edits(h->text, h->length, chosen, n, &len);
	if (!healed)
		return -1;
	vigil_report *report = NULL;
	int rc = run_levels_1_2(&report, engine, h->path, healed, len);
	free(healed);
	if (rc != 0)
		return rc == VIGIL_ENOMEM ? -1 : 0;
	vg_arena *a = vg_arena_new();
	tally fixed = { a, a ? vg_strmap_new(a, 16) : NULL };
	tally seen = { a, a ? vg_strmap_new(a, 16) : NULL };
	int ok = fixed.counts && seen.counts ? 1 : -1;
	for (size_t i = 0; i < n && ok == 1; i++)
		if (tally_add(&fixed, chosen[i]->finding, 1, NULL) != 0)
			ok = -1;
	size_t count = vigil_report_finding_count(report);
	for (size_t i = 0; i < count && ok == 1; i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		if (vigil_finding_level(f) > 2)
			continue;
		long now;
		if (tally_add(&seen, f, 1, &now) != 0) {
			ok = -1;
			break;
		}
		if (now > tally_get(baseline, a, f) - tally_get(&fixed, a, f))
			ok = 0;
	}
	vg_arena_free(a);
	vigil_report_free(report);
	return ok;
}

/* Chooses the candidates that prove: all of them when they do together, else one by one. */
static int choose(healer *h, const candidate **chosen, size_t *chosen_count)
{
	*chosen_count = 0;
	if (h->count == 0)
		return 0;
	qsort(h->cands, h->count, sizeof *h->cands, by_offset);
	/* Overlapping edits cannot both apply: keep the first. */
	size_t n = 0;
	for (size_t i = 0; i < h->count; i++) {
		const vg_blueprint_edit *e = &h->cands[i].edit;
		if (n && chosen[n - 1]->edit.offset + chosen[n - 1]->edit.length > e->offset) {
			h->skipped++;
			continue;
		}
		chosen[n++] = &h->cands[i];
	}
	vigil_engine *engine = NULL;
	if (vigil_engine_new(&engine, NULL) != 0)
		return -1;
	vigil_report *original = NULL;
	int rc = run_levels_1_2(&original, engine, h->path, h->text, h->length);
	tally baseline = { h->scratch, vg_strmap_new(h->scratch, 64) };
	if (rc != 0 || !baseline.counts) {
		vigil_engine_free(engine);
		return rc != 0 ? rc : -1;
	}
	size_t count = vigil_report_finding_count(original);
	for (size_t i = 0; i < count && rc == 0; i++) {
		const vigil_finding *f = vigil_report_finding(original, i);
		if (vigil_finding_level(f) <= 2 && tally_add(&baseline, f, 1, NULL) != 0)
			rc = -1;
	}
	int all = rc == 0 ? proves(h, engine, &baseline, chosen, n) : -1;
	if (all == 1) {
		*chosen_count = n;
	} else if (all == 0) {
		/* One at a time, in file order, each on top of those already kept. */
		size_t kept = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			const candidate *c = chosen[i];
			chosen[kept] = c;
			int ok = i < MAX_GREEDY_TRIES
			                 ? proves(h, engine, &baseline, chosen, kept + 1)
			                 : 0;
			if (ok < 0)
				rc = -1;
			else if (ok == 1)
				kept++;
			else
				h->skipped++;
		}
		*chosen_count = kept;
	} else {
		rc = -1;
	}
	vigil_report_free(original);
	vigil_engine_free(engine);
	return rc;
}

/* ---- the unified diff ----------------------------------------------------------------------- */

typedef struct buffer {
	char *data;
	size_t len, cap;
	int failed;
} buffer;

static void put(buffer *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d) {
			b->failed = 1;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void putf(buffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(buffer *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		b->failed = 1;
	else
		put(b, tmp, (size_t)n);
}

/* One line with its diff prefix; a last line without a newline gets diff's marker. */
static void put_line(buffer *b, char prefix, const char *line, size_t n)
{
	static const char marker[] = "\n\\ No newline at end of file\n";
	put(b, &prefix, 1);
	put(b, line, n);
	if (n == 0 || line[n - 1] != '\n')
		put(b, marker, sizeof marker - 1);
}

/* Offsets of the starts of lines, plus `length` at the end: lines[count] == length. */
static size_t *line_starts(const char *s, size_t length, size_t *count)
{
	size_t n = 0;
	for (size_t i = 0; i < length; i++)
		if (s[i] == '\n')
			n++;
	if (length && s[length - 1] != '\n')
		n++;
	size_t *starts = malloc((n + 1) * sizeof *starts);
	if (!starts)
		return NULL;
	size_t k = 0;
	if (length)
		starts[k++] = 0;
	for (size_t i = 0; i < length; i++)
		if (s[i] == '\n' && i + 1 < length)
			starts[k++] = i + 1;
	starts[n] = length;
	*count = n;
	return starts;
}

/* The index of the line holding byte `offset`; past the end, `count` after a final newline
 * (a new line there) and the last line otherwise. */
static size_t line_of(const size_t *starts, size_t count, size_t offset, int terminated)
{
	if (count == 0)
		return 0;
	if (offset >= starts[count])
		return terminated ? count : count - 1;
	size_t lo = 0, hi = count - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (starts[mid] <= offset)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

typedef struct change {
	size_t a, b;                 /* old lines [a, b) replaced */
	size_t first_edit, end_edit; /* the edits in it */
	char *text;                  /* the new lines */
	size_t text_len, new_lines;
} change;

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			lines++;
	return n && s[n - 1] != '\n' ? lines + 1 : lines;
}

char *vg_blueprint_diff(vg_arena *arena, const char *name, const char *old_text, size_t old_length,
                        const vg_blueprint_edit *edits, size_t edit_count)
{
	if (edit_count == 0)
		return vg_arena_strdup(arena, "");
	size_t lines;
	size_t *starts = line_starts(old_text, old_length, &lines);
	change *changes = calloc(edit_count, sizeof *changes);
	buffer out = { 0 };
	if (!starts || !changes) {
		free(starts);
		free(changes);
		return NULL;
	}
	/* Edits -> runs of whole old lines, merged where they share a line. */
	int terminated = old_length && old_text[old_length - 1] == '\n';
	size_t n = 0;
	for (size_t i = 0; i < edit_count; i++) {
		const vg_blueprint_edit *e = &edits[i];
		size_t a = line_of(starts, lines, e->offset, terminated), b;
		int at_line_start = e->offset == 0 || old_text[e->offset - 1] == '\n';
		size_t r = strlen(e->replacement);
		if (a >= lines ||
		    (e->length == 0 && at_line_start && r && e->replacement[r - 1] == '\n')) {
			b = a; /* whole lines inserted before line a */
		} else {
			size_t last = e->length ? e->offset + e->length - 1 : e->offset;
			b = line_of(starts, lines, last, terminated) + 1;
			if (b > lines)
				b = lines;
		}
		/* Overlapping runs merge, and so do adjacent ones (-a -b +a' +b', as diff shows
		 * them); an inserted run stays on its own unless it falls inside another. */
		const change *prev = n ? &changes[n - 1] : NULL;
		if (prev && (a < prev->b || (a == prev->b && a < b && prev->a < prev->b))) {
			if (b > changes[n - 1].b)
				changes[n - 1].b = b;
			changes[n - 1].end_edit = i + 1;
			continue;
		}
		changes[n].a = a;
		changes[n].b = b;
		changes[n].first_edit = i;
		changes[n].end_edit = i + 1;
		n++;
	}
	/* The new text of each run. */
	for (size_t c = 0; c < n && !out.failed; c++) {
		change *ch = &changes[c];
		buffer t = { 0 };
		size_t from = starts[ch->a], to = starts[ch->b];
		for (size_t i = ch->first_edit; i < ch->end_edit; i++) {
			put(&t, old_text + from, edits[i].offset - from);
			put(&t, edits[i].replacement, strlen(edits[i].replacement));
			from = edits[i].offset + edits[i].length;
		}
		if (to > from)
			put(&t, old_text + from, to - from);
		put(&t, "", 0);
		if (t.failed || !t.data)
			out.failed = 1;
		ch->text = t.data;
		ch->text_len = t.len;
		ch->new_lines = count_lines(t.data ? t.data : "", t.len);
	}
	const char *base = name ? strrchr(name, '/') : NULL;
	base = base ? base + 1 : name && *name ? name : "blueprint.yaml";
	putf(&out, "--- a/%s\n+++ b/%s.healed\n", base, base);
	long delta = 0; /* new line numbers run ahead of old ones by this much */
	for (size_t c = 0; c < n && !out.failed;) {
		size_t last = c;
		while (last + 1 < n && changes[last + 1].a <= changes[last].b + 2 * CONTEXT_LINES)
			last++;
		size_t old_start = changes[c].a > CONTEXT_LINES ? changes[c].a - CONTEXT_LINES : 0;
		size_t old_end = changes[last].b + CONTEXT_LINES < lines
		                         ? changes[last].b + CONTEXT_LINES
		                         : lines;
		long hunk_delta = 0;
		for (size_t i = c; i <= last; i++)
			hunk_delta +=
			        (long)changes[i].new_lines - (long)(changes[i].b - changes[i].a);
		size_t old_count = old_end - old_start;
		size_t new_count = (size_t)((long)old_count + hunk_delta);
		size_t new_start = (size_t)((long)old_start + delta);
		putf(&out, "@@ -%zu,%zu +%zu,%zu @@\n", old_count ? old_start + 1 : old_start,
		     old_count, new_count ? new_start + 1 : new_start, new_count);
		size_t pos = old_start;
		for (size_t i = c; i <= last; i++) {
			const change *ch = &changes[i];
			for (; pos < ch->a; pos++)
				put_line(&out, ' ', old_text + starts[pos],
				         starts[pos + 1] - starts[pos]);
			for (; pos < ch->b; pos++)
				put_line(&out, '-', old_text + starts[pos],
				         starts[pos + 1] - starts[pos]);
			const char *s = ch->text, *end = ch->text + ch->text_len;
			while (s < end) {
				const char *nl = memchr(s, '\n', (size_t)(end - s));
				size_t len = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
				put_line(&out, '+', s, len);
				s += len;
			}
		}
		for (; pos < old_end; pos++)
			put_line(&out, ' ', old_text + starts[pos], starts[pos + 1] - starts[pos]);
		delta += hunk_delta;
		c = last + 1;
	}
	char *result = out.failed ? NULL : vg_arena_strndup(arena, out.data, out.len);
	for (size_t c = 0; c < n; c++)
		free(changes[c].text);
	free(changes);
	free(starts);
	free(out.data);
	return result;
}

/* ---- the entry point ------------------------------------------------------------------------ */

int vg_blueprint_heal(vg_arena *arena, const char *path, const char *text, size_t length,
                      const vg_node *root, const vigil_report *report, vg_blueprint_patch *out)
{
	if (!out)
		return VIGIL_EINVAL;
	memset(out, 0, sizeof *out);
	if (!arena || (!text && length) || !report)
		return VIGIL_EINVAL;
	if (!text)
		text = "";
	healer h = { 0 };
	h.arena = arena;
	h.path = path ? path : "blueprint.yaml";
	h.text = text;
	h.length = length;
	h.root = root;
	h.scratch = vg_arena_new();
	if (!h.scratch)
		return VIGIL_ENOMEM;
	int rc = 0;
	const candidate **chosen = NULL;
	size_t chosen_count = 0;
	if (root && root->kind == VG_NODE_MAP) {
		rc = collect(&h, report);
		if (rc == 0 && h.count) {
			chosen = malloc(h.count * sizeof *chosen);
			rc = chosen ? choose(&h, chosen, &chosen_count) : -1;
		}
	}
	if (rc == 0) {
		vg_blueprint_edit *edits =
		        chosen_count ? vg_arena_array(arena, chosen_count, sizeof *edits) : NULL;
		size_t healed_len = length;
		char *healed =
		        chosen_count ? apply_edits(text, length, chosen, chosen_count, &healed_len)
		                     : NULL;
		char *copy = vg_arena_strndup(arena, chosen_count ? healed : text, healed_len);
		free(healed);
		if ((chosen_count && !edits) || !copy) {
			rc = -1;
		} else {
			for (size_t i = 0; i < chosen_count; i++)
				edits[i] = chosen[i]->edit;
			out->diff =
			        vg_blueprint_diff(arena, h.path, text, length, edits, chosen_count);
			if (!out->diff)
				rc = -1;
			out->text = copy;
			out->length = healed_len;
			out->edits = edits;
			out->edit_count = chosen_count;
			out->skipped = h.skipped;
		}
	}
	free(chosen);
	free(h.cands);
	vg_arena_free(h.scratch);
	if (rc != 0) {
		memset(out, 0, sizeof *out);
		return rc; /* -1 is VIGIL_ENOMEM; other VIGIL_E* codes pass through */
	}
	return 0;
}
