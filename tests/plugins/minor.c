/* minor: built against a newer ABI minor than this host's (and a short descriptor: the minor
 * is reported first). */
#include "broken.h"
BROKEN_PLUGIN(minor, VIGIL_PLUGIN_MAGIC, VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR + 1, 8,
              "minor", "minor")
