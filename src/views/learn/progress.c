/* progress.c: the signed anonymous-progress cookie (see progress.h). */
#include "views/learn/progress.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"

#define SIG_CHARS 22  /* 128 bits of HMAC-SHA256, base64url */

static void sign(struct hv_ctx *c, const char *payload, size_t n, char out[SIG_CHARS + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	hv_hmac(c, "progress:", payload, n, mac);
	char full[64];
	sodium_bin2base64(full, sizeof full, mac, 16, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	memcpy(out, full, SIG_CHARS);
	out[SIG_CHARS] = '\0';
}

bool hv_claim_has_lesson(const struct hv_claim *cl, int64_t id)
{
	for (int i = 0; i < cl->nlessons; i++)
		if (cl->lessons[i] == id)
			return true;
	return false;
}

void hv_claim_add_lesson(struct hv_claim *cl, int64_t id)
{
	if (!hv_claim_has_lesson(cl, id) && cl->nlessons < HV_CLAIM_MAX_LESSONS)
		cl->lessons[cl->nlessons++] = id;
}

void hv_claim_add_quiz(struct hv_claim *cl, int64_t course, int score, int total)
{
	for (int i = 0; i < cl->nquizzes; i++) {
		if (cl->quizzes[i].course == course) {
			if (score * cl->quizzes[i].total > cl->quizzes[i].score * total || cl->quizzes[i].total == 0) {
				cl->quizzes[i].score = score;
				cl->quizzes[i].total = total;
			}
			return;
		}
	}
	if (cl->nquizzes < HV_CLAIM_MAX_QUIZZES) {
		cl->quizzes[cl->nquizzes].course = course;
		cl->quizzes[cl->nquizzes].score = score;
		cl->quizzes[cl->nquizzes].total = total;
		cl->nquizzes++;
	}
}

static bool nonce_ok(const char *s, size_t n)
{
	return n == HV_NONCE_CHARS &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == HV_NONCE_CHARS;
}

void hv_progress_read(struct hv_ctx *c, struct hv_claim *out)
{
	memset(out, 0, sizeof *out);
	const char *v = hv_cookie(c, "hv_p");
	if (!v)
		return;
	size_t n = strlen(v);
	if (n < SIG_CHARS + 6 || n > 3800 || v[n - SIG_CHARS - 1] != '~')
		return;
	char want[SIG_CHARS + 1];
	sign(c, v, n - SIG_CHARS - 1, want);
	if (sodium_memcmp(want, v + n - SIG_CHARS, SIG_CHARS) != 0)
		return;
	char *copy = hv_arena_strndup(c->arena, v, n - SIG_CHARS - 1);
	char *save = NULL;
	struct hv_claim tmp = {0};
	for (char *part = strtok_r(copy, "~", &save); part; part = strtok_r(NULL, "~", &save)) {
		char *save2 = NULL;
		if (!strncmp(part, "n:", 2) && nonce_ok(part + 2, strlen(part + 2))) {
			memcpy(tmp.nonce, part + 2, HV_NONCE_CHARS + 1);
		} else if (!strncmp(part, "l:", 2)) {
			for (char *id = strtok_r(part + 2, ".", &save2); id; id = strtok_r(NULL, ".", &save2)) {
				int64_t x;
				if (hv_parse_i64(id, 1, INT64_MAX, &x) == 0)
					hv_claim_add_lesson(&tmp, x);
			}
		}
	}
	if (tmp.nonce[0])
		*out = tmp;
}

void hv_progress_write(struct hv_ctx *c, struct hv_claim *cl)
{
	if (!cl->nonce[0]) {
		unsigned char raw[16];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2base64(cl->nonce, sizeof cl->nonce, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_printf(&b, "n:%s~l:", cl->nonce);
	for (int i = 0; i < cl->nlessons; i++)
		hv_buf_printf(&b, "%s%lld", i ? "." : "", (long long)cl->lessons[i]);
	char sig[SIG_CHARS + 1];
	sign(c, b.data, b.len, sig);
	hv_buf_putc(&b, '~');
	hv_buf_puts(&b, sig);
	char *value = hv_arena_strndup(c->arena, b.data, b.len);
	hv_buf_free(&b);
	hv_set_cookie(c, "hv_p", value, 30LL * 86400);
	/* Later reads in this request see the new cookie (one nonce per visitor). */
	for (int i = 0; i < c->cookies.n; i++)
		if (!strcmp(c->cookies.items[i].key, "hv_p")) {
			c->cookies.items[i].value = value;
			return;
		}
	struct hv_kv *items = hv_arena_alloc(c->arena, (size_t)(c->cookies.n + 1) * sizeof *items);
	if (c->cookies.n)
		memcpy(items, c->cookies.items, (size_t)c->cookies.n * sizeof *items);
	items[c->cookies.n++] = (struct hv_kv){"hv_p", value};
	c->cookies.items = items;
	c->cookies.cap = c->cookies.n;
}

bool hv_learner_ref_of(struct hv_ctx *c, bool create, struct hv_learner_ref *out, struct hv_claim *cl)
{
	struct hv_claim local;
	if (!cl)
		cl = &local;
	memset(out, 0, sizeof *out);
	memset(cl, 0, sizeof *cl);
	if (c->who && c->who->second_factor) {
		out->account = c->who->acct.id;
		return true;
	}
	hv_progress_read(c, cl);
	if (!cl->nonce[0]) {
		if (!create)
			return false;
		hv_progress_write(c, cl);
	}
	memcpy(out->nonce, cl->nonce, sizeof out->nonce);
	return true;
}

void hv_learner_key(const struct hv_learner_ref *who, char out[HV_LEARNER_KEY_MAX])
{
	if (who->account)
		snprintf(out, HV_LEARNER_KEY_MAX, "a%lld", (long long)who->account);
	else
		snprintf(out, HV_LEARNER_KEY_MAX, "n%s", who->nonce);
}
