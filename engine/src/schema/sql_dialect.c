/* sql_dialect.c — see sql_dialect.h. */
#include "sql_dialect.h"

vg_sql_dialect vg_sql_dialect_of(vg_db_type type)
{
	switch (type) {
	case VG_DB_POSTGRESQL: return VG_SQL_POSTGRESQL;
	case VG_DB_MYSQL: return VG_SQL_MYSQL;
	case VG_DB_SQLITE: return VG_SQL_SQLITE;
	case VG_DB_UNKNOWN: break;
	}
	return VG_SQL_GENERIC;
}
