"""test_openapi.py: the API description (GET /api/v1/openapi.json, built from
docs/openapi.json) against the real server: every /api/v1 route of the router
is documented and nothing else is; every schema is a valid JSON Schema and
every reference resolves; and live answers — good and bad, from anonymous
callers, volunteers and managers — have a status the description lists for
that operation and a body that validates against its schema."""
import json
import os
import re
import time
import uuid

import jsonschema

from harness import ROOT, ServerTest, ZZCleanExit, main  # noqa: F401

METHODS = ("get", "post", "put", "patch", "delete")


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


def quarter():
    t = time.gmtime(time.time() + 7 * 3600)
    return "%04dQ%d" % (t.tm_year, (t.tm_mon - 1) // 3 + 1)


class OpenAPI(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.spec = s.client().get("/api/v1/openapi.json").json()
        cls.ward_a, cls.ward_b = s.two_wards()
        cls.tok = {"tnv.a": s.staff_token("tnv.a", "volunteer", cls.ward_a),
                   "tnv.b": s.staff_token("tnv.b", "volunteer", cls.ward_b),
                   "ql.tp": s.staff_token("ql.tp", "manager", "79")}

    def operation(self, method, path):
        """The documented operation whose path template matches path (query removed)."""
        bare = path.split("?", 1)[0]
        for template, ops in self.spec["paths"].items():
            rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(rx, bare) and method.lower() in ops:
                return ops[method.lower()]
        self.fail("%s %s is not in the API description" % (method, bare))

    def validate(self, method, path, r):
        op = self.operation(method, path)
        answer = op["responses"].get(str(r.status))
        self.assertIsNotNone(answer, "%s %s answered %d, which the description does not list (%s)"
                             % (method, path, r.status, sorted(op["responses"])))
        while "$ref" in answer:  # a shared answer, "#/components/responses/…"
            node = self.spec
            for part in answer["$ref"].lstrip("#/").split("/"):
                node = node[part]
            answer = node
        if not r.body:
            return
        content = answer.get("content", {})
        ctype = (r.header("Content-Type") or "").split(";")[0]
        schema = content.get(ctype if ctype in content else "application/json", {}).get("schema")
        self.assertIsNotNone(schema, "%s %s %d: a JSON body but no schema" % (method, path, r.status))
        root = dict(schema, components=self.spec["components"])
        errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(r.json()), key=lambda e: list(e.path))
        self.assertEqual([], ["%s: %s" % ("/".join(map(str, e.path)), e.message) for e in errors[:5]],
                         "%s %s %d: %s" % (method, path, r.status, r.text[:300]))

    def call(self, method, path, who=None, body=None, want=200):
        c = self.server.client()
        h = bearer(self.tok[who]) if who else {}
        r = c.post_json(path, body, headers=h) if method == "POST" else c.request(method, path, headers=h)
        self.assertEqual(r.status, want, "%s %s: %s" % (method, path, r.text[:300]))
        self.validate(method, path, r)
        return r

    def test_served_from_the_docs_file(self):
        r = self.server.client().get("/api/v1/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("application/json"))
        with open(os.path.join(ROOT, "docs", "openapi.json"), encoding="utf-8") as f:
            self.assertEqual(r.json(), json.load(f))
        self.assertEqual(self.spec["openapi"], "3.1.0")

    def test_schemas_are_valid_and_references_resolve(self):
        for name, schema in self.spec["components"]["schemas"].items():
            jsonschema.Draft202012Validator.check_schema(schema)
        refs = re.findall(r'"\$ref": ?"#/([^"]+)"', json.dumps(self.spec))
        self.assertTrue(refs)
        for ref in refs:
            node = self.spec
            for part in ref.split("/"):
                self.assertIn(part, node, "unresolved $ref #/" + ref)
                node = node[part]

    def test_every_route_documented(self):
        with open(os.path.join(ROOT, "src", "views", "routes.c"), encoding="utf-8") as f:
            routed = set(re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)", "(/api/v1[^"]*)"', f.read()))
        documented = {(m.upper(), re.sub(r"\{[^}]+\}", "{}", p)) for p, ops in self.spec["paths"].items()
                      for m in ops if m in METHODS}
        self.assertEqual(sorted(documented - routed), [], "documented but not routed")
        self.assertEqual(sorted(routed - documented), [], "routed but not documented")
        for p, ops in self.spec["paths"].items():
            for m in METHODS:
                if m in ops:
                    self.assertIn("operationId", ops[m], p)
                    self.assertTrue(ops[m].get("responses"), p)

    def test_vc_api_answers(self):
        s = self.server
        did_key = [a for a in s.client().get("/api/v1/issuer").json()["alsoKnownAs"] if a.startswith("did:key:")][0]
        r = s.cli("token", "create", "--user", "ql.tp", "--scope", "issue")
        self.tok["issuer"] = r.stdout.strip().splitlines()[-1]
        cred = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": did_key,
                "credentialSubject": {"name": "x"}}
        vc = self.call("POST", "/api/v1/credentials/issue", "issuer", {"credential": cred}, want=201).json()["verifiableCredential"]
        self.call("POST", "/api/v1/credentials/issue", "issuer", {"credential": dict(cred, type=["OpenBadgeCredential"])}, want=400)
        self.call("POST", "/api/v1/credentials/issue", "tnv.a", {"credential": cred}, want=403)
        self.call("POST", "/api/v1/credentials/issue", None, {"credential": cred}, want=401)
        self.call("POST", "/api/v1/credentials/verify", None, {"verifiableCredential": vc})
        vc["credentialSubject"]["name"] = "y"
        self.call("POST", "/api/v1/credentials/verify", None, {"verifiableCredential": vc}, want=422)
        self.call("POST", "/api/v1/credentials/verify", None, {"verifiableCredential": 1}, want=400)

    def test_public_answers(self):
        self.call("GET", "/api/v1/units")
        self.call("GET", "/api/v1/units?q=s%C3%A0i%20g%C3%B2n")
        self.call("GET", "/api/v1/units/79")
        self.call("GET", "/api/v1/units/" + self.ward_a)
        self.call("GET", "/api/v1/units/99999", want=404)
        self.call("GET", "/api/v1/units/79/children")
        self.call("GET", "/api/v1/courses")
        self.call("GET", "/api/v1/search?q=vneid")
        self.call("GET", "/api/v1/search")
        self.call("GET", "/api/v1/issuer")
        self.call("GET", "/api/v1/certificates/HV-NOT-A-CODE", want=404)
        self.call("GET", "/api/v1/status/1")
        self.call("GET", "/api/v1/status/2", want=404)
        self.call("GET", "/api/v1/status/0", want=404)
        self.call("GET", "/api/v1/status/x", want=404)
        self.call("GET", "/api/v1/touch-points?unit=79")
        self.call("GET", "/api/v1/me", want=401)
        self.call("GET", "/api/v1/units/79/indicators", want=401)

    def test_staff_answers(self):
        q = quarter()
        self.call("GET", "/api/v1/me", "tnv.a")
        self.call("GET", "/api/v1/units/79/indicators?period=" + q, "ql.tp")
        self.call("GET", "/api/v1/units/79/indicators?period=" + q + "&group=elderly", "ql.tp")
        self.call("GET", "/api/v1/units/79/indicators?period=2026Q9", "ql.tp", want=400)
        self.call("GET", "/api/v1/units/79/indicators", "tnv.a", want=403)
        self.call("GET", "/api/v1/units/79/ranking?period=" + q, "ql.tp")
        self.call("POST", "/api/v1/targets", "ql.tp", {"unit": self.ward_a, "indicator": "assists", "period": q, "value": 40})
        self.call("POST", "/api/v1/targets", "ql.tp", {"unit": self.ward_a, "indicator": "nope", "period": q, "value": 40},
                  want=400)
        self.call("POST", "/api/v1/targets", "tnv.a", {"unit": self.ward_a, "indicator": "assists", "period": q, "value": 4},
                  want=403)
        self.call("POST", "/api/v1/honours", "ql.tp", {"kind": "unit", "subject": self.ward_a, "period": q,
                                                      "reason": "Dẫn đầu phong trào trong quý"}, want=201)
        self.call("POST", "/api/v1/honours", "ql.tp", {"kind": "planet", "subject": "x", "period": q, "reason": "r"},
                  want=400)
        self.call("GET", "/api/v1/units/79/honours?period=" + q, "ql.tp")
        vol = self.server.sql("SELECT id FROM accounts WHERE login = 'tnv.a'")[0][0]
        r = self.server.client().request("GET", "/api/v1/accounts/" + vol, headers=bearer(self.tok["ql.tp"]))
        self.validate("GET", "/api/v1/accounts/" + vol, r)
        other = self.server.sql("SELECT id FROM accounts WHERE login = 'tnv.b'")[0][0]
        self.call("GET", "/api/v1/accounts/" + other, "tnv.a", want=403)
        self.call("GET", "/api/v1/accounts/999999", "tnv.a", want=403)  # whether it exists is not told
        self.call("GET", "/api/v1/accounts/999999", "ql.tp", want=404)

    def test_assist_answers(self):
        rec = {"id": str(uuid.uuid4()), "unit": self.ward_a, "services": ["vneid_install", "other"], "other": "Cài Zalo",
               "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done",
               "has_smartphone": True, "minutes": 15}
        self.call("POST", "/api/v1/assists", "tnv.a", rec, want=201)
        self.call("POST", "/api/v1/assists", "tnv.a", rec, want=200)
        self.call("POST", "/api/v1/assists", "tnv.a", dict(rec, id=str(uuid.uuid4()), services=["teleport"]), want=400)
        self.call("POST", "/api/v1/assists", "tnv.b", dict(rec, id=str(uuid.uuid4())), want=403)
        self.call("POST", "/api/v1/assists", None, dict(rec, id=str(uuid.uuid4())), want=403)  # no token, no CSRF
        r = self.server.client().post_json("/api/v1/assists", rec, headers=bearer("not-a-token"))
        self.assertEqual((r.status, r.json()["error"]), (401, "unauthenticated"))
        self.validate("POST", "/api/v1/assists", r)
        reg = dict(rec, id=str(uuid.uuid4()), services=["etax"],
                   person={"register": {"name": "Bà Năm", "phone": "0912555001", "consent": True}})
        self.call("POST", "/api/v1/assists", "tnv.a", reg, want=201)
        self.call("GET", "/api/v1/assists/" + rec["id"], "tnv.a")
        self.call("GET", "/api/v1/assists/" + str(uuid.uuid4()), "tnv.a", want=404)
        self.call("POST", "/api/v1/assists/" + rec["id"], "tnv.a", dict(rec, services=["etax"]))
        self.call("DELETE", "/api/v1/assists/" + rec["id"], "tnv.a")
        self.call("DELETE", "/api/v1/assists/" + rec["id"], "tnv.a", want=404)


if __name__ == "__main__":
    main()
