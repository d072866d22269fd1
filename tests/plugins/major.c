/* major: built against the next ABI major (and a newer minor: the major is reported first). */
#include "broken.h"
BROKEN_PLUGIN(major, VIGIL_PLUGIN_MAGIC, VIGIL_PLUGIN_ABI_MAJOR + 1, VIGIL_PLUGIN_ABI_MINOR + 3,
              BROKEN_SIZE, "major", "major")
