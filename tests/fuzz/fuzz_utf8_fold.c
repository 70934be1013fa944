/* fuzz_utf8_fold.c: UTF-8 validation and Vietnamese folding (src/core/utf8.c).
 *
 * Input: any bytes, at most HV_CSV_MAX_FIELD (the longest text hocvuso folds:
 * a unit name field of an import; search queries are capped lower, at
 * HV_SEARCH_MAX).  Properties:
 *   - hv_utf8_valid agrees with utf8proc's decoder (which also rejects
 *     overlong forms, surrogates and code points past U+10FFFF), plus "no NUL";
 *   - hv_utf8_len is the number of code points, or -1 when invalid;
 *   - hv_has_control agrees with a direct scan;
 *   - invalid input: hv_fold and hv_nfc return false and append nothing;
 *   - valid input: hv_fold appends to what the buffer held; its output is
 *     valid UTF-8, has no NUL, no ASCII capital, no đ/Đ, no leading, trailing
 *     or doubled space; fold(fold(x)) == fold(x); fold(nfc(x)) == fold(x)
 *     (tone-mark placement and NFC/NFD input meet, as utf8.h promises);
 *     nfc output is valid and nfc(nfc(x)) == nfc(x). */
#include "fuzz.h"

#include <utf8proc.h>

#include "core/buf.h"
#include "core/limits.h"
#include "core/utf8.h"

static bool ref_valid(const uint8_t *s, size_t n, long *count)
{
	size_t i = 0;
	long c = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0 || cp == 0)
			return false;
		i += (size_t)k;
		c++;
	}
	*count = c;
	return true;
}

static bool ref_control(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') || s[i] == 0x7F)
			return true;
	return false;
}

static const char *str(const struct hv_buf *b)
{
	return b->data ? b->data : "";
}

static void check_folded(const char *f, size_t n)
{
	FUZZ_ASSERT(strlen(f) == n);
	FUZZ_ASSERT(hv_utf8_valid(f, n));
	if (n == 0)
		return;
	FUZZ_ASSERT(f[0] != ' ' && f[n - 1] != ' ');
	FUZZ_ASSERT(!strstr(f, "  "));
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(!(f[i] >= 'A' && f[i] <= 'Z'));
	FUZZ_ASSERT(!strstr(f, "\xC4\x91") && !strstr(f, "\xC4\x90")); /* đ Đ */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HV_CSV_MAX_FIELD)
		return 0;
	char *s = fuzz_dup_exact(data, size);
	long want_len = -1;
	bool valid = hv_utf8_valid(s, size);
	FUZZ_ASSERT(valid == ref_valid(data, size, &want_len));
	FUZZ_ASSERT(hv_utf8_len(s, size) == (valid ? want_len : -1));
	FUZZ_ASSERT(hv_has_control(s, size) == ref_control(data, size));

	static const char prefix[] = "pre";
	struct hv_buf f, ff, n, nn, fn;
	hv_buf_init(&f);
	hv_buf_init(&ff);
	hv_buf_init(&n);
	hv_buf_init(&nn);
	hv_buf_init(&fn);
	hv_buf_puts(&f, prefix);
	hv_buf_puts(&n, prefix);
	bool fok = hv_fold(&f, s, size);
	bool nok = hv_nfc(&n, s, size);
	if (!valid) {
		FUZZ_ASSERT(!fok && !nok);
		FUZZ_ASSERT(f.len == 3 && strcmp(f.data, prefix) == 0);
		FUZZ_ASSERT(n.len == 3 && strcmp(n.data, prefix) == 0);
		goto out;
	}
	FUZZ_ASSERT(fok && nok);
	FUZZ_ASSERT(!f.failed && !n.failed);
	FUZZ_ASSERT(f.len >= 3 && memcmp(f.data, prefix, 3) == 0);
	FUZZ_ASSERT(n.len >= 3 && memcmp(n.data, prefix, 3) == 0);
	const char *folded = f.data + 3, *nfc = n.data + 3;
	size_t flen = f.len - 3, nlen = n.len - 3;
	check_folded(folded, flen);

	/* Idempotent. */
	FUZZ_ASSERT(hv_fold(&ff, folded, flen));
	FUZZ_ASSERT(strcmp(str(&ff), folded) == 0);

	/* NFC: valid, idempotent, and folding ignores it. */
	FUZZ_ASSERT(strlen(nfc) == nlen && hv_utf8_valid(nfc, nlen));
	FUZZ_ASSERT(hv_nfc(&nn, nfc, nlen));
	FUZZ_ASSERT(strcmp(str(&nn), nfc) == 0);
	FUZZ_ASSERT(hv_fold(&fn, nfc, nlen));
	FUZZ_ASSERT(strcmp(str(&fn), folded) == 0);
out:
	hv_buf_free(&f);
	hv_buf_free(&ff);
	hv_buf_free(&n);
	hv_buf_free(&nn);
	hv_buf_free(&fn);
	free(s);
	return 0;
}
