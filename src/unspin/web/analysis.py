"""Analyse a pasted text or an uploaded file, and store it with its result.

The Analyse page and ``POST /api/analyze`` both come here, so that a result has a permanent
address (``/articles/{id}``) the moment it is shown. A text is stored once (by content hash):
analysing it again keeps the title and outlet it was first stored with.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from unspin._article import ArticleMeta, Document
from unspin._errors import InputError
from unspin.corpus import Analysed
from unspin.io.documents import read_document, read_text
from unspin.io.records import completed
from unspin.web.state import WebState


def from_text(state: WebState, text: str, source: str = "<pasted>") -> Document:
    """Pasted text, checked (empty, too large)."""
    return read_text(text, id="text", source=source, max_bytes=state.max_bytes)


def from_upload(state: WebState, filename: str, data: bytes) -> Document:
    """An uploaded text or HTML file, checked and decoded; HTML is reduced to its article.

    Error messages name the file as it was uploaded, not the temporary copy read here.
    """
    name = Path(filename.replace("\\", "/")).name or "upload.txt"
    with tempfile.TemporaryDirectory(prefix="unspin-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            document = read_document(path, state.max_bytes)
        except InputError as error:
            raise InputError(error.message.replace(str(path), name)) from None
    return replace(document, source=name)


def analyse(state: WebState, document: Document, details: ArticleMeta, *, store: bool) -> Analysed:
    """Run the model; with ``store``, keep the text and its result in the store.

    Details the person gave win over those an HTML page states about itself.
    """
    given = completed(replace(document, meta=details.or_else(document.meta)))
    return state.corpus.analyse_document(given, store=store)
