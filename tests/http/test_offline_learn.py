"""test_offline_learn.py: what a phone that learned offline sends when the
connection is back (issue 22, item 1; web/offline-learn.js): the quiz
attempt answered from the saved page (its draw is the attempt number's,
re-derived by the server), sent with the phone's client id "ma", is
scored on arrival and stored once: a replay, even after a later attempt,
answers the stored result and writes nothing; a bad id, a truncated or
corrupted body, an attempt already answered or drawn from an older bank
are refused with a clear message and nothing stored.  A lesson read
replayed counts once.  The course page offers the download; the saved
quiz page carries no right answers."""
import re
import uuid

import quizbank
from harness import Client, ServerTest, ZZCleanExit, fresh_source, main  # noqa: F401

COURSE = "vneid"


class OfflineLearn(ServerTest):
    def anon(self):
        return Client(self.server.port, source=fresh_source())

    def form(self, c):
        page = c.get("/hoc/%s/kiem-tra" % COURSE)
        self.assertEqual(page.status, 200, page.text[-500:])
        return quizbank.parse_form(page.text)

    def rows(self, client_id):
        return int(self.server.sql("SELECT (SELECT COUNT(*) FROM anon_attempts WHERE client_id = ?) + "
                                   "(SELECT COUNT(*) FROM quiz_attempts WHERE client_id = ?)", client_id, client_id)[0][0])

    def attempts(self):
        return int(self.server.sql("SELECT (SELECT COUNT(*) FROM anon_attempts) + (SELECT COUNT(*) FROM quiz_attempts)")[0][0])

    def test_course_page_offers_download_and_quiz_page_has_no_answers(self):
        c = self.anon()
        page = c.get("/hoc/" + COURSE).text
        self.assertIn("Tải về để học không cần mạng", page)
        self.assertIn("/static/offline-learn.js", page)
        self.assertIn("sẽ được chấm điểm khi gửi", page)
        quiz = c.get("/hoc/%s/kiem-tra" % COURSE).text
        self.assertNotIn("correct", quiz)
        self.assertNotIn("why", quiz.lower().replace("white", ""))
        self.assertEqual(c.get("/static/offline-learn.js").status, 200)
        sw = c.get("/sw.js").text
        self.assertIn("hocvuso-hoc-", sw)

    def test_replay_answers_stored_result_once(self):
        b = quizbank.bank(COURSE)
        c = self.anon()
        f = self.form(c)
        fields = quizbank.answers(b, f, right=0)  # fails: the next attempt is possible at once
        cid = str(uuid.uuid4())
        fields["ma"] = cid
        before = self.attempts()
        first = c.post("/hoc/%s/kiem-tra" % COURSE, fields)
        self.assertEqual(first.status, 303, first.text[-800:])
        self.assertEqual(self.rows(cid), 1)
        score = self.server.sql("SELECT score, total, attempt_no FROM anon_attempts WHERE client_id = ?", cid)
        for _ in range(3):  # the answer was lost on the way: sent again
            again = c.post("/hoc/%s/kiem-tra" % COURSE, fields)
            self.assertEqual(again.status, 303, again.text[-800:])
            self.assertEqual(again.header("Location"), first.header("Location"))
        self.assertEqual(self.rows(cid), 1)
        self.assertEqual(self.attempts(), before + 1)
        self.assertEqual(self.server.sql("SELECT score, total, attempt_no FROM anon_attempts WHERE client_id = ?", cid), score)
        # A later attempt online, then the old replay: still the stored one, nothing more.
        f2 = self.form(c)
        self.assertEqual(f2["hidden"]["lan"], "1")
        self.assertEqual(c.post("/hoc/%s/kiem-tra" % COURSE, quizbank.answers(b, f2)).status, 303)
        late = c.post("/hoc/%s/kiem-tra" % COURSE, fields)
        self.assertEqual(late.status, 303)
        self.assertEqual(self.attempts(), before + 2)

    def test_signed_in_learner_replay_counts_once(self):
        b = quizbank.bank(COURSE)
        c = self.anon()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Học Ngoại Tuyến", "phone": "0912%06d" % (uuid.uuid4().int % 10**6),
                                                  "pin": "582047", "pin2": "582047", "consent": "yes"})
        self.assertEqual(r.status, 303, r.text[-800:])
        f = self.form(c)
        fields = quizbank.answers(b, f)
        cid = str(uuid.uuid4())
        fields["ma"] = cid
        for _ in range(2):
            self.assertEqual(c.post("/hoc/%s/kiem-tra" % COURSE, fields).status, 303)
        acct = self.server.sql("SELECT account_id, passed FROM quiz_attempts WHERE client_id = ?", cid)
        self.assertEqual(len(acct), 1)
        self.assertEqual(acct[0][1], "1")
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM quiz_attempts WHERE account_id = ?", acct[0][0]), [("1",)])

    def test_client_id_of_another_learner_is_refused(self):
        b = quizbank.bank(COURSE)
        a, other = self.anon(), self.anon()
        fa = quizbank.answers(b, self.form(a), right=0)
        cid = str(uuid.uuid4())
        fa["ma"] = cid
        self.assertEqual(a.post("/hoc/%s/kiem-tra" % COURSE, fa).status, 303)
        fo = quizbank.answers(b, self.form(other), right=0)
        fo["ma"] = cid
        before = self.attempts()
        r = other.post("/hoc/%s/kiem-tra" % COURSE, fo)
        self.assertEqual(r.status, 409, r.text[-500:])
        self.assertIn("đã được dùng", r.text)
        self.assertEqual(self.attempts(), before)

    def test_bad_bodies_refused_nothing_stored(self):
        b = quizbank.bank(COURSE)
        c = self.anon()
        f = self.form(c)
        good = quizbank.answers(b, f)
        before = self.attempts()
        cases = []
        bad_id = dict(good, ma="not-a-uuid")
        cases.append(bad_id)
        truncated = dict(good, ma=str(uuid.uuid4()))
        last = [k for k in truncated if k.startswith("q")][-1]
        # The body cut before its last answer: every tick of the last question
        # goes (a multiple-answer question sends q20_2, q20_3, …).
        question = last.split("_")[0]
        for k in [k for k in truncated if k == question or k.startswith(question + "_")]:
            del truncated[k]
        cases.append(truncated)
        corrupt = dict(good, ma=str(uuid.uuid4()))
        corrupt[last] = "9\x00"
        cases.append(corrupt)
        stray = dict(good, ma=str(uuid.uuid4()), q999="1")
        cases.append(stray)
        no_attempt = dict(good, ma=str(uuid.uuid4()))
        del no_attempt["lan"]
        cases.append(no_attempt)
        for fields in cases:
            r = c.post("/hoc/%s/kiem-tra" % COURSE, fields)
            self.assertTrue(400 <= r.status < 500, "%s → %d" % (sorted(fields), r.status))
        self.assertEqual(self.attempts(), before)
        for fields in cases[1:]:
            self.assertEqual(self.rows(fields["ma"]), 0)

    def test_answered_or_expired_draw_says_so(self):
        b = quizbank.bank(COURSE)
        c = self.anon()
        f = self.form(c)
        online = quizbank.answers(b, f, right=0)
        self.assertEqual(c.post("/hoc/%s/kiem-tra" % COURSE, online).status, 303)
        before = self.attempts()
        # The same draw answered offline with a new client id: attempt 0 is already answered.
        offline = dict(online, ma=str(uuid.uuid4()))
        r = c.post("/hoc/%s/kiem-tra" % COURSE, offline)
        self.assertEqual(r.status, 409)
        self.assertIn("đã được nộp và chấm rồi", r.text)
        # A draw from a bank edited since (the saved page is out of date).
        f2 = self.form(c)
        stale = dict(quizbank.answers(b, f2), ma=str(uuid.uuid4()), de="0" * 64)
        r = c.post("/hoc/%s/kiem-tra" % COURSE, stale)
        self.assertEqual(r.status, 409)
        self.assertIn("vừa được cập nhật", r.text)
        self.assertEqual(self.attempts(), before)

    def test_lesson_read_replay_counts_once(self):
        c = self.anon()
        r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Học Bài Đọc", "phone": "0913%06d" % (uuid.uuid4().int % 10**6),
                                                  "pin": "582047", "pin2": "582047", "consent": "yes"})
        self.assertEqual(r.status, 303, r.text[-800:])
        page = c.get("/hoc/" + COURSE).text
        slug = [s for s in re.findall(r'href="/hoc/%s/([a-z0-9-]+)"' % COURSE, page) if s != "kiem-tra"][0]
        lesson = c.get("/hoc/%s/%s" % (COURSE, slug))
        self.assertIn('data-wait="', lesson.text)
        body = lesson.read_form()
        progress = lambda: int(self.server.sql("SELECT COUNT(*) FROM progress")[0][0])  # noqa: E731
        before = progress()
        answers = [c.post("/hoc/%s/%s/da-hoc" % (COURSE, slug), body) for _ in range(3)]
        self.assertEqual([a.status for a in answers], [303] * 3)
        self.assertEqual(len({a.header("Location") for a in answers}), 1)
        self.assertEqual(progress(), before + 1)
        # A forged served time is refused, nothing more written.
        forged = dict(body, mo="1." + "A" * 22)
        self.assertEqual(c.post("/hoc/%s/%s/da-hoc" % (COURSE, slug), forged).status, 429)
        self.assertEqual(progress(), before + 1)


if __name__ == "__main__":
    main()
