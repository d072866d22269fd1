/*
 * writers.h — the report writers behind vigil_report_write (reports/write.c).
 *
 * Each writer reads a finished report through the public getters of vigil.h only, so it
 * could live outside the library. Each returns VIGIL_OK, VIGIL_ENOMEM, or VIGIL_EIO when
 * the stream reports an error. `options` is never NULL here.
 */
#ifndef VG_REPORT_WRITERS_H
#define VG_REPORT_WRITERS_H

#include <stddef.h>
#include <stdio.h>

#include "vigil/vigil.h"

int vg_write_text(const vigil_report *report, FILE *out, const vigil_write_options *options);
int vg_write_json(const vigil_report *report, FILE *out, const vigil_write_options *options);

/**
 * The length (1-4) of the well-formed UTF-8 sequence at `s`, or 0 when the bytes there are
 * not one (a stray, overlong, surrogate or truncated sequence). Reads no byte past a NUL.
 * Writers use it so that no input byte can break their output's encoding.
 */
size_t vg_utf8_sequence_length(const unsigned char *s);

#endif
