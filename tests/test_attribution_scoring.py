"""The PolNeAR reader and the attribution scorer, on tiny hand-written brat files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from unspin.eval.attribution_scoring import AttributionScorer, Triple, triples_of_gold
from unspin.eval.polnear import load_polnear, parse_ann

TEXT = (
    '"We will win," Trump said, "because we are right."  Officials said the plan failed.\n'
    "The report found nothing.\n"
)
# Trump's quotation is one content in two pieces; the first annotator (0a1b) is used.
ANN_FIRST = "\n".join(
    [
        "T1\tSource 15 20\tTrump",
        "T2\tCue 21 25\tsaid",
        'T3\tContent 0 14;27 51\t"We will win," "because we are right."',
        "T4\tAttribution 21 25\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "T5\tSource 52 61\tOfficials",
        "T6\tCue 62 66\tsaid",
        "T7\tContent 67 83\tthe plan failed.",
        "#1\tAnnotatorNotes T7\tunsure",
        "T8\tDiscuss 67 71\tthe ",
        "E2\tSource:T5 Cue:T6 Content:T7 Discuss:T8",
        "T9\tCue 95 100\tfound",
        "E3\tCue:T9",
        "garbage line",
        "T10\tContent 101 109\tnothing.",
        "T11\tSource 84 94\tThe report",
        "E4\tSource:T11 Cue:T9 Content:T10",
        "",
    ]
)


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    text_dir, ann_dir = tmp_path / "text", tmp_path / "attributions"
    text_dir.mkdir()
    ann_dir.mkdir()
    (text_dir / "doc.txt").write_text(TEXT, encoding="utf-8")
    (ann_dir / "doc_0a1b.ann").write_text(ANN_FIRST, encoding="utf-8")
    (ann_dir / "doc_ff00.ann").write_text('T1\tContent 0 5\t"We w\nE1\tContent:T1\n')
    (text_dir / "lonely.txt").write_text("No annotation here.", encoding="utf-8")
    return text_dir, ann_dir


def test_reader_takes_extents_first_annotator_and_reports_skips(tmp_path: Path) -> None:
    notes: Counter[str] = Counter()
    articles = load_polnear(*_corpus(tmp_path), notes)
    assert [a.name for a in articles] == ["doc"]
    atts = articles[0].attributions
    assert len(atts) == 3
    assert atts[0].extent("content") == (0, 51)
    assert atts[0].content == ((0, 14), (27, 51))
    assert atts[1].extent("source") == (52, 61)
    assert atts[2].extent("source") == (84, 94)
    assert notes[".ann of a later-sorting annotator (not used)"] == 1
    assert notes["E argument is a Discuss/Discard span (argument skipped)"] == 0
    assert notes["E line without content (attribution skipped)"] == 1
    assert notes["line that is no T/E/# and follows no T (skipped)"] == 1
    assert notes[".txt without an .ann (left out)"] == 1


def test_continuation_lines_and_bad_offsets_are_survived() -> None:
    notes: Counter[str] = Counter()
    ann = "T1\tContent 0 9\tline one\nline two\nT2\tCue 5 999\tx\nE1\tContent:T1 Cue:T2\n"
    atts = parse_ann(ann, "0123456789", notes)
    assert len(atts) == 1 and atts[0].cue == ()
    assert notes["malformed T line or offsets outside the text (skipped)"] == 1
    assert notes["E argument names a missing or skipped T (argument skipped)"] == 1


def test_gold_as_prediction_scores_one(tmp_path: Path) -> None:
    article = load_polnear(*_corpus(tmp_path), Counter())[0]
    gold = triples_of_gold(article.attributions)
    scorer = AttributionScorer()
    scorer.add(article.text, gold, gold)
    result = scorer.result()
    for role in ("source", "cue", "content"):
        assert result[role]["exact"]["f1"] == 1.0
        assert result[role]["overlap"]["f1"] == 1.0
    assert result["attribution"]["f1"] == 1.0
    assert result["voice"]["f1"] == 1.0


def test_partial_prediction_counts() -> None:
    gold = [Triple((15, 20), (21, 25), (0, 51)), Triple((52, 61), (62, 66), (67, 83))]
    # the first content cut short (overlap only), the second attribution with the wrong source
    pred = [Triple((15, 20), (21, 25), (0, 14)), Triple((21, 25), (62, 66), (67, 83))]
    scorer = AttributionScorer()
    scorer.add(TEXT, pred, gold)
    r = scorer.result()
    assert r["content"]["exact"]["f1"] == 0.5
    assert r["content"]["overlap"]["f1"] == 1.0
    assert r["source"]["exact"]["precision"] == 0.5
    assert r["attribution"]["f1"] == 0.5
    assert r["cue"]["exact"]["f1"] == 1.0
    assert 0 < r["voice"]["recall"] < 1 and r["voice"]["precision"] == 1.0


REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "tools" / "attribution_score.py"


@pytest.mark.skipif(not REFERENCE.is_file(), reason=f"no reference scorer at {REFERENCE}")
def test_agrees_with_the_reference_scorer(tmp_path: Path) -> None:
    text_dir, ann_dir = _corpus(tmp_path)
    article = load_polnear(text_dir, ann_dir, Counter())[0]
    pred = [Triple((15, 20), None, (0, 14)), Triple(None, (62, 66), (60, 90))]
    span = lambda e: e and {"start": e[0], "end": e[1], "text": TEXT[e[0] : e[1]]}  # noqa: E731
    row = {
        "id": "doc",
        "text": TEXT,
        "attributions": [{"source": span(p.source), "cue": span(p.cue),
                          "content": span(p.content)} for p in pred],
    }  # fmt: skip
    (tmp_path / "pred.jsonl").write_text(json.dumps(row) + "\n")
    out = subprocess.run(
        [sys.executable, str(REFERENCE), str(text_dir), str(ann_dir), str(tmp_path / "pred.jsonl"),
         "--json"],
        capture_output=True, text=True, check=True, env={**os.environ},
    )  # fmt: skip
    reference = json.loads(out.stdout)
    scorer = AttributionScorer()
    scorer.add(TEXT, pred, triples_of_gold(article.attributions))
    ours = scorer.result()
    for key in ("attribution", "voice"):
        assert ours[key]["f1"] == pytest.approx(reference[key]["f1"])
    for role in ("source", "cue", "content"):
        for kind in ("exact", "overlap"):
            assert ours[role][kind]["f1"] == pytest.approx(reference[role][kind]["f1"])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip


def test_evaluate_attribution_command(tmp_path: Path) -> None:
    """`unspin evaluate TEXT_DIR ANN_DIR --task attribution`: the shipped model end to end,
    its JSON result, and predictions that the reference scorer reads the same."""
    from unspin.model.install import is_installed
    from unspin.model.registry import get_spec

    if not is_installed(get_spec("unspin-small-v1")):
        pytest.skip("run `unspin models download unspin-small-v1` first")
    text_dir, ann_dir = _corpus(tmp_path)
    pred = tmp_path / "pred.jsonl"
    result = _cli("evaluate", str(text_dir), str(ann_dir), "--task", "attribution", "--json",
                  "--predictions", str(pred))  # fmt: skip
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["task"] == "attribution" and scores["n_articles"] == 1
    assert scores["content"]["exact"]["n_gold"] == 3
    assert scores["parse_notes"][".ann of a later-sorting annotator (not used)"] == 1
    (row,) = [json.loads(line) for line in pred.read_text(encoding="utf-8").splitlines()]
    assert row["id"] == "doc" and row["text"] == TEXT
    for att in row["attributions"]:
        content = att["content"]
        assert TEXT[content["start"] : content["end"]] == content["text"]
    table = _cli("evaluate", str(text_dir), str(ann_dir), "--task", "attribution")
    assert table.returncode == 0, table.stderr
    assert "attribution link" in table.stdout and "voice" in table.stdout
    if REFERENCE.is_file():
        out = subprocess.run(
            [sys.executable, str(REFERENCE), str(text_dir), str(ann_dir), str(pred), "--json"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        reference = json.loads(out.stdout)
        for key in ("attribution", "voice"):
            assert scores[key]["f1"] == pytest.approx(reference[key]["f1"])
        for role in ("source", "cue", "content"):
            assert scores[role]["exact"]["f1"] == pytest.approx(reference[role]["exact"]["f1"])


def test_evaluate_attribution_needs_folders(tmp_path: Path) -> None:
    result = _cli("evaluate", str(tmp_path / "no"), str(tmp_path / "nope"), "--task", "attribution")
    assert result.returncode == 2
    assert "TEXT_DIR and ANN_DIR" in result.stderr


def test_default_model_meets_the_dev_targets() -> None:
    """The shipped default on PolNeAR dev (84 articles), as `unspin evaluate --task
    attribution` scores it: every figure of the attribution issue, and what its card says."""
    from unspin.attribution import AttributionModel
    from unspin.eval.attribution_eval import score_predictions

    dev = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev"
    if not (dev / "text").is_dir():
        pytest.skip(f"no PolNeAR dev split at {dev} (the corpus is not part of the project)")
    articles = load_polnear(dev / "text", dev / "attributions", Counter())
    model = AttributionModel.load(dtype="bf16")
    r = score_predictions(articles, [model.attribute(a.text) for a in articles])
    assert r["voice"]["f1"] >= 0.90
    assert r["source"]["exact"]["f1"] >= 0.75 and r["cue"]["exact"]["f1"] >= 0.72
    assert r["content"]["exact"]["f1"] >= 0.55 and r["content"]["overlap"]["f1"] >= 0.85
    assert r["attribution"]["f1"] >= 0.72
    assert r["voice"]["f1"] == pytest.approx(model.card.dev["voice"]["f1"], abs=0.002)
