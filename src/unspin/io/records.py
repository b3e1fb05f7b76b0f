"""Reading corpora for the store: text/HTML files and folders, JSON Lines, and CSV.

JSONL and CSV files must be UTF-8 and are read record by record, so a feed of any size never
sits in memory. Records are mapped to article fields by name (``Columns``); every other field
or column is kept, unchanged, as the article's ``extra`` metadata. A record or file that
cannot be used becomes a ``Failure`` whose message says where it is and why, and reading
goes on.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from unspin._errors import InputError
from unspin.corpus.store.db import NewArticle
from unspin.io.documents import Document, Failure, iter_documents

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv", ".tsv")
# What `analyze --format json` and `unspin export` write besides text and metadata.
_RESULT_FIELDS = frozenset({"spans", "model"})


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
) -> Iterator[NewArticle | Failure]:
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
                yield from_document(item, defaults)


def from_document(item: Document, defaults: Defaults | None = None) -> NewArticle:
    """A read file as an article to store: what an HTML page says about itself, the defaults
    for what it does not say, and its first line as the title when it has none."""
    meta, defaults = item.metadata, defaults or Defaults()
    return NewArticle(
        text=item.text,
        external_id=item.id,
        source=item.source,
        title=meta.get("title") or _first_line(item.text),
        outlet=meta.get("outlet") or defaults.outlet,
        url=meta.get("url"),
        published=parse_date(meta.get("published")),
        language=meta.get("language") or defaults.language,
    )


def _records(
    given: str, kind: str, columns: Columns, defaults: Defaults, max_bytes: int
) -> Iterator[NewArticle | Failure]:
    try:
        handle = _open_binary(given)
    except InputError as error:
        yield Failure(given, error.message)
        return
    with handle:
        # Streamed record by record: a feed of millions of articles never sits in memory.
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        rows = _jsonl_rows(text, given) if kind == "jsonl" else _csv_rows(text, given)
        try:
            for where, row in rows:
                if isinstance(row, str):
                    yield Failure(where, f"{where}: {row}")
                    continue
                try:
                    yield _article(row, where, columns, defaults, max_bytes)
                except InputError as error:
                    yield Failure(where, error.message)
        except UnicodeDecodeError:
            yield Failure(
                given,
                f"{given}: is not UTF-8 (reading stopped there; the records before it were "
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


def _jsonl_rows(text: TextIO, given: str) -> Iterator[tuple[str, dict[str, Any] | str]]:
    for number, line in enumerate(text, start=1):
        where = f"{given}:{number}"
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


def _csv_rows(text: TextIO, given: str) -> Iterator[tuple[str, dict[str, Any] | str]]:
    csv.field_size_limit(sys.maxsize)
    delimiter = "\t" if given.lower().endswith(".tsv") else ","
    reader = csv.DictReader(text, delimiter=delimiter)
    try:
        for row in reader:
            where = f"{given}:{reader.line_num}"
            if None in row:
                yield where, "this row has more cells than the header"
                continue
            yield where, {key: value for key, value in row.items() if value not in (None, "")}
    except csv.Error as error:
        yield f"{given}:{reader.line_num}", f"not valid CSV ({error})"


def _article(
    record: dict[str, Any], where: str, columns: Columns, defaults: Defaults, max_bytes: int
) -> NewArticle:
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
            f"{where}: no text in field/column {columns.text!r} (choose another with --text-column)"
        )
    if not text.strip():
        raise InputError(f"{where}: the text is empty")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise InputError(
            f"{where}: the text is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit; "
            "raise it with --max-bytes or UNSPIN_MAX_BYTES"
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
    return NewArticle(
        text=text,
        external_id=values["id"],
        source=where,
        title=values["title"] or _first_line(text),
        outlet=values["outlet"] or defaults.outlet,
        url=values["url"],
        published=published,
        language=values["language"] or defaults.language,
        extra=record,
    )


def parse_date(value: str | None) -> date | None:
    """A publication date from ISO 8601 (date or date-time) or an e-mail/RSS style date."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def _first_line(text: str, limit: int = 200) -> str | None:
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return None
