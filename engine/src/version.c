/* version.c — the library's version (vigil/vigil.h), for the reports and the healing files. */
#include "vigil/vigil.h"

const char *vigil_version(void)
{
	return VIGIL_VERSION_STRING;
}
