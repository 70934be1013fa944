/* cert_verify.c: `hocvuso cert verify CODE|FILE`: the signature (eddsa-jcs-
 * 2022, our keys or a foreign did:key), the validity period, the status
 * entry, and revocation when the database is at hand (domain/learn/
 * vc_verify.c, as the verify page and the VC API decide).  One line on stdout: VALID, VALID SIGNATURE
 * (exit 3: not issued here), INVALID, REVOKED or UNKNOWN (exit 1). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/learn/certificates.h"
#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"
#include "domain/learn/vc_verify.h"
#include "domain/places/units.h"

#define HV_EXIT_FOREIGN 3

/* The verdict of vc_verify.c (the same as the verify page's and the VC
 * API's) as one line. */
static int verify_doc(const char *text, const char *what, struct hv_store *s)
{
	json_error_t je;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		printf("INVALID %s: not JSON, or cut short (line %d: %s)\n", what, je.line, je.text);
		return HV_EXIT_FAIL;
	}
	struct hv_vc_result r;
	hv_vc_verify(s ? hv_store_conn(s) : NULL, doc, (int64_t)time(NULL), &r);
	json_t *iss = json_object_get(doc, "issuer");
	const char *issuer = json_is_string(iss) ? json_string_value(iss) : json_string_value(json_object_get(iss, "id"));
	const char *id = json_string_value(json_object_get(doc, "id"));
	json_t *subject = json_object_get(doc, "credentialSubject");
	const char *name = json_string_value(json_object_get(subject, "name"));
	const char *ach = json_string_value(json_object_get(json_object_get(subject, "achievement"), "name"));
	const char *why = r.nerrors ? r.errors[0].text : "";
	int rc = HV_EXIT_FAIL;
	switch (r.verdict) {
	case HV_VC_INVALID:
		printf("INVALID %s: %s\n", r.code[0] ? r.code : what, why);
		break;
	case HV_VC_UNKNOWN:
		printf("UNKNOWN %s: the database cannot be read (%s)\n", r.code[0] ? r.code : what, why);
		break;
	case HV_VC_CERT_REVOKED:
		printf("REVOKED %s: %s\n", r.code, r.revoked_by_holder ? "at the holder's request" : r.reason);
		break;
	case HV_VC_SIGNED_ELSEWHERE:
	case HV_VC_SIGNED_API:
		printf("VALID SIGNATURE %s: signed by %s (issuer %s), %s", id ? id : what, r.signer, issuer ? issuer : "not named",
		       r.verdict == HV_VC_SIGNED_API ? "issued through the VC API, not a course certificate" : "not issued here");
		for (int i = 0; i < r.nwarnings; i++)
			if (!strcmp(r.warnings[i].kind, "STATUS_NOT_CHECKED"))
				printf("; %s", r.warnings[i].text);
		printf("\n");
		rc = HV_EXIT_FOREIGN;
		break;
	case HV_VC_CERT_VALID:
		printf("VALID %s: %s — %s (signed by %s%s)%s\n", r.code, name ? name : "?", ach ? ach : "?", r.signer,
		       s ? "; not revoked" : "; revocation not checked: no database",
		       id && hv_url_is_loopback(id) ? " [demo certificate]" : "");
		rc = HV_EXIT_OK;
		break;
	}
	json_decref(doc);
	return rc;
}

static int verify_file(const char *path, const struct stat *st, struct hv_store *s)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	if (f && st->st_size < 1024 * 1024) {
		buf = calloc(1, (size_t)st->st_size + 1);
		len = buf ? fread(buf, 1, (size_t)st->st_size, f) : 0;
	}
	if (f)
		fclose(f);
	int rc = buf && len ? verify_doc(buf, path, s) : (printf("INVALID %s: cannot read it (empty, or over 1 MiB)\n", path), HV_EXIT_FAIL);
	free(buf);
	return rc;
}

int hv_cert_verify_cmd(struct hv_config *cfg, const char *keyfile, const char *what)
{
	char keypath[512];
	if (keyfile)
		snprintf(keypath, sizeof keypath, "%s", keyfile);
	else
		hv_config_key_path(cfg, "issuer_key", keypath, sizeof keypath);
	struct stat st;
	bool is_file = stat(what, &st) == 0 && S_ISREG(st.st_mode);
	struct hv_error e = {0};
	/* Without our key a file can still be checked (a foreign did:key). */
	if (hv_issuer_load(keypath, false, &e) < 0 && !is_file) {
		fprintf(stderr, "hocvuso cert: %s\n", e.msg);
		return HV_EXIT_FAIL;
	}
	hv_issuer_configure(cfg->public_url, cfg->issuer_name);
	/* The database is optional for a file: without it revocation is unknown. */
	struct hv_store *s = NULL;
	if (!is_file || access(cfg->db, R_OK) == 0 || !strncmp(cfg->db, "postgres", 8)) {
		s = hv_cli_open("cert", cfg, false);
		if (!s && !is_file) {
			hv_issuer_unload();
			return HV_EXIT_FAIL;
		}
	}
	int rc;
	if (is_file) {
		rc = verify_file(what, &st, s);
	} else {
		struct hv_cert cert;
		int g = hv_cert_get(hv_store_conn(s), what, &cert);
		if (g < 0) {
			printf("UNKNOWN %s: no such certificate\n", what);
			rc = HV_EXIT_FAIL;
		} else if (cert.revoked_by_holder) {
			printf("REVOKED %s: at the holder's request\n", cert.code);
			rc = HV_EXIT_FAIL;
		} else {
			rc = verify_doc(cert.credential, cert.code, s);
		}
		if (g == 0)
			hv_cert_clear(&cert);
	}
	hv_issuer_unload();
	if (s) {
		hv_units_shutdown();
		hv_store_close(s);
	}
	return rc;
}
