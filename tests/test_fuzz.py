"""Property-based fuzzing of every reader and parser, with strings that hold what real inputs
hold: lone surrogates, NULs and other control characters, quotes, delimiters and line breaks
(hypothesis's default text strategy never produces surrogates, so they are built in here).

Each reader must either give a usable result or say why not (an ``InputError`` or a
``Failure``), never raise anything else; and what it gives must be storable by every store.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin import ArticleMeta, Document, Failure
from unspin._errors import InputError
from unspin.corpus.store import Store
from unspin.eval.ptc import read_labels
from unspin.io import clean
from unspin.io.documents import decode_bytes, iter_documents, page_document, parse_date
from unspin.io.fetch import domain, is_url
from unspin.io.records import Defaults, read_inputs, with_headline
from unspin.techniques import find_technique

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every kind of character, surrogates (Cs) and controls (Cc) included, plus the ones that
# matter most to the parsers, often enough to meet each other.
SPECIAL = st.sampled_from(
    ["\x00", "\ud800", "\udfff", "\udc80", "\r", "\n", '"', ",", "\t", "\x1b",
     "\x85", "\u2028", "\ufeff", "\x7f", "{", "}", "\\", " "]
)  # fmt: skip
ANY_CHAR = st.characters(codec=None, categories=["Cs", "Cc", "Cf", "L", "N", "P", "Z", "S"])
WILD = st.text(st.one_of(ANY_CHAR, SPECIAL), max_size=60)
# What a UTF-8 file can hold: everything but surrogates.
FILE_CHAR = st.one_of(st.characters(codec="utf-8"), SPECIAL.filter(lambda c: c.isascii()))
FILE_TEXT = st.text(FILE_CHAR, max_size=60)


def _storable(value: str | None) -> bool:
    if value is None:
        return True
    value.encode("utf-8")  # raises on a lone surrogate
    return "\x00" not in value


def _check_document(item: Document) -> None:
    for value in (item.id, item.text, item.source, item.meta.title, item.meta.outlet,
                  item.meta.url, item.meta.language):  # fmt: skip
        assert _storable(value)
    json.dumps(item.meta.extra, allow_nan=False).encode("utf-8")
    assert item.text.strip()
    for name, limit in clean.LIMITS.items():
        value = item.id if name == "id" else getattr(item.meta, name)
        assert value is None or len(value) <= limit


def _looks_binary(content: str) -> bool:
    head = content.encode("utf-8")[:8192]
    controls = sum(byte < 32 and byte not in b"\t\n\r\f" for byte in head)
    return b"\x00" in head and (head.count(b"\x00") * 10 > len(head) or controls * 20 > len(head))


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


# -- the one check ---------------------------------------------------------------------------


@FAST
@given(WILD)
def test_clean_text_keeps_offsets_and_is_storable(value: str) -> None:
    repaired = clean.text(value)
    assert len(repaired) == len(value)
    assert _storable(repaired)
    assert clean.text(repaired) == repaired
    for original, new in zip(value, repaired, strict=True):
        assert new == original or new in (clean.REPLACEMENT, " ")


@FAST
@given(WILD)
def test_clean_metadata_is_one_storable_line(value: str) -> None:
    repaired = clean.metadata_value(value)
    assert _storable(repaired)
    if repaired is not None:
        assert repaired == repaired.strip() and "\n" not in repaired
        assert clean.metadata_value(repaired) == repaired


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(WILD, WILD, WILD, st.text(max_size=300)), min_size=1, max_size=4))
def test_the_store_takes_whatever_the_check_lets_through(
    folder: Path, rows: list[tuple[str, str, str, str]]
) -> None:
    documents = []
    for title, outlet, extra, body in rows:
        meta = ArticleMeta(title=title, outlet=outlet * 5, language=extra, extra={extra: title})
        try:
            documents.append(clean.document(Document(title, body + title, outlet, meta)))
        except InputError:
            continue
    with Store.open(str(folder / "fuzz.db")) as store:
        result = store.add_articles(documents)
    assert len(result.ids) == len(documents)


# -- feeds -----------------------------------------------------------------------------------

RECORD = st.dictionaries(
    st.sampled_from(["text", "id", "title", "outlet", "url", "published", "language", "x"]),
    st.one_of(WILD, st.integers(), st.floats(), st.none(), st.lists(WILD, max_size=3)),
    max_size=8,
)


@FAST
@given(st.lists(st.one_of(RECORD, WILD), min_size=1, max_size=6))
def test_jsonl_gives_one_item_per_line(folder: Path, lines: list[object]) -> None:
    feed = folder / "feed.jsonl"
    written = [json.dumps(line) if isinstance(line, dict) else line for line in lines]
    # A wild line may hold line breaks or surrogates: write what a file can hold.
    body = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in written)
    feed.write_bytes(body.encode("utf-8", errors="surrogatepass"))
    items = list(read_inputs([str(feed)], max_bytes=100_000, defaults=Defaults(any_language=True)))
    for item in items:
        assert isinstance(item, Document | Failure)
        if isinstance(item, Document):
            _check_document(item)
        else:
            _storable(clean.failure(item).message)
    assert len(items) <= max(1, len(lines))


@FAST
@given(st.lists(st.lists(FILE_TEXT, min_size=3, max_size=3), min_size=1, max_size=6))
def test_csv_written_properly_is_read_back_exactly(folder: Path, rows: list[list[str]]) -> None:
    table = folder / "feed.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["text", "notes", "x"])  # no title: a title would head the text
    writer.writerows(rows)
    table.write_text(out.getvalue(), encoding="utf-8", newline="")
    items = list(read_inputs([str(table)], max_bytes=100_000, defaults=Defaults(any_language=True)))
    if _looks_binary(out.getvalue()):
        assert [item.reason for item in items] == ["looks like a binary file, not text"]
        return
    documents = [item for item in items if isinstance(item, Document)]
    for item in items:
        if isinstance(item, Failure):
            # Only a text that is empty is refused, never the CSV itself.
            assert item.reason.startswith(("no text", "the text is empty")), item.reason
    for document in documents:
        _check_document(document)
    # The title column is analysed with the text (the headline first), as records_document does.
    texts = [
        clean.text(with_headline(row[0], row[1].strip() or None))
        for row in rows
        if clean.text(row[0]).strip()
    ]
    assert [document.text for document in documents] == texts


@FAST
@given(st.text(FILE_CHAR, max_size=400))
def test_any_csv_gives_documents_or_failures(folder: Path, content: str) -> None:
    table = folder / "any.csv"
    table.write_text("text,title\n" + content, encoding="utf-8", newline="")
    lines = ("text,title\n" + content).splitlines() or [""]
    for item in read_inputs([str(table)], max_bytes=100_000, defaults=Defaults(any_language=True)):
        if isinstance(item, Document):
            _check_document(item)
        else:
            assert item.line is None or 1 <= item.line <= len(lines) + 1


# -- files and pages -------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_say_why(data: bytes) -> None:
    try:
        text = decode_bytes(data, "f.txt")
    except InputError as error:
        assert error.message.startswith("f.txt: ")
    else:
        assert isinstance(text, str)


@FAST
@given(st.binary(max_size=300))
def test_any_file_is_one_item(folder: Path, data: bytes) -> None:
    path = folder / "any.html"
    path.write_bytes(data)
    (item,) = iter_documents([str(path)], 100_000)
    assert isinstance(item, Document | Failure)


@FAST
@given(st.lists(st.one_of(WILD, st.sampled_from(["<p>", "</p>", "<html lang=", "<title>"]))))
def test_any_page_is_a_document_or_says_why(pieces: list[str]) -> None:
    page = "".join(pieces)
    try:
        document = page_document("p", "<html>" + page, "p.html", is_html=True)
    except InputError as error:
        assert error.message.startswith("p.html: ")
    else:
        assert isinstance(document.text, str)


# -- small parsers ---------------------------------------------------------------------------


@FAST
@given(st.one_of(WILD, st.dates().map(date.isoformat), st.datetimes().map(str)))
def test_dates_parse_or_are_none(value: str) -> None:
    parsed = parse_date(value)
    assert parsed is None or isinstance(parsed, date)


@FAST
@given(WILD)
def test_urls_techniques_never_raise(value: str) -> None:
    assert isinstance(is_url(value), bool)
    host = domain(value)
    assert host is None or isinstance(host, str)
    assert find_technique(value) is None or find_technique(value) == find_technique(value)


LABEL_LINE = st.lists(
    st.one_of(st.integers(-5, 10**6).map(str), WILD, st.sampled_from(["?", "Doubt", "Slogans"])),
    min_size=1,
    max_size=5,
).map("\t".join)


@FAST
@given(st.lists(LABEL_LINE, max_size=5))
def test_label_files_parse_or_say_where(folder: Path, lines: list[str]) -> None:
    path = folder / "labels.txt"
    path.write_bytes("\n".join(lines).encode("utf-8", errors="surrogatepass"))
    try:
        labels = read_labels(path, {"1": "x" * 100})
    except InputError as error:
        assert error.message.startswith(str(path))
    else:
        for label in labels:
            assert 0 <= label.start < label.end <= 100 and label.article_id == "1"
