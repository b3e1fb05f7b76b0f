"""An article's text cut into ``<mark>`` highlights, for the article page.

Every span is rendered, whatever its confidence, so that the page's slider can show spans again
after hiding them. A highlight takes the colour of the most confident span over it that reaches
the threshold; one with none is rendered switched off (class ``off``). The script repeats this
logic when the slider moves, and the server applies it for ``?min_confidence=``, so the page
reads the same without JavaScript. The text is untrusted: every piece goes through ``escape``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from unspin._article import Article, Span
from unspin.formats.segments import (
    Segment,
    excerpt,
    percent,
    quote_speaker,
    readable_on,
    segments,
    speaker_of,
    technique,
)

# The highlight is the technique colour at this opacity (hex alpha), so black text stays readable.
TINT = "59"


@dataclass(frozen=True, slots=True)
class SpanView:
    index: int
    span: Span
    speaker: str  # who says it, for a quoted span; "" otherwise
    title: str
    definition: str
    color: str
    text: str
    visible: bool

    @property
    def percent(self) -> str:
        return percent(self.span)


@dataclass(frozen=True, slots=True)
class LegendRow:
    technique: str
    title: str
    definition: str
    color: str
    ink: str  # black or white, whichever reads on ``color``
    count: int  # spans at or above the threshold
    total: int  # all spans


@dataclass(frozen=True, slots=True)
class QuoteView:
    """One attribution as the article page lists it."""

    index: int
    speaker: str
    speaker_kind: str
    kind: str
    cue: str
    text: str


@dataclass(frozen=True, slots=True)
class Highlighted:
    html: Markup
    spans: list[SpanView]
    legend: list[LegendRow]
    quotes: list[QuoteView] | None  # None: this result was made without attributions

    @property
    def visible(self) -> int:
        return sum(view.visible for view in self.spans)


def highlight(article: Article, min_confidence: float = 0.0) -> Highlighted:
    """The article's text as escaped HTML with highlights, its span list and its legend."""
    views = [_view(article, i, span, min_confidence) for i, span in enumerate(article.spans)]
    pieces = []
    for piece in segments(article):
        if piece.quote_starts and piece.quote is not None:
            who = escape(quote_speaker(article, piece.quote))
            pieces.append(f'<span class="who" data-who="{who}"></span>')
        text = escape(article.text[piece.start : piece.end], quote=False)
        text = _mark(piece, views, text) if piece.covering else text
        if piece.quote is not None:
            text = f'<span class="quote" data-attribution="{piece.quote}">{text}</span>'
        pieces.append(text)
    legend = []
    for name, total in article.counts().items():
        info = technique(name)
        shown = sum(v.visible for v in views if v.span.technique == name)
        legend.append(
            LegendRow(
                name, info.title, info.definition, info.color, readable_on(info.color), shown, total
            )
        )
    quotes = None
    if article.attributions is not None:
        quotes = [
            QuoteView(
                index=i,
                speaker=quote_speaker(article, i),
                speaker_kind=a.speaker_kind,
                kind=a.kind,
                cue=a.cue.text if a.cue else "",
                text=excerpt(a.content.text, 160),
            )
            for i, a in enumerate(article.attributions)
        ]
    return Highlighted(Markup("".join(pieces)), views, legend, quotes)


def explain(view: SpanView) -> str:
    """The tooltip of one span: what it is, how sure the model is, what the technique means."""
    head = f"{view.title} ({view.percent} confidence)"
    return f"{head}\n{view.definition}" if view.definition else head


def _view(article: Article, index: int, span: Span, threshold: float) -> SpanView:
    info = technique(span.technique)
    return SpanView(
        index=index,
        span=span,
        speaker=speaker_of(article, span),
        title=info.title,
        definition=info.definition,
        color=info.color,
        text=excerpt(article.span_text(span), 120),
        visible=span.confidence >= threshold,
    )


def _mark(piece: Segment, views: list[SpanView], text: str) -> str:
    shown = [views[i] for i in piece.covering if views[i].visible]
    ids = " ".join(str(i) for i in piece.covering)
    if not shown:
        return f'<mark class="hl off" tabindex="0" data-spans="{ids}">{text}</mark>'
    style = f"background:{shown[0].color}{TINT}"
    if len(shown) > 1:
        # A second technique under the first shows as an underline in its own colour.
        style += f";box-shadow:inset 0 -0.22em 0 {shown[1].color}"
    tip = "\n\n".join(explain(view) for view in shown)
    return (
        f'<mark class="hl" tabindex="0" data-spans="{ids}" '
        f'data-technique="{escape(shown[0].span.technique)}" style="{style}" '
        f'title="{escape(tip)}">{text}</mark>'
    )
