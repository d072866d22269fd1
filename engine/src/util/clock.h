/* clock.h — monotonic milliseconds (durations, deadlines). Thread-safe. */
#ifndef VG_CLOCK_H
#define VG_CLOCK_H

/** Monotonic milliseconds. */
double vg_now_ms(void);

#endif
