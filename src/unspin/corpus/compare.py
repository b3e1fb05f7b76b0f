"""Two outlets side by side: each technique's spans and rate per 1,000 words in each, and each
outlet's articles, words and spans in all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from unspin.corpus.store.stats import OutletRow, RateRow
from unspin.techniques import TECHNIQUE_NAMES


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One technique in both outlets: each side is that outlet's spans and words."""

    technique: str
    a: RateRow
    b: RateRow


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two outlets: a row per technique either uses, and the words of each outlet's matching
    articles (also when it has no spans)."""

    a: str
    b: str
    rows: list[CompareRow]
    words: dict[str, int]
    totals: dict[str, OutletRow] = field(default_factory=dict)
    """Each outlet's matching articles, words and spans of all techniques (when known)."""

    def total(self, outlet: str) -> OutletRow:
        return self.totals.get(outlet) or OutletRow(outlet, 0, self.words.get(outlet, 0), 0)


def compare(
    rows: Sequence[RateRow], a: str, b: str, totals: Sequence[OutletRow] = ()
) -> Comparison:
    words = {row.outlet: row.words for row in rows if row.outlet in (a, b)}
    found = {row.outlet: row for row in totals if row.outlet in (a, b)}
    return Comparison(a, b, compare_rows(rows, a, b), words, found)


def compare_rows(rows: Sequence[RateRow], a: str, b: str) -> list[CompareRow]:
    """One row per technique found in either outlet, in taxonomy order."""
    words = {row.outlet: row.words for row in rows}
    spans = {(row.outlet, row.technique): row.spans for row in rows if row.technique}
    found = {name for _, name in spans}
    names = [n for n in TECHNIQUE_NAMES if n in found] + sorted(found - set(TECHNIQUE_NAMES))
    return [
        CompareRow(
            name,
            RateRow(a, name, spans.get((a, name), 0), words.get(a, 0)),
            RateRow(b, name, spans.get((b, name), 0), words.get(b, 0)),
        )
        for name in names
    ]
