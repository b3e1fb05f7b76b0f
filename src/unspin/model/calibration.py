"""Calibrated span confidences: Platt scaling fitted on held-out articles, and its ECE.

A span's raw confidence is P(inside) x P(technique), which runs higher than the share of such
spans that a gold span of the same technique overlaps (expected calibration error 0.077 for
unspin-small-v1 on its validation articles). Training fits ``p' = sigmoid(a * logit(p) + b)``
on the validation articles and stores ``[a, b]`` in the model card; the ECE it reports is
cross-fitted (fitted on one half of the articles, measured on the other, and back), so that no
span is scored by a mapping fitted on it. Models without it in their card are unchanged.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from unspin.model.decoding import Decoding, decode

if TYPE_CHECKING:  # torch loads lazily: the Analyzer imports this module
    from unspin.eval.ptc import Label
    from unspin.model.inference import Encoded, SpanModel

Pair = tuple[float, bool]  # (confidence, correct)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def calibrate(confidence: float, platt: Sequence[float]) -> float:
    """``confidence`` mapped through Platt scaling ``[a, b]``."""
    a, b = platt
    return 1.0 / (1.0 + math.exp(-(a * _logit(confidence) + b)))


def fit_platt(pairs: Sequence[Pair]) -> list[float]:
    """``[a, b]`` minimising the log loss of ``sigmoid(a * logit(p) + b)`` (identity: [1, 0])."""
    if not pairs or all(y for _, y in pairs) or not any(y for _, y in pairs):
        return [1.0, 0.0]
    import torch

    x = torch.tensor([_logit(c) for c, _ in pairs], dtype=torch.float64)
    y = torch.tensor([float(t) for _, t in pairs], dtype=torch.float64)
    ab = torch.tensor([1.0, 0.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([ab], max_iter=100, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(ab[0] * x + ab[1], y)
        # A weak pull towards the identity keeps (a, b) finite when a few spans separate.
        loss = loss + 1e-3 * ((ab[0] - 1) ** 2 + ab[1] ** 2)
        loss.backward()  # type: ignore[no-untyped-call]
        return loss

    opt.step(closure)  # type: ignore[no-untyped-call]
    return [round(float(v), 6) for v in ab.detach()]


def ece(pairs: Sequence[Pair], bins: int = 10) -> float:
    """Expected calibration error over ``bins`` equal-width confidence bins."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c, y in pairs:
        s = sums[min(int(c * bins), bins - 1)]
        s[0] += c
        s[1] += float(y)
        s[2] += 1
    return sum(abs(s[0] - s[1]) / len(pairs) for s in sums.values()) if pairs else 0.0


def reliability(pairs: Sequence[Pair], bins: int = 10) -> list[tuple[str, int, float, float]]:
    """The reliability table: for each confidence bin that has spans, its range, how many
    spans, their mean confidence and the share of them that is correct."""
    grouped: dict[int, list[Pair]] = defaultdict(list)
    for c, y in pairs:
        grouped[min(int(c * bins), bins - 1)].append((c, y))
    return [
        (
            f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
            len(inside),
            sum(c for c, _ in inside) / len(inside),
            sum(y for _, y in inside) / len(inside),
        )
        for b, inside in sorted(grouped.items())
    ]


def span_pairs(
    predictor: SpanModel,
    encoded: Mapping[str, Encoded],
    decoding: Decoding,
    labels: Sequence[Label],
) -> dict[str, list[Pair]]:
    """Per article: each predicted span's raw confidence, and whether a gold span of its
    technique overlaps it (spans and confidences exactly as ``Analyzer`` makes them)."""
    gold: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for label in labels:
        if label.technique is not None:
            gold[(label.article_id, label.technique)].append((label.start, label.end))
    out: dict[str, list[Pair]] = {}
    for article_id, enc in encoded.items():
        raw = decode(enc, decoding)
        probs = predictor.classify(enc, [(s.start, s.end) for s in raw])
        pairs = []
        for s, p in zip(raw, probs, strict=True):
            best = int(p.argmax())
            technique = predictor.techniques[best]
            hit = any(a < s.end and s.start < b for a, b in gold[(article_id, technique)])
            pairs.append((s.confidence * float(p[best]), hit))
        out[article_id] = pairs
    return out


def cross_fitted_ece(by_article: Mapping[str, list[Pair]], seed: int = 2020) -> float:
    """ECE after Platt scaling fitted on one seeded half of the articles, measured on the
    other half, and the other way round."""
    ids = sorted(by_article)
    random.Random(seed).shuffle(ids)
    halves = [ids[: len(ids) // 2], ids[len(ids) // 2 :]]
    mapped: list[Pair] = []
    for k in (0, 1):
        platt = fit_platt([p for i in halves[k] for p in by_article[i]])
        mapped += [(calibrate(c, platt), y) for i in halves[1 - k] for c, y in by_article[i]]
    return ece(mapped)
