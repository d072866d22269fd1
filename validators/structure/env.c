/*
 * env.c — structure.env: every `${VAR}` in a string is closed and names a valid variable
 * (VG119) that is set in the environment (VG118). `$${` is a literal `${`.
 *
 * Only the variable's name is ever printed, never its value.
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "structure.h"

enum { SHOWN_CAP = 64, MAX_NAME = 255 };

static int is_name_start(int ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
}

static int is_name_char(int ch)
{
	return is_name_start(ch) || (ch >= '0' && ch <= '9');
}

static int valid_name(const char *s, size_t len)
{
	if (len == 0 || len > MAX_NAME || !is_name_start((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!is_name_char((unsigned char)s[i]))
			return 0;
	return 1;
}

static vigil_finding *report_unclosed(vigil_check_ctx *ctx, const vg_node *node, const char *ref)
{
	char shown[SHOWN_CAP];
	vg_structure_clip(shown, sizeof shown, ref);
	vigil_finding *f =
	        vg_emit(ctx, VG_ENV_MALFORMED, node, "`${` is not closed in `%s`", shown);
	vg_detail(f, "a reference is written ${NAME}, with a closing `}`");
	vg_hint(f, "add the missing `}`, or write `$${` for a literal `${`");
	return f;
}

static vigil_finding *report_bad_name(vigil_check_ctx *ctx, const vg_node *node, const char *name,
                                      size_t name_len)
{
	/* Only the name's bytes (up to `}`); longer than `shown` holds, the clip marks the cut. */
	char written[2 * SHOWN_CAP], shown[SHOWN_CAP];
	size_t n = name_len < sizeof written - 1 ? name_len : sizeof written - 1;
	memcpy(written, name, n);
	written[n] = '\0';
	vg_structure_clip(shown, sizeof shown, written);
	vigil_finding *f = vg_emit(ctx, VG_ENV_MALFORMED, node,
	                           "`${%s}` does not name a valid environment variable", shown);
	vg_detail(f,
	          "a variable name is letters, digits and `_`, not starting with a digit, "
	          "at most %d characters",
	          MAX_NAME);
	vg_hint(f, "fix the name, or write `$${` for a literal `${`");
	return f;
}

/* The database whose URL is `node`, or NULL. */
static const vg_database *url_database(const vigil_check_ctx *ctx, const vg_node *node)
{
	for (size_t i = 0; i < ctx->blueprint->database_count; i++)
		if (ctx->blueprint->databases[i].url_node == node)
			return &ctx->blueprint->databases[i];
	return NULL;
}

static vigil_finding *report_unset(vigil_check_ctx *ctx, const vg_node *node, const char *name)
{
	/* Offline, a URL is never used: its secrets are not needed (a pull request from a fork
	 * gets none), so the URL is only left unexpanded. */
	const vg_database *db = ctx->offline ? url_database(ctx, node) : NULL;
	if (db) {
		vigil_finding *f = vg_emit(ctx, VG_ENV_NOT_EXPANDED, node,
		                           "database '%s': its URL was not expanded, ${%s} is not "
		                           "set (offline: no database is contacted)",
		                           db->name, name);
		vg_object(f, db->name, NULL);
		vg_detail(f, "without --offline this is an error (VG118)");
		return f;
	}
	vigil_finding *f =
	        vg_emit(ctx, VG_ENV_UNDEFINED, node, "environment variable %s is not set", name);
	vg_detail(f, "the value refers to ${%s}", name);
	vg_hint(f, "export %s=… before running vigil, or remove the reference", name);
	return f;
}

/* Checks the references in one scalar; 0, or -1 when memory ran out. */
static int check_scalar(vigil_check_ctx *ctx, const vg_node *node)
{
	const char *text = node->u.scalar.text;
	size_t len = node->u.scalar.length;
	for (size_t i = 0; i + 1 < len; i++) {
		const char *dollar = memchr(text + i, '$', len - i - 1);
		if (!dollar)
			break;
		i = (size_t)(dollar - text);
		if (text[i + 1] == '$' && i + 2 < len && text[i + 2] == '{') {
			i += 2; /* `$${` is a literal `${` */
			continue;
		}
		if (text[i + 1] != '{')
			continue;
		const char *name = text + i + 2;
		const char *close = memchr(name, '}', len - (i + 2));
		if (!close)
			return report_unclosed(ctx, node, text + i) ? 0 : -1;
		size_t name_len = (size_t)(close - name);
		/* ${VAR:-default} and ${VAR-default}, as in a shell: the default stands in for an
		 * unset variable, so only the name before `:-` / `-` is checked. */
		const char *dash = memchr(name, '-', name_len);
		int has_default = 0;
		if (dash) {
			size_t cut = (size_t)(dash - name);
			if (cut > 0 && name[cut - 1] == ':')
				cut--;
			if (valid_name(name, cut)) {
				name_len = cut;
				has_default = 1;
			}
		}
		int emitted = 1; /* 0 when a finding could not be allocated */
		if (has_default) {
			/* defined either way */
		} else if (!valid_name(name, name_len)) {
			emitted = report_bad_name(ctx, node, name, name_len) != NULL;
		} else {
			char var[MAX_NAME + 1];
			memcpy(var, name, name_len);
			var[name_len] = '\0';
			if (!getenv(var))
				emitted = report_unset(ctx, node, var) != NULL;
		}
		if (!emitted)
			return -1;
		i = (size_t)(close - text);
	}
	return 0;
}

/* 0, or -1 when memory ran out. */
static int walk(vg_tree_walk *w, const vg_node *node)
{
	int first = vg_structure_first_visit(w->visited, w->scratch, node, NULL);
	if (first <= 0)
		return first;
	switch (node->kind) {
	case VG_NODE_SCALAR: return check_scalar(w->ctx, node);
	case VG_NODE_MAP:
		for (size_t i = 0; i < node->u.map.count; i++)
			if (walk(w, node->u.map.pairs[i].value) != 0)
				return -1;
		return 0;
	case VG_NODE_SEQ:
		for (size_t i = 0; i < node->u.seq.count; i++)
			if (walk(w, node->u.seq.items[i]) != 0)
				return -1;
		return 0;
	}
	return 0;
}

int vg_structure_env_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	return vg_structure_walk_tree(ctx, walk); /* alias-shared nodes scanned once */
}
