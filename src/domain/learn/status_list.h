/* status_list.h: revocation that any verifier can see (W3C Bitstring
 * Status List v1.0).  Certificate number status_seq is bit
 * status_seq % 131072 of list status_seq / 131072 + 1; a list is a signed
 * BitstringStatusListCredential at /api/v1/status/N whose encodedList is
 * "u" + base64url(gzip(16 KiB bitstring)), the first bit the most
 * significant of the first byte, set for a revoked certificate.
 *
 * A revocation moves the list's row of status_lists in its own
 * transaction; a server keeps each signed list in memory while that
 * number stays (one primary-key read per request), so a revocation by any
 * app server or the command line shows at the next fetch. */
#ifndef HV_STATUS_LIST_H
#define HV_STATUS_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#define HV_STATUS_LIST_BITS 131072 /* 16 KiB, the specification's minimum */

/* public_url/api/v1/status/N */
void hv_status_list_url(int64_t list, char *out, size_t cap);
/* The signed status list credential of list (1, 2, …) into out; HV_ENOTFOUND
 * for a list that holds no certificate (list 1 always exists). */
int hv_status_list_get(struct hv_conn *c, int64_t list, struct hv_buf *out, struct hv_error *e);
/* Inside a write that revoked certificates: the list of code, or of every
 * certificate of account, changed. */
int hv_status_list_touch(struct hv_conn *c, const char *code);
int hv_status_list_touch_account(struct hv_conn *c, int64_t account);
/* Whether bit seq (list seq / 131072 + 1, index seq % 131072) is set: a
 * certificate there is revoked.  An unused place reads as not set. */
int hv_status_bit(struct hv_conn *c, int64_t seq, bool *set);
/* Forgets the kept lists (tests, shutdown). */
void hv_status_list_forget(void);

#endif
