/*
 * yaml_tree.h — a YAML document read with libyaml into a tree whose every node keeps its
 * file, line and column (1-based). Reading refuses what a blueprint must never be: files
 * over VG_YAML_MAX_BYTES, non-UTF-8 input, aliases whose expansion would exceed
 * VG_YAML_MAX_NODES (billion laughs), nesting deeper than VG_YAML_MAX_DEPTH. Aliases are
 * resolved by sharing the anchored node, never by copying.
 *
 * Duplicate mapping keys are not an error here: the tree keeps every pair, and the
 * structure validator reports the duplicates (so all of them are reported, with locations).
 */
#ifndef VG_YAML_TREE_H
#define VG_YAML_TREE_H

#include <stddef.h>

#include "arena.h"

#define VG_YAML_MAX_BYTES (16u * 1024u * 1024u)
#define VG_YAML_MAX_NODES 2000000u
#define VG_YAML_MAX_DEPTH 200u

typedef enum vg_node_kind {
	VG_NODE_SCALAR = 1,
	VG_NODE_MAP = 2,
	VG_NODE_SEQ = 3,
} vg_node_kind;

typedef enum vg_scalar_style {
	VG_SCALAR_PLAIN = 0,   /* unquoted: may be null/bool/number */
	VG_SCALAR_QUOTED = 1,  /* '...' or "..." */
	VG_SCALAR_BLOCK = 2,   /* | or > */
} vg_scalar_style;

typedef struct vg_node vg_node;

typedef struct vg_pair {
	vg_node *key;   /* always a scalar in a blueprint; non-scalar keys are kept, flagged */
	vg_node *value;
} vg_pair;

struct vg_node {
	vg_node_kind kind;
	unsigned line;       /* 1-based, of the node's start */
	unsigned column;     /* 1-based */
	const char *file;    /* shared, arena-owned */
	/* Byte range of the node in the input (for minimal text edits): `start` at its first
	 * character (a quote, `{`, `[` or `|` included), `end` just past its last (a closing
	 * quote included; a block scalar's trailing line breaks too). An alias's target keeps its
	 * own range. */
	size_t start;
	size_t end;
	const char *tag;     /* explicit tag ("!!str"), or NULL */
	const char *anchor;  /* anchor name, or NULL */
	union {
		struct {
			const char *text; /* NUL-terminated; `length` excludes the NUL (text may hold NULs) */
			size_t length;
			vg_scalar_style style;
		} scalar;
		struct {
			vg_pair *pairs;
			size_t count;
		} map;
		struct {
			vg_node **items;
			size_t count;
		} seq;
	} u;
};

/** Why reading failed: what, and where (line/column 0 when the whole file is the problem). */
typedef enum vg_yaml_error_kind {
	VG_YAML_OK = 0,
	VG_YAML_EIO,        /* cannot open/read the file */
	VG_YAML_ETOO_LARGE, /* over VG_YAML_MAX_BYTES */
	VG_YAML_EENCODING,  /* not UTF-8 (or a BOM for UTF-16/32) */
	VG_YAML_ESYNTAX,    /* libyaml's scanner/parser error */
	VG_YAML_EALIAS,     /* alias expansion over the bound, or an undefined alias */
	VG_YAML_EDEPTH,     /* nesting too deep */
	VG_YAML_EEMPTY,     /* no document, or an empty one */
	VG_YAML_EMULTI,     /* more than one document */
	VG_YAML_ENOMEM,
} vg_yaml_error_kind;

typedef struct vg_yaml_error {
	vg_yaml_error_kind kind;
	unsigned line;
	unsigned column;
	char message[400]; /* e.g. "did not find expected key while parsing a block mapping" */
} vg_yaml_error;

/**
 * Reads `length` bytes of `data` into a tree allocated from `arena`; `file` names it in
 * locations (copied into the arena). Returns the root, or NULL with `err` filled.
 */
vg_node *vg_yaml_parse(vg_arena *arena, const char *file, const char *data, size_t length,
                       vg_yaml_error *err);

/**
 * Reads a whole file (refusing files over VG_YAML_MAX_BYTES before reading them) into a
 * NUL-terminated malloc'ed buffer. Returns 0, or VG_YAML_EIO / ETOO_LARGE / ENOMEM with
 * `err` filled. The caller frees *out.
 */
int vg_yaml_read_file(char **out, size_t *out_len, const char *path, vg_yaml_error *err);

/* Helpers on the tree. */
/** The value of `key` in a mapping (the first pair with that key), or NULL. */
const vg_node *vg_map_get(const vg_node *map, const char *key);
/** The pair of `key` in a mapping (first one), or NULL; for the key's location. */
const vg_pair *vg_map_pair(const vg_node *map, const char *key);
/** The scalar text of a node, or NULL when it is not a scalar. */
const char *vg_scalar(const vg_node *node);
/** True for a plain scalar `null`, `Null`, `NULL`, `~` or empty. */
int vg_is_null(const vg_node *node);
/** Parses a YAML 1.1/1.2 boolean (true/false/yes/no/on/off, any case); 0 ok, -1 not a bool. */
int vg_scalar_bool(const vg_node *node, int *out);
/** Parses a plain or quoted integer scalar (decimal, optional sign); 0 ok, -1 not one. */
int vg_scalar_long(const vg_node *node, long long *out);
/** Parses a number; 0 ok, -1 not one. */
int vg_scalar_double(const vg_node *node, double *out);
/** "mapping" / "sequence" / "string" / "number" / "boolean" / "null": what a user would call it. */
const char *vg_node_describe(const vg_node *node);

#endif
