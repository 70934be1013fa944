"""test_audit_reads.py: staff reads of other people's data leave an audit
row naming the actor and the object — a class's participant list and its
printed sheet, an assist read by id, the assists export, the quarterly
report (its honours name people), an account — and fail closed: when the
row cannot be written the data is not served (503)."""
import re
import time
import uuid

from harness import BACKEND, ServerTest, ZZCleanExit, bearer, main  # noqa: F401

LEARNER = "Học Viên Nhật Ký"

BLOCK = {
    "sqlite": ["CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END"],
    "postgres": ["CREATE FUNCTION no_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$ "
                 "LANGUAGE plpgsql",
                 "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION no_audit()"],
}
UNBLOCK = {
    "sqlite": ["DROP TRIGGER no_audit"],
    "postgres": ["DROP TRIGGER no_audit ON audit_log", "DROP FUNCTION no_audit()"],
}


class AuditReads(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.ward_a, cls.ward_b = s.two_wards()
        cls.tok = {login: s.staff_token(login, role, unit) for login, role, unit in
                   (("ql.a", "manager", cls.ward_a), ("tnv.a", "volunteer", cls.ward_a))}
        cls.actor = int(s.sql("SELECT id FROM accounts WHERE login = 'ql.a'")[0][0])
        r = s.client().post("/diem-cham", {"unit": cls.ward_a, "name": "Nhà văn hóa khu phố 2", "address": "3 Đường Hai Bà Trưng",
                                           "hours": "7:30–17:00"}, headers=bearer(cls.tok["ql.a"]))
        assert r.status == 303, r.text[:400]
        point = s.sql("SELECT id FROM touch_points WHERE unit_code = ?", cls.ward_a)[0][0]
        course = s.sql("SELECT id FROM courses WHERE published = 1 ORDER BY id LIMIT 1")[0][0]
        start = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 7 * 3600 + 2 * 86400))
        end = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 7 * 3600 + 2 * 86400 + 7200))
        r = s.client().post("/lop-hoc/moi?don-vi=" + cls.ward_a, {"title": "Lớp VNeID khu phố 2", "course": course, "touch_point": point,
                                                                  "start": start, "end": end, "capacity": "5"},
                            headers=bearer(cls.tok["ql.a"]))
        assert r.status == 303, (r.status, r.text[:600])
        cls.cls = int(re.match(r"/lop-hoc/(\d+)$", r.header("Location")).group(1))
        learner = s.client()
        r = learner.form_post("/dang-ky", "/dang-ky", {"name": LEARNER, "phone": "0955000111", "pin": "804613", "pin2": "804613",
                                                      "consent": "yes", "unit": cls.ward_a})
        assert r.status == 303, r.text[:300]
        r = learner.form_post("/lop-hoc/%d" % cls.cls, "/lop-hoc/%d/dang-ky" % cls.cls, {})
        assert r.status in (200, 303), (r.status, r.text[:300])
        cls.assist = {"id": str(uuid.uuid4()), "unit": cls.ward_a, "services": ["etax"], "person": {"phone": "0955000111"},
                      "outcome": "done", "has_smartphone": True}
        r = s.client().post_json("/api/v1/assists", cls.assist, headers=bearer(cls.tok["tnv.a"]))
        assert r.status == 201, r.text

    def get(self, path, who="ql.a"):
        return self.server.client().get(path, headers=bearer(self.tok[who]))

    def rows(self, action):
        return self.server.sql("SELECT actor_id, target, unit_code, detail FROM audit_log WHERE action = ? ORDER BY id", action)

    def reads(self):
        """(path, what shows the personal data is in the answer, audit action, target, detail)."""
        period = "%dQ%d" % (time.gmtime(time.time() + 7 * 3600).tm_year, (time.gmtime(time.time() + 7 * 3600).tm_mon - 1) // 3 + 1)
        return [
            ("/lop-hoc/%d/danh-sach" % self.cls, lambda r: LEARNER in r.text, "class.people.read", "class:%d" % self.cls, ""),
            ("/lop-hoc/%d/danh-sach.pdf" % self.cls, lambda r: r.body.startswith(b"%PDF"), "class.sheet.read",
             "class:%d" % self.cls, ""),
            ("/api/v1/assists/" + self.assist["id"].upper(), lambda r: r.json().get("person", {}).get("account"), "assist.read",
             self.assist["id"], ""),
            ("/ho-tro/xuat.csv?don-vi=" + self.ward_a, lambda r: self.assist["id"] in r.text, "assists.export", "assists.csv", period),
            ("/bang-dieu-khien/%s/bao-cao.csv" % self.ward_a, lambda r: r.status == 200 and "text/csv" in r.header("Content-Type"),
             "report.export", "report.csv", period),
        ]

    def test_each_read_leaves_a_row_naming_actor_and_object(self):
        for path, shown, action, target, detail in self.reads():
            before = len(self.rows(action))
            r = self.get(path)
            self.assertEqual(r.status, 200, (path, r.text[:300] if r.status != 200 else ""))
            self.assertTrue(shown(r), path)
            rows = self.rows(action)
            self.assertEqual(len(rows), before + 1, path)
            self.assertEqual(rows[-1], (str(self.actor), target, self.ward_a, detail), path)
        # The volunteer reading the record they logged is a read too.
        self.assertEqual(self.get("/api/v1/assists/" + self.assist["id"], "tnv.a").status, 200)
        vol = self.server.sql("SELECT id FROM accounts WHERE login = 'tnv.a'")[0][0]
        self.assertEqual(self.rows("assist.read")[-1][:2], (vol, self.assist["id"]))
        # Refused reads are not reads: nothing logged.
        n = len(self.rows("assists.export"))
        self.assertEqual(self.get("/ho-tro/xuat.csv?don-vi=" + self.ward_b).status, 403)
        self.assertEqual(len(self.rows("assists.export")), n)

    def test_reads_fail_closed_when_the_audit_row_cannot_be_written(self):
        s = self.server
        acct = s.sql("SELECT id FROM accounts WHERE login = 'tnv.a'")[0][0]
        reads = self.reads() + [("/api/v1/accounts/" + acct, lambda r: "tnv.a" in r.text, "account.read", "account:" + acct, "")]
        counts = int(s.sql("SELECT COUNT(*) FROM audit_log")[0][0])
        for sql in BLOCK[BACKEND]:
            s.tamper(sql)
        try:
            for path, _shown, _action, _target, _detail in reads:
                r = self.get(path)
                self.assertEqual(r.status, 503, path)
                self.assertNotIn(LEARNER.encode(), r.body, path)
                self.assertNotIn(self.assist["id"].encode(), r.body, path)
                self.assertFalse(r.body.startswith(b"%PDF"), path)
                self.assertNotIn("text/csv", r.header("Content-Type") or "", path)
            page = self.get("/lop-hoc/%d/danh-sach" % self.cls)
            self.assertIn("nhật ký truy cập", page.text)
        finally:
            for sql in UNBLOCK[BACKEND]:
                s.tamper(sql)
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM audit_log")[0][0]), counts)
        # Once the log can be written again, so is the data.
        r = self.get("/lop-hoc/%d/danh-sach" % self.cls)
        self.assertEqual(r.status, 200)
        self.assertIn(LEARNER, r.text)


if __name__ == "__main__":
    main()
