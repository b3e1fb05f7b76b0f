"""The attribution stage's data model: who (source) says (cue) what (content)."""

from __future__ import annotations

from unspin._article import (
    Attribution,
    Kind,
    Piece,
    SpeakerKind,
    Voice,
    voice_of,
)

__all__ = [
    "QUOTE_MARKS",
    "Attribution",
    "Kind",
    "Piece",
    "SpeakerKind",
    "Voice",
    "kind_of",
    "voice_of",
]

QUOTE_MARKS = '"“”„«»'


def kind_of(content: str) -> Kind:
    """direct: the content is a quotation; mixed: it holds one; indirect: no quotation marks."""
    body = content.strip()
    if not any(ch in QUOTE_MARKS for ch in body):
        return "indirect"
    return "direct" if body[:1] in QUOTE_MARKS else "mixed"
