/* cert_doc.c: a certificate's credential: W3C Verifiable Credential 2.0 /
 * Open Badges 3.0 OpenBadgeCredential, issued by an OB 3.0 Profile (our
 * did:web, the issuing body's name), a credentialSubject identified by an
 * IdentityObject (salted SHA-256 of the account number: the learner's phone
 * would be found again from its hash by trying every number), a
 * BitstringStatusListEntry for revocation, and an eddsa-jcs-2022 proof.
 * With a loopback public_url the credential says it is a demo. */
#include "domain/learn/cert_doc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/learn/issuer.h"
#include "domain/learn/status_list.h"

static void iso_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* OB 3.0 IdentityObject: identityHash = "sha256$" + hex(SHA-256(value + salt)). */
static json_t *new_identifier(int64_t account)
{
	unsigned char salt[16], h[crypto_hash_sha256_BYTES];
	char salt_hex[33], value[64], hex[2 * sizeof h + 1], hash[8 + sizeof hex];
	randombytes_buf(salt, sizeof salt);
	sodium_bin2hex(salt_hex, sizeof salt_hex, salt, sizeof salt);
	int n = snprintf(value, sizeof value, "%lld%s", (long long)account, salt_hex);
	crypto_hash_sha256(h, (const unsigned char *)value, (unsigned long long)n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(hash, sizeof hash, "sha256$%s", hex);
	return json_pack("{s:s, s:s, s:s, s:b, s:s}", "type", "IdentityObject", "identityHash", hash, "identityType", "accountId",
	                 "hashed", 1, "salt", salt_hex);
}

static json_t *status_entry(int64_t seq)
{
	char list[400], id[440], idx[24];
	hv_status_list_url(seq / HV_STATUS_LIST_BITS + 1, list, sizeof list);
	snprintf(idx, sizeof idx, "%lld", (long long)(seq % HV_STATUS_LIST_BITS));
	snprintf(id, sizeof id, "%s#%s", list, idx);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "type", "BitstringStatusListEntry", "statusPurpose", "revocation",
	                 "statusListIndex", idx, "statusListCredential", list);
}

char *hv_cert_doc(const struct hv_cert_facts *f, int64_t now, struct hv_error *e)
{
	char issued[32], signed_at[32], id[512], url[512], narrative[200], name[640];
	iso_time(f->issued_at, issued);
	iso_time(now, signed_at);
	const char *base = hv_issuer_url();
	bool demo = hv_issuer_demo();
	snprintf(id, sizeof id, "%s/xac-thuc/%s", base, f->code);
	snprintf(url, sizeof url, "%s/hoc/%s", base, f->course_slug);
	snprintf(narrative, sizeof narrative, "Đọc hết các bài học và đạt bài kiểm tra cuối khóa (từ %d%% số câu đúng).", f->pass_mark);
	snprintf(name, sizeof name, "%sChứng nhận: %s", demo ? "[BẢN THỬ – DEMO] " : "", f->course_title);
	json_t *identifier = f->identifier && json_is_object(f->identifier) ? json_deep_copy(f->identifier) : new_identifier(f->account_id);
	json_t *doc = json_pack(
		"{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s, s:s}, s:s, s:s, "
		"s:{s:[s], s:s, s:[o], s:{s:s, s:[s], s:s, s:s, s:{s:s}}}}",
		"@context", "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
		"id", id,
		"type", "VerifiableCredential", "OpenBadgeCredential",
		"issuer", "id", hv_issuer_id(), "type", "Profile", "name", hv_issuer_name(), "url", base,
		"validFrom", issued,
		"name", name,
		"credentialSubject", "type", "AchievementSubject", "name", f->holder, "identifier", identifier,
		"achievement", "id", url, "type", "Achievement", "name", f->course_title, "description", f->summary,
		"criteria", "narrative", narrative);
	if (!doc) {
		hv_err_set(e, HV_EINTERNAL, NULL, "cannot build the credential");
		return NULL;
	}
	if (demo)
		json_object_set_new(doc, "description",
		                    json_string("Chứng nhận thử, cấp từ máy chạy thử (public_url là địa chỉ nội bộ): không có giá trị. "
		                                "Demo certificate from a test server: not valid."));
	if (f->status_seq >= 0)
		json_object_set_new(doc, "credentialStatus", status_entry(f->status_seq));
	char vm[400];
	hv_issuer_vm(vm, sizeof vm);
	char *out = NULL;
	if (hv_credential_sign(doc, vm, signed_at, e) == 0)
		out = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	return out;
}
