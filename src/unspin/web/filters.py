"""The corpus filter as query parameters, shared by the pages, the CSV downloads and the API.

Parameters are read as strings because an HTML form sends its empty fields too (``since=``);
an empty field means "no filter", and a value that cannot be used is an ``InputError`` (400)
that names the parameter and the expected form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Query, Request

from unspin._article import ModelInfo
from unspin._errors import InputError
from unspin.corpus import Corpus, CorpusFilter
from unspin.techniques import TECHNIQUE_NAMES
from unspin.web.state import WebState


def pairs(f: CorpusFilter) -> list[tuple[str, str]]:
    """The filter as query parameters again (only those set)."""
    found = [("outlet", outlet) for outlet in f.outlets]
    if f.since:
        found.append(("since", f.since.isoformat()))
    if f.until:
        found.append(("until", f.until.isoformat()))
    if f.technique:
        found.append(("technique", f.technique))
    if f.text:
        found.append(("q", f.text))
    if f.min_confidence:
        found.append(("min_confidence", f"{f.min_confidence:g}"))
    if f.voice:
        found.append(("voice", f.voice))
    if f.speaker:
        found.append(("speaker", f.speaker))
    return found


def query(f: CorpusFilter, **extra: str | int) -> str:
    """``?outlet=...&since=...`` (with ``extra`` parameters), or ``""`` with none."""
    found = pairs(f) + [(key, str(value)) for key, value in extra.items()]
    return "?" + urlencode(found) if found else ""


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
    voice: Annotated[
        str | None, Query(description="Only spans in this voice: author or quoted.")
    ] = None,
    speaker: Annotated[
        str | None, Query(description="Only spans quoted from this speaker.")
    ] = None,
) -> CorpusFilter:
    """The FastAPI dependency that reads the filter from the query string; its model is the
    corpus's choice (``Corpus.model_info``), filled in by ``resolved``."""
    start, end = parse_date(since, "since"), parse_date(until, "until")
    if start and end and start > end:
        raise InputError(f"since={start} is after until={end}; swap them")
    return CorpusFilter(
        outlets=tuple(o for o in (outlet or []) if o.strip()),
        since=start,
        until=end,
        technique=parse_technique(technique),
        text=(q or "").strip() or None,
        min_confidence=parse_confidence(min_confidence),
        voice=parse_voice(voice),
        speaker=(speaker or "").strip() or None,
    )


def parse_voice(value: str | None) -> str | None:
    if not value:
        return None
    if value not in ("author", "quoted"):
        raise InputError(f"voice={value!r}: choose author or quoted")
    return value


@dataclass(frozen=True, slots=True)
class View:
    """What one request reads, worked out once: the corpus, the models with results, and the
    filter with its model (``None`` while the store has no results)."""

    corpus: Corpus
    models: list[tuple[ModelInfo, int]]
    f: CorpusFilter

    @property
    def model(self) -> ModelInfo | None:
        return self.f.model


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.unspin
    return state


def view(request: Request, f: Annotated[CorpusFilter, Depends(filters)]) -> View:
    """The FastAPI dependency behind every corpus page, CSV download and API call."""
    corpus = state_of(request).corpus
    models = corpus.models()
    return View(corpus, models, replace(f, model=corpus.model_info(models=models)))


ViewParams = Annotated[View, Depends(view)]
