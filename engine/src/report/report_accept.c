/* report_accept.c — baselines, inline suppressions and fail-on (see report_accept.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_accept.h"
#include "report_locate.h"

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Line and column (1-based) of byte `offset` of `text`. */
static void position_of(const char *text, size_t offset, unsigned *line, unsigned *column)
{
	*line = 1;
	*column = 1;
	for (size_t i = 0; i < offset && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*column = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			(*column)++;
		}
	}
}

/* A failed level-1 check "baseline" with its VG641 finding, at `line`:`column` of the file. */
static int baseline_failed(vigil_report *r, unsigned line, unsigned column, const char *fmt,
                           const char *what)
{
	char message[600];
	vg_check_rec *check = vg_report_add_check(r, 1, "baseline", NULL);
	if (!check)
		return VIGIL_ENOMEM;
	check->status = VIGIL_STATUS_FAILED;
	check->status_set = 1;
	check->finding_count = 1;
	snprintf(message, sizeof message, fmt, r->baseline_path, what);
	const vigil_code_info *info = vigil_code_find("VG641");
	vigil_finding *f =
	        vg_report_add_finding(r, 1, "baseline", "VG641", info->severity, message);
	if (!f)
		return VIGIL_ENOMEM;
	f->file = vg_arena_strdup(r->arena, r->baseline_path);
	f->line = line;
	f->column = column;
	vg_hint(f,
	        "write it again with `vigil baseline BLUEPRINT -o FILE`, or leave --baseline out");
	return f->file ? VIGIL_OK : VIGIL_ENOMEM;
}

/* Reads the baseline's fingerprints: {"vigil_baseline": 1, "findings": [{"fingerprint":
 * "<32 hex>", ...}, ...]}. A file that is not one is a finding, never a silent empty set. */
static int read_baseline(vigil_report *r)
{
	char *text = NULL;
	size_t length = 0;
	vg_yaml_error error = { 0 };
	unsigned line = 0, column = 0;
	int rc = VIGIL_OK;

	if (vg_yaml_read_file(&text, &length, r->baseline_path, &error) != 0)
		return error.kind == VG_YAML_ENOMEM
		               ? VIGIL_ENOMEM
		               : baseline_failed(r, 0, 0, "cannot read the baseline %s: %s",
		                                 error.message);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, length, &end, 0);
	const cJSON *version = root ? cJSON_GetObjectItemCaseSensitive(root, "vigil_baseline")
	                            : NULL;
	const cJSON *findings = root ? cJSON_GetObjectItemCaseSensitive(root, "findings") : NULL;
	if (!root) {
		position_of(text, end ? (size_t)(end - text) : 0, &line, &column);
		rc = baseline_failed(r, line, column, "the baseline %s is not JSON (%s)",
		                     "a syntax error here");
	} else if (!cJSON_IsNumber(version) || version->valueint != 1 || !cJSON_IsArray(findings)) {
		rc = baseline_failed(
		        r, 1, 1, "the baseline %s is not a vigil baseline (%s)",
		        "expected an object with \"vigil_baseline\": 1 and a \"findings\" list");
	} else {
		size_t n = (size_t)cJSON_GetArraySize(findings), k = 0;
		r->baseline = vg_arena_array(r->arena, n + 1, sizeof *r->baseline);
		if (!r->baseline)
			rc = VIGIL_ENOMEM;
		const cJSON *entry;
		cJSON_ArrayForEach(entry, findings)
		{
			if (rc != VIGIL_OK)
				break;
			const cJSON *print = cJSON_GetObjectItemCaseSensitive(entry, "fingerprint");
			const char *value = cJSON_GetStringValue(print);
			if (!value || strlen(value) != 32 ||
			    strspn(value, "0123456789abcdef") != 32) {
				char what[64];
				snprintf(what, sizeof what,
				         "finding #%zu has no 32-hex-digit fingerprint", k + 1);
				rc = baseline_failed(r, 1, 1,
				                     "the baseline %s is not a vigil baseline (%s)",
				                     what);
				r->baseline_count = 0;
				break;
			}
			r->baseline[k] = vg_arena_strdup(r->arena, value);
			if (!r->baseline[k++])
				rc = VIGIL_ENOMEM;
			r->baseline_count = k;
		}
		if (rc == VIGIL_OK && r->baseline_count > 1)
			qsort(r->baseline, r->baseline_count, sizeof *r->baseline, cmp_text);
	}
	cJSON_Delete(root);
	free(text);
	return rc;
}

int vg_accept_begin(vigil_report *r, const char *root, int fail_on_warning,
                    const char *baseline_path)
{
	if (vg_report_set_root(r, root) != VIGIL_OK)
		return VIGIL_ENOMEM;
	r->fail_on_warning = fail_on_warning;
	if (!baseline_path)
		return VIGIL_OK;
	r->baseline_path = vg_arena_strdup(r->arena, baseline_path);
	return r->baseline_path ? read_baseline(r) : VIGIL_ENOMEM;
}

void vg_accept_reset_ignores(vigil_report *r)
{
	r->ignore_count = 0;
}

int vg_accept_add_ignore(vigil_report *r, const vg_ignore *ignore)
{
	if (r->ignore_count == r->ignore_cap) {
		size_t cap = r->ignore_cap ? 2 * r->ignore_cap : 8;
		vg_ignore *grown = vg_arena_array(r->arena, cap, sizeof *grown);
		if (!grown)
			return VIGIL_ENOMEM;
		if (r->ignore_count)
			memcpy(grown, r->ignores, r->ignore_count * sizeof *grown);
		r->ignores = grown;
		r->ignore_cap = cap;
	}
	vg_ignore *copy = &r->ignores[r->ignore_count];
	*copy = *ignore;
	copy->code = vg_arena_strdup(r->arena, ignore->code);
	copy->reason = vg_arena_strdup(r->arena, ignore->reason);
	copy->file = vg_arena_strdup(r->arena, ignore->file);
	if (!copy->code || !copy->reason || !copy->file)
		return VIGIL_ENOMEM;
	r->ignore_count++;
	return VIGIL_OK;
}

static int before(unsigned line_a, unsigned column_a, unsigned line_b, unsigned column_b)
{
	return line_a < line_b || (line_a == line_b && column_a <= column_b);
}

static const vg_ignore *ignore_for(const vigil_report *r, const vigil_finding *f)
{
	if (!f->file || f->line == 0)
		return NULL;
	for (size_t i = 0; i < r->ignore_count; i++) {
		const vg_ignore *g = &r->ignores[i];
		if (strcmp(g->code, f->code) == 0 && strcmp(g->file, f->file) == 0 &&
		    before(g->line, g->column, f->line, f->column) &&
		    before(f->line, f->column, g->end_line, g->end_column))
			return g;
	}
	return NULL;
}

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* A check's findings at a level that count, and those accepted. */
static void count_for(const vigil_report *r, unsigned level, const vg_check_rec *c, size_t *errors,
                      size_t *warnings, size_t *accepted)
{
	*errors = *warnings = *accepted = 0;
	for (size_t i = 0; i < r->finding_count; i++) {
		const vigil_finding *f = r->findings[i];
		if (f->level != level || !same(f->check, c->name) ||
		    (c->database && !same(f->database, c->database)))
			continue;
		if (f->accepted)
			*accepted += f->severity == VIGIL_SEVERITY_ERROR;
		else if (f->severity == VIGIL_SEVERITY_ERROR)
			(*errors)++;
		else if (f->severity == VIGIL_SEVERITY_WARNING)
			(*warnings)++;
	}
}

int vg_accept_level(vigil_report *r, unsigned level)
{
	size_t n = 0;
	vigil_finding **list;
	int rc;

	for (size_t i = 0; i < r->finding_count; i++)
		n += r->findings[i]->level == level;
	if (n == 0)
		return VIGIL_OK;
	list = malloc(n * sizeof *list);
	if (!list)
		return VIGIL_ENOMEM;
	n = 0;
	for (size_t i = 0; i < r->finding_count; i++)
		if (r->findings[i]->level == level)
			list[n++] = r->findings[i];
	qsort(list, n, sizeof *list, vg_finding_order);
	rc = vg_locate_findings(r, list, n);
	for (size_t i = 0; i < n && rc == VIGIL_OK; i++) {
		vigil_finding *f = list[i];
		const vg_ignore *g;
		if (f->accepted || strcmp(f->code, "VG640") == 0 || strcmp(f->code, "VG641") == 0)
			continue; /* the acceptance's own findings cannot be accepted */
		if ((g = ignore_for(r, f))) {
			f->accepted = VG_ACCEPT_SUPPRESSED;
			f->suppressed_reason = g->reason;
			r->suppressed_count++;
		} else if (r->baseline_count &&
		           bsearch(&f->fingerprint, r->baseline, r->baseline_count,
		                   sizeof *r->baseline, cmp_text)) {
			f->accepted = VG_ACCEPT_KNOWN;
			r->known_count++;
		}
		if (f->accepted && f->severity == VIGIL_SEVERITY_ERROR && r->error_count > 0)
			r->error_count--;
	}
	free(list);
	if (rc != VIGIL_OK)
		return rc;

	/* Checks whose every error is accepted pass; with fail-on warning, one that keeps a
	 * warning fails. A check that failed without a finding of its own stays failed. */
	vg_level_rec *lv = &r->levels[level - 1];
	for (size_t k = 0; k < lv->check_count; k++) {
		vg_check_rec *c = &lv->checks[k];
		size_t errors, warnings, accepted;
		count_for(r, level, c, &errors, &warnings, &accepted);
		if (c->status == VIGIL_STATUS_FAILED && errors == 0 && accepted > 0) {
			c->status = VIGIL_STATUS_PASSED;
			c->reason = vg_arena_printf(r->arena,
			                            "%zu error finding%s accepted "
			                            "(baseline or x-vigil-ignore)",
			                            accepted, accepted == 1 ? "" : "s");
			if (!c->reason)
				return VIGIL_ENOMEM;
		}
		if (r->fail_on_warning && c->status == VIGIL_STATUS_PASSED && warnings > 0) {
			c->status = VIGIL_STATUS_FAILED;
			c->reason = vg_arena_printf(r->arena, "%zu warning%s (--fail-on warning)",
			                            warnings, warnings == 1 ? "" : "s");
			if (!c->reason)
				return VIGIL_ENOMEM;
		}
	}
	return VIGIL_OK;
}

/* ------------------------------------------------------------ getters */

int vigil_finding_known(const vigil_finding *f)
{
	return f && f->accepted == VG_ACCEPT_KNOWN;
}

const char *vigil_finding_suppressed(const vigil_finding *f)
{
	return f && f->accepted == VG_ACCEPT_SUPPRESSED ? f->suppressed_reason : NULL;
}

size_t vigil_report_known_count(const vigil_report *r)
{
	return r ? r->known_count : 0;
}

size_t vigil_report_suppressed_count(const vigil_report *r)
{
	return r ? r->suppressed_count : 0;
}

const char *vigil_report_baseline(const vigil_report *r)
{
	return r ? r->baseline_path : NULL;
}

vigil_severity vigil_report_fail_on(const vigil_report *r)
{
	return r && r->fail_on_warning ? VIGIL_SEVERITY_WARNING : VIGIL_SEVERITY_ERROR;
}
