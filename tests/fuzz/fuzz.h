/* fuzz.h: what every libFuzzer harness in tests/fuzz/ shares.
 *
 * A harness checks properties, not just "did not crash": FUZZ_ASSERT prints
 * the failed condition and aborts, which libFuzzer (and the replay binary)
 * report as a crash.  Inputs are copied into exactly-sized heap buffers so
 * that ASan catches a parser reading one byte past what it was given. */
#ifndef HV_FUZZ_H
#define HV_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "FUZZ_ASSERT failed: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The field and cookie name allow-list of src/http/parse.c, written out
 * again here so that the harnesses check the parser against the rule and
 * not against itself: 1..max bytes of [A-Za-z0-9_.[]-]. */
static inline bool fuzz_field_name_ok(const char *k, size_t max)
{
	size_t n = strlen(k);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.' || c == '[' || c == ']'))
			return false;
	}
	return true;
}

/* A heap copy of data[0..n) with no terminator (ASan sees over-reads). */
static inline char *fuzz_dup_exact(const uint8_t *data, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (!p)
		abort();
	if (n)
		memcpy(p, data, n);
	return p;
}

/* A NUL-terminated heap copy of data[0..n) cut at the first NUL, as a C
 * string from libmicrohttpd would be. */
static inline char *fuzz_cstr(const uint8_t *data, size_t n)
{
	const uint8_t *z = memchr(data, 0, n);
	if (z)
		n = (size_t)(z - data);
	char *p = malloc(n + 1);
	if (!p)
		abort();
	if (n)
		memcpy(p, data, n);
	p[n] = '\0';
	return p;
}

#endif
