/*
 * schema_version.c — structure.schema-version: `schema_version` is given, is a
 * "MAJOR.MINOR.PATCH" string, and names a major version this vigil reads.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "structure.h"

/* The blueprint format majors this vigil reads. */
enum { SUPPORTED_MAJOR = 1, VERSION_CAP = 64 };

/* Reads "MAJOR.MINOR.PATCH" (digits only); 0 and the parts, or -1 with how many it found. */
static int parse_version(const char *s, unsigned long part[3], int *parts_found)
{
	int n = 0;
	const char *p = s;
	for (;;) {
		if (!isdigit((unsigned char)*p) || n == 3)
			break;
		char *end;
		part[n++] = strtoul(p, &end, 10);
		p = end;
		if (*p != '.')
			break;
		p++;
	}
	*parts_found = n;
	return n == 3 && *p == '\0' ? 0 : -1;
}

static int is_digits(const char *s, const char *end)
{
	if (s == end)
		return 0;
	for (; s < end; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* "1" → "1.0.0", "1.2" → "1.2.0"; NULL when the value is not such a prefix. */
static int completed(char *out, size_t cap, const char *s)
{
	const char *dot = strchr(s, '.');
	size_t len = strlen(s);
	if (len + 5 > cap)
		return 0;
	if (!dot && is_digits(s, s + len)) {
		memcpy(out, s, len);
		memcpy(out + len, ".0.0", 5);
		return 1;
	}
	if (dot && is_digits(s, dot) && is_digits(dot + 1, s + len)) {
		memcpy(out, s, len);
		memcpy(out + len, ".0", 3);
		return 1;
	}
	return 0;
}

static int report(vigil_check_ctx *ctx, vigil_finding *f)
{
	return f || !ctx->out_of_memory ? 0 : -1;
}

int vg_structure_schema_version_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_node *root = ctx->root;
	if (!root || root->kind != VG_NODE_MAP)
		return 0;
	const vg_node *value = vg_map_get(root, "schema_version");
	vigil_finding *f;
	if (!value) {
		/* The generation pipeline's healer moves system.schema_version to the root, or
		 * adds 1.0.0: vigil reads the blueprint the same way and says so. */
		const vg_node *system = vg_map_get(root, "system");
		value = system && system->kind == VG_NODE_MAP ? vg_map_get(system, "schema_version")
		                                              : NULL;
		if (value) {
			f = vg_emit(
			        ctx, VG_SCHEMA_VERSION_ASSUMED, value,
			        "`schema_version` is under `system`: read as the blueprint's, as the "
			        "generation pipeline's healer does");
			vg_hint(f, "move `schema_version` to the top level of the file");
			if (report(ctx, f) < 0)
				return -1;
		} else {
			f = vg_emit(
			        ctx, VG_SCHEMA_VERSION_ASSUMED, root,
			        "the blueprint has no `schema_version`: read as \"%d.0.0\", as the "
			        "generation pipeline's healer does",
			        SUPPORTED_MAJOR);
			vg_detail(f, "vigil reads blueprints of schema_version %d.x.y",
			          SUPPORTED_MAJOR);
			vg_hint(f, "add `schema_version: \"%d.0.0\"` at the top of the file",
			        SUPPORTED_MAJOR);
			return report(ctx, f);
		}
	}
	if (value->kind != VG_NODE_SCALAR || vg_is_null(value)) {
		const char *found = vg_structure_found(value);
		f = vg_emit(
		        ctx, VG_SCHEMA_VERSION, value,
		        "`schema_version` must be a version string such as \"%d.0.0\", found %s",
		        SUPPORTED_MAJOR, found);
		vg_evidence(f, "\"MAJOR.MINOR.PATCH\"", found);
		vg_hint(f, "write `schema_version: \"%d.0.0\"`", SUPPORTED_MAJOR);
		return report(ctx, f);
	}
	const char *text = vg_scalar(value);
	char shown[VERSION_CAP];
	vg_structure_clip(shown, sizeof shown, text);
	unsigned long part[3] = { 0, 0, 0 };
	int parts;
	if (parse_version(text, part, &parts) != 0) {
		f = vg_emit(ctx, VG_SCHEMA_VERSION, value,
		            "`schema_version` `%s` is not of the form MAJOR.MINOR.PATCH", shown);
		vg_evidence(f, "MAJOR.MINOR.PATCH", shown);
		char fixed[VERSION_CAP];
		if (completed(fixed, sizeof fixed, text))
			vg_hint(f, "write %s", fixed);
		else
			vg_hint(f, "write it as three numbers, e.g. \"%d.0.0\"", SUPPORTED_MAJOR);
		return report(ctx, f);
	}
	if (part[0] != SUPPORTED_MAJOR) {
		f = vg_emit(ctx, VG_SCHEMA_VERSION, value, "`schema_version` %s is not supported",
		            shown);
		vg_detail(f, "this vigil reads schema_version %d.x.y", SUPPORTED_MAJOR);
		vg_evidence(f, "1.x.y", shown);
		vg_hint(f,
		        "write the blueprint for schema_version %d.0.0, or use a vigil that reads %lu.x.y",
		        SUPPORTED_MAJOR, part[0]);
		return report(ctx, f);
	}
	return 0;
}
