/* pg_text.c — a growable string for SQL the driver builds (catalog queries, DDL). */
#include <stdlib.h>
#include <string.h>

#include "pg_internal.h"

void pg_text_free(pg_text *t)
{
	free(t->data);
	t->data = NULL;
	t->len = t->cap = 0;
}

void pg_text_addn(pg_text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *bigger = realloc(t->data, cap);
		if (!bigger) {
			t->failed = 1;
			return;
		}
		t->data = bigger;
		t->cap = cap;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

void pg_text_add(pg_text *t, const char *s)
{
	pg_text_addn(t, s, strlen(s));
}

/* Appends `s` between `quote`s, each `quote` inside doubled. */
static void add_quoted(pg_text *t, const char *s, char quote)
{
	pg_text_addn(t, &quote, 1);
	for (const char *p = s; *p;) {
		const char *q = strchr(p, quote);
		size_t n = q ? (size_t)(q - p) : strlen(p);
		pg_text_addn(t, p, n);
		if (!q)
			break;
		pg_text_addn(t, &quote, 1);
		pg_text_addn(t, &quote, 1);
		p = q + 1;
	}
	pg_text_addn(t, &quote, 1);
}

void pg_text_ident(pg_text *t, const char *name)
{
	add_quoted(t, name, '"');
}

void pg_text_qualified(pg_text *t, const char *ns, const char *name)
{
	if (ns && *ns) {
		pg_text_ident(t, ns);
		pg_text_add(t, ".");
	}
	pg_text_ident(t, name);
}

void pg_text_literal(pg_text *t, const char *s)
{
	add_quoted(t, s, '\'');
}

const char *pg_text_str(const pg_text *t)
{
	return t->data && !t->failed ? t->data : "";
}
