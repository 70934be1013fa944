/* replay_main.c: runs a harness's LLVMFuzzerTestOneInput on each file named
 * on the command line, without libFuzzer.  Linked with ASan+UBSan into
 * build/fuzz/replay_<name> so that `make check` can replay the corpus and
 * tests/fuzz/regression/ quickly.  A failing property aborts, a sanitizer
 * finding halts: either way the exit status is non-zero. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	unsigned char *d = malloc(cap);
	for (;;) {
		if (!d) {
			fclose(f);
			return NULL;
		}
		n += fread(d + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		unsigned char *nd = realloc(d, cap);
		if (!nd)
			free(d);
		d = nd;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(d);
		return NULL;
	}
	*len = n;
	return d;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	int failed = 0;
	for (int i = 1; i < argc; i++) {
		size_t len = 0;
		unsigned char *d = slurp(argv[i], &len);
		if (!d) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			failed = 1;
			continue;
		}
		/* An exact-size copy: slurp's buffer is larger than the input. */
		unsigned char *exact = malloc(len ? len : 1);
		if (!exact)
			abort();
		memcpy(exact, d, len);
		free(d);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
		printf("ok %s (%zu bytes)\n", argv[i], len);
	}
	return failed;
}
