/*
 * grammar.c — the blueprint grammar (see grammar.h), one table per object kind.
 *
 * Tables are written bottom-up so each refers only to what is above it. Keys in one
 * `group` are alternative spellings (config | configuration): at most one may be given, and
 * `required` on the group means one of them must be.
 */
#include <string.h>

#include "grammar.h"

/* clang-format off */
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define OBJECT(label_, keys_, open_) { label_, keys_, COUNT(keys_), open_ }
#define FITS(keys_) _Static_assert(COUNT(keys_) <= VG_GRAMMAR_MAX_KEYS, #keys_ " has too many keys")
/* clang-format on */

/* ---- value types used by many keys ---- */

static const vg_value_type t_any = { .kind = VG_VALUE_ANY };
static const vg_value_type t_string = { .kind = VG_VALUE_STRING };
static const vg_value_type t_scalar = { .kind = VG_VALUE_SCALAR };
static const vg_value_type t_integer = { .kind = VG_VALUE_INTEGER };
static const vg_value_type t_number = { .kind = VG_VALUE_NUMBER };
static const vg_value_type t_boolean = { .kind = VG_VALUE_BOOLEAN };
static const vg_value_type t_free_map = { .kind = VG_VALUE_FREE_MAP };
static const vg_value_type t_string_list = { .kind = VG_VALUE_LIST, .item = &t_string };
static const vg_value_type t_string_or_list = { .kind = VG_VALUE_EITHER,
	                                        .first = &t_string,
	                                        .second = &t_string_list };
static const vg_value_type t_unique_list = { .kind = VG_VALUE_LIST, .item = &t_string_or_list };
static const vg_value_type t_schema_dict = { .kind = VG_VALUE_DICT, .item = &t_free_map };

static const char *const fk_actions[] = { "cascade", "restrict", "set null", "set default",
	                                  "no action" };
static const vg_value_type t_fk_action = { .kind = VG_VALUE_ENUM,
	                                   .values = fk_actions,
	                                   .value_count = COUNT(fk_actions) };

/* ---- the SQL schema of a database ---- */

static const vg_key_grammar fk_reference_keys[] = {
	{ "table", &t_string, 1, 0, NULL, NULL },
	{ "columns", &t_string_list, 1, 0, NULL, NULL },
};
static const vg_object_grammar fk_reference = OBJECT(NULL, fk_reference_keys, 0);
static const vg_value_type t_fk_reference = { .kind = VG_VALUE_OBJECT, .object = &fk_reference };

static const vg_key_grammar foreign_key_keys[] = {
	{ "name", &t_string, 0, 0, NULL, NULL },
	{ "columns", &t_string_list, 1, 0, NULL, NULL },
	{ "references", &t_fk_reference, 1, 0, NULL, NULL },
	{ "on_delete", &t_fk_action, 0, 0, NULL, NULL },
	{ "on_update", &t_fk_action, 0, 0, NULL, NULL },
};
static const vg_object_grammar foreign_key = OBJECT("foreign key", foreign_key_keys, 0);
static const vg_value_type t_foreign_key = { .kind = VG_VALUE_OBJECT, .object = &foreign_key };
static const vg_value_type t_foreign_keys = { .kind = VG_VALUE_LIST, .item = &t_foreign_key };

static const vg_key_grammar index_keys[] = {
	{ "name", &t_string, 0, 0, NULL, NULL },
	{ "columns", &t_string_list, 1, 0, NULL, NULL },
	{ "unique", &t_boolean, 0, 0, NULL, NULL },
};
static const vg_object_grammar index_object = OBJECT("index", index_keys, 0);
static const vg_value_type t_index = { .kind = VG_VALUE_OBJECT, .object = &index_object };
static const vg_value_type t_indexes = { .kind = VG_VALUE_LIST, .item = &t_index };

static const vg_key_grammar column_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "type", &t_string, 1, 0, NULL, NULL },
	{ "nullable", &t_boolean, 0, 0, NULL, NULL },
	{ "primary_key", &t_boolean, 0, 0, NULL, NULL },
	{ "auto_increment", &t_boolean, 0, 0, NULL, NULL },
	{ "unique", &t_boolean, 0, 0, NULL, NULL },
	{ "default", &t_scalar, 0, 0, NULL, NULL },
};
static const vg_object_grammar column = OBJECT("column", column_keys, 0);
static const vg_value_type t_column = { .kind = VG_VALUE_OBJECT, .object = &column };
static const vg_value_type t_columns = { .kind = VG_VALUE_LIST, .item = &t_column };

static const vg_key_grammar table_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "columns", &t_columns, 1, 0, NULL, NULL },
	{ "primary_key", &t_string_or_list, 0, 0, NULL, NULL },
	{ "unique", &t_unique_list, 0, 0, NULL, NULL },
	{ "indexes", &t_indexes, 0, 0, NULL, NULL },
	{ "foreign_keys", &t_foreign_keys, 0, 0, NULL, NULL },
};
static const vg_object_grammar table = OBJECT("table", table_keys, 0);
static const vg_value_type t_table = { .kind = VG_VALUE_OBJECT, .object = &table };
/* A table by name only is the pipeline's V5EnhancedStore form (tables: [orders, items]). */
static const vg_value_type t_table_or_name = { .kind = VG_VALUE_EITHER,
	                                       .first = &t_string,
	                                       .second = &t_table };
static const vg_value_type t_tables = { .kind = VG_VALUE_LIST, .item = &t_table_or_name };

/* `sql` is the pipeline's V5EnhancedStore spelling of `up`; its versions are text ("001"),
 * which level 2 orders by their numeric value. */
static const vg_key_grammar migration_keys[] = {
	{ "version", &t_string, 1, 0, NULL, NULL },
	{ "up", &t_string, 1, 1, NULL, NULL },
	{ "sql", &t_string, 1, 1, NULL, NULL },
	{ "down", &t_string, 0, 0, NULL, NULL },
};
static const vg_object_grammar migration = OBJECT("migration", migration_keys, 0);
static const vg_value_type t_migration = { .kind = VG_VALUE_OBJECT, .object = &migration };
static const vg_value_type t_migrations = { .kind = VG_VALUE_LIST, .item = &t_migration };

static const vg_key_grammar db_schema_keys[] = {
	{ "tables", &t_tables, 0, 0, NULL, NULL },
	{ "migrations", &t_migrations, 0, 0, NULL, NULL },
	{ "migration_table", &t_string, 0, 0, NULL, NULL },
	{ "namespace", &t_string, 0, 0, NULL, NULL },
};
static const vg_object_grammar db_schema = OBJECT(NULL, db_schema_keys, 0);
static const vg_value_type t_db_schema = { .kind = VG_VALUE_OBJECT, .object = &db_schema };

/* ---- databases ---- */

static const vg_key_grammar pool_keys[] = {
	{ "min", &t_integer, 0, 0, NULL, NULL },
	{ "max", &t_integer, 0, 0, NULL, NULL },
	{ "connect_timeout_ms", &t_integer, 0, 0, NULL, NULL },
	{ "acquire_timeout_ms", &t_integer, 0, 0, NULL, NULL },
	{ "idle_timeout_ms", &t_integer, 0, 0, NULL, NULL },
};
static const vg_object_grammar pool = OBJECT(NULL, pool_keys, 0);
static const vg_value_type t_pool = { .kind = VG_VALUE_OBJECT, .object = &pool };

/* The generated blueprints' spelling; `timeout` is in seconds. */
static const vg_key_grammar connection_pool_keys[] = {
	{ "min_size", &t_integer, 0, 0, NULL, NULL },
	{ "max_size", &t_integer, 0, 0, NULL, NULL },
	{ "timeout", &t_number, 0, 0, NULL, NULL },
};
static const vg_object_grammar connection_pool = OBJECT(NULL, connection_pool_keys, 0);
static const vg_value_type t_connection_pool = { .kind = VG_VALUE_OBJECT,
	                                         .object = &connection_pool };

static const vg_key_grammar benchmark_keys[] = {
	{ "clients", &t_integer, 0, 0, NULL, NULL },
	{ "duration_ms", &t_integer, 0, 0, NULL, NULL },
	{ "warmup_ms", &t_integer, 0, 0, NULL, NULL },
	{ "max_p95_ms", &t_number, 0, 0, NULL, NULL },
	{ "min_tps", &t_number, 0, 0, NULL, NULL },
	{ "max_error_rate", &t_number, 0, 0, NULL, NULL },
	{ "query", &t_string, 0, 0, NULL, NULL },
};
static const vg_object_grammar benchmark = OBJECT(NULL, benchmark_keys, 0);
static const vg_value_type t_benchmark = { .kind = VG_VALUE_OBJECT, .object = &benchmark };

/*
 * The keys every database declaration takes. A missing URL is level 2's finding (VG209,
 * beside the URL's other rules), so neither spelling is required here.
 */
/* clang-format off */
#define DATABASE_KEYS                                                                        \
	{ "type", &t_string, 1, 0, NULL, NULL },                                                \
	{ "url", &t_string, 0, 1, NULL, NULL },                                                 \
	{ "connection_string", &t_string, 0, 1, NULL, NULL },                                   \
	{ "pool", &t_pool, 0, 2, NULL, NULL },                                                  \
	{ "connection_pool", &t_connection_pool, 0, 2, NULL, NULL },                            \
	{ "permissions", &t_string_list, 0, 0, NULL, NULL },                                    \
	{ "benchmark", &t_benchmark, 0, 0, NULL, NULL },                                        \
	{ "unmanaged", &t_string_list, 0, 0, NULL, NULL },                                      \
	{ "ssl_required", &t_boolean, 0, 0, NULL, NULL },                                       \
	{ "schema", &t_db_schema, 0, 0, NULL, NULL }
/* clang-format on */

/* system.databases.<name> and databases.<name>: named by their key. */
static const vg_key_grammar database_keys[] = { DATABASE_KEYS };
static const vg_object_grammar database = OBJECT("database", database_keys, 0);
static const vg_value_type t_database = { .kind = VG_VALUE_OBJECT, .object = &database };
static const vg_value_type t_database_dict = { .kind = VG_VALUE_DICT, .item = &t_database };

/* A Store's inline config.database block: its name defaults to the component's. */
static const vg_key_grammar inline_database_keys[] = {
	DATABASE_KEYS,
	{ "name", &t_string, 0, 0, NULL, NULL },
};
static const vg_object_grammar inline_database = OBJECT(NULL, inline_database_keys, 0);
static const vg_value_type t_inline_database = { .kind = VG_VALUE_OBJECT,
	                                         .object = &inline_database };

/* resources.databases[i]: may name a connection instead of giving a URL. */
static const vg_key_grammar resource_database_keys[] = {
	DATABASE_KEYS,
	{ "name", &t_string, 0, 0, NULL, NULL },
	{ "connection_name", &t_string, 0, 0, NULL, NULL },
	{ "pool_size", &t_integer, 0, 0, NULL, NULL },
};
static const vg_object_grammar resource_database = OBJECT("database", resource_database_keys, 0);
static const vg_value_type t_resource_database = { .kind = VG_VALUE_OBJECT,
	                                           .object = &resource_database };
static const vg_value_type t_resource_databases = { .kind = VG_VALUE_LIST,
	                                            .item = &t_resource_database };

/*
 * ---- the generation pipeline's vocabulary ----
 *
 * Keys the generation pipeline's own blueprint schema, parser and healer
 * define on components, ports, bindings and the system: vigil checks their shape and values
 * as that schema states them, and gives them no further meaning (docs/autocoder.md).
 */
#define ENUM_OF(name_, ...)                                            \
	static const char *const name_##_values[] = { __VA_ARGS__ };   \
	static const vg_value_type name_ = { .kind = VG_VALUE_ENUM,    \
		                             .values = name_##_values, \
		                             .value_count = COUNT(name_##_values) }

static const vg_value_type t_integer_list = { .kind = VG_VALUE_LIST, .item = &t_integer };

ENUM_OF(t_processing_mode, "batch", "stream", "hybrid");
ENUM_OF(t_flow_type, "push", "pull", "request_response");
ENUM_OF(t_constraint_severity, "error", "warning");
ENUM_OF(t_protocol, "HTTP", "HTTPS", "TCP", "UDP", "WebSocket", "gRPC");
ENUM_OF(t_service_protocol, "HTTP", "gRPC", "WebSocket");
ENUM_OF(t_queue_type, "kafka", "rabbitmq", "redis_pubsub", "aws_sqs");
ENUM_OF(t_auth_type, "none", "api_key", "oauth2", "basic_auth");
ENUM_OF(t_language, "python", "javascript", "java", "go", "rust");
ENUM_OF(t_package_source, "pypi", "npm", "maven", "cargo");
ENUM_OF(t_observability_level, "basic", "detailed", "debug");
ENUM_OF(t_metric_type, "counter", "gauge", "histogram", "summary");
ENUM_OF(t_exporter, "jaeger", "zipkin", "otlp");
ENUM_OF(t_error_strategy, "retry", "dead_letter", "ignore", "circuit_breaker");
ENUM_OF(t_delivery, "at_most_once", "at_least_once", "exactly_once");
ENUM_OF(t_environment, "development", "staging", "production");
ENUM_OF(t_log_level, "DEBUG", "INFO", "WARNING", "ERROR");
ENUM_OF(t_log_format, "json", "text");
ENUM_OF(t_log_output, "stdout", "file", "syslog");
ENUM_OF(t_platform, "docker", "kubernetes", "aws_lambda", "azure_functions", "local");
ENUM_OF(t_service_type, "postgresql", "mysql", "redis", "kafka", "elasticsearch", "mongodb");
ENUM_OF(t_scaling_metric, "cpu", "memory", "requests_per_second", "queue_length");

#define SUB_OBJECT(name_, keys_)                                                \
	static const vg_object_grammar name_##_object = OBJECT(NULL, keys_, 0); \
	static const vg_value_type name_ = { .kind = VG_VALUE_OBJECT, .object = &name_##_object }
#define ITEM_OBJECT(name_, label_, keys_)                                         \
	static const vg_object_grammar name_##_object = OBJECT(label_, keys_, 0); \
	static const vg_value_type name_##_item = { .kind = VG_VALUE_OBJECT,      \
		                                    .object = &name_##_object };  \
	static const vg_value_type name_ = { .kind = VG_VALUE_LIST, .item = &name_##_item }

/* components[].properties and .contracts: validation rules (PropertyConstraint, ContractConstraint) */
static const vg_key_grammar property_keys[] = {
	{ "constraint", &t_string, 1, 0, NULL, NULL },
	{ "severity", &t_constraint_severity, 0, 0, NULL, NULL },
};
ITEM_OBJECT(t_properties, "property", property_keys);
static const vg_key_grammar contract_keys[] = {
	{ "expression", &t_string, 1, 0, NULL, NULL },
};
ITEM_OBJECT(t_contracts, "contract", contract_keys);

/*
 * components[].resources (ComponentResources); its `databases` are read as databases. The
 * pipeline's parser passes each entry on whole and enforces none of its schema's `required`,
 * and its own flagship example names a resource (name, connection_name, service_name) that
 * the deployment blueprint then binds, so no key here is required.
 */
static const vg_key_grammar resource_port_keys[] = {
	{ "port", &t_integer, 0, 0, NULL, NULL },
	{ "name", &t_string, 0, 0, NULL, NULL },
	{ "protocol", &t_protocol, 0, 0, NULL, NULL },
	{ "public", &t_boolean, 0, 0, NULL, NULL },
};
ITEM_OBJECT(t_resource_ports, "port", resource_port_keys);
static const vg_key_grammar message_queue_keys[] = {
	{ "type", &t_queue_type, 1, 0, NULL, NULL },
	{ "brokers", &t_string_list, 0, 0, NULL, NULL },
	{ "connection_name", &t_string, 0, 0, NULL, NULL },
	{ "topics", &t_string_list, 0, 0, NULL, NULL },
	{ "consumer_group", &t_string, 0, 0, NULL, NULL },
};
ITEM_OBJECT(t_message_queues, "message queue", message_queue_keys);
static const vg_key_grammar authentication_keys[] = {
	{ "type", &t_auth_type, 0, 0, NULL, NULL },
	{ "config", &t_free_map, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_authentication, authentication_keys);
static const vg_key_grammar external_service_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "endpoint", &t_string, 0, 0, NULL, NULL },
	{ "service_name", &t_string, 0, 0, NULL, NULL },
	{ "protocol", &t_service_protocol, 0, 0, NULL, NULL },
	{ "authentication", &t_authentication, 0, 0, NULL, NULL },
};
ITEM_OBJECT(t_external_services, "external service", external_service_keys);

/* components[].implementation (ComponentImplementation) */
static const vg_value_type t_string_dict = { .kind = VG_VALUE_DICT, .item = &t_string };
static const vg_key_grammar package_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "version", &t_string, 1, 0, NULL, NULL },
	{ "source", &t_package_source, 0, 0, NULL, NULL },
};
ITEM_OBJECT(t_packages, "dependency", package_keys);
static const vg_key_grammar implementation_keys[] = {
	{ "language", &t_language, 1, 0, NULL, NULL },
	{ "custom_logic", &t_string, 0, 0, NULL, NULL },
	{ "imports", &t_string_list, 0, 0, NULL, NULL },
	{ "methods", &t_string_dict, 0, 0, NULL, NULL },
	{ "dependencies", &t_packages, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_implementation, implementation_keys);

/* components[].observability (ComponentObservability) */
static const vg_key_grammar custom_metric_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "type", &t_metric_type, 1, 0, NULL, NULL },
	{ "labels", &t_string_list, 0, 0, NULL, NULL },
};
ITEM_OBJECT(t_custom_metrics, "metric", custom_metric_keys);
static const vg_key_grammar tracing_keys[] = {
	{ "enabled", &t_boolean, 0, 0, NULL, NULL },
	{ "sample_rate", &t_number, 0, 0, NULL, NULL },
	{ "exporter", &t_exporter, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_tracing, tracing_keys);
static const vg_key_grammar health_check_keys[] = {
	{ "enabled", &t_boolean, 0, 0, NULL, NULL },
	{ "endpoint", &t_string, 0, 0, NULL, NULL },
	{ "interval_seconds", &t_integer, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_health_checks, health_check_keys);
static const vg_key_grammar observability_keys[] = {
	{ "level", &t_observability_level, 0, 0, NULL, NULL },
	{ "custom_metrics", &t_custom_metrics, 0, 0, NULL, NULL },
	{ "tracing", &t_tracing, 0, 0, NULL, NULL },
	{ "health_checks", &t_health_checks, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_observability, observability_keys);

/* bindings[].error_handling and .qos */
static const vg_key_grammar error_handling_keys[] = {
	{ "strategy", &t_error_strategy, 0, 0, NULL, NULL },
	{ "retry_count", &t_integer, 0, 0, NULL, NULL },
	{ "timeout_ms", &t_integer, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_error_handling, error_handling_keys);
static const vg_key_grammar qos_keys[] = {
	{ "delivery_guarantee", &t_delivery, 0, 0, NULL, NULL },
	{ "ordering", &t_boolean, 0, 0, NULL, NULL },
	{ "buffering", &t_integer, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_qos, qos_keys);

/* system.configuration (SystemConfiguration) */
static const vg_key_grammar timeouts_keys[] = {
	{ "startup_timeout_ms", &t_integer, 0, 0, NULL, NULL },
	{ "shutdown_timeout_ms", &t_integer, 0, 0, NULL, NULL },
	{ "health_check_timeout_ms", &t_integer, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_timeouts, timeouts_keys);
static const vg_key_grammar resource_limits_keys[] = {
	{ "max_memory_mb", &t_integer, 0, 0, NULL, NULL },
	{ "max_cpu_cores", &t_number, 0, 0, NULL, NULL },
	{ "max_connections", &t_integer, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_resource_limits, resource_limits_keys);
static const vg_key_grammar logging_keys[] = {
	{ "level", &t_log_level, 0, 0, NULL, NULL },
	{ "format", &t_log_format, 0, 0, NULL, NULL },
	{ "output", &t_log_output, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_logging, logging_keys);
static const vg_key_grammar system_configuration_keys[] = {
	{ "environment", &t_environment, 0, 0, NULL, NULL },
	{ "timeouts", &t_timeouts, 0, 0, NULL, NULL },
	{ "resource_limits", &t_resource_limits, 0, 0, NULL, NULL },
	{ "logging", &t_logging, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_system_configuration, system_configuration_keys);

/* system.deployment (DeploymentConfiguration) */
static const vg_key_grammar deployment_service_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "type", &t_service_type, 1, 0, NULL, NULL },
	{ "version", &t_string, 0, 0, NULL, NULL },
	{ "configuration", &t_free_map, 0, 0, NULL, NULL },
};
ITEM_OBJECT(t_deployment_services, "external service", deployment_service_keys);
static const vg_key_grammar networking_keys[] = {
	{ "expose_ports", &t_integer_list, 0, 0, NULL, NULL },
	{ "internal_network", &t_string, 0, 0, NULL, NULL },
	{ "load_balancer", &t_boolean, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_networking, networking_keys);
static const vg_value_type t_scaling_metrics = { .kind = VG_VALUE_LIST, .item = &t_scaling_metric };
static const vg_key_grammar scaling_keys[] = {
	{ "min_instances", &t_integer, 0, 0, NULL, NULL },
	{ "max_instances", &t_integer, 0, 0, NULL, NULL },
	{ "auto_scaling", &t_boolean, 0, 0, NULL, NULL },
	{ "metrics", &t_scaling_metrics, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_scaling, scaling_keys);
static const vg_key_grammar deployment_keys[] = {
	{ "platform", &t_platform, 1, 0, NULL, NULL },
	{ "external_services", &t_deployment_services, 0, 0, NULL, NULL },
	{ "networking", &t_networking, 0, 0, NULL, NULL },
	{ "scaling", &t_scaling, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_deployment, deployment_keys);

/* system.validation (SystemValidation; not the root `validation`, which is vigil's own) */
static const vg_key_grammar system_performance_keys[] = {
	{ "throughput_requests_per_second", &t_integer, 0, 0, NULL, NULL },
	{ "latency_p95_ms", &t_integer, 0, 0, NULL, NULL },
	{ "latency_p99_ms", &t_integer, 0, 0, NULL, NULL },
	{ "availability_percentage", &t_number, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_system_performance, system_performance_keys);
static const vg_key_grammar load_testing_keys[] = {
	{ "enabled", &t_boolean, 0, 0, NULL, NULL },
	{ "duration_minutes", &t_integer, 0, 0, NULL, NULL },
	{ "concurrent_users", &t_integer, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_load_testing, load_testing_keys);
static const vg_key_grammar custom_sample_keys[] = {
	{ "component", &t_string, 1, 0, NULL, NULL },
	{ "input_data", &t_free_map, 1, 0, NULL, NULL },
};
ITEM_OBJECT(t_custom_samples, "sample", custom_sample_keys);
static const vg_key_grammar sample_data_keys[] = {
	{ "auto_generate", &t_boolean, 0, 0, NULL, NULL },
	{ "custom_samples", &t_custom_samples, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_sample_data, sample_data_keys);
static const vg_key_grammar system_validation_keys[] = {
	{ "performance", &t_system_performance, 0, 0, NULL, NULL },
	{ "end_to_end_tests", &t_boolean, 0, 0, NULL, NULL },
	{ "load_testing", &t_load_testing, 0, 0, NULL, NULL },
	{ "sample_data", &t_sample_data, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_system_validation, system_validation_keys);

/* The root `policy` block the pipeline's healer adds to every blueprint (its default keys). */
static const vg_key_grammar security_policy_keys[] = {
	{ "encryption_at_rest", &t_boolean, 0, 0, NULL, NULL },
	{ "encryption_in_transit", &t_boolean, 0, 0, NULL, NULL },
	{ "authentication_required", &t_boolean, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_security_policy, security_policy_keys);
static const vg_key_grammar limits_policy_keys[] = {
	{ "max_memory_per_component", &t_string, 0, 0, NULL, NULL },
	{ "max_cpu_per_component", &t_string, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_limits_policy, limits_policy_keys);
static const vg_key_grammar validation_policy_keys[] = {
	{ "strict_mode", &t_boolean, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_validation_policy, validation_policy_keys);
static const vg_key_grammar policy_keys[] = {
	{ "security", &t_security_policy, 0, 0, NULL, NULL },
	{ "resource_limits", &t_limits_policy, 0, 0, NULL, NULL },
	{ "validation", &t_validation_policy, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_policy, policy_keys);

/* ---- components and bindings ---- */

static const vg_value_type t_config_database = { .kind = VG_VALUE_EITHER,
	                                         .first = &t_string,
	                                         .second = &t_inline_database };

/* Component-specific and free-form, except the keys a Store or an endpoint gives meaning. */
static const vg_key_grammar component_config_keys[] = {
	{ "database", &t_config_database, 0, 0, NULL, NULL },
	{ "table", &t_string, 0, 1, NULL, NULL },
	{ "table_name", &t_string, 0, 1, NULL, NULL },
	{ "port", &t_integer, 0, 0, NULL, NULL },
	/* the pipeline's Store: memory unless storage_type says otherwise */
	{ "storage_type", &t_string, 0, 0, NULL, NULL },
	{ "database_type", &t_string, 0, 0, NULL, NULL },
	{ "database_url", &t_string, 0, 0, NULL, NULL },
};
static const vg_object_grammar component_config = OBJECT(NULL, component_config_keys, 1);
static const vg_value_type t_component_config = { .kind = VG_VALUE_OBJECT,
	                                          .object = &component_config };

static const vg_key_grammar component_resources_keys[] = {
	{ "ports", &t_resource_ports, 0, 0, NULL, NULL },
	{ "databases", &t_resource_databases, 0, 0, NULL, NULL },
	{ "message_queues", &t_message_queues, 0, 0, NULL, NULL },
	{ "external_services", &t_external_services, 0, 0, NULL, NULL },
};
SUB_OBJECT(t_component_resources, component_resources_keys);

static const vg_key_grammar port_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "schema", &t_string, 0, 0, NULL, NULL },
	{ "required", &t_boolean, 0, 0, NULL, NULL },
	{ "flow_type", &t_flow_type, 0, 0, NULL, NULL },
	{ "batch_size", &t_integer, 0, 0, NULL, NULL },
	{ "schema_type", &t_string, 0, 0, NULL, NULL }, /* the pipeline's healer writes both */
};
static const vg_object_grammar port = OBJECT("port", port_keys, 0);
static const vg_value_type t_port = { .kind = VG_VALUE_OBJECT, .object = &port };
static const vg_value_type t_ports = { .kind = VG_VALUE_LIST, .item = &t_port };

static const vg_key_grammar component_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "type", &t_string, 1, 0, NULL, NULL },
	{ "config", &t_component_config, 0, 1, NULL, NULL },
	{ "configuration", &t_component_config, 0, 1, NULL, NULL },
	{ "inputs", &t_ports, 0, 0, NULL, NULL },
	{ "outputs", &t_ports, 0, 0, NULL, NULL },
	{ "processing_mode", &t_processing_mode, 0, 0, NULL, NULL },
	{ "properties", &t_properties, 0, 0, NULL, NULL },
	{ "contracts", &t_contracts, 0, 0, NULL, NULL },
	{ "resources", &t_component_resources, 0, 0, NULL, NULL },
	{ "dependencies", &t_string_list, 0, 0, NULL, NULL },
	{ "implementation", &t_implementation, 0, 0, NULL, NULL },
	{ "observability", &t_observability, 0, 0, NULL, NULL },
};
static const vg_object_grammar component = OBJECT("component", component_keys, 0);
static const vg_value_type t_component = { .kind = VG_VALUE_OBJECT, .object = &component };
static const vg_value_type t_components = { .kind = VG_VALUE_LIST, .item = &t_component };

/* `to` is one "component.port" or a list of them (fan-out). */
static const vg_key_grammar binding_keys[] = {
	{ "from", &t_string, 1, 1, NULL, NULL },
	{ "from_component", &t_string, 1, 1, NULL, NULL },
	{ "from_port", &t_string, 0, 0, "from_component", NULL },
	{ "to", &t_string_or_list, 1, 2, NULL, NULL },
	{ "to_component", &t_string, 1, 2, NULL, NULL },
	{ "to_components", &t_string_list, 1, 2, NULL, NULL },
	{ "to_port", &t_string, 0, 0, NULL, NULL },
	{ "to_ports", &t_string_list, 0, 0, "to_components", "to_components" },
	{ "transformation", &t_string, 0, 0, NULL, NULL },
	{ "condition", &t_string, 0, 0, NULL, NULL },
	{ "error_handling", &t_error_handling, 0, 0, NULL, NULL },
	{ "qos", &t_qos, 0, 0, NULL, NULL },
	{ "stream_name", &t_string, 0, 0, NULL, NULL }, /* the pipeline's orchestrator reads it */
};
static const vg_object_grammar binding = OBJECT("binding", binding_keys, 0);
static const vg_value_type t_binding = { .kind = VG_VALUE_OBJECT, .object = &binding };
static const vg_value_type t_bindings = { .kind = VG_VALUE_LIST, .item = &t_binding };

/* ---- the document ---- */

static const vg_key_grammar system_keys[] = {
	{ "name", &t_string, 1, 0, NULL, NULL },
	{ "version", &t_string, 0, 0, NULL, NULL },
	{ "components", &t_components, 1, 0, NULL, NULL },
	{ "bindings", &t_bindings, 0, 0, NULL, NULL },
	{ "databases", &t_database_dict, 0, 0, NULL, NULL },
	{ "schemas", &t_schema_dict, 0, 0, NULL, NULL },
	{ "configuration", &t_system_configuration, 0, 0, NULL, NULL },
	{ "deployment", &t_deployment, 0, 0, NULL, NULL },
	{ "validation", &t_system_validation, 0, 0, NULL, NULL },
	{ "schema_version", &t_any, 0, 0, NULL, NULL }, /* the schema-version check reads it */
};
static const vg_object_grammar system_object = OBJECT(NULL, system_keys, 0);
static const vg_value_type t_system = { .kind = VG_VALUE_OBJECT, .object = &system_object };

static const vg_key_grammar resources_keys[] = {
	{ "databases", &t_resource_databases, 0, 0, NULL, NULL },
};
static const vg_object_grammar resources = OBJECT(NULL, resources_keys, 0);
static const vg_value_type t_resources = { .kind = VG_VALUE_OBJECT, .object = &resources };

static const vg_key_grammar performance_keys[] = {
	{ "max_p95_ms", &t_number, 0, 0, NULL, NULL },
	{ "min_tps", &t_number, 0, 0, NULL, NULL },
	{ "max_error_rate", &t_number, 0, 0, NULL, NULL },
	{ "clients", &t_integer, 0, 0, NULL, NULL },
	{ "duration_ms", &t_integer, 0, 0, NULL, NULL },
};
static const vg_object_grammar performance = OBJECT(NULL, performance_keys, 0);
static const vg_value_type t_performance = { .kind = VG_VALUE_OBJECT, .object = &performance };

static const vg_key_grammar validation_keys[] = {
	{ "performance", &t_performance, 0, 0, NULL, NULL },
};
static const vg_object_grammar validation = OBJECT(NULL, validation_keys, 0);
static const vg_value_type t_validation = { .kind = VG_VALUE_OBJECT, .object = &validation };

/* schema_version is the schema-version check's (it reports its absence and its form). */
static const vg_key_grammar root_keys[] = {
	{ "schema_version", &t_any, 0, 0, NULL, NULL },
	{ "system", &t_system, 1, 0, NULL, NULL },
	{ "schemas", &t_schema_dict, 0, 0, NULL, NULL },
	{ "resources", &t_resources, 0, 0, NULL, NULL },
	{ "validation", &t_validation, 0, 0, NULL, NULL },
	{ "databases", &t_database_dict, 0, 0, NULL, NULL },
	{ "policy", &t_policy, 0, 0, NULL, NULL },
};
static const vg_object_grammar root_object = OBJECT(NULL, root_keys, 0);
const vg_value_type vg_grammar_root = { .kind = VG_VALUE_OBJECT, .object = &root_object };

FITS(fk_reference_keys);
FITS(foreign_key_keys);
FITS(index_keys);
FITS(column_keys);
FITS(table_keys);
FITS(migration_keys);
FITS(db_schema_keys);
FITS(pool_keys);
FITS(connection_pool_keys);
FITS(benchmark_keys);
FITS(database_keys);
FITS(inline_database_keys);
FITS(resource_database_keys);
FITS(component_config_keys);
FITS(port_keys);
FITS(component_keys);
FITS(binding_keys);
FITS(system_keys);
FITS(resources_keys);
FITS(performance_keys);
FITS(validation_keys);
FITS(root_keys);
FITS(component_resources_keys);
FITS(implementation_keys);
FITS(observability_keys);
FITS(system_configuration_keys);
FITS(deployment_keys);
FITS(system_validation_keys);
FITS(policy_keys);

const vg_key_grammar vg_grammar_common_keys[] = {
	{ "description", &t_string, 0, 0, NULL, NULL },
	{ "metadata", &t_any, 0, 0, NULL, NULL },
};
const size_t vg_grammar_common_key_count = COUNT(vg_grammar_common_keys);

const char *const vg_grammar_component_types[] = {
	"Source",
	"Sink",
	"Transformer",
	"Store",
	"APIEndpoint",
	"Controller",
	"Router",
	"Model",
	"Accumulator",
	"StreamProcessor",
	"Filter",
	"Aggregator",
	"Splitter",
	"Merger",
	"WebSocket",
	"MessageBus",
	"EventSource",
	"Cache",
	"Scheduler",
	/* more the generation pipeline knows (docs/autocoder.md) */
	"gRPCEndpoint",
	"Database",
	"FastAPIEndpoint",
	"MetricsEndpoint",
	"V5EnhancedStore",
	"MessageBusSource",
};
const size_t vg_grammar_component_type_count = COUNT(vg_grammar_component_types);

const vg_key_grammar *vg_grammar_find_key(const vg_object_grammar *object, const char *name)
{
	for (size_t i = 0; i < object->key_count; i++)
		if (strcmp(object->keys[i].name, name) == 0)
			return &object->keys[i];
	return NULL;
}
