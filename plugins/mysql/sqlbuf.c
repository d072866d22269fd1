/* sqlbuf.c — a growing text buffer for SQL, with MySQL identifier and literal quoting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mysql_driver.h"

static int reserve(vmy_buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *grown = realloc(b->data, cap);
	if (!grown) {
		b->failed = 1;
		return -1;
	}
	b->data = grown;
	b->cap = cap;
	return 0;
}

void vmy_buf_addn(vmy_buf *b, const char *text, size_t n)
{
	if (reserve(b, n) != 0)
		return;
	memcpy(b->data + b->len, text, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void vmy_buf_add(vmy_buf *b, const char *text)
{
	vmy_buf_addn(b, text, strlen(text));
}

void vmy_buf_printf(vmy_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(b, (size_t)n) != 0) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Appends `text` between `quote`s, doubling each `quote` (and each backslash if asked). */
static void add_quoted(vmy_buf *b, const char *text, char quote, int double_backslash)
{
	char q[2] = { quote, '\0' };
	vmy_buf_add(b, q);
	for (const char *p = text; *p; p++) {
		const char *run = p;
		while (*p && *p != quote && !(double_backslash && *p == '\\'))
			p++;
		vmy_buf_addn(b, run, (size_t)(p - run));
		if (!*p)
			break;
		char twice[3] = { *p, *p, '\0' };
		vmy_buf_add(b, twice);
	}
	vmy_buf_add(b, q);
}

void vmy_buf_ident(vmy_buf *b, const char *name)
{
	add_quoted(b, name, '`', 0);
}

void vmy_buf_table(vmy_buf *b, const char *namespace_, const char *table)
{
	if (namespace_ && *namespace_) {
		vmy_buf_ident(b, namespace_);
		vmy_buf_add(b, ".");
	}
	vmy_buf_ident(b, table);
}

void vmy_buf_literal(vmy_buf *b, const char *text)
{
	add_quoted(b, text, '\'', 1);
}

void vmy_buf_escaped(vmy_buf *b, MYSQL *mysql, const char *text)
{
	size_t n = strlen(text);
	if (reserve(b, 2 * n + 3) != 0)
		return;
	char *at = b->data + b->len;
	*at++ = '\'';
	/* Escapes for the connection's charset; only doubles quotes under NO_BACKSLASH_ESCAPES. */
	unsigned long written = mysql_real_escape_string(mysql, at, text, (unsigned long)n);
	if (written == (unsigned long)-1) {
		b->failed = 1;
		return;
	}
	at[written] = '\'';
	b->len += written + 2;
	b->data[b->len] = '\0';
}

void vmy_buf_schema_filter(vmy_buf *b, MYSQL *mysql, const char *column, const char *namespace_)
{
	vmy_buf_add(b, column);
	vmy_buf_add(b, " = ");
	if (namespace_ && *namespace_)
		vmy_buf_escaped(b, mysql, namespace_);
	else
		vmy_buf_add(b, "DATABASE()");
}

void vmy_buf_free(vmy_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
