/*
 * blueprint_heal.h — healing a blueprint's level 1–2 findings where the fix is unambiguous,
 * as minimal text edits at the byte ranges the YAML reader recorded, so comments, quoting
 * and indentation outside the edits survive byte for byte.
 *
 * What is healed (and nothing else):
 *  - VG130 schema_version missing (an info: the generation pipeline assumes 1.0.0):
 *    `schema_version: "1.0.0"` inserted before the root's
 *    first key (after any leading comments); a major-1 version with parts missing completed
 *    ("1" and "1.0" → "1.0.0", "1.2" → "1.2.0");
 *  - VG116 a component type that matches exactly one known type when case and separators are
 *    ignored (`api_endpoint` → `APIEndpoint`, `store` → `Store`);
 *  - VG117 an unknown key whose finding says "did you mean `X`?", X at edit distance 1–2 (or
 *    differing only in case/separators) and no other known key as close, X not already given
 *    in the same mapping; and the pool spellings of the other dialect (`pool: {min_size,
 *    max_size}` → `min`, `max`; `connection_pool: {min, max}` → `min_size`, `max_size`);
 *  - VG112 a binding's singular/plural respelt (`to_component: [a, b]` → `to_components`,
 *    `to_ports: input` → `to_port`, and the other way round).
 * Every patch is proved before it is offered: the healed text is validated again at levels
 * 1–2 and must lose the fixed findings and gain none; an edit that breaks that is dropped.
 */
#ifndef VG_BLUEPRINT_HEAL_H
#define VG_BLUEPRINT_HEAL_H

#include <stddef.h>

#include <vigil/vigil.h>

#include "arena.h"
#include "yaml_tree.h"

typedef struct vg_blueprint_edit {
	size_t offset, length; /* byte range of the original text replaced */
	const char *replacement;
	const char *code;        /* the finding code it fixes, e.g. "VG113" */
	unsigned line, column;   /* where, 1-based (column in characters, as findings count) */
	const char *description; /* "schema_version \"1.0\" → \"1.0.0\"" */
} vg_blueprint_edit;

/* `diff` is "" when there is no edit. <name> is the base name of `path`: apply the diff with
 * `patch -p1` (or `git apply`) in the blueprint's folder. `skipped` counts the findings of the
 * healed kinds left alone: ambiguous, not editable in place, or an edit that did not
 * re-validate. */
typedef struct vg_blueprint_patch {
	const char *text;
	size_t length;    /* the healed blueprint (NUL-terminated); the input when no edit */
	const char *diff; /* unified diff, "--- a/<name>" "+++ b/<name>.healed" */
	vg_blueprint_edit *edits;
	size_t edit_count; /* 0: nothing unambiguous to fix */
	size_t skipped;
} vg_blueprint_patch;

/**
 * Edits for the unambiguous level 1–2 findings of `report` (a finished report of this text)
 * on blueprint `text` (file `path`, parsed as `root`). Everything from `arena`. 0, or a
 * negative VIGIL_E* code. Does not write files.
 */
int vg_blueprint_heal(vg_arena *arena, const char *path, const char *text, size_t length,
                      const vg_node *root, const vigil_report *report, vg_blueprint_patch *out);

/**
 * The unified diff between `old_text` and `new_text` = `old_text` with `edits` (sorted by
 * offset, not overlapping) applied, 3 lines of context, headers "--- a/<name>" and
 * "+++ b/<name>.healed". NULL when memory runs out. (Used by vg_blueprint_heal.)
 */
char *vg_blueprint_diff(vg_arena *arena, const char *name, const char *old_text, size_t old_length,
                        const vg_blueprint_edit *edits, size_t edit_count);

#endif
