/* report_metrics.c — checks' metrics: the setter (plugins' set_metric) and the public getters. */
#include <string.h>

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

int vg_check_set_metric(vigil_report *report, vg_check_rec *check, const char *name, double value,
                        const char *unit)
{
	if (!report || !check || !name || !*name)
		return VIGIL_EINVAL;
	for (size_t i = 0; i < check->metric_count; i++) {
		if (strcmp(check->metrics[i].name, name) == 0) {
			check->metrics[i].value = value;
			check->metrics[i].unit = vg_arena_strdup(report->arena, unit);
			return unit && !check->metrics[i].unit ? VIGIL_ENOMEM : VIGIL_OK;
		}
	}
	/* Metrics are few per check: grow by copying within the arena. */
	vg_metric *metrics =
	        vg_arena_array(report->arena, check->metric_count + 1, sizeof *metrics);
	if (!metrics)
		return VIGIL_ENOMEM;
	if (check->metric_count)
		memcpy(metrics, check->metrics, check->metric_count * sizeof *metrics);
	vg_metric *m = &metrics[check->metric_count];
	m->name = vg_arena_strdup(report->arena, name);
	m->value = value;
	m->unit = vg_arena_strdup(report->arena, unit);
	if (!m->name || (unit && !m->unit))
		return VIGIL_ENOMEM;
	check->metrics = metrics;
	check->metric_count++;
	return VIGIL_OK;
}
