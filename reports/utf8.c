/* utf8.c — UTF-8 well-formedness, shared by the writers (RFC 3629, Unicode table 3-7). */
#include "writers.h"

static int is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t vg_utf8_sequence_length(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return is_continuation(s[1]) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		/* E0 would be overlong below A0; ED above 9F would encode a surrogate. */
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		return s[1] >= lo && s[1] <= hi && is_continuation(s[2]) ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		/* F0 would be overlong below 90; F4 above 8F would pass U+10FFFF. */
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		return s[1] >= lo && s[1] <= hi && is_continuation(s[2]) && is_continuation(s[3])
		               ? 4
		               : 0;
	}
	return 0;
}
