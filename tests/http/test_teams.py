"""test_teams.py: organisations, teams and coordinator scope, the volunteer
and leader pages (with the optional minutes of an assist), the CSV imports
of volunteers and touch points, and the CSV export of assists by role."""
import os
import re
import tempfile
import uuid

from harness import ServerTest, ZZCleanExit, main  # noqa: F401


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


class Teams(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.ward_a, cls.ward_b = s.two_wards()
        people = (("ql.a", "manager", cls.ward_a), ("dp.1", "volunteer", cls.ward_a), ("dp.2", "volunteer", cls.ward_a),
                  ("tnv.a1", "volunteer", cls.ward_a), ("tnv.a2", "volunteer", cls.ward_a),
                  ("tnv.b", "volunteer", cls.ward_b), ("xem.a", "viewer", cls.ward_a))
        cls.tok = {login: s.staff_token(login, role, unit) for login, role, unit in people}
        cls.org1 = cls.make_org("Đoàn Thanh niên phường", "doan_thanh_nien")
        cls.org2 = cls.make_org("Hội Phụ nữ phường", "hoi_phu_nu")
        for login, org in (("dp.1", cls.org1), ("dp.2", cls.org2)):
            r = s.cli("user", "role", login, "--add", "coordinator", "--unit", cls.ward_a, "--org", str(org))
            assert r.returncode == 0, r.stderr

    @classmethod
    def make_org(cls, name, kind):
        r = cls.server.client().post("/to-chuc", {"name": name, "kind": kind, "unit": cls.ward_a}, headers=bearer(cls.tok["ql.a"]))
        assert r.status == 303, (r.status, r.text[:400])
        return int(r.header("Location").rsplit("/", 1)[1])

    def req(self, who, method, path, form=None):
        c = self.server.client()
        if method == "GET":
            return c.get(path, headers=bearer(self.tok[who]))
        return c.post(path, form, headers=bearer(self.tok[who]))

    def make_team(self, who, org, name):
        r = self.req(who, "POST", "/to-chuc/%d" % org, {"action": "team", "team_name": name, "team_unit": self.ward_a})
        self.assertEqual(r.status, 303, r.text[:400])
        return int(r.header("Location").rsplit("/", 1)[1])

    def count(self, table):
        return int(self.server.sql("SELECT COUNT(*) FROM " + table)[0][0])

    def test_organisations(self):
        r = self.req("ql.a", "GET", "/to-chuc?don-vi=" + self.ward_a)
        self.assertEqual(r.status, 200)
        self.assertIn("Đoàn Thanh niên phường", r.text)
        self.assertIn("Hội Liên hiệp Phụ nữ", r.text)  # the kind's Vietnamese name
        n = self.count("organisations")
        for form, status in (({"name": "Hội X", "kind": "guild", "unit": self.ward_a}, 400),
                             ({"name": "X", "kind": "mttq", "unit": self.ward_a}, 400),
                             ({"name": "MTTQ phường", "kind": "mttq", "unit": "99999"}, 400),
                             ({"name": "MTTQ phường bên", "kind": "mttq", "unit": self.ward_b}, 403)):
            r = self.req("ql.a", "POST", "/to-chuc", form)
            self.assertEqual(r.status, status, (form, r.text[:300]))
            self.assertRegex(r.text, "Hãy chọn loại|2 đến 120|Không có đơn vị|không quản lý")
        self.assertEqual(self.req("xem.a", "POST", "/to-chuc", {"name": "MTTQ", "kind": "mttq", "unit": self.ward_a}).status, 403)
        self.assertEqual(self.req("dp.1", "POST", "/to-chuc", {"name": "MTTQ", "kind": "mttq", "unit": self.ward_a}).status, 403)
        self.assertEqual(self.count("organisations"), n)
        # Edit: the manager may, a coordinator of the organisation may not.
        r = self.req("ql.a", "POST", "/to-chuc/%d" % self.org1, {"action": "edit", "name": "Đoàn TN phường", "kind": "doan_thanh_nien"})
        self.assertEqual(r.status, 303)
        r = self.req("dp.1", "POST", "/to-chuc/%d" % self.org1, {"action": "edit", "name": "Đổi tên", "kind": "mttq"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.sql("SELECT name FROM organisations WHERE id = ?", self.org1)[0][0], "Đoàn TN phường")
        self.assertEqual(self.req("tnv.b", "GET", "/to-chuc/%d" % self.org1).status, 403)
        self.assertEqual(self.req("ql.a", "GET", "/to-chuc/999999").status, 404)
        self.assertEqual(self.req("ql.a", "GET", "/to-chuc/abc").status, 404)
        self.assertEqual(self.server.client().get("/to-chuc").status, 303)  # anonymous: to sign-in

    def test_coordinator_scope(self):
        t1 = self.make_team("dp.1", self.org1, "Tổ CNS khu phố 1")
        t2 = self.make_team("dp.2", self.org2, "Tổ CNS Hội Phụ nữ")
        teams = self.count("teams")
        # Another organisation's team or organisation: 403, nothing written.
        r = self.req("dp.1", "POST", "/to-chuc/%d" % self.org2, {"action": "team", "team_name": "Tổ lạ", "team_unit": self.ward_a})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.req("dp.1", "GET", "/to-doi/%d" % t2).status, 403)
        members = self.count("team_members")
        for action in ("add", "remove", "leader"):
            r = self.req("dp.1", "POST", "/to-doi/%d" % t2, {"action": action, "login": "tnv.a1"})
            self.assertEqual(r.status, 403, action)
        r = self.req("dp.1", "POST", "/to-doi/%d" % t2, {"action": "create", "login": "tnv.la", "name": "Người lạ", "password": "mat-khau-dai-12345"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.count("team_members"), members)
        self.assertEqual(self.count("teams"), teams)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM accounts WHERE login = 'tnv.la'")[0][0], "0")
        # A team outside a commune, a bad name.
        r = self.req("dp.1", "POST", "/to-chuc/%d" % self.org1, {"action": "team", "team_name": "Tổ tỉnh", "team_unit": "79"})
        self.assertEqual(r.status, 400)
        self.assertIn("cấp xã", r.text)
        r = self.req("dp.1", "POST", "/to-chuc/%d" % self.org1, {"action": "team", "team_name": "T", "team_unit": self.ward_a})
        self.assertEqual(r.status, 400)
        # Own team: add, leader, create a volunteer account in it, remove.
        self.assertEqual(self.req("dp.1", "POST", "/to-doi/%d" % t1, {"action": "add", "login": "tnv.a1"}).status, 303)
        r = self.req("dp.1", "POST", "/to-doi/%d" % t1, {"action": "add", "login": "tnv.b"})  # a volunteer of ward B
        self.assertEqual(r.status, 400)
        self.assertIn("tnv.b", r.text)
        self.assertEqual(self.req("dp.1", "POST", "/to-doi/%d" % t1, {"action": "add", "login": "khong.co"}).status, 400)
        self.assertEqual(self.req("dp.1", "POST", "/to-doi/%d" % t1, {"action": "fly"}).status, 400)
        self.assertEqual(self.req("dp.1", "POST", "/to-doi/%d" % t1, {"action": "leader", "login": "tnv.a1"}).status, 303)
        r = self.req("dp.1", "POST", "/to-doi/%d" % t1, {"action": "create", "login": "tnv.moi", "name": "Lê Thị Mới", "password": "mat-khau-dai-12345"})
        self.assertEqual(r.status, 303, r.text[:300])
        row = self.server.sql("SELECT r.role, r.unit_code, m.team_id FROM accounts a JOIN roles r ON r.account_id = a.id "
                              "JOIN team_members m ON m.account_id = a.id WHERE a.login = 'tnv.moi'")
        self.assertEqual(row, [("volunteer", self.ward_a, str(t1))])
        r = self.req("dp.1", "POST", "/to-doi/%d" % t1, {"action": "create", "login": "tnv.moi", "name": "Trùng", "password": "mat-khau-dai-12345"})
        self.assertEqual(r.status, 409)
        page = self.req("dp.1", "GET", "/to-doi/%d" % t1)
        self.assertEqual(page.status, 200)
        self.assertIn("Lê Thị Mới", page.text)
        self.assertEqual(self.req("dp.1", "POST", "/to-doi/%d" % t1, {"action": "remove", "login": "tnv.moi"}).status, 303)
        self.assertNotIn("Lê Thị Mới", self.req("dp.1", "GET", "/to-doi/%d" % t1).text)
        # The manager of the unit manages every team there.
        self.assertEqual(self.req("ql.a", "POST", "/to-doi/%d" % t2, {"action": "add", "login": "tnv.a2"}).status, 303)
        audit = self.server.sql("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'team.%'")
        self.assertGreater(int(audit[0][0]), 3)

    def test_role_with_org_cli(self):
        r = self.server.cli("user", "role", "tnv.a2", "--add", "volunteer", "--unit", self.ward_a, "--org", str(self.org1))
        self.assertEqual(r.returncode, 2)
        self.assertIn("coordinator", r.stderr)
        r = self.server.cli("user", "role", "tnv.a2", "--add", "coordinator", "--unit", self.ward_a, "--org", "999999")
        self.assertEqual(r.returncode, 2)
        self.assertIn("999999", r.stderr)
        r = self.server.cli("user", "role", "tnv.a2", "--add", "coordinator", "--unit", self.ward_a, "--org", "x1")
        self.assertEqual(r.returncode, 2)

    def test_role_with_org_admin_page(self):
        self.server.staff_token("tnv.org", "volunteer", self.ward_a)
        acct = self.server.sql("SELECT id FROM accounts WHERE login = 'tnv.org'")[0][0]
        path = "/quan-tri/tai-khoan/" + acct
        for form in ({"role": "volunteer", "org": str(self.org1)}, {"role": "coordinator", "org": "abc"},
                     {"role": "coordinator", "org": "999999"}):
            form.update(action="add_role", unit=self.ward_a)
            r = self.req("ql.a", "POST", path, form)
            self.assertEqual(r.status, 400, form)
            self.assertIn('role="alert"', r.text)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM roles WHERE account_id = ? AND role = 'coordinator'", acct)[0][0], "0")
        r = self.req("ql.a", "POST", path, {"action": "add_role", "role": "coordinator", "unit": self.ward_a, "org": str(self.org2)})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertIn("/to-chuc/%d" % self.org2, r.text)
        self.assertEqual(self.server.sql("SELECT org_id FROM roles WHERE account_id = ? AND role = 'coordinator'", acct)[0][0], str(self.org2))

    def assist(self, who, unit=None, minutes=None):
        a = {"id": str(uuid.uuid4()), "unit": unit or self.ward_a, "services": ["vneid_install"],
             "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True,
             "other": "ghi chú riêng"}
        if minutes is not None:
            a["minutes"] = minutes
        return self.server.client().post_json("/api/v1/assists", a, headers=bearer(self.tok[who]))

    def test_volunteer_and_leader_pages(self):
        t = self.make_team("ql.a", self.org1, "Tổ trưởng thử")
        self.assertEqual(self.req("ql.a", "POST", "/to-doi/%d" % t, {"action": "leader", "login": "tnv.a2"}).status, 303)
        before = self.req("tnv.a2", "GET", "/tinh-nguyen-vien")
        self.assertEqual(before.status, 200)
        r1 = self.assist("tnv.a2", minutes=30)
        self.assertEqual(r1.status, 201, r1.text)
        self.assertEqual(r1.json()["minutes"], 30)
        self.assertEqual(self.assist("tnv.a2", minutes=45).status, 201)
        self.assertEqual(self.assist("tnv.a2").status, 201)  # minutes are optional
        for bad in (0, 601, "20", 1.5, -3):
            r = self.assist("tnv.a2", minutes=bad)
            self.assertEqual(r.status, 400, bad)
            self.assertEqual(r.json()["field"], "minutes")
        r = self.assist("tnv.a2", unit=self.ward_b)  # a volunteer of ward A logging for ward B
        self.assertEqual(r.status, 403)
        page = self.req("tnv.a2", "GET", "/tinh-nguyen-vien")
        self.assertEqual(page.status, 200)
        self.assertIn("1:15", page.text)  # 75 minutes this week and quarter
        self.assertIn("Tổ trưởng thử", page.text)
        # The leader page: members with their figures; the leader reads, does not manage.
        lead = self.req("tnv.a2", "GET", "/to-doi/%d" % t)
        self.assertEqual(lead.status, 200)
        mine = self.server.sql("SELECT COUNT(*) FROM assists a JOIN accounts v ON v.id = a.volunteer_id WHERE v.login = 'tnv.a2'")[0][0]
        self.assertIn("<td>%s · 1:15</td>" % mine, lead.text)
        self.assertEqual(self.req("tnv.a2", "POST", "/to-doi/%d" % t, {"action": "add", "login": "tnv.a1"}).status, 403)
        self.assertEqual(self.req("tnv.a1", "GET", "/to-doi/%d" % t).status, 403)
        # The form takes minutes too and names a bad value.
        c = self.server.client()
        c.cookies = {}
        form = {"id": str(uuid.uuid4()), "unit": self.ward_a, "s_vssid": "1", "age_band": "60+", "gender": "m", "group": "worker",
                "outcome": "done", "smartphone": "yes", "minutes": "abc"}
        r = c.post("/ho-tro", form, headers=bearer(self.tok["tnv.a2"]))
        self.assertEqual(r.status, 400)
        self.assertIn("600", r.text)
        form["minutes"] = "20"
        self.assertEqual(c.post("/ho-tro", form, headers=bearer(self.tok["tnv.a2"])).status, 303)
        self.assertEqual(self.server.sql("SELECT minutes FROM assists WHERE id = ?", form["id"])[0][0], "20")
        # An edit keeps or changes the minutes consistently.
        a = r1.json()
        edit = {k: a[k] for k in ("services", "outcome", "has_smartphone")}
        edit["minutes"] = 50
        r = self.server.client().post_json("/api/v1/assists/" + a["id"], edit, headers=bearer(self.tok["tnv.a2"]))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.server.sql("SELECT minutes FROM assists WHERE id = ?", a["id"])[0][0], "50")
        edit["minutes"] = 900
        r = self.server.client().post_json("/api/v1/assists/" + a["id"], edit, headers=bearer(self.tok["tnv.a2"]))
        self.assertEqual(r.status, 400)

    def test_team_totals_equal_the_organisation_filter(self):
        """Issue 19: a team's figures count what the organisation filter counts — its members' help
        attributed to the team's organisation when logged — and the page says so.  Help logged before
        the volunteer joined counts for neither."""
        s = self.server
        org = self.make_org("Hội Cựu chiến binh phường", "hoi_phu_nu")
        self.tok["tnv.t"] = s.staff_token("tnv.t", "volunteer", self.ward_a)
        t = self.make_team("ql.a", org, "Tổ đối chiếu")
        for _ in range(2):
            self.assertEqual(self.assist("tnv.t").status, 201)      # before joining: no organisation
        self.assertEqual(self.req("ql.a", "POST", "/to-doi/%d" % t, {"action": "add", "login": "tnv.t"}).status, 303)
        for _ in range(3):
            self.assertEqual(self.assist("tnv.t").status, 201)
        page = self.req("ql.a", "GET", "/to-doi/%d" % t).text
        team_quarter = int(re.search(r"Quý này: <strong>([0-9]+)</strong>", page).group(1))
        self.assertIn("lúc ghi nhận", page)                          # the attribution, said on the page
        ind = {x["code"]: x for x in self.req("ql.a", "GET", "/api/v1/units/%s/indicators?organisation=%d" % (self.ward_a, org)).json()}
        self.assertEqual(ind["assists"]["value"], 3)
        self.assertEqual(team_quarter, ind["assists"]["value"])
        dash = self.req("ql.a", "GET", "/bang-dieu-khien/%s?to-chuc=%d" % (self.ward_a, org)).text
        self.assertIn("tổ chức của tổ mà tình nguyện viên thuộc về lúc ghi nhận", dash)

    def test_export_by_role(self):
        self.assertEqual(self.assist("tnv.a1").status, 201)
        self.assertEqual(self.assist("tnv.a2").status, 201)
        self.assertEqual(self.assist("tnv.b", unit=self.ward_b).status, 201)
        path = "/ho-tro/xuat.csv?don-vi=" + self.ward_a
        full = self.req("ql.a", "GET", path)
        self.assertEqual(full.status, 200, full.text[:300])
        self.assertTrue(full.body.startswith(b"\xef\xbb\xbf"))
        lines = full.body.decode("utf-8-sig").split("\r\n")
        head = lines[0].split(",")
        self.assertIn("volunteer_id", head)
        rows = [ln.split(",") for ln in lines[1:] if ln]
        self.assertGreaterEqual(len(rows), 2)
        self.assertEqual({r[head.index("unit_code")] for r in rows}, {self.ward_a})  # only in-scope rows
        viewer = self.req("xem.a", "GET", path).body.decode("utf-8-sig")
        vhead = viewer.split("\r\n")[0].split(",")
        for col in ("volunteer_id", "person_account", "other"):
            self.assertNotIn(col, vhead)
        self.assertNotIn("ghi chú riêng", viewer)
        self.assertEqual(len([ln for ln in viewer.split("\r\n")[1:] if ln]), len(rows))
        own = self.req("tnv.a1", "GET", path).body.decode("utf-8-sig").split("\r\n")
        me = self.server.sql("SELECT id FROM accounts WHERE login = 'tnv.a1'")[0][0]
        ownrows = [ln.split(",") for ln in own[1:] if ln]
        self.assertTrue(ownrows)
        self.assertEqual({r[head.index("volunteer_id")] for r in ownrows}, {me})
        self.assertLess(len(ownrows), len(rows))
        self.assertEqual(self.req("tnv.b", "GET", path).status, 403)
        self.assertEqual(self.req("ql.a", "GET", "/ho-tro/xuat.csv?don-vi=" + self.ward_b).status, 403)
        self.assertEqual(self.req("ql.a", "GET", path + "&ky=2026Q5").status, 400)
        self.assertEqual(self.req("ql.a", "GET", "/ho-tro/xuat.csv?don-vi=99999").status, 404)
        old = self.req("ql.a", "GET", path + "&ky=2001").body.decode("utf-8-sig")
        self.assertEqual([ln for ln in old.split("\r\n")[1:] if ln], [])

    def test_export_streams_pages(self):
        """More rows than one page (200): the answer is streamed page by
        page and holds every row once, in order."""
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda _: self.assist("tnv.b", unit=self.ward_b, minutes=5).status, range(430)))
        self.assertEqual(set(codes), {201})
        r = self.req("tnv.b", "GET", "/ho-tro/xuat.csv?don-vi=" + self.ward_b)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(r.body.count(b"\xef\xbb\xbf"), 1)
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")  # streamed, not one buffer
        lines = [ln for ln in r.body.decode("utf-8-sig").split("\r\n")[1:] if ln]
        ids = [ln.split(",")[0] for ln in lines]
        stored = self.server.sql("SELECT COUNT(*) FROM assists a JOIN accounts v ON v.id = a.volunteer_id WHERE v.login = 'tnv.b'")[0][0]
        self.assertEqual(len(ids), int(stored))
        self.assertGreater(len(ids), 400)
        self.assertEqual(len(set(ids)), len(ids))
        times = [ln.split(",")[1] for ln in lines]
        self.assertEqual(times, sorted(times))

    def write(self, name, text):
        d = tempfile.mkdtemp()
        p = os.path.join(d, name)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        return p

    def test_organisation_targets(self):
        import time
        year = time.strftime("%Y", time.gmtime(time.time() + 7 * 3600))
        path = "/bang-dieu-khien/%s/chi-tieu" % self.ward_a
        n = self.count("target_history")
        page = self.req("ql.a", "GET", "/bang-dieu-khien/%s?ky=%s" % (self.ward_a, year))
        self.assertIn('<select id="t-org" name="org">', page.text)
        self.assertIn('<option value="%d">' % self.org1, page.text)
        for who, org, status in (("ql.a", "abc", 400), ("ql.a", "-4", 400), ("ql.a", "999999", 400),
                                 ("dp.1", str(self.org2), 403), ("xem.a", str(self.org1), 403), ("tnv.a1", str(self.org1), 403)):
            r = self.req(who, "POST", path, {"indicator": "assists", "period": year, "value": "77", "org": org})
            self.assertEqual(r.status, status, (who, org, r.text[-300:]))
        for org, status in ((999999, 400), (self.org2, 403)):  # the JSON API holds to the same rules
            r = self.server.client().post_json("/api/v1/targets", {"unit": self.ward_a, "organisation": org, "indicator": "assists",
                                                                   "period": year, "value": 5}, headers=bearer(self.tok["dp.1"]))
            self.assertEqual(r.status, status, r.text)
        self.assertEqual(self.count("target_history"), n, "nothing written on a refusal")
        # The manager, and the coordinator of that organisation, may.
        r = self.req("ql.a", "POST", path, {"indicator": "assists", "period": year, "value": "77", "org": str(self.org1)})
        self.assertEqual(r.status, 303, r.text[-300:])
        self.assertIn("to-chuc=%d" % self.org1, r.header("Location"))
        r = self.req("dp.1", "POST", path, {"indicator": "people_helped", "period": year, "value": "55", "org": str(self.org1)})
        self.assertEqual(r.status, 303, r.text[-300:])
        rows = self.server.sql("SELECT indicator, value FROM targets WHERE unit_code = ? AND org_id = ? ORDER BY indicator",
                               self.ward_a, self.org1)
        self.assertEqual([tuple(r) for r in rows], [("assists", "77"), ("people_helped", "55")])
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM targets WHERE unit_code = ? AND org_id = 0 AND value = 77",
                                         self.ward_a)[0][0], "0", "the unit's own target is untouched")
        page = self.req("ql.a", "GET", "/bang-dieu-khien/%s?ky=%s&to-chuc=%d" % (self.ward_a, year, self.org1))
        self.assertIn("Chỉ tiêu: 77", page.text)

    def test_import_volunteers(self):
        t = self.make_team("ql.a", self.org1, "Tổ nhập khẩu")
        n = self.count("accounts")
        bad = [
            ("login,name,unit_code,team\n", "vol.csv:1: column 2 must be 'display_name'"),
            ("login,display_name,unit_code,team\nnhap.1,Nguyễn Một,%s,\nnhap.2,Nguyễn Hai,99999,\n" % self.ward_a, "vol.csv:3: no active unit"),
            ("login,display_name,unit_code,team\nnhap.1,Nguyễn Một,%s,\nnhap.1,Nguyễn Một Nữa,%s,\n" % (self.ward_a, self.ward_a), "vol.csv:3: the same login"),
            ("login,display_name,unit_code,team\nnhap.1,N,%s,\n" % self.ward_a, "vol.csv:2: "),
            ("login,display_name,unit_code,team\nnhap.1,Nguyễn Một,%s,Tổ không có\n" % self.ward_a, "vol.csv:2: no team"),
            ("login,display_name,unit_code,team\nql.a,Trùng Tên,%s,\n" % self.ward_a, "vol.csv:2: login 'ql.a'"),
            ("login,display_name,unit_code,team,phone\nnhap.1,Nguyễn Một,%s,,12\n" % self.ward_a, "vol.csv:2: "),
            ("login,display_name,unit_code,team\nnhap.1,\"Nguyễn Một,%s,\n" % self.ward_a, "malformed CSV"),
            ("login,display_name,unit_code,team\nnhap.1,Nguyễn Một,%s\n" % self.ward_a, "vol.csv:2: expected 4 fields"),
        ]
        for text, msg in bad:
            r = self.server.cli("import", "volunteers", self.write("vol.csv", text))
            self.assertEqual(r.returncode, 1, text)
            self.assertIn(msg, r.stderr, text)
            self.assertIn("nothing was imported", r.stderr)
        self.assertEqual(self.count("accounts"), n)
        good = "login,display_name,unit_code,team,phone\nnhap.1,Nguyễn Một,%s,Tổ nhập khẩu,0913000111\n\nnhap.2,Trần Hai,%s,%d,\n" % (
            self.ward_a, self.ward_a, t)
        r = self.server.cli("import", "volunteers", self.write("vol.csv", good))
        self.assertEqual(r.returncode, 0, r.stderr)
        pws = dict(ln.split("\t") for ln in r.stdout.splitlines() if "\t" in ln)
        self.assertEqual(set(pws), {"nhap.1", "nhap.2"})
        self.assertEqual(self.count("accounts"), n + 2)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM team_members WHERE team_id = ?", t)[0][0], "2")
        c = self.server.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "nhap.2", "password": pws["nhap.2"], "next": "/tinh-nguyen-vien"})
        self.assertEqual(r.status, 303)
        self.assertEqual(c.get("/tinh-nguyen-vien").status, 200)
        self.assertEqual(self.server.cli("import", "spreadsheets", "x.csv").returncode, 2)

    def test_import_touch_points(self):
        n = self.count("touch_points")
        head = "name,unit_code,address,lat,lon,free_wifi,hours\n"
        bad = [
            (head + "Nhà văn hóa,%s,12 Lê Lợi,95,106.7,yes,7:00-17:00\n", "tp.csv:2: "),
            (head + "Nhà văn hóa,%s,12 Lê Lợi,10.7,,yes,7:00-17:00\n", "tp.csv:2: lat and lon"),
            (head + "Nhà văn hóa,%s,12 Lê Lợi,10.7,abc,yes,7:00-17:00\n", "tp.csv:2: lat and lon"),
            (head + "Nhà văn hóa,%s,12 Lê Lợi,,,maybe,7:00-17:00\n", "tp.csv:2: free_wifi"),
            (head + "Nhà văn hóa,%s,12,,,yes,7:00-17:00\n", "tp.csv:2: "),
            (head + "Điểm A,%s,12 Lê Lợi,,,yes,7-17\nĐiểm A,%s,14 Lê Lợi,,,no,7-17\n", "tp.csv:3: the same name and unit as line 2"),
            ("name,unit_code,address\n", "tp.csv:1: the header"),
        ]
        for text, msg in bad:
            text = text.replace("%s", self.ward_a)
            r = self.server.cli("import", "touch-points", self.write("tp.csv", text))
            self.assertEqual(r.returncode, 1, text)
            self.assertIn(msg, r.stderr, text)
        self.assertEqual(self.count("touch_points"), n)
        good = head + ("Nhà văn hóa khu phố 3,%s,\"12 Lê Lợi, khu phố 3\",10.7769,106.7009,có,7:00–17:00\n"
                       "Bưu điện phường,%s,1 Công xã Paris,,,no,8:00–17:00\n") % (self.ward_a, self.ward_a)
        r = self.server.cli("import", "touch-points", self.write("tp.csv", good))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.count("touch_points"), n + 2)
        pts = self.server.client().get("/api/v1/touch-points?unit=" + self.ward_a).json()
        names = {p["name"]: p for p in pts}
        self.assertTrue(names["Nhà văn hóa khu phố 3"]["free_wifi"])
        self.assertIsNone(names["Bưu điện phường"]["lat"])
        self.assertTrue(re.match(r"12 Lê Lợi, khu phố 3", names["Nhà văn hóa khu phố 3"]["address"]))


if __name__ == "__main__":
    main()
