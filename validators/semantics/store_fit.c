/*
 * store_fit.c — the message schema flowing into each Store against its table's columns.
 *
 * What flows into a Store: the schema of each of its declared input ports; and, for a binding
 * into a port that names no schema, the schema of the sending port (unless the binding
 * declares a transformation, which makes the shape unknown). Each (Store, schema) pair is
 * judged once, at the first place it appears:
 *   VG401  a top-level field with no column of that name;
 *   VG402  a NOT NULL column (or primary key) with no default that is not filled by the
 *          database (auto_increment, serial types, SQLite's INTEGER PRIMARY KEY) and that
 *          no field of the schema names (a field listed in `properties` counts as filling
 *          it, required or not);
 *   VG403  a field whose JSON type the column's type cannot hold (see json_fits), or a
 *          string whose maxLength exceeds a varchar(n) column (not on SQLite, which does
 *          not enforce lengths).
 * Schemas without properties, Stores whose database or table is not declared, and columns
 * of unknown type are not judged (level 2 reports the latter two).
 */
#include <string.h>

#include "run.h"
#include "semantics.h"
#include "sqltypes.h"
#include "strmap.h"
#include "suggest.h"
#include "wiring/flow.h"
#include "wiring/msgschema.h"

/* Can a JSON value of type `bit` be stored in a column of class `cls` on `dialect`? */
static int json_fits(unsigned bit, const vg_sqltype *col, vg_db_type dialect)
{
	vg_type_class cls = col->type_class;
	int loose_bool = dialect != VG_DB_POSTGRESQL; /* MySQL and SQLite keep booleans as ints */
	if (cls == VG_TYPE_UNKNOWN || cls == VG_TYPE_OTHER)
		return 1;
	switch (bit) {
	case VG_JSON_NULL: return 1;
	case VG_JSON_STRING:
		/* Text parses into dates, uuids and exact decimals (money travels as strings). */
		return cls != VG_TYPE_INTEGER && cls != VG_TYPE_FLOAT && cls != VG_TYPE_BOOLEAN;
	case VG_JSON_INTEGER:
		return cls == VG_TYPE_INTEGER || cls == VG_TYPE_DECIMAL || cls == VG_TYPE_FLOAT ||
		       cls == VG_TYPE_STRING || cls == VG_TYPE_JSON ||
		       (cls == VG_TYPE_BOOLEAN && loose_bool);
	case VG_JSON_NUMBER:
		return cls == VG_TYPE_DECIMAL || cls == VG_TYPE_FLOAT || cls == VG_TYPE_STRING ||
		       cls == VG_TYPE_JSON;
	case VG_JSON_BOOLEAN:
		return cls == VG_TYPE_BOOLEAN || cls == VG_TYPE_STRING || cls == VG_TYPE_JSON ||
		       (cls == VG_TYPE_INTEGER && loose_bool);
	case VG_JSON_OBJECT:
	case VG_JSON_ARRAY:
		/* Stored serialised (json, text, bytes) or, for arrays, as a PostgreSQL array. */
		return cls == VG_TYPE_JSON || cls == VG_TYPE_STRING || cls == VG_TYPE_BINARY ||
		       (bit == VG_JSON_ARRAY && col->is_array);
	default: return 1;
	}
}

static int in_primary_key(const vg_table *t, const vg_column *c)
{
	if (c->primary_key)
		return 1;
	for (size_t i = 0; i < t->primary_key.count; i++)
		if (t->primary_key.names[i] && strcmp(t->primary_key.names[i], c->name) == 0)
			return 1;
	return 0;
}

static size_t primary_key_width(const vg_table *t)
{
	if (t->primary_key.count)
		return t->primary_key.count;
	size_t n = 0;
	for (size_t i = 0; i < t->column_count; i++)
		n += t->columns[i].primary_key != 0;
	return n;
}

/* Does the database fill the column when an insert leaves it out? */
static int filled_by_database(const vg_table *t, const vg_column *c, const vg_sqltype *type,
                              vg_db_type dialect)
{
	if (c->auto_increment || c->default_value || type->is_serial)
		return 1;
	/* SQLite: a lone INTEGER PRIMARY KEY is the rowid, assigned on insert. */
	return dialect == VG_DB_SQLITE && type->base && strcmp(type->base, "integer") == 0 &&
	       in_primary_key(t, c) && primary_key_width(t) == 1;
}

static int not_null(const vg_table *t, const vg_column *c)
{
	return c->nullable == VG_FALSE || (c->nullable == VG_UNSET && in_primary_key(t, c));
}

typedef struct fit {
	vigil_check_ctx *ctx;
	vg_arena *arena;
	const vg_blueprint *bp;
	const vg_component *store;
	const vg_database *db;
	const vg_table *table;
	const char *schema_name;
	const vg_node *schema; /* dereferenced mapping */
	const vg_node *at;     /* where the flow is written (port schema or binding target) */
} fit;

/* The table's column names, as a list for suggestions (`*out`, `*count`) and as text. */
static const char *column_names(vg_arena *arena, const vg_table *t, const char ***out,
                                size_t *count)
{
	*out = vg_arena_array(arena, t->column_count + 1, sizeof **out);
	*count = 0;
	const char *list = "";
	for (size_t i = 0; i < t->column_count; i++) {
		if (!t->columns[i].name)
			continue;
		if (*out)
			(*out)[(*count)++] = t->columns[i].name;
		list = vg_arena_printf(arena, "%s%s%s", list ? list : "", list && *list ? ", " : "",
		                       t->columns[i].name);
	}
	return list;
}

static void report_unknown_field(const fit *x, const vg_pair *field)
{
	const char *name = vg_scalar(field->key);
	const char **names;
	size_t count;
	const char *list = column_names(x->arena, x->table, &names, &count);
	const char *guess = names ? vg_suggest(name, names, count) : NULL;
	vigil_finding *f = vg_emit(x->ctx, VG_STORE_UNKNOWN_FIELD, field->key,
	                           "Field '%s' of %s, stored by '%s', has no column in table %s",
	                           name, x->schema_name, x->store->name, x->table->name);
	vg_detail(f, "Store '%s' writes %s messages into %s.%s, whose columns are: %s.",
	          x->store->name, x->schema_name, x->db->name, x->table->name, list ? list : "");
	if (guess)
		vg_hint(f,
		        "Did you mean column '%s'? Otherwise add a column '%s' to table %s, or "
		        "drop the field from %s.",
		        guess, name, x->table->name, x->schema_name);
	else
		vg_hint(f, "Add a column '%s' to table %s, or drop the field from %s.", name,
		        x->table->name, x->schema_name);
	vg_object(f, x->db->name, vg_arena_printf(x->arena, "%s.%s", x->table->name, name));
	vg_evidence(f,
	            guess ? vg_arena_printf(x->arena, "a column of %s (%s?)", x->table->name, guess)
	                  : vg_arena_printf(x->arena, "a column of %s", x->table->name),
	            vg_arena_printf(x->arena, "field %s.%s", x->schema_name, name));
}

/* The JSON types a column class takes, as the evidence says them. */
static const char *accepted_json(vg_type_class cls, vg_db_type dialect)
{
	int loose_bool = dialect != VG_DB_POSTGRESQL;
	switch (cls) {
	case VG_TYPE_INTEGER: return loose_bool ? "integer or boolean" : "integer";
	case VG_TYPE_FLOAT: return "number or integer";
	case VG_TYPE_DECIMAL: return "number, integer or a numeric string";
	case VG_TYPE_BOOLEAN: return loose_bool ? "boolean or integer" : "boolean";
	case VG_TYPE_STRING: return "string (or any value as text)";
	case VG_TYPE_JSON: return "any JSON value";
	case VG_TYPE_BINARY: return "string, object or array";
	case VG_TYPE_DATE: return "string (a date)";
	case VG_TYPE_TIME: return "string (a time)";
	case VG_TYPE_DATETIME: return "string (a date and time)";
	case VG_TYPE_UUID: return "string (a uuid)";
	case VG_TYPE_ENUM: return "string (one of the values)";
	default: return "any value";
	}
}

static const char *article(const char *word)
{
	return strchr("aeiou", word[0]) ? "an" : "a";
}

static void report_field_type(const fit *x, const vg_pair *field, const vg_column *col,
                              unsigned bit, const vg_sqltype *type)
{
	char jt[32];
	vg_msgschema_types_text(bit, jt, sizeof jt);
	const char *name = vg_scalar(field->key);
	const char *cls = vg_type_class_name(type->type_class);
	vigil_finding *f =
	        vg_emit(x->ctx, VG_STORE_FIELD_TYPE, field->key,
	                "Field '%s' of %s can be %s %s, which column %s.%s (%s) cannot hold", name,
	                x->schema_name, article(jt), jt, x->table->name, col->name, col->type);
	vg_detail(f,
	          "Store '%s' writes %s into %s.%s; %s %s value does not convert to %s %s "
	          "column on %s.",
	          x->store->name, x->schema_name, x->db->name, x->table->name, article(jt), jt,
	          article(cls), cls, vg_dialect_label(x->db->type));
	vg_hint(f, "Change the field's type in %s, or the column's type (declared at line %u).",
	        x->schema_name, col->node ? col->node->line : 0);
	vg_object(f, x->db->name, vg_arena_printf(x->arena, "%s.%s", x->table->name, col->name));
	vg_evidence(f,
	            vg_arena_printf(x->arena, "%s.%s (%s): %s", x->table->name, col->name,
	                            col->type, accepted_json(type->type_class, x->db->type)),
	            vg_arena_printf(x->arena, "%s.%s: %s", x->schema_name, name, jt));
}

static void report_too_long(const fit *x, const vg_pair *field, const vg_column *col,
                            long long max_length, long length)
{
	const char *name = vg_scalar(field->key);
	vigil_finding *f = vg_emit(
	        x->ctx, VG_STORE_FIELD_TYPE, field->key,
	        "Field '%s' of %s may be %lld characters long; column %s.%s (%s) "
	        "holds %ld",
	        name, x->schema_name, max_length, x->table->name, col->name, col->type, length);
	vg_detail(f,
	          "Store '%s' writes %s into %s.%s: a longer value is refused (or cut, on MySQL "
	          "outside strict mode).",
	          x->store->name, x->schema_name, x->db->name, x->table->name);
	vg_hint(f, "Lower the field's maxLength to %ld, or widen the column (declared at line %u).",
	        length, col->node ? col->node->line : 0);
	vg_object(f, x->db->name, vg_arena_printf(x->arena, "%s.%s", x->table->name, col->name));
	vg_evidence(f, vg_arena_printf(x->arena, "maxLength <= %ld (%s)", length, col->type),
	            vg_arena_printf(x->arena, "maxLength %lld", max_length));
}

static void check_field_types(const fit *x, const vg_pair *field, const vg_column *col)
{
	const vg_node *prop = vg_msgschema_deref(x->bp, field->value);
	unsigned types = vg_msgschema_types(prop);
	vg_sqltype type;
	if (!types || !col->type || vg_sqltype_parse(&type, x->arena, col->type, x->db->type) < 0)
		return;
	for (unsigned bit = 1; bit <= VG_JSON_ARRAY; bit <<= 1) {
		if ((types & bit) && !json_fits(bit, &type, x->db->type)) {
			report_field_type(x, field, col, bit, &type);
			return;
		}
	}
	long long max_length;
	const vg_node *ml = vg_map_get(prop, "maxLength");
	if ((types & VG_JSON_STRING) && type.type_class == VG_TYPE_STRING && type.arg_count >= 1 &&
	    x->db->type != VG_DB_SQLITE && ml && vg_scalar_long(ml, &max_length) == 0 &&
	    max_length > type.args[0])
		report_too_long(x, field, col, max_length, type.args[0]);
}

static void report_unfilled(const fit *x, const vg_column *col)
{
	vigil_finding *f = vg_emit(x->ctx, VG_STORE_UNFILLED_COLUMN, x->at,
	                           "Column %s.%s is NOT NULL without a default, and no field of %s "
	                           "fills it",
	                           x->table->name, col->name, x->schema_name);
	vg_detail(f,
	          "Store '%s' inserts %s messages into %s.%s; an insert without '%s' fails. "
	          "The column is declared at line %u.",
	          x->store->name, x->schema_name, x->db->name, x->table->name, col->name,
	          col->node ? col->node->line : 0);
	vg_hint(f, "Add a field '%s' to %s, give the column a default, or make it nullable.",
	        col->name, x->schema_name);
	vg_object(f, x->db->name, vg_arena_printf(x->arena, "%s.%s", x->table->name, col->name));
	vg_evidence(f, vg_arena_printf(x->arena, "a value for %s (NOT NULL)", col->name),
	            vg_arena_printf(x->arena, "%s has no field %s", x->schema_name, col->name));
}

static void check_fit(const fit *x)
{
	const vg_node *props = vg_msgschema_properties(x->schema);
	if (!props)
		return;
	for (size_t i = 0; i < props->u.map.count; i++) {
		const vg_pair *field = &props->u.map.pairs[i];
		const char *name = vg_scalar(field->key);
		if (!name)
			continue;
		const vg_column *col = vg_table_column(x->table, name);
		if (!col)
			report_unknown_field(x, field);
		else
			check_field_types(x, field, col);
	}
	for (size_t i = 0; i < x->table->column_count; i++) {
		const vg_column *col = &x->table->columns[i];
		if (!col->name || vg_map_get(props, col->name) || !not_null(x->table, col))
			continue;
		vg_sqltype type;
		if (col->type && vg_sqltype_parse(&type, x->arena, col->type, x->db->type) < 0)
			return;
		if (!col->type)
			memset(&type, 0, sizeof type);
		if (!filled_by_database(x->table, col, &type, x->db->type))
			report_unfilled(x, col);
	}
}

/* Judges `schema_name` flowing into the Store once per Store. */
static int judge(fit *x, vg_strmap *seen, const char *schema_name, const vg_node *at)
{
	const vg_message_schema *s = schema_name ? vg_blueprint_schema(x->bp, schema_name) : NULL;
	if (!s)
		return 0;
	int put = vg_strmap_put(seen, schema_name, (void *)s, NULL);
	if (put <= 0)
		return put;
	x->schema_name = schema_name;
	x->schema = vg_msgschema_deref(x->bp, s->node);
	x->at = at;
	check_fit(x);
	return 0;
}

static int is_store(const vg_component *c)
{
	return c->type && strcmp(c->type, "Store") == 0;
}

int vg_semantics_store_fit_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)host;
	const vg_blueprint *bp = ctx->blueprint;
	if (!bp)
		return 0;
	vg_arena *arena = vg_arena_new();
	vg_flow flow;
	if (!arena || vg_flow_build(&flow, arena, bp, NULL) < 0) {
		vg_arena_free(arena);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < bp->component_count && rc == 0; i++) {
		const vg_component *c = &bp->components[i];
		if (!is_store(c) || !c->database || !c->table)
			continue;
		fit x = { ctx, arena, bp, c, NULL, NULL, NULL, NULL, NULL };
		if (!(x.db = vg_blueprint_database(bp, c->database)) ||
		    !(x.table = vg_database_table(x.db, c->table)))
			continue;
		vg_strmap *seen = vg_strmap_new(arena, 8);
		if (!seen) {
			rc = -1;
			break;
		}
		for (size_t p = 0; p < c->input_count && rc == 0; p++)
			rc = judge(&x, seen, c->inputs[p].schema, c->inputs[p].schema_node);
		for (size_t e = 0; e < flow.edge_count && rc == 0; e++) {
			const vg_flow_edge *edge = &flow.edges[e];
			if (edge->to.component != c || vg_flow_end_schema(&edge->to) ||
			    edge->binding->transformation)
				continue;
			rc = judge(&x, seen, vg_flow_end_schema(&edge->from), edge->to.node);
		}
	}
	vg_arena_free(arena);
	return rc;
}
