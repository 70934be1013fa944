"""test_wayfinding.py: issue 20, finding one's way: each role lands on its
own start page after signing in, the menu folds into a <details> (no
JavaScript needed) and names touch points; staff do not see the citizen's
"register" and "staff sign in" once signed in."""
import os
import re
import urllib.parse

from harness import Client, ServerTest, ZZCleanExit, fresh_source, main, totp  # noqa: F401

PW = "mat-khau-dai-12345"


class Landing(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        for login, role in (("tnv.land", "volunteer"), ("dp.land", "coordinator"), ("bt.land", "editor"), ("ql.land", "manager")):
            r = s.cli("user", "add", login, "--name", "Người " + login, "--unit", "VN" if role == "editor" else "26740",
                      "--role", role, "--password-stdin", input=PW + "\n")
            assert r.returncode == 0, r.stderr

    def signin(self, login, next_path=None):
        c = self.server.client()
        form = {"login": login, "password": PW}
        if next_path is not None:
            form["next"] = next_path
        r = c.form_post("/dang-nhap", "/dang-nhap", form)
        self.assertEqual(r.status, 303)
        return c, r.header("Location")

    def test_each_role_lands_on_its_start_page(self):
        for login, where in (("tnv.land", "/ho-tro"), ("dp.land", "/to-chuc"), ("bt.land", "/bien-tap")):
            c, loc = self.signin(login)
            self.assertEqual(loc, where, login)
            self.assertEqual(c.get(loc).status, 200, login)
        # On the way somewhere: there, not the start page.
        c, loc = self.signin("tnv.land", "/lop-hoc")
        self.assertEqual(loc, "/lop-hoc")
        # A manager (TOTP) lands on the dashboard once the second factor is done.
        c, loc = self.signin("ql.land")
        self.assertTrue(loc.startswith("/xac-thuc-2-lop"), loc)
        page = c.get(loc)
        secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")
        nxt = re.search(r'name="next" value="([^"]*)"', page.text).group(1)
        r = c.post("/xac-thuc-2-lop", {"_csrf": page.csrf(), "code": totp(secret), "next": nxt})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/bang-dieu-khien")

    def test_learner_lands_on_their_learning(self):
        c = self.server.client()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Bà Năm", "phone": "0911000555", "pin": "804613", "pin2": "804613",
                                                 "consent": "yes", "unit": "26740"})
        self.assertEqual(r.status, 303)
        c2 = self.server.client()
        r = c2.form_post("/dang-nhap/hoc-vien", "/dang-nhap/hoc-vien", {"phone": "0911000555", "pin": "804613"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/hoc-tap-cua-toi")

    def test_menu_folds_and_names_touch_points(self):
        home = self.server.client().get("/")
        self.assertRegex(home.text, r'<details class="menu">\s*<summary>')
        self.assertIn('href="/diem-cham">Điểm chạm số</a>', home.text[:home.text.index("</header>")])
        self.assertIn('href="/dang-ky"', home.text)
        c, _ = self.signin("tnv.land")
        home = c.get("/")
        self.assertNotIn('href="/dang-ky"', home.text, "no register button for staff")
        self.assertNotIn("Cán bộ, tình nguyện viên đăng nhập", home.text)


def fold(t):
    import unicodedata
    t = unicodedata.normalize("NFD", t).replace("đ", "d").replace("Đ", "d")
    return "".join(ch for ch in t if not unicodedata.combining(ch)).lower()


class Registration(ServerTest):
    """Item 2: province then commune in one form, what was typed kept."""

    def base(self, **over):
        b = {"name": "Nguyễn Thị Lan", "phone": "0912345%03d" % over.pop("n", 0), "pin": "804613", "pin2": "804613",
             "consent": "yes", "group": "elderly"}
        b.update(over)
        return b

    def home_of(self, phone):
        rows = self.server.sql("SELECT home_unit FROM accounts WHERE phone = ?", phone)
        return rows[0][0] if rows else "absent"

    def test_nothing_chosen_for_the_person(self):
        r = self.server.client().get("/dang-ky")
        self.assertEqual(r.status, 200)
        sel = r.text[r.text.index('<select id="tinh"'):]
        sel = sel[:sel.index("</select>")]
        self.assertRegex(sel, r'<option value="" selected>')
        self.assertEqual(sel.count(" selected"), 1, "only the empty choice")
        self.assertIn("Không rõ / chưa chọn", sel)
        self.assertIn(" required", sel[:60])

    def test_choosing_the_province_keeps_every_field_but_the_pin(self):
        c = Client(self.server.port, source=fresh_source())
        r = c.form_post("/dang-ky", "/dang-ky", self.base(n=1, tinh="79", chon="1", pin="804613", pin2="804613"))
        self.assertEqual(r.status, 200)
        self.assertIn('value="Nguyễn Thị Lan"', r.text)
        self.assertIn('value="0912345001"', r.text)
        self.assertIn('value="elderly" selected', r.text)
        self.assertRegex(r.text, r'id="consent" name="consent" value="yes" required checked')
        self.assertNotIn("804613", r.text, "the PIN is never sent back")
        self.assertIn("hãy nhập lại mã PIN", r.text)
        self.assertEqual(self.home_of("0912345001"), "absent", "nothing registered yet")
        unit = r.text[r.text.index('<select id="unit"'):]
        unit = unit[:unit.index("</select>")]
        names = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', unit)
        self.assertGreater(len(names), 100)
        bare = [fold(re.sub(r"^(Phường|Xã|Đặc khu) ", "", n)) for n in names]
        self.assertEqual(bare, sorted(bare), "alphabetical, diacritics ignored first")
        self.assertLess(bare.index("sai gon"), bare.index("tan dinh"))
        self.assertGreater(names.index("Phường Sài Gòn"), names.index("Phường Bến Thành"))
        self.assertNotIn(" selected", unit.replace('value="" selected', ""), "no commune chosen for the person")

    def test_commune_required_or_explicitly_unknown(self):
        s = self.server
        c = Client(s.port, source=fresh_source())
        kids = c.get("/api/v1/units/79/children").json()
        ward = kids[0]["code"]
        hanoi = c.get("/api/v1/units/01/children").json()[0]["code"]
        accounts = s.sql("SELECT COUNT(*) FROM accounts")[0][0]
        for form, msg in ((self.base(n=2, tinh=""), "Hãy chọn tỉnh, thành phố"),
                          (self.base(n=2, tinh="79", unit=""), "Hãy chọn xã, phường"),
                          (self.base(n=2, tinh="79", unit=hanoi), "không thuộc tỉnh, thành phố đã chọn"),
                          (self.base(n=2, tinh="99999", unit=ward), "Không có tỉnh, thành phố này"),
                          (self.base(n=2, tinh=ward, unit=ward), "Không có tỉnh, thành phố này")):
            r = c.form_post("/dang-ky", "/dang-ky", form)
            self.assertEqual(r.status, 400, form)
            self.assertIn(msg, r.text)
            self.assertIn('value="Nguyễn Thị Lan"', r.text, "the name is kept")
            self.assertNotIn("804613", r.text)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM accounts")[0][0], accounts, "nothing written")
        c.cookies["hv_lang"] = "en"
        r = c.form_post("/dang-ky", "/dang-ky", self.base(n=2, tinh="79", unit=hanoi))
        self.assertEqual(r.status, 400)
        self.assertIn("The commune chosen is not in the province chosen", r.text)
        del c.cookies["hv_lang"]
        for n, form, home in ((3, self.base(n=3, tinh="79", unit=ward), ward),
                              (4, self.base(n=4, tinh="79", unit="none"), "79"),
                              (5, self.base(n=5, tinh="none"), "")):  # NULL: no unit
            cl = Client(s.port, source=fresh_source())
            r = cl.form_post("/dang-ky", "/dang-ky", form)
            self.assertEqual(r.status, 303, r.text[-800:])
            self.assertEqual(self.home_of(form["phone"]), home)


class FindHelp(ServerTest):
    """Item 3: classes and touch points by name (diacritics optional), near
    me (never stored), directions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        path = os.path.join(s.tmp, "diem.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("name,unit_code,address,lat,lon,free_wifi,hours\n"
                    "Nhà văn hóa Chánh Nghĩa,25747,5 Đinh Bộ Lĩnh,10.9804,106.6519,yes,7:30-17:00\n"
                    "Bưu điện Sài Gòn,26740,2 Công xã Paris,10.7800,106.6999,no,7:00-19:00\n")
        r = s.cli("import", "touch-points", path)
        assert r.returncode == 0, r.stderr

    def test_classes_by_name_without_diacritics(self):
        c = self.server.client()
        for typed in ("thu dau mot", "Thủ Dầu Một", "THU DAU MOT", "25747"):
            r = c.get("/lop-hoc?don-vi=" + urllib.parse.quote(typed))
            self.assertEqual(r.status, 200, typed)
            self.assertIn("<h1>Lớp học lưu động: Phường Thủ Dầu Một</h1>", r.text.replace("\n", ""), typed)
        r = c.get("/lop-hoc?don-vi=" + urllib.parse.quote("chanh nghia"))
        self.assertEqual(r.status, 200, "a touch point's name finds its ward")
        self.assertIn("Phường Thủ Dầu Một", r.text)
        r = c.get("/lop-hoc?don-vi=" + urllib.parse.quote("khong co noi nao nhu the"))
        self.assertEqual(r.status, 404)
        self.assertIn("Không tìm thấy nơi nào có tên này", r.text)
        self.assertIn('value="khong co noi nao nhu the"', r.text, "what was typed stays in the box")

    def test_touch_points_by_name_near_me_and_directions(self):
        s = self.server
        c = s.client()
        r = c.get("/diem-cham?q=" + urllib.parse.quote("thu dau mot"))
        self.assertEqual(r.status, 200)
        self.assertIn("Nhà văn hóa Chánh Nghĩa", r.text)
        self.assertIn('href="geo:10.980400,106.651900?q=10.980400,106.651900(Nh%C3%A0', r.text)
        self.assertIn("Chỉ đường", r.text)
        # Near Thủ Dầu Một: Chánh Nghĩa first, Sài Gòn (about 23 km) after.
        r = c.get("/diem-cham?lat=10.981&lon=106.652")
        self.assertEqual(r.status, 200)
        self.assertLess(r.text.index("Chánh Nghĩa"), r.text.index("Bưu điện Sài Gòn"))
        self.assertRegex(r.text, r"<strong>2\d km</strong>")
        for q, status in (("lat=48.85&lon=2.35", 400), ("lat=abc&lon=106", 400), ("lat=10.9", 400), ("lat=7.9&lon=106", 400)):
            r = c.get("/diem-cham?" + q)
            self.assertEqual(r.status, status, q)
        r = c.get("/diem-cham?lat=48.85&lon=2.35")
        self.assertIn("ngoài Việt Nam", r.text)
        c.cookies["hv_lang"] = "en"
        r = c.get("/diem-cham?lat=48.85&lon=2.35")
        self.assertIn("outside Viet Nam", r.text)
        # Never stored: the access log has the page, not the place.
        with open(os.path.join(s.tmp, "access.log"), encoding="utf-8") as f:
            log = f.read()
        self.assertIn(r"/diem-cham?lat=\u0026lon=", log)
        for coord in ("10.981", "106.652", "48.85"):
            self.assertNotIn(coord, log)


class Pickers(ServerTest):
    """Item 4: staff forms pick units and organisations by name; a
    coordinator created with an organisation manages it at once."""

    def test_coordinator_created_with_organisation_manages_it(self):
        s = self.server
        admin = s.client()
        admin.signin_admin()
        page = admin.get("/to-chuc?don-vi=26740")
        self.assertIn("Hội Người cao tuổi", page.text, "the kind is offered")
        r = admin.post("/to-chuc", {"_csrf": page.csrf(), "name": "Hội Người cao tuổi phường Sài Gòn", "kind": "hoi_nguoi_cao_tuoi",
                                    "unit": "26740"})
        self.assertEqual(r.status, 303, r.text[-500:])
        org = s.sql("SELECT id FROM organisations WHERE name = 'Hội Người cao tuổi phường Sài Gòn'")[0][0]
        form = admin.get("/quan-tri/tai-khoan")
        self.assertEqual(form.status, 200)
        self.assertNotIn("5 số", form.text)
        self.assertIn('<option value="Thành phố Hồ Chí Minh · 79">', form.text)
        self.assertIn('<option value="%s">Hội Người cao tuổi phường Sài Gòn — Phường Sài Gòn</option>' % org, form.text)
        base = {"_csrf": form.csrf(), "login": "dp.nct", "name": "Trần Văn Điều Phối", "password": "mat-khau-dai-12345",
                "role": "coordinator"}
        accounts = s.sql("SELECT COUNT(*) FROM accounts")[0][0]
        for over, status, msg in (({"unit": "khong co noi nao ten the"}, 400, "Không tìm thấy xã, phường hay tỉnh nào"),
                                  ({"unit": "Phường Sài Gòn · 99999"}, 400, "Không tìm thấy xã, phường hay tỉnh nào"),
                                  ({"unit": "26740", "org": "999999"}, 400, "Không có tổ chức này."),
                                  ({"unit": "26740", "org": "abc"}, 400, "Không có tổ chức này."),
                                  ({"unit": "26740", "org": org, "role": "volunteer"}, 400, "Chỉ điều phối viên")):
            r = admin.post("/quan-tri/tai-khoan", dict(base, **over))
            self.assertEqual(r.status, status, over)
            self.assertIn(msg, r.text, over)
            self.assertIn('value="Trần Văn Điều Phối"', r.text, "what was typed stays")
        self.assertEqual(s.sql("SELECT COUNT(*) FROM accounts")[0][0], accounts, "nothing written")
        admin.cookies["hv_lang"] = "en"
        r = admin.post("/quan-tri/tai-khoan", dict(base, unit="26740", org="999999"))
        self.assertIn("No such organisation.", r.text)
        del admin.cookies["hv_lang"]
        # By name, without diacritics, with the organisation: bound at once.
        r = admin.post("/quan-tri/tai-khoan", dict(base, unit="phuong sai gon", org=org))
        self.assertEqual(r.status, 303, r.text[-600:])
        self.assertEqual(s.sql("SELECT r.unit_code, r.org_id FROM roles r JOIN accounts a ON a.id = r.account_id WHERE a.login = 'dp.nct'"),
                         [("26740", str(org))])
        c = s.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "dp.nct", "password": "mat-khau-dai-12345"})
        self.assertEqual(r.header("Location"), "/to-chuc")
        self.assertEqual(c.get("/to-chuc/%s" % org).status, 200, "the coordinator manages it")
        page = c.get("/to-chuc/%s" % org)
        r = c.post("/to-chuc/%s" % org, {"_csrf": page.csrf(), "action": "team", "team_name": "Tổ CNS người cao tuổi", "team_unit": "26740"})
        self.assertEqual(r.status, 303, r.text[-400:])

    def test_class_form_picks_the_organisation(self):
        admin = self.server.client()
        admin.signin_admin()
        r = admin.get("/lop-hoc/moi?don-vi=26740")
        self.assertEqual(r.status, 200)
        self.assertIn('<select id="organisation" name="organisation">', r.text)
        self.assertNotIn("Mã tổ chức", r.text)


class SmallOnes(ServerTest):
    """Item 10 of issue 20: the lesson's title comes before its level, which
    no longer reads "Mức 1" (lessons speak of VNeID "mức 1 và mức 2")."""

    def test_lesson_title_before_its_level(self):
        c = self.server.client()
        course = c.get("/hoc/vneid")
        self.assertEqual(course.status, 200)
        lesson = re.search(r'href="(/hoc/vneid/[a-z0-9-]+)"', course.text).group(1)
        r = c.get(lesson)
        self.assertEqual(r.status, 200)
        main = r.text[r.text.index("<article"):]
        self.assertLess(main.index("<h1"), main.index("Độ khó"))
        self.assertNotRegex(main[:main.index("</h1>") + 400], r"· Mức \d")


if __name__ == "__main__":
    main()
