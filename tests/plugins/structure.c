/* structure: a well-formed check plugin whose name is taken by a built-in validator. */
#include "vigil/plugin.h"

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static const vigil_check_def checks[] = {
	{ "structure", "would shadow the built-in validator", NULL, run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(structure, "1.0.0", "a duplicate name", VIGIL_PLUGIN_CHECK, 3, checks,
                    VIGIL_COUNT_OF(checks), NULL, NULL)
