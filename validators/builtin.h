/* builtin.h — the list of built-in validator descriptors (validators/builtin.c). */
#ifndef VG_BUILTIN_H
#define VG_BUILTIN_H

#include <stddef.h>

#include "vigil/plugin.h"

typedef const vigil_plugin_desc *(*vg_builtin_entry)(void);

/** The entry functions of the built-in validators, in registration order. */
const vg_builtin_entry *vg_builtin_validators(size_t *count);

#endif
