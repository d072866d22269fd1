/* write.c — vigil_report_write: picks the writer for a format. */
#include <string.h>

#include "writers.h"

/* One row per format, in vigil_format order; a new format (html) adds a row. */
static const struct {
	const char *name;
	vigil_format format;
	int (*write)(const vigil_report *report, FILE *out, const vigil_write_options *options);
} formats[] = {
	{ "text", VIGIL_FORMAT_TEXT, vg_write_text },
	{ "json", VIGIL_FORMAT_JSON, vg_write_json },
	{ "sarif", VIGIL_FORMAT_SARIF, vg_write_sarif },
	{ "junit", VIGIL_FORMAT_JUNIT, vg_write_junit },
	{ "github", VIGIL_FORMAT_GITHUB, vg_write_github },
	{ "gitlab", VIGIL_FORMAT_GITLAB, vg_write_gitlab },
	{ "markdown", VIGIL_FORMAT_MARKDOWN, vg_write_markdown },
	{ "baseline", VIGIL_FORMAT_BASELINE, vg_write_baseline },
};

#define FORMAT_COUNT (sizeof formats / sizeof formats[0])

int vigil_format_parse(vigil_format *out, const char *name)
{
	if (!out || !name)
		return VIGIL_EINVAL;
	for (size_t i = 0; i < FORMAT_COUNT; i++) {
		if (strcmp(formats[i].name, name) == 0) {
			*out = formats[i].format;
			return VIGIL_OK;
		}
	}
	return VIGIL_EINVAL;
}

const char *vigil_format_name(vigil_format format)
{
	for (size_t i = 0; i < FORMAT_COUNT; i++)
		if (formats[i].format == format)
			return formats[i].name;
	return NULL;
}

int vigil_report_write(const vigil_report *report, vigil_format format, FILE *out,
                       const vigil_write_options *options)
{
	static const vigil_write_options defaults = VIGIL_WRITE_OPTIONS_INIT;

	if (!report || !out)
		return VIGIL_EINVAL;
	if (!options)
		options = &defaults;
	else if (options->version < 1)
		return VIGIL_EINVAL;

	for (size_t i = 0; i < FORMAT_COUNT; i++)
		if (formats[i].format == format)
			return formats[i].write(report, out, options);
	return VIGIL_EINVAL;
}
