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
		if (!strncmp(part, "l:", 2)) {
			for (char *id = strtok_r(part + 2, ".", &save2); id; id = strtok_r(NULL, ".", &save2)) {
				int64_t x;
				if (hv_parse_i64(id, 1, INT64_MAX, &x) == 0)
					hv_claim_add_lesson(&tmp, x);
			}
		} else if (!strncmp(part, "q:", 2)) {
			for (char *q = strtok_r(part + 2, ".", &save2); q; q = strtok_r(NULL, ".", &save2)) {
				long long course, score, total;
				if (sscanf(q, "%lld-%lld-%lld", &course, &score, &total) == 3 && course > 0 && score >= 0 && total > 0 &&
				    score <= total && total <= HV_QUIZ_MAX_QUESTIONS)
					hv_claim_add_quiz(&tmp, course, (int)score, (int)total);
			}
		}
	}
	*out = tmp;
}

void hv_progress_write(struct hv_ctx *c, const struct hv_claim *cl)
{
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_puts(&b, "l:");
	for (int i = 0; i < cl->nlessons; i++)
		hv_buf_printf(&b, "%s%lld", i ? "." : "", (long long)cl->lessons[i]);
	hv_buf_puts(&b, "~q:");
	for (int i = 0; i < cl->nquizzes; i++)
		hv_buf_printf(&b, "%s%lld-%d-%d", i ? "." : "", (long long)cl->quizzes[i].course, cl->quizzes[i].score, cl->quizzes[i].total);
	char sig[SIG_CHARS + 1];
	sign(c, b.data, b.len, sig);
	hv_buf_putc(&b, '~');
	hv_buf_puts(&b, sig);
	hv_set_cookie(c, "hv_p", hv_arena_strndup(c->arena, b.data, b.len), 30LL * 86400);
	hv_buf_free(&b);
}
