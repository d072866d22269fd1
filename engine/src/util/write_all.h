/* write_all.h — one write(2) loop for the library: all of a buffer, retrying on EINTR. */
#ifndef VG_WRITE_ALL_H
#define VG_WRITE_ALL_H

#include <stddef.h>

/** Writes all `n` bytes of `data` to `fd`. 0, or -1 when a write failed (errno says why, unless
 *  the descriptor took nothing). */
int vg_write_all(int fd, const void *data, size_t n);

#endif
