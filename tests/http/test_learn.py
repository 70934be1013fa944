"""test_learn.py: the learning journey over HTTP (anonymous reading, quiz
with per-answer feedback, registration claiming progress, certificate PDF
and signed JSON, public verification, revocation), content import
validation, re-import keeping progress, search, catalogue API."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse

import quizbank
from harness import ROOT, ServerTest, ZZCleanExit, main, totp  # noqa: F401

CONTENT = os.path.join(ROOT, "content")


class Learn(ServerTest):
    def lessons_of(self, c, course):
        page = c.get("/hoc/" + course).text
        return list(dict.fromkeys(re.findall(r'href="/hoc/%s/([a-z0-9-]+)"' % course, page)) - {"kiem-tra"}) \
            if False else [s for s in dict.fromkeys(re.findall(r'href="/hoc/%s/([a-z0-9-]+)"' % course, page)) if s != "kiem-tra"]

    def pass_quiz(self, c, course):
        bank = quizbank.bank(course)
        form_page = c.get("/hoc/%s/kiem-tra" % course)
        self.assertEqual(form_page.status, 200)
        form = quizbank.parse_form(form_page.text)
        self.assertEqual(len(form["questions"]), bank["draw"])
        self.assertGreaterEqual(len(bank["questions"]), 2 * bank["draw"])
        # First attempt: every answer wrong; the result explains the answers
        # chosen and shows no key to the others.
        r = c.post("/hoc/%s/kiem-tra" % course, quizbank.answers(bank, form, right=0))
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/hoc/%s/kiem-tra/ket-qua" % course)
        r = c.get(r.header("Location"))
        self.assertEqual(r.status, 200)
        self.assertIn("Bạn trả lời đúng", r.text)
        self.assertIn("0/%d" % bank["draw"], r.text)
        self.assertEqual(r.text.count("<strong>Bạn chọn:</strong>"), len(form["questions"]))  # one answer each
        self.assertNotIn("Đáp án đúng", r.text)
        form_page = c.get("/hoc/%s/kiem-tra" % course)
        form2 = quizbank.parse_form(form_page.text)
        self.assertEqual(int(form2["hidden"]["lan"]), int(form["hidden"]["lan"]) + 1)
        r = c.post("/hoc/%s/kiem-tra" % course, quizbank.answers(bank, form2))
        self.assertEqual(r.status, 303)
        r = c.get(r.header("Location"))
        self.assertEqual(r.status, 200)
        self.assertIn("Chúc mừng! Bạn đã đạt.", r.text)
        self.assertIn("%d/%d" % (bank["draw"], bank["draw"]), r.text)
        return r

    def read_all(self, c, course, lessons):
        """Opens each lesson (the evidence) and marks it read."""
        for slug in lessons:
            page = c.get("/hoc/%s/%s" % (course, slug))
            self.assertEqual(page.status, 200)
            self.assertEqual(c.post("/hoc/%s/%s/da-hoc" % (course, slug), page.read_form()).status, 303)

    def test_catalogue_api_and_pages(self):
        c = self.server.client()
        courses = c.get("/api/v1/courses").json()
        self.assertGreaterEqual(len(courses), 8)
        self.assertGreaterEqual(sum(x["lessons"] for x in courses), 40)
        for x in courses:
            self.assertTrue(x["slug"] and x["title"] and x["lessons"] > 0)
        r = c.get("/hoc")
        self.assertEqual(r.status, 200)
        self.assertIn("VNeID", r.text)
        r = c.get("/hoc?doi-tuong=civil_servant")
        self.assertEqual(r.status, 200)
        self.assertEqual(c.get("/hoc?doi-tuong=king").status, 400)
        r = c.get("/hoc?nang-luc=ai")
        self.assertIn("tri-tue-nhan-tao", r.text)
        self.assertNotIn("/hoc/vssid", r.text)
        self.assertEqual(c.get("/hoc/khong-co").status, 404)
        self.assertEqual(c.get("/hoc/vneid/khong-co").status, 404)

    def test_lesson_page_is_light_and_has_listen(self):
        c = self.server.client()
        slug = self.lessons_of(c, "vneid")[0]
        r = c.get("/hoc/vneid/" + slug)
        self.assertEqual(r.status, 200)
        self.assertIn('id="speak"', r.text)
        self.assertIn('src="/static/app.js"', r.text)
        total = len(r.body) + len(c.get("/static/style.css").body) + len(c.get("/static/app.js").body)
        self.assertLess(total, 100 * 1024)
        self.assertNotIn("<script>", r.text)
        img = c.get("/hoc/dien-thoai-thong-minh/img/man-hinh-chinh.svg")
        self.assertEqual(img.status, 200)
        self.assertEqual(img.header("Content-Type"), "image/svg+xml")

    def test_search(self):
        c = self.server.client()
        q = lambda s: c.get("/api/v1/search?q=" + urllib.parse.quote(s)).json()  # noqa: E731
        a, b, d = q("dich vu cong"), q("DỊCH VỤ CÔNG"), q("Dịch vụ công")
        self.assertTrue(a)
        self.assertEqual([h["url"] for h in a], [h["url"] for h in b])
        self.assertEqual([h["url"] for h in a], [h["url"] for h in d])
        self.assertEqual(a[0]["url"], "/hoc/dich-vu-cong")
        self.assertIn("VNeID", q("vneid")[0]["title"])
        self.assertIn("chữ ký số", q("chu ky so")[0]["title"].lower())
        self.assertIn("Thuế điện tử", q("thue dien tu")[0]["title"])
        typo = q("dich vu cog")
        self.assertTrue(typo and typo[0]["url"] == "/hoc/dich-vu-cong")
        self.assertEqual(q("zzqqxxww"), [])
        self.assertEqual(c.get("/api/v1/search?q=" + "a" * 300).status, 400)
        page = c.get("/tim-kiem?q=d%E1%BB%8Bch+v%E1%BB%A5+c%C3%B4ng")
        self.assertIn('href="/hoc/dich-vu-cong"', page.text)

    def test_quiz_bad_inputs(self):
        c = self.server.client()
        page = c.get("/hoc/vneid/kiem-tra")
        form = quizbank.parse_form(page.text)
        hidden = form["hidden"]
        single = next(q for q in form["questions"] if not q["multiple"])
        r = c.post("/hoc/vneid/kiem-tra", dict(hidden, **{single["field"]: "1"}))
        self.assertEqual(r.status, 400)
        self.assertIn("Bạn chưa trả lời câu", r.text)
        for bad in ({single["field"]: "9"}, {"q999": "1"}, {"hack": "1"}, {single["field"]: "abc"}, {single["field"] + "_1": "1"}):
            r = c.post("/hoc/vneid/kiem-tra", dict(hidden, **bad))
            self.assertEqual(r.status, 400, bad)
        self.assertEqual(c.post("/hoc/vneid/kiem-tra", {single["field"]: "1"}).status, 403)  # no CSRF token
        self.assertEqual(c.get("/hoc/khong-co/kiem-tra").status, 404)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM anon_attempts")[0][0], "0")

    def test_mark_read_refuses_cross_site(self):
        c = self.server.client()
        slug = self.lessons_of(c, "vssid")[0]
        form = c.get("/hoc/vssid/" + slug).read_form()
        r = c.post("/hoc/vssid/%s/da-hoc" % slug, form, headers={"Origin": "https://evil.example"})
        self.assertEqual(r.status, 403)
        r = c.post("/hoc/vssid/%s/da-hoc" % slug, form, headers={"Sec-Fetch-Site": "cross-site"})
        self.assertEqual(r.status, 403)
        r = c.post("/hoc/vssid/%s/da-hoc" % slug, form, headers={"Origin": "http://127.0.0.1:%d" % self.server.port,
                                                                   "Host": "127.0.0.1:%d" % self.server.port})
        self.assertEqual(r.status, 303)

    def test_anonymous_learner_to_certificate(self):
        s = self.server
        c = s.client()
        course = "vneid"
        lessons = self.lessons_of(c, course)
        self.assertGreaterEqual(len(lessons), 4)
        self.read_all(c, course, lessons)
        self.assertIn("hv_p", c.cookies)
        page = c.get("/hoc/" + course)
        self.assertIn("%d/%d" % (len(lessons), len(lessons)), page.text)
        # A forged progress cookie is ignored.
        forged = s.client()
        forged.cookies["hv_p"] = c.cookies["hv_p"][:-3] + "AAA"
        self.assertIn("0/%d" % len(lessons), forged.get("/hoc/" + course).text)
        r = self.pass_quiz(c, course)
        self.assertIn("Đăng ký để nhận chứng nhận", r.text)
        # Register: the progress is claimed and the certificate issued.
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Nguyễn Văn An", "phone": "0977111222", "pin": "258046",
                                                 "pin2": "258046", "consent": "yes"})
        self.assertEqual(r.status, 303)
        self.assertIn("/hoc-tap-cua-toi", r.header("Location"))
        mine = c.get(r.header("Location"))
        self.assertIn("Đã chuyển tiến độ học", mine.text)
        code = re.search(r"HV-[0-9A-Z]{4}-[0-9A-Z]{4}", mine.text).group(0)
        pdf = c.get("/chung-nhan/%s.pdf" % code)
        self.assertEqual(pdf.status, 200)
        self.assertEqual(pdf.header("Content-Type"), "application/pdf")
        self.assertTrue(pdf.body.startswith(b"%PDF-"))
        self.assertEqual(len(re.findall(rb"/Type\s*/Page[^s]", pdf.body)), 1)
        cred = c.get("/chung-nhan/%s.json" % code)
        self.assertEqual(cred.status, 200)
        self.assertEqual(cred.header("Content-Type"), "application/vc")
        doc = cred.json()
        self.assertIn("VerifiableCredential", doc["type"])
        self.assertIn("OpenBadgeCredential", doc["type"])
        self.assertEqual(doc["proof"]["cryptosuite"], "eddsa-jcs-2022")
        self.assertEqual(doc["credentialSubject"]["name"], "Nguyễn Văn An")
        tmp = tempfile.mkdtemp()
        good = os.path.join(tmp, "cert.json")
        with open(good, "wb") as f:
            f.write(cred.body)
        r = s.cli("cert", "verify", good)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("VALID", r.stdout)
        doc["credentialSubject"]["name"] = "Kẻ Giả Mạo"
        bad = os.path.join(tmp, "tampered.json")
        with open(bad, "w") as f:
            json.dump(doc, f, ensure_ascii=False)
        r = s.cli("cert", "verify", bad)
        self.assertEqual(r.returncode, 1)
        self.assertIn("INVALID", r.stdout)
        self.assertEqual(s.cli("cert", "verify", code).returncode, 0)
        self.assertEqual(s.cli("cert", "verify", code.lower().replace("-", " ")).returncode, 0)
        # Public verification shows the full name (so an edited printout
        # does not match), never the phone.
        v = s.client().get("/xac-thuc/" + code)
        self.assertEqual(v.status, 200)
        self.assertIn("Chứng nhận hợp lệ", v.text)
        self.assertIn("Nguyễn Văn An", v.text)
        self.assertNotIn("0977111222", v.text)
        st = s.client().get("/api/v1/certificates/" + code).json()
        self.assertEqual(st["status"], "valid")
        self.assertTrue(st["signature_valid"])
        # Someone else may not download it.
        other = s.client()
        other.form_post("/dang-ky", "/dang-ky", {"name": "Người Khác", "phone": "0977333444", "pin": "258046", "pin2": "258046", "consent": "yes"})
        self.assertEqual(other.get("/chung-nhan/%s.pdf" % code).status, 403)
        self.assertEqual(s.client().get("/chung-nhan/%s.pdf" % code).status, 303)
        # Revocation by an admin, with a reason.
        admin = s.client()
        admin.signin_admin()
        page = admin.get("/xac-thuc/" + code)
        r = admin.post("/xac-thuc/%s/thu-hoi" % code, {"_csrf": page.csrf(), "reason": "x"})
        self.assertEqual(r.status, 400)
        r = admin.post("/xac-thuc/%s/thu-hoi" % code, {"_csrf": page.csrf(), "reason": "Cấp nhầm người"})
        self.assertEqual(r.status, 303)
        v = s.client().get("/xac-thuc/" + code)
        self.assertIn("đã bị thu hồi", v.text)
        self.assertIn("Cấp nhầm người", v.text)
        r = s.cli("cert", "verify", good)
        self.assertEqual(r.returncode, 1)
        self.assertIn("REVOKED", r.stdout)
        # A learner may not revoke.
        r = c.post("/xac-thuc/%s/thu-hoi" % code, {"_csrf": c.get("/tai-khoan").csrf(), "reason": "Tự thu hồi"})
        self.assertEqual(r.status, 403)
        self.assertEqual(s.client().get("/xac-thuc/HV-2222-2222").status, 404)
        self.assertEqual(s.client().get("/xac-thuc/khong-phai-ma").status, 404)
        self.assertEqual(s.cli("cert", "verify", "HV-2222-2222").returncode, 1)
        shutil.rmtree(tmp)

    def test_civil_servant_certified_share(self):
        s = self.server
        # A group that is not in the list is refused; nothing is written.
        c = s.client()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Trần Thị Bình", "phone": "0977555666", "pin": "258046",
                                                 "pin2": "258046", "consent": "yes", "unit": "26740", "group": "king"})
        self.assertEqual(r.status, 400)
        self.assertIn("Bạn là", r.text)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM accounts WHERE phone = '0977555666'")[0][0], "0")
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Trần Thị Bình", "phone": "0977555666", "pin": "258046",
                                                 "pin2": "258046", "consent": "yes", "unit": "26740", "group": "civil_servant"})
        self.assertEqual(r.status, 303)
        self.read_all(c, "vneid", self.lessons_of(c, "vneid"))
        self.pass_quiz(c, "vneid")
        fd, path = tempfile.mkstemp(suffix=".csv")
        year = time.strftime("%Y", time.gmtime(time.time() + 7 * 3600))
        with os.fdopen(fd, "w") as f:
            f.write("unit_code,adults,civil_servants,pupils,year\n26740,5000,20,800,%s\n" % year)
        self.assertEqual(s.cli("import", "population", path).returncode, 0)
        os.unlink(path)
        admin = s.client()
        admin.signin_admin()
        ind = {x["code"]: x for x in admin.get("/api/v1/units/26740/indicators?period=" + year).json()}
        self.assertEqual(ind["civil_servants_certified_pct"]["value"], 5.0)  # 1 of 20
        self.assertEqual(ind["pupils_certified_pct"]["value"], 0.0)
        self.assertEqual(ind["people_certified"]["value"], 1)
        self.assertIsNone(ind["civil_servants_certified_pct"]["target"])
        self.assertEqual(admin.get("/api/v1/units/26740/indicators?group=king").status, 400)
        self.assertEqual(admin.get("/api/v1/units/26740/indicators?group=pupil&organisation=3").status, 400)
        self.assertEqual(admin.get("/api/v1/units/26740/indicators?organisation=x").status, 400)
        g = {x["code"]: x for x in admin.get("/api/v1/units/26740/indicators?group=civil_servant&period=" + year).json()}
        self.assertEqual(g["people_certified"]["value"], 1)
        self.assertEqual(g["registered_learners"]["value"], 1)
        self.assertEqual(s.cli("indicators", "verify").returncode, 0)

    def test_signed_in_learner_and_reimport_keeps_progress(self):
        s = self.server
        c = s.client()
        c.form_post("/dang-ky", "/dang-ky", {"name": "Trần Thị Bình", "phone": "0966555444", "pin": "314159", "pin2": "314159", "consent": "yes"})
        course = "mat-khau-xac-thuc"
        lessons = self.lessons_of(c, course)
        self.read_all(c, course, lessons[:-1])
        last = c.get("/hoc/%s/%s" % (course, lessons[-1])).read_form()  # opened before the re-import
        self.pass_quiz(c, course)
        mine = c.get("/hoc-tap-cua-toi")
        self.assertNotRegex(mine.text, r"HV-[0-9A-Z]{4}-[0-9A-Z]{4}")  # one lesson unread: not complete yet
        # Re-import with one lesson changed: ids stay, progress stays.
        tmp = tempfile.mkdtemp()
        pack = os.path.join(tmp, "content")
        shutil.copytree(CONTENT, pack)
        first = sorted(f for f in os.listdir(os.path.join(pack, course)) if f[:2].isdigit())[0]
        with open(os.path.join(pack, course, first), "a", encoding="utf-8") as f:
            f.write("\nMột dòng mới được thêm khi cập nhật bài.\n")
        r = s.cli("import", "content", pack)
        self.assertEqual(r.returncode, 0, r.stderr)
        # This lesson, and any other an editor changed earlier in this run.
        self.assertGreaterEqual(int(re.search(r"(\d+) updated", r.stdout).group(1)), 1)
        shutil.rmtree(tmp)
        import time
        time.sleep(1.1)
        page = c.get("/hoc/" + course)
        self.assertIn("%d/%d" % (len(lessons) - 1, len(lessons)), page.text)
        r = c.post("/hoc/%s/%s/da-hoc" % (course, lessons[-1]), last)
        self.assertEqual(r.headers_all("Location")[0], "/hoc-tap-cua-toi")
        mine = c.get("/hoc-tap-cua-toi")
        self.assertRegex(mine.text, r"HV-[0-9A-Z]{4}-[0-9A-Z]{4}")

    def bad_pack(self, mutate):
        tmp = tempfile.mkdtemp()
        pack = os.path.join(tmp, "content")
        shutil.copytree(CONTENT, pack)
        mutate(pack)
        r = self.server.cli("import", "content", pack)
        shutil.rmtree(tmp)
        return r

    def test_import_validation(self):
        before = self.server.sql("SELECT COUNT(*), MAX(updated_at) FROM lessons")

        def edit(path, old, new):
            def f(pack):
                p = os.path.join(pack, path)
                with open(p, encoding="utf-8") as fh:
                    t = fh.read()
                assert old in t, (path, old)
                with open(p, "w", encoding="utf-8") as fh:
                    fh.write(t.replace(old, new, 1))
            return f

        vneid_first = sorted(f for f in os.listdir(os.path.join(CONTENT, "vneid")) if f[:2].isdigit())[0]
        cases = [
            ("bad front matter", edit("vneid/" + vneid_first, "title:", "title: [oops"), r"vneid/%s:\d+" % vneid_first),
            ("unknown field", edit("vneid/" + vneid_first, "minutes:", "colour: red\nminutes:"), "unknown field"),
            ("unknown domain", edit("vneid/" + vneid_first, "domain: ", "domain: magic_"), "unknown domain"),
            ("no right answer", edit("vneid/quiz.md", "correct: true", "correct: false"), "no right answer"),
            ("javascript link", edit("vneid/" + vneid_first, "\n## ", "\n[bấm](javascript:alert(1))\n\n## "), "only use http"),
            ("missing quiz", lambda pack: os.unlink(os.path.join(pack, "vssid", "quiz.md")), "quiz.md"),
        ]
        for what, mutate, expect in cases:
            r = self.bad_pack(mutate)
            self.assertEqual(r.returncode, 1, what)
            self.assertRegex(r.stderr, expect, what)
            self.assertIn("nothing was imported", r.stderr, what)
        # Duplicate slug across two files.
        def dup(pack):
            src = os.path.join(pack, "vneid", vneid_first)
            shutil.copy(src, os.path.join(pack, "vneid", "99-ban-sao.md"))
            edit("vneid/99-ban-sao.md", "order:", "order: 99\nx_order:")(pack)
        r = self.bad_pack(dup)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, "already used|does not match|unknown field")
        self.assertEqual(self.server.sql("SELECT COUNT(*), MAX(updated_at) FROM lessons"), before)
        r = self.server.cli("import", "content", "/nonexistent-folder")
        self.assertEqual(r.returncode, 1)


class Editor(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.cli("user", "add", "bientap", "--name", "Biên Tập Viên", "--unit", "VN", "--role", "editor",
                           "--password-stdin", input="mat-khau-bien-tap-1\n")
        assert r.returncode == 0, r.stderr
        r = cls.server.cli("user", "add", "tnv.x", "--name", "Tình Nguyện", "--unit", "79", "--role", "volunteer",
                           "--password-stdin", input="mat-khau-tnv-12345\n")
        assert r.returncode == 0, r.stderr

    def signin(self, login, pw):
        c = self.server.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": login, "password": pw})
        self.assertEqual(r.status, 303)
        return c

    def test_only_editors_edit(self):
        v = self.signin("tnv.x", "mat-khau-tnv-12345")
        self.assertEqual(v.get("/bien-tap").status, 403)
        self.assertEqual(v.get("/bien-tap/bai/cai-dat-vneid").status, 403)
        r = v.post("/bien-tap/bai/cai-dat-vneid", {"_csrf": v.get("/tai-khoan").csrf(), "action": "publish", "title": "Hỏng"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.client().get("/bien-tap").status, 303)

    def test_edit_preview_publish_draft_versions(self):
        c = self.signin("bientap", "mat-khau-bien-tap-1")
        page = c.get("/bien-tap")
        self.assertEqual(page.status, 200)
        slug = "cai-dat-vneid"
        form = c.get("/bien-tap/bai/" + slug)
        self.assertEqual(form.status, 200)
        body = re.search(r'<textarea id="body" name="body"[^>]*>(.*?)</textarea>', form.text, re.S).group(1)
        import html as htmlmod
        body = htmlmod.unescape(body)
        fields = {"_csrf": form.csrf(), "title": "Cài đặt ứng dụng VNeID", "module": "Bắt đầu với VNeID", "minutes": "6",
                  "level": "1", "domain": "data_information", "track_citizen": "1", "video": "",
                  "body": body + "\n\nĐoạn mới: **hãy hỏi con cháu** nếu chưa rõ.\n"}
        r = c.post("/bien-tap/bai/" + slug, dict(fields, action="preview"))
        self.assertEqual(r.status, 200)
        self.assertIn("<strong>hãy hỏi con cháu</strong>", r.text)
        r = c.post("/bien-tap/bai/" + slug, dict(fields, action="publish"))
        self.assertEqual(r.status, 303)
        self.assertIn('role="status">Đã lưu.</p>', c.get(r.header("Location")).text)
        anon = self.server.client()
        self.assertIn("hãy hỏi con cháu", anon.get("/hoc/vneid/" + slug).text)
        r = c.post("/bien-tap/bai/" + slug, dict(fields, body="[x](javascript:alert(1)) " + "chữ " * 10, action="publish"))
        self.assertEqual(r.status, 400)
        r = c.post("/bien-tap/bai/" + slug, dict(fields, minutes="999", action="publish"))
        self.assertEqual(r.status, 400)
        r = c.post("/bien-tap/bai/" + slug, dict(fields, action="xoa-het"))
        self.assertEqual(r.status, 400)
        self.assertIn("Hãy bấm một trong các nút", r.text)
        r = c.post("/bien-tap/bai/" + slug, dict(fields, title="<script>alert(1)</script>", action="draft"))
        self.assertEqual(r.status, 303)
        import time
        time.sleep(1.1)
        self.assertEqual(anon.get("/hoc/vneid/" + slug).status, 404)
        page = c.get("/bien-tap/bai/" + slug)
        self.assertIn("&lt;script&gt;", page.text)
        self.assertNotIn("<script>alert", page.text)
        self.assertGreaterEqual(page.text.count("<tr><td>"), 3)  # every version kept
        r = c.post("/bien-tap/bai/" + slug, dict(fields, action="publish"))
        self.assertEqual(r.status, 303)
        # A new lesson.
        form = c.get("/bien-tap/bai-moi?khoa=vneid")
        self.assertEqual(form.status, 200)
        r = c.post("/bien-tap/bai-moi", dict(fields, _csrf=form.csrf(), course="vneid", slug="bai-moi-thu", action="publish"))
        self.assertEqual(r.status, 303)
        self.assertEqual(anon.get("/hoc/vneid/bai-moi-thu").status, 200)
        r = c.post("/bien-tap/bai-moi", dict(fields, _csrf=form.csrf(), course="vneid", slug="Bad Slug", action="publish"))
        self.assertEqual(r.status, 400)
        r = c.post("/bien-tap/bai-moi", dict(fields, _csrf=form.csrf(), course="vneid", slug="bai-moi-thu", action="publish"))
        self.assertEqual(r.status, 409)

    def test_edit_quiz(self):
        c = self.signin("bientap", "mat-khau-bien-tap-1")
        page = c.get("/bien-tap/kiem-tra/vssid")
        self.assertEqual(page.status, 200)
        import html as htmlmod
        src = htmlmod.unescape(re.search(r'<textarea id="source" name="source"[^>]*>(.*?)</textarea>', page.text, re.S).group(1))
        bad = src.replace("correct: true", "correct: false")
        r = c.post("/bien-tap/kiem-tra/vssid", {"_csrf": page.csrf(), "source": bad, "action": "publish"})
        self.assertEqual(r.status, 400)
        self.assertIn("no right answer", r.text)
        r = c.post("/bien-tap/kiem-tra/vssid", {"_csrf": page.csrf(), "source": src.replace("\n", "\r\n"), "action": "publish"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.client().get("/hoc/vssid/kiem-tra").status, 200)


if __name__ == "__main__":
    main()
