#include "sql_lex.h"

#include <string.h>

void vg_sql_lexer_init(vg_sql_lexer *lx, const char *text, size_t length, vg_sql_dialect dialect)
{
	lx->text = text;
	lx->length = text ? length : 0;
	lx->pos = 0;
	lx->dialect = dialect;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_ident_char(unsigned char c)
{
	return is_ident_start(c) || is_digit(c) || c == '$';
}

static unsigned char at(const vg_sql_lexer *lx, size_t i)
{
	return i < lx->length ? (unsigned char)lx->text[i] : 0;
}

/* Backslash escapes inside '...' are MySQL's default (and E'...' strings' everywhere). */
static int dialect_backslashes(vg_sql_dialect d)
{
	return d == VG_SQL_MYSQL;
}

/*
 * Reads a quoted run starting at `start` (the opening quote) up to the matching `close`.
 * A doubled close character is an escaped one; with `backslash`, \x escapes any byte.
 * Returns the end offset (past the closing quote), or lx->length with *closed = 0.
 */
static size_t scan_quoted(const vg_sql_lexer *lx, size_t start, char close, int backslash,
                          int *closed)
{
	size_t i = start + 1;
	while (i < lx->length) {
		unsigned char c = at(lx, i);
		if (backslash && c == '\\') {
			i += 2;
			continue;
		}
		if (c == (unsigned char)close) {
			if (at(lx, i + 1) == (unsigned char)close && close != ']') {
				i += 2;
				continue;
			}
			*closed = 1;
			return i + 1;
		}
		i++;
	}
	*closed = 0;
	return lx->length;
}

/* A block comment from `start` ("/" "*"); PostgreSQL nests them, the others do not. */
static size_t scan_block_comment(const vg_sql_lexer *lx, size_t start, int *closed)
{
	int nests = lx->dialect == VG_SQL_POSTGRESQL;
	unsigned depth = 1;
	size_t i = start + 2;
	while (i < lx->length) {
		if (at(lx, i) == '*' && at(lx, i + 1) == '/') {
			i += 2;
			if (--depth == 0) {
				*closed = 1;
				return i;
			}
			continue;
		}
		if (nests && at(lx, i) == '/' && at(lx, i + 1) == '*') {
			depth++;
			i += 2;
			continue;
		}
		i++;
	}
	*closed = 0;
	return lx->length;
}

/*
 * A dollar quote opening at `start`: `$$` or `$tag$`. Returns the length of the opening
 * delimiter, or 0 when the text there is not one.
 */
static size_t dollar_delimiter(const vg_sql_lexer *lx, size_t start)
{
	size_t i = start + 1;
	if (at(lx, i) == '$')
		return 2;
	if (!is_ident_start(at(lx, i)))
		return 0;
	while (i < lx->length && is_ident_char(at(lx, i)) && at(lx, i) != '$')
		i++;
	return at(lx, i) == '$' ? i + 1 - start : 0;
}

static size_t scan_dollar_quoted(const vg_sql_lexer *lx, size_t start, size_t delim, int *closed)
{
	const char *tag = lx->text + start;
	for (size_t i = start + delim; i + delim <= lx->length; i++) {
		if (lx->text[i] == '$' && memcmp(lx->text + i, tag, delim) == 0) {
			*closed = 1;
			return i + delim;
		}
	}
	*closed = 0;
	return lx->length;
}

static size_t scan_number(const vg_sql_lexer *lx, size_t i)
{
	if (at(lx, i) == '0' && (at(lx, i + 1) == 'x' || at(lx, i + 1) == 'X')) {
		i += 2;
		while (is_digit(at(lx, i)) ||
		       ((at(lx, i) | 0x20) >= 'a' && (at(lx, i) | 0x20) <= 'f'))
			i++;
		return i;
	}
	while (is_digit(at(lx, i)))
		i++;
	if (at(lx, i) == '.' && at(lx, i + 1) != '.') {
		i++;
		while (is_digit(at(lx, i)))
			i++;
	}
	if ((at(lx, i) == 'e' || at(lx, i) == 'E') &&
	    (is_digit(at(lx, i + 1)) ||
	     ((at(lx, i + 1) == '+' || at(lx, i + 1) == '-') && is_digit(at(lx, i + 2))))) {
		i += 2;
		while (is_digit(at(lx, i)))
			i++;
	}
	return i;
}

static const char *const multi_char_operators[] = {
	"->>", "#>>", "->", "#>", "::", "<=", ">=", "<>", "!=", "||",
	":=",  "=>",  "<<", ">>", "&&", "@>", "<@", "~~", "!~",
};

static size_t operator_length(const vg_sql_lexer *lx, size_t i)
{
	for (size_t k = 0; k < sizeof multi_char_operators / sizeof *multi_char_operators; k++) {
		size_t n = strlen(multi_char_operators[k]);
		if (i + n <= lx->length && memcmp(lx->text + i, multi_char_operators[k], n) == 0)
			return n;
	}
	return 1;
}

/* A string literal that starts with a prefix letter: E'', X'', B'', N'', U&''. */
static size_t string_prefix_length(const vg_sql_lexer *lx, size_t i)
{
	unsigned char c = at(lx, i) | 0x20;
	if (c == 'u' && at(lx, i + 1) == '&' && (at(lx, i + 2) == '\'' || at(lx, i + 2) == '"') &&
	    lx->dialect != VG_SQL_MYSQL && lx->dialect != VG_SQL_SQLITE)
		return 2;
	if (at(lx, i + 1) != '\'')
		return 0;
	if (c == 'x' || c == 'b' || c == 'n')
		return 1;
	if (c == 'e' && (lx->dialect == VG_SQL_POSTGRESQL || lx->dialect == VG_SQL_GENERIC))
		return 1;
	return 0;
}

static vg_sql_kind finish(vg_sql_lexer *lx, vg_sql_token *out, size_t start, size_t end,
                          vg_sql_kind kind)
{
	out->kind = kind;
	out->offset = start;
	out->length = end - start;
	lx->pos = end;
	return kind;
}

vg_sql_kind vg_sql_lex(vg_sql_lexer *lx, vg_sql_token *out)
{
	size_t i = lx->pos;
	while (i < lx->length && is_space(at(lx, i)))
		i++;
	if (i >= lx->length)
		return finish(lx, out, lx->length, lx->length, VG_SQL_END);

	unsigned char c = at(lx, i);
	unsigned char n = at(lx, i + 1);
	int closed = 0;
	size_t end;

	/* Comments. MySQL wants whitespace after "--" (else it is two minus signs). */
	if (c == '-' && n == '-' &&
	    (lx->dialect != VG_SQL_MYSQL || i + 2 >= lx->length || is_space(at(lx, i + 2)))) {
		end = i + 2;
		while (end < lx->length && at(lx, end) != '\n')
			end++;
		return finish(lx, out, i, end, VG_SQL_COMMENT);
	}
	if (c == '#' && lx->dialect == VG_SQL_MYSQL) {
		end = i + 1;
		while (end < lx->length && at(lx, end) != '\n')
			end++;
		return finish(lx, out, i, end, VG_SQL_COMMENT);
	}
	if (c == '/' && n == '*') {
		end = scan_block_comment(lx, i, &closed);
		return finish(lx, out, i, end, closed ? VG_SQL_COMMENT : VG_SQL_UNTERMINATED);
	}

	/* Prefixed strings before identifiers: E'..' would otherwise read as identifier E. */
	size_t prefix = string_prefix_length(lx, i);
	if (prefix) {
		unsigned char q = at(lx, i + prefix);
		int backslash = (c | 0x20) == 'e' || dialect_backslashes(lx->dialect);
		end = scan_quoted(lx, i + prefix, (char)q, backslash && q == '\'', &closed);
		if (!closed)
			return finish(lx, out, i, end, VG_SQL_UNTERMINATED);
		return finish(lx, out, i, end, q == '"' ? VG_SQL_QUOTED_IDENT : VG_SQL_STRING);
	}

	if (c == '\'') {
		end = scan_quoted(lx, i, '\'', dialect_backslashes(lx->dialect), &closed);
		return finish(lx, out, i, end, closed ? VG_SQL_STRING : VG_SQL_UNTERMINATED);
	}
	if (c == '"') {
		int is_string = lx->dialect == VG_SQL_MYSQL;
		end = scan_quoted(lx, i, '"', is_string, &closed);
		if (!closed)
			return finish(lx, out, i, end, VG_SQL_UNTERMINATED);
		return finish(lx, out, i, end, is_string ? VG_SQL_STRING : VG_SQL_QUOTED_IDENT);
	}
	if (c == '`' && lx->dialect != VG_SQL_POSTGRESQL) {
		end = scan_quoted(lx, i, '`', 0, &closed);
		return finish(lx, out, i, end, closed ? VG_SQL_QUOTED_IDENT : VG_SQL_UNTERMINATED);
	}
	if (c == '[' && lx->dialect == VG_SQL_SQLITE) {
		end = scan_quoted(lx, i, ']', 0, &closed);
		return finish(lx, out, i, end, closed ? VG_SQL_QUOTED_IDENT : VG_SQL_UNTERMINATED);
	}

	if (c == '$') {
		if (is_digit(n)) {
			end = i + 1;
			while (is_digit(at(lx, end)))
				end++;
			return finish(lx, out, i, end, VG_SQL_PARAM);
		}
		if (lx->dialect == VG_SQL_POSTGRESQL || lx->dialect == VG_SQL_GENERIC) {
			size_t delim = dollar_delimiter(lx, i);
			if (delim) {
				end = scan_dollar_quoted(lx, i, delim, &closed);
				return finish(lx, out, i, end,
				              closed ? VG_SQL_STRING : VG_SQL_UNTERMINATED);
			}
		} else if (is_ident_start(n)) {
			/* SQLite's $name parameter; MySQL allows $ in identifiers. */
			end = i + 1;
			while (is_ident_char(at(lx, end)))
				end++;
			return finish(lx, out, i, end,
			              lx->dialect == VG_SQL_MYSQL ? VG_SQL_IDENT : VG_SQL_PARAM);
		}
		return finish(lx, out, i, i + 1, VG_SQL_OPERATOR);
	}

	if (is_digit(c) || (c == '.' && is_digit(n)))
		return finish(lx, out, i, scan_number(lx, i), VG_SQL_NUMBER);

	if (is_ident_start(c)) {
		end = i + 1;
		while (is_ident_char(at(lx, end)))
			end++;
		return finish(lx, out, i, end, VG_SQL_IDENT);
	}

	if (c == '?') {
		end = i + 1;
		while (is_digit(at(lx, end)))
			end++;
		return finish(lx, out, i, end, VG_SQL_PARAM);
	}
	if ((c == ':' || c == '@') && is_ident_start(n) &&
	    (c == ':' ? lx->dialect == VG_SQL_SQLITE : lx->dialect == VG_SQL_MYSQL)) {
		end = i + 1;
		while (is_ident_char(at(lx, end)))
			end++;
		return finish(lx, out, i, end, VG_SQL_PARAM);
	}

	if (strchr("(),;.[]{}", c))
		return finish(lx, out, i, i + 1, VG_SQL_PUNCT);
	return finish(lx, out, i, i + operator_length(lx, i), VG_SQL_OPERATOR);
}

vg_sql_kind vg_sql_lex_code(vg_sql_lexer *lx, vg_sql_token *out)
{
	vg_sql_kind kind;
	do
		kind = vg_sql_lex(lx, out);
	while (kind == VG_SQL_COMMENT);
	return kind;
}

/*
 * Trigger bodies (SQLite, MySQL) hold `;` between BEGIN and END: inside a CREATE ... TRIGGER
 * statement, BEGIN and CASE open a block that END closes, and `;` splits only outside.
 */
int vg_sql_next_statement(vg_sql_lexer *lx, vg_sql_statement *out)
{
	for (;;) {
		vg_sql_token tok;
		size_t first = 0, last_end = 0, code_tokens = 0;
		int is_trigger = 0, saw_create = 0;
		unsigned depth = 0;
		vg_sql_kind kind;
		while ((kind = vg_sql_lex(lx, &tok)) != VG_SQL_END) {
			if (kind == VG_SQL_COMMENT)
				continue;
			if (kind == VG_SQL_PUNCT && lx->text[tok.offset] == ';' && depth == 0)
				break;
			if (code_tokens == 0) {
				first = tok.offset;
				saw_create = vg_sql_is_keyword(lx->text, &tok, "CREATE");
			} else if (saw_create && code_tokens < 6 &&
			           vg_sql_is_keyword(lx->text, &tok, "TRIGGER")) {
				is_trigger = 1;
			}
			if (is_trigger) {
				if (vg_sql_is_keyword(lx->text, &tok, "BEGIN") ||
				    vg_sql_is_keyword(lx->text, &tok, "CASE"))
					depth++;
				else if (vg_sql_is_keyword(lx->text, &tok, "END") && depth > 0)
					depth--;
			}
			code_tokens++;
			last_end = tok.offset + tok.length;
		}
		if (code_tokens > 0) {
			out->offset = first;
			out->length = last_end - first;
			return 1;
		}
		if (kind == VG_SQL_END)
			return 0;
	}
}

int vg_sql_is_keyword(const char *text, const vg_sql_token *tok, const char *keyword)
{
	if (tok->kind != VG_SQL_IDENT)
		return 0;
	size_t n = strlen(keyword);
	if (n != tok->length)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char a = (unsigned char)text[tok->offset + i];
		unsigned char b = (unsigned char)keyword[i];
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a | 0x20);
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b | 0x20);
		if (a != b)
			return 0;
	}
	return 1;
}

int vg_sql_is_symbol(const char *text, const vg_sql_token *tok, const char *symbol)
{
	if (tok->kind != VG_SQL_PUNCT && tok->kind != VG_SQL_OPERATOR)
		return 0;
	size_t n = strlen(symbol);
	return n == tok->length && memcmp(text + tok->offset, symbol, n) == 0;
}

int vg_sql_ident(const char *text, const vg_sql_token *tok, char *buf, size_t cap)
{
	if (cap == 0)
		return -1;
	buf[0] = '\0';
	const char *s = text + tok->offset;
	size_t len = tok->length, k = 0;
	if (tok->kind == VG_SQL_IDENT) {
		for (size_t i = 0; i < len && k + 1 < cap; i++) {
			char c = s[i];
			buf[k++] = (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
		}
		buf[k] = '\0';
		return 0;
	}
	if (tok->kind != VG_SQL_QUOTED_IDENT)
		return -1;
	if (len >= 2 && (s[0] == 'U' || s[0] == 'u') && s[1] == '&') {
		s += 2;
		len -= 2;
	}
	if (len < 2)
		return -1;
	char close = s[0] == '[' ? ']' : s[0];
	for (size_t i = 1; i + 1 < len && k + 1 < cap; i++) {
		buf[k++] = s[i];
		if (s[i] == close && close != ']' && i + 2 < len && s[i + 1] == close)
			i++;
	}
	buf[k] = '\0';
	return 0;
}

void vg_sql_line_column(const char *text, size_t offset, unsigned *line, unsigned *column)
{
	unsigned l = 1, c = 1;
	for (size_t i = 0; i < offset && text[i]; i++) {
		unsigned char b = (unsigned char)text[i];
		if (b == '\n') {
			l++;
			c = 1;
		} else if ((b & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*column = c;
}

int vg_sql_is_one_statement(const char *text, size_t length, vg_sql_dialect dialect,
                            int final_semicolon)
{
	vg_sql_lexer lx;
	vg_sql_lexer_init(&lx, text, length, dialect);
	vg_sql_token t;
	size_t tokens = 0;
	int ended = 0;
	while (vg_sql_lex(&lx, &t) != VG_SQL_END) {
		if (t.kind == VG_SQL_COMMENT || t.kind == VG_SQL_UNTERMINATED || ended)
			return 0;
		if (vg_sql_is_symbol(text, &t, ";")) {
			if (!tokens)
				return 0;
			ended = 1;
			continue;
		}
		tokens++;
	}
	return tokens > 0 && (ended || !final_semicolon);
}
