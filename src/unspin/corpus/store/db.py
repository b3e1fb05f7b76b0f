"""The results store: open a database, add articles, record analyses, read them back.

SQLite (a file, the default) and PostgreSQL (``postgresql://user:pass@host/db``) behave the
same. Writes that belong together happen in one transaction, so a process killed at any moment
leaves either the whole result of an article or none of it, and the unique constraints make
adding an article or an analysis twice a no-op.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, exists, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from unspin._article import Article, Document, Failure, ModelInfo
from unspin._errors import InputError, StoreError
from unspin.corpus.store.connect import (
    database_url,
    default_path,
    describe,
    explain,
    has_tables,
    make_engine,
)
from unspin.corpus.store.schema import (
    PHRASE_LENGTH,
    AnalysisRow,
    ArticleRow,
    ClaimRow,
    FailureRow,
    SpanRow,
)
from unspin.io import clean

_MIGRATIONS = Path(__file__).with_name("migrations")
_CHUNK = 500


@dataclass(slots=True)
class AddResult:
    """How many articles were new and how many already stored; ``ids`` are the store ids of
    the given articles, in the order given (an article given twice has its id twice)."""

    added: int
    existing: int
    ids: list[int] = field(default_factory=list)


def content_hash(text: str) -> str:
    """The key an article is stored under: SHA-256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def phrase_of(text: str) -> str:
    """How a span's text is grouped with others: lower case, single spaces, cut to a length."""
    return " ".join(text.lower().split())[:PHRASE_LENGTH]


class Store:
    """A results database. Open with ``Store.open(url)``; close with ``close()`` or ``with``."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.name = describe(url)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = True) -> Store:
        """Open (and with ``create``, create or upgrade) the database at ``url``.

        Raises ``StoreError`` when the database cannot be reached, is not an unspin database,
        or was made by a newer version of unspin.
        """
        full = database_url(url)
        parsed = make_url(full)
        backend = parsed.get_backend_name()
        if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
            path = Path(parsed.database or "")
            if not path.exists():
                if not create:
                    raise StoreError(
                        f"{path}: no such database; `unspin import` or `unspin batch` creates one"
                    )
                if url is None and path == default_path():
                    path.parent.mkdir(parents=True, exist_ok=True)
                elif not path.parent.is_dir():
                    raise StoreError(f"{path}: the folder {path.parent} does not exist")
        elif backend not in ("sqlite", "postgresql"):
            raise StoreError(
                f"{describe(full)}: unsupported database; use a SQLite file path or a "
                "postgresql:// URL"
            )
        try:
            engine = make_engine(full, backend)
        except (SQLAlchemyError, ImportError) as error:
            raise StoreError(f"{describe(full)}: cannot use this database URL ({error})") from None
        store = cls(engine, full)
        try:
            with store._errors("open"):
                store._migrate(create)
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self, create: bool) -> None:
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        scripts = ScriptDirectory(str(_MIGRATIONS))
        head = scripts.get_current_head()
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current == head:
                return
            known = {script.revision for script in scripts.walk_revisions()}
            if current is not None and current not in known:
                raise StoreError(
                    f"{self.name}: this database was made by a newer version of unspin "
                    f"(schema {current}); upgrade unspin to use it"
                )
            if current is None and has_tables(connection):
                raise StoreError(f"{self.name}: this database was not made by unspin")
            if not create:
                raise StoreError(f"{self.name}: the database needs `unspin db upgrade` first")
        self.upgrade()

    def upgrade(self) -> None:
        """Bring the schema up to date (``unspin db upgrade``); a no-op when it already is."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self._errors("upgrade"), self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    # -- errors and sessions -----------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn database failures into one ``StoreError`` line that says what to do."""
        try:
            yield
        except StoreError:
            raise
        except (DBAPIError, SQLAlchemyError) as error:
            raise StoreError(explain(self.name, doing, error)) from error

    @contextlib.contextmanager
    def session(self, doing: str = "read") -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on any error."""
        with self._errors(doing), self._sessions.begin() as session:
            yield session

    # -- writing -------------------------------------------------------------------------

    def add_articles(self, items: Iterable[Document]) -> AddResult:
        """Store articles not stored yet (by content hash); the first metadata seen is kept.

        Each document passes ``unspin.io.clean`` first (a no-op for documents that were read
        by ``unspin.io``), so every backend stores the same thing; one that cannot be stored
        raises ``InputError`` before anything of its chunk is written.
        """
        result = AddResult(0, 0)
        batch: list[Document] = []
        for item in items:
            try:
                batch.append(clean.document(item))
            except InputError as error:
                raise InputError(f"{item.source or item.id or 'text'}: {error.message}") from None
            if len(batch) == _CHUNK:
                self._add_batch(batch, result)
                batch = []
        if batch:
            self._add_batch(batch, result)
        return result

    def _add_batch(self, items: Sequence[Document], result: AddResult) -> None:
        now = _now()
        keys = [content_hash(item.text) for item in items]
        rows: dict[str, dict[str, Any]] = {}
        for key, item in zip(keys, items, strict=True):
            meta = item.meta
            rows.setdefault(
                key,
                {
                    "content_hash": key,
                    "text": item.text,
                    "external_id": item.id,
                    "source": item.source,
                    "title": meta.title,
                    "outlet": meta.outlet,
                    "url": meta.url,
                    "published": meta.published,
                    "language": meta.language,
                    "words": len(item.text.split()),
                    "extra": meta.extra,
                    "added": now,
                },
            )
        with self.session("write") as session:
            known = set(
                session.scalars(
                    select(ArticleRow.content_hash).where(ArticleRow.content_hash.in_(rows))
                )
            )
            fresh = [row for key, row in rows.items() if key not in known]
            if fresh:
                session.execute(_insert_ignore(self.engine, ArticleRow, ["content_hash"]), fresh)
            ids = dict(
                session.execute(
                    select(ArticleRow.content_hash, ArticleRow.id).where(
                        ArticleRow.content_hash.in_(rows)
                    )
                ).all()
            )
        result.added += len(fresh)
        result.existing += len(items) - len(fresh)
        result.ids.extend(int(ids[key]) for key in keys)

    def add_failure(self, failure: Failure) -> None:
        """Record an input that could not be read (replacing an earlier reason for it)."""
        failure = clean.failure(failure)
        source = failure.where
        key = hashlib.sha256(source.encode("utf-8", errors="surrogatepass")).hexdigest()
        with self.session("write") as session:
            session.execute(delete(FailureRow).where(FailureRow.source_key == key))
            session.add(
                FailureRow(source=source, source_key=key, reason=failure.message, created=_now())
            )

    def pending(
        self, model: ModelInfo, *, after: int = 0, limit: int = 100, retry_failed: bool = False
    ) -> list[tuple[int, str]]:
        """``(article id, text)`` of articles with no result from this model, by id after
        ``after``; with ``retry_failed``, failed results count as none."""
        with self.session() as session:
            rows = session.execute(
                select(ArticleRow.id, ArticleRow.text)
                .where(ArticleRow.id > after, ~_analysed(model, retry_failed))
                .order_by(ArticleRow.id)
                .limit(limit)
            )
            return [(row.id, row.text) for row in rows]

    def count_pending(
        self, model: ModelInfo, *, retry_failed: bool = False, except_run: str | None = None
    ) -> int:
        """Articles with no result from this model; with ``except_run``, not counting those
        that run has a live claim on (it is analysing them)."""
        with self.session() as session:
            query = select(func.count(ArticleRow.id)).where(~_analysed(model, retry_failed))
            if except_run is not None:
                query = query.where(
                    ~exists().where(
                        ClaimRow.article_id == ArticleRow.id,
                        ClaimRow.model_name == model.name,
                        ClaimRow.model_version == model.version,
                        ClaimRow.run == except_run,
                        ClaimRow.expires > _now(),
                    )
                )
            return int(session.scalar(query) or 0)

    def save_results(self, model: ModelInfo, results: Sequence[tuple[int, Article | str]]) -> int:
        """Store results (an ``Article``, or the reason it failed) in one transaction.

        Articles that already have a result from this model are skipped, except that a failed
        result is replaced. Returns how many results were stored.
        """
        from unspin.corpus.store import results as results_module

        if not results:
            return 0
        try:
            return results_module.save(self, model, results)
        except StoreError as error:
            # Another process (a second batch run) stored one of these articles between our
            # check and our insert: check again, which now skips it.
            if not isinstance(error.__cause__, IntegrityError):
                raise
            return results_module.save(self, model, results)

    # -- small reads ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Articles, results done and failed (any model), spans, and unreadable inputs."""
        with self.session() as session:
            status = dict(
                session.execute(
                    select(AnalysisRow.status, func.count()).group_by(AnalysisRow.status)
                ).all()
            )
            return {
                "articles": int(session.scalar(select(func.count(ArticleRow.id))) or 0),
                "done": int(status.get("done", 0)),
                "failed": int(status.get("failed", 0)),
                "spans": int(session.scalar(select(func.count(SpanRow.id))) or 0),
                "unreadable": int(session.scalar(select(func.count(FailureRow.id))) or 0),
            }

    def failures(self, limit: int = 100) -> list[tuple[str, str]]:
        """``(source, reason)`` of the most recent unreadable inputs and failed analyses."""
        with self.session() as session:
            unreadable = session.execute(
                select(FailureRow.source, FailureRow.reason, FailureRow.created)
                .order_by(FailureRow.created.desc())
                .limit(limit)
            ).all()
            failed = session.execute(
                select(ArticleRow.source, ArticleRow.id, AnalysisRow.error, AnalysisRow.created)
                .join(ArticleRow, AnalysisRow.article_id == ArticleRow.id)
                .where(AnalysisRow.status == "failed")
                .order_by(AnalysisRow.created.desc())
                .limit(limit)
            ).all()
        rows = [(created, source, reason) for source, reason, created in unreadable]
        rows += [
            (created, source or f"article {article_id}", error or "failed")
            for source, article_id, error, created in failed
        ]
        rows.sort(key=lambda row: row[0], reverse=True)
        return [(source, reason) for _, source, reason in rows[:limit]]

    def data_version(self) -> tuple[Any, ...]:
        """A token that changes whenever what the statistics read changes: results added or
        replaced (analyses only ever get new ids, and statistics read only analysed articles,
        whose stored metadata never changes), outlet names merged or unmerged (a merge adds
        rows with a new time, an unmerge removes rows). One cheap query, so that a cache of
        statistics can be checked on every request, also when another process writes."""
        from unspin.corpus.store.schema import OutletAliasRow

        with self.session() as session:
            row = session.execute(
                select(
                    select(func.max(AnalysisRow.id)).scalar_subquery(),
                    select(func.count(AnalysisRow.id)).scalar_subquery(),
                    select(func.count()).select_from(OutletAliasRow).scalar_subquery(),
                    select(func.max(OutletAliasRow.created)).scalar_subquery(),
                )
            ).one()
        return tuple(row)

    def models(self) -> list[tuple[ModelInfo, int]]:
        """The models with results in this store and how many articles each analysed."""
        with self.session() as session:
            rows = session.execute(
                select(AnalysisRow.model_name, AnalysisRow.model_version, func.count())
                .where(AnalysisRow.status == "done")
                .group_by(AnalysisRow.model_name, AnalysisRow.model_version)
                .order_by(func.count().desc(), AnalysisRow.model_name)
            )
            return [(ModelInfo(name, version), int(n)) for name, version, n in rows]


def _analysed(model: ModelInfo, retry_failed: bool) -> Any:
    condition = (
        (AnalysisRow.article_id == ArticleRow.id)
        & (AnalysisRow.model_name == model.name)
        & (AnalysisRow.model_version == model.version)
    )
    if retry_failed:
        condition &= AnalysisRow.status == "done"
    return exists().where(condition)


_CLAIM_KEY = ["article_id", "model_name", "model_version"]


def _insert_ignore(engine: Engine, model: type[Any], keys: list[str]) -> Any:
    """INSERT that skips rows whose key is already there (another writer got there first)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).on_conflict_do_nothing(index_elements=keys)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model).on_conflict_do_nothing(index_elements=keys)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
