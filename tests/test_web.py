"""The web app and JSON API through a real HTTP client, over real SQLite and PostgreSQL stores.

The corpus numbers come from a store filled by hand (known spans, outlets, dates and word
counts), so every rate, week and phrase below is worked out by hand; the analyse tests run the
real model.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import postgres_url
from tests.texts import doc
from unspin import Analyzer
from unspin._article import Article, ModelInfo, Span
from unspin.corpus.store import Store
from unspin.web.app import create_app

HAND = ModelInfo("hand-v1", "1.0")
OPINION = (
    "The shameless councillors have betrayed every family in this town. Their reckless scheme "
    "is a disaster, and only fools still defend it. Every true patriot must stand up now!"
)
SCRIPT = "<script>window.pwned=1</script>"


def _filler(text: str, words: int) -> str:
    """``text`` padded with plain words to exactly ``words`` words."""
    have = len(text.split())
    return text + "".join(f" word{i}" for i in range(words - have))


def _spans(text: str, found: list[tuple[str, int, str, float]]) -> tuple[Span, ...]:
    """Spans from (phrase, occurrence, technique, confidence)."""
    spans = []
    for phrase, occurrence, technique, confidence in found:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(phrase, start + 1)
        spans.append(Span(start, start + len(phrase), technique, confidence))
    return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.technique)))


# (key, outlet, published, words, text, spans)
CORPUS = [
    (
        "a1",
        "Daily A",
        date(2024, 1, 1),
        100,
        "The shameless scheme failed. Can we trust them? The shameless scheme again.",
        [
            ("shameless scheme", 0, "Loaded_Language", 0.9),
            ("shameless scheme", 1, "Loaded_Language", 0.6),
            ("Can we trust them?", 0, "Doubt", 0.8),
        ],
    ),
    ("a2", "Daily A", date(2024, 1, 10), 300, "A reckless plan.", [
        ("reckless plan", 0, "Loaded_Language", 0.7),
    ]),
    (
        "b1",
        "Weekly B",
        date(2024, 1, 3),
        200,
        "True patriots stand firm. The shameless scheme returns.",
        [
            ("True patriots", 0, "Flag-Waving", 0.95),
            ("shameless scheme", 0, "Loaded_Language", 0.4),
        ],
    ),
    ("c1", None, None, 50, "Nothing to see here.", []),
]  # fmt: skip


def build_corpus(db: str) -> dict[str, int]:
    """A store with the hand-made results of ``CORPUS``; returns the stored ids by key."""
    ids: dict[str, int] = {}
    with Store.open(db) as store:
        results: list[tuple[int, Article | str]] = []
        for key, outlet, published, words, head, found in CORPUS:
            text = _filler(head, words)
            added = store.add_articles(
                [doc(text, title=f"Article {key}", outlet=outlet, published=published)]
            )
            ids[key] = added.ids[0]
            results.append((ids[key], Article(key, text, _spans(text, found), HAND)))
        store.save_results(HAND, results)
    return ids


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, int]]:
    """The hand-made corpus in a SQLite file, then on the test PostgreSQL server."""
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("corpus") / "corpus.db")
    else:
        db = postgres_url()
    return db, build_corpus(db)


@pytest.fixture(scope="module")
def corpus(corpus_db: tuple[str, dict[str, int]]) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_db[0])) as client:
        yield client


@pytest.fixture
def live(tmp_path: Path, fixture_analyzer: Analyzer) -> Iterator[TestClient]:
    """An app over an empty store with the real model and a small size limit."""
    app = create_app(str(tmp_path / "live.db"), analyzer=fixture_analyzer, max_bytes=2000)
    with TestClient(app) as client:
        yield client


def _error(response: object, status: int) -> str:
    assert getattr(response, "status_code") == status  # noqa: B009
    body = response.json()  # type: ignore[attr-defined]
    assert body["error"]["status"] == status
    return str(body["error"]["message"])


# -- corpus statistics, by hand ---------------------------------------------------------------


def test_rates_csv_and_api_match_the_hand_computed_numbers(corpus: TestClient) -> None:
    response = corpus.get("/dashboard/rates.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    # The exact 95% Poisson intervals of the counts (tables: 0 spans -> 0 to 3.6889, 1 ->
    # 0.0253 to 5.5716, 3 -> 0.6187 to 8.7673), per 1,000 words.
    assert response.text.splitlines() == [
        "outlet,technique,spans,words,per_1000,low_95,high_95",
        "(unknown),,0,50,0.0,0.0,73.7776",
        "Daily A,Doubt,1,400,2.5,0.0633,13.9291",
        "Daily A,Loaded_Language,3,400,7.5,1.5467,21.9182",
        "Weekly B,Flag-Waving,1,200,5.0,0.1266,27.8582",
        "Weekly B,Loaded_Language,1,200,5.0,0.1266,27.8582",
    ]
    rates = corpus.get("/api/stats/rates").json()
    assert rates["model"] == {"name": "hand-v1", "version": "1.0"}
    assert {(r["outlet"], r["technique"]): r["per_1000"] for r in rates["rates"]} == {
        ("(unknown)", ""): 0.0,
        ("Daily A", "Doubt"): 2.5,
        ("Daily A", "Loaded_Language"): 7.5,
        ("Weekly B", "Flag-Waving"): 5.0,
        ("Weekly B", "Loaded_Language"): 5.0,
    }


def test_filters_reach_the_csv(corpus: TestClient) -> None:
    # At 0.65 the 0.6 and 0.4 spans drop out; Weekly B keeps its words but loses its LL row.
    text = corpus.get("/dashboard/rates.csv?min_confidence=0.65&outlet=Daily+A").text
    assert [line.rsplit(",", 2)[0] for line in text.splitlines()[1:]] == [
        "Daily A,Doubt,1,400,2.5",
        "Daily A,Loaded_Language,2,400,5.0",
    ]
    since = corpus.get("/dashboard/rates.csv?since=2024-01-05").text
    assert [line.rsplit(",", 2)[0] for line in since.splitlines()[1:]] == [
        "Daily A,Loaded_Language,1,300,3.3333"
    ]


def test_timeline_by_week(corpus: TestClient) -> None:
    # a1 (Mon 1 Jan) and b1 (Wed 3 Jan) share a week; a2 (10 Jan) is the next; c1 has no date.
    assert corpus.get("/dashboard/timeline.csv?bucket=week").text.splitlines() == [
        "week,articles,words,spans,per_1000,Doubt,Flag-Waving,Loaded_Language",
        "2024-01-01,2,300,5,16.6667,1,1,3",
        "2024-01-08,1,300,1,3.3333,0,0,1",
    ]
    weekly = corpus.get("/api/stats/timeline?bucket=week").json()
    assert weekly["bucket"] == "week" and weekly["undated"] == 1
    assert [(w["start"], w["total"], w["spans"]) for w in weekly["periods"]] == [
        ("2024-01-01", 5, {"Doubt": 1, "Flag-Waving": 1, "Loaded_Language": 3}),
        ("2024-01-08", 1, {"Loaded_Language": 1}),
    ]
    # Ten days of news: "auto" draws them day by day.
    daily = corpus.get("/api/stats/timeline").json()
    assert daily["bucket"] == "day" and len(daily["periods"]) == 10
    assert corpus.get("/dashboard/timeline.csv").text.splitlines()[1] == (
        "2024-01-01,1,100,3,30.0,1,0,2"
    )
    assert corpus.get("/api/stats/timeline?bucket=hour").status_code == 400


def test_top_phrases(corpus: TestClient) -> None:
    assert corpus.get("/dashboard/phrases.csv").text.splitlines() == [
        "technique,phrase,spans,articles",
        "Doubt,can we trust them?,1,1",
        "Flag-Waving,true patriots,1,1",
        "Loaded_Language,shameless scheme,3,2",
        "Loaded_Language,reckless plan,1,1",
    ]
    phrases = corpus.get("/api/stats/phrases?technique=Loaded_Language&per_technique=1").json()
    assert phrases["phrases"] == [
        {"technique": "Loaded_Language", "phrase": "shameless scheme", "spans": 3, "articles": 2}
    ]


def test_dashboard_charts_and_tables_show_the_same_numbers(corpus: TestClient) -> None:
    html = corpus.get("/dashboard?min_articles=1&bucket=week").text
    bars = re.findall(
        r'<g class="bar" data-group="([^"]*)" data-label="([^"]*)" data-value="([^"]*)"', html
    )
    # Outlets ranked by rate: Daily A 4 spans in 400 words, Weekly B 2 in 200, unknown 0 in 50.
    assert bars[:3] == [
        ("", "Daily A", "10.00"),
        ("", "Weekly B", "10.00"),
        ("", "(unknown)", "0.00"),
    ]
    assert ("", "Loaded language", "6.15") in bars  # 4 spans in 650 words, all outlets
    assert ("Loaded language", "shameless scheme", "3") in bars  # the phrases chart
    assert html.count("<svg") == 4 and html.count("<title") >= 4 + len(bars)
    assert html.count('<path class="ci"') == 3 + 3  # an interval on each outlet and technique
    week_bars = re.findall(
        r'<g class="bar" data-label="(\d{4}-\d\d-\d\d)" data-value="([^"]*)"', html
    )
    assert week_bars == [("2024-01-01", "16.67"), ("2024-01-08", "3.33")]
    outlets = html.split('id="outlets-table"', 1)[1].split("</table>", 1)[0]
    assert re.search(
        r'<td class="num">1</td>\s*<td class="name"><a href="/dashboard\?outlet=Daily\+A">Daily A'
        r'</a></td>\s*<td class="num">2</td><td class="num">400</td>\s*<td class="num">4</td>'
        r'<td class="num">10.00</td>\s*<td class="num">2.72–25.60</td>',  # 1.0899 to 10.2416
        outlets,
    )
    table = html.split('id="rates-table"', 1)[1].split("</table>", 1)[0]
    row = r'<td class="name">Daily A</td><td>Loaded language</td>\s*<td class="num">3</td>'
    assert re.search(row + r'<td class="num">400</td>\s*<td class="num">7.50</td>', table)
    assert 'href="/dashboard/rates.csv"' in html
    filtered = corpus.get("/dashboard?outlet=Daily+A&since=2024-01-01").text
    assert 'href="/dashboard/timeline.csv?outlet=Daily+A&amp;since=2024-01-01"' in filtered
    # The default minimum (5 articles) ranks none of these small outlets, and says so.
    default = corpus.get("/dashboard").text
    assert "outlets-table" not in default and "lower the minimum" in default
    assert "the default minimum is 5" in default
    assert "3 with fewer are not ranked" in default
    found = corpus.get("/dashboard?find=weekly").text
    assert "1 outlet match" in found and ">Weekly B</a>" in found and ">Daily A</a>" not in found
    by_count = corpus.get("/dashboard?min_articles=1&rank=articles").text
    ranked = re.findall(r'<td class="name"><a href="[^"]*">([^<]+)</a>', by_count)
    assert ranked == ["Daily A", "Weekly B", "(unknown)"]  # 2, 1 and 1: the higher rate first
    csv = corpus.get("/dashboard/outlets.csv?min_articles=2").text.splitlines()
    assert csv[:2] == [
        "rank,outlet,articles,words,spans,per_1000,low_95,high_95",
        "1,Daily A,2,400,4,10.0,2.7247,25.604",
    ]
    assert csv[2].startswith(",(unknown),1,50,0")


def test_compare_two_outlets(corpus: TestClient) -> None:
    html = corpus.get("/compare?a=Daily+A&b=Weekly+B").text
    table = html.split('id="compare-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>([^<]+)</td>((?:\s*<td class=\"num\">[^<]*</td>)+)", table)
    cells = {name: re.findall(r">([^<]*)</td>", rest) for name, rest in rows}
    assert cells == {
        "Doubt": ["1", "2.50", "0.06–13.93", "0", "0.00", "0.00–18.44"],
        "Flag-waving": ["0", "0.00", "0.00–9.22", "1", "5.00", "0.13–27.86"],
        "Loaded language": ["3", "7.50", "1.55–21.92", "1", "5.00", "0.13–27.86"],
    }
    sides = html.split('id="compare-sides"', 1)[1].split("</table>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", sides).split())
    assert "Daily A 2 400 4 10.00 2.72–25.60" in text
    assert "Weekly B 1 200 2 10.00 1.21–36.12" in text
    assert html.count("fewer than the 5 the dashboard needs") == 2
    assert corpus.get("/compare.csv?a=Daily+A&b=Weekly+B").text.splitlines() == [
        "technique,outlet_a,spans_a,words_a,per_1000_a,low_95_a,high_95_a,"
        "outlet_b,spans_b,words_b,per_1000_b,low_95_b,high_95_b",
        "Doubt,Daily A,1,400,2.5,0.0633,13.9291,Weekly B,0,200,0.0,0.0,18.4444",
        "Flag-Waving,Daily A,0,400,0.0,0.0,9.2222,Weekly B,1,200,5.0,0.1266,27.8582",
        "Loaded_Language,Daily A,3,400,7.5,1.5467,21.9182,Weekly B,1,200,5.0,0.1266,27.8582",
    ]
    by_difference = corpus.get("/compare.csv?a=Daily+A&b=Weekly+B&order=difference").text
    assert [line.split(",")[0] for line in by_difference.splitlines()[1:]] == [
        "Flag-Waving",  # 5.0 apart
        "Doubt",  # 2.5
        "Loaded_Language",  # 2.5: ties keep the usual order
    ]
    same = corpus.get("/compare?a=Daily+A&b=Daily+A")
    assert same.status_code == 400 and "two different outlets" in same.text


def test_corpus_list_filters_and_api(
    corpus: TestClient, corpus_db: tuple[str, dict[str, int]]
) -> None:
    ids = corpus_db[1]
    page = corpus.get("/corpus?technique=Doubt").text
    assert "1 article<" in page and f'href="/articles/{ids["a1"]}"' in page
    listed = corpus.get("/api/articles", params={"outlet": "Daily A"}).json()
    assert listed["total"] == 2
    assert [a["store_id"] for a in listed["articles"]] == [ids["a2"], ids["a1"]]  # newest first
    assert listed["articles"][0]["url"].endswith(f"/articles/{ids['a2']}")
    assert corpus.get("/api/articles?q=PATRIOTS").json()["total"] == 1
    assert (
        corpus.get("/api/articles?limit=1&offset=1").json()["articles"][0]["store_id"] == ids["b1"]
    )
    assert corpus.get("/api/outlets").json()["outlets"][0] == {
        "name": "Daily A",
        "articles": 2,
        "merged": [],
    }
    models = corpus.get("/api/models").json()
    assert models["models"] == [{"name": "hand-v1", "version": "1.0", "articles": 4}]


def test_article_page_applies_min_confidence_on_the_server(
    corpus: TestClient, corpus_db: tuple[str, dict[str, int]]
) -> None:
    a1 = corpus_db[1]["a1"]
    full = corpus.get(f"/articles/{a1}").text
    assert full.count('<mark class="hl" ') == 3 and 'class="hl off"' not in full
    html = corpus.get(f"/articles/{a1}?min_confidence=0.65").text
    assert html.count('<mark class="hl" ') == 2 and html.count('<mark class="hl off"') == 1
    legend = html.split('id="legend"', 1)[1].split("</table>", 1)[0]
    counts = dict(
        re.findall(r'data-technique="([^"]+)".*?<td class="num count">(\d+)</td>', legend, re.S)
    )
    assert counts == {"Loaded_Language": "1", "Doubt": "1"}
    assert 'value="0.65"' in html and "2</span> of 3 highlights shown" in html
    data = corpus.get(f"/api/articles/{a1}?min_confidence=0.65").json()
    assert [s["confidence"] for s in data["spans"]] == [0.9, 0.8]
    assert data["metadata"]["outlet"] == "Daily A" and data["status"] == "done"


# -- analysing --------------------------------------------------------------------------------


def test_api_analyze_stores_the_result_at_a_permanent_address(live: TestClient) -> None:
    body = {"text": OPINION, "title": "Opinion", "outlet": "Test Post", "published": "2024-02-01"}
    data = live.post("/api/analyze", json=body).json()
    assert data["text"] == OPINION and data["spans"], "the model finds techniques in this text"
    assert data["model"]["name"] == "unspin-fixture-v1"
    meta = {"title": "Opinion", "outlet": "Test Post", "published": "2024-02-01"}
    assert data["metadata"].items() >= meta.items()
    store_id = data["store_id"]
    assert data["url"] == f"http://testserver/articles/{store_id}"
    again = live.get(f"/api/articles/{store_id}").json()
    assert again["spans"] == data["spans"] and again["text"] == OPINION
    page = live.get(f"/articles/{store_id}").text
    assert page.count("<mark ") == len(data["spans"])
    assert live.get("/dashboard").status_code == 200  # the store now has a result to show
    not_kept = live.post("/api/analyze", json={"text": "Only cowards disagree.", "store": False})
    assert not_kept.json()["store_id"] is None and not_kept.json()["url"] is None
    assert live.get("/api/articles").json()["total"] == 1


def test_script_in_an_article_stays_text(live: TestClient) -> None:
    text = f"Shameless traitors run this town. {SCRIPT} They must go!"
    store_id = live.post(
        "/api/analyze", json={"text": text, "title": SCRIPT, "outlet": SCRIPT}
    ).json()["store_id"]
    for path in (f"/articles/{store_id}", "/corpus", "/dashboard", f"/compare?a={SCRIPT}&b=x"):
        html = live.get(path).text
        assert "<script>window" not in html, path
    page = live.get(f"/articles/{store_id}").text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    form = live.post("/analyze", data={"text": text + " Again."})
    assert form.status_code == 200 and "<script>window" not in form.text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in form.text
    assert "script-src 'self'" in form.headers["content-security-policy"]


def test_the_analyse_form_stores_and_links(live: TestClient) -> None:
    response = live.post("/analyze", data={"text": OPINION, "outlet": "Form News"})
    assert response.status_code == 200
    link = re.search(r'id="permalink" href="(/articles/(\d+))"', response.text)
    assert link, "the result links to its stored page"
    assert "Form News" in live.get(link.group(1)).text
    empty = live.post("/analyze", data={"text": "   "})
    assert empty.status_code == 400 and "paste the text of an article" in empty.text


def test_upload_html_and_binary_files(live: TestClient) -> None:
    html = b"<!DOCTYPE html><html><head><title>Town news</title></head><body><article><p>" + (
        OPINION.encode() + b"</p></article></body></html>"
    )
    ok = live.post("/analyze", files={"file": ("news.html", html, "text/html")}, data={"text": ""})
    assert ok.status_code == 200 and "betrayed every family" in ok.text
    binary = live.post(
        "/analyze", files={"file": ("photo.txt", b"\x89PNG\r\n\x1a\n\0\0", "text/plain")}
    )
    assert binary.status_code == 400
    assert "photo.txt: this is a PNG image, not text" in binary.text
    assert "unspin-upload" not in binary.text  # the temporary copy is not named


# -- errors and limits ------------------------------------------------------------------------


def test_json_errors(live: TestClient) -> None:
    assert "empty" in _error(live.post("/api/analyze", json={"text": ""}), 400)
    assert _error(live.post("/api/analyze", json={}), 422) == "text: Field required"
    assert "published" in _error(
        live.post("/api/analyze", json={"text": "x", "published": "soon"}), 422
    )
    assert _error(live.get("/api/articles/12345"), 404) == "no article with id 12345 in this store"
    assert _error(live.get("/api/articles?limit=0"), 422).startswith("limit:")
    assert "not a technique" in _error(live.get("/api/stats/rates?technique=Lies"), 400)
    assert "limit" in _error(live.post("/api/analyze", json={"text": "é" * 1500}), 400)
    missing = live.get("/articles/12345")
    assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text


def test_bodies_over_the_limit_are_refused(live: TestClient) -> None:
    limit = 4 * 2000 + 64 * 1024
    big = b'{"text": "' + b"a" * limit + b'"}'
    message = _error(
        live.post("/api/analyze", content=big, headers={"content-type": "application/json"}), 413
    )
    assert "limit" in message

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it arrives
        yield b'{"text": "'
        for _ in range(limit // 8192 + 2):
            yield b"a" * 8192
        yield b'"}'

    chunked = live.post(
        "/api/analyze", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in chunked.request.headers
    _error(chunked, 413)


def test_empty_store_pages_say_what_to_do(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "empty.db"))) as client:
        for path in ("/corpus", "/dashboard", "/compare"):
            response = client.get(path)
            assert response.status_code == 200 and "No analysed articles yet" in response.text
        assert client.get("/api/stats/rates").json() == {"model": None, "rates": []}
        assert (
            client.get("/dashboard/rates.csv").text.strip()
            == "outlet,technique,spans,words,per_1000,low_95,high_95"
        )


def test_api_page_lists_the_schema_and_swagger_is_off(corpus: TestClient) -> None:
    schema = corpus.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        *("/api/analyze", "/api/articles", "/api/articles/{store_id}", "/api/stats/rates"),
        *("/api/stats/timeline", "/api/stats/phrases", "/api/outlets", "/api/models"),
    } <= paths
    assert not any(p.startswith(("/corpus", "/dashboard")) for p in paths)
    page = corpus.get("/api").text
    for path in paths:
        assert path in page
    assert "text, title?, outlet?, url?, published?, store?" in page
    assert corpus.get("/docs").status_code == 404 and corpus.get("/redoc").status_code == 404
    assert corpus.get("/static/unspin.js").status_code == 200


def test_serve_help_and_lazy_imports() -> None:
    from typer.testing import CliRunner

    from unspin.cli.app import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "unspin serve --db corpus.db" in result.output and "--port" in result.output
    code = "import sys, unspin.cli.app; print('fastapi' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
