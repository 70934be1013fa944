"""test_reports.py: the quarterly report an office can file (issue 19, item
6), read back with independent readers: the PDF's text with pdftotext
(poppler-utils, deps/debian.txt) and the XLSX's XML with zipfile.  The
PDF has the issuing body, the national motto, the report number, the
place and date, a narrative with the period before, a chart per headline
figure, the indicator table with the pages' names (no codes, no
hyphenated words), the communes furthest behind their targets, a
signature block, a structure tree (tagged PDF), Vietnamese decimal commas
and English full stops.  The XLSX keeps numbers in number columns (the
words in a note column), formats them with grouped number formats, and
has a definitions sheet.  Downloads are named bao-cao-UNIT-PERIOD.ext.
Bad input: out of scope 403; unknown unit, malformed unit or period 400
naming the parameter."""
import io
import re
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET
import zipfile

from harness import ServerTest, ZZCleanExit, main  # noqa: F401
from test_ranking import xlsx_sheets, csv_blocks

PW = "mat-khau-dai-12345"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


def pdf_text(data):
    r = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode("utf-8")


class Reports(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        assert shutil.which("pdftotext"), "pdftotext missing: scripts/deps.sh installs poppler-utils"
        s = cls.server
        kids = s.client().get("/api/v1/units/79/children").json()
        cls.kids = [k["code"] for k in kids]
        cls.a, cls.b = cls.kids[:2]
        cls.manager = bearer(s.staff_token("ql.rp79", "manager", "79"))
        cls.ward_viewer = bearer(s.staff_token("xem.rpb", "viewer", cls.b))
        vol = bearer(s.staff_token("tnv.rp", "volunteer", cls.a))
        api = s.client()
        for _ in range(1234 % 7 + 5):   # a handful of assists in ward A
            body = {"id": str(uuid.uuid4()), "unit": cls.a, "services": ["public_service_portal"],
                    "person": {"age_band": "60+", "gender": "f", "group": "elderly"}, "outcome": "done", "has_smartphone": True}
            r = api.post_json("/api/v1/assists", body, headers=vol)
            assert r.status == 201, r.text
        cls.n = 1234 % 7 + 5
        cls.period = api.get("/api/v1/units/%s/indicators" % cls.a, headers=cls.manager).json()[0]["period"]
        cls.year = cls.period[:4]
        # Targets: ward A's assists (a third done: 33,3 %), ward B's (none done); the city's year target.
        for unit, period, ind, value in ((cls.a, cls.period, "assists", cls.n * 3), (cls.b, cls.period, "assists", 10),
                                         ("79", cls.year, "assists", cls.n * 4)):
            r = api.post_json("/api/v1/targets", {"unit": unit, "organisation": 0, "indicator": ind, "period": period, "value": value},
                              headers=cls.manager)
            assert r.status == 200, r.text

    def get(self, path, who=None, lang=None):
        h = dict(who or self.manager)
        if lang:
            h["Cookie"] = "hv_lang=" + lang
        return self.server.client().get(path, headers=h)

    def test_file_names(self):
        for fmt in ("pdf", "xlsx", "csv"):
            r = self.get("/bang-dieu-khien/79/bao-cao.%s?ky=%s" % (fmt, self.period))
            self.assertEqual(r.status, 200)
            self.assertEqual(r.header("Content-Disposition"), 'attachment; filename="bao-cao-79-%s.%s"' % (self.period, fmt))
        r = self.get("/bang-dieu-khien/%s/bao-cao.pdf?ky=%s" % (self.a, self.year))
        self.assertEqual(r.header("Content-Disposition"), 'attachment; filename="bao-cao-%s-%s.pdf"' % (self.a, self.year))
        self.assertIsNone(self.get("/bang-dieu-khien/79/bao-cao.pdf?ky=2026Q9").header("Content-Disposition"))
        r = self.get("/bang-dieu-khien/79?dinh-dang=csv&ky=" + self.period)   # the dashboard's own figures
        self.assertEqual(r.header("Content-Disposition"), 'attachment; filename="so-lieu-79-%s.csv"' % self.period)

    def test_pdf_vietnamese(self):
        r = self.get("/bang-dieu-khien/79/bao-cao.pdf?ky=" + self.period)
        self.assertEqual(r.status, 200)
        text = pdf_text(r.body)
        flat = re.sub(r"\s+", " ", text)
        q = self.period[5]
        for want in ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc",
                     "Số: 79-%s/BC-BDHVS" % self.period, "ngày", "BÁO CÁO SƠ KẾT PHONG TRÀO BÌNH DÂN HỌC VỤ SỐ",
                     "Quý %s/%s — Thành phố Hồ Chí Minh" % (q, self.year), "Chỉ số chính theo quý", "Kỳ trước",
                     "Đơn vị trực thuộc xa chỉ tiêu nhất", "Định nghĩa các chỉ số", "NGƯỜI LẬP BÁO CÁO", "THỦ TRƯỞNG ĐƠN VỊ"):
            self.assertIn(want, flat, want)
        # The narrative: the figure, the period before, the year's target (n of 4n: 25 %).
        self.assertIn("Lượt hỗ trợ: %d" % self.n, flat)
        self.assertIn("đạt 25 %% chỉ tiêu năm (%d/%d)" % (self.n, self.n * 4), flat)
        # The pages' names, never the codes; no word broken with a hyphen.
        self.assertIn("Cổng dịch vụ công", flat)
        for code in ("registered_learners", "assists_public_service", "people_certified", "port-al"):
            self.assertNotIn(code, text)
        self.assertIsNone(re.search(r"\w-\n", text), "no hyphenated line breaks")
        # Decimal comma: ward A is at a third of its target (33,3 %), ward B at 0,0 and behind.
        self.assertIn("33,3", flat)
        self.assertNotIn("33.3", flat)
        lag = flat[flat.index("Đơn vị trực thuộc xa chỉ tiêu nhất"):]
        self.assertLess(lag.index(self.kid_name(self.b)), lag.index(self.kid_name(self.a)), "furthest behind first")
        # Tagged: a structure tree of headings, paragraphs, figures and tables.
        for tag in (b"/StructTreeRoot", b"/S /H1", b"/S /Figure", b"/S /Table", b"/S /TH", b"/S /TD", b"/S /P"):
            self.assertIn(tag, r.body, tag)

    def kid_name(self, code):
        if not hasattr(self, "_names"):
            self._names = {k["code"]: k["name"] for k in self.server.client().get("/api/v1/units/79/children").json()}
        return self._names[code]

    def test_pdf_english(self):
        r = self.get("/bang-dieu-khien/79/bao-cao.pdf?ky=" + self.period, lang="en")
        text = pdf_text(r.body)
        flat = re.sub(r"\s+", " ", text)
        for code in ("people_certified", "active_volunteers", "touch_points", "registered_learners"):
            self.assertNotIn(code, text)   # the formula and the tables say the names
        for want in ("SOCIALIST REPUBLIC OF VIET NAM", "No. 79-%s/BC-BDHVS" % self.period, "PREPARED BY", "Acts of help: %d" % self.n,
                     "25% of the year's target", "33.3", "Headline figures by quarter"):
            self.assertIn(want, flat, want)
        self.assertNotIn("33,3", flat)

    def test_xlsx_numbers_formats_definitions(self):
        r = self.get("/bang-dieu-khien/79/bao-cao.xlsx?ky=" + self.period)
        sheets = xlsx_sheets(r.body)
        self.assertIn("Định nghĩa", sheets)
        defs = {row[0]: row for row in sheets["Định nghĩa"][2:]}
        self.assertIn("assists_smartphone", defs)
        self.assertEqual(defs["assists"][1], "Lượt hỗ trợ")
        self.assertTrue(all(len(row) >= 4 and row[3] for row in defs.values()), "every indicator defined")
        # Number columns hold numbers only; the words are in the note column.
        units = sheets["Xếp hạng đơn vị"]
        header = units[1]
        score, note = header.index("Điểm (%)"), header.index("Ghi chú")
        for row in units[2:]:
            row = row + [""] * (len(header) - len(row))
            self.assertTrue(isinstance(row[score], float) or row[score] == "", row)
            self.assertTrue(row[score] != "" or row[note] == "chưa có chỉ tiêu", row)
        ind = {row[0]: row for row in sheets["Chỉ số"][2:]}
        self.assertEqual(ind["assists"][2], float(self.n))
        self.assertEqual(ind["assists"][6], float(self.n))   # the change on the period before (none then)
        # Grouped number formats on the number cells.
        z = zipfile.ZipFile(io.BytesIO(r.body))
        styles = z.read("xl/styles.xml").decode()
        self.assertIn('formatCode="#,##0"', styles)
        self.assertIn('formatCode="#,##0.0"', styles)
        sheet = ET.fromstring(z.read("xl/worksheets/sheet2.xml"))
        numeric = [c for c in sheet.iter("{%s}c" % NS["m"]) if c.get("t") is None and c.find("m:v", NS) is not None]
        self.assertTrue(numeric and all(c.get("s") for c in numeric), "every number has a style")
        # The CSV keeps the same cells (machine-readable: full stops).
        blocks = csv_blocks(self.get("/bang-dieu-khien/79/bao-cao.csv?ky=" + self.period).text)
        self.assertEqual(len(blocks), len(sheets))

    def test_bad_input(self):
        for path, status, field in (("/bang-dieu-khien/79/bao-cao.pdf?ky=2026Q5", 400, "ky"),
                                    ("/bang-dieu-khien/79/bao-cao.xlsx?ky=26Q4", 400, "ky"),
                                    ("/bang-dieu-khien/99999/bao-cao.pdf", 400, "code"),
                                    ("/bang-dieu-khien/abc%20d/bao-cao.csv", 400, "code")):
            r = self.get(path)
            self.assertEqual(r.status, status, path)
            self.assertIn("<h1", r.text)
            self.assertNotEqual(r.header("Content-Type"), "application/pdf")
        self.assertIn("Mã đơn vị", self.get("/bang-dieu-khien/99999/bao-cao.pdf").text)
        self.assertIn("2026Q4", self.get("/bang-dieu-khien/79/bao-cao.pdf?ky=x").text)   # says what a period looks like
        # Outside the caller's roles: 403, no file.
        for path in ("/bang-dieu-khien/79/bao-cao.pdf", "/bang-dieu-khien/%s/bao-cao.xlsx" % self.a):
            r = self.get(path, self.ward_viewer)
            self.assertEqual(r.status, 403, path)
            self.assertIsNone(r.header("Content-Disposition"))
        self.assertEqual(self.get("/bang-dieu-khien/%s/bao-cao.pdf" % self.b, self.ward_viewer).status, 200)


if __name__ == "__main__":
    main()
