"""test_auth.py: sign-in and out, TOTP, sessions, CSRF, bearer tokens,
learner registration with consent, PIN lockout, role scoping (IDOR)."""
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import ADMIN_PASSWORD, BACKEND, BIN, ServerTest, ZZCleanExit, main, totp  # noqa: F401


def token_for(server, login):
    r = server.cli("token", "create", "--user", login)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


class Auth(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        kids = s.client().get("/api/v1/units/79/children").json()
        cls.ward_a, cls.ward_b = kids[0]["code"], kids[1]["code"]
        for login, role, unit in (("mgr.a", "manager", cls.ward_a), ("mgr.b", "manager", cls.ward_b),
                                  ("vol.a", "volunteer", cls.ward_a), ("prov.mgr", "manager", "79")):
            r = s.cli("user", "add", login, "--name", "Cán bộ " + login, "--unit", unit, "--role", role,
                      "--password-stdin", input="mat-khau-rat-dai-1\n")
            assert r.returncode == 0, r.stderr
        cls.ids = {}
        admin_tok = token_for(s, "admin")
        for login in ("mgr.a", "mgr.b", "vol.a", "prov.mgr"):
            r = s.client().get("/api/v1/me", headers=bearer(token_for(s, login)))
            cls.ids[login] = r.json()["id"]
        cls.admin_tok = admin_tok

    def db_rows(self, sql, *args):
        return [tuple(int(v) if v.isdigit() else v for v in row) for row in self.server.sql(sql, *args)]

    def visit_after_idle(self, c, who, idle):
        """Moves the session of who (a WHERE condition) idle seconds back,
        visits /tai-khoan (still signed in) and waits until the visit is
        recorded; returns the new last-seen time."""
        s = self.server
        s.tamper("UPDATE sessions SET last_seen = last_seen - %d WHERE %s" % (idle, who))
        before = int(s.sql("SELECT last_seen FROM sessions WHERE " + who)[0][0])
        self.assertEqual(c.get("/tai-khoan").status, 200)
        for _ in range(50):
            seen = int(s.sql("SELECT last_seen FROM sessions WHERE " + who)[0][0])
            if seen > before:
                break
            time.sleep(0.1)
        self.assertGreaterEqual(seen, int(time.time()) - 60)
        return seen

    def test_wrong_password_is_refused(self):
        c = self.server.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "admin", "password": "sai-mat-khau-123"})
        self.assertEqual(r.status, 400)
        self.assertIn("không đúng", r.text)
        self.assertNotIn("hv_s", c.cookies)
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "ai-do-khong-co", "password": "sai-mat-khau-123"})
        self.assertEqual(r.status, 400)
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "", "password": ""})
        self.assertEqual(r.status, 400)

    def test_totp_signin_then_signout_revokes(self):
        s = self.server
        r = s.cli("user", "add", "xem.a", "--name", "Cán bộ Theo Dõi", "--unit", "79", "--role", "viewer",
                  "--password-stdin", input="mat-khau-rat-dai-2\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = s.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "xem.a", "password": "mat-khau-rat-dai-2"})
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/xac-thuc-2-lop"))
        cookie = [v for v in r.headers_all("Set-Cookie") if v.startswith("hv_s=")][0]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        # Before the second factor, staff pages and the API are closed.
        self.assertEqual(c.get("/quan-tri/tai-khoan").status, 303)
        self.assertEqual(c.get("/api/v1/accounts/1").status, 401)
        page = c.get("/xac-thuc-2-lop")
        secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")
        self.assertIn('<svg', page.text)
        wrong = "%06d" % ((int(totp(secret)) + 1) % 1000000)
        r = c.post("/xac-thuc-2-lop", {"_csrf": page.csrf(), "code": wrong})
        self.assertEqual(r.status, 400)
        self.assertIn("không đúng", r.text)
        code = totp(secret)
        r = c.post("/xac-thuc-2-lop", {"_csrf": page.csrf(), "code": code})
        self.assertEqual(r.status, 303)
        me = c.get("/tai-khoan")
        self.assertIn("Cán bộ theo dõi", me.text)
        self.assertIn("Thành phố Hồ Chí Minh", me.text)
        old = dict(c.cookies)
        r = c.post("/dang-xuat", {"_csrf": me.csrf()})
        self.assertEqual(r.status, 303)
        # The old cookie no longer works: revoked on the server.
        c3 = s.client()
        c3.cookies = old
        r = c3.get("/tai-khoan")
        self.assertEqual(r.status, 303)
        self.assertIn("/dang-nhap", r.header("Location"))
        # The code that just worked cannot be used again.
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "xem.a", "password": "mat-khau-rat-dai-2"})
        page = c.get(r.header("Location"))
        r = c.post("/xac-thuc-2-lop", {"_csrf": page.csrf(), "code": code})
        self.assertEqual(r.status, 400)
        self.assertTrue("đã được dùng" in r.text or "không đúng" in r.text)
        self.assertEqual(c.get("/quan-tri/tai-khoan").status, 303)

    def test_totp_secret_sealed_at_rest(self):
        """The TOTP secret is stored sealed under the secrets key, a file
        outside the database: the column never holds the base32 secret, and
        sign-in works.  A plain secret (an older version) still works and is
        sealed by init; a sealed secret copied to another account does not
        open; another key, or a key file others may read, is refused."""
        s = self.server
        for login in ("kin.a", "kin.b"):
            r = s.cli("user", "add", login, "--name", "Cán bộ Kín", "--unit", "79", "--role", "viewer",
                      "--password-stdin", input="mat-khau-rat-dai-3\n")
            self.assertEqual(r.returncode, 0, r.stderr)
        secret = s.client().signin_totp("kin.a", "mat-khau-rat-dai-3")
        stored = s.sql("SELECT totp_secret FROM accounts WHERE login = 'kin.a'")[0][0]
        self.assertTrue(stored.startswith("s1:"), stored)
        self.assertNotIn(secret, stored)
        self.assertEqual(s.sql("SELECT COUNT(*) FROM accounts WHERE totp_secret LIKE ?", "%" + secret + "%")[0][0], "0")
        # A secret an older version stored plain: read as it is, sealed by init.
        s.tamper("UPDATE accounts SET totp_secret = '%s', totp_last_step = 0 WHERE login = 'kin.a'" % secret)
        s.client().signin_totp("kin.a", "mat-khau-rat-dai-3")
        r = s.cli("init")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("sealed 1 TOTP secret stored in plain text", r.stderr)
        resealed = s.sql("SELECT totp_secret FROM accounts WHERE login = 'kin.a'")[0][0]
        self.assertTrue(resealed.startswith("s1:"))
        self.assertNotIn(secret, resealed)
        s.tamper("UPDATE accounts SET totp_last_step = 0 WHERE login = 'kin.a'")
        s.client().signin_totp("kin.a", "mat-khau-rat-dai-3")
        self.assertNotIn("sealed", s.cli("init").stderr)  # nothing left to seal
        # Copied into another account's row: it does not open there.
        s.tamper("UPDATE accounts SET totp_secret = '%s', totp_enabled = 1 WHERE login = 'kin.b'" % resealed)
        c = s.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "kin.b", "password": "mat-khau-rat-dai-3"})
        self.assertEqual(r.status, 303)
        page = c.get(r.header("Location"))
        r = c.post("/xac-thuc-2-lop", {"_csrf": page.csrf(), "code": totp(secret)})
        self.assertEqual(r.status, 400)
        self.assertEqual(c.get("/quan-tri/tai-khoan").status, 303)
        # Another key, or one others may read: the server does not start.
        d = tempfile.mkdtemp()
        try:
            other = os.path.join(d, "secrets.key")
            with open(other, "w") as f:
                f.write("ab" * 32 + "\n")
            os.chmod(other, 0o600)
            for mode, msg in ((0o600, "does not open the TOTP secrets"), (0o640, "can be read by other users")):
                os.chmod(other, mode)
                r = subprocess.run([BIN, "serve", "--db", s.db, "--listen", "127.0.0.1:0"], capture_output=True, text=True,
                                   timeout=60, env=dict(s.env, HOCVUSO_SECRETS_KEY=other))
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(msg, r.stderr)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_csrf_required_on_every_post(self):
        c = self.server.client()
        c.signin_admin()
        r = c.post("/quan-tri/tai-khoan", {"login": "x.y", "name": "X Y", "password": "mat-khau-dai-123", "unit": "79", "role": "volunteer"})
        self.assertEqual(r.status, 403)
        r = c.post("/quan-tri/tai-khoan", {"_csrf": "A" * 43, "login": "x.y", "name": "X Y", "password": "mat-khau-dai-123", "unit": "79", "role": "volunteer"})
        self.assertEqual(r.status, 403)
        # A token from another browser's session does not work either.
        other = self.server.client()
        token_other = other.get("/dang-nhap").csrf()
        r = c.post("/quan-tri/tai-khoan", {"_csrf": token_other, "login": "x.y", "name": "X Y", "password": "mat-khau-dai-123", "unit": "79", "role": "volunteer"})
        self.assertEqual(r.status, 403)
        self.assertNotIn("x.y", self.server.cli("user", "list").stdout)
        # Sign-in form without a token.
        self.assertEqual(self.server.client().post("/dang-nhap", {"login": "admin", "password": ADMIN_PASSWORD}).status, 403)

    def test_bearer_tokens(self):
        s = self.server
        tok = token_for(s, "mgr.a")
        c = s.client()
        r = c.get("/api/v1/me", headers=bearer(tok))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["roles"][0]["role"], "manager")
        self.assertEqual(c.get("/api/v1/me", headers=bearer("x" * 43)).status, 401)
        self.assertEqual(c.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status, 401)
        self.assertEqual(c.get("/api/v1/me").status, 401)
        r = s.cli("token", "revoke", tok)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(c.get("/api/v1/me", headers=bearer(tok)).status, 401)
        rows = self.db_rows("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?", tok)
        self.assertEqual(rows[0][0], 0, "tokens are stored hashed")

    def test_bearer_token_expiry_and_last_use(self):
        """Tokens expire (90 days by default, --days N), record when they were
        last used (at most once a minute, without the request waiting), are
        listed with both, and an expired one gets 401 saying so."""
        s = self.server
        r = s.cli("token", "create", "--user", "vol.a", "--label", "may-quet", "--days", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("expires", r.stdout)
        tok = r.stdout.strip().splitlines()[-1]
        tid = int(re.search(r"token (\d+)", r.stdout).group(1))
        created, expires = map(int, s.sql("SELECT created_at, expires_at FROM api_tokens WHERE id = ?", tid)[0])
        self.assertEqual(expires - created, 2 * 86400)
        default = token_for(s, "vol.a")
        created, expires = map(int, s.sql("SELECT created_at, expires_at FROM api_tokens WHERE id = "
                                          "(SELECT MAX(id) FROM api_tokens)")[0])
        self.assertEqual(expires - created, 90 * 86400)
        for bad in ("0", "367", "x", "-1"):
            r = s.cli("token", "create", "--user", "vol.a", "--days", bad)
            self.assertEqual(r.returncode, 2, (bad, r.stderr))
            self.assertIn("--days", r.stderr)
        # Never used yet; a use is recorded soon after, not at every request.
        self.assertEqual(s.sql("SELECT last_used_at FROM api_tokens WHERE id = ?", tid)[0][0], "")
        c = s.client()
        self.assertEqual(c.get("/api/v1/me", headers=bearer(tok)).status, 200)
        for _ in range(50):
            used = s.sql("SELECT last_used_at FROM api_tokens WHERE id = ?", tid)[0][0]
            if used:
                break
            time.sleep(0.1)
        self.assertGreaterEqual(int(used), int(time.time()) - 60)
        # More uses within the minute: not written again each time.
        s.tamper("UPDATE api_tokens SET last_used_at = last_used_at - 600 WHERE id = %d" % tid)
        old = s.sql("SELECT last_used_at FROM api_tokens WHERE id = ?", tid)[0][0]
        for _ in range(5):
            self.assertEqual(c.get("/api/v1/me", headers=bearer(tok)).status, 200)
        time.sleep(0.5)
        self.assertEqual(s.sql("SELECT last_used_at FROM api_tokens WHERE id = ?", tid)[0][0], old)
        # Listed with expiry and last use.
        r = s.cli("token", "list", "--user", "vol.a")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("last used", r.stdout.splitlines()[0])
        line = [x for x in r.stdout.splitlines() if x.split()[0] == str(tid)][0]
        self.assertIn("may-quet", line)
        self.assertEqual(line.split()[-2:], ["active", "-"], line)  # state, then scopes (none)
        self.assertEqual(len(re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", line)), 3, line)  # created, expires, last used
        self.assertNotIn("mgr.a", r.stdout)
        self.assertIn("mgr.a", s.cli("token", "list").stdout)
        self.assertEqual(s.cli("token", "list", "--user", "nobody").returncode, 2)
        # Expired: refused with 401 and a message that says so, on the API and on pages.
        s.tamper("UPDATE api_tokens SET expires_at = %d WHERE id = %d" % (int(time.time()) - 5, tid))
        r = c.get("/api/v1/me", headers=bearer(tok))
        self.assertEqual(r.status, 401)
        self.assertIn("hết hạn", r.json()["message"])
        self.assertIn("expired", r.json()["message"])
        r = c.get("/ho-tro/xuat.csv", headers=bearer(tok))
        self.assertEqual(r.status, 401)
        self.assertIn("hết hạn", r.text)
        self.assertTrue(s.cli("token", "list", "--user", "vol.a").stdout.count("expired") >= 1)
        self.assertEqual(c.get("/api/v1/me", headers=bearer(default)).status, 200)
        # Revoked after it expired: listed as revoked.
        self.assertEqual(s.cli("token", "revoke", str(tid)).returncode, 0)
        line = [x for x in s.cli("token", "list").stdout.splitlines() if x.split()[0] == str(tid)][0]
        self.assertEqual(line.split()[-2:], ["revoked", "-"], line)

    def test_role_scoping_idor(self):
        s = self.server
        c = s.client()
        tok_a = token_for(s, "mgr.a")
        # A ward manager reading another ward's account: 403.
        r = c.get("/api/v1/accounts/%d" % self.ids["mgr.b"], headers=bearer(tok_a))
        self.assertEqual(r.status, 403)
        # ... and a volunteer of their own ward: 200.
        r = c.get("/api/v1/accounts/%d" % self.ids["vol.a"], headers=bearer(tok_a))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["home_unit"], self.ward_a)
        # Upward: the province manager's account is out of a ward manager's reach.
        self.assertEqual(c.get("/api/v1/accounts/%d" % self.ids["prov.mgr"], headers=bearer(tok_a)).status, 403)
        # The province manager reaches both wards.
        tok_p = token_for(s, "prov.mgr")
        self.assertEqual(c.get("/api/v1/accounts/%d" % self.ids["mgr.b"], headers=bearer(tok_p)).status, 200)
        # A volunteer manages no accounts.
        tok_v = token_for(s, "vol.a")
        self.assertEqual(c.get("/api/v1/accounts/%d" % self.ids["mgr.a"], headers=bearer(tok_v)).status, 403)
        # Unknown and malformed ids.
        self.assertEqual(c.get("/api/v1/accounts/999999", headers=bearer(tok_p)).status, 404)
        self.assertEqual(c.get("/api/v1/accounts/abc", headers=bearer(tok_p)).status, 404)
        # Staff reads of another person's record are audit-logged.
        rows = self.db_rows("SELECT COUNT(*) FROM audit_log WHERE action = 'account.read' AND target = ?",
                            "account:%d" % self.ids["mgr.b"])
        self.assertGreaterEqual(rows[0][0], 1)

    def test_admin_pages_create_account_and_roles(self):
        c = self.server.client()
        c.signin_admin()
        r = c.form_post("/quan-tri/tai-khoan", "/quan-tri/tai-khoan",
                        {"login": "tnv.moi", "name": "Nguyễn Thị <b>Mới</b>", "password": "mat-khau-dai-123",
                         "unit": self.ward_a, "role": "volunteer"})
        self.assertEqual(r.status, 303, r.text[:500])
        page = c.get(r.header("Location"))
        self.assertEqual(page.status, 200)
        self.assertIn("Nguyễn Thị &lt;b&gt;Mới&lt;&#47;b&gt;", page.text)
        self.assertNotIn("<b>Mới</b>", page.text)
        # Bad inputs: each answered 400 with a message, nothing written.
        for bad in ({"login": "A B", "unit": self.ward_a}, {"login": "ok.login", "unit": "99999"},
                    {"login": "ok.login", "unit": self.ward_a, "password": "short"},
                    {"login": "ok.login", "unit": self.ward_a, "role": "emperor"}):
            f = {"name": "Tên Hợp Lệ", "password": "mat-khau-dai-123", "role": "volunteer"}
            f.update(bad)
            r = c.form_post("/quan-tri/tai-khoan", "/quan-tri/tai-khoan", f)
            self.assertEqual(r.status, 400, bad)
            self.assertIn('class="error"', r.text)
        self.assertNotIn("ok.login", self.server.cli("user", "list").stdout)
        # Duplicate login: 409.
        r = c.form_post("/quan-tri/tai-khoan", "/quan-tri/tai-khoan",
                        {"login": "tnv.moi", "name": "Ai Đó", "password": "mat-khau-dai-123", "unit": self.ward_a, "role": "volunteer"})
        self.assertEqual(r.status, 409)
        rows = self.db_rows("SELECT COUNT(*) FROM audit_log WHERE action = 'role.grant'")
        self.assertGreaterEqual(rows[0][0], 1)

    def test_ward_manager_page_scope(self):
        s = self.server
        c = s.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "mgr.a", "password": "mat-khau-rat-dai-1"})
        self.assertEqual(r.status, 303)
        page = c.get(r.header("Location"))
        secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")
        r = c.post("/xac-thuc-2-lop", {"_csrf": page.csrf(), "code": totp(secret)})
        self.assertEqual(r.status, 303)
        self.assertEqual(c.get("/quan-tri/tai-khoan/%d" % self.ids["mgr.b"]).status, 403)
        self.assertEqual(c.get("/quan-tri/tai-khoan/%d" % self.ids["vol.a"]).status, 200)
        self.assertEqual(c.get("/quan-tri/tai-khoan?unit=" + self.ward_b).status, 403)
        # Creating an account in another ward, or granting admin: refused.
        r = c.form_post("/quan-tri/tai-khoan", "/quan-tri/tai-khoan",
                        {"login": "lan.sang", "name": "Lấn Sang", "password": "mat-khau-dai-123", "unit": self.ward_b, "role": "volunteer"})
        self.assertEqual(r.status, 403)
        r = c.form_post("/quan-tri/tai-khoan", "/quan-tri/tai-khoan",
                        {"login": "quyen.cao", "name": "Quyền Cao", "password": "mat-khau-dai-123", "unit": self.ward_a, "role": "admin"})
        self.assertEqual(r.status, 400)
        self.assertNotIn("lan.sang", s.cli("user", "list").stdout)
        self.assertNotIn("quyen.cao", s.cli("user", "list").stdout)

    def test_staff_session_idle_limit_and_last_seen(self):
        """A staff session is seen at most once a minute (written without the
        page waiting) and ends after two hours without a visit."""
        s = self.server
        r = s.cli("user", "add", "nhan.roi", "--name", "Nhàn Rỗi", "--unit", "VN", "--role", "coordinator",
                  "--password-stdin", input="mat-khau-dai-12345\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = s.client()
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "nhan.roi", "password": "mat-khau-dai-12345"})
        self.assertEqual(r.status, 303)
        self.assertEqual(c.get("/tai-khoan").status, 200)
        who = "account_id = (SELECT id FROM accounts WHERE login = 'nhan.roi')"
        # Last seen half an hour ago: still signed in, and this visit is recorded.
        seen = self.visit_after_idle(c, who, 1800)
        # Many visits within the minute: no write each time (still the same value).
        for _ in range(5):
            self.assertEqual(c.get("/tai-khoan").status, 200)
        self.assertEqual(int(s.sql("SELECT last_seen FROM sessions WHERE " + who)[0][0]), seen)
        # Three hours without a visit: signed out, sent to sign in.
        s.tamper("UPDATE sessions SET last_seen = last_seen - 3 * 3600 WHERE " + who)
        r = c.get("/tai-khoan")
        self.assertEqual(r.status, 303)
        self.assertIn("/dang-nhap", r.header("Location"))

    def test_learner_session_idle_limit(self):
        """A learner's session lasts 30 days but ends after 7 days without a
        visit; a visit within them keeps it (and is recorded)."""
        s = self.server
        c = s.client()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Ít Ghé", "phone": "0912000444", "pin": "246813",
                                                 "pin2": "246813", "consent": "yes"})
        self.assertEqual(r.status, 303)
        self.assertEqual(c.get("/tai-khoan").status, 200)
        who = "account_id = (SELECT id FROM accounts WHERE phone = '0912000444')"
        created, expires = map(int, s.sql("SELECT created_at, expires_at FROM sessions WHERE " + who)[0])
        self.assertEqual(expires - created, 30 * 86400)
        # Six days without a visit: still signed in, and the visit is recorded.
        self.visit_after_idle(c, who, 6 * 86400)
        # Eight days without a visit: signed out, the cookie cleared.
        s.tamper("UPDATE sessions SET last_seen = last_seen - 8 * 86400 WHERE " + who)
        r = c.get("/tai-khoan")
        self.assertEqual(r.status, 303)
        self.assertIn("/dang-nhap", r.header("Location"))
        self.assertNotIn("hv_s", c.cookies)
        # Signing in again starts a fresh session.
        r = c.form_post("/dang-nhap/hoc-vien", "/dang-nhap/hoc-vien", {"phone": "0912000444", "pin": "246813"})
        self.assertEqual(r.status, 303)
        self.assertEqual(c.get("/tai-khoan").status, 200)

    def test_session_fixation(self):
        c = self.server.client()
        c.cookies["hv_s"] = "A" * 43
        self.assertEqual(c.get("/tai-khoan").status, 303)
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Trần Văn Cố Định", "phone": "0912000111", "pin": "246813", "pin2": "246813", "consent": "yes"})
        self.assertEqual(r.status, 303)
        self.assertNotEqual(c.cookies.get("hv_s"), "A" * 43)

    def test_learner_register_consent_and_pin_lockout(self):
        s = self.server
        c = s.client()
        base = {"name": "Lê Thị Hoa", "phone": "0987 654 321", "pin": "135790", "pin2": "135790"}
        r = c.form_post("/dang-ky", "/dang-ky", base)  # no consent
        self.assertEqual(r.status, 400)
        self.assertIn("đồng ý", r.text)
        r = c.form_post("/dang-ky", "/dang-ky", dict(base, pin="123456", pin2="123456", consent="yes"))
        self.assertEqual(r.status, 400)
        r = c.form_post("/dang-ky", "/dang-ky", dict(base, pin2="135791", consent="yes"))
        self.assertEqual(r.status, 400)
        r = c.form_post("/dang-ky", "/dang-ky", dict(base, phone="12345", consent="yes"))
        self.assertEqual(r.status, 400)
        r = c.form_post("/dang-ky", "/dang-ky", dict(base, consent="yes", unit=self.ward_a))
        self.assertEqual(r.status, 303)
        me = c.get("/tai-khoan")
        self.assertIn("Lê Thị Hoa", me.text)
        rows = self.db_rows("SELECT CASE WHEN consent_at IS NOT NULL THEN 1 ELSE 0 END, home_unit FROM accounts WHERE phone = '0987654321'")
        self.assertEqual(rows[0], (1, int(self.ward_a)))
        r = s.client().form_post("/dang-ky", "/dang-ky", dict(base, consent="yes"))
        self.assertEqual(r.status, 409)
        # Five wrong PINs lock the account; then even the right PIN waits.
        d = s.client()
        for i in range(5):
            r = d.form_post("/dang-nhap/hoc-vien", "/dang-nhap/hoc-vien", {"phone": "0987654321", "pin": "000001"})
            self.assertIn(r.status, (400, 429))
        r = d.form_post("/dang-nhap/hoc-vien", "/dang-nhap/hoc-vien", {"phone": "0987654321", "pin": "135790"})
        self.assertEqual(r.status, 429)
        self.assertIn("tạm khóa", r.text)


if __name__ == "__main__":
    main()
