/* cmd_cert.c: `hocvuso cert verify CODE|FILE` checks a certificate offline
 * (signature by this issuer's key, and revocation when the database is
 * at hand); `hocvuso cert revoke CODE --reason TEXT` revokes one. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/learn/credential.h"
#include "domain/learn/learning.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso cert verify CODE|FILE.json [--db PATH|URL] [--issuer-key FILE]\n"
	"       hocvuso cert revoke CODE --reason TEXT [--db PATH|URL]\n"
	"\n"
	"verify: exit 0 if the certificate is valid, 1 if it is invalid, tampered,\n"
	"not issued with this issuer's key, revoked or unknown. FILE is the signed\n"
	"JSON a learner downloads; it is checked without the network.\n";

static int verify_doc(const char *text, const char *what, struct hv_store *s)
{
	json_error_t je;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		printf("INVALID %s: not JSON (line %d: %s)\n", what, je.line, je.text);
		return HV_EXIT_FAIL;
	}
	const char *signer = NULL;
	struct hv_error e = {0};
	int rc = hv_credential_verify(doc, &signer, &e);
	if (rc < 0) {
		printf("INVALID %s: %s\n", what, e.msg);
		json_decref(doc);
		return HV_EXIT_FAIL;
	}
	const char *issuer = json_string_value(json_object_get(json_object_get(doc, "issuer"), "id"));
	if (!issuer || strcmp(issuer, signer) != 0) {
		printf("INVALID %s: signed by %s, but the issuer field says %s\n", what, signer, issuer ? issuer : "nothing");
		json_decref(doc);
		return HV_EXIT_FAIL;
	}
	if (strcmp(signer, hv_issuer_did()) != 0) {
		printf("INVALID %s: signed by %s, not by this issuer (%s)\n", what, signer, hv_issuer_did());
		json_decref(doc);
		return HV_EXIT_FAIL;
	}
	const char *id = json_string_value(json_object_get(doc, "id"));
	const char *slash = id ? strrchr(id, '/') : NULL;
	char code[HV_CERT_CODE_MAX] = "";
	if (!slash || !hv_cert_code_normalise(slash + 1, code)) {
		printf("INVALID %s: no certificate code in its id\n", what);
		json_decref(doc);
		return HV_EXIT_FAIL;
	}
	const char *name = json_string_value(json_object_get(json_object_get(doc, "credentialSubject"), "name"));
	const char *ach = json_string_value(json_object_get(json_object_get(json_object_get(doc, "credentialSubject"), "achievement"), "name"));
	if (s) {
		struct hv_cert cert;
		int g = hv_cert_get(hv_store_conn(s), code, &cert);
		if (g == 0 && cert.revoked_at) {
			printf("REVOKED %s: %s\n", code, cert.reason);
			hv_cert_clear(&cert);
			json_decref(doc);
			return HV_EXIT_FAIL;
		}
		if (g == 0)
			hv_cert_clear(&cert);
		else if (g == HV_ENOTFOUND) {
			printf("INVALID %s: signed, but not in this database\n", code);
			json_decref(doc);
			return HV_EXIT_FAIL;
		}
	}
	printf("VALID %s: %s — %s (signed by %s%s)\n", code, name ? name : "?", ach ? ach : "?", signer,
	       s ? "; not revoked" : "; revocation not checked: no database");
	json_decref(doc);
	return HV_EXIT_OK;
}

int hv_cmd_cert(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *reason = NULL, *keyfile = NULL, *pos[2];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL}, {"config", &config, NULL}, {"reason", &reason, NULL}, {"issuer-key", &keyfile, NULL}, {0}};
	if (hv_cli_parse("cert", usage, argc, argv, 2, opts, pos, 2, 2, &npos, &code) < 0)
		return code;
	bool verify = !strcmp(pos[0], "verify");
	if (!verify && strcmp(pos[0], "revoke") != 0)
		return hv_cli_usage_error("cert", "unknown subcommand '%s': expected verify or revoke", pos[0]);
	if (!verify && !reason)
		return hv_cli_usage_error("cert", "revoke needs --reason TEXT");
	struct hv_config cfg;
	if ((code = hv_cli_config("cert", config, db, &cfg)) != 0)
		return code;
	struct hv_error e = {0};
	if (!verify) {
		struct hv_store *s = hv_cli_open("cert", &cfg, false);
		if (!s)
			return HV_EXIT_FAIL;
		int rc = hv_cert_revoke(s, pos[1], reason, 0, "cli", &e);
		hv_units_shutdown();
		hv_store_close(s);
		if (rc < 0) {
			fprintf(stderr, "hocvuso cert: %s\n", e.msg);
			return e.code == HV_EINVAL || e.code == HV_ENOTFOUND ? HV_EXIT_USAGE : HV_EXIT_FAIL;
		}
		printf("revoked %s\n", pos[1]);
		return HV_EXIT_OK;
	}
	char keypath[512];
	if (keyfile)
		snprintf(keypath, sizeof keypath, "%s", keyfile);
	else
		hv_config_key_path(&cfg, "issuer_key", keypath, sizeof keypath);
	if (hv_issuer_load(keypath, false, &e) < 0) {
		fprintf(stderr, "hocvuso cert: %s\n", e.msg);
		return HV_EXIT_FAIL;
	}
	struct stat st;
	bool is_file = stat(pos[1], &st) == 0 && S_ISREG(st.st_mode);
	/* The database is optional for a file: without it revocation is unknown. */
	struct hv_store *s = NULL;
	if (!is_file || access(cfg.db, R_OK) == 0 || !strncmp(cfg.db, "postgres", 8)) {
		s = hv_cli_open("cert", &cfg, false);
		if (!s && !is_file) {
			hv_issuer_unload();
			return HV_EXIT_FAIL;
		}
	}
	int rc;
	if (is_file) {
		FILE *f = fopen(pos[1], "rb");
		char *buf = NULL;
		size_t len = 0;
		if (f && st.st_size < 1024 * 1024) {
			buf = calloc(1, (size_t)st.st_size + 1);
			len = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
		}
		if (f)
			fclose(f);
		rc = buf && len ? verify_doc(buf, pos[1], s) : (printf("INVALID %s: cannot read it\n", pos[1]), HV_EXIT_FAIL);
		free(buf);
	} else {
		struct hv_cert cert;
		int g = hv_cert_get(hv_store_conn(s), pos[1], &cert);
		if (g < 0) {
			printf("UNKNOWN %s: no such certificate\n", pos[1]);
			rc = HV_EXIT_FAIL;
		} else {
			rc = verify_doc(cert.credential, cert.code, s);
			hv_cert_clear(&cert);
		}
	}
	hv_issuer_unload();
	if (s) {
		hv_units_shutdown();
		hv_store_close(s);
	}
	return rc;
}
