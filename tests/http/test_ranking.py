"""test_ranking.py: the emulation ranking (scores computed by hand from
targets set through the API and assists logged through the API), ties,
capping at 100 %, the admin-only formula with bad inputs, honours (scope,
bad inputs, audit), the quarterly review report (XLSX parsed back and
compared with the CSV, the PDF's page count), and `hocvuso report`.

Organisations (two at ward A, created through /to-chuc) have no
volunteers' records here, so they are ranked on targets with zero values;
the honour cases for an unknown organisation check the "not found"
answer."""
import csv
import io
import os
import re
import tempfile
import uuid
import xml.etree.ElementTree as ET
import zipfile

from harness import ServerTest, ZZCleanExit, main  # noqa: F401

PW = "mat-khau-dai-12345"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


def xlsx_sheets(data):
    """{sheet name: rows of cell strings}, numbers as floats, from the
    workbook's XML (standard library only)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter(REL + "Relationship")}
    out = {}
    for sh in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        target = rels[sh.get("{%s}id" % NS["r"])]
        root = ET.fromstring(z.read("xl/" + target.lstrip("/").replace("xl/", "")))
        rows = []
        for row in root.iter("{%s}row" % NS["m"]):
            cells = {}
            for c in row.findall("m:c", NS):
                col = re.match(r"[A-Z]+", c.get("r")).group(0)
                idx = 0
                for ch in col:
                    idx = idx * 26 + ord(ch) - 64
                v = c.find("m:v", NS)
                if c.get("t") == "s":
                    cells[idx - 1] = shared[int(v.text)]
                elif c.get("t") == "inlineStr":
                    cells[idx - 1] = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
                else:
                    cells[idx - 1] = float(v.text)
            width = max(cells) + 1 if cells else 0
            rows.append([cells.get(i, "") for i in range(width)])
        out[sh.get("name")] = rows
    return out


def csv_blocks(text):
    """The report's CSV as a list of tables (title, header, rows)."""
    blocks, cur = [], []
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if not row:
            if cur:
                blocks.append(cur)
            cur = []
        else:
            cur.append(row)
    if cur:
        blocks.append(cur)
    return blocks


def pdf_pages(data):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


class Ranking(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        kids = s.client().get("/api/v1/units/79/children").json()
        cls.kids = [k["code"] for k in kids]
        cls.a, cls.b, cls.c, cls.d = cls.kids[:4]
        cls.tok = {}
        for login, role, unit in (("tnv.ra", "volunteer", cls.a), ("tnv.rb", "volunteer", cls.b),
                                  ("ql.ra", "manager", cls.a), ("ql.79", "manager", "79"), ("xem.rb", "viewer", cls.b)):
            r = s.cli("user", "add", login, "--name", "Chị " + login, "--unit", unit, "--role", role, "--password-stdin", input=PW + "\n")
            assert r.returncode == 0, r.stderr
            r = s.cli("token", "create", "--user", login)
            cls.tok[login] = r.stdout.strip().splitlines()[-1]
        api = s.client()
        cls.period = api.get("/api/v1/units/%s/indicators" % cls.a, headers=bearer(cls.tok["ql.79"])).json()[0]["period"]
        # Records: 3 assists in ward A, 5 in ward B (one volunteer each).
        for who, n in (("tnv.ra", 3), ("tnv.rb", 5)):
            unit = cls.a if who == "tnv.ra" else cls.b
            for _ in range(n):
                body = {"id": str(uuid.uuid4()), "unit": unit, "services": ["vneid_install"],
                        "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True}
                r = api.post_json("/api/v1/assists", body, headers=bearer(cls.tok[who]))
                assert r.status == 201, r.text
        # Two organisations registered at ward A (targets need real ones).
        cls.orgs = []
        for name, kind in (("Đoàn Thanh niên phường A", "doan_thanh_nien"), ("Hội Phụ nữ phường A", "hoi_phu_nu")):
            r = api.post("/to-chuc", {"name": name, "kind": kind, "unit": cls.a}, headers=bearer(cls.tok["ql.ra"]))
            assert r.status == 303, r.text[-300:]
            cls.orgs.append(int(r.header("Location").rsplit("/", 1)[1]))
        o1, o2 = cls.orgs
        # Targets: A assists 4, active volunteers 1; B assists 2 (5 done: capped), people certified 10;
        # C and D people certified 5 each (0 done: a tie at 0); the two organisations at ward A.
        for unit, org, ind, value in ((cls.a, 0, "assists", 4), (cls.a, 0, "active_volunteers", 1), (cls.b, 0, "assists", 2),
                                      (cls.b, 0, "people_certified", 10), (cls.c, 0, "people_certified", 5),
                                      (cls.d, 0, "people_certified", 5), (cls.a, o1, "assists", 10), (cls.a, o2, "people_certified", 3),
                                      ("79", 0, "registered_learners", 9)):
            r = api.post_json("/api/v1/targets", {"unit": unit, "organisation": org, "indicator": ind, "period": cls.period, "value": value},
                              headers=bearer(cls.tok["ql.79"]))
            assert r.status == 200, r.text

    sessions = {}

    def staff(self, login):
        """A client signed in as login (with TOTP) once per module: a TOTP
        code is good once, so a second sign-in within 30 s would fail."""
        c = self.server.client()
        if login not in Ranking.sessions:
            c.signin_totp(login, PW)
            Ranking.sessions[login] = dict(c.cookies)
        c.cookies = dict(Ranking.sessions[login])
        return c

    def ranking(self, unit="79", who="ql.79"):
        r = self.server.client().get("/api/v1/units/%s/ranking?period=%s" % (unit, self.period), headers=bearer(self.tok[who]))
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def test_scores_ties_and_capping(self):
        doc = self.ranking()
        self.assertEqual(doc["formula"]["weights"], {"people_certified": 40, "assists": 30, "active_volunteers": 15, "touch_points": 15})
        self.assertIn("min(value", doc["formula"]["text"])
        units = {u["code"]: u for u in doc["units"]}
        self.assertEqual(len(units), len(self.kids))
        # A: (30 × 3/4 + 15 × 1/1) / (30 + 15) = 83.33 %
        self.assertAlmostEqual(units[self.a]["score"], 83.33, places=2)
        # B: (40 × 0/10 + 30 × min(5/2, 1)) / (40 + 30) = 42.86 %; assists capped at 100 %
        self.assertAlmostEqual(units[self.b]["score"], 42.86, places=2)
        att = {i["code"]: i for i in units[self.b]["indicators"]}
        self.assertEqual(att["assists"]["value"], 5)
        self.assertEqual(att["assists"]["target"], 2)
        self.assertEqual(att["assists"]["attainment"], 100.0)
        self.assertIsNone(att["touch_points"]["target"])
        self.assertEqual([u["code"] for u in doc["units"][:2]], [self.a, self.b])
        self.assertEqual((units[self.a]["rank"], units[self.b]["rank"]), (1, 2))
        # C and D: 0 % each, sharing rank 3; the rest have no target: no score and no rank (issue 19:
        # listed apart, not all tied at one rank), after the ranked ones.
        self.assertEqual((units[self.c]["score"], units[self.d]["score"]), (0.0, 0.0))
        self.assertEqual((units[self.c]["rank"], units[self.d]["rank"]), (3, 3))
        rest = [u for u in doc["units"] if u["code"] not in (self.a, self.b, self.c, self.d)]
        self.assertTrue(rest)
        self.assertTrue(all(u["score"] is None and u["rank"] is None for u in rest))
        self.assertEqual(doc["units"][4:], rest, "units without a target come last")
        # The province's own target for registered learners is not a ranking indicator: no effect.
        # Organisations of ward A: ranked on their targets (no per-organisation values yet: 0 %).
        orgs = self.ranking(self.a, "ql.ra")["organisations"]
        self.assertEqual(sorted(o["id"] for o in orgs), sorted(self.orgs))
        self.assertTrue(all(o["score"] == 0.0 and o["rank"] == 1 for o in orgs))
        self.assertEqual(self.ranking(self.a, "ql.ra")["units"], [])

    def test_page_lists_untargeted_apart(self):
        page = self.staff("ql.79").get("/thi-dua/79?so-dong=1000&ky=" + self.period).text   # every unit (no "Xem thêm")
        table, rest = page.split('id="units-untargeted"', 1)
        ranks = re.findall(r'<span class="rankno">([0-9]+)</span>', table.split('id="units-heading"', 1)[1])
        self.assertEqual(ranks, ["1", "2", "3", "3"])            # ties shown as ties
        self.assertIn("Chưa có chỉ tiêu (không xếp hạng)", page)
        others = [k for k in self.kids if k not in (self.a, self.b, self.c, self.d)]
        listed = re.findall(r'<li><a href="/thi-dua/([0-9]+)\?', rest.split("orgs-heading", 1)[0])
        self.assertEqual(sorted(listed), sorted(others))

    def test_page_scope(self):
        s = self.server
        a = s.client()
        a.signin_admin()
        page = a.get("/thi-dua/79?ky=" + self.period)
        self.assertEqual(page.status, 200)
        self.assertIn("no-store", page.header("Cache-Control"))
        text = page.text
        self.assertIn("Điểm = Σ trọng số × min(kết quả ÷ chỉ tiêu, 100%)", text)
        self.assertIn("83.3", text)
        self.assertIn("chưa có chỉ tiêu", text)
        self.assertIn('href="/quan-tri/thi-dua"', text)
        self.assertIn('<ol class="ranklist" aria-labelledby="units-heading">', text)
        self.assertIn('href="/thi-dua/79?ky=', a.get("/bang-dieu-khien/79").text)  # linked from the dashboard
        en = a.get("/thi-dua/79?ky=%s" % self.period, headers={"Cookie": "; ".join("%s=%s" % kv for kv in a.cookies.items()) + "; hv_lang=en"})
        self.assertEqual(en.status, 200)
        self.assertIn("Score = Σ weight × min(value ÷ target, 100%)", en.text)
        self.assertIn("no target yet", en.text)
        # A ward viewer: its ward only.
        v = self.staff("xem.rb")
        self.assertEqual(v.get("/thi-dua/" + self.b).status, 200)
        self.assertNotIn('href="/quan-tri/thi-dua"', v.get("/thi-dua/" + self.b).text)
        for path, status in (("/thi-dua/79", 403), ("/thi-dua/" + self.a, 403), ("/thi-dua/99999", 404),
                             ("/thi-dua/%s?ky=2026Q9" % self.b, 400), ("/bieu-duong/" + self.a, 403)):
            r = v.get(path)
            self.assertEqual(r.status, status, path)
            self.assertIn("<h1", r.text)
        self.assertEqual(s.client().get("/thi-dua/79").status, 303)  # anonymous: sign in
        c = s.client()
        self.assertEqual(c.get("/api/v1/units/79/ranking").status, 401)
        self.assertEqual(c.get("/api/v1/units/79/ranking", headers=bearer(self.tok["ql.ra"])).status, 403)
        self.assertEqual(c.get("/api/v1/units/79/ranking", headers=bearer(self.tok["tnv.ra"])).status, 403)
        r = c.get("/api/v1/units/79/ranking?period=2026-4", headers=bearer(self.tok["ql.79"]))
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["field"], "period")
        self.assertEqual(c.get("/api/v1/units/00000/ranking", headers=bearer(self.tok["ql.79"])).status, 404)

    def test_weights_admin_only(self):
        s = self.server
        hist = lambda: int(s.sql("SELECT COUNT(*) FROM rank_weight_history")[0][0])  # noqa: E731
        n = hist()
        m = self.staff("ql.79")
        self.assertEqual(m.get("/quan-tri/thi-dua").status, 403)
        r = m.post("/quan-tri/thi-dua", {"_csrf": m.get("/bieu-duong/79").csrf(), "assists": "1"})
        self.assertEqual(r.status, 403)
        a = s.client()
        a.signin_admin()
        page = a.get("/quan-tri/thi-dua")
        self.assertEqual(page.status, 200)
        self.assertIn('name="people_certified" value="40"', page.text)
        token = page.csrf()
        base = {"_csrf": token, "people_certified": "40", "assists": "30", "active_volunteers": "15", "touch_points": "15"}
        for over, field in (({"assists": "-1"}, "assists"), ({"assists": "abc"}, "assists"), ({"assists": "1001"}, "assists"),
                            ({"assists": "2.5"}, "assists"),
                            ({"people_certified": "0", "assists": "0", "active_volunteers": "0", "touch_points": "0"}, "weights")):
            r = a.post("/quan-tri/thi-dua", dict(base, **over))
            self.assertEqual(r.status, 400, over)
            self.assertIn("<h1", r.text)
        self.assertEqual(a.post("/quan-tri/thi-dua", {"assists": "1"}).status, 403)  # no CSRF token
        self.assertEqual(hist(), n, "a refused form writes nothing")
        self.assertAlmostEqual(self.ranking()["units"][0]["score"], 83.33, places=2)
        # Only assists counts: A 75 %, B 100 % (capped) — B now first.
        r = a.post("/quan-tri/thi-dua", {"_csrf": token, "people_certified": "0", "assists": "1", "active_volunteers": "0", "touch_points": "0"})
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertEqual(hist(), n + 4)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM rank_weight_history WHERE set_by = (SELECT id FROM accounts WHERE login = 'admin')")[0][0], str(n + 4))
        self.assertEqual(s.sql("SELECT old_weight, new_weight FROM rank_weight_history WHERE indicator = 'assists' ORDER BY id DESC LIMIT 1")[0], ("30", "1"))
        self.assertTrue(s.sql("SELECT 1 FROM audit_log WHERE action = 'ranking.weights'"))
        doc = self.ranking()
        self.assertEqual(doc["formula"]["weights"], {"assists": 1})
        top = doc["units"][:2]
        self.assertEqual([(u["code"], u["score"]) for u in top], [(self.b, 100.0), (self.a, 75.0)])
        self.assertIn("Lượt hỗ trợ 1", a.get("/thi-dua/79").text)
        r = a.post("/quan-tri/thi-dua", base)  # back to the defaults
        self.assertEqual(r.status, 303)
        self.assertEqual(len(self.ranking()["formula"]["weights"]), 4)

    def honour(self, who="ql.ra", **over):
        body = {"kind": "unit", "subject": self.a, "period": self.period, "reason": "Dẫn đầu phong trào hỗ trợ người cao tuổi cài VNeID."}
        body.update(over)
        body = {k: v for k, v in body.items() if v is not None}
        return self.server.client().post_json("/api/v1/honours", body, headers=bearer(self.tok[who]))

    def test_honours(self):
        s = self.server
        count = lambda: int(s.sql("SELECT COUNT(*) FROM honours")[0][0])  # noqa: E731
        n = count()
        cases = [({"kind": "hero"}, "kind"), ({"kind": None}, "kind"), ({"subject": ""}, "subject"), ({"subject": None}, "subject"),
                 ({"subject": "99999"}, "subject"), ({"kind": "team", "subject": "424242"}, "subject"),
                 ({"kind": "organisation", "subject": "424242"}, "subject"), ({"kind": "organisation", "subject": "abc"}, "subject"),
                 ({"kind": "account", "subject": "khong-co-ai"}, "subject"), ({"period": "2026Q7"}, "period"),
                 ({"period": None}, "period"), ({"reason": ""}, "reason"), ({"reason": "   "}, "reason"),
                 ({"reason": "ư" * 501}, "reason"), ({"reason": "a\x01b"}, "reason")]
        for over, field in cases:
            r = self.honour(**over)
            self.assertEqual(r.status, 400, (over, r.text))
            self.assertEqual(r.json()["field"], field, over)
            self.assertTrue(r.json()["message"])
        # Scope: a ward manager cannot honour a peer ward, the province, or someone of another ward.
        for over in ({"subject": self.b}, {"subject": "79"}, {"kind": "account", "subject": "tnv.rb"}):
            r = self.honour(**over)
            self.assertEqual(r.status, 403, over)
        self.assertEqual(self.honour(who="tnv.ra").status, 403)  # a volunteer records no honours
        self.assertEqual(self.honour(who="xem.rb", subject=self.b).status, 403)  # nor does a viewer
        self.assertEqual(s.client().post_json("/api/v1/honours", {"kind": "unit"}).status, 403)  # no token, no CSRF
        self.assertEqual(count(), n)
        r = self.honour()
        self.assertEqual(r.status, 201, r.text)
        r = self.honour(kind="account", subject="tnv.ra", reason="ư" * 500)
        self.assertEqual(r.status, 201, r.text)
        r = self.honour(who="ql.79", subject=self.b, period=self.period[:4])  # the year
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(count(), n + 3)
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'honour.add'")[0][0]), n + 3)
        c = s.client()
        got = c.get("/api/v1/units/79/honours?period=" + self.period, headers=bearer(self.tok["ql.79"])).json()
        names = [h["name"] for h in got]
        self.assertIn("Chị tnv.ra", names)
        self.assertEqual(sum(1 for h in got if h["kind"] == "unit" and h["subject"] == self.a), 1)
        self.assertFalse(any(h["subject"] == self.b for h in got), "the year's honour is not in the quarter")
        yearly = c.get("/api/v1/units/79/honours?period=" + self.period[:4], headers=bearer(self.tok["ql.79"])).json()
        self.assertEqual([h["subject"] for h in yearly], [self.b])
        self.assertEqual(c.get("/api/v1/units/%s/honours?period=%s" % (self.b, self.period), headers=bearer(self.tok["ql.ra"])).status, 403)
        self.assertEqual(c.get("/api/v1/units/%s/honours?period=%s" % (self.b, self.period), headers=bearer(self.tok["ql.79"])).json(), [])
        # The page and its form (CSRF).
        m = self.staff("ql.ra")
        page = m.get("/bieu-duong/%s?ky=%s" % (self.a, self.period))
        self.assertEqual(page.status, 200)
        self.assertIn("Dẫn đầu phong trào", page.text)
        self.assertIn('name="reason"', page.text)
        r = m.post("/bieu-duong/%s?ky=%s" % (self.a, self.period),
                   {"_csrf": page.csrf(), "period": self.period, "kind": "unit", "subject": self.a, "reason": "Tổ chức 12 lớp học lưu động."})
        self.assertEqual(r.status, 303, r.text[:400])
        listed = m.get(r.header("Location")).text
        self.assertIn("Tổ chức 12 lớp học lưu động", listed)
        # The honoured unit by its name, not its code (issue 20).
        name = [u["name"] for u in s.client().get("/api/v1/units/79/children").json() if u["code"] == self.a][0]
        self.assertIn("<td>%s</td>" % name, listed)
        self.assertNotIn("<td>%s</td>" % self.a, listed)
        r = m.post("/bieu-duong/%s?ky=%s" % (self.a, self.period), {"_csrf": page.csrf(), "kind": "unit", "subject": self.a, "reason": ""})
        self.assertEqual(r.status, 400)
        self.assertIn("Lý do biểu dương", r.text)
        self.assertEqual(m.post("/bieu-duong/" + self.a, {"kind": "unit", "subject": self.a, "reason": "x"}).status, 403)
        self.assertEqual(count(), n + 4)

    def test_honour_picker_by_name(self):
        """Issue 20 item 4: who is honoured is chosen from a list by name;
        a bad choice is refused in the page's language, nothing written."""
        s = self.server
        n = int(s.sql("SELECT COUNT(*) FROM honours")[0][0])
        m = self.staff("ql.ra")
        page = m.get("/bieu-duong/%s?ky=%s" % (self.a, self.period))
        self.assertNotIn("Mã đối tượng", page.text)
        self.assertIn('<select id="pick" name="pick" required>', page.text)
        self.assertIn('<option value="unit:%s">' % self.a, page.text)
        self.assertIn('<option value="account:tnv.ra">', page.text)
        url = "/bieu-duong/%s?ky=%s" % (self.a, self.period)
        for pick in ("organisation:424242", "account:khong-co-ai", "unit:99999", "nonsense"):
            r = m.post(url, {"_csrf": page.csrf(), "period": self.period, "pick": pick, "reason": "Nhiệt tình."})
            self.assertEqual(r.status, 400, pick)
            self.assertIn("Hãy chọn người, tổ, tổ chức hoặc đơn vị", r.text, pick)
            self.assertNotIn("424242)", r.text)
        m.cookies["hv_lang"] = "en"
        r = m.post(url, {"_csrf": page.csrf(), "period": self.period, "pick": "account:khong-co-ai", "reason": "Nhiệt tình."})
        self.assertIn("Choose the person, team, organisation or unit to honour", r.text)
        del m.cookies["hv_lang"]
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM honours")[0][0]), n)
        r = m.post(url, {"_csrf": page.csrf(), "period": self.period, "pick": "account:tnv.ra", "reason": "Hỗ trợ 40 người cao tuổi."})
        self.assertEqual(r.status, 303, r.text[-500:])
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM honours")[0][0]), n + 1)

    def test_report_downloads_xlsx_matches_csv_pdf_pages(self):
        s = self.server
        a = s.client()
        a.signin_admin()
        q = "?ky=" + self.period
        r_csv = a.get("/bang-dieu-khien/79/bao-cao.csv" + q)
        r_xlsx = a.get("/bang-dieu-khien/79/bao-cao.xlsx" + q)
        r_pdf = a.get("/bang-dieu-khien/79/bao-cao.pdf" + q)
        self.assertEqual((r_csv.status, r_xlsx.status, r_pdf.status), (200, 200, 200))
        self.assertTrue(r_xlsx.header("Content-Type").startswith("application/vnd.openxmlformats"))
        self.assertEqual(r_pdf.header("Content-Type"), "application/pdf")
        self.compare(r_csv.text, r_xlsx.body)
        blocks = csv_blocks(r_csv.text)
        self.assertEqual(len(blocks[2]) - 2, len(self.kids), "every ward of the province is ranked")
        self.assertEqual(blocks[2][2][1], self.a)
        self.assertEqual(blocks[2][2][3], "83.3")
        ind = {row[0]: row for row in blocks[1][2:]}
        self.assertEqual(ind["registered_learners"][3], "9")
        self.assertEqual(ind["assists"][2], "8")
        self.assertTrue(r_pdf.body.startswith(b"%PDF"))
        self.assertGreater(pdf_pages(r_pdf.body), 1, "168 wards run over several pages")
        small = a.get("/bang-dieu-khien/%s/bao-cao.pdf%s" % (self.c, q))
        self.assertGreaterEqual(pdf_pages(small.body), 1)
        self.assertGreater(pdf_pages(r_pdf.body), pdf_pages(small.body) + 3, "the province's ranking adds pages")
        # English labels.
        en = a.get("/bang-dieu-khien/79/bao-cao.csv" + q, headers={"Cookie": "; ".join("%s=%s" % kv for kv in a.cookies.items()) + "; hv_lang=en"})
        self.assertIn("Quarterly review", en.text)
        # Scope and bad input, as for the dashboard.
        w = self.staff("xem.rb")
        self.assertEqual(w.get("/bang-dieu-khien/79/bao-cao.pdf").status, 403)
        self.assertEqual(w.get("/bang-dieu-khien/%s/bao-cao.xlsx" % self.b).status, 200)
        self.assertEqual(a.get("/bang-dieu-khien/79/bao-cao.pdf?ky=2026Q0").status, 400)
        self.assertEqual(a.get("/bang-dieu-khien/88888/bao-cao.csv").status, 400)  # names the unit code
        self.assertEqual(s.client().get("/bang-dieu-khien/79/bao-cao.csv").status, 303)

    def compare(self, csv_text, xlsx_data):
        blocks = csv_blocks(csv_text)
        sheets = xlsx_sheets(xlsx_data)
        self.assertEqual(len(sheets), len(blocks))
        self.assertEqual(list(sheets)[:2], ["Tổng quan", "Chỉ số"])
        for (name, rows), block in zip(sheets.items(), blocks):
            self.assertEqual(len(rows), len(block), name)
            for i, (xrow, crow) in enumerate(zip(rows, block)):
                if crow[0] in ("Lập báo cáo lúc", "Report made at"):
                    continue  # the time each was made
                crow = crow + [""] * (len(xrow) - len(crow))
                xrow = xrow + [""] * (len(crow) - len(xrow))
                for x, c in zip(xrow, crow):
                    if isinstance(x, float):
                        self.assertEqual(x, float(c), (name, i))
                        self.assertGreaterEqual(i, 2, "numbers only in the rows")
                    else:
                        self.assertEqual(x, c, (name, i))
        # Header rows are bold: the header cells use a style with a bold font.
        z = zipfile.ZipFile(io.BytesIO(xlsx_data))
        self.assertIn("<b/>", z.read("xl/styles.xml").decode())

    def test_cli(self):
        s = self.server
        d = tempfile.mkdtemp()
        out = os.path.join(d, "bao-cao.xlsx")
        r = s.cli("report", "--unit", "79", "--period", self.period, "--format", "xlsx", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        r2 = s.cli("report", "--unit", "79", "--period", self.period, "--format", "csv", "--out", out + ".csv")
        self.assertEqual(r2.returncode, 0, r2.stderr)
        self.compare(open(out + ".csv", encoding="utf-8").read(), open(out, "rb").read())
        r = s.cli("report", "--unit", "79", "--period", self.period, "--format", "pdf", "--out", out + ".pdf", "--lang", "en")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreater(pdf_pages(open(out + ".pdf", "rb").read()), 1)
        before = sorted(os.listdir(d))
        bad = [(["--unit", "99999"], "unknown unit"), (["--period", "2025Q5"], "--period"), (["--period", "25Q4"], "--period"),
               (["--format", "docx"], "--format"), (["--lang", "fr"], "--lang"), (["--out", "/no/such/dir/x.pdf"], "cannot write"),
               (["--out", d], "cannot write"), (["--bogus", "1"], "unknown option")]
        for args, msg in bad:
            full = {"--unit": "79", "--period": self.period, "--format": "pdf", "--out": os.path.join(d, "new.pdf")}
            it = iter(args)
            extra = []
            for k in it:
                v = next(it)
                if k in full:
                    full[k] = v
                else:
                    extra += [k, v]
            argv = ["report"] + [x for kv in full.items() for x in kv] + extra
            r = s.cli(*argv)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertIn(msg, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertEqual(sorted(os.listdir(d)), before, "no partial file")
        self.assertEqual(s.cli("report", "--help").returncode, 0)


if __name__ == "__main__":
    main()
