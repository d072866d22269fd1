/*
 * plugins.h — the CLI's plugin side: `vigil plugins`, and validate's plugin options
 * (--plugin-dir, --plugin, --jobs, --no-isolate, --check-timeout). Public API only.
 */
#ifndef VIGIL_CLI_PLUGINS_H
#define VIGIL_CLI_PLUGINS_H

#include <getopt.h>
#include <stddef.h>

#include "vigil/vigil.h"

typedef struct cli_plugin_options {
	const char **dirs; /* --plugin-dir, in order */
	size_t dir_count;
	const char **names; /* --plugin: required plugins */
	size_t name_count;
	unsigned jobs;       /* --jobs; 0: the CPU count */
	int no_isolate;      /* --no-isolate */
	unsigned timeout_ms; /* --check-timeout; 0: the default */
	int offline;         /* --offline */
} cli_plugin_options;

enum {
	CLI_OPT_PLUGIN_DIR = 512,
	CLI_OPT_PLUGIN,
	CLI_OPT_JOBS,
	CLI_OPT_NO_ISOLATE,
	CLI_OPT_CHECK_TIMEOUT,
	CLI_OPT_OFFLINE,
};

/* Entries for a getopt_long table. */
#define CLI_PLUGIN_LONG_OPTIONS                                                 \
	{ "plugin-dir", required_argument, NULL, CLI_OPT_PLUGIN_DIR },          \
	        { "plugin", required_argument, NULL, CLI_OPT_PLUGIN },          \
	        { "jobs", required_argument, NULL, CLI_OPT_JOBS },              \
	        { "no-isolate", no_argument, NULL, CLI_OPT_NO_ISOLATE },        \
	        { "offline", no_argument, NULL, CLI_OPT_OFFLINE },              \
	{                                                                       \
		"check-timeout", required_argument, NULL, CLI_OPT_CHECK_TIMEOUT \
	}

/** True for the option codes above. */
int cli_is_plugin_option(int option);
/** Takes one of them; 0, or the exit code of a usage error (already reported). */
int cli_plugin_option(cli_plugin_options *options, int option, const char *value);
/**
 * Applies the options to an engine. A required plugin that cannot be loaded is reported on
 * stderr; the run goes on and its report carries the refusal (exit code 3). With `verbose`,
 * plugins' log lines go to stderr. Returns 0, or an exit code when vigil itself failed.
 */
int cli_plugin_apply(vigil_engine *engine, const cli_plugin_options *options, int verbose);
void cli_plugin_options_free(cli_plugin_options *options);

/** `vigil plugins [--plugin-dir DIR]... [--plugin NAME]...` */
int cli_plugins(int argc, char **argv);

/** The help text of the plugin options and of `vigil plugins`. */
extern const char cli_plugin_help[];

#endif
