/*
 * baseline.c — the baseline file `vigil baseline` writes and --baseline reads
 * (engine/src/report/report_accept.c): the findings of a run by fingerprint, with enough beside
 * each (code, severity, file, line, message) for a person reviewing the file.
 *
 *   {"vigil_baseline": 1, "tool": {...}, "blueprint": "...", "created_at": "...",
 *    "findings": [{"fingerprint": "<32 hex>", "code": "VG405", ...}, ...]}
 *
 * Suppressed findings are left out: their x-vigil-ignore already accepts them.
 */
#include "writers.h"

static int add_finding(cJSON *findings, const vigil_finding *f)
{
	cJSON *entry = cJSON_CreateObject();
	const char *uri = vigil_finding_uri(f);

	if (!entry || !cJSON_AddItemToArray(findings, entry)) {
		cJSON_Delete(entry);
		return VIGIL_ENOMEM;
	}
	int ok = cJSON_AddStringToObject(entry, "fingerprint", vigil_finding_fingerprint(f)) &&
	         cJSON_AddStringToObject(entry, "code", vigil_finding_code(f)) &&
	         cJSON_AddStringToObject(entry, "severity",
	                                 vigil_severity_name(vigil_finding_severity(f))) &&
	         (!uri || cJSON_AddStringToObject(entry, "file", uri)) &&
	         (!vigil_finding_line(f) ||
	          cJSON_AddNumberToObject(entry, "line", vigil_finding_line(f))) &&
	         (!vigil_finding_database(f) ||
	          cJSON_AddStringToObject(entry, "database", vigil_finding_database(f))) &&
	         (!vigil_finding_object(f) ||
	          cJSON_AddStringToObject(entry, "object", vigil_finding_object(f))) &&
	         cJSON_AddStringToObject(entry, "message", vigil_finding_message(f));
	return ok ? VIGIL_OK : VIGIL_ENOMEM;
}

int vg_write_baseline(const vigil_report *report, FILE *out, const vigil_write_options *options)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *tool = root && cJSON_AddNumberToObject(root, "vigil_baseline", 1)
	                      ? cJSON_AddObjectToObject(root, "tool")
	                      : NULL;
	cJSON *findings = NULL;
	int rc = VIGIL_ENOMEM;

	(void)options;
	if (tool && cJSON_AddStringToObject(tool, "name", "vigil") &&
	    cJSON_AddStringToObject(tool, "version", vigil_version()) &&
	    cJSON_AddStringToObject(root, "blueprint", vigil_report_blueprint_path(report)) &&
	    cJSON_AddStringToObject(root, "created_at", vigil_report_started_at(report)))
		findings = cJSON_AddArrayToObject(root, "findings");
	if (findings) {
		rc = VIGIL_OK;
		for (size_t i = 0; i < vigil_report_finding_count(report) && rc == VIGIL_OK; i++) {
			const vigil_finding *f = vigil_report_finding(report, i);
			if (!vigil_finding_suppressed(f))
				rc = add_finding(findings, f);
		}
	}
	if (rc == VIGIL_OK)
		rc = vg_json_print(out, root);
	cJSON_Delete(root);
	return rc;
}
