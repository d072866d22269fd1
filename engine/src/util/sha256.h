/*
 * sha256.h — SHA-256 (FIPS 180-4), for the checksums of applied migrations.
 *
 * A small, self-contained implementation: none of vigil's dependencies exposes one to the
 * engine (the client libraries live in driver plugins). No state outside the context the
 * caller holds, so every function is thread-safe.
 */
#ifndef VG_SHA256_H
#define VG_SHA256_H

#include <stddef.h>
#include <stdint.h>

/** A running hash: vg_sha256_init, any number of vg_sha256_update, vg_sha256_final. */
typedef struct vg_sha256 {
	uint32_t state[8];
	uint64_t length;        /* bytes hashed so far */
	unsigned char block[64];
	size_t used;            /* bytes waiting in `block` */
} vg_sha256;

void vg_sha256_init(vg_sha256 *ctx);
void vg_sha256_update(vg_sha256 *ctx, const void *data, size_t size);
/** Writes the 32-byte digest; the context must be initialised again before reuse. */
void vg_sha256_final(vg_sha256 *ctx, unsigned char digest[32]);

/**
 * The SHA-256 of `size` bytes at `data` (NULL allowed when size is 0) as 64 lower-case hex
 * digits and a NUL in `out`.
 */
void vg_sha256_hex(const void *data, size_t size, char out[65]);

#endif
