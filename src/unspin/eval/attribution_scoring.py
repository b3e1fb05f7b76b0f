"""Scoring attributions against PolNeAR gold, with the corpus README's rules.

- Role spans (source, cue, content): the distinct extents per article and role on each side;
  exact match (same start and end) and overlap match, precision/recall/F1.
- Attribution links: a predicted attribution is right when its content overlaps a gold one's
  and its source overlaps that one's source (or both have none); one to one, larger content
  overlap first.
- Voice: over non-whitespace characters, "inside some attribution's content".

Precision with nothing predicted is 0, as in the reference scorer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from unspin.eval.polnear import ROLES

Extent = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Triple:
    """An attribution as the scorer sees it: each role's extent."""

    source: Extent | None
    cue: Extent | None
    content: Extent

    def role(self, name: str) -> Extent | None:
        value: Extent | None = getattr(self, name)
        return value


def _overlap(a: Extent | None, b: Extent | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _voice(text: str, extents: Iterable[Extent]) -> set[int]:
    inside = bytearray(len(text))
    for s, e in extents:
        inside[s:e] = b"\1" * (e - s)
    return {i for i, ch in enumerate(text) if inside[i] and not ch.isspace()}


def link_matches(pred: Sequence[Triple], gold: Sequence[Triple]) -> int:
    pairs = sorted(
        (-_overlap(p.content, g.content), i, j)
        for i, p in enumerate(pred)
        for j, g in enumerate(gold)
        if _overlap(p.content, g.content)
        and (_overlap(p.source, g.source) or (p.source is None and g.source is None))
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


class AttributionScorer:
    """Accumulates counts article by article; ``result()`` gives the scores."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.n_articles = 0

    def add(self, text: str, pred: Sequence[Triple], gold: Sequence[Triple]) -> None:
        c = self.counts
        self.n_articles += 1
        for r in ROLES:
            g = {e for a in gold if (e := a.role(r)) is not None}
            p = {e for a in pred if (e := a.role(r)) is not None}
            c[r, "gold"] += len(g)
            c[r, "pred"] += len(p)
            c[r, "exact"] += len(g & p)
            c[r, "pred_hit"] += sum(1 for x in p if any(_overlap(x, y) for y in g))
            c[r, "gold_hit"] += sum(1 for y in g if any(_overlap(x, y) for x in p))
        c["attribution", "gold"] += len(gold)
        c["attribution", "pred"] += len(pred)
        c["attribution", "tp"] += link_matches(pred, gold)
        gv = _voice(text, (a.content for a in gold))
        pv = _voice(text, (a.content for a in pred))
        c["voice", "gold"] += len(gv)
        c["voice", "pred"] += len(pv)
        c["voice", "tp"] += len(gv & pv)

    def result(self) -> dict[str, Any]:
        c = self.counts
        out: dict[str, Any] = {"n_articles": self.n_articles}
        for r in ROLES:
            n_p, n_g = c[r, "pred"], c[r, "gold"]
            out[r] = {
                "exact": _prf(c[r, "exact"], n_p, c[r, "exact"], n_g),
                "overlap": _prf(c[r, "pred_hit"], n_p, c[r, "gold_hit"], n_g),
            }
        for key in ("attribution", "voice"):
            tp, n_p, n_g = c[key, "tp"], c[key, "pred"], c[key, "gold"]
            out[key] = _prf(tp, n_p, tp, n_g)
        return out


def _prf(hit_p: int, n_p: int, hit_g: int, n_g: int) -> dict[str, float | int]:
    p = hit_p / n_p if n_p else 0.0
    r = hit_g / n_g if n_g else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "n_pred": n_p, "n_gold": n_g}


def summary(result: dict[str, Any]) -> str:
    return (
        f"voice F1 {result['voice']['f1']:.3f}; source exact F1 "
        f"{result['source']['exact']['f1']:.3f}; cue exact F1 {result['cue']['exact']['f1']:.3f}; "
        f"content exact F1 {result['content']['exact']['f1']:.3f} overlap F1 "
        f"{result['content']['overlap']['f1']:.3f}; attribution F1 "
        f"{result['attribution']['f1']:.3f}"
    )


def triples_of_gold(attributions: Iterable[Any]) -> list[Triple]:
    """Gold ``GoldAttribution``s as the scorer sees them (each role by its extent)."""
    out = []
    for att in attributions:
        content = att.extent("content")
        if content is not None:
            out.append(Triple(att.extent("source"), att.extent("cue"), content))
    return out
