/*
 * pg_connect.c — opening a connection within a deadline, and the cheap per-connection facts
 * (ping, server version, session).
 *
 * libpq's own connect_timeout counts whole seconds and applies per host and per attempt, so
 * a silent server can hold a caller far longer than asked. The driver instead starts the
 * connection with PQconnectStartParams and drives PQconnectPoll itself, polling the socket
 * only for what remains of one deadline that covers the lookup, TCP, TLS and authentication.
 * The password travels only in libpq's keyword arrays, never in a conninfo string.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_internal.h"

enum {
	DEFAULT_CONNECT_TIMEOUT_MS = 10000, /* when the host gives none */
	MAX_KEYWORDS = 48,
};

/* Where the connection goes, as libpq is told, and how messages name it. */
typedef struct target {
	vdc_text hosts;     /* host keyword: name(s), or a socket directory */
	vdc_text addrs;     /* hostaddr keyword: numeric addresses, or empty */
	char port[16];
	char where[300];   /* "127.0.0.1:5432" / "/run/postgresql" for messages */
} target;

typedef struct keywords {
	const char *keys[MAX_KEYWORDS + 1];
	const char *values[MAX_KEYWORDS + 1];
	size_t count;
} keywords;

static void keyword_set(keywords *kw, const char *key, const char *value)
{
	if (!value || kw->count >= MAX_KEYWORDS)
		return;
	kw->keys[kw->count] = key;
	kw->values[kw->count++] = value;
	kw->keys[kw->count] = NULL;
	kw->values[kw->count] = NULL;
}

/* Keys the driver sets from the parameters (or fixes): an option of that name is ignored. */
static int driver_keyword(const char *key)
{
	static const char *const keys[] = { "host", "hostaddr", "port", "user", "password", "dbname",
		                                "sslmode", "client_encoding", "connect_timeout" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

/* A socket path given as the file (".../.s.PGSQL.5432"): libpq wants its folder and port. */
static void socket_target(target *t, const char *socket, unsigned port)
{
	const char *slash = strrchr(socket, '/');
	const char *file = slash ? slash + 1 : socket;
	if (slash && strncmp(file, ".s.PGSQL.", 9) == 0) {
		vdc_text_addn(&t->hosts, socket, (size_t)(slash - socket));
		if (port == 0)
			snprintf(t->port, sizeof t->port, "%s", file + 9);
	} else {
		vdc_text_add(&t->hosts, socket);
	}
	snprintf(t->where, sizeof t->where, "socket %s", socket);
}

/*
 * Resolves `host` by `deadline_ms` into comma-separated lists for libpq: `hosts` (the name
 * repeated once per address) and `addrs` (numeric addresses). libpq resolves names with a
 * blocking getaddrinfo inside PQconnectPoll, which can outlast any connect timeout, so the
 * driver resolves first (vdc_resolve, whence -z nodelete) and hands libpq numeric addresses
 * (hostaddr) beside the name (host, still used for TLS and messages). 0, or -1 with `err`.
 */
static int resolve_host(const char *host, long long deadline_ms, vdc_text *hosts, vdc_text *addrs,
                        vigil_db_error *err)
{
	char message[300];
	vdc_addresses found;
	int rc = 0;
	switch (vdc_resolve(host, deadline_ms, &found, &rc)) {
	case VDC_RESOLVED:
		break;
	case VDC_RESOLVE_NO_START:
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL,
		                "could not start a host name lookup (out of memory or threads)", NULL);
	case VDC_RESOLVE_TIMEOUT:
		snprintf(message, sizeof message,
		         "could not translate host name \"%s\" to address: no answer within the connect timeout",
		         host);
		return pg_error(err, VIGIL_DB_ERR_TIMEOUT, NULL, message, NULL);
	default:
		snprintf(message, sizeof message, "could not translate host name \"%s\" to address: %s",
		         host, rc != 0 ? gai_strerror(rc) : "no usable address");
		return pg_error(err, VIGIL_DB_ERR_DNS, NULL, message, NULL);
	}
	for (size_t i = 0; i < found.count; i++) {
		if (hosts->len) {
			vdc_text_add(hosts, ",");
			vdc_text_add(addrs, ",");
		}
		vdc_text_add(hosts, host);
		vdc_text_add(addrs, found.text[i]);
	}
	if (hosts->failed || addrs->failed)
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
	return 0;
}

/* Fills the target; resolves a host name within the deadline. 0 or -1 with err. */
static int resolve_target(target *t, const vigil_conn_params *p, long long deadline,
                          vigil_db_error *err)
{
	if (p->port)
		snprintf(t->port, sizeof t->port, "%u", p->port);
	if (p->socket && *p->socket) {
		socket_target(t, p->socket, p->port);
	} else if (p->host && *p->host) {
		snprintf(t->where, sizeof t->where, "%s:%s", p->host, t->port[0] ? t->port : "5432");
		/* a leading '/' or '@' names a socket directory (libpq's rule) */
		if (p->host[0] == '/' || p->host[0] == '@' || vdc_is_numeric_address(p->host))
			vdc_text_add(&t->hosts, p->host);
		else if (resolve_host(p->host, deadline, &t->hosts, &t->addrs, err) != 0)
			return -1;
	} else {
		snprintf(t->where, sizeof t->where, "the default socket");
	}
	if (t->hosts.failed || t->addrs.failed)
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
	return 0;
}

static void keywords_fill(keywords *kw, const vigil_conn_params *p, const target *t)
{
	keyword_set(kw, "host", t->hosts.len ? vdc_text_str(&t->hosts) : NULL);
	keyword_set(kw, "hostaddr", t->addrs.len ? vdc_text_str(&t->addrs) : NULL);
	keyword_set(kw, "port", t->port[0] ? t->port : NULL);
	keyword_set(kw, "user", p->user && *p->user ? p->user : NULL);
	keyword_set(kw, "password", p->password && *p->password ? p->password : NULL);
	keyword_set(kw, "dbname", p->database && *p->database ? p->database : NULL);
	keyword_set(kw, "sslmode", p->sslmode && *p->sslmode ? p->sslmode : NULL);
	keyword_set(kw, "application_name", "vigil");
	keyword_set(kw, "client_encoding", "UTF8");
	/* URL query parameters; later keywords override earlier ones (application_name) */
	for (const char *const *o = p->options; o && o[0] && o[1]; o += 2)
		if (!driver_keyword(o[0]))
			keyword_set(kw, o[0], o[1]);
}

/* What a connection that ran out of time was waiting for. */
static const char *waiting_for(ConnStatusType status)
{
	switch (status) {
	case CONNECTION_STARTED:
		return "the TCP connection was not accepted";
	case CONNECTION_SSL_STARTUP:
		return "the connection was accepted but the server did not answer the TLS request";
	case CONNECTION_MADE:
	case CONNECTION_AWAITING_RESPONSE:
		return "the connection was accepted but the server did not answer";
	case CONNECTION_AUTH_OK:
	case CONNECTION_SETENV:
		return "the server did not finish starting the session";
	default:
		return "the server did not answer";
	}
}

static int timed_out(vigil_db_error *err, PGconn *pg, const target *t, unsigned timeout_ms)
{
	char message[512];
	snprintf(message, sizeof message, "could not connect to %s within %u ms: %s", t->where,
	         timeout_ms, waiting_for(pg ? PQstatus(pg) : CONNECTION_STARTED));
	return pg_error(err, VIGIL_DB_ERR_TIMEOUT, NULL, message, NULL);
}

/* Drives a started connection to completion by the deadline. 0, or -1 with err filled. */
static int poll_connection(PGconn *pg, long long deadline, const vigil_conn_params *p,
                           const target *t, unsigned timeout_ms, vigil_db_error *err)
{
	/* libpq: act as if PQconnectPoll had just returned PGRES_POLLING_WRITING */
	PostgresPollingStatusType state = PGRES_POLLING_WRITING;
	while (state != PGRES_POLLING_OK) {
		if (state == PGRES_POLLING_FAILED)
			return pg_connect_error(err, PQerrorMessage(pg), p->password);
		long long left = deadline - vdc_now_ms();
		if (left <= 0)
			return timed_out(err, pg, t, timeout_ms);
		struct pollfd pfd = { PQsocket(pg), state == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0 };
		if (pfd.fd < 0)
			return pg_connect_error(err, PQerrorMessage(pg), p->password);
		int ready = poll(&pfd, 1, left > 0x7fffffff ? 0x7fffffff : (int)left);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0) {
			char message[512];
			snprintf(message, sizeof message, "could not connect to %s: poll: %s", t->where,
			         strerror(errno));
			return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, message, NULL);
		}
		if (ready == 0)
			return timed_out(err, pg, t, timeout_ms);
		state = PQconnectPoll(pg);
	}
	return 0;
}

/* Notices (DROP ... IF EXISTS "skipping", ...) are not errors; libpq would print them. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int pg_connect(vigil_conn **out, const vigil_conn_params *params, const vigil_host *host,
               vigil_db_error *err)
{
	(void)host;
	pg_error_clear(err);
	if (!out || !params)
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "connect: no parameters", NULL);
	*out = NULL;
	unsigned timeout_ms = params->connect_timeout_ms ? params->connect_timeout_ms
	                                                 : DEFAULT_CONNECT_TIMEOUT_MS;
	long long deadline = vdc_now_ms() + timeout_ms;

	target t;
	memset(&t, 0, sizeof t);
	keywords kw;
	memset(&kw, 0, sizeof kw);
	PGconn *pg = NULL;
	int rc = resolve_target(&t, params, deadline, err);
	if (rc == 0) {
		keywords_fill(&kw, params, &t);
		pg = PQconnectStartParams(kw.keys, kw.values, 0);
		if (!pg)
			rc = pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
		else if (PQstatus(pg) == CONNECTION_BAD)
			rc = pg_connect_error(err, PQerrorMessage(pg), params->password);
		else
			rc = poll_connection(pg, deadline, params, &t, timeout_ms, err);
	}
	vigil_conn *conn = NULL;
	if (rc == 0 && !(conn = calloc(1, sizeof *conn)))
		rc = pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory", NULL);
	vdc_text_free(&t.hosts);
	vdc_text_free(&t.addrs);
	if (rc != 0) {
		PQfinish(pg);
		return -1;
	}
	PQsetNoticeProcessor(pg, ignore_notice, NULL);
	conn->pg = pg;
	*out = conn;
	return 0;
}

void pg_close(vigil_conn *conn)
{
	if (!conn)
		return;
	PQfinish(conn->pg);
	free(conn);
}

int pg_ping(vigil_conn *conn, vigil_db_error *err)
{
	pg_error_clear(err);
	PGresult *res = PQexec(conn->pg, "SELECT 1");
	int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? 0 : pg_result_error(err, conn->pg, res);
	PQclear(res);
	return rc;
}

int pg_server_version(vigil_conn *conn, char *buf, size_t size, vigil_db_error *err)
{
	pg_error_clear(err);
	const char *v = PQparameterStatus(conn->pg, "server_version");
	if (!v || !buf || size == 0)
		return pg_error(err, VIGIL_DB_ERR_OTHER, NULL, "the server did not report its version", NULL);
	/* "15.4 (Debian 15.4-1)": the number is the version; the rest is packaging */
	size_t n = strcspn(v, " ");
	snprintf(buf, size, "%.*s", (int)n, v);
	return 0;
}

static void copy_out(char *buf, size_t size, const char *value)
{
	if (buf && size)
		snprintf(buf, size, "%s", value ? value : "");
}

int pg_session_info(vigil_conn *conn, char *user, size_t user_size, char *database,
                    size_t database_size, int *tls, vigil_db_error *err)
{
	pg_error_clear(err);
	PGresult *res = PQexec(conn->pg, "SELECT current_user, current_database()");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		int rc = pg_result_error(err, conn->pg, res);
		PQclear(res);
		return rc;
	}
	copy_out(user, user_size, PQgetvalue(res, 0, 0));
	copy_out(database, database_size, PQgetvalue(res, 0, 1));
	PQclear(res);
	if (tls)
		*tls = PQsslInUse(conn->pg);
	return 0;
}
