"""Reading articles: every way a file can be unusable, decoding, HTML extraction, folders, stdin."""

from __future__ import annotations

import io
import socket
import sys
from pathlib import Path

import pytest

from unspin._errors import InputError
from unspin.io.documents import (
    Document,
    Failure,
    document_id,
    iter_documents,
    read_document,
    read_text,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LIMIT = 1_000_000
PARAGRAPH = "The harbour board met on Tuesday.\n\nIt voted to repaint the lighthouse.\n"


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def refused(path: Path, max_bytes: int = LIMIT) -> str:
    """The one-line message of the InputError that reading ``path`` raises."""
    with pytest.raises(InputError) as caught:
        read_document(path, max_bytes)
    message = caught.value.message
    assert message.startswith(str(path) + ":"), message
    assert "\n" not in message
    assert caught.value.exit_code == 2
    return message


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("reading an article must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --- plain text ------------------------------------------------------------------------------


def test_plain_text_is_kept_exactly(tmp_path: Path) -> None:
    text = "Title\r\n\r\n  Indented line.\r\nTabs\there.\n\n\nEnd without newline"
    doc = read_document(write(tmp_path / "notes.txt", text), LIMIT)
    assert doc == Document(id="notes", text=text, source=str(tmp_path / "notes.txt"))


def test_utf8_byte_order_mark_is_removed(tmp_path: Path) -> None:
    doc = read_document(
        write(tmp_path / "bom.txt", b"\xef\xbb\xbfCaf\xc3\xa9 owners object."), LIMIT
    )
    assert doc.text == "Café owners object."


def test_utf16_with_byte_order_mark_is_decoded(tmp_path: Path) -> None:
    text = "Windows Notepad saved this – with a café in it."
    doc = read_document(write(tmp_path / "notepad.txt", text.encode("utf-16")), LIMIT)
    assert doc.text == text


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_western_text_is_detected_and_decoded(tmp_path: Path, encoding: str) -> None:
    text = (
        "Le café de la gare a fermé hier soir. Les élèves étaient déçus, et le maître "
        "d'hôtel a pleuré devant la façade.\nÀ bientôt, señor Muñoz, dit la boulangère.\n"
    )
    doc = read_document(write(tmp_path / "gare.txt", text.encode(encoding)), LIMIT)
    assert doc.text == text


def test_cp1252_quotes_and_dashes_are_decoded(tmp_path: Path) -> None:
    text = "The council – “in its wisdom” – closed the café run by Zoë and René.\n"
    doc = read_document(write(tmp_path / "quotes.txt", text.encode("cp1252")), LIMIT)
    assert doc.text == text


def test_cp1252_english_with_smart_punctuation(tmp_path: Path) -> None:
    text = "Don’t panic, the mayor said. The “new” plan costs €20m – far too much…\n"
    doc = read_document(write(tmp_path / "word.txt", text.encode("cp1252")), LIMIT)
    assert doc.text == text


def test_undetectable_encoding_suggests_iconv(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.txt", b"The \x9d\x81 cost \x8f was \x90 high, \x8d said.")
    message = refused(path)
    assert "not UTF-8" in message
    assert "iconv -f ENCODING -t UTF-8" in message


# --- unusable files --------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    assert "is empty" in refused(write(tmp_path / "empty.txt", b""))


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "only whitespace" in refused(write(tmp_path / "blank.txt", " \n\t\r\n  \n"))


def test_file_with_nul_bytes_is_binary(tmp_path: Path) -> None:
    data = b"Looks like text at first\x00\x01\x02\x00 but is not" * 10
    assert "binary" in refused(write(tmp_path / "data.txt", data))


def test_control_bytes_without_nul_are_binary(tmp_path: Path) -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 0x41, 0x42]) * 50
    assert "binary" in refused(write(tmp_path / "noise.txt", data))


def test_png_is_named(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    message = refused(write(tmp_path / "photo.txt", data))
    assert "PNG image" in message
    assert "not text" in message


def test_zip_is_named(tmp_path: Path) -> None:
    message = refused(write(tmp_path / "story.txt", b"PK\x03\x04\x14\x00\x06\x00" + b"x" * 40))
    assert "ZIP archive" in message


def test_file_over_the_limit_says_how_to_raise_it(tmp_path: Path) -> None:
    path = write(tmp_path / "huge.txt", b"All work and no play. " * 230_000)  # about 5 MB
    message = refused(path, max_bytes=LIMIT)
    assert "5.1 MB" in message
    assert "1.0 MB limit" in message
    assert "max_bytes setting" in message
    assert "UNSPIN_MAX_BYTES" in message


def test_file_at_the_limit_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "exact.txt", "x" * 100)
    assert read_document(path, 100).text == "x" * 100
    assert "limit" in refused(path, max_bytes=99)


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in refused(tmp_path / "gone.txt")


def test_folder_given_as_a_file(tmp_path: Path) -> None:
    assert "folder" in refused(tmp_path)


# --- HTML ------------------------------------------------------------------------------------


def test_html_page_is_reduced_to_the_article(no_network: None) -> None:
    doc = read_document(EXAMPLES / "sample-article.html", LIMIT)
    plain = (EXAMPLES / "sample-article.txt").read_text(encoding="utf-8")
    # Title first, then the body, paragraphs separated by blank lines as in the .txt version.
    assert doc.text == plain.rstrip("\n")
    assert doc.id == "sample-article"
    for boilerplate in (
        "Accept all cookies",
        "What's On",
        "Most read",
        "Privacy policy",
        "All rights reserved",
        "Sign up to our morning newsletter",
        "Serving Wrenford",
    ):
        assert boilerplate not in doc.text


def test_html_is_sniffed_whatever_the_suffix(tmp_path: Path, no_network: None) -> None:
    page = (EXAMPLES / "sample-article.html").read_text(encoding="utf-8")
    doc = read_document(write(tmp_path / "saved-page.txt", "\n  " + page), LIMIT)
    assert doc.text.startswith("Save the Corn Exchange Before They Pave Over Our Past\n\n")
    assert "<p>" not in doc.text
    assert "Privacy policy" not in doc.text


def test_html_without_article_text(tmp_path: Path, no_network: None) -> None:
    page = "<!doctype html><html><head><title>Home</title></head><body></body></html>"
    assert "no article text" in refused(write(tmp_path / "index.html", page))


# --- pasted text and ids ---------------------------------------------------------------------


def test_read_text_accepts_pasted_text() -> None:
    assert read_text("A pasted paragraph.", max_bytes=LIMIT) == Document(
        "text", "A pasted paragraph.", "<text>"
    )


@pytest.mark.parametrize("text", ["", "   \n\n "])
def test_read_text_refuses_empty_text(text: str) -> None:
    with pytest.raises(InputError, match=r"^<text>: "):
        read_text(text, max_bytes=LIMIT)


def test_read_text_refuses_too_much_text() -> None:
    with pytest.raises(InputError, match="max_bytes setting"):
        read_text("é" * 60, id="paste", source="<form>", max_bytes=100)  # 120 bytes


def test_read_text_default_limit_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNSPIN_MAX_BYTES", "10")
    with pytest.raises(InputError, match="limit"):
        read_text("eleven char")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("article123456.txt", "123456"),
        ("corpus/article999001.txt", "999001"),
        ("article12x.txt", "article12x"),
        ("my-notes.md", "my-notes"),
        ("page.html", "page"),
    ],
)
def test_document_ids(name: str, expected: str) -> None:
    assert document_id(Path(name)) == expected


def test_ptc_file_gets_its_numeric_id(tmp_path: Path) -> None:
    assert read_document(write(tmp_path / "article7012.txt", PARAGRAPH), LIMIT).id == "7012"


# --- many inputs -----------------------------------------------------------------------------


def test_folder_with_a_bad_file_yields_the_good_ones_and_one_failure(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    write(folder / "b.md", "Second story about the ferry timetable.")
    write(folder / "a.txt", "First story about the library roof.")
    write(folder / "sub" / "c.txt", b"")  # the bad one
    write(folder / ".hidden.txt", "skipped")
    write(folder / ".git" / "HEAD.txt", "skipped")
    write(folder / "photo.png", b"\x89PNG\r\n\x1a\n")  # not a text suffix: ignored
    results = list(iter_documents([str(folder)], LIMIT))
    assert [type(r) for r in results] == [Document, Document, Failure]
    assert [r.source for r in results] == [
        str(folder / "a.txt"),
        str(folder / "b.md"),
        str(folder / "sub" / "c.txt"),
    ]
    failure = results[2]
    assert isinstance(failure, Failure)
    assert failure.message == f"{folder / 'sub' / 'c.txt'}: is empty, there is no text to analyse"


def test_empty_folder_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "picture.png", b"\x89PNG")
    given = str(tmp_path / "empty")
    assert list(iter_documents([given], LIMIT)) == [
        Failure(
            given,
            "no text or HTML files in this folder (looked for .txt, .text, .md, .html, .htm)",
        )
    ]


def test_missing_path_is_a_failure_and_the_rest_go_on(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", PARAGRAPH)
    missing = str(tmp_path / "nope.txt")
    results = list(iter_documents([missing, str(good)], LIMIT))
    assert results == [
        Failure(missing, "no such file or folder"),
        Document("good", PARAGRAPH, str(good)),
    ]


def test_a_named_file_keeps_the_path_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "story.rst", PARAGRAPH)  # any suffix is read when named directly
    (doc,) = iter_documents(["./story.rst"], LIMIT)
    assert doc == Document("story", PARAGRAPH, "./story.rst")


def stdin_with(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin_with(monkeypatch, "Piped in: the café “reopened”.\r\n".encode())
    assert list(iter_documents(["-"], LIMIT)) == [
        Document("stdin", "Piped in: the café “reopened”.\r\n", "<stdin>")
    ]


def test_stdin_gets_the_same_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin_with(monkeypatch, b"x" * 101)
    (failure,) = iter_documents(["-"], 100)
    assert isinstance(failure, Failure)
    assert failure.source == "<stdin>"
    assert failure.message.startswith("<stdin>: ")
    assert "UNSPIN_MAX_BYTES" in failure.message

    stdin_with(monkeypatch, b"")
    assert list(iter_documents(["-"], 100)) == [
        Failure("<stdin>", "is empty, there is no text to analyse")
    ]


def test_stdin_html_is_extracted(monkeypatch: pytest.MonkeyPatch, no_network: None) -> None:
    stdin_with(monkeypatch, (EXAMPLES / "sample-article.html").read_bytes())
    (doc,) = iter_documents(["-"], LIMIT)
    assert isinstance(doc, Document)
    assert "Save the Exchange. Save Wrenford." in doc.text
    assert "Most read" not in doc.text
