/*
 * ddl.c — schema changes as MySQL/MariaDB statements: backtick-quoted names, column types
 * through the host's render_type ("boolean" -> TINYINT(1)), AUTO_INCREMENT, InnoDB tables in
 * utf8mb4. MySQL commits DDL implicitly: a rendered change cannot be rolled back.
 * CREATE TABLE renders the foreign keys the host passes inline; the engine passes them as
 * ADD_FOREIGN_KEY changes instead once every table exists.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mysql_driver.h"

enum { TYPE_BUFFER = 256 };

/* ---- pieces ---------------------------------------------------------------------------------- */

static void add_table(vdc_text *b, const vigil_ddl_change *c, const char *table)
{
	const char *dot = strchr(table, '.');
	if (dot && dot != table && dot[1]) { /* "other_db.table" from a cross-database reference */
		char schema[128];
		size_t n = (size_t)(dot - table) < sizeof schema - 1 ? (size_t)(dot - table) : sizeof schema - 1;
		memcpy(schema, table, n);
		schema[n] = '\0';
		vdc_text_qualified(b, schema, dot + 1, VMY_QUOTE);
		return;
	}
	vdc_text_qualified(b, c->namespace_, table, VMY_QUOTE);
}

/* DEFAULT <value> through the host (host->render_default): a literal of the column's type or
 * an allowed expression (a call in the parentheses MySQL 8 and MariaDB take, the clock bare),
 * rebuilt from its tokens, never the text as written. 0, or -1 with the error. */
static int add_default(vdc_text *b, const vigil_ddl_change *c, const vigil_ddl_column *col,
                       const vigil_host *host, vigil_db_error *err)
{
	char sql[1024];
	if (vdc_default_sql(host, "mysql", col->type, col->default_value, sql, sizeof sql) != 0) {
		vmy_error_set(
		        err, VIGIL_DB_ERR_UNSUPPORTED, NULL,
		        "the default of column %s of table %s %s: refused (a default is a literal "
		        "of the column's type or an allowed expression)",
		        col->name, c->table, sql);
		return -1;
	}
	vdc_text_add(b, " DEFAULT ");
	vdc_text_add(b, sql);
	return 0;
}

static int in_list(const char *const *names, size_t count, const char *name)
{
	for (size_t i = 0; names && i < count; i++)
		if (names[i] && strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

enum { INLINE_NONE = 0, INLINE_KEYS = 1 };

/* `name` TYPE [NOT] NULL [DEFAULT v] [AUTO_INCREMENT] [PRIMARY KEY] [UNIQUE] */
static int add_column(vdc_text *b, const vigil_ddl_change *c, const vigil_ddl_column *col,
                      int inline_keys, const vigil_host *host, vigil_db_error *err)
{
	if (!col->name || !*col->name || !col->type || !*col->type) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "column %s of table %s has no %s",
		              col->name ? col->name : "(unnamed)", c->table, col->name ? "type" : "name");
		return -1;
	}
	char type[TYPE_BUFFER];
	if (host->render_type("mysql", col->type, type, sizeof type) != 0) {
		/* not a type vigil knows for MySQL: used as written when it is plain words */
		if (!vdc_is_plain_type(col->type) || strlen(col->type) >= sizeof type) {
			vmy_error_set(
			        err, VIGIL_DB_ERR_UNSUPPORTED, NULL,
			        "column %s of table %s has the type \"%s\", which is neither a type "
			        "vigil knows nor plain words: refused",
			        col->name, c->table, col->type);
			return -1;
		}
		memcpy(type, col->type, strlen(col->type) + 1);
	}
	int key_column = col->primary_key || in_list(c->key_columns, c->key_count, col->name);
	vdc_text_ident(b, col->name, VMY_QUOTE);
	vdc_text_add(b, " ");
	vdc_text_add(b, type);
	vdc_text_add(b, col->nullable && !key_column ? " NULL" : " NOT NULL");
	if (col->default_value && add_default(b, c, col, host, err) != 0)
		return -1;
	if (col->auto_increment)
		vdc_text_add(b, " AUTO_INCREMENT");
	if (inline_keys == INLINE_KEYS) {
		if (col->primary_key)
			vdc_text_add(b, " PRIMARY KEY");
		else if (col->unique)
			vdc_text_add(b, " UNIQUE");
	}
	return 0;
}

static int add_action(vdc_text *b, const char *clause, const char *action, vigil_db_error *err)
{
	if (!action || !*action)
		return 0;
	const char *sql = vdc_fk_action_sql(action);
	if (!sql) {
		vmy_error_set(err, VIGIL_DB_ERR_UNSUPPORTED, NULL,
		              "unknown foreign-key action \"%s\" (cascade, restrict, set null, set default, no action)",
		              action);
		return -1;
	}
	vdc_text_printf(b, " %s %s", clause, sql);
	return 0;
}

static void alter_table(vdc_text *b, const vigil_ddl_change *c)
{
	vdc_text_add(b, "ALTER TABLE ");
	add_table(b, c, c->table);
	vdc_text_add(b, " ");
}

/* ---- the changes ------------------------------------------------------------------------------ */

static size_t unique_length(const char *const *columns)
{
	size_t n = 0;
	while (columns && columns[n])
		n++;
	return n;
}

/* Whether the table-level uniques already hold exactly (name). */
static int unique_listed(const vigil_ddl_change *c, const char *name)
{
	for (size_t i = 0; c->uniques && i < c->unique_count; i++)
		if (unique_length(c->uniques[i]) == 1 && strcmp(c->uniques[i][0], name) == 0)
			return 1;
	return 0;
}

static int add_foreign_key_clause(vdc_text *b, const vigil_ddl_change *c,
                                  const vigil_ddl_foreign_key *fk, vigil_db_error *err);

static int create_table(vdc_text *b, const vigil_ddl_change *c, const vigil_host *host,
                        vigil_db_error *err)
{
	if (c->column_count == 0 || !c->columns) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "table %s has no columns", c->table);
		return -1;
	}
	vdc_text_add(b, "CREATE TABLE ");
	add_table(b, c, c->table);
	vdc_text_add(b, " (\n");
	/* The primary key: the composite key if given, else the columns flagged primary_key. */
	const char **pk = calloc(c->column_count, sizeof *pk);
	if (!pk) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory");
		return -1;
	}
	size_t pk_count = 0;
	for (size_t i = 0; i < c->column_count; i++) {
		const vigil_ddl_column *col = &c->columns[i];
		vdc_text_add(b, i ? ",\n  " : "  ");
		if (add_column(b, c, col, INLINE_NONE, host, err) != 0) {
			free(pk);
			return -1;
		}
		if (col->primary_key && col->name)
			pk[pk_count++] = col->name;
	}
	if (c->key_count && vdc_names_present(c->key_columns, c->key_count)) {
		vdc_text_add(b, ",\n  PRIMARY KEY ");
		vdc_text_ident_list(b, c->key_columns, c->key_count, VMY_QUOTE);
	} else if (pk_count) {
		vdc_text_add(b, ",\n  PRIMARY KEY ");
		vdc_text_ident_list(b, pk, pk_count, VMY_QUOTE);
	}
	for (size_t i = 0; i < c->column_count; i++) {
		const vigil_ddl_column *col = &c->columns[i];
		if (col->unique && !col->primary_key && !unique_listed(c, col->name) &&
		    !(pk_count == 1 && strcmp(pk[0], col->name) == 0)) {
			vdc_text_add(b, ",\n  UNIQUE ");
			vdc_text_ident_list(b, &col->name, 1, VMY_QUOTE);
		}
	}
	free(pk);
	for (size_t i = 0; c->uniques && i < c->unique_count; i++) {
		size_t n = unique_length(c->uniques[i]);
		if (!vdc_names_present(c->uniques[i], n))
			continue;
		vdc_text_add(b, ",\n  UNIQUE ");
		vdc_text_ident_list(b, c->uniques[i], n, VMY_QUOTE);
	}
	/* Foreign keys when the host gives them inline (the referenced tables must exist). */
	for (size_t i = 0; c->foreign_keys && i < c->foreign_key_count; i++) {
		vdc_text_add(b, ",\n  ");
		if (add_foreign_key_clause(b, c, &c->foreign_keys[i], err) != 0)
			return -1;
	}
	vdc_text_add(b, "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;");
	return 0;
}

static int need_keys(const vigil_ddl_change *c, vigil_db_error *err)
{
	if (vdc_names_present(c->key_columns, c->key_count))
		return 0;
	vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "the change to table %s names no columns", c->table);
	return -1;
}

static int need_name(const vigil_ddl_change *c, const char *what, vigil_db_error *err)
{
	if (c->name && *c->name)
		return 0;
	vmy_error_set(err, VIGIL_DB_ERR_UNSUPPORTED, NULL, "MySQL needs the name of the %s to drop on table %s",
	              what, c->table);
	return -1;
}

static int need_column(const vigil_ddl_change *c, vigil_db_error *err)
{
	if (c->column_count >= 1 && c->columns)
		return 0;
	vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "the change to table %s names no column", c->table);
	return -1;
}

/* [CONSTRAINT `name`] FOREIGN KEY (cols) REFERENCES `ref` (cols) [ON DELETE ..] [ON UPDATE ..] */
static int add_foreign_key_clause(vdc_text *b, const vigil_ddl_change *c, const vigil_ddl_foreign_key *fk,
                                  vigil_db_error *err)
{
	if (!vdc_names_present(fk->columns, fk->column_count)) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "a foreign key of table %s names no columns", c->table);
		return -1;
	}
	if (!fk->ref_table || !*fk->ref_table || !vdc_names_present(fk->ref_columns, fk->ref_count)) {
		vmy_error_set(err, VIGIL_DB_ERR_UNSUPPORTED, NULL,
		              "a MySQL foreign key of table %s needs the referenced table and columns", c->table);
		return -1;
	}
	if (fk->name && *fk->name) {
		vdc_text_add(b, "CONSTRAINT ");
		vdc_text_ident(b, fk->name, VMY_QUOTE);
		vdc_text_add(b, " ");
	}
	vdc_text_add(b, "FOREIGN KEY ");
	vdc_text_ident_list(b, fk->columns, fk->column_count, VMY_QUOTE);
	vdc_text_add(b, " REFERENCES ");
	add_table(b, c, fk->ref_table);
	vdc_text_add(b, " ");
	vdc_text_ident_list(b, fk->ref_columns, fk->ref_count, VMY_QUOTE);
	if (add_action(b, "ON DELETE", fk->on_delete, err) != 0 ||
	    add_action(b, "ON UPDATE", fk->on_update, err) != 0)
		return -1;
	return 0;
}

static int foreign_key(vdc_text *b, const vigil_ddl_change *c, vigil_db_error *err)
{
	vigil_ddl_foreign_key fk = { c->name, c->key_columns, c->key_count, c->ref_table,
		                         c->ref_columns, c->ref_count, c->on_delete, c->on_update };
	alter_table(b, c);
	vdc_text_add(b, "ADD ");
	if (add_foreign_key_clause(b, c, &fk, err) != 0)
		return -1;
	vdc_text_add(b, ";");
	return 0;
}

static int render(vdc_text *b, const vigil_ddl_change *c, const vigil_host *host, vigil_db_error *err)
{
	switch (c->kind) {
	case VIGIL_DDL_CREATE_TABLE:
		return create_table(b, c, host, err);
	case VIGIL_DDL_DROP_TABLE:
		vdc_text_add(b, "DROP TABLE ");
		add_table(b, c, c->table);
		vdc_text_add(b, ";");
		return 0;
	case VIGIL_DDL_ADD_COLUMN:
		if (need_column(c, err) != 0)
			return -1;
		alter_table(b, c);
		vdc_text_add(b, "ADD COLUMN ");
		if (add_column(b, c, &c->columns[0], INLINE_KEYS, host, err) != 0)
			return -1;
		vdc_text_add(b, ";");
		return 0;
	case VIGIL_DDL_DROP_COLUMN:
		if (need_column(c, err) != 0 || !c->columns[0].name) {
			vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "the change to table %s names no column", c->table);
			return -1;
		}
		alter_table(b, c);
		vdc_text_add(b, "DROP COLUMN ");
		vdc_text_ident(b, c->columns[0].name, VMY_QUOTE);
		vdc_text_add(b, ";");
		return 0;
	case VIGIL_DDL_ALTER_COLUMN:
		if (need_column(c, err) != 0)
			return -1;
		/* MODIFY restates the whole definition: type, nullability, default, AUTO_INCREMENT. */
		alter_table(b, c);
		vdc_text_add(b, "MODIFY COLUMN ");
		if (add_column(b, c, &c->columns[0], INLINE_NONE, host, err) != 0)
			return -1;
		vdc_text_add(b, ";");
		return 0;
	case VIGIL_DDL_CREATE_INDEX:
		if (need_keys(c, err) != 0)
			return -1;
		if (c->name && *c->name) {
			vdc_text_add(b, c->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
			vdc_text_ident(b, c->name, VMY_QUOTE);
			vdc_text_add(b, " ON ");
			add_table(b, c, c->table);
			vdc_text_add(b, " ");
		} else { /* MySQL names it after its first column */
			alter_table(b, c);
			vdc_text_add(b, c->unique ? "ADD UNIQUE INDEX " : "ADD INDEX ");
		}
		vdc_text_ident_list(b, c->key_columns, c->key_count, VMY_QUOTE);
		vdc_text_add(b, ";");
		return 0;
	case VIGIL_DDL_DROP_INDEX:
		if (need_name(c, "index", err) != 0)
			return -1;
		vdc_text_add(b, "DROP INDEX ");
		vdc_text_ident(b, c->name, VMY_QUOTE);
		vdc_text_add(b, " ON ");
		add_table(b, c, c->table);
		vdc_text_add(b, ";");
		return 0;
	case VIGIL_DDL_ADD_FOREIGN_KEY:
		return foreign_key(b, c, err);
	case VIGIL_DDL_DROP_FOREIGN_KEY:
		if (need_name(c, "foreign key", err) != 0)
			return -1;
		alter_table(b, c);
		vdc_text_add(b, "DROP FOREIGN KEY ");
		vdc_text_ident(b, c->name, VMY_QUOTE);
		vdc_text_add(b, ";");
		return 0;
	case VIGIL_DDL_ADD_UNIQUE:
		if (need_keys(c, err) != 0)
			return -1;
		alter_table(b, c);
		vdc_text_add(b, "ADD ");
		if (c->name && *c->name) {
			vdc_text_add(b, "CONSTRAINT ");
			vdc_text_ident(b, c->name, VMY_QUOTE);
			vdc_text_add(b, " ");
		}
		vdc_text_add(b, "UNIQUE ");
		vdc_text_ident_list(b, c->key_columns, c->key_count, VMY_QUOTE);
		vdc_text_add(b, ";");
		return 0;
	case VIGIL_DDL_SET_PRIMARY_KEY:
		/* MariaDB's IF EXISTS: the table may have had no primary key. */
		alter_table(b, c);
		vdc_text_add(b, "DROP INDEX IF EXISTS `PRIMARY`");
		if (c->key_count) {
			if (need_keys(c, err) != 0)
				return -1;
			vdc_text_add(b, ", ADD PRIMARY KEY ");
			vdc_text_ident_list(b, c->key_columns, c->key_count, VMY_QUOTE);
		}
		vdc_text_add(b, ";");
		return 0;
	default:
		vmy_error_set(err, VIGIL_DB_ERR_UNSUPPORTED, NULL, "unknown schema change kind %d", c->kind);
		return -1;
	}
}

int vmy_render_ddl(const vigil_ddl_change *change, vigil_text_sink *out, const vigil_host *host,
                   vigil_db_error *err)
{
	if (!change || !host) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "render_ddl: no change");
		return -1;
	}
	/* A host built against an older, shorter struct: the fields it lacks read as zero. */
	vigil_ddl_change c;
	memset(&c, 0, sizeof c);
	size_t size = change->size < sizeof c ? change->size : sizeof c;
	memcpy(&c, change, size < sizeof c.size ? sizeof c.size : size);
	if (!c.table || !*c.table) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "render_ddl: the change names no table");
		return -1;
	}
	vdc_text b = { 0 };
	int rc = render(&b, &c, host, err);
	if (rc == 0 && b.failed) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory rendering DDL");
		rc = -1;
	}
	if (rc == 0)
		host->text_append(out, b.data);
	vdc_text_free(&b);
	return rc;
}
