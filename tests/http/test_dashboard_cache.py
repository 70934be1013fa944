"""test_dashboard_cache.py: dashboards are served from rendered parts kept
in memory, and those parts are never older than the database.  A change
made by this server, by a second server process on the same database and
by the command line shows at the next request; the parts are shared by
viewers of one unit, period, filter, order and language, and what depends
on the viewer (the target form and its CSRF token, the way up) never is."""
import os
import re
import subprocess
import tempfile
import time
import uuid

from harness import BIN, ROOT, ServerTest, ZZCleanExit, main  # noqa: F401


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


def card(page, name):
    m = re.search(r"<h2>%s</h2><p class=\"big\">(\d+)</p>" % re.escape(name), page)
    assert m, name
    return int(m.group(1))


def row(page, name):
    """(certified, pct, assists, learners) of a unit's row in the table."""
    m = re.search(r'<th scope="row">(?:<a [^>]*>)?%s(?:</a>)?</th><td>(\d+)</td><td>([^<]*)</td><td>(\d+)</td><td>(\d+)</td>'
                  % re.escape(name), page)
    assert m, name
    return int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))


def without_tokens(page):
    return re.sub(r'name="_csrf" value="[^"]*"', "", page)


class DashboardCache(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        kids = s.client().get("/api/v1/units/79/children").json()
        cls.ward_a, cls.ward_a_name = kids[0]["code"], kids[0]["name"]
        cls.manager = bearer(s.staff_token("ql.tp", "manager", "79"))
        cls.viewer = bearer(s.staff_token("xem.tp", "viewer", "79"))
        cls.ward_viewer = bearer(s.staff_token("xem.phuong", "viewer", cls.ward_a))
        cls.volunteer = bearer(s.staff_token("tnv.cache", "volunteer", cls.ward_a))
        cls.national = bearer(s.staff_token("dp.vn", "coordinator", "VN"))

    def dash(self, unit, who=None, query=""):
        r = self.server.client().get("/bang-dieu-khien/%s%s" % (unit, query), headers=who or self.manager)
        self.assertEqual(r.status, 200, r.text[:300])
        return r.text

    def shows(self, page, text):
        self.assertTrue(text in page, "not on the page: " + text)

    def hides(self, page, text):
        self.assertFalse(text in page, "on the page: " + text)

    def cache_counts(self):
        text = self.server.client().get("/metrics").text
        return tuple(int(re.search(r'hocvuso_dashboard_cache_total\{result="%s"\} (\d+)' % k, text).group(1)) for k in ("hit", "miss"))

    def assist(self, client):
        body = {"id": str(uuid.uuid4()), "unit": self.ward_a, "services": ["vneid_install"],
                "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True}
        r = client.post_json("/api/v1/assists", body, headers=self.volunteer)
        self.assertEqual(r.status, 201, r.text)
        return body["id"]

    def test_served_from_memory_until_something_changes(self):
        first = self.dash("79")
        hits, misses = self.cache_counts()
        again = self.dash("79")
        self.assertEqual(self.cache_counts(), (hits + 1, misses), "the second view is served from memory")
        self.assertEqual(without_tokens(again), without_tokens(first))
        # A write through this server: the city, the ward and the nation move at once.
        before = card(first, "Lượt hỗ trợ"), row(first, self.ward_a_name)[2]
        nation = card(self.dash("VN", self.national), "Lượt hỗ trợ")
        ward = card(self.dash(self.ward_a, self.ward_viewer), "Lượt hỗ trợ")
        self.assist(self.server.client())
        page = self.dash("79")
        self.assertEqual((card(page, "Lượt hỗ trợ"), row(page, self.ward_a_name)[2]), (before[0] + 1, before[1] + 1))
        self.assertEqual(card(self.dash("VN", self.national), "Lượt hỗ trợ"), nation + 1)
        self.assertEqual(card(self.dash(self.ward_a, self.ward_viewer), "Lượt hỗ trợ"), ward + 1)
        self.assertGreater(self.cache_counts()[1], misses, "rebuilt after the write")

    def test_a_second_server_and_the_command_line_are_seen_at_once(self):
        s = self.server
        proc, peer = s.peer()
        try:
            page = self.dash("79")
            self.dash("79")  # in memory now
            assists = card(page, "Lượt hỗ trợ")
            # An assist logged on the other app server.
            self.assist(peer)
            page = self.dash("79")
            self.assertEqual(card(page, "Lượt hỗ trợ"), assists + 1)
            # A target set on the other server.
            period = re.search(r'<select id="ky" name="ky">.*?<option value="(\w+)" selected>', page, re.S).group(1)
            r = peer.post_json("/api/v1/targets", {"unit": "79", "indicator": "assists", "period": period, "value": 4 * (assists + 1)},
                               headers=self.manager)
            self.assertEqual(r.status, 200, r.text)
            self.shows(self.dash("79"), "Chỉ tiêu: %d (25%%)" % (4 * (assists + 1)))
            # The adult population, imported from the command line.
            fd, path = tempfile.mkstemp(suffix=".csv")
            with os.fdopen(fd, "w") as f:
                f.write("unit_code,adults,civil_servants,pupils,year\n79,7654321,1,1,%s\n" % period[:4])
            r = s.cli("import", "population", path)
            os.unlink(path)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.shows(self.dash("79"), "/ 7654321")
            # An organisation registered on the other server becomes a filter.
            r = peer.post("/to-chuc", {"name": "Hội Cựu chiến binh thành phố", "kind": "hoi_cuu_chien_binh", "unit": "79"}, headers=self.manager)
            self.assertEqual(r.status, 303, r.text[:300])
            self.shows(self.dash("79"), "Hội Cựu chiến binh thành phố")
        finally:
            self.assertEqual(s.stop_peer(proc), 0)

    def test_shared_parts_never_carry_the_viewer(self):
        manager = self.dash("79")
        token = re.search(r'name="_csrf" value="([^"]+)"', manager)
        self.shows(manager, "Đặt chỉ tiêu")
        hits = self.cache_counts()[0]
        viewer = self.dash("79", self.viewer)
        self.assertEqual(self.cache_counts()[0], hits + 1, "the viewer is served the same parts")
        self.hides(viewer, "Đặt chỉ tiêu")            # a viewer sets no targets
        self.hides(viewer, token.group(1))
        self.hides(viewer, "/bang-dieu-khien/VN")      # no way up for a city role…
        self.shows(self.dash("79", self.national), "/bang-dieu-khien/VN")  # …but for a national one
        # Order, filter and language are parts of their own.
        by_name = self.dash("79", query="?sap-xep=ten")
        self.assertNotEqual(without_tokens(by_name), without_tokens(manager))
        filtered = self.dash("79", query="?nhom=elderly")
        self.shows(filtered, "Đang lọc")
        self.hides(self.dash("79"), "Đang lọc")
        english = self.server.client().get("/bang-dieu-khien/79", headers=dict(self.manager, Cookie="hv_lang=en")).text
        self.shows(english, "Acts of help")
        self.hides(english, "Lượt hỗ trợ")
        self.shows(self.dash("79"), "Lượt hỗ trợ")

    def test_rebuild_and_units_import_change_every_dashboard(self):
        s = self.server
        gone = self.assist(s.client())
        page = self.dash("79")
        assists = card(page, "Lượt hỗ trợ")
        # An assist removed from the records by hand: the stored counters (and
        # so the page in memory) still count it, until a rebuild.
        self.server.tamper("DELETE FROM assist_edits WHERE assist_id = '%s'" % gone)
        self.server.tamper("DELETE FROM assists WHERE id = '%s'" % gone)
        self.assertEqual(card(self.dash("79"), "Lượt hỗ trợ"), assists)
        r = s.cli("indicators", "rebuild")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(card(self.dash("79"), "Lượt hỗ trợ"), assists - 1)
        hits, misses = self.cache_counts()
        self.dash("79")
        self.assertEqual(self.cache_counts(), (hits + 1, misses))
        # A units re-import that renames the city, then the shipped names back.
        self.import_units("Thành phố Hồ Chí Minh Mới")
        for _ in range(50):  # the server reloads its unit tree within a second or two
            if "Hồ Chí Minh Mới" in self.dash("VN", self.national):
                break
            time.sleep(0.1)
        self.shows(self.dash("VN", self.national), "Thành phố Hồ Chí Minh Mới")
        self.shows(self.dash("79"), "Thành phố Hồ Chí Minh Mới")
        self.import_units(None)
        for _ in range(50):
            if "Hồ Chí Minh Mới" not in self.dash("79"):
                break
            time.sleep(0.1)
        self.hides(self.dash("79"), "Hồ Chí Minh Mới")

    def test_compressed_for_browsers(self):
        """Pages built per request are gzipped with a deflate state each
        server thread reuses: every answer must still decompress to the
        page (different pages one after another, several times)."""
        import gzip
        plain = {u: without_tokens(self.dash(u, self.national)) for u in ("79", "VN", self.ward_a)}
        for _ in range(4):
            for u, want in plain.items():
                r = self.server.client().get("/bang-dieu-khien/" + u, headers=dict(self.national, **{"Accept-Encoding": "gzip"}))
                self.assertEqual(r.header("Content-Encoding"), "gzip")
                self.assertLess(len(r.body), len(want.encode()) // 2)
                self.assertEqual(without_tokens(gzip.decompress(r.body).decode()), want)

    def test_turned_off_and_a_bad_setting(self):
        s = self.server
        r = subprocess.run([BIN, "serve", "--db", s.db, "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=60,
                           env=dict(s.env, HOCVUSO_DASHBOARD_CACHE="maybe"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("HOCVUSO_DASHBOARD_CACHE: dashboard_cache must be true or false, not 'maybe'", r.stderr)
        proc, off = s.peer({"HOCVUSO_DASHBOARD_CACHE": "off"})
        try:
            pages = [off.get("/bang-dieu-khien/79", headers=self.manager) for _ in range(3)]
            self.assertEqual([p.status for p in pages], [200] * 3)
            self.assertEqual(without_tokens(pages[2].text), without_tokens(self.dash("79")))
            # A request is counted when its answer has been sent, which the
            # client may see a moment before the server's thread records it.
            want = 'hocvuso_http_requests_total{route="/bang-dieu-khien/{}",status="200"} 3'
            for _ in range(50):
                text = off.get("/metrics").text
                if want in text:
                    break
                time.sleep(0.05)
            self.assertIn('hocvuso_dashboard_cache_total{result="hit"} 0', text)
            self.assertIn(want, text)
        finally:
            self.assertEqual(s.stop_peer(proc), 0)

    def import_units(self, hcmc_name):
        with open(os.path.join(ROOT, "data", "seed", "vn-admin-units-2025.csv"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        if hcmc_name:
            lines = [line.replace("79,Thành phố Hồ Chí Minh,", "79,%s," % hcmc_name) for line in lines]
        fd, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        r = self.server.cli("import", "units", path)
        os.unlink(path)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    main()
