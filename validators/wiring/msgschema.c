#include "msgschema.h"

#include <stdio.h>
#include <string.h>

enum { MAX_REF_HOPS = 8, MAX_DEPTH = 16 };

static int is_map(const vg_node *n)
{
	return n && n->kind == VG_NODE_MAP;
}

const vg_node *vg_msgschema_deref(const vg_blueprint *bp, const vg_node *schema)
{
	for (int hop = 0; hop < MAX_REF_HOPS && is_map(schema); hop++) {
		const char *ref = vg_scalar(vg_map_get(schema, "$ref"));
		if (!ref || !bp)
			return schema;
		const char *slash = strrchr(ref, '/');
		const vg_message_schema *s = vg_blueprint_schema(bp, slash ? slash + 1 : ref);
		if (!s || !is_map(s->node))
			return schema;
		schema = s->node;
	}
	return schema;
}

static unsigned type_bit(const char *name)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{ "null", VG_JSON_NULL },       { "boolean", VG_JSON_BOOLEAN },
		{ "integer", VG_JSON_INTEGER }, { "number", VG_JSON_NUMBER },
		{ "string", VG_JSON_STRING },   { "object", VG_JSON_OBJECT },
		{ "array", VG_JSON_ARRAY },
	};
	if (!name)
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].bit;
	return 0;
}

unsigned vg_msgschema_types(const vg_node *schema)
{
	if (!is_map(schema))
		return 0;
	const vg_node *type = vg_map_get(schema, "type");
	unsigned bits = 0;
	if (type && type->kind == VG_NODE_SCALAR) {
		bits = type_bit(vg_scalar(type));
	} else if (type && type->kind == VG_NODE_SEQ) {
		for (size_t i = 0; i < type->u.seq.count; i++)
			bits |= type_bit(vg_scalar(type->u.seq.items[i]));
	}
	if (!bits && vg_map_get(schema, "properties"))
		bits = VG_JSON_OBJECT;
	if (!bits && vg_map_get(schema, "items"))
		bits = VG_JSON_ARRAY;
	return bits;
}

const char *vg_msgschema_types_text(unsigned types, char *buf, size_t cap)
{
	static const char *const names[] = { "null",   "boolean", "integer", "number",
		                             "string", "object",  "array" };
	size_t k = 0;
	buf[0] = '\0';
	if (!types) {
		snprintf(buf, cap, "any type");
		return buf;
	}
	/* Non-null types first: "string or null" reads better than "null or string". */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < 7; i++) {
			unsigned bit = 1u << i;
			if (!(types & bit) || (pass == 0) == (bit == VG_JSON_NULL))
				continue;
			int n = snprintf(buf + k, cap - k, "%s%s", k ? " or " : "", names[i]);
			if (n < 0 || (size_t)n >= cap - k)
				return buf;
			k += (size_t)n;
		}
	}
	return buf;
}

const vg_node *vg_msgschema_properties(const vg_node *schema)
{
	const vg_node *p = is_map(schema) ? vg_map_get(schema, "properties") : NULL;
	return is_map(p) ? p : NULL;
}

int vg_msgschema_requires(const vg_node *schema, const char *field)
{
	const vg_node *req = is_map(schema) ? vg_map_get(schema, "required") : NULL;
	if (!req || req->kind != VG_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < req->u.seq.count; i++) {
		const char *name = vg_scalar(req->u.seq.items[i]);
		if (name && strcmp(name, field) == 0)
			return 1;
	}
	return 0;
}

static void gap_set(vg_schema_gap *gap, const char *path, const char *expected, const char *actual)
{
	snprintf(gap->path, sizeof gap->path, "%s", path);
	snprintf(gap->expected, sizeof gap->expected, "%s", expected);
	snprintf(gap->actual, sizeof gap->actual, "%s", actual);
}

static void join_path(char *out, size_t cap, const char *path, const char *field)
{
	snprintf(out, cap, "%s%s%s", path, *path && *field != '[' ? "." : "", field);
}

/* Every type of `source` fits one of `target`'s (integer fits number). */
static int types_fit(unsigned target, unsigned source)
{
	if (!target || !source)
		return 1;
	unsigned widened = target & VG_JSON_NUMBER ? target | VG_JSON_INTEGER : target;
	return (source & ~widened) == 0;
}

static int accepts(const vg_blueprint *bp, const vg_node *target, const vg_node *source,
                   const char *path, int depth, vg_schema_gap *gap)
{
	target = vg_msgschema_deref(bp, target);
	source = vg_msgschema_deref(bp, source);
	if (depth > MAX_DEPTH || !is_map(target) || !is_map(source))
		return 1;
	unsigned tt = vg_msgschema_types(target), st = vg_msgschema_types(source);
	char want[64], have[64];
	if (!types_fit(tt, st)) {
		gap_set(gap, path, vg_msgschema_types_text(tt, want, sizeof want),
		        vg_msgschema_types_text(st, have, sizeof have));
		return 0;
	}

	const vg_node *tprops = vg_msgschema_properties(target);
	const vg_node *sprops = vg_msgschema_properties(source);
	const vg_node *req = vg_map_get(target, "required");
	char sub[128];
	if (req && req->kind == VG_NODE_SEQ && (sprops || st)) {
		for (size_t i = 0; i < req->u.seq.count; i++) {
			const char *field = vg_scalar(req->u.seq.items[i]);
			if (!field || (sprops && vg_map_get(sprops, field)) ||
			    vg_msgschema_requires(source, field))
				continue;
			join_path(sub, sizeof sub, path, field);
			char expected[160];
			const vg_node *tf = tprops ? vg_map_get(tprops, field) : NULL;
			snprintf(expected, sizeof expected, "field %s (%s, required)", sub,
			         vg_msgschema_types_text(
			                 vg_msgschema_types(vg_msgschema_deref(bp, tf)), want,
			                 sizeof want));
			char actual[160];
			snprintf(actual, sizeof actual, "no field %s", sub);
			gap_set(gap, sub, expected, actual);
			return 0;
		}
	}
	const vg_node *extra = vg_map_get(target, "additionalProperties");
	int closed = 0;
	if (extra && vg_scalar_bool(extra, &closed) == 0 && !closed && sprops) {
		for (size_t i = 0; i < sprops->u.map.count; i++) {
			const char *field = vg_scalar(sprops->u.map.pairs[i].key);
			if (!field || (tprops && vg_map_get(tprops, field)))
				continue;
			join_path(sub, sizeof sub, path, field);
			char actual[160];
			snprintf(actual, sizeof actual, "field %s", sub);
			gap_set(gap, sub, "no other fields (additionalProperties: false)", actual);
			return 0;
		}
	}
	if (tprops && sprops) {
		for (size_t i = 0; i < tprops->u.map.count; i++) {
			const char *field = vg_scalar(tprops->u.map.pairs[i].key);
			const vg_node *sf = field ? vg_map_get(sprops, field) : NULL;
			if (!sf)
				continue;
			join_path(sub, sizeof sub, path, field);
			if (!accepts(bp, tprops->u.map.pairs[i].value, sf, sub, depth + 1, gap)) {
				/* Name the field in a type mismatch found at its own level. */
				if (strcmp(gap->path, sub) == 0 &&
				    strncmp(gap->expected, "field ", 6) != 0) {
					char e[sizeof gap->expected], a[sizeof gap->actual];
					snprintf(e, sizeof e, "%s", gap->expected);
					snprintf(a, sizeof a, "%s", gap->actual);
					snprintf(gap->expected, sizeof gap->expected,
					         "field %.60s: %.90s", sub, e);
					snprintf(gap->actual, sizeof gap->actual,
					         "field %.60s: %.90s", sub, a);
				}
				return 0;
			}
		}
	}
	const vg_node *titems = vg_map_get(target, "items");
	const vg_node *sitems = vg_map_get(source, "items");
	if (titems && sitems) {
		join_path(sub, sizeof sub, path, "[]");
		if (!accepts(bp, titems, sitems, sub, depth + 1, gap))
			return 0;
	}
	return 1;
}

int vg_msgschema_accepts(const vg_blueprint *bp, const vg_node *target, const vg_node *source,
                         vg_schema_gap *gap)
{
	gap_set(gap, "", "", "");
	return accepts(bp, target, source, "", 0, gap);
}
