/* pages.h: the handlers of every route, grouped by file (pages_*.c). The
 * route table in routes.c maps method and path to these. */
#ifndef HV_PAGES_H
#define HV_PAGES_H

#include "views/ctx.h"

/* pages_home.c */
int hv_page_home(struct hv_ctx *c);
int hv_page_lang(struct hv_ctx *c);
int hv_healthz(struct hv_ctx *c);
int hv_metrics_page(struct hv_ctx *c);

/* pages_units.c */
int hv_page_units(struct hv_ctx *c);
int hv_page_unit(struct hv_ctx *c);
int hv_api_unit(struct hv_ctx *c);
int hv_api_unit_children(struct hv_ctx *c);
int hv_api_units(struct hv_ctx *c);

/* pages_signin.c */
int hv_page_signin(struct hv_ctx *c);
int hv_post_signin(struct hv_ctx *c);
int hv_page_signin_learner(struct hv_ctx *c);
int hv_post_signin_learner(struct hv_ctx *c);
int hv_page_register(struct hv_ctx *c);
int hv_post_register(struct hv_ctx *c);
int hv_post_signout(struct hv_ctx *c);
int hv_page_totp(struct hv_ctx *c);
int hv_post_totp(struct hv_ctx *c);
int hv_page_me(struct hv_ctx *c);
int hv_api_me(struct hv_ctx *c);

/* pages_recover.c */
int hv_page_forgot(struct hv_ctx *c);
int hv_post_forgot(struct hv_ctx *c);
int hv_page_reset_issue(struct hv_ctx *c);
int hv_post_reset_issue(struct hv_ctx *c);
int hv_post_recovery_new(struct hv_ctx *c);
/* For "my account": a signed-in learner without a recovery code gets one
 * (returned, to be shown this once); else NULL. */
const char *hv_recovery_for_me(struct hv_ctx *c);
/* True if p holds a role that issues reset codes. */
bool hv_issues_resets(const struct hv_principal *p);

/* pages_admin.c */
int hv_page_accounts(struct hv_ctx *c);
int hv_post_accounts(struct hv_ctx *c);
int hv_page_account(struct hv_ctx *c);
int hv_post_account(struct hv_ctx *c);
int hv_api_account(struct hv_ctx *c);

/* pages_learn.c */
int hv_page_courses(struct hv_ctx *c);
int hv_page_course(struct hv_ctx *c);
int hv_page_lesson(struct hv_ctx *c);
int hv_post_lesson_read(struct hv_ctx *c);
int hv_content_image(struct hv_ctx *c);
int hv_page_practice(struct hv_ctx *c);
int hv_page_practice_step(struct hv_ctx *c);
int hv_post_practice_step(struct hv_ctx *c);
int hv_practice_css(struct hv_ctx *c);
int hv_page_large(struct hv_ctx *c);

/* pages_quiz.c */
int hv_page_quiz(struct hv_ctx *c);
int hv_post_quiz(struct hv_ctx *c);
int hv_page_quiz_result(struct hv_ctx *c);

/* pages_mine.c */
int hv_page_my_learning(struct hv_ctx *c);
/* "Chúc mừng": the page for a certificate the signed-in learner earned. */
int hv_page_congrats(struct hv_ctx *c);
/* Moves the anonymous progress cookie into account a (and clears it):
 * HV_CLAIM_MOVED if anything moved, HV_CLAIM_USED if the cookie had been
 * claimed before (nothing moves), else HV_CLAIM_NONE. */
enum { HV_CLAIM_NONE, HV_CLAIM_MOVED, HV_CLAIM_USED };
int hv_claim_progress(struct hv_ctx *c, const struct hv_account *a);
/* Where to go after signing in: "My learning" with the outcome, or otherwise. */
const char *hv_claim_landing(int outcome, const char *otherwise);
/* True if the visitor's progress cookie was claimed before (registration
 * refuses it: a replayed cookie). */
bool hv_claim_was_used(struct hv_ctx *c);

/* pages_cert.c */
int hv_cert_download(struct hv_ctx *c);
int hv_page_verify_form(struct hv_ctx *c);
int hv_page_verify(struct hv_ctx *c);
int hv_post_revoke(struct hv_ctx *c);

/* api_issuer.c */
int hv_api_cert(struct hv_ctx *c);
/* api_credentials.c: the VC API */
int hv_api_vc_verify(struct hv_ctx *c);
int hv_api_vc_issue(struct hv_ctx *c);
int hv_api_issuer(struct hv_ctx *c);
int hv_api_status_list(struct hv_ctx *c);

/* api_doc.c */
int hv_api_openapi(struct hv_ctx *c);

/* pages_search.c */
int hv_page_search(struct hv_ctx *c);
int hv_api_search(struct hv_ctx *c);
int hv_api_courses(struct hv_ctx *c);

/* pages_help.c */
int hv_api_assist_post(struct hv_ctx *c);
int hv_api_assist_get(struct hv_ctx *c);
int hv_api_assist_edit(struct hv_ctx *c);
int hv_api_assist_delete(struct hv_ctx *c);
int hv_api_touch_points(struct hv_ctx *c);
int hv_page_touch_points(struct hv_ctx *c);
int hv_post_touch_point(struct hv_ctx *c);
int hv_page_help(struct hv_ctx *c);
int hv_post_help(struct hv_ctx *c);
int hv_service_worker(struct hv_ctx *c);

/* pages_teams.c */
int hv_page_orgs(struct hv_ctx *c);
int hv_post_orgs(struct hv_ctx *c);
int hv_page_org(struct hv_ctx *c);
int hv_post_org(struct hv_ctx *c);
int hv_page_team(struct hv_ctx *c);
int hv_post_team(struct hv_ctx *c);

/* pages_volunteer.c */
int hv_page_volunteer(struct hv_ctx *c);
int hv_assists_csv(struct hv_ctx *c);
int hv_api_indicators(struct hv_ctx *c);
int hv_api_target(struct hv_ctx *c);

/* pages_classes.c */
int hv_page_classes(struct hv_ctx *c);
int hv_page_class(struct hv_ctx *c);
int hv_page_class_new(struct hv_ctx *c);
int hv_post_class_new(struct hv_ctx *c);
int hv_post_class_register(struct hv_ctx *c);
int hv_post_class_cancel(struct hv_ctx *c);
int hv_page_touch_point(struct hv_ctx *c);
int hv_touch_point_poster(struct hv_ctx *c);
int hv_course_handouts(struct hv_ctx *c);

/* pages_attend.c */
int hv_page_class_qr(struct hv_ctx *c);
int hv_page_class_list(struct hv_ctx *c);
int hv_post_class_list(struct hv_ctx *c);
int hv_page_checkin(struct hv_ctx *c);
int hv_post_checkin(struct hv_ctx *c);
int hv_class_sheet(struct hv_ctx *c);
/* The class of the route's {id}, or an error answered (404). */
struct hv_class;
bool hv_class_param(struct hv_ctx *c, struct hv_class *k);
/* The class as template data: id, title, when, point, address, seats… */
struct hv_val *hv_class_val(struct hv_ctx *c, const struct hv_class *k);
/* Sends a PDF built into c->body (rc from the builder). */
int hv_send_pdf(struct hv_ctx *c, int rc);

/* pages_public.c */
int hv_page_public(struct hv_ctx *c);
int hv_page_definitions(struct hv_ctx *c);
int hv_page_dashboard(struct hv_ctx *c);
int hv_post_dashboard_target(struct hv_ctx *c);
/* The periods to switch to (this year and its quarters, then last year's)
 * as d.periods = [{value, selected}]. */
void hv_period_choices(struct hv_ctx *c, struct hv_val *d, const char *period, int year);
/* d.updated = the time (Vietnam) of the newest change, "" when none. */
void hv_set_updated(struct hv_val *d, int64_t updated);

/* pages_ranking.c */
int hv_page_ranking(struct hv_ctx *c);
int hv_api_ranking(struct hv_ctx *c);
int hv_page_import(struct hv_ctx *c);
int hv_post_import(struct hv_ctx *c);
int hv_page_weights(struct hv_ctx *c);
int hv_post_weights(struct hv_ctx *c);
int hv_report_csv_page(struct hv_ctx *c);
int hv_report_xlsx_page(struct hv_ctx *c);
int hv_report_pdf_page(struct hv_ctx *c);
/* The unit of the route's {code} when the caller's dashboard roles reach
 * it, and the period from query key (default: this quarter); NULL after
 * answering 401/403/404/400. */
const struct hv_unit *hv_measure_scope(struct hv_ctx *c, const char *period_key, const char **period);
/* Answers a unit code that names no active unit: 400 naming field when it
 * is malformed (not VN, 2 or 5 digits), else 404; returns hv_fail's value. */
int hv_measure_bad_unit(struct hv_ctx *c, const char *code, const char *field);

/* pages_picker.c */
int hv_page_picker(struct hv_ctx *c);

/* pages_honours.c */
int hv_page_honours(struct hv_ctx *c);
int hv_post_honour(struct hv_ctx *c);
int hv_api_honours(struct hv_ctx *c);
int hv_api_honour_post(struct hv_ctx *c);

/* pages_personal.c */
int hv_personal_json(struct hv_ctx *c);
int hv_post_personal_delete(struct hv_ctx *c);
int hv_personal_html(struct hv_ctx *c);
int hv_page_deleted(struct hv_ctx *c);

/* pages_editor.c */
int hv_page_editor(struct hv_ctx *c);
int hv_page_edit_lesson(struct hv_ctx *c);
int hv_post_edit_lesson(struct hv_ctx *c);
int hv_page_new_lesson(struct hv_ctx *c);
int hv_post_new_lesson(struct hv_ctx *c);
int hv_page_edit_quiz(struct hv_ctx *c);
int hv_post_edit_quiz(struct hv_ctx *c);

json_t *hv_account_json(const struct hv_account *a);

/* Helpers shared by pages. */
/* Sets the session cookie and redirects after sign-in. */
void hv_signed_in(struct hv_ctx *c, const char *token, bool staff, const char *next);
/* Sets the session cookie (no redirect). */
void hv_session_cookie(struct hv_ctx *c, const char *token, bool staff);
/* An inline SVG QR code of text (no script, allowed by our CSP), in the
 * arena; "" if text is too long for a QR code. */
const char *hv_qr_svg(struct hv_ctx *c, const char *text);
/* "22 November 2026" or "Ngày 22 tháng 11 năm 2026" (Vietnam time). */
void hv_date_in(const char *lang, int64_t t, char *out, size_t cap);
/* The name to show for an account: one whose person deleted their data is
 * stored as "(đã xóa)" and shown as that in the page's language. */
const char *hv_person_name(struct hv_ctx *c, const char *name);
/* A local path for ?next=, or "/" (never another site). */
const char *hv_safe_next(const char *next);
/* The start page of the signed-in account's role when next is "/" or absent. */
const char *hv_landing(const struct hv_account *a, const char *next);

#endif
