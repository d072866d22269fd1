/* sqlbuf.c — MySQL's escaped strings, on the drivers' shared SQL text (driver_common.h). */
#include <stdlib.h>
#include <string.h>

#include "mysql_driver.h"

void vmy_escaped(vdc_text *b, MYSQL *mysql, const char *text)
{
	size_t n = strlen(text);
	char *escaped = malloc(2 * n + 1);
	if (!escaped) {
		b->failed = 1;
		return;
	}
	/* Escapes for the connection's charset; only doubles quotes under NO_BACKSLASH_ESCAPES. */
	unsigned long written = mysql_real_escape_string(mysql, escaped, text, (unsigned long)n);
	if (written == (unsigned long)-1) {
		b->failed = 1;
	} else {
		vdc_text_add(b, "'");
		vdc_text_addn(b, escaped, written);
		vdc_text_add(b, "'");
	}
	free(escaped);
}

void vmy_schema_filter(vdc_text *b, MYSQL *mysql, const char *column, const char *namespace_)
{
	vdc_text_add(b, column);
	vdc_text_add(b, " = ");
	if (namespace_ && *namespace_)
		vmy_escaped(b, mysql, namespace_);
	else
		vdc_text_add(b, "DATABASE()");
}
