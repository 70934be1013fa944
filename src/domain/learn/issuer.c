/* issuer.c: the issuer's identifier, name and keys (see issuer.h). */
#include "domain/learn/issuer.h"

#include <ctype.h>
#include <strings.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/learn/learning.h"
#include "domain/people/audit.h"

static char issuer_id[320], issuer_name[256] = HV_ISSUER_NAME_DEFAULT;

bool hv_url_is_loopback(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	if (!strncmp(p, "[::1]", 5))
		return true;
	size_t n = strcspn(p, ":/");
	if (n == 9 && !strncasecmp(p, "localhost", 9))
		return true;
	if (n > 10 && !strncasecmp(p + n - 10, ".localhost", 10))
		return true;
	return n >= 4 && !strncmp(p, "127.", 4);
}

void hv_issuer_configure(const char *public_url, const char *name)
{
	hv_learn_configure(public_url);
	if (name && *name)
		snprintf(issuer_name, sizeof issuer_name, "%s", name);
	/* did:web: the host (a port's ':' as %3A), then each path segment
	 * after a ':' (W3C did:web method, "Create"). */
	const char *url = hv_learn_public_url();
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = (size_t)snprintf(issuer_id, sizeof issuer_id, "did:web:");
	bool in_host = true;
	for (; *p && n + 4 < sizeof issuer_id; p++) {
		if (*p == '/') {
			issuer_id[n++] = ':';
			in_host = false;
		} else if (*p == ':') {
			memcpy(issuer_id + n, "%3A", 3);
			n += 3;
		} else {
			issuer_id[n++] = in_host ? (char)tolower((unsigned char)*p) : *p;
		}
	}
	issuer_id[n] = '\0';
}

const char *hv_issuer_id(void)
{
	if (!issuer_id[0])
		hv_issuer_configure(hv_learn_public_url(), NULL);
	return issuer_id;
}

const char *hv_issuer_name(void)
{
	return issuer_name;
}

const char *hv_issuer_url(void)
{
	return hv_learn_public_url();
}

bool hv_issuer_demo(void)
{
	return hv_url_is_loopback(hv_learn_public_url());
}

void hv_issuer_vm(char *out, size_t cap)
{
	snprintf(out, cap, "%s#%s", hv_issuer_id(), hv_issuer_multikey());
}

static int register_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)arg;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO issuer_keys (multikey, created_at) VALUES ($1, $2) ON CONFLICT (multikey) DO NOTHING");
	hv_bind_text(st, 1, hv_issuer_multikey());
	hv_bind_i64(st, 2, (int64_t)time(NULL));
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "cannot record the issuer key") : HV_OK;
}

int hv_issuer_register(struct hv_store *s, struct hv_error *e)
{
	if (!hv_issuer_ready())
		return hv_err_set(e, HV_EINTERNAL, NULL, "the issuer key is not loaded");
	return hv_store_write(s, register_fn, NULL, e);
}

int hv_issuer_key_known(struct hv_conn *c, const char *multikey)
{
	if (hv_issuer_key_retired(multikey))
		return 0;
	if (hv_issuer_ready() && !strcmp(multikey, hv_issuer_multikey()))
		return 1;
	if (!c)
		return 0;
	struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM issuer_keys WHERE multikey = $1");
	hv_bind_text(st, 1, multikey);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc;
}

int hv_issuer_keys(struct hv_conn *c, struct hv_issuer_key *out, int max)
{
	struct hv_stmt *st = hv_sql(c, "SELECT multikey, created_at, replaced_at FROM issuer_keys ORDER BY created_at, multikey");
	int n = 0, rc;
	while ((rc = hv_step(st)) == 1) {
		const char *mk = hv_col_text(st, 0);
		if (n >= max || hv_issuer_key_retired(mk) || strlen(mk) >= sizeof out[n].multikey)
			continue;
		snprintf(out[n].multikey, sizeof out[n].multikey, "%s", mk);
		out[n].created_at = hv_col_i64(st, 1);
		out[n].replaced_at = hv_col_null(st, 2) ? 0 : hv_col_i64(st, 2);
		n++;
	}
	hv_stmt_done(st);
	return rc < 0 ? rc : n;
}

static int rotate_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	const char *mk = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_stmt *st = hv_sql(c, "UPDATE issuer_keys SET replaced_at = $2 WHERE replaced_at IS NULL AND multikey <> $1");
	hv_bind_text(st, 1, mk);
	hv_bind_i64(st, 2, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc >= 0) {
		st = hv_sql(c, "INSERT INTO issuer_keys (multikey, created_at) VALUES ($1, $2) ON CONFLICT (multikey) DO NOTHING");
		hv_bind_text(st, 1, mk);
		hv_bind_i64(st, 2, now);
		rc = hv_step(st);
		hv_stmt_done(st);
	}
	if (rc >= 0 && hv_audit(c, 0, "issuer.rotate_key", mk, NULL, NULL, "cli") < 0)
		rc = HV_EUNAVAIL;
	return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "cannot record the new issuer key") : HV_OK;
}

int hv_issuer_rotate(struct hv_store *s, const char *multikey, struct hv_error *e)
{
	return hv_store_write(s, rotate_fn, (void *)multikey, e);
}
