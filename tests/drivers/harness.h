/*
 * harness.h — the conformance suite's bookkeeping: cases passed/failed, every message the
 * run produced (to prove no password leaks), URLs built from parts, and timing.
 */
#ifndef VIGIL_CONF_HARNESS_H
#define VIGIL_CONF_HARNESS_H

#include <stddef.h>

#include "vigil/plugin.h"

#include "arena.h"
#include "blueprint.h"

typedef struct conf {
	const char *db_name;       /* "sqlite", "postgresql", "mysql": printed with each case */
	vg_db_type type;
	vg_arena *arena;
	int passed;
	int failed;
	char **messages;           /* copies of every message seen */
	size_t message_count;
	size_t message_cap;
	const char *secrets[4];    /* passwords that must never appear */
	size_t secret_count;
} conf;

void conf_ok(conf *c, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void conf_fail(conf *c, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Passes or fails the case on `ok`; `why` is printed on failure. Returns ok. */
int conf_check(conf *c, const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/** Records a message for the final password check (NULL/empty ignored). */
void conf_message(conf *c, const char *message);
/** Records an error's message; returns it (for printing). */
const char *conf_err(conf *c, const vigil_db_error *err);
void conf_add_secret(conf *c, const char *secret);
/** The recorded message that contains a secret, or NULL when none does. */
const char *conf_leak(const conf *c);
void conf_free(conf *c);

/** Monotonic milliseconds. */
double conf_now_ms(void);

/** "scheme://user:password@host:port/database?query" with user/password/database
 *  percent-encoded; NULL parts left out. Allocated from the arena. */
char *conf_url(vg_arena *arena, const char *scheme, const char *user, const char *password,
               const char *host, int port, const char *database, const char *query);

#endif
