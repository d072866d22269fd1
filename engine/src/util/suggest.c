#include "suggest.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

enum { VG_MAX_WORD = 64 };

unsigned vg_edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > VG_MAX_WORD || m > VG_MAX_WORD)
		return 255;
	unsigned d[VG_MAX_WORD + 1][VG_MAX_WORD + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
			unsigned best = d[i - 1][j - 1] + (same ? 0 : 1);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m] > 255 ? 255 : d[n][m];
}

/* Letters and digits only, lower-cased: "api_endpoint" and "APIEndpoint" compare equal. */
static void squash(char *out, size_t cap, const char *s)
{
	size_t k = 0;
	for (; *s && k + 1 < cap; s++)
		if (isalnum((unsigned char)*s))
			out[k++] = (char)tolower((unsigned char)*s);
	out[k] = '\0';
}

const char *vg_suggest(const char *word, const char *const *candidates, size_t count)
{
	if (!word || !*word)
		return NULL;
	char w[VG_MAX_WORD + 1], c[VG_MAX_WORD + 1];
	squash(w, sizeof w, word);
	const char *best = NULL;
	unsigned best_d = 255;
	size_t len = strlen(word);
	unsigned allowed = (unsigned)(len / 3);
	if (allowed < 1)
		allowed = 1;
	for (size_t i = 0; i < count; i++) {
		if (strcasecmp(word, candidates[i]) == 0)
			return candidates[i];
		squash(c, sizeof c, candidates[i]);
		if (*w && strcmp(w, c) == 0)
			return candidates[i];
		unsigned d = vg_edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best_d <= allowed ? best : NULL;
}
