"""Scoring a model on a PTC-format split: the code behind ``unspin evaluate`` and validation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from unspin._errors import LabelFileError
from unspin.eval.ptc import Label
from unspin.eval.scoring import Score, TCScore, si_score, tc_score
from unspin.model.decoding import Decoding, decode
from unspin.model.inference import Encoded, SpanModel

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer


def gold_si(labels: Sequence[Label]) -> dict[str, list[tuple[int, int]]]:
    gold: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for label in labels:
        gold[label.article_id].append((label.start, label.end))
    return dict(gold)


def predict_si(
    encoded: Mapping[str, Encoded], params: Decoding
) -> dict[str, list[tuple[int, int]]]:
    return {
        article_id: [(s.start, s.end) for s in decode(enc, params)]
        for article_id, enc in encoded.items()
    }


def evaluate_si(encoded: Mapping[str, Encoded], labels: Sequence[Label], params: Decoding) -> Score:
    """Official SI score of the spans the model finds in every encoded article."""
    return si_score(predict_si(encoded, params), gold_si(labels))


def decoding_grid(tidy: bool = False) -> list[Decoding]:
    """The SI decoding settings that training tries on validation."""
    grid = []
    for i in range(11):
        high = round(0.2 + 0.04 * i, 2)
        for low in (None, 0.1, 0.15, 0.2, 0.25, 0.3):
            if low is not None and low >= high:
                continue
            grid += [Decoding(high, low, gap, tidy) for gap in (0, 3, 10, 25, 50)]
    return grid


def best_decoding(
    encoded: Mapping[str, Encoded], labels: Sequence[Label], tidy: bool = False
) -> tuple[Decoding, Score]:
    """The SI decoding with the best F1 on these articles (for validation only)."""
    gold = gold_si(labels)
    scored = [(d, si_score(predict_si(encoded, d), gold)) for d in decoding_grid(tidy)]
    return max(scored, key=lambda item: item[1].f1)


def predict_tc(
    predictor: SpanModel, encoded: Mapping[str, Encoded], template: Sequence[Label]
) -> list[Label]:
    """One technique per template line; a span listed k times gets its k likeliest techniques."""
    groups: dict[str, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    for label in template:
        groups[label.article_id][(label.start, label.end)] += 1
    predictions: list[Label] = []
    for article_id, spans in groups.items():
        keys = list(spans)
        probs = predictor.classify(encoded[article_id], keys)
        for (start, end), p in zip(keys, probs, strict=True):
            top = p.argsort(descending=True)[: spans[(start, end)]].tolist()
            predictions += [Label(article_id, start, end, predictor.techniques[i]) for i in top]
    return predictions


def evaluate_tc(
    predictor: SpanModel, encoded: Mapping[str, Encoded], labels: Sequence[Label]
) -> TCScore:
    """Micro-F1 of technique labels for the gold spans, with the official best-order matching."""
    return tc_score(predict_tc(predictor, encoded, labels), labels)


def run_evaluation(
    analyzer: Analyzer,
    articles: Mapping[str, str],
    labels: Sequence[Label],
    task: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    source: str = "labels",
    chunk: int = 32,
) -> dict[str, Any]:
    """Score ``analyzer`` on ``articles`` against gold ``labels``; the JSON of ``--json``."""
    if task == "si":
        ids = sorted(articles)
    elif task == "tc":
        if any(label.technique in (None, "?") for label in labels):
            raise LabelFileError(
                f"{source}: tc needs a gold technique on every line (4 columns, no '?')"
            )
        ids = sorted({label.article_id for label in labels})
    else:
        raise ValueError(f"unknown task {task!r}")
    encoded: dict[str, Encoded] = {}
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        encoded.update(
            zip(part, analyzer.predictor.encode([articles[a] for a in part]), strict=True)
        )
        if progress is not None:
            progress(len(encoded), len(ids))
    result: dict[str, Any] = {
        "task": task,
        "model": analyzer.model.to_dict(),
        "n_articles": len(ids),
    }
    if task == "si":
        score = evaluate_si(encoded, labels, analyzer.decoding)
        result.update(score.to_dict(), decoding=asdict(analyzer.decoding))
    else:
        result.update(evaluate_tc(analyzer.predictor, encoded, labels).to_dict())
    return result
