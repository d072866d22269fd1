/*
 * privileges.c — what the connected user may do, from information_schema in one round trip:
 * global privileges (USER_PRIVILEGES; they hold in every database), the database's
 * (SCHEMA_PRIVILEGES, including wildcard grants such as `app\_%`.*) and each table's
 * (TABLE_PRIVILEGES), for CURRENT_USER() and its current role. MySQL lists ALL PRIVILEGES as
 * its parts; vigil's "all" is reported when every privilege of vigil's vocabulary that the
 * level has is held, and a global SUPER is "superuser".
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "mysql_driver.h"

static const struct {
	const char *mysql, *vigil;
	int table_level; /* can be granted on a table */
} privilege_names[] = {
	{ "SELECT", "select", 1 },     { "INSERT", "insert", 1 },         { "UPDATE", "update", 1 },
	{ "DELETE", "delete", 1 },     { "CREATE", "create", 1 },         { "ALTER", "alter", 1 },
	{ "DROP", "drop", 1 },         { "INDEX", "index", 1 },           { "REFERENCES", "references", 1 },
	{ "TRIGGER", "trigger", 1 },   { "EXECUTE", "execute", 0 },
};
enum { PRIVILEGE_COUNT = sizeof privilege_names / sizeof privilege_names[0] };

static unsigned privilege_bit(const char *mysql_name)
{
	for (unsigned i = 0; i < PRIVILEGE_COUNT; i++)
		if (strcmp(privilege_names[i].mysql, mysql_name) == 0)
			return 1u << i;
	return 0;
}

typedef struct table_grants {
	char *table;
	unsigned mask;
} table_grants;

typedef struct grants {
	unsigned database_mask;
	int superuser, usage;
	table_grants *tables; /* in table order (the query sorts them) */
	size_t table_count, table_cap;
	int oom;
} grants;

static int grant_row(void *payload, size_t n, const char *const *v, const size_t *len)
{
	(void)len;
	grants *g = payload;
	/* level ("1 global", "2 database", "3 table"), TABLE_NAME, PRIVILEGE_TYPE */
	if (n < 3 || !v[0] || !v[2])
		return 0;
	unsigned bit = privilege_bit(v[2]);
	if (v[0][0] != '3') {
		g->database_mask |= bit;
		if (v[0][0] == '1' && strcmp(v[2], "SUPER") == 0)
			g->superuser = 1;
		if (strcmp(v[2], "USAGE") == 0)
			g->usage = 1;
		return 0;
	}
	if (!v[1] || !bit)
		return 0;
	if (g->table_count == 0 || strcmp(g->tables[g->table_count - 1].table, v[1]) != 0) {
		if (g->table_count == g->table_cap) {
			size_t cap = g->table_cap ? g->table_cap * 2 : 16;
			table_grants *grown = realloc(g->tables, cap * sizeof *grown);
			if (!grown)
				return g->oom = 1, -1;
			g->tables = grown;
			g->table_cap = cap;
		}
		table_grants *t = &g->tables[g->table_count];
		if (!(t->table = strdup(v[1])))
			return g->oom = 1, -1;
		t->mask = 0;
		g->table_count++;
	}
	g->tables[g->table_count - 1].mask |= bit;
	return 0;
}

/* Reports each privilege of `mask` on `object`, and "all" when `mask` has every one the level
 * can have. */
static void report(const vigil_host *host, vigil_privilege_sink *sink, const char *object,
                   unsigned mask, int table_level)
{
	unsigned complete = 0;
	for (unsigned i = 0; i < PRIVILEGE_COUNT; i++) {
		if (!table_level || privilege_names[i].table_level)
			complete |= 1u << i;
		if (mask & (1u << i))
			host->privilege_add(sink, object, privilege_names[i].vigil);
	}
	if ((mask & complete) == complete)
		host->privilege_add(sink, object, "all");
}

/* The current user as information_schema spells a grantee: 'user'@'host'. */
#define GRANTEE                                                                                 \
	"CONCAT('''', LEFT(CURRENT_USER(), CHAR_LENGTH(CURRENT_USER())"                             \
	" - CHAR_LENGTH(SUBSTRING_INDEX(CURRENT_USER(), '@', -1)) - 1), '''@''',"                   \
	" SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')"
/* MariaDB's roles are grantees 'role'; PUBLIC (MariaDB 10.11) holds for everyone. */
#define MINE "(p.GRANTEE = " GRANTEE " OR p.GRANTEE = CONCAT('''', CURRENT_ROLE(), '''') OR p.GRANTEE = 'PUBLIC')"

int vmy_privileges(vigil_conn *conn, const char *namespace_, vigil_privilege_sink *sink,
                   const vigil_host *host, vigil_db_error *err)
{
	vdc_text sql = { 0 };
	vdc_text_add(&sql, "SELECT '1 global' AS level, NULL AS object, p.PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES p"
	                  " WHERE " MINE
	                  " UNION ALL SELECT '2 database', NULL, p.PRIVILEGE_TYPE"
	                  " FROM information_schema.SCHEMA_PRIVILEGES p WHERE " MINE " AND (");
	vmy_schema_filter(&sql, conn->mysql, "p.TABLE_SCHEMA", namespace_);
	vdc_text_add(&sql, " OR ");
	if (namespace_ && *namespace_)
		vmy_escaped(&sql, conn->mysql, namespace_);
	else
		vdc_text_add(&sql, "DATABASE()");
	vdc_text_add(&sql, " LIKE p.TABLE_SCHEMA)"
	                  " UNION ALL SELECT '3 table', p.TABLE_NAME, p.PRIVILEGE_TYPE"
	                  " FROM information_schema.TABLE_PRIVILEGES p WHERE " MINE " AND ");
	vmy_schema_filter(&sql, conn->mysql, "p.TABLE_SCHEMA", namespace_);
	/* Table names as bytes: the catalog's collation would mix `Foo` and `foo`. */
	vdc_text_add(&sql, " ORDER BY level, CAST(object AS BINARY)");
	if (sql.failed) {
		vdc_text_free(&sql);
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory building the privileges query");
		return -1;
	}
	grants g = { 0 };
	int rc = vmy_text_query(conn, sql.data, grant_row, &g, NULL, err);
	vdc_text_free(&sql);
	if (g.oom) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory reading privileges");
		rc = -1;
	}
	if (rc == 0) {
		if (g.superuser)
			host->privilege_add(sink, NULL, "superuser");
		if (g.usage)
			host->privilege_add(sink, NULL, "usage");
		report(host, sink, NULL, g.database_mask, 0);
		for (size_t i = 0; i < g.table_count; i++)
			report(host, sink, g.tables[i].table, g.tables[i].mask, 1);
	}
	for (size_t i = 0; i < g.table_count; i++)
		free(g.tables[i].table);
	free(g.tables);
	return rc == 0 ? 0 : -1;
}
