"""test_vc_api.py: the VC API (issue 24): POST /api/v1/credentials/verify
(public, limited per address and to 64 KiB, the VC API's answer shape,
the same verdict as `hocvuso cert verify`) and POST
/api/v1/credentials/issue (only a token with the `issue` scope; the rules
on contexts, types and issuer; a type that is never a certificate; an
audit row; nothing signed on a refusal).  The W3C suite itself runs from
tests/conformance/ (make conformance)."""
import copy
import json
import os
import tempfile

from harness import ROOT, ServerTest, ZZCleanExit, bearer, main  # noqa: F401

VECTOR = os.path.join(ROOT, "tests", "vc", "spec-eddsa-jcs-2022.json")
VERIFY = "/api/v1/credentials/verify"
ISSUE = "/api/v1/credentials/issue"


class VcApi(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        r = s.cli("demo", "--learners", "4")
        assert r.returncode == 0, r.stderr
        r = s.cli("token", "create", "--user", "admin", "--scope", "issue", "--label", "w3c suite")
        assert r.returncode == 0, r.stderr
        assert "scopes: issue" in r.stdout, r.stdout
        cls.issuer_token = r.stdout.strip().splitlines()[-1]
        cls.plain_token = s.cli("token", "create", "--user", "admin").stdout.strip().splitlines()[-1]
        issuer = s.client().get("/api/v1/issuer").json()
        cls.did_key = [a for a in issuer["alsoKnownAs"] if a.startswith("did:key:")][0]

    def credential(self, **extra):
        c = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:86294362-4254-4f36-854f-3952fe42555d",
             "type": ["VerifiableCredential"], "issuer": self.did_key,
             "credentialSubject": {"id": "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b", "name": "Tên có dấu ư ơ"}}
        c.update(extra)
        return c

    def issue(self, cred, token=None, options=None):
        body = {"credential": cred}
        if options is not None:
            body["options"] = options
        return self.server.client().post_json(ISSUE, body, headers=bearer(token or self.issuer_token))

    def verify(self, vc, client=None):
        return (client or self.server.client()).post_json(VERIFY, {"verifiableCredential": vc, "options": {"checks": ["proof"]}})

    def assert_shape(self, body):
        for k in ("verified", "checks", "warnings", "errors"):
            self.assertIn(k, body)
        for p in body["errors"] + body["warnings"]:
            self.assertTrue(p["type"] and p["title"] and p["detail"], p)

    def audit_issues(self):
        return int(self.server.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'vc.issue'")[0][0])

    def certificate(self, where="revoked_at IS NULL"):
        code = self.server.sql("SELECT code FROM certificates WHERE revoked_by_holder = 0 AND %s ORDER BY status_seq" % where)[0][0]
        admin = self.server.client()
        admin.signin_admin()
        return code, admin.get("/chung-nhan/%s.json" % code).json()

    # ---- issue ----

    def test_issue_signs_with_our_did_key_and_marks_it_not_a_certificate(self):
        before = self.audit_issues()
        r = self.issue(self.credential())
        self.assertEqual(r.status, 201, r.text)
        vc = r.json()["verifiableCredential"]
        self.assertEqual(vc["type"], ["VerifiableCredential", "HocvusoApiCredential"])
        self.assertEqual(vc["credentialSubject"]["name"], "Tên có dấu ư ơ")
        p = vc["proof"]
        self.assertEqual((p["type"], p["cryptosuite"], p["proofPurpose"]), ("DataIntegrityProof", "eddsa-jcs-2022", "assertionMethod"))
        self.assertEqual(p["verificationMethod"], self.did_key + "#" + self.did_key[len("did:key:"):])
        self.assertEqual(p["@context"], vc["@context"])
        self.assertEqual(self.audit_issues(), before + 1)
        v = self.verify(vc)
        self.assertEqual(v.status, 200, v.text)
        body = v.json()
        self.assert_shape(body)
        self.assertTrue(body["verified"])
        self.assertEqual(body["verdict"], "issued_by_api")
        self.assertIn("proof", body["checks"])
        self.assertIn("NOT_A_CERTIFICATE", [w["title"] for w in body["warnings"]])
        # The command line says the same, and never VALID (a certificate).
        path = os.path.join(tempfile.mkdtemp(), "api.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(vc, f, ensure_ascii=False)
        c = self.server.cli("cert", "verify", path)
        self.assertEqual(c.returncode, 3, c.stdout + c.stderr)
        self.assertIn("issued through the VC API, not a course certificate", c.stdout)
        # Its type cannot be dropped to pass as something else.
        vc2 = copy.deepcopy(vc)
        vc2["type"] = ["VerifiableCredential"]
        self.assertEqual(self.verify(vc2).status, 422)

    def test_issue_is_refused_without_the_scope_and_signs_nothing(self):
        before = self.audit_issues()
        c = self.server.client()
        r = c.post_json(ISSUE, {"credential": self.credential()})
        self.assertEqual(r.status, 401, r.text)
        self.assertFalse(r.json()["verified"])
        r = self.issue(self.credential(), token=self.plain_token)
        self.assertEqual(r.status, 403, r.text)
        self.assertIn("scope 'issue'", r.json()["message"])
        # A signed-in administrator's session is not a token.
        admin = self.server.client()
        admin.signin_admin()
        csrf = admin.get("/tai-khoan").csrf()
        r = admin.post_json(ISSUE, {"credential": self.credential()}, headers={"X-CSRF-Token": csrf})
        self.assertEqual(r.status, 401, r.text)
        self.assertEqual(self.audit_issues(), before)

    def test_issue_rules_refuse_with_a_reason(self):
        before = self.audit_issues()
        _, cert = self.certificate()
        lookalike = cert["id"].rsplit("/", 1)[0] + "/HV-2222-2222"  # a certificate's address on this site
        cases = [
            (self.credential(type=["VerifiableCredential", "OpenBadgeCredential"]), "OpenBadgeCredential"),
            (self.credential(type=["VerifiableCredential", "AchievementCredential"]), "AchievementCredential"),
            (self.credential(type=["AlumniCredential"]), "VerifiableCredential"),
            (self.credential(**{"@context": ["https://www.w3.org/2018/credentials/v1"]}), "VC 2.0"),
            (self.credential(**{"@context": ["https://www.w3.org/ns/credentials/v2",
                                             "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]}), "context"),
            (self.credential(issuer="did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"), "issuer must be"),
            (self.credential(issuer={"id": "did:web:example.com"}), "issuer must be"),
            (self.credential(proof={"type": "DataIntegrityProof"}), "already has a proof"),
            (self.credential(credentialStatus={"type": "BitstringStatusListEntry"}), "credentialStatus"),
            (self.credential(id=lookalike), "id must be"),
            (self.credential(credentialSubject=[]), "credentialSubject"),
        ]
        for cred, why in cases:
            r = self.issue(cred)
            self.assertEqual(r.status, 400, (cred, r.text))
            body = r.json()
            self.assert_shape(body)
            self.assertIn(why, body["errors"][0]["detail"], cred)
        r = self.issue(self.credential(), options={"credentialStatus": {"type": "x"}})
        self.assertEqual(r.status, 400)
        self.assertIn("option credentialStatus", r.json()["message"])
        r = self.server.client().request("POST", ISSUE, raw_body=b'{"credential": {', headers=dict(
            bearer(self.issuer_token), **{"Content-Type": "application/json"}))
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["errors"][0]["title"], "PARSING_ERROR")
        r = self.server.client().post_json(ISSUE, {"credential": "text"}, headers=bearer(self.issuer_token))
        self.assertEqual(r.status, 400)
        self.assertEqual(self.audit_issues(), before)

    def test_issued_with_validity_period_checked_on_verify(self):
        r = self.issue(self.credential(validUntil="2020-01-01T00:00:00Z"))
        self.assertEqual(r.status, 201, r.text)
        v = self.verify(r.json()["verifiableCredential"])
        self.assertEqual(v.status, 422)
        self.assertEqual(v.json()["errors"][0]["title"], "RANGE_ERROR")
        r = self.issue(self.credential(validFrom="2999-01-01T00:00:00+07:00"))
        self.assertEqual(self.verify(r.json()["verifiableCredential"]).status, 422)
        r = self.issue(self.credential(validFrom="2020-01-01T00:00:00Z", validUntil="2999-01-01T00:00:00Z"))
        self.assertEqual(self.verify(r.json()["verifiableCredential"]).status, 200)
        r = self.issue(self.credential(validUntil="31/12/2030"))
        self.assertEqual(self.verify(r.json()["verifiableCredential"]).json()["errors"][0]["title"], "MALFORMED_VALUE_ERROR")

    # ---- verify ----

    def test_verify_our_certificates_as_the_command_line_does(self):
        code, vc = self.certificate()
        r = self.verify(vc)
        self.assertEqual(r.status, 200, r.text)
        body = r.json()
        self.assert_shape(body)
        self.assertEqual((body["verified"], body["verdict"], body["code"]), (True, "certificate", code))
        self.assertIn("credentialStatus", body["checks"])
        self.assertIn("record", body["checks"])
        # Revoked: the status list says so, 422.
        self.server.cli("cert", "revoke", code, "--reason", "Cấp nhầm người")
        r = self.verify(vc)
        self.assertEqual(r.status, 422, r.text)
        self.assertEqual(r.json()["verdict"], "revoked")
        self.assertEqual(r.json()["errors"][0]["title"], "STATUS_VERIFICATION_ERROR")
        # Changed by one character: the proof fails.
        _, vc2 = self.certificate()
        vc2["credentialSubject"]["name"] = vc2["credentialSubject"].get("name", "") + "."
        r = self.verify(vc2)
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["errors"][0]["title"], "PROOF_VERIFICATION_ERROR")

    def test_verify_a_foreign_did_key_credential(self):
        with open(VECTOR, encoding="utf-8") as f:
            vector = json.load(f)
        r = self.verify(vector)
        self.assertEqual(r.status, 200, r.text)
        body = r.json()
        self.assertEqual(body["verdict"], "signed_elsewhere")
        self.assertEqual(body["signer"], "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
        self.assertIn("ISSUER_NOT_VOUCHED", [w["title"] for w in body["warnings"]])

    def test_verify_bad_inputs(self):
        with open(VECTOR, encoding="utf-8") as f:
            vector = json.load(f)
        c = self.server.client()
        other = copy.deepcopy(vector)
        other["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
        r = self.verify(other)
        self.assertEqual(r.status, 400)
        self.assertIn("eddsa-jcs-2022", r.json()["errors"][0]["detail"])
        p256 = copy.deepcopy(vector)
        p256["proof"]["verificationMethod"] = ("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169#"
                                               "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169")
        r = self.verify(p256)
        self.assertEqual(r.status, 422)
        self.assertIn("Ed25519", r.json()["errors"][0]["detail"])
        bad_created = copy.deepcopy(vector)
        bad_created["proof"]["created"] = "yesterday"
        self.assertEqual(self.verify(bad_created).json()["errors"][0]["title"], "MALFORMED_PROOF_ERROR")
        long_pv = copy.deepcopy(vector)
        long_pv["proof"]["proofValue"] += "2222222222"
        self.assertEqual(self.verify(long_pv).status, 422)
        no_proof = copy.deepcopy(vector)
        del no_proof["proof"]
        self.assertEqual(self.verify(no_proof).status, 400)
        vc11 = copy.deepcopy(vector)
        vc11["@context"][0] = "https://www.w3.org/2018/credentials/v1"
        self.assertIn("VC 2.0", self.verify(vc11).json()["errors"][0]["detail"])
        for body in (b"{", b"[]", b'{"verifiableCredential": []}', b'{"verifiableCredential": {}, "options": 3}', b'{"a":1,"a":2}'):
            r = c.request("POST", VERIFY, raw_body=body, headers={"Content-Type": "application/json"})
            self.assertEqual(r.status, 400, body)
            self.assertFalse(r.json()["verified"], body)
            self.assertTrue(r.json()["errors"], body)
        r = c.request("POST", VERIFY, raw_body=b"verifiableCredential=1", headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 415)
        self.assertFalse(r.json()["verified"])

    def test_verify_body_limit_sits_on_64_kib(self):
        with open(VECTOR, encoding="utf-8") as f:
            vector = json.load(f)
        base = json.dumps({"verifiableCredential": vector, "pad": ""}).encode()
        at_limit = base.replace(b'"pad": ""', b'"pad": "' + b"x" * (64 * 1024 - len(base)) + b'"')
        self.assertEqual(len(at_limit), 64 * 1024)
        c = self.server.client()
        r = c.request("POST", VERIFY, raw_body=at_limit, headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200, r.text[:200])
        over = at_limit.replace(b'"pad": "', b'"pad": "x')
        r = c.request("POST", VERIFY, raw_body=over, headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 413)
        self.assertFalse(r.json()["verified"])
        self.assertEqual(r.json()["errors"][0]["title"], "PARSING_ERROR")

    def test_verify_is_limited_per_address(self):
        with open(VECTOR, encoding="utf-8") as f:
            vector = json.load(f)
        proc, peer = self.server.peer({"HOCVUSO_VERIFY_PER_MINUTE": "5"})
        try:
            import time
            # Start at the top of a window so all six fall in one minute.
            wait = 60 - time.time() % 60
            if wait < 5:
                time.sleep(wait + 0.2)
            statuses = [self.verify(vector, peer).status for _ in range(6)]
            self.assertEqual(statuses[:5], [200] * 5)  # exactly the limit passes
            self.assertEqual(statuses[5], 429)
            r = self.verify(vector, peer)
            self.assertEqual(r.json()["errors"][0]["title"], "RATE_LIMITED")
            # Another address is not held back.
            from harness import Client, fresh_source
            self.assertEqual(self.verify(vector, Client(peer.port, source=fresh_source())).status, 200)
        finally:
            self.server.stop_peer(proc)

    def test_token_scope_on_the_command_line(self):
        s = self.server
        r = s.cli("token", "create", "--user", "admin", "--scope", "everything")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--scope", r.stderr)
        r = s.cli("token", "list", "--scope", "issue")
        self.assertEqual(r.returncode, 2)
        r = s.cli("token", "list")
        self.assertIn("w3c suite", r.stdout)
        self.assertRegex(r.stdout, r"w3c suite .* active\s+issue")


if __name__ == "__main__":
    main()
