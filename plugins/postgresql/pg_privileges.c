/*
 * pg_privileges.c — what the connected user may do, from the catalogs, in one query:
 *   - "superuser" (object NULL) for a role with rolsuper;
 *   - on the namespace (object NULL): "create" (may create tables in it) and "usage";
 *   - per table of the namespace: select insert update delete references trigger from the
 *     ACLs (has_table_privilege, which counts grants to PUBLIC and to roles the user is in),
 *     and alter / drop / index when the user owns the table or is a member of its owner —
 *     in PostgreSQL those come with ownership, not with a grant.
 * The tables are those introspection reports (not partitions, not an extension's).
 * Database-level CONNECT and TEMP, and TRUNCATE on tables, have no name in the driver ABI's
 * privilege list and are not reported; nor are column-level grants.
 */
#include "pg_internal.h"

static const char privileges_query[] =
	"WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = @NS@),"
	" t AS (SELECT c.oid, c.relname, c.relowner FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace"
	" WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND NOT EXISTS (SELECT 1"
	" FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::regclass"
	" AND e.objid = c.oid AND e.deptype = 'e'))"
	" SELECT NULL::text, 'superuser' FROM pg_catalog.pg_roles WHERE rolname = current_user AND rolsuper"
	" UNION ALL SELECT NULL, 'create' FROM ns WHERE pg_catalog.has_schema_privilege(ns.oid, 'CREATE')"
	" UNION ALL SELECT NULL, 'usage' FROM ns WHERE pg_catalog.has_schema_privilege(ns.oid, 'USAGE')"
	" UNION ALL SELECT t.relname::text, p.name FROM t"
	" CROSS JOIN (VALUES ('select'), ('insert'), ('update'), ('delete'), ('references'), ('trigger'))"
	" AS p(name) WHERE pg_catalog.has_table_privilege(t.oid, p.name)"
	" UNION ALL SELECT t.relname::text, o.name FROM t"
	" CROSS JOIN (VALUES ('alter'), ('drop'), ('index')) AS o(name)"
	" WHERE pg_catalog.pg_has_role(t.relowner, 'USAGE')"
	" ORDER BY 1 NULLS FIRST, 2";

int pg_privileges(vigil_conn *conn, const char *namespace_, vigil_privilege_sink *sink,
                  const vigil_host *host, vigil_db_error *err)
{
	pg_error_clear(err);
	if (!host || !VIGIL_HOST_HAS(host, privilege_add))
		return pg_error(err, VIGIL_DB_ERR_UNSUPPORTED, NULL,
		                "the host has no privilege setter (ABI 1.1 needed)", NULL);
	vdc_text sql = { 0 };
	pg_catalog_sql(&sql, privileges_query, namespace_);
	if (sql.failed) {
		vdc_text_free(&sql);
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
	}
	PGresult *res = PQexec(conn->pg, vdc_text_str(&sql));
	vdc_text_free(&sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		int rc = pg_result_error(err, conn->pg, res);
		PQclear(res);
		return rc;
	}
	for (int i = 0; i < PQntuples(res); i++)
		host->privilege_add(sink, PQgetisnull(res, i, 0) ? NULL : PQgetvalue(res, i, 0),
		                    PQgetvalue(res, i, 1));
	PQclear(res);
	return 0;
}
