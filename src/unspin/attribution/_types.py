"""The attribution stage's data model: who (source) says (cue) what (content)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organisation", "anonymous", "document", "unknown"]
Voice = Literal["author", "quoted"]
QUOTE_MARKS = '"“”„«»'


@dataclass(frozen=True, slots=True)
class Piece:
    """Characters ``[start, end)`` of the article (code points), and their text."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Piece:
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution. ``content`` is the extent of what is attributed (a quotation
    interrupted by its cue is one content, ``"...," he said, "..."``); ``source`` and ``cue``
    may be absent. ``speaker`` names the source where it can (``he`` -> ``Donald Trump``)."""

    source: Piece | None
    cue: Piece | None
    content: Piece
    speaker: str | None
    speaker_kind: SpeakerKind
    kind: Kind
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of ``analyze``'s output (one item of ``"attributions"``)."""
        return {
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict(),
            "speaker": self.speaker,
            "speaker_kind": self.speaker_kind,
            "kind": self.kind,
            "confidence": round(self.confidence, 4),
        }


def kind_of(content: str) -> Kind:
    """direct: the content is a quotation; mixed: it holds one; indirect: no quotation marks."""
    body = content.strip()
    if not any(ch in QUOTE_MARKS for ch in body):
        return "indirect"
    return "direct" if body[:1] in QUOTE_MARKS else "mixed"


def voice_of(
    span_start: int, span_end: int, attributions: Sequence[Attribution]
) -> tuple[Voice, int | None]:
    """Whose voice the characters ``[span_start, span_end)`` are in: ``("quoted", i)`` when
    at least half of them lie inside attribution ``i``'s content (the one holding the most),
    else ``("author", None)``."""
    best, best_overlap = None, 0
    for i, att in enumerate(attributions):
        overlap = min(span_end, att.content.end) - max(span_start, att.content.start)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    if best is None or 2 * best_overlap < max(1, span_end - span_start):
        return "author", None
    return "quoted", best
