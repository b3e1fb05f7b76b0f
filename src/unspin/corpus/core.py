"""``Corpus``: many articles in a results database, and what people do with them.

    >>> from unspin import Corpus
    >>> with Corpus.open("news.db") as corpus:                  # doctest: +SKIP
    ...     corpus.import_paths(["articles/", "feed.jsonl"])
    ...     corpus.analyse()                     # resumable; corpus.analyse(corpus.engine("ray"))
    ...     for row in corpus.rates(corpus.filter(since=date(2024, 1, 1))):
    ...         print(row.outlet, row.technique, row.per_1000)

``unspin import|batch|export|db|serve`` and every web page are thin shells over this class;
it is the only thing above the store that knows the store exists.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from unspin import settings
from unspin._article import Article, Document, Failure, ModelInfo
from unspin._errors import InputError, StoreError
from unspin.corpus.statistics import Statistics
from unspin.corpus.store import outlets as outlet_names
from unspin.corpus.store import queries
from unspin.corpus.store.db import AddResult, Store
from unspin.corpus.store.outlets import OutletName
from unspin.corpus.store.queries import ArticleSummary, CorpusFilter, StoredArticle
from unspin.corpus.store.stats import ScoreTable
from unspin.io.records import Columns, Defaults, read_inputs, record_document

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer
    from unspin.corpus.batch import BatchSummary, Engine

Progress = Callable[[int], None]
T = TypeVar("T")
_CACHED = 64  # statistics kept (by query and filter) while the data is unchanged


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: articles new and already stored, their store ids in input order,
    and the inputs that could not be used."""

    added: int
    existing: int
    ids: list[int] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What readers noticed about inputs they still read (``Document.warnings``), each
    starting with the input's source."""


@dataclass(frozen=True, slots=True)
class Analysed:
    """One text analysed on demand: the result, and its store id when it was stored."""

    article: Article
    store_id: int | None


class Corpus(Statistics):
    """A results database with the model that analyses it.

    ``model`` names the model that analyses new texts (default: the ``model`` setting) and the
    one whose results queries read by default (its newest version in the store; if it has
    none, the model with the most results). Open with ``Corpus.open``; close with ``close()``
    or ``with``. Safe to share between threads: analyses run one at a time.
    """

    def __init__(self, store: Store, model: str | None = None, analyzer: Analyzer | None = None):
        self._store = store
        self.model_name = model
        self._analyzer = analyzer
        self._loading = threading.Lock()
        self._running = threading.Lock()
        self._cache = OrderedDict()
        self._caching = threading.Lock()

    @classmethod
    def open(
        cls,
        db: str | None = None,
        model: str | None = None,
        *,
        create: bool = True,
        analyzer: Analyzer | None = None,
    ) -> Corpus:
        """Open the database ``db`` (a SQLite path or a ``postgresql://`` URL; default: the
        ``db`` setting). With ``create``, a missing database is created and an old one
        upgraded; without, both are a ``StoreError``. ``analyzer`` is used instead of loading
        ``model`` on the first analysis."""
        return cls(Store.open(db, create=create), model, analyzer)

    @property
    def name(self) -> str:
        """The database as it may be shown: a file path, or the URL without its password."""
        return self._store.name

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def upgrade(self) -> None:
        """Bring the database's tables up to date (``unspin db upgrade``)."""
        self._store.upgrade()

    # -- adding articles -------------------------------------------------------------------

    def import_paths(
        self,
        paths: Sequence[str],
        *,
        columns: Columns | None = None,
        defaults: Defaults | None = None,
        max_bytes: int | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Store the articles in text/HTML files and folders, ``.jsonl`` and ``.csv`` feeds
        (mapped by ``columns``) and ``-`` (standard input). An input that cannot be used is
        recorded as unreadable and reported; the others go on. ``progress`` gets 1 per input."""
        limit = max_bytes or settings.get_int("max_bytes")
        items = read_inputs(paths, max_bytes=limit, columns=columns, defaults=defaults)
        return self._import(items, progress)

    def import_records(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        columns: Columns | None = None,
        defaults: Defaults | None = None,
        max_bytes: int | None = None,
        source: str = "<records>",
    ) -> ImportReport:
        """Store records (dicts, as a JSONL feed holds them) mapped by ``columns``; a record
        that cannot be used is reported as ``source:N`` (its position, from 1)."""
        limit = max_bytes or settings.get_int("max_bytes")
        columns, defaults = columns or Columns(), defaults or Defaults()

        def items() -> Iterator[Document | Failure]:
            for number, record in enumerate(records, start=1):
                try:
                    yield record_document(dict(record), source, number, columns, defaults, limit)
                except InputError as error:
                    yield Failure.from_message(source, error.message, number)

        return self._import(items(), None)

    def import_documents(self, documents: Iterable[Document]) -> ImportReport:
        """Store documents as they are (their ``meta`` is kept as given)."""
        return self._import(documents, None)

    def _import(
        self, items: Iterable[Document | Failure], progress: Progress | None
    ) -> ImportReport:
        failures: list[Failure] = []
        warnings: list[str] = []

        def documents() -> Iterator[Document]:
            for item in items:
                if progress is not None:
                    progress(1)
                if isinstance(item, Failure):
                    failures.append(item)
                    self._store.add_failure(item)
                else:
                    warnings.extend(item.warnings)
                    yield item

        added: AddResult = self._store.add_articles(documents())
        return ImportReport(added.added, added.existing, added.ids, failures, warnings)

    # -- analysing -------------------------------------------------------------------------

    def analyzer(self, device: str = "auto") -> Analyzer:
        """The analyzer for ``model``, loaded once (on first use)."""
        with self._loading:
            if self._analyzer is None:
                from unspin.analyzer import Analyzer

                self._analyzer = Analyzer.load(self.model_name, device=device)
            return self._analyzer

    def analyse_document(self, document: Document, *, store: bool = True) -> Analysed:
        """Analyse one document now; with ``store``, keep it and its result (a text already
        stored keeps the metadata it was first stored with)."""
        analyzer = self.analyzer()
        with self._running:
            article = next(analyzer.analyze_many([document]))
        if not store:
            return Analysed(replace(article, metadata=document.meta.to_dict()), None)
        store_id = self._store.add_articles([document]).ids[0]
        self._store.save_results(article.model, [(store_id, article)])
        found = self.get(store_id, article.model)
        stored = found.as_article() if found else None
        if stored is None:
            raise StoreError(f"{self.name}: the result was not stored; try again")
        return Analysed(stored, store_id)

    def engine(
        self,
        kind: str = "local",
        *,
        device: str = "auto",
        address: str | None = None,
        workers: int | None = None,
    ) -> Engine:
        """An engine for ``analyse``: ``local`` (this process) or ``ray`` (a Ray cluster at
        ``address``, a local one by default, with ``workers`` model replicas)."""
        from unspin.corpus.batch import LocalEngine, RayEngine

        if kind == "ray":
            return RayEngine(
                self.model_name or settings.get("model"), address=address, workers=workers
            )
        if kind == "local":
            return LocalEngine(self.analyzer(device))
        raise InputError(f"engine {kind!r}: choose local or ray")

    def pending(self, model: ModelInfo, *, retry_failed: bool = False) -> int:
        """How many stored articles ``model`` has not analysed (or failed on, with
        ``retry_failed``)."""
        return self._store.count_pending(model, retry_failed=retry_failed)

    def analyse(
        self,
        engine: Engine | None = None,
        *,
        chunk: int = 8,
        retry_failed: bool = False,
        progress: Progress | None = None,
    ) -> BatchSummary:
        """Analyse every stored article the engine's model has not analysed yet (default
        engine: this process). Results are committed a chunk at a time, so a run that is
        stopped, even killed, and started again analyses each article once."""
        from unspin.corpus.batch import run_batch

        runner = engine or self.engine()
        return run_batch(
            self._store, runner, chunk=chunk, retry_failed=retry_failed, progress=progress
        )

    # -- reading ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Articles, results done and failed (any model), spans, and unreadable inputs."""
        return self._store.counts()

    def failures(self, limit: int = 100) -> list[Failure]:
        """The most recent unreadable inputs and failed analyses, newest first."""
        return [
            Failure.from_message(source, reason) for source, reason in self._store.failures(limit)
        ]

    def models(self) -> list[tuple[ModelInfo, int]]:
        """The models with results here and how many articles each analysed, most first."""
        return self._store.models()

    def model_info(
        self,
        name: str | None = None,
        *,
        strict: bool = False,
        models: list[tuple[ModelInfo, int]] | None = None,
    ) -> ModelInfo | None:
        """Whose results queries read: ``name``'s (else ``model``'s) newest version with
        results; if that model has none, the model with most results (with ``strict``, an
        ``InputError``); ``None`` while the store has no results at all. ``models`` is
        ``models()`` when the caller already has it."""
        models = self.models() if models is None else models
        if not models:
            return None
        wanted = name or self.model_name
        if wanted is None:
            return models[0][0]
        named = sorted((m for m, _ in models if m.name == wanted), key=lambda m: m.version)
        if named:
            return named[-1]
        if strict:
            have = ", ".join(sorted({m.name for m, _ in models}))
            raise InputError(f"model {wanted}: no results from this model here (it has: {have})")
        return models[0][0]

    def filter(self, model: str | None = None, **conditions: Any) -> CorpusFilter:
        """A ``CorpusFilter`` on this corpus's results (``outlets``, ``since``, ``until``,
        ``technique``, ``text``, ``min_confidence``); ``model`` names whose results."""
        return CorpusFilter(model=self.model_info(model, strict=model is not None), **conditions)

    def _resolved(self, f: CorpusFilter | None) -> CorpusFilter:
        f = f or CorpusFilter()
        if f.model is not None:
            return f
        chosen = self.model_info()
        if chosen is None:
            raise StoreError(f"{self.name}: no analysed articles yet; run `unspin batch` first")
        return replace(f, model=chosen)

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet (merged names as the name they are shown as) with its number of
        stored articles, most articles first."""
        return [(o.name, o.articles) for o in outlet_names.outlets(self._store)]

    def outlet_names(self) -> list[OutletName]:
        """Every outlet as shown, with its stored articles and the names merged into it."""
        return outlet_names.outlets(self._store)

    def outlet_aliases(self) -> dict[str, str]:
        """Every merged outlet name and the name it is shown as."""
        return outlet_names.aliases(self._store)

    def merge_outlets(self, names: Sequence[str], into: str) -> list[str]:
        """Show the articles of ``names`` under ``into`` in every statistic, filter and list
        (``unspin outlets merge``); articles keep their stored outlet, so ``unmerge_outlets``
        undoes it. Returns every name now merged into ``into``."""
        return outlet_names.merge(self._store, names, into)

    def unmerge_outlets(self, names: Sequence[str]) -> list[tuple[str, str]]:
        """Undo merges of these names (merged names, or names others were merged into);
        returns the ``(alias, outlet)`` pairs removed."""
        return outlet_names.unmerge(self._store, names)

    def date_range(self) -> tuple[date | None, date | None]:
        return queries.date_range(self._store)

    def articles(
        self, f: CorpusFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[ArticleSummary], int]:
        """A page of matching articles (newest first) with their span counts, and the total."""
        return queries.articles(self._store, self._resolved(f), limit=limit, offset=offset)

    def iter_articles(self, f: CorpusFilter | None = None) -> Iterator[StoredArticle]:
        """Every matching analysed article with its result, in store order."""
        return queries.iter_articles(self._store, self._resolved(f))

    def get(self, article_id: int, model: ModelInfo | None = None) -> StoredArticle | None:
        """A stored article with ``model``'s result; without ``model``: the default model's,
        else any model's; with none, the article without a result. ``None`` if no such id."""
        listed = self.models()
        models = [m for m, _ in listed]
        preferred = model or self.model_info(models=listed)
        order = [preferred] if preferred else []
        order += [m for m in models if m != preferred] if model is None else []
        first = None
        for candidate in order:
            found = queries.get_article(self._store, article_id, candidate)
            if found is None or found.article is not None:
                return found
            first = first or found
        return first or queries.get_article(self._store, article_id, ModelInfo("", ""))

    # -- writing out -----------------------------------------------------------------------

    def export(self, out: TextIO, fmt: str = "json", f: CorpusFilter | None = None) -> int:
        """Write the matching analysed articles in a format of ``unspin.formats`` (``json``,
        ``csv``, ``ptc``, ``html``, ``terminal``) and return how many were written. Each
        article's metadata gets its ``score`` (see ``article_score``)."""
        from unspin.formats import get_format

        chosen = get_format(fmt)
        resolved = self._resolved(f)
        model = resolved.model
        assert model is not None
        scores = self._cached(("scores", model), lambda: ScoreTable(self._store, model))
        written = 0

        def articles() -> Iterator[Article]:
            nonlocal written
            for item in self.iter_articles(resolved):
                article = item.as_article()
                if article is not None:
                    written += 1
                    score = scores.score(item.id)
                    if score is not None:
                        metadata = {**article.metadata, "score": score.to_dict()}
                        article = replace(article, metadata=metadata)
                    yield article

        chosen.write(articles(), out)
        return written
