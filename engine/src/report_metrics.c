/* report_metrics.c — the public getters of checks' metrics (plugins' set_metric). */
#include "run.h"

static const vg_metric *metric_of(const vigil_report *report, unsigned level, size_t i, size_t k)
{
	if (!report || level < 1 || level > VG_LEVELS)
		return NULL;
	const vg_level_rec *lv = &report->levels[level - 1];
	if (i >= lv->check_count || k >= lv->checks[i].metric_count)
		return NULL;
	return &lv->checks[i].metrics[k];
}

size_t vigil_report_check_metric_count(const vigil_report *report, unsigned level, size_t i)
{
	if (!report || level < 1 || level > VG_LEVELS || i >= report->levels[level - 1].check_count)
		return 0;
	return report->levels[level - 1].checks[i].metric_count;
}

const char *vigil_report_check_metric_name(const vigil_report *report, unsigned level, size_t i,
                                           size_t k)
{
	const vg_metric *m = metric_of(report, level, i, k);
	return m ? m->name : NULL;
}

double vigil_report_check_metric_value(const vigil_report *report, unsigned level, size_t i,
                                       size_t k)
{
	const vg_metric *m = metric_of(report, level, i, k);
	return m ? m->value : 0;
}

const char *vigil_report_check_metric_unit(const vigil_report *report, unsigned level, size_t i,
                                           size_t k)
{
	const vg_metric *m = metric_of(report, level, i, k);
	return m ? m->unit : NULL;
}
