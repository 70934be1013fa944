/* deflate.h: this thread's raw deflate stream (zlib, level 1), reset for
 * a new use.  Setting one up costs ~110 µs of allocation and clearing,
 * more than compressing a 26 KB page with it (~80 µs); each thread keeps
 * one (~270 KB), freed when the thread ends.  NULL if zlib fails. */
#ifndef HV_DEFLATE_H
#define HV_DEFLATE_H

#include <zlib.h>

z_stream *hv_deflate_stream(void);

#endif
