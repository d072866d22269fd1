/* validate.c — `vigil validate BLUEPRINT [options]`: run the pipeline, write the report. */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "plugins.h"
#include "reports.h"
#include "vigil/vigil.h"

typedef enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;

typedef struct validate_args {
	const char *blueprint;
	cli_reports reports; /* --report, --format, --output, --quiet (reports.c) */
	color_mode color;
	vigil_run_options run;
	vigil_write_options write;
	int help;
	int fail_on;                /* --fail-on: vigil_severity */
	const char *baseline;       /* --baseline FILE */
	int writes_baseline;        /* `vigil baseline`: -o is the baseline file */
	cli_plugin_options plugins; /* plugins.c */
	char heal_dir_buf[4096]; /* the folder of the first report file, when healing writes there */
} validate_args;

enum {
	OPT_MAX_LEVEL = 256,
	OPT_COLOR,
	OPT_HEAL,
	OPT_ALLOW_DESTRUCTIVE,
	OPT_HEAL_ROUNDS,
	OPT_HEAL_DIR,
	OPT_REPORT,
	OPT_FAIL_ON,
	OPT_BASELINE,
};

static const struct option validate_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "keep-going", no_argument, NULL, 'k' },
	{ "max-level", required_argument, NULL, OPT_MAX_LEVEL },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "verbose", no_argument, NULL, 'v' },
	{ "heal", required_argument, NULL, OPT_HEAL },
	{ "allow-destructive", no_argument, NULL, OPT_ALLOW_DESTRUCTIVE },
	{ "heal-rounds", required_argument, NULL, OPT_HEAL_ROUNDS },
	{ "heal-dir", required_argument, NULL, OPT_HEAL_DIR },
	{ "help", no_argument, NULL, 'h' },
	CLI_PLUGIN_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static int parse_max_level(const char *text, int *out)
{
	char *end;
	long value = strtol(text, &end, 10);

	if (end == text || *end != '\0' || value < 1 || value > 4)
		return -1;
	*out = (int)value;
	return 0;
}

static int parse_color(const char *text, color_mode *out)
{
	static const struct {
		const char *name;
		color_mode mode;
	} modes[] = { { "auto", COLOR_AUTO },
		      { "always", COLOR_ALWAYS },
		      { "never", COLOR_NEVER } };

	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (strcmp(text, modes[i].name) == 0) {
			*out = modes[i].mode;
			return 0;
		}
	}
	return -1;
}

/* Healing's files go next to the report unless --heal-dir says where; the folder must exist. */
static int heal_dir_default(validate_args *args)
{
	struct stat st;
	if (args->run.heal == VIGIL_HEAL_OFF)
		return 0;
	const char *report_file = cli_reports_first_file(&args->reports);
	if (!args->run.heal_dir && report_file) {
		const char *slash = strrchr(report_file, '/');
		size_t n = slash ? (size_t)(slash - report_file) : 0;
		if (slash && n < sizeof args->heal_dir_buf) {
			memcpy(args->heal_dir_buf, report_file, n ? n : 1);
			args->heal_dir_buf[n ? n : 1] = '\0';
			args->run.heal_dir = args->heal_dir_buf;
		}
	}
	if (args->run.heal_dir && (stat(args->run.heal_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		return cli_usage_error("the healing folder '%s' is not an existing folder",
		                       args->run.heal_dir);
	return 0;
}

/* Returns 0, or the exit code of a usage error (already reported). */
static int parse_args(validate_args *args, int argc, char **argv)
{
	char option_text[8];
	int c;

	optind = 1;
	opterr = 0; /* our own messages, each naming the problem */
	while ((c = getopt_long(argc, argv, ":f:o:kvqh", validate_options, NULL)) != -1) {
		if (cli_is_plugin_option(c)) { /* plugins.c */
			int rc = cli_plugin_option(&args->plugins, c, optarg);
			if (rc != 0)
				return rc;
			continue;
		}
		switch (c) {
		case 'f':
			if (vigil_format_parse(&args->reports.format, optarg) != VIGIL_OK)
				return cli_usage_error(
				        "unknown report format '%s' (use text, json, "
				        "sarif, junit, github, gitlab or markdown)",
				        optarg);
			args->reports.legacy = 1;
			break;
		case 'o':
			if (optarg[0] == '\0')
				return cli_usage_error("--output needs a file name");
			args->reports.output = optarg;
			args->reports.legacy = 1;
			break;
		case OPT_REPORT: {
			int rc = cli_reports_add(&args->reports, optarg);
			if (rc != 0)
				return rc;
			break;
		}
		case 'q': args->reports.quiet = 1; break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "error") == 0)
				args->fail_on = VIGIL_SEVERITY_ERROR;
			else if (strcmp(optarg, "warning") == 0)
				args->fail_on = VIGIL_SEVERITY_WARNING;
			else
				return cli_usage_error(
				        "--fail-on must be error or warning, not '%s'", optarg);
			break;
		case OPT_BASELINE:
			if (optarg[0] == '\0')
				return cli_usage_error("--baseline needs a file");
			args->baseline = optarg;
			break;
		case 'k': args->run.keep_going = 1; break;
		case OPT_MAX_LEVEL:
			if (parse_max_level(optarg, &args->run.max_level) != 0)
				return cli_usage_error(
				        "--max-level must be a level from 1 to 4, not '%s'",
				        optarg);
			break;
		case OPT_COLOR:
			if (parse_color(optarg, &args->color) != 0)
				return cli_usage_error(
				        "--color must be auto, always or never, not '%s'", optarg);
			break;
		case OPT_HEAL:
			if (vigil_heal_mode_parse(&args->run.heal, optarg) != VIGIL_OK)
				return cli_usage_error(
				        "--heal must be off, plan or apply, not '%s'", optarg);
			break;
		case OPT_ALLOW_DESTRUCTIVE: args->run.allow_destructive = 1; break;
		case OPT_HEAL_ROUNDS: {
			char *end;
			long rounds = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || rounds < 1 || rounds > 100)
				return cli_usage_error(
				        "--heal-rounds must be a number from 1 to 100, not '%s'",
				        optarg);
			args->run.heal_rounds = (unsigned)rounds;
			break;
		}
		case OPT_HEAL_DIR:
			if (optarg[0] == '\0')
				return cli_usage_error("--heal-dir needs a folder");
			args->run.heal_dir = optarg;
			break;
		case 'v': args->write.verbose = 1; break;
		case 'h': args->help = 1; return 0;
		case ':':
			return cli_usage_error("option '%s' needs a value",
			                       cli_bad_option(argv, option_text,
			                                      sizeof option_text));
		default:
			return cli_usage_error("unknown option '%s' for validate",
			                       cli_bad_option(argv, option_text,
			                                      sizeof option_text));
		}
	}
	if (optind >= argc)
		return cli_usage_error(
		        "validate needs a blueprint file (vigil validate BLUEPRINT)");
	if (argc - optind > 1)
		return cli_usage_error("validate takes one blueprint, got %d ('%s', '%s', ...)",
		                       argc - optind, argv[optind], argv[optind + 1]);
	args->blueprint = argv[optind];
	if (args->writes_baseline) {
		/* `vigil baseline BLUEPRINT -o FILE`: the baseline is the one report. */
		if (!args->reports.output || strcmp(args->reports.output, "-") == 0 ||
		    args->reports.count)
			return cli_usage_error(
			        "baseline writes one file: vigil baseline BLUEPRINT -o "
			        "FILE (no --report, no standard output)");
		args->reports.format = VIGIL_FORMAT_BASELINE;
		args->reports.legacy = 1;
	}
	int rc = cli_reports_check(&args->reports);
	return rc ? rc : heal_dir_default(args);
}

/* auto: only a terminal, and only when neither NO_COLOR (https://no-color.org: set and
 * not empty) nor TERM=dumb asks otherwise; a file never gets colour. */
static int use_color(const validate_args *args)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	switch (args->color) {
	case COLOR_ALWAYS: return 1;
	case COLOR_NEVER: return 0;
	case COLOR_AUTO: break;
	}
	return cli_reports_text_on_stdout(&args->reports) && isatty(STDOUT_FILENO) &&
	       !(no_color && no_color[0]) && term && term[0] && strcmp(term, "dumb") != 0;
}

static int exit_code_for_error(int error)
{
	switch (error) {
	case VIGIL_EINVAL:
	case VIGIL_EIO:
	case VIGIL_EBLUEPRINT: return VIGIL_EXIT_USAGE;
	case VIGIL_EPLUGIN:
	case VIGIL_EUNREACHABLE: return VIGIL_EXIT_NOT_CHECKED;
	default: return VIGIL_EXIT_INTERNAL;
	}
}

static int report_library_error(const char *what, int error, const vigil_diag *diag)
{
	const char *message = diag->message[0] ? diag->message : vigil_strerror(error);

	if (diag->file[0] && diag->line > 0)
		fprintf(stderr, "vigil: %s: %s:%u:%u: %s\n", what, diag->file, diag->line,
		        diag->column, message);
	else if (diag->file[0])
		fprintf(stderr, "vigil: %s: %s: %s\n", what, diag->file, message);
	else
		fprintf(stderr, "vigil: %s: %s\n", what, message);
	return exit_code_for_error(error);
}

/*
 * SIGINT/SIGTERM during a healing run: the first one is noted (the engine's healing stops
 * before its next statement, records what happened and the run ends with its report and
 * exit code 128+N); a second one ends vigil at once, as the default would. The CLI's own
 * state: the library installs no handler.
 */
static volatile sig_atomic_t interrupted_by;

static void on_interrupt(int sig)
{
	if (interrupted_by) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	interrupted_by = sig;
}

static void catch_interrupts(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sa.sa_flags = SA_RESTART; /* the running statement goes on: its outcome is recorded */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Parsed arguments in, exit code out: the engine, the run and the report. */
static int run_validation(validate_args *args)
{
	vigil_engine *engine = NULL;
	vigil_report *report = NULL;
	vigil_diag diag;
	int rc, exit_code;

	memset(&diag, 0, sizeof diag);
	rc = vigil_engine_new(&engine, &diag);
	if (rc != VIGIL_OK)
		return report_library_error("cannot start", rc, &diag);
	/* --plugin-dir, --plugin, --jobs, --no-isolate, --check-timeout (plugins.c) */
	rc = cli_plugin_apply(engine, &args->plugins, args->write.verbose);
	if (rc != 0) {
		vigil_engine_free(engine);
		return rc;
	}
	if (vigil_engine_set_fail_on(engine, args->fail_on) != VIGIL_OK ||
	    vigil_engine_set_baseline(engine, args->baseline) != VIGIL_OK) {
		vigil_engine_free(engine);
		fputs("vigil: out of memory\n", stderr);
		return VIGIL_EXIT_INTERNAL;
	}

	if (args->run.heal == VIGIL_HEAL_APPLY) {
		vigil_engine_set_interrupt_flag(engine, &interrupted_by);
		catch_interrupts();
	}
	memset(&diag, 0, sizeof diag);
	rc = vigil_validate_file(&report, engine, args->blueprint, &args->run, &diag);
	if (rc != VIGIL_OK) {
		exit_code = report_library_error("cannot validate", rc, &diag);
		vigil_engine_free(engine);
		return exit_code;
	}

	/* An unreadable blueprint still has a report (exit code 2) that says where and why. */
	exit_code = vigil_report_exit_code(report);
	if (args->writes_baseline && exit_code != VIGIL_EXIT_PASS && exit_code != VIGIL_EXIT_FAIL) {
		/* A run that could not check everything would record too little: no file. */
		fprintf(stderr,
		        "vigil: no baseline written: the run could not check the blueprint "
		        "(exit code %d); run vigil validate to see why\n",
		        exit_code);
	} else if (args->writes_baseline) {
		if (cli_reports_emit(&args->reports, report, &args->write) != 0)
			exit_code = VIGIL_EXIT_INTERNAL;
		else
			exit_code = VIGIL_EXIT_PASS;
	} else if (cli_reports_emit(&args->reports, report, &args->write) != 0)
		exit_code = VIGIL_EXIT_INTERNAL;
	else if (interrupted_by)
		exit_code = 128 + interrupted_by; /* as a shell reports a process ended by it */

	vigil_report_free(report);
	vigil_engine_free(engine);
	return exit_code;
}

static int validate_command(int argc, char **argv, int writes_baseline)
{
	validate_args args;
	int exit_code;

	memset(&args, 0, sizeof args);
	args.writes_baseline = writes_baseline;
	args.fail_on = VIGIL_SEVERITY_ERROR;
	args.reports.format = VIGIL_FORMAT_TEXT;
	args.color = COLOR_AUTO;
	args.run = (vigil_run_options)VIGIL_RUN_OPTIONS_INIT;
	args.write = (vigil_write_options)VIGIL_WRITE_OPTIONS_INIT;

	exit_code = parse_args(&args, argc, argv);
	if (exit_code == 0 && args.help) {
		cli_print_help(stdout);
	} else if (exit_code == 0) {
		args.write.color = use_color(&args);
		exit_code = run_validation(&args);
	}
	cli_plugin_options_free(&args.plugins);
	cli_reports_free(&args.reports);
	return exit_code;
}

int cli_validate(int argc, char **argv)
{
	return validate_command(argc, argv, 0);
}

int cli_baseline(int argc, char **argv)
{
	return validate_command(argc, argv, 1);
}
