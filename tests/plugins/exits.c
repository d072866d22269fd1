/* exits: a check that calls exit(0) — the worker ends before the check reports. */
#include <stdlib.h>

#include "vigil/plugin.h"

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)ctx;
	(void)host;
	exit(0);
}

static const vigil_check_def checks[] = {
	{ "exits", "calls exit(0)", NULL, run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(exits, "1.0.0", "exits", VIGIL_PLUGIN_CHECK, 3, checks, VIGIL_COUNT_OF(checks),
                    NULL, NULL)
