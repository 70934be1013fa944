"""test_classes.py: mobile classes: scheduling with bad inputs and scope,
the public listing by unit and day, registration (capacity, double
registration, cancel), QR check-in with the rotating token (forged and
expired tokens), ticking names and the anonymous head count, the two
indicators and `indicators verify`, the printables (attendance sheet,
handouts, poster: %PDF and page counts), and the touch point page."""
import datetime
import hashlib
import hmac
import re
import time
import urllib.parse

from harness import ServerTest, ZZCleanExit, main  # noqa: F401

PASSWORD = "mat-khau-dai-12345"
ROWS_FIRST, ROWS_NEXT = 20, 26  # src/domain/help/class_pdf.h


def local(t):
    """Unix time as the form's Vietnam-time "YYYY-MM-DDTHH:MM"."""
    return datetime.datetime.fromtimestamp(t, datetime.timezone(datetime.timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M")


def quarter(t):
    d = datetime.datetime.fromtimestamp(t, datetime.timezone(datetime.timedelta(hours=7)))
    return "%dQ%d" % (d.year, (d.month - 1) // 3 + 1)


def pages(pdf):
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


class Classes(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        kids = s.client().get("/api/v1/units/79/children").json()
        cls.ward_a, cls.ward_b = kids[0]["code"], kids[1]["code"]
        for login, role, unit in (("tnv.a", "volunteer", cls.ward_a), ("tnv.b", "volunteer", cls.ward_b),
                                  ("dp.a", "coordinator", cls.ward_a), ("dp.b", "coordinator", cls.ward_b)):
            r = s.cli("user", "add", login, "--name", "Người " + login, "--unit", unit, "--role", role,
                      "--password-stdin", input=PASSWORD + "\n")
            assert r.returncode == 0, r.stderr
        cls.staff = {}
        for login in ("tnv.a", "tnv.b", "dp.a", "dp.b"):
            c = s.client()
            r = c.form_post("/dang-nhap", "/dang-nhap", {"login": login, "password": PASSWORD})
            assert r.status == 303, r.text[:300]
            cls.staff[login] = c
        for unit, who, name in ((cls.ward_a, "dp.a", "Nhà văn hóa khu phố 1"), (cls.ward_b, "dp.b", "Điểm chạm B")):
            r = cls.staff[who].form_post("/diem-cham?don-vi=" + unit, "/diem-cham",
                                         {"unit": unit, "name": name, "address": "12 Lê Lợi, khu phố 1",
                                          "hours": "7:30–17:00, thứ Hai – thứ Sáu", "lat": "10.776", "lon": "106.700", "wifi": "1"})
            assert r.status == 303, r.text[:500]
        rows = s.sql("SELECT id, unit_code FROM touch_points ORDER BY id")
        cls.point = {u: int(i) for i, u in rows}
        course = s.sql("SELECT id, slug FROM courses WHERE published = 1 ORDER BY id LIMIT 1")[0]
        cls.course_id, cls.course_slug = int(course[0]), course[1]
        cls.learners = []
        for i in range(4):
            c = s.client()
            r = c.form_post("/dang-ky", "/dang-ky", {"name": "Học viên %d" % i, "phone": "09120003%02d" % i, "pin": "804613",
                                                     "pin2": "804613", "consent": "yes"})
            assert r.status == 303, r.text[:300]
            cls.learners.append(c)
        cls.learner_ids = [int(s.sql("SELECT id FROM accounts WHERE phone = ?", "09120003%02d" % i)[0][0]) for i in range(4)]

    # ---- helpers ----

    def schedule(self, who="tnv.a", unit=None, **over):
        start = int(time.time()) + 2 * 86400
        f = {"title": "Lớp VNeID cho người cao tuổi", "course": str(self.course_id),
             "touch_point": str(self.point[unit or self.ward_a]), "start": local(start), "end": local(start + 7200),
             "capacity": "2"}
        f.update(over)
        c = self.staff[who]
        return c.form_post("/lop-hoc/moi?don-vi=" + (unit or self.ward_a), "/lop-hoc/moi", f)

    def new_class(self, **over):
        r = self.schedule(**over)
        self.assertEqual(r.status, 303, r.text[:800])
        m = re.match(r"/lop-hoc/(\d+)$", r.header("Location"))
        self.assertTrue(m, r.header("Location"))
        return int(m.group(1))

    def nclasses(self):
        return int(self.server.sql("SELECT COUNT(*) FROM classes")[0][0])

    def agg(self, cid, indicator):
        start, unit = self.server.sql("SELECT starts_at, unit_code FROM classes WHERE id = ?", cid)[0]
        rows = self.server.sql("SELECT value FROM agg WHERE unit_code = ? AND period = ? AND indicator = ?",
                               unit, quarter(int(start)), indicator)
        return int(rows[0][0]) if rows else 0

    def post_page(self, c, page, action, fields):
        return c.form_post(page, action, fields)

    def register(self, i, cid, action="dang-ky"):
        return self.post_page(self.learners[i], "/lop-hoc/%d" % cid, "/lop-hoc/%d/%s" % (cid, action), {})

    def token(self, cid, minute):
        secret = bytes.fromhex(self.server.sql("SELECT value FROM settings WHERE key = 'server_secret'")[0][0])
        mac = hmac.new(secret, ("checkin:%d:%d" % (cid, minute)).encode(), hashlib.sha256).hexdigest()[:16]
        return "%d-%s" % (minute, mac)

    # ---- scheduling ----

    def test_schedule_bad_inputs(self):
        n = self.nclasses()
        start = int(time.time()) + 86400
        cases = [
            ({"title": "abc"}, "5 đến 120"), ({"title": "x" * 121}, "5 đến 120"),
            ({"course": "999999"}, "khóa học"), ({"course": "abc"}, "khóa học"),
            ({"touch_point": "999999"}, "điểm chạm"), ({"touch_point": ""}, "điểm chạm"),
            ({"start": "2026-13-01T08:00"}, "giờ bắt đầu"), ({"start": "tomorrow"}, "giờ bắt đầu"),
            ({"start": local(start), "end": local(start - 60)}, "sau giờ bắt đầu"),
            ({"start": local(start), "end": local(start)}, "sau giờ bắt đầu"),
            ({"start": local(start), "end": "2026-02-31T10:00"}, "sau giờ bắt đầu"),
            ({"capacity": "0"}, "1 đến 1000"), ({"capacity": "1001"}, "1 đến 1000"), ({"capacity": "ba"}, "1 đến 1000"),
            ({"organisation": "999999"}, "tổ chức"), ({"organisation": "x"}, "tổ chức"),
        ]
        for over, msg in cases:
            r = self.schedule(**over)
            self.assertEqual(r.status, 400, (over, r.status, r.text[:300]))
            self.assertIn(msg, r.text, over)
            self.assertIn('class="error"', r.text)
        self.assertEqual(self.nclasses(), n)
        # A volunteer of ward B may not use ward A's touch point, nor open A's form.
        r = self.schedule(who="tnv.b", unit=self.ward_a)
        self.assertEqual(r.status, 403)
        r = self.staff["tnv.b"].form_post("/lop-hoc/moi", "/lop-hoc/moi",
                                          {"title": "Lớp học thử ở phường khác", "course": str(self.course_id),
                                           "touch_point": str(self.point[self.ward_a]), "start": local(start),
                                           "end": local(start + 3600), "capacity": "5"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.nclasses(), n)
        # Learners and anonymous visitors cannot schedule.
        self.assertEqual(self.learners[0].get("/lop-hoc/moi").status, 403)
        self.assertEqual(self.server.client().get("/lop-hoc/moi").status, 303)
        # English messages for an English visitor.
        c = self.staff["tnv.a"]
        c.cookies["hv_lang"] = "en"
        try:
            r = self.schedule(capacity="0")
            self.assertEqual(r.status, 400)
            self.assertIn("between 1 and 1000", r.text)
        finally:
            c.cookies.pop("hv_lang", None)

    def test_list_and_page(self):
        title = "Lớp thanh toán không tiền mặt %d" % time.time_ns()
        start = int(time.time()) + 3 * 86400
        cid = self.new_class(title=title, start=local(start), end=local(start + 5400))
        c = self.server.client()
        for unit in (self.ward_a, "79", "VN"):
            r = c.get("/lop-hoc?don-vi=" + unit)
            self.assertEqual(r.status, 200)
            self.assertIn(title, r.text, unit)
        self.assertNotIn(title, c.get("/lop-hoc?don-vi=" + self.ward_b).text)
        self.assertIn(title, c.get("/lop-hoc").text)
        day = local(start)[:10]
        self.assertIn(title, c.get("/lop-hoc?don-vi=%s&ngay=%s" % (self.ward_a, day)).text)
        other = local(start + 86400 * 5)[:10]
        self.assertNotIn(title, c.get("/lop-hoc?don-vi=%s&ngay=%s" % (self.ward_a, other)).text)
        r = c.get("/lop-hoc?ngay=01-12-2026")
        self.assertEqual(r.status, 400)
        self.assertIn("2026-12-01", r.text)
        self.assertEqual(c.get("/lop-hoc?don-vi=99999").status, 404)
        # Upcoming first: an earlier class comes before.
        early = self.new_class(title="Lớp sớm hơn %d" % time.time_ns(), start=local(start - 3600), end=local(start - 60))
        text = c.get("/lop-hoc?don-vi=" + self.ward_a).text
        self.assertLess(text.index("/lop-hoc/%d\"" % early), text.index("/lop-hoc/%d\"" % cid))
        r = c.get("/lop-hoc/%d" % cid)
        self.assertEqual(r.status, 200)
        self.assertIn(title, r.text)
        self.assertIn("Nhà văn hóa khu phố 1", r.text)
        self.assertIn("/dang-nhap/hoc-vien?next=", r.text)
        self.assertNotIn("/diem-danh", r.text)
        self.assertIn("/lop-hoc/%d/diem-danh" % cid, self.staff["tnv.a"].get("/lop-hoc/%d" % cid).text)
        self.assertNotIn("/lop-hoc/%d/diem-danh" % cid, self.staff["tnv.b"].get("/lop-hoc/%d" % cid).text)
        for bad in ("999999", "abc", "0", "-1"):
            self.assertEqual(c.get("/lop-hoc/" + bad).status, 404, bad)

    # ---- registration ----

    def test_registration_capacity_double_cancel(self):
        cid = self.new_class(capacity="2")
        self.assertEqual(self.register(0, cid).status, 303)
        r = self.register(0, cid)
        self.assertEqual(r.status, 409)
        self.assertIn("đã đăng ký lớp này rồi", r.text)
        self.assertEqual(self.register(1, cid).status, 303)
        r = self.register(2, cid)
        self.assertEqual(r.status, 409)
        self.assertIn("đủ chỗ", r.text)
        rows = self.server.sql("SELECT registered FROM classes WHERE id = ?", cid)
        self.assertEqual(rows[0][0], "2")
        self.assertEqual(len(self.server.sql("SELECT 1 FROM class_registrations WHERE class_id = ?", cid)), 2)
        # Cancel frees the seat.
        self.assertEqual(self.register(0, cid, "huy").status, 303)
        r = self.register(0, cid, "huy")
        self.assertEqual(r.status, 404)
        self.assertIn("chưa đăng ký", r.text)
        self.assertEqual(self.register(2, cid).status, 303)
        page = self.learners[2].get("/lop-hoc/%d" % cid).text
        self.assertIn("/lop-hoc/%d/huy" % cid, page)
        self.assertEqual(self.server.sql("SELECT registered FROM classes WHERE id = ?", cid)[0][0], "2")
        # Anonymous: to sign-in; staff: 403; unknown class: 404.
        anon = self.server.client()
        r = anon.form_post("/dang-nhap/hoc-vien", "/lop-hoc/%d/dang-ky" % cid, {})
        self.assertEqual(r.status, 303)
        self.assertIn("/dang-nhap/hoc-vien", r.header("Location"))
        r = self.staff["tnv.a"].form_post("/lop-hoc/%d" % cid, "/lop-hoc/%d/dang-ky" % cid, {})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.learners[3].form_post("/lop-hoc", "/lop-hoc/999999/dang-ky", {}).status, 404)
        # Without the CSRF token nothing happens.
        self.assertEqual(self.learners[3].post("/lop-hoc/%d/dang-ky" % cid, {}).status, 403)

    # ---- attendance ----

    def test_qr_checkin(self):
        cid = self.new_class(capacity="3")
        self.assertEqual(self.register(0, cid).status, 303)
        r = self.staff["tnv.a"].get("/lop-hoc/%d/diem-danh" % cid)
        self.assertEqual(r.status, 200)
        self.assertIn("<svg", r.text)
        # Issue 20: no <meta refresh> (axe); the script reloads when the
        # minute turns, and a link gives a new code without it.
        self.assertNotIn('http-equiv="refresh"', r.text)
        self.assertRegex(r.text, r'<a class="btn" id="qr-refresh" data-seconds="\d+" href="/lop-hoc/%d/diem-danh">Lấy mã mới</a>' % cid)
        paused = self.staff["tnv.a"].get("/lop-hoc/%d/diem-danh?dung=1" % cid)
        self.assertEqual(paused.status, 200)
        self.assertNotIn('http-equiv="refresh"', paused.text)
        self.assertNotIn('data-seconds', paused.text)
        self.assertIn("<svg", paused.text)
        m = re.search(r'href="[^"]*(/lop-hoc/%d/co-mat\?t=([0-9a-f-]+))"' % cid, r.text)
        self.assertTrue(m, r.text[-1500:])
        path, tok = m.group(1), m.group(2)
        minute = int(tok.split("-")[0])
        self.assertIn(minute, (int(time.time()) // 60, int(time.time()) // 60 - 1))
        self.assertEqual(tok, self.token(cid, minute))
        # Anonymous: sign in, then come back to the same address.
        anon = self.server.client()
        r = anon.get(path)
        self.assertEqual(r.status, 303)
        loc = r.header("Location")
        self.assertTrue(loc.startswith("/dang-nhap/hoc-vien?next="), loc)
        self.assertEqual(urllib.parse.unquote(loc.split("next=", 1)[1]), path)
        r = anon.form_post(loc, "/dang-nhap/hoc-vien", {"phone": "0912000301", "pin": "804613",
                                                         "next": urllib.parse.unquote(loc.split("next=", 1)[1])})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), path)
        before = self.agg(cid, "class_attendance")
        held = self.agg(cid, "classes_held")
        r = anon.get(path)
        self.assertEqual(r.status, 200)
        self.assertIn("/lop-hoc/%d/co-mat" % cid, r.text)
        r = anon.post("/lop-hoc/%d/co-mat" % cid, {"_csrf": r.csrf(), "t": tok})
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertIn("Đã điểm danh", r.text)
        r = anon.form_post(path, "/lop-hoc/%d/co-mat" % cid, {"t": tok})
        self.assertEqual(r.status, 200)
        self.assertIn("đã điểm danh lớp này rồi", r.text)
        rows = self.server.sql("SELECT account_id, how FROM class_attendance WHERE class_id = ?", cid)
        self.assertEqual(rows, [(str(self.learner_ids[1]), "qr")])
        self.assertEqual(self.agg(cid, "class_attendance"), before + 1)
        self.assertEqual(self.agg(cid, "classes_held"), held + 1)
        # Forged, malformed and expired tokens.
        learner = self.learners[0]
        minute = int(time.time()) // 60
        for bad in ("%d-%s" % (minute, "0" * 16), "garbage", "", self.token(cid + 1, minute), "%d-zz" % minute):
            r = learner.get("/lop-hoc/%d/co-mat?t=%s" % (cid, bad))
            self.assertEqual(r.status, 403, bad)
            self.assertIn("không đúng", r.text)
        r = learner.get("/lop-hoc/%d/co-mat?t=%s" % (cid, self.token(cid, minute - 5)))
        self.assertEqual(r.status, 400)
        self.assertIn("hết hạn", r.text)
        r = learner.form_post("/lop-hoc/%d" % cid, "/lop-hoc/%d/co-mat" % cid, {"t": self.token(cid, minute - 2)})
        self.assertEqual(r.status, 400)
        # The previous minute is still good.
        r = learner.get("/lop-hoc/%d/co-mat?t=%s" % (cid, self.token(cid, int(time.time()) // 60 - 1)))
        self.assertEqual(r.status, 200)
        self.assertEqual(len(self.server.sql("SELECT 1 FROM class_attendance WHERE class_id = ?", cid)), 1)
        # Staff do not check in as learners.
        self.assertEqual(self.staff["tnv.a"].get(path).status, 403)

    def test_scope_403_on_every_staff_route(self):
        cid = self.new_class()
        b = self.staff["tnv.b"]
        for p in ("/lop-hoc/%d/diem-danh", "/lop-hoc/%d/danh-sach", "/lop-hoc/%d/danh-sach.pdf"):
            self.assertEqual(b.get(p % cid).status, 403, p)
            self.assertEqual(self.staff["tnv.a"].get(p % cid).status, 200, p)
            self.assertEqual(self.learners[0].get(p % cid).status, 403, p)
            self.assertEqual(self.server.client().get(p % cid).status, 303, p)
            self.assertEqual(self.staff["tnv.a"].get(p % 999999).status, 404, p)
        r = b.form_post("/lop-hoc/%d" % cid, "/lop-hoc/%d/danh-sach" % cid, {"head_count": "9"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.sql("SELECT head_count FROM classes WHERE id = ?", cid)[0][0], "0")
        # The coordinator of ward A (not the organiser) runs it too.
        self.assertEqual(self.staff["dp.a"].get("/lop-hoc/%d/diem-danh" % cid).status, 200)

    def test_tick_and_head_count_indicators(self):
        cid = self.new_class(capacity="3")
        self.assertEqual(self.register(2, cid).status, 303)
        self.assertEqual(self.register(3, cid).status, 303)
        c = self.staff["tnv.a"]
        page = "/lop-hoc/%d/danh-sach" % cid
        base_att, base_held = self.agg(cid, "class_attendance"), self.agg(cid, "classes_held")
        r = c.get(page)
        self.assertIn("Học viên 2", r.text)
        # Someone not registered cannot be ticked; bad head counts are refused.
        r = c.form_post(page, page, {"p_%d" % self.learner_ids[0]: "1"})
        self.assertEqual(r.status, 400)
        self.assertIn("đã đăng ký", r.text)
        for bad in ("-1", "1001", "năm"):
            r = c.form_post(page, page, {"head_count": bad})
            self.assertEqual(r.status, 400, bad)
            self.assertIn("0 đến 1000", r.text)
        self.assertEqual(self.agg(cid, "class_attendance"), base_att)
        self.assertEqual(self.agg(cid, "classes_held"), base_held)
        r = c.form_post(page, page, {"p_%d" % self.learner_ids[2]: "1", "head_count": "5"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.agg(cid, "class_attendance"), base_att + 6)
        self.assertEqual(self.agg(cid, "classes_held"), base_held + 1)
        # Ticking again counts once; lowering the head count moves by the difference.
        r = c.form_post(page, page, {"p_%d" % self.learner_ids[2]: "1", "p_%d" % self.learner_ids[3]: "1", "head_count": "3"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.agg(cid, "class_attendance"), base_att + 5)
        self.assertEqual(self.agg(cid, "classes_held"), base_held + 1)
        rows = self.server.sql("SELECT account_id, how FROM class_attendance WHERE class_id = ? ORDER BY account_id", cid)
        self.assertEqual(rows, [(str(self.learner_ids[2]), "list"), (str(self.learner_ids[3]), "list")])
        self.assertIn("Số người tham dự: 5", c.get("/lop-hoc/%d/diem-danh" % cid).text)
        # The province and the nation follow.
        start = int(self.server.sql("SELECT starts_at FROM classes WHERE id = ?", cid)[0][0])
        prov = self.server.sql("SELECT value FROM agg WHERE unit_code = '79' AND period = ? AND indicator = 'class_attendance'",
                               quarter(start))
        self.assertGreaterEqual(int(prov[0][0]), 5)
        r = self.server.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # A head count alone makes a class held.
        cid2 = self.new_class()
        p2 = "/lop-hoc/%d/danh-sach" % cid2
        self.assertEqual(c.form_post(p2, p2, {"head_count": "0"}).status, 303)
        self.assertEqual(self.server.sql("SELECT held_at FROM classes WHERE id = ?", cid2)[0][0], "")
        self.assertEqual(c.form_post(p2, p2, {"head_count": "4"}).status, 303)
        self.assertNotEqual(self.server.sql("SELECT held_at FROM classes WHERE id = ?", cid2)[0][0], "")
        r = self.server.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_untick_attendance(self):
        """A name ticked by mistake is unticked on the list and attendance goes down by one; a
        learner's own QR check-in stays; a malformed list of shown names is refused (400, what to
        do) and changes nothing."""
        cid = self.new_class(capacity="3")
        for i in (0, 1, 2):
            self.assertEqual(self.register(i, cid).status, 303)
        c, ids = self.staff["tnv.a"], self.learner_ids
        page = "/lop-hoc/%d/danh-sach" % cid
        base = self.agg(cid, "class_attendance")
        tok = self.token(cid, int(time.time()) // 60)
        self.assertEqual(self.learners[2].form_post("/lop-hoc/%d" % cid, "/lop-hoc/%d/co-mat" % cid, {"t": tok}).status, 200)
        self.assertEqual(c.form_post(page, page, {"p_%d" % ids[0]: "1", "p_%d" % ids[1]: "1"}).status, 303)
        self.assertEqual(self.agg(cid, "class_attendance"), base + 3)
        r = c.get(page)
        m = re.search(r'name="shown" value="([0-9 ]*)"', r.text)
        self.assertEqual(sorted(m.group(1).split()), sorted([str(ids[0]), str(ids[1])]))
        self.assertIn('id="p_%d" name="p_%d" value="1" checked' % (ids[1], ids[1]), r.text)
        self.assertIn('id="p_%d" checked disabled' % ids[2], r.text)
        for bad in ("abc", "-1", "%d x" % ids[0], "9" * 30):
            r = c.form_post(page, page, {"shown": bad, "p_%d" % ids[0]: "1"})
            self.assertEqual(r.status, 400, bad)
            self.assertIn("tải lại trang", r.text)
        self.assertEqual(self.agg(cid, "class_attendance"), base + 3)
        # Learner 1 unticked; the QR check-in named in the list too stays.
        r = c.form_post(page, page, {"shown": " %d  %d %d " % (ids[0], ids[1], ids[2]), "p_%d" % ids[0]: "1"})
        self.assertEqual(r.status, 303)
        rows = self.server.sql("SELECT account_id, how FROM class_attendance WHERE class_id = ? ORDER BY account_id", cid)
        self.assertEqual(rows, [(str(ids[0]), "list"), (str(ids[2]), "qr")])
        self.assertEqual(self.agg(cid, "class_attendance"), base + 2)
        self.assertNotIn('id="p_%d" name="p_%d" value="1" checked' % (ids[1], ids[1]), c.get(page).text)
        r = self.server.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_all_ticks_taken_back(self):
        """A class whose every tick is taken back (and no head count) is no longer held:
        classes_held goes back down, and up again when someone is ticked."""
        cid = self.new_class(capacity="2")
        self.assertEqual(self.register(0, cid).status, 303)
        c, ids = self.staff["tnv.a"], self.learner_ids
        page = "/lop-hoc/%d/danh-sach" % cid
        held, att = self.agg(cid, "classes_held"), self.agg(cid, "class_attendance")
        self.assertEqual(c.form_post(page, page, {"p_%d" % ids[0]: "1"}).status, 303)
        self.assertEqual((self.agg(cid, "classes_held"), self.agg(cid, "class_attendance")), (held + 1, att + 1))
        self.assertNotEqual(self.server.sql("SELECT held_at FROM classes WHERE id = ?", cid)[0][0], "")
        self.assertEqual(c.form_post(page, page, {"shown": str(ids[0]), "head_count": "0"}).status, 303)
        self.assertEqual((self.agg(cid, "classes_held"), self.agg(cid, "class_attendance")), (held, att))
        self.assertEqual(self.server.sql("SELECT held_at FROM classes WHERE id = ?", cid)[0][0], "")
        r = self.server.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # A head count alone holds it again; taking it back to 0 does not while a tick is left.
        self.assertEqual(c.form_post(page, page, {"head_count": "3"}).status, 303)
        self.assertEqual((self.agg(cid, "classes_held"), self.agg(cid, "class_attendance")), (held + 1, att + 3))
        self.assertEqual(c.form_post(page, page, {"p_%d" % ids[0]: "1", "head_count": "0"}).status, 303)
        self.assertEqual((self.agg(cid, "classes_held"), self.agg(cid, "class_attendance")), (held + 1, att + 1))
        r = self.server.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_personal_data(self):
        """A learner's registrations and attendance are in their data
        download; deleting their data gives the seat back and keeps the
        attendance as an anonymous count."""
        s = self.server
        c = s.client()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người sẽ xóa", "phone": "0912000399", "pin": "804613",
                                                 "pin2": "804613", "consent": "yes"})
        self.assertEqual(r.status, 303)
        cid = self.new_class(capacity="1")
        self.assertEqual(c.form_post("/lop-hoc/%d" % cid, "/lop-hoc/%d/dang-ky" % cid, {}).status, 303)
        tok = self.token(cid, int(time.time()) // 60)
        self.assertEqual(c.form_post("/lop-hoc/%d" % cid, "/lop-hoc/%d/co-mat" % cid, {"t": tok}).status, 200)
        doc = c.get("/tai-khoan/du-lieu.json").json()
        self.assertEqual([x["class"] for x in doc["class_registrations"]], [cid])
        self.assertEqual([(x["class"], x["how"]) for x in doc["class_attendance"]], [(cid, "qr")])
        att = self.agg(cid, "class_attendance")
        me = c.get("/tai-khoan")
        self.assertEqual(c.post("/tai-khoan/xoa", {"_csrf": me.csrf(), "confirm": "yes"}).status, 303)
        self.assertEqual(s.sql("SELECT registered FROM classes WHERE id = ?", cid)[0][0], "0")
        self.assertEqual(s.sql("SELECT COUNT(*) FROM class_registrations WHERE class_id = ?", cid)[0][0], "0")
        self.assertEqual(self.agg(cid, "class_attendance"), att)
        self.assertEqual(self.register(1, cid).status, 303)  # the seat is free again
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    # ---- printables ----

    def test_pdfs(self):
        small = self.new_class(capacity="2")
        self.assertEqual(self.register(0, small).status, 303)
        r = self.staff["tnv.a"].get("/lop-hoc/%d/danh-sach.pdf" % small)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertTrue(r.body.startswith(b"%PDF"))
        self.assertEqual(pages(r.body), 1)
        big = self.new_class(capacity="60")
        r = self.staff["tnv.a"].get("/lop-hoc/%d/danh-sach.pdf" % big)
        self.assertTrue(r.body.startswith(b"%PDF"))
        self.assertEqual(pages(r.body), 1 + -(-(60 - ROWS_FIRST) // ROWS_NEXT))
        r = self.server.client().get("/hoc/%s/tai-lieu.pdf" % self.course_slug)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"%PDF"))
        lessons = int(self.server.sql("SELECT COUNT(*) FROM lessons WHERE course_id = ? AND published = 1", self.course_id)[0][0])
        self.assertGreater(lessons, 0)
        self.assertGreaterEqual(pages(r.body), lessons)
        self.assertLessEqual(pages(r.body), lessons * 4)
        self.assertEqual(self.server.client().get("/hoc/khong-co/tai-lieu.pdf").status, 404)
        r = self.server.client().get("/diem-cham/%d/ap-phich.pdf" % self.point[self.ward_a])
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"%PDF"))
        self.assertEqual(pages(r.body), 1)
        self.assertEqual(self.server.client().get("/diem-cham/999999/ap-phich.pdf").status, 404)

    # ---- touch points ----

    def test_touch_point_page(self):
        title = "Lớp tại điểm chạm %d" % time.time_ns()
        self.new_class(title=title)
        c = self.server.client()
        pid = self.point[self.ward_a]
        r = c.get("/diem-cham/%d" % pid)
        self.assertEqual(r.status, 200)
        for want in ("Nhà văn hóa khu phố 1", "12 Lê Lợi", "7:30–17:00", title, "/diem-cham/%d/ap-phich.pdf" % pid,
                     "openstreetmap.org/?mlat=10.776"):
            self.assertIn(want, r.text)
        self.assertNotIn(title, c.get("/diem-cham/%d" % self.point[self.ward_b]).text)
        for bad in ("999999", "x", "0"):
            self.assertEqual(c.get("/diem-cham/" + bad).status, 404, bad)
        r = c.get("/diem-cham?don-vi=" + self.ward_a)
        self.assertEqual(r.status, 200)
        self.assertIn('href="/diem-cham/%d"' % pid, r.text)
        self.assertNotIn("Điểm chạm B", r.text)
        self.assertIn("Điểm chạm B", c.get("/diem-cham?don-vi=79").text)


if __name__ == "__main__":
    main()
