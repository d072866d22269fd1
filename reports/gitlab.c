/*
 * gitlab.c — a GitLab Code Quality report: a JSON array with one issue per finding
 * (description, check_name, fingerprint, severity, location.path, location.lines.begin).
 * Severities: error → major, warning → minor, info → info.
 */
#include <stdio.h>
#include <stdlib.h>

#include "writers.h"

static const char *severity_of(vigil_severity severity)
{
	switch (severity) {
	case VIGIL_SEVERITY_ERROR: return "major";
	case VIGIL_SEVERITY_WARNING: return "minor";
	case VIGIL_SEVERITY_INFO: return "info";
	}
	return "info";
}

/* The issue is put in the array first, so a failure halfway leaves nothing to free here. */
static int add_issue(cJSON *issues, const vigil_report *report, const vigil_finding *f)
{
	cJSON *issue = cJSON_CreateObject();
	const char *path = vigil_finding_uri(f);
	char check_name[256];
	char *text;
	int ok;

	if (!issue || !cJSON_AddItemToArray(issues, issue)) {
		cJSON_Delete(issue);
		return VIGIL_ENOMEM;
	}
	text = vg_view_full_message(f);
	snprintf(check_name, sizeof check_name, "%s %s", vigil_finding_code(f),
	         vigil_finding_rule(f) ? vigil_finding_rule(f) : "");
	cJSON *location = cJSON_AddObjectToObject(issue, "location");
	cJSON *lines = location ? cJSON_AddObjectToObject(location, "lines") : NULL;
	/* A finding without a file (none should be left) points at the blueprint's top. */
	ok = text && lines && cJSON_AddStringToObject(issue, "type", "issue") &&
	     cJSON_AddStringToObject(issue, "description", text) &&
	     cJSON_AddStringToObject(issue, "check_name", check_name) &&
	     cJSON_AddStringToObject(issue, "fingerprint", vigil_finding_fingerprint(f)) &&
	     cJSON_AddStringToObject(issue, "severity", severity_of(vigil_finding_severity(f))) &&
	     cJSON_AddStringToObject(location, "path",
	                             path ? path : vigil_report_blueprint_path(report)) &&
	     cJSON_AddNumberToObject(lines, "begin",
	                             vigil_finding_line(f) ? vigil_finding_line(f) : 1);
	free(text);
	return ok ? VIGIL_OK : VIGIL_ENOMEM;
}

int vg_write_gitlab(const vigil_report *report, FILE *out, const vigil_write_options *options)
{
	cJSON *issues = cJSON_CreateArray();
	size_t count = vigil_report_finding_count(report);
	int rc = issues ? VIGIL_OK : VIGIL_ENOMEM;

	(void)options;
	for (size_t i = 0; i < count && rc == VIGIL_OK; i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		if (!vigil_finding_known(f) && !vigil_finding_suppressed(f)) /* accepted */
			rc = add_issue(issues, report, f);
	}
	if (rc == VIGIL_OK)
		rc = vg_json_print(out, issues);
	cJSON_Delete(issues);
	return rc;
}
