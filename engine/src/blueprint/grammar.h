/*
 * grammar.h — the blueprint grammar as data: which keys each kind of object takes, which are
 * required, which are alternative spellings of one another, and what kind of value each
 * holds. The structure validator walks the YAML tree against it (validators/structure/keys.c).
 *
 * The grammar itself is written out in grammar.c, one table per object kind, following the
 * brief's "blueprint grammar" section.
 */
#ifndef VG_STRUCTURE_GRAMMAR_H
#define VG_STRUCTURE_GRAMMAR_H

#include <stddef.h>

/** The most keys one object kind declares (grammar.c asserts it), and alternative groups. */
#define VG_GRAMMAR_MAX_KEYS 32
#define VG_GRAMMAR_MAX_GROUPS 8

typedef enum vg_value_kind {
	VG_VALUE_ANY = 0, /* anything; not walked except for duplicate keys */
	VG_VALUE_STRING,  /* a non-null scalar (plain numbers and booleans read as text) */
	VG_VALUE_SCALAR,  /* any scalar, null included (a column default) */
	VG_VALUE_INTEGER,
	VG_VALUE_NUMBER,
	VG_VALUE_BOOLEAN,  /* a non-boolean scalar is a bad value, not a wrong type */
	VG_VALUE_ENUM,     /* one of `values`, case-insensitive */
	VG_VALUE_OBJECT,   /* a mapping whose keys `object` describes */
	VG_VALUE_FREE_MAP, /* a mapping of anything (message schema bodies): keys not checked */
	VG_VALUE_LIST,     /* a sequence of `item` */
	VG_VALUE_DICT,     /* a mapping from user-chosen names to `item` */
	VG_VALUE_EITHER,   /* `first` or `second`, chosen by the node's kind (scalar/map/list) */
} vg_value_kind;

typedef struct vg_object_grammar vg_object_grammar;
typedef struct vg_value_type vg_value_type;

struct vg_value_type {
	vg_value_kind kind;
	const vg_object_grammar *object; /* OBJECT */
	const vg_value_type *item;       /* LIST, DICT */
	const vg_value_type *first;      /* EITHER */
	const vg_value_type *second;     /* EITHER */
	const char *const *values;       /* ENUM */
	size_t value_count;
};

typedef struct vg_key_grammar {
	const char *name;
	const vg_value_type *type;
	unsigned char required; /* the key (or, with a group, one of its group) must be given */
	unsigned char group; /* 1..VG_GRAMMAR_MAX_GROUPS: spellings of one key; at most one given */
	const char *needs;   /* another key that must be given with this one, or NULL */
	const char *same_length; /* LIST: must hold as many items as this other key's list */
} vg_key_grammar;

struct vg_object_grammar {
	const char *label; /* "component": names the object in messages; NULL: its key does */
	const vg_key_grammar *keys;
	size_t key_count;
	int open; /* unknown keys belong to the user (component config): no warning */
};

/** The grammar of the whole document (the root mapping). */
extern const vg_value_type vg_grammar_root;

/** Keys every object accepts besides its own: `metadata` (free-form) and `description`. */
extern const vg_key_grammar vg_grammar_common_keys[];
extern const size_t vg_grammar_common_key_count;

/** The known component types, in their canonical spelling. */
extern const char *const vg_grammar_component_types[];
extern const size_t vg_grammar_component_type_count;

/** Finds a key of an object kind (not the common keys); NULL when it has none of that name. */
const vg_key_grammar *vg_grammar_find_key(const vg_object_grammar *object, const char *name);

#endif
