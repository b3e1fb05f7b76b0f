"""Reading corpora for the store: folders, JSONL and CSV, column mapping, bad records."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from unspin import Article, ArticleMeta, Corpus, Document, Failure, ModelInfo, Span
from unspin.corpus.store import Store
from unspin.corpus.store.queries import CorpusFilter, iter_articles
from unspin.formats import get_format
from unspin.formats.csv import COLUMNS, safe_cell
from unspin.io.records import Columns, Defaults, read_inputs


def _read(*paths: Path, **kwargs: object) -> list[Document | Failure]:
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
    assert first == Document(
        "a1",
        "One\n\nFirst story.",  # the headline is analysed as part of the article
        f"{feed}:1",
        ArticleMeta(
            title="One",
            outlet="Wire",
            published=date(2024, 5, 2),
            language="en",
            extra={"section": "politics"},
        ),
    )
    assert isinstance(bad_json, Failure) and bad_json.message.startswith(
        f"{feed}:2: not valid JSON"
    )
    assert (bad_json.source, bad_json.line, bad_json.where) == (str(feed), 2, f"{feed}:2")
    assert bad_json.reason.startswith("not valid JSON")
    assert isinstance(no_text, Failure) and "no text in field/column 'body'" in no_text.message
    assert isinstance(blank, Failure) and blank.message == f"{feed}:4: the text is empty"
    assert isinstance(not_object, Failure) and "must be a JSON object" in not_object.message
    assert isinstance(fourth, Document)
    assert fourth.meta.published is None
    assert fourth.meta.extra == {"published_unparsed": "next Tuesday"}
    assert fourth.meta.outlet == "Unknown Wire"  # the default fills what the record lacks
    assert fourth.meta.title == "Fourth story."  # no title: the first line stands in


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
    assert isinstance(first, Document)
    assert first.text == "Line one.\nLine two, with a comma."
    assert first.meta.outlet == "Daily"
    assert first.meta.published is None  # 05/03/2024 is ambiguous, so it is kept as text
    assert first.meta.extra == {"tags": "x", "published_unparsed": "05/03/2024"}
    assert isinstance(empty, Failure) and "no text" in empty.message
    assert isinstance(too_many, Failure) and "more cells than the header" in too_many.message
    assert too_many.where == f"{table}:5"  # the first record takes two lines
    assert isinstance(last, Document) and last.meta.published == date(2024, 3, 6)
    assert last.meta.extra == {}


def test_a_record_over_the_size_limit_fails_alone(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "x" * 20_000}) + "\n" + json.dumps({"text": "Small."}) + "\n"
    )
    big, small = _read(feed)
    assert isinstance(big, Failure)
    assert big.message == (
        f"{feed}:1: the text is 0.0 MB, over the 0.0 MB limit; raise the max_bytes setting "
        "(UNSPIN_MAX_BYTES) to accept it"
    )
    assert big.where == f"{feed}:1"
    assert isinstance(small, Document)


def test_a_csv_that_stops_being_utf8(tmp_path: Path) -> None:
    table = tmp_path / "legacy.csv"
    good = b"".join(b"Story number %d.\n" % n for n in range(5000))
    table.write_bytes(b"text\n" + good + b"Caf\xe9 story.\n")
    *read, last = _read(table)
    assert len(read) > 4000 and all(isinstance(item, Document) for item in read)
    assert isinstance(last, Failure)
    assert last.message.startswith(f"{table}: is not UTF-8 (reading stopped there")


def test_unreadable_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("A fine article.\nSecond line.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "binary.jsonl").write_bytes(bytes(range(256)))
    items = _read(tmp_path, tmp_path / "binary.jsonl", tmp_path / "missing.csv")
    by_source = {Path(item.source or "").name: item for item in items}
    ok = by_source["ok.txt"]
    assert isinstance(ok, Document)
    assert ok.meta.title == "A fine article."
    assert ok.id == "ok"
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
    assert isinstance(item, Document)
    assert item.meta.outlet == "Harbour Gazette"
    assert item.meta.url == "https://harbour.example/ferry"
    assert item.meta.published == date(2024, 2, 5)
    assert "fuel costs had doubled" in item.text


def test_export_and_import_round_trip(tmp_path: Path) -> None:
    model = ModelInfo("test-model", "1")
    text = 'They call it "progress". It is a disgrace.'
    with Store.open(str(tmp_path / "a.db")) as store:
        meta = ArticleMeta(
            title="T", outlet="Daily", published=date(2024, 1, 2), extra={"desk": "city"}
        )
        store.add_articles([Document("s1", text, None, meta)])
        ((article_id, _),) = store.pending(model)
        at = text.index("a disgrace")
        spans = (Span(at, at + 10, "Loaded_Language", 0.61234), Span(0, 4, "Doubt", 0.2))
        store.save_results(model, [(article_id, Article("s1", text, spans, model))])
        stored = [item.as_article() for item in iter_articles(store, CorpusFilter(model))]
    articles = [article for article in stored if article is not None]
    assert len(articles) == 1 and articles[0].store_id == article_id

    jsonl = io.StringIO()
    get_format("jsonl").write(articles, jsonl)
    (line,) = [json.loads(row) for row in jsonl.getvalue().splitlines()]
    assert line["id"] == "s1" and line["text"] == text
    # These results were made without attributions: no voice (not the author's).
    assert [(s["voice"], s["attribution"]) for s in line["spans"]] == [(None, None)] * 2
    assert [s["in_title"] for s in line["spans"]] == [False, False]  # the title is "T"
    dropped = ("voice", "attribution", "in_title")
    plain = [{k: v for k, v in s.items() if k not in dropped} for s in line["spans"]]
    assert plain == [
        {"start": 0, "end": 4, "technique": "Doubt", "confidence": 0.2},
        {"start": 31, "end": 41, "technique": "Loaded_Language", "confidence": 0.6123},
    ]
    assert line["metadata"]["outlet"] == "Daily" and line["metadata"]["extra"] == {"desk": "city"}
    assert line["store_id"] == article_id

    # Corpus.export writes the same lines through the same registry, and counts them; it
    # adds the article's score (rate and percentile in the corpus) to the metadata.
    with Corpus.open(str(tmp_path / "a.db"), model="test-model") as corpus:
        exported_lines = io.StringIO()
        assert corpus.export(exported_lines, "jsonl") == 1
    (exported,) = [json.loads(row) for row in exported_lines.getvalue().splitlines()]
    assert exported["metadata"].pop("score")["per_1000"] == 250.0  # 2 spans in 8 words
    assert exported == line

    csv_out = io.StringIO()
    get_format("csv").write(articles, csv_out)
    rows = csv_out.getvalue().splitlines()
    assert rows[0] == ",".join(COLUMNS)
    assert rows[0].startswith("store_id,article_id,title,outlet")
    assert rows[1:] == [
        # no score outside a corpus export; no voice or speaker: made without attributions
        "1,s1,T,Daily,,2024-01-02,,test-model,1,Doubt,0,4,0.2000,They,,,,,",
        "1,s1,T,Daily,,2024-01-02,,test-model,1,Loaded_Language,31,41,0.6123,a disgrace,,,,,",
    ]

    ptc = io.StringIO()
    get_format("ptc").write(articles, ptc)
    assert ptc.getvalue() == "s1\tDoubt\t0\t4\ns1\tLoaded_Language\t31\t41\n"

    # The JSONL export reads back in with its metadata (spans are analysed again); what the
    # store works out itself (content hash, score) is not kept as the input's own metadata.
    exported = tmp_path / "export.jsonl"
    exported.write_text(exported_lines.getvalue())
    (again,) = _read(exported)
    assert isinstance(again, Document)
    assert (again.text, again.id, again.meta.outlet, again.meta.published) == (
        text,
        "s1",
        "Daily",
        date(2024, 1, 2),
    )
    assert again.meta.extra == {"desk": "city"}


def test_csv_neutralises_spreadsheet_formulas() -> None:
    model = ModelInfo("test-model", "1")
    pieces = ['=HYPERLINK("http://evil.example")', "+1", "-2", "@SUM(A1)", "\tTAB", "plain"]
    text = " and ".join(pieces)
    spans = tuple(
        Span(text.index(piece), text.index(piece) + len(piece), "Doubt", 0.5) for piece in pieces
    )
    article = Article(
        "=cmd", text, spans, model, metadata={"title": "=1+1", "outlet": "@Daily"}, store_id=7
    )
    out = io.StringIO()
    get_format("csv").write([article], out)
    header, *rows = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert tuple(header) == COLUMNS
    assert [row[COLUMNS.index("text")] for row in rows] == [
        '\'=HYPERLINK("http://evil.example")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tTAB",
        "plain",  # text that is no formula is left as it is
    ]
    for row, span in zip(rows, spans, strict=True):
        assert row[:4] == ["7", "'=cmd", "'=1+1", "'@Daily"]
        assert row[10:13] == [str(span.start), str(span.end), "0.5000"]  # numbers stay numbers
    assert safe_cell("\rCR") == "'\rCR" and safe_cell(0.5) == 0.5
