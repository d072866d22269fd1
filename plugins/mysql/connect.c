/*
 * connect.c — opening a MySQL/MariaDB connection within a deadline, and the connection's
 * facts (ping, server version, session).
 *
 * The connector's own timeouts count whole seconds, and its read/write timeouts would stay on
 * the connection and cut off every later long query. So the connect runs through MariaDB
 * Connector/C's non-blocking API instead: we poll() the socket ourselves against one
 * millisecond deadline for the whole connect (TCP, TLS, handshake, authentication) and
 * abandon it when the deadline passes. Name resolution (getaddrinfo) is the one step the
 * connector still does synchronously. Queries afterwards use the ordinary blocking calls,
 * which the connector allows on the same handle.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mysql_driver.h"

enum {
	DEFAULT_PORT = 3306,
	DEFAULT_CONNECT_TIMEOUT_MS = 10000,
	/* The connector runs a non-blocking connect on a stack of its own; name resolution and
	 * the TLS handshake run there too, so give it room (the default is 60 KiB). */
	ASYNC_STACK_SIZE = 256 * 1024,
};

/* A field of the host's params, or 0 when the host's struct is older than the field. */
#define PARAM(p, field)                                                                    \
	((p)->size >= offsetof(vigil_conn_params, field) + sizeof((p)->field) ? (p)->field : 0)

/*
 * The addresses of `host` (a numeric address is its own), resolved by `deadline_ms`: Connector/C
 * resolves names with a blocking getaddrinfo, even in its non-blocking connect, so the driver
 * resolves first (vdc_resolve, whence -z nodelete) and hands the connector numeric addresses.
 * 0, or -1 with err: DNS when the name does not resolve, TIMEOUT when the resolver did not
 * answer in time (`timeout_ms` is for the message).
 */
static int resolve(const char *host, long long deadline_ms, unsigned timeout_ms,
                   vdc_addresses *out, vigil_db_error *err)
{
	if (vdc_is_numeric_address(host)) {
		out->count = 1;
		snprintf(out->text[0], sizeof out->text[0], "%s", host);
		return 0;
	}
	int rc = 0;
	switch (vdc_resolve(host, deadline_ms, out, &rc)) {
	case VDC_RESOLVED:
		return 0;
	case VDC_RESOLVE_NO_START:
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "could not start the host name lookup");
		return -1;
	case VDC_RESOLVE_TIMEOUT:
		vmy_error_set(err, VIGIL_DB_ERR_TIMEOUT, NULL,
		              "the host name %s did not resolve within %u ms (connect timeout)", host, timeout_ms);
		return -1;
	default:
		vmy_error_set(err, rc == EAI_AGAIN ? VIGIL_DB_ERR_TIMEOUT : VIGIL_DB_ERR_DNS, NULL,
		              "the host name %s does not resolve: %s", host,
		              rc ? gai_strerror(rc) : "no IPv4 or IPv6 address");
		return -1;
	}
}

/* The value of URL option `key` (further query parameters), or NULL. */
static const char *option(const vigil_conn_params *p, const char *key)
{
	const char *const *options = PARAM(p, options);
	for (size_t i = 0; options && options[i] && options[i + 1]; i += 2)
		if (strcmp(options[i], key) == 0)
			return options[i + 1];
	return NULL;
}

static const char *first_option(const vigil_conn_params *p, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *v = option(p, *keys);
		if (v)
			return v;
	}
	return NULL;
}

/* Where the connection goes, for messages: "127.0.0.1:3306" or the socket path. */
static void describe_endpoint(char *out, size_t size, const vigil_conn_params *p)
{
	const char *socket = PARAM(p, socket);
	const char *host = PARAM(p, host);
	unsigned port = PARAM(p, port);
	if (socket && *socket)
		snprintf(out, size, "unix socket %s", socket);
	else
		snprintf(out, size, "%s:%u", host && *host ? host : "localhost", port ? port : DEFAULT_PORT);
}

enum { TLS_OFF, TLS_REQUIRE, TLS_VERIFY, TLS_BAD };

static int tls_mode(const char *sslmode)
{
	if (!sslmode || !*sslmode || !strcasecmp(sslmode, "disable") || !strcasecmp(sslmode, "disabled") ||
	    !strcasecmp(sslmode, "allow") || !strcasecmp(sslmode, "prefer") || !strcasecmp(sslmode, "preferred"))
		return TLS_OFF; /* Connector/C 3.3 has no "use TLS if offered" mode */
	if (!strcasecmp(sslmode, "require") || !strcasecmp(sslmode, "required"))
		return TLS_REQUIRE;
	if (!strcasecmp(sslmode, "verify-ca") || !strcasecmp(sslmode, "verify_ca") ||
	    !strcasecmp(sslmode, "verify-full") || !strcasecmp(sslmode, "verify_identity"))
		return TLS_VERIFY;
	return TLS_BAD;
}

/* The URL's sslmode (the host's field, else an ssl-mode / sslmode query parameter). */
static const char *sslmode_of(const vigil_conn_params *p)
{
	const char *sslmode = PARAM(p, sslmode);
	if (!sslmode)
		sslmode = first_option(p, (const char *const[]){ "ssl-mode", "ssl_mode", "sslmode", NULL });
	return sslmode;
}

static int read_seconds(const char *text, unsigned *out)
{
	char *end;
	unsigned long v = text ? strtoul(text, &end, 10) : 0;
	if (!text || !*text || *end || v == 0 || v > 86400)
		return 0;
	*out = (unsigned)v;
	return 1;
}

/* Sets the handle's options; 0, or -1 with err filled. */
static int configure(MYSQL *m, const vigil_conn_params *p, unsigned timeout_ms, vigil_db_error *err)
{
	size_t stack = ASYNC_STACK_SIZE;
	unsigned seconds = (timeout_ms + 999) / 1000; /* the connector's belt to our braces */
	const char *socket = PARAM(p, socket);
	unsigned protocol = socket && *socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
	my_bool off = 0, on = 1;
	unsigned no_local_infile = 0;
	int rc = 0;
	rc |= mysql_optionsv(m, MYSQL_OPT_NONBLOCK, &stack);
	rc |= mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
	rc |= mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* TCP even for "localhost", which would otherwise silently mean the default socket. */
	rc |= mysql_optionsv(m, MYSQL_OPT_PROTOCOL, &protocol);
	/* A silent reconnect would lose the session (transactions, settings) unnoticed. */
	rc |= mysql_optionsv(m, MYSQL_OPT_RECONNECT, &off);
	rc |= mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &no_local_infile);

	const char *sslmode = sslmode_of(p);
	switch (tls_mode(sslmode)) {
	case TLS_BAD:
		vmy_error_set(err, VIGIL_DB_ERR_TLS, NULL,
		              "unknown sslmode \"%s\" (use disable, prefer, require, verify-ca or verify-full)",
		              sslmode);
		return -1;
	case TLS_VERIFY:
		rc |= mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
		/* fall through */
	case TLS_REQUIRE:
		rc |= mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
		break;
	default:
		break;
	}
	const char *ca = first_option(p, (const char *const[]){ "ssl-ca", "ssl_ca", "sslrootcert", NULL });
	if (ca && *ca)
		rc |= mysql_optionsv(m, MYSQL_OPT_SSL_CA, ca);

	/* Opt-in read/write timeouts (seconds): they apply to every later query too. */
	unsigned io_seconds;
	if (read_seconds(option(p, "read_timeout"), &io_seconds))
		rc |= mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &io_seconds);
	if (read_seconds(option(p, "write_timeout"), &io_seconds))
		rc |= mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &io_seconds);
	if (rc != 0) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "could not set the MySQL connection options%s%s",
		              mysql_errno(m) ? ": " : "", mysql_error(m));
		return -1;
	}
	return 0;
}

/*
 * Waits for what the connector asked for (`status`) until `deadline`. Returns the events to
 * hand to the _cont call, or 0 when the deadline passed first.
 */
static int wait_for(MYSQL *m, int status, long long deadline)
{
	for (;;) {
		long long left = deadline - vdc_now_ms();
		if (left <= 0)
			return 0;
		int wait = left > 60 * 60 * 1000 ? 60 * 60 * 1000 : (int)left;
		int library_timer = 0;
		if (status & MYSQL_WAIT_TIMEOUT) {
			unsigned library_ms = mysql_get_timeout_value_ms(m);
			if ((long long)library_ms < wait) {
				wait = (int)library_ms;
				library_timer = 1;
			}
		}
		struct pollfd pfd = { mysql_get_socket(m), 0, 0 };
		if (status & MYSQL_WAIT_READ)
			pfd.events |= POLLIN;
		if (status & MYSQL_WAIT_WRITE)
			pfd.events |= POLLOUT;
		if (status & MYSQL_WAIT_EXCEPT)
			pfd.events |= POLLPRI;
		int r = poll(&pfd, 1, wait);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* let the connector find the socket's error itself */
			return status & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE | MYSQL_WAIT_EXCEPT);
		}
		if (r == 0) {
			if (library_timer)
				return MYSQL_WAIT_TIMEOUT;
			continue; /* loop: recomputes `left`, returns 0 once it is spent */
		}
		int events = 0;
		if (pfd.revents & POLLIN)
			events |= MYSQL_WAIT_READ;
		if (pfd.revents & POLLOUT)
			events |= MYSQL_WAIT_WRITE;
		if (pfd.revents & POLLPRI)
			events |= MYSQL_WAIT_EXCEPT;
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
			events |= status & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE);
		if (events)
			return events;
	}
}

/*
 * One connect attempt to `server` (a host or numeric address; ignored for a socket) until
 * `deadline`. Returns the connected handle, or NULL with err filled.
 */
static MYSQL *attempt(const vigil_conn_params *params, const char *server, long long deadline,
                      unsigned timeout_ms, const char *endpoint, vigil_db_error *err)
{
	MYSQL *m = mysql_init(NULL);
	if (!m) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory");
		return NULL;
	}
	if (configure(m, params, timeout_ms, err) != 0) {
		mysql_close(m);
		return NULL;
	}
	const char *socket = PARAM(params, socket);
	const char *password = PARAM(params, password);
	unsigned port = PARAM(params, port);
	int use_socket = socket && *socket;
	/* CLIENT_FOUND_ROWS: an UPDATE counts the rows it matched, as PostgreSQL and SQLite do;
	 * CLIENT_MULTI_RESULTS: CALL may return result sets. */
	unsigned long flags = CLIENT_FOUND_ROWS | CLIENT_MULTI_RESULTS;
	MYSQL *ret = NULL;
	int status = mysql_real_connect_start(&ret, m, use_socket ? "localhost" : server,
	                                      PARAM(params, user), password, PARAM(params, database),
	                                      use_socket ? 0 : (port ? port : DEFAULT_PORT),
	                                      use_socket ? socket : NULL, flags);
	while (status) {
		int events = wait_for(m, status, deadline);
		if (events == 0) {
			/* Closing abandons the suspended connect and frees its stack. */
			mysql_close(m);
			vmy_error_set(err, VIGIL_DB_ERR_TIMEOUT, NULL,
			              "no answer from the MySQL server at %s within %u ms (connect timeout)",
			              endpoint, timeout_ms);
			return NULL;
		}
		status = mysql_real_connect_cont(&ret, m, events);
	}
	if (!ret) {
		vmy_error_from(err, mysql_errno(m), mysql_sqlstate(m), mysql_error(m), 1, password);
		mysql_close(m);
		return NULL;
	}
	/* Connector/C 3.3 enforces TLS only together with certificate verification: with
	 * MYSQL_OPT_SSL_ENFORCE alone it goes on in clear text when the server has no TLS. */
	if (tls_mode(sslmode_of(params)) != TLS_OFF && !mysql_get_ssl_cipher(m)) {
		mysql_close(m);
		vmy_error_set(err, VIGIL_DB_ERR_TLS, NULL,
		              "TLS is required (sslmode=%s) but the MySQL server at %s does not offer it",
		              sslmode_of(params), endpoint);
		return NULL;
	}
	return m;
}

int vmy_connect(vigil_conn **out, const vigil_conn_params *params, const vigil_host *host,
                vigil_db_error *err)
{
	(void)host;
	if (out)
		*out = NULL;
	if (!out || !params) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "connect: no connection parameters");
		return -1;
	}
	unsigned timeout_ms = PARAM(params, connect_timeout_ms);
	if (timeout_ms == 0)
		timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
	long long deadline = vdc_now_ms() + timeout_ms;
	char endpoint[300];
	describe_endpoint(endpoint, sizeof endpoint, params);
	vigil_conn *conn = calloc(1, sizeof *conn);
	if (!conn) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "out of memory");
		return -1;
	}

	const char *socket = PARAM(params, socket);
	const char *name = PARAM(params, host);
	if (!name || !*name)
		name = "localhost";
	vdc_addresses addresses = { .count = 0 };
	MYSQL *m = NULL;
	if (socket && *socket) {
		m = attempt(params, NULL, deadline, timeout_ms, endpoint, err);
	} else if (resolve(name, deadline, timeout_ms, &addresses, err) == 0) {
		/* Certificate checks need the name itself: the connector looks it up again (the
		 * resolver has just answered). Otherwise each address in turn, while nothing
		 * listens at the previous one. */
		int verify = tls_mode(sslmode_of(params)) == TLS_VERIFY;
		size_t tries = verify ? 1 : addresses.count;
		for (size_t i = 0; i < tries && !m; i++) {
			m = attempt(params, verify ? name : addresses.text[i], deadline, timeout_ms, endpoint, err);
			if (!m && err && err->kind != VIGIL_DB_ERR_REFUSED)
				break;
		}
	}
	if (!m) {
		free(conn);
		return -1;
	}
	conn->mysql = m;
	*out = conn;
	return 0;
}

void vmy_close(vigil_conn *conn)
{
	if (!conn)
		return;
	mysql_close(conn->mysql);
	free(conn);
}

int vmy_ping(vigil_conn *conn, vigil_db_error *err)
{
	if (mysql_ping(conn->mysql) != 0)
		return vmy_error_conn(err, conn->mysql);
	return 0;
}

int vmy_server_version(vigil_conn *conn, char *buf, size_t size, vigil_db_error *err)
{
	const char *version = mysql_get_server_info(conn->mysql);
	if (!version) {
		vmy_error_set(err, VIGIL_DB_ERR_LOST, NULL, "the server did not say its version");
		return -1;
	}
	if (!buf || snprintf(buf, size, "%s", version) >= (int)size) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "the buffer is too small for the server version");
		return -1;
	}
	return 0;
}

typedef struct session_row {
	char *user, *database;
	size_t user_size, database_size;
	int seen;
} session_row;

static void copy_out(char *out, size_t size, const char *value)
{
	if (out && size)
		snprintf(out, size, "%s", value ? value : "");
}

static int take_session_row(void *payload, size_t count, const char *const *values, const size_t *lengths)
{
	(void)lengths;
	session_row *s = payload;
	if (count >= 2) {
		copy_out(s->user, s->user_size, values[0]);
		copy_out(s->database, s->database_size, values[1]);
		s->seen = 1;
	}
	return 0;
}

int vmy_session_info(vigil_conn *conn, char *user, size_t user_size, char *database,
                     size_t database_size, int *tls, vigil_db_error *err)
{
	session_row s = { user, database, user_size, database_size, 0 };
	if (vmy_text_query(conn, "SELECT CURRENT_USER(), DATABASE()", take_session_row, &s, NULL, err) != 0)
		return -1;
	if (!s.seen) {
		vmy_error_set(err, VIGIL_DB_ERR_OTHER, NULL, "SELECT CURRENT_USER() returned no row");
		return -1;
	}
	if (tls)
		*tls = mysql_get_ssl_cipher(conn->mysql) != NULL;
	return 0;
}
