#include "strmap.h"

#include <stdint.h>
#include <string.h>

typedef struct vg_slot {
	const char *key;
	void *value;
	uint64_t hash;
} vg_slot;

struct vg_strmap {
	vg_arena *arena;
	vg_slot *slots;
	size_t capacity; /* power of two */
	size_t count;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static int resize(vg_strmap *map, size_t capacity)
{
	vg_slot *slots = vg_arena_array(map->arena, capacity, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < map->capacity; i++) {
		vg_slot *old = &map->slots[i];
		if (!old->key)
			continue;
		size_t j = old->hash & (capacity - 1);
		while (slots[j].key)
			j = (j + 1) & (capacity - 1);
		slots[j] = *old;
	}
	map->slots = slots;
	map->capacity = capacity;
	return 0;
}

vg_strmap *vg_strmap_new(vg_arena *arena, size_t expected)
{
	vg_strmap *map = vg_arena_alloc(arena, sizeof *map);
	if (!map)
		return NULL;
	map->arena = arena;
	size_t capacity = 16;
	while (capacity < expected * 2)
		capacity *= 2;
	if (resize(map, capacity) != 0)
		return NULL;
	return map;
}

int vg_strmap_put(vg_strmap *map, const char *key, void *value, void **existing)
{
	if ((map->count + 1) * 2 > map->capacity && resize(map, map->capacity * 2) != 0)
		return -1;
	uint64_t h = hash_str(key);
	size_t j = h & (map->capacity - 1);
	while (map->slots[j].key) {
		if (map->slots[j].hash == h && strcmp(map->slots[j].key, key) == 0) {
			if (existing)
				*existing = map->slots[j].value;
			return 0;
		}
		j = (j + 1) & (map->capacity - 1);
	}
	map->slots[j].key = key;
	map->slots[j].value = value;
	map->slots[j].hash = h;
	map->count++;
	return 1;
}

void *vg_strmap_get(const vg_strmap *map, const char *key)
{
	if (!map || !key)
		return NULL;
	uint64_t h = hash_str(key);
	size_t j = h & (map->capacity - 1);
	while (map->slots[j].key) {
		if (map->slots[j].hash == h && strcmp(map->slots[j].key, key) == 0)
			return map->slots[j].value;
		j = (j + 1) & (map->capacity - 1);
	}
	return NULL;
}

size_t vg_strmap_count(const vg_strmap *map)
{
	return map->count;
}
