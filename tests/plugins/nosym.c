/* nosym: exports an entry function, but not the one its file name promises
 * (vigil_nosym.so must define vigil_plugin_nosym_get_desc). */
#include "broken.h"
BROKEN_PLUGIN(other, VIGIL_PLUGIN_MAGIC, VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR,
              BROKEN_SIZE, "nosym", "nosym")
