/* codes.c — the finding-code table (engine/src/report/codes.def) as data. */
#include <string.h>

#include "run.h"

static const vigil_code_info code_table[VG_CODE_COUNT] = {
#define VG_CODE(id, code, rule, level, severity, summary)                                   \
	[id] = { code, rule, level, VIGIL_SEVERITY_##severity, summary },
#include "codes.def"
#undef VG_CODE
};

const vigil_code_info *vg_code_info(vg_code code)
{
	return (unsigned)code < VG_CODE_COUNT ? &code_table[code] : NULL;
}

size_t vigil_code_count(void)
{
	return VG_CODE_COUNT;
}

const vigil_code_info *vigil_code_at(size_t i)
{
	return i < VG_CODE_COUNT ? &code_table[i] : NULL;
}

const vigil_code_info *vigil_code_find(const char *code_or_rule)
{
	if (!code_or_rule)
		return NULL;
	for (size_t i = 0; i < VG_CODE_COUNT; i++)
		if (strcmp(code_table[i].code, code_or_rule) == 0 ||
		    strcmp(code_table[i].rule, code_or_rule) == 0)
			return &code_table[i];
	return NULL;
}
