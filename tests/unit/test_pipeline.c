/* test_pipeline.c — the four-level runner through the public API: gating, skips, exit codes. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/vigil.h"

#include "check.h"

static const char valid[] =
	"schema_version: \"1.0.0\"\n"
	"system:\n"
	"  name: tiny\n"
	"  components:\n"
	"    - name: source\n"
	"      type: Source\n"
	"      outputs: [{name: output, schema: Item}]\n"
	"    - name: sink\n"
	"      type: Sink\n"
	"      inputs: [{name: input, schema: Item}]\n"
	"  bindings:\n"
	"    - {from: source.output, to: sink.input}\n"
	"schemas:\n"
	"  Item: {type: object, properties: {id: {type: integer}}}\n";

static vigil_report *run(vigil_engine *e, const char *yaml, int keep_going, int max_level)
{
	vigil_run_options opt = VIGIL_RUN_OPTIONS_INIT;
	opt.keep_going = keep_going;
	opt.max_level = max_level;
	vigil_report *r = NULL;
	vigil_diag diag;
	int rc = vigil_validate_buffer(&r, e, "mem.yaml", yaml, strlen(yaml), &opt, &diag);
	CHECK(rc == VIGIL_OK);
	CHECK(r != NULL);
	return r;
}

static int has_code(const vigil_report *r, const char *code, unsigned line)
{
	for (size_t i = 0; i < vigil_report_finding_count(r); i++) {
		const vigil_finding *f = vigil_report_finding(r, i);
		if (strcmp(vigil_finding_code(f), code) == 0 && (!line || vigil_finding_line(f) == line))
			return 1;
	}
	return 0;
}

static void test_valid_passes_and_never_claims_unrun_levels(vigil_engine *e)
{
	vigil_report *r = run(e, valid, 0, 0);
	if (!r)
		return;
	CHECK(vigil_report_exit_code(r) == VIGIL_EXIT_PASS);
	CHECK(vigil_report_level_count(r) == 4);
	CHECK(vigil_report_level_status(r, 1) == VIGIL_STATUS_PASSED);
	CHECK(vigil_report_level_status(r, 2) == VIGIL_STATUS_PASSED);
	CHECK(strcmp(vigil_report_system_name(r), "tiny") == 0);
	/* A level without anything to run is skipped with a reason, never "passed". */
	for (unsigned level = 1; level <= 4; level++) {
		if (vigil_report_check_count(r, level) == 0) {
			CHECK(vigil_report_level_status(r, level) == VIGIL_STATUS_SKIPPED);
			CHECK(vigil_report_level_reason(r, level) != NULL);
		}
	}
	CHECK(strcmp(vigil_report_check_name(r, 1, 0), "structure.read") == 0);
	vigil_report_free(r);
}

static void test_partial_level_says_so(vigil_engine *e)
{
	/* An offline run (the database checks are not run): level 3 runs its blueprint checks
	 * but must not read as a full pass. */
	const char *yaml = "schema_version: \"1.0.0\"\n"
	                   "system:\n"
	                   "  name: tiny\n"
	                   "  components:\n"
	                   "    - {name: api, type: APIEndpoint, config: {port: 8080}}\n"
	                   "    - {name: store, type: Store, config: {database: main, table: t}}\n"
	                   "  bindings:\n"
	                   "    - {from: api.output, to: store.input}\n"
	                   "  databases:\n"
	                   "    main:\n"
	                   "      type: sqlite\n"
	                   "      url: \"sqlite::memory:\"\n"
	                   "      schema:\n"
	                   "        tables:\n"
	                   "          - name: t\n"
	                   "            columns: [{name: id, type: integer, primary_key: true}]\n";
	vigil_engine_set_offline(e, 1);
	vigil_report *r = run(e, yaml, 1, 0);
	vigil_engine_set_offline(e, 0);
	if (!r)
		return;
	CHECK(vigil_report_level_status(r, 3) == VIGIL_STATUS_PASSED);
	int skipped_db_check = 0;
	for (size_t i = 0; i < vigil_report_check_count(r, 3); i++)
		if (vigil_report_check_status(r, 3, i) == VIGIL_STATUS_SKIPPED &&
		    vigil_report_check_database(r, 3, i) &&
		    strcmp(vigil_report_check_database(r, 3, i), "main") == 0)
			skipped_db_check = 1;
	if (skipped_db_check) {
		const char *reason = vigil_report_level_reason(r, 3);
		CHECK(reason && strncmp(reason, "partial: ", 9) == 0);
		CHECK(reason && strstr(reason, "[main]") != NULL);
	}
	CHECK(skipped_db_check);
	vigil_report_free(r);
}

static void test_max_level(vigil_engine *e)
{
	vigil_report *r = run(e, valid, 0, 1);
	if (!r)
		return;
	CHECK(vigil_report_level_status(r, 1) == VIGIL_STATUS_PASSED);
	for (unsigned level = 2; level <= 4; level++) {
		CHECK(vigil_report_level_status(r, level) == VIGIL_STATUS_SKIPPED);
		CHECK(strstr(vigil_report_level_reason(r, level), "--max-level 1") != NULL);
		CHECK(vigil_report_check_count(r, level) == 0);
	}
	vigil_report_free(r);
}

static void test_failed_level_gates_the_next_unless_keep_going(vigil_engine *e)
{
	/* schema_version is unsupported: a level-1 error. */
	char *bad = strdup(valid);
	memcpy(strstr(bad, "1.0.0"), "9.0.0", 5);
	vigil_report *r = run(e, bad, 0, 0);
	if (r) {
		CHECK(vigil_report_exit_code(r) == VIGIL_EXIT_FAIL);
		CHECK(vigil_report_level_status(r, 1) == VIGIL_STATUS_FAILED);
		CHECK(vigil_report_level_status(r, 2) == VIGIL_STATUS_SKIPPED);
		CHECK(strstr(vigil_report_level_reason(r, 2), "level 1 failed") != NULL);
		CHECK(has_code(r, "VG113", 1));
		vigil_report_free(r);
	}
	r = run(e, bad, 1, 0);
	if (r) {
		CHECK(vigil_report_exit_code(r) == VIGIL_EXIT_FAIL);
		CHECK(vigil_report_level_status(r, 2) == VIGIL_STATUS_PASSED);
		vigil_report_free(r);
	}
	free(bad);
}

static void test_unreadable_is_a_report_with_exit_2(vigil_engine *e)
{
	vigil_report *r = run(e, "system: {name: x\n  broken: [\n", 1, 0);
	if (r) {
		CHECK(vigil_report_exit_code(r) == VIGIL_EXIT_USAGE);
		CHECK(has_code(r, "VG104", 0));
		CHECK(vigil_report_level_status(r, 1) == VIGIL_STATUS_FAILED);
		for (unsigned level = 2; level <= 4; level++)
			CHECK(vigil_report_level_status(r, level) == VIGIL_STATUS_SKIPPED);
		const vigil_finding *f = vigil_report_finding(r, 0);
		CHECK(f && vigil_finding_line(f) > 0 && strcmp(vigil_finding_file(f), "mem.yaml") == 0);
		vigil_report_free(r);
	}
	r = run(e, "- just\n- a list\n", 0, 0);
	if (r) {
		CHECK(vigil_report_exit_code(r) == VIGIL_EXIT_USAGE);
		CHECK(has_code(r, "VG109", 1));
		vigil_report_free(r);
	}
	vigil_run_options opt = VIGIL_RUN_OPTIONS_INIT;
	vigil_diag diag;
	CHECK(vigil_validate_file(&r, e, "/nonexistent/blueprint.yaml", &opt, &diag) == VIGIL_OK);
	if (r) {
		CHECK(vigil_report_exit_code(r) == VIGIL_EXIT_USAGE);
		CHECK(has_code(r, "VG101", 0));
		vigil_report_free(r);
	}
}

static void test_bad_arguments(vigil_engine *e)
{
	vigil_report *r = (vigil_report *)1;
	vigil_diag diag;
	vigil_run_options opt = VIGIL_RUN_OPTIONS_INIT;
	opt.max_level = 7;
	CHECK(vigil_validate_buffer(&r, e, "x.yaml", valid, strlen(valid), &opt, &diag) == VIGIL_EINVAL);
	CHECK(r == NULL);
	CHECK(diag.code == VIGIL_EINVAL && diag.message[0]);
	CHECK(vigil_validate_file(&r, NULL, "x.yaml", NULL, &diag) == VIGIL_EINVAL);
}

static void test_findings_are_ordered(vigil_engine *e)
{
	const char *yaml = "schema_version: \"1.0.0\"\n"
	                   "system:\n"
	                   "  name: tiny\n"
	                   "  colour: blue\n"
	                   "  components:\n"
	                   "    - name: a\n"
	                   "      type: Source\n"
	                   "      shape: round\n";
	vigil_report *r = run(e, yaml, 1, 0);
	if (!r)
		return;
	unsigned last_level = 0, last_line = 0;
	int ordered = 1;
	for (size_t i = 0; i < vigil_report_finding_count(r); i++) {
		const vigil_finding *f = vigil_report_finding(r, i);
		unsigned level = vigil_finding_level(f), line = vigil_finding_line(f);
		if (level < last_level || (level == last_level && line && line < last_line))
			ordered = 0;
		if (level != last_level)
			last_line = 0;
		last_level = level;
		if (line)
			last_line = line;
	}
	CHECK(ordered);
	CHECK(has_code(r, "VG117", 4));
	CHECK(has_code(r, "VG117", 8));
	vigil_report_free(r);
}

static void test_two_engines_are_independent(void)
{
	vigil_engine *a = NULL, *b = NULL;
	CHECK(vigil_engine_new(&a, NULL) == VIGIL_OK);
	CHECK(vigil_engine_new(&b, NULL) == VIGIL_OK);
	vigil_report *ra = run(a, valid, 0, 0);
	vigil_engine_free(a);
	vigil_report *rb = run(b, valid, 0, 0);
	/* A report outlives its engine. */
	CHECK(ra && vigil_report_exit_code(ra) == VIGIL_EXIT_PASS);
	CHECK(rb && vigil_report_exit_code(rb) == VIGIL_EXIT_PASS);
	vigil_report_free(ra);
	vigil_report_free(rb);
	vigil_engine_free(b);
}

int main(void)
{
	vigil_engine *e = NULL;
	vigil_diag diag;
	if (vigil_engine_new(&e, &diag) != VIGIL_OK) {
		fprintf(stderr, "engine: %s\n", diag.message);
		return 1;
	}
	test_valid_passes_and_never_claims_unrun_levels(e);
	test_max_level(e);
	test_partial_level_says_so(e);
	test_failed_level_gates_the_next_unless_keep_going(e);
	test_unreadable_is_a_report_with_exit_2(e);
	test_bad_arguments(e);
	test_findings_are_ordered(e);
	test_two_engines_are_independent();
	vigil_engine_free(e);
	return CHECK_SUMMARY();
}
