"""Faults that real corpora meet: `import` and `export` killed with SIGKILL mid-way. A killed
import leaves whole committed chunks and a rerun adds each article once; a killed export
leaves no output file at all (it appears only when complete), and a rerun writes it whole."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.texts import doc
from unspin import Article, ModelInfo, Span
from unspin.corpus.store import Store

MODEL = ModelInfo("unspin-fixture-v1", "1.0.0")


def _unspin(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "unspin", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "UNSPIN_MODEL": MODEL.name},
    )


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as connection:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0  # not made yet, or locked at this instant


def _kill_when(process: subprocess.Popen[str], ready: object, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if ready():  # type: ignore[operator]
                break
            time.sleep(0.05)
        assert process.poll() is None, "the command finished before it could be killed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def test_a_killed_import_keeps_whole_chunks_and_a_rerun_adds_the_rest(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    total = 40_000
    with feed.open("w", encoding="utf-8") as out:
        for n in range(total):
            out.write(json.dumps({"id": str(n), "text": f"Story number {n}.", "outlet": "X"}))
            out.write("\n")
    db = tmp_path / "killed.db"
    _kill_when(_unspin("import", str(feed), "--db", str(db)), lambda: _count(db, "articles") > 0)
    kept = _count(db, "articles")
    assert 0 < kept < total and kept % 500 == 0  # whole chunks of 500, nothing half-written
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = subprocess.run(
        [sys.executable, "-m", "unspin", "import", str(feed), "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    assert f"added {total - kept} articles, {kept} already stored" in again.stderr
    assert _count(db, "articles") == total


def test_a_killed_export_leaves_no_file_and_a_rerun_writes_it_whole(tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    total = 6_000
    body = "They are traitors and cowards, all of them, and everyone knows it. " * 20
    with Store.open(str(db)) as store:
        ids = store.add_articles(doc(f"{n}: {body}", external_id=str(n)) for n in range(total)).ids
        results: list[tuple[int, Article | str]] = [
            (i, Article(str(i), "", (Span(0, 3, "Loaded_Language", 0.5),), MODEL)) for i in ids
        ]
        store.save_results(MODEL, results)
    out = tmp_path / "out.jsonl"
    _kill_when(
        _unspin("export", "--db", str(db), "-o", str(out)),
        lambda: any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()),
    )
    assert not out.exists()  # never a partial file under the name asked for
    again = subprocess.run(
        [sys.executable, "-m", "unspin", "export", "--db", str(db), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == total and all(json.loads(line)["spans"] for line in lines)
