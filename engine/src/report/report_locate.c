/*
 * report_locate.c — where a run's findings are, as CI tools want it: each finding's file
 * relative to the project root (the repository), and a fingerprint that stays the same
 * from run to run while the finding does (see report_locate.h).
 */
#define _XOPEN_SOURCE 700
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_locate.h"
#include "sha256.h"

/* Lexically removes "." and "x/.." segments of an absolute path, in place. */
static void normalise_absolute(char *path)
{
	char *out = path;
	const char *in = path;

	while (*in) {
		while (*in == '/')
			in++;
		const char *end = strchr(in, '/');
		size_t n = end ? (size_t)(end - in) : strlen(in);
		if (n == 0)
			break;
		if (n == 1 && in[0] == '.') {
			/* nothing */
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* The absolute form of `path`: resolved through symbolic links when it exists, else joined
 * to the current folder and normalised. NULL when memory runs out or the folder is gone. */
static char *absolute_path(const char *path)
{
	char *resolved = realpath(path, NULL);
	char cwd[PATH_MAX];
	char *joined;
	size_t size;

	if (resolved)
		return resolved;
	if (path[0] == '/') {
		joined = strdup(path);
	} else {
		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		size = strlen(cwd) + strlen(path) + 2;
		joined = malloc(size);
		if (joined)
			snprintf(joined, size, "%s/%s", cwd, path);
	}
	if (joined)
		normalise_absolute(joined);
	return joined;
}

/* The nearest folder from the current one up that holds `.git` (a folder, or the file of
 * a worktree), else the current folder. */
static char *default_root(void)
{
	char *dir = absolute_path(".");
	struct stat st;

	if (!dir)
		return NULL;
	/* dir[0..n) is the folder probed; n == 1 is "/". */
	for (size_t n = strlen(dir);;) {
		size_t size = n + sizeof "/.git";
		char *probe = malloc(size);
		if (!probe)
			break;
		snprintf(probe, size, "%.*s/.git", n == 1 ? 0 : (int)n, dir);
		int found = stat(probe, &st) == 0;
		free(probe);
		if (found) {
			dir[n] = '\0';
			return dir;
		}
		if (n == 1)
			break;
		while (n > 1 && dir[n - 1] != '/')
			n--;
		if (n > 1)
			n--; /* the parent, without its trailing '/' */
	}
	free(dir);
	return absolute_path(".");
}

/* `file` relative to `root` ('/'-separated), or its absolute path when it is outside. */
static const char *relative_uri(vg_arena *arena, const char *root, const char *file)
{
	char *absolute = absolute_path(file);
	size_t n = strlen(root);
	const char *uri;

	if (!absolute)
		return vg_arena_strdup(arena, file);
	if (strcmp(root, "/") == 0)
		uri = vg_arena_strdup(arena, absolute + 1);
	else if (strncmp(absolute, root, n) == 0 && absolute[n] == '/' && absolute[n + 1])
		uri = vg_arena_strdup(arena, absolute + n + 1);
	else
		uri = vg_arena_strdup(arena, absolute);
	free(absolute);
	return uri;
}

/* Hashes `message` with every "line N" made "line #" and every absolute path made its last
 * component: line numbers move with edits above them, and a path outside the repository
 * (a temporary folder, a checkout elsewhere) differs from machine to machine, while the
 * finding stays the same finding. */
static void hash_message(vg_sha256 *hash, const char *message)
{
	const char *p = message ? message : "";
	const char *start = p;

	while (*p) {
		if (strncmp(p, "line ", 5) == 0 && p[5] >= '0' && p[5] <= '9') {
			vg_sha256_update(hash, "line #", 6);
			p += 5;
			while (*p >= '0' && *p <= '9')
				p++;
			continue;
		}
		if (*p == '/' && (p == start || strchr(" ('\"`=", p[-1]))) {
			size_t n = strcspn(p, " \t\n)'\"`,;");
			const char *last = p;
			for (size_t i = 0; i < n; i++)
				if (p[i] == '/' && i + 1 < n)
					last = p + i + 1;
			vg_sha256_update(hash, "<path>/", 7);
			vg_sha256_update(hash, last, (size_t)(p + n - last));
			p += n;
			continue;
		}
		vg_sha256_update(hash, p, 1);
		p++;
	}
}

static void hash_field(vg_sha256 *hash, const char *text)
{
	if (text)
		vg_sha256_update(hash, text, strlen(text));
	vg_sha256_update(hash, "\n", 1);
}

/* The part of a finding that identifies it across runs, hashed: code, file (relative to
 * the root; only its name when outside), database, object, message. */
static void base_digest(const vigil_finding *f, unsigned char digest[32])
{
	vg_sha256 hash;
	const char *file = f->uri;

	if (file && file[0] == '/') {
		const char *slash = strrchr(file, '/');
		file = slash + 1;
	}
	vg_sha256_init(&hash);
	hash_field(&hash, "vigil-finding/1");
	hash_field(&hash, f->code);
	hash_field(&hash, file);
	hash_field(&hash, f->database);
	hash_field(&hash, f->object);
	hash_message(&hash, f->message);
	vg_sha256_final(&hash, digest);
}

static void to_hex(const unsigned char *bytes, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

int vg_report_set_root(vigil_report *r, const char *root)
{
	char *owned = root ? absolute_path(root) : default_root();

	if (!owned)
		return VIGIL_ENOMEM;
	r->root = vg_arena_strdup(r->arena, owned);
	free(owned);
	return r->root ? VIGIL_OK : VIGIL_ENOMEM;
}

int vg_locate_findings(vigil_report *r, vigil_finding **findings, size_t n)
{
	const char *last_file = NULL, *last_uri = NULL;
	unsigned char(*digests)[32] = NULL;

	if (n == 0)
		return VIGIL_OK;
	if (!r->root && vg_report_set_root(r, NULL) != VIGIL_OK)
		return VIGIL_ENOMEM;
	digests = calloc(n, sizeof *digests);
	if (!digests)
		return VIGIL_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		vigil_finding *f = findings[i];
		if (f->file && f->file == last_file) {
			f->uri = last_uri;
		} else if (f->file) {
			f->uri = relative_uri(r->arena, r->root, f->file);
			if (!f->uri)
				goto out_of_memory;
			last_file = f->file;
			last_uri = f->uri;
		}
		base_digest(f, digests[i]);
		/* The k-th finding alike (same code, file, object, message) in report order gets
		 * k in its hash, so twins differ and each keeps its fingerprint. */
		unsigned occurrence = 0;
		for (size_t j = 0; j < i; j++)
			occurrence += memcmp(digests[j], digests[i], 32) == 0;
		unsigned char digest[32];
		memcpy(digest, digests[i], 32);
		if (occurrence) {
			char suffix[16];
			vg_sha256 hash;
			snprintf(suffix, sizeof suffix, "#%u", occurrence);
			vg_sha256_init(&hash);
			vg_sha256_update(&hash, digests[i], 32);
			vg_sha256_update(&hash, suffix, strlen(suffix));
			vg_sha256_final(&hash, digest);
		}
		char *hex = vg_arena_alloc(r->arena, 2 * VG_FINGERPRINT_BYTES + 1);
		if (!hex)
			goto out_of_memory;
		to_hex(digest, VG_FINGERPRINT_BYTES, hex);
		f->fingerprint = hex;
	}
	free(digests);
	return VIGIL_OK;
out_of_memory:
	free(digests);
	return VIGIL_ENOMEM;
}

int vg_report_locate(vigil_report *r)
{
	return vg_locate_findings(r, r->findings, r->finding_count);
}

const char *vigil_report_project_root(const vigil_report *report)
{
	return report ? report->root : NULL;
}

const char *vigil_finding_uri(const vigil_finding *f)
{
	return f ? f->uri : NULL;
}

const char *vigil_finding_fingerprint(const vigil_finding *f)
{
	return f ? f->fingerprint : NULL;
}
