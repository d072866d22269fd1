/* sql_default.c — column defaults read as data and written as SQL (see sql_default.h). */
#define _POSIX_C_SOURCE 200809L
#include "sql_default.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql_dialect.h"
#include "sql_lex.h"

enum { MAX_TOKENS = 128, MAX_DEPTH = 8 };

/* ---- the allow-lists ------------------------------------------------------------------------ */

static const char *const pg_keywords[] = { "current_timestamp", "current_date",
	                                   "current_time",      "localtimestamp",
	                                   "localtime",         "current_user",
	                                   "session_user",      NULL };
static const char *const pg_functions[] = { "now",
	                                    "gen_random_uuid",
	                                    "uuid_generate_v4",
	                                    "nextval",
	                                    "transaction_timestamp",
	                                    "statement_timestamp",
	                                    "clock_timestamp",
	                                    "current_timestamp",
	                                    "localtimestamp",
	                                    "localtime",
	                                    "current_time",
	                                    "random",
	                                    NULL };
static const char *const my_keywords[] = { "current_timestamp",
	                                   "current_date",
	                                   "current_time",
	                                   "localtimestamp",
	                                   "localtime",
	                                   "current_user",
	                                   NULL };
static const char *const my_functions[] = {
	"now",     "current_timestamp", "localtimestamp", "localtime",
	"sysdate", "utc_timestamp",     "utc_date",       "utc_time",
	"curdate", "curtime",           "current_date",   "current_time",
	"uuid",    "uuid_short",        "unix_timestamp", "rand",
	NULL
};
static const char *const lite_keywords[] = { "current_timestamp", "current_date", "current_time",
	                                     NULL };
static const char *const lite_functions[] = { "datetime", "date",      "time",   "julianday",
	                                      "strftime", "unixepoch", "random", "randomblob",
	                                      "hex",      "lower",     "upper",  NULL };

/* MySQL takes these bare after DEFAULT (every other expression in parentheses). */
static const char *const my_bare_clock[] = { "current_timestamp", "now", "localtimestamp",
	                                     "localtime", NULL };

/* What SQLite has no function for, in its own keywords (as the other databases spell it). */
static const struct {
	const char *spelling, *keyword;
} lite_clock[] = {
	{ "now()", "CURRENT_TIMESTAMP" },
	{ "current_timestamp()", "CURRENT_TIMESTAMP" },
	{ "localtimestamp", "CURRENT_TIMESTAMP" },
	{ "localtimestamp()", "CURRENT_TIMESTAMP" },
	{ "transaction_timestamp()", "CURRENT_TIMESTAMP" },
	{ "current_date()", "CURRENT_DATE" },
	{ "curdate()", "CURRENT_DATE" },
	{ "current_time()", "CURRENT_TIME" },
	{ "curtime()", "CURRENT_TIME" },
};

static const char *const *keywords_of(vg_db_type d)
{
	return d == VG_DB_POSTGRESQL ? pg_keywords : d == VG_DB_MYSQL ? my_keywords : lite_keywords;
}

static const char *const *functions_of(vg_db_type d)
{
	return d == VG_DB_POSTGRESQL ? pg_functions
	       : d == VG_DB_MYSQL    ? my_functions
	                             : lite_functions;
}

static int in_list(const char *const *list, const char *word)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], word) == 0)
			return 1;
	return 0;
}

/* ---- output text ------------------------------------------------------------------------------ */

typedef struct out_text {
	char *data;
	size_t len, cap;
	int oom;
} out_text;

static void put(out_text *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		while (cap < o->len + n + 1)
			cap *= 2;
		char *grown = realloc(o->data, cap);
		if (!grown) {
			o->oom = 1;
			return;
		}
		o->data = grown;
		o->cap = cap;
	}
	memcpy(o->data + o->len, s, n);
	o->len += n;
	o->data[o->len] = '\0';
}

static void put_str(out_text *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_upper(out_text *o, const char *s)
{
	for (; *s; s++) {
		char c = (char)toupper((unsigned char)*s);
		put(o, &c, 1);
	}
}

/* A string value as the dialect's literal: quotes doubled; PostgreSQL E'' with backslashes
 * doubled when there is one (whatever standard_conforming_strings says); MySQL with
 * backslashes doubled (right with and without NO_BACKSLASH_ESCAPES). */
static void put_string(out_text *o, vg_db_type dialect, const char *v, size_t n)
{
	int backslash = memchr(v, '\\', n) != NULL;
	int double_backslash = dialect == VG_DB_MYSQL || (dialect == VG_DB_POSTGRESQL && backslash);
	put_str(o, dialect == VG_DB_POSTGRESQL && backslash ? "E'" : "'");
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\'' || (v[i] == '\\' && double_backslash))
			put(o, &v[i], 1);
		put(o, &v[i], 1);
	}
	put_str(o, "'");
}

/* ---- reading ---------------------------------------------------------------------------------- */

typedef enum atom {
	ATOM_FAILED = 0,
	ATOM_NUMBER,
	ATOM_STRING,
	ATOM_BITS,
	ATOM_NULL,
	ATOM_BOOLEAN,
	ATOM_KEYWORD,
	ATOM_CALL,
	ATOM_PAREN,
} atom;

typedef struct reader {
	const char *text;
	vg_sql_token tok[MAX_TOKENS];
	size_t count, pos;
	vg_db_type dialect;
	vg_arena *arena;
	const char *problem;
	const char *call; /* the top-level call's name (lower case), for MySQL's bare clocks */
	size_t call_args;
	int odd_string; /* a string written some other way than '...' (not bare text then) */
	out_text out;
} reader;

static const vg_sql_token *peek(const reader *r)
{
	return r->pos < r->count ? &r->tok[r->pos] : NULL;
}

static int is_symbol(const reader *r, const char *symbol)
{
	const vg_sql_token *t = peek(r);
	return t && vg_sql_is_symbol(r->text, t, symbol);
}

static atom refuse(reader *r, const char *fmt, const vg_sql_token *t)
{
	if (!r->problem)
		r->problem = t ? vg_arena_printf(r->arena, fmt, (int)t->length, r->text + t->offset)
		               : fmt;
	return ATOM_FAILED;
}

/* An ASCII identifier, lower-cased into `buf`; 0 when not one (or too long). */
static int word_of(const reader *r, const vg_sql_token *t, char *buf, size_t size)
{
	if (t->kind != VG_SQL_IDENT || t->length == 0 || t->length >= size)
		return 0;
	const char *s = r->text + t->offset;
	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return 0;
	for (size_t i = 0; i < t->length; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '_')
			return 0;
		buf[i] = (char)tolower(c);
	}
	buf[t->length] = '\0';
	return 1;
}

/* digits[.digits][e[+-]digits], .digits, or (MySQL, SQLite) 0x hex digits. */
static int number_text(vg_db_type dialect, const char *s, size_t n)
{
	size_t i = 0;
	if (n > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		if (dialect == VG_DB_POSTGRESQL)
			return 0;
		for (i = 2; i < n; i++)
			if (!isxdigit((unsigned char)s[i]))
				return 0;
		return 1;
	}
	size_t digits = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++, digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && isdigit((unsigned char)s[i]); i++)
			digits++;
	if (!digits)
		return 0;
	if (i < n && (s[i] | 0x20) == 'e') {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !isdigit((unsigned char)s[i]))
			return 0;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	}
	return i == n;
}

/* A string token: re-quoted for the dialect. Only plain '...' literals (MySQL: with its
 * backslash escapes) and X'..' / B'..' bit strings are taken. */
static atom read_string(reader *r, const vg_sql_token *t)
{
	const char *s = r->text + t->offset;
	size_t n = t->length;
	char first = (char)(s[0] | 0x20);
	if ((first == 'x' || first == 'b') && n >= 3 && s[1] == '\'' && s[n - 1] == '\'') {
		if (first == 'b' && r->dialect == VG_DB_SQLITE)
			return refuse(r, "holds %.*s, a bit string SQLite does not have", t);
		for (size_t i = 2; i + 1 < n; i++)
			if (first == 'x' ? !isxdigit((unsigned char)s[i])
			                 : (s[i] != '0' && s[i] != '1'))
				return refuse(
				        r, "holds %.*s, which is not a valid hex or bit string", t);
		put_str(&r->out, first == 'x' ? "X" : "B");
		put(&r->out, s + 1, n - 1);
		return ATOM_BITS;
	}
	if (s[0] != '\'' || n < 2 || s[n - 1] != '\'') {
		r->odd_string = 1;
		if (s[0] == '$')
			return refuse(
			        r, "holds the dollar-quoted string %.*s: write a '...' literal", t);
		if (s[0] == '"')
			return refuse(
			        r, "holds the double-quoted string %.*s: write it in single quotes",
			        t);
		return refuse(r, "holds the prefixed string %.*s: write a plain '...' literal", t);
	}
	char *value = vg_arena_alloc(r->arena, n);
	if (!value) {
		r->out.oom = 1;
		return ATOM_FAILED;
	}
	size_t len = 0;
	for (size_t i = 1; i + 1 < n; i++) {
		char c = s[i];
		if (c == '\'') {
			i++; /* a doubled quote (the lexer ended the literal at a single one) */
		} else if (c == '\\' && r->dialect == VG_DB_MYSQL && i + 2 < n) {
			static const char from[] = "ntrbZ", to[] = "\n\t\r\b\032";
			c = s[++i];
			if (c == '0')
				return refuse(r, "holds \\0 (a NUL byte) in the string %.*s", t);
			const char *k = strchr(from, c);
			if (k)
				c = to[k - from];
		}
		value[len++] = c;
	}
	value[len] = '\0';
	put_string(&r->out, r->dialect, value, len);
	return ATOM_STRING;
}

static atom read_value(reader *r, int depth);

/* name(arg, ...) of an allowed function. */
static atom read_call(reader *r, const vg_sql_token *name_tok, const char *name, int depth)
{
	if (!in_list(functions_of(r->dialect), name))
		return refuse(r, "calls %.*s(), which is not a function allowed in a default",
		              name_tok);
	put_str(&r->out, name);
	put_str(&r->out, "(");
	r->pos++; /* ( */
	size_t args = 0;
	while (!is_symbol(r, ")")) {
		if (args && !is_symbol(r, ","))
			return refuse(r,
			              peek(r) ? "holds %.*s where a ',' or ')' belongs"
			                      : "has a call without its ')'",
			              peek(r));
		if (args) {
			put_str(&r->out, ", ");
			r->pos++;
		}
		if (read_value(r, depth + 1) == ATOM_FAILED)
			return ATOM_FAILED;
		args++;
	}
	r->pos++;
	put_str(&r->out, ")");
	if (depth == 0) {
		r->call = name;
		r->call_args = args;
	}
	return ATOM_CALL;
}

/* ::type (PostgreSQL): words, an optional (n[, m]), more words, an optional []. */
static int read_cast(reader *r)
{
	put_str(&r->out, "::");
	size_t words = 0;
	char word[64];
	for (;;) {
		const vg_sql_token *t = peek(r);
		if (t && word_of(r, t, word, sizeof word)) {
			put_str(&r->out, words++ ? " " : "");
			put_str(&r->out, word);
			r->pos++;
		} else if (words && is_symbol(r, "(")) {
			r->pos++;
			put_str(&r->out, "(");
			for (int k = 0;; k++) {
				t = peek(r);
				if (!t || t->kind != VG_SQL_NUMBER ||
				    strspn(r->text + t->offset, "0123456789") < t->length)
					return refuse(r,
					              "casts to a type whose size is not a number",
					              NULL),
					       -1;
				put(&r->out, r->text + t->offset, t->length);
				r->pos++;
				if (k == 0 && is_symbol(r, ",")) {
					r->pos++;
					put_str(&r->out, ",");
					continue;
				}
				break;
			}
			if (!is_symbol(r, ")"))
				return refuse(r, "casts to a type whose size has no ')'", NULL), -1;
			r->pos++;
			put_str(&r->out, ")");
		} else {
			break;
		}
	}
	if (words && is_symbol(r, "[")) {
		r->pos++;
		if (!is_symbol(r, "]"))
			return refuse(r, "casts to an array type without its ']'", NULL), -1;
		r->pos++;
		put_str(&r->out, "[]");
	}
	if (!words)
		return refuse(r, "has a '::' cast without a type name", NULL), -1;
	return 0;
}

static atom read_atom(reader *r, int depth)
{
	const vg_sql_token *t = peek(r);
	if (!t)
		return refuse(r, "ends where a value belongs", NULL);
	char word[64];
	switch (t->kind) {
	case VG_SQL_PUNCT:
		if (!vg_sql_is_symbol(r->text, t, "("))
			break;
		{
			r->pos++;
			size_t start = r->out.len;
			put_str(&r->out, "(");
			atom inner = read_value(r, depth + 1);
			if (inner == ATOM_FAILED)
				return ATOM_FAILED;
			if (!is_symbol(r, ")"))
				return refuse(r,
				              peek(r) ? "holds %.*s where the ')' belongs"
				                      : "has a '(' without its ')'",
				              peek(r));
			r->pos++;
			if (inner == ATOM_NUMBER || inner == ATOM_STRING || inner == ATOM_BITS ||
			    inner == ATOM_NULL || inner == ATOM_BOOLEAN) {
				/* (7) is the literal 7: written bare, as SQLite's ADD COLUMN requires of a
			 * constant default */
				if (!r->out.oom)
					memmove(r->out.data + start, r->out.data + start + 1,
					        r->out.len - start);
				r->out.len -= !r->out.oom;
				return inner;
			}
			put_str(&r->out, ")");
			return ATOM_PAREN;
		}
	case VG_SQL_STRING: r->pos++; return read_string(r, t);
	case VG_SQL_NUMBER:
		if (!number_text(r->dialect, r->text + t->offset, t->length))
			return refuse(r, "holds %.*s, which is not a number", t);
		put(&r->out, r->text + t->offset, t->length);
		r->pos++;
		return ATOM_NUMBER;
	case VG_SQL_OPERATOR:
		if ((vg_sql_is_symbol(r->text, t, "-") || vg_sql_is_symbol(r->text, t, "+")) &&
		    r->pos + 1 < r->count && r->tok[r->pos + 1].kind == VG_SQL_NUMBER) {
			put(&r->out, r->text + t->offset, 1);
			r->pos++;
			return read_atom(r, depth) == ATOM_NUMBER ? ATOM_NUMBER : ATOM_FAILED;
		}
		break;
	case VG_SQL_IDENT:
		if (!word_of(r, t, word, sizeof word))
			return refuse(r, "uses %.*s, which is not a plain name", t);
		r->pos++;
		if (is_symbol(r, "("))
			return read_call(r, t, vg_arena_strdup(r->arena, word), depth);
		if (strcmp(word, "null") == 0) {
			put_str(&r->out, "NULL");
			return ATOM_NULL;
		}
		if (strcmp(word, "true") == 0 || strcmp(word, "false") == 0) {
			put_upper(&r->out, word);
			return ATOM_BOOLEAN;
		}
		if (in_list(keywords_of(r->dialect), word)) {
			put_upper(&r->out, word);
			return ATOM_KEYWORD;
		}
		return refuse(
		        r,
		        "uses %.*s, which is neither a literal nor a keyword allowed in a default",
		        t);
	case VG_SQL_QUOTED_IDENT:
		return refuse(r, "names %.*s, a quoted identifier (a column, not a value)", t);
	case VG_SQL_PARAM: return refuse(r, "holds the parameter %.*s", t);
	default: break;
	}
	return refuse(r, "holds %.*s, which is not a literal or an allowed expression", t);
}

static atom read_value(reader *r, int depth)
{
	if (depth > MAX_DEPTH)
		return refuse(r, "nests calls or parentheses too deeply", NULL);
	atom a = read_atom(r, depth);
	while (a != ATOM_FAILED && r->dialect == VG_DB_POSTGRESQL && is_symbol(r, "::")) {
		r->pos++;
		if (read_cast(r) != 0)
			return ATOM_FAILED;
	}
	return a;
}

/* Tokens of the whole text, refusing what can hide or end SQL. 0, or -1 with the problem. */
static int tokenise(reader *r, size_t n)
{
	vg_sql_lexer lx;
	vg_sql_lexer_init(&lx, r->text, n, vg_sql_dialect_of(r->dialect));
	vg_sql_token t;
	while (vg_sql_lex(&lx, &t) != VG_SQL_END) {
		if (t.kind == VG_SQL_COMMENT)
			return refuse(r, "holds the comment %.*s, which could hide SQL", &t), -1;
		if (t.kind == VG_SQL_UNTERMINATED)
			return refuse(r, "has an unterminated quote or comment (%.*s)", &t), -1;
		if (vg_sql_is_symbol(r->text, &t, ";"))
			return refuse(r, "holds a ';', which would end the statement", NULL), -1;
		if (r->count == MAX_TOKENS)
			return refuse(r, "is too long an expression for a default", NULL), -1;
		r->tok[r->count++] = t;
	}
	return 0;
}

/* ---- the interface ---------------------------------------------------------------------------- */

static int numeric_or_boolean(vg_type_class c)
{
	return c == VG_TYPE_INTEGER || c == VG_TYPE_FLOAT || c == VG_TYPE_DECIMAL ||
	       c == VG_TYPE_BOOLEAN;
}

/* Bare text that reads as nothing but a value: no quotes, parentheses, backslashes,
 * statement ends or control characters. */
static int plain_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || strchr("'\"`;()\\", c))
			return 0;
	}
	return 1;
}

static int boolean_spelling(const char *s, size_t n)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "on", "1" };
	static const char *const no[] = { "false", "f", "no", "n", "off", "0" };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strlen(yes[i]) == n && strncasecmp(s, yes[i], n) == 0)
			return 1;
		if (strlen(no[i]) == n && strncasecmp(s, no[i], n) == 0)
			return 0;
	}
	return -1;
}

static const char *boolean_sql(vg_db_type dialect, int value)
{
	if (dialect == VG_DB_SQLITE)
		return value ? "1" : "0";
	return value ? "TRUE" : "FALSE";
}

/* The expression read, with the parentheses SQLite and MySQL want around a call. */
static const char *wrapped(reader *r, atom a)
{
	int wrap = 0;
	if (a == ATOM_CALL && r->dialect == VG_DB_SQLITE)
		wrap = 1;
	if (r->dialect == VG_DB_MYSQL) {
		int bare_clock = a == ATOM_CALL && in_list(my_bare_clock, r->call) &&
		                 r->call_args <= 1;
		int bare_keyword = a == ATOM_KEYWORD &&
		                   (strcmp(r->out.data, "CURRENT_TIMESTAMP") == 0 ||
		                    strcmp(r->out.data, "LOCALTIMESTAMP") == 0 ||
		                    strcmp(r->out.data, "LOCALTIME") == 0);
		wrap = (a == ATOM_CALL && !bare_clock) || (a == ATOM_KEYWORD && !bare_keyword);
	}
	return wrap ? vg_arena_printf(r->arena, "(%s)", r->out.data)
	            : vg_arena_strdup(r->arena, r->out.data);
}

/* The text itself as the dialect's string literal, on the arena (NULL when memory ran out). */
static const char *string_literal(const reader *r, const char *s, size_t n)
{
	out_text literal = { 0 };
	put_string(&literal, r->dialect, s, n);
	const char *sql = literal.oom ? NULL : vg_arena_strdup(r->arena, literal.data);
	free(literal.data);
	return sql;
}

static const char *read_default(reader *r, vg_type_class cls, const char *s, size_t n)
{
	if (n == 4 && strncasecmp(s, "null", 4) == 0)
		return "NULL";
	if (cls == VG_TYPE_BOOLEAN && boolean_spelling(s, n) >= 0)
		return boolean_sql(r->dialect, boolean_spelling(s, n));
	for (size_t i = 0;
	     r->dialect == VG_DB_SQLITE && i < sizeof lite_clock / sizeof lite_clock[0]; i++)
		if (strlen(lite_clock[i].spelling) == n &&
		    strncasecmp(s, lite_clock[i].spelling, n) == 0)
			return lite_clock[i].keyword;
	if (n == 0) {
		if (numeric_or_boolean(cls))
			return r->problem = "is empty", NULL;
		return "''";
	}
	if (tokenise(r, n) != 0)
		return NULL;
	atom a = read_value(r, 0);
	if (r->out.oom)
		return NULL;
	if (a != ATOM_FAILED && r->pos < r->count) {
		a = ATOM_FAILED;
		refuse(r,
		       "goes on after its value with %.*s (one literal or allowed expression only)",
		       &r->tok[r->pos]);
	}
	int textual = !numeric_or_boolean(cls) && cls != VG_TYPE_UNKNOWN;
	if ((a == ATOM_NUMBER || a == ATOM_BOOLEAN) && textual)
		return string_literal(r, s, n);
	if (a != ATOM_FAILED)
		return wrapped(r, a);
	/* bare text where a string fits: the text itself is the value */
	if (!numeric_or_boolean(cls) && !r->odd_string && plain_text(s, n)) {
		r->problem = NULL;
		return string_literal(r, s, n);
	}
	return NULL;
}

const char *vg_sql_default_sql(vg_arena *arena, vg_db_type dialect, vg_type_class type_class,
                               const char *value, const char **problem)
{
	const char *why = NULL;
	if (problem)
		*problem = NULL;
	if (!value)
		return "NULL";
	if (dialect != VG_DB_SQLITE && dialect != VG_DB_POSTGRESQL && dialect != VG_DB_MYSQL) {
		if (problem)
			*problem = "has no dialect to be written in";
		return NULL;
	}
	reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	size_t start = 0, end = strlen(value);
	while (start < end && isspace((unsigned char)value[start]))
		start++;
	while (end > start && isspace((unsigned char)value[end - 1]))
		end--;
	r->text = value + start;
	r->dialect = dialect;
	r->arena = arena;
	const char *sql = read_default(r, type_class, r->text, end - start);
	if (!sql && !r->out.oom)
		why = r->problem
		              ? r->problem
		              : "is neither a literal of the column's type nor an allowed expression";
	free(r->out.data);
	free(r);
	if (problem)
		*problem = why;
	return sql;
}

const char *vg_sql_default_allowed(vg_arena *arena, vg_db_type dialect)
{
	const char *const *keywords = keywords_of(dialect), *const *functions =
	                                                            functions_of(dialect);
	char *s = vg_arena_strdup(arena, "NULL, TRUE, FALSE, numbers, 'strings'");
	for (size_t i = 0; s && keywords[i]; i++) {
		char upper[64];
		size_t k = 0;
		for (; keywords[i][k] && k + 1 < sizeof upper; k++)
			upper[k] = (char)toupper((unsigned char)keywords[i][k]);
		upper[k] = '\0';
		s = vg_arena_printf(arena, "%s, %s", s, upper);
	}
	for (size_t i = 0; s && functions[i]; i++)
		s = vg_arena_printf(arena, "%s, %s(%s)", s, functions[i],
		                    strcmp(functions[i], "nextval") == 0 ? "'…'" : "");
	if (s && dialect == VG_DB_POSTGRESQL)
		s = vg_arena_printf(arena, "%s, and casts to a type ('{}'::jsonb)", s);
	return s;
}

int vg_sql_default_is_code(vg_db_type dialect, const char *value)
{
	if (!value)
		return 0;
	vg_sql_lexer lx;
	vg_sql_lexer_init(&lx, value, strlen(value), vg_sql_dialect_of(dialect));
	vg_sql_token t;
	while (vg_sql_lex(&lx, &t) != VG_SQL_END)
		if (t.kind == VG_SQL_COMMENT || t.kind == VG_SQL_UNTERMINATED ||
		    vg_sql_is_symbol(value, &t, ";"))
			return 1;
	return 0;
}
