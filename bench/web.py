"""Web speed: requests per second and p95 latency of the check and stats endpoints under concurrent load.

    python bench/web.py [--requests 200] [--concurrency 8] [--port 0]

Starts the web application with uvicorn on a free loopback port (a temporary SQLite store with
the example reports ingested: the demo store), then sends ``--requests`` requests per endpoint
from ``--concurrency`` threads with httpx: ``POST /api/check`` (an example report uploaded) and
``GET /api/stats``. The client threads share this process with the server, as its own load.
Only 127.0.0.1 is contacted; the loops are bounded in count. Nothing is asserted: speed is
measured here, not in the test suite. The stats endpoint aims at a p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = sorted((ROOT / "examples").glob("*.txt"))[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: str, port: int) -> Callable[[], None]:
    """Start the app in a thread; returns the function that stops it."""
    import uvicorn

    from xxgk.store import Store
    from xxgk.web import Settings, create_app

    with Store(db) as store:
        store.ingest(sorted((ROOT / "examples").glob("*.txt")), workers=1)
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db_url=db)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        sys.exit("uvicorn did not start")

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return stop


def _measure(name: str, count: int, concurrency: int, call: Callable[[httpx.Client], httpx.Response]) -> None:
    """Send ``count`` requests from ``concurrency`` threads; print requests/s and latency percentiles."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    local = threading.local()

    def one(_: int) -> None:
        nonlocal failures
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(timeout=120)
        start = time.perf_counter()
        response = call(client)
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)
            failures += response.status_code >= 400

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(count)))
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{name:<12} {count / wall:8.1f} 次/秒  p50 {statistics.median(ordered) * 1000:7.1f} ms  "
          f"p95 {p95 * 1000:7.1f} ms  失败 {failures}/{count}（并发 {concurrency}）")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    count = max(1, min(args.requests, 10_000))
    port = args.port or _free_port()
    body = EXAMPLE.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        stop = _serve(f"sqlite:///{Path(tmp) / 'bench.db'}", port)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{len(list((ROOT / 'examples').glob('*.txt')))} 份报告的库，{os.cpu_count()} 核，负载 {load}")
        base = f"http://127.0.0.1:{port}"
        try:
            _measure("check", count, args.concurrency,
                     lambda c: c.post(f"{base}/api/check", files={"file": (EXAMPLE.name, body)}))
            _measure("stats", count, args.concurrency, lambda c: c.get(f"{base}/api/stats"))
        finally:
            stop()


if __name__ == "__main__":
    main()
