/* plugins.c — `vigil plugins`, and the plugin options of `vigil validate`. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plugins.h"
#include "vigil/plugin.h"

const char cli_plugin_help[] =
        "Plugin options of validate (database checks run at level 3, once per database):\n"
        "      --plugin-dir DIR  look for plugins (vigil_<name>.so) in DIR first; repeatable.\n"
        "                        Then VIGIL_PLUGIN_PATH (':'-separated), the build tree's\n"
        "                        plugins/ when run from it, and the install directory\n"
        "      --plugin NAME     require plugin NAME (by name, never a path); repeatable.\n"
        "                        Every plugin found is loaded; one that cannot be is reported\n"
        "                        and makes the exit code 3\n"
        "      --jobs N          check N databases at once (default: the CPU count)\n"
        "      --check-timeout MS  a database check's deadline in milliseconds (default\n"
        "                        30000); a check past it is killed and recorded as an error\n"
        "      --no-isolate      run checks inside vigil's process (to debug a plugin): a\n"
        "                        crash then stops vigil, and deadlines are not enforced\n"
        "      --offline         contact no database: level 3's database checks are\n"
        "                        reported as skipped (the level then reads \"partial\")\n"
        "  (with -v, plugins' log lines go to standard error)\n"
        "\n"
        "  vigil plugins [--plugin-dir DIR]... [--plugin NAME]...\n"
        "                        list the plugins found: kind, version, ABI, level, checks,\n"
        "                        and why any could not be loaded (then exit code 3)\n";

int cli_is_plugin_option(int option)
{
	return option >= CLI_OPT_PLUGIN_DIR && option <= CLI_OPT_OFFLINE;
}

static int push(const char ***array, size_t *count, const char *value)
{
	const char **grown = realloc(*array, (*count + 1) * sizeof *grown);
	if (!grown)
		return -1;
	grown[(*count)++] = value;
	*array = grown;
	return 0;
}

static int parse_unsigned(const char *text, unsigned long min, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long value = strtoul(text, &end, 10);
	if (end == text || *end != '\0' || text[0] == '-' || value < min || value > max)
		return -1;
	*out = (unsigned)value;
	return 0;
}

int cli_plugin_option(cli_plugin_options *o, int option, const char *value)
{
	switch (option) {
	case CLI_OPT_PLUGIN_DIR:
		if (!value[0])
			return cli_usage_error("--plugin-dir needs a directory");
		if (push(&o->dirs, &o->dir_count, value) != 0)
			return VIGIL_EXIT_INTERNAL;
		return 0;
	case CLI_OPT_PLUGIN:
		if (!value[0])
			return cli_usage_error("--plugin needs a plugin name");
		if (push(&o->names, &o->name_count, value) != 0)
			return VIGIL_EXIT_INTERNAL;
		return 0;
	case CLI_OPT_JOBS:
		if (parse_unsigned(value, 1, 1024, &o->jobs) != 0)
			return cli_usage_error("--jobs must be a number from 1 to 1024, not '%s'",
			                       value);
		return 0;
	case CLI_OPT_NO_ISOLATE: o->no_isolate = 1; return 0;
	case CLI_OPT_OFFLINE: o->offline = 1; return 0;
	case CLI_OPT_CHECK_TIMEOUT:
		if (parse_unsigned(value, 1, 86400000, &o->timeout_ms) != 0)
			return cli_usage_error(
			        "--check-timeout must be milliseconds from 1 to 86400000, "
			        "not '%s'",
			        value);
		return 0;
	}
	return cli_usage_error("unknown plugin option");
}

void cli_plugin_options_free(cli_plugin_options *o)
{
	free(o->dirs);
	free(o->names);
	o->dirs = o->names = NULL;
	o->dir_count = o->name_count = 0;
}

static void log_to_stderr(void *payload, const char *database, const char *check, int severity,
                          const char *message)
{
	static const char *const severities[] = { "info", "warning", "error" };
	(void)payload;
	fprintf(stderr, "vigil: plugin %s%s%s%s: %s: %s\n", check ? check : "(init)",
	        database ? " on '" : "", database ? database : "", database ? "'" : "",
	        severity >= 0 && severity <= 2 ? severities[severity] : "log", message);
}

int cli_plugin_apply(vigil_engine *engine, const cli_plugin_options *o, int verbose)
{
	vigil_diag diag;
	for (size_t i = 0; i < o->dir_count; i++) {
		if (vigil_engine_add_plugin_dir(engine, o->dirs[i], &diag) != VIGIL_OK) {
			fprintf(stderr, "vigil: %s\n", diag.message);
			return VIGIL_EXIT_INTERNAL;
		}
	}
	if (verbose)
		vigil_engine_set_log(engine, log_to_stderr, NULL);
	for (size_t i = 0; i < o->name_count; i++) {
		int rc = vigil_engine_load_plugin(engine, o->names[i], &diag);
		if (rc == VIGIL_ENOMEM) {
			fprintf(stderr, "vigil: out of memory loading plugins\n");
			return VIGIL_EXIT_INTERNAL;
		}
		if (rc != VIGIL_OK) /* the report says it too; the run goes on without it */
			fprintf(stderr, "vigil: plugin '%s' could not be loaded: %s\n", o->names[i],
			        diag.message);
	}
	vigil_engine_set_isolation(engine, !o->no_isolate);
	vigil_engine_set_offline(engine, o->offline);
	vigil_engine_set_jobs(engine, o->jobs);
	vigil_engine_set_check_timeout(engine, o->timeout_ms);
	return 0;
}

/* ------------------------------------------------------------------ vigil plugins */

static void print_plugin(FILE *out, const vigil_plugin_info *p)
{
	if (p->error) {
		fprintf(out, "%s: could not be loaded\n  %s\n", p->name, p->error);
		return;
	}
	fprintf(out, "%s %s (%s, ABI %u.%u", p->name, p->version, p->kind, p->abi_major,
	        p->abi_minor);
	if (p->level)
		fprintf(out, ", level %d", p->level);
	fprintf(out, ")\n  file: %s\n", p->file);
	if (p->summary && p->summary[0])
		fprintf(out, "  %s\n", p->summary);
	for (size_t k = 0; k < p->check_count; k++) {
		const vigil_plugin_check_info *c = &p->checks[k];
		fprintf(out, "  - %s", c->name);
		if (c->summary && c->summary[0])
			fprintf(out, ": %s", c->summary);
		if (c->depends_on && c->depends_on[0])
			fprintf(out, " (after %s)", c->depends_on);
		fputc('\n', out);
	}
}

static const struct option plugins_options[] = {
	{ "help", no_argument, NULL, 'h' },
	CLI_PLUGIN_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

int cli_plugins(int argc, char **argv)
{
	cli_plugin_options options;
	char option_text[8];
	int c, rc = 0;

	memset(&options, 0, sizeof options);
	optind = 1;
	opterr = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, ":h", plugins_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(cli_plugin_help, stdout);
			cli_plugin_options_free(&options);
			return VIGIL_EXIT_PASS;
		} else if (c == CLI_OPT_PLUGIN_DIR || c == CLI_OPT_PLUGIN) {
			rc = cli_plugin_option(&options, c, optarg);
		} else if (c == ':') {
			rc = cli_usage_error("option '%s' needs a value",
			                     cli_bad_option(argv, option_text, sizeof option_text));
		} else {
			rc = cli_usage_error("unknown option '%s' for plugins",
			                     cli_bad_option(argv, option_text, sizeof option_text));
		}
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage_error("plugins takes no arguments, got '%s'", argv[optind]);
	if (rc != 0) {
		cli_plugin_options_free(&options);
		return rc;
	}

	vigil_engine *engine = NULL;
	vigil_diag diag;
	memset(&diag, 0, sizeof diag);
	if (vigil_engine_new(&engine, &diag) != VIGIL_OK) {
		fprintf(stderr, "vigil: cannot start: %s\n", diag.message);
		cli_plugin_options_free(&options);
		return VIGIL_EXIT_INTERNAL;
	}
	rc = cli_plugin_apply(engine, &options, 1);
	if (rc == 0 && vigil_engine_discover_plugins(engine, &diag) == VIGIL_ENOMEM)
		rc = VIGIL_EXIT_INTERNAL;
	if (rc == 0) {
		size_t loaded = 0, refused = 0;
		printf("vigil %s, plugin ABI %d.%d\nsearch path:\n", vigil_version(),
		       VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR);
		for (size_t i = 0; vigil_engine_plugin_dir_at(engine, i); i++)
			printf("  %s\n", vigil_engine_plugin_dir_at(engine, i));
		for (size_t i = 0; i < vigil_engine_plugin_count(engine); i++) {
			const vigil_plugin_info *p = vigil_engine_plugin_at(engine, i);
			fputc('\n', stdout);
			print_plugin(stdout, p);
			if (p->error)
				refused++;
			else
				loaded++;
		}
		printf("\n%zu plugin%s loaded, %zu could not be loaded\n", loaded,
		       loaded == 1 ? "" : "s", refused);
		rc = refused ? VIGIL_EXIT_PLUGIN : VIGIL_EXIT_PASS;
	}
	vigil_engine_free(engine);
	cli_plugin_options_free(&options);
	return rc;
}
