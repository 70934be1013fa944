"""test_credentials.py: certificates as credentials others can check (issue
18): the credential's shape (proof @context, OB 3.0 Profile issuer and
IdentityObject, BitstringStatusListEntry, demo marking), the verify page
(full name, issuing body, status in Vietnamese and English; a deleted
holder's certificate reads as revoked at their request, never as a bad
signature), the published status lists (signed, 16 KiB, rebuilt after a
revocation; bad list numbers), `hocvuso cert verify` on the W3C example and
on damaged files (exit codes), and key rotation with re-signing.
The independent verifier (Digital Bazaar's libraries) is tests/vc/."""
import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile

from harness import BIN, ROOT, ServerTest, ZZCleanExit, main  # noqa: F401

VECTOR = os.path.join(ROOT, "tests", "vc", "spec-eddsa-jcs-2022.json")


def status_bits(doc):
    """The decoded bitstring of a status list credential."""
    enc = doc["credentialSubject"]["encodedList"]
    assert enc.startswith("u"), enc[:10]
    raw = base64.urlsafe_b64decode(enc[1:] + "=" * (-len(enc[1:]) % 4))
    return gzip.decompress(raw)


def bit(bits, i):
    return (bits[i // 8] >> (7 - i % 8)) & 1


class Credentials(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.cli("demo", "--learners", "5")
        assert r.returncode == 0, r.stderr
        cls.tmp = tempfile.mkdtemp()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def certs(self, where="1 = 1"):
        """[(code, holder, status_seq, credential)] of the certificates (the
        credential as an admin downloads it: one line per row in psql)."""
        rows = self.server.sql("SELECT code, holder_name, status_seq FROM certificates WHERE revoked_by_holder = 0 AND %s "
                               "ORDER BY status_seq" % where)
        admin = self.server.client()
        admin.signin_admin()
        out = []
        for c, h, q in rows:
            r = admin.get("/chung-nhan/%s.json" % c)
            self.assertEqual(r.status, 200)
            self.assertEqual(r.header("Content-Type"), "application/vc")
            out.append((c, h, int(q), r.json()))
        return out

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def status_list(self):
        r = self.server.client().get("/api/v1/status/1")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "application/vc")
        return r.json()

    def test_credential_shape(self):
        code, holder, seq, doc = self.certs()[0]
        proof = doc["proof"]
        self.assertEqual(proof["@context"], doc["@context"])
        self.assertEqual(proof["cryptosuite"], "eddsa-jcs-2022")
        self.assertTrue(doc["issuer"]["id"].startswith("did:web:localhost%3A8080"), doc["issuer"]["id"])
        self.assertEqual(doc["issuer"]["type"], ["Profile"])
        self.assertEqual(doc["issuer"]["name"], "Phong trào Bình dân học vụ số")
        self.assertTrue(proof["verificationMethod"].startswith(doc["issuer"]["id"] + "#z6Mk"))
        ident = doc["credentialSubject"]["identifier"][0]
        self.assertEqual(ident["type"], "IdentityObject")
        self.assertIs(ident["hashed"], True)
        self.assertEqual(ident["identityType"], "accountId")
        self.assertRegex(ident["identityHash"], r"^sha256\$[0-9a-f]{64}$")
        account = self.server.sql("SELECT account_id FROM certificates WHERE code = ?", code)[0][0]
        self.assertEqual(ident["identityHash"], "sha256$" + hashlib.sha256((account + ident["salt"]).encode()).hexdigest())
        st = doc["credentialStatus"]
        self.assertEqual(st["type"], "BitstringStatusListEntry")
        self.assertEqual(st["statusPurpose"], "revocation")
        self.assertEqual(st["statusListIndex"], str(seq))
        self.assertEqual(st["statusListCredential"], "http://localhost:8080/api/v1/status/1")
        self.assertEqual(doc["id"], "http://localhost:8080/xac-thuc/" + code)
        # A loopback public_url makes demo credentials, and says so.
        self.assertTrue(doc["name"].startswith("[BẢN THỬ – DEMO]"), doc["name"])
        self.assertIn("không có giá trị", doc["description"])
        r = self.server.cli("cert", "verify", code)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("[demo certificate]", r.stdout)

    def test_verify_page_vietnamese_and_english(self):
        code, holder, _, doc = self.certs("revoked_at IS NULL")[-1]
        v = self.server.client().get("/xac-thuc/" + code)
        self.assertEqual(v.status, 200)
        self.assertIn("Chứng nhận hợp lệ", v.text)
        self.assertIn(holder, v.text)
        self.assertIn(doc["credentialSubject"]["achievement"]["name"], v.text)
        self.assertIn("Đơn vị cấp", v.text)
        self.assertIn("Phong trào Bình dân học vụ số", v.text)
        self.assertIn("Còn hiệu lực", v.text)
        self.assertIn("chứng nhận thử", v.text)  # demo
        self.assertNotIn("không hợp lệ", v.text)
        phone = self.server.sql("SELECT a.phone FROM accounts a JOIN certificates c ON c.account_id = a.id WHERE c.code = ?", code)
        self.assertNotIn(phone[0][0], v.text)
        en = self.server.client()
        en.get("/ngon-ngu?l=en&next=/")
        v = en.get("/xac-thuc/" + code)
        self.assertIn("Valid certificate", v.text)
        self.assertIn("Issued by", v.text)
        self.assertIn(holder, v.text)
        self.assertIn("Status", v.text)
        self.assertRegex(v.text, r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}")
        api = self.server.client().get("/api/v1/certificates/" + code).json()
        self.assertEqual(api["status"], "valid")
        self.assertEqual(api["holder"], holder)
        self.assertEqual(api["issuer"], "Phong trào Bình dân học vụ số")
        self.assertTrue(api["signature_valid"])
        self.assertTrue(api["demo"])
        self.assertFalse(api["revoked_by_holder"])

    def test_revocation_shows_in_the_status_list(self):
        code, holder, seq, _ = self.certs("revoked_at IS NULL")[0]
        before = self.status_list()
        self.assertEqual(len(status_bits(before)), 16384)
        self.assertEqual(bit(status_bits(before), seq), 0)
        self.assertEqual(self.status_list()["proof"], before["proof"], "kept while nothing changes")
        admin = self.server.client()
        admin.signin_admin()
        page = admin.get("/xac-thuc/" + code)
        r = admin.post("/xac-thuc/%s/thu-hoi" % code, {"_csrf": page.csrf(), "reason": "Cấp nhầm người"})
        self.assertEqual(r.status, 303)
        after = self.status_list()
        self.assertEqual(bit(status_bits(after), seq), 1)
        self.assertEqual(sum(bin(b).count("1") for b in status_bits(after)),
                         int(self.server.sql("SELECT COUNT(*) FROM certificates WHERE revoked_at IS NOT NULL")[0][0]))
        v = self.server.client().get("/xac-thuc/" + code)
        self.assertIn("đã bị thu hồi", v.text)
        self.assertIn("Cấp nhầm người", v.text)
        self.assertIn("Ngày thu hồi", v.text)
        self.assertIn(holder, v.text)
        api = self.server.client().get("/api/v1/certificates/" + code).json()
        self.assertEqual(api["status"], "revoked")
        self.assertIn("revoked_at", api)

    def test_changed_record_reads_unknown(self):
        code, holder, _, _ = self.certs("revoked_at IS NULL")[2]
        self.server.tamper("UPDATE certificates SET credential = replace(credential, '%s', 'Kẻ Giả Mạo') WHERE code = '%s'"
                           % (holder, code))
        v = self.server.client().get("/xac-thuc/" + code)
        self.assertIn("Không xác định được tình trạng chứng nhận", v.text)
        self.assertNotIn("Chứng nhận hợp lệ", v.text)
        api = self.server.client().get("/api/v1/certificates/" + code).json()
        self.assertEqual(api["status"], "unknown")
        self.assertFalse(api["signature_valid"])
        r = self.server.cli("cert", "verify", code)
        self.assertEqual(r.returncode, 1)
        self.assertIn("INVALID", r.stdout)

    def test_status_list_bad_numbers(self):
        c = self.server.client()
        for path in ("/api/v1/status/2", "/api/v1/status/0", "/api/v1/status/-1", "/api/v1/status/abc",
                     "/api/v1/status/99999999999999999999"):
            r = c.get(path)
            self.assertEqual(r.status, 404, path)
            self.assertIn("danh sách trạng thái", r.json()["message"], path)

    def test_holder_deletion_reads_revoked_not_forged(self):
        s = self.server
        c = s.client()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Sẽ Xóa", "phone": "0977555666", "pin": "258046",
                                                 "pin2": "258046", "consent": "yes"})
        self.assertEqual(r.status, 303)
        me = s.sql("SELECT id FROM accounts WHERE phone = '0977555666'")[0][0]
        code, _, seq, _ = self.certs("revoked_at IS NULL")[1]
        s.tamper("UPDATE certificates SET account_id = %s WHERE code = '%s'" % (me, code))
        page = c.get("/tai-khoan")
        r = c.post("/tai-khoan/xoa", {"_csrf": page.csrf(), "confirm": "yes"})
        self.assertEqual(r.status, 303)
        v = s.client().get("/xac-thuc/" + code)
        self.assertEqual(v.status, 200)
        self.assertIn("thu hồi theo yêu cầu của người được cấp", v.text)
        self.assertNotIn("không hợp lệ", v.text)
        self.assertNotIn("Không xác định", v.text)
        api = s.client().get("/api/v1/certificates/" + code).json()
        self.assertEqual(api["status"], "revoked")
        self.assertTrue(api["revoked_by_holder"])
        self.assertEqual(api["holder"], "")
        self.assertEqual(bit(status_bits(self.status_list()), seq), 1)
        r = s.cli("cert", "verify", code)
        self.assertEqual(r.returncode, 1)
        self.assertIn("REVOKED", r.stdout)
        self.assertIn("holder's request", r.stdout)

    def test_cli_verify_w3c_example_and_bad_files(self):
        s = self.server
        r = s.cli("cert", "verify", VECTOR)
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertTrue(r.stdout.startswith("VALID SIGNATURE urn:uuid:58172aac"), r.stdout)
        self.assertIn("not issued here", r.stdout)
        self.assertIn("https://vc.example/issuers/5678", r.stdout)
        with open(VECTOR, encoding="utf-8") as f:
            vector = json.load(f)
        vector["credentialSubject"]["alumniOf"] = "Another School"
        r = s.cli("cert", "verify", self.write("vector-tampered.json", json.dumps(vector)))
        self.assertEqual(r.returncode, 1)
        self.assertIn("INVALID", r.stdout)
        code, _, _, doc = self.certs()[-1]
        text = json.dumps(doc, ensure_ascii=False)
        r = s.cli("cert", "verify", self.write("truncated.json", text[: len(text) // 2]))
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stdout, r"^INVALID .*not JSON, or cut short")
        doc["credentialStatus"]["statusListIndex"] = "131072"
        r = s.cli("cert", "verify", self.write("index.json", json.dumps(doc)))
        self.assertEqual(r.returncode, 1)
        self.assertIn("INVALID", r.stdout)
        r = s.cli("cert", "verify", self.write("empty.json", ""))
        self.assertEqual(r.returncode, 1)
        r = s.cli("cert", "verify", self.write("array.json", "[]"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("INVALID", r.stdout)

    def test_rotate_key_and_reissue(self):
        s = self.server
        before = {c: d for c, _, _, d in self.certs()}
        # A certificate that verifies now (another test changes one record).
        code = next(c for c in sorted(before) if s.cli("cert", "verify", c).stdout.startswith(("VALID ", "REVOKED ")))
        old_file = self.write("before-rotation.json", json.dumps(before[code], ensure_ascii=False))
        old_key = before[code]["proof"]["verificationMethod"].split("#")[1]
        r = s.cli("cert", "rotate-key")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        new_key = re.search(r"new issuer key (z6Mk\w+)", r.stdout).group(1)
        self.assertNotEqual(new_key, old_key)
        did = s.client().get("/api/v1/issuer").json()
        self.assertEqual(sorted(m["publicKeyMultibase"] for m in did["verificationMethod"]), sorted([old_key, new_key]))
        self.assertEqual(s.client().get("/.well-known/did.json").json(), did)
        r = s.cli("cert", "reissue")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("re-signed %d certificates" % len(before), r.stdout)
        after = {c: d for c, _, _, d in self.certs()}
        self.assertEqual(sorted(after), sorted(before), "codes kept")
        for c, d in after.items():
            self.assertTrue(d["proof"]["verificationMethod"].endswith("#" + new_key), c)
            self.assertEqual(d["credentialStatus"], before[c]["credentialStatus"], c)
            self.assertEqual(d["credentialSubject"]["identifier"], before[c]["credentialSubject"]["identifier"], c)
            self.assertEqual(d["validFrom"], before[c]["validFrom"], c)
        # What a holder downloaded before still verifies; so do the new ones.
        r = s.cli("cert", "verify", old_file)
        self.assertIn(r.returncode, (0, 1), r.stdout)
        self.assertRegex(r.stdout, r"^(VALID|REVOKED) ")
        r = s.cli("cert", "verify", code)
        self.assertRegex(r.stdout, r"^(VALID|REVOKED) ")
        valid = self.certs("revoked_at IS NULL")[0][0]
        v = s.client().get("/xac-thuc/" + valid)
        self.assertIn("Chứng nhận hợp lệ", v.text)
        # The running server still signs with the key it loaded: still trusted.
        self.assertEqual(self.status_list()["proof"]["verificationMethod"].split("#")[1], old_key)

    def test_issuer_name_setting(self):
        s = self.server
        proc, peer = s.peer({"HOCVUSO_ISSUER_NAME": "Ủy ban MTTQ Việt Nam TP. Hồ Chí Minh"})
        try:
            code = self.certs("revoked_at IS NULL")[0][0]
            v = peer.get("/xac-thuc/" + code)
            self.assertIn("Ủy ban MTTQ Việt Nam TP. Hồ Chí Minh", v.text)
            self.assertIn("Ủy ban MTTQ", peer.get("/api/v1/issuer").json()["name"])
        finally:
            s.stop_peer(proc)
        env = dict(s.env, HOCVUSO_ISSUER_NAME="Tên\tcó tab")
        r = subprocess.run([BIN, "cert", "verify", "HV-2222-2222", "--db", s.db], env=env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("issuer_name", r.stderr)


if __name__ == "__main__":
    main()
