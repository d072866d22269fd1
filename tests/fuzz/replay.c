/*
 * replay.c — a standalone driver for the fuzz targets (after SQLite's fuzzcheck and
 * libgit2's standalone fuzzer driver): links with any one target and feeds it every file
 * named on the command line, descending into directories, in sorted order. It needs no
 * libFuzzer, so the corpora run as ordinary tests on every build; a crash, an abort or a
 * sanitizer report (in the sanitizer build) fails the test and names the input.
 *
 *   replay_<target> FILE|DIR...     prints "N passed, 0 failed"
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_target.h"

typedef struct path_list {
	char **items;
	size_t count;
	size_t cap;
} path_list;

static int path_list_add(path_list *list, const char *path)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		char **items = realloc(list->items, cap * sizeof *items);
		if (!items)
			return -1;
		list->items = items;
		list->cap = cap;
	}
	char *copy = strdup(path);
	if (!copy)
		return -1;
	list->items[list->count++] = copy;
	return 0;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under `path` (itself, if it is one); errors are reported and counted. */
static int collect(path_list *list, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return path_list_add(list, path);
	if (!S_ISDIR(st.st_mode))
		return 0;
	DIR *dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.' &&
		    (entry->d_name[1] == '\0' || (entry->d_name[1] == '.' && entry->d_name[2] == '\0')))
			continue;
		size_t n = strlen(path) + strlen(entry->d_name) + 2;
		char *child = malloc(n);
		if (!child) {
			rc = -1;
			break;
		}
		snprintf(child, n, "%s/%s", path, entry->d_name);
		if (collect(list, child) != 0)
			rc = -1;
		free(child);
	}
	closedir(dir);
	return rc;
}

/* The whole file, in a buffer of exactly its size, so overreads are caught by ASan. */
static int read_file(const char *path, unsigned char **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			unsigned char *grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = grown;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		free(buf);
		return -1;
	}
	unsigned char *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, len);
	free(buf);
	*data = exact;
	*size = len;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	path_list list = { 0 };
	size_t failed = 0;
	for (int i = 1; i < argc; i++)
		if (collect(&list, argv[i]) != 0)
			failed++;
	qsort(list.items, list.count, sizeof *list.items, compare_paths);
	size_t passed = 0;
	for (size_t i = 0; i < list.count; i++) {
		unsigned char *data;
		size_t size;
		if (read_file(list.items[i], &data, &size) != 0) {
			fprintf(stderr, "replay: %s: cannot read: %s\n", list.items[i], strerror(errno));
			failed++;
			continue;
		}
		/* Named before running: if the target crashes, the last line says which input. */
		fprintf(stderr, "replay: %s (%zu bytes)\n", list.items[i], size);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		passed++;
	}
	for (size_t i = 0; i < list.count; i++)
		free(list.items[i]);
	free(list.items);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
