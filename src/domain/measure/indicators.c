/* indicators.c: every indicator's one name and published definition (see
 * measure.h): what counts, the numerator and denominator of each ratio,
 * and what a deletion or a revocation does.  Pages, reports, the ranking
 * and the API take names from here; /chi-so lists the table. */
#include "domain/measure/measure.h"

#include <stdlib.h>
#include <string.h>

#define SVC_VI "lượt hỗ trợ trong kỳ có dịch vụ này (một lượt có thể có nhiều dịch vụ), tính ở đơn vị nơi hỗ trợ"
#define SVC_EN "acts of help in the period that included this service (one act may include several), in the unit where it happened"
#define ASSIST_GONE_VI "Xóa một lượt hỗ trợ trừ lượt đó ngay trong cùng giao dịch; sửa lượt hỗ trợ chuyển số liệu theo nội dung mới."
#define ASSIST_GONE_EN "Deleting an act of help takes it back in the same transaction; editing one moves the figures to what it now says."
#define SVC(code, vi, en) {"assists_" code, vi, en, "lượt", SVC_VI, SVC_EN, NULL, NULL, ASSIST_GONE_VI, ASSIST_GONE_EN}

const struct hv_indicator hv_indicators[] = {
	{"registered_learners", "Người học đăng ký", "Learners registered", "người",
	 "tài khoản người học tạo trong kỳ, tính ở xã, phường người học chọn (không chọn: dòng \"chưa gắn đơn vị\")",
	 "learner accounts created in the period, in the commune the learner chose (none: the \"not assigned\" row)", NULL, NULL,
	 "Người học xóa dữ liệu cá nhân thì không còn được tính, ngay trong giao dịch xóa.",
	 "A learner who deletes their data no longer counts, in the deletion's transaction."},
	{"courses_completed", "Khóa học hoàn thành", "Courses completed", "lượt",
	 "khóa học hoàn thành (đọc hết bài và đạt bài kiểm tra) trong kỳ, tính ở đơn vị của người học lúc hoàn thành",
	 "courses completed (every lesson read and the quiz passed) in the period, in the learner's unit at the time", NULL, NULL,
	 "Chứng nhận bị thu hồi (hoặc người học xóa dữ liệu) thì lượt hoàn thành đó không còn được tính.",
	 "A revoked certificate (or a learner deleting their data) takes that completion back."},
	{"people_certified", "Người có chứng nhận", "People certified", "người",
	 "người có ít nhất một chứng nhận còn hiệu lực trong kỳ, mỗi người tính một lần, ở đơn vị của chứng nhận đầu tiên trong kỳ",
	 "people with at least one valid certificate in the period, each counted once, in the unit of their first one in the period",
	 NULL, NULL,
	 "Thu hồi chứng nhận đầu tiên thì chứng nhận kế tiếp trong kỳ (nếu có) được tính thay; không còn chứng nhận nào thì người đó không còn được tính.",
	 "Revoking the first certificate makes the person's next one in the period count instead; with none left they no longer count."},
	{"assists", "Lượt hỗ trợ", "Acts of help", "lượt",
	 "lượt hỗ trợ tình nguyện viên ghi nhận trong kỳ, tính ở đơn vị nơi hỗ trợ",
	 "acts of help logged by volunteers in the period, in the unit where they happened", NULL, NULL, ASSIST_GONE_VI,
	 ASSIST_GONE_EN},
	{"people_helped", "Người được hỗ trợ", "People helped", "người",
	 "người có tài khoản được hỗ trợ tính một lần mỗi kỳ và mỗi đơn vị, cộng mỗi lượt hỗ trợ người không tên (xem \"Lượt hỗ trợ người không tên\")",
	 "registered people helped, each once per period and unit, plus each act of help to an unnamed person (see \"Acts of help to unnamed people\")",
	 NULL, NULL,
	 "Người có tài khoản chỉ thôi được tính khi không còn lượt hỗ trợ nào của họ trong kỳ.",
	 "A registered person stops counting only when none of their acts of help is left in the period."},
	{"active_volunteers", "Tình nguyện viên hoạt động", "Active volunteers", "người",
	 "tình nguyện viên có ít nhất một lượt hỗ trợ trong kỳ, mỗi người tính một lần mỗi đơn vị",
	 "volunteers with at least one act of help in the period, each once per unit", NULL, NULL,
	 "Tình nguyện viên thôi được tính khi không còn lượt hỗ trợ nào của họ trong kỳ.",
	 "A volunteer stops counting when none of their acts of help is left in the period."},
	{"assists_smartphone", "Lượt hỗ trợ người có điện thoại thông minh", "Acts of help to smartphone owners", "lượt",
	 "lượt hỗ trợ mà người được hỗ trợ có điện thoại thông minh", "acts of help where the person helped owns a smartphone",
	 NULL, NULL, ASSIST_GONE_VI, ASSIST_GONE_EN},
	{"assists_anonymous", "Lượt hỗ trợ người không tên", "Acts of help to unnamed people", "lượt",
	 "lượt hỗ trợ người không có tài khoản (chỉ ghi nhóm, độ tuổi, giới tính)",
	 "acts of help to people without an account (only group, age band and gender noted)", NULL, NULL, ASSIST_GONE_VI,
	 ASSIST_GONE_EN},
	{"teams", "Tổ công nghệ số cộng đồng mới", "New community digital teams", "tổ", "tổ được thành lập trong kỳ",
	 "teams set up in the period", NULL, NULL, "Tổ không bị xóa khỏi số liệu.", "Teams are not removed from the figures."},
	{"touch_points", "Điểm chạm số mới", "New digital touch points", "điểm", "điểm chạm số được ghi nhận trong kỳ",
	 "digital touch points recorded in the period", NULL, NULL, "Điểm chạm không bị xóa khỏi số liệu.",
	 "Touch points are not removed from the figures."},
	SVC("vneid_install", "Hỗ trợ cài VNeID", "VNeID installed"),
	SVC("vneid_level2", "Kích hoạt VNeID mức 2", "VNeID level 2 activated"),
	SVC("vssid", "Hỗ trợ VssID", "VssID help"),
	SVC("etax", "Hỗ trợ eTax", "eTax help"),
	SVC("ehealth_book", "Sổ sức khỏe điện tử", "Electronic health book"),
	SVC("digital_signature", "Chữ ký số được cấp", "Digital signatures issued"),
	SVC("citizen_app", "Ứng dụng công dân số", "Digital citizen app"),
	SVC("public_service_portal", "Cổng dịch vụ công", "Public service portal"),
	SVC("cashless_payment", "Thanh toán không tiền mặt", "Cashless payment"),
	SVC("scam_awareness", "Phòng tránh lừa đảo", "Scam awareness"),
	SVC("other", "Hỗ trợ khác", "Other help"),
	{"classes_held", "Lớp học lưu động đã tổ chức", "Mobile classes held", "lớp", "lớp có điểm danh, tính vào kỳ của giờ bắt đầu",
	 "classes with an attendance list, in the period of their start", NULL, NULL, "Lớp đã tổ chức không bị xóa khỏi số liệu.",
	 "Classes held are not removed from the figures."},
	{"class_attendance", "Lượt tham dự lớp học", "Class attendance", "lượt",
	 "người điểm danh (mã QR hoặc danh sách) cộng số người không tên, theo kỳ của giờ bắt đầu",
	 "people checked in (QR code or list) plus unnamed heads counted, in the period of the class's start", NULL, NULL,
	 "Người học xóa dữ liệu thì lượt tham dự vẫn được tính, không còn tên.",
	 "A learner deleting their data still counts as an unnamed attendee."},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

#define RATIO_VI "Tử số và mẫu số theo quy tắc của từng chỉ số; làm tròn đến một chữ số thập phân (không cắt bớt)."
#define RATIO_EN "Numerator and denominator follow their own rules; rounded to one decimal (never truncated)."

const struct hv_indicator hv_ratios[] = {
	{"adults_certified_pct", "Tỷ lệ người trưởng thành có chứng nhận", "Share of adults certified", "%",
	 "người có chứng nhận / dân số trưởng thành × 100; dân số cộng từ các đơn vị cấp dưới (số đơn vị tự nhập hiện bên cạnh)",
	 "people certified / adult population × 100; the population is the sum of the units below (the unit's own figure shown beside)",
	 "people_certified", "population:adults", RATIO_VI, RATIO_EN},
	{"civil_servants_certified_pct", "Tỷ lệ cán bộ, công chức có chứng nhận", "Share of civil servants certified", "%",
	 "người có chứng nhận thuộc nhóm cán bộ, công chức / số cán bộ, công chức × 100",
	 "people certified in the civil servant group / civil servants × 100", "people_certified@gcivil_servant",
	 "population:civil_servants", RATIO_VI, RATIO_EN},
	{"pupils_certified_pct", "Tỷ lệ học sinh, sinh viên có chứng nhận", "Share of pupils certified", "%",
	 "người có chứng nhận thuộc nhóm học sinh, sinh viên / số học sinh, sinh viên × 100",
	 "people certified in the pupil group / pupils × 100", "people_certified@gpupil", "population:pupils", RATIO_VI, RATIO_EN},
	{"smartphone_pct", "Tỷ lệ lượt hỗ trợ người có điện thoại thông minh", "Share of acts of help to smartphone owners", "%",
	 "lượt hỗ trợ người có điện thoại thông minh / lượt hỗ trợ × 100 (93/121 → 76,9)",
	 "acts of help to smartphone owners / acts of help × 100 (93/121 → 76.9)", "assists_smartphone", "assists", RATIO_VI,
	 RATIO_EN},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

int hv_indicator_index(const char *code)
{
	for (int i = 0; hv_indicators[i].code; i++)
		if (!strcmp(hv_indicators[i].code, code))
			return i;
	abort();
}

const struct hv_indicator *hv_indicator_find(const char *code)
{
	for (int i = 0; hv_indicators[i].code; i++)
		if (!strcmp(hv_indicators[i].code, code))
			return &hv_indicators[i];
	for (int i = 0; hv_ratios[i].code; i++)
		if (!strcmp(hv_ratios[i].code, code))
			return &hv_ratios[i];
	return NULL;
}

const char *hv_indicator_name(const char *code, const char *lang)
{
	const struct hv_indicator *x = hv_indicator_find(code);
	return !x ? code : lang && !strcmp(lang, "en") ? x->name_en : x->name_vi;
}

double hv_ratio_pct(int64_t num, int64_t den)
{
	return (double)((num * 1000 + den / 2) / den) / 10.0;
}
