"""test_personal.py: consent, seeing/downloading one's own data, deleting
it, and the audit of staff reading other people's records."""
import re

from harness import ServerTest, ZZCleanExit, main  # noqa: F401


class Personal(ServerTest):
    def register(self, phone, name="Phạm Thị Dữ Liệu"):
        c = self.server.client()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": name, "phone": phone, "pin": "482916", "pin2": "482916", "consent": "yes"})
        self.assertEqual(r.status, 303)
        return c

    def test_download_own_data(self):
        c = self.register("0933000111")
        slug = re.findall(r'href="/hoc/vneid/([a-z0-9-]+)"', c.get("/hoc/vneid").text)[0]
        c.post("/hoc/vneid/%s/da-hoc" % slug, c.get("/hoc/vneid/" + slug).read_form())
        r = c.get("/tai-khoan/du-lieu.json")
        self.assertEqual(r.status, 200)
        self.assertIn("no-store", r.header("Cache-Control"))
        d = r.json()
        self.assertEqual(d["account"]["phone"], "0933000111")
        self.assertEqual(d["account"]["display_name"], "Phạm Thị Dữ Liệu")
        self.assertIsNotNone(d["account"]["consent_at"])
        self.assertEqual(d["lessons_read"][0]["lesson"], slug)
        self.assertEqual(self.server.client().get("/tai-khoan/du-lieu.json").status, 303)

    def test_delete_own_data(self):
        c = self.register("0933000222", "Người Sẽ Xóa")
        me = c.get("/tai-khoan")
        self.assertIn("Xóa dữ liệu", me.text)
        r = c.post("/tai-khoan/xoa", {"_csrf": me.csrf()})
        self.assertEqual(r.status, 400)
        r = c.post("/tai-khoan/xoa", {"confirm": "yes"})
        self.assertEqual(r.status, 403)  # no CSRF token
        r = c.post("/tai-khoan/xoa", {"_csrf": me.csrf(), "confirm": "yes"})
        self.assertEqual(r.status, 303)
        rows = self.server.sql("SELECT COUNT(*) FROM accounts WHERE phone = '0933000222' OR display_name = 'Người Sẽ Xóa'")
        self.assertEqual(rows[0][0], "0")
        self.assertEqual(c.get("/tai-khoan").status, 303)  # signed out, session gone
        r = self.server.client().form_post("/dang-nhap/hoc-vien", "/dang-nhap/hoc-vien", {"phone": "0933000222", "pin": "482916"})
        self.assertEqual(r.status, 400)
        audit = self.server.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'account.delete_own_data'")
        self.assertEqual(audit[0][0], "1")


if __name__ == "__main__":
    main()
