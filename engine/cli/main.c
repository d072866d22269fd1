/*
 * main.c — the vigil command: dispatches to a command and documents the exit codes.
 *
 *   vigil validate BLUEPRINT [options]   (validate.c)
 *   vigil migrate BLUEPRINT [options]    (migrate.c)
 *   vigil codes [--markdown] [CODE...]   (codes.c)
 *   vigil --version | --help | help [COMMAND]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "migrate.h"
#include "plugins.h"
#include "reports.h"
#include "vigil/vigil.h"

void cli_print_help(FILE *out)
{
	fputs("vigil - a validation gate for the blueprints of generated systems\n"
	      "\n"
	      "Usage:\n"
	      "  vigil validate BLUEPRINT [options]   validate a blueprint, level by level\n"
	      "  vigil baseline BLUEPRINT -o FILE [options]  record the findings of a run\n"
	      "                                       (by fingerprint) for --baseline\n"
	      "  vigil migrate BLUEPRINT [options]    apply the blueprint's pending migrations\n"
	      "  vigil codes [--markdown] [CODE...]   list the finding codes (or explain some)\n"
	      "  vigil plugins [--plugin-dir DIR]     list the plugins found, or why they fail\n"
	      "  vigil --version                      print the version\n"
	      "  vigil --help | vigil help            print this help\n"
	      "\n"
	      "Options of validate (they may come before or after BLUEPRINT):\n",
	      out);
	fputs(cli_reports_help, out); /* reports.c */
	fputs("      --fail-on LEVEL   error (default) or warning: a warning fails the run too\n"
	      "      --baseline FILE   findings recorded in FILE (vigil baseline) are known:\n"
	      "                        reported as such, left out of the verdict; the reports\n"
	      "                        say how many are known and how many new\n"
	      "  x-vigil-ignore: [{code: VG405, reason: ...}] on a blueprint mapping suppresses\n"
	      "  those findings inside it (reason required, shown in the reports)\n",
	      out);
	fputs("  -k, --keep-going      run every level even when an earlier one failed\n"
	      "      --max-level N     run levels 1 to N only (N from 1 to 4; default 4)\n"
	      "      --color WHEN      colour the text report: auto (default), always, never;\n"
	      "                        auto colours a terminal unless NO_COLOR is set or\n"
	      "                        TERM is dumb\n"
	      "  -v, --verbose         list every check in the text report\n"
	      "  -h, --help            print this help\n"
	      "\n"
	      "Healing (when level 3 fails; databases whose schema check failed):\n"
	      "      --heal=MODE       off (default); plan: write <system>.<database>.heal.sql,\n"
	      "                        the statements that remove the drift, changing nothing;\n"
	      "                        apply: run them (PostgreSQL, SQLite: one transaction;\n"
	      "                        SQLite backed up first; MySQL: statement by statement\n"
	      "                        with a journal, and resume/undo plans on a failure),\n"
	      "                        then run level 3 again; the verdict follows the re-check\n"
	      "                        when no drift is left, else level 3 fails\n"
	      "      --allow-destructive  also apply data-dependent and destructive statements\n"
	      "                        (type changes, NOT NULL, new keys; drops); refused without\n"
	      "      --heal-rounds N   apply + re-check rounds at most (1-100; default 3)\n"
	      "      --heal-dir DIR    where healing writes its files (default: the folder of\n"
	      "                        --output, else the current folder)\n"
	      "  When level 1 or 2 fails, --heal also edits the blueprint where the fix is\n"
	      "  unambiguous (schema_version, type casing, typo'd keys, binding spellings) and\n"
	      "  writes <stem>.healed.yaml and <stem>.healed.diff (never the input); apply then\n"
	      "  runs levels 1-4 on the healed file\n"
	      "\n",
	      out);
	fputs(cli_plugin_help, out); /* plugins.c */
	fputs("\n", out);
	fputs(cli_migrate_help, out); /* migrate.c */
	fputs("\n"
	      "Levels: 1 structure, 2 components, 3 integration, 4 semantics. A level runs only\n"
	      "when the one before it passed (unless --keep-going); a level that did not run is\n"
	      "reported as skipped, with the reason, never as passed.\n"
	      "\n"
	      "Exit codes (stable; the JSON report has the same exit_code and a reason):\n"
	      "  0  passed: every check ran and passed, or was left out on request\n"
	      "     (--offline, --max-level)                                  [passed]\n"
	      "  1  findings about the system: the blueprint, or a database that\n"
	      "     disagrees with it; migrate: a migration failed or changed\n"
	      "     since it was applied                                      [findings]\n"
	      "  2  usage error, or the blueprint cannot be read as a blueprint\n"
	      "     (migrate: or it has errors at levels 1-2; nothing was\n"
	      "     migrated)                   [usage_error, unreadable_blueprint]\n"
	      "  3  could not check: a database unreachable or refusing the user,\n"
	      "     a check that crashed, timed out, could not load or did not\n"
	      "     run; migrate: a database unreachable or its driver not\n"
	      "     loaded                                             [could_not_check]\n"
	      "  4  internal error, or the report could not be written [internal_error]\n"
	      "  When several apply, the first of 4, 2, 3, 1 wins.\n",
	      out);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vigil: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; try 'vigil --help'\n", stderr);
	return VIGIL_EXIT_USAGE;
}

const char *cli_bad_option(char **argv, char *buffer, size_t size)
{
	/* getopt_long leaves a rejected short option in optopt; for a long one optopt is 0 (or
	 * the option's value, past the character range) and the option is the argument just
	 * consumed. */
	if (optopt > ' ' && optopt < 0x7f && optopt != '?') {
		snprintf(buffer, size, "-%c", optopt);
		return buffer;
	}
	return argv[optind - 1];
}

int main(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : NULL;

	if (!command)
		return cli_usage_error("no command given (e.g. 'vigil validate BLUEPRINT')");
	if (strcmp(command, "--version") == 0 || strcmp(command, "-V") == 0 ||
	    strcmp(command, "version") == 0) {
		printf("vigil %s (report format %s)\n", vigil_version(), VIGIL_REPORT_VERSION);
		return VIGIL_EXIT_PASS;
	}
	if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
	    strcmp(command, "help") == 0) {
		cli_print_help(stdout);
		return VIGIL_EXIT_PASS;
	}
	if (strcmp(command, "validate") == 0)
		return cli_validate(argc - 1, argv + 1);
	if (strcmp(command, "baseline") == 0)
		return cli_baseline(argc - 1, argv + 1);
	if (strcmp(command, "migrate") == 0)
		return cli_migrate(argc - 1, argv + 1);
	if (strcmp(command, "codes") == 0)
		return cli_codes(argc - 1, argv + 1);
	if (strcmp(command, "plugins") == 0)
		return cli_plugins(argc - 1, argv + 1);
	if (command[0] == '-')
		return cli_usage_error("unknown option '%s' (give a command first, e.g. "
		                       "'vigil validate BLUEPRINT')",
		                       command);
	return cli_usage_error("unknown command '%s'", command);
}
