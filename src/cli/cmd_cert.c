/* cmd_cert.c: `hocvuso cert`: verify a certificate offline (cert_verify.c),
 * revoke one, make a new signing key (rotate-key), re-sign every
 * certificate with the current key and public_url (reissue). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/keyfile.h"
#include "domain/learn/certificates.h"
#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso cert verify CODE|FILE.json [--db PATH|URL] [--issuer-key FILE]\n"
	"       hocvuso cert revoke CODE --reason TEXT [--db PATH|URL]\n"
	"       hocvuso cert rotate-key [--db PATH|URL] [--issuer-key FILE]\n"
	"       hocvuso cert reissue [--db PATH|URL] [--issuer-key FILE] [--public-url URL]\n"
	"\n"
	"verify: exit 0 if the certificate is valid (issued here, not revoked);\n"
	"1 if it is invalid, tampered, truncated, revoked or unknown; 3 if its\n"
	"signature is valid but made by another issuer's did:key (not issued here).\n"
	"FILE is the signed JSON a learner downloads; it is checked without the\n"
	"network (revocation too, when the database is at hand).\n"
	"rotate-key: a new signing key in the issuer_key file; the old public key\n"
	"stays published (/.well-known/did.json), so what it signed still verifies.\n"
	"Restart the servers, then run reissue.\n"
	"reissue: signs every certificate again with the current key, public_url\n"
	"and issuer_name; codes, holders and dates stay.\n";

static int open_key(const struct hv_config *cfg, const char *keyfile, char *path, size_t cap)
{
	if (keyfile)
		snprintf(path, cap, "%s", keyfile);
	else
		hv_config_key_path(cfg, "issuer_key", path, cap);
	struct hv_error e = {0};
	if (hv_issuer_load(path, false, &e) < 0) {
		fprintf(stderr, "hocvuso cert: %s\n", e.msg);
		return -1;
	}
	hv_issuer_configure(cfg->public_url, cfg->issuer_name);
	return 0;
}

static int revoke_one(struct hv_config *cfg, const char *code, const char *reason)
{
	struct hv_store *s = hv_cli_open("cert", cfg, false);
	if (!s)
		return HV_EXIT_FAIL;
	struct hv_error e = {0};
	int rc = hv_cert_revoke(s, code, reason, 0, "cli", &e);
	hv_units_shutdown();
	hv_store_close(s);
	if (rc < 0) {
		fprintf(stderr, "hocvuso cert: %s\n", e.msg);
		return e.code == HV_EINVAL || e.code == HV_ENOTFOUND ? HV_EXIT_USAGE : HV_EXIT_FAIL;
	}
	printf("revoked %s\n", code);
	return HV_EXIT_OK;
}

/* The new key is made beside the old one (FILE.new, 0600) and recorded in
 * the database before it replaces the file: a failure leaves the old key
 * in use and the next run takes up the same new key. */
static int rotate(struct hv_config *cfg, const char *keyfile)
{
	char path[512], next[530];
	if (open_key(cfg, keyfile, path, sizeof path) < 0)
		return HV_EXIT_FAIL;
	char old[64];
	snprintf(old, sizeof old, "%s", hv_issuer_multikey());
	struct hv_store *s = hv_cli_open("cert", cfg, true);
	if (!s) {
		hv_issuer_unload();
		return HV_EXIT_FAIL;
	}
	struct hv_error e = {0};
	int rc = hv_issuer_register(s, &e);
	snprintf(next, sizeof next, "%s.new", path);
	if (rc == 0)
		rc = hv_issuer_load(next, true, &e);
	if (rc == 0 && !strcmp(old, hv_issuer_multikey()))
		rc = hv_err_set(&e, HV_EINTERNAL, NULL, "the new key equals the old one");
	if (rc == 0)
		rc = hv_issuer_rotate(s, hv_issuer_multikey(), &e);
	if (rc == 0 && rename(next, path) != 0)
		rc = hv_err_set(&e, HV_EINTERNAL, NULL, "cannot move %s to %s", next, path);
	if (rc < 0)
		fprintf(stderr, "hocvuso cert: rotate-key: %s (the old key is still in use)\n", e.msg);
	else
		printf("new issuer key %s in %s (the old key %s stays published for verification)\n"
		       "next: restart the servers, then run: hocvuso cert reissue\n",
		       hv_issuer_multikey(), path, old);
	hv_issuer_unload();
	hv_units_shutdown();
	hv_store_close(s);
	return rc < 0 ? HV_EXIT_FAIL : HV_EXIT_OK;
}

static int reissue(struct hv_config *cfg, const char *keyfile)
{
	char path[512];
	if (open_key(cfg, keyfile, path, sizeof path) < 0)
		return HV_EXIT_FAIL;
	struct hv_store *s = hv_cli_open("cert", cfg, true);
	if (!s) {
		hv_issuer_unload();
		return HV_EXIT_FAIL;
	}
	if (hv_issuer_demo())
		fprintf(stderr, "hocvuso cert: public_url %s is a loopback address: the certificates are marked as demo ones "
		                "(set public_url to the site's address)\n", hv_issuer_url());
	struct hv_error e = {0};
	long done = 0;
	int rc = hv_issuer_register(s, &e);
	if (rc == 0)
		rc = hv_cert_reissue(s, &done, hv_cli_progress, &e);
	if (rc < 0)
		fprintf(stderr, "hocvuso cert: reissue: %s (%ld re-signed before)\n", e.msg, done);
	else
		printf("re-signed %ld certificates as %s (key %s)\n", done, hv_issuer_id(), hv_issuer_multikey());
	hv_issuer_unload();
	hv_units_shutdown();
	hv_store_close(s);
	return rc < 0 ? HV_EXIT_FAIL : HV_EXIT_OK;
}

int hv_cmd_cert(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *reason = NULL, *keyfile = NULL, *public_url = NULL, *pos[2];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL},          {"config", &config, NULL},         {"reason", &reason, NULL},
	                        {"issuer-key", &keyfile, NULL}, {"public-url", &public_url, NULL}, {0}};
	if (hv_cli_parse("cert", usage, argc, argv, 2, opts, pos, 1, 2, &npos, &code) < 0)
		return code;
	const char *sub = pos[0];
	bool one_arg = !strcmp(sub, "verify") || !strcmp(sub, "revoke");
	if (!one_arg && strcmp(sub, "rotate-key") != 0 && strcmp(sub, "reissue") != 0)
		return hv_cli_usage_error("cert", "unknown subcommand '%s': expected verify, revoke, rotate-key or reissue", sub);
	if (one_arg != (npos == 2))
		return hv_cli_usage_error("cert", one_arg ? "%s needs a certificate code%s" : "%s takes no argument%s", sub,
		                          strcmp(sub, "verify") ? "" : " or a file");
	if (!strcmp(sub, "revoke") && !reason)
		return hv_cli_usage_error("cert", "revoke needs --reason TEXT");
	struct hv_config cfg;
	if ((code = hv_cli_config("cert", config, db, &cfg)) != 0)
		return code;
	struct hv_error e = {0};
	if (public_url && hv_config_set(&cfg, "public_url", public_url, &e) < 0)
		return hv_cli_usage_error("cert", "%s", e.msg);
	if (!strcmp(sub, "revoke"))
		return revoke_one(&cfg, pos[1], reason);
	if (!strcmp(sub, "rotate-key"))
		return rotate(&cfg, keyfile);
	if (!strcmp(sub, "reissue"))
		return reissue(&cfg, keyfile);
	return hv_cert_verify_cmd(&cfg, keyfile, pos[1]);
}
