"""test_measure_property.py: random sequences of assists — created, sent
again, edited, deleted, some refused — by several volunteers at once, so
that group commits mix jobs that succeed and jobs that fail.  After each
sequence the incremental aggregates must equal a recomputation from the
records (`hocvuso indicators verify`), and a model kept here in Python,
independent of the C code, must equal the stored counters for: assists,
assists per target group, people helped (registered people once, anonymous
people per assist) and active volunteers, in the ward and the province."""
import os
import random
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from harness import ROOT, Client, ServerTest, ZZCleanExit, fresh_source, main  # noqa: F401

SERVICES = ["vneid_install", "vneid_level2", "vssid", "etax", "ehealth_book", "digital_signature", "citizen_app",
            "public_service_portal", "cashless_payment", "scam_awareness"]
GROUPS = ["elderly", "worker", "pupil", "civil_servant", "small_business", "disability", "ethnic_minority"]


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


class MeasureProperty(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        kids = s.client().get("/api/v1/units/79/children").json()
        cls.wards = [kids[0]["code"], kids[1]["code"], kids[2]["code"]]
        cls.tok, cls.vol_id, cls.vol_ward = {}, {}, {}
        for i, ward in enumerate(cls.wards):
            for j in range(2):
                login = "tnv.%d.%d" % (i, j)
                r = s.cli("user", "add", login, "--name", "TNV " + login, "--unit", ward, "--role", "volunteer",
                          "--password-stdin", input="mat-khau-dai-12345\n")
                assert r.returncode == 0, r.stderr
                cls.tok[login] = s.cli("token", "create", "--user", login).stdout.strip().splitlines()[-1]
                cls.vol_id[login] = s.sql("SELECT id FROM accounts WHERE login = ?", login)[0][0]
                cls.vol_ward[login] = ward
        r = s.cli("user", "add", "ql.tp", "--name", "Quản lý TP", "--unit", "79", "--role", "manager",
                  "--password-stdin", input="mat-khau-dai-12345\n")
        assert r.returncode == 0, r.stderr
        cls.tok["ql.tp"] = s.cli("token", "create", "--user", "ql.tp").stdout.strip().splitlines()[-1]
        # Learners who can be found by phone, each living in one of the wards.
        cls.phones, cls.home = [], {}
        for k in range(4):
            phone = "09120000%02d" % k
            c = s.client()
            r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người học %d" % k, "phone": phone, "pin": "804613",
                                                   "pin2": "804613", "consent": "yes", "unit": cls.wards[k % 3]})
            assert r.status == 303, r.status
            cls.phones.append(phone)
            cls.home[phone] = cls.wards[k % 3]

    def known_person(self, phone, who):
        """A registered learner: found by phone in their own ward; elsewhere
        registered again, which links the record to them (a volunteer does
        not see who lives outside their units)."""
        if self.home[phone] == self.vol_ward[who]:
            return {"phone": phone}
        return {"register": {"name": "Người học", "phone": phone, "consent": True}}

    def call(self, method, path, who, body=None):
        c = self.server.client()
        if method == "POST":
            return c.post_json(path, body, headers=bearer(self.tok[who]))
        return c.request(method, path, headers=bearer(self.tok[who]))

    def stored(self, unit, indicator, dim=""):
        """The quarter counters (breakdowns are a suffix of the period)."""
        rows = self.server.sql("SELECT period, value FROM agg WHERE unit_code = ? AND indicator = ?", unit, indicator)
        return sum(int(v) for p, v in rows if len(p) == 6 + len(dim) and p[4] == "Q" and p[6:] == dim)

    def run_sequence(self, seed, steps):
        rnd = random.Random(seed)
        live = {}        # id -> (record sent, author login)
        vols = sorted(self.tok.keys() - {"ql.tp"})
        registered = 0
        for _ in range(steps // 8):
            ops, touched = [], set()
            while len(ops) < 8:
                kind = rnd.choices(["new", "again", "edit", "delete", "bad"], [5, 1, 2, 1, 1])[0]
                if kind in ("again", "edit", "delete"):
                    free_ids = [i for i in live if i not in touched]
                    if not free_ids:
                        continue
                    aid = rnd.choice(free_ids)
                    touched.add(aid)
                    ops.append((kind, aid))
                else:
                    ops.append((kind, None))
            jobs = []
            for kind, aid in ops:
                if kind == "new" or kind == "bad":
                    who = rnd.choice(vols)
                    rec = {"id": str(uuid.uuid4()), "unit": self.vol_ward[who],
                           "services": rnd.sample(SERVICES, rnd.randint(1, 3)), "outcome": "done",
                           "has_smartphone": rnd.random() < 0.6}
                    r = rnd.random()
                    if r < 0.25:
                        rec["person"] = self.known_person(rnd.choice(self.phones), who)
                    elif r < 0.32:
                        registered += 1
                        rec["person"] = {"register": {"name": "Người mới %d %d" % (seed, registered),
                                                      "phone": "0913%06d" % (seed * 1000 + registered), "consent": True}}
                    else:
                        rec["person"] = {"age_band": "60+", "gender": rnd.choice(["f", "m"]), "group": rnd.choice(GROUPS)}
                    if kind == "bad":
                        rec["services"] = ["no_such_service"]
                    jobs.append((kind, "POST", "/api/v1/assists", who, rec))
                elif kind == "again":
                    rec, who = live[aid]
                    jobs.append((kind, "POST", "/api/v1/assists", who, rec))
                elif kind == "edit":
                    rec, who = live[aid]
                    # An edit sends the whole record; the person stays as first logged.
                    new = dict(rec, services=rnd.sample(SERVICES, rnd.randint(1, 3)), has_smartphone=rnd.random() < 0.5)
                    editor = rnd.choice([who, "ql.tp"])
                    jobs.append((kind, "POST", "/api/v1/assists/" + aid, editor, new))
                else:
                    rec, who = live[aid]
                    jobs.append((kind, "DELETE", "/api/v1/assists/" + aid, rnd.choice([who, "ql.tp"]), None))
            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(lambda j: self.call(j[1], j[2], j[3], j[4]), jobs))
            for (kind, _m, path, who, rec), r in zip(jobs, results):
                if kind == "bad":
                    self.assertEqual(r.status, 400, r.text)
                elif kind == "new":
                    self.assertEqual(r.status, 201, r.text)
                    live[rec["id"]] = (rec, who)
                elif kind == "again":
                    self.assertEqual(r.status, 200, r.text)
                elif kind == "edit":
                    self.assertEqual(r.status, 200, r.text)
                    aid = path.rsplit("/", 1)[1]
                    live[aid] = (rec, live[aid][1])
                else:
                    self.assertEqual(r.status, 200, r.text)
                    del live[path.rsplit("/", 1)[1]]
        return live

    def check_model(self, live):
        s = self.server
        person_of = {}
        for aid, (rec, who) in live.items():
            p = rec["person"]
            if "phone" in p:
                person_of[aid] = "phone:" + p["phone"]
            elif "register" in p:
                person_of[aid] = "phone:" + p["register"]["phone"]
        for unit in self.wards + ["79", "VN"]:
            mine = {aid: v for aid, v in live.items() if unit in ("79", "VN") or v[0]["unit"] == unit}
            self.assertEqual(self.stored(unit, "assists"), len(mine), unit)
            for g in GROUPS:
                want = sum(1 for rec, _ in mine.values() if rec["person"].get("group") == g)
                self.assertEqual(self.stored(unit, "assists", "@g" + g), want, (unit, g))
            anon = sum(1 for aid in mine if aid not in person_of)
            self.assertEqual(self.stored(unit, "assists_anonymous"), anon, unit)
            people = len({person_of[aid] for aid in mine if aid in person_of})
            self.assertEqual(self.stored(unit, "people_helped"), anon + people, unit)
            for g in GROUPS:  # only anonymous people have a group
                want = sum(1 for aid, (rec, _) in mine.items() if rec["person"].get("group") == g)
                self.assertEqual(self.stored(unit, "people_helped", "@g" + g), want, (unit, g))
            self.assertEqual(self.stored(unit, "active_volunteers"), len({who for _, who in mine.values()}), unit)
            # The smartphone counter, by the model, not by the C recount (which shares hv_assist_count).
            smart = sum(1 for rec, _ in mine.values() if rec["has_smartphone"])
            self.assertEqual(self.stored(unit, "assists_smartphone"), smart, unit)
            ind = {x["code"]: x for x in self.call("GET", "/api/v1/units/%s/indicators" % unit, "ql.tp").json()} \
                if unit != "VN" else None
            if ind is not None:
                want = round(1000 * smart / len(mine)) / 10 if mine else None  # rounded, not truncated
                self.assertEqual(ind["smartphone_pct"]["value"], want, unit)
                self.assertEqual(ind["assists_smartphone"]["value"], smart, unit)
            for svc in SERVICES:
                want = sum(1 for rec, _ in mine.values() if svc in rec["services"])
                self.assertEqual(self.stored(unit, "assists_" + svc), want, (unit, svc))
        self.assertEqual(int(s.sql("SELECT COUNT(*) FROM assists")[0][0]), len(live))
        self.check_learners()
        self.check_sums()

    def parent_of(self):
        return {code: parent for code, parent in self.server.sql("SELECT code, COALESCE(parent_code, '') FROM units")}

    def check_learners(self):
        """Registered learners (this quarter), from the accounts, summed up the tree here: those who
        deleted their data do not count; those with no commune count in the nation's unassigned row."""
        s = self.server
        parent = self.parent_of()
        want = {}
        quarter = [p for p, in s.sql("SELECT DISTINCT period FROM agg WHERE unit_code = 'VN' AND LENGTH(period) = 6")]
        for home, n in s.sql("SELECT COALESCE(home_unit, ''), COUNT(*) FROM accounts WHERE kind = 'learner' "
                             "AND display_name <> '(đã xóa)' GROUP BY home_unit"):
            chain = ["VN", "~VN"] if not home else [home, parent.get(home) or "VN"] + (["VN"] if parent.get(home) else ["~" + home])
            for u in dict.fromkeys(chain):
                want[u] = want.get(u, 0) + int(n)
        self.assertEqual(len(quarter), 1)  # a run stays in one quarter
        for u in set(want) | {"VN", "~VN", "79"} | set(self.wards):
            self.assertEqual(self.stored(u, "registered_learners"), want.get(u, 0), u)

    def check_sums(self):
        """Every plain counter of the nation and of each province is the sum of those kept under it
        (its children and its unassigned row); people counted once (people helped, volunteers) at most that."""
        rows = self.server.sql("SELECT g.unit_code, g.period, g.indicator, g.value, (SELECT COALESCE(SUM(k.value), 0) "
                               "FROM agg_child k WHERE k.parent_code = g.unit_code AND k.period = g.period "
                               "AND k.indicator = g.indicator) FROM agg g JOIN units u ON u.code = g.unit_code "
                               "WHERE u.level <> 'commune'")
        self.assertTrue(rows)
        for unit, period, ind, value, below in rows:
            if ind in ("people_helped", "active_volunteers"):
                self.assertLessEqual(int(value), int(below), (unit, period, ind))
            else:
                self.assertEqual(int(value), int(below), (unit, period, ind))

    def test_random_sequences_keep_counts_equal_to_a_recount(self):
        live = {}
        for seed in (1, 2, 3):
            # Each sequence adds to the same database: counts accumulate.
            more = self.run_sequence(seed, 120)
            live.update(more)
            self.learners_come_and_go(seed)
            r = self.server.cli("indicators", "verify")
            self.assertEqual(r.returncode, 0, "seed %d: %s%s" % (seed, r.stdout, r.stderr))
            self.check_model(live)

    def learners_come_and_go(self, seed):
        """Learners register (some choosing no commune) and some delete their data."""
        rnd = random.Random(seed)
        for k in range(4):
            c = Client(self.server.port, source=fresh_source())
            form = {"name": "Học viên %d %d" % (seed, k), "phone": "0914%03d%03d" % (seed, k), "pin": "804613",
                    "pin2": "804613", "consent": "yes"}
            if rnd.random() < 0.5:
                form["unit"] = rnd.choice(self.wards)
            self.assertEqual(c.form_post("/dang-ky", "/dang-ky", form).status, 303)
            if rnd.random() < 0.4:
                me = c.get("/tai-khoan")
                self.assertEqual(c.post("/tai-khoan/xoa", {"_csrf": me.csrf(), "confirm": "yes"}).status, 303)

    def import_units(self, move=None):
        """Imports the shipped units, with move = (ward, province) changing one ward's parent."""
        with open(os.path.join(ROOT, "data", "seed", "vn-admin-units-2025.csv"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        if move:
            for i, line in enumerate(lines):
                cols = line.split(",")
                if cols[0] == move[0]:
                    cols[3] = move[1]
                    lines[i] = ",".join(cols)
        fd, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        r = self.server.cli("import", "units", path)
        os.unlink(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 moved", r.stdout)

    def test_moving_a_ward_moves_its_counts(self):
        """A units import that moves a ward to another province moves its counters with it, in the
        import's transaction: plain sums by the ward's value, people and volunteers person by person
        (someone also helped in a ward left behind still counts there).  A write made right after the
        import, before the server's once-a-second reload, counts under the new province."""
        s = self.server
        w0, w1 = self.wards[0], self.wards[1]
        phone = "0912999990"
        r = s.client().form_post("/dang-ky", "/dang-ky", {"name": "Người chuyển", "phone": phone, "pin": "804613",
                                                        "pin2": "804613", "consent": "yes", "unit": w0})
        self.assertEqual(r.status, 303)

        made = []

        def assist(ward, who, person):
            rec = {"id": str(uuid.uuid4()), "unit": ward, "services": ["etax"], "outcome": "done",
                   "has_smartphone": True, "person": person}
            self.assertEqual(self.call("POST", "/api/v1/assists", who, rec).status, 201)
            made.append((rec["id"], who))

        anon = {"age_band": "60+", "gender": "f", "group": "elderly"}
        names = ("assists", "assists_etax", "people_helped", "active_volunteers")
        start = {u: {k: self.stored(u, k) for k in names} for u in ("79", "01", w0)}
        self.home[phone] = w0
        assist(w0, "tnv.0.0", self.known_person(phone, "tnv.0.0"))
        assist(w1, "tnv.1.0", self.known_person(phone, "tnv.1.0"))  # the same person, helped in another ward
        assist(w0, "tnv.0.1", anon)
        before = {u: {k: self.stored(u, k) for k in names} for u in ("79", "01", w0)}
        self.assertEqual(before["01"]["assists"], 0)
        # People helped in w0 and also in another ward of the city, from the records.
        overlap = int(s.sql("SELECT COUNT(DISTINCT person_account) FROM assists WHERE unit_code = ? AND person_account IN "
                            "(SELECT person_account FROM assists WHERE unit_code <> ? AND unit_code IN "
                            "(SELECT code FROM units WHERE parent_code = '79'))", w0, w0)[0][0])
        self.assertGreaterEqual(overlap, 1)

        self.import_units((w0, "01"))
        assist(w0, "tnv.0.0", anon)
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for k in ("assists", "assists_etax"):
            self.assertEqual(self.stored("01", k), before["01"][k] + before[w0][k] + 1, k)
            self.assertEqual(self.stored("79", k), before["79"][k] - before[w0][k], k)
        self.assertEqual(self.stored("01", "people_helped"), before[w0]["people_helped"] + 1)
        self.assertEqual(self.stored("79", "people_helped"), before["79"]["people_helped"] - before[w0]["people_helped"] + overlap)
        self.assertEqual(self.stored("01", "active_volunteers"), before[w0]["active_volunteers"])
        self.assertEqual(self.stored("79", "active_volunteers"), before["79"]["active_volunteers"] - before[w0]["active_volunteers"])
        rows = s.sql("SELECT DISTINCT parent_code FROM agg_child WHERE unit_code = ?", w0)
        self.assertEqual([r[0] for r in rows], ["01"])
        self.check_sums()

        # And back: the city has everything again, Hà Nội nothing.
        self.import_units()
        r = s.cli("indicators", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for k in names:
            self.assertEqual(self.stored("01", k), 0, k)
        for k in ("assists", "assists_etax", "people_helped"):
            self.assertEqual(self.stored("79", k), before["79"][k] + 1, k)
        self.assertEqual(self.stored("79", "active_volunteers"), before["79"]["active_volunteers"])
        time.sleep(1.1)  # the server checks the units version once a second (scope checks use its tree)
        # Deleting the records made across the moves takes every count back.
        for aid, who in made:
            self.assertEqual(self.call("DELETE", "/api/v1/assists/" + aid, who).status, 200)
        self.assertEqual(s.cli("indicators", "verify").returncode, 0)
        self.assertEqual({u: {k: self.stored(u, k) for k in names} for u in start}, start)
        self.check_sums()

    def test_delete_scope_and_bad_ids(self):
        rec = {"id": str(uuid.uuid4()), "unit": self.wards[0], "services": ["etax"], "outcome": "done",
               "has_smartphone": False, "person": {"age_band": "25-39", "gender": "m", "group": "worker"}}
        self.assertEqual(self.call("POST", "/api/v1/assists", "tnv.0.0", rec).status, 201)
        # Another ward's volunteer may not delete it; nor a volunteer who is not its author.
        self.assertEqual(self.call("DELETE", "/api/v1/assists/" + rec["id"], "tnv.1.0").status, 403)
        self.assertEqual(self.call("DELETE", "/api/v1/assists/" + rec["id"], "tnv.0.1").status, 403)
        self.assertEqual(self.call("DELETE", "/api/v1/assists/not-a-uuid", "tnv.0.0").status, 404)
        # DELETE is understood only where a route takes it.
        self.assertEqual(self.call("DELETE", "/api/v1/assists", "tnv.0.0").status, 405)
        self.assertEqual(self.server.client().request("DELETE", "/don-vi/79").status, 405)
        self.assertEqual(self.call("DELETE", "/api/v1/assists/" + str(uuid.uuid4()), "tnv.0.0").status, 404)
        # Without a token or CSRF header: refused, nothing removed.
        self.assertIn(self.server.client().request("DELETE", "/api/v1/assists/" + rec["id"]).status, (401, 403))
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM assists WHERE id = ?", rec["id"])[0][0], "1")
        r = self.call("DELETE", "/api/v1/assists/" + rec["id"], "tnv.0.0")
        self.assertEqual(r.status, 200)
        self.assertEqual(self.call("GET", "/api/v1/assists/" + rec["id"], "tnv.0.0").status, 404)
        self.assertEqual(self.call("DELETE", "/api/v1/assists/" + rec["id"], "tnv.0.0").status, 404)
        # The removed record is kept in the audit log.
        rows = self.server.sql("SELECT detail FROM audit_log WHERE action = 'assist.delete' AND target = ?", rec["id"])
        self.assertEqual(len(rows), 1)
        self.assertIn('"etax"', rows[0][0])


if __name__ == "__main__":
    main()
