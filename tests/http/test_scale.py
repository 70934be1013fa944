"""test_scale.py (PostgreSQL runs): stateless app servers and read replicas.
Two `hocvuso serve` on one PostgreSQL behind nginx: a session, a CSRF token
and the sign-in rate limit made on one server hold on the other.  A
streaming replica on loopback serves the public verification page
(--db-read) while the primary is down, and refuses writes."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import BACKEND, BIN, ROOT, Client, ServerTest, ZZCleanExit, main  # noqa: F401

PG = os.path.join(ROOT, "tests", "pg.sh")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def serve(srv, extra=()):
    env = dict(srv.env, HOCVUSO_TRUST_PROXY="true", HOCVUSO_CONN_PER_IP="0")
    proc = subprocess.Popen([BIN, "serve", "--db", srv.db, "--listen", "127.0.0.1:0", "--access-log", "off"] + list(extra),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    while True:
        line = proc.stderr.readline()
        m = re.search(r"listening on http://[^:]+:(\d+)", line)
        if m:
            return proc, int(m.group(1))
        if not line:
            raise RuntimeError("server did not start")


@unittest.skipUnless(BACKEND == "postgres", "runs on the PostgreSQL backend")
class Scale(ServerTest):
    def test_two_servers_behind_nginx(self):
        if not shutil.which("nginx"):
            self.skipTest("nginx is not installed")
        s = self.server
        b, port_b = serve(s)
        tmp = tempfile.mkdtemp()
        try:
            nport = free_port()
            conf = os.path.join(tmp, "nginx.conf")
            with open(conf, "w") as f:
                f.write("""worker_processes 1; pid %s/nginx.pid; error_log %s/error.log; daemon on;
events { worker_connections 256; }
http { access_log %s/access.log;
  client_body_temp_path %s/t1; proxy_temp_path %s/t2; fastcgi_temp_path %s/t3; uwsgi_temp_path %s/t4; scgi_temp_path %s/t5;
  upstream app { server 127.0.0.1:%d; server 127.0.0.1:%d; }
  server { listen 127.0.0.1:%d;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr; } } }
""" % ((tmp,) * 8 + (s.port, port_b, nport)))
            subprocess.run(["nginx", "-c", conf, "-p", tmp], check=True)
            time.sleep(0.3)
            # Sign in on server A, carry on through server B and through nginx.
            a = Client(s.port)
            r = a.form_post("/dang-ky", "/dang-ky", {"name": "Người Hai Máy", "phone": "0988000777", "pin": "630514",
                                                     "pin2": "630514", "consent": "yes"})
            self.assertEqual(r.status, 303, r.text[-300:] + "".join(s.err_lines[-15:]))
            on_b = Client(port_b)
            on_b.cookies = dict(a.cookies)
            me = on_b.get("/tai-khoan")
            self.assertEqual(me.status, 200)
            self.assertIn("Người Hai Máy", me.text)
            # A CSRF token from A's page is accepted by B (it is keyed by the shared secret).
            token_from_a = a.get("/tai-khoan").csrf()
            r = on_b.post("/dang-xuat", {"_csrf": token_from_a})
            self.assertEqual(r.status, 303)
            # Signed out on B means signed out on A too.
            self.assertEqual(a.get("/tai-khoan").status, 303)
            via = Client(nport)
            r = via.form_post("/dang-nhap/hoc-vien", "/dang-nhap/hoc-vien", {"phone": "0988000777", "pin": "630514"})
            self.assertEqual(r.status, 303)
            for _ in range(6):  # round robin: both servers answer with the same session
                self.assertIn("Người Hai Máy", via.get("/tai-khoan").text)
            # The sign-in rate limit is shared: attempts split over both servers add up.
            statuses = []
            for i in range(24):
                c = Client(s.port if i % 2 else port_b)
                statuses.append(c.form_post("/dang-nhap", "/dang-nhap", {"login": "khong.co", "password": "sai-mat-khau-1"}).status)
            self.assertIn(429, statuses)
        finally:
            subprocess.run(["nginx", "-c", os.path.join(tmp, "nginx.conf"), "-p", tmp, "-s", "stop"], stderr=subprocess.DEVNULL)
            b.send_signal(signal.SIGTERM)
            b.wait(timeout=30)
            shutil.rmtree(tmp, ignore_errors=True)

    def test_read_replica(self):
        pgdir = os.environ.get("HOCVUSO_TEST_PG_DIR")
        if not pgdir:
            self.skipTest("needs HOCVUSO_TEST_PG_DIR (the primary's data folder)")
        s = self.server
        primary_port = s.db.rsplit(":", 1)[1].split("/")[0]
        rdir = tempfile.mkdtemp(prefix="hv-replica-")
        rport = free_port()
        replica = subprocess.run([PG, "replica", rdir, str(rport), primary_port], capture_output=True, text=True, check=True).stdout.strip()
        proc = None
        try:
            # A certificate to look up: complete a course on the primary.
            from test_learn import Learn
            c = Client(s.port)
            c.form_post("/dang-ky", "/dang-ky", {"name": "Lê Văn Bản Sao", "phone": "0988000888", "pin": "630514",
                                                 "pin2": "630514", "consent": "yes"})
            course = "vneid"
            for slug in [x for x in dict.fromkeys(re.findall(r'href="/hoc/%s/([a-z0-9-]+)"' % course, c.get("/hoc/" + course).text)) if x != "kiem-tra"]:
                c.post("/hoc/%s/%s/da-hoc" % (course, slug), c.get("/hoc/%s/%s" % (course, slug)).read_form())
            Learn.pass_quiz(self, c, course)
            code = re.search(r"HV-[0-9A-Z]{4}-[0-9A-Z]{4}", c.get("/hoc-tap-cua-toi").text).group(0)
            proc, port = serve(s, ["--db-read", replica])
            r2 = Client(port)
            for _ in range(40):  # replication lag
                if r2.get("/xac-thuc/" + code).status == 200:
                    break
                time.sleep(0.25)
            subprocess.run([PG, "stop", pgdir], check=True)
            try:
                # The primary is down: the public page still answers from the replica...
                v = r2.get("/xac-thuc/" + code)
                self.assertEqual(v.status, 200)
                self.assertIn("Chứng nhận hợp lệ", v.text)
                self.assertEqual(r2.get("/api/v1/certificates/" + code).json()["status"], "valid")
                # ...and writes are refused, with a clear answer.
                r = r2.form_post("/dang-ky", "/dang-ky", {"name": "Ai Đó", "phone": "0988000999", "pin": "630514", "pin2": "630514", "consent": "yes"})
                self.assertEqual(r.status, 503)
            finally:
                subprocess.run([PG, "start", pgdir, primary_port], check=True, stdout=subprocess.DEVNULL)
            # The replica itself refuses writes.
            w = subprocess.run([BIN, "user", "add", "ghi.thu", "--name", "Ghi Thử", "--db", replica, "--password-stdin"],
                               input="mat-khau-dai-123\n", capture_output=True, text=True, env=s.env)
            self.assertNotEqual(w.returncode, 0)
        finally:
            if proc:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
            subprocess.run([PG, "stop", rdir], stderr=subprocess.DEVNULL)
            shutil.rmtree(rdir, ignore_errors=True)


@unittest.skipUnless(BACKEND == "postgres", "runs on the PostgreSQL backend")
class MigrateDb(unittest.TestCase):
    def test_sqlite_to_postgres(self):
        base = os.environ["HOCVUSO_TEST_PG"]
        target = base.rsplit("/", 1)[0] + "/hv_migrate_test"
        subprocess.run(["psql", base, "-q", "-c", "DROP DATABASE IF EXISTS hv_migrate_test"], check=True, capture_output=True)
        subprocess.run(["psql", base, "-q", "-c", "CREATE DATABASE hv_migrate_test"], check=True, capture_output=True)
        tmp = tempfile.mkdtemp()
        env = dict(os.environ, HOCVUSO_ADMIN_PASSWORD="admin-test-password-123")
        env.pop("HOCVUSO_CONFIG", None)
        db = os.path.join(tmp, "commune.db")
        try:
            self.assertEqual(subprocess.run([BIN, "init", "--db", db], env=env, capture_output=True).returncode, 0)
            proc = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--access-log", "off"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
            port = None
            while port is None:
                m = re.search(r"listening on http://[^:]+:(\d+)", proc.stderr.readline())
                port = int(m.group(1)) if m else None
            c = Client(port)
            r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Chuyển Lên", "phone": "0977555666", "pin": "730195",
                                                     "pin2": "730195", "consent": "yes"})
            self.assertEqual(r.status, 303)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            r = subprocess.run([BIN, "migrate-db", "--from", "sqlite:" + db, "--to", target], capture_output=True, text=True, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("copied and verified", r.stdout)
            self.assertNotIn("DIFFERENT", r.stdout)
            r = subprocess.run([BIN, "migrate-db", "--from", "sqlite:" + db, "--to", target], capture_output=True, text=True, env=env)
            self.assertEqual(r.returncode, 2)
            self.assertIn("--force", r.stderr)
            self.assertEqual(subprocess.run([BIN, "migrate-db", "--from", "sqlite:" + db], capture_output=True).returncode, 2)
            # The copy is a working database: the learner signs in on it.
            # With the key files beside the SQLite file, named by absolute paths.
            shutil.copy(os.path.join(tmp, "issuer.key"), os.path.join(tmp, "pg-issuer.key"))
            shutil.copy(os.path.join(tmp, "secrets.key"), os.path.join(tmp, "pg-secrets.key"))
            env2 = dict(env, HOCVUSO_ISSUER_KEY=os.path.join(tmp, "pg-issuer.key"),
                        HOCVUSO_SECRETS_KEY=os.path.join(tmp, "pg-secrets.key"))
            proc = subprocess.Popen([BIN, "serve", "--db", target, "--listen", "127.0.0.1:0", "--access-log", "off"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env2, text=True)
            port = None
            while port is None:
                line = proc.stderr.readline()
                if not line:
                    break
                m = re.search(r"listening on http://[^:]+:(\d+)", line)
                port = int(m.group(1)) if m else None
            self.assertIsNotNone(port)
            c = Client(port)
            r = c.form_post("/dang-nhap/hoc-vien", "/dang-nhap/hoc-vien", {"phone": "0977555666", "pin": "730195"})
            self.assertEqual(r.status, 303)
            self.assertIn("Người Chuyển Lên", c.get("/tai-khoan").text)
            # New rows get fresh ids after the copied ones.
            r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Mới Trên PG", "phone": "0977555667", "pin": "730195",
                                                     "pin2": "730195", "consent": "yes"})
            self.assertEqual(r.status, 303)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            subprocess.run(["psql", base, "-q", "-c", "DROP DATABASE IF EXISTS hv_migrate_test"], capture_output=True)


if __name__ == "__main__":
    main()
