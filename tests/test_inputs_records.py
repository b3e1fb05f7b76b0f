"""Bad records never cost good ones: one check for every store, CSV quotes, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from unspin import Analyzer, Corpus, Document, Failure
from unspin.corpus.store.schema import ArticleRow
from unspin.io import clean
from unspin.io.records import read_inputs

GOOD = "A plain good story about the council, with enough words to be read as English text."
PLAIN = GOOD.replace(",", "")  # for unquoted CSV cells


def _read(*paths: Path) -> list[Document | Failure]:
    return list(read_inputs([str(p) for p in paths], max_bytes=100_000))


def test_the_limits_are_the_store_columns() -> None:
    columns = ArticleRow.__table__.columns
    lengths = {
        "id": columns["external_id"].type.length,
        "outlet": columns["outlet"].type.length,
        "language": columns["language"].type.length,
    }
    assert lengths == clean.LIMITS


def test_text_repairs_keep_every_offset() -> None:
    raw = "bad \ud800 nul \x00 esc \x1b[31m tab\tline\nend\r\n"
    repaired = clean.text(raw)
    assert len(repaired) == len(raw)
    assert repaired == "bad \ufffd nul \ufffd esc  [31m tab\tline\nend\r\n"
    messy = " The\x00 \u0085Daily\n\tWire \udc80 "
    assert clean.metadata_value(messy) == "The\ufffd Daily Wire \ufffd"
    assert clean.metadata_value("\x00\x01 ") == "\ufffd"
    assert clean.metadata_value(" \x01 ") is None


def _hostile_feed(tmp_path: Path) -> Path:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": GOOD + " one"}),
        '{"text": "bad \\ud800 text, but the rest of this story reads fine in English."}',
        json.dumps({"text": GOOD + " nul \x00 two", "outlet": "Wire\x00"}),
        json.dumps({"text": GOOD + " three", "outlet": "O" * 201}),
        json.dumps({"text": GOOD + " four", "language": "x" * 36}),
        json.dumps({"text": GOOD + " five", "id": "i" * 501}),
        '{"text": "' + GOOD + ' six", "score": NaN, "k\\ud800": ["\\u0000"]}',
        "[" * 100_000,
        '{"text": "' + GOOD + '", "n": ' + "9" * 5000 + "}",
        json.dumps({"text": GOOD + " seven", "outlet": "Wire", "language": "en"}),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return feed


def test_hostile_jsonl_records_fail_alone(tmp_path: Path) -> None:
    feed = _hostile_feed(tmp_path)
    items = _read(feed)
    by_line = {int((item.source or "").rsplit(":", 1)[1]) if isinstance(item, Document)
               else item.line: item for item in items}  # fmt: skip
    assert sorted(by_line) == list(range(1, 11))
    surrogate = by_line[2]
    assert isinstance(surrogate, Document) and surrogate.text.startswith("bad \ufffd text")
    nul = by_line[3]
    assert isinstance(nul, Document) and "\x00" not in nul.text and nul.meta.outlet == "Wire\ufffd"
    for line, field, limit in ((4, "outlet", 200), (5, "language", 35), (6, "id", 500)):
        failure = by_line[line]
        assert isinstance(failure, Failure), line
        assert failure.where == f"{feed}:{line}"
        assert failure.reason.startswith(f"the {field} is {limit + 1} characters long, over")
    nan = by_line[7]
    assert isinstance(nan, Document)
    assert nan.meta.extra == {"score": "nan", "k\ufffd": ["\ufffd"]}
    deep, huge = by_line[8], by_line[9]
    assert isinstance(deep, Failure) and deep.reason == "not usable JSON (nested too deeply)"
    assert isinstance(huge, Failure) and huge.reason.startswith("not usable JSON (Exceeds")


@pytest.mark.parametrize("db_kind", ["sqlite", "postgresql"])
def test_every_store_takes_the_same_records(
    tmp_path: Path, db_kind: str, request: pytest.FixtureRequest
) -> None:
    # 0.2.0: the surrogate aborted the whole import on SQLite ("internal error"), and on
    # PostgreSQL the NUL, the long outlet and the long language lost the rest of the file.
    if db_kind == "sqlite":
        url = str(tmp_path / "news.db")
    else:
        from tests.conftest import postgres_url

        url = postgres_url()
    feed = _hostile_feed(tmp_path)
    with Corpus.open(url) as corpus:
        report = corpus.import_paths([str(feed)])
        assert (report.added, len(report.failures)) == (5, 5)
        with corpus._store.session() as session:
            texts = list(session.scalars(select(ArticleRow.text)))
        failures = {failure.where for failure in corpus.failures()}
    assert len(texts) == 5 and any(text.startswith("bad \ufffd text") for text in texts)
    assert failures == {f"{feed}:{n}" for n in (4, 5, 6, 8, 9)}


def test_the_store_repairs_documents_given_directly(tmp_path: Path) -> None:
    with Corpus.open(str(tmp_path / "news.db")) as corpus:
        report = corpus.import_documents([Document("a\ud800", GOOD + " \ud800", "src\udc80")])
        assert report.added == 1
        corpus._store.add_failure(Failure("file\udcff.txt", "bad \ud800"))
        (failure,) = corpus.failures()
    assert failure.message == "file\ufffd.txt: bad \ufffd"


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    # 0.2.0 stored 4 garbage articles for these 6 rows (and said nothing).
    table = tmp_path / "feed.csv"
    table.write_text(
        "id,title,text\n"
        f'1,One,"{PLAIN} one"\n'
        f'2,"Two,{PLAIN} two\n'  # the title's quote never closes
        f"3,Three,{PLAIN} three\n"
        f'4,"Four",{PLAIN} four\n'
        f'5,Five,"{PLAIN} five\nsecond paragraph"\n'
        f"6,Six,{PLAIN} six\n",
        encoding="utf-8",
    )
    items = _read(table)
    failures = [item for item in items if isinstance(item, Failure)]
    documents = [item for item in items if isinstance(item, Document)]
    assert [f.where for f in failures] == [f"{table}:3"], failures
    assert "quoted field opened on this line is not closed" in failures[0].reason
    assert [d.id for d in documents] == ["1", "3", "4", "5", "6"]
    assert [d.source for d in documents] == [f"{table}:{n}" for n in (2, 4, 5, 6, 8)]
    assert documents[3].text.endswith("five\nsecond paragraph")


def test_an_unclosed_quote_at_the_end_of_the_file(tmp_path: Path) -> None:
    table = tmp_path / "feed.csv"
    table.write_text(f'id,text\n1,"{PLAIN} one\n2,{PLAIN} two\n3,{PLAIN} three\n', encoding="utf-8")
    items = _read(table)
    assert isinstance(items[0], Failure) and items[0].where == f"{table}:2"
    assert "not closed" in items[0].reason
    assert [item.id for item in items[1:] if isinstance(item, Document)] == ["2", "3"]


def test_the_api_takes_a_lone_surrogate_and_refuses_a_long_outlet(
    tmp_path: Path, fixture_analyzer: Analyzer
) -> None:
    # 0.2.0 answered 500 (UnicodeEncodeError) and reset the next request on the connection.
    from fastapi.testclient import TestClient

    from unspin.web.app import create_app

    app = create_app(str(tmp_path / "api.db"), analyzer=fixture_analyzer)
    with TestClient(app) as client:
        body = '{"text": "bad \\ud800 text about the cowards in the council"}'
        answer = client.post(
            "/api/analyze", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["text"].startswith("bad \ufffd text")
        long = client.post("/api/analyze", json={"text": GOOD, "outlet": "O" * 201})
        assert long.status_code == 400
        assert "the outlet is 201 characters long" in long.json()["error"]["message"]
        assert client.get("/api/outlets").status_code == 200  # the connection still works
