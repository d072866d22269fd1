/* nostatus: a check that adds a finding but returns without calling set_status. */
#include "vigil/plugin.h"

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	host->finding_add(ctx, "TEST900", VIGIL_PLUGIN_INFO, "nostatus looked, and forgot to say");
	return 0;
}

static const vigil_check_def checks[] = {
	{ "nostatus", "never sets a status", NULL, run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(nostatus, "1.0.0", "forgets its status", VIGIL_PLUGIN_CHECK, 3, checks,
                    VIGIL_COUNT_OF(checks), NULL, NULL)
