/*
 * fuzz_url.c — the database URL parser and the redaction that guards every printed URL.
 *
 * Besides not crashing, one property is checked because a failure would leak a secret: when
 * a URL has a user-info password that is long and distinctive enough to search for (8+ bytes,
 * no '*', occurring once in the text), the redacted text must not contain it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "url.h"

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_url: %s\n", what);
	abort();
}

static size_t occurrences(const char *haystack, const char *needle, size_t n)
{
	size_t count = 0;
	for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p++)
		if (++count > n)
			break;
	return count;
}

static void check_redaction(vg_arena *arena, const char *text)
{
	char *redacted = vg_url_redact(arena, text);
	if (!redacted)
		return; /* out of memory */
	size_t start = 0, length = 0;
	if (!vg_url_password_span(text, &start, &length))
		return;
	if (start > strlen(text) || length > strlen(text) - start)
		fuzz_fail("password span outside the text");
	if (length < 8)
		return;
	char *secret = vg_arena_strndup(arena, text + start, length);
	if (!secret || strchr(secret, '*') || occurrences(text, secret, 1) != 1)
		return;
	if (strstr(redacted, secret))
		fuzz_fail("vg_url_redact left the user-info password in its output");
}

static void check_parse(vg_arena *arena, const char *text)
{
	vg_url *url = NULL;
	vg_url_error err;
	memset(&err, 0, sizeof err);
	if (vg_url_parse(&url, arena, text, &err) != 0) {
		if (url)
			fuzz_fail("vg_url_parse failed but set *out");
		if (err.position > strlen(text))
			fuzz_fail("error position past the end of the text");
		if (!memchr(err.message, '\0', sizeof err.message))
			fuzz_fail("error message not NUL-terminated");
		return;
	}
	if (!url)
		fuzz_fail("vg_url_parse succeeded without a URL");
	if (url->port < 0 || url->port > 65535)
		fuzz_fail("port out of range");
	for (size_t i = 0; i < url->param_count; i++) {
		if (!url->params[i].key || !url->params[i].value)
			fuzz_fail("query parameter without key or value");
		(void)vg_url_param_get(url, url->params[i].key);
	}
	(void)vg_url_param_get(url, "sslmode");
	if (url->scheme)
		(void)vg_url_scheme_type(url->scheme);
	(void)vg_url_sqlite_file(arena, url, "/base/dir");
	(void)vg_url_sqlite_file(arena, url, "");
	(void)vg_url_sqlite_file(arena, url, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The parser takes C strings: stop at the first NUL, as any caller's string would. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	vg_arena *arena = vg_arena_new();
	if (arena) {
		check_parse(arena, text);
		check_redaction(arena, text);
		(void)vg_url_scheme_type(text);
		vg_arena_free(arena);
	}
	free(text);
	return 0;
}
