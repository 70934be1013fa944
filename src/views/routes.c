/* routes.c: every URL hocvuso answers, and matching a request to one.
 *
 * Vietnamese paths for pages (people read and share them), /api/v1/ for
 * JSON.  Matching is a linear scan comparing segment by segment; with a
 * few dozen routes this costs well under a microsecond. */
#include "views/routes.h"

#include <string.h>

#include "domain/people/auth.h"
#include "domain/people/recovery.h"
#include "domain/people/sessions.h"
#include "views/pages.h"

const struct hv_route hv_routes[] = {
	{"GET", "/", hv_page_home, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/ngon-ngu", hv_page_lang, 0, HV_A_PUBLIC, 0},
	{"GET", "/don-vi", hv_page_units, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/don-vi/{}", hv_page_unit, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/dang-nhap", hv_page_signin, 0, HV_A_PUBLIC, 0},
	{"POST", "/dang-nhap", hv_post_signin, 0, HV_A_PUBLIC, 0},
	{"GET", "/dang-nhap/hoc-vien", hv_page_signin_learner, 0, HV_A_PUBLIC, 0},
	{"POST", "/dang-nhap/hoc-vien", hv_post_signin_learner, 0, HV_A_PUBLIC, 0},
	{"GET", "/dang-ky", hv_page_register, 0, HV_A_PUBLIC, 0},
	{"POST", "/dang-ky", hv_post_register, 0, HV_A_PUBLIC, 0},
	{"POST", "/dang-xuat", hv_post_signout, 0, HV_A_PUBLIC, 0},
	{"GET", "/quen-ma-pin", hv_page_forgot, 0, HV_A_PUBLIC, 0},
	{"POST", "/quen-ma-pin", hv_post_forgot, 0, HV_A_PUBLIC, 0},
	{"GET", "/ho-tro/ma-khoi-phuc", hv_page_reset_issue, 0, HV_A_STAFF, HV_ROLES_RESET},
	{"POST", "/ho-tro/ma-khoi-phuc", hv_post_reset_issue, 0, HV_A_STAFF, HV_ROLES_RESET},
	{"POST", "/tai-khoan/ma-khoi-phuc", hv_post_recovery_new, 0, HV_A_ACCOUNT, 0},
	{"GET", "/xac-thuc-2-lop", hv_page_totp, 0, HV_A_SESSION, 0},
	{"POST", "/xac-thuc-2-lop", hv_post_totp, 0, HV_A_SESSION, 0},
	{"GET", "/tai-khoan", hv_page_me, HV_R_BLOCKING, HV_A_ACCOUNT, 0}, /* may write a recovery code */
	{"GET", "/tai-khoan/du-lieu.json", hv_personal_json, 0, HV_A_ACCOUNT, 0},
	{"GET", "/tai-khoan/du-lieu", hv_personal_html, 0, HV_A_ACCOUNT, 0},
	{"GET", "/da-xoa-du-lieu", hv_page_deleted, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/chuc-mung/{}", hv_page_congrats, 0, HV_A_ACCOUNT, 0},
	{"POST", "/tai-khoan/xoa", hv_post_personal_delete, 0, HV_A_ACCOUNT, 0},
	{"GET", "/quan-tri/tai-khoan", hv_page_accounts, 0, HV_A_STAFF, HV_ROLES_MANAGE_ACCOUNTS},
	{"POST", "/quan-tri/tai-khoan", hv_post_accounts, 0, HV_A_STAFF, HV_ROLES_MANAGE_ACCOUNTS},
	{"GET", "/quan-tri/tai-khoan/{}", hv_page_account, HV_R_BLOCKING, HV_A_STAFF, HV_ROLES_MANAGE_ACCOUNTS},
	{"POST", "/quan-tri/tai-khoan/{}", hv_post_account, 0, HV_A_STAFF, HV_ROLES_MANAGE_ACCOUNTS},
	{"GET", "/hoc", hv_page_courses, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/hoc/{}", hv_page_course, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/hoc/{}/kiem-tra", hv_page_quiz, 0, HV_A_PUBLIC, 0},
	{"POST", "/hoc/{}/kiem-tra", hv_post_quiz, 0, HV_A_PUBLIC, 0},
	{"GET", "/hoc/{}/kiem-tra/ket-qua", hv_page_quiz_result, 0, HV_A_PUBLIC, 0},
	{"GET", "/hoc/{}/img/{}", hv_content_image, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/hoc/{}/tai-lieu.pdf", hv_course_handouts, HV_R_BLOCKING, HV_A_PUBLIC, 0},
	{"GET", "/hoc/{}/{}", hv_page_lesson, 0, HV_A_PUBLIC, 0},
	{"POST", "/hoc/{}/{}/da-hoc", hv_post_lesson_read, HV_R_NO_CSRF, HV_A_PUBLIC, 0},
	{"GET", "/thuc-hanh/{}/{}", hv_page_practice, 0, HV_A_PUBLIC, 0},
	{"GET", "/thuc-hanh/{}/{}/kieu/{}", hv_practice_css, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/thuc-hanh/{}/{}/{}", hv_page_practice_step, 0, HV_A_PUBLIC, 0},
	{"POST", "/thuc-hanh/{}/{}/{}", hv_post_practice_step, 0, HV_A_PUBLIC, 0},
	{"GET", "/hoc-tap-cua-toi", hv_page_my_learning, 0, HV_A_PUBLIC, 0},
	{"GET", "/chu-lon", hv_page_large, 0, HV_A_PUBLIC, 0},
	{"GET", "/tim-kiem", hv_page_search, 0, HV_A_PUBLIC, 0},
	{"GET", "/chung-nhan/{}", hv_cert_download, HV_R_BLOCKING, HV_A_PUBLIC, 0},
	{"GET", "/xac-thuc", hv_page_verify_form, 0, HV_A_PUBLIC, 0},
	{"GET", "/xac-thuc/{}", hv_page_verify, 0, HV_A_PUBLIC, 0},
	{"POST", "/xac-thuc/{}/thu-hoi", hv_post_revoke, 0, HV_A_STAFF, HV_ROLE_ADMIN},
	{"GET", "/bien-tap", hv_page_editor, 0, HV_A_STAFF, HV_ROLE_EDITOR | HV_ROLE_ADMIN},
	{"GET", "/bien-tap/bai-moi", hv_page_new_lesson, 0, HV_A_STAFF, HV_ROLE_EDITOR | HV_ROLE_ADMIN},
	{"POST", "/bien-tap/bai-moi", hv_post_new_lesson, 0, HV_A_STAFF, HV_ROLE_EDITOR | HV_ROLE_ADMIN},
	{"GET", "/bien-tap/bai/{}", hv_page_edit_lesson, 0, HV_A_STAFF, HV_ROLE_EDITOR | HV_ROLE_ADMIN},
	{"POST", "/bien-tap/bai/{}", hv_post_edit_lesson, 0, HV_A_STAFF, HV_ROLE_EDITOR | HV_ROLE_ADMIN},
	{"GET", "/bien-tap/kiem-tra/{}", hv_page_edit_quiz, 0, HV_A_STAFF, HV_ROLE_EDITOR | HV_ROLE_ADMIN},
	{"POST", "/bien-tap/kiem-tra/{}", hv_post_edit_quiz, 0, HV_A_STAFF, HV_ROLE_EDITOR | HV_ROLE_ADMIN},
	{"GET", "/sw.js", hv_service_worker, 0, HV_A_PUBLIC, 0},
	{"GET", "/ho-tro", hv_page_help, 0, HV_A_STAFF, 0},
	{"POST", "/ho-tro", hv_post_help, 0, HV_A_STAFF, 0},
	{"GET", "/ho-tro/xuat.csv", hv_assists_csv, HV_R_BLOCKING, HV_A_STAFF, 0},
	{"GET", "/tinh-nguyen-vien", hv_page_volunteer, 0, HV_A_STAFF, 0},
	{"GET", "/to-chuc", hv_page_orgs, 0, HV_A_STAFF, 0},
	{"POST", "/to-chuc", hv_post_orgs, 0, HV_A_STAFF, 0},
	{"GET", "/to-chuc/{}", hv_page_org, 0, HV_A_STAFF, 0},
	{"POST", "/to-chuc/{}", hv_post_org, 0, HV_A_STAFF, 0},
	{"GET", "/to-doi/{}", hv_page_team, 0, HV_A_STAFF, 0},
	{"POST", "/to-doi/{}", hv_post_team, 0, HV_A_STAFF, 0},
	{"GET", "/diem-cham", hv_page_touch_points, 0, HV_A_PUBLIC, 0},
	{"POST", "/diem-cham", hv_post_touch_point, 0, HV_A_STAFF, 0},
	{"GET", "/diem-cham/{}", hv_page_touch_point, 0, HV_A_PUBLIC, 0},
	{"GET", "/diem-cham/{}/ap-phich.pdf", hv_touch_point_poster, HV_R_BLOCKING, HV_A_PUBLIC, 0},
	{"GET", "/lop-hoc", hv_page_classes, 0, HV_A_PUBLIC, 0},
	{"GET", "/lop-hoc/moi", hv_page_class_new, 0, HV_A_STAFF, 0},
	{"POST", "/lop-hoc/moi", hv_post_class_new, 0, HV_A_STAFF, 0},
	{"GET", "/lop-hoc/{}", hv_page_class, 0, HV_A_PUBLIC, 0},
	{"POST", "/lop-hoc/{}/dang-ky", hv_post_class_register, 0, HV_A_PUBLIC, 0},
	{"POST", "/lop-hoc/{}/huy", hv_post_class_cancel, 0, HV_A_PUBLIC, 0},
	{"GET", "/lop-hoc/{}/diem-danh", hv_page_class_qr, 0, HV_A_STAFF, 0},
	{"GET", "/lop-hoc/{}/danh-sach", hv_page_class_list, HV_R_BLOCKING, HV_A_STAFF, 0},
	{"POST", "/lop-hoc/{}/danh-sach", hv_post_class_list, 0, HV_A_STAFF, 0},
	{"GET", "/lop-hoc/{}/danh-sach.pdf", hv_class_sheet, HV_R_BLOCKING, HV_A_STAFF, 0},
	{"GET", "/lop-hoc/{}/co-mat", hv_page_checkin, 0, HV_A_PUBLIC, 0},
	{"POST", "/lop-hoc/{}/co-mat", hv_post_checkin, 0, HV_A_PUBLIC, 0},
	{"GET", "/chi-so", hv_page_definitions, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/minh-bach", hv_page_public, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/minh-bach/{}", hv_page_public, HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/bang-dieu-khien", hv_page_dashboard, 0, HV_A_STAFF, 0},
	{"GET", "/bang-dieu-khien/{}", hv_page_dashboard, 0, HV_A_STAFF, 0},
	{"POST", "/bang-dieu-khien/{}/chi-tieu", hv_post_dashboard_target, 0, HV_A_STAFF, 0},
	{"GET", "/bang-dieu-khien/{}/bao-cao.csv", hv_report_csv_page, HV_R_BLOCKING, HV_A_STAFF, 0},
	{"GET", "/bang-dieu-khien/{}/bao-cao.xlsx", hv_report_xlsx_page, HV_R_BLOCKING, HV_A_STAFF, 0},
	{"GET", "/bang-dieu-khien/{}/bao-cao.pdf", hv_report_pdf_page, HV_R_BLOCKING, HV_A_STAFF, 0},
	{"GET", "/thi-dua/{}", hv_page_ranking, 0, HV_A_STAFF, 0},
	{"GET", "/chon-don-vi", hv_page_picker, 0, HV_A_STAFF, 0},
	{"GET", "/quan-tri/nhap-du-lieu", hv_page_import, 0, HV_A_STAFF, HV_ROLES_MANAGE_ACCOUNTS},
	{"POST", "/quan-tri/nhap-du-lieu", hv_post_import, HV_R_UPLOAD, HV_A_STAFF, HV_ROLES_MANAGE_ACCOUNTS},
	{"GET", "/quan-tri/thi-dua", hv_page_weights, 0, HV_A_STAFF, HV_ROLE_ADMIN},
	{"POST", "/quan-tri/thi-dua", hv_post_weights, 0, HV_A_STAFF, HV_ROLE_ADMIN},
	{"GET", "/bieu-duong/{}", hv_page_honours, 0, HV_A_STAFF, 0},
	{"POST", "/bieu-duong/{}", hv_post_honour, 0, HV_A_STAFF, 0},
	{"GET", "/healthz", hv_healthz, 0, HV_A_PUBLIC, 0},
	{"GET", "/metrics", hv_metrics_page, HV_R_OWN_AUTH, HV_A_PUBLIC, 0},
	{"GET", "/api/v1/units", hv_api_units, HV_R_API | HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/api/v1/units/{}", hv_api_unit, HV_R_API | HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/api/v1/units/{}/children", hv_api_unit_children, HV_R_API | HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/api/v1/units/{}/indicators", hv_api_indicators, HV_R_API, HV_A_STAFF, 0},
	{"GET", "/api/v1/units/{}/ranking", hv_api_ranking, HV_R_API, HV_A_STAFF, 0},
	{"GET", "/api/v1/units/{}/honours", hv_api_honours, HV_R_API, HV_A_STAFF, 0},
	{"POST", "/api/v1/honours", hv_api_honour_post, HV_R_API, HV_A_STAFF, 0},
	{"GET", "/api/v1/me", hv_api_me, HV_R_API, HV_A_ACCOUNT, 0},
	{"GET", "/api/v1/search", hv_api_search, HV_R_API, HV_A_PUBLIC, 0},
	{"GET", "/api/v1/courses", hv_api_courses, HV_R_API | HV_R_CACHE, HV_A_PUBLIC, 0},
	{"GET", "/api/v1/certificates/{}", hv_api_cert, HV_R_API, HV_A_PUBLIC, 0},
	{"POST", "/api/v1/credentials/verify", hv_api_vc_verify, HV_R_API | HV_R_NO_CSRF, HV_A_PUBLIC, 0},
	{"POST", "/api/v1/credentials/issue", hv_api_vc_issue, HV_R_API, HV_A_TOKEN, HV_SCOPE_ISSUE},
	{"GET", "/api/v1/issuer", hv_api_issuer, HV_R_API, HV_A_PUBLIC, 0},
	{"GET", "/.well-known/did.json", hv_api_issuer, HV_R_API, HV_A_PUBLIC, 0},
	{"GET", "/api/v1/status/{}", hv_api_status_list, HV_R_API, HV_A_PUBLIC, 0},
	{"GET", "/api/v1/openapi.json", hv_api_openapi, HV_R_API | HV_R_CACHE, HV_A_PUBLIC, 0},
	{"POST", "/api/v1/assists", hv_api_assist_post, HV_R_API, HV_A_STAFF, 0},
	{"GET", "/api/v1/assists/{}", hv_api_assist_get, HV_R_API | HV_R_BLOCKING, HV_A_STAFF, 0},
	{"POST", "/api/v1/assists/{}", hv_api_assist_edit, HV_R_API, HV_A_STAFF, 0},
	{"DELETE", "/api/v1/assists/{}", hv_api_assist_delete, HV_R_API, HV_A_STAFF, 0},
	{"GET", "/api/v1/touch-points", hv_api_touch_points, HV_R_API, HV_A_PUBLIC, 0},
	{"POST", "/api/v1/targets", hv_api_target, HV_R_API, HV_A_STAFF, 0},
	{"GET", "/api/v1/accounts/{}", hv_api_account, HV_R_API | HV_R_BLOCKING, HV_A_STAFF, 0},
};
const int hv_nroutes = sizeof hv_routes / sizeof hv_routes[0];

/* Metric labels: the routes, then the answers that match no route. */
const char *hv_route_name(int i)
{
	if (i >= 0 && i < hv_nroutes)
		return hv_routes[i].pattern;
	switch (i - hv_nroutes) {
	case 0: return "static";
	case 1: return "unmatched";
	default: return NULL;
	}
}

static bool match(const char *pattern, const char *path, const char *params[4], char *scratch, size_t len)
{
	int np = 0;
	size_t used = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (p[0] == '{' && p[1] == '}') {
			size_t n = strcspn(s, "/");
			if (n == 0 || np >= 4 || used + n + 1 > len)
				return false;
			memcpy(scratch + used, s, n);
			scratch[used + n] = '\0';
			params[np++] = scratch + used;
			used += n + 1;
			s += n;
			p += 2;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	/* A trailing slash is tolerated ("/don-vi/"). */
	if (*s == '/' && s[1] == '\0' && s != path)
		s++;
	return !*p && !*s;
}

bool hv_route_takes_upload(const char *raw_uri)
{
	size_t n = strcspn(raw_uri, "?");
	for (int i = 0; i < hv_nroutes; i++)
		if ((hv_routes[i].flags & HV_R_UPLOAD) && !strcmp(hv_routes[i].method, "POST") && strlen(hv_routes[i].pattern) == n &&
		    !strncmp(hv_routes[i].pattern, raw_uri, n))
			return true;
	return false;
}

int hv_route_match(const char *method, const char *path, const char *params[4], char *scratch, size_t scratch_len)
{
	bool other_method = false;
	for (int i = 0; i < hv_nroutes; i++) {
		if (!match(hv_routes[i].pattern, path, params, scratch, scratch_len))
			continue;
		if (strcmp(hv_routes[i].method, method) == 0 || (!strcmp(method, "HEAD") && !strcmp(hv_routes[i].method, "GET")))
			return i;
		other_method = true;
	}
	return other_method ? -2 : -1;
}
