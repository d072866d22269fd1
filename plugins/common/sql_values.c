/* sql_values.c — SQL value rules that read the same in every dialect the drivers speak. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "driver_common.h"

int vdc_names_present(const char *const *names, size_t count)
{
	if (count == 0 || !names)
		return 0;
	for (size_t i = 0; i < count; i++)
		if (!names[i] || !*names[i])
			return 0;
	return 1;
}

const char *vdc_fk_action_sql(const char *action)
{
	static const struct {
		const char *name, *sql;
	} actions[] = { { "cascade", "CASCADE" },   { "restrict", "RESTRICT" },
		            { "set null", "SET NULL" }, { "set default", "SET DEFAULT" },
		            { "no action", "NO ACTION" } };
	char word[32];
	size_t n = 0;
	for (const char *p = action; *p && n + 1 < sizeof word; p++)
		word[n++] = (*p == '_' || *p == '-') ? ' ' : (char)tolower((unsigned char)*p);
	word[n] = '\0';
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(word, actions[i].name) == 0)
			return actions[i].sql;
	return NULL;
}
