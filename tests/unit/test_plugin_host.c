/*
 * Unit tests of the plugin host: the loader's refusals (each with its exact message), the
 * search path, and the isolation of checks in workers — crash, abort, exit, hang, no status,
 * garbage on stdout — with every other result intact, the deadline kept, no child left.
 * The test plugins are built by tests/plugins (VIGIL_TEST_PLUGIN_DIR).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "blueprint.h"
#include "check_plan.h"
#include "clock.h"
#include "host.h"
#include "plugin_loader.h"
#include "run.h"
#include "worker.h"
#include "yaml_tree.h"

#include "check.h"

#ifndef VIGIL_TEST_PLUGIN_DIR
#error "VIGIL_TEST_PLUGIN_DIR is set by tests/plugins/CMakeLists.txt"
#endif
#define DIR VIGIL_TEST_PLUGIN_DIR

static const char *const reserved[] = { "structure", "components" };

/* A set searching only the given directories (not the build tree's own plugins). */
static vg_plugins *new_set(const char *dir, const char *dir2)
{
	vg_plugins *set = vg_plugins_new(vg_host_table(), reserved, 2);
	if (!set)
		return NULL;
	vg_plugins_only_added_dirs(set, 1);
	vg_plugins_add_dir(set, dir);
	if (dir2)
		vg_plugins_add_dir(set, dir2);
	return set;
}

/* ------------------------------------------------------------------ loader */

static void expect_refusal(vg_plugins *set, const char *name, int code, const char *message)
{
	const char *error = NULL;
	int rc = vg_plugins_load(set, name, 1, &error);
	CHECK(rc == code);
	CHECK_STR(error, message);
}

static void test_loader_refusals(void)
{
	vg_plugins *set = new_set(DIR, NULL);
	CHECK(set != NULL);
	CHECK_STR(vg_plugins_dir_at(set, 0), DIR);
	CHECK(vg_plugins_dir_at(set, 1) == NULL);

	expect_refusal(set, "badmagic", VIGIL_EPLUGIN,
	               DIR "/vigil_badmagic.so: not a vigil plugin descriptor (magic 0xdeadbeef, "
	                   "expected 0x4c474956)");
	expect_refusal(set, "major", VIGIL_EPLUGIN,
	               DIR
	               "/vigil_major.so: ABI major 2, this vigil supports 1 (rebuild the plugin "
	               "against this vigil's SDK)");
	char expected[512];
	snprintf(expected, sizeof expected,
	         DIR "/vigil_minor.so: ABI 1.%d is newer than this vigil's 1.%d (upgrade vigil, "
	             "or build the plugin against an older SDK)",
	         VIGIL_PLUGIN_ABI_MINOR + 1, VIGIL_PLUGIN_ABI_MINOR);
	expect_refusal(set, "minor", VIGIL_EPLUGIN, expected);
	snprintf(expected, sizeof expected,
	         DIR "/vigil_short.so: descriptor of 24 bytes, ABI 1.%d needs at least %zu",
	         VIGIL_PLUGIN_ABI_MINOR, sizeof(vigil_plugin_desc));
	expect_refusal(set, "short", VIGIL_EPLUGIN, expected);
	expect_refusal(set, "nosym", VIGIL_EPLUGIN,
	               DIR "/vigil_nosym.so: no entry function vigil_plugin_nosym_get_desc() "
	                   "(define the plugin with VIGIL_PLUGIN_DEFINE(nosym, ...))");
	expect_refusal(set, "noname", VIGIL_EPLUGIN,
	               DIR "/vigil_noname.so: the descriptor's name is empty");
	expect_refusal(set, "structure", VIGIL_EPLUGIN,
	               DIR "/vigil_structure.so: duplicate plugin name 'structure': a built-in "
	                   "validator is called so");
	expect_refusal(set, "initfail", VIGIL_EPLUGIN,
	               DIR "/vigil_initfail.so: init failed (returned -7)");
	expect_refusal(set, "../tests/plugins/good", VIGIL_EINVAL,
	               "plugin '../tests/plugins/good' refused: plugins load by name from plugin "
	               "directories only (no '/' or '..')");
	expect_refusal(set, "/tmp/x", VIGIL_EINVAL,
	               "plugin '/tmp/x' refused: plugins load by name from plugin directories only "
	               "(no '/' or '..')");
	expect_refusal(set, "Good", VIGIL_EINVAL,
	               "'Good' is not a plugin name (lowercase letters, digits and '_', starting "
	               "with a letter)");
	const char *error = NULL;
	CHECK(vg_plugins_load(set, "missing", 1, &error) == VIGIL_EPLUGIN);
	CHECK_STR(error, "plugin 'missing' not found (no vigil_missing.so in " DIR ")");

	size_t before = vg_plugins_count(set);
	CHECK(vg_plugins_load(set, "good", 1, &error) == VIGIL_OK && error == NULL);
	CHECK(vg_plugins_load(set, "good", 1, &error) == VIGIL_OK); /* loading twice: once */
	CHECK(vg_plugins_count(set) == before + 1);
	const vg_plugin *good = vg_plugins_at(set, before);
	CHECK(good && good->desc && !good->info.error);
	CHECK_STR(good->info.kind, "check");
	CHECK_STR(good->info.version, "2.1.0");
	CHECK_STR(good->info.file, DIR "/vigil_good.so");
	CHECK(good->info.abi_major == 1 && good->info.abi_minor == VIGIL_PLUGIN_ABI_MINOR &&
	      good->info.level == 3);
	CHECK(good->info.check_count == 2);
	CHECK_STR(good->info.checks[1].depends_on, "good.first");
	/* A refused plugin stays refused, with the same message. */
	CHECK(vg_plugins_load(set, "major", 0, &error) == VIGIL_EPLUGIN);
	CHECK(error && strstr(error, "ABI major 2"));
	CHECK(vg_plugins_refused(set) == 12);
	vg_plugins_free(set);
}

static void test_discovery(void)
{
	vg_plugins *set = new_set(DIR, DIR "/second");
	const char *first = NULL;
	CHECK(vg_plugins_discover(set, &first) == VIGIL_EPLUGIN);
	CHECK(first && strstr(first, "vigil_badmagic.so")); /* sorted by name */
	static const char *const loaded[] = { "abort", "exits", "forks",    "garbage",
		                              "good",  "hang",  "nostatus", "segv" };
	size_t k = 0;
	for (size_t i = 0; i < vg_plugins_count(set); i++) {
		const vg_plugin *p = vg_plugins_at(set, i);
		if (p->info.error)
			continue;
		CHECK(k < 8 && strcmp(p->info.name, loaded[k]) == 0);
		k++;
		if (strcmp(p->info.name, "good") == 0) /* the first directory wins */
			CHECK_STR(p->info.file, DIR "/vigil_good.so");
	}
	CHECK(k == 8);
	CHECK(vg_plugins_refused(set) == 8);
	/* Discovering again loads nothing new. */
	size_t count = vg_plugins_count(set);
	CHECK(vg_plugins_discover(set, &first) == VIGIL_EPLUGIN && vg_plugins_count(set) == count);
	vg_plugins_free(set);
}

/* ------------------------------------------------------------------ isolation */

static const char blueprint_yaml[] = "schema_version: \"1.0.0\"\n"
                                     "system:\n"
                                     "  name: plugin_test\n"
                                     "  components: []\n"
                                     "  databases:\n"
                                     "    main:\n"
                                     "      type: sqlite\n"
                                     "      url: sqlite:///tmp/main.db\n"
                                     "      pool: {max: 4}\n"
                                     "    audit:\n"
                                     "      type: sqlite3\n"
                                     "      url: sqlite:///tmp/audit.db\n";

typedef struct fixture {
	vg_arena *arena;
	vg_blueprint *bp;
	vigil_report *report;
	vigil_check_ctx ctx;
} fixture;

static int fixture_open(fixture *fx)
{
	vg_yaml_error err;
	fx->arena = vg_arena_new();
	vg_node *root = vg_yaml_parse(fx->arena, "plugins.yaml", blueprint_yaml,
	                              sizeof blueprint_yaml - 1, &err);
	fx->bp = root ? vg_blueprint_build(fx->arena, "plugins.yaml", root, NULL) : NULL;
	fx->report = vg_report_new("plugins.yaml");
	fx->ctx = (vigil_check_ctx){
		.report = fx->report, .blueprint = fx->bp, .root = root, .level = 3
	};
	return fx->bp && fx->bp->database_count == 2 && fx->report ? 0 : -1;
}

static void fixture_close(fixture *fx)
{
	vigil_report_free(fx->report);
	vg_arena_free(fx->arena);
}

typedef struct log_capture {
	int lines;
	int saw_good;
} log_capture;

static void capture_log(void *payload, const char *database, const char *check, int severity,
                        const char *message)
{
	log_capture *c = payload;
	c->lines++;
	if (database && check && strcmp(check, "good.first") == 0 &&
	    severity == VIGIL_PLUGIN_INFO && strstr(message, "good.first on ") &&
	    strstr(message, "(sqlite)"))
		c->saw_good++;
}

/* The loaded check plugins of a set, in load order. */
static size_t check_plugins(const vg_plugins *set, const vigil_plugin_desc **out, size_t max,
                            const char *only)
{
	size_t n = 0;
	for (size_t i = 0; i < vg_plugins_count(set) && n < max; i++) {
		const vg_plugin *p = vg_plugins_at(set, i);
		if (p->desc && (!only || strstr(only, p->info.name)))
			out[n++] = p->desc;
	}
	return n;
}

static const vg_check_rec *find_rec(const vigil_report *r, const char *db, const char *check)
{
	const vg_level_rec *lv = &r->levels[2];
	for (size_t i = 0; i < lv->check_count; i++)
		if (strcmp(lv->checks[i].name, check) == 0 && lv->checks[i].database &&
		    strcmp(lv->checks[i].database, db) == 0)
			return &lv->checks[i];
	return NULL;
}

static void expect_check(const vigil_report *r, const char *db, const char *check, int status,
                         const char *reason, size_t findings)
{
	const vg_check_rec *c = find_rec(r, db, check);
	CHECK(c != NULL);
	if (!c)
		return;
	if ((int)c->status != status || c->finding_count != findings)
		fprintf(stderr, "  %s on %s: status %d (want %d), %zu findings (want %zu)\n", check,
		        db, c->status, status, c->finding_count, findings);
	CHECK((int)c->status == status);
	CHECK(c->finding_count == findings);
	if (reason)
		CHECK_STR(c->reason, reason);
}

/* Nothing the runs started is alive, and every worker was reaped by the host: a worker is
 * its own process group's leader, so a zombie leading its group is a worker the host forgot.
 * Other zombies are processes checks started (the forks plugin), swept by the host's kill of
 * the worker's group and handed to us, the subreaper: reap them. */
/*
 * True when every process the run started is gone. A descendant the host has just sent
 * SIGKILL may take a moment to die, so one still running is given up to 2 s; a process the
 * host failed to kill (the forks plugin's child sleeps for a minute) is still there then.
 */
static int no_children_left(void)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		siginfo_t info;
		memset(&info, 0, sizeof info);
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
			return errno == ECHILD;
		if (info.si_pid == 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			double waited_ms = (double)(now.tv_sec - start.tv_sec) * 1e3 +
			                   (double)(now.tv_nsec - start.tv_nsec) / 1e6;
			if (waited_ms > 2000) {
				fprintf(stderr, "  a child is still running after 2 s\n");
				return 0;
			}
			struct timespec pause = { 0, 10 * 1000 * 1000 };
			nanosleep(&pause, NULL);
			continue;
		}
		pid_t pid = info.si_pid;
		if (getpgid(pid) == pid) {
			fprintf(stderr, "  worker %d was not reaped\n", (int)pid);
			return 0;
		}
		waitpid(pid, NULL, 0);
	}
}

static void check_good_results(const vigil_report *r, const char *db)
{
	expect_check(r, db, "good.first", VIGIL_STATUS_PASSED, NULL, 1);
	expect_check(r, db, "good.second", VIGIL_STATUS_FAILED, NULL, 1);
	expect_check(r, db, "garbage", VIGIL_STATUS_PASSED, NULL, 1);
	expect_check(r, db, "nostatus", VIGIL_STATUS_ERROR, "the check did not report a status", 2);
	const vg_check_rec *c = find_rec(r, db, "good.first");
	CHECK(c && c->metric_count == 2);
	if (c && c->metric_count == 2) {
		CHECK_STR(c->metrics[0].name, "answer");
		CHECK(c->metrics[0].value == 43);
		CHECK_STR(c->metrics[1].unit, "ms");
	}
	/* The warning of good.first on this database, with every field. */
	int seen = 0;
	for (size_t i = 0; i < r->finding_count; i++) {
		const vigil_finding *f = r->findings[i];
		if (strcmp(f->code, "TEST100") != 0 || strcmp(f->database, db) != 0)
			continue;
		seen++;
		CHECK(f->severity == VIGIL_SEVERITY_WARNING && f->level == 3);
		CHECK_STR(f->check, "good.first");
		CHECK_STR(f->message, "the pool could be larger");
		CHECK_STR(f->detail, "pool.max is small for this workload");
		CHECK_STR(f->hint, "raise pool.max");
		CHECK_STR(f->file, "blueprint.yaml");
		CHECK(f->line == 7 && f->column == 9);
		CHECK_STR(f->object, "pool");
		CHECK_STR(f->expected, ">= 8");
		CHECK_STR(f->actual, strcmp(db, "main") == 0 ? "4" : "(unset)");
	}
	CHECK(seen == 1);
}

static void test_isolation(void)
{
	vg_plugins *set = new_set(DIR, NULL);
	vg_plugins_discover(set, NULL);
	const vigil_plugin_desc *plugins[16];
	size_t n = check_plugins(set, plugins, 16, NULL);
	CHECK(n == 8);

	fixture fx;
	CHECK(fixture_open(&fx) == 0);
	log_capture logs = { 0, 0 };
	vg_worker_options opt = { .host = vg_host_table(),
		                  .isolate = 1,
		                  .jobs = 2,
		                  .timeout_ms = 1000,
		                  .log = capture_log,
		                  .log_payload = &logs };
	double t0 = vg_now_ms();
	CHECK(vg_run_database_checks(&fx.ctx, plugins, n, &opt) == VIGIL_OK);
	double elapsed = vg_now_ms() - t0;
	printf("isolated run, 2 databases x 10 checks, deadline 1000 ms: %.0f ms\n", elapsed);
	CHECK(elapsed >= 1000 && elapsed < 2500); /* deadline + 1 s, with room for a slow box */
	CHECK(no_children_left());

	CHECK(fx.report->levels[2].check_count == 20);
	static const char *const dbs[] = { "main", "audit" };
	for (int d = 0; d < 2; d++) {
		const char *db = dbs[d];
		check_good_results(fx.report, db);
		expect_check(fx.report, db, "segv", VIGIL_STATUS_ERROR,
		             "the check crashed: SIGSEGV (segmentation fault)", 1);
		expect_check(fx.report, db, "segv.after", VIGIL_STATUS_SKIPPED,
		             "depends on 'segv', which ended in an error", 0);
		expect_check(fx.report, db, "abort", VIGIL_STATUS_ERROR,
		             "the check crashed: SIGABRT (aborted)", 1);
		expect_check(fx.report, db, "exits", VIGIL_STATUS_ERROR,
		             "the check crashed: its worker exited with status 0 before the check "
		             "reported (the check called exit(), or a sanitizer stopped it)",
		             1);
		expect_check(fx.report, db, "forks", VIGIL_STATUS_PASSED, NULL, 0);
		expect_check(fx.report, db, "hang", VIGIL_STATUS_ERROR,
		             "the check did not finish within 1000 ms; its worker was killed", 1);
		const vg_check_rec *hang = find_rec(fx.report, db, "hang");
		CHECK(hang && hang->duration_ms >= 999 && hang->duration_ms < 2000);
	}
	/* Records in order: databases as declared, checks in dependency then load order. */
	CHECK_STR(fx.report->levels[2].checks[0].name, "abort");
	CHECK_STR(fx.report->levels[2].checks[0].database, "main");
	CHECK_STR(fx.report->levels[2].checks[5].name, "good.second");
	CHECK_STR(fx.report->levels[2].checks[10].database, "audit");
	/* 8 of the plugins', and the host's behind each crash, timeout and missing status. */
	CHECK(fx.report->finding_count == 18);
	CHECK(logs.saw_good == 2);
	fixture_close(&fx);

	/* One job at a time: the same results. */
	CHECK(fixture_open(&fx) == 0);
	opt.jobs = 1;
	opt.log = NULL;
	n = check_plugins(set, plugins, 16, "good garbage nostatus hang");
	CHECK(n == 4);
	t0 = vg_now_ms();
	CHECK(vg_run_database_checks(&fx.ctx, plugins, n, &opt) == VIGIL_OK);
	elapsed = vg_now_ms() - t0;
	CHECK(elapsed >= 2000 && elapsed < 4500); /* two hangs in a row */
	check_good_results(fx.report, "main");
	check_good_results(fx.report, "audit");
	CHECK(no_children_left());
	fixture_close(&fx);

	/* In-process (--no-isolate): the well-behaved ones, the same records. */
	CHECK(fixture_open(&fx) == 0);
	n = check_plugins(set, plugins, 16, "good garbage nostatus");
	CHECK(n == 3);
	opt.isolate = 0;
	opt.log = capture_log;
	logs.saw_good = 0;
	fflush(stdout);
	int saved_stdout = dup(STDOUT_FILENO); /* in-process, the garbage lands on our stdout */
	FILE *devnull = fopen("/dev/null", "w");
	dup2(fileno(devnull), STDOUT_FILENO);
	CHECK(vg_run_database_checks(&fx.ctx, plugins, n, &opt) == VIGIL_OK);
	fflush(stdout);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
	fclose(devnull);
	check_good_results(fx.report, "main");
	check_good_results(fx.report, "audit");
	CHECK(logs.saw_good == 2);
	fixture_close(&fx);
	vg_plugins_free(set);
}

/* ------------------------------------------------------------------ plan */

static int pass_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static int fail_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	host->set_status(ctx, VIGIL_CHECK_ERROR, "could not connect");
	return -1;
}

/* Waits for cancelled(): at 90% of the deadline. */
static int cancel_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	double t0 = vg_now_ms();
	while (!host->cancelled(ctx) && vg_now_ms() - t0 < 5000) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	host->set_metric(ctx, "waited_ms", vg_now_ms() - t0, "ms");
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

/* config_get: the database's mapping first, then the root; never a URL. */
static int config_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	const char *db = host->database_name(ctx);
	const char *max = host->config_get(ctx, "pool.max");
	int main_db = strcmp(db, "main") == 0;
	int ok = host->config_get(ctx, "url") == NULL && host->config_get(ctx, "pool") == NULL &&
	         strcmp(host->config_get(ctx, "system.name"), "plugin_test") == 0 &&
	         strcmp(host->config_get(ctx, "system.databases.main.pool.max"), "4") == 0 &&
	         host->config_get(ctx, "system.databases.main.url") == NULL &&
	         strcmp(host->config_get(ctx, "type"), main_db ? "sqlite" : "sqlite3") == 0 &&
	         strcmp(host->database_type(ctx), "sqlite") == 0 &&
	         (main_db ? max && strcmp(max, "4") == 0 : max == NULL) &&
	         host->config_get(ctx, "") == NULL && host->config_get(ctx, "a..b") == NULL;
	host->set_status(ctx, ok ? VIGIL_CHECK_PASSED : VIGIL_CHECK_FAILED, ok ? NULL : "config");
	return 0;
}

static const vigil_check_def a_checks[] = {
	{ "a.late", "needs b", "b", pass_run, NULL, { 0 } },
	{ "a.cycle1", "cycle", "a.cycle2", pass_run, NULL, { 0 } },
	{ "a.cycle2", "cycle", "a.cycle1", pass_run, NULL, { 0 } },
	{ "a.orphan", "needs a missing check", "nowhere, b", pass_run, NULL, { 0 } },
	{ "a.after_fail", "needs c", " c ", pass_run, NULL, { 0 } },
	{ "a.soft", "runs after c, whatever c did", "c?, nowhere?", pass_run, NULL, { 0 } },
};
static const vigil_check_def b_checks[] = { { "b", "first", NULL, pass_run, NULL, { 0 } } };
static const vigil_check_def c_checks[] = {
	{ "c", "fails", NULL, fail_run, NULL, { 0 } },
	{ "c.cancel", "waits to be cancelled", NULL, cancel_run, NULL, { 0 } },
	{ "c.config", "reads the configuration", NULL, config_run, NULL, { 0 } },
};
#define TEST_DESC(name_, checks_)                                                      \
	{                                                                              \
		VIGIL_PLUGIN_ABI_INIT, name_, "1", "", VIGIL_PLUGIN_CHECK, 3, checks_, \
		        VIGIL_COUNT_OF(checks_), NULL, NULL, NULL, NULL, NULL,         \
		{                                                                      \
			0                                                              \
		}                                                                      \
	}
static const vigil_plugin_desc a_desc = TEST_DESC("a", a_checks);
static const vigil_plugin_desc b_desc = TEST_DESC("b", b_checks);
static const vigil_plugin_desc c_desc = TEST_DESC("c", c_checks);

static void test_plan(void)
{
	const vigil_plugin_desc *plugins[] = { &a_desc, &b_desc, &c_desc };
	fixture fx;
	CHECK(fixture_open(&fx) == 0);
	vg_worker_options opt = {
		.host = vg_host_table(), .isolate = 0, .jobs = 1, .timeout_ms = 200
	};
	CHECK(vg_run_database_checks(&fx.ctx, plugins, 3, &opt) == VIGIL_OK);
	const vg_level_rec *lv = &fx.report->levels[2];
	CHECK(lv->check_count == 20);
	expect_check(fx.report, "main", "c.config", VIGIL_STATUS_PASSED, NULL, 0);
	expect_check(fx.report, "audit", "c.config", VIGIL_STATUS_PASSED, NULL, 0);
	const vg_check_rec *cancel = find_rec(fx.report, "main", "c.cancel");
	CHECK(cancel && cancel->status == VIGIL_STATUS_PASSED && cancel->metric_count == 1);
	if (cancel && cancel->metric_count == 1)
		CHECK(cancel->metrics[0].value >= 170 && cancel->metrics[0].value < 1000);
	/* b runs before a.late, which needs it; a.soft after c; the cycle goes last. */
	static const char *const order[] = { "b",        "a.late",       "a.orphan",
		                             "c",        "a.after_fail", "a.soft",
		                             "c.cancel", "c.config",     "a.cycle1",
		                             "a.cycle2" };
	for (size_t i = 0; i < 10 && i < lv->check_count; i++)
		CHECK_STR(lv->checks[i].name, order[i]);
	expect_check(fx.report, "main", "a.late", VIGIL_STATUS_PASSED, NULL, 0);
	expect_check(fx.report, "main", "a.orphan", VIGIL_STATUS_ERROR,
	             "depends on 'nowhere', which no loaded plugin provides", 1);
	expect_check(fx.report, "main", "c", VIGIL_STATUS_ERROR, "could not connect", 1);
	expect_check(fx.report, "main", "a.after_fail", VIGIL_STATUS_SKIPPED,
	             "depends on 'c', which ended in an error", 0);
	/* "c?" orders without gating; "nowhere?" is not loaded and does not matter. */
	expect_check(fx.report, "main", "a.soft", VIGIL_STATUS_PASSED, NULL, 0);
	expect_check(fx.report, "main", "a.cycle1", VIGIL_STATUS_ERROR,
	             "its depends_on (a.cycle2) forms a cycle", 1);
	fixture_close(&fx);
}

int main(void)
{
	/* Any worker the host forgets becomes our child, for no_children_left() to see. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	test_loader_refusals();
	test_discovery();
	test_plan();
	test_isolation();
	return CHECK_SUMMARY();
}
