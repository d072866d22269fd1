/* Unit tests of the SQL tokenizer: comments, strings, dollar quotes, statement split, offsets. */
#include <stdio.h>
#include <string.h>

#include "sql_lex.h"

#include "check.h"

/* Lexes `sql` and writes "KIND:text" per token, space-separated, into `out`. */
static const char *kind_name(vg_sql_kind kind)
{
	switch (kind) {
	case VG_SQL_END: return "end";
	case VG_SQL_IDENT: return "id";
	case VG_SQL_QUOTED_IDENT: return "qid";
	case VG_SQL_STRING: return "str";
	case VG_SQL_NUMBER: return "num";
	case VG_SQL_PARAM: return "param";
	case VG_SQL_OPERATOR: return "op";
	case VG_SQL_PUNCT: return "p";
	case VG_SQL_COMMENT: return "c";
	case VG_SQL_UNTERMINATED: return "unterminated";
	}
	return "?";
}

static const char *lex_all(const char *sql, vg_sql_dialect dialect, char *out, size_t cap)
{
	vg_sql_lexer lx;
	vg_sql_token tok;
	size_t k = 0;
	out[0] = '\0';
	vg_sql_lexer_init(&lx, sql, strlen(sql), dialect);
	while (vg_sql_lex(&lx, &tok) != VG_SQL_END) {
		int n = snprintf(out + k, cap - k, "%s%s:%.*s", k ? " " : "", kind_name(tok.kind),
		                 (int)tok.length, sql + tok.offset);
		if (n < 0 || (size_t)n >= cap - k)
			break;
		k += (size_t)n;
	}
	return out;
}

static int lexes_as(const char *sql, vg_sql_dialect dialect, const char *expected)
{
	char buf[2048];
	lex_all(sql, dialect, buf, sizeof buf);
	if (strcmp(buf, expected) != 0) {
		fprintf(stderr, "  sql:      %s\n  got:      %s\n  expected: %s\n", sql, buf,
		        expected);
		return 0;
	}
	return 1;
}

static void test_basic_tokens(void)
{
	CHECK(lexes_as("ALTER TABLE t ADD COLUMN n numeric(10,2) DEFAULT 0.5;", VG_SQL_GENERIC,
	               "id:ALTER id:TABLE id:t id:ADD id:COLUMN id:n id:numeric p:( num:10 p:, "
	               "num:2 p:) id:DEFAULT num:0.5 p:;"));
	CHECK(lexes_as("a<>b a::int x->>'k' 1e-3 .5 0x1F", VG_SQL_POSTGRESQL,
	               "id:a op:<> id:b id:a op::: id:int id:x op:->> str:'k' num:1e-3 num:.5 "
	               "num:0x1F"));
	CHECK(lexes_as("$1 ? :name", VG_SQL_SQLITE, "param:$1 param:? param::name"));
}

static void test_comments(void)
{
	CHECK(lexes_as("-- DROP TABLE t\nSELECT 1", VG_SQL_GENERIC,
	               "c:-- DROP TABLE t id:SELECT num:1"));
	CHECK(lexes_as("/* DROP TABLE t; */ x", VG_SQL_GENERIC, "c:/* DROP TABLE t; */ id:x"));
	/* PostgreSQL nests block comments; SQLite ends at the first close. */
	CHECK(lexes_as("/* a /* b */ c */ x", VG_SQL_POSTGRESQL, "c:/* a /* b */ c */ id:x"));
	CHECK(lexes_as("/* a /* b */ c", VG_SQL_SQLITE, "c:/* a /* b */ id:c"));
	CHECK(lexes_as("/* never closed", VG_SQL_GENERIC, "unterminated:/* never closed"));
	/* MySQL: # comments, and "--" needs a space after it. */
	CHECK(lexes_as("# note\nx --y", VG_SQL_MYSQL, "c:# note id:x op:- op:- id:y"));
	CHECK(lexes_as("x -- y", VG_SQL_MYSQL, "id:x c:-- y"));
}

static void test_strings(void)
{
	CHECK(lexes_as("'it''s; DROP TABLE x' y", VG_SQL_GENERIC,
	               "str:'it''s; DROP TABLE x' id:y"));
	CHECK(lexes_as("E'a\\'b' c", VG_SQL_POSTGRESQL, "str:E'a\\'b' id:c"));
	CHECK(lexes_as("'a\\'b' c", VG_SQL_MYSQL, "str:'a\\'b' id:c"));
	CHECK(lexes_as("X'ff' N'n' B'01'", VG_SQL_GENERIC, "str:X'ff' str:N'n' str:B'01'"));
	CHECK(lexes_as("'open", VG_SQL_GENERIC, "unterminated:'open"));
	/* Quoted identifiers per dialect. */
	CHECK(lexes_as("\"a\"\"b\" `c` [d]", VG_SQL_SQLITE, "qid:\"a\"\"b\" qid:`c` qid:[d]"));
	CHECK(lexes_as("\"s\" `c`", VG_SQL_MYSQL, "str:\"s\" qid:`c`"));
	CHECK(lexes_as("a[1]", VG_SQL_POSTGRESQL, "id:a p:[ num:1 p:]"));
	CHECK(lexes_as("U&\"d\\0061t\"", VG_SQL_POSTGRESQL, "qid:U&\"d\\0061t\""));
}

static void test_dollar_quotes(void)
{
	CHECK(lexes_as("$$ DROP TABLE t; $$ x", VG_SQL_POSTGRESQL, "str:$$ DROP TABLE t; $$ id:x"));
	CHECK(lexes_as("$fn$ a $$ b $fn$;", VG_SQL_POSTGRESQL, "str:$fn$ a $$ b $fn$ p:;"));
	CHECK(lexes_as("$tag$ open", VG_SQL_POSTGRESQL, "unterminated:$tag$ open"));
	CHECK(lexes_as("$2", VG_SQL_POSTGRESQL, "param:$2"));
	/* MySQL has no dollar quotes: $ is an identifier character. */
	CHECK(lexes_as("$x", VG_SQL_MYSQL, "id:$x"));
}

static void test_statement_split(void)
{
	const char *sql = "CREATE TABLE a (x int); -- one; two\n"
	                  "INSERT INTO a VALUES ('1;2');;\n"
	                  "/* ; */ ; \n"
	                  "DO $$ BEGIN; END $$";
	vg_sql_lexer lx;
	vg_sql_statement st;
	vg_sql_lexer_init(&lx, sql, strlen(sql), VG_SQL_POSTGRESQL);
	const char *expect[] = { "CREATE TABLE a (x int)", "INSERT INTO a VALUES ('1;2')",
		                 "DO $$ BEGIN; END $$" };
	size_t n = 0;
	while (vg_sql_next_statement(&lx, &st)) {
		CHECK(n < 3);
		if (n < 3) {
			CHECK(st.length == strlen(expect[n]));
			CHECK(strncmp(sql + st.offset, expect[n], st.length) == 0);
		}
		n++;
	}
	CHECK(n == 3);

	/* SQLite trigger bodies hold `;` between BEGIN and END. */
	const char *trig = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 "
	                   "THEN 2 END; DELETE FROM b; END; DROP TABLE c";
	vg_sql_lexer_init(&lx, trig, strlen(trig), VG_SQL_SQLITE);
	CHECK(vg_sql_next_statement(&lx, &st));
	CHECK(strncmp(trig + st.offset + st.length - 5, "; END", 5) == 0);
	CHECK(vg_sql_next_statement(&lx, &st));
	CHECK(st.length == strlen("DROP TABLE c"));
	CHECK(!vg_sql_next_statement(&lx, &st));

	/* Only comments and semicolons: no statement. */
	vg_sql_lexer_init(&lx, "-- x\n;;/* y */", 14, VG_SQL_GENERIC);
	CHECK(!vg_sql_next_statement(&lx, &st));
}

static void test_offsets_and_helpers(void)
{
	const char *sql = "-- c\n  ALTER TABLE \"Tasks\"\n DROP COLUMN é, DROP x";
	vg_sql_lexer lx;
	vg_sql_token tok;
	vg_sql_lexer_init(&lx, sql, strlen(sql), VG_SQL_POSTGRESQL);
	CHECK(vg_sql_lex_code(&lx, &tok) == VG_SQL_IDENT);
	CHECK(tok.offset == 7 && tok.length == 5);
	CHECK(vg_sql_is_keyword(sql, &tok, "alter"));
	unsigned line, column;
	vg_sql_line_column(sql, tok.offset, &line, &column);
	CHECK(line == 2 && column == 3);

	char name[64];
	vg_sql_lex_code(&lx, &tok); /* TABLE */
	CHECK(vg_sql_lex_code(&lx, &tok) == VG_SQL_QUOTED_IDENT);
	CHECK(vg_sql_ident(sql, &tok, name, sizeof name) == 0 && strcmp(name, "Tasks") == 0);
	vg_sql_lex_code(&lx, &tok); /* DROP */
	CHECK(vg_sql_ident(sql, &tok, name, sizeof name) == 0 && strcmp(name, "drop") == 0);
	vg_sql_lex_code(&lx, &tok); /* COLUMN */
	vg_sql_lex_code(&lx, &tok); /* é: two bytes, one character */
	vg_sql_lex_code(&lx, &tok); /* , */
	CHECK(vg_sql_is_symbol(sql, &tok, ","));
	vg_sql_line_column(sql, tok.offset, &line, &column);
	CHECK(line == 3 && column == 15);
	CHECK(tok.offset == strlen("-- c\n  ALTER TABLE \"Tasks\"\n DROP COLUMN é"));
}

int main(void)
{
	test_basic_tokens();
	test_comments();
	test_strings();
	test_dollar_quotes();
	test_statement_split();
	test_offsets_and_helpers();
	return CHECK_SUMMARY();
}
