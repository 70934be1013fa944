"""test_recover.py: getting back into a learner account without the PIN.

A volunteer or official who checked the person face to face issues a
one-time reset code (30 minutes, once, audit-logged) within their units;
the person sets a new PIN with it at /quen-ma-pin and is signed in, every
other session ends.  The same code lets a person registered by a volunteer
(no PIN) claim the account.  Each learner also has a recovery code of
their own, shown once on "my account" and replaced after use.  Wrong,
expired, used and other phones' codes get one answer, attempts are
limited, and a refused attempt changes nothing.  `hocvuso user reset-code
PHONE` issues a code from the command line."""
import re

from harness import Client, ServerTest, ZZCleanExit, fresh_source, main  # noqa: F401

PW = "mat-khau-dai-12345"
BAD = "Mã khôi phục không đúng, đã hết hạn hoặc đã được dùng."


def shown_code(text):
    m = re.search(r'<p class="code">([0-9 ]+)</p>', text)
    return m.group(1) if m else None


def error_of(text):
    m = re.search(r'<p class="error" role="alert">([^<]*)</p>', text)
    return m.group(1) if m else None


class Recover(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.ward_a, cls.ward_b = s.two_wards()
        cls.tok = {}
        for login, role, unit in (("tnv.a", "volunteer", cls.ward_a), ("tnv.b", "volunteer", cls.ward_b),
                                  ("xem.a", "viewer", cls.ward_a)):
            cls.tok[login] = s.staff_token(login, role, unit)

    # ---- helpers ----

    def learner(self, phone, pin="804613", unit=None):
        c = Client(self.server.port, source=fresh_source())
        f = {"name": "Người " + phone, "phone": phone, "pin": pin, "pin2": pin, "consent": "yes", "unit": unit or self.ward_a}
        r = c.form_post("/dang-ky", "/dang-ky", f)
        self.assertEqual(r.status, 303, r.text[:400])
        return c

    def staff(self, login):
        c = Client(self.server.port, source=fresh_source())
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": login, "password": PW})
        self.assertEqual(r.status, 303, r.text[:300])
        return c

    def issue(self, who, phone, checked=True):
        f = {"phone": phone}
        if checked:
            f["checked"] = "yes"
        return who.form_post("/ho-tro/ma-khoi-phuc", "/ho-tro/ma-khoi-phuc", f)

    def use(self, phone, code, pin="258147", pin2=None, client=None):
        c = client or Client(self.server.port, source=fresh_source())
        r = c.form_post("/quen-ma-pin", "/quen-ma-pin", {"phone": phone, "code": code, "pin": pin, "pin2": pin2 or pin})
        return c, r

    def state(self, phone):
        """What a refused attempt must leave alone: the PIN hash, the open codes."""
        return self.server.sql("SELECT a.secret_hash, (SELECT COUNT(*) FROM reset_codes r WHERE r.account_id = a.id AND "
                               "r.used_at IS NULL) FROM accounts a WHERE a.phone = ?", phone)

    def signin(self, phone, pin):
        c = Client(self.server.port, source=fresh_source())
        return c, c.form_post("/dang-nhap/hoc-vien", "/dang-nhap/hoc-vien", {"phone": phone, "pin": pin})

    # ---- tests ----

    def test_forgot_link_and_page(self):
        c = self.server.client()
        self.assertIn('href="/quen-ma-pin"', c.get("/dang-nhap/hoc-vien").text)
        r = c.get("/quen-ma-pin")
        self.assertEqual(r.status, 200)
        for want in ("Quên mã PIN", 'name="code"', 'name="pin2"', "tình nguyện viên"):
            self.assertIn(want, r.text)
        self.assertIn("no-store", r.header("Cache-Control"))

    def test_volunteer_reset_then_signin(self):
        s = self.server
        phone = "0911200001"
        old = self.learner(phone)
        self.assertEqual(old.get("/tai-khoan").status, 200)
        v = self.staff("tnv.a")
        self.assertEqual(v.get("/ho-tro/ma-khoi-phuc").status, 200)
        # Without the face-to-face confirmation: refused, nothing issued.
        r = self.issue(v, phone, checked=False)
        self.assertEqual(r.status, 400)
        self.assertIn("căn cước", error_of(r.text))
        self.assertEqual(s.sql("SELECT COUNT(*) FROM reset_codes r JOIN accounts a ON a.id = r.account_id "
                               "WHERE a.phone = ? AND r.kind = 'staff'", phone), [("0",)])
        r = self.issue(v, "0911 200 001")
        self.assertEqual(r.status, 200, r.text[-600:])
        code = shown_code(r.text)
        self.assertRegex(code, r"^\d{4} \d{4}$")
        self.assertIn("<svg", r.text)
        self.assertIn("no-store", r.header("Cache-Control"))
        self.assertNotIn(code.replace(" ", ""), str(s.sql("SELECT code_hash FROM reset_codes")))  # only a hash is kept
        audit = s.sql("SELECT x.login FROM audit_log l JOIN accounts x ON x.id = l.actor_id WHERE l.action = 'account.reset_code' "
                      "AND l.target = (SELECT 'account:' || id FROM accounts WHERE phone = ?)", phone)
        self.assertEqual(audit, [("tnv.a",)])
        # A PIN that does not match, or is too easy: the code is not spent.
        before = self.state(phone)
        self.assertEqual(self.use(phone, code, pin="258147", pin2="258148")[1].status, 400)
        self.assertEqual(self.use(phone, code, pin="123456")[1].status, 400)
        self.assertEqual(self.state(phone), before)
        p, r = self.use(phone, code, pin="258147")
        self.assertEqual(r.status, 200, r.text[-600:])
        self.assertIn("Đã đặt mã PIN mới", r.text)
        self.assertRegex(shown_code(r.text), r"^\d{4} \d{4} \d{4}$")  # a new recovery code of their own
        self.assertIn("Đăng xuất", r.text)  # the page is drawn signed in
        self.assertEqual(p.post("/dang-xuat", {"_csrf": r.csrf()}).status, 303)  # its forms work with the new session
        p, r = self.signin(phone, "258147")
        self.assertEqual(p.get("/tai-khoan").status, 200)
        self.assertEqual(old.get("/tai-khoan").status, 303)  # the other session has ended
        self.assertEqual(self.signin(phone, "804613")[1].status, 400)
        self.assertEqual(self.signin(phone, "258147")[1].status, 303)
        self.assertEqual(len(s.sql("SELECT id FROM audit_log WHERE action = 'account.reset' AND detail = 'reset code' AND "
                                   "target = (SELECT 'account:' || id FROM accounts WHERE phone = ?)", phone)), 1)
        # Used once: the second time, the same answer as any wrong code, nothing changes.
        before = self.state(phone)
        _, r = self.use(phone, code, pin="369258")
        self.assertEqual(r.status, 400)
        self.assertIn(BAD, error_of(r.text))
        self.assertEqual(self.state(phone), before)

    def test_bad_codes_one_answer_nothing_changed(self):
        s = self.server
        a, b = "0911200011", "0911200012"
        self.learner(a)
        self.learner(b)
        v = self.staff("tnv.a")
        code_a = shown_code(self.issue(v, a).text)
        code_b = shown_code(self.issue(v, b).text)
        # Expired: 31 minutes later.
        s.tamper("UPDATE reset_codes SET expires_at = expires_at - 31 * 60 WHERE account_id = "
                 "(SELECT id FROM accounts WHERE phone = '%s') AND kind = 'staff'" % b)
        before_a, before_b = self.state(a), self.state(b)
        answers = set()
        for phone, code in ((a, code_b),          # another phone's code
                            (b, code_b),          # expired
                            (a, "1234 5678"),      # guessed
                            (a, "12ab"),           # not a code
                            ("0911299999", code_a)):  # a phone nobody holds
            _, r = self.use(phone, code)
            self.assertEqual(r.status, 400, (phone, code))
            answers.add(error_of(r.text))
        self.assertEqual(len(answers), 1, answers)
        self.assertIn(BAD, answers.pop())
        self.assertEqual((self.state(a), self.state(b)), (before_a, before_b))
        # A newer code replaces the older one.
        code_a2 = shown_code(self.issue(v, a).text)
        self.assertEqual(self.use(a, code_a)[1].status, 400)
        self.assertEqual(self.use(a, code_a2)[1].status, 200)

    def test_attempts_are_limited(self):
        phone = "0911200021"
        self.learner(phone)
        code = shown_code(self.issue(self.staff("tnv.a"), phone).text)
        for i in range(5):
            self.assertEqual(self.use(phone, "%08d" % (11111111 + i))[1].status, 400)
        before = self.state(phone)
        _, r = self.use(phone, code)  # the right code, from another address: the phone has had its tries
        self.assertEqual(r.status, 429)
        self.assertIn("30 phút", error_of(r.text))
        self.assertEqual(self.state(phone), before)
        # Per address too: ten tries, whatever the phone.
        c = Client(self.server.port, source=fresh_source())
        for i in range(10):
            self.assertEqual(self.use("09112003%02d" % i, "00000000", client=c)[1].status, 400)
        self.assertEqual(self.use("0911200399", "00000000", client=c)[1].status, 429)

    def test_scope(self):
        s = self.server
        phone = "0911200031"
        me = self.learner(phone)
        r = self.issue(self.staff("tnv.b"), phone)  # a volunteer of the other ward
        self.assertEqual(r.status, 403)
        self.assertIn("không thuộc đơn vị", error_of(r.text))
        self.assertEqual(s.sql("SELECT COUNT(*) FROM reset_codes r JOIN accounts a ON a.id = r.account_id "
                               "WHERE a.phone = ? AND r.kind = 'staff'", phone), [("0",)])
        # A viewer, a learner, nobody: not for them.
        self.assertEqual(self.server.client().get("/ho-tro/ma-khoi-phuc").status, 303)
        self.assertEqual(me.get("/ho-tro/ma-khoi-phuc").status, 403)
        r = self.issue(self.staff("tnv.a"), "0911299998")
        self.assertEqual(r.status, 404)
        r = self.issue(self.staff("tnv.a"), "12345")
        self.assertEqual(r.status, 400)

    def test_viewer_cannot_issue(self):
        # A viewer signs in with a second factor; the route refuses the role.
        v = Client(self.server.port, source=fresh_source())
        v.signin_totp("xem.a", PW)
        self.assertEqual(v.get("/ho-tro/ma-khoi-phuc").status, 403)

    def test_volunteer_registered_person_claims_account(self):
        s = self.server
        phone = "0911200041"
        r = Client(s.port).post_json("/api/v1/assists", {
            "id": "6f1c6c8e-1d1b-4a43-9d5e-0a0000000041", "unit": self.ward_a, "services": ["vneid_install"],
            "person": {"register": {"name": "Ông Bảy", "phone": phone, "consent": True}}, "outcome": "done",
            "has_smartphone": True}, headers={"Authorization": "Bearer " + self.tok["tnv.a"]})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(s.sql("SELECT CASE WHEN secret_hash IS NULL THEN 1 ELSE 0 END FROM accounts WHERE phone = ?", phone), [("1",)])
        self.assertEqual(self.signin(phone, "804613")[1].status, 400)
        code = shown_code(self.issue(self.staff("tnv.a"), phone).text)
        p, r = self.use(phone, code, pin="975318")
        self.assertEqual(r.status, 200, r.text[-500:])
        me = p.get("/tai-khoan")
        self.assertIn("Ông Bảy", me.text)
        self.assertEqual(p.get("/tai-khoan/du-lieu.json").json()["account"]["phone"], phone)
        self.assertEqual(self.signin(phone, "975318")[1].status, 303)

    def test_own_recovery_code(self):
        s = self.server
        phone = "0911200051"
        c = self.learner(phone)
        first = c.get("/tai-khoan")
        own = shown_code(first.text)
        self.assertRegex(own, r"^\d{4} \d{4} \d{4}$")
        self.assertIn("no-store", first.header("Cache-Control"))
        again = c.get("/tai-khoan")
        self.assertIsNone(shown_code(again.text))  # shown once
        self.assertIn("Tạo mã khôi phục mới", again.text)
        p, r = self.use(phone, own.replace(" ", "-"), pin="147258")
        self.assertEqual(r.status, 200, r.text[-500:])
        new = shown_code(r.text)
        self.assertNotEqual(new, own)
        self.assertEqual(c.get("/tai-khoan").status, 303)  # signed out elsewhere
        self.assertEqual(self.use(phone, own)[1].status, 400)  # once
        self.assertEqual(len(s.sql("SELECT id FROM audit_log WHERE action = 'account.reset' AND detail = 'own recovery code' "
                                   "AND target = (SELECT 'account:' || id FROM accounts WHERE phone = ?)", phone)), 1)
        # A new one on request replaces it.
        r = p.form_post("/tai-khoan", "/tai-khoan/ma-khoi-phuc", {})
        self.assertEqual(r.status, 200)
        newer = shown_code(r.text)
        self.assertEqual(self.use(phone, new)[1].status, 400)
        self.assertEqual(self.use(phone, newer, pin="741852")[1].status, 200)

    def test_cli_reset_code(self):
        s = self.server
        phone = "0911200061"
        self.learner(phone)
        r = s.cli("user", "reset-code", "0911 200 061")
        self.assertEqual(r.returncode, 0, r.stderr)
        code = re.search(r"(\d{4} \d{4})", r.stdout).group(1)
        self.assertEqual(self.use(phone, code, pin="362514")[1].status, 200)
        for args in (("user", "reset-code", "0911299997"), ("user", "reset-code", "not-a-phone"), ("user", "reset-code")):
            r = s.cli(*args)
            self.assertEqual(r.returncode, 2, (args, r.stdout, r.stderr))
            self.assertTrue(r.stderr.strip(), args)
        self.assertIn("no account with phone", s.cli("user", "reset-code", "0911299997").stderr)

    def test_english(self):
        c = Client(self.server.port, source=fresh_source())
        c.cookies["hv_lang"] = "en"
        self.assertIn("Forgot your PIN", c.get("/quen-ma-pin").text)
        r = c.form_post("/quen-ma-pin", "/quen-ma-pin", {"phone": "0911299996", "code": "12345678", "pin": "258147", "pin2": "258147"})
        self.assertEqual(r.status, 400)
        self.assertIn("The recovery code is wrong", error_of(r.text))


if __name__ == "__main__":
    main()
