"""``unspin evaluate --task attribution``: run an attribution model over PolNeAR-style brat
annotations and score it (rules: ``unspin.eval.attribution_scoring``)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unspin.eval.attribution_scoring import AttributionScorer, Triple, triples_of_gold
from unspin.eval.polnear import PolnearArticle

if TYPE_CHECKING:
    from unspin.attribution._types import Attribution
    from unspin.attribution.model import AttributionModel


def _triple(att: Attribution) -> Triple:
    return Triple(
        (att.source.start, att.source.end) if att.source else None,
        (att.cue.start, att.cue.end) if att.cue else None,
        (att.content.start, att.content.end),
    )


def score_predictions(
    articles: Sequence[PolnearArticle], predicted: Sequence[Sequence[Attribution]]
) -> dict[str, Any]:
    scorer = AttributionScorer()
    for article, atts in zip(articles, predicted, strict=True):
        scorer.add(article.text, [_triple(a) for a in atts], triples_of_gold(article.attributions))
    return scorer.result()


def run_attribution_evaluation(
    model: AttributionModel,
    articles: Sequence[PolnearArticle],
    notes: Counter[str],
    *,
    predictions: Path | None = None,
    text_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Scores of ``model`` on ``articles``; with ``predictions``, also write them as JSON
    Lines in the form of ``analyze --format json`` (``id``, ``text``, ``attributions``)."""
    predicted = []
    for n, article in enumerate(articles, 1):
        predicted.append(model.attribute(article.text))
        if progress is not None:
            progress(n, len(articles))
    result = score_predictions(articles, predicted)
    result["task"] = "attribution"
    result["model"] = {"name": model.spec.name, "version": model.spec.version}
    result["parse_notes"] = {k: v for k, v in sorted(notes.items()) if v}
    if predictions is not None:
        with predictions.open("w", encoding="utf-8") as handle:
            for article, atts in zip(articles, predicted, strict=True):
                row = {
                    "id": article.name,
                    "text": article.text,
                    "source": str(text_dir / f"{article.name}.txt") if text_dir else None,
                    "spans": [],
                    "attributions": [a.to_dict() for a in atts],
                }
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return result
