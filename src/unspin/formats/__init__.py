"""Output formats for analysed articles, by name: ``terminal``, ``json``, ``csv``, ``ptc`` and
``html``. The one registry for ``unspin analyze`` and ``unspin export`` (and ``Corpus.export``):
stored articles are written as the ``Article`` values they hold, with their metadata and store id.

Each format writes a stream of articles to a text file as they arrive, where its layout allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from unspin._article import Article
from unspin._errors import InputError
from unspin.formats import csv, html, jsonl, ptc_labels, terminal

__all__ = ["FORMATS", "Format", "Writer", "get_format"]

Writer = Callable[[Iterable[Article], TextIO], None]


@dataclass(frozen=True, slots=True)
class Format:
    """A named output format: ``help`` is the one line shown in ``--help``."""

    name: str
    help: str
    suffix: str
    write: Writer


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "terminal",
            "Highlighted text with numbered spans and a legend, for reading in a terminal.",
            ".txt",
            terminal.write,
        ),
        Format(
            "json",
            "JSON Lines: one object per article with its text, spans and model.",
            ".jsonl",
            jsonl.write,
        ),
        Format(
            "csv",
            "CSV, one row per span: the article's id and metadata, technique, offsets, "
            "confidence and text (spreadsheet formulas neutralised).",
            ".csv",
            csv.write,
        ),
        Format(
            "ptc",
            "SemEval-2020 Task 11 labels: id, technique, start, end, tab-separated.",
            ".labels",
            ptc_labels.write,
        ),
        Format(
            "html",
            "A self-contained HTML report with highlights, hover definitions and a legend.",
            ".html",
            html.write,
        ),
    )
}


ALIASES = {"jsonl": "json"}
"""Other names a format is known by (``export`` called JSON Lines ``jsonl``)."""


def get_format(name: str) -> Format:
    """The format with this name; raises ``InputError`` naming the choices otherwise."""
    try:
        return FORMATS[ALIASES.get(name, name)]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise InputError(f"unknown format {name!r}; choose one of: {choices}") from None
