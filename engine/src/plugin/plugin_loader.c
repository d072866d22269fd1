/* plugin_loader.c — plugins by name from plugin directories: find, dlopen, check, init. */
#define _GNU_SOURCE /* dladdr */

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "plugin_loader.h"

#include "blueprint.h"
#include "run.h"

/* Set by the build (engine/sdk.cmake); the fallbacks keep a bare compile working. */
#ifndef VIGIL_INSTALL_PLUGIN_DIR
#define VIGIL_INSTALL_PLUGIN_DIR "/usr/local/lib/vigil/plugins"
#endif
#ifndef VIGIL_BUILD_DIR
#define VIGIL_BUILD_DIR ""
#endif
#ifndef VIGIL_BUILD_PLUGIN_DIR
#define VIGIL_BUILD_PLUGIN_DIR ""
#endif

#define NAME_MAX_LEN 64
/* ABI 1.0's descriptor: a plugin's descriptor is never smaller. When a later minor appends
 * fields, pin this to offsetof(vigil_plugin_desc, <the first new field>), and read a new
 * field only when the plugin's abi.desc_size covers it (an older plugin lacks it). */
#define DESC_SIZE_ABI_1_0 ((uint32_t)sizeof(vigil_plugin_desc))

struct vg_plugins {
	const vigil_host *host; /* given to every plugin callback */
	vg_arena *arena; /* names, paths, messages, copied metadata */
	const char *const *reserved;
	size_t reserved_count;
	const char **dirs; /* added with vg_plugins_add_dir */
	size_t dir_count, dir_cap;
	const char **path; /* the whole search path, rebuilt by search_path() */
	size_t path_count, path_cap;
	vg_plugin **plugins; /* load order */
	size_t count, cap;
	size_t refused;
	int only_added_dirs;
};

vg_plugins *vg_plugins_new(const vigil_host *host, const char *const *reserved_names,
                           size_t reserved_count)
{
	vg_plugins *set = calloc(1, sizeof *set);
	if (!set)
		return NULL;
	set->host = host;
	set->arena = vg_arena_new();
	if (!set->arena) {
		free(set);
		return NULL;
	}
	/* The names are static strings (descriptors); the array may be the caller's. */
	const char **names = vg_arena_array(set->arena, reserved_count + 1, sizeof *names);
	if (!names) {
		vg_plugins_free(set);
		return NULL;
	}
	if (reserved_count)
		memcpy(names, reserved_names, reserved_count * sizeof *names);
	set->reserved = names;
	set->reserved_count = reserved_count;
	return set;
}

const vigil_host *vg_plugins_host(const vg_plugins *set)
{
	return set->host;
}

void vg_plugins_free(vg_plugins *set)
{
	if (!set)
		return;
	/* Last loaded, first unloaded: a later plugin may rely on an earlier one's init. */
	for (size_t i = set->count; i-- > 0;) {
		vg_plugin *p = set->plugins[i];
		if (p->desc && p->desc->fini)
			p->desc->fini(set->host);
		if (p->handle)
			dlclose(p->handle);
	}
	free(set->plugins);
	free(set->dirs);
	free(set->path);
	vg_arena_free(set->arena);
	free(set);
}

static int push_str(const char ***array, size_t *count, size_t *cap, const char *s)
{
	if (*count == *cap) {
		size_t n = *cap ? *cap * 2 : 8;
		const char **grown = realloc(*array, n * sizeof *grown);
		if (!grown)
			return VIGIL_ENOMEM;
		*array = grown;
		*cap = n;
	}
	(*array)[(*count)++] = s;
	return VIGIL_OK;
}

int vg_plugins_add_dir(vg_plugins *set, const char *dir)
{
	if (!set || !dir || !*dir)
		return VIGIL_EINVAL;
	const char *copy = vg_arena_strdup(set->arena, dir);
	return copy ? push_str(&set->dirs, &set->dir_count, &set->dir_cap, copy) : VIGIL_ENOMEM;
}

/* True when this libvigil is the one in its build tree (not an installed copy). */
static int running_from_build_tree(void)
{
	if (!*VIGIL_BUILD_DIR)
		return 0;
	Dl_info info;
	char self[PATH_MAX], build[PATH_MAX];
	/* The address of one of our functions names the object it lives in: libvigil.so, or
	 * the executable that linked vigil statically (the unit tests). */
	if (!dladdr((void *)&running_from_build_tree, &info) || !info.dli_fname)
		return 0;
	if (!realpath(info.dli_fname, self) || !realpath(VIGIL_BUILD_DIR, build))
		return 0;
	size_t n = strlen(build);
	return strncmp(self, build, n) == 0 && self[n] == '/';
}

static int path_add_unique(vg_plugins *set, const char *dir)
{
	for (size_t i = 0; i < set->path_count; i++)
		if (strcmp(set->path[i], dir) == 0)
			return VIGIL_OK;
	return push_str(&set->path, &set->path_count, &set->path_cap, dir);
}

/* --plugin-dir dirs, VIGIL_PLUGIN_PATH, the build tree's dir (from the build tree), the
 * install dir; duplicates dropped. The environment is read each time: no global state. */
static int search_path(vg_plugins *set)
{
	set->path_count = 0;
	for (size_t i = 0; i < set->dir_count; i++)
		if (path_add_unique(set, set->dirs[i]) != VIGIL_OK)
			return VIGIL_ENOMEM;
	if (set->only_added_dirs)
		return VIGIL_OK;
	const char *env = getenv("VIGIL_PLUGIN_PATH");
	while (env && *env) {
		size_t n = strcspn(env, ":");
		if (n > 0) {
			const char *dir = vg_arena_strndup(set->arena, env, n);
			if (!dir || path_add_unique(set, dir) != VIGIL_OK)
				return VIGIL_ENOMEM;
		}
		env += n + (env[n] == ':');
	}
	if (*VIGIL_BUILD_PLUGIN_DIR && running_from_build_tree() &&
	    path_add_unique(set, VIGIL_BUILD_PLUGIN_DIR) != VIGIL_OK)
		return VIGIL_ENOMEM;
	return path_add_unique(set, VIGIL_INSTALL_PLUGIN_DIR);
}

void vg_plugins_only_added_dirs(vg_plugins *set, int only)
{
	if (set)
		set->only_added_dirs = only;
}

const char *vg_plugins_dir_at(vg_plugins *set, size_t i)
{
	if (!set || search_path(set) != VIGIL_OK)
		return NULL;
	return i < set->path_count ? set->path[i] : NULL;
}

size_t vg_plugins_count(const vg_plugins *set)
{
	return set ? set->count : 0;
}

const vg_plugin *vg_plugins_at(const vg_plugins *set, size_t i)
{
	return set && i < set->count ? set->plugins[i] : NULL;
}

size_t vg_plugins_refused(const vg_plugins *set)
{
	return set ? set->refused : 0;
}

/* ------------------------------------------------------------------ checks */

static int valid_plugin_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > NAME_MAX_LEN || name[0] < 'a' || name[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* A check's name is its plugin's name, or "<plugin>.<rest>": unique across plugins. */
static int valid_check_name(const char *plugin, const char *check)
{
	size_t n = strlen(plugin);
	if (strncmp(check, plugin, n) != 0)
		return 0;
	if (check[n] == '\0')
		return 1;
	if (check[n] != '.' || check[n + 1] == '\0' || strlen(check) > 128)
		return 0;
	for (const char *c = check + n + 1; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ||
		      *c == '-' || *c == '.'))
			return 0;
	return 1;
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case VIGIL_PLUGIN_CHECK: return "check";
	case VIGIL_PLUGIN_DRIVER: return "driver";
	case VIGIL_PLUGIN_VALIDATOR: return "validator";
	}
	return NULL;
}

static vg_plugin *find_plugin(const vg_plugins *set, const char *name)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->plugins[i]->info.name, name) == 0)
			return set->plugins[i];
	return NULL;
}

static int is_reserved(const vg_plugins *set, const char *name)
{
	for (size_t i = 0; i < set->reserved_count; i++)
		if (set->reserved[i] && strcmp(set->reserved[i], name) == 0)
			return 1;
	return 0;
}

/* The first metadata problem of a descriptor whose ABI block was accepted, or NULL. */
static const char *metadata_problem(vg_plugins *set, const vigil_plugin_desc *d, const char *name)
{
	vg_arena *a = set->arena;
	if (!d->name || !*d->name)
		return "the descriptor's name is empty";
	if (strcmp(d->name, name) != 0)
		return vg_arena_printf(a,
		                       "the descriptor names the plugin '%.64s', but the file is "
		                       "vigil_%s.so (they must agree)",
		                       d->name, name);
	if (!d->version || !*d->version)
		return "the descriptor has no version";
	if (d->kind == VIGIL_PLUGIN_VALIDATOR)
		return "kind 'validator' is reserved for vigil's built-in validators (use 'check')";
	if (d->kind != VIGIL_PLUGIN_CHECK && d->kind != VIGIL_PLUGIN_DRIVER)
		return vg_arena_printf(a,
		                       "unknown kind %d (expected VIGIL_PLUGIN_CHECK or "
		                       "VIGIL_PLUGIN_DRIVER)",
		                       d->kind);
	if (d->kind == VIGIL_PLUGIN_CHECK && d->level != 3)
		return vg_arena_printf(a, "a check plugin runs at level 3, not level %d", d->level);
	if (d->kind == VIGIL_PLUGIN_CHECK && (!d->checks || d->check_count == 0))
		return "a check plugin must offer at least one check (checks is empty)";
	if (d->check_count > 0 && !d->checks)
		return "check_count is not zero but checks is NULL";
	for (size_t i = 0; i < d->check_count; i++) {
		const vigil_check_def *c = &d->checks[i];
		if (!c->name || !*c->name)
			return vg_arena_printf(a, "check %zu has no name", i + 1);
		if (!valid_check_name(name, c->name))
			return vg_arena_printf(a,
			                       "check '%.128s' must be named '%s' or '%s.<check>' "
			                       "(lowercase letters, digits, '_', '-', '.')",
			                       c->name, name, name);
		if (!c->run)
			return vg_arena_printf(a, "check '%s' has no run function", c->name);
		for (size_t k = 0; k < i; k++)
			if (strcmp(d->checks[k].name, c->name) == 0)
				return vg_arena_printf(a, "two checks are named '%s'", c->name);
	}
	if (is_reserved(set, name))
		return vg_arena_printf(a,
		                       "duplicate plugin name '%s': a built-in validator is "
		                       "called so",
		                       name);
	return NULL;
}

/* Copies what listing needs out of an accepted descriptor (it dies with dlclose). */
static int copy_metadata(vg_plugins *set, vg_plugin *p, const vigil_plugin_desc *d)
{
	vg_arena *a = set->arena;
	p->info.kind = kind_name(d->kind);
	p->info.version = vg_arena_strdup(a, d->version);
	p->info.summary = vg_arena_strdup(a, d->summary);
	p->info.level = d->kind == VIGIL_PLUGIN_DRIVER ? 0 : d->level;
	if (d->check_count) {
		vigil_plugin_check_info *checks = vg_arena_array(a, d->check_count, sizeof *checks);
		if (!checks)
			return VIGIL_ENOMEM;
		for (size_t i = 0; i < d->check_count; i++) {
			checks[i].name = vg_arena_strdup(a, d->checks[i].name);
			checks[i].summary = vg_arena_strdup(a, d->checks[i].summary);
			checks[i].depends_on = vg_arena_strdup(a, d->checks[i].depends_on);
			if (!checks[i].name)
				return VIGIL_ENOMEM;
		}
		p->info.checks = checks;
		p->info.check_count = d->check_count;
	}
	return p->info.version ? VIGIL_OK : VIGIL_ENOMEM;
}

/* The ABI block's first fundamental mismatch, or NULL (PostgreSQL's order). */
static const char *abi_problem(vg_plugins *set, const vigil_plugin_abi *abi)
{
	vg_arena *a = set->arena;
	if (abi->magic != VIGIL_PLUGIN_MAGIC)
		return vg_arena_printf(a,
		                       "not a vigil plugin descriptor (magic 0x%08x, expected "
		                       "0x%08x)",
		                       (unsigned)abi->magic, VIGIL_PLUGIN_MAGIC);
	if (abi->abi_major != VIGIL_PLUGIN_ABI_MAJOR)
		return vg_arena_printf(a,
		                       "ABI major %u, this vigil supports %u (rebuild the plugin "
		                       "against this vigil's SDK)",
		                       (unsigned)abi->abi_major, VIGIL_PLUGIN_ABI_MAJOR);
	if (abi->abi_minor > VIGIL_PLUGIN_ABI_MINOR)
		return vg_arena_printf(a,
		                       "ABI %u.%u is newer than this vigil's %u.%u (upgrade vigil, "
		                       "or build the plugin against an older SDK)",
		                       (unsigned)abi->abi_major, (unsigned)abi->abi_minor,
		                       VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR);
	if (abi->desc_size < DESC_SIZE_ABI_1_0)
		return vg_arena_printf(a, "descriptor of %u bytes, ABI %u.%u needs at least %u",
		                       (unsigned)abi->desc_size, (unsigned)abi->abi_major,
		                       (unsigned)abi->abi_minor, (unsigned)DESC_SIZE_ABI_1_0);
	if (abi->pointer_size != sizeof(void *))
		return vg_arena_printf(a, "built for %u-bit pointers, this vigil uses %u-bit",
		                       (unsigned)abi->pointer_size * 8,
		                       (unsigned)sizeof(void *) * 8);
	return NULL;
}

static int is_regular_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The first vigil_<name>.so on the search path, or NULL (with `*looked` listing where). */
static const char *find_file(vg_plugins *set, const char *name, const char **looked)
{
	*looked = NULL;
	if (search_path(set) != VIGIL_OK)
		return NULL;
	size_t len = 0;
	for (size_t i = 0; i < set->path_count; i++) {
		const char *path =
		        vg_arena_printf(set->arena, "%s/vigil_%s.so", set->path[i], name);
		if (!path)
			return NULL;
		if (is_regular_file(path))
			return path;
		len += strlen(set->path[i]) + 2;
	}
	char *list = vg_arena_alloc(set->arena, len + 1);
	if (list) {
		size_t at = 0;
		for (size_t i = 0; i < set->path_count; i++) {
			size_t n = strlen(set->path[i]);
			if (i) {
				memcpy(list + at, ", ", 2);
				at += 2;
			}
			memcpy(list + at, set->path[i], n);
			at += n;
		}
		list[at] = '\0';
	}
	*looked = list;
	return NULL;
}

static vg_plugin *add_record(vg_plugins *set, const char *name)
{
	if (set->count == set->cap) {
		size_t n = set->cap ? set->cap * 2 : 8;
		vg_plugin **grown = realloc(set->plugins, n * sizeof *grown);
		if (!grown)
			return NULL;
		set->plugins = grown;
		set->cap = n;
	}
	vg_plugin *p = vg_arena_alloc(set->arena, sizeof *p);
	if (!p || !(p->info.name = vg_arena_strdup(set->arena, name)))
		return NULL;
	set->plugins[set->count++] = p;
	return p;
}

/* Records a refusal: "<file>: <why>" (or just <why> when there is no file). */
static int refuse(vg_plugins *set, vg_plugin *p, void *handle, const char *why, const char **error)
{
	if (handle)
		dlclose(handle);
	p->info.error = p->info.file ? vg_arena_printf(set->arena, "%s: %s", p->info.file, why)
	                             : vg_arena_strdup(set->arena, why);
	if (!p->info.error)
		return VIGIL_ENOMEM;
	set->refused++;
	if (error)
		*error = p->info.error;
	return VIGIL_EPLUGIN;
}

/* dlopen, entry, ABI block, metadata, init: the first failure refuses the plugin. */
static int load_file(vg_plugins *set, vg_plugin *p, const char *name, const char **error)
{
	const char *file = p->info.file;
	dlerror();
	void *handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *why = dlerror();
		/* dlerror repeats the path; keep the message to the file once. */
		const char *tail = why && strncmp(why, file, strlen(file)) == 0 ? why + strlen(file)
		                                                                : why;
		while (tail && (*tail == ':' || *tail == ' '))
			tail++;
		return refuse(set, p, NULL,
		              vg_arena_printf(set->arena, "cannot be loaded: %s",
		                              tail && *tail ? tail : "unknown dlopen error"),
		              error);
	}
	char symbol[NAME_MAX_LEN + 32];
	snprintf(symbol, sizeof symbol, "vigil_plugin_%s_get_desc", name);
	typedef const vigil_plugin_desc *(*entry_fn)(void);
	entry_fn entry;
	void *sym = dlsym(handle, symbol);
	memcpy(&entry, &sym, sizeof entry); /* POSIX: dlsym results convert to function pointers */
	if (!sym)
		return refuse(set, p, handle,
		              vg_arena_printf(set->arena,
		                              "no entry function %s() (define the plugin "
		                              "with VIGIL_PLUGIN_DEFINE(%s, ...))",
		                              symbol, name),
		              error);
	const vigil_plugin_desc *d = entry();
	if (!d)
		return refuse(set, p, handle,
		              vg_arena_printf(set->arena, "%s() returned NULL", symbol), error);
	vigil_plugin_abi abi;
	memcpy(&abi, &d->abi, sizeof abi); /* copied: the message outlives the mapping */
	p->info.abi_major = abi.abi_major;
	p->info.abi_minor = abi.abi_minor;
	const char *why = abi_problem(set, &abi);
	if (!why)
		why = metadata_problem(set, d, name);
	if (why)
		return refuse(set, p, handle, why, error);
	if (copy_metadata(set, p, d) != VIGIL_OK) {
		dlclose(handle);
		return VIGIL_ENOMEM;
	}
	if (d->init) {
		int rc = d->init(set->host);
		if (rc != 0)
			return refuse(set, p, handle,
			              vg_arena_printf(set->arena, "init failed (returned %d)", rc),
			              error);
	}
	p->desc = d;
	p->handle = handle;
	return VIGIL_OK;
}

int vg_plugins_load(vg_plugins *set, const char *name, int requested, const char **error)
{
	if (error)
		*error = NULL;
	if (!set || !name)
		return VIGIL_EINVAL;
	vg_plugin *p = find_plugin(set, name);
	if (p) {
		p->requested |= requested;
		if (error)
			*error = p->info.error;
		return p->info.error ? VIGIL_EPLUGIN : VIGIL_OK;
	}
	p = add_record(set, name);
	if (!p)
		return VIGIL_ENOMEM;
	p->requested = requested;
	if (!valid_plugin_name(name)) {
		const char *why =
		        strchr(name, '/') || strstr(name, "..")
		                ? vg_arena_printf(set->arena,
		                                  "plugin '%.200s' refused: plugins load by name "
		                                  "from plugin directories only (no '/' or '..')",
		                                  name)
		                : vg_arena_printf(
		                          set->arena,
		                          "'%.200s' is not a plugin name (lowercase "
		                          "letters, digits and '_', starting with a letter)",
		                          name);
		int rc = refuse(set, p, NULL, why ? why : "invalid plugin name", error);
		return rc == VIGIL_EPLUGIN ? VIGIL_EINVAL : rc;
	}
	const char *looked = NULL;
	const char *file = find_file(set, name, &looked);
	if (!file) {
		if (!looked)
			return VIGIL_ENOMEM;
		return refuse(set, p, NULL,
		              vg_arena_printf(set->arena,
		                              "plugin '%s' not found (no vigil_%s.so in %s)", name,
		                              name, looked),
		              error);
	}
	p->info.file = file;
	return load_file(set, p, name, error);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The plugin names of one directory's vigil_<name>.so files, sorted. */
static int list_dir(vg_plugins *set, const char *dir, const char ***names, size_t *count)
{
	size_t cap = 0;
	*names = NULL;
	*count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return VIGIL_OK; /* a missing directory on the path is normal */
	struct dirent *e;
	int rc = VIGIL_OK;
	while (rc == VIGIL_OK && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n <= 9 || strncmp(e->d_name, "vigil_", 6) != 0 ||
		    strcmp(e->d_name + n - 3, ".so") != 0)
			continue;
		char *name = vg_arena_strndup(set->arena, e->d_name + 6, n - 9);
		if (!name)
			rc = VIGIL_ENOMEM;
		else if (valid_plugin_name(name))
			rc = push_str(names, count, &cap, name);
	}
	closedir(d);
	if (rc == VIGIL_OK && *count > 1)
		qsort(*names, *count, sizeof **names, cmp_names);
	return rc;
}

/* Driver plugins are named after the database type they serve (db.c finds them so). */
static int is_driver_name(const char *name)
{
	return strcmp(name, vg_db_type_name(VG_DB_SQLITE)) == 0 ||
	       strcmp(name, vg_db_type_name(VG_DB_POSTGRESQL)) == 0 ||
	       strcmp(name, vg_db_type_name(VG_DB_MYSQL)) == 0;
}

int vg_plugins_discover(vg_plugins *set, const char **first_error)
{
	return vg_plugins_discover_ex(set, 0, first_error);
}

int vg_plugins_discover_ex(vg_plugins *set, int defer_drivers, const char **first_error)
{
	if (first_error)
		*first_error = NULL;
	if (!set)
		return VIGIL_EINVAL;
	if (search_path(set) != VIGIL_OK)
		return VIGIL_ENOMEM;
	/* Loading rebuilds the path array: walk a copy of it. */
	size_t dir_count = set->path_count;
	const char **dirs = malloc((dir_count ? dir_count : 1) * sizeof *dirs);
	if (!dirs)
		return VIGIL_ENOMEM;
	memcpy(dirs, set->path, dir_count * sizeof *dirs);
	int result = VIGIL_OK;
	for (size_t i = 0; i < dir_count && result != VIGIL_ENOMEM; i++) {
		const char **names;
		size_t count;
		int rc = list_dir(set, dirs[i], &names, &count);
		for (size_t k = 0; rc == VIGIL_OK && k < count; k++) {
			if (find_plugin(set, names[k]))
				continue; /* loaded or refused already; an earlier directory wins */
			if (defer_drivers && is_driver_name(names[k]))
				continue; /* loaded by name when a database of its type is used */
			const char *error = NULL;
			int lrc = vg_plugins_load(set, names[k], 0, &error);
			if (lrc == VIGIL_ENOMEM)
				rc = VIGIL_ENOMEM;
			else if (lrc != VIGIL_OK) {
				result = VIGIL_EPLUGIN;
				if (first_error && !*first_error)
					*first_error = error;
			}
		}
		free(names);
		if (rc == VIGIL_ENOMEM)
			result = VIGIL_ENOMEM;
	}
	free(dirs);
	/* Refusals from before count too: the set as a whole is what a run reports. */
	for (size_t i = 0; result == VIGIL_OK && i < set->count; i++) {
		if (set->plugins[i]->info.error) {
			result = VIGIL_EPLUGIN;
			if (first_error && !*first_error)
				*first_error = set->plugins[i]->info.error;
		}
	}
	return result;
}
