"""``unspin-fixture-v1``: a registered stand-in model with no weights, for tests.

It marks a fixed list of words and phrases (whole words, any case) with fixed techniques and
confidences, so that tests of the store, batch runs, the web app and the CLI run without
loading an encoder, as spaCy's no-op components do. It is deterministic and reads nothing
but its input; its results mean nothing about real text.
"""

from __future__ import annotations

import re

from unspin._article import Attribution, Piece, Span

LEXICON: dict[str, tuple[str, float]] = {
    "traitors": ("Name_Calling,Labeling", 0.9),
    "traitor": ("Name_Calling,Labeling", 0.85),
    "cowards": ("Name_Calling,Labeling", 0.8),
    "disgrace": ("Loaded_Language", 0.75),
    "disaster": ("Loaded_Language", 0.7),
    "shameful": ("Loaded_Language", 0.65),
    "stop them now": ("Slogans", 0.6),
    "everyone knows": ("Bandwagon,Reductio_ad_hitlerum", 0.55),
    "our great nation": ("Flag-Waving", 0.5),
    "millions of lives": ("Exaggeration,Minimisation", 0.45),
}
_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(LEXICON, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def detect(text: str) -> tuple[Span, ...]:
    """Every lexicon entry in ``text``, sorted as an analyzer sorts its spans."""
    spans = [
        Span(m.start(), m.end(), *LEXICON[m.group(0).lower()]) for m in _PATTERN.finditer(text)
    ]
    return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.technique)))


_QUOTE = re.compile(r'"[^"\n]+"|“[^”\n]+”')
_SAID = re.compile(r",? (said|says|told reporters)(?: ((?:[A-Z][a-z]+ ?){1,3}))?")


def attribute(text: str) -> list[Attribution]:
    """Every quotation in double quotes as a direct attribution; a following ``said Name``
    gives its cue and source. A fixed rule for tests, not a model."""
    found = []
    for quote in _QUOTE.finditer(text):
        said = _SAID.match(text, quote.end())
        cue = source = None
        if said:
            cue = Piece.of(text, said.start(1), said.end(1))
            if said.group(2):
                source = Piece.of(text, said.start(2), said.start(2) + len(said.group(2).strip()))
        found.append(
            Attribution(
                source=source,
                cue=cue,
                content=Piece.of(text, quote.start(), quote.end()),
                speaker=source.text if source else None,
                speaker_kind="person" if source else "unknown",
                kind="direct",
                confidence=0.9,
            )
        )
    return found
