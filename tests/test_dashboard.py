"""The dashboard's statistics and the pages around them: intervals, the timeline's periods and
outliers, phrases without function words, article scores, merged outlet names (library, CLI
and web page), the statistics cache, and the API page's inline code."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.test_web import HAND, build_corpus
from tests.texts import doc
from unspin import Article, Corpus, InputError, Span
from unspin.corpus.intervals import poisson_interval, rate_interval
from unspin.corpus.stopwords import is_function_only
from unspin.corpus.store import Store
from unspin.corpus.timeline import DayRow, build, choose_bucket
from unspin.web.app import create_app


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    path = tmp_path_factory.mktemp("hand") / "hand.db"
    return str(path), build_corpus(str(path))


@pytest.fixture
def hand_copy(hand_db: tuple[str, dict[str, int]], tmp_path: Path) -> str:
    """A copy of the hand-made corpus that a test may change."""
    copy = tmp_path / "copy.db"
    shutil.copy(hand_db[0], copy)
    return str(copy)


# -- intervals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [  # exact (Garwood) 95% Poisson limits, as tabulated (e.g. Ulm 1990)
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (2, 0.2422, 7.2247),
        (5, 1.6235, 11.6683),
        (10, 4.7954, 18.3904),
        (50, 37.1110, 65.9188),
        (100, 81.3640, 121.6268),
    ],
)
def test_poisson_intervals_are_the_exact_ones(count: int, low: float, high: float) -> None:
    found = poisson_interval(count)
    assert found == pytest.approx((low, high), abs=2e-4, rel=5e-5)


def test_rate_intervals_scale_to_1000_words() -> None:
    assert rate_interval(10, 2000) == pytest.approx((2.3977, 9.1952), abs=1e-4)
    assert rate_interval(3, 0) == (0.0, 0.0)


# -- timeline ---------------------------------------------------------------------------------


def _days(first: date, count: int, step: int = 1) -> list[DayRow]:
    return [DayRow(first + timedelta(days=i * step), 1, 100, {"Doubt": 1}) for i in range(count)]


def test_outliers_are_listed_not_drawn() -> None:
    bulk = _days(date(2016, 1, 4), 300, step=3)  # 2016 to 2018
    stray = [DayRow(date(1902, 5, 1), 1, 80, {}), DayRow(date(2099, 1, 1), 2, 90, {"Doubt": 1})]
    timeline = build(bulk + stray, today=date(2026, 12, 1))
    assert timeline.bucket == "month"
    assert timeline.periods[0].start == date(2016, 1, 1)
    assert timeline.periods[-1].start == date(2018, 6, 1)
    assert len(timeline.periods) == 30
    assert [(row.day, why) for row, why in timeline.outliers] == [
        (date(1902, 5, 1), "far"),
        (date(2099, 1, 1), "future"),
    ]
    assert timeline.outlier_articles == 3
    assert sum(p.articles for p in timeline.periods) == 300
    # Week by week on request; day by day over three years is too many bars to draw.
    assert build(bulk, bucket="week", today=date(2026, 12, 1)).periods[0].start == date(2016, 1, 4)
    with pytest.raises(InputError, match="too many"):
        build(bulk, bucket="day", today=date(2026, 12, 1))


def test_a_small_corpus_keeps_its_old_dates() -> None:
    """Under 20 dated articles there is no bulk to be far from: only future dates go."""
    days = [DayRow(date(1902, 5, 1), 1, 10, {}), *_days(date(2024, 1, 1), 5)]
    timeline = build(days, today=date(2026, 12, 1))
    assert timeline.outliers == [] and timeline.bucket == "year"
    assert len(timeline.periods) == 2024 - 1902 + 1


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(10, "day"), (90, "day"), (200, "week"), (5 * 365, "month"), (9000, "year")],
)
def test_the_period_is_the_finest_that_fits(days: int, bucket: str) -> None:
    first = date(2020, 1, 1)
    assert choose_bucket(first, first + timedelta(days=days - 1)) == bucket


# -- phrases ----------------------------------------------------------------------------------


def test_function_word_phrases() -> None:
    for phrase in ("if", "the", "of the", "What?", "...", "they're", "it’s", ""):
        assert is_function_only(phrase), phrase
    for phrase in ("radical", "if only traitors", "the shameless", "2024"):
        assert not is_function_only(phrase), phrase


def test_top_phrases_skip_function_words_however_many_there_are(tmp_path: Path) -> None:
    """Twenty function-word phrases outrank the one real phrase: the store is asked again
    for more until the real one is found."""
    words = "if the how what of and but so then when where why who which this that any all or no"
    text = (words + " ") * 3 + "radical agenda"
    spans = []
    offset = 0
    for word in text.split(" ")[:-2]:
        spans.append(Span(offset, offset + len(word), "Loaded_Language", 0.9))
        offset += len(word) + 1
    start = text.index("radical agenda")
    spans.append(Span(start, start + len("radical agenda"), "Loaded_Language", 0.9))
    with Store.open(str(tmp_path / "p.db")) as store:
        (article_id,) = store.add_articles([doc(text)]).ids
        ordered = tuple(sorted(spans, key=lambda s: (s.start, s.end)))
        store.save_results(HAND, [(article_id, Article("p", text, ordered, HAND))])
        top = Corpus(store).top_phrases(per_technique=1)
    assert [(p.phrase, p.spans) for p in top] == [("radical agenda", 1)]


# -- article scores ---------------------------------------------------------------------------

# Rates in the hand-made corpus: a1 3 spans in 100 words (30), b1 2 in 200 (10), a2 1 in 300
# (3.33), c1 0 in 50 (0). A percentile counts the articles below and half of the equal ones.
PERCENTILES = {"a1": 87.5, "b1": 62.5, "a2": 37.5, "c1": 12.5}


def test_article_scores(hand_db: tuple[str, dict[str, int]], tmp_path: Path) -> None:
    db, ids = hand_db
    with Corpus.open(db) as corpus:
        for key, percentile in PERCENTILES.items():
            score = corpus.article_score(ids[key])
            assert score is not None and score.articles == 4
            assert score.percentile == percentile, key
        a1 = corpus.article_score(ids["a1"])
        assert a1 is not None and (a1.spans, a1.words, a1.per_1000) == (3, 100, 30.0)
        assert corpus.article_score(10_000) is None
        out = io.StringIO()
        assert corpus.export(out, "json") == 4
        exported = {
            line["store_id"]: line["metadata"]["score"]
            for line in map(json.loads, out.getvalue().splitlines())
        }
        assert exported[ids["a1"]] == {
            "spans": 3, "words": 100, "per_1000": 30.0, "percentile": 87.5, "articles": 4
        }  # fmt: skip
        assert {exported[ids[k]]["percentile"] for k in PERCENTILES} == set(PERCENTILES.values())
        # Filtered exports still score each article against the whole corpus.
        out = io.StringIO()
        corpus.export(out, "csv", corpus.filter(outlets=("Weekly B",)))
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert {(r["article_per_1000"], r["article_percentile"]) for r in rows} == {
            ("10.0", "62.5")
        }
    with TestClient(create_app(db)) as client:
        data = client.get(f"/api/articles/{ids['a2']}").json()
        assert data["score"] == {
            "spans": 1, "words": 300, "per_1000": 3.3333, "percentile": 37.5, "articles": 4
        }  # fmt: skip
        page = client.get(f"/articles/{ids['a1']}?min_confidence=0.85").text
        assert "30.00 spans per 1,000 words" in page
        assert "more than in 88% of the 4 articles" in page  # 87.5, rounded half to even


# -- merged outlet names ----------------------------------------------------------------------


def test_outlets_command(hand_copy: str) -> None:
    from unspin.cli.app import app

    runner = CliRunner()
    merged = runner.invoke(
        app, ["outlets", "merge", "Daily A", "Weekly B", "--as", "Dailies", "--db", hand_copy]
    )
    assert merged.exit_code == 0, merged.output
    listed = runner.invoke(app, ["outlets", "list", "--db", hand_copy])
    assert listed.output.splitlines() == [
        "3\tDailies\t(merged: Daily A, Weekly B)",
        "1\t(unknown)",
    ]
    with Corpus.open(hand_copy) as corpus:
        assert {r.outlet for r in corpus.rates()} == {"Dailies", "(unknown)"}
    assert runner.invoke(app, ["outlets", "unmerge", "Weekly B", "--db", hand_copy]).exit_code == 0
    found = runner.invoke(app, ["outlets", "list", "--find", "weekly", "--db", hand_copy])
    assert found.output.splitlines() == ["1\tWeekly B"]
    again = runner.invoke(app, ["outlets", "unmerge", "Weekly B", "--db", hand_copy])
    assert again.exit_code != 0
    first = runner.invoke(app, ["outlets", "merge", "Weekly B", "Dailies", "--db", hand_copy])
    assert first.exit_code == 0  # without --as, the first name is kept
    with Corpus.open(hand_copy) as corpus:
        assert corpus.outlet_aliases() == {"Daily A": "Weekly B", "Dailies": "Weekly B"}


def test_the_outlets_page_merges_and_unmerges(hand_copy: str) -> None:
    with TestClient(create_app(hand_copy)) as client:
        before = client.get("/dashboard/rates.csv").text
        assert "Daily A," in before and "Weekly B," in before
        page = client.get("/outlets").text
        assert 'value="Daily A"' in page and "3 of 3 outlets" in page
        done = client.post(
            "/outlets/merge",
            data={"name": ["Daily A", "Weekly B"], "into": "Dailies"},
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/outlets?merged=Dailies"
        after = client.get("/dashboard/rates.csv").text
        assert "Dailies,Loaded_Language,4,600," in after and "Daily A" not in after
        assert client.get("/api/outlets").json()["outlets"][0] == {
            "name": "Dailies",
            "articles": 3,
            "merged": ["Daily A", "Weekly B"],
        }
        assert client.get("/corpus?outlet=Dailies").text.count('<a href="/articles/') == 3
        listed = client.get("/outlets?find=weekly").text
        assert "Dailies" in listed and "1 of 2 outlets" in listed
        undone = client.post("/outlets/unmerge", data={"unmerge": "Daily A"})
        assert undone.status_code == 200 and "Daily A is no longer merged" in undone.text
        assert "Daily A,Doubt,1,400" in client.get("/dashboard/rates.csv").text
        hostile = client.post(
            "/outlets/merge",
            data={"name": ["Weekly B"], "into": "Evil"},
            headers={"origin": "https://elsewhere.example"},
        )
        assert hostile.status_code == 403
        refused = client.post("/outlets/merge", data={"name": ["(unknown)"], "into": "X"})
        assert refused.status_code == 400 and "cannot be merged" in refused.text


def test_statistics_are_recomputed_when_the_data_changes(hand_copy: str) -> None:
    with Corpus.open(hand_copy) as corpus:
        first = corpus.rates()
        assert corpus.rates() is first  # cached
        corpus.merge_outlets(["Weekly B"], "Daily A")
        merged = corpus.rates()
        assert {r.outlet for r in merged} == {"Daily A", "(unknown)"}
        text = "Shameless lies again."
        (new_id,) = corpus.import_documents([doc(text, outlet="Late News")]).ids
        assert corpus.rates() is merged  # an article without a result changes no statistic
        with Store.open(hand_copy) as store:  # another writer, as a batch run would be
            span = Span(0, 9, "Loaded_Language", 0.9)
            store.save_results(HAND, [(new_id, Article("n", text, (span,), HAND))])
        assert ("Late News", "Loaded_Language") in {(r.outlet, r.technique) for r in corpus.rates()}


# -- the API page ---------------------------------------------------------------------------


def test_the_api_page_shows_inline_code(hand_db: tuple[str, dict[str, int]]) -> None:
    with TestClient(create_app(hand_db[0])) as client:
        page = client.get("/api").text
    assert "`" not in page.split('id="endpoints"', 1)[1]
    assert "With <code>store</code> (the default)" in page
