/* Unit tests of database URL parsing and redaction (engine/src/blueprint/url.c). */
#include <stdio.h>
#include <string.h>

#include "url.h"

#include "check.h"

static vg_url *parse_ok(vg_arena *a, const char *text)
{
	vg_url *u = NULL;
	vg_url_error err;
	if (vg_url_parse(&u, a, text, &err) != 0) {
		fprintf(stderr, "unexpected parse error for %s: at %zu: %s\n", text, err.position,
		        err.message);
		return NULL;
	}
	return u;
}

static void test_sqlite(vg_arena *a)
{
	vg_url *u = parse_ok(a, "sqlite:///relative/path.db");
	CHECK(u && u->type == VG_DB_SQLITE && same(u->path, "relative/path.db") && !u->memory);
	CHECK(u && same(u->scheme, "sqlite") && u->driver == NULL && u->host == NULL);

	u = parse_ok(a, "sqlite:////abs/path.db");
	CHECK(u && same(u->path, "/abs/path.db"));

	u = parse_ok(a, "sqlite::memory:");
	CHECK(u && u->memory && u->path == NULL);
	u = parse_ok(a, "sqlite://");
	CHECK(u && u->memory);
	u = parse_ok(a, "sqlite:///:memory:");
	CHECK(u && u->memory);
	u = parse_ok(a, "sqlite3:///data/my%20file.db?mode=ro");
	CHECK(u && u->type == VG_DB_SQLITE && same(u->path, "data/my file.db"));
	CHECK(u && same(vg_url_param_get(u, "mode"), "ro"));

	CHECK_STR(vg_url_sqlite_file(a, parse_ok(a, "sqlite:///x/t.db"), "/srv/bp"), "/srv/bp/x/t.db");
	CHECK_STR(vg_url_sqlite_file(a, parse_ok(a, "sqlite:///./t.db"), "/srv/bp/"), "/srv/bp/t.db");
	CHECK_STR(vg_url_sqlite_file(a, parse_ok(a, "sqlite:////abs/t.db"), "/srv"), "/abs/t.db");
	CHECK(vg_url_sqlite_file(a, parse_ok(a, "sqlite::memory:"), "/srv") == NULL);
	CHECK(vg_url_sqlite_file(a, parse_ok(a, "postgresql://h/db"), "/srv") == NULL);
}

static void test_postgresql(vg_arena *a)
{
	vg_url *u = parse_ok(a, "postgresql://user:pass@host:5433/db?sslmode=require&connect_timeout=5");
	CHECK(u && u->type == VG_DB_POSTGRESQL && same(u->scheme, "postgresql"));
	CHECK(u && same(u->user, "user") && same(u->password, "pass") && same(u->host, "host"));
	CHECK(u && u->port == 5433 && same(u->database, "db") && u->param_count == 2);
	CHECK(u && same(vg_url_param_get(u, "sslmode"), "require"));
	CHECK(u && same(vg_url_param_get(u, "connect_timeout"), "5"));

	u = parse_ok(a, "postgres://app@localhost/app");
	CHECK(u && u->type == VG_DB_POSTGRESQL && same(u->user, "app") && u->password == NULL);
	CHECK(u && u->port == 0 && same(u->database, "app"));

	/* percent-decoding of user, password, database and query values */
	u = parse_ok(a, "postgresql://us%40er:p%3Ass%2Fw@db.example.com/my%2Ddb?application_name=a%20b");
	CHECK(u && same(u->user, "us@er") && same(u->password, "p:ss/w"));
	CHECK(u && same(u->database, "my-db") && same(vg_url_param_get(u, "application_name"), "a b"));

	/* IPv6 */
	u = parse_ok(a, "postgresql://u:p@[::1]:5432/db");
	CHECK(u && same(u->host, "::1") && u->port == 5432);
	u = parse_ok(a, "postgresql://[2001:db8::7]/db");
	CHECK(u && same(u->host, "2001:db8::7") && u->port == 0);

	/* unix sockets */
	u = parse_ok(a, "postgresql:///app?host=/var/run/postgresql");
	CHECK(u && u->host == NULL && same(u->socket, "/var/run/postgresql") && same(u->database, "app"));
	u = parse_ok(a, "postgresql://%2Ftmp%2Fpg/app");
	CHECK(u && same(u->socket, "/tmp/pg"));

	/* driver suffix, upper-case scheme, no database */
	u = parse_ok(a, "PostgreSQL+psycopg://h:1");
	CHECK(u && same(u->scheme, "postgresql") && same(u->driver, "psycopg") && u->database == NULL);
	u = parse_ok(a, "postgresql://app:${APP_DB_PASSWORD}@127.0.0.1:5432/app");
	CHECK(u && same(u->password, "${APP_DB_PASSWORD}"));
}

static void test_mysql(vg_arena *a)
{
	vg_url *u = parse_ok(a, "mysql://root:secret@127.0.0.1:3306/shop");
	CHECK(u && u->type == VG_DB_MYSQL && u->port == 3306 && same(u->database, "shop"));
	u = parse_ok(a, "mariadb://u@h/db");
	CHECK(u && u->type == VG_DB_MYSQL && same(u->scheme, "mariadb"));
	u = parse_ok(a, "mysql+pymysql://u:p@h:3307/db?charset=utf8mb4");
	CHECK(u && u->type == VG_DB_MYSQL && same(u->driver, "pymysql") && u->port == 3307);
	u = parse_ok(a, "mysql://u@localhost/db?unix_socket=/run/mysqld/mysqld.sock");
	CHECK(u && same(u->socket, "/run/mysqld/mysqld.sock"));
	CHECK(vg_url_scheme_type("mysql+mysqldb") == VG_DB_MYSQL);
	CHECK(vg_url_scheme_type("oracle") == VG_DB_UNKNOWN);
	CHECK(vg_url_scheme_type("postgres") == VG_DB_POSTGRESQL);
}

/* Each bad URL fails at the expected 0-based position, never quoting the URL. */
static void test_errors(vg_arena *a)
{
	static const struct {
		const char *url;
		size_t position;
		const char *needle; /* in the message */
	} cases[] = {
		{ "postgresql://user:pw@host:54x2/db", 26, "port is not a number" },
		{ "postgresql://user:pw@host:70000/db", 26, "out of range" },
		{ "postgresql://user:pw@host:/db", 26, "port is empty" },
		{ "oracle://h/db", 0, "unknown scheme" },
		{ "localhost:5432/db", 0, "unknown scheme" },
		{ "just text", 4, "space" },
		{ "", 0, "empty" },
		{ "host=localhost", 0, "no scheme" },
		{ "postgresql:host/db", 11, "'//'" },
		{ "postgresql://u:p@[::1/db", 17, "not closed" },
		{ "postgresql://u:p@::1/db", 17, "brackets" },
		{ "postgresql://u:p@h/db%zz", 21, "percent-encoding" },
		{ "postgresql://u:p@h/db#frag", 21, "fragment" },
		{ "postgresql://u:p@h/a/b", 20, "'/'" },
		{ "postgresql://u:p@h1,h2/db", 19, "several hosts" },
		{ "postgresql://u:p@h/db?=x", 22, "no name" },
		{ "postgresql://user:pa/ss@host/db", 20, "percent-encode" },
		{ "mysql://u:p@h/db?x=1&x%2", 22, "percent-encoding" },
		{ "sqlite:relative.db", 7, "sqlite:///" },
		{ "sqlite://host/x.db", 9, "no host" },
		{ "sqlite:///", 10, "no database file" },
		{ "mysql+://h/db", 5, "'+'" },
		{ "postgresql://u:p@ho$t/db", 19, "host name" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_url *u = (vg_url *)1;
		vg_url_error err;
		int rc = vg_url_parse(&u, a, cases[i].url, &err);
		int ok = rc == -1 && u == NULL && err.position == cases[i].position &&
		         strstr(err.message, cases[i].needle) != NULL;
		CHECK_MSG(ok, "case %s: rc %d position %zu message \"%s\"", cases[i].url, rc,
		          err.position, err.message);
	}
	/* no password in any error message */
	vg_url *u;
	vg_url_error err;
	CHECK(vg_url_parse(&u, a, "postgresql://app:hunter2@host:bad/db", &err) == -1);
	CHECK(strstr(err.message, "hunter2") == NULL);
	CHECK(vg_url_parse(&u, a, NULL, &err) == -1);
}

static void test_redact(vg_arena *a)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "postgresql://app:s3cret@127.0.0.1:5432/app", "postgresql://app:****@127.0.0.1:5432/app" },
		{ "postgresql://app@127.0.0.1/app", "postgresql://app@127.0.0.1/app" },
		{ "postgresql://127.0.0.1:5432/app", "postgresql://127.0.0.1:5432/app" },
		{ "mysql://u:p@ss@h/db", "mysql://u:****@h/db" },                 /* '@' in the password */
		{ "mysql://u:pa/ss?x@h/db", "mysql://u:****@h/db" },              /* '/' and '?' in it */
		{ "mysql://u:@h/db", "mysql://u:@h/db" },                         /* empty password */
		{ "postgresql://u:${DB_PASSWORD}@h/db", "postgresql://u:****@h/db" },
		{ "postgresql://h/db?user=u&password=topsecret&sslmode=require",
		  "postgresql://h/db?user=u&password=****&sslmode=require" },
		{ "host=localhost user=app password=topsecret dbname=x",
		  "host=localhost user=app password=**** dbname=x" },
		{ "host=localhost password='top secret' dbname=x", "host=localhost password=**** dbname=x" },
		{ "Server=x;Uid=u;Pwd={a;b};Database=d", "Server=x;Uid=u;Pwd=****;Database=d" },
		{ "sqlite:///tasks.db", "sqlite:///tasks.db" },
		{ "sqlite::memory:", "sqlite::memory:" },
		{ "not a url at all: user:pw", "not a url at all: user:pw" },
		{ "weird://u:x:y@h", "weird://u:****@h" },                       /* unparsable, redacted */
		{ "postgresql://u:p@h/db?sslpassword=k", "postgresql://u:****@h/db?sslpassword=****" },
		{ "postgresql://h/db?passwordless=1", "postgresql://h/db?passwordless=1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *r = vg_url_redact(a, cases[i].in);
		CHECK_MSG(same(r, cases[i].out), "redact %s -> %s (want %s)", cases[i].in,
		          r ? r : "(null)", cases[i].out);
	}
	CHECK_STR(vg_url_redact(a, NULL), "");

	size_t start, len;
	CHECK(vg_url_password_span("postgresql://app:s3cret@h/db", &start, &len) == 1 && start == 17 && len == 6);
	CHECK(vg_url_password_span("postgresql://app@h/db", &start, &len) == 0);
	CHECK(vg_url_password_span("sqlite:///x.db", &start, &len) == 0);
}

int main(void)
{
	vg_arena *a = vg_arena_new();
	if (!a)
		return 1;
	test_sqlite(a);
	test_postgresql(a);
	test_mysql(a);
	test_errors(a);
	test_redact(a);
	vg_arena_free(a);
	return CHECK_SUMMARY();
}
