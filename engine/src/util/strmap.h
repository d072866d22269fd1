/* strmap.h — an open-addressing string -> pointer map on an arena (no deletion). */
#ifndef VG_STRMAP_H
#define VG_STRMAP_H

#include <stddef.h>

#include "arena.h"

typedef struct vg_strmap vg_strmap;

/** A map sized for about `expected` keys (it grows as needed). NULL when memory runs out. */
vg_strmap *vg_strmap_new(vg_arena *arena, size_t expected);
/**
 * Inserts key -> value unless the key is present. Returns 1 when inserted, 0 when the key
 * was already there (`*existing`, if given, gets its value), -1 when memory runs out.
 * The key is not copied: it must live as long as the map.
 */
int vg_strmap_put(vg_strmap *map, const char *key, void *value, void **existing);
/** The value of a key, or NULL. */
void *vg_strmap_get(const vg_strmap *map, const char *key);
size_t vg_strmap_count(const vg_strmap *map);

#endif
