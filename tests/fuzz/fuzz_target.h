/*
 * fuzz_target.h — the libFuzzer entry point every fuzz target defines. The same target
 * links either with libFuzzer (VIGIL_FUZZ, clang) or with replay.c, which feeds it saved
 * inputs as an ordinary test; the prototype lives here so both sides agree on it.
 */
#ifndef VIGIL_FUZZ_TARGET_H
#define VIGIL_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

/** Runs one input. Returns 0 (libFuzzer reserves other values); a bug crashes or aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
