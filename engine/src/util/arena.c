#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Blocks grow geometrically so a 10,000-component blueprint needs few mallocs. */
typedef struct vg_block {
	struct vg_block *next;
	size_t size;
	size_t used;
	max_align_t data[];
} vg_block;

struct vg_arena {
	vg_block *head;
	size_t next_size;
	size_t total;
};

enum { VG_ARENA_FIRST = 16 * 1024, VG_ARENA_MAX_BLOCK = 8 * 1024 * 1024 };

vg_arena *vg_arena_new(void)
{
	vg_arena *a = calloc(1, sizeof *a);
	if (a)
		a->next_size = VG_ARENA_FIRST;
	return a;
}

void vg_arena_free(vg_arena *arena)
{
	if (!arena)
		return;
	vg_block *b = arena->head;
	while (b) {
		vg_block *next = b->next;
		free(b);
		b = next;
	}
	free(arena);
}

void *vg_arena_alloc(vg_arena *arena, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	if (size > SIZE_MAX - align)
		return NULL;
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	vg_block *b = arena->head;
	if (!b || b->size - b->used < size) {
		size_t cap = arena->next_size;
		if (cap < size)
			cap = size;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->size = cap;
		b->used = 0;
		/* Keep filling the current head when the new block is a one-off large one. */
		if (arena->head && size > arena->next_size) {
			b->next = arena->head->next;
			arena->head->next = b;
		} else {
			b->next = arena->head;
			arena->head = b;
			if (arena->next_size < VG_ARENA_MAX_BLOCK)
				arena->next_size *= 2;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	arena->total += size;
	memset(p, 0, size);
	return p;
}

void *vg_arena_array(vg_arena *arena, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return vg_arena_alloc(arena, n * size);
}

char *vg_arena_strndup(vg_arena *arena, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *d = vg_arena_alloc(arena, n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

char *vg_arena_strdup(vg_arena *arena, const char *s)
{
	return s ? vg_arena_strndup(arena, s, strlen(s)) : NULL;
}

char *vg_arena_vprintf(vg_arena *arena, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	char *d = vg_arena_alloc(arena, (size_t)n + 1);
	if (d)
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	return d;
}

char *vg_arena_printf(vg_arena *arena, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *d = vg_arena_vprintf(arena, fmt, ap);
	va_end(ap);
	return d;
}

size_t vg_arena_used(const vg_arena *arena)
{
	return arena->total;
}
