"""The data model shared by reading, the library, the store, the file formats and the web.

- ``ArticleMeta``: what is known about an article besides its text (title, outlet, ...).
- ``Document``: a text to analyse or store, with its id, where it came from and its metadata.
- ``Failure``: an input that could not be used: where (source, line) and why.
- ``Span``, ``ModelInfo``, ``Article``: what a model found in a text.
- ``Piece``, ``Attribution``: who (source) says (cue) what (content), and each span's voice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal

Kind = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organisation", "anonymous", "document", "unknown"]
Voice = Literal["author", "quoted"]


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What is known about an article besides its text; ``None`` means unknown.

    ``extra`` keeps every other field of the input (a JSONL field, a CSV column) unchanged.
    """

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def or_else(self, other: ArticleMeta) -> ArticleMeta:
        """These values, with ``other``'s where these are unknown (``extra`` merged, ours win)."""
        values = {
            f.name: getattr(self, f.name) or getattr(other, f.name)
            for f in fields(self)
            if f.name != "extra"
        }
        return ArticleMeta(**values, extra={**other.extra, **self.extra})

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: known values only, the date as ``YYYY-MM-DD``, ``extra`` if any."""
        data: dict[str, Any] = {
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
        }
        data = {key: value for key, value in data.items() if value is not None}
        if self.extra:
            data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleMeta:
        published = data.get("published")
        return cls(
            title=data.get("title"),
            outlet=data.get("outlet"),
            url=data.get("url"),
            published=date.fromisoformat(published) if published else None,
            language=data.get("language"),
            extra=dict(data.get("extra") or {}),
        )


@dataclass(frozen=True, slots=True)
class Document:
    """A text ready to analyse or store.

    ``id`` is the article's own id (a file name, a feed's id column) or ``None``; ``source`` is
    where it was read (a path as given, ``file:line`` of a feed, ``<stdin>``); ``meta`` is what
    the input says about the article (an HTML page's title, a feed's columns); ``warnings``
    are things a reader should know about how it was read (little text kept from a page).
    """

    id: str | None
    text: str
    source: str | None = None
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be used: ``source`` (a path, or ``<stdin>``), the ``line`` of a
    record in a feed, and the ``reason``; ``message`` is the one line that says all three."""

    source: str
    reason: str
    line: int | None = None

    @property
    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"

    @property
    def message(self) -> str:
        return f"{self.where}: {self.reason}"

    @classmethod
    def from_message(cls, source: str, message: str, line: int | None = None) -> Failure:
        """From an error message that may already start with ``source:`` (or ``source:line:``)."""
        where = source if line is None else f"{source}:{line}"
        reason = message.removeprefix(f"{where}: ") if message.startswith(where) else message
        return cls(source, reason, line)


CONFIDENCE_DIGITS = 4
"""Decimals of a span's confidence: the model's fifth decimal is noise (GPU batches move it)."""


@dataclass(frozen=True, slots=True)
class Piece:
    """Characters ``[start, end)`` of an article (code points), and their text."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Piece:
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Piece | None:
        if data is None:
            return None
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution: ``content`` is the extent of what is attributed (a quotation
    interrupted by its cue is one content, ``"...," he said, "..."``); ``source`` (who) and
    ``cue`` (``said``, ``according to``) may be absent. ``speaker`` names the source where it
    can (``he`` -> ``Ann Price``); ``speaker_kind`` is person, organisation, anonymous
    (``officials said``), document or unknown; ``kind`` is direct (a quotation), mixed (holds
    one) or indirect."""

    source: Piece | None
    cue: Piece | None
    content: Piece
    speaker: str | None
    speaker_kind: SpeakerKind
    kind: Kind
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """One item of ``"attributions"`` in ``analyze --format json``."""
        return {
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict(),
            "speaker": self.speaker,
            "speaker_kind": self.speaker_kind,
            "kind": self.kind,
            "confidence": round(self.confidence, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        content = Piece.from_dict(data["content"])
        assert content is not None
        return cls(
            source=Piece.from_dict(data.get("source")),
            cue=Piece.from_dict(data.get("cue")),
            content=content,
            speaker=data.get("speaker"),
            speaker_kind=data.get("speaker_kind", "unknown"),
            kind=data.get("kind", "indirect"),
            confidence=float(data.get("confidence", 0.0)),
        )


@dataclass(frozen=True, slots=True)
class Span:
    """One technique found in a text.

    ``start`` and ``end`` are Unicode code point offsets into the article text (``end`` is
    exclusive), so ``article.text[span.start:span.end]`` is the span's text. ``confidence`` is the
    model's probability, between 0 and 1, that this stretch of text uses this technique.
    ``voice`` is ``author`` or ``quoted`` (``None``: not known, because attributions were not
    found for this result), and ``attribution`` the index of the attribution it is quoted in.
    """

    start: int
    end: int
    technique: str
    confidence: float
    voice: Voice | None = None
    attribution: int | None = None
    in_title: bool = False
    """The span lies in the article's headline (its first line, when that is its title)."""

    def __post_init__(self) -> None:
        # Confidences are kept to the 4 decimals that every output, the store and the JSON
        # form carry, so that a span equals what is read back from any of them.
        object.__setattr__(self, "confidence", round(float(self.confidence), CONFIDENCE_DIGITS))

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "technique": self.technique,
            "confidence": self.confidence,
            "voice": self.voice,
            "attribution": self.attribution,
            "in_title": self.in_title,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            technique=str(data["technique"]),
            confidence=float(data["confidence"]),
            voice=data.get("voice"),
            attribution=data.get("attribution"),
            in_title=bool(data.get("in_title", False)),
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
    store_id: int | None = None
    """The article's id in a results database, when it comes from one."""
    attributions: tuple[Attribution, ...] | None = None
    """Who says what in the text; ``None`` when attributions were not looked for."""

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
            "attributions": (
                None if self.attributions is None else [a.to_dict() for a in self.attributions]
            ),
        }
        if self.source is not None:
            data["source"] = self.source
        if self.metadata:
            data["metadata"] = self.metadata
        if self.store_id is not None:
            data["store_id"] = self.store_id
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
            store_id=data.get("store_id"),
            attributions=(
                None
                if data.get("attributions") is None
                else tuple(Attribution.from_dict(a) for a in data["attributions"])
            ),
        )


def voice_of(
    span_start: int, span_end: int, attributions: tuple[Attribution, ...] | list[Attribution]
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


def with_voices(article: Article, attributions: tuple[Attribution, ...]) -> Article:
    """The article with its attributions and every span's voice."""
    spans = []
    for span in article.spans:
        voice, index = voice_of(span.start, span.end, attributions)
        spans.append(replace(span, voice=voice, attribution=index))
    return replace(article, spans=tuple(spans), attributions=attributions)


def headline_end(text: str, title: str | None) -> int | None:
    """Where the headline ends in ``text``: the end of its first line when that line is the
    title (``None`` when the title is unknown or the text does not start with it)."""
    if not title:
        return None
    start = len(text) - len(text.lstrip())
    if not text.startswith(title, start):
        return None
    return start + len(title)


def with_headline_marks(article: Article, title: str | None) -> Article:
    """The article with ``in_title`` set on the spans that lie in its headline."""
    end = headline_end(article.text, title)
    if end is None:
        return article
    spans = tuple(replace(s, in_title=s.end <= end) for s in article.spans)
    return replace(article, spans=spans)
