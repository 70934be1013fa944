"""test_wayfinding.py: issue 20, finding one's way: each role lands on its
own start page after signing in, the menu folds into a <details> (no
JavaScript needed) and names touch points; staff do not see the citizen's
"register" and "staff sign in" once signed in."""
import re

from harness import ServerTest, ZZCleanExit, main, totp  # noqa: F401

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


if __name__ == "__main__":
    main()
