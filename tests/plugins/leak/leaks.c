/* leaks: a check that forgets 4242 bytes in the worker it runs in, so a sanitizer build's
 * LeakSanitizer must report it (tests/faults_lsan.sh): workers end with _exit, past the
 * check LeakSanitizer makes at exit, unless vigil runs it itself. */
#include <stdlib.h>
#include <string.h>

#include "vigil/plugin.h"

static void *kept; /* reachable: not a leak */

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	char *lost = malloc(4242);
	if (lost)
		memset(lost, 'x', 4242);
	lost = NULL; /* the only pointer to it, gone */
	kept = malloc(16);
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static const vigil_check_def checks[] = {
	{ "leaks", "forgets 4242 bytes in its worker", NULL, run, NULL, { 0 } },
};

VIGIL_PLUGIN_DEFINE(leaks, "1.0.0", "a check that leaks memory (LeakSanitizer test)",
                    VIGIL_PLUGIN_CHECK, 3, checks, VIGIL_COUNT_OF(checks), NULL, NULL)
