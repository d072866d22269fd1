/*
 * url.h — database URLs: parsing into parts, and redaction before anything is printed.
 *
 * Accepted forms:
 *   sqlite:///relative/path.db   sqlite:////abs/path.db   sqlite::memory:   sqlite://
 *   postgresql://user:pass@host:port/db?sslmode=require&connect_timeout=5   (also postgres://)
 *   mysql://user:pass@host:port/db   (also mariadb://)
 * A scheme may carry a driver suffix, `scheme+driver` (mysql+pymysql://, postgresql+psycopg://).
 * Hosts may be IPv6 literals in brackets ([::1]); user, password, host, database and query
 * keys/values are percent-decoded. A PostgreSQL unix socket is a host that is a path (a
 * percent-encoded host or `?host=/path`); MySQL's is `?unix_socket=/path` (or `socket`).
 *
 * A URL may hold a password. Never print a URL, a password or a parsed part that came from
 * one without going through vg_url_redact(); parse errors never quote the URL's text.
 */
#ifndef VG_URL_H
#define VG_URL_H

#include <stddef.h>

#include "arena.h"
#include "blueprint.h"

typedef struct vg_url_param {
	const char *key;            /* decoded */
	const char *value;          /* decoded; "" when the parameter has no '=' */
} vg_url_param;

typedef struct vg_url {
	const char *scheme;         /* lower-cased, without the driver: "postgres", "mysql", ... */
	const char *driver;         /* the `+driver` suffix, lower-cased, or NULL */
	vg_db_type type;            /* what the scheme means */
	const char *user;           /* decoded, or NULL */
	const char *password;       /* decoded, or NULL: a secret, never print it */
	const char *host;           /* decoded, brackets removed from IPv6; NULL when absent */
	int port;                   /* 1..65535, or 0 when absent */
	const char *database;       /* decoded database name (server URLs), or NULL */
	const char *path;           /* sqlite: the file path as written after the authority,
	                               decoded ("relative/x.db" or "/abs/x.db"); NULL for memory */
	int memory;                 /* sqlite in-memory database */
	const char *socket;         /* unix socket path (postgres host path or ?host=, mysql
	                               ?unix_socket=), or NULL */
	vg_url_param *params;       /* query parameters in order */
	size_t param_count;
} vg_url;

/** Why a URL did not parse: a 0-based offset into the text and a message without URL text. */
typedef struct vg_url_error {
	size_t position;
	char message[160];
} vg_url_error;

/**
 * Parses `text` into `*out` (allocated from `arena`). Returns 0, or -1 with `err` filled
 * (`*out` is then NULL). The error message never contains any part of the text.
 */
int vg_url_parse(vg_url **out, vg_arena *arena, const char *text, vg_url_error *err);

/** The decoded value of query parameter `key` (case-sensitive; the last one wins), or NULL. */
const char *vg_url_param_get(const vg_url *url, const char *key);

/** The database type a scheme names ("postgres", "mysql+pymysql", ...); VG_DB_UNKNOWN if none. */
vg_db_type vg_url_scheme_type(const char *scheme);

/**
 * The URL with every password replaced by `****`: the user-info password (anything between
 * "://user:" and the last '@' of the authority, so even an unparsable URL is covered) and the
 * value of password-like parameters (`password=`, `pass=`, `pwd=`, `sslpassword=`, in a query
 * or a libpq/ODBC key=value string). THE function to use before printing any URL.
 * Returns an arena string ("" for NULL text; NULL only when memory runs out).
 */
char *vg_url_redact(vg_arena *arena, const char *text);

/**
 * Where the user-info password of `text` is: sets `*start` and `*length` (0-based byte
 * offset and length, as written, not decoded) and returns 1, or returns 0 when the URL has
 * no password part. Works on unparsable text, like vg_url_redact().
 */
int vg_url_password_span(const char *text, size_t *start, size_t *length);

/**
 * The absolute path of a SQLite URL's file: `url->path` resolved against `base_dir` when
 * relative (base_dir NULL or "": the current directory, left relative). NULL for in-memory
 * databases, non-SQLite URLs, or when memory runs out.
 */
char *vg_url_sqlite_file(vg_arena *arena, const vg_url *url, const char *base_dir);

#endif
