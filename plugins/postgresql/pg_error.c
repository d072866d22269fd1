/*
 * pg_error.c — vigil_db_error from libpq: one-line, password-free messages, and the kind of
 * error from the SQLSTATE (statements) or from libpq's message (connecting, where libpq
 * gives no SQLSTATE).
 */
#define _POSIX_C_SOURCE 200809L /* strncasecmp */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pg_internal.h"

#define MASK "****"

void pg_error_clear(vigil_db_error *err)
{
	if (!err)
		return;
	err->kind = VIGIL_DB_OK;
	err->sqlstate[0] = '\0';
	err->message[0] = '\0';
}

/* Length of a "password=value" value at `p`: quoted ('...', with \' escapes) or to the next
 * space. */
static size_t pair_value_length(const char *p)
{
	if (*p != '\'') {
		size_t n = 0;
		while (p[n] && !isspace((unsigned char)p[n]))
			n++;
		return n;
	}
	size_t n = 1;
	while (p[n] && p[n] != '\'') {
		if (p[n] == '\\' && p[n + 1])
			n++;
		n++;
	}
	return p[n] ? n + 1 : n;
}

/* In "scheme://user:secret@host", the length of "secret" at `p` (just after "user:"), or 0. */
static size_t url_secret_length(const char *p)
{
	size_t n = strcspn(p, "@/ \t\r\n");
	return p[n] == '@' ? n : 0;
}

/* Copies `s` into `out` with every secret replaced by MASK. */
static void redact(vdc_text *out, const char *s, const char *password)
{
	size_t pw_len = password ? strlen(password) : 0;
	for (const char *p = s; *p;) {
		if (pw_len && strncmp(p, password, pw_len) == 0) {
			vdc_text_add(out, MASK);
			p += pw_len;
			continue;
		}
		if (strncasecmp(p, "password=", 9) == 0) {
			vdc_text_add(out, "password=" MASK);
			p += 9;
			p += pair_value_length(p);
			continue;
		}
		if (strncmp(p, "://", 3) == 0) {
			/* user:secret@ in a URL */
			size_t user = strcspn(p + 3, ":@/ \t\r\n");
			if (p[3 + user] == ':') {
				size_t n = url_secret_length(p + 4 + user);
				if (n) {
					vdc_text_addn(out, p, 4 + user);
					vdc_text_add(out, MASK);
					p += 4 + user + n;
					continue;
				}
			}
		}
		vdc_text_addn(out, p, 1);
		p++;
	}
}

int pg_error(vigil_db_error *err, int kind, const char *sqlstate, const char *message,
             const char *password)
{
	if (!err)
		return -1;
	err->kind = kind;
	snprintf(err->sqlstate, sizeof err->sqlstate, "%s", sqlstate ? sqlstate : "");
	vdc_text clean = { 0 };
	redact(&clean, message ? message : "", password);
	const char *text = clean.failed ? "out of memory while reporting an error" : vdc_text_str(&clean);
	/* one line: newlines and runs of spaces become one space; no trailing space */
	size_t n = 0;
	int space = 0;
	for (const char *p = text; *p && n + 1 < sizeof err->message; p++) {
		if (isspace((unsigned char)*p)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < sizeof err->message)
			err->message[n++] = ' ';
		space = 0;
		err->message[n++] = *p;
	}
	err->message[n] = '\0';
	vdc_text_free(&clean);
	return -1;
}

int pg_connect_error(vigil_db_error *err, const char *libpq_message, const char *password)
{
	static const struct {
		const char *text, *also; /* both must occur (also may be NULL) */
		int kind;
		const char *sqlstate;
	} known[] = {
		/* order matters: the first match wins */
		{ "password authentication failed", NULL, VIGIL_DB_ERR_AUTH, "28P01" },
		{ "no password supplied", NULL, VIGIL_DB_ERR_AUTH, "28P01" },
		{ "authentication failed", NULL, VIGIL_DB_ERR_AUTH, "28000" },
		{ "no pg_hba.conf entry", NULL, VIGIL_DB_ERR_AUTH, "28000" },
		{ "role \"", "does not exist", VIGIL_DB_ERR_AUTH, "28000" },
		{ "database \"", "does not exist", VIGIL_DB_ERR_NO_DATABASE, "3D000" },
		{ "permission denied", NULL, VIGIL_DB_ERR_PERMISSION, "42501" },
		{ "could not translate host name", NULL, VIGIL_DB_ERR_DNS, NULL },
		{ "SSL", NULL, VIGIL_DB_ERR_TLS, NULL },
		{ "certificate", NULL, VIGIL_DB_ERR_TLS, NULL },
		{ "GSSAPI", NULL, VIGIL_DB_ERR_TLS, NULL },
		{ "Connection refused", NULL, VIGIL_DB_ERR_REFUSED, NULL },
		{ "No such file or directory", NULL, VIGIL_DB_ERR_REFUSED, NULL }, /* no socket */
		{ "timeout expired", NULL, VIGIL_DB_ERR_TIMEOUT, NULL },
		{ "Connection timed out", NULL, VIGIL_DB_ERR_TIMEOUT, NULL },
		{ "the database system is", NULL, VIGIL_DB_ERR_REFUSED, "57P03" }, /* starting, stopping */
		{ "too many connections", NULL, VIGIL_DB_ERR_REFUSED, "53300" },
		{ "server closed the connection", NULL, VIGIL_DB_ERR_LOST, NULL },
	};
	const char *m = libpq_message ? libpq_message : "could not connect";
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strstr(m, known[i].text) && (!known[i].also || strstr(m, known[i].also)))
			return pg_error(err, known[i].kind, known[i].sqlstate, m, password);
	return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, m, password);
}

/* The kind a SQLSTATE means for a statement. */
static int statement_kind(const char *state)
{
	if (strcmp(state, "42501") == 0)
		return VIGIL_DB_ERR_PERMISSION;
	if (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	    strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0)
		return VIGIL_DB_ERR_LOST;
	if (strcmp(state, "57014") == 0)
		return VIGIL_DB_ERR_TIMEOUT; /* statement timeout / cancelled */
	if (strncmp(state, "28", 2) == 0)
		return VIGIL_DB_ERR_AUTH;
	if (strcmp(state, "3D000") == 0)
		return VIGIL_DB_ERR_NO_DATABASE;
	return VIGIL_DB_ERR_SQL;
}

int pg_result_error(vigil_db_error *err, PGconn *pg, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state) {
		const char *m = pg ? PQerrorMessage(pg) : NULL;
		int lost = !pg || PQstatus(pg) == CONNECTION_BAD;
		return pg_error(err, lost ? VIGIL_DB_ERR_LOST : VIGIL_DB_ERR_OTHER, NULL,
		                m && *m ? m : "the statement failed without a message", NULL);
	}
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	char message[sizeof err->message];
	snprintf(message, sizeof message, "%s%s%s", primary ? primary : "the statement failed",
	         detail ? " — " : "", detail ? detail : "");
	return pg_error(err, statement_kind(state), state, message, NULL);
}
