"""Scoring a model on a PTC-format split: the code behind ``unspin evaluate`` and validation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from unspin._errors import LabelFileError
from unspin.inference import Encoded, Predictor
from unspin.ptc import Label
from unspin.scoring import Score, TCScore, si_score, tc_score

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer


def gold_si(labels: Sequence[Label]) -> dict[str, list[tuple[int, int]]]:
    gold: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for label in labels:
        gold[label.article_id].append((label.start, label.end))
    return dict(gold)


def predict_si(
    encoded: Mapping[str, Encoded], threshold: float
) -> dict[str, list[tuple[int, int]]]:
    return {
        article_id: [(s.start, s.end) for s in Predictor.decode(enc, threshold)]
        for article_id, enc in encoded.items()
    }


def evaluate_si(encoded: Mapping[str, Encoded], labels: Sequence[Label], threshold: float) -> Score:
    """Official SI score of the spans the model finds in every encoded article."""
    return si_score(predict_si(encoded, threshold), gold_si(labels))


def best_threshold(
    encoded: Mapping[str, Encoded], labels: Sequence[Label], grid: Sequence[float] | None = None
) -> tuple[float, Score]:
    """The SI threshold with the best F1 on these articles (for validation only)."""
    grid = grid or [round(0.1 + 0.025 * i, 3) for i in range(29)]
    gold = gold_si(labels)
    scored = [(t, si_score(predict_si(encoded, t), gold)) for t in grid]
    return max(scored, key=lambda item: item[1].f1)


def predict_tc(
    predictor: Predictor, encoded: Mapping[str, Encoded], template: Sequence[Label]
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
    predictor: Predictor, encoded: Mapping[str, Encoded], labels: Sequence[Label]
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
        score = evaluate_si(encoded, labels, analyzer.threshold)
        result.update(score.to_dict(), threshold=analyzer.threshold)
    else:
        result.update(evaluate_tc(analyzer.predictor, encoded, labels).to_dict())
    return result
