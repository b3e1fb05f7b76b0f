"""Fetching articles from the web, only when a user gives a URL.

unspin never goes online by itself: analysing and importing files stays offline. A URL given
on the command line (or in a ``.urls`` list) is fetched once, politely: an honest User-Agent,
timeouts, a size limit (the ``max_bytes`` setting), at most ``MAX_REDIRECTS`` redirects, and
only pages that say they are HTML or plain text. The page becomes a ``Document`` like a file
would, with the URL and, unless the page names its site, the URL's domain as the outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from unspin._article import ArticleMeta, Document, Failure
from unspin._errors import InputError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "MAX_REDIRECTS",
    "TIMEOUT",
    "USER_AGENT",
    "domain",
    "fetch",
    "is_url",
    "read_url_list",
]

PROJECT_URL = "https://pypi.org/project/unspin/"


def _version() -> str:
    # Not `unspin.__version__`: the package imports this module while it initialises.
    try:
        return version("unspin")
    except PackageNotFoundError:
        return "0"


USER_AGENT = f"unspin/{_version()} (+{PROJECT_URL})"
TIMEOUT = 20.0
"""Seconds to wait for a connection, or for the next piece of the page."""
MAX_REDIRECTS = 5

_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)
_TEXT_TYPES = {"text/html": True, "application/xhtml+xml": True, "text/plain": False}


def is_url(value: str) -> bool:
    """Whether a command-line input is a web address (``http://`` or ``https://``)."""
    return bool(_URL.match(value))


def domain(url: str | None) -> str | None:
    """``example.org`` for ``https://www.example.org/story``: the outlet a URL suggests."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def fetch(url: str, max_bytes: int, *, client: httpx.Client | None = None) -> Document:
    """The article at ``url``; ``InputError`` (starting with the URL) when it cannot be used.

    ``client`` is for tests and callers that configure their own (a ``MockTransport``).
    """
    import httpx

    if not is_url(url):
        raise InputError(f"{url}: not a web address; give an http:// or https:// URL")
    own = client is None
    if client is None:
        client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.8"},
            timeout=httpx.Timeout(TIMEOUT),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
        )
    try:
        with client.stream("GET", url) as response:
            final = str(response.url)
            if response.status_code >= 400:
                phrase = response.reason_phrase or "error"
                raise InputError(f"{url}: the server answered {response.status_code} {phrase}")
            is_html = _check_type(url, response.headers.get("content-type", ""))
            data = _read_capped(response, url, max_bytes)
            charset = response.charset_encoding
    except httpx.TooManyRedirects:
        raise InputError(
            f"{url}: more than {MAX_REDIRECTS} redirects; give the final address"
        ) from None
    except httpx.TimeoutException:
        raise InputError(f"{url}: no answer within {TIMEOUT:.0f} s; try again later") from None
    except httpx.HTTPError as error:
        raise InputError(f"{url}: cannot be fetched ({_reason(error)})") from None
    finally:
        if own:
            client.close()
    from unspin.io.documents import decode_bytes, page_document

    text = _decode(data, charset) if charset else None
    if text is None:
        text = decode_bytes(data, url)
    document = page_document(_page_id(final), text, url, is_html=is_html)
    meta = ArticleMeta(url=final, outlet=domain(final))
    return Document(
        document.id,
        document.text,
        document.source,
        document.meta.or_else(meta),
        document.warnings,
    )


def read_url_list(path: str) -> Iterator[str | Failure]:
    """The URLs in a list file, one per line (blank lines and ``#`` comments skipped); a line
    that is not a URL is a ``Failure`` at its line."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        yield Failure(path, "no such file")
        return
    except (OSError, UnicodeDecodeError) as error:
        reason = error.reason if isinstance(error, UnicodeDecodeError) else error.strerror
        yield Failure(path, f"cannot be read as a UTF-8 list of URLs ({reason})")
        return
    found = False
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        found = True
        if is_url(line):
            yield line
        else:
            yield Failure(path, f"not a web address: {line[:80]!r}", number)
    if not found:
        yield Failure(path, "no URLs in this list (one http:// or https:// address a line)")


def _check_type(url: str, content_type: str) -> bool:
    """Whether the page is HTML (else plain text); ``InputError`` for anything else."""
    kind = content_type.split(";")[0].strip().lower()
    if not kind:
        return True  # unlabelled: decide from the content, as for a file
    if kind not in _TEXT_TYPES:
        raise InputError(f"{url}: the page is {kind}, not HTML or plain text")
    return _TEXT_TYPES[kind]


def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(_too_large(url, int(declared), max_bytes))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(_too_large(url, size, max_bytes, more=True))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, size: int, max_bytes: int, more: bool = False) -> str:
    what = "over" if more else f"{size / 1e6:.1f} MB, over"
    return (
        f"{url}: the page is {what} the {max_bytes / 1e6:.1f} MB limit; raise the max_bytes "
        "setting (UNSPIN_MAX_BYTES) to accept it"
    )


def _decode(data: bytes, charset: str) -> str | None:
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return None  # a wrong or unknown charset label: recognise the encoding instead


def _page_id(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    name = path.rsplit("/", 1)[-1] if path else ""
    return name.rsplit(".", 1)[0] if "." in name else (name or domain(url) or "page")


def _reason(error: Exception) -> str:
    text = str(error).strip()
    return text or type(error).__name__
