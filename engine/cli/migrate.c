/*
 * migrate.c — `vigil migrate BLUEPRINT [options]`: apply the blueprint's declared
 * migrations (vigil_migrate_file) and print one line per migration.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "migrate.h"
#include "vigil/vigil.h"

const char cli_migrate_help[] =
        "Options of migrate (vigil migrate BLUEPRINT [options]):\n"
        "  -d, --database NAME   migrate only the database NAME (default: every database\n"
        "                        that declares migrations)\n"
        "  -n, --dry-run         list what would run; change nothing\n"
        "      --plugin-dir DIR  look for driver plugins in DIR first; repeatable\n"
        "  Levels 1-2 must pass first. Pending migrations run in version order and are\n"
        "  recorded (with the SHA-256 of their `up` text as written) in the database's\n"
        "  schema.migration_table (default vigil_schema_migrations). PostgreSQL and SQLite\n"
        "  run each in a transaction; on MySQL a failure names the statement, and those\n"
        "  before it stay applied. A migration whose text changed after it was applied\n"
        "  is reported and not run again, and that database stops there.\n";

typedef struct migrate_args {
	const char *blueprint;
	const char *database;
	unsigned flags;
	const char **dirs;
	size_t dir_count;
	int help;
} migrate_args;

enum { OPT_PLUGIN_DIR = 256 };

static const struct option migrate_options[] = {
	{ "database", required_argument, NULL, 'd' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, or the exit code of a usage error (already reported). */
static int parse_args(migrate_args *args, int argc, char **argv)
{
	char option_text[8];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:nh", migrate_options, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!optarg[0])
				return cli_usage_error("--database needs a database name");
			args->database = optarg;
			break;
		case 'n': args->flags |= VIGIL_MIGRATE_DRY_RUN; break;
		case OPT_PLUGIN_DIR: {
			if (!optarg[0])
				return cli_usage_error("--plugin-dir needs a directory");
			const char **grown =
			        realloc(args->dirs, (args->dir_count + 1) * sizeof *grown);
			if (!grown)
				return VIGIL_EXIT_INTERNAL;
			grown[args->dir_count++] = optarg;
			args->dirs = grown;
			break;
		}
		case 'h': args->help = 1; return 0;
		case ':':
			return cli_usage_error("option '%s' needs a value",
			                       cli_bad_option(argv, option_text,
			                                      sizeof option_text));
		default:
			return cli_usage_error("unknown option '%s' for migrate",
			                       cli_bad_option(argv, option_text,
			                                      sizeof option_text));
		}
	}
	if (optind >= argc)
		return cli_usage_error("migrate needs a blueprint file (vigil migrate BLUEPRINT)");
	if (argc - optind > 1)
		return cli_usage_error("migrate takes one blueprint, got %d ('%s', '%s', ...)",
		                       argc - optind, argv[optind], argv[optind + 1]);
	args->blueprint = argv[optind];
	return 0;
}

/* What the events add up to, and the database whose header was printed last. */
typedef struct tally {
	size_t counts[VIGIL_MIGRATE_NOT_RUN + 1];
	char database[256];
	int events;
} tally;

static void print_event(const vigil_migrate_event *ev, void *payload)
{
	tally *t = payload;
	t->events++;
	if (strcmp(t->database, ev->database ? ev->database : "") != 0 || t->events == 1) {
		snprintf(t->database, sizeof t->database, "%s", ev->database ? ev->database : "");
		printf("database %s (%s):\n", ev->database ? ev->database : "?",
		       ev->database_type ? ev->database_type : "?");
	}
	if (ev->outcome <= VIGIL_MIGRATE_NOT_RUN && ev->has_migration)
		t->counts[ev->outcome]++;
	if (!ev->has_migration) {
		if (ev->outcome == VIGIL_MIGRATE_FAILED)
			t->counts[VIGIL_MIGRATE_FAILED]++;
		printf("  %s: %s\n", ev->outcome == VIGIL_MIGRATE_FAILED ? "FAILED" : "note",
		       ev->message ? ev->message : vigil_migrate_outcome_name(ev->outcome));
		return;
	}
	/* " description", or nothing */
	const char *space = ev->description && ev->description[0] ? " " : "";
	const char *description = space[0] ? ev->description : "";
	switch (ev->outcome) {
	case VIGIL_MIGRATE_APPLIED:
		printf("  applied  %lld%s%s (%zu statement%s, %.1f ms)\n", ev->migration, space,
		       description, ev->statement_count, ev->statement_count == 1 ? "" : "s",
		       ev->duration_ms);
		break;
	case VIGIL_MIGRATE_SKIPPED:
		printf("  skipped  %lld%s%s (already applied)\n", ev->migration, space,
		       description);
		break;
	case VIGIL_MIGRATE_PENDING:
		printf("  pending  %lld%s%s (would run %zu statement%s)\n", ev->migration, space,
		       description, ev->statement_count, ev->statement_count == 1 ? "" : "s");
		break;
	case VIGIL_MIGRATE_CHANGED:
		printf("  CHANGED  %lld%s%s: %s\n", ev->migration, space, description, ev->message);
		break;
	case VIGIL_MIGRATE_FAILED:
		printf("  FAILED   %lld%s%s: %s\n", ev->migration, space, description, ev->message);
		break;
	case VIGIL_MIGRATE_NOT_RUN:
		printf("  not run  %lld%s%s (%s)\n", ev->migration, space, description,
		       ev->message ? ev->message : "not run");
		break;
	}
	fflush(stdout); /* a long migration shows what ran before it */
}

static int exit_code_for_error(int error)
{
	switch (error) {
	case VIGIL_OK: return VIGIL_EXIT_PASS;
	case VIGIL_EMIGRATION: return VIGIL_EXIT_FAIL;
	case VIGIL_EINVAL:
	case VIGIL_EIO:
	case VIGIL_EBLUEPRINT: return VIGIL_EXIT_USAGE;
	case VIGIL_EPLUGIN:
	case VIGIL_EUNREACHABLE: return VIGIL_EXIT_NOT_CHECKED;
	default: return VIGIL_EXIT_INTERNAL;
	}
}

static void print_summary(const tally *t, const migrate_args *args)
{
	const size_t *n = t->counts;
	if (!t->events) {
		printf("nothing to migrate: no database of %s declares migrations\n",
		       args->blueprint);
		return;
	}
	if (args->flags & VIGIL_MIGRATE_DRY_RUN)
		printf("dry run: %zu would be applied, %zu already applied",
		       n[VIGIL_MIGRATE_PENDING], n[VIGIL_MIGRATE_SKIPPED]);
	else
		printf("%zu applied, %zu already applied", n[VIGIL_MIGRATE_APPLIED],
		       n[VIGIL_MIGRATE_SKIPPED]);
	if (n[VIGIL_MIGRATE_CHANGED])
		printf(", %zu changed", n[VIGIL_MIGRATE_CHANGED]);
	if (n[VIGIL_MIGRATE_FAILED])
		printf(", %zu failed", n[VIGIL_MIGRATE_FAILED]);
	if (n[VIGIL_MIGRATE_NOT_RUN])
		printf(", %zu not run", n[VIGIL_MIGRATE_NOT_RUN]);
	printf("%s\n", args->flags & VIGIL_MIGRATE_DRY_RUN ? "; nothing was changed" : "");
}

static int run_migrate(const migrate_args *args)
{
	vigil_engine *engine = NULL;
	vigil_report *validation = NULL;
	vigil_diag diag;
	tally t;
	memset(&diag, 0, sizeof diag);
	memset(&t, 0, sizeof t);

	int rc = vigil_engine_new(&engine, &diag);
	if (rc != VIGIL_OK) {
		fprintf(stderr, "vigil: cannot start: %s\n", diag.message);
		return VIGIL_EXIT_INTERNAL;
	}
	/* Only the databases' drivers are needed: they load by name. */
	vigil_engine_set_plugin_discovery(engine, 0);
	for (size_t i = 0; rc == VIGIL_OK && i < args->dir_count; i++)
		rc = vigil_engine_add_plugin_dir(engine, args->dirs[i], &diag);
	if (rc != VIGIL_OK) {
		fprintf(stderr, "vigil: --plugin-dir %s: %s\n", args->dirs[args->dir_count - 1],
		        diag.message);
		vigil_engine_free(engine);
		return exit_code_for_error(rc);
	}

	rc = vigil_migrate_file(&validation, engine, args->blueprint, args->database, args->flags,
	                        print_event, &t, &diag);
	int exit_code = exit_code_for_error(rc);
	if (rc == VIGIL_OK || rc == VIGIL_EMIGRATION || rc == VIGIL_EPLUGIN ||
	    rc == VIGIL_EUNREACHABLE) {
		print_summary(&t, args);
		/* The events above said what went wrong; repeat it only when none did. */
		if (rc != VIGIL_OK &&
		    (t.counts[VIGIL_MIGRATE_FAILED] || t.counts[VIGIL_MIGRATE_CHANGED]))
			fprintf(stderr,
			        "vigil: migrate: not every migration was applied (see %s above)\n",
			        t.counts[VIGIL_MIGRATE_FAILED] ? "FAILED" : "CHANGED");
		else if (rc != VIGIL_OK)
			fprintf(stderr, "vigil: migrate: %s\n", diag.message);
	} else if (rc == VIGIL_EINVAL) {
		exit_code = cli_usage_error("%s", diag.message);
	} else {
		/* Levels 1-2 failed: their findings say what to fix. */
		if (validation && vigil_report_finding_count(validation) > 0) {
			vigil_write_options write = VIGIL_WRITE_OPTIONS_INIT;
			vigil_report_write(validation, VIGIL_FORMAT_TEXT, stderr, &write);
		}
		if (diag.file[0] && diag.line > 0)
			fprintf(stderr, "vigil: migrate: %s:%u:%u: %s\n", diag.file, diag.line,
			        diag.column, diag.message);
		else
			fprintf(stderr, "vigil: migrate: %s\n",
			        diag.message[0] ? diag.message : vigil_strerror(rc));
	}
	vigil_report_free(validation);
	vigil_engine_free(engine);
	if (fflush(stdout) != 0 && exit_code == VIGIL_EXIT_PASS)
		exit_code = VIGIL_EXIT_INTERNAL;
	return exit_code;
}

int cli_migrate(int argc, char **argv)
{
	migrate_args args;
	memset(&args, 0, sizeof args);
	int exit_code = parse_args(&args, argc, argv);
	if (exit_code == 0 && args.help)
		cli_print_help(stdout);
	else if (exit_code == 0)
		exit_code = run_migrate(&args);
	free(args.dirs);
	return exit_code;
}
