"""test_language.py: the language of a first visit comes from the
browser's Accept-Language (a chosen language, the hv_lang cookie, wins);
cached anonymous pages are kept per language; what English pages showed
in Vietnamese (unit kinds, the search hint, durations, the home page
title) is in English."""
import re

from harness import Client, ServerTest, ZZCleanExit, main  # noqa: F401


def lang_of(r):
    return re.search(r'<html lang="(\w+)">', r.text).group(1)


class Language(ServerTest):
    def test_accept_language_on_first_visit(self):
        c = self.server.client()
        for header, want in (("en-US,en;q=0.9", "en"), ("vi-VN,vi;q=0.9,en;q=0.8", "vi"), ("fr-FR,en;q=0.5", "en"),
                             ("de-DE", "vi"), (None, "vi"), ("en;q=0.2,vi;q=0.9", "vi")):
            for path in ("/", "/hoc", "/dang-nhap/hoc-vien", "/don-vi"):  # cached pages and others alike
                h = {"Accept-Language": header} if header else {}
                r = c.get(path, headers=h)
                self.assertEqual(r.status, 200)
                self.assertEqual(lang_of(r), want, (header, path))
                if path == "/":
                    self.assertIn("Accept-Language", r.header("Vary"))
        # The language chosen on the site wins over the browser's.
        c.cookies["hv_lang"] = "vi"
        self.assertEqual(lang_of(c.get("/", headers={"Accept-Language": "en"})), "vi")
        c.cookies["hv_lang"] = "en"
        self.assertEqual(lang_of(c.get("/", headers={"Accept-Language": "vi"})), "en")

    def test_english_leftovers(self):
        c = self.server.client()
        c.cookies["hv_lang"] = "en"
        home = c.get("/").text
        self.assertIn('placeholder="VNeID, public services…"', home)
        self.assertNotIn("dịch vụ công…", home)
        self.assertIn('placeholder="VNeID, public services…"', c.get("/hoc").text)
        hanoi = c.get("/don-vi/01").text
        self.assertIn("· city", hanoi)
        self.assertNotIn("· thành phố", hanoi)
        self.assertIn("· thành phố", self.server.client().get("/don-vi/01").text)



class SmallOnes(ServerTest):
    def test_home_title_names_the_site_once(self):
        c = self.server.client()
        self.assertIn("<title>Bình dân học vụ số</title>", c.get("/").text)
        self.assertIn("<title>Đơn vị hành chính · Bình dân học vụ số</title>", c.get("/don-vi").text)
        c.cookies["hv_lang"] = "en"
        self.assertIn("<title>Digital literacy for all</title>", c.get("/").text)

    def test_durations_in_words(self):
        s = self.server
        ward = s.two_wards()[0]
        tok = s.staff_token("ln.gio", "volunteer", ward)
        for minutes in (15, 50):
            r = Client(s.port).post_json("/api/v1/assists", {
                "id": "7a1c6c8e-1d1b-4a43-9d5e-0a00000000%02d" % minutes, "unit": ward, "services": ["vneid_install"],
                "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True,
                "minutes": minutes}, headers={"Authorization": "Bearer " + tok})
            self.assertEqual(r.status, 201, r.text)
            c = s.client()
            self.assertEqual(c.form_post("/dang-nhap", "/dang-nhap", {"login": "ln.gio", "password": "mat-khau-dai-12345"}).status, 303)
            page = c.get("/tinh-nguyen-vien").text
            self.assertIn("15 phút" if minutes == 15 else "1 giờ 5 phút", page)
            self.assertNotRegex(page, r"\d:\d\d giờ")
        c.cookies["hv_lang"] = "en"
        self.assertIn("1 h 5 min", c.get("/tinh-nguyen-vien").text)


if __name__ == "__main__":
    main()
