"""What the terminal and HTML reports share: cutting a text where spans begin and end.

Overlapping spans are shown by segments: the text is cut at every span boundary, and each
piece knows which spans cover it (most confident first) and which spans start at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from unspin._article import Article, Span
from unspin.techniques import Technique, get_technique

_UNKNOWN_COLOR = "#999999"


@dataclass(frozen=True, slots=True)
class Segment:
    """``text[start:end]`` with the indexes (into ``article.spans``) of the spans around it.

    ``covering`` is sorted most confident first, so ``covering[0]`` gives the colour;
    ``starting`` lists the spans that begin at ``start``, in article order. ``quote`` is the
    index (into ``article.attributions``) of the quotation the piece lies in, if any, and
    ``quote_starts`` says that the quotation begins here.
    """

    start: int
    end: int
    covering: tuple[int, ...]
    starting: tuple[int, ...]
    quote: int | None = None
    quote_starts: bool = False


def segments(article: Article) -> list[Segment]:
    """Cut the article text at every span boundary; spans outside the text are clipped."""
    length = len(article.text)
    clipped = [
        (i, max(0, span.start), min(length, span.end)) for i, span in enumerate(article.spans)
    ]
    clipped = [(i, start, end) for i, start, end in clipped if start < end]
    quotes = [
        (i, max(0, a.content.start), min(length, a.content.end))
        for i, a in enumerate(article.attributions or ())
    ]
    quotes = [(i, start, end) for i, start, end in quotes if start < end]
    bounds = [*clipped, *quotes]
    cuts = sorted({0, length, *(s for _, s, _ in bounds), *(e for _, _, e in bounds)})
    pieces: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = [i for i, s, e in clipped if s <= start < e]
        covering.sort(key=lambda i: (-article.spans[i].confidence, i))
        starting = tuple(i for i, s, _ in clipped if s == start)
        inside = [(i, s) for i, s, e in quotes if s <= start < e]
        quote, first = inside[0] if inside else (None, -1)
        pieces.append(Segment(start, end, tuple(covering), starting, quote, first == start))
    return pieces


def technique(name: str) -> Technique:
    """The technique for a label, or a grey stand-in for a label this version does not know."""
    try:
        return get_technique(name)
    except KeyError:
        return Technique(name, name.replace("_", " "), "", "", _UNKNOWN_COLOR)


def percent(span: Span) -> str:
    return f"{span.confidence:.0%}"


def readable_on(background: str) -> str:
    """Black or white, whichever reads better on this ``#rrggbb`` background."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if luminance > 0.45 else "#ffffff"


def excerpt(text: str, limit: int = 60) -> str:
    """The span text on one line, shortened with an ellipsis past ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def quote_speaker(article: Article, index: int) -> str:
    """Who says quotation ``index``: the speaker, the source's text, or ``unnamed source``."""
    found = (article.attributions or ())[index]
    if found.speaker:
        return found.speaker
    return found.source.text if found.source else "unnamed source"


def speaker_of(article: Article, span: Span) -> str:
    """Who says a quoted span, as reports show it: the speaker, else the source's text, else
    ``unnamed source``; ``""`` for a span in the author's voice or of unknown voice."""
    if span.voice != "quoted" or span.attribution is None or not article.attributions:
        return ""
    return quote_speaker(article, span.attribution)


def voice_groups(article: Article) -> list[tuple[str, list[int]]]:
    """The spans' indexes grouped as reports list them: the author's voice first, then the
    quoted ones; one group ``""`` when the result has no voices (no attribution stage)."""
    if article.attributions is None:
        return [("", list(range(len(article.spans))))]
    author = [i for i, s in enumerate(article.spans) if s.voice != "quoted"]
    quoted = [i for i, s in enumerate(article.spans) if s.voice == "quoted"]
    return [(name, ids) for name, ids in (("author", author), ("quoted", quoted)) if ids]
