#!/usr/bin/env python3
"""assists.py URL DB_KIND DB: 10 volunteers x 1,000 assists each through
POST /api/v1/assists, 10% of them sent twice (a phone retrying), checked
against the database: zero lost, zero duplicated.  Tokens come from the
environment (TOKENS, space-separated, one per volunteer)."""
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid

url, kind, db = sys.argv[1], sys.argv[2], sys.argv[3]
host, port = url.split("//")[1].split(":")
port = int(port.rstrip("/"))
tokens = os.environ["TOKENS"].split()
PER = int(os.environ.get("PER", "1000"))
acked, errors = set(), []
lock = threading.Lock()


def volunteer(tok, seed):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    sent = []
    for _ in range(PER):
        if sent and rng.random() < 0.1:
            body = rng.choice(sent)          # a retry of an earlier record
        else:
            body = json.dumps({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "unit": "26740",
                               "services": ["vneid_install"], "person": {"age_band": "60+", "gender": "f", "group": "elderly"},
                               "outcome": "done", "has_smartphone": True})
            sent.append(body)
        conn.request("POST", "/api/v1/assists", body=body, headers={"Content-Type": "application/json", "Authorization": "Bearer " + tok})
        r = conn.getresponse()
        r.read()
        if r.status in (200, 201):
            with lock:
                acked.add(json.loads(body)["id"])
        else:
            errors.append(r.status)


def stored():
    """Rows and distinct ids in the assists table (the database may hold
    other assists, e.g. demo data: the run compares differences)."""
    q = "SELECT COUNT(*), COUNT(DISTINCT id) FROM assists"
    if kind == "postgres":
        out = subprocess.run(["psql", db, "-At", "-F", " ", "-c", q], capture_output=True, text=True).stdout.split()
    else:
        out = subprocess.run(["sqlite3", "-separator", " ", db, q], capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])


rows0, distinct0 = stored()
t0 = time.time()
threads = [threading.Thread(target=volunteer, args=(t, i)) for i, t in enumerate(tokens)]
for t in threads:
    t.start()
for t in threads:
    t.join()
dt = time.time() - t0
rows, distinct = stored()
rows, distinct = rows - rows0, distinct - distinct0   # only what this run added
ids = None
sent = len(tokens) * PER
print("assists: %d requests (10%% retries) by %d volunteers in %.1f s = %.0f req/s; %d distinct acknowledged, %d rows stored, "
      "%d errors -> lost %d, duplicated %d" % (sent, len(tokens), dt, sent / dt, len(acked), rows, len(errors),
                                               max(0, len(acked) - rows), rows - distinct))
sys.exit(0 if rows == len(acked) == distinct and not errors else 1)
