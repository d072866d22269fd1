/* short: the descriptor claims fewer bytes than ABI 1.0's descriptor. */
#include "broken.h"
BROKEN_PLUGIN(short, VIGIL_PLUGIN_MAGIC, VIGIL_PLUGIN_ABI_MAJOR, VIGIL_PLUGIN_ABI_MINOR, 24,
              "short", "short")
