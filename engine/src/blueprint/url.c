/*
 * url.c — database URL parsing and redaction (see url.h).
 *
 * Errors name a position and say what is wrong there, never quoting the text: a URL may
 * hold a password, and an error message travels into reports.
 */
#include "url.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct parser {
	vg_arena *arena;
	const char *text;
	vg_url *url;
	vg_url_error *err;
} parser;

static int fail(parser *p, size_t position, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parser *p, size_t position, const char *fmt, ...)
{
	if (p->err) {
		va_list ap;
		va_start(ap, fmt);
		p->err->position = position;
		vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes text[from, to) into the arena; what names the part for the error. */
static int decode(parser *p, size_t from, size_t to, const char *what, const char **out)
{
	char *s = vg_arena_alloc(p->arena, to - from + 1);
	if (!s)
		return fail(p, from, "out of memory");
	size_t k = 0;
	for (size_t i = from; i < to; i++) {
		char c = p->text[i];
		if (c == '%') {
			int hi = i + 1 < to ? hex_value(p->text[i + 1]) : -1;
			int lo = i + 2 < to ? hex_value(p->text[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return fail(p, i, "invalid percent-encoding in the %s ('%%' must be followed by two hex digits)", what);
			if (hi == 0 && lo == 0)
				return fail(p, i, "the %s contains an encoded NUL (%%00)", what);
			s[k++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			s[k++] = c;
		}
	}
	s[k] = '\0';
	*out = s;
	return 0;
}

static size_t find_char(const char *text, size_t from, size_t to, const char *set)
{
	for (size_t i = from; i < to; i++)
		if (strchr(set, text[i]))
			return i;
	return to;
}

vg_db_type vg_url_scheme_type(const char *scheme)
{
	if (!scheme)
		return VG_DB_UNKNOWN;
	size_t n = strcspn(scheme, "+");
	static const struct {
		const char *name;
		vg_db_type type;
	} schemes[] = {
		{ "sqlite", VG_DB_SQLITE },       { "sqlite3", VG_DB_SQLITE },
		{ "postgresql", VG_DB_POSTGRESQL }, { "postgres", VG_DB_POSTGRESQL },
		{ "pgsql", VG_DB_POSTGRESQL },    { "mysql", VG_DB_MYSQL },
		{ "mariadb", VG_DB_MYSQL },
	};
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strlen(schemes[i].name) == n && strncasecmp(scheme, schemes[i].name, n) == 0)
			return schemes[i].type;
	return VG_DB_UNKNOWN;
}

/* Query parameters text[from, to): k=v pairs separated by '&'. */
static int parse_query(parser *p, size_t from, size_t to)
{
	size_t count = 0;
	for (size_t i = from; i <= to; i++)
		if (i == to || p->text[i] == '&')
			count++;
	vg_url_param *params = vg_arena_array(p->arena, count, sizeof *params);
	if (!params)
		return fail(p, from, "out of memory");
	size_t n = 0;
	for (size_t start = from; start <= to;) {
		size_t end = find_char(p->text, start, to, "&");
		if (end > start) {
			size_t eq = find_char(p->text, start, end, "=");
			if (eq == start)
				return fail(p, start, "a query parameter has no name before '='");
			if (decode(p, start, eq, "query parameter name", &params[n].key) != 0)
				return -1;
			if (eq < end) {
				if (decode(p, eq + 1, end, "query parameter value", &params[n].value) != 0)
					return -1;
			} else {
				params[n].value = "";
			}
			n++;
		}
		start = end + 1;
	}
	p->url->params = params;
	p->url->param_count = n;
	return 0;
}

/* sqlite::memory:, sqlite://, sqlite:///relative.db, sqlite:////absolute.db */
static int parse_sqlite(parser *p, size_t at, size_t end)
{
	const char *t = p->text;
	size_t query = find_char(t, at, end, "?");
	if (query - at == 8 && strncmp(t + at, ":memory:", 8) == 0) {
		p->url->memory = 1;
	} else if (end - at >= 2 && t[at] == '/' && t[at + 1] == '/') {
		size_t authority = at + 2;
		size_t slash = find_char(t, authority, query, "/");
		if (slash > authority)
			return fail(p, authority, "a SQLite URL names no host: write sqlite:///relative/file.db or sqlite:////absolute/file.db");
		if (slash == query) {
			p->url->memory = 1; /* sqlite:// is an in-memory database, as in SQLAlchemy */
		} else if (slash + 1 == query) {
			return fail(p, slash + 1, "no database file after sqlite:/// (use sqlite::memory: for an in-memory database)");
		} else {
			const char *path;
			if (decode(p, slash + 1, query, "file path", &path) != 0)
				return -1;
			if (strcmp(path, ":memory:") == 0)
				p->url->memory = 1;
			else
				p->url->path = path;
		}
	} else {
		return fail(p, at, "expected sqlite:///relative/file.db, sqlite:////absolute/file.db or sqlite::memory: after the scheme");
	}
	return query < end ? parse_query(p, query + 1, end) : 0;
}

static int parse_port(parser *p, size_t from, size_t to)
{
	if (from == to)
		return fail(p, from, "the port is empty");
	long value = 0;
	for (size_t i = from; i < to; i++) {
		if (!isdigit((unsigned char)p->text[i]))
			return fail(p, from, "port is not a number");
		if (value <= 65535)
			value = value * 10 + (p->text[i] - '0');
	}
	if (value < 1 || value > 65535)
		return fail(p, from, "port is out of range (1..65535)");
	p->url->port = (int)value;
	return 0;
}

static int host_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_' || c == '%';
}

/* host[:port] or [ipv6][:port] in text[from, to). */
static int parse_host_port(parser *p, size_t from, size_t to)
{
	const char *t = p->text;
	size_t host_end, port_at = to;
	if (from < to && t[from] == '[') {
		size_t close = find_char(t, from, to, "]");
		if (close == to)
			return fail(p, from, "an IPv6 address is not closed with ']'");
		for (size_t i = from + 1; i < close; i++)
			if (!isxdigit((unsigned char)t[i]) && t[i] != ':' && t[i] != '.' && t[i] != '%')
				return fail(p, i, "unexpected character in an IPv6 address");
		if (close == from + 1)
			return fail(p, from, "the IPv6 address between '[' and ']' is empty");
		if (close + 1 < to && t[close + 1] != ':')
			return fail(p, close + 1, "unexpected character after the IPv6 address (expected ':port')");
		if (decode(p, from + 1, close, "host", &p->url->host) != 0)
			return -1;
		if (close + 1 < to)
			port_at = close + 2;
		else
			port_at = to + 1;
	} else {
		host_end = find_char(t, from, to, ":");
		for (size_t i = from; i < host_end; i++) {
			if (t[i] == ',')
				return fail(p, i, "several hosts are not supported: name one host");
			if (!host_char_ok(t[i]))
				return fail(p, i, "unexpected character in the host name");
		}
		if (host_end < to && find_char(t, host_end + 1, to, ":") < to)
			return fail(p, from, "an IPv6 address must be written in brackets, e.g. [::1]");
		if (host_end > from && decode(p, from, host_end, "host", &p->url->host) != 0)
			return -1;
		port_at = host_end < to ? host_end + 1 : to + 1;
	}
	if (port_at <= to)
		return parse_port(p, port_at, to);
	return 0;
}

/* text[from, to) is "host:digits" or has no ':': an authority without user info. */
static int looks_like_port(const char *text, size_t from, size_t to)
{
	size_t colon = find_char(text, from, to, ":");
	if (colon == to)
		return 1;
	for (size_t i = colon + 1; i < to; i++)
		if (!isdigit((unsigned char)text[i]))
			return 0;
	return 1;
}

/* scheme://[user[:password]@][host][:port][/database][?query] */
static int parse_server(parser *p, size_t at, size_t end)
{
	const char *t = p->text;
	if (end - at < 2 || t[at] != '/' || t[at + 1] != '/')
		return fail(p, at, "expected '//' after the scheme (e.g. postgresql://host/db)");
	size_t authority = at + 2;
	size_t authority_end = find_char(t, authority, end, "/?#");
	size_t at_sign = authority_end;
	for (size_t i = authority; i < authority_end; i++)
		if (t[i] == '@')
			at_sign = i;
	if (at_sign == authority_end && authority_end < end &&
	    find_char(t, authority_end, end, "@") < end && !looks_like_port(t, authority, authority_end))
		return fail(p, authority_end,
		            "the user or password seems to contain '%c' unencoded: percent-encode it (%s)",
		            t[authority_end],
		            t[authority_end] == '/' ? "%2F" : t[authority_end] == '?' ? "%3F" : "%23");
	size_t host_from = authority;
	if (at_sign < authority_end) {
		size_t colon = find_char(t, authority, at_sign, ":");
		if (colon > authority && decode(p, authority, colon, "user name", &p->url->user) != 0)
			return -1;
		if (colon < at_sign && decode(p, colon + 1, at_sign, "password", &p->url->password) != 0)
			return -1;
		host_from = at_sign + 1;
	}
	if (parse_host_port(p, host_from, authority_end) != 0)
		return -1;
	if (authority_end < end && t[authority_end] == '#')
		return fail(p, authority_end, "a database URL has no fragment: percent-encode '#' as %%23");
	size_t query = find_char(t, authority_end, end, "?");
	size_t hash = find_char(t, authority_end, end, "#");
	if (hash < end)
		return fail(p, hash, "a database URL has no fragment: percent-encode '#' as %%23");
	if (authority_end < end && t[authority_end] == '/') {
		size_t name_end = query;
		size_t slash = find_char(t, authority_end + 1, name_end, "/");
		if (slash < name_end)
			return fail(p, slash, "unexpected '/' in the database name (percent-encode it as %%2F)");
		if (name_end > authority_end + 1 &&
		    decode(p, authority_end + 1, name_end, "database name", &p->url->database) != 0)
			return -1;
	}
	if (query < end && parse_query(p, query + 1, end) != 0)
		return -1;

	vg_url *u = p->url;
	if (u->type == VG_DB_POSTGRESQL) {
		const char *host_param = vg_url_param_get(u, "host");
		if (u->host && u->host[0] == '/')
			u->socket = u->host;
		if (host_param && host_param[0] == '/')
			u->socket = host_param;
	} else if (u->type == VG_DB_MYSQL) {
		const char *sock = vg_url_param_get(u, "unix_socket");
		u->socket = sock ? sock : vg_url_param_get(u, "socket");
	}
	return 0;
}

int vg_url_parse(vg_url **out, vg_arena *arena, const char *text, vg_url_error *err)
{
	*out = NULL;
	parser p = { arena, text, NULL, err };
	if (err) {
		err->position = 0;
		err->message[0] = '\0';
	}
	if (!text || !*text)
		return fail(&p, 0, "the URL is empty");
	size_t end = strlen(text);
	for (size_t i = 0; i < end; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == ' ' || c == '\t')
			return fail(&p, i, "the URL contains a space (percent-encode it as %%20)");
		if (c < 0x20 || c == 0x7f)
			return fail(&p, i, "the URL contains a control character");
	}
	size_t colon = 0;
	while (colon < end && (isalnum((unsigned char)text[colon]) || text[colon] == '+' ||
	                       text[colon] == '-' || text[colon] == '.'))
		colon++;
	if (colon == 0 || colon == end || text[colon] != ':' || !isalpha((unsigned char)text[0]))
		return fail(&p, 0, "no scheme: a database URL starts with sqlite://, postgresql:// or mysql://");
	p.url = vg_arena_alloc(arena, sizeof *p.url);
	char *scheme = vg_arena_strndup(arena, text, colon);
	if (!p.url || !scheme)
		return fail(&p, 0, "out of memory");
	for (char *s = scheme; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	char *plus = strchr(scheme, '+');
	if (plus) {
		*plus = '\0';
		if (!plus[1])
			return fail(&p, (size_t)(plus - scheme), "nothing follows '+' in the scheme (expected scheme+driver)");
		p.url->driver = plus + 1;
	}
	p.url->scheme = scheme;
	p.url->type = vg_url_scheme_type(scheme);
	if (p.url->type == VG_DB_UNKNOWN)
		return fail(&p, 0, "unknown scheme: expected sqlite, postgresql (postgres) or mysql (mariadb)");
	int rc = p.url->type == VG_DB_SQLITE ? parse_sqlite(&p, colon + 1, end)
	                                     : parse_server(&p, colon + 1, end);
	if (rc != 0)
		return -1;
	*out = p.url;
	return 0;
}

const char *vg_url_param_get(const vg_url *url, const char *key)
{
	const char *value = NULL;
	for (size_t i = 0; url && i < url->param_count; i++)
		if (strcmp(url->params[i].key, key) == 0)
			value = url->params[i].value;
	return value;
}

int vg_url_password_span(const char *text, size_t *start, size_t *length)
{
	const char *sep = text ? strstr(text, "://") : NULL;
	if (!sep)
		return 0;
	const char *authority = sep + 3;
	/* The last '@' anywhere after "://": a password with an unencoded '/', '?', '#' or '@'
	 * is still covered whole; a stray '@' later on only hides more than needed. */
	const char *at = strrchr(authority, '@');
	if (!at)
		return 0;
	const char *colon = memchr(authority, ':', (size_t)(at - authority));
	if (!colon)
		return 0;
	*start = (size_t)(colon + 1 - text);
	*length = (size_t)(at - colon - 1);
	return 1;
}

typedef struct span {
	size_t start, length;
} span;

/* A password-like key (case-insensitive) ending right before text[eq] == '='. */
static int is_password_key(const char *text, size_t eq, size_t *key_start)
{
	static const char *const keys[] = { "sslpassword", "password", "passwd", "pass", "pwd" };
	size_t end = eq;
	while (end > 0 && text[end - 1] == ' ')
		end--;
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		size_t n = strlen(keys[k]);
		if (end < n || strncasecmp(text + end - n, keys[k], n) != 0)
			continue;
		size_t s = end - n;
		if (s == 0 || strchr("?&; \t", text[s - 1])) {
			*key_start = s;
			return 1;
		}
	}
	return 0;
}

/* The value after '=' at text[eq]: quoted ('...' with \' escapes, {...}) or up to a separator. */
static size_t param_value_end(const char *text, size_t from)
{
	size_t i = from;
	while (text[i] == ' ')
		i++;
	if (text[i] == '\'') {
		for (i++; text[i] && text[i] != '\''; i++)
			if (text[i] == '\\' && text[i + 1])
				i++;
		return text[i] ? i + 1 : i;
	}
	if (text[i] == '{') {
		const char *close = strchr(text + i, '}');
		return close ? (size_t)(close - text) + 1 : strlen(text);
	}
	while (text[i] && !strchr("&; \t", text[i]))
		i++;
	return i;
}

char *vg_url_redact(vg_arena *arena, const char *text)
{
	if (!text)
		return vg_arena_strdup(arena, "");
	size_t len = strlen(text);
	/* At most one span per '=' plus the user-info password. */
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '=';
	span *spans = vg_arena_array(arena, cap, sizeof *spans);
	if (!spans)
		return NULL;
	size_t n = 0, covered_to = 0;
	size_t s, l;
	if (vg_url_password_span(text, &s, &l) && l > 0) {
		spans[n++] = (span){ s, l };
		covered_to = s + l;
	}
	for (size_t i = 0; i < len; i++) {
		size_t key_start;
		if (text[i] != '=' || !is_password_key(text, i, &key_start))
			continue;
		size_t value_end = param_value_end(text, i + 1);
		if (key_start < covered_to || value_end == i + 1)
			continue; /* inside the user-info password already, or an empty value */
		spans[n++] = (span){ i + 1, value_end - i - 1 };
		covered_to = value_end;
		i = value_end - 1;
	}
	size_t out_len = len + n * 4;
	char *out = vg_arena_alloc(arena, out_len + 1);
	if (!out)
		return NULL;
	size_t k = 0, from = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(out + k, text + from, spans[i].start - from);
		k += spans[i].start - from;
		memcpy(out + k, "****", 4);
		k += 4;
		from = spans[i].start + spans[i].length;
	}
	memcpy(out + k, text + from, len - from);
	k += len - from;
	out[k] = '\0';
	return out;
}

char *vg_url_sqlite_file(vg_arena *arena, const vg_url *url, const char *base_dir)
{
	if (!url || url->type != VG_DB_SQLITE || url->memory || !url->path)
		return NULL;
	if (url->path[0] == '/' || !base_dir || !*base_dir)
		return vg_arena_strdup(arena, url->path);
	size_t n = strlen(base_dir);
	const char *path = url->path;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return vg_arena_printf(arena, "%s%s%s", base_dir, base_dir[n - 1] == '/' ? "" : "/", path);
}
