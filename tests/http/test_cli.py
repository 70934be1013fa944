"""test_cli.py: every subcommand's --help, bad arguments (exit 2 with one
line), unit imports (validated, all-or-nothing, diffs), tokens, backup
while serving."""
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from harness import BACKEND, BIN, ROOT, ServerTest, ZZCleanExit, main  # noqa: F401

SEED = os.path.join(ROOT, "data", "seed", "vn-admin-units-2025.csv")


def run(*args, input=None):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True, input=input, timeout=120)


class Cli(ServerTest):
    def test_help_for_every_command(self):
        for cmd in ("init", "serve", "import", "user", "token", "backup", "cert", "indicators", "demo"):
            r = run(cmd, "--help")
            self.assertEqual(r.returncode, 0, cmd)
            self.assertIn("usage: hocvuso " + cmd, r.stdout)
        self.assertEqual(run("--help").returncode, 0)
        r = run("version")
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("hocvuso "))

    def test_bad_arguments_exit_2_with_one_line(self):
        cases = [
            [], ["bogus"], ["init", "--bogus"], ["serve", "--listen"], ["serve", "--threads", "0", "--db", self.server.db],
            ["serve", "--listen", "nonsense", "--db", self.server.db], ["import", "people", "x.csv"], ["import"],
            ["user"], ["user", "fly"], ["user", "add", "x.y"], ["user", "role", "admin", "--add", "king", "--unit", "79"],
            ["token", "create"], ["token", "destroy", "x"], ["backup"], ["version", "extra"],
            ["user", "add", "Bad Login", "--name", "Tên", "--db", self.server.db],
            ["user", "passwd", "nobody", "--db", self.server.db],
            ["token", "create", "--user", "nobody", "--db", self.server.db],
            ["demo", "--learners", "x"], ["demo", "--learners", "99999999"], ["demo", "--assists", "-5"], ["demo", "--learners", "-1"],
            ["demo", "--seed", "0"], ["demo", "extra"], ["demo", "--learners"],
        ]
        for args in cases:
            r = run(*args, input="mat-khau-dai-123\n")
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            lines = [x for x in r.stderr.splitlines() if x.strip()]
            self.assertGreaterEqual(len(lines), 1, args)
            if args:
                self.assertLessEqual(len(lines), 1 if args != [] else 20, (args, r.stderr))

    def test_missing_database_is_explained(self):
        d = tempfile.mkdtemp()
        r = run("user", "list", "--db", os.path.join(d, "none.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("hocvuso init", r.stderr)
        r = run("user", "list", "--db", "postgres://nobody@127.0.0.1:1/none")
        self.assertEqual(r.returncode, 1)
        self.assertIn("PostgreSQL", r.stderr)

    def test_token_printed_alone_on_last_line(self):
        r = self.server.cli("token", "create", "--user", "admin", "--label", "ci")
        self.assertEqual(r.returncode, 0, r.stderr)
        last = r.stdout.strip().splitlines()[-1]
        self.assertRegex(last, r"^[A-Za-z0-9_-]{43}$")
        r = self.server.cli("token", "revoke", last)
        self.assertEqual(r.returncode, 0)
        r = self.server.cli("token", "revoke", last)
        self.assertEqual(r.returncode, 2)

    def write(self, text):
        fd, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def units_count(self):
        return len(self.server.client().get("/api/v1/units/79/children").json())

    def test_import_rejects_bad_files_and_names_the_line(self):
        head = "code,name,level,parent_code,kind\n"
        bad = {
            "bad level": head + "79,Thành phố Hồ Chí Minh,city,,thành phố\n",
            "duplicate": head + "79,Thành phố Hồ Chí Minh,province,,thành phố\n79,Thành phố X,province,,thành phố\n",
            "unknown parent": head + "79,Thành phố Hồ Chí Minh,province,,thành phố\n26740,Phường Sài Gòn,commune,80,phường\n",
            "bad code": head + "7,Tỉnh Lạ,province,,tỉnh\n",
            "bad kind": head + "79,Thành phố Hồ Chí Minh,province,,phường\n",
            "bad header": "ma,ten\n1,2\n",
            "quote": head + "79,\"Thành phố,province,,thành phố\n",
            "fields": head + "79,Thành phố Hồ Chí Minh,province\n",
            "utf8": None,
            "empty": "",
        }
        import time
        time.sleep(1.1)  # let an earlier import reach the server
        before = self.units_count()
        for what, text in bad.items():
            path = self.write(text or "")
            if what == "utf8":
                with open(path, "wb") as f:
                    f.write(head.encode() + b"79,Th\xc3\x28nh,province,,th\xc3\xa0nh ph\xe1\xbb\x91\n")
            r = self.server.cli("import", "units", path)
            self.assertEqual(r.returncode, 1, (what, r.stdout, r.stderr))
            self.assertIn("nothing was imported", r.stderr, what)
            if what not in ("empty",):
                self.assertRegex(r.stderr, r"\.csv:\d+", what)
            os.unlink(path)
        time.sleep(1.1)
        self.assertEqual(self.units_count(), before)
        r = self.server.cli("import", "units", "/nonexistent.csv")
        self.assertEqual(r.returncode, 1)

    def test_import_diffs_by_code(self):
        with open(SEED, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 3356)
        # Re-importing the same file changes nothing.
        r = self.server.cli("import", "units", SEED)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("3355 unchanged", r.stdout)
        kids = self.server.client().get("/api/v1/units/79/children").json()
        a, b = kids[-2]["code"], kids[-1]["code"]
        out = ["code,name,level,parent_code,kind,successor_code"]
        for line in lines[1:]:
            code = line.split(",", 1)[0]
            if code == a:
                line = line.split(",")
                line[1] = line[1] + " Mới"
                line = ",".join(line)
            out.append(line + ("," + a if code == b else ","))
        path = self.write("\n".join(out) + "\n")
        r = self.server.cli("import", "units", path)
        os.unlink(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 renamed", r.stdout)
        self.assertIn("1 retired", r.stdout)
        c = self.server.client()
        import time
        time.sleep(1.1)  # the server checks the units version once a second
        retired = c.get("/api/v1/units/" + b).json()
        self.assertTrue(retired["retired"])
        self.assertEqual(retired["successor_code"], a)
        self.assertTrue(c.get("/api/v1/units/" + a).json()["name"].endswith(" Mới"))
        self.assertEqual(len(c.get("/api/v1/units/79/children").json()), 167)
        # And back: the unit returns, the name is restored.
        r = self.server.cli("import", "units", SEED)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 renamed", r.stdout)
        self.assertIn("1 restored", r.stdout)

    def test_backup_while_serving(self):
        if BACKEND != "sqlite":
            self.skipTest("backup copies SQLite")
        c = self.server.client()
        dest = os.path.join(tempfile.mkdtemp(), "copy.db")
        for _ in range(3):
            c.form_post("/dang-ky", "/dang-ky", {"name": "Người Sao Lưu", "phone": "09%08d" % (len(os.listdir("/tmp")) % 10**8), "pin": "246813", "pin2": "246813", "consent": "yes"})
        r = self.server.cli("backup", dest)
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(dest)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertGreaterEqual(con.execute("SELECT COUNT(*) FROM units").fetchone()[0], 3356)
        con.close()
        r = self.server.cli("backup", dest)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--force", r.stderr)
        r = self.server.cli("backup", dest, "--force")
        self.assertEqual(r.returncode, 0)

    def test_database_and_backup_are_private(self):
        """The database, its -wal and -shm files and a backup are readable by
        their owner only (0600) whatever the umask; a database left readable
        by others is narrowed when opened, with a line saying so."""
        if BACKEND != "sqlite":
            self.skipTest("files of an SQLite database")
        db = self.server.db
        self.server.client().get("/tai-khoan")  # the server has it open: -wal and -shm exist
        for path in (db, db + "-wal", db + "-shm"):
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600, path)
        d = tempfile.mkdtemp()
        old = os.umask(0o022)
        try:
            dest = os.path.join(d, "copy.db")
            r = self.server.cli("backup", dest)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(os.stat(dest).st_mode & 0o777, 0o600)
            # Overwritten with --force: a file once readable by others is narrowed too.
            os.chmod(dest, 0o644)
            r = self.server.cli("backup", dest, "--force")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(os.stat(dest).st_mode & 0o777, 0o600)
            # An older database file made 0644: fixed at open, and said.
            os.chmod(dest, 0o644)
            r = run("user", "list", "--db", dest)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(os.stat(dest).st_mode & 0o777, 0o600)
            self.assertIn("could be read by other users (mode 644); it is now 600", r.stderr)
            # A new database (init) and its key files.
            fresh = os.path.join(d, "new", "fresh.db")
            r = subprocess.run([BIN, "init", "--db", fresh], capture_output=True, text=True, timeout=120,
                               env=dict(self.server.env, HOCVUSO_ISSUER_KEY="", HOCVUSO_SECRETS_KEY=""))
            self.assertEqual(r.returncode, 0, r.stderr)
            for name in ("fresh.db", "issuer.key", "secrets.key"):
                self.assertEqual(os.stat(os.path.join(d, "new", name)).st_mode & 0o777, 0o600, name)
        finally:
            os.umask(old)
            shutil.rmtree(d, ignore_errors=True)

    def test_init_is_idempotent(self):
        r = self.server.cli("init")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("already", r.stdout)
        r = self.server.cli("user", "list")
        self.assertEqual(r.stdout.count("admin@VN"), 1)

    def test_demo_data_once_and_consistent(self):
        import re
        d = tempfile.mkdtemp()
        r = run("demo", "--db", os.path.join(d, "none.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("hocvuso init", r.stderr)
        before = int(self.server.sql("SELECT COUNT(*) FROM assists")[0][0])
        r = self.server.cli("demo", "--learners", "6", "--seed", "7")
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"demo data: (\d+) wards, (\d+) learners, (\d+) certificates, (\d+) assists", r.stdout)
        self.assertTrue(m, r.stdout)
        wards, learners, certs, assists = map(int, m.groups())
        self.assertEqual((wards, learners), (12, 6))
        self.assertGreater(certs, 0)
        self.assertIn("100%", r.stderr)  # progress is shown
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM assists")[0][0]) - before, assists)
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM certificates c JOIN accounts a ON a.id = c.account_id "
                                             "WHERE a.phone LIKE '098%'")[0][0]), certs)
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM accounts WHERE login LIKE 'demo-tnv-%'")[0][0]), 12)
        # The volunteers can sign in with the password printed once.
        pw = re.search(r"password (\S+)", r.stdout).group(1)
        login = re.search(r"sign-in: (demo-tnv-\d+)", r.stdout).group(1)
        c = self.server.client()
        page = c.get("/dang-nhap")
        r2 = c.post("/dang-nhap", {"_csrf": page.csrf(), "login": login, "password": pw})
        self.assertEqual(r2.status, 303, r2.text[:300])
        self.assertEqual(c.get("/ho-tro").status, 200)
        # A second run changes nothing; the aggregates match the records.
        r = self.server.cli("demo", "--learners", "6")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("already there", r.stdout)
        self.assertEqual(int(self.server.sql("SELECT COUNT(*) FROM accounts WHERE login LIKE 'demo-tnv-%'")[0][0]), 12)
        r = self.server.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_demo_at_benchmark_scale(self):
        """--assists (or > 5000 learners): sample records over every commune,
        counted like live ones; a second run adds more."""
        d = tempfile.mkdtemp()
        db = os.path.join(d, "scale.db")
        env_init = run("init", "--db", db, input=None)
        self.assertEqual(env_init.returncode, 0, env_init.stderr)
        r = run("demo", "--db", db, "--learners", "6000", "--assists", "3000", "--seed", "3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("100%", r.stderr)
        self.assertIn("9000 records", r.stdout)
        con = sqlite3.connect(db)
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        self.assertEqual(q("SELECT COUNT(*) FROM accounts WHERE kind = 'learner' AND display_name LIKE 'Người học mẫu%'"), 6000)
        self.assertEqual(q("SELECT COUNT(*) FROM assists"), 3000)
        communes = q("SELECT COUNT(*) FROM units WHERE level = 'commune' AND retired_at IS NULL")
        self.assertEqual(q("SELECT COUNT(*) FROM accounts WHERE login LIKE 'demo-tnv-%'"), communes)
        self.assertGreater(q("SELECT COUNT(DISTINCT province_code) FROM assists"), 30)  # spread over the country
        self.assertEqual(q("SELECT COUNT(*) FROM accounts WHERE kind = 'learner' AND secret_hash IS NOT NULL"), 0)
        self.assertEqual(q("SELECT value FROM settings WHERE key = 'demo_loaded'"), "scale")
        con.close()
        r = run("indicators", "verify", "--db", db)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = run("demo", "--db", db, "--learners", "0", "--assists", "500")
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM assists").fetchone()[0], 3500)
        con.close()
        self.assertEqual(run("indicators", "verify", "--db", db).returncode, 0)


if __name__ == "__main__":
    main()
