/* suggest.h — "did you mean": the closest candidate to a misspelt word. */
#ifndef VG_SUGGEST_H
#define VG_SUGGEST_H

#include <stddef.h>

/**
 * The candidate closest to `word` by edit distance (case-insensitive, transpositions count
 * as one edit), or NULL when none is close enough to be a plausible typo (distance at most
 * a third of the word's length, and at least 1 allowed; a case-only difference always counts).
 */
const char *vg_suggest(const char *word, const char *const *candidates, size_t count);

/** Edit distance (optimal string alignment), case-insensitive; capped at 255. */
unsigned vg_edit_distance(const char *a, const char *b);

#endif
