"""Batch runs into the store with the real model: local and Ray engines, failures, resuming
after SIGKILL, and the corpus commands of the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.texts import ARTICLES, doc
from unspin import Analyzer
from unspin.corpus.batch import LocalEngine, RayEngine, run_batch
from unspin.corpus.store import Store
from unspin.corpus.store.queries import CorpusFilter, iter_articles


def _stored(db: str) -> dict[str, list[tuple[str, int, int, float]]]:
    """Every analysed article's spans, by text, as the store holds them."""
    with Store.open(db, create=False) as store:
        (model, _), *_ = store.models()
        return {
            item.article.text: [
                (s.technique, s.start, s.end, s.confidence) for s in item.article.spans
            ]
            for item in iter_articles(store, CorpusFilter(model))
            if item.article is not None
        }


def _write_feed(path: Path, copies: int = 1) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for item in ARTICLES:
                record = dict(item)
                if n:  # distinct texts, so each copy is a new article
                    record["id"] = f"{item['id']}-{n}"
                    record["text"] = f"{item['text']}\n\nUpdate {n}: more to follow."
                out.write(json.dumps(record) + "\n")
    return path


def _unspin(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args], capture_output=True, text=True, **kwargs
    )


def test_local_batch_stores_what_the_analyzer_finds(
    db_url: str, fixture_analyzer: Analyzer
) -> None:
    analyzer = fixture_analyzer
    with Store.open(db_url) as store:
        store.add_articles(doc(a["text"], external_id=a["id"]) for a in ARTICLES)
        store.add_articles([doc(" \n ", external_id="blank")])  # cannot be analysed
        summary = run_batch(store, LocalEngine(analyzer), chunk=4)
        assert (summary.done, summary.failed) == (len(ARTICLES), 1)
        assert store.count_pending(analyzer.model) == 0
        again = run_batch(store, LocalEngine(analyzer), chunk=4)
        assert (again.done, again.failed) == (0, 0)
        failures = store.failures()
        assert failures == [("article 7", "article 7: the text is empty")]
    stored = _stored(db_url)
    assert len(stored) == len(ARTICLES)
    for item in ARTICLES:
        expected = analyzer.analyze(item["text"])
        assert stored[item["text"]] == [
            (s.technique, s.start, s.end, round(s.confidence, 4)) for s in expected.spans
        ]
    # The persuasive articles have findings; the plain ones have few or none.
    assert sum(len(v) for v in stored.values()) > 0


def test_ray_engine_stores_the_same_results_as_the_local_one(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    local, ray_db = str(tmp_path / "local.db"), str(tmp_path / "ray.db")
    for db in (local, ray_db):
        with Store.open(db) as store:
            store.add_articles(doc(a["text"], external_id=a["id"]) for a in ARTICLES)
    with Store.open(local) as store:
        run_batch(store, LocalEngine(analyzer), chunk=3)
    engine = RayEngine(analyzer.spec.name, workers=2)
    try:
        assert engine.model == analyzer.model and engine.workers == 2
        with Store.open(ray_db) as store:
            summary = run_batch(store, engine, chunk=1)
    finally:
        engine.close()
    assert summary.done == len(ARTICLES)
    assert _stored(ray_db) == _stored(local)


def test_a_killed_batch_resumes_and_analyses_each_article_once(tmp_path: Path) -> None:
    feed = _write_feed(tmp_path / "feed.jsonl", copies=3)
    db = str(tmp_path / "killed.db")
    # The killed run's claims (the chunk it was analysing) expire after 2 s for the next run.
    env = {**os.environ, "UNSPIN_THREADS": "1", "UNSPIN_CLAIM_LEASE": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "unspin", "batch", str(feed), "--db", db, "--chunk", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        done = 0
        while done < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
            if Path(db).exists():
                try:
                    with Store.open(db, create=False) as store:
                        done = store.counts()["done"]
                except Exception:  # the schema may be half made at this instant
                    continue
        assert done >= 3, "the batch made no progress"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    total = 3 * len(ARTICLES)
    with Store.open(db, create=False) as store:
        partial = store.counts()["done"]
    assert 3 <= partial < total, "the kill should land in the middle of the run"

    resumed = _unspin("batch", str(feed), "--db", db, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"analysed {total - partial}," in resumed.stderr
    with Store.open(db, create=False) as store:
        counts = store.counts()
        assert counts["articles"] == total and counts["done"] == total
        assert counts["failed"] == 0

    fresh = str(tmp_path / "fresh.db")
    whole = _unspin("batch", str(feed), "--db", fresh, env=env)
    assert whole.returncode == 0, whole.stderr
    assert _stored(db) == _stored(fresh)


def test_import_export_and_info_commands(tmp_path: Path) -> None:
    feed = _write_feed(tmp_path / "feed.jsonl")
    (tmp_path / "bad.jsonl").write_text('{"text": "ok text here"}\n{broken\n')
    db = str(tmp_path / "corpus.db")
    imported = _unspin("import", str(feed), str(tmp_path / "bad.jsonl"), "--db", db)
    assert imported.returncode == 3, imported.stderr  # one record could not be used
    assert f"added {len(ARTICLES) + 1} articles, 0 already stored, 1 unreadable" in imported.stderr
    assert "bad.jsonl:2: not valid JSON" in imported.stderr
    again = _unspin("import", str(feed), "--db", db)
    assert f"added 0 articles, {len(ARTICLES)} already stored" in again.stderr

    nothing = _unspin("export", "--db", db)
    assert nothing.returncode == 4 and "no analysed articles yet" in nothing.stderr

    batch = _unspin("batch", "--db", db)
    assert batch.returncode == 0, batch.stderr
    out = tmp_path / "out.jsonl"
    exported = _unspin("export", "--db", db, "-o", str(out), "--outlet", "The Rampart")
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    rampart = [a for a in ARTICLES if a["outlet"] == "The Rampart"]
    assert sorted(line["id"] for line in lines) == sorted(a["id"] for a in rampart)
    assert all(line["metadata"]["outlet"] == "The Rampart" for line in lines)

    upgraded = _unspin("db", "upgrade", "--db", str(tmp_path / "new.db"))
    assert upgraded.returncode == 0 and "up to date" in upgraded.stderr
    with Store.open(str(tmp_path / "new.db"), create=False) as fresh:
        assert fresh.counts()["articles"] == 0  # created with every table

    info = _unspin("db", "info", "--db", db)
    assert f"articles:   {len(ARTICLES) + 1}" in info.stdout
    assert "model:      unspin-small-v3" in info.stdout
    assert "bad.jsonl:2" in info.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "--db", "{tmp}/missing.db"], 4, "no such database"),
        (
            ["export", "--db", "{tmp}/x.db", "--format", "xml"],
            2,
            "choose one of: terminal, json, csv, ptc, html",
        ),
        (["export", "--db", "{tmp}/x.db", "--since", "May"], 2, "give a date as YYYY-MM-DD"),
        (["batch", "--db", "{tmp}/x.db", "--engine", "spark"], 2, "choose local or ray"),
        (["db", "info", "--db", "postgresql://u:secret@127.0.0.1:9/x"], 4, "cannot connect"),
    ],
)
def test_corpus_command_errors(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    if "{tmp}/x.db" in args:
        Store.open(str(tmp_path / "x.db")).close()
    result = _unspin(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_ray_engine_errors_are_clear() -> None:
    from unspin import InputError, UnspinError

    with pytest.raises(InputError, match="64 workers need 64 CPUs"):
        RayEngine("unspin-small-v1", workers=64)
    with pytest.raises(UnspinError, match="could not load the model: no model named 'nope'"):
        RayEngine("nope", workers=1)
    import ray

    assert not ray.is_initialized()  # the engine stopped the Ray instance it started


def test_concurrent_runs_split_the_work(tmp_path: Path, fixture_analyzer: Analyzer) -> None:
    """Two runs on one store at once analyse each article once between them."""
    import threading

    db = str(tmp_path / "shared.db")
    with Store.open(db) as store:
        store.add_articles(doc(f"{a['text']} Copy {n}.", external_id=f"{a['id']}-{n}")
                           for n in range(10) for a in ARTICLES)  # fmt: skip
    total = 10 * len(ARTICLES)
    summaries: list[Any] = []

    def one_run() -> None:
        with Store.open(db) as store:
            summaries.append(run_batch(store, LocalEngine(fixture_analyzer), chunk=2))

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert sum(s.done + s.failed for s in summaries) == total  # nobody analysed twice
    with Store.open(db) as store:
        assert store.counts()["done"] == total and store.count_pending(fixture_analyzer.model) == 0
        with store.session() as session:
            from sqlalchemy import func, select

            from unspin.corpus.store.schema import ClaimRow

            assert session.scalar(select(func.count(ClaimRow.id))) == 0  # all released


def test_a_dead_runs_claims_expire(tmp_path: Path, fixture_analyzer: Analyzer) -> None:
    from unspin.corpus.store import claims

    db = str(tmp_path / "dead.db")
    model = fixture_analyzer.model
    with Store.open(db) as store:
        store.add_articles(doc(a["text"], external_id=a["id"]) for a in ARTICLES)
        held = claims.claim(store, model, "dead-run", limit=2, lease=1.0)
        assert len(held) == 2
        assert claims.claim(store, model, "other", limit=100, lease=1.0) != []  # the rest free
        claims.release(store, "other")
        started = time.monotonic()
        summary = run_batch(store, LocalEngine(fixture_analyzer), chunk=3, lease=30)
        assert summary.done + summary.failed == len(ARTICLES)
        assert time.monotonic() - started >= 0.5  # it waited for the dead run's claims
        assert store.count_pending(model) == 0
