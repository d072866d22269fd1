/* forks: a check that starts a process which outlives it (and holds the worker's pipe open),
 * then reports normally. The host must not wait for it, and must not leave it behind. */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "vigil/plugin.h"

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	host->set_status(ctx, pid > 0 ? VIGIL_CHECK_PASSED : VIGIL_CHECK_ERROR,
	                 pid > 0 ? NULL : "fork failed");
	return 0;
}

static const vigil_check_def checks[] = {
	{ "forks", "leaves a process behind", NULL, run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(forks, "1.0.0", "forks", VIGIL_PLUGIN_CHECK, 3, checks, VIGIL_COUNT_OF(checks),
                    NULL, NULL)
