"""Load figures for ``unspin serve``: 20 concurrent clients for 60 s against one page at a
time, with the server's memory over time.

    python benchmarks/web_load.py [--clients 20] [--seconds 60] [--articles 2000]
        [--model unspin-fixture-v1] [--pages analyse,dashboard,dashboard-varied,article]
        [-o load.json]

Builds a corpus of ``--articles`` synthetic articles (``benchmarks/synthetic.py``) analysed
by the fixture model, starts ``unspin serve`` on 127.0.0.1 in its own process (its resident
memory is read from /proc every second), and runs the clients, each with its own keep-alive
connection, against each page in turn:

- ``analyse``: ``POST /api/analyze`` with a synthetic article (stored, as the page does), by
  ``--model`` (the fixture model answers at once, so this measures the web layer and the
  store; ``unspin-small-v1`` measures the real model on this machine's cores);
- ``dashboard``: ``GET /dashboard`` of the whole corpus (its statistics are cached while the
  data is unchanged, so after the first request this measures the page itself);
- ``dashboard-varied``: ``GET /dashboard?since=`` a random day of 2025 (the corpus year), so
  that most requests compute their statistics (the cache keeps 64 filters);
- ``article``: ``GET /articles/{id}`` of random stored articles.

Prints requests per second, median and 95th-percentile latency, errors and the server's
memory at the start and end of each page's run, and writes everything (with the memory
samples) as JSON to ``-o``. Linux only (memory from /proc).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import generate  # noqa: E402


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB (from /proc)."""
    total = 0
    for task in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{task}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(k) for k in found]
    return kids + [g for k in kids for g in _children(k)]


def build_corpus(db: str, articles: int) -> list[int]:
    from unspin import Analyzer, Corpus

    with Corpus.open(db, analyzer=Analyzer.load("unspin-fixture-v1")) as corpus:
        report = corpus.import_records(generate(articles, seed=13))
        corpus.analyse()
        return report.ids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: str, model: str, port: int) -> subprocess.Popen[bytes]:
    unspin = str(Path(sys.executable).with_name("unspin"))
    command = [unspin, "serve", "--db", db, "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--model", model], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                said = server.stderr.read().decode() if server.stderr else ""
                raise SystemExit(f"the server did not start: {said}") from None
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


def run_clients(
    port: int, page: str, clients: int, seconds: float, ids: list[int], texts: list[str]
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        while time.monotonic() < stop:
            began = time.monotonic()
            try:
                if page == "analyse":
                    body = json.dumps({"text": rng.choice(texts), "outlet": "Load Test"})
                    connection.request(
                        "POST", "/api/analyze", body, {"content-type": "application/json"}
                    )
                elif page == "dashboard":
                    connection.request("GET", "/dashboard")
                elif page == "dashboard-varied":
                    since = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
                    connection.request("GET", f"/dashboard?since={since}")
                else:
                    connection.request("GET", f"/articles/{rng.choice(ids)}")
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    with lock:
                        errors.append(f"HTTP {response.status}")
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors.append(type(error).__name__)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            mine.append(time.monotonic() - began)
        connection.close()
        with lock:
            latencies.extend(mine)

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)
    return {
        "page": page,
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1) if ordered else None,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--model", default="unspin-fixture-v1")
    parser.add_argument("--pages", default="analyse,dashboard,dashboard-varied,article")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="unspin-load-") as folder:
        db = os.path.join(folder, "load.db")
        began = time.monotonic()
        ids = build_corpus(db, args.articles)
        print(f"corpus: {len(ids)} articles in {time.monotonic() - began:.1f} s", flush=True)
        texts = [record["text"] for record in generate(200, seed=99)]
        port = free_port()
        server = start_server(db, args.model, port)
        samples: list[tuple[float, str, float]] = []
        started = time.monotonic()
        phase = ["idle"]
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.is_set():
                samples.append(
                    (round(time.monotonic() - started, 1), phase[0], rss_mib(server.pid))
                )
                sampling.wait(1.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        results = []
        try:
            for page in args.pages.split(","):
                phase[0] = page
                before = rss_mib(server.pid)
                result = run_clients(port, page, args.clients, args.seconds, ids, texts)
                result.update(
                    rss_before_mib=round(before, 1), rss_after_mib=round(rss_mib(server.pid), 1)
                )
                results.append(result)
                print(json.dumps(result), flush=True)
        finally:
            sampling.set()
            sampler.join()
            server.terminate()
            server.wait(timeout=30)
    print()
    print("| page | req/s | p50 | p95 | errors | server RSS before → after |")
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        print(
            f"| {r['page']} | {r['per_second']} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms | "
            f"{r['errors']} | {r['rss_before_mib']:.0f} → {r['rss_after_mib']:.0f} MiB |"
        )
    peak = max(rss for _, _, rss in samples)
    print(
        f"\nserver RSS: start {samples[0][2]:.0f} MiB, peak {peak:.0f} MiB, "
        f"end {samples[-1][2]:.0f} MiB"
    )
    if args.output:
        report = {
            "args": vars(args) | {"output": str(args.output)},
            "results": results,
            "rss": samples,
        }
        args.output.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
