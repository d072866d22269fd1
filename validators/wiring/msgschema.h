/*
 * msgschema.h — reading the JSON-Schema-like message schemas under `schemas:` (type,
 * properties, required, items, additionalProperties, $ref), and deciding whether messages
 * of one schema are acceptable where another is expected.
 */
#ifndef VG_WIRING_MSGSCHEMA_H
#define VG_WIRING_MSGSCHEMA_H

#include <stddef.h>

#include "blueprint.h"
#include "yaml_tree.h"

/* JSON types as bits; 0 means "not constrained" (no `type`, nothing implying one). */
enum {
	VG_JSON_NULL = 1u << 0,
	VG_JSON_BOOLEAN = 1u << 1,
	VG_JSON_INTEGER = 1u << 2,
	VG_JSON_NUMBER = 1u << 3,
	VG_JSON_STRING = 1u << 4,
	VG_JSON_OBJECT = 1u << 5,
	VG_JSON_ARRAY = 1u << 6,
};

/**
 * Follows `$ref` ("Name", "#/schemas/Name", "#/definitions/Name": the last segment names a
 * schema of the blueprint) up to a few hops; returns the schema mapping, or `schema` itself.
 */
const vg_node *vg_msgschema_deref(const vg_blueprint *bp, const vg_node *schema);

/** The JSON types a schema allows (`type`, or object/array implied by properties/items). */
unsigned vg_msgschema_types(const vg_node *schema);

/** "integer", "string or null", ...: the types as a message says them. */
const char *vg_msgschema_types_text(unsigned types, char *buf, size_t cap);

/** The `properties` mapping, or NULL. */
const vg_node *vg_msgschema_properties(const vg_node *schema);

/** True when `required` lists `field`. */
int vg_msgschema_requires(const vg_node *schema, const char *field);

/** Why a schema does not accept another: where, and expected vs actual, as text. */
typedef struct vg_schema_gap {
	char path[128];     /* "title", "items[].qty", or "" for the top level */
	char expected[160]; /* what the receiving schema wants there */
	char actual[160];   /* what the sending schema has there */
} vg_schema_gap;

/**
 * Whether every message valid under `source` is acceptable under `target`: the same types
 * (integer may widen to number), every field `target` requires present in `source`'s
 * properties, no field `target` forbids (additionalProperties: false), and the same rules for
 * the fields both have and for array items. What neither side constrains is accepted.
 * Returns 1 when compatible; 0 with `gap` filled when not.
 */
int vg_msgschema_accepts(const vg_blueprint *bp, const vg_node *target, const vg_node *source,
                         vg_schema_gap *gap);

#endif
