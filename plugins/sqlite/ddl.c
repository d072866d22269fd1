/*
 * ddl.c — schema changes as SQLite statements.
 *
 * SQLite's ALTER TABLE only renames, adds and drops columns: changing a column, a primary key
 * or a foreign key of an existing table means rebuilding the table (create a new one, copy,
 * drop, rename), which healing does. Those changes are VIGIL_DB_ERR_UNSUPPORTED here, with a
 * message saying so (for ADD_FOREIGN_KEY, with the clause the rebuilt table needs). Foreign
 * keys therefore come inside CREATE_TABLE (change->foreign_keys). A unique constraint added
 * later is a unique index (the schema diff takes one for the other).
 *
 * Round trip: a table created here and read back by introspect.c diffs to nothing. Hence a
 * single-column primary key with integer affinity is written INTEGER (the rowid, which the
 * engine counts as auto-increment either way), and defaults are written so SQLite keeps them
 * as declared (ddl_text.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_driver.h"

#define CHANGE_HAS(change, field)                                                           \
	((change)->size >= offsetof(vigil_ddl_change, field) + sizeof((change)->field))

/* ---- pieces ----------------------------------------------------------------------------- */

static int contains_ignoring_case(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = text; *p; p++) {
		size_t i = 0;
		while (i < n && p[i] && tolower((unsigned char)p[i]) == word[i])
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* The dialect's spelling of a declared type (host->render_type), or the type as written when
 * it is plain words (vdc_is_plain_type); NULL for anything else. */
static const char *column_type(const vigil_host *host, const char *declared, char *buf,
                               size_t size)
{
	if (!declared)
		return "";
	if (host && VIGIL_HOST_HAS(host, render_type) &&
	    host->render_type(VSQ_DIALECT, declared, buf, size) == 0)
		return buf;
	return vdc_is_plain_type(declared) ? declared : NULL;
}

/* "set null" / "SET_NULL" / "Set-Null" -> "SET NULL"; NULL for an unknown action. */
static const char *action_sql(const char *action)
{
	static const char *const actions[] = { "CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT",
		                                   "NO ACTION" };
	char word[16];
	size_t n = 0;
	for (const char *p = action; *p; p++) {
		char c = *p == '_' || *p == '-' ? ' ' : (char)toupper((unsigned char)*p);
		if (c == ' ' && (n == 0 || word[n - 1] == ' '))
			continue;
		if (n + 1 >= sizeof word)
			return NULL;
		word[n++] = c;
	}
	while (n && word[n - 1] == ' ')
		n--;
	word[n] = '\0';
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(word, actions[i]) == 0)
			return actions[i];
	return NULL;
}

/* No names, or names none of which is NULL or empty. */
static int names_valid(const char *const *names, size_t count)
{
	return count == 0 || vdc_names_present(names, count);
}

/* FOREIGN KEY ("a") REFERENCES "parent" ("id") ON DELETE CASCADE. SQLite keeps no
 * constraint names, so none is written. */
static int add_foreign_key_clause(vdc_text *t, const char *const *columns, size_t count,
                                  const char *ref_table, const char *const *ref_columns,
                                  size_t ref_count, const char *on_delete, const char *on_update,
                                  vigil_db_error *err)
{
	if (!count || !names_valid(columns, count) || !ref_table || !*ref_table ||
	    !names_valid(ref_columns, ref_count))
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER,
		                     "a foreign key needs its columns and the table it references");
	const char *del = on_delete ? action_sql(on_delete) : NULL;
	const char *upd = on_update ? action_sql(on_update) : NULL;
	if ((on_delete && !del) || (on_update && !upd))
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER,
		                     "unknown foreign-key action \"%s\" (expected cascade, restrict, set null, set default or no action)",
		                     on_delete && !del ? on_delete : on_update);
	vdc_text_add(t, "FOREIGN KEY ");
	vdc_text_ident_list(t, columns, count, VSQ_QUOTE);
	vdc_text_add(t, " REFERENCES ");
	vdc_text_ident(t, ref_table, VSQ_QUOTE);
	if (ref_count) {
		vdc_text_add(t, " ");
		vdc_text_ident_list(t, ref_columns, ref_count, VSQ_QUOTE);
	}
	/* NO ACTION is the default: written only when it is not. */
	if (del && strcmp(del, "NO ACTION") != 0)
		vdc_text_printf(t, " ON DELETE %s", del);
	if (upd && strcmp(upd, "NO ACTION") != 0)
		vdc_text_printf(t, " ON UPDATE %s", upd);
	return 0;
}

enum { COLUMN_IN_TABLE = 0, COLUMN_PRIMARY_KEY = 1, COLUMN_ADDED = 2 };

/* "name" TYPE [PRIMARY KEY [AUTOINCREMENT]] [NOT NULL] [UNIQUE] [DEFAULT ...] */
static int add_column_def(vdc_text *t, const vigil_ddl_column *c, int role,
                          const vigil_host *host, vigil_db_error *err)
{
	char buf[256];
	if (!c->name || !*c->name)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "a column without a name");
	const char *type = column_type(host, c->type, buf, sizeof buf);
	if (!type)
		return vsq_error_set(
		        err, VIGIL_DB_ERR_UNSUPPORTED,
		        "column %s has the type \"%s\", which is not a type SQLite knows "
		        "and not plain words: refused",
		        c->name, c->type);
	char def[512];
	if (c->default_value &&
	    vdc_default_sql(host, VSQ_DIALECT, c->type, c->default_value, def, sizeof def) != 0)
		return vsq_error_set(
		        err, VIGIL_DB_ERR_UNSUPPORTED,
		        "the default of column %s %s: refused (a default is a literal of "
		        "the column's type or an allowed expression)",
		        c->name, def);
	int primary_key = role == COLUMN_PRIMARY_KEY;
	/* The rowid: a lone primary key of integer affinity is written exactly INTEGER. */
	if (primary_key && contains_ignoring_case(type, "int"))
		type = "INTEGER";
	if (c->auto_increment && !(primary_key && strcmp(type, "INTEGER") == 0))
		return vsq_error_set(err, VIGIL_DB_ERR_UNSUPPORTED,
		                     "SQLite numbers only a single-column INTEGER PRIMARY KEY by itself; "
		                     "column %s (%s) cannot auto-increment",
		                     c->name, *type ? type : "no type");
	vdc_text_ident(t, c->name, VSQ_QUOTE);
	if (*type)
		vdc_text_printf(t, " %s", type);
	if (primary_key)
		vdc_text_add(t, c->auto_increment ? " PRIMARY KEY AUTOINCREMENT" : " PRIMARY KEY");
	if (!c->nullable)
		vdc_text_add(t, " NOT NULL");
	if (c->unique && role == COLUMN_IN_TABLE)
		vdc_text_add(t, " UNIQUE");
	if (c->default_value) {
		vdc_text_add(t, " DEFAULT ");
		vdc_text_add(t, def);
	}
	return 0;
}

/* <table>_<col>_..._<suffix>: a name for an index the change leaves unnamed. */
static void add_index_name(vdc_text *t, const char *schema, const vigil_ddl_change *c,
                           const char *suffix)
{
	if (c->name && *c->name) {
		vsq_text_qualified(t, schema, c->name);
		return;
	}
	vdc_text name = { 0 };
	vdc_text_add(&name, c->table);
	for (size_t i = 0; i < c->key_count; i++)
		vdc_text_printf(&name, "_%s", c->key_columns[i]);
	vdc_text_printf(&name, "_%s", suffix);
	if (name.failed)
		t->failed = 1;
	else
		vsq_text_qualified(t, schema, name.data);
	vdc_text_free(&name);
}

static int create_index(vdc_text *t, const vigil_ddl_change *c, int unique,
                        vigil_db_error *err)
{
	if (!c->key_count || !names_valid(c->key_columns, c->key_count))
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "an index on %s needs its columns", c->table);
	vdc_text_add(t, unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	add_index_name(t, c->namespace_, c, unique ? "key" : "idx");
	vdc_text_add(t, " ON ");
	vdc_text_ident(t, c->table, VSQ_QUOTE); /* SQLite: the index's schema is the table's */
	vdc_text_add(t, " ");
	vdc_text_ident_list(t, c->key_columns, c->key_count, VSQ_QUOTE);
	vdc_text_end_statement(t);
	return 0;
}

/* ---- CREATE TABLE ----------------------------------------------------------------------- */

/* The primary key: key_columns, else the columns flagged primary_key (in table order).
 * `*names` is malloc'ed when built from the flags. */
static int primary_key_of(const vigil_ddl_change *c, const char *const **names, size_t *count,
                          const char **owned)
{
	*owned = NULL;
	if (c->key_count) {
		*names = c->key_columns;
		*count = c->key_count;
		return names_valid(c->key_columns, c->key_count) ? 0 : -1;
	}
	const char **flagged = calloc(c->column_count ? c->column_count : 1, sizeof *flagged);
	if (!flagged)
		return -2;
	size_t n = 0;
	for (size_t i = 0; i < c->column_count; i++)
		if (c->columns[i].primary_key)
			flagged[n++] = c->columns[i].name;
	*names = flagged;
	*count = n;
	*owned = (const char *)flagged;
	return 0;
}

static size_t list_length(const char *const *list)
{
	size_t n = 0;
	while (list && list[n])
		n++;
	return n;
}

static int create_table(vdc_text *t, const vigil_ddl_change *c, const vigil_host *host,
                        vigil_db_error *err)
{
	if (!c->column_count || !c->columns)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "table %s has no columns to create", c->table);
	const char *const *key = NULL;
	size_t key_count = 0;
	const char *owned = NULL;
	int rc = primary_key_of(c, &key, &key_count, &owned);
	if (rc != 0) {
		free((void *)owned);
		return rc == -2 ? vsq_error_set(err, VIGIL_DB_ERR_OTHER, "out of memory")
		                : vsq_error_set(err, VIGIL_DB_ERR_OTHER, "the primary key of %s names no column", c->table);
	}
	/* A one-column key is written on its column: that makes an INTEGER column the rowid. */
	size_t inline_key = (size_t)-1;
	for (size_t i = 0; key_count == 1 && i < c->column_count; i++)
		if (c->columns[i].name && strcmp(c->columns[i].name, key[0]) == 0)
			inline_key = i;

	vdc_text_add(t, "CREATE TABLE ");
	vsq_text_qualified(t, c->namespace_, c->table);
	vdc_text_add(t, " (");
	for (size_t i = 0; rc == 0 && i < c->column_count; i++) {
		vdc_text_add(t, i ? ",\n  " : "\n  ");
		rc = add_column_def(t, &c->columns[i], i == inline_key ? COLUMN_PRIMARY_KEY : COLUMN_IN_TABLE,
		                    host, err);
	}
	if (rc == 0 && key_count && inline_key == (size_t)-1) {
		vdc_text_add(t, ",\n  PRIMARY KEY ");
		vdc_text_ident_list(t, key, key_count, VSQ_QUOTE);
	}
	for (size_t i = 0; rc == 0 && c->uniques && i < c->unique_count; i++) {
		size_t n = list_length(c->uniques[i]);
		if (n == 0)
			continue;
		vdc_text_add(t, ",\n  UNIQUE ");
		vdc_text_ident_list(t, c->uniques[i], n, VSQ_QUOTE);
	}
	free((void *)owned);
	/* SQLite cannot add a foreign key later: the host passes them here. */
	size_t fk_count = CHANGE_HAS(c, foreign_key_count) && c->foreign_keys ? c->foreign_key_count : 0;
	for (size_t i = 0; rc == 0 && i < fk_count; i++) {
		const vigil_ddl_foreign_key *fk = &c->foreign_keys[i];
		vdc_text_add(t, ",\n  ");
		if (fk->name && *fk->name) {
			/* SQLite keeps it only in the table's SQL (no catalog reports it) */
			vdc_text_add(t, "CONSTRAINT ");
			vdc_text_ident(t, fk->name, VSQ_QUOTE);
			vdc_text_add(t, " ");
		}
		rc = add_foreign_key_clause(t, fk->columns, fk->column_count, fk->ref_table,
		                            fk->ref_columns, fk->ref_count, fk->on_delete, fk->on_update,
		                            err);
	}
	if (rc == 0)
		vdc_text_add(t, "\n)");
	if (rc == 0)
		vdc_text_end_statement(t);
	return rc;
}

/* ---- one change --------------------------------------------------------------------------- */

/* `what` completes "SQLite cannot ... an existing table". */
static int unsupported(vigil_db_error *err, const char *what, const char *table)
{
	return vsq_error_set(err, VIGIL_DB_ERR_UNSUPPORTED,
	                     "SQLite cannot %s an existing table (%s); the table must be rebuilt",
	                     what, table);
}

static int add_column(vdc_text *t, const vigil_ddl_change *c, const vigil_host *host,
                      vigil_db_error *err)
{
	if (!c->column_count || !c->columns)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no column to add to %s", c->table);
	const vigil_ddl_column *col = &c->columns[0];
	if (col->primary_key || col->auto_increment)
		return unsupported(err, "add a primary-key column to", c->table);
	/* ADD COLUMN refuses what existing rows could not be given: NOT NULL without a default,
	 * and a default that is not a constant (the clock, an expression). */
	char def[512] = "NULL";
	if (col->default_value &&
	    vdc_default_sql(host, VSQ_DIALECT, col->type, col->default_value, def, sizeof def) != 0)
		return vsq_error_set(
		        err, VIGIL_DB_ERR_UNSUPPORTED,
		        "the default of column %s %s: refused (a default is a literal of "
		        "the column's type or an allowed expression)",
		        col->name, def);
	int no_default = vsq_equals_ignoring_case(def, "null");
	int not_constant = def[0] == '(' || strncmp(def, "CURRENT_", 8) == 0;
	if (!col->nullable && no_default)
		return unsupported(err, "add a NOT NULL column without a default to", c->table);
	if (not_constant)
		return unsupported(err, "add a column whose default is not a constant to", c->table);
	vdc_text_add(t, "ALTER TABLE ");
	vsq_text_qualified(t, c->namespace_, c->table);
	vdc_text_add(t, " ADD COLUMN ");
	int rc = add_column_def(t, col, COLUMN_ADDED, host, err);
	if (rc != 0)
		return rc;
	vdc_text_end_statement(t);
	if (!col->unique)
		return 0;
	/* ADD COLUMN cannot carry UNIQUE: a unique index stands for it. */
	vigil_ddl_change index = *c;
	const char *key[1] = { col->name };
	index.name = NULL;
	index.key_columns = key;
	index.key_count = 1;
	return create_index(t, &index, 1, err);
}

static int render(vdc_text *t, const vigil_ddl_change *c, const vigil_host *host,
                  vigil_db_error *err)
{
	const char *ns = c->namespace_;
	switch (c->kind) {
	case VIGIL_DDL_CREATE_TABLE:
		return create_table(t, c, host, err);
	case VIGIL_DDL_DROP_TABLE:
		vdc_text_add(t, "DROP TABLE ");
		vsq_text_qualified(t, ns, c->table);
		vdc_text_end_statement(t);
		return 0;
	case VIGIL_DDL_ADD_COLUMN:
		return add_column(t, c, host, err);
	case VIGIL_DDL_DROP_COLUMN:
		if (!c->column_count || !c->columns || !c->columns[0].name)
			return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no column to drop from %s", c->table);
		vdc_text_add(t, "ALTER TABLE ");
		vsq_text_qualified(t, ns, c->table);
		vdc_text_add(t, " DROP COLUMN ");
		vdc_text_ident(t, c->columns[0].name, VSQ_QUOTE);
		vdc_text_end_statement(t);
		return 0;
	case VIGIL_DDL_ALTER_COLUMN:
		return vsq_error_set(err, VIGIL_DB_ERR_UNSUPPORTED,
		                     "SQLite cannot change the type, nullability or default of column %s of an existing table (%s); the table must be rebuilt",
		                     c->column_count && c->columns && c->columns[0].name ? c->columns[0].name : "?",
		                     c->table);
	case VIGIL_DDL_CREATE_INDEX:
		return create_index(t, c, c->unique, err);
	case VIGIL_DDL_ADD_UNIQUE:
		return create_index(t, c, 1, err);
	case VIGIL_DDL_DROP_INDEX:
		if (!c->name || !*c->name)
			return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "which index of %s to drop is not named", c->table);
		vdc_text_add(t, "DROP INDEX ");
		vsq_text_qualified(t, ns, c->name);
		vdc_text_end_statement(t);
		return 0;
	case VIGIL_DDL_ADD_FOREIGN_KEY: {
		/* Say what the rebuilt table needs: the clause, checked as any other. */
		vdc_text clause = { 0 };
		int rc = add_foreign_key_clause(&clause, c->key_columns, c->key_count, c->ref_table,
		                                c->ref_columns, c->ref_count, c->on_delete,
		                                c->on_update, err);
		if (rc == 0)
			vsq_error_set(err, VIGIL_DB_ERR_UNSUPPORTED,
			              "SQLite cannot add a foreign key to an existing table (%s); the table must be rebuilt with %s",
			              c->table, clause.failed ? "the foreign key" : clause.data);
		vdc_text_free(&clause);
		return -1;
	}
	case VIGIL_DDL_DROP_FOREIGN_KEY:
		return unsupported(err, "drop a foreign key from", c->table);
	case VIGIL_DDL_SET_PRIMARY_KEY:
		return unsupported(err, "change the primary key of", c->table);
	default:
		return vsq_error_set(err, VIGIL_DB_ERR_UNSUPPORTED, "unknown kind of schema change (%d)",
		                     c->kind);
	}
}

int vsq_render_ddl(const vigil_ddl_change *change, vigil_text_sink *out, const vigil_host *host,
                   vigil_db_error *err)
{
	vsq_error_clear(err);
	if (!change || !CHANGE_HAS(change, unique))
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "no schema change, or one from an unknown ABI");
	if (!change->table || !*change->table)
		return vsq_error_set(err, VIGIL_DB_ERR_OTHER, "the schema change names no table");
	if (!host || !VIGIL_HOST_HAS(host, text_append))
		return vsq_error_set(err, VIGIL_DB_ERR_UNSUPPORTED,
		                     "the host does not offer text_append (ABI 1.1)");
	vdc_text sql = { 0 };
	int rc = render(&sql, change, host, err);
	if (rc == 0 && sql.failed)
		rc = vsq_error_set(err, VIGIL_DB_ERR_OTHER, "out of memory");
	if (rc == 0)
		vdc_text_append_statements(&sql, host, out);
	vdc_text_free(&sql);
	return rc;
}
