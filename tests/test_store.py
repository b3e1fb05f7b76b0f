"""The results store on SQLite and PostgreSQL: storing, idempotence, errors, queries."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.texts import doc
from unspin import Article, Corpus, Failure, InputError, ModelInfo, Span, StoreError
from unspin.corpus import timeline as timelines
from unspin.corpus.store import Store, content_hash
from unspin.corpus.store import connect as store_connect
from unspin.corpus.store.outlets import outlets
from unspin.corpus.store.queries import CorpusFilter, articles, get_article, iter_articles
from unspin.corpus.store.stats import technique_rates, timeline_days, top_phrases

MODEL = ModelInfo("test-model", "1.0")


def _result(item: tuple[int, str], spans: list[tuple[str, str, float]]) -> tuple[int, Article]:
    """An analysis result whose spans are given as (phrase in the text, technique, confidence)."""
    article_id, body = item
    found = []
    for phrase, technique, confidence in spans:
        start = body.index(phrase)
        found.append(Span(start, start + len(phrase), technique, confidence))
    return article_id, Article(str(article_id), body, tuple(found), MODEL)


def _corpus(store: Store) -> dict[str, int]:
    """Three outlets' articles with known words, dates and spans; returns ids by title."""
    store.add_articles(
        [
            # 11 words, week of Monday 2024-01-01
            doc(
                "Traitors everywhere. They are traitors. Stop them now, stop them now.",
                title="a",
                outlet="Red",
                published=date(2024, 1, 3),
            ),
            # 5 words, same week
            doc(
                "Calm news about the weather.", title="b", outlet="Red", published=date(2024, 1, 7)
            ),
            # 8 words, week of 2024-01-15 (the week between has no articles)
            doc(
                "Only cowards doubt this. Stop them now, please.",
                title="c",
                outlet="Blue",
                published=date(2024, 1, 16),
            ),
            # 4 words, no date, no outlet
            doc("Traitors run the council.", title="d"),
        ]
    )
    pending = dict(store.pending(MODEL))
    ids = {}
    with store.session() as session:
        from sqlalchemy import select

        from unspin.corpus.store.schema import ArticleRow

        ids = dict(session.execute(select(ArticleRow.title, ArticleRow.id)).all())
    results = [
        _result(
            (ids["a"], pending[ids["a"]]),
            [
                ("Traitors", "Name_Calling,Labeling", 0.9),
                ("traitors", "Name_Calling,Labeling", 0.6),
                ("Stop them now", "Slogans", 0.8),
            ],
        ),
        _result((ids["b"], pending[ids["b"]]), []),
        _result(
            (ids["c"], pending[ids["c"]]),
            [("cowards", "Name_Calling,Labeling", 0.7), ("Stop them now", "Slogans", 0.4)],
        ),
        _result((ids["d"], pending[ids["d"]]), [("Traitors", "Name_Calling,Labeling", 0.95)]),
    ]
    assert store.save_results(MODEL, results) == 4
    return ids


def test_articles_are_stored_once_by_content(db_url: str) -> None:
    with Store.open(db_url) as store:
        first = store.add_articles(
            [doc("Same text.", title="first", outlet="A"), doc("Other text.")]
        )
        again = store.add_articles([doc("Same text.", title="second", outlet="B")])
        assert (first.added, first.existing) == (2, 0)
        assert (again.added, again.existing) == (0, 1)
        assert store.counts()["articles"] == 2
        listed = dict(store.pending(MODEL))
        assert sorted(listed.values()) == ["Other text.", "Same text."]
        # The first metadata seen is kept.
        same = next(i for i, t in listed.items() if t == "Same text.")
        stored = get_article(store, same, MODEL)
        assert stored is not None
        assert (stored.title, stored.outlet, stored.status) == ("first", "A", None)
        assert stored.content_hash == content_hash("Same text.")


def test_results_are_saved_once_and_failures_can_be_retried(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.add_articles([doc("One two three."), doc("Four five six.")])
        (a, a_text), (b, _) = store.pending(MODEL)
        assert store.save_results(MODEL, [_result((a, a_text), [("two", "Doubt", 0.5)])]) == 1
        assert store.save_results(MODEL, [(b, "could not analyse")]) == 1
        assert store.pending(MODEL) == []
        # Saving again is a no-op for a done article.
        assert store.save_results(MODEL, [_result((a, a_text), [("One", "Doubt", 0.5)])]) == 0
        stored = get_article(store, a, MODEL)
        assert stored is not None and stored.article is not None
        assert [stored.article.span_text(s) for s in stored.article.spans] == ["two"]
        # A failed article is pending again only when retrying, and a success replaces it.
        assert [i for i, _ in store.pending(MODEL, retry_failed=True)] == [b]
        failed = get_article(store, b, MODEL)
        assert failed is not None and (failed.status, failed.error) == (
            "failed",
            "could not analyse",
        )
        assert store.save_results(MODEL, [_result((b, "Four five six."), [])]) == 1
        assert store.counts() == {
            "articles": 2,
            "done": 2,
            "failed": 0,
            "spans": 1,
            "unreadable": 0,
        }
        # Another model's results are separate.
        assert len(store.pending(ModelInfo("test-model", "2.0"))) == 2
        assert store.models() == [(MODEL, 2)]


def test_failures_are_recorded_once_per_source(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.add_failure(Failure("a.txt", "is empty"))
        store.add_failure(Failure("a.txt", "looks like a binary file"))
        assert store.failures() == [("a.txt", "a.txt: looks like a binary file")]
        assert store.counts()["unreadable"] == 1


def test_rates_timeline_and_phrases(db_url: str) -> None:
    with Store.open(db_url) as store:
        ids = _corpus(store)
        everything = CorpusFilter(MODEL)
        rates = {
            (r.outlet, r.technique): (r.spans, r.words) for r in technique_rates(store, everything)
        }
        assert rates == {
            ("(unknown)", "Name_Calling,Labeling"): (1, 4),
            ("Blue", "Name_Calling,Labeling"): (1, 8),
            ("Blue", "Slogans"): (1, 8),
            ("Red", "Name_Calling,Labeling"): (2, 16),
            ("Red", "Slogans"): (1, 16),
        }
        red_names = next(
            r for r in technique_rates(store, everything)
            if (r.outlet, r.technique) == ("Red", "Name_Calling,Labeling")
        )  # fmt: skip
        assert red_names.per_1000 == pytest.approx(2000 / 16)

        sure = CorpusFilter(MODEL, min_confidence=0.65)
        assert {(r.outlet, r.technique): r.spans for r in technique_rates(store, sure)} == {
            ("(unknown)", "Name_Calling,Labeling"): 1,
            ("Blue", "Name_Calling,Labeling"): 1,
            ("Red", "Name_Calling,Labeling"): 1,
            ("Red", "Slogans"): 1,
        }

        days, undated = timeline_days(store, everything)
        assert undated == 1
        weeks = timelines.build(days, bucket="week", today=date(2024, 2, 1)).periods
        assert [(w.week, w.articles, w.words, w.spans) for w in weeks] == [
            (date(2024, 1, 1), 2, 16, {"Name_Calling,Labeling": 2, "Slogans": 1}),
            (date(2024, 1, 8), 0, 0, {}),
            (date(2024, 1, 15), 1, 8, {"Name_Calling,Labeling": 1, "Slogans": 1}),
        ]

        phrases = [
            (p.technique, p.phrase, p.spans, p.articles) for p in top_phrases(store, everything)
        ]
        assert phrases == [
            ("Name_Calling,Labeling", "traitors", 3, 2),
            ("Name_Calling,Labeling", "cowards", 1, 1),
            ("Slogans", "stop them now", 2, 2),
        ]
        top = top_phrases(store, everything, per_technique=1)
        assert [(p.technique, p.phrase) for p in top] == [
            ("Name_Calling,Labeling", "traitors"),
            ("Slogans", "stop them now"),
        ]

        red = CorpusFilter(MODEL, outlets=("Red",))
        listed, total = articles(store, red)
        assert total == 2
        assert [(a.title, a.spans) for a in listed] == [("b", 0), ("a", 3)]  # newest first
        slogans = CorpusFilter(MODEL, technique="Slogans")
        listed, total = articles(store, slogans)
        assert sorted((a.title, a.spans) for a in listed) == [("a", 1), ("c", 1)]
        searched, total = articles(store, CorpusFilter(MODEL, text="COWARDS"))
        assert [a.title for a in searched] == ["c"]
        dated, _ = articles(
            store, CorpusFilter(MODEL, since=date(2024, 1, 4), until=date(2024, 1, 16))
        )
        assert sorted(a.title for a in dated) == ["b", "c"]
        unknown, _ = articles(store, CorpusFilter(MODEL, outlets=("(unknown)",)))
        assert [a.title for a in unknown] == ["d"]
        # A search for a LIKE wildcard matches it literally.
        assert articles(store, CorpusFilter(MODEL, text="%"))[1] == 0

        assert [(o.name, o.articles) for o in outlets(store)] == [
            ("Red", 2),
            ("Blue", 1),
            ("(unknown)", 1),
        ]
        assert Corpus(store).model_info() == MODEL
        exported = list(iter_articles(store, CorpusFilter(MODEL, technique="Slogans")))
        assert [e.id for e in exported] == sorted([ids["a"], ids["c"]])
        assert all(s.technique == "Slogans" for e in exported for s in e.article.spans)  # type: ignore[union-attr]


def test_an_empty_store_has_no_model_to_show(db_url: str) -> None:
    with Store.open(db_url) as store, pytest.raises(StoreError, match="no analysed articles"):
        Corpus(store).rates()


def test_migrations_match_the_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from unspin.corpus.store.schema import Base

    with Store.open(db_url) as store, store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []


# -- errors --------------------------------------------------------------------------------


def test_a_missing_database_is_not_created_when_reading(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(StoreError, match="no such database"):
        Store.open(str(missing), create=False)
    assert not missing.exists()
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        Store.open(str(tmp_path / "no" / "such.db"))


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store.open(str(junk))
    assert junk.read_text().startswith("these are my notes")


def test_a_database_of_another_program(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StoreError, match="not made by unspin"):
        Store.open(str(other))


def test_a_database_from_a_newer_unspin(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(str(path)).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer version of unspin"):
        Store.open(str(path))


def test_a_locked_database_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "busy.db"
    Store.open(str(path)).close()
    monkeypatch.setattr(store_connect, "LOCK_TIMEOUT", 0.2)
    other = sqlite3.connect(path)
    other.execute("BEGIN IMMEDIATE")  # a writer holds it: reading works, writing waits
    try:
        with Store.open(str(path)) as store, pytest.raises(StoreError, match="locked"):
            store.add_articles([doc("Some text.")])
    finally:
        other.rollback()
        other.close()
    with Store.open(str(path)) as store:
        assert store.counts()["articles"] == 0


def test_a_deleted_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    store = Store.open(str(path))
    store.close()
    path.unlink()
    with pytest.raises(StoreError, match=r"no unspin tables|cannot open"):
        store.count_pending(MODEL)


def test_an_unreachable_postgresql_server() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        Store.open("postgresql://nobody:secret@127.0.0.1:9/none")


def test_passwords_are_not_shown() -> None:
    with pytest.raises(StoreError) as error:
        Store.open("postgresql://nobody:hunter2@127.0.0.1:9/none")
    assert "hunter2" not in error.value.message


def test_a_result_stored_by_another_process_meanwhile_is_skipped(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two batch runs on one database: a rival commits an article's result after our check
    for existing results and before our insert. The unique constraint refuses our copy, and
    the save is retried without it."""
    with Store.open(db_url) as store, Store.open(db_url) as rival:
        store.add_articles([doc("One two."), doc("Three four.")])
        (a, a_text), (b, b_text) = store.pending(MODEL)
        from unspin.corpus.store import results

        real_statuses = results._statuses
        calls = []

        def stale_check(session: object, model: ModelInfo, ids: list[int]) -> dict[int, str]:
            found = real_statuses(session, model, ids)  # type: ignore[arg-type]
            if not calls:  # our first check; the rival's own save checks again
                calls.append("raced")
                rival.save_results(model, [_result((a, a_text), [("One", "Doubt", 0.9)])])
            return found

        monkeypatch.setattr(results, "_statuses", stale_check)
        stored = store.save_results(MODEL, [_result((a, a_text), []), _result((b, b_text), [])])
        assert calls == ["raced"]
        assert stored == 1  # only b: a is the rival's
        result = get_article(store, a, MODEL)
        assert result is not None and result.article is not None
        assert [s.technique for s in result.article.spans] == ["Doubt"]
        assert store.counts()["done"] == 2


# -- outlet names merged, and the migration that added them -------------------------------------


def test_merged_outlets_are_one_outlet_everywhere(db_url: str) -> None:
    with Store.open(db_url) as store:
        _corpus(store)
        corpus = Corpus(store)
        assert corpus.merge_outlets(["Blue"], "Red") == ["Blue"]
        everything = CorpusFilter(MODEL)
        rates = {(r.outlet, r.technique): (r.spans, r.words) for r in corpus.rates(everything)}
        assert rates == {
            ("(unknown)", "Name_Calling,Labeling"): (1, 4),
            ("Red", "Name_Calling,Labeling"): (3, 24),
            ("Red", "Slogans"): (2, 24),
        }
        assert [(o.name, o.articles, o.merged) for o in corpus.outlet_names()] == [
            ("Red", 3, ["Blue"]),
            ("(unknown)", 1, []),
        ]
        # Filters use the merged name: Red finds Blue's article; Blue itself is no outlet now.
        assert corpus.articles(CorpusFilter(MODEL, outlets=("Red",)))[1] == 3
        assert corpus.articles(CorpusFilter(MODEL, outlets=("Blue",)))[1] == 0
        listed, _ = corpus.articles(CorpusFilter(MODEL, text="cowards"))
        assert [a.outlet for a in listed] == ["Red"]
        totals = {
            r.outlet: (r.articles, r.words, r.spans) for r in corpus.outlet_totals(everything)
        }
        assert totals == {"Red": (3, 24, 5), "(unknown)": (1, 4, 1)}
        # Merging into a new name moves the earlier merge along: aliases stay flat.
        assert corpus.merge_outlets(["Red"], "Colours") == ["Blue", "Red"]
        assert corpus.outlet_aliases() == {"Blue": "Colours", "Red": "Colours"}
        assert corpus.outlets()[0] == ("Colours", 3)
        assert corpus.unmerge_outlets(["Blue"]) == [("Blue", "Colours")]
        assert corpus.outlets() == [("Colours", 2), ("Blue", 1), ("(unknown)", 1)]
        assert corpus.unmerge_outlets(["Colours"]) == [("Red", "Colours")]
        assert corpus.outlet_aliases() == {}
        with pytest.raises(InputError, match="cannot be merged"):
            corpus.merge_outlets(["(unknown)"], "Red")
        with pytest.raises(InputError, match="nothing to merge"):
            corpus.merge_outlets(["Red"], " Red ")


def test_a_02_database_upgrades_with_nothing_lost(tmp_path: Path) -> None:
    """A database made by unspin 0.2 (schema 0001, made here by running only that migration)
    gains the outlet aliases, attributions and claims tables when opened, and keeps every
    article, result and span (a batch copy of a table on SQLite once cascaded deletes to the
    spans: the migrations add columns in place)."""
    from alembic import command
    from alembic.config import Config

    from unspin.corpus.store.db import _MIGRATIONS

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO articles (id, content_hash, text, outlet, published, words, extra, "
                "added) VALUES (1, 'h1', 'Traitors lie.', 'cbsnews.com', '2024-01-02', 2, '{}', "
                "'2024-01-02 10:00:00'), (2, 'h2', 'Calm words.', 'CBS News', NULL, 2, '{}', "
                "'2024-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO analyses (id, article_id, model_name, model_version, status, "
                "created) VALUES (1, 1, 'test-model', '1.0', 'done', '2024-01-02 10:00:00'), "
                "(2, 2, 'test-model', '1.0', 'done', '2024-01-02 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO spans (analysis_id, article_id, technique, start, end_, confidence, "
                "phrase) VALUES (1, 1, 'Name_Calling,Labeling', 0, 8, 0.9, 'traitors')"
            )
        )
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert version == "0001"
    with Corpus.open(str(path)) as corpus:
        assert corpus.counts() == {
            "articles": 2, "done": 2, "failed": 0, "spans": 1, "unreadable": 0
        }  # fmt: skip
        old = corpus.get(1)
        assert old is not None and old.article is not None
        assert old.article.span_text(old.article.spans[0]) == "Traitors"
        # Made before attributions: shown as having none, not as the author's voice.
        assert old.article.attributions is None
        assert [s.voice for s in old.article.spans] == [None]
        assert corpus.merge_outlets(["cbsnews.com"], "CBS News") == ["cbsnews.com"]
        assert corpus.outlets() == [("CBS News", 2)]
    with sqlite3.connect(path) as connection:
        from alembic.script import ScriptDirectory

        from unspin.corpus.store.db import _MIGRATIONS

        head = ScriptDirectory(str(_MIGRATIONS)).get_current_head()
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
