"""The Voices page: who speaks in the corpus. Per outlet, technique rates in the author's own
voice and in quotes, side by side (ranked by the author's voice unless asked otherwise), the
speakers it quotes most, and its share of anonymous sources; with a CSV of each table.

Only results made with attributions count (older ones say nothing about voices).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from unspin.corpus import SourceRow, SpeakerRow, VoiceRow
from unspin.formats.csv import to_csv
from unspin.web.charts import Bar, hbar_chart
from unspin.web.corpus_pages import common, empty
from unspin.web.filters import ViewParams
from unspin.web.render import page
from unspin.web.stats import exact, rate

router = APIRouter(include_in_schema=False)
AUTHOR_COLOR, QUOTED_COLOR = "#2b5a9b", "#b4531a"
TOP = 30  # outlets in the chart
SPEAKERS = 5  # speakers per outlet on the page


def ranked(rows: list[VoiceRow], by: str) -> list[VoiceRow]:
    if by == "quoted":
        return sorted(rows, key=lambda r: (-r.quoted_per_1000, -r.author_per_1000, r.outlet))
    if by == "articles":
        return sorted(rows, key=lambda r: (-r.articles, r.outlet))
    return rows  # the author's voice first: the store's order


def voice_csv_rows(rows: list[VoiceRow]) -> list[list[Any]]:
    head = ["outlet", "articles", "words", "author_spans", "author_per_1000"]
    out: list[list[Any]] = [[*head, "quoted_spans", "quoted_per_1000"]]
    for r in rows:
        author = [r.author, exact(r.author_per_1000)]
        out.append([r.outlet, r.articles, r.words, *author, r.quoted, exact(r.quoted_per_1000)])
    return out


def speaker_csv_rows(rows: list[SpeakerRow], shares: list[SourceRow]) -> list[list[Any]]:
    anonymous = {s.outlet: s for s in shares}
    out: list[list[Any]] = [["outlet", "speaker", "speaker_kind", "attributions", "articles"]]
    out += [[r.outlet, r.speaker, r.speaker_kind, r.attributions, r.articles] for r in rows]
    out += [
        [s.outlet, "(anonymous sources)", "anonymous", s.anonymous, ""] for s in anonymous.values()
    ]
    return out


@router.get("/voices", name="voices")
def voices(
    request: Request,
    v: ViewParams,
    rank: Annotated[str, Query(pattern="^(author|quoted|articles)$")] = "author",
) -> Response:
    context = common(v, "voices")
    if v.model is None:
        return empty(request, context, "voices")
    rows = ranked(v.corpus.voice_rates(v.f), rank)
    speakers = v.corpus.top_speakers(v.f, per_outlet=SPEAKERS)
    shares = {s.outlet: s for s in v.corpus.source_shares(v.f)}
    by_outlet: dict[str, list[SpeakerRow]] = {}
    for s in speakers:
        by_outlet.setdefault(s.outlet, []).append(s)
    chart = hbar_chart(
        [
            (
                r.outlet,
                [
                    Bar("author", r.author_per_1000, AUTHOR_COLOR, rate(r.author_per_1000),
                        f"{r.author} spans in the author's voice"),
                    Bar("quoted", r.quoted_per_1000, QUOTED_COLOR, rate(r.quoted_per_1000),
                        f"{r.quoted} spans in quotes"),
                ],
            )
            for r in rows[:TOP]
        ],
        title="Spans per 1,000 words: the author's voice and quotes",
        css="voices",
    )  # fmt: skip
    context.update(rows=rows, rank=rank, chart=chart, speakers=by_outlet, shares=shares, top=TOP)
    return page(request, "voices", context, here="voices")


@router.get("/voices.csv", name="voices_csv")
def voices_csv(v: ViewParams) -> Response:
    rows = v.corpus.voice_rates(v.f) if v.model else []
    return _csv("voices", voice_csv_rows(rows))


@router.get("/voices/speakers.csv", name="speakers_csv")
def speakers_csv(v: ViewParams) -> Response:
    if v.model is None:
        return _csv("speakers", speaker_csv_rows([], []))
    found = v.corpus.top_speakers(v.f, per_outlet=50)
    return _csv("speakers", speaker_csv_rows(found, v.corpus.source_shares(v.f)))


def _csv(name: str, rows: list[list[Any]]) -> Response:
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="unspin-{name}.csv"'},
    )
