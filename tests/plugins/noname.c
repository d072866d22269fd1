/* noname: the descriptor's name is empty. */
#include "broken.h"
BROKEN_PLUGIN(noname, VIGIL_PLUGIN_MAGIC, VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR,
              BROKEN_SIZE, "", "noname")
