/* heal_files.c — what healing writes to disk: names, atomic files, the journal. See heal.h. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fchmod, fsync, gmtime_r */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "heal.h"
#include "write_all.h"

void vg_heal_text_add(vg_heal_text *t, const char *fmt, ...)
{
	if (t->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->failed = 1;
		return;
	}
	if (t->length + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1024;
		while (cap < t->length + (size_t)n + 1)
			cap *= 2;
		char *grown = realloc(t->data, cap);
		if (!grown) {
			t->failed = 1;
			return;
		}
		t->data = grown;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->data + t->length, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->length += (size_t)n;
}

void vg_heal_text_free(vg_heal_text *t)
{
	free(t->data);
	memset(t, 0, sizeof *t);
}

/* A name part safe in a file name: letters, digits, '_', '-', '.'; the rest becomes '_'. */
static void append_safe(char *out, size_t *n, const char *name)
{
	for (const char *p = name; *p; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		         c == '_' || c == '-' || (c == '.' && p != name);
		out[(*n)++] = ok ? c : '_';
	}
}

const char *vg_heal_file_name(vg_arena *arena, const char *dir, const char *system,
                              const char *database, const char *suffix)
{
	if (!system || !*system)
		system = "blueprint";
	size_t size = strlen(dir) + strlen(system) + strlen(database) + strlen(suffix) + 4;
	char *out = vg_arena_alloc(arena, size);
	if (!out)
		return NULL;
	size_t n = 0;
	if (strcmp(dir, ".") != 0) {
		memcpy(out, dir, strlen(dir));
		n = strlen(dir);
		if (n > 0 && out[n - 1] != '/')
			out[n++] = '/';
	}
	append_safe(out, &n, system);
	out[n++] = '.';
	append_safe(out, &n, database);
	memcpy(out + n, suffix, strlen(suffix) + 1);
	return out;
}

int vg_heal_write_file(const char *path, const char *text, char *error, size_t error_size)
{
	const char *slash = strrchr(path, '/');
	size_t folder = slash ? (size_t)(slash - path) + 1 : 0;
	size_t size = strlen(path) + sizeof "..XXXXXX";
	char *temporary = malloc(size);
	if (!temporary) {
		snprintf(error, error_size, "cannot write '%s': out of memory", path);
		return -1;
	}
	snprintf(temporary, size, "%.*s.%s.XXXXXX", (int)folder, path, path + folder);
	int fd = mkstemp(temporary);
	if (fd < 0) {
		snprintf(error, error_size, "cannot write '%s': %s", path, strerror(errno));
		free(temporary);
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	int rc = vg_write_all(fd, text, strlen(text));
	if (rc == 0 && fsync(fd) != 0)
		rc = -1;
	int saved = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(temporary, path) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		snprintf(error, error_size, "cannot write '%s': %s", path, strerror(saved));
		unlink(temporary);
	}
	free(temporary);
	return rc;
}

void vg_heal_timestamp(char *buf, size_t size)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char base[32];
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03ldZ", base, ts.tv_nsec / 1000000L);
}

int vg_heal_journal_line(int fd, const char *line)
{
	if (vg_write_all(fd, line, strlen(line)) != 0)
		return -1;
	if (write(fd, "\n", 1) != 1)
		return -1;
	return fsync(fd) == 0 ? 0 : -1;
}

const char *vg_heal_one_line(vg_arena *arena, const char *sql)
{
	char *out = vg_arena_alloc(arena, strlen(sql) + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	int blank = 0;
	for (const char *p = sql; *p; p++) {
		int space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
		if (space) {
			blank = n > 0;
			continue;
		}
		if (blank)
			out[n++] = ' ';
		blank = 0;
		out[n++] = *p;
	}
	out[n] = '\0';
	return out;
}
