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
    ``starting`` lists the spans that begin at ``start``, in article order.
    """

    start: int
    end: int
    covering: tuple[int, ...]
    starting: tuple[int, ...]


def segments(article: Article) -> list[Segment]:
    """Cut the article text at every span boundary; spans outside the text are clipped."""
    length = len(article.text)
    clipped = [
        (i, max(0, span.start), min(length, span.end)) for i, span in enumerate(article.spans)
    ]
    clipped = [(i, start, end) for i, start, end in clipped if start < end]
    cuts = sorted({0, length, *(s for _, s, _ in clipped), *(e for _, _, e in clipped)})
    pieces: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = [i for i, s, e in clipped if s <= start < e]
        covering.sort(key=lambda i: (-article.spans[i].confidence, i))
        starting = tuple(i for i, s, _ in clipped if s == start)
        pieces.append(Segment(start, end, tuple(covering), starting))
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
