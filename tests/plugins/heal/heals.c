/* heals: a check with a heal callback (ABI 1.2), for tests/heal.sh. The check fails while the
 * table heal_marker is missing; its heal proposes the CREATE TABLE through heal_propose. */
#include <stddef.h>

#include "vigil/plugin.h"

static int count_row(void *payload, size_t n, const char *const *values, const size_t *lengths)
{
	(void)n;
	(void)values;
	(void)lengths;
	++*(int *)payload;
	return 0;
}

static int run_it(vigil_check_ctx *ctx, const vigil_host *host)
{
	vigil_db_session *session = NULL;
	vigil_db_error err;
	if (host->db_acquire(ctx, &session, &err) != 0) {
		host->set_status(ctx, VIGIL_CHECK_ERROR, err.message);
		return 0;
	}
	int rows = 0;
	int rc = host->db_query(session, "SELECT 1 FROM heal_marker WHERE 1 = 0", 0, NULL, count_row,
	                        &rows, NULL, &err);
	host->db_release(session, 0);
	if (rc != 0) {
		vigil_finding *f = host->finding_add(ctx, "HEAL001", VIGIL_PLUGIN_ERROR,
		                                     "the table heal_marker is missing");
		host->finding_set_object(f, NULL, "heal_marker");
		host->set_status(ctx, VIGIL_CHECK_FAILED, NULL);
	} else {
		host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	}
	return 0;
}

static int heal_it(vigil_check_ctx *ctx, const vigil_host *host)
{
	if (!VIGIL_HOST_HAS(host, heal_propose))
		return -1;
	return host->heal_propose(ctx, "CREATE TABLE heal_marker (id integer)", VIGIL_RISK_SAFE,
	                          "HEAL001 heal_marker");
}

static const vigil_check_def checks[] = {
	{ "heals", "fails while heal_marker is missing; heals by creating it", NULL, run_it, heal_it,
	  { 0 } },
};
VIGIL_PLUGIN_DEFINE(heals, "1.0.0", "a test plugin with a heal callback", VIGIL_PLUGIN_CHECK, 3,
                    checks, VIGIL_COUNT_OF(checks), NULL, NULL)
