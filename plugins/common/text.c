/* text.c — a growing string for the SQL a driver builds (catalog queries, DDL). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver_common.h"

static int reserve(vdc_text *t, size_t more)
{
	if (t->failed)
		return -1;
	if (t->len + more + 1 <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap : 256;
	while (cap < t->len + more + 1)
		cap *= 2;
	char *data = realloc(t->data, cap);
	if (!data) {
		t->failed = 1;
		return -1;
	}
	t->data = data;
	t->cap = cap;
	return 0;
}

void vdc_text_addn(vdc_text *t, const char *s, size_t n)
{
	if (reserve(t, n) != 0)
		return;
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

void vdc_text_add(vdc_text *t, const char *s)
{
	vdc_text_addn(t, s, strlen(s));
}

void vdc_text_printf(vdc_text *t, const char *fmt, ...)
{
	va_list ap, copy;
	va_start(ap, fmt);
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		t->failed = 1;
	} else if (reserve(t, (size_t)n) == 0) {
		vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
		t->len += (size_t)n;
	}
	va_end(ap);
}

/* `text` between `quote`s, each `quote` inside doubled. */
static void add_quoted(vdc_text *t, const char *text, char quote)
{
	vdc_text_addn(t, &quote, 1);
	for (const char *p = text; *p;) {
		const char *q = strchr(p, quote);
		size_t n = q ? (size_t)(q - p) : strlen(p);
		vdc_text_addn(t, p, n);
		if (!q)
			break;
		vdc_text_addn(t, &quote, 1);
		vdc_text_addn(t, &quote, 1);
		p = q + 1;
	}
	vdc_text_addn(t, &quote, 1);
}

void vdc_text_ident(vdc_text *t, const char *name, char quote)
{
	add_quoted(t, name, quote);
}

void vdc_text_qualified(vdc_text *t, const char *ns, const char *name, char quote)
{
	if (ns && *ns) {
		add_quoted(t, ns, quote);
		vdc_text_add(t, ".");
	}
	add_quoted(t, name, quote);
}

void vdc_text_ident_list(vdc_text *t, const char *const *names, size_t count, char quote)
{
	vdc_text_add(t, "(");
	for (size_t i = 0; i < count; i++) {
		if (i)
			vdc_text_add(t, ", ");
		add_quoted(t, names[i], quote);
	}
	vdc_text_add(t, ")");
}

void vdc_text_literal(vdc_text *t, const char *text)
{
	add_quoted(t, text, '\'');
}

const char *vdc_text_str(const vdc_text *t)
{
	return t->data && !t->failed ? t->data : "";
}

void vdc_text_free(vdc_text *t)
{
	free(t->data);
	memset(t, 0, sizeof *t);
}
