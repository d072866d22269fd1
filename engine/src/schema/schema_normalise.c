/*
 * schema_normalise.c — one spelling for what databases report in many: column defaults and
 * foreign-key actions (see schema.h). Types are normalised by sqltypes.c.
 */
#include "schema.h"

#include <ctype.h>
#include <string.h>

/* ---- scanning SQL expression text ----------------------------------------------------------- */

static int is_quote(char c)
{
	return c == '\'' || c == '"';
}

/* Index of the quote closing the literal that opens at `open`, or `end` when unterminated.
 * A doubled quote inside is an escaped quote. */
static size_t closing_quote(const char *s, size_t open, size_t end)
{
	char q = s[open];
	for (size_t i = open + 1; i < end; i++) {
		if (s[i] != q)
			continue;
		if (i + 1 < end && s[i + 1] == q) {
			i++;
			continue;
		}
		return i;
	}
	return end;
}

static void trim(const char *s, size_t *start, size_t *end)
{
	while (*start < *end && isspace((unsigned char)s[*start]))
		(*start)++;
	while (*end > *start && isspace((unsigned char)s[*end - 1]))
		(*end)--;
}

/* Whether s[start..end) is one parenthesised expression: "(0)", "((1))", not "(a) + (b)". */
static int wrapped_in_parens(const char *s, size_t start, size_t end)
{
	if (end - start < 2 || s[start] != '(' || s[end - 1] != ')')
		return 0;
	int depth = 0;
	for (size_t i = start; i < end; i++) {
		if (is_quote(s[i])) {
			i = closing_quote(s, i, end);
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i == end - 1;
	}
	return 0;
}

/* Position of the first "::" outside quotes and parentheses (a PostgreSQL cast), or end. */
static size_t top_level_cast(const char *s, size_t start, size_t end)
{
	int depth = 0;
	for (size_t i = start; i + 1 < end; i++) {
		if (is_quote(s[i])) {
			i = closing_quote(s, i, end);
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')')
			depth--;
		else if (depth == 0 && s[i] == ':' && s[i + 1] == ':')
			return i;
	}
	return end;
}

/* ---- values ----------------------------------------------------------------------------------- */

/* "0.00" -> "0", "+1.50" -> "1.5", "007" -> "7", "-0" -> "0"; NULL when `text` is not a plain
 * decimal number (exponents and hex are left as written). */
static const char *canonical_number(vg_arena *arena, const char *text, int *oom)
{
	const char *p = text;
	int negative = 0;
	if (*p == '+' || *p == '-')
		negative = *p++ == '-';
	const char *int_start = p;
	while (isdigit((unsigned char)*p))
		p++;
	const char *int_end = p;
	const char *frac_start = p, *frac_end = p;
	if (*p == '.') {
		frac_start = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		frac_end = p;
	}
	if (*p != '\0' || (int_end == int_start && frac_end == frac_start))
		return NULL;
	while (int_end - int_start > 1 && *int_start == '0')
		int_start++;
	while (frac_end > frac_start && frac_end[-1] == '0')
		frac_end--;
	int int_len = (int)(int_end - int_start), frac_len = (int)(frac_end - frac_start);
	int zero = frac_len == 0 && (int_len == 0 || (int_len == 1 && *int_start == '0'));
	const char *out = vg_arena_printf(arena, "%s%.*s%s%.*s", negative && !zero ? "-" : "",
	                                  int_len ? int_len : 1, int_len ? int_start : "0",
	                                  frac_len ? "." : "", frac_len, frac_start);
	if (!out)
		*oom = 1;
	return out;
}

/* 1 true, 0 false, -1 not a boolean spelling. */
static int boolean_value(const char *text)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "on", "1", "b'1'" };
	static const char *const no[] = { "false", "f", "no", "n", "off", "0", "b'0'" };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcmp(text, yes[i]) == 0)
			return 1;
		if (strcmp(text, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* PostgreSQL has a boolean type; MySQL and SQLite store booleans as 1 and 0. */
static const char *boolean_text(vg_db_type dialect, int value)
{
	if (dialect == VG_DB_MYSQL || dialect == VG_DB_SQLITE)
		return value ? "1" : "0";
	return value ? "true" : "false";
}

/* The functions and keywords that mean "now", as each database spells them. */
static const char *clock_keyword(const char *lower)
{
	static const struct {
		const char *spelling, *meaning;
	} words[] = {
		{ "current_timestamp", "current_timestamp" },
		{ "current_timestamp()", "current_timestamp" },
		{ "now()", "current_timestamp" },
		{ "localtimestamp", "current_timestamp" },
		{ "localtimestamp()", "current_timestamp" },
		{ "transaction_timestamp()", "current_timestamp" },
		{ "datetime('now')", "current_timestamp" },
		{ "current_date", "current_date" },
		{ "current_date()", "current_date" },
		{ "curdate()", "current_date" },
		{ "date('now')", "current_date" },
		{ "current_time", "current_time" },
		{ "current_time()", "current_time" },
		{ "curtime()", "current_time" },
		{ "time('now')", "current_time" },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(lower, words[i].spelling) == 0)
			return words[i].meaning;
	return NULL;
}

static int numeric_class(vg_type_class c)
{
	return c == VG_TYPE_INTEGER || c == VG_TYPE_FLOAT || c == VG_TYPE_DECIMAL;
}

/* An expression: lower-cased outside quotes (SQL function names are case-insensitive), runs
 * of spaces made one, and no spaces next to parentheses and commas. */
static char *expression_text(vg_arena *arena, const char *s, size_t start, size_t end)
{
	char *out = vg_arena_alloc(arena, end - start + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	int pending_space = 0;
	for (size_t i = start; i < end; i++) {
		char c = s[i];
		if (is_quote(c)) {
			size_t close = closing_quote(s, i, end);
			size_t stop = close < end ? close + 1 : end;
			if (pending_space && n && !strchr("(,", out[n - 1]))
				out[n++] = ' ';
			pending_space = 0;
			memcpy(out + n, s + i, stop - i);
			n += stop - i;
			i = stop - 1;
			continue;
		}
		if (isspace((unsigned char)c)) {
			pending_space = 1;
			continue;
		}
		if (pending_space && n && !strchr("(,", out[n - 1]) && !strchr("(),", c))
			out[n++] = ' ';
		pending_space = 0;
		out[n++] = (char)tolower((unsigned char)c);
	}
	out[n] = '\0';
	return out;
}

static char *lower_copy(vg_arena *arena, const char *s, size_t start, size_t end)
{
	char *out = vg_arena_strndup(arena, s + start, end - start);
	if (out)
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return out;
}

/* The text of a quoted literal without its quotes, doubled quotes made single. */
static char *unquote(vg_arena *arena, const char *s, size_t open, size_t close)
{
	char *out = vg_arena_alloc(arena, close - open);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = open + 1; i < close; i++) {
		out[n++] = s[i];
		if (s[i] == s[open] && i + 1 < close && s[i + 1] == s[open])
			i++;
	}
	out[n] = '\0';
	return out;
}

static const char *quoted_value(vg_arena *arena, vg_db_type dialect, vg_type_class cls,
                                const char *text, int *oom)
{
	if (cls == VG_TYPE_BOOLEAN) {
		char *lower = lower_copy(arena, text, 0, strlen(text));
		if (!lower) {
			*oom = 1;
			return NULL;
		}
		int b = boolean_value(lower);
		if (b >= 0)
			return boolean_text(dialect, b);
	}
	if (numeric_class(cls)) {
		const char *number = canonical_number(arena, text, oom);
		if (number || *oom)
			return number;
	}
	return text;
}

static const char *unquoted_value(vg_arena *arena, vg_db_type dialect, vg_type_class cls,
                                  const char *s, size_t start, size_t end, int *auto_increment,
                                  int *oom)
{
	char *lower = lower_copy(arena, s, start, end);
	if (!lower) {
		*oom = 1;
		return NULL;
	}
	if (strcmp(lower, "null") == 0)
		return NULL;
	if (strncmp(lower, "nextval(", 8) == 0) {
		*auto_increment = 1;
		return NULL;
	}
	char *expr = expression_text(arena, s, start, end);
	if (!expr) {
		*oom = 1;
		return NULL;
	}
	const char *clock = clock_keyword(expr);
	if (clock)
		return clock;
	/* MySQL 8 reports string defaults without quotes: a string column keeps its text. */
	int textual = cls == VG_TYPE_STRING || cls == VG_TYPE_ENUM || cls == VG_TYPE_UUID ||
	              cls == VG_TYPE_JSON || cls == VG_TYPE_BINARY;
	int b = boolean_value(lower);
	if (b >= 0 && (cls == VG_TYPE_BOOLEAN ||
	               (!textual && (strcmp(lower, "true") == 0 || strcmp(lower, "false") == 0))))
		return boolean_text(dialect, b);
	if (!textual) {
		const char *number = canonical_number(arena, lower, oom);
		if (number || *oom)
			return number;
	}
	/* A function call or other expression compares case-insensitively; a bare word may be a
	 * string value written without quotes in the blueprint, so it keeps its case. */
	if (strchr(expr, '('))
		return expr;
	const char *verbatim = vg_arena_strndup(arena, s + start, end - start);
	if (!verbatim)
		*oom = 1;
	return verbatim;
}

int vg_schema_normalise_default(const char **out, vg_arena *arena, vg_db_type dialect,
                                vg_type_class type_class, const char *raw, int *auto_increment)
{
	int sequence = 0, oom = 0;
	*out = NULL;
	if (auto_increment)
		*auto_increment = 0;
	if (!raw)
		return 0;
	size_t start = 0, end = strlen(raw);
	trim(raw, &start, &end);
	for (int changed = 1; changed;) {
		changed = 0;
		if (wrapped_in_parens(raw, start, end)) {
			start++;
			end--;
			changed = 1;
		}
		size_t cast = top_level_cast(raw, start, end);
		if (cast < end && cast > start) {
			end = cast;
			changed = 1;
		}
		trim(raw, &start, &end);
	}
	const char *value;
	/* Double quotes delimit strings on MySQL and SQLite; on PostgreSQL they quote names. */
	int quoted = start < end && (raw[start] == '\'' || (raw[start] == '"' && dialect != VG_DB_POSTGRESQL)) &&
	             closing_quote(raw, start, end) == end - 1;
	if (start == end) {
		value = "";
	} else if (quoted) {
		char *text = unquote(arena, raw, start, end - 1);
		value = text ? quoted_value(arena, dialect, type_class, text, &oom) : NULL;
		oom = oom || !text;
	} else {
		value = unquoted_value(arena, dialect, type_class, raw, start, end, &sequence, &oom);
	}
	if (oom)
		return VG_SCHEMA_ENOMEM;
	*out = value;
	if (auto_increment)
		*auto_increment = sequence;
	return 0;
}

/* ---- foreign-key actions ---------------------------------------------------------------------- */

const char *vg_schema_normalise_action(vg_arena *arena, const char *action)
{
	static const char *const known[] = { "cascade", "restrict", "set null", "set default", "no action" };
	if (!action)
		return "no action";
	/* lower-case, '_' and '-' as spaces, one space between words */
	size_t len = strlen(action);
	char *text = vg_arena_alloc(arena, len + 1);
	if (!text)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = action[i];
		if (c == '_' || c == '-' || isspace((unsigned char)c)) {
			if (n && text[n - 1] != ' ')
				text[n++] = ' ';
			continue;
		}
		text[n++] = (char)tolower((unsigned char)c);
	}
	if (n && text[n - 1] == ' ')
		n--;
	text[n] = '\0';
	if (n == 0)
		return "no action";
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(text, known[i]) == 0)
			return known[i];
	return text;
}

int vg_schema_actions_equal(vg_db_type dialect, const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	/* InnoDB checks foreign keys immediately: NO ACTION is RESTRICT there. */
	if (dialect == VG_DB_MYSQL) {
		int a_strict = !strcmp(a, "restrict") || !strcmp(a, "no action");
		int b_strict = !strcmp(b, "restrict") || !strcmp(b, "no action");
		return a_strict && b_strict;
	}
	return 0;
}
