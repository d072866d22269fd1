/*
 * sarif.c — SARIF 2.1.0 (OASIS) for code scanning: one run, the code table as the tool's
 * rules, one result per finding located in the blueprint (artifact URI relative to the
 * project root, %SRCROOT%) and, for database findings, at logical locations (database →
 * table → column); partialFingerprints from the finding's stable fingerprint; a SQL
 * proposal as a related location's text, a blueprint edit of --heal as a fix.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writers.h"

#define SRCROOT "%SRCROOT%"

typedef struct sarif {
	const vg_view *view;
	cJSON *rules;
	cJSON *logical; /* run.logicalLocations */
	int failed;
} sarif;

static cJSON *add_string(sarif *s, cJSON *object, const char *key, const char *value)
{
	cJSON *item = object ? cJSON_AddStringToObject(object, key, value ? value : "") : NULL;
	if (!item)
		s->failed = 1;
	return item;
}

static void add_number(sarif *s, cJSON *object, const char *key, double value)
{
	if (!object || !cJSON_AddNumberToObject(object, key, value))
		s->failed = 1;
}

static cJSON *add_object(sarif *s, cJSON *parent, const char *key)
{
	cJSON *object = parent ? cJSON_AddObjectToObject(parent, key) : NULL;
	if (!object)
		s->failed = 1;
	return object;
}

static cJSON *add_array(sarif *s, cJSON *parent, const char *key)
{
	cJSON *array = parent ? cJSON_AddArrayToObject(parent, key) : NULL;
	if (!array)
		s->failed = 1;
	return array;
}

static cJSON *append_object(sarif *s, cJSON *array)
{
	cJSON *object = cJSON_CreateObject();
	if (!object || !array || !cJSON_AddItemToArray(array, object)) {
		cJSON_Delete(object);
		s->failed = 1;
		return NULL;
	}
	return object;
}

/* {"text": ...}, ending in a full stop as SARIF asks of plain-text messages. */
static void add_message(sarif *s, cJSON *parent, const char *key, const char *text)
{
	cJSON *message = add_object(s, parent, key);
	size_t n = text ? strlen(text) : 0;
	char last = n ? text[n - 1] : '.';
	if (last == '.' || last == '!' || last == '?') {
		add_string(s, message, "text", text);
		return;
	}
	char *stopped = malloc(n + 2);
	if (!stopped) {
		s->failed = 1;
		return;
	}
	memcpy(stopped, text, n);
	memcpy(stopped + n, ".", 2);
	add_string(s, message, "text", stopped);
	free(stopped);
}

static const char *sarif_level(vigil_severity severity)
{
	switch (severity) {
	case VIGIL_SEVERITY_ERROR: return "error";
	case VIGIL_SEVERITY_WARNING: return "warning";
	case VIGIL_SEVERITY_INFO: return "note";
	}
	return "none";
}

/* "unknown-key" → "UnknownKey": SARIF rule names are identifiers. */
static char *pascal_case(const char *slug)
{
	size_t n = strlen(slug);
	char *name = malloc(n + 1);
	size_t k = 0;
	int upper = 1;

	if (!name)
		return NULL;
	for (const char *p = slug; *p; p++) {
		if (*p == '-' || *p == '_' || *p == ' ') {
			upper = 1;
			continue;
		}
		name[k++] = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		upper = 0;
	}
	name[k] = '\0';
	return name;
}

static void add_rule(sarif *s, const char *code, const char *rule, unsigned level,
                     vigil_severity severity, const char *summary)
{
	cJSON *entry = append_object(s, s->rules);
	char *name = pascal_case(rule ? rule : code);
	char text[1024];
	const char *level_name = vigil_report_level_name(s->view->report, level);

	if (!name) {
		s->failed = 1;
		return;
	}
	add_string(s, entry, "id", code);
	add_string(s, entry, "name", name);
	free(name);
	add_message(s, entry, "shortDescription", summary ? summary : code);
	snprintf(text, sizeof text, "%s. Rule `%s`, level %u (%s), %s by default.",
	         summary ? summary : code, rule ? rule : code, level,
	         level_name ? level_name : "unknown", vigil_severity_name(severity));
	add_message(s, entry, "fullDescription", text);
	snprintf(text, sizeof text,
	         "%s. `vigil codes %s` explains the code; the finding's detail and hint say what "
	         "was found and how to fix it.",
	         summary ? summary : code, code);
	cJSON *help = add_object(s, entry, "help");
	add_string(s, help, "text", text);
	add_string(s, help, "markdown", text);
	cJSON *configuration = add_object(s, entry, "defaultConfiguration");
	add_string(s, configuration, "level", sarif_level(severity));
	cJSON *properties = add_object(s, entry, "properties");
	add_string(s, properties, "rule", rule ? rule : code);
	add_number(s, properties, "level", level);
	cJSON *tags = add_array(s, properties, "tags");
	cJSON *tag = cJSON_CreateString(level_name ? level_name : "unknown");
	if (!tag || !tags || !cJSON_AddItemToArray(tags, tag)) {
		cJSON_Delete(tag);
		s->failed = 1;
	}
}

/* The index of a finding's rule; a plugin's own code not in the table is added. */
static int rule_index(sarif *s, const vigil_finding *f)
{
	const char *code = vigil_finding_code(f);
	int count = cJSON_GetArraySize(s->rules);

	for (int i = 0; i < count; i++) {
		const cJSON *id =
		        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(s->rules, i), "id");
		if (cJSON_IsString(id) && strcmp(id->valuestring, code) == 0)
			return i;
	}
	add_rule(s, code, vigil_finding_rule(f), vigil_finding_level(f), vigil_finding_severity(f),
	         vigil_finding_message(f));
	return count;
}

/* A file path as a URI reference: each byte outside RFC 3986's unreserved set and '/'
 * percent-encoded; an absolute path becomes a file:// URI. */
static char *uri_of_path(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *uri = malloc(3 * n + sizeof "file://");
	size_t k = 0;

	if (!uri)
		return NULL;
	if (path[0] == '/') {
		memcpy(uri, "file://", 7);
		k = 7;
	}
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~' ||
		    *p == '/') {
			uri[k++] = (char)*p;
		} else {
			uri[k++] = '%';
			uri[k++] = hex[*p >> 4];
			uri[k++] = hex[*p & 15];
		}
	}
	uri[k] = '\0';
	return uri;
}

static void add_artifact_location(sarif *s, cJSON *parent, const char *path)
{
	cJSON *artifact = add_object(s, parent, "artifactLocation");
	char *uri = uri_of_path(path);
	if (!uri) {
		s->failed = 1;
		return;
	}
	add_string(s, artifact, "uri", uri);
	if (path[0] != '/')
		add_string(s, artifact, "uriBaseId", SRCROOT);
	free(uri);
}

/* The index in run.logicalLocations of (kind, fully qualified name), added when new. */
static int logical_index(sarif *s, const char *kind, const char *name, const char *qualified,
                         int parent)
{
	int count = cJSON_GetArraySize(s->logical);

	for (int i = 0; i < count; i++) {
		const cJSON *entry = cJSON_GetArrayItem(s->logical, i);
		const cJSON *fqn = cJSON_GetObjectItemCaseSensitive(entry, "fullyQualifiedName");
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(entry, "kind");
		if (cJSON_IsString(fqn) && cJSON_IsString(k) &&
		    strcmp(fqn->valuestring, qualified) == 0 && strcmp(k->valuestring, kind) == 0)
			return i;
	}
	cJSON *entry = append_object(s, s->logical);
	add_string(s, entry, "name", name);
	add_string(s, entry, "fullyQualifiedName", qualified);
	add_string(s, entry, "kind", kind);
	if (parent >= 0)
		add_number(s, entry, "parentIndex", parent);
	return count;
}

/* database, database.table, database.table.column: the most specific one, referenced. */
static void add_logical_locations(sarif *s, cJSON *location, const vigil_finding *f)
{
	const char *database = vigil_finding_database(f);
	const char *object = vigil_finding_object(f);
	char buffer[1024], qualified[2048];
	const char *table = NULL, *column = NULL;
	int index, parent;

	if (!database && !object)
		return;
	if (object && vg_view_split_object(object, buffer, sizeof buffer, &table, &column) != 0)
		table = column = NULL;
	if (database) {
		index = logical_index(s, "database", database, database, -1);
	} else {
		index = -1;
	}
	parent = index;
	if (table) {
		const char *rule = vigil_finding_rule(f);
		const char *kind = !column && rule && strstr(rule, "index") ? "index" : "table";
		snprintf(qualified, sizeof qualified, "%s%s%s", database ? database : "",
		         database ? "." : "", table);
		index = logical_index(s, kind, table, qualified, parent);
		parent = index;
	}
	if (column) {
		snprintf(qualified, sizeof qualified, "%s%s%s.%s", database ? database : "",
		         database ? "." : "", table, column);
		index = logical_index(s, "column", column, qualified, parent);
	}
	cJSON *list = add_array(s, location, "logicalLocations");
	cJSON *ref = append_object(s, list);
	const cJSON *entry = cJSON_GetArrayItem(s->logical, index);
	add_number(s, ref, "index", index);
	add_string(s, ref, "fullyQualifiedName",
	           cJSON_GetStringValue(
	                   cJSON_GetObjectItemCaseSensitive(entry, "fullyQualifiedName")));
	add_string(s, ref, "kind",
	           cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "kind")));
}

static void add_region(sarif *s, cJSON *parent, const vigil_finding *f)
{
	if (vigil_finding_line(f) == 0)
		return;
	cJSON *region = add_object(s, parent, "region");
	add_number(s, region, "startLine", vigil_finding_line(f));
	if (vigil_finding_column(f) > 0)
		add_number(s, region, "startColumn", vigil_finding_column(f));
}

/* Counts code points and lines of `text`: where it ends when it starts at (line, column). */
static void end_of(const char *text, unsigned line, unsigned column, unsigned *end_line,
                   unsigned *end_column)
{
	const unsigned char *p = (const unsigned char *)text;
	*end_line = line;
	*end_column = column;
	while (*p) {
		size_t n = vg_utf8_sequence_length(p);
		if (*p == '\n') {
			(*end_line)++;
			*end_column = 1;
		} else {
			(*end_column)++;
		}
		p += n ? n : 1;
	}
}

/* The blueprint edit of --heal that fixes this finding (same code, line, column), if any. */
static const vigil_heal_edit *edit_for(const vigil_report *report, const vigil_finding *f)
{
	const vigil_heal_blueprint *h = vigil_report_heal_blueprint(report);
	const char *file = vigil_finding_file(f);

	if (!h || !file || !h->input_file || strcmp(file, h->input_file) != 0)
		return NULL;
	for (size_t k = 0; k < h->edit_count; k++) {
		const vigil_heal_edit *e = &h->edits[k];
		if (strcmp(e->code, vigil_finding_code(f)) == 0 &&
		    e->line == vigil_finding_line(f) && e->column == vigil_finding_column(f))
			return e;
	}
	return NULL;
}

static void add_fix(sarif *s, cJSON *result, const vigil_finding *f, const vigil_heal_edit *e)
{
	unsigned end_line, end_column;
	cJSON *fix = append_object(s, add_array(s, result, "fixes"));

	add_message(s, fix, "description", e->description);
	cJSON *change = append_object(s, add_array(s, fix, "artifactChanges"));
	add_artifact_location(s, change, vigil_finding_uri(f));
	cJSON *replacement = append_object(s, add_array(s, change, "replacements"));
	cJSON *region = add_object(s, replacement, "deletedRegion");
	end_of(e->original, e->line, e->column, &end_line, &end_column);
	add_number(s, region, "startLine", e->line);
	add_number(s, region, "startColumn", e->column);
	add_number(s, region, "endLine", end_line);
	add_number(s, region, "endColumn", end_column);
	cJSON *inserted = add_object(s, replacement, "insertedContent");
	add_string(s, inserted, "text", e->replacement);
}

static void add_result(sarif *s, cJSON *results, const vigil_finding *f)
{
	cJSON *result = append_object(s, results);
	char *text = vg_view_full_message(f);
	const char *uri = vigil_finding_uri(f);
	const char *proposal = vigil_finding_proposal(f);

	if (!text) {
		s->failed = 1;
		return;
	}
	add_string(s, result, "ruleId", vigil_finding_code(f));
	add_number(s, result, "ruleIndex", rule_index(s, f));
	add_string(s, result, "level", sarif_level(vigil_finding_severity(f)));
	add_message(s, result, "message", text);
	free(text);
	cJSON *location = append_object(s, add_array(s, result, "locations"));
	if (uri) {
		cJSON *physical = add_object(s, location, "physicalLocation");
		add_artifact_location(s, physical, uri);
		add_region(s, physical, f);
	}
	add_logical_locations(s, location, f);
	if (vigil_report_baseline(s->view->report))
		add_string(s, result, "baselineState",
		           vigil_finding_known(f) ? "unchanged" : "new");
	if (vigil_finding_suppressed(f)) {
		cJSON *suppression = append_object(s, add_array(s, result, "suppressions"));
		add_string(s, suppression, "kind", "inSource");
		add_string(s, suppression, "justification", vigil_finding_suppressed(f));
	}
	cJSON *fingerprints = add_object(s, result, "partialFingerprints");
	add_string(s, fingerprints, "vigilFinding/v1", vigil_finding_fingerprint(f));
	if (proposal) {
		char label[160];
		cJSON *related = append_object(s, add_array(s, result, "relatedLocations"));
		add_number(s, related, "id", 1);
		if (uri) {
			cJSON *physical = add_object(s, related, "physicalLocation");
			add_artifact_location(s, physical, uri);
			add_region(s, physical, f);
		}
		snprintf(label, sizeof label, "Proposed SQL (%s), for database %s:\n",
		         vigil_risk_name(vigil_finding_risk(f)),
		         vigil_finding_database(f) ? vigil_finding_database(f) : "?");
		size_t size = strlen(label) + strlen(proposal) + 1;
		char *body = malloc(size);
		if (!body) {
			s->failed = 1;
			return;
		}
		snprintf(body, size, "%s%s", label, proposal);
		add_message(s, related, "message", body);
		free(body);
	}
	const vigil_heal_edit *edit = uri ? edit_for(s->view->report, f) : NULL;
	if (edit)
		add_fix(s, result, f, edit);
	cJSON *properties = add_object(s, result, "properties");
	add_string(s, properties, "check", vigil_finding_check(f));
	add_number(s, properties, "level", vigil_finding_level(f));
	if (vigil_finding_database(f))
		add_string(s, properties, "database", vigil_finding_database(f));
	if (vigil_finding_object(f))
		add_string(s, properties, "object", vigil_finding_object(f));
	if (vigil_finding_expected(f))
		add_string(s, properties, "expected", vigil_finding_expected(f));
	if (vigil_finding_actual(f))
		add_string(s, properties, "actual", vigil_finding_actual(f));
	if (proposal) {
		add_string(s, properties, "proposal", proposal);
		add_string(s, properties, "risk", vigil_risk_name(vigil_finding_risk(f)));
	}
}

/* Checks that could not complete, as the run's notifications: they are not results about
 * the blueprint, but the verdict depends on them. */
static void add_invocation(sarif *s, cJSON *run)
{
	const vigil_report *report = s->view->report;
	int exit_code = vigil_report_exit_code(report);
	cJSON *invocation = append_object(s, add_array(s, run, "invocations"));
	cJSON *notifications = NULL;

	if (!invocation)
		return;
	if (!cJSON_AddBoolToObject(invocation, "executionSuccessful",
	                           exit_code == VIGIL_EXIT_PASS || exit_code == VIGIL_EXIT_FAIL))
		s->failed = 1;
	add_number(s, invocation, "exitCode", exit_code);
	add_string(s, invocation, "startTimeUtc", vigil_report_started_at(report));
	for (size_t c = 0; c < s->view->check_count; c++) {
		const vg_view_check *vc = &s->view->checks[c];
		vigil_status status = vigil_report_check_status(report, vc->level, vc->index);
		const char *database = vigil_report_check_database(report, vc->level, vc->index);
		const char *reason = vigil_report_check_reason(report, vc->level, vc->index);
		char text[1200];
		if (status != VIGIL_STATUS_ERROR && status != VIGIL_STATUS_SKIPPED)
			continue;
		if (!notifications)
			notifications = add_array(s, invocation, "toolExecutionNotifications");
		snprintf(text, sizeof text, "Check %s%s%s%s %s: %s",
		         vigil_report_check_name(report, vc->level, vc->index),
		         database ? " [" : "", database ? database : "", database ? "]" : "",
		         status == VIGIL_STATUS_ERROR ? "did not complete" : "did not run",
		         reason ? reason : "no reason given");
		cJSON *note = append_object(s, notifications);
		add_string(s, note, "level", status == VIGIL_STATUS_ERROR ? "error" : "note");
		add_message(s, note, "message", text);
	}
}

int vg_write_sarif(const vigil_report *report, FILE *out, const vigil_write_options *options)
{
	vg_view view;
	sarif s = { &view, NULL, NULL, 0 };
	cJSON *root = cJSON_CreateObject();
	int rc;

	(void)options;
	if (!root || vg_view_build(&view, report) != VIGIL_OK) {
		cJSON_Delete(root);
		return VIGIL_ENOMEM;
	}
	add_string(&s, root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	add_string(&s, root, "version", "2.1.0");
	cJSON *run = append_object(&s, add_array(&s, root, "runs"));
	cJSON *driver = add_object(&s, add_object(&s, run, "tool"), "driver");
	add_string(&s, driver, "name", "vigil");
	add_string(&s, driver, "version", vigil_version());
	add_string(&s, driver, "semanticVersion", vigil_version());
	s.rules = add_array(&s, driver, "rules");
	for (size_t i = 0; i < vigil_code_count() && !s.failed; i++) {
		const vigil_code_info *info = vigil_code_at(i);
		add_rule(&s, info->code, info->rule, info->level, info->severity, info->summary);
	}
	add_invocation(&s, run);
	const char *root_dir = vigil_report_project_root(report);
	if (root_dir) {
		size_t n = strlen(root_dir);
		char *with_slash = malloc(n + 2);
		char *uri = NULL;
		if (with_slash) {
			snprintf(with_slash, n + 2, "%s%s", root_dir,
			         n && root_dir[n - 1] == '/' ? "" : "/");
			uri = uri_of_path(with_slash);
		}
		cJSON *base = add_object(&s, add_object(&s, run, "originalUriBaseIds"), SRCROOT);
		add_string(&s, base, "uri", uri);
		free(uri);
		free(with_slash);
	}
	add_string(&s, run, "columnKind", "unicodeCodePoints");
	s.logical = add_array(&s, run, "logicalLocations");
	cJSON *results = add_array(&s, run, "results");
	for (size_t i = 0; i < view.finding_count && !s.failed; i++)
		add_result(&s, results, view.findings[i]);
	if (!s.failed && cJSON_GetArraySize(s.logical) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(run, "logicalLocations");
	vg_view_free(&view);
	rc = s.failed ? VIGIL_ENOMEM : vg_json_print(out, root);
	cJSON_Delete(root);
	return rc;
}
