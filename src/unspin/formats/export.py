"""Writing stored results: JSON Lines, CSV (one row per span) and PTC labels.

JSONL lines are what ``analyze --format json`` writes for the article, plus ``metadata``
(title, outlet, URL, publication date, language, content hash, and the input's other fields)
and ``store_id``; ``unspin import`` reads such a file back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import TextIO

from unspin.corpus.store.queries import StoredArticle

CSV_COLUMNS = (
    "store_id",
    "article_id",
    "title",
    "outlet",
    "url",
    "published",
    "language",
    "model",
    "model_version",
    "technique",
    "start",
    "end",
    "confidence",
    "text",
)


def write_jsonl(items: Iterable[StoredArticle], out: TextIO) -> int:
    written = 0
    for item in items:
        if item.article is None:
            continue
        data = item.article.to_dict()
        data["store_id"] = item.id
        data["metadata"] = item.metadata()
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        written += 1
    return written


def write_csv(items: Iterable[StoredArticle], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    for item in items:
        article = item.article
        if article is None:
            continue
        written += 1
        for span in article.spans:
            writer.writerow(
                (
                    item.id,
                    article.id,
                    item.title or "",
                    item.outlet or "",
                    item.url or "",
                    item.published.isoformat() if item.published else "",
                    item.language or "",
                    article.model.name,
                    article.model.version,
                    span.technique,
                    span.start,
                    span.end,
                    f"{span.confidence:.4f}",
                    article.span_text(span),
                )
            )
    return written


def write_ptc(items: Iterable[StoredArticle], out: TextIO) -> int:
    """SemEval-2020 Task 11 technique labels: ``id<TAB>technique<TAB>start<TAB>end``."""
    from unspin.formats import ptc_labels

    written = 0
    for item in items:
        if item.article is not None:
            ptc_labels.write([item.article], out)
            written += 1
    return written


EXPORTERS: dict[str, Callable[[Iterable[StoredArticle], TextIO], int]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "ptc": write_ptc,
}
