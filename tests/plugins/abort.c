/* abort: a check that calls abort(). */
#include <stdlib.h>

#include "vigil/plugin.h"

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)ctx;
	(void)host;
	abort();
}

static const vigil_check_def checks[] = {
	{ "abort", "aborts", NULL, run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(abort, "1.0.0", "aborts", VIGIL_PLUGIN_CHECK, 3, checks, VIGIL_COUNT_OF(checks),
                    NULL, NULL)
