/* level_settle.c — a level's status from its check records (run.h, vg_level_settle). */
#include "report_accept.h"
#include "run.h"

int vg_level_settle(vigil_report *report, unsigned level)
{
	vg_level_rec *lv = &report->levels[level - 1];
	if (vg_accept_level(report, level) != VIGIL_OK) /* baseline, x-vigil-ignore, fail-on */
		return VIGIL_ENOMEM;
	lv->status = VIGIL_STATUS_PASSED;
	lv->reason = NULL;
	size_t not_run = 0;
	const vg_check_rec *first_not_run = NULL;
	for (size_t i = 0; i < lv->check_count; i++) {
		if (lv->checks[i].status == VIGIL_STATUS_FAILED)
			lv->status = VIGIL_STATUS_FAILED;
		else if (lv->checks[i].status == VIGIL_STATUS_ERROR &&
		         lv->status != VIGIL_STATUS_FAILED)
			lv->status = VIGIL_STATUS_ERROR;
		else if (lv->checks[i].status == VIGIL_STATUS_SKIPPED && !not_run++)
			first_not_run = &lv->checks[i];
	}
	/* A level that passed without running all its checks must say so: it is not a full pass. */
	if (not_run && lv->status == VIGIL_STATUS_PASSED) {
		lv->reason = vg_arena_printf(
		        report->arena, "partial: %zu of %zu checks not run (%s%s%s%s: %s)", not_run,
		        lv->check_count, first_not_run->name, first_not_run->database ? " [" : "",
		        first_not_run->database ? first_not_run->database : "",
		        first_not_run->database ? "]" : "",
		        first_not_run->reason ? first_not_run->reason : "skipped");
		if (!lv->reason)
			return VIGIL_ENOMEM;
	}
	return VIGIL_OK;
}
