/*
 * sql_default.h — a column default is data, never code.
 *
 * A default (as a blueprint declares it, or as a live database reports it) becomes SQL only
 * as one of:
 *   - NULL;
 *   - a literal of the column's type: a number, TRUE/FALSE, a string (written '...' in the
 *     blueprint, or bare text where the column is not numeric or boolean), a hex or bit
 *     string (X'0A', B'01');
 *   - an expression from the dialect's allow-list (vg_sql_default_allowed): a keyword such
 *     as CURRENT_TIMESTAMP, or a call of an allowed function whose arguments are again
 *     literals or allowed calls (now(), gen_random_uuid(), nextval('seq'),
 *     datetime('now')), in parentheses, with PostgreSQL casts to a plain type name
 *     ('{}'::jsonb).
 * The text is read token by token with the SQL lexer (sql_lex.h) and the SQL is rebuilt from
 * the tokens it accepted: strings are unquoted and quoted again by the dialect's rules
 * (PostgreSQL E'' when a backslash is in it, MySQL with backslashes doubled), numbers and
 * names checked character by character. Nothing is passed through as written, so a default
 * cannot end the statement it is written into. Anything else is refused with a phrase that
 * says why; level 2 reports it (VG237) and the drivers refuse to render it (host->render_default).
 */
#ifndef VG_SQL_DEFAULT_H
#define VG_SQL_DEFAULT_H

#include "arena.h"
#include "blueprint.h" /* vg_db_type */
#include "sqltypes.h"  /* vg_type_class */

/**
 * What follows DEFAULT for `value` on a column of `type_class` in `dialect`, from `arena`:
 * "NULL" for NULL/null, else the literal or allowed expression as the dialect writes it
 * (SQLite and MySQL get a function call in the parentheses they require; SQLite the clock
 * as CURRENT_TIMESTAMP / CURRENT_DATE / CURRENT_TIME; a boolean column's true/false as the
 * dialect stores it). NULL when refused, with `*problem` (may be NULL) set to a phrase that
 * follows the value ("holds a ';', which ends a statement") — or to NULL when memory ran out.
 */
const char *vg_sql_default_sql(vg_arena *arena, vg_db_type dialect, vg_type_class type_class,
                               const char *value, const char **problem);

/** Whether `value` holds what could end or hide a statement in `dialect`: a ';' or a comment
 *  outside literals, or an unterminated quote — SQL, not a value. */
int vg_sql_default_is_code(vg_db_type dialect, const char *value);

/** What a default may be in the dialect, for messages: "NULL, TRUE, FALSE, numbers,
 *  'strings', CURRENT_TIMESTAMP, ..., now(), gen_random_uuid(), nextval('…')". From `arena`
 *  (NULL when memory runs out). */
const char *vg_sql_default_allowed(vg_arena *arena, vg_db_type dialect);

#endif
