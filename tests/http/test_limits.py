"""test_limits.py: sign-in rate limit per client address, account lockout
for staff, /healthz answering 503 while PostgreSQL is down and the server
reconnecting when it is back (PostgreSQL runs only)."""
import os
import subprocess
import time

from harness import ADMIN_PASSWORD, BACKEND, ROOT, ServerTest, ZZCleanExit, main  # noqa: F401


class Limits(ServerTest):
    def test_staff_lockout_after_five_failures(self):
        s = self.server
        r = s.cli("user", "add", "khoa.thu", "--name", "Khóa Thử", "--unit", "79", "--role", "volunteer",
                  "--password-stdin", input="mat-khau-dung-123\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = s.client()
        for _ in range(5):
            r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "khoa.thu", "password": "mat-khau-sai-000"})
            self.assertIn(r.status, (400, 429))
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "khoa.thu", "password": "mat-khau-dung-123"})
        self.assertEqual(r.status, 429)
        self.assertIn("tạm khóa", r.text)
        rows = s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'signin.lock'")
        self.assertGreaterEqual(int(rows[0][0]), 1)

    def test_zz_rate_limit_per_address(self):
        c = self.server.client()
        # The limit counts per clock minute: start early in one, so that the
        # 25 attempts are not split across two (each half under the limit).
        if time.time() % 60 > 45:
            time.sleep(61 - time.time() % 60)
        statuses = []
        for _ in range(25):
            r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "nobody.here", "password": "khong-dung-123"})
            statuses.append(r.status)
        self.assertIn(429, statuses)
        self.assertIn("Quá nhiều lần đăng nhập", r.text)
        # Other pages still answer.
        self.assertEqual(c.get("/healthz").status, 200)

    def test_healthz_503_while_postgres_is_down(self):
        pgdir = os.environ.get("HOCVUSO_TEST_PG_DIR")
        if BACKEND != "postgres" or not pgdir:
            self.skipTest("needs the PostgreSQL backend and HOCVUSO_TEST_PG_DIR")
        c = self.server.client()
        self.assertEqual(c.get("/healthz").status, 200)
        pg = os.path.join(ROOT, "tests", "pg.sh")
        port = self.server.db.rsplit(":", 1)[1].split("/")[0]
        subprocess.run([pg, "stop", pgdir], check=True)
        try:
            r = c.get("/healthz")
            self.assertEqual(r.status, 503)
            self.assertEqual(r.json()["status"], "database unavailable")
            self.assertEqual(c.get("/api/v1/me", headers={"Authorization": "Bearer " + "x" * 43}).status, 503)
        finally:
            subprocess.run([pg, "start", pgdir, port], check=True, stdout=subprocess.DEVNULL)
        for _ in range(20):
            if c.get("/healthz").status == 200:
                break
            time.sleep(0.25)
        self.assertEqual(c.get("/healthz").status, 200)
        self.assertEqual(c.get("/don-vi/79").status, 200)


if __name__ == "__main__":
    main()
