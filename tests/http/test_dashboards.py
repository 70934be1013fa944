"""test_dashboards.py: dashboards for the people who read them (issue 19,
item 4): the headline figures come before the filters and buttons (which
sit in a closed <details>), every unit below links to its own dashboard
(communes too), a breadcrumb leads up to the nation, long lists show their
first rows with "Xem thêm" (?so-dong=N, bad values are a 400 naming it),
a quarter shows the year so far against the year's target ("Năm: X / Y"),
and each headline figure has the period before it and the change, in
words.  The ranking page is a list of short rows, not a wide table."""
import re
import uuid

from harness import ServerTest, ZZCleanExit, main  # noqa: F401


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


class Dashboards(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        kids = s.client().get("/api/v1/units/79/children").json()
        cls.kids = [k["code"] for k in kids]
        cls.ward = cls.kids[0]
        cls.manager = bearer(s.staff_token("ql.db79", "manager", "79"))
        cls.national = bearer(s.staff_token("dp.dbvn", "coordinator", "VN"))
        cls.ward_viewer = bearer(s.staff_token("xem.dbw", "viewer", cls.ward))
        vol = bearer(s.staff_token("tnv.db", "volunteer", cls.ward))
        api = s.client()
        for _ in range(3):
            body = {"id": str(uuid.uuid4()), "unit": cls.ward, "services": ["vneid_install"],
                    "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True}
            r = api.post_json("/api/v1/assists", body, headers=vol)
            assert r.status == 201, r.text
        cls.quarter = api.get("/api/v1/units/%s/indicators" % cls.ward, headers=cls.manager).json()[0]["period"]
        cls.year = cls.quarter[:4]

    def get(self, path, who=None):
        return self.server.client().get(path, headers=who or self.national)

    def target(self, unit, ind, period, value):
        r = self.server.client().post_json("/api/v1/targets", {"unit": unit, "organisation": 0, "indicator": ind, "period": period,
                                                               "value": value}, headers=self.manager)
        self.assertEqual(r.status, 200, r.text)

    def test_figures_first_tools_folded(self):
        page = self.get("/bang-dieu-khien/79").text
        kpis, form = page.index('class="kpis"'), page.index('<form method="get" action="/bang-dieu-khien/79"')
        self.assertLess(kpis, form, "the headline figures come before the filters")
        self.assertLess(page.index("Lượt hỗ trợ"), page.index('download>PDF</a>'))
        self.assertRegex(page, r'<details class="card tools"><summary>[^<]+</summary>\s*<form method="get"', "filters folded")
        self.assertLess(kpis, page.index('id="rank-heading"'))

    def test_every_unit_below_links_down_breadcrumb_up(self):
        page = self.get("/bang-dieu-khien/79?so-dong=1000").text
        for code in self.kids:
            self.assertIn('<a href="/bang-dieu-khien/%s?ky=' % code, page, code)
        ward = self.get("/bang-dieu-khien/%s" % self.ward).text
        crumbs = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', ward, re.S).group(1)
        self.assertIn('href="/bang-dieu-khien/VN?ky=', crumbs)
        self.assertIn('href="/bang-dieu-khien/79?ky=', crumbs)
        self.assertIn('aria-current="page"', crumbs)
        # The ward's own viewer sees the way up without links (outside the role).
        own = self.get("/bang-dieu-khien/%s" % self.ward, self.ward_viewer).text
        crumbs = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', own, re.S).group(1)
        self.assertNotIn("href=", crumbs)
        self.assertIn("Thành phố Hồ Chí Minh", crumbs)
        # The ranking page has the same breadcrumb.
        r = self.get("/thi-dua/%s" % self.ward).text
        self.assertIn('href="/thi-dua/79?ky=', re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', r, re.S).group(1))

    def test_show_more(self):
        page = self.get("/bang-dieu-khien/79").text
        body = re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1)
        self.assertEqual(body.count("<tr>"), 10)
        self.assertIn("Đang hiện 10 / %d" % len(self.kids), page)
        more = re.search(r'<a href="([^"]*)" class="btn secondary">Xem thêm</a>', page).group(1).replace("&amp;", "&")
        self.assertIn("so-dong=30", more)
        self.assertTrue(more.startswith("/bang-dieu-khien/79?ky="), more)
        page = self.get(more).text
        self.assertEqual(re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1).count("<tr>"), 30)
        page = self.get("/bang-dieu-khien/79?so-dong=%d" % len(self.kids)).text
        self.assertNotIn(">Xem thêm</a>", page)
        self.assertIn('aria-current="true"', self.get("/bang-dieu-khien/79?sap-xep=ten&so-dong=20").text)
        # The ranking: no unit has a target for the year, so all are listed apart, 10 at first.
        rank = self.get("/thi-dua/79?ky=" + self.year).text
        untargeted = lambda page: re.findall(r'<li><a href="/thi-dua/', page.split('id="units-untargeted"', 1)[1].split("orgs-heading")[0])
        self.assertEqual(len(untargeted(rank)), 10)
        self.assertIn(">Xem thêm</a>", rank)
        self.assertEqual(len(untargeted(self.get("/thi-dua/79?so-dong=200&ky=" + self.year).text)), len(self.kids))
        self.assertNotIn("<table", rank)
        for path in ("/bang-dieu-khien/79?so-dong=0", "/bang-dieu-khien/79?so-dong=abc", "/thi-dua/79?so-dong=-1",
                     "/bang-dieu-khien/79?so-dong=100001", "/thi-dua/79?so-dong="):
            r = self.get(path)
            self.assertEqual(r.status, 400, path)
            self.assertIn("so-dong", r.text)

    def test_year_target_in_quarter_and_trend(self):
        self.target(self.ward, "assists", self.year, 12)
        page = self.get("/bang-dieu-khien/%s?ky=%s" % (self.ward, self.quarter)).text
        self.assertIn("Năm: 3 / 12 (25%)", page)
        # Quarter before: nothing, so up by 3 (no percentage of zero).
        self.assertRegex(page, r"(?s)<h2>Lượt hỗ trợ</h2><p class=\"big\">3</p>(?:(?!</li>).)*Quý trước: 0 · tăng 3</p>", )
        year = self.get("/bang-dieu-khien/%s?ky=%s" % (self.ward, self.year)).text
        self.assertIn("Năm trước: 0 · tăng 3", year)
        self.assertNotIn("Năm: 3 / 12", year)  # the year's own card already says it
        en = self.server.client().get("/bang-dieu-khien/%s?ky=%s" % (self.ward, self.quarter),
                                      headers=dict(self.national, Cookie="hv_lang=en")).text
        self.assertIn("Year: 3 / 12 (25%)", en)
        self.assertIn("Previous quarter: 0 · up 3", en)

    def quality(self, page):
        m = re.search(r'<details class="card quality" id="chat-luong"><summary>([^<]*)</summary>(.*?)</details>', page, re.S)
        self.assertTrue(m, "the data-quality panel")
        parts = re.split(r"<h3>", m.group(2))
        return m.group(1), parts[1], parts[2], parts[3]

    def test_data_quality_panel(self):
        wards = len(self.kids)
        page = self.get("/bang-dieu-khien/79?ky=" + self.quarter).text
        summary, silent, jumps, untargeted = self.quality(page)
        # Every ward but the one with assists has no record; none has a target yet (this test's ward set one per year below).
        self.assertIn("%d chưa có số liệu" % (wards - 1), summary)
        self.assertNotIn('href="/bang-dieu-khien/%s?' % self.ward, silent)
        self.assertIn("Chỉ hiện 15", silent)
        self.assertIn("0 biến động bất thường", summary)
        # A target for a ward takes it off the list at once (the parent's dashboard parts are renewed).
        other = self.kids[1]
        self.assertIn('href="/bang-dieu-khien/%s?' % other, untargeted)
        before = re.search(r"(\d+) chưa có chỉ tiêu", summary).group(1)
        self.target(other, "assists", self.quarter, 5)
        summary, silent, jumps, untargeted = self.quality(self.get("/bang-dieu-khien/79?ky=" + self.quarter).text)
        self.assertNotIn('href="/bang-dieu-khien/%s?' % other, untargeted)
        self.assertEqual(int(re.search(r"(\d+) chưa có chỉ tiêu", summary).group(1)), int(before) - 1)
        # The quarter after: the ward's 3 assists fell to 0 (a factor of 3 or more): flagged, with both figures.
        q = int(self.quarter[5])
        nxt = "%sQ%d" % (self.year, q + 1) if q < 4 else "%dQ1" % (int(self.year) + 1)
        summary, silent, jumps, untargeted = self.quality(self.get("/bang-dieu-khien/79?ky=" + nxt).text)
        self.assertIn("biến động bất thường", summary)
        self.assertRegex(jumps, r'href="/bang-dieu-khien/%s\?ky=%s">[^<]+</a>: Lượt hỗ trợ 3 → 0 \(giảm mạnh\)' % (self.ward, nxt))
        self.assertIn("hệ số đặt bằng quality_factor", jumps)
        self.assertIn("%s → %s" % (self.quarter, nxt), jumps)
        # A ward has no units below: no panel.
        self.assertNotIn('id="chat-luong"', self.get("/bang-dieu-khien/%s" % self.ward).text)

    def test_quality_factor_setting(self):
        import os
        import subprocess
        from harness import BIN
        env = dict(self.server.env, HOCVUSO_QUALITY_FACTOR="1")
        r = subprocess.run([BIN, "indicators", "verify", "--db", self.server.db], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("quality_factor must be a whole number from 2 to 1000", r.stderr)
        env["HOCVUSO_QUALITY_FACTOR"] = "5"
        r = subprocess.run([BIN, "indicators", "verify", "--db", self.server.db], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        del os

    def test_unit_picker(self):
        import urllib.parse
        names = {k["code"]: k["name"] for k in self.server.client().get("/api/v1/units/79/children").json()}
        name = names[self.ward]
        page = self.get("/bang-dieu-khien/79").text
        self.assertIn('<form method="get" action="/chon-don-vi" class="stack" data-picker role="search">', page)
        self.assertIn('name="den" value="bang-dieu-khien"', page)
        orgs = self.get("/to-chuc?don-vi=79").text
        self.assertIn('name="den" value="to-chuc"', orgs)
        plain = name.lower().replace("đ", "d")
        import unicodedata
        plain = "".join(ch for ch in unicodedata.normalize("NFD", plain) if not unicodedata.combining(ch))
        found = []
        for q in (name, plain, plain.upper()):
            r = self.get("/chon-don-vi?den=bang-dieu-khien&ten=" + urllib.parse.quote(q))
            self.assertEqual(r.status, 200, q)
            self.assertIn('<a href="/bang-dieu-khien/%s">%s</a>' % (self.ward, name), r.text)
            found.append(re.search(r'<div id="picker-matches">(.*?)</div>', r.text, re.S).group(1))
        self.assertEqual(found[0], found[1], "with or without diacritics: the same list")
        r = self.get("/chon-don-vi?den=to-chuc&ten=" + urllib.parse.quote(plain))
        self.assertIn('<a href="/to-chuc?don-vi=%s">' % self.ward, r.text)
        # Only units the roles reach: the ward viewer finds the ward, not the city.
        self.assertIn('href="/bang-dieu-khien/%s"' % self.ward,
                      self.get("/chon-don-vi?den=bang-dieu-khien&ten=" + urllib.parse.quote(plain), self.ward_viewer).text)
        r = self.get("/chon-don-vi?den=bang-dieu-khien&ten=ho%20chi%20minh", self.ward_viewer)
        self.assertEqual(r.status, 200)
        self.assertNotIn('href="/bang-dieu-khien/79"', r.text)
        self.assertIn("Không có đơn vị nào có tên này trong phạm vi của bạn", r.text)
        # Bad input names the parameter; anonymous visitors sign in first.
        for q, field in (("den=xyz&ten=a", "(den)"), ("ten=a", "(den)"), ("den=bang-dieu-khien&ten=", "(ten)"),
                         ("den=bang-dieu-khien", "(ten)"), ("den=bang-dieu-khien&ten=" + "a" * 101, "(ten)"),
                         ("den=bang-dieu-khien&ten=%FF", None)):
            r = self.get("/chon-don-vi?" + q)
            self.assertEqual(r.status, 400, q)
            if field:
                self.assertIn(field, r.text, q)
        self.assertEqual(self.server.client().get("/chon-don-vi?den=to-chuc&ten=a").status, 303)


if __name__ == "__main__":
    main()
