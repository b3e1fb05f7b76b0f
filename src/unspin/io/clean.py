"""The one check every input passes before it is analysed or stored, whatever the store.

Text from the wild holds things that one database accepts and another refuses: lone UTF-16
surrogates (a JSON ``"\\ud800"``, a file name that is not UTF-8) that no UTF-8 store can encode,
NUL characters that PostgreSQL refuses, control characters, a ``NaN`` that PostgreSQL's JSON
refuses, an outlet longer than its column. ``document`` repairs what can be repaired without
moving any character (span offsets index the text, so each bad code point becomes exactly one
other) and refuses, with one clear reason, what cannot: so SQLite and PostgreSQL accept
exactly the same documents, and a bad record costs only itself.

- In the **text**: a lone surrogate or a NUL becomes U+FFFD (the replacement character), any
  other control character except tab, newline, vertical tab, form feed and carriage return
  becomes a space.
- In **metadata** (id, title, outlet, URL, language, source): the same repairs, then control
  characters and runs of whitespace become one space; an empty value is no value.
- In **extra** fields: strings repaired as in the text, keys too; ``NaN`` and infinities become
  strings.
- **Lengths**: the id, outlet and language may not be longer than the store's columns
  (``LIMITS``); a longer one makes the document unusable, with a message that says which field
  and how long it is, rather than being cut silently.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

from unspin._article import ArticleMeta, Document, Failure
from unspin._errors import InputError

__all__ = [
    "LIMITS",
    "REPLACEMENT",
    "document",
    "failure",
    "metadata_value",
    "text",
    "valid_unicode",
]

REPLACEMENT = "\ufffd"

LIMITS: dict[str, int] = {"id": 500, "outlet": 200, "language": 35}
"""The longest id, outlet and language accepted, in characters: the store's column sizes
(a test checks that they agree with ``unspin.corpus.store.schema``)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_OR_NUL = re.compile("[\ud800-\udfff\x00]")
# C0 controls other than tab, newline, vertical tab, form feed, carriage return; and DEL.
_TEXT_CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f]")
# In one-line metadata every control character (C0, DEL, C1) and every run of whitespace
# becomes one space.
_META_SPACE = re.compile("[\x00-\x1f\x7f-\x9f\\s]+")


def text(value: str) -> str:
    """``value`` with lone surrogates and NULs as U+FFFD and other control characters as
    spaces; the same length, so offsets into it still point at the same characters."""
    value = _SURROGATE_OR_NUL.sub(REPLACEMENT, value)
    return _TEXT_CONTROL.sub(" ", value)


def valid_unicode(value: str) -> str:
    """``value`` with each lone surrogate as U+FFFD and nothing else changed: the one repair
    that analysing needs (the tokenizer takes only valid Unicode); offsets stay valid."""
    return _SURROGATE.sub(REPLACEMENT, value)


def metadata_value(value: str | None) -> str | None:
    """A one-line metadata value: repaired, control characters and whitespace runs as one
    space, trimmed; ``None`` when nothing is left."""
    if value is None:
        return None
    value = _META_SPACE.sub(" ", _SURROGATE_OR_NUL.sub(REPLACEMENT, value)).strip()
    return value or None


def document(item: Document) -> Document:
    """The document with its text and metadata repaired; ``InputError`` (the reason only, no
    place: callers know where the document came from) when it cannot be stored."""
    meta = item.meta
    cleaned = ArticleMeta(
        title=metadata_value(meta.title),
        outlet=metadata_value(meta.outlet),
        url=metadata_value(meta.url),
        published=meta.published,
        language=metadata_value(meta.language),
        extra=_extra(meta.extra),
    )
    doc_id = metadata_value(item.id)
    for name, value in (("id", doc_id), ("outlet", cleaned.outlet), ("language", cleaned.language)):
        if value is not None and len(value) > LIMITS[name]:
            raise InputError(
                f"the {name} is {len(value)} characters long, over the limit of {LIMITS[name]} "
                f"({value[:40]!r}...); shorten it or map another field as the {name}"
            )
    body = text(item.text)
    source = None if item.source is None else _SURROGATE_OR_NUL.sub(REPLACEMENT, item.source)
    return replace(item, id=doc_id, text=body, source=source, meta=cleaned)


def failure(item: Failure) -> Failure:
    """The failure with its source and reason storable (lone surrogates and NULs replaced)."""
    source = _SURROGATE_OR_NUL.sub(REPLACEMENT, item.source)
    reason = _SURROGATE_OR_NUL.sub(REPLACEMENT, item.reason)
    if (source, reason) == (item.source, item.reason):
        return item
    return replace(item, source=source, reason=reason)


def _extra(value: Any) -> Any:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity; PostgreSQL refuses them
    if isinstance(value, dict):
        return {text(str(key)): _extra(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_extra(item) for item in value]
    return value
