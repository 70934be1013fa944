"""test_feedback.py: feedback at the moments that matter: a certificate
earned is congratulated (its own page, and on "my learning"); one's data
can be read as a printable page with dates as dates (beside the JSON);
deleting one's data ends on a page that says what was done."""
import html
import re

import quizbank
from harness import Client, ServerTest, ZZCleanExit, fresh_source, main  # noqa: F401

COURSE = "vneid"


class Feedback(ServerTest):
    def register(self, phone, name="Đỗ Thị Phản Hồi"):
        c = Client(self.server.port, source=fresh_source())
        r = c.form_post("/dang-ky", "/dang-ky", {"name": name, "phone": phone, "pin": "482916", "pin2": "482916", "consent": "yes"})
        self.assertEqual(r.status, 303)
        return c

    def lessons(self, c):
        page = c.get("/hoc/" + COURSE).text
        return [s for s in dict.fromkeys(re.findall(r'href="/hoc/%s/([a-z0-9-]+)"' % COURSE, page)) if s != "kiem-tra"]

    def read(self, c, slug):
        page = c.get("/hoc/%s/%s" % (COURSE, slug))
        return c.post("/hoc/%s/%s/da-hoc" % (COURSE, slug), page.read_form())

    def certify(self, c):
        for slug in self.lessons(c):
            self.assertEqual(self.read(c, slug).status, 303)
        bank = quizbank.bank(COURSE)
        form = quizbank.parse_form(c.get("/hoc/%s/kiem-tra" % COURSE).text)
        r = c.post("/hoc/%s/kiem-tra" % COURSE, quizbank.answers(bank, form))
        self.assertEqual(r.status, 303)
        return c.get(r.header("Location"))

    def test_certificate_is_congratulated(self):
        c = self.register("0944100001", "Ông Chúc Mừng")
        result = self.certify(c)
        m = re.search(r'href="/chuc-mung/(HV-[0-9A-Z]{4}-[0-9A-Z]{4})"', result.text)
        self.assertTrue(m, result.text[:1500])
        code = m.group(1)
        page = c.get("/chuc-mung/" + code)
        self.assertEqual(page.status, 200)
        for want in ("Chúc mừng!", "Ông Chúc Mừng", code, "/chung-nhan/%s.pdf" % code, "Tải bản điện tử có chữ ký"):
            self.assertIn(want, page.text)
        self.assertNotIn("Tải bản ký số (JSON)", page.text)
        mine = c.get("/hoc-tap-cua-toi").text
        self.assertIn('href="/chuc-mung/%s"' % code, mine)  # just earned: congratulated there too
        # Someone else's certificate, or no certificate: not found.
        other = self.register("0944100002")
        self.assertEqual(other.get("/chuc-mung/" + code).status, 404)
        self.assertEqual(c.get("/chuc-mung/HV-0000-0000").status, 404)
        self.assertEqual(c.get("/chuc-mung/xyz").status, 404)
        self.assertEqual(Client(self.server.port).get("/chuc-mung/" + code).status, 303)  # sign in first

    def test_certificate_date_in_english(self):
        c = self.register("0944100003")
        self.certify(c)
        c.cookies["hv_lang"] = "en"
        mine = c.get("/hoc-tap-cua-toi").text
        self.assertNotIn("Ngày ", mine)
        self.assertRegex(mine, r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}")

    def test_readable_export(self):
        c = self.register("0944100004", "Bà Xem Dữ Liệu")
        first = self.lessons(c)[0]
        self.read(c, first)
        me = c.get("/tai-khoan").text
        self.assertIn('href="/tai-khoan/du-lieu"', me)
        self.assertIn('href="/tai-khoan/du-lieu.json"', me)
        r = c.get("/tai-khoan/du-lieu")
        self.assertEqual(r.status, 200)
        self.assertIn("no-store", r.header("Cache-Control"))
        text = html.unescape(r.text)
        for want in ("Bà Xem Dữ Liệu", "0944100004", "Bài đã học", "Đồng ý lưu thông tin lúc", first):
            self.assertIn(want, text)
        self.assertRegex(text, r"\d{2}/\d{2}/20\d{2} \d{2}:\d{2}")  # dates as dates
        self.assertNotRegex(re.sub(r"<[^>]+>", " ", text), r"\b1[6-9]\d{8}\b")  # no Unix times
        self.assertEqual(Client(self.server.port).get("/tai-khoan/du-lieu").status, 303)
        c.cookies["hv_lang"] = "en"
        r = c.get("/tai-khoan/du-lieu")
        self.assertIn("The data kept about me", r.text)
        self.assertIn("Lessons read", r.text)

    def test_read_aloud_says_when_it_cannot(self):
        """The "Nghe" buttons (lesson, each quiz question) come with the
        help shown when the phone has no Vietnamese voice (app.js; the
        browser suite clicks them)."""
        c = self.register("0944100006")
        lesson = c.get("/hoc/%s/%s" % (COURSE, self.lessons(c)[0])).text
        quiz = c.get("/hoc/%s/kiem-tra" % COURSE).text
        for page in (lesson, quiz):
            self.assertIn('id="speak-help"', page)
            self.assertIn("chưa có giọng đọc tiếng Việt", page)
            self.assertIn('<script src="/static/app.js" defer></script>', page)
        self.assertEqual(quiz.count('data-speak="question"'), quiz.count('<fieldset class="question">'))
        self.assertGreater(quiz.count('data-speak="question"'), 0)

    def test_deletion_is_confirmed(self):
        c = self.register("0944100005", "Người Xóa Dữ Liệu")
        me = c.get("/tai-khoan")
        r = c.post("/tai-khoan/xoa", {"_csrf": me.csrf(), "confirm": "yes"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/da-xoa-du-lieu")
        page = c.get("/da-xoa-du-lieu")
        self.assertEqual(page.status, 200)
        self.assertIn("Đã xóa dữ liệu của bạn", page.text)
        self.assertNotIn("Đăng xuất", page.text)  # signed out
        self.assertEqual(c.get("/tai-khoan").status, 303)


if __name__ == "__main__":
    main()
