"""test_pages.py: public pages, units JSON API, search, static assets,
health and metrics, security headers, caching."""
import gzip
import unittest

from harness import ServerTest, ZZCleanExit, main  # noqa: F401


def fold(s):
    """Independent reference folding: strip marks, lower, đ → d."""
    import unicodedata
    s = unicodedata.normalize("NFD", s.lower().replace("đ", "d"))
    return "".join(ch for ch in s if unicodedata.category(ch) != "Mn")

SECURITY_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class Pages(ServerTest):
    def assert_secure(self, r):
        for name, part in SECURITY_HEADERS.items():
            self.assertIn(part, r.header(name) or "", name)
        self.assertNotIn("unsafe-inline", r.header("Content-Security-Policy"))

    def test_home_is_vietnamese(self):
        c = self.server.client()
        r = c.get("/")
        self.assertEqual(r.status, 200)
        self.assertIn('<html lang="vi">', r.text)
        self.assertIn("Bình dân học vụ số", r.text)
        self.assertIn("34 tỉnh, thành phố, 3321 xã, phường, đặc khu", r.text)
        self.assert_secure(r)
        self.assertNotIn("<script>", r.text)

    def test_english_switch(self):
        c = self.server.client()
        r = c.get("/ngon-ngu?l=en&next=/don-vi")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/don-vi")
        r = c.get("/")
        self.assertIn('<html lang="en">', r.text)
        self.assertIn("Digital literacy for all", r.text)

    def test_language_switch_refuses_open_redirect(self):
        c = self.server.client()
        for nxt in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
            r = c.get("/ngon-ngu?l=vi&next=" + nxt.replace("/", "%2F").replace("\\", "%5C"))
            self.assertEqual(r.status, 303)
            self.assertEqual(r.header("Location"), "/")
        self.assertEqual(c.get("/ngon-ngu?l=xx").status, 400)

    def test_units_pages(self):
        c = self.server.client()
        r = c.get("/don-vi")
        self.assertEqual(r.status, 200)
        self.assertIn("Thành phố Hồ Chí Minh", r.text)
        r = c.get("/don-vi/79")
        self.assertEqual(r.status, 200)
        self.assertIn("Phường Sài Gòn", r.text)
        self.assertIn("168 xã, phường, đặc khu", r.text)
        r = c.get("/don-vi/26740")
        self.assertIn("Phường Sài Gòn", r.text)
        self.assertIn('href="/don-vi/79"', r.text)
        self.assertEqual(c.get("/don-vi/99999").status, 404)
        self.assert_secure(c.get("/don-vi/99999"))

    def test_units_search_page(self):
        c = self.server.client()
        r = c.get("/don-vi?q=ph%C6%B0%E1%BB%9Dng+s%C3%A0i+g%C3%B2n")
        self.assertIn('href="/don-vi/26740"', r.text)
        r = c.get("/don-vi?q=" + "a" * 200)
        self.assertEqual(r.status, 400)

    def test_api_unit(self):
        c = self.server.client()
        r = c.get("/api/v1/units/79")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("application/json"))
        u = r.json()
        self.assertEqual(u["code"], "79")
        self.assertEqual(u["name"], "Thành phố Hồ Chí Minh")
        self.assertEqual(u["level"], "province")
        self.assertIn("parent_code", u)
        k = c.get("/api/v1/units/79/children").json()
        self.assertEqual(len(k), 168)
        self.assertTrue(all(x["parent_code"] == "79" for x in k))
        self.assertEqual(c.get("/api/v1/units/01").json()["code"], "01")  # leading zero kept
        self.assertEqual(len(c.get("/api/v1/units").json()), 34)

    def test_api_unknown_unit_is_json_404(self):
        c = self.server.client()
        for code in ("99999", "7", "abc", "%27%20OR%201%3D1--"):
            r = c.get("/api/v1/units/" + code)
            self.assertEqual(r.status, 404, code)
            self.assertEqual(r.json()["error"], "not_found")
        r = c.get("/api/v1/units/99999/children")
        self.assertEqual(r.status, 404)

    def test_search_ignores_case_and_diacritics(self):
        c = self.server.client()
        import urllib.parse
        results = []
        for q in ("xa tan thanh", "XÃ TÂN THÀNH", "Xã Tân Thành"):
            r = c.get("/api/v1/units?q=" + urllib.parse.quote(q))
            self.assertEqual(r.status, 200)
            codes = [u["code"] for u in r.json()]
            self.assertTrue(codes)
            results.append(set(codes))
            for u in r.json():
                self.assertIn("tan thanh", fold(u["name"]))
        self.assertEqual(results[0], results[1])
        self.assertEqual(results[1], results[2])
        # đ matches d; old and new tone placement meet.
        r = c.get("/api/v1/units?q=" + urllib.parse.quote("dong nai")).json()
        self.assertIn("Đồng Nai", r[0]["name"])
        self.assertEqual(r[0]["level"], "province")
        hoa1 = {u["code"] for u in c.get("/api/v1/units?q=" + urllib.parse.quote("Hoà")).json()}
        hoa2 = {u["code"] for u in c.get("/api/v1/units?q=" + urllib.parse.quote("Hòa")).json()}
        self.assertTrue(hoa1)
        self.assertEqual(hoa1, hoa2)

    def test_search_best_match_first(self):
        c = self.server.client()
        r = c.get("/api/v1/units?q=ho%20chi%20minh").json()
        self.assertEqual(r[0]["code"], "79")
        r = c.get("/api/v1/units?q=26740").json()
        self.assertEqual(r[0]["code"], "26740")

    def test_static_assets_etag_and_gzip(self):
        c = self.server.client()
        r = c.get("/static/style.css", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Encoding"), "gzip")
        self.assertIn(b"font-size", gzip.decompress(r.body))
        etag = r.header("ETag")
        self.assertTrue(etag)
        r2 = c.get("/static/style.css", headers={"If-None-Match": etag})
        self.assertEqual(r2.status, 304)
        self.assertEqual(c.get("/static/nope.css").status, 404)
        self.assertEqual(c.get("/static/../src/main.c").status, 400)
        self.assertEqual(c.get("/static/%2e%2e/Makefile").status, 400)

    def test_cached_home_is_identical(self):
        c = self.server.client()
        a = c.get("/don-vi/01", headers={"Accept-Encoding": "gzip"})
        b = c.get("/don-vi/01", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(a.status, 200)
        self.assertEqual(gzip.decompress(a.body), gzip.decompress(b.body))
        self.assertIn("public", b.header("Cache-Control"))

    def test_healthz_and_metrics(self):
        c = self.server.client()
        r = c.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["status"], "ok")
        r = c.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertIn("hocvuso_http_requests_total{route=\"/healthz\",status=\"200\"}", r.text)
        self.assertIn("hocvuso_http_request_duration_seconds_bucket", r.text)
        self.assertIn("hocvuso_db_statement_duration_seconds_count", r.text)

    def test_unknown_page_and_method(self):
        c = self.server.client()
        r = c.get("/khong-co")
        self.assertEqual(r.status, 404)
        self.assertIn("Không tìm thấy", r.text)
        self.assertEqual(c.request("DELETE", "/").status, 405)
        self.assertEqual(c.request("PUT", "/don-vi").status, 405)

    def test_security_headers_on_every_page(self):
        """Every route of src/views/routes.c, anonymous and signed in, and
        the error answers: CSP without inline script, nosniff, referrer
        policy, no framing."""
        import os
        import re as _re
        routes = open(os.path.join(os.path.dirname(__file__), "..", "..", "src", "views", "routes.c")).read()
        samples = {"/don-vi/{}": "/don-vi/79", "/quan-tri/tai-khoan/{}": "/quan-tri/tai-khoan/1", "/api/v1/units/{}": "/api/v1/units/01",
                   "/api/v1/units/{}/children": "/api/v1/units/01/children", "/api/v1/accounts/{}": "/api/v1/accounts/1",
                   "/hoc/{}": "/hoc/vneid", "/hoc/{}/kiem-tra": "/hoc/vneid/kiem-tra",
                   "/hoc/{}/kiem-tra/ket-qua": "/hoc/vneid/kiem-tra/ket-qua", "/hoc/{}/img/{}": "/hoc/dien-thoai-thong-minh/img/man-hinh-chinh.svg",
                   "/hoc/{}/{}": "/hoc/vneid/cai-dat-vneid", "/thuc-hanh/{}/{}": "/thuc-hanh/vneid/cai-vneid-tu-kho-chinh-thuc",
                   "/thuc-hanh/{}/{}/kieu/{}": "/thuc-hanh/vneid/cai-vneid-tu-kho-chinh-thuc/kieu/v1.css",
                   "/thuc-hanh/{}/{}/{}": "/thuc-hanh/vneid/cai-vneid-tu-kho-chinh-thuc/1", "/chung-nhan/{}": "/chung-nhan/HV-2222-2222.pdf",
                   "/xac-thuc/{}": "/xac-thuc/HV-2222-2222", "/api/v1/certificates/{}": "/api/v1/certificates/HV-2222-2222", "/api/v1/status/{}": "/api/v1/status/1",
                   "/bien-tap/bai/{}": "/bien-tap/bai/cai-dat-vneid", "/bien-tap/kiem-tra/{}": "/bien-tap/kiem-tra/vneid",
                   "/api/v1/assists/{}": "/api/v1/assists/00000000-0000-4000-8000-000000000000",
                   "/api/v1/units/{}/indicators": "/api/v1/units/79/indicators", "/minh-bach/{}": "/minh-bach/79",
                   "/bang-dieu-khien/{}": "/bang-dieu-khien/79",
                   "/bang-dieu-khien/{}/bao-cao.csv": "/bang-dieu-khien/79/bao-cao.csv",
                   "/bang-dieu-khien/{}/bao-cao.xlsx": "/bang-dieu-khien/79/bao-cao.xlsx",
                   "/bang-dieu-khien/{}/bao-cao.pdf": "/bang-dieu-khien/79/bao-cao.pdf",
                   "/thi-dua/{}": "/thi-dua/79", "/bieu-duong/{}": "/bieu-duong/79",
                   "/api/v1/units/{}/ranking": "/api/v1/units/79/ranking",
                   "/api/v1/units/{}/honours": "/api/v1/units/79/honours",
                   "/bang-dieu-khien/{}": "/bang-dieu-khien/79", "/hoc/{}/tai-lieu.pdf": "/hoc/vneid/tai-lieu.pdf",
                   "/diem-cham/{}": "/diem-cham/1", "/diem-cham/{}/ap-phich.pdf": "/diem-cham/1/ap-phich.pdf",
                   "/lop-hoc/{}": "/lop-hoc/1", "/lop-hoc/{}/diem-danh": "/lop-hoc/1/diem-danh",
                   "/lop-hoc/{}/danh-sach": "/lop-hoc/1/danh-sach", "/lop-hoc/{}/danh-sach.pdf": "/lop-hoc/1/danh-sach.pdf",
                   "/lop-hoc/{}/co-mat": "/lop-hoc/1/co-mat?t=1-0000000000000000",
                   "/to-chuc/{}": "/to-chuc/1", "/to-doi/{}": "/to-doi/1", "/chuc-mung/{}": "/chuc-mung/HV-2222-2222"}
        paths = []
        for method, pattern in _re.findall(r'\{"(GET|POST)", "([^"]+)"', routes):
            if method != "GET":
                continue
            paths.append(samples.get(pattern, pattern))
        self.assertGreater(len(paths), 25)
        paths += ["/khong-co-trang-nay", "/static/style.css", "/static/app.js", "/don-vi/%C3%28"]
        anon = self.server.client()
        admin = self.server.client()
        admin.signin_admin()
        for c in (anon, admin):
            for p in paths:
                self.assertNotIn("{}", p, "add a sample for " + p)
                r = c.get(p)
                self.assertLess(r.status, 500, p)
                self.assert_secure(r)

    def test_access_log_is_json_lines(self):
        import json
        import os
        c = self.server.client()
        c.get("/healthz")
        import time
        path = os.path.join(self.server.tmp, "access.log")
        found = False
        for _ in range(40):  # the line is written when the connection completes
            with open(path) as f:
                lines = [json.loads(x) for x in f if x.strip()]
            found = any(x["uri"] == "/healthz" and x["status"] == 200 and x["route"] == "/healthz" for x in lines)
            if found:
                break
            time.sleep(0.05)
        self.assertTrue(found)


if __name__ == "__main__":
    main()
