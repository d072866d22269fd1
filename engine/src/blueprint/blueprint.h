/*
 * blueprint.h — the typed blueprint model, built from the YAML tree.
 *
 * The builder is lenient: it takes what it can and leaves a field NULL/0 when the YAML has
 * the wrong shape there; the level-1 validators report shapes against the tree. Every
 * element keeps the YAML node it came from (`node`) for file:line:column.
 *
 * All memory belongs to the blueprint's arena. Strings are expanded: `${VAR}` replaced from
 * the environment (an unset variable expands to the empty string and is listed in
 * `env_refs`). An expanded value may hold a secret: print only the `*_raw` forms (as
 * written), and URLs only through vg_url_redact().
 *
 * Alternative spellings are folded here, so validators see one model:
 *   config | configuration;  from/to | from_component/from_port/to_component(s)/to_port(s);
 *   system.databases | a Store's inline config.database | resources.databases;
 *   schemas at the root | under system.
 */
#ifndef VG_BLUEPRINT_H
#define VG_BLUEPRINT_H

#include <stddef.h>

#include "arena.h"
#include "yaml_tree.h"

typedef enum vg_db_type {
	VG_DB_UNKNOWN = 0,
	VG_DB_SQLITE,
	VG_DB_POSTGRESQL,
	VG_DB_MYSQL,
} vg_db_type;

/** "sqlite" / "postgresql" / "mysql" / "unknown". */
const char *vg_db_type_name(vg_db_type type);
/** Parses a type name, accepting common aliases (postgres, pg, sqlite3, mariadb). */
vg_db_type vg_db_type_parse(const char *name);

typedef struct vg_port {
	const char *name;
	const char *schema;        /* the `schema:` it names, or NULL */
	const vg_node *node;
	const vg_node *schema_node;
} vg_port;

typedef struct vg_component {
	const char *name;
	const char *type;          /* as written */
	const vg_node *node;       /* the component mapping */
	const vg_node *name_node;
	const vg_node *type_node;
	const vg_node *config;     /* config/configuration mapping, or NULL */
	vg_port *inputs;
	size_t input_count;
	vg_port *outputs;
	size_t output_count;
	/* For Stores (any component whose config names one): */
	const char *database;      /* config.database as a name; for an inline block, its db name */
	const vg_node *database_node;
	const char *table;         /* config.table (or config.table_name), or NULL */
	const vg_node *table_node;
	/*
	 * Where a component names no database vigil can check, the generation pipeline's
	 * meaning: its Store keeps records in memory unless config.storage_type says otherwise,
	 * and a resources.databases entry may be a store vigil has no driver for (redis, ...).
	 */
	int in_memory;              /* a Store that names no database: records kept in memory */
	const char *unchecked_type; /* a resources.databases type vigil does not check, or NULL */
	const vg_node *unchecked_node;
} vg_component;

typedef struct vg_endpoint {
	const char *component;     /* NULL when not given */
	const char *port;          /* NULL when not given (the type's implied port applies) */
	const vg_node *node;
} vg_endpoint;

typedef struct vg_binding {
	vg_endpoint from;
	vg_endpoint *to;           /* fan-out: one or more */
	size_t to_count;
	const char *transformation; /* or NULL */
	const vg_node *node;
} vg_binding;

typedef enum vg_tristate { VG_UNSET = -1, VG_FALSE = 0, VG_TRUE = 1 } vg_tristate;

typedef struct vg_column {
	const char *name;
	const char *type;          /* as written, e.g. "varchar(200)" */
	vg_tristate nullable;      /* `nullable:`; VG_UNSET when not written */
	int primary_key;
	int auto_increment;
	int unique;
	const char *default_value; /* NULL when no default */
	const vg_node *node;
	const vg_node *type_node;
	const vg_node *default_node;
} vg_column;

typedef struct vg_name_list {
	const char **names;
	const vg_node **nodes;     /* node of each name */
	size_t count;
	const vg_node *node;       /* the list itself */
} vg_name_list;

typedef struct vg_index {
	const char *name;          /* or NULL */
	vg_name_list columns;
	int unique;
	const vg_node *node;
} vg_index;

typedef struct vg_foreign_key {
	const char *name;          /* or NULL */
	vg_name_list columns;
	const char *ref_table;
	vg_name_list ref_columns;
	const char *on_delete;     /* or NULL: cascade | restrict | set null | set default | no action */
	const char *on_update;
	const vg_node *node;
	const vg_node *ref_table_node;
} vg_foreign_key;

typedef struct vg_table {
	const char *name;
	const vg_node *node;
	const vg_node *name_node;
	vg_column *columns;
	size_t column_count;
	vg_name_list primary_key;  /* table-level `primary_key: [a, b]`; count 0 when absent */
	vg_name_list *uniques;     /* table-level `unique: [[a, b], ...]` */
	size_t unique_count;
	vg_index *indexes;
	size_t index_count;
	vg_foreign_key *foreign_keys;
	size_t foreign_key_count;
} vg_table;

typedef struct vg_migration {
	long long version;
	int has_version;
	const char *description;
	const char *up;
	const char *down;
	const vg_node *node;
	const vg_node *version_node;
	const vg_node *up_node;
} vg_migration;

typedef enum vg_db_origin {
	VG_DB_FROM_SYSTEM = 0,     /* system.databases.<name> (or root databases:) */
	VG_DB_FROM_STORE = 1,      /* a Store's inline config.database block */
	VG_DB_FROM_RESOURCES = 2,  /* resources.databases[i] */
} vg_db_origin;

typedef struct vg_database {
	const char *name;
	vg_db_origin origin;
	const vg_node *node;
	const vg_node *name_node;
	const char *type_raw;       /* as written, or NULL */
	vg_db_type type;
	const vg_node *type_node;
	const char *url;            /* expanded: may hold a secret; never print */
	const char *url_raw;        /* as written (with ${VAR}); print only via vg_url_redact */
	const vg_node *url_node;
	const char *sqlite_path;    /* sqlite file URLs: absolute, resolved against the blueprint */
	struct {
		long long min, max, connect_timeout_ms;
		int has_min, has_max, has_connect_timeout;
		const vg_node *node;
	} pool;
	vg_name_list permissions;
	struct {
		long long clients, duration_ms;
		double max_p95_ms, min_tps, max_error_rate;
		int has_clients, has_duration, has_max_p95, has_min_tps, has_max_error_rate;
		const char *query;
		const vg_node *node;
	} benchmark;
	vg_name_list unmanaged;
	int ssl_required;           /* resources.databases' ssl_required, or sslmode=require */
	const vg_node *schema_node;
	vg_table *tables;
	size_t table_count;
	vg_migration *migrations;
	size_t migration_count;
	/* schema.migration_table: where applied migrations are recorded (version, description,
	 * checksum = SHA-256 of `up` as written, applied_at); VG_MIGRATION_TABLE_DEFAULT when not
	 * given, NULL when the database declares no schema. */
	const char *migration_table;
} vg_database;

#define VG_MIGRATION_TABLE_DEFAULT "vigil_schema_migrations"

typedef struct vg_message_schema {
	const char *name;
	const vg_node *node;        /* the JSON-Schema-like mapping */
	const vg_node *name_node;
} vg_message_schema;

typedef struct vg_env_ref {
	const char *name;           /* the variable */
	int defined;
	const vg_node *node;        /* the scalar holding it */
} vg_env_ref;

typedef struct vg_blueprint {
	vg_arena *arena;
	const char *file;           /* path as given */
	const char *dir;            /* directory of the file, for relative paths */
	const vg_node *root;
	const char *schema_version; /* or NULL */
	const vg_node *system_node;
	const char *name;           /* system.name */
	const char *description;
	const char *version;
	vg_component *components;
	size_t component_count;
	vg_binding *bindings;
	size_t binding_count;
	vg_database *databases;
	size_t database_count;
	vg_message_schema *schemas;
	size_t schema_count;
	vg_env_ref *env_refs;
	size_t env_ref_count;
	struct vg_strmap *component_index; /* name -> vg_component*, first wins */
} vg_blueprint;

/**
 * Builds the model from a parsed tree. `file` is the blueprint's path (for relative SQLite
 * paths). Allocates from `arena`, which the blueprint records but does not own. Returns
 * NULL only when memory runs out. `getenv_fn` (NULL: getenv) lets tests control ${VAR}.
 */
vg_blueprint *vg_blueprint_build(vg_arena *arena, const char *file, const vg_node *root,
                                 const char *(*getenv_fn)(const char *name));

/* Lookups by name: linear scans are fine at these sizes except components, which the
 * builder indexes (hash) for 10,000-component blueprints. NULL when absent. */
const vg_component *vg_blueprint_component(const vg_blueprint *bp, const char *name);
const vg_database *vg_blueprint_database(const vg_blueprint *bp, const char *name);
const vg_message_schema *vg_blueprint_schema(const vg_blueprint *bp, const char *name);
const vg_table *vg_database_table(const vg_database *db, const char *name);
const vg_column *vg_table_column(const vg_table *table, const char *name);

#endif
