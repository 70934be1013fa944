"""test_routes.py: the route table is the gate.  Generated from the table
the binary itself prints (`hocvuso routes`), so a route is covered the day
it is added: every route declares an access rule; anonymous callers are
sent to sign in (pages) or refused (API) on every route that is not public;
a learner is refused every staff route; a volunteer is refused every route
whose rule names roles a volunteer does not hold.  Out-of-scope objects
(another ward's class, organisation, assist…) are the handlers' checks,
tested in test_scope.py, test_help.py, test_classes.py and test_teams.py."""
import json
import subprocess
import unittest

from harness import BIN, Client, ServerTest, ZZCleanExit, fresh_source, main  # noqa: F401

VOLUNTEER = 1 << 3


def routes():
    r = subprocess.run([BIN, "routes"], capture_output=True, text=True, check=False)
    return r.returncode, [json.loads(line) for line in r.stdout.splitlines()], r.stderr


def concrete(pattern):
    """A path for the pattern: units where a unit goes, a course, else 1."""
    out, n = pattern, 0
    while "{}" in out:
        if out.startswith("/hoc/") and n == 0:
            v = "vneid"
        elif any(k in pattern for k in ("don-vi", "bang-dieu-khien", "thi-dua", "bieu-duong", "minh-bach", "/units/")):
            v = "79"
        else:
            v = "1"
        out = out.replace("{}", v, 1)
        n += 1
    return out


class Routes(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        code, cls.table, cls.err = routes()
        cls.code = code

    def call(self, client, rt, csrf=None, headers=None):
        path = concrete(rt["pattern"])
        if rt["method"] == "GET":
            return client.get(path, headers=headers)
        headers = dict(headers or {})
        if csrf:
            headers["X-CSRF-Token"] = csrf
        if rt["api"]:
            headers["Content-Type"] = "application/json"
            return client.request(rt["method"], path, body=b"{}", headers=headers)
        return client.request(rt["method"], path, body={"_csrf": csrf or ""}, headers=headers)

    def test_every_route_declares_an_access_rule(self):
        self.assertEqual(self.code, 0, self.err)
        self.assertGreater(len(self.table), 100)
        self.assertTrue(all(r["access"] in ("public", "session", "account", "staff", "token") for r in self.table))

    def test_anonymous_callers_are_refused_where_the_table_says(self):
        c = Client(self.server.port)
        for rt in self.table:
            r = self.call(c, rt)
            where = (rt["method"], rt["pattern"], r.status, r.header("Location"))
            to_signin = r.status == 303 and (r.header("Location") or "").startswith("/dang-nhap")
            if rt["access"] == "public":
                self.assertFalse(to_signin, where)
                self.assertNotEqual(r.status, 401, where)
            elif rt["method"] != "GET":
                self.assertIn(r.status, (401, 403), where)  # no session: refused (no CSRF token either)
            elif rt["api"]:
                self.assertEqual(r.status, 401, where)
            else:
                self.assertTrue(to_signin, where)
                if rt["access"] == "account":
                    self.assertTrue(r.header("Location").startswith("/dang-nhap/hoc-vien"), where)

    def signed_in(self, form_page, form, fields):
        c = Client(self.server.port, source=fresh_source())
        r = c.form_post(form_page, form, fields)
        self.assertEqual(r.status, 303, r.text[-300:])
        return c, c.get("/tai-khoan").csrf()

    def test_a_learner_is_refused_every_staff_route(self):
        c = Client(self.server.port, source=fresh_source())
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Học Thử", "phone": "0916000111", "pin": "582041", "pin2": "582041",
                                                "consent": "yes"})
        self.assertEqual(r.status, 303)
        csrf = c.get("/tai-khoan").csrf()
        for rt in self.table:
            if rt["access"] != "staff":
                continue
            r = self.call(c, rt, csrf)
            self.assertEqual(r.status, 403, (rt["method"], rt["pattern"], r.text[:200]))
        # ...and reaches what accounts may.
        self.assertEqual(c.get("/tai-khoan").status, 200)
        self.assertEqual(c.get("/api/v1/me").status, 200)

    def test_a_volunteer_is_refused_routes_for_other_roles(self):
        s = self.server
        r = s.cli("user", "add", "tnv.cong", "--name", "Tình Nguyện Cổng", "--unit", "79", "--role", "volunteer",
                  "--password-stdin", input="mat-khau-cong-123\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = Client(s.port, source=fresh_source())
        r = c.form_post("/dang-nhap", "/dang-nhap", {"login": "tnv.cong", "password": "mat-khau-cong-123"})
        self.assertEqual(r.status, 303)
        csrf = c.get("/tai-khoan").csrf()
        checked = 0
        for rt in self.table:
            if rt["access"] != "staff" or not rt["roles"] or rt["roles"] & VOLUNTEER:
                continue
            r = self.call(c, rt, csrf)
            self.assertEqual(r.status, 403, (rt["method"], rt["pattern"], r.text[:200]))
            checked += 1
        self.assertGreater(checked, 10)
        self.assertEqual(c.get("/ho-tro").status, 200)  # the volunteer's own form

    def test_token_routes_refuse_sessions_and_tokens_without_the_scope(self):
        s = self.server
        admin = Client(s.port, source=fresh_source())
        admin.signin_admin()
        csrf = admin.get("/tai-khoan").csrf()
        plain = s.cli("token", "create", "--user", "admin").stdout.strip().splitlines()[-1]
        checked = 0
        for rt in self.table:
            if rt["access"] != "token":
                continue
            self.assertGreater(rt["roles"], 0, rt)  # a token route names the scope it needs
            r = self.call(admin, rt, csrf)
            self.assertEqual(r.status, 401, (rt["method"], rt["pattern"], r.text[:200]))  # a session is not a token
            r = self.call(Client(s.port), rt, headers={"Authorization": "Bearer " + plain})
            self.assertEqual(r.status, 403, (rt["method"], rt["pattern"], r.text[:200]))
            checked += 1
        self.assertGreater(checked, 0)


if __name__ == "__main__":
    main()
