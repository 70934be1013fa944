/* limits.h: every size and count limit of hocvuso, in one place.
 *
 * Inputs are capped before anything is allocated for them (STYLE.md 7, 10).
 * Limits are tighter before sign-in. */
#ifndef HV_LIMITS_H
#define HV_LIMITS_H

#define HV_MAX_BODY_ANON        (64 * 1024)      /* request body before sign-in */
#define HV_MAX_BODY_AUTH        (1024 * 1024)    /* request body when signed in */
#define HV_MAX_BODY_UPLOAD      (8 * 1024 * 1024)/* uploads (content images) */
#define HV_TRIM_AFTER_BODY      (256 * 1024)     /* memory handed back after a body this large */
#define HV_MAX_HEADER_BYTES     (16 * 1024)      /* MHD per-connection memory pool */
#define HV_MAX_URI              2048
#define HV_MAX_FIELDS           1024             /* form or query fields (a class list of 1,000 names) */
#define HV_MAX_FIELD_NAME       64
#define HV_MAX_COOKIES          32
#define HV_MAX_JSON_DEPTH       16
#define HV_MAX_PATH_PARAMS      4
#define HV_HEADER_SECONDS       10               /* all of a request's headers (http/guard.h) */
#define HV_BODY_GRACE_SECONDS   10               /* a body: this, plus its size at ... */
#define HV_BODY_MIN_RATE        (32 * 1024)      /* ... bytes per second (a slow 3G phone sends more) */
#define HV_IDLE_SECONDS         15               /* idle connection timeout */
#define HV_CONN_PER_IP          32
#define HV_CONN_TOTAL           8192             /* open connections (and descriptors asked for) */
#define HV_CONN_WAITING         1024             /* connections whose headers are not complete */

#define HV_LOGIN_MAX            64
#define HV_NAME_MAX             120
#define HV_PASSWORD_MIN         10
#define HV_PASSWORD_MAX         128
#define HV_SEARCH_MAX           100              /* bytes of a search query */
#define HV_SEARCH_RESULTS       20

#define HV_LOCK_AFTER_FAILS     5
#define HV_LOCK_SECONDS         (15 * 60)
#define HV_SIGNIN_PER_MINUTE_IP 20
#define HV_REGISTER_PER_10MIN_IP  10             /* public registrations from one address (IPv6: a /64) */
#define HV_REGISTER_PER_HOUR_UNIT 200            /* ... into one commune */
#define HV_REGISTER_PER_HOUR_NOUNIT 2000         /* ... and with no commune chosen */
#define HV_PERSON_LOOKUPS_PER_HOUR 60            /* phones an account looks up or registers (assists) */

#define HV_SESSION_STAFF_SECONDS   (12 * 3600)
#define HV_SESSION_IDLE_SECONDS    (2 * 3600)       /* staff: signed out after this without a visit */
#define HV_SESSION_LEARNER_SECONDS (30 * 24 * 3600)
#define HV_SESSION_LEARNER_IDLE_SECONDS (7 * 24 * 3600) /* learners: a week without a visit (a shared phone) */

#define HV_TOKEN_DAYS_DEFAULT   90               /* API tokens expire (hocvuso token create --days N) */
#define HV_TOKEN_DAYS_MAX       366

#define HV_CSV_MAX_ROWS         200000
#define HV_CSV_MAX_FIELD        512

#endif
