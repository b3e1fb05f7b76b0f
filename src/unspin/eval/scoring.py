"""The official SemEval-2020 Task 11 scores: SI (span identification) and TC (classification).

Both follow the definitions in the PTC README ("Evaluation definitions"). They are pure
functions over spans and labels, so the CLI, the benchmarks and the tests share one scorer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from unspin._errors import InputError
from unspin.eval.ptc import Label, merge_spans

Spans = Mapping[str, Sequence[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1, with the number of predicted and gold items they count."""

    precision: float
    recall: float
    f1: float
    n_pred: int
    n_gold: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
        }


@dataclass(frozen=True, slots=True)
class TCScore:
    """Micro-averaged TC scores over label lines, and one ``Score`` per technique."""

    precision: float
    recall: float
    f1: float
    n_pred: int
    n_gold: int
    per_technique: dict[str, Score] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "per_technique": {name: s.to_dict() for name, s in self.per_technique.items()},
        }


def _f1(precision: float, recall: float) -> float:
    if precision == 0.0 or recall == 0.0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def _ratio(num: float, den: int) -> float:
    return num / den if den else 0.0


def pooled_f1(scores: Sequence[Score]) -> float:
    """The SI F1 of several scores' articles together (their precision and recall are sums
    over predicted and gold spans, so they pool weighted by those counts)."""
    n_p, n_g = sum(s.n_pred for s in scores), sum(s.n_gold for s in scores)
    precision = _ratio(sum(s.precision * s.n_pred for s in scores), n_p)
    recall = _ratio(sum(s.recall * s.n_gold for s in scores), n_g)
    return _f1(precision, recall)


def _merged(spans: Spans, side: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for article_id, article_spans in spans.items():
        for start, end in article_spans:
            if not 0 <= start < end:
                raise InputError(
                    f"article {article_id}: {side} span {start}-{end} is empty or negative; "
                    "spans need 0 <= start < end"
                )
        out[article_id] = merge_spans(article_spans)
    return out


def _overlap_sums(
    pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]
) -> tuple[float, float]:
    """Sums of |s∩t|/|s| and |s∩t|/|t| over all pairs of two sorted, disjoint span lists."""
    p_sum = r_sum = 0.0
    i = j = 0
    while i < len(pred) and j < len(gold):
        (ps, pe), (gs, ge) = pred[i], gold[j]
        inter = min(pe, ge) - max(ps, gs)
        if inter > 0:
            p_sum += inter / (pe - ps)
            r_sum += inter / (ge - gs)
        # The span that ends first cannot overlap anything further along the other list.
        if pe <= ge:
            i += 1
        else:
            j += 1
    return p_sum, r_sum


def si_score(pred: Spans, gold: Spans) -> Score:
    """The official SI score over all articles together: spans by article id, ``end`` exclusive.

    Overlapping gold spans in an article are merged, as the official scorer does. Overlapping
    predicted spans are merged too (the official scorer rejects them unless run with its merge
    option). ``n_pred`` and ``n_gold`` count spans after merging.
    """
    pred_m = _merged(pred, "predicted")
    gold_m = _merged(gold, "gold")
    p_sum = r_sum = 0.0
    for article_id, spans in pred_m.items():
        p, r = _overlap_sums(spans, gold_m.get(article_id, []))
        p_sum += p
        r_sum += r
    n_pred = sum(len(s) for s in pred_m.values())
    n_gold = sum(len(s) for s in gold_m.values())
    precision, recall = _ratio(p_sum, n_pred), _ratio(r_sum, n_gold)
    f1 = 1.0 if n_pred == n_gold == 0 else _f1(precision, recall)
    return Score(precision, recall, f1, n_pred, n_gold)


def _by_span(labels: Sequence[Label], side: str) -> dict[tuple[str, int, int], Counter[str]]:
    groups: dict[tuple[str, int, int], Counter[str]] = {}
    for label in labels:
        if label.technique is None or label.technique == "?":
            raise InputError(
                f"article {label.article_id}: {side} line {label.start}-{label.end} has no "
                "technique; TC scoring needs one technique per line"
            )
        key = (label.article_id, label.start, label.end)
        groups.setdefault(key, Counter())[label.technique] += 1
    return groups


def tc_score(pred: Sequence[Label], gold: Sequence[Label]) -> TCScore:
    """Micro-averaged TC precision, recall and F1 over label lines, plus per-technique scores.

    Lines are matched within each (article, start, end) group in the best order, as the
    official scorer does: a group scores the size of the multiset intersection of its
    predicted and gold techniques. Zero denominators give 0.0.
    """
    pred_g = _by_span(pred, "predicted")
    gold_g = _by_span(gold, "gold")
    correct: Counter[str] = Counter()
    for key, techniques in pred_g.items():
        correct.update(techniques & gold_g.get(key, Counter()))
    pred_n: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    for counts in pred_g.values():
        pred_n.update(counts)
    for counts in gold_g.values():
        gold_n.update(counts)
    per_technique: dict[str, Score] = {}
    for name in sorted(pred_n.keys() | gold_n.keys()):
        p_t, r_t = _ratio(correct[name], pred_n[name]), _ratio(correct[name], gold_n[name])
        per_technique[name] = Score(p_t, r_t, _f1(p_t, r_t), pred_n[name], gold_n[name])
    n_correct = correct.total()
    precision, recall = _ratio(n_correct, len(pred)), _ratio(n_correct, len(gold))
    return TCScore(precision, recall, _f1(precision, recall), len(pred), len(gold), per_technique)
