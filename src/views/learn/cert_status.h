/* cert_status.h: what the verify page and the certificate API both say
 * about a certificate (pages_cert.c). */
#ifndef HV_CERT_STATUS_H
#define HV_CERT_STATUS_H

#include <stdbool.h>

#include "domain/learn/certificates.h"
#include "views/ctx.h"

enum {
	HV_CERT_VALID,              /* ours, signature good, not revoked */
	HV_CERT_REVOKED,            /* revoked by an admin (reason, date) */
	HV_CERT_REVOKED_BY_HOLDER,  /* the holder deleted their data */
	HV_CERT_UNKNOWN,            /* not revoked, but its signature does not check out here */
};
/* The status of cert, as domain/learn/vc_verify.c judges its credential;
 * *sig_ok: its signature is ours and good; *demo: it was issued with a
 * loopback public_url.  HV_EUNAVAIL when the database could not be read
 * (the caller answers 503, never "unknown"). */
int hv_cert_status(struct hv_ctx *c, const struct hv_cert *cert, bool *sig_ok, bool *demo);
/* The verification address the certificate's credential was signed with
 * (its id), for the PDF's QR code; in the request arena. */
const char *hv_cert_page_url(struct hv_ctx *c, const struct hv_cert *cert);

#endif
