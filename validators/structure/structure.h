/*
 * structure.h — level 1 (structure) validators: the checks of the `structure` descriptor
 * (structure.c) and the few helpers they share.
 */
#ifndef VG_STRUCTURE_H
#define VG_STRUCTURE_H

#include <stddef.h>

#include "vigil/plugin.h"

#include "strmap.h"
#include "yaml_tree.h"

/* The checks; each is a vigil_check_def run function. */
int vg_structure_keys_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_structure_schema_version_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_structure_names_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_structure_component_types_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_structure_env_run(vigil_check_ctx *ctx, const vigil_host *host);
int vg_structure_ignore_run(vigil_check_ctx *ctx, const vigil_host *host);

/** What a node is, as a message says it: "a mapping", "a list", "a string", "null", ... */
const char *vg_structure_found(const vg_node *node);

/**
 * Copies `text` for quoting in a message: control characters become spaces, and text longer
 * than `cap - 1` bytes is cut at a UTF-8 boundary and ends in "...".
 */
void vg_structure_clip(char *out, size_t cap, const char *text);

/**
 * Whole-tree walks visit a node shared through YAML aliases once per context: returns 1 the
 * first time `node` is seen with `context` (always for nodes without an anchor), 0 after,
 * -1 when memory runs out. `seen` is a map the caller made on `arena`.
 */
int vg_structure_first_visit(vg_strmap *seen, vg_arena *arena, const vg_node *node,
                             const void *context);

/** A whole-tree walk: what it receives (`visited` for vg_structure_first_visit). */
typedef struct vg_tree_walk {
	vigil_check_ctx *ctx;
	vg_arena *scratch;
	vg_strmap *visited;
} vg_tree_walk;

/**
 * Runs `walk` over the blueprint's YAML tree with a scratch arena and visited map made
 * for it (and freed after). 0 when there is no tree; else what `walk` returns (0, or -1
 * when memory ran out).
 */
int vg_structure_walk_tree(vigil_check_ctx *ctx, int (*walk)(vg_tree_walk *w, const vg_node *node));

/**
 * For findings about nodes inside alias-shared parts (which a walk over the model meets once
 * per use): 1 the first time `node` is passed, 0 after, -1 when memory runs out.
 */
int vg_structure_first_report(vg_strmap *seen, vg_arena *arena, const vg_node *node);

#endif
