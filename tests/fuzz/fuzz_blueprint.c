/*
 * fuzz_blueprint.c — the whole public pipeline on untrusted bytes: validate a buffer as a
 * blueprint (every level, keep going), then render the report with both writers.
 *
 * Plugin discovery is off so an input cannot reach a database: database checks are then
 * recorded as skipped, and everything vigil itself does with the blueprint still runs.
 */
#include <stdio.h>
#include <stdlib.h>

#include <vigil/vigil.h>

#include "fuzz_target.h"

/* One engine and one sink for the whole process: a fuzz target runs millions of inputs, and
 * creating the engine per input would fuzz engine setup instead of validation. (Library
 * code keeps no global state; a fuzz target's driver state is the exception.) */
static vigil_engine *fuzz_engine;
static FILE *fuzz_sink;

static void fuzz_setup(void)
{
	vigil_diag diag;
	if (vigil_engine_new(&fuzz_engine, &diag) != VIGIL_OK) {
		fprintf(stderr, "fuzz_blueprint: vigil_engine_new: %s\n", diag.message);
		abort();
	}
	vigil_engine_set_plugin_discovery(fuzz_engine, 0);
	fuzz_sink = fopen("/dev/null", "w");
	if (!fuzz_sink) {
		perror("fuzz_blueprint: /dev/null");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fuzz_engine)
		fuzz_setup();
	vigil_run_options options = VIGIL_RUN_OPTIONS_INIT;
	options.keep_going = 1;
	options.max_level = 4;
	vigil_report *report = NULL;
	vigil_diag diag;
	int rc = vigil_validate_buffer(&report, fuzz_engine, "fuzz.yaml", (const char *)data, size,
	                               &options, &diag);
	if (rc == VIGIL_ENOMEM)
		return 0;
	/* Any other failure is a bug: a buffer of bytes is never a usage error. */
	if (rc != VIGIL_OK || !report) {
		fprintf(stderr, "fuzz_blueprint: vigil_validate_buffer: %d %s\n", rc, diag.message);
		abort();
	}
	vigil_write_options verbose = VIGIL_WRITE_OPTIONS_INIT;
	verbose.verbose = 1;
	verbose.color = 1;
	int json = vigil_report_write(report, VIGIL_FORMAT_JSON, fuzz_sink, NULL);
	int text = vigil_report_write(report, VIGIL_FORMAT_TEXT, fuzz_sink, &verbose);
	if ((json != VIGIL_OK && json != VIGIL_ENOMEM) || (text != VIGIL_OK && text != VIGIL_ENOMEM)) {
		fprintf(stderr, "fuzz_blueprint: vigil_report_write: json %d, text %d\n", json, text);
		abort();
	}
	vigil_report_free(report);
	return 0;
}
