"""test_figures.py: every figure adds up (issue 19).  A unit's figure is the
sum of its children's plus an explicit "not assigned to a unit below" row
(records of the unit itself: a learner who chose no commune), on the
public page, the dashboard and in the stored counters, at every level;
a learner deleting their data leaves the figures in the same
transaction; denominators roll up the tree with the parent's own import
shown beside the sum."""
import os
import calendar
import re
import tempfile
import time
import uuid

from harness import ServerTest, ZZCleanExit, fresh_source, Client, main  # noqa: F401


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


def table_rows(html):
    """{'total': [..], 'parts': [[..], ..]} from the public page's table."""
    out = {"total": None, "parts": []}
    for cls, body in re.findall(r'<tr class="([a-z ]+)">(.*?)</tr>', html, re.S):
        cells = [int(v.replace(".", "").replace(",", "")) for v in re.findall(r"<td>(-?[0-9.,]+)</td>", body)]
        if cls == "total":
            out["total"] = cells
        else:
            out["parts"].append(cells)
    return out


class FiguresAddUp(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.w0, cls.w1 = s.two_wards()
        cls.tok = s.staff_token("tnv.fig", "volunteer", cls.w0)
        cls.admin = s.staff_token("qt.fig", "admin", "VN")

    def register(self, phone, unit=None):
        c = Client(self.server.port, source=fresh_source())
        form = {"name": "Người học " + phone, "phone": phone, "pin": "804613", "pin2": "804613", "consent": "yes"}
        if unit:
            form["unit"] = unit
        r = c.form_post("/dang-ky", "/dang-ky", form)
        self.assertEqual(r.status, 303, r.text)
        return c

    def assist(self, person):
        rec = {"id": str(uuid.uuid4()), "unit": self.w0, "services": ["etax"], "outcome": "done",
               "has_smartphone": True, "person": person}
        r = self.server.client().post_json("/api/v1/assists", rec, headers=bearer(self.tok))
        self.assertEqual(r.status, 201, r.text)

    def stored(self, unit, indicator, period):
        rows = self.server.sql("SELECT value FROM agg WHERE unit_code = ? AND period = ? AND indicator = ?", unit, period, indicator)
        return int(rows[0][0]) if rows else 0

    def assert_adds_up(self, path):
        t = table_rows(self.server.client().get(path).text)
        self.assertIsNotNone(t["total"], path)
        for i, total in enumerate(t["total"]):
            self.assertEqual(total, sum(p[i] for p in t["parts"]), (path, i, t))
        return t

    def assert_counters_add_up(self):
        """For every stored counter of the nation and of each province: its value is the sum of the
        counters kept under it (children and its unassigned row), except people counted once across
        units (people helped, active volunteers), which are at most that sum."""
        s = self.server
        distinct = ("people_helped", "active_volunteers")
        for parent in ["VN", "79", "01"]:
            rows = s.sql("SELECT g.period, g.indicator, g.value, (SELECT COALESCE(SUM(k.value), 0) FROM agg_child k "
                         "WHERE k.parent_code = g.unit_code AND k.period = g.period AND k.indicator = g.indicator) "
                         "FROM agg g WHERE g.unit_code = ?", parent)
            for period, ind, value, below in rows:
                if ind in distinct:
                    self.assertLessEqual(int(value), int(below), (parent, period, ind))
                else:
                    self.assertEqual(int(value), int(below), (parent, period, ind))

    def test_nation_is_provinces_plus_unassigned(self):
        s = self.server
        self.register("0915000001")              # no commune
        self.register("0915000002", self.w0)
        self.register("0915000003", self.w1)
        self.assist({"age_band": "60+", "gender": "f", "group": "elderly"})
        year = s.sql("SELECT MAX(period) FROM agg WHERE unit_code = 'VN' AND LENGTH(period) = 4")[0][0]
        self.assertGreaterEqual(self.stored("~VN", "registered_learners", year), 1)
        nation = self.assert_adds_up("/minh-bach?ky=" + year)
        self.assertIn("Chưa gắn đơn vị cấp dưới", s.client().get("/minh-bach?ky=" + year).text)
        self.assertGreaterEqual(nation["parts"][-1][0], 1)  # the unassigned row holds the learner without a commune
        self.assert_adds_up("/minh-bach/79?ky=" + year)
        self.assert_counters_add_up()
        # The API: the nation's figures = the provinces' + "~VN" (its records in no province).
        h = bearer(self.admin)
        api = {}
        for code in ["VN", "~VN"] + [u["code"] for u in s.client().get("/api/v1/units").json() if u.get("level") == "province"]:
            r = s.client().get("/api/v1/units/%s/indicators?period=%s" % (code, year), headers=h)
            self.assertEqual(r.status, 200, code)
            api[code] = {x["code"]: x["value"] for x in r.json()}
        self.assertGreater(len(api), 30)
        for ind in ("registered_learners", "assists", "assists_smartphone", "assists_anonymous", "courses_completed"):
            self.assertEqual(api["VN"][ind], sum(v[ind] for k, v in api.items() if k != "VN"), ind)
        self.assertGreaterEqual(api["~VN"]["registered_learners"], 1)
        # The dashboard's CSV: its rows add up to its first line.
        d = Client(s.port)
        d.signin_admin()
        import csv as csvmod
        import io
        rows = list(csvmod.reader(io.StringIO(d.get("/bang-dieu-khien/VN?ky=%s&dinh-dang=csv" % year).text.lstrip("\ufeff"))))
        self.assertEqual(rows[-1][0], "~VN")
        for i in (2, 3, 4, 5, 7):  # people helped (6): a person in two provinces counts once in the total
            self.assertEqual(int(rows[1][i]), sum(int(r[i]) for r in rows[2:]), rows[0][i])
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # A rebuild writes the same rows.
        self.assertEqual(s.cli("indicators", "rebuild").returncode, 0)
        self.assertEqual(self.stored("~VN", "registered_learners", year) >= 1, True)
        self.assert_adds_up("/minh-bach?ky=" + year)

    def test_deleting_own_data_moves_the_figures(self):
        s = self.server
        c = self.register("0915000010", self.w1)
        year = s.sql("SELECT MAX(period) FROM agg WHERE unit_code = 'VN' AND LENGTH(period) = 4")[0][0]
        before = {u: self.stored(u, "registered_learners", year) for u in (self.w1, "79", "VN")}
        me = c.get("/tai-khoan")
        r = c.post("/tai-khoan/xoa", {"_csrf": me.csrf(), "confirm": "yes"})
        self.assertEqual(r.status, 303)
        after = {u: self.stored(u, "registered_learners", year) for u in (self.w1, "79", "VN")}
        self.assertEqual(after, {u: v - 1 for u, v in before.items()})
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assert_adds_up("/minh-bach?ky=" + year)

    def test_population_rolls_up(self):
        s = self.server
        fd, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(fd, "w") as f:
            f.write("unit_code,adults,civil_servants,pupils,year\n%s,20000,300,4000,2026\n%s,15000,200,3000,2026\n"
                    "79,7000000,90000,1500000,2026\n" % (self.w0, self.w1))
        r = s.cli("import", "population", path)
        os.unlink(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        # The city's own figure contradicts its wards: imported all the same, the difference reported.
        self.assertIn("79 adults: imported 7000000, sum of the units below 35000 (difference +6965000)", r.stdout)
        self.assertEqual(s.sql("SELECT adults FROM population WHERE unit_code = '79'")[0][0], "7000000")
        c = s.client()
        m = bearer(self.admin)
        for unit, adults in (("79", 35000), ("VN", 35000), (self.w0, 20000)):
            ind = {x["code"]: x for x in c.get("/api/v1/units/%s/indicators?period=2026" % unit, headers=m).json()}
            certified = ind["people_certified"]["value"]
            self.assertEqual(ind["adults_certified_pct"]["value"], round(1000 * certified / adults) / 10, unit)
        d = Client(s.port)
        d.signin_admin()
        page = d.get("/bang-dieu-khien/79?ky=2026").text
        self.assertIn("/ 35000 ", page)       # the sum of the wards
        self.assertIn(": 7000000 ", page)     # the city's own import, beside it
        self.assertIn("6965000", page)     # and the difference
        # Ranks: the two wards with a population tie at 0 % (1, 1); wards without one are not ranked.
        ranks = re.findall(r"<tr><td>([^<]*)</td><th", page)
        self.assertEqual(ranks[:2], ["1", "1"])
        self.assertTrue(ranks[2:] and set(ranks[2:]) == {"–"}, ranks[:5])

    def test_filed_report_is_kept_as_issued(self):
        """A report of an ended quarter is kept as first issued: deleting a record afterwards moves the
        live figures (in the same transaction) but not the filed report.  The current quarter's report
        is made afresh each time."""
        s = self.server
        now = time.gmtime(time.time() + 7 * 3600)
        y, q = now.tm_year, (now.tm_mon - 1) // 3 + 1
        py, pq = (y, q - 1) if q > 1 else (y - 1, 4)
        prev = "%dQ%d" % (py, pq)
        at = calendar.timegm((py, (pq - 1) * 3 + 2, 15, 5, 0, 0)) - 7 * 3600   # mid-quarter
        rec = {"id": str(uuid.uuid4()), "unit": self.w0, "services": ["vssid"], "outcome": "done",
               "has_smartphone": False, "person": {"age_band": "60+", "gender": "m", "group": "worker"}}
        self.assertEqual(s.client().post_json("/api/v1/assists", rec, headers=bearer(self.tok)).status, 201)
        s.tamper("UPDATE assists SET created_at = %d WHERE id = '%s'" % (at, rec["id"]))
        self.assertEqual(s.cli("indicators", "rebuild").returncode, 0)
        self.assertEqual(self.stored(self.w0, "assists_vssid", prev), 1)
        d = Client(s.port)
        d.signin_admin()
        url = "/bang-dieu-khien/%s/bao-cao.csv?ky=%s" % (self.w0, prev)
        first = d.get(url)
        self.assertEqual(first.status, 200)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM report_snapshots WHERE unit_code = ? AND period = ?", self.w0, prev)[0][0], "1")
        r = s.client().request("DELETE", "/api/v1/assists/" + rec["id"], headers=bearer(self.admin))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.stored(self.w0, "assists_vssid", prev), 0)   # live figures moved at once
        again = d.get(url)
        self.assertEqual(again.status, 200)
        self.assertEqual(again.body, first.body)                             # the filed report did not
        # This quarter's report is not kept (the quarter is still open).
        cur = "%dQ%d" % (y, q)
        self.assertEqual(d.get("/bang-dieu-khien/%s/bao-cao.csv?ky=%s" % (self.w0, cur)).status, 200)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM report_snapshots WHERE period = ?", cur)[0][0], "0")
        for fmt in ("xlsx", "pdf"):
            u = "/bang-dieu-khien/%s/bao-cao.%s?ky=%s" % (self.w0, fmt, prev)
            a, b = d.get(u), d.get(u)
            self.assertEqual((a.status, b.status), (200, 200))
            self.assertEqual(a.body, b.body, fmt)

    def test_definitions_one_name_everywhere(self):
        """/chi-so lists every indicator and ratio the API gives, with the same name (Vietnamese and
        English); the dashboard and the public page use those names too; ratios are rounded."""
        s = self.server
        api = s.client().get("/api/v1/units/79/indicators?period=2026", headers=bearer(self.admin)).json()
        vi = s.client().get("/chi-so")
        self.assertEqual(vi.status, 200)
        c = s.client()
        c.cookies["hv_lang"] = "en"
        en = c.get("/chi-so")
        self.assertEqual(en.status, 200)
        for x in api:
            self.assertIn('id="%s"' % x["code"], vi.text)
            self.assertIn(x["name"] + " <code>", vi.text)
            self.assertIn(x["name_en"] + " <code>", en.text)
        names = {x["code"]: x["name"] for x in api}
        for code in ("assists_smartphone", "assists_anonymous", "smartphone_pct", "people_helped"):
            self.assertIn(code, names)
        self.assertIn("Khi xóa hoặc thu hồi", vi.text)
        self.assertIn("On deletion or revocation", en.text)
        pub = s.client().get("/minh-bach").text
        for code in ("registered_learners", "people_certified", "assists", "people_helped"):
            self.assertIn("<th scope=\"col\">%s</th>" % names[code], pub)
        d = Client(s.port)
        d.signin_admin()
        dash = d.get("/bang-dieu-khien/79").text
        self.assertIn(names["people_certified"], dash)

    def test_anonymous_assists_told_apart(self):
        s = self.server
        phone = "0915000077"
        self.register(phone, self.w0)
        year = s.sql("SELECT MAX(period) FROM agg WHERE unit_code = 'VN' AND LENGTH(period) = 4")[0][0]
        before = {k: self.stored(self.w0, k, year) for k in ("assists", "people_helped", "assists_anonymous")}
        self.assist({"phone": phone})
        self.assist({"phone": phone})
        self.assist({"age_band": "60+", "gender": "m", "group": "worker"})
        after = {k: self.stored(self.w0, k, year) for k in ("assists", "people_helped", "assists_anonymous")}
        self.assertEqual(after["assists"] - before["assists"], 3)
        self.assertEqual(after["assists_anonymous"] - before["assists_anonymous"], 1)
        self.assertEqual(after["people_helped"] - before["people_helped"], 2)   # the registered person once

    def test_bad_unit_period_filter_named(self):
        """Malformed unit codes, periods and filters: 400 naming the parameter, on every measure page
        and API; an unknown (well-formed) unit code: 404."""
        s = self.server
        d = Client(s.port)
        d.signin_admin()
        api = s.client()
        h = bearer(self.admin)
        for path, field in (("/api/v1/units/7!9/indicators", "code"), ("/api/v1/units/79/indicators?period=2026Q5", "period"),
                            ("/api/v1/units/79/indicators?group=tre-em", "group"),
                            ("/api/v1/units/79/indicators?organisation=abc", "organisation"),
                            ("/api/v1/units/79/indicators?organisation=999999", "organisation"),
                            ("/api/v1/units/abc/ranking", "code"), ("/api/v1/units/79/ranking?period=x", "period"),
                            ("/api/v1/units/123456/honours", "code"), ("/api/v1/units/79/honours?period=2026Q0", "period")):
            r = api.get(path, headers=h)
            self.assertEqual(r.status, 400, path)
            self.assertEqual(r.json()["field"], field, path)
        self.assertEqual(api.get("/api/v1/units/99999/indicators", headers=h).status, 404)
        for path, words in (("/minh-bach/abc", "Mã đơn vị"), ("/minh-bach?ky=2026Q5", "Kỳ"), ("/bang-dieu-khien/7x9", "Mã đơn vị"),
                            ("/bang-dieu-khien/79?ky=20x6", "Kỳ"), ("/bang-dieu-khien/79?nhom=zz", "Nhóm đối tượng"),
                            ("/bang-dieu-khien/79?to-chuc=999999", "tổ chức"), ("/thi-dua/1234567", "Mã đơn vị"),
                            ("/thi-dua/79?ky=x", "Kỳ"), ("/bieu-duong/79?ky=x", "Kỳ"),
                            ("/bang-dieu-khien/79/bao-cao.csv?ky=2026Q7", "Kỳ"), ("/bang-dieu-khien/x/bao-cao.pdf", "Mã đơn vị")):
            r = (s.client() if path.startswith("/minh-bach") else d).get(path)
            self.assertEqual(r.status, 400, path)
            self.assertIn(words, r.text, path)
        self.assertEqual(s.client().get("/minh-bach/99999").status, 404)


if __name__ == "__main__":
    main()
