/* segv: a check that dereferences a wild pointer; and one that depends on it. */
#include <stdint.h>

#include "vigil/plugin.h"

static int crash(vigil_check_ctx *ctx, const vigil_host *host)
{
	(void)ctx;
	(void)host;
	volatile uintptr_t wild = 16; /* volatile: the compiler cannot see the crash coming */
	*(volatile int *)wild = 1;
	return 0;
}

static int after(vigil_check_ctx *ctx, const vigil_host *host)
{
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static const vigil_check_def checks[] = {
	{ "segv", "crashes with SIGSEGV", NULL, crash, NULL, { 0 } },
	{ "segv.after", "depends on the crashing check", "segv", after, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(segv, "1.0.0", "crashes", VIGIL_PLUGIN_CHECK, 3, checks, VIGIL_COUNT_OF(checks),
                    NULL, NULL)
