/*
 * ignore.c — structure.ignore: the blueprint's inline suppressions.
 *
 *   - name: legacy_notes
 *     x-vigil-ignore:
 *       - {code: VG405, reason: "read by the reporting job, outside this system"}
 *
 * An `x-vigil-ignore` list in a mapping suppresses the findings of each code it names that
 * are located inside that mapping (report_accept.h); they stay in the reports with the
 * reason. An entry without a code or a reason, or a value that is not such a list, is
 * VG640: a suppression must say why.
 */
#include <string.h>

#include "report_accept.h"
#include "run.h"
#include "structure.h"

#define IGNORE_KEY "x-vigil-ignore"

/* The start of the last node under `node` (itself when it has none). */
static void last_position(const vg_node *node, unsigned *line, unsigned *column)
{
	if (node->line > *line || (node->line == *line && node->column > *column)) {
		*line = node->line;
		*column = node->column;
	}
	if (node->kind == VG_NODE_MAP) {
		for (size_t i = 0; i < node->u.map.count; i++) {
			last_position(node->u.map.pairs[i].key, line, column);
			last_position(node->u.map.pairs[i].value, line, column);
		}
	} else if (node->kind == VG_NODE_SEQ) {
		for (size_t i = 0; i < node->u.seq.count; i++)
			last_position(node->u.seq.items[i], line, column);
	}
}

static int bad_entry(vg_tree_walk *w, const vg_node *at, const char *what)
{
	vigil_finding *f = vg_emit(w->ctx, VG_IGNORE_BAD, at, "`x-vigil-ignore` %s", what);
	if (!f)
		return -1;
	vg_hint(f,
	        "write it as `x-vigil-ignore: [{code: VG405, reason: \"why this is accepted\"}]`");
	return 0;
}

static const char *text_of(const vg_node *map, const char *key)
{
	const char *text = vg_scalar(vg_map_get(map, key));
	return text && text[strspn(text, " \t")] ? text : NULL;
}

/* The suppressions of one mapping's `x-vigil-ignore` value. 0, or -1 out of memory. */
static int collect(vg_tree_walk *w, const vg_node *map, const vg_node *list)
{
	vg_ignore ignore = { NULL, NULL, map->file, map->line, map->column, 0, 0 };

	if (list->kind != VG_NODE_SEQ)
		return bad_entry(w, list, "must be a list of {code, reason} entries");
	last_position(map, &ignore.end_line, &ignore.end_column);
	for (size_t i = 0; i < list->u.seq.count; i++) {
		const vg_node *entry = list->u.seq.items[i];
		if (entry->kind != VG_NODE_MAP) {
			if (bad_entry(w, entry, "entries are {code, reason} mappings") != 0)
				return -1;
			continue;
		}
		ignore.code = text_of(entry, "code");
		ignore.reason = text_of(entry, "reason");
		if (!ignore.code || !ignore.reason) {
			if (bad_entry(w, entry,
			              ignore.code
			                      ? "entry gives no reason (a suppression must say why)"
			                      : "entry names no code") != 0)
				return -1;
			continue;
		}
		if (vg_accept_add_ignore(w->ctx->report, &ignore) != VIGIL_OK)
			return -1;
	}
	return 0;
}

static int walk(vg_tree_walk *w, const vg_node *node)
{
	int first = vg_structure_first_visit(w->visited, w->scratch, node, NULL);
	if (first <= 0)
		return first;
	if (node->kind == VG_NODE_MAP) {
		for (size_t i = 0; i < node->u.map.count; i++) {
			const vg_pair *pair = &node->u.map.pairs[i];
			const char *key = vg_scalar(pair->key);
			if (key && strcmp(key, IGNORE_KEY) == 0) {
				if (collect(w, node, pair->value) != 0)
					return -1;
			} else if (walk(w, pair->value) != 0) {
				return -1;
			}
		}
	} else if (node->kind == VG_NODE_SEQ) {
		for (size_t i = 0; i < node->u.seq.count; i++)
			if (walk(w, node->u.seq.items[i]) != 0)
				return -1;
	}
	return 0;
}

int vg_structure_ignore_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	vg_accept_reset_ignores(ctx->report); /* level 1 may run again on a healed text */
	return vg_structure_walk_tree(ctx, walk);
}
