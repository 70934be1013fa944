"""test_practice.py: practice simulations ("Thực hành"): the shipped pack's
simulations are imported and served; a step's tap areas are form buttons
(CSRF); a right answer goes on, a wrong one shows the hint and counts a
miss, "show me" outlines the right area; a step not reached is 409 and
counts nothing; completion is recorded once.  Import validation: a step
pointing at a missing screen, an area outside the screen, a missing text
alternative each fail with the file and step named, nothing imported."""
import os
import re
import shutil
import tempfile

from harness import Client, ServerTest, ZZCleanExit, fresh_source, main  # noqa: F401

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
SIMS = {
    "vneid": "cai-vneid-tu-kho-chinh-thuc",
    "thanh-toan-khong-tien-mat": "tra-tien-bang-qr",
    "lua-dao-truc-tuyen": "nhan-ra-tin-nhan-cuoc-goi-lua-dao",
    "dien-thoai-thong-minh": "dat-khoa-man-hinh-manh",
}
QR = "/thuc-hanh/thanh-toan-khong-tien-mat/tra-tien-bang-qr/"


class Practice(ServerTest):
    def count(self, table, where="1=1", *args):
        return int(self.server.sql("SELECT COUNT(*) FROM %s WHERE %s" % (table, where), *args)[0][0])

    def test_pack_has_four_simulations_linked_from_courses(self):
        self.assertGreaterEqual(self.count("simulations"), 4)
        self.assertGreaterEqual(self.count("simulation_versions"), self.count("simulations"))
        c = Client(self.server.port)
        for course, sim in SIMS.items():
            r = c.get("/hoc/" + course)
            self.assertEqual(r.status, 200)
            self.assertIn("/thuc-hanh/%s/%s/1" % (course, sim), r.text)

    def step(self, c, n, **fields):
        page = c.get(QR + str(n))
        self.assertEqual(page.status, 200, page.text[:300])
        f = dict(fields)
        f["_csrf"] = page.csrf()
        return c.post(QR + str(n), f)

    def test_step_flow_right_wrong_show_and_completion(self):
        c = Client(self.server.port, source=fresh_source())
        page = c.get(QR + "1")
        self.assertEqual(page.status, 200)
        # The areas are labelled submit buttons, the screen has its text alternative.
        self.assertIn('name="tap" value="2"', page.text)
        self.assertIn('aria-label="Quét QR"', page.text)
        self.assertIn('alt="Trang chính ứng dụng ngân hàng', page.text)
        css = re.search(r'href="(/thuc-hanh/[^"]+\.css)"', page.text).group(1)
        r = c.get(css)
        self.assertEqual(r.status, 200)
        self.assertIn(".s1 .a2{left:51.389%;top:34.375%", r.text)
        # No CSRF: refused, nothing counted.
        self.assertEqual(c.post(QR + "1", {"tap": "2"}).status, 403)
        # A wrong tap: the hint, a miss counted, still on step 1.
        r = self.step(c, 1, tap="1")
        self.assertEqual(r.status, 200)
        self.assertIn("Nút Quét QR màu đỏ ở bên phải", r.text)
        self.assertIn('role="alert"', r.text)
        learner = self.server.sql("SELECT learner, misses, next FROM practice_runs ORDER BY updated_at DESC LIMIT 1")[0]
        self.assertEqual((int(learner[1]), int(learner[2])), (1, 1))
        # A step not reached: 409, nothing counted.
        r = self.step(c, 1, tap="2")
        self.assertEqual((r.status, r.header("Location")), (303, QR + "2"))
        before = self.server.sql("SELECT next, misses, shown FROM practice_runs WHERE learner = ?", learner[0])
        page = c.get(QR + "1")
        for n in (3, 6):
            r = c.post(QR + str(n), {"_csrf": page.csrf(), "text": "150000"})
            self.assertEqual(r.status, 409, r.text[:200])
            self.assertIn("chưa đến bước này", r.text)
        self.assertEqual(self.server.sql("SELECT next, misses, shown FROM practice_runs WHERE learner = ?", learner[0]), before)
        # GET of a step not reached goes back to the learner's step.
        r = c.get(QR + "5")
        self.assertEqual((r.status, r.header("Location")), (303, QR + "2"))
        # Show me: the right area outlined.
        r = self.step(c, 2, show="1")
        self.assertEqual(r.status, 200)
        self.assertRegex(r.text, r'value="1" class="area a1 lit"')
        # Bad answers: 4xx, nothing counted.
        self.assertEqual(self.step(c, 2, tap="9").status, 400)
        self.assertEqual(self.step(c, 2, tap="x").status, 400)
        self.assertEqual(self.step(c, 2, tap="1").status, 303)
        # Typing: diacritics and case do not matter, the number does.
        r = self.step(c, 3, text="15000")
        self.assertIn("150000", r.text)
        self.assertEqual(self.step(c, 3, text=" 150000 ").status, 303)
        self.assertEqual(self.step(c, 4, choice="1").status, 200)
        self.assertEqual(self.step(c, 4, choice="2").status, 303)
        self.assertEqual(self.step(c, 5, tap="1").status, 303)
        self.assertEqual(self.count("practice_done", "learner = ?", learner[0]), 0)
        r = self.step(c, 6, tap="1")
        self.assertEqual((r.status, r.header("Location")), (303, QR + "xong"))
        done = self.server.sql("SELECT clean, account_id FROM practice_done WHERE learner = ?", learner[0])
        self.assertEqual(len(done), 1)
        self.assertEqual(int(done[0][0]), 0)
        r = c.get(QR + "xong")
        self.assertEqual(r.status, 200)
        self.assertIn("Bạn đã làm được", r.text)
        # Again from the start, without a mistake: still one record, now clean.
        for n, f in ((1, {"tap": "2"}), (2, {"tap": "1"}), (3, {"text": "150000"}), (4, {"choice": "2"}), (5, {"tap": "1"}),
                     (6, {"tap": "1"})):
            self.assertEqual(self.step(c, n, **f).status, 303, n)
        done = self.server.sql("SELECT clean FROM practice_done WHERE learner = ?", learner[0])
        self.assertEqual((len(done), int(done[0][0])), (1, 1))

    def test_unknown_simulation_and_step(self):
        c = Client(self.server.port)
        self.assertEqual(c.get("/thuc-hanh/vneid/khong-co/1").status, 404)
        self.assertEqual(c.get(QR + "0").status, 404)
        self.assertEqual(c.get(QR + "7").status, 404)
        self.assertEqual(c.get("/thuc-hanh/vneid/tra-tien-bang-qr/1").status, 404)

    def bad_pack(self, edit):
        """Copies content/ into a temporary folder, applies edit(root),
        imports it; returns the CLI result."""
        tmp = tempfile.mkdtemp(prefix="hv-pack-")
        root = os.path.join(tmp, "pack")
        shutil.copytree(os.path.join(ROOT, "content"), root)
        edit(root)
        r = self.server.cli("import", "content", root)
        shutil.rmtree(tmp)
        return r

    def replace(self, root, old, new):
        path = os.path.join(root, "thanh-toan-khong-tien-mat", "thuc-hanh", "01-tra-tien-bang-qr.md")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    def test_import_refuses_bad_simulations(self):
        versions = self.count("simulation_versions")
        f = "thanh-toan-khong-tien-mat/thuc-hanh/01-tra-tien-bang-qr.md"
        cases = [
            (lambda r: self.replace(r, "img/th-qr-3-so-tien.svg", "img/khong-co.svg"),
             f + ": step 3: the screen img/khong-co.svg is missing"),
            (lambda r: self.replace(r, "{label: \"Đèn\", x: 190, y: 540", "{label: \"Đèn\", x: 300, y: 540"),
             f + ": step 2: the target area 'Đèn' (x 300, y 540, 150×60) lies outside the screen"),
            (lambda r: self.replace(r, "    alt: \"Trang xác nhận chuyển tiền: người nhận TRAN", "    x_alt: \"TRAN"),
             f + ":"),
            (lambda r: self.replace(r, "    alt: \"Trang xác nhận chuyển tiền: người nhận TRAN VAN HUNG, tài khoản 0987 654 321, "
                                       "số tiền 150.000 đồng; nút Xác nhận và Hủy.\"\n", ""),
             "step 4: the field 'alt' is missing (the text alternative"),
            (lambda r: self.replace(r, "correct: true}\n      - {label: \"Ảnh có sẵn\"", "}\n      - {label: \"Ảnh có sẵn\""),
             "step 2: exactly one area must be correct"),
            (lambda r: self.replace(r, "w: 150, h: 60}\n      - {label: \"Đèn\"", "w: 150, h: 30}\n      - {label: \"Đèn\""),
             "step 2: the area 'Ảnh có sẵn' is 150×30"),
        ]
        for edit, message in cases:
            r = self.bad_pack(edit)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(message, r.stderr)
            self.assertIn("nothing was imported", r.stderr)
        self.assertEqual(self.count("simulation_versions"), versions)
        # The shipped pack again: nothing changed, nothing counted.
        r = self.server.cli("import", "content", os.path.join(ROOT, "content"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 simulations changed", r.stdout)
        # A changed simulation: a new version, kept.
        r = self.bad_pack(lambda root: self.replace(root, "Gõ số tiền phải trả", "Hãy gõ số tiền phải trả"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 simulations changed", r.stdout)
        self.assertEqual(self.count("simulation_versions"), versions + 1)
        self.assertEqual(self.count("simulations", "slug = 'tra-tien-bang-qr' AND version = 2"), 1)

    def test_course_can_require_its_practice(self):
        """practice: required in course.md: lessons read and quiz passed do
        not complete the course until the simulations are done; the last
        right answer completes it and issues the certificate."""
        import quizbank
        course = "thanh-toan-khong-tien-mat"

        def require(root, practice="required", drop_sims=False):
            path = os.path.join(root, course, "course.md")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("pass_mark:", "practice: %s\npass_mark:" % practice, 1))
            if drop_sims:
                shutil.rmtree(os.path.join(root, course, "thuc-hanh"))

        r = self.bad_pack(lambda root: require(root, "maybe"))
        self.assertIn(course + "/course.md:", r.stderr)
        self.assertIn("'practice' must be required or optional", r.stderr)
        r = self.bad_pack(lambda root: require(root, drop_sims=True))
        self.assertIn("'practice: required' but the course has no simulation", r.stderr)
        self.assertEqual(self.count("courses", "needs_practice = 1"), 0)
        r = self.bad_pack(require)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.count("courses", "needs_practice = 1 AND slug = ?", course), 1)
        import time
        time.sleep(1.1)  # the catalogue reloads
        c = Client(self.server.port, source=fresh_source())
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Lê Thị Thực", "phone": "0977111222", "pin": "271828", "pin2": "271828",
                                                 "consent": "yes"})
        self.assertEqual(r.status, 303, r.text[:300])
        page = c.get("/hoc/" + course)
        self.assertIn("bạn cần làm xong các bài thực hành", page.text)
        for slug in [s for s in dict.fromkeys(re.findall(r'href="/hoc/%s/([a-z0-9-]+)"' % course, page.text)) if s != "kiem-tra"]:
            lesson = c.get("/hoc/%s/%s" % (course, slug))
            self.assertEqual(c.post("/hoc/%s/%s/da-hoc" % (course, slug), lesson.read_form()).status, 303)
        bank = quizbank.bank(course)
        form = quizbank.parse_form(c.get("/hoc/%s/kiem-tra" % course).text)
        self.assertEqual(c.post("/hoc/%s/kiem-tra" % course, quizbank.answers(bank, form)).status, 303)
        account = self.server.sql("SELECT id FROM accounts WHERE display_name = ?", "Lê Thị Thực")[0][0]
        cid = self.server.sql("SELECT id FROM courses WHERE slug = ?", course)[0][0]
        self.assertEqual(self.count("completions", "account_id = ? AND course_id = ?", account, cid), 0)
        for n, f in ((1, {"tap": "2"}), (2, {"tap": "1"}), (3, {"text": "150000"}), (4, {"choice": "2"}), (5, {"tap": "1"})):
            self.assertEqual(self.step(c, n, **f).status, 303, n)
        self.assertEqual(self.count("completions", "account_id = ? AND course_id = ?", account, cid), 0)
        r = self.step(c, 6, tap="1")
        self.assertEqual((r.status, r.header("Location")), (303, "/hoc-tap-cua-toi"))
        self.assertEqual(self.count("completions", "account_id = ? AND course_id = ?", account, cid), 1)
        self.assertEqual(self.count("practice_done", "account_id = ? AND learner = ?", account, "a" + account), 1)
        r = self.server.cli("import", "content", os.path.join(ROOT, "content"))
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    main()
