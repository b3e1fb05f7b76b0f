"""Reading corpora for the store: text/HTML files and folders, JSON Lines, and CSV.

JSONL and CSV files must be UTF-8 and are read record by record, so a feed of any size never
sits in memory. Records are mapped to article fields by name (``Columns``); every other field
or column is kept, unchanged, as the article's ``extra`` metadata. A record or file that
cannot be used becomes a ``Failure`` (file, line, reason), and reading goes on. Every input
leaves as a ``Document`` whose ``meta`` is complete: the defaults fill what the input does not
say, and the first line of the text is the title when there is none.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from unspin._article import ArticleMeta, Document, Failure
from unspin._errors import InputError
from unspin.io.documents import iter_documents, parse_date

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv", ".tsv")
# What `analyze --format json` and `unspin export` write besides text and metadata.
_RESULT_FIELDS = frozenset({"spans", "model", "store_id", "status", "error", "content_hash"})


@dataclass(frozen=True, slots=True)
class Columns:
    """Which JSONL field or CSV column holds each article field."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    outlet: str = "outlet"
    url: str = "url"
    published: str = "published"
    language: str = "language"


@dataclass(frozen=True, slots=True)
class Defaults:
    """Values for articles whose input does not say (``--outlet``, ``--language``)."""

    outlet: str | None = None
    language: str | None = None


def read_inputs(
    paths: Sequence[str],
    *,
    max_bytes: int,
    columns: Columns | None = None,
    defaults: Defaults | None = None,
) -> Iterator[Document | Failure]:
    """Articles from every path, in order: ``.jsonl``/``.ndjson`` and ``.csv``/``.tsv`` files
    by record, anything else (files, folders, ``-``) as text or HTML documents."""
    columns = columns or Columns()
    defaults = defaults or Defaults()
    for given in paths:
        suffix = Path(given).suffix.lower()
        if suffix in JSONL_SUFFIXES and not Path(given).is_dir():
            yield from _records(given, "jsonl", columns, defaults, max_bytes)
        elif suffix in CSV_SUFFIXES and not Path(given).is_dir():
            yield from _records(given, "csv", columns, defaults, max_bytes)
        else:
            for item in iter_documents([given], max_bytes):
                if isinstance(item, Failure):
                    yield item
                    continue
                yield completed(item, defaults)


def completed(item: Document, defaults: Defaults | None = None) -> Document:
    """The document with the defaults where its input says nothing, and its first line as
    the title when it has none."""
    defaults = defaults or Defaults()
    fallback = ArticleMeta(
        title=_first_line(item.text), outlet=defaults.outlet, language=defaults.language
    )
    return replace(item, meta=item.meta.or_else(fallback))


def _records(
    given: str, kind: str, columns: Columns, defaults: Defaults, max_bytes: int
) -> Iterator[Document | Failure]:
    try:
        handle = _open_binary(given)
    except InputError as error:
        yield Failure.from_message(given, error.message)
        return
    with handle:
        # Streamed record by record: a feed of millions of articles never sits in memory.
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        rows = _jsonl_rows(text, given) if kind == "jsonl" else _csv_rows(text, given)
        try:
            for line, row in rows:
                if isinstance(row, str):
                    yield Failure(given, row, line)
                    continue
                try:
                    yield record_document(row, given, line, columns, defaults, max_bytes)
                except InputError as error:
                    yield Failure.from_message(given, error.message, line)
        except UnicodeDecodeError:
            yield Failure(
                given,
                "is not UTF-8 (reading stopped there; the records before it were "
                f"read); convert it with: iconv -f ENCODING -t UTF-8 {given}",
            )


def _open_binary(given: str) -> BinaryIO:
    if given == "-":
        return sys.stdin.buffer
    path = Path(given)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{given}: no such file") from None
    except OSError as error:
        raise InputError(f"{given}: cannot be read ({error.strerror or error})") from None
    head = handle.peek(8192)[:8192] if hasattr(handle, "peek") else b""
    if not head:
        handle.close()
        raise InputError(f"{given}: is empty, there is no text to analyse")
    if b"\x00" in head:
        handle.close()
        raise InputError(f"{given}: looks like a binary file, not text")
    return handle


def _jsonl_rows(text: TextIO, given: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for where, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield where, f"not valid JSON ({error.msg} at column {error.colno})"
            continue
        if not isinstance(record, dict):
            yield where, "each line must be a JSON object"
            continue
        yield where, record


def _csv_rows(text: TextIO, given: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    csv.field_size_limit(sys.maxsize)
    delimiter = "\t" if given.lower().endswith(".tsv") else ","
    reader = csv.DictReader(text, delimiter=delimiter)
    try:
        for row in reader:
            where = reader.line_num
            if None in row:
                yield where, "this row has more cells than the header"
                continue
            yield where, {key: value for key, value in row.items() if value not in (None, "")}
    except csv.Error as error:
        yield reader.line_num, f"not valid CSV ({error})"


def record_document(
    record: dict[str, Any],
    source: str,
    line: int,
    columns: Columns,
    defaults: Defaults,
    max_bytes: int,
) -> Document:
    """One record of a feed as a document, or an ``InputError`` saying what is wrong with it;
    ``source`` and ``line`` say where it is."""
    where = f"{source}:{line}"
    record = dict(record)
    nested = record.pop("metadata", None)
    if isinstance(nested, dict):  # as `unspin export --format jsonl` writes it
        extra = nested.pop("extra", None)
        record = {**nested, **(extra if isinstance(extra, dict) else {}), **record}
    for name in _RESULT_FIELDS:
        record.pop(name, None)
    text = record.pop(columns.text, None)
    if not isinstance(text, str):
        raise InputError(
            f"{where}: no text in field/column {columns.text!r} (if the text is in another "
            "field, map that one as the text column)"
        )
    if not text.strip():
        raise InputError(f"{where}: the text is empty")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise InputError(
            f"{where}: the text is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit; "
            "raise the max_bytes setting (UNSPIN_MAX_BYTES) to accept it"
        )
    values: dict[str, str | None] = {}
    for item in fields(Columns):
        if item.name == "text":
            continue
        value = record.pop(getattr(columns, item.name), None)
        values[item.name] = None if value is None else str(value).strip() or None
    published = parse_date(values["published"])
    if values["published"] and published is None:
        record["published_unparsed"] = values["published"]
    meta = ArticleMeta(
        title=values["title"],
        outlet=values["outlet"],
        url=values["url"],
        published=published,
        language=values["language"],
        extra=record,
    )
    return completed(Document(values["id"], text, where, meta), defaults)


def _first_line(text: str, limit: int = 200) -> str | None:
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return None
