/*
 * preflight.c — can vigil reach the database at all, and how fast? (check "preflight")
 *
 * Acquires a session from the engine's pool (the first acquire opens a fresh connection, so
 * its time is the connect time), pings it a few times, and reads the server version and the
 * session's facts (effective user, current database, TLS). A connect failure becomes one
 * error finding whose code follows the driver's error kind (VG501–VG508); a blueprint that
 * requires TLS on a connection without it is VG509; a failed round trip after a good connect
 * is VG510. Any of them fails the check, which makes the checks depending on it (schema,
 * permissions, benchmark) skip with the reason.
 *
 * What the report shows: the figures as metrics (connect_ms, rtt_ms = median of the pings,
 * rtt_max_ms, tls 0/1); the words (server version, user, database, TLS) as one info line of
 * the check's log ("connected to PostgreSQL 15.8 as vigil on database vigil, TLS off"), since
 * metrics are numbers and an info finding would need a code of its own.
 *
 * Policy only: the database is reached through the host's ABI 1.2 functions, so the same
 * check runs on SQLite, PostgreSQL and MySQL/MariaDB.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strncasecmp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <vigil/plugin.h>

/* How many round trips the rtt figures are taken over. */
#define PING_COUNT 5

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int is_sqlite(const char *type)
{
	return type && strcmp(type, "sqlite") == 0;
}

/* A blueprint boolean as written ("true", "yes", "on", "1"). */
static int config_true(const char *value)
{
	return value && (strcasecmp(value, "true") == 0 || strcasecmp(value, "yes") == 0 ||
	                 strcasecmp(value, "on") == 0 || strcmp(value, "1") == 0);
}

/* ---------------------------------------------------------------- connect failures */

typedef struct connect_failure {
	int kind;
	const char *code;
	const char *actual; /* the evidence's actual side, in words */
	const char *what;   /* what failed, after "cannot connect to database <name>: " */
	const char *hint;
} connect_failure;

static const connect_failure connect_failures[] = {
	{ VIGIL_DB_ERR_DNS, "VG501", "host name does not resolve",
	  "the host name in its URL does not resolve",
	  "check the host name in the database's url (and the name resolution of the machine "
	  "running vigil)" },
	{ VIGIL_DB_ERR_REFUSED, "VG502", "connection refused",
	  "nothing accepts connections at its address",
	  "start the database server, or correct the host and port in the database's url" },
	{ VIGIL_DB_ERR_TIMEOUT, "VG503", "no answer before the connect timeout",
	  "the server did not answer within the connect timeout",
	  "check that the server is running and reachable from this machine (host, port, "
	  "firewall), or raise pool.connect_timeout_ms" },
	{ VIGIL_DB_ERR_AUTH, "VG504", "authentication refused",
	  "the server refused the user or password",
	  "check the user and password in the database's url (and the environment variable it "
	  "takes the password from), and that the user may log in from this host" },
	{ VIGIL_DB_ERR_NO_DATABASE, "VG505", "database does not exist",
	  "the database named in its URL does not exist on the server",
	  "create the database (CREATE DATABASE ...) or correct the database name in the url" },
	{ VIGIL_DB_ERR_TLS, "VG506", "TLS failed",
	  "TLS failed, or one side requires it and the other does not offer it",
	  "make sslmode in the database's url agree with the server's TLS setup (ssl on, "
	  "certificates)" },
	{ VIGIL_DB_ERR_UNSUPPORTED, "VG508", "no driver",
	  "no driver plugin for its type could be loaded",
	  "build or install the driver plugin (vigil_<type>.so) into a plugin directory; "
	  "`vigil plugins` lists what was found and why any could not be loaded" },
};

static const connect_failure other_failure = {
	VIGIL_DB_ERR_OTHER, "VG507", "connect failed", "connecting failed",
	"see the detail (the server's log may say more); check the database's url and that the "
	"user may reach the database"
};

static void report_connect_failure(vigil_check_ctx *ctx, const vigil_host *host,
                                   const vigil_db_error *err, double elapsed_ms)
{
	const char *name = host->database_name(ctx);
	const char *type = host->database_type(ctx);
	const connect_failure *kind = &other_failure;
	for (size_t i = 0; i < VIGIL_COUNT_OF(connect_failures); i++)
		if (connect_failures[i].kind == err->kind)
			kind = &connect_failures[i];

	const char *what = kind->what;
	const char *hint = kind->hint;
	if (err->kind == VIGIL_DB_ERR_NO_DATABASE && type && strcmp(type, "mysql") == 0) {
		/* MySQL answers "access denied" (1044) alike for a missing database and one the
		 * user may not use. */
		what = "the database named in its URL does not exist on the server, or the user may "
		       "not use it";
		hint = "create the database (CREATE DATABASE ...), correct the database name in the "
		       "url, or grant the user access to it";
	} else if (err->kind == VIGIL_DB_ERR_NO_DATABASE && is_sqlite(type)) {
		what = "its SQLite file does not exist";
		hint = "create the file (e.g. by applying the system's migrations) or correct the "
		       "path in the database's url; vigil never creates it";
	} else if (err->kind == VIGIL_DB_ERR_PERMISSION) {
		what = "the database may not be opened";
		hint = is_sqlite(type) ? "give the user running vigil read access to the SQLite file "
		                         "and its folder"
		                       : "let the user connect to the database (GRANT CONNECT / the "
		                         "server's access rules)";
	}

	char message[512];
	snprintf(message, sizeof message, "cannot connect to database %s (%s): %s", name,
	         type ? type : "unknown", what);
	char detail[700];
	snprintf(detail, sizeof detail, "%s%s%s; failed after %.1f ms",
	         err->message[0] ? err->message : "the driver gave no message",
	         err->sqlstate[0] ? "; SQLSTATE " : "", err->sqlstate, elapsed_ms);

	vigil_finding *f = host->finding_add(ctx, kind->code, VIGIL_PLUGIN_ERROR, message);
	host->finding_set_detail(f, detail);
	host->finding_set_hint(f, hint);
	host->finding_set_evidence(f, "a working connection", kind->actual);
}

/* A round trip on an open connection failed (VG510). */
static void report_round_trip_failure(vigil_check_ctx *ctx, const vigil_host *host,
                                      const char *what, const vigil_db_error *err)
{
	char message[512];
	snprintf(message, sizeof message, "database %s: connected, but %s failed",
	         host->database_name(ctx), what);
	char detail[700];
	snprintf(detail, sizeof detail, "%s%s%s", err->message[0] ? err->message : "no message",
	         err->sqlstate[0] ? "; SQLSTATE " : "", err->sqlstate);
	vigil_finding *f = host->finding_add(ctx, "VG510", VIGIL_PLUGIN_ERROR, message);
	host->finding_set_detail(f, detail);
	host->finding_set_hint(f, "the connection is unstable or the server stops sessions right "
	                          "after login: see the server's log (resource limits, a proxy, "
	                          "a crashing server)");
	host->finding_set_evidence(f, "a working round trip", "failed");
}

/* ---------------------------------------------------------------- the facts */

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* "PostgreSQL 15.8", "MariaDB 10.11.19", "MySQL 8.0.36", "SQLite 3.40.1". */
static void describe_server(char *out, size_t size, const char *type, const char *version)
{
	const char *product = type;
	if (strcmp(type, "postgresql") == 0)
		product = "PostgreSQL";
	else if (is_sqlite(type))
		product = "SQLite";
	else if (strcmp(type, "mysql") == 0)
		product = strstr(version, "MariaDB") ? "MariaDB" : "MySQL";
	size_t length = strlen(version);
	const char *suffix = strstr(version, "-MariaDB");
	if (suffix)
		length = (size_t)(suffix - version);
	snprintf(out, size, "%s %.*s", product, (int)length, version);
}

/* Pings the session PING_COUNT times: median and maximum into the metrics. */
static int measure_round_trips(vigil_check_ctx *ctx, const vigil_host *host,
                               vigil_db_session *session, vigil_db_error *err)
{
	double rtt[PING_COUNT];
	size_t done = 0;
	for (; done < PING_COUNT && !host->cancelled(ctx); done++) {
		double start = now_ms();
		if (host->db_ping(session, err) != 0)
			return -1;
		rtt[done] = now_ms() - start;
	}
	if (done == 0)
		return 0;
	qsort(rtt, done, sizeof rtt[0], compare_doubles);
	host->set_metric(ctx, "rtt_ms", rtt[done / 2], "ms");
	host->set_metric(ctx, "rtt_max_ms", rtt[done - 1], "ms");
	return 0;
}

/* After a good connect: round trips, version, session facts, the TLS requirement. Returns
 * the number of error findings added. */
static int inspect_session(vigil_check_ctx *ctx, const vigil_host *host,
                           vigil_db_session *session)
{
	const char *name = host->database_name(ctx);
	const char *type = host->database_type(ctx);
	vigil_db_error err = { 0 };

	if (measure_round_trips(ctx, host, session, &err) != 0) {
		report_round_trip_failure(ctx, host, "a ping (SELECT 1)", &err);
		return 1;
	}
	char version[128] = "";
	if (host->db_server_version(session, version, sizeof version, &err) != 0) {
		report_round_trip_failure(ctx, host, "reading the server version", &err);
		return 1;
	}
	char user[128] = "", database[512] = "";
	int tls = 0;
	if (host->db_session_info(session, user, sizeof user, database, sizeof database, &tls,
	                          &err) != 0) {
		report_round_trip_failure(ctx, host, "reading the session (user, database, TLS)",
		                          &err);
		return 1;
	}
	host->set_metric(ctx, "tls", tls ? 1 : 0, NULL);

	char server[200];
	describe_server(server, sizeof server, type, version);
	/* What was reached goes into the report as an info finding, so evaluators see it. */
	char reached[1024];
	if (is_sqlite(type))
		snprintf(reached, sizeof reached, "connected to %s, file %s (no users, no TLS)",
		         server, database);
	else
		snprintf(reached, sizeof reached, "connected to %s as %s on database %s, TLS %s",
		         server, user[0] ? user : "(unknown user)", database, tls ? "on" : "off");
	host->log(ctx, VIGIL_PLUGIN_INFO, "%s", reached);
	host->finding_add(ctx, "VG500", VIGIL_PLUGIN_INFO, reached);

	if (!tls && config_true(host->config_get(ctx, "ssl_required"))) {
		if (is_sqlite(type)) {
			/* A file has no transport to encrypt: nothing to enforce. */
			host->log(ctx, VIGIL_PLUGIN_WARNING,
			          "ssl_required is set for SQLite database %s, which has no TLS", name);
			return 0;
		}
		char message[300];
		snprintf(message, sizeof message,
		         "database %s requires TLS (ssl_required: true) but the connection does not "
		         "use it", name);
		char detail[1024];
		snprintf(detail, sizeof detail, "connected to %s as %s on database %s without TLS",
		         server, user[0] ? user : "(unknown user)", database);
		vigil_finding *f = host->finding_add(ctx, "VG509", VIGIL_PLUGIN_ERROR, message);
		host->finding_set_detail(f, detail);
		host->finding_set_hint(f, "add sslmode=require (or verify-full) to the database's url "
		                          "and enable TLS on the server");
		host->finding_set_object(f, NULL, "ssl_required");
		host->finding_set_evidence(f, "TLS on", "TLS off");
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- the check */

static int run_preflight(vigil_check_ctx *ctx, const vigil_host *host)
{
	if (!VIGIL_HOST_HAS(host, db_pool_stats) || !host->db_acquire || !host->db_ping ||
	    !host->db_server_version || !host->db_session_info || !host->db_release) {
		host->set_status(ctx, VIGIL_CHECK_ERROR,
		                 "the host offers no database access (ABI 1.2 functions missing)");
		return -1;
	}
	vigil_pool_stats before = { .size = sizeof before };
	if (host->db_pool_stats)
		host->db_pool_stats(ctx, &before);

	vigil_db_session *session = NULL;
	vigil_db_error err = { 0 };
	double start = now_ms();
	int rc = host->db_acquire(ctx, &session, &err);
	double connect_ms = now_ms() - start;
	if (rc != 0 || !session) {
		report_connect_failure(ctx, host, &err, connect_ms);
		host->set_status(ctx, VIGIL_CHECK_FAILED, NULL);
		return 0;
	}
	host->set_metric(ctx, "connect_ms", connect_ms, "ms");
	if (host->db_pool_stats) {
		vigil_pool_stats after = { .size = sizeof after };
		host->db_pool_stats(ctx, &after);
		if (after.created == before.created)
			host->log(ctx, VIGIL_PLUGIN_INFO,
			          "the pool handed out an open connection: connect_ms is the acquire "
			          "time, not a fresh connect");
	}

	int errors = inspect_session(ctx, host, session);
	host->db_release(session, errors != 0);
	host->set_status(ctx, errors ? VIGIL_CHECK_FAILED : VIGIL_CHECK_PASSED, NULL);
	return 0;
}

static const vigil_check_def preflight_checks[] = {
	{ "preflight",
	  "connects to the database, times the connect and round trips, reads version, user "
	  "and TLS",
	  NULL,
	  run_preflight,
	  NULL,
	  { 0 } },
};

VIGIL_PLUGIN_DEFINE(preflight, VIGIL_IN_TREE_VERSION,
                    "database preflight: connectivity, latency, server and session facts",
                    VIGIL_PLUGIN_CHECK, 3, preflight_checks, VIGIL_COUNT_OF(preflight_checks),
                    NULL, NULL)
