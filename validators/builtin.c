/*
 * builtin.c — vigil's built-in validators: the same descriptors plugins use, linked in.
 * Add a validator by defining it with VIGIL_PLUGIN_DEFINE and listing its entry here.
 */
#include "vigil/plugin.h"

#include "builtin.h"

const vigil_plugin_desc *vigil_plugin_structure_get_desc(void);
const vigil_plugin_desc *vigil_plugin_components_get_desc(void);
const vigil_plugin_desc *vigil_plugin_wiring_get_desc(void);
const vigil_plugin_desc *vigil_plugin_semantics_get_desc(void);

static const vg_builtin_entry builtin_validators[] = {
	vigil_plugin_structure_get_desc,
	vigil_plugin_components_get_desc,
	vigil_plugin_wiring_get_desc,
	vigil_plugin_semantics_get_desc,
};

const vg_builtin_entry *vg_builtin_validators(size_t *count)
{
	*count = sizeof builtin_validators / sizeof builtin_validators[0];
	return builtin_validators;
}
