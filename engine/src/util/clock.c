/* clock.c — the monotonic clock every duration in vigil is measured with. */
#define _POSIX_C_SOURCE 200809L

#include <time.h>

#include "clock.h"

double vg_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
