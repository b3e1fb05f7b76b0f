"""Inputs from the wild: pages fetched from a real HTTP server on 127.0.0.1 (started here),
the HTML lang attribute, language detection, and the extraction warning."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import select

from unspin import Corpus, Document, Failure
from unspin._errors import InputError
from unspin.corpus.store.schema import ArticleRow
from unspin.io import fetch as fetching
from unspin.io.documents import page_document
from unspin.io.language import detect
from unspin.io.records import Defaults, read_inputs

ROOT = Path(__file__).resolve().parent.parent

STORY = (
    "<p>The council voted on Thursday to close the old library, a decision that critics "
    "called reckless and short-sighted. Hundreds of residents gathered outside the town hall "
    "to protest against what one speaker called a betrayal of every family in the county.</p>"
    "<p>The mayor said the building was too expensive to repair and that the books would move "
    "to the new community centre next spring.</p>"
)
GERMAN = (
    "<p>Der Stadtrat hat am Donnerstag beschlossen, die alte Bibliothek zu schließen. Kritiker "
    "nannten die Entscheidung leichtsinnig und kurzsichtig. Hunderte Einwohner versammelten "
    "sich vor dem Rathaus, um gegen den Beschluss zu protestieren.</p>"
)


def _page(body: str, lang: str, title: str = "Library to close") -> bytes:
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        self.seen.append(dict(self.headers))
        routes: dict[str, tuple[int, dict[str, str], bytes]] = {
            "/story.html": (200, {"Content-Type": "text/html; charset=utf-8"},
                            _page(STORY, "en-GB")),
            "/german": (200, {"Content-Type": "text/html"}, _page(GERMAN, "de", "Bibliothek")),
            "/plain.txt": (200, {"Content-Type": "text/plain; charset=utf-8"},
                           b"A plain text story about the council and the library."),
            "/moved": (302, {"Location": "/story.html"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 ..."),
            "/huge": (200, {"Content-Type": "text/html"}, b"<p>" + b"word " * 50_000),
            "/missing": (404, {"Content-Type": "text/html"}, b"<h1>Not here</h1>"),
        }  # fmt: skip
        if self.path == "/slow":
            time.sleep(2)
        status, headers, body = routes.get(self.path, (200, {}, b"<p>slow</p>"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_becomes_a_document(server: str) -> None:
    document = fetching.fetch(f"{server}/moved", 100_000)
    assert document.text.startswith("Library to close\n\nThe council voted on Thursday")
    assert document.meta.url == f"{server}/story.html"  # where the redirect led
    assert document.meta.outlet == "127.0.0.1"  # the domain, as the page names no site
    assert document.meta.language == "en-GB"  # <html lang>
    assert document.source == f"{server}/moved" and document.id == "story"
    headers = _Handler.seen[-1]
    assert headers["User-Agent"] == fetching.USER_AGENT
    assert fetching.USER_AGENT.startswith("unspin/")


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/loop", "more than 5 redirects"),
        ("/report.pdf", "the page is application/pdf, not HTML or plain text"),
        ("/huge", "over the 0.1 MB limit"),
        ("/missing", "the server answered 404 Not Found"),
    ],
)
def test_pages_that_cannot_be_used(server: str, path: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        fetching.fetch(f"{server}{path}", 100_000)
    assert caught.value.message.startswith(f"{server}{path}: ")
    assert problem in caught.value.message


def test_a_slow_server_times_out(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "TIMEOUT", 0.3)
    with pytest.raises(InputError, match="no answer within"):
        fetching.fetch(f"{server}/slow", 100_000)


def test_nothing_listening() -> None:
    with pytest.raises(InputError, match="cannot be fetched"):
        fetching.fetch("http://127.0.0.1:9/story", 100_000)


def test_url_lists_and_languages(server: str, tmp_path: Path) -> None:
    listing = tmp_path / "reading.urls"
    listing.write_text(
        f"# my reading list\n{server}/story.html\n\nnot a url\n{server}/german\n"
        f"{server}/plain.txt\n"
    )
    items = list(read_inputs([str(listing)], max_bytes=100_000))
    story, not_url, german, plain = items
    assert isinstance(story, Document) and story.meta.language == "en-GB"
    assert isinstance(not_url, Failure) and not_url.where == f"{listing}:4"
    assert isinstance(german, Failure) and german.source == f"{server}/german"
    assert german.reason.startswith("the text is in German (de), not English")
    assert isinstance(plain, Document) and plain.meta.outlet == "127.0.0.1"
    assert plain.meta.language == "en"  # detected: a text file states none

    anyway = list(
        read_inputs([f"{server}/german"], max_bytes=100_000, defaults=Defaults(any_language=True))
    )
    assert isinstance(anyway[0], Document) and anyway[0].meta.language == "de"


def test_the_language_is_detected_when_the_input_names_none(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    german = "Der Stadtrat hat am Donnerstag beschlossen, die alte Bibliothek zu schließen."
    english = "The council voted on Thursday to close the old library in the town centre."
    feed.write_text(
        "\n".join(
            json.dumps(record)
            for record in (
                {"text": english},
                {"text": german},
                {"text": english + " Again.", "language": "en-US"},
            )
        )
    )
    items = list(read_inputs([str(feed)], max_bytes=100_000, defaults=Defaults(any_language=True)))
    assert [item.meta.language for item in items if isinstance(item, Document)] == [
        "en",
        "de",
        "en-US",
    ]
    detected = detect(german)
    assert detected is not None and detected.code == "de" and detected.probability > 0.9
    assert detect("Too short.") is None


def test_the_extraction_warning() -> None:
    comments = "".join(
        f'<div class="comment"><p>Comment {n}: I have lived here for forty years and this '
        "council has lost its way completely.</p></div>"
        for n in range(40)
    )
    page = (
        '<!doctype html><html lang="en"><body><article><h1>Library to close</h1>'
        f'{STORY}</article><section class="comments">{comments}</section></body></html>'
    )
    warned = page_document("p", page, "p.html", is_html=True)
    assert len(warned.warnings) == 1
    assert "of the page's visible text was kept as the article" in warned.warnings[0]
    sample = (ROOT / "examples" / "sample-article.html").read_text(encoding="utf-8")
    assert page_document("s", sample, "s.html", is_html=True).warnings == ()


def _unspin(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args], capture_output=True, text=True, timeout=300
    )


def test_import_urls_from_the_command_line(server: str, tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    listing = tmp_path / "list.txt"
    listing.write_text(f"{server}/german\n{server}/missing\n")
    result = _unspin("import", f"{server}/story.html", "--urls", str(listing), "--db", db)
    assert result.returncode == 3, result.stderr  # some inputs could not be used
    assert "added 1 article, 0 already stored, 2 unreadable" in result.stderr
    assert "--any-language imports them too" in result.stderr
    again = _unspin("import", "--urls", str(listing), "--db", db, "--any-language")
    assert again.returncode == 3, again.stderr
    assert "added 1 article" in again.stderr and "404 Not Found" in again.stderr
    with Corpus.open(db) as corpus, corpus._store.session() as session:
        rows = session.execute(select(ArticleRow.outlet, ArticleRow.language, ArticleRow.url))
        assert sorted(rows) == [
            ("127.0.0.1", "de", f"{server}/german"),
            ("127.0.0.1", "en-GB", f"{server}/story.html"),
        ]


def test_analyze_a_url_with_the_fixture_model(server: str) -> None:
    result = _unspin("analyze", f"{server}/german", "-m", "unspin-fixture-v1", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["text"].startswith("Bibliothek")
    assert "looks like German (de), not English" in result.stderr
