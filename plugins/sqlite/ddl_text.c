/*
 * ddl_text.c — SQLite's rules for SQL text on the drivers' shared vdc_text (driver_common.h):
 * schema-qualified names, and column defaults written so that SQLite reads back what the
 * blueprint declared.
 */
#include <ctype.h>
#include <string.h>

#include "sqlite_driver.h"

void vsq_text_qualified(vdc_text *t, const char *schema, const char *name)
{
	/* "main" is the default schema: left out, as SQLite itself writes it */
	int qualify = schema && *schema && strcmp(schema, "main") != 0;
	vdc_text_qualified(t, qualify ? schema : NULL, name, VSQ_QUOTE);
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
void vsq_text_default(vdc_text *t, const char *value, const char *type)
{
	static const char *const keywords[] = { "null", "true", "false" };
	size_t n = strlen(value);
	const char *clock = clock_keyword(value);
	int boolean = is_boolean_type(type) ? vdc_boolean_spelling(value) : -1;
	if (boolean >= 0)
		vdc_text_add(t, boolean ? "1" : "0");
	else if (clock)
		vdc_text_add(t, clock);
	else if (is_string_literal(value) || is_blob_literal(value) || vdc_is_sql_number(value) ||
	         is_one_of(value, keywords, sizeof keywords / sizeof keywords[0]) ||
	         (n >= 2 && value[0] == '(' && value[n - 1] == ')'))
		vdc_text_add(t, value);
	else if (is_function_call(value))
		vdc_text_printf(t, "(%s)", value);
	else
		vdc_text_literal(t, value);
}
