/* sql_dialect.h — the SQL lexer's dialect of a database type: the one map between the two. */
#ifndef VG_SQL_DIALECT_H
#define VG_SQL_DIALECT_H

#include "blueprint.h"
#include "sql_lex.h"

/** The lexer dialect for `type`; VG_SQL_GENERIC for an unknown type. */
vg_sql_dialect vg_sql_dialect_of(vg_db_type type);

#endif
