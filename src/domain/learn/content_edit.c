/* content_edit.c: editors changing lessons and quizzes in the browser.
 * Every save is checked like an imported file (same limits, same Markdown
 * rules) and written by the same path as an import (content_store.c): a
 * new version row, the content version moved so every server reloads. */
#include "domain/learn/content.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "domain/people/auth.h"
#include "domain/people/audit.h"
#include "domain/learn/content_edit.h"
#include "domain/learn/content_store.h"

static int one_line(const char *s, int max, const char *field, struct hv_error *e)
{
	long n = hv_utf8_len(s, strlen(s));
	if (n < 1 || n > max || hv_has_any_control(s, strlen(s)))
		return hv_err_set(e, HV_EINVAL, field, "“%s” cần từ 1 đến %d ký tự, trên một dòng.", field, max);
	return HV_OK;
}

int hv_lesson_check(struct hv_arena *a, const struct hv_lesson_edit *in, char **html, struct hv_error *e)
{
	int rc;
	if ((rc = one_line(in->title, 120, "title", e)) || (rc = one_line(in->module, 120, "module", e)))
		return rc;
	if (in->minutes < 1 || in->minutes > 120)
		return hv_err_set(e, HV_EINVAL, "minutes", "Số phút từ 1 đến 120.");
	if (in->level < 1 || in->level > 8)
		return hv_err_set(e, HV_EINVAL, "level", "Mức năng lực từ 1 đến 8.");
	if (!hv_domain_valid(in->domain))
		return hv_err_set(e, HV_EINVAL, "domain", "Hãy chọn một miền năng lực số.");
	if (!in->tracks)
		return hv_err_set(e, HV_EINVAL, "tracks", "Hãy chọn ít nhất một đối tượng.");
	if (in->video[0] && (strncmp(in->video, "https://", 8) != 0 || one_line(in->video, 300, "video", e)))
		return hv_err_set(e, HV_EINVAL, "video", "Địa chỉ video phải bắt đầu bằng https:// (hoặc để trống).");
	if (hv_utf8_len(in->body_md, strlen(in->body_md)) < 20)
		return hv_err_set(e, HV_EINVAL, "body", "Nội dung bài học quá ngắn.");
	if (strlen(in->body_md) > 200 * 1024)
		return hv_err_set(e, HV_EINVAL, "body", "Nội dung bài học quá dài (tối đa 200 KB).");
	int bad = 0;
	if (hv_markdown_render(a, in->body_md, strlen(in->body_md), html, &bad) != HV_OK)
		return hv_err_set(e, HV_EINVAL, "body", "Không đọc được nội dung bài học, vui lòng kiểm tra lại.");
	if (bad)
		return hv_err_set(e, HV_EINVAL, "body", "Dòng %d của nội dung: địa chỉ liên kết hoặc ảnh không được phép. Liên kết chỉ dùng "
		                  "http(s), mailto, tel; ảnh chỉ dùng http(s); hoặc đường dẫn trong trang.", bad);
	return HV_OK;
}

struct lesson_job {
	const struct hv_lesson_edit *in;
	const char *html;
	int64_t editor, id;
};

static int lesson_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct lesson_job *j = arg;
	const struct hv_lesson_edit *in = j->in;
	int64_t now = (int64_t)time(NULL);
	char tr[64];
	hv_tracks_text(in->tracks, tr);
	struct hv_lesson_row row = {.slug = in->id ? NULL : in->slug, .course_id = in->id ? 0 : in->course_id, .editor = j->editor,
	                            .minutes = in->minutes, .level = in->level, .title = in->title, .module = in->module, .tracks = tr,
	                            .domain = in->domain, .video = in->video, .body_md = in->body_md, .body_html = j->html,
	                            .published = in->published};
	j->id = in->id;
	int rc = hv_lesson_write(c, &row, &j->id, now);
	if (rc == HV_ECONFLICT)
		return hv_err_set(e, HV_ECONFLICT, "slug", "Đường dẫn “%s” đã có bài khác dùng.", in->slug ? in->slug : "");
	if (rc == HV_ENOTFOUND)
		return hv_err_set(e, HV_ENOTFOUND, NULL, "Không tìm thấy bài học.");
	char target[40];
	snprintf(target, sizeof target, "lesson:%lld", (long long)j->id);
	if (rc < 0 || hv_content_moved(c, now) < 0 ||
	    hv_audit(c, j->editor, in->id ? "lesson.edit" : "lesson.create", target, NULL, in->published ? "published" : "draft", NULL) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

int hv_lesson_save(struct hv_store *s, struct hv_arena *a, int64_t editor, const struct hv_lesson_edit *in, int64_t *id, struct hv_error *e)
{
	char *html = NULL;
	int rc = hv_lesson_check(a, in, &html, e);
	if (rc)
		return rc;
	if (!in->id) {
		size_t n = in->slug ? strlen(in->slug) : 0;
		if (n < 1 || n > 64 || strspn(in->slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != n || in->slug[0] == '-')
			return hv_err_set(e, HV_EINVAL, "slug", "Đường dẫn chỉ gồm chữ thường không dấu, số và dấu gạch ngang.");
	}
	struct lesson_job j = {.in = in, .html = html, .editor = editor};
	rc = hv_store_write(s, lesson_fn, &j, e);
	if (rc == 0 && id)
		*id = j.id;
	return rc;
}

struct quiz_job {
	int64_t quiz, editor;
	const char *source, *title;
	bool published;
};

static int quiz_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct quiz_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	int rc = hv_quiz_write(c, &j->quiz, 0, j->title, j->source, j->published, j->editor, now);
	if (rc < 0 && rc != HV_ENOTFOUND)
		rc = HV_EUNAVAIL;
	if (rc < 0)
		return hv_err_set(e, rc, NULL, "Không lưu được bài kiểm tra.");
	char target[40];
	snprintf(target, sizeof target, "quiz:%lld", (long long)j->quiz);
	if (hv_content_moved(c, now) < 0 || hv_audit(c, j->editor, "quiz.edit", target, NULL, j->published ? "published" : "draft", NULL) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

int hv_quiz_save(struct hv_store *s, struct hv_arena *a, int64_t editor, int64_t quiz_id, const char *file, const char *source,
                 bool published, struct hv_error *e)
{
	struct hv_quiz q;
	if (strlen(source) > 256 * 1024)
		return hv_err_set(e, HV_EINVAL, "source", "Bài kiểm tra quá dài.");
	int rc = hv_parse_quiz(a, file, source, strlen(source), &q, e);
	if (rc)
		return rc;
	struct quiz_job j = {.quiz = quiz_id, .editor = editor, .source = source, .title = q.title, .published = published};
	return hv_store_write(s, quiz_fn, &j, e);
}

int hv_lesson_versions(struct hv_conn *c, int64_t lesson, hv_version_cb cb, void *arg)
{
	struct hv_stmt *st = hv_sql(c, "SELECT v.version, v.title, v.published, v.source, v.created_at, COALESCE(a.display_name, '') "
	                               "FROM lesson_versions v LEFT JOIN accounts a ON a.id = v.editor_id WHERE v.lesson_id = $1 "
	                               "ORDER BY v.version DESC LIMIT 50");
	hv_bind_i64(st, 1, lesson);
	int rc;
	while ((rc = hv_step(st)) == 1)
		cb((int)hv_col_i64(st, 0), hv_col_text(st, 1), hv_col_i64(st, 2) != 0, hv_col_text(st, 3), hv_col_i64(st, 4),
		   hv_col_text(st, 5), arg);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}
