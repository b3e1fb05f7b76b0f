"""Who says what, everywhere users look: voices on spans, attributions in the output, the
store (and its upgrade from 0.2), export filters and the web article page. These tests use the
fixture model and its fixed quotation rule; the attribution model's quality is tested (and
scored on PolNeAR) elsewhere."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from unspin import Analyzer, Article, Corpus, Document
from unspin._article import Attribution, Piece, voice_of
from unspin.corpus.store import Store
from unspin.formats import get_format
from unspin.web.app import create_app

TEXT = (
    '"They are traitors, every one of them," said Ann Price on Monday. '
    "The council called the plan shameful. Stop them now."
)


@pytest.fixture(scope="module")
def fixture(fixture_analyzer: Analyzer) -> Analyzer:
    return fixture_analyzer


def test_spans_know_their_voice_and_attribution(fixture: Analyzer) -> None:
    article = fixture.analyze(TEXT)
    assert article.attributions is not None and len(article.attributions) == 1
    (said,) = article.attributions
    assert said.speaker == "Ann Price" and said.cue is not None and said.cue.text == "said"
    assert TEXT[said.content.start : said.content.end] == said.content.text
    voices = {article.span_text(s): (s.voice, s.attribution) for s in article.spans}
    assert voices == {
        "traitors": ("quoted", 0),
        "shameful": ("author", None),
        "Stop them now": ("author", None),
    }
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again.attributions == article.attributions
    assert [(s.voice, s.attribution) for s in again.spans] == [
        (s.voice, s.attribution) for s in article.spans
    ]


def test_without_the_stage_voices_are_unknown_not_the_authors() -> None:
    article = Analyzer.load("unspin-fixture-v1", attribution="none").analyze(TEXT)
    assert article.attributions is None
    assert article.spans and all(s.voice is None for s in article.spans)
    data = article.to_dict()
    assert data["attributions"] is None and data["spans"][0]["voice"] is None


def test_voice_of_needs_half_the_span_inside_a_content() -> None:
    text = 'He said "a b c d" and more.'
    quote = Attribution(None, None, Piece.of(text, 8, 17), None, "unknown", "direct", 1.0)
    assert voice_of(9, 12, [quote]) == ("quoted", 0)
    assert voice_of(14, 22, [quote]) == ("author", None)  # 3 of 8 characters inside
    assert voice_of(0, 2, []) == ("author", None)


def test_reports_show_quoted_spans_apart_and_name_the_speaker(fixture: Analyzer) -> None:
    article = fixture.analyze(TEXT)
    out = io.StringIO()
    get_format("terminal").write([article], out)
    terminal = out.getvalue()
    assert "In the author's voice" in terminal and "Quoted" in terminal
    assert terminal.index("Quoted") < terminal.index("Ann Price", terminal.index("Quoted"))
    out = io.StringIO()
    get_format("html").write([article], out)
    report = out.getvalue()
    assert '<span class="who" data-who="Ann Price"></span>' in report
    assert "said by Ann Price" in report and '<span class="quote">' in report
    out = io.StringIO()
    get_format("csv").write([article], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    found = {(r["text"], r["voice"], r["speaker"]) for r in rows}
    assert ("traitors", "quoted", "Ann Price") in found
    assert ("shameful", "author", "") in found


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_the_store_keeps_attributions_and_voices(db_url: str, fixture: Analyzer) -> None:
    article = fixture.analyze(TEXT)
    plain = Analyzer.load("unspin-fixture-v1", attribution="none").analyze("Stop them now.")
    with Corpus.open(db_url, "unspin-fixture-v1", analyzer=fixture) as corpus:
        ids = corpus.import_documents([Document("a", TEXT), Document("b", "Stop them now.")]).ids
        with Store.open(db_url) as store:
            store.save_results(fixture.model, [(ids[0], article), (ids[1], plain)])
        first, second = corpus.get(ids[0]), corpus.get(ids[1])
        assert first is not None and first.article is not None
        assert first.article.attributions == article.attributions
        assert first.article.spans == article.spans
        assert second is not None and second.article is not None
        assert second.article.attributions is None  # no attribution, not the author's voice
        assert all(s.voice is None for s in second.article.spans)

        quoted = list(corpus.iter_articles(corpus.filter(voice="quoted")))
        assert [a.id for a in quoted] == [ids[0]]
        assert [s.technique for s in quoted[0].article.spans] == ["Name_Calling,Labeling"]  # type: ignore[union-attr]
        by_speaker = list(corpus.iter_articles(corpus.filter(speaker="Ann Price")))
        assert [a.id for a in by_speaker] == [ids[0]]
        assert not list(corpus.iter_articles(corpus.filter(speaker="Somebody Else")))
        authors = {r.technique: r.spans for r in corpus.rates(corpus.filter(voice="author"))}
        assert authors == {"Loaded_Language": 1, "Slogans": 1}  # "b" has no voices at all

        # Corpus views: only results made with attributions count ("b" is left out).
        (voices,) = corpus.voice_rates()
        words = len(TEXT.split())
        assert (voices.articles, voices.words, voices.author, voices.quoted) == (1, words, 2, 1)
        assert voices.author_per_1000 == pytest.approx(2000 / words)
        (speaker,) = corpus.top_speakers()
        assert (speaker.speaker, speaker.speaker_kind, speaker.attributions) == (
            "Ann Price",
            "person",
            1,
        )
        (share,) = corpus.source_shares()
        assert (share.attributions, share.anonymous, share.anonymous_share) == (1, 0, 0.0)


def test_export_filters_by_voice_and_speaker(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": TEXT, "outlet": "Daily"}) + "\n")
    db = str(tmp_path / "c.db")
    import os

    env = {
        **os.environ,
        "UNSPIN_MODEL": "unspin-fixture-v1",
        "UNSPIN_ATTRIBUTION": "unspin-attribution-v1",
    }

    def unspin(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "unspin", *args], capture_output=True, text=True, env=env
        )

    assert unspin("batch", str(feed), "--db", db).returncode == 0
    quoted = unspin("export", "--db", db, "--voice", "quoted", "-f", "csv")
    assert quoted.returncode == 0, quoted.stderr
    rows = list(csv.DictReader(io.StringIO(quoted.stdout)))
    assert [(r["text"], r["voice"], r["speaker"]) for r in rows] == [
        ("traitors", "quoted", "Ann Price")
    ]
    bad = unspin("export", "--db", db, "--voice", "theirs")
    assert bad.returncode == 2 and "choose author or quoted" in bad.stderr


def test_the_article_page_marks_quotations_and_speakers(tmp_path: Path, fixture: Analyzer) -> None:
    app = create_app(str(tmp_path / "w.db"), analyzer=fixture)
    with TestClient(app) as client:
        data = client.post("/api/analyze", json={"text": TEXT}).json()
        assert data["attributions"][0]["speaker"] == "Ann Price"
        assert {s["voice"] for s in data["spans"]} == {"quoted", "author"}
        page = client.get(f"/articles/{data['store_id']}").text
        assert 'class="who" data-who="Ann Price"' in page
        assert 'id="quotes"' in page and "quoted: Ann Price" in page
        filtered = client.get("/api/articles?voice=quoted").json()
        assert filtered["total"] == 1
        assert client.get("/api/articles?voice=nobody").status_code == 400


def test_the_voices_page_and_api(tmp_path: Path, fixture: Analyzer) -> None:
    app = create_app(str(tmp_path / "v.db"), analyzer=fixture)
    other = 'Officials said the plan was "a disaster", unnamed sources told reporters. Shameful.'
    with TestClient(app) as client:
        assert "No analysed articles" in client.get("/voices").text
        for text, outlet in ((TEXT, "Daily"), (other, "Weekly")):
            response = client.post("/api/analyze", json={"text": text, "outlet": outlet})
            assert response.status_code == 200
        page = client.get("/voices").text
        assert 'id="voices-table"' in page and "Ann Price (1)" in page
        api = client.get("/api/stats/voices").json()["outlets"]
        daily = next(o for o in api if o["outlet"] == "Daily")
        assert (daily["author_spans"], daily["quoted_spans"]) == (2, 1)
        weekly = next(o for o in api if o["outlet"] == "Weekly")
        assert (weekly["author_spans"], weekly["quoted_spans"]) == (1, 1)
        # Ranked by the author's voice: Weekly's single author span is in fewer words.
        assert [o["outlet"] for o in api] == sorted(
            ["Daily", "Weekly"],
            key=lambda n: -next(o for o in api if o["outlet"] == n)["author_per_1000"],
        )
        speakers = client.get("/api/stats/speakers").json()
        assert [(s["outlet"], s["speaker"]) for s in speakers["speakers"]] == [
            ("Daily", "Ann Price")
        ]
        rows = client.get("/voices.csv").text.splitlines()
        assert rows[0].startswith("outlet,articles,words,author_spans")
        assert len(rows) == 3
        quoted_first = client.get("/voices?rank=quoted")
        assert quoted_first.status_code == 200
        assert client.get("/voices?rank=nonsense").status_code == 422


def test_headlines_are_analysed_and_their_spans_marked(tmp_path: Path, fixture: Analyzer) -> None:
    from unspin.io.records import Columns, Defaults, record_document

    record = {"title": "Traitors in the town hall", "text": "The council met. It was a disaster."}
    document = record_document(record, "feed.jsonl", 1, Columns(), Defaults(), 10_000)
    assert document.text == "Traitors in the town hall\n\nThe council met. It was a disaster."
    again = record_document(
        {"title": "Traitors in the town hall", "text": document.text},
        "f",
        2,
        Columns(),
        Defaults(),
        10_000,
    )
    assert again.text == document.text  # a text that starts with its title is kept as it is
    article = fixture.analyze_many([document]).__next__()
    marks = {article.span_text(s): s.in_title for s in article.spans}
    assert marks == {"Traitors": True, "disaster": False}
    assert article.to_dict()["spans"][0]["in_title"] is True
    with Corpus.open(str(tmp_path / "h.db"), analyzer=fixture) as corpus:
        corpus.import_records([record])
        corpus.analyse()
        (stored,) = list(corpus.iter_articles())
        assert stored.article is not None
        assert [s.in_title for s in stored.article.spans] == [True, False]
        out = io.StringIO()
        corpus.export(out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["text"], r["in_title"]) for r in rows] == [("Traitors", "yes"), ("disaster", "")]


def test_compare_shows_both_voices(tmp_path: Path, fixture: Analyzer) -> None:
    app = create_app(str(tmp_path / "c.db"), analyzer=fixture)
    with TestClient(app) as client:
        client.post("/api/analyze", json={"text": TEXT, "outlet": "Daily"})
        client.post("/api/analyze", json={"text": "Stop them now. Shameful.", "outlet": "Weekly"})
        page = client.get("/compare?a=Daily&b=Weekly").text
        table = page[page.index('id="compare-voices"') :]
        assert "Daily" in table and "Weekly" in table
        words = len(TEXT.split())
        assert f"{2000 / words:.2f}" in table and f"{1000 / words:.2f}" in table


def test_the_dashboard_ranks_outlets_by_their_own_voice(tmp_path: Path, fixture: Analyzer) -> None:
    app = create_app(str(tmp_path / "d.db"), analyzer=fixture)
    with TestClient(app) as client:
        for n in range(5):  # the dashboard ranks outlets with at least min_articles (5)
            client.post("/api/analyze", json={"text": f"{TEXT} ({n})", "outlet": "Daily"})
            client.post(
                "/api/analyze", json={"text": f"Shameful, all of it. ({n})", "outlet": "Weekly"}
            )
        page = client.get("/dashboard").text
        table = page[page.index('id="dashboard-voices"') :]
        assert table.index("Weekly") < table.index("Daily")  # more of its own loaded words


def test_the_article_score_splits_voices(tmp_path: Path, fixture: Analyzer) -> None:
    app = create_app(str(tmp_path / "s.db"), analyzer=fixture)
    with TestClient(app) as client:
        data = client.post("/api/analyze", json={"text": TEXT, "outlet": "Daily"}).json()
        client.post("/api/analyze", json={"text": "Calm words only.", "outlet": "Daily"})
        score = client.get(f"/api/articles/{data['store_id']}").json()["score"]
        words = len(TEXT.split())
        assert score["author_per_1000"] == round(2000 / words, 4)
        assert score["quoted_per_1000"] == round(1000 / words, 4)
        assert score["author_percentile"] == 75.0  # above the calm article, of two
        page = client.get(f"/articles/{data['store_id']}").text
        assert 'id="score-voices"' in page


def test_web_csv_downloads_neutralise_formulas(tmp_path: Path, fixture: Analyzer) -> None:
    """An outlet name or a phrase that a spreadsheet would run stays text in every download."""
    app = create_app(str(tmp_path / "f.db"), analyzer=fixture)
    hostile = '=HYPERLINK("http://evil.example")'
    with TestClient(app) as client:
        for n in range(5):
            body = {"text": f"{TEXT} ({n})", "outlet": hostile}
            assert client.post("/api/analyze", json=body).status_code == 200
        for path in ("/dashboard/rates.csv", "/dashboard/outlets.csv", "/voices.csv"):
            rows = list(csv.reader(io.StringIO(client.get(path).text)))
            cells = [cell for row in rows[1:] for cell in row]
            assert "'" + hostile in cells, path
            assert hostile not in cells, path
