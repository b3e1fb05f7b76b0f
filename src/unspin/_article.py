"""The data model shared by the library, the CLI, the file formats and later the store."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """One technique found in a text.

    ``start`` and ``end`` are Unicode code point offsets into the article text (``end`` is
    exclusive), so ``article.text[span.start:span.end]`` is the span's text. ``confidence`` is the
    model's probability, between 0 and 1, that this stretch of text uses this technique.
    """

    start: int
    end: int
    technique: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "technique": self.technique,
            "confidence": round(self.confidence, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            technique=str(data["technique"]),
            confidence=float(data["confidence"]),
        )


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model produced a result: a released name never changes behaviour."""

    name: str
    version: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


@dataclass(frozen=True, slots=True)
class Article:
    """An analysed article: its text, where it came from and the spans found in it.

    Spans are sorted by ``(start, end, technique)``.
    """

    id: str
    text: str
    spans: tuple[Span, ...]
    model: ModelInfo
    source: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def span_text(self, span: Span) -> str:
        """The exact text a span covers."""
        return self.text[span.start : span.end]

    def filtered(self, min_confidence: float) -> Article:
        """The same article with only the spans at least ``min_confidence`` confident."""
        kept = tuple(s for s in self.spans if s.confidence >= min_confidence)
        return replace(self, spans=kept)

    def counts(self) -> dict[str, int]:
        """How many spans each technique has, most frequent first."""
        counts: dict[str, int] = {}
        for span in self.spans:
            counts[span.technique] = counts.get(span.technique, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object that ``analyze --format json`` writes for this article."""
        data: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "model": self.model.to_dict(),
            "spans": [span.to_dict() for span in self.spans],
        }
        if self.source is not None:
            data["source"] = self.source
        if self.metadata:
            data["metadata"] = self.metadata
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=str(data["id"]),
            text=str(data["text"]),
            spans=tuple(Span.from_dict(s) for s in data["spans"]),
            model=ModelInfo(name=data["model"]["name"], version=data["model"]["version"]),
            source=data.get("source"),
            metadata=dict(data.get("metadata", {})),
        )
