/*
 * structure.c — the level 1 validator: the shape of the blueprint. Its checks are
 * independent of one another; each reports against the YAML tree's file:line:column.
 */
#include "vigil/plugin.h"

#include "structure.h"

static const vigil_check_def checks[] = {
	{ "structure.keys",
	  "keys, value types, required keys and alternative spellings, against the blueprint grammar",
	  NULL,
	  vg_structure_keys_run,
	  NULL,
	  { 0 } },
	{ "structure.schema-version",
	  "schema_version is given, MAJOR.MINOR.PATCH, and a major this vigil reads",
	  NULL,
	  vg_structure_schema_version_run,
	  NULL,
	  { 0 } },
	{ "structure.names",
	  "names follow the naming rules and are unique where they must be",
	  NULL,
	  vg_structure_names_run,
	  NULL,
	  { 0 } },
	{ "structure.component-types",
	  "every component's type is a known component type",
	  NULL,
	  vg_structure_component_types_run,
	  NULL,
	  { 0 } },
	{ "structure.env",
	  "every ${VAR} is well formed and set in the environment",
	  NULL,
	  vg_structure_env_run,
	  NULL,
	  { 0 } },
	{ "structure.ignore",
	  "every x-vigil-ignore entry names a code and gives a reason",
	  NULL,
	  vg_structure_ignore_run,
	  NULL,
	  { 0 } },
};

VIGIL_PLUGIN_DEFINE(structure, VIGIL_VERSION_STRING, "Level 1: the shape of the blueprint",
                    VIGIL_PLUGIN_VALIDATOR, 1, checks, VIGIL_COUNT_OF(checks), NULL, NULL)
