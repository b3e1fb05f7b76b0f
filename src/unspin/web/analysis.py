"""Analyse a pasted text or an uploaded file, and store it with its result.

The Analyse page and ``POST /api/analyze`` both come here, so that a result has a permanent
address (``/articles/{id}``) the moment it is shown. A text is stored once (by content hash):
analysing it again keeps the title and outlet it was first stored with.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from unspin._article import Article
from unspin._errors import InputError, StoreError
from unspin.corpus.store import NewArticle, Store, content_hash
from unspin.corpus.store.queries import get_article
from unspin.corpus.store.schema import ArticleRow
from unspin.io.documents import Document, read_document, read_text
from unspin.io.records import from_document
from unspin.web.state import WebState


@dataclass(frozen=True, slots=True)
class Details:
    """What the person says about the article; empty fields are unknown."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Analysed:
    article: Article
    store_id: int | None


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


def analyse(state: WebState, document: Document, details: Details, *, store: bool) -> Analysed:
    """Run the model; with ``store``, keep the text and its result in the store.

    Details the person gave win over those an HTML page states about itself.
    """
    article = state.analyze(document.text, id=document.id, source=document.source)
    found = from_document(document)
    meta = replace(
        found,
        title=details.title or found.title,
        outlet=details.outlet or found.outlet,
        url=details.url or found.url,
        published=details.published or found.published,
    )
    if not store:
        return Analysed(replace(article, metadata=_metadata(meta)), None)
    state.store.add_articles([meta])
    store_id = stored_id(state.store, document.text)
    state.store.save_results(article.model, [(store_id, article)])
    stored = get_article(state.store, store_id, article.model)
    if stored is None or stored.article is None:
        raise StoreError(f"{state.store.name}: the result was not stored; try again")
    return Analysed(replace(stored.article, metadata=stored.metadata()), store_id)


def stored_id(store: Store, text: str) -> int:
    """The id this exact text is stored under."""
    with store.session() as session:
        found = session.scalar(
            select(ArticleRow.id).where(ArticleRow.content_hash == content_hash(text))
        )
    if found is None:
        raise StoreError(f"{store.name}: the article was not stored; try again")
    return int(found)


def _metadata(item: NewArticle) -> dict[str, str]:
    data = {
        "title": item.title,
        "outlet": item.outlet,
        "url": item.url,
        "published": item.published.isoformat() if item.published else None,
        "language": item.language,
    }
    return {key: value for key, value in data.items() if value}
