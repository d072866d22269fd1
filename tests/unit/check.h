/*
 * check.h — the unit tests' assertions (a tiny test-macro header, as in collectd).
 *
 * Each tests/unit/test_*.c is its own executable, so the tallies are static in the one file
 * that includes this. A check that does not hold says where and what on stderr, counts as a
 * failure, and the test goes on; main ends with `return CHECK_SUMMARY();`, which prints
 * "N passed, M failed" and gives the exit status. Every CHECK* is an expression worth 1 when
 * the check held, so a test can stop early: `if (!CHECK(p != NULL)) return;`.
 */
#ifndef VIGIL_TESTS_CHECK_H
#define VIGIL_TESTS_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

/* Counts one check that held (ok) or not; returns ok. For helpers that report a failure their
 * own way (with the caller's line, or a dump of what they got). */
static inline int check_count(int ok)
{
	if (ok)
		check_passed++;
	else
		check_failed++;
	return ok;
}

/* String equality where NULL is a value: two NULLs are the same, NULL and a string are not. */
static inline int same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Whether `haystack` (possibly NULL) contains `needle`. */
static inline int contains(const char *haystack, const char *needle)
{
	return haystack && strstr(haystack, needle) != NULL;
}

#define CHECK(cond) check_that_(!!(cond), __FILE__, __LINE__, #cond)

/* Both strings are printed when they differ; either may be NULL (see same()). */
#define CHECK_STR(actual, expected) check_str_((actual), (expected), __FILE__, __LINE__, #actual)

/* Both values are printed when they differ. */
#define CHECK_INT(actual, expected)                                                \
	check_int_((long long)(actual), (long long)(expected), __FILE__, __LINE__, \
	           #actual " == " #expected)

/* A check that, when it fails, also prints the facts the condition alone does not show. */
#define CHECK_MSG(cond, ...) check_msg_(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)

/* Prints "N passed, M failed"; the value is main's exit status. */
#define CHECK_SUMMARY() check_summary_()

static inline int check_that_(int ok, const char *file, int line, const char *what)
{
	if (!check_count(ok))
		fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	return ok;
}

static inline int check_str_(const char *actual, const char *expected, const char *file, int line,
                             const char *what)
{
	int ok = same(actual, expected);
	if (!check_count(ok))
		fprintf(stderr, "%s:%d: check failed: %s: got \"%s\", expected \"%s\"\n", file,
		        line, what, actual ? actual : "(null)", expected ? expected : "(null)");
	return ok;
}

static inline int check_int_(long long actual, long long expected, const char *file, int line,
                             const char *what)
{
	int ok = actual == expected;
	if (!check_count(ok))
		fprintf(stderr, "%s:%d: check failed: %s: got %lld, expected %lld\n", file, line,
		        what, actual, expected);
	return ok;
}

static inline int check_msg_(int ok, const char *file, int line, const char *what, const char *fmt,
                             ...) __attribute__((format(printf, 5, 6)));

static inline int check_msg_(int ok, const char *file, int line, const char *what, const char *fmt,
                             ...)
{
	if (!check_count(ok)) {
		va_list ap;
		fprintf(stderr, "%s:%d: check failed: %s\n  ", file, line, what);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	return ok;
}

static inline int check_summary_(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
