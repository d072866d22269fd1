/*
 * driver_common.h — what the in-tree database drivers share: a growable SQL text with
 * quoting, host name resolution bounded by a connect deadline, and the SQL value rules that
 * read the same in every dialect. Dialect rules (quote characters, type names, what a default
 * may be) stay in the drivers. Built as a static library with hidden visibility: nothing here
 * is exported from a driver's .so.
 */
#ifndef VIGIL_DRIVER_COMMON_H
#define VIGIL_DRIVER_COMMON_H

#include <stddef.h>

#include "vigil/plugin.h"

#if defined(__GNUC__)
#define VDC_PRINTF(fmt_, args_) __attribute__((format(printf, fmt_, args_)))
#else
#define VDC_PRINTF(fmt_, args_)
#endif

/* ---- text.c: a growing string for SQL text ------------------------------------------------ */

/** A growable NUL-terminated string; zero-initialise it. `failed` records an allocation
 *  failure (sticky: later appends do nothing). */
enum { VDC_MAX_STATEMENTS = 16 };

typedef struct vdc_text {
	char *data; /* malloc'ed, NUL-terminated once anything is added */
	size_t len;
	size_t cap;
	size_t ends[VDC_MAX_STATEMENTS]; /* where each statement ended (vdc_text_end_statement) */
	size_t end_count;
	int failed;
} vdc_text;

void vdc_text_add(vdc_text *t, const char *s);
void vdc_text_addn(vdc_text *t, const char *s, size_t n);
void vdc_text_printf(vdc_text *t, const char *fmt, ...) VDC_PRINTF(2, 3);
/** `name` between `quote`s, each `quote` inside doubled: an SQL identifier. */
void vdc_text_ident(vdc_text *t, const char *name, char quote);
/** ns.name, each quoted with `quote` (just the name when ns is NULL or empty). */
void vdc_text_qualified(vdc_text *t, const char *ns, const char *name, char quote);
/** (a, b, ...), each name quoted with `quote`. */
void vdc_text_ident_list(vdc_text *t, const char *const *names, size_t count, char quote);
/** 'text' with embedded single quotes doubled (standard SQL string literal). */
void vdc_text_literal(vdc_text *t, const char *text);
/** Ends a statement: ";\n", and the place recorded for vdc_text_append_statements. */
void vdc_text_end_statement(vdc_text *t);
/** Hands the statements to the host, one host->text_append call each (ABI 1.3: the host
 *  keeps them apart and checks each is one statement); text after the last end, if any,
 *  goes as a last piece. */
void vdc_text_append_statements(const vdc_text *t, const vigil_host *host, vigil_text_sink *out);
/**
 * A column default's SQL through host->render_default (a literal of the column's type or an
 * allowed expression, never the text as written) into `buf`. 0, or -1 with the reason in
 * buf (the change must then be refused).
 */
int vdc_default_sql(const vigil_host *host, const char *dialect, const char *type,
                    const char *value, char *buf, size_t size);
/** Whether a type the host cannot spell can be written as given: words, an optional
 *  (n[, m]) of digits or simple 'strings', more words, an optional [] — nothing that could
 *  end or hide SQL. */
int vdc_is_plain_type(const char *type);
/** The text so far ("" when empty or failed). */
const char *vdc_text_str(const vdc_text *t);
/** Releases the text; the struct is zeroed and can be reused. */
void vdc_text_free(vdc_text *t);

/* ---- resolve.c: host names within a connect deadline --------------------------------------- */

/*
 * Client libraries resolve names with a blocking getaddrinfo (libpq in PQconnectPoll,
 * Connector/C even in its non-blocking connect), which can outlast any connect timeout when a
 * resolver does not answer. So a driver resolves first, on a detached thread it can walk away
 * from, and hands its library numeric addresses. An abandoned lookup finishes on its own and
 * frees its job — but it then returns into the driver's code: a driver using vdc_resolve must
 * link with -Wl,-z,nodelete so that dlclose does not unmap that code under the thread.
 */

/** At most this many addresses are kept; a numeric IPv6 address with a scope fits. */
enum { VDC_MAX_ADDRESSES = 8, VDC_NUMERIC_HOST = 96 };

typedef struct vdc_addresses {
	char text[VDC_MAX_ADDRESSES][VDC_NUMERIC_HOST]; /* numeric, getaddrinfo's order, no dups */
	size_t count;
} vdc_addresses;

typedef enum vdc_resolve_status {
	VDC_RESOLVED = 0,      /* out->count >= 1 */
	VDC_RESOLVE_NO_START,  /* no memory or thread for the lookup */
	VDC_RESOLVE_TIMEOUT,   /* no answer by the deadline (the lookup is abandoned) */
	VDC_RESOLVE_FAILED     /* *gai_rc: getaddrinfo's error, or 0 when no IPv4/IPv6 address */
} vdc_resolve_status;

/** Milliseconds on the monotonic clock deadlines are given in. */
long long vdc_now_ms(void);

/** Whether `host` is a numeric IPv4 or IPv6 address (needs no lookup). */
int vdc_is_numeric_address(const char *host);

/**
 * The IPv4/IPv6 addresses of `host`, looked up on a detached thread the caller stops waiting
 * for at `deadline_ms` (vdc_now_ms clock). `gai_rc` (may be NULL) gets getaddrinfo's result.
 */
vdc_resolve_status vdc_resolve(const char *host, long long deadline_ms, vdc_addresses *out,
                               int *gai_rc);

/* ---- sql_values.c: SQL values read the same in every dialect ------------------------------- */

/** Whether `count` >= 1 names are given, none NULL or empty. */
int vdc_names_present(const char *const *names, size_t count);
/** A foreign-key action ("set null", "SET_NULL", "no-action", any case) in SQL: CASCADE,
 *  RESTRICT, SET NULL, SET DEFAULT, NO ACTION; NULL for anything else. */
const char *vdc_fk_action_sql(const char *action);

#endif
