/* utf8.h: strict UTF-8 validation and Vietnamese search folding.
 *
 * Everything that enters hocvuso from outside is checked with hv_utf8_valid
 * (no overlong forms, no surrogates, nothing past U+10FFFF, no NUL).
 * hv_fold turns text into the form search compares: lower case, tone and
 * vowel marks removed (so "Hoà" and "Hòa" meet), đ → d, and every run of
 * punctuation or space collapsed to one space. */
#ifndef HV_UTF8_H
#define HV_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

bool hv_utf8_valid(const char *s, size_t n);
/* Appends the folded form of valid UTF-8 s to out; returns false (and
 * appends nothing) if s is not valid UTF-8. */
bool hv_fold(struct hv_buf *out, const char *s, size_t n);
/* NFC-normalises valid UTF-8 into out (import files may be NFD). */
bool hv_nfc(struct hv_buf *out, const char *s, size_t n);
/* Number of code points, or -1 if invalid. */
long hv_utf8_len(const char *s, size_t n);
/* True if s has a control character other than tab/newline/CR. */
bool hv_has_control(const char *s, size_t n);
/* True if s has any C0 control character (tab, line feed and carriage
 * return included) or DEL: what a one-line field, such as a name, must not
 * hold. */
bool hv_has_any_control(const char *s, size_t n);

#endif
