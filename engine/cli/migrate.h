/* migrate.h — `vigil migrate BLUEPRINT [--database NAME] [--dry-run] [--plugin-dir DIR]`. */
#ifndef VIGIL_CLI_MIGRATE_H
#define VIGIL_CLI_MIGRATE_H

#include <stdio.h>

/** The command; argv[0] is "migrate". Returns the process exit code (VIGIL_EXIT_*). */
int cli_migrate(int argc, char **argv);

/** Its part of `vigil --help`. */
extern const char cli_migrate_help[];

#endif
