/* bench_args.h — checked integer arguments for the benchmark programs (not atoi). */
#ifndef VIGIL_BENCH_ARGS_H
#define VIGIL_BENCH_ARGS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* `text` as an integer in [min, max]; a program with a bad argument says so and stops. */
static inline int bench_int_arg(const char *text, int min, int max, const char *what)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max) {
		fprintf(stderr, "%s: '%s' is not a whole number from %d to %d\n", what, text, min, max);
		exit(2);
	}
	return (int)v;
}

#endif
