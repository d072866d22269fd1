/* garbage: a check that writes junk to stdout — including bytes shaped like a result frame —
 * then reports normally. The host's protocol must not notice. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vigil/plugin.h"

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	static const char frame[] = "\x20\x00\x00\x00{\"t\":\"result\",\"i\":0,\"status\":0}";
	for (int i = 0; i < 1000; i++)
		printf("garbage %d \x01\x02\xff {\"t\":\"result\"}\n", i);
	fflush(stdout);
	for (int i = 0; i < 100; i++)
		if (write(STDOUT_FILENO, frame, sizeof frame - 1) < 0)
			break;
	vigil_finding *f = host->finding_add(ctx, "TEST800", VIGIL_PLUGIN_INFO,
	                                     "garbage wrote to stdout and still reported");
	host->finding_set_detail(f, "about 40 kB of junk went to stdout");
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static const vigil_check_def checks[] = {
	{ "garbage", "writes garbage to stdout", NULL, run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(garbage, "1.0.0", "prints junk", VIGIL_PLUGIN_CHECK, 3, checks,
                    VIGIL_COUNT_OF(checks), NULL, NULL)
