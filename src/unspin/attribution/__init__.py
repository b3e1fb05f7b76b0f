"""The attribution stage: who (source) says (cue) what (content) in an article.

``AttributionModel.load()`` then ``model.attribute(text) -> list[Attribution]``; each
``Attribution`` carries code point offsets into ``text`` (``Piece``), a ``speaker`` name and
kind, and whether the content is a direct quotation. ``voice_of(start, end, attributions)``
says whether a span is in the author's voice or quoted.
"""

from unspin.attribution._types import Attribution, Kind, Piece, SpeakerKind, Voice, voice_of
from unspin.attribution.model import AttributionModel

__all__ = ["Attribution", "AttributionModel", "Kind", "Piece", "SpeakerKind", "Voice", "voice_of"]
