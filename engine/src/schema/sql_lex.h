/*
 * sql_lex.h — a SQL tokenizer for reading migrations: identifiers, quoted identifiers,
 * string literals (with '' and, where the dialect has them, backslash escapes), E'' strings,
 * dollar quotes, numbers, operators, punctuation and comments, each token with its byte
 * offset. Statements split on `;` outside all of those, so a keyword inside a comment or a
 * string literal is never mistaken for SQL.
 *
 * The lexer never allocates and never fails: malformed input (an unterminated string or
 * comment) gives a token of kind VG_SQL_UNTERMINATED that runs to the end of the text.
 */
#ifndef VG_SQL_LEX_H
#define VG_SQL_LEX_H

#include <stddef.h>

/* Where the dialects differ (what the lexer must know to find token boundaries). */
typedef enum vg_sql_dialect {
	VG_SQL_GENERIC = 0, /* ANSI: "x" identifiers, '' strings, flat comments */
	VG_SQL_POSTGRESQL,  /* + nested block comments, $$ / $tag$ quotes, E'' strings */
	VG_SQL_MYSQL,       /* + `x` identifiers, "x" and '' strings with \ escapes, # comments */
	VG_SQL_SQLITE,      /* + `x` and [x] identifiers */
} vg_sql_dialect;

typedef enum vg_sql_kind {
	VG_SQL_END = 0,      /* no more tokens */
	VG_SQL_IDENT,        /* keyword or bare identifier */
	VG_SQL_QUOTED_IDENT, /* "x", `x`, [x], U&"x" */
	VG_SQL_STRING,       /* 'x', E'x', X'ff', N'x', $$x$$, $tag$x$tag$ (and "x" in MySQL) */
	VG_SQL_NUMBER,       /* 42, 3.14, .5, 1e-3, 0x1F */
	VG_SQL_PARAM,        /* $1, ?, :name */
	VG_SQL_OPERATOR,     /* = <> <= >= != || :: -> ->> + - * / % < > ... */
	VG_SQL_PUNCT,        /* ( ) , ; . [ ] */
	VG_SQL_COMMENT,      /* -- ..., # ... (MySQL), block comments */
	VG_SQL_UNTERMINATED, /* a string, quoted identifier or comment with no end */
} vg_sql_kind;

typedef struct vg_sql_token {
	vg_sql_kind kind;
	size_t offset; /* byte offset of the first byte in the text */
	size_t length; /* bytes, quotes and comment markers included */
} vg_sql_token;

typedef struct vg_sql_lexer {
	const char *text;
	size_t length;
	size_t pos;
	vg_sql_dialect dialect;
} vg_sql_lexer;

/** Starts reading `length` bytes of `text` (need not be NUL-terminated). */
void vg_sql_lexer_init(vg_sql_lexer *lx, const char *text, size_t length, vg_sql_dialect dialect);

/** The next token, comments included, whitespace skipped; VG_SQL_END at the end. */
vg_sql_kind vg_sql_lex(vg_sql_lexer *lx, vg_sql_token *out);

/** The next token that is not a comment. */
vg_sql_kind vg_sql_lex_code(vg_sql_lexer *lx, vg_sql_token *out);

/** One statement: the bytes from its first to its last token (the `;` excluded). */
typedef struct vg_sql_statement {
	size_t offset;
	size_t length;
} vg_sql_statement;

/**
 * The next statement that holds at least one token that is not a comment; returns 0 when
 * there is none. A statement ends at a `;` token or at the end of the text.
 */
int vg_sql_next_statement(vg_sql_lexer *lx, vg_sql_statement *out);

/**
 * Whether `text` is exactly one statement: tokens other than comments, no `;` but,
 * optionally (`final_semicolon` 0) or necessarily (1), a last one; no comment and no
 * unterminated literal anywhere. How the engine checks that a statement it was given as one
 * (a driver's rendered DDL, a plugin's proposal) cannot be two.
 */
int vg_sql_is_one_statement(const char *text, size_t length, vg_sql_dialect dialect,
                            int final_semicolon);

/** True when `tok` is a bare identifier equal to `keyword`, ignoring ASCII case. */
int vg_sql_is_keyword(const char *text, const vg_sql_token *tok, const char *keyword);
/** True when `tok` is punctuation or an operator spelled exactly `symbol`. */
int vg_sql_is_symbol(const char *text, const vg_sql_token *tok, const char *symbol);

/**
 * The name an identifier token stands for, into `buf` (always NUL-terminated, truncated to
 * fit): a bare identifier folded to lower case, a quoted one unquoted with doubled quotes
 * undone. Returns 0, or -1 when the token is not an identifier.
 */
int vg_sql_ident(const char *text, const vg_sql_token *tok, char *buf, size_t cap);

/**
 * The 1-based line and column of a byte offset: lines counted by '\n', columns in UTF-8
 * characters (as YAML locations count them).
 */
void vg_sql_line_column(const char *text, size_t offset, unsigned *line, unsigned *column);

#endif
