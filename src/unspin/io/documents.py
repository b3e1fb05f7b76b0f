"""Reading articles: files, folders, standard input and pasted text, checked and decoded.

Every problem becomes an ``InputError`` whose one-line message starts with the file it is about
and says how to fix it. Plain text is kept exactly as decoded (only a byte order mark is
removed), because span offsets index this text. HTML is reduced to its article text.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

from unspin._article import ArticleMeta, Document, Failure
from unspin._errors import InputError
from unspin.io.fetch import fetch, is_url

__all__ = [
    "TEXT_SUFFIXES",
    "Document",
    "Failure",
    "decode_bytes",
    "document_id",
    "iter_documents",
    "page_document",
    "page_language",
    "parse_date",
    "read_document",
    "read_stdin",
    "read_text",
]

TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".md", ".html", ".htm")
"""File suffixes picked up when a folder is given (a file named directly is always read)."""

_HTML_SUFFIXES = frozenset({".html", ".htm"})
# Extraction that keeps less than this share of a page's visible text is worth a warning ...
_MIN_KEPT = 0.2
# ... on pages with at least this many visible characters (on small pages menus dominate).
_MIN_VISIBLE = 2000
_PTC_ID = re.compile(r"article(\d+)")

# Leading bytes of common non-text files, so the message can say what the file is.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF; convert it to text first (for example with pdftotext)"),
    (
        b"PK\x03\x04",
        "a ZIP archive (Word and OpenDocument files are ZIP archives too); "
        "save the article as plain text first",
    ),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)
# Control bytes other than tab, newline, form feed and carriage return: text has almost none.
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13} | {127}
_MAX_CONTROL_SHARE = 0.05
# The most common legacy encoding by far. charset_normalizer often ranks other single-byte code
# pages level with it (or above it), and they decode Western European text differently (ñ, À).
_PREFERRED_LEGACY = "cp1252"
# cp1252's € ‚ „ … ‹ ‘ ’ “ ” • – — ™ ›, which the other Windows code pages mostly share.
_WINDOWS_PUNCTUATION = frozenset(b"\x80\x82\x84\x85\x8b\x91\x92\x93\x94\x95\x96\x97\x99\x9b")


def read_document(path: Path, max_bytes: int) -> Document:
    """Read, check and decode one text or HTML file; raise ``InputError`` if it cannot be used."""
    return _read_file(path, max_bytes, str(path))


def _read_file(path: Path, max_bytes: int, source: str) -> Document:
    try:
        with path.open("rb") as stream:
            data = _read_capped(stream, max_bytes, source)
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a folder, not a file") from None
    except PermissionError:
        raise InputError(f"{source}: cannot be read (permission denied)") from None
    except OSError as error:
        raise InputError(f"{source}: cannot be read ({error.strerror or error})") from None
    text = decode_bytes(data, source)
    is_html = path.suffix.lower() in _HTML_SUFFIXES or _looks_like_html(text)
    return _document(document_id(path), text, source, is_html=is_html)


def read_text(
    text: str, id: str = "text", source: str = "<text>", *, max_bytes: int | None = None
) -> Document:
    """Check pasted text (empty, too large) and wrap it; ``max_bytes`` defaults to the setting."""
    if max_bytes is None:
        from unspin import settings

        max_bytes = settings.get_int("max_bytes")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise InputError(_too_large(source, size, max_bytes))
    _check_not_empty(text, source)
    return Document(id=id, text=text, source=source)


def read_stdin(max_bytes: int) -> Document:
    """Read one text or HTML document from standard input, with the same checks as a file."""
    source = "<stdin>"
    if sys.stdin is None:
        raise InputError(f"{source}: there is no standard input to read")
    data = _read_capped(sys.stdin.buffer, max_bytes, source)
    text = decode_bytes(data, source)
    return _document("stdin", text, source, is_html=_looks_like_html(text))


def iter_documents(paths: Sequence[str], max_bytes: int) -> Iterator[Document | Failure]:
    """Documents from files, folders (recursively), ``-`` for standard input and web
    addresses (fetched: only a URL given here ever is), in order.

    A file that cannot be used yields a ``Failure`` and the others go on.
    """
    for given in paths:
        if given == "-":
            yield _attempt("<stdin>", partial(read_stdin, max_bytes))
            continue
        if is_url(given):
            yield _attempt(given, partial(fetch, given, max_bytes))
            continue
        path = Path(given)
        if path.is_dir():
            yield from _iter_folder(path, given, max_bytes)
        elif not path.exists():
            yield Failure(given, "no such file or folder")
        else:
            yield _attempt(given, partial(_read_file, path, max_bytes, given))


def document_id(path: Path) -> str:
    """``123456`` for PTC's ``article123456.txt``; otherwise the file name without suffix."""
    match = _PTC_ID.fullmatch(path.stem)
    return match.group(1) if match else path.stem


def _iter_folder(folder: Path, given: str, max_bytes: int) -> Iterator[Document | Failure]:
    files: list[Path] = []
    unreadable: list[OSError] = []
    # os.walk lets hidden folders (.git, .venv) be pruned instead of listed and filtered.
    for root, dirs, names in os.walk(folder, onerror=unreadable.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files.extend(
            Path(root, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in TEXT_SUFFIXES
        )
    for error in unreadable:
        where = error.filename or given
        yield Failure(str(where), f"cannot list this folder ({error.strerror or error})")
    if not files and not unreadable:
        looked_for = ", ".join(TEXT_SUFFIXES)
        yield Failure(given, f"no text or HTML files in this folder (looked for {looked_for})")
    for path in sorted(files):
        yield _attempt(str(path), partial(read_document, path, max_bytes))


def _attempt(source: str, read: Callable[[], Document]) -> Document | Failure:
    try:
        return read()
    except InputError as error:
        return Failure.from_message(source, error.message)


def _read_capped(stream: BinaryIO, max_bytes: int, source: str) -> bytes:
    # Read one byte past the limit rather than trusting stat(): pipes and /dev/fd report 0.
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = len(data)
        # A pipe or a test stream has no size: then the bytes read are all we know.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            size = max(size, os.fstat(stream.fileno()).st_size)
        raise InputError(_too_large(source, size, max_bytes))
    return data


def _too_large(source: str, size: int, max_bytes: int) -> str:
    return (
        f"{source}: {_megabytes(size)} is over the {_megabytes(max_bytes)} limit; "
        "raise the max_bytes setting (UNSPIN_MAX_BYTES) to accept it"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def decode_bytes(data: bytes, source: str) -> str:
    """Text from a file's bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, or a
    detected legacy encoding; empty, binary and undecodable data raise ``InputError``."""
    if not data:
        raise InputError(f"{source}: is empty, there is no text to analyse")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{source}: this is {what}, not text")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    f"{source}: starts like {encoding.upper()} text but is not valid "
                    f"{encoding.upper()}; save it as UTF-8"
                ) from None
    if b"\x00" in data or _control_share(data) > _MAX_CONTROL_SHARE:
        raise InputError(f"{source}: looks like a binary file, not text")
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        pass
    detected = _detect_encoding(data)
    if detected is None:
        path = "" if source.startswith("<") else " " + _shell_word(source)
        raise InputError(
            f"{source}: is not UTF-8 and its encoding could not be recognised; convert it "
            f"with: iconv -f ENCODING -t UTF-8{path}"
        )
    return data.decode(detected)


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    return sum(byte in _CONTROL_BYTES for byte in sample) / len(sample)


def _detect_encoding(data: bytes) -> str | None:
    """The encoding of non-UTF-8 text, or None when the guess would not be trustworthy."""
    if {byte for byte in data if byte >= 0x80} <= _WINDOWS_PUNCTUATION:
        # English from a word processor: only curly quotes, dashes and the like are non-ASCII.
        # charset_normalizer often calls this CJK or a DOS code page; the Windows pages agree.
        return _PREFERRED_LEGACY
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        # A match lists the encodings that decode the bytes to the same text: when cp1252 is
        # among them and it scores close to the best, cp1252 is the likelier source.
        if (
            _PREFERRED_LEGACY in match.could_be_from_charset
            and match.chaos <= best.chaos + 0.1
            and match.coherence >= best.coherence - 0.1
        ):
            return _PREFERRED_LEGACY
    level = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    if len(level) > 1 and best.coherence == 0.0:
        return None  # unrelated code pages fit equally well and no language was recognised
    return str(best.encoding)


def _shell_word(source: str) -> str:
    import shlex

    return shlex.quote(source)


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


def page_document(id: str, text: str, source: str, *, is_html: bool) -> Document:
    """A document from decoded text: checked, and reduced to its article when it is HTML
    (or looks like it)."""
    return _document(id, text, source, is_html=is_html or _looks_like_html(text))


def _document(id: str, text: str, source: str, *, is_html: bool) -> Document:
    _check_not_empty(text, source)
    if not is_html:
        return Document(id=id, text=text, source=source)
    body, meta, kept = _html_to_text(text, source)
    warnings: tuple[str, ...] = ()
    if kept is not None and kept < _MIN_KEPT:
        warnings = (
            f"{source}: only {kept:.0%} of the page's visible text was kept as the article; "
            "check that it is the whole article (or save the article text as a .txt file)",
        )
    return Document(id=id, text=body, source=source, meta=meta, warnings=warnings)


def _check_not_empty(text: str, source: str) -> None:
    if not text:
        raise InputError(f"{source}: is empty, there is no text to analyse")
    if not text.strip():
        raise InputError(f"{source}: contains only whitespace, there is no text to analyse")


def _html_to_text(page: str, source: str) -> tuple[str, ArticleMeta, float | None]:
    """The article's title and body text, paragraphs separated by blank lines, what the
    page says about itself (title, site name, URL, date, language), and the share of the
    page's visible text that the body keeps (``None`` when the page has little text)."""
    import trafilatura

    # No url is passed, so trafilatura neither fetches nor resolves anything.
    extracted = trafilatura.bare_extraction(
        page,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
    )
    if extracted is None or isinstance(extracted, dict):  # a dict only comes with as_dict=True
        body, title = "", ""
        meta = ArticleMeta(language=page_language(page))
    else:
        body, title = extracted.text or "", " ".join((extracted.title or "").split())
        found = {
            "title": title,
            "outlet": extracted.sitename,
            "url": extracted.url,
            "published": extracted.date,
            "language": extracted.language,
        }
        known = {key: str(value).strip() or None for key, value in found.items() if value}
        meta = ArticleMeta(
            title=known.get("title"),
            outlet=known.get("outlet"),
            url=known.get("url"),
            published=parse_date(known.get("published")),
            language=known.get("language") or page_language(page),
        )
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    if not paragraphs:
        raise InputError(
            f"{source}: no article text found in this HTML page (it may be an index page or "
            "built by JavaScript); save the article text as a .txt file instead"
        )
    visible = _visible_length(page)
    kept = None
    if visible >= _MIN_VISIBLE:
        kept = sum(len(word) for p in paragraphs for word in p.split()) / visible
    if title and paragraphs[0] != title:
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs), meta, kept


_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*)""",
    re.IGNORECASE,
)
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")


def page_language(page: str) -> str | None:
    """The language an HTML page states in ``<html lang="...">``, as a tag (``de-DE``)."""
    match = _LANG.search(page[:65536])
    return match.group(1).replace("_", "-") if match else None


def _visible_length(page: str) -> int:
    """How many non-space characters a reader of the page sees (no scripts, styles, head)."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(page)
    except (ParserError, ValueError):
        return 0
    for element in list(root.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    return sum(len(word) for word in root.text_content().split())


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
