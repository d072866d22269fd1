/* write.c — vigil_report_write: picks the writer for a format. */
#include <string.h>

#include "writers.h"

static const struct {
	const char *name;
	vigil_format format;
} format_names[] = {
	{ "text", VIGIL_FORMAT_TEXT },
	{ "json", VIGIL_FORMAT_JSON },
};

int vigil_format_parse(vigil_format *out, const char *name)
{
	if (!out || !name)
		return VIGIL_EINVAL;
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
		if (strcmp(format_names[i].name, name) == 0) {
			*out = format_names[i].format;
			return VIGIL_OK;
		}
	}
	return VIGIL_EINVAL;
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

	switch (format) {
	case VIGIL_FORMAT_TEXT: return vg_write_text(report, out, options);
	case VIGIL_FORMAT_JSON: return vg_write_json(report, out, options);
	}
	return VIGIL_EINVAL;
}
