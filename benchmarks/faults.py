"""Fault probe: the PostgreSQL server stopped in the middle of `unspin batch`, then started.

    python benchmarks/faults.py --pg-cluster "15 main" --url postgresql://USER:PASS@127.0.0.1/DB

Imports N synthetic articles into the database at --url (its tables are dropped first: give a
database of its own), starts `unspin batch` (the fixture model, so that the run is long enough
only because of N), stops the server once some results are stored, and reports what the batch
said and its exit status; then starts the server again, reruns the batch and checks that every
article has exactly one result. Needs root or the postgres user's rights for pg_ctlcluster.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _count(url: str) -> int:
    from unspin.corpus.store import Store

    with Store.open(url, create=False) as store:
        return store.counts()["done"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--pg-cluster", default="15 main", help="VERSION NAME for pg_ctlcluster")
    parser.add_argument("-n", type=int, default=3000)
    args = parser.parse_args()

    from sqlalchemy import create_engine, text

    from unspin.corpus.store.connect import database_url

    engine = create_engine(database_url(args.url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    env = {**os.environ, "UNSPIN_MODEL": "unspin-fixture-v1", "UNSPIN_CLAIM_LEASE": "5"}
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "feed.jsonl"
        with feed.open("w") as out:
            for n in range(args.n):
                out.write(json.dumps({"id": str(n), "text": f"Story {n}: they are traitors."}))
                out.write("\n")
        unspin = [sys.executable, "-m", "unspin"]
        subprocess.run([*unspin, "import", str(feed), "--db", args.url], check=True, env=env)
    batch = subprocess.Popen(
        [*unspin, "batch", "--db", args.url, "--chunk", "1"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    while _count(args.url) < 50:
        time.sleep(0.1)
    stopped = time.monotonic()
    subprocess.run(["pg_ctlcluster", *args.pg_cluster.split(), "stop", "-m", "fast"], check=True)
    _, stderr = batch.communicate(timeout=120)
    reaction = time.monotonic() - stopped
    subprocess.run(["pg_ctlcluster", *args.pg_cluster.split(), "start"], check=True)
    before = _count(args.url)
    print(f"batch exit status {batch.returncode} {reaction:.1f} s after the stop; it said:")
    print("  " + "\n  ".join(line for line in stderr.splitlines() if line.strip()))
    print(f"results stored before the stop: {before} of {args.n}")
    again = subprocess.run(
        [*unspin, "batch", "--db", args.url], env=env, capture_output=True, text=True
    )
    print(f"rerun exit status {again.returncode}: {again.stderr.strip().splitlines()[-1]}")
    from unspin.corpus.store import Store

    with Store.open(args.url, create=False) as store:
        counts = store.counts()
    print(f"after the rerun: {counts['done']} results for {counts['articles']} articles")
    return 0 if counts["done"] == counts["articles"] == args.n else 1


if __name__ == "__main__":
    raise SystemExit(main())
