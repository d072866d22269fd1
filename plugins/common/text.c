/* text.c — a growing string for the SQL a driver builds (catalog queries, DDL). */
#include <ctype.h>
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

void vdc_text_end_statement(vdc_text *t)
{
	vdc_text_add(t, ";\n");
	if (t->end_count == VDC_MAX_STATEMENTS)
		t->failed = 1;
	else
		t->ends[t->end_count++] = t->len;
}

void vdc_text_append_statements(const vdc_text *t, const vigil_host *host, vigil_text_sink *out)
{
	if (t->failed || !t->data)
		return;
	size_t start = 0;
	for (size_t i = 0; i <= t->end_count; i++) {
		size_t end = i < t->end_count ? t->ends[i] : t->len;
		size_t n = end - start;
		size_t blank = 0;
		while (blank < n && isspace((unsigned char)t->data[start + blank]))
			blank++;
		if (blank < n) {
			char *piece = malloc(n + 1);
			if (!piece)
				return; /* the host then sees fewer statements than were made */
			memcpy(piece, t->data + start, n);
			piece[n] = '\0';
			host->text_append(out, piece);
			free(piece);
		}
		start = end;
	}
}

int vdc_default_sql(const vigil_host *host, const char *dialect, const char *type,
                    const char *value, char *buf, size_t size)
{
	if (!VIGIL_HOST_HAS(host, render_default)) {
		snprintf(buf, size, "the host cannot check defaults (ABI 1.3 needed)");
		return -1;
	}
	return host->render_default(dialect, type, value, buf, size);
}

/* Words of a type: letters, digits, '_', spaces, and '.' (schema.type). */
static const char *plain_words(const char *p)
{
	while (isalnum((unsigned char)*p) || *p == '_' || *p == ' ' || *p == '.')
		p++;
	return p;
}

/* Inside a type's parentheses: numbers, commas, spaces, and (MySQL's enum('a','b')) strings
 * holding no quote or backslash, so none can end early. The character after the list. */
static const char *plain_arguments(const char *p)
{
	for (;;) {
		if (isdigit((unsigned char)*p) || *p == ',' || *p == ' ') {
			p++;
		} else if (*p == '\'') {
			p++;
			while (*p && *p != '\'' && *p != '\\' && (unsigned char)*p >= 0x20)
				p++;
			if (*p != '\'')
				return p;
			p++;
		} else {
			return p;
		}
	}
}

int vdc_is_plain_type(const char *type)
{
	if (!type || !(isalpha((unsigned char)*type) || *type == '_'))
		return 0;
	const char *p = plain_words(type);
	if (*p == '(') {
		p = plain_arguments(p + 1);
		if (*p++ != ')')
			return 0;
		p = plain_words(p);
	}
	if (p[0] == '[' && p[1] == ']')
		p += 2;
	return *p == '\0';
}
