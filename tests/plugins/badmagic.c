/* badmagic: the descriptor's magic is wrong (not a vigil plugin descriptor). */
#include "broken.h"
BROKEN_PLUGIN(badmagic, 0xDEADBEEFu, VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR, BROKEN_SIZE,
              "badmagic", "badmagic")
