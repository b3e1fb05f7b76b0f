"""`unspin evaluate` on a small PTC-format split written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin import Analyzer
from unspin.eval.evaluation import run_evaluation
from unspin.eval.ptc import load_articles, read_labels
from unspin.eval.scoring import si_score

from .test_cli import run

ARTICLES = {
    "900000001": (
        "Harbour plan approved\n\n"
        "The council's reckless, shameful harbour plan was rammed through last night.\n"
        "Only a fool would believe the so-called experts who back it.\n"
    ),
    "900000002": (
        "Library hours extended\n\n"
        "The library will open until eight on weekdays from next month.\n"
        "Staff said the change follows a survey of readers.\n"
    ),
}


def _span(article_id: str, phrase: str) -> tuple[str, int, int]:
    start = ARTICLES[article_id].index(phrase)
    return article_id, start, start + len(phrase)


GOLD = [
    (*_span("900000001", "reckless, shameful"), "Loaded_Language"),
    (*_span("900000001", "rammed through"), "Loaded_Language"),
    (*_span("900000001", "so-called experts"), "Name_Calling,Labeling"),
    (*_span("900000001", "so-called experts"), "Doubt"),
]


@pytest.fixture
def split(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    for article_id, text in ARTICLES.items():
        (folder / f"article{article_id}.txt").write_text(text, encoding="utf-8")
    si = tmp_path / "si.labels"
    si.write_text("".join(f"{a}\t{s}\t{e}\n" for a, s, e, _ in GOLD[:3]))
    tc = tmp_path / "tc.labels"
    tc.write_text("".join(f"{a}\t{t}\t{s}\t{e}\n" for a, s, e, t in GOLD))
    return folder, si, tc


def test_si_matches_scoring_the_analyzed_spans(
    analyzer: Analyzer, split: tuple[Path, Path, Path]
) -> None:
    folder, si, _ = split
    articles = load_articles(folder)
    result = run_evaluation(analyzer, articles, read_labels(si, articles), "si")
    assert result["task"] == "si" and result["n_articles"] == 2 and result["n_gold"] == 3
    # The same number, computed from what `analyze` reports for each article.
    predicted = {
        a: [(s.start, s.end) for s in analyzer.analyze(text).spans] for a, text in articles.items()
    }
    gold = {"900000001": [(s, e) for _, s, e, _ in GOLD[:3]]}
    assert result["f1"] == pytest.approx(si_score(predicted, gold).f1)
    assert result["recall"] > 0


def test_tc_gives_each_repeated_span_distinct_techniques(
    analyzer: Analyzer, split: tuple[Path, Path, Path]
) -> None:
    folder, _, tc = split
    articles = load_articles(folder)
    result = run_evaluation(analyzer, articles, read_labels(tc, articles), "tc")
    assert result["n_pred"] == result["n_gold"] == 4
    assert result["n_articles"] == 1
    assert 0 <= result["f1"] <= 1
    assert result["per_technique"]


def test_cli_json_and_errors(split: tuple[Path, Path, Path], tmp_path: Path) -> None:
    folder, _, tc = split
    result = run("evaluate", str(folder), str(tc), "--task", "tc", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"task", "precision", "recall", "f1", "n_articles"} <= set(data)

    template = tmp_path / "template.labels"
    template.write_text("".join(f"{a}\t?\t{s}\t{e}\n" for a, s, e, _ in GOLD))
    result = run("evaluate", str(folder), str(template), "--task", "tc")
    assert result.returncode == 2 and "gold technique" in result.stderr

    bad = tmp_path / "bad.labels"
    bad.write_text("900000001\t10\n")
    result = run("evaluate", str(folder), str(bad), "--task", "si")
    assert result.returncode == 2
    assert f"{bad}:1" in result.stderr and "columns" in result.stderr
