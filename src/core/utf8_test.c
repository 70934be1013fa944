/* utf8_test.c: UTF-8 validation, Vietnamese folding, control characters. */
#include "core/buf.h"
#include "core/test.h"
#include "core/utf8.h"

static const char *fold(struct hv_buf *b, const char *s)
{
	hv_buf_reset(b);
	if (!hv_fold(b, s, strlen(s)))
		return "(invalid)";
	return b->data ? b->data : "";
}

TEST(valid_utf8)
{
	CHECK(hv_utf8_valid("Xã Tân Thành", strlen("Xã Tân Thành")));
	CHECK(hv_utf8_valid("", 0));
	CHECK(hv_utf8_valid("\xF0\x9F\x98\x80", 4)); /* emoji */
}

TEST(invalid_utf8)
{
	CHECK(!hv_utf8_valid("\xC0\xAF", 2));          /* overlong / */
	CHECK(!hv_utf8_valid("\xE0\x80\xAF", 3));      /* overlong */
	CHECK(!hv_utf8_valid("\xED\xA0\x80", 3));      /* surrogate */
	CHECK(!hv_utf8_valid("\xF4\x90\x80\x80", 4));  /* > U+10FFFF */
	CHECK(!hv_utf8_valid("\xC3", 1));              /* truncated */
	CHECK(!hv_utf8_valid("\x80", 1));              /* stray continuation */
	CHECK(!hv_utf8_valid("a\0b", 3));              /* NUL */
	CHECK(!hv_utf8_valid("\xFF", 1));
	CHECK(hv_utf8_len("ắ", strlen("ắ")) == 1);
	CHECK(hv_utf8_len("\xC3", 1) == -1);
}

TEST(fold_vietnamese)
{
	struct hv_buf b;
	hv_buf_init(&b);
	CHECK_STR(fold(&b, "Xã Tân Thành"), "xa tan thanh");
	CHECK_STR(fold(&b, "XÃ TÂN THÀNH"), "xa tan thanh");
	CHECK_STR(fold(&b, "xa tan thanh"), "xa tan thanh");
	CHECK_STR(fold(&b, "Đồng Nai"), "dong nai");
	CHECK_STR(fold(&b, "đường"), "duong");
	/* Old and new tone placement meet. */
	CHECK_STR(fold(&b, "Hoà"), fold(&b, "Hòa") ? "hoa" : "");
	struct hv_buf c;
	hv_buf_init(&c);
	CHECK_STR(fold(&b, "Thuỷ"), fold(&c, "Thủy"));
	/* NFD input folds like NFC. */
	CHECK_STR(fold(&b, "Ha\xCC\x80 Nô\xCC\xA3i"), "ha noi");
	CHECK_STR(fold(&b, "  Phường   Sài-Gòn!! "), "phuong sai gon");
	CHECK_STR(fold(&b, "\xC3"), "(invalid)");
	hv_buf_free(&b);
	hv_buf_free(&c);
}

TEST(nfc)
{
	struct hv_buf b;
	hv_buf_init(&b);
	CHECK(hv_nfc(&b, "Ha\xCC\x80", 4));
	CHECK_STR(b.data, "Hà");
	hv_buf_free(&b);
}

TEST(control_characters)
{
	/* hv_has_control lets tab, LF and CR through (multi-line text);
	 * hv_has_any_control refuses every C0 character and DEL (one line). */
	CHECK(!hv_has_control("a\tb\r\nc", 6) && hv_has_control("a\x01", 2) && hv_has_control("\x7f", 1));
	CHECK(!hv_has_any_control("Nguyễn Văn An", strlen("Nguyễn Văn An")));
	static const char *const bad[] = {"\tAn", "An\t", "A\nn", "A\rn", "A\x01n", "A\x1fn", "A\x7fn", NULL};
	for (int i = 0; bad[i]; i++)
		CHECK(hv_has_any_control(bad[i], strlen(bad[i])));
	CHECK(!hv_has_any_control(" !~\xc2\xa0", 5)); /* space, printable ASCII and U+00A0 are text */
}

int main(void)
{
	RUN(valid_utf8);
	RUN(invalid_utf8);
	RUN(fold_vietnamese);
	RUN(nfc);
	RUN(control_characters);
	return TEST_DONE();
}
