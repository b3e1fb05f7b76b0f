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
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from unspin._article import ArticleMeta, Document, Failure
from unspin._errors import InputError
from unspin.io import clean
from unspin.io.documents import iter_documents, parse_date
from unspin.io.fetch import domain, is_url, read_url_list
from unspin.io.language import ENGLISH, detect

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv", ".tsv")
URL_LIST_SUFFIXES = (".urls",)
# What `analyze --format json` and `unspin export` write besides text and metadata.
_RESULT_FIELDS = frozenset({"spans", "model", "store_id", "status", "error", "attributions"})
# What export adds to ``metadata`` that the store works out again (not the input's own fields).
_DERIVED_METADATA = ("content_hash", "score")


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
    """Values for articles whose input does not say (``--outlet``, ``--language``), and
    whether text that is not in English is read too (``any_language``; by default it is
    skipped, with its language as the reason, since the model reads English)."""

    outlet: str | None = None
    language: str | None = None
    any_language: bool = False


class UrlList(str):
    """A path to read as a list of URLs, one a line, whatever its suffix (``--urls FILE``);
    files ending in ``.urls`` are read so anyway."""

    __slots__ = ()


def read_inputs(
    paths: Sequence[str],
    *,
    max_bytes: int,
    columns: Columns | None = None,
    defaults: Defaults | None = None,
) -> Iterator[Document | Failure]:
    """Articles from every path, in order: ``.jsonl``/``.ndjson`` and ``.csv``/``.tsv`` files
    by record, ``.urls`` files (and ``UrlList`` paths) as lists of web pages to fetch, anything
    else (files, folders, ``-``, URLs) as text or HTML documents.

    Every document is checked and repaired by ``unspin.io.clean``; one that is not in English
    is a ``Failure`` unless ``defaults.any_language``."""
    columns = columns or Columns()
    defaults = defaults or Defaults()
    for given in paths:
        suffix = Path(given).suffix.lower()
        is_file = not is_url(given) and not Path(given).is_dir()
        if suffix in JSONL_SUFFIXES and is_file:
            yield from _records(given, "jsonl", columns, defaults, max_bytes)
        elif suffix in CSV_SUFFIXES and is_file:
            yield from _records(given, "csv", columns, defaults, max_bytes)
        elif isinstance(given, UrlList) or (suffix in URL_LIST_SUFFIXES and is_file):
            for url in read_url_list(given):
                if isinstance(url, Failure):
                    yield url
                else:
                    yield from _documents(url, defaults, max_bytes)
        else:
            yield from _documents(given, defaults, max_bytes)


def _documents(given: str, defaults: Defaults, max_bytes: int) -> Iterator[Document | Failure]:
    for item in iter_documents([given], max_bytes):
        if isinstance(item, Failure):
            yield item
            continue
        source = item.source or given
        try:
            yield _in_language(completed(item, defaults), defaults)
        except InputError as error:
            yield Failure.from_message(source, error.message)


def completed(item: Document, defaults: Defaults | None = None) -> Document:
    """The document checked and repaired (``unspin.io.clean``; ``InputError`` when it cannot
    be stored or has no text left), with the defaults where its input says nothing: the
    outlet given, else the URL's domain; the language given, else the one detected; the
    first line as the title."""
    defaults = defaults or Defaults()
    item = clean.document(item)
    if not item.text.strip():
        raise InputError("the text is empty (it holds only control characters)")
    language = item.meta.language or defaults.language
    if language is None:
        detected = detect(item.text)
        language = detected.code if detected else None
    fallback = ArticleMeta(
        title=_first_line(item.text),
        outlet=defaults.outlet or domain(item.meta.url),
        language=language,
    )
    return clean.document(replace(item, meta=item.meta.or_else(fallback)))


def _in_language(item: Document, defaults: Defaults) -> Document:
    """The document, or ``InputError`` when it is clearly not in English (and should be)."""
    if defaults.any_language:
        return item
    detected = detect(item.text)
    if detected is None or detected.code == ENGLISH:
        return item
    raise InputError(
        f"the text is in {detected.name}, not English (detected with probability "
        f"{detected.probability:.2f}); the model reads English, so it was skipped"
    )


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
        rows = _jsonl_rows(text, given) if kind == "jsonl" else _csv_rows(text, given, max_bytes)
        try:
            for line, row in rows:
                if isinstance(row, str):
                    yield Failure(given, row, line)
                    continue
                try:
                    document = record_document(row, given, line, columns, defaults, max_bytes)
                    yield _in_language(document, defaults)
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
    # UTF-16 text or a binary file is full of NULs; a text feed may hold a stray one, which
    # costs only its record (``unspin.io.clean``).
    controls = sum(byte < 32 and byte not in b"\t\n\r\f" for byte in head)
    if b"\x00" in head and (head.count(b"\x00") * 10 > len(head) or controls * 20 > len(head)):
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
        except (ValueError, RecursionError) as error:  # a 5,000-digit number, deep nesting
            reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
            yield where, f"not usable JSON ({reason})"
            continue
        if not isinstance(record, dict):
            yield where, "each line must be a JSON object"
            continue
        yield where, record


def _csv_rows(
    text: TextIO, given: str, max_bytes: int
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Rows by the line they start on. A quoted field that is not closed where it should be
    (the file ends inside it, or its closing quote is followed by more text) makes its row a
    failure at the line where the field opened, and reading starts again on the next line,
    so the rows after it are read as rows and not as fragments of one huge field."""
    csv.field_size_limit(sys.maxsize)
    delimiter = "\t" if given.lower().endswith(".tsv") else ","
    lines = _Lines(text, limit=2 * max_bytes + 65536)
    header: list[str] | None = None
    reader = None
    while True:
        start = lines.number + 1
        lines.begin()
        if reader is None:
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            row = next(reader, None)
        except (csv.Error, _RecordTooLong) as error:
            reader = None  # its state is broken: a new one reads on from the next line
            replay = lines.taken[1:]
            lines.again(replay, start)
            if isinstance(error, _RecordTooLong):
                yield (
                    start,
                    (
                        "this row runs on for more than the size limit: a quoted field opened "
                        "here is probably not closed (reading went on at the next line)"
                    ),
                )
            elif replay or "end of data" in str(error):
                yield (
                    start,
                    (
                        "a quoted field opened on this line is not closed properly ("
                        f"{error}); check its quotes (reading went on at the next line)"
                    ),
                )
            else:
                yield start, f"not valid CSV ({error})"
            continue
        if row is None:
            return
        if header is None:
            header = row or None
            continue
        if not any(cell for cell in row):
            continue  # a blank line
        if len(row) > len(header):
            yield start, "this row has more cells than the header"
            continue
        yield start, {key: value for key, value in zip(header, row, strict=False) if value != ""}


class _RecordTooLong(Exception):
    pass


class _Lines:
    """The lines of a text stream, numbered, with the lines of the current record kept so
    that they can be read again after a broken record."""

    def __init__(self, stream: TextIO, limit: int) -> None:
        self._stream = stream
        self._pending: deque[str] = deque()
        self._limit = limit
        self.number = 0
        self.taken: list[str] = []
        self._size = 0

    def begin(self) -> None:
        self.taken = []
        self._size = 0

    def again(self, lines: list[str], number: int) -> None:
        self._pending.extendleft(reversed(lines))
        self.number = number

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._pending.popleft() if self._pending else next(self._stream)
        self.number += 1
        self.taken.append(line)
        self._size += len(line)
        if self._size > self._limit:
            raise _RecordTooLong
        return line


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
        for name in _DERIVED_METADATA:
            nested.pop(name, None)
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
    return completed(Document(values["id"], with_headline(text, meta.title), where, meta), defaults)


def with_headline(text: str, title: str | None) -> str:
    """The headline is analysed as part of the article (outlets persuade most there): a
    title the text does not start with goes before it, a blank line between."""
    if not title or text.lstrip().startswith(title) or not clean.text(text).strip():
        return text  # a body with no text stays refused as empty, title or not
    return f"{title}\n\n{text}"


def _first_line(text: str, limit: int = 200) -> str | None:
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return None
