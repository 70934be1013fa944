"""test_injection.py: HTML/JS in every text a staff member can type that
is shown back on a page added with Help and Measure — organisation and team
names, touch point name/address/hours, class titles, honour reasons, the
"other" help text — is either refused with a 400 or shown as text
(escaped), never as markup, on every page that shows it.  A value with
" ' < & inside an attribute (a search box's value="...", a lesson's video
href="...", an editor's form) stays inside that attribute."""
import datetime
import re
import time
import urllib.parse

from harness import ServerTest, ZZCleanExit, main  # noqa: F401

PAYLOAD = 'Tên <script>alert(1)</script> "x" <img src=x onerror=alert(2)>'
RAW = ("<script>alert(1)", "<img src=x onerror")


def local(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone(datetime.timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M")


class Injection(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.client()
        cls.admin.signin_admin()

    def assertShownAsText(self, path, must_appear=True):
        r = self.admin.get(path)
        self.assertEqual(r.status, 200, path)
        for raw in RAW:
            self.assertNotIn(raw, r.text, path)
        if must_appear:
            self.assertIn("&lt;script&gt;alert(1)&lt;&#47;script&gt;", r.text, path)

    def post_form(self, page, action, fields):
        r = self.admin.form_post(page, action, fields)
        self.assertIn(r.status, (303, 400), (action, r.status, r.text[:300]))
        if r.status == 400:
            for raw in RAW:
                self.assertNotIn(raw, r.text, "the refusal page does not echo markup either")
        return r

    def test_organisation_team_touch_point_class_honour(self):
        s = self.server
        ward = "26740"
        # Organisation, then a team in it.
        r = self.post_form("/to-chuc?don-vi=" + ward, "/to-chuc", {"unit": ward, "name": PAYLOAD, "kind": "mttq"})
        if r.status == 303:
            org = s.sql("SELECT id FROM organisations WHERE name = ?", PAYLOAD)[0][0]
            self.assertShownAsText("/to-chuc?don-vi=" + ward)
            self.assertShownAsText("/to-chuc/" + org)
            self.assertShownAsText("/bang-dieu-khien/%s" % ward, must_appear=True)  # the organisation filter
            r = self.post_form("/to-chuc/" + org, "/to-chuc/" + org, {"action": "team", "team_name": PAYLOAD, "team_unit": ward})
            if r.status == 303:
                team = s.sql("SELECT id FROM teams WHERE name = ?", PAYLOAD)[0][0]
                self.assertShownAsText("/to-doi/" + team)
        # Touch point: name, address, hours.
        r = self.post_form("/diem-cham?don-vi=" + ward, "/diem-cham",
                           {"unit": ward, "name": PAYLOAD, "address": PAYLOAD, "hours": PAYLOAD, "lat": "", "lon": ""})
        self.assertEqual(r.status, 303, "a touch point with odd characters is kept (as text)")
        point = s.sql("SELECT id FROM touch_points WHERE name = ?", PAYLOAD)[0][0]
        self.assertShownAsText("/diem-cham?don-vi=" + ward)
        self.assertShownAsText("/diem-cham/" + point)
        # A class at that touch point.
        course = s.sql("SELECT id FROM courses WHERE published = 1 ORDER BY id LIMIT 1")[0][0]
        start = int(time.time()) + 2 * 86400
        r = self.post_form("/lop-hoc/moi?don-vi=" + ward, "/lop-hoc/moi",
                           {"title": PAYLOAD, "course": course, "touch_point": point, "start": local(start),
                            "end": local(start + 3600), "capacity": "10", "organisation": ""})
        if r.status == 303:
            cid = re.match(r"/lop-hoc/(\d+)$", r.header("Location")).group(1)
            self.assertShownAsText("/lop-hoc?don-vi=" + ward)
            self.assertShownAsText("/lop-hoc/" + cid)
            self.assertShownAsText("/lop-hoc/%s/danh-sach" % cid)
            self.assertShownAsText("/diem-cham/" + point)  # its upcoming classes
        # An honour with that reason.
        period = time.strftime("%Y", time.gmtime(time.time() + 7 * 3600))
        r = self.post_form("/bieu-duong/%s?ky=%s" % (ward, period), "/bieu-duong/%s?ky=%s" % (ward, period),
                           {"period": period, "kind": "unit", "subject": ward, "reason": PAYLOAD})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertShownAsText("/bieu-duong/%s?ky=%s" % (ward, period))

    def test_other_help_text_in_the_export(self):
        s = self.server
        r = s.cli("user", "add", "tnv.inj", "--name", "TNV <b>đậm</b>", "--unit", "26740", "--role", "volunteer",
                  "--password-stdin", input="mat-khau-dai-12345\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = s.client()
        page = c.get("/dang-nhap")
        self.assertEqual(c.post("/dang-nhap", {"_csrf": page.csrf(), "login": "tnv.inj", "password": "mat-khau-dai-12345"}).status, 303)
        f = {"unit": "26740", "services": "other", "other": PAYLOAD, "age_band": "60+", "gender": "f", "group": "elderly",
             "outcome": "done", "smartphone": "yes", "touch_point": "", "minutes": ""}
        page = c.get("/ho-tro")
        f["_csrf"] = page.csrf()
        f["id"] = re.search(r'name="id" value="([^"]+)"', page.text).group(1)
        r = c.post("/ho-tro", f)
        self.assertIn(r.status, (303, 400))
        # Every page the volunteer sees afterwards shows no markup of theirs.
        for path in ("/ho-tro", "/tinh-nguyen-vien", "/tai-khoan"):
            text = c.get(path).text
            for raw in RAW + ("<b>đậm</b>",):
                self.assertNotIn(raw, text, path)

    def test_quotes_in_attribute_values(self):
        s = self.server
        q = 'a" autofocus onfocus="alert(1)\' x=\'<b>&amp;'
        r = s.client().get("/tim-kiem?q=" + urllib.parse.quote(q))
        self.assertEqual(r.status, 200)
        self.assertIn('value="a&quot; autofocus onfocus=&quot;alert(1)&#39; x=&#39;&lt;b&gt;&amp;amp;"', r.text)
        self.assertNotIn('onfocus="', r.text)
        # An editor's lesson: the title in the form's value="..." and the video in href="{{href video}}".
        r = s.cli("user", "add", "bientap.inj", "--name", "Biên Tập", "--unit", "VN", "--role", "editor",
                  "--password-stdin", input="mat-khau-dai-12345\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = s.client()
        self.assertEqual(c.form_post("/dang-nhap", "/dang-nhap", {"login": "bientap.inj", "password": "mat-khau-dai-12345"}).status, 303)
        course = s.sql("SELECT slug FROM courses WHERE published = 1 ORDER BY id LIMIT 1")[0][0]
        title = 'Bài "ngoặc" \'đơn\' <b>&'
        video = 'https://example.vn/v?a="onmouseover=alert(1)&b=\'c\'<d>'
        r = c.form_post("/bien-tap/bai-moi?khoa=" + course, "/bien-tap/bai-moi",
                        {"course": course, "slug": "ngoac-trong-thuoc-tinh", "title": title, "module": "Thử", "minutes": "5",
                         "level": "1", "domain": "safety", "track_citizen": "1", "video": video,
                         "body": "Nội dung đủ dài cho một bài học thử.\n", "action": "publish"})
        self.assertEqual(r.status, 303, r.text[:300])
        form = c.get(r.header("Location"))
        self.assertIn('name="title" value="Bài &quot;ngoặc&quot; &#39;đơn&#39; &lt;b&gt;&amp;"', form.text)
        self.assertIn('name="video" value="https:&#47;&#47;example.vn&#47;v?a=&quot;onmouseover=alert(1)&amp;b=&#39;c&#39;&lt;d&gt;"',
                      form.text)
        page = s.client().get("/hoc/%s/ngoac-trong-thuoc-tinh" % course)
        self.assertEqual(page.status, 200)
        self.assertIn('href="https://example.vn/v?a=&quot;onmouseover=alert(1)&amp;b=&#39;c&#39;&lt;d&gt;"', page.text)
        self.assertNotIn('onmouseover=alert(1)&b', page.text)


if __name__ == "__main__":
    main()
