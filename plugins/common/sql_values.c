/* sql_values.c — SQL value rules that read the same in every dialect the drivers speak. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "driver_common.h"

int vdc_is_sql_number(const char *s)
{
	const char *p = s + (*s == '+' || *s == '-');
	int digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		p += *p == '+' || *p == '-';
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

int vdc_boolean_spelling(const char *s)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "on", "1" };
	static const char *const no[] = { "false", "f", "no", "n", "off", "0" };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

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
