/* sessions.h: browser sessions and API tokens with their scopes
 * (sessions.c). */
#ifndef HV_SESSIONS_H
#define HV_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/people/auth.h"

/* Sessions: creates one for account (second_factor as given) and writes the
 * cookie value to token. */
int hv_session_create(struct hv_store *s, const struct hv_account *a, bool second_factor,
                      char token[HV_TOKEN_CHARS + 1], struct hv_error *e);
/* Fills p from a session cookie value; HV_EUNAUTH if unknown, expired,
 * idle too long (HV_SESSION_IDLE_SECONDS for staff,
 * HV_SESSION_LEARNER_IDLE_SECONDS for learners), revoked or the account is
 * disabled. */
int hv_session_lookup(struct hv_store *s, const char *token, struct hv_principal *p);
int hv_session_revoke(struct hv_store *s, const char *session_hash);
int hv_session_second_factor(struct hv_store *s, const char *session_hash);

/* What a token may do beyond its account's roles (api_tokens.scopes). */
enum { HV_SCOPE_ISSUE = 1 };  /* "issue": sign credentials through the VC API */
/* "issue" → HV_SCOPE_ISSUE; a space- or comma-separated list; -1 if one is unknown. */
int hv_scopes_parse(const char *text);
/* The names of scopes, space-separated, into out. */
void hv_scopes_text(unsigned scopes, char *out, size_t cap);

/* API tokens: prints nothing; token receives the bearer value, *id and
 * *expires (may be NULL) its id and when it expires: after days days (1 to
 * HV_TOKEN_DAYS_MAX, else HV_EINVAL), with scopes (HV_SCOPE_*, 0 for none). */
int hv_token_create(struct hv_store *s, int64_t account, const char *label, int days, unsigned scopes,
                    char token[HV_TOKEN_CHARS + 1], int64_t *id, int64_t *expires, struct hv_error *e);
int hv_token_revoke(struct hv_store *s, const char *token_or_id, struct hv_error *e);
/* Fills p from a bearer token; HV_EUNAUTH if unknown, revoked, expired (then
 * *expired_at is when, else 0) or the account is disabled.  Records the
 * time of use, at most once a minute and without waiting. */
int hv_token_lookup(struct hv_store *s, const char *token, struct hv_principal *p, int64_t *expired_at);
struct hv_token_info {
	int64_t id, created, expires, last_used, revoked; /* last_used, revoked: 0 if never */
	char login[65];
	char label[101];
	unsigned scopes;
};
typedef void (*hv_token_cb)(const struct hv_token_info *t, void *arg);
/* The tokens of account (0: of every account), oldest first. */
int hv_token_list(struct hv_conn *c, int64_t account, hv_token_cb cb, void *arg);

#endif
