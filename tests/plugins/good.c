/* good: a well-behaved plugin with two checks that produce findings with every field. */
#include <stdio.h>
#include <string.h>

#include "vigil/plugin.h"

static int first(vigil_check_ctx *ctx, const vigil_host *host)
{
	const char *db = host->database_name(ctx);
	const char *max = host->config_get(ctx, "pool.max");
	host->log(ctx, VIGIL_PLUGIN_INFO, "good.first on %s (%s)", db, host->database_type(ctx));
	vigil_finding *f =
	        host->finding_add(ctx, "TEST100", VIGIL_PLUGIN_WARNING, "the pool could be larger");
	host->finding_set_detail(f, "pool.max is small for this workload");
	host->finding_set_hint(f, "raise pool.max");
	host->finding_set_location(f, "blueprint.yaml", 7, 9);
	host->finding_set_object(f, NULL, "pool");
	host->finding_set_evidence(f, ">= 8", max ? max : "(unset)");
	host->set_metric(ctx, "answer", 42, "1");
	host->set_metric(ctx, "latency_ms", 1.5, "ms");
	host->set_metric(ctx, "answer", 43, "1"); /* replaces */
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return host->cancelled(ctx) ? -1 : 0;
}

static int second(vigil_check_ctx *ctx, const vigil_host *host)
{
	char message[128];
	snprintf(message, sizeof message, "table tasks of %s is missing", host->database_name(ctx));
	vigil_finding *f = host->finding_add(ctx, "TEST101", VIGIL_PLUGIN_ERROR, message);
	host->finding_set_object(f, NULL, "tasks");
	host->finding_set_evidence(f, "present", "absent");
	host->set_status(ctx, VIGIL_CHECK_FAILED, NULL);
	return strcmp(host->check_name(ctx), "good.second") == 0 ? 0 : -1;
}

static const vigil_check_def checks[] = {
	{ "good.first", "a warning with every field and two metrics", NULL, first, NULL, { 0 } },
	{ "good.second", "an error finding; needs good.first", "good.first", second, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(good, "2.1.0", "a well-behaved test plugin", VIGIL_PLUGIN_CHECK, 3, checks,
                    VIGIL_COUNT_OF(checks), NULL, NULL)
