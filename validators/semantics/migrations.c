/*
 * migrations.c — the safety lint of declared migrations' `up` SQL, read with the SQL
 * tokenizer (engine/src/schema/sql_lex.h), so comments and string literals never count.
 *
 * Each database's migrations are read in the order written, keeping what they say about
 * tables and columns (CREATE TABLE, ADD/ALTER/MODIFY/CHANGE/RENAME/DROP COLUMN), so a
 * statement is judged against the columns as earlier statements left them. Findings, each
 * with its risk class in the detail and the evidence:
 *   VG406  DROP TABLE of a table not created in the same migration       destructive
 *          (not when the same migration first copied its rows with INSERT ... SELECT ...
 *          FROM it: SQLite's rebuild-a-table recipe)
 *   VG407  ALTER TABLE ... DROP [COLUMN] of a column not added in the same migration
 *                                                                       destructive
 *   VG408  ALTER COLUMN ... TYPE / MODIFY / CHANGE to a type that does not hold every value
 *          of the column's earlier type (known from earlier statements) data-dependent
 *   VG409  ADD COLUMN ... NOT NULL without DEFAULT (nor auto-increment / identity /
 *          generated) on a table the migration did not create; SET NOT NULL; MODIFY to
 *          NOT NULL of a column known to be nullable                   data-dependent
 *   VG410  DROP COLUMN x then ADD COLUMN y on the same table in one migration, unless their
 *          types are known to differ in class: a rename written as drop + add (a warning
 *          beside the VG407 of the drop)                                destructive
 *
 * Locations: the token's line and column inside `up`, mapped onto the blueprint. For a
 * block scalar (`up: |`) the SQL starts on the line after the key and is assumed indented
 * two columns deeper than the `up` key (the usual style; YAML does not record the
 * indentation in the tree); for a one-line scalar the column is exact (quoted: after the
 * quote) as long as no escape sequence precedes the token. A multi-line plain or quoted
 * scalar is folded by YAML into one line, and a folded block (`>`) loses its line breaks:
 * there, lines are approximate.
 */
#include <stdarg.h>
#include <string.h>

#include "run.h"
#include "semantics.h"
#include "sql_dialect.h"
#include "sql_lex.h"
#include "sqltypes.h"

typedef struct col_state {
	const char *name;
	const char *type; /* as the SQL wrote it, or NULL when not known */
	int not_null;     /* 1, 0, or -1 when not known */
	size_t added_in;  /* ordinal (1-based) of the migration that added it, 0: earlier */
	struct col_state *next;
} col_state;

typedef struct table_state {
	const char *name;
	col_state *columns;
	size_t created_in; /* ordinal (1-based) of the migration that created it */
	struct table_state *next;
} table_state;

typedef struct dropped_col {
	const char *table;
	const char *name;
	const char *type;
	int paired;
	struct dropped_col *next;
} dropped_col;

typedef struct name_node {
	const char *name;
	struct name_node *next;
} name_node;

typedef struct lint {
	vigil_check_ctx *ctx;
	const vigil_host *host;
	vg_arena *arena;
	const vg_database *db;
	vg_sql_dialect dialect;
	table_state *tables;
	/* the migration being read */
	const vg_migration *m;
	size_t ordinal;
	const char *sql;
	name_node *copied; /* tables an INSERT ... SELECT read from */
	dropped_col *dropped;
	/* the statement being read: its code tokens (offsets into sql) */
	vg_sql_token *tok;
	size_t n;
	size_t cap;
	int oom;
} lint;

/* ---- tokens -------------------------------------------------------------------------------- */

static int kw(const lint *l, size_t i, const char *keyword)
{
	return i < l->n && vg_sql_is_keyword(l->sql, &l->tok[i], keyword);
}

static int sym(const lint *l, size_t i, const char *s)
{
	return i < l->n && vg_sql_is_symbol(l->sql, &l->tok[i], s);
}

static int is_name(const lint *l, size_t i)
{
	return i < l->n &&
	       (l->tok[i].kind == VG_SQL_IDENT || l->tok[i].kind == VG_SQL_QUOTED_IDENT);
}

/* A possibly qualified name (schema.table): the last part, unquoted; advances *i. */
static const char *read_name(lint *l, size_t *i)
{
	if (!is_name(l, *i))
		return NULL;
	char buf[128];
	vg_sql_ident(l->sql, &l->tok[*i], buf, sizeof buf);
	(*i)++;
	while (sym(l, *i, ".") && is_name(l, *i + 1)) {
		vg_sql_ident(l->sql, &l->tok[*i + 1], buf, sizeof buf);
		*i += 2;
	}
	const char *name = vg_arena_strdup(l->arena, buf);
	if (!name)
		l->oom = 1;
	return name;
}

static void skip_if_exists(const lint *l, size_t *i)
{
	if (kw(l, *i, "IF") && kw(l, *i + 1, "EXISTS"))
		*i += 2;
	else if (kw(l, *i, "IF") && kw(l, *i + 1, "NOT") && kw(l, *i + 2, "EXISTS"))
		*i += 3;
}

/* The index just past the ) matching the ( at `open`, or l->n. */
static size_t matching_paren(const lint *l, size_t open)
{
	int depth = 0;
	for (size_t i = open; i < l->n; i++) {
		if (sym(l, i, "("))
			depth++;
		else if (sym(l, i, ")") && --depth == 0)
			return i + 1;
	}
	return l->n;
}

/* The end of a comma-separated item starting at `i` (a `,` or `)` at depth 0, or `end`). */
static size_t item_end(const lint *l, size_t i, size_t end)
{
	int depth = 0;
	for (; i < end; i++) {
		if (sym(l, i, "(") || sym(l, i, "["))
			depth++;
		else if ((sym(l, i, ")") || sym(l, i, "]")) && depth > 0)
			depth--;
		else if (depth == 0 && (sym(l, i, ",") || sym(l, i, ")")))
			return i;
	}
	return end;
}

static int is_constraint_word(const lint *l, size_t i)
{
	static const char *const words[] = {
		"NOT",         "NULL",      "DEFAULT",        "PRIMARY",
		"REFERENCES",  "UNIQUE",    "CHECK",          "CONSTRAINT",
		"COLLATE",     "GENERATED", "AUTO_INCREMENT", "AUTOINCREMENT",
		"COMMENT",     "USING",     "FIRST",          "AFTER",
		"ON",          "CHARSET",   "IDENTITY",       "AS",
		"KEY",         "INVISIBLE", "VISIBLE",        "STORAGE",
		"COMPRESSION",
	};
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (kw(l, i, words[k]))
			return 1;
	/* MySQL's CHARACTER SET (while "character varying" is a type). */
	return kw(l, i, "CHARACTER") && kw(l, i + 1, "SET");
}

/* The type written from token `i` up to a constraint word or the item's end; advances *i. */
static const char *read_type(lint *l, size_t *i, size_t end)
{
	char buf[256];
	size_t k = 0;
	int depth = 0;
	buf[0] = '\0';
	size_t j = *i;
	for (; j < end; j++) {
		if (depth == 0 && (is_constraint_word(l, j) || sym(l, j, ",")))
			break;
		const vg_sql_token *t = &l->tok[j];
		if (sym(l, j, "("))
			depth++;
		else if (sym(l, j, ")") && depth-- == 0)
			break;
		int glue = k == 0 || sym(l, j, "(") || sym(l, j, ")") || sym(l, j, ",") ||
		           sym(l, j, "[") || sym(l, j, "]") ||
		           (j > 0 && (sym(l, j - 1, "(") || sym(l, j - 1, ",")));
		int n = snprintf(buf + k, sizeof buf - k, "%s%.*s", glue ? "" : " ", (int)t->length,
		                 l->sql + t->offset);
		if (n < 0 || (size_t)n >= sizeof buf - k)
			break;
		k += (size_t)n;
	}
	*i = j;
	if (!k)
		return NULL;
	const char *type = vg_arena_strdup(l->arena, buf);
	if (!type)
		l->oom = 1;
	return type;
}

/* ---- the state of tables ------------------------------------------------------------------- */

static table_state *find_table(lint *l, const char *name)
{
	for (table_state *t = l->tables; t; t = t->next)
		if (name && strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static table_state *add_table(lint *l, const char *name)
{
	table_state *t = find_table(l, name);
	if (!t) {
		if (!(t = vg_arena_alloc(l->arena, sizeof *t))) {
			l->oom = 1;
			return NULL;
		}
		t->name = name;
		t->next = l->tables;
		l->tables = t;
	}
	t->columns = NULL;
	t->created_in = l->ordinal;
	return t;
}

static void remove_table(lint *l, const char *name)
{
	for (table_state **p = &l->tables; *p; p = &(*p)->next) {
		if (strcmp((*p)->name, name) == 0) {
			*p = (*p)->next;
			return;
		}
	}
}

static col_state *find_column(table_state *t, const char *name)
{
	for (col_state *c = t ? t->columns : NULL; c; c = c->next)
		if (name && strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static col_state *add_column(lint *l, table_state *t, const char *name)
{
	if (!t || !name)
		return NULL;
	col_state *c = find_column(t, name);
	if (c)
		return c;
	if (!(c = vg_arena_alloc(l->arena, sizeof *c))) {
		l->oom = 1;
		return NULL;
	}
	c->name = name;
	c->not_null = -1;
	c->next = t->columns;
	t->columns = c;
	return c;
}

static void remove_column(table_state *t, const char *name)
{
	for (col_state **p = t ? &t->columns : NULL; p && *p; p = &(*p)->next) {
		if (strcmp((*p)->name, name) == 0) {
			*p = (*p)->next;
			return;
		}
	}
}

static int was_copied(const lint *l, const char *table)
{
	for (const name_node *c = l->copied; c; c = c->next)
		if (strcmp(c->name, table) == 0)
			return 1;
	return 0;
}

/* ---- findings ------------------------------------------------------------------------------ */

/* Maps a byte offset of the SQL onto the blueprint (see the comment at the top). */
static void locate(const lint *l, size_t offset, unsigned *line, unsigned *column)
{
	const vg_node *up = l->m->up_node;
	unsigned sql_line, sql_column;
	vg_sql_line_column(l->sql, offset, &sql_line, &sql_column);
	if (up->u.scalar.style == VG_SCALAR_BLOCK) {
		const vg_pair *pair = vg_map_pair(l->m->node, "up");
		if (!pair)
			pair = vg_map_pair(l->m->node, "sql");
		unsigned indent = (pair && pair->key ? pair->key->column : up->column) + 2;
		*line = up->line + sql_line;
		*column = indent + sql_column - 1;
	} else if (sql_line == 1) {
		*line = up->line;
		*column = up->column + (up->u.scalar.style == VG_SCALAR_QUOTED) + sql_column - 1;
	} else {
		*line = up->line + sql_line - 1;
		*column = sql_column;
	}
}

static vigil_finding *emit_at(lint *l, vg_code code, size_t tok_index, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static vigil_finding *emit_at(lint *l, vg_code code, size_t tok_index, const char *fmt, ...)
{
	const vigil_code_info *info = vg_code_info(code);
	va_list ap;
	va_start(ap, fmt);
	vigil_finding *f = vg_emitv(l->ctx, code, info ? info->severity : VIGIL_SEVERITY_ERROR,
	                            l->m->up_node, fmt, ap);
	va_end(ap);
	if (f && tok_index < l->n) {
		unsigned line, column;
		locate(l, l->tok[tok_index].offset, &line, &column);
		l->host->finding_set_location(f, l->m->up_node->file, line, column);
	}
	return f;
}

static const char *migration_label(const lint *l)
{
	return l->m->has_version ? vg_arena_printf(l->arena, "Migration %lld", l->m->version)
	                         : vg_arena_printf(l->arena, "Migration #%zu", l->ordinal);
}

static const char *statement_text(const lint *l, size_t from, size_t to)
{
	if (from >= l->n || to <= from)
		return "";
	size_t start = l->tok[from].offset;
	size_t end = l->tok[to - 1].offset + l->tok[to - 1].length;
	enum { MAX = 120 };
	if (end - start > MAX)
		return vg_arena_printf(l->arena, "%.*s ...", MAX, l->sql + start);
	return vg_arena_printf(l->arena, "%.*s", (int)(end - start), l->sql + start);
}

/* ---- type changes -------------------------------------------------------------------------- */

/* Integer size in bytes from the dialect's canonical name (SQLite: all one class). */
static int int_width(const vg_sqltype *t)
{
	const char *name = t->canonical ? t->canonical : t->base;
	if (!name)
		return 0;
	if (strncmp(name, "tinyint", 7) == 0)
		return 1;
	if (strncmp(name, "smallint", 8) == 0)
		return 2;
	if (strncmp(name, "mediumint", 9) == 0)
		return 3;
	if (strncmp(name, "bigint", 6) == 0)
		return 8;
	return 4;
}

/* Characters a string (or binary) type holds; 0 when unbounded. */
static long capacity(const vg_sqltype *t)
{
	const char *b = t->base ? t->base : "";
	if (t->arg_count >= 1)
		return t->args[0];
	if (strcmp(b, "tinytext") == 0 || strcmp(b, "tinyblob") == 0)
		return 255;
	if (strcmp(b, "char") == 0 || strcmp(b, "character") == 0 || strcmp(b, "nchar") == 0 ||
	    strcmp(b, "bpchar") == 0 || strcmp(b, "binary") == 0)
		return 1;
	return 0;
}

/* Characters needed to write any value of a non-string class as text. */
static long text_width(const vg_sqltype *t)
{
	switch (t->type_class) {
	case VG_TYPE_INTEGER: return 20;
	case VG_TYPE_FLOAT: return 24;
	case VG_TYPE_DECIMAL: return t->arg_count ? t->args[0] + 2 : 0;
	case VG_TYPE_BOOLEAN: return 5;
	case VG_TYPE_DATE: return 10;
	case VG_TYPE_TIME: return 18;
	case VG_TYPE_DATETIME: return 35;
	case VG_TYPE_UUID: return 36;
	default: return 0; /* json, bytes, enums, others: unbounded */
	}
}

static int float_bytes(const vg_sqltype *t)
{
	return t->canonical && strncmp(t->canonical, "float", 5) == 0 ? 4 : 8;
}

/*
 * Why changing a column from `from` to `to` may not keep its values, or NULL when the new
 * type holds every old value (or either type cannot be judged).
 */
static const char *narrowing(lint *l, const char *from_text, const char *to_text)
{
	vg_sqltype a, b;
	vg_db_type d = l->db->type;
	if (vg_sqltype_parse(&a, l->arena, from_text, d) < 0 ||
	    vg_sqltype_parse(&b, l->arena, to_text, d) < 0) {
		l->oom = 1;
		return NULL;
	}
	vg_type_class ca = a.type_class, cb = b.type_class;
	if (ca == VG_TYPE_UNKNOWN || cb == VG_TYPE_UNKNOWN || ca == VG_TYPE_OTHER ||
	    cb == VG_TYPE_OTHER)
		return NULL;
	if (a.canonical && b.canonical && strcmp(a.canonical, b.canonical) == 0)
		return NULL;
	if (cb == VG_TYPE_STRING) {
		long cap = capacity(&b);
		if (ca == VG_TYPE_STRING) {
			long old = capacity(&a);
			if (cap == 0 || (old != 0 && old <= cap))
				return NULL;
			return old == 0 ? vg_arena_printf(l->arena,
			                                  "%s is unbounded; %s holds at most %ld "
			                                  "characters",
			                                  from_text, to_text, cap)
			                : vg_arena_printf(l->arena,
			                                  "%s holds %ld characters; %s only %ld",
			                                  from_text, old, to_text, cap);
		}
		long need = text_width(&a);
		if (cap == 0 || (need != 0 && need <= cap))
			return NULL;
		return vg_arena_printf(l->arena,
		                       "%s values may need more than the %ld characters of %s",
		                       from_text, cap, to_text);
	}
	if (ca == VG_TYPE_INTEGER && cb == VG_TYPE_INTEGER) {
		if (int_width(&b) >= int_width(&a) &&
		    (!a.is_unsigned || b.is_unsigned || int_width(&b) > int_width(&a)))
			return NULL;
		return vg_arena_printf(l->arena, "%s holds a smaller range of integers than %s",
		                       to_text, from_text);
	}
	if (ca == VG_TYPE_INTEGER && cb == VG_TYPE_DECIMAL) {
		static const long digits[] = { 0, 3, 5, 7, 10, 10, 10, 10, 19 };
		long need = digits[int_width(&a)];
		long have = b.arg_count ? b.args[0] - (b.arg_count > 1 ? b.args[1] : 0) : need;
		return have >= need ? NULL
		                    : vg_arena_printf(l->arena,
		                                      "%s keeps %ld integer digits; %s needs %ld",
		                                      to_text, have, from_text, need);
	}
	if (ca == VG_TYPE_INTEGER && cb == VG_TYPE_FLOAT)
		return int_width(&a) <= (float_bytes(&b) == 8 ? 4 : 2)
		               ? NULL
		               : vg_arena_printf(l->arena, "%s cannot represent every %s exactly",
		                                 to_text, from_text);
	if (ca == VG_TYPE_FLOAT && cb == VG_TYPE_FLOAT)
		return float_bytes(&b) >= float_bytes(&a)
		               ? NULL
		               : vg_arena_printf(l->arena, "%s has less precision than %s", to_text,
		                                 from_text);
	if (ca == VG_TYPE_DECIMAL && cb == VG_TYPE_DECIMAL) {
		if (!b.arg_count)
			return NULL;
		long ps = a.arg_count > 1 ? a.args[1] : 0, bs = b.arg_count > 1 ? b.args[1] : 0;
		if (a.arg_count && bs >= ps && b.args[0] - bs >= a.args[0] - ps)
			return NULL;
		return vg_arena_printf(l->arena, "%s keeps fewer digits than %s", to_text,
		                       from_text);
	}
	if (ca == VG_TYPE_BOOLEAN && (cb == VG_TYPE_INTEGER || cb == VG_TYPE_DECIMAL))
		return NULL;
	if (ca == VG_TYPE_DATE && cb == VG_TYPE_DATETIME)
		return NULL;
	if (ca == cb && (ca == VG_TYPE_DATETIME || ca == VG_TYPE_TIME || ca == VG_TYPE_JSON ||
	                 ca == VG_TYPE_UUID || ca == VG_TYPE_BOOLEAN || ca == VG_TYPE_DATE))
		return NULL;
	if (ca == VG_TYPE_BINARY && cb == VG_TYPE_BINARY) {
		long cap = capacity(&b), old = capacity(&a);
		if (cap == 0 || (old != 0 && old <= cap))
			return NULL;
		return vg_arena_printf(l->arena, "%s holds fewer bytes than %s", to_text,
		                       from_text);
	}
	return vg_arena_printf(l->arena,
	                       "%s values (%s) must be converted to %s (%s), and not every "
	                       "value converts",
	                       from_text, vg_type_class_name(ca), to_text, vg_type_class_name(cb));
}

/* ---- column definitions -------------------------------------------------------------------- */

typedef struct coldef {
	const char *name;
	size_t name_tok;
	const char *type;
	size_t type_tok;
	int not_null; /* NOT NULL or PRIMARY KEY written */
	size_t not_null_tok;
	int nullable; /* NULL written */
	int has_default;
	int auto_fill; /* auto_increment, identity, generated, serial */
} coldef;

/* Reads `name type constraints...` from token `i` to `end`. */
static int read_coldef(lint *l, size_t i, size_t end, coldef *out)
{
	memset(out, 0, sizeof *out);
	out->name_tok = i;
	if (!(out->name = read_name(l, &i)))
		return 0;
	out->type_tok = i;
	out->type = read_type(l, &i, end);
	for (; i < end; i++) {
		if (kw(l, i, "NOT") && kw(l, i + 1, "NULL")) {
			out->not_null = 1;
			out->not_null_tok = i++;
		} else if (kw(l, i, "NULL")) {
			out->nullable = 1;
		} else if (kw(l, i, "PRIMARY") && kw(l, i + 1, "KEY")) {
			if (!out->not_null) {
				out->not_null = 1;
				out->not_null_tok = i;
			}
			i++;
		} else if (kw(l, i, "DEFAULT")) {
			out->has_default = 1;
		} else if (kw(l, i, "AUTO_INCREMENT") || kw(l, i, "AUTOINCREMENT") ||
		           kw(l, i, "GENERATED") || kw(l, i, "IDENTITY")) {
			out->auto_fill = 1;
		}
	}
	if (out->type) {
		vg_sqltype t;
		if (vg_sqltype_parse(&t, l->arena, out->type, l->db->type) < 0)
			l->oom = 1;
		else if (t.is_serial)
			out->auto_fill = 1;
	}
	return 1;
}

static void record_column(lint *l, table_state *t, const coldef *def)
{
	col_state *c = add_column(l, t, def->name);
	if (!c)
		return;
	c->type = def->type;
	c->not_null = def->not_null ? 1 : 0;
	c->added_in = l->ordinal;
}

/* ---- statements ---------------------------------------------------------------------------- */

static int is_table_constraint(const lint *l, size_t i)
{
	static const char *const words[] = {
		"CONSTRAINT", "PRIMARY",  "UNIQUE",  "FOREIGN", "CHECK", "INDEX",
		"KEY",        "FULLTEXT", "SPATIAL", "EXCLUDE", "LIKE",  "PERIOD",
	};
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (kw(l, i, words[k]))
			return 1;
	return 0;
}

static void create_table(lint *l, size_t i)
{
	while (kw(l, i, "OR") || kw(l, i, "REPLACE") || kw(l, i, "TEMP") || kw(l, i, "TEMPORARY") ||
	       kw(l, i, "UNLOGGED") || kw(l, i, "GLOBAL") || kw(l, i, "LOCAL"))
		i++;
	if (!kw(l, i, "TABLE"))
		return;
	i++;
	skip_if_exists(l, &i);
	const char *name = read_name(l, &i);
	table_state *t = name ? add_table(l, name) : NULL;
	if (!t || !sym(l, i, "("))
		return;
	size_t end = matching_paren(l, i) - 1;
	for (size_t item = i + 1; item < end;) {
		size_t stop = item_end(l, item, end);
		coldef def;
		if (!is_table_constraint(l, item) && read_coldef(l, item, stop, &def))
			record_column(l, t, &def);
		item = stop + 1;
	}
}

static void drop_table(lint *l, size_t i)
{
	size_t drop_tok = 0;
	if (kw(l, i, "TEMPORARY"))
		return;
	if (!kw(l, i, "TABLE"))
		return;
	i++;
	skip_if_exists(l, &i);
	while (is_name(l, i)) {
		size_t name_tok = i;
		const char *name = read_name(l, &i);
		if (!name)
			return;
		table_state *t = find_table(l, name);
		int fresh = t && t->created_in == l->ordinal;
		if (!fresh && !was_copied(l, name)) {
			vigil_finding *f = emit_at(l, VG_MIGRATION_DROP_TABLE, drop_tok,
			                           "%s drops table %s", migration_label(l), name);
			vg_detail(
			        f,
			        "Risk class: destructive. DROP TABLE %s deletes every row it holds; "
			        "running `down` afterwards does not bring them back.",
			        name);
			vg_hint(f,
			        "If the data must survive, rename the table (ALTER TABLE %s RENAME TO "
			        "...) or copy its rows elsewhere first; if the loss is intended, back "
			        "the table up before applying.",
			        name);
			vg_object(f, l->db->name, name);
			vg_evidence(f, "risk class: safe (no rows lost)",
			            vg_arena_printf(l->arena, "risk class: destructive (%s)",
			                            statement_text(l, drop_tok, name_tok + 1)));
		}
		remove_table(l, name);
		if (!sym(l, i, ","))
			break;
		i++;
	}
}

static void report_not_null(lint *l, const char *table, const char *column, size_t at,
                            size_t stmt_from, size_t stmt_to, int adding)
{
	vigil_finding *f;
	if (adding) {
		f = emit_at(l, VG_MIGRATION_NOT_NULL, at,
		            "%s adds NOT NULL column %s.%s without a default to an existing table",
		            migration_label(l), table, column);
		vg_detail(f,
		          "Risk class: data-dependent. If %s holds rows, the statement fails on "
		          "PostgreSQL and SQLite, and MySQL fills the rows with the type's zero "
		          "value.",
		          table);
		vg_hint(f,
		        "Give the column a DEFAULT, or add it nullable, backfill it, then make it NOT "
		        "NULL.");
	} else {
		f = emit_at(l, VG_MIGRATION_NOT_NULL, at, "%s makes column %s.%s NOT NULL",
		            migration_label(l), table, column);
		vg_detail(f,
		          "Risk class: data-dependent. The statement fails if any row of %s holds "
		          "NULL in %s.",
		          table, column);
		vg_hint(f,
		        "Backfill first (UPDATE %s SET %s = ... WHERE %s IS NULL) in the same "
		        "migration, or give the column a DEFAULT.",
		        table, column, column);
	}
	vg_object(f, l->db->name, vg_arena_printf(l->arena, "%s.%s", table, column));
	vg_evidence(f, "risk class: safe (a DEFAULT, or a table known to be empty)",
	            vg_arena_printf(l->arena, "risk class: data-dependent (%s)",
	                            statement_text(l, stmt_from, stmt_to)));
}

static void report_type_change(lint *l, const char *table, const char *column, const char *from,
                               const char *to, size_t at, const char *why)
{
	vigil_finding *f = emit_at(l, VG_MIGRATION_NARROWING, at,
	                           "%s changes %s.%s from %s to %s, which may not hold its data",
	                           migration_label(l), table, column, from, to);
	vg_detail(f,
	          "Risk class: data-dependent. %s: rows whose value does not fit make the "
	          "migration fail, or are truncated or rounded (MySQL).",
	          why);
	vg_hint(f,
	        "Check the data first (e.g. SELECT count(*) FROM %s WHERE ...), or keep a type "
	        "at least as wide as %s.",
	        table, from);
	vg_object(f, l->db->name, vg_arena_printf(l->arena, "%s.%s", table, column));
	vg_evidence(
	        f, vg_arena_printf(l->arena, "risk class: safe (a type that holds every %s)", from),
	        vg_arena_printf(l->arena, "risk class: data-dependent (%s -> %s)", from, to));
}

static void change_type(lint *l, table_state *t, const char *table, const char *column,
                        const char *to, size_t at)
{
	col_state *c = find_column(t, column);
	if (!c || !to)
		return;
	if (c->type && c->added_in != l->ordinal) {
		const char *why = narrowing(l, c->type, to);
		if (why)
			report_type_change(l, table, column, c->type, to, at, why);
	}
	c->type = to;
}

static void drop_column(lint *l, table_state *t, const char *table, size_t drop_tok, size_t a,
                        size_t b)
{
	size_t i = drop_tok + 1;
	int column_word = kw(l, i, "COLUMN");
	if (column_word)
		i++;
	else if (is_table_constraint(l, i) || kw(l, i, "PARTITION") || kw(l, i, "DEFAULT") ||
	         kw(l, i, "TRIGGER") || kw(l, i, "NOT") || kw(l, i, "EXPRESSION") ||
	         kw(l, i, "IDENTITY") || kw(l, i, "SYSTEM"))
		return;
	skip_if_exists(l, &i);
	const char *name = read_name(l, &i);
	if (!name)
		return;
	col_state *c = find_column(t, name);
	if (c && c->added_in == l->ordinal) {
		remove_column(t, name);
		return;
	}
	if (!(t && t->created_in == l->ordinal)) {
		vigil_finding *f = emit_at(l, VG_MIGRATION_DROP_COLUMN, drop_tok,
		                           "%s drops column %s.%s", migration_label(l), table,
		                           name);
		vg_detail(f,
		          "Risk class: destructive. DROP COLUMN %s deletes the column's value in "
		          "every row of %s.",
		          name, table);
		vg_hint(f,
		        "If the column was renamed, use ALTER TABLE %s RENAME COLUMN %s TO ...; if "
		        "its data is no longer needed, back it up before applying.",
		        table, name);
		vg_object(f, l->db->name, vg_arena_printf(l->arena, "%s.%s", table, name));
		vg_evidence(f, "risk class: safe (no values lost)",
		            vg_arena_printf(l->arena, "risk class: destructive (%s)",
		                            statement_text(l, a, b)));
		dropped_col *d = vg_arena_alloc(l->arena, sizeof *d);
		if (!d) {
			l->oom = 1;
			return;
		}
		d->table = table;
		d->name = name;
		d->type = c ? c->type : NULL;
		d->next = l->dropped;
		l->dropped = d;
	}
	remove_column(t, name);
}

/* A column added right after one was dropped from the same table reads as a rename. */
static void check_rename(lint *l, const char *table, const coldef *def)
{
	for (dropped_col *d = l->dropped; d; d = d->next) {
		if (d->paired || strcmp(d->table, table) != 0 || strcmp(d->name, def->name) == 0)
			continue;
		if (d->type && def->type) {
			vg_sqltype a, b;
			if (vg_sqltype_parse(&a, l->arena, d->type, l->db->type) < 0 ||
			    vg_sqltype_parse(&b, l->arena, def->type, l->db->type) < 0) {
				l->oom = 1;
				return;
			}
			if (a.type_class != VG_TYPE_UNKNOWN && b.type_class != VG_TYPE_UNKNOWN &&
			    a.type_class != b.type_class)
				continue;
		}
		d->paired = 1;
		vigil_finding *f =
		        emit_at(l, VG_MIGRATION_DROP_ADD, def->name_tok,
		                "%s drops column %s.%s and adds %s.%s: a rename written as "
		                "drop + add",
		                migration_label(l), table, d->name, table, def->name);
		vg_detail(f,
		          "Risk class: destructive. DROP COLUMN %s deletes its values before ADD "
		          "COLUMN %s creates an empty column: the data does not move.",
		          d->name, def->name);
		vg_hint(f,
		        "If '%s' was renamed, write ALTER TABLE %s RENAME COLUMN %s TO %s, which "
		        "keeps the data.",
		        d->name, table, d->name, def->name);
		vg_object(f, l->db->name, vg_arena_printf(l->arena, "%s.%s", table, def->name));
		vg_evidence(f,
		            vg_arena_printf(l->arena, "ALTER TABLE %s RENAME COLUMN %s TO %s",
		                            table, d->name, def->name),
		            vg_arena_printf(l->arena, "DROP COLUMN %s + ADD COLUMN %s", d->name,
		                            def->name));
		return;
	}
}

static void add_column_action(lint *l, table_state *t, const char *table, size_t a, size_t b)
{
	size_t i = a + 1;
	if (kw(l, i, "COLUMN"))
		i++;
	else if (is_table_constraint(l, i) || kw(l, i, "PARTITION") || sym(l, i, "("))
		return;
	skip_if_exists(l, &i);
	coldef def;
	if (!read_coldef(l, i, b, &def))
		return;
	int fresh_table = t && t->created_in == l->ordinal;
	if (def.not_null && !def.has_default && !def.auto_fill && !fresh_table)
		report_not_null(l, table, def.name, def.not_null_tok, a, b, 1);
	check_rename(l, table, &def);
	if (t)
		record_column(l, t, &def);
}

/* ALTER [COLUMN] c [SET DATA] TYPE t | SET NOT NULL | ... */
static void alter_column_action(lint *l, table_state *t, const char *table, size_t a, size_t b)
{
	size_t i = a + 1;
	if (kw(l, i, "COLUMN"))
		i++;
	const char *column = read_name(l, &i);
	if (!column)
		return;
	if (kw(l, i, "SET") && kw(l, i + 1, "DATA") && kw(l, i + 2, "TYPE"))
		i += 3;
	else if (kw(l, i, "TYPE"))
		i++;
	else {
		if (kw(l, i, "SET") && kw(l, i + 1, "NOT") && kw(l, i + 2, "NULL")) {
			col_state *c = find_column(t, column);
			if (!(t && t->created_in == l->ordinal) && !(c && c->not_null == 1))
				report_not_null(l, table, column, i + 1, a, b, 0);
			if (c)
				c->not_null = 1;
		}
		return;
	}
	size_t type_tok = i;
	const char *type = read_type(l, &i, b);
	change_type(l, t, table, column, type, type_tok);
}

/* MySQL: MODIFY [COLUMN] c type ... / CHANGE [COLUMN] old new type ... */
static void modify_column_action(lint *l, table_state *t, const char *table, size_t a, size_t b,
                                 int change)
{
	size_t i = a + 1;
	if (kw(l, i, "COLUMN"))
		i++;
	const char *old = change ? read_name(l, &i) : NULL;
	coldef def;
	if ((change && !old) || !read_coldef(l, i, b, &def))
		return;
	const char *column = change ? old : def.name;
	col_state *c = find_column(t, column);
	int was_nullable = c && c->not_null == 0;
	change_type(l, t, table, column, def.type, def.type_tok);
	if (def.not_null && !def.has_default && was_nullable && !(t && t->created_in == l->ordinal))
		report_not_null(l, table, column, def.not_null_tok, a, b, 0);
	if (c) {
		c->not_null = def.not_null ? 1 : 0;
		if (change)
			c->name = def.name;
	}
}

static void rename_action(lint *l, table_state *t, size_t a, size_t b)
{
	size_t i = a + 1;
	if (kw(l, i, "TO") || kw(l, i, "AS")) {
		i++;
		const char *to = read_name(l, &i);
		if (t && to) {
			remove_table(l, to);
			t->name = to;
		}
		return;
	}
	if (kw(l, i, "CONSTRAINT") || kw(l, i, "INDEX") || kw(l, i, "KEY"))
		return;
	if (kw(l, i, "COLUMN"))
		i++;
	const char *from = read_name(l, &i);
	if (!kw(l, i, "TO"))
		return;
	i++;
	const char *to = read_name(l, &i);
	col_state *c = find_column(t, from);
	if (c && to && i <= b)
		c->name = to;
}

static void alter_table(lint *l, size_t i)
{
	if (!kw(l, i, "TABLE"))
		return;
	i++;
	skip_if_exists(l, &i);
	if (kw(l, i, "ONLY"))
		i++;
	const char *table = read_name(l, &i);
	if (!table)
		return;
	table_state *t = find_table(l, table);
	while (i < l->n && !l->oom) {
		size_t end = item_end(l, i, l->n);
		if (end == i) { /* a stray `)` */
			i++;
			continue;
		}
		if (kw(l, i, "ADD"))
			add_column_action(l, t, table, i, end);
		else if (kw(l, i, "DROP"))
			drop_column(l, t, table, i, i, end);
		else if (kw(l, i, "ALTER"))
			alter_column_action(l, t, table, i, end);
		else if (kw(l, i, "MODIFY"))
			modify_column_action(l, t, table, i, end, 0);
		else if (kw(l, i, "CHANGE"))
			modify_column_action(l, t, table, i, end, 1);
		else if (kw(l, i, "RENAME"))
			rename_action(l, t, i, end);
		i = end + 1;
	}
}

/* INSERT INTO x ... SELECT ... FROM t: t's rows were copied (a rebuild, when t is dropped). */
static void insert_select(lint *l)
{
	int selecting = 0;
	for (size_t i = 1; i < l->n; i++) {
		if (kw(l, i, "SELECT"))
			selecting = 1;
		else if (selecting && (kw(l, i, "FROM") || kw(l, i, "JOIN"))) {
			size_t j = i + 1;
			const char *name = read_name(l, &j);
			name_node *c = name ? vg_arena_alloc(l->arena, sizeof *c) : NULL;
			if (!c)
				continue;
			c->name = name;
			c->next = l->copied;
			l->copied = c;
		}
	}
}

static void statement(lint *l)
{
	if (kw(l, 0, "CREATE"))
		create_table(l, 1);
	else if (kw(l, 0, "DROP"))
		drop_table(l, 1);
	else if (kw(l, 0, "ALTER"))
		alter_table(l, 1);
	else if (kw(l, 0, "INSERT") || kw(l, 0, "REPLACE"))
		insert_select(l);
}

/* ---- driving ------------------------------------------------------------------------------- */

/* Collects the code tokens of one statement into l->tok. */
static int collect_tokens(lint *l, const vg_sql_statement *st)
{
	vg_sql_lexer lx;
	vg_sql_token tok;
	vg_sql_lexer_init(&lx, l->sql + st->offset, st->length, l->dialect);
	l->n = 0;
	while (vg_sql_lex_code(&lx, &tok) != VG_SQL_END) {
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 64;
			vg_sql_token *grown = vg_arena_array(l->arena, cap, sizeof *grown);
			if (!grown)
				return -1;
			if (l->n)
				memcpy(grown, l->tok, l->n * sizeof *grown);
			l->tok = grown;
			l->cap = cap;
		}
		tok.offset += st->offset;
		l->tok[l->n++] = tok;
	}
	return 0;
}

static int lint_migration(lint *l, const vg_migration *m, size_t ordinal)
{
	const vg_node *up = m->up_node;
	if (!up || up->kind != VG_NODE_SCALAR)
		return 0; /* level 2 reports a missing or malformed `up` */
	l->m = m;
	l->ordinal = ordinal;
	l->sql = up->u.scalar.text; /* as written, so offsets match the blueprint */
	l->copied = NULL;
	l->dropped = NULL;
	vg_sql_lexer lx;
	vg_sql_statement st;
	vg_sql_lexer_init(&lx, l->sql, up->u.scalar.length, l->dialect);
	while (vg_sql_next_statement(&lx, &st) && !l->oom) {
		if (collect_tokens(l, &st) < 0)
			return -1;
		statement(l);
	}
	return l->oom ? -1 : 0;
}

int vg_semantics_migrations_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	int rc = 0;
	for (size_t d = 0; d < bp->database_count && rc == 0; d++) {
		const vg_database *db = &bp->databases[d];
		if (db->migration_count == 0)
			continue;
		lint l;
		memset(&l, 0, sizeof l);
		l.ctx = ctx;
		l.host = host; /* the pipeline's host table */
		l.db = db;
		l.dialect = vg_sql_dialect_of(db->type);
		if (!(l.arena = vg_arena_new()))
			return -1;
		for (size_t i = 0; i < db->migration_count && rc == 0; i++)
			rc = lint_migration(&l, &db->migrations[i], i + 1);
		vg_arena_free(l.arena);
	}
	return rc;
}
