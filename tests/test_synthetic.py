"""The synthetic corpus of the batch benchmarks (`benchmarks/synthetic.py`) and its scripts."""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from unspin import Document
from unspin.io.records import read_inputs

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def synthetic() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic", BENCHMARKS / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def records(synthetic: ModuleType) -> list[dict[str, str]]:
    return list(synthetic.generate(500, seed=7))


def test_same_seed_same_articles_and_prefixes(synthetic: ModuleType, records: list) -> None:
    assert list(synthetic.generate(500, seed=7)) == records
    assert list(synthetic.generate(50, seed=7)) == records[:50]
    other = list(synthetic.generate(50, seed=8))
    assert not {r["text"] for r in other} & {r["text"] for r in records}


def test_texts_are_distinct_and_news_length(records: list[dict[str, str]]) -> None:
    assert len({r["text"] for r in records}) == len(records)
    assert len({r["id"] for r in records}) == len(records)
    words = [len(r["text"].split()) for r in records]
    assert 500 <= statistics.mean(words) <= 900
    assert sum(400 <= n <= 1200 for n in words) >= 0.8 * len(words)
    assert all(len(r["text"].split("\n\n")) >= 5 for r in records)
    assert sum(" said" in r["text"] for r in records) >= 0.9 * len(records)


def test_records_import_with_every_field_mapped(
    records: list[dict[str, str]], tmp_path: Path
) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records[:50]), encoding="utf-8")
    articles = list(read_inputs([str(path)], max_bytes=1_000_000))
    assert all(isinstance(a, Document) for a in articles)
    for article, record in zip(articles, records[:50], strict=True):
        assert isinstance(article, Document)
        assert article.text == f"{record['title']}\n\n{record['text']}"  # headline first
        assert article.id == record["id"]
        meta = article.meta
        assert meta.title == record["title"] and meta.outlet == record["outlet"]
        assert meta.url == record["url"] and meta.language == "en"
        assert meta.published == date.fromisoformat(record["published"])
        assert meta.extra == {}  # nothing left over as unmapped metadata


def test_outlets_differ(records: list[dict[str, str]]) -> None:
    texts: dict[str, list[str]] = defaultdict(list)
    for r in records:
        texts[r["outlet"]].append(r["text"])
    assert len(texts) == 5
    # The wire service never argues; the partisan site does in most articles.
    patriot = sum("patriot" in t.lower() for t in texts["Patriot Bugle"])
    assert patriot >= 0.5 * len(texts["Patriot Bugle"])
    assert not any("patriot" in t.lower() for t in texts["Meridian Wire"])
    assert all(t.startswith(t.split(",")[0].upper()) for t in texts["Meridian Wire"])
    dates = sorted(r["published"] for r in records)
    assert dates[0] < "2025-03-01" and dates[-1] > "2025-11-01"


def test_generator_cli_writes_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    command = [sys.executable, str(BENCHMARKS / "synthetic.py"), "20", "--seed", "3", "-o", out]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20 and json.loads(lines[0])["id"] == "syn-3-000000"


def test_batch_scaling_help() -> None:
    command = [sys.executable, str(BENCHMARKS / "batch_scaling.py"), "--help"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for flag in ("--sizes", "--ray-workers", "--ray-size", "--quick", "--json"):
        assert flag in result.stdout
