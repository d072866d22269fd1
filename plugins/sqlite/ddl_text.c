/*
 * ddl_text.c — SQLite's rules for SQL text on the drivers' shared vdc_text (driver_common.h):
 * schema-qualified names. (Column defaults are written by the host: host->render_default.)
 */
#include <ctype.h>
#include <string.h>

#include "sqlite_driver.h"

void vsq_text_qualified(vdc_text *t, const char *schema, const char *name)
{
	/* "main" is the default schema: left out, as SQLite itself writes it */
	int qualify = schema && *schema && strcmp(schema, "main") != 0;
	vdc_text_qualified(t, qualify ? schema : NULL, name, VSQ_QUOTE);
}

int vsq_equals_ignoring_case(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}
