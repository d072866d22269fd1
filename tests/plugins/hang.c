/* hang: a check that never returns and never looks at cancelled(). */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "vigil/plugin.h"

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)ctx;
	(void)host;
	volatile int forever = 1;
	while (forever)
		sleep(1);
	return 0;
}

static const vigil_check_def checks[] = {
	{ "hang", "hangs forever", NULL, run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(hang, "1.0.0", "hangs", VIGIL_PLUGIN_CHECK, 3, checks, VIGIL_COUNT_OF(checks),
                    NULL, NULL)
