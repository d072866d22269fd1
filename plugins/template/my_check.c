/*
 * my_check.c — a template vigil check plugin. Copy this folder, rename `my_check`, build it
 * (see CMakeLists.txt), drop vigil_my_check.so into a plugin directory.
 *
 * A check plugin runs at level 3, once per database of the blueprint, in a worker process:
 * a crash or a hang here becomes this check's error in the report, not vigil's. It includes
 * only <vigil/plugin.h> and reaches vigil only through `host`.
 *
 * This one looks at each database's connection pool settings in the blueprint.
 */
#include <stdio.h>
#include <stdlib.h>

#include <vigil/plugin.h>

/* Finding codes are yours: pick a prefix of your own and never reuse a code. */
#define CODE_POOL_UNBOUNDED "MYCHK001"

static int check_pool(vigil_check_ctx *ctx, const vigil_host *host)
{
	/* config_get reads the blueprint as written, from the database's own mapping. */
	const char *max = host->config_get(ctx, "pool.max");
	if (!max)
		max = host->config_get(ctx, "connection_pool.max_size");
	if (!max) {
		char message[200];
		snprintf(message, sizeof message, "database %s does not bound its connection pool",
		         host->database_name(ctx));
		vigil_finding *f =
		        host->finding_add(ctx, CODE_POOL_UNBOUNDED, VIGIL_PLUGIN_WARNING, message);
		host->finding_set_detail(f, "neither pool.max nor connection_pool.max_size is set");
		host->finding_set_hint(f, "add `pool: {max: 8}` to the database");
		host->finding_set_object(f, NULL, "pool");
		host->finding_set_evidence(f, "pool.max set", "unset");
		/* A warning does not fail the check: say it passed, with its finding. */
		host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
		return 0;
	}
	host->set_metric(ctx, "pool_max", strtod(max, NULL), "connections");
	host->log(ctx, VIGIL_PLUGIN_INFO, "pool.max is %s", max);
	/* Every plugin check must report its outcome; returning without it is an error. */
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static const vigil_check_def my_checks[] = {
	/* name, summary, depends_on (comma-separated check names, or NULL), run, heal, reserved */
	{ "my_check.pool",
	  "warns when a database does not bound its pool",
	  NULL,
	  check_pool,
	  NULL,
	  { 0 } },
};

/* Emits vigil_plugin_my_check_get_desc(), the only symbol the .so exports. */
VIGIL_PLUGIN_DEFINE(my_check, "1.0.0", "template: connection pool settings", VIGIL_PLUGIN_CHECK, 3,
                    my_checks, VIGIL_COUNT_OF(my_checks), NULL, NULL)
