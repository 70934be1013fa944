"""harness.py: starts a real hocvuso server on a free loopback port against a
fresh database (SQLite file, or PostgreSQL when HOCVUSO_TEST_BACKEND=postgres),
and gives tests an HTTP client that keeps cookies and does not follow
redirects.  Standard library only.

Environment: HOCVUSO_BIN (binary to test, default build/hocvuso),
HOCVUSO_TEST_BACKEND (sqlite|postgres), HOCVUSO_TEST_PG (postgres URL).
Servers run with HOCVUSO_LESSON_SECONDS=0 unless the test gives another.
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("HOCVUSO_BIN", os.path.join(ROOT, "build", "hocvuso"))
BACKEND = os.environ.get("HOCVUSO_TEST_BACKEND", "sqlite")
ADMIN_PASSWORD = "admin-test-password-123"


def totp(secret_b32, t=None, step_offset=0):
    key = base64.b32decode(secret_b32)
    counter = int((t if t is not None else time.time()) // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000
    return "%06d" % code


def reset_pg(url):
    """Empties the test database so each server starts fresh."""
    subprocess.run(["psql", url, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def bearer(tok):
    """The header of a request made with an API token."""
    return {"Authorization": "Bearer " + tok}


class Server:
    def __init__(self, extra_env=None):
        self.tmp = tempfile.mkdtemp(prefix="hv-http-")
        if BACKEND == "postgres":
            self.db = os.environ["HOCVUSO_TEST_PG"]
            reset_pg(self.db)
        else:
            self.db = os.path.join(self.tmp, "test.db")
        self.env = dict(os.environ)
        self.env["HOCVUSO_ADMIN_PASSWORD"] = ADMIN_PASSWORD
        self.env.pop("HOCVUSO_CONFIG", None)
        # A lesson counts as read once its page was served; how long after
        # (lesson_seconds, 30 by default) is tested where it matters.
        self.env.setdefault("HOCVUSO_LESSON_SECONDS", "0")
        if BACKEND == "postgres":
            # No default key paths beside a database server: explicit ones.
            self.env["HOCVUSO_ISSUER_KEY"] = os.path.join(self.tmp, "issuer.key")
            self.env["HOCVUSO_SECRETS_KEY"] = os.path.join(self.tmp, "secrets.key")
        if extra_env:
            self.env.update(extra_env)
        r = self.cli("init")
        if r.returncode != 0:
            raise RuntimeError("init failed: " + r.stderr)
        self.log = open(os.path.join(self.tmp, "server.log"), "w+")
        self.proc, self.port = self.serve("access.log")
        # Keep reading the server's stderr into a file: a full pipe would
        # block the server, and the log explains failures.
        self.errlog = os.path.join(self.tmp, "stderr.log")
        self.err_lines = []

        def drain(stream, lines, path):
            with open(path, "a") as f:
                for line in stream:
                    lines.append(line)
                    f.write(line)
                    f.flush()
        import threading
        self.drainer = threading.Thread(target=drain, args=(self.proc.stderr, self.err_lines, self.errlog), daemon=True)
        self.drainer.start()

    def serve(self, access_log, extra_env=None):
        """Starts `hocvuso serve` on this database; returns (process, port)."""
        proc = subprocess.Popen([BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--threads", "2",
                                 "--access-log", os.path.join(self.tmp, access_log)],
                                stdout=self.log, stderr=subprocess.PIPE, env=dict(self.env, **(extra_env or {})), text=True)
        line = ""
        deadline = time.time() + 30
        while time.time() < deadline:
            line = proc.stderr.readline()
            m = re.search(r"listening on http://[^:]+:(\d+)", line)
            if m:
                return proc, int(m.group(1))
            if not line and proc.poll() is not None:
                raise RuntimeError("server exited: " + line)
        proc.kill()
        raise RuntimeError("server did not start")

    def peer(self, extra_env=None):
        """A second server process on the same database (another app server
        of one deployment); returns (process, Client).  Stop it with
        stop_peer before the test ends."""
        proc, port = self.serve("access-peer.log", extra_env)
        import threading
        threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
        return proc, Client(port)

    @staticmethod
    def stop_peer(proc):
        proc.send_signal(signal.SIGTERM)
        return proc.wait(timeout=60)

    def cli(self, *args, input=None, db=True):
        cmd = [BIN] + list(args) + (["--db", self.db] if db else [])
        return subprocess.run(cmd, capture_output=True, text=True, env=self.env, input=input, timeout=120)

    def staff_token(self, login, role, unit, password="mat-khau-dai-12345"):
        """Adds a staff account holding role at unit (CLI) and returns a
        bearer token for it."""
        r = self.cli("user", "add", login, "--name", "Người " + login, "--unit", unit, "--role", role,
                     "--password-stdin", input=password + "\n")
        assert r.returncode == 0, r.stderr
        return self.cli("token", "create", "--user", login).stdout.strip().splitlines()[-1]

    def two_wards(self):
        """The codes of the first two wards of Hồ Chí Minh City."""
        kids = self.client().get("/api/v1/units/79/children").json()
        return kids[0]["code"], kids[1]["code"]

    def stop(self):
        """Stops the server; returns (exit code, stderr tail) so tests can
        assert a clean exit (ASan/LSan findings make it non-zero)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=60)
            self.drainer.join(timeout=10)
            err = "".join(self.err_lines)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code, err = -9, "timeout"
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return code, err

    def client(self):
        return Client(self.port)

    def tamper(self, sql):
        """Changes the database behind every server's back (for tests of
        what notices it, or what a rebuild repairs)."""
        if BACKEND == "postgres":
            subprocess.run(["psql", self.db, "-q", "-c", sql], check=True)
            return
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            con.execute(sql)
            con.commit()
        finally:
            con.close()

    def sql(self, query, *args):
        """Rows of a read-only query on the server's database, every value
        as a string, on either backend (for checks that nothing was written
        or that an audit row exists)."""
        if BACKEND == "postgres":
            q = query
            for i, a in enumerate(args, 1):
                q = q.replace("?", "'" + str(a).replace("'", "''") + "'", 1)
            r = subprocess.run(["psql", self.db, "-At", "-F", "\t", "-c", q], capture_output=True, text=True, check=True)
            return [tuple(line.split("\t")) for line in r.stdout.splitlines()]
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            return [tuple("" if v is None else str(v) for v in row) for row in con.execute(query, args).fetchall()]
        finally:
            con.close()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def csrf(self):
        m = re.search(r'name="_csrf" value="([^"]+)"', self.text)
        return m.group(1) if m else None

    def field(self, name):
        """The value of the page's hidden field name (None if absent)."""
        m = re.search(r'<input type="hidden" name="%s" value="([^"]*)">' % re.escape(name), self.text)
        return m.group(1) if m else None

    def read_form(self):
        """A lesson page's "Tôi đã học xong bài này" form: the signed time
        the page was served (field mo)."""
        return {"mo": self.field("mo")}


_next_source = [0]


def fresh_source():
    """A loopback address no other client of this process has used: a
    different phone, for limits kept per client address."""
    _next_source[0] += 1
    n = _next_source[0]
    return "127.0.%d.%d" % (100 + n // 250, 1 + n % 250)


class Client:
    def __init__(self, port, source=None):
        self.port = port
        self.cookies = {}
        self.source = source  # client address (127.x.y.z), None: 127.0.0.1

    def request(self, method, path, body=None, headers=None, raw_body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                          source_address=(self.source, 0) if self.source else None)
        h = dict(headers or {})
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        data = raw_body
        if body is not None:
            if isinstance(body, dict):
                data = urllib.parse.urlencode(body).encode()
                h.setdefault("Content-Type", "application/x-www-form-urlencoded")
            else:
                data = body
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        conn.close()
        for v in resp.headers_all("Set-Cookie"):
            name, _, rest = v.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in v:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form=None, **kw):
        return self.request("POST", path, body=form if form is not None else {}, **kw)

    def post_json(self, path, obj, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", path, body=json.dumps(obj).encode(), headers=h)

    def form_post(self, page, action, fields):
        """GETs page, takes its CSRF token, POSTs fields to action."""
        r = self.get(page)
        token = r.csrf()
        assert token, "no CSRF token on " + page
        f = dict(fields)
        f["_csrf"] = token
        return self.post(action, f)

    def signin_totp(self, login, password, next_path="/tai-khoan"):
        """Signs in a staff account that needs a second factor, enrolling
        it on first use; returns the TOTP secret."""
        r = self.form_post("/dang-nhap", "/dang-nhap", {"login": login, "password": password, "next": next_path})
        assert r.status == 303, (r.status, r.text[:300])
        page = self.get(r.header("Location"))
        m = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text)
        secret = m.group(1).replace(" ", "") if m else Client.secrets[login]
        Client.secrets[login] = secret
        r2 = self.post("/xac-thuc-2-lop", {"_csrf": page.csrf(), "code": totp(secret), "next": next_path})
        assert r2.status == 303, (r2.status, r2.text[-600:])
        return secret

    def signin_admin(self):
        """Signs in as admin once per server and shares that session: a TOTP
        code is good once, so repeated sign-ins within 30 s would fail."""
        key = self.port
        if key not in Client.admin_sessions:
            self.signin_totp("admin", ADMIN_PASSWORD)
            Client.admin_sessions[key] = dict(self.cookies)
        else:
            self.cookies = dict(Client.admin_sessions[key])

    secrets = {}
    admin_sessions = {}


class ServerTest(unittest.TestCase):
    """Base class: one server for the whole module (see module_server)."""
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = module_server()


_server = None


def module_server():
    global _server
    if _server is None:
        _server = Server()
    return _server


class ZZCleanExit(unittest.TestCase):
    """Last test of a module: the server stops cleanly (no sanitizer report)."""

    def test_server_exits_cleanly(self):
        global _server
        if _server is None:
            self.skipTest("no server started")
        code, err = _server.stop()
        _server = None
        self.assertNotIn("AddressSanitizer", err)
        self.assertNotIn("LeakSanitizer", err)
        self.assertNotIn("runtime error", err)
        self.assertEqual(code, 0, err[-2000:])


def main():
    """Runs the module's tests and prints the RESULT line tests/run.sh adds up."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules["__main__"])
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout)
    res = runner.run(suite)
    failed = len(res.failures) + len(res.errors)
    skipped = len(res.skipped)
    passed = max(0, res.testsRun - failed - skipped)
    print("RESULT passed=%d failed=%d skipped=%d" % (passed, failed, skipped))
    sys.exit(1 if failed else 0)
