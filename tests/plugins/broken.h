/*
 * broken.h — hand-written descriptors for the ABI tests: a plugin built with a mismatching
 * ABI block cannot come from VIGIL_PLUGIN_DEFINE, so these spell the descriptor out.
 */
#ifndef VIGIL_TEST_BROKEN_H
#define VIGIL_TEST_BROKEN_H

#include "vigil/plugin.h"

static int broken_run(vigil_check_ctx *ctx, const vigil_host *host)
{
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}

/* Defines vigil_plugin_<entry>_get_desc returning a descriptor with the given ABI block,
 * descriptor name and one check called `check`. */
#define BROKEN_PLUGIN(entry, magic, major, minor, size, dname, check)                       \
	static const vigil_check_def broken_checks[] = {                                    \
		{ check, "a check that never runs", NULL, broken_run, NULL, { 0 } },        \
	};                                                                                  \
	VIGIL_PLUGIN_EXPORT const vigil_plugin_desc *vigil_plugin_##entry##_get_desc(void); \
	VIGIL_PLUGIN_EXPORT const vigil_plugin_desc *vigil_plugin_##entry##_get_desc(void)  \
	{                                                                                   \
		static const vigil_plugin_desc desc = { { magic, major, minor, size,        \
			                                  (uint32_t)sizeof(void *) },       \
			                                dname,                              \
			                                "1.0.0",                            \
			                                "a deliberately broken plugin",     \
			                                VIGIL_PLUGIN_CHECK,                 \
			                                3,                                  \
			                                broken_checks,                      \
			                                1,                                  \
			                                NULL,                               \
			                                NULL,                               \
			                                NULL,                               \
			                                NULL,                               \
			                                NULL,                               \
			                                { 0 } };                            \
		return &desc;                                                               \
	}

#define BROKEN_SIZE ((uint32_t)sizeof(vigil_plugin_desc))

#endif
