"""test_workers.py: connection threads and the worker pool.  Reads are
answered by the connection threads; writes, PDFs and spreadsheets are handed
to the workers (the connection is suspended, then resumed with the answer).
With one connection thread and two workers, concurrent readers and writers
all get their answers and every acknowledged write is stored; a server
stopped while writes are in flight answers or drops each one cleanly and
exits 0; bad thread settings are refused with a message."""
import re
import signal
import threading
import time
import unittest

from harness import BIN, Client, ServerTest, ZZCleanExit, fresh_source, main  # noqa: F401


class Workers(ServerTest):
    def start(self, extra_env):
        """A server of its own on the shared database, its stderr kept."""
        proc, port = self.server.serve("access-workers.log", extra_env)
        lines = []
        t = threading.Thread(target=lambda: [lines.append(x) for x in proc.stderr], daemon=True)
        t.start()
        return proc, Client(port), lines, t

    def register(self, client, phone):
        client.source = fresh_source()  # each learner on their own phone (sign-ups are limited per address)
        r = client.form_post("/dang-ky", "/dang-ky", {"name": "Người Thử %s" % phone[-4:], "phone": phone, "pin": "582041",
                                                     "pin2": "582041", "consent": "yes"})
        return r.status

    def stored(self, phones):
        rows = self.server.sql("SELECT phone FROM accounts WHERE phone LIKE '0933%'")
        return {r[0] for r in rows} & set(phones)

    def test_reads_and_writes_share_one_connection_thread(self):
        proc, c, lines, _ = self.start({"HOCVUSO_IO_THREADS": "1"})
        try:
            acked, errors = [], []
            lock = threading.Lock()

            def writer(k):
                cl = Client(c.port)
                for i in range(12):
                    phone = "0933%02d%04d" % (k, i)
                    try:
                        st = self.register(cl, phone)
                    except Exception as ex:  # noqa: BLE001
                        errors.append(repr(ex))
                        return
                    with lock:
                        (acked.append(phone) if st == 303 else errors.append((phone, st)))

            def reader(k):
                cl = Client(c.port)
                for i in range(25):
                    r = cl.get("/don-vi/79" if i % 2 else "/minh-bach/79")
                    if r.status != 200 or "Hồ Chí Minh" not in r.text:
                        errors.append(("read", r.status))

            threads = [threading.Thread(target=writer, args=(k,)) for k in range(6)]
            threads += [threading.Thread(target=reader, args=(k,)) for k in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            self.assertEqual(errors, [])
            self.assertEqual(len(acked), 6 * 12)
            self.assertEqual(self.stored(acked), set(acked))
            # A GET handed over (a PDF) and an error answered by a worker.
            r = c.get("/bang-dieu-khien/79/bao-cao.pdf")
            self.assertEqual(r.status, 303)  # not signed in: to the sign-in page
            r = c.post("/dang-ky", {"name": "x"})
            self.assertEqual(r.status, 403)  # no CSRF token
        finally:
            self.assertEqual(self.server.stop_peer(proc), 0)

    def test_stop_while_writes_are_in_flight(self):
        proc, c, lines, drain = self.start({"HOCVUSO_IO_THREADS": "1"})
        acked, stop = [], threading.Event()
        lock = threading.Lock()

        def writer(k):
            cl = Client(c.port)
            i = 0
            while not stop.is_set():
                phone = "0933%02d%04d" % (50 + k, i)
                i += 1
                try:
                    st = self.register(cl, phone)
                except Exception:  # noqa: BLE001  the server went away
                    return
                if st == 303:
                    with lock:
                        acked.append(phone)

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        drain.join(timeout=10)
        err = "".join(lines)
        self.assertEqual(code, 0, err[-2000:])
        self.assertIn("stopping", err)
        self.assertNotRegex(err, re.compile("suspended|Sanitizer|runtime error", re.I))
        self.assertGreater(len(acked), 0)
        self.assertEqual(self.stored(acked), set(acked))

    def test_bad_thread_settings_are_refused(self):
        s = self.server
        for args, env, msg in (
            (["--io-threads", "x"], {}, "io_threads must be a number from 0 (one per core) to 256, not 'x'"),
            (["--io-threads", "257"], {}, "io_threads must be a number from 0 (one per core) to 256, not '257'"),
            ([], {"HOCVUSO_IO_THREADS": "-1"}, "HOCVUSO_IO_THREADS: io_threads must be a number"),
            (["--threads", "0"], {}, "threads must be a number from 1 to 256, not '0'"),
        ):
            import subprocess
            r = subprocess.run([BIN, "serve", "--db", s.db, "--listen", "127.0.0.1:0"] + args, capture_output=True, text=True,
                               env=dict(s.env, **env), timeout=30)
            self.assertEqual(r.returncode, 2, (args, env, r.stderr))
            self.assertIn(msg, r.stderr)


if __name__ == "__main__":
    main()
