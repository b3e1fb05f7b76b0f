"""The one CSV writer: every CSV that unspin writes (``analyze``/``export --format csv``, the
web app's downloads) goes through it, so that text from articles can never run as a
spreadsheet formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets (CSV injection); such text cells get a leading apostrophe,
the usual defence, and stay text. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from unspin._article import Article
from unspin.formats.segments import speaker_of

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell: Any) -> Any:
    """The cell as written: text that a spreadsheet would run as a formula is made inert."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class SafeWriter:
    """``csv.writer`` with every text cell passed through ``safe_cell``."""

    def __init__(self, out: TextIO, *, lineterminator: str = "\n", delimiter: str = ",") -> None:
        self._writer = csv.writer(out, lineterminator=lineterminator, delimiter=delimiter)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_cell(cell) for cell in row)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as one CSV text with CRLF line ends (what browsers and spreadsheets expect)."""
    buffer = io.StringIO()
    SafeWriter(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


COLUMNS = (
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
    "article_per_1000",
    "article_percentile",
    "voice",
    "speaker",
    "in_title",
)
"""``article_per_1000`` and ``article_percentile`` are the article's score
(``Corpus.article_score``: its spans per 1,000 words and their percentile in the corpus),
filled in by ``export`` and empty outside a database; ``voice`` and ``speaker`` are the
span's voice and, for a quoted span, who says it; ``in_title`` is ``yes`` for a span in the
headline."""


def write(articles: Iterable[Article], out: TextIO) -> None:
    """One row per span, with the article's metadata; an article with no spans has no row.

    Rows end in CRLF (RFC 4180), which also makes the writer quote a cell holding a lone CR.
    """
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for article in articles:
        meta = article.metadata
        found = meta.get("score")
        score: dict[str, Any] = found if isinstance(found, dict) else {}
        for span in article.spans:
            writer.writerow(
                (
                    "" if article.store_id is None else article.store_id,
                    article.id,
                    meta.get("title") or "",
                    meta.get("outlet") or "",
                    meta.get("url") or "",
                    meta.get("published") or "",
                    meta.get("language") or "",
                    article.model.name,
                    article.model.version,
                    span.technique,
                    span.start,
                    span.end,
                    f"{span.confidence:.4f}",
                    article.span_text(span),
                    score.get("per_1000", ""),
                    score.get("percentile", ""),
                    span.voice or "",
                    speaker_of(article, span),
                    "yes" if span.in_title else "",
                )
            )
        out.flush()
