/*
 * component_types.c — structure.component-types: every component's `type` is one of the
 * known component types, spelt exactly (VG116), with "did you mean" for near misses
 * (`api_endpoint` and `store` suggest `APIEndpoint` and `Store`).
 *
 * Reads the tree (system.components), so messages can number components as written.
 */
#include <stdio.h>
#include <string.h>

#include "grammar.h"
#include "run.h"
#include "structure.h"
#include "suggest.h"

enum { SHOWN_CAP = 64, KNOWN_CAP = 320 };

static const vg_node *map_get(const vg_node *map, const char *key)
{
	return map && map->kind == VG_NODE_MAP ? vg_map_get(map, key) : NULL;
}

static int is_known(const char *type)
{
	for (size_t i = 0; i < vg_grammar_component_type_count; i++)
		if (strcmp(type, vg_grammar_component_types[i]) == 0)
			return 1;
	return 0;
}

static vigil_finding *report_unknown(vigil_check_ctx *ctx, const vg_node *component, size_t number,
                                     const vg_node *type_node)
{
	const char *type = vg_scalar(type_node);
	char shown[SHOWN_CAP], name[SHOWN_CAP], known[KNOWN_CAP];
	vg_structure_clip(shown, sizeof shown, type);
	const char *component_name = vg_scalar(map_get(component, "name"));
	if (component_name && *component_name) {
		char clipped[SHOWN_CAP - 4];
		vg_structure_clip(clipped, sizeof clipped, component_name);
		snprintf(name, sizeof name, " (%s)", clipped);
	} else {
		name[0] = '\0';
	}
	size_t len = 0;
	known[0] = '\0';
	for (size_t i = 0; i < vg_grammar_component_type_count && len + 1 < sizeof known; i++) {
		int n = snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
		                 vg_grammar_component_types[i]);
		if (n > 0)
			len += (size_t)n;
	}
	vigil_finding *f = vg_emit(ctx, VG_UNKNOWN_TYPE, type_node,
	                           "component #%zu%s has an unknown type `%s`", number, name,
	                           shown);
	vg_detail(f, "the known component types are: %s", known);
	const char *close =
	        vg_suggest(type, vg_grammar_component_types, vg_grammar_component_type_count);
	if (close)
		vg_hint(f, "did you mean `%s`?", close);
	else
		vg_hint(f, "use one of the known types (they are case-sensitive)");
	return f;
}

int vg_structure_component_types_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_node *components = map_get(map_get(ctx->root, "system"), "components");
	if (!ctx->blueprint || !components || components->kind != VG_NODE_SEQ)
		return 0;         /* structure.keys reports a missing or misshapen list */
	vg_arena *scratch = NULL; /* made at the first unknown type: remembers reported nodes */
	vg_strmap *reported = NULL;
	int rc = 0;
	for (size_t i = 0; i < components->u.seq.count && rc == 0; i++) {
		const vg_node *component = components->u.seq.items[i];
		const vg_node *type = map_get(component, "type");
		if (!type || type->kind != VG_NODE_SCALAR || vg_is_null(type) ||
		    is_known(vg_scalar(type)))
			continue;
		if (!scratch) {
			scratch = vg_arena_new();
			reported = scratch ? vg_strmap_new(scratch, 16) : NULL;
			if (!reported) {
				rc = -1;
				break;
			}
		}
		int first = vg_structure_first_report(reported, scratch, type);
		if (first < 0 || (first == 1 && !report_unknown(ctx, component, i + 1, type)))
			rc = -1;
	}
	vg_arena_free(scratch);
	return rc;
}
