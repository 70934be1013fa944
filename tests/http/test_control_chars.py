"""test_control_chars.py: names and other one-line fields refuse a tab, a
line break or any other C0 control character or DEL — in the web forms
(organisation, team, touch point, class, registration), the API (the person
registered with an assist, the "other" help text) and the CSV imports (a row
error naming the line and the column) — with a 400 and a Vietnamese message,
while the same text without it is accepted.  CSV exports (the assists
export, the quarterly report) put a ' before a cell that starts with = + - @,
a tab or a carriage return, so a spreadsheet shows it as text."""
import csv
import datetime
import io
import re
import time
import uuid

from harness import ServerTest, ZZCleanExit, main  # noqa: F401
from test_import import multipart

WARD = "26740"
ONE_LINE = "không được chứa dấu tab, xuống dòng hay ký tự điều khiển khác"
CONTROLS = ["\t", "\r", "\n", "\r\n", "\x01", "\x1b", "\x1f", "\x7f"]


def local(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone(datetime.timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M")


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


def csv_cells(text):
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) for cell in row]


class ControlChars(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.client()
        cls.admin.signin_admin()
        cls.tok = {login: s.staff_token(login, role, WARD) for login, role in (("cc.tnv", "volunteer"), ("cc.ql", "manager"))}
        cls.period = time.strftime("%Y", time.gmtime(time.time() + 7 * 3600))

    def refused(self, r, what, message=ONE_LINE):
        self.assertEqual(r.status, 400, (what, r.text[:300]))
        self.assertIn(message, r.text, what)

    def form(self, page, action, fields):
        return self.admin.form_post(page, action, fields)

    def test_organisation_team_touch_point_class_names(self):
        s = self.server
        # Organisation: every control character is refused, the plain name kept.
        for ch in CONTROLS:
            r = self.form("/to-chuc?don-vi=" + WARD, "/to-chuc", {"unit": WARD, "name": "Hội Nông dân" + ch + "phường", "kind": "mttq"})
            self.refused(r, repr(ch))
            self.assertIn("Tên tổ chức", r.text)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM organisations WHERE name LIKE 'Hội Nông dân%phường'")[0][0], "0")
        r = self.form("/to-chuc?don-vi=" + WARD, "/to-chuc", {"unit": WARD, "name": "Hội Nông dân phường", "kind": "mttq"})
        self.assertEqual(r.status, 303, r.text[:300])
        org = s.sql("SELECT id FROM organisations WHERE name = ?", "Hội Nông dân phường")[0][0]
        # Team in it.
        r = self.form("/to-chuc/" + org, "/to-chuc/" + org, {"action": "team", "team_name": "Tổ\tsố 1", "team_unit": WARD})
        self.refused(r, "team")
        self.assertIn("Tên tổ", r.text)
        r = self.form("/to-chuc/" + org, "/to-chuc/" + org, {"action": "team", "team_name": "Tổ số 1", "team_unit": WARD})
        self.assertEqual(r.status, 303, r.text[:300])
        # Touch point: name, address and hours are each one line.
        good = {"unit": WARD, "name": "Điểm hỗ trợ nhà văn hoá", "address": "12 Lê Lợi, khu phố 3", "hours": "7:30 – 17:00",
                "lat": "", "lon": ""}
        for field, label in (("name", "Tên điểm hỗ trợ"), ("address", "Địa chỉ"), ("hours", "Giờ mở cửa")):
            bad = dict(good, **{field: good[field].replace(" ", "\t", 1)})
            r = self.form("/diem-cham?don-vi=" + WARD, "/diem-cham", bad)
            self.refused(r, field)
            self.assertIn(label, r.text)
        r = self.form("/diem-cham?don-vi=" + WARD, "/diem-cham", good)
        self.assertEqual(r.status, 303, r.text[:300])
        point = s.sql("SELECT id FROM touch_points WHERE name = ?", good["name"])[0][0]
        # A class at that touch point.
        course = s.sql("SELECT id FROM courses WHERE published = 1 ORDER BY id LIMIT 1")[0][0]
        start = int(time.time()) + 2 * 86400
        fields = {"course": course, "touch_point": point, "start": local(start), "end": local(start + 3600), "capacity": "10",
                  "organisation": ""}
        r = self.form("/lop-hoc/moi?don-vi=" + WARD, "/lop-hoc/moi", dict(fields, title="Lớp VNeID\tbuổi sáng"))
        self.refused(r, "class", "Tên lớp cần từ 5 đến 120 ký tự, trên một dòng (không có dấu tab hay xuống dòng).")
        r = self.form("/lop-hoc/moi?don-vi=" + WARD, "/lop-hoc/moi", dict(fields, title="Lớp VNeID buổi sáng"))
        self.assertEqual(r.status, 303, r.text[:300])

    def test_registration_name(self):
        c = self.server.client()
        base = {"phone": "0911222333", "pin": "804613", "pin2": "804613", "consent": "yes"}
        r = c.form_post("/dang-ky", "/dang-ky", dict(base, name="Trần Thị\tMai"))
        self.refused(r, "registration")
        self.assertIn("Họ tên", r.text)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM accounts WHERE phone LIKE '%911222333'")[0][0], "0")
        r = c.form_post("/dang-ky", "/dang-ky", dict(base, name="Trần Thị Mai"))
        self.assertEqual(r.status, 303, r.text[:300])

    def test_api_person_name_and_other_text(self):
        c = self.server.client()

        def assist(**over):
            a = {"id": str(uuid.uuid4()), "unit": WARD, "services": ["vneid_install"],
                 "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True}
            a.update(over)
            return c.post_json("/api/v1/assists", a, headers=bearer(self.tok["cc.tnv"]))

        person = {"register": {"name": "Ông\tNăm", "phone": "0911444555", "consent": True}}
        r = assist(person=person)
        self.assertEqual(r.status, 400, r.text)
        self.assertEqual(r.json()["field"], "person.register.name")
        self.assertIn(ONE_LINE, r.json()["message"])
        person["register"]["name"] = "Ông Năm"
        self.assertIn(assist(person=person).status, (200, 201))
        for ch in ("\t", "\n", "\x7f"):
            r = assist(services=["other"], other="Cài" + ch + "Zalo")
            self.assertEqual(r.status, 400, r.text)
            self.assertEqual(r.json()["field"], "other")
        self.assertIn(assist(services=["other"], other="Cài Zalo").status, (200, 201))

    def upload(self, kind, text):
        body, ctype = multipart({"kind": kind}, {"file": ("tep.csv", text.encode())})
        return self.server.client().request("POST", "/quan-tri/nhap-du-lieu", raw_body=body,
                                            headers=dict(bearer(self.tok["cc.ql"]), **{"Content-Type": ctype}))

    def test_csv_imports_name_the_row(self):
        s = self.server
        vols = "login,display_name,unit_code,team\ncc.v1,Lê Văn Một,%s,\ncc.v2,Lê Văn\tHai,%s,\n" % (WARD, WARD)
        r = self.upload("volunteers", vols)
        self.assertEqual(r.status, 400, r.text[:300])
        self.assertIn("tep.csv:3: cột 2 (display_name) có dấu tab, xuống dòng hay ký tự điều khiển khác", r.text)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM accounts WHERE login LIKE 'cc.v%'")[0][0], "0")
        r = self.upload("volunteers", vols.replace("Văn\tHai", "Văn Hai"))
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(s.sql("SELECT COUNT(*) FROM accounts WHERE login LIKE 'cc.v%'")[0][0], "2")
        points = ("name,unit_code,address,lat,lon,free_wifi,hours\n"
                  "Bưu điện\x7fphường,%s,1 Hai Bà Trưng,,,yes,7:00-17:00\n" % WARD)
        r = self.upload("touch-points", points)
        self.assertEqual(r.status, 400, r.text[:300])
        self.assertIn("tep.csv:2: cột 1 (name) có dấu tab", r.text)
        r = self.upload("touch-points", points.replace("\x7f", " "))
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(s.sql("SELECT COUNT(*) FROM touch_points WHERE name = 'Bưu điện phường'")[0][0], "1")

    def test_csv_exports_neutralise_formula_starts(self):
        s = self.server
        starts = ["=1+2", "+1+2", "-1+2", "@SUM(1)", "\t=1+2", "\r=1+2"]
        # Assists: rows written before names and texts were one line (set here behind the server's back).
        ids = []
        c = s.client()
        for _ in starts:
            a = {"id": str(uuid.uuid4()), "unit": WARD, "services": ["other"], "other": "Cài Zalo",
                 "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True}
            self.assertIn(c.post_json("/api/v1/assists", a, headers=bearer(self.tok["cc.tnv"])).status, (200, 201))
            ids.append(a["id"])
        for i, start in zip(ids, starts):
            s.tamper("UPDATE assists SET other_text = '%s' WHERE id = '%s'" % (start, i))
        r = self.admin.get("/ho-tro/xuat.csv?don-vi=" + WARD)
        self.assertEqual(r.status, 200)
        cells = csv_cells(r.body.decode("utf-8"))
        for start in starts:
            self.assertIn("'" + start, cells, repr(start))
            self.assertNotIn(start, cells, repr(start))
        # The quarterly report: honour reasons (a multi-line text, so a tab or CR may start it).
        m = self.admin
        page = "/bieu-duong/%s?ky=%s" % (WARD, self.period)
        subjects = ["cc.tnv", "cc.ql", WARD]
        kinds = ["account", "account", "unit"]
        for subject, kind, start in zip(subjects, kinds, ["\t=1+2", "\r=1+2", "@SUM(1)"]):
            r = m.form_post(page, page, {"period": self.period, "kind": kind, "subject": subject, "reason": start + " lớp học"})
            self.assertEqual(r.status, 303, re.findall(r'role="alert">([^<]*)', r.text))
        r = m.get("/bang-dieu-khien/%s/bao-cao.csv?ky=%s" % (WARD, self.period))
        self.assertEqual(r.status, 200, r.text[:300])
        cells = csv_cells(r.body.decode("utf-8"))
        for start in ("\t=1+2", "\r=1+2", "@SUM(1)"):
            self.assertIn("'" + start + " lớp học", cells, repr(start))
            self.assertNotIn(start + " lớp học", cells, repr(start))

if __name__ == "__main__":
    main()
