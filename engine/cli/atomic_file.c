/* atomic_file.c — write-to-temporary-then-rename, so a report file is whole or absent. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "vigil/vigil.h"

/* "<folder>/.<name>.XXXXXX": hidden, next to the target so rename stays on one file system. */
static char *temporary_name_for(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t folder_length = slash ? (size_t)(slash - path) + 1 : 0;
	const char *name = slash ? slash + 1 : path;
	size_t size = folder_length + 1 + strlen(name) + sizeof ".XXXXXX";
	char *temporary = malloc(size);

	if (temporary)
		snprintf(temporary, size, "%.*s.%s.XXXXXX", (int)folder_length, path, name);
	return temporary;
}

static void permissions_as_created(int fd)
{
	/* mkstemp makes 0600; a report should get the permissions any new file would. */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
}

/* Sets `error` to "cannot write '<path>'" and the reason: the errno if any, else the
 * library's message for `code`. */
static void describe_failure(char *error, size_t error_size, const char *path, int code,
                             int saved_errno)
{
	snprintf(error, error_size, "cannot write '%s': %s", path,
	         saved_errno ? strerror(saved_errno) : vigil_strerror(code));
}

/* A target that is not a regular file (/dev/null, /dev/stdout, a FIFO) is written in place:
 * renaming a temporary onto it would replace the device or pipe with a file. */
static int write_in_place(const char *path, cli_write_fn write_content, void *payload, char *error,
                          size_t error_size)
{
	FILE *out = fopen(path, "w");
	if (!out) {
		describe_failure(error, error_size, path, VIGIL_EIO, errno);
		return -1;
	}
	errno = 0;
	int rc = write_content(out, payload);
	int saved_errno = errno;
	if (rc == 0 && fflush(out) != 0) {
		rc = VIGIL_EIO;
		saved_errno = errno;
	}
	if (fclose(out) != 0 && rc == 0) {
		rc = VIGIL_EIO;
		saved_errno = errno;
	}
	if (rc != 0)
		describe_failure(error, error_size, path, rc, rc == VIGIL_EIO ? saved_errno : 0);
	return rc == 0 ? 0 : -1;
}

int cli_write_file_atomically(const char *path, cli_write_fn write_content, void *payload,
                              char *error, size_t error_size)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_in_place(path, write_content, payload, error, error_size);
	/* A symbolic link to a file: the file it names is replaced, the link kept. */
	char *resolved = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : NULL;
	if (resolved) {
		int rc = cli_write_file_atomically(resolved, write_content, payload, error,
		                                   error_size);
		free(resolved);
		return rc;
	}
	char *temporary = temporary_name_for(path);
	FILE *out;
	int fd, rc, saved_errno;

	if (!temporary) {
		describe_failure(error, error_size, path, VIGIL_ENOMEM, 0);
		return -1;
	}
	fd = mkstemp(temporary);
	if (fd < 0) {
		describe_failure(error, error_size, path, VIGIL_EIO, errno);
		free(temporary);
		return -1;
	}
	permissions_as_created(fd);
	out = fdopen(fd, "w");
	if (!out) {
		describe_failure(error, error_size, path, VIGIL_EIO, errno);
		close(fd);
		unlink(temporary);
		free(temporary);
		return -1;
	}

	errno = 0;
	rc = write_content(out, payload);
	saved_errno = errno;
	if (rc == 0 && (fflush(out) != 0 || fsync(fileno(out)) != 0)) {
		rc = VIGIL_EIO;
		saved_errno = errno;
	}
	if (fclose(out) != 0 && rc == 0) {
		rc = VIGIL_EIO;
		saved_errno = errno;
	}
	if (rc == 0 && rename(temporary, path) != 0) {
		rc = VIGIL_EIO;
		saved_errno = errno;
	}
	if (rc != 0) {
		describe_failure(error, error_size, path, rc, rc == VIGIL_EIO ? saved_errno : 0);
		unlink(temporary);
	}
	free(temporary);
	return rc == 0 ? 0 : -1;
}
