/* engine.h — the engine object's internals that the top layer's other files use. */
#ifndef VG_ENGINE_H
#define VG_ENGINE_H

#include "vigil/vigil.h"

#include "plugin_host.h"

/** An engine's plugin host (defined in pipeline.c, where the engine is). */
vg_plugin_host *vg_engine_plugin_host(const vigil_engine *engine);

#endif
