"""test_scope.py: scope gaps closed by the hardening review: a coordinator
role bound only to an organisation of the caller's units (and counted only
where its unit reaches the organisation); an assist's touch point checked
on edits as when logged; the phone lookup of the assist form limited to the
caller's units, with one answer for "not registered" and "registered
elsewhere", and rate-limited per account."""
import re
import time
import uuid

from harness import ServerTest, ZZCleanExit, bearer, main  # noqa: F401


class Scope(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.ward_a, cls.ward_b = s.two_wards()
        people = (("ql.a", "manager", cls.ward_a), ("ql.b", "manager", cls.ward_b),
                  ("tnv.a", "volunteer", cls.ward_a), ("tnv.b", "volunteer", cls.ward_b))
        cls.tok = {login: s.staff_token(login, role, unit) for login, role, unit in people}
        cls.org_a = cls.make_org("ql.a", cls.ward_a, "Đoàn Thanh niên phường A")
        cls.org_b = cls.make_org("ql.b", cls.ward_b, "Đoàn Thanh niên phường B")
        cls.point = {}
        for who, unit in (("ql.a", cls.ward_a), ("ql.b", cls.ward_b)):
            r = s.client().post("/diem-cham", {"unit": unit, "name": "Nhà văn hóa " + unit, "address": "12 Đường Lê Lợi",
                                               "hours": "7:30–17:00"}, headers=bearer(cls.tok[who]))
            assert r.status == 303, (r.status, r.text[:400])
            cls.point[unit] = int(s.sql("SELECT id FROM touch_points WHERE unit_code = ?", unit)[0][0])
        # Learners: one living in ward B, one who gave no unit.
        for name, phone, unit in (("Bà Năm phường B", "0933000111", cls.ward_b), ("Ông Bảy", "0933000222", None)):
            form = {"name": name, "phone": phone, "pin": "804613", "pin2": "804613", "consent": "yes"}
            if unit:
                form["unit"] = unit
            r = s.client().form_post("/dang-ky", "/dang-ky", form)
            assert r.status == 303, (r.status, r.text[:400])
        cls.learner_b = int(s.sql("SELECT id FROM accounts WHERE phone = '0933000111'")[0][0])

    @classmethod
    def make_org(cls, who, unit, name):
        r = cls.server.client().post("/to-chuc", {"name": name, "kind": "doan_thanh_nien", "unit": unit},
                                     headers=bearer(cls.tok[who]))
        assert r.status == 303, (r.status, r.text[:400])
        return int(r.header("Location").rsplit("/", 1)[1])

    def req(self, who, method, path, form=None):
        c = self.server.client()
        if method == "GET":
            return c.get(path, headers=bearer(self.tok[who]))
        return c.post(path, form, headers=bearer(self.tok[who]))

    def account_id(self, login):
        return int(self.server.sql("SELECT id FROM accounts WHERE login = ?", login)[0][0])

    # ---- 1a: coordinator roles and organisations ----

    def test_coordinator_role_only_for_an_organisation_in_scope(self):
        s = self.server
        self.tok["tnv.org"] = s.staff_token("tnv.org", "volunteer", self.ward_a)
        acct = self.account_id("tnv.org")
        path = "/quan-tri/tai-khoan/%d" % acct
        audit = int(s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'role.grant'")[0][0])
        # Ward A's manager binding a ward-A role to ward B's organisation: refused, nothing written.
        r = self.req("ql.a", "POST", path, {"action": "add_role", "role": "coordinator", "unit": self.ward_a, "org": str(self.org_b)})
        self.assertEqual(r.status, 403, r.text[:300])
        self.assertIn("ngoài phạm vi quản lý", r.text)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM roles WHERE account_id = ? AND role = 'coordinator'", acct)[0][0], "0")
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'role.grant'")[0][0]), audit)
        r = self.req("ql.a", "POST", path, {"action": "add_role", "role": "coordinator", "unit": self.ward_a, "org": "999999"})
        self.assertEqual(r.status, 400)
        self.assertIn("Không có tổ chức này", r.text)
        # Its own ward's organisation: granted.
        r = self.req("ql.a", "POST", path, {"action": "add_role", "role": "coordinator", "unit": self.ward_a, "org": str(self.org_a)})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(s.sql("SELECT org_id FROM roles WHERE account_id = ? AND role = 'coordinator'", acct), [(str(self.org_a),)])
        # Ward B's manager may bind a ward-B role to ward B's organisation.
        self.tok["tnv.orgb"] = s.staff_token("tnv.orgb", "volunteer", self.ward_b)
        r = self.req("ql.b", "POST", "/quan-tri/tai-khoan/%d" % self.account_id("tnv.orgb"),
                     {"action": "add_role", "role": "coordinator", "unit": self.ward_b, "org": str(self.org_b)})
        self.assertEqual(r.status, 200, r.text[:300])

    def test_coordinator_counts_only_where_the_role_reaches_the_organisation(self):
        """A role of ward A naming ward B's organisation (as one granted before
        the check, or from the command line) opens nothing of it."""
        s = self.server
        self.tok["dp.stray"] = s.staff_token("dp.stray", "volunteer", self.ward_a)
        r = s.cli("user", "role", "dp.stray", "--add", "coordinator", "--unit", self.ward_a, "--org", str(self.org_b))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.req("dp.stray", "GET", "/to-chuc/%d" % self.org_b).status, 403)
        teams = int(s.sql("SELECT COUNT(*) FROM teams")[0][0])
        r = self.req("dp.stray", "POST", "/to-chuc/%d" % self.org_b, {"action": "team", "team_name": "Tổ lạ", "team_unit": self.ward_b})
        self.assertEqual(r.status, 403)
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM teams")[0][0]), teams)
        page = self.req("dp.stray", "GET", "/to-chuc?don-vi=" + self.ward_a)
        self.assertEqual(page.status, 200)
        self.assertNotIn("phường B", page.text)
        # A coordinator of ward B's organisation held in ward B opens it.
        self.tok["dp.b"] = s.staff_token("dp.b", "volunteer", self.ward_b)
        r = s.cli("user", "role", "dp.b", "--add", "coordinator", "--unit", self.ward_b, "--org", str(self.org_b))
        self.assertEqual(r.returncode, 0, r.stderr)
        page = self.req("dp.b", "GET", "/to-chuc/%d" % self.org_b)
        self.assertEqual(page.status, 200)
        self.assertIn("Đoàn Thanh niên phường B", page.text)

    # ---- 1b: the touch point of an edited assist ----

    def assist(self, **over):
        a = {"id": str(uuid.uuid4()), "unit": self.ward_a, "services": ["vneid_install"],
             "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True}
        a.update(over)
        return a

    def post_assist(self, who, body, path="/api/v1/assists"):
        return self.server.client().post_json(path, body, headers=bearer(self.tok[who]))

    def test_edit_checks_the_touch_point(self):
        s = self.server
        a = self.assist(touch_point=self.point[self.ward_a])
        self.assertEqual(self.post_assist("tnv.a", a).status, 201)
        path = "/api/v1/assists/" + a["id"]
        edits = int(s.sql("SELECT COUNT(*) FROM assist_edits")[0][0])
        # Unknown: 400 naming the field (it was a failed write: 503).
        r = self.post_assist("tnv.a", dict(a, touch_point=999999), path)
        self.assertEqual(r.status, 400, r.text)
        self.assertEqual(r.json()["field"], "touch_point")
        self.assertIn("no touch point", r.json()["message"])
        # Another ward's: 403, for its author and for the manager of its unit.
        for who in ("tnv.a", "ql.a"):
            r = self.post_assist(who, dict(a, touch_point=self.point[self.ward_b]), path)
            self.assertEqual(r.status, 403, (who, r.text))
            self.assertEqual(r.json()["field"], "touch_point")
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM assist_edits")[0][0]), edits)
        self.assertEqual(s.sql("SELECT touch_point_id FROM assists WHERE id = ?", a["id"]), [(str(self.point[self.ward_a]),)])
        # Logging one there is refused the same way; its own ward's point is taken.
        r = self.post_assist("tnv.a", self.assist(touch_point=self.point[self.ward_b]))
        self.assertEqual(r.status, 403, r.text)
        r = self.post_assist("tnv.a", dict(a, touch_point=None, outcome="partly"), path)
        self.assertEqual(r.status, 200, r.text)
        r = self.post_assist("tnv.a", dict(a, touch_point=self.point[self.ward_a]), path)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["touch_point"], self.point[self.ward_a])

    # ---- 1c: finding a person by phone ----

    def test_phone_lookup_within_the_callers_units_only(self):
        s = self.server
        # Ward B's volunteer finds ward B's learner.
        r = self.post_assist("tnv.b", self.assist(unit=self.ward_b, person={"phone": "0933000111"}))
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["person"], {"account": self.learner_b})
        # Ward A's volunteer cannot tell a phone registered in ward B, or with no unit,
        # from one registered nowhere: the same answer, byte for byte.
        answers = set()
        for phone in ("0933000111", "0933000222", "0933000999"):
            r = self.post_assist("tnv.a", self.assist(person={"phone": phone}))
            self.assertEqual(r.status, 400, (phone, r.text))
            self.assertEqual(r.json()["field"], "person.phone")
            answers.add(r.body)
        self.assertEqual(len(answers), 1, answers)
        # The form says so in Vietnamese, and the same for both.
        c = s.client()
        self.assertEqual(c.form_post("/dang-nhap", "/dang-nhap", {"login": "tnv.a", "password": "mat-khau-dai-12345"}).status, 303)
        pages = []
        for phone in ("0933000111", "0933000999"):
            form = c.get("/ho-tro")
            uid = str(uuid.uuid4())
            r = c.post("/ho-tro", {"_csrf": form.csrf(), "id": uid, "unit": self.ward_a, "s_etax": "1", "phone": phone,
                                   "outcome": "done", "smartphone": "yes"})
            self.assertEqual(r.status, 400)
            pages.append(re.search(r'role="alert"[^>]*>(.*?)<', r.text, re.S).group(1).strip())
        self.assertEqual(pages[0], pages[1])
        self.assertIn("thuộc đơn vị của bạn", pages[0])

    def test_registering_a_phone_held_elsewhere_links_without_telling(self):
        s = self.server
        accounts = int(s.sql("SELECT COUNT(*) FROM accounts")[0][0])
        # A new phone: a new learner of ward A.  Ward B's learner's phone: the same answer,
        # the record linked to her, no new account, an audit row saying so.
        fresh = self.post_assist("tnv.a", self.assist(person={"register": {"name": "Ông Tám", "phone": "0933000333", "consent": True}}))
        held = self.post_assist("tnv.a", self.assist(person={"register": {"name": "Bà Năm", "phone": "0933000111", "consent": True}}))
        self.assertEqual((fresh.status, held.status), (201, 201), (fresh.text, held.text))
        self.assertEqual(set(fresh.json()["person"]), set(held.json()["person"]))
        self.assertEqual(held.json()["person"]["account"], self.learner_b)
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM accounts")[0][0]), accounts + 1)
        self.assertEqual(s.sql("SELECT display_name, home_unit FROM accounts WHERE id = ?", self.learner_b),
                         [("Bà Năm phường B", self.ward_b)])
        rows = s.sql("SELECT actor_id, target, unit_code FROM audit_log WHERE action = 'account.link+consent'")
        self.assertEqual(rows, [(str(self.account_id("tnv.a")), "account:%d" % self.learner_b, self.ward_a)])
        # Inside the caller's units a taken phone is said to be taken (they could look it up).
        r = self.post_assist("tnv.b", self.assist(unit=self.ward_b, person={"register": {"name": "Bà Năm", "phone": "0933000111",
                                                                                           "consent": True}}))
        self.assertEqual(r.status, 409, r.text)

    def test_phone_lookups_are_rate_limited_per_account(self):
        s = self.server
        self.tok["tnv.rl"] = s.staff_token("tnv.rl", "volunteer", self.ward_b)
        self.tok["tnv.rl2"] = s.staff_token("tnv.rl2", "volunteer", self.ward_b)
        left = 3600 - time.time() % 3600
        if left < 60:  # the limit counts per clock hour: stay within one
            time.sleep(left + 1)
        first = self.assist(unit=self.ward_b, person={"phone": "0933000111"})
        self.assertEqual(self.post_assist("tnv.rl", first).status, 201)
        for _ in range(3):  # the same record again counts nothing
            self.assertEqual(self.post_assist("tnv.rl", first).status, 200)
        for k in range(59):  # found or not, every phone counts
            r = self.post_assist("tnv.rl", self.assist(unit=self.ward_b, person={"phone": "09440%05d" % k}))
            self.assertEqual(r.status, 400, (k, r.text))
        n = int(s.sql("SELECT COUNT(*) FROM assists")[0][0])
        for person in ({"phone": "0933000111"}, {"register": {"name": "Ông Chín", "phone": "0933000444", "consent": True}}):
            r = self.post_assist("tnv.rl", self.assist(unit=self.ward_b, person=person))
            self.assertEqual(r.status, 429, r.text)
            self.assertEqual(r.json()["error"], "rate_limited")
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM assists")[0][0]), n)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM accounts WHERE phone = '0933000444'")[0][0], "0")
        # Records without a phone, the first record sent again, and other accounts go on.
        self.assertEqual(self.post_assist("tnv.rl", self.assist(unit=self.ward_b)).status, 201)
        self.assertEqual(self.post_assist("tnv.rl", first).status, 200)
        r = self.post_assist("tnv.rl2", self.assist(unit=self.ward_b, person={"phone": "0933000111"}))
        self.assertEqual(r.status, 201, r.text)


if __name__ == "__main__":
    main()
