/* status_list.c: the published revocation lists (see status_list.h). */
#include "domain/learn/status_list.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"

#define KEPT 64 /* lists kept in memory: 8.4 million certificates */

struct kept {
	int64_t list, version;
	char *text;
	size_t len;
};

static struct kept kept[KEPT];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void hv_status_list_url(int64_t list, char *out, size_t cap)
{
	snprintf(out, cap, "%s/api/v1/status/%lld", hv_issuer_url(), (long long)list);
}

static int64_t list_version(struct hv_conn *c, int64_t list, int *rc)
{
	struct hv_stmt *st = hv_sql(c, "SELECT version FROM status_lists WHERE list_id = $1");
	hv_bind_i64(st, 1, list);
	*rc = hv_step(st);
	int64_t v = *rc == 1 ? hv_col_i64(st, 0) : 0;
	hv_stmt_done(st);
	return v;
}

/* gzip (RFC 1952) of n bytes into out. */
static bool gzip_bytes(const unsigned char *in, size_t n, struct hv_buf *out)
{
	z_stream z = {0};
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	uLong cap = deflateBound(&z, (uLong)n);
	unsigned char *tmp = hv_xcalloc(cap, 1);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	z.next_out = tmp;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	if (rc == Z_STREAM_END)
		hv_buf_append(out, tmp, z.total_out);
	deflateEnd(&z);
	free(tmp);
	return rc == Z_STREAM_END;
}

/* Reads the revoked certificates of the list and signs it. */
static char *build(struct hv_conn *c, int64_t list, int *err)
{
	unsigned char *bits = hv_xcalloc(HV_STATUS_LIST_BITS / 8, 1);
	int64_t first = (list - 1) * HV_STATUS_LIST_BITS;
	struct hv_stmt *st = hv_sql(c, "SELECT status_seq FROM certificates WHERE status_seq >= $1 AND status_seq < $2 "
	                               "AND revoked_at IS NOT NULL");
	hv_bind_i64(st, 1, first);
	hv_bind_i64(st, 2, first + HV_STATUS_LIST_BITS);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		int64_t i = hv_col_i64(st, 0) - first;
		bits[i / 8] |= (unsigned char)(0x80 >> (i % 8));
	}
	hv_stmt_done(st);
	struct hv_buf z;
	hv_buf_init(&z);
	bool zipped = rc == 0 && gzip_bytes(bits, HV_STATUS_LIST_BITS / 8, &z);
	free(bits);
	if (!zipped) {
		hv_buf_free(&z);
		*err = rc < 0 ? HV_EUNAVAIL : HV_EINTERNAL;
		return NULL;
	}
	size_t cap = sodium_base64_ENCODED_LEN(z.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *enc = hv_xcalloc(cap + 1, 1);
	enc[0] = 'u'; /* multibase: base64url without padding */
	sodium_bin2base64(enc + 1, cap, (const unsigned char *)z.data, z.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	hv_buf_free(&z);
	char url[400], subject[420], when[32], vm[400];
	hv_status_list_url(list, url, sizeof url);
	snprintf(subject, sizeof subject, "%s#list", url);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *doc = json_pack("{s:[s], s:s, s:[s,s], s:{s:s, s:[s], s:s, s:s}, s:s, s:{s:s, s:s, s:s, s:s}}",
	                        "@context", "https://www.w3.org/ns/credentials/v2",
	                        "id", url,
	                        "type", "VerifiableCredential", "BitstringStatusListCredential",
	                        "issuer", "id", hv_issuer_id(), "type", "Profile", "name", hv_issuer_name(), "url", hv_issuer_url(),
	                        "validFrom", when,
	                        "credentialSubject", "id", subject, "type", "BitstringStatusList", "statusPurpose", "revocation",
	                        "encodedList", enc);
	free(enc);
	hv_issuer_vm(vm, sizeof vm);
	struct hv_error e = {0};
	char *out = NULL;
	if (doc && hv_credential_sign(doc, vm, when, &e) == 0)
		out = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	*err = out ? HV_OK : HV_EINTERNAL;
	return out;
}

/* Does the list hold a certificate?  (List 1 always exists.) */
int hv_status_bit(struct hv_conn *c, int64_t seq, bool *set)
{
	struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM certificates WHERE status_seq = $1 AND revoked_at IS NOT NULL");
	if (!st)
		return HV_EUNAVAIL;
	hv_bind_i64(st, 1, seq);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	*set = rc == 1;
	return HV_OK;
}

static int list_exists(struct hv_conn *c, int64_t list)
{
	if (list == 1)
		return 1;
	struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM certificates WHERE status_seq >= $1 AND status_seq < $2 LIMIT 1");
	hv_bind_i64(st, 1, (list - 1) * HV_STATUS_LIST_BITS);
	hv_bind_i64(st, 2, list * HV_STATUS_LIST_BITS);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc;
}

int hv_status_list_get(struct hv_conn *c, int64_t list, struct hv_buf *out, struct hv_error *e)
{
	if (list < 1 || list > INT64_MAX / HV_STATUS_LIST_BITS)
		return hv_err_set(e, HV_ENOTFOUND, "list", "Không có danh sách trạng thái số %lld.", (long long)list);
	int rc;
	int64_t version = list_version(c, list, &rc);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không đọc được danh sách trạng thái, vui lòng thử lại.");
	struct kept *k = &kept[(size_t)(list - 1) % KEPT];
	pthread_mutex_lock(&lock);
	if (k->text && k->list == list && k->version == version) {
		hv_buf_append(out, k->text, k->len);
		pthread_mutex_unlock(&lock);
		return HV_OK;
	}
	pthread_mutex_unlock(&lock);
	int exists = list_exists(c, list);
	if (exists < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không đọc được danh sách trạng thái, vui lòng thử lại.");
	if (!exists)
		return hv_err_set(e, HV_ENOTFOUND, "list", "Không có danh sách trạng thái số %lld.", (long long)list);
	int err;
	char *text = build(c, list, &err);
	if (!text)
		return hv_err_set(e, err, NULL, "Không dựng được danh sách trạng thái, vui lòng thử lại.");
	size_t len = strlen(text);
	hv_buf_append(out, text, len);
	pthread_mutex_lock(&lock);
	/* Two builds of one version are equal but for the signing time:
	 * either may stay.  An older version never replaces a newer one. */
	if (!(k->text && k->list == list && k->version > version)) {
		free(k->text);
		*k = (struct kept){.list = list, .version = version, .text = text, .len = len};
		text = NULL;
	}
	pthread_mutex_unlock(&lock);
	free(text);
	return HV_OK;
}

_Static_assert(HV_STATUS_LIST_BITS == 131072, "the statements below divide by it");

/* One more on the counter of each list that holds a certificate the
 * statement's WHERE picks ($1: a code or an account). */
static int touch(struct hv_conn *c, const char *where, const char *code, int64_t account)
{
	struct hv_stmt *st = hv_sql(c, where);
	if (code)
		hv_bind_text(st, 1, code);
	else
		hv_bind_i64(st, 1, account);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

#define TOUCH_SQL(where)                                                                                              \
	"INSERT INTO status_lists (list_id, version) SELECT DISTINCT status_seq / 131072 + 1, 1 FROM certificates WHERE " \
	where " AND status_seq IS NOT NULL ON CONFLICT (list_id) DO UPDATE SET version = status_lists.version + 1"

int hv_status_list_touch(struct hv_conn *c, const char *code)
{
	return touch(c, TOUCH_SQL("code = $1"), code, 0);
}

int hv_status_list_touch_account(struct hv_conn *c, int64_t account)
{
	return touch(c, TOUCH_SQL("account_id = $1"), NULL, account);
}

void hv_status_list_forget(void)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < KEPT; i++) {
		free(kept[i].text);
		kept[i] = (struct kept){0};
	}
	pthread_mutex_unlock(&lock);
}
