/*
 * fuzz_sql_lex.c — the migration SQL tokenizer and statement splitter, in every dialect.
 *
 * The input is copied into a buffer of exactly its size with no NUL after it: the lexer
 * promises to read `length` bytes and no more, and AddressSanitizer holds it to that.
 * Checked besides not crashing: every token lies inside the text, has a length (except END)
 * and starts at or after the previous one's end; statements lie inside the text, in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "sql_lex.h"

static const vg_sql_dialect dialects[] = {
	VG_SQL_GENERIC, VG_SQL_POSTGRESQL, VG_SQL_MYSQL, VG_SQL_SQLITE,
};

static const char *const keywords[] = { "CREATE", "TABLE", "BEGIN", "END", "drop" };
static const char *const symbols[] = { ";", "(", ")", ",", ".", "::", "->>", "=" };

static void fuzz_fail(const char *what, vg_sql_dialect dialect)
{
	fprintf(stderr, "fuzz_sql_lex: %s (dialect %d)\n", what, (int)dialect);
	abort();
}

static void check_token(const char *text, size_t size, const vg_sql_token *tok, size_t prev_end,
                        size_t index, vg_sql_dialect dialect)
{
	if (tok->kind == VG_SQL_END)
		return;
	if (tok->length == 0)
		fuzz_fail("empty token", dialect);
	if (tok->offset < prev_end)
		fuzz_fail("token overlaps the one before", dialect);
	if (tok->offset > size || tok->length > size - tok->offset)
		fuzz_fail("token past the end of the text", dialect);
	for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
		(void)vg_sql_is_keyword(text, tok, keywords[k]);
	for (size_t k = 0; k < sizeof symbols / sizeof *symbols; k++)
		(void)vg_sql_is_symbol(text, tok, symbols[k]);
	char name[64];
	if (vg_sql_ident(text, tok, name, sizeof name) == 0 && !memchr(name, '\0', sizeof name))
		fuzz_fail("vg_sql_ident result not NUL-terminated", dialect);
	char tiny[1];
	(void)vg_sql_ident(text, tok, tiny, sizeof tiny);
	/* Locating is linear in the offset: a few tokens per input keep the target linear. */
	if (index < 16 || (index & (index - 1)) == 0) {
		unsigned line = 0, column = 0;
		vg_sql_line_column(text, tok->offset, &line, &column);
		if (line == 0 || column == 0)
			fuzz_fail("vg_sql_line_column gave a 0 line or column", dialect);
	}
}

/* Each call must advance; at most one token per byte plus the END. */
static void lex_all(const char *text, size_t size, vg_sql_dialect dialect, int code_only)
{
	vg_sql_lexer lx;
	vg_sql_lexer_init(&lx, text, size, dialect);
	vg_sql_token tok;
	size_t prev_end = 0;
	for (size_t n = 0;; n++) {
		if (n > size)
			fuzz_fail("more tokens than bytes", dialect);
		vg_sql_kind kind = code_only ? vg_sql_lex_code(&lx, &tok) : vg_sql_lex(&lx, &tok);
		if (kind != tok.kind)
			fuzz_fail("returned kind differs from the token's", dialect);
		if (code_only && kind == VG_SQL_COMMENT)
			fuzz_fail("vg_sql_lex_code returned a comment", dialect);
		check_token(text, size, &tok, prev_end, n, dialect);
		if (kind == VG_SQL_END)
			break;
		prev_end = tok.offset + tok.length;
	}
}

static void split_all(const char *text, size_t size, vg_sql_dialect dialect)
{
	vg_sql_lexer lx;
	vg_sql_lexer_init(&lx, text, size, dialect);
	vg_sql_statement st;
	size_t prev_end = 0;
	for (size_t n = 0; vg_sql_next_statement(&lx, &st); n++) {
		if (n > size)
			fuzz_fail("more statements than bytes", dialect);
		if (st.length == 0)
			fuzz_fail("empty statement", dialect);
		if (st.offset < prev_end || st.offset > size || st.length > size - st.offset)
			fuzz_fail("statement outside the text or out of order", dialect);
		prev_end = st.offset + st.length;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	for (size_t d = 0; d < sizeof dialects / sizeof *dialects; d++) {
		lex_all(text, size, dialects[d], 0);
		lex_all(text, size, dialects[d], 1);
		split_all(text, size, dialects[d]);
	}
	free(text);
	return 0;
}
