/* arena.h — a bump allocator: everything a blueprint or report holds is freed at once. */
#ifndef VG_ARENA_H
#define VG_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct vg_arena vg_arena;

/** A new arena, or NULL when memory runs out. */
vg_arena *vg_arena_new(void);
/** Frees the arena and everything allocated from it. NULL is allowed. */
void vg_arena_free(vg_arena *arena);

/** Zeroed memory aligned for any type; NULL when memory runs out. */
void *vg_arena_alloc(vg_arena *arena, size_t size);
/** Zeroed array of n elements of size bytes; NULL on overflow or out of memory. */
void *vg_arena_array(vg_arena *arena, size_t n, size_t size);
/** Copies a string (NULL gives NULL). */
char *vg_arena_strdup(vg_arena *arena, const char *s);
/** Copies n bytes and NUL-terminates. */
char *vg_arena_strndup(vg_arena *arena, const char *s, size_t n);
/** printf into the arena. */
char *vg_arena_printf(vg_arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *vg_arena_vprintf(vg_arena *arena, const char *fmt, va_list ap);
/** Bytes handed out so far (for the benchmarks' memory figures). */
size_t vg_arena_used(const vg_arena *arena);

#endif
