"""test_bad_input.py: hostile and malformed requests. Each is answered with
a 4xx and a message, nothing is written, and the server keeps answering."""
import socket
import time
import unittest

from harness import ServerTest, ZZCleanExit, main  # noqa: F401


class BadInput(ServerTest):
    def alive(self):
        r = self.server.client().get("/healthz")
        self.assertEqual(r.status, 200)

    def account_count(self):
        return int(self.server.sql("SELECT COUNT(*) FROM accounts")[0][0])

    def raw(self, data, read=65536, timeout=10):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=timeout)
        s.sendall(data)
        out = b""
        try:
            while len(out) < read:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except socket.timeout:
            pass
        s.close()
        return out

    def test_oversized_body_is_413(self):
        c = self.server.client()
        before = self.account_count()
        token = c.get("/dang-ky").csrf()
        big = b"_csrf=" + token.encode() + b"&name=" + b"A" * (200 * 1024)
        r = c.request("POST", "/dang-ky", raw_body=big, headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 413)
        self.assertIn("quá lớn", r.text)
        self.assertEqual(self.account_count(), before)
        self.alive()

    def test_oversized_body_without_length_is_413(self):
        body = b"x" * (100 * 1024)
        chunked = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
        out = self.raw(b"POST /dang-ky HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n" + chunked)
        self.assertIn(b" 413 ", out.split(b"\r\n", 1)[0])
        self.alive()

    def test_oversized_headers(self):
        out = self.raw(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
        status = out.split(b"\r\n", 1)[0]
        self.assertTrue(b" 431 " in status or b" 413 " in status or b" 414 " in status or out == b"", status)
        self.alive()

    def test_long_uri(self):
        r = self.server.client().get("/don-vi?q=" + "a" * 5000)
        self.assertIn(r.status, (400, 414))
        self.alive()

    def test_malformed_form(self):
        c = self.server.client()
        before = self.account_count()
        for body in (b"name=%ZZ", b"%=x", b"name=%E1%BB", b"a=%00b", b"<script>=1"):
            r = c.request("POST", "/dang-ky", raw_body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual(r.status, 400, body)
        self.assertEqual(self.account_count(), before)
        self.alive()

    def test_invalid_utf8_in_form_value(self):
        c = self.server.client()
        token = c.get("/dang-ky").csrf()
        body = ("_csrf=%s&name=%%C3%%28&phone=0912345678&pin=246813&pin2=246813&consent=yes" % token).encode()
        before = self.account_count()
        r = c.request("POST", "/dang-ky", raw_body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 400)
        self.assertEqual(self.account_count(), before)
        self.alive()

    def test_invalid_utf8_in_path_and_query(self):
        c = self.server.client()
        self.assertEqual(c.get("/don-vi/%C3%28").status, 400)
        self.assertEqual(c.get("/api/v1/units?q=%FF%FE").status, 400)
        self.assertEqual(c.get("/api/v1/units?q=%").status, 400)
        self.alive()

    def test_malformed_json(self):
        c = self.server.client()
        for body in (b"{", b"{\"a\":1,\"a\":2}", b"\xff\xfe", b"[" * 5000):
            r = c.request("POST", "/api/v1/units", raw_body=body, headers={"Content-Type": "application/json"})
            self.assertIn(r.status, (400, 405), body[:10])
            self.assertTrue(r.header("Content-Type").startswith("application/json"))
        self.alive()

    def test_unsupported_content_type(self):
        c = self.server.client()
        token = c.get("/dang-ky").csrf()
        r = c.request("POST", "/dang-ky", raw_body=b"<x/>", headers={"Content-Type": "application/xml", "X-CSRF-Token": token})
        self.assertEqual(r.status, 415)
        self.alive()

    def test_sql_metacharacters_are_data(self):
        c = self.server.client()
        before = self.account_count()
        name = "Robert'); DROP TABLE accounts;--"
        r = c.form_post("/dang-ky", "/dang-ky", {"name": name, "phone": "0911222333", "pin": "246813", "pin2": "246813", "consent": "yes"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.account_count(), before + 1)
        me = c.get("/tai-khoan")
        self.assertIn("Robert&#39;); DROP TABLE accounts;--", me.text)
        r = c.get("/api/v1/units?q=%27%20OR%20%271%27%3D%271")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), [])
        self.alive()

    def test_unknown_unit_codes(self):
        c = self.server.client()
        for code in ("00000", "1", "ABCDE", "79%20", "-1"):
            self.assertIn(c.get("/don-vi/" + code).status, (400, 404), code)
            self.assertIn(c.get("/api/v1/units/" + code).status, (400, 404), code)
        before = self.account_count()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Thử", "phone": "0933444555", "pin": "246813", "pin2": "246813",
                                                 "consent": "yes", "unit": "99999"})
        self.assertEqual(r.status, 400)
        self.assertEqual(self.account_count(), before)
        self.alive()

    def test_html_injection_is_escaped(self):
        c = self.server.client()
        r = c.get("/don-vi?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        self.assertEqual(r.status, 200)
        self.assertNotIn("<script>alert(1)", r.text)
        self.assertIn("&lt;script&gt;", r.text)

    def test_slow_client_does_not_block_others(self):
        """Slowloris: many connections that never finish their headers; the
        server still answers others, and drops the slow ones."""
        socks = []
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        t0 = time.time()
        self.alive()
        self.assertLess(time.time() - t0, 2)
        for s in socks:
            s.close()

    def test_per_client_connection_limit(self):
        socks = []
        refused = 0
        for _ in range(40):
            try:
                s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                socks.append(s)
            except OSError:
                refused += 1
        time.sleep(0.3)
        closed = 0
        for s in socks:
            s.settimeout(0.5)
            try:
                if s.recv(1) == b"":
                    closed += 1
            except (socket.timeout, ConnectionResetError):
                pass
        for s in socks:
            s.close()
        self.assertGreater(refused + closed, 0, "no limit on connections from one client")
        time.sleep(0.3)
        self.alive()

    def test_bad_cookie_header(self):
        c = self.server.client()
        r = c.get("/", headers={"Cookie": "hv_s=\xc3\x28".encode("latin-1").decode("latin-1")})
        self.assertIn(r.status, (200, 400))
        r = c.get("/tai-khoan", headers={"Cookie": "hv_s=" + "A" * 43})
        self.assertEqual(r.status, 303)
        self.alive()


if __name__ == "__main__":
    main()
