/*
 * ddl_text.c — building SQL text: a growing buffer, quoted names and literals, and column
 * defaults written so that SQLite reads back what the blueprint declared.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_driver.h"

static int reserve(vsq_text *t, size_t more)
{
	if (t->failed)
		return -1;
	if (t->length + more + 1 <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap : 128;
	while (cap < t->length + more + 1)
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

void vsq_text_addn(vsq_text *t, const char *s, size_t n)
{
	if (reserve(t, n) != 0)
		return;
	memcpy(t->data + t->length, s, n);
	t->length += n;
	t->data[t->length] = '\0';
}

void vsq_text_add(vsq_text *t, const char *s)
{
	vsq_text_addn(t, s, strlen(s));
}

void vsq_text_printf(vsq_text *t, const char *fmt, ...)
{
	va_list ap, copy;
	va_start(ap, fmt);
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		t->failed = 1;
	} else if (reserve(t, (size_t)n) == 0) {
		vsnprintf(t->data + t->length, (size_t)n + 1, fmt, ap);
		t->length += (size_t)n;
	}
	va_end(ap);
}

/* `open` text `open`, with `open` doubled inside. */
static void add_quoted(vsq_text *t, const char *text, char quote)
{
	char q[2] = { quote, '\0' };
	vsq_text_add(t, q);
	for (const char *p = text; *p;) {
		size_t run = strcspn(p, q);
		vsq_text_addn(t, p, run);
		p += run;
		if (*p == quote) {
			vsq_text_add(t, q);
			vsq_text_add(t, q);
			p++;
		}
	}
	vsq_text_add(t, q);
}

void vsq_text_ident(vsq_text *t, const char *name)
{
	add_quoted(t, name, '"');
}

void vsq_text_literal(vsq_text *t, const char *text)
{
	add_quoted(t, text, '\'');
}

void vsq_text_qualified(vsq_text *t, const char *schema, const char *name)
{
	if (schema && *schema && strcmp(schema, "main") != 0) {
		vsq_text_ident(t, schema);
		vsq_text_add(t, ".");
	}
	vsq_text_ident(t, name);
}

void vsq_text_ident_list(vsq_text *t, const char *const *names, size_t count)
{
	vsq_text_add(t, "(");
	for (size_t i = 0; i < count; i++) {
		if (i)
			vsq_text_add(t, ", ");
		vsq_text_ident(t, names[i]);
	}
	vsq_text_add(t, ")");
}

void vsq_text_free(vsq_text *t)
{
	free(t->data);
	memset(t, 0, sizeof *t);
}

/* ---- defaults --------------------------------------------------------------------------- */

int vsq_equals_ignoring_case(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

static int is_one_of(const char *value, const char *const *words, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (vsq_equals_ignoring_case(value, words[i]))
			return 1;
	return 0;
}

/* 'text' with any inner quote doubled: a complete SQL string literal. */
static int is_string_literal(const char *v)
{
	size_t n = strlen(v);
	if (n < 2 || v[0] != '\'' || v[n - 1] != '\'')
		return 0;
	for (size_t i = 1; i + 1 < n; i++)
		if (v[i] == '\'' && v[++i] != '\'')
			return 0;
	return 1;
}

/* x'0A1B': a blob literal. */
static int is_blob_literal(const char *v)
{
	if ((v[0] != 'x' && v[0] != 'X') || !is_string_literal(v + 1))
		return 0;
	for (const char *p = v + 2; p[1]; p++)
		if (!isxdigit((unsigned char)*p))
			return 0;
	return 1;
}

/* [+-] digits [. digits] [e [+-] digits]: SQLite's signed-number. */
static int is_number(const char *v)
{
	const char *p = v + (*v == '+' || *v == '-');
	int digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		p += *p == '+' || *p == '-';
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

/* name(...): a function call, which SQLite accepts as a default only in parentheses. */
static int is_function_call(const char *v)
{
	const char *p = v;
	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '(' && v[strlen(v) - 1] == ')';
}

/* What other databases call the clock, in SQLite's keywords; NULL when not a clock. */
static const char *clock_keyword(const char *v)
{
	static const char *const timestamp[] = { "current_timestamp", "current_timestamp()", "now()",
		                                     "localtimestamp", "localtimestamp()",
		                                     "transaction_timestamp()" };
	static const char *const date[] = { "current_date", "current_date()", "curdate()" };
	static const char *const time[] = { "current_time", "current_time()", "curtime()" };
	if (is_one_of(v, timestamp, sizeof timestamp / sizeof timestamp[0]))
		return "CURRENT_TIMESTAMP";
	if (is_one_of(v, date, sizeof date / sizeof date[0]))
		return "CURRENT_DATE";
	if (is_one_of(v, time, sizeof time / sizeof time[0]))
		return "CURRENT_TIME";
	return NULL;
}

/* 1 / 0 for a boolean spelling, -1 otherwise. */
static int boolean_value(const char *v)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "on", "1" };
	static const char *const no[] = { "false", "f", "no", "n", "off", "0" };
	if (is_one_of(v, yes, sizeof yes / sizeof yes[0]))
		return 1;
	if (is_one_of(v, no, sizeof no / sizeof no[0]))
		return 0;
	return -1;
}

static int is_boolean_type(const char *type)
{
	return type &&
	       (vsq_equals_ignoring_case(type, "boolean") || vsq_equals_ignoring_case(type, "bool"));
}

/*
 * A default as declared: literals and expressions pass through; the clock in SQLite's
 * keywords; booleans of a boolean column as 1/0 (how SQLite stores them); a function call
 * in the parentheses SQLite requires; any other text as a string literal.
 */
void vsq_text_default(vsq_text *t, const char *value, const char *type)
{
	static const char *const keywords[] = { "null", "true", "false" };
	size_t n = strlen(value);
	const char *clock = clock_keyword(value);
	int boolean = is_boolean_type(type) ? boolean_value(value) : -1;
	if (boolean >= 0)
		vsq_text_add(t, boolean ? "1" : "0");
	else if (clock)
		vsq_text_add(t, clock);
	else if (is_string_literal(value) || is_blob_literal(value) || is_number(value) ||
	         is_one_of(value, keywords, sizeof keywords / sizeof keywords[0]) ||
	         (n >= 2 && value[0] == '(' && value[n - 1] == ')'))
		vsq_text_add(t, value);
	else if (is_function_call(value))
		vsq_text_printf(t, "(%s)", value);
	else
		vsq_text_literal(t, value);
}
