/*
 * plugin_loader.h — finds, checks and loads plugins (vigil/plugin.h) by name from plugin
 * directories, and keeps them loaded until the set is freed.
 *
 * A plugin is the file vigil_<name>.so; its entry function is vigil_plugin_<name>_get_desc.
 * The checks follow PostgreSQL's dfmgr.c: the most fundamental mismatch is reported first
 * (magic, ABI major, ABI minor, descriptor size, pointer size, then metadata, duplicates,
 * init), the message names the file, and what the message needs is copied before dlclose.
 * Loaded plugins are dlclosed only by vg_plugins_free (never mid-run).
 */
#ifndef VG_PLUGIN_LOADER_H
#define VG_PLUGIN_LOADER_H

#include <stddef.h>

#include "vigil/plugin.h"
#include "vigil/vigil.h"

typedef struct vg_plugins vg_plugins;

/** A plugin loaded or refused. */
typedef struct vg_plugin {
	vigil_plugin_info info;        /* public view; strings owned by the set */
	const vigil_plugin_desc *desc; /* NULL when refused */
	void *handle;                  /* dlopen handle; NULL when refused */
	int requested;                 /* asked for by name (not only discovered) */
} vg_plugin;

/**
 * A new, empty set. `host` is the host table given to the plugins' init, fini, thread hooks and
 * checks (the engine's; it must outlive the set). `reserved_names` (the built-in validators' names: the array is copied, the
 * strings must outlive the set) cannot be taken by a plugin. NULL when memory runs out.
 */
vg_plugins *vg_plugins_new(const vigil_host *host, const char *const *reserved_names,
                           size_t reserved_count);
/** The host table the set was made with. */
const vigil_host *vg_plugins_host(const vg_plugins *set);
/** Calls each loaded plugin's fini, unloads them and frees the set. NULL is allowed. */
void vg_plugins_free(vg_plugins *set);

/** Appends a directory to the search path (copied). VIGIL_OK, VIGIL_EINVAL, VIGIL_ENOMEM. */
int vg_plugins_add_dir(vg_plugins *set, const char *dir);
/**
 * With `only` non-zero, the search path is just the added directories: no
 * VIGIL_PLUGIN_PATH, build tree or install directory (for tests and embedders).
 */
void vg_plugins_only_added_dirs(vg_plugins *set, int only);
/** The i-th directory of the search path as it stands now, or NULL past the end. */
const char *vg_plugins_dir_at(vg_plugins *set, size_t i);

/**
 * Loads a plugin by name. Returns VIGIL_OK (also when it was loaded before), VIGIL_EPLUGIN
 * (refused; the refusal is recorded in the set and `*error` points at its message, owned by
 * the set), VIGIL_EINVAL for a name that is not a plugin name (also recorded), VIGIL_ENOMEM.
 */
int vg_plugins_load(vg_plugins *set, const char *name, int requested, const char **error);

/**
 * Loads every vigil_*.so on the search path not loaded or refused yet, directory by
 * directory, names sorted. VIGIL_OK when every plugin of the set is loaded, VIGIL_EPLUGIN
 * when some were refused, now or before (`*first_error`: the first message), VIGIL_ENOMEM.
 */
int vg_plugins_discover(vg_plugins *set, const char **first_error);
/**
 * The same; with `defer_drivers`, driver plugins (named after a database type: sqlite,
 * postgresql, mysql) are left for vg_plugins_load when a database of that type is used, so
 * a run does not load client libraries it will not use.
 */
int vg_plugins_discover_ex(vg_plugins *set, int defer_drivers, const char **first_error);

size_t vg_plugins_count(const vg_plugins *set);
const vg_plugin *vg_plugins_at(const vg_plugins *set, size_t i);
/** How many plugins were refused. */
size_t vg_plugins_refused(const vg_plugins *set);

#endif
