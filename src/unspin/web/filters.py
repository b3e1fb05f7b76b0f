"""The corpus filter as query parameters, shared by the pages, the CSV downloads and the API.

Parameters are read as strings because an HTML form sends its empty fields too (``since=``);
an empty field means "no filter", and a value that cannot be used is an ``InputError`` (400)
that names the parameter and the expected form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query

from unspin._article import ModelInfo
from unspin._errors import InputError
from unspin.corpus.store.queries import CorpusFilter
from unspin.techniques import TECHNIQUE_NAMES


@dataclass(frozen=True, slots=True)
class Filters:
    """A corpus filter without its model (the app decides that)."""

    outlets: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    technique: str | None = None
    text: str | None = None
    min_confidence: float = 0.0

    def corpus(self, model: ModelInfo) -> CorpusFilter:
        return CorpusFilter(
            model=model,
            outlets=self.outlets,
            since=self.since,
            until=self.until,
            technique=self.technique,
            text=self.text,
            min_confidence=self.min_confidence,
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The filter as query parameters again (only those set)."""
        pairs = [("outlet", outlet) for outlet in self.outlets]
        if self.since:
            pairs.append(("since", self.since.isoformat()))
        if self.until:
            pairs.append(("until", self.until.isoformat()))
        if self.technique:
            pairs.append(("technique", self.technique))
        if self.text:
            pairs.append(("q", self.text))
        if self.min_confidence:
            pairs.append(("min_confidence", f"{self.min_confidence:g}"))
        return pairs

    def query(self, **extra: str | int) -> str:
        """``?outlet=...&since=...`` (with ``extra`` parameters), or ``""`` with none."""
        pairs = self.pairs() + [(key, str(value)) for key, value in extra.items()]
        return "?" + urlencode(pairs) if pairs else ""


def parse_date(value: str | None, name: str) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{name}={value!r} is not a date; use YYYY-MM-DD") from None


def parse_confidence(value: str | None, name: str = "min_confidence") -> float:
    if not value or not value.strip():
        return 0.0
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise InputError(f"{name}={value!r} must be a number from 0 to 1")
    return number


def parse_technique(value: str | None) -> str | None:
    if not value:
        return None
    if value not in TECHNIQUE_NAMES:
        raise InputError(
            f"technique={value!r} is not a technique name; see /api/techniques or "
            "`unspin techniques`"
        )
    return value


def filters(
    outlet: Annotated[
        list[str] | None, Query(description="Only this outlet; repeat for several.")
    ] = None,
    since: Annotated[str | None, Query(description="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Published on or before YYYY-MM-DD.")] = None,
    technique: Annotated[
        str | None, Query(description="Only articles and spans of this technique.")
    ] = None,
    q: Annotated[str | None, Query(description="Text search in titles and texts.")] = None,
    min_confidence: Annotated[
        str | None, Query(description="Only spans at least this confident (0 to 1).")
    ] = None,
) -> Filters:
    """The FastAPI dependency that reads a ``Filters`` from the query string."""
    start, end = parse_date(since, "since"), parse_date(until, "until")
    if start and end and start > end:
        raise InputError(f"since={start} is after until={end}; swap them")
    return Filters(
        outlets=tuple(o for o in (outlet or []) if o.strip()),
        since=start,
        until=end,
        technique=parse_technique(technique),
        text=(q or "").strip() or None,
        min_confidence=parse_confidence(min_confidence),
    )
