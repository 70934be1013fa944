"""test_import.py: CSV imports sent from the browser (/quan-tri/nhap-du-lieu,
multipart/form-data): touch points, volunteers and population within the
sender's scope, all or nothing; malformed, oversized and misdirected
uploads; CSRF on the multipart form; the shown file name escaped."""
import re
import socket
import uuid

from harness import ServerTest, ZZCleanExit, main  # noqa: F401

PAGE = "/quan-tri/nhap-du-lieu"


def multipart(fields, files, boundary=None):
    """(body, content type) for fields {name: text} and files {name: (filename, bytes)}."""
    b = boundary or "----hocvuso" + uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (b, k)).encode() + v.encode() + b"\r\n")
    for k, (fn, data) in files.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: text/csv\r\n\r\n"
                    % (b, k, fn)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return b"".join(out), "multipart/form-data; boundary=" + b


class Import(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.ward_a, cls.ward_b = s.two_wards()
        people = (("nk.ql", "manager", cls.ward_a), ("nk.tnv", "volunteer", cls.ward_a), ("nk.xem", "viewer", cls.ward_a))
        cls.tok = {login: s.staff_token(login, role, unit) for login, role, unit in people}

    def upload(self, who, kind, filename, data, extra=None, headers=None):
        fields = {"kind": kind}
        fields.update(extra or {})
        body, ctype = multipart(fields, {"file": (filename, data)})
        h = {"Content-Type": ctype}
        if who:
            h["Authorization"] = "Bearer " + self.tok[who]
        h.update(headers or {})
        return self.server.client().request("POST", PAGE, raw_body=body, headers=h)

    def announce(self, ctype, length, auth, path=PAGE):
        """Sends only the headers of an upload of length bytes; returns the status line."""
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        head = "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n" % (path, ctype, length)
        if auth:
            head += "Authorization: Bearer %s\r\n" % self.tok["nk.ql"]
        sock.sendall((head + "\r\n").encode() + b"--x")
        out = b""
        try:
            while b"\r\n" not in out:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                out += chunk
        except socket.timeout:
            pass
        sock.close()
        return out.split(b"\r\n", 1)[0]

    def count(self, table, where="1=1", *args):
        return int(self.server.sql("SELECT COUNT(*) FROM %s WHERE %s" % (table, where), *args)[0][0])

    def test_touch_points_in_scope_all_or_nothing(self):
        head = "name,unit_code,address,lat,lon,free_wifi,hours\n"
        n = self.count("touch_points")
        logged = self.count("audit_log", "action = 'import' AND target = 'touch-points'")
        good = head + "Nhà văn hóa tải lên,%s,5 Lê Lợi,10.77,106.70,yes,7:00–17:00\nThư viện tải lên,%s,7 Lê Lợi,,,no,8:00–17:00\n" % (
            self.ward_a, self.ward_a)
        r = self.upload("nk.ql", "touch-points", "diem.csv", good.encode())
        self.assertEqual(r.status, 200, r.text[-500:])
        self.assertIn("Đã nhập xong", r.text)
        self.assertIn("no-store", r.header("Cache-Control") or "")
        self.assertEqual(self.count("touch_points"), n + 2)
        self.assertEqual(self.count("audit_log", "action = 'import' AND target = 'touch-points'"), logged + 1)
        row = self.server.sql("SELECT a.login, l.detail FROM audit_log l JOIN accounts a ON a.id = l.actor_id "
                              "WHERE l.action = 'import' AND l.target = 'touch-points' ORDER BY l.id DESC LIMIT 1")
        self.assertEqual(tuple(row[0]), ("nk.ql", "diem.csv: 2 rows"))
        # A row in another ward: refused with the line named, nothing written.
        other = head + "Điểm A2,%s,9 Lê Lợi,,,no,8-17\nĐiểm B,%s,1 Hai Bà Trưng,,,no,8-17\n" % (self.ward_a, self.ward_b)
        r = self.upload("nk.ql", "touch-points", "diem2.csv", other.encode())
        self.assertEqual(r.status, 400)
        self.assertRegex(r.text, r"diem2.csv:3: .* nằm ngoài các đơn vị vai trò của bạn phụ trách")
        self.assertIn("Không có dòng nào được ghi", r.text)
        self.assertEqual(self.count("touch_points"), n + 2)
        # A bad line: its number and what to change.
        r = self.upload("nk.ql", "touch-points", "diem3.csv", (head + "Điểm C,%s,9 Lê Lợi,10.7,,no,8-17\n" % self.ward_a).encode())
        self.assertEqual(r.status, 400)
        self.assertIn("diem3.csv:2: lat và lon", r.text)
        self.assertEqual(self.count("touch_points"), n + 2)

    def test_volunteers_passwords_shown_once(self):
        n = self.count("accounts")
        text = "login,display_name,unit_code,team\nnk.moi1,Lê Văn Một,%s,\nnk.moi2,Phạm Thị Hai,%s,\n" % (self.ward_a, self.ward_a)
        r = self.upload("nk.ql", "volunteers", "tnv.csv", text.encode())
        self.assertEqual(r.status, 200, r.text[-500:])
        self.assertIn("no-store", r.header("Cache-Control") or "")
        pws = dict(re.findall(r"<tr><td>(nk\.moi\d)</td><td><code>([^<]+)</code>", r.text))
        self.assertEqual(set(pws), {"nk.moi1", "nk.moi2"})
        self.assertEqual(self.count("accounts"), n + 2)
        c = self.server.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "nk.moi2", "password": pws["nk.moi2"], "next": "/tinh-nguyen-vien"})
        self.assertEqual(r.status, 303)
        # Outside the manager's ward: nothing, whatever the order of lines.
        text = "login,display_name,unit_code,team\nnk.moi3,Võ Ba,%s,\nnk.moi4,Đỗ Bốn,%s,\n" % (self.ward_a, self.ward_b)
        r = self.upload("nk.ql", "volunteers", "tnv2.csv", text.encode())
        self.assertEqual(r.status, 400)
        self.assertIn("tnv2.csv:3:", r.text)
        self.assertEqual(self.count("accounts"), n + 2)
        # Too many lines for the web: what to do instead.
        many = "login,display_name,unit_code,team\n" + "".join("nk.x%d,Người Số %d,%s,\n" % (i, i, self.ward_a) for i in range(201))
        r = self.upload("nk.ql", "volunteers", "nhieu.csv", many.encode())
        self.assertEqual(r.status, 400)
        self.assertIn("hocvuso import volunteers", r.text)
        self.assertEqual(self.count("accounts"), n + 2)

    def test_population_scope(self):
        text = "unit_code,adults,civil_servants,pupils,year\n%s,12000,300,2500,2026\n" % self.ward_a
        r = self.upload("nk.ql", "population", "dan-so.csv", text.encode())
        self.assertEqual(r.status, 200, r.text[-500:])
        self.assertEqual(self.server.sql("SELECT adults FROM population WHERE unit_code = ? AND year = 2026", self.ward_a)[0][0], "12000")
        for bad, msg in (("unit_code,adults,civil_servants,pupils,year\n79,1,0,0,2026\n", "nằm ngoài các đơn vị"),
                         ("unit_code,adults,civil_servants,pupils,year\n%s,10,20,0,2026\n" % self.ward_a, "số công chức nhiều hơn"),
                         ("unit_code,adults,civil_servants,pupils,year\n%s,10,0,0,1800\n" % self.ward_a, "year từ 2000")):
            r = self.upload("nk.ql", "population", "ds.csv", bad.encode())
            self.assertEqual(r.status, 400, bad)
            self.assertIn(msg, r.text)
        self.assertEqual(self.count("population", "unit_code = '79' AND adults = 1"), 0)

    def test_semicolons_bom_and_language(self):
        """Excel in a Vietnamese locale writes ';' and often a byte-order
        mark: both are read; messages follow the page's language."""
        n = self.count("touch_points")
        text = "\ufeffname;unit_code;address;lat;lon;free_wifi;hours\n\"Nhà văn hóa; khu 3\";%s;5 Lê Lợi, P.1;10.77;106.70;yes;7:00–17:00\n" % self.ward_a
        r = self.upload("nk.ql", "touch-points", "excel-vi.csv", text.encode())
        self.assertEqual(r.status, 200, r.text[-500:])
        self.assertEqual(self.server.sql("SELECT address FROM touch_points WHERE name = 'Nhà văn hóa; khu 3'"), [("5 Lê Lợi, P.1",)])
        text = "\ufeffunit_code;adults;civil_servants;pupils;year\r\n%s;9000;200;1500;2027\r\n" % self.ward_a
        r = self.upload("nk.ql", "population", "dan-so-excel.csv", text.encode())
        self.assertEqual(r.status, 200, r.text[-500:])
        r = self.upload("nk.ql", "volunteers", "tnv-excel.csv",
                        ("\ufefflogin;display_name;unit_code;team\nnk.excel1;Lê Văn Excel;%s;\n" % self.ward_a).encode())
        self.assertEqual(r.status, 200, r.text[-500:])
        # A wrong header: said in Vietnamese on a Vietnamese page, in English on an English one; nothing written.
        bad = "ten;ma_don_vi\nA;1\n".encode()
        r = self.upload("nk.ql", "touch-points", "sai.csv", bad)
        self.assertEqual(r.status, 400)
        self.assertIn("sai.csv:1: dòng tiêu đề cần", r.text)
        self.assertNotIn("the header must", r.text)
        r = self.upload("nk.ql", "touch-points", "sai.csv", bad, headers={"Accept-Language": "en-US,en;q=0.9"})
        self.assertEqual(r.status, 400)
        self.assertIn("sai.csv:1: the header must name", r.text)
        r = self.upload("nk.ql", "population", "sai.csv", bad, headers={"Cookie": "hv_lang=en"})
        self.assertIn("the header must be unit_code", r.text)
        self.assertEqual(self.count("touch_points"), n + 1)

    def test_who_may_import(self):
        text = b"unit_code,adults,civil_servants,pupils,year\n"
        self.assertEqual(self.upload("nk.tnv", "population", "a.csv", text).status, 403)
        self.assertEqual(self.upload("nk.xem", "population", "a.csv", text).status, 403)
        r = self.upload(None, "population", "a.csv", text)
        self.assertIn(r.status, (303, 403))
        self.assertEqual(self.server.client().get(PAGE).status, 303)  # to sign-in
        r = self.server.client().get(PAGE, headers={"Authorization": "Bearer " + self.tok["nk.ql"]})
        self.assertEqual(r.status, 200)
        self.assertIn('enctype="multipart/form-data"', r.text)

    def test_bad_uploads(self):
        h = {"Authorization": "Bearer " + self.tok["nk.ql"]}
        c = self.server.client()
        n = self.count("touch_points")
        # No file, an empty file, an unknown kind, bytes that are not UTF-8.
        body, ctype = multipart({"kind": "touch-points"}, {})
        r = c.request("POST", PAGE, raw_body=body, headers=dict(h, **{"Content-Type": ctype}))
        self.assertEqual(r.status, 400)
        self.assertIn("Hãy chọn một tệp CSV", r.text)
        self.assertEqual(self.upload("nk.ql", "touch-points", "rong.csv", b"").status, 400)
        r = self.upload("nk.ql", "spreadsheets", "a.csv", b"a,b\n1,2\n")
        self.assertEqual(r.status, 400)
        self.assertIn("Hãy chọn loại dữ liệu", r.text)
        r = self.upload("nk.ql", "touch-points", "latin1.csv", "name,unit_code\nB\xe0 R\xe9a,1\n".encode("latin-1"))
        self.assertEqual(r.status, 400)
        self.assertIn("UTF-8", r.text)
        # Malformed multipart bodies: 400 with what to do, never a crash.
        good, ctype = multipart({"kind": "touch-points"}, {"file": ("a.csv", b"x\n")}, boundary="BND")
        malformed = [
            (good, "multipart/form-data"),                               # no boundary
            (good, "multipart/form-data; boundary="),                    # empty boundary
            (good, "multipart/form-data; boundary=" + "x" * 71),         # too long
            (good, "multipart/form-data; boundary=OTHER"),               # not in the body
            (good[:-10], ctype),                                         # cut short
            (good.replace(b"Content-Disposition: form-data", b"Content-Disposition: attachment", 1), ctype),
            (good.replace(b'name="kind"', b'name="k<i>nd"', 1), ctype),  # bad field name
            (good.replace(b'name="kind"', b'name="kind', 1), ctype),     # unterminated quote
            (good.replace(b"\r\n\r\n", b"\r\n" + b"X-Pad: y\r\n" * 9 + b"\r\n", 1), ctype),  # too many headers
            (good.replace(b"Content-Disposition", b"Content-Disposition" + b" " * 1100, 1), ctype),  # header too long
            (good.replace(b"touch-points", b"touch-\x00points", 1), ctype),  # NUL in a text field
            (b"--BND--\r\n", ctype),                                     # no parts: no file
            (b"", ctype),
        ]
        for body, ct in malformed:
            r = c.request("POST", PAGE, raw_body=body, headers=dict(h, **{"Content-Type": ct}))
            self.assertEqual(r.status, 400, (body[:80], ct, r.text[-300:]))
            self.assertRegex(r.text, "Tệp gửi lên không đọc được|Hãy chọn")
        # multipart where no route takes it: 415.
        r = c.request("POST", "/to-chuc", raw_body=good, headers=dict(h, **{"Content-Type": ctype}))
        self.assertEqual(r.status, 415)
        # ... and the larger upload limit is only for the upload route: 2 MiB elsewhere is 413.
        big, bctype = multipart({"kind": "touch-points"}, {"file": ("a.csv", b"x" * (2 * 1024 * 1024))})
        self.assertIn(b" 413 ", self.announce(bctype, len(big), True, path="/to-chuc"))
        # Over the upload limit (8 MiB) or, anonymous, over 64 KiB: 413
        # from the announced length, before the body is read.
        for auth, size in ((True, 8 * 1024 * 1024 + 10), (False, 70 * 1024)):
            status = self.announce(ctype, size, auth)
            self.assertIn(b" 413 ", status, (auth, size))
        self.assertEqual(self.server.client().get("/healthz").status, 200)
        self.assertEqual(self.count("touch_points"), n)

    def test_filename_is_text_and_csrf(self):
        c = self.server.client()
        c.signin_admin()
        page = c.get(PAGE)
        self.assertEqual(page.status, 200)
        token = page.csrf()
        text = "name,unit_code,address,lat,lon,free_wifi,hours\nĐiểm X,%s,1 Lê Lợi,10.7,,no,8-17\n" % self.ward_a
        body, ctype = multipart({"_csrf": token, "kind": "touch-points"}, {"file": ("<img src=x onerror=alert(1)>.csv", text.encode())})
        r = c.request("POST", PAGE, raw_body=body, headers={"Content-Type": ctype})
        self.assertEqual(r.status, 400, r.text[-400:])
        self.assertNotIn("<img src=x", r.text)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;.csv:2: lat và lon", r.text)
        # Without the token, or with a wrong one: 403 and nothing read.
        for fields in ({"kind": "touch-points"}, {"_csrf": "sai", "kind": "touch-points"}):
            body, ctype = multipart(fields, {"file": ("a.csv", text.encode())})
            r = c.request("POST", PAGE, raw_body=body, headers={"Content-Type": ctype})
            self.assertEqual(r.status, 403)
        ok = text.replace("10.7,,", ",,")
        body, ctype = multipart({"_csrf": token, "kind": "touch-points"}, {"file": ("ok.csv", ok.encode())})
        r = c.request("POST", PAGE, raw_body=body, headers={"Content-Type": ctype})
        self.assertEqual(r.status, 200, r.text[-400:])
        self.assertEqual(self.count("touch_points", "name = 'Điểm X'"), 1)


if __name__ == "__main__":
    main()
