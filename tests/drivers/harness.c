/* harness.c — see harness.h. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void report(conf *c, int ok, const char *name, const char *fmt, va_list ap)
{
	char why[1024] = "";
	if (fmt)
		vsnprintf(why, sizeof why, fmt, ap);
	conf_message(c, why);
	if (ok) {
		c->passed++;
		printf("ok %s %s%s%s\n", name, c->db_name, why[0] ? ": " : "", why);
	} else {
		c->failed++;
		printf("FAIL %s %s: %s\n", name, c->db_name, why[0] ? why : "(no reason given)");
	}
	fflush(stdout);
}

void conf_ok(conf *c, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, 1, name, fmt, ap);
	va_end(ap);
}

void conf_fail(conf *c, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, 0, name, fmt, ap);
	va_end(ap);
}

int conf_check(conf *c, const char *name, int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, ok, name, ok ? NULL : fmt, ap);
	va_end(ap);
	return ok;
}

void conf_message(conf *c, const char *message)
{
	if (!message || !*message)
		return;
	if (c->message_count == c->message_cap) {
		size_t cap = c->message_cap ? c->message_cap * 2 : 64;
		char **grown = realloc(c->messages, cap * sizeof *grown);
		if (!grown)
			return;
		c->messages = grown;
		c->message_cap = cap;
	}
	char *copy = strdup(message);
	if (copy)
		c->messages[c->message_count++] = copy;
}

const char *conf_err(conf *c, const vigil_db_error *err)
{
	conf_message(c, err->message);
	return err->message;
}

void conf_add_secret(conf *c, const char *secret)
{
	if (secret && *secret && c->secret_count < sizeof c->secrets / sizeof c->secrets[0])
		c->secrets[c->secret_count++] = secret;
}

const char *conf_leak(const conf *c)
{
	for (size_t i = 0; i < c->message_count; i++)
		for (size_t k = 0; k < c->secret_count; k++)
			if (strstr(c->messages[i], c->secrets[k]))
				return c->messages[i];
	return NULL;
}

void conf_free(conf *c)
{
	for (size_t i = 0; i < c->message_count; i++)
		free(c->messages[i]);
	free(c->messages);
	c->messages = NULL;
	c->message_count = c->message_cap = 0;
}

double conf_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static char *encode(vg_arena *arena, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = vg_arena_alloc(arena, strlen(s) * 3 + 1);
	char *w = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			*w++ = (char)*p;
		} else {
			*w++ = '%';
			*w++ = hex[*p >> 4];
			*w++ = hex[*p & 15];
		}
	}
	*w = '\0';
	return out;
}

char *conf_url(vg_arena *arena, const char *scheme, const char *user, const char *password,
               const char *host, int port, const char *database, const char *query)
{
	char portbuf[16] = "";
	if (port > 0)
		snprintf(portbuf, sizeof portbuf, ":%d", port);
	return vg_arena_printf(arena, "%s://%s%s%s%s%s%s/%s%s%s", scheme,
	                       user ? encode(arena, user) : "", password ? ":" : "",
	                       password ? encode(arena, password) : "", user ? "@" : "",
	                       host ? host : "", portbuf, database ? encode(arena, database) : "",
	                       query ? "?" : "", query ? query : "");
}
