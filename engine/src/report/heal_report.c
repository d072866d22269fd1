/* heal_report.c — the healing records of a report (docs/healing.md): getters and names. */
#include <string.h>

#include "run.h"

size_t vigil_report_heal_count(const vigil_report *report)
{
	return report ? report->heal_count : 0;
}

const vigil_heal_database *vigil_report_heal_at(const vigil_report *report, size_t i)
{
	return report && i < report->heal_count ? &report->heals[i] : NULL;
}

const char *vigil_heal_mode_name(int mode)
{
	switch (mode) {
	case VIGIL_HEAL_OFF: return "off";
	case VIGIL_HEAL_PLAN: return "plan";
	case VIGIL_HEAL_APPLY: return "apply";
	}
	return "unknown";
}

int vigil_heal_mode_parse(int *out, const char *name)
{
	for (int mode = VIGIL_HEAL_OFF; mode <= VIGIL_HEAL_APPLY; mode++) {
		if (name && strcmp(name, vigil_heal_mode_name(mode)) == 0) {
			if (out)
				*out = mode;
			return VIGIL_OK;
		}
	}
	return VIGIL_EINVAL;
}

const char *vigil_heal_outcome_name(int outcome)
{
	switch (outcome) {
	case VIGIL_HEAL_PLANNED: return "planned";
	case VIGIL_HEAL_APPLIED: return "applied";
	case VIGIL_HEAL_REFUSED: return "refused";
	case VIGIL_HEAL_FAILED: return "failed";
	case VIGIL_HEAL_NOT_RUN: return "not run";
	case VIGIL_HEAL_ROLLED_BACK: return "rolled back";
	}
	return "unknown";
}
