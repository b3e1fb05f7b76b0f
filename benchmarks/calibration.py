"""How well span confidences are calibrated, and how much a fitted mapping helps.

    python benchmarks/calibration.py [--model unspin-small-v1] [--data DIR] [--bins 10]

Analyses the validation articles named in the model card (held out by its training) and
calls a predicted span correct when a gold TC span of the same technique overlaps it. Prints
a reliability table and the expected calibration error (ECE: the mean gap between confidence
and accuracy over equal-width confidence bins, weighted by the spans in each bin).

Then fits two recalibrations on the articles, cross-fitted (two seeded halves by article: fit
on one, measure on the other, and the other way round), so that no span is scored by a
mapping fitted on it: Platt scaling (``unspin.model.calibration``, what training stores in
new model cards) and, for comparison, isotonic regression (pool-adjacent-violators).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from unspin import Analyzer, settings
from unspin.eval.ptc import PtcCorpus
from unspin.model.calibration import Pair, cross_fitted_ece, ece, reliability, span_pairs


def reliability_rows(pairs: Sequence[Pair], bins: int) -> list[str]:
    rows = ["| confidence | spans | mean confidence | share correct |", "|---|---:|---:|---:|"]
    rows += [f"| {r} | {n} | {c:.3f} | {a:.3f} |" for r, n, c, a in reliability(pairs, bins)]
    return rows


def fit_isotonic(pairs: Sequence[Pair]) -> Callable[[float], float]:
    """Pool-adjacent-violators: a step function, non-decreasing in the confidence."""
    blocks: list[list[float]] = []  # [sum of y, count, largest confidence]
    for c, y in sorted(pairs):
        blocks.append([float(y), 1.0, c])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            y2, n2, x2 = blocks.pop()
            blocks[-1] = [blocks[-1][0] + y2, blocks[-1][1] + n2, x2]
    return lambda c: next((s / n for s, n, x in blocks if c <= x), blocks[-1][0] / blocks[-1][1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=settings.get("model"))
    parser.add_argument("--data", default=str(settings.get_path("ptc_dir")))
    args = parser.parse_args()

    corpus = PtcCorpus.load(Path(args.data))
    analyzer = Analyzer.load(args.model, device="cpu")
    val_ids = analyzer.card.held_out()
    predictor = analyzer.predictor
    encoded = dict(
        zip(val_ids, predictor.encode([corpus.articles[i] for i in val_ids]), strict=True)
    )
    labels = [x for x in corpus.tc if x.article_id in set(val_ids)]
    by_article = span_pairs(predictor, encoded, analyzer.decoding, labels)
    pairs = [p for ps in by_article.values() for p in ps]
    print(
        f"{args.model}: {len(pairs)} spans in {len(val_ids)} held-out articles, "
        f"{sum(y for _, y in pairs)} correct (a gold span of the same technique overlaps)"
    )
    print(f"ECE of the raw confidences: {ece(pairs):.4f}")
    print("\n".join(reliability_rows(pairs, 10)))
    print(
        "ECE after Platt scaling, cross-fitted by article halves: "
        f"{cross_fitted_ece(by_article):.4f}"
    )
    ids = sorted(by_article)
    random.Random(2020).shuffle(ids)
    halves = [ids[: len(ids) // 2], ids[len(ids) // 2 :]]
    mapped: list[Pair] = []
    for k in (0, 1):
        iso = fit_isotonic([p for i in halves[k] for p in by_article[i]])
        mapped += [(iso(c), y) for i in halves[1 - k] for c, y in by_article[i]]
    print(f"ECE after isotonic regression, cross-fitted the same way: {ece(mapped):.4f}")


if __name__ == "__main__":
    main()
