"""Reading corpora for the store: folders, JSONL and CSV, column mapping, bad records."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from unspin import Article, ModelInfo, Span
from unspin.corpus.store import NewArticle, Store
from unspin.corpus.store.queries import CorpusFilter, iter_articles
from unspin.formats.export import write_csv, write_jsonl, write_ptc
from unspin.io.documents import Failure
from unspin.io.records import Columns, Defaults, read_inputs


def _read(*paths: Path, **kwargs: object) -> list[NewArticle | Failure]:
    return list(read_inputs([str(p) for p in paths], max_bytes=10_000, **kwargs))  # type: ignore[arg-type]


def test_jsonl_fields_are_mapped_and_the_rest_kept(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        {"uid": "a1", "body": "First story.", "headline": "One", "site": "Wire",
         "when": "2024-05-02T09:30:00Z", "section": "politics", "lang": "en"},
        "not json",
        {"uid": "a2", "headline": "No body"},
        {"uid": "a3", "body": "   "},
        [1, 2],
        {"uid": "a4", "body": "Fourth story.", "when": "next Tuesday"},
    ]  # fmt: skip
    feed.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n\n"
    )
    columns = Columns(
        text="body", id="uid", title="headline", outlet="site", published="when", language="lang"
    )
    items = _read(feed, columns=columns, defaults=Defaults(outlet="Unknown Wire"))
    first, bad_json, no_text, blank, not_object, fourth = items
    assert first == NewArticle(
        text="First story.",
        external_id="a1",
        source=f"{feed}:1",
        title="One",
        outlet="Wire",
        published=date(2024, 5, 2),
        language="en",
        extra={"section": "politics"},
    )
    assert isinstance(bad_json, Failure) and bad_json.message.startswith(
        f"{feed}:2: not valid JSON"
    )
    assert isinstance(no_text, Failure) and "no text in field/column 'body'" in no_text.message
    assert isinstance(blank, Failure) and blank.message == f"{feed}:4: the text is empty"
    assert isinstance(not_object, Failure) and "must be a JSON object" in not_object.message
    assert isinstance(fourth, NewArticle)
    assert fourth.published is None and fourth.extra == {"published_unparsed": "next Tuesday"}
    assert fourth.outlet == "Unknown Wire"  # the default fills what the record lacks
    assert fourth.title == "Fourth story."  # no title: the first line stands in


def test_csv_columns_and_bad_rows(tmp_path: Path) -> None:
    table = tmp_path / "stories.csv"
    table.write_text(
        "story,paper,date,tags\n"
        '"Line one.\nLine two, with a comma.",Daily,05/03/2024,x\n'
        ",Daily,2024-03-06,y\n"
        "Too many,Daily,2024-03-07,z,extra\n"
        '"Big story.",Weekly,"Wed, 06 Mar 2024 10:00:00 +0000",\n'
    )
    items = _read(table, columns=Columns(text="story", outlet="paper", published="date"))
    first, empty, too_many, last = items
    assert isinstance(first, NewArticle)
    assert first.text == "Line one.\nLine two, with a comma."
    assert first.outlet == "Daily"
    assert first.published is None  # 05/03/2024 is ambiguous, so it is kept as text
    assert first.extra == {"tags": "x", "published_unparsed": "05/03/2024"}
    assert isinstance(empty, Failure) and "no text" in empty.message
    assert isinstance(too_many, Failure) and "more cells than the header" in too_many.message
    assert isinstance(last, NewArticle) and last.published == date(2024, 3, 6)
    assert last.extra == {}


def test_a_record_over_the_size_limit_fails_alone(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "x" * 20_000}) + "\n" + json.dumps({"text": "Small."}) + "\n"
    )
    big, small = _read(feed)
    assert isinstance(big, Failure)
    assert big.message == (
        f"{feed}:1: the text is 0.0 MB, over the 0.0 MB limit; raise it with --max-bytes or "
        "UNSPIN_MAX_BYTES"
    )
    assert isinstance(small, NewArticle)


def test_a_csv_that_stops_being_utf8(tmp_path: Path) -> None:
    table = tmp_path / "legacy.csv"
    good = b"".join(b"Story number %d.\n" % n for n in range(5000))
    table.write_bytes(b"text\n" + good + b"Caf\xe9 story.\n")
    *read, last = _read(table)
    assert len(read) > 4000 and all(isinstance(item, NewArticle) for item in read)
    assert isinstance(last, Failure)
    assert last.message.startswith(f"{table}: is not UTF-8 (reading stopped there")


def test_unreadable_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("A fine article.\nSecond line.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "binary.jsonl").write_bytes(bytes(range(256)))
    items = _read(tmp_path, tmp_path / "binary.jsonl", tmp_path / "missing.csv")
    by_source = {
        Path(item.source or "").name
        if isinstance(item, NewArticle)
        else Path(item.source).name: item
        for item in items
    }
    assert isinstance(by_source["ok.txt"], NewArticle)
    assert by_source["ok.txt"].title == "A fine article."  # type: ignore[union-attr]
    assert by_source["ok.txt"].external_id == "ok"  # type: ignore[union-attr]
    for name in ("empty.txt", "image.txt", "binary.jsonl", "missing.csv"):
        assert isinstance(by_source[name], Failure), name


def test_html_pages_give_their_metadata(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Harbour news</title>"
        "<meta property='og:site_name' content='Harbour Gazette'>"
        "<meta property='og:url' content='https://harbour.example/ferry'>"
        "<meta property='article:published_time' content='2024-02-05'>"
        "</head><body><article><h1>Ferry timetable cut</h1>"
        "<p>The island ferry will run four times a day from March, down from six, the "
        "operator said on Monday. Councillors called it a disgrace.</p>"
        "<p>The operator said fuel costs had doubled since last spring and that it had no "
        "other way to keep the service running through the winter months.</p>"
        "</article></body></html>"
    )
    (item,) = _read(page)
    assert isinstance(item, NewArticle)
    assert item.outlet == "Harbour Gazette"
    assert item.url == "https://harbour.example/ferry"
    assert item.published == date(2024, 2, 5)
    assert "fuel costs had doubled" in item.text


def test_export_and_import_round_trip(tmp_path: Path) -> None:
    model = ModelInfo("test-model", "1")
    text = 'They call it "progress". It is a disgrace.'
    with Store.open(str(tmp_path / "a.db")) as store:
        store.add_articles(
            [NewArticle(text, external_id="s1", title="T", outlet="Daily",
                        published=date(2024, 1, 2), extra={"desk": "city"})]
        )  # fmt: skip
        ((article_id, _),) = store.pending(model)
        at = text.index("a disgrace")
        spans = (Span(at, at + 10, "Loaded_Language", 0.61234), Span(0, 4, "Doubt", 0.2))
        store.save_results(model, [(article_id, Article("s1", text, spans, model))])
        stored = list(iter_articles(store, CorpusFilter(model)))

    jsonl = io.StringIO()
    assert write_jsonl(stored, jsonl) == 1
    line = json.loads(jsonl.getvalue())
    assert line["id"] == "s1" and line["text"] == text
    assert line["spans"] == [
        {"start": 0, "end": 4, "technique": "Doubt", "confidence": 0.2},
        {"start": 31, "end": 41, "technique": "Loaded_Language", "confidence": 0.6123},
    ]
    assert line["metadata"]["outlet"] == "Daily" and line["metadata"]["extra"] == {"desk": "city"}

    csv_out = io.StringIO()
    write_csv(stored, csv_out)
    rows = csv_out.getvalue().splitlines()
    assert rows[0].startswith("store_id,article_id,title,outlet")
    assert rows[1:] == [
        "1,s1,T,Daily,,2024-01-02,,test-model,1,Doubt,0,4,0.2000,They",
        "1,s1,T,Daily,,2024-01-02,,test-model,1,Loaded_Language,31,41,0.6123,a disgrace",
    ]

    ptc = io.StringIO()
    write_ptc(stored, ptc)
    assert ptc.getvalue() == "s1\tDoubt\t0\t4\ns1\tLoaded_Language\t31\t41\n"

    # The JSONL export reads back in with its metadata (spans are analysed again).
    exported = tmp_path / "export.jsonl"
    exported.write_text(jsonl.getvalue())
    (again,) = _read(exported)
    assert isinstance(again, NewArticle)
    assert (again.text, again.external_id, again.outlet, again.published) == (
        text,
        "s1",
        "Daily",
        date(2024, 1, 2),
    )
    assert again.extra["desk"] == "city"
