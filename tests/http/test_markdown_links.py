"""test_markdown_links.py: an editor cannot publish a lesson whose Markdown
links or images lead to a script, whatever the spelling (entities named and
numeric, mixed case, controls inside the scheme, reference links, images,
autolinks, raw HTML).  Each variant is refused at save (and at preview) with
a 400 naming its line, nothing is stored, and no answer carries an href or
src with a scheme other than http, https, mailto or tel.  A normal https
link and a relative link are published and work."""
import html
import re

from harness import ServerTest, ZZCleanExit, main  # noqa: F401

EDITOR_PASSWORD = "mat-khau-bien-tap-1"
FILLER = "Bài học thử về liên kết an toàn cho bà con.\n\n"

VARIANTS = [
    "[bấm](javascript:alert(1))",
    "[bấm](javascript&#58;alert(1))",
    "[bấm](javascript&colon;alert(1))",
    "[bấm](javascript&#x3A;alert(1))",
    "[bấm](&#106;avascript:alert(1))",
    "[bấm](JaVaScRiPt:alert(1))",
    "[bấm](<java\tscript:alert(1)>)",
    "[bấm](java&#9;script:alert(1))",
    "[bấm](java&Tab;script:alert(1))",
    "[bấm](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[bấm](vbscript:msgbox(1))",
    "[bấm](vbscript&#58;msgbox(1))",
    "[bấm](//evil.example/x)",
    "[bấm][r]\n\n[r]: javascript&#58;alert(1)",
    "![ảnh](javascript&#58;alert(1))",
    "![ảnh](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)",
    "<javascript:alert(1)>",
]

ALLOWED = ("http", "https", "mailto", "tel")


def bad_addresses(text):
    """The href/src values of text whose scheme (as a browser reads it:
    entities decoded, tabs and newlines dropped, leading spaces trimmed) is
    not allowed."""
    bad = []
    for attr, value in re.findall(r'\b(href|src)\s*=\s*"([^"]*)"', text, re.I):
        v = re.sub(r"[\t\n\r]", "", html.unescape(value)).lstrip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08")
        m = re.match(r"([^:/?#]*):", v)
        if m and m.group(1).lower() not in (ALLOWED if attr.lower() == "href" else ("http", "https")):
            bad.append(value)
    return bad


class MarkdownLinks(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.cli("user", "add", "bientap.lk", "--name", "Biên Tập Liên Kết", "--unit", "VN", "--role", "editor",
                           "--password-stdin", input=EDITOR_PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        cls.editor = cls.server.client()
        r = cls.editor.form_post("/dang-nhap", "/dang-nhap", {"login": "bientap.lk", "password": EDITOR_PASSWORD})
        assert r.status == 303, r.status
        cls.course = cls.server.sql("SELECT slug FROM courses WHERE published = 1 ORDER BY id LIMIT 1")[0][0]

    def fields(self, slug, body, action):
        page = self.editor.get("/bien-tap/bai-moi?khoa=" + self.course)
        self.assertEqual(page.status, 200)
        return {"_csrf": page.csrf(), "course": self.course, "slug": slug, "title": "Liên kết an toàn",
                "module": "Thử nghiệm", "minutes": "5", "level": "1", "domain": "safety", "track_citizen": "1",
                "video": "", "body": body, "action": action}

    def assertNoBadAddress(self, text, what):
        self.assertEqual(bad_addresses(text), [], what)

    def test_every_variant_is_refused_with_its_line(self):
        for i, variant in enumerate(VARIANTS):
            slug = "lien-ket-xau-%d" % i
            body = FILLER + "Dòng có liên kết: " + variant + "\n\nHết.\n"
            for action in ("preview", "publish", "draft"):
                r = self.editor.post("/bien-tap/bai-moi", self.fields(slug, body, action))
                self.assertEqual(r.status, 400, (variant, action, r.text[:300]))
                self.assertIn("Dòng 3 của nội dung: địa chỉ liên kết hoặc ảnh không được phép", r.text, (variant, action))
                self.assertNoBadAddress(r.text, (variant, action))
            self.assertEqual(self.server.sql("SELECT COUNT(*) FROM lessons WHERE slug = ?", slug)[0][0], "0", variant)
            self.assertEqual(self.server.client().get("/hoc/%s/%s" % (self.course, slug)).status, 404, variant)

    def test_raw_html_is_shown_as_text(self):
        slug = "lien-ket-html"
        body = FILLER + '<img src="javascript:alert(1)"> <a href="javascript:alert(2)">x</a> <script>alert(3)</script>\n'
        r = self.editor.post("/bien-tap/bai-moi", self.fields(slug, body, "publish"))
        self.assertEqual(r.status, 303, r.text[:300])
        page = self.server.client().get("/hoc/%s/%s" % (self.course, slug))
        self.assertEqual(page.status, 200)
        self.assertIn("&lt;img src=&quot;javascript:alert(1)&quot;&gt;", page.text)
        self.assertNotIn("<script>alert", page.text)
        self.assertNoBadAddress(page.text, "raw HTML")

    def test_https_and_relative_links_still_work(self):
        slug = "lien-ket-tot"
        body = (FILLER + "Xem [Cổng dịch vụ công](https://dichvucong.gov.vn/p/home?a=1&b=2 \"Cổng \\\"DVC\\\"\"), "
                "bài [cài đặt VNeID](/hoc/vneid/cai-dat-vneid), [mục dưới](#cuoi), "
                "[gửi thư](mailto:hotro@example.vn) hoặc [gọi](tel:+84241234).\n")
        r = self.editor.post("/bien-tap/bai-moi", self.fields(slug, body, "preview"))
        self.assertEqual(r.status, 200, r.text[:300])
        r = self.editor.post("/bien-tap/bai-moi", self.fields(slug, body, "publish"))
        self.assertEqual(r.status, 303, r.text[:300])
        page = self.server.client().get("/hoc/%s/%s" % (self.course, slug))
        self.assertEqual(page.status, 200)
        self.assertIn('<a href="https://dichvucong.gov.vn/p/home?a=1&amp;b=2" title="Cổng &quot;DVC&quot;">'
                      'Cổng dịch vụ công</a>', page.text)
        self.assertIn('<a href="/hoc/vneid/cai-dat-vneid">cài đặt VNeID</a>', page.text)
        self.assertIn('<a href="#cuoi">mục dưới</a>', page.text)
        self.assertIn('<a href="mailto:hotro@example.vn">gửi thư</a>', page.text)
        self.assertIn('<a href="tel:+84241234">gọi</a>', page.text)
        self.assertNoBadAddress(page.text, "good links")
        # An edit that adds a bad link to the published lesson is refused and changes nothing.
        form = self.editor.get("/bien-tap/bai/" + slug)
        f = self.fields(slug, body + "\n[x](javascript&colon;alert(1))\n", "publish")
        f["_csrf"] = form.csrf()
        del f["slug"]
        r = self.editor.post("/bien-tap/bai/" + slug, f)
        self.assertEqual(r.status, 400)
        self.assertIn("Dòng 5 của nội dung", r.text)
        page = self.server.client().get("/hoc/%s/%s" % (self.course, slug))
        self.assertNotIn("javascript", page.text)


if __name__ == "__main__":
    main()
