"""test_help.py: the assist log (API and one-screen form) with idempotent
resubmission, field-level errors, unit scope; touch points (form, public
page, JSON including the subtree)."""
import json
import re
import uuid

from harness import ServerTest, ZZCleanExit, main  # noqa: F401


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


class Help(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        kids = s.client().get("/api/v1/units/79/children").json()
        cls.ward_a, cls.ward_b = kids[0]["code"], kids[1]["code"]
        cls.tok = {}
        for login, role, unit in (("tnv.a", "volunteer", cls.ward_a), ("tnv.b", "volunteer", cls.ward_b),
                                  ("ql.a", "manager", cls.ward_a), ("xem.a", "viewer", cls.ward_a)):
            r = s.cli("user", "add", login, "--name", "Người " + login, "--unit", unit, "--role", role,
                      "--password-stdin", input="mat-khau-dai-12345\n")
            assert r.returncode == 0, r.stderr
            r = s.cli("token", "create", "--user", login)
            cls.tok[login] = r.stdout.strip().splitlines()[-1]
        c = s.client()
        # She lives in ward A: its volunteers find her by phone (tests/http/test_scope.py: nobody else does).
        c.form_post("/dang-ky", "/dang-ky", {"name": "Bà Tư", "phone": "0911000222", "pin": "804613", "pin2": "804613", "consent": "yes",
                                             "unit": cls.ward_a})

    def assist(self, **over):
        a = {"id": str(uuid.uuid4()), "unit": self.ward_a, "services": ["vneid_install", "vneid_level2"],
             "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True}
        a.update(over)
        return a

    def post(self, body, who="tnv.a", raw=None):
        c = self.server.client()
        if raw is not None:
            return c.request("POST", "/api/v1/assists", raw_body=raw, headers=dict(bearer(self.tok[who]), **{"Content-Type": "application/json"}))
        return c.post_json("/api/v1/assists", body, headers=bearer(self.tok[who]))

    def count(self):
        return int(self.server.sql("SELECT COUNT(*) FROM assists")[0][0])

    def test_create_repeat_get(self):
        a = self.assist()
        r1 = self.post(a)
        self.assertEqual(r1.status, 201, r1.text)
        doc = r1.json()
        self.assertEqual(doc["id"], a["id"])
        self.assertEqual(doc["services"], ["vneid_install", "vneid_level2"])
        n = self.count()
        r2 = self.post(a)
        self.assertEqual(r2.status, 200)
        self.assertEqual(r2.body, r1.body)
        r3 = self.post(dict(a, outcome="referred"))  # same id, changed: still the first answer
        self.assertEqual(r3.status, 200)
        self.assertEqual(r3.body, r1.body)
        self.assertEqual(self.count(), n)
        c = self.server.client()
        g = c.get("/api/v1/assists/" + a["id"], headers=bearer(self.tok["tnv.a"]))
        self.assertEqual(g.status, 200)
        self.assertEqual(g.body, r1.body)
        self.assertEqual(c.get("/api/v1/assists/" + a["id"].upper(), headers=bearer(self.tok["ql.a"])).status, 200)
        self.assertEqual(c.get("/api/v1/assists/" + a["id"], headers=bearer(self.tok["tnv.b"])).status, 403)
        self.assertEqual(c.get("/api/v1/assists/" + str(uuid.uuid4()), headers=bearer(self.tok["tnv.a"])).status, 404)
        self.assertEqual(c.get("/api/v1/assists/not-a-uuid", headers=bearer(self.tok["tnv.a"])).status, 404)
        self.assertEqual(c.get("/api/v1/assists/" + a["id"]).status, 401)

    def test_bad_inputs_field_errors(self):
        n = self.count()
        cases = [
            ({"id": "123"}, "id"), ({"id": None}, "id"), ({"unit": "99999"}, "unit"), ({"services": []}, "services"),
            ({"services": ["teleport"]}, "services"), ({"services": ["vssid", "vssid"]}, "services"),
            ({"services": ["other"]}, "other"), ({"person": {"age_band": "200", "gender": "f", "group": "elderly"}}, "person.age_band"),
            ({"person": {"age_band": "60+", "gender": "x", "group": "elderly"}}, "person.gender"),
            ({"person": {"age_band": "60+", "gender": "f", "group": "kings"}}, "person.group"), ({"person": "anon"}, "person"),
            ({"outcome": "maybe"}, "outcome"), ({"has_smartphone": "yes"}, "has_smartphone"),
            ({"person": {"phone": "0911999888"}}, "person.phone"), ({"person": {"phone": "12"}}, "person.phone"),
            ({"person": {"register": {"name": "Ông Năm", "phone": "0911333444"}}}, "person.register.consent"),
            ({"touch_point": 999999}, "touch_point"),
        ]
        for over, field in cases:
            body = self.assist()
            for k, v in over.items():
                if v is None:
                    body.pop(k)
                else:
                    body[k] = v
            r = self.post(body)
            self.assertEqual(r.status, 400, (over, r.text))
            self.assertEqual(r.json()["field"], field, over)
            self.assertTrue(r.json()["message"])
        for raw in (b"{", b"[]", b'"x"', b'{"id": 1, "id": 2}'):
            self.assertEqual(self.post(None, raw=raw).status, 400, raw)
        self.assertEqual(self.count(), n)
        self.assertEqual(self.server.client().post_json("/api/v1/assists", self.assist()).status, 403)  # no CSRF, no token

    def test_scope(self):
        n = self.count()
        r = self.post(self.assist(unit=self.ward_b))  # volunteer of ward A logging for ward B
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"], "forbidden")
        r = self.post(self.assist(unit="79"))  # the province above: also outside
        self.assertEqual(r.status, 403)
        self.assertEqual(self.count(), n)
        a = self.assist()
        self.assertEqual(self.post(a).status, 201)
        self.assertEqual(self.post(a, who="tnv.b").status, 403)  # someone else's id

    def test_person_by_phone_and_registration(self):
        r = self.post(self.assist(person={"phone": "0911 000 222"}))
        self.assertEqual(r.status, 201, r.text)
        self.assertIn("account", r.json()["person"])
        r = self.post(self.assist(person={"register": {"name": "Ông Sáu", "phone": "0911555666", "consent": True}}))
        self.assertEqual(r.status, 201, r.text)
        rows = self.server.sql("SELECT CASE WHEN consent_at IS NULL THEN 0 ELSE 1 END, home_unit FROM accounts WHERE phone = '0911555666'")
        self.assertEqual(rows, [("1", self.ward_a)])
        r = self.post(self.assist(person={"register": {"name": "Ông Sáu", "phone": "0911555666", "consent": True}}))
        self.assertEqual(r.status, 409)

    def test_touch_points(self):
        s = self.server
        m = s.client()
        m.signin_totp("ql.a", "mat-khau-dai-12345")
        page = m.get("/diem-cham?unit=" + self.ward_a)
        self.assertEqual(page.status, 200)
        self.assertIn("Thêm điểm chạm số", page.text)
        r = m.post("/diem-cham", {"_csrf": page.csrf(), "unit": self.ward_a, "name": "Nhà văn hóa <b>khu phố 1</b>",
                                  "address": "12 Đường Lê Lợi", "hours": "7:30–17:00", "lat": "10.7769", "lon": "106.7009", "wifi": "1"})
        self.assertEqual(r.status, 303)
        r = m.post("/diem-cham", {"_csrf": page.csrf(), "unit": self.ward_a, "name": "X", "address": "12", "hours": "7"})
        self.assertEqual(r.status, 400)
        r = m.post("/diem-cham", {"_csrf": page.csrf(), "unit": self.ward_b, "name": "Điểm Lấn Sang", "address": "12 Đường A", "hours": "7:00"})
        self.assertEqual(r.status, 403)
        r = m.post("/diem-cham", {"_csrf": page.csrf(), "unit": self.ward_a, "name": "Điểm Sai Tọa Độ", "address": "12 Đường A",
                                  "hours": "7:00", "lat": "abc", "lon": "1"})
        self.assertEqual(r.status, 400)
        pub = s.client().get("/diem-cham?unit=" + self.ward_a)
        self.assertIn("Nhà văn hóa &lt;b&gt;khu phố 1&lt;&#47;b&gt;", pub.text)
        ward = s.client().get("/api/v1/touch-points?unit=" + self.ward_a).json()
        prov = s.client().get("/api/v1/touch-points?unit=79").json()
        self.assertEqual(len(ward), 1)
        self.assertEqual(ward[0]["lat"], 10.7769)
        self.assertIn(ward[0]["id"], [p["id"] for p in prov])
        self.assertEqual(s.client().get("/api/v1/touch-points?unit=99999").status, 404)
        self.assertEqual(s.client().get("/api/v1/touch-points").status, 400)
        # An assist at that touch point.
        r = self.post(self.assist(touch_point=ward[0]["id"]))
        self.assertEqual(r.status, 201)
        self.assertEqual(r.json()["touch_point"], ward[0]["id"])

    def test_form_is_idempotent(self):
        s = self.server
        c = s.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "tnv.a", "password": "mat-khau-dai-12345"})
        self.assertEqual(r.status, 303)
        form = c.get("/ho-tro")
        self.assertEqual(form.status, 200)
        uid = re.search(r'name="id" value="([0-9a-f-]{36})"', form.text).group(1)
        fields = {"_csrf": form.csrf(), "id": uid, "unit": self.ward_a, "s_vssid": "1", "s_etax": "1", "age_band": "40-59",
                  "gender": "m", "group": "worker", "outcome": "partly", "smartphone": "yes"}
        n = self.count()
        self.assertEqual(c.post("/ho-tro", fields).status, 303)
        self.assertEqual(c.post("/ho-tro", fields).status, 303)  # sent twice: counted once
        self.assertEqual(self.count(), n + 1)
        bad = dict(fields, id=str(uuid.uuid4()))
        bad.pop("s_vssid")
        bad.pop("s_etax")
        r = c.post("/ho-tro", bad)
        self.assertEqual(r.status, 400)
        self.assertIn("Hãy chọn ít nhất một việc", r.text)
        r = c.post("/ho-tro", dict(fields, id=str(uuid.uuid4()), unit=self.ward_b))
        self.assertEqual(r.status, 403)
        self.assertEqual(self.count(), n + 1)
        doc = json.loads(s.sql("SELECT body FROM assists WHERE id = ?", uid)[0][0])
        self.assertEqual(doc["services"], ["vssid", "etax"])

    def test_edits(self):
        s = self.server
        a = self.assist()
        self.assertEqual(self.post(a).status, 201)
        c = s.client()
        change = dict(a, services=["etax"], outcome="partly")
        r = c.post_json("/api/v1/assists/" + a["id"], change, headers=bearer(self.tok["tnv.a"]))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["services"], ["etax"])
        self.assertEqual(r.json()["outcome"], "partly")
        self.assertEqual(c.get("/api/v1/assists/" + a["id"], headers=bearer(self.tok["tnv.a"])).json()["outcome"], "partly")
        self.assertEqual(c.post_json("/api/v1/assists/" + a["id"], change, headers=bearer(self.tok["tnv.b"])).status, 403)
        r = c.post_json("/api/v1/assists/" + a["id"], dict(change, outcome="nope"), headers=bearer(self.tok["tnv.a"]))
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["field"], "outcome")
        self.assertEqual(c.post_json("/api/v1/assists/" + str(uuid.uuid4()), change, headers=bearer(self.tok["tnv.a"])).status, 404)
        # After 24 hours only a manager of the unit may change it.
        old = "UPDATE assists SET created_at = created_at - 90000 WHERE id = '%s'" % a["id"]
        self.server.tamper(old)
        self.assertEqual(c.post_json("/api/v1/assists/" + a["id"], change, headers=bearer(self.tok["tnv.a"])).status, 403)
        r = c.post_json("/api/v1/assists/" + a["id"], dict(change, services=["etax", "vssid"]), headers=bearer(self.tok["ql.a"]))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM assist_edits WHERE assist_id = ?", a["id"])[0][0], "2")
        self.assertEqual(s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'assist.edit' AND target = ?", a["id"])[0][0], "2")
        # (moving created_at by hand shifts its period; rebuild before the indicator checks)
        self.assertEqual(s.cli("indicators", "rebuild").returncode, 0)

    def test_targets_and_population(self):
        s = self.server
        import os
        import tempfile
        fd, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(fd, "w") as f:
            f.write("unit_code,adults,civil_servants,pupils,year\n%s,20000,300,4000,2026\n79,7000000,90000,1500000,2026\n" % self.ward_a)
        audited = "SELECT actor_id, ip, detail FROM audit_log WHERE action = 'import' AND target = 'population' ORDER BY id"
        before = len(s.sql(audited))
        r = s.cli("import", "population", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        # Audited in the import's own transaction: from the command line, no account.
        logged = s.sql(audited)
        self.assertEqual(len(logged), before + 1)
        self.assertEqual(tuple(logged[-1]), ("", "cli", os.path.basename(path) + ": 2 rows"))
        for bad in ("unit,x\n", "unit_code,adults,civil_servants,pupils,year\n99999,1,0,0,2026\n",
                    "unit_code,adults,civil_servants,pupils,year\n79,abc,0,0,2026\n",
                    "unit_code,adults,civil_servants,pupils,year\n79,10,20,0,2026\n",
                    "unit_code,adults,civil_servants,pupils,year\n79,10,0,0,2026\n79,11,0,0,2026\n"):
            with open(path, "w") as f:
                f.write(bad)
            r = s.cli("import", "population", path)
            self.assertEqual(r.returncode, 1, bad)
            self.assertIn("nothing was imported", r.stderr)
        os.unlink(path)
        self.assertEqual(s.sql("SELECT adults FROM population WHERE unit_code = '79'")[0][0], "7000000")
        self.assertEqual(len(s.sql(audited)), before + 1)  # failed imports leave no row
        c = s.client()
        m = bearer(self.tok["ql.a"])
        r = c.post_json("/api/v1/targets", {"unit": self.ward_a, "indicator": "assists", "period": "2026Q4", "value": 500}, headers=m)
        self.assertEqual(r.status, 200, r.text)
        r = c.post_json("/api/v1/targets", {"unit": self.ward_a, "indicator": "assists", "period": "2026Q4", "value": 600}, headers=m)
        self.assertEqual(r.status, 200)
        for bad, field in (({"indicator": "magic"}, "indicator"), ({"period": "2026Q7"}, "period"), ({"value": -1}, "value"),
                           ({"value": "x"}, "value"), ({"unit": "99999"}, "unit")):
            body = {"unit": self.ward_a, "indicator": "assists", "period": "2026Q4", "value": 1}
            body.update(bad)
            r = c.post_json("/api/v1/targets", body, headers=m)
            self.assertEqual(r.status, 400, bad)
            self.assertEqual(r.json()["field"], field)
        r = c.post_json("/api/v1/targets", {"unit": self.ward_b, "indicator": "assists", "period": "2026Q4", "value": 1}, headers=m)
        self.assertEqual(r.status, 403)
        r = c.post_json("/api/v1/targets", {"unit": self.ward_a, "indicator": "assists", "period": "2026Q4", "value": 1},
                        headers=bearer(self.tok["tnv.a"]))
        self.assertEqual(r.status, 403)
        ind = {x["code"]: x for x in c.get("/api/v1/units/%s/indicators?period=2026Q4" % self.ward_a, headers=m).json()}
        self.assertEqual(ind["assists"]["target"], 600)
        self.assertIsNone(ind["courses_completed"]["target"])
        self.assertIn("adults_certified_pct", ind)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM target_history WHERE unit_code = ? AND indicator = 'assists'", self.ward_a)[0][0], "2")

    def test_dashboard_scope_figures_ranking_csv(self):
        import csv
        import io
        import os
        import re
        import tempfile
        s = self.server
        self.assertEqual(s.client().get("/bang-dieu-khien/79").status, 303)  # anonymous: sign in first
        fd, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(fd, "w") as f:
            f.write("unit_code,adults,civil_servants,pupils,year\n%s,20000,300,4000,2026\n%s,1000,10,100,2026\n" % (self.ward_a, self.ward_b))
        self.assertEqual(s.cli("import", "population", path).returncode, 0)
        m = bearer(self.tok["ql.a"])
        c = s.client()
        ind = {x["code"]: x for x in c.get("/api/v1/units/%s/indicators" % self.ward_a, headers=m).json()}
        period = ind["assists"]["period"]
        r = c.post_json("/api/v1/targets", {"unit": self.ward_a, "indicator": "people_certified", "period": period, "value": 40}, headers=m)
        self.assertEqual(r.status, 200, r.text)
        # A volunteer has no role that shows figures.
        v = s.client()
        v.form_post("/dang-nhap", "/dang-nhap", {"login": "tnv.a", "password": "mat-khau-dai-12345"})
        r = v.get("/bang-dieu-khien")
        self.assertEqual(r.status, 403)
        self.assertIn("chưa có vai trò xem số liệu", r.text)
        self.assertEqual(v.get("/bang-dieu-khien/%s" % self.ward_a).status, 403)
        # A ward viewer: sent to its ward; the province and a peer ward are out of scope.
        w = s.client()
        w.signin_totp("xem.a", "mat-khau-dai-12345")
        r = w.get("/bang-dieu-khien")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/bang-dieu-khien/" + self.ward_a)
        page = w.get("/bang-dieu-khien/" + self.ward_a)
        self.assertEqual(page.status, 200)
        self.assertIn('<a href="/bang-dieu-khien">Bảng điều khiển</a>', page.text)  # in the menu
        self.assertNotIn('href="/bang-dieu-khien"', v.get("/tai-khoan").text)  # not for a volunteer
        self.assertIn("no-store", page.header("Cache-Control"))
        text = page.text
        self.assertIn("Chỉ tiêu: 40", text)
        self.assertIn('role="img"', text)
        self.assertIn('<option value="%s" selected>' % period, text)
        self.assertIn("Không có đơn vị trực thuộc", text)
        self.assertNotIn("Lên cấp trên", text)  # the province is not the viewer's
        for path_, status in (("/bang-dieu-khien/79", 403), ("/bang-dieu-khien/" + self.ward_b, 403),
                              ("/bang-dieu-khien/99999", 404), ("/bang-dieu-khien/%s?ky=2026Q9" % self.ward_a, 400),
                              ("/bang-dieu-khien/%s?dinh-dang=xlsx" % self.ward_a, 400)):
            self.assertEqual(w.get(path_).status, status, path_)
        self.assertIn("Báo cáo chỉ tải được dạng CSV", w.get("/bang-dieu-khien/%s?dinh-dang=xlsx" % self.ward_a).text)
        # The CSV report: the same figures as the API.
        r = w.get("/bang-dieu-khien/%s?dinh-dang=csv" % self.ward_a)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
        self.assertEqual(len(rows), 1)
        ind = {x["code"]: x for x in c.get("/api/v1/units/%s/indicators" % self.ward_a, headers=m).json()}
        self.assertEqual(int(rows[0]["assists"]), ind["assists"]["value"])
        self.assertEqual(rows[0]["adults"], "20000")
        self.assertEqual(rows[0]["target_people_certified"], "40")
        # The admin sees the province: every ward ranked, best share of adults first.
        a = s.client()
        a.signin_admin()
        page = a.get("/bang-dieu-khien/79")
        self.assertEqual(page.status, 200)
        kids = s.client().get("/api/v1/units/79/children").json()
        body = re.search(r"<tbody>(.*)</tbody>", page.text, re.S).group(1)
        self.assertEqual(body.count("<tr>"), len(kids))
        self.assertIn("Lên cấp trên", page.text)
        r = a.get("/bang-dieu-khien/79?dinh-dang=csv")
        rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
        self.assertEqual(len(rows), 1 + len(kids) + 1)  # the city, its wards, its own records ("~79", issue 19)
        self.assertEqual(rows[-1]["unit_code"], "~79")
        shares = [float(x["adults_certified_pct"]) if x["adults_certified_pct"] else None for x in rows[1:-1]]
        known = [x for x in shares if x is not None]
        self.assertGreaterEqual(len(known), 2)
        self.assertEqual(shares[:len(known)], known, "units with population come first")
        self.assertEqual(known, sorted(known, reverse=True), "ranked by share of adults certified")
        self.assertEqual(sum(int(x["assists"]) for x in rows[1:]), int(rows[0]["assists"]), "the wards add up to the province")
        r = a.get("/bang-dieu-khien/VN?dinh-dang=csv")
        rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
        self.assertEqual(len(rows), 1 + 34 + 1)
        self.assertEqual(rows[-1]["unit_code"], "~VN")
        self.assertEqual(sum(int(x["assists"]) for x in rows[1:]), int(rows[0]["assists"]), "the provinces add up to the nation")
        self.assertEqual(next(x for x in rows if x["unit_code"] == "79")["unit_name"], "Thành phố Hồ Chí Minh")

    def test_dashboard_filters_charts_sorting(self):
        import csv
        import io
        import re
        s = self.server
        for g in ("elderly", "elderly", "worker"):
            p = {"age_band": "60+", "gender": "m", "group": g}
            self.assertEqual(self.post(self.assist(person=p, services=["etax"])).status, 201)
        a = s.client()
        a.signin_admin()
        quarter = a.get("/api/v1/units/79/indicators").json()[0]["period"]
        want = int(s.sql("SELECT COUNT(*) FROM assists WHERE province_code = '79' AND person_group = 'elderly'")[0][0])
        self.assertGreaterEqual(want, 2)
        page = a.get("/bang-dieu-khien/79?nhom=elderly")
        self.assertEqual(page.status, 200)
        self.assertIn("Đang lọc", page.text)
        self.assertIn('<option value="elderly" selected>', page.text)
        self.assertNotIn("Người trưởng thành có chứng nhận", page.text)  # not broken down by group
        r = a.get("/bang-dieu-khien/79?nhom=elderly&dinh-dang=csv")
        rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
        self.assertEqual(int(rows[0]["assists"]), want)
        self.assertEqual(sum(int(x["assists"]) for x in rows[1:]), want, "the wards add up under a filter too")
        ward_row = next(x for x in rows if x["unit_code"] == self.ward_a)
        self.assertEqual(int(ward_row["assists"]), want)  # all of them were logged in ward A
        # Quarter charts: four bars, this quarter's equal to the figure.
        page = a.get("/bang-dieu-khien/%s" % self.ward_a)
        charts = re.findall(r'<svg class="chart".*?</svg>', page.text, re.S)
        self.assertEqual(len(charts), 2)
        self.assertEqual(len(re.findall(r"<rect ", charts[1])), 4)
        total = int(s.sql("SELECT COUNT(*) FROM assists WHERE unit_code = ?", self.ward_a)[0][0])
        self.assertIn("%s: %d" % (quarter[4:], total), page.text)  # the chart's text summary, e.g. "Q4: 12"
        # Sorting by name; by assists (most first).
        page = a.get("/bang-dieu-khien/79?sap-xep=ten")
        self.assertEqual(page.status, 200)
        names = re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]*)', page.text)
        self.assertGreater(len(names), 100)
        import unicodedata

        def fold(n):
            n = re.sub(r"^(Phường|Xã|Đặc khu) ", "", n).replace("Đ", "D").replace("đ", "d")
            return "".join(ch for ch in unicodedata.normalize("NFD", n.lower()) if not unicodedata.combining(ch))
        self.assertEqual([fold(n) for n in names], sorted(fold(n) for n in names))
        self.assertIn('aria-current="true">Đơn vị', page.text)
        page = a.get("/bang-dieu-khien/79?sap-xep=ho-tro&dinh-dang=csv")
        rows = list(csv.DictReader(io.StringIO(page.text.lstrip("\ufeff"))))
        self.assertEqual(len(rows), 1 + len(names) + 1)  # names: the wards; then "~79"
        # Bad filters and sorts say what to do.
        for q, text in (("nhom=tre-em", "Nhóm đối tượng không có"), ("nhom=elderly&to-chuc=1", "một bộ lọc mỗi lần"),
                        ("to-chuc=999999", "Không tìm thấy tổ chức"), ("to-chuc=abc", "Không tìm thấy tổ chức"),
                        ("sap-xep=xyz", "bấm vào tiêu đề")):
            r = a.get("/bang-dieu-khien/79?" + q)
            self.assertEqual(r.status, 400, q)
            self.assertIn(text, r.text, q)

    def test_dashboard_target_form(self):
        s = self.server
        for login, role in (("ql.t", "manager"), ("xem.t", "viewer")):  # own accounts: TOTP codes are single-use
            r = s.cli("user", "add", login, "--name", "Người " + login, "--unit", self.ward_a, "--role", role,
                      "--password-stdin", input="mat-khau-dai-12345\n")
            self.assertEqual(r.returncode, 0, r.stderr)
        m = s.client()
        m.signin_totp("ql.t", "mat-khau-dai-12345")
        page = m.get("/bang-dieu-khien/" + self.ward_a)
        self.assertIn("Đặt chỉ tiêu cho đơn vị", page.text)
        period = re.search(r'<select id="t-period" name="period">.*?<option value="(\w+)" selected>', page.text, re.S).group(1)
        tok = page.csrf()
        path = "/bang-dieu-khien/%s/chi-tieu" % self.ward_a
        before = s.sql("SELECT COUNT(*) FROM target_history")[0][0]
        for form, status, text in (({"indicator": "people_helped", "period": period, "value": "-3"}, 400, "số nguyên"),
                                   ({"indicator": "people_helped", "period": period, "value": "nhiều"}, 400, "số nguyên"),
                                   ({"indicator": "bogus", "period": period, "value": "5"}, 400, "Chỉ số không có"),
                                   ({"indicator": "people_helped", "period": "2026Q7", "value": "5"}, 400, "quý"),
                                   ({"indicator": "people_helped", "period": period, "value": "5"}, 403, None)):
            f = dict(form, _csrf=tok)
            r = m.post("/bang-dieu-khien/%s/chi-tieu" % (self.ward_b if status == 403 else self.ward_a), f)
            self.assertEqual(r.status, status, form)
            if text:
                self.assertIn(text, r.text)
        self.assertEqual(m.post(path, {"indicator": "assists", "period": period, "value": "5"}).status, 403)  # no CSRF token
        self.assertEqual(s.sql("SELECT COUNT(*) FROM target_history")[0][0], before, "nothing written on a refusal")
        # A viewer may look but not set.
        w = s.client()
        w.signin_totp("xem.t", "mat-khau-dai-12345")
        self.assertNotIn("Đặt chỉ tiêu", w.get("/bang-dieu-khien/" + self.ward_a).text)
        r = w.post(path, {"_csrf": w.get("/bang-dieu-khien/" + self.ward_a).csrf(), "indicator": "assists", "period": period, "value": "5"})
        self.assertEqual(r.status, 403)
        # The manager sets it and sees progress against it (people helped: the card's figure).
        card = re.search(r"<h2>Người được hỗ trợ</h2><p class=\"big\">(\d+)</p>", m.get("/bang-dieu-khien/" + self.ward_a).text)
        helped = int(card.group(1))
        self.assertGreater(helped, 0)
        r = m.post(path, {"_csrf": tok, "indicator": "people_helped", "period": period, "value": str(helped * 4)})
        self.assertEqual(r.status, 303)
        page = m.get(r.header("Location"))
        self.assertIn("Đã lưu chỉ tiêu", page.text)
        self.assertIn("Chỉ tiêu: %d (25%%)" % (helped * 4), page.text)
        self.assertEqual(s.sql("SELECT new_value FROM target_history WHERE unit_code = ? AND indicator = 'people_helped'",
                               self.ward_a)[-1][0], str(helped * 4))

    def test_zz_indicators_follow_the_records(self):
        s = self.server
        for i in range(3):
            self.assertEqual(self.post(self.assist(services=["vneid_level2", "digital_signature"])).status, 201)
        c = s.client()
        ind = {x["code"]: x for x in c.get("/api/v1/units/%s/indicators" % self.ward_a, headers=bearer(self.tok["ql.a"])).json()}
        stored = int(s.sql("SELECT COUNT(*) FROM assists WHERE unit_code = ?", self.ward_a)[0][0])
        self.assertEqual(ind["assists"]["value"], stored)
        self.assertIn("target", ind["assists"])  # set by test_targets_and_population for this quarter
        self.assertIsNotNone(ind["assists"]["updated_at"])
        self.assertGreaterEqual(ind["assists_vneid_level2"]["value"], 3)
        self.assertGreaterEqual(ind["active_volunteers"]["value"], 1)
        # Rolled up: the province counts the ward's assists (and the others in it).
        admin = s.client()
        admin.signin_admin()
        prov = {x["code"]: x["value"] for x in admin.get("/api/v1/units/79/indicators").json()}
        self.assertGreaterEqual(prov["assists"], stored)
        year = ind["assists"]["period"][:4]
        self.assertEqual(admin.get("/api/v1/units/79/indicators?period=" + year).status, 200)
        self.assertEqual(admin.get("/api/v1/units/79/indicators?period=2025Q5").status, 400)
        self.assertEqual(admin.get("/api/v1/units/99999/indicators").status, 404)
        # Scope: a ward volunteer cannot read the province's figures.
        self.assertEqual(c.get("/api/v1/units/79/indicators", headers=bearer(self.tok["tnv.a"])).status, 403)
        self.assertEqual(c.get("/api/v1/units/%s/indicators" % self.ward_b, headers=bearer(self.tok["tnv.a"])).status, 403)
        # The aggregates equal a recomputation from the records…
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # …and a tampered aggregate is caught, then repaired.
        self.server.tamper("UPDATE agg SET value = value + 1 WHERE indicator = 'assists' AND unit_code = '79'")
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 1)
        self.assertIn("79|", r.stdout)
        self.assertEqual(s.cli("indicators", "rebuild").returncode, 0)
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # The copy kept under each unit's parent (what the dashboards read) is checked too.
        tamper = "UPDATE agg_child SET value = value + 5 WHERE indicator = 'assists' AND unit_code = '%s'" % self.ward_a
        self.server.tamper(tamper)
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 1)
        self.assertIn("(by parent) %s|" % self.ward_a, r.stdout)
        self.assertEqual(s.cli("indicators", "rebuild").returncode, 0)
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(s.cli("indicators", "frobnicate").returncode, 2)
        # The public page: computed figures, no personal data.
        pub = s.client().get("/minh-bach/79")
        self.assertEqual(pub.status, 200)
        ward_name = s.client().get("/api/v1/units/" + self.ward_a).json()["name"]
        self.assertIn(ward_name, pub.text)
        self.assertIn("Lượt hỗ trợ", pub.text)
        self.assertNotIn("0911000222", pub.text)
        self.assertNotIn("Bà Tư", pub.text)
        nation = s.client().get("/minh-bach")
        self.assertIn("Thành phố Hồ Chí Minh", nation.text)
        self.assertEqual(s.client().get("/minh-bach?ky=2026Q9").status, 400)
        year = ind["assists"]["period"][:4]
        self.assertIn('<option value="%sQ2" selected>' % year, s.client().get("/minh-bach/79?ky=%sQ2" % year).text)
        self.assertEqual(s.client().get("/minh-bach/99999").status, 404)


if __name__ == "__main__":
    main()
