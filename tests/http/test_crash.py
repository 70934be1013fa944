"""test_crash.py: crash durability.  A write load (registrations, quiz
submissions, lessons marked read) runs while the server is killed with
SIGKILL at random moments, 20 times.  After every restart each write the
client saw acknowledged is present, nothing is half-written, and the
database passes its integrity check."""
import os
import random
import re
import signal
import subprocess
import threading
import time
import unittest

import quizbank
from harness import BACKEND, BIN, Client, Server, fresh_source, main  # noqa: F401

CYCLES = int(os.environ.get("HOCVUSO_CRASH_CYCLES", "20"))


class Crash(unittest.TestCase):
    def start(self, srv):
        proc = subprocess.Popen([BIN, "serve", "--db", srv.db, "--listen", "127.0.0.1:0", "--threads", "4", "--access-log", "off"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=srv.env, text=True)
        while True:
            line = proc.stderr.readline()
            m = re.search(r"listening on http://[^:]+:(\d+)", line)
            if m:
                return proc, int(m.group(1))
            if not line:
                raise RuntimeError("server did not start")

    def test_sigkill_loses_no_acknowledged_write(self):
        srv = Server()
        # Learners whose quiz submissions are the fast writes of the load:
        # one per quizzer, each answering its current attempt right (an
        # attempt is answered once; passing has no cool-down).
        sessions = []
        for k in range(3):
            c = Client(srv.port, source=fresh_source())
            r = c.form_post("/dang-ky", "/dang-ky", {"name": "Người Làm Bài %d" % k, "phone": "090000000%d" % (k + 1),
                                                     "pin": "582041", "pin2": "582041", "consent": "yes"})
            self.assertEqual(r.status, 303)
            sessions.append(dict(c.cookies))
        bank = quizbank.bank("vneid")
        srv.proc.send_signal(signal.SIGTERM)
        srv.proc.wait(timeout=30)
        acked_phones, acked_attempts = set(), [0]
        lock = threading.Lock()
        phone_seq = [100000]
        rng = random.Random(20251122)
        for cycle in range(CYCLES):
            proc, port = self.start(srv)
            stop = threading.Event()

            def registrar():
                cl = Client(port)
                while not stop.is_set():
                    with lock:
                        phone_seq[0] += 1
                        phone = "09%08d" % phone_seq[0]
                    cl.source = fresh_source()  # each from their own phone (registrations are limited per address)
                    try:
                        r = cl.form_post("/dang-ky", "/dang-ky", {"name": "Khách %d" % phone_seq[0], "phone": phone,
                                                                 "pin": "582041", "pin2": "582041", "consent": "yes"})
                    except Exception:
                        return
                    if r.status == 303:
                        with lock:
                            acked_phones.add(phone)
                    cl.cookies.clear()

            def quizzer(session):
                cl = Client(port)
                cl.cookies = dict(session)
                while not stop.is_set():
                    try:
                        form = quizbank.parse_form(cl.get("/hoc/vneid/kiem-tra").text)
                        r = cl.post("/hoc/vneid/kiem-tra", quizbank.answers(bank, form))
                    except Exception:
                        return
                    if r.status == 303:
                        with lock:
                            acked_attempts[0] += 1

            threads = [threading.Thread(target=registrar) for _ in range(2)] + \
                [threading.Thread(target=quizzer, args=(s,)) for s in sessions]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.3, 1.2))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            stop.set()
            for t in threads:
                t.join(timeout=30)
            proc.stderr.close()
            # Every acknowledged write is there after the crash.
            phones = {row[0] for row in srv.sql("SELECT phone FROM accounts WHERE phone IS NOT NULL")}
            missing = acked_phones - phones
            self.assertFalse(missing, "cycle %d: acknowledged registrations lost: %s" % (cycle, sorted(missing)[:5]))
            attempts = int(srv.sql("SELECT COUNT(*) FROM quiz_attempts")[0][0])
            self.assertGreaterEqual(attempts, acked_attempts[0], "cycle %d: acknowledged quiz attempts lost" % cycle)
            # Nothing half-written: each learner has consent and its audit row.
            orphans = srv.sql("SELECT COUNT(*) FROM accounts a WHERE a.kind = 'learner' AND (a.consent_at IS NULL OR NOT EXISTS "
                              "(SELECT 1 FROM audit_log l WHERE l.target = 'account:' || a.id AND l.action = 'account.create+consent'))")
            self.assertEqual(orphans[0][0], "0", "cycle %d: half-written registrations" % cycle)
            if BACKEND == "sqlite":
                self.assertEqual(srv.sql("PRAGMA integrity_check")[0][0], "ok", "cycle %d" % cycle)
            # The indicator aggregates, written in the same transactions, still match the records.
            v = srv.cli("indicators", "verify")
            self.assertEqual(v.returncode, 0, "cycle %d: %s" % (cycle, v.stdout[-500:]))
        self.assertGreater(len(acked_phones), CYCLES, "the load wrote too little to mean anything")
        self.assertGreater(acked_attempts[0], CYCLES * 5)
        print("crash cycles: %d, acknowledged registrations: %d, quiz attempts: %d" % (CYCLES, len(acked_phones), acked_attempts[0]))
        import shutil
        shutil.rmtree(srv.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
