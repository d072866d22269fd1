/* shape.c — helpers the level-1 checks share: naming what they found, clipping quoted text,
 * visiting alias-shared nodes once. */
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "strmap.h"
#include "structure.h"

const char *vg_structure_found(const vg_node *node)
{
	if (!node)
		return "nothing";
	if (node->kind == VG_NODE_MAP)
		return "a mapping";
	if (node->kind == VG_NODE_SEQ)
		return "a list";
	const char *what = vg_node_describe(node); /* honours quotes and tags */
	if (strcmp(what, "null") == 0)
		return "null";
	if (strcmp(what, "boolean") == 0)
		return "a boolean";
	if (strcmp(what, "number") == 0)
		return "a number";
	return "a string";
}

void vg_structure_clip(char *out, size_t cap, const char *text)
{
	static const char ellipsis[] = "...";
	if (cap == 0)
		return;
	if (!text)
		text = "";
	size_t len = strlen(text);
	size_t keep = len;
	if (len >= cap) {
		keep = cap > sizeof ellipsis ? cap - sizeof ellipsis : 0;
		/* Never split a UTF-8 sequence: back off over continuation bytes. */
		while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
			keep--;
	}
	for (size_t i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)text[i];
		out[i] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
	}
	if (keep < len && cap > sizeof ellipsis)
		memcpy(out + keep, ellipsis, sizeof ellipsis);
	else
		out[keep] = '\0';
}

/* Records (node, context) in `seen`: 1 when new, 0 when already there, -1 out of memory. */
static int remember(vg_strmap *seen, vg_arena *arena, const vg_node *node, const void *context)
{
	char *key = vg_arena_printf(arena, "%p/%p", (const void *)node, context);
	if (!key)
		return -1;
	int rc = vg_strmap_put(seen, key, (void *)node, NULL);
	return rc < 0 ? -1 : rc;
}

int vg_structure_first_visit(vg_strmap *seen, vg_arena *arena, const vg_node *node,
                             const void *context)
{
	if (!node->anchor)
		return 1; /* only anchored nodes can be reached twice */
	return remember(seen, arena, node, context);
}

int vg_structure_first_report(vg_strmap *seen, vg_arena *arena, const vg_node *node)
{
	return node ? remember(seen, arena, node, NULL) : 1;
}

int vg_structure_walk_tree(vigil_check_ctx *ctx, int (*walk)(vg_tree_walk *w, const vg_node *node))
{
	if (!ctx->blueprint || !ctx->root)
		return 0;
	vg_tree_walk w = { ctx, vg_arena_new(), NULL };
	if (!w.scratch)
		return -1;
	w.visited = vg_strmap_new(w.scratch, 16);
	int rc = w.visited ? walk(&w, ctx->root) : -1;
	vg_arena_free(w.scratch);
	return rc;
}
