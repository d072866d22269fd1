/*
 * cli.h — the vigil command-line tool: its commands and shared helpers.
 *
 * The CLI uses only libvigil's public API (vigil/vigil.h). Each command takes the
 * arguments after the program name (argv[0] is the command's own name) and returns the
 * process exit code (VIGIL_EXIT_*).
 */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <stddef.h>
#include <stdio.h>

int cli_validate(int argc, char **argv);
/** `vigil baseline BLUEPRINT -o FILE [validate options]` (validate.c). */
int cli_baseline(int argc, char **argv);
int cli_codes(int argc, char **argv);

/** The full help text (commands, options, exit codes). */
void cli_print_help(FILE *out);

/**
 * Reports a usage error on stderr as one line ending in "try 'vigil --help'" and returns
 * VIGIL_EXIT_USAGE, so callers can `return cli_usage_error(...)`.
 */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** The argument getopt_long rejected, for a usage message ("-x" or "--unknown"). */
const char *cli_bad_option(char **argv, char *buffer, size_t size);

/** Writes the report's content into a stream; returns 0 or a negative vigil_error_code. */
typedef int (*cli_write_fn)(FILE *out, void *payload);

/**
 * Writes a file atomically: into a temporary file in the same folder, flushed to disk,
 * then renamed over `path`, so a failure never leaves a half-written file behind. Returns
 * 0, or -1 with a one-line reason in `error`.
 */
int cli_write_file_atomically(const char *path, cli_write_fn write_content, void *payload,
                              char *error, size_t error_size);

#endif
