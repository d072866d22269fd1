/*
 * Unit tests of SHA-256 (engine/src/sha256.c): the NIST example vectors (FIPS 180-4 /
 * SHAVS "short" and "long" messages, one million 'a'), lengths around the 55/56/64-byte
 * padding boundaries compared with coreutils' sha256sum, and incremental updates in chunks
 * of every size giving the same digest as one call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

#include "check.h"

static void check_hex(const void *data, size_t size, const char *expected, const char *what)
{
	char out[65];
	memset(out, 'x', sizeof out);
	vg_sha256_hex(data, size, out);
	CHECK_MSG(strcmp(out, expected) == 0, "%s (%zu bytes): got %s, expected %s", what, size,
	          out, expected);
	CHECK(out[64] == '\0');
}

static void test_nist_vectors(void)
{
	check_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	          "empty");
	check_hex(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	          "NULL, 0");
	check_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	          "abc");
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	CHECK_INT(strlen(m448) * 8, 448);
	check_hex(m448, strlen(m448),
	          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "448-bit");
	const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	                   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	CHECK_INT(strlen(m896) * 8, 896);
	check_hex(m896, strlen(m896),
	          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1", "896-bit");

	size_t million = 1000000;
	char *a = malloc(million);
	if (!CHECK(a != NULL))
		return;
	memset(a, 'a', million);
	check_hex(a, million, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	          "one million 'a'");
	/* The same through 1000 updates of 1000 bytes (FIPS's example feeds it that way too). */
	vg_sha256 ctx;
	unsigned char digest[32];
	vg_sha256_init(&ctx);
	for (size_t i = 0; i < 1000; i++)
		vg_sha256_update(&ctx, a + i * 1000, 1000);
	vg_sha256_final(&ctx, digest);
	CHECK(digest[0] == 0xcd && digest[1] == 0xc7 && digest[31] == 0xd0);
	free(a);
}

/* Byte i of the test messages: (i*31 + 7) mod 256, every byte value, NULs included. The
 * expected digests were computed with
 *   python3 -c "import sys; sys.stdout.buffer.write(bytes((i*31+7)%256 for i in range(N)))" \
 *     | sha256sum */
static void fill_pattern(unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)((i * 31 + 7) % 256);
}

static void test_block_boundaries(void)
{
	static const struct {
		size_t length;
		const char *digest;
	} cases[] = {
		{ 55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b" },
		{ 56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63" },
		{ 63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076" },
		{ 64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd" },
		{ 65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0" },
		{ 119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe" },
		{ 120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656" },
		{ 128, "cc548ca2dec1f6fe4f58b2e27aa9c7521607df1130d140b55a4dad0665302356" },
	};
	unsigned char buf[128];
	fill_pattern(buf, sizeof buf);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_hex(buf, cases[i].length, cases[i].digest, "pattern");
}

/* Every way of cutting a message into equal chunks gives the one-call digest. */
static void test_incremental(void)
{
	unsigned char buf[300];
	fill_pattern(buf, sizeof buf);
	unsigned char whole[32];
	vg_sha256 ctx;
	vg_sha256_init(&ctx);
	vg_sha256_update(&ctx, buf, sizeof buf);
	vg_sha256_final(&ctx, whole);
	int all_same = 1;
	for (size_t chunk = 1; chunk <= sizeof buf; chunk++) {
		unsigned char part[32];
		vg_sha256_init(&ctx);
		for (size_t at = 0; at < sizeof buf; at += chunk) {
			size_t n = sizeof buf - at < chunk ? sizeof buf - at : chunk;
			vg_sha256_update(&ctx, buf + at, n);
			vg_sha256_update(&ctx, buf, 0); /* empty updates change nothing */
		}
		vg_sha256_final(&ctx, part);
		if (memcmp(part, whole, sizeof whole) != 0) {
			fprintf(stderr, "chunks of %zu bytes give another digest\n", chunk);
			all_same = 0;
		}
	}
	CHECK(all_same);
}

/* A migration's text as the checksum sees it (what `printf '%s' "$up" | sha256sum` gives). */
static void test_migration_text(void)
{
	const char *up = "CREATE TABLE t (id integer PRIMARY KEY, name varchar(20));\n"
	                 "INSERT INTO t VALUES (1, 'é');";
	check_hex(up, strlen(up), "c91ed8bb62c92053893035cf2ae212ea8cfcc1277afe05902d224b650eff64c5",
	          "migration text");
}

int main(void)
{
	test_nist_vectors();
	test_block_boundaries();
	test_incremental();
	test_migration_text();
	return CHECK_SUMMARY();
}
