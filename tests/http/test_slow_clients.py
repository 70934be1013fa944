"""test_slow_clients.py: slow clients cannot take the server down (issue
"Hardening", item 3).  A server with a 2 s header deadline and room for 40
connections still sending headers; loopback only, bounded in time."""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from harness import Server, main

HERE = os.path.dirname(os.path.abspath(__file__))


def metric(client, name, label):
    text = client.get("/metrics").text
    m = re.search(r'^%s\{%s\} (\d+)$' % (re.escape(name), re.escape(label)), text, re.M)
    return int(m.group(1)) if m else None


class SlowClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server({"HOCVUSO_HEADER_SECONDS": "2", "HOCVUSO_CONN_WAITING": "40", "HOCVUSO_CONN_PER_IP": "32"})

    @classmethod
    def tearDownClass(cls):
        code, err = cls.server.stop()
        assert code == 0 and "Sanitizer" not in err and "runtime error" not in err, err[-2000:]

    def test_header_deadline_closes_a_trickling_client(self):
        s = socket.create_connection(("127.0.0.1", self.server.port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        start = time.time()
        closed_after = None
        s.settimeout(0.5)
        for i in range(12):  # a header line every 0.5 s: never idle for MHD
            try:
                s.sendall(b"X-Slow-%d: 1\r\n" % i)
                data = s.recv(100)
                if data == b"":
                    closed_after = time.time() - start
                    break
            except socket.timeout:
                continue
            except OSError:
                closed_after = time.time() - start
                break
        s.close()
        self.assertIsNotNone(closed_after, "a client trickling headers for 6 s was not closed")
        self.assertLess(closed_after, 4.0)
        self.assertGreaterEqual(metric(self.server.client(), "hocvuso_http_connections_closed_total", 'reason="deadline"'), 1)

    def test_headers_sent_at_once_are_answered_at_the_deadline(self):
        # On the boundary: headers complete just before the deadline are answered.
        s = socket.create_connection(("127.0.0.1", self.server.port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        time.sleep(1.5)
        s.sendall(b"\r\n")
        s.settimeout(5)
        self.assertIn(b"200 OK", s.recv(200))
        s.close()

    def test_per_address_limit_plus_one(self):
        socks = []
        try:
            for _ in range(32):
                socks.append(socket.create_connection(("127.0.0.1", self.server.port), source_address=("127.0.0.3", 0)))
            # Each of the 32 is open: one request on the last still works.
            socks[-1].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            socks[-1].settimeout(5)
            self.assertIn(b"200", socks[-1].recv(100))
            # The 33rd from the same address is closed at once.
            extra = socket.create_connection(("127.0.0.1", self.server.port), source_address=("127.0.0.3", 0))
            extra.settimeout(5)
            try:
                extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                got = extra.recv(100)
            except OSError:
                got = b""
            extra.close()
            self.assertEqual(got, b"")
        finally:
            for s in socks:
                s.close()

    def test_healthz_answers_during_an_attack_and_established_clients_stay(self):
        port = self.server.port
        kept = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        kept.request("GET", "/healthz")
        self.assertEqual(kept.getresponse().read(), b'{"status":"ok"}')
        # 400 slow connections from 20 addresses: ten times the cap.
        attack = subprocess.Popen([sys.executable, os.path.join(HERE, "slowclients.py"), str(port), "400", "20", "0.5", "8"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            time.sleep(3)
            worst = 0.0
            for _ in range(30):
                t = time.time()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/healthz")
                r = c.getresponse()
                self.assertEqual((r.status, r.read()), (200, b'{"status":"ok"}'))
                c.close()
                worst = max(worst, time.time() - t)
                # The connection opened before the attack still answers.
                kept.request("GET", "/healthz")
                r = kept.getresponse()
                self.assertEqual((r.status, r.read()), (200, b'{"status":"ok"}'))
            self.assertLess(worst, 1.0, "slowest /healthz during the attack")
            waiting = metric(self.server.client(), "hocvuso_http_connections", 'phase="waiting"')
            self.assertLessEqual(waiting, 41)
        finally:
            out, _ = attack.communicate(timeout=60)
        stats = json.loads(out.strip().splitlines()[-1])
        self.assertGreater(stats["closed_by_server"], 100)
        self.assertGreater(metric(self.server.client(), "hocvuso_http_connections_closed_total", 'reason="evicted"'), 100)
        kept.close()

    def test_behind_nginx_slow_clients_never_reach_the_server(self):
        # Production sits behind nginx (docs/deploy/nginx.conf): it reads
        # whole requests first, so a slow client holds an nginx connection,
        # never one of ours; nginx's own header timeout closes it.
        if not shutil.which("nginx"):
            self.skipTest("nginx is not installed")
        tmp = tempfile.mkdtemp(prefix="hv-nginx-")
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        nport = sock.getsockname()[1]
        sock.close()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""worker_processes 1; pid %(t)s/nginx.pid; error_log %(t)s/error.log; daemon on;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path %(t)s/b; proxy_temp_path %(t)s/p; fastcgi_temp_path %(t)s/f; uwsgi_temp_path %(t)s/u; scgi_temp_path %(t)s/s;
  limit_conn_zone $binary_remote_addr zone=perip:1m;
  upstream hocvuso { server 127.0.0.1:%(port)d; keepalive 16; }
  server {
    listen 127.0.0.1:%(nport)d;
    client_header_timeout 2s; client_body_timeout 5s; limit_conn perip 32;
    location / { proxy_pass http://hocvuso; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_set_header X-Forwarded-For $remote_addr; }
  }
}
""" % {"t": tmp, "port": self.server.port, "nport": nport})
        subprocess.run(["nginx", "-c", conf, "-p", tmp], check=True, stderr=subprocess.DEVNULL)
        try:
            attack = subprocess.Popen([sys.executable, os.path.join(HERE, "slowclients.py"), str(nport), "400", "20", "0.5", "6"],
                                      stdout=subprocess.PIPE, text=True)
            time.sleep(2)
            worst = 0.0
            for _ in range(20):
                t = time.time()
                c = http.client.HTTPConnection("127.0.0.1", nport, timeout=5)
                c.request("GET", "/healthz")
                r = c.getresponse()
                self.assertEqual((r.status, r.read()), (200, b'{"status":"ok"}'))
                c.close()
                worst = max(worst, time.time() - t)
            self.assertLess(worst, 1.0)
            waiting = metric(self.server.client(), "hocvuso_http_connections", 'phase="waiting"')
            self.assertLessEqual(waiting, 2, "slow clients reached hocvuso through nginx")
            out, _ = attack.communicate(timeout=60)
            stats = json.loads(out.strip().splitlines()[-1])
            self.assertGreater(stats["closed_by_server"], 0)  # nginx's header timeout
        finally:
            with open(os.path.join(tmp, "nginx.pid")) as f:
                os.kill(int(f.read().strip()), 15)
            time.sleep(0.3)
            shutil.rmtree(tmp, ignore_errors=True)

    def test_slow_body_is_cut_by_its_size(self):
        # A 1 KiB body has grace + 1 KiB / rate: 10 s and a little.  Sending
        # nothing after the headers: MHD's idle limit (15 s) is longer.
        s = socket.create_connection(("127.0.0.1", self.server.port))
        s.sendall(b"POST /api/v1/assists HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n{")
        start = time.time()
        s.settimeout(1)
        end = None
        while time.time() - start < 16:
            try:
                s.sendall(b" ")
                if s.recv(100) == b"":
                    end = time.time() - start
                    break
            except socket.timeout:
                continue
            except OSError:
                end = time.time() - start
                break
        s.close()
        self.assertIsNotNone(end)
        self.assertLess(end, 13)
        self.assertGreater(end, 9)


if __name__ == "__main__":
    main()
