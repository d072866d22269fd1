/* view.c — the shared walk over a finished report for the CI writers (writers.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "writers.h"

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* The check that produced a finding: same level, name and database. */
static size_t claiming_check(const vg_view *view, const vigil_finding *f)
{
	const char *check = vigil_finding_check(f);
	unsigned level = vigil_finding_level(f);

	if (!check)
		return view->check_count;
	for (size_t c = 0; c < view->check_count; c++) {
		const vg_view_check *vc = &view->checks[c];
		if (vc->level == level &&
		    same(check, vigil_report_check_name(view->report, level, vc->index)) &&
		    same(vigil_finding_database(f),
		         vigil_report_check_database(view->report, level, vc->index)))
			return c;
	}
	/* A database check's finding may name no database of its own. */
	for (size_t c = 0; c < view->check_count; c++) {
		const vg_view_check *vc = &view->checks[c];
		if (vc->level == level &&
		    same(check, vigil_report_check_name(view->report, level, vc->index)))
			return c;
	}
	return view->check_count;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

typedef struct object_key {
	const vigil_finding *finding;
	size_t index;
} object_key;

static int cmp_by_object(const void *pa, const void *pb)
{
	const object_key *a = pa, *b = pb;
	int c = cmp_str(vigil_finding_database(a->finding), vigil_finding_database(b->finding));
	if (c == 0)
		c = cmp_str(vigil_finding_object(a->finding), vigil_finding_object(b->finding));
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* by_object: qsort takes no payload, so the keys carry their finding. */
static int order_by_object(vg_view *view)
{
	object_key *keys = calloc(view->finding_count + 1, sizeof *keys);

	if (!keys)
		return VIGIL_ENOMEM;
	for (size_t i = 0; i < view->finding_count; i++)
		keys[i] = (object_key){ view->findings[i], i };
	if (view->finding_count > 1)
		qsort(keys, view->finding_count, sizeof *keys, cmp_by_object);
	for (size_t i = 0; i < view->finding_count; i++)
		view->by_object[i] = keys[i].index;
	free(keys);
	return VIGIL_OK;
}

int vg_view_build(vg_view *view, const vigil_report *report)
{
	unsigned levels = vigil_report_level_count(report);
	size_t *claimed = NULL;

	memset(view, 0, sizeof *view);
	view->report = report;
	view->finding_count = vigil_report_finding_count(report);
	for (unsigned level = 1; level <= levels; level++)
		view->check_count += vigil_report_check_count(report, level);

	view->findings = calloc(view->finding_count + 1, sizeof *view->findings);
	view->checks = calloc(view->check_count + 1, sizeof *view->checks);
	view->by_check = calloc(view->finding_count + 1, sizeof *view->by_check);
	view->by_object = calloc(view->finding_count + 1, sizeof *view->by_object);
	claimed = calloc(view->finding_count + 1, sizeof *claimed);
	if (!view->findings || !view->checks || !view->by_check || !view->by_object || !claimed) {
		free(claimed);
		vg_view_free(view);
		return VIGIL_ENOMEM;
	}

	size_t c = 0;
	for (unsigned level = 1; level <= levels; level++)
		for (size_t i = 0; i < vigil_report_check_count(report, level); i++)
			view->checks[c++] = (vg_view_check){ .level = level, .index = i };

	for (size_t i = 0; i < view->finding_count; i++) {
		const vigil_finding *f = vigil_report_finding(report, i);
		unsigned level = vigil_finding_level(f);
		vigil_severity severity = vigil_finding_severity(f);
		view->findings[i] = f;
		claimed[i] = claiming_check(view, f);
		if (level >= 1 && level <= 4 && severity <= VIGIL_SEVERITY_ERROR)
			view->counts[level][severity]++;
		if (claimed[i] < view->check_count) {
			vg_view_check *vc = &view->checks[claimed[i]];
			vc->count++;
			vc->errors += severity == VIGIL_SEVERITY_ERROR;
			vc->warnings += severity == VIGIL_SEVERITY_WARNING;
			vc->infos += severity == VIGIL_SEVERITY_INFO;
		}
	}
	/* Each check's slice, in check order, then the unclaimed ones. */
	size_t next = 0;
	for (c = 0; c < view->check_count; c++) {
		view->checks[c].first = next;
		next += view->checks[c].count;
	}
	view->unclaimed_first = next;
	size_t *fill = calloc(view->check_count + 1, sizeof *fill);
	if (!fill) {
		free(claimed);
		vg_view_free(view);
		return VIGIL_ENOMEM;
	}
	for (size_t i = 0; i < view->finding_count; i++) {
		size_t k = claimed[i];
		size_t slot = k < view->check_count
		                      ? view->checks[k].first + fill[k]
		                      : view->unclaimed_first + fill[view->check_count];
		fill[k < view->check_count ? k : view->check_count]++;
		view->by_check[slot] = i;
	}
	free(fill);
	free(claimed);
	if (order_by_object(view) != VIGIL_OK) {
		vg_view_free(view);
		return VIGIL_ENOMEM;
	}
	return VIGIL_OK;
}

void vg_view_free(vg_view *view)
{
	free(view->findings);
	free(view->checks);
	free(view->by_check);
	free(view->by_object);
	memset(view, 0, sizeof *view);
}

int vg_view_split_object(const char *object, char *buffer, size_t size, const char **table,
                         const char **column)
{
	size_t n = object ? strlen(object) : 0;
	char *dot;

	*table = *column = NULL;
	if (!object || n + 1 > size)
		return -1;
	memcpy(buffer, object, n + 1);
	*table = buffer;
	dot = strchr(buffer, '.');
	if (dot && dot != buffer && dot[1]) {
		*dot = '\0';
		*column = dot + 1;
	}
	return 0;
}

const char *vg_view_verdict(const vigil_report *report)
{
	int exit_code = vigil_report_exit_code(report);

	if (vigil_report_passed(report))
		return "PASS";
	return exit_code == VIGIL_EXIT_NOT_CHECKED ? "FAIL (could not check)"
	       : exit_code == VIGIL_EXIT_INTERNAL  ? "ERROR"
	                                           : "FAIL";
}

char *vg_view_full_message(const vigil_finding *finding)
{
	const char *parts[3] = { vigil_finding_message(finding), vigil_finding_detail(finding),
		                 vigil_finding_hint(finding) };
	size_t size = 1;
	char *text;

	for (int i = 0; i < 3; i++)
		size += parts[i] ? strlen(parts[i]) + 1 : 0;
	text = malloc(size);
	if (!text)
		return NULL;
	size_t used = 0;
	for (int i = 0; i < 3; i++) {
		if (!parts[i])
			continue;
		size_t n = strlen(parts[i]);
		if (used)
			text[used++] = '\n';
		memcpy(text + used, parts[i], n);
		used += n;
	}
	text[used] = '\0';
	return text;
}
