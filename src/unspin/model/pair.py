"""Two trained models as one: their probabilities averaged (``unspin-pair-*``).

The first model's word pieces carry the result. Each of them gets the second model's P(inside)
and P(begin) averaged over the second model's pieces that overlap its characters (the two
tokenizers cut words differently), and the two are mixed with the SI weight; the technique
distributions of a span are mixed with the TC weight. Decoding and labelling then run as for
one model, so a ``PairPredictor`` goes wherever a ``Predictor`` does.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import torch

from unspin.model.inference import Encoded, Predictor


def project(onto: Encoded, other: Encoded) -> tuple[list[float], list[float]]:
    """``other``'s P(inside) and P(begin) on ``onto``'s pieces (see ``project_offsets``)."""
    return project_offsets(onto.tokens.offsets, other.tokens.offsets, other.p_inside, other.p_begin)


def project_offsets(
    onto: Sequence[tuple[int, int]],
    offsets: Sequence[tuple[int, int]],
    p_inside: Sequence[float],
    p_begin: Sequence[float],
) -> tuple[list[float], list[float]]:
    """Per-piece P(inside) and P(begin) of one tokenization (``offsets``) carried onto the
    pieces of another (``onto``): for each piece of ``onto`` the mean over the pieces of
    ``offsets`` that overlap its characters (the nearest piece where none does: a character
    one tokenizer drops and the other keeps)."""
    if not offsets:
        return [0.0] * len(onto), [0.0] * len(onto)
    starts = [s for s, _ in offsets]
    inside, begin = [], []
    for s, e in onto:
        j = max(bisect.bisect_right(starts, s) - 1, 0)
        hits = []
        while j < len(starts) and starts[j] < e:
            if offsets[j][1] > s:
                hits.append(j)
            j += 1
        if not hits:
            hits = [min(bisect.bisect_left(starts, s), len(starts) - 1)]
        inside.append(sum(p_inside[k] for k in hits) / len(hits))
        begin.append(sum(p_begin[k] for k in hits) / len(hits))
    return inside, begin


def _mix(w: float, a: Sequence[float], b: Sequence[float]) -> list[float]:
    return [w * x + (1 - w) * y for x, y in zip(a, b, strict=True)]


class PairPredictor:
    """Two ``Predictor``s of the same techniques, mixed: ``si_weight`` and ``tc_weight`` are
    the first model's shares (1: the first alone, 0: the second alone)."""

    def __init__(
        self, first: Predictor, second: Predictor, *, si_weight: float, tc_weight: float
    ) -> None:
        if first.techniques != second.techniques:
            raise ValueError("the two models of a pair must label the same techniques")
        if not (0.0 <= si_weight <= 1.0 and 0.0 <= tc_weight <= 1.0):
            raise ValueError("the weights of a pair are shares between 0 and 1")
        self.first, self.second = first, second
        self.si_weight, self.tc_weight = si_weight, tc_weight
        self.techniques = first.techniques

    def encode(self, texts: Sequence[str]) -> list[Encoded]:
        out = []
        for a, b in zip(self.first.encode(texts), self.second.encode(texts), strict=True):
            inside, begin = project(a, b)
            out.append(
                Encoded(
                    a.text,
                    a.tokens,
                    a.windows,
                    a.states,
                    _mix(self.si_weight, a.p_inside, inside),
                    _mix(self.si_weight, a.p_begin, begin),
                    partner=b,
                )
            )
        return out

    def classify(self, enc: Encoded, spans: Sequence[tuple[int, int]]) -> torch.Tensor:
        if enc.partner is None:
            raise ValueError("this text was not encoded by the pair")
        w = self.tc_weight
        first = self.first.classify(enc, spans)
        return w * first + (1 - w) * self.second.classify(enc.partner, spans)
