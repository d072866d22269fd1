/*
 * host.h — the host table (vigil/plugin.h's vigil_host) every check, heal callback and driver
 * receives: findings and metrics into the report, logging, cancellation, database sessions,
 * schema sinks, heal proposals. It dispatches into every subsystem, so it sits on top with the
 * pipeline, which hands it down (the plugin set carries it: vg_plugins_host).
 */
#ifndef VG_HOST_H
#define VG_HOST_H

#include "vigil/plugin.h"

/** The engine's host table (static storage). */
const vigil_host *vg_host_table(void);

#endif
