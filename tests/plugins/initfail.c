/* initfail: its init refuses to start (as a driver would without its client library). */
#include "vigil/plugin.h"

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static int init(const vigil_host *host)
{
	host->log(NULL, VIGIL_PLUGIN_ERROR, "initfail: refusing to start");
	return -7;
}

static const vigil_check_def checks[] = {
	{ "initfail", "never runs", NULL, run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(initfail, "1.0.0", "init fails", VIGIL_PLUGIN_CHECK, 3, checks,
                    VIGIL_COUNT_OF(checks), init, NULL)
